"""Two-mode clustering and redundancy of every partner and project, from the incidence matrix.

Both are computed on the bipartite graph itself, not on a projection, with
scipy.sparse products over the partners x projects incidence matrix ``B``;
both sides at once (rows of ``B`` are partners, columns projects).

**Clustering** (Latapy, Magnien & Del Vecchio 2008, "Basic notions for the
analysis of large two-mode networks", Social Networks 30:31): for a node
``u`` with second neighbours ``N2(u)`` (partners sharing a project with a
partner; projects sharing a partner with a project),

    c(u) = mean over v in N2(u) of |N(u) & N(v)| / |N(u) | N(v)|      ("dot")

or with ``min(|N(u)|, |N(v)|)`` ("min") or ``max`` ("max") below the line:
how much of their neighbourhoods a node's second neighbours share with it. A
node with no second neighbour has 0. As
``networkx.algorithms.bipartite.clustering``.

**Redundancy** (Latapy et al. 2008): for a node ``u`` of degree at least 2,
the share of pairs of its neighbours that are also linked through some node
other than ``u`` (two projects of a partner that share another partner):

    r(u) = |{ {v, w} in N(u) : N(v) & N(w) - {u} nonempty }| / C(|N(u)|, 2)

As ``networkx.algorithms.bipartite.node_redundancy``, which raises for nodes
of degree below 2; here their redundancy is undefined, NaN (an empty cell in
the tables). Computed as ``diag(B Q B^T)`` with ``Q = (B^T B >= 2)`` off the
diagonal (pairs of projects sharing two partners or more), and likewise for
projects.

**Hubs.** Visiting every pair of a hub's projects (a partner in thousands of
them) would cost the square of its degree. Instead, a pair sharing exactly
one node adds ``1 / (d_u + d_v - 1)`` to the clustering sum and 1 to the
count, which depends only on the two degrees: each node sums it over its
neighbours' histograms of degrees (few distinct values). Only the pairs
sharing two nodes or more are then listed and corrected: through the
ordinary neighbours (of degree at most :data:`HUB_DEGREE`) scanned one by
one, the hubs among the found nodes' neighbours looked up, and the nodes two
hubs share listed once per pair of hubs. The values are those of the
pair-by-pair pass within 1e-12 (another order of summation); the extra
memory is a few integers per row and per pair of hubs met in one node.

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> B = sp.csr_matrix(np.array([[1, 1], [1, 1], [1, 0]]))   # A, B in P1 and P2; C in P1
>>> partners, projects = latapy_clustering(B)
>>> partners.round(4).tolist(), projects.round(4).tolist()
([0.75, 0.75, 0.5], [0.6667, 0.6667])
>>> partners, projects = redundancy(B)   # P1: of A-B, A-C, B-C only A-B meet again (in P2)
>>> partners.tolist(), projects.tolist()
([1.0, 1.0, nan], [0.3333333333333333, 1.0])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .compiled import kernel

__all__ = ["clustering_and_redundancy", "latapy_clustering", "redundancy"]


def _binary(B) -> sp.csr_matrix:
    B = sp.csr_matrix(B, dtype=np.int64)
    B.sum_duplicates()
    B.eliminate_zeros()
    B.data[:] = 1
    return B


def latapy_clustering(B, mode: str = "dot") -> tuple[np.ndarray, np.ndarray]:
    """Latapy clustering of the rows (partners) and columns (projects) of the incidence matrix ``B``.

    ``mode`` is ``"dot"`` (shared / union), ``"min"`` or ``"max"`` (shared /
    the smaller or larger degree), as networkx's ``bipartite.clustering``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]]))   # a path of three partners
    >>> [side.round(3).tolist() for side in latapy_clustering(B)]       # partner 0 with 1: 2 shared of 3
    [[0.5, 0.667, 0.5], [0.5, 0.667, 0.5]]
    """
    if mode not in ("dot", "min", "max"):
        raise ValueError(f"unknown clustering mode {mode!r}: expected dot, min or max")
    B = _binary(B)
    return _side_clustering(B, B @ B.T, mode), _side_clustering(B.T.tocsr(), B.T @ B, mode)


def redundancy(B) -> tuple[np.ndarray, np.ndarray]:
    """Latapy redundancy of the rows (partners) and columns (projects) of ``B``; NaN below degree 2.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]]))
    >>> [side.round(3).tolist() for side in redundancy(B)]   # partner 1's projects 0 and 2 share only it
    [[1.0, 0.667, 1.0], [1.0, 0.667, 1.0]]
    """
    return clustering_and_redundancy(B)["redundancy"]


def clustering_and_redundancy(B) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Clustering ("dot"), redundancy and projection degree of both sides, from one pass per side.

    Returns ``{"clustering": (partners, projects), "redundancy": ...,
    "projection_degree": ...}``; ``projection_degree`` counts the distinct
    second neighbours (co-partners of a partner, projects sharing a partner
    with a project). Computed by a compiled pass over the two-step paths, so
    neither ``B B^T`` nor ``B^T B`` is ever built: the pass over the rows
    gives their clustering and the columns' redundancy, and the other way round.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]]))
    >>> out = clustering_and_redundancy(B)
    >>> out["clustering"][0].round(3).tolist(), out["projection_degree"][0].tolist()
    ([0.5, 0.667, 0.5], [2, 2, 2])
    """
    B = _binary(B)
    BT = B.T.tocsr()
    rows = _side_pass(B, BT)
    cols = _side_pass(BT, B)
    return {
        "clustering": (rows["clustering"], cols["clustering"]),
        "redundancy": (cols["redundancy_of_columns"], rows["redundancy_of_columns"]),
        "projection_degree": (rows["degree"], cols["degree"]),
    }


