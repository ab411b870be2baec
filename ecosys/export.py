"""The analysed network in the formats other tools read: Gephi, Gephi Lite, Cytoscape, VOSviewer.

=============  ==============================================================
format         what is written
=============  ==============================================================
``gexf``       the bipartite graph, GEXF 1.2draft (Gephi, Gephi Lite): every
               node with its display name as ``label``, its kind, attributes,
               metrics and community; every participation with its
               attributes. When the projects have dates the graph is dynamic
               (``mode="dynamic"``, ``timeformat="date"``): projects and
               participations carry ``start`` and ``end``, partners one
               ``spell`` per stretch of time one of their projects runs, so
               Gephi's timeline plays the ecosystem over time
``graphml``    the same as GraphML (Cytoscape, Gephi, yEd, igraph), ``label``
               a node attribute
``json``       the same as networkx node-link JSON (``nodes``; the edges
               under both ``links`` and ``edges``, so that every networkx
               from 3.2 reads it with ``node_link_graph``'s defaults)
               (with ``network="partners"``, these three hold the partner
               projection instead: edges with ``shared`` and ``weight``)
``vosviewer``  the partner projection as a VOSviewer JSON map: one item per
               partner, placed (``x``, ``y``) by ecosys's layout, ``cluster``
               = community (named), ``weights`` = the count metrics,
               ``scores`` = every metric and the mean start year of the
               partner's projects; one link per pair of partners sharing
               projects (``strength`` = projects shared)
=============  ==============================================================

The files are written here, line by line, not through networkx's writers:
no graph object is built, and the same analysis always gives the same text.
(The module is longer than most, over 500 lines: four writers sharing the
typed columns, the reserved names and the time spans, and the VOSviewer
map's layout.)
An input column named like a field one of the formats reserves (see
:data:`NODE_FIELDS`, :data:`EDGE_FIELDS`; compared ignoring case) is written
as ``"<name> (input)"``, so that it stays data and never becomes a label, an
id, a time spell, a weight or drawing instructions. Characters XML forbids
are made visible (U+0001 as U+2401). VOSviewer's format is documented at
https://app.vosviewer.com/docs/file-types/json-file-type/ ; its clusters run
from 1 to 1000, so a partner of a community past 1000 has no ``cluster``.

Example
-------
>>> import networkx as nx
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.export import render_export
>>> G = nx.parse_graphml(render_export(analyze(demo_path()), "graphml"))
>>> formez = G.nodes["partner:Formez"]
>>> formez["label"], formez["degree"], formez["community"]
('Formez', 16, 1)
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from . import __version__
from .glossary import METRIC_LABELS
from .graph import PARTNER, PROJECT
from .layout import GRID_NODES, positions

__all__ = ["FORMATS", "NETWORKS", "NODE_FIELDS", "EDGE_FIELDS", "START_YEAR", "ExportData", "export_data", "render_export",
           "export_chunks", "vosviewer_map", "map_positions"]

FORMATS = {"gexf": ".gexf", "graphml": ".graphml", "json": ".json", "vosviewer": ".vosviewer.json"}
NETWORKS = ("bipartite", "partners")
VOSVIEWER_CLUSTERS = 1000  # VOSviewer's clusters are the integers 1 to 1000
START_YEAR = "Avg. start year"  # the VOSviewer score VOSviewer's overlay view colours by
# Names the formats (or the tools reading them) give a meaning of their own: GEXF's node and edge
# attributes and child elements (id, pid, label, start, end, spells, viz, parents, weight, type, kind),
# node-link JSON's ids and ends (id, source, target, key), Gephi Lite's drawing attributes (x, y, size,
# color...), and ecosys's own `bipartite`. Input columns of those names are written as "<name> (input)".
NODE_FIELDS = frozenset({"id", "pid", "label", "start", "end", "spells", "viz", "parents", "bipartite", "x", "y",
                         "z", "size", "color", "shape", "timestamp", "timestamps", "intervals"})
EDGE_FIELDS = frozenset({"id", "label", "weight", "type", "kind", "start", "end", "spells", "source", "target",
                         "key", "viz", "color", "thickness", "shape", "timestamp", "timestamps", "intervals"})
LARGE_LAYOUT_ITERATIONS = 100  # Fruchterman-Reingold iterations for a component past GRID_NODES (see map_positions)
# Characters XML 1.0 forbids even as references (C0 controls but tab, LF, CR; surrogates; U+FFFE, U+FFFF):
# a name from a spreadsheet may hold them. Each C0 control becomes its Control Picture (U+0001 -> U+2401).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE = re.compile("[&<>\"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


@dataclass(frozen=True)
class ExportData:
    """What a graph export writes: nodes with a label and typed columns, edges with typed columns, times.

    ``node_columns`` and ``edge_columns`` are ``(title, type, values)``
    triples, ``type`` one of ``string``, ``long``, ``double``, ``values`` one
    per node (edge), None where blank. ``node_spans`` / ``edge_spans`` are
    each node's (edge's) ``(start, end)`` day pairs (ISO text), or None for a
    static graph; ``spells`` says which nodes get them as GEXF spells (the
    partners) rather than one ``start`` and ``end``. ``weight`` is the edge
    weight GEXF writes as its own field (the partner projection), or None.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = export_data(analyze(demo_path()), "partners")
    >>> data.node_columns[0][:2], data.edge_columns[0][:2], data.weight[:3]
    (('kind', 'string'), ('shared', 'long'), [1.0, 1.0, 1.0])
    """

    name: str
    keys: list
    labels: list
    node_columns: list
    sources: np.ndarray
    targets: np.ndarray
    edge_columns: list
    weight: list | None = None
    node_spans: list | None = None
    edge_spans: list | None = None
    spells: np.ndarray | None = None


def export_data(analysis, network: str = "bipartite") -> ExportData:
    """The nodes, edges, columns and times a graph export of ``analysis`` writes (see :class:`ExportData`).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = export_data(analyze(demo_path()))
    >>> len(data.keys), len(data.sources), data.labels[data.keys.index("partner:Formez")]
    (56, 52, 'Formez')
    >>> [title for title, _, _ in data.edge_columns], [s for s in data.edge_spans if s][0]  # one project is dated
    (['role'], [('2016-11-01', '2021-03-30')])
    """
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}: choose one of {', '.join(NETWORKS)}")
    data = analysis.node_table
    n = data.n if network == "bipartite" else data.n_partners
    t = data.table.iloc[:n]
    kinds = t["kind"].tolist()
    columns = [("kind", "string", kinds)]
    if network == "bipartite":
        columns.append(("bipartite", "long", [int(k == PROJECT) for k in kinds]))
    columns.append(("name", "string", t["name"].astype(str).tolist()))
    titles = {c for c, _, _ in columns} | {"community", *data.metrics}
    for c in data.attributes:
        values = t[c].astype(str).tolist()
        if any(values):
            columns.append((_renamed(c, NODE_FIELDS, titles), "string", [v if v != "" else None for v in values]))
    for c in ("community", *data.metrics):
        columns.append((c, *_typed(t[c])))
    dates = _dates(analysis)
    spans = spells = edge_spans = None
    e_p = data.edges[PARTNER].to_numpy(dtype=np.int64)
    e_j = data.edges[PROJECT].to_numpy(dtype=np.int64)
    if dates is not None:
        start, end = dates
        project_spans = [[(s, e)] if s else [] for s, e in zip(start, end)]
        partner_spans = _partner_spells(data.n_partners, e_p, e_j, start, end)
        spans = partner_spans + (project_spans if network == "bipartite" else [])
        spells = np.arange(n) < data.n_partners
    if network == "bipartite":
        sources, targets = e_p, e_j + data.n_partners
        edge_columns, taken = [], set()
        for c in data.edges.columns:
            if c not in (PARTNER, PROJECT):
                values = data.edges[c].astype(str).tolist()
                edge_columns.append((_renamed(c, EDGE_FIELDS, taken), "string", [v if v != "" else None for v in values]))
        weight = None
        if dates is not None:
            edge_spans = [project_spans[j] for j in e_j.tolist()]
    else:
        sources, targets, shared, w = analysis.projection.pairs()
        weight = _typed(pd.Series(w, dtype=float))[1]
        edge_columns = [("shared", "long", [int(s) for s in shared.tolist()])]
    return ExportData(data.name, list(data.keys[:n]), t["name"].astype(str).tolist(), columns,
                      np.asarray(sources, dtype=np.int64), np.asarray(targets, dtype=np.int64), edge_columns,
                      weight, spans, edge_spans, spells)


def render_export(analysis, fmt: str, network: str = "bipartite") -> str:
    """The text of the export of ``analysis`` in ``fmt`` (one of :data:`FORMATS`).

    ``network``: ``bipartite`` (partners and projects) or ``partners`` (the
    partner projection); VOSviewer maps are always of the partners.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = json.loads(render_export(analyze(demo_path()), "json", network="partners"))
    >>> data["graph"]["name"], len(data["nodes"]), len(data["links"]), data["links"] == data["edges"]
    ('italian-social-innovation', 36, 63, True)
    """
    return "".join(export_chunks(analysis, fmt, network))


def export_chunks(analysis, fmt: str, network: str = "bipartite"):
    """The text of :func:`render_export` in pieces, a node or an edge at a time, to write without holding it all.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> result = analyze(demo_path())
    >>> "".join(export_chunks(result, "vosviewer")) == render_export(result, "vosviewer")
    True
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "vosviewer":
        return _vosviewer(*_vosviewer_parts(analysis))
    data = export_data(analysis, network)
    return {"gexf": _gexf, "graphml": _graphml, "json": _node_link}[fmt](data)


