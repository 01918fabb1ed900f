"""Fast PDF reader (pypdfium2): the same positioned lines as :mod:`sca.ingest.pdf`, 10-50x quicker.

Text comes from pdfium's text page in content-stream order (so a two-column page stays
column by column), split into printed lines at pdfium's generated line breaks.  Per line we
keep the loose bounding box (in pdfplumber's convention: ``top`` measured from the page
top), the dominant font size and whether most characters are set in a bold face.  Rotated
characters (watermarks, margin notes) and small raised footnote digits are dropped.  pdfium
writes U+FFFE for a hyphen at a line end; :func:`sca.structure.text.fix_chars` turns it back
into ``-`` so the vocabulary-checked dehyphenation decides between "safe-guarding" and
"multi-agency".

Tables: only pages that draw enough path segments to make a ruled table are searched, with
pdfplumber's own table finder (``TableFinder``/``Table.extract``) fed with edges and
characters taken from pdfium, shaped as pdfplumber would see them; pages with form XObjects
or a /Rotate are opened with pdfplumber itself.  A page whose content stream jumps about
(text not in reading order) is also read by pdfplumber.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from collections import Counter
from pathlib import Path

from sca.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError, NoTextLayerError
from sca.ingest.pdf import PdfContent, _is_encrypted, _scrambled, check_readable, page_lines, page_tables, printed_view
from sca.structure.blocks import Line
from sca.structure.text import fix_chars

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_FORCE_BOLD = 1 << 18  # PDF font flag 19 (ForceBold)
#: a page needs at least this many path segments before a ruled table (2 x 2 cells) is possible
MIN_TABLE_SEGMENTS = 8
#: characters whose top and bottom both move more than this (pt) start a new line (pdfplumber's default)
Y_TOLERANCE = 3.0
#: find ruled tables with pdfplumber's table code fed with pdfium's paths and characters
#: (False: parse table pages with pdfplumber itself, several times slower)
NATIVE_TABLES = True


def _open(path: Path):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorruptDocumentError(f"the PDF cannot be read ({exc})", path) from exc
    if not data.strip():
        raise EmptyDocumentError("the file is empty", path)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY) or _is_encrypted(path):
            raise EncryptedDocumentError(
                "the PDF is encrypted (password protected); remove the protection and try again", path
            ) from exc
        # let the pdfplumber engine name the problem, so both engines refuse a file alike
        # (pdfium also rejects a well-formed PDF without pages)
        from sca.ingest.pdf import _open as open_plumber

        plumber = open_plumber(path)  # raises Encrypted/CorruptDocumentError
        try:
            if not plumber.pages:
                raise EmptyDocumentError("the PDF has no pages", path) from exc
        finally:
            plumber.close()
        raise CorruptDocumentError(f"the PDF is corrupt or truncated and cannot be opened ({exc})", path) from exc
    # pdfium repairs a cut-off file silently and shows the pages it can find; a review with
    # its end missing should be refused, as the pdfplumber engine does
    if b"%%EOF" not in data[-2048:]:
        doc.close()
        raise CorruptDocumentError("the PDF is corrupt or truncated and cannot be opened (no end-of-file marker)", path)
    return doc, data


def _path_segments(page) -> tuple[int, bool]:
    """Number of path segments drawn on the page (top level) and whether it has form XObjects."""
    import pypdfium2.raw as raw

    segs = 0
    forms = False
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        t = raw.FPDFPageObj_GetType(obj)
        if t == raw.FPDF_PAGEOBJ_PATH:
            segs += max(raw.FPDFPath_CountSegments(obj), 0)
        elif t == raw.FPDF_PAGEOBJ_FORM:
            forms = True
    return segs, forms


_FAST: dict = {}


def _fast():
    """Private ctypes prototypes taking and returning plain addresses (no pointer objects per call)."""
    if not _FAST:
        import pypdfium2_raw.bindings as bindings

        lib = bindings._libs["pdfium"]
        vp, ci = ctypes.c_void_p, ctypes.c_int
        for name, res, args in (
            ("FPDFText_GetTextObject", vp, [vp, ci]),
            ("FPDFText_GetLooseCharBox", ci, [vp, ci, vp]),
            ("FPDFText_GetCharAngle", ctypes.c_float, [vp, ci]),
            ("FPDFText_GetFontSize", ctypes.c_double, [vp, ci]),
            ("FPDFText_GetFontWeight", ci, [vp, ci]),
            ("FPDFText_GetFontInfo", ctypes.c_ulong, [vp, ci, vp, ctypes.c_ulong, vp]),
        ):
            fn = lib[name]  # a fresh function object: pypdfium2's own prototypes stay untouched
            fn.restype, fn.argtypes = res, args
            _FAST[name] = fn
    return _FAST


class _Chars:
    """The text of one pdfium text page and facts about its characters.

    Font size, angle and weight are the same for every character of one text object, so
    they are asked once per text object; per character only its object and box are asked.
    """

    def __init__(self, textpage) -> None:
        import pypdfium2.raw as raw

        self.tp = ctypes.cast(textpage.raw if hasattr(textpage, "raw") else textpage, ctypes.c_void_p).value
        self.n = raw.FPDFText_CountChars(textpage)
        if self.n <= 0:
            self.text = ""
            return
        buf = ctypes.create_string_buffer((self.n + 1) * 2)
        got = raw.FPDFText_GetText(textpage, 0, self.n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        self.text = buf.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
        self._objects: dict = {}
        self._namebuf = ctypes.create_string_buffer(256)
        self._flags = ctypes.c_int()

    def style(self, i: int, obj: int | None) -> tuple[float, bool, bool]:
        """(font size to 0.1 pt, upright, bold) of character ``i`` (from its text object ``obj``)."""
        hit = self._objects.get(obj) if obj else None
        if hit is None:
            f = _fast()
            ang = f["FPDFText_GetCharAngle"](self.tp, i)
            upright = ang < 1e-3 or abs(ang - 2 * math.pi) < 1e-3
            size = round(f["FPDFText_GetFontSize"](self.tp, i), 1)
            n = f["FPDFText_GetFontInfo"](self.tp, i, ctypes.addressof(self._namebuf), 256, ctypes.addressof(self._flags))
            name = self._namebuf.raw[: max(n - 1, 0)].decode("latin-1", errors="replace")
            weight = f["FPDFText_GetFontWeight"](self.tp, i)
            bold = bool(_BOLD.search(name)) or weight >= 600 or bool(self._flags.value & _FORCE_BOLD)
            hit = (size, upright, bold)
            if obj:
                self._objects[obj] = hit
        return hit


def _superscripts(chars: list[tuple]) -> set[int]:
    """Indices of small raised digits right after body text ("2013³"): footnote marks.

    ``chars`` holds (index, text, size, top, bottom, x0, x1) of the printed characters.
    Mirrors :func:`sca.ingest.pdf._superscripts`.
    """
    if not chars:
        return set()
    body = Counter(c[2] for c in chars).most_common(1)[0][0]
    out: set[int] = set()
    prev = None
    for c in chars:
        t = c[1]
        if prev is not None and (t.isdigit() or t in "*†‡") and c[2] <= 0.8 * body:
            if (prev[2] >= 0.9 * body and abs(prev[3] - c[3]) < body
                    and c[4] < prev[4] - 0.15 * body and 0 <= c[5] - prev[6] < 0.5 * body):
                out.add(c[0])
                continue
        prev = c
    return out


def _page_lines(textpage, box: tuple[float, float, float, float], tables: list[tuple]) -> list[dict]:
    """Printed lines of one page as dicts (text, top, bottom, x0, x1, size, bold), stream order.

    ``box`` is the media box (x0, y0, x1, y1): like pdfplumber, x is measured from its left
    edge and ``top`` down from its top edge, and characters outside it are not printed.
    """
    left, base, width, height = box[0], box[3], box[2] - box[0], box[3] - box[1]
    import pypdfium2.raw as raw

    ch = _Chars(textpage)
    text = ch.text
    if not text:
        return []
    f = _fast()
    get_obj, get_box = f["FPDFText_GetTextObject"], f["FPDFText_GetLooseCharBox"]
    rect = raw.FS_RECTF()
    rect_p = ctypes.addressof(rect)
    tp = ch.tp
    printed: list[tuple] = []  # (index, char, size, top, bottom, x0, x1)
    bold: dict[int, bool] = {}
    for i, c in enumerate(text):
        if c.isspace():
            continue
        obj = get_obj(tp, i)
        size, upright, is_bold = ch.style(i, obj)
        if not upright:
            continue  # rotated: watermark or margin note
        if not get_box(tp, i, rect_p):
            continue
        top, bottom = base - rect.top, base - rect.bottom
        x0, x1 = rect.left - left, rect.right - left
        if x0 < 0 or x1 > width or top < 0 or bottom > height:
            continue  # not wholly on the page: not printed (as pdfplumber's view of the page)
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        if tables and any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in tables):
            continue
        printed.append((i, c, size, top, bottom, x0, x1))
        bold[i] = is_bold
    sup = _superscripts(printed)
    keep = {p[0]: p for p in printed if p[0] not in sup}
    lines: list[dict] = []
    cur: list[int] = []

    def flush() -> None:
        if not cur:
            return
        pos = [keep[i] for i in cur if i in keep]
        if pos:
            s = "".join(text[i] if i in keep else " " for i in cur).strip()
            if s:
                sizes = Counter(p[2] for p in pos)
                nbold = sum(1 for p in pos if bold[p[0]])
                lines.append({
                    "text": s, "top": min(p[3] for p in pos), "bottom": max(p[4] for p in pos),
                    "x0": min(p[5] for p in pos), "x1": max(p[6] for p in pos),
                    "size": sizes.most_common(1)[0][0], "bold": nbold >= 0.6 * len(pos),
                })
        cur.clear()

    last = None
    for i, c in enumerate(text):
        if c == "\n" or c == "\r":
            flush()
            last = None
            continue
        p = keep.get(i)
        if p is not None:
            # pdfium does not break the line after a line-end hyphen (U+FFFE), nor always
            # when the text moves back to the left margin of the next line
            if last is not None:
                h = max(last[4] - last[3], p[4] - p[3], 1.0)
                if (abs((p[3] + p[4]) - (last[3] + last[4])) / 2 > 0.6 * h and p[5] < last[6]) or (
                        abs(p[3] - last[3]) > Y_TOLERANCE and abs(p[4] - last[4]) > Y_TOLERANCE):
                    flush()  # moved to another line (as pdfplumber's y_tolerance would say)
            cur.append(i)
            last = p
            if c == "\ufffe":
                flush()
                last = None
        elif c.isspace():
            cur.append(i)
    flush()
    return lines


#: pdfium is not thread-safe, not even across documents: one reader at a time per process
#: (threads of a Dask worker, notebooks with thread pools).  Processes run in parallel.
_PDFIUM_LOCK = threading.RLock()


def read_pdf_pdfium(path: Path, find_tables: bool = True) -> PdfContent:
    """Read a PDF with pdfium; same :class:`PdfContent` and errors as :func:`sca.ingest.pdf.read_pdf`."""
    with _PDFIUM_LOCK:
        return _read(Path(path), find_tables)


def _read(path: Path, find_tables: bool) -> PdfContent:
    import pypdfium2.raw as raw

    path = Path(path)
    out = PdfContent()
    doc, _data = _open(path)
    plumber = None  # opened lazily for table pages and out-of-order pages
    chars_total = 0
    images_total = 0

    def plumber_page(pno: int):
        nonlocal plumber
        if plumber is None:
            from sca.ingest.pdf import _open as open_plumber

            plumber = open_plumber(path)
        return plumber.pages[pno - 1]

    try:
        try:
            out.pages = len(doc)
            meta = doc.get_metadata_dict(skip_empty=True)
            out.info = {k: v for k, v in meta.items() if isinstance(v, str)}
        except Exception as exc:
            raise CorruptDocumentError(f"the PDF page tree is damaged ({exc})", path) from exc
        if not out.pages:
            raise EmptyDocumentError("the PDF has no pages", path)
        order = 0
        for pno in range(1, out.pages + 1):
            page = textpage = None
            try:
                page = doc[pno - 1]
                box = tuple(float(v) for v in page.get_mediabox())
                out.widths[pno] = box[2] - box[0]
                out.heights[pno] = box[3] - box[1]
                nobj = raw.FPDFPage_CountObjects(page)
                n_images = sum(1 for k in range(nobj)
                               if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, k)) == raw.FPDF_PAGEOBJ_IMAGE)
                images_total += n_images
                textpage = page.get_textpage()
                nchars = raw.FPDFText_CountChars(textpage)
                if nchars <= 0:
                    if n_images:
                        out.image_only_pages.append(pno)
                    continue
                bboxes: list[tuple] = []
                if find_tables:
                    segs, forms = _path_segments(page)
                    if segs >= MIN_TABLE_SEGMENTS and not forms and not page.get_rotation() and NATIVE_TABLES:
                        found = _native_tables(page, textpage, box)
                    elif segs >= MIN_TABLE_SEGMENTS or forms:
                        # form XObjects or a rotated page: let pdfplumber parse the page
                        ppage = plumber_page(pno)
                        try:
                            found = page_tables(printed_view(ppage))
                        finally:
                            ppage.close()
                    else:
                        found = []
                    for bbox, rows in found:
                        bboxes.append(bbox)
                        out.tables.append((pno, bbox, rows))
                raw_lines = _page_lines(textpage, box, bboxes)
                if not raw_lines:
                    continue
                chars_total += sum(len(l["text"]) for l in raw_lines)
                if _scrambled(raw_lines):
                    # content stream not in reading order: let pdfplumber order it by position
                    ppage = plumber_page(pno)
                    try:
                        raw_lines = page_lines(ppage, bboxes)
                    finally:
                        ppage.close()
                for ln in raw_lines:
                    text = fix_chars(ln["text"])
                    if not text.strip():
                        continue
                    out.lines.append(Line(text=text, page=pno, top=float(ln["top"]), bottom=float(ln["bottom"]),
                                          x0=float(ln["x0"]), x1=float(ln["x1"]), size=ln["size"], bold=ln["bold"],
                                          order=order))
                    order += 1
            except (EmptyDocumentError, NoTextLayerError, EncryptedDocumentError, CorruptDocumentError):
                raise
            except Exception as exc:  # one damaged page should not lose the whole review
                out.bad_pages.append((pno, f"{type(exc).__name__}: {exc}"))
            finally:
                if textpage is not None:
                    textpage.close()
                if page is not None:
                    page.close()
    finally:
        if plumber is not None:
            plumber.close()
        doc.close()
    return check_readable(out, chars_total, images_total, path)


# ---------------------------------------------------------------- tables without pdfplumber parsing
class _TablePage:
    """The two things pdfplumber's table finder and ``Table.extract`` read from a page."""

    def __init__(self, edges: list[dict], chars: list[dict], bbox: tuple) -> None:
        self.edges, self.chars, self.bbox = edges, chars, bbox