# Hub columns (more rows than this) are never scanned row by row: their pairs sharing one column are summed from
# the histogram of row degrees, the rows they share with another hub are listed once per pair of hubs.
HUB_DEGREE = 64


def _side_pass(M: sp.csr_matrix, MT: sp.csr_matrix) -> dict:
    """Second-neighbour counts and dot clustering of the rows of ``M``, and the redundancy of its columns."""
    n, m = M.shape
    indptr, indices = M.indptr.astype(np.int64), M.indices.astype(np.int64)
    t_indptr, t_indices = MT.indptr.astype(np.int64), MT.indices.astype(np.int64)
    row_degree = np.diff(indptr)
    column_degree = np.diff(t_indptr)
    hub = column_degree > HUB_DEGREE
    single = _single_shared(m, t_indptr, t_indices, row_degree, hub)  # pairs in a hub as if sharing it alone
    hub_columns = np.flatnonzero(hub)
    H = M[:, hub_columns].tocsr()  # each row's hubs, by hub number
    H.sort_indices()
    h_indptr, h_indices = H.indptr.astype(np.int64), H.indices.astype(np.int64)
    keys, rows = _hub_pairs(n, h_indptr, h_indices, len(hub_columns))
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    pair_keys, starts = np.unique(keys, return_index=True)
    pair_starts = np.append(starts, len(keys)).astype(np.int64)
    clustering = np.zeros(n)
    second = np.zeros(n, dtype=np.int64)
    linked = np.zeros(m)
    _multi_shared(n, indptr, indices, t_indptr, t_indices, hub, hub_columns, h_indptr, h_indices,
                  len(hub_columns), pair_keys, pair_starts, rows, row_degree.astype(np.float64), single,
                  clustering, second, linked)
    column_degree = column_degree.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        redundancy = np.where(column_degree >= 2, linked / (column_degree * (column_degree - 1)), np.nan)
    return {"clustering": clustering, "degree": second, "redundancy_of_columns": redundancy}


