"""ThemeTagger API: predict, predict_proba, tag(review), ml/hybrid wiring, spaCy component."""

import numpy as np
import pandas as pd
import pytest

from sca.document import Metadata, Paragraph, Review, Section, Table
from sca.themes.tagger import TAG_COLUMNS, ThemeTagger

REQUIRED = ["doc_id", "page", "section", "section_kind", "para", "sentence", "theme", "family", "score",
            "method", "assertion", "evidence"]


@pytest.fixture(scope="module")
def rules():
    return ThemeTagger(method="rules")


def make_review():
    sec = Section(heading="5. Analysis", kind="analysis", paragraphs=[
        Paragraph(text="There was no evidence of information sharing. The GP saw the child on 3.4.2010.",
                  number="5.1", page=7, section="5. Analysis", index=0),
        Paragraph(text="There is no evidence that information was not shared.", number="5.2", page=7,
                  section="5. Analysis", index=1),
        Paragraph(text="Mr T was not seen or spoken to during the assessment.", number="5.3", page=8,
                  section="5. Analysis", index=2),
    ])
    glossary = Section(heading="Glossary", kind="glossary", paragraphs=[
        Paragraph(text="Neglect: the persistent failure to meet a child's basic needs.", index=3)])
    return Review(metadata=Metadata(source="/tmp/r99.pdf"), sections=[sec, glossary],
                  tables=[Table(rows=[["Date", "Agency", "Event"], ["1.2.2015", "Police", "Domestic incident at the home"]],
                                page=9, section="Chronology", section_kind="chronology")])


def test_predict_and_proba_shapes(rules):
    texts = ["There was no evidence of information sharing.", "A strategy meeting was held on 3 May.", ""]
    pred = rules.predict(texts)
    assert pred == [["information_sharing"], [], []]
    proba = rules.predict_proba(texts)
    assert isinstance(proba, pd.DataFrame)
    assert list(proba.columns) == rules.codebook_.ids and len(proba) == 3
    assert proba.loc[0, "information_sharing"] >= 0.5 and proba.loc[1].max() == 0.0
    assert rules.predict([]) == []


def test_tag_review_columns_provenance_and_evidence(rules):
    df = rules.tag(make_review())
    assert list(df.columns) == TAG_COLUMNS and list(df.columns[:12]) == REQUIRED
    themes = set(df["theme"])
    assert "information_sharing" in themes and "hidden_men" in themes
    row = df[df["theme"] == "information_sharing"].iloc[0]
    assert row["doc_id"] == "r99" and row["page"] == 7 and row["para"] == "5.1"
    assert row["sentence"] == "There was no evidence of information sharing."
    assert row["assertion"] == "asserted" and row["method"] == "rules" and row["family"] == "practice"
    assert "no evidence of" in row["evidence"] and row["rule_id"]
    assert "5.2" not in set(df["para"])  # the denied finding gives no row
    assert "neglect" not in themes  # glossary skipped
    assert "domestic_abuse" in themes  # table rows are units too
    assert df[df["theme"] == "domestic_abuse"].iloc[0]["section_kind"] == "chronology"


def test_tag_include_all_keeps_negated_mentions():
    df = ThemeTagger(method="rules", include_all=True).tag(make_review())
    neg = df[(df["para"] == "5.2")]
    assert len(neg) and set(neg["assertion"]) == {"negated"}


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        ThemeTagger(method="magic")


class FakeModel:
    """Stands in for sca.themes.model.ThemeClassifier (same attributes and predict_proba)."""

    def __init__(self, themes):
        self.themes_ = list(themes)
        self.thresholds_ = {t: 0.6 for t in themes}
        self.codebook_version_ = "1.0.0"

    def predict_proba(self, texts):
        out = np.zeros((len(texts), len(self.themes_)))
        j = self.themes_.index("voice_of_child")
        k = self.themes_.index("information_sharing")
        for i, t in enumerate(texts):
            if "daily life" in t:
                out[i, j] = 0.9
            if "shared" in t:
                out[i, k] = 0.95  # the model is fooled by the word
        return out


