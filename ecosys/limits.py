"""How much ecosys reads, draws and writes, and what it does past each bound.

Every bound that keeps a run within memory, or a page within what a browser
opens, is here, with the function that applies it:

- **Reading** (:func:`input_limits`): a table's bytes after decompression
  (``ECOSYS_MAX_INPUT_MB``, default 2,048 MB) and its cells, rows times
  columns (``ECOSYS_MAX_CELLS``, default 160 million, ten million rows of 16
  columns: reading a text table peaks at about 45 bytes a cell, 7 GB there).
  Past either, reading stops with a one-line error naming the variable that
  raises the bound. A gzip stream or workbook part that inflates more than
  :data:`INFLATE_RATIO` times once past :data:`INFLATE_FREE` bytes is
  refused as a decompression bomb; a sheet with more rows than Excel allows
  (:data:`EXCEL_ROWS`) was not written by Excel and is refused too.
- **Pages** (maps and the report): a text longer than :data:`PAGE_TEXT`
  characters (a name, an attribute value) is shortened in pages
  (:func:`page_text`, :func:`bounded`) and kept whole in the tables; a map
  draws at most :data:`MAP_NODES` nodes whatever ``--max-nodes`` asks
  (:func:`map_nodes`), writes ``whole.html`` up to :data:`WHOLE_NODES` nodes, and offers at most :data:`PAGE_ATTRIBUTES` attribute
  columns as filters, colours and details (:func:`page_attributes`).
- **Workbooks** (:func:`excel_warnings`): Excel holds at most
  :data:`EXCEL_CELL_CHARS` characters in a cell, :data:`EXCEL_COLUMNS`
  columns and :data:`EXCEL_ROWS` rows in a sheet; what passes them is cut in
  ``ecosys.xlsx``, with a warning, and stays whole in the CSV tables.

- **Memory between steps** (:func:`release_memory`): what a step freed in
  the C heap is handed back to the system, so the next step's large arrays
  do not come on top of it; blocks of :data:`MAPPED_BLOCK` bytes and more are
  mapped apart and handed back as soon as they are freed
  (:func:`map_large_blocks`).

What is left out is said in a warning (:class:`~ecosys.errors.EcosysWarning`:
the command line prints it as ``Warning: ...``).

Example
-------
>>> from ecosys.limits import input_limits, page_text
>>> input_limits({"ECOSYS_MAX_INPUT_MB": "10"}).max_bytes
10485760
>>> page_text("x" * 5000)[-3:], len(page_text("x" * 5000))
('xx…', 1000)
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import NamedTuple

from .errors import EcosysError, EcosysWarning

__all__ = [
    "EXCEL_CELL_CHARS",
    "EXCEL_COLUMNS",
    "EXCEL_ROWS",
    "INFLATE_FREE",
    "INFLATE_RATIO",
    "MAPPED_BLOCK",
    "MAP_NODES",
    "PAGE_ATTRIBUTES",
    "PAGE_TEXT",
    "WHOLE_NODES",
    "InputLimits",
    "bounded",
    "excel_warnings",
    "input_limits",
    "map_large_blocks",
    "map_nodes",
    "page_attributes",
    "page_text",
    "release_memory",
]

MAX_INPUT_MB = 2048  # ECOSYS_MAX_INPUT_MB: a table's bytes after decompression, in MB (2**20 bytes)
MAX_CELLS = 160_000_000  # ECOSYS_MAX_CELLS: a table's rows x columns (reading a CSV peaks near 45 bytes each)
INFLATE_RATIO = 100  # a gzip stream or workbook part inflating more than this many times ...
INFLATE_FREE = 64 * 2**20  # ... once past this many bytes is a decompression bomb (real tables: 5-20 times)
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
EXCEL_CELL_CHARS = 32_767
PAGE_TEXT = 1000  # characters of one text (a name, a value) in a page; the tables hold all of it
MAP_NODES = 10_000  # nodes one map page draws at most (vis-network: a first draw of seconds past this)
PAGE_ATTRIBUTES = 50  # attribute columns a map offers as filters, colours and details
MAPPED_BLOCK = 8 << 20  # bytes: a block of the C heap this large or larger is mapped apart (map_large_blocks)
WHOLE_NODES = 250_000  # nodes whole.html draws at most (about 120 bytes a node: a page near 30 MB;
#                        all of H2020, 67,322 nodes, is 7.4 MB)


class InputLimits(NamedTuple):
    """What one table may hold: ``max_bytes`` after decompression, ``max_cells`` rows times columns."""

    max_bytes: int
    max_cells: int


def input_limits(environ: Mapping[str, str] | None = None) -> InputLimits:
    """The reading limits, from ``ECOSYS_MAX_INPUT_MB`` and ``ECOSYS_MAX_CELLS`` (default: the process's environment).

    >>> input_limits({})
    InputLimits(max_bytes=2147483648, max_cells=160000000)
    >>> input_limits({"ECOSYS_MAX_CELLS": "1e9"})
    Traceback (most recent call last):
    ecosys.errors.EcosysError: ECOSYS_MAX_CELLS: expected a whole number above 0 (such as 160000000), not '1e9'
    """
    environ = os.environ if environ is None else environ
    return InputLimits(_positive(environ, "ECOSYS_MAX_INPUT_MB", MAX_INPUT_MB) * 2**20,
                       _positive(environ, "ECOSYS_MAX_CELLS", MAX_CELLS))


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip().replace("_", "")
    if not value:
        return default
    if not value.isdigit() or int(value) == 0:
        raise EcosysError(f"{name}: expected a whole number above 0 (such as {default}), not {environ[name]!r}")
    return int(value)


def megabytes(size: int) -> str:
    """A size in bytes as megabytes for a message.

    >>> megabytes(3 * 2**20), megabytes(1536)
    ('3 MB', '0.0015 MB')
    """
    mb = size / 2**20
    return f"{mb:,.0f} MB" if mb >= 10 or mb.is_integer() else f"{mb:.2g} MB"


# -- pages ------------------------------------------------------------------------------------------

def page_text(text: str, most: int = PAGE_TEXT) -> str:
    """``text`` as a page shows it: past ``most`` characters, its first ``most - 1`` and an ellipsis.

    >>> page_text("Comune di Bologna"), page_text("abcdef", 4)
    ('Comune di Bologna', 'abc…')
    """
    return text if len(text) <= most else text[: most - 1] + "…"


def bounded(value, most: int = PAGE_TEXT):
    """``value`` with every text in it (in dicts, lists and tuples, at any depth) shortened by :func:`page_text`.

    What a page renders goes through it, so no name or value is repeated
    whole in a page however long it is (a 100 MB name, repeated in the
    report's lists, would make a page of gigabytes).

    >>> bounded({"name": "x" * 2000, "values": [1, "short"]}, most=10)
    {'name': 'xxxxxxxxx…', 'values': [1, 'short']}
    """
    if isinstance(value, str):
        return page_text(value, most)
    # numbers, the bulk of a map's data, pass as they are without a call each
    if isinstance(value, dict):
        return {bounded(k, most): v if type(v) in _PLAIN else bounded(v, most) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _PLAIN else bounded(v, most) for v in value]
    if isinstance(value, tuple):
        return tuple(v if type(v) in _PLAIN else bounded(v, most) for v in value)
    return value


_PLAIN = frozenset({int, float, bool, type(None)})  # what bounded returns unchanged


def map_nodes(max_nodes: int) -> int:
    """The nodes a map draws at most when asked for ``max_nodes``: at most :data:`MAP_NODES`, with a warning.

    A graph larger than that is drawn as an overview of its communities,
    and ``--community`` and ``--ego`` maps draw their most central nodes;
    every node stays in the tables.

    >>> map_nodes(2000)
    2000
    """
    if max_nodes <= MAP_NODES:
        return max_nodes
    warnings.warn(
        f"--max-nodes {max_nodes:,} is more than a map page can draw and stay usable ({MAP_NODES:,} nodes); "
        f"the map draws at most {MAP_NODES:,} (a larger graph as an overview of its communities); "
        "every node is in the tables",
        EcosysWarning, stacklevel=2,
    )
    return MAP_NODES


def page_attributes(columns) -> list:
    """The attribute columns a map offers (filters, colours, details): the first :data:`PAGE_ATTRIBUTES`.

    Past that, a warning names how many were left out (they stay in the tables).

    >>> page_attributes(["type", "city"])
    ['type', 'city']
    """
    columns = list(columns)
    if len(columns) <= PAGE_ATTRIBUTES:
        return columns
    warnings.warn(
        f"{len(columns):,} attribute columns: the map offers the first {PAGE_ATTRIBUTES} as filters, colours and "
        f"details, and leaves out the other {len(columns) - PAGE_ATTRIBUTES:,} (from {columns[PAGE_ATTRIBUTES]!r} "
        "on); all are in the tables",
        EcosysWarning, stacklevel=2,
    )
    return columns[:PAGE_ATTRIBUTES]


# -- workbooks --------------------------------------------------------------------------------------

def excel_warnings(sheets) -> list[str]:
    """What Excel cannot hold in ``sheets`` (name -> DataFrame): long cells, too many rows or columns.

    Each message names the sheet and, for a cell, its column and row; the
    workbook keeps the first :data:`EXCEL_CELL_CHARS` characters, rows and
    columns; the CSV tables hold everything.

    >>> import pandas as pd
    >>> excel_warnings({"partners": pd.DataFrame({"name": ["A", "x" * 40_000]})})
    ["ecosys.xlsx, sheet 'partners': 1 cell over Excel's 32,767 characters (the first: column 'name', row 3, 40,000 characters) cut there; the CSV tables have the whole text"]
    """
    import pandas as pd
    from pandas.api.types import is_object_dtype, is_string_dtype

    messages = []
    for sheet, table in sheets.items():
        where = f"ecosys.xlsx, sheet '{sheet}'"
        if len(table) + 1 > EXCEL_ROWS:
            messages.append(f"{where}: {len(table) + 1:,} rows, more than Excel's {EXCEL_ROWS:,}; the workbook "
                            f"has the first {EXCEL_ROWS:,} and the CSV tables all of them")
        if len(table.columns) > EXCEL_COLUMNS:
            messages.append(f"{where}: {len(table.columns):,} columns, more than Excel's {EXCEL_COLUMNS:,}; the "
                            f"workbook has the first {EXCEL_COLUMNS:,} and the CSV tables all of them")
        long, first = 0, None
        for column in table.columns:
            values = table[column]
            if not (is_object_dtype(values) or is_string_dtype(values)):
                continue
            if isinstance(values.dtype, pd.CategoricalDtype):  # its cells, not its categories
                values = values.astype(object)
            lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
            over = lengths > EXCEL_CELL_CHARS
            if over.any():
                long += int(over.sum())
                if first is None:
                    row = int(over.to_numpy().argmax())
                    first = (column, row + 2, int(lengths.iloc[row]))
        if long:
            column, row, chars = first
            messages.append(
                f"{where}: {long:,} cell{'s' if long != 1 else ''} over Excel's {EXCEL_CELL_CHARS:,} characters "
                f"(the first: column {str(column)!r}, row {row:,}, {chars:,} characters) cut there; the CSV tables "
                "have the whole text"
            )
    return messages


def _libc():
    """The C library's functions (glibc's on Linux), looked up once; None where there are none to call."""
    global _LIBC
    if _LIBC is None:
        import ctypes  # here, not at import: most commands never need it

        try:  # the symbols the process already has: the C library's, on Linux
            libc = ctypes.CDLL(None)
            libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
            libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
            _LIBC = libc
        except (OSError, AttributeError, TypeError):
            _LIBC = False
    return _LIBC or None


def release_memory() -> bool:
    """Hand the C heap's free memory back to the system (glibc's ``malloc_trim``); False where there is none.

    Reading a table frees hundreds of MB of small blocks (the text, the
    parser's buffers) that glibc keeps for reuse, but the large arrays of
    the next steps are mapped apart and never reuse them: measured on a
    million generated rows, 300 MB stayed resident for nothing after
    reading. ecosys calls this after reading and between the steps of
    :func:`ecosys.analyze`; it changes no result. Elsewhere than glibc
    (macOS, Windows, musl) it does nothing.

    >>> release_memory() in (True, False)
    True
    """
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def map_large_blocks() -> bool:
    """Have the C heap map every block of :data:`MAPPED_BLOCK` bytes or more apart (glibc's ``mallopt``), so
    that it goes back to the system when freed; False where it cannot (not glibc).

    glibc maps blocks of 128 KB and more apart at first, but each time one is
    freed it raises that bound to the block's size, up to 32 MB: from then
    on the arrays of millions of entries freed between and within steps
    (the graph's, the metrics', numpy's sort buffers) stay in the heap, and
    resident, for the next allocations, which seldom fit there. Measured
    (``ecosys analyze``, ``--jobs 2``, quiet machine): the largest process at
    a million generated rows 1,600 -> 1,484 MB, at three million 4,031 ->
    3,814 MB, for 0.6 and 5 s more of the system's time. A bound of 1 MB
    kept no less (1,475-1,535 and 3,798 MB) and cost 4 and 7 s more, the
    many blocks of 1 to 8 MB mapped and faulted in again each time (at ten
    million rows 76 s more system time). ecosys calls this when it starts
    reading and analysing; it changes no result.

    >>> map_large_blocks() in (True, False)
    True
    """
    libc = _libc()
    if libc is None:
        return False
    return libc.mallopt(_M_MMAP_THRESHOLD, MAPPED_BLOCK) == 1


_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
_LIBC = None  # the C library once looked up (False: there is none)
