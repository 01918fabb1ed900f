"""Registry of subcommand modules.

Each module listed here defines ``COMMANDS`` (top-level click commands) and may define
``EVALUATE_COMMANDS`` (subcommands of ``sca evaluate``).
"""

from __future__ import annotations

import importlib

import click

MODULES = (
    "sca.cli.parse",
    "sca.cli.themes",
    "sca.cli.events",
    "sca.cli.tag",
    "sca.cli.train",
)


def register(cli: click.Group, evaluate: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)
        for command in getattr(module, "EVALUATE_COMMANDS", ()):
            evaluate.add_command(command)
