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
