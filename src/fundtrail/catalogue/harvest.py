"""Catalogue entries owned by the harvest step (see fundtrail.catalogue).

Refusals say why a resource listed by a catalogue was not downloaded; issues with severity
"error" say why a download failed (nothing of it was archived or ingested); the "info"
entries name the harmless outcomes that the manifest records.
"""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    # Why a resource was not downloaded at all.
    Entry(
        "resource-format-unsupported",
        "refusal",
        "info",
        "Format de ressource non tabulaire (ni CSV, tableur, JSON ni zip de ceux-ci)",
        "Resource format is not tabular (neither CSV, spreadsheet, JSON nor a zip of those)",
    ),
    Entry(
        "resource-no-url",
        "refusal",
        "info",
        "Ressource sans adresse de téléchargement",
        "Resource has no download URL",
    ),
    Entry(
        "resource-before-since",
        "refusal",
        "info",
        "Ressource non modifiée depuis la date demandée (--since)",
        "Resource not modified since the requested date (--since)",
    ),
    Entry(
        "resource-duplicate-url",
        "refusal",
        "info",
        "Adresse déjà vue dans cette moisson",
        "URL already seen in this harvest",
    ),
    Entry(
        "resource-too-large",
        "refusal",
        "warning",
        "Ressource plus grande que la taille maximale permise",
        "Resource larger than the allowed maximum size",
    ),
    # Why a download failed.
    Entry(
        "download-http-error",
        "issue",
        "error",
        "Le serveur a répondu par une erreur HTTP",
        "The server answered with an HTTP error",
    ),
    Entry(
        "download-timeout",
        "issue",
        "error",
        "Délai dépassé pendant le téléchargement",
        "Timed out during the download",
    ),
    Entry(
        "download-connection-error",
        "issue",
        "error",
        "Connexion impossible ou interrompue",
        "Connection failed or was broken",
    ),
    Entry(
        "download-truncated",
        "issue",
        "error",
        "Téléchargement incomplet : le corps reçu est plus court qu'annoncé",
        "Incomplete download: the body received is shorter than announced",
    ),
    Entry(
        "download-redirect-loop",
        "issue",
        "error",
        "Boucle de redirections",
        "Redirect loop",
    ),
    Entry(
        "download-too-many-redirects",
        "issue",
        "error",
        "Trop de redirections",
        "Too many redirects",
    ),
    Entry(
        "download-checksum-mismatch",
        "issue",
        "error",
        "L'empreinte du fichier reçu ne correspond pas à celle du catalogue",
        "The checksum of the file received does not match the catalogue's",
    ),
    Entry(
        "download-empty",
        "issue",
        "error",
        "Fichier reçu vide",
        "Empty file received",
    ),
    Entry(
        "catalogue-http-error",
        "issue",
        "error",
        "Le catalogue a répondu par une erreur ; la liste des jeux de données est incomplète",
        "The catalogue answered with an error; the list of datasets is incomplete",
    ),
    Entry(
        "archive-missing",
        "issue",
        "error",
        "Fichier absent de l'archive ou altéré (empreinte différente)",
        "File missing from the archive or altered (different checksum)",
    ),
    Entry(
        "harvest-ingest-error",
        "issue",
        "error",
        "Le chargement dans la base a échoué ; le fichier reste dans l'archive",
        "Loading into the store failed; the file stays in the archive",
    ),
    Entry(
        "dataset-all-failed",
        "issue",
        "error",
        "Aucune ressource de ce jeu de données n'a pu être téléchargée",
        "No resource of this dataset could be downloaded",
    ),
    Entry(
        "dataset-no-tabular-resource",
        "refusal",
        "info",
        "Jeu de données sans ressource tabulaire à moissonner",
        "Dataset without a tabular resource to harvest",
    ),
    # Harmless outcomes recorded in the manifest.
    Entry(
        "download-not-modified",
        "skip",
        "info",
        "Ressource inchangée depuis la moisson précédente (réponse 304)",
        "Resource unchanged since the previous harvest (304 answer)",
    ),
    Entry(
        "download-same-bytes",
        "skip",
        "info",
        "Octets identiques à un fichier déjà archivé et chargé",
        "Same bytes as a file already archived and ingested",
    ),
]
