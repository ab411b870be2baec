"""Seeded positions for drawing a network: the same graph and seed give the same positions.

Each connected component is laid out on its own (igraph, from seeded random
starting points): Kamada-Kawai up to ``KAMADA_KAWAI_NODES`` nodes, so drawn
distances follow graph distances, Fruchterman-Reingold above (its cost grows
with the square of the nodes, so fewer iterations past about 550 nodes: see
``LAYOUT_WORK``). Each component is scaled so that its median edge is
``spacing`` pixels long, or more where nodes crowd (``MIN_GAP``), turned so
its longest axis is horizontal and stretched a little towards the screen's
shape (``STRETCH``); when the nodes' ``radii`` are given, overlapping nodes
are then pushed apart (:func:`separate`). The components are packed, largest
first, into a rectangle of the canvas's aspect ratio (:func:`pack`), so the
map fills the screen. Positions are in pixels, rounded to 0.1.

The overview of a large graph (:func:`overview_layout`) places one node per
community on the links between communities and each community's top partners
on a ring round it.

Example
-------
>>> from ecosys.layout import positions
>>> xy = positions(4, [(0, 1), (1, 2)], seed=0)  # a path of three nodes, and a node on its own
>>> xy.shape, bool((positions(4, [(0, 1), (1, 2)], seed=0) == xy).all())
((4, 2), True)
>>> xy.tolist()  # the path, and the single node packed below it, one link's length away
[[0.0, 0.0], [110.0, 0.0], [220.0, 0.0], [0.0, 110.0]]
"""

from __future__ import annotations

import math
import random
import sys
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np

from .compiled import kernel

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = [
    "ASPECT", "GAP", "LAYOUT_WORK", "FAST_LAYOUT_WORK", "GRID_NODES", "MIN_GAP", "KAMADA_KAWAI_NODES", "STRETCH",
    "layout", "positions", "separate", "pack", "overview_layout", "ring_radius",
]

# Fruchterman-Reingold costs n^2 per iteration: 500 iterations up to ~550 nodes,
# fewer above (about 1 s for a 2,000-node component), never under 60.
LAYOUT_WORK = 1.5e8
FAST_LAYOUT_WORK = 4e6
GRID_NODES = 3000  # larger components (drawn only on request, --max-nodes) use Fruchterman-Reingold's grid
MIN_GAP = 50.0  # pixels between a node and its nearest neighbour, for 90% of the nodes at least
KAMADA_KAWAI_NODES = 300  # smaller components: Kamada-Kawai (drawn distances follow graph distances)
GAP = 6.0  # pixels left between two node discs after separate()
STRETCH = 1.25  # the most the largest component is stretched along an axis towards ASPECT
ASPECT = 1.6  # the width / height the packed components aim at: a landscape screen, beside the panel


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


def positions(
    n: int,
    edges,
    *,
    seed: int = 0,
    spacing: float = 110.0,
    weights=None,
    fast: bool = False,
    radii=None,
    aspect: float = ASPECT,
) -> np.ndarray:
    """Positions (an ``n`` x 2 array, in pixels, rounded to 0.1) of a graph given as an edge list of indices
    (pairs, or an array of two columns).

    ``weights`` (one per edge) pull the ends of heavier edges closer in
    Fruchterman-Reingold. ``fast``: Fruchterman-Reingold with
    ``FAST_LAYOUT_WORK`` (about 20 ms for 200 nodes) whatever the size, for
    the many small maps written at once. ``radii`` (one per node, pixels):
    no two discs overlap (at least ``GAP`` apart). ``aspect``: the width over
    height of the rectangle the components are packed into. Python's
    ``random`` state is left as it was.

    >>> positions(2, [(0, 1)], spacing=100.0).tolist()  # one edge, 100 pixels long
    [[0.0, 0.0], [100.0, 0.0]]
    """
    if n == 0:
        return np.zeros((0, 2))
    if not isinstance(edges, np.ndarray):
        edges = np.fromiter((v for pair in edges for v in pair), dtype=np.int64)
    g = ig.Graph(n=n, edges=edges.astype(np.int64).reshape(-1, 2).tolist())
    if weights is not None:
        g.es["w"] = [float(w) for w in weights]
    radii = None if radii is None else np.asarray(radii, dtype=float)
    rng = np.random.default_rng(seed)
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    random.seed(seed)
    try:
        boxes = []
        for members in sorted(g.connected_components(), key=lambda c: (-len(c), c[0])):
            sub = g.subgraph(members)
            if len(members) == 1:
                xy = np.zeros((1, 2))
            elif len(members) == 2:
                xy = np.array([[-spacing / 2, 0.0], [spacing / 2, 0.0]])
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
                nearest = _nearest_other(xy)
                scale = max(spacing / (np.median(lengths) or 1.0), MIN_GAP / (np.percentile(nearest, 10) or 1.0))
                xy = _landscape((xy - xy.mean(axis=0)) * scale, aspect if not boxes else 1.0)
                if radii is not None:
                    xy = separate(xy, radii[members])
            boxes.append((members, xy))
    finally:
        random.setstate(state)
    extents = [(np.ptp(xy[:, 0]), np.ptp(xy[:, 1])) for _, xy in boxes]
    margin = 0.0 if radii is None else float(np.max(radii))
    corners = pack(extents, aspect=aspect, gap=spacing + margin)
    out = np.zeros((n, 2))
    for (members, xy), corner in zip(boxes, corners):
        out[members] = xy - xy.min(axis=0) + corner
    return np.round(out, 1) + 0.0  # + 0.0: no negative zero


