"""The search of a linked store: organisations, each with the figures of its own page.

Names are matched in the link step's precomputed names (``org_names``, one row per
organisation and published name, never a grant; searched through their words), at most
``MAX_MATCHED`` organisations per request, the most granted first; their figures and the
facets come from ``grant_facts`` restricted to those organisations, so that a result's
total is the total its page shows: summed per organisation at link time
(``fundtrail.analysis.serving``) when the search has no facet filter, over the matched
grants otherwise.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb

from fundtrail.analysis.search_tables import FACET_BAND, FACET_FUNDER, FACET_LEVEL, FACET_YEAR
from fundtrail.analysis.serving import FACT_AMOUNT, fold_sql
from fundtrail.web.db import in_background, rows
from fundtrail.web.sql import BAND_SQL

if TYPE_CHECKING:
    from fundtrail.web.pages.search import Query


@dataclass(frozen=True)
class Matched:
    """The organisations a search found: first those whose names hold its words (``named``
    of them, most granted first), then those found by identifier or place (``placed``, their
    ids); ``numbers`` and ``by_name`` are the search and name numbers (``s_no`` and ``n_no``
    of ``fundtrail.analysis.search_tables``) of all that have one, in the same order.

    The ids of the organisations found by name are read only when asked (``org_ids``): the
    page of a search without facet filter needs none, and reading them was a third of the
    reading of a common name's postings.
    """

    named: int
    placed: list[str]
    numbers: list[int]
    by_name: list[int]

    def __len__(self) -> int:
        """Return how many organisations were found."""
        return self.named + len(self.placed)


def matched_orgs(con: duckdb.DuckDBPyConnection, query: Query) -> list[str] | None:
    """Return the ids of the organisations ``query`` names (None: no words, all of them)."""
    found = match(con, query)
    return None if found is None else org_ids(con, found)


def org_ids(con: duckdb.DuckDBPyConnection, matched: Matched) -> list[str]:
    """Return the ids of the ``matched`` organisations, in their order."""
    named = matched.numbers[: matched.named]
    found: dict[int, str] = {}
    if named:
        found = dict(
            con.execute(
                "SELECT s_no, org_id FROM search_numbers "
                "WHERE s_no IN (SELECT unnest(?::INTEGER[]))",
                [named],
            ).fetchall()
        )
    return [found[n] for n in named] + matched.placed


def match(con: duckdb.DuckDBPyConnection, query: Query) -> Matched | None:
    """Return the organisations ``query`` names (None: no words, all of them)."""
    from fundtrail.web.pages.search import MAX_MATCHED

    if query.identifier() is not None:
        from fundtrail.link.search import search_organisations

        return _placed(con, [], [org["org_id"] for org in search_organisations(con, query.text, 1)])
    words = query.words()
    if not words:
        return None
    # A place name finds the organisations registered there (``search_places``): read on a
    # cursor of its own while this one matches the names.
    placed = in_background(con, _in_place, query.text.strip(), MAX_MATCHED)
    found = _named(con, [w.upper() for w in words])
    return _placed(con, found, placed.result())


def _in_place(con: duckdb.DuckDBPyConnection, place: str, limit: int) -> list[str]:
    """Return the ids of the first ``limit`` organisations registered in ``place`` (folded)."""
    found = con.execute(
        f"SELECT org_id FROM search_places WHERE place = {fold_sql('?')} ORDER BY org_id LIMIT ?",
        [place, limit],
    ).fetchall()
    return [str(r[0]) for r in found]


def _placed(
    con: duckdb.DuckDBPyConnection, named: list[tuple[int, int]], org_ids: list[str]
) -> Matched:
    """Return the organisations ``named`` (search and name numbers) followed by those of
    ``org_ids`` not among them, with the numbers of those that have one."""
    if not org_ids:
        return Matched(len(named), [], [n for n, _ in named], [n for _, n in named])
    found = {
        r[0]: (int(r[1]), int(r[2]))
        for r in con.execute(
            """SELECT n.org_id, s.s_no, s.n_no FROM org_numbers n
               JOIN (SELECT unnest(?::VARCHAR[]) AS org_id) m
                 ON n.h = hash(m.org_id) AND n.org_id = m.org_id
               JOIN search_numbers s ON s.org_no = n.org_no""",
            [org_ids],
        ).fetchall()
    }
    known = {s_no for s_no, _ in named}
    placed = [i for i in org_ids if i not in found or found[i][0] not in known]
    numbered = named + [found[i] for i in placed if i in found]
    return Matched(len(named), placed, [n for n, _ in numbered], [n for _, n in numbered])


def _named(con: duckdb.DuckDBPyConnection, words: list[str]) -> list[tuple[int, int]]:
    """Return (search number, name number) of the organisations whose names hold every word.

    A word (no blank) lies inside a name key exactly when it lies inside one of the key's
    words: the names are read through the postings of the word that the fewest names hold
    (``search_postings``, sorted by word), and each other word is looked for among those
    names' numbers in its own postings when a few words hold it, else in their keys; when
    a word's pieces bound its names to a few, it alone is counted and read, and the others
    are looked for in their keys. The organisations come most granted first (their grants
    summed over the names holding every word, ties by number, which follow ids), as many as
    ``MAX_MATCHED``.
    """
    from fundtrail.web.pages.search import MAX_MATCHED

    pieces = _rarest_pieces(con, words)
    if any(piece.gram == "" for piece in pieces):
        return []  # a piece no word holds
    containing = [_containing(w, piece.gram) for w, piece in zip(words, pieces, strict=True)]
    # The word the fewest names may hold is counted first: when few names hold it, the
    # others are only looked for in those names' keys, and counting them (a reading of the
    # pieces each, 1.5 ms) would choose nothing. When more may, all are counted at once.
    first = min(range(len(words)), key=lambda i: (pieces[i].names, i))
    if pieces[first].names <= FEW_NAMES:
        counted = _counted(con, containing, [first])  # at most FEW_NAMES: no other counted
    else:  # more names may hold it: every word counted, in one statement
        counted = _counted(con, containing, list(range(len(words))))
    if not all(names for names, _ in counted.values()):
        return []
    driver = min(counted, key=lambda i: (counted[i][0], i))
    tests, tested = "", []
    for i, word in enumerate(words):
        if i == driver:
            continue
        names, held = counted.get(i, (0, None))  # not counted: looked for in the keys
        if held is not None and names <= HELD_NAMES * counted[driver][0]:
            # integers of a few words' postings, compared faster than the keys' text
            among, among_params = _among("word_no", list(held))
            tests += f" AND name_no IN (SELECT name_no FROM search_postings WHERE {among})"
            tested += among_params
        else:
            tests += " AND contains(name_key, ?)"
            tested.append(word)
    few = counted[driver][1]
    if few is not None:
        # a few words: constants, which DuckDB compares with each block's bounds
        holding, params = _among("word_no", list(few))
    else:
        sql, params = containing[driver]
        holding = f"""word_no IN (
            SELECT word_no FROM (WITH c AS MATERIALIZED ({sql}) SELECT * FROM c)
            WHERE contains(word, ?))"""
    # a name holding two of the words counts once; with one word, no name is there twice
    distinct = "" if few is not None and len(few) == 1 else "DISTINCT"
    found = con.execute(
        f"""
        SELECT any_value(s_no) AS s_no, any_value(n_no) AS n_no FROM (
            SELECT {distinct} name_no, org_no, s_no, n_no, grants FROM search_postings
            WHERE {holding}{tests}
        ) GROUP BY org_no ORDER BY sum(grants) DESC, org_no LIMIT ?
        """,
        [*params, *tested, MAX_MATCHED],
    ).fetchall()
    return [(int(r[0]), int(r[1])) for r in found]


@dataclass(frozen=True)
class Piece:
    """The three letters of a query word that the fewest name words hold, and at most how
    many names hold the word (the fewest names holding one of its pieces).

    ``gram`` is "" when no word holds one of the word's pieces (no name holds the word),
    None for a word shorter than three letters (every word is looked at: ``names`` is then
    larger than any count).
    """

    gram: str | None
    names: int


def _rarest_pieces(con: duckdb.DuckDBPyConnection, words: list[str]) -> list[Piece]:
    """Return, for each word, its three letters the fewest name words hold (``Piece``)."""
    grams = {w: sorted({w[i : i + 3] for i in range(len(w) - 2)}) for w in words}
    counted = {
        gram: (words, names)
        for gram, words, names in con.execute(
            "SELECT gram, words, names FROM search_grams "
            "WHERE gram IN (SELECT unnest(?::VARCHAR[]))",
            [sorted({g for pieces in grams.values() for g in pieces})],
        ).fetchall()
    }
    found: list[Piece] = []
    for word in words:
        if not grams[word]:
            found.append(Piece(None, sys.maxsize))
        elif any(g not in counted for g in grams[word]):
            found.append(Piece("", 0))
        else:
            rarest = min(grams[word], key=lambda g: (counted[g][0], g))
            found.append(Piece(rarest, int(min(counted[g][1] for g in grams[word]))))
    return found


def _counted(
    con: duckdb.DuckDBPyConnection, containing: list[tuple[str, list[str]]], asked: list[int]
) -> dict[int, tuple[int, list[int] | None]]:
    """Return, for each query word numbered in ``asked``, how many names hold it and, when
    a few words do (``FEW``), their numbers; ``containing`` is ``_containing`` of each word.
    """
    if not asked:
        return {}
    return {
        r[0]: (r[1], r[2])
        for r in con.execute(
            " UNION ALL ".join(
                f"""SELECT * FROM (
                        WITH c AS MATERIALIZED ({containing[i][0]})
                        SELECT {i} AS i, coalesce(sum(names), 0) AS names,
                               CASE WHEN count(*) <= {FEW} THEN list(word_no) END AS few
                        FROM c WHERE contains(word, ?)
                    )"""
                for i in asked  # i, FEW: constants
            ),
            [value for i in asked for value in containing[i][1]],
        ).fetchall()
    }


def _containing(word: str, piece: str | None) -> tuple[str, list[str]]:
    """Return a query of name words (constant text) holding the words containing ``word``.

    Its rows (word, word_no, names) are then tested with ``contains(word, ?)``; the
    parameters returned end with ``word`` for that test. A word holding ``word`` holds each
    of its three-letter pieces: with a piece, only the words holding it are looked at.
    """
    if piece is None:
        return "SELECT word, word_no, names FROM search_words", [word]
    return "SELECT word, word_no, names FROM search_word_grams WHERE gram = ?", [piece, word]


# A word held by a few words and at most this many times as many names as the word read
# first is looked for among its own postings; more names cost more than testing the keys.
HELD_NAMES = 8

# When its pieces let at most this many names hold a query word, it alone is counted and
# the other words are looked for in those names' keys.
FEW_NAMES = 5000

# Up to this many values, a filter lists them as constants (DuckDB then skips the blocks
# holding none of them); more are joined, between their bounds.
FEW = 50


def _among(column: str, values: list[int]) -> tuple[str, list[Any]]:
    """Return the condition "``column`` among ``values``" (constant text) and its parameters.

    ``column`` is a constant of this module.
    """
    if len(values) <= FEW:
        return f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})", list(values)
    return (
        f"{column} BETWEEN ? AND ? AND {column} IN (SELECT unnest(?::INTEGER[]))",
        [min(values), max(values), values],
    )


def _unfiltered(query: Query) -> bool:
    """Return True when ``query`` has no facet filter: the per-organisation tables answer."""
    return (
        query.year is None and query.band is None and query.funder is None and (query.level is None)
    )


def _where(query: Query, org_ids: list[str] | None) -> tuple[str, list[Any]]:
    """Return the condition on ``grant_facts f`` (constant text) and its parameters."""
    from fundtrail.web.pages.search import facet_filters

    conditions = ["f.beneficiary_org IS NOT NULL"]
    params: list[Any] = []
    if org_ids is not None:
        conditions.append("f.beneficiary_org IN (SELECT unnest(?::VARCHAR[]))")
        params.append(org_ids)
    more, more_params = facet_filters(query, "f.")
    conditions += more
    params += more_params
    if query.level is not None:
        conditions.append("f.funder_org IN (SELECT org_id FROM organisations WHERE level = ?)")
        params.append(query.level)
    return " AND ".join(conditions), params


def results_sql(
    con: duckdb.DuckDBPyConnection,
    query: Query,
    matched: Matched | None,
    after: tuple[Decimal, str] | None,
) -> tuple[str, list[Any]]:
    """Return the SQL of the linked organisations ``matched`` (``query``) after ``after``."""
    from fundtrail.web.pages.search import after_clause

    having, after_params = after_clause(after)
    if _unfiltered(query):
        # each organisation's figures, summed once at link time over the same fact rows
        found, params = ("TRUE", []) if matched is None else _among("s_no", matched.numbers)
        sql = f"""
            WITH found AS (
                SELECT * EXCLUDE (s_no) FROM search_figures WHERE {found}
            )
            SELECT * FROM found {having} ORDER BY total DESC, key
        """
        return sql, [*params, *after_params]
    where, params = _where(query, None if matched is None else org_ids(con, matched))
    params = [*params, *after_params]
    sql = f"""
        WITH figures AS (
            SELECT f.beneficiary_org AS org_id, count(*) AS grants, {FACT_AMOUNT} AS total,
                   count(DISTINCT f.funder_org) AS funders,
                   min(f.year) AS first_year, max(f.year) AS last_year
            FROM grant_facts f WHERE {where} GROUP BY f.beneficiary_org
        ), found AS (
            SELECT coalesce(o.siren, o.rna, o.org_id) AS key, o.org_id, o.name, o.siren,
                   o.rna, o.kind, o.commune, g.grants, g.total, g.funders, g.first_year,
                   g.last_year
            FROM figures g JOIN organisations o USING (org_id)
        )
        SELECT * FROM found {having} ORDER BY total DESC, key
    """
    return sql, params


# The facets of the found organisations from their per-organisation parts, in two
# statements run side by side (``{found}``: the condition on the table's number; ``{by}``:
# the suffix of the tables read, "" in the order of the search numbers, "_by_name" of the
# name numbers; ``{materialized}``: "MATERIALIZED" when a few organisations are read by the
# index, which DuckDB leaves aside beside a filter on another column). The funders' parts,
# most of the rows (a hundred per organisation among the most granted), are summed by
# number alone in one; the year, band and level parts in the other, with the results. For
# the 2,000 organisations of a common name: 25 ms in one statement, 12 and 10 apart.
_PARTS_SQL = """
p AS {materialized} (SELECT * FROM search_facets{by} WHERE {found})
"""
_FACETS_SQL = f"""
g AS MATERIALIZED (
    SELECT facet, value, label, sum(grants) AS grants, coalesce(sum(amount), 0) AS amount,
           min(lowest) AS lowest
    FROM p WHERE facet <> {FACET_FUNDER} GROUP BY facet, value, label),
