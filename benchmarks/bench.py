"""Benchmark ecosys: start-up, stage by stage against a plain networkx pipeline, at scale.

    python3 benchmarks/bench.py                 # 1k, 10k, 100k generated rows + CORDIS H2020
    python3 benchmarks/bench.py --sizes 1000    # just one generated size, no real data
    python3 benchmarks/bench.py --read          # reading only: read_participations + build_network
                                                # on CORDIS h2020.csv.gz vs a plain pandas.read_csv
    python3 benchmarks/bench.py --startup       # ecosys --help, --version, the demo vs python -c pass
    python3 benchmarks/bench.py --startup --source   # the same, source compiled on each run if no bytecode
    python3 benchmarks/bench.py --scale         # generated tables of 100k to 10M rows
    python3 benchmarks/bench.py --scale --rows 100000 1000000
    python3 benchmarks/bench.py --paths         # betweenness + closeness on H2020: former vs one pass
    python3 benchmarks/bench.py --evolution     # ecosys evolution of H2020 by year vs one ecosys analyze
    python3 benchmarks/bench.py --map           # whole.html of all of H2020 in Chromium vs the overview

Each run (ecosys, or the baseline) happens in a fresh process so its peak memory
(maximum resident set size) is its own. The baseline is what a researcher would
write with networkx for the same table: read it with pandas, build the bipartite
graph, `bipartite.weighted_projected_graph`, weighted degree, PageRank,
`louvain_communities` with a seed, write a table. It computes no betweenness,
closeness or map; ecosys computes all of them. The ratio is ecosys / baseline
wall time, measured in the same run on the same machine. Start-up is compared
with `python -c pass`, the one-pass betweenness and closeness with the igraph
and scipy calls it replaced, each in the same run. Every section prints the
machine's load average, as the figures drift with it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

from generate import generate

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "raw"
# name: (path, separator, partner column, project column), for the baseline's pandas.read_csv
REAL = {
    "cordis-h2020-sod2016": (SHARED / "cordis-h2020-sod2016" / "edges.csv", "\t", "new_org_id", "projectRcn"),
    "cordis-h2020-eunets2020": (SHARED / "cordis-h2020-eunets2020" / "h2020.csv.gz", ",", "pic", "rcn"),
}
# the reading benchmark (--read): 144,726 rows, 15 columns, gzip-compressed
READ = SHARED / "cordis-h2020-eunets2020" / "h2020.csv.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_status() -> dict:
    """The resident set now and its peak since the last reset (Linux's VmRSS and VmHWM, in MB; {} elsewhere)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {k: int(fields[v].split()[0]) / 1024 for k, v in (("resident_mb", "VmRSS"), ("stage_peak_mb", "VmHWM"))
            if v in fields}


def reset_peak() -> None:
    """Start a new peak resident set (VmHWM) from the current one, where Linux allows it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


class Stages(dict):
    """Stage name -> seconds since the previous mark, the processor time of this process and of its finished
    children (user + system: what a loaded machine disturbs less than the wall clock), the process's peak memory
    so far, and (on Linux) the stage's own peak resident set and what stays resident after it."""

    def __init__(self):
        super().__init__()
        self._last = time.perf_counter()
        self._cpu = _cpu()
        reset_peak()

    def mark(self, name: str) -> None:
        now, cpu = time.perf_counter(), _cpu()
        status = memory_status()  # resetting VmHWM resets getrusage's peak too: keep the running peak here
        self._peak = max(getattr(self, "_peak", 0.0), peak_mb(), status.get("stage_peak_mb", 0.0))
        self[name] = {"seconds": now - self._last, "cpu": cpu - self._cpu, "peak_mb": self._peak, **status}
        reset_peak()
        self._last, self._cpu = time.perf_counter(), _cpu()


