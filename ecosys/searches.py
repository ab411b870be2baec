"""Breadth-first searches from many sources: Brandes' dependencies and distances in one pass.

:func:`shortest_path_sums` gives, from one search per source, the sums that
betweenness and closeness are made of (:mod:`ecosys.metrics` turns them into
the two-mode normalised values). The searches are compiled
(:mod:`ecosys.compiled`), run on several threads in blocks of sources whose
sums are added in order (the same bits whatever the threads), search the
largest component numbered for locality, and pass by leaves (a leaf's
values follow from its neighbour's).

Example
-------
>>> import scipy.sparse as sp
>>> from ecosys.searches import shortest_path_sums
>>> star = sp.csr_matrix(([1] * 4, ([0, 0, 1, 2], [1, 2, 0, 0])), shape=(3, 3))  # 1-0-2
>>> dependency, distance = shortest_path_sums(star, range(3))
>>> dependency.tolist(), distance.tolist()
([2.0, 0.0, 0.0], [2, 3, 3])
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import igraph as ig
import numpy as np
import scipy.sparse as sp

from .compiled import kernel, prefetch, preload
from .parallel import processors

__all__ = ["preload_searches", "shortest_path_sums"]

# Components of at least this many nodes are searched numbered for locality (see _locality).
_LOCALITY_NODES = 10_000
_BLOCKS = 16  # blocks of sources summed apart, then in order (see shortest_path_sums)


def shortest_path_sums(
    adjacency: sp.spmatrix, sources, *, threads: int | None = None, components: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Brandes' dependencies and the distances from ``sources``, from one breadth-first search each.

    For an undirected, unweighted graph given by its symmetric ``adjacency``
    matrix, returns ``dependency`` and ``distance``: ``dependency[v]`` is the
    sum over the sources ``s`` of ``delta_s(v)``, the share of the shortest
    paths from ``s`` to the other nodes that run through ``v`` (Brandes 2001,
    "A faster algorithm for betweenness centrality", J. Math. Sociol.
    25:163), so over all sources it is twice the betweenness;
    ``distance[v]`` is the sum of the distances from the sources to ``v``
    (a node's total distance when every node is a source). Both in one pass,
    compiled (:mod:`ecosys.compiled`).

    The sources are split into 16 blocks of equal work (component sizes), run
    on ``threads`` threads (default: the processors this process may use);
    each block sums into its own arrays and the blocks are added in order,
    so the result is the same bits whatever the number of threads.
    ``components`` (each node's connected component, when the caller has
    them) spares finding them again.

    >>> import scipy.sparse as sp
    >>> path = sp.csr_matrix(([1] * 6, ([0, 1, 1, 2, 2, 3], [1, 0, 2, 1, 3, 2])), shape=(4, 4))  # 0-1-2-3
    >>> dependency, distance = shortest_path_sums(path, range(4))
    >>> (dependency / 2).tolist(), distance.tolist()
    ([0.0, 2.0, 2.0, 0.0], [6, 4, 4, 6])
    """
    A = sp.csr_matrix(adjacency)
    N = A.shape[0]
    # 32-bit node indices where they fit: less memory to stream through on every search (about 10% faster)
    index = np.int32 if max(N, A.nnz) < 2**31 else np.int64
    indptr, indices = A.indptr.astype(index, copy=False), A.indices.astype(index, copy=False)
    sources = np.asarray(sources, dtype=np.int64).ravel()
    dependency, distance = np.zeros(N), np.zeros(N, dtype=np.int64)
    if len(sources) == 0:
        return dependency, distance
    # work of a search: the nodes and edges of the source's component
    if components is None:
        g = ig.Graph(n=N)
        g.add_edges(np.column_stack(sp.triu(A, format="coo").nonzero()))
        components = g.connected_components().membership
    label = np.asarray(components, dtype=np.int64)
    work = np.bincount(label, minlength=label.max() + 1) + np.bincount(
        label, weights=np.diff(indptr), minlength=label.max() + 1) / 2
    cumulative = np.cumsum(work[label[sources]])
    blocks = min(_BLOCKS, len(sources))
    bounds = np.concatenate([[0], np.searchsorted(cumulative, cumulative[-1] * np.arange(1, blocks) / blocks), [len(sources)]])
    rank = _locality(indptr, indices, label)
    if rank is not None:  # search a copy numbered for locality; the same searches, the same additions
        indptr, indices = _renumbered(indptr, indices, rank)
    else:
        indices = indices.copy()  # marked below: never the caller's matrix
    leaves, parents = _mark_leaves(indptr, indices)  # in the numbering searched
    searched = sources if rank is None else rank[sources]

    def block(b):
        dep, dist = np.zeros(N), np.zeros(N, dtype=np.int64)
        _path_sums(indptr, indices, searched[bounds[b] : bounds[b + 1]], dep, dist)
        return dep, dist

    threads = max(1, min(blocks, threads or processors()))
    with ThreadPoolExecutor(threads) as pool:
        for dep, dist in pool.map(block, range(blocks)):  # in block order
            dependency += dep
            distance += dist
    # a leaf is never searched through: its total distance is its neighbour's, one step further from each source
    # of its component but itself (integers: exact), and its dependency stays 0, as the searches would leave it
    if len(leaves):
        from_sources = np.bincount(label[sources], minlength=len(work))  # sources in each component
        in_sources = np.bincount(searched, minlength=N)  # each node's searches from itself
        if rank is None:
            parent_label = label[parents]
        else:
            parent_label = np.empty_like(label)
            parent_label[rank] = label  # the labels in the numbering searched
            parent_label = parent_label[parents]
        distance[leaves] = distance[parents] + from_sources[parent_label] - 2 * in_sources[leaves]
    if rank is not None:
        dependency, distance = dependency[rank], distance[rank]
    return dependency, distance


