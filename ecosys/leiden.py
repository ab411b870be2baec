"""igraph's Leiden passes, compiled: the same partition as python-igraph 1.0, bit for bit, faster and leaner.

ecosys groups partners with python-igraph 1.0's ``Graph.community_leiden(
objective_function="modularity", weights=..., n_iterations=1,
initial_membership=...)`` and decides when to stop with ``Graph.modularity``,
igraph drawing its random numbers from Python's ``random`` module. This module
runs the same steps as igraph 1.0's C code (``src/community/leiden.c``: local
moving from a shuffled queue, refinement with random merges, aggregation),
with the same floating-point operations in the same order, the same ties and
the same random draws (Python's Mersenne Twister, advanced here as igraph
advances it: ``getrandbits(32)`` for each bounded integer of a shuffle,
``random()`` for each uniform number), so it finds the same membership; and
:func:`modularity` gives ``Graph.modularity``'s bits. It holds the graph as
neighbour and weight arrays in the order igraph visits them (12 bytes a pair
each way), where igraph keeps edge lists, indexes and per-vertex incidence
vectors, and reads them in sequence rather than through edge ids.

Exactness rests on: the pairs given sorted (each ``i < j`` once, as
:meth:`ecosys.graph.Projection.pairs` gives them), an undirected graph
without loops, IEEE double arithmetic without fused multiply-adds (numba's
default), and the system's ``exp`` (the one igraph calls). The tests compare
memberships and modularities with igraph's on many random graphs.

The module is longer than most (about 700 lines): igraph's steps, Python's
generator and igraph's draws from it are kept side by side, in the order
igraph runs them, so that they read against igraph's source one for one.

Example
-------
>>> import numpy as np
>>> from ecosys.leiden import adjacency, community_leiden, modularity, random_state
>>> rows, cols = np.array([0, 0, 1, 2, 3, 3, 4]), np.array([1, 2, 2, 3, 4, 5, 5])
>>> graph = adjacency(6, rows, cols, np.ones(7))
>>> found = community_leiden(graph, random_state(0))
>>> found.tolist(), round(modularity(graph, found), 4)
([0, 0, 0, 1, 1, 1], 0.3571)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from .compiled import helper, kernel

__all__ = ["Adjacency", "adjacency", "adjacency_of_matrix", "community_leiden", "modularity", "random_state", "BETA"]

# igraph's default randomness of the refinement (python-igraph's community_leiden beta)
BETA = 0.01


@dataclass(frozen=True)
class Adjacency:
    """An undirected weighted graph as igraph's Leiden visits it.

    For each vertex ``v``, ``neighbors[indptr[v]:indptr[v + 1]]`` are its
    neighbours in increasing order (igraph's incidence list) and ``weights``
    the weights of those pairs; the first ``split[v] - indptr[v]`` are the
    neighbours below ``v``. ``strength`` is each vertex's weighted degree as
    igraph sums it.

    >>> g = adjacency(3, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 2.0]))
    >>> g.neighbors.tolist(), g.strength.tolist(), g.n
    ([1, 0, 2, 1], [1.0, 3.0, 2.0], 3)
    """

    indptr: np.ndarray
    split: np.ndarray
    neighbors: np.ndarray
    weights: np.ndarray
    strength: np.ndarray

    @property
    def n(self) -> int:
        """The number of vertices."""
        return len(self.strength)


def adjacency(n: int, rows, cols, weights) -> Adjacency:
    """The :class:`Adjacency` of ``n`` vertices and the pairs ``(rows[k], cols[k])`` weighing ``weights[k]``.

    The pairs are igraph's edges in this order: each with ``rows[k] <
    cols[k]``, sorted by row then column (as
    :meth:`ecosys.graph.Projection.pairs` gives them); ValueError otherwise.

    >>> adjacency(2, np.array([0]), np.array([1]), np.array([0.5])).weights.tolist()
    [0.5, 0.5]
    """
    rows, cols = np.asarray(rows), np.asarray(cols)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    if not (len(rows) == len(cols) == len(weights)) or rows.dtype.kind not in "iu" or cols.dtype.kind not in "iu":
        raise ValueError("rows and columns: expected as many integers as weights")
    if n >= 2**31 - 1:
        raise ValueError(f"{n} vertices: more than this port handles")
    problem = _check(rows, cols, weights, n)
    if problem == 1:
        raise ValueError("pairs must each be i < j < n, once, sorted by row then column")
    if problem == 2:
        raise ValueError("weights must be finite and not negative")
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=starts[1:])
    targets = cols.astype(np.int32, copy=False)
    indptr, split, neighbors, both = _csr(starts, targets, weights)
    return Adjacency(indptr, split, neighbors, both, _strength(indptr, both))


def adjacency_of_matrix(matrix) -> Adjacency:
    """The :class:`Adjacency` of a symmetric sparse matrix (CSR) with sorted indices, no diagonal and weights finite
    and not negative (a projection's :attr:`~ecosys.graph.Projection.weight`), without listing its pairs: its index
    arrays are the adjacency's as they are, and its rows the neighbours in igraph's order. The same arrays as
    :func:`adjacency` of its pairs above the diagonal; ValueError for a matrix it cannot take as it is.

    >>> import scipy.sparse as sp
    >>> g = adjacency_of_matrix(sp.csr_matrix(np.array([[0, 1.0, 0], [1.0, 0, 2.0], [0, 2.0, 0]])))
    >>> g.neighbors.tolist(), g.split.tolist(), g.strength.tolist()
    ([1, 0, 2, 1], [0, 2, 4], [1.0, 3.0, 2.0])
    """
    n = matrix.shape[0]
    if matrix.format != "csr" or matrix.shape != (n, n) or not matrix.has_sorted_indices or n >= 2**31 - 1:
        raise ValueError("expected a square CSR matrix with sorted indices")
    indptr = matrix.indptr.astype(np.int64)
    neighbors = matrix.indices.astype(np.int32, copy=False)
    weights = np.ascontiguousarray(matrix.data, dtype=np.float64)
    split = np.empty(n, dtype=np.int64)
    problem = _split(indptr, neighbors, weights, split)
    if problem == 1:
        raise ValueError("the matrix must be symmetric, without diagonal entries")
    if problem == 2:
        raise ValueError("weights must be finite and not negative")
    return Adjacency(indptr, split, neighbors, weights, _strength(indptr, weights))


@kernel(work=lambda indptr, neighbors, *_: len(indptr) + 2 * len(neighbors))
def _split(indptr, neighbors, weights, split):
    """Where each row's neighbours above it start; 0 if every row is increasing without its own vertex and each
    entry (v, u) has its mirror (u, v) of the same weight, 1 if not, 2 for a weight negative or not finite."""
    n = len(indptr) - 1
    for v in range(n):
        split[v] = indptr[v + 1]
        for k in range(indptr[v], indptr[v + 1]):
            u = neighbors[k]
            if u == v or (k > indptr[v] and u <= neighbors[k - 1]):
                return 1
            if u > v and split[v] == indptr[v + 1]:
                split[v] = k
            w = weights[k]
            if not (w >= 0.0 and w < math.inf):
                return 2
    mirror = split.copy()  # for each row u, its next entry above u not yet matched by the entry (v, u) below v
    for v in range(n):
        for k in range(indptr[v], split[v]):  # (v, u) with u < v, by increasing u; rows v met by increasing v
            u = neighbors[k]
            m = mirror[u]
            if m == indptr[u + 1] or neighbors[m] != v or weights[m] != weights[k]:
                return 1
            mirror[u] = m + 1
    for u in range(n):
        if mirror[u] != indptr[u + 1]:  # an entry above the diagonal without its mirror below
            return 1
    return 0


def random_state(seed) -> np.ndarray:
    """The state of Python's ``random`` after ``random.seed(seed)``: its 624 words and position, as integers.

    :func:`community_leiden` advances it in place, draw for draw as igraph
    advances Python's ``random`` module.

    >>> state = random_state(7)
    >>> state.shape, int(state[-1])
    ((625,), 624)
    """
    return np.array(random.Random(seed).getstate()[1], dtype=np.int64)


def community_leiden(graph: Adjacency, state: np.ndarray, membership=None, resolution: float = 1.0,
                     beta: float = BETA) -> np.ndarray:
    """One Leiden iteration maximising modularity, from ``membership`` (singletons when None): the membership found.

    What python-igraph 1.0's ``Graph.community_leiden(objective_function=
    "modularity", weights=..., resolution=resolution, beta=beta,
    n_iterations=1, initial_membership=membership)`` returns, with Python's
    ``random`` in state ``state`` (see :func:`random_state`), which advances
    as igraph's draws would advance it.

    >>> g = adjacency(4, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]))
    >>> community_leiden(g, random_state(1)).tolist()
    [0, 0, 1, 1]
    """
    n = graph.n
    if membership is None:
        found = np.arange(n, dtype=np.int64)
    else:
        found = np.array(membership, dtype=np.int64)
        if found.shape != (n,) or (n and (found.min() < 0 or found.max() >= n)):
            raise ValueError(f"membership: expected {n} community numbers from 0 to {n - 1}")
    if state.shape != (625,) or state.dtype != np.int64:
        raise ValueError("state: expected random_state's 625 integers")
    if n == 0:
        return found
    scaled = resolution / _total(graph.strength)  # python-igraph: resolution over the sum of the strengths
    _leiden_pass(graph.indptr, graph.neighbors, graph.weights, graph.strength, scaled, float(beta), found, state)
    return found


def modularity(graph: Adjacency, membership, resolution: float = 1.0) -> float:
    """igraph 1.0's ``Graph.modularity(membership, weights=..., resolution=resolution)``, the same bits.

    NaN without pairs, as igraph.

    >>> g = adjacency(4, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]))
    >>> modularity(g, [0, 0, 1, 1]), modularity(g, [5, 5, 9, 9])
    (0.5, 0.5)
    """
    membership = np.asarray(membership, dtype=np.int64)
    if membership.shape != (graph.n,):
        raise ValueError(f"membership: expected {graph.n} community numbers")
    if graph.n and (membership.min() < 0 or membership.max() >= graph.n):
        membership = np.unique(membership, return_inverse=True)[1].astype(np.int64)  # igraph's reindexing
    parts = int(membership.max()) + 1 if graph.n else 0
    return float(_modularity(graph.indptr, graph.split, graph.neighbors, graph.weights, membership, parts,
                             float(resolution)))


# -- the graph's arrays -----------------------------------------------------------------------------

@kernel(work=lambda rows, *_: 2 * len(rows))
def _check(rows, cols, weights, n):
    """0 if the pairs are i < j < n, sorted, once, weighing finite non-negative amounts; 1 if not, 2 for weights."""
    for k in range(len(rows)):
        if not (0 <= rows[k] < cols[k] < n):
            return 1
        if k and (rows[k] < rows[k - 1] or (rows[k] == rows[k - 1] and cols[k] <= cols[k - 1])):
            return 1
        w = weights[k]
        if not (w >= 0.0 and w < math.inf):
            return 2
    return 0


@kernel(work=lambda starts, targets, *_: len(starts) + 4 * len(targets))
def _csr(starts, targets, weights):
    """Neighbours in increasing order for each vertex, from pairs (source below target) grouped by source."""
    n = len(starts) - 1
    degree = np.zeros(n + 1, dtype=np.int64)
    for c in range(n):
        for e in range(starts[c], starts[c + 1]):
            degree[c + 1] += 1
            degree[targets[e] + 1] += 1
    indptr = np.cumsum(degree)
    neighbors = np.empty(indptr[n], dtype=np.int32)
    both = np.empty(indptr[n], dtype=np.float64)
    fill = indptr[:n].copy()
    for c in range(n):  # the neighbours below each target, in increasing order since sources are
        for e in range(starts[c], starts[c + 1]):
            x = targets[e]
            neighbors[fill[x]] = c
            both[fill[x]] = weights[e]
            fill[x] += 1
    split = fill.copy()
    for x in range(n):  # then those above: each vertex below x gets x, in increasing x
        for k in range(indptr[x], split[x]):
            c = neighbors[k]
            neighbors[fill[c]] = x
            both[fill[c]] = both[k]
            fill[c] += 1
    return indptr, split, neighbors, both


@kernel(work=lambda indptr, weights: len(indptr) + len(weights))
def _strength(indptr, weights):
    """igraph_strength's sums: for each vertex, its pairs with the vertices below it, then above, in order."""
    n = len(indptr) - 1
    out = np.zeros(n, dtype=np.float64)
    for v in range(n):
        s = 0.0
        for k in range(indptr[v], indptr[v + 1]):
            s += weights[k]
        out[v] = s
    return out


