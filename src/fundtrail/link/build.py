"""Link every grant's beneficiary and funder to an organisation, and rebuild what follows.

``build_links`` is what ``fundtrail link`` runs after ingest. It works set-based in DuckDB:

1. layer 1: a valid SIREN (from SIRET or SIREN), then an RNA number; a link whose
   identifier was repaired at ingest says so (``link-repaired-identifier``);
2. funders and beneficiaries named after a public body of the reference lists;
   a SIRET damaged into a float keeps its first digits: with a close name, an organisation
   whose SIREN starts with them is linked (``link-damaged-identifier``);
3. layer 2: rows without an identifier, by normalised name (``fundtrail.link.names``)
   against every name seen for an identified organisation, the register and the reference
   lists; a key carried by several organisations, or a merely similar name, goes to the
   review list (``link_review``) instead;
4. the decisions file, which always wins (``fundtrail.link.decisions``);
5. what is left gets an internal organisation per normalised name (``FT-...``);
6. organisations, identifiers and names; duplicate clusters; the analysis tables and the
   watchdog signals (``fundtrail.analysis.tables``, ``fundtrail.analysis.signals``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from fundtrail.errors import StoreError, UsageError
from fundtrail.link import steps
from fundtrail.link.decisions import read_decisions
from fundtrail.link.duplicates import build_clusters
from fundtrail.link.kinds import LEVEL_SQL, kind_sql
from fundtrail.link.names import register_macros
from fundtrail.link.schema import create_indexes, create_link_schema, drop_derived

# Jaro-Winkler similarity from which a name is proposed for review (never linked alone).
SIMILAR_THRESHOLD = 0.93
# Similarity a name needs, beside the surviving digits of a damaged SIREN, to be linked.
DAMAGED_THRESHOLD = 0.85
# DuckDB's memory limit during a rebuild: above it, DuckDB spills to its temporary
# directory ("<store>.tmp") instead of taking 80 % of the machine (15.9 GB was seen at
# 2.7 million grants without it); the Python process adds about 300 MB.
LINK_MEMORY_LIMIT = "1GB"
_SIZE = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


class StepClock:
    """Wall-clock seconds of each named step of a link run, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Yield while ``name`` runs, then add its duration to ``seconds``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - start
            self.seconds[name] = round(self.seconds.get(name, 0.0) + spent, 3)


@dataclass(frozen=True)
class LinkReport:
    """What a link run did: links per role and method, review items, organisations."""

    grants: int
    links: dict[str, dict[str, int]]  # role -> method code -> parties
    unlinked: dict[str, int]  # role -> parties with neither identifier nor name
    review: int
    organisations: int
    organisations_by_kind: dict[str, int]
    clusters: int  # duplicate clusters with more than one member
    signals: int
    decisions: int
    notes: list[str] = field(default_factory=list)
    # step -> wall seconds; not compared: two runs that did the same differ in time only
    seconds: dict[str, float] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data for JSON."""
        return {
            "grants": self.grants,
            "links": self.links,
            "unlinked": self.unlinked,
            "review": self.review,
            "organisations": self.organisations,
            "organisations_by_kind": self.organisations_by_kind,
            "clusters": self.clusters,
            "signals": self.signals,
            "decisions": self.decisions,
            "seconds": self.seconds,
        }


def run_step(
    con: duckdb.DuckDBPyConnection,
    step: str,
    sql: str,
    params: dict[str, Any] | None = None,
    clock: StepClock | None = None,
) -> None:
    """Execute one named SQL step; a failure raises StoreError naming the step and its SQL.

    With ``clock``, the step's duration is added to it under its name.
    """
    with (clock or StepClock()).step(step):
        try:
            con.execute(sql, params or {})
        except duckdb.Error as exc:
            raise StoreError(f"link step {step!r} failed: {exc}\n{sql}") from exc


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the link tables and macros the steps need on ``con``."""
    create_link_schema(con)
    register_macros(con)
    run_step(con, "place-key-macro", steps.PLACE_KEY_MACRO)
    run_step(con, "extra-macro", steps.EXTRA_MACRO)


