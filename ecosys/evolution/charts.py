"""The page's charts as geometry: numbers in, shapes out; the template draws them as inline SVG.

No script: a chart is a static SVG whose shapes carry a ``<title>`` (the
browser shows it on hover), so the page stays one file that runs nothing.
Text (labels, titles) is returned as plain strings and escaped by the
template. Coordinates are rounded to a tenth of a pixel so the same numbers
give the same bytes.

:func:`line_chart` draws one or more series over the periods (gaps where a
value is missing), :func:`bar_chart` stacked bars, and :func:`alluvial` the
flow of partners between the communities of consecutive periods.

Example
-------
>>> chart = line_chart(["2019", "2020", "2021"], [("partners", [10, 20, 15])])
>>> chart["lines"][0]["points"]
'50.0,80.0 177.5,12.0 305.0,46.0'
>>> [t["label"] for t in chart["yticks"]]
['0', '5', '10', '15', '20']
"""

from __future__ import annotations

import math

import numpy as np

from ..limits import page_text
from ..maps import community_color

__all__ = ["EVENT_COLORS", "alluvial", "bar_chart", "line_chart", "nice_ticks", "plain"]

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 50, 15, 12, 32
SERIES_COLORS = ("#0550ae", "#CC6677", "#117733", "#DDCC77")
# Events in the stacked bars: continuing kinds in blues and greens, changes of shape in warm colours.
EVENT_COLORS = {"continuation": "#88CCEE", "growth": "#44AA99", "contraction": "#DDCC77", "merge": "#882255",
                "split": "#CC6677", "birth": "#117733", "death": "#555555"}
