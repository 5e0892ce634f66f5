"""The serving tables give the pages exactly what the grants give, only faster to read.

Each check compares a shortcut of ``fundtrail.analysis.serving`` (numbers for zone maps,
words for name searches, sums per organisation) with the plain computation over the fact
rows or the names, on a store built by the real pipeline.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from fundtrail.analysis.quarantine import quarantined_rows
from fundtrail.analysis.serving import KNOWN_TABLES, SEARCH_BAND_SQL, has_table, table_names
from fundtrail.web.pages import linked_search, search
from fundtrail.web.sql import BAND_SQL
from fundtrail.web.workers import app_from_environment, worker_environment
from web_fixtures import HOSTILE_SIREN, build_linked_store, free_port


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_linked_store(tmp_path_factory.mktemp("serving"))


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(store), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def test_numbers_follow_org_ids(con: duckdb.DuckDBPyConnection) -> None:
    numbered = con.execute("SELECT org_id, org_no FROM org_rows ORDER BY org_no").fetchall()
    ids = [r[0] for r in con.execute("SELECT org_id FROM organisations ORDER BY org_id").fetchall()]
    assert [r[0] for r in numbered] == ids
    assert [r[1] for r in numbered] == list(range(1, len(ids) + 1))
    # every fact row carries the number of its organisations
    assert con.execute(
        """SELECT count(*) FROM grant_facts f
           LEFT JOIN org_numbers b ON b.org_id = f.beneficiary_org
           WHERE f.beneficiary_no IS DISTINCT FROM b.org_no"""
    ).fetchall() == [(0,)]


def _scanned(con: duckdb.DuckDBPyConnection, needles: list[str]) -> list[tuple[object, ...]]:
    found = con.execute(
        """SELECT q.source_id, s.name, q."row_number", q.reasons
           FROM quarantine q JOIN sources s USING (source_id)
           WHERE list_bool_or([contains(q.raw::VARCHAR, n) FOR n IN $needles])
           ORDER BY q.source_id, q."row_number" LIMIT 100""",
        {"needles": needles},
    ).fetchall()
    return [(s, n, r, list(c or [])) for s, n, r, c in found]


def test_quarantined_rows_are_those_a_full_scan_finds(con: duckdb.DuckDBPyConnection) -> None:
    raw = [r[0] for r in con.execute("SELECT raw::VARCHAR FROM quarantine").fetchall()]
    assert raw, "the web store has quarantined rows"
    needles_tried = [
        ["Sans Montant"],  # inside a published name
        ["ociété Sans Mon"],  # cut inside words at both ends
        ["Commune Test (démo)", "nothing like this"],
        ["!!!!!!", "Montant"],  # a needle without letters or digits: every row searched
        [HOSTILE_SIREN],
        ["zzzzzzzzz"],
        ["A.B.C.D"],  # no run of three: every row searched
        ["abc de", "xyz"],  # runs of exactly three letters
    ]
    # pieces of the raw values themselves, cut anywhere: inside words, across separators
    rng = random.Random(6)
    pieces = []
    for _ in range(40):
        text = rng.choice(raw)
        start = rng.randrange(len(text))
        pieces.append([text[start : start + rng.randint(3, 25)]])
    matched = 0
    for needles in needles_tried + pieces:
        found = [
            (r["source_id"], r["source_name"], r["row_number"], r["reasons"])
            for r in quarantined_rows(con, needles)
        ]
        assert found == _scanned(con, needles), needles
        matched += bool(found)
    assert matched >= 3 + len(pieces)  # a piece of a row's text finds at least that row


def test_quarantined_rows_are_the_same_with_the_endings_held(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from fundtrail.analysis.quarantine import HELD_ENDINGS, Endings

    raw = [r[0] for r in con.execute("SELECT raw::VARCHAR FROM quarantine").fetchall()]
    rng = random.Random(8)
    needles_tried = [[HOSTILE_SIREN], ["Sans Montant"], ["abc de", "xyz"]]
    for _ in range(40):
        text = rng.choice(raw)
        start = rng.randrange(len(text))
        needles_tried.append([text[start : start + rng.randint(3, 25)]])
    endings = Endings.read(con)
    token = HELD_ENDINGS.set(lambda: endings)
    try:
        held = [quarantined_rows(con, needles) for needles in needles_tried]
    finally:
        HELD_ENDINGS.reset(token)
    assert held == [quarantined_rows(con, needles) for needles in needles_tried]
    assert sum(map(bool, held)) >= 40


def test_held_endings_find_the_words_a_range_of_the_store_finds(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from fundtrail.analysis.quarantine import Endings, _ranged

    words = [r[0] for r in con.execute("SELECT word FROM quarantine_words").fetchall()]
    rng = random.Random(9)
    runs = {"zzzzzzzzzzzz", "000", "Montant", "A" * 30}
    for _ in range(300):
        word = rng.choice(words)
        if len(word) >= 3:
            start = rng.randrange(len(word) - 2)
            runs.add(word[start : start + rng.randint(3, 14)])  # short and past eight bytes
    # eight bytes of a word then others: the same head, not the same ending
    runs |= {w[:8] + "QQQ" for w in words if len(w) >= 9 and not w.startswith("QQQ", 8)}
    assert any(len(r) > 8 for r in runs) and any(len(r) <= 8 for r in runs)
    endings = Endings.read(con)
    wanted = sorted(runs)
    assert {r: endings.containing(r) for r in wanted} == _ranged(con, wanted)


def _matched_by_scan(con: duckdb.DuckDBPyConnection, words: list[str]) -> list[str]:
    tests = " AND ".join("contains(name_key, ?)" for _ in words)
    return [
        r[0]
        for r in con.execute(
            f"""SELECT org_id FROM org_names WHERE origin = 'beneficiary' AND {tests}
                GROUP BY org_id ORDER BY sum(grants) DESC, org_id LIMIT ?""",
            [*(w.upper() for w in words), search.MAX_MATCHED],
        ).fetchall()
    ]


@pytest.mark.parametrize("few_names", [linked_search.FEW_NAMES, 0])
@pytest.mark.parametrize(
    "text",
    ["musique", "usiq", "de", "ecole musique", "association", "xss", "zzzz", "e", "club e r",
     "bourg fetes ex", "vallee secours", "valmont e", "fetes zzzz", "e a"],
)  # fmt: skip
def test_name_search_finds_what_a_scan_of_names_finds(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, text: str, few_names: int
) -> None:
    # few_names = 0: every word counted, as when the first one is held by many names
    monkeypatch.setattr(linked_search, "FEW_NAMES", few_names)
    words = search.Query(text).words()
    expected = _matched_by_scan(con, words) if words else None
    found = linked_search.matched_orgs(con, search.Query(text))
    # a place name may add organisations after those found by name
    assert found is None if expected is None else found[: len(expected)] == expected


@pytest.mark.parametrize("text", ["", "musique", "commune", "zzzz"])
def test_search_figures_and_facets_are_those_of_the_grants(
    con: duckdb.DuckDBPyConnection, text: str
) -> None:
    token = KNOWN_TABLES.set(table_names(con))
    try:
        query = search.Query(text)
        fast = search.search(con, query, None, 500)
        # the same search through the fact rows: a facet filter that keeps every grant
        org_ids = linked_search.matched_orgs(con, query)
        where = "TRUE" if org_ids is None else "f.beneficiary_org IN (SELECT unnest(?))"
        params = [] if org_ids is None else [org_ids]
        figures = con.execute(
            f"""SELECT f.beneficiary_org, count(*), coalesce(sum(f.counted_amount)
                       FILTER (WHERE f.counted AND f.kind = 'awarded'), 0)
                FROM grant_facts f JOIN organisations o ON o.org_id = f.beneficiary_org
                WHERE {where} GROUP BY 1""",
            params,
        ).fetchall()
        got = {(r["org_id"], r["grants"], r["total"]) for r in fast["tables"]["results"]}
        assert got == set(figures)
        years = con.execute(
            f"""SELECT f.year, count(*) FROM grant_facts f
                WHERE f.beneficiary_org IS NOT NULL AND {where} GROUP BY 1""",
            params,
        ).fetchall()
        assert {(r["year"], r["grants"]) for r in fast["tables"]["facet_year"]} == set(years)
    finally:
        KNOWN_TABLES.reset(token)


def test_search_bands_are_the_site_bands() -> None:
    assert BAND_SQL.replace("amount", "f.amount") == SEARCH_BAND_SQL


def test_table_names_read_once_answer_as_the_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    assert has_table(con, "grant_facts") and not has_table(con, "no_such_table")
    token = KNOWN_TABLES.set(frozenset({"only_this"}))
    try:
        assert has_table(con, "only_this") and not has_table(con, "grant_facts")
    finally:
        KNOWN_TABLES.reset(token)
    assert "search_words" in table_names(con)


def test_a_worker_builds_its_app_from_the_environment(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in worker_environment(store, None).items():
        monkeypatch.setenv(name, value)
    app = app_from_environment()
    assert app.state.store.path == str(store)
    app.state.store.close()


def test_serve_with_two_workers_answers(store: Path) -> None:
    port = free_port()
    fundtrail = Path(sys.executable).with_name("fundtrail")
    process = subprocess.Popen(
        [str(fundtrail), "serve", "--db", str(store), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/organisations/{HOSTILE_SIREN}.json")
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        assert response.status_code == 200
        assert response.json()["linked"] is True
    finally:
        process.terminate()
        process.wait(timeout=30)


def _part(con: duckdb.DuckDBPyConnection, name: str) -> Counter[tuple[Any, ...]]:
    """Return the rows of page part ``name`` as (org_no, its cells...), each with its count."""
    from fundtrail.analysis.pages import PART_NAMES

    found = con.execute(
        "SELECT org_no, body FROM org_pages WHERE part = ?", [PART_NAMES.index(name)]
    ).fetchall()
    return Counter((org_no, *json.loads(body, parse_float=Decimal)) for org_no, body in found)


def _page_tables_differ(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Return, per page part, the rows it and the page's own queries do not share."""
    from fundtrail.analysis.serving import FACT_AMOUNT

    # the page's own queries over grant_facts, for every organisation at once
    by_funder = f"""
        SELECT f.beneficiary_no AS org_no, f.funder_org AS funder_id, o.siren AS funder_siren,
               coalesce(o.name, mode(f.funder_name)) AS funder, o.level,
               count(*) AS grants, {FACT_AMOUNT} AS amount,
               min(f.year) AS first_year, max(f.year) AS last_year
        FROM grant_facts f LEFT JOIN organisations o ON o.org_id = f.funder_org
        WHERE f.beneficiary_no IS NOT NULL
        GROUP BY f.beneficiary_no, f.funder_org, o.siren, o.rna, o.name, o.level"""
    by_funder_year = f"""
        SELECT f.beneficiary_no AS org_no, f.year, coalesce(o.name, mode(f.funder_name)),
               f.funder_org, count(*), {FACT_AMOUNT}
        FROM grant_facts f LEFT JOIN organisations o ON o.org_id = f.funder_org
        WHERE f.beneficiary_no IS NOT NULL
        GROUP BY f.beneficiary_no, f.year, f.funder_org, o.name"""
    differ = {}
    for name, sql in (("by_funder", by_funder), ("by_funder_year", by_funder_year)):
        stored = _part(con, name)
        assert stored
        computed = Counter(con.execute(sql).fetchall())
        differ[name] = sum(((stored - computed) + (computed - stored)).values())
    return differ


