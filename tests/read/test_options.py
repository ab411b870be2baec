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
    assert result.stderr == f"Error: {projects}: is an input file; choose another output folder with --out\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "projects.csv"]


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
