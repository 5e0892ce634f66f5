"""Small exact computations shared by the profiles: shares, HHI, growth."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.000001")


def money(value: Decimal | None) -> Decimal:
    """Return ``value`` rounded to the cent for display (half-even); None counts as zero."""
    return (value or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return ``part / whole`` to six places, or None when ``whole`` is zero."""
    if not whole:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return (part / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


def hhi(parts: list[Decimal]) -> Decimal | None:
    """Return the Herfindahl-Hirschman index of ``parts`` (sum of squared shares, 0..1)."""
    whole = sum(parts, Decimal(0))
    if not whole:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        value = sum(((p / whole) ** 2 for p in parts), Decimal(0))
        return value.quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


def compound_rate(first: Decimal, last: Decimal, years: int) -> Decimal | None:
    """Return the compound yearly growth rate from ``first`` to ``last`` over ``years``."""
    if years <= 0 or first <= 0 or last <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        rate = (last / first) ** (Decimal(1) / Decimal(years)) - 1
        return rate.quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


def growth(series: list[tuple[int, Decimal]]) -> dict[str, object]:
    """Return year-on-year changes and the compound rate of a (year, amount) series."""
    steps = []
    for (y0, a0), (y1, a1) in itertools.pairwise(series):
        change = share(a1 - a0, a0) if a0 else None
        steps.append({"from_year": y0, "year": y1, "change": change})
    rate = None
    if len(series) >= 2:
        (y0, a0), (y1, a1) = series[0], series[-1]
        rate = compound_rate(a0, a1, y1 - y0)
    return {"year_on_year": steps, "compound_rate": rate}


def exact(value: Decimal) -> Decimal:
    """Return ``value`` with no trailing zeros beyond the cent, without losing a digit."""
    cents = value.quantize(CENT)
    if cents == value:
        return cents
    return value.normalize()


# Values JSON and ``tidy`` leave as they are, tested first: a page holds hundreds of
# thousands of them (``fundtrail.web.render.to_jsonable`` tests them too).
PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def tidy(data: Any) -> Any:
    """Return ``data`` with every Decimal inside passed through ``exact`` (for JSON)."""
    if type(data) in PLAIN_TYPES:
        return data
    if isinstance(data, Decimal):
        return exact(data)
    if isinstance(data, dict):
        return {k: tidy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [tidy(v) for v in data]
    return data
