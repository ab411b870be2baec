"""What reading returns: the participations, and a typed report of what was found on the way.

:class:`Participations` is the cleaned table the graph is built from;
its ``report`` (a :class:`ReadReport`) lists, as values rather than
sentences, what reading skipped, merged and joined: malformed lines, rows
with a blank partner or project, repeated pairs, the names each id was
spelled with, and for each partner or project table joined by id its blank,
repeated and unmatched ids. The sentences for people are
``Participations.warnings``; ``ecosys validate``
(:func:`ecosys.names.validation_report`) writes its JSON from the report.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> p = read_participations(io.BytesIO(b"partner,project\\nA,P1\\n,P1\\nA,P1\\nB,P1,x\\n"), skip_bad_lines=True)
>>> p.report.bad_lines, p.report.blank_rows, p.report.repeated_pairs
((BadLine(line=5, reason='3 fields where the header has 2'),), (3,), (4,))
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .cells import as_categories, coded_categories, sorted_codes
from .numbers import to_numbers

__all__ = ["BadLine", "JoinedTable", "ReadReport", "Participations"]


@dataclass(frozen=True)
class BadLine:
    """A line (a sheet row, in a workbook) skipped as malformed, and why.

    >>> BadLine(6, "4 fields where the header has 3")
    BadLine(line=6, reason='4 fields where the header has 3')
    """

    line: int
    reason: str


@dataclass(frozen=True)
class JoinedTable:
    """What joining one partner (or project) attribute table by id found.

    ``table`` is how the table is named in messages (its path, or a
    workbook's sheet); ``word`` is ``line`` for a text file, ``row`` for a
    sheet, and every number is one of those. ``rows`` counts its rows (blank
    lines aside); ``blank_ids`` are the rows with a blank id and
    ``repeated_ids`` the rows repeating an id (both skipped: the first row of
    each id is used); ``unmatched_ids`` the ids of the participations this
    table lacks, sorted; ``bad_lines`` its malformed lines (with
    ``skip_bad_lines``). ``labels`` has columns ``id`` and ``label``: the
    display name on each of its rows with an id, repeats included (None when
    it has no label column).

    >>> t = JoinedTable("orgs.csv", "partner", "id", "name", rows=3, unmatched_ids=("999",))
    >>> t.side, t.word, t.unmatched_ids, t.labels is None
    ('partner', 'line', ('999',), True)
    """

    table: str
    side: str
    id_column: str
    label_column: str | None
    rows: int
    word: str = "line"
    blank_ids: tuple[int, ...] = ()
    repeated_ids: tuple[int, ...] = ()
    unmatched_ids: tuple[str, ...] = ()
    bad_lines: tuple[BadLine, ...] = ()
    labels: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReadReport:
    """What reading the participation table found, line by line (sheet row by row).

    ``word`` is ``line`` for a text file, ``row`` for a sheet. ``bad_lines``
    were skipped as malformed (with ``skip_bad_lines``), ``blank_rows`` for a
    blank partner or project; ``repeated_pairs`` are the rows repeating a
    partner-project pair read before (counted once). ``labels`` maps a side
    (``partner``, ``project``) whose display name is a column of the
    participation table to a frame with columns ``id`` and ``label``: the
    name on each row read, repeats included. ``joined`` describes each
    partner or project table joined by id; ``aliases_merged`` counts the
    partner names an alias table merged; ``notes`` are the tables not used,
    and why. ``sides`` says where each attribute column went and why, with
    how far its values agree within partners and projects (a
    :class:`~ecosys.read.sides.ColumnSide` per column, in table order);
    ``not_numbers`` says why a column of mostly numbers stays text
    (:func:`~ecosys.read.numbers.why_text`).

    >>> ReadReport(blank_rows=(3,))
    ReadReport(word='line', bad_lines=(), blank_rows=(3,), repeated_pairs=(), joined=(), aliases_merged=0, notes=())
    """

    word: str = "line"
    bad_lines: tuple[BadLine, ...] = ()
    blank_rows: tuple[int, ...] = ()
    repeated_pairs: tuple[int, ...] = ()
    labels: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)
    joined: tuple[JoinedTable, ...] = ()
    aliases_merged: int = 0
    notes: tuple[str, ...] = ()
    sides: tuple = field(default=(), compare=False, repr=False)
    not_numbers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Participations:
    """A participation table read and cleaned, with what was found on the way.

    ``table`` has one row per distinct partner-project pair: columns
    ``partner`` and ``project`` (the node keys: an id where the data has ids,
    such as a PIC or a CORDIS rcn, otherwise the cleaned name), ``row`` (where
    the pair was first read: the line of a text file or the row of a sheet,
    the header being 1), then every other input column as text, blanks as
    ``""``, including the columns joined from separate partner and project
    tables (listed in ``partner_attributes`` / ``project_attributes``). The
    keys and the node attributes are held as categories (:meth:`compacted`:
    a small code a cell), and so are the edge attributes whose texts repeat.

    ``partner_label`` / ``project_label`` name the attribute column holding
    the human-readable name of a partner / project (an organisation's legal
    name when ``partner`` is a PIC), or are None when the key is the name.
    ``warnings`` say in sentences what ``report`` (a :class:`ReadReport`)
    holds as values; ``report`` is left out of comparisons and the repr.
    ``numbers`` maps each attribute column whose cells are numbers to how it
    writes them (a :class:`~ecosys.read.numbers.NumberFormat`); the cells
    stay text in ``table``, :meth:`numbers_of` reads them. ``coded`` holds
    reading's codes until it compacts the table (left out of comparisons and
    the repr).
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
    report: ReadReport = field(default_factory=ReadReport, compare=False, repr=False)
    numbers: dict = field(default_factory=dict, compare=False, repr=False)
    coded: tuple = field(default=(), compare=False, repr=False)

    def codes_of(self, column: str) -> tuple | None:
        """A column of ``table`` held as categories (the keys and node attributes: :meth:`compacted`) as codes:
        (codes, one per row; the distinct values, in the order first met), so that the graph is built without
        hashing its texts again; None for a column of plain texts.

        >>> import io
        >>> from ecosys.read import read_participations
        >>> p = read_participations(io.BytesIO(b"org,project\\nB,P1\\nA,P1\\nB,P2\\n"))
        >>> codes, keys = p.codes_of("partner")
        >>> codes.tolist(), keys.tolist(), p.codes_of("row")
        ([0, 1, 0], ['B', 'A'], None)
        """
        values = self.table[column] if column in self.table.columns else None
        if values is None or not isinstance(values.dtype, pd.CategoricalDtype):
            return None
        codes, uniques = pd.factorize(values)  # the codes' integers hashed, not the texts; categories never met left out
        if len(codes) and codes.min() < 0:
            return None
        return codes, np.asarray(uniques, dtype=object)

    def sorted_codes_of(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """A column's codes into its distinct values, sorted (as ``pd.factorize(values, sort=True)`` gives them),
        the cheapest way the column allows: from its categories (as they are when sorted and each met), else
        hashing its texts once and sorting only the distinct ones (:func:`~ecosys.read.cells.sorted_codes`).

        >>> import io
        >>> from ecosys.read import read_participations
        >>> p = read_participations(io.BytesIO(b"org,project\\nB,P1\\nA,P1\\nB,P2\\n"))
        >>> codes, keys = p.sorted_codes_of("partner")
        >>> codes.tolist(), keys.tolist()
        ([1, 0, 1], ['A', 'B'])
        """
        values = self.table[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            return sorted_codes(values)
        return sorted_codes(values, pd.factorize(values.to_numpy(dtype=object)))

    def compacted(self) -> Participations:
        """The same participations with the partner and project keys and the node attributes held as categories
        (:class:`pandas.Categorical`, the distinct texts sorted): a code of 1 to 4 bytes a cell instead of an
        8-byte pointer, 0.8 GB less at ten million rows of 13 such columns. The cells read as before
        (``tolist()``, ``==``, ``.str``, sorting in the texts' order); reading's codes are let go (:meth:`codes_of`
        gives them from the categories). An edge attribute is held so when its texts repeat (a role; not an
        amount: :func:`~ecosys.read.cells.as_categories`). :func:`~ecosys.read.read_participations` returns its
        participations compacted.

        >>> import io
        >>> from ecosys.read import read_participations
        >>> q = read_participations(io.BytesIO(b"org,project,country\\nB,P1,IT\\nA,P1,FR\\n"))
        >>> str(q.table["country"].dtype), q.table["country"].tolist(), q.table["partner"].cat.categories.tolist()
        ('category', ['IT', 'FR'], ['A', 'B'])
        """
        table = self.table
        coded = self.coded[1] if len(self.coded) == 2 and self.coded[0] is table else {}
        nodes = {"partner", "project", *self.partner_attributes, *self.project_attributes}
        columns = {}
        for column in table.columns:
            values = table[column]
            if column in nodes and values.dtype == object:
                compact = coded_categories(*(coded.get(column) or pd.factorize(values.to_numpy())))
            elif values.dtype == object:  # an edge attribute: as categories when its texts repeat (a role)
                compact = as_categories(values.to_numpy())
            else:
                compact = None
            columns[column] = compact if isinstance(compact, pd.Categorical) else values
        compact = pd.DataFrame(columns, index=table.index, copy=False)
        compact.attrs = table.attrs
        return replace(self, table=compact, coded=())

    def numbers_of(self, column: str) -> np.ndarray:
        """The cells of an attribute column of numbers as floats (NaN: blank), one per row of ``table``.

        Raises ``KeyError`` for a column that is not numbers (see ``report.not_numbers`` for why).

        >>> import io
        >>> from ecosys.read import read_participations
        >>> p = read_participations(io.BytesIO(b"org;project;cost\\nA;P1;1.234,5\\nB;P1;\\n"))
        >>> p.numbers["cost"].as_dict(), p.numbers_of("cost").tolist()
        ({'decimal': ',', 'thousands': '.', 'unit': None}, [1234.5, nan])
        """
        if column not in self.numbers:
            reason = self.report.not_numbers.get(column)
            raise KeyError(f"{column!r} is not a column of numbers" + (f": {reason}" if reason else ""))
        values = self.table[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # each distinct text read once
            numbers = to_numbers(values.cat.categories.to_numpy(dtype=object), self.numbers[column])
            codes = values.cat.codes.to_numpy()
            return np.where(codes >= 0, numbers[codes] if len(numbers) else np.nan, np.nan)
        return to_numbers(values.to_numpy(dtype=object), self.numbers[column])
