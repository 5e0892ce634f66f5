"""Commands for dossiers and claim checking: ``dossier check``, ``dossier report``, ``check-text``.

Exit codes: 0 when no stated figure is contradicted, 1 when one is, 2 when the input cannot
be used (a malformed dossier, an unreadable file or store); errors go to standard error,
never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import click
import duckdb

from fundtrail.claims import check_text
from fundtrail.claims.render import render_html, render_text
from fundtrail.cli.common import json_option, lang_option, print_json
from fundtrail.dossier import DossierCheck, check_dossier, load_dossier, render_report
from fundtrail.dossier.problems import DossierFormatError
from fundtrail.errors import DossierError

DEFAULT_DB = "fundtrail.duckdb"

store_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB store of published grants to reconcile the funding plans with "
    f"(default: {DEFAULT_DB} when it exists in the current folder; none otherwise).",
)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def _check(path: str, db: str | None, lang: str) -> DossierCheck:
    """Return the check of the dossier at ``path``, exiting with 2 on a malformed file."""
    try:
        dossier = load_dossier(path)
    except DossierFormatError as exc:
        _fail(exc.render(lang))
        raise  # unreachable: _fail exits
    except DossierError as exc:
        _fail(str(exc))
        raise
    if db is None and Path(DEFAULT_DB).is_file():
        db = DEFAULT_DB
    if db is None:
        return check_dossier(dossier)
    if not Path(db).is_file():
        _fail(f"{db}: " + ("store not found" if lang == "en" else "base introuvable"))
    try:
        with duckdb.connect(db, read_only=True) as con:
            return check_dossier(dossier, con)
    except duckdb.Error as exc:
        _fail(f"{db}: {exc}")
        raise


@click.group("dossier")
def dossier_group() -> None:
    """Dossiers: an organisation's funding plans, targets and outcomes, checked.

    A dossier is a YAML file (format documented in docs/dossier.md, JSON Schema in
    schemas/dossier.schema.json).
    """


@dossier_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option
@json_option
@lang_option
def check_command(file: str, db: str | None, as_json: bool, lang: str) -> None:
    """Check a dossier: totals, shares, HHI, growth, costs, targets, stated figures, grants.

    Exit 0 when no stated figure is contradicted, 1 when one is, 2 on a malformed dossier.
    """
    check = _check(file, db, lang)
    if as_json:
        print_json(check.to_json())
    else:
        click.echo(render_report(check, "md", lang), nl=False)
    sys.exit(1 if check.counts().get("contradicted") else 0)


@dossier_group.command("report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="HTML page (with its chart, self-contained) or Markdown text.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write the report to (default: standard output).",
)
@store_option
@lang_option
def report_command(file: str, fmt: str, out: str | None, db: str | None, lang: str) -> None:
    """Write a citable report of a dossier: funding plan table and chart, verdicts, sources."""
    text = render_report(_check(file, db, lang), fmt, lang)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _decode(data: bytes) -> str | None:
    """Return ``data`` as text (UTF-8, else Windows-1252, else a detected encoding), or None.

    Windows-1252 comes before detection because it is what French and English texts use
    when they are not UTF-8, and detectors often misjudge short texts.
    """
    if b"\x00" in data:
        return None  # binary
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


@click.command("check-text")
@click.argument("file", type=click.File("rb"))
@json_option
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write an HTML page that marks each figure of the text.",
)
@lang_option
def check_text_command(file: BinaryIO, as_json: bool, html_out: str | None, lang: str) -> None:
    """Find the figures of a French or English text (FILE, or - for standard input) and
    check the relations it asserts: totals, percentages, growth rates, targets.

    Exit 0 when nothing is contradicted, 1 when something is.
    """
    text = _decode(file.read())
    if text is None:
        _fail(f"{file.name}: " + ("not a text file" if lang == "en" else "pas un fichier texte"))
        return
    check = check_text(text)
    if html_out:
        Path(html_out).write_text(render_html(check, lang), encoding="utf-8")
    if as_json:
        print_json(check.to_json())
    else:
        click.echo(render_text(check, lang), nl=False)
    sys.exit(1 if check.counts()["contradicted"] else 0)


COMMANDS = [dossier_group, check_text_command]
