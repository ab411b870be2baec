"""Bytes to text: gzip, byte-order marks, UTF-8, UTF-16, cp1252/Latin-1, and the binary check.

A text table arrives as bytes. :func:`inflate` undoes gzip compression (as
CORDIS ships its tables) as the bytes come, within the size limits of
:mod:`ecosys.limits` and refusing decompression bombs; :func:`check_start`
refuses a binary file from its first 64 KB, before the rest is read;
:func:`decode` turns the bytes into text, either in the encoding the user
names (``encoding=``, ``--encoding``) or, without one, in the first
encoding of this list that fits:

1. UTF-16 with a byte-order mark (Excel's "Unicode text");
2. UTF-16 without one, in whatever script (:func:`utf16_without_bom`);
3. (a file with NUL or other control bytes at its start is refused as binary,
   :func:`looks_binary`);
4. UTF-8 with a byte-order mark;
5. UTF-8, or cp1252 (Latin-1 where cp1252 leaves a byte undefined), or each
   line in one of them, whichever reads as plausible text
   (:func:`decode_utf8_or_cp1252`, the one place that decides: tables
   pasted together keep their UTF-8 names, and cp1252 bytes that happen to
   be valid UTF-8 are not read as a CJK character inside a Latin word).

A valid UTF-8 file that reads as plausible text is UTF-8, even where its
bytes were written as cp1252 (the cp1252 ``é’’`` is the UTF-8 ``钒``, a word
of its own): such a file is read right with ``encoding="cp1252"``.

:func:`readable` turns a path whose bytes are not UTF-8 (a Latin-1 folder
name) into text that can be shown and written.

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
import re
import unicodedata
import zlib
from typing import Iterable, Iterator, NamedTuple

from ..errors import InputError
from ..limits import INFLATE_FREE, INFLATE_RATIO, input_limits, megabytes

__all__ = [
    "EXAMPLE_ENCODINGS",
    "Decoded",
    "GZIP_MAGIC",
    "check_encoding",
    "check_start",
    "decode",
    "decode_utf8_or_cp1252",
    "gunzip",
    "implausible",
    "inflate",
    "looks_binary",
    "looks_like_utf8_as_cp1252",
    "readable",
    "utf16_without_bom",
]

EXAMPLE_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
HEAD = 65536  # bytes looked at to tell UTF-16 and binary files
GZIP_MAGIC = b"\x1f\x8b"


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


def gunzip(data: bytes, label: str, max_bytes: int | None = None) -> tuple[bytes, bool]:
    """``data`` decompressed when it starts as gzip, and whether it did (see :func:`inflate` for the limits).

    >>> gunzip(gzip.compress(b"a,b"), "t.csv.gz"), gunzip(b"a,b", "t.csv")
    ((b'a,b', True), (b'a,b', False))
    """
    if not data.startswith(GZIP_MAGIC):
        return data, False
    return b"".join(inflate([data], label, max_bytes)), True


def inflate(blocks: Iterable[bytes], label: str, max_bytes: int | None = None) -> Iterator[bytes]:
    """The decompressed bytes of gzip ``blocks`` (one member or several), block by block, as they come.

    Decompression stops with an :class:`~ecosys.errors.InputError` past
    ``max_bytes`` (``ECOSYS_MAX_INPUT_MB``; default: the limit of
    :func:`ecosys.limits.input_limits`), or as a decompression bomb when the
    output passes :data:`~ecosys.limits.INFLATE_RATIO` times the input once
    past :data:`~ecosys.limits.INFLATE_FREE` bytes: never more than one
    block past the limit is held in memory.

    >>> b"".join(inflate([gzip.compress(b"a,b\\n" * 3)[:9], gzip.compress(b"a,b\\n" * 3)[9:]], "t.csv.gz"))
    b'a,b\\na,b\\na,b\\n'
    >>> list(inflate([gzip.compress(bytes(3 * 2**20))], "z.csv.gz", max_bytes=2**20))
    Traceback (most recent call last):
    ecosys.errors.InputError: z.csv.gz: decompresses to more than 1 MB, the limit (ECOSYS_MAX_INPUT_MB); raise it if the file is genuine and the machine has the memory
    """
    max_bytes = input_limits().max_bytes if max_bytes is None else max_bytes
    inflater, fed = zlib.decompressobj(31), False
    compressed = inflated = 0
    try:
        for block in blocks:
            compressed += len(block)
            pending = block
            while pending:
                if inflater.eof:  # a next gzip member, or padding
                    if not pending.strip(b"\x00"):
                        break
                    inflater, fed = zlib.decompressobj(31), False
                out = inflater.decompress(pending, _BLOCK)
                fed = True
                pending = inflater.unconsumed_tail or (inflater.unused_data if inflater.eof else b"")
                while True:
                    inflated += len(out)
                    if inflated > max_bytes:
                        raise InputError(
                            f"{label}: decompresses to more than {megabytes(max_bytes)}, the limit "
                            "(ECOSYS_MAX_INPUT_MB); raise it if the file is genuine and the machine has the memory")
                    if inflated > INFLATE_FREE and inflated > INFLATE_RATIO * compressed:
                        raise InputError(
                            f"{label}: decompresses more than {INFLATE_RATIO} times over ({megabytes(compressed)} to "
                            f"more than {megabytes(inflated)} so far), as a decompression bomb does; if the file is "
                            "genuine, decompress it (gunzip) and read the uncompressed table")
                    if out:
                        yield out
                    if len(out) < _BLOCK or inflater.eof or inflater.unconsumed_tail:
                        break
                    out = inflater.decompress(b"", _BLOCK)  # output held back by the block size
        if fed and not inflater.eof:
            raise zlib.error("the file ends before the end of the compressed data")
    except zlib.error as exc:
        raise InputError(f"{label}: starts as gzip but cannot be decompressed ({exc})") from None


_BLOCK = 2**20


def check_start(head: bytes, label: str, encoding: str | None = None) -> None:
    """Refuse a file whose first bytes are not a table, before the rest of it is read.

    ``head`` is the start of the file (after decompression): workbooks
    (``PK``) and old ``.xls`` files pass, for their own reader to judge;
    text passes unless it looks binary (:func:`looks_binary`; NUL bytes
    outside UTF-16). So ``/dev/zero`` or ``/dev/urandom`` are refused after
    their first 64 KB, never read to the end.

    >>> check_start(b"partner,project\\n", "t.csv")
    >>> check_start(bytes(65536), "/dev/zero")
    Traceback (most recent call last):
    ecosys.errors.InputError: /dev/zero: looks like a binary file, not a table; expected CSV or TSV text, or an .xlsx workbook
    """
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return
    if encoding is not None:
        try:
            text = codecs.getincrementaldecoder(encoding)("replace").decode(head[:HEAD])
        except UnicodeError:  # UTF-16 without a byte-order mark: decode() says so
            return
        binary = looks_binary(text[:HEAD])
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head[:HEAD])
        except UnicodeDecodeError:
            text = "\x00"  # not UTF-16 after all: random bytes that start as a byte-order mark
        binary = "\x00" in text or looks_binary(text)
    else:
        head = head[:HEAD]
        binary = utf16_without_bom(head[: len(head) & ~1]) is None and (b"\x00" in head or looks_binary(head))
    if binary:
        raise InputError(_binary_message(label))


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
    """Text without a byte-order mark: UTF-8, cp1252 (Latin-1 where cp1252 has no character), or each line in one.

    The encoding is decided for the whole file, or else line by line, never
    byte run by byte run, preferring the reading in which the text is
    plausible:

    - a file that is valid UTF-8 and plausible as such (:func:`implausible`)
      is UTF-8;
    - otherwise each line holding bytes past ASCII is read as UTF-8 when it
      is valid UTF-8 with no C1 control character and either its cp1252
      reading looks like UTF-8 read as cp1252
      (:func:`looks_like_utf8_as_cp1252`: ``UniversitÃ``, ``Lâ€™``,
      ``Ð¦ÐµÐ½``) or the file is valid UTF-8 and the line plausible; else
      as cp1252. So two tables pasted together keep their UTF-8 names, and a
      cp1252 line is never half UTF-8: the cp1252 ``Liberté »`` (``é``, a
      non-breaking space, ``»``: the bytes ``E9 A0 BB``) is valid UTF-8 for
      the CJK ``頻``, and ``Libert頻`` is no name.

    A valid UTF-8 file whose every line is plausible stays UTF-8 even where
    it was written as cp1252 (``é’’``, ``\\xe9\\x92\\x92``, is the UTF-8
    ``钒``, a word of its own): the user settles such a file with
    ``encoding=``. The second value names the encoding: ``utf-8``,
    ``cp1252``, ``latin-1`` (when the only bytes 0x80-0x9f are the five
    cp1252 leaves undefined) or ``utf-8+cp1252`` (lines of both).

    >>> decode_utf8_or_cp1252("Università;Forlì".encode("utf-8") + "\\nForlì".encode("cp1252"))
    ('Università;Forlì\\nForlì', 'utf-8+cp1252')
    >>> decode_utf8_or_cp1252("Café « Liberté »".encode("cp1252"))
    ('Café « Liberté »', 'cp1252')
    >>> decode_utf8_or_cp1252(b"Citt\\xe0 \\x81")
    ('Città \\x81', 'latin-1')
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not implausible(text):
        return text, "utf-8"
    valid = text is not None
    parts, done, used = [], 0, set()
    for high in _HIGH_BYTES.finditer(data):
        if high.start() < done:  # on a line already read
            continue
        start = max(data.rfind(b"\n", 0, high.start()), data.rfind(b"\r", 0, high.start())) + 1
        end = min((i for i in (data.find(b"\n", high.end()), data.find(b"\r", high.end())) if i >= 0),
                  default=len(data))
        parts.append(data[done:start].decode("ascii"))
        line = data[start:end]
        try:
            reading = line.decode("utf-8")
        except UnicodeDecodeError:
            reading = None
        if reading is not None and not _C1.search(reading) and (
                looks_like_utf8_as_cp1252(line) or valid and not implausible(reading)):
            used.add("utf-8")
        else:
            reading = line.decode("latin-1").translate(_CP1252)
            used.add("cp1252")
            used.update(_C1_KINDS[b] for b in set(line) if 0x80 <= b < 0xA0)
        parts.append(reading)
        done = end
    parts.append(data[done:].decode("ascii"))
    if "utf-8" in used:
        encoding = "utf-8+cp1252"
    elif "undefined" in used and "defined" not in used:
        encoding = "latin-1"
    else:
        encoding = "cp1252"
    return "".join(parts), encoding


