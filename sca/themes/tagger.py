"""ThemeTagger: the scikit-learn-shaped theme tagging API.

>>> from sca import ThemeTagger
>>> tagger = ThemeTagger(method="rules")
>>> tagger.predict(["There was no evidence of information sharing.",
...                 "There is no evidence that information was not shared."])
[['information_sharing'], []]

Methods:

* ``"rules"``  – codebook patterns + ConText assertion (auditable evidence);
* ``"ml"``     – the trained :class:`sca.themes.model.ThemeClassifier` (per-theme thresholds);
* ``"hybrid"`` – the union of rule concerns and model positives.  By default the rules act as a
  gate: the model may add themes only to units in which the rules found at least one concern
  (so neutral chronology and good practice stay unlabelled), and a theme that the rules saw only
  as denied, hypothetical or good practice in the unit is vetoed for the model.  ``gate=False``
  gives the plain union (higher recall, many more false positives on the dev set);
  ``model_override`` lets a very confident model score through the gate.
* ``None``/``"auto"`` – ``"hybrid"`` when the shipped default model loads, else ``"rules"``.

``predict_proba`` returns a DataFrame (one row per text, one column per theme id): the rule
score for ``"rules"``, the model probability for ``"ml"`` and, for ``"hybrid"``, a combined
score on which 0.5 is the decision boundary (model probabilities are rescaled so that each
theme's threshold maps to 0.5).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from sca.errors import ModelLoadError, SCAError
from sca.themes.codebook import Codebook, load_codebook

TAG_COLUMNS = [
    "doc_id", "page", "section", "section_kind", "para", "sentence", "theme", "family", "score",
    "method", "assertion", "evidence", "rule_id", "sentence_id", "paragraph_index", "source",
]
METHODS = ("rules", "ml", "hybrid")
# Sections that describe the review rather than the case (how it was done, what it was asked,
# what the words mean): their sentences raise no theme as a concern, whatever words they use.
SKIP_SECTION_KINDS = ("cover", "contents", "glossary", "methodology", "terms_of_reference")
# Sections whose sentences exist to raise concerns: there the hybrid lets the model label a
# sentence the rules missed (elsewhere the rules gate it). "analysis" is not among them: analysis
# chapters also narrate and praise practice, and opening them added more false positives than
# findings on ../shared/eval/dev read from its documents (see models/default/MODEL_CARD.md).
OPEN_SECTION_KINDS = ("findings", "recommendations")
_ENGINES: dict = {}  # rule engines of the default codebook, shared between taggers


class ThemeTagger:
    """Tag text units and reviews with codebook themes.

    Parameters
    ----------
    method : "rules", "ml", "hybrid" or None/"auto" (hybrid when the default model loads).
    codebook : None (default codebook), a YAML path or a :class:`Codebook`.
    model : None (the shipped default model), a model directory, or a fitted ``ThemeClassifier``.
    threshold : decision threshold on the rule score (rules) or on the combined score (hybrid);
        for "ml" a float overrides the model's per-theme thresholds. Default 0.5 / model's own.
    include_all : ``tag`` also returns negated, hedged, hypothetical, positive and neutral
        rule mentions (with their ``assertion`` value); by default only concerns. A concern the
        codebook does not raise in its section (a theme's ``skip_sections``) has assertion
        "skipped_section".
    skip_section_kinds : section kinds whose sentences raise no theme: ``tag`` ignores them and
        ``predict``/``predict_proba`` give them no labels when ``section_kinds`` are passed
        (default: cover, contents, glossary, methodology, terms of reference). Each codebook
        theme may also name kinds it is never raised in (``skip_sections``: the default codebook's
        context themes skip recommendations); the same methods apply them.
    gate : hybrid only - the model adds themes only where the rules found a concern (default True).
    model_override : hybrid only - a model probability at or above this passes the gate (default None: never).
    open_sections : hybrid only - section kinds (default findings, recommendations) where the
        gate is open: the model may label a sentence the rules missed. ``()`` gates everywhere.
        Section kinds come from ``tag(review)``, or from ``predict(texts, section_kinds=...)``.
    paragraph_gate : hybrid only - a theme the rules find as a concern in one sentence of a
        paragraph opens the gate for that theme in the paragraph's other sentences (reviews make
        one point per paragraph: the explicit sentence anchors the implicit ones). Paragraphs come
        from ``tag(review)``, or from ``predict(texts, paragraphs=...)``. Default True.
    """

    def __init__(self, method: str | None = None, codebook: Any = None, model: Any = None,
                 threshold: float | None = None, include_all: bool = False,
                 skip_section_kinds: Sequence[str] = SKIP_SECTION_KINDS, context_rules: Any = None,
                 gate: bool = True, model_override: float | None = None,
                 open_sections: Sequence[str] = OPEN_SECTION_KINDS, paragraph_gate: bool = True):
        self.method = method
        self.codebook = codebook
        self.model = model
        self.threshold = threshold
        self.include_all = include_all
        self.skip_section_kinds = tuple(skip_section_kinds)
        self.context_rules = context_rules
        self.gate = gate
        self.model_override = model_override
        self.open_sections = tuple(open_sections)
        self.paragraph_gate = paragraph_gate
        self._engine = None
        self._model = None
        self.codebook_ = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        self.method_ = self._resolve_method(method)

    # -- set-up ---------------------------------------------------------------------------
    def _resolve_method(self, method: str | None) -> str:
        if method in (None, "auto"):
            try:
                self._load_model()
            except (ModelLoadError, SCAError, FileNotFoundError, ImportError, OSError) as exc:
                if self.model is not None:
                    raise
                warnings.warn(f"no usable default theme model ({exc}); using method='rules'", stacklevel=3)
                return "rules"
            return "hybrid"
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS} or None, got {method!r}")
        return method

    @property
    def engine(self):
        if self._engine is None:
            from sca.themes.engine import RuleEngine

            key = None
            if self.codebook is None and isinstance(self.context_rules, (str, Path, type(None))):
                key = (self.codebook_.version, str(self.context_rules))  # the default codebook: share one engine
            if key is not None and key in _ENGINES:
                self._engine = _ENGINES[key]
            else:
                self._engine = RuleEngine(self.codebook_, context_rules=self.context_rules)
                if key is not None:
                    _ENGINES[key] = self._engine
        return self._engine

    def _load_model(self):
        if self._model is not None:
            return self._model
        try:
            from sca.themes import model as model_mod
        except ImportError as exc:  # pragma: no cover - model module missing
            raise ModelLoadError(f"the theme model module is not available: {exc}") from None
        m = self.model
        if m is None:
            clf = model_mod.load_default_model(codebook=self.codebook_)
        elif isinstance(m, (str, Path)):
            clf = model_mod.load_model(m, codebook=self.codebook_)
        else:
            clf = m
        themes = list(getattr(clf, "themes_", []))
        missing = [t for t in themes if t not in self.codebook_.ids]
        if missing:
            raise ModelLoadError(f"the model knows themes that are not in the codebook: {missing}")
        self._model = clf
        return clf

    @property
    def model_(self):
        return self._load_model() if self.method_ in ("ml", "hybrid") else None

    # -- scikit-learn API -----------------------------------------------------------------
    def fit(self, texts: Iterable[str], labels: Sequence[Sequence[str]]) -> "ThemeTagger":
        """Train the model part on labelled units (no-op for ``method="rules"``)."""
        texts = list(texts)
        if self.method_ == "rules":
            return self
        from sca.themes.model import ThemeClassifier

        clf = ThemeClassifier(codebook=self.codebook_)
        clf.fit(texts, labels)
        self._model = clf
        return self

    def _rule_frame(self, texts: list[str], mentions: list[list] | None = None) -> tuple[pd.DataFrame, list[set[str]]]:
        ids = self.codebook_.ids
        rows, vetoes = [], []
        for mentions in (self.engine.mentions_many(texts) if mentions is None else mentions):
            scores = self.engine.theme_scores(mentions)
            rows.append([scores.get(t, 0.0) for t in ids])
            vetoes.append(self.engine.vetoes(mentions))
        return pd.DataFrame(rows, columns=ids, dtype=float).reindex(columns=ids), vetoes

    def _model_frame(self, texts: list[str]) -> tuple[pd.DataFrame, dict[str, float]]:
        clf = self._load_model()
        ids = self.codebook_.ids
        proba = np.asarray(clf.predict_proba(texts), dtype=float) if texts else np.zeros((0, len(clf.themes_)))
        df = pd.DataFrame(proba, columns=list(clf.themes_)).reindex(columns=ids, fill_value=0.0)
        th = dict(getattr(clf, "thresholds_", {}) or {})
        thresholds = {t: float(th.get(t, 0.5)) for t in ids}
        if self.method_ == "ml" and self.threshold is not None:
            thresholds = {t: float(self.threshold) for t in ids}
        return df, thresholds

    @staticmethod
    def _rescale(p: np.ndarray, th: float) -> np.ndarray:
        th = min(max(th, 1e-6), 1 - 1e-6)
        return np.where(p < th, 0.5 * p / th, 0.5 + 0.5 * (p - th) / (1 - th))

    def predict_proba(self, texts: Iterable[str], section_kinds: Sequence[str | None] | None = None,
                      paragraphs: Sequence[Any] | None = None) -> pd.DataFrame:
        """Score per text and theme (DataFrame, codebook order); ``section_kinds`` and
        ``paragraphs`` as in :meth:`predict`."""
        texts = [t or "" for t in texts]
        if self.method_ == "rules":
            df = self._rule_frame(texts)[0]
        elif self.method_ == "ml":
            df = self._model_frame(texts)[0]
        else:
            df = self._hybrid(texts, section_kinds, paragraphs=paragraphs)[0]
        skip = self._skip_matrix(len(texts), section_kinds)
        if skip is not None:
            df = df.mask(skip, 0.0)
        return df

    def _open_mask(self, n: int, section_kinds: Sequence[str | None] | None) -> np.ndarray:
        if section_kinds is None or not self.open_sections:
            return np.zeros((n, 1), dtype=bool)
        if len(section_kinds) != n:
            raise ValueError(f"{n} texts but {len(section_kinds)} section kinds")
        return np.array([[k in self.open_sections] for k in section_kinds], dtype=bool).reshape(n, 1)

    @staticmethod
    def _paragraph_concerns(rarr: np.ndarray, paragraphs: Sequence[Any] | None) -> np.ndarray | None:
        """Per unit and theme: did the rules find the theme as a concern anywhere in its paragraph?"""
        if paragraphs is None:
            return None
        if len(paragraphs) != len(rarr):
            raise ValueError(f"{len(rarr)} texts but {len(paragraphs)} paragraph ids")
        hit = rarr >= 0.5
        out = hit.copy()
        groups: dict[Any, list[int]] = {}
        for i, p in enumerate(paragraphs):
            if p is not None:
                groups.setdefault(p, []).append(i)
        for rows in groups.values():
            if len(rows) > 1:
                out[rows] = hit[rows].any(axis=0)
        return out

    def _hybrid(self, texts: list[str], section_kinds: Sequence[str | None] | None = None,
                mentions: list[list] | None = None, paragraphs: Sequence[Any] | None = None,
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, np.ndarray | None]:
        """(combined scores, rule scores, model scores, paragraph concerns or None); ``mentions``:
        the rules' own, if already found."""
        rules, vetoes = self._rule_frame(texts, mentions)
        model, thresholds = self._model_frame(texts)
        scaled = model.copy()
        for t in scaled.columns:
            scaled[t] = self._rescale(model[t].to_numpy(), thresholds[t])
        rarr = rules.to_numpy()
        marr = scaled.to_numpy()
        para = self._paragraph_concerns(rarr, paragraphs) if self.paragraph_gate else None
        if self.gate and len(rarr):
            open_unit = (rarr >= 0.5).any(axis=1, keepdims=True) | self._open_mask(len(texts), section_kinds)
            allowed = np.broadcast_to(open_unit, marr.shape)
            if para is not None:
                allowed = allowed | para
            if self.model_override is not None:
                allowed = allowed | (model.to_numpy() >= float(self.model_override))
            marr = np.where(allowed, marr, np.minimum(marr, 0.49))
        combined = np.maximum(rarr, marr)
        comb = pd.DataFrame(combined, columns=rules.columns)
        # Veto: the rules saw the theme only as denied, hypothetical or good practice.
        for i, v in enumerate(vetoes):
            for t in v:
                if rules.at[i, t] == 0.0 and t in comb.columns:
                    comb.at[i, t] = min(comb.at[i, t], 0.49)
        return comb, rules, model, para

    def _decision_threshold(self) -> float:
        return 0.5 if self.threshold is None else float(self.threshold)

    def predict(self, texts: Iterable[str], section_kinds: Sequence[str | None] | None = None,
                paragraphs: Sequence[Any] | None = None) -> list[list[str]]:
        """Theme ids raised as concerns by each text (codebook order).

        ``section_kinds`` (optional, one per text: "findings", "chronology", ... or None) lets the
        hybrid open its gate in :attr:`open_sections`, as :meth:`tag` does from the review's sections,
        and gives no labels in :attr:`skip_section_kinds`. ``paragraphs`` (optional, one hashable
        paragraph id per text, None for a text on its own) lets the hybrid's :attr:`paragraph_gate`
        work, as :meth:`tag` does from the review's paragraphs.
        """
        texts = [t or "" for t in texts]
        if not texts:
            return []
        ids = self.codebook_.ids
        if self.method_ == "ml":
            df, thresholds = self._model_frame(texts)
            arr = df.to_numpy(copy=True)
            skip = self._skip_matrix(len(texts), section_kinds)
            if skip is not None:
                arr[skip] = 0.0
            th = np.array([thresholds[t] for t in ids])
            return [[ids[j] for j in np.flatnonzero(row >= th)] for row in arr]
        df = self.predict_proba(texts, section_kinds, paragraphs)
        cut = self._decision_threshold()
        arr = df.to_numpy()
        return [[ids[j] for j in np.flatnonzero(row >= cut)] for row in arr]

    def _skip_mask(self, n: int, section_kinds: Sequence[str | None] | None) -> np.ndarray | None:
        """Rows in a skipped section kind (methodology, glossary ...), or None when nothing is skipped."""
        if section_kinds is None or not self.skip_section_kinds:
            return None
        if len(section_kinds) != n:
            raise ValueError(f"{n} texts but {len(section_kinds)} section kinds")
        mask = np.array([k in self.skip_section_kinds for k in section_kinds], dtype=bool)
        return mask if mask.any() else None

    def _skip_matrix(self, n: int, section_kinds: Sequence[str | None] | None) -> np.ndarray | None:
        """(texts, themes) mask of the scores that must be 0: every theme in a skipped section kind
        (:attr:`skip_section_kinds`), and a theme in a kind its codebook entry skips
        (``skip_sections``: context themes in recommendations); None when nothing is masked."""
        rows = self._skip_mask(n, section_kinds)
        per_theme = self.codebook_.section_skips() if section_kinds is not None else {}
        if rows is None and not any(k in per_theme for k in section_kinds or ()):
            return None
        ids = self.codebook_.ids
        mask = np.zeros((n, len(ids)), dtype=bool)
        if rows is not None:
            mask[rows] = True
        for i, k in enumerate(section_kinds):
            for t in per_theme.get(k, ()):
                mask[i, ids.index(t)] = True
        return mask

    # -- reviews --------------------------------------------------------------------------
    def _units(self, review) -> list[dict[str, Any]]:
        """Sentences of the review with provenance."""
        from sca.nlp import make_nlp, sentence_spans

        nlp = make_nlp()
        units: list[dict[str, Any]] = []
        paragraphs = []
        for section in review.sections:
            if section.kind in self.skip_section_kinds:
                continue
            for p in section.paragraphs:
                paragraphs.append((section, p))
        has_rows = any(p.kind == "table_row" for _, p in paragraphs)
        texts = [p.text or "" for _, p in paragraphs]
        sid = 0
        for (section, p), doc in zip(paragraphs, nlp.pipe(texts, batch_size=128)):
            for _, _, sent in sentence_spans(doc):
                units.append({
                    "page": p.page, "section": p.section or section.heading, "section_kind": section.kind,
                    "para": p.number or "", "sentence": sent, "sentence_id": sid, "paragraph_index": p.index,
                })
                sid += 1
        if not has_rows:
            for table in getattr(review, "tables", []) or []:
                if table.section_kind in self.skip_section_kinds:
                    continue
                for row in table.rows[1:]:
                    text = " | ".join(c.strip() for c in row if c and c.strip())
                    if text:
                        units.append({
                            "page": table.page, "section": table.section, "section_kind": table.section_kind,
                            "para": "", "sentence": text, "sentence_id": sid, "paragraph_index": None,
                        })
                        sid += 1
        return units

    def tag(self, review) -> pd.DataFrame:
        """One row per (sentence, theme) raised as a concern, with provenance and evidence."""
        units = self._units(review)
        doc_id = review.doc_id
        source = getattr(review.metadata, "source", None) or ""
        texts = [u["sentence"] for u in units]
        records: list[dict[str, Any]] = []
        family = {t.id: t.family for t in self.codebook_.themes}
        ids = self.codebook_.ids
        # Units are sentences cut by the same splitter: the rules need not split them again.
        mentions = (self.engine.mentions_many(texts, presplit=True) if self.method_ in ("rules", "hybrid")
                    else [[] for _ in texts])
        cut = self._decision_threshold()
        para_arr = None
        if self.method_ == "ml" and texts:
            model_df, thresholds = self._model_frame(texts)
            model_arr = model_df.to_numpy()  # plain indexing: .at in this loop cost a third of tag()
            chosen_arr = model_arr >= np.array([thresholds[t] for t in ids])
            score_arr = model_arr
        elif self.method_ == "hybrid" and texts:  # the same decisions as predict()
            comb, _, model_df, para_arr = self._hybrid(texts, [u["section_kind"] for u in units], mentions,
                                                       [u["paragraph_index"] for u in units])
            model_arr, score_arr = model_df.to_numpy(), comb.to_numpy()
            chosen_arr = score_arr >= cut
        theme_skips = self.codebook_.section_skips()
        for i, u in enumerate(units):
            skipped = theme_skips.get(u["section_kind"], set())
            by_theme: dict[str, list] = {}
            for m in mentions[i]:
                by_theme.setdefault(m.theme, []).append(m)
            scores = self.engine.theme_scores(mentions[i]) if mentions[i] else {}
            chosen: dict[str, dict[str, Any]] = {}
            if self.method_ == "rules":
                for t, s in scores.items():
                    if s >= cut:
                        chosen[t] = {"score": s}
            else:
                for j in np.flatnonzero(chosen_arr[i]):
                    chosen[ids[j]] = {"score": float(score_arr[i, j]), "model_p": float(model_arr[i, j]),
                                      "paragraph": bool(para_arr is not None and para_arr[i, j])}
            for t in skipped & set(chosen):  # the codebook never raises t in this kind of section
                del chosen[t]
            for t, info in chosen.items():
                concern = [m for m in by_theme.get(t, []) if m.concern]
                ev = [m.evidence for m in concern]
                if "model_p" in info:
                    ev.append(f"model p={info['model_p']:.2f}")
                    if not concern and info["paragraph"]:
                        ev.append("the rules raise it elsewhere in the paragraph")
                status = "hedged" if concern and all(m.status == "hedged" for m in concern) else "asserted"
                records.append(self._record(doc_id, source, u, t, family.get(t, ""), info["score"], status,
                                            "; ".join(ev), concern[0].rule_id if concern else ""))
            if self.include_all:
                for t, ms in by_theme.items():
                    for m in ms:
                        if t in chosen and m.concern:
                            continue
                        if t in chosen:
                            continue
                        status = "skipped_section" if t in skipped and m.concern else m.status
                        records.append(self._record(doc_id, source, u, t, family.get(t, ""), m.score, status,
                                                    m.evidence, m.rule_id, method="rules"))
        df = pd.DataFrame.from_records(records, columns=TAG_COLUMNS)
        if self.include_all and len(df):
            df = df.drop_duplicates(subset=["sentence_id", "theme", "assertion", "rule_id"]).reset_index(drop=True)
        return df

    def _record(self, doc_id, source, u, theme, family, score, status, evidence, rule_id, method=None):
        return {
            "doc_id": doc_id, "page": u["page"], "section": u["section"], "section_kind": u["section_kind"],
            "para": u["para"], "sentence": u["sentence"], "theme": theme, "family": family,
            "score": round(float(score), 3), "method": method or self.method_, "assertion": status,
            "evidence": evidence, "rule_id": rule_id, "sentence_id": u["sentence_id"],
            "paragraph_index": u["paragraph_index"], "source": source,
        }

    def __repr__(self) -> str:
        return f"ThemeTagger(method={self.method!r} -> {self.method_!r}, codebook={self.codebook_.id!r} v{self.codebook_.version})"
