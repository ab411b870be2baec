"""Attribute columns sorted into partner, project and participation attributes (ecosys.read.sides)."""

from __future__ import annotations

import pandas as pd
import pytest


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


# -- by majority ---------------------------------------------------------------------------------

def majority_table(n_partners=20, odd="private"):
    """Partners with two rows each, all 'public' but one row of the first partner; and a blank and a case."""
    rows = []
    for i in range(n_partners):
        rows += [(f"org{i:02d}", "P1", "public"), (f"org{i:02d}", f"P{i + 2}", "Public" if i == 1 else "public")]
    rows[0] = ("org00", "P1", odd)
    rows.append(("org02", "P99", ""))  # a blank row: no disagreement
    rows.append(("org03", "P98", "n/a"))  # nor a missing value
    return rows


def csv_bytes(rows, header="org,project,status"):
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def test_a_column_is_a_partner_attribute_when_most_rows_agree_within_each_partner(tmp_path):
    # 40 filled rows of partners with two or more rows (a blank and an n/a aside), 1 off its partner's value
    p = read_participations(write(tmp_path, "t.csv", csv_bytes(majority_table())), label="t.csv")
    assert p.partner_attributes == ("status",) and p.edge_attributes == ()
    found = p.report.sides[0]
    assert (found.column, found.side, found.by) == ("status", "partner", "majority")
    assert (found.partner.nodes, found.partner.differing, found.partner.rows, found.partner.agreeing) == (20, 1, 40, 39)
    assert [(d.node, d.values) for d in found.partner.examples] == [("org00", (("private", 1), ("public", 1)))]
    assert p.warnings == (
        "t.csv: 'status' is a partner attribute by majority: it differs within 1 of 20 partners with two or more "
        "rows (98% of their rows agree with their partner's most frequent value, e.g. 'org00': 'private' 1 row, "
        "'public' 1 row); each partner's most frequent value is used",
    )


def test_each_partner_takes_its_most_frequent_value_in_the_columns_spelling(tmp_path):
    from ecosys.graph import build_network

    rows = majority_table()
    rows.append(("org00", "P97", "private"))  # org00: private 2, public 1
    net = build_network(read_participations(write(tmp_path, "t.csv", csv_bytes(rows))))
    status = dict(zip(net.partners["name"], net.partners["status"]))
    assert status["org00"] == "private"
    assert status["org01"] == "public"  # "public" and "Public": one value, spelled as the column mostly does
    assert status["org03"] == "public"  # n/a counts only for a partner with nothing else
    assert set(net.partners["status"]) == {"public", "private"}


def test_below_the_majority_a_column_stays_on_the_participation(tmp_path):
    rows = majority_table(n_partners=5)  # 1 row off of 10: 90% agree
    p = read_participations(write(tmp_path, "t.csv", csv_bytes(rows)))
    assert p.edge_attributes == ("status",) and p.warnings == ()


def test_a_column_named_as_the_participations_needs_every_row_to_agree(tmp_path):
    p = read_participations(write(tmp_path, "t.csv", csv_bytes(majority_table(), "org,project,role")))
    assert p.edge_attributes == ("role",)


def test_case_spacing_blanks_and_missing_values_are_no_disagreement():
    t = table(partner=["A", "A", "A", "B", "B"], project=["P1", "P2", "P3", "P1", "P2"],
              status=["Public", " public ", "n/a", "private", ""])
    assert attribute_sides(t, ["status"]) == Sides(("status",), (), ())


def test_aliases_never_move_a_column_to_another_side(tmp_path):
    # two partners in two countries merged by a (wrong) alias: country stays a partner attribute
    data = b"org,project,country\nACME,P1,IT\nACME,P2,IT\nAcme SA,P3,FR\nAcme SA,P4,FR\nUniBo,P1,IT\nUniBo,P2,IT\n"
    path = write(tmp_path, "t.csv", data)
    p = read_participations(path, aliases={"Acme SA": "ACME"}, label="t.csv")
    assert p.partner_attributes == ("country",)
    found = p.report.sides[0]
    assert (found.side, found.by, found.partner.differing) == ("partner", "values", 1)
    assert p.warnings[-1] == (
        "t.csv: 'country' is a partner attribute, but after the aliases it differs within 1 of 2 partners with two "
        "or more rows (67% of their rows agree with their partner's most frequent value, e.g. 'ACME': 'IT' 2 rows, "
        "'FR' 2 rows); each partner's most frequent value is used"
    )


# -- chosen by hand ------------------------------------------------------------------------------

def test_partner_and_project_attributes_chosen_by_hand(tmp_path):
    data = b"org,project,role,Legal Status,year\nA,P1,lead,public,2020\nA,P2,partner,private,2021\nB,P1,partner,x,2020\n"
    path = write(tmp_path, "t.csv", data)
    assert read_participations(path).edge_attributes == ("role", "Legal Status")
    p = read_participations(path, partner_attributes=["legal status,role"], project_attributes="year", label="t.csv")
    assert (p.partner_attributes, p.project_attributes, p.edge_attributes) == (("role", "Legal Status"), ("year",), ())
    assert [(c.column, c.side, c.by) for c in p.report.sides] == [
        ("role", "partner", "option"), ("Legal Status", "partner", "option"), ("year", "project", "option")]
    assert p.warnings[0].startswith("t.csv: 'role' is a partner attribute: as --partner-attributes says: it differs "
                                    "within 1 of 1 partners with two or more rows")