# -- the writers -------------------------------------------------------------------------------------


def _gexf(d: ExportData):
    """GEXF 1.2draft, as the schema at http://www.gexf.net/1.2draft/gexf.xsd allows it."""
    dynamic = d.node_spans is not None
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           f'  <meta>\n    <creator>ecosys {__version__}</creator>\n    <description>{_text(d.name)}</description>\n'
           '  </meta>\n'
           + ('  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date">\n' if dynamic
              else '  <graph defaultedgetype="undirected" mode="static">\n'))
    for cls, columns in (("node", d.node_columns), ("edge", d.edge_columns)):
        if columns:
            yield f'    <attributes class="{cls}" mode="static">\n'
            for k, (title, kind, _) in enumerate(columns):
                yield f'      <attribute id="{k}" title="{_attr(title)}" type="{kind}" />\n'
            yield "    </attributes>\n"
    yield "    <nodes>\n"
    columns = [(k, _escaped(values, _attr)) for k, (_, _, values) in enumerate(d.node_columns)]
    for i, (key, label) in enumerate(zip(d.keys, d.labels)):
        time, spells = "", ""
        if dynamic and d.node_spans[i]:
            if d.spells[i]:
                spells = "        <spells>\n" + "".join(
                    f'          <spell start="{s}" end="{e}" />\n' for s, e in d.node_spans[i]) + "        </spells>\n"
            else:
                time = ' start="{}" end="{}"'.format(*d.node_spans[i][0])
        yield f'      <node id="{_attr(key)}" label="{_attr(label)}"{time}>\n'
        yield _attvalues(columns, i)
        yield spells
        yield "      </node>\n"
    yield "    </nodes>\n    <edges>\n"
    columns = [(k, _escaped(values, _attr)) for k, (_, _, values) in enumerate(d.edge_columns)]
    keys = [_attr(k) for k in d.keys]
    for i, (u, v) in enumerate(zip(d.sources.tolist(), d.targets.tolist())):
        extra = f' weight="{d.weight[i]}"' if d.weight is not None else ""
        if d.edge_spans is not None and d.edge_spans[i]:
            extra += ' start="{}" end="{}"'.format(*d.edge_spans[i][0])
        yield f'      <edge id="{i}" source="{keys[u]}" target="{keys[v]}"{extra}>\n'
        yield _attvalues(columns, i)
        yield "      </edge>\n"
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _attvalues(columns, i: int) -> str:
    values = "".join(f'          <attvalue for="{k}" value="{v}" />\n'
                     for k, column in columns if (v := column[i]) is not None)
    return f"        <attvalues>\n{values}        </attvalues>\n" if values else ""


