"""Turning raw extracted text into the sca document model.

The format readers in :mod:`sca.ingest` produce a flat list of :class:`~sca.structure.blocks.Block`
(headings, paragraphs, bullets, tables) or, for PDFs, positioned lines that
:mod:`sca.structure.reflow` turns into blocks after removing running headers and footers.
:func:`sca.structure.build.build_review` then recognises the cover and contents, paragraph
numbers, sections and their kinds, and the metadata.
"""

from sca.structure.blocks import Block, Line

__all__ = ["Block", "Line"]
