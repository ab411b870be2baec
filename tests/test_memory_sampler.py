"""benchmarks/memory.py: every process's memory sampled, and ``ecosys analyze``'s stages marked in order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import memory  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux's /proc")


def test_a_process_and_its_children_are_read():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in memory._children(os.getpid())
        mine = memory._rollup(os.getpid())
        assert 0 < mine["Pss"] <= mine["Rss"] and mine["Private_Dirty"] <= mine["Rss"]
    finally:
        child.kill()
        child.wait()
    assert memory._rollup(child.pid) is None  # gone


def test_the_stages_of_analyze_are_marked_in_order(tmp_path):
    samples = tmp_path / "samples.tsv"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "memory.py"), "--interval", "0.05", "--samples",
                          str(samples), "--", "ecosys", "analyze", "-q", "-o", str(tmp_path / "out"), "--jobs", "1"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert "largest process: main" in run.stdout
    lines = samples.read_text().splitlines()
    marks = [line.split("\t")[1] for line in lines if line.startswith("# ")]
    order = ["read", "graph", "projection", "metrics, Leiden beside", "partition",
             "outputs: node rows, the tables' child", "outputs: node table, profiles beside", "outputs: maps",
             "outputs: report", "outputs: writing", "analysis.npz"]
    assert [m for m in dict.fromkeys(marks) if m in order] == order
    rows = [line.split("\t") for line in lines[1:] if not line.startswith("#")]
    assert rows and all(int(r[2]) >= int(r[4]) > 0 for r in rows)  # resident at least own
    assert (tmp_path / "out" / "analysis.npz").exists()
