"""The one catalogue of stable codes: issues, repair rules, skip and refusal reasons.

Each area of the code keeps its entries in its own module of this package (``read``,
``normalise``, ``validate``, ``store``, ...) so that the entries live next to the people who
change them; this module merges them and refuses duplicates. A code never changes meaning
once published: data in stores and reports refers to it.

Messages are rendered only when shown, in French (default) or English:

    >>> render("amount-missing", "fr")
    'Montant absent'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fundtrail.model import Issue, Severity

Kind = Literal["issue", "repair", "skip", "refusal"]
Lang = Literal["fr", "en"]


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue with its French and English texts."""

    code: str
    kind: Kind
    severity: Severity
    fr: str
    en: str


def _collect() -> dict[str, Entry]:
    from fundtrail.catalogue import (
        analysis,
        harvest,
        link,
        normalise,
        read,
        store,
        validate,
    )

    merged: dict[str, Entry] = {}
    for module in (read, normalise, validate, store, link, analysis, harvest):
        for entry in module.ENTRIES:
            if entry.code in merged:
                raise ValueError(f"catalogue code defined twice: {entry.code}")
            merged[entry.code] = entry
    return merged


CATALOGUE: dict[str, Entry] = _collect()


def entry(code: str) -> Entry:
    """Return the catalogue entry of ``code``; an unknown code is a programming error."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"unknown catalogue code: {code!r}") from None


def severity(code: str) -> Severity:
    """Return the severity of ``code`` (error quarantines a row, warning flags it)."""
    return entry(code).severity


def render(code: str, lang: str = "fr", detail: str | None = None) -> str:
    """Return the message of ``code`` in ``lang`` ('fr' or 'en'), with ``detail`` appended."""
    e = entry(code)
    text = e.en if lang == "en" else e.fr
    return f"{text} ({detail})" if detail else text


def render_issue(issue: Issue, lang: str = "fr") -> str:
    """Return one line that places ``issue`` (file, sheet, row, field) and says what it is."""
    where = [p for p in (issue.file, issue.sheet) if p]
    if issue.row is not None:
        where.append(("ligne " if lang != "en" else "row ") + str(issue.row))
    if issue.field:
        where.append(("champ " if lang != "en" else "field ") + issue.field)
    head = ", ".join(where)
    value = (
        f" : «{issue.value}»"
        if issue.value not in (None, "") and lang != "en"
        else (f": '{issue.value}'" if issue.value not in (None, "") else "")
    )
    msg = render(issue.code, lang, issue.detail)
    return f"{head}: {msg}{value}" if head else f"{msg}{value}"


__all__ = ["CATALOGUE", "Entry", "entry", "render", "render_issue", "severity"]
