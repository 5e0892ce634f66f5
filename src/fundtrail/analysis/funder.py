"""The profile of one funder: what it granted, to whom, and how well it publishes.

``funder_profile`` is the one data function behind ``fundtrail funder``, the funder page and
its JSON twin. Like the organisation profile it reads the funder's page rows, written at
link time (``fundtrail.analysis.funder_pages``), and its grants and publication quality
through the precomputed tables.
"""

from __future__ import annotations

from decimal import Decimal
from statistics import median
from typing import Any

import duckdb

from fundtrail.analysis.figures import share, tidy
from fundtrail.analysis.funder_pages import funder_page_of
from fundtrail.analysis.pages import page_of
from fundtrail.analysis.profile import funder_grant_rows, identity, totals
from fundtrail.analysis.queries import run
from fundtrail.analysis.resolve import resolve_organisation
from fundtrail.analysis.tables import BANDS


def _quality(ib: Any, level: Any) -> Any:
    quality = ib.table("funder_quality")
    orgs = ib.table("organisations")
    joined = quality.join(orgs, quality.funder_org == orgs.org_id).select(
        funder_org=quality.funder_org,
        level=orgs.level,
        grants=quality.grants,
        files=quality.files,
        rows_read=quality.rows_read,
        quarantined=quality.quarantined,
        valid_ids_share=quality.valid_ids_share,
        filled_share=quality.filled_share,
    )
    return joined.filter(joined.level == level)


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
    org_id, org_no = page["org"]["org_id"], page["org"]["org_no"]
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
        "quality": publication_quality(con, org_id, me["level"]),
        "grants": funder_grant_rows(con, org_no),
    }
    return dict(tidy(profile))


def publication_quality(con: duckdb.DuckDBPyConnection, org_id: str, level: str) -> dict[str, Any]:
    """Return a funder's publication quality and the median of its peers of the same level.

    Peers are the other funders of the same level (commune, EPCI, département...) in the
    store; with none, ``peers_count`` is 0 and the medians are None.
    """
    rows = run(con, "funder-quality", _quality, level)
    found = [r for r in rows if r["funder_org"] == org_id]
    if not found:
        return {}
    measures = ("valid_ids_share", "filled_share", "quarantined_share")

    def with_share(r: dict[str, Any]) -> dict[str, Any]:
        read = r["rows_read"] or 0
        return {**r, "quarantined_share": round(r["quarantined"] / read, 4) if read else None}

    own = with_share(found[0])
    peer_rows = [with_share(p) for p in rows if p["funder_org"] != org_id]
    peer_medians = {
        m: median(values) if (values := [p[m] for p in peer_rows if p[m] is not None]) else None
        for m in measures
    }
    return {
        **{k: own[k] for k in ("grants", "files", "rows_read", "quarantined", *measures)},
        "level": own["level"],
        "peers_count": len(peer_rows),
        "peers_median": peer_medians,
    }
