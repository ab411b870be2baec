"""The ``ecosys`` command: a thin click layer over the library.

Library errors (:class:`ecosys.EcosysError`) become one ``Error:`` line on
stderr and exit status 1; bad usage exits with 2 (click's convention).

Longer than the house's 500 lines because it holds every command with its options and help text
(tens of lines each) and the option decorators they share; it holds no analysis of its own.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import math
import re
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .errors import EcosysError
from .i18n import DEFAULT_LANGUAGE, LANGUAGES

# Values --help shows, written here so that `ecosys --help` and `ecosys COMMAND --help` import
# no library module (pandas, igraph, scipy and numba load inside the commands that use them).
# tests/test_startup.py checks each against the library's own.
WEIGHTINGS = ("count", "newman", "jaccard", "cosine", "association")  # ecosys.graph.WEIGHTINGS
METHODS = ("leiden", "louvain", "labelprop", "bipartite")  # ecosys.communities.METHODS
BACKBONES = ("disparity", "sdsm")  # ecosys.pipeline.BACKBONES
FORMATS = ("gexf", "graphml", "json", "vosviewer")  # ecosys.export.FORMATS
NETWORKS = ("bipartite", "partners")  # ecosys.export.NETWORKS
DEFAULT_MAX_NODES = 2000  # ecosys.maps.DEFAULT_MAX_NODES
XLSX_MAX_ROWS = 20_000  # ecosys.report.XLSX_MAX_ROWS
TRENDS_MAX_PARTICIPATIONS = 50_000  # ecosys.report.TRENDS_MAX_PARTICIPATIONS
MAX_PAIRS = 50_000_000  # ecosys.graph.MAX_PAIRS

MAX_SEED = 2**32 - 1  # numpy's seeds; igraph and leidenalg take them too
MAX_RUNS = 1000
MAX_RESOLUTION = 1000.0  # past a few dozen, every partner is a community of its own

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
REPORT_FILES = ("index.html", "ecosys.xlsx", "map.html", "whole.html", "communities/")  # what `ecosys report` writes
STORED = ("analysis.json", "analysis.npz")  # ecosys.store.MANIFEST, ARRAYS: the analysis `analyze` stores


# True in the process the ``ecosys`` command runs in (set by main), which ends when its command does.
_OWN_PROCESS = False


@contextlib.contextmanager
def _library_loading():
    """Import the library's modules inside this block: Python's garbage collector waits meanwhile.

    Loading pandas, numpy, scipy and igraph makes about 80,000 objects, none of them garbage; the
    ~200 collections Python runs while they load walked them over and over (50-100 ms of the
    demo). In the ``ecosys`` process (:func:`main`) they are then frozen out of every later
    collection too; where ``cli`` is called from Python, the collector is only resumed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _OWN_PROCESS:
            gc.freeze()
        if was_enabled:
            gc.enable()


def errors_as_messages(command):
    """Turn library errors into click errors: one ``Error:`` line, exit status 1; and warnings into lines.

    Each :class:`~ecosys.errors.EcosysWarning` is printed once as a
    ``Warning:`` line on standard error. Running out of memory, which the
    limits are there to prevent, is one ``Error:`` line too, never a
    traceback. Every message is printed with its control characters
    escaped (:func:`printable`).
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import EcosysWarning

        shown = set()

        def show(message, category, filename, lineno, file=None, line=None):
            if not issubclass(category, EcosysWarning):
                return default(message, category, filename, lineno, file, line)
            if str(message) not in shown:
                shown.add(str(message))
                say(f"Warning: {message}", err=True)

        with warnings.catch_warnings():
            warnings.simplefilter("always", EcosysWarning)
            default, warnings.showwarning = warnings.showwarning, show
            try:
                return command(*args, **kwargs)
            except EcosysError as exc:
                raise click.ClickException(printable(str(exc))) from None
            except MemoryError:
                raise click.ClickException(
                    "ran out of memory; see 'Limits' in the README: ECOSYS_MAX_INPUT_MB and ECOSYS_MAX_CELLS bound "
                    "what is read, --max-pairs and --max-project-size the partner projection") from None

    return wrapper


def say(message: str, err: bool = False) -> None:
    """Print a message (not data) on one line, its control characters escaped (:func:`printable`)."""
    click.echo(printable(message), err=err)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """``text`` with what a terminal would act on escaped: control characters (C0, DEL, C1: colours,
    window titles, cursor moves, line breaks), bidirectional overrides and stray surrogates.

    Names come from spreadsheets and web pages: printed raw, a cell could
    retitle the window or hide text, even through a pipe into a file later
    printed; a sheet name with a line break would split the ``Error:`` line.

    >>> printable("Comune\\x1b]0;pwned\\x07 di\\nBologna\\u202e"), printable("Città, Forlì")
    ('Comune\\\\x1b]0;pwned\\\\x07 di\\\\nBologna\\\\u202e', 'Città, Forlì')
    """
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match) -> str:
    c = match.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a path that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="ecosys")
def cli():
    """Network analysis of partnership ecosystems: who works with whom,
    who bridges, which clusters form.

    Run `ecosys analyze` to analyse the bundled demo dataset, or
    `ecosys analyze YOUR_TABLE.csv` for your own participation table.
    """


class FiniteRange(click.FloatRange):
    """A float range that also refuses ``nan`` and ``inf`` (which every comparison lets through): bad usage, exit 2."""

    name = "finite float range"

    def convert(self, value, param, ctx):
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number; expected a number in the range {self._describe_range()}",
                      param, ctx)
        return super().convert(number, param, ctx)


def _map_option(ctx, param, value):
    """Keep a map option (--community, --ego, --depth, --whole) aside: analyze passes them on to the map."""
    options = ctx.meta.setdefault("ecosys.map", {})
    options[param.name] = value
    if options.get("community") is not None and options.get("ego") is not None:
        raise click.UsageError("choose one of --community and --ego")
    return value


def _map_options() -> dict:
    return dict(click.get_current_context().meta.get("ecosys.map", {}))


def _language(ctx, param, value):
    """Refuse a language ecosys does not speak before anything is read: bad usage, exit status 2."""
    from .i18n import language

    try:
        language(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def language_option(command):
    """--lang: the language of every page and of the workbook, for each command that writes them."""
    return click.option(
        "--lang", default=DEFAULT_LANGUAGE, show_default=True, metavar="CODE", callback=_language,
        help=f"The language of the report, the maps and the workbook's sheets and headers ({', '.join(LANGUAGES)}); "
             "the CSV tables and summary.json keep their English column names and keys.",
    )(command)


def trends_option(command):
    """--trends/--no-trends: the report's section on the years, for analyze and report."""
    return click.option(
        "--trends/--no-trends", default=None,
        help="Add the report's section on how the ecosystem changed year by year, or not (default: when the "
             f"projects have dates and there are at most {TRENDS_MAX_PARTICIPATIONS:,} participations).",
    )(command)


