"""The organisation and funder pages: one profile, linked when the store is linked.

Once ``fundtrail link`` has run, every figure comes from the linked grants
(``profiles.py``). The computation below, from the published SIREN, RNA or name alone, is
for a store never linked; its pages then say to run ``fundtrail link``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.web.db import one, rows, table_exists
from fundtrail.web.pages import profiles
from fundtrail.web.pages.analysis import linked
from fundtrail.web.problems import not_found
from fundtrail.web.sql import (
    BAND_SQL,
    BENEFICIARY_KEY,
    COUNTED_AMOUNT,
    FUNDER_KEY,
    after_grant_params,
    after_grant_sql,
    key_condition,
)

GRANT_COLUMNS = """grant_id, source_id, row_number, year, convention_date_text,
    funder_name, beneficiary_name, beneficiary_siren, purpose, amount, amount_kind, nature"""


def _growth(by_year: list[dict[str, Any]]) -> None:
    """Add each year's growth over the year before (a fraction), where both are known."""
    previous: dict[str, Any] | None = None
    for row in sorted(by_year, key=lambda r: r["year"] if r["year"] is not None else 0):
        row["growth"] = None
        if (
            previous is not None
            and row["year"] is not None
            and previous["amount"]
            and previous["year"] == row["year"] - 1
        ):
            row["growth"] = (row["amount"] - previous["amount"]) / previous["amount"]
        previous = row


def _condition(con: duckdb.DuckDBPyConnection, key: str, kind: str) -> tuple[str, list[str]]:
    """Return the grants' condition of ``key``; a linked id on an unlinked store is a 404."""
    if key.startswith(("FR-", "FT-")) and not table_exists(con, "grant_links"):
        raise not_found(f"{'organisation' if kind == 'beneficiary' else 'funder'}-not-found", key)
    return key_condition(key, kind)


def linked_id(con: duckdb.DuckDBPyConnection, key: str, kind: str) -> str | None:
    """Return the org id of ``key`` on a linked store (404 when none), None when not linked."""
    if not linked(con):
        return None
    org_id = profiles.resolve(con, key, kind)
    if org_id is None:
        raise not_found(f"{'organisation' if kind == 'beneficiary' else 'funder'}-not-found", key)
    return org_id


def _identity(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], key: str, missing: str
) -> dict[str, Any]:
    """Return the identity row ``sql`` selects, ``key`` and 20 names sorted; 404 ``missing``."""
    identity = one(con, sql, params)
    if identity is None or not identity["grants"]:
        raise not_found(missing, key)
    identity["key"] = key
    identity["names"] = sorted(n for n in identity["names"] or [] if n)[:20]
    return identity


def organisation(
    con: duckdb.DuckDBPyConnection, key: str, grants_shown: int = 20
) -> dict[str, Any]:
    """Return an organisation's funding: identity, funders by year, shares, growth, related.

    On a linked store this is the linked profile (``profiles.organisation``); otherwise
    the figures rest on the grants published with this SIREN, RNA or name, and ``linked``
    is False so that the page says to run ``fundtrail link``. ``grants`` is the first page
    of its grants (``grants_shown`` of them), as ``grants_of`` gives it.
    """
    org_id = linked_id(con, key, "beneficiary")
    if org_id is not None:
        return profiles.organisation(con, key, org_id, grants_shown)
    condition, params = _condition(con, key, "beneficiary")
    identity = _identity(
        con,
        f"""
        SELECT mode(beneficiary_name) AS name, list(DISTINCT beneficiary_name) AS names,
               any_value(beneficiary_siren) AS siren, any_value(beneficiary_rna) AS rna,
               list(DISTINCT beneficiary_siret) FILTER (WHERE beneficiary_siret IS NOT NULL)
                   AS sirets,
               count(*) AS grants, coalesce(sum({COUNTED_AMOUNT}), 0) AS total,
               count(DISTINCT {FUNDER_KEY}) AS funders,
               min(year) AS first_year, max(year) AS last_year
        FROM grants WHERE {condition}
        """,
        params,
        key,
        "organisation-not-found",
    )
    by_funder = rows(
        con,
        f"""
        SELECT {FUNDER_KEY} AS funder_key, mode(funder_name) AS funder, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount,
               min(year) AS first_year, max(year) AS last_year
        FROM grants WHERE {condition} GROUP BY funder_key ORDER BY amount DESC, funder_key
        """,
        params,
    )
    total: Decimal = identity["total"]
    for row in by_funder:
        row["share"] = row["amount"] / total if total else None
    by_year = rows(
        con,
        f"""
        SELECT year, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount,
               count(DISTINCT {FUNDER_KEY}) AS funders
        FROM grants WHERE {condition} GROUP BY year ORDER BY year NULLS FIRST
        """,
        params,
    )
    _growth(by_year)
    # The largest funder's share of the whole: how dependent the organisation is on it.
    dependence = by_funder[0]["share"] if by_funder and total else None
    by_funder_year = rows(
        con,
        f"""
        SELECT year, mode(funder_name) AS funder, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount
        FROM grants WHERE {condition}
        GROUP BY year, {FUNDER_KEY} ORDER BY year NULLS FIRST, amount DESC
        """,
        params,
    )
    return {
        "linked": False,
        "organisation": identity,
        "dependence": dependence,
        "hhi": None,
        "profile": None,
        "tables": {
            "by_funder": by_funder,
            "by_year": by_year,
            "by_funder_year": by_funder_year,
            "related": related(con, condition, params),
        },
        "grants": grants_of(con, key, "beneficiary", None, grants_shown),
    }


