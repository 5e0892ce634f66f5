"""Run the benchmarks: fundtrail's ingest against its peers, in the same run, same machine.

    uv run python benchmarks/run.py --rows 100000            # measures 1, 2 and 5 at 100k
    uv run python benchmarks/run.py --rows 1000000 --write   # and append to RESULTS.md
    uv run python benchmarks/run.py --rows 2800000 --measures 6 --write

Measures (numbers as in issue 6):
1. fundtrail's whole ingest of one messy SCDL file vs ``frictionless validate`` of the same
   file against the SCDL 2.1.1 schema (every row, no error cap);
2. the same ingest vs DuckDB's bare ``read_csv(..., all_varchar = true)``;
5. peak RSS of the ingest (from ``wait4``, the child's own maximum);
6. a full rebuild: a folder of files (encodings and separators as surveyed) into a fresh store.
3. p50/p95 of organisation, funder and search JSON on the store measure 6 built (or
   ``--store``), through ``fundtrail serve`` on loopback;
4. wrk on organisation pages for ``--wrk-seconds`` (60 by default).

Each workload runs in its own process (``benchmarks/workloads.py``); the runner takes the
wall time and CPU time (user + system) from outside and the work-only time the child
reports. On a shared machine wall time is noisy, so runs of the tools alternate and the
median of ``--repeat`` runs is kept; ratios are given for work time and for CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT.parent / "shared" / "data" / "schemas" / "scdl-subventions" / "v2.1.1" / "schema.json"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (a sibling script, not a package)
import serving  # noqa: E402


@dataclass
class Run:
    """One child process: what it reported and what the kernel measured."""

    tool: str
    result: dict[str, Any]
    wall: float  # seconds, process start to exit
    cpu: float  # user + system seconds of the child
    peak_rss_mb: float

    @property
    def work(self) -> float:
        """Return the seconds of work alone (imports excluded), as the child measured."""
        return float(self.result["seconds"])


def run_child(tool: str, args: list[str], timeout: float) -> Run:
    """Run one workload in a child process; return its report and resource usage."""
    command = [sys.executable, str(HERE / "workloads.py"), tool, *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        # The kill is the only way this child ends with -SIGKILL: that is how a timeout shows.
        # wait4 gives this child's own usage (peak RSS, CPU), not a sum over children.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    timed_out = process.returncode == -9
    if process.returncode != 0 and not (timed_out and lines):
        raise SystemExit(f"{tool} failed ({process.returncode}):\n{stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["timed_out"] = timed_out
    # ru_maxrss is in KiB on Linux.
    return Run(tool, result, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median_run(runs: list[Run]) -> Run:
    """Return the run with the median work time."""
    ordered = sorted(runs, key=lambda r: r.work)
    return ordered[(len(ordered) - 1) // 2]


def machine() -> dict[str, str]:
    """Return the machine and versions, for the results' header."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, nproc {os.cpu_count()}",
        "memory": memory,
        "load average at start": load,
        "python": platform.python_version(),
        "versions": (
            f"fundtrail {commit}, duckdb {version('duckdb')}, "
            f"frictionless {version('frictionless')}, pyarrow {version('pyarrow')}"
        ),
    }


def ensure_file(work: Path, rows: int, seed: int) -> Path:
    """Return the generated file of ``rows`` rows, writing it when absent."""
    path = work / f"scdl-{rows}-seed{seed}.csv"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        generate.write_file(path, generate.FileSpec(rows, seed))
    return path


def ensure_folder(work: Path, rows: int, seed: int, rows_per_file: int) -> Path:
    """Return the generated folder of ``rows`` rows, writing it when absent."""
    folder = work / f"folder-{rows}-seed{seed}-per{rows_per_file}"
    done = folder / ".complete"
    if not done.exists():
        print(f"generating {folder} ...", file=sys.stderr)
        generate.write_folder(folder, rows, seed, rows_per_file)
        done.write_text("ok\n")
    return folder


