"""Excel .xlsx workbooks: every sheet as text cells, with the sheet row of each row.

Cells become text as a person sees them: whole numbers without ``.0``
(``17``), other numbers as Python writes them (``412248.84``), dates as ISO
dates (``2016-11-01``), empty cells as ``""``; text that looks like a
missing value (``NA``, ``NULL``) is kept as written. A sheet's header is its
first row that is not blank, past titles above it (:func:`~ecosys.read.columns.header_row`); rows are
numbered as Excel numbers them.

Example
-------
>>> import io, openpyxl
>>> book = openpyxl.Workbook()
>>> book.active.title = "Data"
>>> for row in ([], ["partner", "project"], ["A", 17]):
...     book.active.append(row)
>>> data = io.BytesIO(); book.save(data)
>>> from ecosys.read.workbook import read_workbook
>>> sheet = read_workbook(data.getvalue(), "t.xlsx", None)[0]
>>> sheet.title, sheet.header, sheet.header_line, sheet.rows.tolist(), sheet.cells.values.tolist()
('Data', ['partner', 'project'], 2, [3], [['A', '17']])
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
import zipfile
import zlib
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from ..limits import EXCEL_ROWS, INFLATE_FREE, INFLATE_RATIO, InputLimits, input_limits, megabytes
from .columns import TITLE_ROWS, header_row
from .messages import list_columns

__all__ = ["Sheet", "excel_text", "read_workbook"]


class Sheet(NamedTuple):
    """One sheet's cells as text: ``label`` names it in messages, ``rows`` are the sheet rows of ``cells``."""

    title: str
    label: str
    header: list
    cells: pd.DataFrame
    rows: np.ndarray
    header_line: int


def read_workbook(data: bytes, label: str, sheet: str | int | None, limits: InputLimits | None = None,
                  title_rows: int = TITLE_ROWS) -> list[Sheet]:
    """Every sheet of a workbook with a header, the one asked for (default: the first) first.

    The first sheet is named ``label`` in messages, the others ``label, sheet 'NAME'``.
    An empty first sheet, a missing sheet or a file that is no workbook raise
    :class:`~ecosys.errors.InputError`.

    The workbook is read row by row (openpyxl's read-only mode), within
    ``limits`` (default: :func:`ecosys.limits.input_limits`): its parts may
    unpack to at most ``max_bytes`` together, and none may inflate as a
    decompression bomb does; its sheets may hold at most ``max_cells`` cells
    together, and each at most Excel's 1,048,576 rows. Up to ``title_rows``
    rows of one filled cell above a sheet's header are titles, passed over
    (see :func:`~ecosys.read.columns.header_row`).

    >>> read_workbook(b"PK\\x03\\x04 not a workbook", "t.xlsx", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ecosys.errors.InputError: t.xlsx: cannot be read as an .xlsx workbook (...)
    """
    import openpyxl

    limits = input_limits() if limits is None else limits
    _check_parts(data, label, limits)
    try:
        with warnings.catch_warnings():  # openpyxl warns of what it ignores (data validation, styles)
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        titles = [ws.title for ws in book.worksheets]
        if sheet is not None:
            if isinstance(sheet, int) and 0 <= sheet < len(titles):
                sheet = titles[sheet]
            if sheet not in titles:
                raise InputError(f"{label}: no sheet named '{sheet}'; sheets are: {list_columns(titles)}")
            titles.remove(sheet)
            titles.insert(0, sheet)
        sheets, cells_left = [], limits.max_cells
        for i, title in enumerate(titles):
            where = label if i == 0 else f"{label}, sheet '{title}'"
            rows = _sheet_rows(book[title], where, cells_left, limits.max_cells)
            cells_left -= sum(map(len, rows))
            found = header_row(enumerate(rows), title_rows)  # past blank rows and titles above the header
            first = None if found is None else found[0]
            if first is None:
                if i == 0:
                    others = f"; read another with --sheet NAME (sheets: {list_columns(titles[1:])})" if titles[1:] else ""
                    raise InputError(f"{label}: sheet '{title}' is empty; expected a header row{others}")
                continue
            width = max(map(len, rows[first:]))
            body = [row + [""] * (width - len(row)) for row in rows[first + 1:]]
            header = rows[first] + [""] * (width - len(rows[first]))
            del rows
            cells = pd.DataFrame(body, columns=range(width), dtype=object) if body else \
                pd.DataFrame({j: pd.Series([], dtype=object) for j in range(width)})
            sheets.append(Sheet(str(title), where, header, cells, np.arange(first + 2, first + 2 + len(body)),
                                first + 1))
    finally:
        book.close()
    return sheets


