"""The home page: key figures of the store and the latest sources ingested."""

from __future__ import annotations

from typing import Any

import duckdb

from fundtrail.web.db import one, rows
from fundtrail.web.sql import BENEFICIARY_KEY, COUNTED_AMOUNT, FUNDER_KEY

LATEST = 10


def key_figures(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Return the store's key figures: grants, counted amount, funders, organisations, years."""
    grants = one(
        con,
        f"""
        SELECT count(*) AS grants,
               sum({COUNTED_AMOUNT}) AS amount,
               count(DISTINCT {FUNDER_KEY}) AS funders,
               count(DISTINCT {BENEFICIARY_KEY}) AS organisations,
               min(year) AS first_year,
               max(year) AS last_year
        FROM grants
        """,
    )
    sources = one(
        con,
        """
        SELECT count(*) AS sources,
               count(*) FILTER (WHERE status = 'refused') AS sources_refused,
               coalesce(sum(rows_read), 0) AS rows_read,
               coalesce(sum(rows_quarantined), 0) AS rows_quarantined
        FROM sources
        """,
    )
    return {**(grants or {}), **(sources or {})}


def home(con: duckdb.DuckDBPyConnection, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the home page's data: key figures (computed unless given) and latest sources."""
    latest = rows(
        con,
        """
        SELECT source_id, name, status, format, rows_read, rows_accepted, rows_quarantined,
               ingested_at
        FROM sources ORDER BY ingested_at DESC, source_id DESC LIMIT ?
        """,
        [LATEST],
    )
    figures = dict(figures) if figures is not None else key_figures(con)
    return {"figures": figures, "tables": {"latest_sources": latest}}
