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
_NUMBER_PLACEHOLDER = 918273645546372819  # an integer no query writes itself
_COMPILED: dict[str, str] = {}
_LOCK = threading.Lock()

Builder = Callable[[Any, Any], Any]


@quiet_ibis
def compiled(con: duckdb.DuckDBPyConnection, name: str, build: Builder) -> str:
    """Return the SQL of query ``name``, compiling ``build`` on first use (then cached).

    A name ending in ``#`` takes an integer parameter, any other a string.
    """
    with _LOCK:
        sql = _COMPILED.get(name)
        if sql is None:
            ib = backend(con)
            if name.endswith("#"):
                value = ibis.param("int64")
                text = str(ib.compile(build(ib, value), params={value: _NUMBER_PLACEHOLDER}))
                sql = text.replace(str(_NUMBER_PLACEHOLDER), "$value")
            else:
                value = ibis.param("string")
                text = str(ib.compile(build(ib, value), params={value: _PLACEHOLDER}))
                sql = text.replace(f"'{_PLACEHOLDER}'", "$value")
            _COMPILED[name] = sql
    return sql


def run(
    con: duckdb.DuckDBPyConnection, name: str, build: Builder, value: str | int
) -> list[dict[str, Any]]:
    """Return the rows of query ``name`` for ``value`` as dicts (Decimals kept).

    An integer ``value`` (an organisation number) is a parameter of its own type.
    """
    if isinstance(value, int):
        name += "#"  # one compiled text per parameter type
    sql = compiled(con, name, build)
    cursor = con.execute(sql, {"value": value} if "$value" in sql else {})
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
