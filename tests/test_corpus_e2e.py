"""``sca tag`` with the real pipeline (read, themes, events, graphs) on real files."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BROKEN = SHARED / "eval" / "broken"


def _pipeline_available():
    try:
        import sca

        sca.read, sca.ThemeTagger, sca.extract_events, sca.missed_opportunities, sca.contact_graph
        from sca.themes.codebook import load_codebook

        load_codebook()
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    return None


pytestmark = pytest.mark.skipif(_pipeline_available() is not None, reason=f"pipeline incomplete: {_pipeline_available()}")


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """The repo's own fictional reviews (two) plus the hostile files when ../shared is present."""
    from sca.corpus import Corpus

    root = tmp_path_factory.mktemp("in")
    docs = sorted((REPO / "corpora" / "docs").glob("*"))[:2]
    if not docs:
        pytest.skip("no corpora/docs")
    for d in docs:
        shutil.copy(d, root / d.name)
    if BROKEN.is_dir():
        (root / "broken").mkdir()
        for f in BROKEN.iterdir():
            if f.name != "expected.json":
                shutil.copy(f, root / "broken" / f.name)
    out = tmp_path_factory.mktemp("out")
    corpus = Corpus.from_folder(root).tag(engine="serial", timeout=120, cache_dir=out / ".cache")
    corpus.write(out, report=False)
    return corpus, out, [d.stem for d in docs]


def test_reviews_are_tagged_with_provenance(tagged):
    corpus, out, ids = tagged
    docs = pd.read_csv(out / "documents.csv").set_index("doc_id")
    for i in ids:
        assert docs.loc[i, "status"] == "ok", docs.loc[i, "error"]
        assert docs.loc[i, "words"] > 100
    m = pd.read_parquet(out / "mentions.parquet")
    assert len(m) > 0 and set(m["doc_id"]) <= set(docs.index)
    assert m["sentence"].str.len().gt(0).all() and m["theme"].notna().all()
    for i in ids:
        assert (out / "graphs" / f"{i}.graphml").is_file()


def test_frequencies_cover_every_codebook_theme(tagged):
    from sca.themes.codebook import load_codebook

    _, out, _ = tagged
    cb = load_codebook()
    freq = pd.read_csv(out / "theme_frequencies.csv")
    assert set(freq["theme"]) >= set(cb.ids)
    assert {"practice", "context"} <= set(freq["family"])
    assert freq["reviews"].max() >= 1


@pytest.mark.skipif(not BROKEN.is_dir(), reason="../shared/eval/broken not present")
def test_hostile_files_end_up_in_errors_with_their_reason(tagged):
    corpus, out, _ = tagged
    expected = json.loads((BROKEN / "expected.json").read_text())
    docs = pd.read_csv(out / "documents.csv")
    docs["name"] = docs["path"].map(lambda p: Path(p).name)
    status = dict(zip(docs["name"], docs["status"]))
    for name, want in expected.items():
        assert status[name] == want, (name, status[name])
    errors = pd.read_csv(out / "errors.csv")
    assert len(errors) == sum(1 for v in expected.values() if v == "error")
    assert errors["reason"].notna().all() and (errors["reason"] != "pipeline_error").all()
    assert errors["error"].str.len().gt(10).all()


def test_events_keep_child_seen_as_yes_no_unknown(tagged):
    # child_seen is three-valued; a boolean cast would turn "no" and "unknown" into True
    corpus, out, ids = tagged
    assert len(corpus.events) > 0
    assert set(corpus.events["child_seen"].dropna()) <= {"yes", "no", "unknown"}
    assert {"yes", "no"} <= set(corpus.events["child_seen"].dropna())
    written = pd.read_csv(out / "events.csv")
    assert set(written["child_seen"].dropna()) <= {"yes", "no", "unknown"}
