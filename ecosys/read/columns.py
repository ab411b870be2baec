"""Headers: cleaning them, and finding the partner, project and display-name columns by name.

Headers are compared as words (:func:`normal_header`): camelCase split,
lower-cased, punctuation as spaces, so ``projectRcn``, ``Project RCN`` and
``project_rcn`` are one name. The partner column is the first header equal
to one of :data:`PARTNER_NAMES` (best first), else one containing it as whole
words and no attribute word (``partner type`` is no partner column); the
same for projects with :data:`PROJECT_NAMES`.

Example
-------
>>> from ecosys.read.columns import key_columns, normal_header
>>> normal_header("projectRcn"), normal_header("Legal_Name ")
('project rcn', 'legal name')
>>> key_columns(["Partner Type", "Organisation Name", "Project Title"], None, None, "t.csv")
('Organisation Name', 'Project Title')
"""

from __future__ import annotations

import re

from ..errors import InputError
from .cells import clean_name
from .messages import list_columns

__all__ = [
    "PARTNER_NAMES",
    "PROJECT_NAMES",
    "PARTNER_LABEL_NAMES",
    "PROJECT_LABEL_NAMES",
    "LABEL_NAMES",
    "clean_header",
    "TITLE_ROWS",
    "find_column",
    "header_row",
    "is_id_column",
    "key_columns",
    "label_beside",
    "normal_header",
    "pick_column",
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
LABEL_NAMES = {"partner": PARTNER_LABEL_NAMES, "project": PROJECT_LABEL_NAMES}
# Words of a header naming an identifier rather than a name.
_ID_WORDS = {"id", "pic", "rcn", "code", "number", "reference", "ref", "no", "nr", "key"}
# A header that names one of these is an attribute of a partner or project
# (a "partner type", a "project start"), never the partner or project itself.
_ATTRIBUTE_WORDS = {
    "type", "types", "count", "number", "num", "n", "role", "country", "city",
    "region", "amount", "cost", "contribution", "date", "start", "end", "year",
    "status", "share", "size", "total", "url", "website", "email", "address",
}


# Rows of one filled cell that may stand above a table's header: a title, a date, a source ("Elenco dei partner",
# "Aggiornato al 12/03/2023"), as spreadsheets exported by hand often have.
TITLE_ROWS = 5


def header_row(rows, titles: int = TITLE_ROWS):
    """The header among ``(line, cells)`` rows: the first filled row, after up to ``titles`` titles.

    A title is a row of one filled cell followed by a row of two or more (a
    participation table's header names at least its partner and project
    columns). Blank rows are passed over. Returns ``(line, cells)``, or None
    when no row is filled; reads no further than it needs from ``rows``.
    ``titles=0`` takes the first filled row, as for a table without header.

    >>> header_row(enumerate([["Elenco dei partner", ""], [], ["Ente", "Progetto"], ["A", "P1"]], 1))
    (3, ['Ente', 'Progetto'])
    >>> header_row(enumerate([["only"], ["one", ""], ["column"]], 1))
    (1, ['only'])
    """
    first = None
    for passed, (line, cells) in enumerate((line, cells) for line, cells in rows if any(c.strip() for c in cells)):
        if first is None:
            first = (line, cells)
        if sum(1 for c in cells if c.strip()) >= 2:
            return line, cells
        if passed >= titles:
            break
    return first


def clean_header(header: list[str]) -> list[str]:
    """Trim header names, name blank ones ``column N``, and number repeats: ``city``, ``city (2)``.

    ``row`` is taken by the table's line numbers, so a column so named becomes ``row (2)``.

    >>> clean_header([" city ", "", "city", "row"])
    ['city', 'column 2', 'city (2)', 'row (2)']
    """
    cleaned, seen = [], set()
    for i, h in enumerate(header, start=1):
        base = clean_name(str(h)) or f"column {i}"
        h, k = base, 1
        while h in seen or h == "row":
            k += 1
            h = f"{base} ({k})"
        seen.add(h)
        cleaned.append(h)
    return cleaned


def normal_header(header: str) -> str:
    """A header as lower-case words: camelCase split, punctuation and spaces as one space.

    >>> normal_header("organisationID"), normal_header(" Project-Partner ")
    ('organisation id', 'project partner')
    """
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header)
    return " ".join(re.split(r"[^0-9a-z]+", words.lower())).strip()


def is_id_column(column: str) -> bool:
    """True for a header naming an identifier: ``pic``, ``project_id``, ``organisationID``.

    >>> is_id_column("organisationID"), is_id_column("legal_name")
    (True, False)
    """
    return not _ID_WORDS.isdisjoint(normal_header(column).split())


def find_column(header: list[str], wanted: str, role: str, label: str) -> str:
    """The column of ``header`` named ``wanted`` (case-insensitive), else an InputError naming ``role``.

    >>> find_column(["Ente", "Codice"], "codice", "project", "t.csv")
    'Codice'
    >>> find_column(["Ente"], "Org", "partner", "t.csv")
    Traceback (most recent call last):
    ecosys.errors.InputError: t.csv: no partner column 'Org'; columns are: 'Ente'
    """
    for column in header:
        if column == wanted or column.lower() == wanted.strip().lower():
            return column
    raise InputError(f"{label}: no {role} column '{wanted}'; columns are: {list_columns(header)}")


def pick_column(header: list[str], wanted: str | None, names, role: str, label: str, exclude: str | None) -> str:
    """The column named ``wanted``, else the best match of ``names`` (not ``exclude``), else an InputError.

    >>> pick_column(["role", "partner type", "Org Name"], None, PARTNER_NAMES, "partner", "t.csv", None)
    'Org Name'
    """
    if wanted is not None:
        return find_column(header, wanted, role, label)
    candidates = [c for c in header if c != exclude]
    normal = {c: normal_header(c) for c in candidates}
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
        f"columns are: {list_columns(header)}; name it with --{role} COLUMN"
    )


def key_columns(header: list[str], partner: str | None, project: str | None, label: str) -> tuple[str, str]:
    """The partner and project columns of a table: as named (``partner``, ``project``), else found by name.

    >>> key_columns(["projectID", "role", "organisationID"], None, None, "t.csv")
    ('organisationID', 'projectID')
    """
    partner_col = pick_column(header, partner, PARTNER_NAMES, "partner", label, exclude=None)
    project_col = pick_column(header, project, PROJECT_NAMES, "project", label, exclude=partner_col)
    if partner_col == project_col:
        raise InputError(
            f"{label}: the partner and project columns are both '{partner_col}'; "
            "name two different columns with --partner and --project"
        )
    return partner_col, project_col


def label_beside(header: list[str], key: str, names, exclude: str | None) -> str | None:
    """A display-name column beside an id column (``legal_name`` beside ``pic``), else None.

    >>> label_beside(["pic", "rcn", "legal_name"], "pic", PARTNER_LABEL_NAMES, "rcn")
    'legal_name'
    >>> label_beside(["org", "project", "name"], "org", PARTNER_LABEL_NAMES, "project") is None  # org is a name
    True
    """
    if not is_id_column(key):
        return None
    for wanted in names:
        for column in header:
            if column not in (key, exclude) and normal_header(column) == wanted:
                return column
    return None
