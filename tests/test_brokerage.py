"""Burt's constraint and effective size against networkx; Gould-Fernandez roles counted by hand and as sna does."""

import math
import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from ecosys.brokerage import ROLES, constraint, effective_size, gould_fernandez, structural_holes


def weighted_graph(seed, n=25, m=70):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(n, m, seed=seed)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.randint(1, 6)
    return G


def matrix(G):
    return nx.to_scipy_sparse_array(G, nodelist=range(len(G)), weight="weight", format="csr")


def same(ours, reference):
    for node, value in reference.items():
        if math.isnan(value):
            assert math.isnan(ours[node]), node
        else:
            assert ours[node] == pytest.approx(value, abs=1e-12), node


@pytest.mark.parametrize("seed", range(5))
def test_constraint_and_effective_size_equal_networkx_with_weights(seed):
    G = weighted_graph(seed)
    G.add_node(len(G))  # an isolated node: NaN in both
    c, e = structural_holes(matrix(G))
    same(c, nx.constraint(G, weight="weight"))
    # networkx 3.6 has two code paths for the weighted effective size. Asked for given nodes,
    # it follows its documented formula, m_vw = w_vw / (v's largest weight). Asked for all
    # nodes, its sparse shortcut divides by a 1-D array of row maxima, which scipy broadcasts
    # over columns: it divides by w's largest weight instead, and differs (5.4043 instead of
    # 5.4058 for node 1 here). We follow the documented definition (Burt 1992).
    same(e, nx.effective_size(G, nodes=list(G), weight="weight"))


@pytest.mark.parametrize("seed", range(3))
def test_unweighted_effective_size_is_borgattis(seed):
    G = nx.gnm_random_graph(30, 90, seed=seed)
    A = nx.to_scipy_sparse_array(G, nodelist=range(30), format="csr")
    same(effective_size(A), nx.effective_size(G))
    same(constraint(A), nx.constraint(G))


def test_structural_holes_by_hand():
    # a triangle 0-1-2 with a pendant 3 on 0, weights 0-1: 2, else 1
    A = sp.csr_matrix(np.array([[0, 2, 1, 1], [2, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=float))
    c, e = structural_holes(A)
    # node 3: one partner, constraint 1, effective size 1
    assert (c[3], e[3]) == (1.0, 1.0)
    # node 0: s = 4; p01 = 1/2, p02 = 1/4, p03 = 1/4; p12 = 1/3, p21 = 1/2
    # c01 = (1/2 + p02 p21)^2 = (1/2 + 1/8)^2; c02 = (1/4 + p01 p12)^2 = (1/4 + 1/6)^2; c03 = (1/4)^2
    assert c[0] == pytest.approx((5 / 8) ** 2 + (5 / 12) ** 2 + 1 / 16)
    # effective size of 0: 3 - [p02 m12 + p01 m21] with m12 = 1/2 (1's largest tie is 2), m21 = 1
    assert e[0] == pytest.approx(3 - (1 / 4 * 1 / 2 + 1 / 2 * 1))
    with pytest.raises(ValueError, match="symmetric"):
        structural_holes(sp.csr_matrix(np.array([[0, 1], [0, 0]])))


# -- Gould-Fernandez ---------------------------------------------------------------------------

def sna_brokerage_counts(G, groups):
    """sna's brokerage_R, literally: every arc i -> j, every arc j -> k, k != i, no arc i -> k."""
    counts = {j: [0] * 5 for j in G}
    for i in G:
        for j in G[i]:
            for k in G[j]:
                if k == i or G.has_edge(i, k):
                    continue
                if groups[j] == groups[i]:
                    counts[j][0 if groups[j] == groups[k] else 2] += 1
                elif groups[j] == groups[k]:
                    counts[j][3] += 1
                elif groups[i] == groups[k]:
                    counts[j][1] += 1
                else:
                    counts[j][4] += 1
    return counts


def test_gould_fernandez_counted_by_hand():
    # Rome (municipality) is tied to Milan (municipality), PoliMi and Sapienza (universities),
    # Caritas (third sector); PoliMi - Sapienza are tied. Open two-paths through Rome:
    #   Milan-PoliMi, Milan-Sapienza: i with the broker, k apart: representative + gatekeeper, each
    #   Milan-Caritas: same; PoliMi-Caritas, Sapienza-Caritas: both apart, differently: liaison x2 each
    names = ["Rome", "Milan", "PoliMi", "Sapienza", "Caritas"]
    groups = ["municipality", "municipality", "university", "university", "third sector"]
    edges = [(0, 1), (0, 2), (0, 3), (0, 4), (2, 3)]
    A = sp.csr_matrix((np.ones(10), ([a for a, b in edges] + [b for a, b in edges], [b for a, b in edges] + [a for a, b in edges])), shape=(5, 5))
    b = gould_fernandez(A, groups)
    rome = dict(zip(ROLES, b.observed[0].tolist()))
    assert rome == {"coordinator": 0, "itinerant": 0, "representative": 3, "gatekeeper": 3, "liaison": 4, "total": 10}
    # PoliMi brokers Rome-? no: Rome and Sapienza are tied; PoliMi has no open two-path
    assert b.observed[2].tolist() == [0] * 6 and b.observed[1].tolist() == [0] * 6
    frame = b.to_frame()
    assert list(frame.columns[:6]) == [f"brokerage_{r}" for r in ROLES]
    assert frame["brokerage_liaison"].tolist() == [4, 0, 0, 0, 0]


def test_gould_fernandez_expectations_by_hand():
    # 4 nodes, 2 groups of 2, 4 undirected ties = 8 arcs: d = 8 / 12 = 2/3
    A = sp.csr_matrix(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 1], [1, 0, 1, 0]]))
    b = gould_fernandez(A, ["uni", "city", "uni", "city"])
    a = (2 / 3) ** 2 * (1 / 3)  # d^2 (1 - d) = 4/27
    assert b.density == pytest.approx(2 / 3)
    # by broker's group (size 2): coordinator (n-1)(n-2) = 0; itinerant 2*1; representative (N-n)(n-1) = 2;
    # liaison: no third group; total (N-1)(N-2) = 6
    assert b.group_expected[0].tolist() == pytest.approx([0, 2 * a, 2 * a, 2 * a, 0, 6 * a])
    # variance of the total: e (1 - a) + 2 (N-1)(N-2)(N-3) d^3 (1-d)^3 = 8/9
    assert b.group_sd[0][5] == pytest.approx(math.sqrt(8 / 9))
    assert b.z[1][5] == pytest.approx((0 - 6 * a) / math.sqrt(8 / 9))
    assert b.observed[0].tolist() == [0, 2, 1, 1, 0, 4]


