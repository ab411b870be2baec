"""Writing (ecosys.files): all or nothing, only ecosys's own files removed, no temporaries left, the umask kept.

A full disk is made by injecting ENOSPC into the writes of the output folder, a file-size quota by
RLIMIT_FSIZE in a subprocess (a real EFBIG from the kernel), a kill by SIGKILL in the middle of moving
the files in place.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecosys import EcosysError
from ecosys.cli import cli
from ecosys.files import clean_temporaries, write_bytes, write_files, write_outputs, write_text
from ecosys.manifest import MANIFEST, written_here
from ecosys.pipeline import analyze, demo_path

ROOT = Path(__file__).resolve().parent.parent
SMALL = b"partner,project\nA,P1\nB,P1\nB,P2\nC,P2\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="ecosys")


# -- all or nothing ------------------------------------------------------------------------------

@pytest.fixture
def full_disk(monkeypatch, tmp_path):
    """After ``after`` writes into ``tmp_path``, every write there fails with ENOSPC (as a full disk does)."""
    real, state = os.write, {"after": None, "writes": 0}

    def write(fd, data):
        target = os.readlink(f"/proc/self/fd/{fd}")
        if state["after"] is not None and target.startswith(str(tmp_path)):
            state["writes"] += 1
            if state["writes"] > state["after"]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    return state


@pytest.mark.parametrize("after", [0, 3, 6])
def test_a_full_disk_mid_run_leaves_the_previous_set_and_one_line(tmp_path, full_disk, after):
    out = tmp_path / "out"
    write_outputs(analyze(demo_path()), out, max_nodes=10)  # an overview and its community maps
    before = snapshot(out)
    full_disk["after"] = after
    result = invoke("analyze", "-o", out, "--seed", "5", "-q")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith(f"Error: {out}: cannot write ")
    assert result.output.endswith("(No space left on device); its previous outputs are as they were\n")
    assert snapshot(out) == before  # the same files, the same bytes, nothing temporary


def test_a_file_size_quota_mid_run_leaves_the_previous_set(tmp_path):
    """RLIMIT_FSIZE: the kernel refuses to grow a file past 200 KB (EFBIG); the map is larger."""
    out = tmp_path / "out"
    assert invoke("analyze", SMALL_TABLE(tmp_path), "-o", out, "-q").exit_code == 0
    before = snapshot(out)
    code = ("import resource, sys, runpy; resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000)); "
            f"sys.argv = ['ecosys', 'analyze', '-o', {str(out)!r}, '-q']; runpy.run_module('ecosys', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"Error: {out}: cannot write map.html (File too large);") and done.stderr.count("\n") == 1
    assert snapshot(out) == before


def SMALL_TABLE(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_bytes(SMALL)
    return path


def test_a_kill_while_moving_files_in_place_is_cleaned_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    code = ("import os, signal, sys, runpy\n"
            "real = os.replace\n"
            "def replace(a, b):\n"
            "    real(a, b)\n"
            "    if str(b).endswith('summary.json'):\n"
            "        os.kill(os.getpid(), signal.SIGKILL)\n"
            "os.replace = replace\n"
            f"sys.argv = ['ecosys', 'analyze', '-o', {str(out)!r}, '-q']\n"
            "runpy.run_module('ecosys', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          timeout=300)
    assert done.returncode == -signal.SIGKILL
    left = sorted(p.name for p in out.iterdir() if p.name.startswith(".ecosys-") and p.name.endswith(".tmp"))
    assert len(left) == 1  # the hidden folder of the set being written
    assert set(written_here(out)) >= {"partners.csv", "map.html", "ecosys.xlsx"}  # listed before anything moved
    assert invoke("analyze", "-o", out, "-q").exit_code == 0
    assert not [p for p in out.rglob("*.tmp")]
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, "communities.csv", "ecosys.xlsx", "index.html",
                                                            "map.html", "partners.csv", "projects.csv", "summary.json",
                                                            "analysis.json", "analysis.npz"])


def test_temporaries_of_killed_runs_are_removed_and_those_of_running_ones_kept(tmp_path):
    dead = 2**22 + 12345  # above the kernel's default pid_max: no such process
    assert not Path(f"/proc/{dead}").exists()
    (tmp_path / f".map.html.{dead}-0123abcd.tmp").write_text("half a map")
    (tmp_path / f".ecosys-{dead}-89abcdef.tmp").mkdir()
    (tmp_path / f".ecosys-{dead}-89abcdef.tmp" / "partners.csv").write_text("half a table")
    (tmp_path / ".map.html.k3j4h5g6.tmp").write_text("left by ecosys before 0.2")
    running = os.getppid()
    (tmp_path / f".map.html.{running}-0123abcd.tmp").write_text("being written")
    (tmp_path / ".notes.txt.k3j4h5g6.tmp").write_text("not ecosys's")
    (tmp_path / "mine.tmp").write_text("the user's")
    removed = clean_temporaries(tmp_path, names={"map.html"})
    assert sorted(p.name for p in removed) == sorted([f".map.html.{dead}-0123abcd.tmp", f".ecosys-{dead}-89abcdef.tmp",
                                                      ".map.html.k3j4h5g6.tmp"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f".map.html.{running}-0123abcd.tmp",
                                                                 ".notes.txt.k3j4h5g6.tmp", "mine.tmp"])


def test_write_text_and_bytes_leave_the_old_file_on_failure(tmp_path, full_disk):
    path = write_text(tmp_path / "t.csv", "old\n")
    full_disk["after"] = 0
    with pytest.raises(EcosysError) as info:
        write_bytes(path, b"new\n")
    assert str(info.value) == f"{path}: cannot be written (No space left on device); it is as it was"
    assert path.read_bytes() == b"old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


# -- only ecosys's files are removed ----------------------------------------------------------------

def test_files_ecosys_wrote_before_and_not_now_are_removed_others_kept(tmp_path):
    out = tmp_path / "out"
    result = analyze(demo_path(), backbone="disparity")
    write_outputs(result, out, max_nodes=10)
    assert {"backbone.csv", "ecosys.xlsx", "communities/community-1.html"} <= set(written_here(out))
    (out / "notes.txt").write_text("the user's")
    (out / "communities" / "mine.html").write_text("the user's")
    edited = out / "communities" / "community-2.html"
    edited.write_text("edited by the user after ecosys wrote it")
    write_outputs(analyze(demo_path()), out, xlsx_max_rows=10)  # no backbone, no workbook, no community maps
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == sorted([MANIFEST, "communities.csv", "communities/community-2.html", "communities/mine.html",
                            "index.html", "map.html", "notes.txt", "partners.csv", "projects.csv", "summary.json"])
    assert edited.read_text() == "edited by the user after ecosys wrote it"
    assert set(written_here(out)) == {"communities.csv", "index.html", "map.html", "partners.csv", "projects.csv",
                                      "summary.json"}  # the edited map is the user's now


def test_the_report_command_removes_only_its_own_earlier_files(tmp_path):
    out = tmp_path / "out"
    table = SMALL_TABLE(tmp_path)
    assert invoke("analyze", table, "-o", out, "--backbone", "disparity", "-q").exit_code == 0
    assert invoke("report", table, "-o", out, "--no-xlsx", "-q").exit_code == 0
    assert not (out / "ecosys.xlsx").exists()  # the report's own file, not written now
    assert (out / "backbone.csv").exists() and (out / "partners.csv").exists()  # analyze's, outside the report's


def test_write_files_keeps_a_record_of_what_it_wrote(tmp_path):
    write_files(tmp_path, {"a.csv": "x\n", "sub/b.html": b"<p>"})
    record = json.loads((tmp_path / MANIFEST).read_text())
    assert sorted(record["files"]) == ["a.csv", "sub/b.html"]
    assert record["files"]["a.csv"] == __import__("hashlib").sha256(b"x\n").hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"../outside.txt": "x", "/etc/passwd": "y", "a.csv": 3}}))
    assert written_here(tmp_path) == {}  # a record naming files outside the folder is ignored


# -- the output folder is not an input ------------------------------------------------------------

def test_an_output_folder_that_is_the_input_folder_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "edges.csv").write_bytes(b"projectRcn,new_org_id\n10,A\n10,B\n11,B\n")
    before = snapshot(data)
    for command in ("analyze", "report"):
        result = invoke(command, data, "-o", data)
        assert result.exit_code == 1
        assert result.output == (f"Error: {data}: is the folder of tables being analysed, and its next analysis would "
                                 "read the outputs as tables; choose another output folder with --out\n")
    assert snapshot(data) == before
    with pytest.raises(EcosysError, match="is the folder of tables being analysed"):
        write_outputs(analyze(data), data)


def test_a_folder_holding_ecosys_outputs_is_read_without_them(tmp_path):
    """A folder analysed into itself by an earlier version: its outputs are not read as attribute tables."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "edges.csv").write_bytes(b"projectRcn,new_org_id\n10,A\n10,B\n11,B\n")
    clean = analyze(data).summary()["input"]["attributes"]
    write_files(data, {"partners.csv": "node,name,degree,pagerank\npartner:A,A,1,0.5\n", "summary.json": "{}\n"})
    p = analyze(data).participations
    assert p.warnings == (f"{data}: skipped partners.csv: ecosys wrote it there as the output of an earlier run",)
    assert analyze(data).summary()["input"]["attributes"] == clean


# -- names and permissions ------------------------------------------------------------------------

def test_a_file_named_dots_csv_writes_into_graphs_and_nowhere_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "...csv").write_bytes(SMALL)
    (tmp_path / "partners.csv").write_text("the user's own partners.csv")
    result = invoke("analyze", "...csv", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "partners.csv").read_text() == "the user's own partners.csv"
    assert (tmp_path / "graphs" / "dataset" / "partners.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["...csv", "graphs", "partners.csv"]


@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_files_are_created_with_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        paths = write_outputs(analyze(demo_path()), tmp_path / "out", max_nodes=10)
        paths.append(write_text(tmp_path / "single.csv", "x\n"))
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in [*paths, tmp_path / "out" / MANIFEST]} == {mode}
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o777 & ~umask
