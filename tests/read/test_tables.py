"""Files and folders into tables; bad files refused with one line naming them (ecosys.read.tables)."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from ecosys.errors import EcosysError, InputError
from ecosys.read import read_participations
from ecosys.read.tables import dataset_name, make_table, read_bytes, read_folder, read_tables
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


# -- the helpers of ecosys.read.tables ---------------------------------------------------------

def test_read_tables_of_a_text_file_records_where_it_came_from(tmp_path):
    data = gzip.compress(b"\n Org ;Org;\nA ; B;\n\n  ;  ;\nC;D;x\n")
    path = write(tmp_path, "t.csv.gz", data)
    [t] = read_tables(path)
    assert (t.label, t.path, t.sha256) == (str(path), str(path.resolve()), hashlib.sha256(data).hexdigest())
    assert (t.format, t.encoding, t.separator, t.sheet, t.word, t.short) == ("csv+gzip", "utf-8", ";", None, "line", "t")
    assert (t.header, list(t.frame.columns), t.header_line) == ([" Org ", "Org", ""], ["Org", "Org (2)", "column 3"], 2)
    assert t.frame.values.tolist() == [["A", "B", ""], ["C", "D", "x"]]
    assert t.rows.tolist() == [3, 6]


def test_read_tables_of_a_workbook_gives_one_table_per_sheet(tmp_path):
    path = workbook(tmp_path, {"Edges": [["pic", "rcn"], [1, 7]], "Orgs": [["pic", "name"], [1, "One"]]})
    tables = read_tables(path, label="book")
    assert [(t.label, t.sheet, t.word, t.short, t.format) for t in tables] == [
        ("book", "Edges", "row", "Edges", "xlsx"), ("book, sheet 'Orgs'", "Orgs", "row", "Orgs", "xlsx")]
    assert tables[1].frame.values.tolist() == [["1", "One"]]


def test_read_tables_says_what_an_empty_file_should_hold(tmp_path):
    path = write(tmp_path, "e.csv", b" \r\n")
    with pytest.raises(InputError) as info:
        read_tables(path, expected="one row per partner id")
    assert str(info.value) == f"{path}: the file is empty; expected one row per partner id"


def test_read_folder_reads_its_tables_by_name_and_nothing_else(tmp_path):
    for name in ("b.tsv", "a.csv", "c.csv.gz", ".hidden.csv", "~$lock.csv", "notes.txt", "data.json"):
        write(tmp_path, name, gzip.compress(b"x,y\n1,2\n") if name.endswith(".gz") else b"x,y\n1,2\n")
    (tmp_path / "sub.csv").mkdir()
    tables = read_folder(tmp_path, "in/")
    assert [t.label for t in tables] == ["in/a.csv", "in/b.tsv", "in/c.csv.gz"]
    assert [t.label for t in read_folder(tmp_path, "in")][0] == "in/a.csv"


def test_read_bytes_names_file_objects_by_their_name_or_stdin(tmp_path):
    path = write(tmp_path, "t.csv", b"a,b\n")
    with path.open("rb") as f:
        assert read_bytes(f) == (str(path), b"a,b\n")
    assert read_bytes(io.BytesIO(b"a,b\n")) == ("<stdin>", b"a,b\n")
    assert read_bytes(io.StringIO("città"), "text") == ("text", "città".encode())
    with pytest.raises(InputError, match="nope.csv: file not found"):
        read_bytes(tmp_path / "nope.csv")


def test_a_file_whose_name_starts_with_a_bracket_is_no_stdin(tmp_path):
    path = write(tmp_path, "<odd>.csv", b"partner,project\nA,P1\n")
    p = read_participations(path)
    assert (p.name, p.source) == ("<odd>", str(path))
    with path.open("rb") as f:
        assert (read_participations(f).name, read_participations(io.BytesIO(path.read_bytes())).name) == ("<odd>", "stdin")


@pytest.mark.parametrize("name, dataset", [("...csv", "dataset"), ("..csv", "dataset"), (". .csv.gz", "dataset"),
                                           (".hidden.csv", "hidden"), ("a..csv", "a"), ("x\x1b[2J.csv", "x_[2J")])
def test_a_file_name_never_names_a_folder_outside_the_output(tmp_path, name, dataset):
    data = gzip.compress(b"partner,project\nA,P1\n") if name.endswith(".gz") else b"partner,project\nA,P1\n"
    assert read_participations(write(tmp_path, name, data)).name == dataset


def test_a_path_with_bytes_that_are_not_utf8_is_named_in_text(tmp_path):
    import os

    folder = tmp_path / os.fsdecode("Citt\xe0".encode("latin-1"))  # a Latin-1 folder name
    folder.mkdir()
    path = write(folder, os.fsdecode(b"caf\xe9.csv"), b"partner,project\nA,P1\n")
    p = read_participations(path)
    assert (p.name, p.source) == ("café", str(tmp_path / "Città" / "café.csv"))
    assert p.source.encode("utf-8") and read_participations(folder).name == "Città"
    with pytest.raises(InputError) as info:
        read_participations(folder / os.fsdecode(b"n\xe9.csv"))
    assert str(info.value) == f"{tmp_path}/Città/né.csv: file not found"


class Endless(io.RawIOBase):
    """A stream of ``byte`` that never ends (as /dev/zero), counting what was read from it."""

    def __init__(self, start: bytes, byte: bytes):
        self.start, self.byte, self.read_so_far = start, byte, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = (self.start + self.byte * len(buffer))[:len(buffer)]
        self.start = self.start[len(chunk):]
        buffer[:len(chunk)] = chunk
        self.read_so_far += len(chunk)
        return len(chunk)


@pytest.mark.parametrize("start, byte, message", [
    pytest.param(b"", b"\x00", "<stdin>: looks like a binary file", id="zeros"),
    pytest.param(b"", __import__("random").Random(2).randbytes(4096), "<stdin>: looks like a binary file", id="random"),
    pytest.param(b"\xff\xfe", __import__("random").Random(3).randbytes(4096), "<stdin>: looks like a binary file",
                 id="random-after-a-utf16-bom"),
    pytest.param(b"partner,project\n" * 5000, b"\x00", "<stdin>, line 5001: a NUL byte", id="text-then-zeros"),
])
def test_an_endless_stream_is_refused_after_its_start(start, byte, message, monkeypatch):
    monkeypatch.setenv("ECOSYS_MAX_INPUT_MB", "16")  # should the check fail, the test fails without taking the memory
    stream = Endless(start, byte)
    with pytest.raises(InputError) as info:
        read_participations(io.BufferedReader(stream))
    assert str(info.value).startswith(message)
    assert stream.read_so_far <= 2 * 2**20  # the start, and at most a block more


def test_a_file_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    data = b"partner,project\n" + b"Org,P1\n" * 200_000  # 1.4 MB
    path, packed = write(tmp_path, "t.csv", data), write(tmp_path, "t.csv.gz", gzip.compress(data))
    assert len(read_participations(path).table) == 1
    monkeypatch.setenv("ECOSYS_MAX_INPUT_MB", "1")
    for source, label, what in ((path, str(path), "larger than"), (io.BytesIO(data), "<stdin>", "larger than"),
                                (packed, str(packed), "decompresses to more than")):
        with pytest.raises(InputError) as info:
            read_participations(source)
        assert str(info.value) == (f"{label}: {what} 1 MB, the limit (ECOSYS_MAX_INPUT_MB); raise it if the file is "
                                   "genuine and the machine has the memory")
    monkeypatch.setenv("ECOSYS_MAX_INPUT_MB", "one")
    with pytest.raises(EcosysError, match=r"^ECOSYS_MAX_INPUT_MB: expected a whole number above 0 \(such as 2048\), not 'one'$"):
        read_participations(path)


def test_a_text_table_past_the_cell_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = write(tmp_path, "t.csv", b"partner,project,role\r" + b"A,P1,lead\r" * 9)
    monkeypatch.setenv("ECOSYS_MAX_CELLS", "30")
    assert len(read_participations(path).table) == 1
    monkeypatch.setenv("ECOSYS_MAX_CELLS", "29")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value) == (f"{path}: 10 lines of 3 columns make 30 cells, more than the 29 allowed (ECOSYS_MAX_CELLS); "
                               "raise it if the table is genuine and the machine has the memory (about 100 bytes a cell)")


def test_make_table_cleans_the_header_trims_cells_and_drops_blank_rows():
    frame = pd.DataFrame([[" a ", " b "], ["\u00a0", " "], ["c", ""]])
    t = make_table("t.csv", ["row", " x "], frame, [2, 3, 5], 1, "csv", separator=",")
    assert (list(t.frame.columns), t.header) == (["row (2)", "x"], ["row", " x "])
    assert t.frame.values.tolist() == [["a", "b"], ["c", ""]]
    assert (t.rows.tolist(), t.rows.dtype.name, t.separator) == ([2, 5], "int64", ",")


@pytest.mark.parametrize("path, name", [
    ("h2020.csv.gz", "h2020"), ("data/edges.csv", "edges"), ("my-data.v2.csv", "my-data.v2"), ("T.CSV.GZ", "T"),
    ("folder", "folder"),
])
def test_dataset_name(path, name):
    assert dataset_name(path) == name


# -- titles above the header ------------------------------------------------------------------------

def test_title_rows_above_the_header_of_a_text_table_are_passed_over(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Elenco dei partner 2023\nAggiornato al 12/03/2023\n\nEnte;Progetto;Importo\n"
                     b"Comune di Torino;Orti;1,5\n\"Universit\xc3\xa0\";Orti;2\n")
    p = read_participations(path)
    assert list(p.table["partner"]) == ["Comune di Torino", "Università"]
    assert p.numbers_of("Importo").tolist() == [1.5, 2.0]  # the separator found past the titles too
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Elenco;;\n;;\nEnte;Progetto;Importo\nA;P1;1\nB;P1;1;extra\n")
    with pytest.raises(InputError) as info:
        read_participations(bad)
    assert str(info.value).startswith(f"{bad}, line 5:")  # lines still counted from the file's first


def test_title_rows_above_the_header_of_a_sheet_are_passed_over(tmp_path):
    book = openpyxl.Workbook()
    for row in (["Elenco dei partner dei progetti 2023"], [], ["Ente", "Progetto", "Ruolo"],
                ["Comune di Torino", "Orti Urbani", "capofila"], ["Università di Torino", "Orti Urbani", "partner"]):
        book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    p = read_participations(tmp_path / "t.xlsx")
    assert list(p.table["partner"]) == ["Comune di Torino", "Università di Torino"]
    assert list(p.table["Ruolo"]) == ["capofila", "partner"]


def test_more_than_five_title_rows_keep_the_first_row_as_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("".join(f"title {i}\n" for i in range(6)) + "partner,project\nA,P1\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 7: 2 fields where the header has 1"):  # 'title 0' is the header
        read_participations(path)
