"""The search tables answer a search as the plain computation over names and fact rows does.

``fundtrail.analysis.search_tables`` lays the search's data out for speed (organisations
numbered by rank, postings sorted by word, funders numbered by name); each check here
compares that layout, or a page read through it, with the definition it shortcuts.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundtrail.analysis.search_tables import NAME_WORDS_SQL, NUMBERS_SQL
from fundtrail.analysis.serving import FACT_AMOUNT, KNOWN_TABLES, SEARCH_BAND_SQL, table_names
from fundtrail.web.pages import linked_search, search
from web_fixtures import build_linked_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_linked_store(tmp_path_factory.mktemp("search_tables"))


@contextmanager
def _served(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-only connection to ``db``, its table names known as the site knows them."""
    connection = duckdb.connect(str(db), read_only=True)
    token = KNOWN_TABLES.set(table_names(connection))
    try:
        yield connection
    finally:
        KNOWN_TABLES.reset(token)
        connection.close()


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with _served(store) as connection:
        yield connection


def test_search_numbers_rank_organisations_by_the_grants_of_their_names(
    con: duckdb.DuckDBPyConnection,
) -> None:
    ranked = con.execute(
        """SELECT o.org_no FROM org_numbers o LEFT JOIN (
               SELECT org_id, sum(grants) AS grants FROM org_names
               WHERE origin = 'beneficiary' GROUP BY org_id
           ) g USING (org_id)
           ORDER BY coalesce(g.grants, 0) DESC, o.org_no"""
    ).fetchall()
    numbered = con.execute("SELECT org_no, s_no FROM search_numbers ORDER BY s_no").fetchall()
    assert [r[0] for r in numbered] == [r[0] for r in ranked]
    assert [r[1] for r in numbered] == list(range(1, len(ranked) + 1))


def test_name_numbers_order_organisations_by_the_first_word_of_their_names(
    con: duckdb.DuckDBPyConnection,
) -> None:
    names = con.execute(
        "SELECT org_id, name_key FROM org_names WHERE origin = 'beneficiary'"
    ).fetchall()
    firsts: dict[str, set[str]] = {}
    for org_id, key in names:
        firsts.setdefault(org_id, set()).add(key.split(" ")[0])
    numbered = con.execute("SELECT org_id, s_no, n_no FROM search_numbers").fetchall()

    def place(org_id: str, s_no: int) -> tuple[int, str, int]:
        words = firsts.get(org_id, set())
        if len(words) > 1:
            return 0, "", s_no  # published under several first words: before all
        return (1, min(words), s_no) if words else (2, "", s_no)  # never named: last

    ordered = sorted(numbered, key=lambda r: place(r[0], r[1]))
    assert [r[2] for r in ordered] == list(range(1, len(numbered) + 1))
    assert len({min(words) for words in firsts.values()}) > 3


def _names_store() -> duckdb.DuckDBPyConnection:
    """Return an in-memory store with empty ``org_names`` and ``org_numbers`` tables."""
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE org_names (org_id VARCHAR, name VARCHAR, name_key VARCHAR, "
        "origin VARCHAR, grants INTEGER)"
    )
    con.execute("CREATE TABLE org_numbers (h UBIGINT, org_id VARCHAR, org_no INTEGER)")
    return con


def test_organisations_under_several_first_words_are_numbered_first_by_name() -> None:
    con = _names_store()
    con.executemany(
        "INSERT INTO org_names VALUES (?, ?, ?, ?, ?)",
        [
            ("A", "Club Lilas", "CLUB LILAS", "beneficiary", 3),
            ("B", "Club Moulin", "CLUB MOULIN", "beneficiary", 9),
            ("C", "Amicale", "AMICALE", "beneficiary", 1),
            ("D", "Festival", "FESTIVAL", "beneficiary", 2),
            ("D", "Amicale du Festival", "AMICALE FESTIVAL", "beneficiary", 1),
            ("E", "Commune", "COMMUNE", "funder", 5),  # never named as beneficiary
        ],
    )
    con.execute(
        "INSERT INTO org_numbers SELECT hash(org_id), org_id, row_number() OVER (ORDER BY org_id) "
        "FROM (SELECT DISTINCT org_id FROM org_names)"
    )
    con.execute(NUMBERS_SQL)
    by_grants = con.execute("SELECT org_id FROM search_numbers ORDER BY s_no").fetchall()
    by_name = con.execute("SELECT org_id FROM search_numbers ORDER BY n_no").fetchall()
    assert [r[0] for r in by_grants] == ["B", "A", "D", "C", "E"]
    # D under two first words; then AMICALE (C), CLUB (B before A: more grants); E last
    assert [r[0] for r in by_name] == ["D", "C", "B", "A", "E"]


