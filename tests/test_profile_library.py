"""organisation_profile and funder_profile: figures, JSON shape, CLI twins."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from click.testing import CliRunner

from fundtrail.analysis.funder import funder_profile
from fundtrail.analysis.profile import organisation_profile
from fundtrail.cli import main
from fundtrail.link.build import build_links
from fundtrail.link.search import search_organisations
from test_link_fixtures import G, make_store

A = {"beneficiary_name": "Les Amis du Parc", "beneficiary_siren": "552100554"}
REGION = {"funder_name": "Région Test", "funder_siren": "237500079"}


def store():  # type: ignore[no-untyped-def]
    con = make_store(
        [
            G(1, **A, year=2020, amount=D("1000")),
            G(2, **A, year=2021, amount=D("3000")),
            G(3, **A, year=2022, amount=D("4000"), **REGION),
            G(4, beneficiary_name="ASSOCIATION LES AMIS DU PARC", year=2022, amount=D("2000")),
            G(5, **A, year=2022, amount=D("500"), amount_kind="paid"),
            G(6, beneficiary_name="Dupont SARL", beneficiary_siren="732829320", year=2022,
              amount=D("250.55")),
        ]
    )  # fmt: skip
    build_links(con)
    return con


def test_profile_figures() -> None:
    p = organisation_profile(store(), "552100554")
    assert p is not None
    assert p["organisation"]["id"] == "FR-RCS-552100554"
    assert p["total_amount"] == D("10000")  # paid 500 kept apart
    assert p["totals_by_kind"]["paid"] == {"amount": D("500"), "grants": 1}
    assert p["grants_count"] == 5
    assert [(y["year"], y["amount"]) for y in p["by_year"]] == [
        (2020, D("1000")), (2021, D("3000")), (2022, D("6000")),
    ]  # fmt: skip
    assert [(f["funder_id"], f["amount"], f["share"]) for f in p["by_funder"]] == [
        ("FR-RCS-217500016", D("6000"), D("0.60")),
        ("FR-RCS-237500079", D("4000"), D("0.40")),
    ]
    assert p["dependence"]["hhi"] == D("0.52")  # 0.6² + 0.4²
    assert p["growth"]["compound_rate"] == D("1.449490")  # (6000/1000)^(1/2) - 1
    assert p["funders_count"] == 2 and p["public_levels_count"] == 2
    assert p["grants"]["count"] == 5
    assert {g["link_method"] for g in p["grants"]["shown"]} == {"link-identifier", "link-name"}


def test_profile_by_name_and_unknown() -> None:
    con = store()
    assert organisation_profile(con, "amis du parc")["organisation"]["id"] == "FR-RCS-552100554"  # type: ignore[index]
    assert organisation_profile(con, "personne") is None


def test_profile_json_shape_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    con = store()
    con.execute(f"ATTACH '{db}' AS f; COPY FROM DATABASE memory TO f; DETACH f")
    result = CliRunner().invoke(main, ["profile", "Les amis du parc", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["organisation"]) >= {"id", "name", "identifiers"}
    assert data["total_amount"] == "10000.00"
    assert data["by_year"][0] == {"year": 2020, "amount": "1000.00", "grants": 1}
    assert {"funder_id", "funder_name", "amount", "share"} <= set(data["by_funder"][0])
    text = CliRunner().invoke(main, ["profile", "552100554", "--db", str(db)])
    assert "10 000 €" in text.output.replace("\u202f", " ")
    english = CliRunner().invoke(main, ["profile", "552100554", "--lang", "en", "--db", str(db)])
    assert "€10,000" in english.output


def test_funder_profile() -> None:
    f = funder_profile(store(), "Ville de Testville")
    assert f is not None
    assert f["funder"]["id"] == "FR-RCS-217500016"
    assert f["total_amount"] == D("6250.55")
    assert [(b["beneficiary_id"], b["amount"]) for b in f["top_beneficiaries"]] == [
        ("FR-RCS-552100554", D("6000")), ("FR-RCS-732829320", D("250.55")),
    ]  # fmt: skip
    bands = {b["band"]: b["grants"] for b in f["amount_bands"]}
    assert bands == {
        "< 1 000": 1, "1 000 - 5 000": 3, "5 000 - 23 000": 0, "23 000 - 100 000": 0,
        "100 000 - 1 000 000": 0, ">= 1 000 000": 0,
    }  # fmt: skip
    assert f["share_to_associations"] == D("0.959916")  # 6000 / 6250.55 (the SARL is a company)
    assert f["quality"]["grants"] == 5
    assert funder_profile(store(), "Les amis du parc") is None  # never funded anything


def test_search() -> None:
    found = search_organisations(store(), "amis parc")
    assert found[0]["org_id"] == "FR-RCS-552100554"
    assert search_organisations(store(), "552100554")[0]["score"] == 1.0
    assert search_organisations(store(), "") == []


def test_profile_before_link_says_what_to_run() -> None:
    import pytest

    from fundtrail.errors import StoreError

    con = make_store([G(1, beneficiary_name="A")])
    with pytest.raises(StoreError, match="fundtrail link"):
        organisation_profile(con, "A")
