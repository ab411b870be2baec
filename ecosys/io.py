"""Read participation tables (CSV, TSV, Excel, a folder of tables) into a tidy, validated value.

A participation table has one row per partner-in-project. ecosys finds the
partner and project columns by their usual names, reads the mess that real
exports carry (BOM, cp1252, ``;`` or tab separators, CRLF, stray spaces,
repeated rows), joins separate partner and project tables by their ids, and
refuses what it cannot read with an :class:`InputError` that names the file,
the line or row, and what was expected.

Public sources (CORDIS, keep.eu) are recognised by their columns, see
:mod:`ecosys.sources`; name clean-up (aliases, similar names) is in
:mod:`ecosys.names`.

Example
-------
>>> import io
>>> from ecosys.io import read_participations
>>> data = io.BytesIO(b"Organisation;Project;Role\\r\\n ACME ;P1;lead\\r\\nUniBo;P1;partner\\r\\n")
>>> p = read_participations(data, name="example")
>>> p.partner_column, p.project_column, p.separator
('Organisation', 'Project', ';')
>>> p.table[["partner", "project", "Role"]].values.tolist()
[['ACME', 'P1', 'lead'], ['UniBo', 'P1', 'partner']]
"""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from warnings import catch_warnings, simplefilter

import numpy as np
import pandas as pd

from .errors import EcosysError, InputError

__all__ = [
    "EcosysError",
    "InputError",
    "Participations",
    "read_participations",
    "read_aliases",
    "PARTNER_NAMES",
    "PROJECT_NAMES",
]


# Header names recognised, best first. Headers are compared after splitting
# camelCase, lower-casing and turning punctuation into spaces.
PARTNER_NAMES = (
    "partner", "partner name", "organisation", "organization", "organisation name",
    "organization name", "org", "org name", "participant", "participant name",
    "beneficiary", "beneficiary name", "member", "institution", "actor",
    "partner id", "organisation id", "organization id", "org id", "pic",
    "ente", "organizzazione", "soggetto",
)
PROJECT_NAMES = (
    "project", "project name", "project title", "acronym", "project acronym",
    "project id", "project code", "project rcn", "rcn", "progetto", "initiative",
)
# Display names looked for beside an id column (in the same table or in a
# partners / projects table), best first.
PARTNER_LABEL_NAMES = (
    "legal name", "name", "organisation name", "organization name", "organisation", "organization",
    "partner name", "partner", "org name", "participant name", "beneficiary name", "short name",
    "legal short name", "organisation short name",
)
PROJECT_LABEL_NAMES = ("project acronym", "acronym", "project name", "name", "project title", "title")
# Words of a header naming an identifier rather than a name.
_ID_WORDS = {"id", "pic", "rcn", "code", "number", "reference", "ref", "no", "nr", "key"}
# A header that names one of these is an attribute of a partner or project
# (a "partner type", a "project start"), never the partner or project itself.
_ATTRIBUTE_WORDS = {
    "type", "types", "count", "number", "num", "n", "role", "country", "city",
    "region", "amount", "cost", "contribution", "date", "start", "end", "year",
    "status", "share", "size", "total", "url", "website", "email", "address",
}

_TEXT_SEPARATORS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"sep=([,;\t|])[ ]*(?=[\r\n]|$)")  # Excel's separator line, "sep=;"
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".csv.gz", ".tsv.gz")  # in a folder; a README.txt is no table
_MAX_LISTED = 10


@dataclass(frozen=True)
class Participations:
    """A participation table read and cleaned, with what was found on the way.

    ``table`` has one row per distinct partner-project pair: columns
    ``partner`` and ``project`` (the node keys: an id where the data has ids,
    such as a PIC or a CORDIS rcn, otherwise the cleaned name), ``row`` (where
    the pair was first read: the line of a text file or the row of a sheet,
    the header being 1), then every other input column as text, blanks as
    ``""``, including the columns joined from separate partner and project
    tables (listed in ``partner_attributes`` / ``project_attributes``).

    ``partner_label`` / ``project_label`` name the attribute column holding
    the human-readable name of a partner / project (an organisation's legal
    name when ``partner`` is a PIC), or are None when the key is the name.
    """

    table: pd.DataFrame
    name: str
    source: str
    path: str | None
    sha256: str
    format: str
    encoding: str | None
    separator: str | None
    partner_column: str
    project_column: str
    partner_attributes: tuple[str, ...]
    project_attributes: tuple[str, ...]
    edge_attributes: tuple[str, ...]
    rows_read: int
    duplicate_rows: int
    skipped_rows: tuple[int, ...]
    warnings: tuple[str, ...] = field(default=())
    partner_label: str | None = None
    project_label: str | None = None


@dataclass
class Table:
    """One table as read: text cells (trimmed), with where each row came from.

    ``frame`` has the cleaned header names as columns (``header`` the cells
    as read); ``rows`` holds the line (or sheet row) where each of its rows
    starts; ``bad`` lists the lines skipped as malformed (with
    ``skip_bad_lines``), as ``(line, reason)``.
    """

    label: str
    frame: pd.DataFrame
    rows: np.ndarray
    header_line: int
    format: str
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    sha256: str = ""
    path: str | None = None
    bad: list = field(default_factory=list)
    header: list = field(default_factory=list)

    @property
    def word(self) -> str:
        """``line`` for text files, ``row`` for sheets."""
        return "row" if self.format == "xlsx" else "line"

    @property
    def short(self) -> str:
        """A short name for column suffixes: the sheet, or the file name without extensions."""
        return self.sheet or _dataset_name(self.label)