@pytest.mark.parametrize("table", ["figures", "facets"])
def test_tables_by_name_hold_the_rows_of_the_tables_by_number(
    con: duckdb.DuckDBPyConnection, table: str
) -> None:
    by_number = con.execute(
        f"""SELECT n.n_no, t.* EXCLUDE (s_no) FROM search_{table} t
            JOIN search_numbers n USING (s_no)"""
    ).fetchall()
    by_name = con.execute(f"SELECT * FROM search_{table}_by_name").fetchall()
    assert sorted(by_name) == sorted(by_number)
    # in name number order (the facets: within each facet)
    parts = [[r for r in by_name if r[1] == facet] for facet in {r[1] for r in by_name}]
    for part in [by_name] if table == "figures" else parts:
        assert [r[0] for r in part] == sorted(r[0] for r in part)
    assert len(by_name) > 10


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=60, unique=True), st.integers(1, 5))
def test_runs_hold_every_number_and_leave_out_the_widest_gaps(
    numbers: list[int], most: int
) -> None:
    runs = linked_search._runs(numbers, most)
    assert 1 <= len(runs) <= most
    assert all(low <= high for low, high in runs)
    assert all(a[1] < b[0] for a, b in pairwise(runs))  # apart and in order
    assert all(any(low <= n <= high for low, high in runs) for n in numbers)
    assert {runs[0][0], runs[-1][1]} <= set(numbers) and runs[0][0] == min(numbers)
    # what the runs leave out is as wide as the widest gaps between the numbers can be
    ordered = sorted(numbers)
    gaps = sorted((b - a for a, b in pairwise(ordered)), reverse=True)
    left_out = sum(b[0] - a[1] for a, b in pairwise(runs))
    assert left_out == sum(gaps[: len(runs) - 1])


def test_postings_hold_every_word_of_every_published_name(
    con: duckdb.DuckDBPyConnection,
) -> None:
    names = con.execute(
        "SELECT org_id, name_key, grants FROM org_names WHERE origin = 'beneficiary'"
    ).fetchall()
    expected = sorted(
        (word, org_id, key, grants)
        for org_id, key, grants in names
        for word in set(key.split(" "))
        if word
    )
    found = con.execute(
        """SELECT w.word, p.org_id, p.name_key, p.grants
           FROM search_postings p JOIN search_words w USING (word_no)"""
    ).fetchall()
    assert sorted(found) == expected
    # each word counts its names, and is found under each of its three-letter pieces
    counted = con.execute(
        """SELECT count(*) FROM search_words w
           WHERE w.names <> (SELECT count(*) FROM search_postings p WHERE p.word_no = w.word_no)
              OR (length(w.word) >= 3 AND EXISTS (
                  SELECT 1 FROM (SELECT unnest([substr(w.word, i, 3)
                                                FOR i IN range(1, length(w.word) - 1)]) AS g)
                  WHERE g NOT IN (SELECT gram FROM search_word_grams WHERE word = w.word)))"""
    ).fetchall()
    assert counted == [(0,)]


