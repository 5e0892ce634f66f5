"""The kind of an organisation (association, commune, EPCI, State body...) and its level.

Kinds come, in order of trust, from the reference lists a user loaded (communes, EPCI,
départements, régions with their SIREN), the register's legal category, SIREN prefix
rules for public bodies, the RNA number (only associations have one), and last from words
in the name. Each rule is a SQL ``CASE`` so that it runs set-based over every organisation.
"""

from __future__ import annotations

# Funder levels shown on profiles, in the order pages list them.
LEVELS: tuple[str, ...] = (
    "commune", "epci", "departement", "region", "state", "eu", "other-public", "private",
)  # fmt: skip

# INSEE gives public bodies SIRENs by prefix: 21 communes, 22 départements, 23 régions,
# 24 and 25 groupings of local authorities, 26-28 other local public bodies, 1 the State
# and its national public bodies.
SIREN_PREFIX_KIND_SQL = """
    CASE
        WHEN {siren} LIKE '21%' THEN 'commune'
        WHEN {siren} LIKE '22%' THEN 'departement'
        WHEN {siren} LIKE '23%' THEN 'region'
        WHEN {siren} LIKE '24%' OR {siren} LIKE '25%' THEN 'epci'
        WHEN {siren} LIKE '26%' OR {siren} LIKE '27%' OR {siren} LIKE '28%'
            THEN 'local-public-body'
        WHEN {siren} LIKE '1%' THEN 'state'
    END
"""

_EU_WORDS = "FEDER|FSE|FEADER|UNION EUROPEENNE|COMMISSION EUROPEENNE"
_ASSOCIATION_WORDS = (
    "ASSOCIATION|ASSOCIATIONS|ASSOC|ASSO|ASS|AMICALE|CLUB|FEDERATION|COMITE|UNION SPORTIVE"
)
_COMPANY_WORDS = "SARL|SAS|SASU|SA|EURL|SCOP|SCIC|SOCIETE|STE|SNC|SCI|EARL|GAEC"

# Words in a folded name (fundtrail.link.names.fold_name) that tell the kind.
NAME_KIND_SQL = (
    """
    CASE
        WHEN regexp_matches({folded}, '(^| )(@EU@)( |$)') THEN 'eu-fund'
        WHEN {folded} LIKE '%CHAMBRE DE COMMERCE%' OR {folded} LIKE '%CHAMBRE D AGRICULTURE%'
            OR {folded} LIKE '%CHAMBRE DE METIERS%' OR {folded} LIKE '%CHAMBRE DES METIERS%'
            THEN 'chamber'
        WHEN {folded} LIKE 'MINISTERE%' OR {folded} LIKE 'PREFECTURE%'
            OR {folded} LIKE 'ETAT %' OR {folded} = 'ETAT' THEN 'state'
        WHEN {folded} LIKE 'REGION %' OR {folded} LIKE 'CONSEIL REGIONAL%' THEN 'region'
        WHEN {folded} LIKE 'DEPARTEMENT%' OR {folded} LIKE 'CONSEIL DEPARTEMENTAL%'
            OR {folded} LIKE 'CONSEIL GENERAL%' THEN 'departement'
        WHEN {folded} LIKE 'COMMUNAUTE D AGGLOMERATION%'
            OR {folded} LIKE 'COMMUNAUTE DE COMMUNES%'
            OR {folded} LIKE 'COMMUNAUTE URBAINE%' OR {folded} LIKE 'METROPOLE%'
            OR {folded} LIKE '% METROPOLE' THEN 'epci'
        WHEN {folded} LIKE 'VILLE DE %' OR {folded} LIKE 'VILLE D %'
            OR {folded} LIKE 'COMMUNE DE %' OR {folded} LIKE 'COMMUNE D %'
            OR {folded} LIKE 'MAIRIE %' THEN 'commune'
        WHEN regexp_matches({folded}, '(^| )(@ASSOCIATION@)( |$)') THEN 'association'
        WHEN regexp_matches({folded}, '(^| )(@COMPANY@)( |$)') THEN 'company'
    END
""".replace("@EU@", _EU_WORDS)
    .replace("@ASSOCIATION@", _ASSOCIATION_WORDS)
    .replace("@COMPANY@", _COMPANY_WORDS)
)

# INSEE legal categories: 92xx associations, 7xxx public bodies, 1xxx sole traders,
# everything else a company or other private body.
LEGAL_CATEGORY_KIND_SQL = """
    CASE
        WHEN {category} LIKE '92%' THEN 'association'
        WHEN {category} LIKE '7210%' THEN 'commune'
        WHEN {category} LIKE '7220%' THEN 'departement'
        WHEN {category} LIKE '7230%' THEN 'region'
        WHEN {category} LIKE '734%' OR {category} LIKE '735%' THEN 'epci'
        WHEN {category} LIKE '71%' THEN 'state'
        WHEN {category} LIKE '7%' THEN 'other-public'
        WHEN {category} LIKE '1%' THEN 'sole-trader'
        WHEN {category} LIKE '9%' THEN 'other-private'
        WHEN {category} IS NOT NULL THEN 'company'
    END
"""

# The funder level a kind belongs to.
LEVEL_SQL = """
    CASE {kind}
        WHEN 'commune' THEN 'commune'
        WHEN 'epci' THEN 'epci'
        WHEN 'departement' THEN 'departement'
        WHEN 'region' THEN 'region'
        WHEN 'state' THEN 'state'
        WHEN 'eu-fund' THEN 'eu'
        WHEN 'local-public-body' THEN 'other-public'
        WHEN 'chamber' THEN 'other-public'
        WHEN 'other-public' THEN 'other-public'
        ELSE 'private'
    END
"""


def kind_sql(siren: str, folded: str, category: str, reference_kind: str, rna: str) -> str:
    """Return a SQL expression giving an organisation's kind and where it came from.

    The arguments are SQL expressions (column names) of the row being typed; the result is
    a struct ``{kind, source}``.
    """
    prefix = SIREN_PREFIX_KIND_SQL.format(siren=siren)
    by_name = NAME_KIND_SQL.format(folded=folded)
    legal = LEGAL_CATEGORY_KIND_SQL.format(category=category)
    return f"""
        CASE
            WHEN {reference_kind} IS NOT NULL
                THEN {{'kind': {reference_kind}, 'source': 'reference'}}
            WHEN ({legal}) IS NOT NULL THEN {{'kind': ({legal}), 'source': 'register'}}
            WHEN ({prefix}) IS NOT NULL THEN {{'kind': ({prefix}), 'source': 'siren-prefix'}}
            WHEN {rna} IS NOT NULL THEN {{'kind': 'association', 'source': 'rna'}}
            WHEN ({by_name}) IS NOT NULL THEN {{'kind': ({by_name}), 'source': 'name'}}
            ELSE {{'kind': 'unknown', 'source': 'none'}}
        END
    """