@dataclass
class Plan:
    """How to make participations out of tables: what a source recogniser returns.

    ``partner`` / ``project`` are columns of ``main.frame`` holding the keys;
    ``partner_label`` / ``project_label`` columns of ``main.frame`` holding
    display names (or None); ``attributes`` lists ``(side, table, id column,
    label column)`` for separate partner / project tables; ``partner_column``
    / ``project_column`` are how the key columns are described to the user.
    """

    main: Table
    partner: str
    project: str
    partner_label: str | None = None
    project_label: str | None = None
    attributes: list = field(default_factory=list)
    partner_column: str | None = None
    project_column: str | None = None
    notes: list = field(default_factory=list)


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
    aliases: str | Path | dict | None = None,
    skip_bad_lines: bool = False,
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
        (:mod:`ecosys.sources`).
    sheet : str or int, optional
        The Excel sheet to read (default: the first).
    name : str, optional
        The dataset's name (default: the file or folder name without extension).
    label : str, optional
        How to name the input in messages and in the summary (default: the
        path as given).
    partners, projects : path, optional
        Separate tables of partner / project attributes, one row per id.
    partners_id, projects_id : str, optional
        Their id columns (default: the column holding most of the ids).
    partners_label, projects_label : str, optional
        Their display-name columns (default: found by name, e.g. ``name``,
        ``legal_name``, ``acronym``).
    aliases : path or dict, optional
        A two-column CSV (``name,canonical``): partner names (or keys) merged
        into their canonical spelling before anything else, see
        :func:`read_aliases`.
    skip_bad_lines : bool
        Skip lines with more fields than the header (listed in the warnings
        and in ``skipped_rows``) instead of refusing the file.

    Raises
    ------
    InputError
        With a one-line message naming the file, line or row and column, and
        what was expected.

    Examples
    --------
    >>> import io
    >>> p = read_participations(io.BytesIO(b"pic,rcn,legal_name\\n1,10,ACME\\n2,10,UniBo\\n"))
    >>> p.table[["partner", "project", "legal_name"]].values.tolist()
    [['1', '10', 'ACME'], ['2', '10', 'UniBo']]
    >>> p.partner_label
    'legal_name'
    """
    return _read(
        source, partner=partner, project=project, sheet=sheet, name=name, label=label, partners=partners,
        projects=projects, partners_id=partners_id, partners_label=partners_label, projects_id=projects_id,
        projects_label=projects_label, aliases=aliases, skip_bad_lines=skip_bad_lines,
    )[0]


def _read(source, *, partner=None, project=None, sheet=None, name=None, label=None, partners=None,
          projects=None, partners_id=None, partners_label=None, projects_id=None, projects_label=None,
          aliases=None, skip_bad_lines=False):
    """:func:`read_participations`, and the details :mod:`ecosys.names` reports on."""
    from . import sources  # sources builds on this module

    details = {"attribute_tables": []}
    alias_map = read_aliases(aliases) if aliases is not None and not isinstance(aliases, dict) else (aliases or {})
    is_folder = isinstance(source, (str, Path)) and Path(source).is_dir()
    if is_folder:
        label = str(source) if label is None else label
        tables = _read_folder(Path(source), label, skip_bad_lines)
        path = str(Path(source).resolve())
        name = name or Path(source).resolve().name
    else:
        tables = _read_source(source, label, sheet, skip_bad_lines)
        label = tables[0].label
        path = tables[0].path
        if name is None:
            raw = source if isinstance(source, (str, Path)) else getattr(source, "name", None)
            name = _dataset_name(raw) if isinstance(raw, (str, Path)) and not str(raw).startswith("<") else "stdin"
    extra = []
    for side, file, id_col, label_col in (("partner", partners, partners_id, partners_label),
                                          ("project", projects, projects_id, projects_label)):
        if file is not None:
            expected = f"a header row, then one row per {side} id"
            extra.append((side, _read_source(file, None, None, skip_bad_lines, expected)[0], id_col, label_col))
    plan = None
    if partner is None and project is None:
        plan = sources.recognise(tables)
    if plan is None:
        plan = _generic_plan(tables, partner, project, label, is_folder)
    if extra:  # tables given by the user replace any found ones of that side
        given = {side for side, *_ in extra}
        plan.attributes = [a for a in plan.attributes if a[0] not in given]
        plan.attributes += extra
    elif not plan.attributes:
        plan.attributes = _find_attribute_tables(plan, [t for t in tables if t is not plan.main])
    participations = _assemble(plan, name, label, path, alias_map, details)
    return participations, details


_PARTICIPATION_ROWS = "a header row naming the partner and project columns, then one row per participation"


def _read_source(source, label, sheet, skip_bad_lines, expected=_PARTICIPATION_ROWS) -> list[Table]:
    """The tables of a file: one, or every sheet of a workbook read without ``sheet`` (first first).

    ``expected`` says what the file should hold, for the message refusing an empty one.
    """
    label, data = _read_bytes(source, label)
    path = str(Path(source).resolve()) if isinstance(source, (str, Path)) else None
    sha256 = hashlib.sha256(data).hexdigest()
    compression = None
    if data.startswith(b"\x1f\x8b"):  # gzip, as CORDIS exports often are
        try:
            data, compression = gzip.decompress(data), "gzip"
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{label}: starts as gzip but cannot be decompressed ({exc})") from None
    if not data.strip():
        raise InputError(f"{label}: the file is empty; expected {expected}")
    if data.startswith(b"PK\x03\x04"):
        tables = _read_workbook(data, label, sheet)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{label}: this is an old Excel .xls workbook; save it as .xlsx or CSV and try again"
        )
    elif sheet is not None:
        raise InputError(f"{label}: a sheet ('{sheet}') was asked for, but this is a text table, not an .xlsx workbook")
    else:
        text, encoding = _decode(data, label)
        nul = text.find("\x00")
        if nul >= 0:  # past the start the binary check reads: a damaged file
            raise InputError(f"{label}, line {text.count(chr(10), 0, nul) + 1}: a NUL byte, as in a damaged or "
                             "binary file; expected CSV or TSV text")
        hint = _SEP_LINE.match(text)
        if hint:  # Excel's "sep=;" first line names the separator; the line is left blank so lines keep their numbers
            separator, text = hint.group(1), text[hint.end():]
        else:
            separator = _sniff_separator(text)
        header_line, header, frame, rows, bad = _read_text(text, separator, label, skip_bad_lines)
        fmt = "csv" if compression is None else "csv+gzip"
        tables = [_table(label, header, frame, rows, header_line, fmt, encoding=encoding, separator=separator, bad=bad)]
    for t in tables:
        t.sha256, t.path = sha256, path
    return tables


def _table(label, header, frame, rows, header_line, fmt, **kwargs) -> Table:
    """A :class:`Table` from raw text cells: header cleaned, cells trimmed, blank rows dropped."""
    kwargs["header"] = [str(h) for h in header]
    frame.columns = _clean_header(header)
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        frame[column], empty = _strip(frame[column])
        blank &= empty
    rows = np.asarray(rows, dtype=np.int64)
    if blank.any():
        frame, rows = frame[~blank], rows[~blank]
    return Table(label, frame.reset_index(drop=True), rows, header_line, fmt, **kwargs)


def _strip(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Every cell trimmed, and which are blank; computed once per distinct value (columns repeat a lot)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    cleaned = np.array([str(u).strip() for u in uniques], dtype=object)
    if not len(codes):
        return pd.Series(np.array([], dtype=object), index=values.index, dtype=object), np.zeros(0, dtype=bool)
    return pd.Series(cleaned[codes], index=values.index, dtype=object), (cleaned == "")[codes]


def _dataset_name(path) -> str:
    """The file name without its extensions: ``h2020.csv.gz`` -> ``h2020``."""
    path = Path(path)
    return (path.with_suffix("") if path.suffix.lower() == ".gz" else path).stem


# -- the plan: which table, which columns -----------------------------------------------------

def _generic_plan(tables, partner, project, label, is_folder) -> Plan:
    """The participation table is the first one (or, in a folder, the one with partner and project columns)."""
    if is_folder:
        found = []
        for t in tables:
            try:
                found.append((t, *_columns(t, partner, project)))
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
        try:
            partner_col, project_col = _columns(main, partner, project)
        except InputError as exc:
            hint = next((t.sheet for t in tables[1:] if t.sheet and _has_columns(t, partner, project)), None)
            if hint is None:
                raise
            raise InputError(f"{exc}; or read the sheet that has them with --sheet '{hint}'") from None
    plan = Plan(main, partner_col, project_col)
    plan.partner_label = _label_in_table(main, partner_col, PARTNER_LABEL_NAMES, exclude=project_col)
    plan.project_label = _label_in_table(main, project_col, PROJECT_LABEL_NAMES, exclude=partner_col)
    if plan.partner_label == plan.project_label:
        plan.project_label = None
    return plan


def _has_columns(table: Table, partner, project) -> bool:
    try:
        _columns(table, partner, project)
    except InputError:
        return False
    return True


def _columns(table: Table, partner, project) -> tuple[str, str]:
    header = list(table.frame.columns)
    partner_col = _pick_column(header, partner, PARTNER_NAMES, "partner", table.label, exclude=None)
    project_col = _pick_column(header, project, PROJECT_NAMES, "project", table.label, exclude=partner_col)
    if partner_col == project_col:
        raise InputError(
            f"{table.label}: the partner and project columns are both '{partner_col}'; "
            "name two different columns with --partner and --project"
        )
    return partner_col, project_col


def _is_id_column(column: str) -> bool:
    """True for a header naming an identifier: ``pic``, ``project_id``, ``organisationID``."""
    return not _ID_WORDS.isdisjoint(_normal(column).split())


def _label_in_table(table: Table, key: str, names, exclude) -> str | None:
    """A display-name column beside an id column (``legal_name`` beside ``pic``), else None."""
    if not _is_id_column(key):
        return None
    for wanted in names:
        for column in table.frame.columns:
            if column not in (key, exclude) and _normal(column) == wanted:
                return column
    return None


def _find_attribute_tables(plan: Plan, others: list[Table]) -> list:
    """The other tables whose column holds most of the partner (or project) keys, one per side."""
    if not others:
        return []
    keys = {side: set(_clean_names(plan.main.frame[col]).unique()) - {""}
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
    found = [(side, best[side][1], best[side][2], None) for side in ("partner", "project") if side in best]
    for t in others:
        if any(t is f[1] for f in found):
            continue
        side = wanted.get(id(t))
        if side is None:
            plan.notes.append(f"{t.label}: not used (none of its columns holds the partner or project ids)")
        else:
            plan.notes.append(f"{t.label}: not used ({best[side][1].label} holds more of the {side} ids)")
    return found


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


# -- from a plan to participations -----------------------------------------------------------

def _assemble(plan: Plan, name, label, path, alias_map, details) -> Participations:
    main = plan.main
    frame, word = main.frame, main.word
    partner_col, project_col = plan.partner, plan.project
    warnings = []
    for line, reason in main.bad:
        details.setdefault("bad_lines", []).append({word: int(line), "reason": reason})
    if main.bad:
        lines = [b[0] for b in main.bad]
        warnings.append(
            f"{main.label}: skipped {len(lines)} malformed {_plural(word, len(lines))} "
            f"(more fields than the header): {_plural(word, len(lines))} {_list_numbers(lines)}"
        )
    rows_read = len(frame) + len(main.bad)
    if not len(frame) and main.bad:
        lines = [b[0] for b in main.bad]
        raise InputError(
            f"{main.label}: no participations left: every {word} has more fields than the header "
            f"({len(main.header)}): {_plural(word, len(lines))} {_list_numbers(lines)}; check the separator or the quoting"
        )
    if not len(frame):
        raise InputError(
            f"{main.label}: no data rows after the header ({word} {main.header_line}); expected one row per "
            "partner-in-project"
        )
    names_p = _clean_names(frame[partner_col])
    names_q = _clean_names(frame[project_col])
    keys = {"partner": set(names_p) - {""}, "project": set(names_q) - {""}}
    plan.attributes = [(side, other, *_join_columns(side, other, id_col, label_col, keys[side], main.label))
                       for side, other, id_col, label_col in plan.attributes]
    if alias_map:
        names_p, merged = _apply_aliases(names_p, _partner_labels(plan, names_p), alias_map)
        if merged:
            warnings.append(f"{main.label}: {merged} partner {_plural('name', merged)} merged by the aliases")
        details["aliases_merged"] = merged
    missing = ((names_p == "") | (names_q == "")).to_numpy()
    blank_rows = main.rows[missing]
    if len(blank_rows):
        warnings.append(
            f"{main.label}: skipped {len(blank_rows)} {_plural(word, len(blank_rows))} with a blank "
            f"partner or project ('{partner_col}' or '{project_col}'): {_plural(word, len(blank_rows))} "
            f"{_list_numbers(blank_rows)}"
        )
    details["blank_rows"] = [int(r) for r in blank_rows]
    skipped = tuple(sorted(int(r) for r in [*blank_rows, *(b[0] for b in main.bad)]))
    attributes = [c for c in frame.columns if c not in (partner_col, project_col)]
    data = {"partner": names_p.to_numpy(dtype=object), "project": names_q.to_numpy(dtype=object), "row": main.rows}
    taken = set(frame.columns) | {"partner", "project", "row"}
    kept = {}
    for column in attributes:
        kept_as = column
        if column in _RESERVED:  # a column named like the cleaned ones or the graph's node attributes
            kept_as = next(f"{column} ({k})" for k in range(2, len(taken) + 3) if f"{column} ({k})" not in taken)
            taken.add(kept_as)
        kept[column] = kept_as
        data[kept_as] = frame[column].to_numpy(dtype=object)
    # object columns, as pandas < 3 made them (pandas 3 would infer its own string dtype)
    table = pd.DataFrame({k: pd.Series(v, dtype=object if k != "row" else np.int64) for k, v in data.items()})
    table = table[~missing]
    if table.empty:
        raise InputError(
            f"{main.label}: no participations left: every row has a blank partner or project "
            f"('{partner_col}' or '{project_col}')"
        )
    repeated = table.duplicated(["partner", "project"], keep="first")
    duplicate_rows = int(repeated.sum())
    details["duplicate_rows"] = [int(r) for r in table.loc[repeated, "row"]]
    if duplicate_rows:
        warnings.append(
            f"{main.label}: {duplicate_rows} repeated partner-project "
            f"pair{'s' if duplicate_rows > 1 else ''} counted once "
            f"({_plural(word, duplicate_rows)} {_list_numbers(details['duplicate_rows'])})"
        )
    details["label_values"] = {}
    for side, col in (("partner", plan.partner_label), ("project", plan.project_label)):
        if col is not None:  # every spelling of the name of each key, before repeats are dropped
            details["label_values"][side] = table[[side, kept[col]]]
    table = table[~repeated].reset_index(drop=True)
    table["row"] = table["row"].astype(int)

    used = [kept[c] for c in attributes if (table[kept[c]] != "").any()]
    labels = {side: kept.get(col) if kept.get(col) in used else None  # a blank label column names nothing
              for side, col in (("partner", plan.partner_label), ("project", plan.project_label))}
    forced = {labels[s]: s for s in labels if labels[s] in used}
    partner_attrs, project_attrs, edge_attrs = _classify_attributes(table, [c for c in used if c not in forced])
    sides = {"partner": list(partner_attrs), "project": list(project_attrs)}
    for column, side in forced.items():
        sides[side].append(column)
    sides = {s: [c for c in used if c in sides[s]] for s in sides}  # input order
    for side, other, id_col, label_col in plan.attributes:
        table, added, label_as = _join(table, side, other, id_col, label_col, main.label, warnings, details)
        sides[side] += added
        if label_as is not None:
            labels[side] = label_as
    for note in plan.notes:
        warnings.append(note)
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
        edge_attributes=tuple(edge_attrs),
        rows_read=rows_read,
        duplicate_rows=duplicate_rows,
        skipped_rows=skipped,
        warnings=tuple(warnings),
        partner_label=labels["partner"],
        project_label=labels["project"],
    )


# Column names the table or the graph's nodes use themselves: attributes so named get a suffix.
_RESERVED = {"partner", "project", "row", "name", "kind", "bipartite", "node"}
_LABEL_NAMES = {"partner": PARTNER_LABEL_NAMES, "project": PROJECT_LABEL_NAMES}
_ID_OPTION = {"partner": "--partners-id", "project": "--projects-id"}


def _join(table, side, other: Table, id_col, label_col, main_label, warnings, details):
    """Add the columns of a partner (or project) table to ``table``, matched on the ``side`` keys.

    Returns the table, the added column names and the (added) name of the label column.
    """
    keys = set(table[side].unique())
    header = list(other.frame.columns)
    label_col = label_col or None
    frame = other.frame
    ids = _clean_names(frame[id_col])
    blank = (ids == "").to_numpy()
    entry = {"table": other.label, "word": other.word, "side": side, "id_column": id_col, "label_column": label_col,
             "rows": len(frame), "blank_ids": [int(r) for r in other.rows[blank]]}
    if blank.any():
        warnings.append(
            f"{other.label}: skipped {int(blank.sum())} {_plural(other.word, int(blank.sum()))} with a blank "
            f"'{id_col}': {_plural(other.word, int(blank.sum()))} {_list_numbers(other.rows[blank])}"
        )
    if other.bad:
        lines = [b[0] for b in other.bad]
        entry["bad_lines"] = [{other.word: int(line), "reason": reason} for line, reason in other.bad]
        warnings.append(
            f"{other.label}: skipped {len(lines)} malformed {_plural(other.word, len(lines))} "
            f"(more fields than the header): {_plural(other.word, len(lines))} {_list_numbers(lines)}"
        )
    frame, ids, rows = frame[~blank], ids[~blank], other.rows[~blank]
    repeated = ids.duplicated(keep="first").to_numpy()
    if repeated.any():
        entry["repeated_ids"] = [int(r) for r in rows[repeated]]
        warnings.append(
            f"{other.label}: {int(repeated.sum())} repeated {_plural('id', int(repeated.sum()))} in '{id_col}', "
            f"the first row of each used ({_plural(other.word, int(repeated.sum()))} {_list_numbers(rows[repeated])})"
        )
        if label_col is not None:
            entry["label_values"] = pd.DataFrame({side: ids.to_numpy(), "label": frame[label_col].to_numpy()})
    frame, ids = frame[~repeated], ids[~repeated]
    absent = sorted(keys - set(ids))
    entry["unmatched"] = absent
    if absent:
        warnings.append(
            f"{len(absent)} {side} {_plural('id', len(absent))} of {main_label} "
            f"{'is' if len(absent) == 1 else 'are'} not in {other.label} "
            f"(first: {', '.join(absent[:_MAX_LISTED])})"
        )
    details["attribute_tables"].append(entry)
    positions = pd.Index(ids.to_numpy()).get_indexer(table[side].to_numpy())
    found = positions >= 0
    added, label_as = [], None
    taken = set(table.columns)
    for column in header:
        if column == id_col:
            continue
        kept_as = column if column not in taken and column not in _RESERVED else f"{column} ({other.short})"
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
    return table, added, label_as


def _join_columns(side, other: Table, id_col, label_col, keys: set, main_label) -> tuple[str, str | bool]:
    """The id and label columns of a partner (or project) table: as named, else found; False for no label."""
    header = list(other.frame.columns)
    if id_col is None:
        id_col, _ = _id_column(other, keys)
        if id_col is None:
            example = next(iter(sorted(keys)), "")
            raise InputError(
                f"{other.label}: no column holds the {side} ids of {main_label} (such as '{example}'); "
                f"columns are: {_list_columns(header)}; name it with {_ID_OPTION[side]} COLUMN"
            )
    else:
        id_col = _find(header, id_col, f"{side} id", other.label)
    if label_col is False:  # the plan keeps the main table's label
        return id_col, False
    if label_col is not None:
        return id_col, _find(header, label_col, f"{side} label", other.label)
    found = next((c for wanted in _LABEL_NAMES[side] for c in header if c != id_col and _normal(c) == wanted), None)
    return id_col, found if found is not None else False


def _find(header, wanted, role, label) -> str:
    for column in header:
        if column == wanted or column.lower() == wanted.strip().lower():
            return column
    raise InputError(f"{label}: no {role} column '{wanted}'; columns are: {_list_columns(header)}")


def _partner_labels(plan: Plan, keys: pd.Series) -> pd.Series | None:
    """The display name of each row's partner: from the main table, or looked up in the partners table."""
    if plan.partner_label:
        return plan.main.frame[plan.partner_label]
    for side, other, id_col, label_col in plan.attributes:
        if side == "partner" and label_col:
            ids = _clean_names(other.frame[id_col])
            first = ~ids.duplicated().to_numpy()
            lookup = pd.Series(other.frame[label_col].to_numpy()[first], index=ids.to_numpy()[first])
            return keys.map(lookup).fillna("")
    return None


