"""The demo: fictional files written by fundtrail, ingested, linked, plus the ENE dossier."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from fundtrail.demo.files import write_demo_files
from fundtrail.dossier import check_dossier, example_path, load_dossier
from fundtrail.ingest import IngestOptions, IngestReport, ingest_file
from fundtrail.ingest.report import FileReport
from fundtrail.link.build import build_links
from fundtrail.store import open_store


@dataclass
class DemoReport:
    """What the demo built: the store, its ingest report, and the steps run after it."""

    db: str
    ingest: IngestReport
    steps: dict[str, Any] = field(default_factory=dict)


def build_demo(folder: Path, db: Path) -> DemoReport:
    """Return the report of building the demo store ``db`` from files written into ``folder``."""
    if db.exists():
        db.unlink()
    con = open_store(db)
    report = IngestReport()
    for path in write_demo_files(folder):
        report.files.append(ingest_file(con, path))
    # The budget annex style: a file with no funder column, funder given as an option.
    annex: FileReport = ingest_file(
        con,
        _write_annex(folder),
        IngestOptions(funder_name="Commune de Valmont (démo)"),
    )
    report.files.append(annex)
    result = DemoReport(str(db), report)
    _after_ingest(con, result)
    con.close()
    return result


def _write_annex(folder: Path) -> Path:
    path = folder / "demo-annexe-budgetaire-valmont-2024.csv"
    path.write_text(
        "Nom de l'association;Objet;Montant voté\n"
        "Ciné-club des Deux Rives (démo);Programmation 2024;4 500\n"
        "Les Jardins partagés de Bourg-Exemple (démo);Outils et semences;2 300\n"
        "Secours solidaire de la Vallée (démo);Aide alimentaire;18 000\n",
        encoding="utf-8",
    )
    return path


def _after_ingest(con: duckdb.DuckDBPyConnection, result: DemoReport) -> None:
    """Link organisations, build the profiles' tables, check the ENE dossier."""
    result.steps["link"] = str(build_links(con))
    dossier = example_path("ene")
    check = check_dossier(load_dossier(dossier), con=con)
    result.steps["dossier"] = str(dossier)
    result.steps["dossier_check"] = check