def implausible(text: str) -> bool:
    """True when ``text`` holds a C1 control character or a lone letter of another script inside a Latin word.

    Such text is what bytes written in cp1252 look like when they happen to
    be valid UTF-8. Greek letters are left out (``10 μm``), and so are runs
    of two or more letters of another script (``NTTドコモ``).

    >>> implausible("Libert頻"), implausible("Liberté »"), implausible("NTTドコモ"), implausible("10 μm")
    (True, False, False, False)
    """
    if text.isascii():
        return False
    if _C1.search(text):
        return True
    return any(unicodedata.category(m.group())[0] in "LMC" for m in _LONE_FOREIGN.finditer(text))


def looks_like_utf8_as_cp1252(line: bytes) -> bool:
    """True when ``line`` holds a UTF-8 sequence whose cp1252 reading is what UTF-8 read as cp1252 looks like.

    That is ``Â`` or ``Ã`` and the next character (``Ã©``, ``Ã`` and a
    non-breaking space for ``à``), or a sequence whose cp1252 reading goes
    on with a character other than punctuation or a space (``Ð°``,
    ``â€™``, ``åŒ—``), where text written in cp1252 has a letter followed by
    punctuation (``ß’``, ``é »``).

    >>> looks_like_utf8_as_cp1252("Città".encode()), looks_like_utf8_as_cp1252("Liberté\u00a0»".encode("cp1252"))
    (True, False)
    """
    for sequence in _UTF8_SEQUENCE.finditer(line):
        lead, *rest = sequence.group()
        if lead in (0xC2, 0xC3) or any(b not in _TEXT_LIKE for b in rest):
            return True
    return False


