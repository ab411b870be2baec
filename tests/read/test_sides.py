"""Attribute columns sorted into partner, project and participation attributes (ecosys.read.sides)."""

from __future__ import annotations

import pandas as pd


from ecosys.read import read_participations
from ecosys.read.sides import Sides, attribute_sides
from .files import write


def test_attributes_are_classified_by_where_they_are_constant(tmp_path):
    data = (
        b"partner,project,role,country,start\n"
        b"A,P1,lead,IT,2020\n"
        b"A,P2,partner,IT,2021\n"
        b"B,P1,partner,FR,2020\n"
        b"B,P2,lead,FR,2021\n"
    )
    p = read_participations(write(tmp_path, "attrs.csv", data))
    assert p.partner_attributes == ("country",)
    assert p.project_attributes == ("start",)
    assert p.edge_attributes == ("role",)


# -- attribute_sides ---------------------------------------------------------------------------

def table(**columns):
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})


def test_a_column_constant_on_both_sides_goes_where_more_nodes_agree():
    # "x" is constant per partner and per project; partners A and B each have two agreeing rows,
    # the projects one row each: the partners' side has the evidence
    t = table(partner=["A", "A", "B", "B"], project=["P1", "P2", "P3", "P4"], x=["1", "1", "2", "2"])
    assert attribute_sides(t, ["x"]) == Sides(("x",), (), ())


def test_without_evidence_the_name_decides():
    # one row per partner and per project: constant on both sides, with no node having two rows
    t = table(partner=["A", "B"], project=["P1", "P2"], start=["2020", "2021"], kind_of=["a", "b"],
              role=["lead", "partner"], budget=["1", "2"])
    assert attribute_sides(t, ["start", "kind_of", "role", "budget"]) == Sides(("kind_of",), ("start", "budget"), ("role",))


def test_a_column_that_varies_within_partners_and_projects_is_a_participation_attribute():
    t = table(partner=["A", "A", "B"], project=["P1", "P2", "P1"], amount=["1", "2", "3"])
    assert attribute_sides(t, ["amount"]) == Sides((), (), ("amount",))


def test_blank_cells_do_not_count_as_a_different_value():
    t = table(partner=["A", "A", "B", "B"], project=["P1", "P2", "P1", "P2"], city=["Roma", "", "", "Pisa"])
    assert attribute_sides(t, ["city"]) == Sides(("city",), (), ())


def test_a_tie_in_evidence_goes_to_the_project_by_name_else_to_the_partner():
    t = table(partner=["A", "A", "B", "B"], project=["P1", "P1", "P2", "P2"], status=["x", "x", "y", "y"],
              label=["x", "x", "y", "y"])
    assert attribute_sides(t, ["status", "label"]) == Sides(("label",), ("status",), ())
