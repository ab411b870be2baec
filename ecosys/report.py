"""Write an analysis to disk: tables, summary, maps, report and workbook, each file complete or not at all.

Every file is written to a temporary name in the output folder and renamed
when complete, so a failure never leaves a half-written file; files of an
earlier run are replaced only by complete new ones. Text cells that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are written with a leading apostrophe, as
OWASP recommends against CSV injection, in the CSV tables and in the workbook
alike (where every text cell is also written as text, never as a formula).

Example
-------
>>> import tempfile, pathlib
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.report import write_outputs
>>> out = pathlib.Path(tempfile.mkdtemp()) / "demo"
>>> [p.name for p in write_outputs(analyze(demo_path()), out)]
['partners.csv', 'projects.csv', 'communities.csv', 'summary.json', 'map.html', 'index.html', 'ecosys.xlsx']
>>> guard_formula("=HYPERLINK(\\"http://x\\")"), guard_formula("Comune di Bologna")
('\\'=HYPERLINK("http://x")', 'Comune di Bologna')
"""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe
import numpy as np
import pandas as pd

from .assets import style
from .dates import project_dates
from .errors import EcosysError
from .glossary import metric_definition, metric_label, metric_meaning
from .i18n import DEFAULT_LANGUAGE, Language, language
from .profiles import composition
from .maps import DEFAULT_MAX_NODES, community_color, community_map_name, render_maps
from .pipeline import Analysis

__all__ = [
    "OUTPUTS",
    "XLSX_MAX_ROWS",
    "render_outputs",
    "render_report",
    "render_xlsx",
    "column_header",
    "write_outputs",
    "guard_formula",
    "write_text",
    "write_bytes",
    "csv_text",
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
LOWEST_FIRST = frozenset({"constraint"})  # metrics where a low value stands out (Burt: spans structural holes)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
_FIXED_DATE = datetime.datetime(2000, 1, 1)  # the workbook's creation date: outputs must not depend on the clock
_DEGREE_BINS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, None)]


