"""Check a dossier: the figures of its funding plans, its stated figures, costs and targets.

Every computed figure is a ``Verdict`` (status 'reported' when nothing states it, the same
object the claim checker gives), so that each keeps its operands and arithmetic and every
renderer shows them the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from fundtrail.claims.verdict import (
    Operand,
    Relation,
    Stated,
    Verdict,
    compute,
    implied_prior,
    judge,
)
from fundtrail.dossier.model import Dossier, FundingLine, FundingPlan, Quantity, Statement
from fundtrail.dossier.reconcile import LineMatch, reconcile


@dataclass(frozen=True)
class PlanCheck:
    """The figures of one funding plan: aggregates, shares, each funder's share, HHI."""

    plan: FundingPlan
    figures: dict[str, Verdict]  # 'total', 'public', 'own-revenue', 'in-kind', ... -> sum
    shares: dict[str, Verdict]  # same keys (except total) -> share of the total
    line_shares: dict[str, Verdict]  # line id -> share of the total
    hhi: Verdict


@dataclass(frozen=True)
class DossierCheck:
    """Everything ``fundtrail dossier check`` computes, as data."""

    dossier: Dossier
    plans: tuple[PlanCheck, ...]
    growths: tuple[Verdict, ...]  # between plans of known years
    statements: tuple[tuple[Statement, Verdict], ...]
    costs: tuple[Verdict, ...]  # money per outcome
    achievements: tuple[Verdict, ...]  # targets against outcomes
    reconciliation: tuple[LineMatch, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # catalogue-free caveats, as codes

    def counts(self) -> dict[str, int]:
        """Return how many stated figures got each verdict."""
        counts = {"consistent": 0, "contradicted": 0, "unverifiable": 0}
        for _, verdict in self.statements:
            counts[verdict.status] = counts.get(verdict.status, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """Return the check as JSON-ready data (decimals as strings)."""
        org = self.dossier.organisation
        return {
            "organisation": {
                "name": org.name,
                "former_names": list(org.former_names),
                "siren": org.siren,
                "rna": org.rna,
            },
            "path": self.dossier.path,
            "sha256": self.dossier.sha256,
            "counts": self.counts(),
            "plans": [
                {
                    "id": pc.plan.id,
                    "year": pc.plan.year,
                    "year_note": pc.plan.year_note,
                    "lines": [
                        {
                            "id": ln.id,
                            "source": ln.source,
                            "amount": str(ln.amount),
                            "kind": ln.kind,
                            "public": ln.public,
                            "siren": ln.siren,
                            "share": pc.line_shares[ln.id].to_dict(),
                        }
                        for ln in pc.plan.lines
                    ],
                    "figures": {k: v.to_dict() for k, v in pc.figures.items()},
                    "shares": {k: v.to_dict() for k, v in pc.shares.items()},
                    "hhi": pc.hhi.to_dict(),
                }
                for pc in self.plans
            ],
            "growths": [g.to_dict() for g in self.growths],
            "statements": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "line": s.line,
                    "document": s.document,
                    "quote": s.quote,
                    "period": s.period,
                    "verdict": v.to_dict(),
                }
                for s, v in self.statements
            ],
            "costs": [c.to_dict() for c in self.costs],
            "achievements": [a.to_dict() for a in self.achievements],
            "reconciliation": [m.to_dict() for m in self.reconciliation],
        }


def check_dossier(dossier: Dossier, con: duckdb.DuckDBPyConnection | None = None) -> DossierCheck:
    """Return every figure, verdict and reconciliation of ``dossier`` (``con``: a grant store)."""
    plans = tuple(_plan_check(plan) for plan in dossier.plans)
    by_id = {pc.plan.id: pc for pc in plans}
    statements = tuple((s, _statement_verdict(s, by_id)) for s in dossier.statements)
    return DossierCheck(
        dossier=dossier,
        plans=plans,
        growths=tuple(_growths(plans)),
        statements=statements,
        costs=tuple(_costs(dossier, by_id)),
        achievements=tuple(_achievements(dossier)),
        reconciliation=tuple(reconcile(dossier, con)),
    )


