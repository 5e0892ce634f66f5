"""Catalogue entries owned by the validate step (see fundtrail.catalogue).

Two families: ``header-*`` notes from mapping a header line (fundtrail.sources.headers),
and ``schema-*`` issues from judging a table against an SCDL Table Schema the way the
official validator does (fundtrail.validate.conformance). Every ``schema-*`` issue is an
error: the file is not conformant, even when fundtrail could repair the value on ingest.
"""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    # header mapping
    Entry(
        "header-duplicate-field",
        "issue",
        "warning",
        "Deux colonnes désignent le même champ : la première est retenue, "
        "l'autre est gardée comme colonne supplémentaire",
        "Two columns name the same field: the first is used, the other is kept as an extra column",
    ),
    Entry(
        "header-context-resolved",
        "issue",
        "info",
        "En-tête ambigu interprété d'après les colonnes voisines",
        "Ambiguous header read from its neighbouring columns",
    ),
    Entry(
        "header-personal-identifier",
        "issue",
        "warning",
        "Colonne pouvant contenir un NIR (numéro de sécurité sociale) : jamais affichée "
        "ni exportée",
        "Column that may hold a NIR (social security number): never displayed or exported",
    ),
    # schema conformance, columns
    Entry(
        "schema-missing-column",
        "issue",
        "error",
        "Colonne obligatoire absente du fichier",
        "Required column missing from the file",
    ),
    Entry(
        "schema-unknown-column",
        "issue",
        "error",
        "Colonne inconnue du schéma",
        "Column not in the schema",
    ),
    Entry(
        "schema-misnamed-column",
        "issue",
        "error",
        "Colonne mal nommée : le schéma attend un autre nom",
        "Misnamed column: the schema expects another name",
    ),
    Entry(
        "schema-duplicate-column",
        "issue",
        "error",
        "Colonne en double",
        "Duplicate column",
    ),
    Entry(
        "schema-column-order",
        "issue",
        "error",
        "Colonne à une autre place que dans le schéma",
        "Column not at its place in the schema",
    ),
    Entry(
        "schema-extra-cell",
        "issue",
        "error",
        "Ligne plus longue que l'en-tête",
        "Row longer than the header",
    ),
    Entry(
        "schema-missing-cell",
        "issue",
        "error",
        "Ligne plus courte que l'en-tête",
        "Row shorter than the header",
    ),
    Entry(
        "schema-blank-row",
        "issue",
        "error",
        "Ligne vide",
        "Blank row",
    ),
    # schema conformance, cells
    Entry(
        "schema-required-missing",
        "issue",
        "error",
        "Valeur obligatoire absente",
        "Required value missing",
    ),
    Entry(
        "schema-type-number",
        "issue",
        "error",
        "Nombre attendu (chiffres et point décimal, sans espace ni symbole)",
        "Number expected (digits and a decimal point, no spaces or symbols)",
    ),
    Entry(
        "schema-type-integer",
        "issue",
        "error",
        "Nombre entier attendu",
        "Integer expected",
    ),
    Entry(
        "schema-type-date",
        "issue",
        "error",
        "Date attendue au format AAAA-MM-JJ",
        "Date expected as YYYY-MM-DD",
    ),
    Entry(
        "schema-type-boolean",
        "issue",
        "error",
        "Valeur attendue : oui ou non",
        "Value expected: oui or non",
    ),
    Entry(
        "schema-pattern",
        "issue",
        "error",
        "Valeur qui ne respecte pas le format attendu",
        "Value does not match the expected pattern",
    ),
    Entry(
        "schema-enum",
        "issue",
        "error",
        "Valeur hors de la liste autorisée",
        "Value not in the allowed list",
    ),
    Entry(
        "schema-minimum",
        "issue",
        "error",
        "Valeur inférieure au minimum autorisé",
        "Value below the allowed minimum",
    ),
    Entry(
        "schema-maximum",
        "issue",
        "error",
        "Valeur supérieure au maximum autorisé",
        "Value above the allowed maximum",
    ),
    Entry(
        "schema-max-length",
        "issue",
        "error",
        "Texte plus long que la longueur maximale",
        "Text longer than the maximum length",
    ),
    Entry(
        "schema-siret-checksum",
        "issue",
        "error",
        "SIRET invalide (clé de contrôle)",
        "Invalid SIRET (check digit)",
    ),
    Entry(
        "schema-one-of-required",
        "issue",
        "error",
        "Il faut au moins l'un des deux : SIRET ou RNA du bénéficiaire",
        "At least one of the beneficiary's SIRET or RNA is required",
    ),
]
