"""The serving tables: copies of what the pages read, laid out for one organisation at a time.

The store is read-only for the site and rebuilt as a whole, so the pages' lookups are
prepared here once, at link time, instead of on every visit. Nothing new is decided:
each table is a copy, a selection or a per-organisation sum of rows of the analysis and
link tables, mostly sorted by organisation number (``org_numbers``) so that DuckDB's zone
maps read one block of it, and every figure a page shows still comes from the same rows
(tests/test_web_serving.py compares each shortcut with the plain computation).

This is plain DuckDB SQL: these tables serve the DuckDB-backed site, not the analysis that
must also run on another engine.
"""

from __future__ import annotations

from contextvars import ContextVar

import duckdb

# The amount a linked figure adds: counted members of duplicate clusters, awarded kind.
FACT_AMOUNT = "coalesce(sum(f.counted_amount) FILTER (WHERE f.counted AND f.kind = 'awarded'), 0)"


def fold_sql(column: str) -> str:
    """Return SQL folding ``column`` (a constant name): no accents, lower case, words only."""
    return f"trim(regexp_replace(lower(strip_accents({column})), '[^a-z0-9]+', ' ', 'g'))"


# The amount bands of the search facets (23k = the legal publication threshold).
SEARCH_BAND_SQL = (
    "CASE WHEN f.amount < 23000 THEN 'lt-23k' WHEN f.amount < 100000 THEN '23k-100k' "
    "WHEN f.amount < 1000000 THEN '100k-1m' WHEN f.amount >= 1000000 THEN 'ge-1m' END"
)

# The names of an organisation (identity, quality needles), sorted by its number.
ORG_NAMES_SQL = """
CREATE OR REPLACE TABLE org_names_by_org AS
SELECT n.org_id, o.org_no, n.name, n.name_key, n.origin, n.grants
FROM org_names n JOIN org_numbers o USING (org_id)
ORDER BY o.org_no, n.name
"""

# Quarantined rows with their raw values already as text (a profile searches that text for
# the organisation's names), and the words of that text with the rows holding each: the
# rows worth searching for a name are found through them (``fundtrail.analysis.quarantine``).
QUARANTINE_SQL = """
CREATE OR REPLACE TABLE quarantine_text AS
SELECT (row_number() OVER (ORDER BY q.source_id, q."row_number"))::INTEGER AS q_no,
       q.source_id, s.name AS source_name, q."row_number", q.reasons,
       q.raw::VARCHAR AS raw_text
FROM quarantine q JOIN sources s USING (source_id)
ORDER BY q_no;
CREATE OR REPLACE TABLE quarantine_words AS
SELECT word, list(DISTINCT q_no ORDER BY q_no) AS q_nos FROM (
    SELECT unnest(regexp_split_to_array(raw_text, '[^0-9A-Za-z]+')) AS word, q_no
    FROM quarantine_text
) WHERE word <> '' GROUP BY word ORDER BY word
"""

# What the funder page adds up from its grants, narrow and sorted by funder number.
FACTS_BY_FUNDER_SQL = """
CREATE OR REPLACE TABLE facts_by_funder AS
SELECT funder_no, funder_org, year, beneficiary_org, counted, kind, counted_amount, amount,
       source_id
FROM grant_facts WHERE funder_no IS NOT NULL
ORDER BY funder_no, year
"""

# Each source file's warnings and repairs, counted once: a funder page lists its files with
# them, and counting 5 million repairs on every visit was most of its cost.
SOURCE_COUNTS_SQL = """
CREATE OR REPLACE TABLE source_counts AS
SELECT s.source_id, s.name, s.rows_read, s.rows_accepted, s.rows_quarantined,
       coalesce(i.warnings, 0) AS warnings, coalesce(r.repairs, 0) AS repairs
FROM sources s
LEFT JOIN (SELECT source_id, count(*) AS warnings FROM issues WHERE severity = 'warning'
           GROUP BY source_id) i USING (source_id)
LEFT JOIN (SELECT source_id, count(*) AS repairs FROM repairs GROUP BY source_id) r
    USING (source_id)
ORDER BY s.source_id
"""

# Each funder and beneficiary pair once, its awarded amount summed (NULL when it has none):
# "related organisations" count shared funders and add these amounts.
FUNDER_PAIRS_SQL = """
CREATE OR REPLACE TABLE funder_pairs AS
SELECT funder_no, org_no, sum(amount) FILTER (WHERE kind = 'awarded') AS awarded
FROM agg_funder_org WHERE funder_no IS NOT NULL AND org_no IS NOT NULL
GROUP BY funder_no, org_no ORDER BY funder_no, org_no;
CREATE OR REPLACE TABLE funder_pairs_top AS
SELECT t.funder_no, t.org_no, t.amount, t.place, o.org_id, o.name, o.siren, o.rna
FROM (
    SELECT funder_no, org_no, coalesce(awarded, 0) AS amount,
           row_number() OVER (PARTITION BY funder_no
                              ORDER BY coalesce(awarded, 0) DESC, org_no) AS place
    FROM funder_pairs QUALIFY place <= {shown}
) t JOIN org_rows o ON o.org_no = t.org_no
ORDER BY t.funder_no, t.place
"""

