"""What a community's members hold, attribute by attribute: the leading values of its categories, the totals
of its amounts.

:func:`attribute_profiles` gives the attribute columns of ``communities.csv``
(:func:`ecosys.profiles.community_profiles`): for each categorical attribute
its most frequent values with their shares (:func:`composition`), for each
amount (:func:`is_amount`) its total per community (:func:`totals`). The
amounts are read a column at a time (:func:`ecosys.read.numbers.parse_numbers`),
the values counted on their codes: no cell is looked at in Python.

Example
-------
>>> from ecosys.attributes import composition, totals
>>> composition([1, 1, 2], ["town", "town", "firm"])[["community", "value", "count"]].values.tolist()
[[1, 'town', 2], [2, 'firm', 1]]
>>> totals([1, 2, 1], [10.0, 5.0, 2.5]).tolist()
[12.5, 5.0]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .graph import PARTNER, PROJECT, Bipartite
from .read.numbers import NumberFormat, number_format, parse_numbers, to_numbers

__all__ = ["AMOUNT", "MISSING", "PROFILE_VALUES", "attribute_profiles", "categorical_columns", "composition",
           "is_amount", "is_categorical", "totals"]

PROFILE_VALUES = 3  # the most frequent values of each categorical attribute
# An attribute is an amount (summed per community) when its values are numbers and its name says so (or its
# cells name a currency: is_amount).
AMOUNT = re.compile(r"amount|contribution|budget|cost|eur|fund|grant|price|value", re.IGNORECASE)
MISSING = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-")  # blank in a profile
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?")


def composition(community, values, most: int = PROFILE_VALUES) -> pd.DataFrame:
    """The ``most`` most frequent values of an attribute in each community.

    ``community`` holds each member's community and ``values`` its value
    (``""``: blank, not counted). A tie goes to the value met first in
    ``values``: give the members most central first to favour their values,
    or sorted by value for alphabetical ties. One row per community and
    value, communities in increasing order, the most frequent value first:
    ``community``, ``value``, ``count``, ``share`` (of the community's
    members with a value), ``filled`` (those members) and ``members`` (all
    its members).

    >>> composition([1, 1, 1, 1, 2], ["town", "", "firm", "town", "firm"]).values.tolist()
    [[1, 'town', 2, 0.6666666666666666, 3, 4], [1, 'firm', 1, 0.3333333333333333, 3, 4], [2, 'firm', 1, 1.0, 1, 1]]
    """
    community = np.asarray(community)
    values = np.asarray(values, dtype=object)
    members = pd.Series(community).value_counts()
    filled = values != ""
    t = pd.DataFrame({"community": community[filled], "value": values[filled]})
    counts = t.groupby(["community", "value"], sort=False).size().rename("count").reset_index()  # first met first
    counts = counts.sort_values(["community", "count"], ascending=[True, False], kind="stable")
    counts = counts.groupby("community").head(most).reset_index(drop=True)
    with_value = t["community"].value_counts()
    counts["filled"] = with_value.reindex(counts["community"]).to_numpy()
    counts.insert(3, "share", counts["count"] / counts["filled"])
    counts["members"] = members.reindex(counts["community"]).to_numpy()
    return counts


def totals(community, amounts) -> pd.Series:
    """The sum of ``amounts`` over each community's members (index: the communities, increasing).

    Communities are numbered from 1 (:class:`Partition`); amounts are added
    in the order given.

    >>> totals([1, 2, 1], [10.0, 5.0, 2.5]).to_dict()
    {1: 12.5, 2: 5.0}
    """
    community = np.asarray(community, dtype=np.int64)
    present = np.unique(community)
    sums = np.bincount(community, weights=np.asarray(amounts, dtype=float), minlength=int(present.max(initial=0)) + 1)
    return pd.Series(sums[present], index=present)


def attribute_profiles(net: Bipartite, community: np.ndarray, communities: list) -> dict:
    """The attribute columns of the communities' profiles by name, one value per community of ``communities``.

    ``community`` holds each node's community (partners, then projects). For each categorical attribute of
    the partners (projects), ``partners_<attribute>`` (``projects_...``): its ``PROFILE_VALUES`` most frequent
    values with their shares, ties alphabetical; for each amount of the partners, the projects or the
    participations, ``<attribute>_total`` rounded to whole units (see
    :func:`ecosys.profiles.community_profiles`).

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")]))
    >>> net.partners["type"] = ["town", "town", "firm"]
    >>> net.projects["budget"] = ["1.000,5", "250"]
    >>> attribute_profiles(net, np.array([1, 1, 2, 1, 2]), [1, 2])
    {'partners_type': ['town 100%', 'firm 100%'], 'budget_total': [1000, 250]}
    """
    n = net.n_partners
    columns = {}
    sources = [
        (PARTNER, net.partners, community[:n]),
        (PROJECT, net.projects, community[n:]),
        ("participation", net.edges, community[:n][net.edges[PARTNER].to_numpy()]),
    ]
    for kind, table, members in sources:
        attributes = net.attributes(kind) if kind != "participation" else net.edge_attributes()
        for column in attributes:
            fmt = net.numbers.get(column)
            if (kind == "participation" or fmt is not None) and not is_amount(column, fmt):
                # of the participations' attributes only the amounts are used, and numbers known as such (every
                # distinct cell of the column fits ``fmt``) that are no amounts are no categories: not read
                continue
            if fmt is not None and _amount_total(columns, column, table[column], fmt, members, communities):
                continue
            values = pd.Series(table[column].to_numpy(dtype=object))
            filled = (~values.isin(MISSING)).to_numpy()
            if not filled.any():
                continue
            present = values[filled]
            if fmt is not None:  # each distinct value read once (ecosys.read.numbers.to_numbers)
                numbers = _numbers(present, fmt)
            else:  # the format found on the distinct values
                codes, distinct = pd.factorize(present, use_na_sentinel=False)
                numbers = _numbers(pd.Series(distinct))
                numbers = numbers[codes] if numbers is not None else None
            if numbers is not None:
                if is_amount(column, fmt):
                    known = ~np.isnan(numbers)
                    total = totals(members[filled][known], numbers[known]).reindex(communities, fill_value=0.0)
                    columns[f"{column}_total"] = [int(round(v)) for v in total.tolist()]
                continue  # other numbers (years, durations, counts) are not categories
            if kind == "participation" or not is_categorical(present):
                continue
            text = _leading_values(members[filled], present.to_numpy())
            columns[f"{'partners' if kind == PARTNER else 'projects'}_{column}"] = [
                "; ".join(text.get(c, [])) for c in communities
            ]
    return columns


def _leading_values(members: np.ndarray, values: np.ndarray) -> dict[int, list[str]]:
    """Each community's ``PROFILE_VALUES`` most frequent values with their shares (``"town 67%"``), ties
    alphabetical: :func:`composition` of the members sorted by value, counted on the values' codes."""
    codes, uniques = pd.factorize(values, sort=True)  # codes in alphabetical order: ties go to the first value
    if members.dtype.kind not in "iu" or not len(codes) or codes.min() < 0 or members.min() < 0:
        order = np.argsort(values, kind="stable")  # ties: alphabetical
        top = composition(members[order], values[order])
        found, value, count, filled = (top["community"].to_numpy(), top["value"].tolist(), top["count"].to_numpy(),
                                       top["filled"].to_numpy())
    else:
        members = members.astype(np.int64)
        key, inverse = np.unique(members * len(uniques) + codes, return_counts=True)
        found, code = key // len(uniques), key % len(uniques)
        order = np.lexsort((code, -inverse, found))  # by community, the most frequent first, ties alphabetical
        found, code, count = found[order], code[order], inverse[order]
        first = np.flatnonzero(np.r_[True, found[1:] != found[:-1]])
        rank = np.arange(len(found)) - np.repeat(first, np.diff(np.r_[first, len(found)]))
        kept = rank < PROFILE_VALUES
        found, count = found[kept], count[kept]
        value = uniques[code[kept]].tolist()
        filled = np.bincount(members)[found]  # the members with a value (every member here)
    shares = (100 * count / filled).round().astype(int)
    text: dict[int, list[str]] = {}
    for c, v, p in zip(found.tolist(), value, shares.tolist()):
        text.setdefault(c, []).append(f"{v} {p}%")
    return text