def _apply_aliases(names: pd.Series, labels: pd.Series | None, alias_map: dict) -> tuple[pd.Series, int]:
    """Replace partner names found in ``alias_map`` by their canonical name.

    Where partners have ids and display names, a display name in the aliases
    moves the row to the id carrying the canonical display name.
    """
    mapped = names.map(alias_map)
    hit = mapped.notna() & (mapped != names)
    merged = set(names[hit])
    out = names.where(~hit, mapped)
    if labels is not None:
        clean = _clean_names(labels)
        canonical_key = pd.Series(names.to_numpy(), index=clean.to_numpy())
        canonical_key = canonical_key[~canonical_key.index.duplicated()]
        target = clean.map(alias_map).map(canonical_key)
        hit2 = target.notna() & (target != out) & ~hit
        merged |= set(out[hit2])
        out = out.where(~hit2, target)
    return out, len(merged)


def read_aliases(source: str | Path) -> dict[str, str]:
    """Read a two-column alias table (``name,canonical``, header optional) into a dict.

    Names are cleaned like partner names; rows whose name equals its canonical
    spelling are ignored; a canonical name that is itself an alias is followed
    to its end.

    >>> import io
    >>> read_aliases(io.BytesIO(b"name,canonical\\nMax-Planck-Gesellschaft,Max Planck Gesellschaft\\n"))
    {'Max-Planck-Gesellschaft': 'Max Planck Gesellschaft'}
    """
    t = _read_source(source, None, None, False, "two columns, a name and its canonical spelling")[0]
    header = list(t.frame.columns)
    # columns past the second that hold something (a trailing separator adds an empty one)
    extra = [c for c, raw in zip(header[2:], t.header[2:]) if raw.strip() or (t.frame[c] != "").any()]
    if len(header) < 2 or extra:
        raise InputError(f"{t.label}: an alias table has two columns, a name and its canonical spelling; "
                         f"found {2 + len(extra) if extra else 1}: {_list_columns(header[:2] + extra)}")
    rows = [(_clean_name(a), _clean_name(b)) for a, b in zip(t.frame[header[0]], t.frame[header[1]])]
    lines = list(t.rows)
    titled = _normal(header[0]) in ("name", "alias", "variant", "from", "partner")
    if not titled:  # no header: the first row is data, as written (not renamed "column 1" or "ACME (2)")
        rows.insert(0, (_clean_name(t.header[0]), _clean_name(t.header[1])))
        lines.insert(0, t.header_line)
    columns = (f"'{header[0]}'", f"'{header[1]}'") if titled else ("1", "2")
    mapping = {}
    for (a, b), line in zip(rows, lines):
        if not a or not b:
            raise InputError(f"{t.label}, {t.word} {line}, column {columns[0] if not a else columns[1]}: blank; "
                             "expected two filled columns, a name and its canonical spelling")
        if a != b:
            mapping[a] = b
    for a in list(mapping):  # follow chains a -> b -> c, stopping at cycles
        seen, b = {a}, mapping[a]
        while b in mapping and b not in seen:
            seen.add(b)
            b = mapping[b]
        mapping[a] = b
    return {a: b for a, b in mapping.items() if a != b}


