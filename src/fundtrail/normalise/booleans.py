"""Yes/no values (``notificationUE``): published text -> bool.

The SCDL writes ``oui`` / ``non`` (canonical, no repair). Other spellings are read without
regard to case or accents, with the rule ``boolean-spelling``: ``Oui``, ``NON`` (Poitiers),
``true``/``false``, ``vrai``/``faux``, ``yes``/``no``, ``o``/``n``, ``1``/``0``. A lone ``x``
is refused (``boolean-invalid``): it marks a ticked box, but then a blank cell would mean
"no", which a parser of one value cannot know.
"""

from __future__ import annotations

from fundtrail.model import Outcome

_TRUE = frozenset({"oui", "o", "true", "vrai", "yes", "y", "1"})
_FALSE = frozenset({"non", "n", "false", "faux", "no", "0"})
_DETAIL_MAX = 60


def bool_text(value: bool) -> str:
    """Return the canonical SCDL text of a boolean: 'oui' or 'non'."""
    return "oui" if value else "non"


def parse_bool(text: str) -> Outcome:
    """Return the boolean in ``text`` as an Outcome, with repairs and issues."""
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    folded = stripped.lower().removesuffix(".0")
    if folded in _TRUE or folded in _FALSE:
        value = folded in _TRUE
        repairs = () if stripped == bool_text(value) else ("boolean-spelling",)
        return Outcome(value, repairs=repairs)
    detail = stripped if len(stripped) <= _DETAIL_MAX else stripped[: _DETAIL_MAX - 1] + "…"
    return Outcome(None, issues=(("boolean-invalid", detail),))
