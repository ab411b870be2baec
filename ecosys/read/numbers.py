"""Numbers recognised by content: which columns hold numbers, written which way, and their values.

Exports write numbers as people do: ``230971380,84`` (decimal comma),
``9,942,108.00`` or ``9.942.108,00`` (thousands separators), ``1 234``,
``1'234.50``, ``€ 1.200``, ``12 %``, ``(500)`` or ``500-`` for a negative.
A column is numbers when every filled cell reads one consistent way
(:func:`number_format`): one decimal mark (``.`` or ``,``), at most one
thousands separator (``,`` ``.``, a space, a no-break or narrow no-break
space, an apostrophe), at most one unit (a currency sign or code, or ``%``).
Cells that are blank or say a value is missing (``""``, ``-``, ``NA``,
``n/a``, ``null``: :data:`.cells.MISSING`) are left out. Otherwise the column stays
text, and :func:`why_text` says why when most of its cells are numbers.

When a column allows two readings, the cells that only one reading accepts
decide (``1,5`` makes the comma decimal; ``1.234.567`` makes the point a
thousands separator). A column that never decides is read the English way:
``1,234`` is 1234 and ``1.234`` is 1.234, unless it is money (a currency
sign or code): ``€ 1.234`` is 1234, since amounts of money have no
thousandths.

Example
-------
>>> from ecosys.read.numbers import number_format, to_numbers, why_text
>>> fmt = number_format(["230971380,84", " 1", "", "12,5"])
>>> fmt
NumberFormat(decimal=',', thousands=None, unit=None)
>>> to_numbers(["230971380,84", " 1", "", "12,5"], fmt).tolist()
[230971380.84, 1.0, nan, 12.5]
>>> number_format(["9,942,108.00", "758394.29", "EUR 12"]).as_dict()
{'decimal': '.', 'thousands': ',', 'unit': 'EUR'}
>>> why_text(["1", "2", "n/d", "4"], rows=[2, 3, 4, 5])
"1 of 4 cells is not a number, first at line 4: 'n/d'"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import MISSING, strip_texts

__all__ = ["NumberFormat", "number_format", "number_reading", "parse_numbers", "to_numbers", "why_text"]

# Currency signs and codes, and the unit each stands for (compared case-insensitively).
_CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "us$": "USD", "usd": "USD",
    "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "chf": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
    "pln": "PLN", "zł": "PLN", "czk": "CZK", "kč": "CZK", "huf": "HUF", "ron": "RON", "bgn": "BGN", "hrk": "HRK",
    "isk": "ISK", "try": "TRY", "₺": "TRY", "rub": "RUB", "₽": "RUB", "inr": "INR", "₹": "INR", "cny": "CNY",
}
_UNIT = "|".join(sorted((re.escape(u) for u in [*_CURRENCIES, "%"]), key=len, reverse=True))
_SPACE = " \u00a0\u202f"  # space, no-break space, narrow no-break space: one thousands separator
_APOSTROPHE = "'\u2019"  # apostrophe, right single quotation mark (Swiss 1'234 and 1’234)
# a cell: an optional sign, unit and parentheses around the digits, a sign after them
_CELL = re.compile(
    rf"""^(?P<open1>\()?\s*(?P<sign1>[-+\u2212])?\s*(?P<unit1>{_UNIT})?\s*(?P<open2>\()?\s*(?P<sign2>[-+\u2212])?\s*
    (?P<body>\d[\d.,{_SPACE}{_APOSTROPHE}]*\d|\d|[.,]\d+)(?P<exponent>[eE][-+]?\d+)?
    \s*(?P<close1>\))?\s*(?P<unit2>{_UNIT})?\s*(?P<sign3>-)?\s*(?P<close2>\))?$""",
    re.IGNORECASE | re.VERBOSE,
)
# the readings tried, in this order: a tie between two readings goes to the first
_FORMATS = (
    (".", None), (".", ","), (",", None), (",", "."), (".", " "), (",", " "), (".", "'"), (",", "'"),
)
_SEPARATOR_CLASS = {",": ",", ".": r"\.", " ": f"[{_SPACE}]", "'": f"[{_APOSTROPHE}]"}


@dataclass(frozen=True)
class NumberFormat:
    """How a column writes its numbers: the decimal mark, the thousands separator (or None), the unit (or None).

    ``thousands`` is ``" "`` for any space (also no-break and narrow no-break
    spaces) and ``"'"`` for an apostrophe (also ``’``); ``unit`` is a
    currency code (``EUR``, ``USD``...) or ``%``.

    >>> NumberFormat(",", ".", "EUR").as_dict()
    {'decimal': ',', 'thousands': '.', 'unit': 'EUR'}
    """

    decimal: str = "."
    thousands: str | None = None
    unit: str | None = None

    def as_dict(self) -> dict:
        """The format as a JSON-ready dict (as ``summary.json`` gives it)."""
        return {"decimal": self.decimal, "thousands": self.thousands, "unit": self.unit}

    @property
    def is_currency(self) -> bool:
        """True when the unit is a currency (an amount of money).

        >>> NumberFormat(unit="EUR").is_currency, NumberFormat(unit="%").is_currency
        (True, False)
        """
        return self.unit is not None and self.unit != "%"


@dataclass(frozen=True)
class _Cell:
    """A cell taken apart: its sign, unit, the digits with their separators, and an exponent."""

    negative: bool
    unit: str | None
    body: str
    exponent: str


_PLAIN = re.compile(r"^(-?)(\d[\d.,]*\d|\d)$")  # most cells: digits and separators, perhaps a minus


def _take_apart(text: str) -> _Cell | None:
    """The parts of a cell that looks like a number (whatever its separators), else None."""
    m = _PLAIN.match(text)
    if m is not None:
        return _Cell(bool(m[1]), None, m[2], "")
    m = _CELL.match(text)
    if m is None:
        return None
    opened = [p for p in (m["open1"], m["open2"]) if p]
    closed = [p for p in (m["close1"], m["close2"]) if p]
    signs = [s for s in (m["sign1"], m["sign2"], m["sign3"]) if s]
    if len(opened) != len(closed) or len(opened) > 1 or len(signs) > 1 or (opened and signs):
        return None
    units = [u for u in (m["unit1"], m["unit2"]) if u]
    if len(units) > 1:
        return None
    unit = None if not units else ("%" if units[0] == "%" else _CURRENCIES[units[0].lower()])
    negative = bool(opened) or (bool(signs) and signs[0] != "+")
    return _Cell(negative, unit, m["body"], m["exponent"] or "")


def _body_pattern(decimal: str, thousands: str | None) -> re.Pattern:
    d = re.escape(decimal)
    if thousands is None:
        return re.compile(rf"^(\d+({d}\d+)?|{d}\d+)$")
    t = _SEPARATOR_CLASS[thousands]
    return re.compile(rf"^(([1-9]\d{{0,2}}({t}\d{{3}})+|\d+)({d}\d+)?|{d}\d+)$")


_PATTERNS = {f: _body_pattern(*f) for f in _FORMATS}


_DROP = {t: {ord(c): None for c in chars} for t, chars in ((",", ","), (".", "."), (" ", _SPACE), ("'", _APOSTROPHE))}


def _value(cell: _Cell, decimal: str, thousands: str | None) -> float | None:
    """The cell's value read with this decimal mark and thousands separator, or None if it does not fit."""
    if not _PATTERNS[(decimal, thousands)].match(cell.body):
        return None
    if cell.exponent and (decimal != "." or thousands is not None):
        return None
    digits = cell.body if thousands is None else cell.body.translate(_DROP[thousands])
    value = float(digits.replace(decimal, ".") + cell.exponent)
    return -value if cell.negative else value


