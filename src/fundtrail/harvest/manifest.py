"""The harvest manifest: one JSON line per dataset and per resource seen, in every run.

The manifest is a JSON-lines file, ``manifest.jsonl`` at the root of the archive, appended
to by every harvest run and never rewritten. Keeping it beside the archived bytes (rather
than in the DuckDB store) means the archive folder alone is enough to rebuild a store, and
a lost store loses no history. Each line is one ``Entry``:

- ``kind`` "dataset" or "resource";
- ``state``: "kept" (downloaded, verified, archived and handed to ingest), "refused" (not
  downloaded, ``reason`` says why), "unchanged" (304 answer, or the same bytes as before),
  "failed" (download failed, ``reason`` and ``detail`` say why; nothing was archived);
- the catalogue's own facts (URL, format, checksum, size, last modified date) and what
  the download found (HTTP ETag and Last-Modified, bytes, sha256), and the ingest report.

``previous_downloads`` reads the latest successful download of each URL back, for the
conditional requests of the next run; ``replay_order`` gives the files to rebuild from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

Kind = Literal["dataset", "resource"]
State = Literal["kept", "refused", "unchanged", "failed"]


@dataclass(frozen=True)
class Entry:
    """One line of the manifest: a dataset or a resource seen by one harvest run."""

    run: str
    at: str
    kind: Kind
    state: State
    source: str = "datagouv"  # "datagouv" or "urls"
    dataset_id: str | None = None
    dataset_title: str | None = None
    resource_id: str | None = None
    title: str | None = None
    url: str | None = None
    format: str | None = None
    checksum_type: str | None = None
    checksum_value: str | None = None
    filesize: int | None = None  # as the catalogue announces it
    last_modified: str | None = None  # as the catalogue announces it
    reason: str | None = None  # catalogue code (fundtrail.catalogue.harvest)
    detail: str | None = None
    http_status: int | None = None
    etag: str | None = None
    http_last_modified: str | None = None
    final_url: str | None = None
    size: int | None = None  # bytes actually received
    sha256: str | None = None
    ingest: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return this entry as a JSON-ready dict (None fields kept, for a stable shape)."""
        return asdict(self)


_FIELDS = {f.name for f in fields(Entry)}


def entry_from_json(data: dict[str, Any]) -> Entry:
    """Return the ``Entry`` of one parsed manifest line (unknown keys go to ``extra``)."""
    known = {k: v for k, v in data.items() if k in _FIELDS}
    unknown = {k: v for k, v in data.items() if k not in _FIELDS}
    if unknown:
        known["extra"] = {**known.get("extra", {}), **unknown}
    return Entry(**known)


class Manifest:
    """The manifest file of one archive: append entries, read them back."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, entries: Iterable[Entry]) -> None:
        """Append ``entries`` as JSON lines, flushed and synced so that a crash keeps them."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for item in entries:
                handle.write(json.dumps(item.to_json(), ensure_ascii=False, default=str))
                handle.write("\n")
            handle.flush()

    def entries(self) -> Iterator[Entry]:
        """Yield every entry of the manifest in the order written (none when it is absent)."""
        if not self.path.is_file():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                # A line cut by a crash mid-write is the only thing that can fail to parse;
                # it never held a finished download (entries are written after archiving).
                line = line.strip()
                if not line:
                    continue
                try:
                    yield entry_from_json(json.loads(line))
                except (json.JSONDecodeError, TypeError):
                    continue

    def previous_downloads(self) -> dict[str, Entry]:
        """Return, by URL, the latest entry that holds archived bytes (kept or unchanged)."""
        latest: dict[str, Entry] = {}
        for item in self.entries():
            held = item.state in ("kept", "unchanged") and item.sha256
            if item.kind == "resource" and item.url and held:
                latest[item.url] = item
        return latest

    def replay_order(self) -> list[Entry]:
        """Return the resource entries to ingest again, in harvest order, one per sha256.

        An entry counts once its bytes were archived ("kept"); "unchanged" entries point to
        bytes already kept earlier, which ingest would report as unchanged again.
        """
        seen: set[str] = set()
        order: list[Entry] = []
        for item in self.entries():
            if item.kind != "resource" or item.state != "kept" or not item.sha256:
                continue
            if item.sha256 in seen:
                continue
            seen.add(item.sha256)
            order.append(item)
        return order
