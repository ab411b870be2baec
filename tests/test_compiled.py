"""Small work runs the compiled kernels' plain Python functions: the same values, to the bit, without numba."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from ecosys import compiled
from ecosys.brokerage import gould_fernandez
from ecosys.graph import PARTNER, as_network, graph_from_edges, project
from ecosys.metrics import node_metrics
from ecosys.searches import shortest_path_sums


def _everything(net, weighting):
    P = project(net, PARTNER, weighting=weighting)
    metrics = node_metrics(net, seed=3, projection=P)
    groups = np.array([f"g{i % 3}" for i in range(net.n_partners)])
    roles = gould_fernandez(P.shared, groups).to_frame()
    return metrics, roles


@pytest.mark.parametrize("seed", range(8))
def test_plain_python_kernels_give_the_compiled_values_to_the_bit(seed, monkeypatch):
    rng = random.Random(seed)
    partners, projects = rng.randrange(5, 60), rng.randrange(3, 40)
    rows = rng.randrange(partners, 4 * partners)
    net = as_network(graph_from_edges((f"a{rng.randrange(partners)}", f"p{rng.randrange(projects)}")
                                      for _ in range(rows)))
    weighting = ("count", "newman", "jaccard", "association")[seed % 4]
    monkeypatch.setattr(compiled, "SMALL_WORK", -1)  # every kernel compiled
    compiled_run = _everything(net, weighting)
    monkeypatch.setattr(compiled, "SMALL_WORK", 10**12)  # every kernel in plain Python
    plain_run = _everything(net, weighting)
    for ours, theirs in zip(plain_run, compiled_run):
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
        assert ours.to_csv() == theirs.to_csv()


def _total(values):
    s = 0.0
    for v in values:
        s += v
    return s


def test_a_kernel_runs_plain_up_to_its_work_estimate_and_compiled_past_it(monkeypatch):
    monkeypatch.setattr(compiled, "SMALL_WORK", 5)
    total = compiled.kernel(work=len)(_total)
    assert total(np.arange(5.0)) == 10.0 and total.cached is None  # plain Python: nothing compiled
    assert total(np.arange(6.0)) == 15.0 and total.cached is not None  # compiled
    assert compiled.kernel(_total)(np.arange(3.0)) == 3.0  # no estimate: always compiled


def test_shortest_path_sums_are_the_same_plain_or_compiled(monkeypatch):
    import scipy.sparse as sp

    A = sp.csr_matrix((np.ones(6), [1, 0, 2, 1, 3, 2], [0, 1, 3, 5, 6]), shape=(4, 4))  # 0-1-2-3
    monkeypatch.setattr(compiled, "SMALL_WORK", 10**6)
    small = shortest_path_sums(A, range(4), threads=1)
    monkeypatch.setattr(compiled, "SMALL_WORK", -1)
    large = shortest_path_sums(A, range(4), threads=1)
    assert [x.tolist() for x in small] == [x.tolist() for x in large] == [[0.0, 4.0, 4.0, 0.0], [6, 4, 4, 6]]



def test_preload_loads_the_kernel_in_a_thread_and_the_values_are_the_same():
    from ecosys.compiled import kernel, preload

    @kernel(nogil=True)
    def total(values):
        s = 0.0
        for v in values:
            s += v
        return s

    assert total.cached is None  # nothing loaded yet
    loading = preload(total, np.zeros(1))
    loading.join()
    assert total.cached is not None and not loading.is_alive()
    values = np.random.default_rng(0).random(1000)
    assert total(values) == total.py_func(values)
