"""The whole of a large graph on one page, drawn with WebGL: every node and every link, searchable.

vis-network's canvas (the map of :mod:`ecosys.maps`) stalls past a few
thousand nodes, so a larger graph's ``map.html`` is an overview of its
communities. This page draws *all* of it, with sigma.js 3 over a graphology
graph (both vendored in ``static/vendor/``, inlined like vis-network): all
of Horizon 2020's 67,322 nodes and 144,726 participations from ``file://``.

The data goes into the page as columns, not one object per node: names, each
node's stored position, size, community and a few metrics as arrays; the
links as two arrays of node indices; categorical attributes as an index into
their values (about 95 bytes per node where the map carries about 2 KB).
Names stay text: they are JSON in a ``<script type="application/json">``
element (escaped by Jinja's ``tojson``) and the page shows them with
``textContent`` and canvas text only.

The layout (:func:`whole_layout`) must scale: igraph's DrL over all of H2020
takes more than a minute, so each community is laid out on its own inside a
disc whose area follows its size, and the discs are placed on the links
between communities (:func:`ecosys.layout.positions`, which keeps them from
overlapping), the communities linked to none packed beside as boxes. Inside a
community only its core goes through Fruchterman-Reingold (the grid variant
past ``GRID_NODES`` nodes, rounds scaled to size): a node whose one link in
the community goes to a node with more, a leaf, sits round that node, on a
ring or a sunflower's spiral, placed as arrays; so do cores of one or two
nodes (most of H2020's 4,446 communities are a partner and a project or
two). All of H2020 takes about half a second. Seeded: the same graph and seed
give the same positions.

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.whole import render_whole, whole_payload
>>> payload = whole_payload(analyze(demo_path()).node_table, title="Demo")
>>> len(payload["names"]), len(payload["source"]) == len(payload["target"])
(56, True)
>>> page = render_whole(payload)
>>> page.count("</script>"), "<script src" in page  # the data and five scripts, nothing loaded
(6, False)
"""

from __future__ import annotations

import json
import math
import random
from functools import lru_cache

import igraph as ig
import jinja2
import numpy as np
import pandas as pd
import scipy.sparse as sp
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .assets import environment, script, style
from .glossary import metric_label, metric_meaning
from .i18n import DEFAULT_LANGUAGE, language
from .layout import pack, positions
from .limits import PAGE_TEXT, bounded, page_attributes
from .maps import OTHER_COLOR, PALETTE
from .nodes import NodeTable

__all__ = [
    "WHOLE_PAGE",
    "WHOLE_METRICS",
    "WHOLE_SCRIPTS",
    "GRID_NODES",
    "whole_layout",
    "whole_payload",
    "render_whole",
]

WHOLE_PAGE = "whole.html"  # the file name beside map.html
# The metrics the page carries (those the analysis has, in this order): each costs about 7 bytes a node.
WHOLE_METRICS = ("degree", "projection_degree", "pagerank", "betweenness", "closeness")
WHOLE_SCRIPTS = (
    "vendor/graphology-0.26.0.umd.min.js", "vendor/sigma-3.0.3.min.js", "map-core.js", "whole-core.js", "whole.js",
)
GRID_NODES = 200  # larger cores: Fruchterman-Reingold's grid (linear per round, not quadratic)
ROUNDS = 30  # rounds of the grid layout at least: about 0.07 s for H2020's largest core (4,530 nodes) here
GRID_WORK = 3e4  # a grid layout's node rounds (rounds x nodes): 120 rounds for 250 nodes, 30 from 1,000 on
SMALL_WORK = 2e6  # a smaller core gets at most this many node pairs' work (rounds x nodes^2), 30 to 300 rounds
SPREAD = 1.0  # linked communities: the median link between two discs is this many median radii long
SPACING = 10.0  # the disc of a community of n nodes has radius SPACING * sqrt(n)
RING = 8  # up to this many leaves round a node sit on a ring, more on a sunflower's spiral
LEAF = 0.5  # the ring's radius, in median links of the community's core
SUNFLOWER = 0.35  # the spiral's spacing, in rings: leaf r sits LEAF * SUNFLOWER * sqrt(r + 1) from its node
GOLDEN = math.pi * (3 - math.sqrt(5))  # the golden angle between two leaves of a spiral
CATEGORIES = 4  # at most this many categorical attributes ride along (for the details panel)


