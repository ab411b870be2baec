"""CSV/TSV text: separators, quoting, blank lines, physical line numbers, malformed lines (ecosys.read.text)."""

from __future__ import annotations

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.result import BadLine
from ecosys.read.text import parse_text, separator_line, sniff_separator
from .files import pairs, records, write


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


def test_excel_separator_line_names_the_separator(tmp_path):
    # Excel writes (and reads) a first line "sep=;"; lines keep their numbers
    path = write(tmp_path, "t.csv", "sep=;\r\nEnte;Progetto;Città\r\nComune di Forlì;P1;Forlì, FC\r\n".encode("cp1252"))
    p = read_participations(path)
    assert (p.separator, p.partner_column, p.project_column) == (";", "Ente", "Progetto")
    assert records(p) == [{"partner": "Comune di Forlì", "project": "P1", "row": 3, "Città": "Forlì, FC"}]


def test_trailing_empty_fields_beyond_the_header_are_not_an_error(tmp_path):
    p = read_participations(write(tmp_path, "trailing.csv", b"partner;project\nA;P1;;\nB;P1;\n"))
    assert pairs(p) == [("A", "P1", 2), ("B", "P1", 3)]


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


def test_a_header_followed_only_by_blank_lines_has_no_data_rows(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"partner,project\r\n\r\n,\r\n  ,  \r\n")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value) == (
        f"{path}: no data rows after the header (line 1); expected one row per partner-in-project"
    )


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


# -- the helpers of ecosys.read.text -----------------------------------------------------------

@pytest.mark.parametrize("text, separator", [
    ("a,b\n1,2\n", ","),
    ("Ente;Importo\nComune;1,5\nUniBo;412248,84\n", ";"),  # decimal commas: the separator splits every line alike
    ("a\tb\tc\n1\t2\t3\n", "\t"),
    ("a|b\n1|2\n", "|"),
    ("one column\nvalue\n", ","),
    ('"a;b",c\n"1;2",3\n', ","),
])
def test_sniff_separator(text, separator):
    assert sniff_separator(text) == separator


def test_separator_line_keeps_the_line_blank_so_lines_keep_their_numbers():
    assert separator_line("sep=;\r\na;b\r\n") == (";", "\r\na;b\r\n")
    assert separator_line("sep=\t\na\tb\n") == ("\t", "\na\tb\n")
    assert separator_line("sep=;x\na;b\n") is None
    assert separator_line("a;b\n") is None


def test_parse_text_gives_cells_and_the_line_of_each_row():
    t = parse_text('\nOrg;Project\n"Rossi;\nBianchi";P1\n\nUniBo;P1\n', "t.csv")
    assert (t.separator, t.header_line, t.header) == (";", 2, ["Org", "Project"])
    assert t.frame.values.tolist() == [["Rossi;\nBianchi", "P1"], ["", ""], ["UniBo", "P1"]]
    assert t.rows.tolist() == [3, 5, 6]
    assert t.bad == []


def test_parse_text_reports_malformed_lines_or_refuses_them():
    text = "a,b\nA,P\nB,P,x\nC,P\n"
    t = parse_text(text, "t.csv", skip_bad_lines=True)
    assert t.frame.values.tolist() == [["A", "P"], ["C", "P"]]
    assert (t.rows.tolist(), t.bad) == ([2, 4], [BadLine(3, "3 fields where the header has 2")])
    with pytest.raises(InputError, match=r"^t\.csv, line 3: 3 fields where the header has 2 \(comma-separated\)"):
        parse_text(text, "t.csv")


def test_parse_text_of_a_sep_line_uses_its_separator():
    t = parse_text("sep=,\na;b,c\n1;2,3\n", "t.csv")
    assert (t.separator, t.header_line, t.header, t.rows.tolist()) == (",", 2, ["a;b", "c"], [3])


# -- lines ending in a lone CR (Excel for Mac's "CSV (Macintosh)") ------------------------------

