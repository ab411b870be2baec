"""From a plan to participations: blank and repeated rows, the table's columns and types (ecosys.read.assemble)."""

from __future__ import annotations

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.assemble import assemble
from ecosys.read.plan import Plan
from ecosys.read.tables import read_tables
from .files import pairs, records, write


def test_every_line_skipped_as_malformed_is_not_called_a_header_without_rows(tmp_path):
    path = write(tmp_path, "t.csv", b"partner,project\nA,B,C\nD,E,F\n")
    with pytest.raises(InputError) as info:
        read_participations(path, skip_bad_lines=True)
    assert str(info.value) == (
        f"{path}: no participations left: every line has more fields than the header (2): lines 2, 3; "
        "check the separator or the quoting"
    )


def test_repeated_rows_are_counted_once_and_reported_with_their_lines(tmp_path):
    data = b"partner;project\r\nA;P1\r\nB;P1\r\nA;P1\r\n A ;P1 \r\nB;P2\r\nB;P1\r\n"
    path = write(tmp_path, "dupes.csv", data)
    p = read_participations(path)
    assert pairs(p) == [("A", "P1", 2), ("B", "P1", 3), ("B", "P2", 6)]
    assert p.duplicate_rows == 3
    assert p.rows_read == 6
    assert len(p.warnings) == 1
    assert str(path) in p.warnings[0]
    assert "3 repeated" in p.warnings[0]
    assert "lines 4, 5, 7" in p.warnings[0]


def test_rows_with_blank_partner_or_project_are_skipped_with_their_lines(tmp_path):
    data = b"partner,project,role\nA,P1,lead\n,P1,partner\nB,  ,partner\n\xc2\xa0,P2,x\nC,P2,lead\n"
    path = write(tmp_path, "blanks.csv", data)
    p = read_participations(path)
    assert pairs(p) == [("A", "P1", 2), ("C", "P2", 6)]
    assert p.skipped_rows == (3, 4, 5)
    assert p.rows_read == 5
    assert len(p.warnings) == 1
    assert str(path) in p.warnings[0]
    assert "lines 3, 4, 5" in p.warnings[0]


def test_table_columns_are_partner_project_row_then_the_others_as_text(tmp_path):
    p = read_participations(write(tmp_path, "cols.csv", b"role,Organisation,amount,Project\nlead,A,100,P1\n"))
    assert list(p.table.columns) == ["partner", "project", "row", "role", "amount"]
    assert records(p) == [{"partner": "A", "project": "P1", "row": 2, "role": "lead", "amount": "100"}]


def test_columns_named_like_node_attributes_are_renamed(tmp_path):
    p = read_participations(write(tmp_path, "t.csv", b"partner,project,name,kind\nA,P,Alpha,x\n"))
    assert records(p) == [{"partner": "A", "project": "P", "row": 2, "name (2)": "Alpha", "kind (2)": "x"}]


def test_keys_and_node_attributes_are_categories_of_python_texts_edge_attributes_python_texts(tmp_path):
    main = write(tmp_path, "p.csv", b"partner,project,role,country\nA2,P,x,IT\nA1,P,y,FR\nA2,Q,y,IT\n")
    orgs = write(tmp_path, "o.csv", b"partner,name\nA1,Alpha\nA2,Beta\n")
    p = read_participations(main, partners=orgs)
    assert {c: str(t) for c, t in p.table.dtypes.items()} == {
        "partner": "category", "project": "category", "row": "int64", "role": "object", "country": "category",
        "name (o)": "category",
    }
    for column in ("partner", "project", "country", "name (o)"):  # sorted, Python texts, none unused
        categories = p.table[column].cat.categories
        assert categories.dtype == object and list(categories) == sorted(set(p.table[column].tolist()))
    assert p.table["partner"].tolist() == ["A2", "A1", "A2"] and p.table["name (o)"].tolist() == ["Beta", "Alpha", "Beta"]
    assert p.table["role"].tolist() == ["x", "y", "y"] and type(p.table["role"][0]) is str


# -- assemble ----------------------------------------------------------------------------------

def test_assemble_a_plan_made_by_hand(tmp_path):
    """A recogniser's plan: key columns it made, described to the user by their own names."""
    main = read_tables(write(tmp_path, "t.csv", b"org,country,acronym\nACME,IT,X\nUniBo,IT,X\nACME,IT,X\n"))[0]
    main.frame["key"] = main.frame["org"] + " (" + main.frame["country"] + ")"
    plan = Plan(main, "key", "acronym", partner_label="org", partner_column="org + country", notes=["other.csv: not used"])
    p = assemble(plan, "t", "the table", "/abs/t.csv", {})
    assert pairs(p) == [("ACME (IT)", "X", 2), ("UniBo (IT)", "X", 3)]
    assert (p.name, p.source, p.path, p.partner_column, p.project_column) == (
        "t", "the table", "/abs/t.csv", "org + country", "acronym")
    assert (p.partner_attributes, p.project_attributes, p.edge_attributes) == (("org",), ("country",), ())
    assert (p.partner_label, p.project_label, p.rows_read, p.duplicate_rows) == ("org", None, 3, 1)
    assert p.warnings == (f"{main.label}: 1 repeated partner-project pair counted once (line 4)", "other.csv: not used")
    assert p.report.notes == ("other.csv: not used",)
