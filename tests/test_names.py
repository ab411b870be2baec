"""Name clean-up and `ecosys validate`: fingerprints, similar names, aliases, the JSON report."""

from __future__ import annotations

import csv
import json
import os

from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.names import aliases_csv, core, fingerprint, similar_groups, validation_report

OLD_MTIME_NS = 1_600_000_000_000_000_000


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="ecosys")


def test_fingerprint_is_openrefine_like():
    assert fingerprint("Max-Planck-Gesellschaft") == "gesellschaft max planck"
    assert fingerprint(" Max Planck  Gesellschaft ") == "gesellschaft max planck"
    assert fingerprint("Università di Bologna") == "bologna di universita"
    assert fingerprint("Bologna, Università di") == "bologna di universita"
    assert fingerprint("Stadt Straße") == fingerprint("STADT STRASSE") == "stadt strasse"
    assert core("Universita' degli Studi di Bologna") == core("Università di Bologna") == "bologna universita"


def test_the_issue_examples_are_grouped_and_others_kept_apart():
    counts = {
        "Max Planck Gesellschaft": 5, "Max-Planck-Gesellschaft": 2,
        "Università di Bologna": 3, "Universita' degli Studi di Bologna": 4,
        "University of Bolton": 1, "University of Bologna": 1,
        "Plunge District Municipality Administration": 1, "Utena District Municipality Administration": 1,
        "AIRBUS DEFENCE AND SPACE SA": 2, "AIRBUS DEFENCE AND SPACE SAS": 1,
        "Action Renewables": 1, "Action Renewable": 3,
        "A E B SPA": 1, "I B L SPA": 1, "???": 1, "?? ?": 1,
    }
    assert similar_groups(counts) == [
        ["AIRBUS DEFENCE AND SPACE SA", "AIRBUS DEFENCE AND SPACE SAS"],
        ["Action Renewable", "Action Renewables"],
        ["Max Planck Gesellschaft", "Max-Planck-Gesellschaft"],
        # the English name too ("universita" / "university" are spelling variants), not Bolton
        ["Universita' degli Studi di Bologna", "Università di Bologna", "University of Bologna"],
    ]
    # with threshold 100 only equal cores are grouped
    assert similar_groups(counts, threshold=100) == [
        ["Max Planck Gesellschaft", "Max-Planck-Gesellschaft"],
        ["Universita' degli Studi di Bologna", "Università di Bologna"],
    ]


def test_aliases_csv_lists_each_variant_with_the_most_frequent_spelling():
    text = aliases_csv([["Universita' degli Studi di Bologna", "Università di Bologna", "UNIBO"]])
    assert text == (
        "name,canonical\n"
        "Università di Bologna,Universita' degli Studi di Bologna\n"
        "UNIBO,Universita' degli Studi di Bologna\n"
    )


def test_similar_groups_scale_to_tens_of_thousands_of_names(shared_data):
    from ecosys.read import read_participations

    p = read_participations(shared_data / "cordis-fp7-sod2016")
    names = p.table.drop_duplicates("partner")["organisationName"]
    counts = names[names != ""].value_counts().to_dict()
    assert len(counts) > 30_000
    groups = similar_groups(counts)
    assert len(groups) > 100


TABLE = (
    b"org,project,role\n"
    b"Max Planck Gesellschaft,P1,lead\n"
    b"Max-Planck-Gesellschaft,P2,lead\n"
    b"Max Planck Gesellschaft,P3,partner\n"
    b",P3,partner\n"
    b"Universita' degli Studi di Bologna,P3,lead\n"
    b"Universit\xc3\xa0 di Bologna,P1,partner\n"
    b"Max Planck Gesellschaft,P1,lead\n"
    b"Comune di Milano,P2,x,extra\n"
)


