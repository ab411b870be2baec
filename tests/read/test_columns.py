"""Headers cleaned; partner, project and label columns found by name or named (ecosys.read.columns)."""

from __future__ import annotations

import pytest

from ecosys.errors import InputError
from ecosys.read import read_participations
from ecosys.read.columns import (
    PARTNER_LABEL_NAMES,
    PARTNER_NAMES,
    PROJECT_LABEL_NAMES,
    PROJECT_NAMES,
    clean_header,
    find_column,
    is_id_column,
    key_columns,
    label_beside,
    normal_header,
    pick_column,
)
from .files import pairs, records, write


def test_spaces_in_names_and_headers_are_cleaned(tmp_path):
    data = (
        "  Organisation  ;  Project Acronym ; Role \r\n"
        "  Università\u00a0\u00a0di   Bologna  ;  P1 ; lead \r\n"
        "Comune\u00a0di Milano;\u00a0P1\u00a0;partner\r\n"
    ).encode("utf-8")
    p = read_participations(write(tmp_path, "spaces.csv", data))
    assert (p.partner_column, p.project_column) == ("Organisation", "Project Acronym")
    assert records(p) == [
        {"partner": "Università di Bologna", "project": "P1", "row": 2, "Role": "lead"},
        {"partner": "Comune di Milano", "project": "P1", "row": 3, "Role": "partner"},
    ]


@pytest.mark.parametrize(
    "header, partner_column, project_column",
    [
        ("partner,project", "partner", "project"),
        ("PARTNER,PROJECT", "PARTNER", "PROJECT"),
        ("Organisation,Acronym", "Organisation", "Acronym"),
        ("organization,project_id", "organization", "project_id"),
        ("ORG,Project ID", "ORG", "Project ID"),
        ("Participant,projectAcronym", "Participant", "projectAcronym"),
        ("beneficiary,projectRcn", "beneficiary", "projectRcn"),
        ("new_org_id,projectRcn", "new_org_id", "projectRcn"),
        ("Partner Type,Organisation Name,Project Title", "Organisation Name", "Project Title"),
        ("projectID,role,organisationID", "organisationID", "projectID"),
    ],
)
def test_columns_are_found_by_common_names(tmp_path, header, partner_column, project_column):
    width = header.count(",") + 1
    row = ",".join(f"v{i}" for i in range(width))
    p = read_participations(write(tmp_path, "t.csv", f"{header}\n{row}\n".encode()))
    assert (p.partner_column, p.project_column) == (partner_column, project_column)
    columns = header.split(",")
    assert pairs(p) == [(f"v{columns.index(partner_column)}", f"v{columns.index(project_column)}", 2)]


def test_columns_named_explicitly_case_insensitively(tmp_path):
    path = write(tmp_path, "t.csv", b"Ente Capofila,Codice,Titolo\nA,C1,T1\nB,C1,T1\n")
    p = read_participations(path, partner="ente capofila", project="CODICE")
    assert (p.partner_column, p.project_column) == ("Ente Capofila", "Codice")
    assert pairs(p) == [("A", "C1", 2), ("B", "C1", 3)]
    assert p.project_attributes == ("Titolo",)


def test_explicit_project_column_when_another_column_is_named_project(tmp_path):
    data = b"partner,acronym,project\nA,P1,Long title one\nB,P1,Long title one\nB,P2,Other title\n"
    p = read_participations(write(tmp_path, "t.csv", data), project="acronym")
    assert p.project_column == "acronym"
    assert [(a, b) for a, b, _ in pairs(p)] == [("A", "P1"), ("B", "P1"), ("B", "P2")]


def test_explicit_partner_column_when_another_column_is_named_partner(tmp_path):
    data = b"org,project,partner\nA,P1,yes\nB,P1,no\n"
    p = read_participations(write(tmp_path, "t.csv", data), partner="org")
    assert p.partner_column == "org"
    assert [(a, b) for a, b, _ in pairs(p)] == [("A", "P1"), ("B", "P1")]


