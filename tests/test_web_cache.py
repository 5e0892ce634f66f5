"""The page cache: a repeated visit gets exactly the page a fresh computation gives.

Two real servers over the same linked demo store, one keeping pages and one not: every
answer must be the same, byte for byte and header for header; the cache must forget its
pages when a file they read changes, keep within its size, and keep only whole 200 pages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fundtrail.dossier import example_path
from fundtrail.web import create_app
from fundtrail.web.cache import PageCache
from web_fixtures import HOSTILE_SIREN, build_linked_store, served

PAGES = [
    f"/organisations/{HOSTILE_SIREN}",
    f"/organisations/{HOSTILE_SIREN}.json",
    f"/organisations/{HOSTILE_SIREN}?lang=en",
    "/organisations/000957951.json",
    "/funders/FR-RCS-000957951.json",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_linked_store(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("dossier") / example_path("ene").name
    copy.write_bytes(example_path("ene").read_bytes())
    return copy


def _cache(app: Any) -> PageCache:
    """Return the page cache in ``app``'s middleware stack (built on the first request)."""
    node = app.middleware_stack
    while not isinstance(node, PageCache):
        node = node.app
    return node


@pytest.fixture(scope="module")
def servers(store: Path, dossier: Path) -> Iterator[tuple[Any, httpx.Client, httpx.Client]]:
    kept = create_app(store, [dossier])
    fresh = create_app(store, [dossier], page_cache_bytes=0)
    with (
        served(store, kept) as kept_url,
        served(store, fresh) as fresh_url,
        httpx.Client(base_url=kept_url, timeout=60) as kept_http,
        httpx.Client(base_url=fresh_url, timeout=60) as fresh_http,
    ):
        yield kept, kept_http, fresh_http


def _answer(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Return status, body and headers, the server's own address taken out (pages link it)."""
    base = str(response.request.url.copy_with(path="/", query=None)).rstrip("/").encode()
    body = response.content.replace(base, b"http://site")
    headers = sorted(
        (k, v) for k, v in response.headers.items() if k not in ("date", "server", "content-length")
    )
    return response.status_code, body, headers


def test_a_kept_page_is_the_page_computed_afresh(servers: Any) -> None:
    app, kept, fresh = servers
    for _ in range(2):  # the first visit computes, the second reads the cache
        for path in PAGES:
            for language in ("fr", "en-GB,en;q=0.9"):
                headers = {"accept-language": language}
                assert _answer(kept.get(path, headers=headers)) == _answer(
                    fresh.get(path, headers=headers)
                ), (path, language)
    cache = _cache(app)
    # the pages in both languages, the one asking ?lang=en once per header
    assert len(cache.entries) == 2 * len(PAGES) - 1
    assert cache.size == sum(len(body) for _, body in cache.entries.values())


def test_only_whole_pages_found_are_kept(servers: Any) -> None:
    app, kept, _ = servers
    cache = _cache(app)
    before = len(cache.entries)
    assert kept.get("/organisations/999999999.json").status_code == 404
    assert kept.get(f"/organisations/{HOSTILE_SIREN}.csv").status_code == 200
    assert kept.get(f"/organisations/{HOSTILE_SIREN}/grants.json").status_code == 200
    assert kept.get("/search.json", params={"q": "association"}).status_code == 200
    assert len(cache.entries) == before


def test_pages_are_forgotten_when_a_file_they_read_changes(servers: Any, dossier: Path) -> None:
    app, kept, fresh = servers
    path = f"/organisations/{HOSTILE_SIREN}.json"
    kept.get(path)
    cache = _cache(app)
    version = cache.version
    assert len(cache.entries) >= 1
    stat = dossier.stat()
    os.utime(dossier, (stat.st_atime, stat.st_mtime + 10))
    assert _answer(kept.get(path)) == _answer(fresh.get(path))
    assert cache.version != version
    assert list(cache.entries) == [next(iter(cache.entries))]  # only the page just computed


def test_the_cache_keeps_within_its_size(store: Path) -> None:
    with served(store) as url, httpx.Client(base_url=url, timeout=60) as http:
        sizes = {path: len(http.get(path).content) for path in PAGES}
    # room for the largest page twice (and the other server's address, a few bytes longer
    # or shorter): every page may be kept, not all of them together
    room = 2 * max(sizes.values()) + 100
    assert sum(sizes.values()) > room
    app = create_app(store, page_cache_bytes=room)
    with served(store, app) as url, httpx.Client(base_url=url, timeout=60) as http:
        for path in PAGES:
            assert http.get(path).status_code == 200
        cache = _cache(app)
        assert 0 < cache.size <= room
        assert cache.size == sum(len(body) for _, body in cache.entries.values())
        kept = [key[2] + ("?" + key[3] if key[3] else "") for key in cache.entries]
        # the most recent pages stay, the oldest went first
        assert kept == PAGES[len(PAGES) - len(kept) :]
        assert len(kept) < len(PAGES)