@dataclass(frozen=True)
class _Scan:
    """A column's distinct filled cells and how each reads: the best reading and the cells it fits."""

    texts: np.ndarray  # distinct filled cells, in the order first met
    counts: np.ndarray  # how many rows hold each
    first: np.ndarray  # the position of each one's first row
    cells: list  # each one taken apart (None: not a number however read)
    best: tuple  # the reading most rows fit, ties by _FORMATS order
    fits: np.ndarray  # which distinct cells fit the best reading


_SAMPLE = 200  # distinct cells looked at before a column is taken for text


def _distinct(values, factorized=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct filled cells (trimmed; missing-value cells left out), their rows and first positions.

    ``factorized`` is ``pd.factorize`` of the values when the caller has it already.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object)) if factorized is None else factorized
    stripped = strip_texts(uniques)
    texts = np.asarray(uniques if stripped is None else stripped, dtype=object)
    joined = "\x00".join(texts).lower()  # in one pass, not one call each
    wrapped = f"\x00{joined}\x00"
    if len(texts) and joined.count("\x00") == len(texts) - 1 and not any(f"\x00{m}\x00" in wrapped for m in MISSING if m):
        filled = texts != ""  # no missing-value cell but blanks: found by a few searches, no text split
    else:
        lowered = joined.split("\x00") if len(texts) else []
        if len(lowered) != len(texts):  # a text holding NUL
            lowered = [t.lower() for t in texts]
        filled = ~pd.Series(lowered, dtype=object).isin(list(MISSING)).to_numpy(dtype=bool)
    if len(codes) and codes.min() < 0:  # missing cells (no text)
        positions = np.flatnonzero(codes >= 0)
        codes = codes[positions]
    else:
        positions = np.arange(len(codes))
    counts = np.bincount(codes, minlength=len(texts))
    first = np.full(len(texts), -1, dtype=np.int64)
    first[codes[::-1]] = positions[::-1]
    return texts[filled], counts[filled], first[filled]


