"""Commands about organisations: link, profile, funder, signals, search, review, reference, enrich.

Each command is one call of the library (``fundtrail.link``, ``fundtrail.analysis``) and a
renderer: text in French (default) or English, or the same data as JSON with ``--json``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import click

from fundtrail.catalogue import render
from fundtrail.cli.common import db_option, json_option, lang_option, print_json
from fundtrail.store import open_store

TEXT = {
    "fr": {
        "not_found": "Aucun organisme ne correspond à « {q} ».",
        "total": "Total attribué",
        "grants": "subventions",
        "by_year": "Par année",
        "by_funder": "Par financeur",
        "share": "part",
        "growth": "Croissance annuelle composée",
        "dependence": "Part du premier financeur",
        "funders": "Financeurs distincts",
        "levels": "Niveaux de financeurs",
        "signals": "Signaux",
        "quality": "Qualité des données",
        "repaired": "identifiants réparés",
        "quarantined": "lignes en quarantaine le nommant",
        "top": "Principaux bénéficiaires",
        "bands": "Tranches de montants",
        "associations": "Part aux associations",
        "publication": "Qualité de publication",
        "peers": "médiane des {n} pairs de même niveau",
        "valid_ids": "identifiants valides",
        "filled": "champs remplis",
        "links": "Liens",
        "review": "à revoir",
        "organisations": "organismes",
        "clusters": "groupes de doublons",
        "no_signal": "Aucun signal.",
        "rows": "lignes",
        "other_kinds": "Non additionnés au total",
    },
    "en": {
        "not_found": "No organisation matches '{q}'.",
        "total": "Total awarded",
        "grants": "grants",
        "by_year": "By year",
        "by_funder": "By funder",
        "share": "share",
        "growth": "Compound yearly growth",
        "dependence": "Largest funder's share",
        "funders": "Distinct funders",
        "levels": "Funder levels",
        "signals": "Signals",
        "quality": "Data quality",
        "repaired": "repaired identifiers",
        "quarantined": "quarantined rows naming it",
        "top": "Top beneficiaries",
        "bands": "Amount bands",
        "associations": "Share to associations",
        "publication": "Publication quality",
        "peers": "median of {n} peers of the same level",
        "valid_ids": "valid identifiers",
        "filled": "fields filled",
        "links": "Links",
        "review": "to review",
        "organisations": "organisations",
        "clusters": "duplicate clusters",
        "no_signal": "No signal.",
        "rows": "rows",
        "other_kinds": "Not added to the total",
    },
}


def money(value: Any, lang: str) -> str:
    """Return an amount for display: '1 437 500 €' in French, '€1,437,500' in English."""
    amount = Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if lang == "en":
        return f"€{text}"
    return text.replace(",", "\u202f").replace(".", ",") + " €"


def percent(value: Any, lang: str) -> str:
    """Return a fraction as a percentage with one decimal ('45,2 %' or '45.2%')."""
    if value is None:
        return "—"
    number = f"{Decimal(str(value)) * 100:.1f}"
    return f"{number}%" if lang == "en" else number.replace(".", ",") + " %"


def _connect(db: str, read_only: bool = False) -> Any:
    return open_store(db, read_only=read_only)


@click.command("link")
@db_option
@click.option(
    "--decisions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Linking decisions file (YAML, see docs/linking.md); it always wins.",
)
@json_option
@lang_option
def link_command(db: str, decisions: Path | None, as_json: bool, lang: str) -> None:
    """Link grants to organisations, find duplicates, rebuild profiles and signals."""
    from fundtrail.link.build import build_links

    con = _connect(db)
    report = build_links(con, decisions)
    if as_json:
        print_json(report.as_dict())
        return
    t = TEXT[lang]
    for role, methods in report.links.items():
        for method, n in methods.items():
            click.echo(f"{role:12} {n:>8}  {render(method, lang)}")
    click.echo(
        f"{report.organisations} {t['organisations']}, {report.review} {t['review']}, "
        f"{report.clusters} {t['clusters']}, {report.signals} {t['signals'].lower()}"
    )


def _identity_lines(org: dict[str, Any]) -> list[str]:
    ids = ", ".join(i["id"] for i in org["identifiers"][:6]) or org["id"]
    place = " ".join(p for p in (org.get("postcode"), org.get("commune")) if p)
    head = f"{org['name']}  [{org['id']}]  {org['kind']}"
    return [head, f"  {ids}" + (f"  — {place}" if place else "")]


def _echo_heading(org: dict[str, Any], data: dict[str, Any], lang: str) -> None:
    """Echo an organisation's identity lines, then the total of ``data`` and its grant count."""
    t = TEXT[lang]
    for line in _identity_lines(org):
        click.echo(line)
    click.echo(f"{t['total']}: {money(data['total_amount'], lang)} ({data['grants_count']} "
               f"{t['grants']})")  # fmt: skip


