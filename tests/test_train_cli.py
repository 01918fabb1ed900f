"""`sca train` on a small labelled sample, and the Python train() equivalent."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sca.cli.main import cli
from sca.themes.model import load_model

SAMPLE = [
    ("The GP was not told about the referral.", ["information_sharing"]),
    ("The school did not inform the health visitor of the concerns.", ["information_sharing"]),
    ("The police did not pass the incident to the school.", ["information_sharing"]),
    ("No notification was sent to the health visitor.", ["information_sharing"]),
    ("The nursery was never made aware of the plan.", ["information_sharing"]),
    ("The hospital did not share the discharge summary with the GP.", ["information_sharing"]),
    ("The child was not seen alone.", ["voice_of_child"]),
    ("Nobody asked the boy what life was like at home.", ["voice_of_child"]),
    ("The girl was never spoken to on her own.", ["voice_of_child"]),
    ("The children's views were not recorded.", ["voice_of_child"]),
    ("The baby was not seen during the visit.", ["voice_of_child"]),
    ("The focus was on the parents rather than the children.", ["voice_of_child"]),
    ("A strategy meeting was held on 3 May.", []),
    ("Information was shared promptly with the GP.", []),
    ("The review was commissioned by the partnership.", []),
    ("The child was seen alone and said she was happy.", []),
    ("The family moved house in 2019.", []),
    ("The GP saw the child with a cough.", []),
]


@pytest.fixture()
def sample(tmp_path):
    p = tmp_path / "labelled.jsonl"
    p.write_text("\n".join(json.dumps({"text": t, "themes": th}) for t, th in SAMPLE) + "\n", encoding="utf-8")
    return p


def test_sca_train_cli(sample, tmp_path):
    out = tmp_path / "models" / "small"
    result = CliRunner().invoke(cli, ["train", "--data", str(sample), "--out", str(out), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "Trained on 18 sentences" in result.output
    for name in ("model.skops", "manifest.json", "cv_metrics.json", "MODEL_CARD.md"):
        assert (out / name).is_file(), name
    metrics = json.loads((out / "cv_metrics.json").read_text())
    assert metrics["folds"] == 3
    assert metrics["per_theme"]["information_sharing"]["support"] == 6
    assert "information_sharing" in (out / "MODEL_CARD.md").read_text()
    clf = load_model(out)
    assert clf.predict_proba(["The school did not tell the GP."]).shape == (1, len(clf.themes_))


def test_sca_train_bad_label_is_clear(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "Something.", "themes": ["not_a_theme"]}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(p), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "bad.jsonl:1" in result.output and "not_a_theme" in result.output


def test_sca_train_chooses_thresholds_on_two_annotators_agreement(tmp_path):
    """Units with themes_a and themes_b: thresholds come from the themes both annotators gave."""
    p = tmp_path / "two.jsonl"
    rows = []
    for i, (t, th) in enumerate(SAMPLE):
        r = {"text": t, "themes": th}
        if i % 2 == 0:  # every other unit was labelled by two annotators who agreed
            r.update(themes_a=th, themes_b=th)
        rows.append(r)
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "m"
    result = CliRunner().invoke(cli, ["train", "--data", str(p), "--out", str(out), "--folds", "3"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "cv_metrics.json").read_text())
    assert metrics["threshold_units"] == 9
    assert sorted(metrics["thresholds_on_agreed_labels"]) == ["information_sharing", "voice_of_child"]
    assert metrics["per_theme"]["information_sharing"]["support"] == 3
    assert "labelled by two annotators" in (out / "MODEL_CARD.md").read_text()


def test_sca_train_bad_second_annotator_label_is_clear(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "A.", "themes": []}\n'
                 '{"text": "Something.", "themes": ["neglect"], "themes_a": ["neglect"], "themes_b": ["negelct"]}\n',
                 encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(p), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "bad.jsonl:2" in result.output and "negelct" in result.output
    assert not (tmp_path / "o").exists()
