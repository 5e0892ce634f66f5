"""The source file pages: the list of sources and one file's quality report."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from fundtrail.web.db import one, rows
from fundtrail.web.problems import WebError, not_found
from fundtrail.web.sql import after_grant_params

SOURCE_COLUMNS = """source_id, name, url, sha256, size, format, status, reason, reason_detail,
    rows_read, rows_accepted, rows_quarantined, rows_empty, ingested_at"""


def source_list(con: duckdb.DuckDBPyConnection, after: int | None, limit: int) -> dict[str, Any]:
    """Return one page of sources, newest id first, and the cursor of the next page."""
    found = rows(
        con,
        f"SELECT {SOURCE_COLUMNS} FROM sources WHERE (? IS NULL OR source_id < ?) "
        "ORDER BY source_id DESC LIMIT ?",
        [after, after, limit + 1],
    )
    page, more = found[:limit], len(found) > limit
    return {
        "tables": {"sources": page},
        "next": str(page[-1]["source_id"]) if more else None,
        "limit": limit,
    }


def source_report(con: duckdb.DuckDBPyConnection, source_id: int) -> dict[str, Any]:
    """Return a source file's quality report: counts, tables, issues by code, repairs by rule."""
    source = one(con, f"SELECT {SOURCE_COLUMNS} FROM sources WHERE source_id = ?", [source_id])
    if source is None:
        raise not_found("source-not-found", source_id)
    tables = rows(
        con,
        """
        SELECT table_id, sheet, status, reason, reason_detail, encoding, separator, header_row,
               schema_version, rows_read, rows_accepted, rows_quarantined, rows_empty, mapping
        FROM source_tables WHERE source_id = ? ORDER BY table_id
        """,
        [source_id],
    )
    for table in tables:
        table["mapping"] = json.loads(table["mapping"]) if table["mapping"] else None
    issues = rows(
        con,
        """
        SELECT code, severity, count(*) AS count, count(DISTINCT row_number) AS rows
        FROM issues WHERE source_id = ? GROUP BY code, severity
        ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                 count DESC, code
        """,
        [source_id],
    )
    repairs = rows(
        con,
        """
        SELECT rule, field, count(*) AS count FROM repairs WHERE source_id = ?
        GROUP BY rule, field ORDER BY count DESC, rule, field
        """,
        [source_id],
    )
    # Nothing is lost: read = accepted + quarantined (+ empty rows, counted apart).
    balanced = source["rows_read"] == source["rows_accepted"] + source["rows_quarantined"]
    return {
        "source": source,
        "balanced": balanced,
        "tables": {"tables": tables, "issues_by_code": issues, "repairs_by_rule": repairs},
    }


def parse_row_cursor(text: str | None) -> tuple[int, int] | None:
    """Return (table, row) from a quarantine cursor '3-45'; raise a 400 when it is not one."""
    if text is None:
        return None
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) <= 9 for p in parts):
        raise WebError(400, "invalid-cursor", text)
    return int(parts[0]), int(parts[1])


def quarantine_page(
    con: duckdb.DuckDBPyConnection, source_id: int, after: tuple[int, int] | None, limit: int
) -> dict[str, Any]:
    """Return one page of a source's quarantined rows with their reasons and raw values."""
    if one(con, "SELECT 1 AS x FROM sources WHERE source_id = ?", [source_id]) is None:
        raise not_found("source-not-found", source_id)
    condition, params = "TRUE", []
    if after is not None:
        condition = "(table_id > ? OR (table_id = ? AND row_number > ?))"
        params = after_grant_params((0, after[0], after[1]))[2:]
    found = rows(
        con,
        f"""
        SELECT table_id, row_number, reasons, raw FROM quarantine
        WHERE source_id = ? AND {condition}
        ORDER BY table_id, row_number LIMIT ?
        """,
        [source_id, *params, limit + 1],
    )
    page, more = found[:limit], len(found) > limit
    for row in page:
        row["raw"] = json.loads(row["raw"]) if row["raw"] else None
        row["issues"] = rows(
            con,
            """
            SELECT field, code, severity, value, detail FROM issues
            WHERE source_id = ? AND table_id = ? AND row_number = ?
            ORDER BY severity, code, field
            """,
            [source_id, row["table_id"], row["row_number"]],
        )
    last = page[-1] if page else None
    return {
        "source_id": source_id,
        "tables": {"quarantine": page},
        "next": f"{last['table_id']}-{last['row_number']}" if more and last else None,
        "limit": limit,
    }
