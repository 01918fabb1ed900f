"""Plain text and markdown reader: encoding detection, '#' headings, pipe tables, bullets."""

from __future__ import annotations

import re
from pathlib import Path

from sca.errors import CorruptDocumentError, EmptyDocumentError
from sca.structure.blocks import Block
from sca.structure.numbering import split_heading_number, split_number
from sca.structure.reflow import TOC_LEADER
from sca.structure.sections import classify_heading
from sca.structure.text import clean_spaces, fix_chars, join_lines, strip_bullet, vocabulary

_MD_HEAD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_PIPE = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FIELD = re.compile(r"^[A-Z][A-Za-z ]{1,25}:\s+\S")


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _drop_repeated(lines: list[str]) -> list[str]:
    """Text copied from a PDF without page breaks: blank out page-number lines, and short lines
    repeated many times right next to them (running headers/footers), keeping line positions."""
    from collections import Counter

    from sca.structure.headfoot import is_page_number, line_key

    keys = [line_key(l) for l in lines]
    counts = Counter(k for k, l in zip(keys, lines) if l.strip() and not _PIPE.match(l))
    nonempty = [i for i, l in enumerate(lines) if l.strip() and not _PIPE.match(l)]
    pagenum = {i for i in nonempty if is_page_number(lines[i].strip()) and re.search(r"\d", lines[i])}
    near_count: Counter = Counter()
    for pos, i in enumerate(nonempty):
        if i in pagenum:
            for j in nonempty[max(0, pos - 1):pos + 2]:
                if j not in pagenum:
                    near_count[keys[j]] += 1

    def running(t: str, k: str) -> bool:
        # next to a page number on several pages: a running header or footer, wherever it recurs
        return (near_count[k] >= 2 and counts[k] >= 3 and len(t.split()) <= 20 and not split_number(t)[0]
                and not _MD_HEAD.match(t) and not _SETEXT.match(t) and not strip_bullet(t, weak=True)[0])

    out = []
    for i, (l, k) in enumerate(zip(lines, keys)):
        t = l.strip()
        out.append("" if t and (i in pagenum or running(t, k)) else l)
    return out


def _paged_lines(text: str) -> tuple[list[str], list[int | None]]:
    """Split into lines; with form feeds (pdftotext output) track pages and drop running lines."""
    if text.count("\f") < 2:
        lines = text.replace("\f", "\n").split("\n")
        return _drop_repeated(lines), [None] * len(lines)
    from sca.structure.blocks import Line
    from sca.structure.headfoot import remove_running_lines

    page_texts = text.split("\f")
    if not page_texts[-1].strip():
        page_texts = page_texts[:-1]
    objs: list[Line] = []
    for pno, pt in enumerate(page_texts, start=1):
        for i, ln in enumerate(pt.split("\n")):
            if ln.strip():
                objs.append(Line(ln.strip(), pno, float(i), float(i) + 1, float(len(ln) - len(ln.lstrip())), float(len(ln))))
    kept, _ = remove_running_lines(objs, len(page_texts))
    keep = {(l.page, int(l.top)) for l in kept}
    lines: list[str] = []
    pages: list[int | None] = []
    for pno, pt in enumerate(page_texts, start=1):
        page_lines = [ln for i, ln in enumerate(pt.split("\n")) if not ln.strip() or (pno, i) in keep]
        # blank lines left at the page edges by the removed header/footer
        while page_lines and not page_lines[0].strip():
            page_lines.pop(0)
        while page_lines and not page_lines[-1].strip():
            page_lines.pop()
        if lines and page_lines:
            last = next((l for l in reversed(lines) if l.strip()), "")
            if re.search(r"[.!?:\"”)]\s*$", last) or not page_lines[0][:1].islower() and split_number(page_lines[0].strip())[0]:
                lines.append("")
                pages.append(pno)
        lines.extend(page_lines)
        pages.extend([pno] * len(page_lines))
    return lines, pages


