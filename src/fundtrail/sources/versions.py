"""Which SCDL version a header line is written to, and that version's Table Schema.

The rule of ``detect_version``, in order:

1. "1.x": most recognised cells are the legacy upper-case names of the 2017-2018 formats
   (COLL_NOM, ATTRIB_SIRET, SUB_MONTANT, ATTRIBUANT_NOM, CONVENTION_DATE, ...).
2. Otherwise, when at least half of the 14 SCDL 2.0 names are present *spelled as the
   schema spells them* (case and a BOM aside):
   - "draft-2024" if a field only the 2024 DataSubvention draft has is there too
     (idSubvention, exerciceBudgetaire, montantDemande, descriptionConditionsVersement...);
   - "2.1" if rnaBeneficiaire or dispositifAide is there;
   - "2.0" otherwise. SCDL 1.1 has the same 14 names as 2.0 (only constraints differ), so a
     camelCase file without the 2.1 fields is reported as "2.0", the later of the two.
3. "other": any other table (long French labels, a city's export, a budget annex), which
   fundtrail reads through its aliases but which no SCDL version describes.
"""

from __future__ import annotations

import copy
from typing import Any

from fundtrail.errors import UsageError
from fundtrail.sources.fields import FIELDS
from fundtrail.sources.headers import fold
from fundtrail.validate.schemas import SCHEMAS

VERSIONS = ("1.x", "2.0", "2.1", "draft-2024", "other")

_SCDL_20 = (
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
    "nomBeneficiaire", "idBeneficiaire", "objet", "montant", "nature",
    "conditionsVersement", "datesPeriodeVersement", "idRAE", "notificationUE",
    "pourcentageSubvention",
)  # fmt: skip
_SCDL_21_ONLY = ("rnaBeneficiaire", "dispositifAide")
_DRAFT_ONLY = tuple(f.name for f in FIELDS if not f.core and f.name not in ("montantVerse",))

_LEGACY = frozenset(
    fold(name)
    for name in (
        "COLL_NOM", "COLL_SIRET", "COLL_TYPE", "ATTRIB_NOM", "ATTRIB_SIRET", "ATTRIB_TYPE",
        "ATTRIB_RNA", "ACTE_DATE", "ACTE_REF", "CONV_DATE", "CONV_DAT", "CONV_REF",
        "SUB_OBJET", "SUB_OBJ", "SUB_MONTANT", "SUB_NATURE", "SUB_DATE_DEBUT", "SUB_DATE_FIN",
        "SUB_VERSEMENT", "SUBV_VERSEMENT", "SUB_DISPOSITIF", "RAE_NUM", "NOTIF_UE", "NOTIF_EU",
        "ATTRIBUANT_NOM", "ATTRIBUANT_ID", "CONVENTION_DATE", "DECISION_REF",
        "BENEFICIAIRE_NOM", "BENEFICIAIRE_ID", "SUBVENTION_OBJET", "SUBVENTION_MONTANT",
        "SUBVENTION_NATURE", "CONDITIONS_VERSEMENT", "DATE_PERIODE_VERSEMENT",
        "SUBVENTION_POURCENTAGE",
    )
)  # fmt: skip

# Short names a user may give -> the released schema they mean (the latest of the line).
_SCHEMA_OF = {"1.x": "1.1", "1.1": "1.1", "2.0": "2.0.2", "2.1": "2.1.1", "other": "2.1.1"}


def _exact(cell: str) -> str:
    """Return ``cell`` as a schema would compare it, ignoring only a BOM, spaces and case."""
    return cell.replace("\ufeff", "").strip().lower()


def detect_version(cells: list[str]) -> str:
    """Return the SCDL version a header line is written to: see the module docstring."""
    exact = {_exact(c) for c in cells}
    legacy = sum(1 for c in cells if fold(c) in _LEGACY)
    modern = sum(1 for name in _SCDL_20 if name.lower() in exact)
    if legacy > modern and legacy >= 3:
        return "1.x"
    if modern >= len(_SCDL_20) // 2:
        if any(name.lower() in exact for name in _DRAFT_ONLY):
            return "draft-2024"
        if any(name.lower() in exact for name in _SCDL_21_ONLY):
            return "2.1"
        return "2.0"
    return "other"


def schema_version(version: str) -> str:
    """Return the released schema version that ``version`` (short or full) designates."""
    full = _SCHEMA_OF.get(version, version)
    if full not in SCHEMAS:
        known = ", ".join(sorted(set(SCHEMAS) | set(_SCHEMA_OF)))
        raise UsageError(f"unknown SCDL version {version!r} (known: {known})")
    return full


def load_schema(version: str) -> dict[str, Any]:
    """Return the Table Schema of ``version`` ("2.1", "2.0.2", "1.1", "draft-2024"...).

    The result is a Table Schema dict (``fields`` with ``constraints``, ``custom_checks``)
    rebuilt from fundtrail's own transcription; it is a fresh copy the caller may change.
    """
    full = schema_version(version)
    specs, checks = SCHEMAS[full]
    fields = []
    for spec in specs:
        field: dict[str, Any] = {"name": spec["name"], "type": spec["type"]}
        for key in ("trueValues", "falseValues"):
            if key in spec:
                field[key] = list(spec[key])
        constraints = {
            key: copy.deepcopy(spec[key])
            for key in ("required", "pattern", "enum", "minimum", "maximum", "maxLength")
            if key in spec
        }
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    custom = [{"name": name, "params": _check_params(name, columns)} for name, *columns in checks]
    return {"version": full, "fields": fields, "custom_checks": custom}


def _check_params(name: str, columns: list[str]) -> dict[str, str]:
    """Return the params of a custom check as the schema files write them."""
    if name == "one-of-required":
        return {"column1": columns[0], "column2": columns[1]}
    return {"column": columns[0]}
