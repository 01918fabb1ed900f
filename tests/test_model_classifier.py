"""ThemeClassifier: shapes, learning, negation marking, save/load round trip and refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from sca.errors import ModelLoadError
from sca.hashing import file_sha256
from sca.themes import model as M
from sca.themes.model import ThemeClassifier, load_model, negation_preprocess, save_model

THEMES = ["information_sharing", "voice_of_child", "neglect"]

POS_IS = [
    "The GP was not told about the referral.", "The school did not inform the health visitor.",
    "Information was not shared with the police.", "The midwife's worries never reached the health visitor.",
    "The nursery was unaware of the plan.", "No notification was sent to the school.",
    "The hospital did not pass the concerns to the GP.", "The police did not share the incident with the school.",
]
POS_VC = [
    "The child was not seen alone.", "Nobody spoke to the girl on her own.", "The boy was never asked about home.",
    "The children's views were not sought.", "The baby was not seen at the visit.", "The focus was on the adults, not the child.",
    "The child's wishes were not recorded.", "The girl was never spoken to alone.",
]
POS_NG = [
    "The children were hungry and dirty.", "There was no food in the house.", "The baby had severe nappy rash.",
    "The home conditions were squalid.", "The toddler was left alone for hours.", "The children's teeth were decayed.",
    "The children slept on a bare mattress.", "The boy arrived at school unwashed and hungry.",
]
NEG = [
    "A strategy meeting was held on 3 May.", "Information was shared promptly with the GP.",
    "The child was seen alone and said she was happy.", "The home was clean and tidy.",
    "The review was commissioned by the partnership.", "The family moved house in 2019.",
    "The school telephoned the social worker.", "The GP saw the child for a cough.",
]


class FakeCodebook:
    def __init__(self, ids, version="test-1"):
        self.ids = list(ids)
        self.version = version
        self.id = "test-codebook"


def _data():
    texts = POS_IS + POS_VC + POS_NG + NEG
    labels = [["information_sharing"]] * 8 + [["voice_of_child"]] * 8 + [["neglect"]] * 8 + [[]] * 8
    return texts, labels


@pytest.fixture(scope="module")
def fitted():
    texts, labels = _data()
    return ThemeClassifier(codebook=FakeCodebook(THEMES), cv=3, C=10).fit(texts, labels)


def test_negation_marking():
    out = negation_preprocess("Information was not shared with the GP, but the school knew.")
    assert "neg_shared" in out.split()
    assert "school" in out.split() and "neg_school" not in out
    assert negation_preprocess("Seen on 12/03/2019") == "seen on 00 00 0000"


def test_fit_predict_shapes(fitted):
    texts = ["The health visitor was not told.", "A meeting was held.", "The children were hungry."]
    P = fitted.predict_proba(texts)
    assert P.shape == (3, len(THEMES))
    assert ((P >= 0) & (P <= 1)).all()
    pred = fitted.predict(texts)
    assert isinstance(pred, list) and len(pred) == 3 and all(isinstance(p, list) for p in pred)
    assert fitted.themes_ == THEMES
    assert set(fitted.thresholds_) == set(THEMES)
    assert fitted.codebook_version_ == "test-1"
    assert set(fitted.cv_metrics_["per_theme"]) == set(THEMES)
    assert fitted.predict_proba([]).shape == (0, len(THEMES))


def test_learns_something(fitted):
    P = fitted.predict_proba(["The school did not tell the GP about the concerns.", "The girl was not seen alone."])
    j_is, j_vc = THEMES.index("information_sharing"), THEMES.index("voice_of_child")
    assert P[0, j_is] > P[0, j_vc]
    assert P[1, j_vc] > P[1, j_is]


def test_binary_matrix_labels_and_bad_label():
    texts, labels = _data()
    Y = np.array([[t in lab for t in THEMES] for lab in labels], dtype=int)
    clf = ThemeClassifier(themes=THEMES, cv=0).fit(texts, Y)
    assert clf.predict_proba(texts[:2]).shape == (2, 3)
    with pytest.raises(ValueError, match="not a theme"):
        ThemeClassifier(themes=THEMES, cv=0).fit(texts, labels[:-1] + [["no_such_theme"]])


def test_save_load_round_trip(fitted, tmp_path):
    save_model(fitted, tmp_path / "m", training_data_hash="abc")
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert manifest["codebook_version"] == "test-1" and manifest["sha256"]
    assert (tmp_path / "m" / "cv_metrics.json").is_file()
    clf = load_model(tmp_path / "m", codebook=FakeCodebook(THEMES))
    texts = ["The GP was not informed.", "The child was never seen alone."]
    np.testing.assert_allclose(clf.predict_proba(texts), fitted.predict_proba(texts), rtol=1e-6)
    assert clf.predict(texts) == fitted.predict(texts)
    assert clf.thresholds_ == fitted.thresholds_


def test_tampered_file_refused(fitted, tmp_path):
    d = tmp_path / "m"
    save_model(fitted, d)
    data = bytearray((d / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / "model.skops").write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="sha256"):
        load_model(d, codebook=FakeCodebook(THEMES))


class Foreign:  # a type no sca model contains
    def __init__(self):
        self.payload = [1, 2, 3]


def test_foreign_type_refused_not_executed(fitted, tmp_path):
    import skops.io as sio

    d = tmp_path / "m"
    save_model(fitted, d)
    # Replace the model file with one holding an object of an unknown class and make the
    # manifest's hash match, so that only the type check can stop it.
    sio.dump({"model": Foreign()}, d / "model.skops")
    manifest = json.loads((d / "manifest.json").read_text())
    manifest["sha256"] = file_sha256(d / "model.skops")
    (d / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match="allow-list") as exc:
        load_model(d, codebook=FakeCodebook(THEMES))
    assert "Foreign" in str(exc.value)


def test_codebook_version_mismatch_refused(fitted, tmp_path):
    save_model(fitted, tmp_path / "m")
    with pytest.raises(ModelLoadError) as exc:
        load_model(tmp_path / "m", codebook=FakeCodebook(THEMES, version="test-2"))
    msg = str(exc.value)
    assert "test-1" in msg and "test-2" in msg
    with pytest.raises(ModelLoadError, match="theme ids"):
        load_model(tmp_path / "m", codebook=FakeCodebook(THEMES + ["extra"], version="test-1"))


def test_not_a_model_dir(tmp_path):
    with pytest.raises(ModelLoadError, match="manifest"):
        load_model(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "something-else"}')
    with pytest.raises(ModelLoadError, match="not an sca theme model"):
        load_model(tmp_path)


def test_read_labelled_errors(tmp_path):
    from sca.errors import SCAError

    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "x", "themes": ["information_sharing"]}\n{"text": 3}\n')
    with pytest.raises(SCAError, match=r"bad.jsonl:2"):
        M.read_labelled(p)
    p.write_text('{"text": "x", "themes": ["nope"]}\n')
    with pytest.raises(SCAError, match="unknown theme"):
        M.read_labelled(p, THEMES)


def test_fast_reader_matches_skops(fitted, tmp_path):
    import skops.io as sio

    save_model(fitted, tmp_path / "m")
    fast = M._fast_read(tmp_path / "m" / "model.skops")
    slow = sio.load(tmp_path / "m" / "model.skops", trusted=M.TRUSTED_TYPES)
    texts = ["The GP was not informed.", "A meeting was held."]
    np.testing.assert_array_equal(fast.predict_proba(texts), slow.predict_proba(texts))
    assert fast.thresholds_ == slow.thresholds_ and fast.themes_ == slow.themes_


def test_foreign_object_inside_classifier_refused(fitted, tmp_path):
    """A ThemeClassifier carrying an unknown object is not read by the fast path and is refused."""
    d = tmp_path / "m"
    clf = ThemeClassifier(codebook=None)
    clf.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
    clf.extra_ = Foreign()
    clf.codebook_version_ = fitted.codebook_version_
    save_model(clf, d)
    with pytest.raises(ModelLoadError, match="Foreign"):
        load_model(d, codebook=FakeCodebook(THEMES))


def test_cached_char_ngrams_give_the_vectoriser_matrix(fitted, tmp_path):
    """The per-word n-gram cache used for prediction builds exactly sklearn's matrix."""
    texts = list(_data()[0]) + [
        "", "   ", "Ünïcode – ‘curly’ quotes, 42 digits\tand\n\nodd   spacing", "a", "I.", "x" * 40,
        "The health visitor was NOT told; the GP was.",
    ]
    save_model(fitted, tmp_path / "m")
    for clf in (fitted, load_model(tmp_path / "m", check_codebook=False)):
        for _ in range(2):  # cold, then warm cache
            a = clf.vectorizer_.transform(texts)
            b = clf._transform(texts)
            assert a.shape == b.shape
            assert abs(a - b).max() == 0
    assert "_char_counter" not in fitted.__getstate__()