y AS (SELECT value AS year, grants, amount FROM g WHERE facet = {FACET_YEAR}
      ORDER BY year DESC NULLS LAST LIMIT 50),
b AS (SELECT label AS band, grants, amount, lowest FROM g WHERE facet = {FACET_BAND}),
l AS (SELECT label AS level, grants, amount FROM g WHERE facet = {FACET_LEVEL})
"""
_FACET_LISTS = """
(SELECT list(y ORDER BY year DESC NULLS LAST) FROM y) AS facet_year,
(SELECT list({'band': band, 'grants': grants, 'amount': amount} ORDER BY lowest) FROM b)
    AS facet_band,
(SELECT list(l ORDER BY amount DESC, level) FROM l) AS facet_level
"""
_FUNDERS_SQL = f"""
f AS (SELECT value AS funder_no, sum(grants) AS grants, coalesce(sum(amount), 0) AS amount
      FROM p WHERE facet = {FACET_FUNDER} GROUP BY value ORDER BY amount DESC, funder_no
      LIMIT 20)
SELECT list({{'funder': d.funder, 'grants': f.grants, 'amount': f.amount}}
            ORDER BY f.amount DESC, f.funder_no)
FROM f JOIN search_funders d USING (funder_no)
"""
FACET_NAMES = ("facet_year", "facet_band", "facet_level")


def page(
    con: duckdb.DuckDBPyConnection,
    query: Query,
    matched: Matched | None,
    after: tuple[Decimal, str] | None,
    limit: int,
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Return the first ``limit`` organisations ``matched`` after ``after``, and the facets.

    Without a facet filter, the per-organisation tables answer: the funders' facet on a
    cursor of its own while this one reads the results and the other facets (the numbers
    found are sent once to each); with one, the fact rows are summed (``results_sql``).
    """
    if not _unfiltered(query):
        sql, params = results_sql(con, query, matched, after)
        return rows(con, sql + " LIMIT ?", [*params, limit]), facets(con, query, matched)
    found, named, read = _found_named(matched)
    # A few organisations are read first, on their own: DuckDB reads them by the index on
    # their numbers then, not under an ORDER BY ... LIMIT (three of the national store:
    # 1.6 ms, 22 under it); many lie in runs, read between their bounds either way.
    materialized = _materialized(matched)
    parts = _PARTS_SQL.format(found=found, by=read.tables, materialized=materialized)
    funders = in_background(con, _funders_facet, parts, named)
    later = ""
    if after is not None:
        later = "AND (total < $after_total OR (total = $after_total AND key > $after_key))"
        named = named | {"after_total": after[0], "after_key": after[1]}
    sql = f"""
        WITH {_many(named)}
        o AS {materialized} (
            SELECT * EXCLUDE ({read.column}) FROM search_figures{read.tables} WHERE {found}),
        r AS (SELECT * FROM o WHERE TRUE {later} ORDER BY total DESC, key LIMIT $limit),
        {parts}, {_FACETS_SQL}
        SELECT (SELECT list(r ORDER BY total DESC, key) FROM r) AS results, {_FACET_LISTS}
    """
    got = con.execute(sql, named | {"limit": limit}).fetchall()[0]
    results = [dict(r) for r in got[0] or ()]
    listed = dict(zip(FACET_NAMES, got[1:], strict=True)) | {"facet_funder": funders.result()}
    return results, {
        name: [dict(r) for r in listed[name] or ()]
        for name in ("facet_year", "facet_band", "facet_funder", "facet_level")
    }


