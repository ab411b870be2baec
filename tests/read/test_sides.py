"""Attribute columns sorted into partner, project and participation attributes (ecosys.read.sides)."""

from __future__ import annotations


from ecosys.read import read_participations
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
