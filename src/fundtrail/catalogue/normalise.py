"""Catalogue entries owned by the normalise step (see fundtrail.catalogue).

Repairs name a rule that changed a published value provably (the original is kept beside
the result); issues say what a value parser found. Codes are emitted by the modules of
``fundtrail.normalise`` and documented in their docstrings.
"""

from __future__ import annotations

from fundtrail.catalogue import Entry
from fundtrail.model import Severity


def _repair(code: str, fr: str, en: str) -> Entry:
    return Entry(code, "repair", "info", fr, en)


def _issue(code: str, severity: Severity, fr: str, en: str) -> Entry:
    return Entry(code, "issue", severity, fr, en)


ENTRIES: list[Entry] = [
    # --- amounts ------------------------------------------------------------------------
    _repair(
        "amount-french-format",
        "Montant écrit à la française (virgule décimale, espaces entre milliers) converti",
        "Amount written the French way (decimal comma, spaces between thousands) converted",
    ),
    _repair(
        "amount-comma-thousands",
        "Virgules séparant les milliers retirées",
        "Commas separating thousands removed",
    ),
    _repair(
        "amount-dot-thousands",
        "Points séparant les milliers retirés",
        "Dots separating thousands removed",
    ),
    _repair(
        "amount-currency-removed",
        "Symbole monétaire (€, EUR, euros) retiré du montant",
        "Currency mark (€, EUR, euros) removed from the amount",
    ),
    _repair(
        "amount-parentheses-negative",
        "Montant entre parenthèses lu comme négatif (usage comptable)",
        "Amount in parentheses read as negative (accounting usage)",
    ),
    _issue(
        "amount-not-a-number",
        "error",
        "Le montant n'est pas un nombre",
        "The amount is not a number",
    ),
    _issue(
        "amount-scientific-notation",
        "error",
        "Montant en notation scientifique : des chiffres ont pu être perdus, il n'est pas deviné",
        "Amount in scientific notation: digits may have been lost, it is not guessed",
    ),
    _issue(
        "amount-ambiguous-separator",
        "warning",
        "Séparateur ambigu (une virgule suivie de trois chiffres) lu comme séparateur de milliers",
        "Ambiguous separator (a comma followed by three digits) read as a thousands separator",
    ),
    _issue("amount-negative", "warning", "Montant négatif", "Negative amount"),
    _issue("amount-zero", "warning", "Montant nul", "Zero amount"),
    _issue(
        "amount-text-around",
        "warning",
        "Texte autour du montant : seul le nombre est retenu",
        "Text around the amount: only the number is kept",
    ),
    _issue(
        "amount-implausible",
        "warning",
        "Montant d'un milliard d'euros ou plus : à vérifier (conservé tel quel)",
        "Amount of one billion euros or more: to be checked (kept as published)",
    ),
    # --- dates and periods --------------------------------------------------------------
    _repair(
        "date-time-dropped",
        "Heure retirée de la date",
        "Time of day removed from the date",
    ),
    _repair(
        "date-iso-variant",
        "Date année-mois-jour écrite avec d'autres séparateurs ou sans zéros, remise en ISO",
        "Year-month-day date written with other separators or without zeros, made ISO",
    ),
    _repair(
        "date-french-order",
        "Date jour/mois/année remise en ordre ISO",
        "Day/month/year date put in ISO order",
    ),
    _repair(
        "date-french-month-name",
        "Mois écrit en toutes lettres converti",
        "Month written as a French word converted",
    ),
    _repair(
        "date-two-digit-year",
        "Année à deux chiffres complétée (00-69 : 20xx, 70-99 : 19xx)",
        "Two-digit year completed (00-69: 20xx, 70-99: 19xx)",
    ),
    _repair(
        "date-excel-serial",
        "Numéro de jour Excel converti en date",
        "Excel serial day number converted to a date",
    ),
    _issue(
        "date-invalid",
        "warning",
        "Date inexistante au calendrier",
        "Date that does not exist in the calendar",
    ),
    _issue(
        "date-unrecognised",
        "warning",
        "Texte qui n'est pas une date reconnue",
        "Text that is not a recognised date",
    ),
    _issue(
        "date-implausible",
        "warning",
        "Année hors de 1990-2100 : à vérifier (conservée)",
        "Year outside 1990-2100: to be checked (kept)",
    ),
    _repair(
        "period-separator",
        "Période réécrite au format ISO début/fin",
        "Period rewritten in the ISO start/end form",
    ),
    _issue(
        "period-partly-text",
        "warning",
        "Période en partie rédigée : seule la date lisible est retenue",
        "Period partly written in words: only the readable date is kept",
    ),
    _issue(
        "period-not-a-date",
        "warning",
        "La période de versement n'est pas une date (texte conservé tel quel)",
        "The payment period is not a date (text kept as published)",
    ),
    _issue(
        "period-end-before-start",
        "warning",
        "Fin de période antérieure à son début",
        "Period ends before it starts",
    ),
    # --- identifiers --------------------------------------------------------------------
    _repair(
        "identifier-float-suffix",
        "Suffixe « .0 » d'un nombre à virgule retiré de l'identifiant",
        "Float suffix '.0' removed from the identifier",
    ),
    _repair(
        "identifier-separators-removed",
        "Espaces, points ou apostrophes retirés de l'identifiant",
        "Spaces, dots or apostrophes removed from the identifier",
    ),
    _repair(
        "siret-leading-zero-restored",
        "Zéro initial perdu du SIRET rétabli (la clé de contrôle le confirme)",
        "Lost leading zero of the SIRET restored (the check digit confirms it)",
    ),
    _repair(
        "siren-leading-zero-restored",
        "Zéro initial perdu du SIREN rétabli (la clé de contrôle le confirme)",
        "Lost leading zero of the SIREN restored (the check digit confirms it)",
    ),
    _repair(
        "rna-normalised",
        "Numéro RNA remis en majuscules sans espaces",
        "RNA number put in upper case without spaces",
    ),
    _issue(
        "identifier-destroyed-scientific",
        "warning",
        "Identifiant détruit par la notation scientifique d'un tableur : non deviné",
        "Identifier destroyed by a spreadsheet's scientific notation: not guessed",
    ),
    _issue(
        "identifier-destroyed-float",
        "warning",
        "Identifiant tronqué par un nombre à virgule (derniers chiffres remplacés par des zéros)",
        "Identifier truncated by a float (last digits replaced by zeros)",
    ),
    _issue(
        "siret-nic-invalid",
        "warning",
        "SIRET dont seul le SIREN est valide : l'établissement est inconnu",
        "SIRET of which only the SIREN is valid: the establishment is unknown",
    ),
    _issue(
        "siret-invalid",
        "warning",
        "SIRET invalide (clé de contrôle fausse)",
        "Invalid SIRET (wrong check digit)",
    ),
    _issue(
        "siren-invalid",
        "warning",
        "SIREN invalide (clé de contrôle fausse)",
        "Invalid SIREN (wrong check digit)",
    ),
    _issue(
        "siren-instead-of-siret",
        "info",
        "SIREN (9 chiffres) donné au lieu d'un SIRET",
        "SIREN (9 digits) given instead of a SIRET",
    ),
    _issue(
        "identifier-unrecognised",
        "warning",
        "Ni SIRET, ni SIREN, ni RNA",
        "Neither a SIRET, a SIREN nor an RNA number",
    ),
    _issue(
        "personal-identifier-withheld",
        "warning",
        "Identifiant d'une personne (NIR) : non conservé, non affiché",
        "A person's identifier (NIR): not kept, not shown",
    ),
    _issue(
        "rna-invalid",
        "warning",
        "Numéro RNA invalide (attendu : W suivi de 9 caractères)",
        "Invalid RNA number (expected: W followed by 9 characters)",
    ),
    # --- booleans, shares, nature, text -------------------------------------------------
    _repair(
        "boolean-spelling",
        "Oui/non écrit autrement (majuscules, true/false, 1/0...) converti",
        "Yes/no written otherwise (capitals, true/false, 1/0...) converted",
    ),
    _issue(
        "boolean-invalid",
        "warning",
        "Valeur qui n'est ni oui ni non",
        "Value that is neither yes nor no",
    ),
    _repair(
        "share-percent-sign",
        "Signe % retiré du pourcentage",
        "Percent sign removed from the share",
    ),
    _repair(
        "share-decimal-comma",
        "Virgule décimale du pourcentage convertie",
        "Decimal comma of the share converted",
    ),
    _issue(
        "share-out-of-range",
        "warning",
        "Pourcentage négatif ou supérieur à 100",
        "Share below zero or above 100",
    ),
    _issue(
        "share-not-a-number",
        "warning",
        "Le pourcentage n'est pas un nombre",
        "The share is not a number",
    ),
    _repair(
        "nature-spelling",
        "Nature de l'aide écrite autrement que dans le schéma, reconnue",
        "Nature of the aid written otherwise than in the schema, recognised",
    ),
    _issue(
        "nature-unknown",
        "warning",
        "Nature de l'aide non reconnue (ni numéraire ni nature)",
        "Nature of the aid not recognised (neither cash nor in kind)",
    ),
    _repair(
        "text-control-chars-removed",
        "Caractères de contrôle invisibles retirés",
        "Invisible control characters removed",
    ),
    _repair(
        "text-blanks-collapsed",
        "Espaces multiples, insécables ou retours à la ligne réduits à une espace",
        "Repeated, no-break blanks or line breaks reduced to one space",
    ),
    _repair(
        "text-unicode-composed",
        "Accents décomposés recomposés (Unicode NFC)",
        "Decomposed accents composed (Unicode NFC)",
    ),
]
