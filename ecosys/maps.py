"""Interactive network maps as one self-contained HTML page.

vis-network 9.1.2 (vendored in ``static/vendor/``) and the page's own CSS and
JavaScript (``static/``) are inlined in the page, so a map opens from
``file://`` with no network. The page template is ecosys's own
(``templates/map.html``): every name and attribute goes into the page once,
as JSON in a ``<script type="application/json">`` element (Jinja's ``tojson``
escapes ``<``, ``>``, ``&`` and ``'``), and the page's script only ever puts
it in the document as text. A Content-Security-Policy forbids any request.

A map holds two views of the same nodes, switchable in the page: the
partner-project (bipartite) graph and the partner projection (partners linked
by the projects they share). The page colours nodes by community or by any
categorical attribute, sizes them by any metric, filters them (kind,
community, attributes, years, a minimum metric value) and focuses on a node's
neighbourhood 1, 2 or 3 steps deep.

Positions are computed here (seeded), so the map opens still and the same
every time: each connected component is laid out (igraph: Kamada-Kawai when
small, Fruchterman-Reingold when large) and the components are packed in rows,
largest first.

Graphs larger than ``max_nodes`` get an **overview** instead
(:func:`overview_payload`): one node per community (sized by its partners,
linked by the projects shared between communities) and the most central
partners, from which each community's own map opens.

Example
-------
>>> from ecosys.graph import graph_from_edges
>>> from ecosys.metrics import node_metrics
>>> from ecosys.communities import detect_communities
>>> from ecosys.maps import render_map
>>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("</script>", "P1")])
>>> html = render_map(G, node_metrics(G), detect_communities(G))
>>> "\\u003c/script\\u003e" in html  # the name is in the page as escaped JSON text
True
>>> html.count("</script>")  # the data and the page's three scripts close, no more
4
>>> any(tag in html for tag in ('<script src', 'href="http', 'src="http'))  # nothing loads from elsewhere
False
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

import igraph as ig
import jinja2
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.spatial import cKDTree

from .assets import script, style
from .communities import Partition
from .graph import PARTNER, PROJECT, Bipartite, as_network, project

__all__ = [
    "PALETTE",
    "OTHER_COLOR",
    "MISSING_COLOR",
    "DEFAULT_MAX_NODES",
    "METRIC_LABELS",
    "METRIC_MEANINGS",
    "MapData",
    "map_data",
    "layout",
    "map_payload",
    "graph_payload",
    "overview_payload",
    "select_community",
    "select_ego",
    "render_map",
    "render_page",
    "community_color",
    "community_map_name",
]

# Paul Tol's "muted" qualitative scheme: distinguishable with the common kinds
# of colour blindness (https://personal.sron.nl/~pault/). Values past the
# ninth share a grey; a node without the attribute is paler still.
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
OTHER_COLOR = "#BBBBBB"
MISSING_COLOR = "#F0F0F0"
DEFAULT_MAX_NODES = 2000
# Fruchterman-Reingold costs n^2 per iteration: 500 iterations up to ~550 nodes,
# fewer above (about 1 s for a 2,000-node component), never under 60.
LAYOUT_WORK = 1.5e8
FAST_LAYOUT_WORK = 4e6
GRID_NODES = 3000  # larger components (drawn only on request, --max-nodes) use Fruchterman-Reingold's grid
MIN_GAP = 50.0  # pixels between a node and its nearest neighbour, for 90% of the nodes at least
KAMADA_KAWAI_NODES = 300  # smaller components: Kamada-Kawai (drawn distances follow graph distances)
LABEL_LENGTH = 28  # longer names are shortened on the canvas, shown whole in search and details
PROJECTION_EDGES = 5000  # the projection view draws at most this many links, the strongest
CATEGORY_VALUES = 300  # an attribute with more distinct values than this is not offered as a category
OVERVIEW_COMMUNITIES = 24  # the overview draws the largest communities (with two partners or more) ...
OVERVIEW_PARTNERS = 40  # ... and the most central partners
OVERVIEW_LINKS = 80  # the strongest links between those partners
COMMUNITY_MAPS = 12  # with the overview, the largest communities get their own map (the others: --community N)
COMMUNITY_MAP_NODES = 150  # each of those maps draws at most this many nodes
SHAPES = {PARTNER: "dot", PROJECT: "square", "community": "hexagon"}
METRIC_LABELS = {
    "degree": "Degree",
    "degree_centrality": "Degree centrality",
    "projection_degree": "Projection degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "pagerank": "PageRank",
    "core": "k-core",
    "clustering": "Two-mode clustering",
    "redundancy": "Redundancy",
    "weighted_clustering": "Weighted clustering",
    "constraint": "Constraint",
    "effective_size": "Effective size",
}
METRIC_MEANINGS = {
    "degree": "how many projects a partner takes part in (for a project: how many partners it has)",
    "degree_centrality": "the share of all projects a partner takes part in (1 = every project)",
    "projection_degree": "how many different organisations a partner has worked with",
    "weighted_degree": "how many partnerships a partner has, counting each shared project once",
    "betweenness": "how often a partner lies on the shortest path between two others: the brokers "
                   "who connect groups that would otherwise be far apart",
    "closeness": "how few steps a partner needs to reach everyone else it is connected to",
    "pagerank": "how central a partner is, counting links to central partners and projects more",
    "core": "the depth of the densest group it belongs to: in a k-core every member has at least k links",
    "clustering": "how much the partners' partners share with it: the overlap of its projects with theirs "
                  "(Latapy et al. 2008)",
    "redundancy": "the share of pairs of its projects that meet again through another partner (Latapy et al. 2008)",
    "weighted_clustering": "how tied to each other its co-partners are, weighted by shared projects (Onnela et al. 2005)",
    "constraint": "how much its partnerships are locked in one tight group (Burt 1992): low = it spans "
                  "structural holes",
    "effective_size": "how many non-redundant co-partners it has (Burt 1992): co-partners not tied to each other",
}
_NOT_METRICS = {"node", "name", "kind", "community", "bipartite", "id", "label"}
_START_NAMES = ("start_year", "start", "start_date", "year", "date", "start date", "anno", "inizio")


# -- data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapData:
    """What maps are drawn from, as arrays: one row per node, partners first.

    ``table`` has one row per node in ``keys`` order (``node``, ``name``,
    ``kind``, ``community``, metric columns, attribute columns);
    ``B`` is the partners x projects incidence matrix; ``edges`` the
    participations (int ``partner``, ``project``, then their attributes);
    ``W`` the symmetric partner projection (projects shared).
    """

    name: str
    keys: list
    n_partners: int
    table: pd.DataFrame
    metrics: tuple
    attributes: tuple
    edges: pd.DataFrame
    B: sp.csr_matrix
    W: sp.csr_matrix

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def communities(self) -> np.ndarray:
        return self.table["community"].to_numpy()

    @cached_property
    def degree(self) -> np.ndarray:
        """Each node's degree on the whole bipartite graph."""
        return np.concatenate([np.diff(self.B.indptr), np.bincount(self.B.indices, minlength=self.B.shape[1])])

    @cached_property
    def categorical(self) -> dict:
        """The attributes offered as categories, with the side they describe (``partner``, ``project``,
        ``node`` or ``participation``): at most ``CATEGORY_VALUES`` distinct values in the whole
        dataset, one of them shared by two rows or more."""
        out = {}
        kinds = self.table["kind"].to_numpy()
        for c in self.attributes:
            values = self.table[c].to_numpy(dtype=object)
            filled = values != ""
            if _few_values(values[filled]):
                sides = set(pd.unique(kinds[filled]).tolist())
                out[c] = sides.pop() if len(sides) == 1 else "node"
        for c in self.edges.columns:
            if c not in (PARTNER, PROJECT):
                values = self.edges[c].to_numpy(dtype=object)
                if _few_values(values[values != ""]):
                    out[c] = "participation"
        return out

    @cached_property
    def years(self) -> np.ndarray | None:
        """Each project's start year (0: none; partners 0), from a start date or year attribute; None if none."""
        column = _year_column(self)
        if column is None:
            return None
        values = self.table[column].iloc[self.n_partners:].astype(str).str.slice(0, 4)
        years = pd.to_numeric(values.where(values.str.fullmatch(r"\d{4}"), None), errors="coerce").fillna(0)
        return np.concatenate([np.zeros(self.n_partners, dtype=np.int64), years.to_numpy(dtype=np.int64)])