def _path_edges(page, box: tuple) -> list[dict]:
    """pdfplumber-style edges of the page's path objects (as pdfminer splits them: one shape per
    sub-path; an axis-aligned closed four-corner shape is a rect with four sides, a two-point
    shape a line, anything else a curve with an edge between consecutive points)."""
    import pypdfium2.raw as raw

    left, base = box[0], box[3]
    x, y = ctypes.c_float(), ctypes.c_float()
    m = raw.FS_MATRIX()
    edges: list[dict] = []

    def edge(kind, x0, t, x1, b, orient):
        edges.append({"object_type": kind, "x0": x0, "x1": x1, "top": t, "bottom": b, "doctop": t,
                      "width": x1 - x0, "height": b - t, "orientation": orient})

    width, height = box[2] - box[0], box[3] - box[1]

    def shape(pts: list[tuple[float, float]]) -> None:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if min(xs) < 0 or max(xs) > width or min(ys) < 0 or max(ys) > height:
            return  # like pdfplumber's view of the page: only shapes wholly on the page
        if len(pts) >= 2 and pts[-1] == pts[0] and len(pts) == 5:
            pts = pts[:-1]
        if len(pts) == 4:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
            if (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0) or (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0):
                xs, ys = (x0, x1, x2, x3), (y0, y1, y2, y3)
                l, r_, t, b = min(xs), max(xs), min(ys), max(ys)
                edge("rect_edge", l, t, r_, t, "h")
                edge("rect_edge", l, b, r_, b, "h")
                edge("rect_edge", l, t, l, b, "v")
                edge("rect_edge", r_, t, r_, b, "v")
                return
        if len(pts) == 2:
            (x0, y0), (x1, y1) = pts
            edge("line", min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), "h" if y0 == y1 else "v")
            return
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            edge("curve_edge", min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1),
                 "v" if x0 == x1 else ("h" if y0 == y1 else None))

    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        pts: list[tuple[float, float]] = []
        for k in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            px = m.a * x.value + m.c * y.value + m.e - left
            py = base - (m.b * x.value + m.d * y.value + m.f)
            pt = (round(px, 4), round(py, 4))
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO and pts:
                shape(pts)
                pts = []
            pts.append(pt)
        if pts:
            shape(pts)
    return edges


