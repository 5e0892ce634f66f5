"""Which column of a table feeds which canonical field, decided once per table.

The mapping itself (aliases, context, duplicates, personal-identifier columns) is
``fundtrail.sources.headers.map_header``; the plan adds what the pipeline needs on top:
the stage column of each header cell and the header as it may be shown in raw values.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundtrail.model import Note
from fundtrail.sources.fields import BY_NAME
from fundtrail.sources.headers import is_grant_table, map_header


@dataclass(frozen=True)
class ColumnPlan:
    """One column: its stage name, its header as shown, and the field it feeds (or None)."""

    index: int
    column: str  # "c0", "c1": identifiers made here, never text from a file
    header: str  # published header, made unique and never empty
    field: str | None  # canonical field it feeds; None keeps it as a named extra
    personal: bool  # may hold a personal identifier (a "SIRET ou NIR" column)


@dataclass(frozen=True)
class TablePlan:
    """The plan of a table: its columns, what the mapping noted, and what it lacks."""

    columns: tuple[ColumnPlan, ...]
    notes: tuple[Note, ...]
    missing: tuple[str, ...]  # fields a grant table needs and this one lacks

    def column_of(self, field: str) -> ColumnPlan | None:
        """Return the column that feeds ``field``, or None when the table has none."""
        for column in self.columns:
            if column.field == field:
                return column
        return None

    @property
    def core_fields(self) -> list[ColumnPlan]:
        """Return the columns that feed SCDL 2.1 fields."""
        return [c for c in self.columns if c.field and BY_NAME[c.field].core]


def _shown_headers(header: list[str]) -> list[str]:
    """Return the published headers made unique and non-empty, to key raw values by."""
    shown: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.replace("\ufeff", "").strip() or f"column_{index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        shown.append(name)
    return shown


def plan_table(header: list[str]) -> TablePlan:
    """Return the plan of a table from its header line."""
    mapping = map_header(header)
    _, missing = is_grant_table(mapping)
    columns = tuple(
        ColumnPlan(index, f"c{index}", shown, mapping.fields[index], index in mapping.personal)
        for index, shown in enumerate(_shown_headers(header))
    )
    return TablePlan(columns, mapping.notes, tuple(missing))
