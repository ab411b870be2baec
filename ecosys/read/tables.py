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

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..errors import InputError
from .cells import strip_cells
from .columns import clean_header
from .decode import decode, gunzip
from .result import BadLine
from .text import parse_text
from .workbook import read_workbook

__all__ = ["PARTICIPATION_ROWS", "TABLE_SUFFIXES", "Table", "dataset_name", "make_table", "read_bytes",
           "read_folder", "read_tables"]

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".csv.gz", ".tsv.gz")  # in a folder; a README.txt is no table
PARTICIPATION_ROWS = "a header row naming the partner and project columns, then one row per participation"


@dataclass
class Table:
    """One table as read: text cells (trimmed), with where each row came from.

    ``frame`` has the cleaned header names as columns (``header`` the cells
    as read); ``rows`` holds the line (or sheet row) where each of its rows
    starts; ``bad`` lists the lines skipped as malformed (with
    ``skip_bad_lines``). ``label`` names the table in messages. A source
    recogniser (:mod:`.sources`) may replace ``frame``.
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
                encoding: str | None = None) -> list[Table]:
    """The tables of a file: one, or every sheet of a workbook (``sheet``, default the first, first).

    ``label`` names the file in messages (default: the path as given);
    ``expected`` says what the file should hold, for the message refusing an
    empty one; ``encoding`` is the text encoding (default: detected, see
    :mod:`.decode`; workbooks ignore it).

    >>> import io
    >>> read_tables(io.BytesIO(b"  \\r\\n"), label="t.csv", expected="two columns")
    Traceback (most recent call last):
    ecosys.errors.InputError: t.csv: the file is empty; expected two columns
    """
    label, data = read_bytes(source, label)
    path = str(Path(source).resolve()) if isinstance(source, (str, Path)) else None
    sha256 = hashlib.sha256(data).hexdigest()
    data, compressed = gunzip(data, label)
    if not data.strip():
        raise InputError(f"{label}: the file is empty; expected {expected}")
    if data.startswith(b"PK\x03\x04"):
        tables = [make_table(s.label, s.header, s.cells, s.rows, s.header_line, "xlsx", sheet=s.title)
                  for s in read_workbook(data, label, sheet)]
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{label}: this is an old Excel .xls workbook; save it as .xlsx or CSV and try again"
        )
    elif sheet is not None:
        raise InputError(f"{label}: a sheet ('{sheet}') was asked for, but this is a text table, not an .xlsx workbook")
    else:
        text, encoding = decode(data, label, encoding)
        parsed = parse_text(text, label, skip_bad_lines)
        tables = [make_table(label, parsed.header, parsed.frame, parsed.rows, parsed.header_line,
                             "csv+gzip" if compressed else "csv", encoding=encoding, separator=parsed.separator,
                             bad=parsed.bad)]
    for t in tables:
        t.sha256, t.path = sha256, path
    return tables


def read_folder(folder: Path, label: str, skip_bad_lines: bool = False, encoding: str | None = None) -> list[Table]:
    """Every table of a folder (.csv, .tsv, .xlsx, .csv.gz, .tsv.gz; not hidden or Excel lock files), by file name.

    Each is named ``label/FILE`` in messages.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.csv", "a.tsv", "notes.txt"):
    ...         _ = (Path(folder) / name).write_text("x,y\\n1,2\\n")
    ...     [t.label for t in read_folder(Path(folder), "data")]
    ['data/a.tsv', 'data/b.csv']
    """
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(TABLE_SUFFIXES)
                       and not p.name.startswith((".", "~$")))
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if not files:
        raise InputError(f"{label}: is a folder with no CSV, TSV or .xlsx table in it; expected a participation table")
    sep = "" if label.endswith(("/", "\\")) else "/"
    tables = []
    for p in files:
        tables += read_tables(p, label=f"{label}{sep}{p.name}", skip_bad_lines=skip_bad_lines, encoding=encoding)
    return tables


def read_bytes(source: str | Path | BinaryIO, label: str | None = None) -> tuple[str, bytes]:
    """The label and bytes of a file: a path, or a binary file object (named ``<stdin>`` without a name).

    >>> import io
    >>> read_bytes(io.BytesIO(b"a,b"))
    ('<stdin>', b'a,b')
    """
    if hasattr(source, "read"):
        if label is None:
            label = getattr(source, "name", None)
            label = label if isinstance(label, str) and not label.startswith("<") else "<stdin>"
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return label, data
    path = Path(source)
    label = str(source) if label is None else label
    if not path.exists():
        raise InputError(f"{label}: file not found")
    if path.is_dir():
        raise InputError(f"{label}: is a folder; expected a CSV, TSV or .xlsx file")
    try:
        return label, path.read_bytes()
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None


def make_table(label: str, header: list, frame: pd.DataFrame, rows, header_line: int, fmt: str, **kwargs) -> Table:
    """A :class:`Table` from raw text cells: header cleaned, cells trimmed, blank rows dropped.

    >>> t = make_table("t.csv", [" a ", "a"], pd.DataFrame([[" x ", "y"], [" ", ""]]), [2, 3], 1, "csv")
    >>> t.frame.to_dict("records"), t.rows.tolist(), t.header
    ([{'a': 'x', 'a (2)': 'y'}], [2], [' a ', 'a'])
    """
    kwargs["header"] = [str(h) for h in header]
    frame.columns = clean_header(header)
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        frame[column], empty = strip_cells(frame[column])
        blank &= empty
    rows = np.asarray(rows, dtype=np.int64)
    if blank.any():
        frame, rows = frame[~blank], rows[~blank]
    return Table(label, frame.reset_index(drop=True), rows, header_line, fmt, **kwargs)


def dataset_name(path) -> str:
    """The file name without its extensions.

    >>> dataset_name("data/h2020.csv.gz"), dataset_name("my-data.v2.csv")
    ('h2020', 'my-data.v2')
    """
    path = Path(path)
    return (path.with_suffix("") if path.suffix.lower() == ".gz" else path).stem
