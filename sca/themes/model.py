"""A multi-label sentence classifier for codebook themes, and its safe (skops) storage.

Design: TF-IDF word 1-2 grams over negation-marked text plus char_wb 2-5 grams,
one logistic regression per theme plus a "raises any theme" gate that damps the scores of
neutral sentences, and a per-theme decision threshold chosen on out-of-fold scores
(maximise F1, never below a floor, so that false positives stay rare). After fitting, the
model is reduced to term arrays, idf weights and one coefficient matrix, which is what is
saved and what predicts. Models are stored with skops (never pickle) beside a manifest.json that
records the codebook version, a hash of the theme ids, and the sha256 of the model
file; :func:`load_model` refuses a model that was tampered with, that contains types
outside an explicit allow-list, or that was built for another codebook version.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.pipeline import FeatureUnion

from sca.hashing import file_sha256
from sca.errors import ModelLoadError, SCAError

FORMAT_NAME = "sca-theme-classifier"
FORMAT_VERSION = 1
MODEL_FILE = "model.skops"
MANIFEST_FILE = "manifest.json"
CV_METRICS_FILE = "cv_metrics.json"
MODEL_CARD_FILE = "MODEL_CARD.md"

# The 20 theme ids of the default codebook (../shared/spec/codebook.md); used only when
# the codebook loader (sca.themes.codebook) is not available.
FALLBACK_THEME_IDS = [
    "information_sharing", "interagency_working", "supervision_oversight", "assessment_quality",
    "risk_recognition", "voice_of_child", "disguised_compliance", "professional_optimism",
    "hidden_men", "missed_appointments", "escalation_challenge", "record_keeping",
    "workload_resources", "training_knowledge", "case_drift", "cultural_context",
    "domestic_abuse", "parental_mental_health", "parental_substance_misuse", "neglect",
]

# ---------------------------------------------------------------------------
# Text preprocessing
# ---------------------------------------------------------------------------

_NEG_CUES = {
    "not", "no", "never", "without", "nor", "neither", "none", "nobody", "nothing", "cannot",
    "lack", "lacked", "lacking", "absence", "absent", "failed", "fail", "failure", "unable",
    "didn't", "wasn't", "weren't", "hadn't", "hasn't", "haven't", "isn't", "couldn't", "wouldn't",
    "didnt", "wasnt", "n't",
}
_SCOPE_END = {".", ",", ";", ":", "?", "!", "but", "however", "although", "though", "whereas", "and"}
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[.,;:?!]")
_NEG_WINDOW = 5


def negation_preprocess(text: str) -> str:
    """Lower-case, map digits to 0 and mark up to five tokens after a negation cue with ``neg_``.

    ``"information was not shared with the GP"`` ->
    ``"information was not neg_shared neg_with neg_the neg_gp"``. Scope ends at punctuation
    and at contrastive conjunctions. Both plain and marked forms reach the vectoriser because
    the bigram "not shared" survives alongside "neg_shared".
    """
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"\d", "0", text)
    out: list[str] = []
    remaining = 0
    for tok in _TOKEN_RE.findall(text):
        if tok in _SCOPE_END:
            remaining = 0
            out.append(tok)
            continue
        if remaining > 0:
            out.append("neg_" + tok)
            remaining -= 1
        else:
            out.append(tok)
        if tok in _NEG_CUES or tok.endswith("n't"):
            remaining = _NEG_WINDOW
    return " ".join(out)


def _word_tokens(text: str) -> list[str]:
    return text.split()


def _build_features(word_max: int = 20000, char_max: int = 30000) -> FeatureUnion:
    word = TfidfVectorizer(
        preprocessor=negation_preprocess, tokenizer=_word_tokens, token_pattern=None,
        lowercase=False, ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True,
        max_features=word_max, dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), lowercase=True, min_df=3, sublinear_tf=True,
        max_features=char_max, dtype=np.float32,
    )
    return FeatureUnion([("word", word), ("char", char)], n_jobs=1)


def _rebuild_features(vocabs: list[np.ndarray], idfs: list[np.ndarray]) -> FeatureUnion:
    """Rebuild fitted vectorisers from stored term arrays and idf weights (no fitting)."""
    feats = _build_features()
    for (_, vec), terms, idf in zip(feats.transformer_list, vocabs, idfs):
        vec.set_params(vocabulary={str(t): i for i, t in enumerate(terms)}, max_features=None, min_df=1, max_df=1.0)
        vec._validate_vocabulary()
        vec.idf_ = np.asarray(idf, dtype=np.float64)
    return feats


class _CharNgramCounter:
    """Counts a fitted ``char_wb`` vectoriser's n-grams word by word, remembering each word.

    ``char_wb`` n-grams never cross a word boundary, so a text's counts are the sum of its
    words' counts; review text repeats its words, so most words are looked up, not cut into
    n-grams again. Gives the same matrix as ``vec.transform`` (tested) about 4x faster.
    """

    MAX_WORDS = 300_000

    def __init__(self, vec: TfidfVectorizer):
        self.vec = vec
        self.vocab = vec.vocabulary_
        self.lo, self.hi = vec.ngram_range
        self.words: dict[str, list[int]] = {}

    def _word(self, w: str) -> list[int]:
        ids = self.words.get(w)
        if ids is None:
            vocab, ws = self.vocab, " " + w + " "
            n_ws = len(ws)
            grams = []
            for n in range(self.lo, self.hi + 1):  # the loop of sklearn's _char_wb_ngrams
                offset = 0
                grams.append(ws[0:n])
                while offset + n < n_ws:
                    offset += 1
                    grams.append(ws[offset:offset + n])
                if offset == 0:
                    break
            ids = [j for j in (vocab.get(g) for g in grams) if j is not None]
            if len(self.words) >= self.MAX_WORDS:
                self.words.clear()
            self.words[w] = ids
        return ids

    def transform(self, texts: list[str]):
        import scipy.sparse as sp

        indptr, indices = [0], []
        for t in texts:
            for w in t.lower().split():
                indices.extend(self._word(w))
            indptr.append(len(indices))
        X = sp.csr_matrix((np.ones(len(indices), dtype=self.vec.dtype), np.asarray(indices, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(self.vocab)))
        X.sum_duplicates()
        return self.vec._tfidf.transform(X, copy=False)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


# ---------------------------------------------------------------------------
# Codebook helpers
# ---------------------------------------------------------------------------


def _codebook_info(codebook: Any = None) -> tuple[list[str], str, str]:
    """Return (theme ids, version, codebook id) of ``codebook`` (object, path or None = default)."""
    if codebook is not None and hasattr(codebook, "ids"):
        cb = codebook
    else:
        try:
            from sca.themes.codebook import load_codebook
        except ImportError:
            if codebook is not None:
                raise SCAError(f"{codebook}: cannot load a codebook file: sca.themes.codebook is unavailable")
            return list(FALLBACK_THEME_IDS), "spec-2026", "sca-default"
        cb = load_codebook(codebook) if codebook is not None else load_codebook()
    ids = list(cb.ids)
    version = str(getattr(cb, "version", "unknown"))
    cid = str(getattr(cb, "id", None) or getattr(cb, "name", None) or "sca-default")
    return ids, version, cid


def theme_ids_hash(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------


def _to_matrix(Y: Any, themes: list[str]) -> np.ndarray:
    if isinstance(Y, np.ndarray) and Y.ndim == 2:
        if Y.shape[1] != len(themes):
            raise ValueError(f"label matrix has {Y.shape[1]} columns but there are {len(themes)} themes")
        return (Y > 0).astype(np.int8)
    index = {t: i for i, t in enumerate(themes)}
    M = np.zeros((len(Y), len(themes)), dtype=np.int8)
    for r, labels in enumerate(Y):
        for lab in labels or ():
            if lab not in index:
                raise ValueError(f"label {lab!r} (row {r}) is not a theme of the codebook")
            M[r, index[lab]] = 1
    return M


def _best_threshold(y: np.ndarray, p: np.ndarray, floor: float) -> tuple[float, dict]:
    """Threshold on out-of-fold probabilities maximising F1 (ties -> the higher threshold)."""
    best_t, best = 0.5, (-1.0, 0.0, 0.0)
    for t in np.round(np.arange(floor, 0.901, 0.025), 3):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 >= best[0]:
            best_t, best = float(t), (f1, prec, rec)
    return best_t, {"precision": round(best[1], 4), "recall": round(best[2], 4), "f1": round(best[0], 4)}


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier for review sentences.

    Parameters
    ----------
    themes : theme ids (default: the ids of ``codebook`` or of the default codebook)
    codebook : codebook object or YAML path whose ids/version the model is bound to
    C : inverse regularisation strength of each logistic regression
    class_weight : passed to each logistic regression
    cv : folds for out-of-fold thresholds and cross-validated metrics (0/1 = no CV, threshold 0.5)
    threshold_floor : lowest threshold CV may choose
    word_max_features, char_max_features : vocabulary caps (keep the saved model small)
    gate_threshold : a second model scores "raises any theme"; theme scores are damped by
        ``min(1, gate / gate_threshold)`` which keeps neutral sentences from being tagged (0 = off)
    """

    def __init__(self, themes: Sequence[str] | None = None, codebook: Any = None, C: float = 4.0,
                 class_weight: str | None = "balanced", cv: int = 5, threshold_floor: float = 0.35,
                 word_max_features: int = 20000, char_max_features: int = 30000, gate_threshold: float = 0.5,
                 random_state: int = 0):
        self.themes = themes
        self.codebook = codebook
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.threshold_floor = threshold_floor
        self.word_max_features = word_max_features
        self.char_max_features = char_max_features
        self.gate_threshold = gate_threshold
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------
    def _new_lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", dual=True,
                                  max_iter=5000)

    def _fit_core(self, texts: list[str], M: np.ndarray):
        feats = _build_features(self.word_max_features, self.char_max_features)
        X = feats.fit_transform(texts)
        models: list[Any] = []
        # the last column is the gate: "does this sentence raise any theme at all?"
        cols = [M[:, j] for j in range(M.shape[1])] + [(M.sum(axis=1) > 0).astype(np.int8)]
        for y in cols:
            if y.min() == y.max():  # constant column: no positives (or all positive)
                models.append(float(y[0]) if len(y) else 0.0)
            else:
                models.append(self._new_lr().fit(X, y))
        return feats, models

    def _proba_core(self, feats, models, texts: list[str], gated: bool = True) -> np.ndarray:
        X = feats.transform(texts)
        P = np.zeros((X.shape[0], len(models)), dtype=np.float64)
        for j, m in enumerate(models):
            P[:, j] = m if isinstance(m, float) else m.predict_proba(X)[:, 1]
        themes, gate = P[:, :-1], P[:, -1]
        if gated and self.gate_threshold:
            themes = themes * np.minimum(1.0, gate / self.gate_threshold)[:, None]
        return themes

    def fit(self, texts: Iterable[str], Y: Any, groups: Sequence[Any] | None = None,
            threshold_labels: Sequence[Sequence[str] | None] | None = None) -> "ThemeClassifier":
        """Fit on ``texts`` with ``Y`` = list of theme-id lists (or a binary matrix in ``themes_`` order).

        ``groups`` (optional, one per text) keeps related sentences (a sentence and its rewrites)
        in the same cross-validation fold. ``threshold_labels`` (optional, one per text: a list of
        theme ids, or None) chooses the per-theme thresholds on the out-of-fold scores of the units
        that have them, against those labels: for example, on review text labelled by two
        annotators, the themes both gave. A theme with no positive there falls back to ``Y``.
        """
        texts = [str(t) for t in texts]
        if self.themes is not None:
            themes, version, cid = list(self.themes), None, None
            try:
                _, version, cid = _codebook_info(self.codebook)
            except SCAError:
                version, cid = "unknown", "custom"
        else:
            themes, version, cid = _codebook_info(self.codebook)
        M = _to_matrix(Y, themes)
        if len(texts) != M.shape[0]:
            raise ValueError(f"{len(texts)} texts but {M.shape[0]} label rows")
        if not texts:
            raise ValueError("cannot fit on an empty training set")
        t0 = time.perf_counter()
        self.themes_ = themes
        self.classes_ = np.array(themes)
        self.codebook_version_ = version
        self.codebook_id_ = cid
        self.codebook_hash_ = theme_ids_hash(themes)
        self.n_train_ = len(texts)

        thresholds = {t: 0.5 for t in themes}
        metrics: dict[str, Any] = {}
        T, tmask = None, None
        if threshold_labels is not None:
            if len(threshold_labels) != len(texts):
                raise ValueError(f"{len(threshold_labels)} threshold labels but {len(texts)} texts")
            tmask = np.array([t is not None for t in threshold_labels], dtype=bool)
            if tmask.any():
                T = _to_matrix([list(t) if t is not None else [] for t in threshold_labels], themes)
            else:
                tmask = None
        if self.cv and self.cv > 1 and len(texts) >= 2 * self.cv:
            oof = np.zeros(M.shape, dtype=np.float64)
            if groups is not None:
                if len(groups) != len(texts):
                    raise ValueError(f"{len(groups)} groups but {len(texts)} texts")
                splits = GroupKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state).split(
                    texts, groups=list(groups))
            else:
                splits = KFold(n_splits=self.cv, shuffle=True, random_state=self.random_state).split(texts)
            for tr, te in splits:
                f, ms = self._fit_core([texts[i] for i in tr], M[tr])
                oof[te] = self._proba_core(f, ms, [texts[i] for i in te])
            per: dict[str, Any] = {}
            on_agreed: list[str] = []
            for j, t in enumerate(themes):
                y, p = M[:, j], oof[:, j]
                if T is not None and T[tmask, j].sum() > 0:
                    y, p = T[tmask, j], oof[tmask, j]
                    on_agreed.append(t)
                if y.sum() == 0:
                    per[t] = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "threshold": 0.5}
                    continue
                thr, m = _best_threshold(y, p, self.threshold_floor)
                thresholds[t] = thr
                per[t] = {**m, "support": int(y.sum()), "threshold": thr}
            Mr, oofr = (T[tmask], oof[tmask]) if T is not None else (M, oof)
            pred = np.column_stack([oofr[:, j] >= thresholds[t] for j, t in enumerate(themes)])
            unlabelled = Mr.sum(axis=1) == 0
            fpr = float(pred[unlabelled].any(axis=1).mean()) if unlabelled.any() else 0.0
            with_support = [v for v in per.values() if v["support"]]
            metrics = {
                "folds": int(self.cv),
                "note": ("out-of-fold scores at thresholds chosen on the same out-of-fold scores (slightly optimistic)"
                         + (f"; thresholds and these figures on the {int(tmask.sum())} units with two annotators, "
                            "against the themes both gave" if T is not None else "")),
                "threshold_units": int(tmask.sum()) if T is not None else len(texts),
                "thresholds_on_agreed_labels": on_agreed,
                "per_theme": per,
                "macro": {k: round(float(np.mean([v[k] for v in with_support])), 4) for k in ("precision", "recall", "f1")},
                "fpr_unlabelled": round(fpr, 4),
                "n_sentences": len(texts),
                "n_unlabelled": int((M.sum(axis=1) == 0).sum()),
            }
        feats, models = self._fit_core(texts, M)
        self._set_compact(feats, models)
        self.thresholds_ = thresholds
        self.cv_metrics_ = metrics
        self.fit_seconds_ = round(time.perf_counter() - t0, 2)
        return self

    # -- prediction --------------------------------------------------------
    # -- compact linear form (what is saved and used for prediction) --------------
    def _set_compact(self, feats: FeatureUnion, models: list[Any]) -> None:
        vocabs, idfs = [], []
        for _, vec in feats.transformer_list:
            terms = np.empty(len(vec.vocabulary_), dtype=object)
            for t, i in vec.vocabulary_.items():
                terms[i] = t
            vocabs.append(terms.astype(str))
            idfs.append(np.asarray(vec.idf_, dtype=np.float32))
        n = sum(len(v) for v in vocabs)
        coef = np.zeros((len(models), n), dtype=np.float32)
        intercept = np.zeros(len(models), dtype=np.float64)
        for j, m in enumerate(models):
            if isinstance(m, float):
                intercept[j] = 30.0 if m >= 0.5 else -30.0
            else:
                coef[j] = m.coef_[0]
                intercept[j] = m.intercept_[0]
        self.vocab_word_, self.vocab_char_ = vocabs
        self.idf_word_, self.idf_char_ = idfs
        self.coef_ = coef
        self.intercept_ = intercept
        self.vectorizer_ = feats

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("vectorizer_", None)  # rebuilt from vocab_*/idf_* on load
        state.pop("_char_counter", None)  # a cache, rebuilt on first use
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "coef_" in state:
            self.vectorizer_ = _rebuild_features([self.vocab_word_, self.vocab_char_], [self.idf_word_, self.idf_char_])

    def _transform(self, texts: list[str]):
        """The feature matrix (word TF-IDF | char TF-IDF), the char part via a per-word cache."""
        parts = dict(self.vectorizer_.transformer_list)
        char = parts.get("char")
        if (set(parts) != {"word", "char"} or char.analyzer != "char_wb" or not char.lowercase
                or char.preprocessor is not None or char.strip_accents):
            return self.vectorizer_.transform(texts)
        counter = self.__dict__.get("_char_counter")
        if counter is None or counter.vec is not char:
            counter = self._char_counter = _CharNgramCounter(char)
        import scipy.sparse as sp

        return sp.hstack([parts["word"].transform(texts), counter.transform(texts)], format="csr")

    def _linear_proba(self, texts: list[str], gated: bool = True) -> np.ndarray:
        X = self._transform(texts)
        P = _sigmoid(np.asarray(X @ self.coef_.T) + self.intercept_)
        themes, gate = P[:, :-1], P[:, -1]
        if gated and self.gate_threshold:
            themes = themes * np.minimum(1.0, gate / self.gate_threshold)[:, None]
        return themes

    def _check(self):
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError
            raise NotFittedError("ThemeClassifier is not fitted yet; call fit() or load_model().")

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Score per theme, shape (n_texts, n_themes), columns in ``themes_`` order.

        The score is the theme's logistic-regression probability, damped by the gate model
        (``p * min(1, gate / gate_threshold)``); a theme is predicted when its score reaches
        ``thresholds_[theme]``, thresholds having been chosen on cross-validated scores.
        """
        self._check()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.themes_)))
        return self._linear_proba(texts)

    def raw_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Per-theme probabilities before the gate (columns in ``themes_`` order)."""
        self._check()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.themes_)))
        return self._linear_proba(texts, gated=False)

    def gate_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probability that each text raises any theme at all (the gate model)."""
        self._check()
        texts = [str(t) for t in texts]
        X = self._transform(texts)
        return _sigmoid(np.asarray(X @ self.coef_[-1]) + self.intercept_[-1])

    def decision_matrix(self, texts: Iterable[str]) -> np.ndarray:
        """Boolean matrix (n_texts, n_themes): probability at or above the theme's threshold."""
        P = self.predict_proba(texts)
        thr = np.array([self.thresholds_[t] for t in self.themes_])
        return P >= thr

    def predict(self, texts: Iterable[str]) -> list[list[str]]:
        """Theme ids per text (possibly empty lists)."""
        D = self.decision_matrix(texts)
        return [[t for t, on in zip(self.themes_, row) if on] for row in D]


