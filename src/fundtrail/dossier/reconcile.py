"""Reconcile a dossier's funding plans with the grants funders published (the store).

Each line of a plan is matched to grants of the same funder (by SIREN when the dossier gives
one, else by folded name) to the same organisation (by SIREN, SIRET or RNA when known, and by
any of its names, folded) in the plan's year (any year when the plan's year is not known).
The SQL is built here with values as parameters; only ``reconcile`` executes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.dossier.model import Dossier, FundingLine, FundingPlan
from fundtrail.sources.headers import fold

# Grants above this amount a year must be published by the public body that grants them
# (décret n° 2017-779 du 5 mai 2017).
PUBLICATION_THRESHOLD = Decimal(23000)

# fold() in SQL: accents, case, everything but letters and digits removed.
_FOLD_SQL = "regexp_replace(lower(strip_accents(coalesce({col}, ''))), '[^a-z0-9]+', '', 'g')"


@dataclass(frozen=True)
class PublishedGrant:
    """A grant of the store that matches a funding-plan line, with its provenance."""

    grant_id: str
    source_id: int
    row_number: int
    funder_name: str | None
    beneficiary_name: str | None
    year: int | None
    amount: Decimal | None


@dataclass(frozen=True)
class LineMatch:
    """What the store says about one funding-plan line."""

    plan: str
    line: str
    source: str
    amount: Decimal
    code: str  # grant-found-equal, grant-found-other-amount, grant-not-published, ...
    grants: tuple[PublishedGrant, ...] = ()
    published: Decimal | None = None  # the sum of the matched grants (of the equal year)
    year: int | None = None  # the year compared (the plan's, or the equal one when unknown)

    def to_dict(self) -> dict[str, Any]:
        """Return the match as JSON-ready data."""
        return {
            "plan": self.plan,
            "line": self.line,
            "source": self.source,
            "amount": str(self.amount),
            "code": self.code,
            "year": self.year,
            "published": None if self.published is None else str(self.published),
            "difference": None if self.published is None else str(self.published - self.amount),
            "grants": [
                {
                    "grant_id": g.grant_id,
                    "source_id": g.source_id,
                    "row_number": g.row_number,
                    "funder_name": g.funder_name,
                    "beneficiary_name": g.beneficiary_name,
                    "year": g.year,
                    "amount": None if g.amount is None else str(g.amount),
                }
                for g in self.grants
            ],
        }


def name_keys(names: tuple[str, ...]) -> list[str]:
    """Return the folded spellings under which ``names`` may be published ('&' read as 'et')."""
    keys: set[str] = set()
    for name in names:
        for variant in (name, name.replace("&", " et "), re.sub(r"\bet\b|&", " ", name)):
            keys.add(fold(variant))
            keys.add(fold(re.sub(r"^\s*(?:l['’]\s*)?association\s+", "", variant, flags=re.I)))
    return sorted(k for k in keys if k)


def funder_condition(line: FundingLine) -> tuple[str, list[Any]]:
    """Return the SQL condition that selects grants of ``line``'s funder, and its parameters."""
    if line.siren:
        return "(funder_siren = ? OR left(funder_siret, 9) = ?)", [line.siren, line.siren]
    keys = name_keys((line.source,))
    return f"{_FOLD_SQL.format(col='funder_name')} IN (SELECT unnest(?))", [keys]


def beneficiary_condition(dossier: Dossier) -> tuple[str, list[Any]]:
    """Return the SQL condition that selects grants to the dossier's organisation."""
    org = dossier.organisation
    parts = [f"{_FOLD_SQL.format(col='beneficiary_name')} IN (SELECT unnest(?))"]
    params: list[Any] = [name_keys(org.names)]
    siren = org.siren or (org.siret[:9] if org.siret else None)
    if siren:
        parts.append("(beneficiary_siren = ? OR left(beneficiary_siret, 9) = ?)")
        params += [siren, siren]
    if org.rna:
        parts.append("beneficiary_rna = ?")
        params.append(org.rna)
    return "(" + " OR ".join(parts) + ")", params


def match_query(dossier: Dossier, plan: FundingPlan, line: FundingLine) -> tuple[str, list[Any]]:
    """Return the SQL that lists the published grants matching one line, and its parameters."""
    funder, funder_params = funder_condition(line)
    beneficiary, beneficiary_params = beneficiary_condition(dossier)
    sql = (
        "SELECT grant_id, source_id, row_number, funder_name, beneficiary_name, "
        f"convention_year, amount FROM grants WHERE {funder} AND {beneficiary}"
    )
    params = funder_params + beneficiary_params
    if plan.year is not None:
        # A grant whose year was not published (a budget annex) may still be this year's.
        sql += " AND (convention_year = ? OR convention_year IS NULL)"
        params.append(plan.year)
    return sql + " ORDER BY convention_year NULLS LAST, grant_id", params


def reconcile(dossier: Dossier, con: duckdb.DuckDBPyConnection | None) -> list[LineMatch]:
    """Return, for every funding-plan line, what the store says about it."""
    matches = []
    for plan in dossier.plans:
        for line in plan.lines:
            matches.append(_match(dossier, plan, line, con))
    return matches


def _match(
    dossier: Dossier, plan: FundingPlan, line: FundingLine, con: duckdb.DuckDBPyConnection | None
) -> LineMatch:
    base = LineMatch(plan.id, line.id, line.source, line.amount, code="")
    if not line.public or line.kind in ("own-revenue", "loan"):
        return replace(base, code="grant-not-applicable")
    if con is None:
        return replace(base, code="grant-not-checked")
    sql, params = match_query(dossier, plan, line)
    grants = tuple(PublishedGrant(*row) for row in con.execute(sql, params).fetchall())
    if not grants:
        funder, funder_params = funder_condition(line)
        row = con.execute(f"SELECT count(*) FROM grants WHERE {funder}", funder_params).fetchone()
        if not row or not row[0]:
            return replace(base, code="grant-funder-absent")
        must_publish = line.kind == "cash-grant" and line.amount > PUBLICATION_THRESHOLD
        return replace(base, code="grant-not-published" if must_publish else "grant-not-found")
    by_year: dict[int | None, Decimal] = {}
    for grant in grants:
        by_year[grant.year] = by_year.get(grant.year, Decimal(0)) + (grant.amount or Decimal(0))
    equal = [year for year, total in by_year.items() if total == line.amount]
    if equal:
        year = equal[0]
        kept = tuple(g for g in grants if g.year == year)
        return replace(
            base, code="grant-found-equal", grants=kept, published=by_year[year], year=year
        )
    # The plan's year when grants of that year exist, else the latest (None: year unpublished).
    year = plan.year if plan.year in by_year else max(by_year, key=lambda y: -1 if y is None else y)
    return replace(
        base,
        code="grant-found-other-amount",
        grants=grants,
        published=by_year.get(year),
        year=year,
    )