def _analysis_option(ctx, param, value):
    """Keep an analysis option aside for :func:`_analysis_options` (analyze, report and export share them)."""
    ctx.meta.setdefault("ecosys.analysis", {})[param.name] = value
    return value


def analysis_options(command):
    """The options that change what is computed, shared by analyze, report and export."""
    for decorator in reversed([
        click.option("--weighting", type=click.Choice(list(WEIGHTINGS)), default="count", show_default=True,
                     expose_value=False, callback=_analysis_option,
                     help="Weight of a partner pair in the projection communities are found on: shared projects "
                          "(count), Newman's collaboration weight, Jaccard, cosine or association strength."),
        click.option("--min-shared", type=click.IntRange(min=1), default=1, show_default=True,
                     expose_value=False, callback=_analysis_option,
                     help="Link two partners only when they share at least this many projects (2: the 'stable' "
                          "network)."),
        click.option("--method", type=click.Choice(list(METHODS)), default="leiden", show_default=True,
                     expose_value=False, callback=_analysis_option,
                     help="Community method: Leiden, Louvain or label propagation on the partner projection, or "
                          "Barber's bipartite modularity on partners and projects together."),
        click.option("--runs", type=click.IntRange(1, MAX_RUNS), default=1, show_default=True,
                     expose_value=False, callback=_analysis_option,
                     help="Run the community method with this many seeds (seed, seed+1, ...) and report their "
                          "agreement, a consensus partition and each node's stability."),
        click.option("--group-by", metavar="ATTRIBUTE", expose_value=False, callback=_analysis_option,
                     help="A partner attribute (type, city, country...): add Gould-Fernandez brokerage roles "
                          "between its groups."),
        click.option("--exact", is_flag=True, expose_value=False, callback=_analysis_option,
                     help="Compute betweenness and closeness exactly, however long it takes (default: sample "
                          "sources in very large components)."),
        *_size_options(expose_value=False, callback=_analysis_option),
    ]):
        command = decorator(command)
    return command


def _jobs_option(ctx, param, value):
    """Keep --jobs aside: how many processors, not what is computed (analysis.json does not record it)."""
    ctx.meta["ecosys.jobs"] = value
    return value


def jobs_option(command):
    """--jobs: the processors analyze, report and export use."""
    return click.option(
        "--jobs", type=click.IntRange(min=1), metavar="N", expose_value=False, callback=_jobs_option,
        help="Processors to use (default: every one this process may use): a long table is read in two halves "
             "at once, the communities are found in a second process while the metrics are computed, whose "
             "searches run on N threads; 1 keeps everything in one process. The outputs are the same whatever N.",
    )(command)


def _jobs() -> int | None:
    return click.get_current_context().meta.get("ecosys.jobs")


def _size_options(**kwargs) -> list:
    """--max-project-size and --max-pairs: what keeps the partner projection within memory."""
    return [
        click.option("--max-project-size", type=click.IntRange(min=2), metavar="N", **kwargs,
                     help="Leave projects with more than N partners out of the partner projection, and so of the "
                          "communities and the projection metrics (they stay in the graph, betweenness, closeness "
                          "and the tables); listed in summary.json."),
        click.option("--max-pairs", type=click.IntRange(min=1), default=MAX_PAIRS, show_default=True, metavar="N",
                     **kwargs,
                     help="Stop before building a partner projection estimated past N pairs (a project with "
                          "thousands of partners, or the wrong --project column), naming the largest projects."),
    ]


def projection_size_options(command):
    """--max-project-size and --max-pairs as parameters of ``command`` (analysis_options has them too)."""
    for option in reversed(_size_options()):
        command = option(command)
    return command


def warn_left_out(projection) -> None:
    """Say which projects --max-project-size left out of the partner projection, if any."""
    summary = projection.summary()
    left = summary.get("left_out")
    if not left or not left["projects"]:
        return
    largest = left["largest"][0]
    from .limits import page_text

    name = page_text(largest["name"], 40)
    say(
        f"Warning: {left['projects']:,} project{'s' if left['projects'] != 1 else ''} with more than "
        f"{summary['max_project_size']:,} partners ({left['participations']:,} participations; the largest, "
        f"{name!r}, has {largest['partners']:,}) left out of the partner projection, its communities and the "
        f"projection metrics (--max-project-size); they stay in the graph and the tables.",
        err=True,
    )


def _analysis_options() -> dict:
    """The analysis options given, as keywords of :func:`ecosys.pipeline.analyze`."""
    from .metrics import DEFAULT_BUDGET

    context = click.get_current_context()
    options = dict(context.meta.get("ecosys.analysis", {}))
    options["budget"] = float("inf") if options.pop("exact", False) else DEFAULT_BUDGET
    seed = context.params.get("seed") or 0
    if seed + options.get("runs", 1) - 1 > MAX_SEED:
        raise click.UsageError(f"--seed {seed} with --runs {options['runs']} would use seeds past {MAX_SEED}; "
                               f"choose a seed of at most {MAX_SEED - options['runs'] + 1}")
    return options


def _written(paths) -> str:
    """The files written, community maps counted rather than listed."""
    names = [p.name for p in paths if p.parent.name != "communities"]
    maps = len(paths) - len(names)
    return ", ".join(names) + (f" and {maps} community map{'s' if maps != 1 else ''} (communities/)" if maps else "")