# ---------------------------------------------------------------------------
# Saving and loading (skops + manifest)
# ---------------------------------------------------------------------------

# Types the loader accepts inside a model file. Anything else (a foreign class, a
# function from another module, ...) makes load_model refuse the file without loading it.
TRUSTED_TYPES = [
    # The saved ThemeClassifier holds only numpy arrays, numbers, strings, lists and dicts
    # (vectorisers are rebuilt from term arrays on load), so nothing else is ever trusted.
    "sca.themes.model.ThemeClassifier",
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.int32",
    "builtins.float",
    "builtins.int",
    "builtins.str",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
]




def save_model(clf: ThemeClassifier, directory: str | Path, *, training_data_hash: str | None = None,
               training_data: str | None = None) -> Path:
    """Write ``model.skops``, ``manifest.json`` and ``cv_metrics.json`` into ``directory``."""
    import sca
    import skops.io as sio

    clf._check()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    # The estimator parameter ``codebook`` may hold a Codebook object: store only its path/None.
    saved = clf
    if clf.codebook is not None and not isinstance(clf.codebook, (str, os.PathLike)):
        saved = clf.__class__(**{**clf.get_params(deep=False), "codebook": None})
        saved.__dict__.update({k: v for k, v in clf.__dict__.items() if k.endswith("_")})
    elif isinstance(clf.codebook, os.PathLike):
        saved = clf.__class__(**{**clf.get_params(deep=False), "codebook": str(clf.codebook)})
        saved.__dict__.update({k: v for k, v in clf.__dict__.items() if k.endswith("_")})
    sio.dump(saved, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "sca_version": sca.__version__,
        "model_file": MODEL_FILE,
        "sha256": file_sha256(path),
        "codebook_id": clf.codebook_id_,
        "codebook_version": clf.codebook_version_,
        "theme_ids_hash": clf.codebook_hash_,
        "themes": list(clf.themes_),
        "thresholds": {k: float(v) for k, v in clf.thresholds_.items()},
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "training_data": training_data,
        "training_data_sha256": training_data_hash,
        "n_train": int(clf.n_train_),
        "cv_macro": clf.cv_metrics_.get("macro", {}),
        "cv_fpr_unlabelled": clf.cv_metrics_.get("fpr_unlabelled"),
        "trusted_types": TRUSTED_TYPES,
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (directory / CV_METRICS_FILE).write_text(json.dumps(clf.cv_metrics_, indent=2) + "\n", encoding="utf-8")
    return path


class _NotSimple(Exception):
    """The file uses a node the strict fast reader does not handle: use skops itself."""


def _fast_read(path: Path) -> "ThemeClassifier":
    """Read a skops file written by :func:`save_model` without importing skops.

    Importing ``skops.io`` enumerates every scikit-learn estimator (several seconds on a busy
    machine), which would break the "loads in under a second" promise. The files we write hold
    only a ThemeClassifier whose state is dicts, lists, JSON scalars and numpy arrays; this reader
    accepts exactly those node kinds (numpy arrays via ``np.load(allow_pickle=False)``) and raises
    :class:`_NotSimple` on anything else, in which case :func:`load_model` falls back to skops with
    its allow-list check. Nothing here can import or call arbitrary code.
    """
    with zipfile.ZipFile(path) as zf:
        schema = json.loads(zf.read("schema.json"))

        def node(n: Any) -> Any:
            if not isinstance(n, dict):
                raise _NotSimple("malformed node")
            loader, mod, cls = n.get("__loader__"), n.get("__module__"), n.get("__class__")
            if loader == "JsonNode" and mod == "builtins" and n.get("is_json") is True:
                return json.loads(n["content"])
            if loader == "ListNode" and mod == "builtins" and cls == "list":
                return [node(x) for x in n["content"]]
            if loader == "DictNode" and mod == "builtins" and cls == "dict":
                keys = n.get("key_types", {"content": []})
                for k in keys.get("content", []):
                    if k.get("__loader__") != "TypeNode" or k.get("__module__") != "builtins" or k.get("__class__") != "str":
                        raise _NotSimple("non-string dict key")
                return {str(k): node(v) for k, v in n["content"].items()}
            if loader == "NdArrayNode" and mod == "numpy" and cls == "ndarray" and n.get("type") == "numpy":
                import io

                with zf.open(str(n["file"])) as fh:
                    return np.load(io.BytesIO(fh.read()), allow_pickle=False)
            raise _NotSimple(f"{mod}.{cls} ({loader})")

        if (schema.get("__loader__"), schema.get("__module__"), schema.get("__class__")) != (
                "ObjectNode", "sca.themes.model", "ThemeClassifier"):
            raise _NotSimple("root is not a ThemeClassifier")
        state = node(schema["content"])
    if not isinstance(state, dict) or "coef_" not in state:
        raise _NotSimple("not a fitted ThemeClassifier state")
    clf = ThemeClassifier.__new__(ThemeClassifier)
    clf.__setstate__(state)
    return clf


def load_model(directory: str | Path, codebook: Any = None, *, check_codebook: bool = True) -> ThemeClassifier:
    """Load a model saved by :func:`save_model`, refusing anything unsafe or mismatched.

    Raises :class:`sca.errors.ModelLoadError` when the manifest is missing or not an sca model,
    the model file's sha256 differs from the manifest (tampered), the file contains a type outside
    :data:`TRUSTED_TYPES` (foreign; nothing is executed), or the model was built for another
    codebook version or theme list than the active codebook (``codebook`` or the default).
    """
    directory = Path(directory)
    manifest_path = directory / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelLoadError(f"{directory}: not an sca model directory (no {MANIFEST_FILE})")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{manifest_path}: unreadable manifest ({exc})") from exc
    if manifest.get("format") != FORMAT_NAME:
        raise ModelLoadError(f"{manifest_path}: not an sca theme model (format {manifest.get('format')!r})")
    path = directory / str(manifest.get("model_file", MODEL_FILE))
    if not path.is_file():
        raise ModelLoadError(f"{path}: model file missing")
    digest = file_sha256(path)
    if digest != manifest.get("sha256"):
        raise ModelLoadError(f"{path}: sha256 {digest[:12]}... does not match the manifest "
                             f"({str(manifest.get('sha256'))[:12]}...); the file was altered - refusing to load it")
    if check_codebook:
        ids, version, _ = _codebook_info(codebook)
        if str(manifest.get("codebook_version")) != version or manifest.get("theme_ids_hash") != theme_ids_hash(ids):
            raise ModelLoadError(
                f"{directory}: model was built for codebook version {manifest.get('codebook_version')!r} "
                f"(theme ids hash {manifest.get('theme_ids_hash')}) but the active codebook is version "
                f"{version!r} (hash {theme_ids_hash(ids)}); retrain it with `sca train`")
    try:
        return _fast_read(path)
    except _NotSimple:
        pass  # not one of our plain files: let skops inspect it against the allow-list
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ModelLoadError(f"{path}: not a readable skops file ({exc})") from exc
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # malformed zip/schema
        raise ModelLoadError(f"{path}: not a readable skops file ({exc})") from exc
    foreign = [t for t in untrusted if t not in TRUSTED_TYPES]
    if foreign:
        raise ModelLoadError(f"{path}: contains types outside the allow-list, refusing to load: {', '.join(foreign)}")
    try:
        clf = sio.load(path, trusted=[t for t in untrusted])
    except Exception as exc:
        raise ModelLoadError(f"{path}: could not be loaded ({exc})") from exc
    if not isinstance(clf, ThemeClassifier):
        raise ModelLoadError(f"{path}: holds a {type(clf).__name__}, not a ThemeClassifier")
    return clf


def default_model_dir() -> Path:
    env = os.environ.get("SCA_MODEL_DIR")
    if env:
        return Path(env)
    import sca
    return Path(sca.__file__).resolve().parents[1] / "models" / "default"


def load_default_model(codebook: Any = None) -> ThemeClassifier:
    """Load models/default of the repository (or the directory named by ``SCA_MODEL_DIR``)."""
    return load_model(default_model_dir(), codebook=codebook)


# ---------------------------------------------------------------------------
# Training from a labelled JSONL file
# ---------------------------------------------------------------------------


def section_skips(codebook: Any = None) -> dict[str, set[str]]:
    """Section kind -> theme ids the codebook (object, path or None = default) never raises there
    (:meth:`Codebook.section_skips`)."""
    if codebook is None or not hasattr(codebook, "section_skips"):
        try:
            from sca.themes.codebook import load_codebook
        except ImportError:
            return {}
        codebook = load_codebook(codebook) if codebook is not None else load_codebook()
    return codebook.section_skips()


def _unit_section_kind(obj: dict) -> str | None:
    kind = obj.get("section_kind")
    if isinstance(kind, str):
        return kind
    heading = obj.get("section")
    if isinstance(heading, str) and heading.strip():
        from sca.structure.sections import classify_heading

        return classify_heading(heading, standalone=True)
    return None


def read_labelled(path: str | Path, valid_ids: Sequence[str] | None = None, *, agreed: bool = False,
                  skips: dict[str, set[str]] | None = None,
                  ) -> tuple[list[str], list[list[str]], list[str]] | tuple[list[str], list[list[str]], list[str], list[list[str] | None]]:
    """Read ``{"text", "themes"[, "group"]}`` lines -> (texts, labels, groups).

    ``group`` defaults to the line number; clear errors name the file and line. With
    ``agreed=True`` a fourth list holds, for units labelled by two annotators (``themes_a`` and
    ``themes_b``), the themes both gave, and None for the other units. ``skips`` (section kind ->
    theme ids, see :func:`section_skips`) drops the themes the codebook never raises in a unit's
    section, the kind read from its ``section_kind`` or its ``section`` heading.
    """
    path = Path(path)
    texts: list[str] = []
    labels: list[list[str]] = []
    groups: list[str] = []
    both: list[list[str] | None] = []
    valid = set(valid_ids) if valid_ids is not None else None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SCAError(f"{path}: cannot read labelled data ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise SCAError(f"{path}:{n}: not valid JSON ({exc})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not isinstance(obj.get("themes"), list):
            raise SCAError(f"{path}:{n}: each line needs a string 'text' and a list 'themes'")
        if valid is not None:
            bad = [t for t in obj["themes"] if t not in valid]
            if bad:
                raise SCAError(f"{path}:{n}: unknown theme id(s) {bad} for this codebook")
        dropped = skips.get(_unit_section_kind(obj), set()) if skips else set()
        texts.append(obj["text"])
        labels.append([t for t in obj["themes"] if t not in dropped])
        groups.append(str(obj.get("group", f"line{n}")))
        a, b = obj.get("themes_a"), obj.get("themes_b")
        if isinstance(a, list) and isinstance(b, list):
            if valid is not None:
                bad = sorted({str(t) for t in a + b if t not in valid})
                if bad:
                    raise SCAError(f"{path}:{n}: unknown theme id(s) {bad} in themes_a/themes_b for this codebook")
            both.append(sorted((set(a) & set(b)) - dropped))
        else:
            both.append(None)
    if not texts:
        raise SCAError(f"{path}: no labelled sentences found")
    if agreed:
        return texts, labels, groups, both
    return texts, labels, groups


def train(data_path: str | Path, out_dir: str | Path, codebook: Any = None, *, folds: int = 5,
          seed: int = 0, **params: Any) -> ThemeClassifier:
    """Fit a :class:`ThemeClassifier` on ``data_path`` and save it (with CV metrics and a card) to ``out_dir``."""
    ids, version, _ = _codebook_info(codebook)
    # Labels the codebook never raises in their unit's section (context themes in recommendations)
    # are not trained on: the model would learn to raise them there and next to such wording.
    texts, labels, groups, agreed = read_labelled(data_path, ids, agreed=True, skips=section_skips(codebook))
    cb = str(codebook) if isinstance(codebook, (str, os.PathLike)) else codebook
    clf = ThemeClassifier(codebook=cb, cv=folds, random_state=seed, **params).fit(
        texts, labels, groups=groups, threshold_labels=agreed)
    data_hash = file_sha256(Path(data_path))
    save_model(clf, out_dir, training_data_hash=data_hash, training_data=Path(data_path).name)
    write_model_card(clf, out_dir, data_path=data_path)
    return clf


def write_model_card(clf: ThemeClassifier, out_dir: str | Path, data_path: str | Path | None = None,
                     extra: str = "") -> Path:
    """Write MODEL_CARD.md with training data, codebook, CV metrics, limits and date."""
    out_dir = Path(out_dir)
    m = clf.cv_metrics_ or {}
    lines = [
        "# Theme classifier model card",
        "",
        f"- Created: {_dt.date.today().isoformat()}",
        f"- Model: TF-IDF word 1-2 grams (negation-marked) + char_wb 2-5 grams; one logistic regression per theme "
        f"(C={clf.C}, class_weight={clf.class_weight}) and a 'raises any theme' gate damping scores "
        f"(gate_threshold={clf.gate_threshold}); per-theme thresholds from {m.get('folds', '-')}-fold "
        f"out-of-fold probabilities (maximise F1, floor {clf.threshold_floor})"
        + (f", chosen on the {m['threshold_units']} units labelled by two annotators against the themes both gave."
           if m.get("thresholds_on_agreed_labels") else "."),
        f"- Codebook: id {clf.codebook_id_}, version {clf.codebook_version_}, theme ids hash {clf.codebook_hash_}",
        f"- Training data: {Path(data_path).name if data_path else 'in memory'}, {clf.n_train_} sentences, "
        f"{m.get('n_unlabelled', '-')} without a label",
        f"- Fit time (incl. CV): {getattr(clf, 'fit_seconds_', '-')} s",
        "",
        "## Cross-validated metrics (training data)",
        "",
        "| theme | support | threshold | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for t, v in (m.get("per_theme") or {}).items():
        lines.append(f"| {t} | {v['support']} | {v['threshold']:.3f} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    if m:
        mac = m.get("macro", {})
        lines += ["", f"Macro: precision {mac.get('precision', 0):.3f}, recall {mac.get('recall', 0):.3f}, "
                      f"F1 {mac.get('f1', 0):.3f}; false-positive rate on unlabelled sentences {m.get('fpr_unlabelled', 0):.3f}.",
                  "", f"Note: {m.get('note', '')}."]
    if extra:
        lines += ["", extra.rstrip()]
    path = out_dir / MODEL_CARD_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
