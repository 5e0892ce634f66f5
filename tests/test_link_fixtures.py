"""Small named stores for the link, profile and signal tests: grants written for them.

Not a test module of its own: other tests import ``make_store`` and ``grant``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from fundtrail.store.schema import create_schema


@dataclass
class G:
    """One grant row as the ingest would store it (only the fields the tests need)."""

    row: int
    funder_name: str | None = "Ville de Testville"
    funder_siren: str | None = "217500016"
    beneficiary_name: str | None = None
    beneficiary_siren: str | None = None
    beneficiary_siret: str | None = None
    beneficiary_rna: str | None = None
    year: int | None = 2022
    day: date | None = None
    amount: Decimal | None = Decimal("1000")
    amount_kind: str | None = None
    share: Decimal | None = None
    purpose: str | None = "Fonctionnement"
    reference: str | None = None
    source: int = 1


def make_store(
    grants: list[G], repairs: list[tuple[int, int, str, str, str, str]] = ()
) -> (  # type: ignore[assignment]
    duckdb.DuckDBPyConnection
):
    """Return an in-memory store holding ``grants`` (and repair log rows)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    for source in sorted({g.source for g in grants}):
        con.execute(
            "INSERT INTO sources (source_id, path, name, sha256, size, status, ingested_at) "
            "VALUES (?, ?, ?, 'x', 0, 'ingested', now())",
            [source, f"/data/s{source}.csv", f"s{source}.csv"],
        )
        con.execute(
            "INSERT INTO source_tables (table_id, source_id, status) VALUES (?, ?, 'read')",
            [source, source],
        )
    for g in grants:
        con.execute(
            """INSERT INTO grants (grant_id, source_id, table_id, "row_number", funder_name,
                funder_siren, beneficiary_name, beneficiary_id, beneficiary_siret,
                beneficiary_siren, beneficiary_rna, convention_date, convention_date_text,
                convention_year, decision_reference, purpose, amount, amount_kind, share, raw)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                f"{g.source}-{g.source}-{g.row}",
                g.source,
                g.source,
                g.row,
                g.funder_name,
                g.funder_siren,
                g.beneficiary_name,
                g.beneficiary_siret or g.beneficiary_siren,
                g.beneficiary_siret,
                g.beneficiary_siren,
                g.beneficiary_rna,
                g.day,
                g.day.isoformat() if g.day else (str(g.year) if g.year else None),
                g.year,
                g.reference,
                g.purpose,
                g.amount,
                g.amount_kind,
                g.share,
                json.dumps(asdict(g), default=str),
            ],
        )
    for source, row, field, original, result, rule in repairs:
        con.execute(
            'INSERT INTO repairs (source_id, table_id, "row_number", field, original, result,'
            " rule) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [source, source, row, field, original, result, rule],
        )
    return con


# The real files the integration tests ingest, with the funder the file does not name.
REAL_FILES: tuple[tuple[str, str | None, str | None], ...] = (  # noqa: RUF005
    ("real/paris-2022-2024/subventions_paris_complet.csv", "Ville de Paris", "217500016"),
    ("real/rennes-montpellier-2019/subventions_montpellier.csv", "Ville de Montpellier",
     "213401722"),
    ("real/maine-et-loire/224900019_subventions-aux-associations-du-departement-de-maine-et-loire.csv",
     "Département de Maine-et-Loire", "224900019"),
    ("real/maine-et-loire/224900019_conventions-de-subventions-du-departement-de-maine-et-loire.csv",
     None, None),
) + tuple(
    (f"real/scdl-2018-collectivites/{name}", None, None)
    for name in (
        "DEP_Aube_Donnees_essentielles_conventions_subvention.xlsx",
        "DEP_Charente Maritime_donnees-conventions-subventions.xlsx",
        "DEP_Deux Sèvres_Convention_de_subventions_-_CD79.xls",
        "DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv",
        "DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv",
        "DEP_Pyrénées Orientales_recensement_conventions_DEFINITIF_pour_publication_.ods",
        "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv",
        "DEP_Somme_TB_20180330_DONNEES_CONVENTIONS.csv",
        "DEP_Vendée_Publication_données_Open_data_Subventions_Conventions.xlsx",
        "SCDL_COM_Poitiers_citoyennete-subventions-directes-attribuees-aux-associations-2017-ville-de-poiti.csv",
        "SCDL_DEP_Haute Garonne_datalocale-subvention.csv",
    )
)  # fmt: skip

_REAL: dict[str, duckdb.DuckDBPyConnection] = {}


def real_store(shared_data: Path, *, register: bool = False) -> duckdb.DuckDBPyConnection:
    """Return a store holding the real files ingested and linked (built once per session).

    With ``register``, the reference lists and the Paris SIRENE extract are loaded first.
    """
    from fundtrail.ingest import IngestOptions, ingest_file
    from fundtrail.link.build import build_links
    from fundtrail.link.reference import load_reference
    from fundtrail.link.register import load_sirene

    key = f"{shared_data}:{register}"
    if key not in _REAL:
        con = duckdb.connect(":memory:")
        create_schema(con)
        con.execute("SET enable_progress_bar = false")
        for name, funder_name, funder_id in REAL_FILES:
            options = IngestOptions(funder_name=funder_name, funder_id=funder_id)
            ingest_file(con, shared_data / name, options)
        if register:
            load_reference(con, shared_data / "reference")
            load_sirene(
                con, shared_data / "real/paris-sirene-and-defects/ParisSubsidies_SIRENE.csv"
            )
        build_links(con)
        _REAL[key] = con
    return _REAL[key]