@pytest.mark.parametrize("seed", range(4))
def test_gould_fernandez_counts_equal_a_literal_sna_loop(seed):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(40, 120, seed=seed)
    groups = {n: rng.choice("ABCD") for n in G}
    A = nx.to_scipy_sparse_array(G, nodelist=range(40), format="csr")
    b = gould_fernandez(A, [groups[n] for n in range(40)])
    reference = sna_brokerage_counts(G, groups)
    for j in G:
        assert b.observed[j, :5].tolist() == reference[j], j
    assert b.totals[5] == sum(sum(r) for r in reference.values())
    s = b.summary()
    assert set(s["groups"]) == {"A", "B", "C", "D"} and s["observed"]["total"] == int(b.totals[5])


@pytest.mark.parametrize("seed", range(3))
def test_weighted_clustering_equals_networkx(seed):
    from ecosys.brokerage import projection_measures

    G = weighted_graph(seed)
    G.add_node(len(G))
    ours = projection_measures(matrix(G))["clustering"]
    reference = nx.clustering(G, weight="weight")
    assert dict(enumerate(ours)) == pytest.approx(reference, abs=1e-12)


def test_gould_fernandez_liaison_expectation_with_three_groups_by_hand():
    # a path 0 - 1 - 2 - 3, groups A A B C: N = 4, 3 ties = 6 arcs, d = 6 / 12 = 1/2
    A = sp.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]))
    b = gould_fernandez(A, ["A", "A", "B", "C"])
    a = 0.5**2 * 0.5  # d^2 (1 - d)
    # liaison by broker's group: ((sum of the other sizes)^2 - sum of their squares)
    # A (others 1, 1): 4 - 2 = 2; B (others 2, 1): 9 - 5 = 4; C (others 2, 1): 4
    assert b.group_expected[:, 4].tolist() == pytest.approx([2 * a, 4 * a, 4 * a])
    # broker 1 (A) between 0 (A) and 2 (B): representative and gatekeeper once each;
    # broker 2 (B) between 1 (A) and 3 (C): liaison twice
    assert b.observed[1].tolist() == [0, 0, 1, 1, 0, 2]
    assert b.observed[2].tolist() == [0, 0, 0, 0, 2, 2]
    assert b.totals.tolist() == [0, 0, 1, 1, 2, 4]


