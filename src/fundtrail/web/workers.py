"""Serving the site from several processes: each worker opens the store read-only itself.

DuckDB lets several processes open one file read-only, and a page's work is Python and
SQL that one process runs on one core at a time; so ``fundtrail serve --workers N`` starts
N uvicorn worker processes, each building its own application from the environment set
here (a worker cannot be handed an application object across processes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI

from fundtrail.web.app import create_app
from fundtrail.web.cache import DEFAULT_BYTES

_DB = "FUNDTRAIL_SERVE_DB"
_DOSSIERS = "FUNDTRAIL_SERVE_DOSSIERS"
_THREADS = "FUNDTRAIL_SERVE_THREADS"
_CACHE = "FUNDTRAIL_SERVE_PAGE_CACHE"


def worker_environment(
    db: str | Path,
    dossiers: Sequence[str | Path] | None,
    threads: int = 1,
    page_cache_bytes: int = DEFAULT_BYTES,
) -> dict[str, str]:
    """Return the environment variables telling ``app_from_environment`` what to serve.

    ``threads`` is DuckDB's per query in each worker: the workers already share the cores.
    ``page_cache_bytes`` is each worker's page cache (``fundtrail.web.cache``).
    """
    listed = None if dossiers is None else [str(p) for p in dossiers]
    return {
        _DB: str(db),
        _DOSSIERS: json.dumps(listed),
        _THREADS: str(threads),
        _CACHE: str(page_cache_bytes),
    }


def app_from_environment() -> FastAPI:
    """Return the application over the store named by ``worker_environment``'s variables."""
    dossiers = json.loads(os.environ.get(_DOSSIERS, "null"))
    threads = int(os.environ.get(_THREADS, "0")) or None
    cache = int(os.environ.get(_CACHE, str(DEFAULT_BYTES)))
    return create_app(os.environ[_DB], dossiers, threads, cache)


def default_workers() -> int:
    """Return the number of worker processes to start by default: one per core."""
    return max(1, os.cpu_count() or 1)
