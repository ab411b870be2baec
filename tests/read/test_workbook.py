"""Excel .xlsx workbooks: sheets, cells as text, sheet rows (ecosys.read.workbook)."""

from __future__ import annotations

import datetime as dt
import re
import time

import openpyxl
import pytest

from ecosys.errors import InputError
from ecosys.limits import EXCEL_ROWS
from ecosys.read import read_participations
from ecosys.read.workbook import excel_text, read_workbook
from .files import pairs, raw_workbook, records, workbook, xml_rows


def test_xlsx_first_sheet_is_read(tmp_path):
    path = workbook(
        tmp_path,
        {
            "Partecipazioni": [
                [" Organisation ", "Project", "Role"],
                ["  Università\u00a0di  Bologna ", "P1", "lead"],
                ["Comune di Milano", "P1", None],
                ["Comune di Milano", "P2", "partner"],
            ],
            "Other": [["partner", "project"], ["X", "Y"]],
        },
    )
    p = read_participations(path)
    assert (p.format, p.encoding, p.separator) == ("xlsx", None, None)
    assert (p.partner_column, p.project_column) == ("Organisation", "Project")
    assert records(p) == [
        {"partner": "Università di Bologna", "project": "P1", "row": 2, "Role": "lead"},
        {"partner": "Comune di Milano", "project": "P1", "row": 3, "Role": ""},
        {"partner": "Comune di Milano", "project": "P2", "row": 4, "Role": "partner"},
    ]


def test_xlsx_sheet_by_name(tmp_path):
    path = workbook(tmp_path, {"First": [["a", "b"], [1, 2]], "Data": [["org", "progetto"], ["X", "Y"], ["Z", "Y"]]})
    p = read_participations(path, sheet="Data")
    assert (p.partner_column, p.project_column) == ("org", "progetto")
    assert pairs(p) == [("X", "Y", 2), ("Z", "Y", 3)]


def test_xlsx_missing_sheet(tmp_path):
    path = workbook(tmp_path, {"Data": [["partner", "project"], ["X", "Y"]]})
    with pytest.raises(InputError) as info:
        read_participations(path, sheet="Nope")
    assert str(info.value) == f"{path}: no sheet named 'Nope'; sheets are: 'Data'"


def test_xlsx_empty_first_sheet_names_it_and_the_others(tmp_path):
    path = workbook(tmp_path, {"Notes": [], "Data": [["partner", "project"], ["X", "Y"]]})
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value) == (
        f"{path}: sheet 'Notes' is empty; expected a header row; read another with --sheet NAME (sheets: 'Data')"
    )
    assert pairs(read_participations(path, sheet="Data")) == [("X", "Y", 2)]


def test_xlsx_numbers_are_read_as_text(tmp_path):
    path = workbook(
        tmp_path,
        {"S": [["partner", "project", "amount", "id"], ["A", 17, 412248.84, 17], ["B", 17, 1.5, 18.0]]},
    )
    p = read_participations(path)
    assert records(p) == [
        {"partner": "A", "project": "17", "row": 2, "amount": "412248.84", "id": "17"},
        {"partner": "B", "project": "17", "row": 3, "amount": "1.5", "id": "18"},
    ]


def test_xlsx_dates_become_iso_dates(tmp_path):
    path = workbook(
        tmp_path,
        {"S": [["partner", "project", "start"], ["A", "P1", dt.datetime(2021, 3, 1)], ["B", "P2", dt.date(2022, 12, 31)]]},
    )
    p = read_participations(path)
    assert p.table["start"].tolist() == ["2021-03-01", "2022-12-31"]


def test_xlsx_text_cells_that_look_like_missing_values_are_kept(tmp_path):
    path = workbook(tmp_path, {"S": [["partner", "project"], ["NA", "P1"], ["Comune", "NULL"], ["B", "None"]]})
    p = read_participations(path)
    assert pairs(p) == [("NA", "P1", 2), ("Comune", "NULL", 3), ("B", "None", 4)]
    assert p.skipped_rows == ()


def test_xlsx_row_numbers_count_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"] = "partner", "project"  # header on row 3
    sheet["A4"], sheet["B4"] = "A", "P1"
    sheet["A6"], sheet["B6"] = "B", None  # blank project: skipped
    sheet["A7"], sheet["B7"] = "C", "P1"
    sheet["A8"], sheet["B8"] = "A", "P1"  # repeated
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    p = read_participations(path)
    assert pairs(p) == [("A", "P1", 4), ("C", "P1", 7)]
    assert p.skipped_rows == (6,)
    assert p.duplicate_rows == 1
    assert "row 6" in p.warnings[0]
    assert p.warnings[1].endswith("(row 8)")


def test_xlsx_header_only(tmp_path):
    path = workbook(tmp_path, {"S": [["partner", "project"]]})
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}: no data rows after the header (row 1)")


def test_xlsx_empty_sheet(tmp_path):
    path = workbook(tmp_path, {"S": []})
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "empty" in str(info.value)


