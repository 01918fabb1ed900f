"""Every document of the project corpus (corpora/) parsed and checked against its sidecar.

Thresholds rather than perfection for section kinds and titles, where the sidecar's
wording is a judgement (e.g. whether "Terms of reference and methodology" is methodology).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


def _truths():
    out = []
    for f in sorted((CORPORA / "truth").glob("*.json")):
        t = json.loads(f.read_text(encoding="utf-8"))
        if "file" in t and (CORPORA / t["file"]).exists():
            out.append(t)
    return out


TRUTHS = _truths()
pytestmark = pytest.mark.skipif(not TRUTHS, reason="no corpus documents with sidecars yet")


@pytest.fixture(scope="module")
def results():
    from sca.evaluate.parse import evaluate_sidecar

    return {t["id"]: evaluate_sidecar(CORPORA / t["file"], t) for t in TRUTHS}


@pytest.mark.parametrize("truth", TRUTHS, ids=[t["id"] for t in TRUTHS])
def test_document(results, truth):
    r = results[truth["id"]]
    if r["numbered_gold"]:
        share = r["numbered_recovered"] / r["numbered_gold"]
        assert share >= 0.95, [m["number"] for m in r["misses"]][:20]
    assert not r["leaks"], r["leaks"][:5]
    assert r["sections_found"] >= 0.8 * r["sections_gold"], r["kind_errors"]
    assert r["kinds_right"] >= 0.6 * r["sections_gold"], r["kind_errors"]
    assert r["metadata"]["review_type"], (r["predicted"]["review_type"], truth["metadata"].get("review_type"))
    if truth.get("tables") is not None:
        assert r["tables_found"] == truth["tables"]


def test_corpus_totals(results):
    rs = list(results.values())
    gold = sum(r["numbered_gold"] for r in rs)
    assert sum(r["numbered_recovered"] for r in rs) >= 0.98 * gold
    assert sum(r["kinds_right"] for r in rs) >= 0.85 * sum(r["sections_gold"] for r in rs)
    for field, share in (("board", 0.9), ("child_code", 0.8), ("year", 0.8), ("title", 0.6), ("author", 0.6)):
        scored = [r["metadata"][field] for r in rs if r["metadata"][field] is not None]
        assert sum(bool(x) for x in scored) >= share * len(scored), (
            field, [(r["doc_id"], r["predicted"][field]) for r in rs if r["metadata"][field] is False])
