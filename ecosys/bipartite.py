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

**Threads.** Each side's rows are cut into :data:`BLOCKS` blocks of about
even work, taken in turn by ``jobs`` threads (compiled code, free of
Python's lock); each row's values are computed alone and the columns'
counts are whole numbers added thread by thread, so the values are the
same bits whatever ``jobs``.

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

import itertools
import threading

import numpy as np
import scipy.sparse as sp

from .compiled import helper, kernel

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


def clustering_and_redundancy(B, jobs: int = 1) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Clustering ("dot"), redundancy and projection degree of both sides, from one pass per side.

    Returns ``{"clustering": (partners, projects), "redundancy": ...,
    "projection_degree": ...}``; ``projection_degree`` counts the distinct
    second neighbours (co-partners of a partner, projects sharing a partner
    with a project). Computed by a compiled pass over the two-step paths, so
    neither ``B B^T`` nor ``B^T B`` is ever built: the pass over the rows
    gives their clustering and the columns' redundancy, and the other way round.
    ``jobs`` threads share the passes, in blocks of nodes: each node's values
    are computed alone, and the redundancy's counts are whole numbers, so the
    values are the same bits whatever the number.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> B = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]]))
    >>> out = clustering_and_redundancy(B, jobs=2)
    >>> out["clustering"][0].round(3).tolist(), out["projection_degree"][0].tolist()
    ([0.5, 0.667, 0.5], [2, 2, 2])
    """
    B = _binary(B)
    BT = B.T.tocsr()
    rows, cols = (_Side(M, MT).run_all(max(1, int(jobs))) for M, MT in ((B, BT), (BT, B)))  # one side at a time
    return {
        "clustering": (rows["clustering"], cols["clustering"]),
        "redundancy": (cols["redundancy_of_columns"], rows["redundancy_of_columns"]),
        "projection_degree": (rows["degree"], cols["degree"]),
    }


# Hub columns (more rows than this) are never scanned row by row: their pairs sharing one column are summed from
# the histogram of row degrees, the rows they share with another hub are listed once per pair of hubs.
HUB_DEGREE = 64
# Blocks of rows of even work a side's pass is cut into, taken in turn by the threads.
BLOCKS = 32


class _Side:
    """One side's pass: the rows of ``M`` (clustering, second neighbours) and its columns' redundancy."""

    def __init__(self, M: sp.csr_matrix, MT: sp.csr_matrix):
        self.n, self.m = n, m = M.shape
        self.indptr, self.indices = M.indptr.astype(np.int64), M.indices.astype(np.int64)
        self.t_indptr, self.t_indices = MT.indptr.astype(np.int64), MT.indices.astype(np.int64)
        row_degree = np.diff(self.indptr)
        self.column_degree = np.diff(self.t_indptr)
        self.hub = self.column_degree > HUB_DEGREE
        self.single = _single_shared(m, self.t_indptr, self.t_indices, row_degree, self.hub)  # as if sharing one hub
        self.hub_columns = np.flatnonzero(self.hub)
        H = M[:, self.hub_columns].tocsr()  # each row's hubs, by hub number
        H.sort_indices()
        self.h_indptr, self.h_indices = H.indptr.astype(np.int64), H.indices.astype(np.int64)
        keys, rows = _hub_pairs(n, self.h_indptr, self.h_indices, len(self.hub_columns))
        order = np.argsort(keys, kind="stable")
        keys, self.pair_rows = keys[order], rows[order]
        new = np.empty(len(keys), dtype=bool)
        new[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        self.pair_starts = np.append(np.flatnonzero(new), len(keys)).astype(np.int64)
        # each row's pairs of hubs, in the order _hub_pairs made them: the number of their list of rows
        self.pair_of = np.empty(len(keys), dtype=np.int64)
        self.pair_of[order] = np.cumsum(new) - 1
        del keys, rows, order, new
        per_row = np.diff(self.h_indptr)
        self.pair_indptr = np.concatenate([[0], np.cumsum(per_row * (per_row - 1) // 2)]).astype(np.int64)
        self.degree = row_degree.astype(np.float64)
        self.signature = np.zeros(n, dtype=np.int64)
        np.bitwise_or.at(self.signature, np.repeat(np.arange(n), np.diff(self.h_indptr)),
                         np.left_shift(np.int64(1), self.h_indices % 63))
        self.clustering = np.zeros(n)
        self.second = np.zeros(n, dtype=np.int64)
        self.linked = []  # each thread's counts, added at the end (whole numbers: in any order, the same)
        work = np.cumsum(row_degree + np.diff(self.h_indptr) ** 2)  # a rough cost of each row
        blocks = max(1, min(BLOCKS, n))
        cuts = np.searchsorted(work, work[-1] * np.arange(1, blocks) / blocks) if n else []
        self.bounds = np.concatenate([[0], cuts, [n]]).astype(np.int64)

    def scratch(self) -> tuple:
        """One thread's own counts of the columns."""
        self.linked.append(np.zeros(self.m))
        return (self.linked[-1],)

    def run(self, block: int, scratch: tuple) -> None:
        """The pass over the rows of ``block``."""
        lo, hi = int(self.bounds[block]), int(self.bounds[block + 1])
        if lo < hi:
            _multi_shared(lo, hi, self.indptr, self.indices, self.t_indptr, self.t_indices, self.hub,
                          self.hub_columns, self.h_indptr, self.h_indices, len(self.hub_columns), self.pair_of,
                          self.pair_indptr, self.pair_starts, self.pair_rows, self.degree, self.signature, self.single,
                          self.clustering, self.second, *scratch)

    def run_all(self, threads: int) -> dict:
        """Every block on ``threads`` threads, each taking the next block when free; the side's values."""
        _run_blocks([self], threads)
        return self.result()

    def result(self) -> dict:
        linked = np.zeros(self.m)
        for part in self.linked:
            linked += part
        column_degree = self.column_degree.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            redundancy = np.where(column_degree >= 2, linked / (column_degree * (column_degree - 1)), np.nan)
        return {"clustering": self.clustering, "degree": self.second, "redundancy_of_columns": redundancy}


