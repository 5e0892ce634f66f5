"""Workbooks (XLSX, ODS; XLS is covered by the real files): sheets kept or skipped, cell text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from fundtrail.read import Record, Skipped, Table, read_source
from fundtrail.read.workbook import cell_text

Cell = str | int | float | bool | dt.date | None

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "{sheets}</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" xfId="0"/>'
        '<xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
    ),
}


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xlsx_cell(ref: str, value: Cell) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - dt.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, list[list[Cell]]]) -> Path:
    """Write a minimal but valid XLSX workbook (no writer library is a dependency)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in _XLSX_PARTS.items():
            archive.writestr(part, text.replace("{sheets}", overrides))
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(sheets, 1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" '
            f'xmlns:r="{rel_ns}"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{rel_ns}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}'
            f'<Relationship Id="rId99" Type="{rel_ns}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        for i, rows in enumerate(sheets.values(), 1):
            body = "".join(
                f'<row r="{r}">'
                + "".join(_xlsx_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row))
                + "</row>"
                for r, row in enumerate(rows, 1)
            )
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">'
                f"<sheetData>{body}</sheetData></worksheet>",
            )
    return path


def _ods_cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>' + (
        "</table:table-cell>"
    )


def write_ods(path: Path, sheets: dict[str, list[list[Cell]]]) -> Path:
    """Write a minimal but valid OpenDocument spreadsheet."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


HEADER: list[Cell] = [
    "nomAttribuant",
    "idBeneficiaire",
    "dateConvention",
    "montant",
    "notificationUE",
]
GRANTS: list[list[Cell]] = [
    ["Subventions 2019", None, None, None, None],
    HEADER,
    ["Vendée", 21860194600000.0, dt.date(2019, 7, 12), 1350000.0, False],
    [None, None, None, None, None],
    ["Vendée", "40352920900021", "2019-01-18", 33992.72, True],
    ["Vendée", 40352920900021, None, 7, None],
]
SUMMARY: list[list[Cell]] = [["Thème", "Total"], ["Culture", 12000], ["Sport", 3000]]


def parts(path: Path) -> list[tuple[Table | Skipped, list[Record]]]:
    out: list[tuple[Table | Skipped, list[Record]]] = []
    for part in read_source(path):
        out.append((part, list(part.records) if isinstance(part, Table) else []))
    return out


@pytest.mark.parametrize("writer", [write_xlsx, write_ods], ids=["xlsx", "ods"])
def test_every_sheet_is_kept_or_skipped_with_its_reason(tmp_path: Path, writer: object) -> None:
    sheets = {"Subventions": GRANTS, "Synthèse": SUMMARY, "Vide": [], "Copie": GRANTS}
    suffix = ".xlsx" if writer is write_xlsx else ".ods"
    path = writer(tmp_path / f"book{suffix}", sheets)  # type: ignore[operator]
    result = parts(path)
    assert [(p.sheet, p.code if isinstance(p, Skipped) else "table") for p, _ in result] == [
        ("Subventions", "table"),
        ("Synthèse", "sheet-not-a-grant-table"),
        ("Vide", "sheet-empty"),
        ("Copie", "sheet-duplicate"),
    ]
    table, records = result[0]
    assert isinstance(table, Table)
    assert table.format == suffix[1:]
    assert (table.header_row, table.stats.rows_preamble, table.stats.rows_empty) == (2, 1, 1)
    assert table.header == HEADER
    assert [(r.row, r.cells) for r in records] == [
        (3, ["Vendée", "21860194600000", "2019-07-12", "1350000", "false"]),
        (5, ["Vendée", "40352920900021", "2019-01-18", "33992.72", "true"]),
        (6, ["Vendée", "40352920900021", "", "7", ""]),
    ]
    assert result[3][0].detail == "same as sheet 'Subventions'"  # type: ignore[union-attr]


def test_workbook_with_no_grant_header_keeps_its_table_for_the_pipeline(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "register.xlsx", {"Feuil1": [["siren", "nom"], [1, "A"]]})
    ((table, records),) = parts(path)
    assert isinstance(table, Table)
    assert [n.code for n in table.notes] == ["header-unrecognised"]
    assert [r.cells for r in records] == [["1", "A"]]


def test_data_beyond_the_last_label_is_kept_in_an_unlabelled_column(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [["nomAttribuant", "montant"], ["A", 1, "note"], ["B", 2]]
    ((table, records),) = parts(write_xlsx(tmp_path / "w.xlsx", {"S": rows}))
    assert isinstance(table, Table)
    assert table.header == ["nomAttribuant", "montant", ""]
    assert [r.cells for r in records] == [["A", "1", "note"], ["B", "2", ""]]


def test_name_does_not_decide_the_format(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "export.csv", {"S": [["nomAttribuant", "montant"], ["A", 1]]})
    ((table, _),) = parts(path)
    assert isinstance(table, Table)
    assert table.format == "xlsx"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  texte ", "  texte "),
        (True, "true"),
        (False, "false"),
        (7, "7"),
        (1350000.0, "1350000"),
        (21860194600000.0, "21860194600000"),
        (33992.72, "33992.72"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (dt.date(2017, 11, 16), "2017-11-16"),
        (dt.datetime(2017, 12, 6, 0, 0), "2017-12-06"),
        (dt.datetime(2017, 12, 6, 20, 35, 9), "2017-12-06T20:35:09"),
    ],
)
def test_cell_text_is_what_a_person_sees(value: object, text: str) -> None:
    assert cell_text(value) == text
