"""The reading options every command shares (ecosys.cli.reading_options): tables, --encoding, never writing over an input."""

from __future__ import annotations

import pytest

from .files import OLD_MTIME_NS, ORGS, PARTICIPATIONS, write


def test_cli_never_writes_outputs_over_the_partner_or_project_tables(tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, "partners.csv", ORGS)
    result = CliRunner().invoke(cli, ["analyze", str(main), "--partners", str(orgs), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'partners.csv'}: is an input file; choose another output folder with --out\n"
    assert orgs.read_bytes() == ORGS and orgs.stat().st_mtime_ns == OLD_MTIME_NS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["participations.csv", "partners.csv"]


def test_cli_never_writes_outputs_into_the_input_folder_over_its_tables(tmp_path):
    from click.testing import CliRunner

    from ecosys.cli import cli

    write(tmp_path, "edges.csv", b"projectRcn\tnew_org_id\n10\tA\n10\tB\n")
    projects = write(tmp_path, "projects.csv", b"rcn,acronym\n10,TEN\n")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path}: is the folder of tables being analysed, and its next analysis would "
                             "read the outputs as tables; choose another output folder with --out\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "projects.csv"]
    assert projects.read_bytes() == b"rcn,acronym\n10,TEN\n"


@pytest.mark.parametrize("command, target, what", [
    ("report", "map.html", "output folder"), ("report", "ecosys.xlsx", "output folder"),
    ("export", "orgs.gexf", "output file"),
])
def test_report_and_export_never_write_over_an_input_table(tmp_path, command, target, what):
    from click.testing import CliRunner

    from ecosys.cli import cli

    main = write(tmp_path, "participations.csv", PARTICIPATIONS)
    orgs = write(tmp_path, target, ORGS)  # a partners table that has an output's name
    out = ["--out", str(tmp_path)] if command == "report" else ["--format", "gexf", "--out", str(orgs)]
    result = CliRunner().invoke(cli, [command, str(main), "--partners", str(orgs), "--partners-id", "id", *out])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {orgs}: is an input file; choose another {what} with --out\n"
    assert orgs.read_bytes() == ORGS and orgs.stat().st_mtime_ns == OLD_MTIME_NS
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["participations.csv", target])


# -- --encoding --------------------------------------------------------------------------------

READING_COMMANDS = ["analyze", "report", "export", "backbone", "validate"]
REQUIRED = {"export": ["--format", "gexf"]}  # the options a command needs besides INPUT
AMBIGUOUS = b"partner;project\r\nA;P1\r\nB;P1\r\n\xe9\x92\x92;P1\r\n"  # cp1252 "é’’", also the UTF-8 "钒"


def invoke(*args, **kwargs):
    from click.testing import CliRunner

    from ecosys.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="ecosys", **kwargs)


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_every_command_that_reads_input_has_the_reading_options(command):
    result = invoke(command, "-h")
    assert result.exit_code == 0
    for option in ("--partner ", "--project ", "--sheet", "--encoding NAME", "--partners FILE", "--projects FILE",
                   "--partners-id", "--partners-label", "--projects-id", "--projects-label", "--aliases FILE",
                   "--skip-bad-lines"):
        assert option in result.stdout, option


