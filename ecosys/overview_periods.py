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

__all__ = ["MAX_YEARS", "drawn_positions", "overview_periods"]

MAX_YEARS = 40  # more years than this (a date typed wrong, say) and the overview has no slider


def drawn_positions(communities: np.ndarray, drawn: list) -> np.ndarray:
    """Each value of ``communities`` as its position in ``drawn`` (-1 where it is not drawn).

    >>> drawn_positions(np.array([3, 1, 7, 3]), [3, 7]).tolist()
    [0, -1, 1, 0]
    """
    communities = np.asarray(communities, dtype=np.int64)
    if not len(communities):
        return np.zeros(0, dtype=np.int64)
    low = min(int(communities.min()), min(drawn, default=0))
    lookup = np.full(max(int(communities.max()), max(drawn, default=0)) - low + 1, -1, dtype=np.int64)
    lookup[np.asarray(drawn, dtype=np.int64) - low] = np.arange(len(drawn))
    return lookup[communities - low]


def overview_periods(data: NodeTable, drawn: list, links: list, partners: list, shares=None) -> dict | None:
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
    shares : scipy.sparse matrix, optional
        Projects x drawn communities, non-zero where a project has a partner in the community (as
        :func:`ecosys.maps.overview_payload` has it already); computed when not given.

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
    position = drawn_positions(comm, drawn)  # each node's community's position in drawn (-1: not drawn)
    member, project_member = position[:npart], position[npart:]
    ncomm = len(drawn)
    if shares is None:
        rows = np.flatnonzero(member >= 0)
        C = sp.csr_matrix((np.ones(len(rows)), (rows, member[rows])), shape=(npart, ncomm))
        shares = B.T @ C
    # each partner's first year: the earliest start of its dated projects (0: none)
    coo = B.tocoo()
    keep = dated[coo.col]
    first_year = np.full(npart, np.iinfo(np.int64).max)
    np.minimum.at(first_year, coo.row[keep], starts[coo.col[keep]])
    per_project = np.asarray(B.sum(axis=0)).ravel()
    # A period [a, b] holds the projects whose years overlap it: the same for every project of the same
    # years, so the projects are counted once per pair of years (a class) and the periods sum the classes.
    spans = [(a, b) for a in range(first, last + 1) for b in range(a, last + 1)]
    lo, hi = np.array([a for a, _ in spans]), np.array([b for _, b in spans])
    index = np.flatnonzero(dated)
    low, span = int(ends[index].min()), int(ends[index].max() - ends[index].min()) + 1
    pairs, kind = np.unique(starts[index] * span + (ends[index] - low), return_inverse=True)  # one int a pair
    keys = np.stack([pairs // span, pairs % span + low], axis=1)
    kind = kind.reshape(-1)
    Q = ((keys[:, 0][None, :] <= hi[:, None]) & (keys[:, 1][None, :] >= lo[:, None])).astype(np.int64)
    nkind = len(keys)
    inside = project_member[index] >= 0
    c_projects = np.zeros((nkind, ncomm), dtype=np.int64)
    np.add.at(c_projects, (kind[inside], project_member[index][inside]), 1)
    reach = sp.csr_matrix(shares)[index].toarray() > 0  # dated projects x drawn communities: has a partner in it
    shared = np.zeros((nkind, len(links)), dtype=np.int64)
    for k, (i, j) in enumerate(links):
        shared[:, k] = np.bincount(kind, weights=reach[:, i] & reach[:, j], minlength=nkind).astype(np.int64)
    on_projects = Q @ np.bincount(kind, minlength=nkind)
    on_rows = Q @ np.bincount(kind, weights=per_project[index], minlength=nkind).astype(np.int64)
    c_projects, shared = Q @ c_projects, Q @ shared
    # a partner is active in a period when one of its projects is: each partner's active years as bits (at most
    # MAX_YEARS: one 64-bit word), the OR of its dated projects' years; partners of the same bits are counted once
    kind_bits = _year_bits(keys[:, 0] - first, keys[:, 1] - first)
    bits = np.zeros(npart, dtype=np.uint64)
    kind_of = np.zeros(len(starts), dtype=np.int64)
    kind_of[index] = kind
    np.bitwise_or.at(bits, coo.row[keep], kind_bits[kind_of[coo.col[keep]]])
    distinct, which = np.unique(bits, return_inverse=True)
    which = which.reshape(-1)
    on = (distinct[:, None] & _year_bits(lo - first, hi - first)[None, :]) != 0  # distinct bits x periods
    active = np.bincount(which, minlength=len(distinct)) @ on
    drawn_partners = np.flatnonzero(member >= 0)
    per_bits = np.zeros((len(distinct), ncomm), dtype=np.int64)  # partners of each distinct bits, by community
    np.add.at(per_bits, (which[drawn_partners], member[drawn_partners]), 1)
    c_partners = on.T.astype(np.int64) @ per_bits
    years = np.sort(first_year[first_year != np.iinfo(np.int64).max])
    newcomers = np.searchsorted(years, hi, side="right") - np.searchsorted(years, lo, side="left")
    figures = np.stack([active, on_projects, on_rows, newcomers], axis=1).astype(np.int64).tolist()
    periods = {
        f"{a}-{b}": {"c": [[x, y] for x, y in zip(partners_p, projects_p)], "l": links_p, "f": figures_p}
        for (a, b), partners_p, projects_p, links_p, figures_p in zip(
            spans, c_partners.tolist(), c_projects.tolist(), shared.tolist(), figures)
    }
    active_years = [[first + y for y in range(last - first + 1) if v >> y & 1] for v in bits[partners].tolist()]
    every = [npart, len(starts), int(per_project.sum())]  # all years, undated projects too
    return {"years": [first, last], "periods": periods, "active": active_years, "all": every}


def _year_bits(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The years ``low`` to ``high`` (counted from 0, at most 63) as the bits of one unsigned 64-bit word each.

    >>> _year_bits(np.array([0, 2]), np.array([1, 2])).tolist()
    [3, 4]
    """
    low, high = np.asarray(low, dtype=np.uint64), np.asarray(high, dtype=np.uint64)
    one = np.uint64(1)
    return ((one << (high + one)) - one) ^ ((one << low) - one)
