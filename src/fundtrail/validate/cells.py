"""One cell against one field of an SCDL Table Schema, judged as frictionless judges it.

The rules follow frictionless-py 5 (the engine of the official validator, validata) so that
fundtrail and the official tool agree cell for cell:

- a cell is missing when it is exactly ``""`` (the schemas keep the default missingValues);
- ``number``: ``Decimal(cell.strip())`` must succeed (so ``1 234,50`` and ``12 €`` fail);
- ``integer``: an optional sign and digits, spaces around allowed;
- ``date``: ``datetime.strptime(cell, "%Y-%m-%d")`` must succeed (ISO, day and month may
  lack their leading zero, as strptime allows);
- ``boolean``: the cell is one of the field's ``trueValues`` or ``falseValues`` exactly;
- constraints are checked only on a cell whose type is right: ``required``, ``pattern``
  (anchored with ``^...$``), ``enum`` (exact), ``minimum``/``maximum`` (on the number),
  ``maxLength`` (characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class FieldCheck:
    """The compiled checks of one schema field: built once, applied to every distinct value."""

    name: str
    type: str
    required: bool
    pattern: re.Pattern[str] | None
    pattern_text: str | None
    enum: tuple[str, ...] | None
    minimum: Decimal | None
    maximum: Decimal | None
    max_length: int | None
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> FieldCheck:
        """Return the checks of a transcribed field spec (see fundtrail.validate.schemas)."""
        pattern = spec.get("pattern")
        return cls(
            name=spec["name"],
            type=spec["type"],
            required=bool(spec.get("required", False)),
            # frictionless compiles "^{pattern}$" and calls .match: the same here.
            pattern=re.compile(f"^{pattern}$") if pattern else None,
            pattern_text=pattern,
            enum=tuple(spec["enum"]) if "enum" in spec else None,
            minimum=_bound(spec.get("minimum")),
            maximum=_bound(spec.get("maximum")),
            max_length=spec.get("maxLength"),
            true_values=tuple(spec.get("trueValues", ("true", "True", "TRUE", "1"))),
            false_values=tuple(spec.get("falseValues", ("false", "False", "FALSE", "0"))),
        )

    def problems(self, cell: str) -> list[tuple[str, str | None]]:
        """Return the ``(issue code, detail)`` pairs that ``cell`` raises; empty when valid."""
        if cell == "":
            return [("schema-required-missing", None)] if self.required else []
        number: Decimal | None = None
        if self.type == "number":
            number = _number(cell)
            if number is None:
                return [("schema-type-number", None)]
        elif self.type == "integer":
            if not _INTEGER.fullmatch(cell.strip()):
                return [("schema-type-integer", None)]
            number = Decimal(cell.strip())
        elif self.type == "date":
            try:
                datetime.strptime(cell, "%Y-%m-%d")
            except ValueError:
                return [("schema-type-date", None)]
        elif self.type == "boolean" and cell not in self.true_values + self.false_values:
            return [("schema-type-boolean", "/".join(self.true_values + self.false_values))]
        found: list[tuple[str, str | None]] = []
        if self.pattern is not None and not self.pattern.match(cell):
            found.append(("schema-pattern", self.pattern_text))
        if self.enum is not None and cell not in self.enum:
            found.append(("schema-enum", " | ".join(self.enum)))
        if number is not None:
            # frictionless counts NaN out of bounds; Decimal would raise on comparing it.
            nan = number.is_nan()
            if self.minimum is not None and (nan or number < self.minimum):
                found.append(("schema-minimum", str(self.minimum)))
            if self.maximum is not None and (nan or number > self.maximum):
                found.append(("schema-maximum", str(self.maximum)))
        if self.max_length is not None and len(cell) > self.max_length:
            found.append(("schema-max-length", str(self.max_length)))
        return found


def _number(cell: str) -> Decimal | None:
    """Return ``cell`` read as frictionless reads a bare number, or None."""
    try:
        return Decimal(cell.strip())
    except InvalidOperation:
        return None


def _bound(value: object) -> Decimal | None:
    """Return a schema bound as a Decimal (through its text, so 0.01 stays 0.01)."""
    return None if value is None else Decimal(str(value))