def _apply_decisions(
    con: duckdb.DuckDBPyConnection, decisions_path: Path | None, clock: StepClock | None = None
) -> int:
    def run(step: str, sql: str) -> None:
        run_step(con, step, sql, None, clock)

    run(
        "decisions-table",
        """CREATE OR REPLACE TEMP TABLE link_decision (
            line INTEGER, decision VARCHAR, org_id VARCHAR, role VARCHAR, grant_id VARCHAR,
            name_key VARCHAR, note VARCHAR)""",
    )
    if decisions_path is None:
        return 0
    decisions = read_decisions(decisions_path)
    if decisions:
        con.executemany(
            "INSERT INTO link_decision VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (d.line, d.decision, d.org_id, d.role, d.grant_id, d.name_key, d.note)
                for d in decisions
            ],
        )
    targets = """
        SELECT p.grant_id, p.role, d.org_id, d.line, d.decision, d.note
        FROM link_decision d JOIN link_party p ON p.role = d.role
            AND (p.grant_id = d.grant_id OR p.name_key = d.name_key)
    """
    # "do not link" removes the algorithm's link to that organisation, whatever its method;
    # the party then falls to the next step (internal organisation by name).
    rejected = f"""
        FROM link_found f JOIN ({targets}) t ON t.grant_id = f.grant_id AND t.role = f.role
            AND t.org_id = f.org_id AND t.decision = 'do-not-link'
    """
    run(
        "decisions-reject-review",
        f"""
        INSERT INTO link_review
        SELECT f.grant_id, f.role, p.name, f.org_id, NULL, f.score, 'link-rejected'
        {rejected} JOIN link_party p ON p.grant_id = f.grant_id AND p.role = f.role
        """,
    )
    run(
        "decisions-reject",
        f"""
        DELETE FROM link_found WHERE (grant_id, role, org_id) IN (
            SELECT (f.grant_id, f.role, f.org_id) {rejected})
        """,
    )
    # a later decision in the file wins over an earlier one on the same party, and over
    # what the algorithm found for it
    run(
        "decisions-unlink",
        f"""
        DELETE FROM link_found WHERE (grant_id, role) IN (
            SELECT (grant_id, role) FROM ({targets}) WHERE decision = 'link')
        """,
    )
    run(
        "decisions-link",
        f"""
        INSERT INTO link_found
        SELECT grant_id, role, last(org_id ORDER BY line), 'link-manual', 1.0,
               'decision #' || last(line ORDER BY line)
               || coalesce(': ' || last(note ORDER BY line), '')
        FROM ({targets}) WHERE decision = 'link' GROUP BY grant_id, role
        """,
    )
    return len(decisions)


# Names are joined with concat_ws over nullif (not ||): an organisation absent from the
# register and the reference lists must still be typed by the names it is published under.
# Every party with the organisation it was linked to: joined once, read by the three
# statements after it (each joined millions of rows again before).
USED_SQL = """
CREATE OR REPLACE TEMP TABLE link_used AS
SELECT f.org_id, p.role, p.name, p.name_key, p.siren, p.siret, p.rna, p.postcode, p.commune
FROM link_found f JOIN link_party p USING (grant_id, role)
"""