def _map_note(paths) -> None:
    """Say on stderr what a --community or --ego map left out (summary.json's ``map.left_out``)."""
    for path in paths:
        if Path(path).name == "summary.json":
            left_out = json.loads(Path(path).read_text(encoding="utf-8")).get("map", {}).get("left_out")
            if left_out:
                say(f"Note: {left_out}.", err=True)


def _xlsx_note(paths) -> None:
    if not any(p.name == "ecosys.xlsx" for p in paths):
        say(
            f"Note: ecosys.xlsx is written for tables of up to {XLSX_MAX_ROWS:,} rows; "
            "run `ecosys report INPUT --xlsx` to write it for this one."
        )


# -- reading options, shared by analyze and validate ------------------------------------------

def _encoding_option(ctx, param, value):
    """Refuse an encoding Python does not know before anything is read: bad usage, exit status 2."""
    if value is None:
        return None
    from .read.decode import check_encoding

    try:
        return check_encoding(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def reading_options(command):
    """Options saying how to read the input: its columns, sheet and encoding, separate tables, aliases, bad lines."""
    options = [
        click.option("--partner", metavar="COLUMN", help="The partner (organisation) column, if not found by its name."),
        click.option("--project", metavar="COLUMN", help="The project column, if not found by its name."),
        click.option("--sheet", metavar="NAME",
                     help="The sheet of an .xlsx INPUT holding the participations (default: the first, or the one a "
                          "recognised source names)."),
        click.option("--encoding", metavar="NAME", callback=_encoding_option,
                     help="The text encoding of INPUT and of --partners/--projects: utf-8, cp1252, latin-1, utf-16... "
                          "(default: detected)."),
        click.option("--partners", "partners", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     help="A table of partner attributes (one row per partner id), joined by id."),
        click.option("--projects", "projects", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     help="A table of project attributes (one row per project id), joined by id."),
        click.option("--partners-id", metavar="COLUMN", help="The id column of --partners (default: found by its values)."),
        click.option("--partners-label", metavar="COLUMN",
                     help="The display-name column of --partners (default: 'name', 'legal_name'...)."),
        click.option("--projects-id", metavar="COLUMN", help="The id column of --projects (default: found by its values)."),
        click.option("--projects-label", metavar="COLUMN",
                     help="The display-name column of --projects (default: 'acronym', 'title'...)."),
        click.option("--names", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     help="A table of partner names by id (a PIC and its legal name...): the partners are labelled "
                          "with them, their ids kept as keys; its other columns are left aside."),
        click.option("--names-id", metavar="COLUMN", help="The id column of --names (default: found by its values)."),
        click.option("--names-label", metavar="COLUMN",
                     help="The name column of --names (default: 'name', 'legal_name'...)."),
        click.option("--aliases", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     help="A two-column CSV, name,canonical: partner names merged before the graph is built."),
        click.option("--skip-bad-lines", is_flag=True,
                     help="Skip lines with more fields than the header (listed as warnings) instead of stopping."),
        click.option("--partner-attributes", metavar="COL,...", multiple=True,
                     help="Make these columns partner attributes whatever their values: each partner takes its most "
                          "frequent value (default: columns whose rows mostly agree within each partner)."),
        click.option("--project-attributes", metavar="COL,...", multiple=True,
                     help="Make these columns project attributes whatever their values: each project takes its most "
                          "frequent value."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def input_files(input, reading: dict) -> set[Path]:
    """The files read: INPUT (every file of an INPUT folder), --partners, --projects, --names and --aliases."""
    inputs = [reading.get(k) for k in ("partners", "projects", "names", "aliases")]
    if input not in (None, "-"):
        inputs += list(Path(input).iterdir()) if Path(input).is_dir() else [input]
    return {Path(i).resolve() for i in inputs if i is not None and Path(i).exists()}


def refuse_overwriting_inputs(targets, input, reading: dict,
                              advice: str = "choose another output folder with --out", folder: Path | None = None) -> None:
    """Stop before a file to write (``targets``; ``-`` is standard output) would replace an input table
    (``--partners partners.csv --out .``), or before writing into the output ``folder`` when it is the INPUT
    folder of tables (``ecosys analyze data -o data``: its next analysis would read the outputs as tables)."""
    if folder is not None and input not in (None, "-") and Path(input).is_dir() and \
            Path(folder).resolve() == Path(input).resolve():
        raise EcosysError(f"{folder}: is the folder of tables being analysed, and its next analysis would read the "
                          f"outputs as tables; {advice}")
    inputs = input_files(input, reading)
    for target in targets:
        if target is not None and str(target) != "-" and Path(target).resolve() in inputs:
            raise EcosysError(f"{target}: is an input file; {advice}")


def write_file(path: Path, text) -> None:
    """Write ``text`` (a string, or an iterable of strings written one after the other) to ``path``, its folder
    created if needed, or to standard output when ``path`` is ``-``."""
    from .files import write_chunks, write_text

    if str(path) == "-":
        block, size = [], 0
        for chunk in (text,) if isinstance(text, str) else text:
            block.append(chunk)
            size += len(chunk)
            if size > 1 << 20:  # click.echo flushes: a megabyte at a time (data, written as it is)
                click.echo("".join(block), nl=False)
                block, size = [], 0
        click.echo("".join(block), nl=False)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcosysError(f"{path.parent}: cannot create the folder ({exc.strerror or exc})") from None
    if isinstance(text, str):
        write_text(path, text)
    else:
        write_chunks(path, text)


def _input_options(command):
    """INPUT, the seed and the resolution, shared by analyze, report and export."""
    for decorator in reversed([
        click.argument("input", required=False, metavar="[INPUT]"),
        click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True,
                     help="Seed of the community detection, sampled centrality and layout."),
        click.option("--resolution", type=FiniteRange(0, MAX_RESOLUTION, min_open=True), default=1.0,
                     show_default=True,
                     help="Modularity resolution: above 1 gives more, smaller communities."),
    ]):
        command = decorator(command)
    return command


@cli.command("analyze")
@_input_options
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: graphs/<dataset name>/).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Draw graphs up to this many nodes whole on the map; larger ones as an overview of their "
                   "communities (--community and --ego maps draw at most this many).")
