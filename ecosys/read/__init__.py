"""Read participation tables (CSV, TSV, Excel, a folder of tables) into a tidy, validated value.

A participation table has one row per partner-in-project. ecosys finds the
partner and project columns by their usual names, reads the mess that real
exports carry (BOM, cp1252, ``;`` or tab separators, CRLF, stray spaces,
repeated rows), joins separate partner and project tables by their ids, and
refuses what it cannot read with an :class:`~ecosys.errors.InputError` that
names the file, the line or row, and what was expected.

:func:`read_participations` takes these steps, one module each:

=============== =============================================================
``tables``      a file or folder into tables (``decode``: bytes to text;
                ``text``: CSV/TSV cells and line numbers; ``workbook``: .xlsx
                sheets)
``sources``     recognise a public source (CORDIS, keep.eu) by its columns
``plan``        or else the generic rules: which table, which key columns
                (``columns``: headers and column names)
``join``        which other tables hold partner or project attributes
``assemble``    keys cleaned, ``aliases`` applied, blanks and repeats
                dropped, attribute ``sides`` found, tables joined
``result``      :class:`Participations` and its :class:`ReadReport`
=============== =============================================================

Name clean-up (similar names, the data-quality report) is in
:mod:`ecosys.names`.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> data = io.BytesIO(b"Organisation;Project;Role\\r\\n ACME ;P1;lead\\r\\nUniBo;P1;partner\\r\\n")
>>> p = read_participations(data, name="example")
>>> p.partner_column, p.project_column, p.separator
('Organisation', 'Project', ';')
>>> p.table[["partner", "project", "Role"]].values.tolist()
[['ACME', 'P1', 'lead'], ['UniBo', 'P1', 'partner']]
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from . import sources
from .aliases import read_aliases
from .assemble import assemble
from .columns import PARTNER_NAMES, PROJECT_NAMES
from .decode import check_encoding, readable
from .join import find_attribute_tables
from .plan import AttributeTable, generic_plan
from .result import BadLine, JoinedTable, Participations, ReadReport
from ..limits import map_large_blocks, release_memory
from ..manifest import written_here
from .tables import TABLE_SUFFIXES, dataset_name, read_folder, read_tables, safe_name

__all__ = [
    "BadLine",
    "JoinedTable",
    "PARTNER_NAMES",
    "PROJECT_NAMES",
    "Participations",
    "ReadReport",
    "input_details",
    "read_aliases",
    "read_participations",
]


def read_participations(
    source: str | Path | BinaryIO,
    *,
    partner: str | None = None,
    project: str | None = None,
    sheet: str | int | None = None,
    name: str | None = None,
    label: str | None = None,
    partners: str | Path | None = None,
    projects: str | Path | None = None,
    partners_id: str | None = None,
    partners_label: str | None = None,
    projects_id: str | None = None,
    projects_label: str | None = None,
    names: str | Path | None = None,
    names_id: str | None = None,
    names_label: str | None = None,
    aliases: str | Path | dict | None = None,
    skip_bad_lines: bool = False,
    encoding: str | None = None,
    partner_attributes=(),
    project_attributes=(),
    jobs: int = 1,
) -> Participations:
    """Read a participation table from a CSV/TSV/text or .xlsx file, or a folder of tables.

    Parameters
    ----------
    source : path or binary file object
        The participation table. Text files may be UTF-8 or UTF-16 (with or
        without BOM), cp1252 or Latin-1 (or UTF-8 with some cp1252 lines),
        separated by ``,`` ``;`` tab or ``|``, and gzip-compressed
        (``.csv.gz``). A workbook's other
        sheets and a folder's other tables are joined as partner or project
        tables when one of their columns holds the partner or project ids.
    partner, project : str, optional
        The partner and project columns (case-insensitive). By default they
        are found among the usual names (:data:`PARTNER_NAMES`,
        :data:`PROJECT_NAMES`), or by a source recogniser
        (:mod:`ecosys.read.sources`).
    sheet : str or int, optional
        The Excel sheet holding the participations (default: the first, or
        the one a recognised source names); refused for a text table or a
        folder.
    name : str, optional
        The dataset's name (default: the file or folder name without extension).
    label : str, optional
        How to name the input in messages and in the summary (default: the
        path as given).
    partners, projects : path, optional
        Separate tables of partner / project attributes, one row per id.
    partners_id, projects_id : str, optional
        Their id columns (default: the column holding most of the ids); without
        ``partners`` (``projects``), of the partners (projects) table found in
        the folder or workbook (refused when there is none).
    partners_label, projects_label : str, optional
        Their display-name columns (default: found by name, e.g. ``name``,
        ``legal_name``, ``acronym``), with the same rule.
    names : path, optional
        A lookup table of partner names (an id column and a name column, any
        other columns left aside): each partner whose key is one of its ids
        is labelled with its name (the key stays the id), whatever the
        participations or ``partners`` name it. ``names_id`` and
        ``names_label`` name its columns (default: the column holding most
        of the ids, and ``name``, ``legal_name``...).
    aliases : path or dict, optional
        A two-column CSV (``name,canonical``): partner names (or keys) merged
        into their canonical spelling before anything else, see
        :func:`read_aliases`.
    skip_bad_lines : bool
        Skip lines with more fields than the header (listed in the warnings
        and in ``skipped_rows``) instead of refusing the file.
    encoding : str, optional
        The text encoding of the participation table and of the partner and
        project tables (``utf-8``, ``cp1252``, ``latin-1``, ``utf-16``, any
        Python codec); a byte-order mark at the start is dropped. By default
        it is detected (:mod:`ecosys.read.decode`). Workbooks and the alias
        table have their own (refused when no text table is read).
    partner_attributes, project_attributes : list of str, optional
        Columns to make partner (project) attributes whatever their values
        (by default their side is found: :mod:`ecosys.read.sides`); each
        node takes its most frequent value. A name that is no column is
        split at commas: ``["Legal Status,city"]``.
    jobs : int
        Processors to read on (default 1): with 2 or more, a long text table
        is parsed in two halves at once, and the columns' sides are decided
        on two processors (:mod:`ecosys.parallel`). The result is the same.

    Raises
    ------
    InputError
        With a one-line message naming the file, line or row and column, and
        what was expected.
    ValueError
        For an ``encoding`` Python does not know.

    Examples
    --------
    >>> import io
    >>> p = read_participations(io.BytesIO(b"pic,rcn,legal_name\\n1,10,ACME\\n2,10,UniBo\\n"))
    >>> p.table[["partner", "project", "legal_name"]].values.tolist()
    [['1', '10', 'ACME'], ['2', '10', 'UniBo']]
    >>> p.partner_label
    'legal_name'
    >>> read_participations(io.BytesIO(b"partner,project\\nX,\\xe9\\x92\\x92\\n"), encoding="cp1252").table["project"][0]
    'é’’'
    """
    if encoding is not None:
        check_encoding(encoding)
    map_large_blocks()  # the text and the parser's blocks back to the system as soon as freed (ecosys.limits)
    alias_map = read_aliases(aliases) if aliases is not None and not isinstance(aliases, dict) else (aliases or {})
    is_folder = isinstance(source, (str, Path)) and Path(source).is_dir()
    own = []
    if is_folder:
        label = readable(str(source)) if label is None else label
        if sheet is not None:
            raise InputError(f"{label}: is a folder; --sheet picks a sheet of a workbook given as INPUT (give the "
                             "workbook itself)")
        own = sorted(n for n in written_here(source) if "/" not in n and n.lower().endswith(TABLE_SUFFIXES))
        tables = read_folder(Path(source), label, skip_bad_lines, encoding, skip=own)
        path = str(Path(source).resolve())
        name = name or safe_name(Path(source).resolve().name)
    else:
        tables = read_tables(source, label=label, sheet=sheet, skip_bad_lines=skip_bad_lines, encoding=encoding,
                             jobs=jobs)
        label = tables[0].label
        path = tables[0].path
        if name is None:
            raw = source if isinstance(source, (str, Path)) else getattr(source, "name", None)
            # a file object without a file name (standard input's is "<stdin>") is "stdin"; a path may start with "<"
            unnamed = not isinstance(raw, (str, Path)) or not isinstance(source, (str, Path)) and \
                str(raw).startswith("<") and str(raw).endswith(">")
            name = "stdin" if unnamed else dataset_name(raw)
    given = []
    for side, file, id_col, label_col in (("partner", partners, partners_id, partners_label),
                                          ("project", projects, projects_id, projects_label)):
        if file is not None:
            table = read_tables(file, skip_bad_lines=skip_bad_lines, encoding=encoding,
                                expected=f"a header row, then one row per {side} id")[0]
            given.append(AttributeTable(side, table, id_col, label_col))
    lookup = []
    if names is not None:
        table = read_tables(names, skip_bad_lines=skip_bad_lines, encoding=encoding,
                            expected="a header row, then one row per partner id with its name")[0]
        lookup.append(AttributeTable("partner", table, names_id, names_label, names_only=True))
    elif names_id is not None or names_label is not None:
        option = "--names-id" if names_id is not None else "--names-label"
        raise InputError(f"{label}: {option} names a column of the table of names; give the table with --names FILE")
    if encoding is not None and not any(t.encoding for t in [*tables, *(attr.table for attr in [*given, *lookup])]):
        raise InputError(f"{label}: --encoding applies to text tables; this input has none (a workbook's cells "
                         "are text already)")
    plan = sources.recognise(tables, sheet=sheet) if partner is None and project is None else None
    if plan is None:
        plan = generic_plan(tables, partner, project, label, is_folder)
    if given:  # tables given by the user replace any found ones of that side
        sides = {attr.side for attr in given}
        plan.attributes = [attr for attr in plan.attributes if attr.side not in sides] + given
    elif not plan.attributes:
        plan.attributes, notes = find_attribute_tables(plan, [t for t in tables if t is not plan.main])
        plan.notes += notes
    if own:
        plan.notes.append(f"{label}: skipped {', '.join(own)}: ecosys wrote {'them' if len(own) > 1 else 'it'} "
                          "there as the output of an earlier run")
    for side, file, id_col, label_col in (("partner", partners, partners_id, partners_label),
                                          ("project", projects, projects_id, projects_label)):
        if file is None and (id_col is not None or label_col is not None):
            plan.attributes = _found_table_columns(plan, side, id_col, label_col, label)
    plan.attributes = plan.attributes + lookup  # the names last: they label the partners
    chosen = {"partner": _names(partner_attributes), "project": _names(project_attributes)}
    participations = assemble(plan, name, label, path, alias_map, chosen, jobs=jobs).compacted()
    del plan, tables, given
    release_memory()  # the text and the parser's buffers, freed: back to the system (ecosys.limits)
    return participations


def _names(value) -> list[str]:
    """Column names given as one string or several."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _found_table_columns(plan, side: str, id_col: str | None, label_col: str | None, label: str) -> list:
    """The plan's attribute tables, the one of ``side`` with the id and label columns a person named."""
    option = f"--{side}s-id" if id_col is not None else f"--{side}s-label"
    found = [attr for attr in plan.attributes if attr.side == side]
    if not found:
        raise InputError(f"{label}: {option} names a column of the {side}s table, and there is none; give the table "
                         f"with --{side}s FILE")
    return [replace(attr, id_column=id_col or attr.id_column, label_column=label_col or attr.label_column)
            if attr is found[0] else attr for attr in plan.attributes]


