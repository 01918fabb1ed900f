"""A rule-based sentence-boundary component for review text.

Registered with spaCy as ``sca_sentences``.  It copes with the things that trip up
a plain full-stop splitter in safeguarding reviews:

* abbreviations such as ``Dr``, ``Mrs``, ``e.g.``, ``i.e.``, ``para. 4.12``, ``No. 5``;
* paragraph numbers (``4.12 The health visitor ...``) and dates (``3.4.2010``);
* bullet lists (``•`` anywhere, ``-``/``*``/``(a)`` at the start of a line);
* table rows rendered one per line (``|`` or tab separated);
* blank lines, which always end a unit.

The abbreviation lists live in ``sca/data/segmentation.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy
import yaml
from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc, Token

_TERMINAL = {".", "!", "?", "...", "…", "?!", "!?"}
_CLOSERS = {")", "]", "}", "”", "’", "»"}
_AMBIGUOUS_QUOTES = {'"', "'"}
_OPENERS = {"(", "[", "“", "‘", '"', "'", "«"}
# A list or paragraph marker at the start of a line: "(a) ", "b) ", "(iv) ", "3) ", "4.12 ", "7. ".
_LIST_ITEM = re.compile(r"^(\(?[a-zA-Z]\)|\(?[ivxIVX]{1,5}\)|\(?\d{1,2}\)|\d{1,3}(\.\d{1,3})*\.?)\s+\S")
# A short heading line: at most eight words, none ending a sentence.
_HEADING = re.compile(r"^[A-Z0-9][^.!?:;,]{0,60}$")


@dataclass(frozen=True)
class SegmentationData:
    never_final: frozenset[str]
    before_number: frozenset[str]
    maybe_final: frozenset[str]
    bullet_chars: frozenset[str]
    line_bullets: frozenset[str]


@lru_cache(maxsize=1)
def load_segmentation_data() -> SegmentationData:
    text = resources.files("sca.data").joinpath("segmentation.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}

    def norm(key: str) -> frozenset[str]:
        return frozenset(str(x).lower().rstrip(".") for x in raw.get(key, []) or [])

    return SegmentationData(
        never_final=norm("never_final"),
        before_number=norm("before_number"),
        maybe_final=norm("maybe_final"),
        bullet_chars=frozenset(str(x) for x in raw.get("bullet_chars", []) or []),
        line_bullets=frozenset(str(x) for x in raw.get("line_bullets", []) or []),
    )


def _is_space(tok: Token) -> bool:
    return tok.is_space


def _starts_upper_or_digit(tok: Token) -> bool:
    ch = tok.text[:1]
    return ch.isupper() or ch.isdigit() or tok.text in _OPENERS


def _looks_like_heading(line: str) -> bool:
    """A short title-like line with no sentence punctuation ("Background", "4. Analysis")."""
    if not line or not _HEADING.match(line):
        return False
    words = [w for w in line.split() if w[:1].isalpha()]
    if not words or len(words) > 8:
        return False
    if len(words) <= 3:
        return True
    small = {"and", "of", "the", "to", "in", "for", "a", "an", "on", "with", "by", "or", "at"}
    return all(w[:1].isupper() or w.lower() in small for w in words)


def _abbrev_key(tok: Token) -> str:
    return tok.text.lower().rstrip(".")


def _full_stop_ends_sentence(doc: Doc, stop_idx: int, abbrev: Token | None, nxt: Token, data: SegmentationData) -> bool:
    """Decide whether the full stop at ``stop_idx`` (or inside ``abbrev``) ends a sentence."""
    if abbrev is not None:
        key = _abbrev_key(abbrev)
        if key in data.never_final:
            return False
        if key in data.before_number and (nxt.like_num or nxt.text[:1].isdigit()):
            return False
        if key in data.maybe_final or key in data.before_number:
            return nxt.text[:1].isupper() and _abbrev_key(nxt) not in data.never_final
    return _starts_upper_or_digit(nxt) or nxt.text in data.bullet_chars


def _set_boundaries(doc: Doc, data: SegmentationData) -> Doc:
    n = len(doc)
    if n == 0:
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError(Errors.E043)  # as Token.is_sent_start would (a parsed doc has its sentences)
    starts = [False] * n
    starts[0] = True
    # One pass over the tokens: spaCy builds a Token object on every access and the doc's
    # text on every ``doc.text``, which made this function quadratic in long paragraphs.
    toks = list(doc)
    texts = [t.text for t in toks]
    idxs = [t.idx for t in toks]
    spaces = [t.is_space for t in toks]
    wss = [t.whitespace_ for t in toks]
    doc_text = "".join([t + w for t, w in zip(texts, wss)])  # = doc.text, without building the tokens again

    def has_newline(i: int, j: int) -> bool:
        """Whether ``doc[i:j].text`` (j > i) holds a line break."""
        return "\n" in doc_text[idxs[i] : idxs[j - 1] + len(texts[j - 1])]

    line_start = True  # the next non-space token begins a line
    blank_line = False
    prev_line_terminal = False
    prev_line_tabular = False
    line_has_table = False
    line_begin = 0
    prev_line = ""
    pending_break = False  # a sentence-final punctuation was seen; break at the next word

    for i in range(n):
        text = texts[i]
        if spaces[i]:
            nl = text.count("\n")
            if nl:
                # Finish the line.
                prev_line = doc_text[line_begin : idxs[i]].strip()
                line_begin = idxs[i] + len(text)
                prev_line_tabular = line_has_table
                line_has_table = False
                line_start = True
                blank_line = blank_line or nl >= 2 or bool(re.search(r"\n[ \t]*\n", text))
            continue
        tok = toks[i]
        if line_start and i > 0:
            line_text = doc_text[idxs[i] :].split("\n", 1)[0]
            if (
                blank_line
                or prev_line_terminal
                or pending_break
                or text in data.line_bullets
                or text in data.bullet_chars
                or prev_line_tabular
                or text.startswith("|")
                or "|" in line_text
                or "\t" in line_text
                or _LIST_ITEM.match(line_text) is not None
                or (_looks_like_heading(prev_line) and _starts_upper_or_digit(tok))
            ):
                starts[i] = True
            pending_break = False
        elif pending_break:
            starts[i] = True
            pending_break = False
        elif text in data.bullet_chars and i > 0:
            starts[i] = True
        line_start = False
        blank_line = False
        if "|" in text or "\t" in wss[i]:
            line_has_table = True

        # Is this token sentence-final?
        final = False
        if text in _TERMINAL:
            prev = toks[i - 1] if i > 0 and not spaces[i - 1] and not wss[i - 1] else None
            nxt_i = i + 1
            # Closing brackets and quotes stay with the sentence.
            while nxt_i < n and (texts[nxt_i] in _CLOSERS or (texts[nxt_i] in _AMBIGUOUS_QUOTES and not wss[nxt_i - 1])):
                nxt_i += 1
            if text == ".":
                k = nxt_i
                while k < n and spaces[k]:
                    k += 1
                final = k >= n or _full_stop_ends_sentence(doc, i, prev, toks[k], data)
            else:
                final = True
            if final:
                # Mark the first real token after the closers.
                j = nxt_i
                while j < n and spaces[j]:
                    j += 1
                if j < n and not has_newline(i, j):
                    starts[j] = True
                prev_line_terminal = True
            else:
                prev_line_terminal = False
        elif text.endswith(".") and len(text) > 1 and not text[:-1].replace(".", "").isdigit():
            # Abbreviation-like token with its own full stop ("Mrs.", "e.g.", "A.", "a.m.").
            j = i + 1
            while j < n and spaces[j]:
                j += 1
            if j < n:
                key = _abbrev_key(tok)
                after_title = i > 0 and _abbrev_key(toks[i - 1]) in data.never_final
                if after_title and len(key) == 1:
                    final = False
                elif key in data.never_final or (key in data.before_number and texts[j][:1].isdigit()):
                    final = False
                elif key in data.maybe_final or key in data.before_number or len(key) == 1 or "." in key:
                    final = texts[j][:1].isupper() and _abbrev_key(toks[j]) not in data.never_final
                else:
                    final = _starts_upper_or_digit(toks[j])
                if final and not has_newline(i, j):
                    starts[j] = True
            prev_line_terminal = final or j >= n
        else:
            prev_line_terminal = False

    # all at once (1 = starts a sentence, -1 = does not), as ``tok.is_sent_start = ...`` per token did
    doc.from_array([SENT_START], numpy.array([1 if s else -1 for s in starts], dtype=numpy.int64).astype(numpy.uint64))
    return doc


@Language.component("sca_sentences")
def sca_sentences(doc: Doc) -> Doc:
    """Set sentence boundaries for review text (see module docstring)."""
    return _set_boundaries(doc, load_segmentation_data())
