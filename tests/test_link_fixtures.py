"""Small named stores for the link, profile and signal tests: grants written for them.

Not a test module of its own: other tests import ``make_store`` and ``grant``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

import duckdb

from fundtrail.store.schema import create_schema


@dataclass
class G:
    """One grant row as the ingest would store it (only the fields the tests need)."""

    row: int
    funder_name: str | None = "Ville de Testville"
    funder_siren: str | None = "217500016"
    beneficiary_name: str | None = None
    beneficiary_siren: str | None = None
    beneficiary_siret: str | None = None
    beneficiary_rna: str | None = None
    year: int | None = 2022
    day: date | None = None
    amount: Decimal | None = Decimal("1000")
    amount_kind: str | None = None
    share: Decimal | None = None
    purpose: str | None = "Fonctionnement"
    reference: str | None = None
    source: int = 1


def make_store(
    grants: list[G], repairs: list[tuple[int, int, str, str, str, str]] = ()
) -> (  # type: ignore[assignment]
    duckdb.DuckDBPyConnection
):
    """Return an in-memory store holding ``grants`` (and repair log rows)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    for source in sorted({g.source for g in grants}):
        con.execute(
            "INSERT INTO sources (source_id, path, name, sha256, size, status, ingested_at) "
            "VALUES (?, ?, ?, 'x', 0, 'ingested', now())",
            [source, f"/data/s{source}.csv", f"s{source}.csv"],
        )
        con.execute(
            "INSERT INTO source_tables (table_id, source_id, status) VALUES (?, ?, 'read')",
            [source, source],
        )
    for g in grants:
        con.execute(
            """INSERT INTO grants (grant_id, source_id, table_id, "row_number", funder_name,
                funder_siren, beneficiary_name, beneficiary_id, beneficiary_siret,
                beneficiary_siren, beneficiary_rna, convention_date, convention_date_text,
                convention_year, decision_reference, purpose, amount, amount_kind, share, raw)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                f"{g.source}-{g.source}-{g.row}",
                g.source,
                g.source,
                g.row,
                g.funder_name,
                g.funder_siren,
                g.beneficiary_name,
                g.beneficiary_siret or g.beneficiary_siren,
                g.beneficiary_siret,
                g.beneficiary_siren,
                g.beneficiary_rna,
                g.day,
                g.day.isoformat() if g.day else (str(g.year) if g.year else None),
                g.year,
                g.reference,
                g.purpose,
                g.amount,
                g.amount_kind,
                g.share,
                json.dumps(asdict(g), default=str),
            ],
        )
    for source, row, field, original, result, rule in repairs:
        con.execute(
            'INSERT INTO repairs (source_id, table_id, "row_number", field, original, result,'
            " rule) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [source, source, row, field, original, result, rule],
        )
    return con
