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

_SIX_PLACES = Decimal("0.000001")


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
    if value != value.quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN):
        # More than six decimals only comes from float noise in spreadsheets; say so.
        value = value.quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN)
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


def build_value_map(
    con: duckdb.DuckDBPyConnection,
    map_name: str,
    column: str,
    parser: str,
    *,
    personal_column: bool = False,
) -> None:
    """Create temp table ``map_name``: one row per distinct non-blank value of ``stage.column``.

    ``map_name`` and ``column`` are identifiers made by the pipeline itself (``m3``, ``c7``),
    never text from a file.
    """
    values = [
        v
        for (v,) in con.execute(
            f"SELECT DISTINCT {column} FROM stage WHERE trim({column}) <> ''"
        ).fetchall()
    ]
    parse = (
        partial(_org_id, personal_column=personal_column) if parser == "siret" else PARSERS[parser]
    )
    # ``raw_key`` joins back to the stage; ``raw`` is what may be shown (withheld for a
    # personal identifier). Both live only in this temporary table.
    rows = [parse(v) | {"raw_key": v} for v in values]
    schema = MAP_SCHEMA.append(pa.field("raw_key", pa.string()))
    table = pa.Table.from_pylist(rows, schema=schema)
    con.execute(f"DROP TABLE IF EXISTS {map_name}")
    con.register("map_batch", table)
    con.execute(f"CREATE TEMP TABLE {map_name} AS SELECT * FROM map_batch")
    con.unregister("map_batch")