def _members(plan: FundingPlan, aggregate: str) -> list[FundingLine]:
    if aggregate == "total":
        return list(plan.lines)
    if aggregate == "public":
        return [ln for ln in plan.lines if ln.public]
    if aggregate == "private":
        return [ln for ln in plan.lines if not ln.public]
    return [ln for ln in plan.lines if ln.kind == aggregate]


def _line_operand(plan: FundingPlan, line: FundingLine) -> Operand:
    return Operand(line.source, line.amount, "EUR", f"{plan.id}.{line.id}")


def _aggregate(plan: FundingPlan, aggregate: str) -> Verdict:
    operands = tuple(_line_operand(plan, ln) for ln in _members(plan, aggregate))
    return Verdict(
        "sum",
        "reported",
        aggregate,
        operands,
        compute("sum", operands),
        "EUR",
        None,
        ref=f"{plan.id}.{aggregate}",
    )


def _share(subject: str, part: Operand, whole: Operand, ref: str) -> Verdict:
    operands = (part, whole)
    result = compute("share", operands) if whole.value else None
    return Verdict("share", "reported", subject, operands, result, "%", None, ref=ref)


def _plan_check(plan: FundingPlan) -> PlanCheck:
    figures = {
        key: _aggregate(plan, key)
        for key in ("total", "public", "private", "cash-grant", "in-kind", "own-revenue", "loan")
    }
    total = figures["total"]
    whole = Operand("total", total.result or Decimal(0), "EUR", f"{plan.id}.total")
    shares = {
        key: _share(key, Operand(key, v.result or Decimal(0), "EUR", v.ref), whole, f"{v.ref}%")
        for key, v in figures.items()
        if key != "total"
    }
    line_shares = {
        ln.id: _share(ln.source, _line_operand(plan, ln), whole, f"{plan.id}.{ln.id}%")
        for ln in plan.lines
    }
    # HHI: the sum of the squared shares (in %) of every line, 0 to 10 000.
    squares = tuple(
        Operand(s.subject, s.result, "%", s.ref)
        for s in line_shares.values()
        if s.result is not None
    )
    hhi = Verdict(
        "hhi",
        "reported",
        "hhi",
        squares,
        sum((o.value * o.value for o in squares), Decimal(0)),
        "points",
        None,
        ref=f"{plan.id}.hhi",
    )
    return PlanCheck(plan, figures, shares, line_shares, hhi)


def _growths(plans: tuple[PlanCheck, ...]) -> list[Verdict]:
    dated = sorted(
        (pc for pc in plans if pc.plan.year is not None), key=lambda pc: pc.plan.year or 0
    )
    verdicts = []
    for before, after in itertools.pairwise(dated):
        for key in ("total", "public", "own-revenue"):
            a, b = before.figures[key], after.figures[key]
            operands = (
                Operand(f"{key} {before.plan.year}", a.result or Decimal(0), "EUR", a.ref),
                Operand(f"{key} {after.plan.year}", b.result or Decimal(0), "EUR", b.ref),
            )
            result = compute("growth", operands) if operands[0].value else None
            verdicts.append(Verdict("growth", "reported", key, operands, result, "%", None))
    return verdicts


def _resolve(
    quantity: Quantity | None, plans: dict[str, PlanCheck]
) -> tuple[Operand, Verdict | None] | None:
    """Return a quantity's value as an operand, with the sum that computes it (None if literal)."""
    if quantity is None:
        return None
    if quantity.literal is not None:
        return Operand(quantity.text, quantity.literal.value, "EUR", None), None
    assert quantity.ref is not None
    plan_id, _, key = quantity.ref.partition(".")
    pc = plans[plan_id]
    if key in pc.figures:
        verdict = pc.figures[key]
        return Operand(key, verdict.result or Decimal(0), "EUR", quantity.ref), verdict
    line = next(ln for ln in pc.plan.lines if ln.id == key)
    return _line_operand(pc.plan, line), None


