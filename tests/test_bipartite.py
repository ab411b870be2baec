"""Two-mode clustering and redundancy against networkx.algorithms.bipartite on random graphs."""

import math
import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from networkx.algorithms import bipartite

from ecosys.bipartite import clustering_and_redundancy, latapy_clustering, redundancy


def random_bipartite(seed, partners=30, projects=14, rows=70):
    rng = random.Random(seed)
    pairs = {(rng.randrange(partners), rng.randrange(projects)) for _ in range(rows)}
    B = sp.csr_matrix((np.ones(len(pairs)), tuple(zip(*pairs))), shape=(partners, projects))
    G = nx.Graph()
    G.add_nodes_from((("a", i) for i in range(partners)), bipartite=0)
    G.add_nodes_from((("p", k) for k in range(projects)), bipartite=1)
    G.add_edges_from((("a", i), ("p", k)) for i, k in pairs)
    return B, G


def as_nodes(partners, projects):
    return {**{("a", i): v for i, v in enumerate(partners)}, **{("p", k): v for k, v in enumerate(projects)}}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("mode", ["dot", "min", "max"])
def test_clustering_equals_networkx(seed, mode):
    B, G = random_bipartite(seed)
    ours = as_nodes(*latapy_clustering(B, mode))
    assert ours == pytest.approx(bipartite.clustering(G, mode=mode), abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_redundancy_equals_networkx_and_is_nan_below_degree_2(seed):
    B, G = random_bipartite(seed)
    ours = as_nodes(*redundancy(B))
    low = [n for n in G if G.degree(n) < 2]
    assert low and all(math.isnan(ours[n]) for n in low)
    high = [n for n in G if G.degree(n) >= 2]
    assert {n: ours[n] for n in high} == pytest.approx(bipartite.node_redundancy(G, high), abs=1e-12)
    both = clustering_and_redundancy(B)
    assert as_nodes(*both["clustering"]) == pytest.approx(bipartite.clustering(G), abs=1e-12)
    np.testing.assert_array_equal(both["redundancy"][0], redundancy(B)[0])


def test_isolated_pairs_and_empty():
    # A-P1 alone: no second neighbour (clustering 0), degree 1 (redundancy NaN)
    B = sp.csr_matrix(np.array([[1]]))
    assert [c.tolist() for c in latapy_clustering(B)] == [[0.0], [0.0]]
    assert all(math.isnan(r[0]) for r in redundancy(B))
    with pytest.raises(ValueError, match="unknown clustering mode"):
        latapy_clustering(B, "mean")


def former_pass(B):
    """The former pass, kept as the reference: every row two steps away from every row, one by one."""
    B = sp.csr_matrix(B, dtype=np.int64)
    B.sum_duplicates()
    B.eliminate_zeros()
    B.data[:] = 1

    def side(M, MT):
        n, m = M.shape
        degree = np.diff(M.indptr)
        clustering, second, linked = np.zeros(n), np.zeros(n, dtype=np.int64), np.zeros(m)
        for u in range(n):
            shared = {}
            for k in M.indices[M.indptr[u]:M.indptr[u + 1]]:
                for v in MT.indices[MT.indptr[k]:MT.indptr[k + 1]]:
                    if v != u:
                        shared[v] = shared.get(v, 0) + 1
            for k in M.indices[M.indptr[u]:M.indptr[u + 1]]:
                linked[k] += sum(1 for v in MT.indices[MT.indptr[k]:MT.indptr[k + 1]] if v != u and shared[v] >= 2)
            second[u] = len(shared)
            total = sum(x / (degree[u] + degree[v] - x) for v, x in shared.items())
            clustering[u] = total / len(shared) if shared else 0.0
        column_degree = np.diff(MT.indptr).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            redundancy = np.where(column_degree >= 2, linked / (column_degree * (column_degree - 1)), np.nan)
        return clustering, second, redundancy

    BT = B.T.tocsr()
    rows, cols = side(B, BT), side(BT, B)
    return {"clustering": (rows[0], cols[0]), "redundancy": (cols[2], rows[2]), "projection_degree": (rows[1], cols[1])}


def hub_graph(seed):
    """Partners of heavy-tailed activity (hubs in many projects), some pairs given twice."""
    rng = np.random.default_rng(seed)
    partners, projects = int(rng.integers(2, 40)), int(rng.integers(2, 80))
    activity = rng.pareto(1.0, partners) + 0.05
    rows = int(rng.integers(1, 5 * projects))
    who = rng.choice(partners, rows, p=activity / activity.sum())
    what = rng.integers(0, projects, rows)
    return sp.csr_matrix((np.ones(rows), (who, what)), shape=(partners, projects))


@pytest.mark.parametrize("compiled_too", [False, True])
@pytest.mark.parametrize("hub_degree", [0, 1, 2, 4, 64])
def test_hub_pass_equals_the_former_pass(monkeypatch, hub_degree, compiled_too):
    """Hubs summed by degree histogram and met through pairs of hubs give the pair-by-pair values."""
    from ecosys import bipartite as module
    from ecosys import compiled

    monkeypatch.setattr(module, "HUB_DEGREE", hub_degree)
    if compiled_too:
        monkeypatch.setattr(compiled, "SMALL_WORK", -1)
    for seed in range(40 if not compiled_too else 10):
        B = hub_graph(seed)
        ours, former = clustering_and_redundancy(B), former_pass(B)
        for key in former:
            for x, y in zip(ours[key], former[key]):
                np.testing.assert_allclose(x, y, rtol=1e-12, atol=0)
                np.testing.assert_array_equal(np.isnan(x), np.isnan(y))


def test_hub_pass_equals_networkx_with_hubs():
    B = hub_graph(3).tolil()
    B[0, :] = 1  # a partner in every project, another in most
    B[1, ::2] = 1
    pairs = list(zip(*sp.csr_matrix(B).nonzero()))
    G = nx.Graph()
    G.add_nodes_from((("a", i) for i in range(B.shape[0])), bipartite=0)
    G.add_nodes_from((("p", k) for k in range(B.shape[1])), bipartite=1)
    G.add_edges_from((("a", i), ("p", k)) for i, k in pairs)
    ours = clustering_and_redundancy(B)
    assert as_nodes(*ours["clustering"]) == pytest.approx(bipartite.latapy_clustering(G), rel=1e-12, abs=0)
    high = [n for n in G if G.degree(n) >= 2]
    got = as_nodes(*ours["redundancy"])
    assert {n: got[n] for n in high} == pytest.approx(bipartite.node_redundancy(G, high), rel=1e-12, abs=0)


@pytest.mark.parametrize("compiled_too", [False, True])
@pytest.mark.parametrize("hub_degree", [0, 2, 64])
def test_threads_give_the_same_bits(monkeypatch, hub_degree, compiled_too):
    """Blocks of rows on several threads: each node's values as on one thread, bit for bit, and as the former pass."""
    from ecosys import bipartite as module
    from ecosys import compiled

    monkeypatch.setattr(module, "HUB_DEGREE", hub_degree)
    monkeypatch.setattr(module, "BLOCKS", 5)
    if compiled_too:
        monkeypatch.setattr(compiled, "SMALL_WORK", -1)
    for seed in range(12):
        B = hub_graph(seed)
        one, two, former = clustering_and_redundancy(B), clustering_and_redundancy(B, jobs=3), former_pass(B)
        for key in former:
            for x, y, z in zip(one[key], two[key], former[key]):
                assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
                np.testing.assert_allclose(x, z, rtol=1e-12, atol=0)
                np.testing.assert_array_equal(np.isnan(x), np.isnan(z))
