"""Exceptions of fundtrail: raised only when work cannot continue.

Bad data is never an exception: a damaged cell, a ragged row or a missing field becomes an
``Issue`` record (see ``fundtrail.model``) and the row is accepted with a flag or set aside
in quarantine. Exceptions are for the cases where a whole file, command or store cannot go on.

    FundtrailError                 base of everything fundtrail raises on purpose
    ├── UnreadableError            a file cannot be read as a table at all (binary, truncated
    │                              archive, zip bomb, not a grant table); carries a stable
    │                              ``code`` from the catalogue and a ``detail``
    ├── StoreError                 the DuckDB store cannot be opened or written
    ├── DossierError               a dossier file is malformed (carries line and field)
    └── UsageError                 a command was called with options that make no sense
"""

from __future__ import annotations


class FundtrailError(Exception):
    """Base class of every exception fundtrail raises on purpose."""


class UnreadableError(FundtrailError):
    """A file cannot be read as a table; ``code`` is a catalogue code, ``detail`` says why."""

    def __init__(self, code: str, detail: str = "", *, path: str | None = None) -> None:
        self.code = code
        self.detail = detail
        self.path = path
        super().__init__(f"{path or '?'}: {code}: {detail}")


class StoreError(FundtrailError):
    """The store cannot be opened or written."""


class DossierError(FundtrailError):
    """A dossier file is malformed; the message names the line and field."""


class UsageError(FundtrailError):
    """A command was called with options that make no sense together."""
