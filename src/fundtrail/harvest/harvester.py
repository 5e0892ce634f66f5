"""One harvest run: discover resources, download them, archive them, ingest them, record all.

``harvest_datagouv`` lists the catalogue by its angles (schema, tags, queries);
``harvest_urls`` takes a plain list of URLs (portals outside the national catalogue). Both
go through ``Harvester.take``, which for each resource:

1. refuses it (with a catalogue code) when its format is not tabular, when it has not
   changed since ``since``, or when its URL was already taken in this run;
2. downloads it (conditionally, when the manifest knows its ETag/Last-Modified and the
   archive still holds its bytes), verifying the catalogue checksum;
3. moves the verified bytes into the content-addressed archive, then hands them to ingest
   (one transaction per file, idempotent by sha256);
4. appends the manifest line at once, so that an interrupted run keeps what it did.

A failed download leaves nothing in the archive and nothing in the store; the manifest
says why it failed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from fundtrail.errors import FundtrailError
from fundtrail.harvest.archive import Archive
from fundtrail.harvest.datagouv import (
    Angle,
    CatalogueClient,
    Dataset,
    Resource,
    classify,
    resource_format,
)
from fundtrail.harvest.download import Conditional, Downloader
from fundtrail.harvest.ingesting import Ingester
from fundtrail.harvest.manifest import Entry, Manifest, State

# progress(event, entry, total): "listed" with the number of resources to take, then
# "resource" or "dataset" with each manifest entry as it is written.
Progress = Callable[[str, Entry | None, int | None], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _parse_instant(text: str | None) -> datetime | None:
    """Return ``text`` (ISO date or date-time) as an aware datetime, or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def name_of(url: str, title: str | None) -> str:
    """Return a file name for a resource: the URL's last path part, else its title."""
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return last or title or url


