"""Distinct published values -> parsed values, as DuckDB tables joined back set-based.

A column of a million rows holds far fewer distinct values (dates, amounts, identifiers
repeat), so each parser of ``fundtrail.normalise`` runs once per distinct value and its
outcome is joined back to every row by DuckDB. The parsers stay pure Python functions,
tested by tables; the rows never go through a Python loop here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any

import duckdb
import pyarrow as pa

from fundtrail.model import Outcome
from fundtrail.normalise.amounts import amount_text, parse_amount
from fundtrail.normalise.booleans import parse_bool
from fundtrail.normalise.dates import PartialDate, parse_date, parse_period
from fundtrail.normalise.identifiers import parse_org_id, parse_rna
from fundtrail.normalise.nature import parse_nature
from fundtrail.normalise.shares import parse_share

WITHHELD = "[masqué]"  # what raw values show in place of a personal identifier

# One shape for every map table, whatever the parser: unused columns stay NULL.
MAP_SCHEMA = pa.schema(
    [
        ("raw", pa.string()),
        ("text", pa.string()),  # canonical text of the value (the repair's result)
        ("num", pa.decimal128(38, 6)),
        ("day", pa.date32()),  # a date known to the day
        ("year", pa.int32()),
        ("flag", pa.bool_()),
        ("a", pa.string()),  # siret | period start
        ("b", pa.string()),  # siren | period end
        ("rna", pa.string()),
        ("withheld", pa.bool_()),
        ("repairs", pa.list_(pa.string())),
        ("issue_codes", pa.list_(pa.string())),
        ("issue_details", pa.list_(pa.string())),
    ]
)

# The same shape in SQL, for a map no fast path starts (tests check the two agree).
_MAP_COLUMNS = (
    "raw VARCHAR, text VARCHAR, num DECIMAL(38, 6), day DATE, year INTEGER, flag BOOLEAN, "
    "a VARCHAR, b VARCHAR, rna VARCHAR, withheld BOOLEAN, repairs VARCHAR[], "
    "issue_codes VARCHAR[], issue_details VARCHAR[], raw_key VARCHAR"
)

_SIX_PLACES = Decimal("0.000001")
# grants.amount is DECIMAL(38, 4): a value with more decimals is rounded here, where the
# repair is recorded, never silently by the column's type.
_AMOUNT_PLACES = Decimal("0.0001")
PARSE_BATCH = 50_000


def _row(raw: str, outcome: Outcome, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(MAP_SCHEMA.names)
    row.update(values)
    row["raw"] = raw
    row["repairs"] = list(outcome.repairs)
    row["issue_codes"] = [code for code, _ in outcome.issues]
    row["issue_details"] = [detail for _, detail in outcome.issues]
    row["withheld"] = bool(row["withheld"])
    return row


def _date_values(value: PartialDate | None) -> dict[str, Any]:
    if value is None:
        return {}
    day = None
    if value.precision == "day":
        day = datetime.date(value.year, value.month or 1, value.day or 1)
    return {"text": value.iso(), "day": day, "year": value.year}


def _amount(raw: str) -> dict[str, Any]:
    outcome = parse_amount(raw)
    value = outcome.value
    if value is None:
        return _row(raw, outcome)
    if value != value.quantize(_AMOUNT_PLACES, rounding=ROUND_HALF_EVEN):
        # More than four decimals only comes from float noise in spreadsheets; say so.
        value = value.quantize(_AMOUNT_PLACES, rounding=ROUND_HALF_EVEN)
        outcome = Outcome(value, (*outcome.repairs, "amount-rounded"), outcome.issues)
    return _row(raw, outcome, num=value, text=amount_text(value))


def _date(raw: str) -> dict[str, Any]:
    outcome = parse_date(raw)
    return _row(raw, outcome, **_date_values(outcome.value))


def _period(raw: str) -> dict[str, Any]:
    outcome = parse_period(raw)
    period = outcome.value
    if period is None:
        return _row(raw, outcome)
    start = period.start.iso() if period.start else None
    end = period.end.iso() if period.end else None
    text = "/".join(p for p in (start, end) if p) or None
    return _row(raw, outcome, a=start, b=end, text=text)


def _org_id(raw: str, *, personal_column: bool = False) -> dict[str, Any]:
    # In a "SIRET ou NIR" column the parser withholds whatever is not an organisation's number.
    outcome = parse_org_id(raw, personal=personal_column)
    org = outcome.value
    if org is None:
        return _row(raw, outcome)
    if org.withheld:
        return _row(WITHHELD, outcome, withheld=True)
    return _row(
        raw, outcome, a=org.siret, b=org.siren, rna=org.rna, text=org.siret or org.siren or org.rna
    )


def _rna(raw: str) -> dict[str, Any]:
    outcome = parse_rna(raw)
    return _row(raw, outcome, rna=outcome.value, text=outcome.value)


def _boolean(raw: str) -> dict[str, Any]:
    outcome = parse_bool(raw)
    text = None if outcome.value is None else ("true" if outcome.value else "false")
    return _row(raw, outcome, flag=outcome.value, text=text)


def _share(raw: str) -> dict[str, Any]:
    outcome = parse_share(raw)
    value = outcome.value
    if value is None:
        return _row(raw, outcome)
    value = value.quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN)
    return _row(raw, outcome, num=value, text=str(value.normalize()))


def _nature(raw: str) -> dict[str, Any]:
    outcome = parse_nature(raw)
    return _row(raw, outcome, text=outcome.value)


PARSERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "amount": _amount,
    "date": _date,
    "period": _period,
    "siret": _org_id,
    "rna": _rna,
    "boolean": _boolean,
    "share": _share,
    "nature": _nature,
}


# The spellings most cells use are parsed in SQL, where a million values cost what a few
# thousand cost in Python. Each fast path answers exactly what the Python parser answers for
# the values it claims (tests/test_ingest_fastpaths.py compares them on generated values);
# every other value goes to the parser. The paths are deliberately narrow: a value they do
# not claim is never wrong, only slower.
_BLANK_CLASS = "[ \u00a0\u202f\u2009\u2007]"  # the blanks parse_amount reads as groupings
_FRENCH = (  # blank-grouped thousands and/or a decimal comma of one or two digits
    f"-?[0-9]{{1,3}}({_BLANK_CLASS}[0-9]{{3}}){{1,6}}(,[0-9]{{1,2}})?|-?[0-9]{{1,20}},[0-9]{{1,2}}"
)
_PLAIN = "-?[0-9]{1,20}([.][0-9]{1,4})?"  # more decimals: _amount rounds and says so
_EURO = f"{_BLANK_CLASS}?€"
_NO_DETAILS = "list_transform(issue_codes, lambda x: NULL::VARCHAR)"

_AMOUNT_SQL = f"""
WITH shape AS (
    SELECT v, regexp_matches(v, '{_EURO}$') AS euro,
        regexp_replace(v, '{_EURO}$', '') AS body
    FROM distinct_values
), kind AS (
    SELECT v, euro, body,
        CASE WHEN regexp_full_match(body, '{_PLAIN}') THEN 'plain'
             WHEN regexp_full_match(body, '{_FRENCH}') THEN 'french' END AS kind
    FROM shape
), parsed AS (
    SELECT v, euro, kind,
        CAST(replace(regexp_replace(body, '{_BLANK_CLASS}', '', 'g'), ',', '.')
             AS DECIMAL(38, 6)) AS num
    FROM kind WHERE kind IS NOT NULL
), texts AS (
    SELECT *, rtrim(CAST(num AS VARCHAR), '0') AS trimmed FROM parsed
), coded AS (
    SELECT v, num,
        CASE WHEN num = trunc(num) THEN CAST(CAST(num AS HUGEINT) AS VARCHAR)
             WHEN trimmed LIKE '%._' THEN trimmed || '0' ELSE trimmed END AS text,
        list_concat(CASE WHEN euro THEN ['amount-currency-removed'] ELSE [] END,
                    CASE WHEN kind = 'french' THEN ['amount-french-format'] ELSE [] END)
            AS repairs,
        list_filter([CASE WHEN num < 0 THEN 'amount-negative'
                          WHEN num = 0 THEN 'amount-zero' END,
                     CASE WHEN abs(num) >= 1000000000 THEN 'amount-implausible' END],
                    lambda x: x IS NOT NULL) AS issue_codes
    FROM texts
)
SELECT v AS raw, text, num, NULL::DATE AS day, NULL::INTEGER AS year, NULL::BOOLEAN AS flag,
    NULL::VARCHAR AS a, NULL::VARCHAR AS b, NULL::VARCHAR AS rna, false AS withheld,
    CAST(repairs AS VARCHAR[]) AS repairs, CAST(issue_codes AS VARCHAR[]) AS issue_codes,
    CAST({_NO_DETAILS} AS VARCHAR[]) AS issue_details, v AS raw_key