def map_data(analysis) -> MapData:
    """The :class:`MapData` of an :class:`ecosys.pipeline.Analysis` (no networkx graph is built).

    When communities were run several times (``--runs``), each node's
    ``stability`` is one more metric and ``unstable`` (yes / no) one more
    category, so the map can size, filter and colour by them.
    """
    metrics, extra = analysis.metrics, {}
    if analysis.stability is not None:
        metrics = metrics.assign(stability=analysis.stability.stability)
        extra["unstable"] = np.where(analysis.stability.unstable, "yes", "no")
    return _network_data(analysis.network, analysis.projection.shared, metrics, analysis.partition.membership, extra)


def _network_data(net: Bipartite, shared: sp.csr_matrix, metrics: pd.DataFrame, membership: dict,
                  extra: dict | None = None) -> MapData:
    """MapData from the arrays: ``metrics`` rows (and ``extra`` attribute columns) in network order."""
    table = metrics.reset_index(drop=True).copy()
    if table["node"].tolist() != net.nodes:
        table = table.set_index("node").reindex(net.nodes).reset_index()
    table.insert(3, "community", table["node"].map(membership).to_numpy())
    metric_columns = tuple(
        c for c in metrics.columns if c not in _NOT_METRICS and pd.api.types.is_numeric_dtype(metrics[c])
    )
    attributes = []
    for kind, side in ((PARTNER, net.partners), (PROJECT, net.projects)):
        for c in net.attributes(kind):
            name = c if c not in metrics.columns and c not in ("community",) else f"{c} (input)"
            if name not in table.columns:
                table[name] = ""
                attributes.append(name)
            rows = slice(0, net.n_partners) if kind == PARTNER else slice(net.n_partners, None)
            column = table[name].to_numpy(dtype=object)
            column[rows] = side[c].astype(str).to_numpy()
            table[name] = column
    for name, values in (extra or {}).items():
        table[name] = values
        attributes.append(name)
    edges = net.edges.reset_index(drop=True)
    return MapData(
        net.name, net.nodes, net.n_partners, table, metric_columns, tuple(attributes), edges,
        net.B.tocsr(), sp.csr_matrix(shared, dtype=float),
    )


