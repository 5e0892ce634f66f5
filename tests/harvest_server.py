"""A real udata-like catalogue server on 127.0.0.1 for the harvest tests.

It speaks the documented data.gouv.fr API v1 shape (``/api/1/datasets/`` with ``data``,
``page``, ``page_size``, ``total``, ``next_page``; datasets with ``id``, ``title``,
``resources``; resources with ``id``, ``title``, ``url``, ``format``, ``checksum``,
``filesize``, ``last_modified``, ``schema``) and serves the files, with ETag,
Last-Modified, conditional requests (304) and byte ranges (206), like a real static host.

The catalogue is built from the 504 real entries of a harvester's survey of data.gouv.fr
(``survey/wald52-dons-aux-associations/scdl.json``: titles, dates, encodings, separators
and header lines). A file whose sha256 is one of the real files in ``data/real`` is served
with those very bytes; every other file is a small CSV built from the entry's real header
line, in its real encoding and separator, whose rows are clearly synthetic (they exist only
inside these tests). Two entries that share a URL or a sha256 in the survey share them here
too, as on data.gouv.fr.

``failures=True`` adds a dataset whose resources misbehave, each in one documented way:
404; 500 then success; 503 with Retry-After then success; a body cut short once (then
resumable with a range); a body cut short once by a host that ignores ranges; a body
always cut short; a checksum that does not match; a redirect loop; a slow answer; an
empty body; a non-tabular resource. ``/chain/N`` redirects to ``/chain/N+1`` without end.
``FAILURES`` names them and the manifest state a harvest must end in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import stdnum.fr.siret
import stdnum.luhn

from fundtrail.sources.headers import canonical_name

SURVEY = Path("survey/wald52-dons-aux-associations/scdl.json")


def _valid_siret(siren8: str) -> str:
    """Return a valid SIRET whose SIREN starts with the 8 digits ``siren8``."""
    siren = siren8 + stdnum.luhn.calc_check_digit(siren8)
    for digit in range(10):
        candidate = siren + "0001" + str(digit)
        if stdnum.fr.siret.is_valid(candidate):
            return candidate
    raise ValueError(siren8)


FUNDER_SIRET = _valid_siret("21750001")
BENEFICIARY_SIRET = _valid_siret("44245678")

# Values of the synthetic rows, by canonical field: plausible so that the pipeline accepts
# them, and labelled "synthétique" wherever text is free so that nobody takes them for real.
SYNTHETIC_VALUES = {
    "nomAttribuant": ["Collectivité synthétique (test)", "Collectivité synthétique (test)"],
    "idAttribuant": [FUNDER_SIRET, FUNDER_SIRET],
    "dateConvention": ["2024-03-15", "2024-06-30"],
    "referenceDecision": ["SYNTH-2024-001", "SYNTH-2024-002"],
    "nomBeneficiaire": ["Association synthétique de test n°1", "Association synthétique n°2"],
    "idBeneficiaire": [BENEFICIARY_SIRET, BENEFICIARY_SIRET],
    "rnaBeneficiaire": ["W751000001", "W751000002"],
    "objet": ["Ligne synthétique de test", "Ligne synthétique de test"],
    "montant": ["1500", "2500.50"],
    "nature": ["aide en numéraire", "aide en numéraire"],
    "conditionsVersement": ["unique", "unique"],
    "datesPeriodeVersement": ["2024-04-01", "2024-07-01"],
    "notificationUE": ["non", "non"],
    "pourcentageSubvention": ["1", "1"],
}


def synthetic_csv(columns: list[str], encoding: str, separator: str, tag: str = "") -> bytes:
    """Return a 2-row CSV under the real header ``columns``, with clearly synthetic rows.

    ``tag`` goes into the free-text cells of each row, so that two files with the same header do
    not come out as the same bytes (they would be one file to a content-addressed store).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(columns)
    for index in range(2):
        row = []
        for column in columns:
            name = canonical_name(column) if column else None
            if name in ("objet", "nomBeneficiaire") and tag:
                row.append(f"{SYNTHETIC_VALUES[name][index]} ({tag})")
            elif name in SYNTHETIC_VALUES:
                row.append(SYNTHETIC_VALUES[name][index])
            elif column:
                row.append(f"synthétique {tag}".strip())
            else:
                row.append("")
        writer.writerow(row)
    return buffer.getvalue().encode(encoding, errors="replace")


def _http_date(text: str | None) -> str:
    try:
        moment = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(2024, 1, 1, tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@dataclass
class Served:
    """One file the server serves, and how it misbehaves ("ok" when it does not)."""

    body: bytes
    last_modified: str
    behaviour: str = "ok"
    real: bool = False

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


# name -> (behaviour, manifest state a harvest ends in, reason code or None)
FAILURES: dict[str, tuple[str, str, str | None]] = {
    "missing.csv": ("404", "failed", "download-http-error"),
    "flaky.csv": ("500-once", "kept", None),
    "busy.csv": ("503-once", "kept", None),
    "broken-once.csv": ("truncate-once", "kept", None),
    "broken-always.csv": ("truncate-always", "failed", "download-truncated"),
    "no-ranges.csv": ("truncate-once-no-range", "kept", None),
    "tampered.csv": ("checksum-wrong", "failed", "download-checksum-mismatch"),
    "loop.csv": ("loop", "failed", "download-redirect-loop"),
    "slow.csv": ("slow", "failed", "download-timeout"),
    "empty.csv": ("empty", "failed", "download-empty"),
    "notes.pdf": ("ok", "refused", "resource-format-unsupported"),
}


@dataclass
class Catalogue:
    """The datasets (udata objects without URLs resolved) and the files by path."""

    datasets: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, Served] = field(default_factory=dict)


