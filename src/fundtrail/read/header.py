"""Where a table's header line is: the first rows are searched for known SCDL field names.

A header is the line that names the most canonical fields (``header_score`` >= 2) within the
first ``WINDOW`` rows; titles and notes above it are preamble. When no line names two fields
(a grant file with unusual labels, or a file that is no grant table at all), the first line
that *looks* like a header is taken instead, and the table says so: the pipeline, which maps
the header, decides whether the file is a grant table; the reader only must not lose it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fundtrail.sources.headers import header_score

WINDOW = 50  # rows searched for a header line; real files have at most ~10 title rows

# A cell that is a value rather than a label: a number, an amount, a date.
_VALUE = re.compile(r"^[\s\d.,/:\-+€%\u00a0\u202f]+$")


@dataclass(frozen=True)
class HeaderChoice:
    """The header line chosen among candidate rows: its index, score and how it was found."""

    index: int  # position in the rows given (0-based)
    score: int  # header_score of the line
    recognised: bool  # True when chosen for naming SCDL fields, False when by its shape


def is_blank(cells: Sequence[str]) -> bool:
    """Return True when every cell is empty or blank."""
    return not "".join(cells).strip()


def _looks_like_header(cells: Sequence[str], widest: int) -> bool:
    """Return True when a row is made of labels: at least two, filling half the width."""
    labels = [c for c in cells if c.strip()]
    if len(labels) < max(2, (widest + 1) // 2):
        return False
    return not any(_VALUE.match(c) for c in labels)


def find_header(rows: Sequence[Sequence[str]]) -> HeaderChoice | None:
    """Return the header line among the first rows of a table, or None when none fits."""
    window = rows[:WINDOW]
    best: HeaderChoice | None = None
    for index, cells in enumerate(window):
        if is_blank(cells):
            continue
        score = header_score(list(cells))
        if score >= 2 and (best is None or score > best.score):
            best = HeaderChoice(index, score, recognised=True)
    if best is not None:
        return best
    widest = max((sum(1 for c in cells if c.strip()) for cells in window), default=0)
    for index, cells in enumerate(window):
        has_rows_below = any(not is_blank(r) for r in window[index + 1 :])
        if has_rows_below and _looks_like_header(cells, widest):
            return HeaderChoice(index, header_score(list(cells)), recognised=False)
    return None


def labels(header: Sequence[str]) -> frozenset[str]:
    """Return the non-blank cells of a header line, for :func:`is_repeated_header`."""
    return frozenset(c for c in header if c.strip())


def is_repeated_header(cells: Sequence[str], header: Sequence[str], score: int) -> bool:
    """Return True when a row further down is the header line of a new sub-table.

    Called only for the few rows that could be one (sharing labels with the header, or
    holding no digit at all): data rows almost always hold an amount, a date or an id.
    A recognised header is followed by a line naming at least 60 % as many SCDL fields
    (spellings may change between sub-tables); an unrecognised one by the same labels.
    """
    if score < 2:
        return list(cells[: len(header)]) == list(header)
    return header_score(list(cells)) >= max(2, (score * 3 + 4) // 5)
