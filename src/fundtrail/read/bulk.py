"""A regular delimited file's layout, found without reading its rows in Python.

The csv module costs some 12 seconds of CPU per million rows; DuckDB's own CSV reader
parses the same cells in parallel at a sixth of that. What DuckDB cannot say is where each
record starts in the file (a record with line breaks in a quoted cell spans several lines,
blank lines are skipped), and that line is what every quarantined row and repair names.

``scan_layout`` finds it with vectorised byte scans (numpy): the physical line each csv
record starts on, which records are empty lines, and whether the file has anything the
csv module would read differently from a plain quote-parity model (a lone carriage
return, an unclosed quote at the end). The bulk staging (``fundtrail.ingest.staging``)
checks DuckDB's row count against this layout and falls back to the Python reader when
anything disagrees, so a file is never read two different ways.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

CHUNK_BYTES = 32 * 1024 * 1024
_QUOTE, _NEWLINE, _RETURN = 34, 10, 13
UTF8_CODECS = {"utf-8", "utf-8-sig"}


@dataclass
class BulkCsv:
    """What the bulk staging needs to read a delimited file with DuckDB instead of Python."""

    path: Path  # the file as stored
    codec: str  # Python codec of the file (transcoded to UTF-8 first when not UTF-8)
    errors: str  # the errors handler the Python reader uses for that codec
    separator: str
    header_index: int  # csv rows (blank ones included) above the header row
    width: int  # cells of the header row as published (the physical column count)
    used: bool = False  # set by the staging once every record was staged in bulk


@dataclass
class Layout:
    """Where the records of a file start: one entry per csv record, in file order."""

    starts: npt.NDArray[np.int32]  # 1-based physical line each record starts on
    empty: npt.NDArray[np.bool_]  # the record is an empty line ("" or a lone "\r")
    single_line: npt.NDArray[np.bool_]  # the record fits on its first line


def scan_layout(path: Path, separator: str) -> Layout | None:
    """Return the layout of the UTF-8 file at ``path``, or None when a quote-parity model
    cannot be trusted for it: a lone carriage return, a quote left open at the end, or a
    quote that neither opens nor closes a cell (``24" et 27"``, ``"V" ;``, ``"ab"c``),
    which the csv module reads leniently and DuckDB its own way.
    """
    sep = ord(separator)
    # Line numbers fit in 32 bits (a 2**31-line file is far beyond any publisher's), which
    # halves what ten million records cost here.
    starts: list[npt.NDArray[np.int32]] = []
    ends: list[npt.NDArray[np.int32]] = []
    empty: list[npt.NDArray[np.bool_]] = []
    parity = 0  # quotes seen so far, modulo 2
    lines_before = 0  # newlines in the chunks before this one
    record_line = 1  # the line the current (unfinished) record starts on
    record_offset = 0  # the byte where the current record starts
    offset = 0
    last_byte = -1
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            data = np.frombuffer(chunk, np.uint8)
            returns = np.flatnonzero(data == _RETURN)
            if returns.size:
                after = returns + 1
                inside = after < data.size
                if not np.all(data[after[inside]] == _NEWLINE):
                    return None
                if not inside[-1]:
                    # A chunk ending in "\r": its "\n" must be the next chunk's first byte.
                    peek = handle.read(1)
                    if peek != b"\n":
                        return None
                    handle.seek(-1, os.SEEK_CUR)
            newlines = np.flatnonzero(data == _NEWLINE)
            quotes = np.flatnonzero(data == _QUOTE)
            if quotes.size and not _quotes_at_cell_edges(data, quotes, sep, last_byte, handle):
                return None
            # A newline ends a record when an even number of quotes precede it.
            before = np.searchsorted(quotes, newlines)
            ending = ((before + parity) % 2) == 0
            line_numbers = lines_before + np.arange(1, newlines.size + 1, dtype=np.int64)
            end_positions = newlines[ending] + offset
            end_lines = line_numbers[ending]
            record_starts = np.empty(end_lines.size, np.int64)
            start_offsets = np.empty(end_lines.size, np.int64)
            if end_lines.size:
                record_starts[0] = record_line
                record_starts[1:] = end_lines[:-1] + 1
                start_offsets[0] = record_offset
                start_offsets[1:] = end_positions[:-1] + 1
                lengths = end_positions - start_offsets
                lone_return = np.zeros(end_lines.size, np.bool_)
                one = np.flatnonzero(lengths == 1)
                if one.size:
                    local = end_positions[one] - 1 - offset
                    previous = np.where(local >= 0, data[np.maximum(local, 0)], last_byte)
                    lone_return[one] = previous == _RETURN
                starts.append(record_starts.astype(np.int32))
                ends.append(end_lines.astype(np.int32))
                empty.append((lengths == 0) | lone_return)
                record_line = int(end_lines[-1]) + 1
                record_offset = int(end_positions[-1]) + 1
            parity = int((parity + quotes.size) % 2)
            lines_before += newlines.size
            offset += data.size
            last_byte = int(data[-1])
    if parity:
        return None  # a quote left open: the csv module reports an error there
    if record_offset < offset:  # a last record with no line end
        starts.append(np.array([record_line], np.int32))
        ends.append(np.array([lines_before + 1], np.int32))
        empty.append(np.array([False]))
    all_starts = np.concatenate(starts) if starts else np.empty(0, np.int32)
    all_ends = np.concatenate(ends) if ends else np.empty(0, np.int32)
    return Layout(
        starts=all_starts,
        empty=np.concatenate(empty) if empty else np.empty(0, np.bool_),
        single_line=all_starts == all_ends,
    )


def _quotes_at_cell_edges(
    data: npt.NDArray[np.uint8],
    quotes: npt.NDArray[np.int64],
    sep: int,
    last_byte: int,
    handle: BinaryIO,
) -> bool:
    """Return True when every quote of the chunk touches a cell edge or another quote:
    after a separator or a line start (opening), before a separator or a line end
    (closing), or doubled inside a quoted cell.
    """
    edges = np.array([sep, _NEWLINE, _RETURN, _QUOTE], np.uint8)
    before = np.where(quotes > 0, data[np.maximum(quotes - 1, 0)], last_byte)
    ok = np.isin(before, edges) | (before == -1)
    inside = quotes + 1 < data.size
    after = np.full(quotes.size, _NEWLINE, np.int64)  # the end of the file closes a cell
    after[inside] = data[quotes[inside] + 1]
    if not inside[-1]:  # a quote ends the chunk: the next byte is the next chunk's first
        peek = handle.read(1)
        if peek:
            after[-1] = peek[0]
            handle.seek(-1, os.SEEK_CUR)
    ok |= np.isin(after, edges)
    return bool(ok.all())


def utf8_copy(bulk: BulkCsv, folder: str | None = None) -> Path:
    """Return a UTF-8 copy of a file in another encoding, decoded as the Python reader
    decodes it (same codec, same errors handler). The caller deletes the copy; if making
    it fails, nothing is left behind (the copy holds the file's cells, personal ids too).
    """
    handle, name = tempfile.mkstemp(suffix=".csv", dir=folder)
    try:
        decoder = codecs.getincrementaldecoder(bulk.codec)(errors=bulk.errors)
        with os.fdopen(handle, "wb") as out, bulk.path.open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
