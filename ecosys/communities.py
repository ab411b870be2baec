"""Communities of partners and projects, how they were found, and how stable they are.

By default partners are grouped by the Leiden algorithm (Traag, Waltman & van
Eck 2019, "From Louvain to Leiden: guaranteeing well-connected communities",
Sci. Rep. 9:5233; igraph's C implementation) maximising modularity on the
partner projection weighted by shared projects, with a fixed seed, pass after
pass until a pass improves modularity by less than ``TOLERANCE``. Every
project then joins the community most of its partners belong to (ties go to
the larger community). Communities are numbered 1, 2, ... from the largest
(most partners); a partner with no co-partner is a community of its own.

The other :data:`METHODS`: Louvain and label propagation on the same
projection, and Barber's bipartite modularity on partners and projects
together (:func:`barber_modularity`). :func:`community_stability` runs a
method with several seeds and reports their agreement (ARI, NMI), a consensus
partition (Lancichinetti & Fortunato 2012) and each node's stability.
What each community is made of (size, members, composition, name) is in
:mod:`ecosys.profiles`.

Example
-------
>>> from ecosys.graph import graph_from_edges
>>> from ecosys.communities import detect_communities
>>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2"),
...                       ("C", "P3"), ("D", "P3"), ("C", "P4"), ("D", "P4"), ("B", "P5"), ("C", "P5")])
>>> part = detect_communities(G, seed=1)
>>> part.of("partner:A"), part.of("partner:D"), part.of("project:P3")
(1, 2, 2)
>>> round(part.modularity, 4)
0.3
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import leiden
from .graph import PARTNER, Bipartite, Projection, as_network, project

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = [
    "METHODS", "Partition", "Stability", "barber_modularity", "community_numbers", "community_stability",
    "detect_communities", "numbered_partition",
    "STABILITY_THRESHOLD", "TOLERANCE", "MAX_PASSES",
]

# Leiden passes stop when one improves modularity by less than this (or after
# MAX_PASSES). On all Horizon 2020 participations (35,871 partners, 796,670
# pairs) that is 5 passes, 1.5 s, modularity 0.436; ten more passes would add
# 0.001.
TOLERANCE = 1e-3
MAX_PASSES = 50


@dataclass(frozen=True)
class Partition:
    """A community for every node, with how it was found.

    ``membership`` maps each node (partners and projects) to a community
    number from 1; ``modularity`` is the weighted modularity of the partner
    communities on the partner projection (Newman 2004).

    >>> part = Partition({"partner:A": 1, "partner:B": 2, "project:P1": 1}, modularity=0.0, method="leiden")
    >>> part.count, part.of("partner:B"), part.to_frame().values.tolist()
    (2, 2, [['partner:A', 1], ['partner:B', 2], ['project:P1', 1]])
    """

    membership: dict
    modularity: float
    method: str
    parameters: dict = field(default_factory=dict)

    def of(self, node) -> int:
        """The community of ``node``."""
        return self.membership[node]

    @property
    def count(self) -> int:
        """How many communities there are."""
        return len(set(self.membership.values()))

    def to_frame(self) -> pd.DataFrame:
        """One row per node: ``node``, ``community``."""
        return pd.DataFrame({"node": list(self.membership), "community": list(self.membership.values())})


METHODS = {
    "leiden": "Leiden (Traag, Waltman & van Eck 2019), modularity on the partner projection",
    "louvain": "Louvain (Blondel et al. 2008), modularity on the partner projection",
    "labelprop": "label propagation (Raghavan, Albert & Kumara 2007) on the partner projection",
    "bipartite": "Barber's bipartite modularity (Barber 2007) on the partner-project graph, "
                 "optimised by leidenalg's bipartite CPM with degrees as node sizes",
}


def detect_communities(
    graph: Bipartite | nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    projection: Projection | None = None,
    method: str = "leiden",
) -> Partition:
    """Communities of the partners of the bipartite graph, extended to its projects.

    ``method`` is one of :data:`METHODS`. The first three group partners on
    the partner projection (``projection`` if already built; its ``weight``
    is what they use) and give each project the community of most of its
    partners. ``"bipartite"`` groups partners and projects together on the
    bipartite graph itself. ``modularity`` is always the weighted modularity
    of the partners' communities on the projection, so methods compare; the
    bipartite method also records Barber's modularity in ``parameters``.

    >>> from ecosys.graph import graph_from_edges
    >>> part = detect_communities(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2"), ("D", "P2")]))
    >>> part.count, part.of("partner:A") == part.of("project:P1"), part.method
    (2, True, 'leiden')
    """
    net = as_network(graph)
    found = community_numbers(net, seed=seed, resolution=resolution, projection=projection, method=method)
    return numbered_partition(net, found)


def community_numbers(
    graph: Bipartite | nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    projection: Projection | None = None,
    method: str = "leiden",
) -> tuple[np.ndarray, float, str, dict]:
    """What :func:`detect_communities` finds, as numbers: each node's community (partners then projects, in
    graph order), the modularity, the method and its parameters; :func:`numbered_partition` names the nodes.

    A compact answer for a process that finds communities for another (see :mod:`ecosys.parallel`): one
    array where the partition holds a dictionary of every node key, pickled and read back far faster.

    >>> from ecosys.graph import graph_from_edges
    >>> community, modularity, method, parameters = community_numbers(graph_from_edges([("A", "P1"), ("B", "P2")]))
    >>> community.tolist(), modularity, method, parameters["passes"]
    ([1, 2, 1, 2], 0.0, 'leiden', 0)
    """
    if method not in METHODS:
        raise ValueError(f"unknown community method {method!r}: choose one of {', '.join(METHODS)}")
    net = as_network(graph)
    P = projection if projection is not None else project(net, PARTNER)
    parameters = {"objective": "modularity", "resolution": resolution}
    compiled = _adjacency(P) if method == "leiden" else None
    if compiled is not None:  # igraph's Leiden compiled (ecosys.leiden): the same partition, without igraph's graph
        modularity_of, linked = partial(leiden.modularity, compiled), len(compiled.neighbors) > 0
    else:
        g, weights = _weighted_graph(P)
        modularity_of, linked = (lambda community: g.modularity(community.tolist(), weights=weights)), g.ecount() > 0
    if method == "leiden":
        raw, passes = _leiden(compiled, resolution, seed) if compiled is not None else _leiden_igraph(
            g, weights, resolution, seed)
        parameters.update({"passes": passes, "tolerance": TOLERANCE})
    elif method == "louvain":
        raw = _seeded(seed, lambda: g.community_multilevel(weights=weights, resolution=resolution).membership, g)
    elif method == "labelprop":
        raw = _seeded(seed, lambda: g.community_label_propagation(weights=weights).membership, g)
        parameters = {"objective": "none (labels spread to the heaviest neighbouring label)"}
    if method != "bipartite":
        labels = _number_by_size(raw)
        partner_community = labels[np.asarray(raw, dtype=np.int64)] if len(raw) else np.zeros(0, dtype=np.int64)
        project_community = _majority(net, partner_community)
        parameters["graph"] = f"partner projection weighted by {P.weighting}" + (
            f", pairs sharing at least {P.min_shared} projects" if P.min_shared > 1 else "")
        parameters["projects"] = "majority community of their partners"
    else:
        partner_community, project_community, barber = _bipartite(net, resolution, seed)
        parameters.update({
            "objective": "Barber's bipartite modularity", "barber_modularity": round(barber, 6),
            "graph": "partner-project bipartite graph", "projects": "found with the partners",
        })
    modularity = modularity_of(partner_community) if linked else 0.0
    parameters["seed"] = seed
    return np.concatenate([partner_community, project_community]), float(modularity), method, parameters


def numbered_partition(graph: Bipartite | nx.Graph, found: tuple) -> Partition:
    """The :class:`Partition` of :func:`community_numbers`'s answer ``found`` on ``graph``.

    >>> from ecosys.graph import graph_from_edges
    >>> G = graph_from_edges([("A", "P1"), ("B", "P2")])
    >>> numbered_partition(G, community_numbers(G)).membership
    {'partner:A': 1, 'partner:B': 2, 'project:P1': 1, 'project:P2': 2}
    """
    community, modularity, method, parameters = found
    membership = dict(zip(as_network(graph).nodes, community.tolist()))  # lists: 10x faster than the columns
    return Partition(membership=membership, modularity=modularity, method=method, parameters=parameters)


def barber_modularity(B, partner_community, project_community, resolution: float = 1.0) -> float:
    """Barber's bipartite modularity of a partition of the partners (rows) and projects (columns) of ``B``.

    ``Q = (1/m) sum_c (e_c - resolution * K_c D_c / m)``, with ``m`` the
    participations, ``e_c`` those inside community ``c``, ``K_c`` and ``D_c``
    the degree totals of its partners and projects (Barber 2007, "Modularity
    and community detection in bipartite networks", PRE 76:066102).

    >>> import numpy as np, scipy.sparse as sp
    >>> B = sp.csr_matrix(np.array([[1, 0], [0, 1]]))
    >>> barber_modularity(B, np.array([1, 2]), np.array([1, 2]))   # two separate pairs: 1 - 2 * 1/4
    0.5
    """
    B = sp.coo_matrix(B)
    m = float(B.sum())
    if m == 0:
        return 0.0
    a, b = np.asarray(partner_community), np.asarray(project_community)
    size = int(max(a.max(initial=0), b.max(initial=0))) + 1
    inside = np.bincount(a[B.row], weights=B.data * (a[B.row] == b[B.col]), minlength=size)
    K = np.bincount(a, weights=np.asarray(B.sum(axis=1)).ravel(), minlength=size)
    D = np.bincount(b, weights=np.asarray(B.sum(axis=0)).ravel(), minlength=size)
    return float((inside.sum() - resolution * (K * D).sum() / m) / m)


def _bipartite(net: Bipartite, resolution: float, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Partners and projects together, maximising Barber's modularity with leidenalg."""
    import leidenalg

    n, m = net.n_partners, net.n_projects
    g = ig.Graph(n=n + m)
    edges = np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + n])
    g.add_edges(edges)
    if g.ecount() == 0:
        raw = np.arange(n + m)
    else:
        types = [0] * n + [1] * m
        # CPM with degrees as node sizes, layers 01 - 0 - 1: 2 sum_c (e_c - g01 K_c D_c), which is
        # 2 m times Barber's Q when g01 = resolution / m
        layers = leidenalg.CPMVertexPartition.Bipartite(
            g, resolution_parameter_01=resolution / g.ecount(), degree_as_node_size=True, types=types,
        )
        optimiser = leidenalg.Optimiser()
        optimiser.set_rng_seed(seed)
        optimiser.optimise_partition_multiplex(list(layers), layer_weights=[1, -1, -1], n_iterations=2)
        raw = np.asarray(layers[0].membership, dtype=np.int64)
    # numbered by size (partners and projects together), largest first
    labels = _number_by_size(raw)
    community = labels[raw]
    barber = barber_modularity(net.B, community[:n], community[n:], resolution)
    return community[:n], community[n:], barber


