"""Connected components of the bipartite graph, against networkx; the projection by blocks, against the one-shot product."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from ecosys.graph import (
    as_network, bipartite_adjacency, components, graph_from_edges, project, project_blocks, projection_by_blocks,
)
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


def _random_network(seed, partners=60, projects=40, rows=150):
    rng = random.Random(seed)
    return as_network(graph_from_edges((f"a{rng.randrange(partners)}", f"p{rng.randrange(projects)}") for _ in range(rows)))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("block_size", [1, 3, 7, 40, 1000])
def test_the_projection_by_blocks_equals_the_one_shot_projection(seed, block_size):
    net = _random_network(seed)
    one_shot = project(net)
    S = projection_by_blocks(net.B, block_size)
    assert S.dtype == one_shot.shared.dtype and (S != one_shot.shared).nnz == 0
    assert S.indptr.tolist() == one_shot.shared.indptr.tolist()  # same pattern, same order
    assert S.indices.tolist() == one_shot.shared.indices.tolist()
    # onto projects: the transposed incidence
    assert (projection_by_blocks(net.B.T, block_size) != project(net, "project").shared).nnz == 0
    # newman: each project's pairs weighed 1 / (n_k - 1), added block by block
    size = np.asarray(net.B.sum(axis=0)).ravel()
    w = np.divide(1.0, size - 1, out=np.zeros(len(size)), where=size > 1)
    N = projection_by_blocks(net.B, block_size, weights=w)
    newman = project(net, weighting="newman").weight
    assert (abs(N - newman) > 1e-12).nnz == 0
    assert np.allclose(N.toarray(), newman.toarray(), rtol=0, atol=1e-12)


def test_the_blocks_cover_every_project_once_and_add_up_in_any_order():
    net = _random_network(11)
    blocks = list(project_blocks(net.B, 9))
    assert [(s.start, s.stop) for s, _ in blocks] == [(k, min(k + 9, net.n_projects)) for k in range(0, net.n_projects, 9)]
    forward = sum(b for _, b in blocks)
    backward = sum(b for _, b in reversed(blocks))
    assert (forward != backward).nnz == 0
    assert (forward != (net.B @ net.B.T)).nnz == 0  # with the diagonal: each partner's projects
    assert forward.diagonal().tolist() == np.asarray(net.B.sum(axis=1)).ravel().tolist()


def test_a_block_size_under_one_is_refused():
    with pytest.raises(ValueError, match="block_size"):
        list(project_blocks(_random_network(0).B, 0))


def test_the_readme_sketch_beyond_one_machine_runs_and_equals_the_projection():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Beyond one machine", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md (Beyond one machine)", "exec"), {"__name__": "readme_sketch"})  # asserts inside


def test_the_projection_by_blocks_of_counts_past_32_bits_does_not_wrap():
    # an incidence of repeated participations (not 0/1) keeps 64-bit sums: 70,000 x 70,000 + 1 needs them
    S = projection_by_blocks(sp.csr_matrix(np.array([[70_000, 1], [70_000, 1]])), block_size=1)
    assert S.toarray().tolist() == [[0, 4_900_000_001], [4_900_000_001, 0]]


def test_a_projection_refuses_weights_that_are_not_one_per_entry_of_shared():
    # the fourth field is the weights' values in shared's order (a matrix was given there before)
    import dataclasses

    import pytest
    import scipy.sparse as sp

    P = project(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2")]), weighting="jaccard")
    for wrong in (P.weight, P.weights[:-1]):
        with pytest.raises(ValueError, match="one value per stored entry of shared"):
            dataclasses.replace(P, weights=wrong)
    assert dataclasses.replace(P, weights=P.weights * 2).weight.toarray().tolist() == (P.weight * 2).toarray().tolist()
    assert sp.issparse(P.weight)
