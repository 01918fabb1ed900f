"""Generate small review files — good and hostile — at test time (no /work/shared needed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

BOARD = "Ashdown Safeguarding Children Partnership"
HEADER = f"{BOARD} – LCSPR: Child T – FINAL"


def numbered_paragraphs() -> list[tuple[str, str]]:
    """Fictional numbered paragraphs long enough to wrap and cross pages, each worded differently."""
    who = ["health visitor", "school nurse", "social worker", "GP", "midwife", "police officer", "nursery manager",
           "housing officer", "paediatrician", "family support worker", "youth worker", "CAMHS clinician",
           "probation officer", "teacher", "IDVA"]
    what = ["visited the family home", "telephoned the mother", "wrote to the father", "met the grandmother",
            "saw the child at school", "attended a strategy meeting", "reviewed the records", "made a referral"]
    out = []
    k = 0
    for sec in (1, 2, 3):
        for i in range(1, 6):
            a, b = who[k % len(who)], what[(3 * k) % len(what)]
            out.append((f"{sec}.{i}", (
                f"In paragraph {sec}.{i} the {a} {b} and recorded what Child T said. "
                f"Nobody asked the {who[(k + 5) % len(who)]} what was known, so the information was not shared "
                f"with the {who[(k + 9) % len(who)]} and the pattern of concern was not recognised until "
                f"{['much later', 'the following spring', 'after the injury', 'the review began'][k % 4]}."
            )))
            k += 1
    return out


SECTIONS = {1: "Introduction", 2: "Summary of agency involvement", 3: "Findings"}


def make_pdf(path: Path, para_space: float = 10, footnote: bool = False) -> Path:
    """A Word-style PDF: title page, running header, 'Page X of Y' footer, bold headings, a table.

    ``para_space=0`` sets paragraphs with no space between them; ``footnote`` adds a small-print
    note under the first section.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle, PageBreak

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=para_space)
    small = ParagraphStyle("small", fontName="Helvetica", fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=8)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=12)
    story = [
        Paragraph(BOARD, title),
        Paragraph("Local Child Safeguarding Practice Review", title),
        Paragraph("Child T", title),
        Paragraph("Independent reviewer: Dr Jane Marlow, BA (Hons), MSc", body),
        Paragraph("Published: March 2022", body),
        PageBreak(),
    ]
    paras = numbered_paragraphs()
    for sec, name in SECTIONS.items():
        story.append(Paragraph(f"{sec}. {name}", h1))
        for num, text in paras:
            if num.startswith(f"{sec}."):
                story.append(Paragraph(f"{num} {text}", body))
        if footnote and sec == 1:
            story.append(Paragraph("1 Working Together to Safeguard Children, HM Government, 2018.", small))
        if sec == 2:
            t = Table(
                [["Date", "Agency", "Event"],
                 ["12/03/2021", "Health visiting", "Home visit; child seen"],
                 ["19/04/2021", "Police", "Domestic abuse incident reported"],
                 ["02/05/2021", "School", "Child absent for a week"]],
                colWidths=[90, 120, 220],
            )
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), "Helvetica"), ("FONTSIZE", (0, 0), (-1, -1), 10)]))
            story.extend([Spacer(1, 6), t, Spacer(1, 10)])

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, A4[1] - 40, HEADER)
        canvas.drawString(A4[0] / 2 - 30, 30, f"Page {doc.page} of 4")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1, topMargin=72, bottomMargin=72)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(BOARD, level=1)
    d.add_paragraph("Local Child Safeguarding Practice Review: Child T")
    d.add_paragraph("Published: March 2022")
    d.sections[0].header.paragraphs[0].text = HEADER
    paras = numbered_paragraphs()
    for sec, name in SECTIONS.items():
        d.add_heading(f"{sec}. {name}", level=1)
        for num, text in paras:
            if num.startswith(f"{sec}."):
                d.add_paragraph(f"{num} {text}")
        if sec == 2:
            d.add_paragraph("Agencies involved:")
            d.add_paragraph("Health visiting", style="List Bullet")
            d.add_paragraph("Police", style="List Bullet")
            t = d.add_table(rows=3, cols=3)
            for r, row in enumerate([["Date", "Agency", "Event"], ["12/03/2021", "Health visiting", "Home visit"],
                                     ["19/04/2021", "Police", "Incident reported"]]):
                for c, val in enumerate(row):
                    t.cell(r, c).text = val
    d.add_heading("Appendix 2: Timeline of agency involvement", level=1)
    d.add_paragraph("See the table in section 2.")
    d.save(str(path))
    return path