def test_thresholds_can_be_chosen_on_agreed_labels():
    """threshold_labels: thresholds (and the CV figures) come from the units that have them."""
    texts, labels = _data()
    cb = FakeCodebook(THEMES)
    plain = ThemeClassifier(codebook=cb, cv=3, C=10).fit(texts, labels)
    # Two annotators on half the units; they agree on the labels of the first four of each theme.
    agreed = [None] * len(texts)
    for start in (0, 8, 16, 24):
        for i in range(start, start + 4):
            agreed[i] = labels[i]
    strict = ThemeClassifier(codebook=cb, cv=3, C=10).fit(texts, labels, threshold_labels=agreed)
    m = strict.cv_metrics_
    assert m["threshold_units"] == 16 and sorted(m["thresholds_on_agreed_labels"]) == sorted(THEMES)
    assert all(v["support"] == 4 for v in m["per_theme"].values())  # scored on the agreed units only
    assert plain.cv_metrics_["threshold_units"] == len(texts) and plain.cv_metrics_["thresholds_on_agreed_labels"] == []
    assert all(v["support"] == 8 for v in plain.cv_metrics_["per_theme"].values())
    # The fitted weights are the same: only the thresholds are chosen differently.
    np.testing.assert_allclose(plain.raw_proba(texts), strict.raw_proba(texts), atol=1e-3)  # liblinear jitter
    # All None is the same as not passing them; a wrong length is refused.
    none = ThemeClassifier(codebook=cb, cv=3, C=10).fit(texts, labels, threshold_labels=[None] * len(texts))
    assert none.thresholds_ == plain.thresholds_
    with pytest.raises(ValueError):
        ThemeClassifier(codebook=cb, cv=3, C=10).fit(texts, labels, threshold_labels=agreed[:-1])


