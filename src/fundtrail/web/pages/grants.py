"""The grant page: every field, the raw row as published, its repairs and its issues."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from fundtrail.web.db import one, rows, table_exists
from fundtrail.web.problems import not_found
from fundtrail.web.sql import BENEFICIARY_KEY, FUNDER_KEY, parse_grant_id

# The grant's fields in the order the page shows them.
FIELDS: tuple[str, ...] = (
    "funder_name", "funder_id", "funder_siret", "funder_siren",
    "beneficiary_name", "beneficiary_id", "beneficiary_siret", "beneficiary_siren",
    "beneficiary_rna", "convention_date", "convention_date_text", "convention_year", "budget_year",
    "year", "year_basis",
    "decision_reference", "purpose", "amount", "amount_kind", "nature", "payment_conditions",
    "payment_start", "payment_end", "rae_id", "eu_notification", "share", "aid_scheme",
)  # fmt: skip


def grant_detail(con: duckdb.DuckDBPyConnection, grant_id: str) -> dict[str, Any]:
    """Return one grant: its fields, raw row, extras, repairs, issues, source and links."""
    where = parse_grant_id(grant_id)
    if where is None:
        raise not_found("grant-not-found", grant_id)
    grant = one(
        con,
        f"""
        SELECT grant_id, source_id, table_id, row_number, {", ".join(FIELDS)}, extras, raw,
               flags, {BENEFICIARY_KEY} AS beneficiary_key, {FUNDER_KEY} AS funder_key
        FROM grants WHERE grant_id = ?
        """,
        [grant_id],
    )
    if grant is None:
        raise not_found("grant-not-found", grant_id)
    source = one(
        con,
        "SELECT source_id, name, url, sha256, ingested_at FROM sources WHERE source_id = ?",
        [grant["source_id"]],
    )
    table = one(
        con,
        "SELECT sheet, encoding, separator, header_row, schema_version FROM source_tables "
        "WHERE table_id = ?",
        [grant["table_id"]],
    )
    repairs = rows(
        con,
        "SELECT field, original, result, rule FROM repairs "
        "WHERE source_id = ? AND table_id = ? AND row_number = ? ORDER BY field, rule",
        list(where),
    )
    issues = rows(
        con,
        "SELECT field, code, severity, value, detail FROM issues "
        "WHERE source_id = ? AND table_id = ? AND row_number = ? ORDER BY severity, code",
        list(where),
    )
    raw = json.loads(grant.pop("raw")) if grant.get("raw") else None
    extras = json.loads(grant.pop("extras")) if grant.get("extras") else None
    return {
        "grant": grant,
        "fields": [{"field": f, "value": grant[f]} for f in FIELDS],
        "raw": raw,
        "extras": extras,
        "source": source,
        "source_table": table,
        "links": _links(con, grant_id),
        "cluster": _cluster(con, grant_id),
        "tables": {
            "fields": [{"field": f, "value": grant[f]} for f in FIELDS],
            "raw": [{"column": k, "value": v} for k, v in (raw or {}).items()],
            "repairs": repairs,
            "issues": issues,
        },
    }


def _links(con: duckdb.DuckDBPyConnection, grant_id: str) -> list[dict[str, Any]]:
    """Return how this grant's parties were linked to organisations, when linking has run."""
    if not table_exists(con, "grant_links"):
        return []
    return rows(
        con,
        "SELECT role, org_id, method AS rule, score, explanation FROM grant_links "
        "WHERE grant_id = ? ORDER BY role",
        [grant_id],
    )


def _cluster(con: duckdb.DuckDBPyConnection, grant_id: str) -> list[dict[str, Any]]:
    """Return the members of this grant's duplicate cluster (empty when it has none)."""
    if not table_exists(con, "grant_clusters"):
        return []
    return rows(
        con,
        """
        SELECT c.grant_id, c.counted, c.rule, c.members FROM grant_clusters c
        WHERE c.cluster_id = (SELECT cluster_id FROM grant_clusters WHERE grant_id = ?)
        ORDER BY c.grant_id
        """,
        [grant_id],
    )
