"""Shared fixtures: the real files of ../shared/data, skipped with a reason when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FUNDTRAIL_SHARED", ROOT.parent / "shared"))
SHARED_DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real published files; the test is skipped when it is not beside the repo."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (a fresh clone has no ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_cases() -> Path:
    """The reference cases folder (../shared/cases)."""
    cases = SHARED / "cases"
    if not cases.is_dir():
        pytest.skip(f"cases folder {cases} is absent (a fresh clone has no ../shared)")
    return cases
