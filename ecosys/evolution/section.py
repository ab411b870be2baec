"""The report's section "How the ecosystem changed": the year-by-year trends as sentences and charts.

:func:`trend_section` turns :class:`ecosys.evolution.trends.Trends` into
what ``templates/report.html`` draws: a few sentences (the words of
``ecosys evolution``'s summary, ``evolution.json``), the trend charts as
geometry (:mod:`ecosys.evolution.charts`: partners, projects, density, the
giant component's share, partners new, returning and staying), the core's
stability and the community events per year. The template draws them with
the chart macros it shares with the evolution page (``templates/charts.html``).

Example
-------
>>> import io
>>> from ecosys.pipeline import analyze
>>> from ecosys.evolution.trends import trends
>>> rows = b"org,project,year\\nA,P1,2019\\nB,P1,2019\\nA,P2,2020\\nC,P2,2020\\n"
>>> s = trend_section(trends(analyze(io.BytesIO(rows))))
>>> [c["key"] for c in s["charts"]], s["findings"][0]
(['partners', 'projects', 'density', 'giant_share', 'newcomers'], 'Active partners went from 2 in 2019 to 2 in 2020.')
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..i18n import DEFAULT_LANGUAGE, language
from .charts import EVENT_COLORS, bar_chart, line_chart
from .events import EVENTS, event_counts
from .trends import Trends

__all__ = ["STATUS_COLORS", "findings", "newcomers_sentence", "trend_section"]

STATUS_COLORS = (("new", "#117733"), ("returning", "#DDCC77"), ("staying", "#BBBBBB"))


def trend_section(trends: Trends, *, lang: str = DEFAULT_LANGUAGE, participations: int = 0, limit: int = 0) -> dict:
    """What the report's section draws: ``reason`` (None, or why there is no section: a sentence; for
    trends not computed, ``participations`` and ``limit`` are the table's and the limit's), and
    when there are trends ``findings`` (sentences), ``charts`` (``key``, ``title`` and the chart's
    geometry), ``legend`` (status, colour), ``core_chart``, ``core_legend``, ``events_chart``, ``event_legend``.

    >>> import io
    >>> from ecosys.pipeline import analyze
    >>> from ecosys.evolution.trends import trends
    >>> trend_section(trends(analyze(io.BytesIO(b"org,project\\nA,P1\\n"))), lang="it")["reason"].split(":")[0]
    'Nessuna sezione su come è cambiato l’ecosistema'
    """
    L = language(lang)
    if trends.reason is not None:
        d = trends.dates
        dated = len(d.keys) - d.undated
        return {"reason": L.text(f"report.trends.none_{trends.reason}", dated=L.number(dated),
                                 projects=L.number(len(d.keys)), year=trends.labels[0] if trends.labels else "",
                                 participations=L.number(participations), limit=L.number(limit),
                                 command="ecosys report INPUT --trends")}
    labels, periods, core = trends.labels, trends.periods, trends.core
    integer = L.number
    share = lambda v: L.percent(v, 0 if v in (0, 1) else 1)  # noqa: E731
    word = lambda key, **v: L.text(f"evolution.charts.{key}", **v)  # noqa: E731
    charts = [
        ("partners", line_chart(labels, [(word("partners"), periods["partners"])], fmt=integer)),
        ("projects", line_chart(labels, [(word("projects"), periods["projects"])], fmt=integer)),
        ("density", line_chart(labels, [(word("density"), periods["density"])], fmt=lambda v: L.number(v, ".2g"))),
        ("giant_share", line_chart(labels, [(word("giant_share"), periods["giant_share"])], top=1, fmt=share)),
        ("newcomers", bar_chart(labels, [(word(k), periods[f"{k}_partners"], c) for k, c in STATUS_COLORS],
                                fmt=integer)),
    ]
    counts = event_counts(trends.events, labels[1:])
    core_chart = line_chart(labels, [(word("top", top=trends.top), core["top_jaccard"]),
                                     (word("innermost"), core["core_jaccard"])], top=1, fmt=lambda v: L.number(v, ".2f"))
    return {
        "reason": None,
        "findings": findings(trends, lang=lang),
        "charts": [{"key": k, "title": word(k), **c} for k, c in charts],
        "legend": [(word(k), c) for k, c in STATUS_COLORS],
        "core_chart": core_chart,
        "core_legend": [(line["name"], line["color"]) for line in core_chart["lines"]],
        "core_title": word("core"),
        "events_chart": bar_chart(labels[1:], [(L.text(f"evolution.events.{k}"), counts[k], EVENT_COLORS[k])
                                               for k in EVENTS], fmt=integer),
        "events_title": word("events"),
        "event_legend": [(L.text(f"evolution.events.{k}"), EVENT_COLORS[k]) for k in EVENTS],
    }


def findings(trends: Trends, *, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """What changed, in a few sentences: partners, newcomers, the core, the communities.

    >>> import io
    >>> from ecosys.pipeline import analyze
    >>> from ecosys.evolution.trends import trends
    >>> rows = b"org,project,year\\nA,P1,2019\\nB,P1,2019\\nA,P2,2020\\nC,P2,2020\\nD,P3,2021\\n"
    >>> findings(trends(analyze(io.BytesIO(rows)), top=1, min_size=1), lang="it")[1]
    'Dopo il primo periodo, in ogni periodo 1 partner ha partecipato per la prima volta: in media il 75% dei partner attivi.'
    """
    L = language(lang)
    periods, core, labels = trends.periods, trends.core, trends.labels
    integer = L.number
    partners = periods["partners"].to_numpy()
    peak = int(np.argmax(partners))
    key = "partners_no_peak" if partners[peak] in (partners[0], partners[-1]) else "partners"
    out = [L.text(f"evolution.summary.{key}", first=integer(partners[0]), first_period=labels[0],
                  last=integer(partners[-1]), last_period=labels[-1], peak=integer(partners[peak]),
                  peak_period=labels[peak])]
    later = periods.iloc[1:]
    active, new = later["partners"].to_numpy(), later["new_partners"].to_numpy()
    if len(later) and active.sum():
        out.append(newcomers_sentence(L, new, active))
    kept = core["top_kept"].iloc[1:].astype(float)
    if len(kept) and kept.notna().any():
        out.append(L.text("evolution.summary.core", top=integer(int(core["top"].max())),
                          kept=L.number(float(kept.mean()), ".0f"),
                          jaccard=L.number(float(core["top_jaccard"].iloc[1:].mean()), ".2f")))
    total = event_counts(trends.events, labels[1:]).sum()
    out.append(L.text("evolution.summary.communities", min_size=integer(trends.min_size),
                      **{k: integer(int(total.get(k, 0))) for k in EVENTS}))
    return out


def newcomers_sentence(L, new, active) -> str:
    """How many partners took part for the first time after the first period (``new`` and ``active``
    per later period): "between 3 and 9", or one count when it is the same every period.

    >>> newcomers_sentence(language("it"), [6, 6], [10, 12])[:56]
    'Dopo il primo periodo, in ogni periodo 6 partner hanno p'
    """
    new, active = np.asarray(new), np.asarray(active)
    shown = active > 0
    mean = float(np.mean(new[shown] / active[shown])) if shown.any() else math.nan
    values = dict(least=L.number(int(new.min())), most=L.number(int(new.max())),
                  share=L.percent(mean, 0 if round(mean * 100, 1).is_integer() else 1) if not pd.isna(mean)
                  else L.text("evolution.blank"))
    if new.min() != new.max():
        return L.text("evolution.summary.newcomers", **values)
    return L.text(f"evolution.summary.newcomers_same.{'one' if new.min() == 1 else 'other'}", **values)
