"""The whole of a large graph on one page, drawn with WebGL: every node and every link, searchable.

vis-network's canvas (the map of :mod:`ecosys.maps`) stalls past a few
thousand nodes, so a larger graph's ``map.html`` is an overview of its
communities. This page draws *all* of it, with sigma.js 3 over a graphology
graph (both vendored in ``static/vendor/``, inlined like vis-network): all
of Horizon 2020's 67,322 nodes and 144,726 participations from ``file://``.

The data goes into the page as columns, not one object per node: names, each
node's stored position, size, community and a few metrics as arrays; the
links as two arrays of node indices; categorical attributes as an index into
their values (about 120 bytes per node where the map carries about 2 KB).
Names stay text: they are JSON in a ``<script type="application/json">``
element (escaped by Jinja's ``tojson``) and the page shows them with
``textContent`` and canvas text only.

The layout (:func:`whole_layout`) must scale: igraph's DrL over all of H2020
takes more than a minute, so each community is laid out on its own
(Fruchterman-Reingold, the grid variant past ``GRID_NODES`` nodes, a fixed
number of rounds) inside a disc whose area follows its size, and the discs
are placed on the links between communities (:func:`ecosys.layout.positions`,
which keeps them from overlapping and packs the components). Seeded: the same
graph and seed give the same positions.

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

import math
import random
from functools import lru_cache

import igraph as ig
import jinja2
import numpy as np
import scipy.sparse as sp

from .assets import script, style
from .glossary import metric_label, metric_meaning
from .i18n import DEFAULT_LANGUAGE, language
from .layout import pack, positions
from .limits import bounded, page_attributes
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
GRID_NODES = 1000  # larger communities: Fruchterman-Reingold's grid (linear per round, not quadratic)
ROUNDS = 50  # rounds of the grid layout: about 1 s for a 15,000-node community here
SMALL_WORK = 2e7  # a smaller community gets at most this many node pairs' work (rounds x nodes^2), 30 to 300 rounds
SPREAD = 1.0  # linked communities: the median link between two discs is this many median radii long
SPACING = 10.0  # the disc of a community of n nodes has radius SPACING * sqrt(n)
CATEGORIES = 4  # at most this many categorical attributes ride along (for the details panel)


def whole_layout(data: NodeTable, seed: int = 0) -> np.ndarray:
    """Positions (``data.n`` x 2, rounded to 0.1) of every node of a node table: communities as discs.

    Each community's nodes are laid out on the links among them and scaled
    into a disc of radius ``SPACING * sqrt(size)``; the discs are laid out on
    the links between communities, none overlapping. See the module's text.

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
    order = np.argsort(inv, kind="stable")  # nodes grouped by community, in index order within each
    starts = np.concatenate([[0], np.cumsum(sizes)])
    local = np.empty(n, dtype=np.int64)
    local[order] = np.arange(n) - starts[inv[order]]
    inside = ~cross
    eu, ev, ec = A.row[inside], A.col[inside], cu[inside]
    by = np.argsort(ec, kind="stable")
    eu, ev, ec = eu[by], ev[by], ec[by]
    ends = np.searchsorted(ec, np.arange(k + 1))
    rng = np.random.default_rng(seed)
    state = random.getstate()  # igraph draws from Python's random module: keep the caller's state
    random.seed(seed)
    xy = np.zeros((n, 2))
    try:
        for c in range(k):
            members = order[starts[c]:starts[c + 1]]
            xy[members] = centres[c] + _disc(local[eu[ends[c]:ends[c + 1]]], local[ev[ends[c]:ends[c + 1]]],
                                             len(members), radius[c], rng)
    finally:
        random.setstate(state)
    return np.round(xy, 1) + 0.0  # + 0.0: no negative zero


