"""XLSX, XLS and ODS workbooks -> one table per sheet that holds one, the others skipped.

python-calamine reads all three formats. Every sheet is considered, in workbook order:
an empty sheet, a sheet identical to an earlier one, and a sheet with no header line are
yielded as ``Skipped`` with the reason. When some sheet has a header naming SCDL fields, a
sheet whose header only *looks* like one (a summary by theme, notes) is skipped as not a
grant table; when none has, such sheets are kept as tables (flagged ``header-unrecognised``)
so that the pipeline, which maps headers, can say what is missing rather than find nothing.

Cell values become text as a person sees them in the spreadsheet program: integers without
".0", dates as ISO ``YYYY-MM-DD``, booleans as ``true``/``false``. A float is written with
the fewest digits that give back the stored float (``33992.72``); no digit is invented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from python_calamine import CalamineWorkbook

from fundtrail.errors import UnreadableError
from fundtrail.model import Note
from fundtrail.read.archive import BROKEN
from fundtrail.read.header import HeaderChoice, find_header, is_blank
from fundtrail.read.model import Record, Skipped, Table


def cell_text(value: object) -> str:
    """Return a spreadsheet cell's value as the text a person sees in the cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fingerprint(rows: Sequence[Sequence[str]]) -> str:
    """Return a digest of a sheet's non-blank rows, to find sheets that repeat another."""
    digest = hashlib.sha256()
    for row in rows:
        if not is_blank(row):
            digest.update("\x1f".join(row).rstrip("\x1f").encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
    return digest.hexdigest()


def _read_by_calamine(part: str) -> bool:
    """Return True for the XML parts of a workbook that calamine parses (data, not settings)."""
    if not part.endswith((".xml", ".rels")):
        return False
    return part in ("content.xml", "[Content_Types].xml") or part.startswith(("xl/", "_rels/"))


def _check_xml(path: Path, name: str) -> None:
    """Raise UnreadableError unless every XML part of an XLSX/ODS file is well-formed.

    calamine loops forever on some damaged XML (an ODS whose closing tags were cut was
    measured to hang it); expat, streaming at C speed, finds the damage first. Sizes were
    bounded before (``archive.check_workbook``), and expat refuses entity expansion bombs.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not _read_by_calamine(info.filename):
                    continue
                parser = expat.ParserCreate()
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except (expat.ExpatError, LookupError) as error:  # LookupError: unknown XML encoding
        raise UnreadableError("spreadsheet-corrupt", f"XML: {error}", path=name) from None
    except BROKEN as error:
        raise UnreadableError("spreadsheet-corrupt", str(error)[:200], path=name) from None


def _open(source: Path | BinaryIO, name: str) -> CalamineWorkbook:
    """Return the workbook, or raise UnreadableError when calamine cannot open it."""
    try:
        if isinstance(source, Path):
            return CalamineWorkbook.from_path(str(source))
        return CalamineWorkbook.from_filelike(source)
    except Exception as error:  # calamine raises its own error types for every defect
        raise UnreadableError("spreadsheet-corrupt", str(error)[:200], path=name) from None


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


def read_workbook(source: Path | BinaryIO, name: str, fmt: str) -> Iterator[Table | Skipped]:
    """Yield each sheet of a workbook as a Table or as Skipped with the reason."""
    if fmt in ("xlsx", "ods") and isinstance(source, Path):
        _check_xml(source, name)
    book = _open(source, name)
    sheets: list[tuple[str, list[list[str]] | None, HeaderChoice | None, Skipped | None]] = []
    seen: dict[str, str] = {}
    for sheet_name in book.sheet_names:
        try:
            raw = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as error:  # one damaged sheet does not stop the others
            detail = f"unreadable: {str(error)[:160]}"
            skip = Skipped(name, sheet_name, "sheet-unreadable", detail)
            sheets.append((sheet_name, None, None, skip))
            continue
        rows = [[cell_text(v) for v in row] for row in raw]
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
