"""From a plan to participations: keys cleaned, aliases applied, blanks and repeats dropped, tables joined.

:func:`assemble` makes the :class:`~ecosys.read.result.Participations` of a
:class:`~ecosys.read.plan.Plan`, in this order:

1. the partner and project keys cleaned (:func:`~ecosys.read.cells.clean_coded`: each distinct key once,
   on the codes :func:`~ecosys.read.tables.make_table` kept);
2. the attribute tables' id and label columns settled (:mod:`.join`);
3. aliases applied to the partner keys (:mod:`.aliases`);
4. rows with a blank partner or project dropped, then repeated pairs
   (the first row of each pair is kept);
5. the partner and project tables joined (:mod:`.join`), the other columns
   sorted into partner, project and participation attributes (:mod:`.sides`,
   on the keys before the aliases), and the columns of numbers recognised
   (:mod:`.numbers`).

Each step that drops or merges something says so in a warning and in the
:class:`~ecosys.read.result.ReadReport`.

Example
-------
>>> import io
>>> from ecosys.read.plan import generic_plan
>>> from ecosys.read.tables import read_tables
>>> tables = read_tables(io.BytesIO(b"org,project,role\\nA,P1,lead\\nA,P1,lead\\n,P2,x\\n"), label="t.csv")
>>> p = assemble(generic_plan(tables, None, None, "t.csv", False), "t", "t.csv", None, {})
>>> p.table.values.tolist(), p.report.blank_rows, p.report.repeated_pairs
([['A', 'P1', 2, 'lead']], (4,), (3,))
>>> print(*p.warnings, sep="\\n")
t.csv: skipped 1 line with a blank partner or project ('org' or 'project'): line 4
t.csv: 1 repeated partner-project pair counted once (line 3)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..parallel import can_fork, start as start_process
from .aliases import apply_aliases, partner_labels
from .cells import clean_coded, first_met
from .join import RESERVED, join, resolve_columns
from .messages import list_numbers, malformed_warning, plural
from .plan import Plan
from .result import Participations, ReadReport
from .numbers import number_reading
from .sides import ColumnSide, chosen_sides, column_sides, remeasure, side_warning

__all__ = ["SPLIT_ROWS", "assemble"]

SPLIT_ROWS = 50_000  # from this many rows on, a second process decides half of the columns (a fork costs ~20 ms)


def assemble(plan: Plan, name: str, label: str, path: str | None, alias_map: dict,
             chosen_columns: dict | None = None, jobs: int = 1) -> Participations:
    """The participations of ``plan``: ``name`` is the dataset's, ``label`` the input's in messages.

    ``path`` is the input's absolute path (None for a file object);
    ``alias_map`` maps partner names to their canonical spelling
    (:func:`~ecosys.read.aliases.read_aliases`); ``chosen_columns`` maps
    ``partner`` and ``project`` to the columns a person put on that side
    (:func:`~ecosys.read.sides.chosen_sides`); with ``jobs`` of 2 or more, a
    table of :data:`SPLIT_ROWS` rows or more has half of its columns decided
    (side, numbers) in a forked process meanwhile, with the same result. Raises
    :class:`~ecosys.errors.InputError` when no participation is left.

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> main = read_tables(io.BytesIO(b"org,project\\nA,P1\\n,P2\\n"), label="t.csv")[0]
    >>> p = assemble(Plan(main, "org", "project"), "t", "t.csv", None, {"A": "ACME"})
    >>> p.table["partner"].tolist(), p.skipped_rows, p.report.aliases_merged
    (['ACME'], (3,), 1)
    """
    main = plan.main
    frame, word = main.frame, main.word
    partner_col, project_col = plan.partner, plan.project
    warnings = []
    if main.bad:
        warnings.append(malformed_warning(main.label, word, [b.line for b in main.bad]))
    rows_read = len(frame) + len(main.bad)
    if not len(frame) and main.bad:
        lines = [b.line for b in main.bad]
        raise InputError(
            f"{main.label}: no participations left: every {word} has more fields than the header "
            f"({len(main.header)}): {plural(word, len(lines))} {list_numbers(lines)}; check the separator or the quoting"
        )
    if not len(frame):
        raise InputError(
            f"{main.label}: no data rows after the header ({word} {main.header_line}); expected one row per "
            "partner-in-project"
        )
    coded = {c: main.codes.get(c) for c in frame.columns}  # each column's codes, as make_table left them
    coded = {c: k if k is not None and len(k[0]) == len(frame) else _factorize(frame[c].to_numpy(dtype=object))
             for c, k in coded.items()}
    key_p = clean_coded(*coded[partner_col])  # the keys cleaned once per distinct value
    key_q = clean_coded(*coded[project_col])
    names_p = pd.Series(key_p[1][key_p[0]], index=frame.index, dtype=object)
    keys = {"partner": set(key_p[1]) - {""}, "project": set(key_q[1]) - {""}}
    plan.attributes = [resolve_columns(attr, keys[attr.side], main.label) for attr in plan.attributes]
    before = names_p.to_numpy(dtype=object)  # the partner keys before the aliases
    aliases_merged = 0
    if alias_map:
        names_p, aliases_merged = apply_aliases(names_p, partner_labels(plan, names_p), alias_map)
        if aliases_merged:
            warnings.append(f"{main.label}: {aliases_merged} partner {plural('name', aliases_merged)} merged by the aliases")
            key_p = _factorize(names_p.to_numpy(dtype=object))
    missing = (key_p[1] == "")[key_p[0]] | (key_q[1] == "")[key_q[0]]
    blank_rows = main.rows[missing]
    if len(blank_rows):
        warnings.append(
            f"{main.label}: skipped {len(blank_rows)} {plural(word, len(blank_rows))} with a blank "
            f"partner or project ('{partner_col}' or '{project_col}'): {plural(word, len(blank_rows))} "
            f"{list_numbers(blank_rows)}"
        )
    skipped = tuple(sorted(int(r) for r in [*blank_rows, *(b.line for b in main.bad)]))
    attributes = [c for c in frame.columns if c not in (partner_col, project_col)]
    data = {"partner": names_p.to_numpy(dtype=object), "project": key_q[1][key_q[0]], "row": main.rows}
    taken = set(frame.columns) | {"partner", "project", "row"}
    kept = {}
    for column in attributes:
        kept_as = column
        if column in RESERVED:  # a column named like the cleaned ones or the graph's node attributes
            kept_as = next(f"{column} ({k})" for k in range(2, len(taken) + 3) if f"{column} ({k})" not in taken)
            taken.add(kept_as)
        kept[column] = kept_as
        data[kept_as] = frame[column].to_numpy(dtype=object)
    # object columns, as pandas < 3 made them (pandas 3 would infer its own string dtype)
    # (the arrays are not copied: copy-on-write keeps the frame's as they are)
    table = pd.DataFrame({k: pd.Series(v, dtype=object if k != "row" else np.int64, copy=False)
                          for k, v in data.items()}, copy=False)
    filled = np.flatnonzero(~missing)
    if missing.any():
        table = table[~missing]
    if table.empty:
        raise InputError(
            f"{main.label}: no participations left: every row has a blank partner or project "
            f"('{partner_col}' or '{project_col}')"
        )
    # a pair repeats when its two key codes do
    pair = key_p[0][filled].astype(np.int64) * max(len(key_q[1]), 1) + key_q[0][filled]
    repeated = pd.Series(pair, index=table.index, copy=False).duplicated(keep="first")
    del pair
    duplicate_rows = int(repeated.sum())
    repeated_pairs = tuple(int(r) for r in table.loc[repeated, "row"])
    if duplicate_rows:
        warnings.append(
            f"{main.label}: {duplicate_rows} repeated partner-project "
            f"pair{'s' if duplicate_rows > 1 else ''} counted once "
            f"({plural(word, duplicate_rows)} {list_numbers(repeated_pairs)})"
        )
    labels = {}
    for side, col in (("partner", plan.partner_label), ("project", plan.project_label)):
        if col is not None:  # every spelling of the name of each key, before repeats are dropped
            labels[side] = pd.DataFrame({"id": table[side].to_numpy(), "label": table[kept[col]].to_numpy()})
    # the sides are decided on the keys before the aliases: aliases never move a column to another side
    if aliases_merged:
        decide = table.assign(partner=before[table.index])
        decide = decide[~decide.duplicated(["partner", "project"], keep="first")]
    table = (table[~repeated] if duplicate_rows else table).reset_index(drop=True)  # no copy when none repeats
    table["row"] = table["row"].astype(int)
    final = filled[~repeated.to_numpy()]  # the rows of the frame left in the table
    del filled
    if not aliases_merged:
        decide = table  # the same rows: their columns coded once for the sides and the numbers
    deciding = set(decide.columns)  # its columns before the joins (which add theirs to the table)

    used = [kept[c] for c in attributes if any(v != "" for v in table[kept[c]].to_numpy())]  # stops at the first
    # each column's codes on the rows left: what pd.factorize of the table's column gives, no text hashed
    factorized = {kept_as: first_met(coded[c][0][final], coded[c][1]) for c, kept_as in kept.items()
                  if kept_as in used}
    key_codes = {side: first_met(k[0][final], k[1]) for side, k in (("partner", key_p), ("project", key_q))}
    del coded, final, key_p, key_q
    label_columns = {side: kept.get(col) if kept.get(col) in used else None  # a blank label column names nothing
                     for side, col in (("partner", plan.partner_label), ("project", plan.project_label))}
    joined, from_tables = [], {}
    for attr in plan.attributes:
        result = join(table, attr, main.label)
        table = result.table
        warnings += result.warnings
        joined.append(result.report)
        from_tables.update({c: attr.side for c in result.added})
        if result.label_column is not None:
            label_columns[attr.side] = result.label_column
    labelled = {label_columns[s]: s for s in label_columns if label_columns[s] in used}
    chosen = chosen_sides(chosen_columns, kept, from_tables, labelled, (partner_col, project_col), main.label)
    names = {s: c for s, c in label_columns.items() if c in deciding}  # to name nodes in examples
    order = [*used, *from_tables]
    sided = [c for c in used if c not in labelled]
    rows_read_at = table["row"].to_numpy()

    def decided(part: int, parts: int) -> tuple[list, dict]:
        """The sides of every ``parts``-th column from the ``part``-th, and the readings of numbers likewise."""
        sides_found = column_sides(decide, sided[part::parts], forced=chosen, names=names,
                                   factorized=None if aliases_merged else factorized,
                                   keys=None if aliases_merged else key_codes)
        readings = {c: number_reading(table[c].to_numpy(dtype=object), rows_read_at if c in kept.values() else None,
                                      word, factorized.get(c)) for c in order[part::parts]}
        return sides_found, readings

    # the columns are decided one by one: half of them in a forked process meanwhile (ecosys.parallel)
    parts = 2 if jobs > 1 and can_fork() and len(table) >= SPLIT_ROWS and len(order) > 1 else 1
    other = start_process(decided, 1, parts, jobs=jobs) if parts == 2 else None
    try:
        sides_found, readings = decided(0, parts)
    except BaseException:
        if other is not None:
            other.cancel()
        raise
    if other is not None:
        more_sides, more_readings = other.result()
        sides_found, readings = [*sides_found, *more_sides], {**readings, **more_readings}
    found = {c.column: c for c in sides_found}
    found.update({c: ColumnSide(c, s, "label") for c, s in labelled.items()})
    found.update({c: ColumnSide(c, s, "table") for c, s in from_tables.items()})
    if aliases_merged:  # how the nodes the aliases merged agree
        found = {c: remeasure(f, table, label_columns) if f.by not in ("label", "table") else f
                 for c, f in found.items()}
    column_report = tuple(found[c] for c in order)
    sides = {s: [c.column for c in column_report if c.side == s] for s in ("partner", "project", "participation")}
    warnings += [side_warning(main.label, c) for c in column_report if _disagrees(c)]
    numbers, not_numbers = {}, {}
    for c in order:
        fmt, reason = readings[c]
        if fmt is not None:
            numbers[c] = fmt
        elif reason is not None:
            not_numbers[c] = reason
    warnings += plan.notes
    report = ReadReport(
        word=word,
        bad_lines=tuple(main.bad),
        blank_rows=tuple(int(r) for r in blank_rows),
        repeated_pairs=repeated_pairs,
        labels=labels,
        joined=tuple(joined),
        aliases_merged=aliases_merged,
        notes=tuple(plan.notes),
        sides=column_report,
        not_numbers=not_numbers,
    )
    return Participations(
        table=table,
        name=name,
        source=label,
        path=path,
        sha256=main.sha256,
        format=main.format,
        encoding=main.encoding,
        separator=main.separator,
        partner_column=plan.partner_column or partner_col,
        project_column=plan.project_column or project_col,
        partner_attributes=tuple(sides["partner"]),
        project_attributes=tuple(sides["project"]),
        edge_attributes=tuple(sides["participation"]),
        rows_read=rows_read,
        duplicate_rows=duplicate_rows,
        skipped_rows=skipped,
        warnings=tuple(warnings),
        partner_label=label_columns["partner"],
        project_label=label_columns["project"],
        report=report,
        numbers=numbers,
        # the keys' and the node attributes' codes, for the graph (ecosys.graph.build_network)
        coded=(table, {**key_codes, **{c: factorized[c] for c in [*sides["partner"], *sides["project"]]
                                       if c in factorized}}),
    )


def _disagrees(found: ColumnSide) -> bool:
    """True for a partner (project) attribute whose rows differ within some partner (project)."""
    a = found.agreement(found.side)
    return a is not None and a.differing > 0 and found.by != "label"


def _factorize(values):
    """``pd.factorize(values)``, its codes in 4 bytes each (half the memory, held for every column at once)."""
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int32), uniques
