"""A dossier: what one organisation's documents say that open data does not carry.

Its funding plans by year, its programmes with their targets, the outcomes it reports, the
figures the documents state about themselves, and the documents all of it comes from.
Amounts are exact decimals; every element keeps the line of the file it was written on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from fundtrail.claims.verdict import Stated

DocumentKind = Literal[
    "deliberation", "activity-report", "budget", "article", "accounts", "convention", "other"
]
LineKind = Literal["cash-grant", "in-kind", "own-revenue", "loan", "other"]
StatementKind = Literal["amount", "share", "growth"]
# What a funding plan adds up: every line, public lines, lines of one kind.
AGGREGATES = ("total", "public", "private", "own-revenue", "in-kind", "cash-grant", "loan")


@dataclass(frozen=True)
class Document:
    """A document the facts come from."""

    id: str
    title: str
    kind: DocumentKind
    date: str | None = None  # ISO at its precision ('2018', '2018-05'); None when not known
    reference: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Organisation:
    """The organisation the dossier is about."""

    name: str
    former_names: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()  # spellings used by funders' files
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    purpose: str | None = None
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Return every name the organisation is or was known by."""
        return (self.name, *self.former_names, *self.other_names)


@dataclass(frozen=True)
class FundingLine:
    """One line of a funding plan: a funder's contribution or the organisation's own revenue."""

    id: str
    source: str
    amount: Decimal
    kind: LineKind
    public: bool
    siren: str | None = None
    identifier: str | None = None  # another identifier when not a SIREN (an EU fund's)
    document: str | None = None
    note: str | None = None
    line: int = 0


@dataclass(frozen=True)
class FundingPlan:
    """A funding plan: the lines that finance one year (or one period) of the organisation."""

    id: str
    year: int | None
    lines: tuple[FundingLine, ...]
    year_note: str | None = None
    document: str | None = None
    note: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Target:
    """What a programme aims at: a value of a metric over a period."""

    metric: str
    value: Decimal
    unit: str | None = None
    period: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Programme:
    """A programme of the organisation and its targets."""

    id: str
    name: str
    targets: tuple[Target, ...] = ()
    document: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Outcome:
    """An outcome the organisation reports: a value of a metric for a year."""

    id: str
    metric: str
    value: Decimal
    unit: str | None = None
    year: int | None = None
    document: str | None = None
    description: str | None = None
    plan: str | None = None  # the plan whose money produced it, when not the same year's


@dataclass(frozen=True)
class Quantity:
    """An operand of a statement: a reference ('plan.total', 'plan.region') or a literal."""

    text: str  # as written in the file
    ref: str | None = None  # '<plan>.<aggregate or line>'
    literal: Stated | None = None


@dataclass(frozen=True)
class Statement:
    """A figure a document states about the others ('own revenue 8 % of the budget')."""

    id: str
    kind: StatementKind
    value: Stated
    of: Quantity | None = None  # amount
    part: Quantity | None = None  # share
    whole: Quantity | None = None
    start: Quantity | None = None  # growth ('from')
    end: Quantity | None = None  # growth ('to')
    period: str | None = None
    document: str | None = None
    quote: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Dossier:
    """One organisation's dossier, as loaded from its file."""

    organisation: Organisation
    documents: tuple[Document, ...] = ()
    plans: tuple[FundingPlan, ...] = ()
    programmes: tuple[Programme, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    statements: tuple[Statement, ...] = ()
    path: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    sha256: str | None = None  # of the file's text, so that a report cites one exact version

    def document(self, document_id: str | None) -> Document | None:
        """Return the document of id ``document_id`` (None when absent)."""
        return next((d for d in self.documents if d.id == document_id), None)

    def plan(self, plan_id: str) -> FundingPlan | None:
        """Return the funding plan of id ``plan_id`` (None when absent)."""
        return next((p for p in self.plans if p.id == plan_id), None)
