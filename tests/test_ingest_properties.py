"""Properties of the whole pipeline: exact money through the store, clean refusals."""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundtrail.ingest import ingest_file
from fundtrail.store import open_store

HEADER = "nomAttribuant;nomBeneficiaire;dateConvention;objet;montant"


def _french(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + "," + cents


amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(amounts, min_size=1, max_size=20))
def test_store_round_trip_is_exact(tmp_path: Path, values: list[Decimal]) -> None:
    lines = [HEADER]
    for index, value in enumerate(values):
        text = _french(value) if index % 2 else f"{value:.2f}"
        lines.append(f"Ville X;Asso {index};2020-01-02;Objet;{text}")
    path = tmp_path / f"amounts-{random.random()}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = open_store(":memory:")
    report = ingest_file(con, path)
    assert report.rows_accepted == len(values)
    stored = [a for (a,) in con.execute("SELECT amount FROM grants ORDER BY row_number").fetchall()]
    assert stored == values
    total = con.execute("SELECT sum(amount) FROM grants").fetchone()
    assert total is not None and total[0] == sum(values, Decimal(0))


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.csv", HEADER + "\n" + "0" * 200_000_000)
    return buffer.getvalue()


HOSTILE: dict[str, bytes] = {
    "random.csv": random.Random(1).randbytes(50_000),
    "empty.csv": b"",
    "nul.csv": (HEADER + "\nVille;Asso\x00;2020;O;100\n").encode(),
    "truncated.xlsx": b"PK\x03\x04" + random.Random(2).randbytes(1000),
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "bomb.zip": _zip_bomb(),
    "truncated.gz": gzip.compress((HEADER + "\nVille;Asso;2020;O;100\n").encode() * 1000)[:300],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_or_ingested_never_a_traceback(tmp_path: Path, name: str) -> None:
    con = open_store(":memory:")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\nVille;Asso;2020-01-01;Objet;100\n", encoding="utf-8")
    assert ingest_file(con, good).status == "ingested"
    before = con.execute("SELECT count(*) FROM grants").fetchone()
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    report = ingest_file(con, path)
    assert report.status in {"refused", "ingested"}
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    if report.status == "refused":
        assert report.reason and report.reason != "ingest-failed", report.reason_detail
        assert con.execute("SELECT count(*) FROM grants").fetchone() == before
