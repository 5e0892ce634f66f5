"""Reference lists of public bodies with their SIREN: communes, EPCI, départements, régions.

A user loads them with ``fundtrail reference load PATH`` from the files the state and
Etalab publish (``@etalab/decoupage-administratif``: ``communes.json[.gz]``, ``epci.json``;
a ``siren,echelon,code,nom`` CSV of départements and régions). The project never copies
them; they land in the store's ``reference_bodies`` table, where linking reads them to type
funders and to recognise a funder named badly ("CD 49", "Ville de Paris").
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fundtrail.errors import FundtrailError
from fundtrail.link.names import register_macros
from fundtrail.link.schema import create_link_schema

# file name -> SELECT giving (siren, kind, code, name, postcodes) from the file at $path.
_READERS: dict[str, str] = {
    "communes": """
        SELECT siren, 'commune' AS kind, code, nom AS name, codesPostaux AS postcodes
        FROM read_json_auto($path, format = 'array')
        WHERE siren IS NOT NULL AND coalesce(type, 'commune-actuelle') = 'commune-actuelle'
    """,
    "epci": """
        SELECT code AS siren, 'epci' AS kind, code, nom AS name, NULL::VARCHAR[] AS postcodes
        FROM read_json_auto($path, format = 'array')
    """,
    "collectivites": """
        SELECT siren::VARCHAR AS siren,
               CASE echelon WHEN 'region' THEN 'region' ELSE 'departement' END AS kind,
               code::VARCHAR AS code, nom AS name, NULL::VARCHAR[] AS postcodes
        FROM read_csv($path, header = true, all_varchar = true)
    """,
}


def _reader_for(path: Path) -> str | None:
    name = path.name.lower()
    if name.startswith("communes.json"):
        return "communes"
    if name.startswith("epci.json"):
        return "epci"
    if name.endswith(".csv") and "siren" in name and ("region" in name or "departement" in name):
        return "collectivites"
    return None


def reference_files(path: Path) -> list[tuple[Path, str]]:
    """Return the reference files found at ``path`` (a file or a folder) with their reader."""
    candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
    found = [(p, r) for p in candidates if p.is_file() and (r := _reader_for(p)) is not None]
    return found


def load_reference(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    """Load the reference lists at ``path`` into ``reference_bodies``; return rows per kind.

    Loading twice replaces the rows of the same SIREN (the last file read wins), so a user
    can reload a newer list.
    """
    create_link_schema(con)
    register_macros(con)
    files = reference_files(Path(path))
    if not files:
        raise FundtrailError(f"no reference list found at {path}")
    for file, reader in files:
        con.execute(
            f"""
            INSERT OR REPLACE INTO reference_bodies
            SELECT siren, kind, code, name, ft_name_key(name), postcodes, $source
            FROM ({_READERS[reader]})
            WHERE regexp_matches(siren, '^[0-9]{{9}}$')
            """,  # the inner SELECT is a constant of this module
            {"path": str(file), "source": file.name},
        )
    rows = con.execute(
        "SELECT kind, count(*) FROM reference_bodies GROUP BY kind ORDER BY kind"
    ).fetchall()
    return {str(kind): int(n) for kind, n in rows}
