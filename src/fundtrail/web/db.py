"""The store as the web site sees it: one read-only DuckDB connection, one cursor per request.

The site never writes. The store file is opened ``read_only`` once per application; each
request takes its own cursor (DuckDB cursors are safe to use from one thread each) and
closes it when the response is done, streamed exports included.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from fundtrail.errors import StoreError


class Store:
    """A read-only store: ``cursor()`` gives a cursor for one request."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"store file not found: {self.path}")
        try:
            self._con = duckdb.connect(self.path, read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path} read-only: {exc}") from exc

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor on the store, for one request."""
        return self._con.cursor()

    def close(self) -> None:
        """Close the store's connection."""
        self._con.close()


Row = dict[str, Any]


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    """Return the rows of ``sql`` (run with ``params``) as dictionaries keyed by column."""
    result = con.execute(sql, list(params))
    names = [d[0] for d in result.description or ()]
    return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


def one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Row | None:
    """Return the first row of ``sql`` as a dictionary, or None when there is none."""
    found = rows(con, sql, params)
    return found[0] if found else None


def stream(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = (), batch: int = 2000
) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    """Yield (column names, a batch of rows) until ``sql`` has given every row: no cap.

    The first batch may be empty, so that an export of no rows still has its header.
    """
    result = con.execute(sql, list(params))
    names = [d[0] for d in result.description or ()]
    yield names, []
    while True:
        chunk = result.fetchmany(batch)
        if not chunk:
            return
        yield names, chunk


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Return True when the store has a table or view called ``name``."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])