@click.option("--community", type=click.IntRange(min=1), metavar="N", expose_value=False, callback=_map_option,
              help="Draw community N on the map (at most --max-nodes nodes), instead of the whole graph.")
@click.option("--ego", metavar="NAME", expose_value=False, callback=_map_option,
              help="Draw the neighbourhood of the partner or project NAME on the map (see --depth).")
@click.option("--depth", type=click.IntRange(min=1, max=6), default=1, show_default=True, expose_value=False,
              callback=_map_option, help="With --ego: how many steps from NAME the map reaches.")
@click.option("--whole/--no-whole", default=True, show_default=True, expose_value=False, callback=_map_option,
              help="With an overview (past --max-nodes nodes): also write whole.html, every node and link of the "
                   "graph drawn with WebGL, searchable.")
@analysis_options
@jobs_option
@click.option("--backbone", type=click.Choice(list(BACKBONES)),
              help="Also test every partner pair (disparity filter or SDSM, alpha 0.05, Holm) and write the "
                   "kept pairs to backbone.csv.")
@language_option
@trends_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reading_options
@errors_as_messages
def analyze_command(input, out, partner, project, sheet, seed, resolution, max_nodes, backbone, lang, trends, quiet,
                    **reading):
    """Analyse a participation table: metrics, communities and a map.

    INPUT is a CSV, TSV or .xlsx table with one row per partner-in-project
    (`-` reads standard input), or a folder of tables (participations plus
    partner and project tables, as CORDIS publishes them). Without INPUT,
    the bundled demo dataset of the Italian social-innovation ecosystem is
    analysed.

    Writes partners.csv, projects.csv, communities.csv, summary.json,
    map.html, the report index.html and ecosys.xlsx into the output folder
    (past --max-nodes nodes, map.html is an overview of the communities, the
    largest get their own map in communities/ and whole.html draws the whole
    graph with WebGL).

    Example:

        ecosys analyze participations.csv --out results/
    """
    with _library_loading():
        from .files import write_outputs
        from .pipeline import analyze
        from .report import OUTPUTS
        from .store import save_analysis

    options = _analysis_options()  # bad usage stops before anything is read
    participations = _read(input, partner, project, sheet, reading)
    folder = out if out is not None else Path("graphs") / participations.name
    refuse_overwriting_inputs([folder / name for name in (*OUTPUTS, "whole.html", "backbone.csv", *STORED)], input,
                              reading,
                              folder=folder)
    _warned(participations)
    result = analyze(participations, seed=seed, resolution=resolution, backbone=backbone, jobs=_jobs(), **options)
    warn_left_out(result.projection)
    out = out if out is not None else Path("graphs") / participations.name
    paths = write_outputs(result, out, max_nodes=max_nodes, lang=lang, trends=trends, jobs=_jobs(), **_map_options())
    paths += save_analysis(result, out, options=_stored_options(seed, resolution, backbone),
                           inputs=(["demo"] if input is None else []) + sorted(input_files(input, reading)))
    if not quiet:
        s = result.summary()
        attributes = s["input"]["attributes"]
        say(
            f"Read {s['input']['path']}: partner column '{participations.partner_column}', project column "
            f"'{participations.project_column}'"
            + "".join(f"; {side} attributes: {', '.join(cols)}" for side, cols in attributes.items() if cols)
        )
        say(
            f"{s['dataset']}: {s['partners']:,} partners, {s['projects']:,} projects, "
            f"{s['participations']:,} participations; {s['components']:,} components; "
            f"{s['communities']:,} communities, modularity {s['modularity']:.3f}"
        )
        if s["centrality"].get("method") == "sampled":
            say(
                f"Betweenness and closeness estimated from {s['centrality']['pivots']:,} of "
                f"{s['centrality']['nodes']:,} source nodes (use --exact for exact values)."
            )
        if "stability" in s:
            st = s["stability"]
            say(
                f"Stability over {st['runs']} runs: mean ARI {st['mean_ari']:.3f}, mean NMI {st['mean_nmi']:.3f}; "
                f"{st['unstable_nodes']:,} unstable nodes (with their consensus community in fewer than "
                f"{st['unstable_below']:.0%} of runs)."
            )
        if "brokerage" in s:
            b = s["brokerage"]
            say(
                f"Brokerage roles between {len(b['groups']):,} groups of '{b['group_by']}': "
                f"{b['observed']['total']:,} brokered two-paths (partners.csv: brokerage_*; expected counts in "
                f"summary.json)."
            )
        if "backbone" in s:
            say(_backbone_line(s["backbone"]))
        say(f"Wrote {_written(paths)} to {out}{'' if str(out).endswith('/') else '/'}")
        _xlsx_note(paths)
    _map_note(paths)


def _read(input, partner, project, sheet, reading):
    """Read INPUT (the demo when None, standard input for -)."""
    from .parallel import resolve_jobs
    from .pipeline import DEMO_NAME, demo_path
    from .read import read_participations

    if input is None:
        source, label = demo_path(), f"ecosys demo: {DEMO_NAME}.csv"
    elif input == "-":
        source, label = sys.stdin.buffer, "<stdin>"
    else:
        source, label = input, None
    context = click.get_current_context()
    # a command with --jobs reads a long table on that many processors (ecosys.read.read_participations)
    jobs = resolve_jobs(context.meta["ecosys.jobs"]) if "ecosys.jobs" in context.meta else 1
    return read_participations(source, partner=partner, project=project, sheet=sheet, label=label, jobs=jobs,
                               **reading)


def _warned(participations):
    """``participations``, once its reader's warnings are printed."""
    for warning in participations.warnings:
        say(f"Warning: {warning}", err=True)
    return participations




@cli.command("report")
@_input_options
@analysis_options
@jobs_option
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: graphs/<dataset name>/).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Draw the whole graph up to this many nodes; past it, an overview of the communities.")
@click.option("--xlsx/--no-xlsx", default=None,
              help=f"Write ecosys.xlsx, or not (default: when the tables have at most {XLSX_MAX_ROWS:,} rows).")
