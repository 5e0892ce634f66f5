"""One table holding every funder's page, read in one lookup per visit.

The funder page asked a dozen questions of the store (its years, top beneficiaries, kinds
of beneficiary, amount bands, the files it published...), most of them sums over all its
grants on each visit: some 35 ms for a commune with a few thousand grants. Like an
organisation's page (``fundtrail.analysis.pages``), the link step writes those rows here
once, each part a per-funder sum or selection of the fact and analysis rows, and the page
computes its figures from them as before (tests/test_web_serving.py compares the two).
Parts are keyed by the funder's organisation number (``org_no``).
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pyarrow as pa

from fundtrail.analysis.pages import PageTable, build_page_table, read_page
from fundtrail.analysis.serving import FACT_AMOUNT

# Beneficiaries listed on a funder's page (both its profile and its own table).
TOP_BENEFICIARIES = 20


def band_sql(column: str) -> str:
    """Return the SQL of the amount band of ``column`` (23k: the publication threshold)."""
    return (
        f"CASE WHEN {column} < 23000 THEN 'lt-23k' WHEN {column} < 100000 THEN '23k-100k' "
        f"WHEN {column} < 1000000 THEN '100k-1m' WHEN {column} >= 1000000 THEN 'ge-1m' END"
    )


# Per funder number: its sums by year and kind, its awarded sums by beneficiary (the
# profile's top), by kind of beneficiary and by band; its fact rows summed by year, by
# beneficiary (the page's top) and by band; the files its grants come from.
SOURCES: dict[str, str] = {
    "years": """
        SELECT o.org_no, y.year, y.kind, y.amount, y.grants
        FROM agg_funder_year y JOIN funder_orgs o ON o.org_id = y.funder_org""",
    "top": f"""
        SELECT funder_no AS org_no, org_id, beneficiary_name, beneficiary_kind, amount,
               grants, first_year, last_year
        FROM agg_funder_org WHERE kind = 'awarded' AND funder_no IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY funder_no ORDER BY amount DESC, org_id)
                <= {TOP_BENEFICIARIES}""",
    "kinds": """
        SELECT funder_no AS org_no, beneficiary_kind, sum(amount) AS amount,
               count(org_id) AS beneficiaries
        FROM agg_funder_org WHERE kind = 'awarded' AND funder_no IS NOT NULL
        GROUP BY funder_no, beneficiary_kind""",
    "bands": """
        SELECT o.org_no, b.band, b.amount, b.grants
        FROM agg_funder_bands b JOIN funder_orgs o ON o.org_id = b.funder_org
        WHERE b.kind = 'awarded'""",
    "by_year": f"""
        SELECT funder_no AS org_no, year, count(*) AS grants, {FACT_AMOUNT} AS amount,
               count(DISTINCT beneficiary_org) AS beneficiaries
        FROM facts_by_funder f GROUP BY funder_no, year""",
    "top_beneficiaries": f"""
        WITH sums AS (
            SELECT a.funder_no, a.org_no, sum(a.grants) AS grants,
                   coalesce(sum(a.amount) FILTER (WHERE a.kind = 'awarded'), 0) AS amount
            FROM agg_funder_org a WHERE a.funder_no IS NOT NULL AND a.org_no IS NOT NULL
            GROUP BY a.funder_no, a.org_no
        ), top AS (
            SELECT * FROM sums
            QUALIFY row_number() OVER (PARTITION BY funder_no ORDER BY amount DESC, org_no)
                    <= {TOP_BENEFICIARIES}
        )
        SELECT t.funder_no AS org_no, t.org_no AS beneficiary_no, o.org_id, o.name, o.siren,
               o.rna, o.kind, t.grants, t.amount
        FROM top t JOIN org_rows o ON o.org_no = t.org_no""",
    "bands_counted": f"""
        SELECT funder_no AS org_no, {band_sql("counted_amount")} AS band,
               count(*) AS grants, coalesce(sum(counted_amount), 0) AS amount,
               min(counted_amount) AS lowest
        FROM facts_by_funder WHERE counted AND kind = 'awarded' GROUP BY ALL""",
    "sources": """
        SELECT f.org_no, c.*
        FROM (SELECT DISTINCT funder_no AS org_no, source_id FROM facts_by_funder) f
        JOIN source_counts c USING (source_id)""",
    "beneficiaries": """
        SELECT funder_no AS org_no, count(DISTINCT beneficiary_org) AS beneficiaries
        FROM facts_by_funder GROUP BY funder_no""",
    # computed beside its peers first (``fundtrail.analysis.funder.publication_qualities``)
    "quality": "SELECT org_no, body FROM funder_quality_pages",
}

PARTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("years", "$src_years", "year NULLS LAST, kind", (
        ("year", "year"), ("kind", "kind"), ("amount", "amount"), ("grants", "grants"),
    )),
    ("top", "$src_top", "amount DESC, beneficiary_id", (
        ("beneficiary_id", "org_id"), ("beneficiary_name", "beneficiary_name"),
        ("beneficiary_kind", "beneficiary_kind"), ("amount", "amount"), ("grants", "grants"),
        ("first_year", "first_year"), ("last_year", "last_year"),
    )),
    ("kinds", "$src_kinds", "beneficiary_kind", (
        ("beneficiary_kind", "beneficiary_kind"), ("amount", "amount"),
        ("beneficiaries", "beneficiaries"),
    )),
    ("bands", "$src_bands", "band", (
        ("band", "band"), ("amount", "amount"), ("grants", "grants"),
    )),
    ("by_year", "$src_by_year", "year NULLS FIRST", (
        ("year", "year"), ("grants", "grants"), ("amount", "amount"),
        ("beneficiaries", "beneficiaries"),
    )),
    ("top_beneficiaries", "$src_top_beneficiaries", "amount DESC, beneficiary_no", (
        ("beneficiary_no", "beneficiary_no"), ("org_id", "org_id"), ("name", "name"),
        ("siren", "siren"), ("rna", "rna"), ("kind", "kind"), ("grants", "grants"),
        ("amount", "amount"),
    )),
    ("bands_counted", "$src_bands_counted", "lowest", (
        ("band", "band"), ("grants", "grants"), ("amount", "amount"), ("lowest", "lowest"),
    )),
    ("sources", "$src_sources", "source_id", (
        ("source_id", "source_id"), ("name", "name"), ("rows_read", "rows_read"),
        ("rows_accepted", "rows_accepted"), ("rows_quarantined", "rows_quarantined"),
        ("warnings", "warnings"), ("repairs", "repairs"),
    )),
    ("beneficiaries", "$src_beneficiaries", "beneficiaries", (
        ("beneficiaries", "beneficiaries"),
    )),
    ("quality", "$src_quality", "body", (("body", "body"),)),
)  # fmt: skip

FUNDER_PAGES = PageTable("funder_pages", PARTS, SOURCES)


def build_funder_pages(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``funder_pages`` from the fact and analysis tables; return its rows."""
    from fundtrail.analysis.funder import publication_qualities

    found = publication_qualities(con)
    bodies = pa.table(
        {"org_id": list(found), "body": [json.dumps(q, sort_keys=False) for q in found.values()]},
        schema=pa.schema([("org_id", pa.string()), ("body", pa.string())]),
    )
    con.register("funder_qualities_found", bodies)
    try:
        con.execute(
            """CREATE OR REPLACE TABLE funder_quality_pages AS
               SELECT n.org_no, f.body
               FROM funder_qualities_found f JOIN org_numbers n USING (org_id)
               ORDER BY n.org_no"""
        )
    finally:
        con.unregister("funder_qualities_found")
    rows = build_page_table(con, FUNDER_PAGES)
    con.execute("DROP TABLE funder_quality_pages")  # in funder_pages now
    return rows


def funder_page_of(con: duckdb.DuckDBPyConnection, funder_no: int) -> dict[str, Any] | None:
    """Return the page rows of the funder numbered ``funder_no``; None if it funds nothing."""
    page = read_page(con, FUNDER_PAGES, funder_no)
    return page if page["beneficiaries"] else None
