"""A user's codebook (and model) used for a whole batch: `sca tag --codebook`, `Corpus.tag(codebook=)`."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from sca.cli.main import cli
from sca.corpus import Corpus
from sca.corpus.cache import pipeline_version
from sca.corpus.runner import sca_pipeline

REVIEW = textwrap.dedent(
    """\
    # 1. Introduction

    1.1 This serious case review concerns Child A, who was harmed at home in 2019.

    # 2. Analysis

    2.1 The bullying was not addressed by anyone at the school.

    2.2 The health visitor was not told about the bruising, and the information was not shared with the GP.
    """
)

CODEBOOK = textwrap.dedent(
    """\
    version: "7"
    id: mine
    mode: extend
    themes:
      - id: bullying
        family: practice
        label: Bullying
        definition: Bullying of the child not addressed.
        rules:
          - id: bullying.words
            kind: deficit
            patterns: ["bullying BE NEG *2 addressed|tackled"]
            positive: ["The bullying was not addressed."]
    """
)


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "review.md").write_text(REVIEW, encoding="utf-8")
    cb = tmp_path / "mine.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    return d, cb


def test_corpus_tag_uses_the_users_codebook(folder, tmp_path):
    d, cb = folder
    default = Corpus.from_folder(d).tag(engine="serial", method="rules")
    mine = Corpus.from_folder(d).tag(engine="serial", method="rules", codebook=cb)
    assert "bullying" not in set(default.mentions["theme"])
    assert "bullying" in set(mine.mentions["theme"])
    assert "information_sharing" in set(mine.mentions["theme"])  # extended, not replaced
    freq = mine.theme_frequencies().set_index("theme")
    assert freq.loc["bullying", "reviews"] == 1
    assert "bullying" not in set(default.theme_frequencies()["theme"])


def test_cache_key_changes_with_the_codebook(folder):
    d, cb = folder
    plain = pipeline_version("rules", sca_pipeline)
    with_cb = pipeline_version("rules", sca_pipeline, codebook=str(cb))
    assert plain != with_cb
    cb.write_text(CODEBOOK.replace('"7"', '"8"'), encoding="utf-8")
    assert pipeline_version("rules", sca_pipeline, codebook=str(cb)) != with_cb


def test_cli_tag_with_codebook_and_a_bad_one(folder, tmp_path):
    d, cb = folder
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["tag", str(d), "--out", str(out), "--engine", "serial", "--method", "rules",
                                   "--codebook", str(cb), "--no-report", "-q"])
    assert res.exit_code == 0, res.output
    mentions = pd.read_csv(out / "mentions.csv")
    assert "bullying" in set(mentions["theme"])

    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nthemes:\n  - id: x\n    family: nonsense\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["tag", str(d), "--out", str(tmp_path / "out2"), "--engine", "serial",
                                   "--codebook", str(bad), "-q"])
    assert res.exit_code != 0
    assert "bad.yaml" in res.output and "--codebook" in res.output