FROM coded
"""


# Luhn's check: every second digit from the right is doubled, and a doubled digit counts
# its digits' sum (2d, or 2d - 9 from 5 up). It is summed two digits at a time on the
# value as a number (read only where it is all digits: 14 fit in a BIGINT): ``lut[p + 1]``
# is the sum for the pair p = 10 * doubled digit + plain digit. Short expressions matter
# here: the map is planned once per file, and a 10k-row file's few funder ids cost less
# to check than this SQL costs to plan (digit by digit it took twice as long, a lambda
# over each value's characters more still, and ran five times slower). La Poste's
# SIRETs follow another rule: they are left to python-stdnum, like every value these
# paths do not claim.
def _doubled(digit: int) -> int:
    return 2 * digit - 9 * (digit // 5)


_LUHN_PAIRS = "[" + ", ".join(str(p % 10 + _doubled(p // 10)) for p in range(100)) + "]"


def _luhn(number: str, digits: int) -> str:
    terms = [f"lut[{number} // {100**j} % 100 + 1]" for j in range(digits // 2)]
    if digits % 2:  # the leading digit of an odd count is not doubled
        terms.append(f"{number} // {100 ** (digits // 2)}")
    return f"(({' + '.join(terms)}) % 10 = 0)"


def _siret_sound(w: str) -> str:
    return (
        f"(regexp_full_match({w}, '[0-9]{{14}}') AND NOT starts_with({w}, '356000000') "
        f"AND NOT ends_with({w}, '00000') AND left({w}, 9) <> '000000000' "
        f"AND {_luhn('n', 14)} AND {_luhn('(n // 100000)', 9)})"
    )


_SIREN_SOUND = f"(regexp_full_match(v, '[0-9]{{9}}') AND v <> '000000000' AND {_luhn('n', 9)})"
_RNA_SOUND = "regexp_full_match(v, 'W[0-9][0-9AB][0-9]{7}')"

# Besides the plain spellings, a SIRET is claimed through the layout parse_org_id removes
# when the value holds nothing else: a ".0" float suffix (Poitiers), or spaces, dots and
# apostrophes between digits ("224 900 019 000 15'", Maine-et-Loire), and a SIRET of 13
# digits whose leading zero a spreadsheet dropped. The repairs are the parser's, in its
# order. ``compact`` is the value without that layout, ``w`` its 14-digit form, ``n`` the
# number both write.
_ORG_ID_SQL = f"""
WITH laid AS (
    SELECT v, regexp_full_match(v, '[0-9]+[.]0+') AS float_suffix,
        CASE WHEN regexp_full_match(v, '[0-9]+[.]0+') THEN regexp_extract(v, '^[0-9]+')
             WHEN regexp_full_match(v, '[0-9]([0-9 .'']*[0-9.''])?')
                 THEN regexp_replace(v, '[ .'']', '', 'g')
        END AS compact
    FROM distinct_values
), numbered AS (
    SELECT v, compact, float_suffix, NOT float_suffix AND compact <> v AS separated,
        CASE WHEN length(compact) = 13 THEN '0' || compact ELSE compact END AS w,
        CASE WHEN regexp_full_match(compact, '[0-9]{{9}}|[0-9]{{13,14}}')
             THEN CAST(compact AS BIGINT) END AS n,
        {_LUHN_PAIRS} AS lut
    FROM laid
), kind AS (
    SELECT v, w, list_concat(
            CASE WHEN float_suffix THEN ['identifier-float-suffix'] ELSE [] END,
            CASE WHEN separated THEN ['identifier-separators-removed'] ELSE [] END,
            CASE WHEN length(compact) = 13 THEN ['siret-leading-zero-restored'] ELSE [] END
        ) AS layout,
        CASE WHEN {_siret_sound("w")} THEN 'siret' WHEN {_SIREN_SOUND} THEN 'siren'
             WHEN {_RNA_SOUND} THEN 'rna' END AS kind
    FROM numbered
)
SELECT v AS raw, CASE WHEN kind = 'siret' THEN w ELSE v END AS text,
    NULL::DECIMAL(38, 6) AS num, NULL::DATE AS day, NULL::INTEGER AS year,
    NULL::BOOLEAN AS flag, CASE WHEN kind = 'siret' THEN w END AS a,
    CASE WHEN kind = 'siret' THEN left(w, 9) WHEN kind = 'siren' THEN v END AS b,
    CASE WHEN kind = 'rna' THEN v END AS rna, false AS withheld,
    CASE WHEN kind = 'siret' THEN layout ELSE [] END::VARCHAR[] AS repairs,
    CASE WHEN kind = 'siren' THEN ['siren-instead-of-siret'] ELSE [] END::VARCHAR[]
        AS issue_codes,
    CASE WHEN kind = 'siren' THEN [NULL] ELSE [] END::VARCHAR[] AS issue_details,
    v AS raw_key