@kernel(work=lambda values: len(values))
def _total(values):
    """igraph_vector_sum: left to right."""
    s = 0.0
    for x in values:
        s += x
    return s


@kernel(work=lambda indptr, split, neighbors, *_: len(indptr) + len(neighbors))
def _modularity(indptr, split, neighbors, weights, membership, parts, resolution):
    """igraph_modularity (undirected, weighted): the pairs in edge order (each row's pairs above it, in turn)."""
    n = len(indptr) - 1
    if indptr[n] == 0:
        return math.nan
    k_out = np.zeros(parts, dtype=np.float64)
    k_in = np.zeros(parts, dtype=np.float64)
    e = 0.0
    m = 0.0
    for row in range(n):
        for k in range(split[row], indptr[row + 1]):
            w = weights[k]
            c1 = membership[neighbors[k]]  # igraph's "from" of an undirected edge is its larger end
            c2 = membership[row]
            if c1 == c2:
                e += 2.0 * w
            k_out[c1] += w
            k_in[c2] += w
            m += w
    for i in range(parts):
        k_out[i] += k_in[i]
    scale = 1.0 / (2.0 * m)
    for i in range(parts):
        k_out[i] *= scale
    e /= 2.0 * m
    q = e
    for i in range(parts):
        q -= resolution * k_out[i] * k_out[i]
    return q


