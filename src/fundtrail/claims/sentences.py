"""Positions in a text: sentences, the words before a figure, the last clause of a phrase."""

from __future__ import annotations

import re

from fundtrail.claims.figures import Figure
from fundtrail.claims.verdict import Operand, Stated
from fundtrail.claims.words import BULLETS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the text's sentences and list lines."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"[.!?;](?=\s|$)|\n", text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in spans if text[s[0] : s[1]].strip()]


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """Return the span of the sentence that holds position ``pos``."""
    for span in spans:
        if span[0] <= pos < span[1]:
            return span
    return (pos, pos)


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
