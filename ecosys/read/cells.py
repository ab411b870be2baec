"""Cleaning cells: names with their white space collapsed, cells trimmed.

Partner and project names are compared after :func:`clean_name` ("  ACME
srl " and "ACME  srl" are one partner); other cells are only trimmed
(:func:`strip_cells`). Both work once per distinct value, since the columns
of a participation table repeat a lot; and for the same reason a column
whose texts repeat is held as categories, a small code a cell
(:func:`as_categories`), its distinct texts sorted (:func:`sorted_codes`).

Example
-------
>>> import pandas as pd
>>> from ecosys.read.cells import clean_names
>>> clean_names(pd.Series(["  ACME\\u00a0srl ", "ACME  srl", ""])).tolist()
['ACME srl', 'ACME srl', '']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["INVISIBLE", "MISSING", "as_categories", "clean_coded", "coded_categories", "clean_name", "clean_names", "clean_texts",
           "first_met", "fold", "merged_codes", "plain_values", "sorted_codes", "strip_cells", "strip_coded",
           "strip_texts"]

# Cells that say a value is missing (compared case-insensitively): blank when values are compared or read as
# numbers (they stay in the table as written).
MISSING = frozenset({"", "-", "--", "\u2013", "\u2014", "na", "n/a", "n.a.", "nan", "null", "none"})


# Invisible characters that are no part of a name: zero-width space (pasted from web pages: keep.eu has a
# partner "\u200b Institute of ..."), word joiner, and the byte-order mark of a file pasted into another.
# (Zero-width joiners and non-joiners stay: Persian and Indic names need them.)
INVISIBLE = ("\u200b", "\u2060", "\ufeff")


def _visible(text: str) -> str:
    for c in INVISIBLE:
        if c in text:
            text = text.replace(c, "")
    return text


def clean_name(value: str) -> str:
    """Collapse runs of white space (including non-breaking spaces), drop :data:`INVISIBLE` characters and trim.

    >>> clean_name("  Università\\u00a0di   Bologna "), clean_name("\\u200b Institute\\ufeff")
    ('Università di Bologna', 'Institute')
    """
    return " ".join(_visible(value).split())


def fold(value: str) -> str:
    """A value as compared with others: case folded, white space collapsed (``"Public "`` = ``"public"``).

    >>> fold("  Public\u00a0 Body"), fold("STRASSE") == fold("Straße")
    ('public body', True)
    """
    return " ".join(_visible(value).split()).casefold()


def clean_texts(texts: list) -> list:
    """:func:`clean_name` of each text, in a few passes over them all joined (texts holding NUL: one by one).

    >>> clean_texts([" a\u00a0 b ", "", "c  "])
    ['a b', '', 'c']
    """
    cleaned = _cleaned(texts)
    return list(texts) if cleaned is None else cleaned


def _cleaned(texts) -> list | None:
    """:func:`clean_texts`, or None when every text is clean already (found without splitting them)."""
    raw = "\x00".join(texts)
    if len(texts) and raw.count("\x00") == len(texts) - 1 and _clean_as_is(raw):
        return None
    joined = _visible(raw)
    if not len(texts) or joined.count("\x00") != len(texts) - 1:
        return [clean_name(t) for t in texts]
    # NUL is no white space: split() and join() collapse every run (and trim both ends), then the one space
    # left on either side of each NUL goes
    return " ".join(joined.split()).replace(" \x00", "\x00").replace("\x00 ", "\x00").split("\x00")


_ASCII_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # white space besides " " (str.split's, in ASCII)


def _clean_as_is(joined: str) -> bool:
    """True when :func:`clean_name` leaves each text of ``joined`` (texts joined by NUL) as it is: ASCII text
    with single spaces inside, no other white space (a few scans of the C string functions)."""
    return (joined.isascii() and "  " not in joined and " \x00" not in joined and "\x00 " not in joined
            and not joined.startswith(" ") and not joined.endswith(" ") and not any(c in joined for c in _ASCII_SPACES))


def plain_values(texts, blank: bool = False) -> bool:
    """True when :func:`fold` leaves every text as it is (ASCII, in lower case, single spaces inside) and
    none is a missing-value cell (:data:`MISSING`; with ``blank``, ``""`` may be among them), found in a
    few passes over them all joined: the values are then compared as they are.

    >>> plain_values(["12.5", "public body"]), plain_values(["Public"]), plain_values(["x", "n/a"])
    (True, False, False)
    >>> plain_values(["x", ""]), plain_values(["x", ""], blank=True)
    (False, True)
    """
    try:
        joined = "\x00".join(texts)
    except TypeError:  # not all text
        return False
    if not len(texts) or joined.count("\x00") != len(texts) - 1 or not _clean_as_is(joined) or joined.lower() != joined:
        return False
    wrapped = f"\x00{joined}\x00"
    return all(f"\x00{m}\x00" not in wrapped for m in MISSING if m and m.isascii()) and (
        blank or "\x00\x00" not in wrapped)


def clean_names(values: pd.Series) -> pd.Series:
    """:func:`clean_name` for a column of text (missing values become ``""``), same index.

    >>> clean_names(pd.Series([" a  b", None])).tolist()
    ['a b', '']
    """
    codes, cleaned = clean_coded(*pd.factorize(values.to_numpy(dtype=object, na_value="")))
    return pd.Series(cleaned[codes] if len(codes) else np.array([], dtype=object), index=values.index, dtype=object)


def clean_coded(codes: np.ndarray, uniques) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clean_name` of coded cells (``codes`` into distinct ``uniques``): the cleaned cells' codes and
    distinct values, in the order :func:`pandas.factorize` gives them (two values cleaned alike merge).

    >>> codes, cleaned = clean_coded(np.array([0, 1, 2, 1]), np.array([" a", "a ", "b"], dtype=object))
    >>> codes.tolist(), cleaned.tolist()
    ([0, 0, 1, 0], ['a', 'b'])
    """
    try:
        cleaned = _cleaned(uniques)
    except TypeError:  # not all text
        cleaned = clean_texts([str(u) for u in uniques])
    if cleaned is None:  # each value clean already: distinct already
        return codes.astype(np.int32), np.asarray(uniques, dtype=object)
    return merged_codes(codes, cleaned)