# -- Python's Mersenne Twister (CPython's _randommodule.c) and igraph's draws from it ------------------

@helper
def _twist(state):
    """The next 624 words of MT19937."""
    for kk in range(624):
        y = (state[kk] & 0x80000000) | (state[(kk + 1) % 624] & 0x7fffffff)
        nxt = state[(kk + 397) % 624] ^ (y >> 1)
        if y & 1:
            nxt ^= 0x9908b0df
        state[kk] = nxt
    state[624] = 0


@helper
def _draw32(state):
    """genrand_uint32: ``random.getrandbits(32)``."""
    if state[624] >= 624:
        _twist(state)
    y = state[state[624]]
    state[624] += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >> 18
    return y & 0xffffffff


@helper
def _below(state, bound):
    """igraph_rng_get_integer(0, bound - 1) for 1 < bound < 2**31: Lemire's debiased multiplication."""
    threshold = (4294967296 - bound) % bound
    while True:
        m = _draw32(state) * bound
        if (m & 0xffffffff) >= threshold:
            return m >> 32


@helper
def _uniform(state, high):
    """igraph_rng_get_unif(0, high): ``random.random() * high``, never ``high`` itself."""
    if high == 0.0:
        return high
    while True:
        a = _draw32(state) >> 5
        b = _draw32(state) >> 6
        r = (a * 67108864.0 + b) * (1.0 / 9007199254740992.0) * (high - 0.0) + 0.0
        if r != high:
            return r