# every cell of a column of plain numbers (digits, perhaps a minus and decimals after a point), one a line:
# checked in one pass of the regex engine, since most number columns are written so. The repeat is possessive
# (*+): a plain * keeps a way back for every line, some 400 bytes a line (400 MB for a column of a million)
_SIMPLE_LINES = re.compile(r"(?:-?\d+(?:\.\d+)?\n)*+-?\d+(?:\.\d+)?")


def _simple(texts: np.ndarray) -> bool:
    """True when every text is a plain number (``-12``, ``3.25``): those read one way only, the English one."""
    joined = "\n".join(texts)
    return bool(len(texts)) and joined.count("\n") == len(texts) - 1 and _SIMPLE_LINES.fullmatch(joined) is not None


def _scan(values, all_or_none: bool = False, distinct=None) -> _Scan | None:
    """How the cells of ``values`` read; with ``all_or_none``, None as soon as one cell is no number."""
    texts, counts, first = distinct if distinct is not None else _distinct(values)
    cells = []
    for k, text in enumerate(texts):
        cell = _take_apart(text)
        if cell is None and (all_or_none or (k == _SAMPLE and sum(c is not None for c in cells) < _SAMPLE // 2)):
            return None  # text, or mostly text: nothing to say
        cells.append(cell)
    best, fits = _reading(cells, counts)
    return _Scan(texts, counts, first, cells, best, fits)


def _reading(cells: list, counts: np.ndarray) -> tuple[tuple, np.ndarray]:
    """The reading (decimal mark, thousands separator) most rows fit, and which cells fit it.

    Cells of digits alone fit every reading; ties go to the first of
    :data:`_FORMATS`, except that money has no thousandths: a tie goes to a
    reading without three decimals (``€ 1.000`` is 1000).
    """
    parsed = np.array([c is not None for c in cells], dtype=bool)
    plain = np.array([c is not None and c.body.isdigit() and not c.exponent for c in cells], dtype=bool)
    others = np.flatnonzero(parsed & ~plain)
    money = any(c is not None and c.unit not in (None, "%") for c in cells)
    full = int(counts[parsed].sum())
    best, fits, most = _FORMATS[0], plain, -1
    for fmt in _FORMATS:
        ok = plain.copy()
        pattern = _PATTERNS[fmt]
        for k in others:
            c = cells[k]
            ok[k] = pattern.match(c.body) is not None and (not c.exponent or fmt == (".", None))
        rows = int(counts[ok].sum())
        if rows > most or (rows == most and money and _thousandths(cells, fits, best)
                           and not _thousandths(cells, ok, fmt)):
            best, fits, most = fmt, ok, rows
        if most == full and not (money and _thousandths(cells, fits, best)):
            break
    return best, fits


def _thousandths(cells: list, fits: np.ndarray, fmt: tuple) -> bool:
    """True when a cell read this way has exactly three decimals."""
    decimal = fmt[0]
    return any(c.body.rpartition(decimal)[1] and len(c.body.rpartition(decimal)[2]) == 3
               for c, ok in zip(cells, fits) if ok)


def number_format(values) -> NumberFormat | None:
    """The one way every filled cell of ``values`` reads as a number, or None (a text column, or no filled cell).

    >>> number_format(["1.234.567,5", "12,25"])
    NumberFormat(decimal=',', thousands='.', unit=None)
    >>> number_format(["(1 200)", "3 400 €", "5-"])  # negatives in parentheses, after the digits
    NumberFormat(decimal='.', thousands=' ', unit='EUR')
    >>> number_format(["12 EUR", "3 USD"]) is None, number_format(["", "n/a"]) is None
    (True, True)
    """
    return _format(_distinct(values))


def number_reading(values, rows=None, word: str = "line", factorized=None) -> tuple[NumberFormat | None, str | None]:
    """:func:`number_format` and, when there is none, :func:`why_text`, the column's cells gathered once
    (``factorized``: ``pd.factorize`` of the values, when the caller has it).

    >>> number_reading(["1,5", "2"])
    (NumberFormat(decimal=',', thousands=None, unit=None), None)
    >>> number_reading(["12 EUR", "3 USD", "4 EUR"], rows=[2, 3, 4])
    (None, "cells in two units: 'EUR' (line 2) and 'USD' (line 3)")
    """
    distinct = _distinct(values, factorized)
    fmt = _format(distinct)
    return fmt, (None if fmt is not None else _why(distinct, rows, word))


def _format(distinct) -> NumberFormat | None:
    if _simple(distinct[0]):
        return NumberFormat()
    scan = _scan(None, all_or_none=True, distinct=distinct)
    if scan is None or not len(scan.texts) or not scan.fits.all():
        return None
    units = {c.unit for c in scan.cells} - {None}
    if len(units) > 1:
        return None
    return NumberFormat(scan.best[0], scan.best[1], units.pop() if units else None)


def to_numbers(values, fmt: NumberFormat | None = None) -> np.ndarray:
    """The values as floats (NaN for blank and missing cells), read with ``fmt`` (default: found by
    :func:`number_format`).

    Raises ``ValueError`` naming the first cell that is not a number that way.

    >>> to_numbers(["1'234.5", "-", "(2)"]).tolist()
    [1234.5, nan, -2.0]
    >>> to_numbers(["1,5"], NumberFormat(".", ","))
    Traceback (most recent call last):
    ValueError: '1,5' is not a number written with decimal mark '.' and thousands separator ','
    """
    if fmt is None:
        fmt = number_format(values)
        if fmt is None:
            raise ValueError(why_text(values) or "the values are not numbers")
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    parsed = np.full(len(uniques) + 1, np.nan)  # the last: missing values (code -1)
    texts = np.array([str(u).strip() for u in uniques], dtype=object)
    filled = np.array([t.lower() not in MISSING for t in texts], dtype=bool)
    if fmt == NumberFormat() and _simple(texts[filled]):
        parsed[np.flatnonzero(filled)] = texts[filled].astype(float)
        return parsed[codes]
    for k, text in enumerate(str(u).strip() for u in uniques):
        if text.lower() in MISSING:
            parsed[k] = np.nan
            continue
        cell = _take_apart(text)
        value = None if cell is None or (cell.unit not in (None, fmt.unit)) else _value(cell, fmt.decimal, fmt.thousands)
        if value is None:
            raise ValueError(f"{text!r} is not a number written with decimal mark {fmt.decimal!r} and thousands "
                             f"separator {fmt.thousands!r}" + (f" in {fmt.unit}" if fmt.unit else ""))
        parsed[k] = value
    return parsed[codes]


def parse_numbers(values, fmt: NumberFormat | None = None) -> np.ndarray:
    """:func:`to_numbers` a column at a time: the same values, the same error, without looking at each cell in
    Python.

    The cells that are a bare number written ``fmt``'s way (``-1234,5``, ``1.234.567``: a minus at most, no
    unit, no space) are found in one pass of the regex engine over the cells joined, their separators
    dropped in one pass, and read by :class:`float` as :func:`to_numbers` reads them; the other cells
    (blank, missing, ``€ 1.200``, ``(500)``...) are read by :func:`to_numbers`, each distinct text once.
    A column of texts holding line breaks, or of values that are not all texts, goes to
    :func:`to_numbers` whole.

    >>> parse_numbers(["1.234,5", "NA", "-7", "(2)", " 3 ", "1.234,5"], NumberFormat(",", ".")).tolist()
    [1234.5, nan, -7.0, -2.0, 3.0, 1234.5]
    >>> parse_numbers(["1,5"], NumberFormat(".", ","))
    Traceback (most recent call last):
    ValueError: '1,5' is not a number written with decimal mark '.' and thousands separator ','
    """
    if fmt is None:
        return to_numbers(values, fmt)
    cells = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
    if cells.ndim != 1 or not len(cells):
        return to_numbers(cells, fmt)
    sample = cells[:_REPEATS_SAMPLE]
    if 5 * len(pd.unique(sample)) <= 4 * len(sample):  # cells repeat (years, blanks, round sums): each read once
        codes, uniques = pd.factorize(cells)
        if len(codes) and codes.min() < 0:  # missing values (None, NaN): not texts
            return to_numbers(cells, fmt)
        return _parse_texts(uniques, fmt)[codes]
    return _parse_texts(cells, fmt)


_REPEATS_SAMPLE = 10_000  # cells looked at to choose between reading each cell and reading each distinct cell once


def _parse_texts(cells: np.ndarray, fmt: NumberFormat) -> np.ndarray:
    """:func:`parse_numbers` of the cells as given (no two alike, or many different)."""
    try:
        joined = "\n".join(cells)
    except TypeError:  # not all text
        return to_numbers(cells, fmt)
    if joined.count("\n") != len(cells) - 1:  # a text holding a line break
        return to_numbers(cells, fmt)
    digits = joined.translate(_DROP[fmt.thousands]) if fmt.thousands is not None else joined
    if fmt.decimal != ".":
        digits = digits.replace(fmt.decimal, ".")
    if _BARE[(fmt.decimal, fmt.thousands)][0].fullmatch(joined) is not None:  # every cell a bare number (most columns)
        return np.fromiter(map(float, digits.split("\n")), dtype=float, count=len(cells))
    other = _other_lines(fmt, joined)
    lines = digits.split("\n")
    good = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) > 0  # empty cells: blank, NaN
    good[other] = False
    out = np.full(len(cells), np.nan)
    bare = np.array(lines, dtype=object)[good]
    out[good] = np.fromiter(map(float, bare), dtype=float, count=len(bare))
    codes, uniques = pd.factorize(cells[other])
    out[other] = to_numbers(uniques, fmt)[codes]  # each distinct other cell once, in the order first met
    return out


def _bare_patterns(decimal: str, thousands: str | None) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Every line a bare number written this way (one match of the whole text), the bare or empty lines ahead
    (each with its line break) and one bare line."""
    body = re.sub(r"\((?!\?)", "(?:", _body_pattern(decimal, thousands).pattern[1:-1])  # no anchors, no groups
    line = rf"-?(?:{body})"
    return re.compile(rf"(?:{line}\n)*+{line}"), re.compile(rf"(?:(?:{line})?\n)*+"), re.compile(line)


_BARE = {f: _bare_patterns(*f) for f in _FORMATS}


def _other_lines(fmt: NumberFormat, text: str) -> np.ndarray:
    """The numbers (from 0) of the lines of ``text`` that are neither empty (but perhaps the last) nor a bare
    number written ``fmt``'s way, in order: the regex engine runs over the bare and empty lines, Python looks
    at the others."""
    _, run, line = _BARE[(fmt.decimal, fmt.thousands)]
    lines, at, number = [], 0, 0
    while True:
        end = run.match(text, at).end()
        number += text.count("\n", at, end)
        stop = text.find("\n", end)
        if stop < 0:  # the last line
            if line.fullmatch(text, end) is None:
                lines.append(number)
            break
        lines.append(number)  # not taken by the run: no bare number
        number, at = number + 1, stop + 1
    return np.asarray(lines, dtype=np.int64)


def why_text(values, rows=None, word: str = "line") -> str | None:
    """Why a column of mostly numbers stays text; None when it is numbers, or when most cells are not.

    ``rows`` gives each value's line (or sheet row, with ``word="row"``) for
    the message; without it the first offending cell is quoted alone.

    >>> why_text(["12 EUR", "3 USD", "4 EUR"], rows=[2, 3, 4])
    "cells in two units: 'EUR' (line 2) and 'USD' (line 3)"
    >>> why_text(["ACME", "UniBo", "7"]) is None
    True
    """
    return _why(_distinct(values), rows, word)


def _why(distinct, rows, word: str) -> str | None:
    scan = _scan(None, distinct=distinct)
    if scan is None:
        return None
    total = int(scan.counts.sum())
    good = int(scan.counts[scan.fits].sum())
    if not total or 2 * good < total:
        return None

    def at(k: int) -> str:
        return f"{word} {int(np.asarray(rows)[scan.first[k]])}" if rows is not None else ""

    if good < total:
        bad = np.flatnonzero(~scan.fits)
        k = bad[np.argmin(scan.first[bad])]
        count = total - good
        what = "is not a number" if count == 1 else "are not numbers"
        return f"{count:,} of {total:,} cells {what}, first{' at ' + at(k) if rows is not None else ''}: {scan.texts[k]!r}"
    firsts = {}
    for k in np.argsort(scan.first, kind="stable"):
        unit = scan.cells[k].unit
        if unit is not None and unit not in firsts:
            firsts[unit] = k
    if len(firsts) < 2:
        return None
    named = [f"'{u}'" + (f" ({at(k)})" if rows is not None else "") for u, k in firsts.items()]
    count = {2: "two", 3: "three"}.get(len(named), str(len(named)))
    return f"cells in {count} units: {', '.join(named[:-1])} and {named[-1]}"
