"""The organisation and funder pages of a linked store: one profile, from the linked grants.

Once ``fundtrail link`` has run, every figure of these pages (headline, by funder, by year,
charts, tables, the grants list and their CSV exports) is computed from ``grant_facts`` and
the aggregates the analysis step built: duplicates counted once, a shared grant for its
share only, grants published without SIREN counted once linked by name. The pages never mix
this with the unlinked computation of ``organisations.py`` (only for a store never linked).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import duckdb
from ibis.common.exceptions import IbisError, TableNotFound

from fundtrail.analysis.figures import share, tidy
from fundtrail.analysis.serving import RELATED_SHOWN
from fundtrail.web.db import in_background, one, rows
from fundtrail.web.pages.analysis import page_key
from fundtrail.web.sql import after_grant_params, after_grant_sql

# A fact row as the grants table shows it (the grants page's own column names kept).
FACT_COLUMNS = """grant_id, source_id, table_id, row_number, year,
    date_text AS convention_date_text, funder_org, funder_name, beneficiary_org,
    beneficiary_name, purpose, amount,
    kind AS amount_kind, counted_amount, counted, cluster_id, members AS cluster_members"""

log = logging.getLogger(__name__)

# HHI on the usual 0-10,000 scale: the sum of squared shares in per cent.
HHI_SCALE = 10_000


def _profile(
    con: duckdb.DuckDBPyConnection,
    page: dict[str, Any],
    role: str,
    funder_page: dict[str, Any] | None = None,
    quarantined: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the analysis profile of the organisation of ``page`` in ``role``; {} if it fails.

    The profile adds identity, levels, signals and quality to figures this module computes
    itself; analysis tables built by an older version must not take the page down with them.
    """
    from fundtrail.analysis.funder import funder_profile_of
    from fundtrail.analysis.profile import profile_of

    try:
        if role == "beneficiary":
            return profile_of(con, page, quarantined)
        return funder_profile_of(con, page, funder_page) or {}
    except (
        duckdb.Error,
        IbisError,
        TableNotFound,
        AttributeError,
    ):  # Ibis: AttributeError, missing column
        log.exception("analysis profile of %s failed; rebuild with `fundtrail link`", page["org"])
        return {}


def _identity(org: dict[str, Any], profiled: dict[str, Any]) -> Any:
    """Return the identity the profile gives, else the organisation's own row."""
    if profiled:
        return profiled
    return {**org, "names": [], "identifiers": []}


def _page(con: duckdb.DuckDBPyConnection, org_id: str) -> dict[str, Any]:
    """Return the page rows of ``org_id`` (see ``fundtrail.analysis.pages.page_of``)."""
    from fundtrail.analysis.pages import page_of

    page = page_of(con, org_id)
    if page is None:  # resolved from the same tables: only a store changed under the site
        raise duckdb.InvalidInputException(f"organisation {org_id} has no number")
    return page


def resolve(con: duckdb.DuckDBPyConnection, key: str, role: str) -> str | None:
    """Return the org id a page key designates in ``role``, or None when none does.

    A SIREN, RNA or org id is resolved through the link step's identifiers; a ``nom:`` key
    (a name published without identifier) through the link of one of its grants.
    """
    from fundtrail.analysis.resolve import resolve_organisation
    from fundtrail.web.sql import key_condition

    if not key.startswith("nom:"):
        return resolve_organisation(con, key, role=role)
    condition, params = key_condition(key, role)
    found = one(
        con,
        f"""SELECT l.org_id FROM grant_links l
            WHERE l.role = ? AND l.grant_id IN (SELECT grant_id FROM grants WHERE {condition})
            GROUP BY l.org_id ORDER BY count(*) DESC, l.org_id LIMIT 1""",
        [role, *params],
    )
    return found["org_id"] if found else None


def _growth(by_year: list[dict[str, Any]]) -> None:
    """Add each year's growth over the year before (a fraction), where both are known."""
    previous: dict[str, Any] | None = None
    for row in by_year:
        row["growth"] = None
        if (
            previous is not None
            and row["year"] is not None
            and previous["year"] == row["year"] - 1
            and previous["amount"]
        ):
            row["growth"] = share(row["amount"] - previous["amount"], previous["amount"])
        previous = row