def _landscape(xy: np.ndarray, aspect: float) -> np.ndarray:
    """``xy`` turned so that its longest axis is horizontal (its principal axis), and stretched towards
    ``aspect`` (width over height) by at most ``STRETCH`` along each axis: a round layout fills a
    landscape screen better."""
    centred = xy - xy.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred.T))
    axis = vectors[:, int(np.argmax(values))]
    axis = axis if axis[0] > 0 or (axis[0] == 0 and axis[1] >= 0) else -axis  # one of the two directions, always
    turned = centred @ np.array([[axis[0], -axis[1]], [axis[1], axis[0]]])
    width, height = np.ptp(turned, axis=0)
    if height > 0 and aspect > 1.0:
        factor = min(STRETCH, math.sqrt(max(aspect * height / max(width, 1e-9), 1.0)))
        turned = turned * (factor, 1 / factor)
    return turned


def separate(xy: np.ndarray, radii, gap: float = GAP, rounds: int = 100) -> np.ndarray:
    """``xy`` with overlapping discs pushed apart: two nodes end at least ``r_i + r_j + gap`` apart.

    Each round visits every pair closer than that (found on a grid of cells)
    and moves both nodes away from each other by half the shortfall, at once
    (so later pairs of the round see the move); nodes on the same spot part
    along a direction set by their indices. It stops when a round finds no
    such pair, or after ``rounds`` rounds. Returns a new array.

    >>> out = separate(np.array([[0.0, 0.0], [1.0, 0.0], [100.0, 0.0]]), [10, 10, 10], gap=0)
    >>> out.round(1).tolist()
    [[-9.5, 0.0], [10.5, 0.0], [100.0, 0.0]]
    """
    xy = np.array(xy, dtype=float)
    radii = np.asarray(radii, dtype=float)
    if len(xy) < 2:
        return xy
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    small = float(np.percentile(radii, 90))
    # compiled whatever the work once numba is loaded (the metrics load it on large graphs): a dozen small
    # community maps then take milliseconds instead of a fifth of a second in plain Python; the same values
    run = _separate.compiled if "numba" in sys.modules else _separate
    run(x, y, radii, float(gap), 2 * small + gap, float(radii.max()), int(rounds))
    return np.c_[x, y]


def _nearest_other(xy: np.ndarray) -> np.ndarray:
    """Each point's distance to its nearest other point: by all pairs in blocks up to ``_ALL_PAIRS`` points
    (no scipy.spatial to import, the same bits as its tree: tested), by a k-d tree past."""
    if len(xy) > _ALL_PAIRS:
        from scipy.spatial import cKDTree

        return cKDTree(xy).query(xy, k=2)[0][:, 1]
    out = np.empty(len(xy))
    for start in range(0, len(xy), 256):
        d = xy[start : start + 256, None, :] - xy[None, :, :]
        distance = np.sqrt(d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1])
        distance[np.arange(len(distance)), np.arange(start, start + len(distance))] = np.inf  # not itself
        out[start : start + len(distance)] = distance.min(axis=1)
    return out


_ALL_PAIRS = 2_000