ORGANISATIONS_SQL = f"""
INSERT INTO organisations
WITH used AS (SELECT org_id, name, rna, postcode, commune FROM link_used),
base AS (
    SELECT org_id,
           CASE WHEN org_id LIKE 'FR-RCS-%' THEN substr(org_id, 8) END AS siren,
           coalesce(mode(rna), CASE WHEN org_id LIKE 'FR-RNA-%' THEN substr(org_id, 8) END) AS rna,
           mode(postcode) AS postcode, mode(commune) AS commune
    FROM used GROUP BY org_id
),
names AS (
    SELECT org_id, first(name ORDER BY n DESC, name) AS name,
           string_agg(DISTINCT ft_fold_name(name), ' ; ') AS all_names
    FROM (SELECT org_id, name, count(*) AS n FROM used WHERE name IS NOT NULL GROUP BY ALL)
    GROUP BY org_id
),
joined AS MATERIALIZED (
    -- the folded names are computed once here: the kind rules test them many times
    SELECT b.org_id, b.siren, b.rna,
           coalesce(r.name, rb.name, n.name, b.org_id) AS name,
           coalesce(r.commune, CASE WHEN rb.kind = 'commune' THEN rb.name END, b.commune)
               AS commune,
           coalesce(r.postcode, rb.postcodes[1], b.postcode) AS postcode,
           r.status, r.legal_category, rb.kind AS reference_kind,
           concat_ws(' ; ', nullif(ft_fold_name(coalesce(r.name, rb.name)), ''), n.all_names)
               AS folded
    FROM base b
    LEFT JOIN names n USING (org_id)
    LEFT JOIN register_units r ON r.siren = b.siren
    LEFT JOIN reference_bodies rb ON rb.siren = b.siren
),
typed AS (
    SELECT *, {kind_sql("siren", "folded", "legal_category", "reference_kind", "rna")} AS k
    FROM joined
)
SELECT org_id, k.kind, k.source, {LEVEL_SQL.format(kind="k.kind")}, name, siren, rna,
       commune, postcode, status
FROM typed
ORDER BY org_id
"""

IDENTIFIERS_SQL = """
INSERT INTO org_identifiers
SELECT org_id, scheme, identifier, count(*)::INTEGER FROM (
    SELECT org_id, 'FR-RCS' AS scheme, siren AS identifier FROM link_used
    WHERE siren IS NOT NULL
    UNION ALL
    SELECT org_id, 'FR-SIRET', siret FROM link_used WHERE siret IS NOT NULL
    UNION ALL
    SELECT org_id, 'FR-RNA', rna FROM link_used WHERE rna IS NOT NULL
) GROUP BY ALL
ORDER BY org_id
"""

NAMES_SQL = """
INSERT INTO org_names
SELECT org_id, name, name_key, role, count(*)::INTEGER
FROM link_used WHERE name IS NOT NULL GROUP BY ALL
UNION ALL
SELECT o.org_id, r.name, ft_name_key(r.name), 'register', 0
FROM organisations o JOIN register_units r ON r.siren = o.siren WHERE r.name IS NOT NULL
UNION ALL
SELECT o.org_id, rb.name, rb.name_key, 'reference', 0
FROM organisations o JOIN reference_bodies rb ON rb.siren = o.siren
ORDER BY 1
"""


# One row per party, sorted so that a grant's links sit together (zone maps, no index).
GRANT_LINKS_SQL = """
INSERT INTO grant_links
SELECT grant_id, role, org_id, method, score, explanation FROM link_found
ORDER BY grant_id, role
"""

# The year a profile files a grant under is decided at ingest (grants.year and year_basis:
# the convention date, else the budget year, else the decision date); it is copied here so
# that the analysis tables join one small table.
YEARS_SQL = """
INSERT INTO grant_years
SELECT grant_id, coalesce(year, convention_year),
       CASE WHEN year IS NOT NULL THEN year_basis
            WHEN convention_year IS NOT NULL THEN 'convention' END
FROM grants
ORDER BY grant_id
"""


# Départements where an organisation is known to be: postcodes of its identified grants
# and of the register.
PLACES_SQL = """
CREATE OR REPLACE TEMP TABLE link_org_place AS
SELECT DISTINCT f.org_id, left(p.postcode, 2) AS dept
FROM link_found f JOIN link_party p USING (grant_id, role) WHERE p.postcode IS NOT NULL
UNION
SELECT 'FR-RCS-' || siren, left(postcode, 2) FROM register_units
WHERE regexp_matches(postcode, '^[0-9]{5}$')
"""


