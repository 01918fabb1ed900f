"""Write a tagged corpus to a folder: CSV, Parquet, GraphML, XLSX and the HTML report.

Every file is written atomically (temporary file in the same folder, then ``os.replace``).

``cooccurrence.csv`` is a long table with a ``unit`` column (``sentence``, ``paragraph``,
``document``): one row per unit and ordered theme pair, with ``count`` (units raising
both themes; the diagonal is the number of units raising the theme) and ``jaccard``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sca.corpus import tables
from sca.corpus.atomic import atomic_path, write_atomic, write_text_atomic

if TYPE_CHECKING:  # pragma: no cover
    from sca.corpus.corpus import Corpus


def _csv(df: pd.DataFrame, path: Path) -> Path:
    return write_atomic(path, lambda p: df.to_csv(p, index=False, encoding="utf-8"))


def _parquet(df: pd.DataFrame, path: Path) -> Path:
    return write_atomic(path, lambda p: df.to_parquet(p, index=False))


def _graphml_safe(graph):
    """A copy of ``graph`` whose attributes GraphML can store (no None, lists or dates)."""
    import networkx as nx

    def clean(attrs):
        out = {}
        for k, v in attrs.items():
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, (bool, int, float, str)):
                out[str(k)] = v
            else:
                out[str(k)] = str(v)
        return out

    g = nx.MultiDiGraph() if graph.is_multigraph() and graph.is_directed() else graph.__class__()
    g.graph.update(clean(graph.graph))
    for n, a in graph.nodes(data=True):
        g.add_node(str(n), **clean(a))
    if graph.is_multigraph():
        for u, v, k, a in graph.edges(keys=True, data=True):
            g.add_edge(str(u), str(v), key=k, **clean(a))
    else:
        for u, v, a in graph.edges(data=True):
            g.add_edge(str(u), str(v), **clean(a))
    return g


def safe_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id)[:150] or "review"


def write_graphs(corpus: "Corpus", folder: Path) -> list[Path]:
    """One GraphML file per review read successfully; [] when the graph module is missing."""
    try:
        import networkx as nx

        import sca

        build = sca.contact_graph
    except Exception:  # noqa: BLE001 - graphs are optional when sca.graph is absent
        return []
    try:
        from sca.graph.export import write_graph

        def writer(g, p):
            write_graph(g, p, fmt="graphml")
    except ImportError:  # pragma: no cover - older graph module
        def writer(g, p):
            nx.write_graphml(g, p)
    written = []
    ok = corpus.documents.loc[corpus.documents["status"] == "ok", "doc_id"]
    grouped = dict(tuple(corpus.events.groupby("doc_id", sort=False))) if not corpus.events.empty else {}
    for doc_id in ok:
        ev = grouped.get(doc_id, corpus.events.iloc[0:0]).reset_index(drop=True)
        try:
            g = _graphml_safe(build(ev))
        except Exception:  # noqa: BLE001 - one bad graph must not stop the others
            continue
        path = folder / f"{safe_name(doc_id)}.graphml"
        write_atomic(path, lambda p, g=g: writer(g, p))
        written.append(path)
    return written


def write_outputs(corpus: "Corpus", out_dir: str | os.PathLike, xlsx: bool = False, report: bool = True) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    frames = {
        "documents": corpus.documents,
        "review_themes": corpus.review_themes(),
        "theme_frequencies": corpus.theme_frequencies(),
        "frequencies_by_year": corpus.by("year"),
        "frequencies_by_review_type": corpus.by("review_type"),
        "frequencies_by_board": corpus.by("board"),
        "cooccurrence": tables.cooccurrence_long(corpus.mentions, corpus.themes, corpus.documents),
        "events": corpus.events,
        "missed_opportunities": corpus.missed_opportunities,
        "errors": corpus.errors,
        "mentions": corpus.mentions,
    }
    for name, df in frames.items():
        written[f"{name}.csv"] = _csv(df, out / f"{name}.csv")
    written["mentions.parquet"] = _parquet(corpus.mentions, out / "mentions.parquet")
    graphs = write_graphs(corpus, out / "graphs")
    if graphs:
        written["graphs"] = out / "graphs"
    if xlsx:
        written["sca-tables.xlsx"] = write_xlsx(frames, out / "sca-tables.xlsx")
    if report:
        from sca.corpus.report import render_report

        html = render_report(corpus, frames, out)
        written["report.html"] = write_text_atomic(out / "report.html", html)
    return written


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """All tables in one workbook, one sheet each (sheet names cut to Excel's 31 characters)."""
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError("--xlsx needs openpyxl: pip install 'sca[xlsx]'") from exc

    def strip_illegal(df):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        obj = df.select_dtypes(include=["object", "string"]).columns
        df = df.copy()
        for c in obj:
            df[c] = df[c].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
        return df

    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in frames.items():
                strip_illegal(df).to_excel(xw, sheet_name=name[:31], index=False)
    return path
