"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of messages / langue des messages.",
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON report instead of text."
)
db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default="fundtrail.duckdb",
    show_default=True,
    help="The DuckDB store file.",
)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on standard output (decimals as strings)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def progress_bar(console: Console) -> Progress:
    """Return a transient bar (description, count, time) on ``console``, off when not a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
