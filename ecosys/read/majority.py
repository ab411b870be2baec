"""Agreement within nodes: how far a column's values agree within each partner (project), and each one's value.

A partner attribute (:mod:`.sides`) is decided by majority, not unanimity:
:func:`agreement` measures, among the nodes with two or more filled rows,
the rows holding their node's most frequent value (an :class:`Agreement`,
with examples of the nodes whose rows differ: :class:`Disagreement`), and
:func:`node_values` gives each node its most frequent value. Values are
compared folded (case and spacing aside: :func:`.cells.fold`); blank and
missing cells (``n/a``: :data:`.cells.MISSING`) are left out.

Example
-------
>>> import numpy as np
>>> from ecosys.read.majority import agreement, node_values
>>> nodes, values = np.array([0, 0, 0, 1, 1]), np.array(["public", "Public", "private", "private", ""])
>>> a = agreement(nodes, values, keys=["ACME", "UniBo"])
>>> a.nodes, a.differing, a.share, a.examples[0].text()
(1, 1, 0.6666666666666666, "'ACME': 'public' 2 rows, 'private' 1 row")
>>> node_values(nodes, 2, values).tolist()
['public', 'private']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import MISSING, clean_texts, fold, plain_values
from .messages import quoted

__all__ = ["EXAMPLES", "MAJORITY", "SHOWN", "Agreement", "Disagreement", "agreement", "agreements", "node_values"]

MAJORITY = 0.95  # the share of rows that must hold their node's most frequent value
EXAMPLES = 100  # nodes whose rows differ kept as examples, per column and side
SHOWN = 3  # values of a node shown in a message


@dataclass(frozen=True)
class Disagreement:
    """A node whose rows differ in a column: its key, its display name (None: the key is the name), and
    each value with its rows, most rows first (values that differ only by case or spacing are one).

    >>> Disagreement("ACME (IT)", None, (("public", 2), ("private", 1))).text()
    "'ACME (IT)': 'public' 2 rows, 'private' 1 row"
    """

    node: str
    name: str | None
    values: tuple

    def text(self) -> str:
        """The node and its values, as messages give them."""
        who = quoted(self.node) + (f" ({quoted(self.name)})" if self.name and self.name not in self.node else "")
        shown = [f"{quoted(' '.join(str(value).split()))} {rows} row{'s' if rows != 1 else ''}"
                 for value, rows in self.values[:SHOWN]]
        more = len(self.values) - SHOWN
        return f"{who}: " + ", ".join(shown) + (f" and {more} other value{'s' if more > 1 else ''}" if more > 0 else "")


@dataclass(frozen=True)
class Agreement:
    """How far a column agrees within the nodes of one side.

    ``nodes`` counts the nodes with two or more filled rows, ``differing``
    those whose rows differ; ``rows`` counts those nodes' filled rows,
    ``agreeing`` those holding their node's most frequent value.
    ``examples`` are up to :data:`EXAMPLES` of the differing nodes, most
    rows off their node's value first.

    >>> a = Agreement(nodes=40, differing=1, rows=100, agreeing=98)
    >>> a.share, a.unanimous, a.majority
    (0.98, False, True)
    """

    nodes: int
    differing: int
    rows: int
    agreeing: int
    examples: tuple = ()

    @property
    def share(self) -> float:
        """The share of rows holding their node's most frequent value (1.0 without evidence)."""
        return self.agreeing / self.rows if self.rows else 1.0

    @property
    def unanimous(self) -> bool:
        """True when no node's rows differ."""
        return self.differing == 0

    @property
    def majority(self) -> bool:
        """True when at least :data:`MAJORITY` of the rows hold their node's most frequent value."""
        return self.share >= MAJORITY

    def as_dict(self, side: str) -> dict:
        """JSON-ready: counts, share and the differing nodes with their values."""
        return {
            f"{side}s_with_two_rows_or_more": self.nodes,
            f"{side}s_differing": self.differing,
            "rows_agreeing": round(self.share, 4),
            "minority": [{side: d.node, **({"name": d.name} if d.name else {}), "values": dict(d.values)}
                         for d in self.examples],
        }