def input_details(p: Participations) -> dict:
    """What reading decided about the columns, JSON-ready (``summary.json``'s ``input``, the ``validate`` report).

    ``numbers``: each column of numbers and how it writes them;
    ``not_numbers``: why a column of mostly numbers stays text;
    ``attribute_sides``: each attribute column a majority or a person put on
    a side (or whose nodes the aliases merged though they differ), with the
    partners (projects) whose rows differ and their values.

    >>> import io
    >>> p = read_participations(io.BytesIO(b"org;project;cost\\nA;P1;1.234,5\\nB;P1;n/d\\nC;P1;7\\n"))
    >>> input_details(p)
    {'numbers': {}, 'not_numbers': {'cost': "1 of 3 cells is not a number, first at line 3: 'n/d'"}, 'attribute_sides': {}}
    """
    sides = {}
    for c in p.report.sides:
        a = c.agreement(c.side)
        if c.by in ("majority", "option") or (a is not None and a.differing and c.by != "label"):
            sides[c.column] = {"side": c.side, "by": c.by, **(a.as_dict(c.side) if a is not None else {})}
    return {
        "numbers": {c: fmt.as_dict() for c, fmt in p.numbers.items()},
        "not_numbers": dict(p.report.not_numbers),
        "attribute_sides": sides,
    }
