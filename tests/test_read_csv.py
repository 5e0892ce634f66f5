"""Delimited files: encodings, separators, header search, blank rows, sub-tables, ragged rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from fundtrail.catalogue import entry
from fundtrail.errors import UnreadableError
from fundtrail.read import Record, Skipped, Table, read_source

HEADER = "nomAttribuant;idAttribuant;nomBeneficiaire;montant"
ROW = "Département de la Somme;22800001400016;Association Été;1 500,00"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def tables(path: Path) -> list[tuple[Table, list[Record]]]:
    """Read a file whole: each table with its records (consumed in order)."""
    out = []
    for part in read_source(path):
        assert isinstance(part, Table), part
        out.append((part, list(part.records)))
    return out


def only(path: Path) -> tuple[Table, list[Record]]:
    result = tables(path)
    assert len(result) == 1
    return result[0]


def notes(records: list[Record]) -> list[tuple[int, str]]:
    return [(r.row, n.code) for r in records for n in r.notes]


@pytest.mark.parametrize(
    ("encoding", "bom", "label"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("latin-1", b"", "cp1252"),
    ],
)
def test_encodings_decode_accents_and_never_leak_the_bom(
    tmp_path: Path, encoding: str, bom: bytes, label: str
) -> None:
    data = bom + f"{HEADER}\r\n{ROW}\r\n".encode(encoding)
    table, records = only(write(tmp_path, "f.csv", data))
    assert table.encoding == label
    assert table.header == ["nomAttribuant", "idAttribuant", "nomBeneficiaire", "montant"]
    assert records[0].cells == ROW.split(";")
    assert (records[0].row, table.header_row) == (2, 1)


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    data = f"{HEADER}\r\n{ROW}\r\n".encode("utf-16")
    table, records = only(write(tmp_path, "excel-unicode.txt", data))
    assert table.header[0] == "nomAttribuant"
    assert records[0].cells[2] == "Association Été"


def test_name_that_lies_about_its_encoding_is_noted(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n".encode("cp1252")
    table, records = only(write(tmp_path, "donnees_utf8.csv", data))
    assert table.encoding == "cp1252"
    assert [n.code for n in table.notes] == ["encoding-mislabelled"]
    assert records[0].cells[0] == "Département de la Somme"


def test_mixed_encodings_decode_each_line_as_written(tmp_path: Path) -> None:
    data = (
        f"{HEADER}\n".encode()
        + "Vendée;1;Société A;1\n".encode()
        + "Vendée;2;Société B;2\n".encode("cp1252")
        + "Vendée;3;Société C;3\n".encode()
    )
    table, records = only(write(tmp_path, "mixed.csv", data))
    assert table.encoding == "mixed"
    assert [r.cells[2] for r in records] == ["Société A", "Société B", "Société C"]
    assert "encoding-mixed" in [n.code for n in table.notes]


def test_cp1252_late_in_a_utf8_file_is_read_and_noted(tmp_path: Path) -> None:
    lines = [HEADER] + [f"Ville;{i};Asso {i};{i}" for i in range(30000)]
    data = "\n".join(lines).encode() + "\nVendée;9;Société;9\n".encode("cp1252")
    table, records = only(write(tmp_path, "late.csv", data))
    assert table.encoding == "utf-8"
    assert records[-1].cells[:3] == ["Vendée", "9", "Société"]
    assert "encoding-mixed" in [n.code for n in table.notes]


def test_mojibake_already_in_the_file_is_noted(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW.replace('é', 'Ã©')}\n".encode()
    table, _ = only(write(tmp_path, "moji.csv", data))
    assert "text-mojibake" in [n.code for n in table.notes]


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_separator_is_sniffed_from_the_header(tmp_path: Path, sep: str) -> None:
    # Cells hold the other separators so that a naive count could be fooled.
    header = sep.join(["nomAttribuant", "objet", "montant", "dateConvention"])
    row = sep.join(['"Ville; de, Paris"', '"a|b, c; d"', "100", "2020-01-01"])
    table, records = only(write(tmp_path, "s.txt", f"{header}\n{row}\n".encode()))
    assert table.separator == sep
    assert records[0].cells == ["Ville; de, Paris", "a|b, c; d", "100", "2020-01-01"]


def test_quoted_line_breaks_number_records_by_their_first_physical_line(tmp_path: Path) -> None:
    data = (
        f'{HEADER}\r\n"A";1;"B\nsur\ndeux lignes";10\r\n"C";2;D;20\r\n"E";3;"F\r\nG";30\r\n'
    ).encode()
    _table, records = only(write(tmp_path, "q.csv", data))
    assert [(r.row, r.cells[2]) for r in records] == [
        (2, "B\nsur\ndeux lignes"),
        (5, "D"),
        (6, "F\r\nG"),
    ]


def test_blank_and_all_empty_rows_are_counted_never_yielded(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n\n;;;\n ; ;\n{ROW}\n;;;;\n".encode()
    table, records = only(write(tmp_path, "b.csv", data))
    assert [r.row for r in records] == [2, 6]
    assert (table.stats.rows_empty, table.stats.records) == (4, 2)


def test_header_below_title_lines_is_found(tmp_path: Path) -> None:
    data = (
        f"Subventions versées en 2021;;;\n;;;\nSource : service financier;;;\n{HEADER}\n{ROW}\n"
    ).encode()
    table, records = only(write(tmp_path, "t.csv", data))
    assert (table.header_row, table.stats.rows_preamble) == (4, 3)
    assert table.header[0] == "nomAttribuant"
    assert [r.row for r in records] == [5]


def test_each_sub_table_with_its_own_header_is_a_table(tmp_path: Path) -> None:
    data = (f"Culture;;;\n{HEADER}\n{ROW}\n{ROW}\n;;;\nSport;;;\n{HEADER}\n{ROW}\n").encode()
    result = tables(write(tmp_path, "sub.csv", data))
    assert [(t.header_row, [r.row for r in recs]) for t, recs in result] == [
        (2, [3, 4, 6]),  # "Sport;;;" stays a row of the first table
        (7, [8]),
    ]
    assert result[0][1][2].cells == ["Sport", "", "", ""]
    assert result[0][0].stats.rows_empty == 1


def test_records_are_lazy_and_a_skipped_table_is_drained(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n{ROW}\n{HEADER}\n{ROW}\n".encode()
    parts = read_source(write(tmp_path, "lazy.csv", data))
    first = next(parts)
    assert isinstance(first, Table)
    assert not isinstance(first.records, list)
    second = next(parts)  # the first table's records were never consumed
    assert isinstance(second, Table)
    assert [r.row for r in second.records] == [5]
    assert first.stats.records == 2


def test_trailing_empty_extra_cells_are_dropped_silently(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW};;\n".encode()
    _table, records = only(write(tmp_path, "e.csv", data))
    assert records[0].cells == ROW.split(";")
    assert records[0].notes == ()


def test_short_row_is_padded_and_flagged(tmp_path: Path) -> None:
    _table, records = only(write(tmp_path, "s.csv", f"{HEADER}\nA;1\n".encode()))
    assert records[0].cells == ["A", "1", "", ""]
    assert notes(records) == [(2, "short-row")]
    assert entry("short-row").severity == "warning"


VENDEE_HEADER = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,idBeneficiaire,"
    "nomBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,"
    "IdRAE,notificationUE,pourcentageSubvention"
)


def test_ragged_row_is_rejoined_when_only_one_split_fits(tmp_path: Path) -> None:
    row = (
        "Conseil Départemental,22850001300658,2019-03-08,4-20,54585028100035,SA HLM,"
        "démolition de 27 logements,25\u00a0000,00,aide en numéraire,"
        "Versement lors des aides, en 2 fois. De plus, signature.,2019-12-01_2022-12-01,,non,1"
    )
    _table, records = only(write(tmp_path, "v.csv", f"{VENDEE_HEADER}\r\n{row}\r\n".encode()))
    record = records[0]
    assert len(record.cells) == 14
    assert record.cells[7] == "25\u00a0000,00"
    assert record.cells[9] == "Versement lors des aides, en 2 fois. De plus, signature."
    assert record.cells[10:] == ["2019-12-01_2022-12-01", "", "non", "1"]
    (note,) = record.notes
    assert (note.code, note.detail) == (
        "ragged-row-rejoined",
        "8-9>montant; 11-13>conditionsVersement",
    )
    assert note.value == row
    assert entry(note.code).kind == "repair"


def test_ragged_row_with_commas_in_adjacent_free_texts_is_quarantined(tmp_path: Path) -> None:
    # The comma may belong to nomBeneficiaire or to objet: both splits fit, none is chosen.
    row = (
        "Conseil Départemental,22850001300658,2019-03-22,V-A 4,38456806900049,"
        "Autrefois Challans, la Foire,quatre jeudis,72 000,00,aide en numéraire,"
        "unique,2019-04-01,,non,1"
    )
    _table, records = only(write(tmp_path, "v.csv", f"{VENDEE_HEADER}\n{row}\n".encode()))
    record = records[0]
    assert [n.code for n in record.notes] == ["ragged-row-ambiguous"]
    assert entry("ragged-row-ambiguous").severity == "error"
    assert len(record.cells) == 14
    assert record.notes[0].value == row  # the row as published is kept for the quarantine
    assert ",".join(record.cells) == row  # nothing lost, nothing invented


def test_ragged_row_with_no_plausible_split_is_quarantined(tmp_path: Path) -> None:
    row = "A,1,2019-01-01,r,2,B,o,pas un montant,x,aide en numéraire,c,2019-01-01,,non,1"
    _table, records = only(write(tmp_path, "v.csv", f"{VENDEE_HEADER}\n{row}\n".encode()))
    assert [n.code for n in records[0].notes] == ["ragged-row-unrecoverable"]


def test_stray_separators_at_line_ends_are_stripped(tmp_path: Path) -> None:
    # Vendée 2018: a comma file whose lines end with ";;" (an Excel round trip).
    row = "A,22850001300658,2018-03-22,I-A 4,32416633900055,B,o,100,aide en numéraire,u,,,non,1"
    data = f"{VENDEE_HEADER};;\r\n{row};;\r\n{row};\r\n".encode()
    table, records = only(write(tmp_path, "v.csv", data))
    assert table.header[-1] == "pourcentageSubvention"
    assert [r.cells[-1] for r in records] == ["1", "1"]
    assert "stray-separators-stripped" in [n.code for n in table.notes]


def test_table_that_names_no_scdl_field_is_still_yielded_and_flagged(tmp_path: Path) -> None:
    data = b"siren,denomination,code_naf\n552100554,ACME,62.01Z\n"
    table, records = only(write(tmp_path, "register.csv", data))
    assert table.header == ["siren", "denomination", "code_naf"]
    assert [n.code for n in table.notes] == ["header-unrecognised"]
    assert len(records) == 1


def test_header_cells_lose_padding_but_keep_their_spelling(tmp_path: Path) -> None:
    data = ' Accordé ,"N°\nDCM",nomAttribuant,montant\n1,2,3,4\n'.encode()
    table, _ = only(write(tmp_path, "m.csv", data))
    assert table.header == ["Accordé", "N°\nDCM", "nomAttribuant", "montant"]


def test_unlabelled_column_with_data_is_kept(tmp_path: Path) -> None:
    data = f"{HEADER};\n{ROW};extra\n".encode()
    table, records = only(write(tmp_path, "u.csv", data))
    assert table.header[-1] == ""
    assert records[0].cells[-1] == "extra"


def test_no_table_at_all_is_refused_with_a_code(tmp_path: Path) -> None:
    path = write(tmp_path, "prose.txt", b"Bonjour,\n\nCeci est une lettre.\n")
    with pytest.raises(UnreadableError) as caught:
        list(read_source(path))
    assert caught.value.code == "header-not-found"
    assert entry(caught.value.code).kind == "refusal"


def test_every_part_is_a_table_or_a_skip(tmp_path: Path) -> None:
    parts = list(read_source(write(tmp_path, "x.csv", f"{HEADER}\n{ROW}\n".encode())))
    assert all(isinstance(p, Table | Skipped) for p in parts)
    assert parts[0].name == "x.csv"


def test_row_quoted_whole_by_an_excel_round_trip_is_split_again(tmp_path: Path) -> None:
    row = (
        'A,22850001300658,2018-09-14,2-3,82996142400019,Ateliers,conseil ""mobilité"",'
        "25 000,00,aide en numéraire,en une fois.,2018-11-13,,non,1"
    )
    data = f'{VENDEE_HEADER};;\r\n"{row}";;\r\n'.encode()
    _table, records = only(write(tmp_path, "v.csv", data))
    (record,) = records
    assert [n.code for n in record.notes] == ["row-unquoted", "ragged-row-rejoined"]
    assert record.cells[6:9] == ['conseil "mobilité"', "25 000,00", "aide en numéraire"]
    assert record.cells[-3:] == ["", "non", "1"]


def test_sub_table_header_may_be_spelled_differently(tmp_path: Path) -> None:
    data = (
        f"{HEADER}\n{ROW}\n"
        "Deuxième partie;;;\n"
        "COLL_NOM;COLL_SIRET;ATTRIB_NOM;SUB_MONTANT\n"
        "Ville;21860194600013;Club;200\n"
    ).encode()
    result = tables(write(tmp_path, "two.csv", data))
    assert [(t.header_row, t.header[0], [r.row for r in recs]) for t, recs in result] == [
        (1, "nomAttribuant", [2, 3]),
        (4, "COLL_NOM", [5]),
    ]


def test_name_saying_latin1_over_utf8_bytes_is_noted(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n".encode()
    table, records = only(write(tmp_path, "export_latin1.csv", data))
    assert (table.encoding, [n.code for n in table.notes]) == ("utf-8", ["encoding-mislabelled"])
    assert records[0].cells[2] == "Association Été"
