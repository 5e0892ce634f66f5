"""Lists of amounts with their stated total, and totals stated after amounts in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fundtrail.claims.figures import Figure
from fundtrail.claims.sentences import (
    amount_stated,
    figures_in,
    is_amount,
    label_before,
    operand,
)
from fundtrail.claims.verdict import Verdict, compute, judge
from fundtrail.claims.words import BULLETS, SUBTOTAL, TOTAL


@dataclass(frozen=True)
class AmountList:
    """Amounts the text lists one per line, with the total it states (when it states one)."""

    items: tuple[Figure, ...]
    labels: tuple[str, ...]
    total: Figure | None
    total_label: str = "total"  # the words of the total's line ('Sous-total publics')

    def sum(self) -> Decimal:
        """Return the exact sum of the listed amounts."""
        return sum((f.value for f in self.items), Decimal(0))


def find_lists(text: str, figures: tuple[Figure, ...]) -> list[AmountList]:
    """Return the lists of amounts written one per line, each with its stated total."""
    lines = text.split("\n")
    by_line: dict[int, list[Figure]] = {}
    for figure in figures:
        by_line.setdefault(figure.line, []).append(figure)
    lists: list[AmountList] = []
    run: list[tuple[Figure, str]] = []
    for number, line in enumerate(lines):
        amounts = [f for f in by_line.get(number, []) if is_amount(f)]
        if not line.strip():
            continue
        if SUBTOTAL.search(line) and amounts and run:
            # A subtotal closes its own list and stands for it in the next one.
            if len(run) >= 2:
                items, labels = zip(*run, strict=True)
                lists.append(
                    AmountList(
                        tuple(items), tuple(labels), amounts[-1], _total_label(text, amounts[-1])
                    )
                )
            run = [(amounts[-1], _total_label(text, amounts[-1]))]
            continue
        if TOTAL.search(line) and amounts and len(run) >= 2:
            items, labels = zip(*run, strict=True)
            lists.append(
                AmountList(
                    tuple(items), tuple(labels), amounts[-1], _total_label(text, amounts[-1])
                )
            )
            run = []
            continue
        label = _item_label(text, line, amounts[-1]) if amounts and len(line) < 160 else ""
        if label:
            run.append((amounts[-1], label))
            continue
        if len(run) >= 2:
            items, labels = zip(*run, strict=True)
            lists.append(AmountList(tuple(items), tuple(labels), None))
        run = []
    if len(run) >= 2:
        items, labels = zip(*run, strict=True)
        lists.append(AmountList(tuple(items), tuple(labels), None))
    return lists


def _total_label(text: str, figure: Figure) -> str:
    """Return the words before a total on its line ('Total', 'Sous-total publics')."""
    line_start = text.rfind("\n", 0, figure.start) + 1
    return text[line_start : figure.start].strip(BULLETS + " ").strip() or "total"


def _item_label(text: str, line: str, figure: Figure) -> str:
    """Return the words that name a list item: before its amount, else after it."""
    line_start = text.rfind("\n", 0, figure.start) + 1
    line_end = text.find("\n", figure.end)
    head = text[line_start : figure.start]
    if re.search(r"[^\W\d_]", head):
        return head.strip(BULLETS).strip()
    if re.search(r"\d", head):
        return ""
    tail = text[figure.end : line_end if line_end >= 0 else len(text)]
    return tail.strip(BULLETS + "().,;").strip() if re.search(r"[^\W\d_]", tail) else ""


def list_verdicts(amount_lists: list[AmountList]) -> list[Verdict]:
    """Return the verdict on each list's stated total."""
    verdicts = []
    for found in amount_lists:
        if found.total is None:
            continue
        operands = tuple(
            operand(f, label) for f, label in zip(found.items, found.labels, strict=True)
        )
        verdicts.append(
            judge(
                "sum",
                found.total_label,
                operands,
                found.sum(),
                "EUR",
                amount_stated(found.total),
                ref=found.total.id,
            )
        )
    return verdicts


def inline_sum_verdicts(
    text: str, figures: tuple[Figure, ...], spans: list[tuple[int, int]], listed: set[str]
) -> list[Verdict]:
    """Return verdicts on totals stated after amounts in the same sentence."""
    verdicts = []
    for start, end in spans:
        inside = [f for f in figures_in(figures, start, end) if is_amount(f) and f.id not in listed]
        for index, figure in enumerate(inside):
            head = text[inside[index - 1].end if index else start : figure.start]
            if index >= 2 and TOTAL.search(head):
                parts = tuple(operand(f, label_before(text, f, spans, 4)) for f in inside[:index])
                verdicts.append(
                    judge(
                        "sum",
                        label_before(text, figure, spans),
                        parts,
                        compute("sum", parts),
                        "EUR",
                        amount_stated(figure),
                        ref=figure.id,
                    )
                )
                break
    return verdicts