def _graphml(d: ExportData):
    """GraphML, the keys typed (``string``, ``long``, ``double``); ``label`` is a node key like the others."""
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
           '  <key id="g0" for="graph" attr.name="name" attr.type="string" />\n'
           '  <key id="n0" for="node" attr.name="label" attr.type="string" />\n')
    nodes = [("n0", "label", "string", d.labels)] + [
        (f"n{k}", title, kind, values) for k, (title, kind, values) in enumerate(d.node_columns, start=1)]
    edges = [(f"e{k}", title, kind, values) for k, (title, kind, values) in enumerate(d.edge_columns)]
    if d.weight is not None:
        edges.append((f"e{len(edges)}", "weight", "double", d.weight))
    for cls, columns in (("node", nodes[1:]), ("edge", edges)):
        for key, title, kind, _ in columns:
            yield f'  <key id="{key}" for="{cls}" attr.name="{_attr(title)}" attr.type="{kind}" />\n'
    nodes = [(key, _escaped(values, _text)) for key, _, _, values in nodes]
    edges = [(key, _escaped(values, _text)) for key, _, _, values in edges]
    yield f'  <graph edgedefault="undirected">\n    <data key="g0">{_text(d.name)}</data>\n'
    for i, key in enumerate(d.keys):
        yield f'    <node id="{_attr(key)}">\n'
        yield "".join(f'      <data key="{k}">{v}</data>\n' for k, column in nodes
                      if (v := column[i]) is not None)
        yield "    </node>\n"
    keys = [_attr(k) for k in d.keys]
    for i, (u, v) in enumerate(zip(d.sources.tolist(), d.targets.tolist())):
        values = "".join(f'      <data key="{k}">{x}</data>\n' for k, column in edges
                         if (x := column[i]) is not None)
        yield (f'    <edge source="{keys[u]}" target="{keys[v]}">\n{values}    </edge>\n' if values
               else f'    <edge source="{keys[u]}" target="{keys[v]}" />\n')
    yield "  </graph>\n</graphml>\n"


