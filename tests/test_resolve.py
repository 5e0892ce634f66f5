"""Finding the organisation a page key names: org id, SIREN, SIRET, RNA, then a name.

The store is the link step's schema (``create_link_schema``, its index on identifiers
included) with a few organisations written by hand, two of them claiming one SIREN.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from fundtrail.analysis.resolve import resolve_organisation
from fundtrail.analysis.tables import ORG_NUMBERS_SQL
from fundtrail.link.schema import create_link_schema


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    create_link_schema(connection)
    connection.execute(
        """INSERT INTO organisations (org_id, kind, kind_source, name, siren, rna) VALUES
           ('FR-RCS-123456789', 'company', 'siren-prefix', 'Big SA', '123456789', NULL),
           ('FT-aaaa', 'association', 'name', 'Old name of Big', '123456789', NULL),
           ('FR-RNA-W751234567', 'association', 'rna', 'Club', NULL, 'W751234567'),
           ('FT-bbbb', 'association', 'name', 'Sans identifiant', NULL, NULL)"""
    )
    connection.execute(
        """INSERT INTO org_identifiers VALUES
           ('FR-RCS-123456789', 'FR-RCS', '123456789', 40),
           ('FT-aaaa', 'FR-RCS', '123456789', 3),
           ('FR-RCS-123456789', 'FR-SIRET', '12345678900017', 40),
           ('FR-RNA-W751234567', 'FR-RNA', 'W751234567', 7)"""
    )
    connection.execute(
        """INSERT INTO org_names (org_id, name, name_key, origin, grants) VALUES
           ('FT-bbbb', 'Sans identifiant', 'SANS IDENTIFIANT', 'beneficiary', 2)"""
    )
    for statement in ORG_NUMBERS_SQL.split(";"):
        connection.execute(statement)
    connection.execute("CREATE TABLE grant_facts (grant_id VARCHAR)")  # linked, as checked
    try:
        yield connection
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("FT-aaaa", "FT-aaaa"),  # an org id is itself, whatever it claims
        ("123456789", "FR-RCS-123456789"),  # claimed twice: the most granted
        ("123 456 789", "FR-RCS-123456789"),
        ("12345678900017", "FR-RCS-123456789"),  # SIRET
        ("w751234567", "FR-RNA-W751234567"),
        ("Sans identifiant", "FT-bbbb"),  # a name
        ("987654321", None),
        ("W000000000", None),
        ("nobody", None),
    ],
)
def test_a_key_resolves_to_the_organisation_it_names(
    con: duckdb.DuckDBPyConnection, key: str, expected: str | None
) -> None:
    assert resolve_organisation(con, key, "beneficiary") == expected


def test_the_most_granted_claim_wins_whichever_order_the_rows_are_in(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute("UPDATE org_identifiers SET grants = 50 WHERE org_id = 'FT-aaaa'")
    assert resolve_organisation(con, "123456789", "beneficiary") == "FT-aaaa"
    con.execute("UPDATE org_identifiers SET grants = 40 WHERE org_id = 'FT-aaaa'")
    # a tie falls to the smaller id
    assert resolve_organisation(con, "123456789", "beneficiary") == "FR-RCS-123456789"
