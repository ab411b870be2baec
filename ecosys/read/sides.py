"""Which side each attribute column belongs to: the partner, the project, or the participation.

Every column of a participation table besides the partner and project keys
is an attribute. A column whose filled values never differ within a partner
is a partner attribute (a partner's ``type``, ``city``); within a project, a
project attribute (``programme``, ``start``); otherwise it belongs to the
participation, the edge (a ``role``, an ``amount`` per partner).

When a column is constant on both sides, evidence decides: the side where
more nodes have two or more filled rows that agree wins (one row per node
proves nothing). Without evidence, or on a tie, the column's name decides (a
role or contribution belongs to the participation; dates, programme, budget
to the project), then partners.

Example
-------
>>> import pandas as pd
>>> from ecosys.read.sides import attribute_sides
>>> table = pd.DataFrame({"partner": ["A", "A", "B", "B"], "project": ["P1", "P2", "P1", "P2"],
...                       "role": ["lead", "partner", "partner", "lead"], "country": ["IT", "IT", "FR", "FR"],
...                       "start": ["2020", "2021", "2020", "2021"]})
>>> attribute_sides(table, ["role", "country", "start"])
Sides(partner=('country',), project=('start',), edge=('role',))
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .columns import normal_header

__all__ = ["EDGE_HINTS", "PROJECT_HINTS", "Sides", "attribute_sides"]

# Words of a column name that decide its side when the values do not
PROJECT_HINTS = {"start", "end", "date", "year", "programme", "program", "call", "topic", "topics",
                 "budget", "cost", "acronym", "title", "scheme", "duration", "status"}
EDGE_HINTS = {"role", "contribution", "share", "funding", "grant"}


class Sides(NamedTuple):
    """The attribute columns of each side, in the order given."""

    partner: tuple
    project: tuple
    edge: tuple


def attribute_sides(table: pd.DataFrame, columns: list[str]) -> Sides:
    """Split ``columns`` of ``table`` (with ``partner`` and ``project`` key columns) into the three sides.

    Computed on integer codes: a column is constant within a side when every
    filled row's value equals the first filled value of its node.

    >>> table = pd.DataFrame({"partner": ["A", "B"], "project": ["P1", "P1"], "type": ["HES", "PRC"],
    ...                       "call": ["H2020", "H2020"]})
    >>> attribute_sides(table, ["type", "call"])
    Sides(partner=('type',), project=('call',), edge=())
    """
    partner_attrs, project_attrs, edge_attrs = [], [], []
    node_codes = {}
    for side in ("partner", "project"):
        codes, uniques = pd.factorize(table[side].to_numpy(dtype=object))
        node_codes[side] = (codes, len(uniques))
    for column in columns:
        values = table[column].to_numpy(dtype=object)
        filled = values != ""
        value_codes = pd.factorize(values[filled])[0]
        evidence = {}
        for side in ("partner", "project"):
            nodes, count = node_codes[side][0][filled], node_codes[side][1]
            first = np.full(count, -1, dtype=np.int64)
            first[nodes[::-1]] = value_codes[::-1]  # the last write wins: each node's first value
            if (value_codes == first[nodes]).all():
                evidence[side] = int((np.bincount(nodes, minlength=count) >= 2).sum())
        words = set(normal_header(column).split())
        best = max(evidence.values(), default=0)
        leaders = [side for side in ("partner", "project") if evidence.get(side, -1) == best]
        if not evidence or (best == 0 and not EDGE_HINTS.isdisjoint(words)):
            side = "edge"
        elif len(leaders) == 1:
            side = leaders[0]
        else:
            side = "project" if not PROJECT_HINTS.isdisjoint(words) else "partner"
        {"partner": partner_attrs, "project": project_attrs, "edge": edge_attrs}[side].append(column)
    return Sides(tuple(partner_attrs), tuple(project_attrs), tuple(edge_attrs))
