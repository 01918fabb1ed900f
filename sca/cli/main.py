"""Entry point of the ``sca`` command: one click group, one module per subcommand."""

from __future__ import annotations

import click

from sca import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sca")
def cli() -> None:
    """Analyse published serious case reviews and child safeguarding practice reviews.

    Read reviews (PDF, DOCX, HTML, text), tag recurring failure themes with auditable
    evidence, extract chronology events and agency-contact graphs, and batch-process a
    whole folder into frequency tables and a report.
    """


@cli.group()
def evaluate() -> None:
    """Measure accuracy against gold files (themes, events, parsing)."""


def _register() -> None:
    # Each subcommand lives in its own module; they are imported here so that
    # ``sca --help`` lists them all.
    from sca.cli import commands

    commands.register(cli, evaluate)


_register()
