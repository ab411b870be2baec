"""Files and folders into tables: the :class:`Table` value, with where each row came from.

:func:`read_tables` reads one file (a path or a binary file object): gzip is
undone, a workbook gives one table per sheet (:mod:`.workbook`), text is
decoded (:mod:`.decode`) and parsed (:mod:`.text`). :func:`read_folder`
reads every table of a folder. Each table's header is cleaned
(:func:`~ecosys.read.columns.clean_header`), its cells trimmed, its blank
rows dropped; its rows keep the line (or sheet row) they start on.

Example
-------
>>> import io
>>> from ecosys.read.tables import read_tables
>>> t = read_tables(io.BytesIO(b" org ;project\\r\\n\\r\\n ACME ;P1\\r\\n"), label="t.csv")[0]
>>> t.frame.columns.tolist(), t.frame.values.tolist(), t.rows.tolist(), (t.format, t.encoding, t.separator)
(['org', 'project'], [['ACME', 'P1']], [3], ('csv', 'utf-8', ';'))
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Collection, NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from ..limits import input_limits, megabytes
from .cells import strip_coded
from .columns import TITLE_ROWS, clean_header
from .decode import GZIP_MAGIC, HEAD, check_start, decode, inflate, readable
from .result import BadLine
from .text import parse_text
from .workbook import read_workbook

__all__ = ["Input", "PARTICIPATION_ROWS", "TABLE_SUFFIXES", "Table", "dataset_name", "make_table", "read_bytes",
           "read_folder", "read_input", "read_tables", "safe_name"]

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".csv.gz", ".tsv.gz")  # in a folder; a README.txt is no table
PARTICIPATION_ROWS = "a header row naming the partner and project columns, then one row per participation"


@dataclass
class Table:
    """One table as read: text cells (trimmed), with where each row came from.

    ``frame`` has the cleaned header names as columns (``header`` the cells
    as read); ``rows`` holds the line (or sheet row) where each of its rows
    starts; ``bad`` lists the lines skipped as malformed (with
    ``skip_bad_lines``). ``label`` names the table in messages. ``codes``
    maps a column of ``frame`` to its cells as codes (int32) into its
    distinct values (:func:`~.cells.strip_coded`, the blank rows dropped: in
    the order first met, some perhaps no longer met), so that the later
    steps hash no text again. A source recogniser (:mod:`.sources`) may
    replace ``frame`` or change a column: it drops the codes it changes.
    """

    label: str
    frame: pd.DataFrame
    rows: np.ndarray
    header_line: int
    format: str
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    sha256: str = ""
    path: str | None = None
    bad: list[BadLine] = field(default_factory=list)
    header: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)

    @property
    def word(self) -> str:
        """``line`` for text files, ``row`` for sheets."""
        return "row" if self.format == "xlsx" else "line"

    @property
    def short(self) -> str:
        """A short name for column suffixes: the sheet, or the file name without extensions."""
        return self.sheet or dataset_name(self.label)


def read_tables(source: str | Path | BinaryIO, *, label: str | None = None, sheet: str | int | None = None,
                skip_bad_lines: bool = False, expected: str = PARTICIPATION_ROWS,
                encoding: str | None = None, titles: int = TITLE_ROWS, jobs: int = 1) -> list[Table]:
    """The tables of a file: one, or every sheet of a workbook (``sheet``, default the first, first).

    ``label`` names the file in messages (default: the path as given);
    ``expected`` says what the file should hold, for the message refusing an
    empty one; ``encoding`` is the text encoding (default: detected, see
    :mod:`.decode`; workbooks ignore it); ``titles``, the title rows of one
    filled cell that may stand above the header (0: none, the first row is
    the header, or data for a table without one; see
    :func:`~ecosys.read.columns.header_row`); ``jobs``, the processors a long
    text may be parsed on (:func:`~.text.parse_text`). The file is read within the limits
    of :func:`ecosys.limits.input_limits` (see :func:`read_input`), and a
    table of more cells than they allow is refused before it is parsed.

    >>> import io
    >>> read_tables(io.BytesIO(b"  \\r\\n"), label="t.csv", expected="two columns")
    Traceback (most recent call last):
    ecosys.errors.InputError: t.csv: the file is empty; expected two columns
    """
    limits = input_limits()
    raw = read_input(source, label, encoding)
    label, data = raw.label, raw.data
    path = str(Path(source).resolve()) if isinstance(source, (str, Path)) else None
    if not data or data.isspace():
        raise InputError(f"{label}: the file is empty; expected {expected}")
    if data.startswith(b"PK\x03\x04"):
        tables = [make_table(s.label, s.header, s.cells, s.rows, s.header_line, "xlsx", sheet=s.title)
                  for s in read_workbook(data, label, sheet, limits, titles)]
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{label}: this is an old Excel .xls workbook; save it as .xlsx or CSV and try again"
        )
    elif sheet is not None:
        raise InputError(f"{label}: a sheet ('{sheet}') was asked for, but this is a text table, not an .xlsx workbook")
    else:
        del data
        text, encoding = decode(raw.data, label, encoding)
        raw = raw._replace(data=b"")  # the bytes are no longer needed: only the text is held while it is parsed
        parsed = parse_text(text, label, skip_bad_lines, max_cells=limits.max_cells, titles=titles, jobs=jobs)
        del text
        tables = [make_table(label, parsed.header, parsed.frame, parsed.rows, parsed.header_line,
                             "csv+gzip" if raw.compressed else "csv", encoding=encoding, separator=parsed.separator,
                             bad=parsed.bad, coded=parsed.coded)]
    for t in tables:
        t.sha256, t.path = raw.sha256, path
    return tables


def read_folder(folder: Path, label: str, skip_bad_lines: bool = False, encoding: str | None = None,
                skip: Collection[str] = ()) -> list[Table]:
    """Every table of a folder (.csv, .tsv, .xlsx, .csv.gz, .tsv.gz; not hidden or Excel lock files), by file name.

    Each is named ``label/FILE`` in messages. Files named in ``skip`` are
    left out (ecosys's own outputs, :func:`ecosys.manifest.written_here`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.csv", "a.tsv", "notes.txt"):
    ...         _ = (Path(folder) / name).write_text("x,y\\n1,2\\n")
    ...     [t.label for t in read_folder(Path(folder), "data")]
    ['data/a.tsv', 'data/b.csv']
    """
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(TABLE_SUFFIXES)
                       and not p.name.startswith((".", "~$")) and p.name not in skip)
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if not files:
        raise InputError(f"{label}: is a folder with no CSV, TSV or .xlsx table in it; expected a participation table")
    sep = "" if label.endswith(("/", "\\")) else "/"
    tables = []
    for p in files:
        tables += read_tables(p, label=f"{label}{sep}{readable(p.name)}", skip_bad_lines=skip_bad_lines,
                              encoding=encoding)
    return tables


class Input(NamedTuple):
    """A file as read: its ``label``, its bytes (``data``, decompressed), the SHA-256 of the bytes read, whether gzip."""

    label: str
    data: bytes
    sha256: str
    compressed: bool


def read_input(source: str | Path | BinaryIO, label: str | None = None, encoding: str | None = None) -> Input:
    """Read a file (a path, or a binary file object named ``<stdin>`` when it has no name) within the limits.

    The first 64 KB are looked at before anything else is read (after gzip
    decompression, which is streamed): a file that starts as binary data
    (``/dev/zero``, ``/dev/urandom``, an image) is refused there, and a text
    file stops being read at its first NUL byte (refused by
    :func:`~.decode.decode`, which names its line). A file past
    ``ECOSYS_MAX_INPUT_MB`` (read, or decompressed) or decompressing as a bomb
    is refused as soon as it passes (see :func:`~.decode.inflate`).

    >>> import io
    >>> read_input(io.BytesIO(b"a,b\\n")).data, read_input(io.BytesIO(b"a,b"), "t.csv").label
    (b'a,b\\n', 't.csv')
    """
    max_bytes = input_limits().max_bytes
    if hasattr(source, "read"):
        if label is None:
            name = getattr(source, "name", None)
            label = name if isinstance(name, str) else "<stdin>"
        return _read_stream(source, label, encoding, max_bytes)
    path = Path(source)
    label = readable(str(source)) if label is None else label
    if not path.exists():
        raise InputError(f"{label}: file not found")
    if path.is_dir():
        raise InputError(f"{label}: is a folder; expected a CSV, TSV or .xlsx file")
    try:
        with path.open("rb") as stream:
            return _read_stream(stream, label, encoding, max_bytes)
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None


def read_bytes(source: str | Path | BinaryIO, label: str | None = None) -> tuple[str, bytes]:
    """The label and bytes of a file (decompressed), as :func:`read_input` reads them.

    >>> import io
    >>> read_bytes(io.BytesIO(b"a,b"))
    ('<stdin>', b'a,b')
    """
    raw = read_input(source, label)
    return raw.label, raw.data


_BLOCK = 2**20


def _read_stream(stream: BinaryIO, label: str, encoding: str | None, max_bytes: int) -> Input:
    digest, size = hashlib.sha256(), 0

    def read(n: int) -> bytes:
        nonlocal size
        block = stream.read(n)
        if isinstance(block, str):
            block = block.encode("utf-8")
        size += len(block)
        if size > max_bytes:
            raise InputError(f"{label}: larger than {megabytes(max_bytes)}, the limit (ECOSYS_MAX_INPUT_MB); raise "
                             "it if the file is genuine and the machine has the memory")
        digest.update(block)
        return block

    def blocks(first: bytes):
        if first:
            yield first
        while block := read(_BLOCK):
            yield block

    first = b""
    while len(first) < HEAD and (block := read(HEAD - len(first))):
        first += block
    compressed = first.startswith(GZIP_MAGIC)
    source = inflate(blocks(first), label, max_bytes) if compressed else blocks(first)
    kept, head = [], b""
    for block in source:
        kept.append(block)
        if len(head) < HEAD:
            head += block[: HEAD - len(head)]
            if len(head) < HEAD:
                continue
            check_start(head, label, encoding)
            text_without_nul = b"\x00" not in head and not head.startswith(b"PK\x03\x04") and (
                encoding is None or not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")))
        elif text_without_nul and b"\x00" in block:
            break  # a damaged text file: decode() names the line of its first NUL
    if len(head) < HEAD:
        check_start(head, label, encoding)
    return Input(label, b"".join(kept), digest.hexdigest(), compressed)


def make_table(label: str, header: list, frame: pd.DataFrame | None, rows, header_line: int, fmt: str, coded=None,
               **kwargs) -> Table:
    """A :class:`Table` from raw text cells: header cleaned, cells trimmed, blank rows dropped.

    ``coded``, when given, holds each column's :func:`~.cells.strip_coded`,
    of which the cells are made (``frame`` is then None).

    >>> t = make_table("t.csv", [" a ", "a"], pd.DataFrame([[" x ", "y"], [" ", ""]]), [2, 3], 1, "csv")
    >>> t.frame.to_dict("records"), t.rows.tolist(), t.header
    ([{'a': 'x', 'a (2)': 'y'}], [2], [' a ', 'a'])
    """
    kwargs["header"] = [str(h) for h in header]
    if coded is not None:  # the cells from their codes: each distinct cell one object
        frame = pd.DataFrame({i: pd.Series(cells[codes], dtype=object, copy=False)
                              for i, (codes, cells, _) in enumerate(coded)}, copy=False)
    frame.columns = clean_header(header)
    blank = np.ones(len(frame), dtype=bool)
    codes = {}
    for i, column in enumerate(frame.columns):  # each column hashed once: its distinct cells trimmed, its codes kept
        if coded is not None:
            (cells_codes, cells, _), changed = coded[i], False
        else:
            cells_codes, cells, changed = strip_coded(frame[column].to_numpy(dtype=object))
        if changed or frame[column].dtype != object:  # (unchanged: each cell is its distinct value already)
            frame[column] = pd.Series(cells[cells_codes], index=frame.index, dtype=object, copy=False)
        empty = np.flatnonzero(cells == "")
        if blank.any():
            blank &= cells_codes == empty[0] if len(empty) else False
        codes[column] = (cells_codes, cells)
    rows = np.asarray(rows, dtype=np.int64)
    if blank.any():
        frame, rows = frame[~blank], rows[~blank]
        codes = {c: (k[~blank], cells) for c, (k, cells) in codes.items()}
    return Table(label, frame.reset_index(drop=True), rows, header_line, fmt, codes=codes, **kwargs)


def dataset_name(path) -> str:
    """The file name without its extensions, as a name to show and to name a folder by (:func:`safe_name`).

    >>> dataset_name("data/h2020.csv.gz"), dataset_name("my-data.v2.csv"), dataset_name("...csv")
    ('h2020', 'my-data.v2', 'dataset')
    """
    path = Path(path)
    return safe_name((path.with_suffix("") if path.suffix.lower() == ".gz" else path).stem)


def safe_name(name: str) -> str:
    """``name`` fit to name a folder and to show: no dots or spaces at either end, no separators or controls.

    A file named ``...csv`` must not make the output folder ``graphs/..``;
    bytes that are not UTF-8 are read as cp1252 (:func:`~.decode.readable`);
    a name left empty is ``dataset``.

    >>> safe_name(".."), safe_name(" data.v2 "), safe_name("a/b\\x1b[0m")
    ('dataset', 'data.v2', 'a_b_[0m')
    """
    return _UNSAFE.sub("_", readable(name)).strip(". ") or "dataset"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
