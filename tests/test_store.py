"""Analyse once, write many: the analysis `ecosys analyze` stores, and `report DIR` / `export DIR` reusing it.

What is loaded must give the same bytes as what was analysed (tables, summary,
report, maps and every export), without running any analysis (checked by
making the analysis functions fail); a folder whose input changed, from
another format version, damaged or made of two runs is refused in one line.
"""

from __future__ import annotations

import io
import json
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ecosys.cli import cli
from ecosys.export import FORMATS, render_export
from ecosys.pipeline import DEMO_NAME, analyze, demo_path
from ecosys.report import render_outputs
from ecosys.store import ARRAYS, MANIFEST, VERSION, StoreError, load_analysis, read_manifest, save_analysis

REPO = Path(__file__).resolve().parents[1]
TABLE = "partner,project,type,start\nA,P1,uni,2019\nB,P1,firm,2019\nB,P2,firm,2021\nC,P2,uni,2021\nC,P3,uni,\nD,P3,firm,\n"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def analysed(tmp_path: Path, *options) -> tuple[Path, Path]:
    """A small table and the folder `ecosys analyze TABLE --out DIR OPTIONS` wrote."""
    table = tmp_path / "table.csv"
    table.write_text(TABLE, encoding="utf-8")
    folder = tmp_path / "out"
    result = run("analyze", table, "--out", folder, "-q", *options)
    assert result.exit_code == 0, result.output
    return table, folder


def forbid_analysis(monkeypatch):
    """Every way of analysing fails from now on: what runs may only load."""
    def refuse(*args, **kwargs):
        raise AssertionError("the analysis ran again")

    import ecosys.communities
    import ecosys.metrics
    import ecosys.pipeline

    monkeypatch.setattr(ecosys.pipeline, "analyze", refuse)
    monkeypatch.setattr(ecosys.pipeline, "node_metrics", refuse)
    monkeypatch.setattr(ecosys.pipeline, "detect_communities", refuse)
    monkeypatch.setattr(ecosys.pipeline, "community_stability", refuse)
    monkeypatch.setattr(ecosys.metrics, "node_metrics", refuse)
    monkeypatch.setattr(ecosys.communities, "detect_communities", refuse)


# -- the library ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [
    {},
    {"runs": 3, "group_by": "type", "backbone": "sdsm"},
    {"weighting": "jaccard", "min_shared": 1, "max_project_size": 10, "method": "louvain", "seed": 4,
     "backbone": "disparity"},
])
def test_a_loaded_analysis_writes_the_same_bytes(tmp_path, options):
    result = analyze(demo_path(), **options)
    save_analysis(result, tmp_path, inputs=["demo"])
    loaded = load_analysis(tmp_path)
    pd.testing.assert_frame_equal(loaded.metrics, result.metrics)
    pd.testing.assert_frame_equal(loaded.participations.table, result.participations.table)
    assert loaded.metrics.attrs == result.metrics.attrs
    assert loaded.partition == result.partition
    assert list(loaded.partition.membership) == list(result.partition.membership)
    original, again = render_outputs(result), render_outputs(loaded)
    assert sorted(original) == sorted(again)
    for name in original:
        assert original[name] == again[name], name
    for fmt in FORMATS:
        assert render_export(loaded, fmt) == render_export(result, fmt), fmt
    assert loaded.participations.warnings == result.participations.warnings
    # how the demo's amount_eur column writes its numbers, which the community profiles total
    assert loaded.participations.numbers == result.participations.numbers != {}


def test_the_stored_files_are_the_same_bytes_every_time(tmp_path):
    for k in (1, 2):
        save_analysis(analyze(demo_path(), runs=2, group_by="type"), tmp_path / str(k), inputs=["demo"])
    for name in (MANIFEST, ARRAYS):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_the_manifest_says_what_was_analysed_and_how(tmp_path):
    table, folder = analysed(tmp_path, "--method", "louvain", "--seed", "5", "--group-by", "type")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == {"name": "ecosys-analysis", "version": VERSION}
    assert manifest["inputs"] == [{"path": "../table.csv", "sha256": __import__("hashlib").sha256(
        table.read_bytes()).hexdigest()}]
    assert manifest["options"] == {
        "seed": 5, "resolution": 1.0, "weighting": "count", "min_shared": 1, "method": "louvain", "runs": 1,
        "group_by": "type", "exact": False, "max_project_size": None, "max_pairs": 50_000_000, "backbone": None}
    assert manifest["arrays"]["sha256"] == __import__("hashlib").sha256((folder / ARRAYS).read_bytes()).hexdigest()