def _looks_heading(text: str) -> bool:
    t = text.strip()
    words = t.split()
    if not words or len(words) > 14 or len(t) > 120:
        return False
    if t.endswith((".", ",", ";", "?", "!")) and not re.match(r"^\d+\.$", t):
        return False
    if TOC_LEADER.search(t) or re.search(r"\s\d{1,3}$", t):
        return False
    if split_number(t)[0]:
        return False
    if _FIELD.match(t) and not re.match(r"^(appendix|annex|finding|learning point|recommendation|part|section|chapter)\b", t, re.I):
        return False
    num, rest = split_heading_number(t)
    if num and rest and rest[:1].isupper():
        return True
    if t.isupper() and len(t) > 3:
        return True
    if classify_heading(t) is not None and t[:1].isupper():
        return True
    return False


def read_text(path: Path, data: bytes | None = None) -> tuple[list[Block], dict]:
    data = data if data is not None else path.read_bytes()
    text, encoding = decode(data, path)
    text = fix_chars(text).replace("\r\n", "\n").replace("\r", "\n")
    bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\t\f")
    if bad > 0.02 * max(1, len(text[:20000])):
        raise CorruptDocumentError("the text file contains binary data (corrupt or not text)", path)
    if not text.strip():
        raise EmptyDocumentError("the text file is empty", path)
    lines, pages = _paged_lines(text)
    markdown = path.suffix.lower() in (".md", ".markdown") or any(_MD_HEAD.match(l) for l in lines)
    vocab = vocabulary(lines)
    blocks: list[Block] = []
    chunk: list[str] = []
    chunk_page: list[int | None] = [None]

    def flush() -> None:
        if not chunk:
            return
        n_before = len(blocks)
        # split a chunk at lines that start a numbered paragraph or a bullet
        groups: list[list[str]] = []
        for ln in chunk:
            b, _ = strip_bullet(ln, weak=True)
            if not groups or b or split_number(ln.strip())[0]:
                groups.append([ln])
            else:
                groups[-1].append(ln)
        for g in groups:
            joined = join_lines(g, vocab)
            is_b, rest = strip_bullet(g[0], weak=True)
            if is_b:
                blocks.append(Block("bullet", join_lines([rest] + g[1:], vocab)))
            elif len(g) == 1 and not markdown and _looks_heading(joined):
                num, _ = split_heading_number(joined)
                blocks.append(Block("heading", joined, level=1 if num and "." not in num else 2, explicit=False))
            else:
                blocks.append(Block("paragraph", joined))
        for b in blocks[n_before:]:
            b.page = chunk_page[0]
        chunk.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        m = _MD_HEAD.match(line) if markdown else None
        if m:
            flush()
            blocks.append(Block("heading", clean_spaces(m.group(2)), pages[i], level=len(m.group(1)), explicit=True))
            i += 1
            continue
        if _PIPE.match(line):
            flush()
            tpage = pages[i]
            rows = []
            while i < len(lines) and _PIPE.match(lines[i]):
                if not _PIPE_SEP.match(lines[i]):
                    cells = [clean_spaces(c) for c in lines[i].strip().strip("|").split("|")]
                    rows.append(cells)
                i += 1
            if rows:
                blocks.append(Block("table", "", tpage, rows=rows))
            continue
        if not line.strip() or line.strip() == "\f":
            flush()
            i += 1
            continue
        if i + 1 < len(lines) and chunk == [] and _SETEXT.match(lines[i + 1].strip()) and len(line.split()) <= 14 and lines[i + 1].strip():
            blocks.append(Block("heading", clean_spaces(line), pages[i], level=1 if lines[i + 1].strip()[0] == "=" else 2, explicit=True))
            i += 2
            continue
        if not chunk:
            chunk_page[0] = pages[i]
        chunk.append(line)
        i += 1
    flush()
    if not blocks:
        raise EmptyDocumentError("the text file has no readable text", path)
    return blocks, {"encoding": encoding}
