"""Whole-review figures from the events: contacts per agency, contacts before the
incident, agency pairs that never exchanged information, longest concern-to-response gap."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pandas as pd

from sca.graph.build import FAMILY_ROLES

PROTECTIVE = ("referral", "information_shared", "strategy_discussion", "child_protection_conference", "assessment")


def _dates(events: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(events["date"], errors="coerce")


def contacts_per_agency(events: pd.DataFrame) -> pd.DataFrame:
    """Per document and agency: contacts, concerns, child seen, missed appointments, first and last date."""
    cols = ["doc_id", "agency", "contacts", "concerns", "child_seen", "missed_appointments", "first_date", "last_date"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    e = events.assign(_d=_dates(events))
    out = (
        e.groupby(["doc_id", "agency"], sort=True)
        .agg(
            contacts=("event_id", "size"),
            concerns=("concern", lambda s: int(s.astype(bool).sum())),
            child_seen=("child_seen", lambda s: int((s == "yes").sum())),
            missed_appointments=("contact_type", lambda s: int((s == "missed_appointment").sum())),
            first_date=("_d", "min"),
            last_date=("_d", "max"),
        )
        .reset_index()
        .sort_values(["doc_id", "contacts"], ascending=[True, False], kind="stable")
    )
    for c in ("first_date", "last_date"):
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out[cols].reset_index(drop=True)


def contacts_before_incident(events: pd.DataFrame, incident_date: str | dt.date | None = None, months: int | None = None) -> pd.DataFrame:
    """Professional contacts with the family before the incident (the last dated event unless given).

    ``months`` limits the count to that many months before the incident (e.g. 8,
    as in "seen about 60 times in eight months").
    """
    cols = ["doc_id", "incident_date", "window_start", "contacts", "contacts_child_seen", "agencies"]
    rows = []
    for doc_id, e in events.groupby("doc_id", sort=True):
        d = _dates(e)
        inc = pd.Timestamp(incident_date) if incident_date is not None else d.max()
        if pd.isna(inc):
            continue
        start = inc - pd.DateOffset(months=months) if months else d.min()
        fam = e["counterpart"].isin(FAMILY_ROLES)
        sel = fam & (d < inc) & (d >= start)
        rows.append({
            "doc_id": doc_id, "incident_date": inc.strftime("%Y-%m-%d"),
            "window_start": start.strftime("%Y-%m-%d") if not pd.isna(start) else None,
            "contacts": int(sel.sum()), "contacts_child_seen": int((sel & (e["child_seen"] == "yes")).sum()),
            "agencies": int(e.loc[sel, "agency"].nunique()),
        })
    return pd.DataFrame(rows, columns=cols)


def silent_agency_pairs(events: pd.DataFrame) -> pd.DataFrame:
    """Pairs of agencies that both recorded concerns in overlapping periods but never
    exchanged a referral or information in either direction."""
    cols = ["doc_id", "agency_a", "agency_b", "overlap_start", "overlap_end", "concerns_a", "concerns_b"]
    rows = []
    for doc_id, e in events.groupby("doc_id", sort=True):
        e = e.assign(_d=_dates(e)).dropna(subset=["_d"])
        ag = e[~e["agency"].isin(FAMILY_ROLES)]
        spans = ag.groupby("agency")["_d"].agg(["min", "max"])
        concerns = ag[ag["concern"].astype(bool)].groupby("agency").size()
        exch = set()
        for r in e.itertuples():
            if r.counterpart not in FAMILY_ROLES:
                exch.add(frozenset((r.agency, r.counterpart)))
        for a, b in combinations(sorted(concerns.index), 2):
            if frozenset((a, b)) in exch:
                continue
            s, t = max(spans.loc[a, "min"], spans.loc[b, "min"]), min(spans.loc[a, "max"], spans.loc[b, "max"])
            if s <= t:
                rows.append({"doc_id": doc_id, "agency_a": a, "agency_b": b, "overlap_start": s.strftime("%Y-%m-%d"),
                             "overlap_end": t.strftime("%Y-%m-%d"), "concerns_a": int(concerns[a]), "concerns_b": int(concerns[b])})
    return pd.DataFrame(rows, columns=cols)


def concern_response_gaps(events: pd.DataFrame) -> pd.DataFrame:
    """For each concern, the days until the next protective response by any agency (None if none followed).
    Sorted longest first, so the first row is the longest gap between a concern and a response."""
    cols = ["doc_id", "event_id", "date", "agency", "response_event_id", "response_date", "response_agency", "gap_days"]
    rows = []
    for doc_id, e in events.groupby("doc_id", sort=True):
        e = e.assign(when=_dates(e)).dropna(subset=["when"]).sort_values("when", kind="stable")
        resp = e[e["contact_type"].isin(PROTECTIVE)]
        for r in e[e["concern"].astype(bool) & ~e["contact_type"].isin(PROTECTIVE)].itertuples():
            nxt = resp[resp["when"] >= r.when]
            if len(nxt):
                n = nxt.iloc[0]
                rows.append({"doc_id": doc_id, "event_id": r.event_id, "date": r.date, "agency": r.agency,
                             "response_event_id": n["event_id"], "response_date": n["date"], "response_agency": n["agency"],
                             "gap_days": int((n["when"] - r.when).days)})
            else:
                rows.append({"doc_id": doc_id, "event_id": r.event_id, "date": r.date, "agency": r.agency,
                             "response_event_id": None, "response_date": None, "response_agency": None, "gap_days": None})
    df = pd.DataFrame(rows, columns=cols)
    if not df.empty:
        df = df.sort_values("gap_days", ascending=False, na_position="first", kind="stable").reset_index(drop=True)
    return df


def summary_tables(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """All the summary figures, by name."""
    return {
        "contacts_per_agency": contacts_per_agency(events),
        "contacts_before_incident": contacts_before_incident(events),
        "silent_agency_pairs": silent_agency_pairs(events),
        "concern_response_gaps": concern_response_gaps(events),
    }
