"""Reading participation tables: ecosys.io.read_participations.

Every test writes a real file under tmp_path with exact bytes, reads it with
the library and checks exact values: the cleaned names, the line (or row)
numbers, the counts and the messages of InputError.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile

import openpyxl

import pytest

from ecosys.errors import InputError
from ecosys.read import Participations, read_participations

OLD_MTIME_NS = 1_600_000_000_000_000_000  # 2020-09-13, far from "now"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def pairs(p: Participations) -> list[tuple[str, str, int]]:
    return list(p.table[["partner", "project", "row"]].itertuples(index=False, name=None))


def records(p: Participations) -> list[dict]:
    return p.table.to_dict("records")


def workbook(tmp_path, sheets: dict[str, list[list]], name="table.xlsx"):
    """A real .xlsx with one sheet per item, rows appended in order (None = empty cell)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


# -- encodings and separators ----------------------------------------------------------------

ITALIAN = [("Università di Bologna", "P1"), ("Città di Torino", "P1"), ("Città di Torino", "P2")]


def table_text(sep: str, eol: str, rows=ITALIAN, header=("partner", "project")) -> str:
    return eol.join(sep.join(r) for r in [header, *rows]) + eol


@pytest.mark.parametrize(
    "data, separator, encoding",
    [
        pytest.param(table_text(",", "\n").encode("utf-8"), ",", "utf-8", id="utf8-comma-lf"),
        pytest.param(b"\xef\xbb\xbf" + table_text(",", "\r\n").encode("utf-8"), ",", "utf-8-sig", id="utf8-bom-comma-crlf"),
        pytest.param(b"\xef\xbb\xbf" + table_text(";", "\r\n").encode("utf-8"), ";", "utf-8-sig", id="utf8-bom-semicolon"),
        pytest.param(table_text(";", "\r\n").encode("cp1252"), ";", "cp1252", id="cp1252-semicolon-crlf"),
        pytest.param(table_text(",", "\n").encode("cp1252"), ",", "cp1252", id="cp1252-comma-lf"),
        # Excel "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF.
        pytest.param(table_text("\t", "\r\n").encode("utf-16"), "\t", "utf-16", id="utf16le-bom-tab"),
        pytest.param(b"\xfe\xff" + table_text("\t", "\r\n").encode("utf-16-be"), "\t", "utf-16", id="utf16be-bom-tab"),
        # the same saved without a BOM: every other byte is 0, which is no binary file
        pytest.param(table_text("\t", "\r\n").encode("utf-16-le"), "\t", "utf-16-le", id="utf16le-no-bom-tab"),
        pytest.param(table_text(",", "\n").encode("utf-16-be"), ",", "utf-16-be", id="utf16be-no-bom-comma"),
        pytest.param(table_text("|", "\n").encode("utf-8"), "|", "utf-8", id="utf8-pipe"),
        pytest.param(table_text("\t", "\n").encode("utf-8"), "\t", "utf-8", id="utf8-tab"),
        pytest.param(table_text("|", "\r\n").encode("cp1252"), "|", "cp1252", id="cp1252-pipe-crlf"),
    ],
)
def test_encodings_and_separators_are_read(tmp_path, data, separator, encoding):
    p = read_participations(write(tmp_path, "table.csv", data))
    assert pairs(p) == [("Università di Bologna", "P1", 2), ("Città di Torino", "P1", 3), ("Città di Torino", "P2", 4)]
    assert (p.separator, p.encoding, p.format) == (separator, encoding, "csv")
    assert (p.partner_column, p.project_column) == ("partner", "project")
    assert (p.rows_read, p.duplicate_rows, p.skipped_rows, p.warnings) == (3, 0, (), ())


def test_cp1252_only_characters_are_decoded_as_cp1252(tmp_path):
    # 0x92 is a right single quote in cp1252 (a C1 control in Latin-1), 0x80 the euro sign.
    data = "partner;project;budget\r\nCooperativa L’Aquilone;Orti;€ 1.000\r\n".encode("cp1252")
    p = read_participations(write(tmp_path, "export.csv", data))
    assert p.encoding == "cp1252"
    assert records(p) == [{"partner": "Cooperativa L’Aquilone", "project": "Orti", "row": 2, "budget": "€ 1.000"}]


def test_latin1_bytes_that_are_not_cp1252_are_still_read(tmp_path):
    # 0x81 is undefined in cp1252: the reader must fall back to Latin-1 rather than fail.
    data = b"partner;project\r\nCitt\xe0 \x81;P1\r\n"
    p = read_participations(write(tmp_path, "latin1.csv", data))
    assert p.encoding == "latin-1"
    assert pairs(p) == [("Città \x81", "P1", 2)]


# -- readable mess -----------------------------------------------------------------------------