def _node_link(d: ExportData):
    """networkx's node-link JSON; the edge list twice, as ``links`` (networkx 3.2 to 3.5, d3) and ``edges`` (3.6+)."""
    dump = json.JSONEncoder(ensure_ascii=False).encode
    yield ('{"directed": false, "multigraph": false, "graph": {"name": ' + dump(d.name) + '}, "nodes": [')
    columns = [(title, values) for title, _, values in d.node_columns]
    for i, (key, label) in enumerate(zip(d.keys, d.labels)):
        node = {"id": key, "label": label}
        node.update((title, v) for title, values in columns if (v := values[i]) is not None)
        yield ("" if i == 0 else ", ") + dump(node)
    columns = [(title, values) for title, _, values in d.edge_columns]
    if d.weight is not None:
        columns.append(("weight", d.weight))
    edges = []
    for i, (u, v) in enumerate(zip(d.sources.tolist(), d.targets.tolist())):
        edge = {"source": d.keys[u], "target": d.keys[v]}
        edge.update((title, x) for title, values in columns if (x := values[i]) is not None)
        edges.append(dump(edge))
    for name in ("links", "edges"):
        yield f'], "{name}": ['
        for i, edge in enumerate(edges):
            yield edge if i == 0 else ", " + edge
    yield "]}\n"


