"""The per-document runner: failures become results, time limits, crash isolation."""

import threading
import time

import pytest

from corpus_fakes import fake_pipeline, not_a_dict
from sca.corpus.runner import DocTask, DocumentTimeout, execute, iter_process, resolve_pipeline, time_limit


def task(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return DocTask(doc_id=p.stem, path=str(p), sha256="x" * 64, format="txt")


def test_execute_ok_and_failures_are_results(tmp_path):
    ok = execute(fake_pipeline, task(tmp_path, "a.txt", "year: 2020\nneglect was found."))
    assert ok["status"] == "ok" and ok["mentions"][0]["theme"] == "neglect"
    bad = execute(fake_pipeline, task(tmp_path, "b.txt", "BAD"))
    assert (bad["status"], bad["reason"]) == ("error", "corrupt")
    assert "b.txt" in bad["error"] and "garbled" in bad["error"]
    bug = execute(fake_pipeline, task(tmp_path, "c.txt", "BUG"))
    assert bug["reason"] == "pipeline_error" and "ZeroDivisionError" in bug["error"]
    odd = execute(not_a_dict, task(tmp_path, "d.txt", "x"))
    assert odd["status"] == "error" and "not a dict" in odd["error"]


def test_execute_enforces_the_time_limit_in_the_main_thread(tmp_path):
    r = execute(fake_pipeline, task(tmp_path, "s.txt", "SLOW20"), timeout=0.3)
    assert (r["status"], r["reason"]) == ("timeout", "timeout")


def test_time_limit_works_outside_the_main_thread():
    outcome = {}

    def spin():
        try:
            with time_limit(0.2):
                end = time.monotonic() + 10
                while time.monotonic() < end:
                    pass
            outcome["r"] = "finished"
        except DocumentTimeout:
            outcome["r"] = "timeout"

    t = threading.Thread(target=spin)
    t.start()
    t.join(15)
    assert outcome["r"] == "timeout"


def test_resolve_pipeline():
    assert resolve_pipeline("corpus_fakes:fake_pipeline") is fake_pipeline
    with pytest.raises(ValueError):
        resolve_pipeline("corpus_fakes")
    with pytest.raises(ValueError):
        resolve_pipeline("corpus_fakes:THEMES")


def test_process_pool_isolates_crashes_and_hangs(tmp_path):
    tasks = [
        task(tmp_path, "a.txt", "neglect."),
        task(tmp_path, "crash.txt", "CRASH"),
        task(tmp_path, "b.txt", "hidden_men."),
        task(tmp_path, "slow.txt", "SLOW30"),
        task(tmp_path, "c.txt", "domestic_abuse."),
        task(tmp_path, "d.txt", "BAD"),
    ]
    results = {r["doc_id"]: r for r in iter_process(tasks, fake_pipeline, jobs=2, timeout=1.0)}
    assert set(results) == {t.doc_id for t in tasks}
    assert results["crash"]["reason"] == "worker_crashed"
    assert results["slow"]["status"] == "timeout"
    assert results["d"]["reason"] == "corrupt"
    for ok in ("a", "b", "c"):
        assert results[ok]["status"] == "ok", results[ok]


def test_process_pool_kills_a_worker_that_ignores_the_soft_limit(tmp_path):
    # No soft limit inside the worker (timeout=None): only the parent's hard limit can stop it.
    tasks = [task(tmp_path, "spin.txt", "SPIN"), task(tmp_path, "a.txt", "neglect.")]
    start = time.monotonic()
    results = {r["doc_id"]: r for r in iter_process(tasks, fake_pipeline, jobs=2, timeout=None,
                                                     hard_timeout=1.0, poll=0.1)}
    assert results["spin"]["status"] == "timeout" and "killed" in results["spin"]["error"]
    assert results["a"]["status"] == "ok"
    assert time.monotonic() - start < 25
