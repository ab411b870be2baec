"""ecosys.leiden against python-igraph 1.0 itself: the same memberships, modularities, passes and random draws."""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pytest

from ecosys import compiled, leiden
from ecosys.communities import MAX_PASSES, TOLERANCE, community_numbers
from ecosys.graph import PARTNER, as_network, graph_from_edges, project


def _random_graph(rng: np.random.Generator, kind: int):
    """Sorted pairs i < j on n vertices (isolated ones, several components) with weights of ``kind``."""
    n = int(rng.integers(2, 80))
    if kind % 2:  # planted groups: several levels of aggregation
        groups = rng.integers(0, max(2, n // 8), n)
        i, j = np.triu_indices(n, 1)
        p = np.where(groups[i] == groups[j], 0.5, 0.02)
    else:
        i, j = np.triu_indices(n, 1)
        p = np.full(len(i), float(rng.choice([0.02, 0.06, 0.15, 0.4])))
    keep = rng.random(len(i)) < p
    rows, cols = i[keep], j[keep]
    weights = (np.ones(len(rows)),  # ties everywhere
               rng.integers(1, 4, len(rows)).astype(float),
               rng.random(len(rows)) + 0.01,
               rng.integers(1, 80, len(rows)).astype(float),  # exp(diff / beta) past the largest double
               np.round(rng.random(len(rows)), 1) + 0.5)[kind % 5]
    return n, rows, cols, weights


def _igraph_passes(n, rows, cols, weights, seed, resolution):
    """communities' pass loop as igraph runs it: each pass's membership and modularity; Python's random after."""
    g = ig.Graph(n=n)
    g.add_edges(list(zip(rows.tolist(), cols.tolist())))
    weights = weights.tolist()
    state = random.getstate()
    random.seed(seed)
    try:
        found, membership, quality = [], None, -1.0
        while len(found) < MAX_PASSES:
            run = g.community_leiden(objective_function="modularity", weights=weights, resolution=resolution,
                                     n_iterations=1, initial_membership=membership)
            q = g.modularity(run.membership, weights=weights, resolution=resolution)
            found.append((run.membership, q))
            gained = q - quality
            if gained > 0:
                membership, quality = run.membership, quality + gained
            if gained < TOLERANCE:
                break
        return found, random.getstate()[1]
    finally:
        random.setstate(state)


def _our_passes(n, rows, cols, weights, seed, resolution):
    graph = leiden.adjacency(n, rows, cols, weights)
    state = leiden.random_state(seed)
    found, membership, quality = [], None, -1.0
    while len(found) < MAX_PASSES:
        run = leiden.community_leiden(graph, state, membership, resolution)
        q = leiden.modularity(graph, run, resolution)
        found.append((run.tolist(), q))
        gained = q - quality
        if gained > 0:
            membership, quality = run, quality + gained
        if gained < TOLERANCE:
            break
    return found, tuple(state.tolist())


@pytest.mark.parametrize("small_work", [-1, 10**12], ids=["compiled", "plain"])
@pytest.mark.parametrize("block", range(6))
def test_every_pass_is_igraphs_on_random_graphs(block, small_work, monkeypatch):
    monkeypatch.setattr(compiled, "SMALL_WORK", small_work)
    rng = np.random.default_rng(block)
    for trial in range(40):
        n, rows, cols, weights = _random_graph(rng, trial)
        if not len(rows):
            continue
        seed, resolution = int(rng.integers(0, 10**6)), float(rng.choice([1.0, 1.0, 0.5, 2.0, 0.1]))
        theirs, their_state = _igraph_passes(n, rows, cols, weights, seed, resolution)
        ours, our_state = _our_passes(n, rows, cols, weights, seed, resolution)
        assert ours == theirs, (block, trial)  # memberships and modularities to the bit, and as many passes
        assert our_state == their_state  # Python's random advanced draw for draw


def test_a_larger_graph_aggregates_over_several_levels_as_igraph():
    rng = np.random.default_rng(11)
    n = 3000
    groups = rng.integers(0, 60, n)
    members = [np.flatnonzero(groups == g) for g in range(60)]
    i = rng.integers(0, n, 30000)
    j = np.array([rng.choice(members[groups[a]]) if inside else rng.integers(0, n)
                  for a, inside in zip(i, rng.random(len(i)) < 0.85)])
    pairs = np.unique(np.sort(np.column_stack([i, j]), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    rows, cols = pairs[:, 0], pairs[:, 1]
    weights = rng.integers(1, 5, len(rows)).astype(float)
    theirs, their_state = _igraph_passes(n, rows, cols, weights, 5, 1.0)
    ours, our_state = _our_passes(n, rows, cols, weights, 5, 1.0)
    assert len(theirs) >= 2 and ours == theirs and our_state == their_state


@pytest.mark.parametrize("seed", range(5))
def test_modularity_is_igraphs_for_any_community_numbers(seed):
    rng = np.random.default_rng(seed)
    n, rows, cols, weights = _random_graph(rng, seed)
    g = ig.Graph(n=n)
    g.add_edges(list(zip(rows.tolist(), cols.tolist())))
    graph = leiden.adjacency(n, rows, cols, weights)
    for membership in (rng.integers(0, 4, n), rng.integers(0, n, n), np.arange(1, n + 1), rng.integers(1, 3, n) * 7):
        for resolution in (1.0, 0.3):
            theirs = g.modularity(membership.tolist(), weights=weights.tolist(), resolution=resolution)
            assert leiden.modularity(graph, membership, resolution) == theirs or (
                np.isnan(theirs) and np.isnan(leiden.modularity(graph, membership, resolution)))


def test_communities_match_igraphs_for_every_weighting_and_leave_pythons_random_alone():
    rng = random.Random(4)
    net = as_network(graph_from_edges((f"a{rng.randrange(70)}", f"p{rng.randrange(40)}") for _ in range(260)))
    for weighting in ("count", "newman", "jaccard", "cosine", "association"):
        P = project(net, PARTNER, weighting=weighting)
        rows, cols, _, weights = P.pairs()
        theirs, _ = _igraph_passes(P.shared.shape[0], rows, cols, weights.astype(float), 3, 1.0)
        random.seed(99)
        before = random.getstate()
        community, modularity, _, parameters = community_numbers(net, seed=3, projection=P)
        assert random.getstate() == before
        assert parameters["passes"] == len(theirs) and modularity == _number_modularity(P, community)
        best = max(range(len(theirs)), key=lambda k: (theirs[k][1], -k))
        same = {}
        for ours_c, their_c in zip(community[:net.n_partners].tolist(), theirs[best][0]):
            assert same.setdefault(their_c, ours_c) == ours_c  # the same grouping, numbered by size


def _number_modularity(P, community):
    rows, cols, _, weights = P.pairs()
    g = ig.Graph(n=P.shared.shape[0])
    g.add_edges(list(zip(rows.tolist(), cols.tolist())))
    return g.modularity(community[:P.shared.shape[0]].tolist(), weights=weights.astype(float).tolist())


def test_the_twister_is_pythons():
    state = leiden.random_state(12345)
    reference = random.Random(12345)
    draws = [leiden._draw32(state) for _ in range(1500)]  # noqa: SLF001 (the generator itself, checked)
    assert draws == [reference.getrandbits(32) for _ in range(1500)]
    assert tuple(state.tolist()) == reference.getstate()[1]


def test_pairs_the_port_cannot_take_are_refused():
    with pytest.raises(ValueError, match="sorted"):
        leiden.adjacency(3, np.array([1, 0]), np.array([2, 1]), np.ones(2))
    with pytest.raises(ValueError, match="sorted"):
        leiden.adjacency(3, np.array([0, 0]), np.array([1, 1]), np.ones(2))
    with pytest.raises(ValueError, match="negative"):
        leiden.adjacency(3, np.array([0]), np.array([1]), np.array([-1.0]))
    with pytest.raises(ValueError, match="membership"):
        leiden.community_leiden(leiden.adjacency(2, [0], [1], [1.0]), leiden.random_state(0), [0, 2])


@pytest.mark.parametrize("small_work", [0, 10**12])  # compiled, then plain Python
@pytest.mark.parametrize("weighting", ["count", "newman", "association"])
def test_the_adjacency_of_the_projections_matrix_is_the_one_of_its_pairs(weighting, small_work, monkeypatch):
    # Leiden reads the projection's own arrays, not a list of its pairs: the same adjacency, to the bit
    monkeypatch.setattr(compiled, "SMALL_WORK", small_work)
    rng = random.Random(8)
    net = as_network(graph_from_edges((f"a{rng.randrange(90)}", f"p{rng.randrange(40)}") for _ in range(300)))
    P = project(net, PARTNER, weighting=weighting)
    rows, cols, _, weights = P.pairs()
    theirs, ours = leiden.adjacency(P.shared.shape[0], rows, cols, weights), leiden.adjacency_of_matrix(P.weight)
    assert len(rows) > 100
    for name in ("indptr", "split", "neighbors", "weights", "strength"):
        a, b = getattr(theirs, name), getattr(ours, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name


@pytest.mark.parametrize("small_work", [0, 10**12])  # compiled, then plain Python
def test_a_matrix_the_adjacency_cannot_take_is_refused(small_work, monkeypatch):
    import scipy.sparse as sp

    monkeypatch.setattr(compiled, "SMALL_WORK", small_work)
    with pytest.raises(ValueError, match="symmetric"):
        leiden.adjacency_of_matrix(sp.csr_matrix(np.array([[0, 1.0], [0, 0]])))
    for asymmetric in ([[0, 1.0], [5.0, 0]], [[0, 1.0, 0], [0, 0, 0], [1.0, 0, 0]]):  # as many entries each side
        with pytest.raises(ValueError, match="symmetric"):
            leiden.adjacency_of_matrix(sp.csr_matrix(np.array(asymmetric)))
    with pytest.raises(ValueError, match="diagonal"):
        leiden.adjacency_of_matrix(sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0]])))
    with pytest.raises(ValueError, match="negative"):
        leiden.adjacency_of_matrix(sp.csr_matrix(np.array([[0, -1.0], [-1.0, 0]])))
