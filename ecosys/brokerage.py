"""Brokerage on the partner projection: Burt's structural holes and Gould-Fernandez roles.

Pure functions over the symmetric (weighted) adjacency matrix of the
projection, a scipy.sparse matrix with no diagonal. What these measures need
is, for every tie ``u - v``, a sum over the common neighbours ``w`` of ``u``
and ``v``: a pass over the triangles of the projection (15 million in the
whole CORDIS H2020 table), done once by a small compiled kernel (numba).

**Constraint** (Burt 1992, *Structural Holes*, ch. 2): with
``p_uv = w_uv / sum_x w_ux`` the share of ``u``'s ties invested in ``v``,

    constraint(u) = sum over v in N(u) of (p_uv + sum over w in N(u) of p_uw p_wv)^2

high when ``u``'s partners are few or tied to each other (no structural hole
to exploit); 1 for a node with one partner. As ``networkx.constraint`` with
``weight="weight"``; NaN for a node with no tie.

**Effective size** (Burt 1992): the number of ``u``'s partners minus their
redundancy,

    effective_size(u) = sum over v in N(u) of (1 - sum over w in N(u) of p_uw m_vw)

with ``m_vw = w_vw / max_x w_vx``. Unweighted, this is Borgatti's (1997)
``n - 2t/n`` (``t`` ties among the ``n`` partners). As
``networkx.effective_size`` with ``weight="weight"``; NaN for a node with no tie.

**Gould-Fernandez brokerage roles** (Gould & Fernandez 1989, "Structures of
mediation", Sociological Methodology 19:89), by a partner attribute (groups),
exactly as R's ``sna::brokerage``: every edge is two arcs, and for every
two-path ``i -> j -> k`` with ``i != k`` and no arc ``i -> k``, the broker
``j`` plays one role:

==============  ====================  =======================================
column          sna                   groups of i, j, k
==============  ====================  =======================================
coordinator     ``w_I``               all three the same (A A A)
itinerant       ``w_O`` (consultant)  i and k alike, j apart (A B A)
representative  ``b_IO``              i with j, k apart (A A B)
gatekeeper      ``b_OI``              j with k, i apart (A B B)
liaison         ``b_O``               all three different (A B C)
==============  ====================  =======================================

so on an undirected graph each open two-path ``i - j - k`` counts twice (and
once as representative, once as gatekeeper when exactly one end shares the
broker's group). The expected counts and standard deviations are sna's, by the
broker's group, for a random graph of the same density ``d = m / (N (N - 1))``
(``m`` arcs, ``N`` nodes) and group sizes ``n_g``; ``z = (observed -
expected) / sd``.

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> # a star: 0 in the middle of 1, 2, 3, with 2 - 3 tied
>>> A = sp.csr_matrix(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 1], [1, 0, 1, 0]]))
>>> constraint(A).round(4).tolist()
[0.6111, 1.0, 1.0069, 1.0069]
>>> effective_size(A).round(4).tolist()   # 0: 3 partners - 2 x 1 tie among them / 3
[2.3333, 1.0, 1.0, 1.0]
>>> roles = gould_fernandez(A, ["uni", "city", "uni", "city"])
>>> dict(zip(ROLES, roles.observed[0].tolist()))   # 0 (uni) between 1 (city), 2 (uni), 3 (city)
{'coordinator': 0.0, 'itinerant': 2.0, 'representative': 1.0, 'gatekeeper': 1.0, 'liaison': 0.0, 'total': 4.0}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .compiled import SMALL_WORK, kernel

__all__ = [
    "ROLES", "Brokerage", "constraint", "effective_size", "gould_fernandez", "projection_measures", "structural_holes",
]

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")


# -- the triangle pass -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Oriented:
    """The ties of a symmetric matrix, each once, from its lower- to its higher-ranked end.

    Rank is (degree, index); the kernels see nodes by rank (``by_rank[r]`` is
    the node of rank ``r``), which keeps hubs together in memory (a third
    faster on the CORDIS projection). ``indptr`` groups the oriented ties by
    the rank of their source, each source's in increasing rank of their
    target; ``targets`` are ranks, ``weights`` the ties' weights in the same
    order: column 0 of ``weights.base``, ``columns`` wide (room for a kernel's
    own values per tie, without a copy). 4 + 8 columns bytes a tie.
    """

    A: sp.csr_matrix
    rank: np.ndarray
    by_rank: np.ndarray
    indptr: np.ndarray
    targets: np.ndarray
    weights: np.ndarray


def _prepare(A, columns: int = 1) -> _Oriented:
    """The symmetric matrix ``A`` without diagonal, and its ties oriented by rank (see :class:`_Oriented`)."""
    A = sp.csr_matrix(A)  # whole numbers as they are (the projection's counts): no float copy of every pair
    A = A if A.dtype == np.float64 or np.issubdtype(A.dtype, np.integer) else A.astype(float)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"the adjacency matrix must be square, not {A.shape[0]} x {A.shape[1]}")
    # node indices and ranks in 32 bits when they fit: a third of the memory of the oriented ties
    index = np.int32 if max(n, A.nnz) < 2**31 else np.int64
    if A.nnz and ((A.data == 0).any() or A.diagonal().any()):  # rare: loops or stored zeros, left out
        rows = np.repeat(np.arange(n, dtype=index), np.diff(A.indptr))
        kept = (A.indices != rows) & (A.data != 0)
        A = sp.csr_matrix((A.data[kept], (rows[kept], A.indices[kept])), shape=A.shape)
        del rows, kept
    if not A.has_sorted_indices:
        A.sort_indices()
    degree = np.diff(A.indptr)
    by_rank = np.argsort(degree, kind="stable").astype(index)
    rank = np.empty(n, dtype=index)
    rank[by_rank] = np.arange(n, dtype=index)
    indptr = np.zeros(n + 1, dtype=np.int64)
    _count_forward(A.indptr, A.indices, rank, by_rank, indptr[1:])
    np.cumsum(indptr, out=indptr)
    if 2 * int(indptr[-1]) != A.nnz:
        raise ValueError("the adjacency matrix must be symmetric (an undirected projection)")
    targets, weights = np.empty(indptr[-1], dtype=index), np.zeros((indptr[-1], columns))[:, 0]
    _orient(A.indptr, A.indices, A.data, rank, by_rank, indptr, targets, weights)
    return _Oriented(A, rank, by_rank, indptr, targets, weights)


@kernel(work=lambda indptr, *_: len(indptr) + indptr[-1])
def _count_forward(indptr, indices, rank, by_rank, out):  # pragma: no cover (compiled)
    """``out[r]``: how many ties of the node of rank ``r`` go to higher ranks."""
    for r in range(len(by_rank)):
        i = by_rank[r]
        c = 0
        for k in range(indptr[i], indptr[i + 1]):
            if rank[indices[k]] > r:
                c += 1
        out[r] = c


@kernel(work=lambda indptr, *_: len(indptr) + indptr[-1])
def _orient(indptr, indices, data, rank, by_rank, indptr_o, targets_o, weights_o):  # pragma: no cover (compiled)
    """Fill the oriented ties: each rank's ties to higher ranks, by increasing target rank."""
    for r in range(len(by_rank)):
        i = by_rank[r]
        t = indptr_o[r]
        for k in range(indptr[i], indptr[i + 1]):
            if rank[indices[k]] > r:
                targets_o[t] = rank[indices[k]]
                weights_o[t] = data[k]
                t += 1
        lo, hi = indptr_o[r], indptr_o[r + 1]
        if hi - lo > 1:
            order = np.argsort(targets_o[lo:hi])  # distinct targets: the same order whatever the sort
            targets_o[lo:hi] = targets_o[lo:hi][order]
            weights_o[lo:hi] = weights_o[lo:hi][order]


