"""Profiles on the real files, checked against sums recomputed from the raw files.

The recomputation below is plain Python (csv, Decimal): it reads each file with the
encoding, separator and columns a person would pick by looking at it, and shares none of
the project's code. Totals must agree to the cent, by funder, year and amount kind.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from fundtrail.analysis.funder import funder_profile
from fundtrail.analysis.profile import organisation_profile
from test_link_fixtures import real_store


def french(text: str) -> Decimal | None:
    """'26 956,00' / '99 999' / '10000.0' -> Decimal; None when not a number."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def thousands_comma(text: str) -> Decimal | None:
    """Montpellier's ' 1,500 € ' (comma groups thousands)."""
    cleaned = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")
    return french(cleaned)


def year_of(text: str) -> int | None:
    found = re.search(r"(19|20)\d\d", text or "")
    return int(found.group(0)) if found else None


@dataclass
class RawFile:
    path: str
    encoding: str
    delimiter: str
    funder: str  # how the test names the funder to funder_profile; "col:X": column X's SIREN
    amount: str
    year: str
    kind: str = "awarded"
    parse: Callable[[str], Decimal | None] = french
    share: str | None = None
    name: str | None = None  # beneficiary column: a row without one is set aside


RAW = [
    RawFile("real/paris-2022-2024/subventions_paris_complet.csv", "utf-8-sig", ",",
            "Ville de Paris", "montant_vote", "annee_budgetaire"),
    RawFile("real/rennes-montpellier-2019/subventions_montpellier.csv", "utf-8", ",",
            "Ville de Montpellier", " Accordé ", "DCM\nDate", parse=thousands_comma),
    RawFile("real/maine-et-loire/224900019_subventions-aux-associations-du-departement-de-"
            "maine-et-loire.csv", "utf-8", ";", "224900019", "Mandaté", "Année", kind="paid"),
    RawFile("real/maine-et-loire/224900019_conventions-de-subventions-du-departement-de-"
            "maine-et-loire.csv", "utf-8", ";", "224900019", "montant", "dateConvention",
            share="pourcentageSubvention"),
    RawFile("real/scdl-2018-collectivites/DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv",
            "cp1252", ";", "224600015", "montant", "dateConvention",
            share="pourcentageSubvention"),
    RawFile("real/scdl-2018-collectivites/DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv", "cp1252",
            ",", "225800010", "SUB_MONTANT", "ACTE_DATE"),
    RawFile("real/scdl-2018-collectivites/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv",
            "cp1252", ";", "228000014", "montant", "dateConvention",
            share="pourcentageSubvention"),
    RawFile("real/scdl-2018-collectivites/DEP_Somme_TB_20180330_DONNEES_CONVENTIONS.csv",
            "cp1252", ";", "228000014", "montant", "dateConvention",
            share="pourcentageSubvention"),
    RawFile("real/scdl-2018-collectivites/SCDL_COM_Poitiers_citoyennete-subventions-directes-"
            "attribuees-aux-associations-2017-ville-de-poiti.csv", "utf-8", ";", "218601946",
            "SUB_MONTANT", "ANNEE"),
    RawFile("real/scdl-2018-collectivites/SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
            "utf-8", ";", "col:idAttribuant", "montant", "dateConvention",
            share="pourcentageSubvention", name="nomBeneficiaire"),
]  # fmt: skip


def raw_rows(shared: Path, spec: RawFile) -> list[dict[str, str]]:
    with (shared / spec.path).open(encoding=spec.encoding, newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=spec.delimiter))
    for row in rows:  # header cells as published may carry a BOM or stray spaces
        for key in list(row):
            if key is not None and key.lstrip("\ufeff") != key:
                row[key.lstrip("\ufeff")] = row.pop(key)
    return rows