def test_read_labelled_agreed_labels(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in [
        {"text": "a", "themes": ["neglect", "voice_of_child"], "themes_a": ["neglect"], "themes_b": ["neglect", "voice_of_child"]},
        {"text": "b", "themes": ["neglect"]},
    ]) + "\n", encoding="utf-8")
    assert len(M.read_labelled(p)) == 3
    texts, labels, groups, agreed = M.read_labelled(p, agreed=True)
    assert agreed == [["neglect"], None] and labels[0] == ["neglect", "voice_of_child"]


def test_read_labelled_drops_themes_the_codebook_skips_in_the_section(tmp_path):
    """sca train does not teach the model a context theme in recommendations (the codebook skips it)."""
    skips = M.section_skips()
    assert skips["recommendations"] == {"domestic_abuse", "parental_mental_health",
                                        "parental_substance_misuse", "neglect"}
    p = tmp_path / "d.jsonl"
    row = {"text": "Police should share every domestic abuse notification with the health visitor.",
           "themes": ["domestic_abuse", "information_sharing"], "themes_a": ["domestic_abuse", "information_sharing"],
           "themes_b": ["domestic_abuse", "information_sharing"]}
    p.write_text("\n".join(json.dumps(r) for r in [
        {**row, "section": "8. Recommendations"}, {**row, "section_kind": "recommendations"},
        {**row, "section": "5. Findings"}, row,
    ]) + "\n", encoding="utf-8")
    _, labels, _, agreed = M.read_labelled(p, agreed=True, skips=skips)
    assert labels[0] == labels[1] == agreed[0] == agreed[1] == ["information_sharing"]
    assert labels[2] == labels[3] == agreed[3] == ["domestic_abuse", "information_sharing"]
    assert M.read_labelled(p)[1][0] == ["domestic_abuse", "information_sharing"]  # no skips: kept