def test_ml_and_hybrid_wiring_with_veto(rules):
    model = FakeModel(rules.codebook_.ids)
    texts = ["The report describes his daily life.", "There is no evidence that information was not shared.",
             "There was no evidence of information sharing."]
    ml = ThemeTagger(method="ml", model=model)
    assert ml.predict(texts) == [["voice_of_child"], ["information_sharing"], []]
    assert ml.predict_proba(texts).loc[0, "voice_of_child"] == pytest.approx(0.9)
    gated = ThemeTagger(method="hybrid", model=model)  # default: the rules gate the model
    assert gated.predict(texts) == [[], [], ["information_sharing"]]
    assert gated.predict(["There was no evidence of information sharing about his daily life."]) == [
        ["information_sharing", "voice_of_child"]]
    assert ThemeTagger(method="hybrid", model=model, model_override=0.85).predict(texts)[0] == ["voice_of_child"]
    hy = ThemeTagger(method="hybrid", model=model, gate=False)
    pred = hy.predict(texts)
    assert pred[0] == ["voice_of_child"]  # model side
    assert pred[1] == []  # vetoed: the rules saw the shortfall denied
    assert pred[2] == ["information_sharing"]  # rule side
    proba = hy.predict_proba(texts)
    assert proba.loc[0, "voice_of_child"] > 0.5 > proba.loc[1, "information_sharing"]
    review = Review(metadata=Metadata(source="x.txt"), sections=[Section(heading="A", kind="analysis", paragraphs=[
        Paragraph(text=texts[0] + " " + texts[2], number="1.1", page=1, index=0)])])
    df = hy.tag(review)
    assert set(df["theme"]) == {"voice_of_child", "information_sharing"}
    assert df["evidence"].str.contains("model p=").all()
    assert df[df["theme"] == "information_sharing"]["evidence"].str.contains("information_sharing.practice").all()


def test_spacy_component_sets_spans():
    import spacy

    import sca.themes  # noqa: F401  registers the factories

    nlp = spacy.blank("en")
    nlp.add_pipe("sca_sentences")
    nlp.add_pipe("sca_themes")
    doc = nlp("There was no evidence of information sharing. There is no evidence that information was not shared.")
    assert doc._.sca_themes == ["information_sharing"]
    spans = list(doc.spans["sca_themes"])
    assert {s._.sca_assertion for s in spans} == {"asserted", "negated"}
    assert all(s.label_ == "information_sharing" for s in spans)
    assert any(s._.sca_trigger == "no evidence that" for s in spans)


def test_hybrid_gate_opens_in_findings_sections_only(rules):
    """In findings/analysis/recommendations the model may label what the rules missed; elsewhere not."""
    model = FakeModel(rules.codebook_.ids)
    text = "The report describes his daily life."  # no rule fires; the fake model says voice_of_child
    hy = ThemeTagger(method="hybrid", model=model)
    assert hy.predict([text]) == [[]]
    assert hy.predict([text, text, text], section_kinds=["findings", "chronology", None]) == [
        ["voice_of_child"], [], []]
    assert ThemeTagger(method="hybrid", model=model, open_sections=()).predict(
        [text], section_kinds=["findings"]) == [[]]
    with pytest.raises(ValueError):
        hy.predict([text], section_kinds=["findings", "analysis"])
    # tag(review) takes the section kinds from the review's structure.
    review = Review(metadata=Metadata(source="x.txt"), sections=[
        Section(heading="What happened", kind="chronology", paragraphs=[
            Paragraph(text=text, number="3.1", page=1, index=0)]),
        Section(heading="Finding 2", kind="findings", paragraphs=[
            Paragraph(text=text, number="6.1", page=4, index=1)]),
    ])
    df = hy.tag(review)
    assert list(df["para"]) == ["6.1"] and list(df["theme"]) == ["voice_of_child"]