def _locality(indptr: np.ndarray, indices: np.ndarray, label: np.ndarray) -> np.ndarray | None:
    """A new number for each node, ``rank[v]``, placing the largest component in breadth-first order.

    A search of a large component jumps about memory at every edge; numbered in
    the order a breadth-first search from its best-connected node reaches them,
    the neighbours of a node sit close together and close to it, and the same
    searches run about twice as fast (cache misses). The other components
    follow one after the other, each's nodes in their own order. None when the largest component is too small to gain.
    """
    sizes = np.bincount(label)
    giant = int(sizes.argmax())
    if sizes[giant] < _LOCALITY_NODES:
        return None
    from scipy.sparse.csgraph import breadth_first_order

    N = len(label)
    members = label == giant
    degree = np.diff(indptr)
    hub = int(np.argmax(np.where(members, degree, -1)))
    A = sp.csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(N, N))
    first = breadth_first_order(A, hub, directed=True, return_predecessors=False)  # A is symmetric
    rest = np.flatnonzero(~members)
    order = np.concatenate([first, rest[np.argsort(label[rest], kind="stable")]])  # then component by component
    rank = np.empty(N, dtype=np.int64)
    rank[order] = np.arange(N)
    return rank


def _renumbered(indptr: np.ndarray, indices: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The adjacency with node ``v`` numbered ``rank[v]``, each node's neighbours kept in their order.

    Keeping the order of the neighbours makes every breadth-first search reach
    the same nodes in the same sequence and add the same numbers in the same
    order: the sums are the same bits (tested).
    """
    order = np.empty_like(rank)
    order[rank] = np.arange(len(rank))
    lengths = np.diff(indptr)[order]
    new_indptr = np.zeros(len(indptr), dtype=indptr.dtype)
    np.cumsum(lengths, out=new_indptr[1:])
    where = np.repeat(indptr[order].astype(np.int64) - new_indptr[:-1], lengths) + np.arange(len(indices))
    return new_indptr, rank[indices[where]].astype(indices.dtype)


def _mark_leaves(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mark in place each leaf ``w`` (one neighbour ``v``, which has more) as ``~w`` in ``v``'s list; the leaves and ``v``s.

    A shortest path never runs through a leaf: the searches pass it by
    (:func:`_path_sums`), and its distances follow from its neighbour's.
    """
    degree = np.diff(indptr)
    leaves = np.flatnonzero(degree == 1)
    parents = indices[indptr[leaves]].astype(np.int64)
    kept = degree[parents] >= 2  # not the two ends of a lone tie
    leaves, parents = leaves[kept], parents[kept]
    if len(leaves):
        leaf = np.zeros(len(degree), dtype=bool)
        leaf[leaves] = True
        entries = np.flatnonzero(leaf[indices])
        indices[entries] = ~indices[entries]
    return leaves, parents


# How far ahead of the node being searched the searches ask for the memory of later nodes (see _path_sums).
_AHEAD = 16


@kernel(nogil=True, work=lambda indptr, indices, sources, *_: len(sources) * (len(indptr) + len(indices)))
def _path_sums(indptr, indices, sources, dependency, distance):  # pragma: no cover (compiled)
    """Add, for each source in turn, its dependencies and distances to ``dependency`` and ``distance``.

    The memory traffic is what costs on a large graph (the nodes are met in an
    order no cache can guess): each node's shortest paths and dependency sit
    side by side (``counts``, one cache line for both), distances are 32-bit
    where the indices are, each node is reset as soon as it is done, and the
    adjacency and counts of the nodes ``_AHEAD`` and ``2 * _AHEAD`` places on
    in the queue are asked for before they are needed (:func:`prefetch`).
    A leaf ``w`` marked ``~w`` in its neighbour ``v``'s list
    (:func:`_mark_leaves`) is never searched through: it takes its place in
    the queue as ``~v``, and there, on the way back, adds to ``v`` what it
    would have, ``sigma_v (1 + 0) / sigma_v``; its own dependency stays 0 and
    its distances are left to the caller. The same additions in the same
    order as the plain algorithm: the same bits.
    """
    n = len(indptr) - 1
    dist = np.full(n, -1, dtype=indices.dtype)
    counts = np.zeros((n, 2))  # shortest paths from the source (a float, as they can be very many); dependency
    flat = counts.ravel()  # the same memory, for prefetch
    order = np.empty(n, dtype=indices.dtype)  # nodes in the order reached
    near, far = _AHEAD, 2 * _AHEAD
    for s in sources:
        dist[s] = 0
        counts[s, 0] = 1.0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            if head + far < tail and order[head + far] >= 0:
                prefetch(indptr, order[head + far])
            if head + near < tail and order[head + near] >= 0:
                u = order[head + near]
                prefetch(indices, indptr[u])
                prefetch(flat, 2 * u)
            v = order[head]
            head += 1
            if v < 0:  # a leaf's place: nothing beyond it
                continue
            dv = dist[v] + 1
            sv = counts[v, 0]
            for t in range(indptr[v], indptr[v + 1]):
                w = indices[t]
                if w < 0:  # a leaf (unless the source): its place in the queue, by its neighbour's name
                    if ~w != s:
                        order[tail] = ~v
                        tail += 1
                    continue
                dw = dist[w]
                if dw < 0:
                    dist[w] = dv
                    order[tail] = w
                    tail += 1
                    counts[w, 0] += sv
                elif dw == dv:
                    counts[w, 0] += sv
        for i in range(tail - 1, 0, -1):  # farthest first; the source (i = 0) left out
            if i > far and order[i - far] >= 0:
                prefetch(indptr, order[i - far])
            if i > near and order[i - near] >= 0:
                u = order[i - near]
                prefetch(indices, indptr[u])
                prefetch(flat, 2 * u)
                prefetch(dependency, u)
                prefetch(distance, u)
            w = order[i]
            if w < 0:  # a leaf of v: its one shortest path from the source, through v (sigma_leaf = sigma_v)
                v = ~w
                counts[v, 1] += counts[v, 0] * ((1.0 + 0.0) / counts[v, 0])
                continue
            dw = dist[w]
            coefficient = (1.0 + counts[w, 1]) / counts[w, 0]
            for t in range(indptr[w], indptr[w + 1]):
                v = indices[t]
                if v >= 0 and dist[v] == dw - 1:
                    counts[v, 1] += counts[v, 0] * coefficient
            dependency[w] += counts[w, 1]
            distance[w] += dw
            # done with w: its predecessors, still to come, look only at nodes nearer the source
            dist[w] = -1
            counts[w, 0] = 0.0
            counts[w, 1] = 0.0
        dist[s] = -1
        counts[s, 0] = 0.0
        counts[s, 1] = 0.0


def preload_searches() -> threading.Thread:
    """Start loading the compiled breadth-first searches of :func:`shortest_path_sums` in a background thread.

    For a caller about to read a large table (see :func:`ecosys.compiled.preload`);
    returns the thread, to be joined before forking.

    >>> preload_searches().join()
    """
    one = np.zeros(2, dtype=np.int32)  # the types of a graph of fewer than 2**31 nodes and edges
    return preload(_path_sums, one, one[:0], np.zeros(1, dtype=np.int64), np.zeros(1), np.zeros(1, dtype=np.int64))