def test_spaces_in_names_and_headers_are_cleaned(tmp_path):
    data = (
        "  Organisation  ;  Project Acronym ; Role \r\n"
        "  Università\u00a0\u00a0di   Bologna  ;  P1 ; lead \r\n"
        "Comune\u00a0di Milano;\u00a0P1\u00a0;partner\r\n"
    ).encode("utf-8")
    p = read_participations(write(tmp_path, "spaces.csv", data))
    assert (p.partner_column, p.project_column) == ("Organisation", "Project Acronym")
    assert records(p) == [
        {"partner": "Università di Bologna", "project": "P1", "row": 2, "Role": "lead"},
        {"partner": "Comune di Milano", "project": "P1", "row": 3, "Role": "partner"},
    ]


def test_missing_trailing_cells_and_blank_lines(tmp_path):
    data = (
        b"\r\n"
        b"partner,project,role,country\r\n"
        b"A,P1,lead,IT\r\n"
        b"\r\n"
        b"B,P1\r\n"
        b",,,\r\n"
        b"C,P2,partner\r\n"
        b"\r\n"
    )
    p = read_participations(write(tmp_path, "ragged.csv", data))
    assert records(p) == [
        {"partner": "A", "project": "P1", "row": 3, "role": "lead", "country": "IT"},
        {"partner": "B", "project": "P1", "row": 5, "role": "", "country": ""},
        {"partner": "C", "project": "P2", "row": 7, "role": "partner", "country": ""},
    ]
    assert (p.rows_read, p.skipped_rows, p.warnings) == (3, (), ())




def test_utf8_table_with_some_cp1252_lines_keeps_its_utf8_names(tmp_path):
    # two exports pasted together: the UTF-8 names are not turned into "UniversitÃ di Bologna"
    data = "partner;project\nUniversità di Bologna;P1\n".encode("utf-8") + "Comune di Forlì;P1\n".encode("cp1252")
    p = read_participations(write(tmp_path, "t.csv", data))
    assert pairs(p) == [("Università di Bologna", "P1", 2), ("Comune di Forlì", "P1", 3)]
    assert p.encoding == "utf-8+cp1252"

def test_excel_separator_line_names_the_separator(tmp_path):
    # Excel writes (and reads) a first line "sep=;"; lines keep their numbers
    path = write(tmp_path, "t.csv", "sep=;\r\nEnte;Progetto;Città\r\nComune di Forlì;P1;Forlì, FC\r\n".encode("cp1252"))
    p = read_participations(path)
    assert (p.separator, p.partner_column, p.project_column) == (";", "Ente", "Progetto")
    assert records(p) == [{"partner": "Comune di Forlì", "project": "P1", "row": 3, "Città": "Forlì, FC"}]