def _check_parts(data: bytes, label: str, limits: InputLimits) -> None:
    """Refuse a workbook that unpacks past the limits, or holds more rows or cells than they allow.

    Its parts may unpack to at most ``max_bytes`` together and none may
    inflate as a decompression bomb does; its sheets' cells and rows are
    counted in their XML (fast: no cell is parsed), so a sheet past a limit
    is refused in a second, before openpyxl would spend minutes on it.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    total = sum(p.file_size for p in parts)
    if total > limits.max_bytes:
        raise InputError(f"{label}: the workbook unpacks to {megabytes(total)}, more than "
                         f"{megabytes(limits.max_bytes)}, the limit (ECOSYS_MAX_INPUT_MB); raise it if the file is "
                         "genuine and the machine has the memory, or save the sheet as CSV")
    for p in parts:
        if p.file_size > INFLATE_FREE and p.file_size > INFLATE_RATIO * max(p.compress_size, 1):
            raise InputError(
                f"{label}: its part {p.filename!r} unpacks {p.file_size // max(p.compress_size, 1):,} times over "
                f"({megabytes(p.compress_size)} to {megabytes(p.file_size)}), as a decompression bomb does; if the "
                "workbook is genuine, save the sheet as CSV (gzip-compressed if you like) and read that")
    cells = 0
    for p in parts:
        if "worksheets/" not in p.filename or not p.filename.endswith(".xml"):
            continue
        rows, more = _count_elements(archive, p, limits.max_cells - cells)
        cells += more
        if rows > EXCEL_ROWS:
            raise InputError(f"{label}: a sheet ({p.filename}) has more than {EXCEL_ROWS:,} rows, more than Excel "
                             "allows; this is no workbook Excel wrote (save the table as CSV to read longer tables)")
        if cells > limits.max_cells:
            raise InputError(f"{label}: more than {limits.max_cells:,} cells, the limit (ECOSYS_MAX_CELLS); raise it "
                             "if the workbook is genuine and the machine has the memory (about 100 bytes a cell)")


def _count_elements(archive: zipfile.ZipFile, part: zipfile.ZipInfo, most_cells: int) -> tuple[int, int]:
    """The rows and cells of a sheet's XML, counted until past Excel's rows or ``most_cells``."""
    rows = cells = 0
    try:
        with archive.open(part) as stream:
            carry = b""
            while block := stream.read(2**20):
                block = carry + block
                cut = block.rfind(b"<")  # an element starting at the end may go on in the next block
                carry, block = (block[cut:], block[:cut]) if cut >= 0 else (b"", block)
                rows += len(_ROW.findall(block))
                cells += len(_CELL.findall(block))
                if rows > EXCEL_ROWS or cells > most_cells:
                    break
            rows += len(_ROW.findall(carry + b" "))
            cells += len(_CELL.findall(carry + b" "))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError):
        pass  # openpyxl reads the sheet, or says what is wrong with it
    return rows, cells


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _sheet_rows(ws, where: str, cells_left: int, max_cells: int) -> list[list[str]]:
    """A sheet's rows as text, trailing empty cells and rows dropped, within the row and cell limits."""
    ws.reset_dimensions()  # the declared size may be wrong: read the cells there are
    rows, last, cells = [], -1, 0
    for number, row in enumerate(ws.rows, start=1):
        if number > EXCEL_ROWS:
            raise InputError(f"{where}: more than {EXCEL_ROWS:,} rows, more than Excel allows; this is no "
                             "workbook Excel wrote (save the table as CSV to read longer tables)")
        values = [_cell_text(c) for c in row]
        while values and values[-1] == "":
            values.pop()
        if values:
            last = number - 1
            cells += len(values)
            if cells > cells_left:
                raise InputError(
                    f"{where}: more than {max_cells:,} cells by row {number:,}, the limit (ECOSYS_MAX_CELLS); "
                    "raise it if the workbook is genuine and the machine has the memory (about 100 bytes a cell)")
        rows.append(values)
    del rows[last + 1:]
    return rows


def _cell_text(cell) -> str:
    """A cell's value as text (:func:`excel_text`); an error value (``#N/A``) is blank."""
    if cell.value is None or getattr(cell, "data_type", None) == "e":
        return ""
    return excel_text(cell.value)


def excel_text(value) -> str:
    """A cell's value as text.

    >>> excel_text(17.0), excel_text(1.5), excel_text(None), excel_text(datetime.datetime(2021, 3, 1))
    ('17', '1.5', '', '2021-03-01')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
