"""The repair ingest would make to a non-conformant cell, from fundtrail.normalise's parsers.

A value fundtrail can repair ("1 234,50", "05/03/2019") is still non-conformant; a finance
department wants to know both, and the fix. This module asks the same parser the ingest
uses and writes its value back as the schema wants it; conformance keeps the suggestion
only when that text itself passes the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fundtrail.model import Outcome, Repair
from fundtrail.normalise.amounts import amount_text, parse_amount
from fundtrail.normalise.booleans import bool_text, parse_bool
from fundtrail.normalise.dates import PartialDate, Period, parse_date, parse_period, period_text
from fundtrail.normalise.identifiers import OrgId, org_id_text, parse_org_id, parse_rna
from fundtrail.normalise.nature import nature_text, parse_nature
from fundtrail.normalise.shares import parse_share, share_text, to_fraction

_ID_FIELDS = frozenset({"idAttribuant", "idBeneficiaire"})


def _date_text(value: Any) -> str | None:
    return value.iso() if isinstance(value, PartialDate) else None


def _period_text(value: Any) -> str | None:
    return period_text(value) if isinstance(value, Period) else None


def _org_text(value: Any) -> str | None:
    return org_id_text(value) or None if isinstance(value, OrgId) else None


def _amount_text(value: Any) -> str | None:
    return amount_text(value) if isinstance(value, Decimal) else None


def _bool_text(value: Any) -> str | None:
    return bool_text(value) if isinstance(value, bool) else None


def _plain_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _nature_text(value: Any) -> str | None:
    return nature_text(value) if isinstance(value, str) else None


def _share(cell: str) -> Outcome:
    """Return the share of ``cell`` as the SCDL fraction ("45 %" -> 0.45)."""
    outcome = parse_share(cell)
    if isinstance(outcome.value, Decimal) and "share-percent-sign" in outcome.repairs:
        fraction = to_fraction(outcome.value, "percent")
        return Outcome(fraction, outcome.repairs, outcome.issues)
    return outcome


def _share_text(value: Any) -> str | None:
    return share_text(value) if isinstance(value, Decimal) else None


Reader = tuple[Callable[[str], Outcome], Callable[[Any], str | None]]
_DATE: Reader = (parse_date, _date_text)
_AMOUNT: Reader = (parse_amount, _amount_text)
_ORG: Reader = (parse_org_id, _org_text)

# SCDL field -> (parser the ingest applies, writer of the value as the schema wants it)
READERS: dict[str, Reader] = {
    "montant": _AMOUNT,
    "montantDemande": _AMOUNT,
    "evaluationCout": _AMOUNT,
    "dateConvention": _DATE,
    "dateDecision": _DATE,
    "dateCreation": _DATE,
    "dateDebut": _DATE,
    "dateFin": _DATE,
    "dateMiseAJour": _DATE,
    "datesPeriodeVersement": (parse_period, _period_text),
    "idAttribuant": _ORG,
    "idBeneficiaire": _ORG,
    "rnaBeneficiaire": (parse_rna, _plain_text),
    "notificationUE": (parse_bool, _bool_text),
    "nature": (parse_nature, _nature_text),
    "pourcentageSubvention": (_share, _share_text),
}


def suggest(field: str, cell: str) -> Repair | None:
    """Return the repair ingest would make to ``cell`` of ``field``, or None.

    None when no parser handles the field, the parser finds no value, or it made no repair.
    """
    reader = READERS.get(field)
    if reader is None:
        return None
    parse, write = reader
    outcome = parse(cell)
    if outcome.value is None or not outcome.repairs:
        return None
    text = write(outcome.value)
    if text is None or text == cell:
        return None
    return Repair(field=field, original=cell, result=text, rule=",".join(outcome.repairs))


def is_personal(field: str, cell: str) -> bool:
    """Return True when ``cell`` of an identifier field holds what may be a person's NIR."""
    if field not in _ID_FIELDS:
        return False
    value = parse_org_id(cell).value
    return isinstance(value, OrgId) and value.withheld