def _triangle_work(n, indptr_o, targets_o, *_):
    """The kernels' probes (each tie's target's out-ties), counted only where they may be few."""
    if len(targets_o) > SMALL_WORK:
        return len(targets_o)
    return n + int(np.diff(indptr_o)[targets_o].sum())


@kernel(nogil=True, work=_triangle_work)
def _burt_sums(n, indptr_o, targets_o, ties, inverse_strength, most, G, out):  # pragma: no cover (compiled)
    """One pass over the triangles, then each tie's share of its ends' constraint and redundancy.

    ``ties`` holds, for each oriented tie (a, b), side by side (one cache line, not four arrays): its
    weight, its weight's cube root, ``T`` = the sum over common neighbours c of w_ac w_cb and ``Z`` =
    the same over s_c (both summed here from 0). ``G`` gets, for each node, the sum over its
    triangles of the cube root of their weights' product (no root taken per triangle).

    A tie's T and Z are whole once its source is done (triangles are found
    from their lowest-ranked node, and a tie is a triangle's third side only
    for sources ranked below its own), so the source's ties are then summed
    into ``out``'s columns: constraint at the source and at the target, and
    redundancy at the source and at the target, each in the order of the ties
    (the sums of ``np.bincount`` over the ties, to the bit).
    """
    mark = np.full(n, -1, dtype=targets_o.dtype)  # mark[w]: where w is among u's targets, -1 if not
    longest = np.max(indptr_o[1:] - indptr_o[:-1])  # the most ties a node has to higher ranks
    hit_s, hit_q = np.empty(longest + 1, dtype=targets_o.dtype), np.empty(longest + 1, dtype=targets_o.dtype)
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
                hit_s[k], hit_q[k] = s - indptr_o[v], q
                k += q >= 0
            if k == 0:
                continue
            wuv, root_uv, sv = ties[t, 0], ties[t, 1], inverse_strength[v]
            T, Z, gv = ties[t, 2], ties[t, 3], G[v]  # summed here in the same order as in memory (no other tie is t)
            for i in range(k):
                s, q = indptr_o[v] + hit_s[i], lo + hit_q[i]
                w = targets_o[s]
                wuw, wvw = ties[q, 0], ties[s, 0]
                x = wuw * wvw
                T += x
                Z += x * inverse_strength[w]
                x = wuv * wvw
                ties[q, 2] += x
                ties[q, 3] += x * sv
                x = wuv * wuw
                ties[s, 2] += x
                ties[s, 3] += x * su
                g = root_uv * ties[q, 1] * ties[s, 1]
                gu += g
                gv += g
                G[w] += g
            ties[t, 2], ties[t, 3], G[v] = T, Z, gv
        G[u] = gu
        for t in range(lo, hi):
            v = targets_o[t]
            mark[v] = -1
            direct_indirect = ties[t, 0] + ties[t, 3]
            x = inverse_strength[u] * direct_indirect
            out[u, 0] += x * x
            x = inverse_strength[v] * direct_indirect
            out[v, 1] += x * x
            # divided as numpy divides: infinite or NaN by 0 (a row of negative weights), where numba would raise
            x, y = inverse_strength[u] * ties[t, 2], most[v]
            out[u, 2] += x / y if y != 0 else (x * np.inf if x != 0 else np.nan)
            x, y = inverse_strength[v] * ties[t, 2], most[u]
            out[v, 3] += x / y if y != 0 else (x * np.inf if x != 0 else np.nan)


