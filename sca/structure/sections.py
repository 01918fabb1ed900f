"""Section kinds from heading wording (sca/data/sections.yaml) and from content."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from sca.document import SECTION_KINDS
from sca.structure.numbering import appendix_label, split_heading_number
from sca.structure.text import normalise


@lru_cache(maxsize=4)
def _load_yaml(path: str | None = None) -> dict:
    if path is None:
        text = resources.files("sca").joinpath("data", "sections.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _phrase_pattern(phrases, anchored: bool = False) -> re.Pattern:
    alt = "|".join(re.escape(p.lower()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile((r"^" if anchored else r"(?<![a-z])") + r"(?:" + alt + r")(?![a-z])")


@lru_cache(maxsize=4)
def _extras(path: str | None = None):
    data = _load_yaml(path)
    leading = [(k, _phrase_pattern(v, anchored=True)) for k, v in (data.get("leading") or {}).items() if v]
    parts = {p.lower() for p in data.get("part_headings") or []}
    overrides = set(data.get("appendix_overrides") or SECTION_KINDS)
    return leading, parts, overrides


def is_part_heading(heading: str) -> bool:
    """"Executive Summary", "Overview Report": a part title that starts a new part of the file."""
    _, rest = split_heading_number(heading)
    t = re.sub(r"[^a-z ]", "", normalise(rest).lower()).strip()
    return t in _extras()[1]


@lru_cache(maxsize=4)
def load_section_map(path: str | None = None) -> tuple[list[tuple[str, re.Pattern]], tuple[str, ...]]:
    """Load the heading-wording map; returns ([(kind, compiled pattern)], priority)."""
    data = _load_yaml(path)
    kinds = data.get("kinds") or {}
    priority = tuple(data.get("priority") or kinds.keys())
    out = []
    for kind in priority:
        if kind not in SECTION_KINDS:
            raise ValueError(f"sections.yaml: unknown section kind {kind!r}")
        phrases = sorted(kinds.get(kind) or [], key=len, reverse=True)
        if not phrases:
            continue
        alt = "|".join(re.escape(p.lower()) for p in phrases)
        out.append((kind, re.compile(r"(?<![a-z])(?:" + alt + r")(?![a-z])")))
    return out, priority


def _match(text: str) -> str | None:
    patterns, _ = load_section_map()
    t = normalise(text).lower().replace("’", "'").strip()
    for kind, pat in _extras()[0]:
        if pat.search(t):
            return kind
    for kind, pat in patterns:
        if pat.search(t):
            return kind
    return None


@lru_cache(maxsize=1)
def _inherit_labels() -> tuple[re.Pattern | None, dict[str, str]]:
    kinds = {str(k).lower(): str(v) for k, v in (_load_yaml(None).get("inherit_labels") or {}).items()}
    bad = sorted(v for v in kinds.values() if v not in SECTION_KINDS)
    if bad:
        raise ValueError(f"sections.yaml: inherit_labels: unknown section kind(s) {bad}")
    if not kinds:
        return None, {}
    alt = "|".join(re.escape(l) for l in sorted(kinds, key=len, reverse=True))
    return re.compile(r"^(" + alt + r")s?\s*\d+\s*[:.–—-]", re.I), kinds


def _numbered_label(rest: str) -> tuple[bool, str | None]:
    """(is ``rest`` a numbered label such as "Learning point 2: ...", that label's own kind)."""
    pattern, kinds = _inherit_labels()
    m = pattern.match(normalise(rest)) if pattern is not None else None
    return (True, kinds[m.group(1).lower()]) if m else (False, None)


def label_kind(heading: str) -> str | None:
    """The own kind of a numbered label that takes its enclosing section's kind ("Learning point
    2: ..." -> "findings"; see ``inherit_labels`` in sections.yaml), or None for other headings."""
    return _numbered_label(split_heading_number(heading)[1])[1]


def classify_heading(heading: str, *, standalone: bool = False) -> str | None:
    """Kind suggested by a heading's wording, or None when the wording says nothing.

    "Appendix 2: Timeline of agency involvement" -> "chronology" (content beats position);
    "Appendix 4: Genogram" -> "family_background"; "Appendix 5" -> "appendix". A numbered label
    such as "Learning point 2: ..." gives None (its kind comes from the enclosing section, whatever
    words follow the colon), or with ``standalone=True``, when no enclosing section is known, the
    label's own kind (:func:`label_kind`: "findings").
    """
    label, rest = appendix_label(heading)
    if label and label.lower().startswith(("appendix", "annex")):
        kind = _match(rest)
        return kind if kind in _extras()[2] else "appendix"
    _, rest = split_heading_number(heading)
    is_label, own = _numbered_label(rest)
    if is_label:
        return own if standalone else None
    return _match(rest)


_DATE_HEAD = re.compile(r"\b(date|when|time|period)\b", re.I)
_EVENT_HEAD = re.compile(r"\b(agency|agencies|organisation|service|event|events|contact|action|what happened|involvement|incident|summary|details?)\b", re.I)
_DATE_CELL = re.compile(
    r"\b(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?\s+\d{2,4}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{4}-\d{2}-\d{2}|w/c)\b",
    re.I,
)


def is_chronology_table(rows: list[list[str]]) -> bool:
    """A table whose header names a date and an agency/event, or whose first column is mostly dates."""
    if len(rows) < 2:
        return False
    header = " ".join(rows[0])
    if _DATE_HEAD.search(header) and _EVENT_HEAD.search(header):
        return True
    body = [r for r in rows[1:] if r and r[0]]
    if len(body) >= 3 and len(rows[0]) >= 3:
        dated = sum(1 for r in body if _DATE_CELL.search(r[0]))
        return dated >= 0.7 * len(body)
    return False