def ingest_vs_peers(
    path: Path, work: Path, repeat: int, timeout: float, frictionless: bool = True
) -> dict[str, Any]:
    """Return measures 1, 2 and 5 on ``path``: runs alternate between the tools.

    ``frictionless`` False leaves measure 1's peer out (at 10M rows it would run for hours).
    """
    tools: dict[str, list[str]] = {
        "fundtrail": [str(path), str(work / "bench.duckdb")],
        "duckdb": [str(path)],
    }
    if SCHEMA.exists() and frictionless:
        tools["frictionless"] = [str(path), str(SCHEMA)]
    runs: dict[str, list[Run]] = {tool: [] for tool in tools}
    for round_ in range(repeat):
        for tool, args in tools.items():
            run = run_child(tool, args, timeout)
            runs[tool].append(run)
            print(
                f"round {round_ + 1} {tool}: work {run.work:.2f} s, cpu {run.cpu:.2f} s, "
                f"wall {run.wall:.2f} s, peak {run.peak_rss_mb:.0f} MB",
                file=sys.stderr,
            )
    kept = {tool: median_run(r) for tool, r in runs.items()}
    (work / "bench.duckdb").unlink(missing_ok=True)
    return {
        "runs": runs,
        "kept": kept,
        "skipped": [] if SCHEMA.exists() else [f"frictionless: schema {SCHEMA} absent"],
    }


def store_path(work: Path, rows: int, seed: int) -> Path:
    """Return where the rebuilt store of ``rows`` rows lives (kept for measures 3 and 4)."""
    return work / f"rebuild-{rows}-seed{seed}.duckdb"


def rebuild(folder: Path, store: Path, timeout: float) -> Run:
    """Return measure 6: every file of ``folder`` into a fresh store, linked and analysed."""
    return run_child("rebuild", [str(folder), str(store)], timeout)


def fmt_run(run: Run) -> str:
    """Return one table row of a run."""
    rows = run.result.get("rows_read", run.result.get("rows"))
    extra = ""
    if run.tool == "fundtrail":
        extra = (
            f"{run.result['rows_accepted']} accepted, {run.result['rows_quarantined']} quarantined"
        )
    elif run.tool == "frictionless":
        extra = f"{run.result['errors']} errors reported"
    return (
        f"| {run.tool} | {run.work:.2f} | {run.cpu:.2f} | {run.wall:.2f} | "
        f"{run.peak_rss_mb:.0f} | {rows} | {extra} |"
    )