# -- reading bytes ---------------------------------------------------------------------------

def _read_bytes(source, label=None) -> tuple[str, bytes]:
    if hasattr(source, "read"):
        if label is None:
            label = getattr(source, "name", None)
            label = label if isinstance(label, str) and not label.startswith("<") else "<stdin>"
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return label, data
    path = Path(source)
    label = str(source) if label is None else label
    if not path.exists():
        raise InputError(f"{label}: file not found")
    if path.is_dir():
        raise InputError(f"{label}: is a folder; expected a CSV, TSV or .xlsx file")
    try:
        return label, path.read_bytes()
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None


def _read_folder(folder: Path, label: str, skip_bad_lines: bool) -> list[Table]:
    """Every table of a folder (.csv, .tsv, .xlsx, .csv.gz, .tsv.gz), by file name."""
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(_TABLE_SUFFIXES)
                       and not p.name.startswith((".", "~$")))
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if not files:
        raise InputError(f"{label}: is a folder with no CSV, TSV or .xlsx table in it; expected a participation table")
    sep = "" if label.endswith(("/", "\\")) else "/"
    tables = []
    for p in files:
        tables += _read_source(p, f"{label}{sep}{p.name}", None, skip_bad_lines)
    return tables


def _read_workbook(data: bytes, label: str, sheet) -> list[Table]:
    """Every sheet of a workbook, the one asked for (default: the first) first."""
    try:
        book = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None,
            dtype=object, engine="openpyxl", na_filter=False, keep_default_na=False,
        )
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    titles = list(book)
    if sheet is not None:
        if isinstance(sheet, int) and 0 <= sheet < len(titles):
            sheet = titles[sheet]
        if sheet not in book:
            raise InputError(f"{label}: no sheet named '{sheet}'; sheets are: {_list_columns(titles)}")
        titles.remove(sheet)
        titles.insert(0, sheet)
    sheets = {title: book[title] for title in titles}
    tables = []
    for i, (title, cells) in enumerate(sheets.items()):
        cells = cells.map(_excel_text)
        first = next((j for j, row in enumerate(cells.itertuples(index=False)) if any(c.strip() for c in row)), None)
        if first is None:
            if i == 0:
                others = f"; read another with --sheet NAME (sheets: {_list_columns(titles[1:])})" if titles[1:] else ""
                raise InputError(f"{label}: sheet '{title}' is empty; expected a header row{others}")
            continue
        header = cells.iloc[first].tolist()
        body = cells.iloc[first + 1:].reset_index(drop=True)
        rows = np.arange(first + 2, first + 2 + len(body))
        where = label if i == 0 else f"{label}, sheet '{title}'"
        tables.append(_table(where, header, body, rows, first + 1, "xlsx", sheet=str(title)))
    return tables