@pytest.mark.parametrize("seed", range(3))
def test_loops_stored_zeros_and_unsorted_indices_are_left_out_of_every_measure(seed):
    from ecosys.brokerage import projection_measures

    G = weighted_graph(seed)
    clean = matrix(G).tocoo()
    rng = np.random.default_rng(seed)
    # the same ties in shuffled order within their rows, with two loops and a stored zero both ways
    a, b = next((a, b) for a in range(len(G)) for b in range(a + 1, len(G)) if not G.has_edge(a, b))
    rows = np.concatenate([clean.row, [0, 3, a, b]])
    cols = np.concatenate([clean.col, [0, 3, b, a]])
    data = np.concatenate([clean.data, [5.0, 2.0, 0.0, 0.0]])
    order = np.lexsort((rng.random(len(rows)), rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(G)))])
    messy = sp.csr_matrix((data[order], cols[order], indptr), shape=clean.shape)
    messy.has_sorted_indices = False
    assert messy.diagonal().any() and (messy.data == 0).any()
    ours, reference = projection_measures(messy), projection_measures(clean.tocsr())
    for name in reference:
        np.testing.assert_array_equal(ours[name], reference[name])
    messy_roles = gould_fernandez(messy, [n % 3 for n in range(len(G))]).observed
    np.testing.assert_array_equal(messy_roles, gould_fernandez(clean.tocsr(), [n % 3 for n in range(len(G))]).observed)


def test_an_asymmetric_matrix_is_refused():
    A = sp.csr_matrix(np.array([[0, 1.0, 1], [1, 0, 0], [0, 0, 0]]))
    with pytest.raises(ValueError, match="symmetric"):
        structural_holes(A)


# -- the triangle pass: the same bits as the kernel it replaced ----------------------------------

def former_burt_sums(n, indptr_o, targets_o, weight_o, root_o, inverse_strength, most, TZ, G, out):
    """The triangle pass before its ties were packed side by side (session 23), kept as the reference."""
    mark = np.full(n, -1, dtype=targets_o.dtype)  # mark[w]: where w is among u's targets, -1 if not
    longest = np.max(indptr_o[1:] - indptr_o[:-1])  # the most ties a node has to higher ranks
    hit_s, hit_q = np.empty(longest + 1, dtype=np.int64), np.empty(longest + 1, dtype=np.int64)
    for u in range(n):
        lo, hi = indptr_o[u], indptr_o[u + 1]
        for t in range(lo, hi):
            mark[targets_o[t]] = t - lo
        su, gu = inverse_strength[u], G[u]
        for t in range(lo, hi):
            v = targets_o[t]
            # the triangles u, v, w first (no branch: a fifth of the probes hit, at random), then their sums
            k = 0
            for s in range(indptr_o[v], indptr_o[v + 1]):
                q = mark[targets_o[s]]
                hit_s[k], hit_q[k] = s, q
                k += q >= 0
            if k == 0:
                continue
            wuv, root_uv, sv = weight_o[t], root_o[t], inverse_strength[v]
            T, Z, gv = TZ[t, 0], TZ[t, 1], G[v]  # summed here in the same order as in memory (no other tie is t)
            for i in range(k):
                s, q = hit_s[i], lo + hit_q[i]
                w = targets_o[s]
                wuw, wvw = weight_o[q], weight_o[s]
                x = wuw * wvw
                T += x
                Z += x * inverse_strength[w]
                x = wuv * wvw
                TZ[q, 0] += x
                TZ[q, 1] += x * sv
                x = wuv * wuw
                TZ[s, 0] += x
                TZ[s, 1] += x * su
                g = root_uv * root_o[q] * root_o[s]
                gu += g
                gv += g
                G[w] += g
            TZ[t, 0], TZ[t, 1], G[v] = T, Z, gv
        G[u] = gu
        for t in range(lo, hi):
            v = targets_o[t]
            mark[v] = -1
            direct_indirect = weight_o[t] + TZ[t, 1]
            x = inverse_strength[u] * direct_indirect
            out[u, 0] += x * x
            x = inverse_strength[v] * direct_indirect
            out[v, 1] += x * x
            # divided as numpy divides: infinite or NaN by 0 (a row of negative weights), where numba would raise
            x, y = inverse_strength[u] * TZ[t, 0], most[v]
            out[u, 2] += x / y if y != 0 else (x * np.inf if x != 0 else np.nan)
            x, y = inverse_strength[v] * TZ[t, 0], most[u]
            out[v, 3] += x / y if y != 0 else (x * np.inf if x != 0 else np.nan)