@kernel(work=lambda indptr, data, *_: len(indptr) + len(data))
def _row_sums_and_maxima(indptr, data, sums, maxima):  # pragma: no cover (compiled)
    """Each row's sum (in the order of its entries, as ``np.bincount``) and largest entry (0 for none)."""
    for i in range(len(indptr) - 1):
        total, largest = 0.0, 0.0
        for k in range(indptr[i], indptr[i + 1]):
            total += data[k]
            if not data[k] <= largest:  # NaN too, as np.maximum
                largest = data[k]
        sums[i], maxima[i] = total, largest


@kernel(work=_triangle_work)
def _closed_roles(n, indptr_o, targets_o, group, closed):  # pragma: no cover (compiled)
    """For each broker j, ordered pairs (i, k) of its neighbours that are tied, counted by role."""
    mark = np.zeros(n, dtype=np.bool_)
    longest = np.max(indptr_o[1:] - indptr_o[:-1])  # the most ties a node has to higher ranks
    hits = np.empty(longest + 1, dtype=np.int64)
    for u in range(n):
        for t in range(indptr_o[u], indptr_o[u + 1]):
            mark[targets_o[t]] = True
        for t in range(indptr_o[u], indptr_o[u + 1]):
            v = np.int64(targets_o[t])  # 64-bit, as u: the triples below need one type
            k = 0  # the triangles u, v, w first, without a branch (as in _burt_sums)
            for s in range(indptr_o[v], indptr_o[v + 1]):
                w = targets_o[s]
                hits[k] = w
                k += mark[w]
            for h in range(k):
                w = hits[h]
                for j, i, k_ in ((u, v, w), (v, u, w), (w, u, v)):
                    gi, gj, gk = group[i], group[j], group[k_]
                    if gi == gj and gk == gj:
                        closed[j, 0] += 2
                    elif gi == gk:
                        closed[j, 1] += 2
                    elif gi == gj or gk == gj:
                        closed[j, 2] += 1
                        closed[j, 3] += 1
                    else:
                        closed[j, 4] += 2
        for t in range(indptr_o[u], indptr_o[u + 1]):
            mark[targets_o[t]] = False


