"""Positions in a text: sentences, the words before a figure, the last clause of a phrase."""

from __future__ import annotations

import bisect
import re

from fundtrail.claims.figures import Figure
from fundtrail.claims.verdict import Operand, Stated
from fundtrail.claims.words import BULLETS


class Spans(list[tuple[int, int]]):
    """Sentence spans in text order, with their starts kept for binary search."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        super().__init__(spans)
        self.starts = [start for start, _ in spans]


def sentence_spans(text: str) -> Spans:
    """Return the (start, end) spans of the text's sentences and list lines.

    A line break ends a sentence unless the text is plainly wrapped: the line does not end
    with punctuation and the next one goes on in lower case, with a digit or a bracket.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"[.!?;](?=\s|$)|\n", text):
        if match.group() == "\n" and _wrapped(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return Spans([s for s in spans if text[s[0] : s[1]].strip()])


def _wrapped(text: str, newline: int) -> bool:
    """Return True when the line break at ``newline`` only wraps a sentence."""
    before = text[:newline].rstrip(" \t")
    after = text[newline + 1 :].lstrip(" \t")
    if not before or not after or before[-1] in ".:;!?\n" or after[0] == "\n":
        return False
    return after[0].islower() or after[0].isdigit() or after[0] in "(€"


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """Return the span of the sentence that holds position ``pos`` (binary search)."""
    starts = spans.starts if isinstance(spans, Spans) else [start for start, _ in spans]
    index = bisect.bisect_right(starts, pos) - 1
    if index >= 0 and spans[index][0] <= pos < spans[index][1]:
        return spans[index]
    return (pos, pos)


def figures_in(figures: tuple[Figure, ...], start: int, end: int) -> list[Figure]:
    """Return the figures (in text order) that begin within ``[start, end)``."""
    low = bisect.bisect_left(figures, start, key=lambda f: f.start)
    high = bisect.bisect_left(figures, end, key=lambda f: f.start)
    return list(figures[low:high])


def is_amount(figure: Figure) -> bool:
    """Return True when ``figure`` can be an amount of money (euros or a bare number)."""
    return figure.unit == "EUR" or (figure.unit == "number" and figure.noun is None)


def label_before(text: str, figure: Figure, spans: list[tuple[int, int]], words: int = 6) -> str:
    """Return up to ``words`` words that precede ``figure`` in its sentence."""
    start = sentence_of(spans, figure.start)[0]
    head = re.sub(r"\s+", " ", text[start : figure.start]).strip(BULLETS + "( ")
    return " ".join(head.split(" ")[-words:])


def clause(head: str) -> str:
    """Return the last clause of ``head``: what follows its last comma, colon or 'et'/'and'."""
    head = re.sub(r"\s+", " ", head).strip()
    parts = re.split(r",\s|:\s|;\s|\s(?:et|and|but|mais)\s", head)
    return parts[-1].strip() or head


def operand(figure: Figure, label: str) -> Operand:
    """Return ``figure`` as an operand (a bare number counts as euros when it is an amount)."""
    unit = "EUR" if is_amount(figure) else figure.stated().unit
    return Operand(label, figure.value, unit, figure.id)


def amount_stated(figure: Figure) -> Stated:
    """Return ``figure`` as a stated amount in euros."""
    return Stated(figure.value, figure.quantum, figure.text, "EUR")
