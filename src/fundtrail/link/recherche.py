"""Client of the public "API Recherche d'entreprises" (recherche-entreprises.api.gouv.fr).

Only its documented ``GET /search?q=...&page=&per_page=`` endpoint is used. The client keeps
to the published limit of 7 requests per second, retries a 429 answer after the
``Retry-After`` delay it gives (a few times, then gives up), and keeps every answer in a
local cache folder so that a rerun asks nothing twice. The HTTP transport is injected
(``httpx`` transport), so tests talk to a real local server on loopback.

``enrich_from_api`` asks for each organisation of the store that has a SIREN and no register
entry yet, and stores the answer in ``register_units`` (source ``recherche-api``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import httpx

from fundtrail.errors import FundtrailError
from fundtrail.link.schema import create_link_schema

BASE_URL = "https://recherche-entreprises.api.gouv.fr"
RATE_PER_SECOND = 7.0
MAX_RETRIES = 4


class RechercheError(FundtrailError):
    """The API could not answer (after retries), or answered something unreadable."""


class RechercheClient:
    """A polite client of the /search endpoint: rate limit, 429 retries, local cache."""

    def __init__(
        self,
        base_url: str = BASE_URL,
        *,
        cache_dir: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        rate: float = RATE_PER_SECOND,
        max_retries: int = MAX_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = httpx.Client(base_url=base_url, transport=transport, timeout=30.0)
        self.cache_dir = cache_dir
        self.interval = 1.0 / rate
        self.max_retries = max_retries
        self.sleep = sleep
        self.clock = clock
        self.last_request: float | None = None
        self.requests = 0  # HTTP requests actually sent (cache hits excluded)

    def close(self) -> None:
        """Close the underlying HTTP connection pool."""
        self.client.close()

    def _cache_file(self, params: dict[str, Any]) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
        return self.cache_dir / f"search-{key}.json"

    def _wait_turn(self) -> None:
        if self.last_request is not None:
            wait = self.last_request + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request = self.clock()

    def search(self, q: str, page: int = 1, per_page: int = 10) -> dict[str, Any]:
        """Return the decoded JSON answer of ``/search`` for ``q`` (from the cache if there)."""
        params: dict[str, Any] = {"q": q, "page": page, "per_page": per_page}
        cache = self._cache_file(params)
        if cache is not None and cache.exists():
            return dict(json.loads(cache.read_text(encoding="utf-8")))
        for attempt in range(self.max_retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                response = self.client.get("/search", params=params)
            except httpx.HTTPError as exc:
                raise RechercheError(f"recherche-entreprises: {exc}") from exc
            if response.status_code == 429 and attempt < self.max_retries:
                self.sleep(_retry_after(response.headers.get("Retry-After")))
                continue
            if response.status_code != 200:
                raise RechercheError(
                    f"recherche-entreprises answered {response.status_code} for q={q!r}"
                )
            try:
                data = response.json()
            except ValueError as exc:
                raise RechercheError("recherche-entreprises answered non-JSON") from exc
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            return dict(data)
        raise RechercheError(f"recherche-entreprises: still 429 after {self.max_retries} retries")


def _retry_after(value: str | None) -> float:
    """Return the delay in seconds a Retry-After header asks for (1 s when unreadable)."""
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except ValueError:
        return 1.0


def unit_from_result(result: dict[str, Any]) -> dict[str, Any] | None:
    """Return the register_units row of one /search result, or None without a SIREN."""
    siren = str(result.get("siren") or "")
    if len(siren) != 9 or not siren.isdigit():
        return None
    siege = result.get("siege") or {}
    state = (result.get("etat_administratif") or "").upper()
    return {
        "siren": siren,
        "name": result.get("nom_raison_sociale") or result.get("nom_complet"),
        "legal_category": result.get("nature_juridique"),
        "activity": result.get("activite_principale"),
        "commune": siege.get("libelle_commune"),
        "postcode": siege.get("code_postal"),
        "status": {"A": "active", "C": "closed"}.get(state),
        "created": result.get("date_creation"),
        "closed": result.get("date_fermeture"),
    }


def enrich_from_api(
    con: duckdb.DuckDBPyConnection, client: RechercheClient, limit: int | None = None
) -> dict[str, int]:
    """Ask the API about the store's SIRENs without a register entry; return counts.

    The counts are ``asked`` (SIRENs queried), ``found`` (stored) and ``missing``.
    """
    create_link_schema(con)
    sirens = [
        str(r[0])
        for r in con.execute(
            """SELECT DISTINCT o.siren FROM organisations o
               WHERE o.siren IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM register_units r WHERE r.siren = o.siren)
               ORDER BY o.siren"""
        ).fetchall()
    ]
    if limit is not None:
        sirens = sirens[:limit]
    found = 0
    for siren in sirens:  # one request per SIREN is the API's own unit: no set-based form
        answer = client.search(siren)
        units = [u for r in answer.get("results", []) if (u := unit_from_result(r))]
        unit = next((u for u in units if u["siren"] == siren), None)
        if unit is None:
            continue
        con.execute(
            """INSERT OR REPLACE INTO register_units VALUES ($siren, $name, $legal_category,
               $activity, $commune, $postcode, $status, try_cast($created AS DATE),
               try_cast($closed AS DATE), 'recherche-api')""",
            unit,
        )
        found += 1
    return {"asked": len(sirens), "found": found, "missing": len(sirens) - found}
