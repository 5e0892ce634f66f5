"""Whole harvests against the loopback catalogue: manifest states, store, archive, rebuild.

The catalogue is a sample of the 504 real survey entries (one dataset in twelve, spread
over the survey) plus the dataset of failing resources; every assertion is about what is
in the manifest, the DuckDB store and the archive folder after the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from fundtrail.harvest import (
    HarvestReport,
    Policy,
    harvest_catalogue,
    harvest_url_list,
    read_manifest,
    rebuild_store,
)
from fundtrail.harvest.archive import Archive
from harvest_server import FAILURES, CatalogueServer, build_catalogue

# Reads ../shared/data; bounded so that a hung socket fails the test instead of the run.
pytestmark = [pytest.mark.shared, pytest.mark.timeout(150)]

FAST = Policy(timeout=0.5, retries=2, backoff=0.01, rate=None)


def store_counts(db: Path) -> dict[str, Any]:
    """Return what a store holds, table by table, with the total of the amounts."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts: dict[str, Any] = {}
        for table in ("sources", "source_tables", "grants", "quarantine", "issues", "repairs"):
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            counts[table] = row[0] if row else None
        counts["sources_by_status"] = dict(
            con.execute("SELECT status, count(*) FROM sources GROUP BY status").fetchall()
        )
        counts["amount"] = con.execute("SELECT sum(amount) FROM grants").fetchone()
        counts["files"] = sorted(
            con.execute(
                "SELECT sha256, status, rows_read, rows_accepted, rows_quarantined FROM sources"
            ).fetchall()
        )
    finally:
        con.close()
    return counts


@dataclass
class Run:
    server: CatalogueServer
    db: Path
    archive: Path
    first: HarvestReport
    counts_first: dict[str, Any]
    objects_first: list[str]
    second: HarvestReport
    log_second: list[tuple[str, dict[str, str]]]
    counts_second: dict[str, Any]
    rebuilt: Path
    rebuild_totals: dict[str, int]


