"""The whole-graph page's data (ecosys/whole.py) outside the browser: its numbers and its layout."""

from __future__ import annotations

import json

import numpy as np

from ecosys.whole import _significant, _significant_values


def test_the_rounding_on_arrays_gives_the_numbers_of_the_rounding_one_by_one():
    rng = np.random.default_rng(1)
    values = np.concatenate([
        rng.uniform(-1, 1, 50_000),
        10.0 ** rng.uniform(-30, 30, 50_000) * rng.choice([-1, 1], 50_000),  # tiny to huge, both signs
        rng.integers(-10**6, 10**6, 20_000).astype(float),  # whole numbers: ints
        np.concatenate([np.round(rng.uniform(0, 10, 5_000), d) for d in range(8)]),  # few decimals
        10.0 ** rng.integers(-25, 25, 5_000),  # powers of ten: the edges of the exponent
        # decimal ties of the fifth digit (1.2345, 0.0012345...), rounded either way by their binary value
        rng.integers(10**4, 10**5, 20_000) / 10.0 ** rng.integers(0, 12, 20_000),
        [0.0, -0.0, np.nan, np.inf, -np.inf, 1e15, 1e15 - 1, -1e15, 9.9995, 0.00012345, 1.2345, 12345.5, 99995.0,
         9999.5, 0.099995, 0.5, 2.5, -2.5, 5e-324, 1e-310, 1.7976931348623157e308, -1.7976931348623157e308],
    ])
    fast = _significant_values(values)
    slow = [_significant(v) for v in values.tolist()]
    assert json.dumps(fast) == json.dumps(slow)  # the same text in the page
    assert [type(v) for v in fast] == [type(v) for v in slow]  # ints as ints, None for NaN and infinities
    assert fast[-22:-17] == [0, 0, None, None, None] and _significant_values(np.array([])) == []
