"""Write an analysis to disk: tables, summary, maps, report and workbook, each file complete or not at all.

Every file is written to a temporary name in the output folder and renamed
when complete, so a failure never leaves a half-written file; files of an
earlier run are replaced only by complete new ones. Text cells that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are written with a leading apostrophe, as
OWASP recommends against CSV injection, in the CSV tables and in the workbook
alike (where every text cell is also written as text, never as a formula).

Example
-------
>>> import tempfile, pathlib
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.report import write_outputs
>>> out = pathlib.Path(tempfile.mkdtemp()) / "demo"
>>> [p.name for p in write_outputs(analyze(demo_path()), out)]
['partners.csv', 'projects.csv', 'communities.csv', 'summary.json', 'map.html', 'index.html', 'ecosys.xlsx']
>>> guard_formula("=HYPERLINK(\\"http://x\\")"), guard_formula("Comune di Bologna")
('\\'=HYPERLINK("http://x")', 'Comune di Bologna')
"""

from __future__ import annotations

import datetime
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import EcosysError
from .i18n import DEFAULT_LANGUAGE, language
from .maps import DEFAULT_MAX_NODES, render_maps
from .pipeline import Analysis
from .report_page import render_report

__all__ = [
    "OUTPUTS",
    "XLSX_MAX_ROWS",
    "render_outputs",
    "render_report",
    "render_xlsx",
    "column_header",
    "write_outputs",
    "guard_formula",
    "write_text",
    "write_bytes",
    "write_chunks",
    "csv_text",
]

OUTPUTS = (
    "partners.csv", "projects.csv", "communities.csv", "summary.json", "map.html", "index.html", "ecosys.xlsx"
)
# Past this many table rows (partners + projects + communities) the workbook is
# written only on request (--xlsx): writing it costs about 1 s per 10,000 rows.
XLSX_MAX_ROWS = 20_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
_FIXED_DATE = datetime.datetime(2000, 1, 1)  # the workbook's creation date: outputs must not depend on the clock


