"""The report page ``index.html``: what a coordinator reads first, in the language asked for.

One static page (no script, nothing loaded): the dataset in numbers, the
partners that stand out on each measure (its technical name, a sentence in
plain words and how it is computed), the communities with their names, who is
on their own, the degree distribution and links to the maps and tables. Every
word comes from the language files (``ecosys/lang/<code>/report.json`` and
``metrics.json``, read by :mod:`ecosys.i18n`); numbers and dates are written
the language's way. The styles are ``ecosys/static/report.css``, inlined
(:mod:`ecosys.assets`). :mod:`ecosys.report` writes the page with the other
outputs.

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.report_page import render_report
>>> page = render_report(analyze(demo_path()), lang="it")
>>> '<h2 id="numbers-heading">La rete in cifre</h2>' in page, "0,727" in page
(True, True)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import jinja2
import markupsafe
import numpy as np
import pandas as pd

from .assets import environment, style
from .dates import ProjectDates
from .evolution.section import trend_section
from .evolution.trends import Trends
from .glossary import metric_definition, metric_label, metric_meaning
from .i18n import DEFAULT_LANGUAGE, Language, language
from .limits import bounded
from .maps import community_color, community_map_name, ranked
from .pipeline import Analysis
from .profiles import composition

__all__ = ["LOWEST_FIRST", "REPORT_COMMUNITIES", "TOP_ROWS", "render_report"]

TOP_ROWS = 10  # partners listed under each metric in the report
REPORT_COMMUNITIES = 20  # communities described in the report
REPORT_ALONE = 20  # partners without a co-partner listed by name
REPORT_GROUPS = 10  # groups apart from the largest, described
LOWEST_FIRST = frozenset({"constraint"})  # metrics where a low value stands out (Burt: spans structural holes)
_DEGREE_BINS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, None)]


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
    trends: Trends | None = None,
    trends_max: int = 0,
) -> str:
    """The report ``index.html``: the dataset in numbers, top partners, communities, degrees, links.

    ``summary`` and the tables are those of ``analysis`` (computed here when
    not given); ``summary["map"]`` says what ``map.html`` draws, ``maps``
    lists the community maps written beside it, ``xlsx`` whether
    ``ecosys.xlsx`` is. ``trends`` (:func:`ecosys.evolution.trends.trends`)
    adds the section "How the ecosystem changed", or the line saying why
    there is none (``trends_max``: the participations past which trends are
    computed only on request). Every word comes from the language ``lang``'s
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
    period = _period(analysis.dates)
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
        t = partners.iloc[ranked(values if c in LOWEST_FIRST else -values, TOP_ROWS)]
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
    described = communities["community"].head(REPORT_COMMUNITIES).to_numpy()
    listed = np.isin(partners["community"].to_numpy(), described)  # a community's shares are its partners' alone
    for col in composition_columns:
        # partners come most central first: a tie goes to the value of the more central partner
        values = composition(partners["community"].to_numpy()[listed], partners[col].to_numpy()[listed])
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
        chart_style=style("charts.css") if trends is not None and trends.reason is None else "",
        trends=trend_section(trends, lang=lang, participations=len(analysis.network.edges),
                             limit=trends_max) if trends is not None else None,
        trends_top=trends.top if trends is not None else 0,
        trends_min_size=trends.min_size if trends is not None else 0,
        **bounded(dict(  # no name repeated whole in the page, however long (the tables hold it whole)
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
        )),
    )


def _map_number(name: str) -> int:
    """The community a map's file name is of (``communities/community-12.html`` -> 12): maps in numeric order."""
    found = re.search(r"(\d+)\.html$", name)
    return int(found.group(1)) if found else 0


def _sentence(text: str) -> str:
    """A glossary phrase as a sentence: capital first letter, final stop."""
    return text[:1].upper() + text[1:] + "." if text else ""


def _period(dates: ProjectDates) -> tuple[str, str, int] | None:
    """The first start and last end of the dated projects (ISO), and how many projects are dated; None if none."""
    dated = ~np.isnat(dates.start) & ~np.isnat(dates.end)
    if not dated.any():
        return None
    return str(dates.start[dated].min()), str(dates.end[dated].max()), int(dated.sum())


def _apart(analysis: Analysis) -> dict:
    """Who is on their own: partners sharing no project with anyone, and the groups (connected
    components) apart from the largest, largest first."""
    data = analysis.node_table
    npart = data.n_partners
    names = data.table["name"].iloc[:npart].astype(str).to_numpy()  # partners' (the only ones named here)
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
    return environment(breakable=_breakable).get_template(name)
