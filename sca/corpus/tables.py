"""Frequency, prevalence and co-occurrence tables over a tagged corpus.

Every function takes plain DataFrames (documents, mentions, themes) and returns a
DataFrame, so the same code serves ``sca tag`` and notebooks.

Which documents count: those read successfully (``status == "ok"``) whose review type is
not ``guidance`` (a procedures document is not a review).  Which mentions count: every
row the tagger returned, except those whose ``assertion`` says the concern is negated
or hypothetical.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

#: Review types left out of prevalence denominators.
EXCLUDED_TYPES = ("guidance",)
#: Assertion values that do not raise a theme.
NOT_COUNTED = ("negated", "hypothetical", "denied", "good_practice", "absent")
FAMILY_ORDER = {"practice": 0, "context": 1}
UNITS = ("sentence", "paragraph", "document")
GROUP_KEYS = ("year", "review_type", "board")


# -- selections -----------------------------------------------------------------------------
def counted_documents(documents: pd.DataFrame, exclude_types: Iterable[str] = EXCLUDED_TYPES) -> pd.DataFrame:
    if documents is None or documents.empty:
        return pd.DataFrame(columns=["doc_id", "words", *GROUP_KEYS])
    docs = documents[documents["status"] == "ok"]
    if "review_type" in docs:
        docs = docs[~docs["review_type"].isin(list(exclude_types))]
    return docs


def counted_mentions(mentions: pd.DataFrame, doc_ids: Iterable[str] | None = None) -> pd.DataFrame:
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=["doc_id", "theme", "family"])
    m = mentions
    if "assertion" in m:
        m = m[~m["assertion"].astype("string").str.lower().isin(NOT_COUNTED).fillna(False)]
    if doc_ids is not None:
        m = m[m["doc_id"].isin(list(doc_ids))]
    return m


def theme_table(themes: pd.DataFrame | None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Codebook themes (id, label, family) plus any theme found only in the mentions."""
    cols = ["theme", "label", "family"]
    base = pd.DataFrame(columns=cols) if themes is None else themes[cols].copy()
    if mentions is not None and not mentions.empty:
        extra = mentions.loc[~mentions["theme"].isin(base["theme"]), ["theme", "family"]].drop_duplicates("theme")
        if not extra.empty:
            extra = extra.assign(label=extra["theme"])[cols]
            base = pd.concat([base, extra], ignore_index=True)
    base["family"] = base["family"].fillna("other")
    return base.reset_index(drop=True)


def _order(df: pd.DataFrame, by_count: str | None = None) -> pd.DataFrame:
    key = df["family"].map(FAMILY_ORDER).fillna(9)
    df = df.assign(_f=key)
    sort = ["_f"] + ([by_count] if by_count else []) + ["theme"]
    asc = [True] + ([False] if by_count else []) + [True]
    return df.sort_values(sort, ascending=asc, kind="mergesort").drop(columns="_f").reset_index(drop=True)


