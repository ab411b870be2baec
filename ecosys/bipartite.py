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
from numba import njit

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
    """
    if mode not in ("dot", "min", "max"):
        raise ValueError(f"unknown clustering mode {mode!r}: expected dot, min or max")
    B = _binary(B)
    return _side_clustering(B, B @ B.T, mode), _side_clustering(B.T.tocsr(), B.T @ B, mode)


def redundancy(B) -> tuple[np.ndarray, np.ndarray]:
    """Latapy redundancy of the rows (partners) and columns (projects) of ``B``; NaN below degree 2."""
    return clustering_and_redundancy(B)["redundancy"]


def clustering_and_redundancy(B, chunk: int = 4096) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Clustering ("dot"), redundancy and projection degree of both sides, from one pass per side.

    Returns ``{"clustering": (partners, projects), "redundancy": ...,
    "projection_degree": ...}``; ``projection_degree`` counts the distinct
    second neighbours (co-partners of a partner, projects sharing a partner
    with a project). ``B B^T`` and ``B^T B`` are computed in row chunks, so a
    hub never makes the whole product live in memory at once.
    """
    B = _binary(B)
    BT = B.T.tocsr()
    rows = _side_pass(B, BT, chunk)
    cols = _side_pass(BT, B, chunk)
    return {
        "clustering": (rows["clustering"], cols["clustering"]),
        "redundancy": (_redundancy_from(B, cols["linked"]), _redundancy_from(BT, rows["linked"])),
        "projection_degree": (rows["degree"], cols["degree"]),
    }


def _side_pass(M: sp.csr_matrix, MT: sp.csr_matrix, chunk: int) -> dict:
    """Second-neighbour counts, dot clustering and the pairs sharing two or more columns, of the rows of ``M``."""
    n = M.shape[0]
    degree = np.diff(M.indptr).astype(float)
    clustering = np.zeros(n)
    second = np.zeros(n, dtype=np.int64)
    pair_rows, pair_cols = [], []
    for start in range(0, n, chunk):
        C = (M[start : start + chunk] @ MT).tocsr()
        per_row = np.diff(C.indptr)
        stop = start + C.shape[0]
        has = degree[start:stop] > 0  # then the row holds itself, with ratio 1
        shared = C.data.astype(float)
        below = np.repeat(degree[start:stop], per_row)
        below += degree[C.indices]
        below -= shared
        shared /= below
        total = np.add.reduceat(shared, np.minimum(C.indptr[:-1], max(len(shared) - 1, 0))) if len(shared) else 0.0
        total = np.where(per_row > 0, total, 0.0) - has
        count = per_row - has
        clustering[start:stop] = np.divide(total, count, out=np.zeros(C.shape[0]), where=count > 0)
        second[start:stop] = count
        many = np.flatnonzero(C.data >= 2)
        i = np.searchsorted(C.indptr, many, side="right") - 1 + start
        j = C.indices[many]
        pair_rows.append(i[i != j])
        pair_cols.append(j[i != j])
    rows_ = np.concatenate(pair_rows) if pair_rows else np.zeros(0, dtype=np.int64)
    cols_ = np.concatenate(pair_cols) if pair_cols else np.zeros(0, dtype=np.int64)
    linked = sp.csr_matrix((np.ones(len(rows_), dtype=np.int64), (rows_, cols_)), shape=(n, n))
    return {"clustering": clustering, "degree": second, "linked": linked}


def _redundancy_from(M: sp.csr_matrix, Q: sp.csr_matrix) -> np.ndarray:
    """Redundancy of the rows of ``M`` given ``Q``, the pairs of its columns sharing two rows or more."""
    degree = np.diff(M.indptr).astype(float)
    Q = sp.csr_matrix(Q)
    linked = np.zeros(M.shape[0])
    if M.nnz and Q.nnz:
        _linked_pairs(M.shape[0], M.shape[1], M.indptr.astype(np.int64), M.indices.astype(np.int64),
                      Q.indptr.astype(np.int64), Q.indices.astype(np.int64), linked)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(degree >= 2, linked / (degree * (degree - 1)), np.nan)


@njit(cache=True)
def _linked_pairs(n, m, indptr, indices, q_indptr, q_indices, linked):  # pragma: no cover (compiled)
    """For each row u: ordered pairs (k, l) of its columns with Q[k, l], i.e. diag(M Q M^T)."""
    mark = np.zeros(m, dtype=np.bool_)
    for u in range(n):
        for t in range(indptr[u], indptr[u + 1]):
            mark[indices[t]] = True
        count = 0
        for t in range(indptr[u], indptr[u + 1]):
            k = indices[t]
            for s in range(q_indptr[k], q_indptr[k + 1]):
                if mark[q_indices[s]]:
                    count += 1
        linked[u] = count
        for t in range(indptr[u], indptr[u + 1]):
            mark[indices[t]] = False


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
