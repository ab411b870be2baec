"""`ecosys evolution`: what it writes, what it prints, and how it refuses bad usage and bad dates."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.evolution import PERIOD_COLUMNS
from ecosys.evolution.page import OUTPUTS

from test_evolution import BAD_DATES, PLANTED, SMALL

HOSTILE = "<img src=x onerror=alert(1)>"


def run(*args, input_text=None):
    return CliRunner().invoke(cli, ["evolution", *args], input=input_text, catch_exceptions=False)


@pytest.fixture
def small_csv(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_writes_every_output(small_csv, tmp_path):
    out = tmp_path / "out"
    result = run(str(small_csv), "--out", str(out), "--min-community", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert result.output.splitlines() == [
        "Dates: 'start' to 'end'; 0 of 4 projects have no date and are in no period",
        "2018: 2 partners, 1 projects, 1 communities",
        "2019: 3 partners, 2 projects, 1 communities",
        "2020: 2 partners, 1 projects, 1 communities",
        "2021: 4 partners, 2 projects, 2 communities",
        f"Wrote {', '.join(OUTPUTS)} to {out}/",
    ]
    periods = pd.read_csv(out / "periods.csv", dtype={"period": str})
    assert periods.columns.tolist() == list(PERIOD_COLUMNS)
    assert periods["new_partners"].tolist() == [2, 1, 1, 1]
    summary = json.loads((out / "evolution.json").read_text())
    assert summary["periods"] == {"kind": "year", "column": None, "count": 4, "labels": ["2018", "2019", "2020", "2021"]}
    assert summary["dates"]["undated"] == 0 and summary["parameters"]["threshold"] == 0.1
    assert run(str(small_csv), "--out", str(out), "-q").output == ""


def test_window_cumulative_by_and_years(small_csv, tmp_path):
    def labels(*options):
        out = tmp_path / "o"
        result = run(str(small_csv), "--out", str(out), "-q", *options)
        assert result.exit_code == 0, result.output
        return pd.read_csv(out / "periods.csv", dtype={"period": str})["period"].tolist()

    assert labels("--window", "2") == ["2018-2019", "2019-2020", "2020-2021"]
    assert labels("--window", "2", "--step", "2") == ["2018-2019", "2020-2021"]
    assert labels("--cumulative") == ["2018", "2018-2019", "2018-2020", "2018-2021"]
    assert labels("--by", "call") == ["first", "second", "third"]
    assert labels("--from", "2019", "--to", "2020") == ["2019", "2020"]


@pytest.mark.parametrize("options, message", [
    (["--window", "2", "--cumulative"], "choose one of --window, --cumulative and --by"),
    (["--by", "call", "--cumulative"], "choose one of --window, --cumulative and --by"),
    (["--step", "2"], "--step goes with --window"),
    (["--by", "call", "--from", "2019"], "--from and --to choose years"),
    (["--from", "2021", "--to", "2019"], "--from 2021 is after --to 2019"),
    (["--lang", "xx"], "no language 'xx': ecosys speaks en (English), it (Italiano)"),
    (["--threshold", "0"], "0<x<=1"),
])
def test_bad_usage_exits_2(small_csv, tmp_path, options, message):
    result = run(str(small_csv), "--out", str(tmp_path / "o"), *options)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "o").exists()


def test_errors_are_one_line(small_csv, tmp_path):
    result = run(str(small_csv), "--out", str(tmp_path / "o"), "--by", "phase")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {small_csv}: no --by column 'phase'; columns are:")
    nodates = tmp_path / "nodates.csv"
    nodates.write_text("org,project,budget\nA,P1,10\nB,P2,20\n")
    result = run(str(nodates), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "no column of project start dates found" in result.output
    assert result.output.count("\n") == 1 and not (tmp_path / "o").exists()


def test_bad_dates_are_warned_with_their_lines_and_too_few_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_DATES)
    result = CliRunner().invoke(cli, ["evolution", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:4] == [
        f"Warning: {path}, line 4, column 'start' (project P2): 'soon' is not a date; left out",
        f"Warning: {path}, line 5, column 'end' (project P3): '2021-01-01 to 2020-01-01' is an end before its start; left out",
        f"Warning: {path}, line 6, column 'start' (project P4): '0' is a year outside 1900-2100; left out",
        f"Warning: {path}, line 7, column 'start' (project P5): '9999' is a year outside 1900-2100; left out",
    ]
    assert lines[4] == (f"Error: {path}: only 2 of 6 projects (33%) have a start date in column 'start' (4 cells are "
                        "not dates: see the warnings); at least 50% must for periods to say anything: fill in the "
                        "dates, or name another column with --time")
    result = CliRunner().invoke(cli, ["evolution", str(path), "--out", str(tmp_path / "o"), "--min-dated", "0.3"])
    assert result.exit_code == 0
    assert "Dates: 'start' to 'end'; 4 of 6 projects have no date and are in no period" in result.output


def test_time_columns_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("org,project,signed,closed\nA,P1,2019-05-01,2020-01-31\nB,P2,2020-03-01,2020-04-01\n")
    result = run(str(path), "--out", str(tmp_path / "o"), "--time", "signed", "--time-end", "closed")
    assert result.exit_code == 0 and "Dates: 'signed' to 'closed'" in result.output
    result = run(str(path), "--out", str(tmp_path / "o"), "--time", "when")
    assert result.exit_code == 1 and "no start date column 'when'" in result.output


def test_analysis_options_reach_each_period(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PLANTED)
    out = tmp_path / "o"
    result = run(str(path), "--out", str(out), "-q", "--method", "louvain", "--seed", "3", "--min-shared", "1",
                 "--min-community", "3", "--threshold", "0.3", "--top", "5")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "evolution.json").read_text())
    p = summary["parameters"]
    assert (p["method"], p["seed"], p["min_size"], p["threshold"], p["top"]) == ("louvain", 3, 3, 0.3, 5)
    assert summary["events"] == {"continuation": 1, "growth": 1, "contraction": 0, "merge": 1, "split": 1,
                                 "birth": 1, "death": 1}
    events = pd.read_csv(out / "community_events.csv")
    assert sorted(events["event"]) == ["birth", "continuation", "death", "growth", "merge", "merge", "split", "split"]


def test_the_page_speaks_italian_and_names_stay_text(tmp_path):
    path = tmp_path / "h.csv"
    rows = SMALL.replace("\nA,", f"\n\"{HOSTILE}\",").replace("B,P1", '"=HYPERLINK(""x"")",P1')
    path.write_text(rows)
    out = tmp_path / "o"
    assert run(str(path), "--out", str(out), "-q", "--lang", "it", "--min-community", "1").exit_code == 0
    page = (out / "index.html").read_text()
    assert '<html lang="it">' in page and "Come cambia h" in page and "I periodi in cifre" in page
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page
    over_time = (out / "partners_over_time.csv").read_text()
    assert "'=HYPERLINK" in over_time


def test_refuses_to_write_over_an_input(tmp_path):
    path = tmp_path / "periods.csv"
    path.write_text(SMALL)
    result = run(str(path), "--out", str(tmp_path))
    assert result.exit_code == 1 and "is an input file; choose another output folder with --out" in result.output
    assert path.read_text() == SMALL


def test_help_lists_the_options():
    result = CliRunner().invoke(cli, ["evolution", "--help"])
    for option in ("--time", "--time-end", "--window", "--step", "--cumulative", "--by", "--from", "--to",
                   "--threshold", "--min-community", "--top", "--min-dated", "--lang", "--method", "--partner"):
        assert option in result.output


def test_an_analysed_folder_gives_what_the_table_gives(tmp_path):
    """`ecosys evolution DIR` uses the participations `ecosys analyze` stored, with its options: the same files."""
    source = tmp_path / "planted.csv"
    source.write_text(PLANTED, encoding="utf-8")
    analysed = tmp_path / "analysed"
    result = CliRunner().invoke(cli, ["analyze", str(source), "--out", str(analysed), "--method", "louvain",
                                      "--seed", "3", "--no-trends", "-q"])
    assert result.exit_code == 0, result.output
    result = run(str(analysed), "--min-community", "3", "-q")
    assert result.exit_code == 0, result.output
    result = run(str(source), "--out", str(tmp_path / "direct"), "--method", "louvain", "--seed", "3",
                 "--min-community", "3", "-q")
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        if name in ("evolution.json", "index.html"):  # they name the input: the table, or the folder's table
            continue
        assert (analysed / "evolution" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes(), name
    stored = json.loads((analysed / "evolution" / "evolution.json").read_text())
    assert stored["parameters"]["method"] == "louvain" and stored["parameters"]["seed"] == 3
    # reading options are refused, analysis options must be those of the folder
    result = CliRunner().invoke(cli, ["evolution", str(analysed), "--partner", "org"])
    assert result.exit_code == 2 and "says how to read a table" in result.output
    result = CliRunner().invoke(cli, ["evolution", str(analysed), "--method", "leiden"])
    assert result.exit_code == 2 and "was analysed with --method louvain" in result.output
