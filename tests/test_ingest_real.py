"""Every real published file and every official example goes through ingest without a crash.

For each file, rows read must equal the number of data records this test counts on its
own (plain csv / json / calamine, not fundtrail's readers), and accepted + quarantined must
equal read.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from fundtrail.ingest import FileReport, ingest_file
from fundtrail.store import open_store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = sorted(
    p
    for folder in ("real", "schemas")
    if (SHARED / folder).is_dir()
    for p in (SHARED / folder).rglob("*")
    if p.is_file() and p.suffix.lower() in {".csv", ".xlsx", ".xls", ".ods", ".json"}
)


NOT_GRANT_TABLES = {"schema.json", "ParisSubsidies_SIRENE.csv"}


def _blank(cells: list[object]) -> bool:
    return all(str(c).strip() in ("", "None") for c in cells)


def _count_delimited(path: Path, header_rows: int) -> int:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next(line for line in text.splitlines() if line.strip(" ;,\t|"))
    separator = max(";,\t|", key=first.count)
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if not _blank(r)]
    return len(rows) - header_rows


def _count_sheets(path: Path, report: FileReport) -> int:
    book = CalamineWorkbook.from_path(str(path))
    total = 0
    for table in report.tables:
        if table["status"] != "read":
            continue
        rows = book.get_sheet_by_name(table["sheet"]).to_python(skip_empty_area=False)
        after = rows[table["header_row"] :]
        total += sum(1 for r in after if not _blank(list(r)))
    return total


def _count_json(path: Path) -> int:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if isinstance(data, dict):
        data = next(v for v in data.values() if isinstance(v, list))
    return sum(1 for item in data if isinstance(item, dict) and item)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SHARED)))
def test_real_file_ingests_and_every_row_is_counted(path: Path, shared_data: Path) -> None:
    con = open_store(":memory:")
    report = ingest_file(con, path)
    assert report.status in {"ingested", "refused"}
    assert report.rows_read == report.rows_accepted + report.rows_quarantined
    if report.status == "refused":
        # Only files that are not grant tables may be refused: the schemas themselves and
        # the SIRENE register extract (the issue's own example of a file to refuse).
        assert path.name in NOT_GRANT_TABLES, (report.reason, report.reason_detail)
        assert con.execute("SELECT count(*) FROM grants").fetchone() == (0,)
        return
    stored = con.execute(
        "SELECT (SELECT count(*) FROM grants), (SELECT count(*) FROM quarantine)"
    ).fetchone()
    assert stored == (report.rows_accepted, report.rows_quarantined)
    suffix = path.suffix.lower()
    if suffix == ".json":
        expected = _count_json(path)
    elif suffix in {".xlsx", ".xls", ".ods"}:
        expected = _count_sheets(path, report)
    else:
        read_tables = [t for t in report.tables if t["status"] == "read"]
        skipped_rows = sum(
            t.get("rows_read", 0) + 1
            for t in report.tables
            if t["status"] == "skipped" and "header" in t
        )
        expected = _count_delimited(path, len(read_tables)) - skipped_rows
    assert report.rows_read == expected
