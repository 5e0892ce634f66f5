"""Is a published table conformant to its SCDL version, as the official validator would say?

``check_table`` judges columns first, then every cell:

- columns are matched to schema fields by their exact name (a BOM aside). A column the
  schema does not name but fundtrail can map ("Montant total de la subvention", "montant "
  with a space, "NOM_Beneficiaire") is *misnamed*: non-conformant, reported with the name
  the schema expects, and its cells are still checked against that field. Other columns
  are *unknown*; a schema field with no column is *missing*; a name given twice is a
  *duplicate*; named columns out of the schema's order are reported too (frictionless
  matches columns by position, so an order change breaks every official check);
- cells are checked per field with the rules of ``fundtrail.validate.cells`` and the
  validator's custom checks (SIRET check digit; in 2.1, idBeneficiaire or rnaBeneficiaire).

Per-cell results are computed once per distinct value of a column, so a file of a million
rows with a few thousand distinct values costs a few thousand checks. A value ingest could
repair comes with the repair (``ConformanceReport.repair_for``); it is still an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from stdnum.fr import siret

from fundtrail.model import Issue, Repair
from fundtrail.sources.headers import map_header
from fundtrail.sources.versions import detect_version, schema_version
from fundtrail.validate.cells import FieldCheck
from fundtrail.validate.schemas import SCHEMAS
from fundtrail.validate.suggestions import is_personal, suggest

MAX_ISSUES = 1000


@dataclass(frozen=True)
class ConformanceReport:
    """The verdict on one table: valid or not, the issues (capped) and full counts."""

    valid: bool
    version: str  # the released schema judged against, e.g. "2.1.1"
    detected: str  # what detect_version said of the header ("2.1", "1.x", "other"...)
    rows_checked: int
    issues: tuple[Issue, ...]
    truncated: bool  # True when more issues were found than ``issues`` holds
    counts: dict[str, int]  # issue code -> number found, over the whole table
    suggested_repairs: dict[tuple[int | None, str | None], Repair] = field(default_factory=dict)

    def repair_for(self, issue: Issue) -> Repair | None:
        """Return the repair ingest would make to the cell of ``issue``, or None."""
        return self.suggested_repairs.get((issue.row, issue.field))

    def flat(self) -> list[tuple[int | None, str | None, str]]:
        """Return ``(row, field, code)`` of every issue kept, for tests and summaries."""
        return [(i.row, i.field, i.code) for i in self.issues]


class _Collector:
    """Keeps the first ``limit`` issues and counts them all."""

    def __init__(self, file: str | None, sheet: str | None, limit: int) -> None:
        self.file, self.sheet, self.limit = file, sheet, limit
        self.kept: list[Issue] = []
        self.counts: Counter[str] = Counter()
        self.repairs: dict[tuple[int | None, str | None], Repair] = {}

    def add(
        self,
        code: str,
        row: int | None,
        field_name: str | None,
        value: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.counts[code] += 1
        if len(self.kept) < self.limit:
            self.kept.append(
                Issue(code, "error", self.file, self.sheet, row, field_name, value, detail)
            )


def check_table(
    header: list[str],
    records: Iterable[tuple[int, list[str]]],
    *,
    version: str | None = None,
    file: str | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    max_issues: int = MAX_ISSUES,
) -> ConformanceReport:
    """Return the conformance report of a table to an SCDL version.

    ``records`` gives each data row with its row number in the file (the numbers issues
    are placed by). ``version`` defaults to the one ``detect_version`` reads in the header;
    a table of no SCDL version is judged against the current one (2.1.1).
    """
    detected = detect_version(header)
    full = schema_version(version if version is not None else detected)
    specs, custom = SCHEMAS[full]
    checks = {spec["name"]: FieldCheck.from_spec(spec) for spec in specs}
    out = _Collector(file, sheet, max_issues)

    bound = _bind_columns(header, [s["name"] for s in specs], header_row, out)
    siret_fields = {c[1] for c in custom if c[0] == "french-siret-value"}
    one_of = next((tuple(c[1:3]) for c in custom if c[0] == "one-of-required"), None)

    memo: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    repairs: dict[tuple[str, str], Repair | None] = {}
    # A person's NIR is never displayed: its issues are reported without the value.
    personal = set(map_header(header).personal)
    hidden: set[tuple[str, str]] = set()
    width = len(header)
    rows = 0
    for row, cells in records:
        rows += 1
        if not any(c.strip() for c in cells):
            out.add("schema-blank-row", row, None)
            continue
        for extra in range(width, len(cells)):
            out.add("schema-extra-cell", row, f"column_{extra + 1}", cells[extra])
        values: dict[str, str] = {}
        for index, name in bound.items():
            if index >= len(cells):
                out.add("schema-missing-cell", row, name)
                continue
            cell = cells[index]
            values[name] = cell
            key = (name, cell)
            found = memo.get(key)
            if found is None:
                found = checks[name].problems(cell)
                if not found and name in siret_fields and cell and not siret.is_valid(cell):
                    found = [("schema-siret-checksum", None)]
                memo[key] = found
            if found and key not in repairs:
                repairs[key] = _repair(name, cell, checks[name])
                if index in personal or is_personal(name, cell):
                    hidden.add(key)
            shown = None if key in hidden else cell
            for code, detail in found:
                out.add(code, row, name, shown, detail)
            if found:
                repair = repairs[key]
                if repair is not None:
                    out.repairs[(row, name)] = repair
        if one_of and set(one_of) <= values.keys() and not any(values[n] for n in one_of):
            out.add("schema-one-of-required", row, one_of[0], None, " | ".join(one_of))

    total = sum(out.counts.values())
    return ConformanceReport(
        valid=total == 0,
        version=full,
        detected=detected,
        rows_checked=rows,
        issues=tuple(out.kept),
        truncated=total > len(out.kept),
        counts=dict(out.counts),
        suggested_repairs=out.repairs,
    )


def _bind_columns(
    header: list[str], schema_names: list[str], header_row: int, out: _Collector
) -> dict[int, str]:
    """Return column index -> schema field, reporting column issues into ``out``."""
    bound: dict[int, str] = {}
    taken: set[str] = set()
    labels = [cell.replace("\ufeff", "") for cell in header]
    for index, label in enumerate(labels):
        if label in schema_names:
            if label in taken:
                out.add("schema-duplicate-column", header_row, label, label)
            else:
                bound[index] = label
                taken.add(label)
    # A column fundtrail can map to a field still unclaimed is misnamed, not unknown.
    mapping = map_header(labels)
    for index, label in enumerate(labels):
        if index in bound or label in schema_names:
            continue
        target = mapping.fields[index]
        if target in schema_names and target not in taken:
            out.add("schema-misnamed-column", header_row, target, label, target)
            bound[index] = target
            taken.add(target)
        else:
            out.add("schema-unknown-column", header_row, label or f"column_{index + 1}", label)
    for name in schema_names:
        if name not in taken:
            out.add("schema-missing-column", header_row, name)
    order = [schema_names.index(bound[i]) for i in sorted(bound)]
    for position, (have, want) in enumerate(zip(order, sorted(order), strict=True)):
        if have != want:
            index = sorted(bound)[position]
            out.add("schema-column-order", header_row, bound[index], labels[index])
    return bound


def _repair(name: str, cell: str, check: FieldCheck) -> Repair | None:
    """Return the repair ingest would make to ``cell``, if its result is conformant."""
    repair = suggest(name, cell)
    if repair is None or check.problems(repair.result):
        return None
    return repair
