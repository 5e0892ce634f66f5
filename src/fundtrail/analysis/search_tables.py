"""The search tables: what the search page reads, laid out so a request reads little of it.

A search ranks the organisations whose published names hold every word of the query by
the grants of those names, keeps the first ``MAX_MATCHED`` and sums their figures and
facets. These tables are built once, at link time, from the link and fact tables, and
decide nothing: each row is a copy or a per-organisation sum of the same rows as before.

Two layouts make a request cheap:

- Every organisation has a *search number* (``s_no``): its rank by the grants of all its
  published names, most granted first. The per-organisation tables are sorted by it, so the
  organisations a common word finds, the most granted of many, lie in the first blocks of
  each table and DuckDB's zone maps skip the rest.
- Every organisation also has a *name number* (``n_no``): organisations in the order of the
  first word of their names, the most granted first within a word (those published under
  several first words come before all, most granted first). The same tables are copied in
  that order (``*_by_name``): the organisations a name's first words find ("Festival des
  Deux", "Comité des fêtes") lie side by side there, where by grants they are spread over
  most of the table. A request reads the copy where its organisations lie closer.
- The postings (``search_postings``) hold one row per word and name with what the ranking
  needs (the name's key, grants and organisation), sorted by word: a search reads the rows
  of its rarest word and tests the other words on those names only.

Plain DuckDB SQL, like ``fundtrail.analysis.serving`` which calls it.
"""

from __future__ import annotations

import duckdb

from fundtrail.analysis.serving import FACT_AMOUNT, SEARCH_BAND_SQL, fold_sql

# The search numbers: organisations by the grants of their names as beneficiary, most
# first (ties by number, so the order is the one a search ranks single-name matches in).
# The name numbers: organisations published under several first words, most granted first,
# then the others by the first word of their names and, within a word, most granted first
# (organisations never named as beneficiary last).
NUMBERS_SQL = """
CREATE OR REPLACE TABLE search_numbers AS
WITH granted AS (
    SELECT org_id, sum(grants) AS grants,
           count(DISTINCT split_part(name_key, ' ', 1)) AS firsts,
           min(split_part(name_key, ' ', 1)) AS first
    FROM org_names WHERE origin = 'beneficiary' GROUP BY org_id
), ranked AS (
    SELECT o.org_no, o.org_id, g.firsts, g.first,
           (row_number() OVER (ORDER BY coalesce(g.grants, 0) DESC, o.org_no))::INTEGER AS s_no
    FROM org_numbers o LEFT JOIN granted g USING (org_id)
)
SELECT org_no, org_id, s_no,
       (row_number() OVER (ORDER BY coalesce(firsts, 0) <= 1,
                                    CASE WHEN firsts = 1 THEN first END NULLS LAST, s_no)
       )::INTEGER AS n_no
FROM ranked ORDER BY org_no
"""

