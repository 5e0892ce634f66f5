"""The "check a text" page: the figures of a pasted text marked, and a verdict on each relation."""

from __future__ import annotations

from typing import Any

from fundtrail.claims import check_text
from fundtrail.claims.labels import label
from fundtrail.claims.render import pieces, verdict_rows
from fundtrail.web.locale import Lang

MAX_TEXT = 100_000  # characters: a long article; the request body is bounded too


def text_check(text: str, lang: Lang) -> dict[str, Any]:
    """Return the check of ``text``: its JSON form, the marked text and the verdicts' lines."""
    check = check_text(text[:MAX_TEXT])
    # The page lays the lines out itself: the terminal's indentation is dropped.
    verdicts = [
        {**row, "lines": [line.strip() for line in row["lines"]]}
        for row in verdict_rows(check, lang)
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