def test_evaluate_themes_uses_section_headings(tmp_path, rules):
    import json

    from sca.evaluate.themes import evaluate_themes

    model = FakeModel(rules.codebook_.ids)
    gold = tmp_path / "gold.jsonl"
    rows = [{"text": "The report describes his daily life.", "themes": ["voice_of_child"], "section": "Finding 1: the child"},
            {"text": "The report describes his daily life at school.", "themes": [], "section": "May 2019"}]
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = evaluate_themes(gold, tagger=ThemeTagger(method="hybrid", model=model))
    per = res["per_theme"].set_index("theme")
    assert per.loc["voice_of_child", "tp"] == 1 and res["false_positive_units"] == 0


@pytest.mark.parametrize("kw", [{}, {"threshold": 0.6}, {"gate": False}, {"model_override": 0.85}, {"open_sections": ()}])
def test_tag_decides_as_predict_does(rules, kw):
    """tag(review) and predict(sentences, section_kinds) give the same themes for every sentence."""
    class Unsure(FakeModel):  # a model score just over its threshold (0.6)
        def predict_proba(self, texts):
            out = super().predict_proba(texts)
            for i, t in enumerate(texts):
                if "routine" in t:
                    out[i, self.themes_.index("voice_of_child")] = 0.65
            return out

    hy = ThemeTagger(method="hybrid", model=Unsure(rules.codebook_.ids), **kw)
    texts = ["The report describes his daily life.", "There was no evidence of information sharing.",
             "There is no evidence that information was not shared.",
             "There was no evidence of information sharing about his daily life.",
             "There was no evidence of information sharing about his daily routine."]
    review = Review(metadata=Metadata(source="x.txt"), sections=[
        Section(heading=h, kind=k, paragraphs=[Paragraph(text=t, number=f"{n}.{i}", page=1, index=10 * n + i)
                                                for i, t in enumerate(texts)])
        for n, (h, k) in enumerate([("What happened", "chronology"), ("Finding 1", "findings")])])
    df = hy.tag(review)
    got = {(r.section_kind, r.sentence, r.theme) for r in df.itertuples()}
    want = set()
    for kind in ("chronology", "findings"):
        for t, themes in zip(texts, hy.predict(texts, section_kinds=[kind] * len(texts))):
            want |= {(kind, t, th) for th in themes}
    assert got == want


@pytest.mark.parametrize("method", ["rules", "ml", "hybrid"])
def test_skipped_sections_raise_no_theme(rules, method):
    """A methodology or terms-of-reference sentence raises nothing, in predict() as in tag()."""
    model = FakeModel(rules.codebook_.ids)
    tagger = ThemeTagger(method=method, model=model)
    text = "Information was not shared with the health visitor about his daily life."
    kinds = ["findings", "methodology", "terms_of_reference", "glossary", None]
    got = tagger.predict([text] * len(kinds), section_kinds=kinds)
    assert got[0] and got[4], got  # the same words raise a theme elsewhere
    assert got[1] == got[2] == got[3] == []
    proba = tagger.predict_proba([text] * len(kinds), section_kinds=kinds)
    assert (proba.iloc[1:4] == 0).all().all() and proba.iloc[0].max() >= 0.5
    # Without section kinds nothing is skipped; an empty skip list turns skipping off.
    assert tagger.predict([text]) == [got[0]]
    assert ThemeTagger(method=method, model=model, skip_section_kinds=()).predict(
        [text], section_kinds=["methodology"]) == [got[0]]
    review = Review(metadata=Metadata(source="x.txt"), sections=[
        Section(heading="How the review was done", kind="methodology", paragraphs=[
            Paragraph(text=text, number="2.1", page=1, index=0)]),
        Section(heading="Finding 1", kind="findings", paragraphs=[
            Paragraph(text=text, number="6.1", page=4, index=1)]),
    ])
    assert set(tagger.tag(review)["para"]) == {"6.1"}