# -- the helpers of ecosys.read.workbook -------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, ""), (float("nan"), ""), (17, "17"), (17.0, "17"), (412248.84, "412248.84"), (-0.5, "-0.5"),
    (dt.datetime(2021, 3, 1), "2021-03-01"), (dt.datetime(2021, 3, 1, 9, 30), "2021-03-01 09:30:00"),
    (dt.date(2022, 12, 31), "2022-12-31"), (True, "True"), ("NA", "NA"), (" x ", " x "),
])
def test_excel_text(value, text):
    assert excel_text(value) == text


def test_read_workbook_gives_every_sheet_with_a_header_the_asked_one_first(tmp_path):
    path = workbook(tmp_path, {
        "Notes": [[None], ["About", None], ["text", 1]],
        "Empty": [],
        "Data": [["partner", "project"], ["A", 7], [None, None], ["B", 8]],
    })
    sheets = read_workbook(path.read_bytes(), "t.xlsx", "Data")
    assert [(s.title, s.label, s.header, s.header_line) for s in sheets] == [
        ("Data", "t.xlsx", ["partner", "project"], 1),
        ("Notes", "t.xlsx, sheet 'Notes'", ["text", "1"], 3),  # 'About' alone above a row of two: a title
    ]
    assert sheets[0].cells.values.tolist() == [["A", "7"], ["", ""], ["B", "8"]]
    assert sheets[0].rows.tolist() == [2, 3, 4]
    assert [s.title for s in read_workbook(path.read_bytes(), "t.xlsx", 2)] == ["Data", "Notes"]


# -- limits: read row by row, past a limit refused before the cells are read ---------------------

def test_a_sheet_with_more_rows_than_excel_allows_is_refused_in_a_second(tmp_path):
    """A workbook Excel cannot have written, refused by counting its rows (openpyxl would take minutes)."""
    path = raw_workbook(tmp_path / "long.xlsx", [*xml_rows(1, 1), b"<row><c><v>1</v></c></row>" * EXCEL_ROWS], level=1)
    started = time.process_time()
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert time.process_time() - started < 10
    assert str(info.value) == (f"{path}: a sheet (xl/worksheets/sheet1.xml) has more than 1,048,576 rows, more than "
                               "Excel allows; this is no workbook Excel wrote (save the table as CSV to read longer tables)")


def test_a_workbook_part_that_inflates_as_a_bomb_is_refused(tmp_path):
    path = raw_workbook(tmp_path / "bomb.xlsx", [*xml_rows(1, 1), b"<row><c><v>1</v></c></row>" * 3_000_000], level=9)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert re.fullmatch(re.escape(f"{path}: its part 'xl/worksheets/sheet1.xml' unpacks ") + r"\d{3} times over "
                        r"\(0\.\d+ MB to 74 MB\), as a decompression bomb does; if the workbook is genuine, save the "
                        r"sheet as CSV \(gzip-compressed if you like\) and read that", str(info.value)), str(info.value)


def test_workbook_limits_come_from_the_environment(tmp_path, monkeypatch):
    path = raw_workbook(tmp_path / "t.xlsx", xml_rows(1, 30))
    assert len(read_participations(path).table) == 29
    monkeypatch.setenv("ECOSYS_MAX_CELLS", "40")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value) == (f"{path}: more than 40 cells, the limit (ECOSYS_MAX_CELLS); raise it if the workbook is "
                               "genuine and the machine has the memory (about 100 bytes a cell)")
    monkeypatch.setenv("ECOSYS_MAX_CELLS", "60")
    assert len(read_participations(path).table) == 29
    book = workbook(tmp_path, {"S": [["partner", "project"], *[["x" * 1000, i] for i in range(1500)]]})
    monkeypatch.setenv("ECOSYS_MAX_CELLS", "10000")
    monkeypatch.setenv("ECOSYS_MAX_INPUT_MB", "1")
    with pytest.raises(InputError) as info:
        read_participations(book)
    assert str(info.value).startswith(f"{book}: the workbook unpacks to 1.") and str(info.value).endswith(
        "MB, more than 1 MB, the limit (ECOSYS_MAX_INPUT_MB); raise it if the file is genuine and the machine has the "
        "memory, or save the sheet as CSV")


def test_error_cells_are_blank_and_the_sheet_is_read_whatever_its_declared_size(tmp_path):
    rows = [*xml_rows(1, 1), b'<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2" t="inlineStr"><is><t>P1</t></is></c>'
            b'<c r="C2" t="inlineStr"><is><t>x</t></is></c></row>',
            b'<row r="4"><c r="A4" t="inlineStr"><is><t>Org</t></is></c><c r="B4"><v>7</v></c></row>']
    [sheet] = read_workbook(raw_workbook(tmp_path / "t.xlsx", rows).read_bytes(), "t.xlsx", None)
    assert (sheet.header, sheet.rows.tolist()) == (["partner", "project", ""], [2, 3, 4])
    assert sheet.cells.values.tolist() == [["", "P1", "x"], ["", "", ""], ["Org", "7", ""]]
