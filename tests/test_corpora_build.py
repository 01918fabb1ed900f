"""The project's own fictional corpus (corpora/) is consistent with its generator.

These tests re-run the truth part of corpora/build.py and compare it with the committed
sidecars, check that every rendered document exists and matches its sidecar, and that
rendering is deterministic. They do not need /work/shared.
"""

from __future__ import annotations

import importlib.util
import json
import functools
import re
import sys
from pathlib import Path

import pytest

from sca.document import REVIEW_TYPES, SECTION_KINDS

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
MIN_REVIEWS = 12
MIN_PDFS = 6


def _load_build():
    spec = importlib.util.spec_from_file_location("corpora_build", CORPORA / "build.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["corpora_build"] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


build = _load_build()
SOURCES = sorted((CORPORA / "source").glob("*.md"))
IDS = [p.stem for p in SOURCES]
PDF_IDS = [p.stem for p in SOURCES if build.parse_source(p).fmt == "pdf"]


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def parsed():
    return {p.stem: build.parse_source(p) for p in SOURCES}


def test_corpus_size_and_formats(parsed):
    assert len(IDS) >= MIN_REVIEWS
    assert len(set(IDS)) == len(IDS)
    formats = [s.fmt for s in parsed.values()]
    assert formats.count("pdf") >= MIN_PDFS
    assert {"pdf", "docx", "html", "txt"} <= set(formats)
    types = {s.meta["review_type"] for s in parsed.values()}
    assert "guidance" in types and ({"SAR", "DHR"} & types) and "CPR" in types


@pytest.mark.parametrize("sid", IDS)
def test_truth_reproduces(parsed, sid):
    src = parsed[sid]
    truth, events = build.build_truth(src)
    committed = (CORPORA / "truth" / f"{sid}.json").read_text(encoding="utf-8")
    assert truth == committed, f"{sid}: truth JSON out of date; run python corpora/build.py"
    committed_ev = (CORPORA / "truth" / f"{sid}.events.jsonl").read_text(encoding="utf-8")
    assert events == committed_ev, f"{sid}: events out of date; run python corpora/build.py"


@pytest.mark.parametrize("sid", IDS)
def test_sidecar_is_valid(sid):
    t = json.loads((CORPORA / "truth" / f"{sid}.json").read_text(encoding="utf-8"))
    assert t["id"] == sid
    assert (CORPORA / t["file"]).is_file(), f"{sid}: rendered document missing"
    assert t["file"].endswith("." + t["format"])
    assert t["metadata"]["review_type"] in REVIEW_TYPES
    assert all(s["kind"] in SECTION_KINDS for s in t["sections"])
    assert t["metadata"]["title"] and t["metadata"]["board"] and t["metadata"]["year"]
    numbers = [p["number"] for p in t["paragraphs"]]
    assert len(numbers) == len(set(numbers))
    for p in t["paragraphs"]:
        assert not re.match(r"^\d+(\.\d+)+\s", p["text"]), "number left in paragraph text"
    events = [json.loads(l) for l in (CORPORA / "truth" / f"{sid}.events.jsonl").read_text().splitlines()]
    if t["metadata"]["review_type"] == "guidance":
        assert events == []
    for e in events:
        assert e["date_text"] and e["text"]
        assert isinstance(e["concern"], bool) and isinstance(e["missed_opportunity"], bool)
        assert bool(e["missed_reason"]) == e["missed_opportunity"]


def test_every_doc_has_a_source():
    docs = sorted((CORPORA / "docs").iterdir())
    assert docs, "no rendered documents"
    assert {d.stem for d in docs} == set(IDS)


def _footer_re(footer: str | None):
    if not footer:
        return None
    return re.compile("^" + re.escape(footer).replace(r"\{page\}", r"\d+").replace(r"\{pages\}", r"\d+") + "$")


@functools.lru_cache(maxsize=None)
def _pdf_lines(path: Path) -> tuple[str, ...]:
    """Text lines of a PDF in content-stream order (frame by frame, so columns stay whole).

    pypdfium2 (a pdfplumber dependency) is used rather than pdfplumber: it is fast, and it is
    independent of the reader under test.
    """
    import pypdfium2 as pdfium

    lines: list[str] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            lines += pdf[i].get_textpage().get_text_range().replace("\r", "").split("\n")
    finally:
        pdf.close()
    return tuple(lines)


def _doc_text(path: Path, header: str | None = None, footer: str | None = None, watermark: str | None = None) -> str:
    if path.suffix == ".pdf":
        foot = _footer_re(footer)
        drop = {_norm(header or ""), _norm(watermark or "")} - {""}
        return "\n".join(ln for ln in _pdf_lines(path)
                         if _norm(ln) not in drop and not (foot and foot.match(ln.strip())))
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
        return "\n".join(parts)
    if path.suffix == ".html":
        from bs4 import BeautifulSoup

        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text(" ")
    truth = json.loads((CORPORA / "truth" / f"{path.stem}.json").read_text(encoding="utf-8"))
    return path.read_text(encoding=truth.get("encoding", "utf-8"))


@pytest.mark.parametrize("sid", IDS)
def test_rendered_doc_contains_gold_paragraphs(sid):
    t = json.loads((CORPORA / "truth" / f"{sid}.json").read_text(encoding="utf-8"))
    text = _norm(_doc_text(CORPORA / t["file"], t["header_text"], t["footer_text"], t["watermark"]))
    for p in t["paragraphs"]:
        assert _norm(p["text"]) in text, f"{sid} {p['number']}: gold text not found in rendered document"
        assert p["number"] in text
    if t["format"] == "pdf":
        raw = _doc_text(CORPORA / t["file"])
        assert t["header_text"] and _norm(t["header_text"]) in _norm(raw)
        foot = _footer_re(t["footer_text"])
        assert sum(1 for ln in raw.splitlines() if foot.match(ln.strip())) >= 3


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "txt"])
def test_rendering_is_deterministic(parsed, tmp_path, fmt):
    # the shortest source of that format keeps the test quick
    sid = min((s for s in IDS if parsed[s].fmt == fmt), key=lambda s: parsed[s].path.stat().st_size)
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    build.RENDERERS[fmt](parsed[sid], a)
    build.RENDERERS[fmt](parsed[sid], b)
    assert a.read_bytes() == b.read_bytes()
    if fmt in ("html", "txt"):
        assert a.read_bytes() == (CORPORA / "docs" / f"{sid}.{fmt}").read_bytes()
    else:  # binary formats: compare content, not bytes (library versions may differ)
        assert _norm(_doc_text(a)) == _norm(_doc_text(CORPORA / "docs" / f"{sid}.{fmt}"))


