"""Header mapping: every SCDL version, real spellings, context, duplicates, grant tables."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from fundtrail.sources.headers import (
    HeaderMapping,
    canonical_name,
    fold,
    header_score,
    is_grant_table,
    map_header,
)

SCDL_21_REQUIRED = (
    "nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant",
    "nature", "conditionsVersement", "datesPeriodeVersement", "notificationUE",
    "pourcentageSubvention",
)  # fmt: skip

# published spelling -> canonical field (None: kept as an extra, on purpose)
SPELLINGS: list[tuple[str, str | None]] = [
    # SCDL 2.x names, with the case, BOM and spacing found in files
    ("nomAttribuant", "nomAttribuant"),
    ("\ufeffnomAttribuant", "nomAttribuant"),
    ("ï»¿nomAttribuant", "nomAttribuant"),  # a BOM read as cp1252
    ("NomAttribuant", "nomAttribuant"),
    ("datesperiodeVersement", "datesPeriodeVersement"),
    ("rnaBeneficiaire", "rnaBeneficiaire"),
    ("dispositifAide;", "dispositifAide"),
    ("cléVersement", "cleVersement"),
    # legacy upper-case names (2017 format, 2018 initial draft, arrêté columns)
    ("COLL_NOM", "nomAttribuant"),
    ("COLL_SIRET", "idAttribuant"),
    ("ATTRIB_NOM", "nomBeneficiaire"),
    ("ATTRIB_SIRET", "idBeneficiaire"),
    ("SUB_MONTANT", "montant"),
    ("SUB_OBJET", "objet"),
    ("ATTRIBUANT_NOM", "nomAttribuant"),
    ("BENEFICIAIRE_ID", "idBeneficiaire"),
    ("SUBVENTION_POURCENTAGE", "pourcentageSubvention"),
    ("DATE_PERIODE_VERSEMENT", "datesPeriodeVersement"),
    ("NOTIF_UE", "notificationUE"),
    ("RAE_NUM", "idRAE"),
    ("ACTE_DATE", "dateDecision"),  # the act's date is the decision, not the convention
    # long French labels, with asterisks, newlines, quotes, wrong encodings
    ("Montant total de la subvention*", "montant"),
    ("Identification du bénéficiaire*", "idBeneficiaire"),
    ("Date de la convention", "dateConvention"),
    ("Objet de la subvention", "objet"),
    ("Nom de l'attribuant", "nomAttribuant"),
    ("Nom de l’attribuant", "nomAttribuant"),
    ('"Nom de l\'attribuant"', "nomAttribuant"),
    ("Nom du b\x82n\x82ficiaire*", "nomBeneficiaire"),  # cp850 bytes read as Latin-1
    ("nomBÃ©nÃ©ficiaire", "nomBeneficiaire"),  # UTF-8 read as cp1252
    ("Aide notifiée Ã l'Europe", "notificationUE"),
    ("Date(s) ou période(s) de versement", "datesPeriodeVersement"),
    ("Pourcentage du montant de la subvention attribué au bénéficiaire*", "pourcentageSubvention"),
    ("N°\nDCM", "referenceDecision"),  # Montpellier
    (" Accordé ", "montant"),  # Montpellier
    ("Budget de l'année", "montant"),  # Rennes budget annex
    ("montant_vote", "montant"),  # Paris
    ("Subvention 2011 en euros", "montant"),  # the State's Jaune
    ("Montant (euros)", "montant"),
    ("Objet 2017", "objet"),
    ("Dénomination", "nomBeneficiaire"),
    ("Répertoire national des associations", "rnaBeneficiaire"),
    ("Année", "exerciceBudgetaire"),
    # precision: look-alikes that are NOT the grant's amount or convention date
    ("Montant demandé", "montantDemande"),
    ("Montant de la subvention demandée", "montantDemande"),
    ("Montant versé", "montantVerse"),
    ("Montant versé 2015", "montantVerse"),
    ("Mandaté", "montantVerse"),
    ("Montant ordonnancé", "montantVerse"),
    ("Date de versement", "datesPeriodeVersement"),
    ("Date de délibération", "dateDecision"),
    ("Date de décision", "dateDecision"),
    ("Montant du prêt", None),
    ("Montant de la garantie", None),
    ("Coût total de l'action", "evaluationCout"),
    ("Section", None),
    ("2014", None),  # a bare year is not a field, even though "Subvention 2014" is
    ("CA 2011", None),
    ("Durée convention", None),
    ("SIRET", None),  # context-dependent: see map_header
    ("Nom attributaire", None),  # context-dependent: see map_header
    ("", None),
]


@pytest.mark.parametrize(("cell", "expected"), SPELLINGS)
def test_canonical_name_of_each_spelling(cell: str, expected: str | None) -> None:
    assert canonical_name(cell) == expected


def test_fold_removes_accents_case_spaces_and_punctuation() -> None:
    assert fold("\ufeffMontant total de la\nsubvention*") == "montanttotaldelasubvention"
    assert fold("Référence de la décision") == "referencedeladecision"


def test_header_score_counts_distinct_fields() -> None:
    assert header_score(["montant", "Montant", "objet", "wgs84"]) == 2


def test_map_header_names_extras_and_resolves_duplicates() -> None:
    mapping = map_header(["Montant", "objet", "", "Montant total", "wgs84", "wgs84"])
    assert mapping.fields == ("montant", "objet", None, None, None, None)
    assert mapping.names == ("montant", "objet", "column_3", "Montant total", "wgs84", "wgs84_6")
    assert [(n.code, n.field, n.value) for n in mapping.notes] == [
        ("header-duplicate-field", "montant", "Montant total")
    ]
    assert mapping.extras == {2: "column_3", 3: "Montant total", 4: "wgs84", 5: "wgs84_6"}
    assert mapping.column("objet") == 1
    assert mapping.column("nature") is None
    assert mapping.missing(["montant", "nature", "objet", "idBeneficiaire"]) == [
        "nature",
        "idBeneficiaire",
    ]


def test_bare_siret_identifies_the_party_named_before_it() -> None:
    # A real header (data.gouv.fr, 654a5bcb): the same "Numéro SIRET" twice.
    cells = [
        "Nom ETS attribuant la subvention", "Numéro SIRET", "Date convention",
        "Durée convention", "Nom association", "Numéro SIRET", "Objet subvention",
        "Montant subvention",
    ]  # fmt: skip
    mapping = map_header(cells)
    assert mapping.fields[1] == "idAttribuant"
    assert mapping.fields[5] == "idBeneficiaire"
    # No name column before it: a lone SIRET column identifies the beneficiary.
    assert map_header(["SIRET", "Bénéficiaire", "Montant"]).fields[0] == "idBeneficiaire"


def test_attributaire_depends_on_whether_a_beneficiary_column_exists() -> None:
    with_beneficiary = map_header(
        ["Nom attributaire*", "Identification de l'attributaire*", "Nom du bénéficiaire*"]
    )
    assert with_beneficiary.fields == ("nomAttribuant", "idAttribuant", "nomBeneficiaire")
    # 2017 decree wording: the "attributaire" receives the grant.
    decree = map_header(
        ["Autorité administrative", "Nom attributaire", "N° SIRET attributaire", "Montant"]
    )
    assert decree.fields == ("nomAttribuant", "nomBeneficiaire", "idBeneficiaire", "montant")


def test_personal_identifier_columns_are_flagged() -> None:
    mapping = map_header(["Année", "SIRET ou NIR", "Raison Sociale", "Mandaté"])
    assert mapping.personal == (1,)
    assert ("header-personal-identifier", "idBeneficiaire") in [
        (n.code, n.field) for n in mapping.notes
    ]
    assert map_header(["Nom", "Montant"]).personal == ()


def test_is_grant_table() -> None:
    assert is_grant_table(map_header(["Bénéficiaire", "Montant"])) == (True, [])
    assert is_grant_table(map_header(["Raison Sociale", "Mandaté"])) == (True, [])
    assert is_grant_table(map_header(["nomAttribuant", "objet"])) == (
        False,
        ["montant", "nomBeneficiaire"],
    )
    assert is_grant_table(map_header(["N° SIREN", "Montant"])) == (True, [])


def test_company_register_export_is_not_a_grant_table(shared_data: Path) -> None:
    path = shared_data / "real/paris-sirene-and-defects/ParisSubsidies_SIRENE.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert is_grant_table(map_header(header)) == (False, ["montant", "nomBeneficiaire"])


# file under real/ -> fields its header must map (a subset; the rest may be extras)
REAL_HEADERS: list[tuple[str, str, dict[str, str]]] = [
    (
        "paris-2022-2024/subventions_paris_complet.csv", ",",
        {"numero_siret": "idBeneficiaire", "nom_beneficiaire": "nomBeneficiaire",
         "montant_vote": "montant", "objet_du_dossier": "objet",
         "annee_budgetaire": "exerciceBudgetaire", "nature_de_la_subvention": "nature"},
    ),
    (
        "paris-sirene-and-defects/ParisSubsidies_IncorrectSiret.csv", ",",
        {"Collectivité": "nomAttribuant", "Nom Bénéficiaire": "nomBeneficiaire",
         "Numéro Siret": "idBeneficiaire", "Montant voté": "montant",
         "Numéro de dossier": "idSubvention"},
    ),
    (
        "rennes-montpellier-2019/subventions_montpellier.csv", ",",
        {"Nom association": "nomBeneficiaire", "SIRET": "idBeneficiaire",
         " Accordé ": "montant", "N°\nDCM": "referenceDecision", "DCM\nDate": "dateDecision",
         "Titre du projet": "objet", " Modalités de paiement ": "conditionsVersement"},
    ),
    (
        "rennes-montpellier-2019/bp-2019-ville-de-rennes-subventions-aux-associations.csv", ",",
        {"Bénéficiaire": "nomBeneficiaire", "Budget de l'année": "montant"},
    ),
    (
        "maine-et-loire/224900019_subventions-aux-associations-du-departement-de-maine-et-loire.csv",
        ";",
        {"SIRET ou NIR": "idBeneficiaire", "Raison Sociale": "nomBeneficiaire",
         "Mandaté": "montantVerse", "Année": "exerciceBudgetaire"},
    ),
    (
        "scdl-2018-collectivites/SCDL_COM_Poitiers_citoyennete-subventions-directes-"
        "attribuees-aux-associations-2017-ville-de-poiti.csv", ";",
        {"COLL_NOM": "nomAttribuant", "ATTRIB_SIRET": "idBeneficiaire",
         "SUB_MONTANT": "montant", "SUB_OBJ": "objet",
         "Notification à la commission Européenne": "notificationUE"},
    ),
    (
        "scdl-2018-collectivites/DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv", ",",
        {"COLL_SIRET": "idAttribuant", "ATTRIB_NOM": "nomBeneficiaire",
         "SUB_VERSEMENT": "conditionsVersement", "NOTIF_EU": "notificationUE"},
    ),
    (
        "vendee/2017_Publication_données_Open_data_Subventions_Conventions.csv", ",",
        {"IdRAE": "idRAE", "datesPeriodeVersement": "datesPeriodeVersement"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "sep", "expected"), REAL_HEADERS)
def test_real_file_headers(
    shared_data: Path, name: str, sep: str, expected: dict[str, str]
) -> None:
    raw = (shared_data / "real" / name).read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    header = next(csv.reader(text.splitlines(keepends=True), delimiter=sep))
    mapping = map_header(header)
    got = {cell: mapping.fields[i] for i, cell in enumerate(header) if cell in expected}
    assert got == expected
    assert is_grant_table(mapping) == (True, [])


def test_codah_json_keys(shared_data: Path) -> None:
    records = json.loads(
        (shared_data / "real/codah-le-havre/OD.SUBVENTION_CONVENTION_CODAH.json").read_text(
            encoding="utf-8"
        )
    )
    mapping = map_header(list(records[0]))
    assert mapping.mapped.keys() >= {
        "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
        "nomBeneficiaire", "idBeneficiaire", "objet", "montant",
    }  # fmt: skip
    assert mapping.fields[list(records[0]).index("SIRET")] == "idBeneficiaire"


# dataset_dict.csv spelling -> (what fundtrail gives, why it differs from the dictionary)
DATASET_DICT_DIVERGENCES: dict[str, tuple[str | None, str]] = {
    "datedecision": ("dateDecision", "a decision date is not the convention's date"),
    "acte_date": ("dateDecision", "the act's date is the decision, not the convention"),
    "datevote": ("dateDecision", "the vote is the decision, not the convention"),
    "date de deliberation": ("dateDecision", "the deliberation is the decision"),
    "exercice": ("exerciceBudgetaire", "a budget year is not a date"),
    "annee_subv": ("exerciceBudgetaire", "a year is not a date"),
    "annze": (None, "a typo of 'année': a year is not a date, and too odd to alias"),
    "anne": (None, "a truncated 'année': too odd to alias, and a year is not a date"),
    "dateSoldeVersement": (None, "one of several payment dates, not the period"),
    "dateVersementSolde": (None, "one of several payment dates, not the period"),
    "Identification de l'attributaire": (None, "context-dependent, map_header resolves it"),
    "Identification de l’attributaire (SIRET)": (None, "context-dependent (map_header)"),
    "identification de l'attributaire (siret)": (None, "context-dependent (map_header)"),
    "Nom de l’attributaire": (None, "context-dependent (map_header)"),
    "N° Siret": (None, "bare SIRET: context-dependent (map_header)"),
    "SIRET": (None, "bare SIRET: context-dependent (map_header)"),
    "N° SIRET": (None, "bare SIRET: context-dependent (map_header)"),
    "beneficiaire_code": (None, "an internal third-party code, not a SIRET"),
    "code_tiers_beneficiaire": (None, "an internal third-party code, not a SIRET"),
    "Raison sociale (SIRENE)": (None, "a name is not an RNA number"),
    "section": (None, "categoryUsage is not an SCDL field: kept as an extra"),
    "type_de_subvention": (None, "categoryUsage is not an SCDL field"),
    "type": (None, "categoryUsage is not an SCDL field"),
    "type de subvention": (None, "categoryUsage is not an SCDL field"),
    "section_nature": (None, "categoryUsage is not an SCDL field"),
    "montant_des_avantages_en_nature": (None, "the value of in-kind help, not the total"),
    "montant des avantages en nature": (None, "the value of in-kind help, not the total"),
    "reference administrative (demande)": (None, "the request's file number, not the decision"),
    "numero_complet_engagement": ("ej", "a legal commitment number (draft field ej)"),
    "codarticle": (None, "a budget article code, not a decision reference"),
    "gestion": (None, "too vague to name the funder"),
    "identifiant_unique": ("idSubvention", "the grant's own identifier (draft idSubvention)"),
    "objet": ("objet", "the dictionary's 'nature' is a slip: objet is the purpose"),
    "libelle cdpaie": (None, "a payment-code label, not a date or period"),
    "attribution_nouvelles 2019": (None, "new grants of one year only: too specific"),
    "dates_versement": ("datesPeriodeVersement", "the dictionary misspells the SCDL name"),
    "numero de referencement au repertoire des entreprises": (
        "idRAE",
        "in the files that use it, this column sits in the RAE slot beside the SIRET",
    ),
    "la_somme_e_mtdel": (None, "an opaque abbreviation"),
    "total_des_mandats_emis": ("montantVerse", "payments ordered: paid, not granted"),
    "subventions_versees": ("montantVerse", "paid, not granted"),
    "somme des subventions versees en 2013": ("montantVerse", "paid, not granted"),
}


def test_dataset_dict_spellings(shared_data: Path) -> None:
    path = shared_data / "reference/eclaireur-public/dataset_dict.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    assert len(rows) == 141
    unexplained = []
    used = set()
    for original, official in rows:
        got = canonical_name(original)
        if original in DATASET_DICT_DIVERGENCES:
            used.add(original)
            assert got == DATASET_DICT_DIVERGENCES[original][0], original
        elif got != official:
            unexplained.append((original, official, got))
    assert unexplained == []
    assert used == set(DATASET_DICT_DIVERGENCES)  # no stale entry in the table
    agreeing = sum(1 for o, off in rows if canonical_name(o) == off)
    assert agreeing >= 98  # measured: 98 of 141 (the rest are the table above)


def test_context_spellings_resolve_in_their_files() -> None:
    header = ["Nom de l'attribuant", "Identification de l'attributaire", "Nom du bénéficiaire"]
    assert map_header(header).fields[1] == "idAttribuant"
    assert map_header(["Nom du bénéficiaire", "N° SIRET", "Montant"]).fields[1] == (
        "idBeneficiaire"
    )


def _survey_files(shared_data: Path) -> list[tuple[str, list[str]]]:
    survey = shared_data / "survey/wald52-dons-aux-associations/scdl.json"
    data = json.loads(survey.read_text(encoding="utf-8"))
    return [(f["fichier"], f["colonnes"]) for d in data["datasets"] for f in d["fichiers"]]


def test_survey_every_cell_is_mapped_or_kept(shared_data: Path, tmp_path: Path) -> None:
    files = _survey_files(shared_data)
    assert len(files) == 504
    mapped = kept = 0
    extras: Counter[str] = Counter()
    complete_21: list[str] = []
    lacking_key: list[tuple[str, list[str], list[str]]] = []
    for name, cells in files:
        mapping: HeaderMapping = map_header(cells)
        assert len(mapping.fields) == len(mapping.names) == len(cells)
        assert all(mapping.names) and len(set(mapping.names)) == len(cells), name
        for i, field in enumerate(mapping.fields):
            if field is None:
                kept += 1
                if cells[i].strip():
                    extras[cells[i].strip()] += 1
            else:
                mapped += 1
        if not mapping.missing(SCDL_21_REQUIRED):
            complete_21.append(name)
        key_missing = mapping.missing(["nomBeneficiaire", "montant"])
        if key_missing:
            lacking_key.append((name, key_missing, [c for c in cells if c][:12]))

    lines = [
        f"files: {len(files)}",
        f"cells: {mapped + kept}, mapped: {mapped}, kept as extras: {kept}",
        f"files with every SCDL 2.1 required field mapped: {len(complete_21)}",
        f"files missing nomBeneficiaire or montant: {len(lacking_key)}",
        "most frequent extras:",
        *(f"  {n:4d}  {cell!r}" for cell, n in extras.most_common(30)),
        "files missing a key field (for a person to judge):",
        *(f"  {n}: missing {m}; header {h}" for n, m, h in lacking_key),
    ]
    report = "\n".join(lines)
    (tmp_path / "survey-headers.txt").write_text(report, encoding="utf-8")
    print(report)

    # Measured on the 504 files (see the printed report): 6,955 cells, 4,729 mapped,
    # 202 files with every SCDL 2.1 required field, 58 lacking nomBeneficiaire or montant.
    assert mapped + kept == 6955
    assert mapped >= 4729
    assert len(complete_21) >= 202
    assert len(lacking_key) <= 58
