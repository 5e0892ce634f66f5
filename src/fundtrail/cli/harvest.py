"""Commands that fetch files from catalogues and portals, and rebuild a store from the archive.

fundtrail harvest --json                 the whole manifest of the archive
fundtrail harvest datagouv [...]          the national catalogue (data.gouv.fr API v1)
fundtrail harvest urls FILE               any list of URLs, one a line
fundtrail rebuild --archive DIR --db NEW  a store replayed from the archive, no network
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from fundtrail.catalogue import render
from fundtrail.cli.common import db_option, json_option, lang_option, print_json, progress_bar
from fundtrail.errors import UsageError
from fundtrail.harvest import (
    DEFAULT_BASE_URL,
    Entry,
    HarvestReport,
    Policy,
    default_archive,
    harvest_catalogue,
    harvest_url_list,
    read_manifest,
    read_url_list,
    rebuild_store,
)

_STATE = {
    "fr": {"kept": "gardé", "refused": "refusé", "unchanged": "inchangé", "failed": "échec"},
    "en": {"kept": "kept", "refused": "refused", "unchanged": "unchanged", "failed": "failed"},
}

archive_option = click.option(
    "--archive",
    type=click.Path(file_okay=False),
    default=None,
    help="Archive folder (raw bytes by sha256 + manifest.jsonl); default: fundtrail-archive "
    "beside the store.",
)


def _policy_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--rate",
                type=float,
                default=2.0,
                show_default=True,
                help="At most this many requests a second (politeness).",
            ),
            click.option(
                "--timeout",
                type=float,
                default=60.0,
                show_default=True,
                help="Seconds allowed for each network operation.",
            ),
            click.option(
                "--retries",
                type=int,
                default=4,
                show_default=True,
                help="Further attempts after a 5xx, a timeout or a broken body.",
            ),
            click.option(
                "--max-bytes",
                type=int,
                default=512 * 1024 * 1024,
                show_default=True,
                help="Largest file downloaded, in bytes.",
            ),
        ]
    ):
        func = option(func)
    return func


def _policy(rate: float, timeout: float, retries: int, max_bytes: int) -> Policy:
    return Policy(
        timeout=timeout, retries=retries, rate=rate if rate > 0 else None, max_bytes=max_bytes
    )


def _archive(archive: str | None, db: str) -> Path:
    return Path(archive) if archive else default_archive(db)


def _entry_line(item: Entry, lang: str) -> str:
    label = item.title or item.url or item.dataset_title or "?"
    state = _STATE[lang][item.state]
    if item.reason:
        return f"{label}: {state} — {render(item.reason, lang, item.detail)}"
    rows = (item.ingest or {}).get("rows_read")
    if rows is not None:
        return f"{label}: {state} — {rows} " + ("rows" if lang == "en" else "lignes")
    return f"{label}: {state}"


def _summary(report: HarvestReport, lang: str) -> str:
    t = report.totals()
    if lang == "en":
        text = (
            f"{t['datasets_seen']} datasets seen, {t['resources_seen']} resources: "
            f"{t['kept']} files kept, {t['unchanged']} unchanged, {t['refused']} refused, "
            f"{t['failed']} failed; {t['files_ingested']} files ingested, "
            f"{t['files_refused_by_ingest']} refused by ingest; "
            f"{t['rows_read']} rows ingested ({t['rows_accepted']} accepted, "
            f"{t['rows_quarantined']} quarantined)"
        )
        if t["catalogue_failures"]:
            text += f"; INCOMPLETE listing: {t['catalogue_failures']} catalogue pages failed"
        return text
    text = (
        f"{t['datasets_seen']} jeux de données vus, {t['resources_seen']} ressources : "
        f"{t['kept']} fichiers gardés, {t['unchanged']} inchangés, {t['refused']} refusés, "
        f"{t['failed']} en échec ; {t['files_ingested']} fichiers chargés, "
        f"{t['files_refused_by_ingest']} refusés au chargement ; "
        f"{t['rows_read']} lignes chargées ({t['rows_accepted']} acceptées, "
        f"{t['rows_quarantined']} en quarantaine)"
    )
    if t["catalogue_failures"]:
        text += f" ; liste INCOMPLÈTE : {t['catalogue_failures']} pages du catalogue en échec"
    return text


@contextmanager
def _progress(as_json: bool, lang: str) -> Iterator[Any]:
    """Yield a harvester progress callback drawing a rich bar on standard error."""
    console = Console(stderr=True)
    with progress_bar(console) as progress:
        task = progress.add_task("catalogue", total=None)

        def advance(event: str, item: Entry | None, total: int | None) -> None:
            if event == "listed":
                progress.update(task, total=total, completed=0)
            elif event == "resource" and item is not None:
                progress.update(task, advance=1, description=(item.title or "")[:40])
                if not as_json:
                    console.print(_entry_line(item, lang), highlight=False, markup=False)

        yield advance


def _finish(report: HarvestReport, as_json: bool, lang: str) -> None:
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(_summary(report, lang))


@click.group("harvest", invoke_without_command=True)
@archive_option
@db_option
@json_option
@lang_option
@click.pass_context
def harvest_group(
    ctx: click.Context, archive: str | None, db: str, as_json: bool, lang: str
) -> None:
    """Find, download, archive and ingest published subsidy files.

    Without a subcommand, prints the manifest of the archive: every dataset and resource
    ever seen, kept, refused (why), unchanged or failed (why).
    """
    if ctx.invoked_subcommand is not None:
        return
    entries = read_manifest(_archive(archive, db))
    if as_json:
        print_json([e.to_json() for e in entries])
        return
    if not entries:
        click.echo(ctx.get_help())
        return
    for item in entries:
        click.echo(_entry_line(item, lang))


@harvest_group.command("datagouv")
@click.option(
    "--schema",
    "schemas",
    multiple=True,
    help="Datasets declaring this schema (default scdl/subventions when no "
    "--schema, --tag or --query is given). Repeatable.",
)
@click.option("--tag", "tags", multiple=True, help="Datasets with this tag. Repeatable.")
@click.option("--query", "queries", multiple=True, help="Full-text query. Repeatable.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only resources modified on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--base-url", default=DEFAULT_BASE_URL, show_default=True, help="Base URL of the udata API v1."
)
@click.option(
    "--page-size",
    type=int,
    default=100,
    show_default=True,
    help="Datasets asked for per catalogue page.",
)
@db_option
@archive_option
@_policy_options
@json_option
@lang_option
def datagouv_command(
    schemas: tuple[str, ...],
    tags: tuple[str, ...],
    queries: tuple[str, ...],
    since: datetime | None,
    base_url: str,
    page_size: int,
    db: str,
    archive: str | None,
    rate: float,
    timeout: float,
    retries: int,
    max_bytes: int,
    as_json: bool,
    lang: str,
) -> None:
    """Harvest the data.gouv.fr catalogue: every tabular or JSON resource, checked, archived
    and ingested; every other resource listed in the manifest with the reason."""
    since_day: date | None = since.date() if since else None
    with _progress(as_json, lang) as advance:
        report = harvest_catalogue(
            db,
            _archive(archive, db),
            base_url=base_url,
            schemas=schemas,
            tags=tags,
            queries=queries,
            since=since_day,
            policy=_policy(rate, timeout, retries, max_bytes),
            page_size=page_size,
            progress=advance,
        )
    _finish(report, as_json, lang)


@harvest_group.command("urls")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@db_option
@archive_option
@_policy_options
@json_option
@lang_option
def urls_command(
    file: Any,
    db: str,
    archive: str | None,
    rate: float,
    timeout: float,
    retries: int,
    max_bytes: int,
    as_json: bool,
    lang: str,
) -> None:
    """Harvest a list of URLs (one a line, '#' for comments): portals outside the catalogue."""
    urls = read_url_list(file.read())
    with _progress(as_json, lang) as advance:
        report = harvest_url_list(
            db,
            _archive(archive, db),
            urls,
            policy=_policy(rate, timeout, retries, max_bytes),
            progress=advance,
        )
    _finish(report, as_json, lang)


@click.command("rebuild")
@archive_option
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default="fundtrail-rebuilt.duckdb",
    show_default=True,
    help="The NEW store file to build (must not exist yet).",
)
@json_option
@lang_option
def rebuild_command(archive: str | None, db: str, as_json: bool, lang: str) -> None:
    """Rebuild a store from the archive and its manifest, with no network, reproducibly."""
    if Path(db).exists():
        raise click.UsageError(str(UsageError(f"{db} exists: rebuild writes a new store")))
    folder = _archive(archive, db)
    if not (folder / "manifest.jsonl").is_file():
        raise click.UsageError(f"no manifest.jsonl in {folder}")
    report = rebuild_store(folder, db)
    t = report.totals()
    if as_json:
        print_json(report.to_json())
    elif lang == "en":
        click.echo(
            f"{t['files']} files replayed: {t['ingested']} ingested, {t['refused']} "
            f"refused, {t['missing']} missing from the archive; {t['rows_read']} rows"
        )
    else:
        click.echo(
            f"{t['files']} fichiers rejoués : {t['ingested']} chargés, {t['refused']} "
            f"refusés, {t['missing']} absents de l'archive ; {t['rows_read']} lignes"
        )
    if t["missing"]:
        # A replay with holes is not the store the harvest built: the exit code says so.
        raise SystemExit(1)


COMMANDS = [harvest_group, rebuild_command]
