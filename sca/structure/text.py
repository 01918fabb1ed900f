"""Small text helpers shared by the readers and the structure builder."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})

#: Characters that stand for a bullet at the start of a line (incl. Symbol-font private-use glyphs).
BULLET_CHARS = "•●▪■◦‣∙·○□➢➤►▶✓✔"
WEAK_BULLET_CHARS = "-–—*+"
_BULLET_RE = re.compile(r"^\s*(?:[" + re.escape(BULLET_CHARS) + r"]|[\uf000-\uf0ff])\s*(?=\S)")
_WEAK_BULLET_RE = re.compile(r"^\s*[" + re.escape(WEAK_BULLET_CHARS) + r"]\s+(?=\S)")


def clean_spaces(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def normalise(text: str) -> str:
    """Comparison form: NFKC, straight quotes, single spaces, no soft hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return clean_spaces(text.translate(_QUOTES))


def strip_bullet(text: str, weak: bool = False) -> tuple[bool, str]:
    """Return (was_bullet, text without the bullet glyph).

    ``weak`` also accepts ``-``, ``–``, ``*`` and ``+`` (safe in plain text and markdown, where a
    line is a whole paragraph; not in PDF lines, where a dash may start a wrapped line).
    """
    m = _BULLET_RE.match(text) or (_WEAK_BULLET_RE.match(text) if weak else None)
    if m:
        return True, text[m.end():]
    return False, text


def fix_chars(text: str) -> str:
    """Repair extraction artefacts: soft hyphens, pdfium's U+FFFE line-end marker, ligatures."""
    if not text:
        return text
    text = text.replace("\ufffe", "-").replace("\u00ad", "")
    for lig, rep in (("\ufb01", "fi"), ("\ufb02", "fl"), ("\ufb00", "ff"), ("\ufb03", "ffi"), ("\ufb04", "ffl")):
        text = text.replace(lig, rep)
    return text


_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")


def vocabulary(texts) -> dict[str, int]:
    """Word counts (lower case) over some texts, hyphenated compounds kept whole."""
    counts: dict[str, int] = {}
    for t in texts:
        for w in _WORD.findall(t):
            w = w.lower()
            counts[w] = counts.get(w, 0) + 1
    return counts


def join_lines(lines: list[str], vocab: dict[str, int] | None = None) -> str:
    """Join wrapped lines into one paragraph, repairing line-end hyphens.

    A line ending in ``word-`` followed by a line starting with a lower-case letter is
    joined without a space.  The hyphen is dropped only when the vocabulary check says the
    joined word is a word of this document ("safe-" + "guarding" -> "safeguarding"); real
    compounds ("multi-" + "agency", "face-to-" + "face") keep it.
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        m = re.search(r"([A-Za-z]+)-$", out)
        if m and line[:1].islower():
            first = re.match(r"[A-Za-z]+", line)
            tail = first.group(0) if first else ""
            joined = (m.group(1) + tail).lower()
            hyph = (m.group(1) + "-" + tail).lower()
            if vocab is not None and vocab.get(joined, 0) > vocab.get(hyph, 0):
                out = out[:-1] + line
            else:
                out = out + line
        else:
            out = out + " " + line
    return clean_spaces(out)