def test_every_line_skipped_as_malformed_is_not_called_a_header_without_rows(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,project\nA,B,C\nD,E,F\n")
    with pytest.raises(InputError) as info:
        read_participations(path, skip_bad_lines=True)
    assert str(info.value) == (
        f"{path}: no participations left: every line has more fields than the header (2): lines 2, 3; "
        "check the separator or the quoting"
    )

def test_trailing_empty_fields_beyond_the_header_are_not_an_error(tmp_path):
    p = read_participations(write(tmp_path, "trailing.csv", b"partner;project\nA;P1;;\nB;P1;\n"))
    assert pairs(p) == [("A", "P1", 2), ("B", "P1", 3)]


def test_repeated_rows_are_counted_once_and_reported_with_their_lines(tmp_path):
    data = b"partner;project\r\nA;P1\r\nB;P1\r\nA;P1\r\n A ;P1 \r\nB;P2\r\nB;P1\r\n"
    path = write(tmp_path, "dupes.csv", data)
    p = read_participations(path)
    assert pairs(p) == [("A", "P1", 2), ("B", "P1", 3), ("B", "P2", 6)]
    assert p.duplicate_rows == 3
    assert p.rows_read == 6
    assert len(p.warnings) == 1
    assert str(path) in p.warnings[0]
    assert "3 repeated" in p.warnings[0]
    assert "lines 4, 5, 7" in p.warnings[0]


def test_rows_with_blank_partner_or_project_are_skipped_with_their_lines(tmp_path):
    data = b"partner,project,role\nA,P1,lead\n,P1,partner\nB,  ,partner\n\xc2\xa0,P2,x\nC,P2,lead\n"
    path = write(tmp_path, "blanks.csv", data)
    p = read_participations(path)
    assert pairs(p) == [("A", "P1", 2), ("C", "P2", 6)]
    assert p.skipped_rows == (3, 4, 5)
    assert p.rows_read == 5
    assert len(p.warnings) == 1
    assert str(path) in p.warnings[0]
    assert "lines 3, 4, 5" in p.warnings[0]


def test_quoted_cells_with_separators_and_newlines(tmp_path):
    data = b'partner,project,notes\n"Rossi, Bianchi & C.",P1,"two\nlines"\nB,P1,x\n'
    p = read_participations(write(tmp_path, "quoted.csv", data))
    assert [r[:2] for r in pairs(p)] == [("Rossi, Bianchi & C.", "P1"), ("B", "P1")]
    assert p.table["notes"].tolist() == ["two\nlines", "x"]
    # The row after the two-line record is physical line 4.
    assert pairs(p)[1][2] == 4


def test_semicolon_file_with_decimal_commas(tmp_path):
    data = "Ente;Progetto;Importo\r\nUniversità di Bologna;P1;412248,84\r\nComune;P1;1,5\r\n".encode("cp1252")
    p = read_participations(write(tmp_path, "importi.csv", data))
    assert p.separator == ";"
    assert (p.partner_column, p.project_column) == ("Ente", "Progetto")
    assert p.table["Importo"].tolist() == ["412248,84", "1,5"]


def test_table_columns_are_partner_project_row_then_the_others_as_text(tmp_path):
    p = read_participations(write(tmp_path, "cols.csv", b"role,Organisation,amount,Project\nlead,A,100,P1\n"))
    assert list(p.table.columns) == ["partner", "project", "row", "role", "amount"]
    assert records(p) == [{"partner": "A", "project": "P1", "row": 2, "role": "lead", "amount": "100"}]


def test_file_object_and_name(tmp_path):
    path = write(tmp_path, "my-data.v2.csv", b"partner,project\nA,P1\n")
    assert read_participations(path).name == "my-data.v2"
    with path.open("rb") as f:
        p = read_participations(f, label="<stdin>")
    assert (p.source, pairs(p)) == ("<stdin>", [("A", "P1", 2)])


# -- finding the columns -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "header, partner_column, project_column",
    [
        ("partner,project", "partner", "project"),
        ("PARTNER,PROJECT", "PARTNER", "PROJECT"),
        ("Organisation,Acronym", "Organisation", "Acronym"),
        ("organization,project_id", "organization", "project_id"),
        ("ORG,Project ID", "ORG", "Project ID"),
        ("Participant,projectAcronym", "Participant", "projectAcronym"),
        ("beneficiary,projectRcn", "beneficiary", "projectRcn"),
        ("new_org_id,projectRcn", "new_org_id", "projectRcn"),
        ("Partner Type,Organisation Name,Project Title", "Organisation Name", "Project Title"),
        ("projectID,role,organisationID", "organisationID", "projectID"),
    ],
)
def test_columns_are_found_by_common_names(tmp_path, header, partner_column, project_column):
    width = header.count(",") + 1
    row = ",".join(f"v{i}" for i in range(width))
    p = read_participations(write(tmp_path, "t.csv", f"{header}\n{row}\n".encode()))
    assert (p.partner_column, p.project_column) == (partner_column, project_column)
    columns = header.split(",")
    assert pairs(p) == [(f"v{columns.index(partner_column)}", f"v{columns.index(project_column)}", 2)]


def test_columns_named_explicitly_case_insensitively(tmp_path):
    path = write(tmp_path, "t.csv", b"Ente Capofila,Codice,Titolo\nA,C1,T1\nB,C1,T1\n")
    p = read_participations(path, partner="ente capofila", project="CODICE")
    assert (p.partner_column, p.project_column) == ("Ente Capofila", "Codice")
    assert pairs(p) == [("A", "C1", 2), ("B", "C1", 3)]
    assert p.project_attributes == ("Titolo",)


def test_attributes_are_classified_by_where_they_are_constant(tmp_path):
    data = (
        b"partner,project,role,country,start\n"
        b"A,P1,lead,IT,2020\n"
        b"A,P2,partner,IT,2021\n"
        b"B,P1,partner,FR,2020\n"
        b"B,P2,lead,FR,2021\n"
    )
    p = read_participations(write(tmp_path, "attrs.csv", data))
    assert p.partner_attributes == ("country",)
    assert p.project_attributes == ("start",)
    assert p.edge_attributes == ("role",)


def test_explicit_project_column_when_another_column_is_named_project(tmp_path):
    data = b"partner,acronym,project\nA,P1,Long title one\nB,P1,Long title one\nB,P2,Other title\n"
    p = read_participations(write(tmp_path, "t.csv", data), project="acronym")
    assert p.project_column == "acronym"
    assert [(a, b) for a, b, _ in pairs(p)] == [("A", "P1"), ("B", "P1"), ("B", "P2")]


def test_explicit_partner_column_when_another_column_is_named_partner(tmp_path):
    data = b"org,project,partner\nA,P1,yes\nB,P1,no\n"
    p = read_participations(write(tmp_path, "t.csv", data), partner="org")
    assert p.partner_column == "org"
    assert [(a, b) for a, b, _ in pairs(p)] == [("A", "P1"), ("B", "P1")]


