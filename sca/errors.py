"""One exception family for everything the package refuses to read or load."""

from __future__ import annotations


class SCAError(Exception):
    """Base class of every error raised on purpose by sca."""


class ReadError(SCAError):
    """A file could not be read as a review. ``path`` names it and the message says why."""

    reason = "unreadable"

    def __init__(self, message: str, path: str | None = None):
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class EmptyDocumentError(ReadError):
    reason = "empty"


class EncryptedDocumentError(ReadError):
    reason = "encrypted"


class NoTextLayerError(ReadError):
    reason = "no_text_layer"


class CorruptDocumentError(ReadError):
    reason = "corrupt"


class FormatMismatchError(ReadError):
    reason = "format_mismatch"


class UnsupportedFormatError(ReadError):
    reason = "unsupported_format"


class FileTooLargeError(ReadError):
    reason = "too_large"


class CodebookError(SCAError):
    """A codebook file is malformed; the message names the file and the entry."""


class ModelLoadError(SCAError):
    """A model file was refused: wrong codebook version, tampered, or not an sca model."""


class GazetteerError(SCAError):
    """An agency gazetteer file is malformed."""
