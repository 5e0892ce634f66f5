"""SIRENE extracts: INSEE's published columns, the opendatasoft re-export of Paris."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fundtrail.errors import UsageError
from fundtrail.link.build import build_links
from fundtrail.link.register import column_map, load_sirene
from test_link_fixtures import G, make_store

INSEE_HEADER = (
    "siren,statutDiffusionUniteLegale,dateCreationUniteLegale,dateDebut,"
    "etatAdministratifUniteLegale,denominationUniteLegale,categorieJuridiqueUniteLegale,"
    "activitePrincipaleUniteLegale"
)


def test_insee_columns(tmp_path: Path) -> None:
    stock = tmp_path / "StockUniteLegale_extrait.csv"
    stock.write_text(
        INSEE_HEADER + "\n"
        "552100554,O,2001-03-04,2021-06-30,C,LES AMIS DU PARC,9220,94.99Z\n"
        "732829320,P,1990-01-01,1990-01-01,A,HIDDEN NAME,5710,70.10Z\n",
        encoding="utf-8",
    )
    con = duckdb.connect(":memory:")
    assert load_sirene(con, stock) == 2
    rows = con.execute(
        "SELECT siren, name, legal_category, activity, status, created::VARCHAR, closed::VARCHAR "
        "FROM register_units ORDER BY siren"
    ).fetchall()
    assert rows == [
        ("552100554", "LES AMIS DU PARC", "9220", "94.99Z", "closed", "2001-03-04", "2021-06-30"),
        ("732829320", None, "5710", "70.10Z", "active", "1990-01-01", None),  # diffusion 'P'
    ]


def test_parquet_and_refusal(tmp_path: Path) -> None:
    con = duckdb.connect(":memory:")
    parquet = tmp_path / "units.parquet"
    con.execute(
        f"COPY (SELECT '552100554' AS siren, 'X' AS denominationUniteLegale, 'A' AS "
        f"etatAdministratifUniteLegale) TO '{parquet}' (FORMAT parquet)"
    )
    assert load_sirene(con, parquet) == 1
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UsageError):
        load_sirene(con, other)


def test_column_map_accepts_opendatasoft_names() -> None:
    cols = column_map(
        ["fields.siret", "fields.denominationunitelegale", "fields.etatadministratifunitelegale"]
    )
    assert cols == {
        "siret": "fields.siret",
        "name": "fields.denominationunitelegale",
        "status": "fields.etatadministratifunitelegale",
    }


@pytest.mark.shared
def test_paris_register_extract_names_the_beneficiaries(shared_data: Path) -> None:
    con = make_store([G(1, beneficiary_name="ASSOCIATION SPORTIVE DE LA POLICE DE PARIS (ASPP)")])
    con.execute(
        "UPDATE grants SET beneficiary_id = '77568100000000.0', "
        "flags = ['identifier-destroyed-float']"
    )
    n = load_sirene(con, shared_data / "real/paris-sirene-and-defects/ParisSubsidies_SIRENE.csv")
    assert n == 10165  # 11,161 establishments of 10,165 legal units
    statuses = dict(
        con.execute("SELECT status, count(*) FROM register_units GROUP BY 1").fetchall()
    )
    assert statuses == {"active": 10012, "closed": 153}
    build_links(con)
    link = con.execute(
        "SELECT org_id, method FROM grant_links WHERE role = 'beneficiary'"
    ).fetchall()
    # the float kept "775681", the register has one close name under that prefix
    assert link == [("FR-RCS-775681208", "link-damaged-identifier")]
    org = con.execute(
        "SELECT name, commune, postcode, status FROM organisations "
        "WHERE org_id = 'FR-RCS-775681208'"
    ).fetchall()
    assert org == [("ASSOCIATION SPORTIVE POLICE PARIS", "PARIS 5", "75005", "active")]
