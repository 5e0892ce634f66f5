"""The store as the web site sees it: one read-only DuckDB connection, one cursor per request.

The site never writes. The store file is opened ``read_only`` once per application; each
request takes its own cursor (DuckDB cursors are safe to use from one thread each) and
closes it when the response is done, streamed exports included.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb

from fundtrail.analysis.quarantine import HELD_ENDINGS, Endings
from fundtrail.analysis.serving import KNOWN_TABLES, has_table, table_names
from fundtrail.errors import StoreError

T = TypeVar("T")

# Reads of a page that do not depend on each other run here, each on its own cursor.
_BACKGROUND = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fundtrail-page")


def _on_cursor(con: duckdb.DuckDBPyConnection, read: Callable[..., T], *args: Any) -> T:
    """Return ``read(cursor, *args)`` on a new cursor of ``con`` (one per thread), closed after."""
    cursor = con.cursor()
    try:
        return read(cursor, *args)
    finally:
        cursor.close()


def in_background(con: duckdb.DuckDBPyConnection, read: Callable[..., T], *args: Any) -> Future[T]:
    """Start ``read(cursor, *args)`` on a cursor of its own (``_on_cursor``); return its future.

    For reads of a page that do not depend on each other: a visit waits for the longer
    only, the two cores each taking one.
    """
    return _BACKGROUND.submit(_on_cursor, con, read, *args)


class Store:
    """A read-only store: ``cursor()`` gives a cursor for one request.

    ``threads`` caps the threads DuckDB gives one query (default: one per core).
    """

    def __init__(self, path: str | Path, threads: int | None = None) -> None:
        self.path = str(path)
        if self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"store file not found: {self.path}")
        try:
            # threads: DuckDB's own per query; one when several processes share the cores
            config: dict[str, str | bool | int | float | list[str]] = (
                {"threads": threads} if threads else {}
            )
            self._con = duckdb.connect(self.path, read_only=True, config=config)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path} read-only: {exc}") from exc
        # read once: the site never writes, and a rebuild replaces the file as a whole
        self.tables = table_names(self._con)
        self._memo: dict[str, tuple[tuple[float, int] | None, Any]] = {}
        self._lock = threading.Lock()

    def remembered(self, name: str, compute: Callable[[], T]) -> T:
        """Return ``compute()``, computed once per version of the store file.

        The site never writes and the file only changes when it is rebuilt, so figures that
        need a whole scan (the home page's) are computed once, not on every visit.
        """
        signature = self._signature()
        found = self._memo.get(name)
        if found is not None and found[0] == signature:
            return cast(T, found[1])
        with self._lock:
            found = self._memo.get(name)  # computed by another thread while this one waited
            if found is not None and found[0] == signature:
                return cast(T, found[1])
            value = compute()
            self._memo[name] = (signature, value)
        return value

    def _signature(self) -> tuple[float, int] | None:
        """Return the store file's (modification time, size), None for an in-memory store."""
        if self.path == ":memory:":
            return None
        stat = Path(self.path).stat()
        return stat.st_mtime, stat.st_size

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor on the store, for one request."""
        return self._con.cursor()

    @contextmanager
    def serving(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a cursor for one request, the store's table names known; close it after."""
        token = KNOWN_TABLES.set(self.tables)
        con = self._con.cursor()
        # read on first use, then the same for the rest of the request (one look at the file)
        held = HELD_ENDINGS.set(functools.cache(lambda: self._endings(con)))
        try:
            yield con
        finally:
            con.close()
            HELD_ENDINGS.reset(held)
            KNOWN_TABLES.reset(token)

    def warm(self) -> None:
        """Read what organisation pages hold in memory (``_endings``) before a first visit."""
        with self.serving() as con:
            self._endings(con)

    def _endings(self, con: duckdb.DuckDBPyConnection) -> Endings | None:
        """Return the quarantined words' endings of this store, read once per version of it."""
        if "quarantine_words" not in self.tables:
            return None
        return self.remembered("quarantine-endings", lambda: Endings.read(con))

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
    """Return True when the store has a table or view called ``name``.

    Within ``Store.serving()`` the answer comes from the names read when the store opened.
    """
    return has_table(con, name)
