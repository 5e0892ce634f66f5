"""Conformance of a whole published file: every grant table in it, read by fundtrail.read.

This is the one call behind the ``validate`` command: a finance department gives a file and
gets, per table (per sheet of a workbook), the report of ``check_table``.
"""

from __future__ import annotations

from pathlib import Path

from fundtrail.read.model import Table
from fundtrail.read.source import read_source
from fundtrail.validate.conformance import MAX_ISSUES, ConformanceReport, check_table


def check_file(
    path: Path,
    *,
    version: str | None = None,
    name: str | None = None,
    max_issues: int = MAX_ISSUES,
) -> list[ConformanceReport]:
    """Return one conformance report per table of the file at ``path``.

    Parts the reader set aside (a sheet that is no grant table) give no report; a file that
    cannot be read at all raises ``fundtrail.errors.UnreadableError`` from the reader.
    """
    reports = []
    for part in read_source(Path(path), name=name):
        if not isinstance(part, Table):
            continue
        records = ((record.row, record.cells) for record in part.records)
        reports.append(
            check_table(
                part.header,
                records,
                version=version,
                file=part.name,
                sheet=part.sheet,
                header_row=part.header_row,
                max_issues=max_issues,
            )
        )
    return reports