# -- frequencies ----------------------------------------------------------------------------
def _frequencies(docs: pd.DataFrame, mentions: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    n_reviews = len(docs)
    words = float(pd.to_numeric(docs["words"], errors="coerce").fillna(0).sum()) if n_reviews else 0.0
    m = counted_mentions(mentions, docs["doc_id"])
    reviews = m.groupby("theme")["doc_id"].nunique() if not m.empty else pd.Series(dtype=int)
    counts = m.groupby("theme").size() if not m.empty else pd.Series(dtype=int)
    out = themes.copy()
    out["reviews"] = out["theme"].map(reviews).fillna(0).astype(int)
    out["pct_reviews"] = (100.0 * out["reviews"] / n_reviews).round(1) if n_reviews else 0.0
    out["mentions"] = out["theme"].map(counts).fillna(0).astype(int)
    out["mentions_per_10k_words"] = (1e4 * out["mentions"] / words).round(2) if words else 0.0
    out["n_reviews"] = n_reviews
    out["words"] = int(words)
    return out


def theme_frequencies(documents: pd.DataFrame, mentions: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per theme: reviews raising it, % of reviews, mentions, mentions per 10,000 words, family.

    Every theme of the codebook appears, with zeros where no review raises it.
    """
    docs = counted_documents(documents)
    t = theme_table(themes, counted_mentions(mentions))
    out = _frequencies(docs, mentions, t)
    cols = ["theme", "label", "family", "reviews", "pct_reviews", "mentions", "mentions_per_10k_words",
            "n_reviews", "words"]
    return _order(out[cols], "reviews")


def frequencies_by(documents: pd.DataFrame, mentions: pd.DataFrame, key: str,
                   themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long table: one row per group value (year, review type or board) and theme, zeros included."""
    if key not in GROUP_KEYS:
        raise ValueError(f"cannot group by {key!r}: choose one of {', '.join(GROUP_KEYS)}")
    docs = counted_documents(documents)
    t = theme_table(themes, counted_mentions(mentions))
    cols = [key, "theme", "label", "family", "n_reviews", "reviews", "pct_reviews", "mentions", "words",
            "mentions_per_10k_words"]
    if docs.empty:
        return pd.DataFrame(columns=cols)
    values = docs[key]
    if key == "year":
        values = pd.to_numeric(values, errors="coerce").astype("Int64").astype("string")
    values = values.astype("string").fillna("unknown").replace("", "unknown")
    docs = docs.assign(_group=values)
    parts = []
    for group, gdocs in docs.groupby("_group", sort=True):
        f = _frequencies(gdocs, mentions, t)
        f.insert(0, key, group)
        parts.append(f)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["_f"] = out["family"].map(FAMILY_ORDER).fillna(9)
    out = out.sort_values([key, "_f", "theme"], kind="mergesort").drop(columns="_f")
    return out.reset_index(drop=True)


def review_themes(documents: pd.DataFrame, mentions: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Documents x themes: ``<theme>`` holds the number of mentions, ``has_<theme>`` 0/1.

    One row per document read successfully (guidance documents included, with their
    review type, so that users can filter).
    """
    meta = ["doc_id", "title", "board", "review_type", "year", "words"]
    docs = documents[documents["status"] == "ok"] if documents is not None and not documents.empty \
        else pd.DataFrame(columns=meta)
    m = counted_mentions(mentions, docs["doc_id"])
    t = theme_table(themes, m)
    ids = list(_order(t)["theme"])
    counts = (m.groupby(["doc_id", "theme"]).size().unstack(fill_value=0) if not m.empty
              else pd.DataFrame(index=pd.Index([], name="doc_id")))
    counts = counts.reindex(index=list(docs["doc_id"]), columns=ids, fill_value=0).fillna(0).astype(int)
    present = (counts > 0).astype(int).add_prefix("has_")
    base = docs[[c for c in meta if c in docs]].reset_index(drop=True)
    return pd.concat([base, counts.reset_index(drop=True), present.reset_index(drop=True)], axis=1)


# -- co-occurrence --------------------------------------------------------------------------
def _unit_keys(m: pd.DataFrame, unit: str) -> pd.Series:
    def col(name):
        return m[name].astype("string").fillna("") if name in m else pd.Series("", index=m.index, dtype="string")

    doc = col("doc_id")
    if unit == "document":
        return doc
    if "paragraph_index" in m and m["paragraph_index"].notna().any():
        para = col("paragraph_index")
    else:
        para = col("page") + "|" + col("section") + "|" + col("para")
    if unit == "paragraph":
        return doc + "#" + para
    if "sentence_id" in m and m["sentence_id"].notna().any():
        return doc + "#" + col("sentence_id")
    return doc + "#" + para + "#" + col("sentence")


def cooccurrence_matrix(mentions: pd.DataFrame, unit: str = "sentence", themes: pd.DataFrame | None = None,
                        documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Theme x theme: number of units (sentences, paragraphs or documents) raising both.

    The diagonal holds the number of units raising the theme at all.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: choose one of {', '.join(UNITS)}")
    doc_ids = counted_documents(documents)["doc_id"] if documents is not None else None
    m = counted_mentions(mentions, doc_ids)
    ids = list(_order(theme_table(themes, m))["theme"])
    if m.empty:
        return pd.DataFrame(0, index=pd.Index(ids, name="theme"), columns=ids)
    keys = _unit_keys(m, unit)
    x = pd.crosstab(keys, m["theme"]).reindex(columns=ids, fill_value=0)
    x = (x.to_numpy() > 0).astype(np.int64)
    mat = x.T @ x
    return pd.DataFrame(mat, index=pd.Index(ids, name="theme"), columns=ids)


def cooccurrence_long(mentions: pd.DataFrame, themes: pd.DataFrame | None = None,
                      documents: pd.DataFrame | None = None, units: Iterable[str] = UNITS) -> pd.DataFrame:
    """All three units in one long table: unit, theme_a, theme_b, count, jaccard."""
    rows = []
    for unit in units:
        mat = cooccurrence_matrix(mentions, unit, themes, documents)
        diag = np.diag(mat.to_numpy())
        for i, a in enumerate(mat.index):
            for j, b in enumerate(mat.columns):
                c = int(mat.iat[i, j])
                union = diag[i] + diag[j] - c
                rows.append((unit, a, b, c, round(c / union, 4) if union else 0.0))
    return pd.DataFrame(rows, columns=["unit", "theme_a", "theme_b", "count", "jaccard"])