def test_partner_option_naming_a_missing_column(tmp_path):
    path = write(tmp_path, "t.csv", b"org,project\nA,P1\n")
    with pytest.raises(InputError) as info:
        read_participations(path, partner="Ente")
    assert str(info.value) == f"{path}: no partner column 'Ente'; columns are: 'org', 'project'"


def test_a_blank_name_column_is_no_label(tmp_path):
    p = read_participations(write(tmp_path, "t.csv", b"pic,project_id,legal_name,project_acronym\n1,10,,X\n2,10,,X\n"))
    assert (p.partner_label, p.project_label) == (None, "project_acronym")


# -- the helpers of ecosys.read.columns --------------------------------------------------------

@pytest.mark.parametrize("header, normal", [
    ("projectRcn", "project rcn"), ("Project RCN", "project rcn"), ("project_rcn", "project rcn"),
    ("  Legal-Name  ", "legal name"), ("organisationID", "organisation id"), ("N°", "n"), ("", ""),
])
def test_normal_header(header, normal):
    assert normal_header(header) == normal


def test_clean_header_names_blanks_and_numbers_repeats():
    assert clean_header([" city ", "", "city", "city", "row", "a\u00a0 b"]) == [
        "city", "column 2", "city (2)", "city (3)", "row (2)", "a b"]


@pytest.mark.parametrize("column, is_id", [
    ("pic", True), ("project_id", True), ("organisationID", True), ("Codice", False), ("code", True),
    ("legal_name", False), ("acronym", False), ("Ref. No", True),
])
def test_is_id_column(column, is_id):
    assert is_id_column(column) is is_id


def test_find_column_is_case_and_space_insensitive_and_says_what_exists():
    assert find_column(["Ente Capofila", "Codice"], " ente capofila ", "partner", "t.csv") == "Ente Capofila"
    with pytest.raises(InputError) as info:
        find_column(["a", "b"], "c", "partners label", "o.csv")
    assert str(info.value) == "o.csv: no partners label column 'c'; columns are: 'a', 'b'"


def test_pick_column_takes_exact_names_first_then_whole_words_but_no_attribute():
    names = PARTNER_NAMES
    assert pick_column(["Organisation Name", "partner"], None, names, "partner", "t", None) == "partner"
    assert pick_column(["Lead partner org"], None, names, "partner", "t", None) == "Lead partner org"
    with pytest.raises(InputError) as info:
        pick_column(["partner type", "partner country"], None, names, "partner", "t", None)
    assert str(info.value) == (
        "t: no partner column found (looked for a header such as 'partner', 'partner name', 'organisation', "
        "'organization'); columns are: 'partner type', 'partner country'; name it with --partner COLUMN"
    )
    assert pick_column(["project", "Project Name"], None, PROJECT_NAMES, "project", "t", "project") == "Project Name"


def test_key_columns_refuses_one_column_for_both():
    assert key_columns(["Ente", "Progetto"], None, None, "t.csv") == ("Ente", "Progetto")
    with pytest.raises(InputError) as info:
        key_columns(["org", "x"], "org", "ORG", "t.csv")
    assert str(info.value) == (
        "t.csv: the partner and project columns are both 'org'; name two different columns with --partner and --project"
    )


def test_label_beside_finds_a_name_only_beside_an_id():
    header = ["pic", "project_id", "legal_name", "name", "project_acronym"]
    assert label_beside(header, "pic", PARTNER_LABEL_NAMES, "project_id") == "legal_name"
    assert label_beside(header, "project_id", PROJECT_LABEL_NAMES, "pic") == "project_acronym"
    assert label_beside(["org", "project", "name"], "org", PARTNER_LABEL_NAMES, "project") is None
    assert label_beside(["pic", "project"], "pic", PARTNER_LABEL_NAMES, "project") is None
