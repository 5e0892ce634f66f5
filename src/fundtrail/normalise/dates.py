"""Dates and payment periods: published text -> PartialDate / Period, every repair named.

Dates keep the precision the publisher gave: a year (``2014``, Loire-Atlantique), a month
(``2018-04``, CODAH) or a day. Formats read, with the rule recorded when the text was not
already ISO 8601:

- ``2019-04-12``, ``2019-04``, ``2019``: canonical, no repair.
- ``2019-04-12T00:00:00``, ``2019-04-12 00:00:00`` (and ``12/04/2019 14:30``): the day,
  rule ``date-time-dropped`` (a time zone, if any, is ignored: the date is kept as written).
- ``2017/09/08`` (Somme), ``2017.09.08``, ``2019-4-2``, ``20190412``: ``date-iso-variant``.
- ``12/04/2019``, ``12-04-2019``, ``12.04.2019``, ``04/2019``: day first, the French order,
  ``date-french-order``. Month-first (US) order is never guessed: ``12/31/2019`` is invalid.
- ``12 avril 2019``, ``1er avril 2019``, ``avril 2019``: ``date-french-month-name``.
- Two-digit years (``12/04/19``) are read 2000-2069 / 1970-1999, rule
  ``date-two-digit-year`` (subsidy files start in the 2000s; the rule says a century was
  supplied).
- Excel serial day numbers (``43655`` -> 2019-07-09, Aude) between 32874 (1990-01-01) and
  73415 (2100-12-31): ``date-excel-serial``. Other five-digit numbers are not dates.

A date that has a date's shape but does not exist (``31/02/2019``) gives None and the
warning ``date-invalid``; text that is no date at all gives None and ``date-unrecognised``.
A year outside 1990-2100 is kept with the warning ``date-implausible``.

Periods (``datesPeriodeVersement``): the canonical text is the SCDL 2.1 / ISO 8601 interval
``2017-03-14/2018-03-14`` (a single date when start and end are the same day). Read too:
``2017-09-08_2021-09-07`` (SCDL 1.x), ``01/01/2019 - 31/12/2019``, ``du 01/01/2019 au
31/12/2019``: rule ``period-separator``. ``2017-10-06/fin-action`` keeps the start, end
None, the words in ``Period.text`` and the warning ``period-partly-text`` (with ``/`` only
when the words hold no digit, since ``/`` also separates the parts of a date: ``ACOMPTE
50% AU 15/02/2018 ...`` is no period); ``1er acompte
...`` (Vendée) gives None and the warning ``period-not-a-date`` (the pipeline keeps the raw
text). An end before the start is kept with the warning ``period-end-before-start``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeVar

from fundtrail.model import Outcome

Precision = Literal["year", "month", "day"]
T = TypeVar("T")

PLAUSIBLE_YEARS = range(1990, 2101)
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, shifted by its phantom 1900-02-29
_EXCEL_FIRST = (date(1990, 1, 1) - _EXCEL_EPOCH).days
_EXCEL_LAST = (date(2100, 12, 31) - _EXCEL_EPOCH).days
_DETAIL_MAX = 60

_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip

_A = re.ASCII
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", _A)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})", _A)
_YEAR = re.compile(r"\d{4}", _A)
_ISO_DATETIME = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}", _A)
_ISO_VARIANT_DAY = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", _A)
_ISO_BASIC_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})", _A)
_ISO_VARIANT_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})", _A)
_FRENCH_DAY = re.compile(rf"(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}})(?P<time>{_TIME})?", _A)
_FRENCH_MONTH = re.compile(r"(\d{1,2})[-/.](\d{4})", _A)
_EXCEL = re.compile(r"(\d{5})(?:\.\d+)?", _A)
_DIGIT = re.compile(r"[0-9]")
_FROM_TO = re.compile(r"(?:du|de)\s+(.+?)\s+(?:au|à|a|jusqu'au)\s+(.+)", re.IGNORECASE)
_NAMED = re.compile(r"(?:(\d{1,2})(?:er)?\s+)?([a-z]+)\.?\s+(\d{4})", _A)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as the publisher wrote it."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a PartialDate with a day needs a month")

    @property
    def precision(self) -> Precision:
        """Return how precise the date is: 'year', 'month' or 'day'."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """Return the ISO 8601 text of the date at its precision ('2019', '2019-04', ...)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def key(self) -> tuple[int, int, int]:
        """Return (year, month, day) with 0 for unknown parts, to order dates."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class Period:
    """A payment period: start and end (either may be missing) and any words left over."""

    start: PartialDate | None
    end: PartialDate | None
    text: str | None = None


def parse_date(text: str) -> Outcome:
    """Return the PartialDate in ``text`` as an Outcome, with repairs and issues."""
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    found = _match_date(stripped)
    if found is None:
        return Outcome(None, issues=(("date-unrecognised", _detail(stripped)),))
    (year, month, day), repairs = found
    if not _exists(year, month, day):
        return Outcome(None, issues=(("date-invalid", _detail(stripped)),))
    value = PartialDate(year, month, day)
    issues: tuple[tuple[str, str | None], ...] = ()
    if year not in PLAUSIBLE_YEARS:
        issues = (("date-implausible", str(year)),)
    return Outcome(value, repairs=tuple(repairs), issues=issues)


def period_text(period: Period) -> str:
    """Return the canonical text of a period: 'start/end', one date, or date and words.

    Words are joined with ``/`` unless they hold a digit, then with ``_`` (a ``/`` between
    digits is read as part of a date).
    """
    start = period.start.iso() if period.start else (period.text or "")
    end = period.end.iso() if period.end else (period.text or "")
    if period.start and period.end and period.start == period.end:
        return start
    separator = "_" if period.text and _DIGIT.search(period.text) else "/"
    return f"{start}{separator}{end}"


def parse_period(text: str) -> Outcome:
    """Return the Period in ``text`` as an Outcome, with repairs and issues."""
    stripped = " ".join(text.split())
    if not stripped:
        return Outcome(None)
    single = parse_date(stripped)
    if single.value is not None:
        return Outcome(Period(single.value, single.value), single.repairs, single.issues)
    if any(code == "date-invalid" for code, _ in single.issues):
        return single

    for left, right, separator in _splits(stripped):
        start, end = parse_date(left), parse_date(right)
        if start.value is None or end.value is None:
            continue
        if separator == "-" and (start.issues or end.issues):
            continue  # "2016-0391" is a reference number, not the years 2016 to 391
        repairs = ([] if separator == "/" else ["period-separator"]) + [
            *start.repairs,
            *end.repairs,
        ]
        issues = [*start.issues, *end.issues]
        if _before(end.value, start.value):
            issues.append(("period-end-before-start", None))
        return Outcome(Period(start.value, end.value), _unique(repairs), _unique(issues))

    for left, right, separator in _splits(stripped, partial=True):
        if separator == "/" and _DIGIT.search(left) and _DIGIT.search(right):
            continue  # "/" is also inside dates: words with numbers around it are no period
        start, end = parse_date(left), parse_date(right)
        if start.value is not None and end.value is None and right:
            period = Period(start.value, None, right)
            dated = start
        elif end.value is not None and start.value is None and left:
            period = Period(None, end.value, left)
            dated = end
        else:
            continue
        # The words stay as published beside the date: no separator is rewritten.
        issues = [*dated.issues, ("period-partly-text", _detail(period.text or ""))]
        return Outcome(period, dated.repairs, _unique(issues))

    return Outcome(None, issues=(("period-not-a-date", _detail(stripped)),))


def _match_date(text: str) -> tuple[tuple[int, int | None, int | None], list[str]] | None:
    """Return ((year, month, day), rules) when ``text`` has a known date shape, else None."""
    if m := _ISO_DAY.fullmatch(text):
        return (int(m[1]), int(m[2]), int(m[3])), []
    if m := _ISO_MONTH.fullmatch(text):
        return (int(m[1]), int(m[2]), None), []
    if _YEAR.fullmatch(text):
        return (int(text), None, None), []
    if m := _ISO_DATETIME.fullmatch(text):
        rules = ["date-time-dropped"]
        if len(m[2]) < 2 or len(m[3]) < 2:
            rules.insert(0, "date-iso-variant")
        return (int(m[1]), int(m[2]), int(m[3])), rules
    if (m := _ISO_VARIANT_DAY.fullmatch(text)) or (m := _ISO_BASIC_DAY.fullmatch(text)):
        groups = [g for g in m.groups() if g not in ("-", "/", ".")]
        return (int(groups[0]), int(groups[1]), int(groups[2])), ["date-iso-variant"]
    if m := _ISO_VARIANT_MONTH.fullmatch(text):
        return (int(m[1]), int(m[2]), None), ["date-iso-variant"]
    if m := _FRENCH_DAY.fullmatch(text):
        rules = ["date-french-order"]
        year = _full_year(m[4], rules)
        if m["time"]:
            rules.append("date-time-dropped")
        return (year, int(m[3]), int(m[1])), rules
    if m := _FRENCH_MONTH.fullmatch(text):
        return (int(m[2]), int(m[1]), None), ["date-french-order"]
    if m := _EXCEL.fullmatch(text):
        serial = int(m[1])
        if _EXCEL_FIRST <= serial <= _EXCEL_LAST:
            day = _EXCEL_EPOCH + timedelta(days=serial)
            return (day.year, day.month, day.day), ["date-excel-serial"]
        return None
    if m := _NAMED.fullmatch(_fold(text)):
        month = _MONTHS.get(m[2])
        if month is None:
            return None
        return (int(m[3]), month, int(m[1]) if m[1] else None), ["date-french-month-name"]
    return None


def _full_year(digits: str, rules: list[str]) -> int:
    """Return a four-digit year, supplying the century of a two-digit one (and saying so)."""
    if len(digits) == 4:
        return int(digits)
    rules.append("date-two-digit-year")
    short = int(digits)
    return 2000 + short if short < 70 else 1900 + short


def _exists(year: int, month: int | None, day: int | None) -> bool:
    """Return True when the year, month and day name a real calendar date."""
    if year < 1:
        return False
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _splits(text: str, partial: bool = False) -> list[tuple[str, str, str]]:
    """Return the (left, right, separator) ways to cut ``text`` into two dates, best first.

    Separators are tried from the clearest (``du ... au``, ``_``, `` - ``) to the most
    ambiguous (``/`` and ``-``, which also occur inside dates); every occurrence is tried.
    When ``partial`` is set only the separators that can end a date before words are used.
    """
    cuts: list[tuple[str, str, str]] = []
    if m := _FROM_TO.fullmatch(text):
        cuts.append((text[m.start(1) : m.end(1)], text[m.start(2) : m.end(2)], "du-au"))
    separators = ("_", "/") if partial else ("_", " au ", " - ", " – ", "/", "–", "-")
    for separator in separators:
        start = 0
        while (index := text.find(separator, start)) >= 0:
            left, right = text[:index].strip(), text[index + len(separator) :].strip()
            cuts.append((left, right, separator.strip() or separator))
            start = index + 1
    return cuts


def _before(a: PartialDate, b: PartialDate) -> bool:
    """Return True when ``a`` is surely before ``b``, compared at the precision both know."""
    depth = min(_DEPTH[a.precision], _DEPTH[b.precision])
    return a.key()[:depth] < b.key()[:depth]


_DEPTH: dict[Precision, int] = {"year": 1, "month": 2, "day": 3}


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    """Return ``items`` without repeats, first occurrence first."""
    return tuple(dict.fromkeys(items))


def _fold(text: str) -> str:
    """Return ``text`` lower-cased without French accents, for month names."""
    table = str.maketrans("éèêëûüôîïàâç", "eeeeuuoiiaac")
    return text.lower().translate(table)


def _detail(text: str) -> str:
    """Return ``text`` cut to a length fit for an issue detail."""
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"
