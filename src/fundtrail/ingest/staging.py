"""Records -> a temporary DuckDB table of text cells: by DuckDB's CSV reader for a regular file,
else from the Python reader's records in Arrow batches (never row by row in SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from fundtrail.read.bulk import UTF8_CODECS, BulkCsv, Layout, scan_layout, utf8_copy
from fundtrail.read.delimited import probe_column
from fundtrail.read.header import is_repeated_header, labels
from fundtrail.read.model import Record, Table
from fundtrail.sources.headers import header_score

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


# Python's str.isspace() characters: a row is blank when every cell is made of them.
_SPACE = (
    "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)
CANDIDATE_BATCH = 10_000


def stage_bulk(con: duckdb.DuckDBPyConnection, table: Table) -> Staged | None:
    """Return what was staged after loading ``table`` with DuckDB's CSV reader, or None.

    None means the file is not regular enough to be read that way (ragged rows, a
    sub-table, a stray separator, bytes the Python reader would decode with its fallback,
    a layout DuckDB and the line scan disagree on): nothing is staged, and the caller
    reads the records in Python. When it succeeds the stage holds exactly the records the
    Python reader would have given (same line numbers, same cells), which the tests check
    file by file on the real files.
    """
    bulk = table.bulk
    if bulk is None:
        return None
    con.execute("DROP TABLE IF EXISTS stage")  # the previous file's, before this one loads
    copy: Path | None = None
    try:
        path = bulk.path
        if bulk.codec not in UTF8_CODECS:
            copy = path = utf8_copy(bulk, _temp_folder(con))
        layout = scan_layout(path, bulk.separator)
        if layout is None:
            return None
        return _stage_layout(con, table, bulk, path, layout)
    except (OSError, UnicodeError):
        return None  # no room for the copy, a byte the codec refuses: the Python reader's
    finally:
        if copy is not None:
            copy.unlink(missing_ok=True)


def _temp_folder(con: duckdb.DuckDBPyConnection) -> str | None:
    """Return the store's temporary folder when it has one (next to the store file)."""
    ((setting,),) = con.execute("SELECT current_setting('temp_directory')").fetchall()
    folder = str(setting or "")
    return folder if folder and Path(folder).is_dir() else None


def _stage_layout(
    con: duckdb.DuckDBPyConnection, table: Table, bulk: BulkCsv, path: Path, layout: Layout
) -> Staged | None:
    header_at = bulk.header_index
    if header_at >= layout.starts.size or not bool(layout.single_line[: header_at + 1].all()):
        return None
    if int(layout.starts[header_at]) != table.header_row:
        return None
    below = slice(header_at + 1, None)
    kept = ~layout.empty[below]
    lines = layout.starts[below][kept].astype(np.int32)
    empty_lines = int(layout.empty[below].sum())
    width = len(table.header)
    physical = [f"c{i}" for i in range(bulk.width)]
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in physical) + "}"
    source = str(path).replace("'", "''")
    delimiter = bulk.separator.replace("'", "''")
    reader = (
        f"read_csv('{source}', delim = '{delimiter}', quote = '\"', escape = '\"', "
        f"header = false, skip = {header_at + 1}, auto_detect = false, columns = {columns}, "
        "strict_mode = true, null_padding = false, encoding = 'utf-8')"
    )
    # DuckDB's default line limit (2 MB) is kept: its read buffer is 16 lines long, so a
    # larger limit asks for more memory than the store's limit on a big file. A longer line
    # (a hostile 50 MB cell) makes the read fail and the Python reader take the file.
    cells = ", ".join(f"coalesce({c}, '') AS {c}" for c in physical)
    # One statement reads the file and numbers its records: the layout's line numbers are
    # joined by position (both are in file order), so the cells never pass through Python
    # (measured at 1M rows: 3.7 s of CPU through Arrow batches, 1.9 s this way). A count
    # that differs pads the shorter side with NULLs, which the check below finds.
    con.execute("DROP TABLE IF EXISTS bulk_raw")
    numbers = pa.table({"row_number": pa.array(lines, pa.int32())})
    con.register("bulk_lines", numbers)
    try:
        con.execute(
            "CREATE TEMP TABLE bulk_raw AS SELECT n.row_number, r.* FROM bulk_lines n "
            f"POSITIONAL JOIN (SELECT {cells} FROM {reader}) r"
        )
    except duckdb.Error:
        # Ragged rows, bad bytes, odd quoting: the Python reader's work. This runs before
        # the file's transaction begins (see ``ingest.pipeline``), so the failed statement
        # aborts nothing.
        return None
    finally:
        con.unregister("bulk_lines")
    ((unmatched,),) = con.execute(
        "SELECT count(*) FROM bulk_raw WHERE row_number IS NULL OR c0 IS NULL"
    ).fetchall()
    if unmatched:  # DuckDB and the layout disagree on the number of records
        con.execute("DROP TABLE bulk_raw")
        return None
    try:
        return _finish_bulk(con, table, bulk, physical, width, empty_lines)
    except duckdb.Error:
        return None  # a check DuckDB could not run: the Python reader decides
    finally:
        con.execute("DROP TABLE IF EXISTS bulk_raw")


