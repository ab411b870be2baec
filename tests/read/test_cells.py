"""Cleaning cells: names with white space collapsed, cells trimmed (ecosys.read.cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecosys.read import read_participations
from ecosys.read.cells import clean_name, clean_names, strip_cells


@pytest.mark.parametrize("value, name", [
    ("  Università\u00a0di   Bologna ", "Università di Bologna"),
    ("A\tB\r\nC", "A B C"),
    ("\u00a0\u2007 ", ""),
    ("ACME", "ACME"),
])
def test_clean_name(value, name):
    assert clean_name(value) == name


def test_clean_names_keeps_the_index_and_turns_missing_values_into_blanks():
    values = pd.Series([" a  b", None, "a b", np.nan], index=[10, 11, 12, 13], dtype=object)
    cleaned = clean_names(values)
    assert cleaned.tolist() == ["a b", "", "a b", ""]
    assert cleaned.index.tolist() == [10, 11, 12, 13] and cleaned.dtype == object
    assert clean_names(pd.Series([], dtype=object)).tolist() == []


def test_strip_cells_trims_and_says_which_are_blank():
    cells, blank = strip_cells(pd.Series([" a ", "\u00a0", "a  b ", 7], index=[5, 6, 7, 8], dtype=object))
    assert (cells.tolist(), blank.tolist(), cells.index.tolist()) == (["a", "", "a  b", "7"], [False, True, False, False],
                                                                      [5, 6, 7, 8])
    empty, none = strip_cells(pd.Series([], dtype=object))
    assert (empty.tolist(), none.tolist()) == ([], [])


def test_invisible_characters_make_no_other_partner(tmp_path):
    # a zero-width space pasted from a web page, a word joiner, a byte-order mark of a table pasted into another
    path = tmp_path / "t.csv"
    path.write_text("partner,project\nACME srl,P1\n\u200bACME srl,P2\nACME\u2060 srl\ufeff,P3\nB\u200c\u200dC,P3\n",
                    encoding="utf-8")
    p = read_participations(path)
    assert sorted(set(p.table["partner"])) == ["ACME srl", "B\u200c\u200dC"]  # joiners stay: some scripts need them


def test_the_zero_width_space_of_a_real_keep_partner_is_dropped(shared_data):
    p = read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv")
    names = set(p.table["partner"])
    assert "Institute of Entrepreneurship Development (EL)" in names
    assert not any("\u200b" in n for n in names)
