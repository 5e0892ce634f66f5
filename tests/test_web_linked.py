"""The site over a linked store: the analysis profile, linked ids, signals, link reasons."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import httpx
import pytest

from fundtrail.catalogue import CATALOGUE, render
from web_fixtures import HOSTILE_SIREN, build_linked_store, crawl, served

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fundtrail.link.build import build_links

    db = build_linked_store(tmp_path_factory.mktemp("linked"))
    con = duckdb.connect(str(db))
    try:
        # As a register extract would, linked again: one organisation's commune is known.
        con.execute(
            """INSERT INTO register_units (siren, commune, source)
               VALUES (?, 'Saint-Étienne-du-Test', 'sirene-file:test')""",
            [HOSTILE_SIREN],
        )
        build_links(con)
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[httpx.Client]:
    with served(store) as base, httpx.Client(base_url=base, timeout=60) as http:
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
    keys = [o["key"] for o in found["tables"]["results"]]
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
    assert [o["key"] for o in found["tables"]["results"]] == [HOSTILE_SIREN]


def test_share_metadata_carries_the_key_figure(client: httpx.Client) -> None:
    page = client.get("/organisations/000957951", params={"lang": "en"}, headers=HTML).text
    total = client.get("/organisations/000957951.json").json()["organisation"]["total"]
    whole = f"{Decimal(total):,.2f}".removesuffix(".00")
    assert f'<meta property="og:description" content="€{whole}' in page
    assert '<meta property="og:title" content="Association Numérique pour Tous (démo)' in page


def _facts(store: Path, sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _name_linked_org(store: Path) -> tuple[str, str]:
    """Return (page key, grant id) of an organisation with a grant linked by its name."""
    [(siren, grant_id)] = _facts(
        store,
        """SELECT o.siren, min(l.grant_id) FROM grant_links l
           JOIN organisations o ON o.org_id = l.org_id
           WHERE l.role = 'beneficiary' AND l.method = 'link-name' AND o.siren IS NOT NULL
           GROUP BY o.siren ORDER BY o.siren LIMIT 1""",
        [],
    )
    return str(siren), str(grant_id)


def test_organisation_page_tells_one_story_once_linked(client: httpx.Client, store: Path) -> None:
    key, by_name = _name_linked_org(store)
    data = client.get(f"/organisations/{key}.json").json()
    org, tables = data["organisation"], data["tables"]
    total = Decimal(org["total"])
    assert data["linked"] is True
    # Headline, by funder, by year and the analysis profile: one total, one funder count.
    assert total == Decimal(data["profile"]["total_amount"])
    assert total == sum(Decimal(f["amount"]) for f in tables["by_funder"])
    assert total == sum(Decimal(y["amount"]) for y in tables["by_year"])
    assert total == sum(Decimal(r["amount"]) for r in tables["by_funder_year"])
    assert org["funders"] == data["profile"]["funders_count"] == len(tables["by_funder"])
    assert org["grants"] == sum(y["grants"] for y in tables["by_year"])
    # The grant published without this SIREN, linked by name, is counted and listed.
    [(published_siren,)] = _facts(
        store, "SELECT beneficiary_siren FROM grants WHERE grant_id = ?", [by_name]
    )
    assert published_siren != key
    listed = {g["grant_id"]: g for g in data["grants"]["tables"]["grants"]}
    assert listed[by_name]["link_method"] == "link-name"
    assert listed[by_name]["link_explanation"]
    assert listed[by_name]["link_message"] == render("link-name")
    # Every grant behind the figures, in the CSV export, with its link.
    exported = client.get(f"/organisations/{key}/grants.csv").text.lstrip("\ufeff").splitlines()
    assert "link_method" in exported[0]
    assert len(exported) - 1 == org["grants"]
    assert any(line.startswith(f"{by_name},") for line in exported[1:])
    # The table exports are the page's tables.
    csv_funders = client.get(f"/organisations/{key}.csv", params={"table": "by_funder"}).text
    assert len(csv_funders.strip().splitlines()) == len(tables["by_funder"]) + 1
    page = client.get(f"/organisations/{key}", headers=HTML).text
    assert "fundtrail link" not in page and by_name in page


def test_funder_page_tells_one_story_once_linked(client: httpx.Client, store: Path) -> None:
    [(siren,)] = _facts(
        store,
        """SELECT o.siren FROM grant_links l JOIN organisations o ON o.org_id = l.org_id
           WHERE l.role = 'funder' AND o.siren IS NOT NULL
           GROUP BY o.siren ORDER BY count(*) DESC, o.siren LIMIT 1""",
        [],
    )
    data = client.get(f"/funders/{siren}.json").json()
    total = Decimal(data["funder"]["total"])
    assert data["linked"] is True and total == Decimal(data["profile"]["total_amount"])
    assert total == sum(Decimal(y["amount"]) for y in data["tables"]["by_year"])
    assert total == sum(Decimal(b["amount"]) for b in data["tables"]["bands"])
    grants = client.get(f"/funders/{siren}/grants.json", params={"limit": 500}).json()
    assert len(grants["tables"]["grants"]) == data["funder"]["grants"]
    assert all(g["link_method"] for g in grants["tables"]["grants"])


def test_search_gives_one_row_per_linked_organisation(client: httpx.Client) -> None:
    found = client.get("/search.json", params={"q": "valmont", "limit": 500}).json()
    results = found["tables"]["results"]
    assert found["linked"] is True and results
    assert len({r["org_id"] for r in results}) == len(results)
    for row in results:
        org = client.get(f"/organisations/{row['key']}.json").json()["organisation"]
        assert (Decimal(row["total"]), row["grants"], row["funders"]) == (
            Decimal(org["total"]), org["grants"], org["funders"],
        )  # fmt: skip
    exported = client.get("/search.csv", params={"q": "valmont"}).text.strip().splitlines()
    assert len(exported) == len(results) + 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_signals_read_as_text_and_amounts(client: httpx.Client, lang: str) -> None:
    signal = next(
        s for s in client.get("/signals.json").json()["tables"]["signals"] if s.get("org_key")
    )
    page = client.get(
        f"/organisations/{signal['org_key']}", params={"lang": lang}, headers=HTML
    ).text
    assert render(signal["rule"], lang) in page
    assert "0000000000" not in page and f"<code>{signal['rule']}</code>" not in page
    euro = "€" if lang == "en" else "\u00a0€"
    shown = client.get(f"/organisations/{signal['org_key']}.json", params={"lang": lang}).json()
    displayed = [s["value_display"] for s in shown["profile"]["signals"]]
    assert displayed and all(euro in d and "0000000000" not in d for d in displayed)


def test_hhi_on_the_usual_scale(client: httpx.Client, store: Path) -> None:
    key, _ = _name_linked_org(store)
    data = client.get(f"/organisations/{key}.json").json()
    fraction = Decimal(data["profile"]["dependence"]["hhi"])
    assert Decimal(data["hhi"]) == (fraction * 10000).quantize(Decimal("0.1"))
    assert Decimal(0) < Decimal(data["hhi"]) <= Decimal(10000)
    assert "10 000" in client.get("/method", headers=HTML).text


def test_search_caps_the_organisations_it_considers(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fundtrail.web.pages import search

    monkeypatch.setattr(search, "MAX_MATCHED", 1)
    found = client.get("/search.json", params={"q": "valmont"}).json()
    assert found["capped"] is True and len(found["tables"]["results"]) == 1
    page = client.get("/search", params={"q": "valmont"}, headers=HTML).text
    assert 'class="note capped"' in page
