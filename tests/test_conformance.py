"""Conformance to the SCDL schemas: columns, every cell rule, repairs, caps, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fundtrail.catalogue import CATALOGUE
from fundtrail.validate.conformance import check_table
from fundtrail.validate.files import check_file

HEADER_21 = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
    "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature",
    "conditionsVersement", "datesPeriodeVersement", "idRAE", "notificationUE",
    "pourcentageSubvention", "dispositifAide",
]  # fmt: skip
GOOD = {
    "nomAttribuant": "Région Bretagne",
    "idAttribuant": "23350001600040",
    "dateConvention": "2019-03-05",
    "referenceDecision": "DELIB-12",
    "nomBeneficiaire": "Rodriguez SA",
    "idBeneficiaire": "81223113200026",
    "rnaBeneficiaire": "W123456789",
    "objet": "Aide à l'embauche",
    "montant": "22000.80",
    "nature": "aide en numéraire",
    "conditionsVersement": "unique",
    "datesPeriodeVersement": "2019-04-01/2019-12-31",
    "idRAE": "",
    "notificationUE": "non",
    "pourcentageSubvention": "1",
    "dispositifAide": "",
}


def row(**changes: str) -> list[str]:
    """Return a valid SCDL 2.1 row with ``changes`` applied."""
    values = {**GOOD, **changes}
    return [values[name] for name in HEADER_21]


def test_valid_table_has_no_issue() -> None:
    report = check_table(HEADER_21, [(2, row()), (3, row(montant="5"))])
    assert report.valid
    assert (report.version, report.detected, report.rows_checked) == ("2.1.1", "2.1", 2)
    assert report.issues == () and report.counts == {} and not report.truncated


CELLS: list[tuple[str, str, list[str]]] = [
    ("montant", "1 234,50", ["schema-type-number"]),
    ("montant", "12 €", ["schema-type-number"]),
    ("montant", "1e3", []),  # frictionless reads it as a number: so do we
    ("montant", "", ["schema-required-missing"]),
    ("dateConvention", "05/03/2019", ["schema-type-date"]),
    ("dateConvention", "2019-02-30", ["schema-type-date"]),
    ("dateConvention", "2019-3-5", []),  # strptime, as frictionless, allows one digit
    ("notificationUE", "Oui", ["schema-type-boolean"]),
    ("notificationUE", "oui", []),
    ("idAttribuant", "2335000160004", ["schema-pattern"]),
    ("idAttribuant", "233 500 016 00040", ["schema-pattern"]),
    ("idAttribuant", "21350001600012", ["schema-siret-checksum"]),
    ("idBeneficiaire", "", []),  # optional in 2.1 when an RNA is given
    ("rnaBeneficiaire", "W12345", ["schema-pattern"]),
    ("nature", "aide en numeraire", ["schema-enum"]),
    ("nature", "aide en nature;aide en numéraire", []),
    ("pourcentageSubvention", "1.5", ["schema-maximum"]),
    ("pourcentageSubvention", "0", ["schema-minimum"]),
    ("pourcentageSubvention", "NaN", ["schema-minimum", "schema-maximum"]),
    ("pourcentageSubvention", "100%", ["schema-type-number"]),
    ("objet", "x" * 257, ["schema-max-length"]),
    ("objet", "x" * 256, []),
    ("idRAE", "123456", ["schema-max-length"]),
    ("datesPeriodeVersement", "2019-04-01_2019-12-31", ["schema-pattern"]),
    ("datesPeriodeVersement", "2019-04-01", []),
]


@pytest.mark.parametrize(("field", "value", "codes"), CELLS)
def test_each_cell_rule(field: str, value: str, codes: list[str]) -> None:
    report = check_table(HEADER_21, [(7, row(**{field: value}))], file="f.csv")
    assert [(i.row, i.field, i.code) for i in report.issues] == [(7, field, c) for c in codes]
    assert all(i.file == "f.csv" and i.severity == "error" for i in report.issues)
    assert report.valid is (not codes)


def test_every_code_is_in_the_catalogue() -> None:
    codes = {c for _, _, cs in CELLS for c in cs}
    assert codes <= CATALOGUE.keys()


def test_one_of_idbeneficiaire_or_rna_in_21() -> None:
    report = check_table(HEADER_21, [(2, row(idBeneficiaire="", rnaBeneficiaire=""))])
    assert report.flat() == [(2, "idBeneficiaire", "schema-one-of-required")]
    # 2.0 requires idBeneficiaire itself and has no RNA column.
    header_20 = [h for h in HEADER_21 if h not in ("rnaBeneficiaire", "dispositifAide")]
    cells = [v for h, v in zip(HEADER_21, row(idBeneficiaire=""), strict=True) if h in header_20]
    report = check_table(header_20, [(2, cells)])
    assert (report.version, report.flat()) == (
        "2.0.2",
        [(2, "idBeneficiaire", "schema-required-missing")],
    )


def test_version_1_1_allows_zero_share_and_has_no_siret_check() -> None:
    header = [h for h in HEADER_21 if h not in ("rnaBeneficiaire", "dispositifAide")]
    values = row(pourcentageSubvention="0", idAttribuant="21350001600012")
    cells = [v for h, v in zip(HEADER_21, values, strict=True) if h in header]
    assert check_table(header, [(2, cells)], version="1.1").valid
    assert {i.code for i in check_table(header, [(2, cells)], version="2.0").issues} == {
        "schema-minimum",
        "schema-siret-checksum",
    }


def test_a_repairable_value_is_an_error_with_its_repair() -> None:
    report = check_table(HEADER_21, [(4, row(montant="1 234,50"))])
    (issue,) = report.issues
    assert (issue.row, issue.field, issue.code, issue.value) == (
        4,
        "montant",
        "schema-type-number",
        "1 234,50",
    )
    repair = report.repair_for(issue)
    assert repair is not None
    assert (repair.original, repair.result, repair.rule) == (
        "1 234,50",
        "1234.50",
        "amount-french-format",
    )
    # An amount no rule can recover gets no suggestion.
    report = check_table(HEADER_21, [(4, row(montant="NC"))])
    assert report.repair_for(report.issues[0]) is None


def test_columns_missing_unknown_misnamed_duplicate_and_out_of_order() -> None:
    header = list(HEADER_21)
    header[8] = "Montant total de la subvention"  # misnamed: fundtrail maps it to montant
    header[15] = "wgs84"  # unknown; and dispositifAide is then missing
    header[0], header[1] = header[1], header[0]  # swapped
    header.append("objet")  # duplicate
    cells = row(montant="abc")
    cells[0], cells[1] = cells[1], cells[0]
    report = check_table(header, [(2, [*cells, "again"])], version="2.1")
    assert report.flat() == [
        (1, "objet", "schema-duplicate-column"),
        (1, "montant", "schema-misnamed-column"),
        (1, "wgs84", "schema-unknown-column"),
        (1, "dispositifAide", "schema-missing-column"),
        (1, "idAttribuant", "schema-column-order"),
        (1, "nomAttribuant", "schema-column-order"),
        (2, "montant", "schema-type-number"),  # cells of a misnamed column are still checked
    ]
    misnamed = report.issues[1]
    assert (misnamed.value, misnamed.detail) == ("Montant total de la subvention", "montant")


def test_rows_of_the_wrong_length_and_blank_rows() -> None:
    report = check_table(HEADER_21, [(2, [*row(), "x"]), (3, row()[:-2]), (4, [""] * 16)])
    assert report.flat() == [
        (2, "column_17", "schema-extra-cell"),
        (3, "pourcentageSubvention", "schema-missing-cell"),
        (3, "dispositifAide", "schema-missing-cell"),
        (4, None, "schema-blank-row"),
    ]


def test_issues_are_capped_but_counted() -> None:
    records = [(n, row(montant="x", nature="y")) for n in range(2, 102)]
    report = check_table(HEADER_21, records, max_issues=10, sheet="Feuil1")
    assert len(report.issues) == 10 and report.truncated
    assert report.counts == {"schema-type-number": 100, "schema-enum": 100}
    assert report.issues[0].sheet == "Feuil1"


def test_a_non_scdl_table_is_judged_against_the_current_version() -> None:
    report = check_table(["Bénéficiaire", "Montant"], [(2, ["Club", "100"])])
    assert (report.detected, report.version, report.valid) == ("other", "2.1.1", False)
    assert ("schema-misnamed-column", "nomBeneficiaire") in [
        (i.code, i.field) for i in report.issues
    ]


def test_large_table_is_checked_per_distinct_value() -> None:
    records = ((n, row(montant=str(n % 50))) for n in range(2, 200_002))
    start = time.perf_counter()
    report = check_table(HEADER_21, records)
    elapsed = time.perf_counter() - start
    assert report.valid and report.rows_checked == 200_000
    assert elapsed < 20  # measured 2.8 s for 200,000 rows here; the bound leaves room for CI


REPAIRS: list[tuple[str, str, str]] = [
    ("montant", "1 234,50 €", "1234.50"),
    ("dateConvention", "05/03/2019", "2019-03-05"),
    ("datesPeriodeVersement", "2019-04-01_2019-12-31", "2019-04-01/2019-12-31"),
    ("notificationUE", "Oui", "oui"),
    ("idAttribuant", "233 500 016 00040", "23350001600040"),
    ("pourcentageSubvention", "100%", "1"),
    ("nature", "Aide en numéraire", "aide en numéraire"),
    ("rnaBeneficiaire", "w123456789", "W123456789"),
]


@pytest.mark.parametrize(("field", "value", "repaired"), REPAIRS)
def test_suggested_repair_per_field(field: str, value: str, repaired: str) -> None:
    report = check_table(HEADER_21, [(2, row(**{field: value}))])
    assert not report.valid
    repair = report.repair_for(report.issues[0])
    assert repair is not None and (repair.field, repair.result) == (field, repaired)
    # The repaired text is itself conformant.
    assert check_table(HEADER_21, [(2, row(**{field: repaired}))]).valid


def test_no_suggestion_when_the_repair_is_not_conformant() -> None:
    # A month alone is a date fundtrail keeps, but not an SCDL date.
    report = check_table(HEADER_21, [(2, row(dateConvention="mars 2019"))])
    assert report.flat() == [(2, "dateConvention", "schema-type-date")]
    assert report.suggested_repairs == {}


def test_a_nir_is_never_shown_in_an_issue() -> None:
    nir = "1 85 05 78 006 084 36"
    report = check_table(HEADER_21, [(2, row(idBeneficiaire=nir))])
    # SCDL 2.1 dropped idBeneficiaire's pattern: validata's SIRET check is what fails.
    assert report.flat() == [(2, "idBeneficiaire", "schema-siret-checksum")]
    assert report.issues[0].value is None and report.suggested_repairs == {}
    # A column whose header says it may hold a NIR hides every non-conformant value.
    header = [*HEADER_21[:5], "SIRET ou NIR", *HEADER_21[6:]]
    report = check_table(header, [(2, row(idBeneficiaire="12345"))])
    cell_issues = [i for i in report.issues if i.row == 2]
    assert [(i.field, i.code, i.value) for i in cell_issues] == [
        ("idBeneficiaire", "schema-siret-checksum", None)
    ]


def test_check_file_reads_every_table(tmp_path: Path) -> None:
    path = tmp_path / "subventions.csv"
    lines = [";".join(HEADER_21), ";".join(row()), ";".join(row(montant="1 234,50"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (report,) = check_file(path)
    assert (report.version, report.rows_checked, report.valid) == ("2.1.1", 2, False)
    assert report.flat() == [(3, "montant", "schema-type-number")]
    assert report.issues[0].file == "subventions.csv"


def test_check_file_on_real_files(shared_data: Path) -> None:
    real = shared_data / "real"
    (vendee,) = check_file(
        real / "vendee/201906_Publication_données_Open_data_Subventions_Conventions.csv"
    )
    # Measured: 35 rows; amounts with decimal commas and ids with spaces, all repairable.
    assert (vendee.detected, vendee.version, vendee.rows_checked) == ("2.0", "2.0.2", 35)
    assert vendee.counts["schema-type-number"] == 35
    assert ("schema-misnamed-column", "idRAE") in [(i.code, i.field) for i in vendee.issues]
    # The Maine-et-Loire "SIRET ou NIR" column: no value of it is ever shown.
    (maine,) = check_file(
        real / "maine-et-loire/224900019_subventions-aux-associations-du-departement-de-"
        "maine-et-loire.csv"
    )
    assert maine.rows_checked == 11843
    cells = [i for i in maine.issues if i.field == "idBeneficiaire" and i.row != 1]
    assert cells and all(i.value is None for i in cells)