def hhi_points(value: Decimal | None) -> Decimal | None:
    """Return an HHI given as a fraction (0..1) on the 0-10,000 scale, to one place."""
    return None if value is None else (value * HHI_SCALE).quantize(Decimal("0.1"))


def organisation(
    con: duckdb.DuckDBPyConnection, key: str, org_id: str, grants_shown: int
) -> dict[str, Any]:
    """Return the linked organisation page: identity, figures, tables, all from its grants.

    ``grants`` is the first page of its grants (``grants_shown`` of them), as ``grants_of``
    gives it; read with the profile's list when that list holds them all.
    """
    from fundtrail.analysis.pages import GRANTS_SHOWN, org_number, page_of
    from fundtrail.analysis.profile import grants_count, needles
    from fundtrail.analysis.quarantine import quarantined_rows

    org_no = org_number(con, org_id)
    if org_no is None:  # resolved from the same tables: only a store changed under the site
        raise duckdb.InvalidInputException(f"organisation {org_id} has no number")
    # the related organisations are read on their own cursor while this one reads the
    # page and the quarantined rows: a visit waits for the longer only
    related_rows = in_background(con, related, org_no)
    page = page_of(con, org_id, org_no)
    if page is None:
        raise duckdb.InvalidInputException(f"organisation {org_id} has no page")
    org, count = page["org"], grants_count(page)
    try:
        quarantined = quarantined_rows(con, needles(page))
    except duckdb.Error:  # the profile below meets it again, and says so
        quarantined = None
    listed = page["grants"]
    profile = _profile(con, page, "beneficiary", quarantined=quarantined)
    ident = _identity(org, profile.get("organisation", {}))
    # summed per organisation at link time (fundtrail.analysis.pages), sorted when read
    by_funder = [dict(r) for r in page["by_funder"]]
    by_year = [dict(r) for r in page["by_year"]]
    by_funder_year = [dict(r) for r in page["by_funder_year"]]
    total = sum((r["amount"] for r in by_funder), Decimal(0))
    for row in by_funder:
        row["funder_key"] = (
            page_key(row.pop("funder_siren"), None, row["funder_id"]) if row["funder_id"] else None
        )
        row["share"] = share(row["amount"], total)
    _growth(by_year)
    years = [r["year"] for r in by_year if r["year"] is not None]
    dependence = profile.get("dependence", {})
    identity = {
        "key": key,
        "org_id": org_id,
        "name": ident.get("name"),
        "kind": ident.get("kind"),
        "level": ident.get("level"),
        "names": [n["name"] for n in ident.get("names", [])][:20],
        "siren": ident.get("siren"),
        "rna": ident.get("rna"),
        "identifiers": ident.get("identifiers", []),
        "grants": sum(r["grants"] for r in by_year),
        "total": total,
        "funders": len([r for r in by_funder if r["funder_id"] is not None]),
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
    }
    first = (
        _first_grants(listed, grants_shown + 1)
        if count <= GRANTS_SHOWN
        else grants_of(con, org_id, "beneficiary", None, grants_shown, org["org_no"])
    )
    data = tidy(
        {
            "linked": True,
            "organisation": identity,
            "dependence": by_funder[0]["share"] if by_funder and total else None,
            "hhi": hhi_points(dependence.get("hhi")),
            "profile": {},  # tidy already: set below
            "tables": {
                "by_funder": by_funder,
                "by_year": by_year,
                "by_funder_year": by_funder_year,
                "related": related_rows.result(),
            },
        }
    )
    # the grants as the paged list gives them, decimals as stored
    return {**data, "profile": profile, "grants": grants_page(key, first, grants_shown)}


