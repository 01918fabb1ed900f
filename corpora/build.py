"""Build the project's fictional review corpus.

Every review is written by hand as ``corpora/source/<id>.md``: YAML front matter
(metadata, layout options, gold events) followed by a markdown-like body. This
script renders each source into its target format under ``corpora/docs/`` with a
real layout engine (reportlab for PDF, python-docx for DOCX, plain templates for
HTML and text) and writes the ground truth under ``corpora/truth/``:

* ``<id>.json``         metadata, header/footer text, section kinds, numbered paragraphs;
* ``<id>.events.jsonl`` hand-labelled chronology events.

Output is deterministic (fixed dates, reportlab ``invariant=1``, normalised DOCX zip
entries), so rebuilding does not churn git.

Usage::

    python corpora/build.py            # render documents and truth for every source
    python corpora/build.py --truth-only
    python corpora/build.py c01 c04    # only some ids
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import io
import json
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
DOCS_DIR = HERE / "docs"
TRUTH_DIR = HERE / "truth"

SECTION_KINDS = (
    "cover", "contents", "introduction", "methodology", "terms_of_reference",
    "family_background", "chronology", "analysis", "findings", "recommendations",
    "appendix", "glossary", "other",
)
REVIEW_TYPES = ("SCR", "LCSPR", "CSPR", "CPR", "SAR", "DHR", "inquiry", "learning_brief", "guidance", "other")
FORMATS = ("pdf", "docx", "html", "txt")
AGENCIES = (
    "childrens_social_care", "police", "gp", "health_visiting", "midwifery", "emergency_department",
    "hospital", "ambulance", "education", "early_years", "camhs", "adult_mental_health",
    "substance_misuse", "housing", "probation", "youth_justice", "domestic_abuse_service",
    "voluntary_sector", "courts_legal",
)
FAMILY = ("child", "mother", "father", "partner", "sibling", "grandparent", "other_family")
CONTACT_TYPES = (
    "home_visit", "appointment", "missed_appointment", "hospital_attendance", "phone_call", "referral",
    "information_shared", "strategy_discussion", "child_protection_conference", "assessment",
    "police_incident", "other",
)
PRECISIONS = ("day", "month", "year", "range", "relative")

FIXED_DATE = _dt.datetime(2024, 1, 1, 9, 0, 0)
NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,3}|\d{1,2}-\d{1,3})\s+(\S.*)$")
HEADING_RE = re.compile(r"^(#{1,3})\s*(.*?)\s*\{(\w+)\}\s*$")
HEADING_NUM_RE = re.compile(r"^((?:Appendix|Annex)\s+\w+|\d+(?:\.\d+)*)[.:]?\s+")
CONTENTS_RE = re.compile(r"^(.*?)\s*\.{3,}\s*(\d+)\s*$")
DIRECTIVE_RE = re.compile(r"^:::\s*([\w-]+)\s*$")


class SourceError(ValueError):
    """A source file is malformed; the message names the file and the reason."""


# ---------------------------------------------------------------------------------------
# Parsing sources
# ---------------------------------------------------------------------------------------
@dataclass
class Block:
    kind: str  # heading, para, bullet, table, contents_line, directive, line
    text: str = ""
    number: str | None = None
    level: int = 1
    rows: list[list[str]] = field(default_factory=list)
    page: str | None = None  # contents entries: printed page number
    section_kind: str = "other"
    section: str = ""


@dataclass
class Source:
    id: str
    path: Path
    meta: dict
    blocks: list[Block]

    @property
    def fmt(self) -> str:
        return self.meta["format"]


def _strip_inline(text: str) -> str:
    return text.replace("**", "").replace("__", "")


def parse_source(path: Path) -> Source:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise SourceError(f"{path}: missing YAML front matter")
    end = raw.index("\n---\n", 4)
    meta = yaml.safe_load(raw[4:end]) or {}
    body = raw[end + 5:]
    sid = path.stem
    if meta.get("id") != sid:
        raise SourceError(f"{path}: front matter id {meta.get('id')!r} does not match file name")
    if meta.get("format") not in FORMATS:
        raise SourceError(f"{path}: format must be one of {FORMATS}")
    if meta.get("review_type") not in REVIEW_TYPES:
        raise SourceError(f"{path}: review_type must be one of {REVIEW_TYPES}")

    blocks: list[Block] = []
    cur_kind, cur_heading = "other", ""
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        m = HEADING_RE.match(line)
        if line.startswith("#"):
            if not m:
                raise SourceError(f"{path}:{i + 1}: heading without {{kind}}: {line!r}")
            level, text, kind = len(m.group(1)), m.group(2), m.group(3)
            if kind not in SECTION_KINDS:
                raise SourceError(f"{path}:{i + 1}: unknown section kind {kind!r}")
            cur_kind, cur_heading = kind, text
            blocks.append(Block("heading", text=text, level=level, section_kind=kind, section=text))
            i += 1
            continue
        d = DIRECTIVE_RE.match(line)
        if d:
            blocks.append(Block("directive", text=d.group(1)))
            i += 1
            continue
        if line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(Block("table", rows=rows, section_kind=cur_kind, section=cur_heading))
            continue
        if line.startswith("- "):
            blocks.append(Block("bullet", text=line[2:].strip(), section_kind=cur_kind, section=cur_heading))
            i += 1
            continue
        if cur_kind == "contents":
            c = CONTENTS_RE.match(line)
            if c:
                blocks.append(Block("contents_line", text=c.group(1), page=c.group(2), section_kind=cur_kind,
                                    section=cur_heading))
            else:
                blocks.append(Block("line", text=line.strip(), section_kind=cur_kind, section=cur_heading))
            i += 1
            continue
        n = NUMBER_RE.match(line)
        if n:
            blocks.append(Block("para", text=n.group(2).strip(), number=n.group(1), section_kind=cur_kind,
                                section=cur_heading, level=n.group(1).count(".") + n.group(1).count("-")))
        else:
            blocks.append(Block("line", text=line.strip(), section_kind=cur_kind, section=cur_heading))
        i += 1
    return Source(sid, path, meta, blocks)


# ---------------------------------------------------------------------------------------
# Truth
# ---------------------------------------------------------------------------------------
_SENT_RE = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[A-Z0-9\"(])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(text) if s.strip()]


def truth_for(src: Source) -> dict:
    m = src.meta
    sections, paragraphs, tables = [], [], 0
    for b in src.blocks:
        if b.kind == "heading":
            hm = HEADING_NUM_RE.match(b.text)
            sections.append({"heading": b.text, "kind": b.section_kind, "level": b.level,
                             "number": hm.group(1) if hm and b.text else None})
        elif b.kind == "para" and b.section_kind != "contents":
            paragraphs.append({"number": b.number, "text": _strip_inline(b.text), "section": b.section})
        elif b.kind == "table":
            tables += 1
    numbers = [p["number"] for p in paragraphs]
    dup = sorted({n for n in numbers if numbers.count(n) > 1 and not m.get("allow_duplicate_numbers")})
    if dup:
        raise SourceError(f"{src.path}: duplicate paragraph numbers {dup}")
    return {
        "id": src.id,
        "file": f"docs/{src.id}.{src.fmt}",
        "format": src.fmt,
        "metadata": {k: m.get(k) for k in ("title", "board", "review_type", "child_code", "author", "year")},
        "header_text": m.get("header"),
        "footer_text": m.get("footer"),
        "watermark": m.get("watermark"),
        "sections": sections,
        "paragraphs": paragraphs,
        "tables": tables,
        "has_events": bool(m.get("events")),
        **({"encoding": m["encoding"]} if m.get("encoding") else {}),
    }


def events_for(src: Source) -> list[dict]:
    spec = src.meta.get("events") or ""
    paras = {b.number: b.text for b in src.blocks if b.kind == "para" and b.section_kind != "contents"}
    # unnumbered paragraphs and bullets are referred to by their opening words
    loose = [_strip_inline(b.text) for b in src.blocks
             if b.kind in ("line", "bullet") and b.section_kind not in ("cover", "contents")]
    table_rows: list[tuple[str, dict]] = []
    for b in src.blocks:
        if b.kind == "table" and b.rows and b.rows[0] and b.rows[0][0].lower().startswith("date"):
            head = [h.lower() for h in b.rows[0]]
            for r in b.rows[1:]:
                table_rows.append((r[0], dict(zip(head, r))))
    out = []
    for ln, line in enumerate(l for l in spec.splitlines() if l.strip()):
        f = [x.strip() for x in line.split(" | ")]
        if len(f) not in (10, 11):
            raise SourceError(f"{src.path}: event line {ln + 1} needs 10 or 11 fields: {line!r}")
        para, date, prec, dtext, agency, cp, ctype, seen, concern, missed = f[:10]
        pick = f[10] if len(f) == 11 else ""
        if prec not in PRECISIONS or agency not in AGENCIES or ctype not in CONTACT_TYPES:
            raise SourceError(f"{src.path}: event line {ln + 1} has a bad code: {line!r}")
        if cp not in AGENCIES + FAMILY:
            raise SourceError(f"{src.path}: event line {ln + 1} bad counterpart {cp!r}")
        if seen not in ("yes", "no", "unknown") or concern not in ("C", "-"):
            raise SourceError(f"{src.path}: event line {ln + 1} bad child_seen/concern")
        _dt.date.fromisoformat(date)
        if para in paras:
            sents = _sentences(_strip_inline(paras[para]))
            if pick.startswith("s") and pick[1:].isdigit():
                text = sents[int(pick[1:]) - 1]
            elif pick:
                text = pick
            else:
                hits = [s for s in sents if dtext in s]
                if not hits:
                    raise SourceError(f"{src.path}: event line {ln + 1}: {dtext!r} not found in para {para}")
                text = hits[0]
            if dtext not in _strip_inline(paras[para]):
                raise SourceError(f"{src.path}: event line {ln + 1}: {dtext!r} not in para {para}")
        elif any(t.startswith(para) for t in loose):
            block = next(t for t in loose if t.startswith(para))
            sents = _sentences(block)
            if pick.startswith("s") and pick[1:].isdigit():
                text = sents[int(pick[1:]) - 1]
            else:
                hits = [x for x in sents if dtext in x]
                if not hits:
                    raise SourceError(f"{src.path}: event line {ln + 1}: {dtext!r} not found after {para!r}")
                text = hits[0]
        else:
            rows = [r for d, r in table_rows if d == para]
            if not rows:
                raise SourceError(f"{src.path}: event line {ln + 1}: no paragraph or table row {para!r}")
            idx = int(pick[1:]) - 1 if pick.startswith("r") else 0
            text = rows[idx].get("event", " ".join(rows[idx].values()))
        out.append({
            "event_id": f"e{len(out) + 1:02d}", "para": para, "date": date, "date_precision": prec,
            "date_text": dtext, "agency": agency, "counterpart": cp, "contact_type": ctype,
            "child_seen": seen, "concern": concern == "C", "missed_opportunity": missed != "-",
            "missed_reason": "" if missed == "-" else missed, "text": text,
        })
    return out


# ---------------------------------------------------------------------------------------
# PDF (reportlab platypus)
# ---------------------------------------------------------------------------------------
def _pdf_escape(text: str) -> str:
    t = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t)


def render_pdf(src: Source, out: Path) -> int:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                    Paragraph, Spacer, Table, TableStyle)

    rl_config.invariant = 1
    m = src.meta
    base = float(m.get("font_size", 10.5))
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=base, leading=base * 1.35, spaceAfter=6)
    styles = {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=base - 1.5, leading=(base - 1.5) * 1.25, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=body, fontName="Helvetica-Bold", fontSize=base - 1.5,
                                leading=(base - 1.5) * 1.25, spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=base + 4, leading=base + 8,
                             spaceBefore=10, spaceAfter=8, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=base + 1.5,
                             leading=base + 5, spaceBefore=8, spaceAfter=6, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-BoldOblique", fontSize=base,
                             leading=base + 4, spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "cover": ParagraphStyle("cover", parent=body, fontSize=base + 3, leading=base + 9, alignment=TA_CENTER,
                                spaceAfter=14),
        "coverh": ParagraphStyle("coverh", parent=body, fontName="Helvetica-Bold", fontSize=base + 9,
                                 leading=base + 15, alignment=TA_CENTER, spaceBefore=60, spaceAfter=24),
        "sheet": ParagraphStyle("sheet", parent=body, fontSize=base, leading=base * 1.5, spaceAfter=8),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=6, spaceAfter=3),
    }

    def para_style(level: int, width: float) -> ParagraphStyle:
        return ParagraphStyle(f"num{level}", parent=body, leftIndent=width, firstLineIndent=0,
                              bulletIndent=width - (0.95 if level <= 1 else 1.3) * cm)

    W, H = A4
    margin = 2.2 * cm
    state = {"pages": 99, "toc": {}, "found": {}, "para_pages": {}}
    header = m.get("header")
    footer = m.get("footer")
    watermark = m.get("watermark")
    plain_cover = bool(m.get("plain_cover", True))

    def decorate(canvas, doc, cover=False):
        canvas.saveState()
        if watermark:
            canvas.setFillColor(colors.Color(0.88, 0.88, 0.88))
            canvas.setFont("Helvetica-Bold", 90)
            canvas.translate(W / 2, H / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -30, watermark)
            canvas.rotate(-45)
            canvas.translate(-W / 2, -H / 2)
        if not (cover and plain_cover):
            canvas.setFillColor(colors.black)
            if header:
                canvas.setFont("Helvetica", 8.5)
                canvas.drawString(margin, H - 1.3 * cm, header)
                canvas.setLineWidth(0.4)
                canvas.line(margin, H - 1.45 * cm, W - margin, H - 1.45 * cm)
            if footer:
                canvas.setFont("Helvetica", 8.5)
                canvas.drawCentredString(W / 2, 1.2 * cm, footer.format(page=doc.page, pages=state["pages"]))
        canvas.restoreState()

    class NumPara(Paragraph):
        """A numbered paragraph that records the page on which it starts (split parts keep the number)."""

        def split(self, aW, aH):
            parts = super().split(aW, aH)
            for part in parts:
                part.__class__ = NumPara
                part._num = self._num
            return parts

        def draw(self):
            super().draw()
            state["para_pages"].setdefault(self._num, self.canv.getPageNumber())

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):
            key = getattr(flowable, "_heading_key", None)
            if key and key not in state["found"]:
                state["found"][key] = self.page

    fw, fh = W - 2 * margin, H - 2 * margin - 0.6 * cm
    one = Frame(margin, margin, fw, fh, id="one")
    gap = 0.8 * cm
    colw = (fw - gap) / 2
    two = [Frame(margin, margin, colw, fh, id="left"), Frame(margin + colw + gap, margin, colw, fh, id="right")]

    def build(buf) -> int:
        doc = Doc(buf, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                  bottomMargin=margin, title=m["title"], author=m.get("author") or "", subject=m["review_type"],
                  creator="sca corpora/build.py", producer="ReportLab", invariant=1)
        doc.addPageTemplates([
            PageTemplate("cover", [Frame(margin, margin, fw, fh, id="c")], onPage=lambda c, d: decorate(c, d, True)),
            PageTemplate("one", [one], onPage=decorate),
            PageTemplate("two", two, onPage=decorate),
        ])
        story = []
        in_cover = False
        started = False
        sheet = False
        for b in src.blocks:
            if b.kind == "heading":
                if in_cover and b.section_kind != "cover":
                    story += [NextPageTemplate("one"), PageBreak()]
                    in_cover = False
                if in_cover and b.section_kind == "cover" and story:
                    story.append(PageBreak())
                if b.section_kind == "cover" and not started:
                    in_cover = True
                started = True
                sheet = not b.text
                if not b.text:
                    continue
                st = styles["coverh"] if in_cover else styles[f"h{b.level}"]
                p = Paragraph(_pdf_escape(b.text), st)
                p._heading_key = _norm(b.text)
                story.append(p)
            elif b.kind == "directive":
                if b.text == "pagebreak":
                    story.append(PageBreak())
                elif b.text == "two-columns":
                    story += [NextPageTemplate("two"), PageBreak()]
                elif b.text == "one-column":
                    story += [NextPageTemplate("one"), PageBreak()]
            elif b.kind == "contents_line":
                page = state["toc"].get(_norm(b.text), b.page)
                label = _pdf_escape(b.text)
                lw = stringWidth(b.text, "Helvetica", base)
                pw = stringWidth(str(page), "Helvetica", base)
                dots = max(3, int((fw - lw - pw - 30) / stringWidth(".", "Helvetica", base)))
                story.append(Paragraph(f"{label} {'.' * dots} {page}", ParagraphStyle("toc", parent=body,
                                                                                     spaceAfter=2)))
            elif b.kind == "para":
                lvl = b.level
                width = {1: 1.1 * cm, 2: 1.9 * cm}.get(lvl, 2.5 * cm) if "-" not in b.number else 1.1 * cm
                para = NumPara(_pdf_escape(b.text), para_style(lvl, width), bulletText=b.number)
                para._num = b.number
                story.append(para)
            elif b.kind == "bullet":
                story.append(Paragraph(_pdf_escape(b.text), styles["bullet"], bulletText="\u2022"))
            elif b.kind == "line":
                st = styles["sheet"] if (sheet or not in_cover) and b.section_kind == "cover" else (
                    styles["cover"] if in_cover else body)
                story.append(Paragraph(_pdf_escape(b.text), st))
            elif b.kind == "table":
                ncol = max(len(r) for r in b.rows)
                rows = [[Paragraph(_pdf_escape(c), styles["cellb" if ri == 0 else "cell"]) for c in r]
                        + [""] * (ncol - len(r)) for ri, r in enumerate(b.rows)]
                widths = m.get("table_widths", {}).get(ncol)
                avail = fw if not widths else None
                colws = [avail / ncol] * ncol if avail else [fw * w for w in widths]
                t = Table(rows, colWidths=colws, repeatRows=1, hAlign="LEFT")
                t.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                story += [t, Spacer(1, 8)]
        doc.build(story)
        return doc.page

    # Two or more passes: page totals and contents page numbers come from the previous pass.
    prev = None
    for _ in range(5):
        buf = io.BytesIO()
        state["found"], state["para_pages"] = {}, {}
        pages = build(buf)
        sig = (pages, tuple(sorted(state["found"].items())))
        if sig == prev:
            break
        prev = sig
        state["pages"], state["toc"] = pages, dict(state["found"])
    out.write_bytes(buf.getvalue())
    # where things were printed: lets readers' page provenance be checked
    headings = {b.text: state["found"].get(_norm(b.text)) for b in src.blocks if b.kind == "heading" and b.text}
    layout = {"id": src.id, "pages": state["pages"], "heading_pages": headings,
              "paragraph_pages": state["para_pages"]}
    (TRUTH_DIR / f"{src.id}.pages.json").write_text(json.dumps(layout, indent=1, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
    return state["pages"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


# ---------------------------------------------------------------------------------------
# DOCX (python-docx)
# ---------------------------------------------------------------------------------------
def _docx_field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _docx_runs(paragraph, text: str) -> None:
    for i, part in enumerate(re.split(r"\*\*", text)):
        if part:
            run = paragraph.add_run(part)
            run.bold = bool(i % 2)


def render_docx(src: Source, out: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    m = src.meta
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Arial"
    st.font.size = Pt(11)
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    if m.get("header"):
        sec.header.paragraphs[0].text = m["header"]
    if m.get("footer"):
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        parts = re.split(r"(\{page\}|\{pages\})", m["footer"])
        for part in parts:
            if part == "{page}":
                _docx_field(fp, "PAGE")
            elif part == "{pages}":
                _docx_field(fp, "NUMPAGES")
            elif part:
                fp.add_run(part)
    in_cover = False
    started = False
    for b in src.blocks:
        if b.kind == "heading":
            if in_cover and b.section_kind != "cover":
                doc.add_page_break()
                in_cover = False
            if b.section_kind == "cover" and not started:
                in_cover = True
            started = True
            if b.text:
                if in_cover:
                    doc.add_heading(b.text, level=0)
                else:
                    doc.add_heading(b.text, level=b.level)
        elif b.kind == "directive" and b.text == "pagebreak":
            doc.add_page_break()
        elif b.kind == "contents_line":
            p = doc.add_paragraph()
            p.paragraph_format.tab_stops.add_tab_stop(Cm(16))
            p.add_run(f"{b.text}\t{b.page}")
        elif b.kind == "para":
            p = doc.add_paragraph()
            ind = Cm(1.2 if b.level <= 1 else 1.8)
            p.paragraph_format.left_indent = ind
            p.paragraph_format.first_line_indent = -ind
            p.paragraph_format.tab_stops.add_tab_stop(ind)
            p.add_run(f"{b.number}\t")
            _docx_runs(p, b.text)
        elif b.kind == "bullet":
            p = doc.add_paragraph(style="List Bullet")
            _docx_runs(p, b.text)
        elif b.kind == "line":
            p = doc.add_paragraph()
            if in_cover:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_runs(p, b.text)
        elif b.kind == "table":
            ncol = max(len(r) for r in b.rows)
            t = doc.add_table(rows=0, cols=ncol)
            t.style = "Table Grid"
            for ri, r in enumerate(b.rows):
                cells = t.add_row().cells
                for ci, c in enumerate(r):
                    cells[ci].text = ""
                    run = cells[ci].paragraphs[0].add_run(c)
                    run.bold = ri == 0
            doc.add_paragraph()
    cp = doc.core_properties
    cp.title, cp.author, cp.subject = m["title"], m.get("author") or "", m["review_type"]
    cp.last_modified_by, cp.revision, cp.comments = "sca corpora", 1, ""
    cp.created = cp.modified = cp.last_printed = FIXED_DATE
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# HTML with site chrome
# ---------------------------------------------------------------------------------------
def render_html(src: Source, out: Path) -> None:
    m = src.meta
    site = m.get("site_name", m["board"])
    esc = lambda t: re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(t, quote=False))  # noqa: E731
    body: list[str] = []
    in_list = False
    for b in src.blocks:
        if b.kind != "bullet" and in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "heading":
            if b.text:
                lvl = 1 if b.section_kind == "cover" else b.level + 1
                body.append(f"<h{lvl}>{esc(b.text)}</h{lvl}>")
        elif b.kind == "para":
            body.append(f'<p class="numbered"><span class="para-num">{b.number}</span> {esc(b.text)}</p>')
        elif b.kind == "bullet":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{esc(b.text)}</li>")
        elif b.kind == "line":
            body.append(f"<p>{esc(b.text)}</p>")
        elif b.kind == "contents_line":
            body.append(f'<p class="toc"><a href="#">{esc(b.text)}</a></p>')
        elif b.kind == "table":
            rows = [f"<tr>{''.join(f'<th>{esc(c)}</th>' for c in b.rows[0])}</tr>"]
            rows += [f"<tr>{''.join(f'<td>{esc(c)}</td>' for c in r)}</tr>" for r in b.rows[1:]]
            body.append("<table>\n" + "\n".join(rows) + "\n</table>")
    if in_list:
        body.append("</ul>")
    nav = "".join(f'<li><a href="/{x.lower().replace(" ", "-")}">{x}</a></li>'
                  for x in m.get("site_nav", ["Home", "About us", "Professionals", "Parents and carers",
                                              "Reviews and learning", "Contact us"]))
    crumbs = " &gt; ".join(f'<a href="#">{html.escape(c)}</a>' for c in m.get("breadcrumbs", ["Home"]))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in m.get("footnotes", []))
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{html.escape(m['title'])} | {html.escape(site)}</title>
<meta name="description" content="{html.escape(m['title'])}">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<div id="cookie-banner" class="cookie-banner" role="dialog">
<p>We use cookies to make this site work and to understand how you use it. Some are essential; others help us improve our services. You can accept all cookies or choose which ones we may set.</p>
<button>Accept all cookies</button> <button>Reject optional cookies</button> <a href="/cookies">Cookie settings</a>
</div>
<header class="site-header">
<a class="skip-link" href="#main">Skip to main content</a>
<div class="logo"><a href="/">{html.escape(site)}</a></div>
<form class="search" action="/search"><label for="q">Search this site</label><input id="q" name="q"><button>Search</button></form>
<nav class="main-nav"><ul>{nav}</ul></nav>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumb">{crumbs}</nav>
<main id="main">
<article class="review">
{chr(10).join(body)}
</article>
{'<section class="footnotes"><h2>Notes</h2><ol>' + notes + '</ol></section>' if notes else ''}
<aside class="related"><h2>Related pages</h2><ul><li><a href="#">Published reviews</a></li><li><a href="#">Learning briefings</a></li><li><a href="#">Training calendar</a></li></ul></aside>
</main>
<footer class="site-footer">
<ul><li><a href="/accessibility">Accessibility statement</a></li><li><a href="/privacy">Privacy notice</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/sitemap">Site map</a></li></ul>
<p>&copy; {html.escape(site)} {m.get('year', '')}. All rights reserved. If you are worried about a child, call the Children's Advice Line.</p>
<p>Page last updated: {m.get('page_updated', '1 March ' + str(m.get('year', '')))}</p>
</footer>
</body>
</html>
"""
    out.write_text(page, encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------------------
def render_txt(src: Source, out: Path) -> None:
    width = int(src.meta.get("wrap", 76))
    lines: list[str] = []
    for b in src.blocks:
        if b.kind == "heading":
            if b.text:
                lines += ["", b.text.upper() if b.level == 1 else b.text, ("=" if b.level == 1 else "-")
                          * len(b.text), ""]
        elif b.kind == "para":
            pad = " " * (len(b.number) + 2)
            lines += textwrap.wrap(_strip_inline(b.text), width, initial_indent=f"{b.number}  ", break_on_hyphens=False,
                                   subsequent_indent=pad) + [""]
        elif b.kind == "bullet":
            lines += textwrap.wrap(_strip_inline(b.text), width, initial_indent="  * ", break_on_hyphens=False,
                                   subsequent_indent="    ") + [""]
        elif b.kind == "line":
            lines += textwrap.wrap(_strip_inline(b.text), width, break_on_hyphens=False) + [""]
        elif b.kind == "contents_line":
            lines.append(f"{b.text} {'.' * max(3, width - len(b.text) - len(b.page) - 2)} {b.page}")
        elif b.kind == "table":
            ncol = max(len(r) for r in b.rows)
            for r in b.rows:
                lines.append(" | ".join(_strip_inline(c) for c in r + [""] * (ncol - len(r))))
            lines.append("")
    text = "\n".join(lines).strip() + "\n"
    out.write_text(re.sub(r"\n{3,}", "\n\n", text), encoding=src.meta.get("encoding", "utf-8"))


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "html": render_html, "txt": render_txt}


