"""CSV and TSV text into cells, with the physical line where each row starts.

:func:`parse_text` finds the separator (the one an Excel ``sep=;`` first line
names, else :func:`sniff_separator`), the header (the first line that is not
blank) and the cells, as text. Line numbers are physical lines, counting the
lines inside quoted multi-line cells, so every message can name the line a
person finds in an editor.

A row with more fields than the header (a stray separator) stops reading
with an :class:`~ecosys.errors.InputError` naming its line, or is skipped and
listed (``skip_bad_lines``); a quoted cell never closed is refused.

Speed: pandas' C parser reads the cells; each row's line is computed from
the line breaks inside its quoted cells. When the C parser refuses a row, a
second C-parser pass with room for extra fields finds the malformed lines;
only when that cannot decide (quotes on those lines) does the csv module
read the file row by row.

Example
-------
>>> from ecosys.read.text import parse_text
>>> t = parse_text('org;project\\n"Rossi;\\nBianchi";P1\\nUniBo;P1\\n', "t.csv")
>>> t.separator, t.header, t.rows.tolist(), t.frame.values.tolist()
(';', ['org', 'project'], [2, 4], [['Rossi;\\nBianchi', 'P1'], ['UniBo', 'P1']])
"""

from __future__ import annotations

import csv
import io
import re
from typing import NamedTuple
from warnings import catch_warnings, simplefilter

import numpy as np
import pandas as pd

from ..errors import InputError
from ..parallel import can_fork, start as start_process
from .cells import strip_coded
from .columns import TITLE_ROWS, header_row
from .result import BadLine

__all__ = ["SEPARATORS", "SEPARATOR_NAMES", "SPLIT_CHARS", "ParsedText", "parse_text", "separator_line",
           "sniff_separator"]

SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SEP_LINE = re.compile(r"sep=([,;\t|])[ ]*(?=[\r\n]|$)")  # Excel's separator line, "sep=;"


class ParsedText(NamedTuple):
    """The cells of a text table: ``frame`` columns are ``0 .. len(header) - 1``, all text.

    ``rows`` holds the line where each row of ``frame`` starts; ``bad`` the
    lines skipped as malformed. ``coded``, when the text was parsed in two
    parts (:data:`SPLIT_CHARS`), holds each column's cells trimmed and coded
    as :func:`~ecosys.read.cells.strip_coded` gives them, and ``frame`` is
    None (:func:`~ecosys.read.tables.make_table` makes it, once the text is
    freed); else ``coded`` is None.
    """

    separator: str
    header_line: int
    header: list
    frame: pd.DataFrame | None
    rows: np.ndarray
    bad: list
    coded: list | None = None


# A text whose rows make up this many characters or more (and no quote) is parsed in two halves at once, on
# two processors when ``jobs`` allows: the second half in a forked process (ecosys.parallel) that sends back
# its columns as codes into their distinct cells, which this process joins to its own half's. Below about 1.2M
# rows the fork and the half sent back cost what half a parse saves (measured: all of H2020 slower, 3M 10% faster).
SPLIT_CHARS = 2**27


def parse_text(text: str, label: str, skip_bad_lines: bool = False, max_cells: int | None = None,
               titles: int = TITLE_ROWS, jobs: int = 1) -> ParsedText:
    """Separator, header and cells of a CSV/TSV text, with the line where each row starts.

    Blank lines past the header are rows of blank cells (a table drops them,
    :func:`~ecosys.read.tables.make_table`). A text of more lines times
    header fields than ``max_cells`` is refused before its cells are read
    (``ECOSYS_MAX_CELLS``, see :func:`ecosys.limits.input_limits`). With
    ``jobs`` of 2 or more, a long text without quotes is parsed in two halves
    at once (:data:`SPLIT_CHARS`): the same cells, rows and lines.

    >>> t = parse_text("a,b\\n\\nA,P,extra\\nB,P\\n", "t.csv", skip_bad_lines=True)
    >>> t.header_line, t.rows.tolist(), t.bad
    (1, [2, 4], [BadLine(line=3, reason='3 fields where the header has 2')])
    >>> parse_text("a,b\\n1,2\\n3,4\\n", "t.csv", max_cells=4)
    Traceback (most recent call last):
    ecosys.errors.InputError: t.csv: 3 lines of 2 columns make 6 cells, more than the 4 allowed (ECOSYS_MAX_CELLS); raise it if the table is genuine and the machine has the memory (about 100 bytes a cell)
    """
    found = separator_line(text)
    if found is not None:  # the "sep=;" line is left blank, so lines keep their numbers
        separator, text = found
    else:
        separator = sniff_separator(text)
    return ParsedText(separator, *_read_text(text, separator, label, skip_bad_lines, max_cells, titles, jobs))


