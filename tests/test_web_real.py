"""The site over real published files: every page a visitor can reach answers, none crashes.

A store is built from a few real files of ../shared/data (skipped when absent), then a
crawler follows the site's own links from the home page (HTML pages and their JSON twins),
within a bound, and counts the answers by status.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fundtrail.ingest import ingest_file
from fundtrail.store import open_store
from web_fixtures import crawl, served

pytestmark = pytest.mark.shared

FILES = (
    "real/vendee",
    "real/somme-2022",
    "real/maine-et-loire",
    "real/codah-le-havre",
)
CRAWL_LIMIT = 150


@pytest.fixture(scope="module")
def base_url(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("real") / "real.duckdb"
    con = open_store(db)
    try:
        for folder in FILES:
            for path in sorted((shared_data / folder).iterdir()):
                if path.is_file():
                    ingest_file(con, path)
    finally:
        con.close()
    with served(db) as base:
        yield base


def test_crawl_the_site_over_real_files(base_url: str) -> None:
    start = ["/", "/sources", "/search?q=association", "/search?q=commune"]
    with httpx.Client(base_url=base_url, timeout=60) as http:
        statuses = crawl(http, start, CRAWL_LIMIT)
    assert statuses == {200: CRAWL_LIMIT}


def test_every_real_source_balances(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        listed = http.get("/sources.json", params={"limit": 500}).json()["tables"]["sources"]
        assert listed
        for source in listed:
            if source["status"] != "ingested":
                continue
            report = http.get(f"/sources/{source['source_id']}.json").json()
            assert report["balanced"], source["name"]
            quarantined = http.get(f"/sources/{source['source_id']}/quarantine.csv")
            lines = quarantined.text.lstrip("\ufeff").count("\r\n")
            assert lines >= source["rows_quarantined"] + 1  # header + rows (cells may wrap)