def test_validate_writes_the_report_and_suggested_aliases(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "orgs.csv", TABLE)
    result = invoke("validate", "orgs.csv", "--skip-bad-lines", "--suggest-aliases", "aliases.csv")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "graphs" / "orgs" / "validation.json").read_text(encoding="utf-8"))
    assert report["rows_read"] == 8
    assert report["skipped"] == [
        {"line": 5, "reason": "blank partner or project"},
        {"line": 9, "reason": "4 fields where the header has 3"},
    ]
    assert report["duplicates"] == {"count": 1, "lines": [8]}
    assert report["blank_ids"] == [{"table": "orgs.csv", "lines": [5]}]
    assert (report["participations"], report["partners"], report["projects"]) == (5, 4, 3)
    def name(n, rows, projects):
        return {"name": n, "rows": rows, "country": "", "id": "", "projects": projects}

    assert report["similar_names"] == [
        {"canonical": "Max Planck Gesellschaft",
         "names": [name("Max Planck Gesellschaft", 2, ["P1", "P3"]), name("Max-Planck-Gesellschaft", 1, ["P2"])]},
        {"canonical": "Universita' degli Studi di Bologna",
         "names": [name("Universita' degli Studi di Bologna", 1, ["P3"]), name("Università di Bologna", 1, ["P1"])]},
    ]
    with open(tmp_path / "aliases.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [
            ["name", "canonical", "country", "id", "rows", "projects"],
            ["Max Planck Gesellschaft", "Max Planck Gesellschaft", "", "", "2", "P1; P3"],
            ["Max-Planck-Gesellschaft", "Max Planck Gesellschaft", "", "", "1", "P2"],
            ["Universita' degli Studi di Bologna", "Universita' degli Studi di Bologna", "", "", "1", "P3"],
            ["Università di Bologna", "Universita' degli Studi di Bologna", "", "", "1", "P1"],
        ]
    assert "Similar partner names: 2 groups of 4 names" in result.stdout
    assert path.read_bytes() == TABLE and path.stat().st_mtime_ns == OLD_MTIME_NS
    assert sorted(os.listdir(tmp_path / "graphs" / "orgs")) == ["validation.json"]  # no temporary file left

    # the reviewed aliases merge the names in analyze: 4 partners become 2
    out = tmp_path / "out"
    result = invoke("analyze", "orgs.csv", "--skip-bad-lines", "--aliases", "aliases.csv", "--out", out)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["partners"], summary["projects"], summary["participations"]) == (2, 3, 5)
    assert summary["input"]["skipped_rows"] == [5, 9]


def test_validate_without_skip_bad_lines_is_one_error_line(tmp_path):
    path = write(tmp_path, "orgs.csv", TABLE)
    out = tmp_path / "report.json"
    result = invoke("validate", path, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}, line 9: 4 fields where the header has 3 (comma-separated); quote values that contain a "
        "comma or remove the extra one (or skip such lines with --skip-bad-lines)"
    ]
    assert not out.exists()


