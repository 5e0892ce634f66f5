"""The SCDL "subventions" Table Schemas, transcribed: the constraints conformance needs.

A user's machine does not have the official schema files, so the facts the checks need are
written here, one list per distinct released schema (they are a public standard, see
https://gitlab.com/opendatafrance/scdl/subventions): for each field its name, type,
``required``, ``pattern``, ``enum``, ``minimum``/``maximum``, ``maxLength`` and, for
booleans, ``trueValues``/``falseValues``; plus the validator's custom checks.
tests/test_versions.py compares this transcription with the official files.

Versions 2.0.0, 2.0.1 and 2.0.2 share one field list, as do 2.1.0 and 2.1.1 (the 2.1.0
file's "version" key wrongly says 2.0.2). "draft-2024" is the DataSubvention 40-field draft
(not an official release), kept so that files written to it can be judged too.
"""

from __future__ import annotations

from typing import Any

FieldSpec = dict[str, Any]

_V1_1: list[FieldSpec] = [
    {"name": "nomAttribuant", "type": "string", "required": True},
    {"name": "idAttribuant", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "dateConvention", "type": "date", "required": True},
    {"name": "referenceDecision", "type": "string"},
    {"name": "nomBeneficiaire", "type": "string", "required": True},
    {"name": "idBeneficiaire", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "objet", "type": "string", "required": True, "maxLength": 256},
    {"name": "montant", "type": "number", "required": True},
    {
        "name": "nature",
        "type": "string",
        "required": True,
        "enum": [
            "aide en numéraire",
            "aide en nature",
            "aide en numéraire;aide en nature",
            "aide en nature;aide en numéraire",
        ],
    },
    {"name": "conditionsVersement", "type": "string", "required": True, "maxLength": 256},
    {
        "name": "datesPeriodeVersement",
        "type": "string",
        "required": True,
        "pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$",
    },
    {"name": "idRAE", "type": "string"},
    {
        "name": "notificationUE",
        "type": "boolean",
        "trueValues": ["oui"],
        "falseValues": ["non"],
        "required": True,
    },
    {
        "name": "pourcentageSubvention",
        "type": "number",
        "required": True,
        "minimum": 0,
        "maximum": 1,
    },
]
_V1_1_CHECKS: list[list[str]] = []

_V2_0: list[FieldSpec] = [
    {"name": "nomAttribuant", "type": "string", "required": True},
    {"name": "idAttribuant", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "dateConvention", "type": "date", "required": True},
    {"name": "referenceDecision", "type": "string"},
    {"name": "nomBeneficiaire", "type": "string", "required": True},
    {"name": "idBeneficiaire", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "objet", "type": "string", "required": True, "maxLength": 256},
    {"name": "montant", "type": "number", "required": True},
    {
        "name": "nature",
        "type": "string",
        "required": True,
        "enum": [
            "aide en numéraire",
            "aide en nature",
            "aide en numéraire;aide en nature",
            "aide en nature;aide en numéraire",
        ],
    },
    {"name": "conditionsVersement", "type": "string", "required": True, "maxLength": 256},
    {
        "name": "datesPeriodeVersement",
        "type": "string",
        "required": True,
        "pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$",
    },
    {"name": "idRAE", "type": "string", "maxLength": 5},
    {
        "name": "notificationUE",
        "type": "boolean",
        "trueValues": ["oui"],
        "falseValues": ["non"],
        "required": True,
    },
    {
        "name": "pourcentageSubvention",
        "type": "number",
        "required": True,
        "minimum": 0.01,
        "maximum": 1.0,
    },
]
_V2_0_CHECKS: list[list[str]] = [
    ["french-siret-value", "idAttribuant"],
    ["french-siret-value", "idBeneficiaire"],
]

_V2_1: list[FieldSpec] = [
    {"name": "nomAttribuant", "type": "string", "required": True},
    {"name": "idAttribuant", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "dateConvention", "type": "date", "required": True},
    {"name": "referenceDecision", "type": "string"},
    {"name": "nomBeneficiaire", "type": "string", "required": True},
    {"name": "idBeneficiaire", "type": "string"},
    {"name": "rnaBeneficiaire", "type": "string", "pattern": "^W\\d{9}$"},
    {"name": "objet", "type": "string", "required": True, "maxLength": 256},
    {"name": "montant", "type": "number", "required": True},
    {
        "name": "nature",
        "type": "string",
        "required": True,
        "enum": [
            "aide en numéraire",
            "aide en nature",
            "aide en numéraire;aide en nature",
            "aide en nature;aide en numéraire",
        ],
    },
    {"name": "conditionsVersement", "type": "string", "required": True, "maxLength": 256},
    {
        "name": "datesPeriodeVersement",
        "type": "string",
        "required": True,
        "pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$",
    },
    {"name": "idRAE", "type": "string", "maxLength": 5},
    {
        "name": "notificationUE",
        "type": "boolean",
        "trueValues": ["oui"],
        "falseValues": ["non"],
        "required": True,
    },
    {
        "name": "pourcentageSubvention",
        "type": "number",
        "required": True,
        "minimum": 0.01,
        "maximum": 1,
    },
    {"name": "dispositifAide", "type": "string"},
]
_V2_1_CHECKS: list[list[str]] = [
    ["french-siret-value", "idAttribuant"],
    ["french-siret-value", "idBeneficiaire"],
    ["one-of-required", "idBeneficiaire", "rnaBeneficiaire"],
]

