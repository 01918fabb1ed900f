"""DOCX reader (python-docx): body paragraphs and tables in document order.

Heading styles ("Heading 1".."Heading 9", "Title") give headings and levels; list styles and
Word's automatic numbering give bullets and paragraph numbers; headers/footers are not body.
"""

from __future__ import annotations

import re
from pathlib import Path

from sca.errors import CorruptDocumentError, EmptyDocumentError
from sca.structure.blocks import Block
from sca.structure.text import clean_spaces, fix_chars, strip_bullet

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Numbering:
    """Render Word automatic numbering ("%1.%2") from numbering.xml."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except Exception:
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            aid = an.get(f"{_W}abstractNumId")
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    txt.get(f"{_W}val") if txt is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[aid] = lv
        for num in root.findall(f"{_W}num"):
            nid = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.levels[(nid, ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> tuple[str, str | None]:
        """Return ("bullet"|"number"|"none", rendered label)."""
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return "none", None
        fmt, text, start = spec
        if fmt == "bullet":
            return "bullet", None
        if fmt == "none":
            return "none", None
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            lvl_start = self.levels.get((num_id, len(counters)), ("decimal", "", 1))[2]
            counters.append(lvl_start - 1)
        counters[ilvl] += 1
        del counters[ilvl + 1:]
        label = text
        for i, c in enumerate(counters):
            label = label.replace(f"%{i + 1}", str(c))
        return "number", label.strip()


def _para_numpr(p) -> tuple[str, int] | None:
    ppr = p._p.pPr
    if ppr is None or ppr.numPr is None:
        # numbering may come from the style
        style = p.style
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None and sppr.numPr.numId is not None:
                ilvl = sppr.numPr.ilvl.val if sppr.numPr.ilvl is not None else 0
                return str(sppr.numPr.numId.val), int(ilvl)
            style = style.base_style
        return None
    num = ppr.numPr
    if num.numId is None:
        return None
    ilvl = num.ilvl.val if num.ilvl is not None else 0
    return str(num.numId.val), int(ilvl)


def _heading_level(style_name: str) -> int | None:
    m = re.match(r"^(?:heading|überschrift|titre)\s*(\d)$", style_name.strip(), re.I)
    if m:
        return int(m.group(1))
    if style_name.strip().lower() in ("title",):
        return 1
    if style_name.strip().lower() in ("subtitle",):
        return 2
    return None


def _all_bold(p) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def read_docx(path: Path) -> tuple[list[Block], dict]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise CorruptDocumentError(f"the Word document could not be opened ({type(exc).__name__}: {exc})", path) from exc
    numbering = _Numbering(document)
    blocks: list[Block] = []
    body = document.element.body

    def body_children(el):
        # content controls (cover pages, tables of contents) and custom XML wrap ordinary paragraphs
        for child in el.iterchildren():
            if child.tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}smartTag", f"{_W}ins"):
                inner = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
                if inner is not None:
                    yield from body_children(inner)
            else:
                yield child

    for child in body_children(body):
        tag = child.tag
        if tag == f"{_W}p":
            p = DocxParagraph(child, document)
            text = clean_spaces(fix_chars(p.text))
            if not text:
                continue
            style = p.style.name if p.style is not None else ""
            level = _heading_level(style)
            numpr = _para_numpr(p)
            label = None
            kind_num = "none"
            if numpr is not None:
                kind_num, label = numbering.label(*numpr)
            if level is not None:
                if label and not re.match(r"^\d", text):
                    text = f"{label} {text}"
                blocks.append(Block("heading", text, None, level=level, explicit=True))
                continue
            bullet_style = "bullet" in style.lower()
            if kind_num == "bullet" or bullet_style:
                blocks.append(Block("bullet", strip_bullet(text, weak=True)[1], None))
                continue
            is_bullet, rest = strip_bullet(text)
            if is_bullet:
                blocks.append(Block("bullet", rest, None))
                continue
            if label and re.match(r"^\d+(?:[.-]\d+)+\.?$", label.rstrip(".")) and label.count(".") + label.count("-") >= 1:
                blocks.append(Block("paragraph", text, None, number=label.rstrip(".")))
                continue
            if label and kind_num == "number":
                text = f"{label} {text}"
            if _all_bold(p) and len(text.split()) <= 15 and not text.endswith((".", ",", ";")):
                blocks.append(Block("heading", text, None, level=2, explicit=False))
                continue
            blocks.append(Block("paragraph", text, None))
        elif tag == f"{_W}tbl":
            table = DocxTable(child, document)
            rows: list[list[str]] = []
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(clean_spaces(fix_chars(cell.text)))
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append(Block("table", "", None, rows=rows))
    if not blocks:
        raise EmptyDocumentError("the Word document has no text in its body", path)
    props = document.core_properties
    info = {"title": props.title or None, "author": props.author or None}
    return blocks, info
