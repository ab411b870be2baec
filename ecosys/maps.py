"""Interactive network maps as one self-contained HTML page, and what each map draws.

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

What a map draws is decided here (:func:`render_maps`): the whole graph up
to ``max_nodes`` nodes; past that an **overview** (:func:`overview_payload`):
one node per community (sized by its partners, linked by the projects shared
between communities) and the most central partners, from which each of the
largest communities' own map opens; or, on request, one community or one
node's neighbourhood. Maps draw from the node table (:mod:`ecosys.nodes`);
positions come from :mod:`ecosys.layout` (seeded), so a map opens still and
the same every time. :func:`to_pyvis` gives notebook users the same nodes,
colours and positions as a pyvis network.

This module is longer than most (about 900 lines) because it holds the three
kinds of map page (graph, overview, pyvis) together with their shared parts
(colours, shapes, categories, legend), which change together.

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
>>> html.count("</script>")  # the data and the page's six scripts close, no more
7
>>> any(tag in html for tag in ('<script src', 'href="http', 'src="http'))  # nothing loads from elsewhere
False
"""

from __future__ import annotations

import html
import math
from collections import Counter
from itertools import repeat
from typing import TYPE_CHECKING

import jinja2
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .assets import environment, script, style
from .communities import Partition
from .profiles import top_members
from .errors import EcosysError
from .glossary import metric_label, metric_meaning
from .i18n import DEFAULT_LANGUAGE, Language, language
from .graph import PARTNER, PROJECT
from .labels import short_label, short_labels
from .layout import overview_layout, positions
from .overview_periods import drawn_positions, overview_periods
from .limits import bounded, map_nodes, page_attributes, page_text
from .safe import page_json
from .nodes import NodeTable, graph_node_table

if TYPE_CHECKING:  # networkx is imported where a networkx graph is made (ecosys.graph)
    import networkx as nx

__all__ = [
    "PALETTE",
    "OTHER_COLOR",
    "MISSING_COLOR",
    "DEFAULT_MAX_NODES",
    "COMMUNITY_MAPS",
    "COMMUNITY_MAP_NODES",
    "render_maps",
    "community_payloads",
    "select_community",
    "select_ego",
    "map_payload",
    "graph_payload",
    "overview_payload",
    "render_map",
    "render_page",
    "to_pyvis",
    "community_color",
    "community_map_name",
    "ranked",
]

# Paul Tol's "muted" qualitative scheme: distinguishable with the common kinds
# of colour blindness (https://personal.sron.nl/~pault/). Values past the
# ninth share a grey; a node without the attribute is paler still.
PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
OTHER_COLOR = "#BBBBBB"
MISSING_COLOR = "#F0F0F0"
DEFAULT_MAX_NODES = 2000
PROJECTION_EDGES = 5000  # the projection view draws at most this many links, the strongest
OVERVIEW_COMMUNITIES = 24  # the overview draws the largest communities (with two partners or more) ...
OVERVIEW_PARTNERS = 40  # ... and the most central partners
OVERVIEW_LINKS = 80  # the strongest links between those partners
OVERVIEW_STRONGEST = 3  # each community of the overview is linked to the 3 it shares most projects with
OVERVIEW_MEMBERS = 5  # the most central partners each community of the overview names
COMMUNITY_MAPS = 12  # with the overview, the largest communities get their own map (the others: --community N)
COMMUNITY_MAP_NODES = 150  # each of those maps draws at most this many nodes
SHAPES = {PARTNER: "dot", PROJECT: "square", "community": "hexagon"}


# -- what a map draws ------------------------------------------------------------------


