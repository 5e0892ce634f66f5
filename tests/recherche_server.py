"""A local server speaking the documented /search protocol of the API Recherche d'entreprises.

It answers ``GET /search?q=&page=&per_page=`` with the documented JSON shape
(``results``, ``total_results``, ``page``, ``per_page``, ``total_pages``; each result with
``siren``, ``nom_complet``, ``nom_raison_sociale``, ``nature_juridique``,
``activite_principale``, ``etat_administratif``, ``date_creation``, ``date_fermeture`` and a
``siege`` with ``siret``, ``code_postal``, ``libelle_commune``), a 400 without ``q``, and 429
with ``Retry-After`` when told to refuse the first requests. It runs on 127.0.0.1 in a
thread: tests talk to it over real HTTP.
"""

from __future__ import annotations

import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

UNITS: list[dict[str, Any]] = [
    {
        "siren": "775681000",
        "nom_complet": "ASSOCIATION SPORTIVE DE LA POLICE DE PARIS (ASPP)",
        "nom_raison_sociale": "ASSOCIATION SPORTIVE DE LA POLICE DE PARIS",
        "sigle": "ASPP",
        "nature_juridique": "9220",
        "activite_principale": "93.12Z",
        "etat_administratif": "A",
        "date_creation": "1945-01-01",
        "date_fermeture": None,
        "siege": {
            "siret": "77568100000016",
            "code_postal": "75012",
            "libelle_commune": "PARIS",
            "etat_administratif": "A",
        },
    },
    {
        "siren": "552100554",
        "nom_complet": "LES AMIS DU PARC",
        "nom_raison_sociale": "LES AMIS DU PARC",
        "sigle": None,
        "nature_juridique": "9220",
        "activite_principale": "94.99Z",
        "etat_administratif": "C",
        "date_creation": "2001-03-04",
        "date_fermeture": "2021-06-30",
        "siege": {
            "siret": "55210055400013",
            "code_postal": "49000",
            "libelle_commune": "ANGERS",
            "etat_administratif": "F",
        },
    },
]


class RechercheServer:
    """The server, its address, and what it saw (request times, queries)."""

    def __init__(self, units: list[dict[str, Any]] | None = None, refuse_first: int = 0,
                 retry_after: str = "0") -> None:  # fmt: skip
        self.units = units if units is not None else UNITS
        self.refuse_first = refuse_first
        self.retry_after = retry_after
        self.times: list[float] = []
        self.queries: list[str] = []
        self.refused = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Return the base URL of the running server."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> RechercheServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def search(self, q: str, page: int, per_page: int) -> dict[str, Any]:
        """Return the documented /search answer for ``q``."""
        needle = q.strip().upper()
        hits = [
            u
            for u in self.units
            if needle in (u["siren"], u["siege"]["siret"]) or needle in u["nom_complet"].upper()
        ]
        start = (page - 1) * per_page
        return {
            "results": hits[start : start + per_page],
            "total_results": len(hits),
            "page": page,
            "per_page": per_page,
            "total_pages": math.ceil(len(hits) / per_page) if hits else 0,
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet tests
                return

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                server.times.append(time.monotonic())
                url = urlparse(self.path)
                if url.path != "/search":
                    self._send(404, {"erreur": "not found"}, {})
                    return
                if server.refused < server.refuse_first:
                    server.refused += 1
                    self._send(429, {"erreur": "Trop de requêtes"},
                               {"Retry-After": server.retry_after})  # fmt: skip
                    return
                query = parse_qs(url.query)
                q = (query.get("q") or [""])[0]
                if not q:
                    self._send(400, {"erreur": "Veuillez indiquer au moins un terme"}, {})
                    return
                server.queries.append(q)
                page = int((query.get("page") or ["1"])[0])
                per_page = int((query.get("per_page") or ["10"])[0])
                self._send(200, server.search(q, page, per_page), {})

        return Handler
