"""Catalogue entries owned by the analysis step (see fundtrail.catalogue)."""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
]