FROM kind WHERE kind IS NOT NULL
"""

_RNA_SQL = f"""
SELECT v AS raw, v AS text, NULL::DECIMAL(38, 6) AS num, NULL::DATE AS day,
    NULL::INTEGER AS year, NULL::BOOLEAN AS flag, NULL::VARCHAR AS a, NULL::VARCHAR AS b,
    v AS rna, false AS withheld, []::VARCHAR[] AS repairs, []::VARCHAR[] AS issue_codes,
    []::VARCHAR[] AS issue_details, v AS raw_key
FROM distinct_values WHERE {_RNA_SOUND}
"""

# Dates: ISO days and years as they are; the French day-first order and the ISO variants
# (2019/04/12, 2019.04.12) with two-digit day and month; Excel serial day numbers in
# parse_date's range. A day that does not exist is left to parse_date (TRY_CAST gives
# NULL), which says so.
_DATE_SQL = """
WITH shape AS (
    SELECT v, CASE
        WHEN regexp_full_match(v, '[12][0-9]{3}-[0-9]{2}-[0-9]{2}') THEN 'iso'
        WHEN regexp_full_match(v, '[0-9]{2}/[0-9]{2}/[12][0-9]{3}') THEN 'french'
        WHEN regexp_full_match(v, '[12][0-9]{3}[/.][0-9]{2}[/.][0-9]{2}') AND v[5] = v[8]
            THEN 'variant'
        WHEN regexp_full_match(v, '[0-9]{5}')
            AND TRY_CAST(v AS INTEGER) BETWEEN 32874 AND 73415 THEN 'excel'
        WHEN regexp_full_match(v, '[12][0-9]{3}') THEN 'year'
        END AS kind
    FROM distinct_values
), parsed AS (
    SELECT v, kind, CASE kind
        WHEN 'iso' THEN TRY_CAST(v AS DATE)
        WHEN 'french' THEN TRY_CAST(concat(v[7:10], '-', v[4:5], '-', v[1:2]) AS DATE)
        WHEN 'variant' THEN TRY_CAST(concat(v[1:4], '-', v[6:7], '-', v[9:10]) AS DATE)
        WHEN 'excel' THEN DATE '1899-12-30' + TRY_CAST(v AS INTEGER)  -- Excel's day 0
        END AS day
    FROM shape WHERE kind IS NOT NULL
), dated AS (
    SELECT v, kind, day,
        CASE WHEN kind = 'year' THEN TRY_CAST(v AS INTEGER) ELSE year(day) END AS year,
        CASE WHEN kind = 'year' THEN v ELSE strftime(day, '%Y-%m-%d') END AS text
    FROM parsed WHERE kind = 'year' OR day IS NOT NULL
)
SELECT v AS raw, text, NULL::DECIMAL(38, 6) AS num, day, CAST(year AS INTEGER) AS year,
    NULL::BOOLEAN AS flag, NULL::VARCHAR AS a, NULL::VARCHAR AS b, NULL::VARCHAR AS rna,
    false AS withheld,
    CASE kind WHEN 'french' THEN ['date-french-order'] WHEN 'variant' THEN ['date-iso-variant']
        WHEN 'excel' THEN ['date-excel-serial'] ELSE [] END::VARCHAR[] AS repairs,
    CASE WHEN year NOT BETWEEN 1990 AND 2100 THEN ['date-implausible'] ELSE [] END::VARCHAR[]
        AS issue_codes,
    CASE WHEN year NOT BETWEEN 1990 AND 2100 THEN [CAST(year AS VARCHAR)] ELSE [] END::VARCHAR[]
        AS issue_details,
    v AS raw_key