@pytest.mark.parametrize("command", READING_COMMANDS)
@pytest.mark.parametrize("name", ["klingon", "base64"])
def test_an_unknown_encoding_is_a_usage_error_listing_examples(tmp_path, monkeypatch, command, name):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "t.csv", AMBIGUOUS)
    result = invoke(command, path, *REQUIRED.get(command, []), "--encoding", name)
    assert result.exit_code == 2
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--encoding': unknown encoding '{name}': name a text encoding such as "
        "utf-8, utf-8-sig, utf-16, cp1252, latin-1"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]
    assert path.read_bytes() == AMBIGUOUS and path.stat().st_mtime_ns == OLD_MTIME_NS


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_bytes_not_in_the_named_encoding_are_one_error_line(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "t.csv", b"partner;project\r\nA;P1\r\nCitt\x81;P1\r\n")
    result = invoke(command, path, *REQUIRED.get(command, []), "--encoding", "cp1252")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}, line 3: byte 0x81 cannot be read as cp1252 (character maps to <undefined>); name the file's "
        "encoding with --encoding (such as utf-8, utf-8-sig, utf-16, cp1252, latin-1), or leave it out to have it "
        "detected\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_the_named_encoding_decides_what_detection_cannot(tmp_path):
    import csv
    import json

    path = write(tmp_path, "t.csv", AMBIGUOUS)
    detected = json.loads(invoke("validate", path, "--out", "-", "-q").stdout)
    named = json.loads(invoke("validate", path, "--out", "-", "-q", "--encoding", "cp1252").stdout)
    assert (detected["encoding"], named["encoding"]) == ("utf-8", "cp1252")
    result = invoke("analyze", path, "--encoding", "cp1252", "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "partners.csv", newline="", encoding="utf-8") as f:
        assert sorted(r["name"] for r in csv.DictReader(f)) == ["A", "B", "é’’"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["input"]["encoding"] == "cp1252"


# -- every reading option honoured or refused --------------------------------------------------

def keep_workbook(tmp_path):
    """A small keep.eu-like workbook: projects first, then partners, then calls."""
    from .files import workbook

    return workbook(tmp_path, {
        "Projects (lead partners)": [["Programme", "Acronym", "Project Name", "Lead Partner", "Budget"],
                                     ["Interreg X", "ALPS", "Alpine paths", "Comune di Aosta", "1,200.50"]],
        "Partners": [["Programme", "Acronym", "Project Partner", "Lead Partner", "Country code"],
                     ["Interreg X", "ALPS", "Comune di Aosta", "Yes", "IT Italy"],
                     ["Interreg X", "ALPS", "Land Tirol", "No", "AT Austria"]],
        "Calls": [["Programme", "Serial Number", "Budget"], ["Interreg X", "1", "72,909,844.71"]],
    }, name="keep.xlsx")


def test_sheet_picks_the_participation_sheet_of_a_recognised_workbook(tmp_path):
    from ecosys.errors import InputError
    from ecosys.read import read_participations

    path = keep_workbook(tmp_path)
    found = read_participations(path)
    asked = read_participations(path, sheet="Partners")
    assert sorted(found.table["partner"]) == sorted(asked.table["partner"]) == ["Comune di Aosta (IT)", "Land Tirol (AT)"]
    assert asked.table["Budget"].tolist() == ["1,200.50"] * 2  # the projects sheet is still joined
    # another sheet asked for is the participation table, read by the generic rules: lead partners x projects
    leads = read_participations(path, sheet="Projects (lead partners)")
    assert leads.table[["partner", "project"]].values.tolist() == [["Comune di Aosta", "Alpine paths"]]
    with pytest.raises(InputError) as info:
        read_participations(path, sheet="Calls")
    assert str(info.value) == (
        f"{path}, sheet 'Calls': no partner column found (looked for a header such as 'partner', 'partner name', "
        "'organisation', 'organization'); columns are: 'Programme', 'Serial Number', 'Budget'; name it with "
        "--partner COLUMN; or read the sheet that has them with --sheet 'Partners'"
    )


def test_sheet_calls_on_the_keep_eu_workbook_is_refused_not_ignored(shared_data):
    path = shared_data / "keep-interreg-2014-2020" / "keep_closed_1420.xlsx"
    result = invoke("validate", path, "--sheet", "Calls", "--out", "-", "-q")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}, sheet 'Calls': no partner column found")
    assert result.stderr.endswith("; or read the sheet that has them with --sheet 'Partners'\n")


def test_sheet_on_a_folder_or_a_text_table_is_refused(tmp_path):
    from ecosys.errors import InputError
    from ecosys.read import read_participations

    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, "edges.csv", b"org,project\nA,P1\n")
    with pytest.raises(InputError) as info:
        read_participations(folder, sheet="Data")
    assert str(info.value) == (f"{folder}: is a folder; --sheet picks a sheet of a workbook given as INPUT (give the "
                               "workbook itself)")
    with pytest.raises(InputError, match=r"a sheet \('Data'\) was asked for, but this is a text table"):
        read_participations(folder / "edges.csv", sheet="Data")


def test_partners_id_and_label_apply_to_the_table_found_or_are_refused(tmp_path):
    from ecosys.errors import InputError
    from ecosys.read import read_participations

    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, "edges.csv", b"org_id,project\n1,P1\n2,P1\n")
    write(folder, "orgs.csv", b"code,alias,legal name\n1,ACME,ACME srl\n2,UNIBO,Universita di Bologna\n")
    assert read_participations(folder).partner_label == "legal name"
    p = read_participations(folder, partners_label="alias")
    assert p.partner_label == "alias"
    with pytest.raises(InputError) as info:
        read_participations(folder, partners_id="nope")
    assert str(info.value) == f"{folder / 'orgs.csv'}: no partner id column 'nope'; columns are: 'code', 'alias', 'legal name'"
    with pytest.raises(InputError) as info:
        read_participations(folder / "edges.csv", projects_id="rcn")
    assert str(info.value) == (f"{folder / 'edges.csv'}: --projects-id names a column of the projects table, and "
                               "there is none; give the table with --projects FILE")


@pytest.mark.parametrize("command", READING_COMMANDS)
def test_every_command_has_the_attribute_side_options(command):
    result = invoke(command, "-h")
    assert "--partner-attributes COL,..." in result.stdout and "--project-attributes COL,..." in result.stdout