def write_outputs(
    analysis: Analysis,
    out: str | Path,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    xlsx: bool | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
    only: tuple[str, ...] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> list[Path]:
    """Write the outputs of ``analysis`` into the folder ``out`` (created if needed); return their paths.

    See :func:`render_outputs` for the options (``lang``: the language of the
    pages and the workbook); ``only`` keeps the files whose names start with
    one of its entries.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> out = Path(tempfile.mkdtemp()) / "demo"
    >>> [p.name for p in write_outputs(analyze(demo_path()), out, only=("map", "summary"))]
    ['summary.json', 'map.html']
    """
    contents = render_outputs(analysis, max_nodes=max_nodes, community=community, ego=ego, depth=depth, xlsx=xlsx,
                              xlsx_max_rows=xlsx_max_rows, lang=lang)
    if only is not None:
        contents = {k: v for k, v in contents.items() if k.startswith(only)}
    out = Path(out)
    source = analysis.participations.path
    for name in contents:
        if source is not None and (out / name).resolve() == Path(source):
            raise EcosysError(f"{out / name}: is the input file; choose another output folder with --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        if any("/" in name for name in contents):
            (out / "communities").mkdir(exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    written = []
    for name, body in contents.items():
        if name.startswith("_"):
            continue
        write = write_bytes if isinstance(body, bytes) else write_text
        written.append(write(out / name, body))
    if "map.html" in contents:  # an earlier run's community maps would now be linked from nowhere
        for old in (out / "communities").glob("community-*.html"):
            if old not in written and re.fullmatch(r"community-\d+\.html", old.name):
                old.unlink()
    return written


def render_outputs(
    analysis: Analysis,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    community: int | None = None,
    ego: str | None = None,
    depth: int = 1,
    xlsx: bool | None = None,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, str | bytes]:
    """Every output file's content (text or bytes) by file name, computed in memory.

    ``lang`` (``en``, ``it``...: :data:`ecosys.i18n.LANGUAGES`) is the
    language of the report and the workbook's sheets and headers; the CSV
    tables and ``summary.json`` keep their English column names and keys, so
    scripts read them whatever the language.

    ``max_nodes``, ``community``, ``ego`` and ``depth`` choose what the maps
    draw (``map.html`` and any ``communities/community-N.html``: see
    :func:`ecosys.maps.render_maps`). The workbook
    ``ecosys.xlsx`` is written when ``xlsx`` is true, or when ``xlsx`` is None
    and the tables have at most ``xlsx_max_rows`` rows; otherwise the key
    ``_notes`` says how to get it.

    >>> from ecosys.pipeline import analyze, demo_path
    >>> contents = render_outputs(analyze(demo_path()), community=5)
    >>> sorted(contents), json.loads(contents["summary.json"])["map"]["nodes_drawn"]
    (['communities.csv', 'ecosys.xlsx', 'index.html', 'map.html', 'partners.csv', 'projects.csv', 'summary.json'], 3)
    """
    language(lang)  # an unknown language fails before anything is computed
    summary = analysis.summary()
    partners, projects, communities = analysis.partners(), analysis.projects(), analysis.communities()
    maps, summary["map"] = render_maps(analysis, max_nodes=max_nodes, community=community, ego=ego, depth=depth)
    rows = len(partners) + len(projects) + len(communities)
    want_xlsx = xlsx if xlsx is not None else rows <= xlsx_max_rows
    notes = []
    if not want_xlsx:
        notes.append(
            f"ecosys.xlsx not written: {rows:,} table rows (over {xlsx_max_rows:,}); "
            "run `ecosys report INPUT --xlsx` to write it."
        )
    contents: dict[str, str | bytes] = {
        "partners.csv": _csv(partners),
        "projects.csv": _csv(projects),
        "communities.csv": _csv(communities),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "map.html": maps.pop("map.html"),
        "index.html": render_report(analysis, summary=summary, partners=partners, projects=projects,
                                    communities=communities, maps=list(maps), xlsx=want_xlsx, lang=lang),
    }
    if want_xlsx:
        contents["ecosys.xlsx"] = render_xlsx({
            "partners": partners, "projects": projects, "communities": communities,
        }, summary, lang=lang)
    if analysis.backbone is not None:
        contents["backbone.csv"] = _csv(analysis.backbone[analysis.backbone["kept"]].drop(columns="kept"))
    contents.update(maps)
    if notes:
        contents["_notes"] = "\n".join(notes)
    return contents


# -- the workbook ----------------------------------------------------------------------------------


def render_xlsx(sheets: dict[str, pd.DataFrame], summary: dict | None = None, *,
                lang: str = DEFAULT_LANGUAGE) -> bytes:
    """An Excel workbook, one sheet per table (and a summary sheet), as bytes.

    Sheet names and column headers are in the language ``lang``
    (``workbook.json``, and ``metrics.json`` for the metrics): a table called
    ``partners``, ``projects`` or ``communities`` gets its sheet name there, a
    column its header ("Centralità di intermediazione" for ``betweenness``);
    input attributes keep their own names. Written with XlsxWriter: every text
    cell as text (never a formula or a link) and formula-guarded like the CSV
    tables; numbers as numbers. The workbook's dates are fixed, so the same
    tables give the same bytes.

    >>> data = render_xlsx({"partners": pd.DataFrame({"name": ["=1+1", "Comune"], "degree": [3, 1]})}, lang="it")
    >>> import openpyxl
    >>> book = openpyxl.load_workbook(io.BytesIO(data))
    >>> book.sheetnames, [[c.value for c in row] for row in book["Partner"].iter_rows()]
    (['Partner'], [['Nome', 'Grado'], ["'=1+1", 3], ['Comune', 1]])
    """
    import xlsxwriter

    L = language(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    book.set_properties({"created": _FIXED_DATE, "title": (summary or {}).get("dataset", "ecosys")})
    bold = book.add_format({"bold": True})
    words = L.area("workbook")
    if summary is not None:
        ws = book.add_worksheet(_sheet_name(words["sheets"]["summary"]))
        flat = [(k, v) for k, v in summary.items() if not isinstance(v, (dict, list))]
        for i, (k, v) in enumerate(flat):
            ws.write_string(i, 0, guard_formula(words["summary"].get(k, k)), bold)
            _cell(ws, i, 1, v)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 40)
    for name, table in sheets.items():
        ws = book.add_worksheet(_sheet_name(words["sheets"].get(name, name)))
        columns = [column_header(str(c), lang, communities=name == "communities") for c in table.columns]
        for j, c in enumerate(columns):
            ws.write_string(0, j, guard_formula(c), bold)
            ws.set_column(j, j, min(max(len(c), 8) + 2, 40))
        for j, c in enumerate(table.columns):
            values = table[c].tolist()
            numeric = pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
            if numeric:
                for i, v in enumerate(values, start=1):
                    if v is None or (isinstance(v, float) and not math.isfinite(v)):
                        continue
                    ws.write_number(i, j, v)
            else:
                for i, v in enumerate(values, start=1):
                    _cell(ws, i, j, v)
        ws.freeze_panes(1, 0)
        if len(columns):
            ws.autofilter(0, 0, len(table), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def column_header(column: str, lang: str = DEFAULT_LANGUAGE, *, communities: bool = False) -> str:
    """The header the workbook gives a table column in the language ``lang``.

    The fixed columns and the metrics have their words in the language files;
    a brokerage z-score is its count's name and "(z-score)"; in the
    communities table, ``partners_<attribute>``, ``projects_<attribute>`` and
    ``<attribute>_total`` name the attribute. Any other column (an input
    attribute) keeps its name.

    >>> column_header("betweenness", "it"), column_header("brokerage_liaison_z")
    ('Centralità di intermediazione', 'Brokerage: liaison (z-score)')
    >>> column_header("partners_type", "it", communities=True), column_header("city", "it")
    ('Partner: type', 'city')
    """
    L = language(lang)
    words, metrics = L.area("workbook"), L.area("metrics")
    if column in words["columns"]:
        return words["columns"][column]
    if column in metrics:
        return metrics[column]["name"]
    if column.endswith("_z") and column[:-2] in metrics:
        return L.text("workbook.patterns.z", metric=metrics[column[:-2]]["name"])
    if communities:
        for side in ("partners", "projects"):
            if column.startswith(side + "_"):
                return L.text(f"workbook.patterns.{side}_attribute", attribute=column[len(side) + 1:])
        if column.endswith("_total"):
            return L.text("workbook.patterns.total", attribute=column[:-len("_total")])
    return column


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def _cell(ws, row: int, col: int, value) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        ws.write_number(row, col, value)
    else:
        text = str(value)
        if text:
            ws.write_string(row, col, guard_formula(text))


# -- writing -----------------------------------------------------------------------------------------


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a rename.

    >>> write_text(Path(tempfile.mkdtemp()) / "a.txt", "città\\n").read_bytes()
    b'citt\\xc3\\xa0\\n'
    """
    return _write(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    >>> write_bytes(Path(tempfile.mkdtemp()) / "a.bin", b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    return _write(path, data)


def write_chunks(path: Path, chunks) -> Path:
    """Write the text ``chunks`` (UTF-8) to ``path`` one after the other, through a temporary file and a rename.

    The whole text is never held in memory (the exports of large graphs are
    written this way); if producing a chunk fails, nothing is written.

    >>> write_chunks(Path(tempfile.mkdtemp()) / "a.txt", ["cit", "tà\\n"]).read_bytes()
    b'citt\\xc3\\xa0\\n'
    """
    return _write(path, (chunk.encode("utf-8") for chunk in chunks))


def _write(path: Path, data) -> Path:
    """Write ``data`` (bytes, or an iterable of bytes) to ``path`` all or nothing."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise EcosysError(f"{path.parent}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            for part in (data,) if isinstance(data, bytes) else data:
                f.write(part)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def guard_formula(value):
    """Prefix an apostrophe to text a spreadsheet would run as a formula.

    >>> guard_formula("@SUM(A1)"), guard_formula("-1"), guard_formula("Comune"), guard_formula(3)
    ("'@SUM(A1)", "'-1", 'Comune', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """A table as spreadsheet-safe CSV text (see the module docstring).

    >>> print(csv_text(pd.DataFrame({"name": ["=cmd()", "Comune"], "share": [0.1234567, 2.0]})), end="")
    name,share
    '=cmd(),0.123457
    Comune,2
    """
    return _csv(table)


def _csv(table: pd.DataFrame) -> str:
    """A table as CSV text: floats to 6 significant digits, text formula-guarded (see :func:`guard_formula`)."""
    columns = {}
    for c in table.columns:
        values = table[c]
        if pd.api.types.is_float_dtype(values):
            columns[guard_formula(c)] = ["" if x != x else "%.6g" % x for x in values.tolist()]
        elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            columns[guard_formula(c)] = values.to_numpy()
        else:  # a comprehension: ten times faster than Series.map on 67,000 rows
            columns[guard_formula(c)] = [
                "'" + v if type(v) is str and v[:1] in _FORMULA_FIRST else v for v in values.tolist()
            ]
    return pd.DataFrame(columns, index=table.index).to_csv(index=False, lineterminator="\n")