@kernel(nogil=True, work=lambda m, t_indptr, *_: m + 4 * len(t_indptr))
def _single_shared(m, t_indptr, t_indices, row_degree, hub):  # pragma: no cover
    """For each row u, the sum over its hub columns k and k's other rows v of 1 / (d_u + d_v - 1).

    Computed per column from the histogram of its rows' degrees (few distinct
    values), so a hub column costs its distinct degrees squared, not its rows squared.
    """
    out = np.zeros(len(row_degree))
    for k in range(m):
        size = t_indptr[k + 1] - t_indptr[k]
        if not hub[k] or size < 2:
            continue
        degrees = np.sort(row_degree[t_indices[t_indptr[k]:t_indptr[k + 1]]])
        values = np.empty(size, dtype=np.int64)
        counts = np.zeros(size, dtype=np.int64)
        distinct = 0
        for i in range(size):
            if distinct == 0 or degrees[i] != values[distinct - 1]:
                values[distinct] = degrees[i]
                distinct += 1
            counts[distinct - 1] += 1
        sums = np.zeros(distinct)
        for j in range(distinct):
            total = 0.0
            for i in range(distinct):
                c = counts[i] - (1 if i == j else 0)
                if c > 0:
                    total += c / (values[j] + values[i] - 1.0)
            sums[j] = total
        for s in range(t_indptr[k], t_indptr[k + 1]):
            u = t_indices[s]
            out[u] += sums[np.searchsorted(values[:distinct], row_degree[u])]
    return out


@kernel(work=lambda n, h_indptr, *_: n + 4 * len(h_indptr))
def _hub_pairs(n, h_indptr, h_indices, hubs):  # pragma: no cover
    """For each row, every pair of its hubs (h1 < h2) as the key ``h1 * hubs + h2``, with the row."""
    total = 0
    for u in range(n):
        c = h_indptr[u + 1] - h_indptr[u]
        total += c * (c - 1) // 2
    keys = np.empty(total, dtype=np.int64)
    rows = np.empty(total, dtype=np.int64)
    at = 0
    for u in range(n):
        for a in range(h_indptr[u], h_indptr[u + 1]):
            for b in range(a + 1, h_indptr[u + 1]):
                keys[at] = h_indices[a] * hubs + h_indices[b]
                rows[at] = u
                at += 1
    return keys, rows