def test_the_arrays_load_without_pickle(tmp_path):
    save_analysis(analyze(demo_path()), tmp_path)
    with np.load(tmp_path / ARRAYS, allow_pickle=False) as npz:  # raises if any entry needed pickle
        assert all(not npz[k].dtype.hasobject for k in npz.files)


def test_a_pickle_in_the_arrays_is_refused_and_never_run(tmp_path):
    """A folder someone sends: an object array (pickled) in analysis.npz must not run, even with a matching checksum."""
    save_analysis(analyze(demo_path()), tmp_path)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    buffer = io.BytesIO()
    with zipfile.ZipFile(tmp_path / ARRAYS) as original, zipfile.ZipFile(buffer, "w") as forged:
        for entry in original.infolist():
            if entry.filename != "metrics/3.npy":
                forged.writestr(entry, original.read(entry))
        array = np.empty(1, dtype=object)
        array[0] = Payload()
        data = io.BytesIO()
        np.lib.format.write_array(data, array, allow_pickle=True)
        forged.writestr("metrics/3.npy", data.getvalue())
    (tmp_path / ARRAYS).write_bytes(buffer.getvalue())
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    manifest["arrays"]["sha256"] = __import__("hashlib").sha256(buffer.getvalue()).hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="damaged; run `ecosys analyze` on the table again"):
        load_analysis(tmp_path)
    assert not marker.exists()
    assert pickle  # the payload above is what pickle would run


# -- report DIR and export DIR ---------------------------------------------------------------------