@helper
def _exp(x):
    """C's ``exp``: infinity past the largest finite result (709.78...), where Python's ``math.exp`` raises."""
    if x > 709.782712893384:
        return math.inf
    return math.exp(x)


@helper
def _shuffle(values, size, state):
    """igraph_vector_int_shuffle of ``values[:size]``: from the end, each swapped with a random earlier one."""
    while size > 1:
        k = _below(state, size)
        size -= 1
        values[size], values[k] = values[k], values[size]


# -- one Leiden iteration (leiden.c's community_leiden and its steps) ----------------------------------

@helper
def _reindex(membership):
    """igraph_reindex_membership: numbers 0, 1, ... in order of first appearance; how many."""
    n = len(membership)
    new = np.zeros(n, dtype=np.int64)
    count = 0
    for i in range(n):
        c = membership[i]
        if new[c] == 0:
            count += 1
            new[c] = count
    for i in range(n):
        membership[i] = new[membership[i]] - 1
    return count


@helper
def _group(membership, count):
    """The vertices of each community in increasing order: starts, vertices."""
    n = len(membership)
    starts = np.zeros(count + 1, dtype=np.int64)
    for i in range(n):
        starts[membership[i] + 1] += 1
    for c in range(count):
        starts[c + 1] += starts[c]
    fill = starts[:count].copy()
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        c = membership[i]
        order[fill[c]] = i
        fill[c] += 1
    return starts, order


