"""The evolution page (``index.html``) and every file ``ecosys evolution`` writes.

The page is one static file, like the report: no script at all, nothing
loaded from anywhere (a Content-Security-Policy forbids it), its styles
inlined from ``ecosys/static/evolution.css`` and its charts inline SVG
(:mod:`ecosys.evolution.charts`). Every word comes from
``ecosys/lang/<code>/evolution.json`` and numbers are written the way the
language writes them (:mod:`ecosys.i18n`). Names from the data are text:
Jinja escapes them (``autoescape``).

Example
-------
>>> from ecosys.evolution import evolve
>>> from ecosys.pipeline import demo_path
>>> files = evolution_outputs(evolve(demo_path(), by="programme"), lang="it")
>>> list(files)
['periods.csv', 'partners_over_time.csv', 'newcomers.csv', 'core.csv', 'community_events.csv', 'evolution.json', 'index.html']
>>> '<html lang="it">' in files["index.html"]
True
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from .. import __version__
from ..assets import environment, style
from ..errors import EcosysError
from ..files import write_text
from ..i18n import DEFAULT_LANGUAGE, Language, language
from ..limits import bounded
from ..safe import csv_text, json_text
from .charts import EVENT_COLORS, alluvial, bar_chart, line_chart
from .events import EVENTS, event_counts
from .pipeline import Evolution
from .section import newcomers_sentence

__all__ = ["ALLUVIAL_COMMUNITIES", "LARGEST_EVENTS", "OUTPUTS", "evolution_outputs", "render_evolution",
           "write_evolution"]

OUTPUTS = ("periods.csv", "partners_over_time.csv", "newcomers.csv", "core.csv", "community_events.csv",
           "evolution.json", "index.html")
ALLUVIAL_COMMUNITIES = 8  # communities drawn in each period of the alluvial diagram
LARGEST_EVENTS = 15  # events listed on the page, the largest first


def write_evolution(evolution: Evolution, out: str | Path, *, lang: str = DEFAULT_LANGUAGE) -> list[Path]:
    """Write every output of ``evolution`` into the folder ``out`` (created if needed); return the paths.

    Each file is written whole or not at all (:func:`ecosys.report.write_text`).

    >>> import tempfile
    >>> from ecosys.evolution import evolve
    >>> from ecosys.pipeline import demo_path
    >>> out = Path(tempfile.mkdtemp()) / "over-time"
    >>> [p.name for p in write_evolution(evolve(demo_path(), by="programme"), out)][-1]
    'index.html'
    """
    contents = evolution_outputs(evolution, lang=lang)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    return [write_text(out / name, text) for name, text in contents.items()]


def evolution_outputs(evolution: Evolution, *, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every output file's text by name (see :data:`OUTPUTS`), computed in memory.

    >>> from ecosys.evolution import evolve
    >>> from ecosys.pipeline import demo_path
    >>> files = evolution_outputs(evolve(demo_path(), by="programme"))
    >>> files["periods.csv"].splitlines()[0][:60]
    'period,start,end,partners,projects,participations,new_partne'
    """
    return {
        "periods.csv": csv_text(evolution.periods),
        "partners_over_time.csv": csv_text(evolution.partners),
        "newcomers.csv": csv_text(evolution.newcomers),
        "core.csv": csv_text(evolution.core),
        "community_events.csv": csv_text(evolution.events),
        "evolution.json": json_text(evolution.summary()),
        "index.html": render_evolution(evolution, lang=lang),
    }


