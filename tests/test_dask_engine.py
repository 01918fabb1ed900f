"""The Dask engine on a real LocalCluster gives the same outputs as the process engine."""

import filecmp
import sys

import pytest

pytest.importorskip("distributed")

import corpus_fakes  # noqa: E402
from sca.corpus import Corpus  # noqa: E402

COMPARED = ["documents.csv", "mentions.csv", "review_themes.csv", "theme_frequencies.csv",
            "frequencies_by_year.csv", "frequencies_by_review_type.csv", "frequencies_by_board.csv",
            "cooccurrence.csv", "events.csv", "missed_opportunities.csv", "errors.csv"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                      worker_dashboard_address=None) as lc, Client(lc) as client:
        # worker processes must import the fakes module from tests/
        client.run(lambda p=str(corpus_fakes.__file__).rsplit("/", 1)[0]: sys.path.insert(0, p))
        yield lc, client


def folder(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    texts = {
        "a.txt": "year: 2019\ntype: SCR\n\ninformation_sharing and hidden_men. neglect.\n\n2019-03-04 police visited.",
        "b.txt": "year: 2021\ntype: LCSPR\n\ninformation_sharing. domestic_abuse.",
        "c.md": "year: 2021\n\nrisk_recognition and neglect.",
        "bad.txt": "BAD",
        "spin.txt": "SPIN",
    }
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_dask_engine_matches_the_process_engine(tmp_path, cluster):
    lc, client = cluster
    root = folder(tmp_path)
    local = Corpus.from_folder(root).tag(jobs=1, timeout=0.5, pipeline=corpus_fakes.fake_pipeline)
    local.write(tmp_path / "local", report=False)
    dask = Corpus.from_folder(root).tag(engine="dask", scheduler=lc.scheduler_address, timeout=0.5,
                                        pipeline=corpus_fakes.fake_pipeline)
    dask.write(tmp_path / "dask", report=False)
    status = dask.documents.set_index("doc_id")["status"].to_dict()
    assert status == {"a": "ok", "b": "ok", "bad": "error", "c": "ok", "spin": "timeout"}
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "local", tmp_path / "dask", COMPARED, shallow=False)
    assert mismatch == [] and errors == []
    assert len(dask.mentions) > 0


def test_dask_engine_accepts_an_existing_client(tmp_path, cluster):
    _, client = cluster
    root = folder(tmp_path)
    c = Corpus.from_folder(root).tag(engine="dask", client=client, timeout=0.5, pipeline=corpus_fakes.fake_pipeline)
    assert (c.documents["status"] == "ok").sum() == 3
    assert client.status == "running"  # not closed by the corpus


def test_dask_engine_with_the_real_pipeline_matches_the_process_engine(tmp_path, cluster):
    try:
        import sca

        sca.read, sca.ThemeTagger, sca.extract_events
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"pipeline incomplete: {exc}")
    lc, _ = cluster
    root = tmp_path / "in"
    root.mkdir()
    (root / "review.txt").write_text(
        "Serious Case Review: Child Q\n\nEastmoor Safeguarding Children Board\n\n"
        "1. Summary of events\n\n"
        "1.1 On 3 March 2019 the health visitor visited the family at home and saw bruising on the baby.\n\n"
        "1.2 On 9 March 2019 the GP saw the baby; the bruising was not recognised as a sign of possible abuse.\n\n"
        "2. Analysis\n\n"
        "2.1 The information was not shared with children's social care and no strategy discussion was held.\n\n"
        "2.2 Little was known about the mother's partner, who was never assessed.\n",
        encoding="utf-8")
    (root / "empty.pdf").write_bytes(b"")
    local = Corpus.from_folder(root).tag(engine="serial", timeout=120)  # same execute() as the process engine
    local.write(tmp_path / "local", report=False)
    dask = Corpus.from_folder(root).tag(engine="dask", scheduler=lc.scheduler_address, timeout=120)
    dask.write(tmp_path / "dask", report=False)
    assert (dask.documents["status"] == "ok").sum() == 1 and len(dask.mentions) > 0
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "local", tmp_path / "dask", COMPARED, shallow=False)
    assert mismatch == [] and errors == []
    graphs = sorted(p.name for p in (tmp_path / "dask" / "graphs").iterdir())
    assert graphs == sorted(p.name for p in (tmp_path / "local" / "graphs").iterdir()) and len(graphs) == 1
