"""When each project runs: its start and end, found in the data by column name and by content.

A participation is active from its project's start to its end. The start
and end columns are found by their names (``start``, ``start_date``,
``startDate``, ``project_start_date``, ``Project start``, ``start_year``,
``year``, ``inizio``, ``data inizio``...; ``end``, ``endDate``, ``end_year``,
``fine``...), else as the columns whose cells are dates, or named by the user
(``start=`` / ``end=``, ``--time`` / ``--time-end`` on the command line).

Cells may be ISO dates (``2021-03-12``, ``2021/03/12``, with a time or
not), day-first dates (``12/03/2021``, ``12.03.2021``: month-first only when
a column has a first number over 12 and no second one), months
(``2021-03``, ``marzo 2021``, ``March 2021``), years (``2021``: from 1 January
to 31 December) or Excel serial numbers (``44267``, in a column named as a
date). A year outside 1900-2100, text that is no date, or an end before its
start is reported with its line and left out (the project is then undated),
never shifted. A date column that varies within a project (a per-participation
date) gives the project its earliest start and latest end.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> from ecosys.dates import project_dates
>>> p = read_participations(io.BytesIO(
...     b"org,project,startDate,endDate\\nA,P1,2019-05-01,2022-04-30\\nB,P1,2019-05-01,2022-04-30\\n"
...     b"B,P2,12/03/2021,2021\\nC,P3,,\\nD,P4,soon,2020\\n"))
>>> d = project_dates(p)
>>> d.start_column, d.end_column
('startDate', 'endDate')
>>> d.table().values.tolist()
[['P1', '2019-05-01', '2022-04-30'], ['P2', '2021-03-12', '2021-12-31'], ['P3', '', ''], ['P4', '', '']]
>>> d.undated, [(q.line, q.column, q.value) for q in d.problems]
(2, [(6, 'startDate', 'soon')])
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .read import Participations
from .read.columns import find_column, normal_header

__all__ = ["DateProblem", "ProjectDates", "MIN_DATED", "find_date_columns", "parse_dates", "project_dates",
           "require_dates"]

# Header names of start and end columns, best first (compared after normal_header: camelCase split,
# lower case, punctuation as spaces).
START_NAMES = (
    "start date", "start", "project start date", "project start", "start year", "startdate", "begin",
    "begin date", "date start", "starting date", "data inizio", "inizio", "data di inizio", "anno inizio",
    "anno di inizio", "year", "anno", "date", "data", "signature date", "call year",
)
END_NAMES = (
    "end date", "end", "project end date", "project end", "end year", "enddate", "date end", "ending date",
    "data fine", "fine", "data di fine", "anno fine", "anno di fine", "close date", "closing date",
)
FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside: a typing error (0, 9999), reported and left out
# The share of projects that must have a start date for periods to say anything (require_dates).
MIN_DATED = 0.5
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_FIRST = (datetime.date(FIRST_YEAR, 1, 1) - _EXCEL_EPOCH).days
_EXCEL_LAST = (datetime.date(LAST_YEAR, 12, 31) - _EXCEL_EPOCH).days
_DATE_WORDS = {"date", "data", "start", "end", "begin", "inizio", "fine", "year", "anno"}
_MONTHS = {
    name: k for k, names in enumerate((
        ("january", "jan", "gennaio", "gen"), ("february", "feb", "febbraio"), ("march", "mar", "marzo"),
        ("april", "apr", "aprile"), ("may", "maggio", "mag"), ("june", "jun", "giugno", "giu"),
        ("july", "jul", "luglio", "lug"), ("august", "aug", "agosto", "ago"),
        ("september", "sep", "sept", "settembre", "set"), ("october", "oct", "ottobre", "ott"),
        ("november", "nov", "novembre"), ("december", "dec", "dicembre", "dic"),
    ), start=1) for name in names
}
MISSING = frozenset({"", "na", "n/a", "n.a.", "nan", "null", "none", "-", "--", "nd", "n.d."})  # blank, not bad
_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T,].*)?")
_WORDS = re.compile(r"(?:(\d{1,2})\.?\s+)?([^\W\d_]+)\.?,?\s+(\d{4})")
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")


@dataclass(frozen=True)
class DateProblem:
    """A cell that could not be used as a date, with where it is and why.

    >>> DateProblem(7, "start", "9999", "a year outside 1900-2100", "P1").message("data.csv")
    "data.csv, line 7, column 'start' (project P1): '9999' is a year outside 1900-2100; left out"
    """

    line: int
    column: str
    value: str
    reason: str
    project: str = ""

    def message(self, source: str, word: str = "line") -> str:
        """The problem as one line naming the file, line (``word``: ``row`` for a workbook), column and project."""
        where = f" (project {self.project})" if self.project else ""
        return (f"{source}, {word} {self.line}, column '{self.column}'{where}: {self.value!r} is {self.reason}; "
                "left out")


@dataclass(frozen=True)
class ProjectDates:
    """Each project's first and last day, as ``datetime64[D]`` arrays in ``keys`` order (``NaT``: undated).

    ``start_column`` / ``end_column`` say where they came from; ``problems``
    lists the cells left out (their line, column, value and why).
    """

    keys: np.ndarray
    start: np.ndarray
    end: np.ndarray
    start_column: str | None
    end_column: str | None
    problems: tuple[DateProblem, ...] = field(default=())

    @property
    def dated(self) -> np.ndarray:
        """True for the projects with a start."""
        return ~np.isnat(self.start)

    @property
    def undated(self) -> int:
        """How many projects have no date."""
        return int((~self.dated).sum())

    def years(self) -> tuple[np.ndarray, np.ndarray]:
        """The first and last year of each project (0 where undated).

        >>> d = ProjectDates(np.array(["P"]), np.array(["2019-05-01"], "M8[D]"), np.array(["2022-04-30"], "M8[D]"),
        ...                  "start", "end")
        >>> [a.tolist() for a in d.years()]
        [[2019], [2022]]
        """
        return _year(self.start), _year(self.end)

    def active(self, first: str | np.datetime64, last: str | np.datetime64) -> np.ndarray:
        """True for the projects running at some time between ``first`` and ``last`` (inclusive days).

        >>> d = ProjectDates(np.array(["P", "Q"]), np.array(["2019-05-01", "NaT"], "M8[D]"),
        ...                  np.array(["2022-04-30", "NaT"], "M8[D]"), "start", "end")
        >>> d.active("2022-01-01", "2022-12-31").tolist(), d.active("2023-01-01", "2023-12-31").tolist()
        ([True, False], [False, False])
        """
        first, last = np.datetime64(first, "D"), np.datetime64(last, "D")
        with np.errstate(invalid="ignore"):
            return self.dated & (self.start <= last) & (self.end >= first)

    def for_keys(self, keys) -> ProjectDates:
        """The same dates in the order of ``keys`` (project keys; unknown ones undated)."""
        index = pd.Index(self.keys).get_indexer(np.asarray(keys, dtype=object))
        found = index >= 0
        start = np.full(len(index), np.datetime64("NaT"), dtype="M8[D]")
        end = start.copy()
        start[found], end[found] = self.start[index[found]], self.end[index[found]]
        return ProjectDates(np.asarray(keys, dtype=object), start, end, self.start_column, self.end_column,
                            self.problems)

    def table(self) -> pd.DataFrame:
        """One row per project: ``project``, ``start``, ``end`` as ISO text (blank where undated)."""
        return pd.DataFrame({"project": self.keys, "start": _iso(self.start), "end": _iso(self.end)})

    def summary(self) -> dict:
        """Where the dates came from and how many projects have none, as plain values.

        >>> d = ProjectDates(np.array(["P", "Q"]), np.array(["2019-05-01", "NaT"], "M8[D]"),
        ...                  np.array(["2022-04-30", "NaT"], "M8[D]"), "start", None)
        >>> d.summary()
        {'start_column': 'start', 'end_column': None, 'projects': 2, 'undated': 1, 'problems': 0, 'first': '2019-05-01', 'last': '2022-04-30'}
        """
        dated = self.dated
        return {
            "start_column": self.start_column, "end_column": self.end_column, "projects": len(self.keys),
            "undated": self.undated, "problems": len(self.problems),
            "first": str(self.start[dated].min()) if dated.any() else None,
            "last": str(self.end[dated].max()) if dated.any() else None,
        }


def _year(days: np.ndarray) -> np.ndarray:
    years = days.astype("M8[Y]").astype(np.int64) + 1970
    return np.where(np.isnat(days), 0, years)


def _iso(days: np.ndarray) -> list[str]:
    return ["" if np.isnat(d) else str(d) for d in days]


def parse_dates(values, *, excel: bool = False, end: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Parse text cells as days: ``(days, bad, reasons)``.

    ``days`` is ``datetime64[D]`` (``NaT`` for blanks and bad cells),
    ``bad`` marks the filled cells that are not dates and ``reasons`` says
    why for each of them (in order). A year or month stands for its first
    day, or its last with ``end=True``. ``excel`` also reads five-digit
    numbers as Excel serial dates. Day-first unless the column shows it is
    month-first (a first number over 12, no second one over 12).

    >>> days, bad, why = parse_dates(["2021-03-12", "12/03/2021", "2021", "", "0", "marzo 2021"])
    >>> [str(d) for d in days], bad.tolist(), why
    (['2021-03-12', '2021-03-12', '2021-01-01', 'NaT', 'NaT', '2021-03-01'], [False, False, False, False, True, False], ['a year outside 1900-2100'])
    >>> [str(d) for d in parse_dates(["2021", "2021-02"], end=True)[0]], str(parse_dates(["44267"], excel=True)[0][0])
    (['2021-12-31', '2021-02-28'], '2021-03-12')
    """
    # distinct cells first, then their text stripped: each distinct text is parsed once
    codes, raw = pd.factorize(pd.Series(np.asarray(values, dtype=object)).fillna(""))
    uniques = [str(u).strip() for u in raw]
    month_first = _month_first(uniques)
    parsed = [_parse(u, excel, end, month_first) for u in uniques]
    days = np.array([p[0] for p in parsed] + [np.datetime64("NaT")], dtype="M8[D]")[codes]
    reason = np.array([p[1] for p in parsed] + [""], dtype=object)[codes]
    bad = reason != ""
    return days, bad, reason[bad].tolist()


