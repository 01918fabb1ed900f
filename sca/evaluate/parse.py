"""How well reviews are read: numbered paragraphs, header/footer leaks, metadata, hostile files.

Gold comes in the evaluation layout::

    docs/<id>.<pdf|docx|html|txt>   the document as received
    source/<id>.md                  the author's source: numbered paragraphs "4.12 text"
    meta/<id>.json                  title, board, review_type, child_code, author, year_published,
                                    header_text, footer_text ("Page {page} of {pages}")
    broken/expected.json            {"file": "error" | "ok"}

>>> result = evaluate_parse("docs", "source", "meta")       # doctest: +SKIP
>>> result["summary"]                                        # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

from sca.errors import ReadError
from sca.structure.text import normalise

_GOLD_NUM = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,3}|\d{1,2}-\d{1,3})\.?\s+(\S.*)$")
_CODE = re.compile(r"\b(?:Child|Baby|Infant|Young Person|Sibling)\s+(?:[A-Z]{1,3}\d{0,2}|\d{1,2})\b|\bAB\d{1,2}\b")
TYPE_ALIASES = {"cpr-wales": "CPR", "cpr_wales": "CPR", "child practice review": "CPR", "learning brief": "learning_brief"}
META_FIELDS = ("title", "board", "review_type", "child_code", "author", "year")


def text_key(text: str) -> str:
    """Comparison form of paragraph text: NFKC, straight quotes, dashes unified, single spaces."""
    t = normalise(text)
    t = re.sub(r"[\u2010-\u2015\u2212]", "-", t)
    t = t.replace("…", "...")
    t = re.sub(r"\s+([,.;:!?)])", r"\1", t)
    return t.strip()


def gold_numbered(source_md: str | Path) -> list[tuple[str, str]]:
    out = []
    for line in Path(source_md).read_text(encoding="utf-8").splitlines():
        m = _GOLD_NUM.match(line.strip())
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def gold_paragraphs(source_md: str | Path) -> list[str]:
    """Every body paragraph and bullet of a source (numbers and bullet marks removed);
    headings, pipe tables and contents entries ("Introduction ..... 3") left out."""
    out = []
    for block in re.split(r"\n\s*\n", Path(source_md).read_text(encoding="utf-8")):
        b = block.strip()
        if not b or b.startswith(("#", "|")):
            continue
        for line in b.split("\n"):
            line = line.strip()
            if not line or re.search(r"\.{3,}\s*\d{1,3}$", line) or re.fullmatch(r"(table of )?contents", line, re.I):
                continue
            line = _GOLD_NUM.sub(r"\2", line)
            line = re.sub(r"^[-*+]\s+", "", line)
            out.append(line)
    return out


def _find_doc(docs: Path, doc_id: str) -> Path | None:
    for ext in (".pdf", ".docx", ".html", ".htm", ".txt", ".md"):
        p = docs / f"{doc_id}{ext}"
        if p.exists():
            return p
    return None


def _pattern(template: str | None) -> re.Pattern | None:
    if not template:
        return None
    parts = re.split(r"(\{page\}|\{pages\})", text_key(template))
    rx = "".join(r"\d+" if p in ("{page}", "{pages}") else re.escape(p) for p in parts)
    # a footer that is only a page number cannot be told apart from numbers in the text
    if not re.sub(r"\\d\+|\W|\\", "", rx):
        return None
    return re.compile(rx)


def _codes(value) -> set[str]:
    if not value:
        return set()
    text = value if isinstance(value, str) else "; ".join(value)
    found = {normalise(c) for c in _CODE.findall(text)}
    if not found:
        found = {normalise(x).strip("\"'“”").lower() for x in re.split(r";|,| and ", text) if x.strip()}
    return found


def _similar(a: str | None, b: str | None, threshold: float = 0.85) -> bool:
    if not a or not b:
        return False
    a, b = text_key(a).lower(), text_key(b).lower()
    a, b = re.sub(r"[^\w ]", " ", a), re.sub(r"[^\w ]", " ", b)
    a, b = " ".join(a.split()), " ".join(b.split())
    return a == b or SequenceMatcher(None, a, b).ratio() >= threshold


def _names_within(pred: str, gold: str) -> bool:
    """Every capitalised name word of the prediction (at least two) occurs in the gold author
    ("Priya Nandakumar" within "Priya Nandakumar (independent reviewer) with the review group")."""
    names = [w for w in re.findall(r"[A-Za-z][\w'-]+", pred) if w[:1].isupper() and w.lower() not in ("and", "dr")]
    gold_words = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]+", gold)}
    return len(names) >= 2 and all(w.lower() in gold_words for w in names)


def metadata_matches(pred, gold: dict) -> dict[str, bool | None]:
    """Field -> right?  None when the gold has no value for that field."""
    out: dict[str, bool | None] = {}
    out["title"] = _similar(pred.title, gold.get("title"))
    gb, pb = gold.get("board"), pred.board
    out["board"] = bool(pb) and normalise(pb).lower() == normalise(gb or "").lower() if gb else None
    gt = gold.get("review_type")
    gt = TYPE_ALIASES.get(str(gt).lower(), gt) if gt else gt
    out["review_type"] = (pred.review_type == gt) if gt else None
    gc = gold.get("child_code")
    out["child_code"] = (_codes(pred.child_code) == _codes(gc)) if gc else (pred.child_code in (None, ""))
    ga, pa = gold.get("author"), pred.author
    if ga:
        na, npred = text_key(ga).lower(), text_key(pa or "").lower()
        out["author"] = bool(npred) and (na == npred or _similar(na, npred, 0.8) or _names_within(pa or "", ga))
    else:
        out["author"] = None
    gy = gold.get("year_published", gold.get("year"))
    out["year"] = (pred.year == gy) if gy else None
    return out


def evaluate_document(doc: Path, source: Path | None, meta: dict | None, review=None, **read_opts) -> dict:
    """Score one document; returns counts and per-paragraph misses."""
    from sca.ingest import read

    review = review if review is not None else read(doc, **read_opts)
    paras = review.paragraphs
    res: dict = {"doc_id": doc.stem, "format": review.metadata.format, "pages": review.metadata.pages}
    if source is not None and source.exists():
        gold = gold_numbered(source)
        by_num: dict[str, list[str]] = {}
        for p in paras:
            if p.number:
                by_num.setdefault(p.number, []).append(text_key(p.text))
        hit, misses = 0, []
        for num, text in gold:
            if text_key(text) in by_num.get(num, []):
                hit += 1
            else:
                got = by_num.get(num)
                misses.append({"number": num, "gold": text[:120], "got": (got[0][:120] if got else None)})
        res.update(gold_numbered=len(gold), recovered=hit, misses=misses)
        texts = {text_key(p.text) for p in paras} | {text_key(s.heading) for s in review.sections}
        allp = gold_paragraphs(source)
        res.update(gold_paragraphs=len(allp), paragraphs_recovered=sum(1 for t in allp if text_key(t) in texts))
    leaks = []
    if meta:
        pats = [p for p in (_pattern(meta.get("header_text")), _pattern(meta.get("footer_text"))) if p is not None]
        for p in paras:
            t = text_key(p.text)
            if any(rx.search(t) for rx in pats):
                leaks.append({"index": p.index, "page": p.page, "text": p.text[:120]})
        res["metadata"] = metadata_matches(review.metadata, meta)
        res["predicted"] = {f: getattr(review.metadata, f) for f in META_FIELDS}
    res["leaks"] = leaks
    return res


def evaluate_broken(folder: str | Path, **read_opts) -> pd.DataFrame:
    """Read every file listed in expected.json; a row per file with expected/actual outcome."""
    from sca.ingest import read

    folder = Path(folder)
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    rows = []
    for name, want in sorted(expected.items()):
        path = folder / name
        try:
            review = read(path, **read_opts)
            got, reason, message = "ok", "", f"{len(review.paragraphs)} paragraphs"
        except ReadError as exc:
            got, reason, message = "error", exc.reason, str(exc)
        except Exception as exc:  # a crash is a failure, not a clear report
            got, reason, message = "crash", type(exc).__name__, str(exc)
        rows.append({"file": name, "expected": want, "got": got, "reason": reason, "ok": got == want, "message": message})
    return pd.DataFrame(rows, columns=["file", "expected", "got", "reason", "ok", "message"])


def evaluate_parse(docs: str | Path, source: str | Path | None = None, meta: str | Path | None = None,
                   broken: str | Path | None = None, **read_opts) -> dict:
    """Run every parse check. Returns {"documents": DataFrame, "metadata": DataFrame,
    "misses": DataFrame, "leaks": DataFrame, "broken": DataFrame|None, "summary": dict}."""
    docs = Path(docs)
    source = Path(source) if source else None
    meta_dir = Path(meta) if meta else None
    ids = sorted({p.stem for p in docs.iterdir() if p.is_file() and not p.name.startswith(".")})
    doc_rows, meta_rows, miss_rows, leak_rows = [], [], [], []
    for doc_id in ids:
        doc = _find_doc(docs, doc_id)
        if doc is None:
            continue
        src = source / f"{doc_id}.md" if source else None
        m = None
        if meta_dir and (meta_dir / f"{doc_id}.json").exists():
            m = json.loads((meta_dir / f"{doc_id}.json").read_text(encoding="utf-8"))
        try:
            r = evaluate_document(doc, src, m, **read_opts)
        except ReadError as exc:
            doc_rows.append({"doc_id": doc_id, "error": str(exc)})
            continue
        doc_rows.append({"doc_id": doc_id, "format": r["format"], "pages": r["pages"],
                         "gold_numbered": r.get("gold_numbered", 0), "recovered": r.get("recovered", 0),
                         "gold_paragraphs": r.get("gold_paragraphs", 0), "paragraphs_recovered": r.get("paragraphs_recovered", 0),
                         "leaks": len(r["leaks"])})
        for x in r.get("misses", []):
            miss_rows.append({"doc_id": doc_id, **x})
        for x in r["leaks"]:
            leak_rows.append({"doc_id": doc_id, **x})
        if "metadata" in r:
            for f, ok in r["metadata"].items():
                meta_rows.append({"doc_id": doc_id, "field": f, "right": ok, "predicted": r["predicted"].get(f),
                                  "gold": (m.get("year_published") if f == "year" else m.get(f))})
    documents = pd.DataFrame(doc_rows)
    metadata = pd.DataFrame(meta_rows, columns=["doc_id", "field", "right", "predicted", "gold"])
    summary: dict = {}
    if not documents.empty and "gold_numbered" in documents:
        g = int(documents["gold_numbered"].fillna(0).sum())
        summary["numbered_gold"] = g
        summary["numbered_recovered"] = int(documents["recovered"].fillna(0).sum())
        summary["numbered_share"] = round(summary["numbered_recovered"] / g, 4) if g else None
        ga = int(documents["gold_paragraphs"].fillna(0).sum())
        summary["all_paragraphs_share"] = round(int(documents["paragraphs_recovered"].fillna(0).sum()) / ga, 4) if ga else None
        summary["leaks"] = int(documents["leaks"].fillna(0).sum())
        summary["documents"] = int(len(documents))
        summary["read_errors"] = int(documents.get("error", pd.Series(dtype=object)).notna().sum())
    if not metadata.empty:
        scored = metadata[metadata["right"].notna()]
        summary["metadata_right"] = int(scored["right"].astype(bool).sum())
        summary["metadata_scored"] = int(len(scored))
        summary["metadata_by_field"] = {f: f"{int(g['right'].astype(bool).sum())}/{len(g)}"
                                        for f, g in scored.groupby("field", sort=False)}
    broken_df = None
    if broken:
        broken_df = evaluate_broken(broken, **read_opts)
        summary["broken_as_expected"] = f"{int(broken_df['ok'].sum())}/{len(broken_df)}"
    return {"documents": documents, "metadata": metadata, "misses": pd.DataFrame(miss_rows),
            "leaks": pd.DataFrame(leak_rows), "broken": broken_df, "summary": summary}


# ---------------------------------------------------------------- project corpus sidecars
def evaluate_sidecar(doc: str | Path, truth: dict, review=None, **read_opts) -> dict:
    """Score one document against a corpora/truth/<id>.json sidecar.

    Sidecar keys used: metadata{title, board, review_type, child_code, author, year},
    header_text, footer_text, sections[{heading, kind}], paragraphs[{number, text}], tables (count).
    """
    from sca.ingest import read

    review = review if review is not None else read(doc, **read_opts)
    by_num: dict[str, list[str]] = {}
    for p in review.paragraphs:
        if p.number:
            by_num.setdefault(p.number, []).append(text_key(p.text))
    gold_paras = [p for p in truth.get("paragraphs", []) if p.get("number")]
    misses = [p for p in gold_paras if text_key(p["text"]) not in by_num.get(p["number"], [])]
    pred_sections = {text_key(s.heading).lower(): s for s in review.sections}
    gold_sections = truth.get("sections", [])
    found, kind_right, wrong = 0, 0, []
    for s in gold_sections:
        ps = pred_sections.get(text_key(s["heading"]).lower())
        if ps is None and s.get("kind") == "cover":
            ps = next((x for x in review.sections if x.kind == "cover"), None)
        if ps is None:
            wrong.append({"heading": s["heading"], "gold": s.get("kind"), "got": None})
            continue
        found += 1
        if ps.kind == s.get("kind"):
            kind_right += 1
        else:
            wrong.append({"heading": s["heading"], "gold": s.get("kind"), "got": ps.kind})
    meta = dict(truth.get("metadata", {}))
    meta["header_text"] = truth.get("header_text")
    meta["footer_text"] = truth.get("footer_text")
    leaks = evaluate_document(Path(doc), None, meta, review=review)
    return {
        "doc_id": Path(doc).stem,
        "numbered_gold": len(gold_paras),
        "numbered_recovered": len(gold_paras) - len(misses),
        "misses": misses,
        "sections_gold": len(gold_sections),
        "sections_found": found,
        "kinds_right": kind_right,
        "kind_errors": wrong,
        "leaks": leaks["leaks"],
        "metadata": leaks["metadata"],
        "predicted": leaks["predicted"],
        "tables_gold": truth.get("tables"),
        "tables_found": len(review.tables),
    }


# ---------------------------------------------------------------- speed
def benchmark_read(files, repeat: int = 1) -> pd.DataFrame:
    """Seconds per PDF for bare pdfplumber ``extract_text`` (pages closed as we go) and for
    :func:`sca.read`; a measurement helper, not a test (shared machines are noisy: compare ratios)."""
    import time

    import pdfplumber

    from sca.ingest import read

    rows = []
    for f in files:
        f = Path(f)
        if f.suffix.lower() != ".pdf":
            continue
        bare = ours = float("inf")
        pages = 0
        for _ in range(max(1, repeat)):
            t = time.perf_counter()
            with pdfplumber.open(f) as pdf:
                pages = len(pdf.pages)
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
            bare = min(bare, time.perf_counter() - t)
            t = time.perf_counter()
            read(f)
            ours = min(ours, time.perf_counter() - t)
        rows.append({"file": f.name, "pages": pages, "pdfplumber_s": round(bare, 3), "sca_read_s": round(ours, 3),
                     "ratio": round(ours / bare, 2) if bare else None})
    return pd.DataFrame(rows, columns=["file", "pages", "pdfplumber_s", "sca_read_s", "ratio"])
