"""The ``ecosys`` command: exit codes, the one-line ``Error:`` contract, outputs.

Bad input gives exactly one stderr line starting with ``Error: `` that names
the file, exit status 1 (2 for bad usage), no traceback and no output files.
Good input gives five complete output files, nothing temporary left, and
spreadsheet-safe CSV cells. Input files are never modified.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from ecosys import __version__
from ecosys.cli import cli

OUTPUTS = sorted([".ecosys-files", "communities.csv", "ecosys.xlsx", "index.html", "map.html", "partners.csv",
                  "projects.csv", "summary.json", "analysis.json", "analysis.npz"])
OLD_MTIME_NS = 1_600_000_000_000_000_000
SMALL = b"partner,project,role\nA,P1,lead\nB,P1,partner\nB,P2,lead\nC,P2,partner\n"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="ecosys", **kwargs)


def assert_ok(result):
    assert result.exception is None, result.output
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def assert_error(result, path, *fragments, code=1):
    """Exactly one stderr line, ``Error: <path>...``, the exit code, and no traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert str(path) in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def assert_unchanged(path, data: bytes):
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == OLD_MTIME_NS


# -- help, version, usage ----------------------------------------------------------------------

def test_version():
    result = invoke("--version")
    assert_ok(result)
    assert result.stdout == f"ecosys, version {__version__}\n"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_group_help(flag):
    result = invoke(flag)
    assert_ok(result)
    assert result.stdout.startswith("Usage: ecosys [OPTIONS] COMMAND")
    assert "analyze" in result.stdout
    assert "--version" in result.stdout


def test_analyze_help_mentions_the_options():
    result = invoke("analyze", "-h")
    assert_ok(result)
    assert result.stdout.startswith("Usage: ecosys analyze [OPTIONS] [INPUT]")
    for option in ("--out", "--partner", "--project", "--sheet", "--seed", "--resolution", "--max-nodes", "--exact", "--quiet"):
        assert option in result.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        pytest.param(["analyze", "--bogus"], "No such option", id="unknown-option"),
        pytest.param(["frobnicate"], "No such command", id="unknown-command"),
        pytest.param(["analyze", "{input}", "--resolution", "0"], "--resolution", id="resolution-0"),
        pytest.param(["analyze", "{input}", "--resolution", "-1"], "--resolution", id="resolution-negative"),
        pytest.param(["analyze", "{input}", "--max-nodes", "0"], "--max-nodes", id="max-nodes-0"),
        pytest.param(["analyze", "{input}", "--seed", "abc"], "--seed", id="seed-not-int"),
    ],
)
def test_bad_usage_exits_2_and_writes_nothing(tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "t.csv", SMALL)
    result = invoke(*[a.replace("{input}", str(path)) for a in args], "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Error: " in result.stderr
    assert fragment in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]
    assert_unchanged(path, SMALL)


# -- good runs ---------------------------------------------------------------------------------

def test_demo_without_input_writes_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("analyze")
    assert_ok(result)
    out = tmp_path / "graphs" / "italian-social-innovation"
    assert sorted(os.listdir(out)) == OUTPUTS
    assert sorted(os.listdir(tmp_path)) == ["graphs"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["dataset"], summary["partners"], summary["projects"], summary["participations"]) == (
        "italian-social-innovation", 36, 20, 52,
    )
    assert len(read_csv(out / "partners.csv")) == 36
    assert "Wrote partners.csv, projects.csv, communities.csv, summary.json, map.html, index.html, ecosys.xlsx" in result.stdout
    assert result.stdout.splitlines()[0] == (
        "Read ecosys demo: italian-social-innovation.csv: partner column 'partner', project column 'project'; "
        "partner attributes: type, city; project attributes: programme, start, end, amount_eur, source; "
        "participation attributes: role"
    )


