"""CLI for the codebook and theme tagging: ``sca codebook``, ``sca kappa``, ``sca evaluate themes``."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
EVALUATE_COMMANDS: list[click.Command] = []
