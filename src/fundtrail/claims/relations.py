"""Relations a text asserts between its figures, found from the raw text alone.

Five shapes are recognised, in French and English:

- a list of amounts with its stated total (one amount per line, then a "Total" line), or
  amounts in one sentence followed by "soit un total de" / "a total of";
- a part stated as a percentage of a whole: "242 000 (soit 8 %)" (the whole is the total of
  the part's list);
- a change stated as a growth rate: "de A à B (+x %)", "from A to B (+x%)";
- a growth rate without its starting value: "le budget a progressé de x %": unverifiable,
  with the prior value it implies when the text gives the current one;
- public funding stated beside a list: checked as the total less the list's own revenue
  (sales, fees); and targets ("objectif 200 entreprises") against outcomes counted in the
  same noun ("406 entreprises").

Each relation becomes a ``Verdict`` (see ``fundtrail.claims.verdict``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from fundtrail.claims.figures import Figure
from fundtrail.claims.verdict import (
    Operand,
    Stated,
    Verdict,
    compute,
    implied_prior,
    judge,
)

_BULLETS = " \t\u00a0\u202f•·*‣◦–—-:"
_TOTAL = re.compile(r"\btotal\b", re.I)
_OWN_REVENUE = re.compile(
    r"chiffre d.affaires|\bventes?\b|recettes propres|ressources propres|autofinancement"
    r"|fonds propres|prestations|own (?:revenue|income)|\bsales\b|earned income|\bfees\b"
    r"|self.financ",
    re.I,
)
_PUBLIC = re.compile(
    r"financements? publics?|fonds publics|subventions? publiques|argent public|aides? publiques"
    r"|public (?:funding|money|grants?|funds|support)",
    re.I,
)
_SHARE_GAP = re.compile(
    r"^\s*[(,]?\s*(?:soit|i\.\s?e\.|or|that is|représentant|représente|equal to|about|environ)?"
    r"\s*$",
    re.I,
)
_FROM = re.compile(r"\b(?:de|d['’]|from)\s*$", re.I)
_TO = re.compile(r"^\s*(?:à|a|to|jusqu['’]à)\s*$", re.I)
_DOWN = re.compile(
    r"baiss|diminu|recul|chut|décr|decreas|fell|fall|drop|declin|down|lower|cut", re.I
)
_GROWTH_WORD = re.compile(
    r"hausse|progress|augment|croissance|baisse|diminu|recul|grimp|bond|chut"
    r"|increas|\brise|\brose|\bgrew|growth|\bup\b|jump|climb|soar|gain"
    r"|decreas|\bfall|\bfell|\bdown\b|drop|declin|slump",
    re.I,
)
_GROWTH_GAP_END = re.compile(r"(?:\bde|\bof|\bby|\bsoit|\(|,|:)\s*$", re.I)
_GROWTH_VERB = re.compile(
    r"(?:progress[ée]|augment[ée]|cr[uû]|grimp[ée]|bondi|baiss[ée]|diminu[ée]|recul[ée]"
    r"|chut[ée]|hausse|progression|augmentation|croissance|baisse|diminution|recul)\s+de\s*$"
    r"|(?:increased|grown|grew|rose|risen|jumped|climbed|decreased|fell|fallen|dropped"
    r"|declined)\s+by\s*$|(?:increase|growth|rise|decrease|fall|drop|decline)\s+of\s*$"
    r"|\b(?:up|down)(?:\s+by)?\s*$",
    re.I,
)
_BUDGET = re.compile(r"\bbudget|\btotal|\bressources|\brevenue|\bincome\b", re.I)
_PERIOD = re.compile(
    r"\b(?:en|sur|in|over)\s+(?:(?:the\s+)?(?:last|past|dernières?|derniers)\s+)?"
    r"(\w+)\s+(ans|années|years|mois|months)\b",
    re.I,
)
_TARGET = re.compile(r"\bobjectifs?\b|\bcibles?\b|\btargets?\b|\bgoals?\b|\baims?\b", re.I)


@dataclass(frozen=True)
class AmountList:
    """Amounts the text lists one per line, with the total it states (when it states one)."""

    items: tuple[Figure, ...]
    labels: tuple[str, ...]
    total: Figure | None

    def sum(self) -> Decimal:
        """Return the exact sum of the listed amounts."""
        return sum((f.value for f in self.items), Decimal(0))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the text's sentences and list lines."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"[.!?;](?=\s|$)|\n", text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in spans if text[s[0] : s[1]].strip()]


def is_amount(figure: Figure) -> bool:
    """Return True when ``figure`` can be an amount of money (euros or a bare number)."""
    return figure.unit == "EUR" or (figure.unit == "number" and figure.noun is None)


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
        if _TOTAL.search(line) and amounts and len(run) >= 2:
            items, labels = zip(*run, strict=True)
            lists.append(AmountList(tuple(items), tuple(labels), amounts[-1]))
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


def _item_label(text: str, line: str, figure: Figure) -> str:
    line_start = text.rfind("\n", 0, figure.start) + 1
    head = text[line_start : figure.start]
    if re.search(r"\d", head.replace(" ", "")) and not re.search(r"[A-Za-zÀ-ÿ]", head):
        return ""
    return head.strip(_BULLETS).strip()


def label_before(text: str, figure: Figure, spans: list[tuple[int, int]], words: int = 6) -> str:
    """Return up to ``words`` words that precede ``figure`` in its sentence."""
    start = _sentence_of(spans, figure.start)[0]
    head = re.sub(r"\s+", " ", text[start : figure.start]).strip(_BULLETS + "( ")
    return " ".join(head.split(" ")[-words:])


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for span in spans:
        if span[0] <= pos < span[1]:
            return span
    return (pos, pos)


def _operand(figure: Figure, label: str) -> Operand:
    unit = "EUR" if is_amount(figure) else figure.stated().unit
    return Operand(label, figure.value, unit, figure.id)


def _amount_stated(figure: Figure) -> Stated:
    return Stated(figure.value, figure.quantum, figure.text, "EUR")


def list_verdicts(amount_lists: list[AmountList]) -> list[Verdict]:
    """Return the verdict on each list's stated total."""
    verdicts = []
    for found in amount_lists:
        if found.total is None:
            continue
        operands = tuple(
            _operand(f, label) for f, label in zip(found.items, found.labels, strict=True)
        )
        verdicts.append(
            judge(
                "sum",
                "total",
                operands,
                found.sum(),
                "EUR",
                _amount_stated(found.total),
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
        inside = [
            f for f in figures if start <= f.start < end and is_amount(f) and f.id not in listed
        ]
        for index, figure in enumerate(inside):
            head = text[inside[index - 1].end if index else start : figure.start]
            if index >= 2 and _TOTAL.search(head):
                parts = tuple(_operand(f, label_before(text, f, spans, 4)) for f in inside[:index])
                verdicts.append(
                    judge(
                        "sum",
                        label_before(text, figure, spans),
                        parts,
                        compute("sum", parts),
                        "EUR",
                        _amount_stated(figure),
                        ref=figure.id,
                    )
                )
                break
    return verdicts


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
        if previous.line != figure.line or not _SHARE_GAP.match(text[previous.end : figure.start]):
            continue
        used.add(figure.id)
        home = next((a for a in amount_lists if previous in a.items), None)
        label = (
            home.labels[home.items.index(previous)] if home else label_before(text, previous, spans)
        )
        part = _operand(previous, label)
        if home is None:
            whole_figure = _whole_after(text, figures, figure, spans)
            if whole_figure is None:
                verdicts.append(_unverifiable("share", label, (part,), figure, "claim-needs-whole"))
                continue
            operands = (part, _operand(whole_figure, label_before(text, whole_figure, spans, 4)))
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
            continue
        if home.total is not None:
            whole = _operand(home.total, "total")
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


_WHOLE_GAP = re.compile(r"^[^.;:!?\d]{0,60}$")
_WHOLE_WORD = re.compile(r"\b(?:total|budget|de|du|des|of|sur|out of)\b", re.I)


def _whole_after(
    text: str, figures: tuple[Figure, ...], percent: Figure, spans: list[tuple[int, int]]
) -> Figure | None:
    """Return the amount a percentage is 'of' when the sentence names it right after."""
    end = _sentence_of(spans, percent.start)[1]
    later = [f for f in figures if percent.end <= f.start < end]
    if later and is_amount(later[0]):
        gap = text[percent.end : later[0].start]
        if _WHOLE_GAP.match(gap) and _WHOLE_WORD.search(gap):
            return later[0]
    named = _NAMED_WHOLE.match(text, percent.end)
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


_NAMED_WHOLE = re.compile(
    r"\s*(?:du|de l['’]ensemble du|of the|of|of its)\s+(budget|total)\b", re.I
)
_AMOUNT_THEN_RATE = re.compile(r"^[^\d.;:!?]{0,40}$")

_COMPARED = re.compile(
    r"\b(?:contre|par rapport (?:à|au|aux)|comparé (?:à|au)|après|from|against|compared (?:with|to)"
    r"|versus|vs)\b",
    re.I,
)


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
        inside = [f for f in figures if start <= f.start < end]
        rates = [
            f
            for f in inside
            if f.unit == "%"
            and f.id not in used
            and (f.signed or _GROWTH_WORD.search(text[max(start, f.start - 30) : f.start]))
        ]
        amounts = [f for f in inside if is_amount(f) and f.id not in roles]
        compared = _COMPARED.search(text, start, end)
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
        subject = _clause(text[start : min(current.start, prior.start)]) or label_before(
            text, current, spans
        )
        operands = (
            _operand(prior, label_before(text, prior, spans, 4)),
            _operand(current, label_before(text, current, spans, 4)),
        )
        stated = rate.stated()
        if not rate.signed and _DOWN.search(text[max(start, rate.start - 30) : rate.start]):
            stated = Stated(-stated.value, stated.quantum, stated.text, "%")
        verdicts.append(
            judge(
                "growth", subject, operands, compute("growth", operands), "%", stated, ref=rate.id
            )
        )
    return verdicts


def growth_verdicts(
    text: str, figures: tuple[Figure, ...], spans: list[tuple[int, int]], used: set[str]
) -> tuple[list[Verdict], dict[str, str]]:
    """Return verdicts on "from A to B (+x %)" and the ids of each A and B with their role."""
    verdicts = []
    roles: dict[str, str] = {}
    for index in range(len(figures) - 1):
        first, second = figures[index], figures[index + 1]
        if not (
            _FROM.search(text[max(0, first.start - 8) : first.start])
            and _TO.match(text[first.end : second.start])
        ):
            continue
        if first.unit != second.unit and not (is_amount(first) and is_amount(second)):
            continue
        roles[first.id], roles[second.id] = "from", "to"
        span = _sentence_of(spans, first.start)
        subject = _clause(text[span[0] : first.start])
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
            if not rate.signed and _DOWN.search(gap):
                stated = Stated(-stated.value, stated.quantum, stated.text, "%")
            verdicts.append(judge("growth", subject, operands, result, "%", stated, ref=rate.id))
        else:
            verdicts.append(Verdict("growth", "reported", subject, operands, result, "%", None))
    return verdicts, roles


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
        span = _sentence_of(spans, figure.start)
        head = text[span[0] : figure.start]
        if not _GROWTH_VERB.search(head):
            continue
        used.add(figure.id)
        stated = figure.stated()
        if not figure.signed and _DOWN.search(head[-30:]):
            stated = Stated(-stated.value, stated.quantum, stated.text, "%")
        subject = _clause(head)
        period = _PERIOD.search(text[figure.end : span[1]]) or _PERIOD.search(subject)
        if period and period.group(0) not in subject:
            subject = f"{subject} ({period.group(0)})"
        key = "public" if _PUBLIC.search(subject) else ("budget" if _BUDGET.search(subject) else "")
        current = current_total.get(key)
        before = [f for f in figures if span[0] <= f.start and f.end <= figure.start]
        if before and is_amount(before[-1]):
            gap = text[before[-1].end : figure.start]
            if _AMOUNT_THEN_RATE.match(gap) and _GROWTH_WORD.search(gap):
                current = before[-1]  # '245,3 M€, en hausse de 3,1 %': B is the amount before
                subject = label_before(text, before[-1], spans)
        if current is None:
            verdicts.append(_unverifiable("growth", subject, (), figure, "claim-needs-both-values"))
            continue
        if isinstance(current, Figure):
            current = _operand(current, "total")
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
            if a.total is not None and any(_OWN_REVENUE.search(label) for label in a.labels)
        ),
        None,
    )
    if source is None or source.total is None:
        return [], None
    own = [
        (f, label)
        for f, label in zip(source.items, source.labels, strict=True)
        if _OWN_REVENUE.search(label)
    ]
    operands = (_operand(source.total, "total"), *(_operand(f, lab) for f, lab in own))
    public = compute("difference", operands)
    verdicts = []
    for figure in figures:
        if not is_amount(figure) or figure.id in listed or roles.get(figure.id) == "from":
            continue
        if figure is source.total:
            continue
        span = _sentence_of(spans, figure.start)
        named = _PUBLIC.search(text[span[0] : figure.start])
        if not named:
            continue
        subject = named.group(0)
        verdicts.append(
            judge(
                "difference",
                subject,
                operands,
                public,
                "EUR",
                _amount_stated(figure),
                ref=figure.id,
            )
        )
    return verdicts, Operand("public", public or Decimal(0), "EUR")


