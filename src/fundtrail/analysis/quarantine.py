"""The quarantined rows that mention an organisation, found without reading them all.

Rows set aside at ingest were never linked, so a profile finds those that concern an
organisation by its SIREN or its published names (``needles``) inside their raw values.
Reading every quarantined row's text on each visit grows with the quarantine (64,000
distinct words at 2.7 million grants), so the link step lists the words of that text
(``fundtrail.analysis.serving``: ``quarantine_words``, with the rows holding each) and
here every ending of each word, sorted: the words containing a run are those with an
ending that starts with it, one range of that sorted list.

Why it finds every row a full scan finds: a run of ASCII letters and digits inside a
needle lies inside one word of any text holding the needle (words are the runs of the
text). So the rows holding the needle are among those with, for each of its runs, a word
containing it; each such row is then checked on its whole text. A needle without a run of
three letters or digits is looked for in every row. tests/test_web_serving.py compares
the two ways on the demo's rows and on pieces of them cut anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import duckdb
import numpy as np

# Every ending of three letters or more of each quarantined word, sorted: the words
# containing a run are those of the endings from the run up to the run followed by DEL
# (the words are ASCII letters and digits, all before it).
SUFFIXES_SQL = """
CREATE OR REPLACE TABLE quarantine_suffixes AS
SELECT DISTINCT unnest([substr(word, i) FOR i IN range(1, length(word) - 1)]) AS suffix, word,
       len(q_nos) AS rows
FROM quarantine_words WHERE length(word) >= 3 ORDER BY suffix, word
"""

_RUN = re.compile(r"[0-9A-Za-z]+")

# Beyond this many candidate rows, searching them all is as quick as reading them.
_CANDIDATES_READ = 500
# Rows few enough to read without narrowing them by a needle's other runs.
_FEW_ROWS = 100
# A needle's runs whose words are listed (see ``_runs``), and of those the runs whose rows
# are read (the rarest): enough to leave few rows to check.
RUNS_RANGED = 3
RUNS_LOOKED_UP = 2

ROWS_SHOWN = 100


def build_quarantine_suffixes(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the sorted word endings of the quarantined text (after the serving tables)."""
    con.execute(SUFFIXES_SQL)


def _runs(needle: str) -> list[str]:
    """Return the RUNS_RANGED runs of three letters or digits or more of ``needle`` to look for.

    Those with digits first (a number in a name, a SIREN: rare in other rows), then the
    longest (short words are common).
    """
    runs = {r for r in _RUN.findall(needle) if len(r) >= 3}
    ranked = sorted(runs, key=lambda r: (not any(c.isdigit() for c in r), -len(r), r))
    return ranked[:RUNS_RANGED]


