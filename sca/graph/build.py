"""The agency-contact graph: agencies and family members as nodes, contacts as edges."""

from __future__ import annotations

import networkx as nx
import pandas as pd

FAMILY_ROLES = ("child", "mother", "father", "partner", "sibling", "grandparent", "other_family")
EDGE_KINDS = {"referral": "referral", "information_shared": "information_shared"}


def node_kind(node_id: str) -> str:
    return "family" if node_id in FAMILY_ROLES else "agency"


def _label(node_id: str) -> str:
    try:
        from sca.events.gazetteer import default_gazetteer

        entry = default_gazetteer().agencies.get(node_id)
        if entry:
            return str(entry.get("label") or node_id)
    except Exception:  # noqa: BLE001 - a label is cosmetic
        pass
    return node_id.replace("_", " ").capitalize()


def contact_graph(events: pd.DataFrame) -> nx.MultiDiGraph:
    """Build a ``networkx.MultiDiGraph`` from the events of one or more reviews.

    Nodes: every agency and family member named in ``events`` with attributes
    ``kind`` ("agency"/"family"), ``label``, ``contacts`` (events it took part
    in), ``concerns`` (of those, how many recorded a concern), ``first_date`` and
    ``last_date``.  Edges run from the acting agency to its counterpart, one per
    event, keyed by event id, with attributes ``kind`` ("contact", "referral" or
    "information_shared"), ``date``, ``date_precision``, ``contact_type``,
    ``child_seen``, ``concern``, ``doc_id``, ``page``, ``para`` and ``evidence``.
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError("contact_graph expects the DataFrame returned by extract_events")
    g = nx.MultiDiGraph()
    g.graph["doc_ids"] = sorted({str(d) for d in events.get("doc_id", pd.Series(dtype=str)).dropna()})
    g.graph["events"] = int(len(events))
    for ev in events.to_dict("records"):
        a, c = ev.get("agency"), ev.get("counterpart")
        if not a or pd.isna(a):
            continue
        if not c or (isinstance(c, float) and pd.isna(c)):
            c = "child"
        for n in (a, c):
            if n not in g:
                g.add_node(n, kind=node_kind(n), label=_label(n), contacts=0, concerns=0, first_date=None, last_date=None)
            nd = g.nodes[n]
            nd["contacts"] += 1
            nd["concerns"] += int(bool(ev.get("concern")))
            d = ev.get("date")
            if isinstance(d, str) and d:
                nd["first_date"] = d if not nd["first_date"] or d < nd["first_date"] else nd["first_date"]
                nd["last_date"] = d if not nd["last_date"] or d > nd["last_date"] else nd["last_date"]
        ctype = ev.get("contact_type") or "other"
        key = f"{ev.get('doc_id', '')}:{ev.get('event_id', '')}"
        g.add_edge(
            a, c, key=key,
            kind=EDGE_KINDS.get(ctype, "contact"),
            date=ev.get("date"), date_precision=ev.get("date_precision"), contact_type=ctype,
            child_seen=ev.get("child_seen"), concern=bool(ev.get("concern")),
            doc_id=ev.get("doc_id"), event_id=ev.get("event_id"), page=ev.get("page"), para=ev.get("para"),
            evidence=ev.get("sentence"),
        )
    return g
