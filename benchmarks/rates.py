"""Measure the defect rates of the real SCDL files in ../shared/data (the generator's constants).

Run ``uv run python benchmarks/rates.py`` and copy what it prints into ``generate.py`` when
the real files change. Only SCDL-shaped CSV files are counted (header mapping through
``fundtrail.sources.headers``); every rate is a share of data rows (blank rows excluded,
except for the blank-row rate itself).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

from stdnum import luhn

from fundtrail.sources.headers import map_header

csv.field_size_limit(sys.maxsize)
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"

AMOUNT_KINDS = [
    ("float", re.compile(r"^-?\d+\.\d+$")),
    ("plain", re.compile(r"^-?\d+$")),
    ("french", re.compile(r"^-?\d{1,3}([ \u00a0\u202f]\d{3})*(,\d+)?$")),
    ("french-comma-decimal", re.compile(r"^-?\d+,\d+$")),
    ("euro-sign", re.compile(r"€")),
    ("empty", re.compile(r"^$")),
]
DATE_KINDS = [
    ("iso", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("ymd-slash", re.compile(r"^\d{4}/\d{2}/\d{2}$")),
    ("dmy-slash", re.compile(r"^\d{2}/\d{2}/\d{4}$")),
    ("year", re.compile(r"^\d{4}$")),
    ("year-month", re.compile(r"^\d{4}-\d{2}$")),
    ("excel-serial", re.compile(r"^\d{5}$")),
    ("iso-time", re.compile(r"^\d{4}-\d{2}-\d{2}[ T]")),
    ("empty", re.compile(r"^$")),
]


def id_kind(value: str) -> str:
    """Return the kind of damage an identifier cell shows."""
    v = value.strip()
    if not v:
        return "empty"
    if re.search(r"[eE]\+", v):
        return "scientific"
    if v.endswith(".0"):
        return "float"
    digits = re.sub(r"[ .'\u00a0]", "", v)
    if digits != v and digits.isdigit():
        return "separators"
    if not v.isdigit():
        return "other"
    if len(v) == 9:
        return "siren"
    if len(v) == 13:
        return "thirteen"
    if len(v) == 14:
        return "siret" if luhn.is_valid(v) else "siret-bad-luhn"
    return "other"


def kind_of(value: str, kinds: list[tuple[str, re.Pattern[str]]]) -> str:
    """Return the first kind whose pattern matches ``value``."""
    for name, pattern in kinds:
        if pattern.search(value.strip()):
            return name
    return "other"


def read_rows(path: Path) -> tuple[str, str, list[list[str]]]:
    """Return the encoding, separator and rows of a CSV file."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    return encoding, sep, list(csv.reader(text.splitlines(), delimiter=sep))


def main() -> None:
    """Print the rates measured over the real SCDL-shaped CSV files."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("amount", "id", "date", "file")}
    # Shares averaged over files too: one 7,842-row Paris export would otherwise set them all.
    per_file: dict[str, list[Counter[str]]] = {k: [] for k in ("amount", "id", "date")}
    rows_total = blank = duplicates = 0
    for path in sorted(REAL.rglob("*.csv")):
        encoding, sep, rows = read_rows(path)
        mapping = map_header(rows[0])
        cols = mapping.mapped
        if "montant" not in cols or not ({"nomBeneficiaire", "idBeneficiaire"} & cols.keys()):
            continue
        counts["file"][f"{encoding} {sep!r}"] += 1
        seen: set[tuple[str, ...]] = set()
        before = {k: Counter(counts[k]) for k in per_file}
        for row in rows[1:]:
            if not any(c.strip() for c in row):
                blank += 1
                continue
            rows_total += 1
            key = tuple(row)
            duplicates += key in seen
            seen.add(key)

            def cell(field: str, row: list[str] = row, cols: dict[str, int] = cols) -> str | None:
                i = cols.get(field)
                return row[i] if i is not None and i < len(row) else None

            if (a := cell("montant")) is not None:
                counts["amount"][kind_of(a, AMOUNT_KINDS)] += 1
            if (b := cell("idBeneficiaire")) is not None:
                counts["id"][id_kind(b)] += 1
            if (d := cell("dateConvention")) is not None:
                counts["date"][kind_of(d, DATE_KINDS)] += 1
        for k, start in before.items():
            if delta := counts[k] - start:
                per_file[k].append(delta)
        print(f"{path.relative_to(REAL)}: {encoding} {sep!r} {len(rows) - 1} rows", file=sys.stderr)
    print(f"data rows {rows_total}, blank rows {blank}, exact duplicates {duplicates}")
    for name, counter in counts.items():
        total = sum(counter.values())
        shares = ", ".join(f"{k}: {v} ({v / total:.4f})" for k, v in counter.most_common())
        print(f"{name} (n={total}): {shares}")
        if name in per_file:
            files = per_file[name]
            mean: dict[str, float] = {}
            for c in files:
                for k, v in c.items():
                    mean[k] = mean.get(k, 0.0) + v / sum(c.values()) / len(files)
            shares = ", ".join(
                f"{k}: {v:.4f}" for k, v in sorted(mean.items(), key=lambda kv: -kv[1])
            )
            print(f"  {name} averaged over {len(files)} files: {shares}")


if __name__ == "__main__":
    main()
