"""Harvest: find, download, archive and ingest published subsidy files, and replay them.

The public calls (the CLI makes exactly these):

    harvest_catalogue(db, archive, ...)   datasets of data.gouv.fr (schema, tags, queries)
    harvest_url_list(db, archive, urls)   any list of URLs (portals outside the catalogue)
    rebuild_store(archive, db)            a store replayed from the archive, no network

``db`` is a store path or an open DuckDB connection; ``archive`` is the archive folder
(``default_archive(db)``: ``fundtrail-archive/`` beside the store). The archive holds the
raw bytes by sha256 and ``manifest.jsonl``, the record of every dataset and resource seen
(see ``fundtrail.harvest.manifest``). ``transport`` lets tests and callers route the HTTP
client (httpx) as they need; production uses the network as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import httpx

from fundtrail.harvest.archive import Archive
from fundtrail.harvest.datagouv import DEFAULT_BASE_URL, DEFAULT_SCHEMA, Angle, CatalogueClient
from fundtrail.harvest.download import Downloader, Policy
from fundtrail.harvest.harvester import (
    Harvester,
    HarvestReport,
    Progress,
    harvest_datagouv,
    harvest_urls,
    read_url_list,
)
from fundtrail.harvest.ingesting import store_ingester
from fundtrail.harvest.manifest import Entry, Manifest
from fundtrail.harvest.rebuild import RebuildReport, rebuild

Store = str | Path | duckdb.DuckDBPyConnection


def default_archive(db: str | Path) -> Path:
    """Return the default archive folder of the store ``db``: ``fundtrail-archive`` beside it."""
    return Path(db).resolve().parent / "fundtrail-archive"


@contextmanager
def _store(db: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    from fundtrail.store import open_store

    if isinstance(db, duckdb.DuckDBPyConnection):
        yield db
        return
    con = open_store(db)
    try:
        yield con
    finally:
        con.close()


def _client(transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(transport=transport) if transport is not None else httpx.Client()


def harvest_catalogue(
    db: Store,
    archive: str | Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    schemas: Iterable[str] = (),
    tags: Iterable[str] = (),
    queries: Iterable[str] = (),
    since: date | None = None,
    policy: Policy | None = None,
    page_size: int = 100,
    progress: Progress | None = None,
    transport: httpx.BaseTransport | None = None,
) -> HarvestReport:
    """Return the report of harvesting the catalogue at ``base_url`` into ``db`` and ``archive``.

    With no schema, tag or query, the angle is ``schema=scdl/subventions``.
    """
    angles = [Angle(schema=s) for s in schemas] + [Angle(tag=t) for t in tags]
    angles += [Angle(query=q) for q in queries]
    if not angles:
        angles = [Angle(schema=DEFAULT_SCHEMA)]
    with _store(db) as con, _client(transport) as client:
        downloader = Downloader(client, policy)
        harvester = Harvester(
            Archive(Path(archive)),
            downloader,
            store_ingester(con),
            since=since,
            progress=progress,
        )
        return harvest_datagouv(harvester, CatalogueClient(downloader, base_url, page_size), angles)


def harvest_url_list(
    db: Store,
    archive: str | Path,
    urls: Iterable[str],
    *,
    policy: Policy | None = None,
    progress: Progress | None = None,
    transport: httpx.BaseTransport | None = None,
) -> HarvestReport:
    """Return the report of harvesting each of ``urls`` into ``db`` and ``archive``."""
    with _store(db) as con, _client(transport) as client:
        harvester = Harvester(
            Archive(Path(archive)),
            Downloader(client, policy),
            store_ingester(con),
            progress=progress,
        )
        return harvest_urls(harvester, urls)


def rebuild_store(
    archive: str | Path,
    db: Store,
    progress: Callable[[int, Entry], None] | None = None,
) -> RebuildReport:
    """Return the report of replaying every kept file of ``archive`` into the store ``db``."""
    with _store(db) as con:
        return rebuild(Archive(Path(archive)), store_ingester(con), progress)


def read_manifest(archive: str | Path) -> list[Entry]:
    """Return every entry of the manifest of ``archive``, in the order written."""
    return list(Manifest(Archive(Path(archive)).manifest_path).entries())


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_SCHEMA",
    "Entry",
    "HarvestReport",
    "Policy",
    "RebuildReport",
    "default_archive",
    "harvest_catalogue",
    "harvest_url_list",
    "read_manifest",
    "read_url_list",
    "rebuild_store",
]
