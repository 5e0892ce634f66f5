"""A public funder absent from the register and the reference lists is typed by its name."""

from __future__ import annotations

from pathlib import Path

from fundtrail.ingest import ingest_file
from fundtrail.link.build import build_links
from fundtrail.store import open_store


def test_funder_known_only_by_its_published_name_gets_its_level(tmp_path: Path) -> None:
    path = tmp_path / "grants.csv"
    path.write_text(
        "nomAttribuant;idAttribuant;nomBeneficiaire;idBeneficiaire;dateConvention;montant\n"
        # A SIRET with no public prefix (21, 22, 23...), so only the name can tell the kind.
        "Commune de Valmont;73282932000074;Club A;;2020-01-01;1000\n"
        "Région Fictive;55210055400013;Club A;;2020-01-01;2000\n",
        encoding="utf-8",
    )
    con = open_store(":memory:")
    assert ingest_file(con, path).status == "ingested"
    build_links(con)
    kinds = dict(
        con.execute(
            "SELECT name, kind FROM organisations WHERE name IN ('Commune de Valmont', "
            "'Région Fictive')"
        ).fetchall()
    )
    assert kinds == {"Commune de Valmont": "commune", "Région Fictive": "region"}