_HIGH_BYTES = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# continuation bytes that cp1252 reads as punctuation or a space (’ » « “ – … NBSP)
_TEXT_LIKE = frozenset(b for b in range(0x80, 0xC0)
                       if unicodedata.category(bytes([b]).decode("cp1252", "ignore") or "\x80")[0] in "PZ")
_C1 = re.compile("[\x80-\x9f]")
_LATIN_LETTER = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# letters of the scripts that cp1252 bytes read as UTF-8 turn into (from Cyrillic on; Greek is left out: "μm")
_FOREIGN = "\u0400-\u1dff\u2c00-\u2dff\u2e80-\ud7ff\ue000-\ufaff\ufb1d-\ufdff\ufe70-\ufefe\U00010000-\U0010ffff"
_LONE_FOREIGN = re.compile(
    f"(?<=[{_LATIN_LETTER}])[{_FOREIGN}](?![{_FOREIGN}])|(?<![{_FOREIGN}])[{_FOREIGN}](?=[{_LATIN_LETTER}])"
)
# cp1252's characters for the bytes 0x80-0x9f (Latin-1's, the C1 controls, where cp1252 has none)
_CP1252 = {b: bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xA0)}
_C1_KINDS = {b: "defined" if bytes([b]).decode("cp1252", "ignore") else "undefined" for b in range(0x80, 0xA0)}


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for the start of a text in UTF-16 without a byte-order mark, else None.

    UTF-16 text is told from a binary file by reading it: valid UTF-16 with
    no NUL character, few control characters, line breaks, and the ASCII
    characters a table has (separators, line ends, digits) making up at
    least a twentieth of it, whatever the script of its words. Of the two
    byte orders, the one reading more ASCII characters wins.

    >>> utf16_without_bom("org,project\\n".encode("utf-16-le")), utf16_without_bom(b"a\\x00b,c\\n\\x00")
    ('utf-16-le', None)
    >>> utf16_without_bom("партнёр;проект\\nОрг;П1\\n".encode("utf-16-be"))
    'utf-16-be'
    """
    if len(head) % 2 or b"\x00" not in head:
        return None
    best, most = None, 0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        ascii_chars = sum(1 for c in text if c < "\x80")
        if ("\x00" in text or "\n" not in text and "\r" not in text or looks_binary(text)
                or ascii_chars * 20 < len(text) or ascii_chars <= most):
            continue
        best, most = encoding, ascii_chars
    return best


def readable(text: str) -> str:
    """A path or file name as text to show and write: bytes that were not UTF-8 read as cp1252.

    Python keeps such bytes of a path (a Latin-1 folder name) as lone
    surrogates, which no UTF-8 file or terminal takes; they become the
    characters they most likely were.

    >>> import os
    >>> readable(os.fsdecode(b"/data/caf\\xe9/t.csv")), readable("/data/café/t.csv")
    ('/data/café/t.csv', '/data/café/t.csv')
    """
    if not _ESCAPED.search(text):
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "replace").decode("utf-8")
    return decode_utf8_or_cp1252(data)[0]


_ESCAPED = re.compile("[\ud800-\udfff]")


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
