"""Theme-tagging accuracy against a gold JSONL file.

Gold lines hold at least ``{"text": ..., "themes": [...]}``.  Scores: precision, recall, F1
and support per theme, micro and macro averages, and the false-positive rate on units with
no gold label (the share of gold-empty units that were given any label).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from sca.errors import SCAError


class GoldFileError(SCAError):
    """A gold or label file is malformed; the message names the file and line."""


def read_label_file(path: str | Path, *, require_text: bool = True) -> list[dict[str, Any]]:
    """Read a JSONL file of ``{"text", "themes"}`` (plus optional ``unit_id``) records."""
    p = Path(path)
    if not p.is_file():
        raise GoldFileError(f"{p}: file not found")
    rows: list[dict[str, Any]] = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFileError(f"{p}:{n}: not valid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise GoldFileError(f"{p}:{n}: each line must be a JSON object")
            if require_text and not isinstance(rec.get("text"), str):
                raise GoldFileError(f"{p}:{n}: missing 'text' string")
            themes = rec.get("themes")
            if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
                raise GoldFileError(f"{p}:{n}: 'themes' must be a list of theme ids")
            rows.append(rec)
    if not rows:
        raise GoldFileError(f"{p}: no records")
    return rows


def score_labels(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], themes: Sequence[str] | None = None) -> dict[str, Any]:
    """Compare predicted with gold label sets (same order).  Returns a dict of results.

    ``per_theme`` is a DataFrame (theme, precision, recall, f1, support, predicted, tp, fp, fn).
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold units but {len(pred)} predictions")
    if themes is None:
        themes = sorted({t for g in gold for t in g} | {t for p in pred for t in p})
    rows = []
    TP = FP = FN = 0
    for t in themes:
        tp = sum(1 for g, p in zip(gold, pred) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred) if t in g and t not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append({"theme": t, "precision": prec, "recall": rec, "f1": f1, "support": tp + fn,
                     "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn})
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    per = pd.DataFrame(rows, columns=["theme", "precision", "recall", "f1", "support", "predicted", "tp", "fp", "fn"])
    with_support = per[per["support"] > 0]
    micro_p = TP / (TP + FP) if TP + FP else 0.0
    micro_r = TP / (TP + FN) if TP + FN else 0.0
    micro_f = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    empty = [i for i, g in enumerate(gold) if not g]
    fp_units = sum(1 for i in empty if pred[i])
    return {
        "units": len(gold),
        "gold_empty_units": len(empty),
        "false_positive_rate": fp_units / len(empty) if empty else 0.0,
        "false_positive_units": fp_units,
        "micro": {"precision": micro_p, "recall": micro_r, "f1": micro_f},
        "macro": {
            "precision": float(with_support["precision"].mean()) if len(with_support) else 0.0,
            "recall": float(with_support["recall"].mean()) if len(with_support) else 0.0,
            "f1": float(with_support["f1"].mean()) if len(with_support) else 0.0,
        },
        "per_theme": per,
    }


def section_kinds_from_documents(rows: Sequence[dict[str, Any]], docs_dir: str | Path) -> list[str | None]:
    """Section kind of each gold unit as the parsed document has it (``sca.read`` of
    ``DOCS/<doc_id>.*``): a sub-heading takes the kind the structure gives it, inherited from its
    chapter ("Learning point 2" under "Findings" is findings), as in ``sca tag``. A unit whose
    document or heading is not found falls back to the kind of its own heading.
    """
    from sca.ingest import read
    from sca.structure.sections import classify_heading

    d = Path(docs_dir)
    if not d.is_dir():
        raise GoldFileError(f"{d}: not a folder of documents")
    by_doc: dict[str, dict[str, str]] = {}
    for doc_id in sorted({str(r.get("doc_id")) for r in rows if r.get("doc_id")}):
        files = sorted(f for f in d.glob(f"{doc_id}.*") if f.is_file())
        if not files:
            raise GoldFileError(f"{d}: no document named {doc_id}.* for the gold units of {doc_id!r}")
        review = read(files[0])
        kinds: dict[str, str] = {}
        for section in review.sections:
            kinds.setdefault((section.heading or "").strip().lower(), section.kind)
            for para in section.paragraphs:
                kinds.setdefault((para.section or section.heading or "").strip().lower(), section.kind)
        by_doc[doc_id] = kinds
    out: list[str | None] = []
    for r in rows:
        heading = (r.get("section") or "").strip()
        kind = by_doc.get(str(r.get("doc_id")), {}).get(heading.lower())
        out.append(kind if kind is not None else (classify_heading(heading, standalone=True) if heading else None))
    return out


def find_documents(gold_path: str | Path, rows: Sequence[dict[str, Any]]) -> Path | None:
    """The ``docs/`` folder beside a gold file when it holds a document (``<doc_id>.*``) for every
    doc_id of the gold units; None otherwise."""
    d = Path(gold_path).parent / "docs"
    ids = {str(r.get("doc_id")) for r in rows if r.get("doc_id")}
    if not ids or not d.is_dir():
        return None
    names = {f.name.split(".", 1)[0] for f in d.iterdir() if f.is_file()}
    return d if ids <= names else None


def evaluate_themes(gold_path: str | Path, method: str = "rules", *, codebook: Any = None, model: Any = None,
                    tagger: Any = None, docs: str | Path | None = "auto") -> dict[str, Any]:
    """Tag every gold unit's text with ``method`` and score it (see :func:`score_labels`).

    Units with a paragraph number (``para``) get a paragraph id of (doc_id, section, para), and
    units get a section kind, as ``ThemeTagger.tag`` has them from a review's structure (see
    ``ThemeTagger.predict``). Section kinds come from the units' documents when they can be read,
    as ``sca tag`` sees them (see :func:`section_kinds_from_documents`): ``docs`` names the folder
    holding ``<doc_id>.pdf|docx|html|txt``; the default "auto" uses a ``docs/`` folder beside the
    gold file when it holds every document (:func:`find_documents`). Otherwise (``docs=None``, or
    no documents) each unit's kind comes from its own ``section`` heading, which loses the chapter
    a sub-heading sits in ("Poverty and neglect" under "Findings"). ``result["section_kinds_from"]``
    says which was used.
    """
    from sca.themes.tagger import ThemeTagger

    rows = read_label_file(gold_path)
    if isinstance(docs, str) and docs == "auto":
        docs = find_documents(gold_path, rows)
    if tagger is None:
        tagger = ThemeTagger(method=method, codebook=codebook, model=model)
    ids = list(tagger.codebook_.ids)
    unknown = sorted({t for r in rows for t in r["themes"]} - set(ids))
    if unknown:
        raise GoldFileError(f"{gold_path}: theme id(s) not in the codebook: {unknown}")
    # Section kinds from the gold units' headings (when the file has them), as tag() has them
    # from a review's structure: the hybrid opens its gate in its open sections (findings,
    # recommendations) and gives nothing in skipped ones (methodology, glossary ...).
    kinds = None
    if docs is not None:
        kinds = section_kinds_from_documents(rows, docs)
    elif any(r.get("section") for r in rows):
        from sca.structure.sections import classify_heading

        kinds = [classify_heading(r.get("section") or "", standalone=True) if r.get("section") else None for r in rows]
    paragraphs = None
    if any(r.get("para") for r in rows):
        paragraphs = [(r.get("doc_id"), r.get("section"), str(r["para"])) if r.get("para") else None for r in rows]
    texts = [r["text"] for r in rows]
    if isinstance(tagger, ThemeTagger):
        pred = tagger.predict(texts, section_kinds=kinds, paragraphs=paragraphs)
    else:
        pred = tagger.predict(texts)
    result = score_labels([r["themes"] for r in rows], pred, ids)
    result["method"] = tagger.method_
    result["gold"] = str(gold_path)
    result["codebook_version"] = tagger.codebook_.version
    result["section_kinds_from"] = f"documents ({docs})" if docs is not None else "gold headings"
    return result


def result_to_json(result: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in result.items() if k != "per_theme"}
    out["per_theme"] = {
        r["theme"]: {k: (round(v, 4) if isinstance(v, float) else int(v)) for k, v in r.items() if k != "theme"}
        for r in result["per_theme"].to_dict("records")
    }
    for k in ("micro", "macro"):
        out[k] = {kk: round(vv, 4) for kk, vv in out[k].items()}
    out["false_positive_rate"] = round(out["false_positive_rate"], 4)
    return out


def format_result(result: dict[str, Any]) -> str:
    """A plain-text table of the result."""
    per = result["per_theme"]
    lines = [f"{'theme':<28}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}{'predicted':>11}"]
    for r in per.to_dict("records"):
        lines.append(f"{r['theme']:<28}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['f1']:>7.3f}{r['support']:>9d}{r['predicted']:>11d}")
    lines.append("-" * 73)
    for k in ("micro", "macro"):
        m = result[k]
        lines.append(f"{k + ' average':<28}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}")
    lines.append(
        f"false-positive rate on units with no gold label: {result['false_positive_rate']:.3f} "
        f"({result['false_positive_units']} of {result['gold_empty_units']})"
    )
    lines.append(f"units: {result['units']}" + (f"   method: {result['method']}" if "method" in result else "")
                 + (f"   section kinds from: {result['section_kinds_from']}" if "section_kinds_from" in result else ""))
    return "\n".join(lines)