# Related organisations a page lists. Those of an organisation with one funder are the
# first beneficiaries of that funder (``funder_pairs_top`` keeps one more, as it may be
# among them, and their names): most organisations have one, and summing its funder's
# pairs on each visit was the longest read of their page.
RELATED_SHOWN = 10

# Indexes on the numbers that pages read a few rows by, scattered over large tables: zone
# maps read a whole block of 122,880 rows for each, an index the rows alone. Related
# organisations named (org_rows: 3.5 -> 1.1 ms national) and listed (funder_pairs_top:
# 2.8 -> 1.3 ms); a search finding a few organisations (search_figures for three: 22 ->
# under 1 ms; search_facets). Many organisations lie in runs of numbers, which zone maps
# serve better (``fundtrail.web.pages.linked_search``). They are made last in the link
# step, once every table is written, as the link tables' own: an index stays in memory
# until the commit, and org_rows' made before grant_facts was sorted put the national
# link out of its 1 GB. The reads are shaped for them: DuckDB leaves an index aside under
# an ORDER BY ... LIMIT or beside a filter on another column.
SERVING_INDEXES = (
    ("org_rows_org_no", "org_rows (org_no)"),
    ("funder_pairs_top_funder_no", "funder_pairs_top (funder_no)"),
    ("search_figures_s_no", "search_figures (s_no)"),
    ("search_facets_s_no", "search_facets (s_no)"),
)


def drop_serving_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the serving tables' indexes, before their tables are written again."""
    for name, _ in SERVING_INDEXES:
        con.execute(f"DROP INDEX IF EXISTS {name}")  # names are constants of this module


def create_serving_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Create the serving tables' indexes (``SERVING_INDEXES``), once they are written."""
    for name, target in SERVING_INDEXES:
        con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")  # constants


# The grants a funder's profile lists (its GRANTS_SHOWN first by year, amount, id): the
# same columns and order as ``fundtrail.analysis.profile.grant_rows``.
FUNDER_GRANTS_SQL = """
CREATE OR REPLACE TABLE funder_grants_shown AS
SELECT * FROM (
    SELECT funder_no, grant_id, year, date_text, funder_org, funder_name, beneficiary_org,
           beneficiary_name, purpose, amount, kind, share, counted_amount, counted,
           cluster_id, members, funder_link_method, funder_link_score,
           funder_link_explanation, source_id, source_name, table_id, "row_number", flags,
           row_number() OVER (PARTITION BY funder_no
                              ORDER BY year DESC NULLS LAST, amount DESC NULLS LAST,
                                       grant_id) AS place,
           count(*) OVER (PARTITION BY funder_no) AS listed_of
    FROM grant_facts WHERE funder_no IS NOT NULL
) WHERE place <= {shown}
ORDER BY funder_no, place
"""

# The funders, by number: a page names the funders of its rows from this small table.
FUNDER_ORGS_SQL = """
CREATE OR REPLACE TABLE funder_orgs AS
SELECT org_no, org_id, name, siren, rna, level FROM org_rows
WHERE org_id IN (SELECT funder_org FROM grant_facts WHERE funder_org IS NOT NULL)
ORDER BY org_no
"""

SERVING_TABLES = (
    "funder_orgs", "funder_pairs", "funder_pairs_top",
    "source_counts", "org_names_by_org", "quarantine_text", "quarantine_words",
    "facts_by_funder", "funder_grants_shown",
)  # fmt: skip


def build_serving(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild the serving tables from the analysis and link tables; return their row counts."""
    from fundtrail.analysis.pages import GRANTS_SHOWN
    from fundtrail.analysis.search_tables import SEARCH_TABLES, build_search

    listed = FUNDER_GRANTS_SQL.format(shown=int(GRANTS_SHOWN))
    pairs = FUNDER_PAIRS_SQL.format(shown=RELATED_SHOWN + 1)
    steps = (
        FUNDER_ORGS_SQL, pairs, ORG_NAMES_SQL, QUARANTINE_SQL, FACTS_BY_FUNDER_SQL,
        SOURCE_COUNTS_SQL,
    )  # fmt: skip
    for sql in (*steps, listed):
        for statement in sql.split(";"):
            if statement.strip():
                con.execute(statement)
    build_search(con)
    return {
        name: int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
        for name in (*SERVING_TABLES, *SEARCH_TABLES)  # names are constants
    }


# The tables of the store being served, read once when the site opens it (it never writes
# and the file is only replaced as a whole); None elsewhere, where the catalogue is asked.
KNOWN_TABLES: ContextVar[frozenset[str] | None] = ContextVar("known_tables", default=None)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Return True when the store has a table or view called ``name``."""
    known = KNOWN_TABLES.get()
    if known is not None:
        return name in known
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": name}
    ).fetchall()
    views = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = $n AND NOT internal", {"n": name}
    ).fetchall()
    return bool(found[0][0] or views[0][0])


def table_names(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Return the names of every table and view of the store."""
    return frozenset(
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION "
            "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    )
