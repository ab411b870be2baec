"""Bytes to text: gzip, byte-order marks, UTF-8, UTF-16, cp1252/Latin-1, and the binary check.

A text table arrives as bytes. :func:`gunzip` undoes gzip compression (as
CORDIS ships its tables); :func:`decode` turns the bytes into text, either
in the encoding the user names (``encoding=``, ``--encoding``) or, without
one, in the first encoding of this list that fits:

1. UTF-16 with a byte-order mark (Excel's "Unicode text");
2. UTF-16 without one, when every other byte is 0 (:func:`utf16_without_bom`);
3. (a file with NUL or other control bytes at its start is refused as binary,
   :func:`looks_binary`);
4. UTF-8 with a byte-order mark;
5. UTF-8, when every byte sequence is valid UTF-8;
6. cp1252, Latin-1 where cp1252 leaves a byte undefined, or, for a file that
   is mostly UTF-8, UTF-8 with each byte that is not UTF-8 read as cp1252
   (``utf-8+cp1252``: tables pasted together keep their UTF-8 names).

Step 5 decides between UTF-8 and cp1252 for the whole file: bytes that are
valid UTF-8 are read as UTF-8, even where they were written as cp1252 (the
cp1252 ``é’’`` is the UTF-8 ``钒``). Such a file is read right with
``encoding="cp1252"``. A finer decision, per file or per line, on which
reading is plausible belongs in :func:`decode_utf8_or_cp1252`, the one place
that makes it.

Example
-------
>>> from ecosys.read.decode import decode
>>> decode("Città;P1".encode("cp1252"), "t.csv")
Decoded(text='Città;P1', encoding='cp1252')
>>> decode(b"X,\\xe9\\x92\\x92,X", "t.csv").text, decode(b"X,\\xe9\\x92\\x92,X", "t.csv", "cp1252").text
('X,钒,X', 'X,é’’,X')
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from typing import NamedTuple

from ..errors import InputError

__all__ = [
    "EXAMPLE_ENCODINGS",
    "Decoded",
    "check_encoding",
    "decode",
    "decode_utf8_or_cp1252",
    "gunzip",
    "looks_binary",
    "utf16_without_bom",
]

EXAMPLE_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
HEAD = 65536  # bytes looked at to tell UTF-16 and binary files


class Decoded(NamedTuple):
    """Text and the encoding it was read in (``utf-8+cp1252`` for UTF-8 with some cp1252 bytes)."""

    text: str
    encoding: str


def check_encoding(name: str) -> str:
    """``name`` when Python can decode text with it, else a ValueError listing examples.

    >>> check_encoding("cp1252")
    'cp1252'
    >>> check_encoding("klingon")
    Traceback (most recent call last):
    ValueError: unknown encoding 'klingon': name a text encoding such as utf-8, utf-8-sig, utf-16, cp1252, latin-1
    """
    try:
        b"x".decode(name)
    except UnicodeDecodeError:  # a text encoding in which one byte is not a character (utf-16)
        pass
    except LookupError:  # unknown, or a bytes-to-bytes codec such as base64
        raise ValueError(f"unknown encoding '{name}': name a text encoding such as "
                         f"{', '.join(EXAMPLE_ENCODINGS)}") from None
    return name


def gunzip(data: bytes, label: str) -> tuple[bytes, bool]:
    """``data`` decompressed when it starts as gzip, and whether it did.

    >>> gunzip(gzip.compress(b"a,b"), "t.csv.gz"), gunzip(b"a,b", "t.csv")
    ((b'a,b', True), (b'a,b', False))
    """
    if not data.startswith(b"\x1f\x8b"):
        return data, False
    try:
        return gzip.decompress(data), True
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{label}: starts as gzip but cannot be decompressed ({exc})") from None


def decode(data: bytes, label: str, encoding: str | None = None) -> Decoded:
    """The text of a table, read in ``encoding``, or in the one detected (see the module's list).

    Raises :class:`~ecosys.errors.InputError` naming ``label`` (and the line)
    for a binary file, bytes that are not valid in ``encoding``, or a NUL
    character (a damaged file).

    >>> decode(b"\\xef\\xbb\\xbfa,b", "t.csv")
    Decoded(text='a,b', encoding='utf-8-sig')
    >>> decode(b"a,b\\nCitt\\x81,P1", "t.csv", "cp1252")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ecosys.errors.InputError: t.csv, line 2: byte 0x81 cannot be read as cp1252 (character maps to <undefined>); ...
    """
    if encoding is None:
        text, encoding = _detect(data, label)
    else:
        text = _decode_as(data, encoding, label)
        if looks_binary(text[:HEAD]):
            raise InputError(_binary_message(label))
    nul = text.find("\x00")
    if nul >= 0:  # past the start the binary check reads: a damaged file
        raise InputError(f"{label}, line {text.count(chr(10), 0, nul) + 1}: a NUL byte, as in a damaged or "
                         "binary file; expected CSV or TSV text")
    return Decoded(text, encoding)


def _decode_as(data: bytes, encoding: str, label: str) -> str:
    """``data`` in the encoding the user named; a byte-order mark at the start is dropped."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(encoding, "replace").count("\n") + 1
        bad = exc.object[exc.start:exc.end]
        shown = " ".join(f"0x{b:02x}" for b in bad[:4])
        raise InputError(
            f"{label}, line {line}: {'byte' if len(bad) == 1 else 'bytes'} {shown} cannot be read as {encoding} "
            f"({exc.reason}); name the file's encoding with --encoding (such as {', '.join(EXAMPLE_ENCODINGS)}), "
            "or leave it out to have it detected"
        ) from None
    return text.removeprefix("\ufeff")


def _binary_message(label: str) -> str:
    return f"{label}: looks like a binary file, not a table; expected CSV or TSV text, or an .xlsx workbook"


def _detect(data: bytes, label: str) -> tuple[str, str]:
    """Text and encoding, the first of the module's list that fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{label}: starts as UTF-16 text but is not valid UTF-16") from None
    head = data[:HEAD]
    encoding = utf16_without_bom(head) if b"\x00" in head else None
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise InputError(f"{label}: looks like UTF-16 text without a BOM but is not valid {encoding}") from None
    if b"\x00" in head or looks_binary(head):
        raise InputError(_binary_message(label))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{label}: marked as UTF-8 but byte {exc.start + 3} is not UTF-8; save it as UTF-8 again"
            ) from None
    return decode_utf8_or_cp1252(data)


def decode_utf8_or_cp1252(data: bytes) -> tuple[str, str]:
    """Text without a byte-order mark: UTF-8 where valid, else cp1252, Latin-1 or UTF-8 with cp1252 bytes.

    Valid UTF-8 is read as UTF-8, even when its bytes were written as
    cp1252 (``é’’``, ``\\xe9\\x92\\x92``, is the UTF-8 ``钒``): the user
    settles such a file with ``encoding=``. Otherwise each byte that is not
    UTF-8 is read as cp1252 (Latin-1 where cp1252 has no character), so a
    UTF-8 file with a few cp1252 lines keeps its UTF-8 names instead of all
    of them turning into "UniversitÃ ".

    >>> decode_utf8_or_cp1252("Università;Forlì".encode("utf-8") + "\\nForlì".encode("cp1252"))
    ('Università;Forlì\\nForlì', 'utf-8+cp1252')
    >>> decode_utf8_or_cp1252(b"Citt\\xe0 \\x81")
    ('Città \\x81', 'latin-1')
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "ecosys-cp1252")
    for encoding in ("cp1252", "latin-1"):
        try:
            if data.decode(encoding) == text:
                return text, encoding
        except UnicodeDecodeError:
            continue
    return text, "utf-8+cp1252"


def _cp1252_byte(exc: UnicodeDecodeError) -> tuple[str, int]:
    """The first byte that is not UTF-8 as its cp1252 character (its Latin-1 one where cp1252 has none)."""
    return _CP1252[exc.object[exc.start]], exc.start + 1


_CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]
codecs.register_error("ecosys-cp1252", _cp1252_byte)


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for text whose every other byte is 0 (Latin text in UTF-16), else None.

    >>> utf16_without_bom("org,project".encode("utf-16-le")), utf16_without_bom(b"a\\x00b,c")
    ('utf-16-le', None)
    """
    if len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 2 >= len(head) // 2 and even == 0:
        return "utf-16-le"
    if even * 2 >= len(head) // 2 and odd == 0:
        return "utf-16-be"
    return None


def looks_binary(head: bytes | str) -> bool:
    """True when control characters other than tab/CR/LF/FF make up over 1% of the start (or it is a PDF).

    >>> looks_binary(b"a,b\\r\\n"), looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    (False, True)
    """
    if isinstance(head, str):
        if head.startswith("%PDF"):
            return True
        control = sum(1 for c in head if c < " " and c not in "\t\n\f\r")
    else:
        if head.startswith(b"%PDF"):
            return True
        control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(1, len(head) // 100)
