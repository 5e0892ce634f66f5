"""Rebuild a store from the archive and its manifest alone, with no network.

``rebuild`` replays, in the order they were first harvested, the files the manifest says
were kept, each read from the content-addressed archive and checked against its sha256
before it is ingested. The same archive replayed into an empty store gives the same
sources, grants, quarantined rows and issues as the harvests that filled it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fundtrail.harvest.archive import Archive
from fundtrail.harvest.harvester import name_of
from fundtrail.harvest.ingesting import Ingester
from fundtrail.harvest.manifest import Entry, Manifest


@dataclass
class RebuildReport:
    """What a rebuild did: one line per file replayed, and the totals."""

    files: list[dict[str, Any]] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        """Return the counts of the end summary."""
        statuses = [f["status"] for f in self.files]
        totals = {
            "files": len(self.files),
            "ingested": statuses.count("ingested"),
            "unchanged": statuses.count("unchanged"),
            "refused": statuses.count("refused"),
            "missing": statuses.count("missing"),
            "rows_read": 0,
            "rows_accepted": 0,
            "rows_quarantined": 0,
        }
        for item in self.files:
            if item["status"] == "ingested":
                for key in ("rows_read", "rows_accepted", "rows_quarantined"):
                    totals[key] += int(item.get(key) or 0)
        return totals

    def to_json(self) -> dict[str, Any]:
        """Return ``{"totals": ..., "files": [...]}`` as JSON-ready data."""
        return {"totals": self.totals(), "files": self.files}


def rebuild(
    archive: Archive,
    ingest: Ingester,
    progress: Callable[[int, Entry], None] | None = None,
) -> RebuildReport:
    """Return the report of ingesting every kept file of ``archive`` again, in order."""
    report = RebuildReport()
    order = Manifest(archive.manifest_path).replay_order()
    for item in order:
        assert item.sha256 is not None
        line: dict[str, Any] = {"sha256": item.sha256, "url": item.url, "run": item.run}
        if not archive.verify(item.sha256):
            line.update(status="missing", reason="archive-missing")
        else:
            outcome = ingest(
                archive.path_of(item.sha256), item.url, name_of(item.url or "", item.title)
            )
            line.update(
                {
                    k: outcome.get(k)
                    for k in (
                        "status",
                        "source_id",
                        "rows_read",
                        "rows_accepted",
                        "rows_quarantined",
                        "reason",
                    )
                }
            )
        report.files.append(line)
        if progress:
            progress(len(order), item)
    return report
