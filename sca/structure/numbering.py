"""Paragraph numbers such as "4.12", "1.1.3" or "4-1" at the start of a paragraph."""

from __future__ import annotations

import re

# Two to four levels separated by dots, or the "4-1" style; optional trailing "." or ")".
_NUM = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,3}){1,3}|\d{1,2}-\d{1,3})(?:[.):])?(?:\s+|\t)(?P<rest>\S.*)$",
    re.S,
)
# A top-level section number: "4." / "4" before a heading.
_TOP = re.compile(r"^\s*(?P<num>\d{1,2})(?:[.):])?\s+(?P<rest>\S.*)$", re.S)
_APPENDIX = re.compile(r"^\s*(?P<num>(?:appendix|annex|annexe|part|section|chapter)\s+[\w.]{1,5})\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I | re.S)


def _plausible(num: str, rest: str) -> bool:
    parts = re.split(r"[.-]", num)
    # Leading zeros ("22.03.05") mean a date, not a paragraph number.
    if any(len(p) > 1 and p.startswith("0") for p in parts):
        return False
    if "-" in num:
        # "4-1 The ..." but not "16-18 year olds": require a capital or quote next.
        if not re.match(r"[A-Z\"'“‘(]", rest):
            return False
    # "4.2 whole-time-equivalent": a decimal quantity followed by a lower-case unit word
    # is only a paragraph number when the caller has other evidence; flag by lower case.
    if rest[:1] in "%":
        return False
    if re.match(r"(?:per cent|percent|am\b|pm\b|kg\b|cm\b|mg\b|ml\b|g\b|m\b|%)", rest):
        return False
    return True


def split_number(text: str) -> tuple[str | None, str]:
    """Return (paragraph number, text without it) — (None, text) when there is none."""
    m = _NUM.match(text)
    if not m:
        return None, text
    num, rest = m.group("num"), m.group("rest")
    if not _plausible(num, rest):
        return None, text
    return num, rest.strip()


def split_heading_number(text: str) -> tuple[str | None, str]:
    """Split "4. Summary of events" -> ("4", "Summary of events"); "4.2 X" -> ("4.2", "X")."""
    num, rest = split_number(text)
    if num:
        return num, rest
    m = _TOP.match(text)
    if m and not re.match(r"\d", m.group("rest")):
        return m.group("num"), m.group("rest").strip()
    return None, text.strip()


def appendix_label(text: str) -> tuple[str | None, str]:
    """Split "Appendix 2: Timeline" -> ("Appendix 2", "Timeline")."""
    m = _APPENDIX.match(text)
    if not m:
        return None, text
    return m.group("num"), m.group("rest").strip()


def number_key(num: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"[.-]", num) if p.isdigit())


def is_successor(prev: str | None, num: str) -> bool:
    """Is ``num`` a natural next number after ``prev`` ("4.2" -> "4.3", "4.3.1", "5.1")?"""
    if prev is None:
        return True
    a, b = number_key(prev), number_key(num)
    if not a or not b:
        return False
    if len(b) == len(a) and b[:-1] == a[:-1] and b[-1] == a[-1] + 1:
        return True
    if len(b) == len(a) + 1 and b[:-1] == a and b[-1] == 1:
        return True
    if len(b) < len(a) and b[:-1] == a[: len(b) - 1] and b[-1] == a[len(b) - 1] + 1:
        return True
    if len(b) >= 2 and b[-1] == 1 and b[0] == a[0] + 1:
        return True
    return False
