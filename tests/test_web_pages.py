"""The web site served for real (uvicorn on 127.0.0.1) over a store built by the pipeline."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from web_fixtures import FORMULA_PURPOSE, HOSTILE_SIREN, SCRIPT_NAME, build_store, served

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[httpx.Client]:
    with served(store) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


def sql(store: Path, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def csv_rows(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_home_figures_match_the_store(client: httpx.Client, store: Path) -> None:
    figures = client.get("/index.json").json()["figures"]
    [(grants, amount, sources)] = sql(
        store,
        "SELECT (SELECT count(*) FROM grants), (SELECT sum(amount) FROM grants "
        "WHERE amount_kind IS NULL OR amount_kind = 'awarded'), (SELECT count(*) FROM sources)",
    )
    assert (figures["grants"], Decimal(figures["amount"]), figures["sources"]) == (
        grants,
        amount,
        sources,
    )
    page = client.get("/", headers=HTML).text
    assert 'lang="fr"' in page and "Chiffres clés" in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sources",
        "/sources/5",
        "/sources/5/quarantine",
        "/grants/5-5-2",
        "/search?q=valmont",
        f"/organisations/{HOSTILE_SIREN}",
        f"/organisations/{HOSTILE_SIREN}/grants",
        "/method",
        "/api",
    ],
)
def test_every_page_has_a_json_twin_fed_by_the_same_data(client: httpx.Client, path: str) -> None:
    page = client.get(path, headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    base, _, query = path.partition("?")
    twin_path = ("/index" if base == "/" else base) + ".json" + (f"?{query}" if query else "")
    assert f'href="{twin_path.replace("&", "&amp;")}"' in page.text
    twin = client.get(twin_path)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    assert "tables" in twin.json() or "sections" in twin.json()


def test_a_script_in_a_name_is_shown_as_text(client: httpx.Client) -> None:
    for path in (f"/organisations/{HOSTILE_SIREN}", "/grants/5-5-2", "/search?q=xss"):
        page = client.get(path, headers=HTML).text
        assert "<script>" not in page and "onerror=" not in page.replace("onerror=&#34;", "")
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    data = client.get(f"/organisations/{HOSTILE_SIREN}.json").json()
    assert data["organisation"]["name"] == SCRIPT_NAME.replace(";", ",")


def test_csv_exports_neutralise_formulas(client: httpx.Client) -> None:
    rows = csv_rows(client.get(f"/organisations/{HOSTILE_SIREN}/grants.csv"))
    header, body = rows[0], rows[1:]
    assert [r[header.index("purpose")] for r in body] == ["'" + FORMULA_PURPOSE]
    assert body[0][header.index("amount")] == "1234.5000"  # numbers stay numbers
    rows = csv_rows(client.get("/sources/5/grants.csv"))
    purposes = {r[rows[0].index("purpose")] for r in rows[1:]}
    assert purposes == {"'" + FORMULA_PURPOSE, "'+cmd|' /C calc'!A0"}


def test_exports_stream_every_row_with_no_cap(client: httpx.Client, store: Path) -> None:
    for source_id, accepted in sql(store, "SELECT source_id, rows_accepted FROM sources"):
        rows = csv_rows(client.get(f"/sources/{source_id}/grants.csv"))
        assert len(rows) - 1 == accepted
    everything = csv_rows(client.get("/search.csv"))
    [(organisations,)] = sql(
        store,
        "SELECT count(DISTINCT coalesce(beneficiary_siren, beneficiary_rna, "
        "'nom:' || trim(regexp_replace(lower(strip_accents(beneficiary_name)), "
        "'[^a-z0-9]+', ' ', 'g')))) FROM grants",
    )
    assert len(everything) - 1 == organisations
    empty = csv_rows(client.get("/sources/1/quarantine.csv"))
    assert empty == [["table_id", "row_number", "reasons", "raw"]]


def test_keyset_pages_walk_every_result_once(client: httpx.Client) -> None:
    whole = client.get("/search.json", params={"limit": 500}).json()["tables"]["results"]
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if after:
            params["after"] = after
        page = client.get("/search.json", params=params).json()
        seen += [r["key"] for r in page["tables"]["results"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [r["key"] for r in whole] and len(seen) == len(set(seen)) > 3


def test_grant_lists_page_by_keyset(client: httpx.Client, store: Path) -> None:
    [(key, count)] = sql(
        store,
        "SELECT funder_siren, count(*) FROM grants WHERE funder_siren IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    ids: list[str] = []
    after = None
    while True:
        page = client.get(f"/funders/{key}/grants.json", params={"limit": 7, "after": after}
                          if after else {"limit": 7}).json()  # fmt: skip
        ids += [g["grant_id"] for g in page["tables"]["grants"]]
        if not (after := page["next"]):
            break
    assert len(ids) == len(set(ids)) == count


def test_search_forgives_accents_case_legal_forms_and_reads_identifiers(
    client: httpx.Client,
) -> None:
    def names(q: str) -> list[str]:
        return [r["name"] for r in client.get("/search.json", params={"q": q}).json()[
            "tables"]["results"]]  # fmt: skip

    assert names("ASSOCIATION numérique") == names("numerique pour tous") != []
    assert names("ékole ÉTANG") == ["Ékole de Musique de l'Étang (démo)"]
    assert names("EKOLE etang") == names("ékole ÉTANG")
    assert names(f"{HOSTILE_SIREN[:3]} {HOSTILE_SIREN[3:6]} {HOSTILE_SIREN[6:]} 00017") == [
        SCRIPT_NAME.replace(";", ",")
    ]
    assert names(HOSTILE_SIREN) == names(f"{HOSTILE_SIREN}00017")
    assert names("zzzz-nothing") == []


def test_search_facets_show_sums_as_well_as_counts(client: httpx.Client) -> None:
    data = client.get("/search.json", params={"q": "valmont", "limit": 500}).json()["tables"]
    total = sum(Decimal(r["total"]) for r in data["results"])
    assert sum(Decimal(f["amount"]) for f in data["facet_year"]) == total
    assert sum(f["grants"] for f in data["facet_year"]) == sum(r["grants"] for r in data["results"])
    year = data["facet_year"][0]["year"]
    narrowed = client.get("/search.json", params={"q": "valmont", "year": year}).json()
    assert {f["year"] for f in narrowed["tables"]["facet_year"]} == {year}
    page = client.get("/search", params={"q": "valmont", "year": year}, headers=HTML).text
    assert f"year={year}" in page  # the permalink of the filtered state


def test_organisation_page_profile(client: httpx.Client, store: Path) -> None:
    [(siren,)] = sql(
        store,
        "SELECT beneficiary_siren FROM grants WHERE beneficiary_siren IS NOT NULL "
        "GROUP BY 1 ORDER BY count(DISTINCT funder_name) DESC, count(*) DESC, 1 LIMIT 1",
    )
    data = client.get(f"/organisations/{siren}.json").json()
    by_funder = data["tables"]["by_funder"]
    total = Decimal(data["organisation"]["total"])
    assert sum(Decimal(f["amount"]) for f in by_funder) == total
    assert sum(Decimal(y["amount"]) for y in data["tables"]["by_year"]) == total
    assert Decimal(data["dependence"]) == Decimal(by_funder[0]["share"])
    page = client.get(f"/organisations/{siren}", headers=HTML).text
    assert page.count("<svg") == 2 and page.count("<table") >= 4
    assert '<meta property="og:title"' in page
    by_year = csv_rows(client.get(f"/organisations/{siren}.csv", params={"table": "by_year"}))
    assert len(by_year) - 1 == len(data["tables"]["by_year"])
    # A store never linked: the figures rest on published identifiers, and the page says so.
    assert data["linked"] is False and data["profile"] is None and data["hhi"] is None
    assert "fundtrail link" in page
    assert "fundtrail link" in client.get(f"/organisations/{siren}?lang=en", headers=HTML).text
    funder = client.get(f"/funders/{by_funder[0]['funder_key']}.json").json()
    assert funder["linked"] is False
    found = client.get("/search.json", params={"q": data["organisation"]["name"]}).json()
    assert found["linked"] is False and found["tables"]["results"]


def test_source_page_reports_quality_and_quarantine(client: httpx.Client) -> None:
    report = client.get("/sources/5.json").json()
    source = report["source"]
    assert (source["rows_read"], source["rows_accepted"], source["rows_quarantined"]) == (3, 2, 1)
    assert report["balanced"] is True
    assert [(i["code"], i["count"]) for i in report["tables"]["issues_by_code"]] == [
        ("amount-missing", 1)
    ]
    rules = {(r["rule"], r["field"]) for r in report["tables"]["repairs_by_rule"]}
    assert ("amount-french-format", "montant") in rules
    quarantine = client.get("/sources/5/quarantine.json").json()["tables"]["quarantine"]
    assert [(q["row_number"], q["reasons"]) for q in quarantine] == [(3, ["amount-missing"])]
    fr = client.get("/sources/5/quarantine", headers=HTML).text
    en = client.get("/sources/5/quarantine?lang=en", headers=HTML).text
    assert "Montant absent" in fr and "Amount missing" in en
    assert "Société Sans Montant (démo)" in fr


def test_grant_page_has_fields_raw_row_and_repairs(client: httpx.Client) -> None:
    data = client.get("/grants/5-5-2.json").json()
    assert data["grant"]["amount"] == "1234.5000"
    assert {r["column"]: r["value"] for r in data["tables"]["raw"]}["montant"] == "1 234,50 €"
    assert ("montant", "1 234,50 €", "1234.50") in {
        (r["field"], r["original"], r["result"]) for r in data["tables"]["repairs"]
    }
    fr = client.get("/grants/5-5-2", headers=HTML).text
    en = client.get("/grants/5-5-2", headers={**HTML, "accept-language": "en-GB,en"}).text
    assert "1\u202f234,50\u00a0€" in fr and "€1,234.50" in en


def test_language_switch_keeps_the_permalink(client: httpx.Client) -> None:
    page = client.get("/search?q=valmont&year=2022", headers=HTML).text
    assert 'href="/search?q=valmont&amp;year=2022&amp;lang=en"' in page
    english = client.get("/search?q=valmont&year=2022&lang=en", headers=HTML).text
    assert 'lang="en"' in english and "Refine" in english
    assert "lang=en" in english.split('class="result"')[1].split(">")[0]  # links keep it


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/no/such/page", {}, 404, "not-found"),
        ("GET", "/grants/9-9-9.json", {}, 404, "grant-not-found"),
        ("GET", "/grants/nonsense.json", {}, 404, "grant-not-found"),
        ("GET", "/sources/999.json", {}, 404, "source-not-found"),
        ("GET", "/sources/abc.json", {}, 422, "invalid-parameter"),
        ("GET", "/organisations/000000000.json", {}, 404, "organisation-not-found"),
        ("GET", "/funders/nom:nobody.json", {}, 404, "funder-not-found"),
        ("GET", "/search.json?limit=501", {}, 422, "invalid-parameter"),
        ("GET", "/search.json?band=huge", {}, 422, "invalid-parameter"),
        ("GET", "/search.json?after=garbage", {}, 422, "invalid-parameter"),
        ("GET", "/sources.json?after=x", {}, 422, "invalid-parameter"),
        ("GET", "/sources/5/quarantine.json?after=1", {}, 422, "invalid-parameter"),
        ("GET", "/funders/x/grants.json?after=1-2", {}, 422, "invalid-parameter"),
        ("GET", "/sources/5.csv?table=secret", {}, 404, "unknown-table"),
        ("POST", "/search.json", {}, 405, "method-not-allowed"),
        ("GET", "/search.json?q=" + "x" * 5000, {}, 414, "request-too-large"),
        ("POST", "/search.json", {"content": b"x" * 300_000}, 413, "request-too-large"),
    ],
)
def test_every_error_has_one_shape(
    client: httpx.Client, method: str, path: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = client.request(method, path, **kwargs)
    body = response.json()
    assert response.status_code == status
    assert list(body) == ["error"]
    assert set(body["error"]) == {"status", "code", "message", "detail"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert "content-security-policy" in response.headers


def test_html_errors_are_pages_with_the_same_fields(client: httpx.Client) -> None:
    response = client.get("/grants/9-9-9", headers={**HTML, "accept-language": "en"})
    assert response.status_code == 404
    assert "Grant not found" in response.text and "grant-not-found" in response.text


@pytest.mark.parametrize("path", ["/", "/index.json", "/sources.csv", "/static/style.css"])
def test_security_headers_everywhere(client: httpx.Client, path: str) -> None:
    headers = client.get(path).headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # no script at all
    assert (headers["x-content-type-options"], headers["x-frame-options"]) == ("nosniff", "DENY")


def test_no_external_resource_and_no_cdn_docs(client: httpx.Client) -> None:
    for path in ("/", f"/organisations/{HOSTILE_SIREN}", "/search?q=a", "/method"):
        page = client.get(path, headers=HTML).text
        for attribute in ('src="http', "src='http", 'href="http', "href='http", "//cdn"):
            assert attribute not in page
    assert client.get("/docs").status_code == 404
    spec = client.get("/openapi.json").json()
    assert "/organisations/{key}.json" in spec["paths"] and "/search.json" in spec["paths"]


def test_the_store_is_opened_read_only(store: Path) -> None:
    from fundtrail.web.db import Store

    opened = Store(store)
    try:
        with pytest.raises(duckdb.Error):
            opened.cursor().execute("DELETE FROM grants")
    finally:
        opened.close()


def test_check_a_text_marks_figures_and_gives_verdicts(client: httpx.Client) -> None:
    wrong = "Région : 1 000 €\nMétropole : 500 €\nTotal : 1 600 €"
    right = wrong.replace("1 600", "1 500")
    counts = {
        text: client.post("/check.json", json={"text": text}).json()["check"]["counts"]
        for text in (wrong, right)
    }
    assert (counts[wrong]["contradicted"], counts[right]["consistent"]) == (1, 1)
    page = client.post("/check", data={"text": wrong}, headers=HTML).text
    assert page.count('<mark class="figure contradicted"') == 1
    permalink = client.get("/check", params={"text": right}, headers=HTML).text
    assert '<mark class="figure consistent"' in permalink
    assert (
        client.get("/check.json", params={"text": right}).json()["check"]
        == client.post("/check.json", json={"text": right}).json()["check"]
    )


def test_dossier_page_checks_the_ene_dossier(client: httpx.Client) -> None:
    listed = client.get("/dossiers.json").json()["tables"]["dossiers"]
    assert [d["name"] for d in listed] == ["ene"]
    data = client.get("/dossiers/ene.json").json()
    assert data["dossier"]["plans"] and data["dossier"]["statements"]
    assert "path" not in data["dossier"]  # no server path leaks
    page = client.get("/dossiers/ene", headers=HTML).text
    assert page.count("<svg") >= 1 and "<table" in page
    rows = csv_rows(client.get("/dossiers/ene.csv", params={"table": "reconciliation"}))
    assert len(rows) - 1 == len(data["dossier"]["reconciliation"])
    assert client.get("/dossiers/nope.json").json()["error"]["code"] == "dossier-not-found"


def test_band_codes_are_the_documented_ones(client: httpx.Client) -> None:
    from fundtrail.web.sql import BANDS

    spec = client.get("/openapi.json").json()
    parameters = spec["paths"]["/search.json"]["get"]["parameters"]
    band = next(p for p in parameters if p["name"] == "band")
    documented = next(s["enum"] for s in band["schema"]["anyOf"] if "enum" in s)
    assert documented == [code for code, _, _ in BANDS]


def test_a_funder_level_on_an_unlinked_store_matches_nothing(client: httpx.Client) -> None:
    data = client.get("/search.json", params={"level": "commune"}).json()
    assert data["tables"]["results"] == [] and data["query"]["level"] == "commune"
    assert client.get("/search.json").json()["tables"]["facet_level"] == []
    assert csv_rows(client.get("/search.csv", params={"level": "commune"}))[1:] == []
