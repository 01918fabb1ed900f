"""Score event extraction and missed opportunities against gold JSONL files.

Matching (the project's rule): same document, same agency, and the dates agree at
the gold precision (day: same day; month: same month; year: same year; range or
relative: within 31 days).  Matching is one-to-one and greedy, preferring a
predicted event of the same contact type, then the closest date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

FIELDS = ("contact_type", "counterpart", "child_seen", "concern")
DOC_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")


def load_gold(path: str | Path) -> pd.DataFrame:
    """Gold events of one document (one JSON object per line)."""
    path = Path(path)
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {n} is not valid JSON ({exc})") from None
    return pd.DataFrame(rows)


def _d(s) -> dt.date | None:
    if s is None or (isinstance(s, float) and pd.isna(s)) or s == "":
        return None
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def dates_agree(gold_date, gold_precision: str, pred_date) -> bool:
    g, p = _d(gold_date), _d(pred_date)
    if g is None or p is None:
        return False
    if gold_precision == "day":
        return g == p
    if gold_precision == "month":
        return (g.year, g.month) == (p.year, p.month)
    if gold_precision == "year":
        return g.year == p.year
    return abs((g - p).days) <= 31


def match_events(gold: pd.DataFrame, pred: pd.DataFrame) -> list[tuple[int, int]]:
    """One-to-one matches as (gold row position, predicted row position)."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    if gold.empty or pred.empty:
        return pairs
    pred_rows = list(pred.reset_index(drop=True).itertuples(index=False))
    cols = list(pred.columns)
    ai, di, ti = cols.index("agency"), cols.index("date"), cols.index("contact_type")
    # day-precision gold first: they are the most constrained
    order = sorted(range(len(gold)), key=lambda i: {"day": 0, "month": 1, "year": 2}.get(gold.iloc[i].get("date_precision"), 3))
    for gi in order:
        g = gold.iloc[gi]
        best, best_key = None, None
        for pi, p in enumerate(pred_rows):
            if pi in used or p[ai] != g["agency"]:
                continue
            if not dates_agree(g["date"], g.get("date_precision", "day"), p[di]):
                continue
            gd, pd_ = _d(g["date"]), _d(p[di])
            key = (p[ti] != g.get("contact_type"), abs((gd - pd_).days))
            if best_key is None or key < best_key:
                best, best_key = pi, key
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def score_document(gold: pd.DataFrame, pred: pd.DataFrame, missed: pd.DataFrame | None = None) -> dict:
    pairs = match_events(gold, pred)
    pred = pred.reset_index(drop=True)
    res = _prf(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
    res["gold"], res["pred"] = len(gold), len(pred)
    field_hits = {f: [0, 0] for f in FIELDS}
    for gi, pi in pairs:
        g, p = gold.iloc[gi], pred.iloc[pi]
        for f in FIELDS:
            if f in gold.columns and f in pred.columns:
                field_hits[f][1] += 1
                field_hits[f][0] += int(_same(g[f], p[f]))
    res["fields"] = field_hits
    # missed opportunities, event by event through the matching
    mo_ids = set(missed["event_id"]) if missed is not None and not missed.empty else set()
    gold_mo = gold["missed_opportunity"].astype(bool) if "missed_opportunity" in gold.columns else pd.Series(False, index=gold.index)
    matched_pred = {pi: gi for gi, pi in pairs}
    tp = fp = 0
    for pi, row in pred.iterrows():
        if row["event_id"] not in mo_ids:
            continue
        gi = matched_pred.get(pi)
        if gi is not None and bool(gold_mo.iloc[gi]):
            tp += 1
        else:
            fp += 1
    found_gold = {matched_pred[pi] for pi, row in pred.iterrows() if row["event_id"] in mo_ids and pi in matched_pred}
    fn = sum(1 for gi in range(len(gold)) if bool(gold_mo.iloc[gi]) and gi not in found_gold)
    res["missed"] = _prf(tp, fp, fn)
    res["pairs"] = pairs
    return res


def _same(a, b) -> bool:
    if isinstance(a, (bool,)) or isinstance(b, (bool,)):
        return bool(a) == bool(b)
    return str(a).strip().lower() == str(b).strip().lower()


def _find_doc(docs_dir: Path, doc_id: str) -> Path | None:
    for suf in DOC_SUFFIXES:
        p = docs_dir / f"{doc_id}{suf}"
        if p.exists():
            return p
    hits = [p for p in docs_dir.glob(f"{doc_id}.*") if p.is_file()]
    return hits[0] if hits else None


def evaluate_events(
    docs_dir: str | Path,
    gold_dir: str | Path,
    window_days: int = 14,
    reader: Callable | None = None,
    doc_ids: Iterable[str] | None = None,
) -> dict:
    """Read every document that has a gold file and score events and missed opportunities.

    Returns a dict: ``summary`` (micro P/R/F1 over events), ``field_accuracy`` on
    matched events, ``missed`` (missed-opportunity P/R/F1), ``per_document`` rows.
    """
    from sca.events.extract import extract_events
    from sca.events.missed import missed_opportunities

    docs_dir, gold_dir = Path(docs_dir), Path(gold_dir)
    if reader is None:
        import sca

        reader = sca.read
    gold_files = sorted(gold_dir.glob("*.jsonl"))
    if not gold_files:
        raise FileNotFoundError(f"{gold_dir}: no gold *.jsonl files")
    wanted = set(doc_ids) if doc_ids else None
    tp = fp = fn = 0
    mtp = mfp = mfn = 0
    fields = {f: [0, 0] for f in FIELDS}
    per_doc = []
    for gf in gold_files:
        doc_id = gf.name[: -len(".jsonl")]
        if doc_id.endswith(".events"):
            doc_id = doc_id[: -len(".events")]
        if wanted and doc_id not in wanted:
            continue
        doc = _find_doc(docs_dir, doc_id)
        if doc is None:
            raise FileNotFoundError(f"{docs_dir}: no document for gold file {gf.name}")
        gold = load_gold(gf)
        review = reader(str(doc))
        pred = extract_events(review)
        missed = missed_opportunities(pred, window_days=window_days)
        r = score_document(gold, pred, missed)
        tp, fp, fn = tp + r["tp"], fp + r["fp"], fn + r["fn"]
        m = r["missed"]
        mtp, mfp, mfn = mtp + m["tp"], mfp + m["fp"], mfn + m["fn"]
        for f in FIELDS:
            fields[f][0] += r["fields"][f][0]
            fields[f][1] += r["fields"][f][1]
        per_doc.append({
            "doc_id": doc_id, "gold": r["gold"], "pred": r["pred"], "precision": r["precision"],
            "recall": r["recall"], "f1": r["f1"], "missed_tp": m["tp"], "missed_fp": m["fp"], "missed_fn": m["fn"],
        })
    return {
        "summary": _prf(tp, fp, fn),
        "field_accuracy": {f: (h / n if n else None) for f, (h, n) in fields.items()},
        "missed": _prf(mtp, mfp, mfn),
        "per_document": per_doc,
        "window_days": window_days,
    }
