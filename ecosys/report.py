"""Write an analysis to disk: tables, summary and map, each file complete or not at all.

Every file is written to a temporary name in the output folder and renamed
when complete, so a failure never leaves a half-written file; files of an
earlier run are replaced only by complete new ones. Text cells that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are written with a leading apostrophe, as
OWASP recommends against CSV injection.

Example
-------
>>> import tempfile, pathlib
>>> from ecosys.pipeline import analyze, demo_path
>>> from ecosys.report import write_outputs
>>> out = pathlib.Path(tempfile.mkdtemp()) / "demo"
>>> [p.name for p in write_outputs(analyze(demo_path()), out)]
['partners.csv', 'projects.csv', 'communities.csv', 'summary.json', 'map.html']
>>> guard_formula("=HYPERLINK(\\"http://x\\")"), guard_formula("Comune di Bologna")
('\\'=HYPERLINK("http://x")', 'Comune di Bologna')
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from .io import EcosysError
from .maps import DEFAULT_MAX_NODES, render_map
from .pipeline import Analysis

__all__ = ["OUTPUTS", "render_outputs", "write_outputs", "guard_formula", "write_text", "csv_text"]

OUTPUTS = ("partners.csv", "projects.csv", "communities.csv", "summary.json", "map.html")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_outputs(analysis: Analysis, out: str | Path, *, max_nodes: int = DEFAULT_MAX_NODES) -> list[Path]:
    """Write :data:`OUTPUTS` for ``analysis`` into the folder ``out`` (created if needed)."""
    contents = render_outputs(analysis, max_nodes=max_nodes)
    out = Path(out)
    source = analysis.participations.path
    for name in contents:
        if source is not None and (out / name).resolve() == Path(source):
            raise EcosysError(f"{out / name}: is the input file; choose another output folder with --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    return [write_text(out / name, text) for name, text in contents.items()]


def render_outputs(analysis: Analysis, *, max_nodes: int = DEFAULT_MAX_NODES) -> dict[str, str]:
    """The text of each of :data:`OUTPUTS`, by file name, computed in memory."""
    summary = analysis.summary()
    html = render_map(
        analysis.graph,
        analysis.metrics,
        analysis.partition,
        seed=analysis.seed,
        max_nodes=max_nodes,
        title=summary["dataset"],
        subtitle=(
            f"{summary['partners']:,} partners · {summary['projects']:,} projects · "
            f"{summary['participations']:,} participations · {summary['communities']:,} communities "
            f"(modularity {summary['modularity']:.3f})"
        ),
    )
    drawn = min(max_nodes, len(analysis.graph))
    summary["map"] = {"nodes_drawn": drawn, "nodes_total": len(analysis.graph), "size_by": "pagerank"}
    contents = {
        "partners.csv": _csv(analysis.partners()),
        "projects.csv": _csv(analysis.projects()),
        "communities.csv": _csv(analysis.communities()),
        "summary.json": json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
        "map.html": html,
    }
    if analysis.backbone is not None:
        contents["backbone.csv"] = _csv(analysis.backbone[analysis.backbone["kept"]].drop(columns="kept"))
    return contents


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a rename."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise EcosysError(f"{path.parent}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def guard_formula(value):
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """A table as spreadsheet-safe CSV text (see the module docstring)."""
    return _csv(table)


def _csv(table: pd.DataFrame) -> str:
    table = table.rename(columns=guard_formula)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(guard_formula)
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g")
