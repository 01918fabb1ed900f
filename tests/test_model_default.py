"""The committed default model (models/default) loads and tags hand-written sentences sensibly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sca.themes.model import default_model_dir, load_default_model

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (REPO / "models" / "default" / "manifest.json").is_file(),
                                reason="no default model committed")


@pytest.fixture(scope="module")
def clf():
    return load_default_model()


def test_default_dir_resolution(monkeypatch, tmp_path):
    assert default_model_dir() == REPO / "models" / "default"
    monkeypatch.setenv("SCA_MODEL_DIR", str(tmp_path))
    assert default_model_dir() == tmp_path


def test_manifest_matches_codebook(clf):
    from sca.themes.codebook import load_codebook

    cb = load_codebook()
    manifest = json.loads((REPO / "models" / "default" / "manifest.json").read_text())
    assert manifest["codebook_version"] == cb.version
    assert clf.themes_ == list(cb.ids)
    assert (REPO / "models" / "default" / "model.skops").stat().st_size < 20_000_000


@pytest.mark.parametrize("text,theme", [
    ("The community nurse's concerns about the baby were never passed on to the GP or the social worker.", "information_sharing"),
    ("Nobody sat down with the boy to ask him how things were at home.", "voice_of_child"),
    ("The stepfather was living in the house, but no agency carried out any checks on him.", "hidden_men"),
    ("The toddler was repeatedly not brought to her hospital appointments and the clinic simply discharged her.", "missed_appointments"),
    ("Father hit Mother in front of the children on several occasions.", "domestic_abuse"),
    ("The social worker's caseload was far too high and the team had several vacancies.", "workload_resources"),
])
def test_default_model_tags_hand_sentences(clf, text, theme):
    assert theme in clf.predict([text])[0]


@pytest.mark.parametrize("text", [
    "The initial child protection conference took place on 9 April.",
    "The review panel met four times between January and June.",
    "The health visitor shared her observations with the GP on the same afternoon.",
])
def test_default_model_leaves_neutral_sentences(clf, text):
    assert clf.predict([text])[0] == []
