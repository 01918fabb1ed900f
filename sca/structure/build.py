"""Blocks -> Review: cover, contents list, sections and their kinds, numbered paragraphs, tables."""

from __future__ import annotations

import re

from sca.document import Metadata, Paragraph, Review, Section, Table
from sca.structure.blocks import Block
from sca.structure.metadata import extract_metadata
from sca.structure.numbering import appendix_label, split_heading_number, split_number
from sca.structure.reflow import TOC_LEADER, TOC_LINE
from sca.structure.sections import classify_heading, is_chronology_table, is_part_heading, label_kind
from sca.structure.text import clean_spaces

_CONTENTS = re.compile(r"^\s*(?:table\s+of\s+)?contents\s*(?:page)?\s*:?\s*$", re.I)
_CONTENTS_RUNIN = re.compile(r"^\s*(?:table\s+of\s+)?contents\b", re.I)
_FIELD_LINE = re.compile(
    r"^\s*(?:title|lscb|board|author|authors|(?:independent\s+|lead\s+)?(?:overview\s+)?(?:author|reviewers?)|"
    r"date of publication|published|presented|approved|prepared|written|version|date|keywords)\b[^:]{0,30}:",
    re.I,
)
_REVIEW_NAME = re.compile(
    r"serious case review|practice review|safeguarding adults? review|domestic homicide review|learning brief|"
    r"overview report|executive summary|\binquiry\b|\bSCR\b|\bLCSPR\b|\bCSPR\b",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"(safeguarding|review|brief|inquiry|overview report|executive summary|board|partnership|procedures|chapter|"
    r"confidential|final|draft|published|report)",
    re.I,
)


def _toc_entry(text: str) -> bool:
    text = text.strip()
    if TOC_LEADER.search(text):
        return True
    m = TOC_LINE.match(text)
    return bool(m) and len(text.split()) <= 16 and not text.endswith(".")


def _is_structural(b: Block, following: list[Block] | None = None) -> bool:
    """A heading that starts the body of the report (ends the cover)."""
    if b.kind != "heading":
        return False
    num, rest = split_heading_number(b.text)
    if num:
        return True
    if _CONTENTS.match(b.text):
        return True
    if _FIELD_LINE.match(b.text):
        return False  # "Author: ...", "Published: June 2013" on a title page
    if is_part_heading(b.text):
        # "Overview Report" as a title-page subtitle does not end the cover; as a part title
        # followed by running text it does.
        for nxt in (following or [])[:4]:
            if nxt.kind == "heading" and (_CONTENTS.match(nxt.text) or split_heading_number(nxt.text)[0]):
                return False
            if nxt.kind in ("paragraph", "bullet") and len(nxt.text.split()) >= 20:
                return True
        return False
    kind = classify_heading(b.text)
    if kind is None:
        return False
    if _REVIEW_NAME.search(b.text) and len(b.text.split()) <= 10:
        return False  # the report's own title, e.g. "Serious Case Review: Child H"
    return True


