"""The analysed network in the formats other tools read: Gephi, Cytoscape, VOSviewer.

=============  ==============================================================
format         what is written
=============  ==============================================================
``gexf``       the bipartite graph, GEXF 1.2 (Gephi): every node with its
               kind, attributes, metrics and community; every participation
               with its attributes
``graphml``    the same as GraphML (Cytoscape, Gephi, yEd, igraph)
``json``       the same as networkx node-link JSON (``nodes``, ``links``)
               (with ``network="partners"``, these three hold the partner
               projection instead: edges with ``shared`` and ``weight``)
``vosviewer``  the partner projection as a VOSviewer JSON map: one item per
               partner (``cluster`` = community, ``weights`` = the count
               metrics, ``scores`` = every metric), one link per pair of
               partners sharing projects (``strength`` = projects shared)
=============  ==============================================================

Every file is text, the same for the same analysis (GEXF's
``lastmodifieddate`` is left out). VOSviewer's format is documented at
https://app.vosviewer.com/docs/file-types/json-file-type/ ; its clusters run
from 1 to 1000, so a partner of a community past 1000 has no ``cluster``.

Example
-------
>>> import networkx as nx
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.export import render_export
>>> text = render_export(analyze(demo_path()), "graphml")
>>> G = nx.parse_graphml(text)
>>> G.nodes["partner:Formez"]["degree"], G.nodes["partner:Formez"]["community"]
(16, 1)
"""

from __future__ import annotations

import html
import json
import re

import networkx as nx
import numpy as np
import pandas as pd

from .glossary import METRIC_LABELS
from .graph import PARTNER, PROJECT
from .layout import positions
from .maps import DEFAULT_MAX_NODES

__all__ = ["FORMATS", "NETWORKS", "export_graph", "partner_graph", "render_export", "vosviewer_map"]

FORMATS = {"gexf": ".gexf", "graphml": ".graphml", "json": ".json", "vosviewer": ".vosviewer.json"}
NETWORKS = ("bipartite", "partners")
VOSVIEWER_CLUSTERS = 1000  # VOSviewer's clusters are the integers 1 to 1000
# Attribute names each format reads as its own field (node-link JSON's ids and link ends; GEXF's ids,
# parents, time spells, edge weights and types): input columns of those names are written as "<name> (input)".
_RESERVED = {
    "gexf": ({"id", "pid", "start", "end", "spells"}, {"id", "weight", "type", "start", "end", "spells"}),
    "graphml": (set(), set()),
    "json": ({"id"}, {"source", "target"}),
}
# Characters XML 1.0 forbids even as references (C0 controls but tab, LF, CR; U+FFFE, U+FFFF): a name
# from a spreadsheet may hold them. Each C0 control becomes its Control Picture (U+0001 -> U+2401).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_graph(analysis) -> nx.Graph:
    """The bipartite graph in networkx with every attribute, metric and the community on each node.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> G = export_graph(analyze(demo_path()))
    >>> G.number_of_edges(), G.nodes["partner:Formez"]["type"], G.nodes["partner:Formez"]["degree"]
    (52, 'public body', 16)
    """
    data = analysis.node_table
    G = nx.Graph(name=data.name)
    table = data.table
    kinds = table["kind"].tolist()
    numbers = {c: _column(table[c]) for c in ("community", *data.metrics)}
    texts = {c: table[c].astype(str).tolist() for c in ("name", *data.attributes)}
    for i, key in enumerate(data.keys):
        attrs = {"kind": kinds[i], "bipartite": int(kinds[i] == PROJECT)}
        attrs.update((c, values[i]) for c, values in texts.items() if values[i] != "")
        attrs.update((c, values[i]) for c, values in numbers.items() if values[i] == values[i])  # NaN: left out
        G.add_node(key, **attrs)
    edge_columns = [c for c in data.edges.columns if c not in (PARTNER, PROJECT)]
    partners = np.asarray(data.keys[: data.n_partners], dtype=object)
    projects = np.asarray(data.keys[data.n_partners:], dtype=object)
    rows = data.edges[[PARTNER, PROJECT, *edge_columns]].itertuples(index=False, name=None)
    for i, j, *values in rows:
        G.add_edge(partners[i], projects[j], **{c: str(v) for c, v in zip(edge_columns, values) if v != ""})
    return G


def partner_graph(analysis) -> nx.Graph:
    """The partner projection in networkx: partners with their attributes, metrics and community; an
    edge for each pair sharing projects, with ``shared`` (projects shared) and ``weight`` (the
    projection's weighting, ``shared`` itself by default).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> P = partner_graph(analyze(demo_path()))
    >>> P.number_of_nodes(), P.number_of_edges()
    (36, 63)
    """
    data = analysis.node_table
    n = data.n_partners
    t = data.table.iloc[:n]
    G = nx.Graph(name=data.name)
    numbers = {c: _column(t[c]) for c in ("community", *data.metrics)}
    texts = {c: t[c].astype(str).tolist() for c in ("name", *data.attributes)}
    for i, key in enumerate(data.keys[:n]):
        attrs = {"kind": PARTNER}
        attrs.update((c, values[i]) for c, values in texts.items() if values[i] != "")
        attrs.update((c, values[i]) for c, values in numbers.items() if values[i] == values[i])  # NaN: left out
        G.add_node(key, **attrs)
    rows, cols, shared, weight = analysis.projection.pairs()
    weights = _column(pd.Series(weight))
    for i, j, s, w in zip(rows.tolist(), cols.tolist(), shared.tolist(), weights):
        G.add_edge(data.keys[i], data.keys[j], shared=int(s), weight=w)
    return G