def _seeded(seed: int, run, g: ig.Graph) -> list[int]:
    """Run an igraph community function with Python's random module seeded (igraph draws from it)."""
    if g.vcount() == 0:
        return []
    state = random.getstate()
    random.seed(seed)
    try:
        return list(run())
    finally:
        random.setstate(state)


def _majority(net: Bipartite, partner_community: np.ndarray) -> np.ndarray:
    """The community most partners of each project belong to (ties: the lower number)."""
    votes = pd.DataFrame({
        "project": net.edges["project"].to_numpy(),
        "community": partner_community[net.edges["partner"].to_numpy()],
    })
    counts = votes.groupby(["project", "community"]).size().rename("n").reset_index()
    best = counts.sort_values(["project", "n", "community"], ascending=[True, False, True], kind="stable")
    best = best.drop_duplicates("project")
    out = np.full(net.n_projects, partner_community.max(initial=0) + 1, dtype=np.int64)
    out[best["project"].to_numpy()] = best["community"].to_numpy()
    return out


def _weighted_graph(P: Projection) -> tuple[ig.Graph, list | None]:
    """The projection as an igraph graph and its edge weights as a list (None without edges).

    The pairs go to igraph as tuples of Python ints a block at a time, in their order: igraph reads a numpy
    array a row object at a time, 1.5x slower, and would need the pairs side by side in a copy (16 bytes a pair).
    igraph takes weights as a Python list: one float object per pair, 32 bytes, where most pairs
    share a handful of values (counts 1, 2, 3...). Equal weights share one object, 8 bytes a pair.
    (A numpy array is read element by element on every call: as much memory, 5-15% slower Leiden.)
    Each array is let go as soon as the next step has what it needs.
    """
    rows, cols, _, weights = P.pairs()
    g = ig.Graph(n=P.shared.shape[0])
    g.add_edges(_pairs(rows, cols))
    del rows, cols
    which, values = pd.factorize(weights.astype(float, copy=False))  # hashed: 4x faster than np.unique's sort
    del weights
    listed = np.array(values.tolist(), dtype=object)[which]  # one Python float per value, without which.tolist()
    del which
    return g, listed.tolist() or None


