"""Normalised organisation names: the key layer-2 linking compares.

A name is folded (accents, case, punctuation), its parenthesised parts set aside (they are
mostly acronyms: "ASSOCIATION SPORTIVE DE LA POLICE DE PARIS (ASPP)"), and its legal-form
words ("association", "asso", "ass.", "SARL"...) and articles dropped. The same rule exists
twice: ``name_key`` in Python (search, tests) and the DuckDB macro ``ft_name_key`` (set-based
linking over millions of grants); ``tests/test_link_names.py`` checks that both agree.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb

# Legal-form words and articles that do not tell two organisations apart.
STOPWORDS: tuple[str, ...] = (
    "ASSOCIATION", "ASSOCIATIONS", "ASSOC", "ASSO", "ASS", "STE", "SOCIETE", "SARL",
    "SAS", "SASU", "SA", "EURL", "SCI", "SCOP", "SCIC", "SEM", "SPL", "GIP", "EARL", "GAEC",
    "SNC", "LE", "LA", "LES", "L", "D", "DE", "DU", "DES", "ET", "A", "AU", "AUX", "EN",
)  # fmt: skip

_STOP_PATTERN = " (?:" + "|".join(STOPWORDS) + ") "
_PARENS = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_STOP = re.compile(_STOP_PATTERN)
_SPACES = re.compile(r" +")
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})


def fold_name(text: str | None) -> str:
    """Return ``text`` upper-case, without accents, parenthesised parts or punctuation."""
    if not text:
        return ""
    text = _PARENS.sub(" ", text.translate(_LIGATURES))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", text)).strip()


def name_key(text: str | None) -> str:
    """Return the linking key of ``text``: folded, without legal-form words and articles.

    A name made only of such words ("Association") keeps its folded form, so that the key
    is empty only when the name is.
    """
    folded = fold_name(text)
    spaced = " " + folded.replace(" ", "  ") + " "
    key = _SPACES.sub(" ", _STOP.sub(" ", spaced)).strip()
    return key or folded


def acronym(text: str | None) -> str | None:
    """Return the single word in parentheses of ``text`` ("... (ASPP)" -> "ASPP"), if any."""
    if not text:
        return None
    found = re.search(r"\(\s*([^\s()]+)\s*\)", text)
    return fold_name(found.group(1)).replace(" ", "") or None if found else None


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the DuckDB macros ``ft_fold_name(s)`` and ``ft_name_key(s)`` on ``con``."""
    con.execute(
        r"""
        CREATE OR REPLACE MACRO ft_fold_name(s) AS trim(regexp_replace(regexp_replace(
            upper(strip_accents(regexp_replace(
                replace(replace(replace(replace(replace(coalesce(s, ''),
                    'Œ', 'OE'), 'œ', 'oe'), 'Æ', 'AE'), 'æ', 'ae'), 'ß', 'ss'),
                '\([^)]*\)', ' ', 'g'))),
            '[^A-Z0-9]+', ' ', 'g'), ' +', ' ', 'g'))
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE MACRO ft_name_key(s) AS coalesce(nullif(trim(regexp_replace(
            regexp_replace(' ' || replace(ft_fold_name(s), ' ', '  ') || ' ',
                '{_STOP_PATTERN}', ' ', 'g'),
            ' +', ' ', 'g')), ''), ft_fold_name(s))
        """  # the pattern is a constant of this module, not data
    )