FROM dated
"""

# Payment periods: one ISO day (the period of that day), or two ISO days joined by "/" (as
# written) or "_" (parse_period's "period-separator" repair), in the plausible years and in
# order. A day that does not exist, an end before its start, or words are parse_period's.
_ISO_DAY = "[12][0-9]{3}-[0-9]{2}-[0-9]{2}"
_PERIOD_SQL = f"""
WITH shape AS (
    SELECT v, CASE WHEN regexp_full_match(v, '{_ISO_DAY}') THEN v
                   WHEN regexp_full_match(v, '{_ISO_DAY}[/_]{_ISO_DAY}') THEN v[12:21]
              END AS finish_text
    FROM distinct_values
), parsed AS (
    SELECT v, v[1:10] AS start_text, finish_text, TRY_CAST(v[1:10] AS DATE) AS start,
        TRY_CAST(finish_text AS DATE) AS finish
    FROM shape WHERE finish_text IS NOT NULL
)
SELECT v AS raw, concat(start_text, '/', finish_text) AS text, NULL::DECIMAL(38, 6) AS num,
    NULL::DATE AS day, NULL::INTEGER AS year, NULL::BOOLEAN AS flag, start_text AS a,
    finish_text AS b, NULL::VARCHAR AS rna, false AS withheld,
    CASE WHEN v[11] = '_' THEN ['period-separator'] ELSE [] END::VARCHAR[] AS repairs,
    []::VARCHAR[] AS issue_codes, []::VARCHAR[] AS issue_details, v AS raw_key
