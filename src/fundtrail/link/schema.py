"""The DuckDB tables of the link and analysis steps: organisations, links, clusters, signals.

They sit beside the store's own tables (``fundtrail.store.schema``) and are rebuilt by
``fundtrail link`` (``fundtrail.link.build.build_links``) from the grants, the reference
lists and the register extracts a user loaded. Reference and register tables survive a
rebuild; everything derived from grants is replaced.
"""

from __future__ import annotations

import duckdb

# Tables a user fills with a command; a rebuild of the links keeps them.
LOADED_TABLES: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS reference_bodies (
        siren VARCHAR PRIMARY KEY,        -- SIREN of the public body
        kind VARCHAR NOT NULL,            -- commune | epci | departement | region
        code VARCHAR,                     -- INSEE code (commune, département, région) or EPCI SIREN
        name VARCHAR NOT NULL,
        name_key VARCHAR NOT NULL,        -- normalised name (fundtrail.link.names)
        postcodes VARCHAR[],
        source VARCHAR NOT NULL           -- file the row came from
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS register_units (
        siren VARCHAR PRIMARY KEY,
        name VARCHAR,                     -- official name (denomination)
        legal_category VARCHAR,           -- INSEE catégorie juridique, when given
        activity VARCHAR,                 -- APE/NAF code or its label, when given
        commune VARCHAR,
        postcode VARCHAR,
        status VARCHAR,                   -- active | closed
        created DATE,
        closed DATE,                      -- date the unit ceased, when known
        source VARCHAR NOT NULL           -- 'sirene-file:<name>' or 'recherche-api'
    )
    """,
)

# Tables derived from grants; ``drop_derived`` drops and recreates them before a rebuild.
# The tables with a row per grant have no PRIMARY KEY: its index stays in memory (about
# 150 MB per million rows, more than the link step's whole memory limit at national scale)
# and slows every insert; the rebuild writes one row per key by construction, sorted by
# grant_id, so that a lookup by grant skips the other row groups through DuckDB's zone maps.
DERIVED_TABLES: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS organisations (
        org_id VARCHAR PRIMARY KEY,       -- FR-RCS-<SIREN>, FR-RNA-<RNA> or FT-<hash>
        kind VARCHAR NOT NULL,            -- association | company | commune | epci | ...
        kind_source VARCHAR NOT NULL,     -- reference | siren-prefix | register | rna | name
        level VARCHAR,                    -- funder level: commune | epci | departement | ...
        name VARCHAR NOT NULL,            -- official name when known, else most used
        siren VARCHAR,
        rna VARCHAR,
        commune VARCHAR,
        postcode VARCHAR,
        status VARCHAR                    -- register status when known
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS org_identifiers (
        org_id VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL,          -- FR-RCS (SIREN) | FR-SIRET | FR-RNA
        identifier VARCHAR NOT NULL,
        grants INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS org_names (
        org_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,            -- as published
        name_key VARCHAR NOT NULL,
        origin VARCHAR NOT NULL,          -- beneficiary | funder | register | reference
        grants INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS grant_links (
        grant_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,            -- beneficiary | funder
        org_id VARCHAR NOT NULL,
        method VARCHAR NOT NULL,          -- identifier | repaired-identifier | name | ...
        score DOUBLE NOT NULL,            -- 1.0 for identifiers and decisions
        explanation VARCHAR NOT NULL      -- one row per (grant_id, role), sorted by them
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS link_review (
        grant_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        name VARCHAR,
        candidate_org_id VARCHAR NOT NULL,
        candidate_name VARCHAR,
        score DOUBLE NOT NULL,
        reason VARCHAR NOT NULL           -- catalogue code
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS grant_clusters (
        grant_id VARCHAR NOT NULL,        -- one row per grant, sorted by grant_id
        cluster_id VARCHAR NOT NULL,      -- grant_id of the member counted in totals
        members INTEGER NOT NULL,
        counted BOOLEAN NOT NULL,         -- true for exactly one member per cluster
        rule VARCHAR NOT NULL             -- catalogue code of the duplicate rule
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS grant_years (
        grant_id VARCHAR NOT NULL,        -- one row per grant, sorted by grant_id
        year INTEGER,                     -- the year a profile files the grant under
        year_source VARCHAR               -- convention | budget (exerciceBudgetaire) | decision
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS signals (
        signal_id VARCHAR PRIMARY KEY,
        rule VARCHAR NOT NULL,            -- catalogue code
        threshold VARCHAR NOT NULL,       -- the rule's threshold, in words and figures
        org_id VARCHAR,                   -- beneficiary concerned
        funder_org_id VARCHAR,
        year INTEGER,
        value VARCHAR,                    -- the measured figure
        grant_ids VARCHAR[] NOT NULL,     -- the rows behind the signal
        source_ids INTEGER[]
    )
    """,
)


# Point lookups a profile makes by name key or identifier (the other tables are read by
# org id, in the order they are written, which DuckDB's zone maps exploit).
INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS org_names_key ON org_names (name_key)",
    "CREATE INDEX IF NOT EXISTS org_identifiers_id ON org_identifiers (identifier)",
)


DERIVED_NAMES: tuple[str, ...] = (
    "organisations", "org_identifiers", "org_names", "grant_links", "link_review",
    "grant_clusters", "grant_years", "signals",
)  # fmt: skip


def create_link_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the link and analysis tables when they are missing (idempotent)."""
    for statement in (*LOADED_TABLES, *DERIVED_TABLES, *INDEXES):
        con.execute(statement)


def drop_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Recreate every table derived from grants empty and without its indexes.

    Reference and register tables are kept. Dropping is cheaper than deleting millions of
    rows, and a store made by an older version gets today's tables. ``create_indexes``
    builds the indexes once the tables are full (faster than keeping them row by row).
    """
    for name in DERIVED_NAMES:
        con.execute(f"DROP TABLE IF EXISTS {name}")  # names are constants of this module
    for statement in DERIVED_TABLES:
        con.execute(statement)


def create_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Create the lookup indexes of the derived tables (idempotent)."""
    for statement in INDEXES:
        con.execute(statement)
