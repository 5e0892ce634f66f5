"""The harvest and rebuild commands, end to end against the loopback catalogue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fundtrail.cli.harvest import COMMANDS, harvest_group
from harvest_server import CatalogueServer, build_catalogue

# Reads ../shared/data; bounded so that a hung socket fails the test instead of the run.
pytestmark = [pytest.mark.shared, pytest.mark.timeout(90)]

POLITE = ["--rate", "0", "--timeout", "2", "--retries", "1"]


@pytest.fixture(scope="module")
def server(shared_data: Path) -> Iterator[CatalogueServer]:
    with CatalogueServer(build_catalogue(shared_data)) as running:
        yield running


def _invoke(args: list[str]) -> tuple[int, str]:
    from fundtrail.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_harvest_then_manifest_then_rebuild(server: CatalogueServer, tmp_path: Path) -> None:
    db, archive, rebuilt = tmp_path / "s.duckdb", tmp_path / "a", tmp_path / "r.duckdb"
    code, out = _invoke(
        [
            "harvest",
            "datagouv",
            "--base-url",
            server.api_url,
            "--query",
            "Sarcelles",
            "--db",
            str(db),
            "--archive",
            str(archive),
            "--json",
            *POLITE,
        ]
    )
    report = json.loads(out)
    totals = report["totals"]
    assert code == 0
    assert (totals["datasets_seen"], totals["kept"], totals["failed"]) == (
        len(server.page({"q": ["Sarcelles"], "page_size": ["1000"]})["data"]),
        totals["resources_seen"],
        0,
    )
    assert totals["rows_read"] > 0

    code, out = _invoke(["harvest", "--archive", str(archive), "--json"])
    manifest = json.loads(out)
    assert code == 0
    assert [(e["kind"], e["state"], e["sha256"]) for e in manifest] == [
        (e["kind"], e["state"], e["sha256"]) for e in report["manifest"]
    ]

    code, out = _invoke(["rebuild", "--archive", str(archive), "--db", str(rebuilt), "--json"])
    replay = json.loads(out)["totals"]
    assert code == 0
    assert (replay["ingested"], replay["rows_read"], replay["missing"]) == (
        totals["kept"],
        totals["rows_read"],
        0,
    )

    code, _ = _invoke(["rebuild", "--archive", str(archive), "--db", str(rebuilt)])
    assert code == 2  # the new store exists: a usage error, nothing overwritten


def test_harvest_urls_reads_a_list_file(server: CatalogueServer, tmp_path: Path) -> None:
    path = next(p for p in server.catalogue.files if p.startswith("/files/"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# portal exports\n\n{server.base}{path}\n", encoding="utf-8")
    code, out = _invoke(
        [
            "harvest",
            "urls",
            str(listing),
            "--db",
            str(tmp_path / "s.duckdb"),
            "--archive",
            str(tmp_path / "a"),
            "--json",
            *POLITE,
        ]
    )
    entries = json.loads(out)["manifest"]
    assert code == 0
    assert [(e["url"], e["state"], e["source"]) for e in entries] == [
        (server.base + path, "kept", "urls")
    ]


def test_text_output_ends_with_a_summary(server: CatalogueServer, tmp_path: Path) -> None:
    code, out = _invoke(
        [
            "harvest",
            "datagouv",
            "--base-url",
            server.api_url,
            "--query",
            "Sarcelles",
            "--db",
            str(tmp_path / "s.duckdb"),
            "--archive",
            str(tmp_path / "a"),
            *POLITE,
        ]
    )
    assert code == 0
    assert out.strip().splitlines()[-1].startswith(tuple("0123456789"))


def _commands(group: click.Command) -> Iterator[click.Command]:
    yield group
    if isinstance(group, click.Group):
        for command in group.commands.values():
            yield from _commands(command)


def test_every_command_and_option_has_help() -> None:
    commands = [c for top in COMMANDS for c in _commands(top)]
    assert {c.name for c in commands} == {"harvest", "datagouv", "urls", "rebuild"}
    assert harvest_group in COMMANDS
    for command in commands:
        assert command.help, command.name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (command.name, param.name)