# -- Burt ----------------------------------------------------------------------------------------

def structural_holes(W) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node of the symmetric weighted matrix ``W``.

    Examples
    --------
    A triangle with a pendant on node 2, which bridges it:

    >>> import numpy as np, scipy.sparse as sp
    >>> W = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float))
    >>> [x.round(3).tolist() for x in structural_holes(W)]
    [[1.007, 1.007, 0.611, 1.0], [1.0, 1.0, 2.333, 1.0]]
    """
    out = projection_measures(W)
    return out["constraint"], out["effective_size"]


def projection_measures(W) -> dict[str, np.ndarray]:
    """Constraint, effective size and weighted clustering of every node of ``W``, from one pass over its triangles.

    With ``T_uv = sum_w w_uw w_wv`` and ``Z_uv = sum_w w_uw w_wv / s_w`` over
    the common neighbours ``w`` (both symmetric, so computed once per
    triangle): ``p_uv + sum_w p_uw p_wv = (w_uv + Z_uv) / s_u`` and
    ``sum_w p_uw m_vw = T_uv / (s_u max_v)``.

    ``clustering`` is the weighted clustering of Onnela et al. (2005, PRE
    71:065103), as ``networkx.clustering(G, weight="weight")``: the sum over
    the node's triangles of the geometric mean of their three weights (over
    the largest weight of the graph), over ``k (k - 1) / 2``; 0 below degree 2.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> W = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float))
    >>> {k: v.round(3).tolist() for k, v in projection_measures(W).items()}
    {'constraint': [1.007, 1.007, 0.611, 1.0], 'effective_size': [1.0, 1.0, 2.333, 1.0], 'clustering': [1.0, 1.0, 0.333, 0.0]}
    """
    o = _prepare(W, columns=4)
    A, rank, by_rank, indptr, targets, n = o.A, o.rank, o.by_rank, o.indptr, o.targets, o.A.shape[0]
    strength, most = np.zeros(n), np.zeros(n)
    _row_sums_and_maxima(A.indptr, A.data, strength, most)
    inverse_strength = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    # by rank from here: the constraint at sources and targets, the redundancy at sources and targets
    G, out = np.zeros(n), np.zeros((n, 4))
    if len(targets):
        ties = o.weights.base  # weight, its cube root, T, Z (see _burt_sums): the weights written in place, no copy
        del o
        np.cbrt(ties[:, 0], out=ties[:, 1])
        _burt_sums(n, indptr, targets, ties, inverse_strength[by_rank], most[by_rank], G, out)
        del ties
    G, out = G[rank], out[rank]  # back from ranks to nodes
    degree = np.diff(A.indptr)
    c = out[:, 0] + out[:, 1]
    e = (degree - (out[:, 2] + out[:, 3])).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        top = A.data.max() if A.nnz else 1.0
        clustering = np.where(degree >= 2, 2 * G / top / (degree * (degree - 1.0)), 0.0)
    isolated = degree == 0
    c[isolated] = np.nan
    e[isolated] = np.nan
    return {"constraint": c, "effective_size": e, "clustering": clustering}


def constraint(W) -> np.ndarray:
    """Burt's constraint of every node of ``W`` (see the module docstring); NaN without ties.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> W = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float))
    >>> constraint(W).round(3).tolist()   # node 2, the bridge, is the least constrained
    [1.007, 1.007, 0.611, 1.0]
    """
    return structural_holes(W)[0]


def effective_size(W) -> np.ndarray:
    """Burt's effective size of every node of ``W`` (see the module docstring); NaN without ties.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> W = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float))
    >>> effective_size(W).round(3).tolist()   # node 2: 3 contacts less 2/3 redundancy
    [1.0, 1.0, 2.333, 1.0]
    """
    return structural_holes(W)[1]


# -- Gould-Fernandez -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Brokerage:
    """Gould-Fernandez brokerage, as ``sna::brokerage`` returns it.

    ``observed``, ``expected``, ``sd`` and ``z``: one row per node, one column
    per :data:`ROLES` (``raw.nli``, ``exp.nli``, ``sd.nli``, ``z.nli``);
    ``groups`` the group labels, ``sizes`` their sizes, ``group_expected`` and
    ``group_sd`` by broker's group (``exp.grp``, ``sd.grp``); ``density`` the
    ``d`` of the null model; ``totals``, ``total_expected``, ``total_sd`` the
    whole graph's counts (``raw.gli``, ``exp.gli``, ``sd.gli``).
    """

    observed: np.ndarray
    expected: np.ndarray
    sd: np.ndarray
    groups: list
    sizes: np.ndarray
    group_expected: np.ndarray
    group_sd: np.ndarray
    density: float
    totals: np.ndarray
    total_expected: np.ndarray
    total_sd: np.ndarray

    @property
    def z(self) -> np.ndarray:
        """``(observed - expected) / sd``; NaN where the null model has no variance (sna gives NaN or Inf)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.sd > 0, (self.observed - self.expected) / self.sd, np.nan)

    def to_frame(self, prefix: str = "brokerage_") -> pd.DataFrame:
        """One row per node: the counts and their z-scores (``brokerage_coordinator``, ..., ``_z``)."""
        columns = {f"{prefix}{r}": self.observed[:, k].astype(np.int64) for k, r in enumerate(ROLES)}
        columns.update({f"{prefix}{r}_z": self.z[:, k] for k, r in enumerate(ROLES)})
        return pd.DataFrame(columns)

    def summary(self) -> dict:
        """The expectations by group and for the whole graph, for summary.json."""
        return {
            "density": self.density,
            "groups": {
                str(g): {
                    "size": int(self.sizes[a]),
                    "expected": _numbers(self.group_expected[a]),
                    "sd": _numbers(self.group_sd[a]),
                }
                for a, g in enumerate(self.groups)
            },
            "observed": dict(zip(ROLES, self.totals.astype(np.int64).tolist())),
            "expected": _numbers(self.total_expected),
            "sd": _numbers(self.total_sd),
        }


