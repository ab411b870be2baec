"""The trends of one analysis, year by year: the light per-period pass behind the report's "How the ecosystem changed".

:func:`ecosys.evolution.evolve` analyses each period in full (every metric,
sampled betweenness and closeness, the mean distance): on all of Horizon 2020
about twice the time of one analysis. The report needs less: per year, the
partners and projects active, the partner pairs (density), the giant
component's share, the partners new, returning, staying and leaving, the
stability of the core (the top partners by PageRank and the innermost
k-core) and what the communities did. :func:`trends` computes exactly these,
with the same definitions and code as ``ecosys evolution``
(:func:`ecosys.evolution.periods.timeline`,
:func:`ecosys.evolution.turnover.turnover`,
:func:`ecosys.evolution.turnover.core_stability`,
:func:`ecosys.evolution.events.community_events`), from the participations
and options the analysis already holds: nothing is read again, and no
per-period betweenness, closeness or distances are computed. Its figures are
those of ``periods.csv``, ``core.csv`` and ``community_events.csv`` of
``ecosys evolution`` with the same options (the tests compare them).

Example
-------
>>> import io
>>> from ecosys.pipeline import analyze
>>> rows = b"org,project,start,end\\nA,P1,2019,2020\\nB,P1,2019,2020\\nB,P2,2020,2021\\nC,P2,2020,2021\\nD,P3,2021,2021\\n"
>>> t = trends(analyze(io.BytesIO(rows)), min_size=1)
>>> t.periods[["period", "partners", "new_partners", "partner_pairs", "giant_share"]].values.tolist()
[['2019', 2, 2, 1, 1.0], ['2020', 3, 1, 2, 1.0], ['2021', 3, 1, 1, 0.666667]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..dates import MIN_DATED, ProjectDates
from ..graph import PARTNER, build_network, components, project
from ..metrics import coreness, pagerank
from ..pipeline import Analysis, find_communities
from .events import CHANGE, MIN_SIZE, THRESHOLD, community_events
from .periods import Timeline, timeline
from .snapshots import size_figures
from .turnover import TOP, core_stability, turnover

__all__ = ["TREND_COLUMNS", "Trends", "trends"]

TREND_COLUMNS = ("period", "start", "end", "partners", "projects", "participations", "new_partners",
                 "returning_partners", "staying_partners", "leaving_partners", "partner_pairs", "density",
                 "giant_share", "communities")


@dataclass(frozen=True, eq=False)
class Trends:
    """The year-by-year trends of an analysis, or why there are none.

    ``periods`` has :data:`TREND_COLUMNS` (one row per year), ``core`` the
    columns of :func:`ecosys.evolution.turnover.core_stability` after
    ``period``, ``events`` those of ``community_events.csv``. ``reason``
    is None when they are computed, else why not (``"no_dates"``: too few
    projects have a start date; ``"one_period"``: the projects start in a
    single year); the tables are then empty.

    >>> import io
    >>> from ecosys.pipeline import analyze
    >>> t = trends(analyze(io.BytesIO(b"org,project,year\\nA,P1,2019\\nB,P1,2019\\nA,P2,2020\\n")), top=1)
    >>> t.reason, t.labels, t.core["top_jaccard"].tolist()
    (None, ['2019', '2020'], [nan, 1.0])
    """

    timeline: Timeline | None
    dates: ProjectDates
    periods: pd.DataFrame
    core: pd.DataFrame
    events: pd.DataFrame
    top: int
    min_size: int
    reason: str | None = None

    @property
    def labels(self) -> list[str]:
        """The periods' labels, in order."""
        return self.timeline.labels if self.timeline is not None else []


def trends(
    analysis: Analysis,
    *,
    dates: ProjectDates | None = None,
    top: int = TOP,
    threshold: float = THRESHOLD,
    min_size: int = MIN_SIZE,
    change: float = CHANGE,
    min_dated: float = MIN_DATED,
    compute: bool = True,
) -> Trends:
    """The year-by-year trends of ``analysis``: one period per year, as ``ecosys evolution`` cuts them.

    Each period's communities are found as the analysis found its own (same
    method, seed, resolution and partner projection). ``dates`` are the
    projects' dates (default: ``analysis.dates``, found once per analysis);
    ``top``, ``threshold``, ``min_size`` and ``change`` are those of
    :func:`ecosys.evolution.evolve`. Fewer than ``min_dated`` of the projects
    dated, or a single year: no trends, and ``reason`` says why. With
    ``compute`` false only the dates are looked at, and ``reason`` is
    ``"not_computed"`` when there would be trends.

    >>> import io
    >>> from ecosys.pipeline import analyze
    >>> trends(analyze(io.BytesIO(b"org,project\\nA,P1\\nB,P1\\n"))).reason
    'no_dates'
    """
    p = analysis.participations
    dates = analysis.dates if dates is None else dates
    keys = len(dates.keys)
    if dates.start_column is None or not keys or (keys - dates.undated) / keys < min_dated:
        return _none(dates, top, min_size, "no_dates")
    line = timeline(p, dates)
    if len(line) < 2:
        return _none(dates, top, min_size, "one_period", line)
    if not compute:
        return _none(dates, top, min_size, "not_computed", line)
    projection = analysis.projection
    method = analysis.partition.method
    resolution = float(analysis.partition.parameters.get("resolution", 1.0))
    runs = len(analysis.stability.seeds) if analysis.stability is not None else 1  # --runs: a consensus, as evolve
    T, n = len(line), len(line.partners)
    community = np.zeros((T, n), dtype=np.int64)
    rank, core = np.full((T, n), np.nan), np.full((T, n), np.nan)
    rows = []
    for i in range(T):
        subset = line.participations(p, i)
        net = build_network(subset)
        m = net.n_partners
        keys = net.partners["node"].to_numpy(dtype=str)
        index = pd.Index(line.partners).get_indexer([k[len(PARTNER) + 1:] for k in keys])
        P = project(net, PARTNER, min_shared=projection.min_shared, weighting=projection.weighting,
                    max_project_size=projection.max_project_size, max_pairs=None)
        found = 0
        if m:
            values = pagerank(net)
            rank[i, index] = values[:m]
            core[i, index] = coreness(net)[:m]
            partition, _ = find_communities(net, P, analysis.seed, resolution, method, runs)
            community[i, index] = [partition.membership[k] for k in net.partners["node"]]
            found = len(np.unique(community[i, index]))
        rows.append({**size_figures(net, P.number_of_edges(), components(net)), "communities": found})
    moves = turnover(line.partner_active)
    periods = pd.DataFrame(rows)
    periods.insert(0, "period", line.labels)
    periods.insert(1, "start", [q.start for q in line.periods])
    periods.insert(2, "end", [q.end for q in line.periods])
    for column in ("new_partners", "returning_partners", "staying_partners", "leaving_partners"):
        periods[column] = moves[column].to_numpy()
    stability = core_stability(rank, core, top=top)
    stability.insert(0, "period", line.labels)
    events = community_events(community, line.labels, threshold=threshold, min_size=min_size, change=change).events
    return Trends(line, dates, periods[list(TREND_COLUMNS)], stability, events, top, min_size)


def _none(dates, top, min_size, reason, line=None) -> Trends:
    empty = pd.DataFrame(columns=list(TREND_COLUMNS))
    return Trends(line, dates, empty, pd.DataFrame(), pd.DataFrame(), top, min_size, reason)
