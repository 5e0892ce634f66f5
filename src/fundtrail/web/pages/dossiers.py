"""The dossier pages: a curated funding plan checked, verdict by verdict, against the store.

The dossiers served are files given to ``create_app`` (``fundtrail serve --dossier``); each
is known by its file name without ``.dossier.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from fundtrail.dossier import check_dossier, load_dossier
from fundtrail.dossier.report import report_view
from fundtrail.web.locale import Lang
from fundtrail.web.problems import not_found


def dossier_name(path: Path) -> str:
    """Return the name a dossier is served under: its file name without the suffixes."""
    return path.name.split(".")[0]


def dossier_index(paths: dict[str, Path]) -> dict[str, Any]:
    """Return the list of dossiers served, by name."""
    listed = []
    for name, path in sorted(paths.items()):
        dossier = load_dossier(path)
        org = dossier.organisation
        listed.append({"name": name, "organisation": org.name, "siren": org.siren})
    return {"tables": {"dossiers": listed}}


def dossier_page(
    con: duckdb.DuckDBPyConnection, paths: dict[str, Path], name: str, lang: Lang
) -> dict[str, Any]:
    """Return a dossier's check: its JSON form and the view its page shows, in ``lang``."""
    if name not in paths:
        raise not_found("dossier-not-found", name)
    check = check_dossier(load_dossier(paths[name]), con=con)
    view = report_view(check, lang)
    view.pop("path", None)  # a server path says nothing to a reader
    data = check.to_json()
    data.pop("path", None)
    return {
        "name": name,
        "dossier": data,
        "view": view,
        "tables": {
            "reconciliation": data["reconciliation"],
            "statements": [
                {"id": s["id"], "quote": s["quote"], "status": s["verdict"].get("status")}
                for s in data["statements"]
            ],
        },
    }


# The SIREN each dossier file is about, with the (modification time, size) it was read
# at: every organisation page asks, and reading the YAML again each time cost more than
# the page. One entry per file, replaced when the file changes.
_SIRENS: dict[Path, tuple[float, int, str | None]] = {}


def _siren_of(path: Path) -> str | None:
    """Return the SIREN of the organisation the dossier at ``path`` is about."""
    stat = path.stat()
    known = _SIRENS.get(path)
    if known is None or known[:2] != (stat.st_mtime, stat.st_size):
        known = (stat.st_mtime, stat.st_size, load_dossier(path).organisation.siren)
        _SIRENS[path] = known
    return known[2]


def dossiers_of(paths: dict[str, Path], siren: str | None) -> list[str]:
    """Return the names of the dossiers about the organisation with ``siren``."""
    if not siren:
        return []
    return [n for n, p in sorted(paths.items()) if _siren_of(p) == siren]
