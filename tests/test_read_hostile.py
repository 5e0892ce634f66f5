"""Hostile input never gives a traceback, a hang or unbounded memory: a refusal code at worst."""

from __future__ import annotations

import gzip
import io
import json
import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundtrail.catalogue import entry
from fundtrail.errors import UnreadableError
from fundtrail.read import Table, read_source

pytestmark = pytest.mark.timeout(120)

HEADER = b"nomAttribuant;nomBeneficiaire;objet;montant\n"


def consume(path: Path, max_bytes: int | None = None) -> list[tuple[str, int]]:
    """Read a file whole; return (kind, record count) per part."""
    out = []
    parts = read_source(path) if max_bytes is None else read_source(path, max_bytes=max_bytes)
    for part in parts:
        if isinstance(part, Table):
            out.append(("table", sum(1 for _ in part.records)))
        else:
            out.append((part.code, 0))
    return out


def refusal(path: Path, max_bytes: int | None = None) -> str:
    """Return the refusal code of a file that must be refused."""
    with pytest.raises(UnreadableError) as caught:
        consume(path, max_bytes)
    assert entry(caught.value.code).kind == "refusal"
    return caught.value.code


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx", "x.json", "x.zip", "x"])
@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_refused(tmp_path: Path, name: str, seed: int) -> None:
    path = tmp_path / name
    path.write_bytes(random.Random(seed).randbytes(20_000))
    assert refusal(path) == "file-binary"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=600),
    prefix=st.sampled_from([b"", HEADER, b"PK\x03\x04", b"[", b"\x1f\x8b"]),
)
def test_any_bytes_give_parts_or_a_refusal(tmp_path: Path, data: bytes, prefix: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(prefix + data)
    try:
        consume(path)
    except UnreadableError as error:
        assert entry(error.code).kind == "refusal"


@given(text=st.text(alphabet=st.sampled_from(list(';,"\n\r\t|aé0 ')), max_size=400))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_under_a_header_keeps_records_as_wide_as_the_header(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(HEADER + text.encode())
    for part in read_source(path):
        assert isinstance(part, Table)
        for record in part.records:
            assert len(record.cells) == len(part.header)


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "file-empty"), (b"  \r\n\n\t ", "file-empty"), (b"\x00" * 5000, "file-binary")],
)
def test_empty_and_nul_files_are_refused(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    assert refusal(path) == code


def test_a_few_nul_bytes_inside_a_csv_do_not_stop_it(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(HEADER + (b"A;B\x00C;objet;1\n" + b"A;BC;objet;1\n" * 9) * 20)
    table = next(read_source(path))
    assert isinstance(table, Table)
    records = list(table.records)
    assert (len(records), records[0].cells[1]) == (200, "B\x00C")


def test_fifty_megabyte_cell_is_read_and_a_larger_one_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.write(HEADER + b"A;B;")
        out.write(b"x" * 50_000_000)
        out.write(b";1\nC;D;E;2\n")
    table = next(read_source(path))
    assert isinstance(table, Table)
    records = list(table.records)
    assert [len(r.cells[2]) for r in records] == [50_000_000, 1]
    del records

    with path.open("wb") as out:
        out.write(HEADER + b'A;B;"')
        out.write(b"x" * 70_000_000)
        out.write(b'";1\nC;D;E;2\n')
    table = next(read_source(path))
    assert isinstance(table, Table)
    codes = [(r.row, [n.code for n in r.notes]) for r in table.records]
    assert codes == [(2, ["csv-unparseable"])]


def test_unclosed_quote_keeps_the_rest_in_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "trunc.csv"
    path.write_bytes(HEADER + b'A;B;"objet tronqu\nC;D;E;2\n')
    table = next(read_source(path))
    assert isinstance(table, Table)
    records = list(table.records)
    assert [(r.row, r.cells[2]) for r in records] == [(2, "objet tronqu\nC;D;E;2\n")]


def _workbook(tmp_path: Path) -> bytes:
    from test_read_spreadsheet import write_xlsx  # tests/ is on sys.path under pytest

    path = write_xlsx(tmp_path / "ok.xlsx", {"S": [["nomAttribuant", "montant"], ["A", 1]]})
    return path.read_bytes()


def test_truncated_files_are_refused(tmp_path: Path) -> None:
    book = _workbook(tmp_path)
    (tmp_path / "t.xlsx").write_bytes(book[: len(book) // 2])
    assert refusal(tmp_path / "t.xlsx") == "spreadsheet-corrupt"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", HEADER + b"A;B;C;1\n" * 5000)
    whole = buffer.getvalue()
    (tmp_path / "t.zip").write_bytes(whole[: len(whole) // 2])
    assert refusal(tmp_path / "t.zip") == "archive-corrupt"

    packed = gzip.compress(HEADER + bytes(random.Random(1).randbytes(50_000).hex(), "ascii"))
    (tmp_path / "t.csv.gz").write_bytes(packed[: len(packed) // 2])
    assert refusal(tmp_path / "t.csv.gz") == "archive-corrupt"

    (tmp_path / "t.json").write_bytes(json.dumps([{"a": 1}] * 100).encode()[:500])
    assert refusal(tmp_path / "t.json") == "json-invalid"


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_is_refused(tmp_path: Path, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "deep.json"
    path.write_text(opener * 200_000 + "1" + closer * 200_000)
    assert refusal(path) == "json-too-deep"


def test_thousandfold_zip_is_refused_before_expanding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("grants.csv", HEADER + b"A;B;C;1\n" * 5_000_000)
    assert path.stat().st_size < 200_000  # ~40 MB packed a thousandfold and more
    assert refusal(path) == "archive-bomb"


def test_thousandfold_gzip_is_refused_while_expanding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(HEADER)
        for _ in range(40):
            out.write(b"A;B;C;1\n" * 125_000)
    assert refusal(path) == "archive-bomb"


def test_archives_nested_too_deep_are_refused(tmp_path: Path) -> None:
    data = HEADER + b"A;B;C;1\n"
    name = "a.csv"
    for level in range(5):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        data, name = buffer.getvalue(), f"level{level}.zip"
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    assert refusal(path) == "archive-too-deep"


def test_size_limit_is_enforced(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER + b"A;B;C;1\n" * 1000)
    assert refusal(path, max_bytes=1000) == "file-too-large"
    assert consume(path, max_bytes=100_000) == [("table", 1000)]


def test_workbook_that_expands_a_thousandfold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 40_000_000)
    assert refusal(path) == "archive-bomb"


def test_portal_error_page_is_refused_as_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "subventions.csv"
    path.write_bytes(b"<!DOCTYPE html><html><body>404</body></html>")
    with pytest.raises(UnreadableError) as caught:
        consume(path)
    assert (caught.value.code, caught.value.detail) == ("format-unsupported", "html")


def test_workbook_with_damaged_xml_is_refused_not_hung(tmp_path: Path) -> None:
    # An ODS whose closing tags were cut made calamine loop forever; it is refused first.
    from test_read_spreadsheet import write_ods

    good = write_ods(tmp_path / "good.ods", {"S": [["nomAttribuant", "montant"], ["A", 1]]})
    with zipfile.ZipFile(good) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(b"</table:table-row>", b"</t", 1)
    path = tmp_path / "cut.ods"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert refusal(path) == "spreadsheet-corrupt"


def _mutated_xls(source: bytes, seed: int, index: int) -> bytes:
    """Return the ``index``-th random mutation of ``source`` (as the fuzzer made it)."""
    rng = random.Random(seed)
    data = bytearray(source)
    for _ in range(index + 1):
        data = bytearray(source)
        for _ in range(rng.randint(1, 20)):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
    return bytes(data)


@pytest.mark.shared
def test_workbook_that_hangs_calamine_is_refused_in_bounded_time(
    shared_data: Path, tmp_path: Path
) -> None:
    # Mutation 67 of the Deux-Sèvres XLS (seed 1) makes calamine allocate without end;
    # the child process that loads workbooks hits its memory cap (or is killed at the
    # timeout) and the file is refused.
    from fundtrail.read.sheet import read_workbook

    (real,) = (shared_data / "real/scdl-2018-collectivites").glob("DEP_Deux*.xls")
    path = tmp_path / "mutated.xls"
    path.write_bytes(_mutated_xls(real.read_bytes(), seed=1, index=67))
    started = time.monotonic()
    with pytest.raises(UnreadableError) as caught:
        list(read_workbook(path, "mutated.xls", "xls", timeout=20))
    assert caught.value.code == "spreadsheet-corrupt"
    assert time.monotonic() - started < 25