class Endings:
    """The endings of the quarantined words held in memory: ``quarantine_suffixes`` as arrays.

    A server reads them once per store (``HELD_ENDINGS``): in the store, a range of the
    sorted endings costs DuckDB a compressed block of strings to decode, 2 to 3 ms a run
    at 2.7 million grants; here it is a bisection. Each ending is kept as its first eight
    bytes in one big-endian integer (integers sort as the bytes do), with its word and
    where in the word it starts: 13 bytes an ending, 20 MB for the national store's 1.6
    million. The words are ASCII letters and digits, as in the store.
    """

    def __init__(self, words: list[str], rows: list[int]) -> None:
        self.words = words
        self.rows = np.asarray(rows, dtype=np.int64)
        encoded = [w.encode("ascii") for w in words]
        width = max((len(w) for w in encoded), default=0)
        lengths = np.fromiter((len(w) for w in encoded), dtype=np.int64, count=len(encoded))
        # every word's bytes, padded with zeros past its end and eight more for the last window
        padded = np.zeros((len(encoded), width + 8), dtype=np.uint8)
        if encoded:
            flat = np.frombuffer(np.array(encoded, dtype=f"S{width}").tobytes(), dtype=np.uint8)
            padded[:, :width] = flat.reshape(len(encoded), width)
        heads, owners, starts = [], [], []
        for start in range(max(width - 2, 0)):  # endings of three bytes or more
            owner = np.flatnonzero(lengths - start >= 3)
            window = np.ascontiguousarray(padded[owner, start : start + 8])
            heads.append(window.view(">u8").ravel().astype(np.uint64))
            owners.append(owner.astype(np.int32))
            starts.append(np.full(len(owner), start, dtype=np.uint8))
        head = np.concatenate(heads) if heads else np.zeros(0, dtype=np.uint64)
        order = np.argsort(head, kind="stable")
        self.head = head[order]
        self.owner = (np.concatenate(owners) if owners else np.zeros(0, np.int32))[order]
        self.start = (np.concatenate(starts) if starts else np.zeros(0, np.uint8))[order]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Endings:
        """Return the endings of the words of ``quarantine_words`` in the store of ``con``."""
        found = con.execute(
            "SELECT word, len(q_nos) FROM quarantine_words WHERE length(word) >= 3"
        ).fetchall()
        return cls([w for w, _ in found], [n for _, n in found])

    def containing(self, run: str) -> tuple[set[str], int]:
        """Return the words containing ``run`` and the rows they hold (at most), as ``_ranged``."""
        wanted = run.encode("ascii")
        low = int.from_bytes(wanted[:8].ljust(8, b"\x00"), "big")
        high = int.from_bytes(wanted[:8].ljust(8, b"\xff"), "big")
        first = int(np.searchsorted(self.head, np.uint64(low), side="left"))
        last = int(np.searchsorted(self.head, np.uint64(high), side="right"))
        owners = self.owner[first:last]
        if len(wanted) > 8:  # past eight bytes the heads only narrow the endings down
            starts = self.start[first:last]
            kept = [
                i for i, (o, s) in enumerate(zip(owners, starts, strict=True))
                if self.words[o].startswith(run, int(s))
            ]  # fmt: skip
            owners = owners[kept]
        return {self.words[o] for o in np.unique(owners)}, int(self.rows[owners].sum())


# The endings of the store being served, when its server holds them (``Endings``): set
# per request by ``fundtrail.web.db.Store.serving``, as a function read on first use.
HELD_ENDINGS: ContextVar[Callable[[], Endings | None] | None] = ContextVar(
    "held_endings", default=None
)


def _ranged(con: duckdb.DuckDBPyConnection, wanted: list[str]) -> dict[str, tuple[set[str], int]]:
    """Return, per run of ``wanted``, the words containing it and the rows they hold (at most)."""
    held = HELD_ENDINGS.get()
    endings = held() if held is not None else None
    if endings is not None:
        return {run: endings.containing(run) for run in wanted}
    # one range per run, its bounds as constants: DuckDB's zone maps then read only the
    # blocks of the sorted endings that hold it
    ranges = " UNION ALL ".join(
        f"SELECT {i} AS run, word, rows FROM quarantine_suffixes "
        f"WHERE suffix >= $r{i} AND suffix < $r{i} || chr(127)"
        for i in range(len(wanted))
    )
    found: dict[str, tuple[set[str], int]] = {r: (set(), 0) for r in wanted}
    for run, word, holding in con.execute(
        ranges, {f"r{i}": r for i, r in enumerate(wanted)}
    ).fetchall():
        words, rows = found[wanted[run]]
        words.add(word)
        found[wanted[run]] = (words, rows + holding)
    return found


