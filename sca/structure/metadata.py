"""Metadata from the NSPCC cover sheet ("Title:", "LSCB:", "Author:", "Date of publication:")
or, failing that, from the title page: board, review type, child code, author, year, title."""

from __future__ import annotations

import re
from collections import Counter

from sca.structure.text import clean_spaces, normalise

_FIELD = re.compile(
    r"^\s*(?P<key>title|lscb|scb|lscp|board|partnership|safeguarding (?:children )?(?:board|partnership)|"
    r"author|authors?|lead reviewer|independent reviewers?|reviewers?|report author|overview author|"
    r"date of publication|published|publication date|date published|keywords|summary)\s*[:\-–]\s*(?P<val>.*)$",
    re.I | re.S,
)
_BOARD = re.compile(
    r"((?:[A-Z][\w'’&.-]*|and|of|the|upon|on|in|&)(?:\s+(?:[A-Z][\w'’&.-]*|and|of|the|upon|on|in|&))*?\s+"
    r"(?:Local\s+|Regional\s+)?(?:Safeguarding\s+(?:Children|Adults|Children\s+and\s+Adults)\s+(?:Board|Partnership)|"
    r"Safeguarding\s+(?:Board|Partnership)|Safeguarding\s+Partners|Community\s+Safety\s+Partnership|LSCB|SCP|SCB|SAB))"
)
_CHILD = re.compile(
    r"\b(?:(?:Child|Baby|Infant|Young\s+Person|Sibling|Adult|Children)\s+(?:[A-Z]{1,3}\d{0,2}|\d{1,2})(?!\w)|AB\d{1,2})"
)
_PSEUDONYM = re.compile(r"[\"“‘']([A-Z][a-z]{2,15})[\"”’']")
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

# Review-type cues, most specific first (regex, type).
def _load_types() -> tuple[list[tuple[re.Pattern, str]], re.Pattern]:
    """Review-type cues and guidance words from sca/data/review_types.yaml."""
    from importlib import resources

    import yaml

    from sca.document import REVIEW_TYPES

    data = yaml.safe_load(resources.files("sca").joinpath("data", "review_types.yaml").read_text(encoding="utf-8"))
    cues = []
    for entry in data.get("cues") or []:
        if entry["type"] not in REVIEW_TYPES:
            raise ValueError(f"review_types.yaml: unknown review type {entry['type']!r}")
        cues.append((re.compile("|".join(f"(?:{p})" for p in entry["patterns"]), re.I), entry["type"]))
    guidance = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data.get("guidance") or ["guidance"]) + r")\b", re.I)
    return cues, guidance


_TYPE_CUES, _GUIDANCE = _load_types()
_TITLE_CUE = re.compile(
    r"(review|brief|briefing|inquiry|report|chapter|procedures?|guidance|summary|learning)", re.I
)
_TYPE_ONLY = re.compile(
    r"^(?:(?:extended|thematic|concise|final|draft)\s+)*(?:local\s+)?(?:child\s+safeguarding\s+practice\s+review|"
    r"serious\s+case\s+review|child\s+practice\s+review|safeguarding\s+adults?\s+review|domestic\s+homicide\s+review|"
    r"learning\s+brief|overview\s+report|executive\s+summary|serious\s+case\s+review\s*[:\-–]\s*overview\s+report)\s*[:\-–]?$",
    re.I,
)


