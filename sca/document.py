"""The document model: plain dataclasses for a parsed review.

Every unit of text keeps its provenance: the file it came from (``Metadata.source``),
the page it was printed on (1-based, ``None`` where the format has no pages) and
its paragraph number as printed in the review (``"4.12"``, ``"4-1"``) when it has one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

#: Section kinds, in the order they usually appear in a review.
SECTION_KINDS = (
    "cover",
    "contents",
    "introduction",
    "methodology",
    "terms_of_reference",
    "family_background",
    "chronology",
    "analysis",
    "findings",
    "recommendations",
    "appendix",
    "glossary",
    "other",
)

#: Review types recognised in metadata.
REVIEW_TYPES = (
    "SCR",  # serious case review (England, before 2019)
    "LCSPR",  # local child safeguarding practice review
    "CSPR",  # (national) child safeguarding practice review
    "CPR",  # child practice review (Wales)
    "SAR",  # safeguarding adults review
    "DHR",  # domestic homicide review
    "inquiry",
    "learning_brief",
    "guidance",  # not a review at all
    "other",
)


@dataclass
class Paragraph:
    """One paragraph of body text (or one bullet, or one table row rendered as text)."""

    text: str
    number: str | None = None
    page: int | None = None
    section: str = ""
    kind: str = "paragraph"  # "paragraph", "bullet" or "table_row"
    index: int = 0  # position of the paragraph in the whole review (0-based)


@dataclass
class Section:
    heading: str
    kind: str = "other"
    level: int = 1
    paragraphs: list[Paragraph] = field(default_factory=list)
    page: int | None = None
    number: str | None = None  # "4" in "4. Summary of events"

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Table:
    rows: list[list[str]]
    page: int | None = None
    section: str = ""
    section_kind: str = "other"
    index: int = 0

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    def to_frame(self):
        import pandas as pd

        if not self.rows:
            return pd.DataFrame()
        header = [c or f"col{i}" for i, c in enumerate(self.rows[0])]
        body = [r + [""] * (len(header) - len(r)) for r in self.rows[1:]]
        return pd.DataFrame([r[: len(header)] for r in body], columns=header)


@dataclass
class Metadata:
    title: str | None = None
    board: str | None = None
    review_type: str | None = None
    child_code: str | None = None
    author: str | None = None
    year: int | None = None
    source: str | None = None  # path of the file read
    sha256: str | None = None
    format: str | None = None  # "pdf", "docx", "html", "txt"
    pages: int | None = None
    words: int | None = None
    metadata_source: str | None = None  # "cover_sheet", "title_page" or None


@dataclass
class Review:
    metadata: Metadata
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # -- convenience -------------------------------------------------------------------
    @property
    def doc_id(self) -> str:
        """A short stable identifier: the file stem, or the hash prefix when there is no file."""
        from pathlib import Path

        if self.metadata.source:
            return Path(self.metadata.source).stem
        return (self.metadata.sha256 or "review")[:12]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    def iter_paragraphs(self) -> Iterator[tuple[Section, Paragraph]]:
        for s in self.sections:
            for p in s.paragraphs:
                yield s, p

    @property
    def text(self) -> str:
        parts: list[str] = []
        for s in self.sections:
            if s.heading:
                parts.append(s.heading)
            parts.extend(p.text for p in s.paragraphs)
        return "\n\n".join(parts)

    def sections_of_kind(self, *kinds: str) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    # -- serialisation ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Review":
        meta = Metadata(**data.get("metadata", {}))
        sections = [
            Section(
                **{k: v for k, v in s.items() if k != "paragraphs"},
                paragraphs=[Paragraph(**p) for p in s.get("paragraphs", [])],
            )
            for s in data.get("sections", [])
        ]
        tables = [Table(**t) for t in data.get("tables", [])]
        return cls(metadata=meta, sections=sections, tables=tables, warnings=list(data.get("warnings", [])))

    def outline_frame(self):
        """Sections as a DataFrame: heading, kind, level, page, paragraph count."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "heading": s.heading,
                    "kind": s.kind,
                    "level": s.level,
                    "page": s.page,
                    "paragraphs": len(s.paragraphs),
                    "numbered": sum(1 for p in s.paragraphs if p.number),
                }
                for s in self.sections
            ],
            columns=["heading", "kind", "level", "page", "paragraphs", "numbered"],
        )