def render_maps(
    analysis,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    lang: str = DEFAULT_LANGUAGE,
    whole: str | None = None,
    payloads: dict[int, dict] | None = None,
) -> tuple[dict[str, str], dict]:
    """The map pages of an :class:`ecosys.pipeline.Analysis` by file name, and what they draw.

    ``map.html`` draws the whole graph up to ``max_nodes`` nodes; past that,
    an overview of the largest communities and the most central partners,
    with each of the ``COMMUNITY_MAPS`` largest communities' own map in
    ``communities/community-N.html`` (:func:`community_map_name`; at most
    ``COMMUNITY_MAP_NODES`` nodes each). ``community`` draws that community
    instead, ``ego`` the neighbourhood of the node of that name, ``depth``
    steps deep (both at most ``max_nodes`` nodes, the highest PageRank).
    ``lang`` is the language of every text of the pages (``lang/<code>/map.json``).
    ``whole`` (a file name beside ``map.html``, e.g. ``whole.html``) links an overview to the page of the
    whole graph (:mod:`ecosys.whole`), which the caller writes. ``payloads`` are the community maps'
    payloads if already made (:func:`community_payloads`, with the same ``max_nodes`` and ``lang``).
    The second value is the ``map`` block of ``summary.json``. Raises
    :class:`ecosys.errors.EcosysError` when there is no such community or node.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> pages, drawn = render_maps(analyze(demo_path()), max_nodes=10)
    >>> list(pages)[:3], drawn["kind"], drawn["community_maps"]
    (['map.html', 'communities/community-1.html', 'communities/community-2.html'], 'overview', 5)
    >>> pages, drawn = render_maps(analyze(demo_path()), ego="Formez")
    >>> list(pages), drawn
    (['map.html'], {'kind': 'ego', 'centre': 'Formez', 'depth': 1, 'nodes_drawn': 17, 'nodes_total': 56, 'size_by': 'pagerank'})
    """
    max_nodes = map_nodes(max_nodes)  # at most what a page can draw, with a warning (ecosys.limits)
    data = analysis.node_table
    net, partition = analysis.network, analysis.partition
    title, seed = net.name, analysis.seed
    L = language(lang)
    subtitle = _subtitle(analysis, L)
    credit = title  # the dataset, drawn into a saved PNG
    pages: dict[str, str] = {}
    if ego is not None:
        hits = data.search(ego)
        if not len(hits):
            close = data.suggest(ego)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise EcosysError(f"no partner or project is named {ego!r}{hint}: check the spelling (see partners.csv)")
        centre = int(hits[0])
        nodes = select_ego(data, centre, depth)
        shown = _cap(data, nodes, max_nodes, "pagerank", keep=centre)
        name = data.table["name"].iloc[centre]
        note = L.text("map.ego_note" if depth != 1 else "map.ego_note_one", name=name, depth=depth,
                      nodes=L.number(len(nodes)))
        if len(shown) < len(nodes):
            note += " " + L.text("map.ego_capped", shown=L.number(len(shown)))
        payload = graph_payload(data, shown, seed=seed, title=f"{title}: {name}", subtitle=subtitle,
                                note=note, focus=centre, depth=min(depth, 3), lang=lang)
        drawn = {"kind": "ego", "centre": name, "depth": depth}
        if len(shown) < len(nodes):
            drawn["left_out"] = (
                f"the map of {name}'s neighbourhood draws {len(shown):,} of its {len(nodes):,} nodes (the highest "
                f"PageRank); pass --max-nodes {len(nodes)} to draw them all"
            )
    elif community is not None:
        try:
            nodes = select_community(data, community)
        except KeyError:
            raise EcosysError(
                f"there is no community {community}: communities are numbered 1 to {partition.count}"
            ) from None
        shown = _cap_connected(data, nodes, max_nodes, "pagerank")
        payload = graph_payload(data, shown, seed=seed, title=L.text("map.community_title", title=title, community=community),
                                subtitle=subtitle, note=_capped_note(len(shown), len(nodes), L.text("map.capped_more"), L),
                                lang=lang)
        _colour_by_attribute(payload)
        drawn = {"kind": "community", "community": community}
        if len(shown) < len(nodes):
            drawn["left_out"] = (
                f"the map of community {community} draws {len(shown):,} of its {len(nodes):,} nodes (the projects "
                f"with the highest PageRank and their most central partners); pass --max-nodes {len(nodes)} to draw "
                f"them all"
            )
    elif data.n <= max_nodes:
        payload = graph_payload(data, seed=seed, title=title, subtitle=subtitle, lang=lang)
        drawn = {"kind": "graph"}
    else:
        links = {}
        names = analysis.community_names()
        if payloads is None:
            payloads = community_payloads(analysis, max_nodes=max_nodes, lang=lang)
        for c, page in payloads.items():
            _name_communities(page, names)
            page["credit"] = credit
            links[c] = community_map_name(c)
            pages[links[c]] = render_page(page)
        payload = overview_payload(data, seed=seed, title=title, subtitle=subtitle, links=links, max_nodes=max_nodes,
                                   community_names=names, lang=lang)
        drawn = {"kind": "overview", "community_maps": len(links)}
        if whole:
            payload["whole"] = {"href": whole, "text": L.text("whole.open", nodes=L.number(data.n)),
                                "title": L.text("whole.open_title")}
            drawn["whole"] = whole
    _name_communities(payload, analysis.community_names())
    payload["credit"] = credit
    drawn.update({
        "nodes_drawn": sum(1 for n in payload["nodes"] if n["kind"] != "community"),
        "nodes_total": data.n,
        "size_by": payload["defaults"]["size_by"],
    })
    if payload["mode"] == "overview":
        drawn["communities_drawn"] = sum(1 for n in payload["nodes"] if n["kind"] == "community")
    return {"map.html": render_page(payload), **pages}, drawn


