"""Parse accuracy on the shared evaluation set (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
EVAL = SHARED / "eval"

pytestmark = pytest.mark.skipif(not (EVAL / "dev" / "docs").is_dir(), reason="shared evaluation data not present")


@pytest.fixture(scope="module")
def result():
    from sca.evaluate.parse import evaluate_parse

    broken = EVAL / "broken" if (EVAL / "broken" / "expected.json").exists() else None
    return evaluate_parse(EVAL / "dev" / "docs", EVAL / "dev" / "source", EVAL / "dev" / "meta", broken)


def test_numbered_paragraphs_recovered(result):
    assert result["summary"]["numbered_share"] >= 0.98, result["misses"].head(20).to_string()


def test_every_body_paragraph_recovered(result):
    assert result["summary"]["all_paragraphs_share"] >= 0.95


def test_no_header_footer_leaks(result):
    assert result["summary"]["leaks"] == 0, result["leaks"].head(20).to_string()


def test_metadata_mostly_right(result):
    s = result["summary"]
    assert s["metadata_right"] >= 0.8 * s["metadata_scored"]
    md = result["metadata"]
    for field in ("board", "review_type", "child_code"):
        rows = md[(md.field == field) & md.right.notna()]
        assert rows.right.astype(bool).mean() >= 0.8, rows.to_string()


def test_broken_files_handled_as_expected(result):
    if result["broken"] is None:
        pytest.skip("no broken/expected.json")
    bad = result["broken"][~result["broken"]["ok"]]
    assert bad.empty, bad.to_string()
