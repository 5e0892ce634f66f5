"""The ingest pipeline on small files written for these tests: counts, repairs, quarantine."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from fundtrail.ingest import IngestOptions, ingest_file
from fundtrail.store import open_store

HEADER = (
    "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
    "idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;"
    "datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention;dispositifAide"
)
FUNDER = "Commune de Test;21860194600010"


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    return open_store(":memory:")


def test_rows_are_accepted_or_quarantined_and_counted(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = write(
        tmp_path,
        "t.csv",
        [
            HEADER,
            f"{FUNDER};2019-04-12;D1;Asso A;73282932000074;;Objet;1 234,50;aide en numéraire;"
            "unique;2019-01-01/2019-12-31;;non;1;",
            f"{FUNDER};12/04/2019;D2;Asso B;;W751234567;Objet;NC;aide en numéraire;unique;;;non;1;",
            ";;;;;;;;;;;;;;;",
            f"{FUNDER};2019;D3;;;;Objet;500;aide en numéraire;unique;;;non;1;",
        ],
        encoding="cp1252",
    )
    report = ingest_file(con, path)
    assert report.status == "ingested"
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (3, 1, 2)
    assert report.rows_empty == 1
    grant = con.execute(
        "SELECT amount, beneficiary_siret, beneficiary_siren, convention_date_text, "
        "convention_year, payment_start, payment_end, nature, share FROM grants"
    ).fetchone()
    assert grant == (
        Decimal("1234.5000"),
        "73282932000074",
        "732829320",
        "2019-04-12",
        2019,
        "2019-01-01",
        "2019-12-31",
        "cash",
        Decimal("1.000000"),
    )
    quarantined = dict(con.execute("SELECT row_number, reasons FROM quarantine").fetchall())
    assert quarantined == {3: ["amount-not-a-number"], 5: ["beneficiary-missing"]}
    repairs = con.execute(
        "SELECT row_number, field, original, result, rule FROM repairs ORDER BY row_number"
    ).fetchall()
    assert (2, "montant", "1 234,50", "1234.50", "amount-french-format") in repairs


def test_same_bytes_twice_change_nothing(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    path = write(
        tmp_path,
        "t.csv",
        [
            HEADER,
            f"{FUNDER};2019-04-12;D1;Asso A;73282932000074;;Objet;100;aide en numéraire;unique;"
            ";;non;1;",
        ],
    )
    first = ingest_file(con, path)
    before = con.execute("SELECT count(*) FROM grants").fetchone()
    second = ingest_file(con, path)
    assert (first.status, second.status) == ("ingested", "unchanged")
    assert second.source_id == first.source_id
    assert con.execute("SELECT count(*) FROM grants").fetchone() == before
    assert con.execute("SELECT count(*) FROM sources").fetchone() == (1,)


def test_not_a_grant_table_is_refused_and_nothing_is_written(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = write(
        tmp_path,
        "register.csv",
        [
            "siren;denominationUniteLegale;activitePrincipaleUniteLegale",
            "732829320;ACME;62.01Z",
        ],
    )
    report = ingest_file(con, path)
    assert report.status == "refused"
    assert report.reason == "not-a-grant-table"
    assert "montant" in (report.reason_detail or "")
    assert con.execute("SELECT count(*) FROM grants").fetchone() == (0,)
    assert con.execute("SELECT status, reason FROM sources").fetchall() == [
        ("refused", "not-a-grant-table")
    ]


def test_funder_from_option_when_the_file_has_none(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = write(
        tmp_path,
        "annexe.csv",
        [
            "Nom de l'association;Objet;Montant voté",
            "Asso A;Fêtes;4 500",
        ],
    )
    report = ingest_file(
        con, path, IngestOptions(funder_name="Ville X", funder_id="21860194600010")
    )
    assert report.status == "ingested", report.reason_detail
    assert con.execute("SELECT funder_name, funder_siren, amount FROM grants").fetchone() == (
        "Ville X",
        "218601946",
        Decimal("4500.0000"),
    )
    without = ingest_file(
        con,
        write(
            tmp_path,
            "annexe2.csv",
            [
                "Nom de l'association;Objet;Montant voté",
                "Asso B;Fêtes;4 600",
            ],
        ),
    )
    assert without.issues["funder-missing"] == 1


def test_percent_shares_become_fractions(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    path = write(
        tmp_path,
        "t.csv",
        [
            HEADER,
            f"{FUNDER};2019-04-12;D1;Asso A;73282932000074;;O;100;aide en numéraire;unique;;;"
            "non;45;",
            f"{FUNDER};2019-04-12;D2;Asso B;73282932000074;;O;100;aide en numéraire;unique;;;"
            "non;100;",
        ],
    )
    report = ingest_file(con, path)
    assert sorted(v for (v,) in con.execute("SELECT share FROM grants").fetchall()) == [
        Decimal("0.45"),
        Decimal("1"),
    ]
    assert report.repairs["share-percent-to-fraction"] == 2
    conventions = con.execute("SELECT conventions FROM source_tables").fetchone()
    assert conventions is not None and json.loads(conventions[0])["share"] == "percent"


def test_personal_identifier_is_never_stored(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    nir = "185057800608436"
    path = write(
        tmp_path,
        "individus.csv",
        [
            "nomAttribuant;nomBeneficiaire;SIRET ou NIR;objet;montant",
            f"Région X;DUPONT Jean;{nir};Bourse;3000",
            "Région X;Asso C;73282932000074;Projet;5000",
        ],
    )
    report = ingest_file(con, path)
    assert report.rows_read == 2
    for table in ("grants", "quarantine", "issues", "repairs"):
        dump = json.dumps(con.execute(f"SELECT * FROM {table}").fetchall(), default=str)
        assert nir not in dump, table
        assert nir[:13] not in dump, table
    assert con.execute(
        "SELECT beneficiary_name, beneficiary_id FROM grants ORDER BY row_number"
    ).fetchall() == [("DUPONT Jean", None), ("Asso C", "73282932000074")]


def test_every_issue_code_is_in_the_catalogue(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    from fundtrail.catalogue import CATALOGUE

    path = write(
        tmp_path,
        "t.csv",
        [
            HEADER,
            f"{FUNDER};31/02/2019;D1;Asso A;2,43E+13;;O;-5;bizarre;unique;x;;peut-être;300;",
        ],
    )
    report = ingest_file(con, path)
    assert report.status == "ingested", report.reason_detail
    codes = {
        c
        for (c,) in con.execute("SELECT code FROM issues UNION SELECT rule FROM repairs").fetchall()
    }
    assert {"date-invalid", "identifier-destroyed-scientific", "amount-negative"} <= codes
    assert codes <= set(CATALOGUE)


def test_demo_identifiers_are_distinct_and_valid(tmp_path: Path) -> None:
    from stdnum.fr import siret

    from fundtrail.demo.files import demo_organisations, write_demo_files

    write_demo_files(tmp_path)
    found = set()
    for path in tmp_path.glob("*.csv"):
        for line in path.read_bytes().decode("cp1252", errors="replace").splitlines()[1:]:
            cells = line.split(";")
            if len(cells) > 5 and cells[0] and siret.is_valid(cells[1]):
                found.add(cells[1][:9])
    associations = {org.siren for org in demo_organisations()}
    assert found and not found & associations  # funders never share an association's SIREN
    assert len(associations) == len(demo_organisations())


def test_the_connection_settings_are_left_as_found(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """The writes are planned without the join-order search; the caller's setting returns,
    whether the file was stored or refused after its transaction began."""
    con.execute("SET disabled_optimizers = 'top_n'")
    good = write(tmp_path, "good.csv", [HEADER, f"{FUNDER};2019-04-12;D1;Asso A;;;O;500;;;;;;;"])
    refused = write(tmp_path, "register.csv", ["siren;denomination", "732829320;ACME"])
    assert ingest_file(con, good).status == "ingested"
    assert ingest_file(con, refused).status == "refused"
    setting = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()
    assert setting == ("top_n",)