@helper
def _fastmove(indptr, neighbors, weights, node, resolution, membership, state):
    """leiden_fastmove_vertices: greedy moves from a shuffled queue; communities and whether any vertex moved."""
    n = len(node)
    queue = np.arange(n)
    _shuffle(queue, n, state)
    head = 0
    queued = n
    stable = np.zeros(n, dtype=np.bool_)
    total = np.zeros(n, dtype=np.float64)
    size = np.zeros(n, dtype=np.int64)
    for i in range(n):
        c = membership[i]
        total[c] += node[i]
        size[c] += 1
    empty = np.empty(n + 1, dtype=np.int64)
    top = 0
    for c in range(n):
        if size[c] == 0:
            empty[top] = c
            top += 1
    toward = np.zeros(n, dtype=np.float64)
    added = np.zeros(n, dtype=np.bool_)
    near = np.empty(n + 1, dtype=np.int64)
    changed = False
    while queued > 0:
        v = queue[head]
        head += 1
        if head == n:
            head = 0
        queued -= 1
        current = membership[v]
        total[current] -= node[v]
        size[current] -= 1
        if size[current] == 0:
            empty[top] = current
            top += 1
        c = empty[top - 1]
        near[0] = c
        added[c] = True
        count = 1
        for k in range(indptr[v], indptr[v + 1]):
            u = neighbors[k]
            if u != v:
                c = membership[u]
                if not added[c]:
                    added[c] = True
                    near[count] = c
                    count += 1
                toward[c] += weights[k]
        best = current
        best_diff = toward[current] - node[v] * total[current] * resolution
        for i in range(count):
            c = near[i]
            diff = toward[c] - node[v] * total[c] * resolution
            if diff > best_diff:
                best = c
                best_diff = diff
            toward[c] = 0.0
            added[c] = False
        total[best] += node[v]
        size[best] += 1
        if best == empty[top - 1]:
            top -= 1
        stable[v] = True
        if best != current:
            changed = True
            membership[v] = best
            for k in range(indptr[v], indptr[v + 1]):
                u = neighbors[k]
                if stable[u] and membership[u] != best:
                    tail = head + queued
                    if tail >= n:
                        tail -= n
                    queue[tail] = u
                    queued += 1
                    stable[u] = False
    return _reindex(membership), changed


@helper
def _refine(indptr, neighbors, weights, node, resolution, beta, membership, count, state):
    """leiden_merge_vertices for each community in turn: the refined membership and how many refined communities."""
    n = len(node)
    starts, order = _group(membership, count)
    refined = np.empty(n, dtype=np.int64)
    total = np.zeros(n, dtype=np.float64)
    external = np.zeros(n, dtype=np.float64)
    toward = np.zeros(n, dtype=np.float64)
    cumulative = np.zeros(n + 1, dtype=np.float64)
    near = np.empty(n + 1, dtype=np.int64)
    added = np.zeros(n, dtype=np.bool_)
    merged = np.zeros(n, dtype=np.bool_)
    visit = np.empty(n, dtype=np.int64)
    renumber = np.zeros(n, dtype=np.int64)
    done = 0
    for cluster in range(count):
        first = starts[cluster]
        size = starts[cluster + 1] - first
        whole = 0.0
        for i in range(size):
            v = order[first + i]
            refined[v] = i
            total[i] = 0.0 + node[v]
            whole += node[v]
            s = 0.0
            for k in range(indptr[v], indptr[v + 1]):
                u = neighbors[k]
                if u != v and membership[u] == cluster:
                    s += weights[k]
            external[i] = s
            merged[i] = False
            visit[i] = v
        _shuffle(visit, size, state)
        for i in range(size):
            v = visit[i]
            current = refined[v]
            product = total[current] * (whole - total[current])
            if merged[current] or not (external[current] >= product * resolution):
                continue
            total[current] = 0.0
            near[0] = current
            added[current] = True
            found = 1
            for k in range(indptr[v], indptr[v + 1]):
                u = neighbors[k]
                if u != v and membership[u] == cluster:
                    c = refined[u]
                    if not added[c]:
                        added[c] = True
                        near[found] = c
                        found += 1
                    toward[c] += weights[k]
            best = current
            best_diff = 0.0
            spread = 0.0
            for j in range(found):
                c = near[j]
                product = total[c] * (whole - total[c])
                if external[c] >= product * resolution:
                    diff = toward[c] - node[v] * total[c] * resolution
                    if diff > best_diff:
                        best = c
                        best_diff = diff
                    if diff >= 0:
                        spread += _exp(diff / beta)
                cumulative[j] = spread
                toward[c] = 0.0
                added[c] = False
            if spread < math.inf:
                r = _uniform(state, spread)
                left = 0
                right = found - 1
                while left <= right:  # igraph_vector_binsearch_slice
                    middle = left + ((right - left) >> 1)
                    if cumulative[middle] > r:
                        right = middle - 1
                    elif cumulative[middle] < r:
                        left = middle + 1
                    else:
                        left = middle
                        break
                chosen = near[left]
            else:
                chosen = best
            total[chosen] += node[v]
            for k in range(indptr[v], indptr[v + 1]):
                u = neighbors[k]
                if membership[u] == cluster:
                    if refined[u] == chosen:
                        external[chosen] -= weights[k]
                    else:
                        external[chosen] += weights[k]
            if chosen != current:
                refined[v] = chosen
                merged[chosen] = True
        # leiden_clean_refined_membership: numbered from done on, in order of first appearance
        for i in range(size):
            renumber[i] = 0
        done += 1
        for i in range(size):
            c = refined[order[first + i]]
            if renumber[c] == 0:
                renumber[c] = done
                done += 1
        for i in range(size):
            v = order[first + i]
            refined[v] = renumber[refined[v]] - 1
        done -= 1
    return refined, done


