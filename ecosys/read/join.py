"""Joining partner and project tables to the participations by id.

Real exports keep partners and projects in tables of their own (CORDIS:
``edges.csv`` + ``unique_org.csv`` + ``projects.csv``). Each such table has
one row per id; its columns become partner (or project) attributes.

- :func:`find_attribute_tables`: among the other tables of a folder or
  workbook, the one per side whose column holds most of the partner (or
  project) keys; the others are noted as not used, with the reason.
- :func:`resolve_columns`: the id column (as named, else the one holding
  most keys) and the display-name column (as named, else found by name).
- :func:`join`: the columns added to the participations, and a
  :class:`~ecosys.read.result.JoinedTable` saying what was found: blank,
  repeated (the first row of each id is used) and unmatched ids.

Example
-------
>>> import io
>>> import pandas as pd
>>> from ecosys.read.plan import AttributeTable
>>> from ecosys.read.tables import read_tables
>>> orgs = read_tables(io.BytesIO(b"id;name\\n1;ACME\\n1;ACME srl\\n"), label="orgs.csv")[0]
>>> table = pd.DataFrame({"partner": ["1", "2"], "project": ["P", "P"]})
>>> attr = resolve_columns(AttributeTable("partner", orgs), {"1", "2"}, "t.csv")
>>> joined = join(table, attr, "t.csv")
>>> joined.table["name (orgs)"].tolist(), joined.report.repeated_ids, joined.report.unmatched_ids
(['ACME', ''], (3,), ('2',))
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from .cells import clean_names
from .columns import LABEL_NAMES, find_column, normal_header
from .messages import MAX_LISTED, list_columns, list_numbers, malformed_warning, plural
from .plan import AttributeTable, Plan
from .result import JoinedTable
from .tables import Table

__all__ = ["RESERVED", "Joined", "find_attribute_tables", "join", "resolve_columns"]

# Column names the table or the graph's nodes use themselves: attributes so named get a suffix.
RESERVED = {"partner", "project", "row", "name", "kind", "bipartite", "node"}
_ID_OPTION = {"partner": "--partners-id", "project": "--projects-id"}


class Joined(NamedTuple):
    """The participations with a table's columns added, and what joining found.

    ``added`` names the columns added (renamed where the name was taken);
    ``label_column`` the added display-name column (or None); ``warnings``
    say in sentences what ``report`` holds.
    """

    table: pd.DataFrame
    added: list
    label_column: str | None
    report: JoinedTable
    warnings: list


def find_attribute_tables(plan: Plan, others: list[Table]) -> tuple[list[AttributeTable], list[str]]:
    """The other tables whose column holds most of the partner (or project) keys, one per side, and notes.

    A column counts when half its distinct values are keys, or it holds
    half the keys: a sheet sharing a few values by chance is not joined. The
    notes name each table not used, and why.

    >>> import io
    >>> from ecosys.read.plan import generic_plan
    >>> from ecosys.read.tables import read_tables
    >>> main, orgs, budget = (read_tables(io.BytesIO(data), label=label)[0] for data, label in (
    ...     (b"org,project\\nA,P\\nB,P\\n", "edges.csv"), (b"code,name\\nA,Alpha\\nB,Beta\\n", "orgs.csv"),
    ...     (b"year,amount\\n2020,100\\n", "budget.csv")))
    >>> found, notes = find_attribute_tables(generic_plan([main], None, None, "edges.csv", False), [orgs, budget])
    >>> [(a.side, a.table.label, a.id_column) for a in found], notes
    ([('partner', 'orgs.csv', 'code')], ['budget.csv: not used (none of its columns holds the partner or project ids)'])
    """
    if not others:
        return [], []
    keys = {side: set(clean_names(plan.main.frame[col]).unique()) - {""}
            for side, col in (("partner", plan.partner), ("project", plan.project))}
    best, wanted = {}, {}
    for t in others:
        scores = []
        for side in ("partner", "project"):
            column, hits = _id_column(t, keys[side])
            if column is not None and _mostly_ids(t.frame[column], hits, keys[side]):
                scores.append((hits, side, column))
        if not scores:
            continue
        hits, side, column = max(scores)
        wanted[id(t)] = side
        if side not in best or hits > best[side][0]:
            best[side] = (hits, t, column)
    found = [AttributeTable(side, best[side][1], best[side][2]) for side in ("partner", "project") if side in best]
    notes = []
    for t in others:
        if any(t is f.table for f in found):
            continue
        side = wanted.get(id(t))
        if side is None:
            notes.append(f"{t.label}: not used (none of its columns holds the partner or project ids)")
        else:
            notes.append(f"{t.label}: not used ({best[side][1].label} holds more of the {side} ids)")
    return found, notes


def _mostly_ids(values: pd.Series, hits: int, keys: set) -> bool:
    """True when half the distinct values of a column are keys, or it holds half the keys (no chance overlap)."""
    distinct = values[values != ""].nunique()
    return 2 * hits >= min(distinct, len(keys))


def _id_column(table: Table, keys: set) -> tuple[str | None, int]:
    """The column of ``table`` sharing the most distinct values with ``keys``, and how many."""
    best, best_hits = None, 0
    for column in table.frame.columns:
        values = set(table.frame[column].unique())
        hits = len(values & keys)
        if hits > best_hits:
            best, best_hits = column, hits
    return best, best_hits


def resolve_columns(attr: AttributeTable, keys: set, main_label: str) -> AttributeTable:
    """``attr`` with its id and label columns settled: as named, else found (label None when none is).

    ``keys`` are the partner (or project) keys of the participations, named
    ``main_label`` in messages.

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> orgs = read_tables(io.BytesIO(b"code,legal_name\\nA,Alpha\\n"), label="orgs.csv")[0]
    >>> attr = resolve_columns(AttributeTable("partner", orgs), {"A"}, "t.csv")
    >>> attr.id_column, attr.label_column
    ('code', 'legal_name')
    """
    side, other = attr.side, attr.table
    header = list(other.frame.columns)
    id_col = attr.id_column
    if id_col is None:
        id_col, _ = _id_column(other, keys)
        if id_col is None:
            example = next(iter(sorted(keys)), "")
            raise InputError(
                f"{other.label}: no column holds the {side} ids of {main_label} (such as '{example}'); "
                f"columns are: {list_columns(header)}; name it with {'--names-id' if attr.names_only else _ID_OPTION[side]} COLUMN"
            )
    else:
        id_col = find_column(header, id_col, f"{side} id", other.label)
    label_col = None
    if attr.label_column is not None:
        label_col = find_column(header, attr.label_column, f"{side} label", other.label)
    elif attr.find_label:
        label_col = next((c for wanted in LABEL_NAMES[side] for c in header
                          if c != id_col and normal_header(c) == wanted), None)
    return replace(attr, id_column=id_col, label_column=label_col, find_label=False)


def join(table: pd.DataFrame, attr: AttributeTable, main_label: str) -> Joined:
    """Add the columns of a partner (or project) table to ``table``, matched on its ``attr.side`` keys.

    ``attr`` has its columns resolved (:func:`resolve_columns`). Columns
    whose name is taken get the table's short name, ``name (orgs)``;
    columns left blank by the join are not added.

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> projects = read_tables(io.BytesIO(b"rcn,acronym,start\\n10,ALPHA,2020\\n"), label="p.csv")[0]
    >>> table = pd.DataFrame({"partner": ["A"], "project": ["10"]})
    >>> joined = join(table, AttributeTable("project", projects, "rcn", "acronym", False), "t.csv")
    >>> joined.table.to_dict("records"), joined.added, joined.label_column
    ([{'partner': 'A', 'project': '10', 'acronym': 'ALPHA', 'start': '2020'}], ['acronym', 'start'], 'acronym')
    """
    side, other, id_col, label_col = attr.side, attr.table, attr.id_column, attr.label_column or None
    if attr.names_only and label_col is None:
        raise InputError(f"{other.label}: no column of names found (such as 'name' or 'legal_name'); name it with "
                         "--names-label COLUMN")
    keys = set(table[side].unique())
    header = list(other.frame.columns)
    frame = other.frame
    ids = clean_names(frame[id_col])
    blank = (ids == "").to_numpy()
    warnings = []
    if blank.any():
        warnings.append(
            f"{other.label}: skipped {int(blank.sum())} {plural(other.word, int(blank.sum()))} with a blank "
            f"'{id_col}': {plural(other.word, int(blank.sum()))} {list_numbers(other.rows[blank])}"
        )
    if other.bad:
        warnings.append(malformed_warning(other.label, other.word, [b.line for b in other.bad]))
    blank_ids = other.rows[blank]
    frame, ids, rows = frame[~blank], ids[~blank], other.rows[~blank]
    labels = None
    if label_col is not None:
        labels = pd.DataFrame({"id": ids.to_numpy(), "label": frame[label_col].to_numpy()})
    repeated = ids.duplicated(keep="first").to_numpy()
    if repeated.any():
        warnings.append(
            f"{other.label}: {int(repeated.sum())} repeated {plural('id', int(repeated.sum()))} in '{id_col}', "
            f"the first row of each used ({plural(other.word, int(repeated.sum()))} {list_numbers(rows[repeated])})"
        )
    repeated_ids = rows[repeated]
    frame, ids = frame[~repeated], ids[~repeated]
    absent = sorted(keys - set(ids))
    if absent:
        warnings.append(
            f"{len(absent)} {side} {plural('id', len(absent))} of {main_label} "
            f"{'is' if len(absent) == 1 else 'are'} not in {other.label} "
            f"(first: {', '.join(absent[:MAX_LISTED])})"
        )
    report = JoinedTable(
        table=other.label, side=side, id_column=id_col, label_column=label_col, rows=len(other.frame),
        word=other.word, blank_ids=tuple(int(r) for r in blank_ids), repeated_ids=tuple(int(r) for r in repeated_ids),
        unmatched_ids=tuple(absent), bad_lines=tuple(other.bad), labels=labels,
    )
    positions = pd.Index(ids.to_numpy()).get_indexer(table[side].to_numpy())
    found = positions >= 0
    added, label_as = [], None
    taken = set(table.columns)
    for column in header:
        if column == id_col or attr.names_only and column != label_col:  # a lookup of names adds its names alone
            continue
        kept_as = column if column not in taken and column not in RESERVED else f"{column} ({other.short})"
        k = 2
        while kept_as in taken:
            kept_as, k = f"{column} ({other.short} {k})", k + 1
        values = frame[column].to_numpy(dtype=object)
        joined = np.full(len(table), "", dtype=object)
        joined[found] = values[positions[found]]
        if not (joined != "").any():
            continue
        table[kept_as] = pd.Series(joined, index=table.index, dtype=object)
        taken.add(kept_as)
        added.append(kept_as)
        if column == label_col:
            label_as = kept_as
    return Joined(table, added, label_as, report, warnings)
