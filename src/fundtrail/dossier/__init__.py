"""Dossiers: one organisation's funding plans, targets, outcomes and stated figures, checked.

    dossier = load_dossier("demo/ene/ene.dossier.yaml")   # DossierError naming line and field
    check = check_dossier(dossier, con=duckdb_connection)  # figures, verdicts, reconciliation
    html = render_report(check, fmt="html", lang="fr")      # or fmt="md", lang="en"

The format is documented in docs/dossier.md and published as a JSON Schema
(``schema_path()``, a copy in schemas/dossier.schema.json).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fundtrail.dossier.check import DossierCheck, PlanCheck, check_dossier
from fundtrail.dossier.loader import load_dossier, parse_dossier, schema
from fundtrail.dossier.model import Dossier
from fundtrail.dossier.problems import DossierFormatError, Problem
from fundtrail.dossier.reconcile import LineMatch
from fundtrail.dossier.report import render_report


def schema_path() -> Path:
    """Return the path of the dossier format's JSON Schema shipped in the package."""
    return Path(str(resources.files("fundtrail.dossier").joinpath("dossier.schema.json")))


def example_path(name: str = "ene") -> Path:
    """Return the path of an example dossier shipped in the package ('ene': the demo)."""
    return Path(str(resources.files("fundtrail.dossier").joinpath(f"examples/{name}.dossier.yaml")))


__all__ = [
    "Dossier",
    "DossierCheck",
    "DossierFormatError",
    "LineMatch",
    "PlanCheck",
    "Problem",
    "check_dossier",
    "example_path",
    "load_dossier",
    "parse_dossier",
    "render_report",
    "schema",
    "schema_path",
]
