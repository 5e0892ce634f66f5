"""Catalogue entries owned by the read step (see fundtrail.catalogue)."""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
]