def test_malformed_source_is_reported(tmp_path):
    bad = tmp_path / "zz.md"
    bad.write_text("---\nid: zz\nformat: pdf\ntitle: t\nboard: b\nreview_type: SCR\n---\n# Heading without kind\n")
    with pytest.raises(build.SourceError, match="zz.md"):
        build.parse_source(bad)


@functools.lru_cache(maxsize=None)
def _pdf_page_lines(path: Path) -> tuple[tuple[str, ...], ...]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return tuple(tuple(pdf[i].get_textpage().get_text_range().replace("\r", "").split("\n"))
                     for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize("sid", PDF_IDS)
def test_pdf_page_truth(sid):
    layout = json.loads((CORPORA / "truth" / f"{sid}.pages.json").read_text(encoding="utf-8"))
    truth = json.loads((CORPORA / "truth" / f"{sid}.json").read_text(encoding="utf-8"))
    pages = _pdf_page_lines(CORPORA / truth["file"])
    assert layout["pages"] == len(pages)
    assert set(layout["paragraph_pages"]) == {p["number"] for p in truth["paragraphs"]}
    for number, page in layout["paragraph_pages"].items():
        assert any(ln.startswith(number + " ") for ln in pages[page - 1]), f"{sid}: {number} not on page {page}"
    for heading, page in layout["heading_pages"].items():
        assert any(_norm(heading).startswith(_norm(ln)) and ln.strip() for ln in pages[page - 1]), (sid, heading)