@dataclass
class HarvestReport:
    """What one run did: every manifest entry it wrote and the totals of the summary."""

    run: str
    started: str
    entries: list[Entry] = field(default_factory=list)
    catalogue_failures: list[tuple[str, str]] = field(default_factory=list)

    def resources(self) -> list[Entry]:
        """Return the resource entries of this run."""
        return [e for e in self.entries if e.kind == "resource"]

    def totals(self) -> dict[str, int]:
        """Return the counts of the end summary (datasets seen, files kept, rows ingested)."""
        resources = self.resources()
        totals = {
            "datasets_seen": sum(1 for e in self.entries if e.kind == "dataset"),
            "resources_seen": len(resources),
            "kept": sum(1 for e in resources if e.state == "kept"),
            "unchanged": sum(1 for e in resources if e.state == "unchanged"),
            "refused": sum(1 for e in resources if e.state == "refused"),
            "failed": sum(1 for e in resources if e.state == "failed"),
            # Of the files kept, those the store took and those ingest refused (not a grant
            # table, unreadable): both are archived and stay in the manifest.
            "files_ingested": sum(
                1 for e in resources if e.ingest and e.ingest.get("status") == "ingested"
            ),
            "files_refused_by_ingest": sum(
                1 for e in resources if e.ingest and e.ingest.get("status") == "refused"
            ),
            "rows_read": 0,
            "rows_accepted": 0,
            "rows_quarantined": 0,
            "catalogue_failures": len(self.catalogue_failures),
        }
        for e in resources:
            if e.ingest and e.ingest.get("status") == "ingested":
                for key in ("rows_read", "rows_accepted", "rows_quarantined"):
                    totals[key] += int(e.ingest.get(key) or 0)
        return totals

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data: run, totals and the manifest entries."""
        return {
            "run": self.run,
            "started": self.started,
            "totals": self.totals(),
            "catalogue_failures": [
                {"url": url, "detail": detail} for url, detail in self.catalogue_failures
            ],
            "manifest": [e.to_json() for e in self.entries],
        }


class Harvester:
    """Downloads, archives, ingests and records resources for one run."""

    def __init__(
        self,
        archive: Archive,
        downloader: Downloader,
        ingest: Ingester,
        *,
        since: date | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.archive = archive
        self.manifest = Manifest(archive.manifest_path)
        self.downloader = downloader
        self.ingest = ingest
        self.since = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
        self.progress = progress
        self.previous = self.manifest.previous_downloads()
        self.report = HarvestReport(run=uuid.uuid4().hex[:12], started=_now())
        self._taken: set[str] = set()

    def record(self, item: Entry) -> Entry:
        """Append ``item`` to the manifest and the report, and tell the progress callback."""
        self.manifest.append([item])
        self.report.entries.append(item)
        if self.progress:
            self.progress(item.kind, item, None)
        return item

    def _entry(
        self, resource: Resource, dataset: Dataset | None, source: str, **values: Any
    ) -> Entry:
        return Entry(
            run=self.report.run,
            at=_now(),
            kind="resource",
            source=source,
            dataset_id=dataset.id if dataset else None,
            dataset_title=dataset.title if dataset else None,
            resource_id=resource.id,
            title=resource.title,
            url=resource.url,
            format=resource_format(resource),
            checksum_type=resource.checksum_type,
            checksum_value=resource.checksum_value,
            filesize=resource.filesize,
            last_modified=resource.last_modified,
            **values,
        )

    def _refusal(
        self, resource: Resource, dataset: Dataset | None, source: str
    ) -> tuple[str, str | None]:
        keep, code, detail = classify(resource)
        # A bare URL's format is often unknown until downloaded (portal exports have no
        # suffix): it is taken and ingest decides, rather than refused on a guess.
        bare = source == "urls" and resource.url and resource_format(resource) is None
        if not keep and not bare:
            return code or "resource-format-unsupported", detail
        if self.since is not None:
            changed = _parse_instant(resource.last_modified) or _parse_instant(
                dataset.last_modified if dataset else None
            )
            if changed is not None and changed < self.since:
                return "resource-before-since", changed.isoformat()
        assert resource.url is not None
        if resource.url in self._taken:
            return "resource-duplicate-url", None
        return "", None

    def take(self, resource: Resource, dataset: Dataset | None, source: str) -> Entry:
        """Return the manifest entry of ``resource`` after refusing or downloading it."""
        code, detail = self._refusal(resource, dataset, source)
        if code:
            return self.record(
                self._entry(resource, dataset, source, state="refused", reason=code, detail=detail)
            )
        assert resource.url is not None
        url = resource.url
        self._taken.add(url)
        if resource.filesize is not None and resource.filesize > self.downloader.policy.max_bytes:
            return self.record(
                self._entry(
                    resource,
                    dataset,
                    source,
                    state="refused",
                    reason="resource-too-large",
                    detail=f"{resource.filesize} bytes announced",
                )
            )
        previous = self.previous.get(url)
        conditional = None
        if previous is not None and previous.sha256 and self.archive.verify(previous.sha256):
            conditional = Conditional(previous.etag, previous.http_last_modified)
        checksum = None
        if resource.checksum_type and resource.checksum_value:
            checksum = (resource.checksum_type, resource.checksum_value)
        fetched = self.downloader.fetch(url, self.archive.tmp, conditional, checksum)
        attempts = {"attempts": fetched.attempts, "resumed": fetched.resumed}
        http: dict[str, Any] = {
            "http_status": fetched.http_status,
            "final_url": fetched.final_url,
            "extra": attempts,
        }
        if fetched.status == "failed":
            return self.record(
                self._entry(
                    resource,
                    dataset,
                    source,
                    state="failed",
                    reason=fetched.reason,
                    detail=fetched.detail,
                    size=fetched.size,
                    sha256=None,
                    extra={**attempts, "received_sha256": fetched.sha256},
                    http_status=fetched.http_status,
                    final_url=fetched.final_url,
                )
            )
        if fetched.status == "not-modified":
            assert previous is not None and previous.sha256 is not None
            sha256 = previous.sha256
            size = previous.size
            reason = "download-not-modified"
        else:
            assert fetched.path is not None
            sha256 = self.archive.add_file(fetched.path)
            size = fetched.size
            reason = None
        name = name_of(url, resource.title)
        try:
            report = self.ingest(self.archive.path_of(sha256), url, name)
        except FundtrailError as exc:
            # The bytes are archived (nothing lost); the store is untouched (one transaction).
            return self.record(
                self._entry(
                    resource,
                    dataset,
                    source,
                    state="failed",
                    reason="harvest-ingest-error",
                    detail=str(exc),
                    size=size,
                    sha256=sha256,
                    etag=fetched.etag,
                    http_last_modified=fetched.last_modified,
                    **http,
                )
            )
        status = report.get("status")
        if reason is None and status == "unchanged":
            reason = "download-same-bytes"
        state: State = "unchanged" if reason else "kept"
        return self.record(
            self._entry(
                resource,
                dataset,
                source,
                state=state,
                reason=reason,
                size=size,
                sha256=sha256,
                etag=fetched.etag,
                http_last_modified=fetched.last_modified,
                ingest=report,
                **http,
            )
        )

    def take_dataset(self, dataset: Dataset, source: str = "datagouv") -> Entry:
        """Return the dataset's manifest entry after taking each of its resources."""
        states = [self.take(resource, dataset, source).state for resource in dataset.resources]
        state: State
        reason: str | None
        if any(s in ("kept", "unchanged") for s in states):
            state, reason = "kept", None
        elif "failed" in states:
            state, reason = "failed", "dataset-all-failed"
        else:
            state, reason = "refused", "dataset-no-tabular-resource"
        return self.record(
            Entry(
                run=self.report.run,
                at=_now(),
                kind="dataset",
                state=state,
                source=source,
                dataset_id=dataset.id,
                dataset_title=dataset.title,
                url=dataset.page,
                last_modified=dataset.last_modified,
                reason=reason,
                extra={
                    "angles": dataset.angles,
                    "organization": dataset.organization,
                    "resources": len(dataset.resources),
                },
            )
        )


def harvest_datagouv(
    harvester: Harvester,
    client: CatalogueClient,
    angles: list[Angle],
) -> HarvestReport:
    """Return the report of harvesting every dataset that ``angles`` find in the catalogue."""
    listing = client.discover(angles)
    harvester.report.catalogue_failures.extend(listing.failures)
    for page_url, detail in listing.failures:
        harvester.record(
            Entry(
                run=harvester.report.run,
                at=_now(),
                kind="dataset",
                state="failed",
                url=page_url,
                reason="catalogue-http-error",
                detail=detail,
            )
        )
    if harvester.progress:
        harvester.progress("listed", None, sum(len(d.resources) for d in listing.datasets))
    for dataset in listing.datasets:
        harvester.take_dataset(dataset)
    return harvester.report


def read_url_list(text: str) -> list[str]:
    """Return the URLs of a list file: one a line, blank lines and '#' comments ignored."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


def harvest_urls(harvester: Harvester, urls: Iterable[str]) -> HarvestReport:
    """Return the report of harvesting each URL of ``urls`` (no catalogue, no checksum)."""
    urls = list(urls)
    if harvester.progress:
        harvester.progress("listed", None, len(urls))
    for url in urls:
        resource = Resource(
            id=None,
            title=name_of(url, None),
            url=url,
            format=None,
            checksum_type=None,
            checksum_value=None,
            filesize=None,
            last_modified=None,
            schema=None,
        )
        harvester.take(resource, None, "urls")
    return harvester.report