def _month_first(uniques) -> bool:
    first = second = False
    for u in uniques:
        m = _DMY.fullmatch(u)
        if m:
            first |= int(m[1]) > 12
            second |= int(m[2]) > 12
    return second and not first


def _parse(text: str, excel: bool, end: bool, month_first: bool) -> tuple[np.datetime64, str]:
    nat = np.datetime64("NaT")
    if text.lower() in MISSING:
        return nat, ""
    m = _YEAR.fullmatch(text)
    if m:
        return _day(int(m[1]), 12 if end else 1, 31 if end else 1)
    m = _ISO.fullmatch(text)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, end)
    m = _DMY.fullmatch(text)
    if m:
        a, b = int(m[1]), int(m[2])
        return _day(int(m[3]), a if month_first else b, b if month_first else a)
    m = _WORDS.fullmatch(text)
    if m and m[2].lower() in _MONTHS:
        return _day(int(m[3]), _MONTHS[m[2].lower()], int(m[1]) if m[1] else None, end)
    m = _SERIAL.fullmatch(text)
    if m and excel:
        serial = int(m[1])
        if _EXCEL_FIRST <= serial <= _EXCEL_LAST:
            return np.datetime64(_EXCEL_EPOCH + datetime.timedelta(days=serial), "D"), ""
        return nat, f"a year outside {FIRST_YEAR}-{LAST_YEAR}"
    if re.fullmatch(r"-?\d{1,3}|\d{5,}", text):
        return nat, f"a year outside {FIRST_YEAR}-{LAST_YEAR}"
    return nat, "not a date"


