"""Register extracts: a SIRENE stock file (Parquet or CSV) loaded into ``register_units``.

The file may use INSEE's published column names (``siren``, ``denominationUniteLegale``,
``categorieJuridiqueUniteLegale``, ``etatAdministratifUniteLegale``...) of the legal-unit or
establishment stock, or the lower-case ``fields.*`` names of the opendatasoft re-export
(as in ``ParisSubsidies_SIRENE.csv``). One row per SIREN is kept: the head office when the
file says which establishment it is. Units whose diffusion is restricted
(``statutDiffusionUniteLegale = 'P'``) keep their SIREN and status but no name.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fundtrail.errors import UsageError
from fundtrail.link.schema import create_link_schema

# canonical -> accepted column names (lower case, without a "fields." prefix), by preference
COLUMNS: dict[str, tuple[str, ...]] = {
    "siren": ("siren",),
    "siret": ("siret",),
    "name": ("denominationunitelegale", "denomination"),
    "legal_category": ("categoriejuridiqueunitelegale", "categoriejuridique"),
    "activity": ("activiteprincipaleunitelegale", "activiteprincipale", "sectionunitelegale"),
    "commune": ("libellecommuneetablissement", "libellecommune"),
    "postcode": ("codepostaletablissement", "codepostal"),
    "status": ("etatadministratifunitelegale", "etatadministratif"),
    "created": ("datecreationunitelegale", "datecreation"),
    "period_start": ("datedebut",),
    "head_office": ("etablissementsiege",),
    "diffusion": ("statutdiffusionunitelegale",),
}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _relation(path: Path) -> str:
    if path.suffix.lower() == ".parquet":
        return "read_parquet($path)"
    return "read_csv($path, header = true, all_varchar = true, sample_size = -1)"


def column_map(columns: list[str]) -> dict[str, str]:
    """Return canonical name -> the file's column for each register field the file has."""
    plain = {c.lower().removeprefix("fields."): c for c in columns}
    found: dict[str, str] = {}
    for canonical, names in COLUMNS.items():
        for name in names:
            if name in plain:
                found[canonical] = plain[name]
                break
    return found


def load_sirene(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load the SIRENE extract at ``path`` into ``register_units``; return the units loaded.

    A unit already present (from another file or the API) is replaced.
    """
    create_link_schema(con)
    path = Path(path)
    relation = _relation(path)
    columns = [
        str(r[0])
        for r in con.execute(f"DESCRIBE SELECT * FROM {relation}", {"path": str(path)}).fetchall()
    ]
    cols = column_map(columns)
    if "siren" not in cols and "siret" not in cols:
        raise UsageError(f"{path}: no siren or siret column: not a SIRENE extract")

    def col(name: str) -> str:
        return f"{_quote(cols[name])}::VARCHAR" if name in cols else "NULL::VARCHAR"

    siren = (
        f"regexp_replace({col('siren')}, '[^0-9]', '', 'g')"
        if "siren" in cols
        else f"substr(regexp_replace({col('siret')}, '[^0-9]', '', 'g'), 1, 9)"
    )
    hidden = f"coalesce({col('diffusion')}, 'O') = 'P'"
    status = f"lower(strip_accents(coalesce({col('status')}, '')))"
    sql = f"""
        INSERT OR REPLACE INTO register_units
        WITH units AS (
            SELECT {siren} AS siren,
                   CASE WHEN {hidden} THEN NULL ELSE nullif(trim({col("name")}), '') END AS name,
                   nullif(trim({col("legal_category")}), '') AS legal_category,
                   nullif(trim({col("activity")}), '') AS activity,
                   nullif(trim({col("commune")}), '') AS commune,
                   nullif(regexp_replace(trim({col("postcode")}), '\\.0$', ''), '') AS postcode,
                   CASE WHEN {status} IN ('a', 'active', 'actif') THEN 'active'
                        WHEN {status} IN ('c', 'cessee', 'ferme', 'closed') THEN 'closed'
                   END AS status,
                   try_cast({col("created")} AS DATE) AS created,
                   CASE WHEN {status} IN ('c', 'cessee', 'ferme', 'closed')
                        THEN try_cast({col("period_start")} AS DATE) END AS closed,
                   lower(coalesce({col("head_office")}, '')) IN ('true', 'oui', '1', 'o')
                       AS head_office
            FROM {relation}
        )
        SELECT siren,
               first(name ORDER BY head_office DESC, name NULLS LAST),
               first(legal_category ORDER BY head_office DESC),
               first(activity ORDER BY head_office DESC),
               first(commune ORDER BY head_office DESC),
               first(postcode ORDER BY head_office DESC),
               first(status ORDER BY head_office DESC),
               min(created), max(closed),
               $source
        FROM units WHERE regexp_matches(siren, '^[0-9]{{9}}$')
        GROUP BY siren
    """  # column names are quoted; values travel as parameters
    source = f"sirene-file:{path.name}"
    con.execute(sql, {"path": str(path), "source": source})
    loaded = con.execute(
        "SELECT count(*) FROM register_units WHERE source = $s", {"s": source}
    ).fetchall()[0][0]
    return int(loaded)
