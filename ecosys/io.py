"""Read participation tables (CSV, TSV, Excel) into a tidy, validated value.

A participation table has one row per partner-in-project. ecosys finds the
partner and project columns by their usual names, reads the mess that real
exports carry (BOM, cp1252, ``;`` or tab separators, CRLF, stray spaces,
repeated rows), and refuses what it cannot read with an :class:`InputError`
that names the file, the line or row, and what was expected.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

__all__ = [
    "EcosysError",
    "InputError",
    "Participations",
    "read_participations",
    "PARTNER_NAMES",
    "PROJECT_NAMES",
]


class EcosysError(Exception):
    """Base class of the errors ecosys reports to its users as one line."""


class InputError(EcosysError):
    """An input file that cannot be read as a participation table."""


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
# A header that names one of these is an attribute of a partner or project
# (a "partner type", a "project start"), never the partner or project itself.
_ATTRIBUTE_WORDS = {
    "type", "types", "count", "number", "num", "n", "role", "country", "city",
    "region", "amount", "cost", "contribution", "date", "start", "end", "year",
    "status", "share", "size", "total", "url", "website", "email", "address",
}

_TEXT_SEPARATORS = (",", ";", "\t", "|")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_MAX_LISTED = 10


@dataclass(frozen=True)
class Participations:
    """A participation table read and cleaned, with what was found on the way.

    ``table`` has one row per distinct partner-project pair: columns
    ``partner`` and ``project`` (cleaned names), ``row`` (where the pair was
    first read: the line of a text file or the row of a sheet, the header
    being 1), then every other input column as text, blanks as ``""``.
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


def read_participations(
    source: str | Path | BinaryIO,
    *,
    partner: str | None = None,
    project: str | None = None,
    sheet: str | int | None = None,
    name: str | None = None,
    label: str | None = None,
) -> Participations:
    """Read a participation table from a CSV/TSV/text or .xlsx file.

    Parameters
    ----------
    source : path or binary file object
        The table. Text files may be UTF-8 (with or without BOM), UTF-16 with
        BOM, cp1252 or Latin-1, separated by ``,`` ``;`` tab or ``|``, and
        gzip-compressed (``.csv.gz``).
    partner, project : str, optional
        The partner and project column names (case-insensitive). By default
        they are found among the usual names (:data:`PARTNER_NAMES`,
        :data:`PROJECT_NAMES`).
    sheet : str or int, optional
        The Excel sheet to read (default: the first).
    name : str, optional
        The dataset's name (default: the file name without extension).
    label : str, optional
        How to name the input in messages and in the summary (default: the
        path as given).

    Raises
    ------
    InputError
        With a one-line message naming the file, line or row and column, and
        what was expected.
    """
    label, data = _read_bytes(source, label)
    path = str(Path(source).resolve()) if isinstance(source, (str, Path)) else None
    if name is None:
        raw = source if isinstance(source, (str, Path)) else getattr(source, "name", None)
        name = _dataset_name(raw) if isinstance(raw, (str, Path)) and not str(raw).startswith("<") else "stdin"
    sha256 = hashlib.sha256(data).hexdigest()
    compression = None
    if data.startswith(b"\x1f\x8b"):  # gzip, as CORDIS exports often are
        try:
            data, compression = gzip.decompress(data), "gzip"
        except (OSError, EOFError) as exc:
            raise InputError(f"{label}: starts as gzip but cannot be decompressed ({exc})") from None
    if not data.strip():
        raise InputError(
            f"{label}: the file is empty; expected a header row naming the partner "
            "and project columns, then one row per participation"
        )
    if data.startswith(b"PK\x03\x04"):
        header_line, header, rows, row_numbers = _read_excel(data, label, sheet)
        fmt, encoding, separator = "xlsx", None, None
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{label}: this is an old Excel .xls workbook; save it as .xlsx or CSV and try again"
        )
    else:
        text, encoding = _decode(data, label)
        separator = _sniff_separator(text)
        header_line, header, rows, row_numbers = _read_text(text, separator, label)
        fmt = "csv" if compression is None else "csv+gzip"
    word = "row" if fmt == "xlsx" else "line"

    header = _clean_header(header)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    for column in header:
        frame[column] = frame[column].str.strip()

    partner_col = _pick_column(header, partner, PARTNER_NAMES, "partner", label, exclude=None)
    project_col = _pick_column(header, project, PROJECT_NAMES, "project", label, exclude=partner_col)
    if partner_col == project_col:
        raise InputError(
            f"{label}: the partner and project columns are both '{partner_col}'; "
            "name two different columns with --partner and --project"
        )

    frame.insert(0, "row", row_numbers)
    blank_rows = frame.drop(columns="row").eq("").all(axis=1)
    frame = frame[~blank_rows]
    rows_read = len(frame)
    if not rows_read:
        raise InputError(
            f"{label}: no data rows after the header ({word} {header_line}); expected one row per "
            "partner-in-project"
        )

    names_p = _clean_names(frame[partner_col])
    names_q = _clean_names(frame[project_col])
    missing = (names_p == "") | (names_q == "")
    skipped = tuple(int(r) for r in frame.loc[missing, "row"])
    warnings = []
    if skipped:
        warnings.append(
            f"{label}: skipped {len(skipped)} {_plural(word, len(skipped))} with a blank "
            f"partner or project ('{partner_col}' or '{project_col}'): {_plural(word, len(skipped))} "
            f"{_list_numbers(skipped)}"
        )
    attributes = [c for c in header if c not in (partner_col, project_col)]
    table = pd.DataFrame({"partner": names_p, "project": names_q, "row": frame["row"]})
    taken = set(header) | {"partner", "project", "row"}
    for column in attributes:
        kept_as = column
        if column in ("partner", "project"):  # another column named like the cleaned ones
            kept_as = next(f"{column} ({k})" for k in range(2, len(taken) + 3) if f"{column} ({k})" not in taken)
            taken.add(kept_as)
        table[kept_as] = frame[column]
    attributes = list(table.columns[3:])
    table = table[~missing]
    if table.empty:
        raise InputError(
            f"{label}: no participations left: every row has a blank partner or project "
            f"('{partner_col}' or '{project_col}')"
        )
    repeated = table.duplicated(["partner", "project"], keep="first")
    duplicate_rows = int(repeated.sum())
    if duplicate_rows:
        warnings.append(
            f"{label}: {duplicate_rows} repeated partner-project "
            f"pair{'s' if duplicate_rows > 1 else ''} counted once "
            f"({_plural(word, duplicate_rows)} {_list_numbers(table.loc[repeated, 'row'].tolist())})"
        )
    table = table[~repeated].reset_index(drop=True)
    table["row"] = table["row"].astype(int)

    used = [c for c in attributes if (table[c] != "").any()]
    partner_attrs, project_attrs, edge_attrs = _classify_attributes(table, used)
    return Participations(
        table=table,
        name=name,
        source=label,
        path=path,
        sha256=sha256,
        format=fmt,
        encoding=encoding,
        separator=separator,
        partner_column=partner_col,
        project_column=project_col,
        partner_attributes=partner_attrs,
        project_attributes=project_attrs,
        edge_attributes=edge_attrs,
        rows_read=rows_read,
        duplicate_rows=duplicate_rows,
        skipped_rows=skipped,
        warnings=tuple(warnings),
    )


