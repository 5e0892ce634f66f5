"""The dossier and check-text commands: output, JSON, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fundtrail.cli import main
from fundtrail.cli.dossier import COMMANDS
from fundtrail.dossier import example_path

ENE = str(example_path("ene"))
BAD = """\
format: fundtrail-dossier/1
organisation:
  name: X
funding_plans:
  - id: p
    year: 2020
    lines:
      - {id: a, source: S, amount: 10, kind: cash, public: true}
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_dossier_check_prints_every_figure(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no fundtrail.duckdb here: no reconciliation
    result = runner.invoke(main, ["dossier", "check", ENE, "--lang", "fr"])
    out = result.output.replace("\u202f", " ")
    assert result.exit_code == 0, result.output
    for figure in (
        "3 017 000 €",
        "2 775 000 €",
        "8,0212 %",
        "33,4443 %",
        "2 271 837,35 €",
        "7 431,03 €",
        "6 834,98 €",
        "3 074",
        "101,5 %",
    ):
        assert figure in out


def test_dossier_check_json_in_english(runner: CliRunner) -> None:
    result = runner.invoke(main, ["dossier", "check", ENE, "--json", "--lang", "en"])
    data = json.loads(result.output)
    assert data["plans"][0]["figures"]["total"]["result"] == "3017000"
    assert data["counts"] == {"consistent": 4, "contradicted": 0, "unverifiable": 1}


def test_malformed_dossier_exits_2_naming_line_and_field(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(main, ["dossier", "check", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert "line 8, field funding_plans[0].lines[0].kind" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_malformed_dossier_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    script = Path(sys.executable).parent / "fundtrail"  # the installed entry point
    command = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from fundtrail.cli import main; main()"]
    )
    done = subprocess.run(
        [*command, "dossier", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "ligne 8, champ funding_plans[0].lines[0].kind" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_writes_html(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ene.html"
    result = runner.invoke(main, ["dossier", "report", ENE, "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")


def test_check_text_from_standard_input(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "text.html"
    text = "A : 100 €\nB : 50 €\nTotal : 160 €\n"
    result = runner.invoke(main, ["check-text", "-", "--json", "--html", str(page)], input=text)
    assert result.exit_code == 1  # the total is contradicted
    data = json.loads(result.output)
    assert [(v["relation"], v["status"], v["expected"]) for v in data["verdicts"]] == [
        ("sum", "contradicted", "150")
    ]
    assert page.read_text(encoding="utf-8").count("<mark") == 3


def test_check_text_on_the_article(runner: CliRunner, shared_cases: Path) -> None:
    article = str(shared_cases / "ene" / "article.txt")
    result = runner.invoke(main, ["check-text", article, "--lang", "en"])
    assert result.exit_code == 0
    out = result.output
    assert out.count("[consistent]") == 4 and out.count("[unverifiable]") == 1
    assert "€2,271,837.35" in out


def _commands(command: click.Command) -> list[click.Command]:
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _commands(sub)
    return found


def test_every_command_and_option_has_help() -> None:
    for top in COMMANDS:
        for command in _commands(top):
            assert command.help, command.name
            for param in command.params:
                if isinstance(param, click.Option):
                    assert param.help, f"{command.name} {param.name}"


def test_check_text_reads_a_windows_1252_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Région : 100 €\nDépartement : 50 €\nTotal général : 150 €\n".encode("cp1252"))
    result = runner.invoke(main, ["check-text", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (verdict,) = json.loads(result.output)["verdicts"]
    assert (verdict["status"], verdict["operands"][0]["label"]) == ("consistent", "Région")
