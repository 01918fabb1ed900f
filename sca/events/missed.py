"""Candidate missed opportunities, by the rules of the project's spec.

Each candidate names its rule, gives a plain reason and quotes its evidence, so a
researcher can accept or reject it.  The rules only restate what the extracted
record shows (or does not show); they never infer harm or blame.

Rules
-----
``recorded_no_action``
    An entry that records a concern also records, in the same sentence, that no
    protective step followed ("no referral was made", "not shared", "closed",
    "filed", "accepted the explanation").
``concern_no_response``
    A concern recorded by an agency, and no referral, information sharing,
    strategy discussion, conference or assessment by that agency or anyone else
    within ``window_days``.
``referral_no_action``
    A referral or notification sent to an agency, and no recorded event by the
    receiving agency within ``window_days``.
``repeated_missed_appointments``
    Two or more missed appointments with one agency and no follow-up contact by it
    within ``window_days`` of the last.
``child_not_seen_run``
    Three or more contacts in a row in which the child was not seen.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from sca.events.gazetteer import load_patterns

MISSED_COLUMNS = ["doc_id", "event_id", "date", "agency", "rule", "reason", "evidence", "page", "para"]
DIRECT_CONTACTS = {"home_visit", "appointment", "hospital_attendance", "phone_call", "police_incident", "other", "missed_appointment"}


@lru_cache(maxsize=1)
def _inaction() -> list[re.Pattern]:
    return [re.compile(p, re.I) for p in load_patterns().get("inaction") or []]


@lru_cache(maxsize=1)
def _protective() -> set[str]:
    return set(load_patterns().get("protective_types") or ["referral", "information_shared", "strategy_discussion", "child_protection_conference", "assessment"])


_SERIOUS = re.compile(r"\b(injur\w*|bruis\w*|fractur\w*|burn|scald|disclos\w*\s+(?:\w+\s+){0,3}(?:abuse|violence|assault\w*|hit|hurt|harm|sexual\w*)|assault\w*|hit|punch\w*|kick\w*|strangl\w*|threat\w*|knife|weapon|neglect\w*|unexplained|self-harm\w*|overdose|exploit\w*)\b", re.I)


_DISCHARGED = re.compile(r"\b(discharged|removed from (the )?(recall|waiting) list|closed the (case|referral)|case was closed|referral was closed)\b", re.I)


def _serious(text: str | None) -> bool:
    text = re.sub(r"\bno (\w+ ){0,2}(disclosure|injur\w*|bruis\w*|concerns?)\b", "", text or "", flags=re.I)
    return bool(_SERIOUS.search(text))


def inaction_cue(text: str) -> str | None:
    """The first phrase in ``text`` that records that no protective step followed."""
    for rx in _inaction():
        m = rx.search(text or "")
        if m:
            return m.group(0)
    return None


def _date(s) -> dt.date | None:
    if s is None or (isinstance(s, float) and pd.isna(s)):
        return None
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _row(ev, rule: str, reason: str) -> dict:
    return {
        "doc_id": ev.get("doc_id"), "event_id": ev.get("event_id"), "date": ev.get("date"), "agency": ev.get("agency"),
        "rule": rule, "reason": reason, "evidence": ev.get("sentence"), "page": ev.get("page"), "para": ev.get("para"),
    }


def _human(aid: str) -> str:
    return str(aid).replace("_", " ")


def missed_opportunities(events: pd.DataFrame, window_days: int = 14, rules: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Candidate missed opportunities in ``events`` (the output of :func:`sca.extract_events`).

    Returns one row per (event, rule) with columns doc_id, event_id, date, agency,
    rule, reason, evidence, page, para.
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError("missed_opportunities expects the DataFrame returned by extract_events")
    if window_days < 0:
        raise ValueError("window_days must be zero or more")
    if events.empty:
        return pd.DataFrame(columns=MISSED_COLUMNS)
    missing = {"event_id", "date", "agency", "contact_type", "concern", "sentence"} - set(events.columns)
    if missing:
        raise ValueError(f"events DataFrame lacks columns: {', '.join(sorted(missing))}")
    active = set(rules) if rules else {"recorded_no_action", "concern_no_response", "referral_no_action", "repeated_missed_appointments", "child_not_seen_run"}
    win = dt.timedelta(days=window_days)
    out: list[dict] = []
    protective = _protective()
    for doc_id, evs in events.groupby(events["doc_id"] if "doc_id" in events.columns else pd.Series("", index=events.index), sort=False):
        recs = evs.to_dict("records")
        for r in recs:
            r["_d"] = _date(r.get("date"))
        recs.sort(key=lambda r: (r["_d"] is None, r["_d"] or dt.date.min))
        dated = [r for r in recs if r["_d"] is not None]

        record_end = dated[-1]["_d"] if dated else None

        def covered(r) -> bool:
            # the chronology must run on for the whole window before silence can mean anything
            return record_end is not None and r["_d"] + win < record_end

        def later(r, pred):
            return [o for o in dated if o is not r and r["_d"] <= o["_d"] <= r["_d"] + win and pred(o)]

        for r in dated:
            concern = bool(r.get("concern"))
            if "recorded_no_action" in active and concern:
                cue = inaction_cue(r.get("sentence"))
                if cue:
                    out.append(_row(r, "recorded_no_action", f"{_human(r['agency'])} recorded a concern and the record says: \u201c{cue}\u201d"))
                    continue
            if "concern_no_response" in active and concern and r["contact_type"] in DIRECT_CONTACTS - {"missed_appointment"} and _serious(r.get("sentence")) and covered(r):
                resp = later(r, lambda o: o["contact_type"] in protective or (o["agency"] == r["agency"] and o["_d"] > r["_d"]))
                if not resp:
                    out.append(_row(r, "concern_no_response", f"concern recorded by {_human(r['agency'])}; no referral, information sharing, strategy discussion, conference or assessment by any agency, and no further contact by {_human(r['agency'])}, is recorded within {window_days} days"))
                    continue
            if "referral_no_action" in active and r["contact_type"] in ("referral", "information_shared"):
                to = r.get("counterpart")
                if to and to not in ("mother", "father", "child", "sibling", "partner", "grandparent", "other_family") and to != r["agency"]:
                    acted = [o for o in dated if o is not r and o["agency"] == to and o["_d"] >= r["_d"]]
                    if not acted and concern and covered(r):
                        out.append(_row(r, "referral_no_action", f"{r['contact_type'].replace('_', ' ')} from {_human(r['agency'])} to {_human(to)}; no later action by {_human(to)} is recorded"))
        if "repeated_missed_appointments" in active:
            for r in dated:
                if r["contact_type"] == "missed_appointment" and _DISCHARGED.search(r.get("sentence") or ""):
                    m = _DISCHARGED.search(r.get("sentence") or "")
                    out.append(_row(r, "repeated_missed_appointments", f"missed appointment(s) with {_human(r['agency'])} followed by \u201c{m.group(0)}\u201d rather than follow-up"))
            by_agency: dict[str, list[dict]] = {}
            for r in dated:
                if r["contact_type"] == "missed_appointment":
                    by_agency.setdefault(r["agency"], []).append(r)
            for ag, miss in by_agency.items():
                if len(miss) < 2:
                    continue
                last = miss[-1]
                follow = [o for o in dated if o["agency"] == ag and o["_d"] >= last["_d"] and o is not last
                          and o["contact_type"] in ("home_visit", "phone_call", "referral", "information_shared", "appointment", "strategy_discussion", "assessment")
                          and o["_d"] <= last["_d"] + win]
                if not follow:
                    out.append(_row(last, "repeated_missed_appointments", f"{len(miss)} missed appointments with {_human(ag)} and no follow-up contact by it recorded within {window_days} days of the last"))
        if "child_not_seen_run" in active and "child_seen" in events.columns:
            runs: dict[str, list[dict]] = {}
            for r in dated:
                if r["contact_type"] not in ("home_visit", "appointment") or r.get("counterpart") == "mother" and r["contact_type"] == "appointment":
                    continue
                run = runs.setdefault(r["agency"], [])
                if r.get("child_seen") == "no":
                    run.append(r)
                    if len(run) == 3:
                        out.append(_row(r, "child_not_seen_run", f"child not seen at {len(run)} {_human(r['agency'])} contacts in a row ({run[0]['date']} to {r['date']})"))
                elif r.get("child_seen") == "yes":
                    runs[r["agency"]] = []
    df = pd.DataFrame(out, columns=MISSED_COLUMNS)
    if not df.empty:
        # several events drawn from the same passage: the passage is one candidate, on its last event
        df = df.drop_duplicates(subset=["doc_id", "rule", "evidence"], keep="last")
        df = df.drop_duplicates(subset=["doc_id", "event_id", "rule"], keep="first")
    return df.reset_index(drop=True)
