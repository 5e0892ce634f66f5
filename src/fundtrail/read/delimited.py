"""CSV, TSV and TXT files -> tables of numbered records, streamed with the csv module.

The first ``SAMPLE_BYTES`` decide the encoding (``read.encoding``), the separator (the one
under which a header line names the most SCDL fields, then the one that gives the most
regular rows) and the header line (``read.header``). The file is then read once, lazily, at
the csv module's speed: per row, Python only tests for blank rows, counts cells, and, for
the rare row whose count differs from the header's, pads or re-joins it (``read.ragged``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from fundtrail.errors import UnreadableError
from fundtrail.model import Note
from fundtrail.read import encoding as enc_mod
from fundtrail.read.bulk import BulkCsv
from fundtrail.read.header import HeaderChoice, find_header, is_repeated_header, labels
from fundtrail.read.model import Record, Table
from fundtrail.read.ragged import column_types, rejoin, unquote
from fundtrail.sources.headers import header_score

Opener = Callable[[], BinaryIO]

SAMPLE_BYTES = 256 * 1024
SEPARATORS = (";", ",", "\t", "|")
# A single cell may be large (a 50 MB free-text cell has been seen in hostile tests, never in
# real files), but never unbounded: beyond this the csv module stops with an error, which
# becomes a quarantined record, not a crash.
FIELD_SIZE_LIMIT = 64 * 1024 * 1024
_STRAY = ";,|\t"
_DIGIT = re.compile(r"\d")
_NUMERIC = {"amount", "date", "siret", "integer", "share", "period"}


def probe_column(header: list[str]) -> int | None:
    """Return the first column whose cells start with a digit in data rows, None if none.

    A data row's amount, date or identifier starts with a digit; a header line's label does
    not: a row is tested as a possible new header only when its probe cell does not.
    """
    return next((k for k, kind in enumerate(column_types(header)) if kind in _NUMERIC), None)


def _cut_at_line_end(sample: bytes, complete: bool) -> bytes:
    """Return the sample up to its last line end, so no character or row is cut in two."""
    if complete:
        return sample
    cut = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
    return sample[: cut + 1] if cut > 0 else sample


def _looks_binary(sample: bytes) -> bool:
    """Return True when the sample is not text: NUL bytes or control characters abound."""
    if not sample:
        return False
    controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


@dataclass
class _Dialect:
    separator: str
    choice: HeaderChoice
    rows: list[list[str]]  # the sample's rows under this separator


def _sample_rows(text: str, sep: str) -> list[list[str]]:
    """Return the sample's rows under ``sep``, up to the first row the csv module rejects."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error:
            return rows


def _sniff(text: str) -> _Dialect | None:
    """Return the separator and header line that fit the sample best, or None."""
    best: tuple[tuple[int, ...], _Dialect] | None = None
    for rank, sep in enumerate(SEPARATORS):
        rows = _sample_rows(text, sep)
        choice = find_header(rows)
        if choice is None:
            continue
        width = len(rows[choice.index])
        below = [r for r in rows[choice.index + 1 : choice.index + 51] if any(r)]
        regular = sum(1 for r in below if len(r) == width)
        key = (int(choice.recognised), choice.score, regular, width, -rank)
        if best is None or key > best[0]:
            best = (key, _Dialect(sep, choice, rows))
    return best[1] if best else None


@dataclass
class _Header:
    cells: list[str]
    row: int
    score: int
    recognised: bool
    notes: list[Note] = field(default_factory=list)
    stray: str = ""  # stray separator characters stripped from the end of every row


