"""--names: a lookup table of partner names by id (a PIC and its legal name): labels, never keys or attributes."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.errors import InputError
from ecosys.pipeline import analyze
from ecosys.read import read_participations

PARTICIPATIONS = "pic,project,country\n111,P1,IT\n222,P1,FR\n222,P2,FR\n333,P2,DE\n"
# like CORDIS's organisation dumps: an id, a name, other columns that must not become attributes
NAMES = "orgId;name;shortName;country;startDate\n111;Comune di Bologna;CdB;XX;2010-01-01\n222;CNRS;;XX;2011-01-01\n"


def read(tmp_path, names=NAMES, **options):
    (tmp_path / "names.csv").write_text(names, encoding="utf-8")
    return read_participations(io.BytesIO(PARTICIPATIONS.encode()), label="p.csv", names=tmp_path / "names.csv",
                               **options)


def test_partners_are_labelled_by_the_table_their_ids_kept(tmp_path):
    p = read(tmp_path)
    net = analyze(p).network
    assert net.partners["node"].tolist() == ["partner:111", "partner:222", "partner:333"]
    assert net.partners["name"].tolist() == ["Comune di Bologna", "CNRS", "333"]   # 333 is not in the table
    # only the names are joined: no shortName, no second country, no startDate to be taken for project dates
    assert [c for c in p.table.columns if c not in ("partner", "project", "row")] == ["country", "name (names)"]
    assert any("1 partner id of p.csv is not in" in w for w in p.warnings)


def test_named_columns_and_errors_in_one_line(tmp_path):
    p = read(tmp_path, names_id="orgId", names_label="shortName")
    assert analyze(p).network.partners["name"].tolist() == ["CdB", "222", "333"]   # a blank name keeps the id
    with pytest.raises(InputError, match=r"names\.csv: no column of names found .*--names-label COLUMN"):
        read(tmp_path, names="id,code\n111,X\n")
    with pytest.raises(InputError, match=r"names\.csv: no column holds the partner ids .* name it with --names-id COLUMN$"):
        read(tmp_path, names="code,name\nX,Alpha\n")
    with pytest.raises(InputError, match=r"names\.csv.*'legal'"):
        read(tmp_path, names_label="legal")
    with pytest.raises(InputError, match="--names-id names a column of the table of names; give the table with "
                                         "--names FILE"):
        read_participations(io.BytesIO(PARTICIPATIONS.encode()), label="p.csv", names_id="orgId")


def test_on_the_command_line(tmp_path):
    (tmp_path / "p.csv").write_text(PARTICIPATIONS, encoding="utf-8")
    (tmp_path / "names.csv").write_text(NAMES, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "p.csv"), "--names", str(tmp_path / "names.csv"),
                                      "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    partners = pd.read_csv(out / "partners.csv", dtype=str)
    assert sorted(zip(partners["node"], partners["name"])) == [
        ("partner:111", "Comune di Bologna"), ("partner:222", "CNRS"), ("partner:333", "333")]
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "p.csv"), "--names", str(tmp_path / "none.csv")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    # a folder ecosys analyze wrote keeps its names; reading options are refused there
    result = CliRunner().invoke(cli, ["report", str(out), "--names", str(tmp_path / "names.csv")])
    assert result.exit_code == 2 and "--names says how to read a table" in result.output
