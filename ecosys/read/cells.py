"""Cleaning cells: names with their white space collapsed, cells trimmed.

Partner and project names are compared after :func:`clean_name` ("  ACME
srl " and "ACME  srl" are one partner); other cells are only trimmed
(:func:`strip_cells`). Both work once per distinct value, since the columns
of a participation table repeat a lot.

Example
-------
>>> import pandas as pd
>>> from ecosys.read.cells import clean_names
>>> clean_names(pd.Series(["  ACME\\u00a0srl ", "ACME  srl", ""])).tolist()
['ACME srl', 'ACME srl', '']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["INVISIBLE", "MISSING", "clean_name", "clean_names", "clean_texts", "fold", "strip_cells"]

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
    joined = _visible("\x00".join(texts))
    if not texts or joined.count("\x00") != len(texts) - 1:
        return [clean_name(t) for t in texts]
    # NUL is no white space: split() and join() collapse every run (and trim both ends), then the one space
    # left on either side of each NUL goes
    return " ".join(joined.split()).replace(" \x00", "\x00").replace("\x00 ", "\x00").split("\x00")


def clean_names(values: pd.Series) -> pd.Series:
    """:func:`clean_name` for a column of text (missing values become ``""``), same index.

    >>> clean_names(pd.Series([" a  b", None])).tolist()
    ['a b', '']
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object, na_value=""))
    cleaned = np.array(clean_texts([str(u) for u in uniques]), dtype=object)
    return pd.Series(cleaned[codes] if len(codes) else np.array([], dtype=object), index=values.index, dtype=object)


def strip_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Every cell as trimmed text, and which cells are blank.

    >>> cells, blank = strip_cells(pd.Series([" a ", "  ", 3]))
    >>> cells.tolist(), blank.tolist()
    (['a', '', '3'], [False, True, False])
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    cleaned = np.array([str(u).strip() for u in uniques], dtype=object)
    if not len(codes):
        return pd.Series(np.array([], dtype=object), index=values.index, dtype=object), np.zeros(0, dtype=bool)
    return pd.Series(cleaned[codes], index=values.index, dtype=object), (cleaned == "")[codes]
