"""Batch processing of a folder of reviews: tables, report, cache, parallel engines.

>>> from sca import Corpus
>>> c = Corpus.from_folder("reviews/").tag(jobs=2, cache_dir="out/.cache")   # doctest: +SKIP
>>> c.documents, c.mentions, c.events, c.missed_opportunities                # doctest: +SKIP
>>> c.theme_frequencies(); c.by("year"); c.cooccurrence(unit="document")     # doctest: +SKIP
>>> c.write("out/", xlsx=True)                                               # doctest: +SKIP

Modules: ``corpus`` (the Corpus class, file discovery), ``runner`` (per-document worker,
time limit, process pool), ``dask_engine``, ``cache`` (per-document results keyed by file
sha256 + pipeline fingerprint), ``tables`` (frequencies, co-occurrence), ``outputs`` (files
written atomically), ``report`` (report.html).

Output files (``sca tag FOLDER --out DIR``):

- documents.csv: one row per file: doc_id, path, sha256, format, title, board, review_type,
  child_code, author, year, pages, words, status (ok/error/timeout), reason, error.
- mentions.csv / mentions.parquet: one row per tagged sentence and theme, with file, page,
  section, para, sentence and the tagger's evidence.
- review_themes.csv: documents x themes; ``<theme>`` = mentions, ``has_<theme>`` = 0/1.
- theme_frequencies.csv: per theme (all codebook themes, both families): reviews raising it,
  pct_reviews, mentions, mentions_per_10k_words (guidance documents are not counted).
- frequencies_by_year.csv, frequencies_by_review_type.csv, frequencies_by_board.csv: the same
  per group value (long format, zero rows included, missing values as "unknown").
- cooccurrence.csv: long format: unit (sentence/paragraph/document), theme_a, theme_b,
  count (units raising both; diagonal = units raising the theme), jaccard.
- events.csv, missed_opportunities.csv, graphs/<doc_id>.graphml, errors.csv (file, doc_id,
  status, reason, error), report.html, and sca-tables.xlsx with ``--xlsx``.
"""

from sca.corpus.corpus import Corpus, discover

__all__ = ["Corpus", "discover"]
