"""Running headers, footers, page numbers and watermarks: found by repetition across pages."""

from __future__ import annotations

import math
import re
from collections import defaultdict

from sca.structure.blocks import Line
from sca.structure.text import normalise

_PAGE_NUM = re.compile(
    r"^(?:[-–—|\s]*)(?:page\s*)?#+(?:\s*(?:of|/)\s*#+)?(?:[-–—|\s]*)$", re.I
)
EDGE_LINES = 3


def line_key(text: str) -> str:
    """Repetition key: lower case, numbers replaced so "Page 3 of 9" == "Page 4 of 9".

    Only short lines get their numbers masked: a running line whose number changes is a page
    number line; a long line that differs only in its numbers is body text ("On 3 May ...").
    """
    t = re.sub(r"\s+", " ", normalise(text).lower()).strip()
    if len(t.split()) <= 10:
        t = re.sub(r"\d+", "#", t)
    return t


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUM.match(line_key(text))) or bool(re.fullmatch(r"[ivxlc]{1,6}", text.strip().lower()))


def remove_running_lines(lines: list[Line], n_pages: int) -> tuple[list[Line], list[str]]:
    """Drop lines that repeat near the top or bottom of many pages, page numbers and watermarks.

    Returns the kept lines and the distinct removed texts (for warnings / inspection).
    """
    by_page: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.page].append(ln)
    edge: dict[int, set[int]] = {}
    edge_pages: dict[str, set[int]] = defaultdict(set)
    first_last: dict[str, set[int]] = defaultdict(set)  # key -> pages where it is the very first/last line
    outer: set[int] = set()
    any_pages: dict[str, set[int]] = defaultdict(set)
    for pno, plines in by_page.items():
        visual = sorted(plines, key=lambda l: (l.top, l.x0))
        ids = {id(l) for l in visual[:EDGE_LINES]} | {id(l) for l in visual[-EDGE_LINES:]}
        edge[pno] = ids
        for l in (visual[0], visual[-1]):
            outer.add(id(l))
            first_last[line_key(l.text)].add(pno)
        for l in plines:
            any_pages[normalise(l.text).lower()].add(pno)
            if id(l) in ids:
                edge_pages[line_key(l.text)].add(pno)
    pages_with_text = max(1, len(by_page))
    edge_min = max(2, math.ceil(0.4 * pages_with_text)) if pages_with_text >= 2 else 10**9
    any_min = max(3, math.ceil(0.6 * pages_with_text))
    kept: list[Line] = []
    removed: set[str] = set()
    for l in lines:
        k = line_key(l.text)
        exact = normalise(l.text).lower()
        at_edge = id(l) in edge[l.page]
        drop = False
        if at_edge and ((len(edge_pages[k]) >= edge_min and len(k.split()) <= 20) or is_page_number(l.text)):
            drop = True
        elif id(l) in outer and len(first_last[k]) >= 3 and len(k.split()) <= 15:
            drop = True  # a running header that changes with the section ("Part 2 – Analysis")
        elif len(any_pages[exact]) >= any_min and len(exact.split()) <= 12 and pages_with_text >= 3:
            drop = True  # watermark-like ("CONFIDENTIAL", "DRAFT") anywhere on the page
        if drop:
            removed.add(l.text.strip())
        else:
            kept.append(l)
    return kept, sorted(removed)
