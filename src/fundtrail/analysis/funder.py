"""The profile of one funder: what it granted, to whom, and how well it publishes.

``funder_profile`` is the one data function behind ``fundtrail funder``, the funder page and
its JSON twin. Like the organisation profile it reads only the precomputed tables, through
Ibis.
"""

from __future__ import annotations

from decimal import Decimal
from statistics import median
from typing import Any

import duckdb

from fundtrail.analysis.figures import share, tidy
from fundtrail.analysis.profile import grant_rows, ibis_desc, identity, rows
from fundtrail.analysis.resolve import resolve_organisation
from fundtrail.analysis.tables import BANDS, backend, quiet_ibis

TOP_BENEFICIARIES = 20


@quiet_ibis
def funder_profile(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, Any] | None:
    """Return the profile of the funder ``query`` names (name, SIREN, org id), or None.

    Totals by year (awarded amounts; paid and requested apart in ``totals_by_kind``), top
    beneficiaries, amount bands, the share going to associations, and the publication
    quality of its files compared with the median of other funders of the same level.
    """
    org_id = resolve_organisation(con, query, role="funder")
    if org_id is None:
        return None
    ib = backend(con)
    years = ib.table("agg_funder_year")
    per_year_kind = rows(
        years.filter(years.funder_org == org_id).select("year", "kind", "amount", "grants")
    )
    if not per_year_kind and not rows(
        ib.table("grant_links")
        .filter(lambda t: (t.org_id == org_id) & (t.role == "funder"))
        .limit(1)
    ):
        return None  # an organisation that never funded anything in the store
    totals_by_kind: dict[str, dict[str, Any]] = {}
    for r in per_year_kind:
        t = totals_by_kind.setdefault(r["kind"], {"amount": Decimal(0), "grants": 0})
        t["amount"] += r["amount"]
        t["grants"] += r["grants"]
    total = totals_by_kind.get("awarded", {}).get("amount", Decimal(0))
    by_year = sorted(
        (
            {"year": r["year"], "amount": r["amount"], "grants": r["grants"]}
            for r in per_year_kind
            if r["kind"] == "awarded"
        ),
        key=lambda r: (r["year"] is None, r["year"] or 0),
    )

    pairs = ib.table("agg_org_funder")
    orgs = ib.table("organisations")
    mine = pairs.filter((pairs.funder_org == org_id) & (pairs.kind == "awarded"))
    with_kind = mine.left_join(orgs, mine.org_id == orgs.org_id).select(
        beneficiary_id=mine.org_id,
        beneficiary_name=orgs.name,
        beneficiary_kind=orgs.kind,
        amount=mine.amount,
        grants=mine.grants,
        first_year=mine.first_year,
        last_year=mine.last_year,
    )
    top = rows(with_kind.order_by([ibis_desc("amount"), "beneficiary_id"]).limit(TOP_BENEFICIARIES))
    by_kind = rows(
        with_kind.group_by("beneficiary_kind").aggregate(
            amount=with_kind.amount.sum(), beneficiaries=with_kind.beneficiary_id.count()
        )
    )
    to_associations = sum(
        (k["amount"] for k in by_kind if k["beneficiary_kind"] == "association"), Decimal(0)
    )
    bands = ib.table("agg_funder_bands")
    band_rows = {
        r["band"]: r
        for r in rows(bands.filter((bands.funder_org == org_id) & (bands.kind == "awarded")))
    }
    profile = {
        "funder": identity(ib, org_id),
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
        "quality": publication_quality(ib, org_id),
        "grants": grant_rows(ib, org_id, column="funder_org"),
    }
    return dict(tidy(profile))


def publication_quality(ib: Any, org_id: str) -> dict[str, Any]:
    """Return a funder's publication quality and the median of its peers of the same level.

    Peers are the other funders of the same level (commune, EPCI, département...) in the
    store; with none, ``peers`` is empty and ``peers_count`` is 0.
    """
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
    found = rows(joined.filter(joined.funder_org == org_id))
    if not found:
        return {}
    own = found[0]
    peers = rows(joined.filter((joined.level == own["level"]) & (joined.funder_org != org_id)))
    measures = ("valid_ids_share", "filled_share", "quarantined_share")

    def with_share(r: dict[str, Any]) -> dict[str, Any]:
        read = r["rows_read"] or 0
        return {**r, "quarantined_share": round(r["quarantined"] / read, 4) if read else None}

    own = with_share(own)
    peer_rows = [with_share(p) for p in peers]
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