def separator_line(text: str) -> tuple[str, str] | None:
    """The separator Excel's first line ``sep=;`` names and the text after it, or None.

    >>> separator_line("sep=;\\r\\na;b\\r\\n"), separator_line("a;b")
    ((';', '\\r\\na;b\\r\\n'), None)
    """
    hint = _SEP_LINE.match(text)
    return (hint.group(1), text[hint.end():]) if hint else None


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the same, largest number of fields (default ``,``).

    >>> sniff_separator("Ente;Importo\\nComune;1,5\\n"), sniff_separator("one column\\n")
    (';', ',')
    >>> sniff_separator("Elenco dei partner\\n\\nEnte;Importo\\nComune;1,5\\n")  # a title line first
    ';'
    """
    sample = "\n".join(text[:65536].splitlines()[:50])
    best, best_score = ",", (-1.0, 0)
    for sep in SEPARATORS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=sep) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        lead = next((i for i, c in enumerate(counts[: TITLE_ROWS + 1]) if c >= 2), None)  # past title lines
        if lead is None:
            continue
        counts = [0] * lead + counts[lead:]  # the lines passed over count against the separator
        score = (sum(c == counts[lead] for c in counts) / len(counts), counts[lead])
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_text(text: str, sep: str, label: str, skip_bad_lines: bool = False, max_cells: int | None = None,
               titles: int = TITLE_ROWS, jobs: int = 1):
    """Header line, header, cells (a DataFrame of text), first line of each row, skipped bad lines, coded cells.

    Fast path: pandas' C parser, line numbers computed from the newlines
    inside quoted cells. Any row the C parser will not take (an extra field)
    sends the file through the csv module, which gives each row's line.
    """
    reader = csv.reader(_lines(text), delimiter=sep)
    try:
        found = header_row(((reader.line_num, row) for row in reader), titles)  # past blank lines and titles above it
        if found is None:
            raise InputError(f"{label}: the file is empty; expected a header row")
        header_line, header = found
        reader = csv.reader(_lines(text), delimiter=sep)  # again, to stand just past the header
        header_start = 1
        while next(reader) is not None and reader.line_num < header_line:
            header_start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    if max_cells is not None:
        returns = text.count("\r")  # most files have none: then no pass counting CRLF
        lines = text.count("\n") + (returns - text.count("\r\n") if returns else 0) + (not text.endswith(("\n", "\r")))
        if lines * len(header) > max_cells:
            raise InputError(
                f"{label}: {lines:,} lines of {len(header):,} columns make {lines * len(header):,} cells, more than "
                f"the {max_cells:,} allowed (ECOSYS_MAX_CELLS); raise it if the table is genuine and the machine has "
                "the memory (about 100 bytes a cell)")
    if not any("\n" in h or "\r" in h for h in header):
        halves = _read_text_halves(text, sep, len(header), header_line, jobs) if jobs > 1 and can_fork() else None
        if halves is not None:
            return (header_line, header, *halves)
        fast = _read_text_fast(text, sep, len(header), header_line)
        if fast is not None:
            frame, rows = fast
            return header_line, header, frame, rows, [], None
        fast = _read_text_wide(text, sep, label, len(header), header_line, skip_bad_lines)
        if fast is not None:
            return (header_line, header, *fast, None)
    rows, numbers, bad, last = _read_text_slow(reader, header, header_line, sep, label, skip_bad_lines)
    _refuse_open_quote(text, sep, label, last or header_start)
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object) if rows else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(len(header))})
    return header_line, header, frame, np.asarray(numbers, dtype=np.int64), bad, None


def _read_text_halves(text: str, sep: str, width: int, header_line: int, jobs: int):
    """The C parser's cells of a long text without quotes, in two halves at once (the second in a forked
    process): ``(None, rows, bad, coded)``, the rows as :func:`_read_text_fast` gives them and each column's
    :func:`~ecosys.read.cells.strip_coded` (of the whole column), or None (a short text, quotes, a half
    the C parser refuses: the text is then read whole)."""
    start = _line_start(text, header_line)
    if len(text) - start < SPLIT_CHARS or '"' in text:  # without quotes, each row is one line
        return None
    middle = text.find("\n", start + (len(text) - start) // 2) + 1  # a row starts after a line feed
    if not start < middle < len(text):
        return None
    second = start_process(_coded_part, text, middle, len(text), sep, width, jobs=jobs)
    try:
        first = _coded_part(text, start, middle, sep, width)
    except BaseException:
        second.cancel()
        raise
    second = second.result()
    if first is None or second is None:
        return None
    coded = []
    for (codes_1, cells_1, changed_1), (codes_2, cells_2, changed_2) in zip(first[1], second[1]):
        # the second half's cells after the first's, each once: the order pd.factorize gives the whole column
        merged, cells = pd.factorize(np.concatenate([cells_1, cells_2]))
        merged = merged.astype(np.int32)
        codes = np.concatenate([merged[:len(cells_1)][codes_1], merged[len(cells_1):][codes_2]])
        coded.append((codes, np.asarray(cells, dtype=object), changed_1 or changed_2))
    rows = header_line + 1 + np.arange(first[0] + second[0], dtype=np.int64)
    return None, rows, [], coded


def _coded_part(text: str, start: int, end: int, sep: str, width: int):
    """``(rows, coded)``: the number of rows of ``text[start:end]`` and each column's
    :func:`~ecosys.read.cells.strip_coded`, or None when the C parser refuses them."""
    body = io.BufferedReader(_Utf8Stream(text, start, end), buffer_size=_STREAM_BLOCK)
    frame = _parse_fast(body, sep, width)
    if frame is None and body.raw.unencodable:
        frame = _parse_fast(io.StringIO(text[start:end]), sep, width)
    if frame is None:
        return None
    rows, coded = len(frame), []
    for column in list(frame.columns):  # each column freed once coded
        values = frame.pop(column).to_numpy(dtype=object)
        if pd.isna(values).any():  # a missing cell would code as -1, joined unlike the whole: read it whole
            return None
        coded.append(strip_coded(values))
    return rows, coded


def _read_text_wide(text: str, sep: str, label: str, width: int, header_line: int, skip_bad_lines: bool):
    """The C parser again, with room for the extra fields: finds the rows that have some, and their lines.

    Returns ``(frame, rows, bad)``, or None when the csv module must decide
    (a row spanning lines, or lines with very many separators).
    """
    wide = max(line.count(sep) for line in _LINE_END.split(text)) + 1
    if wide <= width or wide > width + 50:
        return None
    parsed = _read_text_fast(text, sep, wide, header_line)
    if parsed is None:
        return None
    frame, rows = parsed
    extra = np.zeros(len(frame), dtype=bool)
    for column in frame.columns[width:]:
        extra |= (frame[column].str.strip() != "").to_numpy()
    if not extra.any():
        return frame[frame.columns[:width]], rows, []
    lines = io.StringIO(text, newline="").readlines()
    bad = []
    for line in rows[extra]:
        raw = lines[line - 1] if line <= len(lines) else '"'
        if '"' in raw:  # perhaps a quoted cell spanning lines: let the csv module count
            return None
        fields = len(next(csv.reader([raw.rstrip("\r\n")], delimiter=sep)))
        if not skip_bad_lines:
            raise InputError(_extra_fields_message(label, int(line), fields, width, sep))
        bad.append(BadLine(int(line), f"{fields} fields where the header has {width}"))
    keep = ~extra
    return frame.loc[keep, frame.columns[:width]].reset_index(drop=True), rows[keep], bad


def _extra_fields_message(label, line, fields, width, sep) -> str:
    name = SEPARATOR_NAMES[sep]
    return (
        f"{label}, line {line}: {fields} fields where the header has {width} ({name}-separated); "
        f"quote values that contain a {name} or remove the extra one (or skip such lines with --skip-bad-lines)"
    )


def _line_start(text: str, line: int) -> int:
    """Where physical line ``line + 1`` of ``text`` starts (lines end in LF, CRLF or a lone CR)."""
    if line == 0:
        return 0
    for i, end in enumerate(_LINE_END.finditer(text), start=1):
        if i == line:
            return end.end()
    return len(text)


_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _lines(text: str):
    """The physical lines of ``text`` with their endings, one at a time, as ``io.StringIO(text, newline="")``
    gives them, without that copy of the text (four bytes a character)."""
    for line in _LINE.finditer(text):
        if line.group():
            yield line.group()


def _read_text_fast(text: str, sep: str, width: int, header_line: int):
    # The rows start after the header line. The text is cut there rather than passed with
    # skiprows: with lines ending in a lone CR (Excel for Mac), pandas' C parser loses the first
    # character after a skipped line, and with it a row.
    start = _line_start(text, header_line)
    # as UTF-8 bytes, which the C parser reads as they are (a StringIO holds four bytes a character),
    # encoded a block at a time as the parser asks for them: no second copy of the whole text
    body = io.BufferedReader(_Utf8Stream(text, start), buffer_size=_STREAM_BLOCK)
    frame = _parse_fast(body, sep, width)
    if frame is None and body.raw.unencodable:  # a lone surrogate (no byte of the file stands for it): as text
        frame = _parse_fast(io.StringIO(text[start:]), sep, width)
    if frame is None:
        return None
    n = len(frame)
    rows = header_line + 1 + np.arange(n, dtype=np.int64)
    if n and '"' in text:  # a quoted cell may span lines: the next row starts further down
        breaks = np.zeros(n, dtype=np.int64)
        for column in frame.columns:
            values = frame[column]
            spans = values.str.contains("[\r\n]", regex=True)
            if spans.any():
                breaks += values.str.count("\r\n|\r|\n").fillna(0).to_numpy(dtype=np.int64)
        rows[1:] += np.cumsum(breaks)[:-1]
    return frame, rows


_STREAM_BLOCK = 2**22  # characters encoded at a time for the C parser


class _Utf8Stream(io.RawIOBase):
    """``text[start:end]`` as a binary stream of UTF-8, encoded :data:`_STREAM_BLOCK` characters at a time.

    A lone surrogate (no UTF-8 for it) ends the stream early and sets
    ``unencodable``: the caller then reads the text another way.
    """

    def __init__(self, text: str, start: int, end: int | None = None):
        self.text, self.at, self.unencodable = text, start, False
        self.end = len(text) if end is None else end
        self.pending, self.sent = b"", 0  # the block encoded last, and how much of it was read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.sent == len(self.pending) and self.at < self.end and not self.unencodable:
            piece = self.text[self.at:min(self.at + _STREAM_BLOCK, self.end)]
            self.at += len(piece)
            try:
                self.pending, self.sent = piece.encode("utf-8"), 0
            except UnicodeEncodeError:
                self.unencodable = True
                raise
        n = min(len(buffer), len(self.pending) - self.sent)
        buffer[:n] = memoryview(self.pending)[self.sent:self.sent + n]  # no copy of the rest of the block
        self.sent += n
        return n


def _parse_fast(body, sep: str, width: int):
    """The C parser's cells of ``body``, or None when it refuses them."""
    try:
        with catch_warnings():
            # pandas drops the extra fields of the first rows with a warning: take the slow path instead
            simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                body, sep=sep, encoding="utf-8", header=None, names=range(width), dtype=object,
                na_filter=False, keep_default_na=False, skip_blank_lines=False, engine="c", index_col=False,
                quotechar='"', doublequote=True, quoting=csv.QUOTE_MINIMAL,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError, ValueError,
            OverflowError, UnicodeError):
        return None
    return frame


def _read_text_slow(reader, header, header_line, sep, label, skip_bad_lines):
    width = len(header)
    rows, numbers, bad = [], [], []
    start, end = None, header_line  # a row starts on the line after the previous one ends (quoted cells may span lines)
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if len(row) > width and any(c.strip() for c in row[width:]):
                if skip_bad_lines:
                    bad.append(BadLine(start, f"{len(row)} fields where the header has {width}"))
                    continue
                raise InputError(_extra_fields_message(label, start, len(row), width, sep))
            if len(row) < width:
                row = row + [""] * (width - len(row))
            rows.append(row[:width])
            numbers.append(start)
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    return rows, numbers, bad, start


def _refuse_open_quote(text: str, sep: str, label: str, line: int) -> None:
    """Refuse a quoted cell still open at the end of the file, in the record starting on ``line``.

    The csv module (not strict) would read the rest of the file into that
    cell; only the last record can end that way, so only it is read again,
    strictly.
    """
    last = "".join(io.StringIO(text, newline="").readlines()[line - 1:])
    try:
        for _ in csv.reader(io.StringIO(last, newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(
                f"{label}, line {line}: a quoted cell is never closed (no closing '\"' before the end of the file); "
                "close the quote or remove it"
            ) from None