def _funders_facet(con: duckdb.DuckDBPyConnection, parts: str, named: dict[str, Any]) -> list[Any]:
    """Return the funders' facet (structs, most first) of the organisations whose facet
    parts ``parts`` reads (``_PARTS_SQL``, its parameters ``named``: read, never changed)."""
    got = con.execute(f"WITH {_many(named)} {parts}, {_FUNDERS_SQL}", named).fetchall()
    return list(got[0][0] or ())


@dataclass(frozen=True)
class Read:
    """Which copy of the per-organisation tables a request reads: their names' suffix and
    the column of the organisations' numbers in that order (constants)."""

    tables: str
    column: str


BY_NUMBER = Read("", "s_no")
BY_NAME = Read("_by_name", "n_no")

# Up to this many runs of name numbers, each one's bounds are given to DuckDB (which then
# skips the blocks between them); each run costs a little, so only the widest gaps are cut.
RUNS = 3


def _found_named(matched: Matched | None) -> tuple[str, dict[str, Any], Read]:
    """Return the condition on the numbers of the ``matched`` organisations (None: all) as
    constant text, its named parameters, and the copy of the tables it reads.

    Many organisations are read from the statement's table ``m``, in the copy ``_closer``
    chooses.
    """
    if matched is None:
        return "TRUE", {}, BY_NUMBER
    numbers = matched.numbers
    if len(numbers) <= FEW:
        names = [f"n{i}" for i in range(len(numbers))]
        listed = ", ".join(f"${n}" for n in names) or "NULL"
        return f"s_no IN ({listed})", dict(zip(names, numbers, strict=True)), BY_NUMBER
    if _closer(matched) == BY_NAME:
        runs = _runs(matched.by_name, RUNS)
        bounds = " OR ".join(f"n_no BETWEEN $low{i} AND $high{i}" for i in range(len(runs)))
        named: dict[str, Any] = {"numbers": _listed(matched.by_name)}
        for i, (low, high) in enumerate(runs):
            named |= {f"low{i}": low, f"high{i}": high}
        return f"({bounds}) AND n_no IN (SELECT n FROM m)", named, BY_NAME
    return (
        "s_no BETWEEN $lowest AND $highest AND s_no IN (SELECT n FROM m)",
        {"numbers": _listed(numbers), "lowest": min(numbers), "highest": max(numbers)},
        BY_NUMBER,
    )


