"""Check the arithmetic of any text: its figures, the relations it asserts, their verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fundtrail.claims import growth, lists, relations, sentences
from fundtrail.claims.figures import Figure, find_figures, text_language
from fundtrail.claims.verdict import Operand, Verdict


@dataclass(frozen=True)
class TextCheck:
    """The figures of a text, their labels, and a verdict on each relation the text asserts."""

    text: str
    lang: str  # the language the text is written in, as detected
    figures: tuple[Figure, ...]
    labels: dict[str, str]  # figure id -> the words that name it
    verdicts: tuple[Verdict, ...]

    def counts(self) -> dict[str, int]:
        """Return how many verdicts have each status."""
        counts = {"consistent": 0, "contradicted": 0, "unverifiable": 0, "reported": 0}
        for verdict in self.verdicts:
            counts[verdict.status] += 1
        return counts

    def verdicts_on(self, figure_id: str) -> list[Verdict]:
        """Return the verdicts where ``figure_id`` is the stated figure or an operand."""
        return [
            v
            for v in self.verdicts
            if v.ref == figure_id or any(o.ref == figure_id for o in v.operands)
        ]

    def to_json(self) -> dict[str, Any]:
        """Return the check as JSON-ready data (decimals as strings)."""
        return {
            "lang": self.lang,
            "counts": self.counts(),
            "figures": [{**f.to_dict(), "label": self.labels.get(f.id, "")} for f in self.figures],
            "verdicts": [v.to_dict() for v in self.verdicts],
        }


def check_text(text: str) -> TextCheck:
    """Return the figures of ``text`` and a verdict on every relation it asserts."""
    lang = text_language(text)
    figures = find_figures(text, lang)
    spans = sentences.sentence_spans(text)
    amount_lists = lists.find_lists(text, figures)
    listed = {f.id for a in amount_lists for f in a.items} | {
        a.total.id for a in amount_lists if a.total is not None
    }
    labels = {f.id: sentences.label_before(text, f, spans) for f in figures}
    for found in amount_lists:
        labels.update({f.id: label for f, label in zip(found.items, found.labels, strict=True)})
        if found.total is not None:
            labels[found.total.id] = found.total_label
    used: set[str] = set()
    verdicts: list[Verdict] = lists.list_verdicts(amount_lists)
    verdicts += lists.inline_sum_verdicts(text, figures, spans, listed)
    verdicts += relations.share_verdicts(text, figures, amount_lists, spans, used)
    verdicts += relations.named_share_verdicts(text, figures, amount_lists, spans, used)
    growths, roles = growth.growth_verdicts(text, figures, spans, used)
    public, public_value = relations.public_verdicts(
        text, figures, amount_lists, spans, roles, listed
    )
    growths += growth.compared_growth_verdicts(text, figures, spans, used, roles)
    verdicts += public + growths
    current: dict[str, Figure | Operand] = {}
    totals = [a.total for a in amount_lists if a.total is not None]
    if totals:
        current["budget"] = totals[-1]
    if public_value is not None:
        current["public"] = public_value
    verdicts += growth.open_growth_verdicts(text, figures, spans, used, current)
    verdicts += relations.target_verdicts(text, figures, spans)
    return TextCheck(text, lang, figures, labels, tuple(verdicts))
