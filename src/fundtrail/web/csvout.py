"""CSV exports that are safe to open in a spreadsheet, streamed without a row cap.

A text cell that begins with ``= + - @`` or a control character would be read by a
spreadsheet as a formula (CSV injection); such a cell is written with a leading
apostrophe, which spreadsheets show as text. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_DANGEROUS_START = ("=", "+", "-", "@")


def neutralise(text: str) -> str:
    """Return ``text`` made inert for spreadsheets: formula-like cells get a leading "'"."""
    if text and (text.startswith(_DANGEROUS_START) or ord(text[0]) < 32 or text[0] == "\x7f"):
        return "'" + text
    return text


def cell(value: Any) -> str:
    """Return one value as a CSV cell: exact decimals, ISO dates, JSON for lists, text inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return neutralise(json.dumps(value, ensure_ascii=False, default=str))
    return neutralise(str(value))


def _line(values: Sequence[str]) -> str:
    """Return one CSV line (RFC 4180 quoting, CRLF)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def csv_lines(
    batches: Iterable[tuple[list[str], Sequence[Sequence[Any]]]],
    columns: Sequence[str] | None = None,
) -> Iterator[str]:
    """Yield a byte-order mark and header, then every row of ``batches``, as CSV text."""
    header_sent = False
    if columns is not None:
        yield "\ufeff" + _line([neutralise(c) for c in columns])
        header_sent = True
    for names, chunk in batches:
        if not header_sent:
            yield "\ufeff" + _line([neutralise(n) for n in names])
            header_sent = True
        yield "".join(_line([cell(v) for v in row]) for row in chunk)


def dict_rows_csv(table: list[dict[str, Any]]) -> Iterator[str]:
    """Yield a small table of dictionaries (a page's table) as CSV text."""
    columns = list(table[0].keys()) if table else []
    yield from csv_lines([(columns, [[row.get(c) for c in columns] for row in table])], columns)
