"""Decoding: gzip, byte-order marks, UTF-8, UTF-16, cp1252/Latin-1, mixed files, and --encoding (ecosys.read.decode)."""

from __future__ import annotations

import hashlib

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from .files import pairs, records, write


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


def test_utf8_table_with_some_cp1252_lines_keeps_its_utf8_names(tmp_path):
    # two exports pasted together: the UTF-8 names are not turned into "UniversitÃ di Bologna"
    data = "partner;project\nUniversità di Bologna;P1\n".encode("utf-8") + "Comune di Forlì;P1\n".encode("cp1252")
    p = read_participations(write(tmp_path, "t.csv", data))
    assert pairs(p) == [("Università di Bologna", "P1", 2), ("Comune di Forlì", "P1", 3)]
    assert p.encoding == "utf-8+cp1252"


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
