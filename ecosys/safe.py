"""Text that other programs open safely: CSV without formulas that run, JSON without NaN.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice and Google Sheets as a formula, which
can run (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``, ``@SUM(...)``). Such a
cell is written with a leading apostrophe, as OWASP recommends against CSV
injection, unless all it holds is digits, spaces and the punctuation of
numbers (``-3.70``, ``+39 011 123``, ``-1,5%``, ``(0)``), which no
spreadsheet can run: those stay as they are. Column names are guarded the
same way.

The workbook (``ecosys.xlsx``) needs no guard: XlsxWriter writes each text
as a string cell, which Excel shows as text and never evaluates.

JSON has no NaN or infinity: :func:`json_text` writes them as ``null``, so
strict readers (JavaScript's ``JSON.parse``, ``jq``) read every file.

A page's data goes in as :func:`page_json`: JSON that no name can close the
``<script>`` element with, every text cut to :data:`ecosys.limits.PAGE_TEXT`
characters.

Example
-------
>>> from ecosys.safe import guard_formula
>>> guard_formula('=HYPERLINK("http://x")'), guard_formula("Comune di Bologna"), guard_formula("-3.70")
('\\'=HYPERLINK("http://x")', 'Comune di Bologna', '-3.70')
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import markupsafe
import numpy as np
import pandas as pd

from .limits import PAGE_TEXT, bounded

__all__ = ["CSV_ROWS", "csv_bytes", "csv_pieces", "csv_text", "guard_formula", "json_text", "page_json"]

_FORMULA_FIRST = frozenset("=+-@\t\r")
_FIRSTS = tuple(sorted(_FORMULA_FIRST))
_NUMBER_LIKE = re.compile(r"[\d\s.,()/%+-]*")  # no letter, no reference, no function call, no DDE


def guard_formula(value):
    """``value`` with an apostrophe in front when a spreadsheet would run it as a formula.

    >>> guard_formula("@SUM(A1)"), guard_formula("-A1"), guard_formula("+39 011 123"), guard_formula("-"), guard_formula(3)
    ("'@SUM(A1)", "'-A1", '+39 011 123', '-', 3)
    """
    if isinstance(value, str) and value[:1] in _FORMULA_FIRST and not _NUMBER_LIKE.fullmatch(value):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """A table as spreadsheet-safe CSV text: floats to 6 significant digits, text guarded (:func:`guard_formula`).

    The text pandas' ``to_csv`` writes (minimal quoting, blanks for
    missing values, ``\\n`` line ends), written by Python's ``csv`` module
    from whole columns: each distinct float formatted once, and a text
    column looked at cell by cell only when one of its cells may start a
    formula.

    >>> print(csv_text(pd.DataFrame({"name": ["=cmd()", "Comune", "-1,5"], "share": [0.1234567, 2.0, None],
    ...                              "count": pd.array([3, None, 12], dtype="Int64")})), end="")
    name,share,count
    '=cmd(),0.123457,3
    Comune,2,
    "-1,5",,12
    """
    return "".join(csv_pieces(table))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """:func:`csv_text` as UTF-8 bytes, made :data:`CSV_ROWS` rows at a time (the whole text is never held).

    >>> csv_bytes(pd.DataFrame({"città": ["Torino"], "n": [1]}))
    b'citt\\xc3\\xa0,n\\nTorino,1\\n'
    """
    return b"".join(piece.encode("utf-8") for piece in csv_pieces(table))


CSV_ROWS = 50_000  # rows of a table made into text at a time: its cells as Python objects for these rows only


def csv_pieces(table: pd.DataFrame, rows: int = CSV_ROWS):
    """:func:`csv_text` in pieces of ``rows`` rows (the first with the header): the same text once joined.

    >>> list(csv_pieces(pd.DataFrame({"x": [1.5, 2.0, 3.0]}), rows=2))
    ['x\\n1.5\\n2\\n', '3\\n']
    """
    if not table.shape[1] or table.columns.nlevels > 1 or not all(
            _writable(table.iloc[:, j]) for j in range(table.shape[1])):
        yield _pandas_csv(table)
        return
    header = [guard_formula(c) for c in table.columns]
    if table.attrs:  # pandas would copy them deeply with every slice and column taken below
        table = table.copy(deep=False)
        table.attrs = {}
    for start in range(0, max(len(table), 1), rows):
        part = table.iloc[start:start + rows]
        made = [_column_cells(part.iloc[:, j]) for j in range(part.shape[1])]
        cells = [column for column, _ in made]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        returns = [j for j, (column, joined) in enumerate(made)  # numbers hold no carriage return: only texts
                   if part.dtypes.iloc[j].kind not in "iubf" and (
                       "\r" in joined if joined is not None else _has_return(column))]
        if start == 0:
            # Python's csv module (before 3.12) leaves a field holding a lone carriage return unquoted when
            # lines end in "\n", and spreadsheets end the row there: such rows are written with every field quoted
            (csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL) if _has_return(header)
             else writer).writerow(header)
        if not returns and len(cells) > 1:
            buffer.write(_joined_rows(part, made))
        elif not returns:
            writer.writerows(zip(*cells))
        else:
            quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
            for row in zip(*cells):
                (quoted if any(isinstance(row[j], str) and "\r" in row[j] for j in returns) else writer).writerow(row)
        yield buffer.getvalue()


def _joined_rows(part: pd.DataFrame, made: list) -> str:
    """The rows the csv module writes for these columns (two or more, no carriage return; ``made`` by
    :func:`_column_cells`), made by joining texts: each column's cells as text (integers formatted once each
    distinct value, ``None`` blank, other values ``str``), quoted only in a column holding a comma, a quote or
    a line break, then every row joined in one pass."""
    texts = []
    for j, (cells, joined) in enumerate(made):
        dtype = part.dtypes.iloc[j]
        if isinstance(dtype, np.dtype) and dtype.kind in "iu":  # numpy integers: never missing
            distinct, inverse = np.unique(part.iloc[:, j].to_numpy(), return_inverse=True)
            texts.append(np.array(list(map(str, distinct.tolist())), dtype=object)[inverse.reshape(-1)].tolist())
            continue
        if joined is None:
            try:
                joined = "\x00".join(cells)
            except TypeError:  # numbers, or texts among numbers
                cells = [v if type(v) is str else "" if v is None else str(v) for v in cells]  # noqa: E721
                joined = "\x00".join(cells)
        if "," in joined or '"' in joined or "\n" in joined:
            cells = [f'"{v.replace(chr(34), chr(34) * 2)}"' if ("," in v or '"' in v or "\n" in v) else v
                     for v in cells]
        texts.append(cells)
    return "\n".join(map(",".join, zip(*texts))) + "\n" if len(part) else ""


def _column_cells(values: pd.Series) -> tuple[list, str | None]:
    """:func:`_cells` of a column and, when all its cells are texts, those texts (before any guard) joined by
    NUL, found once for the formula, carriage-return and quoting checks."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype) or not (dtype.kind in "OU" or isinstance(dtype, pd.StringDtype)):
        return _cells(values), None
    column = values.tolist()
    try:
        joined = "\x00".join(column)
    except TypeError:  # missing cells, or values that are not texts
        return _cells(values), None
    if joined.startswith(_FIRSTS) or any("\x00" + first in joined for first in _FORMULA_FIRST):
        column = [guard_formula(v) for v in column]
    return column, joined