def _pairs(rows: np.ndarray, cols: np.ndarray, block: int = 1 << 16):
    """``(rows[k], cols[k])`` as tuples of Python ints, listed a block at a time (bounded memory)."""
    return itertools.chain.from_iterable(
        zip(rows[k:k + block].tolist(), cols[k:k + block].tolist()) for k in range(0, len(rows), block))


def _adjacency(P: Projection) -> leiden.Adjacency | None:
    """The projection as :mod:`ecosys.leiden` takes it (None where the port does not apply: igraph runs instead)."""
    W = P.weight  # the projection's own arrays (and a float copy of counts): no list of its pairs, 20 bytes each
    try:
        return leiden.adjacency_of_matrix(W if W.has_sorted_indices else W.sorted_indices())
    except ValueError:  # asymmetric, a diagonal, negative weights (never from ecosys.graph.project): igraph decides
        return None


def _leiden(graph: leiden.Adjacency, resolution: float, seed: int) -> tuple[np.ndarray, int]:
    """Leiden passes from singletons until modularity gains less than TOLERANCE; membership and passes.

    Each pass is python-igraph's ``community_leiden(objective_function="modularity", n_iterations=1,
    initial_membership=...)`` with Python's ``random`` seeded with ``seed``, compiled
    (:mod:`ecosys.leiden`): the same memberships, modularities and passes as :func:`_leiden_igraph`.
    """
    if graph.n == 0:
        return np.zeros(0, dtype=np.int64), 0
    if len(graph.neighbors) == 0:
        return np.arange(graph.n), 0
    state = leiden.random_state(seed)
    return _passes(lambda membership: leiden.community_leiden(graph, state, membership, resolution),
                   lambda membership: leiden.modularity(graph, membership, resolution))