def test_page_tables_are_the_sums_of_the_fact_rows(con: duckdb.DuckDBPyConnection) -> None:
    assert _page_tables_differ(con) == {"by_funder": 0, "by_funder_year": 0}


def test_page_tables_name_a_funder_no_organisation_names(store: Path, tmp_path: Path) -> None:
    from fundtrail.analysis.pages import build_pages
    from fundtrail.analysis.tables import build_analysis

    copy = tmp_path / "unlinked-funder.duckdb"
    copy.write_bytes(store.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        # three grants whose funder the link step left unnamed
        con.execute(
            """DELETE FROM grant_links WHERE role = 'funder' AND grant_id IN (
                   SELECT grant_id FROM grant_links WHERE role = 'funder'
                   ORDER BY grant_id LIMIT 3)"""
        )
        build_analysis(con)
        build_pages(con)
        unnamed = [row for row in _part(con, "by_funder") if row[1] is None]
        assert unnamed
        assert _page_tables_differ(con) == {"by_funder": 0, "by_funder_year": 0}
    finally:
        con.close()


def test_funder_pages_hold_the_sums_of_the_fact_rows(con: duckdb.DuckDBPyConnection) -> None:
    from fundtrail.analysis.funder_pages import funder_page_of
    from fundtrail.analysis.serving import FACT_AMOUNT

    # the funder page's own queries over its fact rows, as it ran them on every visit
    plain = {
        "by_year": f"""SELECT year, count(*), {FACT_AMOUNT}, count(DISTINCT beneficiary_org)
            FROM facts_by_funder f WHERE funder_no = $n GROUP BY year
            ORDER BY year NULLS FIRST""",
        "top_beneficiaries": """SELECT org_no, sum(grants),
                coalesce(sum(amount) FILTER (WHERE kind = 'awarded'), 0) AS awarded
            FROM agg_funder_org WHERE funder_no = $n AND org_no IS NOT NULL
            GROUP BY org_no ORDER BY awarded DESC, org_no LIMIT 20""",
        "bands_counted": f"""SELECT {BAND_SQL.replace("amount", "counted_amount")},
                count(*), coalesce(sum(counted_amount), 0)
            FROM facts_by_funder WHERE funder_no = $n AND counted AND kind = 'awarded'
            GROUP BY 1 ORDER BY min(counted_amount)""",
        "sources": """SELECT * FROM source_counts WHERE source_id IN
                (SELECT source_id FROM facts_by_funder WHERE funder_no = $n)
            ORDER BY source_id""",
    }
    stored = {
        "by_year": ("year", "grants", "amount", "beneficiaries"),
        "top_beneficiaries": ("beneficiary_no", "grants", "amount"),
        "bands_counted": ("band", "grants", "amount"),
        "sources": ("source_id", "name", "rows_read", "rows_accepted", "rows_quarantined",
                    "warnings", "repairs"),
    }  # fmt: skip
    funders = [r[0] for r in con.execute("SELECT org_no FROM funder_orgs").fetchall()]
    assert len(funders) >= 3
    for number in funders:
        page = funder_page_of(con, number)
        assert page is not None
        for part, sql in plain.items():
            want = [tuple(r) for r in con.execute(sql, {"n": number}).fetchall()]
            assert [tuple(r[c] for c in stored[part]) for r in page[part]] == want, part
    never = con.execute("SELECT max(org_no) + 1 FROM org_rows").fetchall()[0][0]
    assert funder_page_of(con, never) is None


@pytest.mark.parametrize("seed", range(5))
def test_median_without_a_funder_is_the_median_of_the_others(seed: int) -> None:
    from statistics import median

    from fundtrail.analysis.funder import median_without

    rng = random.Random(seed)
    for _ in range(300):
        values = [
            rng.choice([0.1, 0.25, 0.5, 0.75, 1.0, rng.random()]) for _ in range(rng.randrange(6))
        ]
        own = rng.choice([*values, None]) if values else None
        others = list(values)
        if own is not None:
            others.remove(own)
        want = median(others) if others else None
        assert median_without(sorted(values), own) == want, (values, own)


def test_funder_qualities_are_those_of_their_peers(con: duckdb.DuckDBPyConnection) -> None:
    from statistics import median

    from fundtrail.analysis.funder import publication_qualities

    found = publication_qualities(con)
    rows = con.execute(
        """SELECT q.funder_org, o.level, q.rows_read, q.quarantined, q.valid_ids_share,
                  q.filled_share
           FROM funder_quality q JOIN organisations o ON o.org_id = q.funder_org"""
    ).fetchall()
    assert rows and found
    for funder, level, read, quarantined, valid, filled in rows:
        if level is None:
            assert funder not in found
            continue
        assert (found[funder]["valid_ids_share"], found[funder]["filled_share"]) == (valid, filled)
        peers = [r for r in rows if r[1] == level and r[0] != funder]
        quality = found[funder]
        assert quality["peers_count"] == len(peers)
        shares = [round(r[3] / r[2], 4) if r[2] else None for r in peers]
        assert quality["quarantined_share"] == (round(quarantined / read, 4) if read else None)
        for name, values in (
            ("valid_ids_share", [r[4] for r in peers]),
            ("filled_share", [r[5] for r in peers]),
            ("quarantined_share", shares),
        ):
            known = [v for v in values if v is not None]
            assert quality["peers_median"][name] == (median(known) if known else None), name


def test_page_rows_are_sorted_as_duckdb_sorts_them() -> None:
    from fundtrail.analysis.pages import sql_sorted

    rng = random.Random(3)
    con = duckdb.connect()
    try:
        for _ in range(300):
            rows = [
                {
                    "a": rng.choice([None, 1, 2, 3]),
                    "b": rng.choice([None, "x", "y", "é", "É"]),
                    "i": i,
                }
                for i in range(rng.randint(0, 12))
            ]
            terms = [
                t
                + rng.choice(["", " DESC", " NULLS FIRST", " DESC NULLS FIRST", " ASC NULLS LAST"])
                for t in rng.sample(["a", "b"], 2)
            ]
            order = ", ".join([*terms, "i"])
            con.execute("CREATE OR REPLACE TABLE t (a INTEGER, b VARCHAR, i INTEGER)")
            if rows:
                con.executemany("INSERT INTO t VALUES (?, ?, ?)", [list(r.values()) for r in rows])
            want = [r[0] for r in con.execute(f"SELECT i FROM t ORDER BY {order}").fetchall()]
            assert [r["i"] for r in sql_sorted(rows, order)] == want, order
    finally:
        con.close()


def _listed_plainly(con: duckdb.DuckDBPyConnection, shown: int) -> dict[int, list[dict[str, Any]]]:
    """Return each beneficiary's ``shown`` first grants as the page lists them, by plain SQL."""
    from fundtrail.analysis.profile import LISTED_COLUMNS

    found = con.execute(
        f"""SELECT beneficiary_no, {LISTED_COLUMNS.format(role="beneficiary")}
            FROM grant_facts WHERE beneficiary_no IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY beneficiary_no
                                       ORDER BY year DESC, amount DESC, grant_id) <= {shown}
            ORDER BY beneficiary_no, year DESC, amount DESC, grant_id"""
    )
    columns = [d[0] for d in found.description or []][1:]
    listed: dict[int, list[dict[str, Any]]] = {}
    for number, *cells in found.fetchall():
        listed.setdefault(number, []).append(dict(zip(columns, cells, strict=True)))
    return listed


def test_page_lists_the_grants_plain_sql_lists(con: duckdb.DuckDBPyConnection) -> None:
    from fundtrail.analysis.pages import GRANTS_SHOWN, page_of

    plainly = _listed_plainly(con, GRANTS_SHOWN)
    assert plainly
    numbered = con.execute("SELECT org_no, org_id FROM org_rows").fetchall()
    scores = []
    for number, org_id in numbered:
        page = page_of(con, org_id, number)
        assert page is not None
        assert page["grants"] == plainly.get(number, []), org_id
        scores += [g["link_score"] for g in page["grants"] if g["link_score"] is not None]
    # a score is read back as the float it was, not as a decimal
    assert scores and all(type(s) is float for s in scores)


def test_page_lists_the_first_grants_of_crowded_organisations(store: Path, tmp_path: Path) -> None:
    # with two grants shown, most organisations of the test store are crowded
    from fundtrail.analysis import pages

    shown = 2
    parts = tuple(
        (name, pages.listed_sql(shown), *rest) if name == "grants" else (name, source, *rest)
        for name, source, *rest in pages.PARTS
    )
    table = pages.PageTable(
        "few_pages", parts, {**pages.SOURCES, "crowded": pages.crowded_sql(shown)}
    )
    copy = tmp_path / "crowded.duckdb"
    copy.write_bytes(store.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        pages.build_page_table(con, table)
        plainly = _listed_plainly(con, shown)
        counts = dict(
            con.execute("SELECT beneficiary_no, count(*) FROM grant_facts GROUP BY ALL").fetchall()
        )
        assert any(n > shown for n in counts.values()) and any(n <= shown for n in counts.values())
        for number in counts:
            if number is None:
                continue
            listed = pages.read_page(con, table, number)["grants"]
            for grant in listed:
                if grant["link_score"] is not None:
                    grant["link_score"] = float(grant["link_score"])
            assert listed == plainly[number]
    finally:
        con.close()


def test_a_served_store_holds_its_endings_once(store: Path) -> None:
    from fundtrail.analysis.quarantine import HELD_ENDINGS, Endings
    from fundtrail.web.db import Store

    served = Store(store, threads=1)
    try:
        held = []
        for _ in range(2):
            with served.serving():
                getter = HELD_ENDINGS.get()
                assert getter is not None
                held.append(getter())
        assert isinstance(held[0], Endings) and held[0] is held[1]
        assert HELD_ENDINGS.get() is None  # only while a request is served
        served.warm()  # read already: kept
        with served.serving():
            getter = HELD_ENDINGS.get()
            assert getter is not None and getter() is held[0]
    finally:
        served.close()


def test_related_organisations_are_those_the_sums_rank_first(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from fundtrail.web.pages.profiles import related

    numbers = [r[0] for r in con.execute("SELECT DISTINCT org_no FROM agg_org_funder").fetchall()]
    single = 0
    for number in numbers:
        # the plain computation: every funder's pairs summed, for each organisation
        expected = con.execute(
            """WITH mine AS (SELECT DISTINCT funder_no FROM agg_org_funder
                             WHERE org_no = $o AND funder_no IS NOT NULL)
               SELECT o.org_id, count(*), coalesce(sum(p.awarded), 0)
               FROM funder_pairs p JOIN org_rows o ON o.org_no = p.org_no
               WHERE p.funder_no IN (SELECT funder_no FROM mine) AND p.org_no <> $o
               GROUP BY o.org_id, p.org_no
               ORDER BY 2 DESC, 3 DESC, p.org_no LIMIT 10""",
            {"o": number},
        ).fetchall()
        found = related(con, number)
        assert [(r["org_id"], r["shared_funders"], r["amount"]) for r in found] == expected
        funders = con.execute(
            "SELECT count(DISTINCT funder_no) FROM agg_org_funder WHERE org_no = $o",
            {"o": number},
        ).fetchall()[0][0]
        single += funders == 1 and len(found) > 1
    assert single  # the lists kept at link time were read


def test_the_site_reads_the_endings_before_its_first_visit(store: Path) -> None:
    import asyncio

    from fundtrail.web import create_app

    app = create_app(store, page_cache_bytes=0)

    async def started() -> bool:
        async with app.router.lifespan_context(app):
            return "quarantine-endings" in app.state.store._memo

    assert asyncio.run(started())