@kernel(nogil=True, work=lambda n, indptr, indices, t_indptr, *_: n + 4 * len(indices))
def _multi_shared(n, indptr, indices, t_indptr, t_indices, hub, hub_columns, h_indptr, h_indices, hubs,
                  pair_keys, pair_starts, pair_rows, degree, single, clustering, second, linked):  # pragma: no cover
    """For each row u, its clustering and second neighbours, and the ordered pairs meeting again in ``linked``.

    The rows v met in u's ordinary columns (scanned one by one, as a row with
    no hub always was, in the same order: the same bits) or in two of u's
    hubs (listed once per pair of hubs) are counted with their x shared
    columns, u's hubs among them looked up; for those met in hubs,
    ``x / (d_u + d_v - x)`` replaces the ``1 / (d_u + d_v - 1)`` per hub
    counted in ``single``. Each of the x >= 2 shared columns gets the
    ordered pair (u, v) in ``linked``.
    """
    shared = np.zeros(n, dtype=np.int64)
    in_hubs = np.zeros(n, dtype=np.int64)
    touched = np.zeros(n, dtype=np.int64)
    mark = np.full(max(hubs, 1), -1, dtype=np.int64)
    stamp = np.zeros(n, dtype=np.int64)
    stamp_id = 0
    for u in range(n):
        for t in range(h_indptr[u], h_indptr[u + 1]):
            mark[h_indices[t]] = u
        count = 0
        reach = 0
        for t in range(indptr[u], indptr[u + 1]):
            k = indices[t]
            if hub[k]:
                reach += t_indptr[k + 1] - t_indptr[k] - 1
                continue
            for s in range(t_indptr[k], t_indptr[k + 1]):
                v = t_indices[s]
                if v == u:
                    continue
                if shared[v] == 0:
                    touched[count] = v
                    count += 1
                shared[v] += 1
        u_hubs = h_indices[h_indptr[u]:h_indptr[u + 1]]
        if len(u_hubs) > 0:
            for c in range(count):  # the hubs they share with u: v's looked up, or u's sought in v's
                v = touched[c]
                lo, hi = h_indptr[v], h_indptr[v + 1]
                x = 0
                if hi - lo <= 8 * len(u_hubs):
                    for t in range(lo, hi):
                        if mark[h_indices[t]] == u:
                            x += 1
                else:
                    for a in range(len(u_hubs)):
                        at = lo + np.searchsorted(h_indices[lo:hi], u_hubs[a])
                        if at < hi and h_indices[at] == u_hubs[a]:
                            x += 1
                shared[v] += x
                in_hubs[v] += x
        ordinary = count
        for a in range(len(u_hubs)):  # rows met only in u's hubs, two of them at least: C(x, 2) times
            for b in range(a + 1, len(u_hubs)):
                at = np.searchsorted(pair_keys, u_hubs[a] * hubs + u_hubs[b])
                for s in range(pair_starts[at], pair_starts[at + 1]):
                    v = pair_rows[s]
                    if v == u or shared[v] != 0:
                        continue
                    if in_hubs[v] == 0:
                        touched[count] = v
                        count += 1
                    in_hubs[v] += 1
        for c in range(ordinary, count):
            v = touched[c]
            x = (1 + int(np.sqrt(1 + 8 * in_hubs[v]))) // 2  # in_hubs[v] == x (x - 1) / 2
            while x * (x - 1) // 2 < in_hubs[v]:
                x += 1
            while x * (x - 1) // 2 > in_hubs[v]:
                x -= 1
            in_hubs[v] = x
            shared[v] = x
        for a in range(len(u_hubs)):  # each hub of u: the rows met only in hubs found in it, counted once
            stamp_id += 1
            found = 0
            for b in range(len(u_hubs)):
                if b == a:
                    continue
                key = min(u_hubs[a], u_hubs[b]) * hubs + max(u_hubs[a], u_hubs[b])
                at = np.searchsorted(pair_keys, key)
                for s in range(pair_starts[at], pair_starts[at + 1]):
                    v = pair_rows[s]
                    if v != u and stamp[v] != stamp_id and shared[v] == in_hubs[v] and shared[v] >= 2:
                        stamp[v] = stamp_id
                        found += 1
            linked[hub_columns[u_hubs[a]]] += found
        for t in range(indptr[u], indptr[u + 1]):  # ordered pairs of u's ordinary columns meeting again
            k = indices[t]
            if hub[k]:
                continue
            for s in range(t_indptr[k], t_indptr[k + 1]):
                v = t_indices[s]
                if v != u and shared[v] >= 2:
                    linked[k] += 1
        total = 0.0
        counted = 0.0
        repeats = 0
        for c in range(count):
            v = touched[c]
            x = shared[v]
            total += x / (degree[u] + degree[v] - x)
            if in_hubs[v] > 0:  # already counted in single as sharing each hub alone
                counted += in_hubs[v] / (degree[u] + degree[v] - 1.0)
                repeats += in_hubs[v]
            if x >= 2 and c < ordinary and in_hubs[v] > 0:  # and of u's hubs (those met only in hubs: above)
                lo, hi = h_indptr[v], h_indptr[v + 1]
                if hi - lo <= 8 * len(u_hubs):
                    for t in range(lo, hi):
                        if mark[h_indices[t]] == u:
                            linked[hub_columns[h_indices[t]]] += 1
                else:
                    for a in range(len(u_hubs)):
                        at = lo + np.searchsorted(h_indices[lo:hi], u_hubs[a])
                        if at < hi and h_indices[at] == u_hubs[a]:
                            linked[hub_columns[u_hubs[a]]] += 1
            shared[v] = 0
            in_hubs[v] = 0
        second[u] = count + reach - repeats
        clustering[u] = (total + (single[u] - counted)) / second[u] if second[u] > 0 else 0.0


def _side_clustering(M: sp.csr_matrix, S: sp.spmatrix, mode: str) -> np.ndarray:
    """Clustering of the rows of ``M`` from ``S = M M^T`` (shared neighbours, diagonal = degree)."""
    n = M.shape[0]
    S = sp.csr_matrix(S)
    degree = np.diff(M.indptr).astype(float)
    per_row = np.diff(S.indptr)
    j, shared = S.indices, S.data.astype(float)
    di = np.repeat(degree, per_row)
    if mode == "dot":
        below = di + degree[j] - shared
    elif mode == "min":
        below = np.minimum(di, degree[j])
    else:
        below = np.maximum(di, degree[j])
    ratio = np.divide(shared, below, out=shared, where=below > 0)
    total = np.bincount(np.repeat(np.arange(n), per_row), weights=ratio, minlength=n)
    total -= degree > 0  # the node itself, ratio 1
    count = per_row - (degree > 0)
    return np.divide(total, count, out=np.zeros(n), where=count > 0)
