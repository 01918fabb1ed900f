"""What a file really is (by its first bytes), and the size limits checked before reading."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sca.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    FileTooLargeError,
    FormatMismatchError,
    UnsupportedFormatError,
)

#: Default limits (bytes). Both can be overridden per call: ``sca.read(path, max_bytes=...)``.
MAX_BYTES = 200 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 40 * 1024 * 1024
#: A member that inflates more than this ratio and beyond 10 MB is treated as a zip bomb.
MAX_ZIP_RATIO = 200

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".markdown": "txt",
}
NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "HTML", "txt": "plain text", "zip": "ZIP", "ole": "old Word/Office (OLE)",
         "rtf": "RTF", "image": "image", "binary": "binary data"}


def sniff_bytes(head: bytes) -> str:
    """Guess the format from the first KB: pdf, zip, html, ole, rtf, image, txt or binary."""
    if not head.strip():
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        stripped.startswith(b"<") and any(t in stripped[:1024] for t in (b"<body", b"<head", b"<p>", b"<div", b"<h1", b"<h2"))
    ):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "txt"
    sample = head[:4096]
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if bad > 0.05 * len(sample):
        return "binary"
    return "txt"


def check_size(path: Path, max_bytes: int | None) -> int:
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocumentError("the file is empty (0 bytes)", path)
    if max_bytes is not None and size > max_bytes:
        raise FileTooLargeError(f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes)", path)
    return size


def detect_format(path: Path) -> str:
    """Return "pdf", "docx", "html" or "txt", or raise a ReadError explaining the mismatch."""
    ext = path.suffix.lower()
    declared = EXTENSIONS.get(ext)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    actual = sniff_bytes(head)
    if actual == "empty":
        raise EmptyDocumentError("the file contains only white space", path)
    if declared is None:
        if ext in (".doc", ".rtf", ".odt", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".png", ".jpg", ".jpeg", ".tif", ".tiff"):
            raise UnsupportedFormatError(
                f"files of type {ext} are not supported; save the review as PDF, DOCX, HTML or plain text", path
            )
        if actual in ("pdf", "html", "txt"):
            return actual
        if actual == "zip" and _is_docx(path):
            return "docx"
        raise UnsupportedFormatError(f"unsupported file type {ext or '(no extension)'} ({NAMES.get(actual, actual)})", path)
    if declared == "docx":
        if actual == "zip":
            return "docx"
        if actual in ("pdf", "html", "ole", "rtf", "image"):
            raise FormatMismatchError(
                f"the file is named .docx but contains {NAMES[actual]} data", path
            )
        raise CorruptDocumentError("not a valid DOCX file: it is not a ZIP package (damaged or not a Word document)", path)
    if declared == "pdf":
        if actual == "pdf":
            return "pdf"
        if actual in ("html", "zip", "ole", "rtf", "image") or (actual == "txt" and len(head.strip()) > 0 and _looks_textual(head)):
            raise FormatMismatchError(f"the file is named {ext} but contains {NAMES[actual]} data, not a PDF", path)
        raise CorruptDocumentError("not a PDF: the %PDF header is missing (corrupt or garbage data)", path)
    if declared == "html":
        if actual in ("html", "txt"):
            return "html"
        raise FormatMismatchError(f"the file is named {ext} but contains {NAMES.get(actual, actual)} data, not HTML", path)
    # declared text
    if actual == "txt":
        return "txt"
    if actual == "html":
        return "html" if ext not in (".md", ".markdown") else "txt"
    if actual == "binary":
        raise CorruptDocumentError("the text file contains binary data (corrupt or not text)", path)
    raise FormatMismatchError(f"the file is named {ext} but contains {NAMES.get(actual, actual)} data, not text", path)


def _looks_textual(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text)


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def check_docx(path: Path, max_uncompressed: int | None) -> None:
    """Validate a DOCX package from its zip directory, before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocumentError(f"not a valid DOCX file: the ZIP package is damaged ({exc})", path) from exc
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise FormatMismatchError("the ZIP package has no word/document.xml, so it is not a Word document", path)
    total = sum(i.file_size for i in infos)
    if max_uncompressed is not None and total > max_uncompressed:
        raise FileTooLargeError(
            f"the DOCX would inflate to {total:,} bytes, over the limit of {max_uncompressed:,} bytes "
            "(max_docx_uncompressed); refusing to unpack it",
            path,
        )
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise FileTooLargeError(
                f"{i.filename} inflates from {i.compress_size:,} to {i.file_size:,} bytes: this looks like a zip bomb",
                path,
            )
