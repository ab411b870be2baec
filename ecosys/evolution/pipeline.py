"""The whole evolution in one call: read, find the dates, cut periods, analyse each, compare them.

The reading, the dates and the node index (every partner's row in the
period-by-partner arrays) are computed once; each period is analysed as a
snapshot on its own participations (:func:`ecosys.pipeline.analyze`: graph,
projection, metrics, communities; seeded), which must be computed again,
since a partner's position depends on who else is active. The comparisons
(newcomers, the core, community events) run on the per-period arrays.

Example
-------
>>> import io
>>> from ecosys.evolution import evolve
>>> rows = b"org,project,start,end\\nA,P1,2019,2020\\nB,P1,2019,2020\\nB,P2,2020,2021\\nC,P2,2020,2021\\nD,P3,2021,2021\\n"
>>> e = evolve(io.BytesIO(rows), min_size=1)
>>> e.periods[["period", "partners", "new_partners", "leaving_partners"]].values.tolist()
[['2019', 2, 2, 0], ['2020', 3, 1, 0], ['2021', 3, 1, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..dates import MIN_DATED, ProjectDates, project_dates, require_dates
from ..errors import InputError
from ..graph import MAX_PAIRS, PARTNER
from ..metrics import DEFAULT_BUDGET
from ..pipeline import analyze
from ..profiles import community_names
from ..read import Participations, read_participations
from .events import CHANGE, EVENTS, MIN_SIZE, THRESHOLD, community_events, event_counts
from .periods import Timeline, timeline
from .snapshots import FIGURES, network_figures, partner_rows
from .turnover import TOP, core_stability, turnover

__all__ = ["Evolution", "PERIOD_COLUMNS", "evolve"]

# periods.csv, in this order (issue 13)
PERIOD_COLUMNS = ("period", "start", "end", "partners", "projects", "participations", "new_partners",
                  "leaving_partners", *FIGURES[3:])


@dataclass(frozen=True, eq=False)
class Evolution:
    """Everything ``ecosys evolution`` computed: one table per question, and the arrays behind them.

    ``periods`` (``periods.csv``: :data:`PERIOD_COLUMNS`, one row per
    period in time order), ``partners`` (``partners_over_time.csv``: one row
    per partner and period it is active in), ``newcomers``
    (``newcomers.csv``: :func:`ecosys.evolution.turnover.turnover`),
    ``core`` (``core.csv``: :func:`ecosys.evolution.turnover.core_stability`)
    and ``events`` (``community_events.csv``:
    :func:`ecosys.evolution.events.community_events`). ``communities`` holds
    each partner's community in each period (0: not active), partners in
    ``timeline.partners`` order; ``names`` each period's community names;
    ``lineage`` the lineage of each tracked ``(period index, community)``.

    >>> from ecosys.evolution import evolve
    >>> from ecosys.pipeline import demo_path
    >>> e = evolve(demo_path(), by="programme")
    >>> e.periods["period"].tolist()[:2], e.communities.shape
    (['PON Metro', 'EaSI / ESF+'], (4, 36))
    """

    participations: Participations
    dates: ProjectDates | None
    timeline: Timeline
    periods: pd.DataFrame
    partners: pd.DataFrame
    newcomers: pd.DataFrame
    core: pd.DataFrame
    events: pd.DataFrame
    communities: np.ndarray
    names: tuple[dict, ...]
    lineage: dict
    parameters: dict
    estimation: tuple[dict, ...] = field(default=())

    @property
    def labels(self) -> list[str]:
        """The periods' labels, in order."""
        return self.timeline.labels

    def summary(self) -> dict:
        """The run in numbers, with what is needed to reproduce it (``evolution.json``)."""
        p = self.participations
        counts = event_counts(self.events).sum()
        return {
            "dataset": p.name,
            "ecosys_version": __version__,
            "input": {"path": p.source, "sha256": p.sha256, "partner_column": p.partner_column,
                      "project_column": p.project_column, "rows": p.rows_read},
            "periods": {"kind": self.timeline.kind, "column": self.timeline.column, "count": len(self.timeline),
                        "labels": self.labels},
            "dates": self.dates.summary() if self.dates is not None else None,
            "parameters": self.parameters,
            "events": {event: int(counts.get(event, 0)) for event in EVENTS},
            "estimation": list(self.estimation),
        }


