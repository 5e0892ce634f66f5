"""One table holding every organisation's page, read in one lookup per visit.

An organisation's page used to ask some fifteen questions of the store (its years, its
funders, identifiers, names, link methods, signals, the page's three tables...), each a
DuckDB query of about a millisecond. The store is read-only for the site and rebuilt as a
whole, so the link step writes those rows here once: ``org_pages`` holds, for each
organisation, the rows of each part of its page (tagged by ``part``, their cells as
JSON), sorted by organisation number so that a visit reads one block.

Nothing is decided here: each part is a selection or a per-organisation sum of the fact,
analysis, link and signal rows, and the page computes its figures from them as before
(tests/test_web_serving.py compares each part with the plain computation). A part's rows
are put in page order when read (``page_of``), by the ORDER BY written beside it: sorting
them here too would cost the link step more than sorting a few at each visit.
Plain DuckDB SQL, like ``fundtrail.analysis.serving``; built after the signals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.analysis.serving import FACT_AMOUNT

# Grants listed on a profile; the count and totals always cover them all.
GRANTS_SHOWN = 500


def crowded_sql(shown: int) -> str:
    """Return the SELECT of the few beneficiaries with more than ``shown`` grants."""
    return f"""
        SELECT beneficiary_no AS org_no FROM grant_facts WHERE beneficiary_no IS NOT NULL
        GROUP BY beneficiary_no HAVING count(*) > {int(shown)}"""


def listed_sql(shown: int) -> str:
    """Return the source of the grants a page lists: all, or the ``shown`` first of crowded.

    Read from grant_facts as it is (sorted by beneficiary): a sorted copy of its 23
    columns would cost the link step more than the whole part.
    """
    return f"""(
        SELECT f.beneficiary_no AS org_no, f.* FROM grant_facts f
        ANTI JOIN $src_crowded c ON c.org_no = f.beneficiary_no
        WHERE f.beneficiary_no IS NOT NULL
        UNION ALL
        SELECT f.beneficiary_no AS org_no, f.* FROM grant_facts f
        SEMI JOIN $src_crowded c ON c.org_no = f.beneficiary_no
        QUALIFY row_number() OVER (
            PARTITION BY f.beneficiary_no ORDER BY f.year DESC, f.amount DESC, f.grant_id
        ) <= {int(shown)}
    )"""


# The sums of an organisation's page tables (by funder, by year, by funder and year) over
# its fact rows, and the rows keyed by org id, with its number. A funder an organisation
# names is summed by number and named after; the published name (its most frequent) only
# names the rows of a funder no organisation names. Each is stored on its own first
# (``$src_<name>`` in ``PARTS``, dropped after): computed together with the sort of all
# page rows, they went past the link step's memory limit.
SOURCES: dict[str, str] = {
    "by_funder": f"""
        WITH named AS (
            SELECT f.beneficiary_no AS org_no, f.funder_no, count(*) AS grants,
                   {FACT_AMOUNT} AS amount, min(f.year) AS first_year, max(f.year) AS last_year
            FROM grant_facts f WHERE f.beneficiary_no IS NOT NULL AND f.funder_no IS NOT NULL
            GROUP BY f.beneficiary_no, f.funder_no
        )
        SELECT n.org_no, o.org_id AS funder_id, o.siren AS funder_siren, o.name AS funder,
               o.level, n.grants, n.amount, n.first_year, n.last_year
        FROM named n JOIN funder_orgs o ON o.org_no = n.funder_no
        UNION ALL
        SELECT f.beneficiary_no, f.funder_org, NULL, mode(f.funder_name), NULL, count(*),
               {FACT_AMOUNT}, min(f.year), max(f.year)
        FROM grant_facts f WHERE f.beneficiary_no IS NOT NULL AND f.funder_no IS NULL
        GROUP BY f.beneficiary_no, f.funder_org""",
    "by_year": f"""
        SELECT f.beneficiary_no AS org_no, f.year, count(*) AS grants, {FACT_AMOUNT} AS amount,
               count(DISTINCT f.funder_org) AS funders
        FROM grant_facts f WHERE f.beneficiary_no IS NOT NULL
        GROUP BY f.beneficiary_no, f.year""",
    "by_funder_year": f"""
        WITH named AS (
            SELECT f.beneficiary_no AS org_no, f.year, f.funder_no, count(*) AS grants,
                   {FACT_AMOUNT} AS amount
            FROM grant_facts f WHERE f.beneficiary_no IS NOT NULL AND f.funder_no IS NOT NULL
            GROUP BY f.beneficiary_no, f.year, f.funder_no
        )
        SELECT n.org_no, n.year, o.name AS funder, o.org_id AS funder_id, n.grants, n.amount
        FROM named n JOIN funder_orgs o ON o.org_no = n.funder_no
        UNION ALL
        SELECT f.beneficiary_no, f.year, mode(f.funder_name), f.funder_org, count(*),
               {FACT_AMOUNT}
        FROM grant_facts f WHERE f.beneficiary_no IS NOT NULL AND f.funder_no IS NULL
        GROUP BY f.beneficiary_no, f.year, f.funder_org""",
    "methods": """
        SELECT beneficiary_no AS org_no, beneficiary_link_method AS method, count(*) AS grants
        FROM grant_facts WHERE beneficiary_no IS NOT NULL GROUP BY ALL""",
    "identifiers": """
        SELECT n.org_no, i.* FROM org_identifiers i JOIN org_numbers n USING (org_id)""",
    "signals": """
        SELECT n.org_no, s.* FROM signals s JOIN org_numbers n USING (org_id)""",
    # the few beneficiaries with more grants than a page lists (see ``listed_sql``)
    "crowded": crowded_sql(GRANTS_SHOWN),
}

# Each part of a page: its name, the table its rows come from, their order
# on the page, and its columns as (name on the page, expression).
PARTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("org", "org_rows", "org_id", (
        ("org_id", "org_id"), ("kind", "kind"), ("kind_source", "kind_source"),
        ("level", "level"), ("name", "name"), ("siren", "siren"), ("rna", "rna"),
        ("commune", "commune"), ("postcode", "postcode"), ("status", "status"),
    )),
    ("years", "agg_org_year", "year NULLS LAST, kind", (
        ("year", "year"), ("kind", "kind"), ("amount", "amount"), ("grants", "grants"),
    )),
    ("funders", "agg_org_funder WHERE kind = 'awarded'", "amount DESC, funder_id", (
        ("funder_id", "funder_org"), ("funder_name", "funder_name"),
        ("level", "funder_level"), ("amount", "amount"), ("grants", "grants"),
        ("first_year", "first_year"), ("last_year", "last_year"),
    )),
    ("identifiers", "$src_identifiers", "scheme, grants DESC, identifier", (
        ("scheme", "scheme"), ("identifier", "identifier"), ("grants", "grants"),
    )),
    ("names", "org_names_by_org", "name, origin", (
        ("name", "name"), ("origin", "origin"), ("grants", "grants"),
    )),
    ("methods", "$src_methods", "method", (("method", "method"), ("grants", "grants"))),
    ("signals", "$src_signals", "rule, year, signal_id", (
        ("signal_id", "signal_id"), ("rule", "rule"), ("threshold", "threshold"),
        ("year", "year"), ("value", "value"), ("funder_org_id", "funder_org_id"),
        ("grant_ids", "grant_ids"),
    )),
    ("by_funder", "$src_by_funder", "amount DESC, funder_id", (
        ("funder_id", "funder_id"), ("funder_siren", "funder_siren"), ("funder", "funder"),
        ("level", "level"), ("grants", "grants"), ("amount", "amount"),
        ("first_year", "first_year"), ("last_year", "last_year"),
    )),
    ("by_year", "$src_by_year", "year NULLS FIRST", (
        ("year", "year"), ("grants", "grants"), ("amount", "amount"), ("funders", "funders"),
    )),
    ("by_funder_year", "$src_by_funder_year", "year NULLS FIRST, amount DESC, funder_id", (
        ("year", "year"), ("funder", "funder"), ("funder_id", "funder_id"),
        ("grants", "grants"), ("amount", "amount"),
    )),
    ("grants", listed_sql(GRANTS_SHOWN), "year DESC, amount DESC, grant_id", (
        ("grant_id", "grant_id"), ("year", "year"), ("date", "date_text"),
        ("funder_id", "funder_org"), ("funder_name", "funder_name"),
        ("beneficiary_id", "beneficiary_org"), ("beneficiary_name", "beneficiary_name"),
        ("purpose", "purpose"), ("amount", "amount"), ("kind", "kind"), ("share", "share"),
        ("counted_amount", "counted_amount"), ("counted", "counted"),
        ("cluster_id", "cluster_id"), ("cluster_members", "members"),
        ("link_method", "beneficiary_link_method"),
        # a score is a float: written as text, read back as the float it was
        ("link_score", "beneficiary_link_score::VARCHAR"),
        ("link_explanation", "beneficiary_link_explanation"),
        ("source_id", "source_id"), ("source_name", "source_name"), ("table_id", "table_id"),
        ("row_number", '"row_number"'), ("flags", "flags"),
    )),
)  # fmt: skip

PART_NAMES = tuple(part for part, _, _, _ in PARTS)


@dataclass(frozen=True)
class PageTable:
    """A table of pages: one row per page row, found by a number (organisation's, funder's).

    ``parts`` and ``sources`` as ``PARTS`` and ``SOURCES`` above; each source is stored
    as ``<name>_src_<source>``, sorted by number, while the table is built.
    """

    name: str
    parts: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]
    sources: dict[str, str]

    @property
    def part_names(self) -> tuple[str, ...]:
        """Return the names of the parts, in their numbers' order."""
        return tuple(part for part, _, _, _ in self.parts)

    def rows_sql(self) -> str:
        """Return the SELECT of every page row: number, part, its cells as JSON.

        A lookup costs DuckDB about as much per column as per row it reads: the cells of
        a page row are kept in one JSON array (decimals written in full, read back as
        Decimals; the names are the part's), which makes a visit some three times quicker
        than a column per cell, and costs half what a JSON object would to build.
        """
        selects = []
        for number, (_, source, _, chosen) in enumerate(self.parts):
            cells = ", ".join(expression for _, expression in chosen)
            source = source.replace("$src_", f"{self.name}_src_")
            selects.append(
                f"SELECT org_no, {number}::UTINYINT AS part, json_array({cells}) AS body "
                f"FROM {source}"
            )
        return "\nUNION ALL\n".join(selects)