def test_small_table_outputs(tmp_path):
    path = write(tmp_path, "t.csv", SMALL)
    out = tmp_path / "out"
    result = invoke("analyze", path, "--out", out)
    assert_ok(result)
    assert result.stderr == ""
    assert sorted(os.listdir(out)) == OUTPUTS  # nothing temporary (.*.tmp) left behind
    partners = read_csv(out / "partners.csv")
    assert list(partners[0])[:4] == ["node", "name", "kind", "community"]
    assert sorted(r["name"] for r in partners) == ["A", "B", "C"]
    assert {r["kind"] for r in partners} == {"partner"}
    assert sorted(r["node"] for r in partners) == ["partner:A", "partner:B", "partner:C"]
    projects = read_csv(out / "projects.csv")
    assert sorted(r["name"] for r in projects) == ["P1", "P2"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["path"] == str(path)
    assert (summary["partners"], summary["projects"], summary["participations"]) == (3, 2, 4)
    assert_unchanged(path, SMALL)


def test_quiet_prints_nothing(tmp_path):
    path = write(tmp_path, "t.csv", SMALL)
    result = invoke("analyze", path, "--out", tmp_path / "out", "-q")
    assert_ok(result)
    assert (result.stdout, result.stderr) == ("", "")


def test_rerun_replaces_outputs_and_leaves_no_temporary_files(tmp_path):
    out = tmp_path / "out"
    first = write(tmp_path, "first.csv", SMALL)
    assert_ok(invoke("analyze", first, "--out", out))
    second = write(tmp_path, "second.csv", b"partner,project\nX,Q\n")
    assert_ok(invoke("analyze", second, "--out", out))
    assert sorted(os.listdir(out)) == OUTPUTS
    assert [r["name"] for r in read_csv(out / "partners.csv")] == ["X"]


def test_stdin(tmp_path):
    data = "partner;project\r\nUniversità di Bologna;P1\r\nCittà di Torino;P1\r\n".encode("cp1252")
    out = tmp_path / "out"
    result = invoke("analyze", "-", "--out", out, input=data)
    assert_ok(result)
    assert sorted(os.listdir(out)) == OUTPUTS
    assert sorted(r["name"] for r in read_csv(out / "partners.csv")) == ["Città di Torino", "Università di Bologna"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["dataset"], summary["input"]["path"], summary["input"]["encoding"]) == ("stdin", "<stdin>", "cp1252")


def test_stdin_error_names_stdin(tmp_path):
    out = tmp_path / "out"
    result = invoke("analyze", "-", "--out", out, input=b"")
    assert_error(result, "<stdin>", "empty")
    assert not out.exists()


def test_explicit_columns(tmp_path):
    path = write(tmp_path, "t.csv", b"Ente,Codice\nA,C1\nB,C1\n")
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--partner", "ente", "--project", "codice", "--out", out))
    assert sorted(r["name"] for r in read_csv(out / "partners.csv")) == ["A", "B"]


def test_warnings_for_skipped_and_repeated_rows(tmp_path):
    data = b"partner,project\nA,P1\n,P1\nB,P1\nA,P1\nC,\nB,P1\n"
    path = write(tmp_path, "t.csv", data)
    out = tmp_path / "out"
    result = invoke("analyze", path, "--out", out)
    assert_ok(result)
    assert result.stderr.splitlines() == [
        f"Warning: {path}: skipped 2 lines with a blank partner or project ('partner' or 'project'): lines 3, 6",
        f"Warning: {path}: 2 repeated partner-project pairs counted once (lines 5, 7)",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["input"]["duplicate_rows"], summary["input"]["skipped_rows"]) == (2, [3, 6])
    assert summary["participations"] == 2
    assert_unchanged(path, data)


# -- formulas in outputs -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil","x")', "+cmd", "@SUM(1)", "-A1", "=1+1", "-1+cmd|' /C calc'!A0"],
)
def test_formula_like_names_get_a_leading_apostrophe(tmp_path, name):
    rows = [["partner", "project"], [name, "P1"], ["Safe", "P1"], ["Other", name]]
    path = tmp_path / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--out", out))
    partners = {r["node"]: r["name"] for r in read_csv(out / "partners.csv")}
    assert partners == {f"partner:{name}": "'" + name, "partner:Safe": "Safe", "partner:Other": "Other"}
    projects = {r["node"]: r["name"] for r in read_csv(out / "projects.csv")}
    assert projects == {"project:P1": "P1", f"project:{name}": "'" + name}
    for row in read_csv(out / "communities.csv"):
        for cell in (row["top_partners"], row["top_projects"]):
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("value", ["-3.70", "+39 011 123", "-1,5", "+1 (555) 123-4567", "-", "-12%", "-2+3"])
def test_numbers_and_phone_numbers_stay_as_they_are(tmp_path, value):
    """Regression: the guard wrote '-3.70 and '+39 011 123 with a visible apostrophe; no spreadsheet can run
    digits, spaces and the punctuation of numbers, so only what can run is guarded."""
    path = tmp_path / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["partner", "project", "phone"], [value, "P1", value], ["B", "P1", "x"]])
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--out", out))
    partners = {r["node"]: (r["name"], r["phone"]) for r in read_csv(out / "partners.csv")}
    assert partners[f"partner:{value}"] == (value, value)
    book = openpyxl.load_workbook(out / "ecosys.xlsx")
    assert value in [c.value for row in book["Partners"].iter_rows() for c in row]