def link_parties(
    con: duckdb.DuckDBPyConnection,
    decisions_path: Path | None = None,
    clock: StepClock | None = None,
) -> int:
    """Fill the temporary ``link_found`` and the ``link_review`` list; return decisions read.

    This is steps 1 to 5 of the module docstring; ``build_links`` adds the rest.
    """

    def run(step: str, sql: str, params: dict[str, Any] | None = None) -> None:
        run_step(con, step, sql, params, clock)

    run("parties", steps.PARTIES_SQL)
    run("found-table", steps.FOUND_SQL)
    run("identifier", steps.IDENTIFIER_SQL)
    run("rna", steps.RNA_SQL)
    run("reference-name", steps.REFERENCE_NAME_SQL)
    run("name-index", steps.name_index_sql("link_found", "link_party"))
    run("damaged", steps.DAMAGED_SQL, {"damaged": DAMAGED_THRESHOLD})
    run(
        "damaged-link",
        """
        INSERT INTO link_found
        SELECT grant_id, role, org_id, 'link-damaged-identifier', score,
               'published "' || damaged_id || '": SIREN starts with ' || prefix || '; "'
               || name || '" ~ "' || matched || '" (' || round(score, 3)::VARCHAR || ')'
        FROM link_damaged WHERE orgs = 1
        """,
    )
    run(
        "damaged-review",
        """
        INSERT INTO link_review
        SELECT grant_id, role, name, org_id, matched, score, 'link-ambiguous-name'
        FROM link_damaged WHERE orgs > 1
        """,
    )
    run(
        "name-match",
        steps.name_match_sql("link_party", "link_found"),
        {"similar": SIMILAR_THRESHOLD},
    )
    # a name link whose party gives a postcode in another département than every place
    # known for the organisation is not made: it goes to review
    run("places", PLACES_SQL)
    run(
        "place-mismatch",
        """
        UPDATE link_name_match m SET outcome = 'link-place-mismatch'
        FROM link_party p
        WHERE p.grant_id = m.grant_id AND p.role = m.role AND p.postcode IS NOT NULL
          AND m.outcome IN ('link-name', 'link-name-reordered')
          AND EXISTS (SELECT 1 FROM link_org_place o WHERE o.org_id = m.org_id)
          AND NOT EXISTS (SELECT 1 FROM link_org_place o
                          WHERE o.org_id = m.org_id AND o.dept = left(p.postcode, 2))
        """,
    )
    run(
        "name-link",
        """
        INSERT INTO link_found
        SELECT grant_id, role, org_id, outcome, score,
               '"' || name || '" -> key "' || matched || '"'
        FROM link_name_match WHERE outcome IN ('link-name', 'link-name-reordered')
        -- one organisation may carry the same words in two orders: one link, one key named
        QUALIFY row_number() OVER (PARTITION BY grant_id, role ORDER BY matched) = 1
        """,
    )
    run(
        "name-review",
        """
        INSERT INTO link_review
        SELECT m.grant_id, m.role, m.name, m.org_id, o.name, m.score, m.outcome
        FROM link_name_match m
        -- the organisation's name carried most often (then the first in order): the same
        -- on every run
        LEFT JOIN (SELECT org_id, first(name_key ORDER BY parties DESC, name_key) AS name
                   FROM link_name_index GROUP BY ALL) o
            USING (org_id)
        WHERE m.outcome IN ('link-ambiguous-name', 'link-similar-name', 'link-place-mismatch')
        """,
    )
    decisions = _apply_decisions(con, decisions_path, clock)
    run(
        "name-only",
        """
        INSERT INTO link_found
        SELECT grant_id, role,
               'FT-' || substr(md5(name_key || coalesce('|' || coalesce(postcode, commune), '')),
                               1, 12),
               'link-name-only', 0.0,
               'key "' || name_key || '"' || coalesce(' in ' || coalesce(postcode, commune), '')
        FROM link_party p
        WHERE name_key <> ''
          AND NOT EXISTS (SELECT 1 FROM link_found f
                          WHERE f.grant_id = p.grant_id AND f.role = p.role)
        """,
    )
    return decisions