def _statement_verdict(statement: Statement, plans: dict[str, PlanCheck]) -> Verdict:
    stated = statement.value
    subject = statement.quote or statement.id
    if statement.kind == "amount":
        resolved = _resolve(statement.of, plans)
        assert resolved is not None
        operand, computed = resolved
        operands = computed.operands if computed is not None else (operand,)
        amount = Stated(stated.value, stated.quantum, stated.text, "EUR")
        return judge("sum", subject, operands, operand.value, "EUR", amount, ref=statement.id)
    if statement.kind == "share":
        part, whole = _resolve(statement.part, plans), _resolve(statement.whole, plans)
        assert part is not None and whole is not None
        operands = (part[0], whole[0])
        return judge(
            "share", subject, operands, compute("share", operands), "%", stated, ref=statement.id
        )
    start, end = _resolve(statement.start, plans), _resolve(statement.end, plans)
    if start is not None and end is not None:
        operands = (start[0], end[0])
        return judge(
            "growth", subject, operands, compute("growth", operands), "%", stated, ref=statement.id
        )
    if end is not None:
        prior = implied_prior(end[0], stated, "prior")
        rate = Operand(stated.text, stated.value, "%", None)
        return Verdict(
            "implied-prior",
            "unverifiable",
            subject,
            (end[0], rate),
            None if prior is None else prior.value,
            "EUR",
            stated,
            needs="claim-needs-prior-value" if prior else "claim-zero-base",
            implied=() if prior is None else (prior,),
            ref=statement.id,
        )
    return Verdict(
        "growth",
        "unverifiable",
        subject,
        (),
        None,
        "%",
        stated,
        needs="claim-needs-both-values",
        ref=statement.id,
    )


def _costs(dossier: Dossier, plans: dict[str, PlanCheck]) -> list[Verdict]:
    """Return total and public money per unit of each outcome, from the outcome's plan."""
    verdicts = []
    for outcome in dossier.outcomes:
        pc = _plan_for(outcome.plan, outcome.year, plans)
        if pc is None or not outcome.value:
            continue
        unit = outcome.unit or outcome.metric
        for key in ("total", "public"):
            money = pc.figures[key]
            operands = (
                Operand(key, money.result or Decimal(0), "EUR", money.ref),
                Operand(outcome.description or outcome.metric, outcome.value, unit, outcome.id),
            )
            verdicts.append(
                Verdict(
                    "ratio",
                    "reported",
                    f"{key}/{outcome.id}",
                    operands,
                    compute("ratio", operands),
                    "EUR",
                    None,
                    ref=f"{pc.plan.id}.{key}/{outcome.id}",
                )
            )
    return verdicts


def _plan_for(
    plan_id: str | None, year: int | None, plans: dict[str, PlanCheck]
) -> PlanCheck | None:
    """Return the plan an outcome is paid by: named, else same year, else the only plan."""
    if plan_id:
        return plans.get(plan_id)
    same = [pc for pc in plans.values() if pc.plan.year is not None and pc.plan.year == year]
    if same:
        return same[0]
    return next(iter(plans.values())) if len(plans) == 1 else None


def _achievements(dossier: Dossier) -> list[Verdict]:
    """Return each outcome against the sum of the targets of the same metric."""
    verdicts = []
    targets: dict[str, list[Operand]] = {}
    for programme in dossier.programmes:
        for target in programme.targets:
            targets.setdefault(target.metric, []).append(
                Operand(programme.name, target.value, target.unit or target.metric, programme.id)
            )
    for metric, parts in targets.items():
        total = compute("targets", tuple(parts))
        verdicts.append(
            Verdict(
                "targets", "reported", metric, tuple(parts), total, parts[0].unit, None, ref=metric
            )
        )
        for outcome in dossier.outcomes:
            if outcome.metric != metric or not total:
                continue
            relation: Relation = "achievement"
            operands = (
                Operand(outcome.description or metric, outcome.value, parts[0].unit, outcome.id),
                Operand(metric, total, parts[0].unit, metric),
            )
            verdicts.append(
                Verdict(
                    relation,
                    "reported",
                    outcome.id,
                    operands,
                    compute(relation, operands),
                    "%",
                    None,
                    ref=outcome.id,
                )
            )
    return verdicts
