"""Polite, verified HTTP downloads: retries, rate limit, conditional requests, resume.

``Downloader.fetch`` downloads one URL into a temporary file of the archive and says what
happened as data (a ``Fetched``), never by raising: a 404, a redirect loop, a timeout, a
truncated body or a checksum that does not match are outcomes with a catalogue code. It

- waits between requests so as not to exceed ``Policy.rate`` requests a second;
- retries 5xx, 429, timeouts, broken connections and truncated bodies, with exponential
  backoff (``Policy.backoff`` * 2**attempt, capped), at most ``Policy.retries`` times;
- sends If-None-Match / If-Modified-Since when the previous harvest saw the URL, and
  reports "not-modified" on a 304;
- resumes a broken body with ``Range: bytes=N-`` (guarded by If-Range) instead of
  starting over, and starts over when the server ignores the range;
- follows redirects itself, to detect loops and cap their number;
- refuses bodies larger than ``Policy.max_bytes``;
- checks the bytes against the catalogue checksum (sha1, sha256, sha512 or md5).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_ALGORITHMS = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512", "md5": "md5"}


@dataclass(frozen=True)
class Policy:
    """How politely and how patiently to download."""

    timeout: float = 60.0  # seconds, per network operation (connect, each read)
    attempt_deadline: float = 900.0  # seconds, whole body of one attempt (slow drip guard)
    retries: int = 4  # further attempts after the first
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    backoff_max: float = 60.0
    rate: float | None = 2.0  # requests a second at most; None for no limit
    max_bytes: int = 512 * 1024 * 1024
    max_redirects: int = 10
    user_agent: str = "fundtrail-harvest (+https://github.com/fundtrail)"


@dataclass(frozen=True)
class Conditional:
    """What the previous harvest learnt about a URL, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The outcome of one download: ok (bytes in ``path``), not-modified, or failed."""

    status: Literal["ok", "not-modified", "failed"]
    url: str
    final_url: str | None = None
    path: Path | None = None  # temporary file holding the bytes when ok
    size: int | None = None
    sha256: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # catalogue code when failed
    detail: str | None = None
    attempts: int = 0
    resumed: bool = False


class RateLimiter:
    """Spaces the start of requests by at least 1/rate seconds."""

    def __init__(
        self,
        rate: float | None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.clock = clock
        self.sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        """Return once the next request may start."""
        if self.interval and self._last is not None:
            delay = self._last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


class _Retry(Exception):
    """An attempt failed in a way worth retrying; carries the catalogue code."""

    def __init__(
        self, reason: str, detail: str, status: int | None = None, wait: float | None = None
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.wait = wait  # seconds the server asked for (Retry-After), if any


def _retry_after(value: str | None) -> float | None:
    """Return the seconds of a ``Retry-After: <seconds>`` header, or None."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


