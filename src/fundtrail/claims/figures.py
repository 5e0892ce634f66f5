"""Figures in a text: where they are, their exact value and precision, their unit and label.

French writes ``1 437 500``, ``3 017 000 €``, ``32,8%``, ``2 079 520€``, ``+33,4 %``;
English writes ``1,437,500``, ``€3,017,000``, ``32.8%``, ``€2.8 million``. The language of
the text decides what a comma means, so it is detected first (``text_language``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fundtrail.claims.verdict import Stated

_SPACES = " \u00a0\u202f"
_FR_WORDS = re.compile(r"\b(?:le|la|les|des|du|et|est|une|pour|dans|à|été|soit|sur)\b", re.I)
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|is|was|for|in|with|from|by|that)\b", re.I)

_FR_NUMBER = rf"\d{{1,3}}(?:[{_SPACES}.]\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
# English texts quoting French amounts group thousands with spaces too ('€3 017 000').
_EN_NUMBER = (
    rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
)
# A sign touches its digits ('-5 %'); '+ 5 %' is allowed, but '- 45 000' is a list bullet.
_SIGN = r"(?P<sign>\+(?=\s?\d)|[\-−–](?=\d))?\s?"
_PRE_CURRENCY = r"(?P<pre>[€$£]\s?)?"
# Units after a number; scales first so that 'M€' is not read as a bare 'M'.
_UNIT = (
    r"(?P<unit>\s?(?:"
    r"%|pour\s?cent|per\s?cent|percent"
    r"|(?:Md|M|k)\s?€|(?:milliards?|millions?|billions?|bn|m)\b(?:\s?(?:d['’]euros|€|euros|EUR))?"
    r"|€|EUR\b|euros?\b"
    r"))?"
)
_SCALES = {
    "md": Decimal(10) ** 9,
    "milliard": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "m": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "k": Decimal(10) ** 3,
}
_NOUN = re.compile(r"\s([^\W\d_][\w'’-]*)", re.U)
# Words that follow a number without naming what it counts ('de 10 à 12 salariés').
_NOT_NOUNS = frozenset(
    [
        "à",
        "a",
        "au",
        "aux",
        "de",
        "du",
        "des",
        "d",
        "et",
        "ou",
        "en",
        "pour",
        "par",
        "sur",
        "soit",
        "contre",
        "entre",
        "dans",
        "avec",
        "sans",
        "le",
        "la",
        "les",
        "to",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "by",
        "per",
        "with",
        "from",
        "than",
        "at",
        "the",
    ]
)


@dataclass(frozen=True)
class Figure:
    """One figure found in a text."""

    id: str  # 'f1', 'f2', ... in reading order
    start: int  # span in the text, unit included
    end: int
    text: str  # as written
    value: Decimal  # exact, scale applied ('2,8 M€' -> 2800000)
    quantum: Decimal  # the unit of the last written digit, scale applied
    unit: str  # 'EUR', '%', 'year', or 'number' (a bare number; see ``noun``)
    signed: bool  # written with an explicit + or - sign
    noun: str | None  # the word that follows a bare number ('406 entreprises' -> 'entreprises')
    line: int  # 0-based line of the text

    def stated(self) -> Stated:
        """Return this figure as a stated value with the precision its writing implies."""
        unit = self.unit if self.unit in ("EUR", "%") else (self.noun or "number")
        return Stated(self.value, self.quantum, self.text, unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the figure as JSON-ready data."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": str(self.value),
            "quantum": str(self.quantum),
            "unit": self.unit,
            "signed": self.signed,
            "noun": self.noun,
            "line": self.line,
        }


def text_language(text: str) -> str:
    """Return 'fr' or 'en': the language whose common words the text uses most."""
    return "en" if len(_EN_WORDS.findall(text)) > len(_FR_WORDS.findall(text)) else "fr"


def find_figures(text: str, lang: str | None = None) -> tuple[Figure, ...]:
    """Return every figure of ``text`` in reading order (``lang`` detected when None)."""
    lang = lang or text_language(text)
    number = _FR_NUMBER if lang == "fr" else _EN_NUMBER
    pattern = re.compile(
        rf"(?<![\w.,/\-]){_SIGN}{_PRE_CURRENCY}(?P<num>{number})(?![\w/])(?!,\d)(?!\.\d){_UNIT}",
        re.I,
    )
    figures: list[Figure] = []
    for match in pattern.finditer(text):
        figure = _figure(text, match, lang, len(figures) + 1)
        if figure is not None:
            figures.append(figure)
    return tuple(figures)


def parse_amount(text: str) -> Stated | None:
    """Return the value a dossier writes ('3 017 000', '8 %', '+32,8 %', '2.8 M€'), or None."""
    cleaned = text.strip()
    for lang in ("fr", "en"):
        found = find_figures(cleaned, lang)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(cleaned):
            return found[0].stated()
    return None


def _figure(text: str, match: re.Match[str], lang: str, index: int) -> Figure | None:
    raw = match.group("num")
    if lang == "fr":
        digits = re.sub(rf"[{_SPACES}.]", "", raw).replace(",", ".")
    else:
        digits = re.sub(rf"[,{_SPACES}]", "", raw)
    value = Decimal(digits)
    exponent = value.as_tuple().exponent
    quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    unit_text = (match.group("unit") or "").strip().lower()
    pre = (match.group("pre") or "").strip()
    unit, scale = _unit(unit_text, pre)
    if unit == "" and not pre and raw.isdigit() and len(raw) == 4 and 1900 <= value <= 2100:
        unit = "year"
    value, quantum = value * scale, quantum * scale
    sign = match.group("sign")
    if sign and sign != "+":
        value = -value
    noun = None
    end = match.end()
    if unit == "":
        unit = "number"
        after = _NOUN.match(text, match.end("num"))
        noun = after.group(1).lower() if after else None
        noun = None if noun in _NOT_NOUNS else noun
        end = match.end("num")
    start = match.start("sign") if sign else (match.start("pre") if pre else match.start("num"))
    line = text.count("\n", 0, start)
    return Figure(
        id=f"f{index}",
        start=start,
        end=end,
        text=text[start:end],
        value=value,
        quantum=quantum,
        unit=unit,
        signed=bool(sign),
        noun=noun,
        line=line,
    )


def _unit(unit_text: str, pre: str) -> tuple[str, Decimal]:
    """Return the unit ('EUR', '%' or '') and the scale that a unit text gives."""
    if unit_text.startswith(("%", "pour", "per")):
        return "%", Decimal(1)
    if pre and pre != "€":
        return "", Decimal(1)  # dollars and pounds are not checked as euros
    compact = unit_text.replace(" ", "")
    if compact == "m" and pre != "€":
        return "", Decimal(1)  # '5 m' is more often metres than millions
    for word, scale in _SCALES.items():
        if compact.startswith(word):
            euro = "€" in compact or "eur" in compact or pre == "€"
            return ("EUR" if euro else "number"), scale
    if compact.startswith(("€", "eur")) or pre == "€":
        return "EUR", Decimal(1)
    return "", Decimal(1)
