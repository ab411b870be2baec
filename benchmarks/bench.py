"""Benchmark `ecosys analyze`, stage by stage, against a plain networkx pipeline.

    python3 benchmarks/bench.py                 # 1k, 10k, 100k generated rows + CORDIS H2020
    python3 benchmarks/bench.py --sizes 1000    # just one generated size, no real data
    python3 benchmarks/bench.py --read          # reading only: read_participations + build_network
                                                # on CORDIS h2020.csv.gz vs a plain pandas.read_csv

Each run (ecosys, or the baseline) happens in a fresh process so its peak memory
(maximum resident set size) is its own. The baseline is what a researcher would
write with networkx for the same table: read it with pandas, build the bipartite
graph, `bipartite.weighted_projected_graph`, weighted degree, PageRank,
`louvain_communities` with a seed, write a table. It computes no betweenness,
closeness or map; ecosys computes all of them. The ratio is ecosys / baseline
wall time, measured in the same run on the same machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "raw"
# name: (path, separator, partner column, project column), for the baseline's pandas.read_csv
REAL = {
    "cordis-h2020-sod2016": (SHARED / "cordis-h2020-sod2016" / "edges.csv", "\t", "new_org_id", "projectRcn"),
    "cordis-h2020-eunets2020": (SHARED / "cordis-h2020-eunets2020" / "h2020.csv.gz", ",", "pic", "rcn"),
}
# the reading benchmark (--read): 144,726 rows, 15 columns, gzip-compressed
READ = SHARED / "cordis-h2020-eunets2020" / "h2020.csv.gz"


def generate(rows: int, path: Path, seed: int = 0) -> Path:
    """A participation table like real ones: heavy-tailed activity, projects of 2 to 40 partners."""
    rng = np.random.default_rng(seed)
    sizes = np.clip(rng.geometric(1 / 6, size=rows), 2, 40)
    sizes = sizes[np.cumsum(sizes) <= rows]
    n_partners = max(10, rows // 3)
    weights = 1.0 / np.arange(1, n_partners + 1) ** 0.9
    weights /= weights.sum()
    types = np.array(["university", "company", "research centre", "public body", "third sector"])
    countries = np.array(["IT", "DE", "FR", "ES", "NL", "BE", "PT", "GR", "SE", "PL"])
    lines = ["partner,project,role,type,country,programme,start,amount"]
    for j, k in enumerate(sizes):
        members = rng.choice(n_partners, size=k, replace=False, p=weights)
        year = 2014 + j % 7
        for i, a in enumerate(members):
            lines.append(
                f"Org {a},Project {j},{'coordinator' if i == 0 else 'participant'},{types[a % 5]},"
                f"{countries[a % 10]},P{j % 12},{year}-01-01,{rng.integers(10, 900) * 1000}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stages(dict):
    """Stage name -> seconds since the previous mark and the process's peak memory so far."""

    def __init__(self):
        super().__init__()
        self._last = time.perf_counter()

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self[name] = {"seconds": now - self._last, "peak_mb": peak_mb()}
        self._last = now


def run_ecosys(path: str, out: str) -> dict:
    from ecosys.communities import detect_communities
    from ecosys.graph import PARTNER, build_network, project
    from ecosys.read import read_participations
    from ecosys.metrics import node_metrics
    from ecosys.pipeline import Analysis
    from ecosys.report import write_outputs

    stages = Stages()
    mark = stages.mark

    p = read_participations(path)
    mark("read")
    net = build_network(p)
    mark("graph")
    P = project(net, PARTNER)
    mark("projection")
    metrics = node_metrics(net, seed=0, projection=P)
    mark("metrics")
    partition = detect_communities(net, seed=0, projection=P)
    mark("communities")
    analysis = Analysis(p, net, P, metrics, partition, 0)
    write_outputs(analysis, out)  # the default outputs of `ecosys analyze`: tables, maps, report
    mark("outputs")
    s = analysis.summary()
    return {"stages": stages, "nodes": len(net.nodes), "edges": len(net.edges), "modularity": s["modularity"],
            "centrality": s["centrality"].get("method"), "pivots": s["centrality"].get("pivots")}


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


def child(kind: str, *args) -> dict:
    """Run one pipeline in a fresh process and return its measurements."""
    with tempfile.TemporaryDirectory() as out:
        call = ", ".join(repr(a) for a in (args[0], out, *args[1:]))
        code = (f"import sys, json; sys.path.insert(0, {str(HERE)!r}); sys.path.insert(0, {str(HERE.parent)!r}); "
                f"import bench; print(json.dumps(bench.run_{kind}({call})))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def report(name: str, path: Path, sep: str = ",", partner: str = "partner", project: str = "project") -> None:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        rows = sum(1 for _ in f) - 1
    ours, base = child("ecosys", str(path)), child("baseline", str(path), sep, partner, project)
    total = sum(s["seconds"] for s in ours["stages"].values())
    base_total = sum(s["seconds"] for s in base["stages"].values())
    pivots = "" if ours["pivots"] is None else f", {ours['pivots']:,} pivots"
    print(f"\n== {name}: {rows:,} rows, {ours['nodes']:,} nodes, {ours['edges']:,} edges "
          f"(centrality {ours['centrality']}{pivots})")
    print(f"{'stage':<12}{'ecosys s':>10}{'peak MB':>9}   {'baseline s':>10}{'peak MB':>9}")
    for stage in ("read", "graph", "projection", "metrics", "communities", "outputs"):
        o = ours["stages"][stage]
        b = base["stages"].get(stage)
        right = f"{b['seconds']:>10.2f}{b['peak_mb']:>9.0f}" if b else f"{'-':>10}{'':>9}"
        print(f"{stage:<12}{o['seconds']:>10.2f}{o['peak_mb']:>9.0f}   {right}")
    print(f"{'total':<12}{total:>10.2f}{max(s['peak_mb'] for s in ours['stages'].values()):>9.0f}   "
          f"{base_total:>10.2f}{max(s['peak_mb'] for s in base['stages'].values()):>9.0f}")
    print(f"ratio ecosys/baseline: {total / base_total:.2f}x time; modularity {ours['modularity']:.3f} "
          f"(baseline Louvain {base['modularity']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-real", action="store_true", help="skip the datasets in ../shared/data")
    parser.add_argument("--read", action="store_true",
                        help="only time reading (read_participations + build_graph) against pandas.read_csv")
    args = parser.parse_args()
    if args.read:
        if not READ.exists():
            sys.exit(f"{READ} not found")
        report_read(READ)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            report(f"generated {rows:,}", generate(rows, Path(tmp) / f"generated-{rows}.csv"))
    if not args.no_real:
        for name, (path, sep, partner, project) in REAL.items():
            if path.exists():
                report(name, path, sep, partner, project)
            else:
                print(f"\n== {name}: {path} not found, skipped")


if __name__ == "__main__":
    main()