def community_payloads(analysis, *, max_nodes: int = DEFAULT_MAX_NODES,
                       lang: str = DEFAULT_LANGUAGE) -> dict[int, dict]:
    """The payloads of the maps of the ``COMMUNITY_MAPS`` largest communities that an overview links to, by
    community, before :func:`render_maps` adds the communities' names (from the profiles, which may still
    be computed elsewhere meanwhile) and renders them. Each draws at most ``COMMUNITY_MAP_NODES`` nodes
    (and ``max_nodes``).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> payloads = community_payloads(analyze(demo_path()), max_nodes=10)
    >>> list(payloads), payloads[5]["back"], len(payloads[5]["nodes"])
    ([1, 2, 3, 4, 5], '../map.html', 3)
    """
    data, seed, title = analysis.node_table, analysis.seed, analysis.network.name
    L = language(lang)
    subtitle = _subtitle(analysis, L)
    payloads = {}
    for c in _overview_communities(data)[:COMMUNITY_MAPS]:
        nodes = select_community(data, c)
        shown = _cap_connected(data, nodes, min(COMMUNITY_MAP_NODES, map_nodes(max_nodes)), "pagerank")
        note = _capped_note(len(shown), len(nodes), L.text("map.capped_run", community=c), L)
        page = graph_payload(data, shown, seed=seed, title=L.text("map.community_title", title=title, community=c),
                             subtitle=subtitle, note=note, fast=True, lang=lang)
        page["back"] = "../map.html"  # the overview, relative to communities/
        _colour_by_attribute(page)
        payloads[c] = page
    return payloads


def _subtitle(analysis, L: Language) -> str:
    """The line under a map's title: the graph in numbers."""
    net, partition = analysis.network, analysis.partition
    return L.text(
        "map.subtitle", partners=L.number(net.n_partners), projects=L.number(net.n_projects),
        participations=L.number(len(net.edges)), communities=L.number(partition.count),
        modularity=L.number(round(partition.modularity, 6), ".3f"),
    )


def _colour_by_attribute(payload: dict) -> None:
    """A community's map is one colour by community: colour it by a partner attribute instead, when there
    is one (``type``, then ``country``, then the first)."""
    keys = [c["key"] for c in payload["categories"] if c["scope"] == PARTNER]
    preferred = [k for k in keys if k.strip().lower() in ("type", "country")]
    preferred.sort(key=lambda k: k.strip().lower() != "type")
    if keys:
        payload["defaults"]["color_by"] = f"attr:{(preferred or keys)[0]}"


def _name_communities(payload: dict, names: dict) -> None:
    """Add ``community_names`` (``{"3": name}``) to a payload, for the communities its nodes belong to."""
    present = sorted({int(n["community"]) for n in payload["nodes"]})
    payload["community_names"] = {str(c): names[c] for c in present if names.get(c)}


def select_community(data: NodeTable, community: int) -> np.ndarray:
    """The rows of one community's nodes (partners and projects); ``KeyError`` if it has none.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> nodes = analyze(demo_path()).node_table
    >>> nodes.table["kind"][select_community(nodes, 5)].tolist()  # two partners and their project
    ['partner', 'partner', 'project']
    """
    found = np.flatnonzero(data.communities == community)
    if not len(found):
        raise KeyError(community)
    return found


def select_ego(data: NodeTable, node: int, depth: int = 1) -> np.ndarray:
    """The rows of the nodes within ``depth`` steps of row ``node`` on the bipartite graph (sorted).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> nodes = analyze(demo_path()).node_table
    >>> nodes.table["kind"][select_ego(nodes, nodes.find("Comune di Bologna"), depth=2)].tolist()
    ['partner', 'partner', 'project']
    """
    A = data.adjacency
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


def _overview_communities(data: NodeTable, most: int = OVERVIEW_COMMUNITIES) -> list[int]:
    """The communities an overview draws: the ``most`` largest with two partners or more (ties: by number)."""
    sizes = pd.Series(data.communities[: data.n_partners]).value_counts()
    return sorted((int(c) for c, s in sizes.items() if s >= 2), key=lambda c: (-sizes[c], c))[:most]


def _cap(data: NodeTable, nodes: np.ndarray, max_nodes: int, rank_by: str, keep: int | None = None) -> np.ndarray:
    """At most ``max_nodes`` of ``nodes``: the highest ``rank_by`` (and ``keep`` always), in index order."""
    if len(nodes) <= max_nodes:
        return np.sort(nodes)
    values = data.table[rank_by].to_numpy(dtype=float)[nodes]
    order = np.lexsort((nodes, -values))  # highest first, ties by index
    chosen = nodes[order[:max_nodes]]
    if keep is not None and keep not in chosen:
        chosen = np.concatenate([chosen[:-1], [keep]])
    return np.sort(chosen)


def _cap_connected(data: NodeTable, nodes: np.ndarray, max_nodes: int, rank_by: str) -> np.ndarray:
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


