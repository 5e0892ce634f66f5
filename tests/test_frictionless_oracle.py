"""fundtrail's conformance against frictionless, the reference Table Schema validator.

For every official example of every SCDL version, both judge the same file against the
same schema file. Cell errors are compared as ``(row, field, kind)`` with kind "type" or
"constraint" (frictionless numbers rows with the header as row 1; our records are
numbered the same way). Every difference must be explained by one of DIVERGENCES below,
and every entry there must explain at least one difference (so the table cannot rot).
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest

from fundtrail.validate.conformance import ConformanceReport, check_table

frictionless = pytest.importorskip("frictionless")

SCHEMAS = "schemas/scdl-subventions"
# folder of the official repository -> the version fundtrail is asked to judge against
FOLDERS = {
    "v1.1": "1.1",
    # The arrêté-columns draft of 2018-04-27 has the 1.1 schema (test_versions checks it);
    # the initial draft's schema.json is not valid JSON, so frictionless cannot run on it.
    "arrete-cols-2018-04-27": "1.1",
    "v2.0.0": "2.0.0",
    "v2.0.1": "2.0.1",
    "v2.0.2": "2.0.2",
    "v2.1.0": "2.1.0",
    "v2.1.1": "2.1.1",
    "HEAD-datasubvention-draft-2024": "draft-2024",
}

DIVERGENCES = {
    "validata-custom-check": (
        "The schemas declare custom_checks (french-siret-value, one-of-required) that the "
        "official validator validata runs and plain frictionless ignores; fundtrail runs "
        "them, so only fundtrail reports these cells."
    ),
    "positional-binding": (
        "frictionless binds column i to schema field i; fundtrail binds columns by name "
        "(and reports the order, the misnamed or duplicate label as column issues). Where "
        "a file's label at position i is not the schema's field i (swapped, misnamed, "
        "duplicate or missing columns, the 2.1 examples judged by the 40-field 2024 draft), "
        "frictionless checks that field against another column's values, so its cell "
        "errors there name a different field than fundtrail's."
    ),
}
_KIND = {
    "schema-type-number": "type",
    "schema-type-integer": "type",
    "schema-type-date": "type",
    "schema-type-boolean": "type",
    "schema-required-missing": "constraint",
    "schema-pattern": "constraint",
    "schema-enum": "constraint",
    "schema-minimum": "constraint",
    "schema-maximum": "constraint",
    "schema-max-length": "constraint",
    "schema-siret-checksum": "validata-custom-check",
    "schema-one-of-required": "validata-custom-check",
}
_ROW_ERRORS = {
    "extra-cell": "schema-extra-cell",
    "missing-cell": "schema-missing-cell",
    "blank-row": "schema-blank-row",
}


def _examples(root: Path) -> list[tuple[str, str]]:
    found = []
    for folder, version in FOLDERS.items():
        for path in sorted((root / SCHEMAS / folder).rglob("*.csv")):
            found.append((str(path.relative_to(root / SCHEMAS)), version))
    return found


def _schema_file(root: Path, name: str) -> Path:
    """Return the schema.json of the folder an example belongs to."""
    path = root / SCHEMAS / name
    return path.parents[1 if path.parent.name == "exemples" else 0] / "schema.json"


def _read(path: Path) -> tuple[str, list[list[str]]]:
    """Return the encoding and rows of an example (UTF-8, or cp1252 for the duplicates)."""
    raw = path.read_bytes()
    for encoding in ("utf-8", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding, list(csv.reader(text.splitlines(keepends=True)))
    raise AssertionError(f"{path} is neither UTF-8 nor cp1252")


@functools.cache
def _judge(root: str, name: str, version: str) -> tuple[ConformanceReport, object, list[str]]:
    path = Path(root) / SCHEMAS / name
    encoding, rows = _read(path)
    ours = check_table(rows[0], [(n, cells) for n, cells in enumerate(rows[1:], start=2)],
                       version=version)  # fmt: skip
    schema_file = _schema_file(Path(root), name)
    with frictionless.system.use_context(trusted=True):
        resource = frictionless.Resource(
            path=str(path),
            schema=frictionless.Schema.from_descriptor(str(schema_file)),
            encoding=encoding,
        )
        theirs = frictionless.validate(resource)
    return ours, theirs, rows[0]


def _compare(root: Path, name: str, version: str) -> dict[str, set[tuple[int, str, str]]]:
    """Return the unexplained differences and, per divergence, the differences it explains."""
    ours, theirs, header = _judge(str(root), name, version)
    schema = frictionless.Schema.from_descriptor(str(_schema_file(root, name)))
    schema_names = [f.name for f in schema.fields]
    labels = [h.replace("\ufeff", "") for h in header]
    # fundtrail reads field f from the first column labelled f; frictionless from column i.
    misaligned = {
        field
        for i, field in enumerate(schema_names)
        if field not in labels or labels.index(field) != i
    }

    mine = {(i.row, i.field, _KIND[i.code]) for i in ours.issues if i.code in _KIND}
    mine_rows = {(i.row, i.code) for i in ours.issues if i.code in _ROW_ERRORS.values()}
    their_cells: set[tuple[int, str, str]] = set()
    their_rows: set[tuple[int, str]] = set()
    for task in theirs.tasks:  # type: ignore[attr-defined]
        for error in task.errors:
            if error.type in ("type-error", "constraint-error"):
                kind = error.type.split("-")[0]
                their_cells.add((error.row_number, error.field_name, kind))
            elif error.type in _ROW_ERRORS:
                their_rows.add((error.row_number, _ROW_ERRORS[error.type]))
            else:
                assert error.type.endswith("-label"), (name, error.type, error.note)
    assert not ours.truncated
    assert mine_rows == their_rows, name

    explained: dict[str, set[tuple[int, str, str]]] = {k: set() for k in DIVERGENCES}
    unexplained: set[tuple[int, str, str]] = set()
    for difference in mine ^ their_cells:
        _, field, kind = difference
        if kind == "validata-custom-check" and difference in mine:
            explained["validata-custom-check"].add(difference)
        elif field in misaligned:
            explained["positional-binding"].add(difference)
        else:
            unexplained.add(difference)
    return {"unexplained": unexplained, **explained}


@pytest.fixture(scope="module")
def examples(shared_data: Path) -> list[tuple[str, str]]:
    found = _examples(shared_data)
    assert len(found) == 25  # every example CSV of the seven schema folders
    return found


def test_every_difference_with_frictionless_is_explained(
    shared_data: Path, examples: list[tuple[str, str]]
) -> None:
    used: set[str] = set()
    for name, version in examples:
        result = _compare(shared_data, name, version)
        assert result["unexplained"] == set(), name
        used |= {k for k in DIVERGENCES if result[k]}
    assert used == set(DIVERGENCES)


def test_cells_agree_exactly_on_the_cell_error_examples(shared_data: Path) -> None:
    # Files whose columns are exactly the schema's: every type/constraint error the same.
    for name, version in [
        ("v1.1/exemples/exemple_invalide.csv", "1.1"),
        ("v2.0.2/exemples/exemple_invalide_erreurs_cellules.csv", "2.0.2"),
        ("v2.1.1/exemples/exemple_invalide_erreurs_cellules.csv", "2.1.1"),
    ]:
        result = _compare(shared_data, name, version)
        assert result["unexplained"] == set() and result["positional-binding"] == set()
        ours, _, _ = _judge(str(shared_data), name, version)
        shared = {
            (i.row, i.field) for i in ours.issues if _KIND.get(i.code) in ("type", "constraint")
        }
        assert len(shared) >= 5, name  # the file does carry cell errors


VALID = [
    ("v2.0.2/exemples/exemple_valide.csv", "2.0.2"),
    ("v2.1.0/exemples/exemple_valide.csv", "2.1.0"),
    ("v2.1.1/exemples/exemple_valide.csv", "2.1.1"),
]


@pytest.mark.parametrize(("name", "version"), VALID)
def test_official_valid_examples_give_no_error(shared_data: Path, name: str, version: str) -> None:
    ours, theirs, _ = _judge(str(shared_data), name, version)
    assert ours.valid and ours.issues == ()
    assert theirs.valid  # type: ignore[attr-defined]


def test_column_problems_are_seen_by_both(
    shared_data: Path, examples: list[tuple[str, str]]
) -> None:
    for name, version in examples:
        ours, theirs, _ = _judge(str(shared_data), name, version)
        our_columns = any(i.row == 1 for i in ours.issues)
        their_labels = any(
            e.type.endswith("-label")
            for task in theirs.tasks  # type: ignore[attr-defined]
            for e in task.errors
        )
        assert our_columns == their_labels, name


def test_swapped_and_misnamed_columns_are_named(shared_data: Path) -> None:
    ours, _, _ = _judge(
        str(shared_data), "v2.1.1/exemples/exemple_invalide_erreurs_colonnes.csv", "2.1.1"
    )
    columns = [(i.field, i.code, i.value) for i in ours.issues if i.row == 1]
    assert columns == [
        ("nomBeneficiaire", "schema-misnamed-column", "NOM_Beneficiaire"),
        ("dispositifAide", "schema-missing-column", None),
        ("idAttribuant", "schema-column-order", "idAttribuant"),
        ("nomAttribuant", "schema-column-order", "nomAttribuant"),
    ]
