"""Verdicts on stated figures: consistent at the stated precision, contradicted, or unverifiable.

A figure written ``8 %`` stands for every value that rounds to it, ``[7.5 %, 8.5 %)``; a
figure written ``32,8 %`` for ``[32.75 %, 32.85 %)``. A computed value inside that interval
makes the statement *consistent*; outside it, *contradicted* (with the value that should
have been written at the same precision); when the text or dossier lacks an operand, the
statement is *unverifiable* and the verdict says what would be needed and what the
statement implies. Every verdict keeps its arithmetic as data (operands, result, stated
value, interval) and renders it as text on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from fundtrail.claims import formatting

Status = Literal["consistent", "contradicted", "unverifiable", "reported"]
# sum, targets: a + b + ... ; difference: a - b - ... ; share: a / b x 100 ;
# growth: (b - a) / a x 100 ;
# implied-prior: b / (1 + x / 100) ; ratio: a / b ; achievement: a / b x 100 (no statement)
Relation = Literal[
    "sum",
    "targets",
    "difference",
    "share",
    "growth",
    "implied-prior",
    "ratio",
    "achievement",
    "hhi",
]

_TWO = Decimal(2)


@dataclass(frozen=True)
class Stated:
    """A value as a text or dossier states it, with the precision its writing implies."""

    value: Decimal
    quantum: Decimal  # the unit of its last written digit: 1 for '8 %', 0.1 for '32,8 %'
    text: str
    unit: str  # 'EUR', '%' or a counted noun

    @property
    def low(self) -> Decimal:
        """Return the lowest value that rounds to the stated one (included)."""
        return self.value - self.quantum / _TWO

    @property
    def high(self) -> Decimal:
        """Return the value just above those that round to the stated one (excluded)."""
        return self.value + self.quantum / _TWO

    def admits(self, value: Decimal) -> bool:
        """Return True when ``value`` rounds half-up to the stated value at its precision."""
        return self.round(value) == self.value

    def round(self, value: Decimal) -> Decimal:
        """Return ``value`` rounded half-up (away from zero) at the stated precision."""
        steps = (value / self.quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return steps * self.quantum


@dataclass(frozen=True)
class Operand:
    """One value entering a computation, with what it is and where it comes from."""

    label: str
    value: Decimal
    unit: str
    ref: str | None = None  # a figure id ('f3') in a text, a dossier path in a dossier


@dataclass(frozen=True)
class Implied:
    """A value a statement implies without the text giving it (a prior budget)."""

    label: str
    value: Decimal
    low: Decimal
    high: Decimal
    unit: str


@dataclass(frozen=True)
class Verdict:
    """What a stated figure is worth once its arithmetic is done."""

    relation: Relation
    status: Status
    subject: str  # what the stated figure is about, in the source's words
    operands: tuple[Operand, ...]
    result: Decimal | None
    result_unit: str
    stated: Stated | None
    expected: Decimal | None = None  # the result at the stated precision
    needs: str | None = None  # catalogue code: what would make it verifiable
    implied: tuple[Implied, ...] = ()
    ref: str | None = None  # the stated figure's id ('f12') or dossier path

    @property
    def code(self) -> str:
        """Return the catalogue code of this verdict's status."""
        return f"claim-{self.status}"

    def arithmetic(self, lang: str | None = None) -> str:
        """Return the computation as text: plain numbers when ``lang`` is None, else localised."""
        return arithmetic_text(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as JSON-ready data (decimals as strings)."""
        return {
            "relation": self.relation,
            "status": self.status,
            "code": self.code,
            "subject": self.subject,
            "ref": self.ref,
            "operands": [
                {"label": o.label, "value": str(o.value), "unit": o.unit, "ref": o.ref}
                for o in self.operands
            ],
            "result": None if self.result is None else str(self.result),
            "result_unit": self.result_unit,
            "stated": None
            if self.stated is None
            else {
                "value": str(self.stated.value),
                "text": self.stated.text,
                "unit": self.stated.unit,
                "interval": [str(self.stated.low), str(self.stated.high)],
                "interval_closed": [True, False],
            },
            "expected": None if self.expected is None else str(self.expected),
            "needs": self.needs,
            "implied": [
                {
                    "label": i.label,
                    "value": str(i.value),
                    "interval": [str(i.low), str(i.high)],
                    "unit": i.unit,
                }
                for i in self.implied
            ],
            "arithmetic": self.arithmetic(None),
        }


def judge(
    relation: Relation,
    subject: str,
    operands: tuple[Operand, ...],
    result: Decimal | None,
    result_unit: str,
    stated: Stated,
    ref: str | None = None,
) -> Verdict:
    """Return the verdict on ``stated`` given the ``result`` computed from ``operands``.

    A result of None (the computation divides by zero) makes the statement unverifiable.
    """
    if result is None:
        return Verdict(
            relation,
            "unverifiable",
            subject,
            operands,
            None,
            result_unit,
            stated,
            needs="claim-zero-base",
            ref=ref,
        )
    consistent = stated.admits(result)
    return Verdict(
        relation=relation,
        status="consistent" if consistent else "contradicted",
        subject=subject,
        operands=operands,
        result=result,
        result_unit=result_unit,
        stated=stated,
        expected=stated.round(result),
        ref=ref,
    )


def compute(relation: Relation, operands: tuple[Operand, ...]) -> Decimal | None:
    """Return the value of ``relation`` applied to ``operands``; None when it divides by zero."""
    values = [o.value for o in operands]
    divisor = {"share": 1, "achievement": 1, "ratio": 1, "growth": 0}.get(relation)
    if divisor is not None and values[divisor] == 0:
        return None
    if relation == "implied-prior" and values[1] == -100:
        return None
    if relation in ("sum", "targets"):
        return sum(values, Decimal(0))
    if relation == "difference":
        return values[0] - sum(values[1:], Decimal(0))
    if relation in ("share", "achievement"):
        return values[0] / values[1] * 100
    if relation == "ratio":
        return values[0] / values[1]
    if relation == "hhi":
        return sum((v * v for v in values), Decimal(0))
    if relation == "growth":
        return (values[1] - values[0]) / values[0] * 100
    if relation == "implied-prior":
        return values[0] / (1 + values[1] / 100)
    raise ValueError(f"unknown relation {relation!r}")


def implied_prior(current: Operand, growth: Stated, label: str) -> Implied | None:
    """Return the prior value ``growth`` implies for ``current``, with its interval, or None."""
    if any(g <= -100 for g in (growth.low, growth.high, growth.value)):
        return None
    value = current.value / (1 + growth.value / 100)
    bounds = sorted(current.value / (1 + g / 100) for g in (growth.low, growth.high))
    return Implied(label, value, bounds[0], bounds[1], current.unit)


def arithmetic_text(verdict: Verdict, lang: str | None = None) -> str:
    """Return the computation behind ``verdict`` as one line of text."""
    show = _shower(lang)
    ops = verdict.operands
    v = [show(o.value, o.unit) for o in ops]
    if len(v) < (1 if verdict.relation in ("sum", "targets", "difference") else 2):
        return ""  # an unverifiable statement has no computation to show
    if verdict.relation in ("sum", "targets"):
        left = " + ".join(v)
    elif verdict.relation == "difference":
        left = " − ".join(v)
    elif verdict.relation in ("share", "achievement"):
        left = f"{v[0]} / {v[1]} × 100"
    elif verdict.relation == "hhi":
        left = " + ".join(f"{show(o.value, '')}²" for o in ops)
    elif verdict.relation == "ratio":
        left = f"{v[0]} / {v[1]}"
    elif verdict.relation == "growth":
        left = f"({v[1]} − {v[0]}) / {v[0]} × 100"
    else:  # implied-prior: the rate is shown as a bare number inside the formula
        left = f"{v[0]} / (1 + {show(ops[1].value, '')} / 100)"
    if verdict.result is None:
        return left
    right = show(verdict.result, verdict.result_unit)
    exact = verdict.result == formatting.rounded(verdict.result, 4)
    text = f"{left} {'=' if exact else '≈'} {right}"
    if verdict.relation == "implied-prior" and verdict.implied:
        low, high = verdict.implied[0].low, verdict.implied[0].high
        text += f" ; [{show(low, verdict.result_unit)} ; {show(high, verdict.result_unit)}]"
    elif verdict.stated is not None:
        st = verdict.stated
        interval = f"[{show(st.low, st.unit)} ; {show(st.high, st.unit)}["
        sign = "∈" if verdict.status == "consistent" else "∉"
        text += f" {sign} {interval}"
    return text


def _shower(lang: str | None) -> Callable[[Decimal, str], str]:
    def show(value: Decimal, unit: str) -> str:
        if lang is None:
            shown = formatting.plain(formatting.rounded(value, 4))
            return f"{shown} %" if unit == "%" else shown
        integral = value == value.to_integral_value()
        # Cents, or three places for an interval bound on half a cent (225 499,995 €).
        places = None if unit != "EUR" or integral else (3 if _places(value) == 3 else 2)
        if unit == "%":
            return formatting.percent(
                formatting.rounded(value, 4).normalize(), lang, _places(value)
            )
        return formatting.quantity(formatting.rounded(value, 4).normalize(), unit, lang, places)

    return show


def _places(value: Decimal) -> int:
    exponent = formatting.rounded(value, 4).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
