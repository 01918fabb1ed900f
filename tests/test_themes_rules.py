"""Every rule's positive and negative example sentences, run through the rule tagger."""

import pytest

from sca.themes.codebook import load_codebook
from sca.themes.tagger import ThemeTagger

CB = load_codebook()
CASES = [
    pytest.param(theme.id, text, True, id=f"{rule.id}+{i}")
    for theme, rule in CB.rules
    for i, text in enumerate(rule.positive)
] + [
    pytest.param(theme.id, text, False, id=f"{rule.id}-{i}")
    for theme, rule in CB.rules
    for i, text in enumerate(rule.negative)
]


@pytest.fixture(scope="module")
def tagger():
    return ThemeTagger(method="rules")


@pytest.fixture(scope="module")
def predictions(tagger):
    texts = [p.values[1] for p in CASES]
    return dict(zip(texts, tagger.predict(texts)))


@pytest.mark.parametrize("theme, text, expected", CASES)
def test_rule_examples(predictions, theme, text, expected):
    assert (theme in predictions[text]) is expected, f"{theme} {'missed' if expected else 'wrongly given'}: {text}"


def test_theme_level_examples_and_counter_examples(tagger):
    for theme in CB.themes:
        for text, pred in zip(theme.examples, tagger.predict(theme.examples)):
            assert theme.id in pred, (theme.id, text)
        for text, pred in zip(theme.counter_examples, tagger.predict(theme.counter_examples)):
            assert theme.id not in pred, (theme.id, text)
