"""Reference lists: the real published files load, and they type and name funders."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from fundtrail.cli import main
from fundtrail.errors import FundtrailError
from fundtrail.link.build import build_links
from fundtrail.link.reference import load_reference
from test_link_fixtures import G, make_store


@pytest.mark.shared
def test_real_reference_lists_load(shared_data: Path) -> None:
    con = duckdb.connect(":memory:")
    counts = load_reference(con, shared_data / "reference")
    assert counts["departement"] >= 95 and counts["region"] >= 17
    assert counts["epci"] > 1000 and counts["commune"] > 30000
    paris = con.execute(
        "SELECT kind, name FROM reference_bodies WHERE siren = '217500016'"
    ).fetchall()
    assert paris == [("commune", "Paris")]
    again = load_reference(con, shared_data / "reference")  # reloading replaces
    assert again == counts


@pytest.mark.shared
def test_badly_named_funders_are_typed_by_the_lists(shared_data: Path) -> None:
    con = make_store(
        [
            G(1, funder_name="Conseil départemental de Maine-et-Loire", funder_siren=None,
              beneficiary_name="A", amount=D("10")),
            G(2, funder_name="Ville de Poitiers", funder_siren=None, beneficiary_name="B"),
            G(3, funder_name="CC Faucigny - Glières", funder_siren="200000172",
              beneficiary_name="C"),
        ]
    )  # fmt: skip
    load_reference(con, shared_data / "reference")
    build_links(con)
    rows = con.execute(
        "SELECT l.grant_id, l.org_id, l.method, o.kind, o.kind_source FROM grant_links l "
        "JOIN organisations o USING (org_id) WHERE l.role = 'funder' ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("1-1-1", "FR-RCS-224900019", "link-reference-name", "departement", "reference"),
        ("1-1-2", "FR-RCS-218601946", "link-reference-name", "commune", "reference"),
        ("1-1-3", "FR-RCS-200000172", "link-identifier", "epci", "reference"),
    ]


def test_nothing_to_load_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FundtrailError):
        load_reference(duckdb.connect(":memory:"), tmp_path)


@pytest.mark.shared
def test_reference_load_command(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    path = shared_data / "reference/collectivites-dept-region"
    result = CliRunner().invoke(main, ["reference", "load", str(path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert '"departement"' in result.output
