"""The whole-graph page's data (ecosys/whole.py) outside the browser: its numbers and its layout."""

from __future__ import annotations

import json

import numpy as np

from ecosys.whole import _json, _significant, _significant_values


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



def test_the_page_json_is_json_dumps_sorted_and_compact_whatever_the_numbers():
    rng = np.random.default_rng(2)
    floats = np.concatenate([rng.uniform(-1, 1, 3_000), 10.0 ** rng.uniform(-30, 30, 3_000),
                             rng.integers(-50, 50, 3_000) / 8.0, [0.0, -0.0, 5e-324, 1e16, 1e22, 0.1, 1.7976931348623157e308]])
    floats = floats.tolist()
    ints = rng.integers(-2**62, 2**62, 2_000).tolist() + [0, -1, 2**53 - 1, -(2**53) + 1]
    mixed = [v for pair in zip(floats, ints + [None] * len(floats)) for v in pair]  # ints, floats and Nones
    cases = [
        floats, ints, mixed, [None] * 1500 + [0.5], [1] * 2000, [int(v) for v in ints if abs(v) < 2**53] + [0.25],
        floats + [float("nan")], floats + [float("inf")], floats + [True], floats + ["1.5"], floats + [2**53],
        [str(v) for v in floats], [0.5] * 999, [{"b": [0.1] * 1200, "a": "é<"}, [1.5, None] * 700],
        {"x": floats, "y": {"z": mixed, "names": ["α", "</script>"]}, "n": None, "community_names": {"1": "A"}},
    ]
    for value in cases:
        assert _json(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))
    from ecosys.pipeline import analyze, demo_path

    payload = ecosys.whole.whole_payload(analyze(demo_path()).node_table, lang="it")
    assert _json(payload) == json.dumps(payload, sort_keys=True, separators=(",", ":"))

# -- the layout --------------------------------------------------------------------------------------

import random  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import pytest  # noqa: E402
import scipy.sparse as sp  # noqa: E402

import ecosys.whole  # noqa: E402
from ecosys.whole import SPACING, whole_layout  # noqa: E402


def _graph(communities, edges):
    """What whole_layout reads of a node table: its size, communities and links."""
    n = len(communities)
    u, v = np.array(edges).T
    A = sp.coo_matrix((np.ones(2 * len(u)), (np.r_[u, v], np.r_[v, u])), shape=(n, n)).tocsr()
    return SimpleNamespace(n=n, communities=np.array(communities), adjacency=A)


def test_small_communities_are_placed_without_a_layout():
    # a hub and three leaves; an edge; a path of three nodes
    data = _graph([0, 0, 0, 0, 1, 1, 2, 2, 2], [(0, 1), (0, 2), (0, 3), (4, 5), (6, 7), (7, 8), (3, 4), (5, 6)])
    xy = whole_layout(data)
    leaves = xy[1:4] - xy[0]
    assert np.hypot(*leaves.T) == pytest.approx([SPACING * 2] * 3, abs=0.1)  # the disc's edge: radius 10 sqrt(4)
    angles = np.sort(np.degrees(np.arctan2(leaves[:, 1], leaves[:, 0])) % 360)
    assert np.diff(angles) == pytest.approx([120, 120], abs=0.5)  # on a ring, evenly
    assert xy[4, 1] == xy[5, 1] and xy[5, 0] - xy[4, 0] == pytest.approx(2 * SPACING * np.sqrt(2), abs=0.1)
    assert xy[6, 1] == xy[7, 1] == xy[8, 1] and xy[7, 0] == pytest.approx((xy[6, 0] + xy[8, 0]) / 2, abs=0.1)


@pytest.fixture(scope="module")
def generated():
    """A generated partnership graph of about 800 nodes, analysed: realistic communities, leaves and cores."""
    import io

    from ecosys.pipeline import analyze
    from ecosys.read import read_participations

    rng = random.Random(7)
    rows = []
    for p in range(400):
        for who in rng.sample(range(120 + p), 1 + min(8, int(rng.expovariate(0.45)))):
            rows.append((f"Partner {who}", f"Project {p}"))
    text = "partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows)
    return analyze(read_participations(io.BytesIO(text.encode()), name="generated")).node_table


def _discs(data, xy):
    labels, inv, sizes = np.unique(data.communities, return_inverse=True, return_counts=True)
    centres = np.column_stack([np.bincount(inv, xy[:, 0]), np.bincount(inv, xy[:, 1])]) / sizes[:, None]
    return inv, centres, SPACING * np.sqrt(sizes)


@pytest.mark.parametrize("grid", [False, True])
def test_every_node_lies_in_its_community_s_disc_and_no_two_discs_overlap(generated, monkeypatch, grid):
    if grid:  # Fruchterman-Reingold's grid variant, for large cores, on this graph's small ones
        monkeypatch.setattr(ecosys.whole, "GRID_NODES", 5)
    random.seed(3)
    before = random.random()
    random.seed(3)
    xy = whole_layout(generated, seed=2)
    assert random.random() == before  # igraph draws from Python's random: the caller's state is restored
    assert (whole_layout(generated, seed=2) == xy).all() and not (whole_layout(generated, seed=3) == xy).all()
    inv, centres, radius = _discs(generated, xy)
    assert len(radius) > 20 and (radius > 60).any()  # many communities, some with a core laid out
    assert (np.hypot(*(xy - centres[inv]).T) <= radius[inv] + 0.2).all()
    apart = np.hypot(*(centres[:, None] - centres[None]).transpose(2, 0, 1)) + np.eye(len(radius)) * 1e9
    assert (apart >= radius[:, None] + radius[None] - 0.2).all()