def test_funders_are_numbered_in_the_order_of_their_names(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # the funder facet breaks ties by number: the same order as by name
    by_name = con.execute("SELECT funder_no FROM search_funders ORDER BY funder").fetchall()
    assert [r[0] for r in by_name] == list(range(1, len(by_name) + 1))
    assert len(by_name) > 1


def _facts_page(
    con: duckdb.DuckDBPyConnection, org_ids: list[str] | None, limit: int
) -> tuple[list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]:
    """Return the results and facets of ``org_ids`` summed from the fact rows (the definition)."""
    where = "f.beneficiary_org IS NOT NULL"
    params: list[Any] = []
    if org_ids is not None:
        where += " AND f.beneficiary_org IN (SELECT unnest(?::VARCHAR[]))"
        params = [org_ids]
    summed = f"count(*) AS grants, {FACT_AMOUNT} AS amount"
    results = con.execute(
        f"""SELECT coalesce(o.siren, o.rna, o.org_id) AS key, o.org_id, count(*),
                   {FACT_AMOUNT} AS total
            FROM grant_facts f JOIN organisations o ON o.org_id = f.beneficiary_org
            WHERE {where} GROUP BY ALL ORDER BY total DESC, key LIMIT {int(limit)}""",
        params,
    ).fetchall()
    facets = {
        "facet_year": f"""SELECT f.year, {summed} FROM grant_facts f WHERE {where}
                          GROUP BY 1 ORDER BY 1 DESC NULLS LAST LIMIT 50""",
        "facet_band": f"""SELECT {SEARCH_BAND_SQL} AS band, {summed} FROM grant_facts f
                          WHERE {where} AND f.amount IS NOT NULL
                          GROUP BY 1 ORDER BY min(f.amount)""",
        "facet_funder": f"""SELECT f.funder_name, {summed} FROM grant_facts f
                            WHERE {where} AND f.funder_name IS NOT NULL
                            GROUP BY 1 ORDER BY amount DESC, 1 LIMIT 20""",
        "facet_level": f"""SELECT o.level, {summed} FROM grant_facts f
                           JOIN org_rows o ON o.org_no = f.funder_no WHERE {where}
                           GROUP BY 1 ORDER BY amount DESC, 1""",
    }
    return results, {name: con.execute(sql, params).fetchall() for name, sql in facets.items()}


@pytest.mark.parametrize("read", [None, linked_search.BY_NUMBER, linked_search.BY_NAME])
@pytest.mark.parametrize("few", [linked_search.FEW, 0])
@pytest.mark.parametrize(
    "text",
    ["", "musique", "de", "e", "commune", "zzzz", "valmont e", "club e r", "bourg fetes ex",
     "fetes zzzz", "vallee secours"],
)  # fmt: skip
def test_a_page_is_what_the_fact_rows_give(
    con: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    few: int,
    read: linked_search.Read | None,
) -> None:
    # few = 0: the numbers found always travel as one table, as on a national store
    monkeypatch.setattr(linked_search, "FEW", few)
    if read is not None:  # either copy of the tables, whichever is closer
        monkeypatch.setattr(linked_search, "_closer", lambda matched: read)
    query = search.Query(text)
    matched = linked_search.match(con, query)
    results, facets = linked_search.page(con, query, matched, None, 7)
    org_ids = None if matched is None else linked_search.org_ids(con, matched)
    expected, expected_facets = _facts_page(con, org_ids, 7)
    assert [(r["key"], r["org_id"], r["grants"], r["total"]) for r in results] == expected
    for name, rows in expected_facets.items():
        assert [tuple(r.values()) for r in facets[name]] == rows, name
    # the next page starts after the last organisation of this one
    if len(results) == 7:
        last = results[-1]
        following, _ = linked_search.page(
            con, query, matched, (Decimal(last["total"]), last["key"]), 100
        )
        everything, _ = _facts_page(con, org_ids, 107)
        assert [r["key"] for r in following] == [r[0] for r in everything[7:]]


def test_a_name_holding_a_word_twice_counts_its_grants_once() -> None:
    con = _names_store()
    con.executemany(
        "INSERT INTO org_names VALUES (?, ?, ?, 'beneficiary', ?)",
        [
            ("A", "Club Cinéclub", "CLUB CINECLUB", 3),  # two words hold "CLUB": 3 grants
            ("B", "Club", "CLUB", 4),
            ("C", "Ciné", "CINE", 9),  # holds no "CLUB"
            ("D", "Cinéclub des Lilas", "CINECLUB LILAS", 2),
            ("D", "Cinéclub Lilas", "CINECLUB LILAS", 2),  # a second published form
        ],
    )
    con.execute(
        "INSERT INTO org_numbers SELECT hash(org_id), org_id, row_number() OVER (ORDER BY org_id) "
        "FROM (SELECT DISTINCT org_id FROM org_names)"
    )
    for sql in (NUMBERS_SQL, NAME_WORDS_SQL):
        for statement in sql.split(";"):
            if statement.strip():
                con.execute(statement)

    def named(words: list[str]) -> list[str]:
        found = linked_search._named(con, words)
        numbers = [s_no for s_no, _ in found]
        matched = linked_search.Matched(len(found), [], numbers, [n_no for _, n_no in found])
        return linked_search.org_ids(con, matched)

    # B (4 grants), D (2 + 2: both forms hold the word), A (3, counted once)
    assert named(["CLUB"]) == ["B", "D", "A"]
    assert named(["LILAS", "CLUB"]) == ["D"]
    assert named(["CLUBS"]) == []


@contextmanager
def _changed_copy(
    store: Path, copy: Path, change: Callable[[duckdb.DuckDBPyConnection], object]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-only connection to a copy of ``store`` (at ``copy``) once ``change``
    has written to it, its table names known as the site knows them."""
    shutil.copy(store, copy)
    with duckdb.connect(str(copy)) as writer:
        change(writer)
    with _served(copy) as con:
        yield con


def test_a_store_linked_by_an_older_version_is_searched_as_never_linked(
    store: Path, tmp_path: Path
) -> None:
    def as_linked_before(writer: duckdb.DuckDBPyConnection) -> None:
        writer.execute("DROP TABLE search_facets_by_name")  # as linked before it existed

    with _changed_copy(store, tmp_path / "older.duckdb", as_linked_before) as con:
        found = search.search(con, search.Query("musique"), None, 5)
        sql, params = search.export_sql(con, search.Query("musique"))
        exported = con.execute(sql, params).fetchall()
    # the published names grouped, as in a store never linked: no organisation ids
    assert found["tables"]["results"] and "org_id" not in found["tables"]["results"][0]
    assert len(exported) >= len(found["tables"]["results"])


def _scans(node: Any) -> list[tuple[str, str]]:
    """Return (table, scan type) of every table scan in DuckDB's JSON profile ``node``."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        info = node.get("extra_info")
        if isinstance(info, dict) and "Table" in info:
            found.append((str(info["Table"]).rsplit(".", 1)[-1], str(info.get("Type"))))
        for value in node.values():
            found += _scans(value)
    elif isinstance(node, list):
        for value in node:
            found += _scans(value)
    return found


def test_a_few_organisations_are_read_by_the_indexes_linking_again_rebuilds(
    store: Path, tmp_path: Path
) -> None:
    from fundtrail.analysis.search_tables import build_search
    from fundtrail.analysis.serving import create_serving_indexes

    def rebuilt(writer: duckdb.DuckDBPyConnection) -> None:
        build_search(writer)  # the tables replaced, their indexes with them
        create_serving_indexes(writer)  # as the link step does last

    profile = tmp_path / "profile.json"
    with _changed_copy(store, tmp_path / "relinked.duckdb", rebuilt) as con:
        indexed = con.execute("SELECT table_name, expressions FROM duckdb_indexes()").fetchall()
        assert ("search_figures", "[s_no]") in indexed
        assert ("search_facets", "[s_no]") in indexed
        query = search.Query("club")  # in the names of two organisations
        matched = linked_search.match(con, query)
        assert matched is not None and 1 < len(matched.numbers) <= linked_search.FEW
        before = linked_search.page(con, query, matched, None, 5)
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{profile}'")
        assert linked_search.page(con, query, matched, None, 5) == before
        con.execute("PRAGMA disable_profiling")
    scans = _scans(json.loads(profile.read_text()))
    assert ("search_figures", "Index Scan") in scans
    assert ("search_facets", "Index Scan") in scans
    read = ("search_figures", "search_facets")
    assert all(kind == "Index Scan" for table, kind in scans if table in read)


def test_the_link_step_leaves_every_serving_index(con: duckdb.DuckDBPyConnection) -> None:
    from fundtrail.analysis.serving import SERVING_INDEXES

    made = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {name for name, _ in SERVING_INDEXES} <= made
