"""The pdfium PDF engine gives the same review as the pdfplumber engine, refuses the same files,
keeps two-column pages in reading order and leaves real compounds hyphenated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sca
from sca.errors import ReadError

from fixtures_broken import make_hostile_set, make_pdf

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _outline(review):
    return [(p.page, p.number, p.section, p.text) for p in review.paragraphs if p.kind != "bullet"]


def _numbers(review):
    return [p.number for p in review.paragraphs if p.number]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_pdfium")
    return folder, make_hostile_set(folder)


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="pdf_engine"):
        sca.read(make_pdf(tmp_path / "a.pdf"), pdf_engine="pdfminer")


def test_both_engines_agree_on_a_generated_review(tmp_path):
    pdf = make_pdf(tmp_path / "review.pdf", footnote=True)
    a = sca.read(pdf, pdf_engine="pdfplumber")
    b = sca.read(pdf, pdf_engine="pdfium")
    assert _numbers(b) == [f"{s}.{i}" for s in (1, 2, 3) for i in range(1, 6)]
    assert _outline(a) == _outline(b)
    assert [s.heading for s in a.sections] == [s.heading for s in b.sections]
    assert [t.rows for t in a.tables] == [t.rows for t in b.tables] and len(b.tables) == 1
    assert ["12/03/2021", "Health visiting", "Home visit; child seen"] in b.tables[0].rows
    # running header and footer are gone, and no table cell leaks into the text
    text = " ".join(p.text for p in b.paragraphs if p.kind != "table_row")
    assert "Page 2 of 4" not in text and "Domestic abuse incident reported" not in text
    assert b.metadata.board == a.metadata.board


CORPUS_PDFS = [p for p in (CORPORA / "docs" / f"{n}.pdf" for n in ("c01", "c03", "c06", "c12")) if p.exists()]


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=[p.stem for p in CORPUS_PDFS])
def test_both_engines_agree_on_corpus_pdfs(pdf):
    a = sca.read(pdf, pdf_engine="pdfplumber")
    b = sca.read(pdf, pdf_engine="pdfium")
    assert _numbers(a) == _numbers(b) and _numbers(b)
    assert [(s.heading, s.kind) for s in a.sections] == [(s.heading, s.kind) for s in b.sections]
    num_a = {p.number: p.text for p in a.paragraphs if p.number}
    num_b = {p.number: p.text for p in b.paragraphs if p.number}
    assert num_a == num_b
    assert [t.rows for t in a.tables] == [t.rows for t in b.tables]
    truth = CORPORA / "truth" / f"{pdf.stem}.json"
    if truth.exists():
        gold = json.loads(truth.read_text(encoding="utf-8"))
        if gold.get("tables") is not None:
            assert len(b.tables) == gold["tables"]


def test_every_hostile_pdf_is_refused_with_its_reason(hostile):
    folder, expected = hostile
    pdfs = {n: r for n, r in expected.items() if n.endswith(".pdf")}
    assert {"encrypted", "corrupt", "no_text_layer", "empty"} <= set(pdfs.values())
    for name, reason in pdfs.items():
        with pytest.raises(ReadError) as info:
            sca.read(folder / name, pdf_engine="pdfium")
        assert info.value.reason == reason, (name, str(info.value))
        assert name in str(info.value)
    with pytest.raises(sca.NoTextLayerError, match="OCR is needed"):
        sca.read(folder / "scanned.pdf", pdf_engine="pdfium")


def test_pdf_without_pages_or_text_is_empty(tmp_path):
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    w = PdfWriter()
    with open(tmp_path / "nopages.pdf", "wb") as fh:
        w.write(fh)
    c = canvas.Canvas(str(tmp_path / "blank.pdf"), invariant=1)
    c.line(50, 50, 300, 300)
    c.showPage()
    c.save()
    from sca.ingest.pdfium import read_pdf_pdfium

    for name in ("nopages.pdf", "blank.pdf"):
        with pytest.raises(sca.EmptyDocumentError):
            read_pdf_pdfium(tmp_path / name)


def _two_column_pdf(path: Path) -> Path:
    """Page 1: numbered paragraphs in two columns, written column by column; line-end hyphens
    in a split word ("safe-guarding") and a real compound ("multi-agency"); a rotated watermark."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 780, "1. Findings")
    cols = {
        72: ["1.1 The left column starts here and its", "text runs down the page before the",
             "right column begins. Good safe-", "guarding depends on information.", "",
             "1.2 The second left paragraph says the", "multi-", "agency meeting was not held."],
        320: ["1.3 The right column comes after the", "left one in reading order, and the", "reader expects it there.",
              "", "1.4 Safeguarding partners agreed that", "multi-agency work and safeguarding", "training should improve."],
    }
    c.setFont("Helvetica", 10)
    for x, lines in cols.items():
        y = 740
        for ln in lines:
            if ln:
                c.drawString(x, y, ln)
            y -= 13 if ln else 9
    c.saveState()
    c.setFont("Helvetica", 60)
    c.translate(300, 400)
    c.rotate(45)
    c.drawString(0, 0, "DRAFT")
    c.restoreState()
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_two_columns_and_hyphens(tmp_path, engine):
    review = sca.read(_two_column_pdf(tmp_path / "cols.pdf"), pdf_engine=engine)
    paras = {p.number: p.text for p in review.paragraphs if p.number}
    assert list(paras) == ["1.1", "1.2", "1.3", "1.4"]
    assert "right column begins. Good safeguarding depends" in paras["1.1"]
    assert "second left paragraph says the multi-agency meeting" in paras["1.2"]
    assert paras["1.3"].endswith("reader expects it there.")
    assert "DRAFT" not in " ".join(p.text for p in review.paragraphs)