def _candidates(con: duckdb.DuckDBPyConnection, runs: dict[str, list[str]]) -> set[int]:
    """Return the rows with, for one needle, a word containing each of its rarest runs."""
    # a range costs a few milliseconds: each needle's first run first (a number, most often
    # rare), its next runs only for the needles it leaves with many rows
    ranged: dict[str, tuple[set[str], int]] = {}
    for step in range(RUNS_RANGED):
        wanted = sorted(
            {
                needle_runs[step]
                for needle_runs in runs.values()
                if len(needle_runs) > step
                and min((ranged[r][1] for r in needle_runs[:step]), default=_FEW_ROWS + 1)
                > _FEW_ROWS
            }
            - set(ranged)
        )
        if not wanted:
            break
        ranged.update(_ranged(con, wanted))
    words = {r: found[0] for r, found in ranged.items()}
    bound = {r: found[1] for r, found in ranged.items()}  # rows holding the run, at most
    runs = {needle: [r for r in needle_runs if r in ranged] for needle, needle_runs in runs.items()}
    # a needle's RUNS_LOOKED_UP rarest runs: the rows holding it hold them all
    chosen = {}
    for needle, needle_runs in runs.items():
        rarest = sorted(needle_runs, key=lambda r: (bound[r], r))[:RUNS_LOOKED_UP]
        # a rare run alone leaves few rows: its rows only are read (not a common word's)
        chosen[needle] = rarest[:1] if bound[rarest[0]] <= _FEW_ROWS else rarest
    chosen = {n: rs for n, rs in chosen.items() if bound[rs[0]]}  # else no row holds it
    looked_up = sorted({w for rs in chosen.values() for r in rs for w in words[r]})
    postings: dict[str, list[int]] = {}
    if looked_up:
        # a list joined, not constants: DuckDB reads a whole table for an IN of constants
        postings = dict(
            con.execute(
                "SELECT word, q_nos FROM quarantine_words WHERE word IN (SELECT unnest($w))",
                {"w": looked_up},
            ).fetchall()
        )
    rows: set[int] = set()
    for needle_runs in chosen.values():
        held = [{int(q) for w in words[r] for q in postings[w]} for r in needle_runs]
        rows |= set.intersection(*held)
    return rows


def quarantined_rows(con: duckdb.DuckDBPyConnection, needles: list[str]) -> list[dict[str, Any]]:
    """Return the first ROWS_SHOWN quarantined rows whose raw values contain one of ``needles``.

    In quarantine order (source file, then row). See the module's docstring for how the
    rows to read are chosen.
    """
    if not needles:
        return []
    runs = {needle: _runs(needle) for needle in needles}
    if all(runs.values()):
        rows = _candidates(con, runs)
        if len(rows) <= _CANDIDATES_READ:
            return _holding(con, sorted(rows), needles)
    # one parameter per value: contains() in a list lambda costs several times more
    params: dict[str, Any] = {f"n{i}": n for i, n in enumerate(needles)}
    holds = " OR ".join(f"contains(raw_text, $n{i})" for i in range(len(needles)))
    found = con.execute(
        f"""
        SELECT source_id, source_name, "row_number", reasons FROM quarantine_text
        WHERE {holds} ORDER BY q_no LIMIT {ROWS_SHOWN}
        """,
        params,
    ).fetchall()
    return [_shown(*row) for row in found]


def _holding(
    con: duckdb.DuckDBPyConnection, rows: list[int], needles: list[str]
) -> list[dict[str, Any]]:
    """Return the rows numbered ``rows`` whose text holds one of ``needles``, in order."""
    if not rows:
        return []
    # the numbers joined as a list: with an IN of constants DuckDB reads every row's
    # columns (10 ms at 50,000 rows), joined it reads the few vectors holding them (1 ms);
    # the texts are checked here, as DuckDB would check every row's text before joining
    found = con.execute(
        """SELECT source_id, source_name, "row_number", reasons, raw_text
           FROM quarantine_text WHERE q_no IN (SELECT unnest($q)) ORDER BY q_no""",
        {"q": rows},
    ).fetchall()
    held = [row[:4] for row in found if any(n in row[4] for n in needles)]
    return [_shown(*row) for row in held[:ROWS_SHOWN]]


def _shown(source_id: int, source_name: str, row_number: int, reasons: Any) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "source_name": source_name,
        "row_number": row_number,
        "reasons": list(reasons or []),
    }