def _leiden_igraph(g: ig.Graph, weights, resolution: float, seed: int) -> tuple[list[int], int]:
    """:func:`_leiden` run by igraph itself (where the compiled port does not apply)."""
    if g.vcount() == 0:
        return [], 0
    if g.ecount() == 0:
        return list(range(g.vcount())), 0
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    random.seed(seed)
    try:
        membership, passes = _passes(
            lambda membership: g.community_leiden(objective_function="modularity", weights=weights,
                                                  resolution=resolution, n_iterations=1,
                                                  initial_membership=membership).membership,
            lambda membership: g.modularity(membership, weights=weights, resolution=resolution))
    finally:
        random.setstate(state)
    return list(membership), passes


def _passes(one_pass, modularity_of) -> tuple:
    """Leiden passes, each from the last kept membership (None: singletons), until a pass gains less than
    TOLERANCE in modularity (a pass that loses is not kept); the membership and the number of passes."""
    membership, quality, passes = None, -1.0, 0
    while passes < MAX_PASSES:
        found = one_pass(membership)
        passes += 1
        gained = modularity_of(found) - quality
        if gained > 0:
            membership, quality = found, quality + gained
        if gained < TOLERANCE:
            break
    return membership, passes


def _number_by_size(raw: list[int]) -> np.ndarray:
    """Map raw community ids to 1, 2, ... by size (largest first), then by first node."""
    raw = np.asarray(raw, dtype=np.int64)
    if not len(raw):
        return np.zeros(0, dtype=np.int64)
    size = np.bincount(raw)
    first = np.full(len(size), len(raw), dtype=np.int64)
    np.minimum.at(first, raw, np.arange(len(raw)))
    present = np.flatnonzero(size)
    order = present[np.lexsort((first[present], -size[present]))]
    labels = np.zeros(len(size), dtype=np.int64)
    labels[order] = np.arange(1, len(order) + 1)
    return labels


# -- stability ------------------------------------------------------------------------------------

# A node is flagged unstable when it sits with its consensus community in fewer runs than this share.
STABILITY_THRESHOLD = 0.5
# Co-assignment below this share of runs is dropped from the consensus graph (Lancichinetti & Fortunato's tau).
CONSENSUS_THRESHOLD = 0.5


