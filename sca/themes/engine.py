"""The rule engine: codebook matches plus ConText assertion, sentence by sentence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from sca.themes.assertion import AssertionRules
from sca.themes.codebook import Codebook, load_codebook
from sca.themes.rules import RuleMatcher

HEDGED_FACTOR = 0.8  # a hedged concern scores lower than an asserted one


@dataclass
class Mention:
    """One rule match with its assertion status."""

    theme: str
    family: str
    rule_id: str
    kind: str
    status: str  # asserted, hedged, negated, hypothetical, positive, neutral
    concern: bool  # the unit raises the theme as a concern
    score: float
    matched: str  # the matched words
    trigger: str  # the assertion trigger words ("" when none)
    trigger_category: str
    sentence_index: int
    sentence: str
    start_char: int
    end_char: int

    @property
    def evidence(self) -> str:
        ev = f'{self.rule_id}: "{self.matched}"'
        if self.trigger:
            ev += f' [{self.trigger_category}: "{self.trigger}"]'
        return ev


class RuleEngine:
    """Tag sentences with codebook themes by rule, keeping evidence and assertion."""

    def __init__(self, codebook: Codebook | str | Path | None = None, nlp: Language | None = None,
                 context_rules: str | Path | None = None):
        from sca.nlp import make_nlp

        self.codebook = load_codebook(codebook) if not isinstance(codebook, Codebook) else codebook
        self.nlp = nlp if nlp is not None else make_nlp()
        self.matcher = RuleMatcher(self.codebook, self.nlp)
        self.assertion = AssertionRules(self.nlp, context_rules, self.codebook.macros)
        self._family = {t.id: t.family for t in self.codebook.themes}
        self._requires = {r.id: frozenset(r.requires) for _, r in self.codebook.rules if r.requires}

    # ------------------------------------------------------------------------------------
    def doc_mentions(self, doc: Doc) -> list[Mention]:
        matches = self.matcher(doc)
        if not matches:
            return []
        triggers = self.assertion.triggers(doc)
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        starts = [s.start for s in sents]
        out: list[Mention] = []
        import bisect

        for m in matches:
            si = bisect.bisect_right(starts, m.start) - 1
            sent: Span = sents[si]
            need = self._requires.get(m.rule_id)
            if need and need.isdisjoint(t.lower_ for t in sent):
                continue
            a = self.assertion.assess(doc, m.start, m.end, m.kind, triggers, sent)
            concern = self.assertion.is_concern(a)
            score = m.weight * (HEDGED_FACTOR if a.status == "hedged" else 1.0) if concern else 0.0
            out.append(
                Mention(
                    theme=m.theme,
                    family=self._family.get(m.theme, ""),
                    rule_id=m.rule_id,
                    kind=m.kind,
                    status=a.status,
                    concern=concern,
                    score=round(score, 3),
                    matched=doc[m.start : m.end].text,
                    trigger=a.trigger,
                    trigger_category=a.category,
                    sentence_index=si,
                    sentence=sent.text.strip(),
                    start_char=doc[m.start].idx,
                    end_char=doc[m.end - 1].idx + len(doc[m.end - 1].text),
                )
            )
        return out

    def mentions(self, text: str) -> list[Mention]:
        return self.doc_mentions(self.nlp(text or ""))

    def mentions_many(self, texts: Iterable[str], batch_size: int = 256, presplit: bool = False) -> list[list[Mention]]:
        """Mentions of each text. ``presplit=True``: every text is one sentence already (units
        cut by the same splitter), so the sentence splitter is not run again."""
        disable = ["sca_sentences"] if presplit and "sca_sentences" in self.nlp.pipe_names else []
        docs = self.nlp.pipe((t or "" for t in texts), batch_size=batch_size, disable=disable)
        return [self.doc_mentions(d) for d in docs]

    @staticmethod
    def theme_scores(mentions: list[Mention]) -> dict[str, float]:
        """Highest concern score per theme."""
        scores: dict[str, float] = {}
        for m in mentions:
            if m.concern:
                scores[m.theme] = max(scores.get(m.theme, 0.0), m.score)
        return scores

    @staticmethod
    def vetoes(mentions: list[Mention]) -> set[str]:
        """Themes that the rules saw only as denied, hypothetical or good practice."""
        seen_concern = {m.theme for m in mentions if m.concern}
        return {m.theme for m in mentions if m.status in ("negated", "hypothetical", "positive") and m.theme not in seen_concern}
