"""CLI and end-to-end checks for events (the shared eval set is optional and skipped when absent)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sca.cli.main import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = REPO / "corpora"

REVIEW = """Serious Case Review: Child A

1. Introduction

1.1 This review concerns Child A, who was born on 3 March 2015.

2. Summary of events

2.1 On 21st April 2015 the health visitor visited Mother at home and saw Child A. No concerns were recorded.

2.2 On 3 June 2015 Child A was taken to the emergency department with a bruise to his cheek. The registrar accepted the explanation and no referral was made.

2.3 On 10 June 2015 the GP saw Mother about low mood.

3. Analysis

3.1 The response on 3 June 2015 should have included a referral.
"""


@pytest.fixture
def review_file(tmp_path):
    p = tmp_path / "childa.txt"
    p.write_text(REVIEW, encoding="utf-8")
    return p


def test_events_command_csv(review_file, tmp_path):
    out = tmp_path / "ev.csv"
    res = CliRunner().invoke(cli, ["events", str(review_file), "--csv", str(out), "--missed"])
    assert res.exit_code == 0, res.output
    import pandas as pd

    ev = pd.read_csv(out)
    assert list(ev["date"]) == ["2015-04-21", "2015-06-03", "2015-06-10"]
    assert list(ev["agency"]) == ["health_visiting", "emergency_department", "gp"]
    assert "recorded_no_action" in res.output


def test_graph_command(review_file, tmp_path):
    out = tmp_path / "g"
    res = CliRunner().invoke(cli, ["graph", str(review_file), "--out", str(out), "--format", "graphml", "--png"])
    assert res.exit_code == 0, res.output
    assert (out / "childa.graphml").exists() and (out / "childa.timeline.png").exists() and (out / "childa.network.png").exists()
    assert not (out / "childa.gexf").exists()


def test_events_command_missing_file(tmp_path):
    res = CliRunner().invoke(cli, ["events", str(tmp_path / "nope.pdf")])
    assert res.exit_code != 0 and "nope.pdf" in res.output


def _gold_dir(tmp_path, truth: Path, ids):
    g = tmp_path / "gold"
    g.mkdir()
    for i in ids:
        (g / f"{i}.jsonl").write_text((truth / f"{i}.events.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    return g


@pytest.mark.skipif(not (CORPORA / "truth").exists(), reason="project corpus not present")
def test_evaluate_on_project_corpus(tmp_path):
    from sca.evaluate.events import evaluate_events

    ids = [i for i in ("c14",) if (CORPORA / "truth" / f"{i}.events.jsonl").exists()]
    if not ids:
        pytest.skip("corpus gold events not present")
    rep = evaluate_events(CORPORA / "docs", _gold_dir(tmp_path, CORPORA / "truth", ids))
    assert rep["summary"]["f1"] >= 0.7, rep["per_document"]
    assert rep["field_accuracy"]["counterpart"] >= 0.5


@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "events").exists(), reason="shared evaluation set not present")
def test_evaluate_cli_on_shared_dev(tmp_path):
    docs = tmp_path / "docs"
    gold = tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    for i in ("r11", "r18"):
        src = next((SHARED / "eval" / "dev" / "docs").glob(f"{i}.*"))
        (docs / src.name).write_bytes(src.read_bytes())
        (gold / f"{i}.jsonl").write_bytes((SHARED / "eval" / "dev" / "events" / f"{i}.jsonl").read_bytes())
    out = tmp_path / "rep.json"
    res = CliRunner().invoke(cli, ["evaluate", "events", "--docs", str(docs), "--gold", str(gold), "--json", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads(out.read_text())
    per = {r["doc_id"]: r for r in rep["per_document"]}
    assert per["r18"]["pred"] == 0  # guidance: no events
    assert per["r11"]["f1"] >= 0.7


def test_events_command_unreadable_file_names_it(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"garbage\x00\x01")
    res = CliRunner().invoke(cli, ["events", str(bad)])
    assert res.exit_code != 0 and "broken.pdf" in res.output and "Traceback" not in res.output