def _split_runin_contents(blocks: list[Block]) -> list[Block]:
    """A single paragraph "Contents 1. Introduction ..... 2 2. Process ..... 3" -> entries."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "paragraph" and _CONTENTS_RUNIN.match(b.text) and len(TOC_LEADER.findall(b.text)) == 0:
            leaders = re.findall(r"(?:\.{3,}|…+)\s*\d{1,3}", b.text)
            if len(leaders) >= 2:
                body = _CONTENTS_RUNIN.sub("", b.text, count=1)
                entries = re.findall(r"(.+?(?:\.{3,}|…+)\s*\d{1,3})(?=\s|$)", body)
                out.append(Block("heading", "Contents", b.page, level=1, explicit=False))
                out.extend(Block("paragraph", e.strip(), b.page) for e in entries)
                continue
        out.append(b)
    return out


def _mark_contents(blocks: list[Block]) -> set[int]:
    """Indices of blocks that belong to a contents list (the "Contents" line and its entries)."""
    idx: set[int] = set()
    i = 0
    n = len(blocks)
    while i < n:
        b = blocks[i]
        starts = b.kind in ("heading", "paragraph") and _CONTENTS.match(b.text)
        if starts:
            j = i + 1
            while j < n and blocks[j].kind in ("paragraph", "heading", "bullet") and (
                _toc_entry(blocks[j].text) or (blocks[j].kind != "paragraph" and len(blocks[j].text.split()) <= 12 and j - i < 60
                                               and j + 1 < n and _toc_entry(blocks[j + 1].text))
            ):
                j += 1
            # a contents list as a table (entry | page)
            while j < n and blocks[j].kind == "table" and all(r and r[-1].strip().isdigit() for r in blocks[j].rows[1:] if any(r)):
                j += 1
            if j > i + 1:
                idx.update(range(i, j))
                i = j
                continue
        # a run of >= 4 leader-dotted entries without a "Contents" label
        if b.kind == "paragraph" and TOC_LEADER.search(b.text):
            j = i
            while j < n and blocks[j].kind == "paragraph" and TOC_LEADER.search(blocks[j].text):
                j += 1
            if j - i >= 4:
                idx.update(range(i, j))
                i = j
                continue
        i += 1
    return idx


def _heading_level(b: Block, numbered_tops: bool) -> int:
    num, _ = split_heading_number(b.text)
    if num:
        return num.count(".") + num.count("-") + 1
    if not b.explicit and numbered_tops:
        label, _ = appendix_label(b.text)
        if label or classify_heading(b.text) in ("appendix", "glossary", "recommendations", "contents"):
            return 1
        return 2
    return b.level


def table_row_text(row: list[str]) -> str:
    return " | ".join(clean_spaces(c) for c in row)


_PLAIN_TOP = re.compile(r"^\s*(\d{1,2})\.?\s+([A-Z][^.;!?]*)$")


def _promote_plain_headings(blocks: list[Block], contents_idx: set[int]) -> None:
    """Headings set in body type: "4. Summary of events", "RECOMMENDATIONS", "Terms of reference".

    A numbered one is accepted only when its number continues the sequence of section numbers
    (so a short numbered list item "1. Improve training" inside section 6 stays a paragraph).
    """
    last_top = 0
    for i, b in enumerate(blocks):
        if i in contents_idx:
            continue
        if b.kind == "heading":
            m = re.match(r"^\s*(\d{1,2})\.?\s", b.text)
            if m and not split_number(b.text)[0]:
                last_top = int(m.group(1))
            continue
        if b.kind != "paragraph" or b.number:
            continue
        text = b.text.strip()
        words = text.split()
        if not words or len(words) > 12 or text.endswith((".", ",", ";", ":", "?", "!")) or TOC_LEADER.search(text):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None or nxt.kind == "heading":
            continue
        m = _PLAIN_TOP.match(text)
        if m:
            if int(m.group(1)) == last_top + 1:
                b.kind, b.level, b.explicit = "heading", 1, False
                last_top += 1
            continue
        if (text.isupper() and len(words) <= 10 and len(text) > 3 and classify_heading(text)) or (
            len(words) <= 6 and text[:1].isupper() and classify_heading(text) and
            re.fullmatch(r"[A-Z][\w'’ ,&-]*", text) and len(text) < 60 and nxt.kind in ("paragraph", "bullet", "table")
            and len(nxt.text.split()) > len(words) + 6
        ):
            b.kind, b.level, b.explicit = "heading", 1, False


def build_review(
    blocks: list[Block],
    meta: Metadata,
    html_title: str | None = None,
    warnings: list[str] | None = None,
) -> Review:
    blocks = [b for b in _split_runin_contents(blocks) if b.kind == "table" or b.text.strip()]
    contents_idx = _mark_contents(blocks)
    _promote_plain_headings(blocks, contents_idx)
    # end of the cover: the first structural heading or the contents list
    cover_end = None
    for i, b in enumerate(blocks):
        if i in contents_idx or (i > 0 and _is_structural(b, blocks[i + 1:i + 5])) or (i == 0 and _is_structural(b) and not _TITLE_WORDS.search(b.text)):
            cover_end = i
            break
    if cover_end is None:
        heads = [i for i, b in enumerate(blocks) if b.kind == "heading" and i > 0]
        cover_end = heads[0] if heads and heads[0] < 0.3 * len(blocks) else 0
    numbered_tops = sum(
        1 for b in blocks if b.kind == "heading" and re.match(r"^\s*\d{1,2}\.?\s+\D", b.text)
    ) >= 2

    review = Review(metadata=meta, warnings=list(warnings or []))
    sections: list[Section] = []
    cur: Section | None = None
    parents: dict[int, Section] = {}
    pidx = 0
    tindex = 0
    cover_lines: list[str] = []

    def new_section(heading: str, kind: str, level: int, page, number=None) -> Section:
        s = Section(heading=heading, kind=kind, level=level, page=page, number=number)
        sections.append(s)
        return s

    if cover_end > 0:
        first = blocks[0]
        cur = new_section(first.text if first.kind == "heading" else "", "cover", 1, first.page)
    for i, b in enumerate(blocks):
        if i < cover_end:
            if b.kind == "table":
                for r in b.rows:
                    cells = [c for c in r if c.strip()]
                    if len(cells) == 2 and len(cells[0].split()) <= 4:
                        # a cover sheet laid out as a table: "Title | Serious case review ..."
                        cover_lines.append(f"{cells[0].rstrip(':').strip()}: {cells[1]}")
                    else:
                        cover_lines.append(table_row_text(r))
            else:
                cover_lines.append(b.text)
            if i == 0 and b.kind == "heading":
                continue
        if i in contents_idx:
            if cur is None or cur.kind != "contents":
                cur = new_section(b.text if _CONTENTS.match(b.text) else "Contents", "contents", 1, b.page)
                if _CONTENTS.match(b.text):
                    continue
            cur.paragraphs.append(Paragraph(text=clean_spaces(b.text), page=b.page, section=cur.heading, index=pidx))
            pidx += 1
            continue
        if b.kind == "heading" and i >= cover_end:
            heading = clean_spaces(b.text)
            num, _ = split_heading_number(heading)
            level = _heading_level(b, numbered_tops)
            kind = "other" if is_part_heading(heading) else classify_heading(heading)
            if kind is None or (kind == "introduction" and level > 1):
                parent = next((parents[l] for l in sorted(parents, reverse=True) if l < level), None)
                if parent is not None and parent.kind not in ("cover", "contents"):
                    kind = parent.kind if kind is None else kind
            if kind in (None, "other", "introduction", "family_background"):
                # "Learning point 2: ..." outside an analysis, findings, chronology ... chapter:
                # the label's own kind ("findings"), not the introduction's it happens to follow
                kind = label_kind(heading) or kind
            cur = new_section(heading, kind or "other", level, b.page, num)
            parents = {l: s for l, s in parents.items() if l < level}
            parents[level] = cur
            continue
        if cur is None:
            cur = new_section("", "other", 1, b.page)
        if b.kind == "table":
            rows = [list(r) for r in b.rows]
            last = review.tables[-1] if review.tables else None
            if (last is not None and i > 0 and blocks[i - 1].kind == "table" and b.page and last.page
                    and b.page > last.page and rows and len(rows[0]) == len(last.rows[-1])):
                # a table continued on the next page: repeated header dropped, split row rejoined
                if rows[0] == last.rows[0]:
                    rows = rows[1:]
                if rows and not rows[0][0].strip() and any(c.strip() for c in rows[0][1:]):
                    split = rows.pop(0)
                    merged = [(a + " " + b_).strip() for a, b_ in zip(last.rows[-1], split)]
                    last.rows[-1] = merged
                    for p in reversed(cur.paragraphs):
                        if p.kind == "table_row":
                            p.text = table_row_text(merged)
                            break
                last.rows.extend(rows)
                for r in rows:
                    if any(c.strip() for c in r):
                        cur.paragraphs.append(Paragraph(text=table_row_text(r), page=b.page, section=cur.heading,
                                                        kind="table_row", index=pidx))
                        pidx += 1
                continue
            sec_kind = cur.kind
            if is_chronology_table(rows) and cur.kind not in ("cover", "contents"):
                if cur.kind in ("other", "appendix"):
                    cur.kind = "chronology"
                sec_kind = "chronology"
            review.tables.append(Table(rows=rows, page=b.page, section=cur.heading, section_kind=sec_kind, index=tindex))
            tindex += 1
            if cur.kind in ("cover", "contents"):
                continue
            for r in rows[1:]:
                if not any(c.strip() for c in r):
                    continue
                cur.paragraphs.append(Paragraph(text=table_row_text(r), number=None, page=b.page, section=cur.heading,
                                                kind="table_row", index=pidx))
                pidx += 1
            continue
        text = clean_spaces(b.text)
        number = b.number
        if number is None and b.kind == "paragraph" and cur.kind != "cover":
            number, text = split_number(text)
        cur.paragraphs.append(Paragraph(text=text, number=number, page=b.page, section=cur.heading,
                                        kind="bullet" if b.kind == "bullet" else "paragraph", index=pidx))
        pidx += 1
    # drop empty non-structural sections that are just repeated title lines? keep: headings matter
    review.sections = sections
    body_text = "\n".join(p.text for s in sections if s.kind not in ("cover", "contents") for p in s.paragraphs)
    found = extract_metadata(cover_lines, body_text, html_title=html_title)
    for k, v in found.items():
        if getattr(meta, k, None) in (None, "") and v is not None:
            setattr(meta, k, v)
    meta.words = sum(len(p.text.split()) for p in review.paragraphs)
    if meta.review_type is None:
        meta.review_type = "other"
    return review
