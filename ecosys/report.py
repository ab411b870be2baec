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
import re
import tempfile
import warnings

import numpy as np
import pandas as pd

from .errors import EcosysWarning
from .evolution.trends import trends as year_trends
from .i18n import DEFAULT_LANGUAGE, language
from .limits import WHOLE_NODES, excel_warnings, map_nodes
from .maps import DEFAULT_MAX_NODES, community_payloads, render_maps
from .parallel import start
from .pipeline import Analysis, jobs_for
from .report_page import render_report
from .safe import csv_bytes, json_text
from .whole import WHOLE_PAGE, render_whole, whole_layout, whole_payload

__all__ = [
    "OUTPUTS",
    "TRENDS_MAX_PARTICIPATIONS",
    "XLSX_MAX_ROWS",
    "render_outputs",
    "render_report",
    "render_xlsx",
    "column_header",
]

OUTPUTS = (
    "partners.csv", "projects.csv", "communities.csv", "summary.json", "map.html", "index.html", "ecosys.xlsx"
)
# Past this many table rows (partners + projects + communities) the workbook is
# written only on request (--xlsx): writing it costs about 1 s per 10,000 rows.
XLSX_MAX_ROWS = 20_000
# Past this many participations the report's trends are computed only on request (--trends): on all of Horizon
# 2020 (144,726) the per-year communities they need cost about as much as the analysis itself, or more.
TRENDS_MAX_PARTICIPATIONS = 50_000
_FIXED_DATE = datetime.datetime(2000, 1, 1)  # the workbook's creation date: outputs must not depend on the clock


