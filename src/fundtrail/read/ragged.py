"""Rows with more cells than the header: the split is undone only when one way fits.

Vendée's comma-separated files write amounts ``100 000,00`` and free text with commas, all
unquoted, so a row of 14 fields comes out in 15 to 18 cells. Undoing that means choosing,
for each column, a run of adjacent cells to glue back with the separator. A choice is
*plausible* when every typed column (amount, identifier, date, period, boolean, share,
nature, as ``sources.fields`` types them) holds a value of its type; free-text columns take
anything. The row is re-joined only when exactly one plausible choice exists; with none or
several, the row keeps its cells as read (the surplus glued into the last column, so that
nothing is lost) and gets an error note that quarantines it. Values are never shifted on a
guess.

One assumption is made, and only for comma-separated files: a bare number in thousands
groups (``100 000``, ``975``) followed by a two-digit cell (``00``) is one decimal-comma
number. Without it, ``58 400,50`` could also be read as text ending in ``58 400`` followed
by an amount of ``50``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from fundtrail.model import Note
from fundtrail.sources.fields import FIELDS
from fundtrail.sources.headers import canonical_name

MAX_TYPED_SPAN = 4  # a typed value never spans more than 4 cells (1,234,567.00)
MAX_CELLS = 400  # beyond this the row is not worth a search: it is quarantined as read

_AMOUNT = (
    r"-?(?:0|[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+|[1-9]\d*)(?:[.,]\d+)?"
    r"(?:\s?(?:€|euros?|EUR))?"
)
_DATE = r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{4}/\d{2}/\d{2}|\d{4}(?:-\d{2})?|\d{5}"
_NATURE_ONE = r"(?:(?:aide\s+)?en\s+)?(?:num[ée]raire|nature|financier|financi[èe]re)"

PATTERNS: dict[str, re.Pattern[str]] = {
    "amount": re.compile(rf"\s*(?:{_AMOUNT})?\s*"),
    "siret": re.compile(r"[\d\s\u00a0.']*"),
    "rna": re.compile(r"\s*(?:[Ww][\d\s]*)?\s*"),
    "date": re.compile(rf"\s*(?:{_DATE})?\s*"),
    "period": re.compile(r"[\d\s\-/_.;:]*"),
    "boolean": re.compile(r"\s*(?:oui|non|true|false|yes|no|vrai|faux|o|n|0|1)?\s*", re.I),
    "share": re.compile(r"\s*(?:\d+(?:[.,]\d+)?\s*%?)?\s*"),
    "nature": re.compile(rf"\s*(?:{_NATURE_ONE}(?:\s*(?:[;,/]|et)\s*{_NATURE_ONE})*)?\s*", re.I),
    "integer": re.compile(r"\s*(?:-?\d+)?\s*"),
}
_PARSERS = {f.name: f.parser for f in FIELDS}

_GROUPED = re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})*")
_CENTS = re.compile(r"\d{2}")


def column_types(header: Sequence[str]) -> tuple[str, ...]:
    """Return the value type of each header cell ("text" when free or unknown)."""
    types = []
    for cell in header:
        name = canonical_name(cell)
        parser = _PARSERS.get(name, "text") if name else "text"
        types.append(parser if parser in PATTERNS else "text")
    return tuple(types)


def _premerge(cells: Sequence[str], sep: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Return the cells with split decimal-comma numbers glued, and each cell's source span."""
    merged: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(cells):
        if (
            sep == ","
            and i + 1 < len(cells)
            and _GROUPED.fullmatch(cells[i])
            and _CENTS.fullmatch(cells[i + 1])
        ):
            merged.append(cells[i] + "," + cells[i + 1])
            spans.append((i, i + 2))
            i += 2
        else:
            merged.append(cells[i])
            spans.append((i, i + 1))
            i += 1
    return merged, spans