def _escaped(values: list, escape) -> list:
    """A column's values as XML text (``escape`` is :func:`_attr` or :func:`_text`), None kept; numbers as written."""
    return [None if v is None else escape(v) if isinstance(v, str) else repr(v) for v in values]


def _attr(value) -> str:
    """``value`` as the text of an XML attribute: escaped, line breaks and tabs kept as references."""
    text = value if isinstance(value, str) else str(value)
    if _ESCAPE.search(text) is None:
        return text
    return _ESCAPE.sub(lambda m: _ENTITIES.get(m[0]) or _visible(m[0]), text)


def _text(value) -> str:
    """``value`` as XML element text: escaped, carriage returns kept as references."""
    text = value if isinstance(value, str) else str(value)
    if _ESCAPE.search(text) is None:
        return text
    return _ESCAPE.sub(lambda m: _ENTITIES[m[0]] if m[0] in "&<>\r" else _visible(m[0]) if _NOT_XML.match(m[0])
                       else m[0], text)


def _visible(char: str) -> str:
    """A character XML forbids, made visible: a C0 control as its Control Picture, others as U+FFFD."""
    return chr(0x2400 + ord(char)) if char < " " else "\ufffd"


def _renamed(column: str, reserved: frozenset, taken: set) -> str:
    """``column``, or ``"<column> (input)"`` when a format reserves its name (or it is taken); recorded in ``taken``."""
    name = column
    if column.casefold() in reserved or column in taken:
        name = f"{column} (input)"
        k = 2
        while name in taken:
            name, k = f"{column} (input {k})", k + 1
    taken.add(name)
    return name


def _typed(values: pd.Series) -> tuple[str, list]:
    """A numeric column's type and values: ``long`` ints, or ``double`` floats to 6 significant digits (NaN: None)."""
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "long", [int(v) for v in values.tolist()]
    return "double", [float(f"{v:.6g}") if v == v else None for v in values.astype(float).tolist()]


# -- time ----------------------------------------------------------------------------------------------


def _dates(analysis) -> tuple[list, list] | None:
    """Each project's first and last day as ISO text ("" where undated), in graph order; None when none is dated."""
    dates = analysis.dates
    if dates.start_column is None or not dates.dated.any():
        return None
    keys = analysis.network.projects["node"].str.slice(len(PROJECT) + 1).to_numpy(dtype=object)
    dates = dates.for_keys(keys)
    return ([str(d) if d is not None else "" for d in dates.start.tolist()],
            [str(d) if d is not None else "" for d in dates.end.tolist()])


def _partner_spells(n_partners: int, e_p: np.ndarray, e_j: np.ndarray, start: list, end: list) -> list:
    """Each partner's stretches of activity: the spans of its dated projects, overlapping or touching ones merged."""
    start_day = np.array([s or "NaT" for s in start], dtype="M8[D]")
    end_day = np.array([e or "NaT" for e in end], dtype="M8[D]")
    dated = ~np.isnat(start_day[e_j]) if len(e_j) else np.zeros(0, dtype=bool)
    p, j = e_p[dated], e_j[dated]
    order = np.lexsort((start_day[j], p))
    spells, one_day = [[] for _ in range(n_partners)], np.timedelta64(1, "D").item()
    for partner, s, e in zip(p[order].tolist(), start_day[j][order].tolist(), end_day[j][order].tolist()):
        stretches = spells[partner]
        if stretches and s <= stretches[-1][1] + one_day:
            if e > stretches[-1][1]:
                stretches[-1][1] = e
        else:
            stretches.append([s, e])
    return [[(str(s), str(e)) for s, e in stretches] for stretches in spells]


