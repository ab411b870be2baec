"""Interactive network maps as one self-contained HTML page.

The node and edge model is pyvis's (``pyvis.node.Node``, ``pyvis.edge.Edge``;
not ``Network.add_edge``, which scans every edge on each call), and
vis-network 9.1.2, as pyvis ships it, is inlined in the page, so a map opens
from ``file://`` with no network. The page template is ecosys's own (``templates/map.html``): pyvis's loads
Bootstrap from a CDN and switches to ``innerHTML`` tooltips as soon as one
contains ``href``. Here every name and attribute goes into the page once, as
JSON in a ``<script type="application/json">`` element (Jinja's ``tojson``
escapes ``<``, ``>``, ``&`` and ``'``), and the page's script only ever puts
it in the document as text. A Content-Security-Policy forbids any request.

Positions are computed here (seeded), so the map opens still and the same
every time: each connected component is laid out (igraph: Kamada-Kawai when
small, Fruchterman-Reingold when large) and the components are packed in rows,
largest first.

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
>>> html.count("</script>")  # the page's own three scripts close, no more
3
>>> any(tag in html for tag in ('<script src', 'href="http', 'src="http'))  # nothing loads from elsewhere
False
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from importlib.resources import files

import igraph as ig
import jinja2
import markupsafe
import networkx as nx
import numpy as np
import pandas as pd
from pyvis.edge import Edge
from pyvis.node import Node
from scipy.spatial import cKDTree

from .communities import Partition
from .graph import PARTNER, PROJECT

__all__ = ["PALETTE", "OTHER_COLOR", "DEFAULT_MAX_NODES", "layout", "map_payload", "render_map"]

# Paul Tol's "muted" qualitative scheme: distinguishable with the common kinds
# of colour blindness (https://personal.sron.nl/~pault/). Communities past the
# ninth share a pale grey.
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
OTHER_COLOR = "#BBBBBB"
DEFAULT_MAX_NODES = 2000
# Fruchterman-Reingold costs n^2 per iteration: 500 iterations up to ~550 nodes,
# fewer above (about 1 s for a 2,000-node component), never under 60.
LAYOUT_WORK = 1.5e8
MIN_GAP = 50.0  # pixels between a node and its nearest neighbour, for 90% of the nodes at least
KAMADA_KAWAI_NODES = 300  # smaller components: Kamada-Kawai (drawn distances follow graph distances)
LABEL_LENGTH = 28  # longer names are shortened on the canvas, shown whole in search and details
SHAPES = {PARTNER: "dot", PROJECT: "square"}
_METRIC_LABELS = {
    "degree": "Degree",
    "degree_centrality": "Degree centrality",
    "projection_degree": "Projection degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "pagerank": "PageRank",
    "core": "k-core",
}


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
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
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
                if len(members) <= KAMADA_KAWAI_NODES:
                    xy = np.asarray(sub.layout_kamada_kawai(seed=start, maxiter=50 * len(members)).coords)
                else:
                    niter = int(min(500, max(60, LAYOUT_WORK / len(members) ** 2)))
                    xy = np.asarray(sub.layout_fruchterman_reingold(seed=start, niter=niter, grid="nogrid").coords)
                ends = np.asarray(sub.get_edgelist())
                lengths = np.hypot(*(xy[ends[:, 0]] - xy[ends[:, 1]]).T)
                nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]  # each node's nearest other node
                scale = max(spacing / (np.median(lengths) or 1.0), MIN_GAP / (np.percentile(nearest, 10) or 1.0))
                xy = (xy - xy.mean(axis=0)) * scale
            boxes.append((members, xy))
    finally:
        random.setstate(state)
    positions = {}
    row_width = max(spacing * 4, (np.ptp(boxes[0][1][:, 0]) if len(boxes[0][0]) > 1 else 0) * 1.5)
    x = y = row_height = 0.0
    gap = spacing
    for members, xy in boxes:
        width = np.ptp(xy[:, 0]) if len(members) > 1 else 0.0
        height = np.ptp(xy[:, 1]) if len(members) > 1 else 0.0
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        shifted = xy - xy.min(axis=0) + (x, y)
        for i, v in enumerate(members):
            positions[nodes[v]] = (round(float(shifted[i, 0]), 1), round(float(shifted[i, 1]), 1))
        x += width + gap
        row_height = max(row_height, height)
    return positions


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
    """The data a map page draws: nodes with positions, colours and details; edges; legend.

    ``metrics`` is a :func:`ecosys.metrics.node_metrics` table. When ``G``
    has more than ``max_nodes`` nodes, the map draws the ``max_nodes`` with
    the highest ``size_by`` value and says so in its note.
    """
    metric_columns = [c for c in _METRIC_LABELS if c in metrics.columns]
    # plain dicts: pandas deep-copies a frame's attrs on every element lookup
    columns = {c: dict(zip(metrics["node"], metrics[c].tolist())) for c in {*metric_columns, size_by}}
    shown = list(G)
    note = ""
    if len(shown) > max_nodes:
        ranked = sorted(shown, key=lambda n: -columns[size_by][n])  # stable: graph order breaks ties
        keep = set(ranked[:max_nodes])
        shown = [n for n in G if n in keep]
        note = (
            f"Showing the {max_nodes:,} nodes with the highest {_METRIC_LABELS.get(size_by, size_by)} "
            f"of {len(G):,}; pass --max-nodes to draw more."
        )
    H = G.subgraph(shown)
    positions = layout(H, seed=seed)
    top = max((columns[size_by][n] for n in shown), default=0.0)
    ids = {n: i for i, n in enumerate(shown)}

    nodes = []
    for n in shown:
        data = G.nodes[n]
        kind = data.get("kind", PARTNER)
        community = partition.of(n)
        value = float(columns[size_by][n])
        details = [["Kind", kind], ["Community", str(community)]]
        details += [[k, str(v)] for k, v in data.items() if k not in ("kind", "bipartite", "name")]
        details += [[_METRIC_LABELS[c], _format(columns[c][n])] for c in metric_columns]
        x, y = positions[n]
        name = data.get("name", str(n))
        node = Node(
            ids[n],
            SHAPES.get(kind, "dot"),
            label=_short(name),
            name=name,
            kind=kind,
            x=x,
            y=y,
            size=round(8 + 28 * math.sqrt(value / top), 1) if top > 0 else 10,
            color=_color(community),
            community=community,
            degree=G.degree(n),
            title=f"{name}\n{kind} · community {community}",
            details=details,
        )
        nodes.append(node.options)
    edges = []
    for u, v, data in sorted(H.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]])):
        extra = {}
        if data:  # participation attributes: a tooltip, and the text shown beside each neighbour
            extra = {"title": "\n".join(f"{k}: {w}" for k, w in data.items()), "info": ", ".join(map(str, data.values()))}
        edges.append(Edge(ids[u], ids[v], **extra).options)

    sizes = Counter((c, G.nodes[n].get("kind")) for n, c in partition.membership.items())
    drawn = sorted({partition.of(n) for n in shown})
    colors = [
        {"color": _color(c), "label": f"Community {c} · {_count(sizes, c, PARTNER, 'partner')}, {_count(sizes, c, PROJECT, 'project')}"}
        for c in drawn
        if c <= len(PALETTE)
    ]
    if any(c > len(PALETTE) for c in drawn):
        colors.append({"color": OTHER_COLOR, "label": "Other communities"})
    return {
        "title": title if title is not None else G.graph.get("name", "") or "ecosys map",
        "subtitle": subtitle,
        "note": note,
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "colors": colors,
            "shapes": [{"shape": "dot", "label": "Partner (organisation)"}, {"shape": "square", "label": "Project"}],
            "size": f"Size: {_METRIC_LABELS.get(size_by, size_by)} (larger = more central)",
        },
        "options": {
            "physics": {"enabled": False},  # positions are computed here
            "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False},
            "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
            "edges": {"smooth": False, "color": {"color": "#9AA0A6", "highlight": "#333333"}, "width": 1},
        },
    }


def render_map(G: nx.Graph, metrics: pd.DataFrame, partition: Partition, **kwargs) -> str:
    """The map of ``G`` as one self-contained HTML string (see :func:`map_payload` for options)."""
    payload = map_payload(G, metrics, partition, **kwargs)
    return _template().render(title=payload["title"], payload=payload, vis_js=_vis_js())


def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)
    return env.get_template("map.html")


def _vis_js() -> markupsafe.Markup:
    js = files("pyvis").joinpath("templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    if "</script" in js.lower():  # would end the inline script early
        raise RuntimeError("the bundled vis-network cannot be inlined: it contains '</script'")
    # Drop the source-map comment: developer tools would try to fetch the map.
    js = re.sub(r"//# sourceMappingURL=\S*\s*$", "", js.rstrip())
    return markupsafe.Markup(js)


def _short(name: str, most: int = LABEL_LENGTH) -> str:
    """A canvas label: the name, cut at a word boundary with an ellipsis past ``most`` characters."""
    if len(name) <= most:
        return name
    cut = name[: most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most // 2 :] else cut).rstrip(" -,:;") + "…"


def _color(community: int) -> str:
    return PALETTE[community - 1] if 1 <= community <= len(PALETTE) else OTHER_COLOR


def _count(sizes: Counter, community: int, kind: str, word: str) -> str:
    k = sizes[(community, kind)]
    return f"{k} {word}{'' if k == 1 else 's'}"


def _format(value) -> str:
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    return f"{float(value):.4g}"
