"""The overview's time slider counts (ecosys.overview_periods) against a count by sets, period by period."""

import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ecosys.overview_periods import overview_periods
from ecosys.pipeline import analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402


def _by_sets(data, drawn, links):
    npart = data.n_partners
    B = sp.csr_matrix(data.B)
    starts, ends = data.years[npart:].astype(int), data.end_years[npart:].astype(int)
    comm = data.communities
    C = B.tocsc()
    partners_of = [set(C.indices[C.indptr[j]:C.indptr[j + 1]]) for j in range(B.shape[1])]
    projects_of = [set(B.indices[B.indptr[v]:B.indptr[v + 1]]) for v in range(npart)]
    dated = {j for j in range(len(starts)) if starts[j] > 0}
    first_year = {v: min(starts[j] for j in projects_of[v] & dated) for v in range(npart) if projects_of[v] & dated}
    first, last = min(starts[j] for j in dated), max(ends[j] for j in dated)
    out = {}
    for a in range(first, last + 1):
        for b in range(a, last + 1):
            on = {j for j in dated if starts[j] <= b and ends[j] >= a}
            active = {v for v in range(npart) if projects_of[v] & on}
            out[f"{a}-{b}"] = {
                "c": [[sum(1 for v in active if comm[v] == c), sum(1 for j in on if comm[npart + j] == c)] for c in drawn],
                "l": [sum(1 for j in on if {comm[v] for v in partners_of[j]} >= {drawn[i], drawn[k]}) for i, k in links],
                "f": [len(active), len(on), sum(len(partners_of[j]) for j in on),
                      sum(1 for y in first_year.values() if a <= y <= b)],
            }
    return out


def test_every_period_counts_what_sets_count(tmp_path):
    data = analyze(generate(1_500, tmp_path / "g.csv", seed=4), jobs=1).node_table
    drawn = sorted({int(c) for c in data.communities[: data.n_partners]})[:6]
    links = list(combinations(range(len(drawn)), 2))
    found = overview_periods(data, drawn, links, [0, 1, 2])
    assert len(found["periods"]) > 10
    assert found["periods"] == _by_sets(data, drawn, links)
    assert found["active"][0] == sorted({y for j in sp.csr_matrix(data.B)[0].indices
                                         if data.years[data.n_partners + j] > 0
                                         for y in range(int(data.years[data.n_partners + j]),
                                                        int(data.end_years[data.n_partners + j]) + 1)})
