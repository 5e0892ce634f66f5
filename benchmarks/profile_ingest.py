"""Where an ingest spends its time and memory, and what a proposed fix would change.

    uv run python benchmarks/profile_ingest.py FILE [--trace] [--fast-ids] [--memory-limit 1GB]

``--trace`` prints, for each step of the pipeline, its CPU seconds and the process's RSS
after it; ``--fast-ids`` swaps python-stdnum's SIRET/SIREN checks for a local Luhn check
(same answers, checked on 200,000 numbers in ``check_fast_ids``); ``--memory-limit`` sets
DuckDB's ``memory_limit`` on the store's connection. The swaps live in this process only:
they measure a proposed change to ``src/``, they are not one.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    """Return True when the ASCII digit string ``digits`` passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position & 1 else digit
    return total % 10 == 0


def fast_siren(text: str) -> bool:
    """Return True when ``text`` is a valid SIREN (python-stdnum's rule, without its cleaning)."""
    return len(text) == 9 and text.isascii() and text.isdigit() and luhn_ok(text)


def fast_siret(text: str) -> bool:
    """Return True when ``text`` is a valid SIRET, La Poste's establishments included."""
    if not (len(text) == 14 and text.isascii() and text.isdigit()):
        return False
    if text.startswith("356000000") and text != "35600000000048":
        whole = sum(map(int, text)) % 5 == 0  # La Poste: digit sum a multiple of 5
    else:
        whole = luhn_ok(text)
    return whole and luhn_ok(text[:9])


def check_fast_ids(count: int = 200_000) -> int:
    """Return how many of ``count`` random numbers the local and stdnum checks disagree on."""
    from stdnum.fr import siren, siret

    rng = random.Random(1)
    numbers = ["".join(rng.choice("0123456789") for _ in range(14)) for _ in range(count)]
    numbers += ["35600000000048", "35600000012345", "35600000000013"]
    return sum(
        (siret.is_valid(n) != fast_siret(n)) + (siren.is_valid(n[:9]) != fast_siren(n[:9]))
        for n in numbers
    )


def rss_mb() -> float:
    """Return the process's current RSS in MB (from /proc)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def traced(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``function`` printing its CPU seconds and the RSS after each call."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        result = function(*args, **kwargs)
        label = f"{name}({args[2] if name == 'build_value_map' else ''})"
        print(
            f"  {label:<40} cpu {time.process_time() - start:7.2f} s   "
            f"rss after {rss_mb():7.0f} MB",
            file=sys.stderr,
        )
        return result

    return wrapper


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and ingest the file with the chosen swaps."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--fast-ids", action="store_true")
    parser.add_argument("--memory-limit")
    args = parser.parse_args(argv)

    from fundtrail.ingest import assemble, ingest_paths, pipeline
    from fundtrail.normalise import identifiers
    from fundtrail.store import open_store

    if args.fast_ids:
        assert check_fast_ids(20_000) == 0
        identifiers.is_valid_siren = fast_siren
        identifiers.is_valid_siret = fast_siret
    if args.trace:
        for module, name in (
            (pipeline, "stage_records"),
            (pipeline, "stage_bulk"),
            (assemble, "build_value_map"),
            (assemble, "_collect_issues"),
            (assemble, "_write_rows"),
            (assemble, "_write_repairs"),
        ):
            setattr(module, name, traced(name, getattr(module, name)))
    with tempfile.TemporaryDirectory() as work:
        con = open_store(Path(work) / "profile.duckdb")
        if args.memory_limit:
            con.execute(f"SET memory_limit = '{args.memory_limit}'")
            con.execute(f"SET temp_directory = '{work}/spill'")
        start, cpu = time.perf_counter(), time.process_time()
        report = ingest_paths([args.path], db=con)
        totals = report.totals()
        con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.path.name}: work {time.perf_counter() - start:.1f} s, cpu "
        f"{time.process_time() - cpu:.1f} s, peak RSS {peak:.0f} MB, rows_read "
        f"{totals['rows_read']}, accepted {totals['rows_accepted']}, refused "
        f"{totals['refused']} (fast ids {args.fast_ids}, memory limit {args.memory_limit})"
    )


if __name__ == "__main__":
    main()
