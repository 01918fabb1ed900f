"""A self-contained ``report.html`` for a tagged corpus.

Figures are drawn with matplotlib and embedded as base64 PNG, so the file can be
mailed or archived on its own.  Evidence links point at the source files (relative
to the output folder, ``#page=N`` for PDFs) with their page and paragraph.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from sca.corpus.corpus import Corpus

#: How many per-review timelines and evidence rows the report shows (the CSVs hold all).
MAX_TIMELINES = 40
MAX_EVIDENCE_ROWS = 1500
FAMILY_COLOURS = {"practice": "#1f5f8b", "context": "#b5651d"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1150px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f2f2f2;text-align:left}td.n{text-align:right}img{max-width:100%}
.note{color:#555;font-size:.9em}details{margin:.4em 0}summary{cursor:pointer}
.ev{max-width:560px}.err{color:#a00}
"""


def _fig_png(fig) -> str:
    buf = io.BytesIO()
    try:
        fig.tight_layout()
    except Exception:  # noqa: BLE001 - layout is cosmetic
        pass
    fig.savefig(buf, format="png", dpi=90, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _img(src: str | None, alt: str) -> str:
    if not src:
        return f'<p class="note">({html.escape(alt)}: nothing to draw.)</p>'
    return f'<img src="{src}" alt="{html.escape(alt)}">'


def _subplots(figsize):
    from sca.graph.plot import new_figure

    return new_figure(figsize)


def prevalence_chart(freq: pd.DataFrame) -> str | None:
    if freq.empty or not freq["n_reviews"].max():
        return None
    f = freq.iloc[::-1]
    fig, ax = _subplots(figsize=(8, 0.32 * len(f) + 1))
    colours = [FAMILY_COLOURS.get(x, "#777") for x in f["family"]]
    ax.barh(f["label"].astype(str), f["pct_reviews"].astype(float), color=colours)
    ax.set_xlabel("% of reviews raising the theme")
    ax.set_xlim(0, 100)
    for fam, col in FAMILY_COLOURS.items():
        ax.bar(0, 0, color=col, label=fam)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Prevalence of themes")
    return _fig_png(fig)


def heatmap(matrix: pd.DataFrame, title: str, cbar: str, fmt: str = "{:.0f}",
            mask_diagonal: bool = False) -> str | None:
    """A shaded table; ``mask_diagonal`` greys out a square matrix's diagonal (a theme with
    itself) so that it does not set the colour scale for the pairs."""
    if matrix.empty or matrix.shape[1] == 0:
        return None
    import numpy as np

    fig, ax = _subplots(figsize=(max(5, 0.5 * matrix.shape[1] + 3), 0.32 * matrix.shape[0] + 1.5))
    values = matrix.to_numpy(dtype=float)
    if mask_diagonal and values.shape[0] == values.shape[1]:
        values = np.ma.masked_array(values, mask=np.eye(values.shape[0], dtype=bool))
    import matplotlib

    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="#dddddd")
    im = ax.imshow(values, aspect="auto", cmap=cmap)
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index], fontsize=8)
    if matrix.size <= 150:
        vmax = float(values.max() or 1)
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                v = float(matrix.iat[i, j])
                if v:
                    ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6,
                            color="white" if v > vmax * 0.6 and not (mask_diagonal and i == j) else "black")
    fig.colorbar(im, ax=ax, label=cbar)
    ax.set_title(title)
    return _fig_png(fig)


def timeline_png(events: pd.DataFrame, doc_id: str, missed: pd.DataFrame | None = None) -> str | None:
    """A review's chronology: one lane per agency, one mark per dated event."""
    if pd.to_datetime(events["date"], errors="coerce").notna().sum() == 0:
        return None
    try:  # the graph module's drawing (lanes, concerns, missed opportunities)
        from sca.graph.plot import plot_timeline

        fig = plot_timeline(events, missed, title=f"{doc_id}: agency contacts over time")
        if hasattr(fig, "savefig"):
            return _fig_png(fig)
    except Exception:  # noqa: BLE001 - fall back to the simple drawing below
        pass
    ev = events.copy()
    ev["when"] = pd.to_datetime(ev["date"], errors="coerce")
    ev = ev.dropna(subset=["when"])
    if ev.empty:
        return None
    ev["agency"] = ev["agency"].astype("string").fillna("unknown")
    agencies = sorted(ev["agency"].unique())
    fig, ax = _subplots(figsize=(9, 0.3 * len(agencies) + 1.2))
    y = ev["agency"].map({a: i for i, a in enumerate(agencies)})
    concern = ev["concern"].fillna(False).astype(bool) if "concern" in ev else False
    ax.scatter(ev["when"], y, c=["#c0392b" if c else "#1f5f8b" for c in (concern if not isinstance(concern, bool) else [False] * len(ev))], s=14)
    ax.set_yticks(range(len(agencies)), agencies, fontsize=8)
    ax.set_title(f"{doc_id}: timeline of contacts (red: concern noted)", fontsize=9)
    fig.autofmt_xdate()
    return _fig_png(fig)