def _amount_total(columns: dict, column: str, cells: pd.Series, fmt: NumberFormat, members: np.ndarray,
                  communities: list) -> bool:
    """Put the amount's ``<column>_total`` in ``columns`` (none when no cell is filled); False when a cell is
    no number written ``fmt``'s way (the caller then looks at the column as text).

    Every cell is read (:func:`ecosys.read.numbers.parse_numbers`): the blank and missing ones (``MISSING``)
    read as NaN and are left out with the others that do, so the sums add the same numbers in the same order
    as those of the filled cells alone."""
    try:
        numbers = parse_numbers(cells, fmt)
    except ValueError:
        return False
    known = ~np.isnan(numbers)
    if known.any() or (~pd.Series(cells.to_numpy(dtype=object)).isin(MISSING)).any():
        total = totals(members[known], numbers[known]).reindex(communities, fill_value=0.0)
        columns[f"{column}_total"] = [int(round(v)) for v in total.tolist()]
    return True


def is_amount(column: str, fmt: NumberFormat | None) -> bool:
    """True for a column of numbers that are amounts (summed per community): in a currency, or named as
    an amount (:data:`AMOUNT`) and not percentages.

    >>> is_amount("ecMaxContribution", NumberFormat(",")), is_amount("numProj", NumberFormat())
    (True, False)
    >>> is_amount("Co-financing", NumberFormat(unit="EUR")), is_amount("budget share", NumberFormat(unit="%"))
    (True, False)
    """
    if fmt is not None and fmt.unit is not None:
        return fmt.is_currency
    return AMOUNT.search(column) is not None


