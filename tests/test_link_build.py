"""Linking layers, the review list, decisions, duplicates and counting rules, on small stores."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from fundtrail.catalogue import render
from fundtrail.errors import UsageError
from fundtrail.link.build import build_links
from test_link_fixtures import G, make_store


def links(con) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    rows = con.execute(
        "SELECT grant_id, org_id, method FROM grant_links WHERE role = 'beneficiary' "
        "ORDER BY grant_id"
    ).fetchall()
    return [tuple(r) for r in rows]


def test_layers_in_order() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Les Amis du Parc", beneficiary_siren="552100554",
              beneficiary_siret="55210055400013"),
            G(2, beneficiary_name="Association les amis du parc"),  # same key: layer 2
            G(3, beneficiary_name="Parc Amis (les)"),  # same words reordered
            G(4, beneficiary_name="Club inconnu"),  # nothing known: internal org
            G(5, beneficiary_name="Rugby club", beneficiary_rna="W491000001"),
            G(6, beneficiary_name="Rugby club bis", beneficiary_rna="W491000001",
              beneficiary_siren="732829320"),
            G(7, beneficiary_name="Autre nom", beneficiary_siren="732829320"),
        ],
        repairs=[(1, 7, "idBeneficiaire", "732 829 320", "732829320", "identifier-separators")],
    )  # fmt: skip
    report = build_links(con)
    got = links(con)
    assert got[0] == ("1-1-1", "FR-RCS-552100554", "link-identifier")
    assert got[1] == ("1-1-2", "FR-RCS-552100554", "link-name")
    assert got[2] == ("1-1-3", "FR-RCS-552100554", "link-name-reordered")
    assert got[3][1].startswith("FT-") and got[3][2] == "link-name-only"
    # an RNA alone leads to the SIREN published with it elsewhere
    assert got[4] == ("1-1-5", "FR-RCS-732829320", "link-rna")
    assert got[5] == ("1-1-6", "FR-RCS-732829320", "link-identifier")
    assert got[6] == ("1-1-7", "FR-RCS-732829320", "link-repaired-identifier")
    assert report.unlinked == {"beneficiary": 0, "funder": 0}
    explanation = con.execute(
        "SELECT explanation FROM grant_links WHERE grant_id = '1-1-7' AND role = 'beneficiary'"
    ).fetchall()[0][0]
    assert "732 829 320" in explanation and "identifier-separators" in explanation
    assert render("link-name", "fr").startswith("Lié par le nom normalisé")


def test_ambiguous_and_similar_names_go_to_review() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Comité des fêtes", beneficiary_siren="552100554"),
            G(2, beneficiary_name="Comite des fetes", beneficiary_siren="732829320"),
            G(3, beneficiary_name="COMITE DES FETES"),  # two organisations carry the key
            G(4, beneficiary_name="Théâtre du Soleil", beneficiary_siren="775672272"),
            G(5, beneficiary_name="Theatre du Soleill"),  # one letter off: similar only
        ]
    )  # fmt: skip
    build_links(con)
    review = con.execute(
        "SELECT grant_id, candidate_org_id, reason FROM link_review ORDER BY ALL"
    ).fetchall()
    assert review == [
        ("1-1-3", "FR-RCS-552100554", "link-ambiguous-name"),
        ("1-1-3", "FR-RCS-732829320", "link-ambiguous-name"),
        ("1-1-5", "FR-RCS-775672272", "link-similar-name"),
    ]
    methods = dict(
        con.execute(
            "SELECT grant_id, method FROM grant_links WHERE role = 'beneficiary'"
        ).fetchall()
    )
    assert methods["1-1-3"] == methods["1-1-5"] == "link-name-only"


def test_damaged_siret_prefix_and_close_name() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Canal Marches", beneficiary_siren="412051003"),
            G(2, beneficiary_name="CANAL MARCHÉS", beneficiary_siren=None),
        ]
    )
    con.execute(
        "UPDATE grants SET beneficiary_id = '41205100000000.0', "
        "flags = ['identifier-destroyed-float'] WHERE grant_id = '1-1-2'"
    )
    build_links(con)
    assert links(con)[1] == ("1-1-2", "FR-RCS-412051003", "link-damaged-identifier")


def test_decisions_always_win(tmp_path: Path) -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Les Amis du Parc", beneficiary_siren="552100554"),
            G(2, beneficiary_name="Amis du parc"),
            G(3, beneficiary_name="Club inconnu"),
        ]
    )
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(
        "version: 1\n"
        "decisions:\n"
        "  - name: Amis du parc\n"
        "    org: FR-RCS-552100554\n"
        "    decision: do-not-link\n"
        "    note: homonym, checked\n"
        "  - grant: '1-1-3'\n"
        "    org: FR-RCS-552100554\n"
        "    decision: link\n",
        encoding="utf-8",
    )
    report = build_links(con, decisions)
    got = links(con)
    # the "do not link" decision also removes the identifier link of grant 1 (same key)
    assert got[0][2] == "link-name-only" and got[1][2] == "link-name-only"
    assert got[2] == ("1-1-3", "FR-RCS-552100554", "link-manual")
    assert report.decisions == 2
    rejected = con.execute(
        "SELECT grant_id FROM link_review WHERE reason = 'link-rejected' ORDER BY 1"
    ).fetchall()
    assert rejected == [("1-1-1",), ("1-1-2",)]


def test_invalid_decisions_file_is_refused(tmp_path: Path) -> None:
    con = make_store([G(1, beneficiary_name="X")])
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ndecisions:\n  - org: FR-RCS-1\n    decision: maybe\n")
    with pytest.raises(UsageError, match="decisions-invalid"):
        build_links(con, bad)


def test_reference_names_type_and_link_funders() -> None:
    con = make_store(
        [G(1, funder_name="Département de Maine-et-Loire", funder_siren=None,
           beneficiary_name="X")]
    )  # fmt: skip
    con.execute(
        "CREATE TABLE IF NOT EXISTS reference_bodies (siren VARCHAR PRIMARY KEY, kind VARCHAR,"
        " code VARCHAR, name VARCHAR, name_key VARCHAR, postcodes VARCHAR[], source VARCHAR)"
    )
    con.execute(
        "INSERT INTO reference_bodies VALUES ('224900019', 'departement', '49', "
        "'Département de Maine-et-Loire', 'DEPARTEMENT MAINE LOIRE', NULL, 't')"
    )
    build_links(con)
    row = con.execute(
        "SELECT l.org_id, l.method, o.kind, o.kind_source, o.level FROM grant_links l "
        "JOIN organisations o USING (org_id) WHERE l.role = 'funder'"
    ).fetchall()
    assert row == [
        ("FR-RCS-224900019", "link-reference-name", "departement", "reference", "departement")
    ]


def test_duplicates_count_once_shares_and_kinds_apart() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="A", beneficiary_siren="552100554", amount=D("1000"),
              reference="DEL-1"),
            G(2, beneficiary_name="A", beneficiary_siren="552100554", amount=D("1000"),
              reference="DEL-1", source=2),  # the same grant in another file
            G(3, beneficiary_name="A", beneficiary_siren="552100554", amount=D("5000"),
              share=D("0.4")),
            G(4, beneficiary_name="A", beneficiary_siren="552100554", amount=D("700"),
              amount_kind="paid"),
        ]
    )  # fmt: skip
    build_links(con)
    clusters = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT grant_id, cluster_id, members, counted FROM grant_clusters"
        ).fetchall()
    }
    assert clusters["1-1-1"] == ("1-1-1", 2, True)
    assert clusters["2-2-2"] == ("1-1-1", 2, False)
    assert clusters["1-1-3"] == ("1-1-3", 1, True)
    totals = con.execute(
        "SELECT kind, amount FROM agg_org_year WHERE org_id = 'FR-RCS-552100554' ORDER BY 1"
    ).fetchall()
    assert totals == [("awarded", D("3000")), ("paid", D("700"))]  # 1000 once + 40 % of 5000


def test_rebuild_is_idempotent() -> None:
    con = make_store(
        [G(1, beneficiary_name="A", beneficiary_siren="552100554"), G(2, beneficiary_name="A")]
    )
    first = build_links(con)
    snapshot = con.execute("SELECT * FROM grant_links ORDER BY ALL").fetchall()
    second = build_links(con)
    assert first == second
    assert con.execute("SELECT * FROM grant_links ORDER BY ALL").fetchall() == snapshot


def test_place_separates_homonyms_and_blocks_far_links() -> None:
    con = make_store(
        [
            G(1, beneficiary_name="Comité des fêtes", beneficiary_siren="552100554"),
            G(2, beneficiary_name="Comite des fetes"),
            G(3, beneficiary_name="Comite des fetes"),
            G(4, beneficiary_name="Foyer rural"),
            G(5, beneficiary_name="Foyer rural"),
        ]
    )
    places = {
        "1-1-1": '{"Code postal": "49000", "Commune": "Angers"}',
        "1-1-2": '{"Code postal": "75012", "Commune": "Paris"}',  # far from the identified one
        "1-1-3": '{"Code postal": "49000", "Commune": "Angers"}',
        "1-1-4": '{"Code postal": "49510", "Commune": "Jallais"}',
        "1-1-5": '{"Code postal": "49520", "Commune": "Le Bourg d\'Iré"}',
    }
    for grant_id, extras in places.items():
        con.execute("UPDATE grants SET extras = ? WHERE grant_id = ?", [extras, grant_id])
    build_links(con)
    got = {g: (o, m) for g, o, m in links(con)}
    assert got["1-1-3"] == ("FR-RCS-552100554", "link-name")
    assert got["1-1-2"][1] == "link-name-only"
    review = con.execute("SELECT grant_id, reason FROM link_review").fetchall()
    assert review == [("1-1-2", "link-place-mismatch")]
    # two "Foyer rural" in two communes are two internal organisations
    assert got["1-1-4"][0] != got["1-1-5"][0]
    place = con.execute(
        "SELECT postcode, commune FROM organisations WHERE org_id = ?", [got["1-1-4"][0]]
    ).fetchall()
    assert place == [("49510", "JALLAIS")]