def render_evolution(evolution: Evolution, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The page: the periods in numbers, trend charts, newcomers, the core, communities over time.

    >>> from ecosys.evolution import evolve
    >>> from ecosys.pipeline import demo_path
    >>> page = render_evolution(evolve(demo_path(), by="programme"))
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, False)
    """
    L = language(lang)
    words = _Words(L)
    e = evolution
    labels = e.labels
    moves, core, periods = e.newcomers, e.core, e.periods
    top = int(e.parameters["top"])
    counts = event_counts(e.events, labels[1:])
    integer = words.integer
    share = words.share
    charts = [
        ("partners", line_chart(labels, [(words("charts.partners"), periods["partners"])], fmt=integer)),
        ("projects", line_chart(labels, [(words("charts.projects"), periods["projects"])], fmt=integer)),
        ("density", line_chart(labels, [(words("charts.density"), periods["density"])],
                               fmt=lambda v: L.number(v, ".2g"))),
        ("giant_share", line_chart(labels, [(words("charts.giant_share"), periods["giant_share"])], top=1,
                                   fmt=share)),
        ("newcomers", bar_chart(labels, [
            (words("charts.new"), moves["new_partners"], "#117733"),
            (words("charts.returning"), moves["returning_partners"], "#DDCC77"),
            (words("charts.staying"), moves["staying_partners"], "#BBBBBB"),
        ], fmt=integer)),
    ]
    core_chart = line_chart(labels, [(words("charts.top", top=top), core["top_jaccard"]),
                                     (words("charts.innermost"), core["core_jaccard"])], top=1,
                            fmt=lambda v: L.number(v, ".2f"))
    events_chart = bar_chart(labels[1:], [(words(f"events.{k}"), counts[k], EVENT_COLORS[k]) for k in EVENTS],
                             fmt=integer)
    flows = alluvial(e.communities, labels, e.lineage, e.names, most=ALLUVIAL_COMMUNITIES,
                     min_size=int(e.parameters["min_size"]), fmt=integer,
                     words={k: words(f"alluvial.{k}") for k in ("community", "partners", "other")})
    # the texts from the input (names, period labels, paths) shortened as on every page (ecosys.limits)
    text = bounded({
        "title": words("page_title", dataset=e.participations.name),
        "heading": words("heading", dataset=e.participations.name),
        "byline": words("byline", version=__version__, path=e.participations.source, seed=e.parameters["seed"]),
        "intro": _intro(e, words),
        "findings": _findings(e, words, counts),
        "periods": _period_rows(periods, words),
        "newcomers": _newcomer_rows(moves, words),
        "core": _core_rows(core, words),
        "largest": _largest_events(e, words),
    })
    return _template().render(
        lang=L.code,
        **text,
        t=words,
        style=style("evolution.css"),
        chart_style=style("charts.css"),
        charts=[{"key": k, "title": words(f"charts.{k}"), **c} for k, c in charts],
        newcomer_legend=[(words(f"charts.{k}"), c) for k, c in
                         (("new", "#117733"), ("returning", "#DDCC77"), ("staying", "#BBBBBB"))],
        core_chart=core_chart,
        top=top,
        events_chart=events_chart,
        event_legend=[(words(f"events.{k}"), EVENT_COLORS[k]) for k in EVENTS],
        flows=flows,
        most=ALLUVIAL_COMMUNITIES,
        threshold=L.number(float(e.parameters["threshold"]), ".2g"),
        min_size=integer(e.parameters["min_size"]),
        method=_method(e, words),
    )


class _Words:
    """This language's strings of the page, and its ways of writing numbers."""

    def __init__(self, L: Language):
        self.L = L

    def __call__(self, key: str, **values) -> str:
        return self.L.text(f"evolution.{key}", **values)

    def integer(self, value) -> str:
        return self.L.number(value, ",d")

    def share(self, value) -> str:
        return self.L.percent(value, 0 if value in (0, 1) else 1)

    def maybe(self, value, spec: str) -> str:
        """A number, or a dash where there is none."""
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return self("blank")
        return self.L.number(value, spec)


@cache
def _template() -> jinja2.Template:
    return environment().get_template("evolution.html")


def _intro(e: Evolution, words: _Words) -> list[str]:
    line = e.timeline
    p = e.parameters
    labels = line.labels
    first = line.periods[0].start[:4] or labels[0]
    last = line.periods[-1].end[:4] or labels[-1]
    if line.kind == "value":
        out = [words("kind.value", column=line.column),
               words("order.dated" if e.dates is not None else "order.plain")]
    else:
        out = [words(f"kind.{line.kind}", first=first, last=last, window=p.get("window") or 1, step=p.get("step", 1))]
    d = e.dates
    if d is not None and d.start_column is not None:
        out.append(words("dates.columns_end", start=d.start_column, end=d.end_column) if d.end_column
                   else words("dates.columns", start=d.start_column))
        if line.kind != "value":
            out.append(words("dates.undated", undated=words.integer(d.undated), projects=words.integer(len(d.keys))))
        if d.problems:
            out.append(words("dates.problems", problems=words.integer(len(d.problems))))
        if line.kind != "value":
            out.append(words("dates.rule"))
    return out