def render_outputs(
    analysis: Analysis,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    xlsx: bool | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
    lang: str = DEFAULT_LANGUAGE,
    trends: bool | None = None,
    trends_max: int = TRENDS_MAX_PARTICIPATIONS,
    whole: bool = True,
    jobs: int | None = None,
) -> dict[str, str | bytes]:
    """Every output file's content (text or bytes) by file name, computed in memory.

    ``lang`` (``en``, ``it``...: :data:`ecosys.i18n.LANGUAGES`) is the
    language of the report and the workbook's sheets and headers; the CSV
    tables and ``summary.json`` keep their English column names and keys, so
    scripts read them whatever the language.

    ``max_nodes``, ``community``, ``ego`` and ``depth`` choose what the maps
    draw (``map.html`` and any ``communities/community-N.html``: see
    :func:`ecosys.maps.render_maps`). The report's section "How the
    ecosystem changed" (:func:`ecosys.evolution.trends.trends`) is computed
    when the projects have dates and ``trends`` is true, or ``trends`` is
    None and there are at most ``trends_max`` participations (otherwise the
    section says how to get it); ``trends=False`` leaves it out. When
    ``map.html`` is an overview (a graph over ``max_nodes`` nodes) and
    ``whole`` is true, ``whole.html`` draws every node and link of the graph
    with WebGL (:mod:`ecosys.whole`), linked from the overview and the
    report. The workbook
    ``ecosys.xlsx`` is written when ``xlsx`` is true, or when ``xlsx`` is None
    and the tables have at most ``xlsx_max_rows`` rows; otherwise the key
    ``_notes`` says how to get it.

    ``jobs`` (default: the processors available) of 2 or more writes the
    partners' and projects' CSV tables in a second process from the start,
    computes the community profiles in another while the node table, the
    community maps' payloads, the components and the trends are made here
    (:meth:`ecosys.pipeline.Analysis.prepare`) and ``whole.html``'s layout
    in a third, then ``whole.html``'s page in another while the overview,
    the pages and the report are made here (:mod:`ecosys.parallel`); the
    same bytes whatever ``jobs``.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> contents = render_outputs(analyze(demo_path()), community=5)
    >>> sorted(contents), json.loads(contents["summary.json"])["map"]["nodes_drawn"]
    (['communities.csv', 'ecosys.xlsx', 'index.html', 'map.html', 'partners.csv', 'projects.csv', 'summary.json'], 3)
    """
    language(lang)  # an unknown language fails before anything is computed
    jobs = jobs_for(len(analysis.network.nodes), jobs)
    max_nodes = map_nodes(max_nodes)  # at most what a page draws, with a warning (ecosys.limits)
    over = community is None and ego is None and len(analysis.network.nodes) > max_nodes  # map.html: an overview
    tables = layout = page = None
    whole = whole and over
    if whole and len(analysis.network.nodes) > WHOLE_NODES:
        warnings.warn(f"whole.html not written: {len(analysis.network.nodes):,} nodes are more than one page can "
                      f"carry and stay usable ({WHOLE_NODES:,}); the overview and the community maps draw the graph, "
                      "and every node is in the tables", EcosysWarning, stacklevel=2)
        whole = False

    def meanwhile():  # here, while the profiles are computed in the other process
        nonlocal layout, changed
        if whole:  # whole.html's layout needs no profile: in another process from the start
            layout = start(whole_layout, analysis.node_table, analysis.seed, jobs=jobs)
        if over:
            payloads.update(community_payloads(analysis, max_nodes=max_nodes, lang=lang))
        # then what needs no profile either, rather than wait for them: the summary's components (when not
        # found while the communities were), the report's trends (by the projects' dates)
        analysis.components
        if trends is not False:
            changed = year_trends(analysis, compute=trends or len(analysis.network.edges) <= trends_max)

    changed = sizes = None
    spool = tempfile.TemporaryFile()
    try:
        # the partners' and projects' CSV tables made in another process while everything else is made here (their
        # tables are not held here while the maps are drawn), back through an unnamed file, not pickled
        tables = start(_node_tables, analysis, spool, jobs=jobs)
        if not tables.running():  # made here after all (one process): now, before the report's own tables exist
            sizes = tables.result()
        net = analysis.network
        whole_projects = xlsx or (xlsx is None and len(net.nodes) <= xlsx_max_rows)  # else the report reads degrees
        payloads: dict = {}  # the community maps, made here while the profiles are computed in the other process
        summary = analysis.prepare(jobs, meanwhile=meanwhile).summary()
        communities = analysis.communities()
        if whole:  # its page in another process while the overview and the report are made here
            page = start(_whole_page, analysis.node_table, analysis.seed, analysis.network.name, lang,
                         analysis.community_names(), layout.result(), jobs=jobs)
        maps, summary["map"] = render_maps(analysis, max_nodes=max_nodes, community=community, ego=ego,
                                           depth=depth, lang=lang, whole=WHOLE_PAGE if whole else None,
                                           payloads=payloads if over else None)
        partners = analysis.partners()  # here, now that the maps are made
        projects = analysis.projects() if whole_projects else \
            pd.DataFrame({"degree": analysis.metrics["degree"].to_numpy()[net.n_partners:]})  # 0.6 GB less at 10M
        rows = len(partners) + len(projects) + len(communities)  # (projects may be their degrees alone: as many)
        want_xlsx = xlsx if xlsx is not None else rows <= xlsx_max_rows
        summary_text, map_page = json_text(summary), maps.pop("map.html")
        report = render_report(analysis, summary=summary, partners=partners, projects=projects,
                               communities=communities, maps=list(maps), xlsx=want_xlsx, lang=lang,
                               trends=changed, trends_max=trends_max)
        workbook = render_xlsx({  # here, while the CSV tables may still be written in the other process
            "partners": partners, "projects": projects, "communities": communities,
        }, summary, lang=lang) if want_xlsx else None
        communities_csv = csv_bytes(communities)
        if page is not None:  # last: the report and the tables above were made while it was
            maps[WHOLE_PAGE] = page.result()
    except BaseException:
        for pending in (tables, layout, page):
            if pending is not None:
                pending.cancel()
        spool.close()
        raise
    notes = []
    if not want_xlsx:
        notes.append(
            f"ecosys.xlsx not written: {rows:,} table rows (over {xlsx_max_rows:,}); "
            "run `ecosys report INPUT --xlsx` to write it."
        )
    try:
        csv_tables = _read_tables(spool, sizes if sizes is not None else tables.result())
    finally:
        spool.close()
    contents: dict[str, str | bytes] = {
        **csv_tables, "communities.csv": communities_csv, "summary.json": summary_text, "map.html": map_page, "index.html": report,
    }
    if workbook is not None:
        contents["ecosys.xlsx"] = workbook
    if analysis.backbone is not None:
        contents["backbone.csv"] = csv_bytes(analysis.backbone[analysis.backbone["kept"]].drop(columns="kept"))
    contents.update(maps)
    if notes:
        contents["_notes"] = "\n".join(notes)
    return contents


def _whole_page(data, seed: int, title: str, lang: str, community_names: dict, xy=None) -> str:
    """``whole.html``: every node and link, sized by PageRank as the overview (:mod:`ecosys.whole`); ``xy`` its
    positions, if computed already (:func:`ecosys.whole.whole_layout`)."""
    size_by = "pagerank" if "pagerank" in data.metrics else (data.metrics[0] if data.metrics else "")
    return render_whole(whole_payload(data, seed=seed, size_by=size_by, title=title,
                                      subtitle=language(lang).text("whole.heading"), back="map.html", lang=lang,
                                      community_names=community_names, xy=xy))


def _node_tables(analysis: Analysis, spool) -> dict[str, int | bytes]:
    """:func:`_tables` of the analysis's partners and projects, made where this runs (in the tables' process)."""
    return _tables(analysis.partners(), analysis.projects(), spool)


