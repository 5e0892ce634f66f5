"""The records that travel between the steps: issues, repairs and normalised outcomes.

These are plain frozen dataclasses so that every step can be tested with tuples, and so that
messages are rendered only at the edge (CLI, web, report) from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Note:
    """What a step did or could not do for one value or record, before it is placed in a file.

    ``code`` is a catalogue code (``fundtrail.catalogue``); it is an issue code when the
    catalogue says so, a repair rule otherwise.
    """

    code: str
    field: str | None = None
    value: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Issue:
    """One problem found in a file, placed by file, sheet, row and field."""

    code: str
    severity: Severity
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None
    value: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Repair:
    """One repair made to one value: the original is always kept beside the result."""

    field: str
    original: str
    result: str
    rule: str


@dataclass(frozen=True)
class Outcome:
    """What a value parser gives back: the value (or None), the repairs made and the issues.

    ``repairs`` holds repair rule codes; ``issues`` holds ``(issue code, detail)`` pairs.
    A parser never raises on bad data: everything it has to say is in these two tuples.
    """

    value: Any
    repairs: tuple[str, ...] = ()
    issues: tuple[tuple[str, str | None], ...] = field(default_factory=tuple)