def test_validate_never_writes_over_the_input(tmp_path):
    path = write(tmp_path, "orgs.csv", TABLE)
    result = invoke("validate", path, "--skip-bad-lines", "--out", path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: is an input file; choose another file to write\n"
    assert path.read_bytes() == TABLE and path.stat().st_mtime_ns == OLD_MTIME_NS



def test_validate_never_writes_over_a_table_of_the_input_folder(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = write(folder, "orgs.csv", TABLE)
    out = tmp_path / "v.json"
    result = invoke("validate", folder, "--skip-bad-lines", "--out", out, "--suggest-aliases", path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: is an input file; choose another file to write\n"
    assert path.read_bytes() == TABLE and path.stat().st_mtime_ns == OLD_MTIME_NS
    assert not out.exists()


def test_validate_suggested_aliases_to_stdout(tmp_path):
    path = write(tmp_path, "t.csv", b"org,project\nMax Planck Gesellschaft,P1\nMax-Planck-Gesellschaft,P2\n")
    result = invoke("validate", path, "--out", tmp_path / "v.json", "--suggest-aliases", "-", "-q")
    assert result.exit_code == 0
    assert result.stdout == ("name,canonical,country,id,rows,projects\n"
                             "Max Planck Gesellschaft,Max Planck Gesellschaft,,,1,P1\n"
                             "Max-Planck-Gesellschaft,Max Planck Gesellschaft,,,1,P2\n")
    assert sorted(os.listdir(tmp_path)) == ["t.csv", "v.json"]  # no file named "-"
    both = invoke("validate", path, "--out", "-", "--suggest-aliases", "-")
    assert both.exit_code == 2 and "would both write to standard output" in both.stderr

def test_validate_ids_with_several_names_and_names_with_several_ids(tmp_path):
    path = write(tmp_path, "t.csv", b"pic,project_id,legal_name\n1,P1,ACME\n1,P2,ACME SRL\n2,P2,UniBo\n3,P3,UniBo\n")
    report = validation_report(path)
    assert report["partner_ids_with_several_names"] == [{"id": "1", "names": ["ACME", "ACME SRL"]}]
    assert report["partner_names_with_several_ids"] == [{"name": "UniBo", "ids": ["2", "3"]}]


def test_validate_on_keep_eu(shared_data, tmp_path):
    path = shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv"
    report = validation_report(path)
    assert (report["rows_read"], report["partners"], report["projects"]) == (8_621, 6_992, 1_852)
    # SOURCE.md counts 6,989 distinct name strings; two differ only by white space
    # names compared with their white space collapsed: 3 more differ only by inner spaces
    assert report["similarity"]["compared"] == "partner_label" and report["similarity"]["names"] == 6_985
    groups = {g["canonical"]: [n["name"] for n in g["names"]] for g in report["similar_names"]}
    assert groups["Action Renewable" if "Action Renewable" in groups else "Action Renewables"] in (
        ["Action Renewable", "Action Renewables"], ["Action Renewables", "Action Renewable"])
    # 283 before names of two countries were kept apart
    assert len(report["similar_names"]) == 279
    # the key is name + country: one name in two countries is two partners, reported for review
    assert report["partner_ids_with_several_names"] == []
    assert len(report["partner_names_with_several_ids"]) == 7
    assert {"name": "Forest Research Institute", "ids": ["Forest Research Institute (BG)", "Forest Research Institute (PL)"]} \
        in report["partner_names_with_several_ids"]


def test_validate_reads_stdin_and_writes_the_report_to_stdout(tmp_path):
    result = CliRunner().invoke(cli, ["validate", "-", "--out", "-"], input=TABLE[:-len(b"Comune di Milano,P2,x,extra\n")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["input"], report["dataset"], report["rows_read"]) == ("<stdin>", "stdin", 7)
    assert "Similar partner names: 2 groups of 4 names" in result.stderr


def test_validate_help_lists_the_reading_options():
    result = invoke("validate", "--help")
    assert result.exit_code == 0
    for option in ("--out", "--suggest-aliases", "--aliases", "--partners", "--projects", "--skip-bad-lines",
                   "--threshold"):
        assert option in result.output


def test_validate_writes_nothing_when_the_aliases_folder_is_missing(tmp_path):
    path = write(tmp_path, "orgs.csv", TABLE)
    out = tmp_path / "report.json"
    result = invoke("validate", path, "--skip-bad-lines", "--out", out, "--suggest-aliases", tmp_path / "no" / "a.csv")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'no'}: no such folder for --suggest-aliases\n"
    assert sorted(os.listdir(tmp_path)) == ["orgs.csv"]


# -- merges a reviewer can trust ---------------------------------------------------------------------

def test_names_of_two_countries_or_two_registry_ids_are_never_grouped():
    counts = {"AIRBUS DEFENCE AND SPACE SA": 2, "AIRBUS DEFENCE AND SPACE SAS": 1, "Airbus Defence & Space SA": 1,
              "SRI INTERNATIONAL": 3, "A.D.S. INTERNATIONAL SRL": 1}
    assert similar_groups(counts) == [  # what the names alone group
        ["AIRBUS DEFENCE AND SPACE SA", "AIRBUS DEFENCE AND SPACE SAS", "Airbus Defence & Space SA"],
        ["SRI INTERNATIONAL", "A.D.S. INTERNATIONAL SRL"],
    ]
    facts = {"AIRBUS DEFENCE AND SPACE SA": {"country": {"es"}}, "AIRBUS DEFENCE AND SPACE SAS": {"country": {"fr"}},
             "Airbus Defence & Space SA": {"country": {"es"}},
             "SRI INTERNATIONAL": {"country": {"us"}, "pic": {"930538655"}},
             "A.D.S. INTERNATIONAL SRL": {"country": {"it"}}}
    assert similar_groups(counts, facts=facts) == [["AIRBUS DEFENCE AND SPACE SA", "Airbus Defence & Space SA"]]
    # two PICs in one country: two organisations; a name without an id may join either
    facts = {"ACME SRL": {"pic": {"1"}}, "ACME S.R.L.": {"pic": {"2"}}, "Acme srl": {}}
    groups = similar_groups({"ACME SRL": 3, "ACME S.R.L.": 2, "Acme srl": 1}, facts=facts)
    assert groups == [["ACME SRL", "Acme srl"]]


def test_a_name_in_two_countries_is_grouped_with_none():
    facts = {"Ministry of Education": {"country": {"si", "hr"}}, "Ministry of Education.": {"country": {"si"}}}
    assert similar_groups({"Ministry of Education": 2, "Ministry of Education.": 1}, facts=facts) == []


def test_the_canonical_spelling_is_the_most_frequent_well_formed_one():
    counts = {'"Wiener Kinderfreunde"': 3, "Wiener Kinderfreunde": 1,
              "Lahti Univercity of Applied Sciences": 2, "Lahti University of Applied Sciences": 1,
              "THE OPEN UNIVERSITY*": 5, "THE OPEN UNIVERSITY": 4,
              **{f"University of Town{i}": 1 for i in range(10)}}  # "university" is common, "univercity" not
    groups = {g[0]: g for g in similar_groups(counts)}
    assert groups["Wiener Kinderfreunde"] == ["Wiener Kinderfreunde", '"Wiener Kinderfreunde"']
    assert groups["Lahti University of Applied Sciences"][1] == "Lahti Univercity of Applied Sciences"
    assert groups["THE OPEN UNIVERSITY"] == ["THE OPEN UNIVERSITY", "THE OPEN UNIVERSITY*"]


def test_on_a_tie_the_spelling_with_a_registry_id_is_canonical():
    counts = {"CENTRE DE PROJECTS ASBL": 1, "CENTRE DE PROJETS ASBL": 1}
    facts = {"CENTRE DE PROJETS ASBL": {"pic": {"944450589"}}, "CENTRE DE PROJECTS ASBL": {}}
    assert similar_groups(counts, facts=facts) == [["CENTRE DE PROJETS ASBL", "CENTRE DE PROJECTS ASBL"]]


def test_validate_shows_each_names_country_id_rows_and_projects(tmp_path):
    data = (b"pic,project_id,legal_name,country,project_acronym\n"
            b"930538655,1,SRI INTERNATIONAL,US,ALPHA\n"
            b"930538655,2,SRI INTERNATIONAL,US,BETA\n"
            b"999,3,A.D.S. INTERNATIONAL SRL,IT,GAMMA\n"
            b"1,4,INDRA SISTEMAS SA,IT,DELTA\n"
            b"0123456789abcdef0123456789abcdef,5,INDRA SISTEMAS S.A.,IT,EPSILON\n")
    path = write(tmp_path, "t.csv", data)
    report = validation_report(path)
    assert report["similarity"]["never_grouped"] == {"country_column": "country", "id_columns": ["pic"]}
    assert report["similar_names"] == [{"canonical": "INDRA SISTEMAS SA", "names": [
        {"name": "INDRA SISTEMAS SA", "rows": 1, "country": "IT", "id": "1", "projects": ["DELTA"]},
        # a 32-hex key is a name's hash, not a registry id
        {"name": "INDRA SISTEMAS S.A.", "rows": 1, "country": "IT", "id": "", "projects": ["EPSILON"]},
    ]}]
    result = invoke("validate", path, "--out", tmp_path / "v.json", "--suggest-aliases", "-")
    assert result.stdout == ("name,canonical,country,id,rows,projects\n"
                             "INDRA SISTEMAS SA,INDRA SISTEMAS SA,IT,1,1,DELTA\n"
                             "INDRA SISTEMAS S.A.,INDRA SISTEMAS SA,IT,,1,EPSILON\n")
    assert ("Similar partner names: 1 group of 2 names, e.g. 'INDRA SISTEMAS SA' (IT, 1, 1 row) / 'INDRA SISTEMAS "
            "S.A.' (IT, 1 row); names of two countries ('country') or two ids ('pic') never grouped") in result.stderr


def test_validate_never_groups_two_pics_or_two_countries_on_cordis(shared_data):
    report = validation_report(shared_data / "cordis-h2020-sod2016")
    assert report["similarity"]["never_grouped"] == {"country_column": "country", "id_columns": ["new_org_id"]}
    for group in report["similar_names"]:
        countries = {n["country"] for n in group["names"] if n["country"]}
        ids = {n["id"] for n in group["names"] if n["id"]}
        assert len(countries) <= 1 and len(ids) <= 1, group
    names = {n["name"] for g in report["similar_names"] for n in g["names"]}
    assert not names & {"SRI INTERNATIONAL", "A.D.S. INTERNATIONAL SRL", "AIRBUS DEFENCE AND SPACE SA",
                        "AIRBUS DEFENCE AND SPACE SAS"}
    assert len(report["similar_names"]) == 20  # 30 before


def test_validate_never_groups_two_countries_on_keep_eu(shared_data):
    report = validation_report(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv")
    assert report["similarity"]["never_grouped"] == {"country_column": "Country code", "id_columns": []}
    for group in report["similar_names"]:
        assert len({n["country"] for n in group["names"]}) == 1, group
    canonical = {n["name"]: g["canonical"] for g in report["similar_names"] for n in g["names"]}
    assert canonical['"Wiener Kinderfreunde"'] == "Wiener Kinderfreunde"
    assert canonical["Lahti Univercity of Applied Sciences"] == "Lahti University of Applied Sciences"
    # the partners whose legal status differs, and their values
    legal = report["attribute_sides"]["Legal Status"]
    assert (legal["side"], legal["by"], legal["partners_with_two_rows_or_more"], legal["partners_differing"]) == (
        "partner", "majority", 912, 64)
    assert legal["minority"][0] == {"partner": "Universidad de Zaragoza (ES)", "name": "Universidad de Zaragoza",
                                    "values": {"public": 3, "private": 3}}
    # the Slovenian and Croatian ministries of education stay apart
    assert "Ministry of Education, Science and Sport" not in canonical
    assert "Ministry of Science, Education and Sports" not in canonical


def test_keep_eu_country_code_stays_a_partner_attribute_after_its_suggested_aliases(shared_data, tmp_path):
    from ecosys.names import suggested_aliases
    from ecosys.read import read_participations

    path = shared_data / "keep-interreg-2014-2020" / "keep_closed_1420_Partnership.csv"
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(suggested_aliases(validation_report(path)), encoding="utf-8")
    p = read_participations(path, aliases=aliases)
    assert p.report.aliases_merged == 318
    assert {"Country code", "Legal Status"} <= set(p.partner_attributes)
    # even aliases that merge partners of two countries (as validate suggested before) move no column
    wrong = tmp_path / "wrong.csv"
    with open(wrong, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["name", "canonical"], ["Ministry of Science, Education and Sports",
                                                         "Ministry of Education, Science and Sport"]])
    p = read_participations(path, aliases=wrong)
    assert p.report.aliases_merged == 1 and "Country code" in p.partner_attributes
    assert any(w.startswith(f"{path}: 'Country code' is a partner attribute, but after the aliases it differs within "
                            "1 of ") for w in p.warnings)