def _field_map(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ln in lines:
        m = _FIELD.match(ln)
        if not m:
            continue
        key = m.group("key").lower()
        val = clean_spaces(m.group("val"))
        if not val:
            continue
        if key in ("lscb", "scb", "lscp", "board", "partnership") or key.startswith("safeguarding"):
            key = "board"
        elif key.startswith(("author", "lead reviewer", "independent reviewer", "reviewer", "report author", "overview author")):
            key = "author"
        elif key in ("date of publication", "published", "publication date", "date published"):
            key = "date"
        out.setdefault(key, val)
    return out


_ROLE = re.compile(
    r"\b(reviewer|head of|manager|director|council|officer|chair|consultant|lead|independent|ltd|limited|"
    r"services|service|nurse|social worker|trust|police|board|partnership|associates|consultancy)\b",
    re.I,
)


def _is_qualification(seg: str) -> bool:
    """"BA (Hons)", "MSc", "CQSW", "RGN RHV" — not "Eleri Prosser"."""
    toks = re.sub(r"[()]", " ", seg).split()
    return bool(toks) and all(
        re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*\.?|Hons|Dip|Cert|Dr|Cantab|Oxon", t) for t in toks
    )


def _clean_author(val: str) -> str:
    val = clean_spaces(re.sub(r"\((?:[^)]*)\)", "", val))
    val = re.sub(r"\s+[–—-]\s+(?:the\s+)?(?:independent|lead|overview|report)\b.*$", "", val, flags=re.I)
    segs = [s.strip() for s in val.split(",")]
    if len(segs) > 1:
        kept = [s for s in segs if s and not _ROLE.search(s) and not _is_qualification(s)]
        if kept and kept != segs:
            val = ", ".join(kept[:1] + kept[1:])
            val = re.sub(r",\s*and\s+", " and ", val)
            return clean_spaces(val).rstrip(".;")
    # drop qualifications after the name: "Dr Jane Doe, BA (Hons), MSc" -> "Dr Jane Doe"
    parts = [p.strip() for p in val.split(",")]
    keep = [parts[0]]
    for p in parts[1:]:
        if _is_qualification(p):
            continue
        keep.append(p)
    return ", ".join(keep).rstrip(".;")


def child_codes(text: str, adults: bool = False) -> list[str]:
    """Anonymisation codes of the subject: "Child A", "Baby R", "Young Person F" ("Adult 2" if ``adults``)."""
    seen: list[str] = []
    for m in _CHILD.finditer(text):
        code = clean_spaces(m.group(0))
        if code.startswith("Children "):
            continue
        if (code.startswith("Adult ") and not adults) or code.startswith("Sibling "):
            continue
        if code not in seen:
            seen.append(code)
    return seen


_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "into", "of", "on", "or", "the", "to", "with", "re", "respect"}
_ACRONYM = {"LSCB", "SCB", "SCR", "LCSPR", "CSPR", "SAR", "DHR", "NHS", "CSP", "SCP"}


def smart_title(text: str) -> str:
    """"SERIOUS CASE REVIEW - CHILD S" -> "Serious Case Review - Child S" (codes and acronyms kept)."""
    out = []
    for i, w in enumerate(text.split()):
        core = re.sub(r"\W", "", w)
        if core in _ACRONYM or (len(core) <= 2 and core.isupper() and i > 0 and not core.lower() in _SMALL) or re.search(r"\d", w):
            out.append(w)
        elif i > 0 and core.lower() in _SMALL:
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:].lower())
    return " ".join(out)


_SUBTYPE = re.compile(r"^(overview report|executive summary|final report|summary report|full report|"
                      r"executive summary and overview report)$", re.I)
_JOIN_WORDS = re.compile(r"^(in respect of|re:|re\b|concerning|into the death of|regarding|about)\b", re.I)


