"""Corpus.from_folder(...).tag(...): tables, cache, resume, outputs (fake pipeline)."""

import json

import pandas as pd
import pytest

import corpus_fakes
from sca.corpus import Corpus, discover
from sca.corpus.atomic import write_text_atomic


def make_folder(root):
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "r1.txt").write_text("year: 2019\ntype: SCR\nboard: North\n\ninformation_sharing and hidden_men. neglect.\n\n"
                                 "2019-03-04 police visited, concern. 2019-03-09 health visited.", encoding="utf-8")
    (root / "sub" / "r2.md").write_text("year: 2021\ntype: LCSPR\nboard: South\n\ninformation_sharing. "
                                        "hidden_men NOT.", encoding="utf-8")
    (root / "sub" / "r1.txt").write_text("year: 2021\n\nrisk_recognition.", encoding="utf-8")  # clashing stem
    (root / "broken.txt").write_text("BAD", encoding="utf-8")
    (root / "notes.csv").write_text("ignored", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("ignored", encoding="utf-8")
    return root


def test_discover_is_recursive_sorted_and_skips_hidden_and_excluded(tmp_path):
    root = make_folder(tmp_path / "in")
    names = [p.relative_to(root).as_posix() for p in discover(root)]
    assert names == ["broken.txt", "r1.txt", "sub/r1.txt", "sub/r2.md"]
    assert [p.name for p in discover(root, exclude=[root / "sub"])] == ["broken.txt", "r1.txt"]
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "nowhere")


def test_tag_builds_frames_with_unique_ids_and_provenance(tmp_path):
    root = make_folder(tmp_path / "in")
    c = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline)
    docs = c.documents.set_index("doc_id")
    assert len(docs) == 4 and docs.index.is_unique
    assert docs.loc["broken", "status"] == "error" and docs.loc["broken", "reason"] == "corrupt"
    assert docs.loc["r1_txt", "year"] == 2019 and docs.loc["r1_txt", "board"] == "North"
    assert {"r1_txt", "sub__r1_txt"} <= set(docs.index)
    assert set(c.mentions["doc_id"]) == {"r1_txt", "sub__r1_txt", "r2"}
    assert c.mentions["file"].str.endswith((".txt", ".md")).all()
    assert list(c.errors["file"]) == [str(root / "broken.txt")]
    assert len(c.events) == 2 and c.events["concern"].tolist() == [True, False]
    freq = c.theme_frequencies().set_index("theme")
    assert freq.loc["information_sharing", "reviews"] == 2
    assert freq.loc["hidden_men", "reviews"] == 1  # the negated mention in r2 does not count
    assert set(c.by("year")["year"]) == {"2019", "2021"}
    assert c.cooccurrence(unit="sentence").loc["information_sharing", "hidden_men"] == 1
    assert c.cooccurrence(unit="document").loc["information_sharing", "neglect"] == 1
    assert c.review_themes().set_index("doc_id").loc["r2", "has_information_sharing"] == 1


def test_cache_skips_unchanged_files_and_recomputes_changed_ones(tmp_path, monkeypatch):
    root = make_folder(tmp_path / "in")
    log = tmp_path / "log.txt"
    monkeypatch.setenv("SCA_FAKE_LOG", str(log))
    cache = tmp_path / "cache"
    first = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache)
    assert len(log.read_text().split()) == 4
    log.write_text("")
    again = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache)
    assert log.read_text().split() == []  # everything from the cache (errors that will recur included)
    assert again.stats["cached"] == 4
    pd.testing.assert_frame_equal(first.mentions, again.mentions)
    pd.testing.assert_frame_equal(first.documents, again.documents)
    (root / "sub" / "r2.md").write_text("year: 2021\n\nneglect.", encoding="utf-8")
    third = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache)
    assert log.read_text().split() == ["r2.md"]
    assert set(third.mentions.loc[third.mentions["doc_id"] == "r2", "theme"]) == {"neglect"}
    # a different method is a different pipeline: nothing reused
    log.write_text("")
    Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache, method="ml")
    assert len(log.read_text().split()) == 4


def test_interrupted_run_keeps_finished_documents_and_resumes(tmp_path, monkeypatch):
    root = make_folder(tmp_path / "in")
    log = tmp_path / "log.txt"
    monkeypatch.setenv("SCA_FAKE_LOG", str(log))
    cache = tmp_path / "cache"
    calls = []

    def interrupting(path, options):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return corpus_fakes.fake_pipeline(path, options)

    c = Corpus.from_folder(root)
    with pytest.raises(KeyboardInterrupt):
        c.tag(engine="serial", pipeline=interrupting, cache_dir=cache)
    assert len(c.results) == 2 and len(list(cache.glob("*.json"))) == 2
    assert not list(cache.glob("*.tmp"))
    log.write_text("")
    c2 = Corpus.from_folder(root).tag(engine="serial", pipeline=interrupting, cache_dir=cache)
    assert c2.stats["cached"] == 2
    assert len(log.read_text().split()) == 2  # only the two unfinished files were run
    assert len(c2.documents) == 4


def test_timeouts_and_crashes_are_not_cached(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "slow.txt").write_text("SLOW5", encoding="utf-8")
    (root / "ok.txt").write_text("neglect.", encoding="utf-8")
    cache = tmp_path / "cache"
    c = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache,
                                     timeout=0.2)
    assert c.documents.set_index("doc_id").loc["slow", "status"] == "timeout"
    assert len(list(cache.glob("*.json"))) == 1


def test_corrupt_cache_entry_is_recomputed(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.txt").write_text("neglect.", encoding="utf-8")
    cache = tmp_path / "cache"
    Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache)
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    c = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline, cache_dir=cache)
    assert c.stats["cached"] == 0 and c.documents["status"].tolist() == ["ok"]
    assert json.loads(entry.read_text())["status"] == "ok"


def test_write_outputs(tmp_path):
    root = make_folder(tmp_path / "in")
    out = tmp_path / "out"
    c = Corpus.from_folder(root).tag(engine="serial", pipeline=corpus_fakes.fake_pipeline)
    written = c.write(out, xlsx=True)
    for name in ("documents.csv", "mentions.csv", "mentions.parquet", "review_themes.csv", "theme_frequencies.csv",
                 "frequencies_by_year.csv", "frequencies_by_review_type.csv", "frequencies_by_board.csv",
                 "cooccurrence.csv", "events.csv", "missed_opportunities.csv", "errors.csv", "report.html",
                 "sca-tables.xlsx"):
        assert (out / name).is_file(), name
        assert name in written
    assert not list(out.glob(".*.tmp"))
    docs = pd.read_csv(out / "documents.csv")
    assert list(docs.columns[:3]) == ["doc_id", "path", "sha256"] and "status" in docs
    errors = pd.read_csv(out / "errors.csv")
    assert errors["reason"].tolist() == ["corrupt"]
    pq = pd.read_parquet(out / "mentions.parquet")
    assert len(pq) == len(c.mentions) and {"doc_id", "page", "para", "sentence", "evidence"} <= set(pq.columns)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Prevalence" in html
    assert "broken.txt" in html  # failed files listed
    assert 'href="../in/r1.txt"' in html  # evidence links to the source file
    co = pd.read_csv(out / "cooccurrence.csv")
    assert set(co["unit"]) == {"sentence", "paragraph", "document"}


def test_atomic_write_leaves_old_file_when_the_writer_fails(tmp_path):
    from sca.corpus.atomic import write_atomic

    target = tmp_path / "t.csv"
    write_text_atomic(target, "old")

    def boom(p):
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, boom)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