def _cpu() -> float:
    """Processor seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_ecosys(path: str, out: str, max_pairs: int | None = -1, jobs: int | None = None) -> dict:
    """ecosys as `ecosys analyze` runs it, stage by stage. With 2 jobs or more the communities are found in a
    second process while the metrics are computed (ecosys.parallel): "communities" is then the time left
    waiting for them after the metrics."""
    from ecosys.graph import PARTNER, build_network, project
    from ecosys.read import read_participations
    from ecosys.metrics import node_metrics
    from ecosys.communities import community_numbers, numbered_partition
    from ecosys.parallel import behind, resolve_jobs, start
    from ecosys.pipeline import Analysis, while_communities
    from ecosys.files import write_outputs
    from ecosys.limits import release_memory

    stages = Stages()
    mark = stages.mark

    p = read_participations(path, jobs=resolve_jobs(jobs))  # as ecosys.analyze: halves parsed at once (jobs > 1)
    mark("read")
    net = build_network(p)
    mark("graph")
    P = project(net, PARTNER) if max_pairs == -1 else project(net, PARTNER, max_pairs=max_pairs)
    mark("projection")
    # as ecosys.analyze: the child sends the communities back as numbers; the metrics give way to it
    found = start(partial(community_numbers, seed=0, projection=P), net, jobs=jobs)
    metrics = behind(found, node_metrics, net, seed=0, projection=P, jobs=jobs)
    release_memory()  # as ecosys.analyze does between its steps
    mark("metrics")
    early = while_communities(found, p, net)  # as ecosys.analyze does while the communities are found
    partition = numbered_partition(net, found.result())
    release_memory()
    mark("communities")
    analysis = Analysis(p, net, P, metrics, partition, 0)
    analysis.__dict__.update(early)
    write_outputs(analysis, out, jobs=jobs)  # the default outputs of `ecosys analyze`: tables, maps, report
    mark("outputs")
    s = analysis.summary()
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"stages": stages, "child_peak_mb": child_mb, "nodes": len(net.nodes), "edges": len(net.edges), "modularity": s["modularity"],
            "centrality": s["centrality"].get("method"), "pivots": s["centrality"].get("pivots"),
            "pairs": P.number_of_edges(), "partners": net.n_partners, "projects": net.n_projects}


def run_baseline(path: str, out: str, sep: str = ",", partner_col: str = "partner", project_col: str = "project") -> dict:
    import networkx as nx
    import pandas as pd
    from networkx.algorithms import bipartite

    stages = Stages()
    mark = stages.mark

    df = pd.read_csv(path, sep=sep, dtype=str)
    mark("read")
    B = nx.Graph()
    partners = set("a:" + df[partner_col])
    B.add_nodes_from(partners, bipartite=0)
    B.add_nodes_from(set("p:" + df[project_col]), bipartite=1)
    B.add_edges_from(zip("a:" + df[partner_col], "p:" + df[project_col]))
    mark("graph")
    P = bipartite.weighted_projected_graph(B, partners)
    mark("projection")
    strength = dict(P.degree(weight="weight"))
    pagerank = nx.pagerank(P, weight="weight")
    mark("metrics")
    communities = nx.community.louvain_communities(P, weight="weight", seed=0)
    modularity = nx.community.modularity(P, communities, weight="weight")
    mark("communities")
    community = {n: i for i, c in enumerate(communities) for n in c}
    pd.DataFrame({"node": list(strength), "strength": list(strength.values()),
                  "pagerank": [pagerank[n] for n in strength], "community": [community[n] for n in strength]}
                 ).to_csv(Path(out) / "baseline.csv", index=False)
    mark("outputs")
    return {"stages": stages, "modularity": round(modularity, 6)}


def run_read(path: str, out: str) -> dict:
    """ecosys reading: read_participations (cleaning, classification, checks), then build_network."""
    from ecosys.graph import build_network
    from ecosys.read import read_participations

    stages = Stages()
    p = read_participations(path)
    stages.mark("read")
    net = build_network(p)
    stages.mark("graph")
    return {"stages": stages, "rows": p.rows_read, "nodes": len(net.nodes), "edges": len(net.edges)}


def run_read_pandas(path: str, out: str) -> dict:
    """The floor: pandas' C parser reading the same file as text, nothing else."""
    import pandas as pd

    stages = Stages()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    stages.mark("read")
    return {"stages": stages, "rows": len(df)}