@pytest.mark.parametrize("options, message", [
    ({"partner_attributes": ["colour"]},
     "t.csv: no column 'colour' for --partner-attributes; columns are: 'role', 'year'"),
    ({"partner_attributes": ["org"]}, "t.csv: 'org' is a key column (the partner or project itself); "
                                      "--partner-attributes names other columns"),
    ({"partner_attributes": ["year"], "project_attributes": ["YEAR"]},
     "t.csv: 'year' is in both --partner-attributes and --project-attributes; choose one"),
])
def test_a_column_chosen_by_hand_must_be_one_that_can_go_there(tmp_path, options, message):
    from ecosys.errors import InputError

    path = write(tmp_path, "t.csv", b"org,project,role,year\nA,P1,lead,2020\n")
    with pytest.raises(InputError) as info:
        read_participations(path, label="t.csv", **options)
    assert str(info.value) == message


def test_a_display_name_or_a_joined_column_stays_on_its_side(tmp_path):
    from ecosys.errors import InputError

    main = write(tmp_path, "t.csv", b"pic,project,legal_name\n1,P1,ACME\n")
    with pytest.raises(InputError, match="'legal_name' holds the partners' names; it cannot be a project attribute"):
        read_participations(main, project_attributes=["legal_name"])
    orgs = write(tmp_path, "orgs.csv", b"id,country\n1,IT\n")
    with pytest.raises(InputError, match="'country' comes from the partners table; it cannot be a project attribute"):
        read_participations(main, partners=orgs, project_attributes=["country"])
    assert read_participations(main, partners=orgs, partner_attributes=["country"]).partner_attributes[-1] == "country"


# -- --group-by ----------------------------------------------------------------------------------

def test_group_by_says_where_the_attribute_went_and_why(tmp_path):
    from ecosys.errors import EcosysError
    from ecosys.pipeline import analyze

    rows = majority_table(n_partners=5)
    path = write(tmp_path, "t.csv", csv_bytes(rows, "org,project,Legal Status"))
    with pytest.raises(EcosysError) as info:
        analyze(path, group_by="Legal Status", label="t.csv")
    assert str(info.value) == (
        "t.csv: cannot group brokers by 'Legal Status': 'Legal Status' is a participation attribute: it differs "
        "within 1 of 5 partners with two or more rows (90% of their rows agree with their partner's most frequent "
        "value, e.g. 'org00': 'private' 1 row, 'public' 1 row); use --partner-attributes 'Legal Status' to take each "
        "partner's most frequent value"
    )
    result = analyze(path, group_by="Legal Status", partner_attributes=["Legal Status"])
    status = dict(zip(result.partners()["name"], result.partners()["Legal Status"]))
    assert status["org00"] == "private" and status["org01"] == "public"  # org00: private 1, public 1: the first met
    with pytest.raises(EcosysError, match="no column 'legal status'; did you mean 'Legal Status' "
                                          r"\(a participation attribute\)\?"):
        analyze(path, group_by="legal status")


def test_real_partner_attributes_by_majority(shared_data):
    from ecosys.names import validation_report  # noqa: F401  (the same reading as validate)

    keep = read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv")
    assert {"Legal Status", "Country code"} <= set(keep.partner_attributes)
    legal = next(c for c in keep.report.sides if c.column == "Legal Status")
    assert (legal.by, legal.partner.nodes, legal.partner.differing) == ("majority", 912, 64)
    plus = read_participations(shared_data / "cordis-swissparticipation" / "cordis-plus-2014.csv")
    entity = next(c for c in plus.report.sides if c.column == "legal_entity_type")
    assert (entity.side, entity.by, entity.partner.differing, entity.partner.nodes) == ("partner", "majority", 8, 1419)


def test_node_values_and_agreements_equal_a_count_by_hand_on_random_columns():
    """Agreement and each node's value, counted without sorting for the nodes whose rows hold one value
    and by sorting for the others, equal a count by hand of every node's rows (ties: the first met)."""
    import numpy as np

    from ecosys.read.majority import agreement, node_values

    rng = np.random.default_rng(3)
    for trial in range(200):
        n_rows, n_nodes = int(rng.integers(1, 60)), int(rng.integers(1, 12))
        nodes = rng.integers(0, n_nodes, n_rows)
        words = ["a", "b", "c", "", "x"][: int(rng.integers(1, 6))]
        single = rng.random(n_nodes) < 0.6  # most nodes hold one value, some several
        own = rng.choice(words, n_nodes)
        values = np.array([own[k] if single[k] else rng.choice(words) for k in nodes], dtype=object)
        expected_values, nodes_two, differing, rows, agreeing = [], 0, 0, 0, 0
        for k in range(n_nodes):
            mine = [v for node, v in zip(nodes, values) if node == k and v != ""]
            counts = {}
            for v in mine:  # in the order first met
                counts[v] = counts.get(v, 0) + 1
            best = max(counts.values(), default=0)
            expected_values.append(next((v for v, c in counts.items() if c == best), ""))
            if len(mine) >= 2:
                nodes_two += 1
                differing += len(counts) > 1
                rows += len(mine)
                agreeing += best
        assert node_values(nodes, n_nodes, values).tolist() == expected_values, trial
        a = agreement(nodes, values)
        assert (a.nodes, a.differing, a.rows, a.agreeing) == (nodes_two, differing, rows, agreeing), trial