def _excel_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _decode(data: bytes, label: str) -> tuple[str, str]:
    """Decode text: UTF-8 (BOM or not), UTF-16 (BOM or not), else cp1252 (Latin-1), or UTF-8 with some cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{label}: starts as UTF-16 text but is not valid UTF-16") from None
    encoding = _utf16_without_bom(data[:65536]) if b"\x00" in data[:65536] else None
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise InputError(f"{label}: looks like UTF-16 text without a BOM but is not valid {encoding}") from None
    if b"\x00" in data[:65536] or _looks_binary(data[:65536]):
        raise InputError(
            f"{label}: looks like a binary file, not a table; expected CSV or TSV text, or an .xlsx workbook"
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{label}: marked as UTF-8 but byte {exc.start + 3} is not UTF-8; save it as UTF-8 again"
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # each byte that is not UTF-8 read as cp1252: a UTF-8 file with a few cp1252 lines (tables pasted
    # together) keeps its UTF-8 names, instead of all of them turning into "UniversitÃ "
    text = data.decode("utf-8", "ecosys-cp1252")
    for encoding in ("cp1252", "latin-1"):
        try:
            if data.decode(encoding) == text:
                return text, encoding
        except UnicodeDecodeError:
            continue
    return text, "utf-8+cp1252"


def _cp1252_byte(exc: UnicodeDecodeError) -> tuple[str, int]:
    """The first byte that is not UTF-8 as its cp1252 character (its Latin-1 one where cp1252 has none)."""
    return _CP1252[exc.object[exc.start]], exc.start + 1


_CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]
codecs.register_error("ecosys-cp1252", _cp1252_byte)


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for text whose every other byte is 0 (Latin text in UTF-16), else None.

    >>> _utf16_without_bom("org,project".encode("utf-16-le")), _utf16_without_bom(b"a\\x00b,c")
    ('utf-16-le', None)
    """
    if len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd * 2 >= len(head) // 2 and even == 0:
        return "utf-16-le"
    if even * 2 >= len(head) // 2 and odd == 0:
        return "utf-16-be"
    return None


