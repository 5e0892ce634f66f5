"""Organisation identifiers (SIRET, SIREN, RNA) from published text, and personal ones withheld.

``parse_org_id`` reads a cell of a SIRET/SIREN/RNA column. The rules, in order:

1. Blank -> ``Outcome(None)``.
2. Scientific notation (``2,43E+13``, Toulouse; ``7,86E+13``, Maine-et-Loire) -> None with
   ``identifier-destroyed-scientific``: the spreadsheet kept 3 to 6 digits, we never guess.
   Written out to 13 or 15 digits from a leading 1 or 2, it may be a NIR: withheld.
3. An RNA number (``W`` + 9 characters, any case, spaces allowed) -> ``OrgId(rna=...)``.
4. Layout is removed: a ``.0`` float suffix (``21860194600000.0``, Poitiers; rule
   ``identifier-float-suffix``) and spaces, dots, apostrophes (``224 900 019 000 15'``,
   Maine-et-Loire; rule ``identifier-separators-removed``).
5. By number of digits:

   - 14: eight trailing zeros or more (``84313200000000``, Paris export; 6 significant
     digits kept by a float) means the SIREN part itself was cut: None with
     ``identifier-destroyed-float``, even when the Luhn check passes by chance (107 of the
     7,835 damaged Paris values do). A NIC of ``00000`` is never issued, so it was zeroed by the
     same damage: the SIREN is kept if valid, with ``siret-nic-invalid``. Otherwise a
     valid SIRET (La Poste's establishments follow their own rule, which python-stdnum
     applies) gives siret and siren; a valid SIREN part with a failing NIC gives the siren
     only and ``siret-nic-invalid``; neither gives None and ``siret-invalid``.
   - 13: a SIRET that lost its leading zero when the zero-padded form passes the rules
     for 14 digits (rule ``siret-leading-zero-restored``); else, if it has a NIR's shape,
     withheld; else as 14 digits above on the padded form (maybe a SIREN only).
   - 15: never a SIRET; withheld when it has a NIR's shape, else ``identifier-unrecognised``.
   - 9: a SIREN where a SIRET was expected (``siren-instead-of-siret``, info) or
     ``siren-invalid``; 8 digits whose zero-padded form is a valid SIREN are restored
     (``siren-leading-zero-restored``). All-zero numbers pass Luhn but name nobody:
     they are invalid.

A NIR (social security number) has 13 digits (without its key) or 15, a first digit 1 or
2, a birth month 01-12 or 20 and above at positions 4-5, and a département that may be
``2A``/``2B``. Such a value, or any value that is not an organisation's identifier in a
column the pipeline marks ``personal`` (a "SIRET ou NIR" column: there only 8, 9 and 14
digits, which no NIR has, and RNA numbers are read as above), gives
``OrgId(withheld=True)`` and the issue ``personal-identifier-withheld`` whose detail never
holds the value; the caller must not keep the raw text either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from fundtrail.model import Outcome

_A = re.ASCII
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?\s*[eE]\s*([+-]?[0-9]+)", _A)
_RNA = re.compile(r"W[0-9][0-9AB][0-9]{7}", _A)
_FLOAT_SUFFIX = re.compile(r"([0-9]+)\.0+", _A)
_LAYOUT = re.compile(r"[\s.'’`\u00a0\u202f-]+")
_NIR = re.compile(
    r"[12][0-9]{2}(?:0[1-9]|1[0-2]|[2-9][0-9])(?:[0-9]{2}|2[AB])[0-9]{6}(?:[0-9]{2})?", _A
)
_DETAIL_MAX = 60
_DESTROYED_ZEROS = 8


@dataclass(frozen=True)
class OrgId:
    """What an identifier cell says about an organisation (or that it held a person's id)."""

    siret: str | None = None
    siren: str | None = None
    rna: str | None = None
    withheld: bool = False


def is_valid_siren(text: str) -> bool:
    """Return True when ``text`` is exactly 9 digits with a valid SIREN check digit."""
    return _digits(text, 9) and stdnum_siren.is_valid(text)


def is_valid_siret(text: str) -> bool:
    """Return True when ``text`` is exactly 14 digits forming a valid SIRET (La Poste too)."""
    return _digits(text, 14) and stdnum_siret.is_valid(text)


def _digits(text: str, length: int) -> bool:
    """Return True when ``text`` is ``length`` ASCII digits, not all zero (0 passes Luhn)."""
    return len(text) == length and text.isascii() and text.isdigit() and text.strip("0") != ""


def org_id_text(org: OrgId) -> str:
    """Return the canonical text of an identifier: the SIRET, else the SIREN, else the RNA."""
    if org.withheld:
        return ""
    return org.siret or org.siren or org.rna or ""


def parse_rna(text: str) -> Outcome:
    """Return the RNA number in ``text`` ('W' + 9 characters, upper case) as an Outcome.

    Numbers from before the RNA (prefecture file numbers without the ``W``) are not
    accepted: they cannot be told from other digit strings, so they get ``rna-invalid``.
    """
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    compact = _LAYOUT.sub("", stripped).upper()
    if not _RNA.fullmatch(compact):
        return Outcome(None, issues=(("rna-invalid", _detail(stripped)),))
    repairs = ("rna-normalised",) if compact != stripped else ()
    return Outcome(compact, repairs=repairs)


def parse_org_id(text: str, personal: bool = False) -> Outcome:
    """Return the OrgId in ``text`` as an Outcome, with repairs and issues.

    ``personal`` is set by the pipeline for columns that may hold a person's number
    ("SIRET ou NIR"): there, whatever is not an organisation's identifier is withheld.
    """
    stripped = text.strip()
    if not stripped:
        return Outcome(None)
    if m := _SCIENTIFIC.fullmatch(stripped):
        # A NIR has 13 or 15 digits: its rounded form still tells sex, birth year and month.
        digits = int(m[1]) + 1 if len(m[1]) < 4 else 0
        nir_like = digits in (13, 15) and stripped[0] in "12"
        if nir_like or (personal and digits not in (9, 14)):
            return _withheld(("identifier-destroyed-scientific", None))
        return Outcome(None, issues=(("identifier-destroyed-scientific", _detail(stripped)),))

    rna = parse_rna(stripped)
    if rna.value is not None:
        return Outcome(OrgId(rna=rna.value), rna.repairs, rna.issues)

    repairs: list[str] = []
    body = stripped
    if m := _FLOAT_SUFFIX.fullmatch(body):
        body = m[1]
        repairs.append("identifier-float-suffix")
    compact = _LAYOUT.sub("", body).upper()
    if compact != body:
        repairs.append("identifier-separators-removed")

    if _NIR.fullmatch(compact) and not _sound_siret("0" + compact):
        return _withheld()
    if not (compact.isascii() and compact.isdigit()):
        return _unrecognised(stripped, personal)

    if personal and len(compact) == 13 and not _sound_siret("0" + compact):
        return _withheld()  # 13 digits may be a NIR without its key
    found = _by_length(compact)
    if found is None:
        return _unrecognised(stripped, personal)
    org, rules, issues = found
    value = None if org == OrgId() else org
    return Outcome(value, tuple(repairs + rules) if value else (), tuple(issues))


_Found = tuple[OrgId, list[str], list[tuple[str, str | None]]]


def _by_length(digits: str) -> _Found | None:
    """Return (OrgId, rules, issues) for a digit string by its length, None if no shape fits."""
    if len(digits) == 14:
        return _fourteen(digits)
    if len(digits) == 13:
        org, rules, issues = _fourteen("0" + digits)
        return org, ["siret-leading-zero-restored", *rules] if org.siren else rules, issues
    if len(digits) == 9:
        if is_valid_siren(digits):
            return OrgId(siren=digits), [], [("siren-instead-of-siret", None)]
        return OrgId(), [], [("siren-invalid", None)]
    if len(digits) == 8 and is_valid_siren("0" + digits):
        restored = OrgId(siren="0" + digits)
        return restored, ["siren-leading-zero-restored"], [("siren-instead-of-siret", None)]
    return None


def _fourteen(digits: str) -> _Found:
    """Return (OrgId, rules, issues) for 14 digits: SIRET, SIREN only, or nothing."""
    if _trailing_zeros(digits) >= _DESTROYED_ZEROS:
        return OrgId(), [], [("identifier-destroyed-float", None)]
    siren = digits[:9]
    if _sound_siret(digits):
        return OrgId(siret=digits, siren=siren), [], []
    if is_valid_siren(siren):
        return OrgId(siren=siren), [], [("siret-nic-invalid", None)]
    return OrgId(), [], [("siret-invalid", None)]


def _sound_siret(digits: str) -> bool:
    """Return True for a valid SIRET whose NIC was not zeroed (NIC 00000 is never issued)."""
    return digits[9:] != "00000" and is_valid_siret(digits)


def _trailing_zeros(digits: str) -> int:
    """Return how many zeros end ``digits``."""
    return len(digits) - len(digits.rstrip("0"))


def _withheld(*extra: tuple[str, str | None]) -> Outcome:
    """Return the Outcome of a personal identifier: nothing kept, nothing shown."""
    return Outcome(OrgId(withheld=True), issues=(("personal-identifier-withheld", None), *extra))


def _unrecognised(text: str, personal: bool) -> Outcome:
    """Return the Outcome of a value that is no identifier we know (withheld if personal)."""
    if personal:
        return _withheld()
    return Outcome(None, issues=(("identifier-unrecognised", _detail(text)),))


def _detail(text: str) -> str:
    """Return ``text`` cut to a length fit for an issue detail."""
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"