OTHER_FILL = "#DDDDDD"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top``: about ``count`` steps of 1, 2, 2.5 or 5 times a power of ten.

    >>> nice_ticks(23_000), nice_ticks(0.93), nice_ticks(0)
    ([0, 10000, 20000, 30000], [0.0, 0.25, 0.5, 0.75, 1.0], [0, 1])
    """
    if not top or top <= 0 or not math.isfinite(top):
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    ticks = [round(k * step, 10) for k in range(n + 1)]
    return [int(t) if float(t).is_integer() and step >= 1 else t for t in ticks]


def _x_positions(count: int, left: float, width: float) -> list[float]:
    if count == 1:
        return [round(left + width / 2, 1)]
    return [round(left + k * width / (count - 1), 1) for k in range(count)]


def _label_every(count: int, room: float, longest: int) -> int:
    """Show every k-th x label so that labels of ``longest`` characters do not overlap."""
    need = longest * 6.5 + 6
    return max(1, math.ceil(need / max(room, 1)))


def plain(value) -> str:
    """A number as a chart writes it by default: whole numbers with thousands separators, others to 3 digits.

    >>> plain(4.0), plain(12345), plain(0.4567)
    ('4', '12,345', '0.457')
    """
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:.3g}"


def line_chart(labels, series, *, top: float | None = None, fmt=plain, width: int = WIDTH,
               height: int = HEIGHT) -> dict:
    """A line chart over the periods: ``series`` is a list of ``(name, values)``; NaN leaves a gap.

    The y axis starts at 0 and ends at a round number above the largest
    value (or ``top``); ``fmt`` writes the tick labels and the values in the
    points' titles. Returns ``width``, ``height``, ``xticks``, ``yticks``
    (each ``{"x"/"y", "label"}``), ``lines`` (``{"name", "color", "points",
    "segments"}``: the SVG polyline points, one string per unbroken run in
    ``segments``) and ``dots`` (``{"x", "y", "color", "title"}``).

    >>> c = line_chart(["a", "b", "c"], [("x", [1, float("nan"), 3])], fmt=lambda v: f"{v:g}")
    >>> c["lines"][0]["segments"], [d["title"] for d in c["dots"]]
    (['50.0,102.7', '305.0,12.0'], ['a: 1', 'c: 3'])
    """
    labels = [str(x) for x in labels]
    values = [np.asarray(v, dtype=float) for _, v in series]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.zeros(0)
    ticks = nice_ticks(top if top is not None else (finite.max() if len(finite) else 0))
    ymax = ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    xs = _x_positions(len(labels), LEFT, plot_w)

    def y(v):
        return round(float(TOP + plot_h * (1 - v / ymax)), 1)

    lines, dots = [], []
    for k, ((name, _), v) in enumerate(zip(series, values)):
        color = SERIES_COLORS[k % len(SERIES_COLORS)]
        segments, run = [], []
        for i, value in enumerate(v):
            if np.isfinite(value):
                run.append(f"{xs[i]},{y(value)}")
                dots.append({"x": xs[i], "y": y(value), "color": color,
                             "title": f"{labels[i]}: {fmt(value)}" + (f" ({name})" if len(series) > 1 else "")})
            elif run:
                segments.append(" ".join(run))
                run = []
        if run:
            segments.append(" ".join(run))
        lines.append({"name": name, "color": color, "points": " ".join(segments), "segments": segments})
    every = _label_every(len(labels), plot_w / max(len(labels) - 1, 1), max((len(x) for x in labels), default=1))
    return {
        "width": width, "height": height, "left": LEFT, "right": width - RIGHT, "base": TOP + plot_h,
        "xticks": [{"x": x, "label": lab} for i, (x, lab) in enumerate(zip(xs, labels))
                   if i % every == 0 or i == len(labels) - 1 and (len(labels) - 1) % every == 0],
        "yticks": [{"y": y(t), "label": fmt(t)} for t in ticks],
        "lines": lines, "dots": dots,
    }


def bar_chart(labels, series, *, fmt=plain, width: int = WIDTH, height: int = HEIGHT) -> dict:
    """Stacked bars, one per period: ``series`` is a list of ``(name, values, color)``, stacked bottom up.

    Returns ``width``, ``height``, ``xticks``, ``yticks`` and ``bars``:
    ``{"x", "y", "w", "h", "color", "title"}`` for each non-empty piece.

    >>> c = bar_chart(["2019", "2020"], [("new", [4, 2], "#117733"), ("staying", [0, 3], "#BBBBBB")])
    >>> [(b["h"], b["title"]) for b in c["bars"]]
    [(90.7, '2019 · new: 4'), (45.3, '2020 · new: 2'), (68.0, '2020 · staying: 3')]
    """
    labels = [str(x) for x in labels]
    values = np.array([np.nan_to_num(np.asarray(v, dtype=float)) for _, v, _ in series]).reshape(len(series), -1)
    totals = values.sum(axis=0) if len(series) else np.zeros(len(labels))
    ticks = nice_ticks(totals.max() if len(totals) else 0)
    ymax = ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar = max(2.0, min(36.0, slot * 0.7))
    bars = []
    for i, label in enumerate(labels):
        x = round(LEFT + slot * i + (slot - bar) / 2, 1)
        bottom = 0.0
        for (name, _, color), v in zip(series, values[:, i]):
            if v <= 0:
                continue
            h = round(float(plot_h * v / ymax), 1)
            bars.append({"x": x, "y": round(float(TOP + plot_h * (1 - (bottom + v) / ymax)), 1), "w": round(bar, 1),
                         "h": h, "color": color, "title": f"{label} · {name}: {fmt(v)}"})
            bottom += v
    every = _label_every(len(labels), slot, max((len(x) for x in labels), default=1))
    return {
        "width": width, "height": height, "left": LEFT, "right": width - RIGHT, "base": TOP + plot_h,
        "xticks": [{"x": round(LEFT + slot * (i + 0.5), 1), "label": lab} for i, lab in enumerate(labels)
                   if i % every == 0],
        "yticks": [{"y": round(TOP + plot_h * (1 - t / ymax), 1), "label": fmt(t)} for t in ticks],
        "bars": bars,
    }


def alluvial(communities, labels, lineage: dict, names, *, most: int = 8, min_size: int = 1,
             height: int = 420, column_width: int = 150, fmt=lambda v: f"{int(v):,}",
             words=None) -> dict:
    """The flow of partners between the communities of consecutive periods, as an alluvial diagram.

    Parameters
    ----------
    communities : array of int, shape (periods, partners)
        Each partner's community in each period (0: not active).
    labels : list of str
        The periods.
    lineage : dict
        ``{(period index, community): lineage}`` (:class:`ecosys.evolution.events.Tracking`):
        a lineage keeps its colour from period to period.
    names : list of dict
        Each period's community names (``{community: name}``), for the titles.
    most : int
        The largest communities drawn in each period (at least ``min_size``
        partners); the other active partners form one grey block at the bottom.
    words : dict, optional
        The words of the titles: ``community``, ``partners``, ``other``,
        ``new``, ``left`` (English by default).

    Each period is a column of blocks, one per community, as tall as its
    partners; a band joins two blocks of consecutive periods as wide as the
    partners in both. The part of a block no band leaves from is the
    partners not active in the next period; the part no band reaches, those
    new to it. Blocks are ordered to follow the bands from the previous
    period (weighted mean position), so lineages keep their place.

    Returns ``width``, ``height``, ``columns`` (``{"x", "label"}``),
    ``nodes`` (``{"x", "y", "w", "h", "color", "label", "title"}``) and
    ``bands`` (``{"d", "color", "title"}``: SVG paths).

    >>> c = [[1, 1, 2, 2, 0], [1, 1, 1, 2, 2]]
    >>> a = alluvial(c, ["2019", "2020"], {(0, 1): 1, (0, 2): 2, (1, 1): 1, (1, 2): 2}, [{}, {}])
    >>> len(a["nodes"]), [b["title"] for b in a["bands"]]
    (4, ['2019 community 1 → 2020 community 1: 2 partners', '2019 community 2 → 2020 community 1: 1 partners', '2019 community 2 → 2020 community 2: 1 partners'])
    """
    words = {"community": "community", "partners": "partners", "other": "other communities", "new": "new here",
             "left": "not active next", **(words or {})}
    C = np.asarray(communities, dtype=np.int64)
    T = C.shape[0]
    top_pad, bottom_pad, left_pad, right_pad, gap, bar = 22, 8, 12, 150, 6, 14
    width = left_pad + column_width * max(T - 1, 0) + bar + right_pad
    # characters a block's label may take (about 6 px each) before the next column, or in the last one's margin
    room = {True: int((column_width - bar - 10) / 6), False: int((right_pad - 10) / 6)}
    # the blocks of each period: its largest communities, then everyone else
    shown = []
    for t in range(T):
        sizes = np.bincount(C[t])
        sizes[0] = 0
        order = [int(c) for c in np.lexsort((np.arange(len(sizes)), -sizes)) if sizes[c] >= max(min_size, 1)]
        shown.append(order[:most])
    block = np.zeros_like(C)  # each partner's block in each period: 1.. for shown communities, -1 other, 0 inactive
    for t in range(T):
        position = {c: k + 1 for k, c in enumerate(shown[t])}
        lookup = np.full(C[t].max() + 1 if C.size else 1, -1, dtype=np.int64)
        for c, k in position.items():
            lookup[c] = k
        block[t] = np.where(C[t] > 0, lookup[C[t]], 0)
    totals = (C > 0).sum(axis=1)
    scale = (height - top_pad - bottom_pad - gap * (most + 1)) / max(int(totals.max()) if T else 1, 1)
    # colours by lineage: the lineages with most partner-periods among the blocks shown get the palette
    weight: dict[int, int] = {}
    for t in range(T):
        sizes = np.bincount(C[t])
        for c in shown[t]:
            lin = lineage.get((t, c))
            if lin is not None:
                weight[lin] = weight.get(lin, 0) + int(sizes[c])
    ranked = sorted(weight, key=lambda lin: (-weight[lin], lin))
    color_of = {lin: community_color(k + 1) for k, lin in enumerate(ranked)}
    nodes, bands, columns, place = [], [], [], []
    order_prev: list[int] = []
    for t in range(T):
        x = left_pad + column_width * t
        columns.append({"x": x + bar / 2, "label": str(labels[t])})
        sizes = np.bincount(block[t][block[t] > 0], minlength=len(shown[t]) + 1)
        other = int((block[t] == -1).sum())
        keys = list(range(1, len(shown[t]) + 1))
        if t > 0 and order_prev:
            flows = _flows(block[t - 1], block[t])
            rank_prev = {k: r for r, k in enumerate(order_prev)}

            def centre(k):
                inflow = [(rank_prev[a], n) for (a, b), n in flows.items() if b == k and a > 0]
                total = sum(n for _, n in inflow)
                return (0, sum(r * n for r, n in inflow) / total, -sizes[k]) if total else (1, 0, -sizes[k])

            keys.sort(key=centre)
        keys += [-1] if other else []
        y = top_pad
        where = {}
        for k in keys:
            n = other if k == -1 else int(sizes[k])
            h = max(round(n * scale, 1), 1.0)
            c = shown[t][k - 1] if k > 0 else None
            name = names[t].get(c, "") if c is not None and t < len(names) else ""
            if k == -1:
                color, side = OTHER_FILL, words["other"]
            else:
                color, side = color_of.get(lineage.get((t, c)), "#BBBBBB"), f"{words['community']} {c}"
            node = {"x": x, "y": round(y, 1), "w": bar, "h": h, "color": color,
                    "title": f"{labels[t]} · {side}{' (' + name + ')' if name else ''}: {fmt(n)} {words['partners']}",
                    "label": "" if k == -1 or h < 7 else page_text(f"{c}" + (f" · {name.split(' · ')[0]}" if name else ""),
                                                                 room[t < T - 1])}
            nodes.append(node)
            where[k] = {"node": node, "side": side, "out": y, "in": y}
            y += h + gap
        place.append(where)
        order_prev = keys
    # bands, in the order of the blocks on both sides so that they do not cross inside a block
    for t in range(1, T):
        flows = _flows(block[t - 1], block[t])
        left, right = place[t - 1], place[t]
        rank_left = {k: r for r, k in enumerate(left)}
        rank_right = {k: r for r, k in enumerate(right)}
        starts = {}
        for a, b in sorted(flows, key=lambda ab: (rank_left[ab[0]], rank_right[ab[1]])):
            starts[(a, b)] = left[a]["out"]
            left[a]["out"] += flows[(a, b)] * scale
        for a, b in sorted(flows, key=lambda ab: (rank_right[ab[1]], rank_left[ab[0]])):
            n = flows[(a, b)]
            w = n * scale
            y0, y1 = starts[(a, b)], right[b]["in"]
            right[b]["in"] += w
            if w < 0.4:
                continue
            x0 = left_pad + column_width * (t - 1) + bar
            x1 = left_pad + column_width * t
            mid = (x0 + x1) / 2
            d = (f"M{x0:.1f},{y0:.1f}C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
                 f"L{x1:.1f},{y1 + w:.1f}C{mid:.1f},{y1 + w:.1f} {mid:.1f},{y0 + w:.1f} {x0:.1f},{y0 + w:.1f}Z")
            bands.append({"d": d, "color": left[a]["node"]["color"],
                          "title": f"{labels[t - 1]} {left[a]['side']} → {labels[t]} {right[b]['side']}: "
                                   f"{fmt(n)} {words['partners']}"})
    return {"width": int(width), "height": height, "columns": columns, "nodes": nodes, "bands": bands}


def _flows(before: np.ndarray, after: np.ndarray) -> dict:
    """Partners active in both periods, counted by (block before, block after)."""
    both = (before != 0) & (after != 0)
    pairs, counts = np.unique(np.column_stack([before[both], after[both]]), axis=0, return_counts=True)
    return {(int(a), int(b)): int(n) for (a, b), n in zip(pairs, counts)}
