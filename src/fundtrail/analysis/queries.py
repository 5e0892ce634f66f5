"""Ibis expressions compiled once, then run as parameterised SQL: profiles in milliseconds.

A page asks a handful of questions about one organisation. Building and compiling an Ibis
expression costs tens of milliseconds, running the compiled SQL on the precomputed tables
about one; so each question is written once as an Ibis expression of a parameter
(``build(ib, value)``), compiled on first use with a placeholder, and from then on run by
DuckDB with the value bound as a real parameter (never pasted into the SQL). On Spark, the
same builders compile with that backend.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import duckdb
import ibis

from fundtrail.analysis.tables import backend, quiet_ibis

_PLACEHOLDER = "__fundtrail_value__"
_COMPILED: dict[str, str] = {}
_LOCK = threading.Lock()

Builder = Callable[[Any, Any], Any]


@quiet_ibis
def compiled(con: duckdb.DuckDBPyConnection, name: str, build: Builder) -> str:
    """Return the SQL of query ``name``, compiling ``build`` on first use (then cached)."""
    with _LOCK:
        sql = _COMPILED.get(name)
        if sql is None:
            ib = backend(con)
            value = ibis.param("string")
            text = str(ib.compile(build(ib, value), params={value: _PLACEHOLDER}))
            sql = text.replace(f"'{_PLACEHOLDER}'", "$value")
            _COMPILED[name] = sql
    return sql


def run(
    con: duckdb.DuckDBPyConnection, name: str, build: Builder, value: str
) -> list[dict[str, Any]]:
    """Return the rows of query ``name`` for ``value`` as dicts (Decimals kept)."""
    sql = compiled(con, name, build)
    cursor = con.execute(sql, {"value": value} if "$value" in sql else {})
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
