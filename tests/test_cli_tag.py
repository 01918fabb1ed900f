"""``sca tag`` end to end with a fake per-document function (the real one is tested below)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sca.cli.tag import tag_command

TESTS = Path(__file__).resolve().parent
FAKE = "corpus_fakes:fake_pipeline"


def folder(tmp_path, texts):
    root = tmp_path / "in"
    root.mkdir()
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_tag_writes_outputs_and_summary(tmp_path):
    root = folder(tmp_path, {"a.txt": "year: 2020\n\nneglect. hidden_men.", "b.md": "information_sharing.",
                             "bad.txt": "BAD"})
    out = tmp_path / "out"
    res = CliRunner().invoke(tag_command, [str(root), "--out", str(out), "--engine", "serial", "--pipeline", FAKE,
                                           "--quiet", "--xlsx", "--no-report"])
    assert res.exit_code == 0, res.output
    assert "3 file(s): 2 tagged, 1 failed" in res.output
    assert "bad.txt: error (corrupt): the fake file is garbled" in res.output
    assert (out / "sca-tables.xlsx").is_file() and not (out / "report.html").exists()
    assert pd.read_csv(out / "errors.csv")["reason"].tolist() == ["corrupt"]
    assert len(list((out / ".cache").glob("*.json"))) == 3


def test_exit_status_is_non_zero_only_when_nothing_worked(tmp_path):
    root = folder(tmp_path, {"bad.txt": "BAD", "bug.txt": "BUG"})
    res = CliRunner().invoke(tag_command, [str(root), "--out", str(tmp_path / "o"), "--engine", "serial",
                                           "--pipeline", FAKE, "-q", "--no-report"])
    assert res.exit_code == 1
    assert "pipeline_error" in res.output and "ZeroDivisionError" in res.output
    empty = tmp_path / "empty"
    empty.mkdir()
    res = CliRunner().invoke(tag_command, [str(empty), "--out", str(tmp_path / "o2")])
    assert res.exit_code == 1 and "no supported files" in res.output


def test_dask_engine_needs_a_scheduler(tmp_path):
    root = folder(tmp_path, {"a.txt": "neglect."})
    res = CliRunner().invoke(tag_command, [str(root), "--out", str(tmp_path / "o"), "--engine", "dask"])
    assert res.exit_code != 0 and "--scheduler" in res.output


def test_output_folder_inside_the_input_folder_is_not_read_back(tmp_path):
    root = folder(tmp_path, {"a.txt": "neglect."})
    out = root / "results"
    for _ in range(2):
        res = CliRunner().invoke(tag_command, [str(root), "--out", str(out), "--engine", "serial", "--pipeline",
                                               FAKE, "-q", "--no-report"])
        assert res.exit_code == 0, res.output
    assert pd.read_csv(out / "documents.csv")["doc_id"].tolist() == ["a"]


def test_killed_run_resumes_without_redoing_finished_documents(tmp_path):
    texts = {f"r{i:02d}.txt": f"SLOW0.5 neglect {i}." for i in range(6)}
    root = folder(tmp_path, texts)
    out = tmp_path / "out"
    log = tmp_path / "log.txt"
    env = dict(os.environ, SCA_FAKE_LOG=str(log),
               PYTHONPATH=os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-c", "from sca.cli.main import cli; cli()", "tag", str(root), "--out", str(out),
           "--jobs", "1", "--pipeline", FAKE, "-q", "--no-report"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / ".cache").glob("*.json"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run, workers included
    proc.wait()
    finished = len(list((out / ".cache").glob("*.json")))
    assert 2 <= finished < 6
    assert not (out / "documents.csv").exists()
    log.write_text("")
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    redone = log.read_text().split()
    assert len(redone) == 6 - finished
    docs = pd.read_csv(out / "documents.csv")
    assert docs["status"].tolist() == ["ok"] * 6