def _looks_binary(head: bytes) -> bool:
    """True when control bytes other than tab/CR/LF/FF make up over 1% of the start."""
    if head.startswith(b"%PDF"):
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(1, len(head) // 100)


def _sniff_separator(text: str) -> str:
    """Pick the separator that splits the first lines into the same, largest number of fields."""
    sample = "\n".join(text[:65536].splitlines()[:50])
    best, best_score = ",", (-1.0, 0)
    for sep in _TEXT_SEPARATORS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=sep) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_text(text: str, sep: str, label: str, skip_bad_lines: bool = False):
    """Header line, header, cells (a DataFrame of text), first line of each row, skipped bad lines.

    Fast path: pandas' C parser, line numbers computed from the newlines
    inside quoted cells. Any row the C parser will not take (an extra field)
    sends the file through the csv module, which gives each row's line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header_start, header = 1, next(reader)
        while not any(c.strip() for c in header):
            header_start, header = reader.line_num + 1, next(reader)
        header_line = reader.line_num
    except StopIteration:
        raise InputError(f"{label}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    if not any("\n" in h or "\r" in h for h in header):
        fast = _read_text_fast(text, sep, len(header), header_line)
        if fast is not None:
            frame, rows = fast
            return header_line, header, frame, rows, []
        fast = _read_text_wide(text, sep, label, len(header), header_line, skip_bad_lines)
        if fast is not None:
            return (header_line, header, *fast)
    rows, numbers, bad, last = _read_text_slow(reader, header, header_line, sep, label, skip_bad_lines)
    _refuse_open_quote(text, sep, label, last or header_start)
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object) if rows else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(len(header))})
    return header_line, header, frame, numbers, bad


def _read_text_wide(text: str, sep: str, label: str, width: int, header_line: int, skip_bad_lines: bool):
    """The C parser again, with room for the extra fields: finds the rows that have some, and their lines.

    Returns ``(frame, rows, bad)``, or None when the csv module must decide
    (a row spanning lines, or lines with very many separators).
    """
    wide = max(map(str.count, text.split("\n"), [sep] * (text.count("\n") + 1))) + 1
    if wide <= width or wide > width + 50:
        return None
    parsed = _read_text_fast(text, sep, wide, header_line)
    if parsed is None:
        return None
    frame, rows = parsed
    extra = np.zeros(len(frame), dtype=bool)
    for column in frame.columns[width:]:
        extra |= (frame[column].str.strip() != "").to_numpy()
    if not extra.any():
        return frame[frame.columns[:width]], rows, []
    lines = io.StringIO(text, newline="").readlines()
    bad = []
    for line in rows[extra]:
        raw = lines[line - 1] if line <= len(lines) else '"'
        if '"' in raw:  # perhaps a quoted cell spanning lines: let the csv module count
            return None
        fields = len(next(csv.reader([raw.rstrip("\r\n")], delimiter=sep)))
        if not skip_bad_lines:
            raise InputError(_extra_fields_message(label, int(line), fields, width, sep))
        bad.append((int(line), f"{fields} fields where the header has {width}"))
    keep = ~extra
    return frame.loc[keep, frame.columns[:width]].reset_index(drop=True), rows[keep], bad


def _extra_fields_message(label, line, fields, width, sep) -> str:
    name = _SEPARATOR_NAMES[sep]
    return (
        f"{label}, line {line}: {fields} fields where the header has {width} ({name}-separated); "
        f"quote values that contain a {name} or remove the extra one (or skip such lines with --skip-bad-lines)"
    )


def _read_text_fast(text: str, sep: str, width: int, header_line: int):
    try:
        with catch_warnings():
            # pandas drops the extra fields of the first rows with a warning: take the slow path instead
            simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, header=None, names=range(width), skiprows=header_line, dtype=object,
                na_filter=False, keep_default_na=False, skip_blank_lines=False, engine="c", index_col=False,
                quotechar='"', doublequote=True, quoting=csv.QUOTE_MINIMAL,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError, ValueError,
            OverflowError, UnicodeError):
        return None
    n = len(frame)
    rows = header_line + 1 + np.arange(n, dtype=np.int64)
    if n and '"' in text:  # a quoted cell may span lines: the next row starts further down
        breaks = np.zeros(n, dtype=np.int64)
        for column in frame.columns:
            values = frame[column]
            spans = values.str.contains("[\r\n]", regex=True)
            if spans.any():
                breaks += values.str.count("\r\n|\r|\n").fillna(0).to_numpy(dtype=np.int64)
        rows[1:] += np.cumsum(breaks)[:-1]
    return frame, rows


def _read_text_slow(reader, header, header_line, sep, label, skip_bad_lines):
    width = len(header)
    rows, numbers, bad = [], [], []
    start, end = None, header_line  # a row starts on the line after the previous one ends (quoted cells may span lines)
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if len(row) > width and any(c.strip() for c in row[width:]):
                if skip_bad_lines:
                    bad.append((start, f"{len(row)} fields where the header has {width}"))
                    continue
                raise InputError(_extra_fields_message(label, start, len(row), width, sep))
            if len(row) < width:
                row = row + [""] * (width - len(row))
            rows.append(row[:width])
            numbers.append(start)
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    return rows, numbers, bad, start


def _refuse_open_quote(text: str, sep: str, label: str, line: int) -> None:
    """Refuse a quoted cell still open at the end of the file, in the record starting on ``line``.

    The csv module (not strict) would read the rest of the file into that
    cell; only the last record can end that way, so only it is read again,
    strictly.
    """
    last = "".join(io.StringIO(text, newline="").readlines()[line - 1:])
    try:
        for _ in csv.reader(io.StringIO(last, newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(
                f"{label}, line {line}: a quoted cell is never closed (no closing '\"' before the end of the file); "
                "close the quote or remove it"
            ) from None


# -- cleaning and columns --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _clean_names(values: pd.Series) -> pd.Series:
    """:func:`_clean_name` for a column of text (computed once per distinct value)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object, na_value=""))
    cleaned = np.array([_clean_name(u) for u in uniques], dtype=object)
    return pd.Series(cleaned[codes] if len(codes) else np.array([], dtype=object), index=values.index, dtype=object)