@kernel(work=lambda x, *rest: 20 * len(x))  # a few rounds over each node; the demo's maps run as plain Python
def _separate(x, y, r, gap, cell, rmax, rounds):  # pragma: no cover
    """:func:`separate` on a grid of ``cell``-sized squares (numba)."""
    n = len(x)
    for _ in range(rounds):
        minx = x.min()
        miny = y.min()
        size = cell
        cols = int((x.max() - minx) / size) + 1
        rows = int((y.max() - miny) / size) + 1
        while cols * rows > 4 * n + 1024:  # a grid no larger than the nodes call for
            size *= 2
            cols = int((x.max() - minx) / size) + 1
            rows = int((y.max() - miny) / size) + 1
        key = np.empty(n, np.int64)
        for i in range(n):
            key[i] = int((y[i] - miny) / size) * cols + int((x[i] - minx) / size)
        order = np.argsort(key, kind="mergesort")
        first = np.full(cols * rows + 1, n, np.int64)
        for k in range(n - 1, -1, -1):
            first[key[order[k]]] = k
        for c in range(cols * rows - 1, -1, -1):
            if first[c] == n:
                first[c] = first[c + 1]
        moved = False
        for i in range(n):
            reach = int((r[i] + rmax + gap) / size) + 1
            ci = int((x[i] - minx) / size)
            ri = int((y[i] - miny) / size)
            for rr in range(max(0, ri - reach), min(rows, ri + reach + 1)):
                for cc in range(max(0, ci - reach), min(cols, ci + reach + 1)):
                    c = rr * cols + cc
                    for k in range(first[c], first[c + 1]):
                        j = order[k]
                        if j <= i:
                            continue
                        ex = x[j] - x[i]
                        ey = y[j] - y[i]
                        need = r[i] + r[j] + gap
                        if abs(ex) >= need or abs(ey) >= need:
                            continue
                        d = math.sqrt(ex * ex + ey * ey)
                        if d >= need - 0.05:  # a twentieth of a pixel short is close enough
                            continue
                        if d < 1e-9:
                            angle = ((i * 7919 + j * 104729) % 360) * math.pi / 180
                            ex = math.cos(angle)
                            ey = math.sin(angle)
                            d = 1.0
                            short = need
                        else:
                            short = need - d
                        push = short / 2 * 1.001 / d
                        x[i] -= ex * push
                        y[i] -= ey * push
                        x[j] += ex * push
                        y[j] += ey * push
                        moved = True
        if not moved:
            break


def pack(extents, *, aspect: float = ASPECT, gap: float = 110.0) -> np.ndarray:
    """Top left corners for boxes of the given ``(width, height)``, ``gap`` apart, packed into a rectangle of
    about ``aspect`` width over height.

    The first box (the largest component) goes at (0, 0); the others, tallest
    first, fill shelves to its right as far as its height, then shelves below
    it across the whole width. Of a few widths tried, the one drawn largest on
    a screen of that aspect wins (then the smallest area).

    >>> pack([(100, 100), (40, 40), (40, 40)], aspect=1.6, gap=10).tolist()
    [[0.0, 0.0], [110.0, 0.0], [110.0, 50.0]]
    """
    sizes = np.asarray(extents, dtype=float).reshape(-1, 2) + gap
    if not len(sizes):
        return np.zeros((0, 2))
    order = 1 + np.lexsort((np.arange(len(sizes) - 1), -sizes[1:, 1]))  # tallest first, then as given
    area = float((sizes[:, 0] * sizes[:, 1]).sum())
    best, best_score = None, None
    for factor in (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0):
        width = max(float(sizes[:, 0].max()), math.sqrt(area * aspect) * factor)
        corners = _shelves(sizes, order, width)
        used = (corners + sizes).max(axis=0) - gap
        score = (max(used[0], used[1] * aspect), used[0] * used[1])  # the largest drawing on the screen
        if best_score is None or score < best_score:
            best, best_score = corners, score
    return best