@helper
def _aggregate(indptr, neighbors, weights, node, membership, refined, count):
    """leiden_aggregate: one vertex per refined community; its pairs, their weights, its weight and community."""
    starts, order = _group(refined, count)
    n = len(node)
    toward = np.zeros(count, dtype=np.float64)
    added = np.zeros(count, dtype=np.bool_)
    near = np.empty(count + 1, dtype=np.int64)
    edges = np.zeros(count + 1, dtype=np.int64)
    for c in range(count):  # first, how many pairs each community has with those after it
        found = 0
        for i in range(starts[c], starts[c + 1]):
            v = order[i]
            for k in range(indptr[v], indptr[v + 1]):
                c2 = refined[neighbors[k]]
                if c2 > c and not added[c2]:
                    added[c2] = True
                    near[found] = c2
                    found += 1
        for j in range(found):
            added[near[j]] = False
        edges[c + 1] = edges[c] + found
    targets = np.empty(edges[count], dtype=np.int32)
    summed = np.empty(edges[count], dtype=np.float64)
    weight = np.zeros(count, dtype=np.float64)
    community = np.empty(count, dtype=np.int64)
    for c in range(count):
        found = 0
        v = -1
        for i in range(starts[c], starts[c + 1]):
            v = order[i]
            for k in range(indptr[v], indptr[v + 1]):
                c2 = refined[neighbors[k]]
                if c2 > c:
                    if not added[c2]:
                        added[c2] = True
                        near[found] = c2
                        found += 1
                    toward[c2] += weights[k]
            weight[c] += node[v]
        for j in range(found):
            c2 = near[j]
            targets[edges[c] + j] = c2
            summed[edges[c] + j] = toward[c2]
            toward[c2] = 0.0
            added[c2] = False
        community[c] = membership[v]
    out_indptr, _, out_neighbors, out_weights = _csr_helper(edges, targets, summed)
    return out_indptr, out_neighbors, out_weights, weight, community


_csr_helper = helper(_csr.py_func)


@kernel(work=lambda indptr, *_: 4 * (len(indptr) + indptr[-1]))  # loop steps of a pass, roughly
def _leiden_pass(indptr, neighbors, weights, node, resolution, beta, membership, state):
    """community_leiden: local moves, refinement and aggregation, level after level; ``membership`` in place."""
    n = len(node)
    _reindex(membership)
    level_indptr, level_neighbors, level_weights, level_node = indptr, neighbors, weights, node
    level_membership = membership
    aggregate = np.arange(n)
    level = 0
    changed = False
    while True:
        count, moved = _fastmove(level_indptr, level_neighbors, level_weights, level_node, resolution,
                                 level_membership, state)
        changed = changed or moved
        size = len(level_node)
        if count >= size:
            break
        if level > 0:
            for i in range(n):
                membership[i] = level_membership[aggregate[i]]
        refined, refined_count = _refine(level_indptr, level_neighbors, level_weights, level_node, resolution,
                                         beta, level_membership, count, state)
        if refined_count >= size:
            refined = level_membership.copy()
            refined_count = count
        for i in range(n):
            aggregate[i] = refined[aggregate[i]]
        level_indptr, level_neighbors, level_weights, level_node, level_membership = _aggregate(
            level_indptr, level_neighbors, level_weights, level_node, level_membership, refined, refined_count)
        level += 1
    return changed
