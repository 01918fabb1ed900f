"""Frequency, prevalence and co-occurrence tables from hand-made frames."""

import pandas as pd
import pytest

from sca.corpus import tables

THEMES = pd.DataFrame([
    {"theme": "information_sharing", "label": "Information sharing", "family": "practice"},
    {"theme": "hidden_men", "label": "Unknown men", "family": "practice"},
    {"theme": "voice_of_child", "label": "Voice of the child", "family": "practice"},
    {"theme": "neglect", "label": "Neglect", "family": "context"},
])


def docs():
    return pd.DataFrame([
        {"doc_id": "a", "status": "ok", "review_type": "SCR", "year": 2018, "board": "X", "words": 10000},
        {"doc_id": "b", "status": "ok", "review_type": "LCSPR", "year": 2021, "board": "Y", "words": 30000},
        {"doc_id": "c", "status": "error", "review_type": None, "year": None, "board": None, "words": None},
        {"doc_id": "g", "status": "ok", "review_type": "guidance", "year": 2021, "board": "Y", "words": 5000},
    ])


def m(doc, theme, para, sent, assertion="affirmed", family="practice"):
    return {"doc_id": doc, "theme": theme, "family": family, "page": 1, "section": "A", "para": str(para),
            "paragraph_index": para, "sentence_id": sent, "sentence": f"s{sent}", "assertion": assertion}


def mentions():
    return pd.DataFrame([
        m("a", "information_sharing", 1, 1), m("a", "hidden_men", 1, 1),   # same sentence
        m("a", "neglect", 1, 2, family="context"),                         # same paragraph
        m("a", "information_sharing", 2, 3),
        m("b", "information_sharing", 5, 9),
        m("b", "hidden_men", 6, 10, assertion="negated"),                   # not counted
        m("g", "neglect", 1, 1, family="context"),                          # guidance: left out
    ])


def test_theme_frequencies_cover_every_codebook_theme_with_zeros():
    f = tables.theme_frequencies(docs(), mentions(), THEMES).set_index("theme")
    assert set(f.index) == set(THEMES["theme"])
    assert f.loc["voice_of_child", "reviews"] == 0 and f.loc["voice_of_child", "mentions"] == 0
    assert f.loc["information_sharing", "reviews"] == 2
    assert f.loc["information_sharing", "pct_reviews"] == 100.0
    assert f.loc["information_sharing", "mentions"] == 3
    # 3 mentions in 40,000 words of counted reviews
    assert f.loc["information_sharing", "mentions_per_10k_words"] == pytest.approx(0.75)
    # negated mention not counted; guidance document not counted
    assert f.loc["hidden_men", "reviews"] == 1
    assert f.loc["neglect", "reviews"] == 1 and f.loc["neglect", "family"] == "context"
    assert set(f["n_reviews"]) == {2}
    # practice themes come before context themes
    assert list(f["family"]).index("context") > max(i for i, x in enumerate(f["family"]) if x == "practice")


def test_frequencies_by_year_include_zero_rows_and_per_group_denominators():
    by = tables.frequencies_by(docs(), mentions(), "year", THEMES)
    assert set(by["year"]) == {"2018", "2021"}
    assert len(by) == 2 * len(THEMES)
    row = by[(by["year"] == "2021") & (by["theme"] == "information_sharing")].iloc[0]
    assert (row["n_reviews"], row["reviews"], row["pct_reviews"]) == (1, 1, 100.0)
    zero = by[(by["year"] == "2018") & (by["theme"] == "voice_of_child")].iloc[0]
    assert zero["reviews"] == 0
    with pytest.raises(ValueError, match="cannot group by"):
        tables.frequencies_by(docs(), mentions(), "colour", THEMES)


def test_unknown_group_values_are_labelled():
    d = docs()
    d.loc[1, "board"] = None
    by = tables.frequencies_by(d, mentions(), "board", THEMES)
    assert "unknown" in set(by["board"])


def test_review_themes_counts_and_presence():
    rt = tables.review_themes(docs(), mentions(), THEMES).set_index("doc_id")
    assert list(rt.index) == ["a", "b", "g"]  # every document read; errors left out
    assert rt.loc["a", "information_sharing"] == 2 and rt.loc["a", "has_information_sharing"] == 1
    assert rt.loc["b", "hidden_men"] == 0 and rt.loc["b", "has_hidden_men"] == 0
    assert rt.loc["a", "has_voice_of_child"] == 0


def test_cooccurrence_differs_by_unit():
    d = docs()
    sent = tables.cooccurrence_matrix(mentions(), "sentence", THEMES, d)
    para = tables.cooccurrence_matrix(mentions(), "paragraph", THEMES, d)
    doc = tables.cooccurrence_matrix(mentions(), "document", THEMES, d)
    assert sent.loc["information_sharing", "hidden_men"] == 1
    assert sent.loc["information_sharing", "neglect"] == 0
    assert para.loc["information_sharing", "neglect"] == 1
    assert doc.loc["hidden_men", "neglect"] == 1
    assert sent.loc["information_sharing", "information_sharing"] == 3  # diagonal: units raising it
    assert doc.loc["information_sharing", "information_sharing"] == 2
    assert (sent.to_numpy() == sent.to_numpy().T).all()
    with pytest.raises(ValueError):
        tables.cooccurrence_matrix(mentions(), "chapter", THEMES, d)


def test_cooccurrence_long_has_all_units_and_pairs():
    long = tables.cooccurrence_long(mentions(), THEMES, docs())
    assert set(long["unit"]) == {"sentence", "paragraph", "document"}
    assert len(long) == 3 * len(THEMES) ** 2
    r = long[(long["unit"] == "document") & (long["theme_a"] == "information_sharing")
             & (long["theme_b"] == "hidden_men")].iloc[0]
    assert r["count"] == 1 and r["jaccard"] == pytest.approx(0.5)


def test_without_codebook_themes_come_from_mentions():
    f = tables.theme_frequencies(docs(), mentions(), None)
    assert set(f["theme"]) == {"information_sharing", "hidden_men", "neglect"}
