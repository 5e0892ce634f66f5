"""The benchmark tools work: the generator is deterministic by seed, the runner runs end to end.

Behaviour only, never timings: timings on a shared CI machine prove nothing.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pytest
from stdnum import luhn

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
import run  # noqa: E402

ROWS = 2_000


def _write(tmp_path: Path, name: str, spec: generate.FileSpec) -> bytes:
    path = tmp_path / name
    generate.write_file(path, spec)
    return path.read_bytes()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.csv", generate.FileSpec(ROWS, seed=7))
    again = _write(tmp_path, "b.csv", generate.FileSpec(ROWS, seed=7))
    other = _write(tmp_path, "c.csv", generate.FileSpec(ROWS, seed=8))
    assert first == again
    assert first != other


def test_folder_plan_is_deterministic_and_holds_every_row() -> None:
    specs = generate.folder_specs(50_000, seed=3, rows_per_file=2_000)
    assert specs == generate.folder_specs(50_000, seed=3, rows_per_file=2_000)
    assert sum(s.rows for s in specs) == 50_000
    assert {s.encoding for s in specs} >= {"utf-8-sig", "cp1252"}
    assert {s.separator for s in specs} >= {";", ","}


def _cells(tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "d.csv"
    generate.write_file(path, generate.FileSpec(10_000, seed=11))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_file_carries_the_measured_defects(tmp_path: Path) -> None:
    rows = _cells(tmp_path)
    assert rows[0] == generate.HEADER
    data = rows[1:]
    column = {name: i for i, name in enumerate(generate.HEADER)}
    amounts = [r[column["montant"]] for r in data]
    ids = [r[column["idBeneficiaire"]] for r in data]
    kinds = {
        "blank row": any(not any(r) for r in data),
        "duplicate row": len({tuple(r) for r in data if any(r)}) < sum(1 for r in data if any(r)),
        "french amount": any(re.fullmatch(r"\d{1,3}([\u00a0 ]\d{3})+,\d\d", a) for a in amounts),
        "float amount": any(a.endswith(".0") for a in amounts),
        "euro sign": any("€" in a for a in amounts),
        "float-damaged id": any(i.endswith(".0") for i in ids),
        "spaced id": any(i.endswith("'") for i in ids),
        "scientific id": any("E+13" in i for i in ids),
        "slashed date": any("/" in r[column["dateConvention"]] for r in data),
        "newline in text": any("\n" in r[column["objet"]] for r in data),
    }
    assert [k for k, present in kinds.items() if not present] == []


def test_identifiers_stay_in_the_unassigned_range(tmp_path: Path) -> None:
    rows = _cells(tmp_path)
    column = {name: i for i, name in enumerate(generate.HEADER)}
    sirets = {r[column["idAttribuant"]] for r in rows[1:] if any(r)}
    ids = [r[column["idBeneficiaire"]] for r in rows[1:] if any(r)]
    sirets |= {i for i in ids if re.fullmatch(r"\d{14}", i)}
    assert sirets and all(s.startswith("000") for s in sirets)
    valid = [s for s in sirets if luhn.is_valid(s)]
    assert len(valid) > len(sirets) * 0.9  # damaged ones fail on purpose, most are whole
    rnas = {r[column["rnaBeneficiaire"]] for r in rows[1:]} - {""}
    assert all(r.startswith("W000") and len(r) == 10 for r in rnas)


@pytest.mark.timeout(300)
def test_runner_end_to_end_at_a_tiny_size(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    run.main(
        ["--rows", str(ROWS), "--work", str(tmp_path), "--measures", "1,2,5", "--json", str(raw)]
    )
    result = json.loads(raw.read_text())
    fundtrail = result["runs"]["fundtrail"][0]["result"]
    assert fundtrail["refused"] == 0
    # Every data line is read or counted empty; every read row is accepted or quarantined.
    assert fundtrail["rows_read"] + fundtrail["rows_empty"] == ROWS
    assert fundtrail["rows_read"] == fundtrail["rows_accepted"] + fundtrail["rows_quarantined"]
    assert fundtrail["rows_quarantined"] > 0  # the file is messy on purpose
    assert result["runs"]["duckdb"][0]["result"]["rows"] == ROWS
    if run.SCHEMA.exists():
        frictionless = result["runs"]["frictionless"][0]["result"]
        assert frictionless["rows"] == ROWS
        assert frictionless["valid"] is False
    assert result["runs"]["fundtrail"][0]["peak_rss_mb"] > 0


@pytest.mark.timeout(300)
def test_rebuild_of_a_tiny_folder(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    run.main(
        [
            "--rows",
            "3000",
            "--rows-per-file",
            "500",
            "--work",
            str(tmp_path),
            "--measures",
            "6",
            "--json",
            str(raw),
        ]
    )
    rebuild = json.loads(raw.read_text())["rebuild"]["result"]
    assert rebuild["refused"] == 0
    assert rebuild["rows_read"] + rebuild["rows_empty"] == 3000
