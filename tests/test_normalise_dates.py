"""Dates and periods: tables of published text -> (value, repairs, issue codes)."""

from __future__ import annotations

import pytest

from fundtrail.normalise.dates import PartialDate, Period, parse_date, parse_period, period_text

D = PartialDate


def codes(text: str) -> tuple[object, tuple[str, ...], tuple[str, ...]]:
    """Return (value, repairs, issue codes) of ``parse_date(text)``."""
    out = parse_date(text)
    return out.value, out.repairs, tuple(code for code, _ in out.issues)


def period_codes(text: str) -> tuple[object, tuple[str, ...], tuple[str, ...]]:
    """Return (value, repairs, issue codes) of ``parse_period(text)``."""
    out = parse_period(text)
    return out.value, out.repairs, tuple(code for code, _ in out.issues)


@pytest.mark.parametrize(
    ("text", "value", "repairs"),
    [
        # Lot 2017 (dateConvention): ISO
        ("2017-12-21", D(2017, 12, 21), ()),
        # CODAH (QUIRKS.md): month only
        ("2018-04", D(2018, 4), ()),
        # Loire-Atlantique (QUIRKS.md), Poitiers ANNEE: year only
        ("2014", D(2014), ()),
        # Somme 2018 and 2022 (dateConvention): ISO order with slashes
        ("2018/01/30", D(2018, 1, 30), ("date-iso-variant",)),
        ("2017.09.08", D(2017, 9, 8), ("date-iso-variant",)),
        ("2019-4-2", D(2019, 4, 2), ("date-iso-variant",)),
        ("20190412", D(2019, 4, 12), ("date-iso-variant",)),
        # Montpellier 2019 ("DCM\nDate"), Toulouse (QUIRKS.md): French order
        ("19/12/2018", D(2018, 12, 19), ("date-french-order",)),
        ("06/12/2022", D(2022, 12, 6), ("date-french-order",)),
        ("12-04-2019", D(2019, 4, 12), ("date-french-order",)),
        ("12.04.2019", D(2019, 4, 12), ("date-french-order",)),
        ("1/4/2019", D(2019, 4, 1), ("date-french-order",)),
        ("04/2019", D(2019, 4), ("date-french-order",)),
        ("12/04/19", D(2019, 4, 12), ("date-french-order", "date-two-digit-year")),
        ("12/04/95", D(1995, 4, 12), ("date-french-order", "date-two-digit-year")),
        # spreadsheet exports with a time of day
        ("2019-04-12T00:00:00", D(2019, 4, 12), ("date-time-dropped",)),
        ("2019-04-12 00:00:00", D(2019, 4, 12), ("date-time-dropped",)),
        ("2019-04-12T10:30:00+02:00", D(2019, 4, 12), ("date-time-dropped",)),
        ("12/04/2019 14:30", D(2019, 4, 12), ("date-french-order", "date-time-dropped")),
        # Aude (QUIRKS.md): Excel serial day number
        ("43655", D(2019, 7, 9), ("date-excel-serial",)),
        ("43655.0", D(2019, 7, 9), ("date-excel-serial",)),
        ("32874", D(1990, 1, 1), ("date-excel-serial",)),
        # French month names
        ("12 avril 2019", D(2019, 4, 12), ("date-french-month-name",)),
        ("1er Février 2020", D(2020, 2, 1), ("date-french-month-name",)),
        ("décembre 2018", D(2018, 12), ("date-french-month-name",)),
        ("sept. 2019", D(2019, 9), ("date-french-month-name",)),
    ],
)
def test_dates(text: str, value: PartialDate, repairs: tuple[str, ...]) -> None:
    assert codes(text) == (value, repairs, ())


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("31/02/2019", "date-invalid"),
        ("2019-02-29", "date-invalid"),
        ("2019-13", "date-invalid"),
        # month-first (US) order is not guessed
        ("12/31/2019", "date-invalid"),
        ("NC", "date-unrecognised"),
        ("unique", "date-unrecognised"),
        # five digits outside the plausible serial range are no date
        ("99999", "date-unrecognised"),
        ("12 brumaire 2019", "date-unrecognised"),
    ],
)
def test_dates_refused(text: str, issue: str) -> None:
    assert codes(text) == (None, (), (issue,))


def test_leap_day_exists() -> None:
    assert codes("2020-02-29") == (D(2020, 2, 29), (), ())


@pytest.mark.parametrize(("text", "value"), [("1850", D(1850)), ("2150-01-01", D(2150, 1, 1))])
def test_implausible_year_is_kept_and_flagged(text: str, value: PartialDate) -> None:
    assert codes(text) == (value, (), ("date-implausible",))


def test_partial_date_iso_and_precision() -> None:
    assert [(d.iso(), d.precision) for d in (D(2019), D(2019, 4), D(2019, 4, 12))] == [
        ("2019", "year"),
        ("2019-04", "month"),
        ("2019-04-12", "day"),
    ]