def _from_graph(G: nx.Graph, metrics: pd.DataFrame, partition: Partition) -> MapData:
    """MapData for a bare networkx graph, metrics table and partition (no Analysis)."""
    net = as_network(G)
    return _network_data(net, project(net, PARTNER).shared, metrics, partition.membership)


# -- choosing what to draw -------------------------------------------------------------


def select_community(data: MapData, community: int) -> np.ndarray:
    """The node indices of one community (partners and projects)."""
    found = np.flatnonzero(data.communities == community)
    if not len(found):
        raise KeyError(community)
    return found


def select_ego(data: MapData, node: int, depth: int = 1) -> np.ndarray:
    """The nodes within ``depth`` steps of ``node`` on the bipartite graph (sorted indices)."""
    A = _bipartite_adjacency(data)
    seen = np.zeros(data.n, dtype=bool)
    seen[node] = True
    frontier = np.array([node])
    for _ in range(depth):
        nxt = np.unique(A[frontier].indices)
        nxt = nxt[~seen[nxt]]
        if not len(nxt):
            break
        seen[nxt] = True
        frontier = nxt
    return np.flatnonzero(seen)


def find_node(data: MapData, name: str) -> int:
    """The index of the node named ``name`` (exactly, else case-insensitively; a partner first)."""
    names = data.table["name"].astype(str)
    for test in (names == name, names.str.casefold() == name.casefold(), data.table["node"] == name):
        hits = np.flatnonzero(test.to_numpy())
        if len(hits):
            return int(hits[0])
    raise KeyError(name)


def _overview_communities(data: MapData, most: int = OVERVIEW_COMMUNITIES) -> list[int]:
    """The communities an overview draws: the ``most`` largest with two partners or more (ties: by number)."""
    sizes = pd.Series(data.communities[: data.n_partners]).value_counts()
    return sorted((int(c) for c, s in sizes.items() if s >= 2), key=lambda c: (-sizes[c], c))[:most]


def _bipartite_adjacency(data: MapData) -> sp.csr_matrix:
    B = data.B
    return sp.bmat([[None, B], [B.T, None]], format="csr", dtype=float) if data.n else sp.csr_matrix((0, 0))


