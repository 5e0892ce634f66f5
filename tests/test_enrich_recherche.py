"""The API Recherche d'entreprises client against a real local server on loopback."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest

from fundtrail.link.build import build_links
from fundtrail.link.recherche import RechercheClient, RechercheError, enrich_from_api
from recherche_server import RechercheServer
from test_link_fixtures import G, make_store


def test_search_answers_the_documented_shape() -> None:
    with RechercheServer() as server:
        client = RechercheClient(server.url)
        answer = client.search("775681000")
    assert answer["total_results"] == 1
    assert (answer["results"][0]["siren"], answer["page"], answer["per_page"]) == (
        "775681000", 1, 10,
    )  # fmt: skip


def test_429_is_retried_after_the_delay_it_asks() -> None:
    waits: list[float] = []
    with RechercheServer(refuse_first=2, retry_after="3") as server:
        client = RechercheClient(server.url, sleep=waits.append, rate=1000.0)
        answer = client.search("552100554")
        assert (server.refused, client.requests) == (2, 3)
    assert answer["results"][0]["siren"] == "552100554"
    assert waits.count(3.0) == 2


def test_gives_up_after_max_retries() -> None:
    with RechercheServer(refuse_first=10) as server:
        client = RechercheClient(server.url, sleep=lambda s: None, max_retries=2)
        with pytest.raises(RechercheError):
            client.search("552100554")
        assert server.refused == 3


def test_rate_is_at_most_seven_per_second() -> None:
    with RechercheServer() as server:
        client = RechercheClient(server.url)
        for q in ("a", "b", "c", "d", "e", "f", "g", "h"):
            client.search(q)
        times = server.times
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # server-side arrival times jitter by a few ms; the span cannot
    assert times[-1] - times[0] >= 7 / 7 - 0.02
    assert min(gaps) >= 1 / 7 - 0.03
    assert len(times) == 8


def test_cache_asks_nothing_twice(tmp_path: Path) -> None:
    with RechercheServer() as server:
        client = RechercheClient(server.url, cache_dir=tmp_path, rate=1000.0)
        first = client.search("775681000")
        second = RechercheClient(server.url, cache_dir=tmp_path).search("775681000")
        assert len(server.queries) == 1
    assert first == second


def test_errors_are_refused_not_invented() -> None:
    with RechercheServer() as server:
        client = RechercheClient(server.url)
        with pytest.raises(RechercheError):
            client.search("")  # the server answers 400
    dead = RechercheClient("http://127.0.0.1:9", transport=httpx.HTTPTransport(retries=0))
    with pytest.raises(RechercheError):
        dead.search("x")


def test_enrichment_fills_the_register_and_the_closed_signal() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Les amis du parc", beneficiary_siren="552100554", year=2020),
            G(2, beneficiary_name="Les amis du parc", beneficiary_siren="552100554", year=2022),
        ]
    )  # fmt: skip
    build_links(con)
    with RechercheServer() as server:
        counts = enrich_from_api(con, RechercheClient(server.url, rate=1000.0))
    assert counts == {"asked": 2, "found": 1, "missing": 1}  # the funder is not in the server
    row = con.execute(
        "SELECT name, legal_category, commune, status, closed::VARCHAR, source "
        "FROM register_units WHERE siren = '552100554'"
    ).fetchall()
    assert row == [("LES AMIS DU PARC", "9220", "ANGERS", "closed", "2021-06-30", "recherche-api")]
    build_links(con)
    kinds = con.execute(
        "SELECT kind, kind_source FROM organisations WHERE org_id = 'FR-RCS-552100554'"
    ).fetchall()
    assert kinds == [("association", "register")]
    closed = con.execute(
        "SELECT rule, grant_ids FROM signals WHERE rule = 'signal-closed-organisation'"
    ).fetchall()
    assert closed == [("signal-closed-organisation", ["1-1-2"])]
