"""Decoding: gzip, byte-order marks, UTF-8, UTF-16, cp1252/Latin-1, mixed files, and --encoding (ecosys.read.decode)."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.decode import (check_encoding, check_start, decode, decode_utf8_or_cp1252, gunzip, inflate, looks_binary,
                                 readable, utf16_without_bom)
from .files import OLD_MTIME_NS, pairs, records, workbook, write


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


# -- the encoding named by the user (encoding=, --encoding) -----------------------------------

AMBIGUOUS = b"partner,project,note\r\nX,\xe9\x92\x92,X\r\n"  # cp1252 "é’’", which is also the UTF-8 "钒"


def test_cp1252_bytes_that_are_valid_utf8_are_read_as_utf8_unless_the_encoding_is_named(tmp_path):
    """Regression: the property test drew this table in cp1252 and read it back as UTF-8 (2 runs in 12)."""
    path = write(tmp_path, "t.csv", AMBIGUOUS)
    detected = read_participations(path)
    assert (detected.encoding, pairs(detected)) == ("utf-8", [("X", "钒", 2)])
    named = read_participations(path, encoding="cp1252")
    assert (named.encoding, pairs(named), records(named)[0]["note"]) == ("cp1252", [("X", "é’’", 2)], "X")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])
def test_a_named_encoding_reads_the_table_exactly(tmp_path, encoding):
    text = "partner;project\r\nCittà di Forlì;P1\r\nSocietà Cooperativa;P1\r\n"
    path = write(tmp_path, "t.csv", text.encode(encoding))
    p = read_participations(path, encoding=encoding)
    assert pairs(p) == [("Città di Forlì", "P1", 2), ("Società Cooperativa", "P1", 3)]
    assert (p.encoding, p.separator) == (encoding, ";")


@pytest.mark.parametrize("bom, encoding", [
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
])
def test_a_named_encoding_drops_the_byte_order_mark(tmp_path, bom, encoding):
    path = write(tmp_path, "t.csv", bom + "partner,project\nA,P1\n".encode(encoding))
    p = read_participations(path, encoding=encoding)
    assert (p.partner_column, pairs(p)) == ("partner", [("A", "P1", 2)])


@pytest.mark.parametrize("data, encoding, message", [
    pytest.param(b"partner;project\r\nA;P1\r\nCitt\xe0;P2\r\n", "utf-8",
                 "line 3: byte 0xe0 cannot be read as utf-8 (invalid continuation byte)", id="cp1252-as-utf8"),
    pytest.param(b"partner;project\nCitt\x81;P1\n", "cp1252",
                 "line 2: byte 0x81 cannot be read as cp1252 (character maps to <undefined>)", id="undefined-in-cp1252"),
    pytest.param('partner,project\n"A\nB",P1\nC,\xe9\n'.encode("latin-1"), "utf-8",
                 "line 4: byte 0xe9 cannot be read as utf-8 (invalid continuation byte)", id="after-a-multiline-cell"),
    pytest.param("partner,project\nA,P1\n".encode("utf-16-le") + b"\x00", "utf-16-le",
                 "line 3: byte 0x00 cannot be read as utf-16-le (truncated data)", id="odd-utf16"),
])
def test_bytes_not_valid_in_the_named_encoding_are_one_error_line_with_their_line(tmp_path, data, encoding, message):
    path = write(tmp_path, "t.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(path, encoding=encoding)
    assert str(info.value) == (
        f"{path}, {message}; name the file's encoding with --encoding (such as utf-8, utf-8-sig, utf-16, cp1252, "
        "latin-1), or leave it out to have it detected"
    )
    assert path.read_bytes() == data and path.stat().st_mtime_ns == OLD_MTIME_NS


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", ""])
def test_an_unknown_encoding_is_a_value_error_listing_examples(tmp_path, name):
    path = write(tmp_path, "t.csv", b"partner,project\nA,P1\n")
    with pytest.raises(ValueError) as info:
        read_participations(path, encoding=name)
    assert str(info.value) == (
        f"unknown encoding '{name}': name a text encoding such as utf-8, utf-8-sig, utf-16, cp1252, latin-1"
    )


def test_the_named_encoding_reads_the_partner_and_project_tables_and_a_folder_but_not_the_aliases(tmp_path):
    main = write(tmp_path, "p.csv", "org_id,project\n1,P\n2,P\n".encode("cp1252"))
    orgs = write(tmp_path, "orgs.csv", b"org_id,name\n1,\xe9\x92\x92\n2,Citt\xe0\n")  # cp1252, the first name also UTF-8
    aliases = write(tmp_path, "aliases.csv", "name,canonical\nCittà,Città di Forlì\n".encode("utf-8"))
    p = read_participations(main, partners=orgs, encoding="cp1252", aliases=aliases)
    assert p.table["name (orgs)"].tolist() == ["é’’", "Città"]
    # detected: the file is not UTF-8 (Citt\xe0), and "é’’" is no sign of UTF-8 read as cp1252: all cp1252
    assert read_participations(main, partners=orgs).table["name (orgs)"].tolist() == ["é’’", "Città"]
    folder = tmp_path / "folder"
    folder.mkdir()
    write(folder, "edges.csv", b"org_id,project\n1,P\n")
    write(folder, "orgs.csv", b"org_id,name\n1,\xe9\x92\x92\n")
    assert read_participations(folder, encoding="cp1252").table["name (orgs)"].tolist() == ["é’’"]


def test_an_encoding_for_a_workbook_alone_is_refused_not_ignored(tmp_path):
    path = workbook(tmp_path, {"S": [["partner", "project"], ["Città", "P1"]]})
    with pytest.raises(InputError) as info:
        read_participations(path, encoding="cp1252")
    assert str(info.value) == (f"{path}: --encoding applies to text tables; this input has none (a workbook's cells "
                               "are text already)")
    p = read_participations(path)
    assert (p.format, p.encoding, pairs(p)) == ("xlsx", None, [("Città", "P1", 2)])


def test_an_encoding_for_a_workbook_applies_to_its_text_partners_table(tmp_path):
    path = workbook(tmp_path, {"S": [["partner", "project"], ["1", "P1"]]})
    orgs = write(tmp_path, "orgs.csv", b"id;name\n1;Citt\xe0\n")
    p = read_participations(path, partners=orgs, encoding="cp1252")
    assert p.table["name (orgs)"].tolist() == ["Città"]


@pytest.mark.parametrize("data, fragment", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06", "looks like a binary file"),
    (b"partner,project\n" + b"A,P1\n" * 20_000 + b"B\x00C,P1\n", "line 20002: a NUL byte"),
])
def test_a_binary_file_is_refused_in_a_named_encoding_too(tmp_path, data, fragment):
    path = write(tmp_path, "t.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(path, encoding="latin-1")
    assert str(info.value).startswith(f"{path}") and fragment in str(info.value)


# -- the helpers of ecosys.read.decode ---------------------------------------------------------

def test_check_encoding_returns_the_name_it_was_given():
    assert [check_encoding(n) for n in ("UTF8", "cp1252", "latin-1", "utf-16")] == ["UTF8", "cp1252", "latin-1", "utf-16"]


@pytest.mark.parametrize("data, expected", [
    (b"a,b\n", ("a,b\n", "utf-8")),
    (b"\xef\xbb\xbfa,b\n", ("a,b\n", "utf-8-sig")),
    ("a,b\n".encode("utf-16"), ("a,b\n", "utf-16")),
    ("a,b\n".encode("utf-16-be"), ("a,b\n", "utf-16-be")),
    ("Città €\n".encode("cp1252"), ("Città €\n", "cp1252")),
    (b"Citt\xe0 \x81\n", ("Città \x81\n", "latin-1")),
    ("Università\n".encode() + "Forlì\n".encode("cp1252"), ("Università\nForlì\n", "utf-8+cp1252")),
    (b"X,\xe9\x92\x92,X", ("X,钒,X", "utf-8")),
])
def test_decode_detects_the_encoding(data, expected):
    assert decode(data, "t.csv") == expected


def test_decode_in_a_named_encoding():
    assert decode(b"X,\xe9\x92\x92,X", "t.csv", "cp1252") == ("X,é’’,X", "cp1252")
    assert decode(b"\xef\xbb\xbfa", "t.csv", "utf-8") == ("a", "utf-8")


def test_decode_utf8_or_cp1252_decides_per_line_never_per_byte_run():
    # one line holding both: it is not valid UTF-8, so all of it is cp1252
    assert decode_utf8_or_cp1252(b"\xc3\xa0 \xe0 \x80") == ("Ã\xa0 à €", "cp1252")
    assert decode_utf8_or_cp1252(b"\xe0 \x80") == ("à €", "cp1252")
    # a line of each, in either order, with LF, CRLF or CR line ends
    for eol in ("\n", "\r\n", "\r"):
        utf8, cp1252 = f"Forlì{eol}".encode(), f"Forlì{eol}".encode("cp1252")
        assert decode_utf8_or_cp1252(utf8 + cp1252 + b"P1") == (f"Forlì{eol}Forlì{eol}P1", "utf-8+cp1252")
        assert decode_utf8_or_cp1252(cp1252 + utf8) == (f"Forlì{eol}Forlì{eol}", "utf-8+cp1252")


LIBERTE = "Café « Liberté »".replace(" »", "\u00a0»").replace("« ", "«\u00a0")  # French spacing


def test_cp1252_bytes_that_happen_to_be_utf8_are_not_read_as_cjk_inside_a_word():
    """Regression: "Liberté »" in cp1252 (E9 A0 BB) is valid UTF-8 for 頻: the line became "Libert頻"
    while the rest of the file was read as cp1252."""
    data = f"partner;project\n{LIBERTE};P1\nLiberté\u00a0»;P2\n".encode("cp1252")
    assert b"Libert\xe9\xa0\xbb" in data
    assert decode_utf8_or_cp1252(data) == (f"partner;project\n{LIBERTE};P1\nLiberté\u00a0»;P2\n", "cp1252")
    # a whole file of such lines is valid UTF-8, and still read as cp1252
    only = "partner;project\nLiberté\u00a0»;P2\n".encode("cp1252")
    assert only.decode("utf-8") == "partner;project\nLibert頻;P2\n"
    assert decode_utf8_or_cp1252(only) == ("partner;project\nLiberté\u00a0»;P2\n", "cp1252")
    # other scripts' letters glued to a Latin one: Straß’s (NKo), GRÖ’S (a Hebrew accent), and a C1 control
    for word in ("Straß’s", "GRÖ’S", "Â€uro"):
        assert decode_utf8_or_cp1252(word.encode("cp1252")) == (word, "cp1252"), word


@pytest.mark.parametrize("text", [
    "NTTドコモ;東京\n", "Центр Киев;Kyiv\n", "10 μm;Ελλάδα\n", "Cafe\u0301 (NFD);Forlì\n", "L’Aquila “centro”;€\n",
    "Great😀;ok\n", "北京大学;P1\n",
])
def test_plausible_utf8_stays_utf8(text):
    assert decode_utf8_or_cp1252(text.encode()) == (text, "utf-8")


def test_gunzip():
    assert gunzip(gzip.compress(b"a,b\n"), "t.csv.gz") == (b"a,b\n", True)
    assert gunzip(b"a,b\n", "t.csv") == (b"a,b\n", False)
    with pytest.raises(InputError, match=r"^t\.csv\.gz: starts as gzip but cannot be decompressed"):
        gunzip(b"\x1f\x8b\x08\x00broken", "t.csv.gz")


def test_utf16_without_bom():
    assert utf16_without_bom("a,b\n".encode("utf-16-le")) == "utf-16-le"
    assert utf16_without_bom("a,b\n".encode("utf-16-be")) == "utf-16-be"
    assert utf16_without_bom("a,b\n".encode("utf-16-le")[:-1]) is None  # odd length
    assert utf16_without_bom(b"a\x00b,c\n\x00") is None


NOT_LATIN = [
    [("Московский университет", "П1"), ("Центр", "П1")],
    [("北京大学", "项目一"), ("清华大学", "项目一")],
    [("Āboltiņš SIA", "P1"), ("Ēriks Ķēniņš", "P1")],  # Ā, U+0100: a 0 in the byte that is 0 in Latin text
    [("Ελληνικό Ίδρυμα", "Π1"), ("ქართული", "Π1")],
]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("rows", NOT_LATIN, ids=["cyrillic", "cjk", "latvian", "greek-georgian"])
def test_utf16_without_bom_is_read_whatever_the_script(tmp_path, encoding, rows):
    """Regression: UTF-16 without a BOM was refused as binary as soon as the text was not Latin."""
    text = "partner\tproject\r\n" + "".join(f"{a}\t{b}\r\n" for a, b in rows)
    p = read_participations(write(tmp_path, "t.tsv", text.encode(encoding)))
    assert (p.encoding, p.separator) == (encoding, "\t")
    assert pairs(p) == [(a, b, i) for i, (a, b) in enumerate(rows, start=2)]


@pytest.mark.parametrize("data", [
    pytest.param(bytes(4096), id="zeros"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, id="png-like"),
    pytest.param(__import__("random").Random(0).randbytes(65536), id="random"),
    pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"partner,project\n" * 50, id="elf-like"),
])
def test_binary_data_is_not_taken_for_utf16(data):
    assert utf16_without_bom(data[:65536]) is None
    with pytest.raises(InputError, match="looks like a binary file"):
        decode(data, "t.csv")


def test_looks_binary_counts_control_characters_in_bytes_and_text():
    assert not looks_binary(b"a\tb\r\n\x0c")
    assert looks_binary(b"%PDF-1.4") and looks_binary("%PDF-1.4")
    assert looks_binary(b"a\x01\x02b") and looks_binary("a\x01\x02b")
    assert not looks_binary("a\x01" + "b" * 200)  # one control character in 202 is not 1%


# -- gzip streamed within limits, and the start of a file checked first -------------------------

def test_inflate_streams_every_member_across_blocks():
    one, two = gzip.compress("partner;project\nCittà;P1\n".encode()), gzip.compress("Forlì;P2\n".encode())
    data = one + two + b"\x00" * 10  # two members and zero padding, as some tools write
    for size in (1, 7, len(data)):
        blocks = [data[i:i + size] for i in range(0, len(data), size)]
        assert b"".join(inflate(blocks, "t.csv.gz")).decode() == "partner;project\nCittà;P1\nForlì;P2\n"
    assert gunzip(data, "t.csv.gz") == ("partner;project\nCittà;P1\nForlì;P2\n".encode(), True)


@pytest.mark.parametrize("data, message", [
    (gzip.compress(b"a,b\n" * 1000)[:-12], "the file ends before the end of the compressed data"),
    (gzip.compress(b"a,b\n") + b"trailing", "incorrect header check"),
    (b"\x1f\x8b\x08\x00broken", ""),
])
def test_inflate_refuses_a_truncated_or_damaged_stream(data, message):
    with pytest.raises(InputError) as info:
        list(inflate([data], "t.csv.gz"))
    assert str(info.value).startswith("t.csv.gz: starts as gzip but cannot be decompressed (") and message in str(info.value)


def test_inflate_stops_at_the_size_limit_without_holding_the_rest():
    blocks = inflate([gzip.compress(b"a,b\n" * 2**20)], "t.csv.gz", max_bytes=3 * 2**20 // 2)
    first = next(blocks)
    assert len(first) == 2**20  # decompressed a block at a time
    with pytest.raises(InputError) as info:
        list(blocks)
    assert str(info.value) == ("t.csv.gz: decompresses to more than 1.5 MB, the limit (ECOSYS_MAX_INPUT_MB); raise it if "
                               "the file is genuine and the machine has the memory")


def test_inflate_refuses_a_decompression_bomb_once_past_64_mb():
    member = gzip.compress(b"A,P1\n" * 2_000_000, compresslevel=9)  # 10 MB in 15 KB
    bomb = gzip.compress(b"partner,project\n") + member * 20  # 200 MB in 0.3 MB
    inflated = 0
    with pytest.raises(InputError) as info:
        for block in inflate([bomb[i:i + 2**16] for i in range(0, len(bomb), 2**16)], "bomb.csv.gz"):
            inflated += len(block)
    assert 60 * 2**20 < inflated <= 64 * 2**20  # stopped at INFLATE_FREE: the block that passed it is not given
    assert str(info.value).startswith("bomb.csv.gz: decompresses more than 100 times over (")
    assert str(info.value).endswith("as a decompression bomb does; if the file is genuine, decompress it (gunzip) and "
                                    "read the uncompressed table")
    lines = __import__("random").Random(0).randbytes(2**19).hex().encode()  # 1 MB that compresses twice over
    genuine = gzip.compress(lines * 70, compresslevel=1)  # 70 MB, past INFLATE_FREE at a genuine table's ratio
    assert sum(map(len, inflate([genuine], "big.csv.gz"))) == 70 * 2**20


@pytest.mark.parametrize("head, encoding", [
    (b"partner,project\n", None), ("partner,project\n".encode("utf-16"), None),
    ("партнёр,проект\n".encode("utf-16-le"), None), (b"PK\x03\x04\x00\x00", None), (b"\xd0\xcf\x11\xe0", None),
    ("partner,project\n".encode("utf-16-le"), "utf-16-le"),
])
def test_check_start_lets_tables_and_workbooks_through(head, encoding):
    check_start(head, "t.csv", encoding)


@pytest.mark.parametrize("head, encoding", [
    pytest.param(bytes(65536), None, id="zeros"),
    pytest.param(__import__("random").Random(1).randbytes(65536), None, id="random"),
    pytest.param(b"%PDF-1.7\n", None, id="pdf"),
    pytest.param(b"a,b\n\x00\x01\x02\x03\x04", "latin-1", id="controls-in-latin-1"),
    pytest.param(bytes(100), "utf-16-le", id="zeros-in-utf-16"),
])
def test_check_start_refuses_binary_starts(head, encoding):
    with pytest.raises(InputError, match=r"^t\.csv: looks like a binary file, not a table"):
        check_start(head, "t.csv", encoding)


def test_readable_reads_bytes_of_a_path_that_are_not_utf8_as_cp1252():
    import os

    assert readable(os.fsdecode("/dati/Città/t.csv".encode("cp1252"))) == "/dati/Città/t.csv"
    assert readable(os.fsdecode("/dati/Città/t.csv".encode())) == "/dati/Città/t.csv"
    assert readable("a\ud800b") == "a?b"  # a surrogate standing for no byte
