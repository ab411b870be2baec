"""Property-based tests of the readers (hypothesis).

Whatever bytes come in, reading either succeeds or raises an EcosysError
(one line for the user), never another exception; and a table written with
any separator, encoding (with or without a BOM), quoting, line end (LF,
CRLF, CR) and compression (gzip or none) reads back exactly, with the line
where each row starts.

The examples are derandomised (the ``ecosys`` profile of tests/conftest.py):
every run draws the same ones.
"""

from __future__ import annotations

import csv
import gzip
import io
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecosys.errors import EcosysError
from ecosys.read import read_participations
from ecosys.names import fingerprint, similar_groups, well_formed

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(data: bytes, **options):
    """Read ``data``; an EcosysError is a fine outcome, anything else fails the test."""
    try:
        return read_participations(io.BytesIO(data), label="<data>", **options)
    except EcosysError as exc:
        message = str(exc)
        assert message.startswith("<data>") and "\n" not in message, message
        return None


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\x1f\x8b\x08\x00\x00")
@example(b"PK\x03\x04\x00\x00")
@example(b"partner,project\n\"A,P1\n")
@example(b"\xff\xfep\x00,\x00")
def test_random_bytes_are_read_or_refused(data):
    read_or_refuse(data)
    read_or_refuse(data, skip_bad_lines=True)


@SETTINGS
@given(
    lines=st.lists(
        st.lists(st.text(alphabet='ab ,;\t|"\r\n\u00a0\u00e0', max_size=6), min_size=1, max_size=4),
        min_size=1, max_size=6,
    ),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_text_tables_are_read_or_refused(lines, sep, encoding):
    text = "partner" + sep + "project\n" + "\n".join(sep.join(cells) for cells in lines)
    data = text.encode(encoding, errors="replace")
    read_or_refuse(data)
    read_or_refuse(data, skip_bad_lines=True)


WORD = st.text(alphabet="abcàé€’XYZ'", min_size=1, max_size=5)


def cell(separator: str, newlines: bool):
    """Text with no blank at either end and single spaces inside; may hold the separator and quotes."""
    alphabet = st.sampled_from(["abc", "Città", "’", '"', separator, "x" + separator + "y"] + (["a\nb", "c\r\nd"] if newlines else []))
    parts = st.lists(st.one_of(WORD, alphabet), min_size=1, max_size=3)
    return parts.map(lambda p: " ".join(p)).filter(lambda s: s.strip() == s and "  " not in s)


@st.composite
def tables(draw):
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    partners = draw(st.lists(cell(sep, False), min_size=1, max_size=4, unique=True))
    projects = draw(st.lists(cell(sep, False), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(
        st.tuples(st.sampled_from(partners), st.sampled_from(projects), cell(sep, True)), min_size=1, max_size=8,
    ))
    return sep, rows


def test_hypothesis_is_derandomised():
    assert SETTINGS.derandomize and SETTINGS.database is None


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@SETTINGS
@given(
    table=tables(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    named=st.booleans(),
    compressed=st.booleans(),
)
# cp1252 bytes that are also valid UTF-8 (detected as "钒"): read back exactly when the encoding is named
@example(table=(",", [("X", "é’’", "X")]), encoding="cp1252", quoting=csv.QUOTE_MINIMAL, eol="\n", named=False,
         compressed=False)
# Excel for Mac's lone CR line ends, a quoted line break, cp1252, gzip-compressed
@example(table=(";", [("Org A", "P1", "a\nb")]), encoding="cp1252", quoting=csv.QUOTE_ALL, eol="\r", named=False,
         compressed=True)
def test_written_tables_read_back_exactly(table, encoding, quoting, eol, named, compressed):
    sep, rows = table
    out = io.StringIO(newline="")
    if eol == "\r":  # QUOTE_MINIMAL quotes only line ends of the lineterminator: "a\nb" would be two lines
        quoting = csv.QUOTE_ALL
    writer = csv.writer(out, delimiter=sep, quoting=quoting, lineterminator=eol)
    writer.writerow(["partner", "project", "note"])
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    if encoding == "cp1252" and is_utf8(data):
        named = True  # valid UTF-8 is read as UTF-8 (see ecosys.read.decode): only the user can say it is cp1252
    if compressed:
        data = gzip.compress(data, mtime=0)
    p = read_participations(io.BytesIO(data), encoding=encoding if named else None)
    assert p.separator == sep
    expected, seen, line = [], set(), 2
    for partner, project, note in rows:
        partner, project = " ".join(partner.split()), " ".join(project.split())  # names: white space collapsed
        if (partner, project) not in seen:
            seen.add((partner, project))
            expected.append({"partner": partner, "project": project, "row": line, "note": note})
        line += 1 + len(re.findall("\r\n|\r|\n", note))
    assert p.table.to_dict("records") == expected
    assert p.duplicate_rows == len(rows) - len(expected)


@SETTINGS
@given(st.text(max_size=30))
@example("Straße")
@example("\U0001d56c")
def test_fingerprint_ignores_case_accents_punctuation_and_word_order(name):
    key = fingerprint(name)
    assert fingerprint(key) == key
    assert fingerprint(" ".join(reversed(name.split()))) == key
    assert fingerprint(name.casefold()) == key


@SETTINGS
@given(st.dictionaries(st.text(alphabet="abc -.", min_size=1, max_size=12), st.integers(1, 5), max_size=12))
def test_similar_groups_partition_the_names(counts):
    groups = similar_groups(counts)
    members = [n for g in groups for n in g]
    assert len(members) == len(set(members))
    assert set(members) <= set(counts)
    for g in groups:
        assert len(g) >= 2
        # the canonical spelling first (the most frequent well-formed one, else the most frequent), then by count
        assert [counts[n] for n in g[1:]] == sorted((counts[n] for n in g[1:]), reverse=True)
        assert well_formed(g[0]) or not any(well_formed(n) for n in g)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_a_bad_line_with_every_encoding_is_reported_with_its_line(encoding):
    data = "partner;project\r\nA;P1\r\nB;P1;x\r\n".encode(encoding)
    with pytest.raises(EcosysError) as info:
        read_participations(io.BytesIO(data), label="<data>")
    assert str(info.value).startswith("<data>, line 3: 3 fields where the header has 2")


@SETTINGS
@given(st.lists(st.text(alphabet=" \t\n\xa0\u2009\x1cAaßΣς1\x00", max_size=6), max_size=8))
def test_values_are_folded_together_as_one_by_one(texts):
    from ecosys.read.cells import fold
    from ecosys.read.majority import _fold_all  # the fast path of reading's sides, against the plain definition

    assert _fold_all(texts).tolist() == [fold(t) for t in texts]