def make_html(path: Path) -> Path:
    paras = numbered_paragraphs()
    body = []
    for sec, name in SECTIONS.items():
        body.append(f"<h2>{sec}. {name}</h2>")
        body += [f"<p>{num} {text}</p>" for num, text in paras if num.startswith(f"{sec}.")]
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>LCSPR: Child T</title>
<script>var tracking = 1;</script><style>p {{ margin: 0 }}</style></head><body>
<div id="cookie-banner">We use cookies to improve this site. Accept all cookies</div>
<header class="site-header"><a href="/">Ashdown SCP home</a></header>
<nav class="breadcrumbs"><a href="/">Home</a> &gt; Reviews</nav>
<main><h1>Local Child Safeguarding Practice Review: Child T</h1>
<p>{BOARD}</p>
{''.join(body)}
<ul><li>Health visiting</li><li>Police</li></ul>
</main>
<footer class="site-footer">Copyright Ashdown Council. Accessibility statement. Contact us.</footer>
</body></html>"""
    path.write_text(html, encoding="utf-8")
    return path


def make_cp1252_text(path: Path) -> Path:
    text = (f"{BOARD}\r\n\r\nChild T\u2019s review \u2013 caf\u00e9 visit\r\n\r\n1. Introduction\r\n\r\n"
            "1.1 The health visitor\u2019s visit to the caf\u00e9 was recorded.\r\n")
    path.write_bytes(text.encode("cp1252"))
    return path


# ---------------------------------------------------------------- hostile files
def make_encrypted_pdf(path: Path, src: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(src)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def make_truncated_pdf(path: Path, src: Path) -> Path:
    data = src.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def make_scanned_pdf(path: Path) -> Path:
    """Image-only pages, as a scanner produces: no text layer at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 520, 16):
        draw.line((40, y, 360, y), fill=0, width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(2):
        buf.seek(0)
        c.drawImage(ImageReader(buf), 50, 100, width=400, height=560)
        c.showPage()
    c.save()
    return path


def make_zip_bomb_docx(path: Path, inflated: int) -> Path:
    """A DOCX-looking package whose document.xml inflates to ``inflated`` bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * inflated)
    return path


def make_hostile_set(folder: Path) -> dict[str, str]:
    """Write every hostile file into ``folder``; returns {name: expected error reason}."""
    folder.mkdir(parents=True, exist_ok=True)
    good = make_pdf(folder / "_good.pdf")
    expected = {}
    (folder / "empty.pdf").write_bytes(b"")
    expected["empty.pdf"] = "empty"
    (folder / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    expected["blank.txt"] = "empty"
    (folder / "garbage.pdf").write_bytes(bytes(range(256)) * 20)
    expected["garbage.pdf"] = "corrupt"
    (folder / "page.pdf").write_text("<html><body><p>Review text</p></body></html>", encoding="utf-8")
    expected["page.pdf"] = "format_mismatch"
    (folder / "fake.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    expected["fake.docx"] = "corrupt"
    (folder / "text.docx").write_text("just some text, not a Word file", encoding="utf-8")
    expected["text.docx"] = "corrupt"
    make_encrypted_pdf(folder / "encrypted.pdf", good)
    expected["encrypted.pdf"] = "encrypted"
    make_truncated_pdf(folder / "truncated.pdf", good)
    expected["truncated.pdf"] = "corrupt"
    make_scanned_pdf(folder / "scanned.pdf")
    expected["scanned.pdf"] = "no_text_layer"
    make_zip_bomb_docx(folder / "bomb.docx", 3 * 1024 * 1024)
    expected["bomb.docx"] = "too_large"  # with max_docx_uncompressed=1 MB in the test
    (folder / "review.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    expected["review.doc"] = "unsupported_format"
    good.unlink()
    return expected