def whole_layout(data: NodeTable, seed: int = 0) -> np.ndarray:
    """Positions (``data.n`` x 2, rounded to 0.1) of every node of a node table: communities as discs.

    Each community is laid out on the links among its nodes and scaled into a
    disc of radius ``SPACING * sqrt(size)`` (:func:`_inside`); the discs are
    laid out on the links between communities, none overlapping
    (:func:`_centres`). See the module's text.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = analyze(demo_path()).node_table
    >>> xy = whole_layout(data, seed=1)
    >>> xy.shape, bool((xy == whole_layout(data, seed=1)).all())
    ((56, 2), True)
    """
    n = data.n
    if n == 0:
        return np.zeros((0, 2))
    labels, inv, sizes = np.unique(data.communities, return_inverse=True, return_counts=True)
    k = len(labels)
    A = sp.triu(data.adjacency, k=1).tocoo()
    cu, cv = inv[A.row], inv[A.col]
    cross = cu != cv
    between = sp.coo_matrix((np.ones(int(cross.sum())), (np.minimum(cu, cv)[cross], np.maximum(cu, cv)[cross])),
                            shape=(k, k)).tocsr().tocoo()  # duplicates summed: links between two communities
    radius = SPACING * np.sqrt(sizes)
    centres = _centres(k, between, radius, seed)
    inside = ~cross
    xy = centres[inv] + _inside(A.row[inside], A.col[inside], inv, k, seed) * radius[inv, None]
    return np.round(xy, 1) + 0.0  # + 0.0: no negative zero


def _centres(k: int, between: sp.coo_matrix, radius: np.ndarray, seed: int) -> np.ndarray:
    """The centres of ``k`` community discs: each group of linked communities laid out on its links (heavier
    links closer, no two discs overlapping), then the groups packed together, largest first (a community
    linked to no other, most of them, is a box of its disc's width)."""
    groups = np.asarray(ig.Graph(n=k, edges=zip(between.row.tolist(), between.col.tolist()))
                        .connected_components().membership)
    count = np.bincount(groups)
    boxes = [(np.flatnonzero(groups == g), None) for g in np.flatnonzero(count > 1)]
    for i, (members, _) in enumerate(boxes):
        local = np.full(k, -1)
        local[members] = np.arange(len(members))
        keep = groups[between.row] == groups[members[0]]
        xy = positions(len(members), np.column_stack([local[between.row[keep]], local[between.col[keep]]]),
                       seed=seed, weights=np.log1p(between.data[keep]), radii=radius[members],
                       spacing=float(np.median(radius[members])) * SPREAD)
        r = radius[members][:, None]
        low, high = (xy - r).min(axis=0), (xy + r).max(axis=0)
        boxes[i] = (members, xy - low, high - low)
    alone = np.flatnonzero(count[groups] == 1)  # communities (not groups) on their own: boxes 2r x 2r, centred
    extents = np.concatenate([np.array([b[2] for b in boxes]).reshape(-1, 2),
                              np.repeat(2 * radius[alone][:, None], 2, axis=1)])
    first = np.concatenate([np.array([b[0][0] for b in boxes], dtype=np.int64), alone])
    order = np.lexsort((first, -(extents[:, 0] * extents[:, 1])))  # the largest first, then by first community
    corners = pack(extents[order], gap=SPACING * 1.5)
    placed = np.empty_like(corners)
    placed[order] = corners
    centres = np.zeros((k, 2))
    for (members, xy, _), corner in zip(boxes, placed):
        centres[members] = xy + corner
    centres[alone] = placed[len(boxes):] + radius[alone][:, None]
    return centres


