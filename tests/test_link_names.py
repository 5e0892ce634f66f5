"""Name keys: the table of messy names, and Python and SQL agreeing on real names."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from fundtrail.link.names import acronym, fold_name, name_key, register_macros

KEYS = [
    ("Association Les Amis du Parc", "AMIS PARC"),
    ("LES AMIS DU PARC", "AMIS PARC"),
    ("Amis du parc (Les)", "AMIS PARC"),
    ("ASS. SPORTIVE DE LA POLICE DE PARIS (ASPP)", "SPORTIVE POLICE PARIS"),
    ("Asso Cœur d'Élan", "COEUR ELAN"),
    ("L'ASSOCIATION", "L ASSOCIATION"),  # only legal-form words: the folded name stays
    ("  Théâtre   de l'Opprimé ", "THEATRE OPPRIME"),
    ("C14-PARIS", "C14 PARIS"),
    ("SARL Dupont & Fils", "DUPONT FILS"),
    ("", ""),
    (None, ""),
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_name_key(name: str | None, key: str) -> None:
    assert name_key(name) == key


def test_fold_and_acronym() -> None:
    assert fold_name("Éléphant (ÉLÉ) rose") == "ELEPHANT ROSE"
    assert acronym("ASSOCIATION SPORTIVE DE LA POLICE DE PARIS (ASPP)") == "ASPP"
    assert acronym("Sans sigle") is None


def test_key_is_idempotent() -> None:
    for name, _ in KEYS:
        assert name_key(name_key(name)) == name_key(name) or name_key(name) == fold_name(name)


def _sql_keys(names: list[str]) -> list[tuple[str, str]]:
    con = duckdb.connect(":memory:")
    register_macros(con)
    con.execute("CREATE TABLE n (name VARCHAR)")
    con.executemany("INSERT INTO n VALUES (?)", [(n,) for n in names])
    rows = con.execute("SELECT name, ft_name_key(name) FROM n ORDER BY name").fetchall()
    return [(str(a), str(b)) for a, b in rows]


def test_sql_macro_agrees_with_python_on_the_table() -> None:
    names = [n for n, _ in KEYS if n is not None]
    assert _sql_keys(names) == sorted((n, name_key(n)) for n in names)


@pytest.mark.shared
def test_sql_macro_agrees_with_python_on_real_names(shared_data: Path) -> None:
    paris = shared_data / "real/paris-2022-2024/subventions_paris_complet.csv"
    with paris.open(encoding="utf-8-sig", newline="") as handle:
        names = sorted({row["nom_beneficiaire"] for row in csv.DictReader(handle)})
    assert len(names) > 3000
    disagreements = [(n, k) for n, k in _sql_keys(names) if k != name_key(n)]
    assert disagreements == []
