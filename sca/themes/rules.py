"""The rule matcher: codebook patterns compiled to spaCy PhraseMatcher / Matcher patterns.

Pattern syntax (one string per pattern, tokens separated by spaces, case-insensitive):

* ``word``            the literal word;
* ``a|b|c``           one of several words (an alternative may be several words: ``passed on|sent``);
* ``~share``          any inflection of the lemma (``share, shares, shared, sharing``), from
                      ``sca/data/lemmas.yaml`` plus regular English endings;
* ``NEG``             a macro from the codebook's ``macros`` (upper-case name);
* ``x?``              an optional token (suffix ``?`` on a slot);
* ``*`` / ``*5``      a gap of up to 3 (or 5) arbitrary tokens, staying inside the sentence.

Patterns without optional slots or gaps are expanded into literal phrases for the fast
PhraseMatcher; the others go to the token Matcher.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

MAX_EXPANSION = 2000


class PatternError(ValueError):
    """A codebook pattern cannot be compiled."""


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, list[str]]:
    text = resources.files("sca.data").joinpath("lemmas.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}
    return {str(k).lower(): [str(v).lower() for v in vs] for k, vs in raw.items()}


def inflections(lemma: str) -> list[str]:
    """All forms of ``lemma``: listed irregular forms plus regular -s/-ed/-ing endings."""
    w = lemma.lower()
    forms = {w}
    table = lemma_table()
    if w in table:
        forms.update(table[w])
        return sorted(forms)
    if " " in w:
        return [w]
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms.update({w[:-1] + "ies", w[:-1] + "ied", w + "ing"})
    elif w.endswith("e"):
        forms.update({w + "s", w + "d", w[:-1] + "ing"})
    elif re.search(r"(s|x|z|ch|sh)$", w):
        forms.update({w + "es", w + "ed", w + "ing"})
    else:
        forms.update({w + "s", w + "ed", w + "ing"})
    return sorted(forms)


@dataclass(frozen=True)
class Slot:
    alternatives: tuple[tuple[str, ...], ...] = ()  # each alternative is a token sequence
    optional: bool = False
    gap: int = 0  # >0: a wildcard gap of 0..gap tokens


@lru_cache(maxsize=1)
def _tokenizer():
    from sca.nlp import make_nlp

    return make_nlp().tokenizer


@lru_cache(maxsize=20000)
def _tokens(text: str) -> tuple[str, ...]:
    if text.isalnum():  # a plain word is one token; skip the tokenizer
        return (text.lower(),)
    return tuple(t.text.lower() for t in _tokenizer()(text))


def compile_pattern(pattern: str, macros: dict[str, str] | None = None) -> list[Slot]:
    """Parse one pattern string into slots (raises :class:`PatternError`)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("empty pattern")
    macros = macros or {}
    slots: list[Slot] = []
    for raw in pattern.split():
        m = re.fullmatch(r"\*(\d*)", raw)
        if m:
            gap = int(m.group(1) or 3)
            if not 1 <= gap <= 10:
                raise PatternError(f"gap {raw!r} must allow 1 to 10 tokens")
            slots.append(Slot(gap=gap))
            continue
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        alts: list[tuple[str, ...]] = []
        for alt in body.split("|"):
            if not alt:
                raise PatternError(f"empty alternative in {raw!r}")
            if alt.isupper() and re.fullmatch(r"[A-Z_]+", alt) and alt in macros:
                for sub in macros[alt].split("|"):
                    alts.extend(_expand_word(sub.replace("_", " ")))
            else:
                alts.extend(_expand_word(alt.replace("_", " ")))
        seen: list[tuple[str, ...]] = []
        for a in alts:
            if a and a not in seen:
                seen.append(a)
        slots.append(Slot(alternatives=tuple(seen), optional=optional))
    if all(s.gap or s.optional for s in slots):
        raise PatternError("a pattern needs at least one required word")
    if slots[0].gap or slots[-1].gap:
        raise PatternError("a pattern cannot start or end with a gap")
    return slots


def _expand_word(word: str) -> list[tuple[str, ...]]:
    if word.startswith("~"):
        lemma = word[1:]
        if not lemma:
            raise PatternError("'~' must be followed by a word")
        return [_tokens(f) for f in inflections(lemma)]
    return [_tokens(word)]


def _is_literal(slots: list[Slot]) -> bool:
    return not any(s.optional or s.gap for s in slots)


def literal_phrases(slots: list[Slot]) -> list[tuple[str, ...]]:
    combos = 1
    for s in slots:
        combos *= len(s.alternatives)
    if combos > MAX_EXPANSION:
        raise PatternError(f"pattern expands to {combos} phrases (limit {MAX_EXPANSION}); use fewer alternatives")
    return [tuple(itertools.chain.from_iterable(c)) for c in itertools.product(*(s.alternatives for s in slots))]


