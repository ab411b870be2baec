"""ecosys.safe: the page's JSON and the CSV text, checked against the plain ways of writing them."""

import csv
import io
import random

import jinja2
import numpy as np
import pandas as pd
import pytest

from ecosys.limits import bounded
from ecosys.safe import csv_text, guard_formula, page_json

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