def _clean_name(value: str) -> str:
    """Collapse runs of white space (including non-breaking spaces) and trim.

    >>> _clean_name("  Università\u00a0di   Bologna ")
    'Università di Bologna'
    """
    return " ".join(value.split())


def _clean_header(header: list[str]) -> list[str]:
    """Trim header names, name blank ones ``column N``, and number repeats: ``city``, ``city (2)``."""
    cleaned, seen = [], set()
    for i, h in enumerate(header, start=1):
        base = _clean_name(str(h)) or f"column {i}"
        h, k = base, 1
        while h in seen or h == "row":
            k += 1
            h = f"{base} ({k})"
        seen.add(h)
        cleaned.append(h)
    return cleaned


def _normal(header: str) -> str:
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header)
    return " ".join(re.split(r"[^0-9a-z]+", words.lower())).strip()


def _pick_column(header, wanted, names, role, label, exclude) -> str:
    if wanted is not None:
        return _find(header, wanted, role, label)
    candidates = [c for c in header if c != exclude]
    normal = {c: _normal(c) for c in candidates}
    for wanted_name in names:  # exact names first, best name first
        for column in candidates:
            if normal[column] == wanted_name:
                return column
    for wanted_name in names:  # then a header that contains the name as whole words
        for column in candidates:
            words = normal[column].split()
            if _ATTRIBUTE_WORDS.isdisjoint(words) and f" {wanted_name} " in f" {normal[column]} ":
                return column
    examples = ", ".join(f"'{n}'" for n in names[:4])
    raise InputError(
        f"{label}: no {role} column found (looked for a header such as {examples}); "
        f"columns are: {_list_columns(header)}; name it with --{role} COLUMN"
    )