def _writable(values: pd.Series) -> bool:
    """Whether :func:`csv_pieces` writes the column itself (else the table goes through pandas)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return True  # as objects
    return pd.api.types.is_float_dtype(values) or values.dtype.kind in "iubOU" or isinstance(
        values.dtype, pd.StringDtype)


def _cells(values: pd.Series) -> list:
    """A column's cells as the csv module writes them."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # its values as they are, missing ones blank
        values = values.astype(object)
    kind = values.dtype.kind
    if pd.api.types.is_float_dtype(values):
        return _float_cells(values.to_numpy(dtype=np.float64, na_value=np.nan)).tolist()
    if kind in "iub" and values.hasnans:  # nullable integers (or booleans): as they are, blank where NA
        return ["" if x is pd.NA else x for x in values.tolist()]
    if kind in "iub":
        return values.tolist()
    column = (values.fillna("") if values.hasnans else values).tolist()
    return [guard_formula(v) for v in column] if _may_run(column) else column


def _has_return(cells: list) -> bool:
    """Whether a column of cells holds a carriage return in one of its texts."""
    try:
        return "\r" in "".join(cells)
    except TypeError:  # numbers, or texts among numbers
        return any(isinstance(v, str) and "\r" in v for v in cells)


def _pandas_csv(table: pd.DataFrame) -> str:
    """:func:`csv_text` of a table with columns it does not write itself, through pandas, cell by cell."""
    columns = {}
    for c in table.columns:
        values = table[c]
        if pd.api.types.is_float_dtype(values):
            columns[guard_formula(c)] = _float_cells(values.to_numpy(dtype=np.float64, na_value=np.nan))
        elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            columns[guard_formula(c)] = values
        else:
            columns[guard_formula(c)] = [guard_formula(v) for v in values.tolist()]
    returns = _has_return(list(map(str, columns))) or any(
        not isinstance(v, pd.Series) and _has_return(list(v)) for v in columns.values())
    return pd.DataFrame(columns, index=table.index).to_csv(  # a carriage return: every field quoted (csv_text)
        index=False, lineterminator="\n", quoting=csv.QUOTE_ALL if returns else csv.QUOTE_MINIMAL)