def _echo_by_year(by_year: list[dict[str, Any]], lang: str, width: int) -> None:
    """Echo the amounts by year, right-aligned on ``width`` characters."""
    click.echo(f"\n{TEXT[lang]['by_year']}")
    for y in by_year:
        click.echo(f"  {y['year'] or '?'}  {money(y['amount'], lang):>{width}}  ({y['grants']})")


@click.command()
@click.argument("query")
@db_option
@json_option
@lang_option
def profile(query: str, db: str, as_json: bool, lang: str) -> None:
    """Show who funds an organisation (QUERY: name, SIREN, SIRET, RNA or org id)."""
    from fundtrail.analysis.profile import organisation_profile

    data = organisation_profile(_connect(db, read_only=True), query)
    t = TEXT[lang]
    if data is None:
        raise click.ClickException(t["not_found"].format(q=query))
    if as_json:
        print_json(data)
        return
    _echo_heading(data["organisation"], data, lang)
    others = {k: v for k, v in data["totals_by_kind"].items() if k != "awarded"}
    for kind, v in others.items():
        click.echo(f"  {t['other_kinds']}: {kind} {money(v['amount'], lang)} ({v['grants']})")
    _echo_by_year(data["by_year"], lang, width=16)
    click.echo(f"\n{t['by_funder']}")
    for f in data["by_funder"]:
        years = f"{f['first_year']}-{f['last_year']}"
        click.echo(
            f"  {money(f['amount'], lang):>16}  {percent(f['share'], lang):>7}  {years}  "
            f"{f['funder_name'] or f['funder_id']} [{f['level']}]"
        )
    d = data["dependence"]
    click.echo(
        f"\n{t['growth']}: {percent(data['growth']['compound_rate'], lang)}; "
        f"{t['dependence']}: {percent(d['largest_funder_share'], lang)}; HHI {d['hhi']}; "
        f"{t['funders']}: {data['funders_count']}"
    )
    q = data["quality"]
    click.echo(
        f"{t['quality']}: {q['repaired_identifiers']} {t['repaired']}, "
        f"{len(q['quarantined_rows'])} {t['quarantined']}"
    )
    _echo_signals(data["signals"], lang)
    click.echo(f"\n{data['grants']['count']} {t['grants']}:")
    for g in data["grants"]["shown"][:50]:
        click.echo(
            f"  {g['grant_id']:>12}  {g['year'] or '?'}  {money(g['counted_amount'], lang):>14}  "
            f"{g['source_name']}:{g['row_number']}  {render(g['link_method'], lang)} "
            f"({g['link_explanation']})"
        )


def _echo_signals(signals: list[dict[str, Any]], lang: str) -> None:
    t = TEXT[lang]
    click.echo(f"\n{t['signals']}: " + ("" if signals else t["no_signal"]))
    for s in signals:
        grants = ", ".join(s["grant_ids"][:8]) + (" …" if len(s["grant_ids"]) > 8 else "")
        click.echo(
            f"  {render(s['rule'], lang)} — {s['threshold']} — {s['value']} — {t['rows']}: {grants}"
        )


@click.command()
@click.argument("query")
@db_option
@json_option
@lang_option
def funder(query: str, db: str, as_json: bool, lang: str) -> None:
    """Show what a funder granted, to whom, and how well it publishes."""
    from fundtrail.analysis.funder import funder_profile

    data = funder_profile(_connect(db, read_only=True), query)
    t = TEXT[lang]
    if data is None:
        raise click.ClickException(t["not_found"].format(q=query))
    if as_json:
        print_json(data)
        return
    _echo_heading(data["funder"], data, lang)
    _echo_by_year(data["by_year"], lang, width=18)
    click.echo(f"\n{t['top']}")
    for b in data["top_beneficiaries"]:
        click.echo(
            f"  {money(b['amount'], lang):>16}  {percent(b['share'], lang):>7}  "
            f"{b['beneficiary_name']} [{b['beneficiary_id']}]"
        )
    click.echo(f"\n{t['bands']}")
    for b in data["amount_bands"]:
        click.echo(f"  {b['band']:>20}  {b['grants']:>6}  {money(b['amount'], lang):>18}")
    click.echo(f"\n{t['associations']}: {percent(data['share_to_associations'], lang)}")
    q = data["quality"]
    if q:
        peers = q["peers_median"]
        click.echo(
            f"{t['publication']}: {t['valid_ids']} {percent(q['valid_ids_share'], lang)}, "
            f"{t['filled']} {percent(q['filled_share'], lang)}, "
            f"{q['quarantined']}/{q['rows_read']} {t['quarantined'].split()[0]} — "
            f"{t['peers'].format(n=q['peers_count'])}: "
            f"{percent(peers['valid_ids_share'], lang)}, {percent(peers['filled_share'], lang)}"
        )