@click.option("--whole/--no-whole", default=True, show_default=True,
              help="With an overview (past --max-nodes nodes): also write whole.html, every node and link of the "
                   "graph drawn with WebGL, searchable.")
@language_option
@trends_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reading_options
@errors_as_messages
def report_command(input, partner, project, sheet, seed, resolution, out, max_nodes, xlsx, whole, lang, trends, quiet,
                   **reading):
    """Write the report a coordinator reads first: index.html, ecosys.xlsx and the maps it links to.

    index.html gives the dataset in numbers, the top partners by each
    metric, the communities and the degree distribution, and links to the
    maps; ecosys.xlsx has every table on its own sheet.

    INPUT is a table, as for `ecosys analyze`, or a folder `ecosys analyze`
    wrote: its stored analysis is then reused, nothing is computed again,
    and the report goes into that folder (unless --out).

    Example:

        ecosys report participations.csv --out results/ --xlsx --lang it
        ecosys report graphs/participations/
    """
    with _library_loading():
        from .files import write_outputs
        from .pipeline import analyze

    options = _analysis_options()  # bad usage stops before anything is read
    folder = analysed_folder(input)
    if folder is not None:
        result, inputs = load_analysed(folder, seed, resolution)
        out = out if out is not None else folder
        refuse_overwriting(inputs, [out / name for name in REPORT_FILES])
    else:
        participations = _read(input, partner, project, sheet, reading)
        out = out if out is not None else Path("graphs") / participations.name
        refuse_overwriting_inputs([out / name for name in REPORT_FILES], input, reading, folder=out)
        result = analyze(_warned(participations), seed=seed, resolution=resolution, jobs=_jobs(), **options)
    warn_left_out(result.projection)
    paths = write_outputs(result, out, max_nodes=max_nodes, xlsx=xlsx, only=REPORT_FILES, lang=lang, trends=trends,
                          whole=whole, jobs=_jobs())
    if not quiet:
        say(f"Wrote {_written(paths)} to {out}{'' if str(out).endswith('/') else '/'}")
        if xlsx is None:
            _xlsx_note(paths)


@cli.command("export")
@_input_options
@analysis_options
@jobs_option
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)),
              help="gexf (Gephi), graphml (Cytoscape, Gephi, yEd), json (networkx node-link) or vosviewer "
                   "(VOSviewer's JSON map of the partner projection); default: from --out's ending (.gexf, "
                   ".graphml, .json, .vosviewer.json).")
@click.option("--network", type=click.Choice(list(NETWORKS)), default="bipartite", show_default=True,
              help="The partner-project graph, or the partner projection (partners linked by shared projects); "
                   "vosviewer is always the projection.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default: graphs/<dataset name>/<dataset name>[-partners].<format>); - writes "
                   "to stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reading_options
@errors_as_messages
def export_command(input, partner, project, sheet, seed, resolution, fmt, network, out, quiet, **reading):
    """Export the network with its attributes, metrics and communities for Gephi, Cytoscape or VOSviewer.

    gexf, graphml and json hold the partner-project graph; vosviewer holds
    the partner projection (partners linked by the projects they share).
    INPUT is a table, as for `ecosys analyze`, or a folder `ecosys analyze`
    wrote: its stored analysis is then reused, nothing is computed again,
    and the file goes into that folder (unless --out).

    Example:

        ecosys export participations.csv --format gexf --out network.gexf
        ecosys export graphs/participations/ --format vosviewer
    """
    with _library_loading():
        from .export import FORMATS, export_chunks
        from .pipeline import analyze

    options = _analysis_options()  # bad usage stops before anything is read
    fmt = fmt or format_from_name(out)
    suffix = "-partners" if network == "partners" and fmt != "vosviewer" else ""
    folder = analysed_folder(input)
    if folder is not None:
        result, inputs = load_analysed(folder, seed, resolution)
        name = result.participations.name
        out = out if out is not None else folder / f"{name}{suffix}{FORMATS[fmt]}"
        refuse_overwriting(inputs, [out], "choose another output file with --out")
    else:
        participations = _read(input, partner, project, sheet, reading)
        name = participations.name
        if out is None:
            out = Path("graphs") / name / f"{name}{suffix}{FORMATS[fmt]}"
        refuse_overwriting_inputs([out], input, reading, "choose another output file with --out")
        result = analyze(_warned(participations), seed=seed, resolution=resolution, jobs=_jobs(), **options)
    warn_left_out(result.projection)
    write_file(out, export_chunks(result, fmt, network))
    if not quiet and str(out) != "-":
        say(f"Wrote {out}")


def format_from_name(out: Path | None) -> str:
    """The export format an output file's name ends with (``.vosviewer.json`` before ``.json``); a usage error if none.

    >>> format_from_name(Path("network.GEXF")), format_from_name(Path("map.vosviewer.json"))
    ('gexf', 'vosviewer')
    """
    endings = {"vosviewer": ".vosviewer.json", "gexf": ".gexf", "graphml": ".graphml", "json": ".json"}
    named = out is not None and str(out) != "-"
    for fmt, ending in endings.items():
        if named and out.name.lower().endswith(ending):
            return fmt
    why = f"--out {out} ends with none of {', '.join(endings.values())}" if named else "no --out file name to tell it"
    raise click.UsageError(f"which format? {why}: choose one with --format ({', '.join(FORMATS)})")


# -- an analysed folder: report and export reuse what `analyze` stored -----------------------------------

# The options of analyze, report and export that say how to read a table and what to compute.
READING_PARAMETERS = ("partner", "project", "sheet", "encoding", "partners", "projects", "partners_id",
                      "partners_label", "projects_id", "projects_label", "names", "names_id", "names_label", "aliases",
                      "skip_bad_lines")
ANALYSIS_PARAMETERS = ("seed", "resolution", "weighting", "min_shared", "method", "runs", "group_by", "exact",
                       "max_project_size", "max_pairs")


def _stored_options(seed, resolution, backbone) -> dict:
    """The analysis options of this run, as ``analyze`` stores them with its results."""
    options = {"seed": seed, "resolution": resolution, **click.get_current_context().meta.get("ecosys.analysis", {})}
    options["backbone"] = backbone
    return options


def analysed_folder(input) -> Path | None:
    """INPUT when it is a folder ``ecosys analyze`` wrote (its analysis.json, or an older run's summary.json)."""
    if input in (None, "-"):
        return None
    path = Path(input)
    if path.is_dir() and ((path / STORED[0]).is_file() or (path / "summary.json").is_file()):
        return path
    return None


def load_analysed(folder: Path, seed, resolution):
    """The analysis stored in ``folder`` and the files it protects (its inputs and its own two files).

    Options that say how to read a table are refused; analysis options are
    accepted when they are those the folder was analysed with.
    """
    from click.core import ParameterSource

    from .store import load_analysis, read_manifest

    ctx = click.get_current_context()
    given = {name for name in (*READING_PARAMETERS, *ANALYSIS_PARAMETERS)
             if ctx.get_parameter_source(name) in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)}
    for name in READING_PARAMETERS:
        if name in given:
            raise click.UsageError(f"{_flag(name)} says how to read a table, but {folder} is a folder `ecosys analyze` "
                                   "wrote; give the table instead to read it again")
    manifest = read_manifest(folder)
    stored = manifest.get("options", {})
    values = {"seed": seed, "resolution": resolution, **ctx.meta.get("ecosys.analysis", {})}
    for name in ANALYSIS_PARAMETERS:
        if name in given and (name not in stored or values[name] != stored[name]):
            was = _option_text(name, stored[name]) if name in stored else f"no record of {_flag(name)}"
            raise click.UsageError(f"{folder} was analysed with {was}; to analyse with "
                                   f"{_option_text(name, values[name])}, give the table instead of the folder")
    result = load_analysis(folder)
    inputs = {(folder / STORED[0]).resolve(), (folder / STORED[1]).resolve()}
    inputs |= {(folder / r["path"]).resolve() for r in manifest.get("inputs", []) if r.get("path") != "demo"}
    return result, inputs


