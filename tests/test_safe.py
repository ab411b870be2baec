"""ecosys.safe: the page's JSON and the CSV text, checked against the plain ways of writing them."""

import csv
import io
import json
import random

import jinja2
import numpy as np
import pandas as pd
import pytest

from ecosys.limits import bounded
from ecosys.safe import csv_pieces, csv_text, guard_formula, page_json

_PIECES = ["a", "é", "<", ">", "&", "'", '"', "\\", "\n", "</script>", "€", "\u2028", "=", "-", "1"]


def _text(rng: random.Random, long: bool) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.choice([0, 3, 9, 40] + ([990, 999, 1000, 1001, 1500] if long else []))))


def _payload(rng: random.Random, depth: int = 0, long: bool = False):
    kind = rng.randrange(6 if depth < 3 else 3)
    if kind == 0:
        return _text(rng, long)
    if kind == 1:
        return rng.choice([0, -3, 2.5, 1e-7, None, True, float(rng.random())])
    if kind == 2:
        return rng.randrange(10**6)
    if kind == 3:
        return [_payload(rng, depth + 1, long) for _ in range(rng.randrange(5))]
    if kind == 4:
        return tuple(_payload(rng, depth + 1, long) for _ in range(rng.randrange(3)))
    return {_text(rng, long): _payload(rng, depth + 1, long) for _ in range(rng.randrange(5))}


@pytest.mark.parametrize("seed", range(300))
def test_page_json_is_jinja_tojson_of_the_bounded_payload(seed):
    rng = random.Random(seed)
    payload = {"nodes": _payload(rng, long=seed % 2 == 0), "title": _text(rng, True)}
    expected = jinja2.Environment().from_string("{{ p|tojson }}").render(p=bounded(payload))
    assert str(page_json(payload)) == expected
    assert "</" not in str(page_json(payload))


def test_a_long_name_behind_an_escaped_quote_is_cut():
    name = '\\"' * 600  # in JSON, 2,400 characters with a quote every fourth
    assert str(page_json({"n": name})) == jinja2.Environment().from_string("{{ p|tojson }}").render(p=bounded({"n": name}))
    assert len(page_json({"n": name})) < 2500


def _csv_as_before(table: pd.DataFrame) -> str:
    """csv_text as ecosys wrote it before it wrote CSV itself: pandas' to_csv of guarded cells."""
    columns = {}
    for c in table.columns:
        values = table[c]
        if pd.api.types.is_float_dtype(values):
            columns[guard_formula(c)] = ["" if x != x else "%.6g" % x for x in values.tolist()]
        elif pd.api.types.is_integer_dtype(values) and values.hasnans:
            columns[guard_formula(c)] = ["" if x is pd.NA else int(x) for x in values.tolist()]
        elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            columns[guard_formula(c)] = values.to_numpy()
        else:
            columns[guard_formula(c)] = [guard_formula(v) for v in values.tolist()]
    return pd.DataFrame(columns, index=table.index).to_csv(index=False, lineterminator="\n")


_CELLS = ["", " ", "Comune", "=1+1", "-3.70", "-A1", "+39 011", "@SUM(A1)", "\tx", "a,b", 'say "hi"', "two\nlines",
          "x\n=1", "Città", "€", None]


@pytest.mark.parametrize("seed", range(60))
def test_csv_text_writes_what_pandas_to_csv_of_the_guarded_cells_wrote(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 30))
    floats = rng.choice([0.0, -0.0, 1 / 3, 2.0, 1e-7, 123456789.0, np.nan, np.inf, -np.inf, 0.1234567], size=n)
    texts = [_CELLS[k] for k in rng.integers(0, len(_CELLS), size=n)]
    table = pd.DataFrame({
        "name": pd.array([t if t is not None else np.nan for t in texts], dtype="str"),
        "=share": floats,
        "count": rng.integers(-5, 5, size=n),
        "maybe": pd.array([None if k == 0 else int(k) for k in rng.integers(0, 4, size=n)], dtype="Int64"),
        "flag": rng.integers(0, 2, size=n).astype(bool),
        "mixed": pd.Series([texts[k] if k % 3 else k * 0.5 for k in range(n)], dtype=object),
        "small": floats.astype(np.float32),
    }).iloc[:, rng.permutation(7)[: int(rng.integers(1, 8))]]
    text = csv_text(table)
    assert text == _csv_as_before(table)


@pytest.mark.parametrize("seed", range(20))
def test_csv_pieces_of_a_few_rows_join_to_what_pandas_wrote(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    texts = [_CELLS[k] for k in rng.integers(0, len(_CELLS) - 1, size=n)]  # line breaks, quotes, commas; no None
    table = pd.DataFrame({
        "name": texts,
        "big": rng.integers(-10**12, 10**12, size=n),
        "small": rng.integers(0, 3, size=n).astype(np.uint8),
        "share": rng.choice([0.5, np.nan, -0.0], size=n),
        "obj": pd.Series([None if k % 4 == 0 else (k if k % 4 == 1 else f"t{k},") for k in range(n)], dtype=object),
    })
    assert "".join(csv_pieces(table, rows=int(rng.integers(1, 7)))) == _csv_as_before(table)


def test_csv_text_of_dates_and_of_a_table_without_columns_is_pandas_text():
    table = pd.DataFrame({"when": pd.to_datetime(["2020-01-02", None]), "who": ["=x", "y"]})
    assert csv_text(table) == _csv_as_before(table) == "when,who\n2020-01-02,'=x\n,y\n"
    assert csv_text(pd.DataFrame(index=range(2))) == _csv_as_before(pd.DataFrame(index=range(2)))


def test_a_long_name_without_escapes_is_cut_and_long_lists_of_numbers_are_not_names():
    numbers = list(range(5000))  # 24,000 characters without a quote
    assert str(page_json({"n": "a" * 1001, "v": numbers})) == json.dumps({"n": "a" * 999 + "…", "v": numbers},
                                                                          sort_keys=True).replace("…", "\\u2026")
    assert str(page_json({"n": "a" * 1000, "v": numbers})) == json.dumps({"n": "a" * 1000, "v": numbers}, sort_keys=True)


def test_a_carriage_return_in_a_cell_is_quoted_and_no_formula_starts_the_next_line():
    # (cells starting with a CR are in this test, not in the comparison with the former writer above)
    # csv's writer (Python < 3.12, lines ending in "\n") left a lone CR unquoted: spreadsheets end the row
    # there and would run "=1+1" as the next row's first cell
    table = pd.DataFrame({"name": ["Comune", "Roma\r=1+1"], "share": [0.5, 2.0], "city\rx": ["a", "\r=2"]})
    for text in (csv_text(table), csv_text(table.assign(when=pd.to_datetime(["2020-01-01", "2021-02-03"])))):
        lines = text.split("\n")
        assert all(not line.startswith("=") for part in lines for line in part.split("\r")[1:] if not part.startswith('"'))
        rows = list(csv.reader(io.StringIO(text)))
        assert [r[0] for r in rows] == ["name", "Comune", "Roma\r=1+1"]
        assert rows[0][2] == "city\rx" and rows[2][1:3] == ["2", "'\r=2"]
    assert csv_text(table.iloc[:1, :2]) == "name,share\nComune,0.5\n"  # no CR: minimal quoting as before


def test_categorical_columns_are_written_as_their_values_with_missing_ones_blank():
    table = pd.DataFrame({"n": pd.Categorical([1, None]), "t": pd.Categorical(["=x", None]),
                          "f": pd.Categorical([1.5, None])})
    assert csv_text(table) == "n,t,f\n1,'=x,1.5\n,,\n"
