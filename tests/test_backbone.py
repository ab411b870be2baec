"""Backbones: disparity filter and SDSM against their published definitions, by brute force."""

import itertools
import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.integrate import quad
from scipy.stats import binom

from ecosys.backbone import (
    adjust_pvalues,
    bicm,
    disparity_filter,
    poisson_binomial_sf,
    poisson_binomial_sf_rna,
    sdsm,
)


def random_incidence(seed, rows=12, cols=7, density=0.35):
    rng = np.random.default_rng(seed)
    B = (rng.random((rows, cols)) < density).astype(int)
    return sp.csr_matrix(B)


# -- multiple testing ------------------------------------------------------------------------

def test_corrections_equal_r_p_adjust():
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    # R: p.adjust(p, "holm") and p.adjust(p, "BH")
    assert adjust_pvalues(p, "holm").tolist() == pytest.approx([0.05, 0.08, 0.09, 0.09, 0.09])
    assert adjust_pvalues(p, "fdr").tolist() == pytest.approx([0.05] * 5)
    # R: p.adjust(c(0.04, 0.001, 0.03, 0.2), "BH") = 0.05333 0.004 0.05333 0.2
    assert adjust_pvalues([0.04, 0.001, 0.03, 0.2], "fdr").tolist() == pytest.approx([0.16 / 3, 0.004, 0.16 / 3, 0.2])
    # tests not given count as p = 1: the factor is the family size
    assert adjust_pvalues([0.001, 0.002], "holm", tests=100).tolist() == pytest.approx([0.1, 0.198])
    assert adjust_pvalues([0.001, 0.002], "fdr", tests=100).tolist() == pytest.approx([0.1, 0.1])
    with pytest.raises(ValueError, match="unknown correction"):
        adjust_pvalues([0.1], "bonferonni")


# -- disparity filter ------------------------------------------------------------------------

def disparity_by_the_paper(G, u, v):
    """Serrano et al. eq. 2, integrated numerically, at both ends; the smaller."""
    out = []
    for a in (u, v):
        k = G.degree(a)
        s = G.degree(a, weight="weight")
        p = G[u][v]["weight"] / s
        if k == 1:
            out.append(1.0)
            continue
        integral, _ = quad(lambda x: (1 - x) ** (k - 2), 0, p)
        out.append(1 - (k - 1) * integral)
    return min(out)


@pytest.mark.parametrize("seed", range(3))
def test_disparity_filter_equals_the_integral_of_the_paper(seed):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(30, 90, seed=seed)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.randint(1, 9)
    W = nx.to_scipy_sparse_array(G, nodelist=range(30), weight="weight", format="csr")
    t = disparity_filter(W, alpha=0.2, correction="none")
    assert len(t) == G.number_of_edges()
    for i, j, p in zip(t["i"], t["j"], t["pvalue"]):
        assert p == pytest.approx(disparity_by_the_paper(G, i, j), abs=1e-9)
    assert t["kept"].tolist() == (t["pvalue"] < 0.2).tolist()
    holm = disparity_filter(W, alpha=0.2, correction="holm")
    assert holm["adjusted"].tolist() == pytest.approx(adjust_pvalues(t["pvalue"], "holm").tolist())
    assert holm.attrs["backbone"]["kept"] == int((holm["adjusted"] < 0.2).sum())


# -- SDSM ------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_bicm_expected_degrees_are_the_observed_ones(seed):
    B = random_incidence(seed, rows=30, cols=12)
    r, c = np.diff(B.indptr), np.asarray(B.sum(axis=0)).ravel()
    P, rows, cols = bicm(r, c)
    nodes = P[np.searchsorted(rows, r)][:, np.searchsorted(cols, c)]
    assert nodes.sum(axis=1) == pytest.approx(r, abs=1e-8)
    assert nodes.sum(axis=0) == pytest.approx(c, abs=1e-8)
    assert ((nodes >= 0) & (nodes <= 1)).all()


def test_bicm_peels_what_the_degrees_force():
    # A is in both projects and P1 has every partner: B and C are fully met by P1, P2 by A, so the
    # rest is forced (P = 0), where the fixed point divided 0 by 0 and gave NaN p-values
    t = sdsm(sp.csr_matrix(np.array([[1, 1], [1, 0], [1, 0]])), correction="none")
    assert t["pvalue"].tolist() == [1.0, 1.0, 1.0] and t["expected"].tolist() == [1.0, 1.0, 1.0]
    # every 3 x 3 incidence matrix: probabilities in [0, 1] whose sums are the degrees
    for bits in itertools.product((0, 1), repeat=9):
        B = np.array(bits).reshape(3, 3)
        r, c = B.sum(axis=1), B.sum(axis=0)
        P, rows, cols = bicm(r, c, max_iter=2000)
        nodes = P[np.searchsorted(rows, r)][:, np.searchsorted(cols, c)]
        assert ((nodes >= 0) & (nodes <= 1)).all(), B
        assert nodes.sum(axis=1) == pytest.approx(r, abs=1e-8) and nodes.sum(axis=0) == pytest.approx(c, abs=1e-8), B


def test_bicm_of_a_biregular_graph_is_uniform():
    # every row of degree 2 among 4 columns, every column of degree 3 among 6 rows: P = 1/2
    P, rows, cols = bicm([2] * 6, [3] * 4)
    assert P.shape == (1, 1) and P[0, 0] == pytest.approx(0.5)


