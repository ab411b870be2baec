"""Render an analysis: tables, summary, maps, report and workbook, as text or bytes by file name.

:func:`render_outputs` computes every output file in memory;
:func:`ecosys.files.write_outputs` writes them (each complete, the set all
or nothing). Text cells are made safe for spreadsheets in the CSV tables
(:func:`ecosys.safe.guard_formula`); the workbook writes every text
as a string cell, never a formula or a link. Pages repeat no text longer
than :data:`ecosys.limits.PAGE_TEXT` characters (the tables hold it whole).

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.report import render_outputs
>>> sorted(render_outputs(analyze(demo_path())))
['communities.csv', 'ecosys.xlsx', 'index.html', 'map.html', 'partners.csv', 'projects.csv', 'summary.json']
"""

from __future__ import annotations

import datetime
import io
import json
import math
import warnings
from functools import lru_cache

import jinja2
import numpy as np
import pandas as pd

from .profiles import composition
from .errors import EcosysWarning
from .glossary import metric_label, metric_meaning
from .limits import bounded, excel_warnings
from .maps import DEFAULT_MAX_NODES, community_color, community_map_name, render_maps
from .pipeline import Analysis
from .safe import csv_text, json_text

__all__ = [
    "OUTPUTS",
    "XLSX_MAX_ROWS",
    "render_outputs",
    "render_report",
    "render_xlsx",
]

OUTPUTS = (
    "partners.csv", "projects.csv", "communities.csv", "summary.json", "map.html", "index.html", "ecosys.xlsx"
)
# Past this many table rows (partners + projects + communities) the workbook is
# written only on request (--xlsx): writing it costs about 1 s per 10,000 rows.
XLSX_MAX_ROWS = 20_000
TOP_ROWS = 10  # partners listed under each metric in the report
REPORT_COMMUNITIES = 20  # communities described in the report
REPORT_ALONE = 20  # partners without a co-partner listed by name
REPORT_GROUPS = 10  # groups apart from the largest, described
_FIXED_DATE = datetime.datetime(2000, 1, 1)  # the workbook's creation date: outputs must not depend on the clock
_METHOD_LABELS = {"leiden": "the Leiden algorithm", "louvain": "the Louvain algorithm", "labelprop": "label propagation"}
_DEGREE_BINS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, None)]


def render_outputs(
    analysis: Analysis,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    xlsx: bool | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
) -> dict[str, str | bytes]:
    """Every output file's content (text or bytes) by file name, computed in memory.

    ``max_nodes``, ``community``, ``ego`` and ``depth`` choose what the maps
    draw (``map.html`` and any ``communities/community-N.html``: see
    :func:`ecosys.maps.render_maps`). The workbook
    ``ecosys.xlsx`` is written when ``xlsx`` is true, or when ``xlsx`` is None
    and the tables have at most ``xlsx_max_rows`` rows; otherwise the key
    ``_notes`` says how to get it.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> contents = render_outputs(analyze(demo_path()), community=5)
    >>> sorted(contents), json.loads(contents["summary.json"])["map"]["nodes_drawn"]
    (['communities.csv', 'ecosys.xlsx', 'index.html', 'map.html', 'partners.csv', 'projects.csv', 'summary.json'], 3)
    """
    summary = analysis.summary()
    partners, projects, communities = analysis.partners(), analysis.projects(), analysis.communities()
    maps, summary["map"] = render_maps(analysis, max_nodes=max_nodes, community=community, ego=ego, depth=depth)
    rows = len(partners) + len(projects) + len(communities)
    want_xlsx = xlsx if xlsx is not None else rows <= xlsx_max_rows
    notes = []
    if not want_xlsx:
        notes.append(
            f"ecosys.xlsx not written: {rows:,} table rows (over {xlsx_max_rows:,}); "
            "run `ecosys report INPUT --xlsx` to write it."
        )
    contents: dict[str, str | bytes] = {
        "partners.csv": csv_text(partners),
        "projects.csv": csv_text(projects),
        "communities.csv": csv_text(communities),
        "summary.json": json_text(summary),
        "map.html": maps.pop("map.html"),
        "index.html": render_report(analysis, summary=summary, partners=partners, projects=projects,
                                    communities=communities, maps=sorted(maps), xlsx=want_xlsx),
    }
    if want_xlsx:
        contents["ecosys.xlsx"] = render_xlsx({
            "partners": partners, "projects": projects, "communities": communities,
        }, summary)
    if analysis.backbone is not None:
        contents["backbone.csv"] = csv_text(analysis.backbone[analysis.backbone["kept"]].drop(columns="kept"))
    contents.update(maps)
    if notes:
        contents["_notes"] = "\n".join(notes)
    return contents


# -- the report ------------------------------------------------------------------------------------