def _shelves(sizes: np.ndarray, order: np.ndarray, width: float) -> np.ndarray:
    """Shelf packing (see :func:`pack`) of boxes whose sizes include the gap, within ``width``.

    One shelf at a time: the boxes a shelf holds are found at once from the running sum of their widths
    (the same additions, in the same order, as placing them one by one; heights never grow along
    ``order``, so a shelf's first box decides whether it fits below the first box's bottom)."""
    corners = np.zeros((len(sizes), 2))
    first_w, first_h = sizes[0]
    w, h = sizes[order, 0], sizes[order, 1]
    limit = width + 1e-9
    narrowest = np.minimum.accumulate(w[::-1])[::-1]  # narrowest[i]: the narrowest box from the i-th on
    # region A: right of the first box, as high as it; region B: below it, the whole width
    i, y = 0, 0.0
    if width - first_w >= 1e-9:
        while i < len(order) and y + h[i] <= first_h + 1e-9:
            x = np.cumsum(np.concatenate([[first_w], w[i : i + _shelf_reach(narrowest, i, width)]]))
            count = int(np.searchsorted(x[1:], limit, side="right"))
            if count == 0:  # wider than the room beside the first box
                break
            corners[order[i : i + count], 0] = x[:count]
            corners[order[i : i + count], 1] = y
            y = y + max(0.0, float(h[i : i + count].max()))
            i += count
    y = float(first_h)
    while i < len(order):
        x = np.cumsum(np.concatenate([[0.0], w[i : i + _shelf_reach(narrowest, i, width)]]))
        count = max(1, int(np.searchsorted(x[1:], limit, side="right")))  # a box wider than all still goes
        corners[order[i : i + count], 0] = x[:count]
        corners[order[i : i + count], 1] = y
        y = y + max(0.0, float(h[i : i + count].max()))
        i += count
    return corners


def _shelf_reach(narrowest: np.ndarray, i: int, width: float) -> int:
    """How many boxes from the ``i``-th on one shelf of ``width`` could hold at most (all, if some are 0 wide);
    ``narrowest[i]`` is the narrowest width from the ``i``-th box on."""
    least = float(narrowest[i])
    return len(narrowest) - i if least <= 0 else int(width / least) + 2


RING_ARC = 2 * math.pi * 300 / 360  # a ring of top partners leaves the bottom free, for its community's label
RING_NODE = 36.0 + 8.0  # room for a partner drawn at its largest (map-core.js MAX_SIZE), and a gap
RING_GAP = 24.0  # between a community's node and the partners round it


def ring_radius(partners: int, size: float = 0.0) -> float:
    """The radius of the ring of ``partners`` top partners round a community drawn ``size`` pixels wide (its radius).

    Beside the community, not on it: the partners clear its node by :data:`RING_GAP` even at their
    largest, and each has :data:`RING_NODE` of the ring's arc (300 degrees); at least 90 pixels.

    >>> ring_radius(1), ring_radius(1, 50.0), round(ring_radius(20), 1)
    (90.0, 110.0, 336.1)
    """
    return max(90.0, size + RING_NODE - 8.0 + RING_GAP, partners * 2 * RING_NODE / RING_ARC)


def overview_layout(ncomm: int, links: list, rings: dict, loose: dict, seed: int = 0,
                    sizes=None) -> tuple[np.ndarray, dict]:
    """The positions of an overview: community centres, and each metric's top partners round them.

    ``links`` are ``(community, community, projects shared)`` triples between
    the ``ncomm`` communities drawn (numbered 0 to ``ncomm - 1`` here);
    ``rings`` maps each metric to ``{community: [record, ...]}``, its top
    partners in each community, and ``loose`` each metric to its top partners
    in communities not drawn; ``sizes`` the radius each community's node is
    drawn with (pixels at zoom 1; none: 0). The centres are laid out on their
    links (stronger links pull closer), then pushed apart until no two rings
    overlap; each ring's partners sit beside their community, clear of its
    node (:func:`ring_radius`), evenly over 300 degrees from the top, leaving
    the bottom free for the community's label, and the loose ones in a row
    below. Returns the centres (``ncomm`` x 2) and ``{metric: {record: (x, y)}}``.

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
    drawn = np.zeros(ncomm) if sizes is None else np.asarray(sizes, dtype=float)
    radius = np.array([ring_radius(int(n), float(d)) for n, d in zip(size, drawn)])
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
                angle = RING_ARC * (i - (len(ks) - 1) / 2) / len(ks) - math.pi / 2  # centred on the top
                where[r] = (round(float(centres[k, 0] + radius[k] * math.cos(angle)), 1) + 0.0,
                            round(float(centres[k, 1] + radius[k] * math.sin(angle)), 1) + 0.0)
        for i, r in enumerate(loose.get(m, [])):
            where[r] = (i * 120.0, bottom)
        placed[m] = where
    return centres, placed
