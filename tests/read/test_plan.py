"""Which table holds the participations: the generic rules (ecosys.read.plan)."""

from __future__ import annotations

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.plan import AttributeTable, generic_plan
from ecosys.read.tables import read_folder
from .files import pairs, workbook, write


def test_first_sheet_without_the_columns_names_the_sheet_that_has_them(tmp_path):
    path = workbook(tmp_path, {"Notes": [["nothing", "here"], ["x", "y"]], "Dati": [["partner", "project"], ["A", "P"]]})
    with pytest.raises(InputError) as info:
        read_participations(path)
    assert str(info.value).endswith("; name it with --partner COLUMN; or read the sheet that has them with --sheet 'Dati'")
    assert pairs(read_participations(path, sheet="Dati")) == [("A", "P", 2)]


def test_folder_without_a_participation_table(tmp_path):
    write(tmp_path, "orgs.csv", b"code,name\nA,Alpha\n")
    with pytest.raises(InputError) as info:
        read_participations(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: is a folder with no participation table in it")


# -- generic_plan ------------------------------------------------------------------------------

def tables_of(tmp_path, files: dict[str, bytes]):
    for name, data in files.items():
        write(tmp_path, name, data)
    return read_folder(tmp_path, str(tmp_path))


def test_generic_plan_of_a_folder_takes_the_largest_table_with_both_columns(tmp_path):
    tables = tables_of(tmp_path, {
        "a_small.csv": b"partner,project\nA,P\n",
        "b_large.csv": b"partner,project\nA,P\nB,P\nC,Q\n",
        "c_orgs.csv": b"partner_id,name\nA,Alpha\n",
    })
    plan = generic_plan(tables, None, None, str(tmp_path), is_folder=True)
    assert plan.main.label.endswith("b_large.csv")
    assert (plan.partner, plan.project, plan.partner_label, plan.project_label) == ("partner", "project", None, None)
    assert (plan.attributes, plan.notes, plan.partner_column, plan.project_column) == ([], [], None, None)


def test_generic_plan_with_named_columns_and_labels_beside_ids(tmp_path):
    tables = tables_of(tmp_path, {"t.csv": b"Codice,pic,name,acronym\nC1,1,ACME,X\n"})
    plan = generic_plan(tables, "pic", "codice", "t.csv", is_folder=False)
    assert (plan.partner, plan.project, plan.partner_label, plan.project_label) == ("pic", "Codice", "name", None)


def test_generic_plan_gives_one_label_column_to_one_side_only(tmp_path):
    tables = tables_of(tmp_path, {"t.csv": b"org_id,project_id,name\n1,10,Alpha\n"})
    plan = generic_plan(tables, None, None, "t.csv", is_folder=False)
    assert (plan.partner_label, plan.project_label) == ("name", None)


def test_an_attribute_table_finds_its_columns_unless_told():
    t = AttributeTable("partner", table=None)
    assert (t.id_column, t.label_column, t.find_label) == (None, None, True)
