"""XLSX, XLS and ODS workbooks -> one table per sheet that holds one, the others skipped.

python-calamine reads all three formats (in a child process, see ``read.workbook``).
Every sheet is considered, in workbook order:
an empty sheet, a sheet identical to an earlier one, and a sheet with no header line are
yielded as ``Skipped`` with the reason. When some sheet has a header naming SCDL fields, a
sheet whose header only *looks* like one (a summary by theme, notes) is skipped as not a
grant table; when none has, such sheets are kept as tables (flagged ``header-unrecognised``)
so that the pipeline, which maps headers, can say what is missing rather than find nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from fundtrail.errors import UnreadableError
from fundtrail.model import Note
from fundtrail.read.header import HeaderChoice, find_header, is_blank
from fundtrail.read.model import Record, Skipped, Table
from fundtrail.read.workbook import load_sheets


def _fingerprint(rows: Sequence[Sequence[str]]) -> str:
    """Return a digest of a sheet's non-blank rows, to find sheets that repeat another."""
    digest = hashlib.sha256()
    for row in rows:
        if not is_blank(row):
            digest.update("\x1f".join(row).rstrip("\x1f").encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
    return digest.hexdigest()


def _records(rows: list[list[str]], start: int, width: int, table: Table) -> Iterator[Record]:
    """Yield the records below the header, numbered as the sheet's 1-based rows."""
    for index in range(start, len(rows)):
        cells = rows[index]
        if is_blank(cells):
            table.stats.rows_empty += 1
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        table.stats.records += 1
        yield Record(index + 1, cells[:width])


def read_workbook(
    path: Path, name: str, fmt: str, timeout: float | None = None
) -> Iterator[Table | Skipped]:
    """Yield each sheet of a workbook as a Table or as Skipped with the reason.

    ``timeout`` bounds the seconds the workbook may take to load (see ``read.workbook``).
    """
    sheets: list[tuple[str, list[list[str]] | None, HeaderChoice | None, Skipped | None]] = []
    seen: dict[str, str] = {}
    for sheet_name, rows, trouble in load_sheets(path, name, fmt, timeout):
        if rows is None:
            skip = Skipped(name, sheet_name, "sheet-unreadable", trouble)
            sheets.append((sheet_name, None, None, skip))
            continue
        if all(is_blank(r) for r in rows):
            sheets.append((sheet_name, None, None, Skipped(name, sheet_name, "sheet-empty")))
            continue
        key = _fingerprint(rows)
        if key in seen:
            skip = Skipped(name, sheet_name, "sheet-duplicate", f"same as sheet {seen[key]!r}")
            sheets.append((sheet_name, None, None, skip))
            continue
        seen[key] = sheet_name
        choice = find_header(rows)
        if choice is None:
            skip = Skipped(name, sheet_name, "sheet-not-a-grant-table", "no header line")
            sheets.append((sheet_name, None, None, skip))
            continue
        sheets.append((sheet_name, rows, choice, None))

    any_recognised = any(c is not None and c.recognised for _, _, c, _ in sheets)
    if not any(c is not None for _, _, c, _ in sheets):
        reasons = ", ".join(f"{s}: {k.code}" for s, _, _, k in sheets if k is not None)
        raise UnreadableError("spreadsheet-no-table", reasons or "no sheet", path=name)
    for sheet_name, kept, choice, skipped in sheets:
        if skipped is not None:
            yield skipped
            continue
        assert kept is not None and choice is not None
        if any_recognised and not choice.recognised:
            detail = "no line names two SCDL fields"
            yield Skipped(name, sheet_name, "sheet-not-a-grant-table", detail)
            continue
        yield _table(kept, choice, name, sheet_name, fmt)


def _table(rows: list[list[str]], choice: HeaderChoice, name: str, sheet: str, fmt: str) -> Table:
    """Return the Table of one sheet whose header line is ``choice``."""
    header = [c.replace("\ufeff", "").strip() for c in rows[choice.index]]
    # The table is as wide as its widest data: a column with values and no label is kept.
    width = max(
        (
            len(r) - next((k for k, c in enumerate(reversed(r)) if c.strip()), len(r))
            for r in rows[choice.index :]
        ),
        default=0,
    )
    header = (header + [""] * width)[:width]
    table = Table(
        name=name,
        sheet=sheet,
        format=fmt,
        encoding=None,
        separator=None,
        header=header,
        header_row=choice.index + 1,
        records=iter(()),
        notes=[] if choice.recognised else [Note("header-unrecognised")],
    )
    table.stats.rows_preamble = choice.index
    table.records = _records(rows, choice.index + 1, width, table)
    return table