def report_read(path: Path) -> None:
    """Time ecosys' reader against pandas.read_csv, each in a fresh process, in the same run."""
    ours, base = child("read", str(path)), child("read_pandas", str(path))
    read, graph = ours["stages"]["read"], ours["stages"]["graph"]
    floor = base["stages"]["read"]
    print(f"\n== reading {path.name}: {ours['rows']:,} rows, {ours['nodes']:,} nodes, {ours['edges']:,} edges")
    print(f"{'step':<28}{'s':>8}{'peak MB':>9}")
    print(f"{'ecosys read_participations':<28}{read['seconds']:>8.2f}{read['peak_mb']:>9.0f}")
    print(f"{'ecosys build_network':<28}{graph['seconds']:>8.2f}{graph['peak_mb']:>9.0f}")
    print(f"{'pandas.read_csv (dtype=str)':<28}{floor['seconds']:>8.2f}{floor['peak_mb']:>9.0f}")
    print(f"ratio read_participations/read_csv: {read['seconds'] / floor['seconds']:.2f}x time, "
          f"{read['peak_mb'] / floor['peak_mb']:.2f}x peak memory")


def child(kind: str, *args, memory_gb: float | None = None) -> dict:
    """Run one pipeline in a fresh process and return its measurements.

    ``memory_gb`` caps the child's address space, so a run too big for the
    machine fails alone (MemoryError) instead of pushing others out of memory.
    """
    with tempfile.TemporaryDirectory() as out:
        call = ", ".join(repr(a) for a in (args[0], out, *args[1:]))
        cap = "" if memory_gb is None else (
            f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({int(memory_gb * 2**30)},) * 2); ")
        code = (f"{cap}import sys, json; sys.path.insert(0, {str(HERE)!r}); sys.path.insert(0, {str(HERE.parent)!r}); "
                f"import bench; print(json.dumps(bench.run_{kind}({call})))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
        return json.loads(done.stdout.strip().splitlines()[-1])


def load() -> str:
    """The machine's load average over 1, 5 and 15 minutes (2 cores: 2.0 is busy)."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(name: str, path: Path, sep: str = ",", partner: str = "partner", project: str = "project",
           jobs: int | None = None) -> None:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        rows = sum(1 for _ in f) - 1
    ours, base = child("ecosys", str(path), -1, jobs), child("baseline", str(path), sep, partner, project)
    for run in (ours, base):
        if "error" in run:
            print(f"\n== {name}: {run['error']}")
            return
    total = sum(s["seconds"] for s in ours["stages"].values())
    base_total = sum(s["seconds"] for s in base["stages"].values())
    pivots = "" if ours["pivots"] is None else f", {ours['pivots']:,} pivots"
    print(f"\n== {name}: {rows:,} rows, {ours['nodes']:,} nodes, {ours['edges']:,} edges "
          f"(centrality {ours['centrality']}{pivots})")
    print(f"{'stage':<12}{'ecosys s':>10}{'cpu s':>8}{'peak MB':>9}   {'baseline s':>10}{'cpu s':>8}{'peak MB':>9}")
    for stage in ("read", "graph", "projection", "metrics", "communities", "outputs"):
        o = ours["stages"][stage]
        b = base["stages"].get(stage)
        right = f"{b['seconds']:>10.2f}{b['cpu']:>8.2f}{b['peak_mb']:>9.0f}" if b else f"{'-':>10}{'':>17}"
        print(f"{stage:<12}{o['seconds']:>10.2f}{o['cpu']:>8.2f}{o['peak_mb']:>9.0f}   {right}")
    cpu, base_cpu = (sum(s["cpu"] for s in run["stages"].values()) for run in (ours, base))
    print(f"{'total':<12}{total:>10.2f}{cpu:>8.2f}{max(s['peak_mb'] for s in ours['stages'].values()):>9.0f}   "
          f"{base_total:>10.2f}{base_cpu:>8.2f}{max(s['peak_mb'] for s in base['stages'].values()):>9.0f}")
    jobs_used = jobs or os.cpu_count()
    helper = f", its communities' process {ours['child_peak_mb']:.0f} MB" if ours["child_peak_mb"] else ""
    print(f"ratio ecosys/baseline: {total / base_total:.2f}x time ({base_total / total:.1f}x faster; ecosys with "
          f"{jobs_used} jobs{helper}); modularity {ours['modularity']:.3f} (baseline Louvain "
          f"{base['modularity']:.3f}); {load()}")


# -- start-up -----------------------------------------------------------------------------------

def report_startup(repeats: int, source: bool = False) -> None:
    """Wall and processor time of ecosys commands in fresh processes against `python -c pass`, medians of ``repeats``.

    The commands run as `python -m ecosys` with this checkout first on the path (the installed
    `ecosys` script may be another copy); they take turns, so a change in the machine's load
    falls on all of them alike. Processor time (user + system, of the process and its children)
    is what a loaded machine disturbs least. Python's bytecode is written on the first round (not
    counted) into a temporary folder and read from there after, as an installed package's is
    (pip compiles it at install), even where PYTHONDONTWRITEBYTECODE is set; ``source`` (`--source`)
    keeps the environment's setting, so that without bytecode the source is compiled on every run.
    """
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
        if not source:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        ecosys = [sys.executable, "-m", "ecosys"]
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import ecosys.cli'": [sys.executable, "-c", "import ecosys.cli"],
            "ecosys --version": [*ecosys, "--version"],
            "ecosys --help": [*ecosys, "--help"],
            "ecosys analyze --help": [*ecosys, "analyze", "--help"],
            "ecosys analyze (the demo, every output)": [*ecosys, "analyze", "-q", "-o", str(Path(tmp) / "demo")],
        }
        times = {name: [] for name in commands}
        cpus = {name: [] for name in commands}
        for _ in range(repeats + 1):  # the first round warms the caches (bytecode, numba), not counted
            for name, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, env=env, cwd=tmp, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    floor = statistics.median(times["python -c pass"][1:])
    cpu_floor = statistics.median(cpus["python -c pass"][1:])
    bytecode = "bytecode as the environment has it" if source else "bytecode compiled once"
    print(f"\n== start-up: median of {repeats} runs each, in turns, {bytecode} ({load()})")
    print(f"{'command':<42}{'median s':>9}{'min s':>8}{'- python':>10}{'ratio':>8}{'cpu s':>8}{'- python':>10}")
    for name, runs in times.items():
        median, cpu = statistics.median(runs[1:]), statistics.median(cpus[name][1:])
        print(f"{name:<42}{median:>9.3f}{min(runs[1:]):>8.3f}{median - floor:>10.3f}{median / floor:>7.1f}x"
              f"{cpu:>8.3f}{cpu - cpu_floor:>10.3f}")


# -- scale --------------------------------------------------------------------------------------

SCALE_ROWS = [100_000, 300_000, 1_000_000, 3_000_000, 10_000_000]


def report_scale(rows_list: list[int], baseline_max: int, max_pairs: int | None, memory_gb: float) -> None:
    """ecosys on generated tables (benchmarks/generate.py) of growing size: time, peak memory, per row."""
    print(f"\n== scale: generated tables shaped like H2020 (benchmarks/generate.py, seed 0); each run in a fresh "
          f"process capped at {memory_gb:g} GB of address space; baseline up to {baseline_max:,} rows")
    stages = ("read", "graph", "projection", "metrics", "communities", "outputs")
    print(f"{'rows':>11}{'nodes':>11}{'pairs':>12}{'total s':>9}{'peak MB':>9}{'B/row':>7}  "
          + "".join(f"{s[:5]:>7}" for s in stages) + f"{'base s':>9}{'ratio':>7}  load")
    for rows in rows_list:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate(rows, Path(tmp) / f"generated-{rows}.csv")
            ours = child("ecosys", str(path), -1 if max_pairs is None else max_pairs, memory_gb=memory_gb)
            base = child("baseline", str(path), ",", "pic", "rcn", memory_gb=memory_gb) if rows <= baseline_max else None
        if "error" in ours:
            print(f"{rows:>11,}  {ours['error'][:200]}")
            continue
        total = sum(s["seconds"] for s in ours["stages"].values())
        peak = max(s["peak_mb"] for s in ours["stages"].values())
        per_stage = "".join(f"{ours['stages'][s]['seconds']:>7.1f}" for s in stages)
        if base is None or "error" in base:
            right = f"{'-':>9}{'-':>7}"
        else:
            base_total = sum(s["seconds"] for s in base["stages"].values())
            right = f"{base_total:>9.1f}{total / base_total:>6.2f}x"
        print(f"{rows:>11,}{ours['nodes']:>11,}{ours['pairs']:>12,}{total:>9.1f}{peak:>9,.0f}"
              f"{peak * 2**20 / rows:>7,.0f}  {per_stage}{right}  {os.getloadavg()[0]:.2f}")
        if all("stage_peak_mb" in ours["stages"][s] for s in stages):  # Linux: each stage's own peak, and after it
            print(f"{'':>61}" + "".join(f"{ours['stages'][s]['stage_peak_mb']:>7,.0f}" for s in stages)
                  + "  stage peak MB")
            print(f"{'':>61}" + "".join(f"{ours['stages'][s]['resident_mb']:>7,.0f}" for s in stages)
                  + "  resident after, MB")


# -- betweenness and closeness: the replaced searches against the one pass ------------------------

def report_paths(path: Path, repeats: int) -> None:
    """Betweenness and closeness on all of H2020 from the sources ecosys samples (100 pivots in the giant
    component, every node elsewhere): igraph's betweenness and closeness plus scipy's shortest paths, as
    ecosys computed them before, against metrics.shortest_path_sums on one and two threads."""
    import igraph as ig
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components, shortest_path

    sys.path.insert(0, str(HERE.parent))  # this checkout's ecosys, as the other modes run
    from ecosys.graph import build_network
    from ecosys.read import read_participations
    from ecosys.metrics import MIN_PIVOTS
    from ecosys.searches import shortest_path_sums

    net = build_network(read_participations(path))
    N = len(net.nodes)
    edges = np.column_stack([net.edges["partner"].to_numpy(), net.edges["project"].to_numpy() + net.n_partners])
    ends = np.concatenate([edges, edges[:, ::-1]])
    A = sp.csr_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(N, N))
    g = ig.Graph(n=N)
    g.add_edges(edges)
    _, label = connected_components(A, directed=False)
    giant = np.flatnonzero(label == np.argmax(np.bincount(label)))
    pivots = np.sort(np.random.default_rng(0).choice(giant, size=MIN_PIVOTS, replace=False))
    small = np.flatnonzero(label != label[giant[0]])
    sources = np.union1d(pivots, small)

    def former():
        g.betweenness(directed=False, sources=sources.tolist())
        g.closeness(vertices=small.tolist(), normalized=False)
        for start in range(0, len(pivots), 128):
            shortest_path(A, method="D", unweighted=True, indices=pivots[start : start + 128])

    runs = {"igraph betweenness + closeness, scipy paths": former,
            "one pass, 1 thread": lambda: shortest_path_sums(A, sources, threads=1),
            "one pass, 2 threads": lambda: shortest_path_sums(A, sources, threads=2)}
    shortest_path_sums(A, sources[:2])  # compiled (or loaded from the cache) before timing
    times = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    print(f"\n== betweenness and closeness on {path.name}: {N:,} nodes, {len(sources):,} sources "
          f"({MIN_PIVOTS} pivots in the {len(giant):,}-node giant component); median of {repeats}, in turns ({load()})")
    print(f"{'':<46}{'wall s':>8}{'min':>7}{'ratio':>8}{'cpu s':>8}")
    floor = statistics.median(times["igraph betweenness + closeness, scipy paths"])
    for name, t in times.items():
        median = statistics.median(t)
        print(f"{name:<46}{median:>8.2f}{min(t):>7.2f}{median / floor:>7.2f}x{statistics.median(cpu[name]):>8.2f}")


# -- evolution ----------------------------------------------------------------------------------

def run_evolution(path: str, out: str) -> dict:
    """ecosys evolution in stages: read, dates, each period's analysis, the comparisons and the outputs."""
    from ecosys.dates import project_dates
    from ecosys.evolution import evolve
    from ecosys.evolution.page import write_evolution
    from ecosys.read import read_participations

    stages = Stages()
    p = read_participations(path)
    stages.mark("read")
    dates = project_dates(p)
    stages.mark("dates")
    sizes = {}

    def period(i, q, figures):
        stages.mark(f"period {q.label}")
        sizes[q.label] = figures["participations"]

    result = evolve(p, dates=dates, on_period=period)
    stages.mark("compare")
    write_evolution(result, out)
    stages.mark("outputs")
    return {"stages": stages, "participations": sizes}


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def report_evolution(path: Path, repeats: int) -> None:
    """`ecosys evolution` of all of H2020 by year against one `ecosys analyze` of the whole table, each in a
    fresh process, in turns (the issue's budget: 3x), then where the evolution's time goes."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "ecosys analyze (every output)": [sys.executable, "-m", "ecosys", "analyze", str(path), "-q", "-o",
                                              str(Path(tmp) / "analyze")],
            "ecosys evolution (by year)": [sys.executable, "-m", "ecosys", "evolution", str(path), "-q", "-o",
                                           str(Path(tmp) / "evolution")],
        }
        times = {name: [] for name in commands}
        memory = {name: [] for name in commands}
        for _ in range(repeats):
            for name, command in commands.items():
                seconds, mb = timed(command, env)
                times[name].append(seconds)
                memory[name].append(mb)
    base = statistics.median(times["ecosys analyze (every output)"])
    print(f"\n== evolution of {path.name}: median of {repeats}, in turns ({load()})")
    print(f"{'command':<34}{'wall s':>8}{'min':>7}{'peak MB':>9}{'ratio':>8}")
    for name in commands:
        median = statistics.median(times[name])
        print(f"{name:<34}{median:>8.1f}{min(times[name]):>7.1f}{max(memory[name]):>9.0f}{median / base:>7.2f}x")
    stages = child("evolution", str(path))
    if "error" in stages:
        print(stages["error"])
        return
    total = sum(s["seconds"] for s in stages["stages"].values())
    print(f"\nwhere the time goes (one run, {load()}):")
    for name, s in stages["stages"].items():
        rows = stages["participations"].get(name.removeprefix("period "))
        extra = f"{rows:>10,} participations" if rows is not None else ""
        print(f"  {name:<14}{s['seconds']:>7.1f} s{s['peak_mb']:>8.0f} MB  {extra}")
    print(f"  {'total':<14}{total:>7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-real", action="store_true", help="skip the datasets in ../shared/data")
    parser.add_argument("--read", action="store_true",
                        help="only time reading (read_participations + build_graph) against pandas.read_csv")
    parser.add_argument("--startup", action="store_true",
                        help="only time ecosys --help, --version and the demo against python -c pass")
    parser.add_argument("--source", action="store_true",
                        help="with --startup: keep PYTHONDONTWRITEBYTECODE (ecosys's source compiled on every run)")
    parser.add_argument("--scale", action="store_true", help="only run the generated tables of --rows rows")
    parser.add_argument("--rows", type=int, nargs="+", default=SCALE_ROWS, help="with --scale: the table sizes")
    parser.add_argument("--baseline-max", type=int, default=100_000,
                        help="with --scale: run the networkx baseline up to this many rows (it takes minutes past)")
    parser.add_argument("--max-pairs", type=int, default=None,
                        help="with --scale: ecosys's --max-pairs (default: ecosys's own limit)")
    parser.add_argument("--memory-gb", type=float, default=20.0,
                        help="with --scale: address-space cap of each run, in GB")
    parser.add_argument("--paths", action="store_true",
                        help="only time betweenness + closeness on H2020: the former igraph calls vs the one pass")
    parser.add_argument("--evolution", action="store_true",
                        help="only time ecosys evolution of H2020 by year against one ecosys analyze of it")
    parser.add_argument("--jobs", type=int, default=None,
                        help="ecosys's --jobs in the default mode (default: the processors available)")
    parser.add_argument("--repeats", type=int, default=7,
                        help="with --startup, --paths and --evolution (default 3 there): runs of each")
    parser.add_argument("--map", action="store_true",
                        help="the whole-graph page of all of H2020 in headless Chromium, against the overview "
                             "(benchmarks/bench_map.py)")
    args = parser.parse_args()
    if args.map:
        from bench_map import main as report_map

        report_map(args.repeats if "--repeats" in sys.argv else 3)
        return
    if args.startup:
        report_startup(args.repeats, args.source)
        return
    if args.scale:
        report_scale(args.rows, args.baseline_max, args.max_pairs, args.memory_gb)
        return
    if args.evolution:
        if not READ.exists():
            sys.exit(f"{READ} not found")
        report_evolution(READ, args.repeats if "--repeats" in sys.argv else 3)
        return
    if args.read or args.paths:
        if not READ.exists():
            sys.exit(f"{READ} not found")
        report_read(READ) if args.read else report_paths(READ, args.repeats)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            report(f"generated {rows:,}", generate(rows, Path(tmp) / f"generated-{rows}.csv"), ",", "pic", "rcn",
                   args.jobs)
    if not args.no_real:
        for name, (path, sep, partner, project) in REAL.items():
            if path.exists():
                report(name, path, sep, partner, project, args.jobs)
            else:
                print(f"\n== {name}: {path} not found, skipped")


if __name__ == "__main__":
    main()
