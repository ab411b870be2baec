"""Seeded positions for drawing a network: the same graph and seed give the same positions.

Each connected component is laid out on its own (igraph, from seeded random
starting points): Kamada-Kawai up to ``KAMADA_KAWAI_NODES`` nodes, so drawn
distances follow graph distances, Fruchterman-Reingold above (its cost grows
with the square of the nodes, so fewer iterations past about 550 nodes: see
``LAYOUT_WORK``). Each component is scaled so that its median edge is
``spacing`` pixels long, or more where nodes crowd (``MIN_GAP``), and the
components are packed in rows, largest first. Positions are in pixels,
rounded to 0.1.

The overview of a large graph (:func:`overview_layout`) places one node per
community on the links between communities and each community's top partners
on a ring round it.

Example
-------
>>> from ecosys.layout import positions
>>> xy = positions(4, [(0, 1), (1, 2)], seed=0)  # a path of three nodes, and a node on its own
>>> xy.shape, bool((positions(4, [(0, 1), (1, 2)], seed=0) == xy).all())
((4, 2), True)
>>> bool(xy[3, 0] > xy[:3, 0].max())  # the single node is packed to the right of the path
True
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
from scipy.spatial import cKDTree

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = [
    "LAYOUT_WORK", "FAST_LAYOUT_WORK", "GRID_NODES", "MIN_GAP", "KAMADA_KAWAI_NODES",
    "layout", "positions", "overview_layout",
]

# Fruchterman-Reingold costs n^2 per iteration: 500 iterations up to ~550 nodes,
# fewer above (about 1 s for a 2,000-node component), never under 60.
LAYOUT_WORK = 1.5e8
FAST_LAYOUT_WORK = 4e6
GRID_NODES = 3000  # larger components (drawn only on request, --max-nodes) use Fruchterman-Reingold's grid
MIN_GAP = 50.0  # pixels between a node and its nearest neighbour, for 90% of the nodes at least
KAMADA_KAWAI_NODES = 300  # smaller components: Kamada-Kawai (drawn distances follow graph distances)


def layout(G: nx.Graph, seed: int = 0, spacing: float = 110.0) -> dict:
    """Seeded 2-D positions for the nodes of ``G``: ``{node: (x, y)}``, in pixels (see the module docstring).

    >>> from ecosys.graph import graph_from_edges
    >>> pos = layout(graph_from_edges([("A", "P1"), ("B", "P1")]), seed=1)
    >>> sorted(pos), pos == layout(graph_from_edges([("A", "P1"), ("B", "P1")]), seed=1)
    (['partner:A', 'partner:B', 'project:P1'], True)
    """
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    xy = positions(len(nodes), [(index[u], index[v]) for u, v in G.edges()], seed=seed, spacing=spacing)
    return {n: (float(xy[i, 0]), float(xy[i, 1])) for i, n in enumerate(nodes)}


def positions(n: int, edges, *, seed: int = 0, spacing: float = 110.0, weights=None, fast: bool = False) -> np.ndarray:
    """Positions (an ``n`` x 2 array, in pixels, rounded to 0.1) of a graph given as an edge list of indices.

    ``weights`` (one per edge) pull the ends of heavier edges closer in
    Fruchterman-Reingold. ``fast``: Fruchterman-Reingold with
    ``FAST_LAYOUT_WORK`` (about 20 ms for 200 nodes) whatever the size, for
    the many small maps written at once. Python's ``random`` state is left as
    it was.

    >>> positions(2, [(0, 1)], spacing=100.0).tolist()  # one edge, 100 pixels long
    [[0.0, 0.0], [100.0, 0.0]]
    """
    if n == 0:
        return np.zeros((0, 2))
    g = ig.Graph(n=n, edges=[(int(a), int(b)) for a, b in edges])
    if weights is not None:
        g.es["w"] = [float(w) for w in weights]
    rng = np.random.default_rng(seed)
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    random.seed(seed)
    try:
        boxes = []
        for members in sorted(g.connected_components(), key=lambda c: (-len(c), c[0])):
            sub = g.subgraph(members)
            if len(members) == 1:
                xy = np.zeros((1, 2))
            else:
                start = rng.uniform(-1, 1, size=(len(members), 2)).tolist()
                w = sub.es["w"] if weights is not None else None
                if fast:
                    niter = int(min(300, max(40, FAST_LAYOUT_WORK / len(members) ** 2)))
                    xy = np.asarray(
                        sub.layout_fruchterman_reingold(seed=start, niter=niter, grid="nogrid", weights=w).coords
                    )
                elif len(members) <= KAMADA_KAWAI_NODES:
                    xy = np.asarray(sub.layout_kamada_kawai(seed=start, maxiter=50 * len(members)).coords)
                else:
                    niter = int(min(500, max(60, LAYOUT_WORK / len(members) ** 2)))
                    grid = "grid" if len(members) > GRID_NODES else "nogrid"  # the grid: linear, not quadratic
                    xy = np.asarray(
                        sub.layout_fruchterman_reingold(seed=start, niter=niter, grid=grid, weights=w).coords
                    )
                ends = np.asarray(sub.get_edgelist())
                lengths = np.hypot(*(xy[ends[:, 0]] - xy[ends[:, 1]]).T)
                nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]  # each node's nearest other node
                scale = max(spacing / (np.median(lengths) or 1.0), MIN_GAP / (np.percentile(nearest, 10) or 1.0))
                xy = (xy - xy.mean(axis=0)) * scale
            boxes.append((members, xy))
    finally:
        random.setstate(state)
    out = np.zeros((n, 2))
    row_width = max(spacing * 4, (np.ptp(boxes[0][1][:, 0]) if len(boxes[0][0]) > 1 else 0) * 1.5)
    x = y = row_height = 0.0
    gap = spacing
    for members, xy in boxes:
        width = np.ptp(xy[:, 0]) if len(members) > 1 else 0.0
        height = np.ptp(xy[:, 1]) if len(members) > 1 else 0.0
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        out[members] = xy - xy.min(axis=0) + (x, y)
        x += width + gap
        row_height = max(row_height, height)
    return np.round(out, 1) + 0.0  # + 0.0: no negative zero


def overview_layout(ncomm: int, links: list, rings: dict, loose: dict, seed: int = 0) -> tuple[np.ndarray, dict]:
    """The positions of an overview: community centres, and each metric's top partners round them.

    ``links`` are ``(community, community, projects shared)`` triples between
    the ``ncomm`` communities drawn (numbered 0 to ``ncomm - 1`` here);
    ``rings`` maps each metric to ``{community: [record, ...]}``, its top
    partners in each community, and ``loose`` each metric to its top partners
    in communities not drawn. The centres are laid out on their links
    (stronger links pull closer), then pushed apart until no two rings
    overlap; each ring's partners sit evenly round its centre, starting at
    the top, and the loose ones in a row below. Returns the centres
    (``ncomm`` x 2) and ``{metric: {record: (x, y)}}``.

    >>> centres, placed = overview_layout(2, [(0, 1, 3.0)], {"pagerank": {0: [2], 1: [3, 4]}}, {"pagerank": [5]})
    >>> centres.shape, sorted(placed["pagerank"])
    ((2, 2), [2, 3, 4, 5])
    >>> x, y = placed["pagerank"][2]  # alone on its ring: straight above its centre, 90 pixels up
    >>> (x, y) == (float(centres[0, 0]), round(float(centres[0, 1]) - 90.0, 1))
    True
    """
    size = np.zeros(ncomm)
    for by_community in rings.values():
        for k, ks in by_community.items():
            size[k] = max(size[k], len(ks))
    radius = np.maximum(90.0, size * 46 / (2 * math.pi))
    centres = np.zeros((ncomm, 2))
    if ncomm:
        centres = positions(ncomm, [(u, v) for u, v, _ in links], seed=seed, spacing=2.5 * float(np.median(radius)),
                            weights=[math.log1p(w) for _, _, w in links], fast=True)
        centres = centres - centres.mean(axis=0)
        reach = radius[:, None] + radius[None, :] + 150.0  # the distance two centres need, node sizes included
        for _ in range(200):
            delta = centres[:, None, :] - centres[None, :, :]
            dist = np.hypot(delta[..., 0], delta[..., 1]) + np.eye(ncomm)
            overlap = np.clip(reach - dist, 0, None) * (1 - np.eye(ncomm))
            if not overlap.any():
                break
            centres = centres + (delta / dist[..., None] * overlap[..., None] / 2).sum(axis=1)
        centres = np.round(centres, 1) + 0.0
    bottom = float(centres[:, 1].max() + radius.max() + 120.0) if ncomm else 0.0
    placed = {}
    for m, by_community in rings.items():
        where = {}
        for k, ks in by_community.items():
            for i, r in enumerate(ks):
                angle = 2 * math.pi * i / len(ks) - math.pi / 2
                where[r] = (round(float(centres[k, 0] + radius[k] * math.cos(angle)), 1) + 0.0,
                            round(float(centres[k, 1] + radius[k] * math.sin(angle)), 1) + 0.0)
        for i, r in enumerate(loose.get(m, [])):
            where[r] = (i * 120.0, bottom)
        placed[m] = where
    return centres, placed