def matcher_patterns(slots: list[Slot]) -> list[list[dict]]:
    """Token-Matcher patterns for slots with optional parts or gaps."""
    choices: list[list[list[dict]]] = []
    for s in slots:
        if s.gap:
            choices.append([[{"IS_SENT_START": False, "OP": f"{{0,{s.gap}}}"}]])
            continue
        single = sorted({a[0] for a in s.alternatives if len(a) == 1})
        multi = [a for a in s.alternatives if len(a) > 1]
        opts: list[list[dict]] = []
        if single:
            spec: dict = {"LOWER": single[0]} if len(single) == 1 else {"LOWER": {"IN": single}}
            if s.optional:
                spec = {**spec, "OP": "?"}
            opts.append([spec])
        for a in multi:
            opts.append([{"LOWER": w, **({"OP": "?"} if s.optional else {})} for w in a])
        if s.optional and multi:
            opts.append([])
        choices.append(opts)
    out = []
    for combo in itertools.product(*choices):
        pat = [tok for part in combo for tok in part]
        if pat:
            out.append(pat)
        if len(out) > MAX_EXPANSION:
            raise PatternError("pattern expands to too many matcher patterns")
    return out


class GatedMatcher:
    """Token-Matcher patterns, each run only on docs that contain a word of every required slot.

    spaCy's token Matcher pays for every ``IN`` predicate on every token; most patterns cannot
    match most sentences, so a set test on the doc's words skips them (a large speed-up).
    """

    def __init__(self, vocab):
        self.vocab = vocab
        self.groups: list[tuple[str, list[frozenset[str]], Matcher]] = []
        self.index: dict[str, list[int]] = {}  # word -> groups whose most selective slot holds it

    def add(self, key: str, slots: list[Slot]) -> None:
        required = [frozenset(a[0] for a in s.alternatives) for s in slots if not s.optional and not s.gap]
        m = Matcher(self.vocab)
        m.add(key, matcher_patterns(slots))
        gid = len(self.groups)
        self.groups.append((key, required, m))
        anchor = min(required, key=len)
        for w in anchor:
            self.index.setdefault(w, []).append(gid)

    def __len__(self) -> int:
        return len(self.groups)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        words = {t.lower_ for t in doc}
        candidates: set[int] = set()
        for w in words:
            hit = self.index.get(w)
            if hit:
                candidates.update(hit)
        out: list[tuple[str, int, int]] = []
        for gid in sorted(candidates):
            key, required, m = self.groups[gid]
            if all(not words.isdisjoint(r) for r in required):
                out.extend((key, s, e) for _, s, e in m(doc))
        return out


@dataclass
class RuleMatch:
    theme: str
    rule_id: str
    kind: str
    weight: float
    start: int  # token offsets in the doc
    end: int


class RuleMatcher:
    """All patterns of a codebook in one PhraseMatcher and one token Matcher."""

    def __init__(self, codebook, nlp: Language):
        self.codebook = codebook
        self.nlp = nlp
        self.phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.token = GatedMatcher(nlp.vocab)
        self.rules: dict[str, tuple[str, object]] = {}
        for theme, rule in codebook.rules:
            self.rules[rule.id] = (theme.id, rule)
            phrases: list[Doc] = []
            for p in rule.patterns:
                slots = compile_pattern(p, codebook.macros)
                if _is_literal(slots):
                    for words in literal_phrases(slots):
                        phrases.append(Doc(nlp.vocab, words=list(words)))
                else:
                    self.token.add(rule.id, slots)
            if phrases:
                self.phrase.add(rule.id, phrases)

    def __call__(self, doc: Doc) -> list[RuleMatch]:
        found: dict[tuple[str, int, int], RuleMatch] = {}
        strings = self.nlp.vocab.strings
        hits = [(strings[mid], s, e) for mid, s, e in self.phrase(doc)] + self.token(doc)
        has_sents = doc.has_annotation("SENT_START")
        for rid, start, end in hits:
            theme_id, rule = self.rules[rid]
            # Stay inside one sentence.
            if has_sents and any(doc[i].is_sent_start for i in range(start + 1, end)):
                continue
            key = (rid, start, end)
            found[key] = RuleMatch(theme_id, rid, rule.kind, rule.weight, start, end)
        # Keep the longest match per rule where matches of one rule overlap.
        out: list[RuleMatch] = []
        for m in sorted(found.values(), key=lambda m: (m.rule_id, m.start, -(m.end - m.start))):
            if out and out[-1].rule_id == m.rule_id and m.start < out[-1].end:
                continue
            out.append(m)
        return sorted(out, key=lambda m: (m.start, m.end, m.rule_id))


def iter_phrases(patterns: Iterable[str], macros=None) -> Iterable[str]:
    """Human-readable expansions of literal patterns (for docs and the codebook view)."""
    for p in patterns:
        slots = compile_pattern(p, macros)
        if _is_literal(slots):
            for words in literal_phrases(slots):
                yield " ".join(words)
        else:
            yield p
