"""PDF reader (pdfplumber): positioned lines with font size/weight, plus ruled tables.

One pass per page, closing each page after use so memory stays flat on long reports.
Text comes from ``extract_text_lines(use_text_flow=True)``, which keeps a two-column page
and wrapped table cells in the order they were written.  Tables are only looked for on
pages that have ruling lines, and their words are removed from the running text.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from sca.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError, NoTextLayerError
from sca.structure.blocks import Line
from sca.structure.text import clean_spaces, fix_chars

# pdfminer is chatty about harmless font problems.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class PdfContent:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[tuple[int, tuple[float, float, float, float], list[list[str]]]] = []  # (page, bbox, rows)
        self.pages = 0
        self.info: dict = {}
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.image_only_pages: list[int] = []
        self.bad_pages: list[tuple[int, str]] = []


def _is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            tail = fh.read()
            if b"/Encrypt" in tail:
                return True
            fh.seek(0)
            return b"/Encrypt" in fh.read(min(size, 4_000_000))
    except OSError:
        return False


def _open(path: Path):
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps every pdfminer error in PdfminerException
        chain = f"{type(exc).__name__} {exc} {type(exc.__cause__).__name__ if exc.__cause__ else ''} {exc.__context__!r}"
        if "Password" in chain or "Encrypt" in chain or _is_encrypted(path):
            raise EncryptedDocumentError(
                "the PDF is encrypted (password protected); remove the protection and try again", path
            ) from exc
        raise CorruptDocumentError(f"the PDF is corrupt or truncated and cannot be opened ({exc or type(exc).__name__})", path) from exc


def _superscripts(chars: list[dict]) -> set[tuple[float, float]]:
    """Positions of small raised digits after body text ("2013³"): footnote reference marks."""
    if not chars:
        return set()
    body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    out: set[tuple[float, float]] = set()
    prev = None
    for c in chars:
        t = c["text"]
        if prev is not None and (t.isdigit() or t in "*†‡") and c["size"] <= 0.8 * body:
            if (prev["size"] >= 0.9 * body and abs(prev["top"] - c["top"]) < body
                    and c["bottom"] < prev["bottom"] - 0.15 * body and 0 <= c["x0"] - prev["x1"] < 0.5 * body):
                out.add((round(c["x0"], 2), round(c["top"], 2)))
                continue  # keep comparing later digits of the same mark with the word before it
        prev = c
    return out


def _scrambled(lines: list[dict]) -> bool:
    """Does the stream order jump back up the page far more often than columns explain?"""
    if len(lines) < 8:
        return False
    jumps = 0
    for a, b in zip(lines, lines[1:]):
        height = max(a["bottom"] - a["top"], 1.0)
        if b["top"] < a["top"] - 1.5 * height and b["x0"] <= a["x0"] + 20:
            jumps += 1
    return jumps > max(3, 0.1 * len(lines))


def _clean_cell(cell) -> str:
    return clean_spaces(fix_chars(cell or ""))


def page_tables(view_page) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """Ruled tables of one pdfplumber page: (bbox, rows) with at least 2 rows and 2 columns."""
    found = []
    for tab in view_page.find_tables():
        rows = [[_clean_cell(c) for c in row] for row in tab.extract()]
        rows = [r for r in rows if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            found.append((tuple(float(x) for x in tab.bbox), rows))
    return found


def _view_lines(view_page, chars: list[dict], bboxes: list) -> list[dict]:
    """Printed lines of a pdfplumber page outside the table boxes, in reading order, as dicts
    (text, top, bottom, x0, x1, size, bold)."""
    out = []
    if bboxes:
        def _outside(obj, _b=bboxes):
            if obj.get("object_type") != "char":
                return True
            cx = (obj["x0"] + obj["x1"]) / 2
            cy = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in _b)

        view = view_page.filter(_outside)
    else:
        view = view_page
    # drop rotated characters (watermarks, margin notes) and footnote reference marks
    sup = _superscripts(chars)
    view = view.filter(
        lambda o: o.get("object_type") != "char"
        or (o.get("upright", True) and (not sup or (round(o["x0"], 2), round(o["top"], 2)) not in sup))
    )
    raw_lines = view.extract_text_lines(layout=False, strip=True, return_chars=True, use_text_flow=True)
    if _scrambled(raw_lines):
        # the content stream is not in reading order: fall back on position order
        raw_lines = view.extract_text_lines(layout=False, strip=True, return_chars=True, use_text_flow=False)
    for ln in raw_lines:
        if not ln["text"].strip():
            continue
        lchars = [c for c in ln["chars"] if c["text"].strip()]
        if lchars:
            sizes = Counter(round(c["size"], 1) for c in lchars)
            size = sizes.most_common(1)[0][0]
            nbold = sum(1 for c in lchars if re.search(r"bold|black|heavy|semibold", c["fontname"], re.I))
            bold = nbold >= 0.6 * len(lchars)
        else:
            size, bold = 0.0, False
        out.append({"text": ln["text"], "top": ln["top"], "bottom": ln["bottom"], "x0": ln["x0"], "x1": ln["x1"],
                    "size": size, "bold": bold})
    return out


def printed_view(page):
    """The page cropped to its box: text placed outside the page (overflowing frames) is not printed."""
    return page.within_bbox(page.bbox, relative=False, strict=False) if page.bbox else page


def page_lines(page, bboxes: list) -> list[dict]:
    """Lines of a whole pdfplumber page (used by the pdfium engine for out-of-order pages)."""
    view_page = printed_view(page)
    chars = [c for c in view_page.chars if c.get("upright", True)]
    return _view_lines(view_page, chars, bboxes)


def read_pdf(path: Path, find_tables: bool = True) -> PdfContent:
    out = PdfContent()
    pdf = _open(path)
    chars_total = 0
    images_total = 0
    try:
        try:
            pages = pdf.pages
            out.info = {k: v for k, v in (pdf.metadata or {}).items() if isinstance(v, str)}
        except Exception as exc:
            raise CorruptDocumentError(f"the PDF page tree is damaged ({exc})", path) from exc
        out.pages = len(pages)
        if not pages:
            raise EmptyDocumentError("the PDF has no pages", path)
        order = 0
        for pno, page in enumerate(pages, start=1):
            try:
                # text placed outside the page (overflowing frames) is not printed
                view_page = page.within_bbox(page.bbox, relative=False, strict=False) if page.bbox else page
                chars = [c for c in view_page.chars if c.get("upright", True)]
                images_total += len(view_page.images)
                chars_total += len(chars)
                out.widths[pno] = float(page.width)
                out.heights[pno] = float(page.height)
                if not chars:
                    if view_page.images:
                        out.image_only_pages.append(pno)
                    continue
                bboxes = []
                if find_tables and (view_page.edges or view_page.rects):
                    for bbox, rows in page_tables(view_page):
                        bboxes.append(bbox)
                        out.tables.append((pno, bbox, rows))
                for ln in _view_lines(view_page, chars, bboxes):
                    text = fix_chars(ln["text"])
                    if not text.strip():
                        continue
                    out.lines.append(
                        Line(text=text, page=pno, top=float(ln["top"]), bottom=float(ln["bottom"]),
                             x0=float(ln["x0"]), x1=float(ln["x1"]), size=ln["size"], bold=ln["bold"], order=order)
                    )
                    order += 1
            except (EmptyDocumentError, NoTextLayerError):
                raise
            except Exception as exc:  # one damaged page should not lose the whole review
                out.bad_pages.append((pno, f"{type(exc).__name__}: {exc}"))
            finally:
                # close the page itself (not only the cropped view) so its cached objects are freed
                page.close()
    finally:
        pdf.close()
    return check_readable(out, chars_total, images_total, path)


def check_readable(out: PdfContent, chars_total: int, images_total: int, path: Path) -> PdfContent:
    """Refuse a PDF that gave nothing to read, saying why (shared by both text engines)."""
    if out.bad_pages and len(out.bad_pages) >= out.pages:
        raise CorruptDocumentError(f"no page of the PDF could be read ({out.bad_pages[0][1]})", path)
    if chars_total == 0:
        if images_total:
            raise NoTextLayerError(
                "the PDF has no text layer (it looks like a scan of printed pages); OCR is needed before it can be read",
                path,
            )
        raise EmptyDocumentError("the PDF contains no text", path)
    return out
