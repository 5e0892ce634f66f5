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
    "beneficiary_rna", "convention_date", "convention_date_text", "convention_year",
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
    return rows(con, "SELECT * FROM grant_links WHERE grant_id = ?", [grant_id])