@pytest.mark.parametrize("method", ["rules", "ml", "hybrid"])
def test_codebook_skip_sections_keep_context_themes_out_of_recommendations(rules, method):
    """A context theme reports a circumstance in the case; a recommendation reports none."""
    assert rules.codebook_.get("domestic_abuse").skip_sections == ["recommendations"]
    assert rules.codebook_.get("information_sharing").skip_sections == []

    class Model(FakeModel):
        def predict_proba(self, texts):
            out = super().predict_proba(texts)
            out[:, self.themes_.index("domestic_abuse")] = 0.95
            return out

    tagger = ThemeTagger(method=method, model=Model(rules.codebook_.ids))
    text = "Police records of domestic abuse between the parents were not shared with the health visitor."
    got = tagger.predict([text] * 3, section_kinds=["findings", "recommendations", None])
    assert "domestic_abuse" in got[0] and "domestic_abuse" in got[2], got
    assert "domestic_abuse" not in got[1] and "information_sharing" in got[1], got
    proba = tagger.predict_proba([text], section_kinds=["recommendations"])
    assert proba.loc[0, "domestic_abuse"] == 0.0 and proba.loc[0, "information_sharing"] >= 0.5
    review = Review(metadata=Metadata(source="x.txt"), sections=[
        Section(heading="Finding 1", kind="findings", paragraphs=[Paragraph(text=text, number="6.1", page=4, index=0)]),
        Section(heading="Recommendations", kind="recommendations", paragraphs=[
            Paragraph(text=text, number="8.1", page=9, index=1)]),
    ])
    df = tagger.tag(review)
    assert set(df[df["theme"] == "domestic_abuse"]["para"]) == {"6.1"}
    assert "information_sharing" in set(df[df["para"] == "8.1"]["theme"])
    if method == "rules":  # include_all says why the rule's concern gave no label
        df = ThemeTagger(method="rules", include_all=True).tag(review)
        skipped = df[(df["para"] == "8.1") & (df["theme"] == "domestic_abuse")]
        assert len(skipped) and set(skipped["assertion"]) == {"skipped_section"}


def test_paragraph_gate_lets_the_model_label_a_theme_its_paragraph_raises(rules):
    """A theme the rules find in one sentence opens the gate for it in the same paragraph only."""
    model = FakeModel(rules.codebook_.ids)
    hy = ThemeTagger(method="hybrid", model=model)
    anchor, implicit = "The child was never seen alone.", "The report describes his daily life."
    other = "Information was not shared with the school."
    texts = [anchor, implicit, implicit, other, implicit]
    assert hy.predict(texts) == [["voice_of_child"], [], [], ["information_sharing"], []]
    paras = ["p1", "p1", "p2", "p3", "p3"]
    # p1: the anchor raises voice_of_child, so the model may label it in the implicit sentence;
    # p2: no rule concern; p3: the rules raise another theme, which does not open this one.
    assert hy.predict(texts, paragraphs=paras) == [
        ["voice_of_child"], ["voice_of_child"], [], ["information_sharing"], []]
    assert ThemeTagger(method="hybrid", model=model, paragraph_gate=False).predict(texts, paragraphs=paras) == \
        hy.predict(texts)
    with pytest.raises(ValueError):
        hy.predict(texts, paragraphs=paras[:2])
    # tag(review) takes paragraphs from the review, and says why the model was let through.
    review = Review(metadata=Metadata(source="x.txt"), sections=[
        Section(heading="What happened", kind="chronology", paragraphs=[
            Paragraph(text=f"{anchor} {implicit}", number="3.1", page=1, index=0),
            Paragraph(text=implicit, number="3.2", page=1, index=1)])])
    df = hy.tag(review)
    assert sorted(zip(df["para"], df["sentence"])) == [("3.1", anchor), ("3.1", implicit)]
    ev = df.loc[df["sentence"] == implicit, "evidence"].iloc[0]
    assert "model p=0.90" in ev and "elsewhere in the paragraph" in ev


