"""The committed training data (corpora/training) is consistent with its sources."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

TRAINING = Path(__file__).resolve().parents[1] / "corpora" / "training"


def _load_build():
    sys.path.insert(0, str(TRAINING))
    spec = importlib.util.spec_from_file_location("training_build", TRAINING / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = _load_build()


def test_every_passage_file_has_a_complete_second_annotation():
    rows = [json.loads(line) for line in (TRAINING / "themes.jsonl").open(encoding="utf-8")]
    passages = [r for r in rows if r["source"].startswith("passage:")]
    assert len(passages) >= 3000
    for r in passages:
        assert "themes_a" in r and "themes_b" in r, r["text"]
        assert r["themes"] == sorted(set(r["themes_a"]) | set(r["themes_b"]))
    # the two annotators disagree sometimes (else the second reading adds nothing)
    assert sum(r["themes_a"] != r["themes_b"] for r in passages) > 100
    for path in sorted((TRAINING / "passages").glob("*.txt")):
        assert (TRAINING / "passages" / "second" / path.name).is_file(), path.name


def _one_review(tmp_path: Path, second: str | None) -> Path:
    (tmp_path / "second").mkdir()
    p = tmp_path / "x.txt"
    p.write_text("@doc d1 | review | test\n## Findings\n¶ 1.1\nIS :: The GP was not told.\n"
                 "- :: A strategy meeting was held.\n", encoding="utf-8")
    if second is not None:
        (tmp_path / "second" / "x.txt").write_text(second, encoding="utf-8")
    return p


def test_second_annotation_is_merged_as_the_union(tmp_path):
    p = _one_review(tmp_path, "U0001 :: IS RK\nU0002 :: IA\n")
    rows = build.parse_passages(p)
    build.second_annotation(p, rows)
    assert [r["themes_a"] for r in rows] == [["information_sharing"], []]
    assert [r["themes_b"] for r in rows] == [["information_sharing", "record_keeping"], ["interagency_working"]]
    assert [r["themes"] for r in rows] == [["information_sharing", "record_keeping"], ["interagency_working"]]


@pytest.mark.parametrize("second", ["U0001 :: IS\n", "U0001 :: IS\nU0003 :: -\n", "U0001 :: IS\nU0002 :: XX\n"])
def test_misaligned_or_unknown_second_annotation_is_refused(tmp_path, second):
    p = _one_review(tmp_path, second)
    rows = build.parse_passages(p)
    with pytest.raises(SystemExit):
        build.second_annotation(p, rows)


def test_without_a_second_annotation_labels_are_the_authors(tmp_path):
    p = _one_review(tmp_path, None)
    rows = build.parse_passages(p)
    build.second_annotation(p, rows)
    assert [r["themes"] for r in rows] == [["information_sharing"], []] and "themes_b" not in rows[0]
