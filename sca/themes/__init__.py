"""Theme tagging: the codebook as data, a rule tagger with assertion (ConText-style), and the ThemeTagger API."""

from __future__ import annotations

from sca.themes import component as _component  # noqa: F401,E402  (registers the "sca_themes" factory)

__all__ = ["Codebook", "Theme", "Rule", "load_codebook", "ThemeTagger"]


def __getattr__(name):  # lazy, keeps ``import sca.themes`` cheap
    if name in {"Codebook", "Theme", "Rule", "load_codebook"}:
        from sca.themes import codebook

        return getattr(codebook, name)
    if name == "ThemeTagger":
        from sca.themes.tagger import ThemeTagger

        return ThemeTagger
    raise AttributeError(name)
