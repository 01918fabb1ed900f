"""Shared text processing: one spaCy pipeline and one sentence splitter for every module.

>>> from sca.nlp import split_sentences
>>> [s for _, _, s in split_sentences("Dr. Patel saw Child A on 3.4.2010. She was well.")]
['Dr. Patel saw Child A on 3.4.2010.', 'She was well.']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sca.nlp import segment as _segment  # noqa: F401  (registers "sca_sentences")

__all__ = ["make_nlp", "split_sentences", "split_sentences_many", "sentence_spans"]

#: Reviews can be long; the blank tokenizer has no memory-hungry parts, so lift spaCy's limit.
MAX_LENGTH = 20_000_000


def _build() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sca_sentences")
    nlp.max_length = MAX_LENGTH
    return nlp


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """Blank English plus our sentence-boundary component (cached; do not add pipes to it).

    Call :func:`new_nlp` when you want a private pipeline to extend with your own components.
    """
    return _build()


def new_nlp() -> Language:
    """A fresh, uncached copy of the pipeline returned by :func:`make_nlp`."""
    return _build()


def sentence_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start_char, end_char, text) of each sentence of ``doc``, with surrounding whitespace trimmed."""
    out: list[tuple[int, int, str]] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end, text[start:end]))
    return out


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """Split ``text`` into sentences: a list of (start_char, end_char, sentence_text)."""
    if not text or not text.strip():
        return []
    return sentence_spans(make_nlp()(text))


def split_sentences_many(texts: Iterable[str], batch_size: int = 256) -> Iterator[list[tuple[int, int, str]]]:
    """Like :func:`split_sentences` for many texts (uses ``nlp.pipe``)."""
    nlp = make_nlp()
    for doc in nlp.pipe((t or "" for t in texts), batch_size=batch_size):
        yield sentence_spans(doc)
