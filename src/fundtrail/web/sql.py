"""SQL fragments shared by the pages: folded names, organisation keys, counted amounts.

These are constant texts written here, never built from user input: every value a user
gives travels as a query parameter.
"""

from __future__ import annotations

import re

from fundtrail.analysis.funder_pages import band_sql
from fundtrail.analysis.serving import fold_sql

# The key of a beneficiary: its SIREN when published, else its RNA, else its folded name.
BENEFICIARY_KEY = (
    "coalesce(beneficiary_siren, beneficiary_rna, 'nom:' || " + fold_sql("beneficiary_name") + ")"
)
FUNDER_KEY = "coalesce(funder_siren, 'nom:' || " + fold_sql("funder_name") + ")"

# Awarded amounts (or amounts whose kind the file does not say) are summed; paid and
# requested amounts are other quantities and are never added to them (see the method page).
COUNTED = "(amount_kind IS NULL OR amount_kind = 'awarded')"
COUNTED_AMOUNT = f"CASE WHEN {COUNTED} THEN amount END"

# Amount bands, from the legal publication threshold (23,000 €) upwards.
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("lt-23k", 0, 23_000),
    ("23k-100k", 23_000, 100_000),
    ("100k-1m", 100_000, 1_000_000),
    ("ge-1m", 1_000_000, None),
)
BAND_SQL = band_sql("amount")

_KEY_SIREN = re.compile(r"^\d{9}$")
_KEY_RNA = re.compile(r"^W\d{9}$")
_KEY_ORG_ID = re.compile(r"^(FR|FT)-[A-Za-z0-9-]+$")


def key_condition(key: str, kind: str) -> tuple[str, list[str]]:
    """Return a WHERE condition and its parameters selecting the grants of an organisation key.

    ``kind`` is 'beneficiary' or 'funder'; the key is a SIREN, an RNA number (beneficiaries),
    a linked organisation's id (FR-..., FT-...; only once linking has run) or 'nom:'
    followed by the folded name.
    """
    prefix = "beneficiary" if kind == "beneficiary" else "funder"
    if _KEY_ORG_ID.match(key):
        # A linked organisation without SIREN or RNA: its grants are those linked to it.
        return (
            "grant_id IN (SELECT grant_id FROM grant_links WHERE role = ? AND org_id = ?)",
            [prefix, key],
        )
    if _KEY_SIREN.match(key):
        return f"{prefix}_siren = ?", [key]
    if kind == "beneficiary" and _KEY_RNA.match(key):
        return "beneficiary_siren IS NULL AND beneficiary_rna = ?", [key]
    name = key.removeprefix("nom:")
    if kind == "beneficiary":
        return (
            "beneficiary_siren IS NULL AND beneficiary_rna IS NULL AND "
            + fold_sql("beneficiary_name")
            + " = ?",
            [name],
        )
    return "funder_siren IS NULL AND " + fold_sql("funder_name") + " = ?", [name]


def parse_grant_id(grant_id: str) -> tuple[int, int, int] | None:
    """Return (source, table, row) from a grant id '12-3-45', or None when it is not one."""
    parts = grant_id.split("-")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def after_grant_sql(prefix: str = "") -> str:
    """Return the keyset condition 'after this (source, table, row)' on grant-like rows."""
    s, t, r = (f"{prefix}source_id", f"{prefix}table_id", f"{prefix}row_number")
    return f"({s} > ? OR ({s} = ? AND ({t} > ? OR ({t} = ? AND {r} > ?))))"


def after_grant_params(cursor: tuple[int, int, int]) -> list[int]:
    """Return the parameters of ``after_grant_sql`` for a (source, table, row) cursor."""
    s, t, r = cursor
    return [s, s, t, t, r]
