"""Look-alike names at scale: large blocks searched by sorted neighbourhood, bounded work."""

from __future__ import annotations

import time

import duckdb
import pytest

from fundtrail.errors import UsageError
from fundtrail.link import steps
from fundtrail.link.build import build_links
from test_link_fixtures import G, make_store


def _siren(i: int) -> str:
    return f"5{i:08d}"


def _review(con: duckdb.DuckDBPyConnection, grant_id: str) -> list[tuple[str, float]]:
    rows = con.execute(
        "SELECT candidate_org_id, score FROM link_review WHERE grant_id = ? "
        "AND reason = 'link-similar-name' ORDER BY score DESC, candidate_org_id",
        [grant_id],
    ).fetchall()
    return [(str(org), float(score)) for org, score in rows]


def test_a_look_alike_in_a_large_block_meets_its_organisation() -> None:
    # 200 identified clubs share a first word and the start of the second: one block far
    # larger than FULL_BLOCK, searched by neighbourhood
    count = 200
    assert count > steps.FULL_BLOCK
    grants = [
        G(i, beneficiary_name=f"Club de judo du quartier {i:04d}", beneficiary_siren=_siren(i))
        for i in range(1, count + 1)
    ]
    grants.append(G(1000, beneficiary_name="Club de judo du quartier 0137 bis"))
    grants.append(G(1001, beneficiary_name="Club de judo du quartir 0042"))  # a typo
    con = make_store(grants)
    build_links(con)
    bis = _review(con, "1-1-1000")
    typo = _review(con, "1-1-1001")
    assert 1 <= len(bis) <= 3 and 1 <= len(typo) <= 3
    assert bis[0][0] == f"FR-RCS-{_siren(137)}"
    assert typo[0][0] == f"FR-RCS-{_siren(42)}"
    # the neighbourhood gives the same closest name as comparing with every name
    best = con.execute(
        """SELECT arg_max(org_id, jaro_winkler_similarity(name_key, 'CLUB JUDO QUARTIR 0042'))
           FROM org_names WHERE name_key LIKE 'CLUB JUDO QUARTIER %'"""
    ).fetchall()[0][0]
    assert typo[0][0] == best


def test_many_look_alikes_stay_linear() -> None:
    # 20,000 identified look-alike names and 20,000 unidentified ones in two blocks: every
    # pair would be 400 million similarity scores (over a minute); the neighbourhood makes
    # a few million, so the whole build takes seconds
    n = 20_000
    con = make_store([G(1, beneficiary_name="Amicale laique 0", beneficiary_siren=_siren(0))])
    con.execute(
        """
        INSERT INTO grants (grant_id, source_id, table_id, "row_number", funder_name,
            funder_siren, beneficiary_name, beneficiary_siren, convention_date_text,
            convention_year, purpose, amount, raw)
        SELECT '1-1-' || (i + 10), 1, 1, i + 10, 'Ville de Testville', '217500016',
               'Amicale laique ' || lpad((i // 2)::VARCHAR, 5, '0')
                   || CASE WHEN i % 2 = 1 THEN ' bis' ELSE '' END,
               CASE WHEN i % 2 = 0 THEN '6' || lpad(i::VARCHAR, 8, '0') END,
               '2022', 2022, 'Fonctionnement', 1000, '{}'
        FROM range(2 * $n) t(i)
        """,
        {"n": n},
    )
    start = time.perf_counter()
    report = build_links(con)
    seconds = time.perf_counter() - start
    assert report.links["beneficiary"]["link-identifier"] == n + 1
    per_party = con.execute(
        "SELECT max(c), count(*) FROM (SELECT count(*) AS c FROM link_review "
        "WHERE reason = 'link-similar-name' GROUP BY grant_id)"
    ).fetchall()[0]
    assert per_party == (3, n)
    # each "bis" meets its own name first
    wrong = con.execute(
        """SELECT count(*) FROM link_review r JOIN grants g USING (grant_id)
           WHERE r.reason = 'link-similar-name' AND r.score = (
               SELECT max(score) FROM link_review x WHERE x.grant_id = r.grant_id)
             AND r.candidate_name || ' BIS' <> upper(g.beneficiary_name)"""
    ).fetchall()[0][0]
    assert wrong == 0
    assert seconds < 20, f"{seconds:.1f} s: look-alike names are compared pairwise"


def test_the_rebuild_has_its_own_memory_limit_and_times_its_steps() -> None:
    con = make_store([G(1, beneficiary_name="Club", beneficiary_siren=_siren(1))])
    con.execute("SET memory_limit = '2GiB'")  # a size DuckDB renders exactly
    before = con.execute("SELECT current_setting('memory_limit')").fetchall()
    report = build_links(con, memory_limit="512MB")
    # the connection's own limit is back once the rebuild is done
    assert con.execute("SELECT current_setting('memory_limit')").fetchall() == before
    assert {"parties", "name-match", "organisations", "clusters", "analysis", "signals"} <= set(
        report.seconds
    )
    assert all(seconds >= 0 for seconds in report.seconds.values())
    assert report.as_dict()["seconds"] == report.seconds
    with pytest.raises(UsageError):
        build_links(con, memory_limit="as much as it takes")
