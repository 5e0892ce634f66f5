"""The organisation commands end to end: ingest a small file, link, then ask."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from fundtrail.cli import main
from fundtrail.cli.organisations import COMMANDS

SCDL = (
    "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant\n"
    "Ville de Testville;21750001600019;2022-03-01;Les Amis du Parc;55210055400013;Fête;15000\n"
    "Ville de Testville;21750001600019;2022-04-15;Amis du parc (les);;Concerts;12000\n"
    "Ville de Testville;21750001600019;2021-05-02;LES AMIS DU PARC;55210055400013;Fête;2000\n"
)


def test_every_command_has_help() -> None:
    def walk(command: click.Command) -> list[click.Command]:
        found = [command]
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found += walk(sub)
        return found

    for command in [c for top in COMMANDS for c in walk(top)]:
        assert command.help, command.name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{command.name} {param.name}"


def test_link_profile_funder_signals(tmp_path: Path) -> None:
    source = tmp_path / "testville.csv"
    source.write_text(SCDL, encoding="utf-8")
    db = str(tmp_path / "store.duckdb")
    run = CliRunner().invoke
    assert run(main, ["ingest", str(source), "--db", db]).exit_code == 0
    linked = run(main, ["link", "--db", db, "--json"])
    assert linked.exit_code == 0, linked.output
    report = json.loads(linked.output)
    assert report["links"]["beneficiary"] == {"link-identifier": 2, "link-name": 1}

    profile = json.loads(run(main, ["profile", "amis du parc", "--db", db, "--json"]).output)
    assert profile["organisation"]["id"] == "FR-RCS-552100554"
    assert profile["total_amount"] == "29000.00"
    assert [y["amount"] for y in profile["by_year"]] == ["2000.00", "27000.00"]

    funder = json.loads(run(main, ["funder", "217500016", "--db", db, "--json"]).output)
    assert funder["top_beneficiaries"][0]["amount"] == "29000.00"

    signals = json.loads(run(main, ["signals", "--db", db, "--json"]).output)
    rules = {s["rule"] for s in signals}
    # 15,000 then 12,000 within 45 days, each under 23,000: splitting; 27,000 > 3 x 2,000
    assert rules == {"signal-threshold-splitting", "signal-sudden-growth"}
    text = run(main, ["signals", "--db", db, "--lang", "en"]).output
    assert "Threshold splitting" in text and "1-1-2" in text

    found = json.loads(run(main, ["search", "parc", "--db", db, "--json"]).output)
    assert found[0]["org_id"] == "FR-RCS-552100554"
    missing = run(main, ["profile", "nobody", "--db", db])
    assert missing.exit_code != 0 and "nobody" in missing.output
    assert run(main, ["review", "--db", db, "--json"]).output.strip() == "[]"


def test_every_code_the_link_step_writes_is_in_the_catalogue() -> None:
    import re

    from fundtrail.catalogue import CATALOGUE

    sources = [
        Path(__file__).parents[1] / "src/fundtrail" / name
        for name in (
            "link/steps.py", "link/build.py", "link/duplicates.py", "analysis/signals.py",
        )
    ]  # fmt: skip
    written = {
        code
        for path in sources
        for code in re.findall(r"'((?:link|signal|duplicate)-[a-z-]+)'", path.read_text())
    }
    assert len(written) >= 15
    assert sorted(written - set(CATALOGUE)) == []