def build_truth(src: Source) -> tuple[str, str]:
    truth = json.dumps(truth_for(src), indent=1, ensure_ascii=False) + "\n"
    events = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events_for(src))
    return truth, events


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="*", help="source ids to build (default: all)")
    ap.add_argument("--truth-only", action="store_true", help="write truth files only, no documents")
    args = ap.parse_args(argv)
    DOCS_DIR.mkdir(exist_ok=True)
    TRUTH_DIR.mkdir(exist_ok=True)
    sources = sorted(SOURCE_DIR.glob("*.md"))
    if args.ids:
        sources = [p for p in sources if p.stem in args.ids]
    for path in sources:
        src = parse_source(path)
        truth, events = build_truth(src)
        (TRUTH_DIR / f"{src.id}.json").write_text(truth, encoding="utf-8")
        (TRUTH_DIR / f"{src.id}.events.jsonl").write_text(events, encoding="utf-8")
        if not args.truth_only:
            out = DOCS_DIR / f"{src.id}.{src.fmt}"
            pages = RENDERERS[src.fmt](src, out)
            words = sum(len(b.text.split()) + sum(len(" ".join(r).split()) for r in b.rows) for b in src.blocks)
            print(f"{src.id}: {out.relative_to(HERE)} ({words} words{f', {pages} pages' if pages else ''}, "
                  f"{events.count(chr(10))} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
