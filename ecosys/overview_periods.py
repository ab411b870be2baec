"""The overview's time slider: what each community drawn does in every period, counted once in Python.

The overview of a large graph draws communities, not projects, so its page
cannot work out a period from the projects' dates as a whole map does. For
every period ``[a, b]`` of whole years between the first start and the last
end of the dated projects, this module counts, as the map's time slider
defines them (a project is active when its years ``[start, end]`` overlap the
period, a partner when one of its projects is, a newcomer when its first
project starts within the period): each drawn community's active partners and
projects, the projects each drawn link between two communities shares in the
period (projects with active partners in both, each counted once), and the
period's figures over the whole graph (partners, projects, participations of
active projects, newcomers). A cumulative period ``up to b`` is the period
``[first, b]``, with the newcomers of ``[a, b]``. The page only looks these up.

Example
-------
>>> from ecosys.pipeline import analyze, demo_path
>>> data = analyze(demo_path()).node_table
>>> t = overview_periods(data, [1, 2], [(0, 1)], [])
>>> t["years"], t["periods"]["2016-2016"]["f"]  # one dated project, 2016 to 2021, with two partners new in 2016
([2016, 2021], [2, 1, 2, 2])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from .nodes import NodeTable

__all__ = ["MAX_YEARS", "overview_periods"]

MAX_YEARS = 40  # more years than this (a date typed wrong, say) and the overview has no slider


def overview_periods(data: NodeTable, drawn: list, links: list, partners: list) -> dict | None:
    """Every period's counts for the overview's time slider; None when no project has a year.

    Parameters
    ----------
    data : NodeTable
        The analysed graph.
    drawn : list of int
        The communities the overview draws, in the order of its community nodes.
    links : list of (int, int)
        The links drawn between communities, as positions in ``drawn``.
    partners : list of int
        The rows (in ``data``) of the top partners the overview draws.

    Returns
    -------
    dict or None
        ``years``: ``[first, last]``; ``periods``: ``{"a-b": {"c": [[partners, projects], ...] per drawn
        community, "l": [shared projects, ...] per link, "f": [partners, projects, participations,
        newcomers]}}`` for every ``first <= a <= b <= last``; ``active``: each top partner's active
        years (a list per row of ``partners``); ``all``: ``[partners, projects, participations]`` of
        the whole graph, projects without a year included (the figures while no period is picked).

    >>> from ecosys.pipeline import analyze, demo_path
    >>> data = analyze(demo_path()).node_table
    >>> t = overview_periods(data, [1, 5], [(0, 1)], [2, 0])  # the dated project's partners are in community 5
    >>> len(t["periods"]), t["periods"]["2017-2018"], t["active"][0]
    (21, {'c': [[0, 0], [2, 1]], 'l': [0], 'f': [2, 1, 2, 0]}, [2016, 2017, 2018, 2019, 2020, 2021])
    """
    if data.years is None:
        return None
    npart = data.n_partners
    starts = np.asarray(data.years[npart:], dtype=np.int64)
    ends = np.asarray(data.end_years[npart:], dtype=np.int64)
    dated = starts > 0
    if not dated.any():
        return None
    first, last = int(starts[dated].min()), int(ends[dated].max())
    if last - first >= MAX_YEARS:
        return None
    B = sp.csr_matrix(data.B, dtype=np.float64)
    B.data[:] = 1.0  # partners x projects, 0/1
    comm = np.asarray(data.communities, dtype=np.int64)
    col = {int(c): k for k, c in enumerate(drawn)}
    member = np.array([col.get(int(c), -1) for c in comm[:npart]], dtype=np.int64)
    project_member = np.array([col.get(int(c), -1) for c in comm[npart:]], dtype=np.int64)
    rows = np.flatnonzero(member >= 0)
    C = sp.csr_matrix((np.ones(len(rows)), (rows, member[rows])), shape=(npart, len(drawn)))
    P = (B.T @ C).tocsr()  # projects x drawn communities: has a partner in it
    P.data[:] = 1.0
    # each partner's first year: the earliest start of its dated projects (0: none)
    coo = B.tocoo()
    keep = dated[coo.col]
    first_year = np.full(npart, np.iinfo(np.int64).max)
    np.minimum.at(first_year, coo.row[keep], starts[coo.col[keep]])
    per_project = np.asarray(B.sum(axis=0)).ravel()
    ncomm = len(drawn)
    periods = {}
    for a in range(first, last + 1):
        for b in range(a, last + 1):
            on = dated & (starts <= b) & (ends >= a)
            active = (B @ on.astype(np.float64)) > 0
            shown = active & (member >= 0)
            c_partners = np.bincount(member[shown], minlength=ncomm)
            c_projects = np.bincount(project_member[on & (project_member >= 0)], minlength=ncomm)
            Pa = P[np.flatnonzero(on)]
            M = (Pa.T @ Pa).toarray() if ncomm else np.zeros((0, 0))
            periods[f"{a}-{b}"] = {
                "c": [[int(p), int(j)] for p, j in zip(c_partners, c_projects)],
                "l": [int(M[i, j]) for i, j in links],
                "f": [int(active.sum()), int(on.sum()), int(per_project[on].sum()),
                      int(((first_year >= a) & (first_year <= b)).sum())],
            }
    active_years = []
    for v in partners:
        years = set()
        for j in B.indices[B.indptr[v]:B.indptr[v + 1]]:
            if dated[j]:
                years.update(range(int(starts[j]), int(ends[j]) + 1))
        active_years.append(sorted(years))
    every = [npart, len(starts), int(per_project.sum())]  # all years, undated projects too
    return {"years": [first, last], "periods": periods, "active": active_years, "all": every}
