"""SQL steps of linking, as pure functions of their inputs: each returns SQL text.

Only ``fundtrail.link.build`` executes them. Table names are constants of the link step;
values (thresholds, names) go in as parameters. Keeping the matcher as text built from the
names of its input tables lets the same rules run for the real link and for the
leave-one-out evaluation of layer 2 (``fundtrail.link.evaluate``).
"""

from __future__ import annotations

# The value of the first unmapped column (kept in ``extras`` under its published name)
# whose folded name matches a pattern: the beneficiary's postcode and commune when a file
# gives them (Maine-et-Loire: "Code postal", "Commune").
EXTRA_MACRO = """
CREATE OR REPLACE MACRO ft_extra(extras, pattern) AS list_filter(
    map_entries(try_cast(extras AS MAP(VARCHAR, VARCHAR))),
    lambda e: regexp_matches(lower(strip_accents(e.key)), pattern))[1].value
"""

# A party is one side (beneficiary or funder) of one grant, with what linking needs.
PARTIES_SQL = """
CREATE OR REPLACE TEMP TABLE link_party AS
WITH fixed AS (
    SELECT source_id, table_id, "row_number", field,
           first(original ORDER BY rule) AS original, first(rule ORDER BY rule) AS rule
    FROM repairs
    WHERE field IN ('idBeneficiaire', 'rnaBeneficiaire', 'idAttribuant')
    GROUP BY ALL
),
-- a key is computed once per distinct name: a funder's name repeats on all its grants, an
-- organisation's on each of its grants, and the key's regular expressions are the cost
keys AS MATERIALIZED (
    SELECT name, ft_name_key(name) AS name_key
    FROM (SELECT beneficiary_name AS name FROM grants UNION SELECT funder_name FROM grants)
    WHERE name IS NOT NULL
)
SELECT g.grant_id, 'beneficiary' AS role, g.beneficiary_name AS name,
       nullif(regexp_extract(ft_extra(g.extras, '^(code ?postal|cp)( |$)'), '[0-9]{5}'), '')
           AS postcode,
       nullif(ft_fold_name(ft_extra(g.extras, '^(commune|ville|localite)( |$)')), '')
           AS commune,
       coalesce(k.name_key, '') AS name_key,
       g.beneficiary_siren AS siren, g.beneficiary_siret AS siret, g.beneficiary_rna AS rna,
       r.original AS repaired_from, r.rule AS repair_rule,
       CASE WHEN list_contains(g.flags, 'identifier-destroyed-float')
            THEN g.beneficiary_id END AS damaged_id
FROM grants g
LEFT JOIN fixed r ON r.source_id = g.source_id AND r.table_id = g.table_id
    AND r."row_number" = g."row_number" AND r.field = 'idBeneficiaire'
LEFT JOIN keys k ON k.name = g.beneficiary_name
UNION ALL
SELECT g.grant_id, 'funder', g.funder_name, NULL, NULL, coalesce(k.name_key, ''),
       g.funder_siren, g.funder_siret, NULL, r.original, r.rule,
       CASE WHEN list_contains(g.flags, 'identifier-destroyed-float') THEN g.funder_id END
FROM grants g
LEFT JOIN fixed r ON r.source_id = g.source_id AND r.table_id = g.table_id
    AND r."row_number" = g."row_number" AND r.field = 'idAttribuant'
LEFT JOIN keys k ON k.name = g.funder_name
"""

# One row per party found, by construction: every step adds only parties not yet found
# (no PRIMARY KEY: its index would hold millions of keys in memory).
FOUND_SQL = """
CREATE OR REPLACE TEMP TABLE link_found (
    grant_id VARCHAR, role VARCHAR, org_id VARCHAR, method VARCHAR, score DOUBLE,
    explanation VARCHAR
)
"""

