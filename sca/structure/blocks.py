"""Intermediate units passed from the format readers to the structure builder."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One printed line of a PDF page, with what the layout tells us about it."""

    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float = 0.0  # dominant font size
    bold: bool = False  # most characters in a bold face
    order: int = 0  # position in the page's reading order


@dataclass
class Block:
    """A heading, paragraph, bullet or table in reading order.

    ``heading`` blocks carry ``level`` (1 = top).  ``explicit`` is True when the format
    itself says it is a heading (DOCX style, HTML ``<h2>``, markdown ``#``, or a PDF line
    set larger/bolder than the body text); False when only the wording suggests it.
    """

    kind: str  # "heading", "paragraph", "bullet", "table"
    text: str = ""
    page: int | None = None
    level: int = 1
    explicit: bool = True
    rows: list[list[str]] = field(default_factory=list)
    number: str | None = None  # list numbering supplied by the format (DOCX auto numbering)
