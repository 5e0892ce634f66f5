"""The repair ingest would make to a non-conformant cell, from fundtrail.normalise's parsers.

A value fundtrail can repair ("1 234,50", "05/03/2019") is still non-conformant; a finance
department wants to know both, and the fix. This module asks the same parser the ingest
uses and returns the repaired text only when that text would itself pass the schema.

The parsers are looked up by module and function name: a parser that is not part of this
installation simply yields no suggestion (the normalise package grows parser by parser).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from fundtrail.model import Outcome, Repair

Parser = Callable[[str], Outcome]

# SCDL field -> (module, function) of the parser the ingest applies to it.
_PARSER_OF: dict[str, tuple[str, str]] = {
    "montant": ("fundtrail.normalise.amounts", "parse_amount"),
    "montantDemande": ("fundtrail.normalise.amounts", "parse_amount"),
    "evaluationCout": ("fundtrail.normalise.amounts", "parse_amount"),
    "dateConvention": ("fundtrail.normalise.dates", "parse_date"),
    "dateDecision": ("fundtrail.normalise.dates", "parse_date"),
    "datesPeriodeVersement": ("fundtrail.normalise.dates", "parse_period"),
    "idAttribuant": ("fundtrail.normalise.identifiers", "parse_org_id"),
    "idBeneficiaire": ("fundtrail.normalise.identifiers", "parse_org_id"),
    "notificationUE": ("fundtrail.normalise.booleans", "parse_bool"),
}
_loaded: dict[str, Parser | None] = {}


def parser_for(field: str) -> Parser | None:
    """Return the normalise parser of ``field``, or None when there is none here."""
    if field not in _loaded:
        target = _PARSER_OF.get(field)
        found: Parser | None = None
        if target is not None:
            try:
                found = getattr(importlib.import_module(target[0]), target[1], None)
            except ImportError:
                found = None
        _loaded[field] = found
    return _loaded[field]


def as_schema_text(value: Any) -> str | None:
    """Return a parsed value written as the SCDL schema wants it, or None if unknown."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, date) for v in value):
        start, end = value
        return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
    if isinstance(value, str):
        return value
    text = getattr(value, "text", None) or getattr(value, "value", None)
    return text if isinstance(text, str) else None


def suggest(field: str, cell: str) -> Repair | None:
    """Return the repair ingest would make to ``cell`` of ``field``, or None.

    None when no parser handles the field, the parser finds no value, or it made no repair.
    """
    parser = parser_for(field)
    if parser is None:
        return None
    outcome = parser(cell)
    if outcome.value is None or not outcome.repairs:
        return None
    text = as_schema_text(outcome.value)
    if text is None or text == cell:
        return None
    return Repair(field=field, original=cell, result=text, rule=",".join(outcome.repairs))
