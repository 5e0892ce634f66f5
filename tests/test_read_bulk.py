"""DuckDB's bulk staging of a CSV gives exactly the records the Python reader gives.

Every delimited file of ../shared/data and a set of hand-made layouts are staged both ways;
where the bulk path takes a file, the staged rows (line numbers and cells) and the counts
of records and blank rows must be identical; where the file is not regular enough it must
decline (return None) and leave the Python reader to do the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from fundtrail.errors import UnreadableError
from fundtrail.ingest.staging import stage_bulk, stage_records
from fundtrail.read import Table, read_source
from fundtrail.read.bulk import scan_layout

HEADER = "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;montant"
ROW = "Ville (démo);00000000000001;2024-01-0{d};Asso {n} (démo);00000000100011;{n}500"


def _staged(path: Path, bulk: bool) -> tuple[list[tuple[Any, ...]], int, int] | None:
    """Return the first table's staged rows, records and blank rows (None: bulk declined)."""
    con = duckdb.connect()
    parts = read_source(path)
    table = next(p for p in parts if isinstance(p, Table))
    if bulk:
        taken = stage_bulk(con, table) is not None
    else:
        stage_records(con, len(table.header), table.records)
        taken = True
    for _ in parts:  # the reader goes on to the file's end and closes it
        pass
    if not taken:
        return None
    rows = con.execute("SELECT * FROM stage ORDER BY row_number").fetchall()
    notes = con.execute("SELECT count(*) FROM stage_notes").fetchall()[0][0]
    if not bulk and notes:
        return None  # the Python reader repaired rows: no bulk path may take such a file
    return rows, table.stats.records, table.stats.rows_empty


def _same_both_ways(path: Path) -> bool:
    """Return True when the bulk path took the file (and then gave the Python reader's rows)."""
    python = _staged(path, bulk=False)
    bulk = _staged(path, bulk=True)
    if bulk is None:
        return False
    assert python is not None, f"{path}: the bulk path took a file the reader had to repair"
    assert bulk[1:] == python[1:], f"{path}: records/blank rows differ"
    assert bulk[0] == python[0], f"{path}: staged rows differ"
    return True


def test_real_files_stage_the_same_both_ways(shared_data: Path) -> None:
    files = sorted(
        p for p in shared_data.rglob("*") if p.suffix.lower() in {".csv", ".txt", ".tsv"}
    )
    taken = []
    for path in files:
        try:
            python = _staged(path, bulk=False)
        except UnreadableError:  # refused files are the reader's tests' business
            continue
        if python is not None and _same_both_ways(path):
            taken.append(path.name)
    # Most published CSV files are regular; the bulk path must take them, or it is useless.
    print(f"bulk took {len(taken)} of {len(files)} files")
    assert len(taken) >= len(files) // 2, taken


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _rows(count: int, start: int = 0) -> list[str]:
    return [ROW.format(d=(n % 9) + 1, n=n) for n in range(start, start + count)]


def _lines(*parts: str | list[str], end: str = "\n") -> str:
    flat = [p for part in parts for p in ([part] if isinstance(part, str) else part)]
    return end.join(flat)


QUOTED = 'V;1;2024-01-01;"Asso\n; sur deux lignes";2;"1 500,00"'
CASES = [
    ("plain", _lines(HEADER, _rows(50)) + "\n", "utf-8", True),
    ("bom crlf", "\ufeff" + _lines(HEADER, _rows(50), end="\r\n"), "utf-8", True),
    ("cp1252", _lines(HEADER, _rows(30), "V (démo);;;Œuvre – été;;12", end="\r\n"), "cp1252", True),
    ("preamble, blank lines",
     _lines("Titre (démo)", "", HEADER, "", _rows(5), "", ";;;;;", _rows(5, 9)), "utf-8", True),
    ("quoted newline and separator", _lines(HEADER, _rows(3), QUOTED, _rows(3, 5)), "utf-8", True),
    ("doubled quotes", _lines(HEADER, 'V;1;2024;"Dit ""X""";2;3', _rows(3)), "utf-8", True),
    ("trailing separator", _lines(HEADER + ";", [r + ";" for r in _rows(20)]), "utf-8", True),
    ("whitespace-only line", _lines(HEADER, _rows(3), "   ", _rows(3, 4)), "utf-8", False),
    ("ragged row", _lines(HEADER, _rows(3), "V;1;2024;A;B;C;D;E", _rows(3, 4)), "utf-8", False),
    ("short row", _lines(HEADER, _rows(3), "V;1;2024", _rows(3, 4)), "utf-8", False),
    ("lone carriage return", _lines(HEADER, _rows(3)) + "\rV;1;2;3;4;5\n", "utf-8", False),
    ("unclosed quote", _lines(HEADER, _rows(3), 'V;1;2024;"Asso;2;3'), "utf-8", False),
    ("sub-table", _lines(HEADER, _rows(3), "", "Tableau 2", HEADER, _rows(3, 7)), "utf-8", False),
    ("cp1252 bytes in utf-8", _lines(HEADER, _rows(3)) + "\n", "utf-8", True),
    # Quotes the csv module reads its own lenient way ("V" ; gives 'V ', DuckDB 'V'): the
    # bulk path declines them.
    ("quote inside a cell", _lines(HEADER, 'V;1;2024;Écran 24" 27";2;3', _rows(3)), "utf-8", False),
    ("blank after a quoted cell", _lines(HEADER, '"V" ;1;2024;A;2;3', _rows(3)), "utf-8", False),
    ("text after a quoted cell", _lines(HEADER, '"ab"c;1;2024;A;2;3', _rows(3)), "utf-8", False),
    ("NUL byte", _lines(HEADER, "V;1;2024;A\x00B;2;3", _rows(3)), "utf-8", None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "encoding", "taken"), CASES)
def test_layouts(tmp_path: Path, case: str, text: str, encoding: str, taken: bool | None) -> None:
    """``taken`` None: either reading is fine, as long as the rows are the same."""
    path = _write(tmp_path, text, encoding)
    if case == "cp1252 bytes in utf-8":
        path.write_bytes(path.read_bytes() + "V;1;2024;Société;2;3\n".encode("cp1252"))
        taken = False  # the Python reader's fallback decodes (and notes) such bytes
    took = _same_both_ways(path)
    assert taken is None or took is taken, case


def test_a_bad_row_far_down_a_big_file_sends_it_to_the_python_reader(tmp_path: Path) -> None:
    """DuckDB meets the row after streaming many batches; its error must not escape."""
    text = _lines(HEADER, _rows(150_000), "", "Tableau 2 (démo)", HEADER, _rows(10)) + "\n"
    path = _write(tmp_path, text)
    assert _same_both_ways(path) is False


def test_scan_layout_numbers_lines_as_a_person_reads_them(tmp_path: Path) -> None:
    path = _write(tmp_path, 'a;b\n\n"x\ny";1\r\n\r\nz;2')
    layout = scan_layout(path, ";")
    assert layout is not None
    assert layout.starts.tolist() == [1, 2, 3, 5, 6]
    assert layout.empty.tolist() == [False, True, False, True, False]
    assert layout.single_line.tolist() == [True, True, False, True, True]
