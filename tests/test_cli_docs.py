"""Every CLI command and option has help text, and every command is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from fundtrail.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "fundtrail") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


COMMANDS = _commands(main)


def test_the_cli_has_the_commands_the_issues_ask_for() -> None:
    names = {path for path, _ in COMMANDS}
    assert {
        "fundtrail ingest",
        "fundtrail validate",
        "fundtrail sources",
        "fundtrail demo",
    } <= names


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_and_readme_entry(path: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"{path} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{path} {param.opts[0]} has no help text"
    if not isinstance(command, click.Group):
        assert f"`{path}" in README, f"{path} is not documented in README.md"