def _centres(k: int, between: sp.coo_matrix, radius: np.ndarray, seed: int) -> np.ndarray:
    """The centres of ``k`` community discs: each group of linked communities laid out on its links (heavier
    links closer, no two discs overlapping), then the groups packed together, largest first."""
    from scipy.sparse.csgraph import connected_components  # here: it loads scipy.linalg, which the demo never needs

    groups = connected_components(between, directed=False)[1]
    boxes = []
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        if len(members) == 1:
            xy = np.zeros((1, 2))
        else:
            local = np.full(k, -1)
            local[members] = np.arange(len(members))
            keep = groups[between.row] == g
            xy = positions(len(members), zip(local[between.row[keep]].tolist(), local[between.col[keep]].tolist()),
                           seed=seed, weights=np.log1p(between.data[keep]), radii=radius[members],
                           spacing=float(np.median(radius[members])) * SPREAD)
        r = radius[members][:, None]
        low, high = (xy - r).min(axis=0), (xy + r).max(axis=0)
        boxes.append((members, xy - low, high - low))
    boxes.sort(key=lambda b: (-float(b[2][0] * b[2][1]), int(b[0][0])))
    corners = pack([tuple(b[2]) for b in boxes], gap=SPACING * 1.5)
    centres = np.zeros((k, 2))
    for (members, xy, _), corner in zip(boxes, corners):
        centres[members] = xy + corner
    return centres


def _disc(u: np.ndarray, v: np.ndarray, m: int, radius: float, rng: np.random.Generator) -> np.ndarray:
    """Positions of an ``m``-node community with links ``u``-``v`` (local indices), centred, within ``radius``."""
    if m == 1:
        return np.zeros((1, 2))
    g = ig.Graph(n=m, edges=np.column_stack([u, v]).tolist())
    if m > GRID_NODES:  # starting points spread over the grid's cells (about one node per unit square)
        start = (rng.uniform(-0.5, 0.5, size=(m, 2)) * math.sqrt(m)).tolist()
        xy = np.asarray(g.layout_fruchterman_reingold(seed=start, niter=ROUNDS, grid="grid").coords)
    else:
        start = rng.uniform(-1, 1, size=(m, 2)).tolist()
        rounds = int(min(300, max(30, SMALL_WORK / m ** 2)))
        xy = np.asarray(g.layout_fruchterman_reingold(seed=start, niter=rounds, grid="nogrid").coords)
    xy = xy - xy.mean(axis=0)
    reach = float(np.hypot(xy[:, 0], xy[:, 1]).max()) or 1.0
    return xy * (radius / reach)


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
) -> dict:
    """The data the whole-graph page draws: every node and link of ``data``, as columns.

    Nodes are in the table's order (partners first: ``partners`` of them);
    ``x``/``y`` from :func:`whole_layout` (whole pixels), ``size`` (radius, 2
    to 14 by the square root of ``size_by`` over its largest value),
    ``community``, ``metrics`` (``WHOLE_METRICS`` the analysis has, 4
    significant digits), ``categories`` (each value an index into its
    ``values``; -1 none); the participations as ``source`` (a partner) and
    ``target`` (a project). ``community_names`` (number -> name) names the
    legend's communities; ``back`` is the overview's file name, if any.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> p = whole_payload(analyze(demo_path()).node_table, lang="it")
    >>> p["partners"], p["names"][0], p["size_by"], p["text"]["find"]
    (36, 'Associazione ReTer (Reti e Territorio)', 'pagerank', 'Cerca un nodo')
    """
    L = language(lang)
    n = data.n
    t = data.table
    xy = whole_layout(data, seed=seed)
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
        text = t[column].astype(str).to_numpy()
        found, index = np.unique(text, return_inverse=True)
        index = index.astype(np.int64)
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
    :func:`_significant` itself (tested equal on millions of values).
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
    payload = bounded(payload)  # no name repeated whole past PAGE_TEXT characters (ecosys.limits)
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


@lru_cache(maxsize=None)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)
    return env.get_template("whole.html")