def _title_from_lines(cand: list[str]) -> str | None:
    """Pick the title-page line that names the report; join "Serious Case Review" + "Baby F" + "Overview Report"."""
    cand = [smart_title(l) if l.isupper() and len(l) > 3 else l for l in cand]
    scored = []
    for i, l in enumerate(cand):
        if len(l.split()) > 30 or not _TITLE_CUE.search(l) or re.search(_MONTHS + r"\s+\d{4}$", l):
            continue
        if re.match(r"^(published|approved|presented|date|contents|independent\s+(?:reviewer|author|chair|overview)|author|written|version|prepared|review date)\b", l, re.I):
            continue
        strong = any(rx.search(l) for rx, _ in _TYPE_CUES) or re.search(r"\bchapter\s+\d", l, re.I)
        title = l
        composed = False
        j = i + 1
        if _TYPE_ONLY.match(l.strip()) and j < len(cand):
            nxt = cand[j]
            name = pseudonym_from_title(nxt) if not child_codes(nxt) else None
            if name and not _TYPE_ONLY.match(nxt):
                title = f"{l.rstrip(':')}: {name}"
                composed = True
                j += 1
            elif len(nxt.split()) <= 12 and (child_codes(nxt) or _PSEUDONYM.search(nxt) or len(nxt.split()) <= 4) \
                    and not _SUBTYPE.match(nxt.strip()):
                sep = " " if _JOIN_WORDS.match(nxt) else ": "
                codes = child_codes(nxt, adults=True)
                if codes and re.match(re.escape(codes[0]) + r"\s*[:–—-]\s+\S", nxt):
                    nxt = codes[0]  # "Baby T: a local child safeguarding practice review" -> "Baby T"
                title = f"{l.rstrip(':')}{sep}{nxt}"
                composed = bool(child_codes(nxt) or _PSEUDONYM.search(nxt))
                j += 1
        if j < len(cand) and _SUBTYPE.match(cand[j].strip()) and not _SUBTYPE.search(title):
            title = f"{title} - {cand[j]}"
        has_code = bool(child_codes(title, adults=True))
        scored.append((0 if (composed or has_code) else (1 if strong else 2), i, title))
    return sorted(scored)[0][2] if scored else None


_NOT_NAMES = {"Summary", "Report", "Overview", "Review", "Wales", "England", "Executive", "Final", "Draft", "Appendix", "Learning"}


def pseudonym_from_title(title: str) -> str | None:
    """"Holly: a local child safeguarding practice review" / "Domestic Homicide Review: Ella" -> the name."""
    for rx in (r"^([A-Z][a-z]{2,15})\s*[:–—-]\s+\S", r"(?:review|brief|inquiry|report)\s*(?:[:–—-]|(?:in)?to the death of|concerning|regarding|in respect of)\s*([A-Z][a-z]{2,15})\s*$"):
        m = re.search(rx, title, re.I if rx.startswith("(?:") else 0)
        if m and m.group(1) not in _NOT_NAMES and m.group(1)[0].isupper():
            return m.group(1)
    return None


def review_type(title: str, cover: str, body: str, has_child: bool) -> str | None:
    head = f"{title}\n{cover}"
    for text in (title, head):
        for rx, kind in _TYPE_CUES:
            if rx.search(text):
                if kind in ("SCR", "LCSPR", "CSPR") and _GUIDANCE.search(title) and not has_child:
                    return "guidance"
                return kind
    if _GUIDANCE.search(title) and not has_child:
        return "guidance"
    # fall back on the body: the most frequently named type
    counts: Counter = Counter()
    for rx, kind in _TYPE_CUES:
        counts[kind] += len(rx.findall(body[:20000]))
    if counts and counts.most_common(1)[0][1] >= 2:
        return counts.most_common(1)[0][0]
    return "other" if body else None


def _year(val: str | None) -> int | None:
    if not val:
        return None
    years = [int(y) for y in _YEAR.findall(val)]
    return max(years) if years else None