def related(
    con: duckdb.DuckDBPyConnection, condition: str, params: list[Any], limit: int = 10
) -> list[dict[str, Any]]:
    """Return other organisations sharing the most funders with the selected grants."""
    return rows(
        con,
        f"""
        WITH mine AS (
            SELECT DISTINCT {FUNDER_KEY} AS funder_key FROM grants WHERE {condition}
        ), self AS (SELECT DISTINCT {BENEFICIARY_KEY} AS key FROM grants WHERE {condition})
        SELECT {BENEFICIARY_KEY} AS key, mode(beneficiary_name) AS name,
               count(DISTINCT {FUNDER_KEY}) AS shared_funders,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount
        FROM grants WHERE {FUNDER_KEY} IN (SELECT funder_key FROM mine)
          AND {BENEFICIARY_KEY} NOT IN (SELECT key FROM self)
        GROUP BY key ORDER BY shared_funders DESC, amount DESC, key LIMIT ?
        """,
        [*params, *params, limit],
    )


def grants_of(
    con: duckdb.DuckDBPyConnection,
    key: str,
    kind: str,
    after: tuple[int, int, int] | None,
    limit: int,
    org_id: str | None = None,
) -> dict[str, Any]:
    """Return one page of the grants of an organisation (kind 'beneficiary') or a funder.

    On a linked store these are its linked grants, each with how it was linked; ``org_id``
    is the organisation ``key`` resolves to when the caller has already resolved it.
    """
    if org_id is None:
        org_id = linked_id(con, key, kind)
    if org_id is not None:
        return profiles.grants_page(key, profiles.grants_of(con, org_id, kind, after, limit), limit)
    condition, key_params = _condition(con, key, kind)
    params: list[Any] = list(key_params)
    keyset = "TRUE"
    if after is not None:
        keyset = after_grant_sql()
        params = [*params, *after_grant_params(after)]
    found = rows(
        con,
        f"SELECT {GRANT_COLUMNS} FROM grants WHERE {condition} AND {keyset} "
        "ORDER BY source_id, table_id, row_number LIMIT ?",
        [*params, limit + 1],
    )
    page, more = found[:limit], len(found) > limit
    return {
        "key": key,
        "linked": False,
        "tables": {"grants": page},
        "next": page[-1]["grant_id"] if more else None,
        "limit": limit,
    }


def funder(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any]:
    """Return a funder's page: yearly totals, top beneficiaries, amount bands, file quality.

    On a linked store this is the linked profile (``profiles.funder``).
    """
    org_id = linked_id(con, key, "funder")
    if org_id is not None:
        return profiles.funder(con, key, org_id)
    condition, params = _condition(con, key, "funder")
    identity = _identity(
        con,
        f"""
        SELECT mode(funder_name) AS name, list(DISTINCT funder_name) AS names,
               any_value(funder_siren) AS siren, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS total,
               count(DISTINCT {BENEFICIARY_KEY}) AS beneficiaries,
               min(year) AS first_year, max(year) AS last_year
        FROM grants WHERE {condition}
        """,
        params,
        key,
        "funder-not-found",
    )
    by_year = rows(
        con,
        f"""
        SELECT year, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount,
               count(DISTINCT {BENEFICIARY_KEY}) AS beneficiaries
        FROM grants WHERE {condition} GROUP BY year ORDER BY year NULLS FIRST
        """,
        params,
    )
    _growth(by_year)
    top = rows(
        con,
        f"""
        SELECT {BENEFICIARY_KEY} AS key, mode(beneficiary_name) AS name, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount
        FROM grants WHERE {condition} GROUP BY key ORDER BY amount DESC, key LIMIT 20
        """,
        params,
    )
    total: Decimal = identity["total"]
    for row in top:
        row["share"] = row["amount"] / total if total else None
    bands = rows(
        con,
        f"""
        SELECT {BAND_SQL} AS band, count(*) AS grants,
               coalesce(sum({COUNTED_AMOUNT}), 0) AS amount
        FROM grants WHERE {condition} AND amount IS NOT NULL
        GROUP BY band ORDER BY min(amount)
        """,
        params,
    )
    quality = rows(
        con,
        f"""
        SELECT s.source_id, s.name, s.rows_read, s.rows_accepted, s.rows_quarantined,
               (SELECT count(*) FROM issues i WHERE i.source_id = s.source_id
                  AND i.severity = 'warning') AS warnings,
               (SELECT count(*) FROM repairs r WHERE r.source_id = s.source_id) AS repairs
        FROM sources s
        WHERE s.source_id IN (SELECT DISTINCT source_id FROM grants WHERE {condition})
        ORDER BY s.source_id
        """,
        params,
    )
    return {
        "linked": False,
        "funder": identity,
        "profile": None,
        "tables": {"by_year": by_year, "top_beneficiaries": top, "bands": bands,
                   "quality": quality},
    }  # fmt: skip
