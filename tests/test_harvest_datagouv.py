"""The catalogue client: pagination, angles, resource formats, pages that fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fundtrail.harvest.datagouv import (
    Angle,
    CatalogueClient,
    Resource,
    classify,
    parse_resource,
    resource_format,
)
from fundtrail.harvest.download import Downloader, Policy
from harvest_server import SURVEY, CatalogueServer, build_catalogue

# Reads ../shared/data; bounded so that a hung socket fails the test instead of the run.
pytestmark = [pytest.mark.shared, pytest.mark.timeout(60)]

FAST = Policy(timeout=2, retries=2, backoff=0.01, rate=None)


@pytest.fixture(scope="module")
def server(shared_data: Path) -> Iterator[CatalogueServer]:
    with CatalogueServer(build_catalogue(shared_data)) as running:
        yield running


@pytest.fixture
def catalogue(server: CatalogueServer) -> Iterator[CatalogueClient]:
    with httpx.Client() as client:
        yield CatalogueClient(Downloader(client, FAST), server.api_url, page_size=50)


def _pages_requested(server: CatalogueServer, since: int) -> int:
    return sum(1 for path, _ in server.log[since:] if path.startswith("/api/1/datasets"))


def test_every_page_is_followed_until_next_page_is_null(
    server: CatalogueServer, catalogue: CatalogueClient, shared_data: Path
) -> None:
    survey = json.loads((shared_data / SURVEY).read_text(encoding="utf-8"))
    before = len(server.log)
    datasets = list(catalogue.list_datasets(Angle(schema="scdl/subventions")))
    assert [d.id for d in datasets] == [d["dataset_id"] for d in survey["datasets"]]
    assert sum(len(d.resources) for d in datasets) == 504
    assert _pages_requested(server, before) == -(-len(survey["datasets"]) // 50)


def test_resources_keep_the_catalogue_facts(catalogue: CatalogueClient) -> None:
    first = next(iter(catalogue.list_datasets(Angle(query="Sarcelles"))))
    resource = first.resources[0]
    assert first.title is not None and "Sarcelles" in first.title
    assert (resource.format, resource.schema) == ("csv", "scdl/subventions")
    assert resource.url is not None and resource.url.startswith("http://127.0.0.1:")
    assert resource.filesize is not None and resource.filesize > 0
    assert resource.last_modified == "2025-10-10T10:58:38.782000+00:00"


def test_angles_are_merged_and_each_dataset_is_seen_once(
    catalogue: CatalogueClient, server: CatalogueServer
) -> None:
    listing = catalogue.discover(
        [Angle(schema="scdl/subventions"), Angle(tag="subventions"), Angle(query="Sarcelles")]
    )
    ids = [d.id for d in listing.datasets]
    assert listing.complete
    assert len(ids) == len(set(ids)) == len(server.catalogue.datasets)
    sarcelles = next(d for d in listing.datasets if "Sarcelles" in (d.title or ""))
    assert sarcelles.angles == ["schema=scdl/subventions", "tag=subventions", "q=Sarcelles"]


def test_a_page_that_fails_once_is_retried(
    catalogue: CatalogueClient, server: CatalogueServer
) -> None:
    server.failing_pages = {3}
    try:
        listing = catalogue.discover([Angle(schema="scdl/subventions")])
    finally:
        server.failing_pages = set()
    assert listing.complete
    assert len(listing.datasets) == len(server.catalogue.datasets)


def test_a_catalogue_that_stays_down_gives_an_incomplete_listing(
    server: CatalogueServer,
) -> None:
    with httpx.Client() as client:
        down = CatalogueClient(Downloader(client, FAST), server.base + "/nowhere/api/1")
        listing = down.discover([Angle(schema="scdl/subventions")])
    assert not listing.complete
    assert listing.datasets == []
    assert listing.failures[0][0].endswith("/datasets/?schema=scdl/subventions")


def _resource(url: str | None, fmt: str | None = None, mime: str | None = None) -> Resource:
    return Resource(None, None, url, fmt, None, None, None, None, None, mime)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (_resource("https://x/a.csv", "CSV"), (True, None, None)),
        (_resource("https://x/a.xlsx", "xlsx"), (True, None, None)),
        (_resource("https://x/a.ods", "ods"), (True, None, None)),
        (_resource("https://x/a.zip", "zip"), (True, None, None)),
        (_resource("https://x/a.json", "JSON"), (True, None, None)),
        (_resource("https://x/export", None, "text/csv"), (True, None, None)),
        (_resource("https://x/dl/a.tsv"), (True, None, None)),
        (_resource("https://x/a.pdf", "pdf"), (False, "resource-format-unsupported", "pdf")),
        (_resource("https://x/page", "html"), (False, "resource-format-unsupported", "html")),
        (_resource("https://x/api"), (False, "resource-format-unsupported", "unknown")),
        (_resource(None, "csv"), (False, "resource-no-url", None)),
    ],
)
def test_classify(resource: Resource, expected: tuple[bool, str | None, str | None]) -> None:
    assert classify(resource) == expected


def test_parse_resource_reads_the_udata_shape_and_tolerates_gaps() -> None:
    full = parse_resource(
        {
            "id": "r1",
            "title": "t",
            "url": "https://x/a.csv",
            "format": "csv",
            "checksum": {"type": "sha1", "value": "ab"},
            "filesize": "12",
            "last_modified": "2024-01-01T00:00:00",
            "schema": {"name": "scdl/subventions"},
        }
    )
    bare = parse_resource({"url": "https://x/b.xlsx", "checksum": None, "schema": None})
    assert (full.checksum_type, full.checksum_value, full.filesize, full.schema) == (
        "sha1",
        "ab",
        12,
        "scdl/subventions",
    )
    assert (bare.checksum_type, bare.filesize, resource_format(bare)) == (None, None, "xlsx")
