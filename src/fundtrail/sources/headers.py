"""Header cells -> canonical field names: every SCDL version and the real-world spellings.

A header cell is first *folded* (BOM, accents, case, spaces, newlines, asterisks and
punctuation removed) and then looked up in ``ALIASES``; a cell that maps nowhere is kept
by the pipeline as a named extra column, never dropped.
"""

from __future__ import annotations

import re
import unicodedata

from fundtrail.sources.fields import FIELDS

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(cell: str) -> str:
    """Return ``cell`` folded for matching: no BOM, accents, case, spaces or punctuation."""
    text = cell.replace("\ufeff", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text.lower())


# folded spelling -> canonical name. The canonical names themselves are added below.
ALIASES: dict[str, str] = {
    # SCDL 1.x legacy names
    "collnom": "nomAttribuant",
    "collsiret": "idAttribuant",
    "attribnom": "nomBeneficiaire",
    "attribsiret": "idBeneficiaire",
    "attribrna": "rnaBeneficiaire",
    "submontant": "montant",
    "subobjet": "objet",
    "subnature": "nature",
    "convdate": "dateConvention",
    "convref": "referenceDecision",
    # common long labels
    "montanttotaldelasubvention": "montant",
    "identificationdubeneficiaire": "idBeneficiaire",
}
for _f in FIELDS:
    ALIASES.setdefault(fold(_f.name), _f.name)


def canonical_name(cell: str) -> str | None:
    """Return the canonical field that header ``cell`` names, or None when it names none."""
    return ALIASES.get(fold(cell))


def header_score(cells: list[str]) -> int:
    """Return how many distinct canonical fields a candidate header line names."""
    return len({name for name in map(canonical_name, cells) if name})
