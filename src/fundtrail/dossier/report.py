"""The citable report of a dossier check, in HTML or Markdown, French or English.

``report_view`` turns a ``DossierCheck`` into display strings once; the templates only lay
them out, so the HTML page and the Markdown text say the same thing. HTML is rendered with
autoescape on, the chart is inline SVG, and nothing is loaded from elsewhere.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fundtrail.catalogue import render as render_code
from fundtrail.claims import formatting
from fundtrail.claims.render import environment, verdict_lines
from fundtrail.claims.verdict import Verdict
from fundtrail.dossier.chart import COLOURS, WIDTH, bars
from fundtrail.dossier.check import DossierCheck
from fundtrail.dossier.labels import label
from fundtrail.errors import UsageError

_TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("html", "md")


def render_report(check: DossierCheck, fmt: str = "html", lang: str = "fr") -> str:
    """Return the report of ``check`` as an HTML page or Markdown text, in ``lang``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; expected html or md")
    template = environment(_TEMPLATES).get_template(f"report.{fmt}.j2")
    text = template.render(
        v=report_view(check, lang),
        lang=lang,
        L=lambda key: label(key, lang),
        C=": " if lang == "en" else " : ",
    )
    return text if text.endswith("\n") else text + "\n"


def _money(value: Decimal | None, lang: str) -> str:
    return "—" if value is None else formatting.money(value, lang)


def _pct(value: Decimal | None, lang: str, places: int = 2) -> str:
    return "—" if value is None else formatting.percent(value, lang, places)


def _verdict(verdict: Verdict, lang: str) -> dict[str, Any]:
    return {
        "status": verdict.status,
        "status_label": label(verdict.status, lang),
        "relation": label(verdict.relation, lang),
        "arithmetic": verdict.arithmetic(lang),
        "lines": [line.strip() for line in verdict_lines(verdict, lang)[1:]],
    }


def report_view(check: DossierCheck, lang: str = "fr") -> dict[str, Any]:
    """Return every string the report shows, computed once for both formats."""
    dossier = check.dossier
    org = dossier.organisation
    documents = {d.id: d for d in dossier.documents}
    matches = {(m.plan, m.line): m for m in check.reconciliation}
    plans = []
    for pc in check.plans:
        chart, height = bars(pc, lang)
        plans.append(
            {
                "id": pc.plan.id,
                "year": str(pc.plan.year)
                if pc.plan.year is not None
                else label("year-unknown", lang),
                "year_note": pc.plan.year_note,
                "document": documents[pc.plan.document].title if pc.plan.document else None,
                "lines": [
                    {
                        "source": ln.source,
                        "kind": label(ln.kind, lang),
                        "public": label("yes" if ln.public else "no", lang),
                        "amount": _money(ln.amount, lang),
                        "share": _pct(pc.line_shares[ln.id].result, lang),
                        "published": render_code(matches[(pc.plan.id, ln.id)].code, lang),
                        "published_code": matches[(pc.plan.id, ln.id)].code,
                        "note": ln.note,
                    }
                    for ln in pc.plan.lines
                ],
                "aggregates": [
                    {
                        "label": label(key, lang),
                        "amount": _money(pc.figures[key].result, lang),
                        "share": "100 %" if key == "total" else _pct(pc.shares[key].result, lang),
                        "arithmetic": pc.figures[key].arithmetic(lang),
                    }
                    for key in (
                        "total",
                        "public",
                        "private",
                        "cash-grant",
                        "in-kind",
                        "own-revenue",
                        "loan",
                    )
                    if pc.figures[key].operands or key == "total"
                ],
                "hhi": formatting.number(pc.hhi.result or Decimal(0), lang, 0),
                "hhi_arithmetic": pc.hhi.arithmetic(lang),
                "chart": {"bars": chart, "height": height, "width": WIDTH},
            }
        )
    statements = [
        {
            "id": s.id,
            "quote": s.quote,
            "document": documents[s.document].title if s.document else None,
            "line": s.line,
            "period": s.period,
            "verdict": _verdict(v, lang),
        }
        for s, v in check.statements
    ]
    costs = [
        {
            "outcome": c.operands[1].label,
            "count": formatting.number(c.operands[1].value, lang),
            "money": label(c.operands[0].label, lang),
            "amount": _money(c.operands[0].value, lang),
            "per_unit": formatting.money(c.result or Decimal(0), lang, 2),
            "arithmetic": c.arithmetic(lang),
        }
        for c in check.costs
    ]
    cost_caveat = None
    outcome_years = {o.year for o in dossier.outcomes}
    if costs and any(
        pc.plan.year is None or pc.plan.year not in outcome_years for pc in check.plans
    ):
        cost_caveat = render_code("cost-year-mismatch", lang)
    achievements = [
        {
            "relation": label(a.relation, lang),
            "subject": a.subject,
            "arithmetic": a.arithmetic(lang),
        }
        for a in check.achievements
    ]
    reconciliation = [
        {
            "source": m.source,
            "amount": _money(m.amount, lang),
            "code": m.code,
            "message": render_code(m.code, lang),
            "published": _money(m.published, lang) if m.published is not None else None,
            "year": m.year,
            "grants": [
                f"{g.grant_id} ({label('source-file', lang)} {g.source_id}, "
                f"{label('row', lang)} {g.row_number}, {g.year}, {_money(g.amount, lang)})"
                for g in m.grants
            ],
        }
        for m in check.reconciliation
    ]
    identifiers = [
        f"{k.upper()} {v}"
        for k, v in (("siren", org.siren), ("siret", org.siret), ("rna", org.rna))
        if v
    ]
    return {
        "name": org.name,
        "former_names": ", ".join(org.former_names),
        "identifiers": ", ".join(identifiers) or label("no-identifier", lang),
        "purpose": org.purpose,
        "org_note": org.note,
        "path": dossier.path,
        "sha256": dossier.sha256,
        "counts": [(label(k, lang), n) for k, n in check.counts().items()],
        "plans": plans,
        "legend": [(label(kind, lang), colour) for kind, colour in COLOURS.items()],
        "statements": statements,
        "growths": [_verdict(g, lang) | {"subject": label(g.subject, lang)} for g in check.growths],
        "costs": costs,
        "cost_caveat": cost_caveat,
        "achievements": achievements,
        "reconciliation": reconciliation,
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "kind": label(d.kind, lang),
                "date": d.date or label("date-unknown", lang),
                "reference": d.reference,
                "url": d.url,
                "note": d.note,
            }
            for d in dossier.documents
        ],
    }
