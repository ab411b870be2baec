"""Public sources recognised by their columns: CORDIS exports and keep.eu (Interreg).

:func:`recognise` looks at the tables of an input (a file, every sheet of a
workbook, every table of a folder) and, when it knows them, says which table
holds the participations and how to make the partner and project keys, so
that no column option is needed:

- **CORDIS cordis-plus and Horizon Dashboard exports** (``project_id``,
  ``pic``, ``legal_name``, ``project_acronym``): partners are PICs labelled
  by their legal name, projects are grant ids labelled by their acronym;
  ``NA`` cells are blanks.
- **keep.eu Interreg partner lists** (``Programme``, ``Acronym``,
  ``Project Partner``, ``Lead Partner``; in a workbook, whichever sheet has
  them, unless ``--sheet`` names another): partners have no id, so the key is
  the cleaned name and the country code, ``"Comune di Genova (IT)"``; a
  project is its acronym and programme, ``"MARITTIMO-IT FR (2014 - 2020
  INTERREG V-A Italy - France (Maritime))"``; ``Lead Partner`` Yes/No becomes
  a ``role``: ``lead partner`` / ``partner``. In the keep.eu workbook the
  ``Projects (lead partners)`` sheet is joined as project attributes (name,
  budgets, themes, dates; not the long descriptions, results and outputs).

Other CORDIS tables need no recogniser: ``h2020.csv.gz`` (``pic``, ``rcn``)
and the folders of edges + organisations + projects tables are read by the
generic rules (:func:`.plan.generic_plan`: columns by name; :mod:`.join`:
tables joined by the column holding the ids).

A recogniser takes the tables read (:class:`.tables.Table`) and returns a
:class:`.plan.Plan`, or None for tables it does not know; it may add columns
to a table's frame (the keys it makes). With ``first_only`` (a sheet was
asked for) only the first table may hold the participations.

Example
-------
>>> import io
>>> from ecosys.read import read_participations
>>> data = (b"Programme;Acronym;Project Partner;Lead Partner;Country code\\n"
...         b"Interreg X;ALPS;Comune  di Aosta;Yes;IT Italy / ITALIA\\n"
...         b"Interreg X;ALPS;Land Tirol;No;AT Austria / OESTERREICH\\n")
>>> p = read_participations(io.BytesIO(data))
>>> p.table[["partner", "project", "role"]].values.tolist()
[['Comune di Aosta (IT)', 'ALPS (Interreg X)', 'lead partner'], ['Land Tirol (AT)', 'ALPS (Interreg X)', 'partner']]
>>> p.partner_label, p.project_label
('Project Partner', 'Acronym')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .cells import clean_names
from .columns import normal_header
from .plan import AttributeTable, Plan
from .tables import Table

__all__ = ["PARTNER_KEY", "PROJECT_KEY", "RECOGNISERS", "cordis_export", "keep_eu", "recognise"]


def recognise(tables: list[Table], sheet: str | int | None = None) -> Plan | None:
    """The plan of the first recogniser of :data:`RECOGNISERS` that knows these tables, else None.

    With ``sheet`` (the sheet a person asked for, first in ``tables``) a
    recogniser reads the participations from that table or not at all
    (``first_only``).

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> tables = read_tables(io.BytesIO(b"pic;project_id;legal_name\\n1;10;ACME\\n"), label="t.csv")
    >>> plan = recognise(tables)
    >>> plan.partner, plan.project, plan.partner_label
    ('pic', 'project_id', 'legal_name')
    >>> recognise(read_tables(io.BytesIO(b"org,project\\nA,P\\n"), label="t.csv")) is None
    True
    """
    for recogniser in RECOGNISERS:
        plan = recogniser(tables, first_only=sheet is not None)
        if plan is not None:
            return plan
    return None


def _columns(table: Table) -> dict[str, str]:
    """Normalised header name -> header name."""
    return {normal_header(c): c for c in table.frame.columns}


# -- CORDIS ------------------------------------------------------------------------------------

def cordis_export(tables: list[Table], first_only: bool = False) -> Plan | None:
    """CORDIS cordis-plus / Horizon Dashboard exports: ``pic`` and ``project_id`` with names beside them.

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> tables = read_tables(io.BytesIO(b"project_id,pic,legal_name,cost\\n10,1,ACME,NA\\n"), label="t.csv")
    >>> plan = cordis_export(tables)
    >>> plan.partner, plan.project, plan.partner_label, tables[0].frame["cost"].tolist()
    ('pic', 'project_id', 'legal_name', [''])
    """
    main = tables[0]
    names = _columns(main)
    if not {"pic", "project id", "legal name"} <= names.keys():
        return None
    frame = main.frame
    for column in frame.columns:  # cordis-plus writes missing values as NA
        values = frame[column]
        if (values == "NA").any():
            frame[column] = values.where(values != "NA", "")
            main.codes.pop(column, None)  # changed: coded again when needed
    plan = Plan(main, names["pic"], names["project id"], partner_label=names["legal name"],
                project_label=names.get("project acronym"))
    return plan  # other tables (a folder's) are joined by the generic search of .join


# -- keep.eu -----------------------------------------------------------------------------------

_KEEP_PARTNERS = {"programme", "acronym", "project partner", "lead partner"}
_KEEP_PROJECTS = {"programme", "acronym", "project name"}
_COUNTRY_CODE = re.compile(r"^([A-Z]{2})\b")
# Long texts of the projects sheet (descriptions, results, outputs, in up to three languages) stay
# out of the tables and the map: read the sheet with --sheet to see them.
_KEEP_LONG_TEXT = re.compile(r"^(description|expected|achievements|delivered)|language [23]$", re.IGNORECASE)
PARTNER_KEY = "Project Partner (Country code)"
PROJECT_KEY = "Acronym (Programme)"


def keep_eu(tables: list[Table], first_only: bool = False) -> Plan | None:
    """keep.eu partner lists (CSV, or the ``Partners`` sheet of the keep.eu workbook).

    >>> import io
    >>> from ecosys.read.tables import read_tables
    >>> tables = read_tables(io.BytesIO(b"Programme;Acronym;Project Partner;Lead Partner\\nX;A1;Org;Yes\\n"), label="t")
    >>> plan = keep_eu(tables)
    >>> tables[0].frame[[plan.partner, plan.project, "role"]].values.tolist()
    [['Org', 'A1 (X)', 'lead partner']]
    """
    candidates = tables[:1] if first_only else tables
    main = next((t for t in candidates if _KEEP_PARTNERS <= _columns(t).keys()), None)
    if main is None:
        return None
    names = _columns(main)
    frame = main.frame
    partner = clean_names(frame[names["project partner"]])
    if "country code" in names:
        code = frame[names["country code"]].str.extract(_COUNTRY_CODE, expand=False).fillna("")
    else:
        code = pd.Series("", index=frame.index)
    frame[PARTNER_KEY] = np.where((partner != "") & (code != ""), partner + " (" + code + ")", partner)
    frame[PROJECT_KEY] = _project_key(frame, names)
    lead = frame[names["lead partner"]].str.lower()
    role = np.select([lead.isin(["yes", "y", "true", "1"]), lead.isin(["no", "n", "false", "0"])],
                     ["lead partner", "partner"], "")
    frame["role" if "role" not in frame.columns else "role (keep.eu)"] = role
    plan = Plan(main, PARTNER_KEY, PROJECT_KEY, partner_label=names["project partner"],
                project_label=names["acronym"], partner_column="Project Partner + Country code",
                project_column="Acronym + Programme")
    for t in tables:
        if t is main:
            continue
        cols = _columns(t)
        if _KEEP_PROJECTS <= cols.keys() and "project partner" not in cols:
            projects = t.frame
            projects[PROJECT_KEY] = _project_key(projects, cols)
            if "lead partner" in cols:
                projects = projects.rename(columns={cols["lead partner"]: "Lead partner name"})
            drop = [c for c in projects.columns
                    if (c in frame.columns and c != PROJECT_KEY) or _KEEP_LONG_TEXT.search(c)]
            t.frame = projects.drop(columns=drop)
            plan.attributes.append(AttributeTable("project", t, PROJECT_KEY, find_label=False))
        else:
            plan.notes.append(f"{t.label}: not used (neither partners nor projects)")
    return plan


def _project_key(frame: pd.DataFrame, names: dict) -> np.ndarray:
    acronym = clean_names(frame[names["acronym"]])
    programme = clean_names(frame[names["programme"]])
    return np.where((acronym != "") & (programme != ""), acronym + " (" + programme + ")", "")


RECOGNISERS = [keep_eu, cordis_export]
