"""The demo command: build the demo store from fictional files and the ENE dossier."""

from __future__ import annotations

from pathlib import Path

import click

from fundtrail.cli.common import json_option, lang_option, print_json
from fundtrail.cli.ingest import STATUS
from fundtrail.demo import build_demo


@click.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default="demo.duckdb",
    show_default=True,
    help="Store file to (re)build; an existing file of that name is replaced.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="demo-out",
    show_default=True,
    help="Folder where the demo files are written.",
)
@json_option
@lang_option
def demo(db: str, out: str, as_json: bool, lang: str) -> None:
    """Build the demo store: fictional files with real-world defects, plus the ENE dossier.

    The demo's funders and associations are fictional and say so in their names;
    the ENE dossier restates the facts of a real citizens' article.
    """
    report = build_demo(Path(out), Path(db))
    if as_json:
        print_json(
            {
                "db": report.db,
                "ingest": report.ingest.to_json(),
                "steps": {k: str(v) for k, v in report.steps.items()},
            }
        )
        return
    en = lang == "en"
    for item in report.ingest.files:
        click.echo(
            f"{Path(item.path).name}: {STATUS[lang][item.status]}, {item.rows_read} "
            + ("rows read" if en else "lignes lues")
            + f", {item.rows_accepted} "
            + ("accepted" if en else "acceptées")
            + f", {item.rows_quarantined} "
            + ("quarantined" if en else "en quarantaine")
        )
    totals = report.ingest.totals()
    click.echo(
        (
            f"Demo store {report.db}: {totals['rows_accepted']} grants, "
            f"{totals['rows_quarantined']} quarantined rows, {totals['files']} files."
        )
        if en
        else (
            f"Store de démonstration {report.db} : {totals['rows_accepted']} subventions, "
            f"{totals['rows_quarantined']} lignes en quarantaine, {totals['files']} fichiers."
        )
    )
    for step, value in report.steps.items():
        if step != "dossier_check":
            click.echo(f"  {step}: {value}")


COMMANDS = [demo]
