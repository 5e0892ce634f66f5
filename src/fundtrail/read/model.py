"""What the readers give back: tables of numbered records, decoded but otherwise as published."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fundtrail.model import Note
from fundtrail.read.bulk import BulkCsv


@dataclass
class Record:
    """One non-empty data record.

    ``row`` is where the record starts in the file as a person would find it: the 1-based
    physical line of a CSV (a record with line breaks inside quoted cells starts at its first
    line), the 1-based row of a spreadsheet sheet, the 1-based index of a JSON record.
    ``cells`` has exactly one string per header cell (``''`` for an absent value).
    ``notes`` says what the reader did to this record (a ragged row re-joined: a repair) or
    could not do (a ragged row that cannot be re-joined without ambiguity: an error issue,
    which quarantines the record; its cells then hold what could be read).
    """

    row: int
    cells: list[str]
    notes: tuple[Note, ...] = ()


@dataclass
class ReadStats:
    """Counts a table accumulates while its records are consumed."""

    rows_empty: int = 0  # blank or all-empty physical rows inside the table
    records: int = 0  # records yielded so far (equals the count once ``records`` is exhausted)
    rows_preamble: int = 0  # rows above the header line (titles, notes) that are not records


@dataclass
class Table:
    """One grant table candidate found in a file: a header line and the records under it.

    ``records`` is lazy: consume it fully before asking the source for its next table
    (sub-tables of one CSV share the file's reader).
    """

    name: str  # the file's name; inside an archive "archive.zip!inner/file.csv"
    sheet: str | None
    format: str  # "csv", "xlsx", "xls", "ods", "json"
    encoding: str | None
    separator: str | None
    header: list[str]  # header cells as published, BOM and surrounding blanks removed
    header_row: int  # where the header line is (same numbering as Record.row)
    records: Iterator[Record]
    stats: ReadStats = field(default_factory=ReadStats)
    notes: list[Note] = field(default_factory=list)  # table-level: encoding mislabelled, ...
    # A regular delimited file can be staged by DuckDB instead of through ``records``
    # (see ``read.bulk``); the stager sets ``bulk.used`` when it did.
    bulk: BulkCsv | None = None


@dataclass(frozen=True)
class Skipped:
    """A sheet or part of a file that is not a grant table, with a catalogue ``code`` saying why."""

    name: str
    sheet: str | None
    code: str
    detail: str | None = None
