"""Properties of every value parser (Hypothesis): total, idempotent, exact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

import fundtrail.catalogue as catalogue
from fundtrail.model import Outcome
from fundtrail.normalise import (
    OrgId,
    amount_text,
    bool_text,
    clean_text,
    nature_text,
    org_id_text,
    parse_amount,
    parse_bool,
    parse_date,
    parse_nature,
    parse_org_id,
    parse_period,
    parse_share,
    period_text,
    share_text,
)

# Characters that reach the parsers' branches far more often than arbitrary text does.
_TOKENS = [
    *"0123456789012345678901234567890 ,.-/_()€eE%+WABaoui:Tnx'\u00a0\u202f\n",
    *("au", "du", "avril", "er", "EUR", "E+13", "oui", "non", "nature", "numéraire"),
]
_MESSY = st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join)
TEXTS = st.one_of(st.text(), _MESSY)

_FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]


@st.composite
def written_dates(draw: st.DrawFn) -> str:
    """Return a date written the way publishers write them (ISO, French, Excel, words)."""
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
    shapes = [
        day.isoformat(),
        f"{day.year}",
        f"{day.year}-{day.month:02d}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}-{day.month}-{day.year % 100:02d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.month:02d}/{day.year}",
        f"{day.isoformat()}T00:00:00",
        f"{day.day:02d}.{day.month:02d}.{day.year} 12:30",
        f"{(day - date(1899, 12, 30)).days}",
        f"{day.day} {_FR_MONTHS[(day.month - 1) % 8]} {day.year}",
    ]
    return draw(st.sampled_from(shapes))


@st.composite
def written_periods(draw: st.DrawFn) -> str:
    """Return a period as publishers write it: two dates, a date and words, or words."""
    start, end = draw(written_dates()), draw(written_dates())
    words = draw(st.sampled_from(["fin-action", "1er acompte", "unique", "solde 2019"]))
    return draw(
        st.sampled_from(
            [
                f"{start}_{end}",
                f"{start}/{end}",
                f"{start} - {end}",
                f"du {start} au {end}",
                f"{start}/{words}",
                f"{words}_{end}",
                start,
            ]
        )
    )


@st.composite
def written_org_ids(draw: st.DrawFn) -> str:
    """Return a SIRET, SIREN or RNA as published: spaced, dotted, float-damaged or cut."""
    body = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    siren = body + luhn.calc_check_digit(body)
    nic = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    siret = siren + nic + luhn.calc_check_digit(siren + nic)
    number = draw(st.sampled_from([siret, siren, siret[:-1] + "0", "W" + body + "1"]))
    return draw(
        st.sampled_from(
            [
                number,
                number.lstrip("0"),
                f"{number}.0",
                " ".join(number[i : i + 3] for i in range(0, len(number), 3)),
                number.lower() + "'",
                number[:6] + "0" * (len(number) - 6),
            ]
        )
    )


@st.composite
def written_amounts(draw: st.DrawFn) -> str:
    """Return an amount as publishers write it: French, English, float, with words."""
    euros = draw(st.integers(min_value=-(10**12), max_value=10**12))
    cents = draw(st.integers(min_value=0, max_value=99))
    grouped = f"{euros:,}"
    return draw(
        st.sampled_from(
            [
                f"{grouped.replace(',', chr(0xA0))},{cents:02d}",
                f"{grouped} €",
                f"{grouped}.{cents:02d}",
                f"{grouped.replace(',', '.')},{cents}",
                f"{euros}.0",
                f"({abs(euros)})",
                f"{grouped.replace(',', ' ')} € (pour 3 saisons)",
                f"{euros},{cents:03d}",
            ]
        )
    )


_WORDS = ["oui", "Non", "TRUE", "faux", "o", "N", "1", "0", "x", "aide en numéraire"]
_NATURES = ["aide en numéraire", "Aide en nature", "numeraire", "en espèces", "nature", "00"]

STRUCTURED: dict[str, st.SearchStrategy[str]] = {
    "amount": written_amounts(),
    "share": st.sampled_from(["1", "0,5", "45 %", "100%", "1.00", "33,33 %", "150", "-0,0"]),
    "date": written_dates(),
    "period": written_periods(),
    "org_id": written_org_ids(),
    "org_id_personal": written_org_ids(),
    "bool": st.sampled_from(_WORDS),
    "nature": st.lists(st.sampled_from(_NATURES), min_size=1, max_size=3).map(";".join),
}


def _personal_org_id(text: str) -> Outcome:
    return parse_org_id(text, personal=True)


def _org_text(value: OrgId) -> str:
    return org_id_text(value)


# (parser, canonical text of its value)
PARSERS: dict[str, tuple[Callable[[str], Outcome], Callable[[Any], str]]] = {
    "amount": (parse_amount, amount_text),
    "date": (parse_date, lambda d: d.iso()),
    "period": (parse_period, period_text),
    "org_id": (parse_org_id, _org_text),
    "org_id_personal": (_personal_org_id, _org_text),
    "bool": (parse_bool, bool_text),
    "share": (parse_share, share_text),
    "nature": (parse_nature, nature_text),
    "text": (clean_text, str),
}


def _check_shape(out: Outcome) -> None:
    assert isinstance(out, Outcome)
    for rule in out.repairs:
        assert catalogue.entry(rule).kind == "repair", rule
    for code, detail in out.issues:
        assert catalogue.entry(code).kind == "issue", code
        assert detail is None or isinstance(detail, str)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_never_raises_and_speaks_catalogue(name: str, data: st.DataObject) -> None:
    parse, _ = PARSERS[name]
    text = data.draw(st.one_of(TEXTS, STRUCTURED.get(name, TEXTS)))
    _check_shape(parse(text))


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_normalising_twice_is_once(name: str, data: st.DataObject) -> None:
    parse, canonical = PARSERS[name]
    text = data.draw(st.one_of(TEXTS, STRUCTURED.get(name, TEXTS)))
    first = parse(text)
    if first.value is None or first.value == OrgId(withheld=True):
        return
    again = parse(canonical(first.value))
    assert (again.value, again.repairs) == (first.value, ())


@settings(max_examples=500, deadline=None)
@given(value=st.decimals(allow_nan=False, allow_infinity=False))
def test_amounts_round_trip_exactly(value: Decimal) -> None:
    out = parse_amount(amount_text(value))
    assert isinstance(out.value, Decimal)
    assert (out.value, out.repairs) == (value, ())


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_amounts_are_never_floats(text: str) -> None:
    value = parse_amount(text).value
    assert value is None or type(value) is Decimal


@settings(max_examples=300, deadline=None)
@given(
    euros=st.integers(min_value=1000, max_value=999_999_999_999),
    cents=st.integers(min_value=0, max_value=99),
    blank=st.sampled_from([" ", "\u00a0", "\u202f"]),
)
def test_french_written_amounts_are_exact(euros: int, cents: int, blank: str) -> None:
    grouped = f"{euros:,}".replace(",", blank)
    out = parse_amount(f"{grouped},{cents:02d} €")
    assert out.value == Decimal(euros) + Decimal(cents) / 100
    assert out.repairs == ("amount-currency-removed", "amount-french-format")


def test_personal_detail_never_holds_the_value() -> None:
    for text in ("2 95 10 99 126 111 93", "2951099126111", "abc", "2,9510E+14"):
        out = parse_org_id(text, personal=True)
        assert out.value == OrgId(withheld=True)
        assert all(detail is None for _, detail in out.issues)
