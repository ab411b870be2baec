"""Which side each attribute column belongs to: the partner, the project, or the participation.

Every column of a participation table besides the partner and project keys
is an attribute. A column whose values agree within each partner is a
partner attribute (a partner's ``type``, ``city``); within each project, a
project attribute (``programme``, ``start``); otherwise it belongs to the
participation, the edge (a ``role``, an ``amount`` per partner).

"Agree" is decided by majority, not unanimity, since real exports carry
small disagreements (a blank row, ``Public`` and ``public``, one row typed
wrong). Values are compared folded (case and spacing aside), blank and
missing cells (``n/a``: :data:`.cells.MISSING`) left out. Among the partners
(projects) with two or more filled rows, the rows holding their node's most
frequent value are counted (:class:`Agreement`): the column is a partner
(project) attribute when they are at least :data:`MAJORITY` (95%) of those
rows. Each node then takes its most frequent value (:func:`node_values`);
the others are reported. A column whose name says it describes the
participation (a ``role``, a ``contribution``: :data:`EDGE_HINTS`) needs
every row to agree.

When both sides qualify, a side where every node agrees wins over one where
a majority does; then the side where more nodes with two or more rows agree;
without such evidence, or on a tie, the column's name decides (a role or
contribution belongs to the participation; dates, programme, budget to the
project: :data:`PROJECT_HINTS`), then partners. A person can decide instead
(``partner_attributes`` / ``project_attributes`` of
:func:`~ecosys.read.read_participations`).

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

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from .columns import normal_header
from .majority import Agreement, agreement, agreements
from .messages import list_columns, quoted

__all__ = [
    "EDGE_HINTS", "PROJECT_HINTS", "ColumnSide", "Sides", "attribute_sides", "chosen_sides", "column_sides",
    "describe", "not_a_partner_attribute", "remeasure", "side_warning",
]

# Words of a column name that decide its side when the values do not
PROJECT_HINTS = {"start", "end", "date", "year", "programme", "program", "call", "topic", "topics",
                 "budget", "cost", "acronym", "title", "scheme", "duration", "status"}
EDGE_HINTS = {"role", "contribution", "share", "funding", "grant"}
SIDES = ("partner", "project")


class Sides(NamedTuple):
    """The attribute columns of each side, in the order given."""

    partner: tuple
    project: tuple
    edge: tuple


@dataclass(frozen=True)
class ColumnSide:
    """Where one attribute column went, and why.

    ``side`` is ``partner``, ``project`` or ``participation``; ``by`` says
    what decided: ``values`` (every node of the side agrees, or, for a
    participation attribute, neither side has a majority), ``majority``
    (most rows agree with their node), ``name`` (the values allowed both
    sides, or neither had evidence), ``option`` (a person decided),
    ``label`` (the column holds the side's display names) or ``table`` (it
    comes from a partners or projects table). ``partner`` and ``project``
    are the :class:`Agreement` of each side (None when not measured).
    """

    column: str
    side: str
    by: str
    partner: Agreement | None = None
    project: Agreement | None = None

    def agreement(self, side: str) -> Agreement | None:
        """The agreement on ``side`` (``partner`` or ``project``)."""
        return self.partner if side == "partner" else self.project if side == "project" else None


def column_sides(table: pd.DataFrame, columns: list[str], *, forced: dict | None = None,
                 names: dict | None = None, factorized: dict | None = None,
                 keys: dict | None = None) -> list[ColumnSide]:
    """Where each of ``columns`` of ``table`` (with ``partner`` and ``project`` key columns) goes, and why.

    ``forced`` maps columns to the side a person chose (``partner`` or
    ``project``); ``names`` maps a side to the column holding its display
    names, for the examples; ``factorized`` maps columns to their
    ``pd.factorize``, when the caller has it, and ``keys`` the sides' (that
    of ``table["partner"]`` and ``table["project"]``).

    >>> t = pd.DataFrame({"partner": ["A", "A", "B", "B"], "project": ["P1", "P2", "P1", "P2"],
    ...                   "status": ["public", "Public", "", "private"]})
    >>> [(c.side, c.by) for c in column_sides(t, ["status"])]
    [('partner', 'values')]
    """
    forced = forced or {}
    names = names or {}
    codes = keys or {side: pd.factorize(table[side].to_numpy(dtype=object)) for side in SIDES}
    codes = {side: (np.asarray(c, dtype=np.int64), k) for side, (c, k) in codes.items()}  # once for every column
    labels = {side: table[names[side]].to_numpy(dtype=object) for side in SIDES if names.get(side)}
    out = []
    for column in columns:
        values = table[column].to_numpy(dtype=object)
        found = agreements(codes, values, labels, (factorized or {}).get(column))
        if column in forced:
            out.append(ColumnSide(column, forced[column], "option", found["partner"], found["project"]))
            continue
        words = set(normal_header(column).split())
        edge_named = not EDGE_HINTS.isdisjoint(words)
        passing = [s for s in SIDES if found[s].unanimous or (found[s].majority and not edge_named)]
        evidence = {s: found[s].nodes - found[s].differing for s in passing}
        best = max(evidence.values(), default=0)
        if not passing or (best == 0 and edge_named):
            side, by = "participation", "values"
        else:
            unanimous = [s for s in passing if found[s].unanimous]
            leaders = unanimous if len(unanimous) == 1 else [s for s in passing if evidence[s] == best]
            if len(leaders) == 1:
                side = leaders[0]
                by = "values" if found[side].unanimous else "majority"
            else:
                side, by = ("project" if not PROJECT_HINTS.isdisjoint(words) else "partner"), "name"
        out.append(ColumnSide(column, side, by, found["partner"], found["project"]))
    return out


def attribute_sides(table: pd.DataFrame, columns: list[str]) -> Sides:
    """Split ``columns`` of ``table`` (with ``partner`` and ``project`` key columns) into the three sides
    (see :func:`column_sides`).

    >>> table = pd.DataFrame({"partner": ["A", "B"], "project": ["P1", "P1"], "type": ["HES", "PRC"],
    ...                       "call": ["H2020", "H2020"]})
    >>> attribute_sides(table, ["type", "call"])
    Sides(partner=('type',), project=('call',), edge=())
    """
    found = column_sides(table, columns)
    return Sides(*(tuple(c.column for c in found if c.side == side) for side in (*SIDES, "participation")))


def remeasure(found: ColumnSide, table: pd.DataFrame, names: dict | None = None) -> ColumnSide:
    """``found`` with the agreement on its side measured again on ``table`` (the nodes merged by aliases).

    >>> t = pd.DataFrame({"partner": ["A", "A"], "project": ["P1", "P2"], "type": ["x", "y"]})
    >>> remeasure(ColumnSide("type", "partner", "values", Agreement(0, 0, 0, 0)), t).partner.differing
    1
    """
    if found.side not in SIDES:
        return found
    names = names or {}
    codes, keys = pd.factorize(table[found.side].to_numpy(dtype=object))
    label = table[names[found.side]].to_numpy(dtype=object) if names.get(found.side) else None
    return replace(found, **{found.side: agreement(codes, table[found.column].to_numpy(dtype=object), keys, label)})


def describe(found: ColumnSide, focus: str | None = None) -> str:
    """Why a column is where it is, in a sentence (the ``--group-by`` error and the warnings use it).

    For a participation attribute, ``focus`` (``partner`` or ``project``)
    says how it differs on that side only.

    >>> from ecosys.read.majority import Agreement, Disagreement
    >>> a = Agreement(nodes=3, differing=1, rows=7, agreeing=6,
    ...               examples=(Disagreement("ACME", None, (("public", 2), ("private", 1))),))
    >>> print(describe(ColumnSide("Legal Status", "participation", "values", a, Agreement(0, 0, 0, 0))))
    'Legal Status' is a participation attribute: it differs within 1 of 3 partners with two or more rows (86% of their rows agree with their partner's most frequent value, e.g. 'ACME': 'public' 2 rows, 'private' 1 row)
    """
    name = f"{quoted(found.column)} is a {found.side} attribute"
    if found.by == "label":
        return f"{name}: it holds the {found.side}s' names"
    if found.by == "table":
        return f"{name}: it comes from the {found.side}s table"
    if found.by == "option":
        return f"{name}: as --{found.side}-attributes says"
    if found.side == "participation":
        parts = []
        for side in SIDES if focus is None else (focus,):
            a = found.agreement(side)
            if a is not None and a.differing:
                parts.append(_differs(a, side))
        if not parts:
            return f"{name}: its name says it describes the participation"
        return f"{name}: it differs " + "; and ".join(parts)
    a = found.agreement(found.side)
    if found.by == "majority":
        return f"{name} by majority: it differs {_differs(a, found.side)}"
    if found.by == "name":
        return f"{name}: its values agree within partners and within projects alike, and its name decides"
    return f"{name}: it never differs within a {found.side}"


def _differs(a: Agreement, side: str) -> str:
    example = f", e.g. {a.examples[0].text()}" if a.examples else ""
    return (f"within {a.differing:,} of {a.nodes:,} {side}s with two or more rows ({_percent(a.share)} of their "
            f"rows agree with their {side}'s most frequent value{example})")


def _percent(share: float) -> str:
    """A share as a percentage, with a decimal where a whole number would say 0% or 100% wrongly."""
    text = f"{share:.0%}"
    return f"{share:.1%}" if text in ("0%", "100%") and 0 < share < 1 else text


def side_warning(where: str, found: ColumnSide) -> str:
    """The warning for a partner (project) attribute whose rows differ within some nodes.

    >>> from ecosys.read.majority import Agreement, Disagreement
    >>> a = Agreement(40, 1, 100, 99, (Disagreement("ACME", None, (("public", 2), ("private", 1))),))
    >>> print(side_warning("t.csv", ColumnSide("status", "partner", "majority", a)))
    t.csv: 'status' is a partner attribute by majority: it differs within 1 of 40 partners with two or more rows (99% of their rows agree with their partner's most frequent value, e.g. 'ACME': 'public' 2 rows, 'private' 1 row); each partner's most frequent value is used
    """
    a = found.agreement(found.side)
    if found.by == "majority":
        text = describe(found)
    elif found.by == "option":
        text = f"{describe(found)}: it differs {_differs(a, found.side)}"
    else:  # agreed before the aliases merged some nodes
        text = f"{quoted(found.column)} is a {found.side} attribute, but after the aliases it differs {_differs(a, found.side)}"
    return f"{where}: {text}; each {found.side}'s most frequent value is used"


def chosen_sides(chosen: dict | None, kept: dict, joined: dict, labels: dict, keys: tuple, where: str) -> dict:
    """The columns a person put on the partner or project side: ``{column: side}``.

    ``chosen`` maps ``partner`` / ``project`` to column names (each name a
    column, case-insensitively, or several joined by commas); ``kept`` maps
    the participation table's columns to their names in the table,
    ``joined`` the columns of partner / project tables to their side,
    ``labels`` the display-name columns to their side; ``keys`` are the key
    columns, ``where`` names the input. Raises
    :class:`~ecosys.errors.InputError` for an unknown column, a key column, a
    column chosen for both sides, or a column that can only be on the other
    side (a display name, a column of a partners or projects table).

    >>> chosen_sides({"partner": ["Legal Status,city"]}, {"Legal Status": "Legal Status", "city": "city"}, {}, {},
    ...              ("org", "project"), "t.csv")
    {'Legal Status': 'partner', 'city': 'partner'}
    >>> chosen_sides({"project": ["role"]}, {"role": "role"}, {}, {}, ("org", "project"), "t.csv")
    {'role': 'project'}
    """
    out: dict = {}
    names = {**{c: c for c in joined}, **kept}
    lower = {}
    for original, name in names.items():
        lower.setdefault(original.casefold(), name)
        lower.setdefault(name.casefold(), name)
    for side in SIDES:
        option = f"--{side}-attributes"
        for given in (chosen or {}).get(side, ()):
            parts = [given] if given.strip().casefold() in lower or given in keys else given.split(",")
            for part in parts:
                part = part.strip()
                if not part:
                    continue
                if part.casefold() in (k.casefold() for k in keys):
                    raise InputError(f"{where}: {quoted(part)} is a key column (the partner or project itself); "
                                     f"{option} names other columns")
                column = lower.get(part.casefold())
                if column is None:
                    raise InputError(f"{where}: no column {quoted(part)} for {option}; columns are: "
                                     f"{list_columns([c for c in names if c not in keys])}")
                other = "project" if side == "partner" else "partner"
                if out.get(column, side) != side:
                    raise InputError(f"{where}: {quoted(column)} is in both --partner-attributes and "
                                     "--project-attributes; choose one")
                if labels.get(column, side) != side:
                    raise InputError(f"{where}: {quoted(column)} holds the {other}s' names; it cannot be a {side} attribute")
                if joined.get(column, side) != side:
                    raise InputError(f"{where}: {quoted(column)} comes from the {other}s table; it cannot be a {side} "
                                     "attribute")
                out[column] = side
    return {c: s for c, s in out.items() if c not in joined and c not in labels}


def not_a_partner_attribute(column: str, sides: tuple, partner_attributes) -> str:
    """Why ``column`` is no partner attribute, and what to do: the message of ``--group-by COLUMN``.

    ``sides`` are the :class:`ColumnSide` of the reading report
    (:attr:`~ecosys.read.ReadReport.sides`); ``partner_attributes`` the
    partner attributes there are.

    >>> from ecosys.read.majority import Agreement, Disagreement
    >>> a = Agreement(3, 1, 7, 6, (Disagreement("ACME", None, (("public", 2), ("private", 1))),))
    >>> print(not_a_partner_attribute("Legal Status", (ColumnSide("Legal Status", "participation", "values", a),), ["city"]))
    'Legal Status' is a participation attribute: it differs within 1 of 3 partners with two or more rows (86% of their rows agree with their partner's most frequent value, e.g. 'ACME': 'public' 2 rows, 'private' 1 row); use --partner-attributes 'Legal Status' to take each partner's most frequent value
    >>> not_a_partner_attribute("budget", (), ["city", "type"])
    "no column 'budget' (partner attributes: 'city', 'type')"
    """
    listed = list_columns(partner_attributes) if len(partner_attributes) else "none"
    by_name = {c.column: c for c in sides}
    found = by_name.get(column) or next((c for c in sides if c.column.casefold() == column.casefold()), None)
    if found is None:
        return f"no column {quoted(column)} (partner attributes: {listed})"
    if found.column != column:
        return (f"no column {quoted(column)}; did you mean {quoted(found.column)} (a {found.side} attribute)? "
                f"(partner attributes: {listed})")
    if found.side == "partner":  # named another way in the graph (a reserved name)
        return f"{quoted(found.column)} is a partner attribute; partner attributes: {listed}"
    text = describe(found, focus="partner")
    a = found.partner
    if found.side == "participation" or (a is not None and a.share >= 0.5):
        return f"{text}; use --partner-attributes {quoted(found.column)} to take each partner's most frequent value"
    return f"{text}; --group-by takes a partner attribute: {listed}"