def grants_page(key: str, found: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """Return one page of grants from ``found`` (up to ``limit`` + 1 rows: one more tells
    whether a next page exists)."""
    page, more = found[:limit], len(found) > limit
    return {
        "key": key,
        "linked": True,
        "tables": {"grants": page},
        "next": page[-1]["grant_id"] if more else None,
        "limit": limit,
    }


# A listed grant's columns under the names of the grants table (``FACT_COLUMNS``).
_AS_FACT = {
    "grant_id": "grant_id", "source_id": "source_id", "table_id": "table_id",
    "row_number": "row_number", "year": "year", "convention_date_text": "date",
    "funder_org": "funder_id", "funder_name": "funder_name",
    "beneficiary_org": "beneficiary_id", "beneficiary_name": "beneficiary_name",
    "purpose": "purpose", "amount": "amount", "amount_kind": "kind",
    "counted_amount": "counted_amount", "counted": "counted", "cluster_id": "cluster_id",
    "cluster_members": "cluster_members", "link_method": "link_method",
    "link_score": "link_score", "link_explanation": "link_explanation",
}  # fmt: skip


def _first_grants(listed: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Return the ``count`` first of all an organisation's ``listed`` grants in file order.

    The order of ``grants_of``: source, table, row (one grant per row of a file).
    """
    in_files = sorted(listed, key=lambda g: (g["source_id"], g["table_id"], g["row_number"]))
    return [{name: g[given] for name, given in _AS_FACT.items()} for g in in_files[:count]]


def related(
    con: duckdb.DuckDBPyConnection, org_no: int, limit: int = RELATED_SHOWN
) -> list[dict[str, Any]]:
    """Return other linked organisations sharing the most funders with organisation ``org_no``.

    The pairs are read by funder number (``funder_pairs``, one row per funder and
    beneficiary, is sorted that way) and summed first; only the organisations listed are
    then named (``_named``). Numbers follow org ids in order, so ties fall as they would
    by id. An organisation with one funder shares it with its funder's first
    beneficiaries, listed and named at link time (``funder_pairs_top``), read apart from the
    ORDER BY ... LIMIT, under which DuckDB leaves the index on the funder's number aside.
    """
    mine = [
        number
        for (number,) in con.execute(
            "SELECT DISTINCT funder_no FROM agg_org_funder "
            "WHERE org_no = $o AND funder_no IS NOT NULL",
            {"o": org_no},
        ).fetchall()
    ]
    if not mine:
        return []
    if len(mine) == 1 and limit <= RELATED_SHOWN:
        listed = con.execute(
            """WITH t AS MATERIALIZED (SELECT * FROM funder_pairs_top WHERE funder_no = $f)
               SELECT org_id, name, 1, amount, siren, rna FROM t
               WHERE org_no <> $o ORDER BY place LIMIT $limit""",
            {"f": mine[0], "o": org_no, "limit": limit},
        ).fetchall()
    else:
        shared = con.execute(
            """SELECT p.org_no, count(*) AS shared_funders, coalesce(sum(p.awarded), 0) AS amount
               FROM funder_pairs p
               WHERE p.funder_no IN (SELECT unnest($mine)) AND p.org_no <> $o
               GROUP BY p.org_no
               ORDER BY shared_funders DESC, amount DESC, p.org_no LIMIT $limit""",
            {"mine": mine, "o": org_no, "limit": limit},
        ).fetchall()
        named = _named(con, [number for number, _, _ in shared])
        listed = [
            (*named[number][:2], count, amount, *named[number][2:])
            for number, count, amount in shared
        ]
    return [
        {
            "org_id": org_id,
            "name": name,
            "shared_funders": count,
            "amount": amount,
            "key": page_key(siren, rna, org_id),
        }
        for org_id, name, count, amount, siren, rna in listed
    ]


def _named(con: duckdb.DuckDBPyConnection, numbers: list[int]) -> dict[int, tuple[Any, ...]]:
    """Return the org id, name, SIREN and RNA of the organisations numbered ``numbers``.

    Apart from the sums: joined there, DuckDB read the whole table of organisations. Joined
    on the list, the rows are found by the index on their numbers (``org_rows_org_no``:
    1.1 ms for ten national, 3.5 without it); listed as constants, without the index, they
    were filtered after reading every block holding one (48 ms).
    """
    if not numbers:
        return {}
    found = con.execute(
        "SELECT org_no, org_id, name, siren, rna FROM org_rows WHERE org_no IN (SELECT unnest($n))",
        {"n": numbers},
    ).fetchall()
    return {number: tuple(rest) for number, *rest in found}


def grants_of(
    con: duckdb.DuckDBPyConnection,
    org_id: str,
    kind: str,
    after: tuple[int, int, int] | None,
    limit: int,
    org_no: int | None = None,
) -> list[dict[str, Any]]:
    """Return up to ``limit`` + 1 linked grants of ``org_id``, each with how it was linked.

    ``org_no`` is its number, when the caller has it.
    """
    from fundtrail.analysis.pages import org_number

    if org_no is None:
        org_no = org_number(con, org_id)
        if org_no is None:  # resolved from the same tables: only a store changed under the site
            raise duckdb.InvalidInputException(f"organisation {org_id} has no number")
    column = "beneficiary_no" if kind == "beneficiary" else "funder_no"
    keyset, params = "TRUE", []
    if after is not None:
        keyset, params = after_grant_sql(), after_grant_params(after)
    found = rows(
        con,
        f"""
        SELECT {FACT_COLUMNS}, {kind}_link_method AS link_method,
               {kind}_link_score AS link_score, {kind}_link_explanation AS link_explanation
        FROM grant_facts WHERE {column} = ? AND {keyset}
        ORDER BY source_id, table_id, row_number LIMIT ?
        """,
        [org_no, *params, limit + 1],
    )
    return found


def csv_sql(kind: str, fields: tuple[str, ...]) -> str:
    """Return the SQL of every linked grant of one organisation (one parameter: its id)."""
    column = "f.beneficiary_org" if kind == "beneficiary" else "f.funder_org"
    listed = ", ".join(f"g.{name}" for name in fields)
    return f"""
        SELECT g.grant_id, {listed}, f.counted_amount, f.counted, f.cluster_id,
               f.{kind}_link_method AS link_method, f.{kind}_link_explanation AS link_explanation
        FROM grant_facts f JOIN grants g ON g.grant_id = f.grant_id
        WHERE {column} = ? ORDER BY g.source_id, g.table_id, g.row_number
    """


def funder(con: duckdb.DuckDBPyConnection, key: str, org_id: str) -> dict[str, Any]:
    """Return the linked funder page: identity, yearly totals, top beneficiaries, bands.

    Its sums are read from its page rows (``fundtrail.analysis.funder_pages``), written at
    link time from the same fact rows.
    """
    from fundtrail.analysis.funder_pages import funder_page_of

    page = _page(con, org_id)
    org = page["org"]
    funder_page = funder_page_of(con, org["org_no"])
    profile = _profile(con, page, "funder", funder_page=funder_page)
    ident = _identity(org, profile.get("funder", {}))
    parts = funder_page or {}
    by_year = [dict(r) for r in parts.get("by_year", [])]
    _growth(by_year)
    total = sum((r["amount"] for r in by_year), Decimal(0))
    top = []
    for row in parts.get("top_beneficiaries", []):
        shown = {k: v for k, v in row.items() if k not in ("beneficiary_no", "siren", "rna")}
        shown["key"] = page_key(row["siren"], row["rna"], row["org_id"])
        shown["share"] = share(row["amount"], total)
        top.append(shown)
    bands = [{k: v for k, v in r.items() if k != "lowest"} for r in parts.get("bands_counted", [])]
    quality = [dict(r) for r in parts.get("sources", [])]
    counted = parts.get("beneficiaries", [])
    years = [r["year"] for r in by_year if r["year"] is not None]
    identity = {
        "key": key,
        "org_id": org_id,
        "name": ident.get("name"),
        "level": ident.get("level"),
        "names": [n["name"] for n in ident.get("names", [])][:20],
        "siren": ident.get("siren"),
        "grants": sum(r["grants"] for r in by_year),
        "total": total,
        "beneficiaries": counted[0]["beneficiaries"] if counted else 0,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
    }
    page_data = tidy({
        "linked": True,
        "funder": identity,
        "profile": {},  # tidy already: set below
        "tables": {"by_year": by_year, "top_beneficiaries": top, "bands": bands,
                   "quality": quality},
    })  # fmt: skip
    return {**page_data, "profile": profile}
