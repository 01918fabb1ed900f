"""The theme tagger as a spaCy pipeline component: ``nlp.add_pipe("sca_themes")``.

>>> import spacy, sca.themes.component  # registers the factory
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sca_sentences"); _ = nlp.add_pipe("sca_themes")
>>> doc = nlp("There was no evidence of information sharing.")
>>> doc._.sca_themes
['information_sharing']

Every rule match becomes a span in ``doc.spans["sca_themes"]`` labelled with the theme id,
with ``span._.sca_rule``, ``sca_assertion`` (asserted, hedged, negated, hypothetical,
positive, neutral), ``sca_trigger``, ``sca_score`` and ``sca_concern``.  ``doc._.sca_themes``
lists the themes raised as concerns.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

import sca.nlp.segment  # noqa: F401  (registers "sca_sentences" for pipelines built from config)

SPAN_KEY = "sca_themes"

for _name, _default in (("sca_rule", ""), ("sca_assertion", ""), ("sca_trigger", ""), ("sca_score", 0.0),
                        ("sca_concern", False)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
if not Doc.has_extension("sca_themes"):
    Doc.set_extension("sca_themes", default=[])


class ThemeComponent:
    def __init__(self, nlp: Language, name: str, codebook: str | None, context_rules: str | None,
                 concerns_only: bool):
        from sca.themes.engine import RuleEngine

        self.name = name
        self.engine = RuleEngine(codebook, nlp=nlp, context_rules=context_rules)
        self.concerns_only = concerns_only

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        raised: list[str] = []
        for m in self.engine.doc_mentions(doc):
            if self.concerns_only and not m.concern:
                continue
            span = doc.char_span(m.start_char, m.end_char, label=m.theme, alignment_mode="expand")
            if span is None:
                continue
            span._.sca_rule = m.rule_id
            span._.sca_assertion = m.status
            span._.sca_trigger = m.trigger
            span._.sca_score = m.score
            span._.sca_concern = m.concern
            spans.append(span)
            if m.concern and m.theme not in raised:
                raised.append(m.theme)
        doc.spans[SPAN_KEY] = spans
        order = {t: i for i, t in enumerate(self.engine.codebook.ids)}
        doc._.sca_themes = sorted(raised, key=order.get)
        return doc


@Language.factory(
    "sca_themes",
    default_config={"codebook": None, "context_rules": None, "concerns_only": False},
)
def make_theme_component(nlp: Language, name: str, codebook: str | None, context_rules: str | None,
                         concerns_only: bool) -> ThemeComponent:
    """Rule-based theme tagging with ConText assertion (codebook: YAML path or None for the default)."""
    return ThemeComponent(nlp, name, codebook, context_rules, concerns_only)
