"""Codebook loading, validation errors, and user codebooks that extend or replace the default."""

import textwrap

import pytest

from sca.errors import CodebookError
from sca.themes.codebook import Codebook, load_codebook

SPEC_IDS = [
    "information_sharing", "interagency_working", "supervision_oversight", "assessment_quality",
    "risk_recognition", "voice_of_child", "disguised_compliance", "professional_optimism", "hidden_men",
    "missed_appointments", "escalation_challenge", "record_keeping", "workload_resources",
    "training_knowledge", "case_drift", "cultural_context", "domestic_abuse", "parental_mental_health",
    "parental_substance_misuse", "neglect",
]


def write(tmp_path, text, name="cb.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_default_codebook_has_every_spec_theme_with_definitions_and_rules():
    cb = load_codebook()
    assert isinstance(cb, Codebook)
    assert cb.ids == SPEC_IDS
    assert cb.version
    for t in cb.themes:
        assert t.family in {"practice", "context"}
        assert t.label and t.definition and t.rules, t.id
        assert t.include and t.exclude and t.examples, t.id
    assert {t.id for t in cb.themes if t.family == "context"} == {
        "domestic_abuse", "parental_mental_health", "parental_substance_misuse", "neglect"}


def test_every_rule_has_example_sentences():
    cb = load_codebook()
    for theme, rule in cb.rules:
        assert rule.positive or rule.negative, rule.id
    assert sum(len(r.positive) for _, r in cb.rules) >= 60


MINIMAL = """
version: "2"
id: mine
themes:
  - id: bullying
    family: practice
    label: Bullying
    definition: Bullying not addressed.
    rules:
      - id: bullying.words
        kind: deficit
        patterns: ["bullying BE NEG *2 addressed|tackled"]
        positive: ["The bullying was not addressed."]
"""


def test_user_codebook_replaces_default(tmp_path):
    cb = load_codebook(write(tmp_path, MINIMAL))
    assert cb.ids == ["bullying"]
    assert cb.version == "2"


def test_user_codebook_extends_default(tmp_path):
    text = MINIMAL.replace('version: "2"', 'version: "2"\nmode: extend')
    text += """
  - id: neglect
    label: Neglect of the child
"""
    cb = load_codebook(write(tmp_path, text))
    assert cb.ids[:20] == SPEC_IDS and cb.ids[-1] == "bullying"
    neglect = cb.get("neglect")
    assert neglect.label == "Neglect of the child"
    assert neglect.rules  # kept from the default
    assert "mine-2" in cb.version
    assert neglect.skip_sections == ["recommendations"]  # kept from the default
    cb3 = load_codebook(write(tmp_path, text.replace("    label: Neglect of the child\n",
                                                     "    label: Neglect of the child\n    skip_sections: []\n"), "c.yaml"))
    assert cb3.get("neglect").skip_sections == []  # a user may raise neglect in recommendations again
    # mode may also be given by the caller
    cb2 = load_codebook(write(tmp_path, MINIMAL, "b.yaml"), mode="extend")
    assert len(cb2) == 21


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("themes: []\n", "missing 'version'"),
        ("version: 1\nthemes: []\n", "'themes' must be a non-empty list"),
        ("version: 1\nthemes:\n  - id: Bad-Id\n    family: practice\n    label: x\n    definition: y\n", "invalid 'id'"),
        ("version: 1\nthemes:\n  - id: a\n    family: practice\n    definition: y\n", "theme 'a': missing field 'label'"),
        (
            "version: 1\nthemes:\n  - {id: a, family: p, label: x, definition: y}\n  - {id: a, family: p, label: x, definition: y}\n",
            "duplicate theme id 'a'",
        ),
        (
            "version: 1\nthemes:\n  - id: a\n    family: p\n    label: x\n    definition: y\n    rules:\n      - id: a.r\n        kind: magic\n        patterns: [x]\n",
            "rule 'a.r': kind 'magic'",
        ),
        (
            "version: 1\nthemes:\n  - id: a\n    family: p\n    label: x\n    definition: y\n    rules:\n      - id: a.r\n        patterns: ['* x']\n",
            "bad pattern",
        ),
        (
            "version: 1\nthemes:\n  - id: a\n    family: p\n    label: x\n    definition: y\n    rules:\n      - id: a.r\n",
            "rule 'a.r': no patterns",
        ),
        ("version: 1\nfamilies: {practice: x}\nthemes:\n  - {id: a, family: other, label: x, definition: y}\n", "family 'other' is not declared"),
        ("version: 1\nthemes:\n  - {id: a, family: p, label: x, definition: y, colour: red}\n", "unknown field(s) ['colour']"),
        ("version: [1\n", "not valid YAML"),
        ("version: 1\nthemes:\n  - {id: a, family: p, label: x, definition: y, skip_sections: [recomendations]}\n",
         "skip_sections: unknown section kind(s) ['recomendations']"),
    ],
)
def test_validation_errors_name_file_and_entry(tmp_path, text, fragment):
    p = write(tmp_path, text)
    with pytest.raises(CodebookError) as exc:
        load_codebook(p)
    assert str(p) in str(exc.value)
    assert fragment in str(exc.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")


def test_extension_adding_incomplete_theme_is_refused(tmp_path):
    p = write(tmp_path, "version: 1\nmode: extend\nthemes:\n  - id: brand_new\n    label: New\n")
    with pytest.raises(CodebookError, match="brand_new.*lacks field 'family'"):
        load_codebook(p)


def test_tagger_uses_user_codebook(tmp_path):
    from sca.themes.tagger import ThemeTagger

    tagger = ThemeTagger(method="rules", codebook=write(tmp_path, MINIMAL))
    assert tagger.predict(["The bullying was not addressed.", "The bullying was addressed."]) == [["bullying"], []]
    assert list(tagger.predict_proba(["x"]).columns) == ["bullying"]
