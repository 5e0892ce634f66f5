"""The parsers over whole columns of real published files: measured figures, nothing guessed.

Each test reads one column of a file in ../shared/data/real with the csv module (the
project's reader is tested elsewhere) and counts the outcomes of every row.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from fundtrail.model import Outcome
from fundtrail.normalise import (
    OrgId,
    PartialDate,
    parse_amount,
    parse_date,
    parse_org_id,
    parse_period,
)

pytestmark = pytest.mark.shared


def column(path: Path, name: str) -> list[str]:
    """Return the cells of column ``name`` of a CSV file, one per record."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.split("\n", 1)[0]
    separator = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [cell.strip() for cell in next(reader)]
    index = header.index(name)
    return [row[index] if index < len(row) else "" for row in reader if row]


def tally(values: list[str], parse: Callable[[str], Outcome]) -> Counter[str]:
    """Return how many cells gave each outcome: 'value' / 'blank' / 'none', with codes."""
    counts: Counter[str] = Counter()
    for text in values:
        out = parse(text)
        state = "blank" if not text.strip() else ("value" if out.value is not None else "none")
        codes = [*out.repairs, *(code for code, _ in out.issues)]
        counts[" ".join([state, *codes])] += 1
    return counts


def test_paris_float_damaged_sirets_are_never_guessed(shared_data: Path) -> None:
    # Every SIRET of this re-export went through a float keeping six significant digits.
    cells = column(
        shared_data / "real/paris-2022-2024/subventions_paris_complet.csv", "numero_siret"
    )
    assert tally(cells, parse_org_id) == {
        "none identifier-destroyed-float": 7835,
        "value identifier-float-suffix siren-instead-of-siret": 4,
        "none siren-invalid": 1,
        "none identifier-unrecognised": 1,
        "blank": 1,
    }


def test_montpellier_amounts_and_sirets(shared_data: Path) -> None:
    path = shared_data / "real/rennes-montpellier-2019/subventions_montpellier.csv"
    amounts = column(path, "Accordé")
    assert tally(amounts, parse_amount) == {
        "value amount-currency-removed amount-comma-thousands amount-ambiguous-separator": 1163,
        "value amount-currency-removed": 597,
    }
    # cross-checked by summing the digits of every cell: 9,981,737 €
    total = sum((parse_amount(a).value for a in amounts), Decimal(0))
    assert (type(total), total) == (Decimal, Decimal("9981737"))
    assert tally(column(path, "SIRET"), parse_org_id) == {
        "value": 1731,
        "none siret-invalid": 28,
        "blank": 1,
    }
    assert tally(column(path, "DCM\nDate"), parse_date) == {"value date-french-order": 1760}


def test_maine_et_loire_siret_ou_nir_column(shared_data: Path) -> None:
    path = (
        shared_data / "real/maine-et-loire/"
        "224900019_subventions-aux-associations-du-departement-de-maine-et-loire.csv"
    )
    cells = column(path, "SIRET ou NIR")
    outcomes = [parse_org_id(c, personal=True) for c in cells]
    assert tally(cells, lambda c: parse_org_id(c, personal=True)) == {
        "none identifier-destroyed-float": 11481,
        "blank": 336,
        "value personal-identifier-withheld": 14,
        "none siren-invalid": 12,
    }
    # nothing in this column is kept as an establishment, and nothing withheld is shown
    assert not any(isinstance(o.value, OrgId) and o.value.siret for o in outcomes)
    withheld = [o for o in outcomes if o.value == OrgId(withheld=True)]
    assert all(detail is None for o in withheld for _, detail in o.issues)


def test_maine_et_loire_periods(shared_data: Path) -> None:
    path = (
        shared_data / "real/maine-et-loire/"
        "224900019_conventions-de-subventions-du-departement-de-maine-et-loire.csv"
    )
    assert tally(column(path, "datesPeriodeVersement"), parse_period) == {
        "value": 55,
        "value period-partly-text": 16,
        "blank": 3,
        "value date-french-order": 1,
    }
    assert tally(column(path, "idBeneficiaire"), parse_org_id) == {
        "value identifier-separators-removed": 67,
        "none siret-invalid": 4,
        "none identifier-destroyed-scientific": 2,
        "blank": 2,
    }


def test_poitiers_sirets_keep_the_siren_only(shared_data: Path) -> None:
    path = next((shared_data / "real/scdl-2018-collectivites").glob("SCDL_COM_Poitiers*.csv"))
    assert tally(column(path, "ATTRIB_SIRET"), parse_org_id) == {
        "value identifier-float-suffix siret-nic-invalid": 556,
        # zeroed NIC digits that happen to pass the check: a limit of one-value parsing
        "value identifier-float-suffix": 6,
    }


def test_nievre_amounts(shared_data: Path) -> None:
    path = next((shared_data / "real/scdl-2018-collectivites").glob("DEP_Ni*vre*.csv"))
    assert tally(column(path, "SUB_MONTANT"), parse_amount) == {
        "value amount-french-format": 90,
        "none amount-not-a-number": 6,
        "blank": 1,
    }


def test_codah_json_values(shared_data: Path) -> None:
    path = shared_data / "real/codah-le-havre/OD.SUBVENTION_CONVENTION_CODAH.json"
    records = json.loads(path.read_text(encoding="utf-8"))

    def cells(key: str) -> list[str]:
        return ["" if r.get(key) is None else str(r[key]) for r in records]

    assert tally(cells("MONTANT"), parse_amount) == {
        "value": 27,
        "value amount-currency-removed amount-french-format amount-text-around": 3,
    }
    assert tally(cells("DATECONVENTION"), parse_date) == {
        "value": 12,
        "value date-french-order": 10,
        "blank": 8,
    }
    assert tally(cells("DATESPERIODEVERSEMENT"), parse_period) == {
        "value": 11,
        "blank": 11,
        "none period-not-a-date": 6,
        "value date-excel-serial": 2,
    }
    # 43165 is Excel's 6 March 2018
    assert parse_period("43165").value.start == PartialDate(2018, 3, 6)
    assert tally(cells("SIRET"), parse_org_id) == {
        "value identifier-separators-removed": 28,
        "value siren-instead-of-siret": 1,
        "blank": 1,
    }
