"""The language of a request and the number formats of each language (French first).

A page is French unless ``?lang=en`` asks for English (the permalink keeps the choice) or,
without that parameter, the browser's Accept-Language prefers English to French.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

# French typography: a narrow no-break space between thousands, a no-break space before "€".
_FR_THOUSANDS = "\u202f"
_NBSP = "\u00a0"


def choose_lang(query_lang: str | None, accept_language: str | None) -> Lang:
    """Return the page's language: the ``lang`` parameter, else Accept-Language, else French."""
    if query_lang in LANGS:
        return "en" if query_lang == "en" else "fr"
    return _from_accept_language(accept_language or "")


def _from_accept_language(header: str) -> Lang:
    """Return 'en' when the header ranks English above French, 'fr' otherwise."""
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate(header.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()[:2]
        if tag not in LANGS:
            continue
        weight = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        lang: Lang = "en" if tag == "en" else "fr"
        # Highest weight wins; among equal weights, the first listed wins.
        candidate = (weight, -position, lang)
        if weight > 0 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    return best[2] if best else "fr"


def _group(digits: str, sep: str) -> str:
    """Return ``digits`` with ``sep`` between groups of three, from the right."""
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return sep.join(reversed(groups))


def format_number(value: int | Decimal | None, lang: Lang, places: int | None = None) -> str:
    """Return ``value`` written for ``lang`` (1 437 500,5 / 1,437,500.5); '' for None.

    ``places`` rounds to that many decimals (half-even); without it, an exact value is
    shown with the decimals it carries, trailing zeros dropped.
    """
    if value is None:
        return ""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    if lang == "en":
        body = _group(whole, ",") + (f".{fraction}" if fraction else "")
    else:
        body = _group(whole, _FR_THOUSANDS) + (f",{fraction}" if fraction else "")
    return sign + body


def format_money(value: int | Decimal | None, lang: Lang) -> str:
    """Return an amount in euros for ``lang``: 1 437 500 € / €1,437,500; cents only when any."""
    if value is None:
        return ""
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    text = format_number(abs(number), lang, places)
    sign = "-" if number < 0 else ""
    if lang == "en":
        return f"{sign}€{text}"
    return f"{sign}{text}{_NBSP}€"


def format_share(value: Decimal | None, lang: Lang, places: int = 1) -> str:
    """Return a fraction (0.453) as a percentage for ``lang``: 45,3 % / 45.3%."""
    if value is None:
        return ""
    text = format_number(Decimal(value) * 100, lang, places)
    return f"{text}{_NBSP}%" if lang == "fr" else f"{text}%"


# A signal's measured figure is stored as plain text ("74000.0000000000 vs median
# 24000.0000000000", "29200.0000000000 in 3 grants"): its amounts are re-rendered per locale
# and its few connecting words translated, so that no raw decimal reaches a reader.
_AMOUNT = re.compile(r"-?\d+\.\d+")
_SIGNAL_WORDS: dict[str, tuple[str, str]] = {
    " vs median ": (" contre une médiane de ", " vs median "),
    " grants": (" subventions", " grants"),
    " in ": (" en ", " in "),
}


def format_signal_value(value: str, lang: Lang) -> str:
    """Return a signal's measured figure with its amounts formatted as money in ``lang``."""
    shown = _AMOUNT.sub(lambda m: format_money(Decimal(m.group(0)), lang), value)
    for word, (fr, en) in _SIGNAL_WORDS.items():
        shown = shown.replace(word, en if lang == "en" else fr)
    return shown