class _Fail(Exception):
    """An attempt failed for good (no retry helps)."""

    def __init__(self, reason: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status


def checksum_matches(path: Path, kind: str, value: str) -> bool | None:
    """Return whether ``path`` hashes to ``value`` with ``kind``; None for an unknown kind."""
    algorithm = _ALGORITHMS.get(kind.lower().replace("-", ""))
    if algorithm is None:
        return None
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest().lower() == value.strip().lower()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Downloader:
    """Downloads with a shared httpx client, one request at a time, politely."""

    def __init__(
        self,
        client: httpx.Client,
        policy: Policy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.policy = policy or Policy()
        self.sleep = sleep
        self.clock = clock
        self.limiter = RateLimiter(self.policy.rate, clock=clock, sleep=sleep)
        self.requests = 0

    # -- JSON (catalogue pages) -------------------------------------------------------------

    def get_json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        """Return the parsed JSON at ``url``, retried like a download; raise on failure.

        Raises ``httpx.HTTPError`` (or ``ValueError`` for a body that is not JSON) once the
        retries are spent: a catalogue page that cannot be read makes the listing incomplete,
        which the caller records.
        """
        attempt = 0
        while True:
            self.limiter.wait()
            self.requests += 1
            try:
                response = self.client.get(
                    url,
                    params=params,
                    timeout=self.policy.timeout,
                    follow_redirects=True,
                    headers={"User-Agent": self.policy.user_agent, "Accept": "application/json"},
                )
                if response.status_code in _RETRY_STATUSES and attempt < self.policy.retries:
                    raise _Retry("catalogue-http-error", f"HTTP {response.status_code}")
                response.raise_for_status()
                return response.json()
            except (_Retry, httpx.TransportError):
                if attempt >= self.policy.retries:
                    raise
                self._backoff(attempt, None)
                attempt += 1

    # -- files ---------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        tmp_dir: Path,
        conditional: Conditional | None = None,
        checksum: tuple[str, str] | None = None,
    ) -> Fetched:
        """Return the outcome of downloading ``url`` into a new file of ``tmp_dir``.

        On "ok" the caller owns ``Fetched.path`` (move it into the archive, or delete it);
        on any other outcome no file is left behind.
        """
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="dl-", suffix=".part")
        os.close(fd)
        part = Path(name)
        state: dict[str, Any] = {"validator": None, "resumed": False}
        attempt = 0
        last: _Retry | None = None
        try:
            while attempt <= self.policy.retries:
                if attempt:
                    self._backoff(attempt - 1, last.wait if last else None)
                try:
                    outcome = self._attempt(url, part, conditional, state)
                except _Retry as exc:
                    last = exc
                    attempt += 1
                    continue
                except _Fail as exc:
                    return Fetched(
                        "failed",
                        url,
                        http_status=exc.status,
                        reason=exc.reason,
                        detail=exc.detail,
                        attempts=attempt + 1,
                    )
                if outcome.status != "ok":
                    return _with_attempts(outcome, attempt + 1)
                return self._verify(outcome, part, checksum, attempt + 1, state)
            assert last is not None
            return Fetched(
                "failed",
                url,
                http_status=last.status,
                reason=last.reason,
                detail=f"{last.detail} (after {attempt} attempts)",
                attempts=attempt,
                resumed=bool(state["resumed"]),
            )
        finally:
            # Only a verified download hands its file over; everything else is cleaned up.
            if part.exists() and not state.get("handed_over"):
                part.unlink()

    def _verify(
        self,
        outcome: Fetched,
        part: Path,
        checksum: tuple[str, str] | None,
        attempts: int,
        state: dict[str, Any],
    ) -> Fetched:
        size = part.stat().st_size
        if size == 0:
            return Fetched(
                "failed",
                outcome.url,
                final_url=outcome.final_url,
                http_status=outcome.http_status,
                reason="download-empty",
                detail="0 bytes",
                attempts=attempts,
            )
        sha256 = _sha256(part)
        if checksum is not None:
            kind, value = checksum
            matches = checksum_matches(part, kind, value)
            if matches is False:
                return Fetched(
                    "failed",
                    outcome.url,
                    final_url=outcome.final_url,
                    http_status=outcome.http_status,
                    size=size,
                    sha256=sha256,
                    reason="download-checksum-mismatch",
                    detail=f"{kind} expected {value}, received bytes have sha256 {sha256}",
                    attempts=attempts,
                )
        state["handed_over"] = True
        return Fetched(
            "ok",
            outcome.url,
            final_url=outcome.final_url,
            path=part,
            size=size,
            sha256=sha256,
            http_status=outcome.http_status,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            attempts=attempts,
            resumed=bool(state["resumed"]),
        )

    def _backoff(self, attempt: int, asked: float | None) -> None:
        delay = self.policy.backoff * (2**attempt)
        if asked is not None:
            # A server that says when to come back is obeyed, within the same cap.
            delay = max(delay, asked)
        self.sleep(min(delay, self.policy.backoff_max))

    def _request_headers(
        self, part: Path, conditional: Conditional | None, state: dict[str, Any]
    ) -> dict[str, str]:
        headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"}
        have = part.stat().st_size
        validator = state.get("validator")
        if have and validator:
            # Resume only against the same version of the file (If-Range): a changed file
            # comes back whole with 200 and the partial bytes are dropped.
            headers["Range"] = f"bytes={have}-"
            headers["If-Range"] = validator
        elif conditional is not None:
            if conditional.etag:
                headers["If-None-Match"] = conditional.etag
            if conditional.last_modified:
                headers["If-Modified-Since"] = conditional.last_modified
        return headers

    def _attempt(
        self, url: str, part: Path, conditional: Conditional | None, state: dict[str, Any]
    ) -> Fetched:
        current = url
        seen = {url}
        for _hop in range(self.policy.max_redirects + 1):
            headers = self._request_headers(part, conditional, state)
            self.limiter.wait()
            self.requests += 1
            try:
                with self.client.stream(
                    "GET",
                    current,
                    headers=headers,
                    timeout=self.policy.timeout,
                    follow_redirects=False,
                ) as response:
                    status = response.status_code
                    if status in _REDIRECTS:
                        location = response.headers.get("Location")
                        if not location:
                            raise _Fail(
                                "download-http-error", f"HTTP {status} without Location", status
                            )
                        target = str(response.url.join(location))
                        if target in seen:
                            raise _Fail("download-redirect-loop", f"{current} -> {target}", status)
                        seen.add(target)
                        current = target
                        continue
                    if status == 304:
                        return Fetched(
                            "not-modified",
                            url,
                            final_url=current,
                            http_status=304,
                            etag=response.headers.get("ETag")
                            or (conditional.etag if conditional else None),
                            last_modified=response.headers.get("Last-Modified")
                            or (conditional.last_modified if conditional else None),
                        )
                    if status in _RETRY_STATUSES:
                        wait = _retry_after(response.headers.get("Retry-After"))
                        raise _Retry("download-http-error", f"HTTP {status}", status, wait)
                    if status == 416:
                        # The range asked for is no longer valid: start over next attempt.
                        part.write_bytes(b"")
                        raise _Retry("download-http-error", "HTTP 416", status)
                    if status not in (200, 206):
                        raise _Fail("download-http-error", f"HTTP {status}", status)
                    return self._receive(url, current, response, part, state)
            except httpx.TimeoutException as exc:
                raise _Retry("download-timeout", type(exc).__name__) from exc
            except httpx.RemoteProtocolError as exc:
                raise _Retry("download-truncated", str(exc) or type(exc).__name__) from exc
            except httpx.TransportError as exc:
                raise _Retry("download-connection-error", str(exc) or type(exc).__name__) from exc
        raise _Fail(
            "download-too-many-redirects",
            f"more than {self.policy.max_redirects} redirects from {url}",
        )

    def _receive(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        part: Path,
        state: dict[str, Any],
    ) -> Fetched:
        status = response.status_code
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        have = part.stat().st_size
        mode = "wb"
        if status == 206:
            start = _range_start(response.headers.get("Content-Range"))
            if start != have:
                part.write_bytes(b"")
                state["validator"] = None
                raise _Retry("download-truncated", f"range answer starts at {start}, not {have}")
            mode = "ab"
            state["resumed"] = True
        else:
            have = 0
        # A strong ETag is the safest resume guard; Last-Modified does when there is none.
        if etag and not etag.startswith("W/"):
            state["validator"] = etag
        elif last_modified:
            state["validator"] = last_modified
        else:
            state["validator"] = None
        length = response.headers.get("Content-Length")
        expected = have + int(length) if length and length.isdigit() else None
        if expected is not None and expected > self.policy.max_bytes:
            raise _Fail("resource-too-large", f"{expected} bytes announced", status)
        started = self.clock()
        received = have
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if encoded:
            # The server compressed despite "identity": decode, and never resume by offset
            # (offsets would count compressed bytes).
            state["validator"] = None
            expected = None
        # No chunk size: bytes are written as they arrive, so that a body cut short leaves
        # everything received on disk for the next attempt to resume from.
        chunks = response.iter_bytes() if encoded else response.iter_raw()
        with part.open(mode) as handle:
            for chunk in chunks:
                handle.write(chunk)
                received += len(chunk)
                if received > self.policy.max_bytes:
                    raise _Fail(
                        "resource-too-large", f"more than {self.policy.max_bytes} bytes", status
                    )
                if self.clock() - started > self.policy.attempt_deadline:
                    raise _Retry(
                        "download-timeout", f"body not received in {self.policy.attempt_deadline} s"
                    )
        if expected is not None and received < expected:
            raise _Retry("download-truncated", f"{received} of {expected} bytes")
        return Fetched(
            "ok",
            url,
            final_url=current,
            http_status=status,
            etag=etag,
            last_modified=last_modified,
        )


def _range_start(content_range: str | None) -> int | None:
    """Return the first byte of a ``Content-Range: bytes a-b/n`` header, or None."""
    if not content_range or not content_range.startswith("bytes "):
        return None
    first = content_range[6:].split("-", 1)[0]
    return int(first) if first.isdigit() else None


def _with_attempts(outcome: Fetched, attempts: int) -> Fetched:
    """Return ``outcome`` with its attempt count set."""
    return Fetched(
        outcome.status,
        outcome.url,
        final_url=outcome.final_url,
        path=outcome.path,
        size=outcome.size,
        sha256=outcome.sha256,
        http_status=outcome.http_status,
        etag=outcome.etag,
        last_modified=outcome.last_modified,
        reason=outcome.reason,
        detail=outcome.detail,
        attempts=attempts,
        resumed=outcome.resumed,
    )
