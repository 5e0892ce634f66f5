"""Amounts in euros: published text -> exact Decimal, every repair named.

The rules, in the order they are applied (each one that changes the text is recorded):

1. Blank text gives ``Outcome(None)``: whether a missing amount matters is the pipeline's call.
2. A currency mark (``€``, ``EUR``, ``euro(s)``) before or after the number is dropped
   (rule ``amount-currency-removed``). Parentheses around the whole number are the
   accountant's minus sign (rule ``amount-parentheses-negative``).
3. Separators. Spaces, no-break spaces (U+00A0), narrow no-break spaces (U+202F) and thin
   spaces between groups of exactly three digits are thousands separators; so are dots or
   commas that recur, or that sit before another separator. The last separator is the
   decimal mark when the other one is used for thousands (``1.234.567,89``, ``1,234,567.89``).
   A decimal comma or blank thousands is the French way (``amount-french-format``); dots as
   thousands give ``amount-dot-thousands``; commas as thousands ``amount-comma-thousands``.
4. The one ambiguous case: a single comma followed by exactly three digits, a whole
   part of one to three digits not starting with ``0``, and no other separator
   (``1,500 €``). Euro amounts are never written to the tenth of a cent, so we read the mark
   as a thousands separator (1500) and say so: the rule above plus the warning
   ``amount-ambiguous-separator``. ``0,500`` stays a decimal (a group never starts a number
   with 0), and ``1234,567`` too (the first group of a grouped number has 1 to 3 digits).
   A single dot is always a decimal point (``1.500`` is 1.5): spreadsheets, JSON and
   float exports write numbers that way, and dots group thousands only when repeated
   (``1.234.567``) or followed by a decimal comma (``1.234,50``).
5. A plain machine number (``10000.0``, ``-500``, ``40000``) is already canonical: no repair.
6. Scientific notation (``1e5``, ``1,5E+06``) is refused (error ``amount-scientific-notation``):
   it is what a spreadsheet displays after rounding, so the digits may be gone.
7. A number followed by words (``240 000 € (pour les 3 saisons sportives)``) keeps the
   number with the warning ``amount-text-around``; text with no leading number (``NC``,
   ``SEM``, ``-``, ``néant``) gives None and the error ``amount-not-a-number``.
8. The value is never altered by a judgement: negative -> ``amount-negative``, zero ->
   ``amount-zero``, one billion euros or more -> ``amount-implausible`` (all warnings).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from fundtrail.model import Outcome

IMPLAUSIBLE = Decimal(1_000_000_000)

_BLANKS = "\u0020\u00a0\u202f\u2009\u2007"
_CURRENCY = re.compile(r"(?i)\s*(?:€|\beur(?:os?)?\b)\s*")
# One number as published: digits with any of the separators we know, optional sign.
_NUMBER = re.compile(rf"[-+]?[0-9][0-9{_BLANKS}.,]*")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_SCIENTIFIC = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?[eE][-+]?[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:X[0-9]{3})+")  # X stands for the separator being checked
_DETAIL_MAX = 60


def amount_text(value: Decimal) -> str:
    """Return the canonical text of an amount: no exponent, dot decimal, cents when any.

    Whole amounts have no decimals (``1500``); others have at least two (``540.40``) and
    keep more when the source had more, so the text always parses back to the same value.
    """
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"{whole}.{fraction}"


def parse_amount(text: str) -> Outcome:
    """Return the amount in ``text`` as a Decimal Outcome, with repairs and issues."""
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    repairs: list[str] = []
    issues: list[tuple[str, str | None]] = []
    body = stripped

    if _SCIENTIFIC.fullmatch(_CURRENCY.sub("", body).strip()):
        return Outcome(None, issues=(("amount-scientific-notation", _detail(stripped)),))

    without_currency = _CURRENCY.sub(" ", body).strip()
    if without_currency != body:
        repairs.append("amount-currency-removed")
        body = without_currency

    negative_parens = False
    if body.startswith("(") and body.endswith(")"):
        inner = _CURRENCY.sub(" ", body[1:-1]).strip()
        if inner and _NUMBER.fullmatch(inner) and not inner.startswith(("-", "+")):
            negative_parens = True
            body = inner
            repairs.append("amount-parentheses-negative")

    match = _NUMBER.match(body)
    if match is None:
        return Outcome(None, issues=(("amount-not-a-number", _detail(stripped)),))
    number = match.group().rstrip(_BLANKS + ".,")
    rest = body[len(number) :]
    if rest.strip():
        # Words may follow the number, but a letter glued to it ("24Â 057") is not prose,
        # and what follows must hold words: "1 500-2 000" is a range, not one amount.
        glued = not rest[0].isspace() and rest[0] not in "(:;-/"
        if glued or not any(ch.isalpha() for ch in rest):
            return Outcome(None, issues=(("amount-not-a-number", _detail(stripped)),))
        if _SCIENTIFIC.match(body):
            return Outcome(None, issues=(("amount-scientific-notation", _detail(stripped)),))
        issues.append(("amount-text-around", _detail(rest.strip())))

    parsed = _read_number(number)
    if parsed is None:
        return Outcome(None, issues=(("amount-not-a-number", _detail(stripped)),))
    value, rules, ambiguous = parsed
    repairs.extend(rules)
    if ambiguous:
        issues.append(("amount-ambiguous-separator", number))
    if negative_parens:
        value = value.copy_negate()
    value = Decimal(amount_text(value))

    if value < 0:
        issues.append(("amount-negative", None))
    elif value == 0:
        issues.append(("amount-zero", None))
    if value.copy_abs() >= IMPLAUSIBLE:
        issues.append(("amount-implausible", None))
    return Outcome(value, repairs=tuple(repairs), issues=tuple(issues))


def _read_number(number: str) -> tuple[Decimal, list[str], bool] | None:
    """Return (value, rules applied, ambiguous?) for one number token, or None if malformed."""
    sign = ""
    if number[0] in "+-":
        sign, number = ("-" if number[0] == "-" else ""), number[1:].lstrip(_BLANKS)
    if _PLAIN.fullmatch(number):
        # A single dot is a decimal point: that is how spreadsheets and JSON write numbers.
        return _decimal(sign + number), [], False

    if any(ch in _BLANKS for ch in number):
        grouped = re.sub(f"[{_BLANKS}]+", "X", number)
        whole, _, fraction = _split_decimal(grouped)
        if not _GROUPED.fullmatch(whole) or (fraction and not _is_digits(fraction)):
            return None
        return _finish(sign, whole.replace("X", ""), fraction), ["amount-french-format"], False

    commas, dots = number.count(","), number.count(".")
    if commas and dots:
        # The mark that comes last is the decimal mark; the other one groups thousands.
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = number.rpartition(decimal_mark)
        if not _is_digits(fraction) or not _GROUPED.fullmatch(whole.replace(thousands, "X")):
            return None
        rules = ["amount-dot-thousands" if thousands == "." else "amount-comma-thousands"]
        if decimal_mark == ",":
            rules.append("amount-french-format")
        return _finish(sign, whole.replace(thousands, ""), fraction), rules, False

    mark = "," if commas else "."
    thousands_rule = "amount-comma-thousands" if mark == "," else "amount-dot-thousands"
    if (commas or dots) > 1:
        if not _GROUPED.fullmatch(number.replace(mark, "X")):
            return None
        return _finish(sign, number.replace(mark, ""), ""), [thousands_rule], False
    whole, _, fraction = number.partition(mark)
    if mark != "," or not _is_digits(whole) or not _is_digits(fraction):
        return None
    if len(fraction) == 3 and len(whole) <= 3 and not whole.startswith("0"):
        return _finish(sign, whole + fraction, ""), [thousands_rule], True
    return _finish(sign, whole, fraction), ["amount-french-format"], False


def _is_digits(text: str) -> bool:
    """Return True when ``text`` is one or more ASCII digits (str.isdigit accepts '²')."""
    return text.isascii() and text.isdigit()


def _split_decimal(grouped: str) -> tuple[str, str, str]:
    """Return (whole, decimal mark, fraction) of a blank-grouped number ('1X234,50')."""
    for mark in (",", "."):
        if mark in grouped:
            whole, _, fraction = grouped.rpartition(mark)
            return whole, mark, fraction
    return grouped, "", ""


def _finish(sign: str, digits: str, fraction: str) -> Decimal:
    """Return the Decimal made of a sign, whole digits and fraction digits."""
    text = f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}"
    return _decimal(text)


def _decimal(text: str) -> Decimal:
    """Return Decimal(text); callers pass only digits, one dot and a sign."""
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regexes above admit only digits
        raise ValueError(f"not a decimal: {text!r}") from None


def _detail(text: str) -> str:
    """Return ``text`` cut to a length fit for an issue detail."""
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"