def test_poisson_binomial_exact_equals_enumeration():
    rng = np.random.default_rng(1)
    for n in (1, 3, 6, 9):
        q = rng.random(n)
        for k in range(n + 2):
            brute = sum(
                np.prod([qi if x else 1 - qi for qi, x in zip(q, outcome)])
                for outcome in itertools.product((0, 1), repeat=n)
                if sum(outcome) >= k
            )
            assert poisson_binomial_sf(k, q) == pytest.approx(brute, abs=1e-14), (n, k)


def test_rna_is_close_to_exact_when_counts_are_large():
    rng = np.random.default_rng(2)
    q = rng.uniform(0.2, 0.8, size=300)
    mean, var = q.sum(), (q * (1 - q)).sum()
    skew = (q * (1 - q) * (1 - 2 * q)).sum() / var**1.5
    for k in (130, 150, 160, 175):
        assert poisson_binomial_sf_rna(k, mean, var, skew) == pytest.approx(poisson_binomial_sf(k, q), abs=2e-4)


def sdsm_by_brute_force(B):
    """Each pair's upper tail by enumerating all outcomes of its projects under the node-level BiCM."""
    B = B.toarray()
    r, c = B.sum(axis=1), B.sum(axis=0)
    P, rows, cols = bicm(r, c)
    nodes = P[np.searchsorted(rows, r)][:, np.searchsorted(cols, c)]
    out = {}
    for i, j in itertools.combinations(range(len(B)), 2):
        shared = int(B[i] @ B[j])
        if shared == 0:
            continue
        q = nodes[i] * nodes[j]
        out[(i, j)] = (shared, q.sum(), sum(
            np.prod(np.where(outcome, q, 1 - q))
            for outcome in map(np.array, itertools.product((0, 1), repeat=B.shape[1]))
            if outcome.sum() >= shared
        ))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_sdsm_equals_brute_force_enumeration(seed):
    B = random_incidence(seed, rows=9, cols=8, density=0.45)
    t = sdsm(B, alpha=0.05, correction="none")
    brute = sdsm_by_brute_force(B)
    assert sorted(zip(t["i"], t["j"])) == sorted(brute)
    for i, j, shared, expected, p in zip(t["i"], t["j"], t["shared"], t["expected"], t["pvalue"]):
        assert (shared, expected, p) == pytest.approx(brute[(i, j)], abs=1e-12)
    assert t.attrs["backbone"]["tests"] == 9 * 8 // 2


def test_sdsm_of_a_biregular_graph_is_binomial():
    # 6 partners of 2 projects each among 4 projects of 3 partners: P = 1/2 everywhere,
    # so a pair's shared count is Binomial(4, 1/4) and P(X >= s) = binom.sf(s - 1, 4, 1/4).
    B = sp.csr_matrix(np.array([
        [1, 1, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 1, 1],
    ]))
    for method in ("exact", "rna"):
        t = sdsm(B, correction="none", method=method)
        reference = binom.sf(t["shared"] - 1, 4, 0.25)
        assert t["expected"].tolist() == pytest.approx([1.0] * len(t))
        assert t["pvalue"].to_numpy() == pytest.approx(reference, abs=1e-10 if method == "exact" else 0.05)
    t = sdsm(B, correction="none")
    # partners 0 and 1 share both their projects: P(X >= 2) = 1 - (3/4)^4 - 4 (1/4)(3/4)^3 = 67/256
    row = t[(t["i"] == 0) & (t["j"] == 1)].iloc[0]
    assert (row["shared"], row["pvalue"]) == (2, pytest.approx(67 / 256))


def test_sdsm_family_is_all_pairs_and_holm_uses_it():
    B = random_incidence(7, rows=10, cols=6, density=0.5)
    raw = sdsm(B, correction="none")
    holm = sdsm(B, correction="holm")
    assert holm["adjusted"].tolist() == pytest.approx(adjust_pvalues(raw["pvalue"], "holm", tests=45).tolist())
    with pytest.raises(ValueError, match="unknown method"):
        sdsm(B, method="approximate")


def test_sdsm_on_cordis_h2020(shared_data):
    """The SOD 2016 snapshot: exact and approximate p-values, and what Holm keeps."""
    import pandas as pd

    t = pd.read_csv(shared_data / "cordis-h2020-sod2016" / "edges.csv", sep="\t", dtype=str)
    rows, _ = pd.factorize(t["new_org_id"], sort=True)
    cols, _ = pd.factorize(t["projectRcn"], sort=True)
    B = sp.csr_matrix((np.ones(len(t)), (rows, cols)))
    exact = sdsm(B)
    assert len(exact) == 170_120  # the "stacked partnerships"
    assert exact.attrs["backbone"]["tests"] == 12_326 * 12_325 // 2
    # every kept tie shares more projects than the BiCM expects
    kept = exact[exact["kept"]]
    assert (kept["shared"] > kept["expected"]).all()
    assert 0 < len(kept) < 16_289  # fewer than the pairs sharing two or more projects
    # a pair of single-project partners sharing their project: p = their expected count, nearly
    ones = exact[(exact["shared"] == 1)].nsmallest(1, "expected").iloc[0]
    assert ones["pvalue"] == pytest.approx(ones["expected"], rel=1e-3)
