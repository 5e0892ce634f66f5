"""Reconciling funding plans with published grants, on a store filled by the test."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from fundtrail.dossier import check_dossier, example_path, load_dossier, parse_dossier
from fundtrail.dossier.reconcile import name_keys
from fundtrail.store.schema import create_schema

# (funder name, funder SIREN, funder SIRET, beneficiary name, beneficiary SIREN, year, amount)
GRANTS = [
    ("METROPOLE DE LYON", "200046977", None, "ENE - ENTREPRISES & NUMERIQUE", None, 2017, "282000"),
    ("METROPOLE DE LYON", "200046977", None, "ENE", None, 2016, "250000"),
    ("Métropole de Lyon", "200046977", None, "Autre association", None, 2017, "282000"),
    (
        "REGION AUVERGNE RHONE ALPES",
        None,
        "20005376700014",
        "Espace Numérique Entreprises",
        None,
        2017,
        "1400000",
    ),
    ("Pôle métropolitain", None, None, "Une autre structure", None, 2017, "5000"),
]


@pytest.fixture
def store() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(":memory:")
    create_schema(con)
    for row, grant in enumerate(GRANTS, start=2):
        funder, fsiren, fsiret, beneficiary, bsiren, year, amount = grant
        con.execute(
            "INSERT INTO grants (grant_id, source_id, table_id, row_number, funder_name, "
            "funder_siren, funder_siret, beneficiary_name, beneficiary_siren, convention_year, "
            "amount) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f"1-1-{row}", row, funder, fsiren, fsiret, beneficiary, bsiren, year, Decimal(amount)],
        )
    yield con
    con.close()


def test_ene_lines_against_a_store(store: duckdb.DuckDBPyConnection) -> None:
    check = check_dossier(load_dossier(example_path("ene")), store)
    found = [
        (m.line, m.code, m.published, m.year, [g.grant_id for g in m.grants])
        for m in check.reconciliation
    ]
    assert found == [
        # Région: matched by SIRET prefix and the former name, another amount.
        ("region", "grant-found-other-amount", Decimal(1400000), 2017, ["1-1-5"]),
        # Métropole: the plan has no year; the 2017 grant has the same amount.
        ("metropole", "grant-found-equal", Decimal(282000), 2017, ["1-1-2"]),
        # No FEDER grant at all in this store: nothing can be said.
        ("feder", "grant-funder-absent", None, None, []),
        ("cci-cma", "grant-funder-absent", None, None, []),
        # The Pôle publishes, but 19 500 € is under the publication threshold.
        ("pole-metropolitain", "grant-not-found", None, None, []),
        ("ventes", "grant-not-applicable", None, None, []),
    ]


PLAN_2018 = """\
format: fundtrail-dossier/1
organisation:
  name: Nom sans rapport
  siren: "123456789"
funding_plans:
  - id: p
    year: {year}
    lines:
      - id: metropole
        source: Métropole de Lyon
        siren: "200046977"
        amount: 282000
        kind: cash-grant
        public: true
      - id: pole
        source: POLE METROPOLITAIN
        amount: 5000
        kind: cash-grant
        public: true
"""


def test_a_public_funder_that_did_not_publish_is_a_finding(
    store: duckdb.DuckDBPyConnection,
) -> None:
    check = check_dossier(parse_dossier(PLAN_2018.format(year=2018)), store)
    assert [m.code for m in check.reconciliation] == ["grant-not-published", "grant-not-found"]


def test_the_organisation_is_matched_by_its_siren(store: duckdb.DuckDBPyConnection) -> None:
    store.execute("UPDATE grants SET beneficiary_siren = '123456789' WHERE grant_id = '1-1-4'")
    store.execute("UPDATE grants SET beneficiary_siren = '123456789' WHERE grant_id = '1-1-6'")
    check = check_dossier(parse_dossier(PLAN_2018.format(year=2017)), store)
    assert [(m.code, [g.grant_id for g in m.grants]) for m in check.reconciliation] == [
        ("grant-found-equal", ["1-1-4"]),
        ("grant-found-equal", ["1-1-6"]),  # the Pôle's funder name matched once folded
    ]


def test_name_keys_fold_accents_case_and_ampersands() -> None:
    keys = name_keys(("ENE – Entreprises & Numérique",))
    assert "eneentreprisesetnumerique" in keys
    assert "eneentreprisesnumerique" in keys
    assert name_keys(("Association Les Amis",)) == ["associationlesamis", "lesamis"]


CSV = (
    "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
    "idBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;"
    "notificationUE;pourcentageSubvention\n"
    "Métropole de Lyon;20004697700019;2017-03-20;2017-1234;ENE - ENTREPRISES & NUMERIQUE;;"
    "Programme annuel;282000;aide en numéraire;unique;2017-04-01;;non;1\n"
    "Région Auvergne-Rhône-Alpes;20005376700014;2017-05-02;CP-2017;"
    "ESPACE NUMERIQUE ENTREPRISES;;Atouts numériques;1 400 000,00;aide en numéraire;unique;"
    "2017;;non;1\n"
)


def test_reconciliation_on_a_store_built_by_ingest(tmp_path: Path) -> None:
    """The same matches on a store the ingest pipeline filled from a published-style file."""
    ingest = pytest.importorskip("fundtrail.ingest")
    store_module = pytest.importorskip("fundtrail.store")
    path = tmp_path / "grants.csv"
    path.write_text(CSV, encoding="utf-8")
    con = store_module.open_store(tmp_path / "store.duckdb")
    ingest.ingest_file(con, path)
    check = check_dossier(load_dossier(example_path("ene")), con)
    con.close()
    assert [(m.line, m.code, m.published) for m in check.reconciliation[:2]] == [
        ("region", "grant-found-other-amount", Decimal(1400000)),
        ("metropole", "grant-found-equal", Decimal(282000)),
    ]


RENNES = """\
format: fundtrail-dossier/1
organisation:
  name: Association CIME Cité et Médiation
funding_plans:
  - id: p2019
    year: 2019
    lines:
      - id: rennes
        source: Ville de Rennes
        siren: "213502388"
        amount: 35000
        kind: cash-grant
        public: true
      - id: etat
        source: Ville de Rennes (autre ligne, montant différent)
        siren: "213502388"
        amount: 1
        kind: in-kind
        public: true
"""


@pytest.mark.shared
def test_reconciliation_with_a_real_budget_annex(shared_data: Path, tmp_path: Path) -> None:
    """Rennes publishes its 2019 grants as a budget annex: no year, no SIRET, names only."""
    ingest = pytest.importorskip("fundtrail.ingest")
    store_module = pytest.importorskip("fundtrail.store")
    path = (
        shared_data
        / "real"
        / "rennes-montpellier-2019"
        / "bp-2019-ville-de-rennes-subventions-aux-associations.csv"
    )
    con = store_module.open_store(tmp_path / "store.duckdb")
    ingest.ingest_file(
        con, path, ingest.IngestOptions(funder_name="Ville de Rennes", funder_id="21350238800019")
    )
    check = check_dossier(parse_dossier(RENNES), con)
    con.close()
    (rennes, other) = check.reconciliation
    assert (rennes.code, rennes.published, rennes.year) == (
        "grant-found-equal",
        Decimal(35000),
        None,  # found; the annex does not give the year
    )
    assert (other.code, other.published) == ("grant-found-other-amount", Decimal(35000))