def render_report(
    analysis: Analysis,
    *,
    summary: dict | None = None,
    partners: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    communities: pd.DataFrame | None = None,
    maps: list[str] = (),
    xlsx: bool = True,
) -> str:
    """The report ``index.html``: the dataset in numbers, top partners, communities, degrees, links.

    ``summary`` and the tables are those of ``analysis`` (computed here when
    not given); ``summary["map"]`` says what ``map.html`` draws, ``maps``
    lists the community maps written beside it, ``xlsx`` whether
    ``ecosys.xlsx`` is.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> page = render_report(analyze(demo_path()))
    >>> page.startswith("<!DOCTYPE html>"), "<td>Formez</td>" in page
    (True, True)
    """
    summary = summary if summary is not None else analysis.summary()
    partners = partners if partners is not None else analysis.partners()
    projects = projects if projects is not None else analysis.projects()
    communities = communities if communities is not None else analysis.communities()
    data = analysis.node_table
    n = summary["partners"] + summary["projects"]
    e = summary["participations"]
    numbers = [
        ("Partners", f"{summary['partners']:,}", "organisations taking part in at least one project"),
        ("Projects", f"{summary['projects']:,}", ""),
        ("Participations", f"{e:,}", "partner-in-project links"),
        ("Components", f"{summary['components']:,}",
         "groups of partners and projects connected to each other, and to no one else"),
        ("Largest component", f"{summary['largest_component']['partners']:,} partners, "
                              f"{summary['largest_component']['projects']:,} projects", ""),
        ("Density", f"{summary['density']:.4g}", "participations out of every possible partner-project pair"),
        ("Mean degree", f"{2 * e / n:.2f}" if n else "0",
         f"links per node; {e / summary['partners']:.2f} projects per partner, "
         f"{e / summary['projects']:.2f} partners per project" if summary["partners"] and summary["projects"] else ""),
        ("Partners without a co-partner", f"{summary['partners_without_copartner']:,}",
         "isolated: they share no project with anyone"),
        ("Communities", f"{summary['communities']:,}", "groups of partners that work together more than with others"),
        ("Modularity", f"{summary['modularity']:.3f}",
         "how clearly the communities separate, from 0 (not at all) to 1"),
    ]
    metric_columns = [
        c for c in partners.columns
        if c not in ("node", "name", "kind", "community", "stability", "unstable")
        and not c.endswith("_z")  # brokerage z-scores: the counts are listed
        and pd.api.types.is_numeric_dtype(partners[c])
        and c not in data.attributes
    ]
    top = []
    for c in metric_columns:
        # partners come sorted by PageRank then name: a stable sort keeps that order among ties
        t = partners.iloc[np.argsort(-partners[c].to_numpy(dtype=float), kind="stable")[:TOP_ROWS]]
        top.append({
            "key": c,
            "label": metric_label(c),
            "about": metric_meaning(c),
            "rows": [
                {"name": r["name"], "value": _format(r[c]), "community": int(r["community"]),
                 "color": community_color(int(r["community"]))}
                for _, r in t.iterrows()
            ],
        })
    composition_columns = [
        c for c in data.attributes
        if c in partners.columns and 1 < partners[c][partners[c] != ""].nunique() <= 30
    ][:2]
    shares: dict[int, list[str]] = {}  # community -> "type: municipality 94%, public body 6%", ...
    for col in composition_columns:
        # partners come most central first: a tie goes to the value of the more central partner
        values = composition(partners["community"], partners[col])
        by_community: dict[int, list[str]] = {}
        for c, v, k, m in zip(values["community"].tolist(), values["value"].tolist(), values["count"].tolist(),
                              values["members"].tolist()):
            by_community.setdefault(c, []).append(f"{v} {k / m:.0%}")
        for c, texts in by_community.items():
            shares.setdefault(c, []).append(f"{col.replace('_', ' ')}: {', '.join(texts)}")
    links = set(maps)
    rows = []
    for _, r in communities.head(REPORT_COMMUNITIES).iterrows():
        c = int(r["community"])
        rows.append({
            "community": c,
            "color": community_color(c),
            "partners": f"{int(r['partners']):,}",
            "projects": f"{int(r['projects']):,}",
            "internal": f"{int(r['internal_weight']):,}",
            "composition": "; ".join(shares.get(c, [])),
            "top": r["top_partners"],
            "link": community_map_name(c) if community_map_name(c) in links else "",
        })
    charts = [
        _histogram("Projects per partner", partners["degree"].to_numpy(), "partners"),
        _histogram("Partners per project", projects["degree"].to_numpy(), "projects"),
    ] if "degree" in partners.columns else []
    drawn = summary.get("map", {})
    method = summary.get("community_method", {}).get("name", "leiden")
    return _template("report.html").render(**bounded(dict(  # no name repeated whole, however long
        apart=_apart(analysis),
        title=summary["dataset"],
        numbers=numbers,
        top=top,
        communities=rows,
        more_communities=max(0, len(communities) - REPORT_COMMUNITIES),
        charts=charts,
        maps=list(maps),
        drawn=drawn,
        xlsx=xlsx,
        summary=summary,
        method=method,
        method_label=_METHOD_LABELS.get(method, method),
    )))