def _inside(u: np.ndarray, v: np.ndarray, community: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Each node's position in its community's unit disc (centred on its mean, the farthest node at 1), from the
    links ``u``-``v`` inside communities (node indices; ``community`` numbers each node 0 to ``k - 1``).

    A node whose only link in its community goes to a node with more (a leaf: most projects of one partner,
    62% of the nodes of H2020's large communities) is not laid out: the leaves of a node sit round it, on a
    ring up to ``RING`` of them, on a sunflower's spiral (area as their number) past that. The other nodes
    (the core) are laid out by Fruchterman-Reingold, community by community, in units of the core's median
    link; a core of one node sits at the centre and one of two side by side, without a layout.
    """
    n = len(community)
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    parent = np.full(n, -1)
    parent[u[degree[u] == 1]] = v[degree[u] == 1]
    parent[v[degree[v] == 1]] = u[degree[v] == 1]
    leaf = (parent >= 0) & (degree[np.maximum(parent, 0)] >= 2)
    xy = np.zeros((n, 2))
    core = np.flatnonzero(~leaf)
    by = core[np.argsort(community[core], kind="stable")]  # core nodes grouped by community, in index order
    starts = np.searchsorted(community[by], np.arange(k + 1))
    sizes = np.diff(starts)
    pairs = by[starts[:-1][sizes == 2]]  # two-node cores: side by side, a link apart
    xy[pairs, 0], xy[by[starts[:-1][sizes == 2] + 1], 0] = -0.5, 0.5
    local = np.full(n, -1)
    local[by] = np.arange(len(by)) - starts[community[by]]
    keep = ~leaf[u] & ~leaf[v]
    eu, ev = u[keep], v[keep]
    order = np.argsort(community[eu], kind="stable")
    eu, ev = eu[order], ev[order]
    ends = np.searchsorted(community[eu], np.arange(k + 1))
    rng = np.random.default_rng(seed)
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    random.seed(seed)
    try:
        for c in np.flatnonzero(sizes > 2).tolist():
            members = by[starts[c]:starts[c + 1]]
            xy[members] = _core(local[eu[ends[c]:ends[c + 1]]], local[ev[ends[c]:ends[c + 1]]], len(members), rng)
    finally:
        random.setstate(state)
    leaves = np.flatnonzero(leaf)
    leaves = leaves[np.argsort(parent[leaves], kind="stable")]  # by parent, in index order
    first = np.searchsorted(parent[leaves], parent[leaves])
    rank = np.arange(len(leaves)) - first
    many = np.bincount(parent[leaves], minlength=n)[parent[leaves]]
    ring = many <= RING
    angle = np.where(ring, 2 * np.pi * rank / np.maximum(many, 1), rank * GOLDEN)
    reach = np.where(ring, LEAF, LEAF * SUNFLOWER * np.sqrt(rank + 1.0))
    xy[leaves] = xy[parent[leaves]] + reach[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    count = np.bincount(community, minlength=k)
    mean = np.column_stack([np.bincount(community, xy[:, 0], k), np.bincount(community, xy[:, 1], k)]) / count[:, None]
    xy -= mean[community]
    far = np.zeros(k)
    np.maximum.at(far, community, np.hypot(xy[:, 0], xy[:, 1]))
    return xy / np.where(far > 0, far, 1.0)[community, None]


def _core(u: np.ndarray, v: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman-Reingold positions of an ``m``-node core with links ``u``-``v`` (local indices), scaled so
    that its median link is 1 long (its farthest node 1 from its centre when it has no links)."""
    g = ig.Graph(n=m, edges=zip(u.tolist(), v.tolist()))  # pairs from an iterator: a third of a list of lists' cost
    if m > GRID_NODES:  # starting points spread over the grid's cells (about one node per unit square)
        start = (rng.uniform(-0.5, 0.5, size=(m, 2)) * math.sqrt(m)).tolist()
        rounds = int(min(300, max(ROUNDS, GRID_WORK / m)))
        xy = np.asarray(ig.GraphBase.layout_fruchterman_reingold(g, seed=start, niter=rounds, grid="grid"))
    else:
        start = rng.uniform(-1, 1, size=(m, 2)).tolist()
        rounds = int(min(300, max(30, SMALL_WORK / m ** 2)))
        xy = np.asarray(ig.GraphBase.layout_fruchterman_reingold(g, seed=start, niter=rounds, grid="nogrid"))
    xy = xy - xy.mean(axis=0)  # (GraphBase's method: the positions as lists, not a Layout that copies them twice)
    if len(u):
        unit = float(np.median(np.hypot(*(xy[u] - xy[v]).T)))
    else:
        unit = float(np.hypot(xy[:, 0], xy[:, 1]).max())
    return xy / (unit or 1.0)


def whole_payload(
    data: NodeTable,
    *,
    seed: int = 0,
    size_by: str = "pagerank",
    title: str | None = None,
    subtitle: str = "",
    community_names: dict | None = None,
    back: str = "",
    lang: str = DEFAULT_LANGUAGE,
    xy: np.ndarray | None = None,
) -> dict:
    """The data the whole-graph page draws: every node and link of ``data``, as columns.

    Nodes are in the table's order (partners first: ``partners`` of them);
    ``x``/``y`` from :func:`whole_layout` (whole pixels), ``size`` (radius, 2
    to 14 by the square root of ``size_by`` over its largest value),
    ``community``, ``metrics`` (``WHOLE_METRICS`` the analysis has, 4
    significant digits), ``categories`` (each value an index into its
    ``values``; -1 none); the participations as ``source`` (a partner) and
    ``target`` (a project). ``community_names`` (number -> name) names the
    legend's communities; ``back`` is the overview's file name, if any;
    ``xy`` the positions if computed already (``whole_layout(data, seed)``,
    in another process while this one makes other pages, say).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> p = whole_payload(analyze(demo_path()).node_table, lang="it")
    >>> p["partners"], p["names"][0], p["size_by"], p["text"]["find"]
    (36, 'Associazione ReTer (Reti e Territorio)', 'pagerank', 'Cerca un nodo')
    """
    L = language(lang)
    n = data.n
    t = data.table
    xy = whole_layout(data, seed=seed) if xy is None else np.asarray(xy)
    metrics = [m for m in WHOLE_METRICS if m in data.metrics]
    if size_by not in metrics and size_by in data.metrics:
        metrics.append(size_by)
    values = t[size_by].to_numpy(dtype=float) if size_by in data.metrics else np.zeros(n)
    values = np.where(np.isfinite(values), np.clip(values, 0, None), 0.0)
    top = values.max() if n else 0.0
    size = 2.0 + 12.0 * np.sqrt(values / top) if top > 0 else np.full(n, 4.0)
    B = data.B.tocoo()  # partners x projects
    order = np.lexsort((B.col, B.row))
    categories, offered = [], page_attributes(data.attributes)  # once: past the limit it warns
    for column, scope in data.categorical.items():
        if scope not in ("partner", "project", "node") or column not in offered \
                or len(categories) == CATEGORIES:
            continue
        index, found = pd.factorize(t[column].astype(str).to_numpy(dtype=object), sort=True)  # as np.unique
        index, found = index.astype(np.int64), np.asarray(found, dtype=object)
        empty = np.flatnonzero(found == "")
        if len(empty):
            index = np.where(index == empty[0], -1, index - (index > empty[0]))
            found = found[found != ""]
        categories.append({"key": column, "label": column.replace("_", " ").strip() or column,
                           "values": found.tolist(), "index": index.tolist()})
    return {
        "lang": L.code,
        "locale": L.locale,
        "decimal": L.decimal,
        "thousands": L.thousands,
        "text": {**L.area("map")["page"], **L.area("whole")},
        "title": title if title is not None else data.name or "ecosys",
        "subtitle": subtitle,
        "back": back,
        "partners": int(data.n_partners),
        "names": t["name"].astype(str).tolist(),
        "x": np.round(xy[:, 0]).astype(np.int64).tolist(),
        "y": np.round(xy[:, 1]).astype(np.int64).tolist(),
        "size": np.round(size, 1).tolist(),
        "community": t["community"].astype(int).tolist(),
        "palette": list(PALETTE),
        "other_color": OTHER_COLOR,
        "community_names": {str(k): str(v) for k, v in (community_names or {}).items() if v},
        "size_by": size_by if size_by in data.metrics else "",
        "metrics": [{"key": m, "label": metric_label(m, L.code), "about": metric_meaning(m, L.code),
                     "values": _significant_values(t[m].to_numpy(dtype=float))} for m in metrics],
        "categories": categories,
        "source": B.row[order].astype(np.int64).tolist(),
        "target": (B.col[order] + data.n_partners).astype(np.int64).tolist(),
    }


def _significant_values(values: np.ndarray) -> list:
    """:func:`_significant` of every value, computed on the array: the same numbers, whole ones as ints.

    A value ``v`` of exponent ``e`` (``10**e <= |v| < 10**(e+1)``) becomes
    ``rint(v * 10**(3-e))``, an integer of 4 digits, times ``10**(e-3)``: with
    both powers of ten exact (``|3-e| <= 22``) each step is one correctly
    rounded operation, so the result is the double nearest to the 4-digit
    decimal, the value ``float(f"{v:.4g}")`` gives. Where the scaled value
    lies within 1e-6 of a tie or of the edges of 4 digits (rounding error could
    decide it), or past those exponents, the value goes through
    :func:`_significant` itself (tested equal on 200,000 values of every kind).
    """
    v = np.asarray(values, dtype=float)
    out = np.empty(len(v), dtype=object)  # filled with None: NaN and infinities stay None
    finite = np.isfinite(v)
    whole = finite & (v == np.trunc(np.where(finite, v, 0.0))) & (np.abs(v) < 1e15)
    out[whole] = v[whole].astype(np.int64).tolist()
    rest = np.flatnonzero(finite & ~whole)
    if not len(rest):
        return out.tolist()
    r = v[rest]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        k = 3 - np.floor(np.log10(np.abs(r))).astype(np.int64)
        fits = np.abs(k) <= 22
        power = 10.0 ** np.abs(np.where(fits, k, 0))
        scaled = np.where(k >= 0, r * power, r / power)
        size = np.abs(scaled)
        digits = np.rint(size)
        part = size - np.floor(size)
        safe = fits & (size >= 1000 + 1e-6) & (digits < 9999) & (np.abs(part - 0.5) > 1e-6)
        rounded = np.copysign(np.where(k >= 0, digits / power, digits * power), r)
    out[rest[safe]] = rounded[safe].tolist()
    for i in rest[~safe].tolist():
        out[i] = _significant(v[i])
    return out.tolist()


def _significant(value):
    """A number with 4 significant digits (ints as ints); None for NaN and infinities (not JSON)."""
    v = float(value)
    if not math.isfinite(v):
        return None
    if v == int(v) and abs(v) < 1e15:
        return int(v)
    return float(f"{v:.4g}")


def render_whole(payload: dict) -> str:
    """A :func:`whole_payload` as one self-contained HTML page (sigma.js, graphology and the page's code inlined).

    >>> page = render_whole({"title": "<b>", "lang": "en", "names": [], "source": [], "target": []})
    >>> "<title>&lt;b&gt;</title>" in page, page.count('id="ecosys-data"')
    (True, 1)
    """
    payload = _bounded(payload)  # no name repeated whole past PAGE_TEXT characters (ecosys.limits)
    lang = payload.get("lang", DEFAULT_LANGUAGE)
    L = language(lang)
    text = payload.get("text") or {**L.area("map")["page"], **L.area("whole")}
    return _template().render(
        title=payload.get("title", ""),
        lang=lang,
        t=text,
        payload=payload,
        css=style("whole.css"),
        scripts=[script(name) for name in WHOLE_SCRIPTS],
    )


COLUMNS = ("x", "y", "size", "community", "source", "target")  # the payload's columns of numbers


def _bounded(payload: dict) -> dict:
    """:func:`ecosys.limits.bounded` of a payload's texts: its columns of numbers (``COLUMNS``, each metric's
    ``values``, each category's ``index``) pass as they are, without a look at each of their million numbers,
    and so do the names when none is longer than ``PAGE_TEXT`` (one look at their lengths)."""
    def texts(part: dict, numbers: tuple) -> dict:
        return {**bounded({k: v for k, v in part.items() if k not in numbers}),
                **{k: part[k] for k in numbers if k in part}}

    names = payload.get("names")
    short = isinstance(names, list) and set(map(type, names)) <= {str} and max(map(len, names), default=0) <= PAGE_TEXT
    out = texts(payload, COLUMNS + ("metrics", "categories") + (("names",) if short else ()))
    for key, numbers in (("metrics", "values"), ("categories", "index")):
        if key in payload:
            out[key] = [texts(c, (numbers,)) if isinstance(c, dict) else bounded(c) for c in payload[key]]
    return out


@lru_cache(maxsize=None)
def _template() -> jinja2.Template:
    return environment(compact_json=_compact_json).get_template("whole.html")


def _compact_json(value) -> Markup:
    """Jinja's ``tojson`` (keys sorted; ``< > & '`` escaped, so no name can end the page's ``<script>``)
    without spaces after commas and colons: 1.2 MB less on all of H2020 (the text of :func:`_json`)."""
    return htmlsafe_json_dumps(value, dumps=_json)


FAST_NUMBERS = 1000  # lists of numbers at least this long with a float among them: each distinct number written once


def _json(value) -> str:
    """``json.dumps(value, sort_keys=True, separators=(",", ":"))``, the same text, with the page's long lists
    of floats (sizes, metrics: a float's shortest form costs about a microsecond to find) written a distinct
    number at a time (:func:`_numbers_text`); tested equal to ``json.dumps`` on lists of every kind.

    >>> print(_json({"b": [0.5, None, 2], "a": "é"}))
    {"a":"\\u00e9","b":[0.5,null,2]}
    """
    if type(value) is dict and all(type(k) is str for k in value) and any(map(_nested, value.values())):
        return "{" + ",".join(f"{json.dumps(k)}:{_json(v)}" for k, v in sorted(value.items())) + "}"
    if type(value) is list and len(value) >= FAST_NUMBERS:
        text = _numbers_text(value)
        if text is not None:
            return text
    elif type(value) is list and any(map(_nested, value)):
        return "[" + ",".join(map(_json, value)) + "]"
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _nested(value) -> bool:
    return type(value) is dict or type(value) is list


def _numbers_text(values: list) -> str | None:
    """The JSON text of a list of ints, floats and Nones with a float among its first hundred, as
    ``json.dumps`` writes it, each distinct number formatted once; None for any other list (a float that is
    not finite, an int past 2**53: ``json.dumps`` writes it)."""
    if float not in set(map(type, values[:100])):  # ints or names, most likely: json.dumps writes them as fast
        return None
    kinds = set(map(type, values))
    if not kinds <= {int, float, type(None)}:
        return None
    types = np.fromiter(map(type, values), dtype=object, count=len(values))
    floats, ints = types == float, types == int
    number = np.array(values, dtype=float)  # None: NaN, written null
    if not np.isfinite(number[floats]).all() or (ints.any() and np.abs(number[ints]).max() >= 2.0 ** 53):
        return None
    text = np.full(len(values), "null", dtype=object)
    if ints.any():
        distinct, which = np.unique(number[ints].astype(np.int64), return_inverse=True)
        text[ints] = np.array([str(v) for v in distinct.tolist()], dtype=object)[which.reshape(-1)]
    distinct, which = np.unique(number[floats].view(np.int64), return_inverse=True)  # by bits: 0.0 is not -0.0
    text[floats] = np.array([repr(v) for v in distinct.view(np.float64).tolist()], dtype=object)[which.reshape(-1)]
    return "[" + ",".join(text.tolist()) + "]"
