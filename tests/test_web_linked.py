"""The site over a linked store: the analysis profile, linked ids, signals, link reasons."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import duckdb
import httpx
import pytest

from fundtrail.catalogue import CATALOGUE, render
from web_fixtures import HOSTILE_SIREN, build_store, crawl, served

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    from fundtrail.link.build import build_links

    db = build_store(tmp_path_factory.mktemp("linked"))
    con = duckdb.connect(str(db))
    try:
        build_links(con)
        # As a register extract would: one organisation's commune is known.
        con.execute(
            "UPDATE organisations SET commune = 'Saint-Étienne-du-Test' WHERE siren = ?",
            [HOSTILE_SIREN],
        )
    finally:
        con.close()
    with served(db) as base, httpx.Client(base_url=base, timeout=60) as http:
        yield http


def test_profile_after_linking_agrees_with_the_grants(client: httpx.Client) -> None:
    data = client.get("/organisations/000957951.json").json()
    profile = data["profile"]
    assert profile["organisation"]["id"] == "FR-RCS-000957951"
    # The demo has no duplicate and no shared grant: both ways of counting agree.
    assert Decimal(profile["total_amount"]) == Decimal(data["organisation"]["total"])
    by_id = client.get("/organisations/FR-RCS-000957951.json").json()
    assert by_id["organisation"]["total"] == data["organisation"]["total"]
    page = client.get("/organisations/000957951", headers=HTML).text
    assert "Toutes les subventions rattachées à cette organisation" in page


def test_grant_page_says_how_it_was_linked(client: httpx.Client) -> None:
    data = client.get("/grants/5-5-2.json").json()
    links = {link["role"]: link for link in data["links"]}
    assert links["beneficiary"]["org_id"] == f"FR-RCS-{HOSTILE_SIREN}"
    assert links["beneficiary"]["rule"].startswith("link-")
    assert links["beneficiary"]["rule_message"] != links["beneficiary"]["rule"]


def test_signals_point_to_their_grants(client: httpx.Client) -> None:
    signals = client.get("/signals.json").json()["tables"]["signals"]
    assert signals
    for signal in signals:
        # Rendered from the catalogue; a rule the catalogue lacks shows its code, not a crash.
        rule = signal["rule"]
        assert signal["rule_message"] == (render(rule) if rule in CATALOGUE else rule)
        for grant_id in signal["grant_ids"]:
            assert client.get(f"/grants/{grant_id}.json").status_code == 200
    assert "signal" in client.get("/signals", headers=HTML).text


def test_search_adds_the_linked_organisations(client: httpx.Client) -> None:
    found = client.get("/search.json", params={"q": "Numérique pour Tous"}).json()
    keys = [o["key"] for o in found["tables"]["organisations"]]
    assert "000957951" in keys
    assert client.get(f"/organisations/{keys[0]}.json").status_code == 200


def test_search_facets_by_funder_level_once_linked(client: httpx.Client) -> None:
    data = client.get("/search.json", params={"q": "valmont", "limit": 500}).json()
    levels = data["tables"]["facet_level"]
    assert levels and sum(f["grants"] for f in levels) == sum(
        r["grants"] for r in data["tables"]["results"]
    )
    level = levels[0]["level"]
    narrowed = client.get("/search.json", params={"q": "valmont", "level": level}).json()
    assert {f["level"] for f in narrowed["tables"]["facet_level"]} == {level}


def test_crawl_the_linked_site(client: httpx.Client) -> None:
    start = ["/", "/signals", "/search?q=valmont", f"/organisations/{HOSTILE_SIREN}"]
    statuses = crawl(client, start, 250)
    assert set(statuses) == {200} and statuses[200] >= 150


def test_search_by_commune_once_known(client: httpx.Client) -> None:
    found = client.get("/search.json", params={"q": "saint etienne du TEST"}).json()
    assert [o["key"] for o in found["tables"]["organisations"]] == [HOSTILE_SIREN]


def test_share_metadata_carries_the_key_figure(client: httpx.Client) -> None:
    page = client.get("/organisations/000957951", params={"lang": "en"}, headers=HTML).text
    total = client.get("/organisations/000957951.json").json()["organisation"]["total"]
    whole = f"{Decimal(total):,.2f}".removesuffix(".00")
    assert f'<meta property="og:description" content="€{whole}' in page
    assert '<meta property="og:title" content="Association Numérique pour Tous (démo)' in page