def projection_with_hubs(seed, partners=400, projects=300, rows=1600):
    """The weighted partner projection of a random table with hubs (partners in many projects, a few large
    projects) and leaves, as ecosys builds it."""
    rng = random.Random(seed)
    pairs = {(rng.randrange(partners), rng.randrange(projects)) for _ in range(rows)}
    pairs |= {(0, k) for k in range(0, projects, 2)} | {(1, k) for k in range(0, projects, 5)}
    pairs |= {(k, 7) for k in range(0, partners, 6)}
    a, p = np.array(sorted(pairs)).T
    B = sp.csr_matrix((np.ones(len(a)), (a, p)), shape=(partners, projects))
    W = (B @ B.T).tolil()
    W.setdiag(0)
    W = sp.csr_matrix(W)
    W.eliminate_zeros()
    return W


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_triangle_pass_is_the_same_bits_as_the_former_kernel(seed, monkeypatch):
    import numba

    from ecosys import brokerage

    W = projection_with_hubs(seed)
    former = numba.njit(former_burt_sums)

    def former_packed(n, indptr_o, targets_o, ties, inverse_strength, most, G, out):
        TZ = np.zeros((len(targets_o), 2))
        former(n, indptr_o, targets_o, ties[:, 0].copy(), ties[:, 1].copy(), inverse_strength, most, TZ, G, out)

    ours = brokerage.projection_measures(W)
    assert sum(x > 0 for x in ours["clustering"]) > 100  # triangles, many
    monkeypatch.setattr(brokerage, "_burt_sums", former_packed)
    theirs = brokerage.projection_measures(W)
    for key in ours:
        assert ours[key].tobytes() == theirs[key].tobytes(), key


@pytest.mark.parametrize("seed", [1, 2])
def test_the_pass_keeps_the_weights_once_in_its_ties(seed, monkeypatch):
    from ecosys import brokerage

    W = projection_with_hubs(seed)
    alone = brokerage._prepare(W)
    seen = {}

    def kept(n, indptr_o, targets_o, ties, *rest):
        seen["ties"] = ties.copy()
        seen["owns"] = ties.base is None and ties.flags["C_CONTIGUOUS"]
        kernel(n, indptr_o, targets_o, ties, *rest)

    kernel = brokerage._burt_sums
    monkeypatch.setattr(brokerage, "_burt_sums", kept)
    brokerage.projection_measures(W)
    assert seen["ties"].shape == (len(alone.targets), 4)
    assert seen["ties"][:, 0].tobytes() == alone.weights.tobytes()  # the same ties in the same order
    former = np.zeros((len(alone.targets), 4))  # as the pass filled its ties before (np.cbrt's strided loop
    former[:, 0] = alone.weights  # may differ from its contiguous one in the last bit)
    np.cbrt(former[:, 0], out=former[:, 1])
    assert seen["ties"][:, 1].tobytes() == former[:, 1].tobytes()
    assert not seen["ties"][:, 2:].any() and seen["owns"]  # T and Z summed from 0, in the weights' own array


@pytest.mark.parametrize("small_work", [0, 10**12])  # compiled, then every kernel in plain Python
def test_whole_number_weights_give_the_bits_of_their_float_copy(small_work, monkeypatch):
    # the projection's counts (32-bit integers) go to Burt's pass as they are, without a float copy of every pair
    from ecosys import brokerage, compiled

    monkeypatch.setattr(compiled, "SMALL_WORK", small_work)
    rng = np.random.default_rng(5)
    B = sp.random(300, 60, density=0.06, random_state=rng, format="csr")
    B.data[:] = 1
    counts = (B.astype(np.int32) @ B.T.astype(np.int32)).tocsr()
    counts.setdiag(0)
    counts.eliminate_zeros()
    assert counts.dtype == np.int32 and counts.data.max() > 1  # whole weights, some above 1
    ours, theirs = brokerage.projection_measures(counts), brokerage.projection_measures(counts.astype(float))
    assert sum(x > 0 for x in ours["clustering"]) > 50
    for key in ours:
        assert ours[key].tobytes() == theirs[key].tobytes(), key
