"""The method page: how figures are computed, what is counted once, what is never summed."""

from __future__ import annotations

from typing import Any

from fundtrail.web.locale import Lang
from fundtrail.web.sql import BANDS

SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Ce qui est lu", "What is read",
        "Chaque fichier publié (CSV, tableur, JSON) est lu ligne par ligne ; chaque ligne "
        "physique est numérotée. Pour chaque fichier : lignes lues = lignes acceptées + lignes "
        "mises à l'écart. Une ligne mise à l'écart garde ses valeurs brutes et ses raisons.",
        "Every published file (CSV, spreadsheet, JSON) is read row by row; every physical "
        "row is numbered. For every file: rows read = rows accepted + rows quarantined. A "
        "quarantined row keeps its raw values and its reasons.",
    ),
    (
        "Ce qui est réparé", "What is repaired",
        "Une réparation (SIRET ayant perdu son zéro initial, montant « 1 234,50 € », date "
        "Excel) garde la valeur publiée, la valeur réparée et la règle appliquée. Une valeur "
        "irrécupérable (un SIRET devenu « 2,43E+13 ») est signalée, jamais inventée.",
        "A repair (a SIRET that lost its leading zero, an amount '1 234,50 €', an Excel "
        "date) keeps the published value, the repaired value and the rule. A value that "
        "cannot be recovered (a SIRET turned into '2,43E+13') is flagged, never invented.",
    ),
    (
        "Ce qui est additionné", "What is summed",
        "Les montants sont des décimaux exacts, jamais des flottants ; ils ne sont arrondis "
        "qu'à l'affichage. Les totaux additionnent les montants attribués, et les montants "
        "dont le fichier ne dit pas la nature. Les montants versés ou demandés sont d'autres "
        "grandeurs : ils sont montrés, jamais ajoutés aux montants attribués.",
        "Amounts are exact decimals, never floats; they are rounded only for display. "
        "Totals add awarded amounts and amounts whose kind the file does not state. Paid or "
        "requested amounts are other quantities: they are shown, never added to awarded ones.",
    ),
    (
        "Ce qui est compté une fois", "What is counted once",
        "Une organisation est reconnue par son SIREN, à défaut par son numéro RNA, à défaut "
        "par son nom sans accents, casse ni ponctuation. Une subvention publiée deux fois "
        "(même attribuant, bénéficiaire, date et montant) forme un groupe de doublons dont un "
        "seul membre est compté, quand l'étape de rattachement a été exécutée.",
        "An organisation is recognised by its SIREN, else its RNA number, else its name "
        "without accents, case or punctuation. A grant published twice (same funder, "
        "beneficiary, date and amount) forms a duplicate cluster of which one member is "
        "counted, once the linking step has run.",
    ),
    (
        "Parts, évolution, dépendance", "Shares, growth, dependence",
        "La part d'un attribuant est son montant divisé par le total de l'organisation. "
        "L'évolution compare une année à l'année précédente quand les deux sont publiées. La "
        "dépendance est la part du premier attribuant. L'indice de concentration HHI "
        "(Herfindahl-Hirschman) est la somme des carrés des parts des attribuants en pour "
        "cent, sur l'échelle usuelle de 0 à 10 000 : 10 000 pour un seul attribuant, 5 000 "
        "pour deux à parts égales ; le jumeau JSON le donne sur la même échelle (« hhi »).",
        "A funder's share is its amount divided by the organisation's total. Growth compares "
        "a year with the year before when both are published. Dependence is the share of "
        "the largest funder. The HHI concentration index (Herfindahl-Hirschman) is the sum "
        "of the funders' squared shares in per cent, on the usual 0 to 10,000 scale: 10,000 "
        "for a single funder, 5,000 for two with equal shares; the JSON twin gives it on "
        "the same scale ('hhi').",
    ),
    (
        "Une seule vue après rattachement", "One view after linking",
        "Tant que l'étape « fundtrail link » n'a pas été exécutée, une organisation réunit "
        "les subventions publiées sous son SIREN, son RNA ou son nom exact. Une fois les "
        "subventions rattachées, chaque chiffre d'une page d'organisation ou d'attribuant "
        "(totaux, tableaux, graphiques, liste des subventions, exports) porte sur les "
        "subventions rattachées à cette organisation, y compris celles publiées sans SIRET "
        "et rattachées par leur nom ; chaque subvention dit comment elle a été rattachée.",
        "Until the 'fundtrail link' step has run, an organisation gathers the grants "
        "published under its SIREN, its RNA or its exact name. Once grants are linked, every "
        "figure of an organisation or funder page (totals, tables, charts, grants list, "
        "exports) covers the grants linked to that organisation, including those published "
        "without SIRET and linked by name; each grant says how it was linked.",
    ),
    (
        "Données personnelles", "Personal data",
        "Un identifiant de personne (NIR, colonnes « SIRET ou NIR ») n'est jamais affiché, "
        "exporté ni indexé : il est masqué dès la lecture.",
        "A personal identifier (a NIR, 'SIRET or NIR' columns) is never shown, exported or "
        "indexed: it is withheld as soon as the file is read.",
    ),
    (
        "Pagination et exports", "Pagination and exports",
        "Les listes sont paginées par curseur (paramètre « after », 50 lignes par défaut, "
        "500 au plus, paramètre « limit »). Les exports CSV donnent toutes les lignes, sans "
        "plafond ; les cellules commençant par = + - @ sont neutralisées par une apostrophe.",
        "Lists are paged by cursor ('after' parameter, 50 rows by default, at most 500, "
        "'limit' parameter). CSV exports give every row, with no cap; cells beginning with "
        "= + - @ are neutralised with an apostrophe.",
    ),
)  # fmt: skip


def method(lang: Lang) -> dict[str, Any]:
    """Return the method page's sections in ``lang`` and the amount bands used by facets."""
    en = lang == "en"
    return {
        "sections": [
            {"title": s[1] if en else s[0], "text": s[3] if en else s[2]} for s in SECTIONS
        ],
        "tables": {
            "bands": [{"band": code, "from": low, "below": high} for code, low, high in BANDS]
        },
    }
