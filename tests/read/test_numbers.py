"""Numbers recognised by content (ecosys.read.numbers), in the participations read and in summary.json."""

from __future__ import annotations

import json
import math

import pytest

from ecosys.read import read_participations
from ecosys.read.numbers import NumberFormat, number_format, to_numbers, why_text
from .files import write


@pytest.mark.parametrize("cells, fmt, values", [
    # decimal comma, as CORDIS writes its amounts (and a leading space)
    (["230971380,84", " 1", "12,5"], NumberFormat(","), [230971380.84, 1, 12.5]),
    # thousands commas and a decimal point, as keep.eu writes its budgets; Excel's plain floats fit too
    (["9,942,108.00", "758394.29", "12"], NumberFormat(".", ","), [9942108.0, 758394.29, 12]),
    # the other way round
    (["9.942.108,00", "1.234", "7,5"], NumberFormat(",", "."), [9942108.0, 1234, 7.5]),
    # spaces of every kind, apostrophes of both kinds
    (["1 234,5", "1\u00a0234 567", "1\u202f000"], NumberFormat(",", " "), [1234.5, 1234567, 1000]),
    (["1'234.50", "1\u2019000"], NumberFormat(".", "'"), [1234.5, 1000]),
    # currency signs and codes, before or after, with or without a space
    (["€ 1.200,00", "3,50 €", "EUR 7", "-€5", "(2) €", "€ (3)"], NumberFormat(",", ".", "EUR"), [1200, 3.5, 7, -5, -2, -3]),
    (["$1,200", "USD 3"], NumberFormat(".", ",", "USD"), [1200, 3]),
    (["12%", "5,5 %"], NumberFormat(",", None, "%"), [12, 5.5]),
    # negatives: minus, the minus sign, parentheses, a trailing minus
    (["-1", "\u22122", "(3)", "4-", "+5"], NumberFormat(), [-1, -2, -3, -4, 5]),
    # what Python writes for large and small floats
    (["1.5e+20", "2e-05"], NumberFormat(), [1.5e20, 2e-5]),
])
def test_a_column_is_numbers_when_every_cell_reads_one_way(cells, fmt, values):
    assert number_format(cells) == fmt
    assert to_numbers(cells, fmt).tolist() == pytest.approx(values)


def test_cells_that_fit_one_reading_only_decide_an_ambiguous_column():
    assert number_format(["1,234", "5,678"]) == NumberFormat(".", ",")  # English by default: 1234
    assert number_format(["1,234", "1,5"]) == NumberFormat(",")  # "1,5" decides: a decimal comma
    assert number_format(["0,500", "1,234"]) == NumberFormat(",")  # no thousands group starts with 0
    assert number_format(["1.234"]) == NumberFormat(".")
    assert number_format(["1.234", "1.234.567"]) == NumberFormat(",", ".")
    # money has no thousandths: "€ 1.000" is a thousand euros, "€ 1,000" too
    assert number_format(["€ 10", "€ 1.000"]) == NumberFormat(",", ".", "EUR")
    assert number_format(["€ 10", "€ 1,000"]) == NumberFormat(".", ",", "EUR")
    assert number_format(["10 %", "1.000 %"]) == NumberFormat(".", None, "%")


@pytest.mark.parametrize("cells", [
    ["1", "2", "n/d"], ["12 EUR", "3 USD"], ["1,5", "1.234,5", "2.5"], ["+39 06 1234567"], ["2016-01-01"],
    ["1.2.3"], ["12 34"], ["(1"], ["--1"], ["ACME", "UniBo"], [], ["", "n/a", "-"],
])
def test_what_is_not_numbers(cells):
    assert number_format(cells) is None


def test_blank_and_missing_cells_are_left_out():
    cells = ["1,5", "", "-", "NA", "n/a", "null", "2"]
    assert number_format(cells) == NumberFormat(",")
    values = to_numbers(cells)
    assert [v for v in values if not math.isnan(v)] == [1.5, 2.0] and sum(math.isnan(v) for v in values) == 5