def report(args: argparse.Namespace, info: dict[str, str], sections: list[str]) -> str:
    """Return the Markdown of this run."""
    command = "uv run python benchmarks/run.py " + " ".join(sys.argv[1:])
    head = [
        f"### {args.rows:,} rows, measures {args.measures} ({info['date']})",
        "",
        f"Command: `{command}`",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
    ]
    return "\n".join(head + sections) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run the measures, print (and maybe append) the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measures", default="1,2,5")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rows-per-file", type=int, default=10_000, help="measure 6 only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundtrail-bench"))
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the raw runs as JSON here")
    parser.add_argument("--store", type=Path, help="measures 3, 4: store to serve")
    parser.add_argument("--sample", type=int, default=1000, help="measure 3: keys per page")
    parser.add_argument("--wrk-seconds", type=int, default=60, help="measure 4: duration")
    parser.add_argument("--connections", type=int, default=16, help="measure 4: wrk -c")
    args = parser.parse_args(argv)
    measures = {int(m) for m in args.measures.split(",")}
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    sections: list[str] = []
    raw: dict[str, Any] = {"machine": info, "rows": args.rows, "seed": args.seed}

    if measures & {1, 2, 5}:
        path = ensure_file(args.work, args.rows, args.seed)
        outcome = ingest_vs_peers(
            path, args.work, args.repeat, args.timeout, frictionless=1 in measures
        )
        kept: dict[str, Run] = outcome["kept"]
        ft = kept["fundtrail"]
        sections += [
            f"File: `{path.name}` ({path.stat().st_size / 1e6:.1f} MB, utf-8 with BOM, `;`), "
            f"generated by `benchmarks/generate.py file --rows {args.rows} --seed {args.seed}`;"
            f" median of {args.repeat} alternating run(s).",
            "",
            "| tool | work s | cpu s | wall s | peak RSS MB | rows | found |",
            "|---|---|---|---|---|---|---|",
            *[fmt_run(run) for run in kept.values()],
            "",
        ]
        rows_per_s = ft.result["rows_read"] / ft.work
        sections.append(f"- fundtrail: {rows_per_s:,.0f} rows/s (work time)")
        if "frictionless" in kept and 1 in measures:
            fr = kept["frictionless"]
            sections.append(
                f"- measure 1, frictionless / fundtrail: {fr.work / ft.work:.2f}x (work), "
                f"{fr.cpu / ft.cpu:.2f}x (cpu); target >= 15x; frictionless "
                f"{fr.result['rows'] / fr.work:,.0f} rows/s"
            )
        for note in outcome["skipped"]:
            sections.append(f"- measure 1 skipped: {note}")
        if 2 in measures:
            dd = kept["duckdb"]
            sections.append(
                f"- measure 2, fundtrail / duckdb read_csv: {ft.work / dd.work:.2f}x (work), "
                f"{ft.cpu / dd.cpu:.2f}x (cpu); target <= 2x"
            )
        if 5 in measures:
            sections.append(
                f"- measure 5, peak RSS of the ingest: {ft.peak_rss_mb:,.0f} MB at "
                f"{args.rows:,} rows; target <= 1,536 MB at 10,000,000 rows"
            )
        sections.append("")
        raw["runs"] = {t: [r.__dict__ for r in rs] for t, rs in outcome["runs"].items()}

    if 6 in measures:
        folder = ensure_folder(args.work, args.rows, args.seed, args.rows_per_file)
        files = sum(1 for _ in folder.glob("*.csv"))
        store = store_path(args.work, args.rows, args.seed)
        run = rebuild(folder, store, args.timeout)
        r = run.result
        link = (
            f"link stopped by the {args.timeout:.0f} s timeout"
            if r["timed_out"]
            else f"{r['link_seconds']:.1f} s link"
        )
        sections += [
            f"Measure 6, full rebuild: `{folder.name}`, {files} files "
            f"(`benchmarks/generate.py folder --rows {args.rows} --seed {args.seed} "
            f"--rows-per-file {args.rows_per_file}`), ingest then `link` (organisations, "
            f"duplicates, analysis, signals):",
            "",
            f"- {r['seconds']:.1f} s work ({r['ingest_seconds']:.1f} s ingest, {link}), "
            f"{run.cpu:.1f} s cpu, {run.wall:.1f} s wall, "
            f"peak RSS {run.peak_rss_mb:,.0f} MB; target <= 300 s at 2,800,000 rows",
            f"- {r['rows_read']:,} rows read, {r['rows_accepted']:,} accepted, "
            f"{r['rows_quarantined']:,} quarantined, {r['rows_empty']:,} empty, "
            f"{r['refused']} files refused {r['refused_reasons'] or ''}; "
            f"{r['organisations'] or 0:,} organisations",
            "",
        ]
        raw["rebuild"] = run.__dict__

    if measures & {3, 4}:
        store = args.store or store_path(args.work, args.rows, args.seed)
        if not store.exists():
            sections += [f"Measures 3 and 4: no store at `{store}` (run measure 6 first).", ""]
        else:
            served = serving.measure(
                store,
                args.sample,
                args.seed,
                args.wrk_seconds if 4 in measures else 0,
                args.connections,
                args.work,
            )
            raw["serving"] = served
            grants = served["store"]["grants"]
            sections += [
                f"Measures 3 and 4 on `{store.name}` ({grants:,} grants), `fundtrail serve` on "
                f"loopback, {args.sample} random keys each (seed {args.seed}), one request at "
                "a time:",
                "",
                "| page | requests | p50 ms | p95 ms | max ms | statuses | target p95 |",
                "|---|---|---|---|---|---|---|",
            ]
            targets = {"organisation_json": "20 ms", "funder_json": "50 ms", "search_json": "30 ms"}
            for name, target in targets.items():
                m = served[name]
                sections.append(
                    f"| {name} | {m['requests']} | {m['p50_ms']} | {m['p95_ms']} | "
                    f"{m['max_ms']} | {m['statuses']} | {target} |"
                )
            sections.append("")
            for name, how in (
                ("wrk_organisation_pages", "page cache on: each page computed on its first visit"),
                ("wrk_organisation_pages_uncached", "page cache off: every visit computed"),
            ):
                w = served.get(name)
                if w and "skipped" in w:
                    sections += [f"Measure 4 skipped: {w['skipped']}", ""]
                elif w:
                    sections += [
                        f"Measure 4, wrk -t2 -c{w['connections']} -d{w['seconds']}s on "
                        f"organisation pages (HTML, {args.sample} paths rotating; {how}): "
                        f"{w['requests_per_s']} requests/s, {w['requests']} requests, "
                        f"{w['non_2xx']} non-2xx, {w['socket_errors']} socket errors, latency "
                        f"p50 {w['latency_p50']}, p99 {w['latency_p99']}; target >= 300 "
                        "requests/s with 0 errors.",
                        "",
                    ]

    text = report(args, info, sections)
    print(text)
    if args.write:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, default=str))


if __name__ == "__main__":
    main()
