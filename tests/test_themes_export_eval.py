"""REFI-QDA export, Cohen's kappa, and the `sca evaluate themes` / `sca kappa` commands."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from sca.cli.main import cli
from sca.themes.agreement import cohen_kappa, kappa_files, kappa_per_theme
from sca.themes.codebook import load_codebook
from sca.themes.qdc import QDC_NAMESPACE, codebook_to_qdc

SHARED = Path(__file__).resolve().parents[2] / "shared"
NS = {"q": QDC_NAMESPACE}


def test_qdc_is_valid_xml_with_refi_namespace_and_every_code(tmp_path):
    out = tmp_path / "codebook.qdc"
    res = CliRunner().invoke(cli, ["codebook", "export", "--qdc", str(out)])
    assert res.exit_code == 0, res.output
    root = ET.parse(out).getroot()
    assert root.tag == f"{{{QDC_NAMESPACE}}}CodeBook"
    codes = root.findall(".//q:Code", NS)
    codable = [c for c in codes if c.get("isCodable") == "true"]
    cb = load_codebook()
    assert sorted(c.get("name") for c in codable) == sorted(t.label for t in cb.themes)
    assert {c.get("name") for c in codes if c.get("isCodable") == "false"} == {"practice", "context"}
    guids = [c.get("guid") for c in codes]
    assert len(set(guids)) == len(guids)
    for c in codable:
        assert c.find("q:Description", NS).text.strip()
    assert codebook_to_qdc(cb) == out.read_text(encoding="utf-8")  # stable guids


def test_kappa_against_hand_computed_value():
    # 10 units: both yes 3, A only 1, B only 1, both no 5.
    a = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    b = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    # po = 0.8; pe = 0.4*0.4 + 0.6*0.6 = 0.52; kappa = (0.8-0.52)/(0.48) = 0.5833...
    assert cohen_kappa(a, b) == pytest.approx(0.28 / 0.48)
    assert cohen_kappa([1, 0, 1], [1, 0, 1]) == 1.0
    assert cohen_kappa([0, 0], [0, 0]) == 1.0
    df = kappa_per_theme([["x"], ["x", "y"], []], [["x"], ["x"], ["y"]])
    assert list(df["theme"]) == ["x", "y"]
    assert df.set_index("theme").loc["x", "kappa"] == 1.0


def _write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_kappa_files_match_on_unit_id_and_cli(tmp_path):
    a = _write_jsonl(tmp_path / "a.jsonl", [{"unit_id": i, "themes": ["neglect"] if i < 4 else []} for i in range(10)])
    b_rows = [{"unit_id": i, "themes": ["neglect"] if i in (0, 1, 2, 4) else []} for i in range(10)]
    b = _write_jsonl(tmp_path / "b.jsonl", list(reversed(b_rows)))
    df = kappa_files(a, b)
    assert df.set_index("theme").loc["neglect", "kappa"] == pytest.approx(0.28 / 0.48)
    for args in (["kappa", str(a), str(b)], ["evaluate", "kappa", str(a), str(b), "--json", str(tmp_path / "k.json")]):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0, res.output
        assert "neglect" in res.output and "0.583" in res.output
    assert json.loads((tmp_path / "k.json").read_text())["per_theme"]["neglect"]["kappa"] == pytest.approx(0.5833, abs=1e-3)


def test_evaluate_themes_cli_prints_and_writes_json(tmp_path):
    gold = _write_jsonl(tmp_path / "gold.jsonl", [
        {"text": "There was no evidence of information sharing.", "themes": ["information_sharing"]},
        {"text": "The child was not seen alone at any visit.", "themes": ["voice_of_child"]},
        {"text": "A strategy meeting was held on 3 May.", "themes": []},
        {"text": "The police attended a domestic incident at the home.", "themes": []},
        {"text": "The assessment was thorough.", "themes": ["assessment_quality"]},
    ])
    out = tmp_path / "scores.json"
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(gold), "--method", "rules", "--json", str(out)])
    assert res.exit_code == 0, res.output
    for word in ("precision", "recall", "f1", "support", "micro average", "macro average", "false-positive rate"):
        assert word in res.output
    data = json.loads(out.read_text())
    assert data["units"] == 5 and data["gold_empty_units"] == 2
    assert data["false_positive_rate"] == pytest.approx(0.5)  # the domestic incident
    info = data["per_theme"]["information_sharing"]
    assert (info["tp"], info["fp"], info["fn"], info["support"]) == (1, 0, 0, 1)
    assert data["per_theme"]["assessment_quality"]["recall"] == 0.0
    assert data["method"] == "rules"
    assert 0 < data["macro"]["f1"] < 1


def test_evaluate_themes_reports_bad_gold_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "themes": ["information_sharing"]}\n{"text": "y"}\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(bad)])
    assert res.exit_code != 0
    assert "bad.jsonl:2" in res.output and "themes" in res.output
    unknown = _write_jsonl(tmp_path / "u.jsonl", [{"text": "x", "themes": ["no_such_theme"]}])
    res = CliRunner().invoke(cli, ["evaluate", "themes", str(unknown)])
    assert res.exit_code != 0 and "no_such_theme" in res.output


@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "themes.jsonl").is_file(), reason="shared eval data not present")
def test_rules_on_shared_dev_set_keep_false_positives_low():
    from sca.evaluate.themes import evaluate_themes

    result = evaluate_themes(SHARED / "eval" / "dev" / "themes.jsonl", method="rules")
    assert result["false_positive_rate"] <= 0.05
    assert result["macro"]["f1"] >= 0.53