# -- bad input ---------------------------------------------------------------------------------

def _zip_without_workbook() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


BAD_INPUTS = [
    pytest.param("empty.csv", b"", ["empty"], id="empty"),
    pytest.param("spaces.csv", b"  \r\n\t \r\n\r\n", ["empty"], id="only-whitespace"),
    pytest.param("bom.csv", b"\xef\xbb\xbf\r\n", ["empty"], id="only-bom"),
    pytest.param("utf16.txt", "  \r\n".encode("utf-16"), ["empty"], id="utf16-only-whitespace"),
    pytest.param("header.csv", b"partner;project\r\n", ["no data rows", "line 1"], id="header-only"),
    pytest.param(
        "cols.csv", b"name,title\nA,P1\n",
        ["no partner column", "'name', 'title'", "--partner"], id="no-partner-column",
    ),
    pytest.param(
        "cols2.csv", b"partner,title\nA,P1\n",
        ["no project column", "'partner', 'title'", "--project"], id="no-project-column",
    ),
    pytest.param(
        "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06",
        ["binary"], id="png",
    ),
    pytest.param("nul.csv", b"partner,project\nA\x00B,P1\n", ["binary"], id="nul-bytes"),
    pytest.param("late-nul.csv", b"partner,project\n" + b"A,P1\n" * 20_000 + b"B\x00C,P1\n",
                 ["line 20002: a NUL byte"], id="nul-byte-past-the-start"),
    pytest.param("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, [".xls", ".xlsx"], id="old-xls"),
    pytest.param("broken.xlsx", b"PK\x03\x04" + b"junk" * 20, [".xlsx"], id="broken-xlsx"),
    pytest.param("other.xlsx", _zip_without_workbook(), [".xlsx"], id="zip-not-xlsx"),
    pytest.param("blank.csv", b"partner,project,role\n,P1,lead\nA,,x\n \t, \n", ["blank partner or project"], id="all-blank"),
    pytest.param(
        "wide.csv", b"partner,project\nA,P1\nB,P1,extra\n", ["line 3", "3 fields", "header has 2"], id="extra-field",
    ),
    # the csv module would read the rest of the file into the open cell
    pytest.param("open.csv", b'partner,project,city\nA,P1,"Rome\nB,P2,Milan\nC,P3,Turin\n',
                 ["line 2: a quoted cell is never closed"], id="unclosed-quote"),
    pytest.param("open2.csv", b'partner,project\r\nA,P1\r\nB,"P2\r\n', ["line 3: a quoted cell is never closed"],
                 id="unclosed-quote-last-line"),
    pytest.param("open3.csv", b'"partner,project\nA,P1\n', ["line 1: a quoted cell is never closed"],
                 id="unclosed-quote-header"),
]


@pytest.mark.parametrize("name, data, fragments", BAD_INPUTS)
def test_bad_input_raises_one_line_error_naming_the_file(tmp_path, name, data, fragments):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_participations(path)
    message = str(info.value)
    assert message.startswith(f"{path}")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == OLD_MTIME_NS


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_participations(path)
    assert not path.exists()


def test_folder_as_input(tmp_path):
    with pytest.raises(InputError) as info:
        read_participations(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: is a folder")


def test_partner_option_naming_a_missing_column(tmp_path):
    path = write(tmp_path, "t.csv", b"org,project\nA,P1\n")
    with pytest.raises(InputError) as info:
        read_participations(path, partner="Ente")
    assert str(info.value) == f"{path}: no partner column 'Ente'; columns are: 'org', 'project'"


@pytest.mark.parametrize(
    "data, line",
    [
        pytest.param(b"partner,project\nA,P1\nB,P1\nC,P1,x\n", 4, id="plain"),
        pytest.param(b"partner,project\r\nA,P1\r\nC,P1,x\r\n", 3, id="crlf"),
        pytest.param(b"\n\npartner,project\nA,P1\n\nC,P1,x\n", 6, id="blank-lines"),
        pytest.param(b'partner,project\n"A\nand\nB",P1\nC,P1,x\n', 5, id="after-multiline-cell"),
        pytest.param(b'partner,project\r\n"A\r\nB",P1\r\n\r\n"C, D",P1\r\nE,P1,x\r\n', 6, id="multiline-crlf"),
        pytest.param("partner\tproject\r\nA\tP1\r\nB\tP1\tx\r\n".encode("utf-16"), 3, id="utf16-tab"),
        pytest.param(b"partner;project\nA;P1\nB;P1;x;y\n", 3, id="semicolon"),
    ],
)
def test_extra_field_error_gives_the_physical_line(tmp_path, data, line):
    path = write(tmp_path, "t.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}, line {line}: ")


def test_header_only_after_blank_lines_names_the_header_line(tmp_path):
    path = write(tmp_path, "t.csv", b"\r\n\r\npartner,project\r\n")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert "line 3" in str(info.value)


def test_reading_does_not_modify_the_file(tmp_path):
    data = "partner;project\r\nUniversità di Bologna;P1\r\nUniversità di Bologna;P1\r\n".encode("cp1252")
    path = write(tmp_path, "t.csv", data)
    p = read_participations(path)
    assert p.duplicate_rows == 1
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == OLD_MTIME_NS


# -- .xlsx -------------------------------------------------------------------------------------

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


def test_a_sheet_asked_of_a_text_table_is_refused(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    with pytest.raises(InputError) as info:
        read_participations(path, sheet="Data")
    assert str(info.value) == f"{path}: a sheet ('Data') was asked for, but this is a text table, not an .xlsx workbook"

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


def test_a_header_followed_only_by_blank_lines_has_no_data_rows(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"partner,project\r\n\r\n,\r\n  ,  \r\n")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value) == (
        f"{path}: no data rows after the header (line 1); expected one row per partner-in-project"
    )


def test_gzip_compressed_tables_are_read(tmp_path):
    import gzip

    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress("projectRcn\tnew_org_id\r\n193157\t999905974\r\n193158\tUniversità\r\n".encode("cp1252")))
    p = read_participations(path)
    assert (p.format, p.encoding, p.separator) == ("csv+gzip", "cp1252", "\t")
    assert (p.partner_column, p.project_column) == ("new_org_id", "projectRcn")
    assert pairs(p) == [("999905974", "193157", 2), ("Università", "193158", 3)]
    assert p.name == "t" and p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_broken_gzip_file_is_one_error_line(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00broken")
    with pytest.raises(InputError, match=r"t\.csv\.gz: starts as gzip but cannot be decompressed"):
        read_participations(path)


# -- several tables ----------------------------------------------------------------------------

PARTICIPATIONS = b"org_id,project_id,role\n1,10,lead\n2,10,partner\n2,11,lead\n999,11,partner\n"
ORGS = b"id;legal name;country\n1;ACME srl;IT\n2;UniBo;IT\n2;Universita di Bologna;IT\n3;Unused;FR\n"
PROJECTS = b"rcn\tacronym\tstart\n10\tALPHA\t2020\n11\tBETA\t2021\n"


def test_partner_and_project_tables_are_joined_by_id(tmp_path):
    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "orgs.csv", ORGS)
    projects = write(tmp_path, "projects.tsv", PROJECTS)
    p = read_participations(main, partners=orgs, projects=projects)
    assert records(p) == [
        {"partner": "1", "project": "10", "row": 2, "role": "lead", "legal name": "ACME srl", "country": "IT",
         "acronym": "ALPHA", "start": "2020"},
        {"partner": "2", "project": "10", "row": 3, "role": "partner", "legal name": "UniBo", "country": "IT",
         "acronym": "ALPHA", "start": "2020"},
        {"partner": "2", "project": "11", "row": 4, "role": "lead", "legal name": "UniBo", "country": "IT",
         "acronym": "BETA", "start": "2021"},
        {"partner": "999", "project": "11", "row": 5, "role": "partner", "legal name": "", "country": "",
         "acronym": "BETA", "start": "2021"},
    ]
    assert (p.partner_label, p.project_label) == ("legal name", "acronym")
    assert (p.partner_attributes, p.project_attributes, p.edge_attributes) == (
        ("legal name", "country"), ("acronym", "start"), ("role",))
    assert p.warnings == (
        f"{orgs}: 1 repeated id in 'id', the first row of each used (line 4)",
        f"1 partner id of {main} is not in {orgs} (first: 999)",
    )


def test_id_and_label_columns_named_explicitly(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project\nA1,P\nB2,P\n")
    orgs = write(tmp_path, "o.csv", b"code,short,full\nA1,A,Alpha Ltd\nB2,B,Beta Ltd\n")
    p = read_participations(main, partners=orgs, partners_id="CODE", partners_label="full")
    assert p.partner_label == "full"
    assert p.table["full"].tolist() == ["Alpha Ltd", "Beta Ltd"]


def test_partner_table_without_the_ids_is_an_error(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project\nA1,P\n")
    orgs = write(tmp_path, "o.csv", b"code,name\nZZ,Zeta\n")
    with pytest.raises(InputError) as info:
        read_participations(main, partners=orgs)
    assert str(info.value) == (
        f"{orgs}: no column holds the partner ids of {main} (such as 'A1'); columns are: 'code', 'name'; "
        "name it with --partners-id COLUMN"
    )


def test_workbook_sheets_are_recognised_by_their_columns(tmp_path):
    path = workbook(tmp_path, {
        "Participations": [["pic", "rcn"], [111, 7], [222, 7]],
        "Projects": [["rcn", "title"], [7, "Seven"]],
        "Organisations": [["PIC", "name", "type"], [111, "One", "HES"], [222, "Two", "PRC"]],
    })
    p = read_participations(path)
    assert records(p) == [
        {"partner": "111", "project": "7", "row": 2, "name (Organisations)": "One", "type": "HES", "title": "Seven"},
        {"partner": "222", "project": "7", "row": 3, "name (Organisations)": "Two", "type": "PRC", "title": "Seven"},
    ]
    assert (p.partner_label, p.project_label) == ("name (Organisations)", "title")


def test_folder_of_tables(tmp_path):
    write(tmp_path, "edges.csv", b"projectRcn\tnew_org_id\n10\tA\n10\tB\n")
    write(tmp_path, "orgs.csv", b"new_org_id,name\nA,Alpha\nB,Beta\n")
    write(tmp_path, "notes.md", b"# not a table\n")
    write(tmp_path, "README.txt", b"\x00\x01 not a table either\n")
    p = read_participations(tmp_path)
    assert p.name == tmp_path.name
    assert p.table["name (orgs)"].tolist() == ["Alpha", "Beta"]


def test_folder_without_a_participation_table(tmp_path):
    write(tmp_path, "orgs.csv", b"code,name\nA,Alpha\n")
    with pytest.raises(InputError) as info:
        read_participations(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: is a folder with no participation table in it")


# -- malformed lines and line numbers ----------------------------------------------------------

def test_malformed_lines_are_skipped_when_asked_with_their_lines(tmp_path):
    data = b'partner;project;note\nA;P1;x\n"B\nC";P1;"two\nlines"\nD;P2;x;extra\nE;P2;y\nF;P3;z;1;2\n'
    path = write(tmp_path, "t.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}, line 6: 4 fields where the header has 3 (semicolon-separated)")
    assert "--skip-bad-lines" in str(info.value)
    p = read_participations(path, skip_bad_lines=True)
    assert pairs(p) == [("A", "P1", 2), ("B C", "P1", 3), ("E", "P2", 7)]
    assert p.skipped_rows == (6, 8)
    assert p.rows_read == 5
    assert p.warnings == (
        f"{path}: skipped 2 malformed lines (more fields than the header): lines 6, 8",
    )


@pytest.mark.parametrize(
    "data, lines",
    [
        pytest.param(b"a,b\nA,P\nB,P\n", [2, 3], id="plain"),
        pytest.param(b'a,b\n"A\r\nA",P\r\n"B\rB",P\r\nC,P\r\n', [2, 4, 6], id="crlf-and-cr-in-cells"),
        pytest.param(b'a,b\n"x ""quoted""\n\nmore",P\nC,P\n', [2, 5], id="escaped-quotes-and-blank-line-in-cell"),
        pytest.param(b'\n\na,b\n\nA,P\n"B",P\n', [5, 6], id="blank-lines-before-and-after-the-header"),
    ],
)
def test_line_numbers_of_the_fast_reader(tmp_path, data, lines):
    p = read_participations(write(tmp_path, "t.csv", data), partner="a", project="b")
    assert p.table["row"].tolist() == lines


# -- aliases -----------------------------------------------------------------------------------

def test_aliases_merge_names_before_anything_else(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nMax-Planck-Gesellschaft,P1\nMax Planck Gesellschaft,P2\nMPG,P2\n")
    aliases = write(tmp_path, "aliases.csv",
                    b"name,canonical\nMax-Planck-Gesellschaft,Max Planck Gesellschaft\nMPG,Max-Planck-Gesellschaft\n")
    p = read_participations(main, aliases=aliases)
    assert pairs(p) == [("Max Planck Gesellschaft", "P1", 2), ("Max Planck Gesellschaft", "P2", 3)]
    assert p.duplicate_rows == 1
    assert p.warnings[0] == f"{main}: 2 partner names merged by the aliases"
    assert main.read_bytes().startswith(b"partner,project\nMax-Planck")


def test_aliases_by_display_name_move_rows_to_the_canonical_id(tmp_path):
    main = write(tmp_path, "t.csv", b"pic,project,legal_name\n1,P1,UniBo\n2,P2,Universita di Bologna\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical\nUniversita di Bologna,UniBo\n")
    p = read_participations(main, aliases=aliases)
    assert pairs(p) == [("1", "P1", 2), ("1", "P2", 3)]


def test_alias_table_with_a_blank_canonical_name(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical\nA,B\nC,\n")
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=aliases)
    assert str(info.value) == (
        f"{aliases}, line 3, column 'canonical': blank; expected two filled columns, a name and its canonical spelling"
    )



def test_alias_table_without_header_keeps_its_first_row_as_written(tmp_path):
    # the first row is data: not renamed as a header would be ("ACME (2)", "column 1")
    main = write(tmp_path, "t.csv", b"partner,project\nACME,P1\nFoo,P1\n")
    aliases = write(tmp_path, "a.csv", b"ACME,ACME\nFoo,Bar\n")
    assert pairs(read_participations(main, aliases=aliases)) == [("ACME", "P1", 2), ("Bar", "P1", 3)]
    blank = write(tmp_path, "b.csv", b",Bar\nFoo,Bar\n")
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=blank)
    assert str(info.value) == (
        f"{blank}, line 1, column 1: blank; expected two filled columns, a name and its canonical spelling"
    )


@pytest.mark.parametrize("data, found", [
    (b"name,canonical,note\nA,B,checked\n", "3: 'name', 'canonical', 'note'"),
    (b"A,B,C\nD,E,F\n", "3: 'A', 'B', 'C'"),
    (b"name\nA\n", "1: 'name'"),
])
def test_alias_table_with_other_than_two_columns_is_refused(tmp_path, data, found):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=aliases)
    assert str(info.value) == f"{aliases}: an alias table has two columns, a name and its canonical spelling; found {found}"


def test_alias_table_with_trailing_separators_is_read(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical,\r\nA,B,\r\n")
    assert pairs(read_participations(main, aliases=aliases)) == [("B", "P", 2)]


@pytest.mark.parametrize("option, expected", [
    ("aliases", "two columns, a name and its canonical spelling"),
    ("partners", "a header row, then one row per partner id"),
    ("projects", "a header row, then one row per project id"),
])
def test_an_empty_side_table_says_what_it_should_hold(tmp_path, option, expected):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    empty = write(tmp_path, "empty.csv", b"")
    with pytest.raises(InputError) as info:
        read_participations(main, **{option: empty})
    assert str(info.value) == f"{empty}: the file is empty; expected {expected}"

def test_named_sheet_comes_first_and_the_other_sheets_are_still_joined(tmp_path):
    path = workbook(tmp_path, {
        "Organisations": [["pic", "name"], [1, "One"], [2, "Two"]],
        "Participations": [["pic", "rcn"], [1, 7], [2, 7]],
    })
    p = read_participations(path, sheet="Participations")
    assert records(p) == [
        {"partner": "1", "project": "7", "row": 2, "name (Organisations)": "One"},
        {"partner": "2", "project": "7", "row": 3, "name (Organisations)": "Two"},
    ]
    assert p.partner_label == "name (Organisations)"


def test_a_blank_name_column_is_no_label(tmp_path):
    p = read_participations(write(tmp_path, "t.csv", b"pic,project_id,legal_name,project_acronym\n1,10,,X\n2,10,,X\n"))
    assert (p.partner_label, p.project_label) == (None, "project_acronym")


def test_columns_named_like_node_attributes_are_renamed(tmp_path):
    p = read_participations(write(tmp_path, "t.csv", b"partner,project,name,kind\nA,P,Alpha,x\n"))
    assert records(p) == [{"partner": "A", "project": "P", "row": 2, "name (2)": "Alpha", "kind (2)": "x"}]


@pytest.mark.parametrize("quote", ["", '"'], ids=["c-parser", "csv-module"])
def test_bad_lines_found_by_either_parser_give_the_same_result(tmp_path, quote):
    """Without quotes on the bad lines the C parser finds them; with quotes the csv module does."""
    rows = [f"org{i},P{i % 7},r" for i in range(2, 400)]
    rows[100] = f"{quote}bad1{quote},P1,r,extra"
    rows[300] = f"{quote}bad2{quote},P1,r,,more,"
    path = write(tmp_path, "t.csv", ("partner,project,role\n" + "\n".join(rows) + "\n").encode())
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}, line 102: 4 fields where the header has 3 (comma-separated)")
    p = read_participations(path, skip_bad_lines=True)
    assert p.skipped_rows == (102, 302)
    assert p.warnings == (f"{path}: skipped 2 malformed lines (more fields than the header): lines 102, 302",)
    assert (p.rows_read, len(p.table)) == (398, 396)
    assert p.table["row"].iloc[-1] == 399 and p.table["partner"].iloc[-1] == "org399"


def test_a_sheet_sharing_a_few_values_by_chance_is_not_joined(tmp_path):
    path = workbook(tmp_path, {
        "Participations": [["partner", "project"], ["1", "A"], ["2", "A"], ["3", "B"]],
        "Budget": [["year", "amount"], [1, 10], [2020, 20], [2021, 30], [2022, 40], [2023, 50]],
    })
    p = read_participations(path)
    assert list(p.table.columns) == ["partner", "project", "row"]
    assert p.warnings == (
        f"{path}, sheet 'Budget': not used (none of its columns holds the partner or project ids)",
    )


def test_cli_joins_partner_and_project_tables_into_the_outputs(tmp_path):
    import csv
    import json

    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "orgs.csv", ORGS)
    projects = write(tmp_path, "projects.tsv", PROJECTS)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(main), "--partners", str(orgs), "--projects", str(projects),
                                      "--partners-label", "legal name", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Warning: {orgs}: 1 repeated id in 'id', the first row of each used (line 4)",
        f"Warning: 1 partner id of {main} is not in {orgs} (first: 999)",
    ]
    with open(out / "partners.csv", newline="", encoding="utf-8") as f:
        partners = {r["node"]: r for r in csv.DictReader(f)}
    assert (partners["partner:2"]["legal name"], partners["partner:2"]["country"]) == ("UniBo", "IT")
    assert partners["partner:999"]["legal name"] == ""
    with open(out / "projects.csv", newline="", encoding="utf-8") as f:
        projects_out = {r["node"]: r for r in csv.DictReader(f)}
    assert (projects_out["project:11"]["acronym"], projects_out["project:11"]["start"]) == ("BETA", "2021")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["attributes"] == {
        "partner": ["legal name", "country"], "project": ["acronym", "start"], "participation": ["role"],
    }
    assert [main.read_bytes(), orgs.read_bytes(), projects.read_bytes()] == [PARTICIPATIONS, ORGS, PROJECTS]


def test_first_sheet_without_the_columns_names_the_sheet_that_has_them(tmp_path):
    path = workbook(tmp_path, {"Notes": [["nothing", "here"], ["x", "y"]], "Dati": [["partner", "project"], ["A", "P"]]})
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).endswith("; name it with --partner COLUMN; or read the sheet that has them with --sheet 'Dati'")
    assert pairs(read_participations(path, sheet="Dati")) == [("A", "P", 2)]


