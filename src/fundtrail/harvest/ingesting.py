"""The bridge from archived bytes to the store: one call of ``fundtrail.ingest`` per file.

The harvester and the rebuild take an ``Ingester`` (a function of the archived path, the
source URL and a display name that returns the ingest report as a dict), so that they do
not depend on how the store is written; ``store_ingester`` gives the real one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

Ingester = Callable[[Path, str | None, str | None], dict[str, Any]]


def store_ingester(con: duckdb.DuckDBPyConnection) -> Ingester:
    """Return an ``Ingester`` that loads files into the store behind ``con``."""
    from fundtrail.ingest import IngestOptions, ingest_file

    def ingest(path: Path, url: str | None, name: str | None) -> dict[str, Any]:
        report = ingest_file(con, path, IngestOptions(url=url, name=name))
        data: dict[str, Any] = report.to_json()
        return data

    return ingest
