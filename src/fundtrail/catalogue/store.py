"""Catalogue entries owned by the ingest pipeline and the store (see fundtrail.catalogue)."""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    Entry(
        "beneficiary-missing",
        "issue",
        "error",
        "Bénéficiaire absent : ni nom ni identifiant",
        "No beneficiary: neither a name nor an identifier",
    ),
    Entry(
        "amount-missing",
        "issue",
        "error",
        "Montant absent",
        "Amount missing",
    ),
    Entry(
        "funder-missing",
        "issue",
        "warning",
        "Attribuant inconnu : le fichier n'a pas de colonne attribuant et aucun "
        "--funder-name n'a été donné",
        "Funder unknown: the file has no funder column and no --funder-name was given",
    ),
    Entry(
        "funder-name-missing",
        "issue",
        "warning",
        "Nom de l'attribuant absent sur cette ligne",
        "Funder name missing on this row",
    ),
    Entry(
        "date-missing",
        "issue",
        "warning",
        "Date de convention absente",
        "Convention date missing",
    ),
    Entry(
        "share-percent-to-fraction",
        "repair",
        "info",
        "Pourcentage publié en points (45 = 45 %) converti en fraction (0,45)",
        "Share published in points (45 = 45 %) converted to a fraction (0.45)",
    ),
    Entry(
        "funder-from-option",
        "issue",
        "info",
        "Attribuant pris de l'option --funder-name/--funder-id (le fichier n'en a pas)",
        "Funder taken from the --funder-name/--funder-id option (the file has none)",
    ),
    Entry(
        "amount-rounded",
        "repair",
        "info",
        "Montant arrondi au millionième (bruit de virgule flottante d'un tableur)",
        "Amount rounded to the millionth (floating-point noise from a spreadsheet)",
    ),
    Entry(
        "not-a-grant-table",
        "refusal",
        "error",
        "Ce n'est pas un tableau de subventions : champs introuvables",
        "Not a grant table: fields not found",
    ),
    Entry(
        "no-grant-table",
        "refusal",
        "error",
        "Aucun tableau de subventions dans ce fichier",
        "No grant table in this file",
    ),
    Entry(
        "file-not-found",
        "refusal",
        "error",
        "Fichier introuvable ou illisible",
        "File not found or not readable",
    ),
    Entry(
        "ingest-failed",
        "refusal",
        "error",
        "Échec inattendu de l'intégration : rien n'a été écrit pour ce fichier",
        "Unexpected ingest failure: nothing was written for this file",
    ),
]