def _day(year: int, month: int, day: int | None, end: bool = False) -> tuple[np.datetime64, str]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return np.datetime64("NaT"), f"a year outside {FIRST_YEAR}-{LAST_YEAR}"
    try:
        if day is None:  # a month: its first or last day
            first = datetime.date(year, month, 1)
            if not end:
                return np.datetime64(first, "D"), ""
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            return np.datetime64(following - datetime.timedelta(days=1), "D"), ""
        return np.datetime64(datetime.date(year, month, day), "D"), ""
    except ValueError:
        return np.datetime64("NaT"), "not a valid date"


def find_date_columns(table: pd.DataFrame, columns) -> tuple[str | None, str | None]:
    """The start and end columns among ``columns`` of ``table``: by name, else by content.

    A column found by name is kept only if half its filled cells or more are
    dates; without a named start, the first column whose cells are almost
    all dates (or four-digit years, when its name says year) is the start,
    and a later one the end.

    >>> t = pd.DataFrame({"Project start": ["2015/10/27"], "Project end": ["2019/09/30"], "budget": ["10"]})
    >>> find_date_columns(t, t.columns)
    ('Project start', 'Project end')
    >>> t = pd.DataFrame({"when": ["12/03/2021", "01/01/2020"], "until": ["2022-01-01", ""], "n": ["3", "4"]})
    >>> find_date_columns(t, t.columns)
    ('when', 'until')
    """
    columns = [c for c in columns if c in table.columns]
    normal = {c: normal_header(str(c)) for c in columns}
    datelike = {}

    def share(column) -> float:
        if column not in datelike:
            filled = _first_filled(table[column].to_numpy(dtype=object), _SHARE_CELLS)
            if not len(filled):
                datelike[column] = 0.0
            else:
                words = set(normal[column].split())
                days, bad, _ = parse_dates(filled, excel=not words.isdisjoint(_DATE_WORDS))
                bare_years = pd.Series(filled).astype(str).str.fullmatch(r"\d{4}").to_numpy()
                ok = ~bad & ~np.isnat(days)
                if bare_years.any() and words.isdisjoint(_DATE_WORDS):
                    ok &= ~bare_years  # "2021" in a column not named as a date is a number, not a year
                datelike[column] = float(ok.mean())
        return datelike[column]

    def by_name(names) -> str | None:
        for wanted in names:
            for c in columns:
                if normal[c] == wanted and share(c) >= 0.5:
                    return c
        return None

    start, end = by_name(START_NAMES), by_name(END_NAMES)
    if start is None:
        found = [c for c in columns if c != end and share(c) >= 0.95]
        start = found[0] if found else None
        if end is None and len(found) > 1:
            end = found[1]
    return (start, end) if start is not None else (None, None)


