"""The web site's errors: one shape for every error, JSON or HTML.

Every error the site answers, whatever raised it (a missing grant, a bad parameter, a route
that does not exist, a body too large, a bug), leaves as::

    {"error": {"status": 404, "code": "not-found", "message": "...", "detail": ...}}

``code`` is stable and meant for programs; ``message`` is rendered in the request's
language only when the response is built.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from fundtrail.web.locale import Lang

# code -> (French, English). The web codes are the site's own, not data issues, so they
# live here rather than in the data catalogue.
MESSAGES: dict[str, tuple[str, str]] = {
    "not-found": ("Page introuvable", "Page not found"),
    "grant-not-found": ("Subvention introuvable", "Grant not found"),
    "source-not-found": ("Fichier source introuvable", "Source file not found"),
    "organisation-not-found": ("Organisation introuvable", "Organisation not found"),
    "funder-not-found": ("Attribuant introuvable", "Funder not found"),
    "dossier-not-found": ("Dossier introuvable", "Dossier not found"),
    "invalid-parameter": ("Paramètre invalide", "Invalid parameter"),
    "invalid-cursor": ("Curseur de pagination invalide", "Invalid pagination cursor"),
    "unknown-table": ("Tableau inconnu pour l'export CSV", "Unknown table for CSV export"),
    "method-not-allowed": ("Méthode non permise", "Method not allowed"),
    "request-too-large": ("Requête trop volumineuse", "Request too large"),
    "unavailable": ("Fonction pas encore disponible", "Feature not available yet"),
    "internal-error": ("Erreur interne", "Internal error"),
}


class WebError(Exception):
    """An error answered to the client: HTTP ``status``, stable ``code``, optional ``detail``."""

    def __init__(self, status: int, code: str, detail: Any = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail


def message(code: str, lang: Lang) -> str:
    """Return the message of a web error code in ``lang``."""
    fr, en = MESSAGES.get(code, MESSAGES["internal-error"])
    return en if lang == "en" else fr


def error_body(status: int, code: str, lang: Lang, detail: Any = None) -> dict[str, Any]:
    """Return the one error shape: {"error": {status, code, message, detail}}."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": message(code, lang),
            "detail": detail,
        }
    }


def not_found(code: str, key: object) -> WebError:
    """Return a 404 error saying what was looked for."""
    return WebError(404, code, str(key))


class ErrorDetail(BaseModel):
    """The inside of the one error shape (documented in the OpenAPI schema)."""

    status: int
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """The one error shape: ``{"error": {...}}``."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Invalid parameter or cursor"),
        (404, "Not found"),
        (405, "Method not allowed"),
        (413, "Request too large"),
        (414, "URI too long"),
        (422, "Invalid parameter"),
        (500, "Internal error"),
    )
}