# Layer 1: a valid SIREN (from a valid SIRET or published as such), repaired or not.
IDENTIFIER_SQL = """
INSERT INTO link_found
SELECT grant_id, role, 'FR-RCS-' || siren,
       CASE WHEN repaired_from IS NOT NULL THEN 'link-repaired-identifier'
            ELSE 'link-identifier' END,
       1.0,
       CASE WHEN repaired_from IS NOT NULL
                THEN 'published "' || repaired_from || '", repaired by ' || repair_rule
                     || ' to ' || coalesce(siret, siren) || ' -> SIREN ' || siren
            WHEN siret IS NOT NULL THEN 'SIRET ' || siret || ' -> SIREN ' || siren
            ELSE 'SIREN ' || siren END
FROM link_party
WHERE siren IS NOT NULL
"""

# Layer 1: an RNA number alone; it leads to the SIREN seen with it on other grants when
# exactly one SIREN was.
RNA_SQL = """
INSERT INTO link_found
WITH owner AS (
    SELECT rna, min(siren) AS siren, count(DISTINCT siren) AS sirens
    FROM link_party WHERE rna IS NOT NULL AND siren IS NOT NULL GROUP BY rna
)
SELECT p.grant_id, p.role,
       CASE WHEN o.sirens = 1 THEN 'FR-RCS-' || o.siren ELSE 'FR-RNA-' || p.rna END,
       CASE WHEN p.repaired_from IS NOT NULL THEN 'link-repaired-identifier' ELSE 'link-rna' END,
       1.0,
       'RNA ' || p.rna || CASE WHEN o.sirens = 1
           THEN ' -> SIREN ' || o.siren || ' (published together on other grants)' ELSE '' END
FROM link_party p LEFT JOIN owner o USING (rna)
WHERE p.siren IS NULL AND p.rna IS NOT NULL
"""

# The head words of a public body's name, removed to compare the place it names.
_HEADS = (
    "VILLE|COMMUNE|MAIRIE|DEPARTEMENT|CONSEIL DEPARTEMENTAL|CONSEIL GENERAL|REGION"
    "|CONSEIL REGIONAL|CD"
)
PLACE_KEY_MACRO = f"""
CREATE OR REPLACE MACRO ft_place_key(key) AS regexp_replace(key, '^({_HEADS}) ', '')
"""

# A funder named after a public body of the reference lists ("Ville de Paris",
# "Département de Maine-et-Loire") gets that body's SIREN when the name is unique there.
REFERENCE_NAME_SQL = r"""
INSERT INTO link_found
WITH wanted AS (
    SELECT grant_id, role, name, name_key,
           CASE WHEN regexp_matches(name_key, '^(VILLE|COMMUNE|MAIRIE) ') THEN 'commune'
                WHEN regexp_matches(name_key,
                                    '^(DEPARTEMENT|CONSEIL DEPARTEMENTAL|CONSEIL GENERAL|CD) ')
                    THEN 'departement'
                WHEN regexp_matches(name_key, '^(REGION|CONSEIL REGIONAL) ') THEN 'region'
           END AS kind,
           ft_place_key(name_key) AS place
    FROM link_party p
    WHERE NOT EXISTS (SELECT 1 FROM link_found f WHERE f.grant_id = p.grant_id AND f.role = p.role)
),
bodies AS (
    SELECT kind, ft_place_key(name_key) AS place, min(siren) AS siren, min(name) AS name,
           count(*) AS n
    FROM reference_bodies GROUP BY ALL
)
SELECT w.grant_id, w.role, 'FR-RCS-' || b.siren, 'link-reference-name', 1.0,
       '"' || w.name || '" names the ' || w.kind || ' "' || b.name || '", SIREN ' || b.siren
FROM wanted w JOIN bodies b ON b.kind = w.kind AND b.place = w.place AND b.n = 1
WHERE w.kind IS NOT NULL
"""