_PROJECT_HINTS = {"start", "end", "date", "year", "programme", "program", "call", "topic", "topics",
                  "budget", "cost", "acronym", "title", "scheme", "duration", "status"}
_EDGE_HINTS = {"role", "contribution", "share", "funding", "grant"}


def _classify_attributes(table: pd.DataFrame, columns: list[str]):
    """Split extra columns into partner, project and participation attributes.

    A column whose filled values never differ within a partner is a partner
    attribute; within a project, a project attribute; otherwise it belongs to
    the participation (an edge). Evidence decides when a column is constant on
    both sides: the side where more nodes have two or more filled rows that
    agree wins (one row per node proves nothing). Without evidence, or on a
    tie, the column's name decides (a role or contribution belongs to the
    participation; dates, programme, budget to the project), then partners.

    Computed on integer codes: a column is constant within a side when every
    filled row's value equals the first filled value of its node.
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
        words = set(_normal(column).split())
        best = max(evidence.values(), default=0)
        leaders = [side for side in ("partner", "project") if evidence.get(side, -1) == best]
        if not evidence or (best == 0 and not _EDGE_HINTS.isdisjoint(words)):
            side = "edge"
        elif len(leaders) == 1:
            side = leaders[0]
        else:
            side = "project" if not _PROJECT_HINTS.isdisjoint(words) else "partner"
        {"partner": partner_attrs, "project": project_attrs, "edge": edge_attrs}[side].append(column)
    return tuple(partner_attrs), tuple(project_attrs), tuple(edge_attrs)


def _plural(word: str, count: int) -> str:
    return word if count == 1 else word + "s"


def _list_numbers(numbers) -> str:
    numbers = [int(n) for n in numbers]
    shown = ", ".join(str(n) for n in numbers[:_MAX_LISTED])
    return shown + (f" and {len(numbers) - _MAX_LISTED} more" if len(numbers) > _MAX_LISTED else "")


def _list_columns(header) -> str:
    return ", ".join(f"'{h}'" for h in header)