# Every word of the organisations' published names (as beneficiary), numbered in word order
# (``word_no``: an integer is compared faster than a text), and each word with its names: a
# word of a query is inside a name key exactly when it is inside one of the key's words
# (keys are words joined by blanks, query words have none). A name is numbered
# (``name_no``) so that a name holding two words that contain the query's rarest word
# counts once. A word holding a query word holds each of its three-letter pieces: the words
# to look at for a query word are those holding its rarest piece. Built in steps through
# scratch tables (dropped after): in one statement, inside the link step's transaction and
# its 1 GB, the postings went out of memory. Each piece's words and their names are
# counted (``search_grams``): no more names hold a query word than hold any of its pieces.
NAME_WORDS_SQL = """
CREATE OR REPLACE TABLE search_scratch_words AS
SELECT word, (row_number() OVER (ORDER BY word))::INTEGER AS word_no FROM (
    SELECT DISTINCT unnest(string_split(name_key, ' ')) AS word
    FROM org_names WHERE origin = 'beneficiary'
) WHERE word <> '';
CREATE OR REPLACE TABLE search_scratch_names AS
SELECT (row_number() OVER (ORDER BY n.org_id, n.name_key))::INTEGER AS name_no, n.org_id,
       s.org_no, s.s_no, s.n_no, n.name_key, n.grants
FROM org_names n JOIN search_numbers s USING (org_id) WHERE n.origin = 'beneficiary';
CREATE OR REPLACE TABLE search_scratch_pairs AS
SELECT w.word_no, p.name_no FROM (
    SELECT DISTINCT unnest(string_split(name_key, ' ')) AS word, name_no
    FROM search_scratch_names
) p JOIN search_scratch_words w USING (word);
CREATE OR REPLACE TABLE search_postings AS
SELECT p.word_no, n.name_no, n.s_no, n.n_no, n.org_no, n.org_id, n.name_key, n.grants
FROM search_scratch_pairs p JOIN search_scratch_names n USING (name_no)
ORDER BY p.word_no, n.s_no, n.name_no;
CREATE OR REPLACE TABLE search_words AS
SELECT w.word, w.word_no, p.names
FROM search_scratch_words w
JOIN (SELECT word_no, count(*) AS names FROM search_postings GROUP BY word_no) p USING (word_no)
ORDER BY w.word;
DROP TABLE search_scratch_words;
DROP TABLE search_scratch_names;
DROP TABLE search_scratch_pairs;
CREATE OR REPLACE TABLE search_word_grams AS
SELECT DISTINCT unnest([substr(word, i, 3) FOR i IN range(1, length(word) - 1)]) AS gram, word,
       word_no, names
FROM search_words WHERE length(word) >= 3 ORDER BY gram, word;
CREATE OR REPLACE TABLE search_grams AS
SELECT gram, count(*) AS words, sum(names) AS names FROM search_word_grams
GROUP BY gram ORDER BY gram
"""

# What a search without facet filters shows of each organisation it finds: the figures of
# its row, and its share of each facet, summed over the organisations found at request time.
# Funders are numbered in the order of their names (``search_funders``): summing by an
# integer is several times faster than by a text, and ties fall in the same order. The four
# facets are rows of one table (``facet``: which one; ``value``: a year or funder number;
# ``label``: an amount band or funder level): a request reads one table, not four. Each
# facet is summed in its own step (in one statement they went out of the link step's memory
# on the national store) and its rows are sorted by number: a range of numbers is four runs
# of rows, which zone maps find as well as one, and no sort of the whole table is needed.
FACET_YEAR, FACET_BAND, FACET_FUNDER, FACET_LEVEL = 1, 2, 3, 4
SEARCH_FIGURES_SQL = f"""
CREATE OR REPLACE TABLE search_figures AS
WITH figures AS (
    SELECT f.beneficiary_no AS org_no, count(*) AS grants, {FACT_AMOUNT} AS total,
           count(DISTINCT f.funder_org) AS funders, min(f.year) AS first_year,
           max(f.year) AS last_year
    FROM grant_facts f WHERE f.beneficiary_org IS NOT NULL GROUP BY f.beneficiary_no
)
SELECT s.s_no, coalesce(o.siren, o.rna, o.org_id) AS key, o.org_id, o.name, o.siren, o.rna,
       o.kind, o.commune, g.grants, g.total, g.funders, g.first_year, g.last_year
FROM figures g JOIN org_rows o USING (org_no) JOIN search_numbers s USING (org_no)
ORDER BY s.s_no;
CREATE OR REPLACE TABLE search_funders AS
SELECT funder, (row_number() OVER (ORDER BY funder))::INTEGER AS funder_no FROM (
    SELECT DISTINCT funder_name AS funder FROM grant_facts
    WHERE beneficiary_org IS NOT NULL AND funder_name IS NOT NULL
) ORDER BY funder_no;
CREATE OR REPLACE TABLE search_facets AS
SELECT s.s_no, {FACET_YEAR}::UTINYINT AS facet, f.year AS value, NULL::VARCHAR AS label,
       count(*) AS grants, {FACT_AMOUNT} AS amount, NULL::DECIMAL(38, 4) AS lowest
FROM grant_facts f JOIN search_numbers s ON s.org_no = f.beneficiary_no
WHERE f.beneficiary_org IS NOT NULL GROUP BY s.s_no, f.year ORDER BY s.s_no;
INSERT INTO search_facets
SELECT s.s_no, {FACET_BAND}, NULL, {SEARCH_BAND_SQL} AS band, count(*), {FACT_AMOUNT},
       min(f.amount)
FROM grant_facts f JOIN search_numbers s ON s.org_no = f.beneficiary_no
WHERE f.beneficiary_org IS NOT NULL AND f.amount IS NOT NULL GROUP BY s.s_no, band
ORDER BY s.s_no;
INSERT INTO search_facets
SELECT s.s_no, {FACET_FUNDER}, d.funder_no, NULL, count(*), {FACT_AMOUNT}, NULL
FROM grant_facts f JOIN search_numbers s ON s.org_no = f.beneficiary_no
JOIN search_funders d ON d.funder = f.funder_name
WHERE f.beneficiary_org IS NOT NULL GROUP BY s.s_no, d.funder_no ORDER BY s.s_no;
INSERT INTO search_facets
SELECT s.s_no, {FACET_LEVEL}, NULL, o.level, count(*), {FACT_AMOUNT}, NULL
FROM grant_facts f JOIN org_rows o ON o.org_no = f.funder_no
JOIN search_numbers s ON s.org_no = f.beneficiary_no
WHERE f.beneficiary_org IS NOT NULL GROUP BY s.s_no, o.level ORDER BY s.s_no
"""