_SHARE_CELLS = 5000  # the filled cells of a column looked at to tell whether it holds dates


def _first_filled(values: np.ndarray, most: int) -> np.ndarray:
    """The first ``most`` cells of ``values`` that are not blank or missing (``MISSING``, any case), looked for
    in growing slices from the top: a column of a million cells is not lowered whole for 5,000 of them."""
    found, at, step = [], 0, 2 * most
    while at < len(values) and sum(map(len, found)) < most:
        part = values[at:at + step]
        found.append(part[~pd.Series(part).astype(str).str.lower().isin(MISSING).to_numpy()])
        at, step = at + step, 2 * step
    return np.concatenate(found)[:most] if found else values[:0]


def project_dates(participations: Participations, start: str | None = None, end: str | None = None) -> ProjectDates:
    """Each project's start and end from a participation table (see the module docstring).

    Parameters
    ----------
    participations : Participations
        As :func:`ecosys.read.read_participations` returns it.
    start, end : str, optional
        The start and end columns (case-insensitive), when they are not found
        by name and content; ``end`` alone is not enough. A project with a
        start and no end (no end column, or a blank end) runs from its start
        to the end of that year.

    Raises
    ------
    InputError
        When a named column does not exist.
    """
    table = participations.table
    attributes = [*participations.project_attributes, *participations.edge_attributes,
                  *participations.partner_attributes]
    source = participations.source
    if start is not None:
        start = find_column(list(table.columns), start, "start date", source)
    if end is not None:
        end = find_column(list(table.columns), end, "end date", source)
    if start is None:
        start, found_end = find_date_columns(table, attributes)
        end = end if end is not None else found_end
    codes, keys = participations.sorted_codes_of("project")  # sorted as the graph sorts them
    keys = keys.to_numpy(dtype=object)
    n = len(keys)
    first = np.full(n, np.datetime64("NaT"), dtype="M8[D]")
    last = first.copy()
    problems: list[DateProblem] = []
    if start is None:
        return ProjectDates(keys, first, last, None, None, ())
    rows = table["row"].to_numpy()
    for column, is_end in ((start, False), (end, True)):
        if column is None:
            continue
        words = set(normal_header(column).split())
        days, bad, reasons = parse_dates(table[column].to_numpy(dtype=object), excel=not words.isdisjoint(_DATE_WORDS),
                                         end=is_end)
        values = table[column].to_numpy(dtype=object)
        for i, why in zip(np.flatnonzero(bad), reasons):
            problems.append(DateProblem(int(rows[i]), column, str(values[i]), why, str(keys[codes[i]])))
        target = last if is_end else first
        ok = ~np.isnat(days)
        order = np.argsort(days[ok], kind="stable")
        if is_end:  # the latest end of each project: written last
            target[codes[ok][order]] = days[ok][order]
        else:  # the earliest start: written last in reverse order
            target[codes[ok][order[::-1]]] = days[ok][order[::-1]]
    # a start alone (no end column, or a blank end): the project runs to the end of its start year
    year_end = (first.astype("M8[Y]") + np.timedelta64(1, "Y")).astype("M8[D]") - np.timedelta64(1, "D")
    last = np.where(np.isnat(last) & ~np.isnat(first), year_end, last)
    with np.errstate(invalid="ignore"):
        backwards = ~np.isnat(first) & ~np.isnat(last) & (last < first)
    for k in np.flatnonzero(backwards):
        line = int(rows[np.flatnonzero(codes == k)[0]])
        problems.append(DateProblem(line, end, f"{first[k]} to {last[k]}", "an end before its start", str(keys[k])))
    first[backwards] = np.datetime64("NaT")
    last[np.isnat(first)] = np.datetime64("NaT")
    problems.sort(key=lambda q: (q.line, q.column))
    return ProjectDates(keys, first, last, start, end, tuple(problems))