ORG_PAGES = PageTable("org_pages", PARTS, SOURCES)

# Page rows sorted at a time: sorting them all at once (13.7 million at 2.7 million grants)
# spilled to disk and went past the link step's memory limit; by ranges of organisation
# numbers, each sort stays in memory and the table is sorted all the same.
ROWS_PER_SORT = 2_000_000


def build_page_table(con: duckdb.DuckDBPyConnection, table: PageTable) -> int:
    """Rebuild the page table ``table``, sorted by number; return its rows."""
    # names: constants of this package
    for name, sql in table.sources.items():
        con.execute(
            f"CREATE OR REPLACE TABLE {table.name}_src_{name} AS "
            f"SELECT * FROM ({sql}) ORDER BY org_no"
        )
    rows = table.rows_sql()
    # zstd, not DuckDB's default for strings: a dictionary then FSST trained on every
    # segment of bodies nearly all unique cost 15 of the 34 s of CPU of org_pages at 2.7M
    # grants, for a bigger file (3.0 GB with zstd, 4.1 GB) and no quicker lookups
    con.execute(
        f"CREATE OR REPLACE TABLE {table.name} "
        "(org_no INTEGER, part UTINYINT, body JSON USING COMPRESSION zstd)"
    )
    total = int(con.execute(f"SELECT count(*) FROM ({rows})").fetchall()[0][0])
    # ranges of about ROWS_PER_SORT rows each: organisations have very different numbers
    # of page rows, so the bounds are quantiles of the rows' numbers, not even steps
    sorts = -(-total // ROWS_PER_SORT)
    bounds: list[int] = []
    if sorts > 1:
        cuts = [i / sorts for i in range(1, sorts)]
        found = con.execute(
            f"SELECT approx_quantile(org_no, {cuts}) FROM ({rows})"  # numbers computed here
        ).fetchall()[0][0]
        bounds = sorted({int(b) for b in found})
    for low, high in zip([None, *bounds], [*bounds, None], strict=True):
        within = " AND ".join(
            ([f"org_no > {low}"] if low is not None else [])
            + ([f"org_no <= {high}"] if high is not None else [])
        )
        con.execute(
            f"INSERT INTO {table.name} SELECT * FROM ({rows}) "
            f"WHERE {within or 'TRUE'} ORDER BY org_no, part"
        )
    for name in table.sources:
        con.execute(f"DROP TABLE {table.name}_src_{name}")
    return total


def build_pages(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``org_pages`` from the fact, analysis and signal tables; return its rows."""
    return build_page_table(con, ORG_PAGES)


def read_page(con: duckdb.DuckDBPyConnection, table: PageTable, number: int) -> dict[str, Any]:
    """Return the page of ``number`` in ``table``: each part's rows as dicts, in page order.

    Given as a constant, the number lets DuckDB's zone maps read the one block of the
    table that holds it.
    """
    found = con.execute(
        f"SELECT part, body FROM {table.name} WHERE org_no = $n", {"n": number}
    ).fetchall()
    page: dict[str, Any] = {part: [] for part in table.part_names}
    for part, body in found:
        name, _, _, chosen = table.parts[part]
        cells = json.loads(body, parse_float=Decimal)
        page[name].append({column: cell for (column, _), cell in zip(chosen, cells, strict=True)})
    for name, _, order, _ in table.parts:
        page[name] = sql_sorted(page[name], order)
    return page


def page_of(
    con: duckdb.DuckDBPyConnection, org_id: str, org_no: int | None = None
) -> dict[str, Any] | None:
    """Return the page rows of organisation ``org_id``, part by part; None when unknown.

    "org" is the organisation's ``org_rows`` row (with ``org_no``); every other part is the
    list of its rows as dicts of that part's columns, in page order ("grants": the
    GRANTS_SHOWN first it received). ``org_no`` is its number (``org_number``) when the
    caller has it.
    """
    if org_no is None:
        org_no = org_number(con, org_id)
    if org_no is None:
        return None
    page = read_page(con, ORG_PAGES, org_no)
    if not page["org"]:
        return None
    for grant in page["grants"]:  # written as text (see PARTS)
        if grant["link_score"] is not None:
            grant["link_score"] = float(grant["link_score"])
    return {**page, "org": {"org_no": org_no, **page["org"][0]}}


def org_number(con: duckdb.DuckDBPyConnection, org_id: str) -> int | None:
    """Return the number of organisation ``org_id`` (``org_numbers``), None when unknown."""
    found = con.execute(
        "SELECT org_no FROM org_numbers WHERE h = hash($id::VARCHAR) AND org_id = $id",
        {"id": org_id},
    ).fetchall()
    return int(found[0][0]) if found else None


def sql_sorted(rows: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    """Return ``rows`` sorted as DuckDB sorts by ``order`` ("a DESC, b NULLS FIRST, c").

    DuckDB puts NULLs last in either direction unless told NULLS FIRST; its strings compare
    by code point, as Python's do.
    """
    ordered = list(rows)
    # stable sorts, last term first, give the order of all the terms together
    for term in reversed([t.split() for t in order.split(",")]):
        column, descending = term[0], "DESC" in term
        nulls_last = term[-2:] != ["NULLS", "FIRST"]
        # NULLs apart by a flag sorting them to their end; values kept as they are
        ordered.sort(key=_sort_key(column, nulls_last != descending), reverse=descending)
    return ordered


def _sort_key(column: str, nulls_flag: bool) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    """Return the sort key of ``column``: (whether NULL == ``nulls_flag``, the value)."""

    def key(row: dict[str, Any]) -> tuple[bool, Any]:
        value = row[column]
        return (value is None) == nulls_flag, value if value is not None else 0

    return key
