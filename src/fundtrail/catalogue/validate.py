"""Catalogue entries owned by the validate step (see fundtrail.catalogue)."""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
]
