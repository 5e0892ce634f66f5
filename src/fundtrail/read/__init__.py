"""Bytes -> numbered rows: CSV/TSV/TXT in any encoding and dialect, spreadsheets, JSON, archives.

The entry point is :func:`read_source`. Readers never judge values: they decode, split and
number; everything they do to a record is said in its ``notes``.
"""

from __future__ import annotations

from fundtrail.read.model import ReadStats, Record, Skipped, Table
from fundtrail.read.source import read_source

__all__ = ["ReadStats", "Record", "Skipped", "Table", "read_source"]
