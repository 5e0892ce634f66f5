"""What an ingest run reports, per file and in all: the shape of ``fundtrail ingest --json``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ingested", "unchanged", "refused"]


@dataclass
class FileReport:
    """The outcome of one file: rows read = rows accepted + rows quarantined, always."""

    path: str
    sha256: str
    status: Status
    size: int = 0
    source_id: int | None = None
    format: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_empty: int = 0
    issues: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)
    tables: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None  # catalogue code when refused
    reason_detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        data: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "size": self.size,
            "source_id": self.source_id,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_quarantined": self.rows_quarantined,
            "rows_empty": self.rows_empty,
            "issues": dict(sorted(self.issues.items())),
            "repairs": dict(sorted(self.repairs.items())),
            "tables": self.tables,
        }
        if self.status == "refused":
            data["reason"] = self.reason
            data["reason_detail"] = self.reason_detail
        return data


@dataclass
class IngestReport:
    """The outcome of a whole run: one FileReport per file, in the order they were given."""

    files: list[FileReport] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return ``{"files": [...], "totals": {...}}`` as JSON-ready data."""
        return {"files": [f.to_json() for f in self.files], "totals": self.totals()}

    def totals(self) -> dict[str, int]:
        """Return the counts summed over files."""
        statuses = Counter(f.status for f in self.files)
        return {
            "files": len(self.files),
            "ingested": statuses["ingested"],
            "unchanged": statuses["unchanged"],
            "refused": statuses["refused"],
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_accepted": sum(f.rows_accepted for f in self.files),
            "rows_quarantined": sum(f.rows_quarantined for f in self.files),
        }
