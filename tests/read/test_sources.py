"""Public sources read as they come (ecosys.read.sources), from ../shared/data: folders, wide tables, workbooks.

Expected values are the published figures or the counts in each SOURCE.md; the
recognisers are also tested on small tables written here.
"""

from __future__ import annotations

import networkx as nx

from ecosys.graph import project
from ecosys.pipeline import analyze
from ecosys.read import read_participations
from ecosys.read.sources import PARTNER_KEY, PROJECT_KEY, RECOGNISERS, cordis_export, keep_eu, recognise
from ecosys.read.tables import read_tables


def test_cordis_h2020_folder_gives_the_published_numbers(shared_data):
    """The folder (edges + unique_org + projects) reads as edges.csv alone, with names and attributes joined."""
    folder = shared_data / "cordis-h2020-sod2016"
    result = analyze(folder)
    p, s = result.participations, result.summary()
    assert (p.partner_column, p.project_column) == ("new_org_id", "projectRcn")
    assert (s["partners"], s["projects"], s["participations"]) == (12_326, 7_574, 31_868)
    assert s["partner_pairs"] == 170_120
    assert s["partners_without_copartner"] == 1_246
    projects = result.metrics[result.metrics["kind"] == "project"]["degree"]
    assert int((projects * (projects - 1) // 2).sum()) == 196_436
    stable = project(result.network, "partner", min_shared=2).to_networkx()
    assert stable.number_of_edges() == 16_289
    assert len(max(nx.connected_components(stable), key=len)) == 2_069
    fraunhofer = "partner:999984059"
    assert result.graph.degree(fraunhofer) == 284 and stable.degree(fraunhofer) == 471
    # names and attributes from unique_org.csv and projects.csv
    assert p.partner_label == "name (unique_org)" and p.project_label == "acronym"
    assert (s["input"]["partner_label"], s["input"]["project_label"]) == ("name (unique_org)", "acronym")
    assert p.partner_attributes == (
        "name (unique_org)", "shortName", "name_normal", "country", "numProj", "nproj_with_contrib", "totContribution",
    )
    assert p.project_attributes[:3] == ("reference", "acronym", "status")
    row = p.table[p.table["partner"] == "999984059"].iloc[0]
    assert row["name (unique_org)"] == "FRAUNHOFER GESELLSCHAFT ZUR FORDERUNG DER ANGEWANDTEN FORSCHUNG EV"
    assert (row["country"], row["numProj"]) == ("DE", "284")
    assert p.warnings == (
        f"{folder}/h2020deathstar.csv: not used ({folder}/unique_org.csv holds more of the partner ids)",
    )
    assert result.graph.nodes["project:193157"]["acronym"] == "ERC-EuropePMC-1-2014"
    # the label columns name the nodes
    partners = result.network.partners.set_index("node")
    assert partners.at[fraunhofer, "name"] == "FRAUNHOFER GESELLSCHAFT ZUR FORDERUNG DER ANGEWANDTEN FORSCHUNG EV"
    assert result.network.projects.set_index("node").at["project:193157", "name"] == "ERC-EuropePMC-1-2014"


def test_cordis_h2020_eunets_wide_table_is_read_whole(shared_data):
    """All of H2020 through the fast reader (its time is in benchmarks/bench.py --read, not here)."""
    path = shared_data / "cordis-h2020-eunets2020" / "h2020.csv.gz"
    p = read_participations(path)
    assert (p.rows_read, len(p.table), p.duplicate_rows, p.skipped_rows) == (144_726, 144_726, 0, ())
    assert (p.table["partner"].nunique(), p.table["project"].nunique()) == (35_871, 31_451)
    assert (p.partner_column, p.project_column, p.partner_label, p.project_label) == ("pic", "rcn", None, None)
    assert p.partner_attributes == ("type", "country", "group")
    assert p.edge_attributes == ("role", "contribution")
    assert p.table["role"].value_counts().to_dict() == {"participant": 106_108, "coordinator": 31_476, "partner": 7_142}


def test_cordis_plus_export_uses_pic_and_project_id_with_names(shared_data):
    path = shared_data / "cordis-swissparticipation" / "cordis-plus-2014.csv"
    p = read_participations(path)
    assert (p.partner_column, p.project_column) == ("pic", "project_id")
    assert (p.partner_label, p.project_label) == ("legal_name", "project_acronym")
    assert "legal_name" in p.partner_attributes and "project_acronym" in p.project_attributes
    # 11 rows have NA as their pic or project_id: NA is a blank in cordis-plus files
    assert p.skipped_rows[:3] == (2814, 2968, 2969) and len(p.skipped_rows) == 11
    assert (p.rows_read, p.duplicate_rows, len(p.table)) == (12_584, 226, 12_347)
    assert (p.table["partner"].nunique(), p.table["project"].nunique()) == (5_752, 3_320)
    first = p.table.iloc[0]
    assert (first["partner"], first["project"], first["legal_name"], first["project_acronym"]) == (
        "999886574", "639304", "BAR ILAN UNIVERSITY", "Watecco")
    assert first["net_ec_contribution"] == ""  # was NA


def test_dashboard_export(shared_data):
    p = read_participations(shared_data / "cordis-swissparticipation" / "dashboard-export-2021.csv")
    assert (p.partner_column, p.project_column, p.partner_label, p.project_label) == (
        "pic", "project_id", "legal_name", "project_acronym")
    assert (p.rows_read, p.duplicate_rows, len(p.table)) == (2_570, 17, 2_553)
    assert (p.table["partner"].nunique(), p.table["project"].nunique()) == (2_016, 131)


KEEP_FIRST = {
    "partner": "Association for Rural Development Thuringia, Erfurt (DE)",
    "project": "ECRR (2014 - 2020 INTERREG VB Central Europe)",
    "row": 2,
    "Project Partner": "Association for Rural Development Thuringia, Erfurt",
    "role": "lead partner",
}


def test_keep_eu_csv(shared_data):
    path = shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv"
    p = read_participations(path)
    assert (p.partner_column, p.project_column) == ("Project Partner + Country code", "Acronym + Programme")
    assert (p.partner_label, p.project_label) == ("Project Partner", "Acronym")
    assert (p.rows_read, p.duplicate_rows, len(p.table)) == (8_621, 1, 8_620)
    assert (p.table["partner"].nunique(), p.table["project"].nunique()) == (6_992, 1_852)
    assert p.table["role"].value_counts().to_dict() == {"partner": 6_729, "lead partner": 1_891}
    assert {k: p.table.iloc[0][k] for k in KEEP_FIRST} == KEEP_FIRST
    assert p.warnings[0] == f"{path}: 1 repeated partner-project pair counted once (line 6889)"
    assert p.warnings[1:] == tuple(f"{path}: {warning}" for warning in KEEP_MAJORITY)
    # by majority: blanks, n/a and case aside, 97% of the rows of repeat partners agree on their legal status
    assert p.partner_attributes == ("Project Partner", "Country", "Legal Status", "Country code",
                                    "NUTS1 (or equivalent)", "NUTS2 (or equivalent)", "NUTS3 (or equivalent)")
    assert "Town" in p.edge_attributes and "role" in p.edge_attributes


KEEP_MAJORITY = [
    f"'{column}' is a partner attribute by majority: it differs within {n} of {of} partners with two or more rows "
    f"({share} of their rows agree with their partner's most frequent value, e.g. {example}); each partner's most "
    "frequent value is used"
    for column, n, of, share, example in [
        ("Country", 2, 981, "99.9%", "'Agroväst Livsmedel AB (SE)': 'Sweden' 2 rows, 'Denmark' 1 row"),
        ("Legal Status", 64, 912, "97%", "'Universidad de Zaragoza (ES)': 'public' 3 rows, 'private' 3 rows"),
        ("NUTS1 (or equivalent)", 6, 939, "99.7%",
         "'Swedish University of Agricultural Sciences (SE)': 'SE1 / ÖSTRA SVERIGE' 2 rows, 'SE3 / NORRA SVERIGE' 2 rows"),
        ("NUTS2 (or equivalent)", 18, 939, "99%",
         "'INSTITUT NATIONAL DE LA RECHERCHE AGRONOMIQUE (FR)': 'FR82 / Provence-Alpes-Côte d'Azur' 1 row, "
         "'FR83 / Corse' 1 row, 'FR62 / Midi-Pyrénées' 1 row"),
        ("NUTS3 (or equivalent)", 32, 939, "98%",
         "'Technische Hochschule Deggendorf (DE)': 'DE224 / Deggendorf' 3 rows, 'DE225 / Freyung-Grafenau' 3 rows"),
    ]
]


def test_keep_eu_workbook_joins_the_projects_sheet(shared_data):
    path = shared_data / "keep-interreg-2014-2020" / "keep_closed_1420.xlsx"
    p = read_participations(path)
    csv = read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv")
    assert p.format == "xlsx"
    assert sorted(zip(p.table["partner"], p.table["project"])) == sorted(zip(csv.table["partner"], csv.table["project"]))
    assert {k: p.table.iloc[0][k] for k in KEEP_FIRST} == KEEP_FIRST
    first = p.table.iloc[0]
    assert (first["Project Name"], first["Lead partner name"], first["Budget"]) == (
        "European Cultural Route of Reformation", "Association for Rural Development Thuringia, Erfurt", "2,309,253.85")
    assert "Project Name" in p.project_attributes and p.project_label == "Acronym"
    assert "Description EN" not in p.table.columns and "Project start" in p.project_attributes
    assert p.warnings == (
        f"{path}, sheet 'Partners': 1 repeated partner-project pair counted once (row 6828)",
        f"{path}: 39 repeated ids in 'Acronym (Programme)', the first row of each used "
        "(rows 249, 254, 464, 634, 676, 745, 752, 771, 773, 775 and 29 more)",
        *(f"{path}, sheet 'Partners': {warning}" for warning in KEEP_MAJORITY),
        f"{path}, sheet 'Calls': not used (neither partners nor projects)",
    )


def test_cordis_fp7_folder_with_its_messy_organisation_table(shared_data):
    """fp7orgs.csv.gz: `;`-separated, mojibake, repeated ids; its quoted cells hold `;` (read as CSV quoting)."""
    folder = shared_data / "cordis-fp7-sod2016"
    p = read_participations(folder)
    assert (p.rows_read, p.duplicate_rows, len(p.table)) == (135_670, 3, 135_667)
    assert (p.table["partner"].nunique(), p.table["project"].nunique()) == (30_973, 25_788)
    assert p.partner_label == "organisationName"
    assert p.warnings[0] == f"{folder}/fp7edges.csv.gz: 3 repeated partner-project pairs counted once (lines 41041, 41042, 41043)"
    assert p.warnings[1].startswith(
        f"{folder}/fp7orgs.csv.gz: 82 repeated ids in 'new_org_id', the first row of each used (lines 594, 652, 848,")
    # the line with a quoted "http://...; http://..." is one organisation, not a malformed line
    akeo = p.table[p.table["partner"] == "f5a50715a011a061e4db375d7a2dc4b4"].iloc[0]
    assert akeo["organizationUrl"] == "http://www.akeoplus.com; http://www.akeoplus-vision.com"
    assert akeo["city"] == "TEYRAN"


def test_folder_cli_runs_like_a_file(shared_data, tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(shared_data / "cordis-h2020-sod2016"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    import csv

    with open(out / "partners.csv", newline="", encoding="utf-8") as f:
        rows = {r["node"]: r for r in csv.DictReader(f)}
    assert rows["partner:999984059"]["degree"] == "284"
    assert rows["partner:999984059"]["shortName"] == "Fraunhofer"


def test_explicit_columns_skip_the_recognisers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Programme;Acronym;Project Partner;Lead Partner\nX;A1;Org;Yes\n")
    p = read_participations(path, partner="Project Partner", project="Acronym")
    assert (p.table["partner"].tolist(), p.table["project"].tolist()) == (["Org"], ["A1"])
    assert p.partner_label is None


def test_cordis_h2020_2020_folder_joins_programme_parts_and_reports_missing_ids(shared_data):
    folder = shared_data / "cordis-h2020-eunets2020"
    p = read_participations(folder)
    assert p.project_attributes[-1] == "programme_part"
    assert p.warnings == (
        f"{folder}/programme_parts.csv.gz: 6093 repeated ids in 'rcn', the first row of each used "
        "(lines 10, 19, 90, 129, 131, 135, 137, 140, 147, 150 and 6083 more)",
        f"104 project ids of {folder}/h2020.csv.gz are not in {folder}/programme_parts.csv.gz "
        "(first: 199119, 199126, 199219, 199231, 199241, 199399, 199422, 199516, 199954, 199955)",
    )
    assert p.table.loc[p.table["project"] == "221856", "programme_part"].iloc[0] == "SC4"


def test_validate_finds_the_8_names_under_several_ids_of_cordis_h2020(shared_data):
    """SOURCE.md: "8 duplicate organisation names under different ids"."""
    from ecosys.names import validation_report

    report = validation_report(shared_data / "cordis-h2020-sod2016")
    assert len(report["partner_names_with_several_ids"]) == 8
    assert report["partner_ids_with_several_names"] == []
    assert [t["unmatched_ids"] for t in report["attribute_tables"]] == [0, 0]
    assert (report["rows_read"], report["partners"], report["projects"]) == (31_868, 12_326, 7_574)


# -- the recognisers on small tables -----------------------------------------------------------

def tables_of(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_tables(path)


def test_recognise_knows_a_cordis_export_and_blanks_its_na_cells(tmp_path):
    tables = tables_of(tmp_path, "c.csv", b"project_id;pic;legal_name;project_acronym;net\n10;1;ACME;X;NA\nNA;2;B;X;5\n")
    plan = recognise(tables)
    assert (plan.partner, plan.project, plan.partner_label, plan.project_label) == (
        "pic", "project_id", "legal_name", "project_acronym")
    assert tables[0].frame.values.tolist() == [["10", "1", "ACME", "X", ""], ["", "2", "B", "X", "5"]]
    assert cordis_export(tables) is not None and keep_eu(tables) is None


def test_recognise_knows_a_keep_eu_partner_list_and_makes_its_keys(tmp_path):
    tables = tables_of(tmp_path, "k.csv", (
        b"Programme;Acronym;Project Partner;Lead Partner;Country code\n"
        b"Interreg X;ALPS;Comune  di Aosta;Yes;IT Italy\n"
        b"Interreg X;ALPS;Land Tirol;no;\n"
        b"Interreg X;;Nobody;maybe;AT Austria\n"))
    plan = recognise(tables)
    assert (plan.partner, plan.project, plan.partner_column, plan.project_column) == (
        PARTNER_KEY, PROJECT_KEY, "Project Partner + Country code", "Acronym + Programme")
    frame = tables[0].frame
    assert frame[PARTNER_KEY].tolist() == ["Comune di Aosta (IT)", "Land Tirol", "Nobody (AT)"]
    assert frame[PROJECT_KEY].tolist() == ["ALPS (Interreg X)", "ALPS (Interreg X)", ""]
    assert frame["role"].tolist() == ["lead partner", "partner", ""]


def test_recognise_leaves_other_tables_to_the_generic_rules(tmp_path):
    assert recognise(tables_of(tmp_path, "t.csv", b"pic,rcn,legal_name\n1,10,ACME\n")) is None
    assert [r.__name__ for r in RECOGNISERS] == ["keep_eu", "cordis_export"]
