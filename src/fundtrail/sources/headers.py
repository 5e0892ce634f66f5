"""Header cells -> canonical field names: every SCDL version and the real-world spellings.

A header cell is first *folded* (BOM, accents, case, spaces, newlines, asterisks and
punctuation removed) and then looked up in ``ALIASES``; a cell that maps nowhere is kept
by the pipeline as a named extra column, never dropped.

Precision matters more than recall: a wrong mapping puts a paid amount in ``montant`` or a
payment date in ``dateConvention`` without anyone noticing, while an unmapped column is
still kept (as an extra) and shown. So the aliases below are explicit spellings seen in
published files, not keyword guesses; the only rules are

- a trailing year or currency unit is ignored ("Subvention 2012 en euros", "Montant (euros)");
- a header broken by a wrong encoding ("R\\x82f\\x82rence", "NomBÃ©nÃ©ficiaire") is repaired
  before lookup;
- two families of cells depend on their neighbours, and only ``map_header`` (which sees the
  whole line) resolves them: a bare "SIRET"/"SIREN" column identifies the party named just
  before it (funder or beneficiary), and "attributaire" means the funder in files that also
  have a beneficiary column but the beneficiary in files written after the 2017 decree's
  wording (where "attributaire" is the one who receives).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from fundtrail.model import Note
from fundtrail.sources.fields import FIELDS

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(cell: str) -> str:
    """Return ``cell`` folded for matching: no BOM, accents, case, spaces or punctuation."""
    text = cell.replace("\ufeff", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text.lower())


# Published spellings per canonical field, written as they appear in files (folded below).
# Sources: the SCDL schemas and examples of every version, the 2017 arrêté's labels, the
# header lines of 504 data.gouv.fr files (wald52 survey), eclaireur-public's dataset_dict,
# the State's "Jaune" annexes and the city exports in ../shared/data/real.
# fmt: off
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "nomAttribuant": (
        "COLL_NOM", "ATTRIBUANT_NOM", "nomattribuant_0", "cscollnom", "sacollnom", "nom_attribuant",
        "Nom de l'attribuant", "Nom attribuant", "NOM ATTRIBUANT", "Nom de l'attribuant(RBOP)",
        "Nom ETS attribuant la subvention", "NOM COLLECTIVITÉ", "NOM DE LA COLLECTIVITÉ",
        "nom de la collectivité", "Collectivité", "Autorité administrative",
        "AUTORITE ADMINISTRATIVE", "Attribuant", "Ministère", "Ministère en",
    ),
    "idAttribuant": (
        "COLL_SIRET", "ATTRIBUANT_ID", "cscollsiret", "sacollsiret", "identifiant_attribuant",
        "Identification de l'attribuant", "Identifiant de l'attribuant", "Id attribuant",
        "iAttribuant", "IDENTIFIANT ATTRIBUANT", "SIRET autorité administrative",
        "N° SIRET de l'attribuant", "Identification SIRET de l'attribuant",
        "SIRET DE LA COLLECTIVITÉ", "code SIRET de la collectivité", "idattribuant_0",
    ),
    "dateConvention": (
        "CONVENTION_DATE", "CONV_DATE", "CONV_DAT", "Date de la convention",
        "Date de convention", "Date convention", "Date de la convention de subvention",
        "Date la convention de subvention", "Date de signature de la convention",
        "Date de la convention signée AAA-MM-JJ", "Signature convention", "dateconvention_0",
        "la_date_conv",
    ),
    "referenceDecision": (
        "DECISION_REF", "ACTE_REF", "CONV_REF", "Référence de la décision",
        "Reference de la décision", "Référence décision", "REFERENCE DECISION",
        "RÉFÉRENCE de l'ACTE", "Référence délibération", "referenceDeliberation",
        "Référence de la décision (n° d'enregistrement DR de la convention)",
        "N° délibération", "NUMERO_DECISION", "numéro acte", "referenceconvention_0",
        "N° DCM",
    ),
    "nomBeneficiaire": (
        "ATTRIB_NOM", "BENEFICIAIRE_NOM", "Nom du bénéficiaire", "Nom bénéficiaire",
        "Nom bénéficaire", "nom beneficiaire", "Bénéficiaire", "Bénéficiare", "Bénéficiaires",
        "Bénéficiaire 1", "beneficiaire_nom", "nomBenecifiaire", "nomBeneficiere",
        "designation_du_beneficiaire", "Nom des bénéficiaires", "Nom des bénéficaires",
        "Raison sociale du bénéficiaire(association)", "Raison sociale", "raison_sociale",
        "raison_sociale__beneficiaire", "nom___raison_sociale",
        "Nom ou raison sociale du bénéficiaire de l'aide", "Nom de l'association",
        "Nom association", "Association", "association_nom", "NOM DE L'ASSOCIATION",
        "Nom de l'association ou de la fondation bénéficiaire",
        "NOM DE L'ASSOCIATION OU DE LA FONDATION BENEFICIAIRE", "Nom de l'organisme",
        "Nom de l'organisme bénéficiaire d'une subvention", "Libellé tiers",
        "Libellé complet tiers", "libelle_beneficiaire", "tiers_beneficiaire",
        "NOM DU TIERS", "Tiers", "liborgabenef", "nom_structure", "Dénomination", "NOM",
        "BENEFICIAIRE SUBVENTION", "nombeneficiaire_0",
    ),
    "idBeneficiaire": (
        "ATTRIB_SIRET", "BENEFICIAIRE_ID", "BENEFICIAIRES_ID", "ID_BENEFICIAIRE",
        "Identification du bénéficiaire", "Identifiant du bénéficiaire", "Id bénéficiaire",
        "iBeneficiaire", "idBeneficiare", "Identification SIRET du bénéficiaire",
        "N° SIRET du bénéficiaire", "N° SIRET BENEFICIAIRE", "code_siren_siret",
        "CODE SIREN- SIRET", "numero_siret", "siret_1", "siret 1",
        "N° SIREN de l'association ou de la fondation bénéficiaire",
        "Numéro d'inscription de l'attributaire au répertoire des entreprises et de leurs "
        "établissements",
        "SIRET ou NIR", "idbeneficiaire_0",
    ),
    "rnaBeneficiaire": (
        "ATTRIB_RNA", "RNA", "N° RNA ( association)", "Répertoire national des associations",
        "AUTRE NUMERO d'identification (WALDECK)", "Numéro RNA",
    ),
    "objet": (
        "SUB_OBJET", "SUB_OBJ", "SUBVENTION_OBJET", "Objet de la subvention",
        "L'objet de la subvention", "Objet de la subvention objet", "Objet subvention",
        "OBJET SUBVENTION", "Objet de la convention", "Objet convention", "Objet du dossier",
        "objet_du_dossier", "Objet de la demande", "Intitulé - objet", "Titre du projet",
        "TITRE_PROJET", "Destination de la subvention", "Présentation de la demande",
    ),
    "montant": (
        "SUB_MONTANT", "SUBVENTION_MONTANT", "subvention_montant", "Montant total de la subvention",
        "Montant total de la subvention indiqué dans la convention", "Montant de la subvention",
        "MONTANT de la subvention", "Montant subvention", "Montant subvention accordée",
        "Montant total", "Montant attribué", "MONTANT_ATTRIBUE", "Montant accordé",
        "Montant voté", "montant_vote", "Montant décidé ligne", "Montant décidé mouvement",
        "Montant de la subvention votée en Euros", "Montant en euros", "Montant (euros)",
        "Subvention", "Subvention accordée", "Subvention allouée", "Subvention totale",
        "Subvention annuelle", "Total des subventions", "Accordé", "mtsubv",
        "Montant du fonds de concours ou de la subvention (numéraire)",
        "Montant fonds de concours ou subvention Année",
        "Montant fonds de concours ou subvention (numéraire) Année", "Budget de l'année",
        "Montant total des subventions allouées", "Montant octroyé", "Total", "total_montant",
        "Montant budget", "Montant voté BP",
    ),
    "montantVerse": (
        "Montant versé", "MONTANT VERSE", "Mandaté", "Montant ordonnancé",
        "Montant total de la subvention versée (séparateur décimale = virgule)",
        "subventions_versees", "Montant de la subvention versée",
        "montant_de_la_subvention_versee_montant_en_euros",
        "montant_subvention_versee_en_euros", "Montant payé/encaissé", "total_des_mandats_emis",
        "somme des subventions versées en", "Montant budgétaire liquidé",
        "Réalisé (en numéraire) (valeur CA)",
    ),
    "montantDemande": (
        "Montant demandé", "Montant de la subvention demandée", "Montant de la demande",
    ),
    "nature": (
        "SUB_NATURE", "SUBVENTION_NATURE", "Nature de la subvention", "Nature subvention",
        "Nature subventions", "nature_de_la_subvention", "type d'avantage",
        "Nature de la subvention (Préciser : aide en numéraire, en nature)",
    ),
    "conditionsVersement": (
        "CONDITIONS_VERSEMENT", "SUBV_VERSEMENT", "SUB_VERSEMENT", "SUB_CONDITION VERSEMENT",
        "Conditions de versement", "Conditions de versement de la subvention",
        "Conditions versement", "Condition de versement", "conditionVersement", "subv_versement",
        "Conditions de versement préciser : unique, échelonné,", "Modalités de paiement",
        "Modalités de versement",
    ),
    "datesPeriodeVersement": (
        "DATE_PERIODE_VERSEMENT", "SUB_DATES VERSEMENT", "Date(s) ou période(s) de versement",
        "Date ou période de versement", "Date / période de versement", "Date de versement",
        "Dates de versement", "Dates versement", "Date versement", "DATES VERSEMENT",
        "Dates période versement", "Dates de periode de versement",
        "dates de la période de versement", "datePeriodeVersement", "datesPeriodesVersement",
        "DatePeriodedVersement", "dateperiodedversement", "VERSEMENT(S)", "Versements",
    ),
    "idRAE": (
        "RAE_NUM", "RAE", "Id RAE", "Identifiant RAE", "iDRAE", "ID_ENT",
        "N° unique de referencement au RAE", "Numéro unique de référencement au RAE",
        "Identification IRAE de l'aide attribuée",
        "Identifiant RAE de l'aide au titre de laquelle la subvention est attribuée",
        "Numéro unique de réft au répertoire des aides aux entreprises (RAE)",
        "Dispositif recensé au répertoire des aides aux entreprises",
        "Numéro de référencement au répertoire des entreprises",
    ),
    "notificationUE": (
        "NOTIF_UE", "NOTIF_EU", "Notification de minimis", "notificationue_0",
        "Notification UE", "notoficationUE",
        "Aide notifiée à l'Europe", "Aide notifiée l'Europe", "Aide notifiée a  l'europe",
        "Notification à l'Union Européenne", "Notification à la commission Européenne",
        "Aide d'Etat notifiée à la Commission Européenne",
        "Aide d'Etat (ou pas) notifiée à l'UE", "Aide d'Etat notifié à la Commission européenne",
    ),
    "pourcentageSubvention": (
        "SUBVENTION_POURCENTAGE", "Pourcentage subvention", "pourentageSubvention",
        "Pourcentage du montant de la subvention attribué au bénéficiaire",
        "Pourcentage du montant de la subvention attribuée au bénéficiaire",
        "Pourcentage du montant total de la subvention attribuée au bénéficiaire",
        "Pourcentage de montant total de la subvention attribuée au bénéficaire",
        "Pourcentage du montant attribué au bénéficiaire", "Pourcentage du montant total",
        "Pourcentage du montant de la subvention", "Pourcentage de la subvention",
        "% du mt de la subvention attribuée au bénéficiaire",
        "Répartition de la subvention entre les attributaires",
    ),
    "dispositifAide": (
        "SUB_DISPOSITIF", "Identifiant référençant le dispositif d'aide à l'origine de la "
        "subvention",
    ),
    "exerciceBudgetaire": (
        "Exercice", "Exercice budgétaire", "Année", "ANNEE", "annee_subv", "subvention_annee",
        "Année budgétaire", "annee_budgetaire", "Année budgétaire d'affectation de la subvention",
        "anneeExercice", "Millesime",
    ),
    "dateDecision": (
        "Date de décision", "Date décision", "DATE_DECISION", "Date de délibération",
        "Date délibération", "Date de la délibération", "datedecision", "date de deliberation",
        "datevote", "date octroi", "DCM Date", "date acte", "ACTE_DATE",
    ),
    "dateDebut": ("SUB_DATE_DEBUT", "Date début conv", "Date de réalisation (début)"),
    "dateFin": ("SUB_DATE_FIN", "Date de fin de convention", "Date de réalisation (fin)"),
    "idSubvention": ("Numéro de dossier", "numero_de_dossier", "idDossier", "Identifiant unique"),
    "dispositif": ("Dispositif",),
    "ej": ("numero_complet_engagement", "Numéro complet engagement", "Num. engagement"),
    "evaluationCout": ("Coût total de l'action", "Coût total", "Coût du projet"),
}
# fmt: on

# folded spelling -> canonical name. The canonical names themselves are added below.
ALIASES: dict[str, str] = {}
for _name, _spellings in _SPELLINGS.items():
    for _spelling in _spellings:
        ALIASES.setdefault(fold(_spelling), _name)
for _f in FIELDS:
    ALIASES[fold(_f.name)] = _f.name

# Cells whose meaning depends on the rest of the header line (resolved by map_header).
_SIRET_LIKE = frozenset(
    fold(s)
    for s in (
        "SIRET",
        "SIREN",
        "SIRET_ORG",
        "N° SIRET",
        "N° Siret",
        "N° de SIRET",
        "Numéro SIRET",
        "Numéro SIREN",
        "N° SIREN",
        "code_siren",
        "Numéro de SIRET",
    )
)
_ATTRIBUTAIRE_NAME = frozenset(
    fold(s) for s in ("Nom attributaire", "Nom de l'attributaire", "Attributaire")
)
_ATTRIBUTAIRE_ID = frozenset(
    fold(s)
    for s in (
        "Identification de l'attributaire",
        "Identification de l'attributaire (SIRET)",
        "Identifiant de l'attributaire",
        "N° SIRET attributaire",
        "SIRET attributaire",
        "Numéro de SIRET (attributaire)",
    )
)
# A header that may hold a person's NIR: the column must never be shown or indexed.
_PERSONAL = re.compile(r"(^|[^a-z])nir([^a-z]|$)", re.IGNORECASE)

# Long legal labels that publishers cut or extend at will: their folded opening suffices.
_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    (fold(opening), name)
    for opening, name in (
        ("Notification conformément aux dispositions du règlement (UE)", "notificationUE"),
        ("Aide d'Etat notifiée à la Com. euro.", "notificationUE"),
        ("Date(s) ou période(s) de versement", "datesPeriodeVersement"),
    )
)
_TRAILING_NOISE = re.compile(r"(?:(?:19|20)\d\d|eneuros|eneuro|euros|euro|eur|ttc)+$")
_MOJIBAKE_UTF8 = ("Ã", "Â", "ï»¿")


def _unmojibake(cell: str) -> str:
    """Return ``cell`` re-decoded when it shows a known wrong-encoding pattern, else itself."""
    if any("\x80" <= ch <= "\x9f" for ch in cell):
        # DOS code page 850 bytes read as Latin-1: "R\x82f\x82rence" is "Référence".
        try:
            return cell.encode("latin-1").decode("cp850")
        except UnicodeError:
            return cell
    if any(marker in cell for marker in _MOJIBAKE_UTF8):
        try:
            return cell.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return cell
    return cell


@functools.lru_cache(maxsize=65_536)
def _lookup(cell: str) -> str | None:
    """Return the folded key under which ``cell`` is known, trying repairs in turn.

    Cached: the reader scores every line of a file's sample under four separators, and the
    same cells come back file after file.
    """
    for candidate in (cell, _unmojibake(cell)):
        key = fold(candidate)
        if key in ALIASES or key in _SIRET_LIKE or key in _ATTRIBUTAIRE_NAME | _ATTRIBUTAIRE_ID:
            return key
        # "Subvention 2012 en euros", "Montant (euros)", "Objet 2017": the year or unit is
        # not part of the meaning. Never strip down to nothing ("2014" stays unmapped).
        stripped = _TRAILING_NOISE.sub("", key)
        if stripped and stripped != key and stripped in ALIASES:
            return stripped
        for opening, name in _PREFIXES:
            if key.startswith(opening):
                return fold(name)
    return None


def canonical_name(cell: str) -> str | None:
    """Return the canonical field that header ``cell`` names, or None when it names none.

    Cells whose meaning depends on their neighbours (a bare "SIRET", "attributaire") give
    None here; ``map_header`` resolves them from the whole line.
    """
    key = _lookup(cell)
    return ALIASES.get(key) if key else None


def header_score(cells: list[str]) -> int:
    """Return how many distinct canonical fields a candidate header line names."""
    return len({name for name in map(canonical_name, cells) if name})


@dataclass(frozen=True)
class HeaderMapping:
    """How one header line maps onto the canonical fields, column by column.

    ``fields[i]`` is the canonical field of column ``i`` or None; ``names[i]`` is the name
    the column is kept under: its canonical field, or for an extra its published header
    (stripped; ``column_<n>`` with ``n`` counted from 1 when the cell is empty, suffixed
    ``_<n>`` when two extras share a name). ``notes`` say what was resolved or set aside.
    ``personal`` lists the columns that may hold a person's NIR.
    """

    cells: tuple[str, ...]
    fields: tuple[str | None, ...]
    names: tuple[str, ...]
    notes: tuple[Note, ...] = ()
    personal: tuple[int, ...] = ()

    def column(self, field: str) -> int | None:
        """Return the index of the column mapped to ``field``, or None."""
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    @property
    def mapped(self) -> dict[str, int]:
        """Return canonical field -> column index for every mapped column."""
        return {f: i for i, f in enumerate(self.fields) if f is not None}

    @property
    def extras(self) -> dict[int, str]:
        """Return column index -> kept name for every column that maps to no field."""
        return {i: self.names[i] for i, f in enumerate(self.fields) if f is None}

    def missing(self, required: Iterable[str]) -> list[str]:
        """Return the fields of ``required`` that no column maps to, in the given order."""
        have = set(self.fields)
        return [name for name in required if name not in have]


_BENEFICIARY = frozenset({"nomBeneficiaire", "idBeneficiaire"})


def map_header(cells: list[str]) -> HeaderMapping:
    """Return the mapping of a whole header line, resolving context and duplicates."""
    keys = [_lookup(cell) for cell in cells]
    fields: list[str | None] = [ALIASES.get(k) if k else None for k in keys]
    notes: list[Note] = []

    # "attributaire": the funder when the line names a beneficiary elsewhere, else the
    # beneficiary (the 2017 decree calls the receiver "attributaire").
    funder_side = any(
        f in _BENEFICIARY and "attributaire" not in (k or "")
        for f, k in zip(fields, keys, strict=True)
    )
    for i, key in enumerate(keys):
        if key in _ATTRIBUTAIRE_NAME or key in _ATTRIBUTAIRE_ID:
            is_name = key in _ATTRIBUTAIRE_NAME
            if funder_side:
                fields[i] = "nomAttribuant" if is_name else "idAttribuant"
            else:
                fields[i] = "nomBeneficiaire" if is_name else "idBeneficiaire"
            notes.append(Note("header-context-resolved", fields[i], cells[i], "attributaire"))

    # A bare SIRET/SIREN identifies the party whose name column comes just before it.
    for i, key in enumerate(keys):
        if key in _SIRET_LIKE:
            party = next(
                (f for f in reversed(fields[:i]) if f in ("nomAttribuant", "nomBeneficiaire")),
                "nomBeneficiaire",
            )
            fields[i] = "idAttribuant" if party == "nomAttribuant" else "idBeneficiaire"
            notes.append(Note("header-context-resolved", fields[i], cells[i], "siret"))

    seen: set[str] = set()
    for i, name in enumerate(fields):
        if name is None:
            continue
        if name in seen:
            fields[i] = None
            notes.append(Note("header-duplicate-field", name, cells[i], f"column {i + 1}"))
        seen.add(name)

    names: list[str] = []
    taken: set[str] = {f for f in fields if f}
    for i, (cell, name) in enumerate(zip(cells, fields, strict=True)):
        if name is not None:
            names.append(name)
            continue
        kept = cell.replace("\ufeff", "").strip() or f"column_{i + 1}"
        if kept in taken:
            kept = f"{kept}_{i + 1}"
        taken.add(kept)
        names.append(kept)

    personal = tuple(i for i, cell in enumerate(cells) if _PERSONAL.search(cell))
    for i in personal:
        notes.append(Note("header-personal-identifier", fields[i] or names[i], None, None))
    return HeaderMapping(tuple(cells), tuple(fields), tuple(names), tuple(notes), personal)


_AMOUNT_LIKE = ("montant", "montantVerse")


def is_grant_table(mapping: HeaderMapping) -> tuple[bool, list[str]]:
    """Return whether ``mapping`` describes a grant table, and what it lacks to be one.

    A grant table maps an amount (``montant``, or ``montantVerse`` for tables of payments)
    and a beneficiary (``nomBeneficiaire`` or ``idBeneficiaire``). The list names the
    missing roles by their main field, e.g. ``["montant"]`` for a company register export.
    """
    have = set(mapping.fields)
    missing: list[str] = []
    if not have.intersection(_AMOUNT_LIKE):
        missing.append("montant")
    if not have & _BENEFICIARY:
        missing.append("nomBeneficiaire")
    return (not missing, missing)