def _finish_bulk(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    bulk: BulkCsv,
    physical: list[str],
    width: int,
    empty_lines: int,
) -> Staged | None:
    extra = physical[width:]
    if extra:
        # Cells beyond the header are dropped only when blank; otherwise the row is
        # ragged and the Python reader re-joins it.
        spill = " || ".join(extra)
        ((ragged,),) = con.execute(
            f"SELECT count(*) FROM bulk_raw WHERE NOT regexp_full_match({spill}, '{_SPACE}*')"
        ).fetchall()
        if ragged:
            return None
    kept = [f"c{i}" for i in range(width)]
    ((total,),) = con.execute("SELECT count(*) FROM bulk_raw").fetchall()
    # The rows are already in file order: blank ones and blank spill columns are dropped
    # in place, and the table becomes the stage without a copy. Blank rows go first, so
    # that the sub-table test need not tell them apart again.
    con.execute(f"DELETE FROM bulk_raw WHERE {_blank(physical)}")
    if _has_sub_table(con, table, physical):
        return None
    for column in physical[width:]:
        con.execute(f"ALTER TABLE bulk_raw DROP COLUMN {column}")
    con.execute("DROP TABLE IF EXISTS stage")
    con.execute("DROP TABLE IF EXISTS stage_notes")
    con.execute("ALTER TABLE bulk_raw RENAME TO stage")
    con.execute(
        "CREATE TEMP TABLE stage_notes (row_number INTEGER, field VARCHAR, code VARCHAR, "
        "value VARCHAR, detail VARCHAR)"
    )
    ((rows,),) = con.execute("SELECT count(*) FROM stage").fetchall()
    table.stats.records = rows
    table.stats.rows_empty = empty_lines + total - rows
    bulk.used = True
    return Staged(columns=kept, rows=rows)


def _blank(columns: list[str]) -> str:
    """SQL that is true when every cell of ``columns`` is blank, tested column by column so
    that most rows are settled by their first cell (no concatenated copy of each row).
    """
    return "(" + " AND ".join(f"regexp_full_match({c}, '{_SPACE}*')" for c in columns) + ")"


def _has_sub_table(con: duckdb.DuckDBPyConnection, table: Table, physical: list[str]) -> bool:
    """Return True when a row below is the header line of a new sub-table (see
    ``read.delimited``: the same candidate test, here in SQL, then the Python one).

    Blank rows are already gone. The candidates (rows whose probe cell does not start with
    a digit and that share a label with the header or hold no digit at all) are few, a few
    thousand per million rows, and are read in batches until one is a header line.
    """
    header = table.header
    probe = probe_column(header)
    row_list = "[" + ", ".join(physical) + "]"
    params: list[Any]
    if probe is None:
        condition = "c0 = ?"
        params = [header[0]]
    else:
        condition = (
            # Starts with an ASCII digit: ">= '0' AND < ':'" in byte order says what
            # '^[0-9]' says, at a third of the cost.
            f"NOT (c{probe} >= '0' AND c{probe} < ':') AND (list_has_any({row_list}, ?) "
            f"OR NOT regexp_matches({' || '.join(physical)}, '[0-9]'))"
        )
        params = [sorted(labels(header))]
    score = header_score(header)
    result = con.execute(f"SELECT {row_list} FROM bulk_raw WHERE {condition}", params)
    while batch := result.fetchmany(CANDIDATE_BATCH):
        if any(is_repeated_header(list(row), header, score) for (row,) in batch):
            result.fetchall()  # settle the connection before its next statement
            return True
    return False