def test_why_a_column_of_mostly_numbers_stays_text():
    cells = ["1"] * 116 + ["n/d", "2", "x", "y"]
    rows = list(range(2, 122))
    assert why_text(cells, rows) == "3 of 120 cells are not numbers, first at line 118: 'n/d'"
    assert why_text(cells, rows, word="row") == "3 of 120 cells are not numbers, first at row 118: 'n/d'"
    assert why_text(cells) == "3 of 120 cells are not numbers, first: 'n/d'"
    assert why_text(["12 EUR", "3 USD", "1 %"], [2, 3, 4]) == (
        "cells in three units: 'EUR' (line 2), 'USD' (line 3) and '%' (line 4)")
    assert why_text(["ACME", "UniBo", "1"]) is None  # mostly text: nothing to explain
    assert why_text(["1", "2"]) is None  # numbers


def test_to_numbers_refuses_a_cell_written_another_way():
    with pytest.raises(ValueError, match="'1,5' is not a number written with decimal mark '.'"):
        to_numbers(["1,5"], NumberFormat(".", ","))
    with pytest.raises(ValueError, match="'3 USD' is not a number"):
        to_numbers(["3 USD"], NumberFormat(unit="EUR"))
    with pytest.raises(ValueError, match="1 of 2 cells is not a number"):
        to_numbers(["1", "x"])


def test_reading_says_which_columns_are_numbers_and_why_others_are_not(tmp_path):
    data = ("org;project;budget;share;code\n"
            "A;P1;1.234,50 €;10%;7\n"
            "B;P1;;20%;n/d\n"
            "B;P2;(12,00) €;5%;9\n").encode()
    p = read_participations(write(tmp_path, "t.csv", data))
    assert p.numbers == {"budget": NumberFormat(",", ".", "EUR"), "share": NumberFormat(".", None, "%")}
    assert p.numbers_of("budget").tolist()[::2] == [1234.5, -12.0] and math.isnan(p.numbers_of("budget")[1])
    assert p.report.not_numbers == {"code": "1 of 3 cells is not a number, first at line 3: 'n/d'"}
    assert p.table["budget"].tolist() == ["1.234,50 €", "", "(12,00) €"]  # the cells stay as written
    with pytest.raises(KeyError, match="'code' is not a column of numbers: 1 of 3 cells"):
        p.numbers_of("code")


def test_summary_json_says_how_numbers_are_written(tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    data = b"org;project;cost\nA;P1;1.234,5\nB;P1;7\nB;P2;n/d\nC;P2;2,5\n"
    path = write(tmp_path, "t.csv", data)
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["not_numbers"] == {"cost": "1 of 4 cells is not a number, first at line 4: 'n/d'"}
    data = b"org;project;cost\nA;P1;1.234,5\nB;P1;7\nC;P2;2,5\n"
    path = write(tmp_path, "t.csv", data)
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(tmp_path / "out"), "-q"])
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["numbers"] == {"cost": {"decimal": ",", "thousands": ".", "unit": None}}


def test_real_amounts_are_numbers(shared_data):
    cordis = read_participations(shared_data / "cordis-h2020-sod2016")
    for column in ("totalCost", "ecMaxContribution", "totContribution"):
        assert cordis.numbers[column] == NumberFormat(","), column
    assert cordis.numbers["numProj"] == NumberFormat()
    first = cordis.table.index[cordis.table["totalCost"] == "230000,00"][0]
    assert cordis.numbers_of("totalCost")[first] == 230000.0
    keep = read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420.xlsx")
    assert keep.numbers["Budget"] == NumberFormat(".", ",")
    assert keep.numbers_of("Budget")[0] == 2309253.85  # "2,309,253.85"
    assert keep.report.not_numbers["Postal code"] == "1,923 of 7,826 cells are not numbers, first at row 4: 'IT-38122'"
