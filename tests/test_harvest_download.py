"""The downloader against a real server on 127.0.0.1: every documented failure, resume, 304."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fundtrail.harvest.download import (
    Conditional,
    Downloader,
    Policy,
    RateLimiter,
    checksum_matches,
)
from harvest_server import FAILURES, CatalogueServer, build_catalogue

# Reads ../shared/data; bounded so that a hung socket fails the test instead of the run.
pytestmark = [pytest.mark.shared, pytest.mark.timeout(60)]

FAST = Policy(timeout=0.5, retries=2, backoff=0.01, rate=None)


@pytest.fixture(scope="module")
def server(shared_data: Path) -> Iterator[CatalogueServer]:
    with CatalogueServer(build_catalogue(shared_data, failures=True, limit=3), 1.5) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as running:
        yield running


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# name -> (status of fetch, reason): the download-level outcome of each failure resource.
EXPECTED = [
    ("missing.csv", "failed", "download-http-error"),
    ("flaky.csv", "ok", None),
    ("busy.csv", "ok", None),
    ("broken-once.csv", "ok", None),
    ("broken-always.csv", "failed", "download-truncated"),
    ("no-ranges.csv", "ok", None),
    ("tampered.csv", "failed", "download-checksum-mismatch"),
    ("loop.csv", "failed", "download-redirect-loop"),
    ("slow.csv", "failed", "download-timeout"),
    ("empty.csv", "failed", "download-empty"),
]


def test_expected_table_covers_every_failure_of_the_server() -> None:
    assert {name for name, _, _ in EXPECTED} == {n for n in FAILURES if n.endswith(".csv")}


@pytest.mark.parametrize(("name", "status", "reason"), EXPECTED)
def test_each_failure_ends_as_documented_and_leaves_no_file(
    server: CatalogueServer,
    client: httpx.Client,
    tmp_path: Path,
    name: str,
    status: str,
    reason: str | None,
) -> None:
    served = server.catalogue.files[f"/failures/{name}"]
    checksum = next(
        r["checksum"]
        for d in server.catalogue.datasets
        for r in d["resources"]
        if r["url"] == f"/failures/{name}"
    )
    fetched = Downloader(client, FAST).fetch(
        f"{server.base}/failures/{name}", tmp_path, None, (checksum["type"], checksum["value"])
    )
    assert (fetched.status, fetched.reason) == (status, reason)
    if status == "ok":
        assert fetched.path is not None
        assert fetched.path.read_bytes() == served.body
        assert fetched.sha256 == _sha256(served.body)
        assert list(tmp_path.iterdir()) == [fetched.path]
    else:
        assert list(tmp_path.iterdir()) == []


def test_a_body_cut_short_is_resumed_with_a_range_guarded_by_if_range(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    path = "/failures/broken-once.csv"
    server.hits.pop(path, None)
    before = len(server.log)
    fetched = Downloader(client, FAST).fetch(server.base + path, tmp_path)
    requests = [headers for p, headers in server.log[before:] if p == path]
    body = server.catalogue.files[path].body
    assert (fetched.status, fetched.resumed, fetched.attempts) == ("ok", True, 2)
    assert "Range" not in requests[0]
    assert requests[1]["Range"] == f"bytes={len(body) // 2}-"
    assert requests[1]["If-Range"] == server.catalogue.files[path].etag
    assert fetched.sha256 == _sha256(body)


def test_a_host_that_ignores_ranges_sends_the_whole_body_again(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    path = "/failures/no-ranges.csv"
    server.hits.pop(path, None)
    fetched = Downloader(client, FAST).fetch(server.base + path, tmp_path)
    assert (fetched.status, fetched.resumed, fetched.attempts) == ("ok", False, 2)
    assert fetched.sha256 == _sha256(server.catalogue.files[path].body)


def test_a_500_is_retried_after_an_exponential_backoff(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    server.hits.pop("/failures/flaky.csv", None)
    sleeps: list[float] = []
    policy = Policy(timeout=0.5, retries=3, backoff=0.01, rate=None)
    fetched = Downloader(client, policy, sleep=sleeps.append).fetch(
        server.base + "/failures/flaky.csv", tmp_path
    )
    assert (fetched.status, fetched.attempts, sleeps) == ("ok", 2, [0.01])


def test_retry_after_is_obeyed(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    server.hits.pop("/failures/busy.csv", None)
    sleeps: list[float] = []
    policy = Policy(timeout=0.5, retries=3, backoff=0.01, rate=None)
    fetched = Downloader(client, policy, sleep=sleeps.append).fetch(
        server.base + "/failures/busy.csv", tmp_path
    )
    assert (fetched.status, fetched.attempts, sleeps) == ("ok", 2, [1.0])


def test_backoff_doubles_until_the_retries_are_spent(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    sleeps: list[float] = []
    policy = Policy(timeout=0.5, retries=3, backoff=0.01, rate=None)
    fetched = Downloader(client, policy, sleep=sleeps.append).fetch(
        server.base + "/failures/broken-always.csv", tmp_path
    )
    assert (fetched.status, fetched.reason, fetched.attempts) == (
        "failed",
        "download-truncated",
        4,
    )
    assert sleeps == [0.01, 0.02, 0.04]


def test_a_slow_answer_within_the_timeout_is_received(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    server.slow_seconds = 0.2
    try:
        fetched = Downloader(client, Policy(timeout=3, retries=0, rate=None)).fetch(
            server.base + "/failures/slow.csv", tmp_path
        )
    finally:
        server.slow_seconds = 1.5
    assert fetched.status == "ok"


def test_conditional_request_gives_not_modified_and_no_file(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    path = next(p for p in server.catalogue.files if p.startswith("/files/"))
    served = server.catalogue.files[path]
    downloader = Downloader(client, FAST)
    by_etag = downloader.fetch(server.base + path, tmp_path, Conditional(etag=served.etag))
    by_date = downloader.fetch(
        server.base + path, tmp_path, Conditional(last_modified=served.last_modified)
    )
    stale = downloader.fetch(server.base + path, tmp_path, Conditional(etag='"other"'))
    assert (by_etag.status, by_etag.http_status) == ("not-modified", 304)
    assert by_date.status == "not-modified"
    assert stale.status == "ok" and stale.path is not None
    assert list(tmp_path.iterdir()) == [stale.path]


def test_an_endless_chain_of_redirects_is_cut(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    policy = Policy(timeout=0.5, retries=0, rate=None, max_redirects=5)
    fetched = Downloader(client, policy).fetch(server.base + "/chain/1", tmp_path)
    assert (fetched.status, fetched.reason) == ("failed", "download-too-many-redirects")


def test_a_body_larger_than_the_bound_is_refused(
    server: CatalogueServer, client: httpx.Client, tmp_path: Path
) -> None:
    path = next(p for p in server.catalogue.files if p.startswith("/files/"))
    policy = Policy(timeout=0.5, retries=0, rate=None, max_bytes=10)
    fetched = Downloader(client, policy).fetch(server.base + path, tmp_path)
    assert (fetched.status, fetched.reason) == ("failed", "resource-too-large")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_host_fails_as_a_connection_error(client: httpx.Client, tmp_path: Path) -> None:
    # Port 9 on loopback (discard) is closed on a test machine: the connection is refused.
    fetched = Downloader(client, FAST).fetch("http://127.0.0.1:9/x.csv", tmp_path)
    assert (fetched.status, fetched.reason) == ("failed", "download-connection-error")


def test_rate_limiter_spaces_requests() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    limiter.wait()
    now[0] += 0.2
    limiter.wait()
    now[0] += 1.0
    limiter.wait()
    assert sleeps == [pytest.approx(0.5), pytest.approx(0.3)]


@pytest.mark.parametrize(
    ("kind", "good"),
    [("sha256", True), ("SHA1", True), ("md5", True), ("sha512", True), ("sha256", False)],
)
def test_checksum_matches_each_algorithm(tmp_path: Path, kind: str, good: bool) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"montant;objet\n")
    value = hashlib.new(kind.lower(), b"montant;objet\n").hexdigest()
    assert checksum_matches(path, kind, value if good else "0" * len(value)) is good


def test_checksum_of_unknown_kind_is_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x")
    assert checksum_matches(path, "crc32", "00") is None
