"""Connected components of the bipartite graph, against networkx."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from ecosys.graph import as_network, bipartite_adjacency, components, graph_from_edges
from ecosys.pipeline import analyze, demo_path


@pytest.mark.parametrize("seed", range(4))
def test_components_are_networkx_connected_components(seed):
    rng = random.Random(seed)
    G = graph_from_edges((f"a{rng.randrange(50)}", f"p{rng.randrange(30)}") for _ in range(40))
    net = as_network(G)
    label = components(net)
    assert label.tolist() == components(G).tolist()
    found = {frozenset(net.nodes[i] for i in np.flatnonzero(label == c)) for c in set(label.tolist())}
    assert found == {frozenset(c) for c in nx.connected_components(G)}
    firsts = [int(np.flatnonzero(label == c)[0]) for c in range(label.max() + 1)]
    assert firsts == sorted(firsts)  # numbered in the order of their first node
    A = bipartite_adjacency(net.B)
    assert (A != nx.to_scipy_sparse_array(G, nodelist=net.nodes)).nnz == 0


def test_no_nodes_no_components():
    assert components(nx.Graph()).tolist() == []


def test_the_analysis_computes_components_once_for_the_summary_and_the_report():
    result = analyze(demo_path())
    assert result.components is result.components
    s = result.summary()
    sizes = np.bincount(result.components)
    assert s["components"] == len(sizes) == 4
    assert s["largest_component"] == {"partners": 22, "projects": 17} and sizes.max() == 22 + 17
