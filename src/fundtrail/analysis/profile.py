"""The profile of one organisation: who funds it, how much, since when, how dependent.

``organisation_profile`` is the one data function behind ``fundtrail profile``, the web page
and its JSON twin. It reads only the tables built once after linking: the organisation's
page rows (``fundtrail.analysis.pages``, one lookup, its grants listed included) and its
quarantined rows, so it answers in milliseconds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.analysis.figures import growth, hhi, money, share, tidy
from fundtrail.analysis.pages import GRANTS_SHOWN, page_of
from fundtrail.analysis.quarantine import quarantined_rows
from fundtrail.analysis.resolve import resolve_organisation

FUNDER_LEVELS = ("commune", "epci", "departement", "region", "state", "eu")


def identity(page: dict[str, Any]) -> dict[str, Any]:
    """Return an organisation's identity: id, name, kind, level, identifiers, names, place.

    ``page`` is its page as ``fundtrail.analysis.pages.page_of`` gives it.
    """
    org = page["org"]
    return {
        "id": org["org_id"],
        "name": org["name"],
        "kind": org["kind"],
        "kind_source": org["kind_source"],
        "level": org["level"],
        "identifiers": [
            {
                "scheme": i["scheme"],
                "id": f"{i['scheme']}-{i['identifier']}",
                "grants": i["grants"],
            }
            for i in page["identifiers"]
        ],
        "siren": org["siren"],
        "rna": org["rna"],
        "commune": org["commune"],
        "postcode": org["postcode"],
        "status": org["status"],
        "names": names_seen(page["names"]),
    }


def names_seen(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each name of (name, origin, grants) ``rows`` once, its grants summed, most first."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = seen.setdefault(row["name"], {"name": row["name"], "grants": 0, "origins": set()})
        name["grants"] += row["grants"]
        if row["origin"] is not None:
            name["origins"].add(row["origin"])
    return [
        {**n, "origins": sorted(n["origins"])}
        for n in sorted(seen.values(), key=lambda n: (-n["grants"], n["name"]))
    ]


def totals(per_year_kind: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return amount and grants per amount kind from (year, kind, amount, grants) rows."""
    result: dict[str, dict[str, Any]] = {}
    for r in per_year_kind:
        t = result.setdefault(r["kind"], {"amount": Decimal(0), "grants": 0})
        t["amount"] += r["amount"]
        t["grants"] += r["grants"]
    return result


def organisation_profile(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, Any] | None:
    """Return the funding profile of the organisation ``query`` names, or None.

    ``query`` is a name, SIREN, SIRET, RNA number or org id. Amounts are Decimals (the web
    serialises them as strings); ``total_amount``, ``by_year``, ``by_funder``, growth and
    dependence count awarded amounts (SCDL ``montant``), each duplicate cluster once and
    each shared grant for this organisation's share only; paid and requested amounts are
    reported apart in ``totals_by_kind`` and ``by_year_and_kind``, never added.
    """
    org_id = resolve_organisation(con, query, role="beneficiary")
    page = None if org_id is None else page_of(con, org_id)
    return None if page is None else profile_of(con, page)


