"""Catalogue entries owned by the read step (see fundtrail.catalogue).

Refusals are raised as ``UnreadableError(code, ...)`` when a whole file cannot be read; skips
name a sheet or archive member set aside; issues and repairs are attached to a record
(``Record.notes``) or to a table (``Table.notes``).
"""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    # --- refusals: the whole file cannot be read ---------------------------------------
    Entry("file-empty", "refusal", "error", "Fichier vide", "Empty file"),
    Entry(
        "file-binary",
        "refusal",
        "error",
        "Fichier binaire : ni texte, ni tableur, ni archive reconnus",
        "Binary file: neither text, spreadsheet nor a known archive",
    ),
    Entry(
        "file-too-large",
        "refusal",
        "error",
        "Fichier plus gros que la limite fixée",
        "File larger than the configured limit",
    ),
    Entry(
        "file-unreadable",
        "refusal",
        "error",
        "Fichier illisible (erreur d'entrée-sortie)",
        "File cannot be read (input/output error)",
    ),
    Entry(
        "format-unsupported",
        "refusal",
        "error",
        "Format non pris en charge (XML, PDF, ...)",
        "Unsupported format (XML, PDF, ...)",
    ),
    Entry(
        "header-not-found",
        "refusal",
        "error",
        "Aucune ligne d'en-tête trouvée : le fichier ne ressemble pas à un tableau",
        "No header line found: the file does not look like a table",
    ),
    Entry(
        "spreadsheet-corrupt",
        "refusal",
        "error",
        "Classeur illisible (tronqué ou corrompu)",
        "Spreadsheet cannot be read (truncated or corrupt)",
    ),
    Entry(
        "spreadsheet-no-table",
        "refusal",
        "error",
        "Aucune feuille du classeur ne contient de tableau",
        "No sheet of the workbook holds a table",
    ),
    Entry("json-invalid", "refusal", "error", "JSON invalide", "Invalid JSON"),
    Entry(
        "json-too-deep",
        "refusal",
        "error",
        "JSON imbriqué trop profondément",
        "JSON nested too deeply",
    ),
    Entry(
        "json-too-large",
        "refusal",
        "error",
        "JSON trop gros pour être lu en mémoire",
        "JSON too large to be read in memory",
    ),
    Entry(
        "json-no-records",
        "refusal",
        "error",
        "Le JSON ne contient aucune liste d'enregistrements",
        "The JSON holds no array of records",
    ),
    Entry(
        "archive-corrupt",
        "refusal",
        "error",
        "Archive tronquée ou corrompue",
        "Truncated or corrupt archive",
    ),
    Entry(
        "archive-bomb",
        "refusal",
        "error",
        "Archive refusée : elle se décompresse bien au-delà des limites (bombe de décompression)",
        "Archive refused: it expands far beyond the limits (decompression bomb)",
    ),
    Entry(
        "archive-too-deep",
        "refusal",
        "error",
        "Archives imbriquées trop profondément",
        "Archives nested too deeply",
    ),
    Entry(
        "archive-empty",
        "refusal",
        "error",
        "L'archive ne contient aucun fichier lisible",
        "The archive holds no readable file",
    ),
    # --- skips: a part of a file set aside ---------------------------------------------
    Entry("sheet-empty", "skip", "info", "Feuille vide", "Empty sheet"),
    Entry(
        "sheet-not-a-grant-table",
        "skip",
        "info",
        "Feuille sans en-tête de subventions (récapitulatif, notes, ...)",
        "Sheet without a grant header (summary, notes, ...)",
    ),
    Entry(
        "sheet-unreadable",
        "skip",
        "warning",
        "Feuille illisible (cellules corrompues)",
        "Sheet cannot be read (corrupt cells)",
    ),
    Entry(
        "sheet-duplicate",
        "skip",
        "info",
        "Feuille identique à une feuille précédente",
        "Sheet identical to an earlier sheet",
    ),
    Entry(
        "archive-member-unreadable",
        "skip",
        "warning",
        "Fichier de l'archive illisible",
        "Archive member cannot be read",
    ),
    # --- record issues -------------------------------------------------------------------
    Entry(
        "ragged-row-ambiguous",
        "issue",
        "error",
        "Ligne avec trop de cellules : plusieurs découpages possibles, aucun n'est retenu",
        "Row with too many cells: several splits are possible, none is chosen",
    ),
    Entry(
        "ragged-row-unrecoverable",
        "issue",
        "error",
        "Ligne avec trop de cellules : aucun découpage ne donne des colonnes plausibles",
        "Row with too many cells: no split gives plausible columns",
    ),
    Entry(
        "short-row",
        "issue",
        "warning",
        "Ligne avec moins de cellules que l'en-tête : complétée par des cellules vides",
        "Row with fewer cells than the header: padded with empty cells",
    ),
    Entry(
        "csv-unparseable",
        "issue",
        "error",
        "La lecture du fichier s'arrête ici (guillemet non fermé, cellule démesurée)",
        "Reading stops here (unclosed quote, oversized cell)",
    ),
    Entry(
        "json-record-not-object",
        "issue",
        "error",
        "Enregistrement JSON qui n'est pas un objet",
        "JSON record that is not an object",
    ),
    # --- record repairs ------------------------------------------------------------------
    Entry(
        "ragged-row-rejoined",
        "repair",
        "info",
        "Ligne avec trop de cellules : cellules voisines recollées (un seul découpage plausible)",
        "Row with too many cells: adjacent cells re-joined (only one plausible split)",
    ),
    Entry(
        "row-unquoted",
        "repair",
        "info",
        "Ligne entière entre guillemets (aller-retour Excel) : redécoupée au séparateur",
        "Whole row in quotes (Excel round trip): split again at the separator",
    ),
    # --- table notes ---------------------------------------------------------------------
    Entry(
        "encoding-mislabelled",
        "issue",
        "info",
        "Le nom du fichier annonce un autre encodage que celui des octets",
        "The file name announces another encoding than its bytes",
    ),
    Entry(
        "encoding-mixed",
        "issue",
        "warning",
        "Encodages mêlés : des octets non UTF-8 ont été lus en Windows-1252",
        "Mixed encodings: non UTF-8 bytes were read as Windows-1252",
    ),
    Entry(
        "text-mojibake",
        "issue",
        "warning",
        "Caractères déjà altérés dans le fichier (ex. « Ã© » pour « é »)",
        "Characters already garbled in the file (e.g. 'Ã©' for 'é')",
    ),
    Entry(
        "header-unrecognised",
        "issue",
        "warning",
        "En-tête choisi sans reconnaître de nom de champ SCDL",
        "Header chosen without recognising any SCDL field name",
    ),
    Entry(
        "stray-separators-stripped",
        "repair",
        "info",
        "Séparateurs parasites en fin de ligne retirés",
        "Stray separators at the end of lines removed",
    ),
]
