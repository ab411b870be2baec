"""The plan: which table holds the participations, which columns are the keys and the names.

A :class:`Plan` says how to make participations out of the tables read:
the participation table, its partner and project key columns, their
display-name columns, and the partner or project tables to join by id
(:class:`AttributeTable`). The recognisers of public sources
(:mod:`.sources`) return one; otherwise :func:`generic_plan` makes one by
the generic rules: the first table (in a folder, the largest with partner
and project columns), its columns found by name (:mod:`.columns`), and a
display name beside an id column (``legal_name`` beside ``pic``).

Example
-------
>>> import io
>>> from ecosys.read.tables import read_tables
>>> tables = read_tables(io.BytesIO(b"pic,rcn,legal_name\\n1,10,ACME\\n"), label="t.csv")
>>> plan = generic_plan(tables, None, None, "t.csv", is_folder=False)
>>> plan.partner, plan.project, plan.partner_label, plan.project_label
('pic', 'rcn', 'legal_name', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .columns import PARTNER_LABEL_NAMES, PROJECT_LABEL_NAMES, key_columns, label_beside
from .tables import Table

__all__ = ["AttributeTable", "Plan", "generic_plan"]


@dataclass
class AttributeTable:
    """A table of partner (or project) attributes, one row per id, to join to the participations.

    ``id_column`` holds the ids (None: the column holding most of them);
    ``label_column`` the display names (None: found by name, when
    ``find_label``; with ``find_label`` False the table has no label column
    and the participation table's label is kept). ``names_only``: a lookup
    table of names (``--names``), of which only the label column is joined.
    """

    side: str
    table: Table
    id_column: str | None = None
    label_column: str | None = None
    find_label: bool = True
    names_only: bool = False


@dataclass
class Plan:
    """How to make participations out of tables: what a source recogniser returns.

    ``partner`` / ``project`` are columns of ``main.frame`` holding the keys;
    ``partner_label`` / ``project_label`` columns of ``main.frame`` holding
    display names (or None); ``attributes`` the partner / project tables to
    join; ``partner_column`` / ``project_column`` are how the key columns are
    described to the user (default: ``partner`` / ``project``); ``notes``
    say which tables are not used, and why.
    """

    main: Table
    partner: str
    project: str
    partner_label: str | None = None
    project_label: str | None = None
    attributes: list[AttributeTable] = field(default_factory=list)
    partner_column: str | None = None
    project_column: str | None = None
    notes: list[str] = field(default_factory=list)


def generic_plan(tables: list[Table], partner: str | None, project: str | None, label: str,
                 is_folder: bool) -> Plan:
    """The participation table is the first one (in a folder, the largest with partner and project columns).

    ``partner`` / ``project`` name the key columns (default: found by name).
    Raises :class:`~ecosys.errors.InputError` when no table has them,
    naming a sheet that has them when the first does not (the one with the
    most rows).

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> tables = read_tables(io.BytesIO(b"Ente,Codice\\nA,C1\\n"), label="t.csv")
    >>> plan = generic_plan(tables, None, "codice", "t.csv", is_folder=False)
    >>> plan.main is tables[0], plan.partner, plan.project
    (True, 'Ente', 'Codice')
    """
    if is_folder:
        found = []
        for t in tables:
            try:
                found.append((t, *key_columns(list(t.frame.columns), partner, project, t.label)))
            except InputError:
                continue
        if not found:
            listed = ", ".join(Path(t.label).name for t in tables) or "none"
            raise InputError(
                f"{label}: is a folder with no participation table in it (a CSV, TSV or .xlsx file "
                f"with partner and project columns; tables found: {listed}); give the table itself"
            )
        if len(found) > 1:
            # the participation table holds the most rows of those with both columns
            found.sort(key=lambda f: -len(f[0].frame))
        main, partner_col, project_col = found[0]
    else:
        main = tables[0]
        where = f"{main.label}, sheet '{main.sheet}'" if main.sheet and len(tables) > 1 else main.label
        try:
            partner_col, project_col = key_columns(list(main.frame.columns), partner, project, where)
        except InputError as exc:
            # the sheet with the most rows among those that have the columns: participations outnumber the rest
            hints = sorted((t for t in tables[1:] if t.sheet and _has_columns(t, partner, project)),
                           key=lambda t: -len(t.frame))
            if not hints:
                raise
            raise InputError(f"{exc}; or read the sheet that has them with --sheet '{hints[0].sheet}'") from None
    header = list(main.frame.columns)
    plan = Plan(main, partner_col, project_col)
    plan.partner_label = label_beside(header, partner_col, PARTNER_LABEL_NAMES, exclude=project_col)
    plan.project_label = label_beside(header, project_col, PROJECT_LABEL_NAMES, exclude=partner_col)
    if plan.partner_label == plan.project_label:
        plan.project_label = None
    return plan


def _has_columns(table: Table, partner, project) -> bool:
    try:
        key_columns(list(table.frame.columns), partner, project, table.label)
    except InputError:
        return False
    return True