_DRAFT_2024: list[FieldSpec] = [
    {"name": "idSubvention", "type": "string"},
    {"name": "nomAttribuant", "type": "string", "required": True},
    {"name": "idAttribuant", "type": "string", "required": True, "pattern": "^\\d{14}$"},
    {"name": "nomServiceInstructeur", "type": "string"},
    {"name": "idServiceInstructeur", "type": "string", "required": True},
    {"name": "nomBeneficiaire", "type": "string", "required": True},
    {"name": "idBeneficiaire", "type": "string"},
    {"name": "rnaBeneficiaire", "type": "string", "pattern": "^W\\d{9}$"},
    {"name": "exerciceBudgetaire", "type": "integer"},
    {"name": "pluriannualite", "type": "string", "enum": ["oui", "non"]},
    {"name": "anneesPluriannualite", "type": "string"},
    {"name": "dateDecision", "type": "date"},
    {"name": "dateConvention", "type": "date", "required": True},
    {"name": "referenceDecision", "type": "string"},
    {"name": "dateCreation", "type": "date"},
    {"name": "dateDebut", "type": "date"},
    {"name": "dateFin", "type": "date"},
    {"name": "dispositif", "type": "string"},
    {"name": "sousDispositif", "type": "string"},
    {
        "name": "statutLabel",
        "type": "string",
        "enum": ["en cours d'intruction", "attribuée", "ineligible", "refusée"],
    },
    {"name": "objet", "type": "string", "required": True, "maxLength": 256},
    {
        "name": "nature",
        "type": "string",
        "required": True,
        "enum": [
            "aide en numéraire",
            "aide en nature",
            "aide en numéraire;aide en nature",
            "aide en nature;aide en numéraire",
        ],
    },
    {"name": "montantDemande", "type": "number"},
    {"name": "montant", "type": "number"},
    {"name": "nomOutilInstruction", "type": "string"},
    {"name": "nomOutilVersement", "type": "string"},
    {"name": "ej", "type": "string"},
    {"name": "cléVersement", "type": "string"},
    {
        "name": "conditionsVersement",
        "type": "string",
        "required": True,
        "enum": ["unique", "échelonné", "autre"],
    },
    {
        "name": "descriptionConditionsVersement",
        "type": "string",
        "required": True,
        "maxLength": 256,
    },
    {
        "name": "datesPeriodeVersement",
        "type": "string",
        "required": True,
        "pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$",
    },
    {"name": "cofinancement", "type": "string", "enum": ["oui", "non"]},
    {"name": "attribuantsCofinanceurs", "type": "string"},
    {"name": "idCofinancement", "type": "string"},
    {"name": "idRAE", "type": "string", "maxLength": 5},
    {"name": "notificationUE", "type": "string", "required": True, "enum": ["oui", "non"]},
    {
        "name": "pourcentageSubvention",
        "type": "number",
        "required": True,
        "minimum": 0.01,
        "maximum": 1,
    },
    {"name": "evaluationCout", "type": "number"},
    {"name": "evaluation", "type": "string"},
    {"name": "dateMiseAJour", "type": "date"},
]
_DRAFT_2024_CHECKS: list[list[str]] = [
    ["french-siret-value", "idAttribuant"],
    ["french-siret-value", "idBeneficiaire"],
    ["one-of-required", "idBeneficiaire", "rnaBeneficiaire"],
]

SCHEMAS: dict[str, tuple[list[FieldSpec], list[list[str]]]] = {
    "1.1": (_V1_1, _V1_1_CHECKS),
    "2.0.0": (_V2_0, _V2_0_CHECKS),
    "2.0.1": (_V2_0, _V2_0_CHECKS),
    "2.0.2": (_V2_0, _V2_0_CHECKS),
    "2.1.0": (_V2_1, _V2_1_CHECKS),
    "2.1.1": (_V2_1, _V2_1_CHECKS),
    "draft-2024": (_DRAFT_2024, _DRAFT_2024_CHECKS),
}
"""Released version -> (fields, custom checks as [check name, column, ...])."""