def strip_coded(values) -> tuple[np.ndarray, np.ndarray, bool]:
    """Every cell trimmed, as codes (4 bytes each) into the distinct trimmed cells, and whether a cell
    changed: the values are hashed once, then each distinct one is trimmed (cells trimmed alike merge).
    The codes and values are those :func:`pandas.factorize` gives for the trimmed cells.

    >>> codes, cells, changed = strip_coded(np.array([" a ", "  ", "a", 3], dtype=object))
    >>> codes.tolist(), cells.tolist(), changed
    ([0, 1, 0, 2], ['a', '', '3'], True)
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    stripped = strip_texts(uniques)
    if stripped is None and (not len(codes) or codes.min() >= 0):  # nothing to trim: distinct already
        return codes.astype(np.int32), np.asarray(uniques, dtype=object), False
    return (*merged_codes(codes, list(uniques) if stripped is None else stripped), True)


_SPACE_AFTER_NUL = re.compile(r"\x00\s")  # a literal first: searched fast (a class first is tried everywhere)


def strip_texts(texts) -> list | None:
    """Each text (or value, as text) trimmed, as :meth:`str.strip` trims it; None when no text has white space
    at either end (most columns), found in one pass over them all joined.

    >>> strip_texts([" a", "b "]), strip_texts(["a b", "c"]), strip_texts([1, " x"])
    (['a', 'b'], None, ['1', 'x'])
    """
    try:
        joined = "\x00".join(texts)
    except TypeError:  # not all text (a workbook's numbers)
        joined = None
    if joined is not None and joined.count("\x00") == len(texts) - 1 and not (
            joined[:1].isspace() or joined[-1:].isspace() or _SPACE_AFTER_NUL.search(joined)
            or _SPACE_AFTER_NUL.search(joined[::-1])):  # white space after a text: before a NUL, reversed
        return None
    return [str(u).strip() for u in texts]


def merged_codes(codes: np.ndarray, texts: list) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``texts`` (one per code; some may be equal) as int32 codes into the distinct texts. Codes
    numbered in the order first met (:func:`pandas.factorize`'s) stay so: the result is then what
    :func:`pandas.factorize` of the texts of the cells gives (a code of -1, a missing cell, takes the last text).

    >>> codes, distinct = merged_codes(np.array([0, 1, 2, 0]), ["a", "b", "a"])
    >>> codes.tolist(), distinct.tolist()
    ([0, 1, 0, 0], ['a', 'b'])
    """
    merged, distinct = pd.factorize(np.array(texts, dtype=object))
    merged = merged.astype(np.int32)
    return (merged[codes] if len(codes) else np.zeros(0, dtype=np.int32)), np.asarray(distinct, dtype=object)


