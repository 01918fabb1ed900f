"""``sca parse`` and ``sca evaluate parse``."""

from __future__ import annotations

import click


@click.command("parse")
@click.argument("path", type=click.Path(exists=True))
@click.option("--json", "json_out", type=click.Path(), default=None, help="Write the parsed review(s) as JSON.")
def parse_cmd(path: str, json_out: str | None) -> None:
    """Read a review (or a folder of reviews) and print its outline."""
    from sca.ingest import read

    review = read(path)
    click.echo(review.outline_frame().to_string())


COMMANDS = [parse_cmd]
EVALUATE_COMMANDS: list = []
