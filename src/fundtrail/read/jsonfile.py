"""JSON files -> one table: an array of records, or an object that holds one.

Accepted shapes: ``[{...}, ...]``; ``{"data": [{...}, ...]}`` (any key, searched two levels
deep, the longest array of objects wins); ``[["h1", "h2"], [v1, v2], ...]`` (first array is
the header). The header is the union of the records' keys in first-seen order, as published
(case kept: ``canonical_name`` folds case later). Nested values are kept as JSON text,
numbers as published (``10000.0`` stays ``10000.0``: floats are parsed as Decimal).

A JSON file is parsed whole, so its size is bounded (``MAX_JSON_BYTES``), and Python's
parser refuses nesting deeper than its recursion limit: that becomes ``json-too-deep``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fundtrail.errors import UnreadableError
from fundtrail.model import Note
from fundtrail.read.model import Record, Table

MAX_JSON_BYTES = 512 * 1024 * 1024


def _text(value: Any) -> str:
    """Return a JSON value as cell text: scalars as written, containers as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _records_array(data: Any) -> list[Any] | None:
    """Return the array of records in a parsed document, or None when there is none."""
    if isinstance(data, list):
        if any(isinstance(v, dict) for v in data) or (
            data and all(isinstance(v, list) for v in data)
        ):
            return data
        return None
    if not isinstance(data, dict):
        return None
    candidates: list[list[Any]] = []
    for value in data.values():
        if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            candidates.append(value)
        elif isinstance(value, dict):
            candidates.extend(
                inner
                for inner in value.values()
                if isinstance(inner, list) and any(isinstance(v, dict) for v in inner)
            )
    return max(candidates, key=len) if candidates else None


def read_json(data: bytes, name: str) -> Table:
    """Return the table of a JSON document; raise UnreadableError when it holds none."""
    if len(data) > MAX_JSON_BYTES:
        raise UnreadableError("json-too-large", f"{len(data)} bytes", path=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        document = json.loads(text, parse_float=Decimal)
    except RecursionError:
        detail = "nesting beyond the parser's limit"
        raise UnreadableError("json-too-deep", detail, path=name) from None
    except ValueError as error:
        raise UnreadableError("json-invalid", str(error)[:200], path=name) from None
    items = _records_array(document)
    if not items:
        raise UnreadableError("json-no-records", "no array of objects", path=name)

    header: list[str] = []
    positions: dict[str, int] = {}
    first = 0
    if all(isinstance(i, list) for i in items) and all(isinstance(c, str) for c in items[0]):
        header = [c.strip() for c in items[0]]
        first = 1
    else:
        for item in items:
            if isinstance(item, dict):
                for key in item:
                    if key not in positions:
                        positions[key] = len(header)
                        header.append(key)
    table = Table(
        name=name,
        sheet=None,
        format="json",
        encoding="utf-8",
        separator=None,
        header=header,
        header_row=first,  # 0: the keys of each record; 1: a first array of labels
        records=iter(()),
    )
    table.records = _records(items, first, header, positions, table)
    return table


def _records(
    items: list[Any], first: int, header: list[str], positions: dict[str, int], table: Table
) -> Iterator[Record]:
    """Yield one record per array item, numbered from 1 (the item's position)."""
    width = len(header)
    for index in range(first, len(items)):
        item = items[index]
        cells = [""] * width
        notes: tuple[Note, ...] = ()
        if isinstance(item, dict):
            if not item:
                table.stats.rows_empty += 1
                continue
            for key, value in item.items():
                cells[positions[key]] = _text(value)
        elif isinstance(item, list) and first == 1:
            values = [_text(v) for v in item]
            cells = (values + cells)[:width]
            if len(values) > width:
                notes = (Note("json-record-not-object", value=_text(item), detail="too long"),)
        else:
            notes = (Note("json-record-not-object", value=_text(item)[:1000]),)
        if not notes and not "".join(cells).strip():
            table.stats.rows_empty += 1
            continue
        table.stats.records += 1
        yield Record(index + 1, cells, notes)
