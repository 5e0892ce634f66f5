"""Renderings of a ``TextCheck``: plain text for the terminal, HTML that marks each figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from fundtrail.catalogue import render as render_code
from fundtrail.claims import formatting
from fundtrail.claims.labels import label
from fundtrail.claims.text_check import TextCheck
from fundtrail.claims.verdict import Verdict

_TEMPLATES = Path(__file__).parent / "templates"
_RANK = {"contradicted": 4, "unverifiable": 3, "consistent": 2, "reported": 1}


def environment(folder: Path = _TEMPLATES) -> jinja2.Environment:
    """Return a Jinja environment that escapes every value in HTML templates."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def verdict_lines(verdict: Verdict, lang: str = "fr") -> list[str]:
    """Return a verdict as a few lines of text: subject, status, arithmetic, what it needs."""
    colon = ": " if lang == "en" else " : "
    head = (
        f"[{label(verdict.status, lang)}] {label(verdict.relation, lang)}{colon}{verdict.subject}"
    )
    lines = [head]
    arithmetic = verdict.arithmetic(lang)
    if arithmetic:
        lines.append(f"    {arithmetic}")
    if verdict.stated is not None and verdict.relation != "implied-prior":
        stated = f"    {label('stated', lang)}{colon}{verdict.stated.text}"
        if verdict.status == "contradicted" and verdict.expected is not None:
            right = formatting.quantity(
                verdict.expected, verdict.stated.unit, lang, _places(verdict)
            )
            stated += f" ; {label('expected', lang)}{colon}{right}"
        lines.append(stated)
    if verdict.needs:
        lines.append(f"    {render_code(verdict.needs, lang)}")
    return lines


def _places(verdict: Verdict) -> int:
    assert verdict.stated is not None
    exponent = verdict.stated.quantum.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def render_text(check: TextCheck, lang: str = "fr") -> str:
    """Return the check as text for a terminal, one verdict after another."""
    counts = check.counts()
    summary = ", ".join(f"{counts[k]} {label(k, lang)}" for k in _RANK if counts[k])
    colon = ": " if lang == "en" else " : "
    lines = [f"{label('counts', lang)}{colon}{summary}", ""] if summary else []
    if not check.verdicts:
        lines.append(label("no-verdict", lang))
    for verdict in check.verdicts:
        lines += verdict_lines(verdict, lang)
    return "\n".join(lines) + "\n"


def pieces(check: TextCheck, lang: str = "fr") -> list[dict[str, Any]]:
    """Return the text cut into plain runs and marked figures (status, tooltip, anchor)."""
    found: list[dict[str, Any]] = []
    cursor = 0
    for figure in check.figures:
        if figure.start < cursor:
            continue
        found.append({"text": check.text[cursor : figure.start]})
        related = check.verdicts_on(figure.id)
        own = [v for v in related if v.ref == figure.id]
        # Several verdicts on one figure: the most alarming colours it.
        status = max((v.status for v in own), key=_RANK.__getitem__, default=None)
        found.append(
            {
                "text": check.text[figure.start : figure.end],
                "id": figure.id,
                "status": status or ("operand" if related else "plain"),
                "title": "; ".join(f"{label(v.status, lang)}: {v.arithmetic(lang)}" for v in own)
                or check.labels.get(figure.id, ""),
            }
        )
        cursor = figure.end
    found.append({"text": check.text[cursor:]})
    return found


def verdict_rows(check: TextCheck, lang: str = "fr") -> list[dict[str, Any]]:
    """Return one row per verdict: status, its label, relation, subject, anchor, detail lines."""
    return [
        {
            "status": v.status,
            "status_label": label(v.status, lang),
            "relation": label(v.relation, lang),
            "subject": v.subject,
            "ref": v.ref,
            "lines": verdict_lines(v, lang)[1:],
        }
        for v in check.verdicts
    ]


def render_html(check: TextCheck, lang: str = "fr") -> str:
    """Return a standalone HTML page: the text with each figure marked, then every verdict."""
    template = environment().get_template("text_check.html.j2")
    return template.render(
        lang=lang,
        pieces=pieces(check, lang),
        verdicts=verdict_rows(check, lang),
        counts=check.counts(),
        L=lambda key: label(key, lang),
    )