# Layer 1 with a damaged identifier: a SIRET turned into a float keeps its first digits
# ("84313200000000.0"). When at least 6 survive, an organisation whose SIREN starts with them
# AND whose name is close (Jaro-Winkler >= $damaged) is the one meant, if it is the only one.
DAMAGED_SQL = """
CREATE OR REPLACE TEMP TABLE link_damaged AS
WITH todo AS (
    SELECT grant_id, role, name, name_key, damaged_id,
           left(regexp_extract(damaged_id, '^([0-9]*[1-9])0*(\\.0+)?$', 1), 9) AS prefix
    FROM link_party p
    WHERE damaged_id IS NOT NULL AND name_key <> ''
      AND NOT EXISTS (SELECT 1 FROM link_found f WHERE f.grant_id = p.grant_id AND f.role = p.role)
),
candidates AS (
    SELECT t.grant_id, t.role, t.name, t.damaged_id, t.prefix, i.org_id, i.name_key AS matched,
           jaro_winkler_similarity(t.name_key, i.name_key) AS score
    FROM todo t JOIN link_name_index i
        ON i.siren6 = left(t.prefix, 6) AND starts_with(substr(i.org_id, 8), t.prefix)
    WHERE length(t.prefix) >= 6
      AND jaro_winkler_similarity(t.name_key, i.name_key) >= $damaged
),
best AS (
    SELECT grant_id, role, any_value(name) AS name, any_value(damaged_id) AS damaged_id,
           any_value(prefix) AS prefix, count(DISTINCT org_id) AS orgs,
           arg_max(org_id, score) AS org_id, arg_max(matched, score) AS matched,
           max(score) AS score
    FROM candidates GROUP BY grant_id, role
)
SELECT * FROM best
"""


def name_index_sql(found: str, parties: str) -> str:
    """Return SQL creating ``link_name_index``: every name key known for an organisation.

    Keys come from the parties already linked in ``found`` (with how many parties carried
    each, and which one when only one did, so that an evaluation can leave it out), from the
    register and from the reference lists.
    """
    return f"""
CREATE OR REPLACE TEMP TABLE link_name_index AS
WITH keys AS (
    SELECT f.org_id, p.name_key, count(*) AS parties,
           min(p.grant_id || '/' || p.role) AS only_party
    FROM {found} f JOIN {parties} p USING (grant_id, role)
    WHERE p.name_key <> '' GROUP BY ALL
    UNION ALL
    SELECT 'FR-RCS-' || siren, ft_name_key(name), 0, NULL FROM register_units
    WHERE name IS NOT NULL
    UNION ALL
    SELECT 'FR-RCS-' || siren, name_key, 0, NULL FROM reference_bodies
)
SELECT org_id, name_key,
       array_to_string(list_sort(string_split(name_key, ' ')), ' ') AS sorted_key,
       split_part(name_key, ' ', 1) AS first_word,
       left(split_part(name_key, ' ', 2), 3) AS second3,
       string_split(name_key, ' ')[-1] AS last_word,
       CASE WHEN org_id LIKE 'FR-RCS-%' THEN substr(org_id, 8, 6) END AS siren6,
       sum(parties) AS parties,
       CASE WHEN sum(parties) = 1 THEN min(only_party) END AS only_party
FROM keys WHERE name_key <> '' GROUP BY org_id, name_key
"""


# A look-alike name is sought among the index names of its block (see ``name_match_sql``).
# A block of at most FULL_BLOCK index names is compared whole; in a larger one (a common
# start such as "COMITE DES FETES"), a name meets only the index names within NEIGHBOURS to
# 2 x NEIGHBOURS places of it in alphabetical order, so that the pairs grow with the names,
# not their square. On the real files (register and reference lists loaded, blocks of up
# to 295 names), these values give the same review list as comparing every pair.
NEIGHBOURS = 5
FULL_BLOCK = 60
# A party is left out of at most one index entry (its own name for its own organisation),
# so the closest REVIEWED + 1 names of a key hold the closest REVIEWED of each of its parties.
REVIEWED = 3


