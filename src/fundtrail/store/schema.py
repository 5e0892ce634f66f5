"""The DuckDB schema of a fundtrail store: sources, their tables, grants, quarantine, issues.

Every grant and every quarantined row points back to its source file, its table (sheet or
sub-table) and the row where it starts, and keeps its raw values as published (personal
identifiers withheld), so that every figure can be traced to rows.
"""

from __future__ import annotations

import duckdb

SCHEMA_VERSION = 1

STATEMENTS: tuple[str, ...] = (
    "CREATE SEQUENCE IF NOT EXISTS source_id_seq START 1",
    "CREATE SEQUENCE IF NOT EXISTS table_id_seq START 1",
    """
    CREATE TABLE IF NOT EXISTS meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR
    )
    """,
    # One row per file ingested (or refused): the bytes are identified by sha256.
    """
    CREATE TABLE IF NOT EXISTS sources (
        source_id INTEGER PRIMARY KEY,
        path VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        url VARCHAR,
        sha256 VARCHAR NOT NULL,
        size BIGINT NOT NULL,
        format VARCHAR,
        status VARCHAR NOT NULL,          -- ingested | refused
        reason VARCHAR,                   -- catalogue code when refused
        reason_detail VARCHAR,
        funder_name_option VARCHAR,       -- --funder-name given at ingest
        funder_id_option VARCHAR,
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_accepted INTEGER NOT NULL DEFAULT 0,
        rows_quarantined INTEGER NOT NULL DEFAULT 0,
        rows_empty INTEGER NOT NULL DEFAULT 0,
        ingested_at TIMESTAMP NOT NULL
    )
    """,
    # One row per grant table found in a file (a CSV sub-table, a sheet), or per sheet skipped.
    """
    CREATE TABLE IF NOT EXISTS source_tables (
        table_id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL,
        sheet VARCHAR,
        status VARCHAR NOT NULL,          -- read | skipped
        reason VARCHAR,                   -- catalogue code when skipped
        reason_detail VARCHAR,
        encoding VARCHAR,
        separator VARCHAR,
        header_row INTEGER,
        header JSON,                      -- header cells as published
        mapping JSON,                     -- [{"column", "field" | null}] in header order
        schema_version VARCHAR,           -- detected SCDL version, e.g. "2.1", "1.x", "other"
        conventions JSON,                 -- per-table decisions: share convention, amount kind...
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_accepted INTEGER NOT NULL DEFAULT 0,
        rows_quarantined INTEGER NOT NULL DEFAULT 0,
        rows_empty INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS grants (
        -- "<source_id>-<table_id>-<row>": unique by construction. No PRIMARY KEY: its index
        -- must stay in memory and cost 150 MB per million grants at ingest.
        grant_id VARCHAR NOT NULL,
        source_id INTEGER NOT NULL,
        table_id INTEGER NOT NULL,
        row_number INTEGER NOT NULL,
        funder_name VARCHAR,
        funder_id VARCHAR,                -- as published (cleaned of blanks), never a NIR
        funder_siret VARCHAR,             -- 14 digits, valid
        funder_siren VARCHAR,             -- 9 digits, valid
        beneficiary_name VARCHAR,
        beneficiary_id VARCHAR,           -- as published (cleaned), NULL when withheld
        beneficiary_siret VARCHAR,
        beneficiary_siren VARCHAR,
        beneficiary_rna VARCHAR,
        convention_date DATE,             -- only when the day is known
        convention_date_text VARCHAR,     -- ISO at its precision: 2019, 2019-04, 2019-04-12
        convention_year INTEGER,
        decision_date_text VARCHAR,       -- ISO at its precision (dateDecision)
        budget_year INTEGER,              -- exerciceBudgetaire, "Année", "annee_budgetaire"
        year INTEGER,                     -- year of totals: convention, budget or decision
        year_basis VARCHAR,               -- convention | budget | decision | NULL
        decision_reference VARCHAR,
        purpose VARCHAR,
        amount DECIMAL(38, 4),
        amount_kind VARCHAR,              -- awarded | paid | requested | NULL (not said)
        nature VARCHAR,                   -- cash | in_kind | cash;in_kind | NULL
        payment_conditions VARCHAR,
        payment_start VARCHAR,            -- ISO at its precision
        payment_end VARCHAR,
        rae_id VARCHAR,
        eu_notification BOOLEAN,
        share DECIMAL(9, 6),              -- fraction of the grant for this beneficiary
        aid_scheme VARCHAR,
        extras JSON,                      -- draft-2024 fields and unmapped columns, by name
        -- The row as published, personal ids withheld. Each row is unique, so DuckDB's default
        -- string compression (a dictionary, then FSST) trains on every segment for little
        -- gain; zstd writes it for 1.9 s less CPU per million rows and half the bytes (the
        -- whole store at 1M rows: 273 -> 143 MB). A grant's page reads one row of it.
        raw JSON USING COMPRESSION zstd,
        flags VARCHAR[]                   -- warning codes on this row
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS quarantine (
        source_id INTEGER NOT NULL,
        table_id INTEGER NOT NULL,
        row_number INTEGER NOT NULL,
        raw JSON USING COMPRESSION zstd,  -- as in grants
        reasons VARCHAR[]                 -- error codes that set the row aside
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS issues (
        source_id INTEGER NOT NULL,
        table_id INTEGER,
        row_number INTEGER,
        field VARCHAR,
        code VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        value VARCHAR,
        detail VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS repairs (
        source_id INTEGER NOT NULL,
        table_id INTEGER NOT NULL,
        row_number INTEGER NOT NULL,
        field VARCHAR NOT NULL,
        original VARCHAR,
        result VARCHAR,
        rule VARCHAR NOT NULL,
        detail VARCHAR
    )
    """,
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the store's tables when they are missing (idempotent)."""
    for statement in STATEMENTS:
        con.execute(statement)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
