"""Periods and what is active in each: projects, participations, partners.

A period is a span of days (a year, a window of years, everything up to a
year) or the rows with one value of a column (``--by programme``). A project
is active in a span when its [start, end] overlaps it (a project with only a
start runs through its start year: :func:`ecosys.dates.project_dates`); a
participation when its project is; a partner when one of its participations
is. Undated projects are in no span.

:class:`Timeline` holds the periods and the activity of every partner and
project (in the order of :func:`ecosys.graph.build_network`: keys sorted), so
a map can show any period without computing it again.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> from ecosys.dates import project_dates
>>> p = read_participations(io.BytesIO(b"org,project,start,end\\nA,P1,2019,2020\\nB,P1,2019,2020\\nC,P2,2021,2022\\n"))
>>> t = timeline(p, project_dates(p))
>>> t.labels, t.partner_active.astype(int).tolist()
(['2019', '2020', '2021'], [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..dates import ProjectDates
from ..errors import InputError
from ..read import Participations
from ..read.columns import find_column

__all__ = ["KINDS", "MAX_VALUES", "TAIL", "Period", "Timeline", "timeline"]

KINDS = ("year", "window", "cumulative", "value")
MAX_VALUES = 100  # --by takes a column with at most this many values: a programme, a call, a year
# By default periods run from the first to the last year projects start in, leaving out leading and trailing
# years with fewer than this share of the starts: a stray date, or the few projects signed for a year after the
# data were exported (all of Horizon 2020, exported in December 2020: 6 of 31,451 projects start in 2022).
TAIL = 0.01


@dataclass(frozen=True)
class Period:
    """One period: its label, its first and last day (ISO text; blank for a value without dates) and, for
    ``--by``, the value.

    >>> Period("2015-2017", "2015-01-01", "2017-12-31")
    Period(label='2015-2017', start='2015-01-01', end='2017-12-31', value=None)
    """

    label: str
    start: str
    end: str
    value: str | None = None


@dataclass(frozen=True, eq=False)
class Timeline:
    """The periods, in time order, and what is active in each.

    ``partners`` and ``projects`` are the node keys, sorted (the rows of
    :func:`ecosys.graph.build_network`'s tables); ``partner_active`` and
    ``project_active`` are boolean arrays, one row per period. ``row_period``
    is, for ``--by``, each participation row's period (-1: blank value);
    otherwise each row follows its project (``row_project``).

    >>> import io
    >>> from ecosys.read import read_participations
    >>> p = read_participations(io.BytesIO(b"org,project,call\\nA,P1,2\\nB,P1,2\\nB,P2,10\\n"))
    >>> t = timeline(p, by="call")
    >>> [q.label for q in t.periods], t.rows(1).tolist(), len(t.participations(p, 0).table)
    (['2', '10'], [False, False, True], 2)
    """

    kind: str
    periods: tuple[Period, ...]
    partners: np.ndarray
    projects: np.ndarray
    partner_active: np.ndarray
    project_active: np.ndarray
    row_partner: np.ndarray
    row_project: np.ndarray
    row_period: np.ndarray | None = None
    column: str | None = None

    def __len__(self) -> int:
        return len(self.periods)

    @property
    def labels(self) -> list[str]:
        """The periods' labels, in order."""
        return [p.label for p in self.periods]

    def node_active(self) -> np.ndarray:
        """Whether each node is active in each period, one row per period, nodes in the order of
        :attr:`ecosys.graph.Bipartite.nodes` (partners, then projects): what a map needs to show a period.

        >>> import io
        >>> from ecosys.read import read_participations
        >>> p = read_participations(io.BytesIO(b"org,project,call\\nA,P1,x\\nB,P2,y\\n"))
        >>> timeline(p, by="call").node_active().astype(int).tolist()
        [[1, 0, 1, 0], [0, 1, 0, 1]]
        """
        return np.concatenate([self.partner_active, self.project_active], axis=1)

    def rows(self, i: int) -> np.ndarray:
        """True for the participation rows active in period ``i``."""
        if self.row_period is not None:
            return self.row_period == i
        return self.project_active[i][self.row_project]

    def participations(self, participations: Participations, i: int) -> Participations:
        """The participations of period ``i``: the same table, its rows active in the period."""
        table = participations.table[self.rows(i)].reset_index(drop=True)
        return dataclasses.replace(participations, table=table)


def timeline(
    participations: Participations,
    dates: ProjectDates | None = None,
    *,
    window: int | None = None,
    step: int = 1,
    cumulative: bool = False,
    by: str | None = None,
    first: int | None = None,
    last: int | None = None,
) -> Timeline:
    """The periods of ``participations`` and what is active in each.

    Parameters
    ----------
    participations : Participations
    dates : ProjectDates, optional
        Each project's start and end (:func:`ecosys.dates.project_dates`);
        needed for periods of time, used to order the values of ``by``.
    window, step : int, optional
        Sliding windows of ``window`` years, one starting every ``step``
        years. Default: one period per year.
    cumulative : bool
        Everything from the first year up to each year.
    by : str, optional
        One period per value of this column (at most :data:`MAX_VALUES`),
        ordered by the median start of its projects when there are dates,
        else by value (numbers as numbers); rows with a blank value are in
        no period.
    first, last : int, optional
        The first and last year of the periods. Default: the first and last
        year projects start in, leaving out leading and trailing years with
        fewer than :data:`TAIL` (1%) of the starts. After the last start
        projects only end, and a table exported in one year knows only the
        projects signed by then.

    Raises
    ------
    InputError
        When ``by`` names no column, or it has too many values.
    ValueError
        When ``first`` is after ``last``, or the options contradict each other.

    >>> import io
    >>> from ecosys.read import read_participations
    >>> from ecosys.dates import project_dates
    >>> p = read_participations(io.BytesIO(b"org,project,start,end\\nA,P1,2014,2015\\nB,P2,2016,2018\\nC,P3,2018,2018\\n"))
    >>> d = project_dates(p)
    >>> [q.label for q in timeline(p, d, window=3).periods]
    ['2014-2016', '2015-2017', '2016-2018']
    >>> t = timeline(p, d, cumulative=True)
    >>> t.labels, t.project_active.sum(axis=1).tolist()
    (['2014', '2014-2015', '2014-2016', '2014-2017', '2014-2018'], [1, 1, 2, 2, 3])
    """
    if sum([window is not None, cumulative, by is not None]) > 1:
        raise ValueError("choose one of window, cumulative and by")
    if window is not None and window < 1 or step < 1:
        raise ValueError("window and step are whole numbers of years from 1")
    partners, row_partner = _sorted_codes(participations, "partner")
    projects, row_project = _sorted_codes(participations, "project")
    if dates is not None:
        dates = dates.for_keys(projects)
    if by is not None:
        return _by_value(participations, dates, by, partners, projects, row_partner, row_project)
    if dates is None:
        raise ValueError("periods of time need the projects' dates")
    years, counts = np.unique(dates.start[dates.dated].astype("M8[Y]").astype(np.int64) + 1970, return_counts=True)
    if len(years):
        kept = years[counts >= TAIL * counts.sum()]
        kept = kept if len(kept) else years
        first = int(kept.min()) if first is None else first
        last = int(kept.max()) if last is None else last
    if first is None or last is None:
        return _timeline("year", [], partners, projects, np.zeros((0, len(projects)), bool), row_partner, row_project)
    if first > last:
        raise ValueError(f"the first year ({first}) is after the last ({last})")
    if cumulative:
        spans, kind = [(first, y) for y in range(first, last + 1)], "cumulative"
    elif window is not None:
        spans = [(y, y + window - 1) for y in range(first, max(first, last - window + 1) + 1, step)]
        kind = "window"
    else:
        spans, kind = [(y, y) for y in range(first, last + 1)], "year"
    periods = [Period(str(a) if a == b else f"{a}-{b}", f"{a:04d}-01-01", f"{b:04d}-12-31") for a, b in spans]
    active = np.array([dates.active(p.start, p.end) for p in periods], dtype=bool).reshape(len(periods), -1)
    return _timeline(kind, periods, partners, projects, active, row_partner, row_project)


def _sorted_codes(participations: Participations, column: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys of ``column``, sorted as the graph sorts them, and each row's position among them."""
    codes, keys = participations.sorted_codes_of(column)
    return keys.to_numpy(dtype=object), np.asarray(codes, dtype=np.int64)


def _timeline(kind, periods, partners, projects, project_active, row_partner, row_project, row_period=None,
              column=None) -> Timeline:
    partner_active = np.zeros((len(periods), len(partners)), dtype=bool)
    for i in range(len(periods)):
        rows = row_period == i if row_period is not None else project_active[i][row_project]
        partner_active[i, row_partner[rows]] = True
    return Timeline(kind, tuple(periods), partners, projects, partner_active, project_active, row_partner,
                    row_project, row_period, column)


def _by_value(participations: Participations, dates: ProjectDates | None, by: str, partners, projects,
              row_partner, row_project) -> Timeline:
    table = participations.table
    columns = [c for c in table.columns if c not in ("partner", "project", "row")]
    column = find_column(columns, by, "--by", participations.source)
    values = table[column].to_numpy(dtype=str)
    values = np.char.strip(values.astype(str)).astype(object)
    filled = values != ""
    uniques = pd.unique(values[filled])
    if len(uniques) > MAX_VALUES:
        raise InputError(
            f"{participations.source}: column '{column}' has {len(uniques):,} values; --by takes a column with at "
            f"most {MAX_VALUES} (a programme, a call, a year)")
    nat = np.datetime64("NaT", "D")
    median, span = {}, {}
    for v in uniques:
        s = e = np.zeros(0, "M8[D]")
        if dates is not None:
            keys = np.unique(row_project[values == v])
            s, e = dates.start[keys], dates.end[keys]
            s, e = np.sort(s[~np.isnat(s)]), e[~np.isnat(e)]
        median[v] = s[(len(s) - 1) // 2] if len(s) else nat
        span[v] = (s[0], e.max()) if len(s) else (nat, nat)
    order = sorted(uniques, key=lambda v: (_day_key(median[v]), _natural(v)))
    periods = [Period(str(v), _iso(span[v][0]), _iso(span[v][1]), str(v)) for v in order]
    index = {v: i for i, v in enumerate(order)}
    row_period = np.array([index.get(v, -1) for v in values], dtype=np.int64) if len(values) else np.zeros(0, int)
    project_active = np.zeros((len(order), len(projects)), dtype=bool)
    for i in range(len(order)):
        project_active[i, row_project[row_period == i]] = True
    return _timeline("value", periods, partners, projects, project_active, row_partner, row_project, row_period,
                     column)


def _day_key(day) -> tuple:
    return (1, 0) if np.isnat(day) else (0, int(day.astype("M8[D]").astype(np.int64)))


def _natural(value: str) -> tuple:
    """Numbers in text compared as numbers: "FP7" < "H2020", "call 2" < "call 10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", value) if part)


def _iso(day) -> str:
    return "" if np.isnat(day) else str(day.astype("M8[D]"))
