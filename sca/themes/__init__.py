"""Theme tagging: the codebook as data, a rule tagger with assertion (ConText-style), and the ThemeTagger API."""

from __future__ import annotations

# The spaCy factory "sca_themes" (sca.themes.component) is registered through the
# ``spacy_factories`` entry point in pyproject.toml, so spaCy finds it by name without
# this package importing spaCy up front.

__all__ = ["Codebook", "Theme", "Rule", "load_codebook", "ThemeTagger"]


def __getattr__(name):  # lazy, keeps ``import sca.themes`` cheap
    if name in {"Codebook", "Theme", "Rule", "load_codebook"}:
        from sca.themes import codebook

        return getattr(codebook, name)
    if name == "ThemeTagger":
        from sca.themes.tagger import ThemeTagger

        return ThemeTagger
    raise AttributeError(name)