@click.command()
@click.option("--funder", "funder_query", help="Only signals on this funder's grants.")
@db_option
@json_option
@lang_option
def signals(funder_query: str | None, db: str, as_json: bool, lang: str) -> None:
    """List the watchdog signals, each with its rule, threshold and rows."""
    from fundtrail.analysis.signals import list_signals

    found = list_signals(_connect(db, read_only=True), funder_query)
    if as_json:
        print_json(found)
        return
    t = TEXT[lang]
    if not found:
        click.echo(t["no_signal"])
    for s in found:
        who = s["org_name"] or s["org_id"] or ""
        grants = ", ".join(s["grant_ids"][:8]) + (" …" if len(s["grant_ids"]) > 8 else "")
        click.echo(
            f"{render(s['rule'], lang)}\n  {who} {s['year'] or ''} — {s['threshold']} — "
            f"{s['value']}\n  {t['rows']}: {grants}"
        )


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="Most results shown.")
@db_option
@json_option
def search(text: str, limit: int, db: str, as_json: bool) -> None:
    """Search organisations by name or identifier."""
    from fundtrail.link.search import search_organisations

    found = search_organisations(_connect(db, read_only=True), text, limit)
    if as_json:
        print_json(found)
        return
    for o in found:
        click.echo(f"{o['score']:.3f}  {o['org_id']:18}  {o['kind']:12}  {o['name']}")


@click.command()
@db_option
@click.option("--limit", default=50, show_default=True, help="Most items shown.")
@json_option
@lang_option
def review(db: str, limit: int, as_json: bool, lang: str) -> None:
    """List the links left for a person to decide (ambiguous or merely similar names)."""
    con = _connect(db, read_only=True)
    rows = con.execute(
        """SELECT grant_id, role, name, candidate_org_id, candidate_name, score, reason
           FROM link_review ORDER BY score DESC, grant_id LIMIT $limit""",
        {"limit": limit},
    ).fetchall()
    keys = ("grant_id", "role", "name", "candidate_org_id", "candidate_name", "score", "reason")
    items = [dict(zip(keys, r, strict=True)) for r in rows]
    if as_json:
        print_json(items)
        return
    for i in items:
        click.echo(
            f"{i['grant_id']:>12} {i['role']:11} {i['score']:.3f}  {i['name']!r} -> "
            f"{i['candidate_org_id']} {i['candidate_name']!r}  ({render(i['reason'], lang)})"
        )


@click.group("reference")
def reference_group() -> None:
    """Reference lists of public bodies (communes, EPCI, départements, régions)."""


@reference_group.command("load")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@db_option
@json_option
def reference_load(path: Path, db: str, as_json: bool) -> None:
    """Load the reference lists found at PATH (a file or a folder) into the store."""
    from fundtrail.link.reference import load_reference

    counts = load_reference(_connect(db), path)
    if as_json:
        print_json(counts)
        return
    for kind, n in counts.items():
        click.echo(f"{kind:12} {n:>7}")


@click.group("enrich")
def enrich_group() -> None:
    """Enrich organisations from the company register (SIRENE)."""


@enrich_group.command("sirene")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@json_option
def enrich_sirene(file: Path, db: str, as_json: bool) -> None:
    """Load a SIRENE stock extract (Parquet or CSV, INSEE's columns); run `link` after."""
    from fundtrail.link.register import load_sirene

    n = load_sirene(_connect(db), file)
    if as_json:
        print_json({"units": n})
        return
    click.echo(f"{n} SIREN")


@enrich_group.command("api")
@db_option
@click.option("--limit", type=int, help="Ask about at most this many SIRENs.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".fundtrail-cache/recherche"),
    show_default=True,
    help="Folder keeping the API's answers.",
)
@click.option("--url", default="https://recherche-entreprises.api.gouv.fr", show_default=True,
              help="Base URL of the API Recherche d'entreprises.")  # fmt: skip
@json_option
def enrich_api(db: str, limit: int | None, cache: Path, url: str, as_json: bool) -> None:
    """Ask the API Recherche d'entreprises about SIRENs without register data (network)."""
    from fundtrail.link.recherche import RechercheClient, enrich_from_api

    client = RechercheClient(url, cache_dir=cache)
    try:
        counts = enrich_from_api(_connect(db), client, limit)
    finally:
        client.close()
    if as_json:
        print_json(counts)
        return
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


COMMANDS = [
    link_command, profile, funder, signals, search, review, reference_group, enrich_group,
]  # fmt: skip
