"""PDF lines -> blocks: headings by font, paragraphs by spacing, numbers and bullets."""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

from sca.structure.blocks import Block, Line
from sca.structure.numbering import is_successor, split_number
from sca.structure.text import join_lines, strip_bullet, vocabulary

TOC_LINE = re.compile(r"^(?P<title>.{2,}?)\s*(?:\.{3,}|…+|(?:\.\s){3,}|_{3,}|\s)\s*(?P<page>\d{1,3})$")
TOC_LEADER = re.compile(r"(?:\.{3,}|…+|(?:\.\s){3,}|_{3,})\s*\d{1,3}$")
_TERMINAL = re.compile(r"[.!?:;\"”’)]$")


def _body_style(lines: list[Line]) -> tuple[float, bool]:
    weight: Counter = Counter()
    bold_w: Counter = Counter()
    for l in lines:
        weight[l.size] += len(l.text)
        bold_w[l.bold] += len(l.text)
    size = weight.most_common(1)[0][0] if weight else 0.0
    return size, bold_w.most_common(1)[0][0] if bold_w else False


def _is_heading_line(l: Line, body_size: float, body_bold: bool) -> bool:
    words = l.text.split()
    if not words or len(words) > 25:
        return False
    if TOC_LEADER.search(l.text):
        return False
    bigger = l.size >= body_size + 0.8
    bolder = l.bold and not body_bold
    if not (bigger or bolder):
        return False
    if bolder and not bigger and l.text.rstrip().endswith((".", ",")) and len(words) > 8:
        return False  # bold sentence in running text
    if bolder and not bigger and split_number(l.text)[0] and len(words) > 12:
        return False
    return True


