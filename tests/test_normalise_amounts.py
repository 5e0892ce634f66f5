"""Amounts: tables of published text -> (value, repairs, issue codes), from the real files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundtrail.normalise.amounts import amount_text, parse_amount


def codes(text: str) -> tuple[Decimal | None, tuple[str, ...], tuple[str, ...]]:
    """Return (value, repairs, issue codes) of ``parse_amount(text)``."""
    out = parse_amount(text)
    return out.value, out.repairs, tuple(code for code, _ in out.issues)


FRENCH = ("amount-french-format",)
EURO = ("amount-currency-removed",)


@pytest.mark.parametrize(
    ("text", "value", "repairs", "issues"),
    [
        # Lot 2017 (DEP_Lot_Subventions_2017...csv, montant): space thousands, decimal comma
        ("40 000,00", "40000", FRENCH, ()),
        ("282 900,00", "282900", FRENCH, ()),
        # Somme 2018 (DEP_Somme_TB_20180302...csv, montant)
        ("137 825,00", "137825", FRENCH, ()),
        # Nièvre 2016 (DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv, SUB_MONTANT): NBSP thousands
        ("17\u00a0833", "17833", FRENCH, ()),
        # Vendée 2019 (201901_Publication...csv, montant): NBSP, millions
        ("1\u00a0350\u00a0000", "1350000", FRENCH, ()),
        # narrow no-break space, as LibreOffice writes it
        ("12\u202f500,50", "12500.50", FRENCH, ()),
        # Montpellier 2013 (QUIRKS.md): euro sign after the number
        ("12 350 000 €", "12350000", (*EURO, *FRENCH), ()),
        # Montpellier 2019 (subventions_montpellier.csv, Accordé): comma thousands, padded
        (" 1,500 € ", "1500", (*EURO, "amount-comma-thousands"), ("amount-ambiguous-separator",)),
        ("247,000 €", "247000", (*EURO, "amount-comma-thousands"), ("amount-ambiguous-separator",)),
        ("500 €", "500", EURO, ()),
        # grouped with both marks: the last one is the decimal mark
        ("1.234.567,89", "1234567.89", ("amount-dot-thousands", *FRENCH), ()),
        ("1,234,567.89", "1234567.89", ("amount-comma-thousands",), ()),
        ("1,234,567", "1234567", ("amount-comma-thousands",), ()),
        # a comma not followed by exactly three digits is a decimal comma
        ("0,500", "0.50", FRENCH, ()),
        ("1234,567", "1234.567", FRENCH, ()),
        ("12,5", "12.50", FRENCH, ()),
        # Poitiers 2017 (SUB_MONTANT), Haute-Garonne (montant): float text, canonical already
        ("10000.0", "10000", (), ()),
        ("2400.0", "2400", (), ()),
        # Maine-et-Loire associations (Mandaté): cents
        ("299.04", "299.04", (), ()),
        ("540.4", "540.40", (), ()),
        # a single dot is a decimal point
        ("1.500", "1.50", (), ()),
        # Paris 2022-2024 (montant_vote): plain integers
        ("4900", "4900", (), ()),
        # negative and zero amounts (survey statistics; Paris IncorrectSiret 'Montant voté' 0)
        ("-500", "-500", (), ("amount-negative",)),
        ("(500)", "-500", ("amount-parentheses-negative",), ("amount-negative",)),
        ("0", "0", (), ("amount-zero",)),
        ("0.0", "0", (), ("amount-zero",)),
        # CODAH (OD.SUBVENTION_CONVENTION_CODAH.json): free text after the number
        (
            "240 000 € (pour les 3 saisons sportives)",
            "240000",
            (*EURO, *FRENCH),
            ("amount-text-around",),
        ),
        ("5 000 euros", "5000", (*EURO, *FRENCH), ()),
        ("EUR 1 500", "1500", (*EURO, *FRENCH), ()),
        # one billion or more: kept, flagged
        ("1 000 000 000", "1000000000", FRENCH, ("amount-implausible",)),
    ],
)
def test_amounts_from_real_files(
    text: str, value: str, repairs: tuple[str, ...], issues: tuple[str, ...]
) -> None:
    assert codes(text) == (Decimal(value), repairs, issues)


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        # Nièvre 2016 (SUB_MONTANT): non-numeric cells
        ("NC", "amount-not-a-number"),
        ("SEM", "amount-not-a-number"),
        ("-", "amount-not-a-number"),
        ("néant", "amount-not-a-number"),
        # Vendée 2019 ragged rows: text shifted into montant
        (" le conseil et l'observation sur les différents sujets", "amount-not-a-number"),
        # Vendée 2018 mojibake (Â before a no-break space): a letter glued to digits
        ("24Â\u00a0057", "amount-not-a-number"),
        # badly grouped digits are two numbers, not one
        ("1 2", "amount-not-a-number"),
        ("12,34,567", "amount-not-a-number"),
        # two amounts are not one
        ("1 500-2 000", "amount-not-a-number"),
        ("1 500 € / 2 000 €", "amount-not-a-number"),
        # spreadsheet display forms: digits may be gone
        ("1e5", "amount-scientific-notation"),
        ("1,5E+06", "amount-scientific-notation"),
    ],
)
def test_amounts_that_are_not_numbers(text: str, issue: str) -> None:
    value, repairs, issues = codes(text)
    assert (value, repairs, issues) == (None, (), (issue,))


def test_not_a_number_detail_says_what_was_there() -> None:
    assert parse_amount("NC").issues == (("amount-not-a-number", "NC"),)


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_blank_amount_is_none_without_issue(text: str) -> None:
    assert codes(text) == (None, (), ())


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1500", "1500"),
        ("1500.00", "1500"),
        ("540.4", "540.40"),
        ("0.125", "0.125"),
        ("-12.5", "-12.50"),
        ("1E+3", "1000"),
    ],
)
def test_amount_text_is_canonical(value: str, text: str) -> None:
    assert amount_text(Decimal(value)) == text
    assert codes(text)[0:2] == (Decimal(value), ())


def test_long_amounts_are_not_rounded_to_the_decimal_context() -> None:
    digits = "123456789012345678901234567890123"
    assert parse_amount(f"({digits})").value == Decimal("-" + digits)
