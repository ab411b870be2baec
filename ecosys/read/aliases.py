"""Alias tables: partner names merged into their canonical spelling before the graph is built.

An alias table has two columns, a name and its canonical spelling
(``name,canonical``; the header is optional), as ``ecosys validate
--suggest-aliases`` writes it for a person to review, with the columns it
adds for the reviewer under their header (each name's ``country``, ``id``,
``rows`` and example ``projects``), which reading leaves aside. A third
filled column of any other name, or in a table without a header, is
refused: it may be a mistake. Cells a spreadsheet would take for a
formula are written after an apostrophe (:func:`ecosys.safe.guard_formula`), read back without. :func:`read_aliases`
reads one; :func:`apply_aliases` replaces the partner keys it lists, and,
where partners have ids and display names, moves a row whose display name is
listed to the id carrying the canonical display name.

Example
-------
>>> import pandas as pd
>>> from ecosys.read.aliases import apply_aliases
>>> names = pd.Series(["MPG", "Max Planck Gesellschaft", "UniBo"])
>>> merged, count = apply_aliases(names, None, {"MPG": "Max Planck Gesellschaft"})
>>> merged.tolist(), count
(['Max Planck Gesellschaft', 'Max Planck Gesellschaft', 'UniBo'], 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..errors import InputError
from ..safe import guard_formula
from .cells import clean_name, clean_names
from .columns import normal_header
from .messages import list_columns
from .plan import Plan
from .tables import read_tables

__all__ = ["FORMULA_START", "REVIEW_COLUMNS", "apply_aliases", "partner_labels", "read_aliases", "unguard"]

# The columns `ecosys validate --suggest-aliases` writes past the two that count, for a person to review:
# read only as a header names them.
REVIEW_COLUMNS = ("country", "id", "rows", "projects")
# What a spreadsheet reads as the start of a formula: a cell so starting is written after an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unguard(text: str) -> str:
    """The text :func:`ecosys.safe.guard_formula` wrote.

    >>> unguard("'=HYPERLINK(1)"), unguard("Universita'")
    ('=HYPERLINK(1)', "Universita'")
    """
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def read_aliases(source: str | Path | BinaryIO) -> dict[str, str]:
    """Read a two-column alias table (``name,canonical``, header optional; :data:`REVIEW_COLUMNS` may follow a
    header) into a dict.

    Names are cleaned like partner names; rows whose name equals its canonical
    spelling are ignored; a canonical name that is itself an alias is followed
    to its end. The encoding is detected (see :mod:`.decode`).

    >>> import io
    >>> read_aliases(io.BytesIO(b"name,canonical\\nMax-Planck-Gesellschaft,Max Planck Gesellschaft\\n"))
    {'Max-Planck-Gesellschaft': 'Max Planck Gesellschaft'}
    """
    t = read_tables(source, expected="two columns, a name and its canonical spelling", titles=0)[0]  # maybe no header
    header = list(t.frame.columns)
    titled = normal_header(header[0]) in ("name", "alias", "variant", "from", "partner")
    # columns past the second that hold something (a trailing separator adds an empty one), but for those
    # `ecosys validate --suggest-aliases` adds for the reviewer, under a header
    extra = [c for c, raw in zip(header[2:], t.header[2:]) if (raw.strip() or (t.frame[c] != "").any())
             and not (titled and normal_header(raw) in REVIEW_COLUMNS)]
    if len(header) < 2 or extra:
        raise InputError(f"{t.label}: an alias table has two columns, a name and its canonical spelling (under a "
                         f"header, {list_columns(REVIEW_COLUMNS)} may follow); found "
                         f"{len(header) if len(header) < 2 else 2 + len(extra)}: {list_columns(header[:2] + extra)}")
    rows = [(unguard(clean_name(a)), unguard(clean_name(b))) for a, b in zip(t.frame[header[0]], t.frame[header[1]])]
    lines = list(t.rows)
    if not titled:  # no header: the first row is data, as written (not renamed "column 1" or "ACME (2)")
        rows.insert(0, (unguard(clean_name(t.header[0])), unguard(clean_name(t.header[1]))))
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


def partner_labels(plan: Plan, keys: pd.Series) -> pd.Series | None:
    """The display name of each row's partner: from the participation table, or looked up in the partners table.

    ``keys`` are the rows' partner keys; the plan's attribute tables have
    their columns resolved. None when partners have no display name.

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> main = read_tables(io.BytesIO(b"pic,project,legal_name\\n1,P,ACME\\n"), label="t.csv")[0]
    >>> partner_labels(Plan(main, "pic", "project", partner_label="legal_name"), pd.Series(["1"])).tolist()
    ['ACME']
    """
    if plan.partner_label:
        return plan.main.frame[plan.partner_label]
    for attr in plan.attributes:
        if attr.side == "partner" and attr.label_column:
            ids = clean_names(attr.table.frame[attr.id_column])
            first = ~ids.duplicated().to_numpy()
            lookup = pd.Series(attr.table.frame[attr.label_column].to_numpy()[first], index=ids.to_numpy()[first])
            return keys.map(lookup).fillna("")
    return None


def apply_aliases(names: pd.Series, labels: pd.Series | None, alias_map: dict) -> tuple[pd.Series, int]:
    """Replace partner names found in ``alias_map`` by their canonical name; also count the names merged.

    Where partners have ids and display names (``labels``, one per row), a
    display name in the aliases moves the row to the id carrying the
    canonical display name.

    >>> ids, names = pd.Series(["1", "2"]), pd.Series(["UniBo", "Universita di Bologna"])
    >>> moved, count = apply_aliases(ids, names, {"Universita di Bologna": "UniBo"})
    >>> moved.tolist(), count
    (['1', '1'], 1)
    """
    mapped = names.map(alias_map)
    hit = mapped.notna() & (mapped != names)
    merged = set(names[hit])
    out = names.where(~hit, mapped)
    if labels is not None:
        clean = clean_names(labels)
        canonical_key = pd.Series(names.to_numpy(), index=clean.to_numpy())
        canonical_key = canonical_key[~canonical_key.index.duplicated()]
        target = clean.map(alias_map).map(canonical_key)
        hit2 = target.notna() & (target != out) & ~hit
        merged |= set(out[hit2])
        out = out.where(~hit2, target)
    return out, len(merged)