def _cap(data: MapData, nodes: np.ndarray, max_nodes: int, rank_by: str, keep: int | None = None) -> np.ndarray:
    """At most ``max_nodes`` of ``nodes``: the highest ``rank_by`` (and ``keep`` always), in index order."""
    if len(nodes) <= max_nodes:
        return np.sort(nodes)
    values = data.table[rank_by].to_numpy(dtype=float)[nodes]
    order = np.lexsort((nodes, -values))  # highest first, ties by index
    chosen = nodes[order[:max_nodes]]
    if keep is not None and keep not in chosen:
        chosen = np.concatenate([chosen[:-1], [keep]])
    return np.sort(chosen)


def _cap_connected(data: MapData, nodes: np.ndarray, max_nodes: int, rank_by: str) -> np.ndarray:
    """At most ``max_nodes`` of ``nodes`` that hang together: the quarter of them that are projects with
    the highest ``rank_by``, then the partners of those projects with the highest ``rank_by``, then any
    others by ``rank_by``; in index order."""
    if len(nodes) <= max_nodes:
        return np.sort(nodes)
    values = data.table[rank_by].to_numpy(dtype=float)
    npart = data.n_partners
    projects = nodes[nodes >= npart]
    projects = projects[np.lexsort((projects, -values[projects]))][: max(1, max_nodes // 4)]
    linked = np.unique(data.B[:, projects - npart].tocsc().indices)
    linked = np.intersect1d(linked, nodes[nodes < npart])
    partners = linked[np.lexsort((linked, -values[linked]))][: max_nodes - len(projects)]
    chosen = np.concatenate([projects, partners])
    if len(chosen) < max_nodes:
        rest = np.setdiff1d(nodes, chosen)
        chosen = np.concatenate([chosen, rest[np.lexsort((rest, -values[rest]))][: max_nodes - len(chosen)]])
    return np.sort(chosen)


# -- layout ---------------------------------------------------------------------------


def layout(G: nx.Graph, seed: int = 0, spacing: float = 110.0) -> dict:
    """Seeded 2-D positions for the nodes of ``G``: ``{node: (x, y)}``, in pixels.

    Each connected component is laid out from seeded random starting points:
    Kamada-Kawai up to ``KAMADA_KAWAI_NODES`` nodes,
    Fruchterman-Reingold above (500 iterations, fewer past about 550 nodes:
    see ``LAYOUT_WORK``). It is scaled so that its median edge is ``spacing``
    pixels long, or more where nodes crowd (``MIN_GAP``), and the components
    are packed in rows, largest first. The same graph and seed
    give the same positions.
    """
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    xy = _layout(len(nodes), [(index[u], index[v]) for u, v in G.edges()], seed=seed, spacing=spacing)
    return {n: (float(xy[i, 0]), float(xy[i, 1])) for i, n in enumerate(nodes)}


def _layout(n: int, edges, *, seed: int = 0, spacing: float = 110.0, weights=None, fast: bool = False) -> np.ndarray:
    """Positions (n x 2, rounded to 0.1 px) of a graph given as an edge list of indices.

    ``fast``: Fruchterman-Reingold with ``FAST_LAYOUT_WORK`` (about 20 ms for
    200 nodes) whatever the size, for the many small maps written at once.
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


# -- payloads -------------------------------------------------------------------------


def graph_payload(
    data: MapData,
    nodes: np.ndarray | None = None,
    *,
    seed: int = 0,
    size_by: str = "pagerank",
    title: str | None = None,
    subtitle: str = "",
    note: str = "",
    focus: int | None = None,
    depth: int = 1,
    fast: bool = False,
) -> dict:
    """The data a map page draws for the nodes ``nodes`` (indices; default: all).

    Two views: the bipartite graph of those nodes, and the projection onto
    their partners (the ``PROJECTION_EDGES`` strongest links). ``focus``
    (an index) opens the page focused on that node, ``depth`` steps deep.
    """
    nodes = np.arange(data.n) if nodes is None else np.sort(np.asarray(nodes, dtype=np.int64))
    npart = data.n_partners
    position = np.full(data.n, -1, dtype=np.int64)
    position[nodes] = np.arange(len(nodes))
    # bipartite edges among the drawn nodes
    e_p = data.edges["partner"].to_numpy(dtype=np.int64)
    e_j = data.edges["project"].to_numpy(dtype=np.int64) + npart
    inside = (position[e_p] >= 0) & (position[e_j] >= 0) if len(e_p) else np.zeros(0, dtype=bool)
    edge_rows = np.flatnonzero(inside)
    a, b = position[e_p[edge_rows]], position[e_j[edge_rows]]
    order = np.lexsort((b, a))
    edge_rows, a, b = edge_rows[order], a[order], b[order]
    xy = _layout(len(nodes), zip(a.tolist(), b.tolist()), seed=seed, fast=fast)
    # projection among the drawn partners
    partners = nodes[nodes < npart]
    Wsub = sp.triu(data.W[partners][:, partners], k=1).tocoo()
    pw = Wsub.data
    pi, pj = position[partners[Wsub.row]], position[partners[Wsub.col]]
    total_links = len(pw)
    if len(pw) > PROJECTION_EDGES:
        keep = np.lexsort((pj, pi, -pw))[:PROJECTION_EDGES]
        pi, pj, pw = pi[keep], pj[keep], pw[keep]
    order = np.lexsort((pj, pi))
    pi, pj, pw = pi[order], pj[order], pw[order]
    local = {int(v): k for k, v in enumerate(position[partners])}
    pxy = _layout(len(partners), [(local[int(u)], local[int(v)]) for u, v in zip(pi, pj)], seed=seed, fast=fast)

    t = data.table.iloc[nodes]
    degree = data.degree[nodes]
    years = None if data.years is None else [int(y) if y else None for y in data.years[nodes]]
    records = _node_records(data, t)
    for k, rec in enumerate(records):
        rec["id"] = k
        rec["x"], rec["y"] = float(xy[k, 0]), float(xy[k, 1])
        rec["degree"] = int(degree[k])
        if years is not None and years[k] is not None:
            rec["year"] = years[k]
    for k, v in enumerate(position[partners]):
        records[v]["px"], records[v]["py"] = float(pxy[k, 0]), float(pxy[k, 1])
    edge_columns = [c for c in data.edges.columns if c not in ("partner", "project")]
    edge_values = {c: data.edges[c].astype(str).to_numpy()[edge_rows] for c in edge_columns}
    edges = []
    for k in range(len(edge_rows)):
        e = {"from": int(a[k]), "to": int(b[k])}
        attrs = {c: edge_values[c][k] for c in edge_columns if edge_values[c][k] not in ("", "nan")}
        if attrs:
            e["attrs"] = attrs
        edges.append(e)
    projection = [{"from": int(u), "to": int(v), "weight": _number(w)} for u, v, w in zip(pi, pj, pw)]
    notes = [note] if note else []
    if total_links > PROJECTION_EDGES:
        notes.append(
            f"The partner view draws the {PROJECTION_EDGES:,} strongest of {total_links:,} partner links."
        )
    payload = _common(data, t, title, subtitle, " ".join(n for n in notes if n), size_by, edge_columns, edges)
    payload.update({
        "mode": "graph",
        "views": [
            {"key": "bipartite", "label": "Partners and projects"},
            {"key": "projection", "label": "Partners only (linked by shared projects)"},
        ],
        "nodes": records,
        "edges": edges,
        "projection": projection,
        "years": _year_range(years),
    })
    if focus is not None and position[focus] >= 0:
        payload["focus"] = {"id": int(position[focus]), "depth": int(depth)}
    return payload


def overview_payload(
    data: MapData,
    *,
    seed: int = 0,
    rank_by: str = "pagerank",
    size_by: str = "pagerank",
    title: str | None = None,
    subtitle: str = "",
    communities: int = OVERVIEW_COMMUNITIES,
    top_partners: int = OVERVIEW_PARTNERS,
    links: dict | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> dict:
    """An overview of a large graph: its largest communities and its most central partners.

    One node per community (the ``communities`` largest with two partners or
    more), sized by its partners and linked to the others by the projects
    their partners share; and the ``top_partners`` partners with the highest
    ``rank_by``, each linked to its community and to the other top partners it
    works with. ``links`` maps a community to the file of its own map.
    """
    t = data.table
    comm = data.communities
    npart = data.n_partners
    pc = comm[:npart]
    sizes = pd.Series(pc).value_counts()
    projects_per = pd.Series(comm[npart:]).value_counts()
    drawn = _overview_communities(data, communities)
    # community x community weights: C^T W C (C: partners x drawn communities)
    col = {c: k for k, c in enumerate(drawn)}
    member = np.array([col.get(int(c), -1) for c in pc])
    rows = np.flatnonzero(member >= 0)
    C = sp.csr_matrix((np.ones(len(rows)), (rows, member[rows])), shape=(npart, len(drawn)))
    M = sp.triu((C.T @ data.W @ C).tocsr(), k=1).tocoo()
    keys = list(data.metrics)
    if rank_by not in keys:
        keys.append(rank_by)
    tops_by = {}
    for m in keys:  # the top partners by each metric: the page shows those of the metric chosen in Size by
        r = t[m].to_numpy(dtype=float)[:npart]
        tops_by[m] = np.sort(np.lexsort((np.arange(npart), -r))[:top_partners])
    top = np.unique(np.concatenate(list(tops_by.values()))) if tops_by else np.zeros(0, dtype=np.int64)
    ranks = t[rank_by].to_numpy(dtype=float)[:npart]
    ncomm = len(drawn)
    records = []
    links = links or {}
    summary = {int(c): s for c, s in sizes.items()}
    for k, c in enumerate(drawn):
        rec = {
            "id": k,
            "name": f"Community {c}",
            "label": f"Community {c}",
            "kind": "community",
            "shape": SHAPES["community"],
            "community": c,
            "members": {"partners": int(summary.get(c, 0)), "projects": int(projects_per.get(c, 0))},
            "attrs": {},
            "metrics": {},
        }
        if c in links:
            rec["link"] = links[c]
        else:
            rec["command"] = f"ecosys analyze INPUT --community {c}"
        records.append(rec)
    names = t["name"].astype(str).to_numpy()[:npart]
    best = np.lexsort((np.arange(npart), -ranks))
    tops: dict[int, list] = {c: [] for c in drawn}
    for v in best:
        c = int(pc[v])
        if c in tops and len(tops[c]) < 5:
            tops[c].append(names[v])
            if all(len(x) == 5 for x in tops.values()):
                break
    for rec in records:
        rec["top"] = tops[rec["community"]]
    tt = t.iloc[top]
    record_of = {int(v): ncomm + k for k, v in enumerate(top)}
    for k, rec in enumerate(_node_records(data, tt)):
        rec["id"] = ncomm + k
        records.append(rec)
    edges = []
    for i, j, w in sorted(zip(M.row.tolist(), M.col.tolist(), M.data.tolist())):
        edges.append({"from": i, "to": j, "weight": _number(w), "attrs": {"shared projects": _number(w)}})
    for v in top:
        c = int(comm[v])
        if c in col:
            edges.append({"from": col[c], "to": record_of[int(v)], "member": True})
    pairs = {}
    for m, chosen in tops_by.items():  # the strongest links among each metric's top partners
        Wtop = sp.triu(data.W[chosen][:, chosen], k=1).tocoo()
        for k in np.lexsort((Wtop.col, Wtop.row, -Wtop.data))[:OVERVIEW_LINKS]:
            pairs[(int(chosen[Wtop.row[k]]), int(chosen[Wtop.col[k]]))] = Wtop.data[k]
    for (u, v), w in sorted(pairs.items()):
        w = _number(w)
        edges.append({"from": record_of[u], "to": record_of[v], "weight": w, "attrs": {"shared projects": w}})
    rings = {
        m: {k: [record_of[int(v)] for v in chosen if col.get(int(comm[v])) == k] for k in range(ncomm)}
        for m, chosen in tops_by.items()
    }
    loose = {m: [record_of[int(v)] for v in chosen if int(comm[v]) not in col] for m, chosen in tops_by.items()}
    community_links = [(e["from"], e["to"], e["weight"]) for e in edges if e["to"] < ncomm]
    centres, placed = _overview_layout(ncomm, community_links, rings, loose, seed)
    degree = Counter(k for e in edges for k in (e["from"], e["to"]))
    for k, rec in enumerate(records):
        rec["degree"] = degree[k]
        if k < ncomm:
            rec["x"], rec["y"] = float(centres[k, 0]), float(centres[k, 1])
    for m, where in placed.items():
        for k, (x, y) in where.items():
            records[k].setdefault("top_by", {})[m] = [x, y]
    for rec in records[ncomm:]:
        x, y = rec["top_by"].get(rank_by, next(iter(rec["top_by"].values())))
        rec["x"], rec["y"] = x, y
    hidden_c = len(sizes) - len(drawn)
    hidden_p = int(sizes[[c for c in sizes.index if int(c) not in col]].sum()) if hidden_c else 0
    note = (
        f"{data.n:,} nodes are too many to draw at once (--max-nodes {max_nodes:,}): this overview shows the "
        f"{len(drawn)} largest communities and the {min(top_partners, npart)} partners with the highest value "
        f"of the metric chosen in Size by. Click a community to open its own map."
    )
    if hidden_c:
        note += f" {hidden_c:,} smaller communities ({hidden_p:,} partners) are not drawn."
    payload = _common(data, tt, title, subtitle, note, size_by, [], edges)
    payload["categories"] = [c for c in payload["categories"] if c["scope"] == PARTNER]
    payload.update({
        "mode": "overview",
        "views": [{"key": "overview", "label": "Communities and top partners"}],
        "nodes": records,
        "edges": edges,
        "projection": [],
        "years": None,
    })
    payload["kinds"] = [{"key": "community", "label": "Communities"}, {"key": PARTNER, "label": "Partners"}]
    payload["legend"]["shapes"] = [
        {"shape": "hexagon", "label": "Community (size: its partners)"},
        {"shape": "dot", "label": "Partner (organisation)"},
    ]
    return payload


def _overview_layout(ncomm: int, links: list, rings: dict, loose: dict, seed: int) -> tuple:
    """Community centres laid out on their links (stronger links pull closer), then pushed apart until no
    two rings overlap; and for each metric, its top partners on a ring round their community (those of
    undrawn communities in a row below). Returns the centres and ``{metric: {record: (x, y)}}``."""
    size = np.zeros(ncomm)
    for by_community in rings.values():
        for k, ks in by_community.items():
            size[k] = max(size[k], len(ks))
    radius = np.maximum(90.0, size * 46 / (2 * math.pi))
    centres = np.zeros((ncomm, 2))
    if ncomm:
        centres = _layout(ncomm, [(u, v) for u, v, _ in links], seed=seed, spacing=2.5 * float(np.median(radius)),
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


def _common(data, t, title, subtitle, note, size_by, edge_columns, edges) -> dict:
    """The parts of a payload shared by graph maps and overviews: metrics, categories, legend, options."""
    metrics = [
        {"key": c, "label": METRIC_LABELS.get(c, c.replace("_", " ").capitalize()), "about": METRIC_MEANINGS.get(c, "")}
        for c in data.metrics
    ]
    if size_by not in data.metrics:
        size_by = data.metrics[0] if data.metrics else ""
    categories = []
    kinds = t["kind"].tolist()
    for c, scope in data.categorical.items():
        if c in data.attributes:
            values = t[c].tolist()
            entry = _category(c, [v for v, k in zip(values, kinds) if v != "" and (scope == "node" or k == scope)], scope)
        elif c in edge_columns:
            entry = _category(c, [e["attrs"][c] for e in edges if c in e.get("attrs", {})], scope)
        else:
            entry = None
        if entry:
            categories.append(entry)
    return {
        "title": title if title is not None else data.name or "ecosys map",
        "subtitle": subtitle,
        "note": note,
        "metrics": metrics,
        "categories": categories,
        "palette": list(PALETTE),
        "other_color": OTHER_COLOR,
        "missing_color": MISSING_COLOR,
        "community_colors": {str(i + 1): c for i, c in enumerate(PALETTE)},
        "kinds": [{"key": PARTNER, "label": "Partners"}, {"key": PROJECT, "label": "Projects"}],
        "defaults": {"color_by": "community", "size_by": size_by, "view": None},
        "legend": {
            "shapes": [{"shape": "dot", "label": "Partner (organisation)"}, {"shape": "square", "label": "Project"}],
        },
        "options": {
            "physics": {"enabled": False},  # positions are computed here
            "interaction": {
                "hover": True, "tooltipDelay": 120, "navigationButtons": False,
                "keyboard": {"enabled": True, "bindToWindow": False},  # arrows pan, +/- zoom when the map has focus
            },
            "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
            "edges": {"smooth": False, "color": {"color": "#9AA0A6", "highlight": "#333333"}, "width": 1},
        },
    }


def _category(column: str, filled: list, scope: str) -> dict | None:
    """A categorical attribute: its values by frequency (then name) and their colours; None if none."""
    counts = Counter(str(v) for v in filled)
    if not counts:
        return None
    values = sorted(counts, key=lambda v: (-counts[v], v))
    colors = {v: (PALETTE[i] if i < len(PALETTE) else OTHER_COLOR) for i, v in enumerate(values)}
    return {"key": column, "label": column.replace("_", " "), "scope": scope, "values": values, "colors": colors}


def _few_values(values: np.ndarray) -> bool:
    """At most ``CATEGORY_VALUES`` distinct values, one of them twice or more (hashing, not sorting)."""
    if not len(values):
        return False
    uniques = pd.unique(values)
    return len(uniques) <= CATEGORY_VALUES and len(uniques) < len(values)


def _node_records(data: MapData, t: pd.DataFrame) -> list[dict]:
    names = t["name"].astype(str).tolist()
    kinds = t["kind"].astype(str).tolist()
    comms = t["community"].astype(int).tolist()
    metric_values = {c: t[c].tolist() for c in data.metrics}
    attr_values = {c: t[c].tolist() for c in data.attributes}
    out = []
    for k in range(len(t)):
        out.append({
            "name": names[k],
            "label": _short(names[k]),
            "kind": kinds[k],
            "shape": SHAPES.get(kinds[k], "dot"),
            "community": comms[k],
            "attrs": {c: attr_values[c][k] for c in data.attributes if attr_values[c][k] != ""},
            "metrics": {c: _number(metric_values[c][k]) for c in data.metrics},
        })
    return out


def _year_column(data: MapData) -> str | None:
    """The project attribute holding a start date or year, if any."""
    projects = data.table.iloc[data.n_partners:]
    by_name = {c.casefold(): c for c in data.attributes}
    for name in _START_NAMES:
        c = by_name.get(name)
        if c is None:
            continue
        values = projects[c]
        filled = values[values != ""]
        if len(filled) and filled.head(1000).str.match(r"^(1[89]|2[01])\d\d(\D|$)").mean() > 0.9:
            return c
    return None


def _year_range(years) -> list | None:
    if not years:
        return None
    found = [y for y in years if y is not None]
    return [min(found), max(found)] if found else None


def _number(value):
    """A JSON number without float noise: ints stay ints, floats keep 6 significant digits; NaN and
    infinities (not JSON: the page would not parse) are None."""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    v = float(value)
    if not math.isfinite(v):
        return None
    if v.is_integer() and abs(v) < 1e15:
        return int(v)
    return float(f"{v:.6g}")


# -- backwards-compatible entry points -------------------------------------------------


def map_payload(
    G: nx.Graph,
    metrics: pd.DataFrame,
    partition: Partition,
    *,
    seed: int = 0,
    max_nodes: int = DEFAULT_MAX_NODES,
    size_by: str = "pagerank",
    title: str | None = None,
    subtitle: str = "",
) -> dict:
    """The payload of the map of ``G``: the whole graph, or its overview past ``max_nodes`` nodes."""
    data = _from_graph(G, metrics, partition)
    if data.n > max_nodes:
        return overview_payload(data, seed=seed, size_by=size_by, title=title, subtitle=subtitle, max_nodes=max_nodes)
    return graph_payload(data, seed=seed, size_by=size_by, title=title, subtitle=subtitle)


def render_map(G: nx.Graph, metrics: pd.DataFrame, partition: Partition, **kwargs) -> str:
    """The map of ``G`` as one self-contained HTML string (see :func:`map_payload` for options)."""
    return render_page(map_payload(G, metrics, partition, **kwargs))


# The map page's scripts, inlined in this order from ecosys/static/.
PAGE_SCRIPTS = ("vendor/vis-network-9.1.2.min.js", "map-core.js", "map.js")


def render_page(payload: dict) -> str:
    """A payload as one self-contained HTML page.

    The page's styles and scripts (``ecosys/static/``: vendored vis-network, ``map-core.js``,
    ``map.js``) are inlined, so the page needs no other file (see :mod:`ecosys.assets`).
    """
    return _template("map.html").render(
        title=payload["title"],
        payload=payload,
        css=style("map.css"),
        scripts=[script(name) for name in PAGE_SCRIPTS],
    )


def community_color(community: int) -> str:
    """The colour of a community on the maps (and in the report)."""
    return PALETTE[community - 1] if 1 <= community <= len(PALETTE) else OTHER_COLOR


def community_map_name(community: int) -> str:
    """The file name of a community's own map, relative to the output folder."""
    return f"communities/community-{int(community)}.html"


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)


def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


def _short(name: str, most: int = LABEL_LENGTH) -> str:
    """A canvas label: the name, cut at a word boundary with an ellipsis past ``most`` characters."""
    if len(name) <= most:
        return name
    cut = name[: most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most // 2 :] else cut).rstrip(" -,:;") + "…"
