"""Who enters, who stays, who leaves, where newcomers enter, and how stable the core is.

The literature on EU research networks (Breschi & Cusmano 2004; Roediger-
Schluga & Barber 2007; Protogerou, Caloghirou & Siokas 2010) finds a stable
core of central organisations and newcomers entering at the margin, then
moving in. These tables measure both, period by period, from each partner's
activity and its metrics in each period.

:func:`turnover` (``newcomers.csv``), one row per period:

==============================  ==================================================
``partners``                    active in the period
``new_partners``                active now and in no earlier period
``returning_partners``          active now, not in the previous period, but earlier
``staying_partners``            active now and in the previous period
``leaving_partners``            active in the previous period, not now
``entry_pagerank_percentile``   the newcomers' median PageRank percentile among the
                                period's partners (0 lowest, 100 highest)
``entry_core``                  their mean k-core number (bipartite graph; a mean, as
                                most partners, in one or two projects, have core 1)
``staying_pagerank_percentile`` the staying partners' median percentile, to compare
``staying_core``                the staying partners' mean k-core number
``next_active_share``           share of the newcomers active in the next period
``next_pagerank_percentile``    the median percentile, one period later, of the
                                newcomers still active then
``next_core``                   their mean k-core number then
==============================  ==================================================

In the first period every partner is new: its entry figures are left blank.

:func:`core_stability` (``core.csv``), one row per period: the top ``k``
partners by PageRank (ties by key) and the innermost k-core (the partners
with the period's highest core number), and the Jaccard similarity of each
with the previous period's (|A ∩ B| / |A ∪ B|: 1, the same partners; 0,
none in common).

Example
-------
>>> import numpy as np
>>> active = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 0, 1]], dtype=bool)
>>> t = turnover(active)
>>> t[["partners", "new_partners", "returning_partners", "staying_partners", "leaving_partners"]].values.tolist()
[[2, 2, 0, 0, 0], [2, 1, 0, 1, 1], [3, 1, 1, 1, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TOP", "core_stability", "jaccard", "turnover"]

TOP = 50  # partners in the top by PageRank whose stability core.csv measures (--top)


def turnover(active, percentile=None, core=None) -> pd.DataFrame:
    """Newcomers, returning, staying and leaving partners per period, and where newcomers enter.

    Parameters
    ----------
    active : array of bool, shape (periods, partners)
        Whether each partner is active in each period.
    percentile, core : arrays of float, shape (periods, partners), optional
        Each active partner's PageRank percentile and k-core number in each
        period (NaN where inactive). Without them the entry columns are left out.

    >>> active = np.array([[1, 1, 0], [1, 0, 1], [0, 0, 1]], dtype=bool)
    >>> pct = np.array([[100, 0, np.nan], [100, np.nan, 0], [np.nan, np.nan, 100]])
    >>> t = turnover(active, pct, np.where(active, 1.0, np.nan))
    >>> t["new_partners"].tolist(), t.loc[1, ["entry_pagerank_percentile", "next_active_share", "next_pagerank_percentile"]].tolist()
    ([2, 1, 0], [0.0, 1.0, 100.0])
    """
    active = np.asarray(active, dtype=bool)
    periods = active.shape[0]
    rows = []
    seen = np.zeros(active.shape[1], dtype=bool)
    previous = np.zeros(active.shape[1], dtype=bool)
    for t in range(periods):
        now = active[t]
        new = now & ~seen
        row = {
            "partners": int(now.sum()),
            "new_partners": int(new.sum()),
            "returning_partners": int((now & ~previous & seen).sum()),
            "staying_partners": int((now & previous).sum()),
            "leaving_partners": int((previous & ~now).sum()),
        }
        if percentile is not None and core is not None:
            first = t == 0
            later = active[t + 1] if t + 1 < periods else None
            stay = now & previous
            row.update({
                "entry_pagerank_percentile": np.nan if first else _median(percentile[t][new]),
                "entry_core": np.nan if first else _mean(core[t][new]),
                "staying_pagerank_percentile": _median(percentile[t][stay]),
                "staying_core": _mean(core[t][stay]),
                "next_active_share": np.nan if first or later is None or not new.any()
                else round(float(later[new].mean()), 6),
                "next_pagerank_percentile": np.nan if first or later is None
                else _median(percentile[t + 1][new & later]),
                "next_core": np.nan if first or later is None else _mean(core[t + 1][new & later]),
            })
        rows.append(row)
        seen |= now
        previous = now
    return pd.DataFrame(rows)


def _median(values) -> float:
    values = np.asarray(values, dtype=float)
    return round(float(np.median(values)), 6) if len(values) else np.nan


def _mean(values) -> float:
    values = np.asarray(values, dtype=float)
    return round(float(np.mean(values)), 6) if len(values) else np.nan


def jaccard(a, b) -> float:
    """|a ∩ b| / |a ∪ b| of two boolean masks; NaN when both are empty.

    >>> jaccard(np.array([True, True, True, False]), np.array([False, True, True, True]))
    0.5
    """
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    union = int((a | b).sum())
    return int((a & b).sum()) / union if union else float("nan")


def core_stability(pagerank, core, top: int = TOP) -> pd.DataFrame:
    """The top ``top`` partners by PageRank and the innermost k-core of each period, and their overlap
    (Jaccard) with the previous period's.

    ``pagerank`` and ``core`` have one row per period and one column per
    partner (NaN where inactive). Ties in PageRank go to the partner that
    comes first (keys sorted). Columns: ``top`` (how many partners the top
    holds: ``top``, or fewer when fewer are active), ``top_kept`` (of them,
    in the previous period's top too), ``top_jaccard``; ``core_k`` (the
    highest core number), ``core_partners`` (partners with it),
    ``core_kept``, ``core_jaccard``. The first period's overlaps are blank.

    >>> pr = np.array([[0.4, 0.3, 0.2, np.nan], [0.1, 0.3, np.nan, 0.5]])
    >>> k = np.array([[2, 2, 1, np.nan], [1, 2, np.nan, 2]])
    >>> t = core_stability(pr, k, top=2)
    >>> t["top_jaccard"].tolist(), t.loc[1].to_dict()
    ([nan, 0.333333], {'top': 2.0, 'top_kept': 1.0, 'top_jaccard': 0.333333, 'core_k': 2.0, 'core_partners': 2.0, 'core_kept': 1.0, 'core_jaccard': 0.333333})
    """
    pagerank, core = np.asarray(pagerank, dtype=float), np.asarray(core, dtype=float)
    rows = []
    previous_top = previous_core = None
    index = np.arange(pagerank.shape[1])
    for t in range(pagerank.shape[0]):
        active = ~np.isnan(pagerank[t])
        order = index[active][np.lexsort((index[active], -pagerank[t][active]))]
        top_now = np.zeros(len(index), dtype=bool)
        top_now[order[:top]] = True
        k = np.nanmax(core[t]) if active.any() else np.nan
        core_now = active & (core[t] == k)
        row = {"top": int(top_now.sum()), "top_kept": np.nan, "top_jaccard": np.nan,
               "core_k": int(k) if active.any() else 0, "core_partners": int(core_now.sum()),
               "core_kept": np.nan, "core_jaccard": np.nan}
        if previous_top is not None:
            row.update({
                "top_kept": int((top_now & previous_top).sum()),
                "top_jaccard": round(jaccard(top_now, previous_top), 6),
                "core_kept": int((core_now & previous_core).sum()),
                "core_jaccard": round(jaccard(core_now, previous_core), 6),
            })
        rows.append(row)
        previous_top, previous_core = top_now, core_now
    return pd.DataFrame(rows)
