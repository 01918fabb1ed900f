"""ConText-style assertion for rule matches: is the matched shortfall asserted, negated,
hedged or hypothetical; is a named practice criticised, praised or merely mentioned?

Triggers, their direction and scope, and the terminators are data in
``sca/data/context_rules.yaml``.  Every decision records the trigger words that caused it.

Statuses returned (``Assertion.status``):

* ``asserted``     – the unit raises the concern (a label is given);
* ``hedged``       – a possible shortfall ("may not have been shared"); a label when
                     ``hedged_is_concern`` is true in the rules file;
* ``negated``      – the shortfall or circumstance is denied ("no evidence that ... was not shared");
* ``hypothetical`` – conditional, a question, or a line of enquiry;
* ``positive``     – good practice in the theme's vocabulary ("information was shared promptly");
* ``neutral``      – the practice is named with no judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sca.errors import CodebookError
from sca.themes.codebook import _safe_load
from sca.themes.rules import GatedMatcher, PatternError, _is_literal, compile_pattern, literal_phrases

STATUSES = ("asserted", "hedged", "negated", "hypothetical", "positive", "neutral")
CONCERN_STATUSES = {"asserted"}
_INNER_RECOMMEND = {"should", "must"}
_DETERMINER_NEGATION = {"no", "without", "none", "nothing", "neither", "nor"}
_INNER_NEGATION = {"not", "n't", "never", "no", "without", "nobody", "neither", "nor"}
# A resolution trigger right after one of these words is itself denied.
_NOT_RESOLVED = frozenset({"none", "not", "never", "no", "nobody", "neither", "nor", "n't"})
# An enquiry trigger ("asked whether", "considered how") after one of those words is a shortfall.
_ENQUIRY_VERBS = frozenset({"ask", "asked", "asking", "consider", "considered", "considering", "explore", "explored",
                            "examine", "examined", "question", "questioned"})
# Words after which a one-word quality is said of what came before ("was poor and slow").
_FUNCTION_WORDS = frozenset({
    "and", "or", "but", "nor", "in", "at", "on", "for", "to", "with", "by", "from", "of", "than", "as", "so",
    "throughout", "overall", "because", "since", "during", "until", "despite", "though", "although", "while",
    "whilst", "when", "which", "who", "that", "then", "too", "is", "was", "were", "are", "be", "been", "being",
    "and/or", "across", "between", "within", "without", "about", "over", "under", "after", "before", "again",
})
CATEGORIES = ("negated", "absent", "denied", "service", "resolved", "deficit", "recommend", "hedged", "hypothetical", "positive")


@dataclass
class Assertion:
    status: str
    trigger: str = ""  # the trigger words, "" when none applied
    category: str = ""  # the trigger category that decided

    @property
    def is_concern(self) -> bool:
        return self.status == "asserted"


@dataclass
class _Trigger:
    category: str
    direction: str
    scope: int
    start: int
    end: int


def _rules_text(path: str | Path | None) -> tuple[str, str]:
    if path is None:
        res = resources.files("sca.data").joinpath("context_rules.yaml")
        return res.read_text(encoding="utf-8"), str(res)
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except OSError as exc:
        raise CodebookError(f"{p}: cannot read assertion rules: {exc}") from None


class AssertionRules:
    """Compiled trigger matchers plus the decision logic."""

    def __init__(self, nlp: Language, path: str | Path | None = None, macros: dict[str, str] | None = None):
        text, src = _rules_text(path)
        try:
            data: dict[str, Any] = _safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise CodebookError(f"{src}: not valid YAML: {exc}") from None
        self.nlp = nlp
        self.terminators = {str(t).lower() for t in data.get("terminators", [])}
        self.question_is_hypothetical = bool(data.get("question_is_hypothetical", True))
        self.definition_phrases = [" " + str(w).lower() + " " for w in data.get("definition_phrases", []) or []]
        self.recommendation_questions = [str(w).lower() for w in data.get("recommendation_questions", []) or []]
        self.hedged_is_concern = bool(data.get("hedged_is_concern", True))
        self.openers = [tuple(str(o).lower().split()) for o in data.get("conditional_openers", [])]
        self.scopes: dict[str, int] = {}
        self.phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.token = GatedMatcher(nlp.vocab)
        cats = data.get("categories") or {}
        for cat, spec in cats.items():
            if cat not in CATEGORIES:
                raise CodebookError(f"{src}: unknown trigger category {cat!r} (known: {list(CATEGORIES)})")
            self.scopes[cat] = int(spec.get("scope", 8))
            for direction in ("forward", "backward", "both"):
                key = f"{cat}|{direction}"
                phrases = []
                for pattern in spec.get(direction, []) or []:
                    try:
                        slots = compile_pattern(pattern, macros)
                    except PatternError as exc:
                        raise CodebookError(f"{src}: {cat}/{direction}: bad trigger {pattern!r}: {exc}") from None
                    if _is_literal(slots):
                        phrases.extend(Doc(nlp.vocab, words=list(w)) for w in literal_phrases(slots))
                    else:
                        self.token.add(key, slots)
                if phrases:
                    self.phrase.add(key, phrases)

    # -- triggers ----------------------------------------------------------------------
    def triggers(self, doc: Doc) -> list[_Trigger]:
        strings = self.nlp.vocab.strings
        out: dict[tuple, _Trigger] = {}
        hits = [(strings[mid], s, e) for mid, s, e in self.phrase(doc)] + self.token(doc)
        for key, s, e in hits:
            cat, direction = key.split("|")
            if cat == "resolved" and any(t.lower_ in _NOT_RESOLVED for t in doc[max(0, s - 2):s]):
                continue  # "none were followed up", "never addressed": the shortfall stands
            if (cat == "hypothetical" and doc[s].lower_ in _ENQUIRY_VERBS
                    and any(t.lower_ in _NOT_RESOLVED or t.lower_ == "one" and t.i > 0 and doc[t.i - 1].lower_ == "no"
                            for t in doc[max(0, s - 6):s])
                    and not any(t.lower_ in self.terminators or t.is_punct for t in doc[max(0, s - 6):s])):
                # "nobody asked whether the case should go to a strategy discussion": a question
                # that was never put is a shortfall, not a hypothetical
                cat = "deficit"
            out[(cat, direction, s, e)] = _Trigger(cat, direction, self.scopes.get(cat, 8), s, e)
        # Drop a trigger contained in a longer one ("no" inside "no evidence of").
        trig = sorted(out.values(), key=lambda t: (t.start, -(t.end - t.start)))
        kept: list[_Trigger] = []
        for t in trig:
            if any(
                k.start <= t.start and t.end <= k.end and (k.start, k.end) != (t.start, t.end)
                and (k.direction == t.direction or k.direction == "both" or t.direction == "both")
                for k in trig
            ):
                continue
            kept.append(t)
        return kept

    def _blocked(self, doc: Doc, a: int, b: int) -> bool:
        """A terminator between token a (inclusive) and b (exclusive)?"""
        return any(doc[i].lower_ in self.terminators for i in range(a, b))

    def _applies(self, doc: Doc, trig: _Trigger, start: int, end: int) -> bool:
        if trig.end > start and trig.start < end:
            # A forward trigger that runs into the target ("no history of | domestic abuse" where
            # the target is "history of domestic abuse") governs it; otherwise it is the target's own words.
            return trig.start < start and trig.end <= end and trig.direction in ("forward", "both")
        if trig.end <= start and trig.direction in ("forward", "both"):
            gap = start - trig.end
            return gap <= trig.scope and not self._blocked(doc, trig.end, start)
        if trig.start >= end and trig.direction in ("backward", "both"):
            if trig.category == "deficit" and self._attributive(doc, trig):
                return False  # "consulted her GP about poor sleep": "poor" is said of the sleep
            gap = trig.start - end
            return gap <= trig.scope and not self._blocked(doc, end, trig.start)
        return False

    @staticmethod
    def _attributive(doc: Doc, trig: _Trigger) -> bool:
        """A one-word quality ("poor", "limited") right before the word it describes."""
        if trig.end - trig.start != 1 or trig.end >= len(doc):
            return False
        word, nxt = doc[trig.start].lower_, doc[trig.end]
        return (not word.endswith("ly") and nxt.is_alpha and nxt.is_lower and nxt.lower_ not in _FUNCTION_WORDS)

    # -- decision ------------------------------------------------------------------------
    def assess(self, doc: Doc, start: int, end: int, kind: str, triggers: list[_Trigger] | None = None,
               sent: Span | None = None) -> Assertion:
        """Assertion status of the target tokens ``doc[start:end]`` for a rule of ``kind``."""
        if sent is None:
            sent = doc[start].sent if doc.has_annotation("SENT_START") else doc[:]
        if triggers is None:
            triggers = self.triggers(doc)
        found: dict[str, _Trigger] = {}
        for t in triggers:
            if t.start < sent.start or t.end > sent.end:
                continue
            if self._applies(doc, t, start, end):
                best = found.get(t.category)
                dist = min(abs(start - t.end), abs(t.start - end))
                if best is None or dist < min(abs(start - best.end), abs(best.start - end)):
                    found[t.category] = t

        def said(cat: str) -> str:
            t = found[cat]
            return doc[t.start : t.end].text

        # Whole-sentence conditions.
        sent_text = sent.text.strip()
        if self.definition_phrases:
            low = " " + " ".join(t.lower_ for t in sent) + " "
            said_def = next((w for w in self.definition_phrases if w in low), None)
            if said_def is not None:
                return Assertion("hypothetical", said_def.strip(), "definition")
        if sent_text.endswith("?"):
            low = " " + " ".join(t.lower_ for t in sent) + " "
            asks = next((w for w in self.recommendation_questions if f" {w} " in low), None)
            if asks is not None:
                # A question to the partnership: a recommendation in question form.
                if kind == "topic":
                    return Assertion("asserted", asks, "recommend")
                if kind == "deficit":
                    return Assertion("asserted")
            elif self.question_is_hypothetical:
                return Assertion("hypothetical", "?", "hypothetical")
        first = [t.lower_ for t in sent if not t.is_punct and not t.is_space][:3]
        for opener in self.openers:
            if tuple(first[: len(opener)]) == opener:
                comma = next((t.i for t in sent if t.text == ","), sent.end)
                if start < comma:
                    return Assertion("hypothetical", " ".join(opener), "hypothetical")

        if "hypothetical" in found:
            return Assertion("hypothetical", said("hypothetical"), "hypothetical")
        if kind == "deficit":
            if "negated" in found:
                return Assertion("negated", said("negated"), "negated")
            absent = found.get("absent")
            if absent is not None and absent.end <= start and start - absent.end <= 2 and \
                    doc[absent.start].lower_ in _DETERMINER_NEGATION:
                # "there was no delay", "no evidence of drift": the shortfall itself is denied.
                return Assertion("negated", said("absent"), "absent")
            if "resolved" in found:
                return Assertion("positive", said("resolved"), "resolved")
            if "hedged" in found:
                return Assertion("hedged", said("hedged"), "hedged")
            return Assertion("asserted")
        if kind == "presence":
            if "service" in found:
                return Assertion("neutral", said("service"), "service")
            for cat in ("negated", "denied"):
                if cat in found:
                    return Assertion("negated", said(cat), cat)
            if "hedged" in found:
                return Assertion("hedged", said("hedged"), "hedged")
            return Assertion("asserted")
        # topic: the practice is a concern only when something says it fell short.
        inner = next((t for t in doc[start:end] if t.lower_ in _INNER_NEGATION), None)
        if inner is not None and "absent" not in found:
            found["absent"] = _Trigger("absent", "inner", 0, inner.i, inner.i + 1)
        inner = next((t for t in doc[start:end] if t.lower_ in _INNER_RECOMMEND), None)
        if inner is not None and "recommend" not in found:
            found["recommend"] = _Trigger("recommend", "inner", 0, inner.i, inner.i + 1)
        if "negated" in found and ("absent" in found or "deficit" in found):
            # "no evidence that supervision was poor": the shortfall is denied.
            return Assertion("negated", said("negated"), "negated")
        if "negated" in found and not ({"absent", "deficit", "recommend"} & set(found)):
            # "no evidence that ... knew": a denied clause, not an absent practice.
            return Assertion("negated", said("negated"), "negated")
        for cat in ("absent", "deficit", "recommend"):
            if cat in found:
                if "hedged" in found:
                    return Assertion("hedged", f"{said('hedged')} … {said(cat)}", "hedged")
                return Assertion("asserted", said(cat), cat)
        if "positive" in found:
            return Assertion("positive", said("positive"), "positive")
        if "hedged" in found:
            return Assertion("hedged", said("hedged"), "hedged")
        return Assertion("neutral")

    def is_concern(self, assertion: Assertion) -> bool:
        return assertion.status == "asserted" or (assertion.status == "hedged" and self.hedged_is_concern)


@lru_cache(maxsize=4)
def default_assertion_rules(nlp: Language) -> AssertionRules:
    return AssertionRules(nlp)
