"""The workloads the runner times, each run in its own child process.

    python benchmarks/workloads.py KIND ARGS...

prints one JSON line: ``seconds`` (the work alone, imports excluded) and what the work
found (rows, errors), so that the runner can check that every tool read the whole file.
The runner measures the process itself (wall time, CPU time, peak RSS) from outside.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def fundtrail_ingest(paths: list[str], db: str) -> dict[str, Any]:
    """Ingest ``paths`` into a fresh store ``db``: read, map, normalise, validate, store."""
    from fundtrail.ingest import ingest_paths

    start = time.perf_counter()
    report = ingest_paths(paths, db=db)
    seconds = time.perf_counter() - start
    totals = report.totals()
    refused = [f.reason for f in report.files if f.status == "refused"]
    empty = sum(f.rows_empty for f in report.files)
    return {"seconds": seconds, **totals, "rows_empty": empty, "refused_reasons": refused}


def frictionless_validate(path: str, schema: str) -> dict[str, Any]:
    """Validate ``path`` against ``schema`` with frictionless, every row, no error cap."""
    from frictionless import system, validate

    start = time.perf_counter()
    # trusted: the file is given by absolute path, which frictionless refuses otherwise.
    with system.use_context(trusted=True):
        report = validate(path, schema=schema, limit_errors=sys.maxsize)
    seconds = time.perf_counter() - start
    task = report.tasks[0]
    return {
        "seconds": seconds,
        "rows": task.stats.get("rows"),
        "errors": task.stats.get("errors"),
        "valid": report.valid,
    }


def duckdb_read(path: str) -> dict[str, Any]:
    """Read ``path`` with DuckDB's bare ``read_csv`` (every column as text) into a table."""
    import duckdb

    con = duckdb.connect(":memory:")
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)",
        [path],
    )
    seconds = time.perf_counter() - start
    row = con.execute("SELECT count(*) FROM t").fetchone()
    return {"seconds": seconds, "rows": row[0] if row else None}


def main(argv: list[str]) -> None:
    """Run the workload named by ``argv[0]`` and print its JSON line."""
    kind, *args = argv
    if kind == "fundtrail":
        *paths, db = args
        Path(db).unlink(missing_ok=True)
        result = fundtrail_ingest(paths, db)
    elif kind == "frictionless":
        result = frictionless_validate(args[0], args[1])
    elif kind == "duckdb":
        result = duckdb_read(args[0])
    else:
        raise SystemExit(f"unknown workload {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