def raw_totals(shared: Path) -> dict[tuple[str, str, int | None], Decimal]:
    """(funder, kind, year) -> sum of numeric amounts (x share) over the raw rows."""
    totals: dict[tuple[str, str, int | None], Decimal] = defaultdict(Decimal)
    for spec in RAW:
        seen: set[tuple[str, ...]] = set()
        for row in raw_rows(shared, spec):
            cells = tuple(str(v) for v in row.values())
            if cells in seen:
                continue  # a row published twice, identical in every cell: one grant
            seen.add(cells)
            amount = spec.parse(row[spec.amount] or "")
            if amount is None:
                continue  # not a number: the project quarantines these rows
            if spec.name and not (row[spec.name] or "").strip():
                continue  # no beneficiary: quarantined too
            if spec.share and (row.get(spec.share) or "").strip():
                share = french(row[spec.share]) or Decimal(1)
                amount *= share if share <= 1 else share / 100
            funder = spec.funder
            if funder.startswith("col:"):
                funder = re.sub(r"\D", "", row[funder[4:]])[:9]
            totals[(funder, spec.kind, year_of(row[spec.year]))] += amount
    return totals


@pytest.mark.shared
def test_yearly_totals_per_funder_match_the_raw_files(shared_data: Path) -> None:
    con = real_store(shared_data)
    expected = raw_totals(shared_data)
    got: dict[tuple[str, str, int | None], Decimal] = {}
    for funder in {f for f, _, _ in expected}:
        profile = funder_profile(con, funder)
        assert profile is not None, funder
        for row in profile["by_year_and_kind"]:
            got[(funder, row["kind"], row["year"])] = row["amount"]
    cent = Decimal("0.01")
    assert {k: v.quantize(cent) for k, v in got.items()} == {
        k: v.quantize(cent) for k, v in expected.items()
    }


@pytest.mark.shared
def test_top_beneficiaries_match_the_raw_files(shared_data: Path) -> None:
    con = real_store(shared_data)
    # Paris: the biggest beneficiaries by published name
    paris = RAW[0]
    by_name: dict[str, Decimal] = defaultdict(Decimal)
    for row in raw_rows(shared_data, paris):
        by_name[row["nom_beneficiaire"]] += Decimal(row["montant_vote"])
    top = sorted(by_name.items(), key=lambda kv: -kv[1])[:10]
    profile = funder_profile(con, "Ville de Paris")
    assert profile is not None
    assert [(b["beneficiary_name"], b["amount"]) for b in profile["top_beneficiaries"][:10]] == [
        (name, amount.quantize(Decimal("0.01"))) for name, amount in top
    ]
    # Montpellier: by SIREN, the first nine digits of the published SIRET
    montpellier = RAW[1]
    by_siren: dict[str, Decimal] = defaultdict(Decimal)
    for row in raw_rows(shared_data, montpellier):
        siret = re.sub(r"\D", "", row["SIRET"] or "")
        amount = thousands_comma(row[" Accordé "])
        if len(siret) == 14 and amount is not None:
            by_siren[siret[:9]] += amount
    top = sorted(by_siren.items(), key=lambda kv: -kv[1])[:5]
    profile = funder_profile(con, "Ville de Montpellier")
    assert profile is not None
    assert [(b["beneficiary_id"], b["amount"]) for b in profile["top_beneficiaries"][:5]] == [
        (f"FR-RCS-{siren}", amount.quantize(Decimal("0.01"))) for siren, amount in top
    ]


@pytest.mark.shared
def test_profile_of_a_real_beneficiary(shared_data: Path) -> None:
    con = real_store(shared_data)
    profile = organisation_profile(con, "THEATRE MUSICAL DE PARIS")
    assert profile is not None
    raw = [
        (int(r["annee_budgetaire"]), Decimal(r["montant_vote"]))
        for r in raw_rows(shared_data, RAW[0])
        if r["nom_beneficiaire"] == "THEATRE MUSICAL DE PARIS"
    ]
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for year, amount in raw:
        by_year[year] += amount
    assert [(y["year"], y["amount"]) for y in profile["by_year"]] == sorted(by_year.items())
    assert profile["grants"]["count"] == len(raw)
    assert all(
        g["source_name"] == "subventions_paris_complet.csv" for g in profile["grants"]["shown"]
    )
