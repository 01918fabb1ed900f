"""sca: analyse published serious case reviews.

>>> import sca
>>> review = sca.read("corpora/docs/some-review.pdf")       # doctest: +SKIP
>>> sca.ThemeTagger().tag(review)                            # doctest: +SKIP

Names are imported lazily so that ``import sca`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from sca.document import Metadata, Paragraph, Review, Section, Table
from sca.errors import (
    CodebookError,
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    FormatMismatchError,
    GazetteerError,
    ModelLoadError,
    NoTextLayerError,
    ReadError,
    SCAError,
    UnsupportedFormatError,
)

__version__ = "0.1.0"

_LAZY = {
    "read": "sca.ingest",
    "read_folder": "sca.ingest",
    "Codebook": "sca.themes.codebook",
    "load_codebook": "sca.themes.codebook",
    "ThemeTagger": "sca.themes.tagger",
    "Gazetteer": "sca.events.gazetteer",
    "extract_events": "sca.events.extract",
    "contact_graph": "sca.graph.build",
    "missed_opportunities": "sca.events.missed",
    "Corpus": "sca.corpus.corpus",
}

__all__ = [
    "Metadata",
    "Paragraph",
    "Review",
    "Section",
    "Table",
    "SCAError",
    "ReadError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "NoTextLayerError",
    "CorruptDocumentError",
    "FormatMismatchError",
    "UnsupportedFormatError",
    "FileTooLargeError",
    "CodebookError",
    "ModelLoadError",
    "GazetteerError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sca' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
