"""The search of a linked store: organisations, each with the figures of its own page.

Names are matched in the link step's precomputed ``org_names`` (one row per organisation
and published name, never a grant), at most ``MAX_MATCHED`` organisations per request, the
most granted first; their figures and the facets come from ``grant_facts`` restricted to
those organisations, so that a result's total is the total its page shows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb

from fundtrail.web.db import rows
from fundtrail.web.pages.profiles import FACT_AMOUNT
from fundtrail.web.sql import BAND_SQL, fold_sql

if TYPE_CHECKING:
    from fundtrail.web.pages.search import Query


def matched_orgs(con: duckdb.DuckDBPyConnection, query: Query) -> list[str] | None:
    """Return the ids of the organisations ``query`` names (None: no words, all of them)."""
    from fundtrail.web.pages.search import MAX_MATCHED

    if query.identifier() is not None:
        from fundtrail.link.search import search_organisations

        return [org["org_id"] for org in search_organisations(con, query.text, 1)]
    words = query.words()
    if not words:
        return None
    tests = " AND ".join("contains(name_key, ?)" for _ in words)
    found = rows(
        con,
        f"""
        SELECT org_id FROM org_names WHERE origin = 'beneficiary' AND {tests}
        GROUP BY org_id ORDER BY sum(grants) DESC, org_id LIMIT ?
        """,
        [*(w.upper() for w in words), MAX_MATCHED],
    )
    ids = [r["org_id"] for r in found]
    # A place name finds the organisations registered there (from the register, when loaded).
    ids += [
        r["org_id"]
        for r in rows(
            con,
            f"""SELECT org_id FROM organisations WHERE commune IS NOT NULL
                AND {fold_sql("commune")} = {fold_sql("?")} ORDER BY org_id LIMIT ?""",
            [query.text.strip(), MAX_MATCHED],
        )
        if r["org_id"] not in set(ids)
    ]
    return ids


def _where(query: Query, org_ids: list[str] | None) -> tuple[str, list[Any]]:
    """Return the condition on ``grant_facts f`` (constant text) and its parameters."""
    from fundtrail.web.pages.search import facet_filters

    conditions = ["f.beneficiary_org IS NOT NULL"]
    params: list[Any] = []
    if org_ids is not None:
        conditions.append("f.beneficiary_org IN (SELECT unnest(?::VARCHAR[]))")
        params.append(org_ids)
    more, more_params = facet_filters(query, "f.")
    conditions += more
    params += more_params
    if query.level is not None:
        conditions.append("f.funder_org IN (SELECT org_id FROM organisations WHERE level = ?)")
        params.append(query.level)
    return " AND ".join(conditions), params


def results_sql(
    query: Query, org_ids: list[str] | None, after: tuple[Decimal, str] | None
) -> tuple[str, list[Any]]:
    """Return the SQL of the linked organisations matching ``query`` after ``after``."""
    from fundtrail.web.pages.search import after_clause

    where, params = _where(query, org_ids)
    having, after_params = after_clause(after)
    params = [*params, *after_params]
    sql = f"""
        WITH figures AS (
            SELECT f.beneficiary_org AS org_id, count(*) AS grants, {FACT_AMOUNT} AS total,
                   count(DISTINCT f.funder_org) AS funders,
                   min(f.year) AS first_year, max(f.year) AS last_year
            FROM grant_facts f WHERE {where} GROUP BY f.beneficiary_org
        ), found AS (
            SELECT coalesce(o.siren, o.rna, o.org_id) AS key, o.org_id, o.name, o.siren,
                   o.rna, o.kind, o.commune, g.grants, g.total, g.funders, g.first_year,
                   g.last_year
            FROM figures g JOIN organisations o USING (org_id)
        )
        SELECT * FROM found {having} ORDER BY total DESC, key
    """
    return sql, params


def facets(
    con: duckdb.DuckDBPyConnection, query: Query, org_ids: list[str] | None
) -> dict[str, list[dict[str, Any]]]:
    """Return the facets of the matched organisations' linked grants."""
    where, params = _where(query, org_ids)
    amount = FACT_AMOUNT
    by_year = rows(
        con,
        f"SELECT f.year, count(*) AS grants, {amount} AS amount FROM grant_facts f "
        f"WHERE {where} GROUP BY f.year ORDER BY f.year DESC NULLS LAST LIMIT 50",
        params,
    )
    by_band = rows(
        con,
        f"SELECT {BAND_SQL.replace('amount', 'f.amount')} AS band, count(*) AS grants, "
        f"{amount} AS amount FROM grant_facts f WHERE {where} AND f.amount IS NOT NULL "
        "GROUP BY band ORDER BY min(f.amount)",
        params,
    )
    by_funder = rows(
        con,
        f"SELECT f.funder_name AS funder, count(*) AS grants, {amount} AS amount "
        f"FROM grant_facts f WHERE {where} AND f.funder_name IS NOT NULL "
        "GROUP BY funder ORDER BY amount DESC, funder LIMIT 20",
        params,
    )
    by_level = rows(
        con,
        f"SELECT o.level, count(*) AS grants, {amount} AS amount FROM grant_facts f "
        f"JOIN organisations o ON o.org_id = f.funder_org WHERE {where} "
        "GROUP BY o.level ORDER BY amount DESC, o.level",
        params,
    )
    return {
        "facet_year": by_year,
        "facet_band": by_band,
        "facet_funder": by_funder,
        "facet_level": by_level,
    }
