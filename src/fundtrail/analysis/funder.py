"""The profile of one funder: what it granted, to whom, and how well it publishes.

``funder_profile`` is the one data function behind ``fundtrail funder``, the funder page and
its JSON twin. Like the organisation profile it reads the funder's page rows, written at
link time (``fundtrail.analysis.funder_pages``), and its grants and publication quality
through the precomputed tables.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.analysis.figures import share, tidy
from fundtrail.analysis.funder_pages import funder_page_of
from fundtrail.analysis.pages import page_of
from fundtrail.analysis.profile import funder_grant_rows, identity, totals
from fundtrail.analysis.resolve import resolve_organisation
from fundtrail.analysis.tables import BANDS


def funder_profile(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, Any] | None:
    """Return the profile of the funder ``query`` names (name, SIREN, org id), or None.

    Totals by year (awarded amounts; paid and requested apart in ``totals_by_kind`` and
    ``by_year_and_kind``), top beneficiaries, amount bands, the share going to associations,
    and the publication quality of its files compared with the median of other funders of
    the same level.
    """
    org_id = resolve_organisation(con, query, role="funder")
    page = None if org_id is None else page_of(con, org_id)
    return None if page is None else funder_profile_of(con, page)


def funder_profile_of(
    con: duckdb.DuckDBPyConnection,
    page: dict[str, Any],
    funder_page: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Return the profile of the funder whose page is ``page`` (``page_of``); None: funds none.

    ``funder_page`` is its funder page (``funder_page_of``) when the caller has read it.
    """
    org_no = page["org"]["org_no"]
    if funder_page is None:
        funder_page = funder_page_of(con, org_no)
    if funder_page is None:
        return None  # an organisation that never funded anything in the store
    per_year_kind = funder_page["years"]
    totals_by_kind = totals(per_year_kind)
    total = totals_by_kind.get("awarded", {}).get("amount", Decimal(0))
    by_year = sorted(
        (
            {"year": r["year"], "amount": r["amount"], "grants": r["grants"]}
            for r in per_year_kind
            if r["kind"] == "awarded"
        ),
        key=lambda r: (r["year"] is None, r["year"] or 0),
    )
    top = funder_page["top"]
    by_kind = funder_page["kinds"]
    to_associations = sum(
        (k["amount"] for k in by_kind if k["beneficiary_kind"] == "association"), Decimal(0)
    )
    band_rows = {r["band"]: r for r in funder_page["bands"]}
    me = identity(page)
    profile = {
        "funder": me,
        "total_amount": total,
        "grants_count": sum(t["grants"] for t in totals_by_kind.values()),
        "totals_by_kind": totals_by_kind,
        "by_year": by_year,
        "by_year_and_kind": sorted(
            per_year_kind, key=lambda r: (r["kind"], r["year"] is None, r["year"] or 0)
        ),
        "top_beneficiaries": [{**t, "share": share(t["amount"], total)} for t in top],
        "beneficiaries_count": sum(k["beneficiaries"] for k in by_kind),
        "by_beneficiary_kind": [
            {**k, "share": share(k["amount"], total)}
            for k in sorted(by_kind, key=lambda k: -k["amount"])
        ],
        "share_to_associations": share(to_associations, total),
        "amount_bands": [
            {
                "band": label,
                "grants": band_rows.get(label, {}).get("grants", 0),
                "amount": band_rows.get(label, {}).get("amount", Decimal(0)),
            }
            for label, _, _ in BANDS
        ],
        "quality": json.loads(funder_page["quality"][0]["body"]) if funder_page["quality"] else {},
        "grants": funder_grant_rows(con, org_no),
    }
    return dict(tidy(profile))


# The publication measures compared with a funder's peers (shares, 0..1).
MEASURES = ("valid_ids_share", "filled_share", "quarantined_share")


def publication_qualities(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Return each funder's publication quality beside the median of its peers, by org id.

    Peers are the other funders of the same level (commune, EPCI, département...) in the
    store; with none, ``peers_count`` is 0 and the medians are None. A funder of no known
    level has none. Computed for all funders at once at link time: on a national store a
    commune has 35,000 peers, too many to read on each visit.
    """
    found = con.execute(
        """SELECT q.funder_org, o.level, q.grants, q.files, q.rows_read, q.quarantined,
                  q.valid_ids_share, q.filled_share
           FROM funder_quality q JOIN organisations o ON o.org_id = q.funder_org"""
    )
    columns = [d[0] for d in found.description or []]
    return qualities([dict(zip(columns, row, strict=True)) for row in found.fetchall()])


def qualities(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the publication quality of each funder of ``rows`` (``funder_quality`` rows
    with their ``level``) beside the median of the others of its level, by org id."""
    levels: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["level"] is not None:
            read = row["rows_read"] or 0
            share = round(row["quarantined"] / read, 4) if read else None
            levels.setdefault(row["level"], []).append({**row, "quarantined_share": share})
    found = {}
    for level, members in levels.items():
        ordered = {m: sorted(p[m] for p in members if p[m] is not None) for m in MEASURES}
        for own in members:
            found[own["funder_org"]] = {
                **{k: own[k] for k in ("grants", "files", "rows_read", "quarantined", *MEASURES)},
                "level": level,
                "peers_count": len(members) - 1,
                "peers_median": {m: median_without(ordered[m], own[m]) for m in MEASURES},
            }
    return found


def median_without(ordered: list[Any], value: Any) -> Any:
    """Return the median of sorted ``ordered`` without one occurrence of ``value`` (None: none).

    As ``statistics.median`` of the others: the middle one, or the mean of the two middle
    ones; None when no other is left.
    """
    gone = bisect_left(ordered, value) if value is not None else len(ordered)
    count = len(ordered) - (value is not None)
    if count <= 0:
        return None

    def at(i: int) -> Any:
        return ordered[i if i < gone else i + 1]

    middle = count // 2
    return at(middle) if count % 2 else (at(middle - 1) + at(middle)) / 2
