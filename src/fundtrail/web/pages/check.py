"""The "check a text" page: the figures of a pasted text marked, and a verdict on each relation."""

from __future__ import annotations

from typing import Any

from fundtrail.claims import TextCheck, check_text
from fundtrail.claims.labels import label
from fundtrail.claims.render import verdict_lines
from fundtrail.web.locale import Lang

MAX_TEXT = 100_000  # characters: a long article; the request body is bounded too

# Which verdict colours a figure when several concern it: the most alarming.
RANK = {"contradicted": 4, "unverifiable": 3, "consistent": 2, "reported": 1}


def pieces(check: TextCheck, lang: Lang) -> list[dict[str, Any]]:
    """Return the text cut into plain runs and marked figures (status, tooltip, anchor)."""
    found: list[dict[str, Any]] = []
    cursor = 0
    for figure in check.figures:
        if figure.start < cursor:
            continue
        found.append({"text": check.text[cursor : figure.start]})
        related = check.verdicts_on(figure.id)
        own = [v for v in related if v.ref == figure.id]
        status = max((v.status for v in own), key=RANK.__getitem__, default=None)
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


def text_check(text: str, lang: Lang) -> dict[str, Any]:
    """Return the check of ``text``: its JSON form, the marked text and the verdicts' lines."""
    check = check_text(text[:MAX_TEXT])
    verdicts = [
        {
            "status": v.status,
            "status_label": label(v.status, lang),
            "relation": label(v.relation, lang),
            "subject": v.subject,
            "ref": v.ref,
            "lines": [line.strip() for line in verdict_lines(v, lang)[1:]],
        }
        for v in check.verdicts
    ]
    return {
        "text": text[:MAX_TEXT],
        "truncated": len(text) > MAX_TEXT,
        "check": check.to_json(),
        "pieces": pieces(check, lang),
        "counts": [
            {"status": k, "label": label(k, lang), "count": n} for k, n in check.counts().items()
        ],
        "tables": {"verdicts": verdicts},
    }
