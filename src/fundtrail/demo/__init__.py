"""The demo: fictional files written by fundtrail, ingested, linked, plus the ENE dossier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fundtrail.demo.files import write_demo_files
from fundtrail.dossier import DossierCheck, check_dossier, example_path, load_dossier
from fundtrail.ingest import IngestOptions, IngestReport, ingest_file
from fundtrail.link.build import LinkReport, build_links
from fundtrail.store import open_store


@dataclass
class DemoReport:
    """What the demo built: the store, its ingest, its links and the ENE dossier's check."""

    db: str
    ingest: IngestReport
    link: LinkReport
    dossier: Path
    dossier_check: DossierCheck


def build_demo(folder: Path, db: Path) -> DemoReport:
    """Return the report of building the demo store ``db`` from files written into ``folder``."""
    if db.exists():
        db.unlink()
    con = open_store(db)
    try:
        report = IngestReport()
        for path in write_demo_files(folder):
            report.files.append(ingest_file(con, path))
        # The budget annex style: a file with no funder column, funder given as an option.
        report.files.append(
            ingest_file(
                con, _write_annex(folder), IngestOptions(funder_name="Commune de Valmont (démo)")
            )
        )
        link = build_links(con)
        dossier = example_path("ene")
        check = check_dossier(load_dossier(dossier), con=con)
    finally:
        con.close()
    return DemoReport(str(db), report, link, dossier, check)


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
