"""Which column of a table feeds which canonical field, decided once per table."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from fundtrail.sources.fields import BY_NAME
from fundtrail.sources.headers import canonical_name

# Headers that announce a personal identifier: "SIRET ou NIR", "NIR", "n° sécurité sociale".
_PERSONAL_HEADER = re.compile(r"\bnir\b|securite\s*sociale|\bsecu\b", re.IGNORECASE)


def _is_personal(header: str) -> bool:
    plain = unicodedata.normalize("NFKD", header)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return bool(_PERSONAL_HEADER.search(plain.replace("_", " ")))


@dataclass(frozen=True)
class ColumnPlan:
    """One column: its stage name, its header as shown, and the field it feeds (or None)."""

    index: int
    column: str  # "c0", "c1": identifiers made here, never text from a file
    header: str  # published header, made unique and never empty
    field: str | None  # canonical field it feeds; None keeps it as a named extra
    personal: bool  # may hold a personal identifier


@dataclass(frozen=True)
class TablePlan:
    """The plan of a table: its columns and the fields it lacks."""

    columns: tuple[ColumnPlan, ...]
    duplicates: tuple[tuple[str, str], ...]  # (header kept as extra, field already fed)

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


def plan_table(header: list[str]) -> TablePlan:
    """Return the plan of a table from its header: first column wins a field, others are extras."""
    seen_headers: dict[str, int] = {}
    taken: set[str] = set()
    columns: list[ColumnPlan] = []
    duplicates: list[tuple[str, str]] = []
    for index, cell in enumerate(header):
        shown = cell.strip() or f"column_{index + 1}"
        if shown in seen_headers:
            seen_headers[shown] += 1
            shown = f"{shown} ({seen_headers[shown]})"
        else:
            seen_headers[shown] = 1
        field = canonical_name(cell)
        if field in taken:
            duplicates.append((shown, field or ""))
            field = None
        if field:
            taken.add(field)
        columns.append(ColumnPlan(index, f"c{index}", shown, field, _is_personal(cell)))
    return TablePlan(tuple(columns), tuple(duplicates))


def missing_for_grants(plan: TablePlan) -> list[str]:
    """Return the fields a grant table needs and this one lacks (empty when it is one)."""
    fields = {c.field for c in plan.columns}
    missing = []
    if "montant" not in fields and "montantVerse" not in fields:
        missing.append("montant")
    if not fields & {"nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire"}:
        missing.append("nomBeneficiaire")
    return missing
