"""Seeded layouts: reproducible, edges of the asked length, components packed apart, overview rings apart."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest

from ecosys.graph import graph_from_edges
from ecosys.layout import KAMADA_KAWAI_NODES, MIN_GAP, layout, overview_layout, pack, positions, ring_radius


def random_edges(seed, n=60, m=80):
    rng = random.Random(seed)
    return [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]


@pytest.mark.parametrize("seed", range(3))
def test_the_same_graph_and_seed_give_the_same_positions_and_leave_random_alone(seed):
    edges = [(a, b) for a, b in random_edges(seed) if a != b]
    random.seed(99)
    before = random.random()
    random.seed(99)
    xy = positions(60, edges, seed=seed)
    assert random.random() == before  # igraph draws from Python's random: the caller's state is restored
    assert (positions(60, edges, seed=seed) == xy).all()
    assert not (positions(60, edges, seed=seed + 1) == xy).all()
    assert (xy == np.round(xy, 1)).all() and (xy >= 0).all()


def test_an_edge_is_spacing_pixels_long():
    path = [(0, 1), (1, 2), (2, 3), (3, 4)]
    xy = positions(5, path, spacing=110.0)
    lengths = [math.dist(xy[a], xy[b]) for a, b in path]
    assert float(np.median(lengths)) == pytest.approx(110.0, abs=0.2)  # Kamada-Kawai: all about equal
    assert min(lengths) > MIN_GAP


def test_crowded_nodes_are_spread_to_the_minimum_gap():
    star = [(0, k) for k in range(1, 200)]  # 199 leaves round one hub: scaled for the gap, not the edge
    xy = positions(200, star, spacing=20.0)
    gaps = np.sort([min(math.dist(p, q) for j, q in enumerate(xy) if j != i) for i, p in enumerate(xy)])
    assert gaps[len(gaps) // 10] >= MIN_GAP - 0.2


def _pack_one_by_one(extents, aspect, gap):
    """:func:`ecosys.layout.pack` placing one box at a time (its former code): the reference for the shelves."""
    sizes = np.asarray(extents, dtype=float).reshape(-1, 2) + gap
    order = 1 + np.lexsort((np.arange(len(sizes) - 1), -sizes[1:, 1]))
    area = float((sizes[:, 0] * sizes[:, 1]).sum())
    best, best_score = None, None
    for factor in (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0):
        width = max(float(sizes[:, 0].max()), math.sqrt(area * aspect) * factor)
        corners = np.zeros((len(sizes), 2))
        first_w, first_h = sizes[0]
        left, bottom = first_w, first_h
        x, y, shelf = left, 0.0, 0.0
        in_a = width - first_w >= 1e-9
        if not in_a:
            x, y = 0.0, bottom
        for b in order:
            w, h = sizes[b]
            if in_a:
                if x + w > width + 1e-9 and x > left:
                    x, y, shelf = left, y + shelf, 0.0
                if x + w > width + 1e-9 or y + h > bottom + 1e-9:
                    in_a = False
                    x, y, shelf = 0.0, bottom, 0.0
            if not in_a and x + w > width + 1e-9 and x > 0:
                x, y, shelf = 0.0, y + shelf, 0.0
            corners[b] = (x, y)
            x += w
            shelf = max(shelf, h)
        used = (corners + sizes).max(axis=0) - gap
        score = (max(used[0], used[1] * aspect), used[0] * used[1])
        if best_score is None or score < best_score:
            best, best_score = corners, score
    return best


def test_packing_by_shelves_places_every_box_where_placing_one_at_a_time_did():
    rng = np.random.default_rng(0)
    for trial in range(800):
        n = int(rng.integers(1, 60))
        extents = [rng.uniform(0, 100, (n, 2)),  # any sizes, some taller than the first box
                   np.repeat(rng.uniform(0, 50, (1, 2)), n, axis=0) * np.r_[3, np.ones(n - 1)][:, None],  # equal
                   rng.integers(0, 5, (n, 2)) * 10.0,  # ties and boxes of no size
                   np.sort(10 ** rng.uniform(0, 3, (n, 2)), axis=0)[::-1]][trial % 4]
        gap, aspect = float(rng.choice([0.0, 10.0, 15.0, 110.0])), float(rng.choice([0.5, 1.0, 1.6, 3.0]))
        assert np.array_equal(pack(extents, aspect=aspect, gap=gap), _pack_one_by_one(extents, aspect, gap)), trial


def test_components_are_packed_apart_largest_first():
    G = nx.disjoint_union_all([nx.path_graph(6), nx.cycle_graph(4), nx.path_graph(2), nx.empty_graph(3)])
    xy = positions(len(G), list(G.edges()), spacing=100.0)
    boxes = []
    for members in sorted(nx.connected_components(G), key=lambda c: (-len(c), min(c))):
        pts = xy[sorted(members)]
        boxes.append((pts.min(axis=0), pts.max(axis=0)))
    assert (boxes[0][0] == 0).all()  # the largest component at the top left
    for i, (lo, hi) in enumerate(boxes):
        for lo2, hi2 in boxes[i + 1:]:
            apart = (hi < lo2).any() or (hi2 < lo).any()  # separated along x or y
            assert apart


def test_large_components_are_laid_out_too():
    n = KAMADA_KAWAI_NODES + 50  # Fruchterman-Reingold
    ring = [(i, (i + 1) % n) for i in range(n)]
    xy = positions(n, ring, seed=1)
    assert xy.shape == (n, 2) and len({tuple(p) for p in xy.tolist()}) == n


def test_a_networkx_graph_gets_a_position_per_node():
    G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")])
    pos = layout(G, seed=3)
    index = {n: i for i, n in enumerate(G)}
    xy = positions(len(G), [(index[u], index[v]) for u, v in G.edges()], seed=3)
    assert pos == {n: (float(xy[i, 0]), float(xy[i, 1])) for n, i in index.items()}


def test_overview_rings_do_not_overlap_and_partners_sit_beside_their_community():
    rng = random.Random(4)
    links = [(i, j, float(rng.randrange(1, 30))) for i in range(8) for j in range(i + 1, 8) if rng.random() < 0.5]
    rings = {"pagerank": {k: list(range(100 + 100 * k, 100 + 100 * k + 2 * k + 1)) for k in range(8)}}
    loose = {"pagerank": [900, 901]}
    sizes = [50.0 - 4 * k for k in range(8)]  # the communities' nodes, as the page draws them
    centres, placed = overview_layout(8, links, rings, loose, seed=2, sizes=sizes)
    radius = [ring_radius(2 * k + 1, sizes[k]) for k in range(8)]
    assert radius[0] == 110.0 and radius[7] == pytest.approx(15 * 88 / (2 * math.pi * 300 / 360))
    biggest = 36.0  # a partner drawn at its largest
    for i in range(8):
        for j in range(i + 1, 8):
            assert math.dist(centres[i], centres[j]) >= radius[i] + radius[j] + 150.0 - 1.0
        ring = [placed["pagerank"][r] for r in rings["pagerank"][i]]
        for x, y in ring:
            assert math.dist((x, y), centres[i]) == pytest.approx(radius[i], abs=0.2)
            # beside its community, not on it: clear of its node by 24 pixels at the partner's largest
            assert math.dist((x, y), centres[i]) - sizes[i] - biggest >= 24.0 - 0.2
            # the bottom of the ring stays free for the community's label
            assert math.degrees(math.atan2(y - centres[i][1], x - centres[i][0])) % 360 not in range(61, 120)
            # and no other community's ring comes near
            assert all(math.dist((x, y), centres[j]) > radius[j] + 150.0 for j in range(8) if j != i)
        gaps = [math.dist(a, b) for k, a in enumerate(ring) for b in ring[k + 1:]]
        assert not gaps or min(gaps) >= 2 * biggest  # partners never overlap one another
    bottom = placed["pagerank"][900][1]
    assert bottom > max(c[1] for c in centres) and placed["pagerank"][901] == (120.0, bottom)
    again = overview_layout(8, links, rings, loose, seed=2, sizes=sizes)
    assert (again[0] == centres).all() and again[1] == placed
