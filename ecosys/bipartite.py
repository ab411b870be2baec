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
    B = _binary(B)
    return _side_redundancy(B, B.T @ B), _side_redundancy(B.T.tocsr(), B @ B.T)


def clustering_and_redundancy(B) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Both, sharing the two products ``B B^T`` and ``B^T B``: ``{"clustering": ..., "redundancy": ...}``."""
    B = _binary(B)
    BT = B.T.tocsr()
    rows, cols = (B @ BT).tocsr(), (BT @ B).tocsr()
    return {
        "clustering": (_side_clustering(B, rows, "dot"), _side_clustering(BT, cols, "dot")),
        "redundancy": (_side_redundancy(B, cols), _side_redundancy(BT, rows)),
    }


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


def _side_redundancy(M: sp.csr_matrix, C: sp.spmatrix) -> np.ndarray:
    """Redundancy of the rows of ``M`` from ``C = M^T M`` (rows shared by two columns)."""
    degree = np.diff(M.indptr).astype(float)
    C = sp.csr_matrix(C)
    i = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    keep = (C.data >= 2) & (C.indices != i)
    Q = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (i[keep], C.indices[keep])), shape=C.shape)
    # ordered pairs (v, w) of u's columns linked through another row: (M Q) o M, summed by row
    linked = np.asarray((M @ Q).multiply(M).sum(axis=1)).ravel().astype(float)
    pairs = degree * (degree - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(degree >= 2, linked / pairs, np.nan)