@dataclass(frozen=True)
class Stability:
    """How much a community method's answer depends on its seed.

    ``runs`` partitions found with seeds ``seeds``; ``ari`` and ``nmi`` the
    mean over pairs of runs of the adjusted Rand index (Hubert & Arabie 1985)
    and the normalised mutual information (Danon et al. 2005) of the partner
    communities; ``consensus`` the consensus partition; ``stability`` for
    each node (partners then projects, graph order) the share of runs in which
    it sits with its consensus community (its run community overlaps that
    consensus community more than any other).

    >>> from ecosys.graph import graph_from_edges
    >>> s = community_stability(graph_from_edges([("A", "P1"), ("B", "P1")]), runs=2)
    >>> s.seeds, s.unstable.tolist(), s.summary()["unstable_nodes"]
    ([0, 1], [False, False, False], 0)
    """

    seeds: list
    ari: float
    nmi: float
    consensus: Partition
    stability: np.ndarray
    threshold: float = STABILITY_THRESHOLD

    @property
    def unstable(self) -> np.ndarray:
        return self.stability < self.threshold

    def summary(self) -> dict:
        return {
            "runs": len(self.seeds), "seeds": list(self.seeds), "mean_ari": round(self.ari, 6),
            "mean_nmi": round(self.nmi, 6), "consensus_threshold": CONSENSUS_THRESHOLD,
            "unstable_below": self.threshold, "unstable_nodes": int(self.unstable.sum()),
            "consensus": "one round of consensus clustering (Lancichinetti & Fortunato 2012): the method rerun "
                         "on the partner pairs weighted by the share of runs placing them together",
        }


def community_stability(
    graph: Bipartite | nx.Graph,
    *,
    runs: int,
    seed: int = 0,
    resolution: float = 1.0,
    projection: Projection | None = None,
    method: str = "leiden",
) -> Stability:
    """Run ``method`` with seeds ``seed, seed + 1, ...`` ``runs`` times; agreement, consensus and node stability.

    >>> from ecosys.graph import graph_from_edges
    >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("A", "P2"), ("B", "P2"), ("C", "P3"), ("D", "P3")])
    >>> s = community_stability(G, runs=3)
    >>> s.ari, s.nmi, s.stability.tolist()
    (1.0, 1.0, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    """
    if runs < 2:
        raise ValueError("stability needs at least 2 runs")
    net = as_network(graph)
    P = projection if projection is not None else project(net, PARTNER)
    seeds = [seed + k for k in range(runs)]
    found = [detect_communities(net, seed=s, resolution=resolution, projection=P, method=method) for s in seeds]
    nodes = net.nodes
    n = net.n_partners
    memberships = np.array([[p.membership[v] for v in nodes] for p in found], dtype=np.int64)
    ari, nmi = [], []
    for a, b in itertools.combinations(range(runs), 2):
        x, y = memberships[a, :n].tolist(), memberships[b, :n].tolist()
        for values, name in ((ari, "adjusted_rand"), (nmi, "nmi")):
            value = ig.compare_communities(x, y, method=name) if n > 1 else 1.0  # igraph refuses 0 or 1 node
            # undefined (0/0) when both are all singletons or all one community: 1 if they are the same
            values.append(value if np.isfinite(value) else float(_same_partition(x, y)))
    # consensus: the share of runs placing each linked pair of partners together
    rows, cols, _, _ = P.pairs()
    together = (memberships[:, rows] == memberships[:, cols]).mean(axis=0) if len(rows) else np.zeros(0)
    keep = together >= CONSENSUS_THRESHOLD
    C = sp.csr_matrix((together[keep], (rows[keep], cols[keep])), shape=(n, n))
    C = (C + C.T).tocsr()
    consensus_projection = Projection(net, PARTNER, C, C.data, weighting="co-assignment")
    consensus = detect_communities(
        net, seed=seed, resolution=resolution, projection=consensus_projection,
        method=method if method != "bipartite" else "leiden",
    )
    # modularity of the consensus on the projection the runs used
    reference = np.array([consensus.membership[v] for v in nodes], dtype=np.int64)
    g = ig.Graph(n=n)
    g.add_edges(np.column_stack([rows, cols]))
    weights = P.pairs()[3].astype(float).tolist() or None
    modularity = g.modularity(reference[:n].tolist(), weights=weights) if g.ecount() else 0.0
    consensus = Partition(
        membership=consensus.membership, modularity=float(modularity), method=method,
        parameters={**found[0].parameters, "seed": seed, "runs": runs, "consensus_of": seeds},
    )
    stability = np.mean([_agreement(m, reference) for m in memberships], axis=0)
    return Stability(seeds, float(np.mean(ari)), float(np.mean(nmi)), consensus, stability)


def _same_partition(x: list, y: list) -> bool:
    """Whether two membership lists group the nodes the same way, whatever the labels."""
    return len(set(zip(x, y))) == len(set(x)) == len(set(y))


def _agreement(run: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Whether each node's run community overlaps its reference community more than any other."""
    overlap = pd.DataFrame({"run": run, "ref": reference}).value_counts().rename("n").reset_index()
    best = overlap.sort_values(["run", "n", "ref"], ascending=[True, False, True], kind="stable")
    best = best.drop_duplicates("run").set_index("run")["ref"]
    return best.reindex(run).to_numpy() == reference
