"""Communities over time: matched from period to period by the partners they share, and what each did.

Following Greene, Doyle & Cunningham (2010, "Tracking the evolution of
communities in dynamic social networks", ASONAM, doi:10.1109/ASONAM.2010.17),
a community of one period and a community of the next match when the
Jaccard similarity of their partners, |A ∩ B| / |A ∪ B|, is at least a
threshold: 0.1 by default, as in Greene's own tracker (low thresholds suit
memberships that change from step to step, as partners do when projects end
and start; 0.3 and above match conservatively; above 0.5 no community can
match two). Communities of fewer than ``min_size``
partners are left out (small components that come and go with one project).
Each match, and each community without one, is an event:

==================  ==========================================================
``continuation``    one community matches one, of about the same size
``growth``          ... that gained more than ``change`` (a quarter) of its partners
``contraction``     ... that lost more than ``change`` of its partners
``merge``           two or more communities match the same later one (one row
                    per community merging)
``split``           one community matches two or more later ones (one row per
                    part); a match that is part of a merge and of a split is
                    listed under both
``birth``           a community matching none of the previous period's
``death``           a community matching none of the next period's
==================  ==========================================================

Each tracked community also gets a ``lineage``: the number of the chain of
communities it belongs to. A community continues the lineage of the earlier
community it shares the most partners with, unless that lineage already
continued in a community sharing more; otherwise (a birth, the smaller part
of a split) it starts a new one. Lineages are numbered in order of first
appearance.

Example
-------
>>> import numpy as np
>>> before = np.array([1, 1, 1, 1, 2, 2, 2, 3, 3, 3])  # community of each partner; 0: not active
>>> after = np.array([1, 1, 2, 2, 3, 3, 3, 3, 3, 3])   # 1 splits in two, 2 and 3 merge
>>> t = community_events([before, after], ["2019", "2020"], min_size=2).events
>>> t[["event", "community_before", "community_after", "jaccard"]].values.tolist()
[['split', 1, 1, 0.5], ['split', 1, 2, 0.5], ['merge', 2, 3, 0.5], ['merge', 3, 3, 0.5]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CHANGE", "EVENTS", "MIN_SIZE", "THRESHOLD", "Tracking", "community_events", "event_counts",
           "match_communities"]

THRESHOLD = 0.1
MIN_SIZE = 5
CHANGE = 0.25
EVENTS = ("continuation", "growth", "contraction", "merge", "split", "birth", "death")
COLUMNS = ("period", "previous_period", "event", "community_before", "community_after", "lineage",
           "partners_before", "partners_after", "shared_partners", "jaccard")


def match_communities(before, after, *, threshold: float = THRESHOLD, min_size: int = MIN_SIZE) -> pd.DataFrame:
    """The pairs of communities of two periods whose partners' Jaccard similarity is at least ``threshold``.

    ``before`` and ``after`` give each partner's community in the two
    periods (the same partners in the same order; 0 where the partner is not
    active). Communities of fewer than ``min_size`` partners take no part.
    One row per pair: ``before``, ``after`` (community numbers), ``shared``
    (partners in both), ``jaccard``; sorted by ``before``, ``after``.

    >>> match_communities([1, 1, 1, 2, 2, 0], [1, 1, 2, 2, 2, 2], threshold=0.3, min_size=1).to_dict("list")
    {'before': [1, 2], 'after': [1, 2], 'shared': [2, 2], 'jaccard': [0.666667, 0.5]}
    """
    before, after = np.asarray(before, dtype=np.int64), np.asarray(after, dtype=np.int64)
    size_before, size_after = np.bincount(before), np.bincount(after)
    both = (before > 0) & (after > 0)
    pairs, shared = np.unique(np.column_stack([before[both], after[both]]), axis=0, return_counts=True)
    if not len(pairs):
        return pd.DataFrame({"before": np.zeros(0, int), "after": np.zeros(0, int), "shared": np.zeros(0, int),
                             "jaccard": np.zeros(0)})
    a, b = pairs[:, 0], pairs[:, 1]
    jaccard = shared / (size_before[a] + size_after[b] - shared)
    keep = (jaccard >= threshold) & (size_before[a] >= min_size) & (size_after[b] >= min_size)
    return pd.DataFrame({"before": a[keep], "after": b[keep], "shared": shared[keep],
                         "jaccard": np.round(jaccard[keep], 6)})


@dataclass(frozen=True)
class Tracking:
    """Communities followed across periods: the ``events`` table (``community_events.csv``, columns
    ``COLUMNS``) and ``lineage``, the lineage of each tracked community, ``{(period index, community): lineage}``.

    >>> community_events([[1, 1, 1], [1, 1, 1]], ["a", "b"], min_size=1).lineage
    {(0, 1): 1, (1, 1): 1}
    """

    events: pd.DataFrame
    lineage: dict


def community_events(communities, labels, *, threshold: float = THRESHOLD, min_size: int = MIN_SIZE,
                     change: float = CHANGE) -> Tracking:
    """Match the communities of each period with the next period's and name what happened (module docstring).

    Parameters
    ----------
    communities : sequence of int arrays
        For each period, each partner's community (the same partners in the
        same order in every period; 0 where not active).
    labels : sequence of str
        The periods' labels.
    threshold, min_size, change : see the module docstring.

    >>> t = community_events([[1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1]], ["a", "b", "c"],
    ...                      min_size=2)
    >>> t.events[["period", "event", "community_before", "community_after"]].values.tolist()
    [['b', 'continuation', 1, 1], ['c', 'death', 1, <NA>], ['c', 'birth', <NA>, 1]]
    """
    communities = [np.asarray(c, dtype=np.int64) for c in communities]
    rows, lineage = [], {}
    count = 0
    if communities:
        sizes = np.bincount(communities[0])
        for c in np.flatnonzero(sizes >= max(min_size, 1)):
            if c > 0:
                count += 1
                lineage[(0, int(c))] = count
    for t in range(1, len(communities)):
        before, after = communities[t - 1], communities[t]
        size_before, size_after = np.bincount(before), np.bincount(after)
        tracked_before = [int(c) for c in np.flatnonzero(size_before >= max(min_size, 1)) if c > 0]
        tracked_after = [int(c) for c in np.flatnonzero(size_after >= max(min_size, 1)) if c > 0]
        m = match_communities(before, after, threshold=threshold, min_size=min_size)
        successors = m.groupby("before").size().to_dict()
        predecessors = m.groupby("after").size().to_dict()
        # lineages: the largest overlaps first; a lineage continues once, a community continues one
        continued, taken = set(), {}
        for a, b in m.sort_values(["shared", "jaccard", "before", "after"], ascending=[False, False, True, True],
                                  kind="stable")[["before", "after"]].itertuples(index=False):
            if a not in continued and b not in taken:
                continued.add(a)
                taken[b] = lineage[(t - 1, a)]
        for b in tracked_after:
            if b not in taken:
                count += 1
                taken[b] = count
            lineage[(t, b)] = taken[b]

        def row(event, a, b, shared=None, jaccard=None):
            return {"period": labels[t], "previous_period": labels[t - 1], "event": event,
                    "community_before": a, "community_after": b,
                    "lineage": lineage[(t, b)] if b is not None else lineage[(t - 1, a)],
                    "partners_before": int(size_before[a]) if a is not None else None,
                    "partners_after": int(size_after[b]) if b is not None else None,
                    "shared_partners": shared, "jaccard": jaccard}

        for a, b, shared, jaccard in m[["before", "after", "shared", "jaccard"]].itertuples(index=False):
            a, b, shared = int(a), int(b), int(shared)
            several_after, several_before = successors[a] > 1, predecessors[b] > 1
            if several_after:
                rows.append(row("split", a, b, shared, jaccard))
            if several_before:
                rows.append(row("merge", a, b, shared, jaccard))
            if not several_after and not several_before:
                ratio = size_after[b] / size_before[a]
                event = "growth" if ratio > 1 + change else "contraction" if ratio < 1 - change else "continuation"
                rows.append(row(event, a, b, shared, jaccard))
        rows += [row("death", a, None) for a in tracked_before if a not in successors]
        rows += [row("birth", None, b) for b in tracked_after if b not in predecessors]
    events = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("community_before", "community_after", "partners_before", "partners_after", "shared_partners"):
        events[column] = events[column].astype("Int64")
    events["lineage"] = events["lineage"].astype(np.int64)
    events["jaccard"] = events["jaccard"].astype(float)
    return Tracking(events, lineage)


def event_counts(events: pd.DataFrame, periods=None) -> pd.DataFrame:
    """How many events of each kind happened in each period: one row per period, one column per :data:`EVENTS`.

    A merge counts once per community formed and a split once per community
    split (``events`` has a row per community taking part). ``periods``
    gives the rows' order (default: as they come in ``events``).

    >>> before = [1, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    >>> t = community_events([before, [1, 1, 2, 2, 3, 3, 3, 3, 3, 3]], ["2019", "2020"], min_size=2).events
    >>> event_counts(t).loc["2020"].to_dict()
    {'continuation': 0, 'growth': 0, 'contraction': 0, 'merge': 1, 'split': 1, 'birth': 0, 'death': 0}
    """
    key = np.where(events["event"] == "merge", events["community_after"].fillna(0),
                   np.where(events["event"] == "split", events["community_before"].fillna(0), np.arange(len(events))))
    unique = events.assign(key=key).drop_duplicates(["period", "event", "key"])
    periods = list(dict.fromkeys(events["period"])) if periods is None else list(periods)
    counts = pd.crosstab(unique["period"], unique["event"]) if len(unique) else pd.DataFrame()
    return counts.reindex(index=periods, columns=list(EVENTS), fill_value=0).fillna(0).astype(np.int64)