def lines_to_blocks(lines: list[Line], tables: list[tuple[int, tuple, list[list[str]]]]) -> list[Block]:
    if not lines and not tables:
        return []
    body_size, body_bold = _body_style(lines)
    vocab = vocabulary(l.text for l in lines)
    # typical line pitch and text block right edge
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:])
            if a.page == b.page and 0 < b.top - a.top < 3 * max(body_size, 1) and a.size == body_size == b.size]
    # typical distance between lines of one paragraph: a low quantile of the gaps, capped so
    # that a document made of one-line paragraphs still splits at its paragraph spacing
    if gaps:
        gaps.sort()
        pitch = min(gaps[len(gaps) // 4], 1.45 * max(body_size, 1))
    else:
        pitch = body_size * 1.3
    right = Counter(round(l.x1 / 6) for l in lines if l.size == body_size)
    right_edge = max((k * 6 for k, n in right.items() if n >= 3), default=max((l.x1 for l in lines), default=0))
    heading_sizes = sorted({l.size for l in lines if _is_heading_line(l, body_size, body_bold)}, reverse=True)

    def level_of(l: Line) -> int:
        if l.size in heading_sizes:
            return min(heading_sizes.index(l.size) + 1, 3)
        return 2

    # tables queued per page, inserted before the first line below them
    tab_by_page: dict[int, list[tuple[tuple, list[list[str]]]]] = {}
    for pno, bbox, rows in tables:
        tab_by_page.setdefault(pno, []).append((bbox, rows))
    for v in tab_by_page.values():
        v.sort(key=lambda t: (t[0][0] // 150, t[0][1]))
    # right edge of each text column: lines on the same page starting near the same x0
    col_right: dict[tuple[int, int], float] = {}
    for l in lines:
        k = (l.page, int(l.x0 // 40))
        col_right[k] = max(col_right.get(k, 0.0), l.x1)

    half = right_edge / 2 if right_edge else 300
    left_n: Counter = Counter(l.page for l in lines if l.x1 < half + 20)
    right_n: Counter = Counter(l.page for l in lines if l.x0 > half - 40)
    multi_col = {pg for pg in left_n if left_n[pg] >= 5 and right_n.get(pg, 0) >= 5}

    def wrapped(a: Line, b: Line) -> bool:
        """Did line ``a`` end because the first word of ``b`` did not fit (a wrap)?"""
        if b.text[:1].islower() or re.search(r"(\b(and|of|the|to|in|for|on|with|a|an)|[,:;–—-])$", a.text.strip()):
            return True
        right = col_right.get((a.page, int(a.x0 // 40)), a.x1) if a.page in multi_col else max(right_edge, a.x1)
        first = b.text.split()[0] if b.text.split() else ""
        return a.x1 + len(first) * b.size * 0.5 > right - 2

    def edge_of(l: Line) -> float:
        """Right edge of the text column the line belongs to."""
        right = max(col_right.get((l.page, int(l.x0 // 40)), l.x1), col_right.get((l.page, int(l.x0 // 40) - 1), 0.0))
        if l.page not in multi_col and l.x0 < half:
            right = max(right, right_edge)
        return right

    def very_short(l: Line) -> bool:
        right = edge_of(l)
        return l.x1 < right - 0.3 * max(right - l.x0, 1)

    def is_short(l: Line) -> bool:
        right = edge_of(l)
        return l.x1 < right - 0.12 * max(right - l.x0, 1)

    blocks: list[Block] = []
    cur: list[str] = []
    cur_kind = "paragraph"
    cur_page: int | None = None
    cur_indent = 0.0
    bullet_x0 = -100.0
    bullet_lines = 0
    prev: Line | None = None
    last_num: str | None = None

    def flush() -> None:
        nonlocal cur
        if cur:
            text = join_lines(cur, vocab)
            if cur_kind == "heading":
                blocks.append(Block("heading", text, cur_page, level=cur_level, explicit=True))
            else:
                blocks.append(Block(cur_kind, text, cur_page))
        cur = []

    cur_level = 1
    emitted_pages: set[int] = set()

    def emit_tables(pno: int, line: Line | None) -> bool:
        queue = tab_by_page.get(pno)
        done = False
        while queue:
            bbox, rows = queue[0]
            if line is not None and not (bbox[1] < line.top and bbox[0] < line.x1 and line.x0 < bbox[2]):
                break
            queue.pop(0)
            flush()
            blocks.append(Block("table", "", pno, rows=rows))
            done = True
        return done

    for l in lines:
        for pno in [p for p in tab_by_page if p < l.page and tab_by_page[p]]:
            emit_tables(pno, None)
        if tab_by_page.get(l.page) and emit_tables(l.page, l):
            prev = None
        text = l.text.strip()
        is_head = _is_heading_line(l, body_size, body_bold)
        if is_head:
            same = (
                cur_kind == "heading" and cur and prev is not None and prev.page == l.page
                and abs(prev.size - l.size) < 0.3 and 0 < l.top - prev.top < 1.5 * max(l.size, 1)
                and not split_number(text)[0]
                and wrapped(prev, l)
            )
            if not same:
                flush()
                cur_kind, cur_page, cur_level = "heading", l.page, level_of(l)
            cur.append(text)
            prev = l
            continue
        bullet, rest = strip_bullet(text)
        if not bullet:
            # "- item" / "– item": a bullet only where a block could start (after a gap, after a
            # short line, or level with the previous dash item), never inside a wrapped sentence
            weak, wrest = strip_bullet(text, weak=True)
            if weak and (prev is None or prev.page != l.page or l.top - prev.top > 1.35 * pitch or is_short(prev)
                         or (cur_kind == "bullet" and abs(l.x0 - bullet_x0) < 3)):
                bullet, rest = True, wrest
        num, _ = split_number(text)
        toc = bool(TOC_LEADER.search(text))
        new = False
        if not cur or cur_kind == "heading" or toc or bullet:
            new = True
        elif prev is None or prev.page != l.page or l.top <= prev.top:
            # page or column break: continue unless the previous paragraph looks finished
            prev_short = prev is None or is_short(prev)
            if num and (prev_short or _TERMINAL.search(cur[-1]) or is_successor(last_num, num)):
                new = True
            elif prev_short and _TERMINAL.search(cur[-1]) and l.text[:1].isupper():
                new = True
        else:
            gap = l.top - prev.top
            if gap > 1.35 * pitch:
                new = True
            elif num and (is_short(prev) or _TERMINAL.search(cur[-1]) and is_successor(last_num, num)):
                new = True
            elif cur_kind == "bullet" and l.x0 < cur_indent - 4:
                new = True
            elif TOC_LEADER.search(cur[-1]):
                new = True
            elif abs(l.size - prev.size) > 1.0 and l.size != body_size:
                new = True  # a footnote, caption or note set in another size
            elif (_TERMINAL.search(cur[-1]) and l.text[:1].isupper() and very_short(prev)):
                new = True  # paragraphs without spacing: the last line of the previous one stops early
        if new:
            flush()
            cur_kind = "bullet" if bullet else "paragraph"
            cur_page = l.page
            if bullet:
                text = rest
                bullet_x0 = l.x0
                # continuation lines sit under the text after the glyph (hanging indent) or under
                # the glyph itself; the first continuation line tells which
                cur_indent = l.x0
                bullet_lines = 0
            else:
                cur_indent = l.x0
            if num:
                last_num = num
        elif cur_kind == "bullet":
            bullet_lines += 1
            if bullet_lines == 1:
                cur_indent = l.x0
        cur.append(text)
        prev = l
    flush()
    if prev is not None:
        emit_tables(prev.page, None)
    for pno in sorted(tab_by_page):
        emit_tables(pno, None)
    return blocks
