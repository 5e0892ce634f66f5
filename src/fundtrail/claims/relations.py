"""Relations between a part and a whole a text asserts, and targets against outcomes.

- a part stated as a percentage of a whole: "242 000 (soit 8 %)" (the whole is the total of
  the part's list, or the amount the sentence or text names: "soit 5 % du budget");
- public funding stated beside a list: checked as the total less the list's own revenue
  (sales, fees);
- targets ("objectif 200 entreprises") summed and set against outcomes counted in the same
  noun ("406 entreprises").

Lists and their totals are in ``fundtrail.claims.lists``, growth rates in
``fundtrail.claims.growth``. Each relation becomes a ``Verdict``.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from fundtrail.claims.figures import Figure
from fundtrail.claims.growth import unverifiable
from fundtrail.claims.lists import AmountList
from fundtrail.claims.sentences import (
    amount_stated,
    figures_in,
    is_amount,
    label_before,
    operand,
    sentence_of,
)
from fundtrail.claims.verdict import Operand, Verdict, compute, judge
from fundtrail.claims.words import (
    ENUMERATION_GAP,
    NAMED_WHOLE,
    OWN_REVENUE,
    PART_AFTER,
    PUBLIC,
    SHARE_GAP,
    TARGET,
    TARGET_END,
    WHOLE_GAP,
    WHOLE_WORD,
)


def share_verdicts(
    text: str,
    figures: tuple[Figure, ...],
    amount_lists: list[AmountList],
    spans: list[tuple[int, int]],
    used: set[str],
) -> list[Verdict]:
    """Return verdicts on percentages stated right after an amount ("242 000 (soit 8 %)")."""
    verdicts = []
    for previous, figure in itertools.pairwise(figures):
        if figure.unit != "%" or figure.signed or figure.id in used or not is_amount(previous):
            continue
        if previous.line != figure.line or not SHARE_GAP.match(text[previous.end : figure.start]):
            continue
        used.add(figure.id)
        home = next((a for a in amount_lists if previous in a.items), None)
        label = (
            home.labels[home.items.index(previous)] if home else label_before(text, previous, spans)
        )
        part = operand(previous, label)
        if home is None:
            whole_figure = _whole_after(text, figures, figure, spans)
            if whole_figure is None:
                verdicts.append(unverifiable("share", label, (part,), figure, "claim-needs-whole"))
                continue
            whole = operand(whole_figure, label_before(text, whole_figure, spans, 4))
        elif home.total is not None:
            whole = operand(home.total, "total")
        else:
            whole = Operand("total", home.sum(), "EUR")
        operands = (part, whole)
        verdicts.append(
            judge(
                "share",
                label,
                operands,
                compute("share", operands),
                "%",
                figure.stated(),
                ref=figure.id,
            )
        )
    return verdicts


def named_share_verdicts(
    text: str,
    figures: tuple[Figure, ...],
    amount_lists: list[AmountList],
    spans: list[tuple[int, int]],
    used: set[str],
) -> list[Verdict]:
    """Return verdicts on shares stated away from their amounts.

    Two shapes: "la subvention de la Métropole représente 22,17 % du budget", where the
    sentence names exactly one item of a list with a total; and "une subvention de 50 000 €
    versée à 60 % à la signature, soit 30 000 €", where the part follows the percentage
    and the whole precedes it in the sentence.
    """
    verdicts = []
    for figure in figures:
        if figure.unit != "%" or figure.signed or figure.id in used:
            continue
        start, end = sentence_of(spans, figure.start)
        found = _named_item(text[start : figure.start], amount_lists)
        if found is not None and NAMED_WHOLE.match(text, figure.end):
            home, index = found
            assert home.total is not None
            operands = (
                operand(home.items[index], home.labels[index]),
                operand(home.total, home.total_label),
            )
        else:
            around = figures_in(figures, start, end)
            before = [f for f in around if f.end <= figure.start and is_amount(f)]
            after = [f for f in around if f.start >= figure.end]
            if not before or not after or not is_amount(after[0]):
                continue
            if not PART_AFTER.match(text[figure.end : after[0].start]):
                continue
            operands = (
                operand(after[0], label_before(text, after[0], spans, 4)),
                operand(before[-1], label_before(text, before[-1], spans, 4)),
            )
        used.add(figure.id)
        verdicts.append(
            judge(
                "share",
                label_before(text, figure, spans),
                operands,
                compute("share", operands),
                "%",
                figure.stated(),
                ref=figure.id,
            )
        )
    return verdicts


def _named_item(head: str, amount_lists: list[AmountList]) -> tuple[AmountList, int] | None:
    """Return the one list item (with a stated total) whose label ``head`` names, if one."""
    named = [
        (found, index)
        for found in amount_lists
        if found.total is not None
        for index, label in enumerate(found.labels)
        if len(label) >= 4 and re.search(rf"\b{re.escape(label)}\b", head, re.I)
    ]
    return named[0] if len(named) == 1 else None


def _whole_after(
    text: str, figures: tuple[Figure, ...], percent: Figure, spans: list[tuple[int, int]]
) -> Figure | None:
    """Return the amount a percentage is 'of' when the sentence names it right after."""
    end = sentence_of(spans, percent.start)[1]
    later = figures_in(figures, percent.end, end)
    if later and is_amount(later[0]):
        gap = text[percent.end : later[0].start]
        if WHOLE_GAP.match(gap) and WHOLE_WORD.search(gap):
            return later[0]
    named = NAMED_WHOLE.match(text, percent.end)
    if named is None:
        return None
    # 'soit 5 % du budget': the budget is the last amount the text introduced as one.
    word = named.group(1).lower()[:5]
    earlier = [
        f
        for f in figures
        if f.end <= percent.start
        and is_amount(f)
        and word in label_before(text, f, spans, 4).lower()
    ]
    return earlier[-1] if earlier else None


def public_verdicts(
    text: str,
    figures: tuple[Figure, ...],
    amount_lists: list[AmountList],
    spans: list[tuple[int, int]],
    roles: dict[str, str],
    listed: set[str],
) -> tuple[list[Verdict], Operand | None]:
    """Return verdicts on public funding stated beside a list that shows its own revenue."""
    source = next(
        (
            a
            for a in amount_lists
            if a.total is not None and any(OWN_REVENUE.search(label) for label in a.labels)
        ),
        None,
    )
    if source is None or source.total is None:
        return [], None
    own = [
        (f, label)
        for f, label in zip(source.items, source.labels, strict=True)
        if OWN_REVENUE.search(label)
    ]
    operands = (operand(source.total, "total"), *(operand(f, lab) for f, lab in own))
    public = compute("difference", operands)
    verdicts = []
    for figure in figures:
        if not is_amount(figure) or figure.id in listed or roles.get(figure.id) == "from":
            continue
        if figure is source.total:
            continue
        span = sentence_of(spans, figure.start)
        named = PUBLIC.search(text[span[0] : figure.start])
        if not named:
            continue
        between = text[span[0] + named.end() : figure.start]
        if len(between) > 60 or re.search(r"\b[A-ZÀ-Ý][a-zà-ÿ]", between):
            continue  # 'le financement public de la Région (…)' is one funder's part, not all
        subject = named.group(0)
        verdicts.append(
            judge(
                "difference",
                subject,
                operands,
                public,
                "EUR",
                amount_stated(figure),
                ref=figure.id,
            )
        )
    return verdicts, Operand("public", public or Decimal(0), "EUR")


def target_verdicts(
    text: str, figures: tuple[Figure, ...], spans: list[tuple[int, int]]
) -> list[Verdict]:
    """Return the sum of targets and the achievement of each outcome counted in the same noun.

    Targets are the counts that follow a target word ('objectif', 'targets') in its sentence,
    up to a word that turns to what was done ('contre', 'against'); '200, 150 and 50 firms'
    counts firms three times.
    """
    verdicts = []
    targets: dict[str, list[Figure]] = {}
    nouns: dict[str, str] = {}  # figure id -> noun, the enumeration's noun included
    for start, end in spans:
        keyword = TARGET.search(text, start, end)
        if keyword is None:
            continue
        stop = TARGET_END.search(text, keyword.end(), end)
        region = [
            f
            for f in figures_in(figures, keyword.end(), stop.start() if stop else end)
            if f.unit == "number"
        ]
        for index, figure in enumerate(region):
            noun = figure.noun or _enumeration_noun(text, region[index:])
            if noun:
                nouns[figure.id] = noun
                targets.setdefault(noun, []).append(figure)
    for noun, group in targets.items():
        if len(group) < 2:
            continue
        parts = tuple(Operand(label_before(text, f, spans, 3), f.value, noun, f.id) for f in group)
        total = compute("targets", parts) or Decimal(0)
        verdicts.append(Verdict("targets", "reported", noun, parts, total, noun, None))
        for f in figures:
            if f.noun == noun and f.unit == "number" and f.id not in nouns:
                ops = (
                    Operand(label_before(text, f, spans, 4), f.value, noun, f.id),
                    Operand("objectifs", total, noun),
                )
                verdicts.append(
                    Verdict(
                        "achievement",
                        "reported",
                        noun,
                        ops,
                        compute("achievement", ops),
                        "%",
                        None,
                        ref=f.id,
                    )
                )
    return verdicts


def _enumeration_noun(text: str, run: list[Figure]) -> str | None:
    """Return the noun that ends an enumeration of bare counts ('200, 150 and 50 firms')."""
    for current, following in itertools.pairwise(run):
        if current.noun is not None:
            return current.noun
        if not ENUMERATION_GAP.match(text[current.end : following.start]):
            return None
    return run[-1].noun if len(run) > 1 else None
