"""Which table holds the participations: the generic rules (ecosys.read.plan)."""

from __future__ import annotations

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
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