def _capped_note(shown: int, total: int, how: str, L: Language | None = None) -> str:
    if shown >= total:
        return ""
    L = L or language()
    return L.text("map.capped", shown=L.number(shown), total=L.number(total), how=how)


# -- payloads -------------------------------------------------------------------------


def graph_payload(
    data: NodeTable,
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
    lang: str = DEFAULT_LANGUAGE,
) -> dict:
    """The data a map page draws for the nodes ``nodes`` (indices; default: all), its texts in ``lang``.

    Two views: the bipartite graph of those nodes, and the projection onto
    their partners (the ``PROJECTION_EDGES`` strongest links). ``focus``
    (an index) opens the page focused on that node, ``depth`` steps deep.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> nodes = analyze(demo_path()).node_table
    >>> p = graph_payload(nodes, select_community(nodes, 5), title="Bologna")
    >>> p["title"], [n["kind"] for n in p["nodes"]], len(p["edges"]), len(p["projection"])
    ('Bologna', ['partner', 'partner', 'project'], 2, 1)
    """
    nodes = np.arange(data.n) if nodes is None else np.sort(np.asarray(nodes, dtype=np.int64))
    npart = data.n_partners
    position = np.full(data.n, -1, dtype=np.int64)
    position[nodes] = np.arange(len(nodes))
    edge_rows, a, b = data.participations_among(nodes)  # bipartite edges among the drawn nodes
    radii = _radii(data, nodes, size_by)
    xy = positions(len(nodes), np.column_stack([a, b]), seed=seed, fast=fast, radii=radii)
    # projection among the drawn partners
    partners = nodes[nodes < npart]
    Wsub = sp.triu(data.W[partners][:, partners].astype(float), k=1).tocoo()
    pw = Wsub.data
    pi, pj = position[partners[Wsub.row]], position[partners[Wsub.col]]
    total_links = len(pw)
    if len(pw) > PROJECTION_EDGES:
        keep = np.lexsort((pj, pi, -pw))[:PROJECTION_EDGES]
        pi, pj, pw = pi[keep], pj[keep], pw[keep]
    order = np.lexsort((pj, pi))
    pi, pj, pw = pi[order], pj[order], pw[order]
    # the partners come first among the (sorted) drawn nodes: a partner's position is its place among them
    pxy = positions(len(partners), np.column_stack([pi, pj]), seed=seed, fast=fast, radii=radii[position[partners]])

    t = data.table.iloc[nodes]
    degree = data.degree[nodes]
    years = None if data.years is None else [int(y) if y else None for y in data.years[nodes]]
    ends = None if data.end_years is None else data.end_years[nodes]
    records = _node_records(data, t)
    for k, (rec, x, y, d) in enumerate(zip(records, xy[:, 0].tolist(), xy[:, 1].tolist(), degree.tolist())):
        rec["id"] = k
        rec["x"], rec["y"] = x, y
        rec["degree"] = int(d)
        if years is not None and years[k] is not None:
            rec["year"] = years[k]
            if ends[k] > years[k]:
                rec["end"] = int(ends[k])  # the last year it runs (the time slider's periods)
    for rec, x, y in zip(records, pxy[:, 0].tolist(), pxy[:, 1].tolist()):  # the partners: the first records
        rec["px"], rec["py"] = x, y
    edge_columns = page_attributes(c for c in data.edges.columns if c not in ("partner", "project"))
    edge_values = [data.edges[c].iloc[edge_rows].astype(str).tolist() for c in edge_columns]  # the drawn rows only
    edges = []
    for u, v, values in zip(a.tolist(), b.tolist(), zip(*edge_values) if edge_columns else repeat(())):
        e = {"from": u, "to": v}
        attrs = {c: x for c, x in zip(edge_columns, values) if x not in ("", "nan")}
        if attrs:
            e["attrs"] = attrs
        edges.append(e)
    projection = [{"from": u, "to": v, "weight": w} for u, v, w in zip(pi.tolist(), pj.tolist(), _numbers(pw))]
    L = language(lang)
    notes = [note] if note else []
    if total_links > PROJECTION_EDGES:
        notes.append(L.text("map.projection_capped", shown=L.number(PROJECTION_EDGES), total=L.number(total_links)))
    payload = _common(data, t, title, subtitle, " ".join(n for n in notes if n), size_by, edge_columns, edges, L)
    payload.update({
        "mode": "graph",
        "views": [
            {"key": "bipartite", "label": L.text("map.views.bipartite")},
            {"key": "projection", "label": L.text("map.views.projection")},
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
    data: NodeTable,
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
    community_names: dict | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dict:
    """An overview of a large graph: its largest communities and its most central partners.

    One node per community (the ``communities`` largest with two partners or
    more), sized by its partners, named by ``community_names`` (``{community:
    name}``), placed by the projects their partners share (projects with
    partners in both: each counted once) and linked to the
    ``OVERVIEW_STRONGEST`` others it shares most with; and the
    ``top_partners`` partners with the highest ``rank_by``, each linked to its
    community and to the other top partners it works with. ``links`` maps a
    community to the file of its own map.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> p = overview_payload(analyze(demo_path()).node_table, top_partners=3)
    >>> kinds = [n["kind"] for n in p["nodes"]]  # the 5 communities, and the top 3 partners by each metric
    >>> p["mode"], kinds.count("community"), kinds.count("partner")
    ('overview', 5, 8)
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
    member = drawn_positions(pc, drawn)
    rows = np.flatnonzero(member >= 0)
    C = sp.csr_matrix((np.ones(len(rows)), (rows, member[rows])), shape=(npart, len(drawn)))
    # the projects two communities share: projects with partners of both (P: projects x communities, 0/1)
    P = (sp.csr_matrix(data.B).T @ C).tocsr()
    P.data = np.ones_like(P.data)
    M = sp.triu((P.T @ P).tocsr(), k=1).tocoo()
    strongest = _strongest_links(M, len(drawn), OVERVIEW_STRONGEST)
    keys = list(data.metrics)
    if rank_by not in keys:
        keys.append(rank_by)
    tops_by = {}
    for m in keys:  # the top partners by each metric: the page shows those of the metric chosen in Size by
        r = t[m].to_numpy(dtype=float)[:npart]
        tops_by[m] = np.sort(ranked(-r, top_partners))
    top = np.unique(np.concatenate(list(tops_by.values()))) if tops_by else np.zeros(0, dtype=np.int64)
    ranks = t[rank_by].to_numpy(dtype=float)[:npart]
    ncomm = len(drawn)
    records = []
    links = links or {}
    summary = {int(c): s for c, s in sizes.items()}
    L = language(lang)
    names_of = community_names or {}
    for k, c in enumerate(drawn):
        named = (L.text("map.community_name", community=c, name=names_of[c]) if names_of.get(c)
                 else L.text("map.community_plain", community=c))
        rec = {
            "id": k,
            "name": named,
            "label": short_label(named),
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
    inside = rows[np.lexsort((rows, -ranks[rows]))]  # the drawn communities' partners, the most central first
    tops = top_members(pc, inside, most=OVERVIEW_MEMBERS)  # ties: by index
    for rec in records:
        rec["top"] = t["name"].iloc[tops.get(rec["community"], [])].astype(str).tolist()
    tt = t.iloc[top]
    record_of = {int(v): ncomm + k for k, v in enumerate(top)}
    for k, rec in enumerate(_node_records(data, tt)):
        rec["id"] = ncomm + k
        records.append(rec)
    edges, drawn_links = [], []
    for i, j, w in sorted(zip(M.row.tolist(), M.col.tolist(), M.data.tolist())):
        if (i, j) in strongest:
            edges.append({"from": i, "to": j, "weight": _number(w), "attrs": {L.text("map.edge_shared"): _number(w)},
                          "link": len(drawn_links)})
            drawn_links.append((i, j))
    for v in top:
        c = int(comm[v])
        if c in col:
            edges.append({"from": col[c], "to": record_of[int(v)], "member": True})
    pairs = {}
    for m, chosen in tops_by.items():  # the strongest links among each metric's top partners
        Wtop = sp.triu(data.W[chosen][:, chosen].astype(float), k=1).tocoo()
        for k in np.lexsort((Wtop.col, Wtop.row, -Wtop.data))[:OVERVIEW_LINKS]:
            pairs[(int(chosen[Wtop.row[k]]), int(chosen[Wtop.col[k]]))] = Wtop.data[k]
    for (u, v), w in sorted(pairs.items()):
        w = _number(w)
        edges.append({"from": record_of[u], "to": record_of[v], "weight": w, "attrs": {L.text("map.edge_shared"): w}})
    rings = {
        m: {k: [record_of[int(v)] for v in chosen if col.get(int(comm[v])) == k] for k in range(ncomm)}
        for m, chosen in tops_by.items()
    }
    loose = {m: [record_of[int(v)] for v in chosen if int(comm[v]) not in col] for m, chosen in tops_by.items()}
    community_links = [(int(i), int(j), float(w)) for i, j, w in zip(M.row, M.col, M.data)]  # all: for the places
    members = np.array([summary.get(c, 0) for c in drawn], dtype=float)  # each community's node, as map-core.js sizes it
    radii = 16 + 34 * np.sqrt(members / max(members.max(initial=0), 1))
    centres, placed = overview_layout(ncomm, community_links, rings, loose, seed, sizes=radii)
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
    timed = overview_periods(data, drawn, drawn_links, top.tolist(), shares=P)  # the time slider's counts
    if timed is not None:
        for rec, years in zip(records[ncomm:], timed.pop("active")):
            rec["active"] = years
    hidden_c = len(sizes) - len(drawn)
    hidden_p = int(sizes[[c for c in sizes.index if int(c) not in col]].sum()) if hidden_c else 0
    note = L.text("map.overview_note", nodes=L.number(data.n), max_nodes=L.number(max_nodes), communities=len(drawn),
                  partners=min(top_partners, npart))
    if hidden_c:
        note += " " + L.text("map.overview_hidden", communities=L.number(hidden_c), partners=L.number(hidden_p))
    payload = _common(data, tt, title, subtitle, note, size_by, [], edges, L)
    payload["categories"] = [c for c in payload["categories"] if c["scope"] == PARTNER]
    payload.update({
        "mode": "overview",
        "views": [{"key": "overview", "label": L.text("map.views.overview")}],
        "nodes": records,
        "edges": edges,
        "projection": [],
        "years": None,
        "time": timed,
    })
    payload["kinds"] = [{"key": "community", "label": L.text("map.kinds.communities")},
                        {"key": PARTNER, "label": L.text("map.kinds.partners")}]
    payload["legend"]["shapes"] = [
        {"shape": "hexagon", "label": L.text("map.shapes.community")},
        {"shape": "dot", "label": L.text("map.shapes.partner")},
    ]
    return payload


def ranked(key, most: int) -> np.ndarray:
    """The indices of the ``most`` lowest values of ``key``, lowest first, ties by index, NaN last: the first
    ``most`` of ``np.argsort(key, kind="stable")``, without sorting every value (the most central of millions
    of partners, for each metric: pass ``-values`` for the highest).

    >>> ranked(-np.array([1.0, 3.0, np.nan, 3.0, 2.0]), 3).tolist()
    [1, 3, 4]
    """
    key = np.asarray(key, dtype=float)
    if most >= len(key) or most <= 0:
        return np.argsort(key, kind="stable")[:max(most, 0)]
    last = np.partition(key, most - 1)[most - 1]  # the most-th lowest value (NaN: after every number)
    if np.isnan(last):  # fewer numbers than asked for: every value sorted
        return np.argsort(key, kind="stable")[:most]
    among = np.flatnonzero(key <= last)  # every index that can be among the first: the rest sort after them
    return among[np.argsort(key[among], kind="stable")[:most]]


def _strongest_links(M: sp.coo_matrix, count: int, most: int) -> set:
    """The links ``(i, j)`` (``i < j``) of an upper-triangular weight matrix that are among the ``most``
    heaviest of either end (ties: the lower other end first)."""
    ends: dict[int, list] = {k: [] for k in range(count)}
    for i, j, w in zip(M.row.tolist(), M.col.tolist(), M.data.tolist()):
        ends[i].append((-w, j, (i, j)))
        ends[j].append((-w, i, (i, j)))
    return {link for found in ends.values() for *_, link in sorted(found)[:most]}


def _common(data, t, title, subtitle, note, size_by, edge_columns, edges, L: Language) -> dict:
    """The parts of a payload shared by graph maps and overviews: metrics, categories, legend, options, and
    the page's texts in the language ``L`` (``text``, ``lang``, ``locale``)."""
    metrics = [{"key": c, "label": metric_label(c, L.code), "about": metric_meaning(c, L.code)} for c in data.metrics]
    if size_by not in data.metrics:
        size_by = data.metrics[0] if data.metrics else ""
    categories = []
    kinds = t["kind"].tolist()
    shown = page_attributes(data.attributes)  # filters for at most PAGE_ATTRIBUTES columns (ecosys.limits)
    for c, scope in data.categorical.items():
        if c in shown:
            values = t[c].tolist()
            entry = _category(c, [v for v, k in zip(values, kinds) if v != "" and (scope == "node" or k == scope)], scope)
        elif c in edge_columns:
            entry = _category(c, [e["attrs"][c] for e in edges if c in e.get("attrs", {})], scope)
        else:
            entry = None
        if entry:
            categories.append(entry)
    return {
        "lang": L.code,
        "locale": L.locale,
        "decimal": L.decimal,
        "thousands": L.thousands,
        "text": L.area("map")["page"],
        "title": title if title is not None else data.name or "ecosys map",
        "subtitle": subtitle,
        "note": note,
        "metrics": metrics,
        "categories": categories,
        "palette": list(PALETTE),
        "other_color": OTHER_COLOR,
        "missing_color": MISSING_COLOR,
        "community_colors": {str(i + 1): c for i, c in enumerate(PALETTE)},
        "kinds": [{"key": PARTNER, "label": L.text("map.kinds.partners")}, {"key": PROJECT, "label": L.text("map.kinds.projects")}],
        "defaults": {"color_by": "community", "size_by": size_by, "view": None},
        "legend": {
            "shapes": [{"shape": "dot", "label": L.text("map.shapes.partner")},
                       {"shape": "square", "label": L.text("map.shapes.project")}],
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
    return {"key": column, "label": column.replace("_", " ").strip() or column, "scope": scope, "values": values, "colors": colors}


def _node_records(data: NodeTable, t: pd.DataFrame) -> list[dict]:
    names = t["name"].astype(str).tolist()
    kinds = t["kind"].astype(str).tolist()
    comms = t["community"].astype(int).tolist()
    metric_values = {c: _numbers(t[c]) for c in data.metrics}
    shown = page_attributes(data.attributes)
    attr_values = {c: t[c].tolist() for c in shown}
    labels = short_labels(names)
    keys = list(data.metrics)
    metric_rows = zip(*(metric_values[c] for c in keys)) if keys else repeat(())
    attr_rows = zip(*(attr_values[c] for c in shown)) if shown else repeat(())
    return [{
        "name": name,
        "label": label,
        "kind": kind,
        "shape": SHAPES.get(kind, "dot"),
        "community": comm,
        "attrs": {c: v for c, v in zip(shown, attrs) if v != ""},
        "metrics": dict(zip(keys, values)),
    } for name, label, kind, comm, attrs, values in zip(names, labels, kinds, comms, attr_rows, metric_rows)]


def _radii(data: NodeTable, nodes: np.ndarray, size_by: str) -> np.ndarray:
    """The nodes' radii at zoom 1 as the page draws them by ``size_by`` (map-core.js ``sizeOf``: 8 to 36
    pixels by the square root of the value over the largest; 10 without a value)."""
    if size_by not in data.metrics:
        return np.full(len(nodes), 10.0)
    values = pd.to_numeric(data.table[size_by].iloc[nodes], errors="coerce").to_numpy(dtype=float)
    top = np.nanmax(values) if len(values) and np.isfinite(values).any() else 0.0
    if not top > 0:
        return np.full(len(nodes), 10.0)
    return np.where(np.isfinite(values), 8.0 + 28.0 * np.sqrt(np.clip(values, 0, None) / top), 10.0)


def _year_range(years) -> list | None:
    if not years:
        return None
    found = [y for y in years if y is not None]
    return [min(found), max(found)] if found else None


def _numbers(values) -> list:
    """:func:`_number` of each value of a column (a Series or an array): floats to 6 significant digits, each
    distinct value once; whole floats, integers and booleans as ints; NaN and infinities as None."""
    values = np.asarray(values)
    if values.dtype.kind in "iub":
        return values.astype(np.int64).tolist()
    if values.dtype.kind != "f":
        return [_number(v) for v in values.tolist()]
    values = values.astype(np.float64)
    finite = np.isfinite(values)
    whole = finite & (np.floor(values) == values) & (np.abs(values) < 1e15)
    out = np.full(len(values), None, dtype=object)
    out[whole] = values[whole].astype(np.int64).tolist()
    rest = finite & ~whole
    if rest.any():
        distinct, inverse = np.unique(values[rest], return_inverse=True)
        out[rest] = np.array([float(f"{v:.6g}") for v in distinct.tolist()], dtype=object)[inverse.reshape(-1)]
    return out.tolist()


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


# -- notebooks --------------------------------------------------------------------------


def to_pyvis(data: NodeTable, *, seed: int = 0, max_nodes: int = DEFAULT_MAX_NODES, **options):
    """The bipartite graph as a ``pyvis.network.Network``, drawn as ecosys draws it, for notebooks.

    Every node sits where ecosys's map of the whole graph puts it (the seeded
    layout of :mod:`ecosys.layout`), with the map's colour of its community,
    partners as dots and projects as squares, sized by PageRank; physics is
    off, so nothing moves. A node's ``id`` is its key (``"partner:ACME"``);
    its tooltip (``title``: name, kind and community) is HTML-escaped, since
    pyvis shows tooltips as HTML as soon as one of them holds ``href`` and a
    name from a spreadsheet must stay text. ``options`` go to ``Network``
    (default: ``notebook=True``, ``cdn_resources="in_line"``, 750 px high).
    pyvis slows down past a few thousand nodes: larger graphs need
    ``max_nodes`` raised, or ecosys's own maps (which draw an overview).
    Needs pyvis: ``pip install 'ecosys[notebook]'``.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> net = to_pyvis(analyze(demo_path()).node_table)
    >>> node = net.get_node("partner:Formez")
    >>> node["title"], node["color"], node["shape"], net.options.physics.enabled
    ('Formez\\nPartner · community 1', '#CC6677', 'dot', False)
    """
    try:
        from pyvis.network import Network
    except ImportError:
        raise ImportError("to_pyvis needs pyvis: pip install 'ecosys[notebook]'") from None
    if data.n > max_nodes:
        raise ValueError(
            f"{data.n:,} nodes are too many for pyvis (max_nodes={max_nodes:,}): pass a larger max_nodes, "
            "or write ecosys's maps (ecosys.write_outputs), which draw an overview"
        )
    net = Network(**{"height": "750px", "width": "100%", "notebook": True, "cdn_resources": "in_line", **options})
    nodes = np.arange(data.n)
    _, a, b = data.participations_among(nodes)
    xy = positions(data.n, np.column_stack([a, b]), seed=seed, radii=_radii(data, nodes, "pagerank"))
    names = data.table["name"].astype(str).tolist()
    kinds = data.table["kind"].astype(str).tolist()
    communities = data.table["community"].astype(int).tolist()
    size = data.table["pagerank"].tolist() if "pagerank" in data.table else [None] * data.n
    for k, key in enumerate(data.keys):
        title = f"{names[k]}\n{kinds[k].capitalize()} · community {communities[k]}"
        net.add_node(
            key, label=short_label(names[k]), title=html.escape(title, quote=False), shape=SHAPES.get(kinds[k], "dot"),
            color=community_color(communities[k]), x=float(xy[k, 0]), y=float(xy[k, 1]), value=_number(size[k]),
        )
    for u, v in zip(a.tolist(), b.tolist()):
        net.add_edge(data.keys[u], data.keys[v], color="#9AA0A6")
    net.toggle_physics(False)
    return net


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
    """The payload of the map of ``G``: the whole graph, or its overview past ``max_nodes`` nodes.

    >>> from ecosys.graph import graph_from_edges
    >>> from ecosys.metrics import node_metrics
    >>> from ecosys.communities import detect_communities
    >>> G = graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")])
    >>> p = map_payload(G, node_metrics(G), detect_communities(G))
    >>> p["mode"], [n["name"] for n in p["nodes"]], map_payload(G, node_metrics(G), detect_communities(G), max_nodes=3)["mode"]
    ('graph', ['A', 'B', 'C', 'P1', 'P2'], 'overview')
    """
    data = graph_node_table(G, metrics, partition)
    if data.n > max_nodes:
        return overview_payload(data, seed=seed, size_by=size_by, title=title, subtitle=subtitle, max_nodes=max_nodes)
    return graph_payload(data, seed=seed, size_by=size_by, title=title, subtitle=subtitle)


def render_map(G: nx.Graph, metrics: pd.DataFrame, partition: Partition, **kwargs) -> str:
    """The map of ``G`` as one self-contained HTML string (see :func:`map_payload` for options).

    >>> from ecosys.graph import graph_from_edges
    >>> from ecosys.metrics import node_metrics
    >>> from ecosys.communities import detect_communities
    >>> G = graph_from_edges([("A", "P1"), ("B", "P1")])
    >>> render_map(G, node_metrics(G), detect_communities(G), title="Two partners").startswith("<!DOCTYPE html>")
    True
    """
    return render_page(map_payload(G, metrics, partition, **kwargs))


# The map page's scripts, inlined in this order from ecosys/static/.
PAGE_SCRIPTS = ("vendor/vis-network-9.1.2.min.js", "map-core.js", "map-export.js", "map-table.js", "map-images.js",
                "map.js")


def render_page(payload: dict) -> str:
    """A payload as one self-contained HTML page.

    The page's styles and scripts (``ecosys/static/``: vendored vis-network, ``map-core.js``,
    ``map.js``) are inlined, so the page needs no other file (see :mod:`ecosys.assets`).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> page = render_page(graph_payload(analyze(demo_path()).node_table, title="Demo"))
    >>> page.count('id="ecosys-data"'), "<title>Demo" in page
    (1, True)
    """
    lang = page_text(payload.get("lang", DEFAULT_LANGUAGE))
    text = bounded(payload.get("text") or language(lang).area("map")["page"])
    return _template("map.html").render(
        title=page_text(payload["title"]),
        lang=lang,
        t=text,
        data=page_json(payload),  # no name or value repeated whole past PAGE_TEXT characters (ecosys.limits)
        whole=bounded(payload.get("whole")),
        css=style("map.css"),
        scripts=[script(name) for name in PAGE_SCRIPTS],
    )


def community_color(community: int) -> str:
    """The colour of a community on the maps (and in the report).

    >>> community_color(1), community_color(9), community_color(10)
    ('#CC6677', '#AA4499', '#BBBBBB')
    """
    return PALETTE[community - 1] if 1 <= community <= len(PALETTE) else OTHER_COLOR


def community_map_name(community: int) -> str:
    """The file name of a community's own map, relative to the output folder.

    >>> community_map_name(3)
    'communities/community-3.html'
    """
    return f"communities/community-{int(community)}.html"


def _template(name: str) -> jinja2.Template:
    return environment().get_template(name)