@pytest.mark.parametrize("data, lines", [
    pytest.param(b"project,partner,role\rP1,Org A,lead\rP2,Org B,partner\r", [2, 3], id="cr"),
    pytest.param(b"sep=;\rproject;partner;role\rP1;Org A;lead\rP2;Org B;partner\r", [3, 4], id="sep-line-cr"),
    pytest.param(b"sep=;\r\nproject;partner;role\rP1;Org A;lead\rP2;Org B;partner", [3, 4], id="sep-line-crlf-then-cr"),
    pytest.param(b"\r\rproject,partner,role\r\rP1,Org A,lead\rP2,Org B,partner\r", [5, 6], id="blank-lines-cr"),
    pytest.param(b'project,partner,role\r"P1","Org A","lead"\r"P2","Org B","partner"\r', [2, 3], id="quoted-cr"),
    pytest.param(b"project,partner,role\rP1,Org A,lead\rP2,Org B,partner\rP3,C,x,y\r", [2, 3], id="extra-field-cr"),
])
def test_lines_ending_in_a_lone_cr_keep_every_row_and_its_line(tmp_path, data, lines):
    """Regression: pandas' C parser, skipping the header of a CR-only file, lost the first character
    of the next line: with a `sep=;` line the first row disappeared without a warning."""
    p = read_participations(write(tmp_path, "mac.csv", data), skip_bad_lines=True)
    assert records(p) == [
        {"partner": "Org A", "project": "P1", "row": lines[0], "role": "lead"},
        {"partner": "Org B", "project": "P2", "row": lines[1], "role": "partner"},
    ]


def test_a_cr_only_file_with_an_extra_field_names_its_line(tmp_path):
    path = write(tmp_path, "mac.csv", b"project,partner\rP1,A\rP2,B\rP3,C,x\rP4,D\r")
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).startswith(f"{path}, line 4: 3 fields where the header has 2")


def _same_reading(one, two):
    import numpy as np
    import pandas as pd

    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.warnings == two.warnings and one.report == two.report and one.numbers == two.numbers
    assert (one.partner_attributes, one.project_attributes, one.edge_attributes) == \
        (two.partner_attributes, two.project_attributes, two.edge_attributes)
    for column in one.table.columns:
        codes_1, codes_2 = one.codes_of(column), two.codes_of(column)
        assert (codes_1 is None) == (codes_2 is None)
        if codes_1 is not None:
            assert np.array_equal(codes_1[0], codes_2[0]) and list(codes_1[1]) == list(codes_2[1])


@pytest.mark.skipif(not __import__("ecosys.parallel").parallel.can_fork(), reason="processes cannot be forked here")
def test_two_jobs_read_halves_in_two_processes_and_give_the_same_table(tmp_path, monkeypatch):
    """Parsed in two halves (the second in a forked process) and the columns decided in two processes:
    the same table, codes, sides, numbers, warnings and lines as one process reading it whole; cells
    trimmed and blank lines kept in their place, a cell first met in the second half coded after the first's."""
    import importlib

    import ecosys.read.text as text_module
    assemble_module = importlib.import_module("ecosys.read.assemble")  # (ecosys.read.assemble is the function)

    rows = ["org;project;Legal Status;amount;role", ""]
    for i in range(400):
        rows.append(f" Org {i % 37} ;P{i // 3};{'public' if i % 37 < 20 else 'private'};{i},5;"
                    f"{'lead' if i % 3 == 0 else 'partner '}")
        if i % 97 == 0:
            rows.append("")
    rows.append("Org 0;P0;public;1,5;lead")  # a repeated pair, in the second half
    rows.append("Late;P999;privata;7;lead")  # values first met at the end
    path = write(tmp_path, "t.csv", ("\r\n".join(rows) + "\r\n").encode("cp1252"))
    one = read_participations(path, jobs=1)
    monkeypatch.setattr(text_module, "SPLIT_CHARS", 100)
    monkeypatch.setattr(assemble_module, "SPLIT_ROWS", 10)
    seen = []
    parse = text_module._read_text_halves
    monkeypatch.setattr(text_module, "_read_text_halves", lambda *a: seen.append(parse(*a)) or seen[-1])
    two = read_participations(path, jobs=2)
    assert seen and seen[0] is not None and seen[0][3] is not None  # parsed in halves
    _same_reading(one, two)
    assert two.report.repeated_pairs and two.skipped_rows == one.skipped_rows


def test_a_table_with_quotes_or_an_extra_field_is_read_whole_with_two_jobs(tmp_path, monkeypatch):
    import ecosys.read.text as text_module

    monkeypatch.setattr(text_module, "SPLIT_CHARS", 10)
    quoted = write(tmp_path, "q.csv", b'org,project\n"A, srl",P1\n' + b"B,P2\n" * 50)
    _same_reading(read_participations(quoted, jobs=1), read_participations(quoted, jobs=2))
    extra = write(tmp_path, "x.csv", b"org,project\n" + b"B,P2\n" * 50 + b"C,P3,extra\n" + b"D,P4\n" * 5)
    with pytest.raises(InputError, match=r"x\.csv, line 52: 3 fields where the header has 2"):
        read_participations(extra, jobs=2)
    skipped = read_participations(extra, jobs=2, skip_bad_lines=True)
    _same_reading(read_participations(extra, jobs=1, skip_bad_lines=True), skipped)
    assert skipped.skipped_rows == (52,)
