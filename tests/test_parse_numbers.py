"""ecosys.read.numbers.parse_numbers reads every column as to_numbers does: the same floats (bits), the same error."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosys.read.numbers import NumberFormat, number_format, parse_numbers, to_numbers

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(read, values, fmt):
    """The values read (as bits, so -0.0 and NaN compare), or the error's message."""
    try:
        return np.asarray(read(values, fmt), dtype=float).view(np.int64).tolist()
    except ValueError as exc:
        return str(exc)


def same(values, fmt):
    expected = outcome(to_numbers, values, fmt)
    assert outcome(parse_numbers, values, fmt) == expected
    assert outcome(parse_numbers, pd.Series(values, dtype="str" if all(isinstance(v, str) for v in values)
                                            else object), fmt) == expected
    return expected


MESSY = {
    NumberFormat(): ["12", "-3.25", "0", "-0", ".5", "1e5", "NA", "", " 7 ", "n/a", "-", "(4)", "5-", "+6", "1,5",
                     "\u22122", "12.", "007", "3.000", "٣٤"],
    NumberFormat(",", "."): ["230971380,84", "1.234.567,5", "-1.234", "12,25", "1.23", "NA", "N/A", "", "(1.200,5)",
                             "1234,5", ",5", "1.234.56", " 9 ", "1.234,5-"],
    NumberFormat(".", ","): ["9,942,108.00", "758394.29", "-1,000", "12,34", "1,2345", "null", "", "+1,000.5"],
    NumberFormat(".", " "): ["1 234", "1\u00a0234.5", "1\u202f234", "-12 345 678.9", "12  345", "1 23", "None"],
    NumberFormat(",", "'"): ["1'234,5", "1\u2019234", "-12'345", "1'23", "—", "n.a."],
    NumberFormat(",", ".", "EUR"): ["€ 1.200", "1.200 €", "EUR 12,5", "-1.200,50", "12 USD", "(€ 3)", "1.234"],
    NumberFormat(".", None, "%"): ["12 %", "-3.5%", "100", "12 EUR", "", "nan"],
}


@pytest.mark.parametrize("fmt", list(MESSY))
def test_messy_cells_read_as_to_numbers_reads_them(fmt):
    cells = MESSY[fmt]
    for k in range(len(cells)):  # every cell alone, and the column up to it (an error names the first bad cell)
        same([cells[k]], fmt)
        same(cells[: k + 1], fmt)
    good = [c for c in cells if isinstance(outcome(to_numbers, [c], fmt), list)]
    values = same(good * 3, fmt)
    assert isinstance(values, list) and len(values) == 3 * len(good)


def test_the_values_of_real_exports():
    cells = ["230971380,84", " 1", "", "12,5", "NA", "-4,25", "1,0", "NA"]
    fmt = number_format(cells)
    assert same(cells, fmt) == outcome(to_numbers, cells, None)
    assert parse_numbers(cells, fmt)[[0, 3, 5]].tolist() == [230971380.84, 12.5, -4.25]


def test_columns_it_hands_to_to_numbers_whole():
    same(["1\n2", "3"], NumberFormat())  # a line break inside a cell
    same([1, "2", None], NumberFormat())  # not all texts
    same([], NumberFormat())
    assert parse_numbers(["1,5", "2"]).tolist() == [1.5, 2.0]  # no format: found as to_numbers finds it
    with pytest.raises(ValueError):
        parse_numbers(["1", "x"])


DIGITS = st.text("0123456789", min_size=1, max_size=8)
PIECES = st.one_of(
    DIGITS,
    st.builds(lambda a, b: f"{a}.{b}", DIGITS, DIGITS),
    st.builds(lambda a, b: f"{a},{b}", DIGITS, DIGITS),
    st.builds(lambda a, s, b: f"{a}{s}{b}", st.sampled_from(["1", "12", "123", "0"]),
              st.sampled_from([".", ",", " ", "'", "\u00a0"]), st.sampled_from(["000", "234", "99", "1234"])),
    st.sampled_from(["", "NA", "-", "n/a", " ", "null", "EUR", "€ 5", "(12)", "3-", "+4", "1e3", "x", "1 %"]),
)
CELLS = st.builds(lambda sign, body, pad: f"{pad}{sign}{body}{pad}", st.sampled_from(["", "", "-", "\u2212"]),
                  PIECES, st.sampled_from(["", "", " "]))


@SETTINGS
@given(st.lists(CELLS, min_size=1, max_size=12), st.sampled_from(
    [NumberFormat(d, t, u) for d, t in ((".", None), (".", ","), (",", None), (",", "."), (".", " "), (",", "'"))
     for u in (None, "EUR")]))
def test_any_column_reads_as_to_numbers_reads_it(cells, fmt):
    same(cells, fmt)
    found = number_format(cells)
    if found is not None:
        same(cells, found)
