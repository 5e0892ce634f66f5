"""Records -> a temporary DuckDB table of text cells, in Arrow batches (never row by row in SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from fundtrail.read.model import Record

BATCH_ROWS = 50_000


@dataclass
class Staged:
    """A table staged as ``stage`` (row_number, c0..cN) and its reader notes as ``stage_notes``."""

    columns: list[str]
    rows: int


def stage_records(con: duckdb.DuckDBPyConnection, width: int, records: Iterable[Record]) -> Staged:
    """Return what was staged after loading ``records`` into ``stage`` and ``stage_notes``.

    Cells are kept as text exactly as the reader gave them; the batches go through Arrow so
    that DuckDB ingests columns, not Python rows.
    """
    columns = [f"c{i}" for i in range(width)]
    con.execute("DROP TABLE IF EXISTS stage")
    con.execute("DROP TABLE IF EXISTS stage_notes")
    con.execute(
        "CREATE TEMP TABLE stage (row_number INTEGER, "
        + ", ".join(f"{c} VARCHAR" for c in columns)
        + ")"
    )
    con.execute(
        "CREATE TEMP TABLE stage_notes (row_number INTEGER, field VARCHAR, code VARCHAR, "
        "value VARCHAR, detail VARCHAR)"
    )
    schema = pa.schema([("row_number", pa.int32())] + [(c, pa.string()) for c in columns])
    note_schema = pa.schema(
        [
            ("row_number", pa.int32()),
            ("field", pa.string()),
            ("code", pa.string()),
            ("value", pa.string()),
            ("detail", pa.string()),
        ]
    )
    rows = 0
    numbers: list[int] = []
    cells: list[list[str]] = []
    notes: list[tuple[int, str | None, str, str | None, str | None]] = []

    def flush() -> None:
        if numbers:
            by_column = list(zip(*cells, strict=True)) if cells else [()] * width
            batch = pa.Table.from_arrays(
                [pa.array(numbers, pa.int32())] + [pa.array(col, pa.string()) for col in by_column],
                schema=schema,
            )
            con.register("stage_batch", batch)
            con.execute("INSERT INTO stage SELECT * FROM stage_batch")
            con.unregister("stage_batch")
        if notes:
            batch = pa.Table.from_pylist(
                [dict(zip(note_schema.names, n, strict=True)) for n in notes], schema=note_schema
            )
            con.register("notes_batch", batch)
            con.execute("INSERT INTO stage_notes SELECT * FROM notes_batch")
            con.unregister("notes_batch")
        numbers.clear()
        cells.clear()
        notes.clear()

    for record in records:
        numbers.append(record.row)
        cells.append(record.cells)
        for note in record.notes:
            notes.append((record.row, note.field, note.code, note.value, note.detail))
        rows += 1
        if len(numbers) >= BATCH_ROWS:
            flush()
    flush()
    return Staged(columns=columns, rows=rows)