FROM parsed
WHERE year(start) BETWEEN 1990 AND 2100 AND year(finish) BETWEEN 1990 AND 2100
    AND finish >= start
"""

FAST_PATHS: dict[str, str] = {
    "amount": _AMOUNT_SQL,
    "siret": _ORG_ID_SQL,
    "rna": _RNA_SQL,
    "date": _DATE_SQL,
    "period": _PERIOD_SQL,
}


def build_value_map(
    con: duckdb.DuckDBPyConnection,
    map_name: str,
    column: str,
    parser: str,
    *,
    personal_column: bool = False,
    fast: bool = True,
) -> None:
    """Create temp table ``map_name``: one row per distinct non-blank value of ``stage.column``.

    Values of the common spellings are parsed by the parser's SQL fast path (none for a
    personal column, whose rules are the parser's alone, or when ``fast`` is False); the
    others by the Python parser. ``map_name`` and ``column`` are identifiers made by the
    pipeline itself (``m3``, ``c7``), never text from a file.
    """
    # CREATE OR REPLACE, and the empty map made by DDL rather than from an empty Arrow
    # table: a 10k-row file builds nine maps, where each statement saved counts.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE distinct_values AS SELECT DISTINCT {column} AS v "
        f"FROM stage WHERE trim({column}) <> ''"
    )
    schema = MAP_SCHEMA.append(pa.field("raw_key", pa.string()))
    fast_sql = FAST_PATHS.get(parser) if fast and not personal_column else None
    if fast_sql is not None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {map_name} AS {fast_sql}")
        rest = f"SELECT v FROM distinct_values ANTI JOIN {map_name} ON v = {map_name}.raw_key"
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {map_name} ({_MAP_COLUMNS})")
        rest = "SELECT v FROM distinct_values"
    values = [v for (v,) in con.execute(rest).fetchall()]
    con.execute("DROP TABLE distinct_values")
    parse = (
        partial(_org_id, personal_column=personal_column) if parser == "siret" else PARSERS[parser]
    )
    # ``raw_key`` joins back to the stage; ``raw`` is what may be shown (withheld for a
    # personal identifier). Both live only in this temporary table. The parsed rows go in
    # by batches: a million odd values as dictionaries would take a gigabyte of memory.
    for first in range(0, len(values), PARSE_BATCH):
        rows = [parse(v) | {"raw_key": v} for v in values[first : first + PARSE_BATCH]]
        con.register("map_batch", pa.Table.from_pylist(rows, schema=schema))
        con.execute(f"INSERT INTO {map_name} SELECT * FROM map_batch")
        con.unregister("map_batch")
