"""Pictures: a timeline with one lane per agency, and a drawing of the contact network.

Figures are built as ``matplotlib.figure.Figure`` objects without pyplot, so the library
never changes the backend of the caller's session (Jupyter shows a returned figure inline,
worker processes need no display); the file type follows the suffix of ``path`` (.png or .svg).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from sca.graph.build import FAMILY_ROLES


def new_figure(figsize):
    """A figure and its axes without pyplot: no backend is chosen or changed."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()

_MARKERS = {
    "contact": dict(marker="o", color="#4c72b0", s=28, label="contact"),
    "concern": dict(marker="o", color="#dd8452", s=40, label="concern"),
    "missed_appointment": dict(marker="x", color="#c44e52", s=50, label="missed appointment"),
    "missed_opportunity": dict(marker="*", color="#8b0000", s=140, label="candidate missed opportunity"),
}


def _save(fig, path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{path}: pictures are written as .png or .svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150 if path.suffix.lower() == ".png" else None, bbox_inches="tight")
    return path


def plot_timeline(events: pd.DataFrame, missed: pd.DataFrame | None = None, path=None, title: str | None = None):
    """One lane per agency, a marker per dated event; concerns, missed appointments and
    candidate missed opportunities marked. Returns the path written, or the figure if ``path`` is None."""
    e = events.assign(when=pd.to_datetime(events["date"], errors="coerce")).dropna(subset=["when"])
    agencies = list(e.groupby("agency")["when"].min().sort_values().index)
    fig, ax = new_figure(figsize=(11, 0.45 * max(len(agencies), 3) + 1.6))
    lane = {a: i for i, a in enumerate(agencies)}
    mo_ids = set(missed["event_id"]) if missed is not None and not missed.empty else set()
    groups = {
        "contact": e[~e["concern"].astype(bool) & (e["contact_type"] != "missed_appointment")],
        "concern": e[e["concern"].astype(bool) & (e["contact_type"] != "missed_appointment")],
        "missed_appointment": e[e["contact_type"] == "missed_appointment"],
        "missed_opportunity": e[e["event_id"].isin(mo_ids)],
    }
    for name, sub in groups.items():
        if len(sub):
            ax.scatter(sub["when"], [lane[a] for a in sub["agency"]], zorder=3, **_MARKERS[name])
    ax.set_yticks(range(len(agencies)))
    ax.set_yticklabels([a.replace("_", " ") for a in agencies])
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date")
    doc = ", ".join(sorted({str(d) for d in events.get("doc_id", [])}))
    ax.set_title(title or f"Agency contacts over time{f' ({doc})' if doc else ''}")
    if len(e):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False, fontsize=8)
    fig.autofmt_xdate()
    return _save(fig, path) if path else fig


def plot_network(graph: nx.MultiDiGraph, path=None, title: str | None = None):
    """Agencies and family members, edge width = number of contacts, red edges = concerns."""
    simple = nx.DiGraph()
    for n, d in graph.nodes(data=True):
        simple.add_node(n, **d)
    for u, v, d in graph.edges(data=True):
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
            simple[u][v]["concerns"] += int(bool(d.get("concern")))
        else:
            simple.add_edge(u, v, weight=1, concerns=int(bool(d.get("concern"))))
    fig, ax = new_figure(figsize=(9, 7))
    if simple.number_of_nodes():
        family = [n for n in simple if n in FAMILY_ROLES]
        pos = nx.shell_layout(simple, nlist=[family, [n for n in simple if n not in FAMILY_ROLES]] if family else None)
        sizes = [200 + 60 * simple.nodes[n].get("contacts", 1) for n in simple]
        colours = ["#f2c14e" if n in FAMILY_ROLES else "#7fb3d5" for n in simple]
        nx.draw_networkx_nodes(simple, pos, node_size=sizes, node_color=colours, ax=ax, edgecolors="#333333")
        widths = [0.6 + 0.6 * d["weight"] for _, _, d in simple.edges(data=True)]
        ecol = ["#c44e52" if d["concerns"] else "#888888" for _, _, d in simple.edges(data=True)]
        nx.draw_networkx_edges(simple, pos, width=widths, edge_color=ecol, ax=ax, arrows=True, arrowsize=12,
                               connectionstyle="arc3,rad=0.08", node_size=sizes)
        nx.draw_networkx_labels(simple, pos, labels={n: n.replace("_", "\n") for n in simple}, font_size=7, ax=ax)
    ax.set_title(title or "Agency-contact network (edge width = contacts; red = concern recorded)")
    ax.axis("off")
    return _save(fig, path) if path else fig