def _closer(matched: Matched) -> Read:
    """Return the copy of the tables where the ``matched`` organisations (some) lie closer.

    By grants when the words are common anywhere in the names (their most granted
    organisations come first); by name when the words begin the names (their organisations
    lie side by side, as do the few published under several first words).
    """
    numbers = matched.numbers
    runs = _runs(matched.by_name, RUNS)
    if sum(high - low for low, high in runs) < max(numbers) - min(numbers):
        return BY_NAME
    return BY_NUMBER


def _runs(numbers: list[int], most: int) -> list[tuple[int, int]]:
    """Return at most ``most`` runs (lowest, highest) holding every number of ``numbers``
    (not empty), the widest gaps between them left out."""
    ordered = sorted(numbers)
    gaps = sorted(range(1, len(ordered)), key=lambda i: (ordered[i - 1] - ordered[i], i))
    cuts = sorted(gaps[: most - 1])
    starts, ends = [0, *cuts], [*cuts, len(ordered)]
    return [(ordered[a], ordered[b - 1]) for a, b in zip(starts, ends, strict=True)]


def _materialized(matched: Matched | None) -> str:
    """Return "MATERIALIZED" when the rows of the ``matched`` organisations are read by the
    index on their numbers (a few of them), else "NOT MATERIALIZED" (SQL): each reading of
    many then has its own filters, which zone maps skip blocks on."""
    few = matched is not None and len(matched.numbers) <= FEW
    return "MATERIALIZED" if few else "NOT MATERIALIZED"


