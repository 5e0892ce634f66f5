"""JSON documents and archives (zip, gzip) holding any readable file."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from fundtrail.errors import UnreadableError
from fundtrail.read import Record, Skipped, Table, read_source


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def parts(path: Path) -> list[tuple[Table | Skipped, list[Record]]]:
    out: list[tuple[Table | Skipped, list[Record]]] = []
    for part in read_source(path):
        out.append((part, list(part.records) if isinstance(part, Table) else []))
    return out


def test_array_of_records_with_keys_in_any_case(tmp_path: Path) -> None:
    document = [
        {"NOMATTRIBUANT": "CODAH", "MONTANT": "240 000 €", "SIRET": "384 138 996 00028"},
        {"nomAttribuant": "Ville", "MONTANT": 1500, "extra": {"a": [1, 2]}},
        {},
        {"MONTANT": 10000.10, "NOMATTRIBUANT": None, "flag": True},
    ]
    path = write(tmp_path, "d.json", json.dumps(document).encode())
    ((table, records),) = parts(path)
    assert isinstance(table, Table)
    assert table.format == "json"
    assert table.header == ["NOMATTRIBUANT", "MONTANT", "SIRET", "nomAttribuant", "extra", "flag"]
    assert [(r.row, r.cells) for r in records] == [
        (1, ["CODAH", "240 000 €", "384 138 996 00028", "", "", ""]),
        (2, ["", "1500", "", "Ville", '{"a": [1, 2]}', ""]),
        (4, ["", "10000.1", "", "", "", "true"]),
    ]
    assert table.stats.rows_empty == 1


def test_numbers_keep_their_published_digits(tmp_path: Path) -> None:
    path = write(tmp_path, "n.json", b'[{"montant": 10000.0, "pourcentage": 0.10}]')
    ((_, records),) = parts(path)
    assert records[0].cells == ["10000.0", "0.10"]


def test_object_holding_the_array_of_records(tmp_path: Path) -> None:
    document = {"meta": {"count": 2}, "data": [{"objet": "a"}, {"objet": "b"}]}
    ((table, records),) = parts(write(tmp_path, "o.json", json.dumps(document).encode()))
    assert isinstance(table, Table)
    assert [r.cells for r in records] == [["a"], ["b"]]


def test_records_two_levels_down_and_non_objects_are_flagged(tmp_path: Path) -> None:
    document = {"result": {"records": [{"objet": "a"}, "stray", {"objet": "b"}]}}
    ((_, records),) = parts(write(tmp_path, "r.json", json.dumps(document).encode()))
    assert [(r.row, [n.code for n in r.notes]) for r in records] == [
        (1, []),
        (2, ["json-record-not-object"]),
        (3, []),
    ]


def test_array_of_arrays_takes_its_first_row_as_header(tmp_path: Path) -> None:
    document = [["nomAttribuant", "montant"], ["A", 1], ["B", 2.5]]
    ((table, records),) = parts(write(tmp_path, "a.json", json.dumps(document).encode()))
    assert isinstance(table, Table)
    assert (table.header, table.header_row) == (["nomAttribuant", "montant"], 1)
    assert [(r.row, r.cells) for r in records] == [(2, ["A", "1"]), (3, ["B", "2.5"])]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"a": 1}', "json-no-records"),
        (b"[1, 2, 3]", "json-no-records"),
        (b'[{"a": 1}', "json-invalid"),
        (b"<root><grant/></root>", "format-unsupported"),
    ],
)
def test_json_without_records_is_refused(tmp_path: Path, data: bytes, code: str) -> None:
    with pytest.raises(UnreadableError) as caught:
        parts(write(tmp_path, "x.json", data))
    assert caught.value.code == code


CSV = b"nomAttribuant;montant\nVille;100\nVille;200\n"


def test_zip_members_are_read_in_order_and_named_after_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "lot.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2019/grants.csv", CSV)
        archive.writestr("__MACOSX/._grants.csv", b"\x00\x05\x16\x07")
        archive.writestr("readme.pdf", b"%PDF-1.4 nothing")
        archive.writestr("2020/grants.json", json.dumps([{"montant": 1}]))
    result = parts(path)
    assert [
        (p.name, "table" if isinstance(p, Table) else p.code, len(recs)) for p, recs in result
    ] == [
        ("lot.zip!2019/grants.csv", "table", 2),
        ("lot.zip!readme.pdf", "archive-member-unreadable", 0),
        ("lot.zip!2020/grants.json", "table", 1),
    ]
    skipped = result[1][0]
    assert isinstance(skipped, Skipped)
    assert skipped.detail is not None and skipped.detail.startswith("format-unsupported")


def test_gzip_and_zip_in_zip(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", CSV)
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "inner.zip")
    ((table, records),) = parts(outer)
    assert isinstance(table, Table)
    assert table.name == "outer.zip!inner.zip!a.csv"
    assert len(records) == 2

    gz = write(tmp_path, "grants.csv.gz", gzip.compress(CSV))
    ((table, records),) = parts(gz)
    assert isinstance(table, Table)
    assert (table.name, len(records)) == ("grants.csv.gz!grants.csv", 2)


def test_archive_with_only_folders_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("folder/", b"")
    with pytest.raises(UnreadableError) as caught:
        parts(path)
    assert caught.value.code == "archive-empty"