def _tables(partners: pd.DataFrame, projects: pd.DataFrame, spool) -> dict[str, int | bytes]:
    """The partners' and the projects' CSV tables (UTF-8, made a part at a time) written one after the other into
    the file ``spool`` from its start (what an earlier, failed attempt wrote is dropped); their sizes by file name,
    or their bytes where the spool could not take them (a full temporary folder).

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as spool:
    ...     sizes = _tables(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": ["x"]}), spool)
    ...     sizes, _read_tables(spool, sizes)["projects.csv"]
    ({'partners.csv': 4, 'projects.csv': 4}, b'b\\nx\\n')
    """
    tables = (("partners.csv", partners), ("projects.csv", projects))
    try:
        spool.seek(0)
        spool.truncate()
        sizes = {name: spool.write(csv_bytes(table)) for name, table in tables}  # one table's bytes at a time
        spool.flush()
        return sizes
    except OSError:  # a full temporary folder: sent back as they are
        return {name: csv_bytes(table) for name, table in tables}


def _read_tables(spool, sizes: dict[str, int | bytes]) -> dict[str, bytes]:
    """What :func:`_tables` wrote into ``spool``, by file name (each read once, into bytes of its size)."""
    spool.seek(0)
    return {name: size if isinstance(size, bytes) else spool.read(size) for name, size in sizes.items()}


# -- the workbook ----------------------------------------------------------------------------------


def render_xlsx(sheets: dict[str, pd.DataFrame], summary: dict | None = None, *,
                lang: str = DEFAULT_LANGUAGE) -> bytes:
    """An Excel workbook, one sheet per table (and a summary sheet), as bytes.

    Sheet names and column headers are in the language ``lang``
    (``workbook.json``, and ``metrics.json`` for the metrics): a table called
    ``partners``, ``projects`` or ``communities`` gets its sheet name there, a
    column its header ("Centralità di intermediazione" for ``betweenness``);
    input attributes keep their own names. Written with XlsxWriter: every text
    cell as a string (which Excel shows as text and never runs as a formula or
    follows as a link, so it needs no formula guard); numbers as numbers. What
    passes Excel's limits (a cell over 32,767 characters, a sheet over 16,384
    columns or 1,048,576 rows) is cut, with an
    :class:`~ecosys.errors.EcosysWarning` (see :func:`ecosys.limits.excel_warnings`).
    The workbook's dates are fixed, so the same tables give the same bytes.

    >>> data = render_xlsx({"partners": pd.DataFrame({"name": ["=1+1", "Comune"], "degree": [3, 1]})}, lang="it")
    >>> import openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [[(c.value, c.data_type) for c in row] for row in book["Partner"].iter_rows()]
    (['Partner'], [[('Nome', 's'), ('Grado', 's')], [('=1+1', 's'), (3, 'n')], [('Comune', 's'), (1, 'n')]])
    """
    import xlsxwriter

    for message in excel_warnings(sheets):
        warnings.warn(message, EcosysWarning, stacklevel=2)

    L = language(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"created": _FIXED_DATE, "title": (summary or {}).get("dataset", "ecosys")})
    bold = book.add_format({"bold": True})
    words = L.area("workbook")
    if summary is not None:
        ws = book.add_worksheet(_sheet_name(words["sheets"]["summary"]))
        flat = [(k, v) for k, v in summary.items() if not isinstance(v, (dict, list))]
        for i, (k, v) in enumerate(flat):
            ws.write_string(i, 0, words["summary"].get(k, k), bold)
            _cell(ws, i, 1, v)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 40)
    for name, table in sheets.items():
        ws = book.add_worksheet(_sheet_name(words["sheets"].get(name, name)))
        columns = [column_header(str(c), lang, communities=name == "communities") for c in table.columns]
        for j, c in enumerate(columns):
            ws.write_string(0, j, c, bold)
            ws.set_column(j, j, min(max(len(c), 8) + 2, 40))
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


def column_header(column: str, lang: str = DEFAULT_LANGUAGE, *, communities: bool = False) -> str:
    """The header the workbook gives a table column in the language ``lang``.

    The fixed columns and the metrics have their words in the language files;
    a brokerage z-score is its count's name and "(z-score)"; in the
    communities table, ``partners_<attribute>``, ``projects_<attribute>`` and
    ``<attribute>_total`` name the attribute. Any other column (an input
    attribute) keeps its name.

    >>> column_header("betweenness", "it"), column_header("brokerage_liaison_z")
    ('Centralità di intermediazione', 'Brokerage: liaison (z-score)')
    >>> column_header("partners_type", "it", communities=True), column_header("city", "it")
    ('Partner: type', 'city')
    """
    L = language(lang)
    words, metrics = L.area("workbook"), L.area("metrics")
    if column in words["columns"]:
        return words["columns"][column]
    if column in metrics:
        return metrics[column]["name"]
    if column.endswith("_z") and column[:-2] in metrics:
        return L.text("workbook.patterns.z", metric=metrics[column[:-2]]["name"])
    if communities:
        for side in ("partners", "projects"):
            if column.startswith(side + "_"):
                return L.text(f"workbook.patterns.{side}_attribute", attribute=column[len(side) + 1:])
        if column.endswith("_total"):
            return L.text("workbook.patterns.total", attribute=column[:-len("_total")])
    return column


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


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
