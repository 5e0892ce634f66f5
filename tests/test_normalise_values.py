"""Booleans, shares, nature and text: tables of published text -> (value, repairs, issues)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundtrail.model import Outcome
from fundtrail.normalise.booleans import bool_text, parse_bool
from fundtrail.normalise.nature import nature_text, parse_nature
from fundtrail.normalise.shares import parse_share, share_convention, share_text, to_fraction
from fundtrail.normalise.text import clean_text


def flat(out: Outcome) -> tuple[object, tuple[str, ...], tuple[str, ...]]:
    """Return (value, repairs, issue codes) of an Outcome."""
    return out.value, out.repairs, tuple(code for code, _ in out.issues)


SPELLING = ("boolean-spelling",)


@pytest.mark.parametrize(
    ("text", "value", "repairs"),
    [
        # Haute-Garonne, Lot, Maine-et-Loire (notificationUE): canonical
        ("non", False, ()),
        ("oui", True, ()),
        # Poitiers 2017 ("Notification à la commission Européenne")
        ("NON", False, SPELLING),
        ("Oui", True, SPELLING),
        ("true", True, SPELLING),
        ("FALSE", False, SPELLING),
        ("vrai", True, SPELLING),
        ("faux", False, SPELLING),
        ("yes", True, SPELLING),
        ("no", False, SPELLING),
        ("O", True, SPELLING),
        ("n", False, SPELLING),
        ("1", True, SPELLING),
        ("0", False, SPELLING),
        ("1.0", True, SPELLING),
    ],
)
def test_booleans(text: str, value: bool, repairs: tuple[str, ...]) -> None:
    assert flat(parse_bool(text)) == (value, repairs, ())


@pytest.mark.parametrize(
    "text",
    # a lone x, and Vendée 2019 ragged rows (notificationUE holding a period)
    ["x", "peut-être", "2019-01-31_2019-07-31"],
)
def test_booleans_refused(text: str) -> None:
    assert flat(parse_bool(text)) == (None, (), ("boolean-invalid",))


@pytest.mark.parametrize(
    ("text", "value", "repairs", "issues"),
    [
        # Lot, Somme, Maine-et-Loire (pourcentageSubvention)
        ("1", "1", (), ()),
        # Haute-Garonne
        ("1.0", "1", (), ()),
        ("0.45", "0.45", (), ()),
        ("0,5", "0.5", ("share-decimal-comma",), ()),
        ("45 %", "45", ("share-percent-sign",), ()),
        ("100%", "100", ("share-percent-sign",), ()),
        ("33,33 %", "33.33", ("share-percent-sign", "share-decimal-comma"), ()),
        ("150", "150", (), ("share-out-of-range",)),
        ("-1", "-1", (), ("share-out-of-range",)),
    ],
)
def test_shares(text: str, value: str, repairs: tuple[str, ...], issues: tuple[str, ...]) -> None:
    assert flat(parse_share(text)) == (Decimal(value), repairs, issues)


@pytest.mark.parametrize(
    "text",
    # Vendée 2019 ragged rows (pourcentageSubvention holding "non" and a period)
    ["non", "2019-02-01_2019-12-31", "%"],
)
def test_shares_refused(text: str) -> None:
    assert flat(parse_share(text)) == (None, (), ("share-not-a-number",))


@pytest.mark.parametrize(
    ("values", "convention"),
    [
        (["1", "0.5", "0"], "fraction"),
        (["1", "1"], "fraction"),
        (["100", "45", "55"], "percent"),
        (["100", "0.5"], "percent"),
        ([], "fraction"),
    ],
)
def test_share_convention(values: list[str], convention: str) -> None:
    assert share_convention(Decimal(v) for v in values) == convention


@pytest.mark.parametrize(
    ("value", "convention", "fraction"),
    [
        ("45", "percent", "0.45"),
        ("100", "percent", "1"),
        ("33.33", "percent", "0.3333"),
        ("0.45", "fraction", "0.45"),
    ],
)
def test_to_fraction_is_exact(value: str, convention: str, fraction: str) -> None:
    result = to_fraction(Decimal(value), convention)  # type: ignore[arg-type]
    assert (result, str(result)) == (Decimal(fraction), fraction)


def test_share_text() -> None:
    assert [share_text(Decimal(v)) for v in ("1.00", "0.450", "100", "-0.0")] == [
        "1",
        "0.45",
        "100",
        "0",
    ]


NAT = ("nature-spelling",)


@pytest.mark.parametrize(
    ("text", "value", "repairs"),
    [
        # Lot, Somme 2018 (nature): canonical
        ("aide en numéraire", "cash", ()),
        ("aide en nature", "in_kind", ()),
        ("aide en numéraire;aide en nature", "cash;in_kind", ()),
        ("aide en nature;aide en numéraire", "cash;in_kind", ()),
        # Somme 2018, Haute-Garonne: capital A
        ("Aide en numéraire", "cash", NAT),
        # Maine-et-Loire conventions
        ("en numéraire", "cash", NAT),
        ("numéraire", "cash", NAT),
        ("Numeraire", "cash", NAT),
        ("Aide en nature", "in_kind", NAT),
        ("nature", "in_kind", NAT),
        ("en espèces", "cash", NAT),
        # Montpellier 2019 (Nature)
        ("Aide financière", "cash", NAT),
        # Vendée 2018: UTF-8 read as Latin-1, baked into the file
        ("aide en numÃ©raire", "cash", NAT),
        ("aide en numéraire ; aide en nature", "cash;in_kind", NAT),
        ("numéraire et nature", "cash;in_kind", NAT),
    ],
)
def test_nature(text: str, value: str, repairs: tuple[str, ...]) -> None:
    assert flat(parse_nature(text)) == (value, repairs, ())


@pytest.mark.parametrize(
    # Vendée 2017-2019 ragged rows (nature holding amount pieces); Montpellier "Nature subv."
    "text",
    ["00", "64\u00a0125", "Fonctionnement", "aide", " actions colleges et EHPAD"],
)
def test_nature_unknown(text: str) -> None:
    assert flat(parse_nature(text)) == (None, (), ("nature-unknown",))


@pytest.mark.parametrize("value", ["cash", "in_kind", "cash;in_kind"])
def test_nature_text_parses_back_without_repair(value: str) -> None:
    assert flat(parse_nature(nature_text(value))) == (value, (), ())


@pytest.mark.parametrize(
    ("text", "value", "repairs"),
    [
        ("LES ARTS FLORISSANTS", "LES ARTS FLORISSANTS", ()),
        # Montpellier 2019: padding around cells is trimmed without a rule
        (" Accordé ", "Accordé", ()),
        # Montpellier 2019 header-like cells and Poitiers multi-line cells
        ("N°\nDCM", "N° DCM", ("text-blanks-collapsed",)),
        # Maine-et-Loire conventions (objet): a no-break space beside a space
        (
            "soutien à\u00a0 la parentalité",
            "soutien à la parentalité",
            ("text-blanks-collapsed",),
        ),
        # Vendée 2017 (objet): double spaces
        (
            "Travaux réhabilitation EHPAD Union Chrétienne  Fontenay-le-Comte",
            "Travaux réhabilitation EHPAD Union Chrétienne Fontenay-le-Comte",
            ("text-blanks-collapsed",),
        ),
        ("\ufeffnomAttribuant", "nomAttribuant", ("text-control-chars-removed",)),
        ("a\x00b\x1fc", "abc", ("text-control-chars-removed",)),
        ("Ve\u0301lo", "Vélo", ("text-unicode-composed",)),
        ("\x00", None, ()),
    ],
)
def test_clean_text(text: str, value: str | None, repairs: tuple[str, ...]) -> None:
    assert flat(clean_text(text)) == (value, repairs, ())


@pytest.mark.parametrize("parse", [parse_bool, parse_share, parse_nature, clean_text])
def test_blank_is_none(parse: object) -> None:
    assert callable(parse)
    assert flat(parse("  ")) == (None, (), ())


def test_bool_text() -> None:
    assert (bool_text(True), bool_text(False)) == ("oui", "non")
