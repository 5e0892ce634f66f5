"""Bytes -> numbered rows: CSV/TSV/TXT in any encoding and dialect, spreadsheets, JSON, archives.

The entry point is :func:`read_source`, which yields, in file order, every grant-table
candidate (:class:`Table`) and every part set aside (:class:`Skipped`, with a catalogue code);
it raises ``fundtrail.errors.UnreadableError`` only when the whole file cannot be read.

Readers never judge values: they decode, split and number. What they did to a record (a
ragged row re-joined, a short row padded) or could not do (a ragged row with several
possible splits: an error note, which quarantines it) is said in ``Record.notes``; what
concerns a whole table (encoding mislabelled or mixed, header unrecognised) in
``Table.notes``, which may still grow while the records are consumed.

Modules: ``source`` (format by content, dispatch), ``delimited`` (CSV/TSV/TXT),
``encoding``, ``header`` (header line search), ``ragged`` (rows with too many cells),
``sheet`` (XLSX/XLS/ODS), ``jsonfile``, ``archive`` (zip/gzip with bomb bounds).
"""

from __future__ import annotations

from fundtrail.read.model import ReadStats, Record, Skipped, Table
from fundtrail.read.source import read_source

__all__ = ["ReadStats", "Record", "Skipped", "Table", "read_source"]