def test_formula_like_attribute_column_name_is_guarded(tmp_path):
    header = '=HYPERLINK("http://evil","x")'
    path = tmp_path / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["partner", "project", header], ["A", "P1", "it"], ["B", "P1", "fr"]])
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--out", out))
    with open(out / "partners.csv", newline="", encoding="utf-8") as f:
        columns = next(csv.reader(f))
    assert header not in columns
    assert "'" + header in columns


# -- .xlsx -------------------------------------------------------------------------------------

def make_workbook(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["nothing", "here"])
    first.append(["x", "y"])
    data = book.create_sheet("Partecipazioni")
    for row in (["Organisation", "Project", "Amount"], ["Università di Bologna", "P1", 412248.84], ["Comune", "P1", 17]):
        data.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def test_xlsx_sheet_option(tmp_path):
    path = make_workbook(tmp_path)
    data = path.read_bytes()
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--sheet", "Partecipazioni", "--out", out))
    assert sorted(r["name"] for r in read_csv(out / "partners.csv")) == ["Comune", "Università di Bologna"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["input"]["format"], summary["input"]["rows"]) == ("xlsx", 2)
    assert_unchanged(path, data)


def test_xlsx_first_sheet_without_columns_is_an_error(tmp_path):
    path = make_workbook(tmp_path)
    out = tmp_path / "out"
    assert_error(invoke("analyze", path, "--out", out), path, "no partner column", "'nothing', 'here'", "--partner")
    assert not out.exists()


def test_xlsx_missing_sheet(tmp_path):
    path = make_workbook(tmp_path)
    out = tmp_path / "out"
    assert_error(invoke("analyze", path, "--sheet", "Nope", "--out", out), path, "no sheet named 'Nope'")
    assert not out.exists()


# -- bad input ---------------------------------------------------------------------------------

