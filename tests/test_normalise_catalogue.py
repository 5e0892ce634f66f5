"""The normalise step's catalogue entries: complete, well-formed, and every code in use."""

from __future__ import annotations

from pathlib import Path

import pytest

import fundtrail.normalise
from fundtrail.catalogue import CATALOGUE, Entry
from fundtrail.catalogue.normalise import ENTRIES

SOURCE = "\n".join(
    path.read_text(encoding="utf-8")
    for path in Path(fundtrail.normalise.__file__).parent.glob("*.py")
)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_entry_is_well_formed(entry: Entry) -> None:
    assert entry.code == entry.code.lower() and " " not in entry.code
    assert entry.fr.strip() and entry.en.strip() and entry.fr != entry.en
    assert (entry.kind, entry.severity) in {
        ("repair", "info"),
        ("issue", "error"),
        ("issue", "warning"),
        ("issue", "info"),
    }
    assert CATALOGUE[entry.code] == entry


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_code_is_emitted_by_a_parser(entry: object) -> None:
    code = entry.code
    assert f'"{code}"' in SOURCE


def test_only_unreadable_amounts_quarantine_a_row() -> None:
    errors = sorted(e.code for e in ENTRIES if e.severity == "error")
    assert errors == ["amount-not-a-number", "amount-scientific-notation"]
