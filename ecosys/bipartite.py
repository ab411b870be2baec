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


def _side_pass(M: sp.csr_matrix, MT: sp.csr_matrix) -> dict:
    """Second-neighbour counts and dot clustering of the rows of ``M``, and the redundancy of its columns."""
    n, m = M.shape
    indptr, indices = M.indptr.astype(np.int64), M.indices.astype(np.int64)
    t_indptr, t_indices = MT.indptr.astype(np.int64), MT.indices.astype(np.int64)
    degree = np.diff(indptr).astype(np.float64)
    clustering = np.zeros(n)
    second = np.zeros(n, dtype=np.int64)
    linked = np.zeros(m)
    _two_step_pass(n, indptr, indices, t_indptr, t_indices, degree, clustering, second, linked)
    column_degree = np.diff(t_indptr).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        redundancy = np.where(column_degree >= 2, linked / (column_degree * (column_degree - 1)), np.nan)
    return {"clustering": clustering, "degree": second, "redundancy_of_columns": redundancy}


@kernel(nogil=True, work=lambda n, indptr, indices, t_indptr, *_: n + int(np.square(np.diff(t_indptr)).sum()))
def _two_step_pass(n, indptr, indices, t_indptr, t_indices, degree, clustering, second, linked):  # pragma: no cover
    """For each row u: the columns shared with every row v two steps away, and what follows from them.

    ``clustering[u]`` and ``second[u]`` (distinct v); ``linked[k]`` counts,
    over the rows u of column k, the other rows v of k sharing a second column
    with u: the ordered pairs of k's rows that also meet elsewhere.
    """
    shared = np.zeros(n, dtype=np.int64)
    touched = np.zeros(n, dtype=np.int64)
    for u in range(n):
        count = 0
        for t in range(indptr[u], indptr[u + 1]):
            k = indices[t]
            for s in range(t_indptr[k], t_indptr[k + 1]):
                v = t_indices[s]
                if v == u:
                    continue
                if shared[v] == 0:
                    touched[count] = v
                    count += 1
                shared[v] += 1
        for t in range(indptr[u], indptr[u + 1]):
            k = indices[t]
            for s in range(t_indptr[k], t_indptr[k + 1]):
                v = t_indices[s]
                if v != u and shared[v] >= 2:
                    linked[k] += 1
        total = 0.0
        for c in range(count):
            v = touched[c]
            x = shared[v]
            total += x / (degree[u] + degree[v] - x)
            shared[v] = 0
        second[u] = count
        clustering[u] = total / count if count > 0 else 0.0


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
