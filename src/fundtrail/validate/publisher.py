"""Files -> conformance verdicts, for a publisher checking its file before it goes online.

Reads each file as ingest does, judges each table against its SCDL version as the official
validator would, and says for each non-conformant cell the repair ingest would make.
Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fundtrail.catalogue import render, render_issue
from fundtrail.errors import UnreadableError
from fundtrail.validate.conformance import ConformanceReport
from fundtrail.validate.files import check_file


@dataclass
class FileVerdict:
    """The verdict on one file: its tables' reports, or why it could not be read."""

    path: str
    tables: list[ConformanceReport] = field(default_factory=list)
    unreadable: tuple[str, str] | None = None  # (code, detail)

    @property
    def status(self) -> str:
        """Return 'unreadable', 'conformant' or 'not-conformant'."""
        if self.unreadable is not None:
            return "unreadable"
        if self.tables and all(report.valid for report in self.tables):
            return "conformant"
        return "not-conformant"


@dataclass
class ValidationReport:
    """The verdicts on every file of a ``fundtrail validate`` run."""

    files: list[FileVerdict] = field(default_factory=list)

    def exit_status(self) -> int:
        """Return 0 when every file conforms, 2 when one is unreadable, 1 otherwise."""
        statuses = {f.status for f in self.files}
        if "unreadable" in statuses:
            return 2
        return 1 if "not-conformant" in statuses else 0

    def to_json(self, lang: str = "fr") -> dict[str, Any]:
        """Return the report as JSON-ready data (messages in ``lang``)."""
        return {"files": [_file_json(f, lang) for f in self.files]}

    def lines(self, lang: str = "fr") -> Iterable[str]:
        """Yield the report as lines of text for a person."""
        en = lang == "en"
        for verdict in self.files:
            if verdict.unreadable is not None:
                code, detail = verdict.unreadable
                yield f"{verdict.path}: " + render(code, lang, detail or None)
                continue
            for report in verdict.tables:
                where = verdict.path
                if report.valid:
                    yield (
                        f"{where}: conformant to SCDL {report.version} ({report.rows_checked} rows)"
                        if en
                        else f"{where} : conforme au SCDL {report.version} "
                        f"({report.rows_checked} lignes)"
                    )
                    continue
                total = sum(report.counts.values())
                yield (
                    f"{where}: NOT conformant to SCDL {report.version}: {total} problems"
                    if en
                    else f"{where} : NON conforme au SCDL {report.version} : {total} problèmes"
                )
                for issue in report.issues:
                    line = "  " + render_issue(issue, lang)
                    repair = report.repair_for(issue)
                    if repair is not None:
                        line += (
                            f" → ingest would repair it as «{repair.result}» ({repair.rule})"
                            if en
                            else f" → l'intégration le réparerait en «{repair.result}» "
                            f"({repair.rule})"
                        )
                    yield line
                if report.truncated:
                    yield (
                        "  … (list truncated; counts by code are complete)"
                        if en
                        else "  … (liste tronquée ; les décomptes par code sont complets)"
                    )


def _file_json(verdict: FileVerdict, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {"path": verdict.path, "status": verdict.status}
    if verdict.unreadable is not None:
        data["reason"], data["reason_detail"] = verdict.unreadable
        return data
    data["tables"] = [
        {
            "version": report.version,
            "detected": report.detected,
            "valid": report.valid,
            "rows_checked": report.rows_checked,
            "counts": report.counts,
            "truncated": report.truncated,
            "issues": [
                {
                    "row": issue.row,
                    "field": issue.field,
                    "code": issue.code,
                    "value": issue.value,
                    "message": render(issue.code, lang, issue.detail),
                    "repair": (
                        {"result": r.result, "rule": r.rule}
                        if (r := report.repair_for(issue)) is not None
                        else None
                    ),
                }
                for issue in report.issues
            ],
        }
        for report in verdict.tables
    ]
    return data


def validate_file(path: Path, *, version: str | None = None) -> FileVerdict:
    """Return the conformance verdict on one file."""
    verdict = FileVerdict(str(path))
    try:
        verdict.tables = check_file(path, version=version)
    except UnreadableError as exc:
        verdict.unreadable = (exc.code, exc.detail)
    except OSError as exc:
        verdict.unreadable = ("file-not-found", str(exc))
    if not verdict.tables and verdict.unreadable is None:
        verdict.unreadable = ("no-grant-table", "")
    return verdict


def validate_paths(paths: Iterable[Path], *, version: str | None = None) -> ValidationReport:
    """Return the verdicts on every file of ``paths``."""
    return ValidationReport([validate_file(Path(p), version=version) for p in paths])
