"""Figures found in French and English texts: value, precision, unit, sign."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundtrail.claims import find_figures, parse_amount
from fundtrail.claims.figures import text_language
from fundtrail.claims.verdict import Stated

FIGURES = [
    # (text, lang, [(written, value, quantum, unit, signed)])
    ("1 437 500", "fr", [("1 437 500", "1437500", "1", "number", False)]),
    ("3 017 000 €", "fr", [("3 017 000 €", "3017000", "1", "EUR", False)]),
    ("32,8%", "fr", [("32,8%", "32.8", "0.1", "%", False)]),
    ("2 079 520€", "fr", [("2 079 520€", "2079520", "1", "EUR", False)]),
    ("+33,4 %", "fr", [("+33,4 %", "33.4", "0.1", "%", True)]),
    ("une baisse de −5 %", "fr", [("−5 %", "-5", "1", "%", True)]),
    ("1.437.500 €", "fr", [("1.437.500 €", "1437500", "1", "EUR", False)]),
    ("3,02 M€", "fr", [("3,02 M€", "3020000", "10000", "EUR", False)]),
    ("2,8 millions d’euros", "fr", [("2,8 millions d’euros", "2800000", "100000", "EUR", False)]),
    ("en 2016 puis", "fr", [("2016", "2016", "1", "year", False)]),
    ("€3,017,000", "en", [("€3,017,000", "3017000", "1", "EUR", False)]),
    ("1,437,500", "en", [("1,437,500", "1437500", "1", "number", False)]),
    ("32.8%", "en", [("32.8%", "32.8", "0.1", "%", False)]),
    ("€2.8 million", "en", [("€2.8 million", "2800000", "100000", "EUR", False)]),
    ("+33.4 per cent", "en", [("+33.4 per cent", "33.4", "0.1", "%", True)]),
    ("€3 017 000", "en", [("€3 017 000", "3017000", "1", "EUR", False)]),
]


@pytest.mark.parametrize(("text", "lang", "expected"), FIGURES)
def test_figures_are_read_exactly(text: str, lang: str, expected: list[tuple]) -> None:
    found = [(f.text, f.value, f.quantum, f.unit, f.signed) for f in find_figures(text, lang)]
    assert found == [(w, Decimal(v), Decimal(q), u, s) for w, v, q, u, s in expected]


def test_a_bare_count_keeps_its_noun() -> None:
    found = find_figures("42 conseillers ont accompagné 406 entreprises", "fr")
    assert [(f.value, f.noun) for f in found] == [(42, "conseillers"), (406, "entreprises")]


def test_language_is_detected_from_common_words() -> None:
    assert text_language("Le budget de l'association est passé de 10 à 12.") == "fr"
    assert text_language("The budget of the charity went from 10 to 12.") == "en"


@pytest.mark.parametrize(
    ("written", "value", "quantum", "unit"),
    [
        ("3017000", "3017000", "1", "number"),
        ("3 017 000 €", "3017000", "1", "EUR"),
        ("8 %", "8", "1", "%"),
        ("+32,8 %", "32.8", "0.1", "%"),
        ("+32.8 %", "32.8", "0.1", "%"),
        ("12.50", "12.50", "0.01", "number"),
    ],
)
def test_parse_amount_reads_what_a_dossier_writes(
    written: str, value: str, quantum: str, unit: str
) -> None:
    stated = parse_amount(written)
    assert stated is not None
    assert (stated.value, stated.quantum, stated.unit) == (Decimal(value), Decimal(quantum), unit)


@pytest.mark.parametrize("written", ["", "abc", "12 et 13", "1,437,500.5.5"])
def test_parse_amount_refuses_what_is_not_one_amount(written: str) -> None:
    assert parse_amount(written) is None


def test_a_stated_figure_stands_for_the_interval_its_precision_implies() -> None:
    eight = Stated(Decimal(8), Decimal(1), "8 %", "%")
    assert (eight.low, eight.high) == (Decimal("7.5"), Decimal("8.5"))
    assert eight.admits(Decimal("7.5")) and eight.admits(Decimal("8.4999"))
    assert not eight.admits(Decimal("8.5")) and not eight.admits(Decimal("7.4999"))