def test_partial_date_needs_a_month_for_a_day() -> None:
    with pytest.raises(ValueError):
        PartialDate(2019, None, 3)


@pytest.mark.parametrize("text", ["", "  "])
def test_blank_is_none(text: str) -> None:
    assert codes(text) == (None, (), ())
    assert period_codes(text) == (None, (), ())


P = Period
SEP = ("period-separator",)


@pytest.mark.parametrize(
    ("text", "value", "repairs", "issues"),
    [
        # Haute-Garonne (datesPeriodeVersement): SCDL 1.x underscore
        ("2017-01-01_2017-12-31", P(D(2017, 1, 1), D(2017, 12, 31)), SEP, ()),
        # Somme 2018 (datesPeriodeVersement): underscore and slashed dates
        (
            "2017/09/08_2021/09/07",
            P(D(2017, 9, 8), D(2021, 9, 7)),
            (*SEP, "date-iso-variant"),
            (),
        ),
        # Maine-et-Loire conventions (datesPeriodeVersement), SCDL 2.1: ISO interval
        ("2017-10-06/2018-06-30", P(D(2017, 10, 6), D(2018, 6, 30)), (), ()),
        (
            "01/01/2019 - 31/12/2019",
            P(D(2019, 1, 1), D(2019, 12, 31)),
            (*SEP, "date-french-order"),
            (),
        ),
        (
            "01/01/2019-31/12/2019",
            P(D(2019, 1, 1), D(2019, 12, 31)),
            (*SEP, "date-french-order"),
            (),
        ),
        (
            "du 01/01/2019 au 31/12/2019",
            P(D(2019, 1, 1), D(2019, 12, 31)),
            (*SEP, "date-french-order"),
            (),
        ),
        (
            "Du 1er janvier 2019 au 31 mars 2019",
            P(D(2019, 1, 1), D(2019, 3, 31)),
            (*SEP, "date-french-month-name"),
            (),
        ),
        ("2019-2020", P(D(2019), D(2020)), SEP, ()),
        # Lot 2017 (datesperiodeVersement): a single payment date
        ("2017-08-16", P(D(2017, 8, 16), D(2017, 8, 16)), (), ()),
        # Maine-et-Loire conventions: words after the start
        (
            "2017-12-12/fin-action",
            P(D(2017, 12, 12), None, "fin-action"),
            (),
            ("period-partly-text",),
        ),
        # Vendée 2019-06 (IdRAE column of a ragged row): a typo in the start
        (
            "2019-0619_2023-06-19",
            P(None, D(2023, 6, 19), "2019-0619"),
            (),
            ("period-partly-text",),
        ),
        # NC before the end date (Maine-et-Loire conventions)
        ("NC/2019-06-30", P(None, D(2019, 6, 30), "NC"), (), ("period-partly-text",)),
        # Vendée 2019-07: end before start, kept
        (
            "2019-10-01_2019-02-21",
            P(D(2019, 10, 1), D(2019, 2, 21)),
            SEP,
            ("period-end-before-start",),
        ),
    ],
)
def test_periods(
    text: str, value: Period, repairs: tuple[str, ...], issues: tuple[str, ...]
) -> None:
    assert period_codes(text) == (value, repairs, issues)


@pytest.mark.parametrize(
    "text",
    [
        # Vendée 2019-01 (datesPeriodeVersement): payment terms in words
        "- 1er acompte de 40 % après notification de la convention signée - Solde selon "
        "bilans financiers et justificatifs",
        "échelonné",
        # Vendée 2018 (IdRAE): two amounts and two dates
        "22680 € : 2018-05-30 et 9720 € : 2018-06-30",
        # Vendée 2018 (datesPeriodeVersement): "/" inside dates is not a period's "/"
        "ACOMPTE 50% AU 15/02/2018 25% au 15/09/2018 25% au 15/12/2018",
        # Poitiers 2017 (ACTE_REF) in a period column: a reference, not years 2016 to 391
        "2016-0391",
        "1-8",
    ],
)
def test_periods_that_are_not_dates(text: str) -> None:
    assert period_codes(text) == (None, (), ("period-not-a-date",))


def test_period_with_an_impossible_date() -> None:
    assert period_codes("31/02/2019") == (None, (), ("date-invalid",))


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (P(D(2017, 1, 1), D(2017, 12, 31)), "2017-01-01/2017-12-31"),
        (P(D(2017, 8, 16), D(2017, 8, 16)), "2017-08-16"),
        (P(D(2017, 12, 12), None, "fin-action"), "2017-12-12/fin-action"),
        (P(D(2019), D(2020)), "2019/2020"),
        (P(None, D(2023, 6, 19), "2019-0619"), "2019-0619_2023-06-19"),
    ],
)
def test_period_text_parses_back_without_repair(period: Period, text: str) -> None:
    assert period_text(period) == text
    assert period_codes(text)[:2] == (period, ())