def refuse_overwriting(protected: set, targets, advice: str = "choose another output folder with --out") -> None:
    """Stop before writing over one of the ``protected`` files (resolved paths); ``-`` is standard output."""
    for target in targets:
        if str(target) != "-" and Path(target).resolve() in protected:
            raise EcosysError(f"{target}: is an input file; {advice}")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _option_text(name: str, value) -> str:
    """How an option reads on the command line: ``--method leiden``, ``--exact``, ``no --group-by``."""
    if value is None or value is False:
        return f"no {_flag(name)}"
    return _flag(name) if value is True else f"{_flag(name)} {value}"


def _backbone_line(b: dict) -> str:
    name = {"disparity": "Disparity filter", "sdsm": "SDSM"}[b["method"]]
    return (f"{name} backbone: kept {b['kept']:,} of {b['ties']:,} partner pairs "
            f"(alpha {b['alpha']:g}, {b['correction']} correction over {b['tests']:,} tests).")


@cli.command("backbone")
@click.argument("input", required=False, metavar="[INPUT]")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output CSV of the kept pairs ('-': standard output; default: graphs/<dataset name>/backbone.csv).")
@click.option("--method", type=click.Choice(list(BACKBONES)), default="sdsm", show_default=True,
              help="sdsm: stochastic degree sequence model on the bipartite graph (Neal 2014); disparity: "
                   "disparity filter on the weighted projection (Serrano et al. 2009).")
@click.option("--alpha", type=FiniteRange(min=0, max=1, min_open=True, max_open=True), default=0.05,
              show_default=True, help="Significance level, after the correction.")
@click.option("--correction", type=click.Choice(["holm", "fdr", "none"]), default="holm", show_default=True,
              help="Multiple-testing correction: Holm (family-wise), Benjamini-Hochberg (fdr) or none.")
@click.option("--weighting", type=click.Choice(list(WEIGHTINGS)), default="count", show_default=True,
              help="Weight of a partner pair in the projection (disparity filter only).")
@click.option("--min-shared", type=click.IntRange(min=1), default=1, show_default=True,
              help="Test only pairs sharing at least this many projects (disparity filter only).")
@click.option("--all", "all_pairs", is_flag=True, help="Write every tested pair with its p-value and 'kept'.")
@projection_size_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reading_options
@errors_as_messages
def backbone_command(input, out, partner, project, sheet, method, alpha, correction, weighting, min_shared,
                     all_pairs, max_project_size, max_pairs, quiet, **reading):
    """Which partner pairs share more projects than chance: a backbone of the projection.

    Tests every pair of partners sharing a project and writes the kept pairs
    (source, target, their names, shared projects, p-value, adjusted p-value)
    as CSV, most significant first. INPUT as for `ecosys analyze`.

    Example:

        ecosys backbone participations.csv --method sdsm --alpha 0.01 -o backbone.csv
    """
    from .graph import build_network
    from .graph import project as project_network
    from .pipeline import backbone_table
    from .safe import csv_text

    participations = _read(input, partner, project, sheet, reading)
    out = out if out is not None else Path("graphs") / participations.name / "backbone.csv"
    refuse_overwriting_inputs([out], input, reading, "choose another output file with --out")
    net = build_network(_warned(participations))
    P = project_network(net, "partner", min_shared=min_shared, weighting=weighting,
                        max_project_size=max_project_size, max_pairs=max_pairs)
    warn_left_out(P)
    table = backbone_table(net, P, method, alpha=alpha, correction=correction)
    write_file(out, csv_text(table if all_pairs else table[table["kept"]].drop(columns="kept")))
    if not quiet and str(out) != "-":
        say(_backbone_line(table.attrs["backbone"]))
        say(f"Wrote {out}")


# -- evolution ------------------------------------------------------------------------------------

EVOLUTION_THRESHOLD = 0.1  # ecosys.evolution.events.THRESHOLD
EVOLUTION_MIN_SIZE = 5  # ecosys.evolution.events.MIN_SIZE
EVOLUTION_TOP = 50  # ecosys.evolution.turnover.TOP
MIN_DATED = 0.5  # ecosys.dates.MIN_DATED
DATE_PROBLEMS_SHOWN = 20  # bad date cells printed one per line; the others counted


