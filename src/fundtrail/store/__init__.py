"""The DuckDB store: one file on a laptop, opened with the schema in place."""

from __future__ import annotations

from pathlib import Path

import duckdb

from fundtrail.errors import StoreError
from fundtrail.store.schema import create_schema


def open_store(
    path: str | Path = "fundtrail.duckdb", *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Return a connection to the store at ``path`` (``":memory:"`` for tests), schema created."""
    target = str(path)
    if target != ":memory:" and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store {target}: {exc}") from exc
    if not read_only:
        create_schema(con)
    return con


__all__ = ["create_schema", "open_store"]
