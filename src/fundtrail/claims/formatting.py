"""Numbers shown to people: French (``1 437 500 €``, ``32,8 %``) or English (``€1,437,500``).

Data keeps exact ``Decimal`` values; these functions are called only at the edge.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# The space French typography puts between groups of digits and before units.
FR_SPACE = "\u202f"


def plain(value: Decimal) -> str:
    """Return ``value`` as plain text without exponent or trailing zeros ('3017000', '8.02')."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded(value: Decimal, places: int) -> Decimal:
    """Return ``value`` rounded half-up to ``places`` decimals (for display only)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: Decimal, lang: str = "fr", places: int | None = None) -> str:
    """Return ``value`` with grouped thousands in ``lang``; ``places`` fixes the decimals."""
    if places is not None:
        value = rounded(value, places)
        text = format(value, f",.{places}f")
    else:
        text = plain(value)
        sign = "-" if text.startswith("-") else ""
        whole, _, frac = text.lstrip("-").partition(".")
        text = sign + format(int(whole), ",") + (f".{frac}" if frac else "")
    if lang == "en":
        return text
    return text.replace(",", FR_SPACE).replace(".", ",")


def money(value: Decimal, lang: str = "fr", places: int | None = None) -> str:
    """Return an amount in euros as ``lang`` writes it (cents only when there are some)."""
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    if lang == "en":
        sign = "-" if value < 0 else ""
        return f"{sign}€{number(abs(value), 'en', places)}"
    return f"{number(value, 'fr', places)}{FR_SPACE}€"


def percent(value: Decimal, lang: str = "fr", places: int = 2, signed: bool = False) -> str:
    """Return a percentage (``value`` already ×100) as ``lang`` writes it."""
    text = number(value, lang, places)
    if signed and value > 0:
        text = "+" + text
    return f"{text}{FR_SPACE}%" if lang != "en" else f"{text}%"


def quantity(value: Decimal, unit: str, lang: str = "fr", places: int | None = None) -> str:
    """Return ``value`` in its ``unit`` ('EUR', '%', or anything counted) as ``lang`` writes it."""
    if unit == "EUR":
        return money(value, lang, places)
    if unit == "%":
        return percent(value, lang, 2 if places is None else places)
    return number(value, lang, places)
