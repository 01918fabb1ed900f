"""Batch processing of a folder of reviews: tables, report, cache, parallel engines."""

from sca.corpus.corpus import Corpus, discover

__all__ = ["Corpus", "discover"]
