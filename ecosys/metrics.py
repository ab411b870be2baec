"""Centrality of every partner and project, one row per node.

The shortest-path metrics run on the bipartite graph and use the two-mode
normalisations of Borgatti & Everett (1997, "Network analysis of 2-mode
data", Social Networks 19:243), as ``networkx.algorithms.bipartite`` does, so
partners are compared with the best a partner could do given the number of
partners and projects, and likewise for projects. The computing is done by
igraph (C), scipy.sparse and compiled loops (:mod:`ecosys.compiled`); the
values equal networkx's (see the tests).

========================  ====================================================
column                    meaning
========================  ====================================================
``degree``                projects of a partner; partners of a project
``degree_centrality``     degree / number of nodes on the other side
``projection_degree``     distinct co-partners of a partner (projects sharing
                          a partner with a project) in the one-mode projection
``weighted_degree``       the same counted with weights: the sum over its
                          co-partners of the projects shared with each
``betweenness``           share of shortest paths between other nodes that run
                          through the node, divided by the two-mode maximum
``closeness``             (the smallest total distance a node of its side could
                          have in its component) / (its total distance to the
                          nodes it can reach), times the share of the graph it
                          can reach (Wasserman & Faust); between 0 and 1
``pagerank``              PageRank on the bipartite graph, damping 0.85
``core``                  k-core number: the largest k such that the node is
                          in a subgraph where every node has degree >= k
``clustering``            two-mode clustering (Latapy et al. 2008, "dot"): the
                          mean over its second neighbours of shared neighbours
                          / neighbours of either (:mod:`ecosys.bipartite`)
``redundancy``            share of pairs of its neighbours that also meet
                          through another node (Latapy et al. 2008); empty
                          (NaN) below degree 2
``weighted_clustering``   clustering on the weighted partner projection (Onnela
                          et al. 2005, as ``networkx.clustering`` with weights;
                          partners only)
``constraint``            Burt's constraint on the weighted partner projection
                          (partners only; :mod:`ecosys.brokerage`)
``effective_size``        Burt's effective size on the weighted partner
                          projection (partners only)
========================  ====================================================

Betweenness and closeness need a breadth-first search from every node, which
grows as ``n * (n + m)``; one search per source gives both
(:func:`ecosys.searches.shortest_path_sums`), run on every processor the process may use.
When that work exceeds ``budget`` they are estimated from a uniform random
sample of source nodes ("pivots", Brandes & Pich 2007) inside each large
connected component, scaled to the component's size; components small
enough are always exact. The plan used is in ``table.attrs["estimation"]``.

Example
-------
>>> from ecosys.graph import graph_from_edges
>>> from ecosys.metrics import node_metrics
>>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2")])
>>> t = node_metrics(G)
>>> t[["name", "degree", "weighted_degree", "betweenness", "core"]].values.tolist()[:3]
[['A', 1, 1, 0.0, 1], ['B', 2, 2, 1.0, 1], ['C', 1, 1, 0.0, 1]]
>>> t.attrs["estimation"]["method"]
'exact'
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .bipartite import clustering_and_redundancy
from .brokerage import projection_measures
from .graph import PARTNER, PROJECT, Bipartite, Projection, as_network, bipartite_adjacency, project
from .parallel import resolve_jobs, start
from .searches import shortest_path_sums

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = ["METRICS", "DEFAULT_BUDGET", "coreness", "node_metrics", "pagerank"]

METRICS = (
    "degree",
    "degree_centrality",
    "projection_degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "pagerank",
    "core",
    "clustering",
    "redundancy",
    "weighted_clustering",
    "constraint",
    "effective_size",
)

# Breadth-first-search work allowed for exact betweenness and closeness, in
# units of n * (n + m): 100 pivots in the 57,596-node giant component of all
# Horizon 2020 participations, about 0.5 s on one core for both metrics.
DEFAULT_BUDGET = 1.5e7
# Components of up to this many nodes are always computed exactly.
MIN_PIVOTS = 100
# Burt's pass holds 36 bytes a pair of the projection in its ties (755 MB for the 21 million pairs of 3 million
# rows): from this many pairs on it runs in a forked process of its own (with 2 jobs or more), its memory not
# added to this process's peak, which holds the searches' graph meanwhile.
HOLES_APART_PAIRS = 5_000_000


def node_metrics(
    graph: Bipartite | nx.Graph,
    *,
    seed: int = 0,
    budget: float = DEFAULT_BUDGET,
    projection: Projection | None = None,
    jobs: int | None = None,
) -> pd.DataFrame:
    """One row per node of the bipartite graph: ``node``, ``name``, ``kind`` and :data:`METRICS`.

    Rows are in graph order, partners first. ``seed`` only matters when
    betweenness and closeness are estimated (see the module docstring);
    ``budget=float("inf")`` forces the exact computation. ``projection`` is
    the weighted partner projection for constraint and effective size
    (default: the projection weighted by shared projects). When it leaves
    projects out (``max_project_size``), the partners' projection metrics
    (``projection_degree``, ``weighted_degree``, ``weighted_clustering``,
    ``constraint``, ``effective_size``) are those of the projection without
    them; the other columns keep every project. ``jobs`` is the number of
    threads of the breadth-first searches (default: the processors this
    process may use; the values are the same bits whatever the number).
    """
    net = as_network(graph)
    P = projection if projection is not None else project(net, PARTNER)
    jobs = resolve_jobs(jobs)
    # forked before the searches' graph is built: the child shares only what was here before
    apart = start(projection_measures, P.weight_as_stored, jobs=jobs) if P.number_of_edges() >= HOLES_APART_PAIRS \
        else None
    try:
        return _metrics(net, P, apart, seed, budget, jobs)
    except BaseException:
        if apart is not None:
            apart.cancel()
        raise


def _metrics(net: Bipartite, P: Projection, apart, seed: int, budget: float, jobs: int) -> pd.DataFrame:
    """:func:`node_metrics` once the projection is known; ``apart`` is Burt's pass started in another process
    (a :class:`~ecosys.parallel.Pending`), or None to run it here."""
    nodes = net.nodes
    n_top, n_bot = net.n_partners, net.n_projects
    N = len(nodes)
    is_top = np.arange(N) < n_top
    edges = np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + n_top])
    g = ig.Graph(n=N)
    g.add_edges(edges)  # from a numpy array: 4x faster than Graph(edges=...)
    ends = np.concatenate([edges, edges[:, ::-1]])
    A = sp.csr_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(N, N))  # adjacency
    del ends  # 32 bytes a participation, not held through the searches

    degree = np.asarray(g.degree(), dtype=np.int64)
    other_side = np.where(is_top, n_bot, n_top)
    with np.errstate(divide="ignore", invalid="ignore"):
        degree_centrality = np.where(other_side > 0, degree / np.maximum(other_side, 1), 0.0)
    # Burt's measures (unless in their own process) then two-mode clustering on a second thread while the paths are
    # searched (their compiled loops and numpy's sorting release Python's lock); each computes what it would alone.
    # Burt's pass first: it runs on one thread and is the longest at scale, while two-mode clustering, last, can
    # take every processor
    with ThreadPoolExecutor(1) as beside:
        later = (lambda f, *a: beside.submit(f, *a)) if jobs > 1 else (lambda f, *a: _Done(f(*a)))
        # the counts as they are: no float copy
        holes_run = apart if apart is not None else later(projection_measures, P.weight_as_stored)
        two_mode_run = later(clustering_and_redundancy, net.B, jobs)  # on jobs threads of its own
        plan = _plan(g, edges, budget, seed)
        core = np.asarray(g.coreness(), dtype=np.int64)
        del g, edges  # igraph's graph and the edges (48 bytes a participation) not held through the searches
        sources = np.arange(N) if plan["sources"] is None else plan["sources"]
        dependency, distance = shortest_path_sums(A, sources, threads=jobs, components=plan["membership"])
        pagerank = _pagerank(A)
        two_mode, holes = two_mode_run.result(), holes_run.result()
    weighted_degree = _weighted_degrees(net.B)
    projection_degree = np.concatenate(two_mode["projection_degree"])
    if P.left_out:  # partners' co-partners counted without the projects left out of the projection
        weighted_degree[:n_top] = _weighted_degrees(P.incidence)[:n_top]
        projection_degree[:n_top] = clustering_and_redundancy(P.incidence)["projection_degree"][0]
    no_value = np.full(n_bot, np.nan)
    # each unordered pair counted once, scaled up where sampled
    betweenness = dependency / 2 * plan["scale"] / _bipartite_betweenness_max(n_top, n_bot, is_top)
    closeness = _closeness(distance, plan, sources, is_top)

    table = pd.DataFrame(
        {
            "node": nodes,
            "name": np.concatenate([net.partners["name"].to_numpy(), net.projects["name"].to_numpy()]),
            "kind": np.array([PROJECT, PARTNER], dtype=object)[is_top.astype(np.intp)],  # two texts, not one a node
            "degree": degree,
            "degree_centrality": degree_centrality,
            "projection_degree": projection_degree,
            "weighted_degree": weighted_degree,
            "betweenness": betweenness,
            "closeness": closeness,
            "pagerank": pagerank,
            "core": core,
            "clustering": np.concatenate(two_mode["clustering"]),
            "redundancy": np.concatenate(two_mode["redundancy"]),
            "weighted_clustering": np.concatenate([holes["clustering"], no_value]),
            "constraint": np.concatenate([holes["constraint"], no_value]),
            "effective_size": np.concatenate([holes["effective_size"], no_value]),
        }
    )
    table.attrs["estimation"] = plan["summary"]
    return table


def pagerank(net: Bipartite) -> np.ndarray:
    """The ``pagerank`` column alone: PageRank of every node of the bipartite graph (partners, then projects).

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> pagerank(as_network(graph_from_edges([("A", "P1"), ("B", "P1")]))).round(3).tolist()
    [0.257, 0.257, 0.486]
    """
    return _pagerank(bipartite_adjacency(net.B))


def coreness(net: Bipartite) -> np.ndarray:
    """The ``core`` column alone: the k-core number of every node of the bipartite graph (partners, then projects).

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> coreness(as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2")]))).tolist()
    [1, 1, 1, 1]
    """
    g = ig.Graph(n=len(net.nodes))
    g.add_edges(np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + net.n_partners]))
    return np.asarray(g.coreness(), dtype=np.int64)


class _Done:
    """A value already computed, read as a finished future's."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _pagerank(A: sp.csr_matrix, damping: float = 0.85, tol: float = 1e-13) -> np.ndarray:
    """PageRank by power iteration on the sparse adjacency matrix, as networkx computes it.

    Deterministic to the last bit (igraph's PRPACK is not: it varies from call
    to call around the 11th digit, enough to reorder nodes of equal rank).
    Every node of a participation graph has an edge, so there are no dangling
    nodes; an isolated node keeps the teleport share only.
    """
    N = A.shape[0]
    if N == 0:
        return np.zeros(0)
    out = np.asarray(A.sum(axis=1)).ravel()
    M = sp.diags(np.divide(1.0, out, out=np.zeros(N), where=out > 0)) @ A  # row-stochastic
    MT = M.T.tocsr()
    dangling = out == 0
    any_dangling = bool(dangling.any())  # never in a participation graph: adding 0.0 changes nothing
    teleport = (1 - damping) / N
    x = np.full(N, 1.0 / N)
    change = np.empty(N)
    for _ in range(10_000):
        # damping * (MT @ x + dangling share) + teleport, the same operations in place (no temporaries)
        y = MT @ x
        if any_dangling:
            y += x[dangling].sum() / N
        y *= damping
        y += teleport
        np.subtract(y, x, out=change)
        x = y
        if np.abs(change, out=change).sum() < N * tol:
            break
    return x / x.sum()


# -- projection degrees ------------------------------------------------------------------------

def _weighted_degrees(B: sp.csr_matrix) -> np.ndarray:
    """Sum over each node's neighbours of the others there: strength in each projection by shared counts."""
    B = sp.csr_matrix(B)
    out = []
    for M in (B, B.T.tocsr()):
        sizes = np.asarray(M.sum(axis=0)).ravel()  # partners of each project (or projects of each partner)
        out.append(M @ np.maximum(sizes - 1, 0))
    return np.concatenate(out).astype(np.int64)


# -- shortest paths: exact or sampled ----------------------------------------------------------

def _plan(g: ig.Graph, edges: np.ndarray, budget: float, seed: int) -> dict:
    """Decide the sources of the breadth-first searches, component by component."""
    N = g.vcount()
    membership = np.asarray(g.connected_components().membership, dtype=np.int64) if N else np.zeros(0, int)
    sizes = np.bincount(membership) if N else np.zeros(0, int)
    comp_edges = np.bincount(membership[edges[:, 0]], minlength=len(sizes))
    cost = float(np.sum(sizes.astype(float) * (sizes + comp_edges)))
    scale = np.ones(N)
    if cost <= budget:
        return {"sources": None, "scale": scale, "membership": membership, "sizes": sizes,
                "summary": {"method": "exact", "cost": cost, "budget": budget}}
    fraction = budget / cost
    rng = np.random.default_rng(seed)
    chosen = np.ones(N, dtype=bool)
    sampled_components = []
    for c in np.flatnonzero(sizes > MIN_PIVOTS):
        members = np.flatnonzero(membership == c)
        k = int(min(sizes[c], max(MIN_PIVOTS, math.ceil(fraction * sizes[c]))))
        if k == sizes[c]:
            continue
        chosen[members] = False
        chosen[np.sort(rng.choice(members, size=k, replace=False))] = True
        scale[members] = sizes[c] / k
        sampled_components.append({"nodes": int(sizes[c]), "pivots": k})
    sources = np.flatnonzero(chosen)
    return {
        "sources": sources, "scale": scale, "membership": membership, "sizes": sizes,
        "summary": {
            "method": "sampled" if sampled_components else "exact",
            "cost": cost, "budget": budget, "seed": seed,
            "pivots": int(len(sources)), "nodes": N, "sampled_components": sampled_components,
        },
    }


def _bipartite_betweenness_max(n: int, m: int, is_top: np.ndarray) -> np.ndarray:
    """The largest betweenness a partner (or project) can have: Borgatti & Everett 1997."""

    def most(n, m):
        if n == 0 or m == 0:
            return 0.0
        s, t = divmod(n - 1, m)
        return ((m**2) * ((s + 1) ** 2) + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0

    top, bottom = most(n, m), most(m, n)
    out = np.where(is_top, top, bottom)
    return np.where(out > 0, out, np.inf)  # a side that cannot broker scores 0


def _closeness(distance: np.ndarray, plan: dict, sources: np.ndarray, is_top: np.ndarray) -> np.ndarray:
    """Two-mode closeness of Borgatti & Everett with Wasserman & Faust's reach factor.

    ``distance[v]`` is the sum over the sources of their distances to ``v``:
    its total distance where every node of its component is a source, and an
    estimate of it from the pivots where the component is sampled (their mean
    distance to ``v`` times the nodes ``v`` reaches).

    The smallest total distance a partner can have in its component is
    ``m_c + 2 (n_c - 1)`` (``n_c`` partners, ``m_c`` projects there), and
    symmetrically for projects. networkx.bipartite.closeness_centrality uses
    the whole graph's ``n`` and ``m`` here, which equals this on a connected
    graph but exceeds 1 in small components of a disconnected one.
    """
    N = len(distance)
    if N <= 1:
        return np.zeros(N)
    membership, sizes = plan["membership"], plan["sizes"]
    total = distance.astype(float)
    reach = sizes[membership] - 1
    sampled = plan["scale"] != 1.0
    if sampled.any():
        is_source = np.zeros(N, dtype=bool)
        is_source[sources] = True
        counts = np.bincount(membership[sources], minlength=len(sizes))[membership] - is_source  # pivots reaching v
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.where(counts > 0, total / counts * reach, 0.0)
        total = np.where(sampled, estimate, total)
    n_c = np.bincount(membership, weights=is_top.astype(float))[membership]
    m_c = sizes[membership] - n_c
    best = np.where(is_top, m_c + 2 * (n_c - 1), n_c + 2 * (m_c - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, best / total, 0.0) * (reach / (N - 1))
    return c