def profile_of(
    con: duckdb.DuckDBPyConnection,
    page: dict[str, Any],
    quarantined: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the funding profile of the organisation whose page is ``page`` (see above).

    ``page`` is what ``fundtrail.analysis.pages.page_of`` gives; only the quarantined rows
    are read from the store here, unless given as ``quarantined`` (``quarantined_rows`` of
    ``needles``).
    """
    per_year_kind = page["years"]
    awarded = sorted(
        ((r["year"], r["amount"], r["grants"]) for r in per_year_kind if r["kind"] == "awarded"),
        key=lambda r: (r[0] is None, r[0] or 0),
    )
    totals_by_kind = totals(per_year_kind)
    total = totals_by_kind.get("awarded", {}).get("amount", Decimal(0))
    by_funder = [{**f, "share": share(f["amount"], total)} for f in page["funders"]]
    levels: dict[str, Decimal] = {}
    for f in by_funder:
        level = f["level"] or "private"
        levels[level] = levels.get(level, Decimal(0)) + f["amount"]
    series = [(y, a) for y, a, _ in awarded if y is not None]
    profile = {
        "organisation": identity(page),
        "total_amount": total,
        "total_amount_display": money(total),
        "grants_count": sum(t["grants"] for t in totals_by_kind.values()),
        "totals_by_kind": totals_by_kind,
        "by_year": [{"year": y, "amount": a, "grants": n} for y, a, n in awarded],
        "by_year_and_kind": sorted(
            per_year_kind, key=lambda r: (r["kind"], r["year"] is None, r["year"] or 0)
        ),
        "by_funder": by_funder,
        "growth": growth(series),
        "dependence": {
            "largest_funder_share": by_funder[0]["share"] if by_funder else None,
            "largest_funder_id": by_funder[0]["funder_id"] if by_funder else None,
            "hhi": hhi([f["amount"] for f in by_funder]),
        },
        "funders_count": len(by_funder),
        "funder_levels": [
            {"level": level, "amount": amount, "share": share(amount, total)}
            for level, amount in sorted(levels.items(), key=lambda kv: -kv[1])
        ],
        "public_levels_count": len([lv for lv in levels if lv in FUNDER_LEVELS]),
        "grants": grant_rows(page),
        "quality": quality_notes(con, page, quarantined),
        "signals": page["signals"],
    }
    return dict(tidy(profile))


def grants_count(page: dict[str, Any]) -> int:
    """Return the number of grants of the organisation whose page is ``page``."""
    return sum(int(m["grants"]) for m in page["methods"])


def grant_rows(page: dict[str, Any]) -> dict[str, Any]:
    """Return the grants of the beneficiary whose page is ``page`` (up to GRANTS_SHOWN).

    They are the page's part "grants", where the link step put them; a funder's are
    ``funder_grant_rows``.
    """
    total = grants_count(page)
    return {"count": total, "shown": page["grants"], "truncated": total > GRANTS_SHOWN}


def funder_grant_rows(con: duckdb.DuckDBPyConnection, org_no: int) -> dict[str, Any]:
    """Return the grants of funder number ``org_no``, as ``grant_rows`` does for beneficiaries.

    They are read from ``funder_grants_shown``, where the link step put each funder's
    GRANTS_SHOWN first grants in this order, with the number of all its grants.
    """
    found = con.execute(
        f"""SELECT {LISTED_COLUMNS.format(role="funder")}, listed_of
            FROM funder_grants_shown WHERE funder_no = $o ORDER BY place""",
        {"o": org_no},
    )
    columns = [d[0] for d in found.description or []]
    shown = [dict(zip(columns, row, strict=True)) for row in found.fetchall()]
    total = int(shown[0]["listed_of"]) if shown else 0
    for row in shown:
        del row["listed_of"]
    return {"count": total, "shown": shown, "truncated": total > GRANTS_SHOWN}


# The columns of a listed grant, as the page part "grants" names them.
LISTED_COLUMNS = """grant_id, year, date_text AS date, funder_org AS funder_id, funder_name,
    beneficiary_org AS beneficiary_id, beneficiary_name, purpose, amount, kind, share,
    counted_amount, counted, cluster_id, members AS cluster_members,
    {role}_link_method AS link_method, {role}_link_score AS link_score,
    {role}_link_explanation AS link_explanation, source_id, source_name, table_id,
    "row_number", flags"""


def quality_notes(
    con: duckdb.DuckDBPyConnection,
    page: dict[str, Any],
    quarantined: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return data-quality notes: links by method, repaired identifiers, quarantined rows.

    Quarantined rows are found by this organisation's SIREN or published names (six
    characters or more) in their raw values: being set aside, they were never linked
    (``quarantined`` when the caller has found them already).
    """
    methods = {m["method"]: m["grants"] for m in page["methods"]}
    if quarantined is None:
        quarantined = quarantined_rows(con, needles(page))
    return {
        "links_by_method": methods,
        "repaired_identifiers": methods.get("link-repaired-identifier", 0),
        "quarantined_rows": quarantined,
    }


def needles(page: dict[str, Any]) -> list[str]:
    """Return what marks the organisation of ``page`` in raw values: names, SIREN."""
    siren = page["org"]["siren"]
    return sorted(
        {n["name"] for n in page["names"] if len(n["name"]) >= 6}
        | ({siren} if siren is not None else set())
    )