def _run_blocks(sides: list, threads: int) -> None:
    """Every block of every side, on ``threads`` threads, each taking the next block when free."""
    tasks = [(side, b) for side in sides for b in range(len(side.bounds) - 1)]
    turn = itertools.count()  # next() of a count is atomic under Python's lock
    failures = []

    def worker():
        mine = {}
        try:
            while (t := next(turn)) < len(tasks):
                side, b = tasks[t]
                if id(side) not in mine:
                    mine[id(side)] = side.scratch()
                side.run(b, mine[id(side)])
        except BaseException as error:  # raised again in the caller
            failures.append(error)

    if threads == 1:
        worker()
    else:
        pool = [threading.Thread(target=worker) for _ in range(min(threads, len(tasks)))]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    if failures:
        raise failures[0]


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


@kernel(nogil=True, work=lambda lo, hi, indptr, indices, *_: (hi - lo) + 4 * (indptr[hi] - indptr[lo]))
def _multi_shared(lo, hi, indptr, indices, t_indptr, t_indices, hub, hub_columns, h_indptr, h_indices, hubs,
                  pair_of, pair_indptr, pair_starts, pair_rows, degree, signature, single, clustering, second,
                  linked):  # pragma: no cover
    """For each row u of ``lo:hi``, its clustering and second neighbours, and the ordered pairs meeting again.

    The rows v met in u's ordinary columns (scanned one by one, as a row with
    no hub always was, in the same order: the same bits) or in two of u's
    hubs (listed once per pair of hubs) are counted with their x shared
    columns, u's hubs among them looked up; for those met in hubs,
    ``x / (d_u + d_v - x)`` replaces the ``1 / (d_u + d_v - 1)`` per hub
    counted in ``single``. Each of the x >= 2 shared columns gets the
    ordered pair (u, v) in ``linked`` (whole numbers: this thread's share).
    What the pass keeps of a row v met, ``state[v]``, is one cache line:
    its shared columns, its count in pairs of hubs, the first pair it was
    found in and its ``signature`` (bit ``h % 63`` set for each hub h, so
    that most rows sharing no hub with u are seen so without a look-up).
    """
    n = len(indptr) - 1
    state = np.zeros((n, 4), dtype=np.int64)  # of each row: shared columns, found in pairs of hubs, the first pair
    touched = np.empty(n, dtype=np.int64)
    mark = np.full(max(hubs, 1), -1, dtype=np.int64)
    state[:, 3] = signature
    for u in range(lo, hi):
        for t in range(h_indptr[u], h_indptr[u + 1]):
            mark[h_indices[t]] = u
        u_signature = signature[u]
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
                if state[v, 0] == 0:
                    touched[count] = v
                    count += 1
                state[v, 0] += 1
        u_hubs = h_indices[h_indptr[u]:h_indptr[u + 1]]
        if len(u_hubs) > 0:
            # the hubs they share with u: v's looked up, or u's sought in v's (_shared_hubs's count, written out
            # here: this loop meets every row, and the helper's call made the partners' side 0.77 -> 1.23 s at 1M)
            for c in range(count):
                v = touched[c]
                if state[v, 3] & u_signature == 0:  # no hub in common for sure
                    continue
                lo_v, hi_v = h_indptr[v], h_indptr[v + 1]
                x = 0
                if hi_v - lo_v <= 8 * len(u_hubs):
                    for t in range(lo_v, hi_v):
                        if mark[h_indices[t]] == u:
                            x += 1
                else:
                    for a in range(len(u_hubs)):
                        at = lo_v + np.searchsorted(h_indices[lo_v:hi_v], u_hubs[a])
                        if at < hi_v and h_indices[at] == u_hubs[a]:
                            x += 1
                state[v, 0] += x
                state[v, 1] += x
        ordinary = count
        pair = pair_indptr[u]
        for a in range(len(u_hubs)):  # rows met only in u's hubs, two of them at least: C(x, 2) times
            for b in range(a + 1, len(u_hubs)):
                at = pair_of[pair]  # the rows with hubs a and b
                pair += 1
                for s in range(pair_starts[at], pair_starts[at + 1]):
                    v = pair_rows[s]
                    if v == u or state[v, 0] != 0:
                        continue
                    if state[v, 1] == 0:
                        touched[count] = v
                        count += 1
                        state[v, 2] = u_hubs[a] * hubs + u_hubs[b]
                    state[v, 1] += 1
        for c in range(ordinary, count):  # each meets u again in each hub they share
            v = touched[c]
            if state[v, 1] == 1:  # two hubs: the pair it was found in
                x = 2
                linked[hub_columns[state[v, 2] // hubs]] += 1
                linked[hub_columns[state[v, 2] % hubs]] += 1
            else:  # state[v, 1] == x (x - 1) / 2
                x = _shared_hubs(v, u, u_hubs, h_indptr, h_indices, hub_columns, mark, linked)
            state[v, 1] = x
            state[v, 0] = x
        for t in range(indptr[u], indptr[u + 1]):  # ordered pairs of u's ordinary columns meeting again
            k = indices[t]
            if hub[k]:
                continue
            for s in range(t_indptr[k], t_indptr[k + 1]):
                v = t_indices[s]
                if v != u and state[v, 0] >= 2:
                    linked[k] += 1
        total = 0.0
        counted = 0.0
        repeats = 0
        for c in range(count):
            v = touched[c]
            x = state[v, 0]
            total += x / (degree[u] + degree[v] - x)
            if state[v, 1] > 0:  # already counted in single as sharing each hub alone
                counted += state[v, 1] / (degree[u] + degree[v] - 1.0)
                repeats += state[v, 1]
            if x >= 2 and c < ordinary and state[v, 1] > 0:  # and of u's hubs (those met only in hubs: above)
                lo_v, hi_v = h_indptr[v], h_indptr[v + 1]
                if hi_v - lo_v <= 8 * len(u_hubs):
                    for t in range(lo_v, hi_v):
                        if mark[h_indices[t]] == u:
                            linked[hub_columns[h_indices[t]]] += 1
                else:
                    for a in range(len(u_hubs)):
                        at = lo_v + np.searchsorted(h_indices[lo_v:hi_v], u_hubs[a])
                        if at < hi_v and h_indices[at] == u_hubs[a]:
                            linked[hub_columns[u_hubs[a]]] += 1
            state[v, 0] = 0
            state[v, 1] = 0
        second[u] = count + reach - repeats
        clustering[u] = (total + (single[u] - counted)) / second[u] if second[u] > 0 else 0.0


@helper
def _shared_hubs(v, u, u_hubs, h_indptr, h_indices, hub_columns, mark, linked):  # pragma: no cover
    """The number of hubs rows u and v share (u's marked in ``mark``); each gets the pair in ``linked``."""
    lo, hi = h_indptr[v], h_indptr[v + 1]
    x = 0
    if hi - lo <= 8 * len(u_hubs):
        for t in range(lo, hi):
            if mark[h_indices[t]] == u:
                x += 1
                linked[hub_columns[h_indices[t]]] += 1
    else:
        for a in range(len(u_hubs)):
            at = lo + np.searchsorted(h_indices[lo:hi], u_hubs[a])
            if at < hi and h_indices[at] == u_hubs[a]:
                x += 1
                linked[hub_columns[u_hubs[a]]] += 1
    return x


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
