"""Partner and project tables joined by id: found, matched, reported (ecosys.read.join)."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.join import find_attribute_tables, join, resolve_columns
from ecosys.read.plan import AttributeTable, generic_plan
from ecosys.read.result import BadLine, JoinedTable
from ecosys.read.tables import read_tables
from .files import ORGS, PARTICIPATIONS, PROJECTS, records, workbook, write


def test_partner_and_project_tables_are_joined_by_id(tmp_path):
    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "orgs.csv", ORGS)
    projects = write(tmp_path, "projects.tsv", PROJECTS)
    p = read_participations(main, partners=orgs, projects=projects)
    assert records(p) == [
        {"partner": "1", "project": "10", "row": 2, "role": "lead", "legal name": "ACME srl", "country": "IT",
         "acronym": "ALPHA", "start": "2020"},
        {"partner": "2", "project": "10", "row": 3, "role": "partner", "legal name": "UniBo", "country": "IT",
         "acronym": "ALPHA", "start": "2020"},
        {"partner": "2", "project": "11", "row": 4, "role": "lead", "legal name": "UniBo", "country": "IT",
         "acronym": "BETA", "start": "2021"},
        {"partner": "999", "project": "11", "row": 5, "role": "partner", "legal name": "", "country": "",
         "acronym": "BETA", "start": "2021"},
    ]
    assert (p.partner_label, p.project_label) == ("legal name", "acronym")
    assert (p.partner_attributes, p.project_attributes, p.edge_attributes) == (
        ("legal name", "country"), ("acronym", "start"), ("role",))
    assert p.warnings == (
        f"{orgs}: 1 repeated id in 'id', the first row of each used (line 4)",
        f"1 partner id of {main} is not in {orgs} (first: 999)",
    )


def test_id_and_label_columns_named_explicitly(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project\nA1,P\nB2,P\n")
    orgs = write(tmp_path, "o.csv", b"code,short,full\nA1,A,Alpha Ltd\nB2,B,Beta Ltd\n")
    p = read_participations(main, partners=orgs, partners_id="CODE", partners_label="full")
    assert p.partner_label == "full"
    assert p.table["full"].tolist() == ["Alpha Ltd", "Beta Ltd"]


def test_partner_table_without_the_ids_is_an_error(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project\nA1,P\n")
    orgs = write(tmp_path, "o.csv", b"code,name\nZZ,Zeta\n")
    with pytest.raises(InputError) as info:
        read_participations(main, partners=orgs)
    assert str(info.value) == (
        f"{orgs}: no column holds the partner ids of {main} (such as 'A1'); columns are: 'code', 'name'; "
        "name it with --partners-id COLUMN"
    )


def test_workbook_sheets_are_recognised_by_their_columns(tmp_path):
    path = workbook(tmp_path, {
        "Participations": [["pic", "rcn"], [111, 7], [222, 7]],
        "Projects": [["rcn", "title"], [7, "Seven"]],
        "Organisations": [["PIC", "name", "type"], [111, "One", "HES"], [222, "Two", "PRC"]],
    })
    p = read_participations(path)
    assert records(p) == [
        {"partner": "111", "project": "7", "row": 2, "name (Organisations)": "One", "type": "HES", "title": "Seven"},
        {"partner": "222", "project": "7", "row": 3, "name (Organisations)": "Two", "type": "PRC", "title": "Seven"},
    ]
    assert (p.partner_label, p.project_label) == ("name (Organisations)", "title")


def test_named_sheet_comes_first_and_the_other_sheets_are_still_joined(tmp_path):
    path = workbook(tmp_path, {
        "Organisations": [["pic", "name"], [1, "One"], [2, "Two"]],
        "Participations": [["pic", "rcn"], [1, 7], [2, 7]],
    })
    p = read_participations(path, sheet="Participations")
    assert records(p) == [
        {"partner": "1", "project": "7", "row": 2, "name (Organisations)": "One"},
        {"partner": "2", "project": "7", "row": 3, "name (Organisations)": "Two"},
    ]
    assert p.partner_label == "name (Organisations)"


def test_a_sheet_sharing_a_few_values_by_chance_is_not_joined(tmp_path):
    path = workbook(tmp_path, {
        "Participations": [["partner", "project"], ["1", "A"], ["2", "A"], ["3", "B"]],
        "Budget": [["year", "amount"], [1, 10], [2020, 20], [2021, 30], [2022, 40], [2023, 50]],
    })
    p = read_participations(path)
    assert list(p.table.columns) == ["partner", "project", "row"]
    assert p.warnings == (
        f"{path}, sheet 'Budget': not used (none of its columns holds the partner or project ids)",
    )


@pytest.mark.parametrize("option, expected", [
    ("aliases", "two columns, a name and its canonical spelling"),
    ("partners", "a header row, then one row per partner id"),
    ("projects", "a header row, then one row per project id"),
])
def test_an_empty_side_table_says_what_it_should_hold(tmp_path, option, expected):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    empty = write(tmp_path, "empty.csv", b"")
    with pytest.raises(InputError) as info:
        read_participations(main, **{option: empty})
    assert str(info.value) == f"{empty}: the file is empty; expected {expected}"


def test_cli_joins_partner_and_project_tables_into_the_outputs(tmp_path):
    import csv
    import json

    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "orgs.csv", ORGS)
    projects = write(tmp_path, "projects.tsv", PROJECTS)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(main), "--partners", str(orgs), "--projects", str(projects),
                                      "--partners-label", "legal name", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Warning: {orgs}: 1 repeated id in 'id', the first row of each used (line 4)",
        f"Warning: 1 partner id of {main} is not in {orgs} (first: 999)",
    ]
    with open(out / "partners.csv", newline="", encoding="utf-8") as f:
        partners = {r["node"]: r for r in csv.DictReader(f)}
    assert (partners["partner:2"]["legal name"], partners["partner:2"]["country"]) == ("UniBo", "IT")
    assert partners["partner:999"]["legal name"] == ""
    with open(out / "projects.csv", newline="", encoding="utf-8") as f:
        projects_out = {r["node"]: r for r in csv.DictReader(f)}
    assert (projects_out["project:11"]["acronym"], projects_out["project:11"]["start"]) == ("BETA", "2021")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["attributes"] == {
        "partner": ["legal name", "country"], "project": ["acronym", "start"], "participation": ["role"],
    }
    assert [main.read_bytes(), orgs.read_bytes(), projects.read_bytes()] == [PARTICIPATIONS, ORGS, PROJECTS]


# -- the helpers of ecosys.read.join -----------------------------------------------------------

def one_table(tmp_path, name, data):
    return read_tables(write(tmp_path, name, data))[0]


def main_plan(tmp_path, data=PARTICIPATIONS):
    return generic_plan([one_table(tmp_path, "participations.csv", data)], None, None, "participations.csv", False)


def test_find_attribute_tables_takes_per_side_the_table_holding_most_ids_and_notes_the_others(tmp_path):
    plan = main_plan(tmp_path)
    orgs = one_table(tmp_path, "orgs.csv", ORGS)
    fewer = one_table(tmp_path, "fewer.csv", b"code,x\n1,a\n")
    projects = one_table(tmp_path, "projects.tsv", PROJECTS)
    budget = one_table(tmp_path, "budget.csv", b"year,amount\n2020,100\n2021,200\n2022,300\n")
    found, notes = find_attribute_tables(plan, [fewer, orgs, budget, projects])
    assert [(a.side, a.table is t, a.id_column, a.label_column, a.find_label) for a, t in zip(found, [orgs, projects])] == [
        ("partner", True, "id", None, True), ("project", True, "rcn", None, True)]
    assert notes == [
        f"{fewer.label}: not used ({orgs.label} holds more of the partner ids)",
        f"{budget.label}: not used (none of its columns holds the partner or project ids)",
    ]
    assert find_attribute_tables(plan, []) == ([], [])


def test_resolve_columns_finds_or_checks_the_id_and_label_columns(tmp_path):
    orgs = one_table(tmp_path, "orgs.csv", ORGS)
    keys = {"1", "2", "999"}
    found = resolve_columns(AttributeTable("partner", orgs), keys, "p.csv")
    assert (found.id_column, found.label_column, found.find_label) == ("id", "legal name", False)
    named = resolve_columns(AttributeTable("partner", orgs, "ID", "COUNTRY"), keys, "p.csv")
    assert (named.id_column, named.label_column) == ("id", "country")
    unlabelled = resolve_columns(AttributeTable("partner", orgs, find_label=False), keys, "p.csv")
    assert (unlabelled.id_column, unlabelled.label_column) == ("id", None)
    with pytest.raises(InputError) as info:
        resolve_columns(AttributeTable("partner", orgs, "id", "nome"), keys, "p.csv")
    assert str(info.value) == f"{orgs.label}: no partner label column 'nome'; columns are: 'id', 'legal name', 'country'"


def test_join_adds_the_columns_and_reports_blank_repeated_and_unmatched_ids(tmp_path):
    orgs = one_table(tmp_path, "orgs.csv", ORGS + b";nobody;XX\n")
    table = pd.DataFrame({"partner": ["1", "2", "999"], "project": ["10", "10", "11"], "country": ["", "", ""]})
    attr = resolve_columns(AttributeTable("partner", orgs), {"1", "2", "999"}, "p.csv")
    joined = join(table, attr, "p.csv")
    assert joined.table.to_dict("records") == [
        {"partner": "1", "project": "10", "country": "", "legal name": "ACME srl", "country (orgs)": "IT"},
        {"partner": "2", "project": "10", "country": "", "legal name": "UniBo", "country (orgs)": "IT"},
        {"partner": "999", "project": "11", "country": "", "legal name": "", "country (orgs)": ""},
    ]
    assert (joined.added, joined.label_column) == (["legal name", "country (orgs)"], "legal name")
    assert joined.report == JoinedTable(
        table=orgs.label, side="partner", id_column="id", label_column="legal name", rows=5, word="line",
        blank_ids=(6,), repeated_ids=(4,), unmatched_ids=("999",), bad_lines=())
    assert joined.report.labels.to_dict("records") == [
        {"id": "1", "label": "ACME srl"}, {"id": "2", "label": "UniBo"}, {"id": "2", "label": "Universita di Bologna"},
        {"id": "3", "label": "Unused"}]
    assert joined.warnings == [
        f"{orgs.label}: skipped 1 line with a blank 'id': line 6",
        f"{orgs.label}: 1 repeated id in 'id', the first row of each used (line 4)",
        f"1 partner id of p.csv is not in {orgs.label} (first: 999)",
    ]


def test_join_leaves_out_columns_the_join_leaves_blank_and_reports_bad_lines(tmp_path):
    orgs = read_tables(write(tmp_path, "orgs.csv", b"id,note,name\n1,,A\n2,x,B,extra\n"), skip_bad_lines=True)[0]
    table = pd.DataFrame({"partner": ["1"], "project": ["P"]})
    joined = join(table, resolve_columns(AttributeTable("partner", orgs), {"1"}, "p.csv"), "p.csv")
    assert list(joined.table.columns) == ["partner", "project", "name (orgs)"]
    assert joined.report.bad_lines == (BadLine(3, "4 fields where the header has 3"),)
    assert joined.warnings == [f"{orgs.label}: skipped 1 malformed line (more fields than the header): line 3"]