def render_export(analysis, fmt: str, network: str = "bipartite") -> str:
    """The text of the export of ``analysis`` in ``fmt`` (one of :data:`FORMATS`).

    ``network``: ``bipartite`` (partners and projects) or ``partners`` (the
    partner projection); VOSviewer maps are always of the partners.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = json.loads(render_export(analyze(demo_path()), "json", network="partners"))
    >>> data["graph"]["name"], len(data["nodes"]), len(data["links"])
    ('italian-social-innovation', 36, 63)
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}: choose one of {', '.join(NETWORKS)}")
    if fmt == "vosviewer":
        return json.dumps(vosviewer_map(analysis), ensure_ascii=False) + "\n"  # no indent: json's C encoder
    G = export_graph(analysis) if network == "bipartite" else partner_graph(analysis)
    nodes, edges = _RESERVED[fmt]
    if network != "bipartite":  # the projection's edges hold only ecosys's own shared and weight
        edges = set()
    if any(nodes & d.keys() for _, d in G.nodes(data=True)) or any(edges & d.keys() for *_, d in G.edges(data=True)):
        G = G.copy()
        for items, reserved in ((G.nodes(data=True), nodes), (G.edges(data=True), edges)):
            for *_, d in items:
                for c in [c for c in d if c in reserved]:  # in the node's order, not a set's (hash-seeded)
                    d[f"{c} (input)"] = d.pop(c)
    if fmt == "json":
        return json.dumps(nx.node_link_data(G, edges="links"), ensure_ascii=False) + "\n"
    if fmt == "graphml":
        return _xml_text("\n".join(nx.generate_graphml(G))) + "\n"
    text = "\n".join(nx.generate_gexf(G))
    return _xml_text(re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)) + "\n"


def vosviewer_map(analysis, *, max_layout: int = DEFAULT_MAX_NODES) -> dict:
    """The partner projection as a VOSviewer JSON map (a dict).

    Items are the partners (``id`` from 1 in partner order), with ``x`` and
    ``y`` from ecosys's seeded layout when there are at most ``max_layout``
    partners (VOSviewer lays out the others itself).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> items = vosviewer_map(analyze(demo_path()))["network"]["items"]
    >>> len(items), items[0]["label"], items[0]["cluster"], "x" in items[0]
    (36, 'Associazione ReTer (Reti e Territorio)', 2, True)
    """
    data = analysis.node_table
    n = data.n_partners
    t = data.table.iloc[:n]
    W = data.W.tocoo()
    upper = W.row < W.col
    rows, cols, weights = W.row[upper], W.col[upper], W.data[upper]
    order = np.lexsort((cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    xy = None
    if n <= max_layout:
        xy = positions(n, zip(rows.tolist(), cols.tolist()), seed=analysis.seed)
    counts = [c for c in data.metrics if pd.api.types.is_integer_dtype(t[c])]
    items = []
    names = t["name"].astype(str).tolist()
    communities = t["community"].astype(int).tolist()
    metric_values = {c: _column(t[c]) for c in data.metrics}
    attr_values = {c: t[c].tolist() for c in data.attributes}
    for i in range(n):
        item = {"id": i + 1, "label": names[i]}
        described = [f"{c}: {attr_values[c][i]}" for c in data.attributes if attr_values[c][i] != ""]
        if described:  # VOSviewer reads descriptions as HTML: escape them
            item["description"] = "<br>".join(html.escape(d) for d in described)
        if xy is not None:
            item["x"], item["y"] = float(xy[i, 0]), float(-xy[i, 1])
        if 1 <= communities[i] <= VOSVIEWER_CLUSTERS:
            item["cluster"] = communities[i]
        item["weights"] = {METRIC_LABELS.get(c, c): metric_values[c][i] for c in counts}
        item["scores"] = {
            METRIC_LABELS.get(c, c): metric_values[c][i] for c in data.metrics if metric_values[c][i] == metric_values[c][i]
        }  # NaN (undefined, e.g. redundancy below degree 2): left out
        items.append(item)
    links = [
        {"source_id": int(i) + 1, "target_id": int(j) + 1, "strength": _plain(w)}
        for i, j, w in zip(rows.tolist(), cols.tolist(), weights.tolist())
    ]
    clusters = [
        {"cluster": c, "label": f"Community {c}"}
        for c in sorted(set(communities)) if 1 <= c <= VOSVIEWER_CLUSTERS
    ]
    return {"network": {"items": items, "links": links, "clusters": clusters}}


def _xml_text(text: str) -> str:
    """``text`` with the characters XML forbids made visible (they can only come from the data)."""
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m[0])) if m[0] < " " else "\ufffd", text)


def _column(values: pd.Series) -> list:
    """A numeric column as Python numbers of one type: ints, or floats with 6 significant digits."""
    if pd.api.types.is_integer_dtype(values):
        return [int(v) for v in values.tolist()]
    return [float(f"{v:.6g}") for v in values.astype(float).tolist()]


def _plain(value):
    """A JSON/XML-friendly number: ints stay ints, floats rounded to 6 significant digits."""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return int(v)
    return float(f"{v:.6g}")