def write_outputs(
    analysis: Analysis,
    out: str | Path,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    xlsx: bool | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
    only: tuple[str, ...] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> list[Path]:
    """Write the outputs of ``analysis`` into the folder ``out`` (created if needed); return their paths.

    See :func:`render_outputs` for the options (``lang``: the language of the
    pages and the workbook); ``only`` keeps the files whose names start with
    one of its entries.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> out = Path(tempfile.mkdtemp()) / "demo"
    >>> [p.name for p in write_outputs(analyze(demo_path()), out, only=("map", "summary"))]
    ['summary.json', 'map.html']
    """
    contents = render_outputs(analysis, max_nodes=max_nodes, community=community, ego=ego, depth=depth, xlsx=xlsx,
                              xlsx_max_rows=xlsx_max_rows, lang=lang)
    if only is not None:
        contents = {k: v for k, v in contents.items() if k.startswith(only)}
    out = Path(out)
    source = analysis.participations.path
    for name in contents:
        if source is not None and (out / name).resolve() == Path(source):
            raise EcosysError(f"{out / name}: is the input file; choose another output folder with --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        if any("/" in name for name in contents):
            (out / "communities").mkdir(exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    written = []
    for name, body in contents.items():
        if name.startswith("_"):
            continue
        write = write_bytes if isinstance(body, bytes) else write_text
        written.append(write(out / name, body))
    if "map.html" in contents:  # an earlier run's community maps would now be linked from nowhere
        for old in (out / "communities").glob("community-*.html"):
            if old not in written and re.fullmatch(r"community-\d+\.html", old.name):
                old.unlink()
    return written


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
) -> dict[str, str | bytes]:
    """Every output file's content (text or bytes) by file name, computed in memory.

    ``lang`` (``en``, ``it``...: :data:`ecosys.i18n.LANGUAGES`) is the
    language of the report and the workbook's sheets and headers; the CSV
    tables and ``summary.json`` keep their English column names and keys, so
    scripts read them whatever the language.

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
    language(lang)  # an unknown language fails before anything is computed
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
        "partners.csv": _csv(partners),
        "projects.csv": _csv(projects),
        "communities.csv": _csv(communities),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "map.html": maps.pop("map.html"),
        "index.html": render_report(analysis, summary=summary, partners=partners, projects=projects,
                                    communities=communities, maps=list(maps), xlsx=want_xlsx, lang=lang),
    }
    if want_xlsx:
        contents["ecosys.xlsx"] = render_xlsx({
            "partners": partners, "projects": projects, "communities": communities,
        }, summary, lang=lang)
    if analysis.backbone is not None:
        contents["backbone.csv"] = _csv(analysis.backbone[analysis.backbone["kept"]].drop(columns="kept"))
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
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """The report ``index.html``: the dataset in numbers, top partners, communities, degrees, links.

    ``summary`` and the tables are those of ``analysis`` (computed here when
    not given); ``summary["map"]`` says what ``map.html`` draws, ``maps``
    lists the community maps written beside it, ``xlsx`` whether
    ``ecosys.xlsx`` is. Every word comes from the language ``lang``'s
    ``report.json`` and ``metrics.json`` (:mod:`ecosys.i18n`), and numbers
    and dates are written its way.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> result = analyze(demo_path())
    >>> page = render_report(result)
    >>> page.startswith("<!DOCTYPE html>"), "<td>Formez</td>" in page, '<td class="num">0.727</td>' in page
    (True, True, True)
    >>> page = render_report(result, lang="it")
    >>> '<html lang="it">' in page, "<h2 id=\\"communities-heading\\">Comunità</h2>" in page, "0,727" in page
    (True, True, True)
    """
    L = language(lang)
    summary = summary if summary is not None else analysis.summary()
    partners = partners if partners is not None else analysis.partners()
    projects = projects if projects is not None else analysis.projects()
    communities = communities if communities is not None else analysis.communities()
    data = analysis.node_table
    number = L.number
    names = dict(zip(communities["community"].astype(int).tolist(), communities["name"].astype(str).tolist()))

    def plural(key: str, count: int, **values) -> str:
        """The string ``key.one`` or ``key.other`` (English and Italian have these two forms), filled."""
        return L.text(f"{key}.{'one' if count == 1 else 'other'}", count=number(count), **values)

    def row(key: str, value: str, about: str | None = None) -> dict:
        about = L.text(f"report.numbers.{key}.about") if about is None else about
        return {"label": L.text(f"report.numbers.{key}.label"), "value": value, "about": about}

    n, e = summary["partners"] + summary["projects"], summary["participations"]
    both = summary["partners"] and summary["projects"]
    numbers = [
        row("partners", number(summary["partners"])),
        row("projects", number(summary["projects"])),
        row("participations", number(e)),
        row("components", number(summary["components"])),
        row("largest", L.text("report.numbers.largest.value",
                              partners=number(summary["largest_component"]["partners"]),
                              projects=number(summary["largest_component"]["projects"]))),
        row("density", number(summary["density"], ".4g")),
        row("mean_degree", number(2 * e / n, ".2f") if n else "0",
            L.text("report.numbers.mean_degree.about", per_partner=number(e / summary["partners"], ".2f"),
                   per_project=number(e / summary["projects"], ".2f")) if both else ""),
        row("alone", number(summary["partners_without_copartner"])),
        row("communities", number(summary["communities"])),
        row("modularity", number(summary["modularity"], ".3f")),
    ]
    period = _period(analysis)
    if period is not None:
        start, end, dated = period
        numbers.append(row(
            "period", L.text("report.numbers.period.value", start=L.date(start), end=L.date(end)),
            plural("report.numbers.period.about", dated, projects=number(summary["projects"])),
        ))
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
        values = partners[c].to_numpy(dtype=float)
        t = partners.iloc[np.argsort(values if c in LOWEST_FIRST else -values, kind="stable")[:TOP_ROWS]]
        top.append({
            "key": c,
            "label": metric_label(c, lang),
            "about": _sentence(metric_meaning(c, lang)),
            "how": _sentence(metric_definition(c, lang)),
            "lowest": c in LOWEST_FIRST,
            "rows": [
                {"name": r["name"], "value": _format(r[c], L), "community": number(int(r["community"])),
                 "community_name": names.get(int(r["community"]), ""), "color": community_color(int(r["community"]))}
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
            by_community.setdefault(c, []).append(f"{v} {L.percent(k / m)}")
        for c, texts in by_community.items():
            shares.setdefault(c, []).append(f"{col.replace('_', ' ')}: {', '.join(texts)}")
    links = set(maps)
    rows = []
    for _, r in communities.head(REPORT_COMMUNITIES).iterrows():
        c = int(r["community"])
        rows.append({
            "community": number(c),
            "name": str(r["name"]),
            "color": community_color(c),
            "partners": number(int(r["partners"])),
            "projects": number(int(r["projects"])),
            "internal": number(int(r["internal_weight"])),
            "composition": "; ".join(shares.get(c, [])),
            "top": r["top_partners"],
            "link": community_map_name(c) if community_map_name(c) in links else "",
        })
    charts = [
        _histogram(L, "per_partner", partners["degree"].to_numpy(), "partners"),
        _histogram(L, "per_project", projects["degree"].to_numpy(), "projects"),
    ] if "degree" in partners.columns else []
    drawn = summary.get("map", {})
    method = summary.get("community_method", {}).get("name", "leiden")
    if method == "bipartite":
        method_text = L.text("report.communities.bipartite")
    else:
        method_text = L.text("report.communities.projection",
                             method=L.text(f"report.communities.methods.{method}"))
    community_maps = [
        {"href": name, "label": L.text("report.maps.community", number=number(c), name=names.get(c, ""))}
        for c, name in sorted((_map_number(name), name) for name in maps)
    ]
    apart = _apart(analysis)
    return _template("report.html").render(
        lang=L.code,
        t=L.text,
        markup=lambda key, **values: markupsafe.escape(L.text(key)).format(**values),
        markup_code=lambda text: markupsafe.Markup("<code>{}</code>").format(text),
        plural=plural,
        number=number,
        style=style("report.css"),
        apart=apart,
        title=summary["dataset"],
        numbers=numbers,
        top=top,
        communities=rows,
        more_communities=max(0, len(communities) - REPORT_COMMUNITIES),
        charts=charts,
        maps=community_maps,
        drawn=drawn,
        xlsx=xlsx,
        summary=summary,
        method_text=method_text,
    )


def _map_number(name: str) -> int:
    """The community a map's file name is of (``communities/community-12.html`` -> 12): maps in numeric order."""
    found = re.search(r"(\d+)\.html$", name)
    return int(found.group(1)) if found else 0


def _sentence(text: str) -> str:
    """A glossary phrase as a sentence: capital first letter, final stop."""
    return text[:1].upper() + text[1:] + "." if text else ""


def _period(analysis: Analysis) -> tuple[str, str, int] | None:
    """The first start and last end of the dated projects (ISO), and how many projects are dated; None if none."""
    dates = project_dates(analysis.participations)
    table = dates.table()
    dated = (table["start"] != "") & (table["end"] != "")
    if not dated.any():
        return None
    return str(table.loc[dated, "start"].min()), str(table.loc[dated, "end"].max()), int(dated.sum())


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


def _histogram(L: Language, key: str, degrees: np.ndarray, noun: str) -> dict:
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
    title = L.text(f"report.degrees.{key}")
    bars = []
    for i, (label, k) in enumerate(bins):
        h = round((height - 2 * pad) * k / most, 1)
        bars.append({
            "x": i * bar + 4, "w": bar - 8, "y": round(height - pad - h, 1), "h": h,
            "label": label, "count": L.number(k), "cx": i * bar + bar // 2,
            "title": L.text(f"report.degrees.bar_{noun}", range=label, count=L.number(k)),
        })
    return {"title": title, "label": L.text(f"report.degrees.chart_{noun}", title=title), "bars": bars,
            "width": width, "height": height, "base": height - pad}


def _format(value, L: Language) -> str:
    if isinstance(value, (int, np.integer)):
        return L.number(int(value))
    v = float(value)
    return L.number(v, ".4g") if not math.isnan(v) else ""


_UNBROKEN = re.compile(r"[^\s\-/‐–—]{17,}")  # a run of 17+ characters with no space or hyphen to wrap at


def _breakable(text) -> markupsafe.Markup:
    """``text`` escaped, with a line-break opportunity (``<wbr>``) every 10 characters of any run of 17 or
    more with no space or hyphen, so a long name (``WIRTSCHAFTSFORDERUNGSGESELLSCHAFT``, a web address)
    wraps in a narrow column instead of widening the table past the page.

    >>> _breakable("Comune di <Bologna>"), _breakable("TEKNISK-NATURVITENSKAPELIGEUNIVERSITET")
    (Markup('Comune di &lt;Bologna&gt;'), Markup('TEKNISK-NATURVITEN<wbr>SKAPELIGEU<wbr>NIVERSITET'))
    """
    out, last = [], 0
    text = str(text)
    for found in _UNBROKEN.finditer(text):
        out.append(markupsafe.escape(text[last:found.start()]))
        run = found.group()
        out.append(markupsafe.Markup("<wbr>").join(markupsafe.escape(run[i:i + 10]) for i in range(0, len(run), 10)))
        last = found.end()
    out.append(markupsafe.escape(text[last:]))
    return markupsafe.Markup("").join(out)


@lru_cache(maxsize=None)
def _template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("ecosys", "templates"), autoescape=True)
    environment.filters["breakable"] = _breakable
    return environment.get_template(name)


# -- the workbook ----------------------------------------------------------------------------------


def render_xlsx(sheets: dict[str, pd.DataFrame], summary: dict | None = None, *,
                lang: str = DEFAULT_LANGUAGE) -> bytes:
    """An Excel workbook, one sheet per table (and a summary sheet), as bytes.

    Sheet names and column headers are in the language ``lang``
    (``workbook.json``, and ``metrics.json`` for the metrics): a table called
    ``partners``, ``projects`` or ``communities`` gets its sheet name there, a
    column its header ("Centralità di intermediazione" for ``betweenness``);
    input attributes keep their own names. Written with XlsxWriter: every text
    cell as text (never a formula or a link) and formula-guarded like the CSV
    tables; numbers as numbers. The workbook's dates are fixed, so the same
    tables give the same bytes.

    >>> data = render_xlsx({"partners": pd.DataFrame({"name": ["=1+1", "Comune"], "degree": [3, 1]})}, lang="it")
    >>> import openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [[c.value for c in row] for row in book["Partner"].iter_rows()]
    (['Partner'], [['Nome', 'Grado'], ["'=1+1", 3], ['Comune', 1]])
    """
    import xlsxwriter

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
            ws.write_string(i, 0, guard_formula(words["summary"].get(k, k)), bold)
            _cell(ws, i, 1, v)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 40)
    for name, table in sheets.items():
        ws = book.add_worksheet(_sheet_name(words["sheets"].get(name, name)))
        columns = [column_header(str(c), lang, communities=name == "communities") for c in table.columns]
        for j, c in enumerate(columns):
            ws.write_string(0, j, guard_formula(c), bold)
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
            ws.write_string(row, col, guard_formula(text))


