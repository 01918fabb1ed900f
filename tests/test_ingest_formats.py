"""Each format reads into the same structure: sections, kinds, numbered paragraphs, tables."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import sca
from fixtures_broken import BOARD, HEADER, make_docx, make_html, make_pdf, numbered_paragraphs


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    d = tmp_path_factory.mktemp("docs")
    return {
        "pdf": make_pdf(d / "t.pdf"),
        "docx": make_docx(d / "t.docx"),
        "html": make_html(d / "t.html"),
    }


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_numbered_paragraphs_recovered(docs, fmt):
    review = sca.read(docs[fmt])
    got = {p.number: p.text for p in review.paragraphs if p.number}
    for num, text in numbered_paragraphs():
        assert got.get(num) == text, (fmt, num, got.get(num))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_sections_and_kinds(docs, fmt):
    review = sca.read(docs[fmt])
    kinds = {s.heading: s.kind for s in review.sections}
    assert kinds["1. Introduction"] == "introduction"
    assert kinds["2. Summary of agency involvement"] == "chronology"
    assert kinds["3. Findings"] == "findings"
    assert review.sections[0].kind == "cover"
    for s in review.sections:
        for p in s.paragraphs:
            assert p.section == s.heading
    idx = [p.index for p in review.paragraphs]
    assert idx == list(range(len(idx)))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_metadata(docs, fmt):
    m = sca.read(docs[fmt]).metadata
    assert m.board == BOARD
    assert m.review_type == "LCSPR"
    assert m.child_code == "Child T"
    assert m.format == fmt
    assert m.sha256 and len(m.sha256) == 64


def test_pdf_running_header_and_footer_removed(docs):
    review = sca.read(docs["pdf"])
    text = review.text
    assert HEADER not in text and "Page 2 of 4" not in text
    assert all(p.page for p in review.paragraphs)
    assert review.metadata.pages >= 3
    assert review.metadata.author == "Dr Jane Marlow"


def test_pdf_table_kept_with_page_and_section(docs):
    review = sca.read(docs["pdf"])
    assert len(review.tables) == 1
    t = review.tables[0]
    assert t.rows[0] == ["Date", "Agency", "Event"] and len(t.rows) == 4
    assert t.section == "2. Summary of agency involvement" and t.section_kind == "chronology"
    rows = [p for p in review.paragraphs if p.kind == "table_row"]
    assert rows[0].text == "12/03/2021 | Health visiting | Home visit; child seen"
    # table rows are not mixed into the running text
    assert not any("Domestic abuse incident reported" in p.text for p in review.paragraphs if p.kind != "table_row")


def test_docx_bullets_tables_and_content_beats_appendix(docs):
    review = sca.read(docs["docx"])
    bullets = [p.text for p in review.paragraphs if p.kind == "bullet"]
    assert bullets == ["Health visiting", "Police"]
    assert review.tables and review.tables[0].section_kind == "chronology"
    kinds = {s.heading: s.kind for s in review.sections}
    assert kinds["Appendix 2: Timeline of agency involvement"] == "chronology"
    assert HEADER not in review.text


def test_html_chrome_dropped(docs):
    text = sca.read(docs["html"]).text
    for chrome in ("cookies", "Home", "Copyright", "tracking", "Accessibility"):
        assert chrome not in text


def test_markdown_headings_and_pipe_tables(tmp_path):
    md = tmp_path / "r.md"
    md.write_text(
        "# Brookvale Safeguarding Adults Board\n\nSafeguarding Adults Review: Adult M\n\n"
        "# 1. Introduction\n\n1.1 Adult M lived alone.\n\n"
        "# Appendix 1: Chronology\n\n| Date | Agency | Event |\n| --- | --- | --- |\n| 3 May 2019 | GP | Review |\n",
        encoding="utf-8",
    )
    review = sca.read(md)
    assert review.metadata.review_type == "SAR"
    assert [s.kind for s in review.sections] == ["cover", "introduction", "chronology"]
    assert review.tables[0].rows[1] == ["3 May 2019", "GP", "Review"]
    assert review.paragraphs[1].number == "1.1"


def test_plain_text_headings_contents_and_4_1_numbering(tmp_path):
    txt = tmp_path / "r.txt"
    txt.write_text(
        "Northby Local Safeguarding Children Board\n\nSerious Case Review\n\nChild B\n\n"
        "Contents\n\nIntroduction ..... 2\nThe facts ..... 3\nRecommendations ..... 9\n\n"
        "Introduction\n\n1-1 This review concerns Child B.\n\n1-2 The panel met four times.\n\n"
        "The facts\n\n2-1 On 22.03.05 the health visitor called.\n\n"
        "Recommendations\n\n3-1 The Board should act.\n",
        encoding="utf-8",
    )
    review = sca.read(txt)
    assert [(s.heading, s.kind) for s in review.sections] == [
        ("", "cover"), ("Contents", "contents"), ("Introduction", "introduction"),
        ("The facts", "chronology"), ("Recommendations", "recommendations"),
    ]
    nums = [(p.number, p.text) for p in review.paragraphs if p.number]
    assert nums[0] == ("1-1", "This review concerns Child B.")
    assert ("2-1", "On 22.03.05 the health visitor called.") in nums
    assert review.metadata.review_type == "SCR" and review.metadata.child_code == "Child B"


def test_cli_parse_outline_and_json(docs, tmp_path):
    from sca.cli.main import cli

    out = tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["parse", str(docs["pdf"]), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "[chronology]" in res.output and "Date | Agency | Event" in res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sca.Review.from_dict(data).metadata.board == BOARD


def test_cli_parse_reports_unreadable_file(tmp_path):
    from sca.cli.main import cli

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    res = CliRunner().invoke(cli, ["parse", str(bad)])
    assert res.exit_code == 1
    assert "empty" in res.output


def test_pdf_paragraphs_without_spacing_and_small_print(tmp_path):
    review = sca.read(make_pdf(tmp_path / "tight.pdf", para_space=0, footnote=True))
    got = {p.number: p.text for p in review.paragraphs if p.number}
    for num, text in numbered_paragraphs():
        assert got.get(num) == text, (num, got.get(num))
    notes = [p.text for p in review.paragraphs if p.text.startswith("1 Working Together")]
    assert notes == ["1 Working Together to Safeguard Children, HM Government, 2018."]


def test_text_with_form_feeds_keeps_pages_and_drops_running_lines(tmp_path):
    head = "Northby LSCB - Serious Case Review - Child B"
    pages = [
        f"{head}\n\n1. Introduction\n\n1.1 The review was commissioned in May.\n\n1.2 The health visitor saw\nChild B at home and\n\nPage 1 of 3\n",
        f"{head}\n\nrecorded that he was well.\n\n2. The facts\n\n2.1 The school raised a concern.\n\nPage 2 of 3\n",
        f"{head}\n\n2.2 The police attended the address.\n\nPage 3 of 3\n",
    ]
    txt = tmp_path / "paged.txt"
    txt.write_text("\f".join(pages), encoding="utf-8")
    review = sca.read(txt)
    assert head not in review.text and "Page 2 of 3" not in review.text
    got = {p.number: (p.text, p.page) for p in review.paragraphs if p.number}
    assert got["1.2"] == ("The health visitor saw Child B at home and recorded that he was well.", 1)
    assert got["2.1"][1] == 2 and got["2.2"][1] == 3


def test_pdf_headings_in_body_type_and_one_line_paragraphs(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("b", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=10)
    texts = [
        "Northby Local Safeguarding Children Board", "Serious Case Review: Child B",
        "1. Introduction", "1.1 This review concerns Child B and the agencies that knew the family during 2012.",
        "2. Summary of events", "2.1 The health visitor saw Child B at home on 3 May 2012 and recorded that he was well.",
        "RECOMMENDATIONS", "3.1 The Board should ensure that the escalation policy is known to all practitioners.",
        "1. Improve training", "2. Audit practice",
    ]
    pdf = tmp_path / "plain.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4, invariant=1).build([Paragraph(t, body) for t in texts])
    review = sca.read(pdf)
    assert [(s.heading, s.kind) for s in review.sections] == [
        ("", "cover"), ("1. Introduction", "introduction"), ("2. Summary of events", "chronology"),
        ("RECOMMENDATIONS", "recommendations"),
    ]
    # a short numbered list inside a section is not mistaken for a section heading
    assert [p.text for p in review.sections[-1].paragraphs][-2:] == ["1. Improve training", "2. Audit practice"]


def test_html_inline_markup_footnote_markers_and_cells(tmp_path):
    page = tmp_path / "x.html"
    page.write_text(
        "<html><body><main><h2>1. Introduction</h2><p>1.1 The multi-<i>agency</i> meeting<sup><a href='#fn1'>1</a></sup>."
        " The <b>GP</b> attended.<br>Then nothing.</p><table><tr><th>Date</th><th>Agency</th><th>Event</th></tr>"
        "<tr><td><p>1 May</p><p>2019</p></td><td>GP</td><td>Seen</td></tr></table></main></body></html>",
        encoding="utf-8",
    )
    review = sca.read(page)
    assert review.paragraphs[0].number == "1.1"
    assert review.paragraphs[0].text == "The multi-agency meeting. The GP attended. Then nothing."
    assert review.tables[0].rows[1] == ["1 May 2019", "GP", "Seen"]


def test_pdf_drawn_out_of_reading_order_is_put_back_in_order(tmp_path):
    from reportlab.pdfgen import canvas

    lines = ["1. Introduction", "1.1 The health visitor saw the child at home in May and recorded",
             "that all was well with the family at that time.", "1.2 The school raised a concern in June about",
             "the child's attendance and appearance.", "1.3 The police attended the address in July after",
             "a neighbour reported shouting.", "1.4 Nobody shared the information with", "the GP or the school nurse."]
    ys = [760 - 14 * i - (10 if i in (1, 3, 5, 7) else 0) for i in range(len(lines))]
    pdf = tmp_path / "reversed.pdf"
    c = canvas.Canvas(str(pdf), invariant=1)
    for i in reversed(range(len(lines))):  # the stream draws the page bottom-up
        c.setFont("Helvetica", 11)
        c.drawString(72, ys[i], lines[i])
    c.showPage()
    c.save()
    review = sca.read(pdf)
    got = [(p.number, p.text) for p in review.paragraphs if p.number]
    assert got[0] == ("1.1", "The health visitor saw the child at home in May and recorded that all was well with the family at that time.")
    assert [n for n, _ in got] == ["1.1", "1.2", "1.3", "1.4"]


def test_pdf_footnote_marks_do_not_stick_to_dates(tmp_path):
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "fn.pdf"
    c = canvas.Canvas(str(pdf), invariant=1)
    t = c.beginText(72, 760)
    t.setFont("Helvetica", 11)
    t.textOut("1.1 The guidance was revised in 2013")
    t.setFont("Helvetica", 7)
    t.setRise(4)
    t.textOut("12")
    t.setRise(0)
    t.setFont("Helvetica", 11)
    t.textOut(" and again later.")
    c.drawText(t)
    c.setFont("Helvetica", 8)
    c.drawString(72, 80, "12 Working Together to Safeguard Children, 2013.")
    c.showPage()
    c.save()
    texts = [p.text for p in sca.read(pdf).paragraphs]
    assert texts[0] == "The guidance was revised in 2013 and again later."
    assert "12 Working Together to Safeguard Children, 2013." in texts


def test_cover_sheet_laid_out_as_a_table(tmp_path):
    import docx

    doc = docx.Document()
    t = doc.add_table(rows=4, cols=2)
    for i, (k, v) in enumerate([("Title", "Serious case review: Child Z"), ("LSCB", "Westby Local Safeguarding Children Board"),
                                ("Author", "Pat Smith"), ("Date of publication", "2016")]):
        t.cell(i, 0).text, t.cell(i, 1).text = k, v
    doc.add_heading("1. Introduction", 1)
    doc.add_paragraph("1.1 Child Z was seen by the GP.")
    doc.save(str(tmp_path / "c.docx"))
    m = sca.read(tmp_path / "c.docx").metadata
    assert m.metadata_source == "cover_sheet"
    assert (m.title, m.board, m.author, m.year, m.child_code) == (
        "Serious case review: Child Z", "Westby Local Safeguarding Children Board", "Pat Smith", 2016, "Child Z")


def test_text_copied_from_pdf_without_page_breaks(tmp_path):
    head = "Eastby SCB - Serious Case Review - Child Q - CONFIDENTIAL"
    parts = ["1. Introduction", ""]
    for i in range(1, 9):
        parts += [head, "", f"1.{i} Paragraph {i} says the school nurse saw Child Q on day {i}.", "",
                  "Nobody replied.", "", f"She wrote to the GP about the {i}th visit.", "", f"Page {i} of 8", ""]
    txt = tmp_path / "copied.txt"
    txt.write_text("\n".join(parts), encoding="utf-8")
    review = sca.read(txt)
    assert head not in review.text and "Page 3 of 8" not in review.text
    assert [p.number for p in review.paragraphs if p.number] == [f"1.{i}" for i in range(1, 9)]
    # a short sentence that recurs in the body is not mistaken for a running header
    assert sum(p.text == "Nobody replied." for p in review.paragraphs) == 8


def test_pdf_dash_bullets_without_hanging_indent(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("b", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=6)
    texts = ["1. Introduction",
             "1.1 The panel considered the following matters and reached a view on each of them in turn as described:",
             "- the referral from the school in May 2019;",
             "- the health visitor's visit, which was the last time anyone saw the child at home before the injury — nobody knew;",
             "1.2 The panel met four times."]
    pdf = tmp_path / "dash.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4, invariant=1).build([Paragraph(t, body) for t in texts])
    got = [(p.kind, p.number, p.text) for p in sca.read(pdf).paragraphs]
    assert got[1:] == [
        ("bullet", None, "the referral from the school in May 2019;"),
        ("bullet", None, "the health visitor's visit, which was the last time anyone saw the child at home before the injury — nobody knew;"),
        ("paragraph", "1.2", "The panel met four times."),
    ]


def test_cli_parse_engines_agree(docs, tmp_path):
    from sca.cli.main import cli

    outs = {}
    for engine in ("pdfium", "pdfplumber"):
        out = tmp_path / f"{engine}.json"
        res = CliRunner().invoke(cli, ["parse", str(docs["pdf"]), "--pdf-engine", engine, "--json", str(out)])
        assert res.exit_code == 0, res.output
        review = sca.Review.from_dict(json.loads(out.read_text(encoding="utf-8")))
        outs[engine] = [(p.number, p.text) for p in review.paragraphs]
    assert outs["pdfium"] == outs["pdfplumber"]
    assert any(n for n, _ in outs["pdfium"])