def _many(named: dict[str, Any]) -> str:
    """Return the table ``m`` of the numbers found (SQL), when the parameters send them."""
    if "numbers" not in named:
        return ""
    return "m AS MATERIALIZED (SELECT unnest(string_split($numbers, ',')::INTEGER[]) AS n),"


def _listed(numbers: list[int]) -> str:
    """Return ``numbers`` as one text: a list of 2,000 numbers took a millisecond to bind."""
    return ",".join(map(str, numbers))


def facets(
    con: duckdb.DuckDBPyConnection, query: Query, matched: Matched | None
) -> dict[str, list[dict[str, Any]]]:
    """Return the facets of the ``matched`` organisations' grants under ``query``'s filters
    (without any, ``page`` reads them from the per-organisation parts)."""
    where, params = _where(query, None if matched is None else org_ids(con, matched))
    amount = FACT_AMOUNT
    by_year = rows(
        con,
        f"SELECT f.year, count(*) AS grants, {amount} AS amount FROM grant_facts f "
        f"WHERE {where} GROUP BY f.year ORDER BY f.year DESC NULLS LAST LIMIT 50",
        params,
    )
    by_band = rows(
        con,
        f"SELECT {BAND_SQL.replace('amount', 'f.amount')} AS band, count(*) AS grants, "
        f"{amount} AS amount FROM grant_facts f WHERE {where} AND f.amount IS NOT NULL "
        "GROUP BY band ORDER BY min(f.amount)",
        params,
    )
    by_funder = rows(
        con,
        f"SELECT f.funder_name AS funder, count(*) AS grants, {amount} AS amount "
        f"FROM grant_facts f WHERE {where} AND f.funder_name IS NOT NULL "
        "GROUP BY funder ORDER BY amount DESC, funder LIMIT 20",
        params,
    )
    by_level = rows(
        con,
        f"SELECT o.level, count(*) AS grants, {amount} AS amount FROM grant_facts f "
        f"JOIN organisations o ON o.org_id = f.funder_org WHERE {where} "
        "GROUP BY o.level ORDER BY amount DESC, o.level",
        params,
    )
    return {
        "facet_year": by_year,
        "facet_band": by_band,
        "facet_funder": by_funder,
        "facet_level": by_level,
    }
