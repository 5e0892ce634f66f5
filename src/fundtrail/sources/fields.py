"""The canonical grant fields: SCDL 2.1 names as the base, the 2024 draft's fields as extras.

The SCDL's own (French) names are the mapping targets, because every publisher and every
schema version speaks them; the store uses English column names (see ``fundtrail.store``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Parser = Literal[
    "text", "amount", "date", "period", "siret", "rna", "boolean", "share", "nature", "integer"
]


@dataclass(frozen=True)
class Field:
    """One canonical field: its SCDL name, how its values are parsed, whether SCDL 2.1 has it."""

    name: str
    parser: Parser
    core: bool = True  # in SCDL 2.1.x; False for the 2024 draft's extra fields


FIELDS: tuple[Field, ...] = (
    Field("nomAttribuant", "text"),
    Field("idAttribuant", "siret"),
    Field("dateConvention", "date"),
    Field("referenceDecision", "text"),
    Field("nomBeneficiaire", "text"),
    Field("idBeneficiaire", "siret"),
    Field("rnaBeneficiaire", "rna"),
    Field("objet", "text"),
    Field("montant", "amount"),
    Field("nature", "nature"),
    Field("conditionsVersement", "text"),
    Field("datesPeriodeVersement", "period"),
    Field("idRAE", "text"),
    Field("notificationUE", "boolean"),
    Field("pourcentageSubvention", "share"),
    Field("dispositifAide", "text"),
    # The 2024 DataSubvention draft: kept as named fields, not in SCDL 2.1.
    Field("idSubvention", "text", core=False),
    Field("nomServiceInstructeur", "text", core=False),
    Field("idServiceInstructeur", "text", core=False),
    Field("exerciceBudgetaire", "integer", core=False),
    Field("pluriannualite", "boolean", core=False),
    Field("anneesPluriannualite", "text", core=False),
    Field("dateDecision", "date", core=False),
    Field("dateCreation", "date", core=False),
    Field("dateDebut", "date", core=False),
    Field("dateFin", "date", core=False),
    Field("dispositif", "text", core=False),
    Field("sousDispositif", "text", core=False),
    Field("statutLabel", "text", core=False),
    Field("montantDemande", "amount", core=False),
    Field("montantVerse", "amount", core=False),
    Field("nomOutilInstruction", "text", core=False),
    Field("nomOutilVersement", "text", core=False),
    Field("ej", "text", core=False),
    Field("cleVersement", "text", core=False),
    Field("descriptionConditionsVersement", "text", core=False),
    Field("cofinancement", "boolean", core=False),
    Field("attribuantsCofinanceurs", "text", core=False),
    Field("idCofinancement", "text", core=False),
    Field("evaluationCout", "amount", core=False),
    Field("evaluation", "text", core=False),
    Field("dateMiseAJour", "date", core=False),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