def target_verdicts(
    text: str, figures: tuple[Figure, ...], spans: list[tuple[int, int]]
) -> list[Verdict]:
    """Return the sum of targets and the achievement of each outcome counted in the same noun."""
    verdicts = []
    targets: dict[str, list[Figure]] = {}
    for start, end in spans:
        if not _TARGET.search(text[start:end]):
            continue
        for f in figures:
            if start <= f.start < end and f.unit == "number" and f.noun:
                targets.setdefault(f.noun, []).append(f)
    for noun, group in targets.items():
        if len(group) < 2:
            continue
        parts = tuple(Operand(label_before(text, f, spans, 3), f.value, noun, f.id) for f in group)
        total = compute("targets", parts) or Decimal(0)
        verdicts.append(Verdict("targets", "reported", noun, parts, total, noun, None))
        for f in figures:
            if f.noun == noun and f.unit == "number" and f not in group:
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


def _is_growth_gap(gap: str) -> bool:
    """Return True when the words between B and a rate make the rate B's growth from A."""
    bare = gap.strip()
    if bare in ("", "(", ",", ", soit", "(soit", "soit"):
        return True
    return len(gap) <= 80 and bool(_GROWTH_WORD.search(gap)) and bool(_GROWTH_GAP_END.search(gap))


def _clause(head: str) -> str:
    """Return the last clause of ``head``: what follows its last comma, colon or 'et'/'and'."""
    head = re.sub(r"\s+", " ", head).strip()
    parts = re.split(r",\s|:\s|;\s|\s(?:et|and|but|mais)\s", head)
    return parts[-1].strip() or head


def _unverifiable(
    relation: str, subject: str, operands: tuple[Operand, ...], figure: Figure, needs: str
) -> Verdict:
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
