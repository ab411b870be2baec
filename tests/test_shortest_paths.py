"""Betweenness and closeness from one breadth-first search per source (ecosys.searches.shortest_path_sums).

Checked against networkx, and against the implementation it replaced (igraph's
betweenness and closeness, scipy's shortest paths, each running its own
searches), kept below as the reference: equal within 1e-12 relative, exact and
sampled, on connected and disconnected random bipartite graphs.
"""

import math
import random

import igraph as ig
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path

from ecosys.graph import as_network, graph_from_edges
from ecosys import searches
from ecosys.metrics import MIN_PIVOTS, node_metrics
from ecosys.searches import shortest_path_sums


def random_graph(seed, partners, projects, rows, prefix=""):
    rng = random.Random(seed)
    return graph_from_edges(
        (f"{prefix}a{rng.randrange(partners)}", f"{prefix}p{rng.randrange(projects)}") for _ in range(rows)
    )


def connected(seed, **size):
    G = random_graph(seed, **size)
    return G.subgraph(max(nx.connected_components(G), key=len)).copy()


def disconnected(seed):
    """A large component and many small ones (pairs, stars, paths)."""
    G = nx.union_all([
        random_graph(seed, 700, 260, 1900),
        *(random_graph(seed + k, 6, 3, 7, prefix=f"s{k}") for k in range(25)),
        graph_from_edges([("x", "q")]),
    ])
    return G


# -- the implementation replaced, as it was ----------------------------------------------------

def reference(G, budget, seed):
    """Betweenness (unnormalised, one count per unordered pair) and total distances, as ecosys computed them
    with igraph and scipy before the single pass, with the same choice of sources."""
    net = as_network(G)
    N, n_top = len(net.nodes), net.n_partners
    edges = np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + n_top])
    g = ig.Graph(n=N)
    g.add_edges(edges)
    ends = np.concatenate([edges, edges[:, ::-1]])
    A = sp.csr_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(N, N))
    plan = old_plan(g, edges, budget, seed)
    if plan["sources"] is None:
        betweenness = np.asarray(g.betweenness(directed=False), dtype=float)
    else:
        betweenness = np.asarray(g.betweenness(directed=False, sources=plan["sources"].tolist()), float) * plan["scale"]
    exact = plan["sources"] is None
    sampled = np.zeros(N, dtype=bool) if exact else plan["scale"] != 1.0
    total = np.zeros(N)
    small = np.flatnonzero(~sampled)
    if len(small):
        inverse = np.asarray(g.closeness(vertices=small.tolist(), normalized=False), dtype=float)
        total[small] = np.where(np.isfinite(inverse) & (inverse > 0), 1.0 / inverse, 0.0)
    if sampled.any():
        pivots = plan["sources"][sampled[plan["sources"]]]
        sums, counts = np.zeros(N), np.zeros(N)
        for start in range(0, len(pivots), 128):
            D = shortest_path(A, method="D", unweighted=True, indices=pivots[start : start + 128])
            finite = np.isfinite(D)
            sums += np.where(finite, D, 0.0).sum(axis=0)
            counts += finite.sum(axis=0)
        counts[pivots] -= 1
        reach = plan["sizes"][plan["membership"]] - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.where(counts > 0, sums / counts * reach, 0.0)
        total[sampled] = estimate[sampled]
    return net.nodes, betweenness, total, plan


def old_plan(g, edges, budget, seed):
    N = g.vcount()
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership)
    comp_edges = np.bincount(membership[edges[:, 0]], minlength=len(sizes))
    cost = float(np.sum(sizes.astype(float) * (sizes + comp_edges)))
    scale = np.ones(N)
    if cost <= budget:
        return {"sources": None, "scale": scale, "membership": membership, "sizes": sizes, "cost": cost}
    fraction = budget / cost
    rng = np.random.default_rng(seed)
    chosen = np.ones(N, dtype=bool)
    for c in np.flatnonzero(sizes > MIN_PIVOTS):
        members = np.flatnonzero(membership == c)
        k = int(min(sizes[c], max(MIN_PIVOTS, math.ceil(fraction * sizes[c]))))
        if k == sizes[c]:
            continue
        chosen[members] = False
        chosen[np.sort(rng.choice(members, size=k, replace=False))] = True
        scale[members] = sizes[c] / k
    return {"sources": np.flatnonzero(chosen), "scale": scale, "membership": membership, "sizes": sizes,
            "cost": cost}


