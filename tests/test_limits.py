"""Hostile inputs end as one line or a warning, within memory (issue 11).

The memory bounds are tested in a subprocess whose address space is capped
with ``resource.setrlimit(RLIMIT_AS)``: should a bound regress, the
allocation fails there (a MemoryError, one ``Error:`` line about memory)
and the test fails, instead of the machine running out of memory.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import ecosys.limits
from ecosys.cli import cli, printable
from ecosys.errors import EcosysWarning
from ecosys.maps import render_maps
from ecosys.pipeline import analyze
from ecosys.report import render_xlsx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "read"))
from files import raw_workbook, xml_rows  # noqa: E402  (the reading tests' helpers)

LIMIT = 1536 * 2**20  # the address space of a run: pandas, igraph and numba take about 0.6 GB of it


def run_limited(args, cwd: Path, limit: int = LIMIT) -> subprocess.CompletedProcess:
    """``python -m ecosys ARGS`` with its address space capped at ``limit`` bytes."""
    code = ("import resource, sys, runpy; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit})); "
            f"sys.argv = ['ecosys', *{list(map(str, args))!r}]; runpy.run_module('ecosys', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "NUMBA_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def gzip_bomb(path: Path) -> Path:
    """A 2 MB .csv.gz that inflates to 2 GB: a header, then 200 copies of a 10 MB member."""
    member = gzip.compress(b"A,P1\n" * 2_000_000, compresslevel=9)
    with open(path, "wb") as f:
        f.write(gzip.compress(b"partner,project\n"))
        for _ in range(200):
            f.write(member)
    return path


@pytest.mark.parametrize("make, expected", [
    pytest.param(lambda d: gzip_bomb(d / "bomb.csv.gz"), "decompresses more than 100 times over", id="gzip-bomb"),
    pytest.param(lambda d: raw_workbook(d / "bomb.xlsx", [*xml_rows(1, 1),
                                                          b"<row><c><v>1</v></c></row>" * 3_000_000], level=9),
                 "as a decompression bomb does", id="xlsx-bomb"),
    pytest.param(lambda d: raw_workbook(d / "long.xlsx", [*xml_rows(1, 2_000_000, chunk=100_000)], level=9),
                 "more than 1,048,576 rows, more than Excel allows", id="xlsx-20M-cells"),
    pytest.param(lambda d: Path("/dev/zero"), "looks like a binary file", id="dev-zero"),
    pytest.param(lambda d: Path("/dev/urandom"), "looks like a binary file", id="dev-urandom"),
])
def test_bombs_and_endless_devices_are_one_line_under_a_memory_cap(tmp_path, make, expected):
    path = make(tmp_path)
    done = run_limited(["analyze", path, "-o", tmp_path / "out"], tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr[-2000:]
    assert lines[0].startswith(f"Error: {path}") and expected in lines[0], lines[0]
    assert "memory" not in lines[0]  # refused by a bound, not by running out
    assert not (tmp_path / "out").exists()


def test_a_huge_name_is_shortened_in_pages_and_whole_in_the_tables(tmp_path):
    """A 20 MB name (the issue's was 100 MB: 1.9 GB of outputs) adds about its own size once per table."""
    name = "N" * 20_000_000
    table = tmp_path / "t.csv"
    table.write_text(f"partner,project\n{name},P1\nB,P1\nC,P2\nB,P2\n", encoding="utf-8")
    small = tmp_path / "small.csv"
    small.write_text("partner,project\nA,P1\nB,P1\nC,P2\nB,P2\n", encoding="utf-8")
    done = run_limited(["analyze", table, "-o", tmp_path / "out", "-q"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    CliRunner().invoke(cli, ["analyze", str(small), "-o", str(tmp_path / "small-out"), "-q"])
    out, reference = tmp_path / "out", tmp_path / "small-out"
    for page in ("map.html", "index.html"):
        grown = (out / page).stat().st_size - (reference / page).stat().st_size
        # each of its few dozen repeats (top lists, communities, details) at most PAGE_TEXT characters
        assert grown < 100 * ecosys.limits.PAGE_TEXT, (page, grown)
    partners = pd.read_csv(out / "partners.csv", keep_default_na=False)
    assert name in partners["name"].tolist()


def test_max_nodes_past_what_a_page_draws_is_capped_with_a_warning(tmp_path, monkeypatch):
    table = tmp_path / "t.csv"
    table.write_text("partner,project\nA,P1\nB,P1\nC,P2\nB,P2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(table), "-o", str(tmp_path / "out"), "--max-nodes", "100000"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: --max-nodes 100,000 is more than a map page can draw and stay usable (10,000 nodes); the map "
        "draws at most 10,000 (a larger graph as an overview of its communities); every node is in the tables\n")
    # past the cap, the graph is drawn as an overview of its communities (52 nodes, capped at 20 here)
    rows = [(f"Hub{c}", f"P{c}-{i}") for c in range(3) for i in range(8)]
    rows += [(f"A{c}-{i}", f"P{c}-{i}") for c in range(3) for i in range(8)]
    stars = tmp_path / "stars.csv"
    stars.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    monkeypatch.setattr(ecosys.limits, "MAP_NODES", 20)
    with pytest.warns(EcosysWarning, match="at most 20"):
        pages, drawn = render_maps(analyze(stars), max_nodes=100_000)
    assert drawn["kind"] == "overview" and drawn["nodes_total"] == 51


def test_hundreds_of_attribute_columns_offer_fifty_filters_and_say_what_was_left_out(tmp_path):
    """The issue's 10,000 columns made 10,004 filter controls; 500 show the cap (10,000 take minutes to analyse)."""
    columns = [f"a{i}" for i in range(500)]
    rows = [("A", "P1"), ("B", "P1"), ("C", "P2"), ("B", "P2")]
    lines = [",".join(["partner", "project", *columns])]
    lines += [",".join([a, b, *(f"{a}{i % 3}" for i in range(500))]) for a, b in rows]
    table = tmp_path / "wide.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(table), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: 500 attribute columns: the map offers the first 50 as filters, colours and details, and leaves "
        "out the other 450 (from 'a50' on); all are in the tables"]
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="ecosys-data">(.*?)</script>', page, re.S)[1])
    assert data["nodes"] and '"a49"' in page and '"a50"' not in page and '"a499"' not in page
    assert "a499" in pd.read_csv(tmp_path / "out" / "partners.csv", nrows=0).columns


def test_the_workbook_warns_past_excel_limits_and_keeps_what_excel_holds():
    long = pd.DataFrame({"name": ["A", "x" * 40_000], "degree": [1, 2]})
    with pytest.warns(EcosysWarning) as seen:
        data = render_xlsx({"partners": long})
    assert [str(w.message) for w in seen if w.category is EcosysWarning] == [
        "ecosys.xlsx, sheet 'partners': 1 cell over Excel's 32,767 characters (the first: column 'name', row 3, "
        "40,000 characters) cut there; the CSV tables have the whole text"]
    import io
    cell = openpyxl.load_workbook(io.BytesIO(data))["Partners"]["A3"].value
    assert cell == "x" * 32_767
    wide = pd.DataFrame([range(16_385)], columns=[f"c{i}" for i in range(16_385)])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        render_xlsx({"partners": wide})
    assert ("ecosys.xlsx, sheet 'partners': 16,385 columns, more than Excel's 16,384; the workbook has the first "
            "16,384 and the CSV tables all of them") in [str(w.message) for w in seen]


# -- messages: control characters escaped -------------------------------------------------------------

def test_control_characters_of_headers_are_escaped_in_errors(tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes(b"org\x1b]0;pwned\x07,project\n" + b"".join(b"Org %d,P%d\n" % (i, i % 7) for i in range(100)))
    result = subprocess.run([sys.executable, "-m", "ecosys", "analyze", str(table), "--partner", "partner",
                             "-o", str(tmp_path / "out")], capture_output=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr  # even through a pipe
    assert b"org\\x1b]0;pwned\\x07" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_sheet_name_with_a_line_break_keeps_the_error_on_one_line(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data\nSheet"
    book.active.append(["partner", "project"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["analyze", str(path), "--sheet", "Other", "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Data\\nSheet" in lines[0], result.stderr


def test_printable_escapes_what_a_terminal_acts_on_and_keeps_letters():
    assert printable("a\x1b[2Jb\x9b\u202ec\ttab\nline") == "a\\x1b[2Jb\\x9b\\u202ec\\ttab\\nline"
    assert printable("Città di Forlì – 東京") == "Città di Forlì – 東京"


# -- paths that are not UTF-8 ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["analyze", "report", "validate"])
def test_a_folder_name_that_is_not_utf8_is_read_and_written(tmp_path, command):
    folder = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9"))  # a Latin-1 folder name
    folder.mkdir()
    (folder / "t.csv").write_bytes(b"partner,project\nA,P1\nB,P1\nC,P2\nB,P2\n")
    out = folder / "out"
    args = [command, str(folder / "t.csv")] + (["-o", str(out)] if command != "validate" else [])
    done = subprocess.run([sys.executable, "-m", "ecosys", *args], capture_output=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr[-2000:]
    assert "caf" in done.stdout.decode("utf-8")  # named in text (the byte escaped or read as cp1252)
    if command != "validate":
        assert (out / "index.html").stat().st_size > 0
    else:
        assert json.loads((tmp_path / "graphs" / "t" / "validation.json").read_text(encoding="utf-8"))



@pytest.mark.parametrize("command", ["analyze", "report", "validate", "backbone", "export", "evolution", "extract"])
def test_a_file_name_that_is_not_utf8_is_read_and_written(tmp_path, command):
    # the output folder elsewhere, so the recorded path of the input holds the byte that is not UTF-8
    inputs = tmp_path / "in"
    inputs.mkdir()
    name = os.fsdecode(b"caf\xe9.txt" if command == "extract" else b"caf\xe9.csv")  # a Latin-1 file name
    if command == "extract":
        (inputs / name).write_text("Il progetto Orti Urbani vede come capofila il Comune di Torino, "
                                   "in partenariato con l'Università di Torino.\n", encoding="utf-8")
    else:
        (inputs / name).write_bytes(b"partner,project,start\nA,P1,2019\nB,P1,2019\nC,P2,2021\nB,P2,2021\n")
    out = tmp_path / "out" / ("t.csv" if command in ("backbone", "extract") else "t.graphml" if command == "export"
                              else "")
    args = [command, str(inputs / name)] + (["-o", str(out)] if command != "validate" else [])
    done = subprocess.run([sys.executable, "-m", "ecosys", *args], capture_output=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr[-2000:]
    if command == "export":
        assert out.read_text(encoding="utf-8").startswith("<?xml") and "<graphml" in out.read_text(encoding="utf-8")
    if command == "analyze":  # the input is recorded exactly: it still finds (and protects) the file
        recorded = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["inputs"][0]["path"]
        assert (out / recorded).resolve() == (inputs / name).resolve()
        again = subprocess.run([sys.executable, "-m", "ecosys", "report", str(out), "--xlsx", str(inputs / name)],
                               capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert again.returncode != 0 and (inputs / name).read_bytes().startswith(b"partner,"), again.stderr
    if command == "extract":
        assert "café.txt" in out.read_text(encoding="utf-8")  # the rows' source, the byte read as cp1252

# -- usage: numbers out of range are exit 2 with the range; JSON never holds NaN ------------------------

@pytest.mark.parametrize("args, fragment", [
    (["analyze", "--resolution", "nan"], "'nan' is not a finite number; expected a number in the range 0<x<=1000.0"),
    (["analyze", "--resolution", "inf"], "'inf' is not a finite number"),
    (["analyze", "--resolution", "1e308"], "0<x<=1000.0"),
    (["analyze", "--seed", "-1"], "0<=x<=4294967295"),
    (["analyze", "--runs", "1000000000"], "1<=x<=1000"),
    (["analyze", "--seed", "4294967295", "--runs", "2"], "choose a seed of at most 4294967294"),
    (["backbone", "--alpha", "nan"], "'nan' is not a finite number; expected a number in the range 0<x<1"),
    (["report", "--resolution", "-inf"], "'-inf' is not a finite number"),
])
def test_numeric_options_out_of_range_are_usage_errors_naming_the_range(tmp_path, args, fragment):
    table = tmp_path / "t.csv"
    table.write_text("partner,project\nA,P1\nB,P1\n", encoding="utf-8")
    command, *options = args
    result = CliRunner().invoke(cli, [command, str(table), *options, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("Error: ") and fragment in lines[-1], result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def _strict(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in JSON")
    return json.loads(text, parse_constant=refuse)


def test_every_json_written_is_strict_json_without_nan(tmp_path):
    """Undefined numbers (constraint of a partner with no co-partner, redundancy below degree 2) as null or left out."""
    table = tmp_path / "t.csv"
    table.write_text("partner,project\nA,P1\nB,P1\nC,P2\nB,P2\nAlone,P3\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["analyze", str(table), "-o", str(tmp_path / "out"), "-q", "--backbone", "disparity"])
    assert done.exit_code == 0, done.output
    assert runner.invoke(cli, ["validate", str(table), "-o", str(tmp_path / "validation.json")]).exit_code == 0
    for fmt in ("json", "vosviewer"):
        done = runner.invoke(cli, ["export", str(table), "--format", fmt, "-o", str(tmp_path / f"{fmt}.json")])
        assert done.exit_code == 0, done.output
    written = [*(tmp_path / "out").glob("*.json"), tmp_path / "validation.json", tmp_path / "json.json",
               tmp_path / "vosviewer.json"]
    assert sorted(p.name for p in written[:-3]) == ["analysis.json", "summary.json"]
    for path in written:
        _strict(path.read_text(encoding="utf-8"))
    summary = _strict((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["partners"] == 4


_FREED_BLOCKS = """
import sys
import numpy as np
from ecosys.limits import map_large_blocks

def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096

if sys.argv[1] == "mapped":
    assert map_large_blocks()
np.ones(30 << 17)  # a 30 MB block freed: glibc alone would keep blocks up to 30 MB in its heap from now on
blocks = [np.ones(1 << 20) for _ in range(24)]  # 24 blocks of 8 MB, touched
before = resident()
del blocks[::2]  # every other one freed: holes between live blocks, which trimming the heap's top cannot return
print(before - resident())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or ecosys.limits.map_large_blocks() is False,
                    reason="glibc's mallopt")
def test_large_blocks_go_back_to_the_system_when_freed():
    freed = {how: int(subprocess.run([sys.executable, "-c", _FREED_BLOCKS, how], capture_output=True, text=True,
                                     check=True).stdout) for how in ("mapped", "default")}
    assert freed["mapped"] >= 90 << 20  # the twelve blocks of 8 MB, 96 MB
    assert freed["default"] < 30 << 20  # glibc's own bound kept them: what map_large_blocks is for
