"""Shares of a grant (``pourcentageSubvention``): published text -> Decimal, and conventions.

The SCDL says ``1.00`` means 100 %; some publishers write ``100`` or ``45``. One value
cannot say which convention its file follows, so ``parse_share`` returns the number as
published (``45 %`` -> 45, rule ``share-percent-sign``; ``0,5`` -> 0.5, rule
``share-decimal-comma``) and ``share_convention`` decides for a whole column:
all values within [0, 1] -> "fraction"; otherwise "percent". ``to_fraction`` then gives the
SCDL's fraction. Values below 0 or above 100 are kept with the warning ``share-out-of-range``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from fundtrail.model import Outcome

Convention = Literal["fraction", "percent"]

_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_HUNDRED = Decimal(100)
_DETAIL_MAX = 60


def share_text(value: Decimal) -> str:
    """Return the canonical text of a share: plain decimal, no exponent, no trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_share(text: str) -> Outcome:
    """Return the share in ``text`` as a Decimal Outcome, as published (45 % -> 45)."""
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    repairs: list[str] = []
    body = stripped
    if body.endswith("%"):
        body = body[:-1].rstrip()
        repairs.append("share-percent-sign")
    if not _NUMBER.fullmatch(body):
        detail = stripped if len(stripped) <= _DETAIL_MAX else stripped[: _DETAIL_MAX - 1] + "…"
        return Outcome(None, issues=(("share-not-a-number", detail),))
    if "," in body:
        body = body.replace(",", ".")
        repairs.append("share-decimal-comma")
    value = Decimal(share_text(Decimal(body)))
    issues: tuple[tuple[str, str | None], ...] = ()
    if value < 0 or value > _HUNDRED:
        issues = (("share-out-of-range", share_text(value)),)
    return Outcome(value, repairs=tuple(repairs), issues=issues)


def share_convention(values: Iterable[Decimal]) -> Convention:
    """Return "fraction" when every value lies within [0, 1], else "percent"."""
    return "fraction" if all(0 <= v <= 1 for v in values) else "percent"


def to_fraction(value: Decimal, convention: Convention) -> Decimal:
    """Return ``value`` as the SCDL's fraction of the grant (1 = 100 %), exactly."""
    if convention == "fraction":
        return value
    sign, digits, exponent = value.as_tuple()
    # Moving the exponent divides by 100 exactly; Decimal arithmetic would round to 28 digits.
    return Decimal(share_text(Decimal((sign, digits, int(exponent) - 2))))