def build_links(
    con: duckdb.DuckDBPyConnection,
    decisions_path: Path | None = None,
    *,
    memory_limit: str = LINK_MEMORY_LIMIT,
) -> LinkReport:
    """Return the report of a full rebuild of links, organisations, clusters and analysis.

    Reference lists and register extracts already loaded are kept; everything derived from
    grants is replaced, so a run gives the same result however often it is repeated.
    DuckDB works within ``memory_limit`` during the rebuild (spilling to its temporary
    directory beyond it); the connection's own limit is restored afterwards. The report's
    ``seconds`` gives the wall time of each step.
    """
    from fundtrail.analysis.funder_pages import build_funder_pages
    from fundtrail.analysis.pages import build_pages
    from fundtrail.analysis.quarantine import build_quarantine_suffixes
    from fundtrail.analysis.serving import create_serving_indexes, drop_serving_indexes
    from fundtrail.analysis.signals import build_signals
    from fundtrail.analysis.tables import build_analysis

    if not _SIZE.fullmatch(memory_limit):
        raise UsageError(f"memory limit {memory_limit!r} is not a size such as '1GB'")
    clock = StepClock()
    previous = str(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
    con.execute(f"SET memory_limit = '{memory_limit}'")  # checked above: a size, not text
    try:
        prepare(con)
        con.execute("BEGIN TRANSACTION")
        try:
            with clock.step("drop-derived"):
                drop_derived(con)
                drop_serving_indexes(con)
            decisions = link_parties(con, decisions_path, clock)
            run_step(con, "used", USED_SQL, None, clock)
            run_step(con, "organisations", ORGANISATIONS_SQL, None, clock)
            run_step(con, "identifiers", IDENTIFIERS_SQL, None, clock)
            run_step(con, "names", NAMES_SQL, None, clock)
            run_step(con, "grant-links", GRANT_LINKS_SQL, None, clock)
            run_step(con, "years", YEARS_SQL, None, clock)
            with clock.step("clusters"):
                build_clusters(con)
            with clock.step("analysis"):
                build_analysis(con)
            with clock.step("signals"):
                build_signals(con)
            with clock.step("pages"):
                build_pages(con)
                build_funder_pages(con)
                build_quarantine_suffixes(con)
            with clock.step("indexes"):
                create_indexes(con)
                create_serving_indexes(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        # DuckDB renders the size to 0.1 GiB, so an odd limit may come back 0.1 GiB lower
        con.execute(f"SET memory_limit = '{previous}'")
    report = link_report(con, decisions)
    return replace(report, seconds=clock.seconds)


def link_report(con: duckdb.DuckDBPyConnection, decisions: int = 0) -> LinkReport:
    """Return the report of the links currently in the store."""
    links: dict[str, dict[str, int]] = {}
    for role, method, n in con.execute(
        "SELECT role, method, count(*) FROM grant_links GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        links.setdefault(str(role), {})[str(method)] = int(n)
    grants = int(con.execute("SELECT count(*) FROM grants").fetchall()[0][0])
    unlinked = {
        role: grants - sum(links.get(role, {}).values()) for role in ("beneficiary", "funder")
    }
    kinds = {
        str(k): int(n)
        for k, n in con.execute(
            "SELECT kind, count(*) FROM organisations GROUP BY kind ORDER BY kind"
        ).fetchall()
    }

    def count(sql: str) -> int:
        return int(con.execute(sql).fetchall()[0][0])

    return LinkReport(
        grants=grants,
        links=links,
        unlinked=unlinked,
        review=count("SELECT count(*) FROM link_review"),
        organisations=sum(kinds.values()),
        organisations_by_kind=kinds,
        clusters=count("SELECT count(DISTINCT cluster_id) FROM grant_clusters WHERE members > 1"),
        signals=count("SELECT count(*) FROM signals"),
        decisions=decisions,
    )
