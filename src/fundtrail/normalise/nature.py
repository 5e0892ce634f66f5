"""Nature of a grant (``nature``): published text -> "cash", "in_kind" or "cash;in_kind".

The SCDL lists ``aide en numéraire``, ``aide en nature`` and the two joined by ``;`` in
either order: these are canonical (no repair). Other spellings are read without regard to
case, accents or the words "aide"/"en", with the rule ``nature-spelling``: ``Aide en
numéraire`` (Somme), ``en numéraire`` (Maine-et-Loire), ``Numeraire``, ``nature``, ``en
espèces``, ``aide financière`` (Montpellier), ``aide en numÃ©raire`` (UTF-8 read as
Latin-1, baked into Vendée 2018), and parts joined by ``;``, ``,``, ``/``, ``+`` or ``et``.
Anything else is None with the warning ``nature-unknown``.
"""

from __future__ import annotations

import re
import unicodedata

from fundtrail.model import Outcome

CASH = "cash"
IN_KIND = "in_kind"
_CANONICAL = {
    "aide en numéraire": CASH,
    "aide en nature": IN_KIND,
    "aide en numéraire;aide en nature": f"{CASH};{IN_KIND}",
    "aide en nature;aide en numéraire": f"{CASH};{IN_KIND}",
}
_WORDS = {
    "numeraire": CASH,
    "especes": CASH,
    "financiere": CASH,
    "financier": CASH,
    "argent": CASH,
    "nature": IN_KIND,
}
_PARTS = re.compile(r"\s*(?:[;,/+&]|\bet\b)\s*")
_FILLER = re.compile(r"\b(?:aides?|subventions?|en|de)\b\s*|\b[dl]'\s*")
_DETAIL_MAX = 60


def nature_text(value: str) -> str:
    """Return the canonical SCDL text of a nature code ('cash' -> 'aide en numéraire')."""
    names = {CASH: "aide en numéraire", IN_KIND: "aide en nature"}
    return ";".join(names[part] for part in value.split(";"))


def parse_nature(text: str) -> Outcome:
    """Return the nature code in ``text`` as an Outcome, with repairs and issues."""
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    if stripped in _CANONICAL:
        return Outcome(_CANONICAL[stripped])
    kinds: set[str] = set()
    for part in _PARTS.split(_fold(_unmangle(stripped))):
        word = _FILLER.sub("", part).strip()
        if not word:
            continue
        kind = _WORDS.get(word)
        if kind is None:
            detail = stripped if len(stripped) <= _DETAIL_MAX else stripped[: _DETAIL_MAX - 1]
            return Outcome(None, issues=(("nature-unknown", detail),))
        kinds.add(kind)
    if not kinds:
        return Outcome(None, issues=(("nature-unknown", stripped[:_DETAIL_MAX]),))
    value = ";".join(k for k in (CASH, IN_KIND) if k in kinds)
    return Outcome(value, repairs=("nature-spelling",))


def _unmangle(text: str) -> str:
    """Return ``text`` decoded again when it is UTF-8 that was read as Latin-1 ('Ã©')."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _fold(text: str) -> str:
    """Return ``text`` lower-cased without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
