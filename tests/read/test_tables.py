"""Files and folders into tables; bad files refused with one line naming them (ecosys.read.tables)."""

from __future__ import annotations

import zipfile

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from .files import OLD_MTIME_NS, pairs, workbook, write


def test_a_sheet_asked_of_a_text_table_is_refused(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    with pytest.raises(InputError) as info:
        read_participations(path, sheet="Data")
    assert str(info.value) == f"{path}: a sheet ('Data') was asked for, but this is a text table, not an .xlsx workbook"


def test_file_object_and_name(tmp_path):
    path = write(tmp_path, "my-data.v2.csv", b"partner,project\nA,P1\n")
    assert read_participations(path).name == "my-data.v2"
    with path.open("rb") as f:
        p = read_participations(f, label="<stdin>")
    assert (p.source, pairs(p)) == ("<stdin>", [("A", "P1", 2)])


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_participations(path)
    assert not path.exists()


def test_folder_as_input(tmp_path):
    with pytest.raises(InputError) as info:
        read_participations(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: is a folder")


def test_reading_does_not_modify_the_file(tmp_path):
    data = "partner;project\r\nUniversità di Bologna;P1\r\nUniversità di Bologna;P1\r\n".encode("cp1252")
    path = write(tmp_path, "t.csv", data)
    p = read_participations(path)
    assert p.duplicate_rows == 1
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == OLD_MTIME_NS


def test_folder_of_tables(tmp_path):
    write(tmp_path, "edges.csv", b"projectRcn\tnew_org_id\n10\tA\n10\tB\n")
    write(tmp_path, "orgs.csv", b"new_org_id,name\nA,Alpha\nB,Beta\n")
    write(tmp_path, "notes.md", b"# not a table\n")
    write(tmp_path, "README.txt", b"\x00\x01 not a table either\n")
    p = read_participations(tmp_path)
    assert p.name == tmp_path.name
    assert p.table["name (orgs)"].tolist() == ["Alpha", "Beta"]


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
