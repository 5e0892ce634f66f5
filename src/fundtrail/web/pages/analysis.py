"""What the link and analysis steps add to the pages, when they have run on the store.

A store fresh from ingest has no organisations yet: the pages then rest on the grants alone
(``organisations.py``). Once ``fundtrail link`` has run, the organisation and funder pages
add the analysis profile (duplicates counted once, shares, funder levels, signals, link
explanations), and the search finds linked organisations by their names or their place.
"""

from __future__ import annotations

from typing import Any

import duckdb

from fundtrail.web.db import table_exists

# the serving tables included: a store linked by an older version is served as unlinked
NEEDED = (
    "organisations", "grant_links", "agg_org_year", "signals", "org_numbers", "search_words",
    "org_pages", "funder_pages", "quarantine_suffixes", "search_postings",
    "funder_pairs_top",  # new with org_pages' part "grants": its presence dates that too
    "search_facets_by_name",  # without it a store is searched as never linked: an answer
    "search_places",  # new with the places folded at link time and the pieces' names
)  # fmt: skip


def linked(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the store has the link and analysis tables."""
    return all(table_exists(con, name) for name in NEEDED)


def page_key(siren: str | None, rna: str | None, org_id: str) -> str:
    """Return the organisation page key of a linked organisation: SIREN, RNA, else its id."""
    return siren or rna or org_id


def signals(con: duckdb.DuckDBPyConnection, funder: str | None) -> list[dict[str, Any]]:
    """Return the watchdog signals (optionally of one funder's grants), each with its page key."""
    if not linked(con):
        return []
    from fundtrail.analysis.signals import list_signals

    found = list_signals(con, funder)
    for signal in found:
        signal["org_key"] = _key_of(con, signal.get("org_id"))
    return found


def _key_of(con: duckdb.DuckDBPyConnection, org_id: str | None) -> str | None:
    """Return the page key of organisation ``org_id``."""
    if org_id is None:
        return None
    row = con.execute("SELECT siren, rna FROM organisations WHERE org_id = ?", [org_id]).fetchone()
    return page_key(row[0], row[1], org_id) if row else org_id