def evolve(
    source: str | Path | Participations,
    *,
    time: str | None = None,
    time_end: str | None = None,
    dates: ProjectDates | None = None,
    window: int | None = None,
    step: int = 1,
    cumulative: bool = False,
    by: str | None = None,
    first: int | None = None,
    last: int | None = None,
    threshold: float = THRESHOLD,
    min_size: int = MIN_SIZE,
    change: float = CHANGE,
    top: int = TOP,
    min_dated: float = MIN_DATED,
    seed: int = 0,
    resolution: float = 1.0,
    budget: float = DEFAULT_BUDGET,
    weighting: str = "count",
    min_shared: int = 1,
    method: str = "leiden",
    runs: int = 1,
    group_by: str | None = None,
    max_project_size: int | None = None,
    max_pairs: int | None = MAX_PAIRS,
    on_period=None,
    **read_options,
) -> Evolution:
    """Analyse a participation table period by period and compare the periods.

    Parameters
    ----------
    source : path, file or Participations
        What :func:`ecosys.read.read_participations` reads (with
        ``read_options``), or a table already read.
    time, time_end : str, optional
        The start and end columns, when not found by name and content
        (:func:`ecosys.dates.project_dates`).
    dates : ProjectDates, optional
        The projects' dates, when already found (``time`` and ``time_end``
        are then not used).
    window, step, cumulative, by, first, last
        The periods: one per year by default (:func:`ecosys.evolution.periods.timeline`).
    threshold, min_size, change
        Community matching (:mod:`ecosys.evolution.events`).
    top : int
        Partners in the top by PageRank whose stability is measured.
    min_dated : float
        The share of projects that must have a start date (periods of time
        only; :func:`ecosys.dates.require_dates`).
    seed, resolution, budget, weighting, min_shared, method, runs, group_by, max_project_size, max_pairs
        The analysis of each period, as :func:`ecosys.pipeline.analyze`.
    on_period : callable, optional
        Called as ``on_period(index, period, figures)`` after each period is
        analysed (to show progress).

    Raises
    ------
    InputError
        When too few projects have dates, or there are fewer than two periods.
    """
    p = source if isinstance(source, Participations) else read_participations(source, **read_options)
    if dates is None:
        dates = project_dates(p, start=time, end=time_end)
    if by is None:
        require_dates(dates, p.source, at_least=min_dated)
    elif dates.start_column is None:
        dates = None
    line = timeline(p, dates, window=window, step=step, cumulative=cumulative, by=by, first=first, last=last)
    if len(line) < 2:
        found = f"{len(line)} period{'s' if len(line) != 1 else ''}" + (f" ({line.labels[0]})" if len(line) else "")
        advice = ("choose another column" if by is not None else
                  "choose the years with --from and --to, a shorter --window, or periods by value with --by COLUMN")
        raise InputError(f"{p.source}: {found}; comparing periods needs at least two: {advice}")
    options = dict(seed=seed, resolution=resolution, budget=budget, weighting=weighting, min_shared=min_shared,
                   method=method, runs=runs, group_by=group_by, max_project_size=max_project_size,
                   max_pairs=max_pairs)
    T, n = len(line), len(line.partners)
    community = np.zeros((T, n), dtype=np.int64)
    pagerank, pct, core = (np.full((T, n), np.nan) for _ in range(3))
    figures, tables, names, estimation = [], [], [], []
    for i, period in enumerate(line.periods):
        subset = line.participations(p, i)
        if len(subset.table) == 0:
            figures.append({k: 0 for k in FIGURES})
            tables.append(None)
            names.append({})
            estimation.append({"period": period.label, "centrality": "none", "distance_sources": 0})
            continue
        a = analyze(subset, **options)
        f, sources = network_figures(a, seed=seed, budget=budget)
        figures.append(f)
        rows = partner_rows(a)
        index = pd.Index(line.partners).get_indexer(rows["partner"].str.slice(len(PARTNER) + 1))
        community[i, index] = rows["community"].to_numpy()
        pagerank[i, index] = rows["pagerank"].to_numpy()
        pct[i, index] = rows["pagerank_percentile"].to_numpy()
        core[i, index] = rows["core"].to_numpy()
        rows.insert(2, "period", period.label)
        tables.append(rows)
        names.append(community_names(a.network, a.node_communities, a.metrics["pagerank"].to_numpy()))
        plan = a.metrics.attrs.get("estimation", {})
        estimation.append({"period": period.label, "centrality": plan.get("method", "exact"),
                           **({"pivots": plan["pivots"]} if "pivots" in plan else {}),
                           "distance_sources": sources, "partners": f["partners"]})
        if on_period is not None:
            on_period(i, period, f)
    moves = turnover(line.partner_active, pct, core)
    periods = pd.DataFrame(figures)
    periods.insert(0, "period", line.labels)
    periods.insert(1, "start", [q.start for q in line.periods])
    periods.insert(2, "end", [q.end for q in line.periods])
    periods["new_partners"] = moves["new_partners"].to_numpy()
    periods["leaving_partners"] = moves["leaving_partners"].to_numpy()
    periods = periods[list(PERIOD_COLUMNS)]
    moves.insert(0, "period", line.labels)
    stability = core_stability(pagerank, core, top=top)
    stability.insert(0, "period", line.labels)
    tracking = community_events(community, line.labels, threshold=threshold, min_size=min_size, change=change)
    events = _named(tracking.events, line.labels, names)
    parameters = {**options, "threshold": threshold, "min_size": min_size, "change": change, "top": top,
                  "window": window, "step": step, "cumulative": cumulative, "by": by, "first": first, "last": last}
    if parameters["budget"] == float("inf"):
        parameters["budget"] = "exact"
    return Evolution(p, dates, line, periods, _over_time(tables, line), moves, stability, events, community,
                     tuple(names), tracking.lineage, parameters, tuple(estimation))