@cli.command("evolution")
@_input_options
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: graphs/<dataset name>/evolution/).")
@click.option("--time", metavar="COLUMN", help="The project start column (date or year), if not found by name and content.")
@click.option("--time-end", metavar="COLUMN", help="The project end column, if not found by name and content.")
@click.option("--window", type=click.IntRange(min=1), metavar="YEARS",
              help="Sliding windows of this many years (default: one period per year).")
@click.option("--step", type=click.IntRange(min=1), default=1, show_default=True, metavar="YEARS",
              help="With --window: years between the starts of two windows.")
@click.option("--cumulative", is_flag=True, help="Everything from the first year up to each year.")
@click.option("--by", metavar="COLUMN", help="One period per value of this column (a programme, a call...).")
@click.option("--from", "first", type=int, metavar="YEAR", help="The first year of the periods.")
@click.option("--to", "last", type=int, metavar="YEAR", help="The last year of the periods.")
@click.option("--threshold", type=click.FloatRange(min=0, max=1, min_open=True), default=EVOLUTION_THRESHOLD,
              show_default=True,
              help="Match communities of consecutive periods whose partners overlap at least this much (Jaccard).")
@click.option("--min-community", type=click.IntRange(min=1), default=EVOLUTION_MIN_SIZE, show_default=True,
              metavar="N", help="Follow communities of at least N partners.")
@click.option("--top", type=click.IntRange(min=1), default=EVOLUTION_TOP, show_default=True, metavar="K",
              help="The core whose stability is measured: the K partners with the highest PageRank.")
@click.option("--min-dated", type=click.FloatRange(min=0, max=1), default=MIN_DATED, show_default=True,
              metavar="SHARE", help="Stop unless at least this share of the projects has a start date.")
@language_option
@analysis_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
@reading_options
@errors_as_messages
def evolution_command(input, partner, project, sheet, seed, resolution, out, time, time_end, window, step,
                      cumulative, by, first, last, threshold, min_community, top, min_dated, lang, quiet, **reading):
    """How the ecosystem changes: periods, newcomers, the core, communities over time.

    INPUT is a table, as for `ecosys analyze`, or a folder `ecosys analyze`
    wrote: the participations stored there are then used, with the options
    they were analysed with, and the output goes into its evolution/ folder
    (unless --out).

    Cuts the participations into periods (one per year by default, from the
    project start and end dates found in INPUT), analyses each period as
    `ecosys analyze` would, and compares them. Writes periods.csv,
    partners_over_time.csv, newcomers.csv, core.csv, community_events.csv,
    evolution.json and the page index.html into the output folder.

    Example:

        ecosys evolution h2020.csv.gz --out h2020-over-time/ --window 3
        ecosys evolution graphs/h2020/
    """
    from .dates import project_dates, require_dates
    from .evolution import evolve
    from .evolution.page import OUTPUTS, write_evolution

    if sum([window is not None, cumulative, by is not None]) > 1:
        raise click.UsageError("choose one of --window, --cumulative and --by")
    if step != 1 and window is None:
        raise click.UsageError("--step goes with --window")
    if by is not None and (first is not None or last is not None):
        raise click.UsageError("--from and --to choose years; with --by the periods are the column's values")
    if first is not None and last is not None and first > last:
        raise click.UsageError(f"--from {first} is after --to {last}")
    folder = analysed_folder(input)
    if folder is not None:  # the table `ecosys analyze` read and the options it analysed with, not read again
        participations, options, seed, resolution, inputs = _stored_participations(folder, seed, resolution)
        out = out if out is not None else folder / "evolution"
        refuse_overwriting(inputs, [out / name for name in OUTPUTS])
    else:
        participations = _warned(_read(input, partner, project, sheet, reading))
        options = _analysis_options()
        out = out if out is not None else Path("graphs") / participations.name / "evolution"
        refuse_overwriting_inputs([out / name for name in OUTPUTS], input, reading)
    if by is not None:  # before anything is printed: a wrong column is one error line
        from .read.columns import find_column

        find_column([c for c in participations.table.columns if c not in ("partner", "project", "row")], by, "--by",
                    participations.source)
    dates = project_dates(participations, start=time, end=time_end)
    word = participations.report.word
    for problem in dates.problems[:DATE_PROBLEMS_SHOWN]:
        say(f"Warning: {problem.message(participations.source, word)}", err=True)
    if len(dates.problems) > DATE_PROBLEMS_SHOWN:
        say(f"Warning: and {len(dates.problems) - DATE_PROBLEMS_SHOWN:,} more cells that are not dates, "
                   "left out", err=True)
    if by is None:
        require_dates(dates, participations.source, at_least=min_dated)
    if not quiet and dates.start_column is not None:
        columns = f"'{dates.start_column}'" + (f" to '{dates.end_column}'" if dates.end_column else "")
        say(f"Dates: {columns}; {dates.undated:,} of {len(dates.keys):,} projects have no date"
                   + (" and are in no period" if by is None else ""))

    def progress(i, period, figures):
        if not quiet:
            say(f"{period.label}: {figures['partners']:,} partners, {figures['projects']:,} projects, "
                       f"{figures['communities']:,} communities")

    result = evolve(participations, dates=dates if dates.start_column is not None else None, window=window,
                    step=step, cumulative=cumulative, by=by, first=first, last=last, threshold=threshold,
                    min_size=min_community, top=top, min_dated=min_dated, seed=seed, resolution=resolution,
                    on_period=progress, **options)
    paths = write_evolution(result, out, lang=lang)
    if not quiet:
        say(f"Wrote {', '.join(p.name for p in paths)} to {out}{'' if str(out).endswith('/') else '/'}")


