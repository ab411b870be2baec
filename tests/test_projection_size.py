"""The partner projection's size: estimated before it is built, stopped past --max-pairs, big projects left out.

One project with thousands of partners makes the projection quadratic (20,000
partners: 200 million pairs, a MemoryError at 5-7 GB before the guard). The
memory test runs the command in a subprocess under an address-space limit, so
a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from ecosys import EcosysError, analyze, estimate_pairs, project
from ecosys.cli import cli
from ecosys.graph import MAX_PAIRS, graph_from_edges
from ecosys.metrics import node_metrics

ROOT = Path(__file__).resolve().parent.parent

# A, B, C in P1; A, B in P2; C, D in P3; and BIG with A..F (six partners).
SMALL = [("A", "P1"), ("B", "P1"), ("C", "P1"), ("A", "P2"), ("B", "P2"), ("C", "P3"), ("D", "P3"),
         *((x, "BIG") for x in "ABCDEF")]


def write_table(path: Path, pairs) -> Path:
    path.write_text("partner,project\n" + "".join(f"{a},{b}\n" for a, b in pairs), encoding="utf-8")
    return path


def huge_project_table(path: Path, size: int = 20_000) -> Path:
    """One project of ``size`` partners and 300 small ones: 364 KB, 200 million pairs for size 20,000."""
    rng = np.random.default_rng(0)
    pairs = [(f"Org {i}", "BIG") for i in range(size)]
    pairs += [(f"Org {j}", f"P{k}") for k in range(300) for j in rng.choice(size, 5, replace=False)]
    return write_table(path, pairs)


def test_estimate_is_the_sum_of_the_pairs_each_project_links():
    G = graph_from_edges(SMALL)
    # P1: 3 pairs, P2: 1, P3: 1, BIG: 15
    assert estimate_pairs(G) == 20
    assert estimate_pairs(G, max_project_size=3) == 5
    # onto projects: A and B are in 3 projects (3 pairs each), C in 3 (3), D in 2 (1), E and F in 1
    assert estimate_pairs(G, "project") == 10
    assert estimate_pairs(G, "project", max_project_size=3) == 1 + 1 + 1 + 0
    assert estimate_pairs(G) >= project(G).number_of_edges() == 15  # BIG links every pair


def test_estimate_bounds_the_pairs_on_random_graphs():
    rng = np.random.default_rng(1)
    for _ in range(5):
        G = graph_from_edges((f"a{rng.integers(60)}", f"p{rng.integers(25)}") for _ in range(150))
        P = nx.bipartite.projected_graph(G, [n for n, k in G.nodes(data="kind") if k == "partner"])
        assert project(G).number_of_edges() == P.number_of_edges() <= estimate_pairs(G)


def test_max_project_size_leaves_big_projects_out_of_the_projection_by_hand():
    G = graph_from_edges(SMALL)
    P = project(G, max_project_size=3)
    assert P.edges()[["source", "target", "shared"]].values.tolist() == [
        ["partner:A", "partner:B", 2], ["partner:A", "partner:C", 1], ["partner:B", "partner:C", 1],
        ["partner:C", "partner:D", 1],
    ]
    assert [P.network.projects["name"][k] for k in P.left_out] == ["BIG"]
    assert P.summary() == {
        "weighting": "count", "min_shared": 1, "max_project_size": 3,
        "left_out": {"projects": 1, "participations": 6,
                     "largest": [{"node": "project:BIG", "name": "BIG", "partners": 6}]},
    }
    # association strength counts the projects kept: A-B share 2 of 3 projects, A and B in 2 each
    assert project(G, weighting="association", max_project_size=3).weight[0, 1] == pytest.approx(2 * 3 / (2 * 2))
    assert project(G).summary() == {"weighting": "count", "min_shared": 1}
    with pytest.raises(ValueError, match="at least 2"):
        project(G, max_project_size=1)


def test_metrics_needing_the_projection_leave_big_projects_out_the_others_keep_them():
    G = graph_from_edges(SMALL)
    t = node_metrics(G, projection=project(G, max_project_size=3)).set_index("name")
    assert t["projection_degree"][list("ABCDEF")].tolist() == [2, 2, 3, 1, 0, 0]
    assert t["weighted_degree"][list("ABCDEF")].tolist() == [3, 3, 3, 1, 0, 0]
    assert t["degree"][["A", "E", "BIG"]].tolist() == [3, 1, 6]  # the bipartite graph keeps BIG
    assert t.loc["BIG", "projection_degree"] == 3  # projects sharing a partner with BIG: P1, P2, P3
    # the partners' projection metrics are those of the table without BIG
    without = node_metrics(graph_from_edges([p for p in SMALL if p[1] != "BIG"])).set_index("name")
    for column in ("projection_degree", "weighted_degree", "weighted_clustering", "constraint", "effective_size"):
        assert t[column][list("ABCD")].tolist() == pytest.approx(without[column][list("ABCD")].tolist()), column
    # and the full projection when nothing is left out
    full = node_metrics(G).set_index("name")
    assert full["projection_degree"][list("ABCDEF")].tolist() == [5, 5, 5, 5, 5, 5]


def test_analyze_reports_the_left_out_projects(tmp_path):
    path = write_table(tmp_path / "small.csv", SMALL)
    s = analyze(path, max_project_size=3).summary()
    assert s["projection"]["left_out"]["largest"][0]["name"] == "BIG"
    assert s["partner_pairs"] == 4
    assert s["partners_without_copartner"] == 2  # E and F: their only project is left out
    assert "max_project_size" not in analyze(path).summary()["projection"]


def test_cli_max_project_size_warns_and_writes_summary(tmp_path):
    path = write_table(tmp_path / "small.csv", SMALL)
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(tmp_path / "out"), "-q",
                                      "--max-project-size", "3"], prog_name="ecosys")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: 1 project with more than 3 partners (6 participations; the largest, 'BIG', has 6) left out of "
        "the partner projection, its communities and the projection metrics (--max-project-size); they stay in "
        "the graph and the tables.\n"
    )
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["projection"]["max_project_size"] == 3 and summary["partner_pairs"] == 4
    partners = (tmp_path / "out" / "partners.csv").read_text().splitlines()
    assert len(partners) == 1 + 6  # every partner stays in the tables
    for command in (["report"], ["export", "-f", "json"], ["backbone", "--method", "disparity"]):
        out = tmp_path / command[0]
        args = [*command, str(path), "-o", str(out / "x.json" if command[0] != "report" else out),
                "-q", "--max-project-size", "3"]
        result = CliRunner().invoke(cli, args, prog_name="ecosys")
        assert result.exit_code == 0 and "left out of the partner projection" in result.stderr, command


def test_cli_max_pairs_stops_with_one_line(tmp_path):
    path = write_table(tmp_path / "small.csv", SMALL)
    result = CliRunner().invoke(cli, ["analyze", str(path), "-o", str(tmp_path / "out"), "--max-pairs", "10"],
                                prog_name="ecosys")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: small: the partner projection would link up to 20 pairs, more than the 10 allowed (--max-pairs); "
        "largest projects: 'BIG' (6 partners), 'P1' (3 partners), 'P2' (2 partners). Check that --project names the project column; "
        "or leave the largest projects out with --max-project-size N (N below 6 fits); or raise --max-pairs if this "
        "machine has the memory\n"
    )
    assert not (tmp_path / "out").exists()
    with pytest.raises(EcosysError, match="up to 20 pairs"):
        project(graph_from_edges(SMALL), max_pairs=19)
    assert project(graph_from_edges(SMALL), max_pairs=None).number_of_edges() == 15


def run_limited(args, limit_bytes: int, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m ecosys ARGS`` with its address space capped: past it, allocations fail (MemoryError)."""
    code = ("import resource, sys, runpy; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes})); "
            f"sys.argv = ['ecosys', *{list(map(str, args))!r}]; runpy.run_module('ecosys', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


LIMIT = 2 * 1024**3  # the estimate needs ~0.2 GB; the 200 million pairs would need ~5 GB


def test_a_20000_partner_project_stops_with_one_line_under_a_memory_cap(tmp_path):
    path = huge_project_table(tmp_path / "huge.csv")
    done = run_limited(["analyze", path, "-o", tmp_path / "out"], LIMIT, tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: huge: the partner projection would link up to "
                                                   "199,993,000 pairs"), done.stderr[-2000:]
    assert "'BIG' (20,000 partners)" in lines[0] and "--max-project-size N (N below 20,000 fits)" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_20000_partner_project_left_out_runs_under_a_memory_cap(tmp_path):
    path = huge_project_table(tmp_path / "huge.csv")
    done = run_limited(["analyze", path, "-o", tmp_path / "out", "-q", "--max-project-size", "1000"], LIMIT, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.startswith("Warning: 1 project with more than 1,000 partners (20,000 participations")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["partners"] == 20_000 and summary["participations"] == 21_500
    assert summary["partner_pairs"] == 3_000  # 300 projects of 5 partners, no pair twice (seeded)
    assert MAX_PAIRS == 50_000_000
