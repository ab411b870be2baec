"""How reading words its messages (ecosys.read.messages)."""

from __future__ import annotations

from ecosys.read.messages import MAX_LISTED, list_columns, list_numbers, malformed_warning, plural


def test_plural():
    assert [plural("line", n) for n in (0, 1, 2)] == ["lines", "line", "lines"]


def test_list_numbers_shows_the_first_ten_then_how_many_more():
    assert MAX_LISTED == 10
    assert list_numbers([]) == ""
    assert list_numbers([4]) == "4"
    assert list_numbers(range(1, 11)) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    assert list_numbers(range(1, 12)) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 1 more"


def test_list_columns():
    assert list_columns(["a", "it's"]) == "'a', 'it's'"
    assert list_columns([]) == ""


def test_malformed_warning():
    assert malformed_warning("b.xlsx", "row", [7]) == (
        "b.xlsx: skipped 1 malformed row (more fields than the header): row 7")