def extract_metadata(cover_lines: list[str], body_text: str, html_title: str | None = None) -> dict:
    """Return a dict of Metadata fields found in the cover lines (title page) and body."""
    lines = [clean_spaces(normalise(l)) for l in cover_lines if l and l.strip()]
    # "Title:" on one line and its value on the next
    merged: list[str] = []
    for l in lines:
        if merged and re.fullmatch(r"(?:title|lscb|author|date of publication|keywords)\s*:", merged[-1], re.I):
            merged[-1] = f"{merged[-1]} {l}"
        else:
            merged.append(l)
    lines = merged
    fields = _field_map(lines)
    meta: dict = {"metadata_source": None}
    if "title" in fields and ("board" in fields or "author" in fields or "date" in fields):
        meta["metadata_source"] = "cover_sheet"
    # board
    board = fields.get("board")
    if not board:
        for ln in lines + body_text[:3000].splitlines():
            if ln.isupper():
                ln = smart_title(ln)
            m = _BOARD.search(ln)
            if m and len(ln.split()) <= 14:
                board = m.group(1)
                break
    if board:
        board = re.sub(r"^(?:the|by|for|published by|commissioned by)\s+", "", board.strip(), flags=re.I)
    meta["board"] = board or None
    # title
    title = fields.get("title")
    if not title:
        title = _title_from_lines([l for l in lines if not _FIELD.match(l) and not (board and normalise(l).lower() == normalise(board).lower())])
    if not title and html_title:
        title = html_title
    meta["title"] = clean_spaces(title) if title else None
    # child code: the title, then the cover, then the body's most frequent code
    codes = child_codes(meta["title"] or "", adults=True)
    if not codes and meta["title"]:
        m = _PSEUDONYM.search(meta["title"])
        name = m.group(1) if m else pseudonym_from_title(meta["title"])
        if name:
            codes = [name]
    if not codes:
        codes = child_codes("\n".join(lines))[:3]
    if not codes:
        counts = Counter(m.group(0) for m in _CHILD.finditer(body_text[:200000]) if not m.group(0).startswith(("Adult", "Sibling", "Children")))
        if counts and counts.most_common(1)[0][1] >= 3:
            codes = [counts.most_common(1)[0][0]]
    if not codes and meta["title"]:
        m = _PSEUDONYM.search(meta["title"])
        if m:
            codes = [m.group(1)]
    meta["child_code"] = "; ".join(codes) if codes else None
    # author
    author = fields.get("author")
    if not author:
        for l in lines:
            m = re.search(r"(?:independent\s+)?(?:lead\s+)?(?:overview\s+)?(?:reviewers?|author|authors)\s*[:\-–]\s*(.+)$", l, re.I) \
                or re.search(r"^(?:prepared|written|compiled|produced)\s+by\s+(?:the\s+independent\s+\w+\s+)?(.+)$", l, re.I) \
                or re.search(r"\b(?:chaired|led|conducted)\s+by\s+((?:Sir|Dame|Lord|Lady|Baroness|Professor|Dr|Mr|Mrs|Ms)\b.+)$", l, re.I) \
                or re.search(r"^((?:Dr\.?\s+|Professor\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})\s*[,–—-]\s*(?i:(?:the\s+)?(?:independent|lead)?\s*(?:overview\s+)?(?:author|reviewer|chair))\b", l)
            if m:
                author = m.group(1)
                break
    if not author:
        # named in the opening text: "an independent reviewer, Priya Nandakumar," / "led by independent reviewer X"
        head = " ".join(lines) + " " + body_text[:4000]
        m = re.search(
            r"(?:independent|lead)\s+(?:overview\s+)?(?:reviewer|author|chair)s?,?\s+"
            r"((?:Dr\.?\s+|Professor\s+|Sir\s+|Dame\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][\w'’-]+){1,2})"
            r"(?:\s+and\s+((?:Dr\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][\w'’-]+){1,2}))?",
            head,
        )
        if m:
            author = m.group(1) + (f" and {m.group(2)}" if m.group(2) else "")
    meta["author"] = _clean_author(author) if author else None
    # year of publication
    year = _year(fields.get("date"))
    if year is None:
        lines_y = [l for l in lines if not re.search(r"next review|review due|due for review|review date", l, re.I)]
        for l in lines_y:
            if re.search(r"\b(published|publication|date|final|version)\b", l, re.I):
                year = _year(l)
                if year:
                    break
    if year is None:
        year = _year(" ".join(lines_y))
    meta["year"] = year
    meta["review_type"] = review_type(meta["title"] or "", "\n".join(lines), body_text, bool(codes))
    if meta["metadata_source"] is None and (meta["title"] or meta["board"]):
        meta["metadata_source"] = "title_page"
    return meta