def test_evaluate_themes_passes_paragraphs(tmp_path, rules):
    import json

    from sca.evaluate.themes import evaluate_themes

    model = FakeModel(rules.codebook_.ids)
    gold = tmp_path / "gold.jsonl"
    rows = [{"doc_id": "d", "section": "What happened", "para": "3.1", "text": t, "themes": ["voice_of_child"]}
            for t in ("The child was never seen alone.", "The report describes his daily life.")]
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = evaluate_themes(gold, tagger=ThemeTagger(method="hybrid", model=model))
    assert res["per_theme"].set_index("theme").loc["voice_of_child", "tp"] == 2
    res = evaluate_themes(gold, tagger=ThemeTagger(method="hybrid", model=model, paragraph_gate=False))
    assert res["per_theme"].set_index("theme").loc["voice_of_child", "tp"] == 1


def test_evaluate_themes_takes_section_kinds_from_documents(tmp_path, rules):
    """--docs: a sub-heading gets the kind the parsed document gives it (inherited from its chapter)."""
    import json

    from click.testing import CliRunner

    from sca.cli.main import cli
    from sca.evaluate.themes import GoldFileError, evaluate_themes, section_kinds_from_documents

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d1.html").write_text(
        "<html><body><h1>Serious Case Review: Child Z</h1>"
        "<h2>1. Introduction</h2><p>1.1 This review concerns Child Z and the work of agencies with his family.</p>"
        "<h2>5. Findings</h2><h3>Question 1: the child</h3><p>5.1 The report describes his daily life.</p>"
        "</body></html>", encoding="utf-8")
    rows = [{"doc_id": "d1", "section": "Question 1: the child", "para": "5.1",
             "text": "The report describes his daily life.", "themes": ["voice_of_child"]},
            {"doc_id": "d1", "section": "1. Introduction", "para": "1.1",
             "text": "This review concerns Child Z and the work of agencies with his family.", "themes": []}]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert section_kinds_from_documents(rows, docs) == ["findings", "introduction"]
    hy = ThemeTagger(method="hybrid", model=FakeModel(rules.codebook_.ids))
    by_heading = evaluate_themes(gold, tagger=hy, docs=None)  # "Question 1: ..." alone is analysis: gated
    by_docs = evaluate_themes(gold, tagger=hy, docs=docs)  # under "5. Findings": open
    assert by_heading["per_theme"].set_index("theme").loc["voice_of_child", "tp"] == 0
    assert by_docs["per_theme"].set_index("theme").loc["voice_of_child", "tp"] == 1
    assert by_docs["section_kinds_from"] == f"documents ({docs})"
    assert by_heading["section_kinds_from"] == "gold headings"
    # By default a docs/ folder beside the gold file is used when it holds every document ...
    assert evaluate_themes(gold, tagger=hy)["section_kinds_from"] == f"documents ({docs})"
    # ... and not when one is missing.
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(json.dumps(r) for r in rows + [{"doc_id": "d9", "text": "x", "themes": []}]) + "\n",
                     encoding="utf-8")
    assert evaluate_themes(other, tagger=hy)["section_kinds_from"] == "gold headings"
    with pytest.raises(GoldFileError, match="d2"):
        section_kinds_from_documents([{"doc_id": "d2", "text": "x", "themes": []}], docs)
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(gold), "--method", "rules", "--docs", str(docs)])
    assert res.exit_code == 0, res.output
    assert "section kinds from: documents" in res.output
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(gold), "--method", "rules"])
    assert res.exit_code == 0 and "section kinds from: documents" in res.output, res.output
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(gold), "--method", "rules", "--headings"])
    assert res.exit_code == 0 and "section kinds from: gold headings" in res.output, res.output
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(gold), "--docs", str(docs), "--headings"])
    assert res.exit_code == 2 and "exclude each other" in res.output, res.output
