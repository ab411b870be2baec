"""Each period as a snapshot: the network in numbers (a row of ``periods.csv``) and its partners' metrics.

Each period is analysed as ``ecosys analyze`` analyses a table
(:func:`ecosys.pipeline.analyze` on the period's participations: the same
metrics and communities, seeded). The figures of a period describe its
partner network: partners linked when they share a project.

======================  ========================================================
column                  meaning
======================  ========================================================
``partners``            partners active in the period (in one of its projects)
``projects``            projects active in the period
``participations``      partner-in-project links active in the period
``partner_pairs``       pairs of partners sharing a project (in the partner
                        projection communities are found on)
``density``             partner pairs / all possible pairs, n (n - 1) / 2
``mean_degree``         2 x partner pairs / partners: co-partners per partner
``components``          connected groups of partners and projects
``giant_share``         share of the partners in the largest of them
``clustering``          mean two-mode clustering of the partners (Latapy et al.
                        2008: the overlap of their projects with their
                        co-partners'; the ``clustering`` metric)
``mean_distance``       mean number of shared-project steps between two
                        partners connected through others; from a seeded
                        sample of partners on large graphs
``degree_centralisation`` Freeman's (1979) centralisation of the partners'
                        co-partner counts: 1 for a star, 0 when all are equal
``participations_gini`` Gini coefficient of the projects per partner (0: all
                        equal; towards 1: a few partners in most projects)
``communities``         communities of the period (partners without a
                        co-partner each form their own)
``modularity``          modularity of the period's communities
======================  ========================================================

Example
-------
>>> from ecosys.graph import graph_from_edges
>>> from ecosys.pipeline import analyze
>>> from ecosys.read import read_participations
>>> import io
>>> p = read_participations(io.BytesIO(b"org,project\\nA,P1\\nB,P1\\nB,P2\\nC,P2\\nD,P3\\n"))
>>> s, _ = network_figures(analyze(p))
>>> s["partner_pairs"], s["density"], s["giant_share"], s["mean_distance"]
(2, 0.333333, 0.75, 1.333333)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..graph import PARTNER, Bipartite, bipartite_adjacency
from ..metrics import DEFAULT_BUDGET, MIN_PIVOTS
from ..searches import shortest_path_sums
from ..pipeline import Analysis

__all__ = ["DISTANCE_SHARE", "FIGURES", "degree_centralisation", "gini", "mean_distance", "network_figures", "partner_rows",
           "size_figures",
           "percentile"]

FIGURES = (
    "partners", "projects", "participations", "partner_pairs", "density", "mean_degree", "components",
    "giant_share", "clustering", "mean_distance", "degree_centralisation", "participations_gini", "communities",
    "modularity",
)
_PLACES = 6  # decimals kept in the figures (as the CSV tables write floats)
# The mean distance gets this share of the search budget of betweenness and closeness: a mean over every
# pair from 100 sources is already precise to a few thousandths on all of Horizon 2020 (see the tests).
DISTANCE_SHARE = 0.1


def size_figures(net: Bipartite, pairs: int, label: np.ndarray) -> dict:
    """The figures of a period that need no metric: partners, projects, participations, partner pairs,
    density and the giant component's share, from the graph, its number of partner pairs and each
    node's component (partners first, as :func:`ecosys.graph.components` numbers them).

    >>> from ecosys.graph import as_network, components, graph_from_edges
    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")]))
    >>> size_figures(net, 1, components(net))
    {'partners': 3, 'projects': 2, 'participations': 3, 'partner_pairs': 1, 'density': 0.333333, 'giant_share': 0.666667}
    """
    n = net.n_partners
    sizes = np.bincount(label) if len(label) else np.zeros(1, int)
    return {
        "partners": n,
        "projects": net.n_projects,
        "participations": len(net.edges),
        "partner_pairs": pairs,
        "density": round(2 * pairs / (n * (n - 1)), _PLACES) if n > 1 else 0.0,
        "giant_share": round(float(np.mean(label[:n] == np.argmax(sizes))), _PLACES) if n else 0.0,
    }


def network_figures(analysis: Analysis, *, seed: int = 0, budget: float = DEFAULT_BUDGET) -> tuple[dict, int]:
    """The period's network in numbers, :data:`FIGURES` (see the module docstring), and the number of partners
    the mean distance was measured from (all of them when exact).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> s, sources = network_figures(analyze(demo_path()))
    >>> sources
    36
    >>> s = network_figures(analyze(demo_path()))[0]
    >>> s["partners"], s["partner_pairs"], s["components"], s["communities"]
    (36, 63, 4, 5)
    """
    net, P = analysis.network, analysis.projection
    n = net.n_partners
    pairs = P.number_of_edges()
    label = analysis.components
    partners = analysis.metrics["kind"].to_numpy() == PARTNER
    clustering = analysis.metrics["clustering"].to_numpy(dtype=float)[partners]
    distance, sources = mean_distance(net, seed=seed, budget=budget)
    community = np.array([analysis.partition.membership[k] for k in net.partners["node"]], dtype=np.int64)
    figures = {
        **size_figures(net, pairs, label),
        "mean_degree": round(2 * pairs / n, _PLACES) if n else 0.0,
        "components": int(label.max()) + 1 if len(label) else 0,
        "clustering": round(float(np.nanmean(clustering)), _PLACES) if n and not np.isnan(clustering).all() else 0.0,
        "mean_distance": round(distance, _PLACES),
        "degree_centralisation": round(degree_centralisation(P.degree()), _PLACES),
        "participations_gini": round(gini(np.asarray(net.B.sum(axis=1)).ravel()), _PLACES),
        "communities": len(np.unique(community)),
        "modularity": round(analysis.partition.modularity, _PLACES),
    }
    return figures, sources


def mean_distance(net: Bipartite, *, seed: int = 0, budget: float = DEFAULT_BUDGET) -> tuple[float, int]:
    """The mean number of shared-project steps between two partners connected to each other, and the number
    of partners it was measured from.

    A step is a project two partners share (partner - project - partner in
    the bipartite graph: two edges). Every pair of partners in the same
    connected component counts once; pairs in different components do not
    (they have no distance). When breadth-first searches from every partner
    would cost more than ``DISTANCE_SHARE`` of ``budget`` (in units of
    nodes + edges, as :func:`ecosys.metrics.node_metrics` budgets them),
    the mean is taken over the pairs from a random sample of partners
    (seeded; at least ``MIN_PIVOTS``): the ratio of their total distance to
    their number of connected pairs, a consistent estimate.

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("B", "P2"), ("C", "P2"), ("D", "P3")]))
    >>> mean_distance(net)  # A-B 1, B-C 1, A-C 2; D alone
    (1.3333333333333333, 4)
    """
    n = net.n_partners
    N = n + net.n_projects
    if n < 2:
        return 0.0, n
    from scipy.sparse.csgraph import connected_components  # here: scipy.linalg stays out of small runs (test_startup)

    A = bipartite_adjacency(net.B)
    _, label = connected_components(A, directed=False)
    per_component = np.bincount(label[:n], minlength=label.max() + 1)
    work, allowed = N + len(net.edges), budget * DISTANCE_SHARE
    if n * work <= allowed:
        sources = np.arange(n)
    else:
        k = min(n, max(MIN_PIVOTS, math.ceil(allowed / work)))
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    _, distance = shortest_path_sums(A, sources, components=label)
    pairs = float(np.sum(per_component[label[sources]] - 1))
    return (float(distance[:n].sum()) / 2 / pairs if pairs else 0.0), int(len(sources))


def degree_centralisation(degree) -> float:
    """Freeman's degree centralisation: sum over nodes of (highest degree - degree) / ((n - 1)(n - 2)).

    1 for a star (one node linked to all, the others to it alone), 0 when
    every node has the same degree; 0 below three nodes.

    >>> degree_centralisation([3, 1, 1, 1]), degree_centralisation([2, 2, 2])
    (1.0, 0.0)
    """
    d = np.asarray(degree, dtype=float)
    n = len(d)
    if n < 3:
        return 0.0
    return float(np.sum(d.max() - d) / ((n - 1) * (n - 2)))


def gini(values) -> float:
    """The Gini coefficient of non-negative ``values``: 0 when all are equal, (n - 1) / n when one holds all.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4]), round(gini([1, 2, 3, 4]), 3)
    (0.0, 0.75, 0.25)
    """
    x = np.sort(np.asarray(values, dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return 0.0
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n)


def percentile(values) -> np.ndarray:
    """Each value's percentile among ``values``: 0 for the lowest, 100 for the highest, ties share the mean rank.

    >>> percentile([0.1, 0.4, 0.2, 0.2]).tolist()
    [0.0, 100.0, 50.0, 50.0]
    """
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return np.full(len(values), 100.0)
    from scipy.stats import rankdata  # here, as above

    return (rankdata(values, method="average") - 1) / (len(values) - 1) * 100


def partner_rows(analysis: Analysis) -> pd.DataFrame:
    """The period's partners with their community, metrics and PageRank percentile, most central first.

    :meth:`ecosys.pipeline.Analysis.partners` without the partners' input
    attributes (they do not change from period to period) and ``kind``,
    ``node`` renamed ``partner``, and ``pagerank_percentile`` after
    ``pagerank`` (:func:`percentile` among the period's partners).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> t = partner_rows(analyze(demo_path()))
    >>> t.columns[:4].tolist(), float(t["pagerank_percentile"].iloc[0])
    (['partner', 'name', 'community', 'degree'], 100.0)
    """
    t = analysis.partners()
    # each attribute's column: "x (input)" where its name is one of the analysis's own (a column "community")
    attributes = [f"{c} (input)" if f"{c} (input)" in t.columns else c for c in analysis.network.attributes(PARTNER)]
    t = t.drop(columns=["kind", *attributes]).rename(columns={"node": "partner"})
    t.insert(t.columns.get_loc("pagerank") + 1, "pagerank_percentile", percentile(t["pagerank"].to_numpy()))
    return t