def _start_years(analysis) -> np.ndarray | None:
    """Each partner's mean project start year (NaN without a dated project); None when no project is dated."""
    starts = analysis.node_table.project_years  # each project's start year, 0 where undated
    if starts is None or not (starts > 0).any():
        return None
    years = np.asarray(starts, dtype=float)
    e = analysis.network.edges
    p, j = e[PARTNER].to_numpy(dtype=np.int64), e[PROJECT].to_numpy(dtype=np.int64)
    dated = years[j] > 0
    n = analysis.network.n_partners
    count = np.bincount(p[dated], minlength=n)
    total = np.bincount(p[dated], weights=years[j][dated], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


# -- VOSviewer -----------------------------------------------------------------------------------------


def vosviewer_map(analysis) -> dict:
    """The partner projection as a VOSviewer JSON map (a dict).

    Items are the partners (``id`` from 1 in partner order), each placed by
    :func:`map_positions` (so VOSviewer opens the map at once, without
    laying it out), with its community as ``cluster`` (clusters labelled
    with the community's name), the count metrics as ``weights`` and every
    metric, and the mean start year of its projects (:data:`START_YEAR`,
    when projects have dates), as ``scores``.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> network = vosviewer_map(analyze(demo_path()))["network"]
    >>> item = network["items"][2]
    >>> item["label"], item["cluster"], "x" in item, item["scores"][START_YEAR]
    ('Città Metropolitana di Bologna', 5, True, 2016.0)
    >>> network["clusters"][0]
    {'cluster': 1, 'label': 'Formez · municipality 94%'}
    """
    items, links, clusters = _vosviewer_parts(analysis)
    return {"network": {"items": list(items), "links": list(links), "clusters": clusters}}


def _vosviewer(items, links, clusters):
    """A VOSviewer map's JSON text, an item or a link at a time (as ``json.dumps`` writes the whole map)."""
    dump = json.JSONEncoder(ensure_ascii=False).encode
    for opening, values in (('{"network": {"items": [', items), ('], "links": [', links),
                            ('], "clusters": [', clusters)):
        yield opening
        for i, value in enumerate(values):
            yield dump(value) if i == 0 else ", " + dump(value)
    yield "]}}\n"


def _vosviewer_parts(analysis):
    """The items and links of a VOSviewer map (made one at a time as they are read), and its clusters."""
    data = analysis.node_table
    n = data.n_partners
    t = data.table.iloc[:n]
    W = sp.triu(data.W, k=1).astype(float).tocsr()
    W.sort_indices()
    rows = np.repeat(np.arange(n), np.diff(W.indptr))
    cols, weights = W.indices, W.data
    xy = map_positions(n, rows, cols, seed=analysis.seed)
    counts = [c for c in data.metrics if pd.api.types.is_integer_dtype(t[c])]
    names = t["name"].astype(str).tolist()
    communities = t["community"].astype(int).tolist()
    metric_values = {c: _typed(t[c])[1] for c in data.metrics}
    labels = {c: METRIC_LABELS.get(c, c) for c in data.metrics}
    years = _start_years(analysis)
    attr_values = {c: t[c].tolist() for c in data.attributes}
    named = analysis.communities().set_index("community")["name"].to_dict()
    clusters = [
        {"cluster": c, "label": str(named.get(c) or f"Community {c}")}
        for c in sorted(set(communities)) if 1 <= c <= VOSVIEWER_CLUSTERS
    ]
    items = _vosviewer_items(n, names, xy, communities, data, attr_values, metric_values, labels, counts, years)
    return items, _vosviewer_links(rows, cols, weights), clusters


def _vosviewer_links(rows, cols, weights):
    for i, j, w in zip(rows.tolist(), cols.tolist(), weights.tolist()):
        yield {"source_id": i + 1, "target_id": j + 1, "strength": int(w) if w.is_integer() else float(f"{w:.6g}")}


def _vosviewer_items(n, names, xy, communities, data, attr_values, metric_values, labels, counts, years):
    for i in range(n):
        item = {"id": i + 1, "label": names[i]}
        described = [f"{c}: {attr_values[c][i]}" for c in data.attributes if attr_values[c][i] != ""]
        if described:  # VOSviewer reads descriptions as HTML: escape them
            item["description"] = "<br>".join(html.escape(d) for d in described)
        item["x"], item["y"] = float(xy[i, 0]), float(-xy[i, 1])
        if 1 <= communities[i] <= VOSVIEWER_CLUSTERS:
            item["cluster"] = communities[i]
        item["weights"] = {labels[c]: metric_values[c][i] for c in counts}
        scores = {labels[c]: metric_values[c][i] for c in data.metrics if metric_values[c][i] is not None}
        if years is not None and years[i] == years[i]:  # NaN (undefined, no dated project): left out
            scores[START_YEAR] = round(float(years[i]), 2)
        item["scores"] = scores
        yield item


def map_positions(n: int, rows, cols, *, seed: int = 0) -> np.ndarray:
    """Seeded positions (``n`` x 2, pixels) for a map of ``n`` nodes and the edges ``rows[k]``-``cols[k]``.

    ecosys's layout (:func:`ecosys.layout.positions`) for every component of
    at most ``GRID_NODES`` nodes; a larger component is laid out with
    ``LARGE_LAYOUT_ITERATIONS`` iterations of Fruchterman-Reingold on
    igraph's grid, from seeded starting points spread as igraph spreads its
    own (a component of 10,680 nodes in about 2 s, where the full layout
    takes about 50 s), and scaled to the same edge length. The large
    components go in a row at the top, the rest below them.

    >>> xy = map_positions(4, [0, 1], [1, 2], seed=0)
    >>> xy.shape, bool((xy == map_positions(4, [0, 1], [1, 2], seed=0)).all())
    ((4, 2), True)
    """
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    if n <= GRID_NODES:
        return positions(n, zip(rows.tolist(), cols.tolist()), seed=seed)
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, label = connected_components(A, directed=False)
    sizes = np.bincount(label)
    large = sorted(np.flatnonzero(sizes > GRID_NODES).tolist(), key=lambda c: (-sizes[c], c))
    if not large:
        return positions(n, zip(rows.tolist(), cols.tolist()), seed=seed)
    out = np.zeros((n, 2))
    x = bottom = 0.0
    index = np.full(n, -1, dtype=np.int64)
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    try:
        for c in large:
            members = np.flatnonzero(label == c)
            index[members] = np.arange(len(members))
            inside = label[rows] == c
            ends = np.column_stack((index[rows[inside]], index[cols[inside]]))  # arrays, not Python pairs: memory
            sub = ig.Graph(n=len(members), edges=ends)
            random.seed(seed)
            start = np.random.default_rng(seed).uniform(-1, 1, size=(len(members), 2)) * np.sqrt(len(members))
            xy = np.asarray(sub.layout_fruchterman_reingold(seed=start.tolist(), niter=LARGE_LAYOUT_ITERATIONS,
                                                            grid="grid").coords)
            lengths = np.hypot(*(xy[ends[:, 0]] - xy[ends[:, 1]]).T)
            xy = (xy - xy.min(axis=0)) * (110.0 / (np.median(lengths) or 1.0))
            out[members] = xy + (x, 0.0)
            x += np.ptp(xy[:, 0]) + 110.0
            bottom = max(bottom, float(np.ptp(xy[:, 1])))
    finally:
        random.setstate(state)
    rest = np.flatnonzero(~np.isin(label, large))
    if len(rest):
        index = np.full(n, -1, dtype=np.int64)
        index[rest] = np.arange(len(rest))
        inside = index[rows] >= 0
        out[rest] = positions(len(rest), zip(index[rows[inside]].tolist(), index[cols[inside]].tolist()),
                              seed=seed) + (0.0, bottom + 220.0)
    return np.round(out, 1) + 0.0  # + 0.0: no negative zero
