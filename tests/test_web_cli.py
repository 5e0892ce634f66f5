"""The ``fundtrail serve`` command: documented options, and a clear refusal without a store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fundtrail.cli import main


def test_serve_is_documented() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--dossier"):
        assert option in result.output
    assert "read-only" in result.output


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "store file not found" in result.output