def name_match_sql(parties: str, found: str, similar_threshold_param: str = "$similar") -> str:
    """Return SQL creating ``link_name_match``: the layer-2 outcome of each unlinked party.

    ``outcome`` is 'link-name' (the key equals the key of exactly one organisation),
    'link-name-reordered' (same words in another order, one organisation),
    'link-ambiguous-name' (several organisations: review) or 'link-similar-name'
    (Jaro-Winkler similarity at or above the threshold among blocked pairs: review, the
    ``REVIEWED`` closest). A party's own contribution to the index (``only_party``) is
    never its own candidate.

    Look-alike names are compared once per distinct key, not once per party, and only
    within blocks: the same first word and start of the second, or the same last word and
    first three letters. A block larger than ``FULL_BLOCK`` index names is searched by
    sorted neighbourhood (at least ``NEIGHBOURS`` on either side), so no step builds the
    square of a block: synthetic and national files have thousands of names starting alike.
    """
    return f"""
CREATE OR REPLACE TEMP TABLE link_name_match AS
WITH todo AS MATERIALIZED (
    SELECT p.grant_id, p.role, p.name, p.name_key,
           array_to_string(list_sort(string_split(p.name_key, ' ')), ' ') AS sorted_key,
           split_part(p.name_key, ' ', 1) AS first_word,
           left(split_part(p.name_key, ' ', 2), 3) AS second3,
           string_split(p.name_key, ' ')[-1] AS last_word
    FROM {parties} p
    WHERE p.name_key <> ''
      AND NOT EXISTS (SELECT 1 FROM {found} f WHERE f.grant_id = p.grant_id AND f.role = p.role)
),
exact AS (
    SELECT t.grant_id, t.role, t.name, i.org_id, i.name_key AS matched, 'exact' AS how
    FROM todo t JOIN link_name_index i ON i.name_key = t.name_key
    WHERE i.only_party IS DISTINCT FROM t.grant_id || '/' || t.role
),
reordered AS (
    SELECT t.grant_id, t.role, t.name, i.org_id, i.name_key, 'reordered'
    FROM todo t JOIN link_name_index i ON i.sorted_key = t.sorted_key AND i.name_key <> t.name_key
    WHERE i.only_party IS DISTINCT FROM t.grant_id || '/' || t.role
),
candidates AS MATERIALIZED (SELECT * FROM exact UNION ALL SELECT * FROM reordered),
counted AS MATERIALIZED (
    SELECT grant_id, role, any_value(name) AS name,
           count(DISTINCT org_id) FILTER (WHERE how = 'exact') AS n_exact,
           count(DISTINCT org_id) FILTER (WHERE how = 'reordered') AS n_reordered
    FROM candidates GROUP BY grant_id, role
),
decided AS (
    SELECT n.grant_id, n.role, n.name, k.org_id, k.matched,
           CASE WHEN n.n_exact = 1 THEN 'link-name'
                WHEN n.n_exact > 1 THEN 'link-ambiguous-name'
                WHEN n.n_reordered = 1 THEN 'link-name-reordered'
                ELSE 'link-ambiguous-name' END AS outcome,
           CASE WHEN n.n_exact = 1 THEN 0.99 WHEN n.n_exact = 0 AND n.n_reordered = 1 THEN 0.96
                ELSE 0.5 END AS score
    FROM counted n
    JOIN candidates k USING (grant_id, role)
    WHERE (n.n_exact > 0 AND k.how = 'exact') OR (n.n_exact = 0 AND k.how = 'reordered')
),
unmatched AS MATERIALIZED (
    SELECT t.* FROM todo t
    WHERE NOT EXISTS (SELECT 1 FROM counted c WHERE c.grant_id = t.grant_id AND c.role = t.role)
),
-- each distinct key of an unmatched party in its two blocks: the first word and the start
-- of the second, or the last word and the first three letters; a typo in one place still
-- meets its organisation, and a common first word ("COMITE", "CLUB") does not pair every
-- name with every other
key_blocks AS MATERIALIZED (
    SELECT DISTINCT 1 AS rule, first_word AS b1, second3 AS b2, name_key FROM unmatched
    UNION ALL
    SELECT DISTINCT 2, last_word, left(name_key, 3), name_key FROM unmatched
),
-- the index entries numbered in (organisation, name) order: the pairs carry the number,
-- not the strings, and ordering by it is ordering by organisation then name
entries AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY org_id, name_key) AS entry, org_id, name_key,
           only_party, first_word, second3, last_word
    FROM link_name_index
),
index_blocks AS MATERIALIZED (
    SELECT rule, b1, b2, entry, name_key,
           row_number() OVER (PARTITION BY rule, b1, b2 ORDER BY name_key, entry) - 1 AS rank,
           count(*) OVER (PARTITION BY rule, b1, b2) AS size
    FROM (
        SELECT 1 AS rule, first_word AS b1, second3 AS b2, entry, name_key FROM entries
        UNION ALL
        SELECT 2, last_word, left(name_key, 3), entry, name_key FROM entries
    )
),
-- in a large block, a key's place is the number of index names sorting before or with it
placed AS (
    SELECT rule, b1, b2, name_key, place
    FROM (
        SELECT rule, b1, b2, name_key, is_key,
               sum(CASE WHEN is_key THEN 0 ELSE 1 END) OVER (
                   PARTITION BY rule, b1, b2 ORDER BY name_key, is_key
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::BIGINT AS place
        FROM (
            SELECT rule, b1, b2, name_key, true AS is_key FROM key_blocks
            UNION ALL
            SELECT rule, b1, b2, name_key, false FROM index_blocks WHERE size > {FULL_BLOCK}
        )
    )
    WHERE is_key
),
pairs AS (
    SELECT k.name_key, i.entry, i.name_key AS matched
    FROM key_blocks k JOIN index_blocks i
        ON i.rule = k.rule AND i.b1 = k.b1 AND i.b2 = k.b2 AND i.size <= {FULL_BLOCK}
    UNION ALL
    -- the index names of the key's bucket of NEIGHBOURS and of the buckets either side:
    -- an equality join, so the work is bounded by the key count times 3 x NEIGHBOURS
    SELECT p.name_key, i.entry, i.name_key
    FROM (SELECT *, unnest([place // {NEIGHBOURS} - 1, place // {NEIGHBOURS},
                            place // {NEIGHBOURS} + 1]) AS bucket
          FROM placed) p
    JOIN index_blocks i
        ON i.rule = p.rule AND i.b1 = p.b1 AND i.b2 = p.b2 AND i.size > {FULL_BLOCK}
       AND i.rank // {NEIGHBOURS} = p.bucket
),
scored AS (
    SELECT name_key, entry, jaro_winkler_similarity(name_key, matched) AS score
    FROM pairs
    WHERE jaro_winkler_similarity(name_key, matched) >= {similar_threshold_param}
),
closest AS MATERIALIZED (
    -- a pair both blocks bring is scored twice but kept once; rank 1 is the closest
    SELECT c.name_key, c.rank, c.score, e.org_id, e.name_key AS matched, e.only_party
    FROM (
        SELECT *, row_number() OVER (PARTITION BY name_key ORDER BY score DESC, entry) AS rank
        FROM (SELECT DISTINCT * FROM scored)
        QUALIFY rank <= {REVIEWED + 1}
    ) c
    JOIN entries e USING (entry)
),
close_names AS (
    -- a party takes its key's REVIEWED closest names, or the next one when one of them is
    -- its own contribution to the index (no sort of the parties: there are millions)
    SELECT u.grant_id, u.role, u.name, c.org_id, c.matched, 'link-similar-name' AS outcome,
           c.score
    FROM unmatched u JOIN closest c USING (name_key)
    -- the party's own name among the first ones (a party owns at most one index entry)
    LEFT JOIN (SELECT name_key, only_party FROM closest
               WHERE rank <= {REVIEWED} AND only_party IS NOT NULL) own
        ON own.name_key = u.name_key AND own.only_party = u.grant_id || '/' || u.role
    WHERE c.only_party IS DISTINCT FROM u.grant_id || '/' || u.role
      AND (c.rank <= {REVIEWED} OR own.only_party IS NOT NULL)
)
SELECT DISTINCT * FROM decided
UNION ALL
-- a reviewer needs the few closest names, not every name a common word brings
SELECT grant_id, role, name, org_id, matched, outcome, score
FROM close_names
"""
