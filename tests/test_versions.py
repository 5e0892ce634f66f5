"""SCDL version detection, and the transcribed schemas against the official files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from fundtrail.errors import UsageError
from fundtrail.sources.versions import detect_version, load_schema, schema_version

V20 = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
]
V21 = [*V20[:6], "rnaBeneficiaire", *V20[6:], "dispositifAide"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (V20, "2.0"),
        (V21, "2.1"),
        ([*V20, "rnaBeneficiaire"], "2.1"),
        (["\ufeffnomAttribuant", *V20[1:]], "2.0"),
        ([c.upper() for c in V20], "2.0"),  # case aside, the names are the schema's
        ([*V21, "idSubvention", "exerciceBudgetaire", "montantDemande"], "draft-2024"),
        (
            ["COLL_NOM", "COLL_SIRET", "COLL_TYPE", "ATTRIB_NOM", "ATTRIB_SIRET", "SUB_MONTANT"],
            "1.x",
        ),
        (
            [
                "ATTRIBUANT_NOM",
                "ATTRIBUANT_ID",
                "CONVENTION_DATE",
                "DECISION_REF",
                "BENEFICIAIRE_NOM",
                "BENEFICIAIRE_ID",
                "SUBVENTION_OBJET",
                "SUBVENTION_MONTANT",
            ],
            "1.x",
        ),
        (["Nom de l'attribuant", "Nom du bénéficiaire", "Montant total de la subvention"], "other"),
        (["Bénéficiaire", "Budget de l'année"], "other"),
        ([], "other"),
    ],
)
def test_detect_version(cells: list[str], expected: str) -> None:
    assert detect_version(cells) == expected


EXAMPLES = [
    ("v2.0.2/exemples/exemple_valide.csv", "2.0"),
    ("v2.1.1/exemples/exemple_valide.csv", "2.1"),
    ("v2.1.0/exemples/exemple_invalide_erreurs_cellules.csv", "2.1"),
    ("v1.1/exemples/exemple_invalide.csv", "2.0"),  # 1.1 has the 2.0 names
    ("initial-2018-04-27/exemple_subventions.csv", "1.x"),
    ("arrete-cols-2018-04-27/exemple_scdl.csv", "1.x"),
]


@pytest.mark.parametrize(("name", "expected"), EXAMPLES)
def test_detect_version_of_official_examples(shared_data: Path, name: str, expected: str) -> None:
    path = shared_data / "schemas/scdl-subventions" / name
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert detect_version(header) == expected


def test_detect_version_of_real_files(shared_data: Path) -> None:
    real = shared_data / "real"
    header = real / "vendee/2017_Publication_données_Open_data_Subventions_Conventions.csv"
    cells = header.read_text(encoding="utf-8", errors="replace").splitlines()[0].split(",")
    assert detect_version(cells) == "2.0"
    nievre = real / "scdl-2018-collectivites/DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv"
    cells = nievre.read_text(encoding="utf-8", errors="replace").splitlines()[0].split(",")
    assert detect_version(cells) == "1.x"


@pytest.mark.parametrize(
    ("short", "full"),
    [("2.1", "2.1.1"), ("2.0", "2.0.2"), ("1.x", "1.1"), ("other", "2.1.1"), ("2.0.1", "2.0.1")],
)
def test_schema_version(short: str, full: str) -> None:
    assert schema_version(short) == full


def test_unknown_version_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        load_schema("3.0")


OFFICIAL = {
    "1.1": "v1.1",
    "2.0.0": "v2.0.0",
    "2.0.1": "v2.0.1",
    "2.0.2": "v2.0.2",
    "2.1.0": "v2.1.0",
    "2.1.1": "v2.1.1",
    "draft-2024": "HEAD-datasubvention-draft-2024",
}
_CONSTRAINTS = ("required", "pattern", "enum", "minimum", "maximum", "maxLength")


def _facts(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the facts conformance uses, per field, in a comparable shape."""
    facts = []
    for f in schema["fields"]:
        constraints = f.get("constraints", {})
        facts.append(
            {
                "name": f["name"],
                "type": f["type"],
                "trueValues": f.get("trueValues"),
                "falseValues": f.get("falseValues"),
                # "required": false is the same as no "required" (v1.1 writes it out)
                **{k: constraints.get(k) for k in _CONSTRAINTS if constraints.get(k)},
            }
        )
    return facts


@pytest.mark.parametrize("version", sorted(OFFICIAL))
def test_transcription_matches_official_schema(shared_data: Path, version: str) -> None:
    path = shared_data / "schemas/scdl-subventions" / OFFICIAL[version] / "schema.json"
    official = json.loads(path.read_text(encoding="utf-8"))
    ours = load_schema(version)
    assert _facts(ours) == _facts(official)
    assert ours["custom_checks"] == official.get("custom_checks", [])


def test_load_schema_gives_a_fresh_copy() -> None:
    first = load_schema("2.1")
    first["fields"][0]["constraints"]["required"] = False
    assert load_schema("2.1")["fields"][0]["constraints"]["required"] is True