def build_catalogue(
    shared_data: Path, failures: bool = False, limit: int | None = None, every: int = 1
) -> Catalogue:
    """Return the catalogue built from the survey of 504 real entries (see module doc).

    ``every`` keeps one dataset in ``every`` (spread over the whole survey), ``limit`` stops
    after that many files: the store tests use a sample to stay fast.
    """
    survey = json.loads((shared_data / SURVEY).read_text(encoding="utf-8"))
    real: dict[str, bytes] = {}
    for path in sorted((shared_data / "real").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            real[hashlib.sha256(data).hexdigest()] = data
    catalogue = Catalogue()
    by_url: dict[str, str] = {}
    algorithms = ("sha256", "sha1", "md5", None)
    count = 0
    for dataset in survey["datasets"][::every]:
        if limit is not None and count >= limit:
            break
        resources = []
        for entry in dataset["fichiers"]:
            count += 1
            original = entry["url"]
            if original not in by_url:
                body = real.get(entry["sha256"])
                served_path = "/files/" + hashlib.sha1(original.encode()).hexdigest()[:16]
                served_path += "/" + quote(Path(urlsplit(original).path).name or "export.csv")
                catalogue.files[served_path] = Served(
                    body=body
                    if body is not None
                    else synthetic_csv(
                        entry["colonnes"],
                        entry["encodage"],
                        entry["separateur"],
                        entry["sha256"][:12],
                    ),
                    last_modified=_http_date(dataset.get("derniere_maj")),
                    real=body is not None,
                )
                by_url[original] = served_path
            served_path = by_url[original]
            body = catalogue.files[served_path].body
            algorithm = algorithms[count % len(algorithms)]
            resources.append(
                {
                    "id": entry["resource_id"],
                    "title": entry["titre"],
                    "url": served_path,
                    "format": "csv",
                    "mime": "text/csv",
                    "checksum": (
                        {"type": algorithm, "value": hashlib.new(algorithm, body).hexdigest()}
                        if algorithm
                        else None
                    ),
                    "filesize": len(body),
                    "last_modified": dataset.get("derniere_maj"),
                    "schema": {"name": "scdl/subventions", "version": None},
                }
            )
        catalogue.datasets.append(
            {
                "id": dataset["dataset_id"],
                "title": dataset["titre"],
                "slug": dataset["slug"],
                "page": dataset["page"],
                "last_modified": dataset.get("derniere_maj"),
                "tags": ["subventions"],
                "organization": (
                    {"id": dataset.get("organisation_id"), "name": dataset["organisation"]}
                    if dataset.get("organisation")
                    else None
                ),
                "resources": resources,
            }
        )
    if failures:
        _add_failures(catalogue)
    return catalogue


def _add_failures(catalogue: Catalogue) -> None:
    resources = []
    for index, (name, (behaviour, _state, _reason)) in enumerate(FAILURES.items()):
        if name.endswith(".csv"):
            # A distinct last column per file, so that no two failing files share bytes.
            data = synthetic_csv(
                [
                    "nomAttribuant",
                    "idAttribuant",
                    "dateConvention",
                    "nomBeneficiaire",
                    "idBeneficiaire",
                    "objet",
                    "montant",
                    "nature",
                    f"synthetic{index}",
                ],
                "utf-8",
                ";",
            )
        else:
            data = b"%PDF-1.4 synthetic test document\n"
        path = f"/failures/{name}"
        catalogue.files[path] = Served(data, _http_date("2025-01-01"), behaviour)
        checksum = hashlib.sha256(data).hexdigest()
        if behaviour == "checksum-wrong":
            checksum = hashlib.sha256(data + b"x").hexdigest()
        resources.append(
            {
                "id": f"failure-{index}",
                "title": name,
                "url": path,
                "format": name.rsplit(".", 1)[-1],
                "checksum": {"type": "sha256", "value": checksum},
                "filesize": len(data),
                "last_modified": "2025-01-01T00:00:00",
                "schema": {"name": "scdl/subventions"},
            }
        )
    catalogue.datasets.append(
        {
            "id": "failures",
            "title": "Ressources défaillantes (test)",
            "page": None,
            "last_modified": "2025-01-01T00:00:00",
            "tags": ["subventions", "failures"],
            "organization": None,
            "resources": resources,
        }
    )


class _QuietServer(ThreadingHTTPServer):
    """A threading server that does not print the clients that hang up on purpose."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


class CatalogueServer:
    """The server: ``with CatalogueServer(catalogue) as server: server.api_url``."""

    def __init__(self, catalogue: Catalogue, slow_seconds: float = 2.0) -> None:
        self.catalogue = catalogue
        self.slow_seconds = slow_seconds
        self.hits: dict[str, int] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.failing_pages: set[int] = set()  # catalogue pages that answer 500 once
        handler = _make_handler(self)
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return self.base + "/api/1"

    def __enter__(self) -> CatalogueServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def count(self, path: str) -> int:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]

    def page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """Return one catalogue page for ``query`` (schema, tag, q, page, page_size)."""

        def first(key: str) -> str | None:
            values = query.get(key)
            return values[0] if values else None

        datasets = self.catalogue.datasets
        if first("schema"):
            datasets = [
                d
                for d in datasets
                if any(
                    (r.get("schema") or {}).get("name") == first("schema") for r in d["resources"]
                )
            ]
        if first("tag"):
            datasets = [d for d in datasets if first("tag") in d.get("tags", [])]
        if first("q"):
            words = (first("q") or "").lower().split()
            datasets = [d for d in datasets if all(w in (d["title"] or "").lower() for w in words)]
        page = int(first("page") or 1)
        size = int(first("page_size") or 20)
        chunk = datasets[(page - 1) * size : page * size]
        following = None
        if page * size < len(datasets):
            params = {k: v[0] for k, v in query.items()}
            params["page"] = str(page + 1)
            following = (
                self.api_url
                + "/datasets/?"
                + "&".join(f"{k}={quote(v, safe='/')}" for k, v in params.items())
            )
        return {
            "data": [self._resolved(d) for d in chunk],
            "page": page,
            "page_size": size,
            "total": len(datasets),
            "next_page": following,
            "previous_page": None,
        }

    def _resolved(self, dataset: dict[str, Any]) -> dict[str, Any]:
        resources = [{**r, "url": self.base + r["url"]} for r in dataset["resources"]]
        return {**dataset, "resources": resources}


def _make_handler(server: CatalogueServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without this, delayed ACKs add 40 ms
        # to every request on loopback.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def _send(
            self,
            status: int,
            body: bytes = b"",
            headers: dict[str, str] | None = None,
            content_type: str = "text/plain",
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            with server.lock:
                server.log.append((parts.path, dict(self.headers.items())))
            if parts.path.rstrip("/") == "/api/1/datasets":
                query = parse_qs(parts.query)
                page = int((query.get("page") or ["1"])[0])
                if page in server.failing_pages and server.count(f"page{page}") == 1:
                    self._send(500, b"catalogue hiccup")
                    return
                body = json.dumps(server.page(query), ensure_ascii=False).encode()
                self._send(200, body, content_type="application/json")
                return
            if parts.path.startswith("/chain/"):
                # An endless chain of distinct redirects: /chain/1 -> /chain/2 -> ...
                step = int(parts.path.rsplit("/", 1)[-1])
                self._send(302, headers={"Location": f"/chain/{step + 1}"})
                return
            if parts.path.startswith("/failures/loop"):
                target = (
                    "/failures/loop-b.csv"
                    if parts.path.endswith("loop.csv")
                    else ("/failures/loop.csv")
                )
                self._send(302, headers={"Location": target})
                return
            served = server.catalogue.files.get(parts.path)
            if served is None:
                self._send(404, b"not found")
                return
            self._file(parts.path, served)

        def _file(self, path: str, served: Served) -> None:
            hits = server.count(path)
            behaviour = served.behaviour
            if behaviour == "404":
                self._send(404, b"not found")
                return
            if behaviour == "500-once" and hits == 1:
                self._send(500, b"internal error")
                return
            if behaviour == "503-once" and hits == 1:
                self._send(503, b"busy", headers={"Retry-After": "1"})
                return
            if behaviour == "slow":
                time.sleep(server.slow_seconds)
            headers = {
                "ETag": served.etag,
                "Last-Modified": served.last_modified,
                "Accept-Ranges": "bytes",
            }
            if self.headers.get("If-None-Match") == served.etag or (
                not self.headers.get("If-None-Match")
                and self.headers.get("If-Modified-Since") == served.last_modified
            ):
                self._send(304, headers=headers)
                return
            body = b"" if behaviour == "empty" else served.body
            start = 0
            ranged = self.headers.get("Range")
            if behaviour == "truncate-once-no-range":
                ranged = None  # a host that ignores ranges and always sends the whole body
            if (
                ranged
                and ranged.startswith("bytes=")
                and self.headers.get("If-Range")
                in (
                    served.etag,
                    served.last_modified,
                )
            ):
                start = int(ranged[6:].split("-", 1)[0])
            status = 206 if start else 200
            if start:
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
            part = body[start:]
            cut = behaviour == "truncate-always" or (
                behaviour in ("truncate-once", "truncate-once-no-range") and hits == 1
            )
            self.send_response(status)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(part)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if cut:
                # Half the body, then the connection drops: the client sees a short body.
                self.wfile.write(part[: max(1, len(part) // 2)])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(part)

    return Handler
