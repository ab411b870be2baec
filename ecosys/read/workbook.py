"""Excel .xlsx workbooks: every sheet as text cells, with the sheet row of each row.

Cells become text as a person sees them: whole numbers without ``.0``
(``17``), other numbers as Python writes them (``412248.84``), dates as ISO
dates (``2016-11-01``), empty cells as ``""``; text that looks like a
missing value (``NA``, ``NULL``) is kept as written. A sheet's header is its
first row that is not blank; rows are numbered as Excel numbers them.

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
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
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


def read_workbook(data: bytes, label: str, sheet: str | int | None) -> list[Sheet]:
    """Every sheet of a workbook with a header, the one asked for (default: the first) first.

    The first sheet is named ``label`` in messages, the others ``label, sheet 'NAME'``.
    An empty first sheet, a missing sheet or a file that is no workbook raise
    :class:`~ecosys.errors.InputError`.

    >>> read_workbook(b"PK\\x03\\x04 not a workbook", "t.xlsx", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ecosys.errors.InputError: t.xlsx: cannot be read as an .xlsx workbook (...)
    """
    try:
        book = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None,
            dtype=object, engine="openpyxl", na_filter=False, keep_default_na=False,
        )
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    titles = list(book)
    if sheet is not None:
        if isinstance(sheet, int) and 0 <= sheet < len(titles):
            sheet = titles[sheet]
        if sheet not in book:
            raise InputError(f"{label}: no sheet named '{sheet}'; sheets are: {list_columns(titles)}")
        titles.remove(sheet)
        titles.insert(0, sheet)
    sheets = []
    for i, title in enumerate(titles):
        cells = book[title].map(excel_text)
        first = next((j for j, row in enumerate(cells.itertuples(index=False)) if any(c.strip() for c in row)), None)
        if first is None:
            if i == 0:
                others = f"; read another with --sheet NAME (sheets: {list_columns(titles[1:])})" if titles[1:] else ""
                raise InputError(f"{label}: sheet '{title}' is empty; expected a header row{others}")
            continue
        header = cells.iloc[first].tolist()
        body = cells.iloc[first + 1:].reset_index(drop=True)
        rows = np.arange(first + 2, first + 2 + len(body))
        where = label if i == 0 else f"{label}, sheet '{title}'"
        sheets.append(Sheet(str(title), where, header, body, rows, first + 1))
    return sheets


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
