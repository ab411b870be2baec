"""Alias tables read and applied (ecosys.read.aliases)."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosys.errors import InputError
from ecosys.read import read_aliases, read_participations
from ecosys.read.aliases import apply_aliases, partner_labels
from ecosys.read.plan import AttributeTable, Plan
from ecosys.read.tables import read_tables
from .files import pairs, write


def test_aliases_merge_names_before_anything_else(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nMax-Planck-Gesellschaft,P1\nMax Planck Gesellschaft,P2\nMPG,P2\n")
    aliases = write(tmp_path, "aliases.csv",
                    b"name,canonical\nMax-Planck-Gesellschaft,Max Planck Gesellschaft\nMPG,Max-Planck-Gesellschaft\n")
    p = read_participations(main, aliases=aliases)
    assert pairs(p) == [("Max Planck Gesellschaft", "P1", 2), ("Max Planck Gesellschaft", "P2", 3)]
    assert p.duplicate_rows == 1
    assert p.warnings[0] == f"{main}: 2 partner names merged by the aliases"
    assert main.read_bytes().startswith(b"partner,project\nMax-Planck")


def test_aliases_by_display_name_move_rows_to_the_canonical_id(tmp_path):
    main = write(tmp_path, "t.csv", b"pic,project,legal_name\n1,P1,UniBo\n2,P2,Universita di Bologna\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical\nUniversita di Bologna,UniBo\n")
    p = read_participations(main, aliases=aliases)
    assert pairs(p) == [("1", "P1", 2), ("1", "P2", 3)]


def test_alias_table_with_a_blank_canonical_name(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical\nA,B\nC,\n")
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=aliases)
    assert str(info.value) == (
        f"{aliases}, line 3, column 'canonical': blank; expected two filled columns, a name and its canonical spelling"
    )


def test_alias_table_without_header_keeps_its_first_row_as_written(tmp_path):
    # the first row is data: not renamed as a header would be ("ACME (2)", "column 1")
    main = write(tmp_path, "t.csv", b"partner,project\nACME,P1\nFoo,P1\n")
    aliases = write(tmp_path, "a.csv", b"ACME,ACME\nFoo,Bar\n")
    assert pairs(read_participations(main, aliases=aliases)) == [("ACME", "P1", 2), ("Bar", "P1", 3)]
    blank = write(tmp_path, "b.csv", b",Bar\nFoo,Bar\n")
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=blank)
    assert str(info.value) == (
        f"{blank}, line 1, column 1: blank; expected two filled columns, a name and its canonical spelling"
    )


@pytest.mark.parametrize("data, found", [
    (b"name,canonical,note\nA,B,checked\n", "3: 'name', 'canonical', 'note'"),
    (b"A,B,C\nD,E,F\n", "3: 'A', 'B', 'C'"),
    (b"name\nA\n", "1: 'name'"),
])
def test_alias_table_with_other_than_two_columns_is_refused(tmp_path, data, found):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", data)
    with pytest.raises(InputError) as info:
        read_participations(main, aliases=aliases)
    assert str(info.value) == (f"{aliases}: an alias table has two columns, a name and its canonical spelling (under a "
                               f"header, 'country', 'id', 'rows', 'projects' may follow); found {found}")


def test_the_columns_validate_adds_for_the_reviewer_are_left_aside(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nACME SRL,P1\nAcme,P2\n=cmd,P3\n")
    aliases = write(tmp_path, "a.csv", (
        "name,canonical,country,id,rows,projects\n"
        "ACME SRL,ACME SRL,IT,,1,P1\n"  # the canonical spelling's own row: nothing to merge
        "Acme,ACME SRL,IT,,1,P2\n"
        "'=cmd,ACME SRL,IT,,1,P3\n"  # a name a spreadsheet would run, written after an apostrophe
    ).encode())
    p = read_participations(main, aliases=aliases)
    assert p.table["partner"].tolist() == ["ACME SRL"] * 3
    # without a header the same columns are refused: they may be a mistake
    plain = write(tmp_path, "b.csv", b"Acme,ACME SRL,IT\n")
    with pytest.raises(InputError, match="found 3: 'Acme', 'ACME SRL', 'IT'"):
        read_participations(main, aliases=plain)


def test_alias_table_with_trailing_separators_is_read(tmp_path):
    main = write(tmp_path, "t.csv", b"partner,project\nA,P\n")
    aliases = write(tmp_path, "a.csv", b"name,canonical,\r\nA,B,\r\n")
    assert pairs(read_participations(main, aliases=aliases)) == [("B", "P", 2)]


def test_aliases_by_display_name_from_a_partners_table(tmp_path):
    main = write(tmp_path, "edges.csv", b"org_id,project\nA1,P1\nA2,P2\nB1,P2\n")
    orgs = write(tmp_path, "orgs.csv", b"org_id,name\nA1,Alpha\nA2,Alpha GmbH\nB1,Beta\n")
    aliases = write(tmp_path, "aliases.csv", b"name,canonical\nAlpha GmbH,Alpha\n")
    p = read_participations(main, partners=orgs, aliases=aliases)
    assert pairs(p) == [("A1", "P1", 2), ("A1", "P2", 3), ("B1", "P2", 4)]
    assert p.table["name (orgs)"].tolist() == ["Alpha", "Alpha", "Beta"]
    assert p.warnings == (f"{main}: 1 partner name merged by the aliases",)


# -- the helpers of ecosys.read.aliases --------------------------------------------------------

def test_read_aliases_follows_chains_and_stops_at_cycles(tmp_path):
    path = write(tmp_path, "a.csv", b"alias;canonical\nA;B\nB;C\n X  Y ;X Y\nP;Q\nQ;P\n")
    assert read_aliases(path) == {"A": "C", "B": "C", "Q": "P"}  # a cycle ends at one of its names


def test_apply_aliases_replaces_keys_and_counts_the_names_merged():
    names = pd.Series(["MPG", "Max-Planck", "MPG", "UniBo"])
    merged, count = apply_aliases(names, None, {"MPG": "Max Planck", "Max-Planck": "Max Planck", "Other": "X"})
    assert (merged.tolist(), count) == (["Max Planck", "Max Planck", "Max Planck", "UniBo"], 2)


def test_apply_aliases_by_display_name_moves_rows_to_the_id_with_the_canonical_name():
    ids = pd.Series(["1", "2", "3"])
    labels = pd.Series(["UniBo", " Universita  di Bologna", "ACME"])
    moved, count = apply_aliases(ids, labels, {"Universita di Bologna": "UniBo", "ACME": "Nobody"})
    assert (moved.tolist(), count) == (["1", "1", "3"], 1)  # no id is named "Nobody": ACME stays


def test_partner_labels_come_from_the_participations_or_the_partners_table(tmp_path):
    main = read_tables(write(tmp_path, "p.csv", b"pic,project,legal_name\n1,P,ACME\n"))[0]
    plan = Plan(main, "pic", "project", partner_label="legal_name")
    assert partner_labels(plan, pd.Series(["1"])).tolist() == ["ACME"]
    orgs = read_tables(write(tmp_path, "o.csv", b"pic,name\n1,Alpha\n1,Alpha bis\n2,Beta\n"))[0]
    plan = Plan(main, "pic", "project", attributes=[AttributeTable("partner", orgs, "pic", "name")])
    assert partner_labels(plan, pd.Series(["2", "1", "9"])).tolist() == ["Beta", "Alpha", ""]
    assert partner_labels(Plan(main, "pic", "project"), pd.Series(["1"])) is None