BAD_INPUTS = [
    pytest.param("empty.csv", b"", ["empty"], id="empty"),
    pytest.param("spaces.csv", b"   \r\n\t\r\n  ", ["empty"], id="only-whitespace"),
    pytest.param("header.csv", b"partner;project\r\n", ["no data rows"], id="header-only"),
    pytest.param(
        "cols.csv", b"name;title\nA;P1\n", ["no partner column", "'name', 'title'", "--partner"], id="no-partner-column",
    ),
    pytest.param(
        "cols2.csv", b"org,title\nA,P1\n", ["no project column", "'org', 'title'", "--project"], id="no-project-column",
    ),
    pytest.param("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", ["binary"], id="png"),
    pytest.param("nul.csv", b"partner,project\nA\x00,P1\n", ["binary"], id="nul-bytes"),
    pytest.param("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, [".xls"], id="old-xls"),
    pytest.param("broken.xlsx", b"PK\x03\x04" + b"\x00junk" * 20, [".xlsx"], id="broken-xlsx"),
    pytest.param("blank.csv", b"partner,project\n,P1\nA,\n", ["blank partner or project"], id="all-blank"),
    pytest.param("wide.csv", b"partner,project\nA,P1\nB,P1,extra\n", ["line 3"], id="extra-field"),
    pytest.param(
        "multi.csv", b'partner,project\n"A\nB\nC",P1\n\nD,P1,extra\n', ["line 6"], id="extra-field-after-multiline",
    ),
    pytest.param("open.csv", b'partner;project\nA;"P1\nB;P2\n', ["line 2: a quoted cell is never closed"],
                 id="unclosed-quote"),
]


@pytest.mark.parametrize("name, data, fragments", BAD_INPUTS)
def test_bad_input_one_error_line_exit_1_no_output(tmp_path, name, data, fragments):
    path = write(tmp_path, name, data)
    out = tmp_path / "out"
    assert_error(invoke("analyze", path, "--out", out), path, *fragments)
    assert not out.exists()
    assert_unchanged(path, data)


@pytest.mark.parametrize("name, data, fragments", BAD_INPUTS[:3])
def test_bad_input_adds_nothing_to_an_existing_out_folder(tmp_path, name, data, fragments):
    path = write(tmp_path, name, data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert_error(invoke("analyze", path, "--out", out), path, *fragments)
    assert os.listdir(out) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine"


def test_bad_input_with_default_out_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.csv", b"name,title\nA,B\n")
    assert_error(invoke("analyze", "bad.csv"), "bad.csv", "no partner column")
    assert os.listdir(tmp_path) == ["bad.csv"]


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    out = tmp_path / "out"
    assert_error(invoke("analyze", path, "--out", out), path, "not found")
    assert os.listdir(tmp_path) == []


def test_folder_as_input(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    out = tmp_path / "out"
    assert_error(invoke("analyze", folder, "--out", out), folder, "folder")
    assert sorted(os.listdir(tmp_path)) == ["data"]


def test_partner_option_naming_a_missing_column(tmp_path):
    path = write(tmp_path, "t.csv", SMALL)
    out = tmp_path / "out"
    assert_error(invoke("analyze", path, "--partner", "Ente", "--out", out), path, "'Ente'", "'partner', 'project', 'role'")
    assert not out.exists()


def test_real_process_error_has_no_traceback(tmp_path):
    path = write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = subprocess.run(
        [sys.executable, "-m", "ecosys", "analyze", str(path), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"Error: {path}: ")
    assert proc.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_explicit_project_column_next_to_a_column_named_project(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,acronym,project\nA,P1,Title one\nB,P1,Title one\n")
    out = tmp_path / "out"
    assert_ok(invoke("analyze", path, "--project", "acronym", "--out", out))
    assert [r["name"] for r in read_csv(out / "projects.csv")] == ["P1"]


def test_input_named_like_an_output_in_the_out_folder_is_not_overwritten(tmp_path):
    path = write(tmp_path, "projects.csv", SMALL)
    result = invoke("analyze", path, "--out", tmp_path)
    assert_unchanged(path, SMALL)
    assert_error(result, path)


def test_weighting_and_min_shared_choose_the_projection(tmp_path):
    # A and B share P1 and P2; B and C share P2 only.
    data = write(tmp_path, "t.csv", b"partner,project\nA,P1\nB,P1\nA,P2\nB,P2\nC,P2\n")
    assert_ok(invoke("analyze", data, "--out", tmp_path / "all", "-q"))
    assert_ok(invoke("analyze", data, "--out", tmp_path / "stable", "--min-shared", "2", "--weighting", "jaccard", "-q"))
    everything = json.loads((tmp_path / "all" / "summary.json").read_text())
    stable = json.loads((tmp_path / "stable" / "summary.json").read_text())
    assert everything["projection"] == {"weighting": "count", "min_shared": 1}
    assert (everything["partner_pairs"], everything["partners_without_copartner"]) == (3, 0)
    assert stable["projection"] == {"weighting": "jaccard", "min_shared": 2}
    assert (stable["partner_pairs"], stable["partners_without_copartner"]) == (1, 1)
    assert "jaccard" in stable["community_method"]["graph"]
    result = invoke("analyze", data, "--out", tmp_path / "x", "--weighting", "pmi")
    assert result.exit_code == 2 and "pmi" in result.output