def _clean_header(raw: list[str], sep: str, sample_rows: list[list[str]]) -> _Header:
    """Return the header cells (BOM and blanks removed), widened to the data it sits on."""
    cells = [c.replace("\ufeff", "").strip() for c in raw]
    stray = ""
    if cells:
        last = cells[-1]
        trimmed = last.rstrip(_STRAY.replace(sep, ""))
        if trimmed != last and trimmed:
            stray = _STRAY.replace(sep, "")
            cells[-1] = trimmed
    published = len(cells)
    while cells and not cells[-1]:
        cells.pop()
    # Trailing unlabelled columns are dropped only when the data leaves them empty too; a
    # column with data but no label is kept (with an empty label). Cells beyond the
    # published header are ragged rows, handled row by row.
    used = max(
        (
            len(r) - next((k for k, c in enumerate(reversed(r)) if c.strip()), len(r))
            for r in sample_rows
        ),
        default=0,
    )
    cells += [""] * (min(used, published) - len(cells))
    header = _Header(cells, 0, header_score(cells), recognised=False)
    if stray:
        header.stray = stray
        header.notes.append(Note("stray-separators-stripped", value=raw[-1] if raw else None))
    return header


class _CsvSource:
    """One delimited file being read: its decision, its reader, its position."""

    def __init__(self, opener: Opener, name: str, path: Path | None = None) -> None:
        self.opener = opener
        self.name = name
        self.path = path
        self.fallback_before = 0
        self.mixed = False

    def tables(self) -> Iterator[Table]:
        """Yield the file's tables (usually one; one per repeated header line)."""
        with self.opener() as probe:
            sample = probe.read(SAMPLE_BYTES + 1)
        complete = len(sample) <= SAMPLE_BYTES
        sample = _cut_at_line_end(sample[:SAMPLE_BYTES], complete)
        if not sample.strip():
            raise UnreadableError("file-empty", "no text", path=self.name)
        enc = enc_mod.detect(sample, self.name)
        if enc.codec != "utf-16" and _looks_binary(sample):
            raise UnreadableError("file-binary", "control characters in the text", path=self.name)
        text = enc_mod.decode_sample(sample, enc)
        dialect = _sniff(text)
        if dialect is None:
            raise UnreadableError(
                "header-not-found", "no line of labels in the first rows", path=self.name
            )
        sep = dialect.separator
        start = dialect.choice.index
        header = _clean_header(dialect.rows[start], sep, dialect.rows[start + 1 : start + 200])
        header.recognised = dialect.choice.recognised
        if not header.recognised:
            header.notes.append(Note("header-unrecognised"))
        file_notes = [Note(code) for code in enc.notes]
        # Bytes the sample did not show (cp1252 late in a UTF-8 file) are noted when met.
        self.fallback_before = enc_mod.fallback_count()
        self.mixed = "encoding-mixed" in enc.notes or not enc.codec.startswith("utf-8")

        csv.field_size_limit(FIELD_SIZE_LIMIT)
        # The file is closed by the records iterator that meets its end (or is
        # abandoned), not here: a consumer may drop this generator and keep a table.
        raw = self.opener()
        stream = io.TextIOWrapper(raw, encoding=enc.codec, errors=enc.errors, newline="")
        reader = csv.reader(stream, delimiter=sep)
        state = _State(reader, stream)
        preamble = 0
        for _ in range(start):
            if state.next_row() is None:
                break
            preamble += 1
        if state.next_row() is None:
            stream.close()
            return
        header.row = state.row_start
        first = True
        while True:
            table = Table(
                name=self.name,
                sheet=None,
                format="csv",
                encoding=enc.label,
                separator=sep,
                header=header.cells,
                header_row=header.row,
                records=iter(()),
                notes=[*file_notes, *header.notes] if first else list(header.notes),
            )
            if first:
                table.stats.rows_preamble = preamble
                table.bulk = self._bulk(enc, sep, start, header, dialect.rows[start + 1 :])
            table.records = self._records(state, table, header, sep)
            yield table
            if table.bulk is not None and table.bulk.used:
                state.close()  # every record was staged by DuckDB: nothing left to read
                return
            for _ in table.records:  # a consumer that stopped early: drain, keep order
                pass
            if state.pending is None:
                return
            cells, line = state.pending
            state.pending = None
            header = _clean_header(cells, sep, [])
            header.row = line
            header.recognised = header.score >= 2
            first = False

    def _bulk(
        self, enc: enc_mod.Encoding, sep: str, start: int, header: _Header, below: list[list[str]]
    ) -> BulkCsv | None:
        """Return how DuckDB could read this file's first table, or None when it cannot."""
        if self.path is None or header.stray:
            return None
        widths = Counter(len(r) for r in below if any(c.strip() for c in r))
        width = widths.most_common(1)[0][0] if widths else len(header.cells)
        if width < len(header.cells):
            return None
        return BulkCsv(self.path, enc.codec, enc.errors, sep, start, width)

    def _records(self, state: _State, table: Table, header: _Header, sep: str) -> Iterator[Record]:
        """Yield the records under ``header`` until the file ends or a new header line.

        This is the hot loop of a million-row file: per row it does only what C-speed
        tests allow (blank row? first typed cell starts with a digit? as many cells as the
        header?) and leaves the rare rows (blank, ragged, a new header) to slower code.
        """
        cells_h = header.cells
        width = len(cells_h)
        header_labels = labels(cells_h)
        types = column_types(cells_h)
        probe = probe_column(cells_h)
        stats = table.stats
        stray = header.stray
        reader = state.reader
        line_end = state.line_end
        line = line_end
        try:
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    line = line_end + 1
                    stats.records += 1
                    note = Note("csv-unparseable", detail=str(error))
                    yield Record(line, [""] * width, (note,))
                    return
                line = line_end + 1
                line_end = reader.line_num
                if not (row and row[0].strip()) and not "".join(row).strip():
                    stats.rows_empty += 1
                    continue
                if stray and row[-1]:
                    row[-1] = row[-1].rstrip(stray)
                if probe is None:
                    candidate = row[0] == cells_h[0]
                else:
                    cell = row[probe] if probe < len(row) else ""
                    candidate = not cell[:1].isdigit() and (
                        not header_labels.isdisjoint(row) or not _DIGIT.search("".join(row))
                    )
                if candidate and is_repeated_header(row, cells_h, header.score):
                    state.pending = (row, line)
                    return
                count = len(row)
                stats.records += 1
                if count == width:
                    yield Record(line, row)
                elif count > width:
                    if not "".join(row[width:]).strip():
                        yield Record(line, row[:width])
                    else:
                        fitted, note = rejoin(row, cells_h, types, sep)
                        yield Record(line, fitted, (note,))
                else:
                    split = unquote(row, cells_h, types, sep)
                    if split is not None:
                        yield Record(line, split[0], split[1])
                        continue
                    note = Note("short-row", detail=f"{count} cells for {width} columns")
                    yield Record(line, row + [""] * (width - count), (note,))
        finally:
            state.line_end = line_end
            if not self.mixed and enc_mod.fallback_count() > self.fallback_before:
                self.mixed = True
                table.notes.append(Note("encoding-mixed"))
            if state.pending is None:  # the end of the file, or the consumer gave up
                state.close()


class _RowReader(Protocol):
    """What ``csv.reader`` gives: rows, and the count of physical lines read so far."""

    line_num: int

    def __next__(self) -> list[str]: ...


class _State:
    """The shared csv reader and the last physical line it has consumed (1-based)."""

    def __init__(self, reader: _RowReader, stream: io.TextIOWrapper) -> None:
        self.reader = reader
        self.stream = stream
        self.line_end = 0  # physical lines consumed so far
        self.row_start = 0  # first physical line of the row last given by next_row
        self.pending: tuple[list[str], int] | None = None

    def close(self) -> None:
        """Close the file (idempotent)."""
        self.stream.close()

    def next_row(self) -> list[str] | None:
        """Return the next row (None at the end); ``row_start`` is then its first line."""
        try:
            row: list[str] = next(self.reader)
        except StopIteration:
            return None
        self.row_start = self.line_end + 1
        self.line_end = self.reader.line_num
        return row


def read_delimited(opener: Opener, name: str, path: Path | None = None) -> Iterator[Table]:
    """Yield the tables of a delimited text file; raise UnreadableError when there are none.

    ``path``, when the bytes are a file on disk, lets the first table be staged in bulk.
    """
    yield from _CsvSource(opener, name, path).tables()