def is_categorical(values: pd.Series) -> bool:
    """True for filled text values that make categories: not numbers, not dates, repeated values.

    At least two distinct values, and at most half as many distinct values as
    cells (two allowed): a name or an id column is no category.

    >>> is_categorical(pd.Series(["town", "firm", "town"])), is_categorical(pd.Series(["2019", "2020", "2019"]))
    (True, False)
    """
    if not (len(values) and 1 < values.nunique() <= max(2, len(values) // 2)):
        return False
    distinct = pd.Series(values.unique())  # numbers and dates are found on the distinct values: the same verdict
    return _numbers(distinct) is None and not distinct.str.match(_DATE).all()


def categorical_columns(table: pd.DataFrame, columns) -> list[str]:
    """The columns of ``table`` (among ``columns``) whose filled values are categories (:func:`is_categorical`).

    >>> t = pd.DataFrame({"type": ["town", "firm", "town", ""], "budget": ["1", "2", "3", "4"], "id": list("abcd")})
    >>> categorical_columns(t, t.columns)
    ['type']
    """
    out = []
    for column in columns:
        values = pd.Series(table[column].to_numpy(dtype=object))
        values = values[~values.isin(MISSING)].astype(str)
        if is_categorical(values):
            out.append(column)
    return out


def _numbers(values: pd.Series, fmt: NumberFormat | None = None) -> np.ndarray | None:
    """The values as floats (NaN: missing) if they are numbers written one way (``fmt``, else found by
    :func:`ecosys.read.numbers.number_format`), else None."""
    fmt = fmt if fmt is not None else number_format(values.to_numpy(dtype=object))
    if fmt is None:
        return None
    try:
        return to_numbers(values.to_numpy(dtype=object), fmt)
    except ValueError:  # a format found on the whole column that this subset does not follow
        return None