def _splits(cells: Sequence[str], types: Sequence[str], sep: str) -> list[list[int]]:
    """Return up to two plausible splits, each as the end index (exclusive) of every column."""
    n, h = len(cells), len(types)
    found: list[list[int]] = []

    @cache
    def count(i: int, j: int) -> int:
        # Number of plausible ways (capped at 2) to give cells[i:] to columns[j:].
        if j == h:
            return 1 if i == n else 0
        remaining = h - j - 1
        last_end = n - remaining
        kind = types[j]
        if kind != "text":
            last_end = min(last_end, i + MAX_TYPED_SPAN)
        total = 0
        for end in range(i + 1, last_end + 1):
            if kind != "text" and not PATTERNS[kind].fullmatch(sep.join(cells[i:end])):
                continue
            total += count(end, j + 1)
            if total >= 2:
                return 2
        return total

    def walk(i: int, j: int, ends: list[int]) -> None:
        if len(found) >= 2:
            return
        if j == h:
            if i == n:
                found.append(list(ends))
            return
        last_end = n - (h - j - 1)
        kind = types[j]
        if kind != "text":
            last_end = min(last_end, i + MAX_TYPED_SPAN)
        for end in range(i + 1, last_end + 1):
            if kind != "text" and not PATTERNS[kind].fullmatch(sep.join(cells[i:end])):
                continue
            if count(end, j + 1):
                walk(end, j + 1, [*ends, end])

    if count(0, 0):
        walk(0, 0, [])
    return found


def rejoin(
    cells: Sequence[str], header: Sequence[str], types: Sequence[str], sep: str
) -> tuple[list[str], Note]:
    """Return a ragged row's cells fitted to the header and the note saying what was done.

    The note is ``ragged-row-rejoined`` (a repair, detail naming the glued cells, 1-based)
    when exactly one plausible split exists, else ``ragged-row-ambiguous`` or
    ``ragged-row-unrecoverable`` (errors); ``value`` always holds the row as published.
    """
    raw = sep.join(cells)
    h = len(header)
    merged, spans = _premerge(cells, sep)
    found = _splits(merged, types, sep) if len(merged) <= MAX_CELLS else []
    if len(found) == 1:
        out: list[str] = []
        joins: list[str] = []
        start = 0
        for column, end in enumerate(found[0]):
            first, last = spans[start][0], spans[end - 1][1]
            out.append(sep.join(cells[first:last]))
            if last - first > 1:
                joins.append(f"{first + 1}-{last}>{header[column] or column + 1}")
            start = end
        return out, Note("ragged-row-rejoined", value=raw, detail="; ".join(joins))
    code = "ragged-row-ambiguous" if found else "ragged-row-unrecoverable"
    best = [*cells[: h - 1], sep.join(cells[h - 1 :])]
    return best, Note(code, value=raw, detail=f"{len(cells)} cells for {h} columns")


def unquote(
    cells: Sequence[str], header: Sequence[str], types: Sequence[str], sep: str
) -> tuple[list[str], tuple[Note, ...]] | None:
    """Return a short row split again when it was quoted whole, or None when it was not.

    An Excel round trip of a comma file read as one column writes each line as a single
    quoted cell (Vendée 2018): the csv module then sees one or a few cells holding the
    separator. Split again without quote rules, the row is kept only if it fits the header
    like any ragged row (``rejoin``); the ``row-unquoted`` note keeps the line as read.
    """
    # Whole-line quoting starts at the line's first character: the first cell then holds
    # separators. A quoted cell further along (a truncated file's unclosed quote) does not.
    if not cells or sep not in cells[0]:
        return None
    joined = sep.join(cells)
    pieces = joined.split(sep)
    if len(pieces) < len(header):
        return None
    fitted, note = rejoin(pieces, header, types, sep)
    if note.code == "ragged-row-unrecoverable":
        return None
    first = Note(
        "row-unquoted", value=joined, detail=f"{len(cells)} cells split into {len(pieces)}"
    )
    if note.code == "ragged-row-rejoined" and not note.detail:
        return fitted, (first,)
    return fitted, (first, note)