def _stored_participations(folder: Path, seed, resolution):
    """The participations stored in ``folder``, the analysis options, seed and resolution it was analysed with
    (options given on the command line must agree: :func:`load_analysed`) and the files it protects."""
    from .metrics import DEFAULT_BUDGET
    from .store import read_manifest

    result, inputs = load_analysed(folder, seed, resolution)
    stored = read_manifest(folder).get("options", {})
    options = {name: stored[name] for name in ANALYSIS_PARAMETERS if name in stored and name not in
               ("seed", "resolution", "exact")}
    options["budget"] = float("inf") if stored.get("exact") else DEFAULT_BUDGET
    return result.participations, options, stored.get("seed", seed), stored.get("resolution", resolution), inputs


# -- validate ------------------------------------------------------------------------------------

@cli.command("validate")
@click.argument("input", metavar="INPUT")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the JSON report (default: graphs/<dataset name>/validation.json; - for stdout).")
@click.option("--suggest-aliases", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the groups of similar partner names as a name,canonical CSV to review (and pass to --aliases); "
                   "- for stdout.")
@click.option("--threshold", type=click.IntRange(50, 100), default=90, show_default=True,
              help="Lowest similarity (rapidfuzz token_sort_ratio, 0-100) of two names grouped together.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reading_options
@errors_as_messages
def validate_command(input, out, partner, project, sheet, suggest_aliases, threshold, quiet, **reading):
    """Check a participation table's quality and write a JSON report.

    Reports the rows read and skipped (line and why), repeated pairs, blank
    ids, ids with several names, names with several ids, ids missing from the
    partner or project tables, and groups of partner names that probably
    mean the same organisation. Input files are never changed.

    Example:

        ecosys validate participations.csv --suggest-aliases aliases.csv
    """
    from .names import suggested_aliases, summary_lines, validation_report
    from .safe import json_text

    stdout = [name for name, target in (("--out", out), ("--suggest-aliases", suggest_aliases)) if str(target) == "-"]
    if len(stdout) > 1:
        raise click.UsageError("--out - and --suggest-aliases - would both write to standard output; choose one")
    source, label = (sys.stdin.buffer, "<stdin>") if input == "-" else (input, None)
    report = validation_report(source, partner=partner, project=project, sheet=sheet, label=label, name=None,
                               threshold=threshold, **reading)
    out = out if out is not None else Path("graphs") / report["dataset"] / "validation.json"
    refuse_overwriting_inputs([out, suggest_aliases], input, reading, "choose another file to write")
    if suggest_aliases is not None and str(suggest_aliases) != "-" and not suggest_aliases.resolve().parent.is_dir():
        raise EcosysError(f"{suggest_aliases.parent}: no such folder for --suggest-aliases")
    write_file(out, json_text(report))
    if suggest_aliases is not None:
        write_file(suggest_aliases, suggested_aliases(report))
    if not quiet:
        for warning in report["warnings"]:
            say(f"Warning: {warning}", err=True)
        for line in summary_lines(report):
            say(line, err=bool(stdout))
        wrote = [str(p) for p in (out, suggest_aliases) if p is not None and str(p) != "-"]
        if wrote:
            say(f"Wrote {', '.join(wrote)}", err=bool(stdout))


# -- extract -------------------------------------------------------------------------------------

@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="FILES_OR_FOLDER...")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The candidates CSV to write (- for standard output).")
@click.option("--review", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the offline review page (HTML) where a person ticks, corrects and adds candidates.")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="A two-column CSV, name,canonical: partner names replaced before they are grouped.")
@click.option("--lang", default="it", show_default=True, help="The language of the documents' rules.")
@click.option("--threshold", type=click.IntRange(50, 100), default=90, show_default=True,
              help="Lowest similarity (0-100) of two partner names grouped as one, as in `ecosys validate`.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@errors_as_messages
def extract_command(paths, out, review, aliases, lang, threshold, quiet):
    """Find candidate participations in documents: press releases, project pages, calls.

    Reads .txt, .md, .html (text only), .pdf (its text layer) and .docx files,
    and folders of them, and writes one row per (project, organisation) it
    finds: project, partner, role, type, city, programme, source, where,
    evidence and the rule that found it. The CSV is a participation table:
    review it (--review writes a page for that) and run `ecosys analyze` on it.
    Needs the extract extra for PDF: pip install 'ecosys[extract]'.

    Example:

        ecosys extract press-releases/ --out candidates.csv --review review.html
    """
    from .extract import extract, render_review
    from .read import read_aliases
    from .safe import csv_text

    targets = [p for p in (out, review) if p is not None and str(p) != "-"]
    inputs = {Path(p).resolve() for p in paths} | ({aliases.resolve()} if aliases else set())
    for target in targets:
        if target.resolve() in inputs or any(target.resolve().is_relative_to(Path(p).resolve())
                                             and Path(p).is_dir() and target.suffix.lower() in
                                             (".txt", ".md", ".html", ".htm") for p in paths):
            raise click.UsageError(f"{target}: would be written over an input or into a folder being read; "
                                   "choose another file")
    if review is not None and str(review) == "-" and str(out) == "-":
        raise click.UsageError("--out - and --review - would both write to standard output; choose one")
    result = extract(paths, lang=lang, aliases=read_aliases(aliases) if aliases else None, threshold=threshold)
    for message in result.messages:
        say(f"Skipped: {message}", err=True)
    if not result.documents:
        raise EcosysError(f"no document could be read ({result.summary()})")
    write_file(out, csv_text(result.table))
    if review is not None:
        write_file(review, render_review(result, download=f"{Path(str(out)).stem}-accepted.csv"))
    if not quiet:
        say(result.summary(), err=str(out) == "-")
        wrote = [str(p) for p in (out, review) if p is not None and str(p) != "-"]
        if wrote:
            say(f"Wrote {', '.join(wrote)}", err=str(out) == "-")


def main():
    """Entry point of the ``ecosys`` console script (and ``python -m ecosys``).

    The library's modules, once loaded, are frozen out of Python's garbage collector
    (:func:`_library_loading`), and so is every object left when the command is done: the process
    ends next, and the collections Python runs while it shuts down would otherwise walk every object
    pandas, scipy and igraph made, 0.1-0.3 s for nothing (the memory is the system's again at exit
    either way). Only here, in the command's own process: the library, and tests calling ``cli``,
    keep the collector as it is.
    """
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        cli(prog_name="ecosys")
    finally:
        gc.freeze()