def first_met(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into distinct ``uniques`` renumbered in the order first met, the values never met left out:
    :func:`pandas.factorize` of ``uniques[codes]`` without hashing a text (after rows were dropped).

    >>> codes, values = first_met(np.array([2, 0, 2]), np.array(["a", "b", "c"], dtype=object))
    >>> codes.tolist(), values.tolist()
    ([0, 1, 0], ['c', 'a'])
    """
    n = len(codes)
    first = np.full(len(uniques), n, dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the last written, the first met
    order = np.argsort(first, kind="stable")[: int(np.count_nonzero(first < n))]
    renumber = np.zeros(len(uniques), dtype=np.int32)
    renumber[order] = np.arange(len(order), dtype=np.int32)
    return renumber[codes], np.asarray(uniques, dtype=object)[order]


def strip_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Every cell as trimmed text, and which cells are blank (:func:`strip_coded`).

    >>> cells, blank = strip_cells(pd.Series([" a ", "  ", 3]))
    >>> cells.tolist(), blank.tolist()
    (['a', '', '3'], [False, True, False])
    """
    codes, cleaned, _ = strip_coded(values.to_numpy(dtype=object))
    return pd.Series(cleaned[codes], index=values.index, dtype=object), (cleaned == "")[codes]


def sorted_codes(keys: pd.Series | np.ndarray, coded: tuple | None = None) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(keys, sort=True)``, from the codes reading kept (``coded``: ``(codes, distinct)``, see
    :meth:`ecosys.read.Participations.codes_of`) when it did, or from categories: only the distinct keys are
    sorted (categories sorted already, each met: not even those), no text hashed.

    >>> codes, keys = sorted_codes(pd.Series(["b", "a", "b"]), (np.array([0, 1, 0]), np.array(["b", "a"], dtype=object)))
    >>> codes.tolist(), keys.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    if isinstance(keys.dtype, pd.CategoricalDtype):  # in the texts' order, whatever the categories'
        codes, categories = keys.cat.codes.to_numpy(), keys.cat.categories
        if categories.is_monotonic_increasing and (not len(codes) or codes.min() >= 0) and \
                np.bincount(codes, minlength=len(categories)).all():  # sorted, each met: the codes already
            return codes.astype(np.int64), pd.Index(categories, dtype=object)
        codes, uniques = pd.factorize(keys)
        coded = codes, np.asarray(uniques, dtype=object)
    if coded is None:
        return pd.factorize(keys, sort=True)
    codes, uniques = coded
    uniques = np.asarray(uniques, dtype=object)
    order = np.argsort(_sortable(uniques), kind="stable")  # distinct texts: one order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    ranked = rank[codes]
    if len(codes) and codes.min() < 0:  # a missing key stays missing (-1), as pd.factorize gives it
        ranked[codes < 0] = -1
    return ranked, pd.Index(uniques[order], dtype=object)


def _sortable(texts: np.ndarray) -> np.ndarray:
    """``texts`` as an array that sorts as Python sorts them, fast: fixed-width text (code points compared in
    C, not one Python comparison at a time) when it stays small and no text holds NUL (fixed-width text
    drops trailing NULs); else as they are."""
    if not len(texts):
        return texts
    try:
        joined = "\x00".join(texts)
    except TypeError:  # not all text
        return texts
    if joined.count("\x00") != len(texts) - 1:
        return texts
    width = max(map(len, texts))
    return texts.astype(f"U{width}") if 4 * width * len(texts) <= 2**28 else texts


def as_categories(values, sample: int = 65_536):
    """Texts (one a row) as a :class:`pandas.Categorical` of their distinct texts, sorted, when they repeat (at most
    half as many distinct texts as cells: a country, a role; judged first on the first ``sample`` cells, so that a
    column of amounts is not hashed whole); else as an array of objects, as they are.

    A cell is then a code of 1 to 4 bytes, not an 8-byte pointer; the cells read, compare and sort as their texts.

    >>> as_categories(np.array(["IT", "FR", "IT", "IT"], dtype=object)).tolist(), as_categories(["a", "b"]).tolist()
    (['IT', 'FR', 'IT', 'IT'], ['a', 'b'])
    >>> as_categories(["IT", "FR", "IT", "IT"]).categories.tolist(), type(as_categories(["a", "b"])).__name__
    (['FR', 'IT'], 'ndarray')
    """
    if isinstance(values, pd.Series | pd.Index) and isinstance(values.dtype, pd.CategoricalDtype):
        values = values.array
    if isinstance(values, pd.Categorical):
        ranked, keys = sorted_codes(pd.Series(values))
        return pd.Categorical.from_codes(ranked, dtype=pd.CategoricalDtype(keys), validate=False)
    values = np.asarray(values, dtype=object)
    head = values[:sample]
    if 2 * len(pd.unique(head)) > len(head):
        return values
    codes, uniques = pd.factorize(values)
    categories = coded_categories(codes, uniques) if 2 * len(uniques) <= len(values) else None
    return values if categories is None else categories


def coded_categories(codes: np.ndarray, uniques) -> pd.Categorical | None:
    """Cells given as codes into their distinct values (``pd.factorize``'s, or reading's) as a
    :class:`pandas.Categorical` of those values sorted; None when a cell is missing (-1) or a value is no text.

    >>> coded_categories(np.array([0, 1, 0]), np.array(["IT", "FR"], dtype=object)).categories.tolist()
    ['FR', 'IT']
    >>> coded_categories(np.array([0, -1]), np.array(["IT"], dtype=object)) is None
    True
    """
    if (len(codes) and codes.min() < 0) or pd.api.types.infer_dtype(uniques, skipna=False) not in ("string", "empty"):
        return None
    ranked, keys = sorted_codes(np.asarray(uniques, dtype=object), (codes, uniques))  # distinct, in range: no check
    return pd.Categorical.from_codes(ranked, dtype=pd.CategoricalDtype(keys), validate=False)
