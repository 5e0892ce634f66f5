"""A client of the data.gouv.fr catalogue (udata API v1): datasets and their resources.

``list_datasets`` walks one discovery angle (a schema, a tag or a full-text query) page by
page, following ``next_page`` until it is null; ``discover`` merges several angles into one
list of datasets, each seen once, in the order found. ``classify`` says whether a resource
is worth downloading (tabular or JSON, or a zip of those) and, if not, why.

The base URL is an option (``DEFAULT_BASE_URL`` by default) and the HTTP client is
injected through the ``Downloader``, so tests point both at a server on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from fundtrail.harvest.download import Downloader

DEFAULT_BASE_URL = "https://www.data.gouv.fr/api/1"
DEFAULT_SCHEMA = "scdl/subventions"

# Formats fundtrail reads (or a zip of them): CSV-like text, spreadsheets, JSON.
TABULAR_FORMATS = frozenset({"csv", "tsv", "txt", "xls", "xlsx", "ods", "json"})
ARCHIVE_FORMATS = frozenset({"zip"})
_ALIASES = {
    "text/csv": "csv",
    "application/csv": "csv",
    "csv.gz": "csv",
    "application/json": "json",
    "geojson": "json",
    "jsonl": "json",
    "ndjson": "json",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/zip": "zip",
    "text/plain": "txt",
    "text/tab-separated-values": "tsv",
}
# Guard against a catalogue whose next_page never becomes null.
MAX_PAGES = 10_000


@dataclass(frozen=True)
class Angle:
    """One way of finding datasets: exactly one of schema, tag or query."""

    schema: str | None = None
    tag: str | None = None
    query: str | None = None

    def params(self) -> dict[str, str]:
        """Return the query parameters of this angle for ``/datasets/``."""
        if self.schema:
            return {"schema": self.schema}
        if self.tag:
            return {"tag": self.tag}
        if self.query:
            return {"q": self.query}
        return {}

    def label(self) -> str:
        """Return a short label of this angle, such as ``schema=scdl/subventions``."""
        return "&".join(f"{k}={v}" for k, v in self.params().items()) or "all"


@dataclass(frozen=True)
class Resource:
    """A downloadable resource of a dataset, as the catalogue describes it."""

    id: str | None
    title: str | None
    url: str | None
    format: str | None
    checksum_type: str | None
    checksum_value: str | None
    filesize: int | None
    last_modified: str | None
    schema: str | None
    mime: str | None = None


@dataclass
class Dataset:
    """A dataset of the catalogue with its resources and the angles that found it."""

    id: str
    title: str | None
    page: str | None
    last_modified: str | None
    organization: str | None
    resources: list[Resource]
    angles: list[str] = field(default_factory=list)


@dataclass
class Listing:
    """The datasets found by ``discover`` and the catalogue pages that could not be read."""

    datasets: list[Dataset]
    failures: list[tuple[str, str]] = field(default_factory=list)  # (page url, detail)

    @property
    def complete(self) -> bool:
        """Return True when every catalogue page was read."""
        return not self.failures


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def parse_resource(data: dict[str, Any]) -> Resource:
    """Return the ``Resource`` of one udata resource object (missing keys become None)."""
    checksum = data.get("checksum") or {}
    schema = data.get("schema") or {}
    schema_name = schema.get("name") if isinstance(schema, dict) else None
    return Resource(
        id=data.get("id"),
        title=data.get("title"),
        url=data.get("url") or data.get("latest"),
        format=(data.get("format") or None),
        checksum_type=checksum.get("type") if isinstance(checksum, dict) else None,
        checksum_value=checksum.get("value") if isinstance(checksum, dict) else None,
        filesize=_int_or_none(data.get("filesize")),
        last_modified=data.get("last_modified") or data.get("created_at"),
        schema=schema_name,
        mime=data.get("mime"),
    )


def resource_format(resource: Resource) -> str | None:
    """Return the normalised format of ``resource``: declared, else MIME, else URL suffix."""
    for candidate in (resource.format, resource.mime):
        if candidate:
            text = candidate.strip().lower().lstrip(".")
            return _ALIASES.get(text, text)
    if resource.url:
        path = urlsplit(resource.url).path.lower()
        if "." in path.rsplit("/", 1)[-1]:
            suffix = path.rsplit(".", 1)[-1]
            return _ALIASES.get(suffix, suffix)
    return None


def classify(resource: Resource) -> tuple[bool, str | None, str | None]:
    """Return (keep, refusal code, detail) for ``resource``."""
    if not resource.url:
        return False, "resource-no-url", None
    fmt = resource_format(resource)
    if fmt in TABULAR_FORMATS or fmt in ARCHIVE_FORMATS:
        return True, None, None
    return False, "resource-format-unsupported", fmt or "unknown"


class CatalogueClient:
    """Lists datasets of a udata catalogue through a ``Downloader`` (retries, rate limit)."""

    def __init__(
        self, downloader: Downloader, base_url: str = DEFAULT_BASE_URL, page_size: int = 100
    ) -> None:
        self.downloader = downloader
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size

    def _pages(self, url: str, params: dict[str, str] | None) -> Iterator[dict[str, Any]]:
        """Yield every page from ``url`` on, following ``next_page`` until it is null."""
        seen: set[str] = set()
        next_url: str | None = url
        for _ in range(MAX_PAGES):
            if next_url is None:
                return
            page = self.downloader.get_json(next_url, params=params)
            if not isinstance(page, dict):
                raise ValueError(f"catalogue page is not a JSON object: {next_url}")
            yield page
            following = page.get("next_page")
            params = None  # next_page already carries the query string
            if following is not None and following in seen:
                return  # a catalogue that points back to a page it already gave
            if following is not None:
                seen.add(following)
            next_url = following

    def list_datasets(self, angle: Angle) -> Iterator[Dataset]:
        """Yield the datasets of one angle, page after page (raises when a page fails)."""
        params = {**angle.params(), "page_size": str(self.page_size), "page": "1"}
        for page in self._pages(f"{self.base_url}/datasets/", params):
            for data in page.get("data") or []:
                yield self._dataset(data)

    def _dataset(self, data: dict[str, Any]) -> Dataset:
        resources = data.get("resources")
        if isinstance(resources, dict) and resources.get("href"):
            # Newer udata answers give a link to the resources instead of the list.
            items: list[dict[str, Any]] = []
            for page in self._pages(str(resources["href"]), None):
                items.extend(page.get("data") or [])
            resources = items
        organization = data.get("organization")
        return Dataset(
            id=str(data.get("id")),
            title=data.get("title"),
            page=data.get("page"),
            last_modified=data.get("last_modified") or data.get("last_update"),
            organization=organization.get("name") if isinstance(organization, dict) else None,
            resources=[parse_resource(r) for r in resources or [] if isinstance(r, dict)],
        )

    def discover(self, angles: list[Angle]) -> Listing:
        """Return the datasets found by ``angles``, each once, with the angles that found it."""
        found: dict[str, Dataset] = {}
        failures: list[tuple[str, str]] = []
        for angle in angles:
            try:
                for dataset in self.list_datasets(angle):
                    known = found.setdefault(dataset.id, dataset)
                    if angle.label() not in known.angles:
                        known.angles.append(angle.label())
            except (httpx.HTTPError, ValueError) as exc:
                # The other angles still run; the listing says it is incomplete.
                failures.append((f"{self.base_url}/datasets/?{angle.label()}", str(exc)))
        return Listing(list(found.values()), failures)
