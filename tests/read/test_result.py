"""The typed result of reading: Participations and its ReadReport (ecosys.read.result)."""

from __future__ import annotations

import dataclasses

import pytest

from ecosys.read import BadLine, JoinedTable, Participations, ReadReport, read_participations
from .files import ORGS, PARTICIPATIONS, PROJECTS, workbook, write


def test_the_report_lists_bad_lines_blank_rows_and_repeated_pairs(tmp_path):
    data = b"org,project,role\nA,P1,lead\n,P1,x\nA,P1,again\nB,P1,x,extra\nB, ,x\nB,P2,x\n"
    p = read_participations(write(tmp_path, "t.csv", data), skip_bad_lines=True)
    assert p.report == ReadReport(
        word="line", bad_lines=(BadLine(5, "4 fields where the header has 3"),), blank_rows=(3, 6),
        repeated_pairs=(4,), joined=(), aliases_merged=0, notes=())
    assert (p.skipped_rows, p.duplicate_rows) == ((3, 5, 6), 1)
    assert p.report.labels == {}


def test_a_workbook_report_counts_sheet_rows(tmp_path):
    path = workbook(tmp_path, {"S": [["partner", "project"], ["A", "P"], [None, "P"], ["A", "P"]]})
    assert read_participations(path).report == ReadReport(word="row", blank_rows=(3,), repeated_pairs=(4,))


def test_the_report_keeps_every_name_of_each_id_before_repeats_are_dropped(tmp_path):
    data = b"pic,project_id,legal_name\n1,P1,ACME\n1,P2,ACME srl\n1,P2,ACME s.r.l.\n,P3,Nobody\n"
    p = read_participations(write(tmp_path, "t.csv", data))
    assert list(p.report.labels) == ["partner"]
    assert p.report.labels["partner"].to_dict("records") == [
        {"id": "1", "label": "ACME"}, {"id": "1", "label": "ACME srl"}, {"id": "1", "label": "ACME s.r.l."}]
    assert p.table["legal_name"].tolist() == ["ACME", "ACME srl"]


def test_the_report_describes_each_joined_table(tmp_path):
    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "orgs.csv", ORGS)
    projects = write(tmp_path, "projects.tsv", PROJECTS)
    p = read_participations(main, partners=orgs, projects=projects)
    assert p.report.joined == (
        JoinedTable(table=str(orgs), side="partner", id_column="id", label_column="legal name", rows=4,
                    repeated_ids=(4,), unmatched_ids=("999",)),
        JoinedTable(table=str(projects), side="project", id_column="rcn", label_column="acronym", rows=2),
    )
    assert p.report.joined[1].labels.to_dict("records") == [{"id": "10", "label": "ALPHA"},
                                                           {"id": "11", "label": "BETA"}]


def test_the_report_counts_aliases_and_notes_the_tables_not_used(tmp_path):
    write(tmp_path, "edges.csv", b"org,project\nMPG,P1\nMax Planck,P2\n")
    write(tmp_path, "budget.csv", b"year,amount\n2020,100\n")
    aliases = tmp_path.parent / f"{tmp_path.name}-aliases.csv"
    aliases.write_bytes(b"name,canonical\nMPG,Max Planck\n")
    p = read_participations(tmp_path, aliases=aliases)
    assert p.report.aliases_merged == 1
    assert p.report.notes == (f"{tmp_path}/budget.csv: not used (none of its columns holds the partner or project ids)",)
    assert p.warnings[-1] == p.report.notes[0]


def test_the_report_is_a_frozen_value_left_out_of_comparisons_and_the_repr(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,project\nA,P\nA,P\n")
    p = read_participations(path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.report.blank_rows = ()
    same = dataclasses.replace(p, report=ReadReport())
    assert same.report != p.report and same == dataclasses.replace(p, table=p.table)
    assert "report=" not in repr(p)
    assert "labels=" not in repr(p.report)
    assert {f.name: f.compare for f in dataclasses.fields(Participations)}["report"] is False


def test_participations_made_by_hand_get_an_empty_report():
    p = Participations(table=None, name="n", source="s", path=None, sha256="", format="csv", encoding="utf-8",
                       separator=",", partner_column="a", project_column="b", partner_attributes=(),
                       project_attributes=(), edge_attributes=(), rows_read=0, duplicate_rows=0, skipped_rows=())
    assert p.report == ReadReport()
