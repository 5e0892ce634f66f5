"""Find the organisation a user means: an org id, a SIREN, a SIRET, an RNA number or a name."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from fundtrail.analysis.serving import has_table
from fundtrail.errors import StoreError
from fundtrail.link.names import name_key

_RNA = re.compile(r"^W\d{9}$")


# The organisation an identifier names, the most granted when several claim it. Its rows
# are read on their own, by the index on the identifier (``org_identifiers_id``): DuckDB
# leaves an index aside under an ORDER BY ... LIMIT or beside a filter on another column,
# and read blocks of the whole table instead (6 ms a SIREN national, 18 at p95).
_BY_IDENTIFIER = """
WITH claims AS MATERIALIZED (SELECT * FROM org_identifiers WHERE identifier = $i)
SELECT org_id FROM claims WHERE scheme = $s ORDER BY grants DESC, org_id LIMIT 1
"""


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> str | None:
    rows = con.execute(sql, params).fetchall()
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def resolve_organisation(
    con: duckdb.DuckDBPyConnection, query: str, role: str | None = None
) -> str | None:
    """Return the org_id ``query`` designates, or None when nothing matches.

    Identifiers are tried first (org id, 9-digit SIREN, 14-digit SIRET, RNA ``W...``), then
    the normalised name among every name seen; among several organisations with that name,
    the one with the most grants in ``role`` ('beneficiary' or 'funder', or any) wins.
    """
    text = query.strip()
    if not text:
        return None
    if not has_table(con, "grant_facts"):
        raise StoreError("the store has no links yet: run `fundtrail link` after ingest")
    if not has_table(con, "org_numbers"):
        raise StoreError("the store was linked by an older fundtrail: run `fundtrail link` again")
    # org_numbers holds every organisation, found by the hash of its id in one block
    found = _one(
        con,
        "SELECT org_id FROM org_numbers WHERE h = hash($q::VARCHAR) AND org_id = $q",
        {"q": text},
    )
    if found:
        return found
    compact = re.sub(r"[\s.]", "", text).upper()
    if compact.isdigit() and len(compact) in (9, 14):
        scheme = "FR-RCS" if len(compact) == 9 else "FR-SIRET"
        found = _one(con, _BY_IDENTIFIER, {"s": scheme, "i": compact})
        if found is None and len(compact) == 9:
            found = _one(con, "SELECT org_id FROM organisations WHERE siren = $i", {"i": compact})
        return found
    if _RNA.match(compact):
        return _one(con, _BY_IDENTIFIER, {"s": "FR-RNA", "i": compact})
    roles = [role] if role else ["beneficiary", "funder"]
    return _one(
        con,
        """
        SELECT org_id FROM org_names
        WHERE name_key = $key
        GROUP BY org_id
        ORDER BY sum(CASE WHEN list_contains($roles, origin) THEN grants ELSE 0 END) DESC,
                 org_id
        LIMIT 1
        """,
        {"key": name_key(text), "roles": roles},
    )
