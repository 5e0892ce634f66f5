"""Number formats per language, the choice of language, and spreadsheet-safe CSV cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundtrail.web.csvout import cell, neutralise
from fundtrail.web.locale import choose_lang, format_money, format_number, format_share

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (Decimal("1437500"), f"1{NNBSP}437{NNBSP}500{NBSP}€", "€1,437,500"),
        (Decimal("1437500.5"), f"1{NNBSP}437{NNBSP}500,50{NBSP}€", "€1,437,500.50"),
        (Decimal("282000.0000"), f"282{NNBSP}000{NBSP}€", "€282,000"),
        (Decimal("-1234.5"), f"-1{NNBSP}234,50{NBSP}€", "-€1,234.50"),
        (Decimal("0"), f"0{NBSP}€", "€0"),
        (999, f"999{NBSP}€", "€999"),
        (None, "", ""),
    ],
)
def test_money_is_written_per_language(value: Decimal | None, fr: str, en: str) -> None:
    assert (format_money(value, "fr"), format_money(value, "en")) == (fr, en)


def test_numbers_and_shares() -> None:
    assert format_number(3017000, "fr") == f"3{NNBSP}017{NNBSP}000"
    assert format_number(Decimal("0.125"), "en") == "0.125"
    assert format_number(Decimal("2.675"), "en", 2) == "2.68"  # exact, half-even on decimals
    assert format_share(Decimal("0.08"), "fr") == f"8,0{NBSP}%"
    assert format_share(Decimal("0.334"), "en") == "33.4%"


@pytest.mark.parametrize(
    ("param", "header", "expected"),
    [
        (None, None, "fr"),
        (None, "en-GB,en;q=0.9,fr;q=0.8", "en"),
        (None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,de;q=0.9", "fr"),
        (None, "de,en;q=0.5", "en"),
        (None, "en;q=0.2,fr;q=0.7", "fr"),
        (None, "en;q=abc", "fr"),
        ("fr", "en-GB", "fr"),
        ("en", "fr-FR", "en"),
        ("xx", "en", "en"),
    ],
)
def test_language_choice(param: str | None, header: str | None, expected: str) -> None:
    assert choose_lang(param, header) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("Association = sport", "Association = sport"),
        ("", ""),
    ],
)
def test_csv_cells_that_look_like_formulas_are_neutralised(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_csv_numbers_stay_numbers() -> None:
    assert (cell(Decimal("-1234.5000")), cell(-3), cell(None), cell(True)) == (
        "-1234.5000",
        "-3",
        "",
        "true",
    )