def _named(events: pd.DataFrame, labels: list[str], names: list[dict]) -> pd.DataFrame:
    """The events with the names of the communities before and after."""
    index = {label: i for i, label in enumerate(labels)}
    events = events.copy()
    for side, period in (("before", "previous_period"), ("after", "period")):
        events[f"name_{side}"] = [
            names[index[q]].get(int(c), "") if c is not pd.NA else ""
            for q, c in zip(events[period].tolist(), events[f"community_{side}"].tolist())
        ]
    return events


def _over_time(tables: list, line: Timeline) -> pd.DataFrame:
    """The partners' rows of every period, with each partner's first and last period and status."""
    tables = [t for t in tables if t is not None]
    if not tables:
        return pd.DataFrame(columns=["partner", "name", "period", "first_period", "last_period", "status"])
    t = pd.concat(tables, ignore_index=True)
    active = line.partner_active
    seen = active.any(axis=0)
    first = np.where(seen, active.argmax(axis=0), -1)
    last = np.where(seen, len(line) - 1 - active[::-1].argmax(axis=0), -1)
    index = pd.Index(line.partners).get_indexer(t["partner"].str.slice(len(PARTNER) + 1))
    period = pd.Index(line.labels).get_indexer(t["period"])
    labels = np.asarray(line.labels, dtype=object)
    before = np.zeros(len(t), dtype=bool)
    later = period > 0
    before[later] = active[period[later] - 1, index[later]]
    status = np.where(first[index] == period, "new", np.where(before, "staying", "returning"))
    t.insert(3, "first_period", labels[first[index]])
    t.insert(4, "last_period", labels[last[index]])
    t.insert(5, "status", status)
    return t