@pytest.fixture(scope="module")
def run(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    folder = tmp_path_factory.mktemp("harvest")
    db, archive, rebuilt = folder / "store.duckdb", folder / "archive", folder / "rebuilt.duckdb"
    catalogue = build_catalogue(shared_data, failures=True, every=12)
    with CatalogueServer(catalogue, slow_seconds=1.5) as server:
        options: dict[str, Any] = {"base_url": server.api_url, "policy": FAST, "page_size": 10}
        first = harvest_catalogue(db, archive, **options)
        counts_first = store_counts(db)
        objects_first = Archive(archive).objects()
        mark = len(server.log)
        second = harvest_catalogue(db, archive, **options)
        log_second = server.log[mark:]
        counts_second = store_counts(db)
        # The rebuild runs with the server gone: it needs no network.
    report = rebuild_store(archive, rebuilt)
    yield Run(
        server,
        db,
        archive,
        first,
        counts_first,
        objects_first,
        second,
        log_second,
        counts_second,
        rebuilt,
        report.totals(),
    )


def _by_title(report: HarvestReport, dataset_id: str) -> dict[str, Any]:
    return {e.title: e for e in report.resources() if e.dataset_id == dataset_id}


def test_every_failure_ends_in_its_documented_state(run: Run) -> None:
    entries = _by_title(run.first, "failures")
    got = {name: (entries[name].state, entries[name].reason) for name in FAILURES}
    assert got == {name: (state, reason) for name, (_, state, reason) in FAILURES.items()}


def test_every_dataset_and_resource_of_the_catalogue_is_in_the_manifest(run: Run) -> None:
    catalogue = run.server.catalogue
    resources = run.first.resources()
    assert run.first.totals()["datasets_seen"] == len(catalogue.datasets)
    assert sorted(e.resource_id or "" for e in resources) == sorted(
        r["id"] for d in catalogue.datasets for r in d["resources"]
    )
    assert {e.state for e in resources} == {"kept", "refused", "failed"}
    assert read_manifest(run.archive)[: len(run.first.entries)] == run.first.entries


def test_kept_files_are_exactly_the_archive_and_the_store(run: Run) -> None:
    kept = {e.sha256 for e in run.first.resources() if e.state in ("kept", "unchanged")}
    stored = {sha for sha, *_ in run.counts_first["files"]}
    assert kept == stored == set(run.objects_first)
    assert all(Archive(run.archive).verify(sha) for sha in run.objects_first)
    assert list((run.archive / "tmp").iterdir()) == []


def test_nothing_of_a_failed_download_reaches_the_archive_or_the_store(run: Run) -> None:
    failed = [e for e in run.first.resources() if e.state == "failed"]
    received = {e.extra.get("received_sha256") for e in failed} - {None}
    con = duckdb.connect(str(run.db), read_only=True)
    try:
        urls = [e.url for e in failed]
        in_store = con.execute(
            "SELECT count(*) FROM sources WHERE url IN (SELECT unnest(?))", [urls]
        ).fetchone()
    finally:
        con.close()
    assert len(failed) == sum(state == "failed" for _, state, _ in FAILURES.values())
    assert received and not received & set(run.objects_first)
    assert in_store == (0,)


def test_every_ingested_file_is_whole_in_the_store(run: Run) -> None:
    con = duckdb.connect(str(run.db), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT s.source_id, s.rows_read, s.rows_accepted, s.rows_quarantined,
                   (SELECT count(*) FROM grants g WHERE g.source_id = s.source_id),
                   (SELECT count(*) FROM quarantine q WHERE q.source_id = s.source_id)
            FROM sources s WHERE s.status = 'ingested'
            """
        ).fetchall()
    finally:
        con.close()
    assert rows
    for _, read, accepted, quarantined, grants, set_aside in rows:
        assert (read, grants, set_aside) == (accepted + quarantined, accepted, quarantined)
    totals = run.first.totals()
    assert totals["rows_read"] == sum(r[1] for r in rows)
    assert totals["rows_accepted"] == run.counts_first["grants"]


def test_the_second_run_asks_conditionally_and_changes_nothing(run: Run) -> None:
    states = {
        (e.resource_id, e.state, e.reason)
        for e in run.second.resources()
        if e.state != "failed" and e.reason != "resource-duplicate-url"
    }
    kept_before = {e.resource_id for e in run.first.resources() if e.sha256}
    files = [headers for path, headers in run.log_second if not path.startswith("/api/")]
    assert {(rid, state) for rid, state, _ in states if rid in kept_before} == {
        (rid, "unchanged") for rid in kept_before
    }
    assert {reason for rid, _, reason in states if rid in kept_before} <= {
        "download-not-modified",
        "download-same-bytes",
    }
    assert sum("If-None-Match" in h for h in files) >= len(run.objects_first)
    assert run.counts_second == run.counts_first
    assert Archive(run.archive).objects() == run.objects_first


def test_rebuild_from_the_archive_gives_the_same_store(run: Run) -> None:
    rebuilt = store_counts(run.rebuilt)
    assert run.rebuild_totals["missing"] == 0
    assert rebuilt == run.counts_first


def test_real_files_are_served_with_their_real_bytes(shared_data: Path) -> None:
    catalogue = build_catalogue(shared_data)
    assert sum(f.real for f in catalogue.files.values()) == 2
    assert sum(len(d["resources"]) for d in catalogue.datasets) == 504


@pytest.fixture
def small_server(shared_data: Path) -> Iterator[CatalogueServer]:
    with CatalogueServer(build_catalogue(shared_data, failures=True, limit=3), 1.5) as server:
        yield server


def test_since_refuses_resources_not_modified_since_that_day(
    small_server: CatalogueServer, tmp_path: Path
) -> None:
    report = harvest_catalogue(
        tmp_path / "s.duckdb",
        tmp_path / "a",
        base_url=small_server.api_url,
        policy=FAST,
        since=date(2030, 1, 1),
    )
    reasons = {e.reason for e in report.resources()}
    assert reasons == {"resource-before-since", "resource-format-unsupported"}
    assert not any(p.startswith(("/files/", "/failures/")) for p, _ in small_server.log)
    assert store_counts(tmp_path / "s.duckdb")["sources"] == 0


def test_a_url_list_is_harvested_and_a_hole_in_the_archive_is_reported_by_rebuild(
    small_server: CatalogueServer, tmp_path: Path
) -> None:
    paths = [p for p in small_server.catalogue.files if p.startswith("/files/")][:2]
    urls = [small_server.base + p for p in paths] + [small_server.base + "/failures/missing.csv"]
    report = harvest_url_list(tmp_path / "s.duckdb", tmp_path / "a", urls, policy=FAST)
    assert [(e.state, e.reason, e.source) for e in report.resources()] == [
        ("kept", None, "urls"),
        ("kept", None, "urls"),
        ("failed", "download-http-error", "urls"),
    ]
    archive = Archive(tmp_path / "a")
    lost = report.resources()[0].sha256
    assert lost is not None
    archive.path_of(lost).unlink()
    totals = rebuild_store(tmp_path / "a", tmp_path / "r.duckdb").totals()
    assert (totals["files"], totals["missing"], totals["ingested"]) == (2, 1, 1)