def _table(df: pd.DataFrame, max_rows: int | None = None) -> str:
    if df.empty:
        return '<p class="note">(none)</p>'
    show = df if max_rows is None else df.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in show.columns)
    rows = []
    for rec in show.itertuples(index=False):
        cells = []
        for v in rec:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            txt = "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)
            cells.append(f'<td class="n">{html.escape(txt)}</td>' if num else f"<td>{html.escape(txt)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = "" if max_rows is None or len(df) <= max_rows else \
        f'<p class="note">First {max_rows} of {len(df)} rows; the CSV holds them all.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"


def _link(path: str, out: Path, page) -> str:
    try:
        rel = os.path.relpath(Path(path).resolve(), out.resolve())
    except ValueError:
        rel = str(Path(path).resolve())
    href = Path(rel).as_posix()
    if href.lower().endswith(".pdf") and page is not None and page is not pd.NA:
        href += f"#page={int(page)}"
    return html.escape(href, quote=True)


def evidence_table(mentions: pd.DataFrame, out: Path, max_rows: int = MAX_EVIDENCE_ROWS) -> str:
    if mentions.empty:
        return '<p class="note">(no theme mentions)</p>'
    rows = []
    for rec in mentions.head(max_rows).itertuples(index=False):
        r = rec._asdict()
        page = r.get("page")
        where = f"p. {page}" if page is not None and page is not pd.NA else ""
        para = r.get("para")
        if para is not None and para is not pd.NA and str(para):
            where += f", para {para}"
        link = _link(str(r.get("file") or ""), out, page)
        rows.append(
            "<tr>"
            f"<td>{html.escape(str(r['theme']))}</td>"
            f'<td><a href="{link}">{html.escape(str(r["doc_id"]))}</a></td>'
            f"<td>{html.escape(where)}</td>"
            f'<td class="ev">{html.escape(str(r.get("sentence") or ""))}</td>'
            f"<td>{html.escape(str(r.get('evidence') or ''))}</td>"
            "</tr>"
        )
    note = "" if len(mentions) <= max_rows else \
        f'<p class="note">First {max_rows} of {len(mentions)} mentions; mentions.csv holds them all.</p>'
    return ("<table><thead><tr><th>theme</th><th>review</th><th>where</th><th>sentence</th><th>evidence</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def render_report(corpus: "Corpus", frames: dict[str, pd.DataFrame], out: str | os.PathLike) -> str:
    out = Path(out)
    docs = corpus.documents
    freq = frames["theme_frequencies"]
    by_year = frames["frequencies_by_year"]
    n_ok = int((docs["status"] == "ok").sum())
    n_fail = len(docs) - n_ok
    counted = int(freq["n_reviews"].max()) if not freq.empty else 0

    parts = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>sca corpus report</title>"
             f"<style>{CSS}</style></head><body>",
             "<h1>Themes in the reviews: corpus report</h1>",
             f"<p>{len(docs)} file(s): {n_ok} tagged, {n_fail} could not be processed. "
             f"{counted} review(s) count towards prevalence (guidance documents are left out). "
             f"{len(corpus.mentions)} theme mentions, {len(corpus.events)} chronology events, "
             f"{len(corpus.missed_opportunities)} candidate missed opportunities.</p>",
             '<p class="note">A theme is counted for a review when at least one sentence raises it as a concern. '
             "Every figure comes from the CSV files next to this report.</p>"]

    parts.append("<h2>Prevalence</h2>")
    parts.append(_img(prevalence_chart(freq), "prevalence bar chart"))
    parts.append(_table(freq[["theme", "label", "family", "reviews", "pct_reviews", "mentions",
                              "mentions_per_10k_words"]]))

    parts.append("<h2>Themes by year</h2>")
    if not by_year.empty:
        mat = by_year.pivot_table(index="label", columns="year", values="pct_reviews", aggfunc="first", sort=False)
        mat = mat.reindex(index=list(freq["label"]))
        parts.append(_img(heatmap(mat.fillna(0), "% of reviews raising each theme, by year", "% of reviews"),
                          "theme by year heatmap"))
    else:
        parts.append('<p class="note">(no reviews with a known year)</p>')

    parts.append("<h2>Themes that occur together</h2>")
    for unit in ("document", "sentence"):
        mat = corpus.cooccurrence(unit=unit)
        if mat.to_numpy().sum():
            labels = dict(zip(freq["theme"], freq["label"]))
            mat = mat.rename(index=labels, columns=labels)
            parts.append(_img(heatmap(mat, f"Co-occurrence by {unit} (diagonal greyed)", f"{unit}s raising both",
                                      mask_diagonal=True),
                              f"co-occurrence heatmap ({unit})"))
        else:
            parts.append(f'<p class="note">(no co-occurrence at {unit} level)</p>')

    parts.append("<h2>Timelines</h2>")
    shown = 0
    if not corpus.events.empty:
        for doc_id, ev in corpus.events.groupby("doc_id", sort=False):
            if shown >= MAX_TIMELINES:
                parts.append(f'<p class="note">Timelines shown for the first {MAX_TIMELINES} reviews; '
                             "graphs/ holds every review's contact graph.</p>")
                break
            mo = corpus.missed_opportunities
            src = timeline_png(ev, str(doc_id), mo[mo["doc_id"] == doc_id])
            if src:
                n_mo = int((corpus.missed_opportunities["doc_id"] == doc_id).sum())
                parts.append(f"<details><summary>{html.escape(str(doc_id))}: {len(ev)} events, "
                             f"{n_mo} candidate missed opportunities</summary>{_img(src, 'timeline')}</details>")
                shown += 1
    if not shown:
        parts.append('<p class="note">(no dated chronology events)</p>')

    parts.append("<h2>Evidence</h2>")
    parts.append(evidence_table(corpus.mentions, out))

    parts.append("<h2>Files that could not be processed</h2>")
    parts.append(_table(corpus.errors))
    parts.append("</body></html>")
    return "\n".join(parts)