def test_line_end_hyphen_marker_becomes_a_hyphen(tmp_path):
    from sca.ingest.pdfium import read_pdf_pdfium

    content = read_pdf_pdfium(_two_column_pdf(tmp_path / "cols.pdf"))
    texts = [l.text for l in content.lines]
    assert "right column begins. Good safe-" in texts and "guarding depends on information." in texts
    assert not any("\ufffe" in t for t in texts)
    heading = next(l for l in content.lines if l.text == "1. Findings")
    assert heading.bold and heading.size == 16.0 and heading.top < 70
    body = next(l for l in content.lines if l.text.startswith("1.1"))
    assert not body.bold and body.size == 10.0 and body.x0 == pytest.approx(72, abs=2)


@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "docs").exists(), reason="shared eval data absent")
def test_engines_agree_on_shared_dev_pdfs():
    for pdf in sorted((SHARED / "eval" / "dev" / "docs").glob("*.pdf"))[:2]:
        a, b = sca.read(pdf, pdf_engine="pdfplumber"), sca.read(pdf, pdf_engine="pdfium")
        assert _numbers(a) == _numbers(b), pdf.name
        assert {p.number: p.text for p in a.paragraphs if p.number} == {p.number: p.text for p in b.paragraphs if p.number}


def test_one_damaged_page_is_skipped_with_a_warning(tmp_path, monkeypatch):
    import sca.ingest.pdfium as engine

    pdf = make_pdf(tmp_path / "r.pdf")
    original = engine._page_lines
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("damaged font program")
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_page_lines", flaky)
    review = sca.read(pdf, pdf_engine="pdfium")
    assert review.paragraphs
    assert any("page 2" in w and "damaged font program" in w for w in review.warnings)

    def broken(*args, **kwargs):
        raise ValueError("damaged")

    monkeypatch.setattr(engine, "_page_lines", broken)
    with pytest.raises(sca.CorruptDocumentError, match="no page"):
        sca.read(pdf, pdf_engine="pdfium")


def test_every_page_is_closed_after_use(tmp_path, monkeypatch):
    import pdfplumber.page
    import pypdfium2 as pdfium

    closed_pdfium, closed_plumber = [], []
    orig_pdfium, orig_plumber = pdfium.PdfPage.close, pdfplumber.page.Page.close

    def spy_pdfium(self, *a, **k):
        closed_pdfium.append(self)  # keep the object so ids stay unique
        return orig_pdfium(self, *a, **k)

    def spy_plumber(self):
        if type(self) is pdfplumber.page.Page:
            closed_plumber.append(self.page_number)
        return orig_plumber(self)

    monkeypatch.setattr(pdfium.PdfPage, "close", spy_pdfium)
    monkeypatch.setattr(pdfplumber.page.Page, "close", spy_plumber)
    review = sca.read(make_pdf(tmp_path / "r.pdf"), pdf_engine="pdfium")
    assert len({id(p) for p in closed_pdfium}) == review.metadata.pages
    # the table was found from pdfium's paths: pdfplumber never parsed a page
    assert review.tables and closed_plumber == []


def test_positions_follow_pdfplumber_when_the_crop_box_is_offset(tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    from sca.ingest.pdf import read_pdf
    from sca.ingest.pdfium import read_pdf_pdfium

    src = make_pdf(tmp_path / "src.pdf")
    w = PdfWriter()
    for p in PdfReader(src).pages:
        p.cropbox = RectangleObject([30, 40, 560, 800])
        w.add_page(p)
    with open(tmp_path / "crop.pdf", "wb") as fh:
        w.write(fh)
    a, b = read_pdf(tmp_path / "crop.pdf"), read_pdf_pdfium(tmp_path / "crop.pdf")
    assert a.heights == pytest.approx(b.heights, abs=0.5) and a.widths == pytest.approx(b.widths, abs=0.5)
    la = {(l.page, l.text): l for l in a.lines}
    common = [(la[(l.page, l.text)], l) for l in b.lines if (l.page, l.text) in la]
    assert len(common) >= 0.9 * len(a.lines)
    for x, y in common:
        assert abs(x.x0 - y.x0) < 1 and abs(x.top - y.top) < 4 and x.size == y.size and x.bold == y.bold


def test_threads_share_pdfium_safely(tmp_path):
    """pdfium is not thread-safe; the reader serialises it, so threads give identical results."""
    from concurrent.futures import ThreadPoolExecutor

    pdf = make_pdf(tmp_path / "r.pdf")
    with ThreadPoolExecutor(4) as pool:
        reviews = list(pool.map(lambda _: sca.read(pdf, pdf_engine="pdfium"), range(8)))
    first = _outline(reviews[0])
    assert first and all(_outline(r) == first for r in reviews)


def test_tables_from_pdfium_paths_equal_pdfplumber_tables(tmp_path, monkeypatch):
    """pdfplumber's table finder fed with pdfium edges and characters gives pdfplumber's tables."""
    import sca.ingest.pdfium as engine

    pdfs = [make_pdf(tmp_path / "r.pdf")] + [p for p in CORPUS_PDFS if p.stem in ("c03", "c12")]
    for pdf in pdfs:
        native = engine.read_pdf_pdfium(pdf).tables
        monkeypatch.setattr(engine, "NATIVE_TABLES", False)
        parsed = engine.read_pdf_pdfium(pdf).tables
        monkeypatch.setattr(engine, "NATIVE_TABLES", True)
        assert native and [(p, r) for p, _, r in native] == [(p, r) for p, _, r in parsed], pdf.name
        for (_, a, _), (_, b, _) in zip(native, parsed):
            assert a == pytest.approx(b, abs=1.5)