def require_dates(dates: ProjectDates, source: str, *, at_least: float = MIN_DATED) -> ProjectDates:
    """``dates`` if at least ``at_least`` of the projects have a start date; otherwise an error saying what to do.

    Periods drawn from a few dated projects would describe those projects,
    not the ecosystem: below the share, stop with one line naming the file,
    the column and how many projects have a date.

    Raises
    ------
    InputError
        When no start column was found, or too few projects have a start.

    >>> d = ProjectDates(np.array(["P", "Q", "R"]), np.array(["2019-05-01", "NaT", "NaT"], "M8[D]"),
    ...                  np.array(["2022-04-30", "NaT", "NaT"], "M8[D]"), "start", "end")
    >>> require_dates(d, "t.csv", at_least=0.3) is d
    True
    >>> require_dates(d, "t.csv")
    Traceback (most recent call last):
    ...
    ecosys.errors.InputError: t.csv: only 1 of 3 projects (33%) have a start date in column 'start'; at least 50% must for periods to say anything: fill in the dates, or name another column with --time
    """
    if dates.start_column is None:
        raise InputError(
            f"{source}: no column of project start dates found (by name: start, start_date, Project start, year, "
            "data inizio...; or by content: dates or years); name it with --time COLUMN (and --time-end COLUMN)")
    n, dated = len(dates.keys), len(dates.keys) - dates.undated
    if n == 0 or dated < at_least * n:
        bad = f" ({len(dates.problems):,} cells are not dates: see the warnings)" if dates.problems else ""
        raise InputError(
            f"{source}: only {dated:,} of {n:,} projects ({dated / max(n, 1):.0%}) have a start date in column "
            f"'{dates.start_column}'{bad}; at least {at_least:.0%} must for periods to say anything: fill in the "
            "dates, or name another column with --time")
    return dates
