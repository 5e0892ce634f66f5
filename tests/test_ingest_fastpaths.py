"""The SQL fast paths of the value maps answer exactly what the Python parsers answer.

For every value a fast path claims, its map row (text, number, identifiers, repairs,
issues) must equal the row the Python parser gives; values it does not claim go to the
parser anyway. The values are generated around the spellings the paths claim and just
outside them (a fourth digit in a group, a third decimal, La Poste, all zeros, ...).
"""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa
import pytest
from stdnum import luhn

from fundtrail.ingest.valuemaps import build_value_map

COLUMNS = (
    "raw, text, num, day, year, flag, a, b, rna, withheld, repairs, issue_codes, issue_details"
)
BLANKS = [" ", "\u00a0", "\u202f", "\u2009", "\u2007", ".", ",", "  "]


def _amount(rng: random.Random) -> str:
    whole = rng.choice([0, 1, 7, 12, 500, 1500, 23000, 123456, 1234567, 999_999_999, 10**9, 10**11])
    whole += rng.randrange(0, 1000) if rng.random() < 0.5 else 0
    text = str(whole)
    shape = rng.random()
    if shape < 0.35:
        text += rng.choice(["", ".0", ".5", ".25", ".123456", ".1234567", ",5", ",50", ",123", "."])
    elif shape < 0.7:
        text = f"{whole:,}".replace(",", rng.choice(BLANKS))
        text += rng.choice(["", ",5", ",50", ",123", ".5", ",", ",00"])
    elif shape < 0.8:
        text = rng.choice(["NC", "-", "1e5", "1,5E+06", "(1 500)", "1 500-2 000", "12 avril", ""])
    if rng.random() < 0.2:
        text = rng.choice(["-", "+", " ", "- ", "€", "€ "]) + text
    if rng.random() < 0.25:
        text += rng.choice(["€", " €", "\u00a0€", "  €", " EUR", " euros", "€ ", " € HT"])
    return text


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _checked(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def _laid_out(siret: str, rng: random.Random) -> str:
    """Return a SIRET as spreadsheets and publishers lay it out (or damage it)."""
    shape = rng.random()
    if shape < 0.2:
        return siret + rng.choice([".0", ".00", ".", ".5"])
    if shape < 0.4:
        sep = rng.choice([" ", ".", "  ", "-", "\u00a0"])
        text = sep.join([siret[:3], siret[3:6], siret[6:9], siret[9:]])
        return text + rng.choice(["", "'", " ", "''"])
    if shape < 0.6:
        return siret.lstrip("0") if rng.random() < 0.5 else siret[1:]
    if shape < 0.8:
        return siret[1:] + rng.choice([".0", "'", " "])
    return rng.choice(["'", " ", "."]) + siret


def _identifier(rng: random.Random) -> str:
    if rng.random() < 0.3:  # a valid SIRET, often with a leading zero, laid out
        zeros = rng.choice(["0", "00", ""])
        siren = _checked(zeros + _digits(rng, 8 - len(zeros)))
        siret = _checked(siren + _digits(rng, 4))
        return _laid_out(siret, rng)
    shape = rng.random()
    if shape < 0.35:
        siren = _checked(_digits(rng, 8))
        body = siren + _digits(rng, 4)
        return _checked(body) if rng.random() < 0.8 else body + _digits(rng, 1)
    if shape < 0.45:
        return _checked(_digits(rng, 8))
    if shape < 0.55:
        return "W" + "".join(rng.choice("0123456789AB") for _ in range(9))
    if shape < 0.6:
        return "356000000" + _digits(rng, 5)
    if shape < 0.7:
        return _checked(_digits(rng, 8)) + "00000"
    if shape < 0.85:
        return _digits(rng, rng.choice([8, 9, 13, 14, 15]))
    return rng.choice(
        ["00000000000000", "000000000", "00000000000026", "12345678900000", " 123",
         "W123", "w123456789", "123 456 789 00012", "21860194600000.0", "2,43E+13"]
    )  # fmt: skip


def _date(rng: random.Random) -> str:
    year = rng.choice([1899, 1989, 1990, 2019, 2024, 2100, 2101, 2999])
    month, day = rng.randrange(0, 14), rng.randrange(0, 33)
    shape = rng.random()
    if shape < 0.3:
        return f"{year}-{month:02d}-{day:02d}"
    if shape < 0.55:
        return f"{day:02d}/{month:02d}/{year}"
    if shape < 0.7:
        return f"{year}{rng.choice('/.-')}{month:02d}{rng.choice('/.')}{day:02d}"
    if shape < 0.8:
        return str(rng.choice([12000, 32873, 32874, 43655, 73415, 73416, 99999]) + rng.randrange(3))
    if shape < 0.9:
        return str(year)
    return rng.choice(
        [
            f"{day}/{month}/{year}",
            "2019-04",
            "12 avril 2019",
            "43655.5",
            f"{year}-{month:02d}-{day:02d}T00:00:00",
            f"{year}{month:02d}{day:02d}",
        ]
    )


def _period(rng: random.Random) -> str:
    def day() -> str:
        year = rng.choice([1899, 1989, 1990, 2019, 2020, 2100, 2101])
        return f"{year}-{rng.randrange(0, 14):02d}-{rng.randrange(0, 33):02d}"

    shape = rng.random()
    if shape < 0.3:
        return day()
    if shape < 0.8:
        start = day()
        end = rng.choice([day(), start, start[:4] + "-12-31", str(int(start[:4]) + 1) + "-06-30"])
        return start + rng.choice(["/", "_", "-", " - ", " au ", "/ ", "__"]) + end
    return rng.choice(
        ["2019-01-01/fin-action", "du 2019-01-01 au 2019-12-31", "2019/2020", "2019-04",
         "2019-01-01/2019-12-31 ", "01/01/2019", "2019-01-01/2019-12", "2019-01-01T00:00:00"]
    )  # fmt: skip


def _maps(parser: str, values: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("given", pa.table({"c0": values}))
    con.execute("CREATE TEMP TABLE stage AS SELECT * FROM given")
    build_value_map(con, "fast", "c0", parser)
    build_value_map(con, "slow", "c0", parser, fast=False)
    return con


@pytest.mark.parametrize(
    ("parser", "make"),
    [
        ("amount", _amount),
        ("siret", _identifier),
        ("rna", _identifier),
        ("date", _date),
        ("period", _period),
    ],
)
def test_fast_paths_answer_as_the_parsers(parser: str, make: object) -> None:
    rng = random.Random(6)
    values = sorted({make(rng) for _ in range(30_000)})  # type: ignore[operator]
    con = _maps(parser, values)
    fast_only = con.execute(f"SELECT {COLUMNS} FROM fast EXCEPT ALL SELECT {COLUMNS} FROM slow")
    assert fast_only.fetchall() == []
    slow_only = con.execute(f"SELECT {COLUMNS} FROM slow EXCEPT ALL SELECT {COLUMNS} FROM fast")
    assert slow_only.fetchall() == []
    blank = sum(1 for v in values if not v.strip())
    assert con.execute("SELECT count(*) FROM fast").fetchone() == (len(values) - blank,)


@pytest.mark.parametrize(
    ("parser", "values"),
    [
        ("amount", ["1500", "10000.0", "40 000,00", "1\u00a0500 €", "-250,5", "1500€"]),
        ("date", ["2019-04-12", "12/04/2019", "2019/04/12", "2019.04.12", "43655", "2019"]),
        ("siret", ["21860194600013", "218601946", "W751234567"]),
        ("period", ["2019-04-12", "2019-01-01/2019-12-31", "2019-09-01_2020-06-30"]),
    ],
)
def test_fast_paths_claim_the_common_spellings(parser: str, values: list[str]) -> None:
    """The paths are there for speed: the usual spellings must not fall to Python."""
    from fundtrail.ingest.valuemaps import FAST_PATHS

    con = duckdb.connect()
    con.register("given", pa.table({"v": values}))
    con.execute("CREATE TEMP TABLE distinct_values AS SELECT v FROM given")
    claimed = {v for (v,) in con.execute(f"SELECT raw FROM ({FAST_PATHS[parser]})").fetchall()}
    assert claimed == set(values)


def test_every_map_has_the_arrow_schema_shape() -> None:
    """Maps made by DDL, by a fast path or by Arrow batches have the same columns and types."""
    from fundtrail.ingest.valuemaps import FAST_PATHS, MAP_SCHEMA

    con = duckdb.connect()
    con.register("given", pa.table({"c0": ["2019-04-12", "oui", "x"]}))
    con.execute("CREATE TEMP TABLE stage AS SELECT * FROM given")
    schema = MAP_SCHEMA.append(pa.field("raw_key", pa.string()))
    con.register("empty", pa.Table.from_pylist([], schema=schema))
    expected = con.execute("DESCRIBE SELECT * FROM empty").fetchall()
    for parser in ("nature", "boolean", "share", *FAST_PATHS):
        for fast in (True, False):
            build_value_map(con, "m", "c0", parser, fast=fast)
            assert con.execute("DESCRIBE m").fetchall() == expected, (parser, fast)