# The per-organisation tables, each also copied in the order of the name numbers (the
# facets one facet at a time, as they are by number).
BY_NUMBER = ("search_figures", "search_facets")
BY_NAME_SQL = f"""
CREATE OR REPLACE TABLE search_figures_by_name AS
SELECT n.n_no, t.* EXCLUDE (s_no) FROM search_figures t JOIN search_numbers n USING (s_no)
ORDER BY n.n_no;
CREATE OR REPLACE TABLE search_facets_by_name AS
SELECT n.n_no, t.* EXCLUDE (s_no) FROM search_facets t JOIN search_numbers n USING (s_no)
WHERE t.facet = {FACET_YEAR} ORDER BY n.n_no;
""" + ";".join(
    f"""INSERT INTO search_facets_by_name
    SELECT n.n_no, t.* EXCLUDE (s_no) FROM search_facets t JOIN search_numbers n USING (s_no)
    WHERE t.facet = {facet} ORDER BY n.n_no"""
    for facet in (FACET_BAND, FACET_FUNDER, FACET_LEVEL)  # constants
)

# The organisations by the place they are registered in (their commune, set at link time
# from the register or the files), folded once: a query naming a place finds them. Folding
# every organisation's commune on each search took 340 ms for a million of them.
PLACES_SQL = f"""
CREATE OR REPLACE TABLE search_places AS
SELECT {fold_sql("commune")} AS place, org_id FROM organisations
WHERE commune IS NOT NULL ORDER BY place, org_id
"""

SEARCH_TABLES = (
    "search_numbers", "search_postings", "search_words", "search_word_grams", "search_grams",
    *BY_NUMBER, *(f"{table}_by_name" for table in BY_NUMBER), "search_funders",
    "search_places",
)  # fmt: skip

# Tables of earlier versions, no longer read.
_DROPPED = (
    "search_names", "search_name_words",
    *(f"search_facet_{facet}{by}" for facet in ("year", "band", "funder", "level")
      for by in ("", "_by_name")),
)  # fmt: skip


def build_search(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the search tables from the link and fact tables (their indexes are made at
    the end of the link step: ``fundtrail.analysis.serving.create_serving_indexes``)."""
    for name in _DROPPED:  # constants of this module
        con.execute(f"DROP TABLE IF EXISTS {name}")
    for sql in (NUMBERS_SQL, NAME_WORDS_SQL, SEARCH_FIGURES_SQL, BY_NAME_SQL, PLACES_SQL):
        for statement in sql.split(";"):
            if statement.strip():
                con.execute(statement)