def _numbers(values: np.ndarray) -> dict:
    """One value per role, rounded, for JSON: None where not finite."""
    return {r: (round(float(v), 6) + 0.0 if np.isfinite(v) else None) for r, v in zip(ROLES, values)}


def gould_fernandez(A, groups) -> Brokerage:
    """Gould-Fernandez brokerage roles of every node of the symmetric graph ``A`` given each node's group.

    ``groups`` is one label per node (any hashable values; blank labels are
    a group of their own). Weights are ignored: a tie is a tie.

    Examples
    --------
    Node 2 (group b) links the pair 0-1 (group a) to node 3 (group b): it is a
    representative or gatekeeper on each of the two open paths, counted both ways:

    >>> import numpy as np, scipy.sparse as sp
    >>> W = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float))
    >>> b = gould_fernandez(W, ["a", "a", "b", "b"])
    >>> b.observed[2].tolist()   # coordinator, itinerant, representative, gatekeeper, liaison, total
    [0.0, 0.0, 2.0, 2.0, 0.0, 4.0]
    """
    labels, group = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    group = group.astype(np.int64)
    o = _prepare(A)
    A = o.A
    n, G = A.shape[0], len(labels)
    if len(group) != n:
        raise ValueError(f"{len(group)} group labels for {n} nodes")
    # neighbours of each node by group
    E = sp.csr_matrix((np.ones(n), (np.arange(n), group)), shape=(n, G))
    Abin = sp.csr_matrix((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    by_group = (Abin @ E).tocsr()
    degree = np.diff(A.indptr).astype(float)
    same = np.asarray(by_group[np.arange(n), group]).ravel() if n else np.zeros(0)
    squares = np.asarray(by_group.multiply(by_group).sum(axis=1)).ravel() - same**2
    other = degree - same
    others_pairs = squares - np.asarray(by_group.sum(axis=1)).ravel() + same  # sum over other groups of n(n-1)
    possible = np.stack([
        same * (same - 1),            # coordinator
        others_pairs,                 # itinerant
        same * other,                 # representative
        same * other,                 # gatekeeper
        other**2 - squares,           # liaison
    ], axis=1)
    closed = np.zeros((n, 5))
    if A.nnz:
        _closed_roles(n, o.indptr, o.targets, group[o.by_rank], closed)
        closed = closed[o.rank]  # back from ranks to nodes
    observed = possible - closed + 0.0
    observed = np.hstack([observed, observed.sum(axis=1, keepdims=True)])
    sizes = np.bincount(group, minlength=G).astype(float)
    d = A.nnz / (n * (n - 1)) if n > 1 else 0.0
    ebr, vbr = _sna_group_moments(sizes, float(n), d)
    gbr, vgbr = _sna_global_moments(sizes, float(n), d)
    vbr, vgbr = np.maximum(vbr, 0.0), np.maximum(vgbr, 0.0)  # rounding can leave -1e-17
    return Brokerage(
        observed=observed, expected=ebr[group], sd=np.sqrt(vbr)[group], groups=list(labels), sizes=sizes,
        group_expected=ebr, group_sd=np.sqrt(vbr), density=d, totals=observed.sum(axis=0),
        total_expected=gbr, total_sd=np.sqrt(vgbr),
    )


def _choose2(x):
    return x * (x - 1) / 2


def _sna_group_moments(n: np.ndarray, N: float, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts and variances of each role by broker's group: sna's ``ebr`` and ``vbr``."""
    a = d**2 * (1 - d)
    b = d**3 * (1 - d) ** 3
    e = np.zeros((len(n), 6))
    v = np.zeros((len(n), 6))
    for i, ni in enumerate(n):
        o = np.delete(n, i)
        e[i, 0] = a * (ni - 1) * (ni - 2)
        v[i, 0] = e[i, 0] * (1 - a) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * b
        e[i, 1] = a * np.sum(o * (o - 1))
        v[i, 1] = e[i, 1] * (1 - a) + 2 * np.sum(o * (o - 1) * (o - 2)) * b
        e[i, 2] = a * (N - ni) * (ni - 1)
        v[i, 2] = e[i, 2] * (1 - a) + 2 * ((ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)) * b
        e[i, 3], v[i, 3] = e[i, 2], v[i, 2]
        e[i, 4] = a * (o.sum() ** 2 - np.sum(o**2))
        v[i, 4] = e[i, 4] * (1 - a) + 4 * np.sum(o * _choose2(N - o - ni) * b)
        e[i, 5] = a * (N - 1) * (N - 2)
        v[i, 5] = e[i, 5] * (1 - a) + 2 * (N - 1) * (N - 2) * (N - 3) * b
    return e, v


def _sna_global_moments(n: np.ndarray, N: float, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected whole-graph counts and variances of each role: sna's ``egbr`` and ``vgbr``."""
    a = d**2 * (1 - d)
    b3, b4, b5 = d**3 * (1 - d) ** 3, d**4 * (1 - d) ** 2, d**5 * (1 - d)
    e, v = np.zeros(6), np.zeros(6)
    e[0] = a * np.sum(n * (n - 1) * (n - 2))
    v[0] = e[0] * (1 - a) + np.sum(n * (n - 1) * (n - 2) * ((4 * n - 10) * b3 - 4 * (n - 3) * b4 + (n - 3) * b5))
    e[1] = a * np.sum(n * (N - n) * (n - 1))
    x, y = n[:, None], n[None, :]
    v[1] = e[1] * (1 - a) + (
        np.sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * b3 + (N - x - 1) * b5))
        - np.sum(n * n * (n - 1) * ((4 * n - 6) * b3 + (N - n - 1) * b5))
    )
    e[2] = a * np.sum(n * (N - n) * (n - 1))
    v[2] = e[2] * (1 - a) + np.sum(n * (N - n) * (n - 1) * ((N - 3) * b3 + (n - 2) * b5))
    e[3], v[3] = e[2], v[2]
    e[4] = a * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    v[4] = e[4] * (1 - a)
    for i, ni in enumerate(n):  # sum over distinct groups i, j, k
        nj, nk = n[:, None], n[None, :]
        term = ni * nj * nk * (
            (4 * (N - nj) - 2 * (ni + nk + 1)) * b3 - (4 * (N - nk) - 2 * (ni + nj + 1)) * b4 + (N - (ni + nk + 1)) * b5
        )
        mask = np.ones((len(n), len(n)), dtype=bool)
        mask[i, :] = mask[:, i] = False
        np.fill_diagonal(mask, False)
        v[4] += term[mask].sum()
    e[5] = a * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - a) + N * (N - 1) * (N - 2) * ((4 * N - 10) * b3 - 4 * (N - 3) * b4 + (N - 3) * b5)
    return e, v