def test_analyze_stores_its_analysis_and_says_so(tmp_path):
    result = run("analyze", "--out", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    assert ("Wrote partners.csv, projects.csv, communities.csv, summary.json, map.html, index.html, ecosys.xlsx, "
            "analysis.npz, analysis.json to") in result.output
    assert read_manifest(tmp_path / "demo")["inputs"][0]["path"] == "demo"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_of_an_analysed_folder_reuses_it(tmp_path, monkeypatch, fmt):
    table, folder = analysed(tmp_path, "--min-shared", "1", "--method", "louvain", "--seed", "2")
    direct = tmp_path / f"direct{FORMATS[fmt]}"
    result = run("export", table, "-f", fmt, "--method", "louvain", "--seed", "2", "-o", direct)
    assert result.exit_code == 0, result.output
    forbid_analysis(monkeypatch)
    result = run("export", folder, "-f", fmt)
    assert result.exit_code == 0, result.output
    written = folder / f"table{FORMATS[fmt]}"  # the default: into the analysed folder
    assert result.output == f"Wrote {written}\n"
    assert written.read_bytes() == direct.read_bytes()


def test_report_of_an_analysed_folder_reuses_it(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    assert run("analyze", "--out", folder, "-q", "--runs", "2", "--group-by", "type").exit_code == 0
    forbid_analysis(monkeypatch)
    out = tmp_path / "report"
    result = run("report", folder, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote map.html, index.html, ecosys.xlsx to {out}/\n"
    for name in ("index.html", "map.html", "ecosys.xlsx"):
        assert (out / name).read_bytes() == (folder / name).read_bytes(), name


def test_report_writes_into_the_analysed_folder_by_default(tmp_path):
    _, folder = analysed(tmp_path)
    (folder / "index.html").unlink()
    result = run("report", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "index.html").is_file() and result.output.startswith("Wrote map.html, index.html")


def test_the_same_analysis_options_are_accepted_and_others_refused(tmp_path):
    _, folder = analysed(tmp_path, "--method", "louvain", "--group-by", "type")
    ok = run("export", folder, "-f", "json", "-o", "-", "--method", "louvain", "--seed", "0", "--group-by", "type")
    assert ok.exit_code == 0, ok.output
    for options, message in [
        (["--method", "leiden"], f"{folder} was analysed with --method louvain; to analyse with --method leiden, give "
                                 "the table instead of the folder"),
        (["--exact"], f"{folder} was analysed with no --exact; to analyse with --exact, give the table instead of "
                      "the folder"),
        (["--seed", "3"], f"{folder} was analysed with --seed 0; to analyse with --seed 3, give the table instead of "
                          "the folder"),
        (["--sheet", "Partners"], f"--sheet says how to read a table, but {folder} is a folder `ecosys analyze` "
                                  "wrote; give the table instead to read it again"),
    ]:
        for command in (["export", "-f", "gexf"], ["report"]):
            result = run(command[0], folder, *command[1:], *options)
            assert result.exit_code == 2, result.output
            assert result.output.splitlines()[-1] == f"Error: {message}"


def test_a_changed_input_asks_for_a_new_analysis(tmp_path):
    table, folder = analysed(tmp_path)
    table.write_text(TABLE + "E,P3,uni,\n", encoding="utf-8")
    for command in (["export", folder, "-f", "gexf"], ["report", folder]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.output == (f"Error: {folder}: {table} has changed since it was analysed; run "
                                 "`ecosys analyze` on the table again\n")


def test_a_folder_sent_without_its_table_still_works(tmp_path):
    _, folder = analysed(tmp_path)
    moved = tmp_path / "elsewhere" / "sent"
    shutil.copytree(folder, moved)
    shutil.rmtree(folder)
    (tmp_path / "table.csv").unlink()
    result = run("export", moved, "-f", "vosviewer", "-o", "-")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["network"]["items"]) == 4


@pytest.mark.parametrize("damage, message", [
    ("older", f"stored by an older ecosys (format {VERSION - 1}; this one reads {VERSION}); run `ecosys analyze` on "
              "the table again"),
    ("newer", f"stored by a newer ecosys (format {VERSION + 1}; this one reads {VERSION}); upgrade ecosys, or run "
              "`ecosys analyze` on the table again"),
    ("garbage", "not an analysis ecosys can read; run `ecosys analyze` on the table again"),
    ("no arrays", "missing; run `ecosys analyze` on the table again"),
    ("other run", "not the one analysis.json describes (another run, or damaged); run `ecosys analyze` on the table "
                  "again"),
    ("truncated", "not the one analysis.json describes (another run, or damaged); run `ecosys analyze` on the table "
                  "again"),
])
def test_an_unusable_store_is_refused_in_one_line(tmp_path, damage, message):
    _, folder = analysed(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    where = folder / (ARRAYS if damage in ("no arrays", "other run", "truncated") else MANIFEST)
    if damage in ("older", "newer"):
        manifest["format"]["version"] = {"older": VERSION - 1, "newer": VERSION + 1}[damage]
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    elif damage == "garbage":
        (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    elif damage == "no arrays":
        (folder / ARRAYS).unlink()
    elif damage == "other run":
        save_analysis(analyze(demo_path()), tmp_path / "other")
        shutil.copy(tmp_path / "other" / ARRAYS, folder / ARRAYS)
    else:
        (folder / ARRAYS).write_bytes((folder / ARRAYS).read_bytes()[:100])
    result = run("export", folder, "-f", "json", "-o", "-")
    assert result.exit_code == 1
    assert result.output == f"Error: {where}: {message}\n"


def test_an_output_folder_without_a_stored_analysis_asks_for_one(tmp_path):
    _, folder = analysed(tmp_path)
    (folder / MANIFEST).unlink()  # as an ecosys before this format wrote it: summary.json and the rest
    result = run("report", folder)
    assert result.exit_code == 1
    assert result.output == f"Error: {folder}: no stored analysis (analysis.json); run `ecosys analyze` on the table again\n"


def test_export_never_writes_over_the_stored_analysis_or_its_input(tmp_path):
    table, folder = analysed(tmp_path)
    for target in (folder / MANIFEST, table):
        result = run("export", folder, "-f", "json", "-o", target)
        assert result.exit_code == 1
        assert result.output == f"Error: {target}: is an input file; choose another output file with --out\n"
    assert read_manifest(folder)


# -- real data ---------------------------------------------------------------------------------------


def test_cordis_stored_and_loaded(shared_data, tmp_path):
    result = analyze(shared_data / "cordis-h2020-sod2016")
    folder = tmp_path / "cordis"
    save_analysis(result, folder, inputs=sorted((shared_data / "cordis-h2020-sod2016").iterdir()))
    assert read_manifest(folder)["inputs"][0]["path"].endswith("cordis-h2020-sod2016/SOURCE.md")
    loaded = load_analysis(folder)
    assert loaded.summary() == result.summary()
    pd.testing.assert_frame_equal(loaded.partners(), result.partners())
    for fmt in ("gexf", "json"):
        assert render_export(loaded, fmt, "partners") == render_export(result, fmt, "partners"), fmt
    assert (folder / ARRAYS).stat().st_size < 4_000_000  # 2.5 MB for 31,868 participations


def test_the_committed_demo_store_is_fresh(tmp_path, monkeypatch):
    """graphs/<demo>/analysis.* are what `ecosys analyze` stores now; if this fails, run it and commit."""
    monkeypatch.chdir(tmp_path)
    assert run("analyze", "--quiet").exit_code == 0
    for name in (MANIFEST, ARRAYS):
        assert (REPO / "graphs" / DEMO_NAME / name).read_bytes() == (tmp_path / "graphs" / DEMO_NAME / name).read_bytes(), (
            f"graphs/{DEMO_NAME}/{name} is stale: run `ecosys analyze` in the repository and commit it")
