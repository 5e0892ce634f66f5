"""The demo command: build the demo store from fictional files and the ENE dossier."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from fundtrail.cli.common import json_option, lang_option, print_json
from fundtrail.cli.ingest import file_line
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
                "link": report.link.as_dict(),
                "dossier": report.dossier_check.to_json(),
            }
        )
        return
    en = lang == "en"
    for item in report.ingest.files:
        click.echo(file_line(item, lang))
    totals = report.ingest.totals()
    link = report.link
    by_method = Counter[str]()
    for methods in link.links.values():
        by_method.update(methods)
    verdicts = report.dossier_check.counts()
    if en:
        click.echo(
            f"Demo store {report.db}: {totals['rows_accepted']} grants, "
            f"{totals['rows_quarantined']} quarantined rows, {totals['files']} files; "
            f"{link.organisations} organisations, links by method "
            f"{dict(sorted(by_method.items()))}, {link.review} to review, "
            f"{link.signals} signals."
        )
        click.echo(
            f"ENE dossier ({report.dossier}): {verdicts['consistent']} stated figures "
            f"consistent, {verdicts['contradicted']} contradicted, "
            f"{verdicts['unverifiable']} unverifiable."
        )
    else:
        click.echo(
            f"Store de démonstration {report.db} : {totals['rows_accepted']} subventions, "
            f"{totals['rows_quarantined']} lignes en quarantaine, {totals['files']} fichiers ; "
            f"{link.organisations} organisations, liens par méthode "
            f"{dict(sorted(by_method.items()))}, {link.review} à revoir, "
            f"{link.signals} signaux."
        )
        click.echo(
            f"Dossier ENE ({report.dossier}) : {verdicts['consistent']} chiffres cohérents, "
            f"{verdicts['contradicted']} contredits, {verdicts['unverifiable']} invérifiables."
        )


COMMANDS = [demo]