# -- writing -----------------------------------------------------------------------------------------


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a rename.

    >>> write_text(Path(tempfile.mkdtemp()) / "a.txt", "città\\n").read_bytes()
    b'citt\\xc3\\xa0\\n'
    """
    return _write(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    >>> write_bytes(Path(tempfile.mkdtemp()) / "a.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    return _write(path, data)


def _write(path: Path, data: bytes) -> Path:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise EcosysError(f"{path.parent}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def guard_formula(value):
    """Prefix an apostrophe to text a spreadsheet would run as a formula.

    >>> guard_formula("@SUM(A1)"), guard_formula("-1"), guard_formula("Comune"), guard_formula(3)
    ("'@SUM(A1)", "'-1", 'Comune', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """A table as spreadsheet-safe CSV text (see the module docstring).

    >>> print(csv_text(pd.DataFrame({"name": ["=cmd()", "Comune"], "share": [0.1234567, 2.0]})), end="")
    name,share
    '=cmd(),0.123457
    Comune,2
    """
    return _csv(table)


def _csv(table: pd.DataFrame) -> str:
    """A table as CSV text: floats to 6 significant digits, text formula-guarded (see :func:`guard_formula`)."""
    columns = {}
    for c in table.columns:
        values = table[c]
        if pd.api.types.is_float_dtype(values):
            columns[guard_formula(c)] = ["" if x != x else "%.6g" % x for x in values.tolist()]
        elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            columns[guard_formula(c)] = values.to_numpy()
        else:  # a comprehension: ten times faster than Series.map on 67,000 rows
            columns[guard_formula(c)] = [
                "'" + v if type(v) is str and v[:1] in _FORMULA_FIRST else v for v in values.tolist()
            ]
    return pd.DataFrame(columns, index=table.index).to_csv(index=False, lineterminator="\n")
