"""Duplicate clusters: the same grant published twice, within a file or across files.

Rule ``duplicate-same-grant``: two grants are the same when they have the same funder
organisation, the same beneficiary organisation (after linking, so spellings and files do
not matter), the same amount and amount kind, the same convention date text (or, without a
date, the same year: budget or decision year, see ``grant_years``), the same normalised
purpose and the same decision reference (or none on both). A decision reference alone is
not enough: one council deliberation awards many grants (Poitiers 2017). A grant with
neither date nor year, or with only a year and neither purpose nor reference (Maine-et-Loire
lists payments by year: two equal payments in a year are two payments), is compared with
nothing.

Within one file, rows are the same grant only when every published cell is equal (the file
told the others apart: Montpellier lists one project under two budget themes); across
files, the rule above pairs them. Every member is kept; totals count the cluster once,
through the member counted (the first published: lowest source, table, row). A grant
alone is a cluster of one.
"""

from __future__ import annotations

import duckdb

CLUSTERS_SQL = """
INSERT INTO grant_clusters
WITH keyed AS MATERIALIZED (
    SELECT g.grant_id, g.source_id, g.table_id, g."row_number",
           fl.org_id AS funder_org, bl.org_id AS beneficiary_org, g.amount,
           coalesce(g.amount_kind, 'awarded') AS kind,
           CASE WHEN ft_name_key(g.purpose) = '' AND g.decision_reference IS NULL
                     AND length(coalesce(g.convention_date_text, '')) < 10
                THEN NULL  -- a year and an amount alone do not make two rows the same grant
                -- the year of grant_years, computed here rather than joined
                ELSE coalesce(g.convention_date_text,
                              coalesce(g.year, g.convention_year)::VARCHAR) || '|'
                     || ft_name_key(coalesce(g.purpose, '')) || '|'
                     || upper(trim(coalesce(g.decision_reference, ''))) END AS what
    FROM grants g
    LEFT JOIN grant_links fl ON fl.grant_id = g.grant_id AND fl.role = 'funder'
    LEFT JOIN grant_links bl ON bl.grant_id = g.grant_id AND bl.role = 'beneficiary'
),
shared AS (
    -- keys carried by several grants: only their grants can be duplicates, and only they
    -- go through the windows below (most grants are alone, and sorting them all was the
    -- cost of this step); a grant missing a part of the key is a cluster of its own
    SELECT funder_org, beneficiary_org, amount, kind, what FROM keyed
    WHERE funder_org IS NOT NULL AND beneficiary_org IS NOT NULL AND amount IS NOT NULL
      AND what IS NOT NULL
    GROUP BY ALL HAVING count(*) > 1
),
candidates AS (
    SELECT k.*, md5(g.raw::VARCHAR) AS raw_hash
    FROM keyed k JOIN shared s USING (funder_org, beneficiary_org, amount, kind, what)
    JOIN grants g ON g.grant_id = k.grant_id
),
tagged AS (
    -- within one source, only rows identical in every published cell are the same grant:
    -- rows the publisher told apart (another budget line, another theme) stay apart
    SELECT *, dense_rank() OVER (
        PARTITION BY funder_org, beneficiary_org, amount, kind, what, source_id
        ORDER BY raw_hash) AS tag
    FROM candidates
),
clustered AS (
    SELECT grant_id,
           first(grant_id ORDER BY source_id, table_id, "row_number") OVER (
               PARTITION BY funder_org, beneficiary_org, amount, kind, what, tag) AS cluster_id
    FROM tagged
),
counted AS (
    SELECT grant_id, cluster_id, count(*) OVER (PARTITION BY cluster_id) AS members
    FROM clustered
)
SELECT k.grant_id, coalesce(c.cluster_id, k.grant_id), coalesce(c.members, 1)::INTEGER,
       k.grant_id = coalesce(c.cluster_id, k.grant_id), 'duplicate-same-grant'
FROM keyed k LEFT JOIN counted c USING (grant_id)
ORDER BY k.grant_id
"""


def build_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``grant_clusters`` from the grants and their links (one row per grant)."""
    con.execute(CLUSTERS_SQL)