def _float_cells(values: np.ndarray) -> np.ndarray:
    """Each float as ``"%.6g"`` text ("" for NaN), each distinct value formatted once (metrics repeat many
    values: 217 distinct degree centralities among H2020's 35,871 partners); distinct by their bits, so
    ``-0.0`` stays ``-0``."""
    bits, inverse = np.unique(np.ascontiguousarray(values).view(np.int64), return_inverse=True)
    cells = np.array(["" if x != x else "%.6g" % x for x in bits.view(np.float64).tolist()], dtype=object)
    return cells[inverse.reshape(-1)]


def _may_run(cells: list) -> bool:
    """Whether a column of texts may hold a cell :func:`guard_formula` changes: its cells joined by line
    breaks, searched for a line that starts with a formula's first character (a cell holding a line break
    may make it say yes for nothing: the caller then looks at each cell)."""
    try:
        text = "\n" + "\n".join(cells)
    except TypeError:  # cells that are not text (numbers in an object column): look at each
        return True
    return any("\n" + first in text for first in _FORMULA_FIRST)


def json_text(value) -> str:
    """``value`` as JSON text (UTF-8 characters kept, indented), with ``null`` for NaN and infinities.

    JSON has no NaN: a file holding one is refused by strict readers
    (JavaScript's ``JSON.parse``, ``jq``), so every number that is not
    finite is written as ``null``, at any depth.

    >>> print(json_text({"modularity": float("nan"), "sizes": [1, float("inf")], "name": "Città"}), end="")
    {
      "modularity": null,
      "sizes": [
        1,
        null
      ],
      "name": "Città"
    }
    """
    return json.dumps(_finite(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def page_json(value, most: int = PAGE_TEXT) -> markupsafe.Markup:
    r"""``value`` as the JSON a page carries in a ``<script type="application/json">`` element.

    The same text as Jinja's ``tojson`` filter (keys sorted; ``<``, ``>``,
    ``&`` and ``'`` written as ``\u003c``...: no name can end the element)
    of ``bounded(value, most)`` (:func:`ecosys.limits.bounded`: no text
    longer than ``most`` characters). ``bounded`` walks every value in
    Python; here it runs only when the JSON text holds a string at least
    ``most`` characters long (a string is never shorter in JSON than in
    Python), so a map's hundred thousand numbers and short names are
    written in one pass of the C encoder.

    >>> print(page_json({"name": "</script>", "b": ["x" * 20]}, most=5))
    {"b": ["xxxx\u2026"], "name": "\u003c/sc\u2026"}
    """
    text = json.dumps(value, sort_keys=True)
    if _longest_string(text) >= most:
        text = json.dumps(bounded(value, most), sort_keys=True)
    return markupsafe.Markup(
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
    )


# Every string of a JSON text, in turn: outside strings JSON has no quote, so each match starts one.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _longest_string(text: str) -> int:
    """The most characters (escapes counted as written) between the quotes of one string of a JSON text."""
    if '\\"' not in text:  # no escaped quote: the text's quotes are the strings' ends, in pairs
        return max(map(len, text.split('"')[1::2]), default=0)
    return max(map(len, _JSON_STRING.findall(text)), default=2) - 2
