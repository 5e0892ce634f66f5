"""Commands that bring files in and say what the store holds: ingest, validate, sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from fundtrail.catalogue import render
from fundtrail.cli.common import db_option, json_option, lang_option, print_json, progress_bar
from fundtrail.ingest import FileReport, IngestOptions, candidate_files, ingest_paths
from fundtrail.store import open_store

STATUS = {
    "fr": {"ingested": "intégré", "unchanged": "inchangé", "refused": "refusé"},
    "en": {"ingested": "ingested", "unchanged": "unchanged", "refused": "refused"},
}


def file_line(report: FileReport, lang: str) -> str:
    status = STATUS[lang][report.status]
    if report.status == "refused":
        reason = render(report.reason or "ingest-failed", lang, report.reason_detail)
        return f"{report.path}: {status} — {reason}"
    if lang == "en":
        counts = (
            f"{report.rows_read} rows read, {report.rows_accepted} accepted, "
            f"{report.rows_quarantined} quarantined, {report.rows_empty} empty"
        )
    else:
        counts = (
            f"{report.rows_read} lignes lues, {report.rows_accepted} acceptées, "
            f"{report.rows_quarantined} en quarantaine, {report.rows_empty} vides"
        )
    return f"{report.path}: {status} — {counts}"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option("--funder-name", help="Funder's name when the files have no funder column.")
@click.option("--funder-id", help="Funder's SIRET or SIREN when the files have no funder column.")
@json_option
@lang_option
def ingest(
    paths: tuple[str, ...],
    db: str,
    funder_name: str | None,
    funder_id: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Read subsidy files (or folders, recursively) into the store.

    Every row is accepted or quarantined with its reasons; every repair is recorded.
    Ingesting the same bytes again changes nothing.
    """
    options = IngestOptions(funder_name=funder_name, funder_id=funder_id)
    files = candidate_files(paths)
    console = Console(stderr=True)
    with progress_bar(console) as progress:
        task = progress.add_task("ingest", total=len(files))

        def advance(path: Path, report: FileReport) -> None:
            progress.update(task, advance=1, description=path.name[:40])
            if not as_json:
                console.print(file_line(report, lang), highlight=False, markup=False)

        report = ingest_paths(files, db=db, options=options, progress=advance)
    if as_json:
        print_json(report.to_json())
    else:
        totals = report.totals()
        click.echo(
            (
                "Total: {files} files, {rows_read} rows read, {rows_accepted} accepted, "
                "{rows_quarantined} quarantined, {refused} refused"
            ).format(**totals)
            if lang == "en"
            else (
                "Total : {files} fichiers, {rows_read} lignes lues, {rows_accepted} acceptées, "
                "{rows_quarantined} en quarantaine, {refused} refusés"
            ).format(**totals)
        )


@click.command()
@db_option
@json_option
@lang_option
def sources(db: str, as_json: bool, lang: str) -> None:
    """List the files the store holds, with their row counts and status."""
    con = open_store(db, read_only=Path(db).exists())
    rows = con.execute(
        "SELECT source_id, name, status, reason, format, rows_read, rows_accepted, "
        "rows_quarantined, rows_empty, sha256, ingested_at FROM sources ORDER BY source_id"
    ).fetchall()
    keys = [
        "source_id",
        "name",
        "status",
        "reason",
        "format",
        "rows_read",
        "rows_accepted",
        "rows_quarantined",
        "rows_empty",
        "sha256",
        "ingested_at",
    ]
    data = [dict(zip(keys, row, strict=True)) for row in rows]
    if as_json:
        print_json({"sources": data})
        return
    for item in data:
        status = STATUS[lang][item["status"]]
        click.echo(
            f"#{item['source_id']} {item['name']} [{status}] {item['rows_read']} / "
            f"{item['rows_accepted']} / {item['rows_quarantined']}"
            + (f" — {render(item['reason'], lang)}" if item["reason"] else "")
        )
    if not data:
        click.echo("Le store est vide." if lang == "fr" else "The store is empty.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--version", "version", help="SCDL version to judge against (default: detected).")
@json_option
@lang_option
def validate(paths: tuple[str, ...], version: str | None, as_json: bool, lang: str) -> None:
    """Check files against the SCDL schema without storing them (for publishers).

    Exit status: 0 conformant, 1 not conformant, 2 unreadable input.
    """
    from fundtrail.validate.publisher import validate_paths

    report = validate_paths(candidate_files(paths), version=version)
    if as_json:
        print_json(report.to_json(lang))
    else:
        for line in report.lines(lang):
            click.echo(line)
    sys.exit(report.exit_status())


COMMANDS = [ingest, validate, sources]