def _apart(analysis: Analysis) -> dict:
    """Who is on their own: partners sharing no project with anyone, and the groups (connected
    components) apart from the largest, largest first."""
    data = analysis.node_table
    npart = data.n_partners
    names = data.table["name"].astype(str).to_numpy()
    degree = data.degree
    alone = np.flatnonzero(np.diff(data.W.indptr) == 0)
    alone = alone[np.lexsort((names[alone], -degree[alone]))]
    label = analysis.components
    count = int(label.max()) + 1 if len(label) else 0
    sizes = np.bincount(label[:npart], minlength=count)
    largest = int(np.argmax(sizes)) if count else -1
    groups = []
    order = sorted((c for c in range(count) if c != largest and sizes[c] > 1), key=lambda c: (-sizes[c], c))
    for c in order[:REPORT_GROUPS]:
        members = np.flatnonzero(label == c)
        partners = members[members < npart]
        partners = partners[np.lexsort((names[partners], -degree[partners]))]
        groups.append({
            "partners": int(len(partners)),
            "projects": int((members >= npart).sum()),
            "names": "; ".join(names[partners[:6]]) + ("…" if len(partners) > 6 else ""),
        })
    outside = int(npart - (sizes[largest] if count else 0))
    return {
        "alone": [{"name": names[i], "projects": int(degree[i])} for i in alone[:REPORT_ALONE]],
        "alone_count": int(len(alone)),
        "outside": outside,
        "largest": int(sizes[largest]) if count else 0,
        "groups": groups,
        "group_count": len(order),
    }


def _histogram(title: str, degrees: np.ndarray, noun: str) -> dict:
    """An inline SVG bar chart of how many nodes have each degree (binned)."""
    bins = []
    for lo, hi in _DEGREE_BINS:
        mask = degrees >= lo if hi is None else (degrees >= lo) & (degrees <= hi)
        label = f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")
        bins.append((label, int(mask.sum())))
    while len(bins) > 5 and bins[-1][1] == 0:
        bins.pop()
    most = max((k for _, k in bins), default=0) or 1
    width, height, pad, bar = 560, 200, 28, 560 // len(bins)
    bars = []
    for i, (label, k) in enumerate(bins):
        h = round((height - 2 * pad) * k / most, 1)
        bars.append({
            "x": i * bar + 4, "w": bar - 8, "y": round(height - pad - h, 1), "h": h,
            "label": label, "count": f"{k:,}", "cx": i * bar + bar // 2,
        })
    return {"title": title, "noun": noun, "bars": bars, "width": width, "height": height, "base": height - pad}


def _format(value) -> str:
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    v = float(value)
    return f"{v:.4g}" if not math.isnan(v) else ""


@lru_cache(maxsize=None)
def _template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)
    return environment.get_template(name)


# -- the workbook ----------------------------------------------------------------------------------


def render_xlsx(sheets: dict[str, pd.DataFrame], summary: dict | None = None) -> bytes:
    """An Excel workbook, one sheet per table (and a ``summary`` sheet), as bytes.

    Written with XlsxWriter: every text cell as a string (which Excel shows
    as text and never runs as a formula or follows as a link, so it needs no
    formula guard); numbers as numbers. What passes Excel's limits (a cell
    over 32,767 characters, a sheet over 16,384 columns or 1,048,576 rows)
    is cut, with an :class:`~ecosys.errors.EcosysWarning` (see
    :func:`ecosys.limits.excel_warnings`). The workbook's dates are fixed,
    so the same tables give the same bytes.

    >>> data = render_xlsx({"partners": pd.DataFrame({"name": ["=1+1", "Comune"], "projects": [3, 1]})})
    >>> import openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [[(c.value, c.data_type) for c in row] for row in book["partners"].iter_rows()]
    (['partners'], [[('name', 's'), ('projects', 's')], [('=1+1', 's'), (3, 'n')], [('Comune', 's'), (1, 'n')]])
    """
    import xlsxwriter

    for message in excel_warnings(sheets):
        warnings.warn(message, EcosysWarning, stacklevel=2)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"created": _FIXED_DATE, "title": (summary or {}).get("dataset", "ecosys")})
    bold = book.add_format({"bold": True})
    if summary is not None:
        ws = book.add_worksheet("summary")
        flat = [(k, v) for k, v in summary.items() if not isinstance(v, (dict, list))]
        for i, (k, v) in enumerate(flat):
            ws.write_string(i, 0, k, bold)
            _cell(ws, i, 1, v)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 40)
    for name, table in sheets.items():
        ws = book.add_worksheet(name[:31])
        columns = [str(c) for c in table.columns]
        for j, c in enumerate(columns):
            ws.write_string(0, j, c, bold)
        for j, c in enumerate(table.columns):
            values = table[c].tolist()
            numeric = pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
            if numeric:
                for i, v in enumerate(values, start=1):
                    if v is None or (isinstance(v, float) and not math.isfinite(v)):
                        continue
                    ws.write_number(i, j, v)
            else:
                for i, v in enumerate(values, start=1):
                    _cell(ws, i, j, v)
        ws.freeze_panes(1, 0)
        if len(columns):
            ws.autofilter(0, 0, len(table), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def _cell(ws, row: int, col: int, value) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        ws.write_number(row, col, value)
    else:
        text = str(value)
        if text:
            ws.write_string(row, col, text)
