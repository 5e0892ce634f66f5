"""Growth rates a text states: from A to B, B compared with A, or with no starting value."""

from __future__ import annotations

import re

from fundtrail.claims.figures import Figure
from fundtrail.claims.sentences import (
    clause,
    figures_in,
    is_amount,
    label_before,
    operand,
    sentence_of,
)
from fundtrail.claims.verdict import Operand, Stated, Verdict, compute, implied_prior, judge
from fundtrail.claims.words import (
    AMOUNT_THEN_RATE,
    BUDGET,
    COMPARED,
    DOWN,
    FROM,
    GROWTH_GAP_END,
    GROWTH_VERB,
    GROWTH_WORD,
    PERIOD,
    PUBLIC,
    TO,
)


def growth_verdicts(
    text: str, figures: tuple[Figure, ...], spans: list[tuple[int, int]], used: set[str]
) -> tuple[list[Verdict], dict[str, str]]:
    """Return verdicts on "from A to B (+x %)" and the ids of each A and B with their role."""
    verdicts = []
    roles: dict[str, str] = {}
    for index in range(len(figures) - 1):
        first, second = figures[index], figures[index + 1]
        if not (
            FROM.search(text[max(0, first.start - 8) : first.start])
            and TO.match(text[first.end : second.start])
        ):
            continue
        if not _comparable(first, second):
            continue
        roles[first.id], roles[second.id] = "from", "to"
        span = sentence_of(spans, first.start)
        subject = clause(text[span[0] : first.start])
        subject = re.sub(r"\s*\b(?:de|d['’]|from)\s*$", "", subject, flags=re.I)
        unit = "EUR" if is_amount(first) else first.stated().unit
        operands = (
            Operand(label_before(text, first, spans), first.value, unit, first.id),
            Operand(label_before(text, second, spans, 3), second.value, unit, second.id),
        )
        result = compute("growth", operands)
        rate = figures[index + 2] if index + 2 < len(figures) else None
        gap = text[second.end : rate.start] if rate else ""
        if (
            rate is not None
            and rate.unit == "%"
            and rate.start < span[1] + 2
            and _is_growth_gap(gap)
        ):
            used.add(rate.id)
            stated = rate.stated()
            if not rate.signed and DOWN.search(gap):
                stated = Stated(-stated.value, stated.quantum, stated.text, "%")
            verdicts.append(judge("growth", subject, operands, result, "%", stated, ref=rate.id))
        else:
            verdicts.append(Verdict("growth", "reported", subject, operands, result, "%", None))
    return verdicts, roles


def compared_growth_verdicts(
    text: str,
    figures: tuple[Figure, ...],
    spans: list[tuple[int, int]],
    used: set[str],
    roles: dict[str, str],
) -> list[Verdict]:
    """Return verdicts on 'B contre A (+x %)', 'B, up x% from A': two amounts and a rate."""
    verdicts = []
    for start, end in spans:
        inside = figures_in(figures, start, end)
        rates = [
            f
            for f in inside
            if f.unit == "%"
            and f.id not in used
            and (f.signed or GROWTH_WORD.search(text[max(start, f.start - 30) : f.start]))
        ]
        amounts = [f for f in inside if is_amount(f) and f.id not in roles]
        compared = COMPARED.search(text, start, end)
        if len(rates) != 1 or len(amounts) != 2 or compared is None:
            continue
        earlier = [f for f in amounts if f.start > compared.end()]
        if len(earlier) != 1:
            continue
        prior = earlier[0]
        current = amounts[0] if amounts[1] is prior else amounts[1]
        rate = rates[0]
        used.add(rate.id)
        roles[prior.id], roles[current.id] = "from", "to"
        subject = clause(text[start : min(current.start, prior.start)]) or label_before(
            text, current, spans
        )
        operands = (
            operand(prior, label_before(text, prior, spans, 4)),
            operand(current, label_before(text, current, spans, 4)),
        )
        stated = rate.stated()
        if not rate.signed and DOWN.search(text[max(start, rate.start - 30) : rate.start]):
            stated = Stated(-stated.value, stated.quantum, stated.text, "%")
        verdicts.append(
            judge(
                "growth", subject, operands, compute("growth", operands), "%", stated, ref=rate.id
            )
        )
    return verdicts


def open_growth_verdicts(
    text: str,
    figures: tuple[Figure, ...],
    spans: list[tuple[int, int]],
    used: set[str],
    current_total: dict[str, Figure | Operand],
) -> list[Verdict]:
    """Return verdicts on growth rates stated without their starting value (unverifiable)."""
    verdicts = []
    for figure in figures:
        if figure.unit != "%" or figure.id in used:
            continue
        span = sentence_of(spans, figure.start)
        head = text[span[0] : figure.start]
        if not GROWTH_VERB.search(head):
            continue
        used.add(figure.id)
        stated = figure.stated()
        if not figure.signed and DOWN.search(head[-30:]):
            stated = Stated(-stated.value, stated.quantum, stated.text, "%")
        subject = clause(head)
        period = PERIOD.search(text[figure.end : span[1]]) or PERIOD.search(subject)
        if period and period.group(0) not in subject:
            subject = f"{subject} ({period.group(0)})"
        key = "public" if PUBLIC.search(subject) else ("budget" if BUDGET.search(subject) else "")
        current = current_total.get(key)
        before = [f for f in figures_in(figures, span[0], figure.start) if f.end <= figure.start]
        if before and is_amount(before[-1]):
            gap = text[before[-1].end : figure.start]
            if AMOUNT_THEN_RATE.match(gap) and GROWTH_WORD.search(gap):
                current = before[-1]  # '245,3 M€, en hausse de 3,1 %': B is the amount before
                subject = label_before(text, before[-1], spans)
        if current is None:
            verdicts.append(unverifiable("growth", subject, (), figure, "claim-needs-both-values"))
            continue
        if isinstance(current, Figure):
            current = operand(current, "total")
        rate = Operand(figure.text, stated.value, "%", figure.id)
        prior = implied_prior(current, stated, "prior")
        verdicts.append(
            Verdict(
                "implied-prior",
                "unverifiable",
                subject,
                (current, rate),
                None if prior is None else prior.value,
                current.unit,
                stated,
                needs="claim-needs-prior-value" if prior else "claim-zero-base",
                implied=() if prior is None else (prior,),
                ref=figure.id,
            )
        )
    return verdicts


def _is_growth_gap(gap: str) -> bool:
    """Return True when the words between B and a rate make the rate B's growth from A."""
    bare = gap.strip()
    if bare in ("", "(", ",", ", soit", "(soit", "soit"):
        return True
    return len(gap) <= 80 and bool(GROWTH_WORD.search(gap)) and bool(GROWTH_GAP_END.search(gap))


def _comparable(first: Figure, second: Figure) -> bool:
    """Return True when a change from ``first`` to ``second`` means something (not years)."""
    if is_amount(first) and is_amount(second):
        return True
    if first.unit == second.unit == "%":
        return True
    return first.unit == second.unit == "number" and first.noun == second.noun is not None


def unverifiable(
    relation: str, subject: str, operands: tuple[Operand, ...], figure: Figure, needs: str
) -> Verdict:
    """Return an unverifiable verdict on ``figure`` saying what it ``needs``."""
    return Verdict(
        "share" if relation == "share" else "growth",
        "unverifiable",
        subject,
        operands,
        None,
        "%",
        figure.stated(),
        needs=needs,
        ref=figure.id,
    )