def _findings(e: Evolution, words: _Words, counts: pd.DataFrame) -> list[str]:
    periods, moves, core = e.periods, e.newcomers, e.core
    labels = e.labels
    partners = periods["partners"].to_numpy()
    peak = int(np.argmax(partners))
    key = "summary.partners_no_peak" if partners[peak] in (partners[0], partners[-1]) else "summary.partners"
    out = [words(key, first=words.integer(partners[0]), first_period=labels[0],
                 last=words.integer(partners[-1]), last_period=labels[-1], peak=words.integer(partners[peak]),
                 peak_period=labels[peak])]
    later = moves.iloc[1:]
    active = later["partners"].to_numpy()
    if len(later) and active.sum():
        out.append(newcomers_sentence(words.L, later["new_partners"].to_numpy(), active))
        entry = _nanmedian(later["entry_pagerank_percentile"])
        staying = _nanmedian(later["staying_pagerank_percentile"])
        following = _nanmedian(later["next_pagerank_percentile"])
        if not math.isnan(entry) and not math.isnan(staying):
            key = "summary.margin" if entry < staying - 5 else "summary.margin_level"
            key += "_no_next" if math.isnan(following) else ""  # no period after the newcomers' entry
            out.append(words(key, entry=words.maybe(entry, ".0f"), staying=words.maybe(staying, ".0f"),
                             next=words.maybe(following, ".0f")))
    kept = core["top_kept"].iloc[1:].astype(float)
    if len(kept) and kept.notna().any():
        out.append(words("summary.core", top=words.integer(int(core["top"].max())),
                         kept=words.maybe(float(kept.mean()), ".0f"),
                         jaccard=words.maybe(float(core["top_jaccard"].iloc[1:].mean()), ".2f")))
    total = counts.sum()
    out.append(words("summary.communities", min_size=words.integer(e.parameters["min_size"]),
                     **{k: words.integer(int(total.get(k, 0))) for k in EVENTS}))
    return out


def _nanmedian(values) -> float:
    values = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy()
    return float(np.median(values)) if len(values) else float("nan")


def _period_rows(periods: pd.DataFrame, words: _Words) -> list[list[str]]:
    rows = []
    for r in periods.itertuples(index=False):
        rows.append([
            r.period, words.integer(r.partners), words.integer(r.projects), words.integer(r.participations),
            words.integer(r.new_partners), words.integer(r.leaving_partners), words.maybe(r.density, ".2g"),
            words.share(r.giant_share), words.maybe(r.mean_distance, ".2f"), words.integer(r.communities),
            words.maybe(r.modularity, ".3f"),
        ])
    return rows


def _newcomer_rows(moves: pd.DataFrame, words: _Words) -> list[list[str]]:
    rows = []
    for r in moves.itertuples(index=False):
        rows.append([
            r.period, words.integer(r.new_partners), words.integer(r.returning_partners),
            words.integer(r.staying_partners), words.integer(r.leaving_partners),
            words.maybe(r.entry_pagerank_percentile, ".0f"), words.maybe(r.next_pagerank_percentile, ".0f"),
            words.maybe(r.staying_pagerank_percentile, ".0f"), words.maybe(r.entry_core, ".2f"),
            words.maybe(r.next_core, ".2f"),
            words.share(r.next_active_share) if not math.isnan(r.next_active_share) else words("blank"),
        ])
    return rows


def _core_rows(core: pd.DataFrame, words: _Words) -> list[list[str]]:
    return [[r.period, words.maybe(r.top_kept, ",d"), words.maybe(r.top_jaccard, ".2f"), words.integer(r.core_k),
             words.integer(r.core_partners), words.maybe(r.core_kept, ",d"), words.maybe(r.core_jaccard, ".2f")]
            for r in core.itertuples(index=False)]


def _largest_events(e: Evolution, words: _Words) -> list[list[str]]:
    """The largest merges, splits, births and deaths; a pair of communities in a merge and a split listed once."""
    t = e.events[e.events["event"].isin(["merge", "split", "birth", "death"])]
    if not len(t):
        return []
    size = np.maximum(t["partners_before"].fillna(0).to_numpy(dtype=float),
                      t["partners_after"].fillna(0).to_numpy(dtype=float))
    t = t.assign(size=size, order=np.arange(len(t))).sort_values(["size", "order"], ascending=[False, True],
                                                                  kind="stable")
    rows, seen = [], {}

    def side(community, partners, name):
        if community is pd.NA:
            return words("blank")
        label = f"{community}" + (f" · {name}" if name else "")
        return words("event_side", community=label, partners=words.integer(partners))

    for r in t.itertuples(index=False):
        key = (r.period, r.community_before, r.community_after) if r.event in ("merge", "split") else None
        if key is not None and key in seen:
            seen[key][1] += ", " + words(f"events.{r.event}")
            continue
        if len(rows) == LARGEST_EVENTS:
            break
        row = [r.period, words(f"events.{r.event}"), side(r.community_before, r.partners_before, r.name_before),
               side(r.community_after, r.partners_after, r.name_after), words.maybe(r.shared_partners, ",d"),
               words.maybe(r.jaccard, ".2f")]
        rows.append(row)
        if key is not None:
            seen[key] = row
    return rows


def _method(e: Evolution, words: _Words) -> list[str]:
    p = e.parameters
    out = [words("method.snapshots", method=p["method"], seed=p["seed"])]
    sampled = [x["period"] for x in e.estimation if x.get("distance_sources", 0) < x.get("partners", 0)]
    if sampled and len(sampled) == len(e.estimation):
        out.append(words("method.distance_everywhere"))
    else:
        out.append(words("method.distance", periods=", ".join(sampled)) if sampled else words("method.distance_exact"))
    out.append(words("method.files"))
    return out