def _dataset_name(path) -> str:
    """The file name without its extensions: ``h2020.csv.gz`` -> ``h2020``."""
    path = Path(path)
    return (path.with_suffix("") if path.suffix.lower() == ".gz" else path).stem


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


def _decode(data: bytes, label: str) -> tuple[str, str]:
    """Decode text: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{label}: starts as UTF-16 text but is not valid UTF-16") from None
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
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


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
        counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=sep) if any(c.strip() for c in r)]
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_text(text: str, sep: str, label: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
        while not any(c.strip() for c in header):
            header = next(reader)
        header_line = reader.line_num
    except StopIteration:
        raise InputError(f"{label}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    width = len(header)
    rows, numbers = [], []
    end = header_line  # a row starts on the line after the previous one ends (quoted cells may span lines)
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if len(row) > width and any(c.strip() for c in row[width:]):
                raise InputError(
                    f"{label}, line {start}: {len(row)} fields where the header has {width} "
                    f"({_SEPARATOR_NAMES[sep]}-separated); quote values that contain a "
                    f"{_SEPARATOR_NAMES[sep]} or remove the extra one"
                )
            if len(row) < width:
                row = row + [""] * (width - len(row))
            rows.append(row[:width])
            numbers.append(start)
    except csv.Error as exc:
        raise InputError(f"{label}, line {reader.line_num}: {exc}") from None
    return header_line, header, rows, numbers


def _read_excel(data: bytes, label: str, sheet):
    try:
        book = pd.read_excel(
            io.BytesIO(data), sheet_name=0 if sheet is None else sheet, header=None,
            dtype=object, engine="openpyxl", na_filter=False, keep_default_na=False,
        )
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc).lower():
            raise InputError(f"{label}: no sheet named '{sheet}'") from None
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({exc})") from None
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise InputError(f"{label}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    cells = book.map(_excel_text).values.tolist()
    numbers = list(range(1, len(cells) + 1))
    while cells and not any(c.strip() for c in cells[0]):
        cells.pop(0)
        numbers.pop(0)
    if not cells:
        raise InputError(f"{label}: the sheet is empty; expected a header row")
    return numbers[0], cells[0], cells[1:], numbers[1:]


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


# -- cleaning and columns --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _clean_names(values: pd.Series) -> pd.Series:
    """:func:`_clean_name` for a column of text."""
    return values.str.replace("\u00a0", " ", regex=False).str.replace(_SPACES, " ", regex=True).str.strip()


def _clean_name(value: str) -> str:
    """Collapse runs of white space (including non-breaking spaces) and trim."""
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


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
        for column in header:
            if column == wanted or column.lower() == wanted.strip().lower():
                return column
        raise InputError(f"{label}: no {role} column '{wanted}'; columns are: {_list_columns(header)}")
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
    """
    partner_attrs, project_attrs, edge_attrs = [], [], []
    for column in columns:
        filled = table.loc[table[column] != "", ["partner", "project", column]]
        evidence = {}
        for side in ("partner", "project"):
            groups = filled.groupby(side)[column]
            if groups.nunique().max() <= 1:
                evidence[side] = int((groups.size() >= 2).sum())
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
    numbers = list(numbers)
    shown = ", ".join(str(n) for n in numbers[:_MAX_LISTED])
    return shown + (f" and {len(numbers) - _MAX_LISTED} more" if len(numbers) > _MAX_LISTED else "")


def _list_columns(header) -> str:
    return ", ".join(f"'{h}'" for h in header)