def _fold_all(texts: list) -> np.ndarray:
    """:func:`.cells.fold` of each text (:func:`.cells.clean_texts`, then case folded)."""
    folded = "\x00".join(clean_texts(texts)).casefold().split("\x00") if texts else []
    return np.array(folded if len(folded) == len(texts) else [fold(t) for t in texts], dtype=object)


def _codes(values: np.ndarray, factorized=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Folded value codes of the filled cells: (filled mask, codes, one spelling per code: the first met).

    ``factorized`` is ``pd.factorize(values)`` when the caller has it already.
    """
    codes, uniques = pd.factorize(values) if factorized is None else factorized
    if plain_values(uniques, blank=True) and (not len(codes) or codes.min() >= 0):
        # each value folds as it is (and none is missing): the codes are the folded codes, blanks aside
        uniques = np.asarray(uniques, dtype=object)
        blank = np.flatnonzero(uniques == "")
        if not len(blank):
            return np.ones(len(codes), dtype=bool), codes, uniques
        filled = codes != blank[0]
        return filled, codes[filled], uniques
    folded = _fold_all([str(u) for u in uniques])
    fcodes, funiques = pd.factorize(folded)
    blank = pd.Series(funiques, dtype=object).isin(list(MISSING)).to_numpy(dtype=bool)  # hashed, not sorted
    filled = ~blank[fcodes[codes]] if len(codes) else np.zeros(0, dtype=bool)
    first = np.full(len(funiques), -1, dtype=np.int64)
    first[fcodes[::-1]] = np.arange(len(fcodes))[::-1]  # the first spelling of each folded value
    spelled = np.asarray(uniques, dtype=object)[first] if len(first) else np.zeros(0, dtype=object)
    return filled, fcodes[codes[filled]] if len(codes) else codes, spelled


def agreement(nodes: np.ndarray, values: np.ndarray, keys=None, names=None) -> Agreement:
    """How far ``values`` (one per row) agree within each node (``nodes``: one code per row).

    ``keys`` (one per node code) and ``names`` (one per row, or None) name
    the differing nodes in the examples; blank and missing cells are left
    out, values compared folded.

    >>> a = agreement(np.array([0, 0, 0, 1, 1]), np.array(["public", "Public", "private", "x", "n/a"]), ["A", "B"])
    >>> a.nodes, a.differing, a.rows, a.agreeing, a.examples[0].text()
    (1, 1, 3, 2, "'A': 'public' 2 rows, 'private' 1 row")
    """
    return _agreement(np.asarray(nodes, dtype=np.int64), _codes(np.asarray(values, dtype=object)), keys, names)


def _agreement(nodes: np.ndarray, coded: tuple, keys, names) -> Agreement:
    """:func:`agreement` of values already coded (:func:`_codes`)."""
    filled, vcodes, spelled = coded
    n_nodes = int(nodes.max()) + 1 if len(nodes) else 0
    all_filled = bool(filled.all())
    node = nodes if all_filled else nodes[filled]
    per_node = np.bincount(node, minlength=n_nodes)
    multi = per_node >= 2  # the nodes with evidence (a node of one row agrees with itself: its pair changes nothing)
    if not multi.any():
        return Agreement(0, 0, 0, 0)
    width = int(vcodes.max()) + 1
    distinct, top = _distinct_top(node, vcodes, n_nodes, width)
    differ = np.flatnonzero(distinct > 1)
    examples = ()
    if len(differ):
        off = per_node[differ] - top[differ]
        order = np.lexsort((differ, -off))[:EXAMPLES]
        shown = differ[order]
        wanted = np.zeros(n_nodes, dtype=bool)
        wanted[shown] = True
        rows = np.flatnonzero(wanted[node])  # the shown nodes' rows: their pairs counted again, alone
        row_names = None
        if names is not None:  # each shown node's first name
            named = np.asarray(names, dtype=object)[rows if all_filled else np.flatnonzero(filled)[rows]]
            row_names = pd.Series(named).groupby(node[rows]).first()
        pairs, counts = np.unique(node[rows] * width + vcodes[rows], return_counts=True)  # by node, then value
        pair_node = pairs // width
        chosen = []
        starts, ends = np.searchsorted(pair_node, shown), np.searchsorted(pair_node, shown, "right")
        for k, start, end in zip(shown, starts, ends):  # each node's pairs are a run
            run = np.arange(start, end)
            run = run[np.argsort(-counts[run], kind="stable")]  # most rows first, ties in value order
            values_k = list(zip(spelled[pairs[run] % width].tolist(), counts[run].tolist()))
            key = str(keys[k]) if keys is not None else str(k)
            name = str(row_names.get(k, "")) if row_names is not None else None
            chosen.append(Disagreement(key, name or None, tuple(values_k)))
        examples = tuple(chosen)
    return Agreement(int(multi.sum()), len(differ), int(per_node[multi].sum()), int(top[multi].sum()), examples)


def _distinct_top(node: np.ndarray, values: np.ndarray, n_nodes: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each node's count of distinct values and the rows of its most frequent one (``node``, ``values``: one
    code a row). The rows holding a value no other row holds are counted without a sort: the pairs of the
    others alone are sorted, when there are many possible pairs (a column of amounts)."""
    top = np.zeros(n_nodes, dtype=np.int64)
    distinct = np.zeros(n_nodes, dtype=np.int64)
    several = _several(node, values, n_nodes)  # the nodes whose rows hold two values or more
    alone = np.flatnonzero(~several[node]) if several.any() else None
    counted = np.bincount(node if alone is None else node[alone], minlength=n_nodes)
    top += counted  # a node of one value: one distinct, all its rows on it, counted without a sort
    distinct += counted > 0
    if alone is None:
        return distinct, top
    rest = np.flatnonzero(several[node])
    node, values = node[rest], values[rest]
    space = n_nodes * width
    if space > 4 * len(node) + 4096:
        once = np.bincount(values, minlength=width)[values] == 1
        alone = np.bincount(node[once], minlength=n_nodes)
        distinct += alone
        top[alone > 0] = 1
        node, values = node[~once], values[~once]
    if len(node):
        pairs, counts = _counted(node * width + values, space)  # sorted: by node, then value
        pair_node = pairs // width
        distinct += np.bincount(pair_node, minlength=n_nodes)
        starts = np.flatnonzero(np.r_[True, pair_node[1:] != pair_node[:-1]])  # each node's pairs are a run
        lead = pair_node[starts]
        top[lead] = np.maximum(top[lead], np.maximum.reduceat(counts, starts))
    return distinct, top


def _several(groups: np.ndarray, items: np.ndarray, count: int) -> np.ndarray:
    """Which of ``count`` groups hold two items or more (one group and one item a row), in two passes over
    the rows and no sort: each group's last item written, then the rows holding another."""
    last = np.zeros(count, dtype=items.dtype)
    last[groups] = items
    several = np.zeros(count, dtype=bool)
    several[groups[last[groups] != items]] = True
    return several


def agreements(codes: dict, values: np.ndarray, names: dict | None = None, factorized=None) -> dict:
    """:func:`agreement` on each side at once: ``codes`` maps a side to its (node codes, keys), ``names`` a
    side to its display names (one per row); the values are coded once (``factorized``: their
    ``pd.factorize``, when the caller has it).

    >>> a = agreements({"partner": (np.array([0, 0]), ["A"])}, np.array(["x", "y"]))
    >>> a["partner"].differing
    1
    """
    coded = _codes(np.asarray(values, dtype=object), factorized)
    names = names or {}
    return {side: _agreement(np.asarray(nodes, dtype=np.int64), coded, keys, names.get(side))
            for side, (nodes, keys) in codes.items()}


def node_values(nodes: np.ndarray, count: int, values: np.ndarray, spelling: str = "column",
                factorized=None) -> np.ndarray:
    """Each node's value: its most frequent one (ties: the first met), values compared folded.

    Folded, values that differ only by case or spacing are one (``Public``
    and ``public``); each is written in its most frequent spelling in the
    whole column (``spelling="column"``: one category, one spelling), or in
    the node's own rows (``spelling="node"``, for names). Blank cells are
    left out, and missing-value cells (``n/a``) count only for a node that
    has nothing else. ``nodes`` holds each row's node code (0 to ``count - 1``);
    ``factorized``: the values as codes (one a row, none -1) into distinct
    values, when the caller has them (``values`` is then not read).

    >>> node_values(np.array([0, 0, 0, 1, 1, 2]), 4, np.array(["public", "n/a", "Private", "n/a", "", "x"])).tolist()
    ['public', 'n/a', 'x', '']
    >>> values = np.array(["Public", "public", "Public", "public", "public"])
    >>> node_values(np.array([0, 0, 0, 1, 1]), 2, values).tolist(), node_values(np.array([0, 0, 0, 1, 1]), 2, values, "node").tolist()
    (['public', 'public'], ['Public', 'public'])
    """
    nodes = np.asarray(nodes, dtype=np.int64)
    out = np.full(count, "", dtype=object)
    if factorized is not None:  # the filled cells' codes (distinct values never met change nothing chosen)
        codes, uniques = factorized
        present = np.flatnonzero((np.asarray(uniques, dtype=object) != "")[codes])
        codes = codes[present] if len(present) < len(codes) else codes
    else:
        values = np.asarray(values, dtype=object)
        present = np.flatnonzero(values != "")
        if len(present):
            codes, uniques = pd.factorize(values[present] if len(present) < len(values) else values)
    if not len(present):
        return out
    if plain_values(uniques, blank=True):  # each value folds as it is, none is missing (blanks are not present)
        folded, folded_uniques = np.arange(len(uniques)), np.asarray(uniques, dtype=object)
        missing = np.zeros(len(uniques), dtype=np.int64)
    else:
        folded, folded_uniques = pd.factorize(_fold_all([str(u) for u in uniques]))
        missing = pd.Series(folded_uniques, dtype=object).isin(list(MISSING)).to_numpy(dtype=np.int64)
    node, value = nodes[present], folded[codes]
    chosen = _most_frequent(node, value, len(folded_uniques), tiebreak=missing)
    if spelling == "node":
        mine = chosen[node] == value
        written = _most_frequent(node[mine], codes[mine], len(uniques))
        has = np.flatnonzero(written >= 0)
        out[has] = np.asarray(uniques, dtype=object)[written[has]]
        return out
    if len(folded_uniques) == len(uniques):  # no two spellings fold together: each value is its own spelling
        written = np.empty(len(uniques), dtype=np.int64)
        written[folded] = np.arange(len(uniques))
    else:
        written = _most_frequent(value, codes, len(uniques))  # each folded value's spelling in the column
    has = np.flatnonzero(chosen >= 0)
    out[has] = np.asarray(uniques, dtype=object)[written[chosen[has]]]
    return out


def _most_frequent(groups: np.ndarray, items: np.ndarray, width: int, tiebreak=None) -> np.ndarray:
    """For each group (0 to max), its most frequent item (ties: the first met; -1: none).

    ``tiebreak`` (one int per item) ranks items before their counts: lower first.
    """
    out = np.full(int(groups.max()) + 1 if len(groups) else 0, -1, dtype=np.int64)
    if not len(groups):
        return out
    several = _several(groups, items, len(out))
    if not several.all():  # a group of one item: that item, found without a sort
        out[groups] = items
        out[several] = -1
        if not several.any():
            return out
        rest = np.flatnonzero(several[groups])  # the others' rows, in their order: the first met stays first
        groups, items = groups[rest], items[rest]
    pairs, counts, first = _counted(groups * width + items, len(out) * width, first=True)
    group, item = pairs // width, pairs % width
    rank = tiebreak[item] if tiebreak is not None else np.zeros(len(item), dtype=np.int64)
    order = np.lexsort((first, -counts, rank, group))
    group, item = group[order], item[order]
    lead = np.r_[True, group[1:] != group[:-1]]
    out[group[lead]] = item[lead]
    return out


def _counted(keys: np.ndarray, space: int, first: bool = False) -> tuple:
    """``np.unique(keys, return_counts=True)`` of keys from 0 to ``space - 1``, and with ``first`` each
    one's first position: counted in a table of every key (no sort) when there are not many more
    possible keys than keys (a partner's country), else sorted (a participation's amount)."""
    if space > 4 * len(keys) + 4096:
        if not first:
            return np.unique(keys, return_counts=True)
        distinct, index, counts = np.unique(keys, return_index=True, return_counts=True)
        return distinct, counts, index
    table = np.bincount(keys, minlength=space)
    distinct = np.flatnonzero(table)
    if not first:
        return distinct, table[distinct]
    position = np.empty(space, dtype=np.int64)
    position[keys[::-1]] = np.arange(len(keys))[::-1]  # the last written, the first met
    return distinct, table[distinct], position[distinct]