def _native_tables(page, textpage, box: tuple) -> list[tuple[tuple, list[list[str]]]]:
    """Ruled tables found by pdfplumber's own table code, fed with pdfium's edges and characters."""
    from pdfplumber.table import TableFinder

    from sca.ingest.pdf import _clean_cell

    edges = _path_edges(page, box)
    if not edges:
        return []
    ch = _Chars(textpage)
    f = _fast()
    get_obj, get_box = f["FPDFText_GetTextObject"], f["FPDFText_GetLooseCharBox"]
    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    rect_p = ctypes.addressof(rect)
    left, base = box[0], box[3]
    chars = []
    for i, c in enumerate(ch.text):
        if c in "\r\n":
            continue
        if raw.FPDFText_IsGenerated(textpage, i):
            continue
        obj = get_obj(ch.tp, i)
        size, upright, _bold = ch.style(i, obj)
        if not upright or not get_box(ch.tp, i, rect_p):
            continue
        t = base - rect.top
        if rect.left - left < 0 or rect.right - left > box[2] - box[0] or t < 0 or base - rect.bottom > box[3] - box[1]:
            continue
        chars.append({"text": "-" if c == "\ufffe" else c, "x0": rect.left - left, "x1": rect.right - left,
                      "top": t, "bottom": base - rect.bottom, "doctop": t, "upright": True, "size": size})
    shim = _TablePage(edges, chars, (0.0, 0.0, box[2] - box[0], box[3] - box[1]))
    found = []
    for tab in TableFinder(shim).tables:
        rows = [[_clean_cell(c) for c in row] for row in tab.extract()]
        rows = [r for r in rows if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            found.append((tuple(float(v) for v in tab.bbox), rows))
    return found
