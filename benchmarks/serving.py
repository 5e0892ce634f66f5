"""Measures 3 and 4: page latencies and web throughput of ``fundtrail serve`` over a store.

The server is the real one (``fundtrail serve`` in a child process, loopback only); the
keys are drawn at random (seeded) from the store's own organisations and funders, as the
site links to them (SIREN, else RNA, else org id), and the name queries from the
organisations' names. Latency: one request at a time, p50/p95 of
the JSON twins. Throughput: wrk on the organisation pages (HTML), the paths rotating.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import httpx

FUNDTRAIL = Path(sys.executable).with_name("fundtrail")


@dataclass(frozen=True)
class Keys:
    """What the requests ask for: organisation keys, funder keys, name queries."""

    organisations: list[str]
    funders: list[str]
    names: list[str]


def sample_keys(db: Path, count: int, seed: int) -> Keys:
    """Return ``count`` random organisation and funder keys and name queries from ``db``."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        linked = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'grant_links'"
        ).fetchone()
        if linked and linked[0]:
            # the keys the site links to (SIREN, else RNA, else org id), as visitors follow
            # them: a SIREN or RNA is resolved through the identifiers, an org id directly
            query = (
                "SELECT coalesce(o.siren, o.rna, o.org_id) FROM "
                "(SELECT DISTINCT org_id FROM grant_links WHERE role = ?) l "
                "JOIN organisations o USING (org_id) ORDER BY hash(l.org_id || ?) LIMIT ?"
            )
            organisations = [
                r[0] for r in con.execute(query, ["beneficiary", seed, count]).fetchall()
            ]
            funders = [r[0] for r in con.execute(query, ["funder", seed, count]).fetchall()]
            names = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM organisations ORDER BY hash(org_id || ?) LIMIT ?",
                    [seed + 1, count],
                ).fetchall()
            ]
        else:
            query = (
                "SELECT k FROM (SELECT DISTINCT {0} AS k FROM grants WHERE {0} IS NOT NULL) "
                "ORDER BY hash(k || ?) LIMIT ?"
            )
            organisations = [
                r[0]
                for r in con.execute(query.format("beneficiary_siren"), [seed, count]).fetchall()
            ]
            funders = [
                r[0] for r in con.execute(query.format("funder_siren"), [seed, count]).fetchall()
            ]
            names = [
                r[0]
                for r in con.execute(query.format("beneficiary_name"), [seed, count]).fetchall()
            ]
    finally:
        con.close()
    # Half the queries are a whole name, half its first three words, as people type them.
    queries = [n if i % 2 else " ".join(n.split()[:3]) for i, n in enumerate(names)]
    return Keys(organisations, funders, queries)


def free_port() -> int:
    """Return a TCP port free on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(db: Path, workers_log: Path, options: tuple[str, ...] = ()) -> Iterator[str]:
    """Yield the base URL of ``fundtrail serve`` over ``db`` (with ``options``); stop it after."""
    port = free_port()
    with workers_log.open("w") as log:
        process = subprocess.Popen(
            [str(FUNDTRAIL), "serve", "--db", str(db), "--port", str(port), *options],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + "/index.json", timeout=5).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"fundtrail serve did not start; see {workers_log}")
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def latencies(base: str, paths: list[str]) -> dict[str, Any]:
    """Return p50/p95/max in ms and the status counts of GETting ``paths`` one by one."""
    timings: list[float] = []
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get(paths[0])  # warm-up: first query plans, first page of the file cache
        for path in paths:
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return {
        "requests": len(paths),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "statuses": statuses,
    }


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def throughput(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    """Return wrk's requests/s, latency and error counts on ``paths`` for ``seconds``."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    lua = ", ".join('"' + p.replace('"', "%22") + '"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % lua)
    try:
        done = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
    finally:
        os.unlink(script.name)
    out = done.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "requests_per_s": float(rate[1]) if rate else None,
        "requests": int(total[1]) if total else None,
        "non_2xx": int(non2xx[1]) if non2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "latency_p50": p50[1] if p50 else None,
        "latency_p99": p99[1] if p99 else None,
        "connections": connections,
        "seconds": seconds,
        "raw": out[-1500:],
    }


def measure(
    db: Path, count: int, seed: int, wrk_seconds: int, connections: int, work: Path
) -> dict[str, Any]:
    """Return measures 3 and 4 on the store ``db``."""
    keys = sample_keys(db, count, seed)
    with server(db, work / "serve.log") as base:
        result: dict[str, Any] = {
            "organisation_json": latencies(
                base, [f"/organisations/{quote(k, safe='')}.json" for k in keys.organisations]
            ),
            "funder_json": latencies(
                base, [f"/funders/{quote(k, safe='')}.json" for k in keys.funders]
            ),
            "search_json": latencies(base, [f"/search.json?q={quote(q)}" for q in keys.names]),
        }
        pages = [f"/organisations/{quote(k, safe='')}" for k in keys.organisations]
        if wrk_seconds:
            # the paths rotate: after its first visit a page comes from the page cache
            result["wrk_organisation_pages"] = throughput(base, pages, wrk_seconds, connections)
    if wrk_seconds:
        # every visit computed afresh: the cost of a page, not of the cache
        with server(db, work / "serve-uncached.log", ("--page-cache-mb", "0")) as base:
            result["wrk_organisation_pages_uncached"] = throughput(
                base, pages, wrk_seconds, connections
            )
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM grants), (SELECT count(DISTINCT funder_name) FROM grants)"
        ).fetchone()
    finally:
        con.close()
    result["store"] = {
        "grants": counts[0] if counts else None,
        "funder_names": counts[1] if counts else None,
    }
    return result
