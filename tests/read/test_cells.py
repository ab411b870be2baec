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


def test_coded_cells_are_what_factorize_gives_for_the_cleaned_cells():
    from ecosys.read.cells import clean_coded, first_met, plain_values, strip_coded, strip_texts
    rng = np.random.default_rng(0)
    pool = np.array(["a", " a", "a ", "A", "b  c", "b c", "", "  ", "n/a", "x\u00a0", "\u200by", "y", "7"],
                    dtype=object)
    for _ in range(50):
        values = pool[rng.integers(0, len(pool), int(rng.integers(1, 80)))]
        codes, cells, changed = strip_coded(values)
        expected = pd.factorize(np.array([v.strip() for v in values], dtype=object))
        assert codes.tolist() == expected[0].tolist() and cells.tolist() == expected[1].tolist()
        assert changed == (strip_texts(pd.factorize(values)[1]) is not None)
        keys, cleaned = clean_coded(codes, cells)
        expected = pd.factorize(clean_names(pd.Series(values)).to_numpy())
        assert keys.tolist() == expected[0].tolist() and cleaned.tolist() == expected[1].tolist()
        kept = np.flatnonzero(rng.random(len(values)) < 0.5)  # rows dropped: renumbered in first-met order
        again, met = first_met(keys[kept], cleaned)
        expected = pd.factorize(cleaned[keys[kept]])
        assert again.tolist() == expected[0].tolist() and met.tolist() == expected[1].tolist()
    assert plain_values(["12.5", "public body", "x-y"]) and not plain_values(["a", "a b "])
    assert not plain_values(["a", "NA".lower()]) and not plain_values(["a\tb"]) and not plain_values(["é"])


def test_the_codes_of_a_column_are_its_cells_first_met_whatever_table_holds_it():
    import dataclasses

    from ecosys.graph import build_network
    data = b"org;project;type;amount\n B ;P2;HES;1,5\nA;P1;PRC;2\nB;P1;hes ;\n;P3;x;1\nA;P1;PRC;2\n"
    p = read_participations(__import__("io").BytesIO(data))
    reversed_ = dataclasses.replace(p, table=p.table.iloc[::-1].reset_index(drop=True))
    plain = dataclasses.replace(p, table=p.table.astype({c: object for c in p.table.columns if c != "row"}))
    for q in (p, reversed_):
        for column in ("partner", "project", "type"):
            codes, values = q.codes_of(column)
            expected = pd.factorize(q.table[column].to_numpy(dtype=object))
            assert codes.tolist() == expected[0].tolist() and values.tolist() == expected[1].tolist()
    assert plain.codes_of("partner") is None and p.codes_of("row") is None
    assert str(plain.compacted().table["partner"].dtype) == "category"
    assert str(p.table["amount"].dtype) == "category" and plain.table["amount"].dtype == object
    np.testing.assert_array_equal(p.numbers_of("amount"), plain.numbers_of("amount"))  # read from the categories
    np.testing.assert_array_equal(p.numbers_of("amount"), [1.5, 2.0, np.nan])  # the row without a partner left out
    pd.testing.assert_frame_equal(plain.compacted().table, p.table)
    net, again = build_network(p), build_network(plain)
    pd.testing.assert_frame_equal(net.partners, again.partners)
    pd.testing.assert_frame_equal(net.projects, again.projects)
    pd.testing.assert_frame_equal(net.edges, again.edges)


@pytest.mark.parametrize("categories", [["a", "b", "c"], ["c", "a", "b"], ["a", "b", "c", "z"], ["z", "b", "a", "c"]])
def test_sorted_codes_of_categories_are_those_of_their_texts(categories):
    from ecosys.read.cells import sorted_codes
    texts = ["b", "a", "c", "b", "a"]
    keys = pd.Series(pd.Categorical(texts, categories=categories))
    codes, distinct = sorted_codes(keys)
    expected_codes, expected = pd.factorize(np.array(texts, dtype=object), sort=True)
    assert codes.tolist() == expected_codes.tolist() and distinct.tolist() == expected.tolist()
    assert distinct.dtype == object


def test_as_categories_only_for_texts_that_repeat():
    from ecosys.read.cells import as_categories
    amounts = np.array([f"{i}.5" for i in range(200_000)], dtype=object)
    assert as_categories(amounts) is not None and isinstance(as_categories(amounts), np.ndarray)
    late = np.array([f"x{i}" for i in range(70_000)] + ["a"] * 200_000, dtype=object)  # distinct at first
    assert isinstance(as_categories(late), np.ndarray)  # judged on the first cells: not hashed whole
    assert isinstance(as_categories(late, sample=len(late)), pd.Categorical)
    for odd in (["a", None, "a", "a"], ["a", 1, "a", "a"], ["a", float("nan"), "a", "a"]):
        assert isinstance(as_categories(np.array(odd, dtype=object)), np.ndarray), odd
    assert isinstance(as_categories(np.array(["lead", "member", "member", "lead", ""], dtype=object)), np.ndarray)
    roles = as_categories(np.array(["lead", "member", "member", "lead", "", "lead"], dtype=object))  # 3 of 6
    assert roles.tolist() == ["lead", "member", "member", "lead", "", "lead"]
    assert roles.categories.tolist() == ["", "lead", "member"] and roles.categories.dtype == object
    assert roles.codes.dtype == np.int8
    again = as_categories(pd.Categorical(["b", "a", "b"], categories=["z", "b", "a"]))
    assert again.tolist() == ["b", "a", "b"] and again.categories.tolist() == ["a", "b"]  # unused dropped, sorted
