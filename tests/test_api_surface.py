"""The public surface a new user meets: top-level names, spaCy entry points, CLI help."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import sca
from sca.cli.main import cli
from sca.document import Paragraph, Review, Section, Metadata

ROOT = Path(__file__).resolve().parents[1]


def test_every_advertised_name_resolves():
    for name in sca.__all__:
        assert getattr(sca, name) is not None, name


def test_spacy_finds_our_factories_without_importing_sca_first():
    # spaCy users add our components by name; the entry points must make them findable
    # in a fresh interpreter that never imported sca.themes.
    code = textwrap.dedent(
        """
        import spacy
        nlp = spacy.blank("en")
        nlp.add_pipe("sca_sentences")
        nlp.add_pipe("sca_themes")
        doc = nlp("The child was not seen alone by the social worker. Information was shared promptly with the GP.")
        print(sorted({s.label_ for s in doc.spans["sca_themes"]}))
        print(len(list(doc.sents)))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "['voice_of_child']"
    assert out[1] == "2"


def test_cli_help_lists_every_command_and_each_has_help():
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    for name in ("parse", "themes", "events", "graph", "tag", "train", "codebook", "kappa", "evaluate"):
        assert name in top.output
        sub = runner.invoke(cli, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage:" in sub.output
    ev = runner.invoke(cli, ["evaluate", "--help"])
    for name in ("themes", "events", "parse"):
        assert name in ev.output


def _review_with(text: str) -> Review:
    para = Paragraph(text=text, number="4.1", page=3, section="4. Summary of events", index=0)
    section = Section(heading="4. Summary of events", kind="chronology", paragraphs=[para], number="4")
    return Review(metadata=Metadata(source="x.txt", review_type="SCR", child_code="Child A"), sections=[section])


def test_extract_events_takes_a_gazetteer_file(tmp_path):
    text = "On 3 March 2015 the Wrenfield Family Hub visited Mother at home and saw Child A."
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "version: 1\nagencies:\n  early_years:\n    label: Early years\n    forms:\n      - wrenfield family hub\n",
        encoding="utf-8",
    )
    review = _review_with(text)
    before = sca.extract_events(review)
    after = sca.extract_events(review, gazetteer=str(extra))
    assert "early_years" not in set(before.get("agency", []))
    assert list(after["agency"]) == ["early_years"]
    assert after.iloc[0]["date"] == "2015-03-03"
