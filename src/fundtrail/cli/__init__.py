"""The command line: thin. Each command parses its options, calls the library, renders.

Commands live in one module per area (``ingest``, ``dossier``, ``harvest``, ...); each
module exposes ``COMMANDS``, the click commands it adds to the ``fundtrail`` group.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from fundtrail.errors import FundtrailError


class _Group(click.Group):
    """The ``fundtrail`` group: a FundtrailError ends the command with its message, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FundtrailError as exc:
            click.echo(f"fundtrail: {exc}", err=True)
            sys.exit(2)


# Areas whose commands make up the CLI, in the order ``fundtrail --help`` lists them.
AREAS = ("ingest", "organisations", "dossier", "harvest", "web", "demo")


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="fundtrail")
def main() -> None:
    """fundtrail: follow public money to the organisations it funds.

    Reads French SCDL subsidy files, repairs what can be repaired, loses nothing,
    links organisations across funders, and checks the arithmetic of texts.
    """


for _area in AREAS:
    _module = importlib.import_module(f"fundtrail.cli.{_area}")
    for _command in _module.COMMANDS:
        main.add_command(_command)