def closeness_from(total, plan, is_top):
    N = len(total)
    membership, sizes = plan["membership"], plan["sizes"]
    n_c = np.bincount(membership, weights=is_top.astype(float))[membership]
    m_c = sizes[membership] - n_c
    best = np.where(is_top, m_c + 2 * (n_c - 1), n_c + 2 * (m_c - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, best / total, 0.0) * ((sizes[membership] - 1) / (N - 1))


def betweenness_maximum(n, m, is_top):
    def most(n, m):
        s, t = divmod(n - 1, m)
        return ((m**2) * ((s + 1) ** 2) + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0
    return np.where(is_top, most(n, m), most(m, n))


# -- node_metrics equals the replaced implementation -------------------------------------------

GRAPHS = {
    "connected": lambda: connected(1, partners=500, projects=200, rows=1400),
    "disconnected": lambda: disconnected(2),
}


@pytest.mark.parametrize("shape", GRAPHS)
@pytest.mark.parametrize("pivots", [None, 150])
def test_betweenness_and_closeness_equal_the_replaced_implementation(shape, pivots):
    G = GRAPHS[shape]()
    exact_cost = old_plan_cost(G)
    budget = float("inf") if pivots is None else exact_cost * pivots / len(G)
    for seed in (0, 5):
        nodes, betweenness, total, plan = reference(G, budget, seed)
        t = node_metrics(G, budget=budget, seed=seed)
        assert t["node"].tolist() == nodes
        assert t.attrs["estimation"]["method"] == ("exact" if pivots is None else "sampled")
        is_top = (t["kind"] == "partner").to_numpy()
        n, m = int(is_top.sum()), int((~is_top).sum())
        np.testing.assert_allclose(t["betweenness"], betweenness / betweenness_maximum(n, m, is_top), rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(t["closeness"], closeness_from(total, plan, is_top), rtol=1e-12, atol=1e-300)
        if pivots is None:
            break  # the seed only matters when sampled


def old_plan_cost(G):
    net = as_network(G)
    g = ig.Graph(n=len(net.nodes))
    edges = np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + net.n_partners])
    g.add_edges(edges)
    return old_plan(g, edges, float("inf"), 0)["cost"]


# -- shortest_path_sums equals networkx --------------------------------------------------------

def adjacency(G):
    nodes = list(G)
    return nodes, nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr")


@pytest.mark.parametrize("shape", GRAPHS)
def test_shortest_path_sums_equal_networkx_from_every_node_and_from_some(shape):
    G = GRAPHS[shape]()
    nodes, A = adjacency(G)
    rng = np.random.default_rng(4)
    for sources in (np.arange(len(nodes)), np.sort(rng.choice(len(nodes), size=60, replace=False))):
        dependency, distance = shortest_path_sums(A, sources)
        names = [nodes[s] for s in sources]
        # networkx's subset betweenness from these sources to every node, halved for an undirected graph
        expected = nx.betweenness_centrality_subset(G, names, nodes, normalized=False)
        np.testing.assert_allclose(dependency / 2, [expected[v] for v in nodes], rtol=1e-12, atol=1e-300)
        totals = dict.fromkeys(nodes, 0)
        for s in names:
            for v, d in nx.single_source_shortest_path_length(G, s).items():
                totals[v] += d
        assert distance.tolist() == [totals[v] for v in nodes]


def test_shortest_path_sums_on_a_hand_checked_graph():
    # a - P - b - Q - c, and apart d - R: distances from a: P 1, b 2, Q 3, c 4.
    G = graph_from_edges([("a", "P"), ("b", "P"), ("b", "Q"), ("c", "Q"), ("d", "R")])
    nodes, A = adjacency(G)
    index = {n.split(":")[1]: i for i, n in enumerate(nodes)}
    dependency, distance = shortest_path_sums(A, [index["a"]])
    assert {k: dependency[i] for k, i in index.items()} == {"a": 0, "b": 2, "c": 0, "d": 0, "P": 3, "Q": 1, "R": 0}
    assert {k: int(distance[i]) for k, i in index.items()} == {"a": 0, "b": 2, "c": 4, "d": 0, "P": 1, "Q": 3, "R": 0}
    assert shortest_path_sums(A, [])[0].tolist() == [0.0] * len(nodes)


def test_shortest_path_sums_are_the_same_bits_on_one_thread_two_and_again():
    G = disconnected(3)
    _, A = adjacency(G)
    sources = np.arange(A.shape[0])
    runs = [shortest_path_sums(A, sources, threads=t) for t in (1, 2, 2, 5)]
    for dependency, distance in runs[1:]:
        assert dependency.tobytes() == runs[0][0].tobytes() and distance.tobytes() == runs[0][1].tobytes()


@pytest.mark.parametrize("shape", ["connected", "disconnected"])
def test_shortest_path_sums_numbered_for_locality_are_the_same_bits(shape, monkeypatch):
    # the largest component is searched renumbered in breadth-first order, the neighbours of each node kept in
    # their order: the same searches, the same additions in the same order, so the same bits as unrenumbered
    G = connected(11, partners=500, projects=200, rows=1500) if shape == "connected" else disconnected(5)
    nodes = list(G)
    random.Random(2).shuffle(nodes)  # numbered far from breadth-first order
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr")
    rng = np.random.default_rng(1)
    for sources in (np.arange(len(nodes)), np.sort(rng.choice(len(nodes), size=40, replace=False))):
        runs = []
        for smallest in (10**9, 1, 50):  # not renumbered, renumbered, renumbered
            monkeypatch.setattr(searches, "_LOCALITY_NODES", smallest)
            runs.append(shortest_path_sums(A, sources, threads=2))
        for dependency, distance in runs[1:]:
            assert dependency.tobytes() == runs[0][0].tobytes() and distance.tobytes() == runs[0][1].tobytes()


# -- the searches' kernel: the same bits as the plain algorithm it replaced ----------------------

def former_path_sums(indptr, indices, sources, dependency, distance):
    """The kernel before its memory layout, early resets and prefetching (session 22), kept as the reference."""
    n = len(indptr) - 1
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, dtype=np.int64)
    for s in sources:
        dist[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            dv = dist[v] + 1
            for t in range(indptr[v], indptr[v + 1]):
                w = indices[t]
                if dist[w] < 0:
                    dist[w] = dv
                    order[tail] = w
                    tail += 1
                if dist[w] == dv:
                    sigma[w] += sigma[v]
        for i in range(tail - 1, 0, -1):
            w = order[i]
            coefficient = (1.0 + delta[w]) / sigma[w]
            dw = dist[w] - 1
            for t in range(indptr[w], indptr[w + 1]):
                v = indices[t]
                if dist[v] == dw:
                    delta[v] += sigma[v] * coefficient
            dependency[w] += delta[w]
            distance[w] += dist[w]
        for i in range(tail):
            w = order[i]
            dist[w] = -1
            sigma[w] = 0.0
            delta[w] = 0.0


@pytest.mark.parametrize("shape", ["bipartite", "disconnected", "triangles"])
def test_path_sums_kernel_is_the_same_bits_as_the_former_one(shape):
    # compiled, as at scale; "triangles" is not bipartite (neighbours at the same distance), which the early
    # resets of the new kernel must leave alone
    import numba

    if shape == "triangles":
        G = nx.connected_watts_strogatz_graph(600, 6, 0.3, seed=3)
    else:
        G = connected(13, partners=900, projects=300, rows=2600) if shape == "bipartite" else disconnected(7)
    nodes = list(G)
    random.Random(4).shuffle(nodes)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr")
    former = numba.njit(former_path_sums)
    for index in (np.int32, np.int64):
        indptr, indices = A.indptr.astype(index), A.indices.astype(index)
        for sources in (np.arange(len(nodes)), np.sort(np.random.default_rng(2).choice(len(nodes), 50, replace=False))):
            runs = []
            plain = [searches._path_sums.py_func] if len(sources) < 100 else []  # the plain run: a few sources
            for run in [former, searches._path_sums.compiled, *plain]:
                dependency, distance = np.zeros(len(nodes)), np.zeros(len(nodes), dtype=np.int64)
                run(indptr, indices, sources.astype(np.int64), dependency, distance)
                runs.append((dependency.tobytes(), distance.tobytes()))
            assert all(r == runs[0] for r in runs[1:])


def hubs_and_leaves(seed):
    """A bipartite graph with hubs (partners in many projects, projects of many partners), many leaves (projects of
    one partner, partners in one project), lone ties and stars: most nodes are leaves, as in real tables."""
    rng = random.Random(seed)
    edges = [(f"a{rng.randrange(300)}", f"p{rng.randrange(200)}") for _ in range(700)]
    edges += [("hub", f"p{k}") for k in range(0, 200, 3)] + [(f"a{k}", "big") for k in range(0, 300, 4)]
    edges += [(f"a{rng.randrange(300)}", f"solo{k}") for k in range(150)]  # projects of one partner
    edges += [(f"lone{k}", f"p{rng.randrange(200)}") for k in range(150)]  # partners in one project
    edges += [(f"x{k}", f"q{k}") for k in range(5)] + [(f"y{k}", "star") for k in range(6)]  # lone ties, a star
    return graph_from_edges(edges)


@pytest.mark.parametrize("seed", [1, 2])
def test_shortest_path_sums_passing_leaves_by_are_the_same_bits_as_the_former_kernel(seed, monkeypatch):
    # leaves are never searched through (their queue place is kept, their distances follow from their neighbour's):
    # the same additions in the same order as the former kernel, which searches every node
    import numba

    G = hubs_and_leaves(seed)
    nodes = list(G)
    random.Random(seed).shuffle(nodes)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr")
    N = len(nodes)
    leaves = np.flatnonzero(np.diff(A.indptr) == 1)
    assert len(leaves) > N / 3
    former = numba.njit(former_path_sums)
    rng = np.random.default_rng(seed)
    for sources in (np.arange(N), np.sort(rng.choice(N, 60, replace=False)), leaves[:30]):
        for smallest in (10**9, 1):  # not renumbered, renumbered for locality
            monkeypatch.setattr(searches, "_LOCALITY_NODES", smallest)
            with monkeypatch.context() as former_run:  # the same blocks, searched by the former kernel, no leaf marked
                former_run.setattr(searches, "_path_sums", former)
                former_run.setattr(searches, "_mark_leaves", lambda *_: (np.zeros(0, int), np.zeros(0, int)))
                dependency, distance = shortest_path_sums(A, sources, threads=1)
            for threads in (1, 2):
                got = shortest_path_sums(A, sources, threads=threads)
                assert got[0].tobytes() == dependency.tobytes() and got[1].tobytes() == distance.tobytes()
    plain = np.zeros(N), np.zeros(N, dtype=np.int64)  # the plain Python kernel, marked leaves and all
    indices = A.indices.astype(np.int64)
    searches._mark_leaves(A.indptr.astype(np.int64), indices)
    compiled = np.zeros(N), np.zeros(N, dtype=np.int64)
    for run, (dep, dist) in ((searches._path_sums.py_func, plain), (searches._path_sums.compiled, compiled)):
        run(A.indptr.astype(np.int64), indices, leaves[:5].astype(np.int64), dep, dist)
    assert plain[0].tobytes() == compiled[0].tobytes() and plain[1].tobytes() == compiled[1].tobytes()
