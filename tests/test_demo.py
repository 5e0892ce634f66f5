"""The README's main job: `fundtrail demo` builds a linked store and checks the ENE dossier."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from fundtrail.cli import main
from fundtrail.store import open_store


def test_demo_builds_a_linked_store_and_checks_the_ene_dossier(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(
        main, ["demo", "--db", str(db), "--out", str(tmp_path / "files"), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    totals = report["ingest"]["totals"]
    assert totals["rows_read"] == totals["rows_accepted"] + totals["rows_quarantined"]
    assert totals["refused"] == 0 and totals["rows_quarantined"] == 2
    assert report["dossier"]["counts"] == {"consistent": 4, "contradicted": 0, "unverifiable": 1}
    con = open_store(db, read_only=True)
    # Every grant is linked to a beneficiary, and the demo's public funders have their level.
    unlinked = con.execute(
        "SELECT count(*) FROM grants g WHERE NOT EXISTS (SELECT 1 FROM grant_links l "
        "WHERE l.grant_id = g.grant_id AND l.role = 'beneficiary')"
    ).fetchone()
    assert unlinked == (0,)
    kinds = dict(
        con.execute(
            "SELECT name, kind FROM organisations WHERE name LIKE '%(démo)' "
            "AND kind IN ('commune', 'departement', 'region')"
        ).fetchall()
    )
    assert set(kinds.values()) == {"commune", "departement", "region"}
    total = con.execute("SELECT sum(amount) FROM grants").fetchone()
    assert total is not None and isinstance(total[0], Decimal)
    con.close()
    # Building again replaces the store: same figures, nothing doubled.
    again = CliRunner().invoke(
        main, ["demo", "--db", str(db), "--out", str(tmp_path / "files"), "--json"]
    )
    assert json.loads(again.output)["ingest"]["totals"] == totals