def test_aliases_by_display_name_from_a_partners_table(tmp_path):
    main = write(tmp_path, "edges.csv", b"org_id,project\nA1,P1\nA2,P2\nB1,P2\n")
    orgs = write(tmp_path, "orgs.csv", b"org_id,name\nA1,Alpha\nA2,Alpha GmbH\nB1,Beta\n")
    aliases = write(tmp_path, "aliases.csv", b"name,canonical\nAlpha GmbH,Alpha\n")
    p = read_participations(main, partners=orgs, aliases=aliases)
    assert pairs(p) == [("A1", "P1", 2), ("A1", "P2", 3), ("B1", "P2", 4)]
    assert p.table["name (orgs)"].tolist() == ["Alpha", "Alpha", "Beta"]
    assert p.warnings == (f"{main}: 1 partner name merged by the aliases",)


def test_cli_never_writes_outputs_over_the_partner_or_project_tables(tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "partners.csv", ORGS)
    result = CliRunner().invoke(cli, ["analyze", str(main), "--partners", str(orgs), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'partners.csv'}: is an input file; choose another output folder with --out\n"
    assert orgs.read_bytes() == ORGS and orgs.stat().st_mtime_ns == OLD_MTIME_NS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["participations.csv", "partners.csv"]


def test_cli_never_writes_outputs_into_the_input_folder_over_its_tables(tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    write(tmp_path, "edges.csv", b"projectRcn\tnew_org_id\n10\tA\n10\tB\n")
    projects = write(tmp_path, "projects.csv", b"rcn,acronym\n10,TEN\n")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {projects}: is an input file; choose another output folder with --out\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "projects.csv"]


@pytest.mark.parametrize("command, target, what", [
    ("report", "map.html", "output folder"), ("report", "ecosys.xlsx", "output folder"),
    ("export", "orgs.gexf", "output file"),
])
def test_report_and_export_never_write_over_an_input_table(tmp_path, command, target, what):
    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, target, ORGS)  # a partners table that has an output's name
    out = ["--out", str(tmp_path)] if command == "report" else ["--format", "gexf", "--out", str(orgs)]
    result = CliRunner().invoke(cli, [command, str(main), "--partners", str(orgs), "--partners-id", "id", *out])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {orgs}: is an input file; choose another {what} with --out\n"
    assert orgs.read_bytes() == ORGS and orgs.stat().st_mtime_ns == OLD_MTIME_NS
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["participations.csv", target])


def test_table_columns_are_python_objects_and_row_numbers_integers(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project,role\nA1,P,x\n")
    orgs = write(tmp_path, "o.csv", b"partner,name\nA1,Alpha\n")
    p = read_participations(main, partners=orgs)
    assert {c: str(t) for c, t in p.table.dtypes.items()} == {
        "partner": "object", "project": "object", "row": "int64", "role": "object", "name (o)": "object",
    }
