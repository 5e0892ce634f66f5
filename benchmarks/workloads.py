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


def fundtrail_rebuild(paths: list[str], db: str) -> dict[str, Any]:
    """Rebuild a store from files: ingest every file, then link and analyse (``link``)."""
    from fundtrail.ingest import ingest_paths
    from fundtrail.link.build import build_links
    from fundtrail.store import open_store

    start = time.perf_counter()
    con = open_store(db)
    try:
        report = ingest_paths(paths, db=con)
        ingested = time.perf_counter()
        totals = report.totals()
        # Said now, so that a link step cut by the runner's timeout still leaves the ingest.
        print(
            json.dumps(
                {
                    "seconds": ingested - start,
                    "ingest_seconds": ingested - start,
                    "link_seconds": None,
                    **totals,
                    "organisations": None,
                    "rows_empty": sum(f.rows_empty for f in report.files),
                    "refused_reasons": [],
                }
            ),
            flush=True,
        )
        links = build_links(con)
        linked = time.perf_counter()
    finally:
        con.close()
    return {
        "seconds": linked - start,
        "ingest_seconds": ingested - start,
        "link_seconds": linked - ingested,
        **totals,
        "rows_empty": sum(f.rows_empty for f in report.files),
        "refused_reasons": [f.reason for f in report.files if f.status == "refused"],
        "organisations": links.organisations,
    }


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
    elif kind == "rebuild":
        *paths, db = args
        Path(db).unlink(missing_ok=True)
        result = fundtrail_rebuild(paths, db)
    elif kind == "frictionless":
        result = frictionless_validate(args[0], args[1])
    elif kind == "duckdb":
        result = duckdb_read(args[0])
    else:
        raise SystemExit(f"unknown workload {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
