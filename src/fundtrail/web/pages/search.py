"""The search page: organisations (beneficiaries) by name, SIREN/SIRET or RNA, with facets.

Matching forgives accents, case and legal-form words ("Association", "SARL", ...): the query
is folded the same way as the names, and every remaining word must appear in the name.
Facets (year, amount band, funder) show sums as well as counts, over the matched grants.

Once the store is linked, results are organisations (one row per linked organisation, its
figures those of its page), found through the link step's precomputed names
(``org_names``), at most ``MAX_MATCHED`` per request; grouping published names is only for
a store never linked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

import duckdb

from fundtrail.web.db import rows, table_exists
from fundtrail.web.pages import linked_search
from fundtrail.web.pages.analysis import linked
from fundtrail.web.problems import WebError
from fundtrail.web.sql import BAND_SQL, BANDS, BENEFICIARY_KEY, COUNTED_AMOUNT

MAX_WORDS = 8
# Organisations one linked search considers (the most granted first): bounds each request's
# work on a national store, whatever the words match.
MAX_MATCHED = 2000
# Words that name a legal form, not an organisation: dropped from the query.
_LEGAL = "association asso assoc ass sarl sas sasu sa eurl scop scic sci ste societe gie"
_LINKING = "fondation federation cooperative ccas syndicat l la le les de du des d et"
LEGAL_WORDS = frozenset(f"{_LEGAL} {_LINKING}".split(" "))
_SPLIT = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Return ``text`` without accents, in lower case, with blanks collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


@dataclass(frozen=True)
class Query:
    """What a search asks: words of a name or an identifier, and the facet filters."""

    text: str = ""
    year: int | None = None
    band: str | None = None
    funder: str | None = None
    level: str | None = None  # funder level (commune, epci, ...), once linking has run

    def words(self) -> list[str]:
        """Return the words a name must contain (legal-form words dropped)."""
        words = [w for w in _SPLIT.split(fold(self.text)) if w and w not in LEGAL_WORDS]
        return words[:MAX_WORDS]

    def identifier(self) -> tuple[str, str] | None:
        """Return ('siren', 9 digits) or ('rna', W + 9 digits) when the text is an identifier."""
        compact = re.sub(r"[\s.\-]", "", self.text).upper()
        if re.fullmatch(r"\d{9}|\d{14}", compact):
            return "siren", compact[:9]
        if re.fullmatch(r"W\d{9}", compact):
            return "rna", compact
        return None


def prepare(con: duckdb.DuckDBPyConnection, query: Query) -> tuple[Query, list[str] | None]:
    """Return the query as this store can answer it and the beneficiary names it matches.

    A funder level on a store not yet linked matches nothing: no grant has a linked funder.
    """
    if query.level is not None and not linked(con):
        return replace(query, level=None), []
    return query, matched_names(con, query)


def matched_names(con: duckdb.DuckDBPyConnection, query: Query) -> list[str] | None:
    """Return the published beneficiary names matching the query's words (None: no words).

    Names are folded once per distinct name, never per grant. Once linking has run, its
    precomputed name keys (``org_names``) answer first; names found only in the grants
    (e.g. a word inside parentheses, which name keys drop) are looked up next.
    """
    words = query.words()
    if not words or query.identifier() is not None:
        return None
    if table_exists(con, "org_names"):
        tests = " AND ".join("contains(name_key, ?)" for _ in words)
        found = rows(
            con,
            f"SELECT DISTINCT name FROM org_names WHERE origin = 'beneficiary' AND {tests}",
            [w.upper() for w in words],
        )
        if found:
            return [r["name"] for r in found]
    # ASCII names (most of them) skip strip_accents, the costly part of folding.
    folded = (
        "CASE WHEN strlen(name) = length(name) THEN lower(name) ELSE lower(strip_accents(name)) END"
    )
    tests = " AND ".join(f"contains({folded}, ?)" for _ in words)
    found = rows(
        con,
        "SELECT name FROM (SELECT DISTINCT beneficiary_name AS name FROM grants "
        f"WHERE beneficiary_name IS NOT NULL) WHERE {tests}",
        words,
    )
    return [r["name"] for r in found]


def facet_filters(query: Query, prefix: str = "") -> tuple[list[str], list[Any]]:
    """Return the year, band and funder conditions (constant text, columns after ``prefix``).

    The funder level is left to each caller: published and linked stores find it differently.
    """
    conditions: list[str] = []
    params: list[Any] = []
    if query.year is not None:
        conditions.append(f"{prefix}year = ?")
        params.append(query.year)
    if query.band is not None:
        if query.band not in {b[0] for b in BANDS}:
            raise WebError(400, "invalid-parameter", "band")
        conditions.append(f"{BAND_SQL.replace('amount', f'{prefix}amount')} = ?")
        params.append(query.band)
    if query.funder is not None:
        conditions.append(f"{prefix}funder_name = ?")
        params.append(query.funder)
    return conditions, params


def after_clause(after: tuple[Decimal, str] | None) -> tuple[str, list[Any]]:
    """Return the condition on (total, key) starting a page after ``after``, and its parameters."""
    if after is None:
        return "", []
    return "WHERE total < ? OR (total = ? AND key > ?)", [after[0], after[0], after[1]]


def _where(query: Query, names: list[str] | None) -> tuple[str, list[Any]]:
    """Return the WHERE clause (constant text) and its parameters for ``query``."""
    conditions: list[str] = ["TRUE"]
    params: list[Any] = []
    ident = query.identifier()
    if ident is not None:
        conditions.append(f"beneficiary_{ident[0]} = ?")
        params.append(ident[1])
    else:
        if names is not None:
            conditions.append("beneficiary_name IN (SELECT unnest(?::VARCHAR[]))")
            params.append(names)
    more, more_params = facet_filters(query)
    conditions += more
    params += more_params
    if query.level is not None:
        conditions.append(f"grant_id IN ({_FUNDER_LEVEL_GRANTS})")
        params.append(query.level)
    return " AND ".join(conditions), params


# The grants whose funder is linked to an organisation of a given level (after linking).
_FUNDER_LEVEL_GRANTS = (
    "SELECT l.grant_id FROM grant_links l JOIN organisations o ON o.org_id = l.org_id "
    "WHERE l.role = 'funder' AND o.level = ?"
)


def parse_cursor(text: str | None) -> tuple[Decimal, str] | None:
    """Return (total, key) from a search cursor 'total~key'; raise a 400 when malformed."""
    if text is None:
        return None
    total, sep, key = text.partition("~")
    try:
        if not sep or not key:
            raise InvalidOperation
        value = Decimal(total)
        if not value.is_finite():
            raise InvalidOperation
        return value, key
    except InvalidOperation:
        raise WebError(400, "invalid-cursor", text) from None


def results_sql(
    query: Query, names: list[str] | None, after: tuple[Decimal, str] | None
) -> tuple[str, list[Any]]:
    """Return the SQL of the organisations matching ``query`` after ``after``, best first."""
    where, params = _where(query, names)
    having, after_params = after_clause(after)
    params = [*params, *after_params]
    sql = f"""
        WITH matched AS (
            SELECT {BENEFICIARY_KEY} AS key, * FROM grants WHERE {where}
        ), organisations AS (
            SELECT key,
                   mode(beneficiary_name) AS name,
                   any_value(beneficiary_siren) AS siren,
                   any_value(beneficiary_rna) AS rna,
                   count(*) AS grants,
                   coalesce(sum({COUNTED_AMOUNT}), 0) AS total,
                   count(DISTINCT funder_name) AS funders,
                   min(year) AS first_year,
                   max(year) AS last_year
            FROM matched GROUP BY key
        )
        SELECT * FROM organisations {having} ORDER BY total DESC, key
    """
    return sql, params


def export_sql(con: duckdb.DuckDBPyConnection, query: Query) -> tuple[str, list[Any]]:
    """Return the SQL and parameters of every organisation matching ``query`` (the CSV)."""
    if linked(con):
        found = linked_search.match(con, query)
        return linked_search.results_sql(con, query, found, None)
    answerable, names = prepare(con, query)
    return results_sql(answerable, names, None)


def search(
    con: duckdb.DuckDBPyConnection, query: Query, after: tuple[Decimal, str] | None, limit: int
) -> dict[str, Any]:
    """Return one page of organisations matching ``query``, the facets and the next cursor."""
    asked = query
    if linked(con):
        matched = linked_search.match(con, query)
        found, facets = linked_search.page(con, query, matched, after, limit + 1)
        capped = matched is not None and len(matched) >= MAX_MATCHED
    else:
        query, names = prepare(con, query)
        sql, params = results_sql(query, names, after)
        facets = _facets(con, query, names)
        capped = False
        found = rows(con, sql + " LIMIT ?", [*params, limit + 1])
    page, more = found[:limit], len(found) > limit
    last = page[-1] if page else None
    return {
        "query": {"q": asked.text, "year": asked.year, "band": asked.band,
                  "funder": asked.funder, "level": asked.level, "words": asked.words()},
        "linked": linked(con),
        # True when the words matched more organisations than one request considers
        "capped": capped,
        "max_matched": MAX_MATCHED,
        "tables": {"results": page, **facets},
        "next": f"{last['total']}~{last['key']}" if more and last else None,
        "limit": limit,
    }  # fmt: skip


def _facets(
    con: duckdb.DuckDBPyConnection, query: Query, names: list[str] | None
) -> dict[str, list[dict[str, Any]]]:
    """Return the facets of the matched grants: by year, amount band and funder."""
    where, params = _where(query, names)
    by_year = rows(
        con,
        f"SELECT year, count(*) AS grants, "
        f"coalesce(sum({COUNTED_AMOUNT}), 0) AS amount FROM grants WHERE {where} "
        "GROUP BY year ORDER BY year DESC NULLS LAST LIMIT 50",
        params,
    )
    by_band = rows(
        con,
        f"SELECT {BAND_SQL} AS band, count(*) AS grants, "
        f"coalesce(sum({COUNTED_AMOUNT}), 0) AS amount FROM grants WHERE {where} "
        "AND amount IS NOT NULL GROUP BY band ORDER BY min(amount)",
        params,
    )
    by_funder = rows(
        con,
        f"SELECT funder_name AS funder, count(*) AS grants, "
        f"coalesce(sum({COUNTED_AMOUNT}), 0) AS amount FROM grants WHERE {where} "
        "AND funder_name IS NOT NULL GROUP BY funder ORDER BY amount DESC, funder LIMIT 20",
        params,
    )
    by_level: list[dict[str, Any]] = []
    if linked(con):
        by_level = rows(
            con,
            f"""
            SELECT o.level, count(*) AS grants, coalesce(sum({COUNTED_AMOUNT}), 0) AS amount
            FROM grants g JOIN grant_links l ON l.grant_id = g.grant_id AND l.role = 'funder'
            JOIN organisations o ON o.org_id = l.org_id
            WHERE g.grant_id IN (SELECT grant_id FROM grants WHERE {where})
            GROUP BY o.level ORDER BY amount DESC, o.level
            """,
            params,
        )
    return {
        "facet_year": by_year,
        "facet_band": by_band,
        "facet_funder": by_funder,
        "facet_level": by_level,
    }
