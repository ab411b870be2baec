"""Memory per process and per stage of one ``ecosys`` command.

Runs the command in a child process, reads the resident (``Rss``), proportional (``Pss``) and own
(``Private_*``) memory of it and of every process it forks from ``/proc/PID/smaps_rollup`` several
times a second (Linux only), and marks the stages of ``ecosys analyze`` (reading, graph,
projection, metrics, communities, node table, outputs, ``analysis.npz``) by wrapping their
functions in the child. Prints each stage's peak per process and the peak of the proportional
sets summed ("together": shared pages counted once), and writes every sample to ``--samples``.

    python3 benchmarks/memory.py [--interval 0.25] [--samples FILE] -- ecosys analyze 1m.csv --out /tmp/o

The wrapping changes nothing the command computes (the same bytes out).
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import time

_FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty")


def _rollup(pid: int) -> dict | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if name in _FIELDS:
            out[name] = int(rest.split()[0])  # kB
    return out


def _children(root: int) -> list[int]:
    """``root`` and every process under it."""
    parent = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            parent[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(p for p, pp in parent.items() if pp == pid)
    return tree


# -- in the child: the stages marked -------------------------------------------------------------

def _marked(module, name: str, stage: str, marks: str, main: int) -> None:
    function = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if os.getpid() == main:
            with open(marks, "a") as f:
                f.write(f"{time.time():.3f}\t{stage}\n")
        return function(*args, **kwargs)

    setattr(module, name, wrapper)


def _child(marks: str, argv: list[str]) -> None:
    import importlib

    main = os.getpid()
    stages = [("ecosys.cli", "_read", "read"), ("ecosys.pipeline", "build_network", "graph"),
              ("ecosys.pipeline", "project", "projection"), ("ecosys.pipeline", "node_metrics", "metrics, Leiden beside"),
              ("ecosys.pipeline", "while_communities", "dates, components, Leiden beside"),
              ("ecosys.pipeline", "_named", "partition"),
              ("ecosys.report", "render_outputs", "outputs: node rows, the tables' child"),
              ("ecosys.pipeline:Analysis", "prepare", "outputs: node table, profiles beside"),
              ("ecosys.report", "year_trends", "outputs: trends"),
              ("ecosys.report", "render_maps", "outputs: maps"), ("ecosys.report", "render_report", "outputs: report"),
              ("ecosys.files", "write_files", "outputs: writing"),
              ("ecosys.store", "save_analysis", "analysis.npz")]
    for module, name, stage in stages:
        try:
            path, _, attribute = module.partition(":")
            owner = importlib.import_module(path)
            _marked(getattr(owner, attribute) if attribute else owner, name, stage, marks, main)
        except (ImportError, AttributeError) as e:
            print(f"memory.py: not marked: {module}.{name} ({e})", file=sys.stderr)
    from ecosys.cli import main as cli
    sys.argv = ["ecosys", *(argv[1:] if argv[:1] == ["ecosys"] else argv)]
    cli()


# -- in the parent: the sampling --------------------------------------------------------------------

def main(arguments=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--samples")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    a = parser.parse_args(arguments)
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if a.child:
        _child(a.child, command)
        return 0
    marks = tempfile.mktemp(prefix="ecosys-marks-")
    start = time.time()
    child = subprocess.Popen([sys.executable, __file__, "--child", marks, "--", *command])
    samples = []  # (t, pid, rss, pss, own) kB
    first_seen = {}
    while child.poll() is None:
        t = time.time() - start
        for pid in _children(child.pid):
            r = _rollup(pid)
            if r:
                first_seen.setdefault(pid, t)
                samples.append((t, pid, r["Rss"], r["Pss"], r["Private_Clean"] + r["Private_Dirty"]))
        time.sleep(a.interval)
    wall = time.time() - start
    stage_marks = []
    if os.path.exists(marks):
        with open(marks) as f:
            for line in f:
                when, stage = line.rstrip("\n").split("\t")
                stage_marks.append((float(when) - start, stage))
        os.unlink(marks)
    if a.samples:
        with open(a.samples, "w") as f:
            f.write("t\tpid\trss_kb\tpss_kb\town_kb\n")
            f.writelines(f"{t:.2f}\t{pid}\t{rss}\t{pss}\t{own}\n" for t, pid, rss, pss, own in samples)
            f.writelines(f"# {t:.2f}\t{stage}\n" for t, stage in stage_marks)
    # collapse repeated marks (csv_bytes, write_bytes) into stages: a stage runs until the next different one
    spans = []
    for t, stage in stage_marks:
        if not spans or spans[-1][1] != stage:
            spans.append([t, stage])
    bounds = [(t, spans[i + 1][0] if i + 1 < len(spans) else wall, s) for i, (t, s) in enumerate(spans)]
    bounds.insert(0, (0.0, bounds[0][0] if bounds else wall, "start, imports"))
    label = {pid: ("main" if pid == child.pid else f"child@{first_seen[pid]:.0f}s") for pid in first_seen}
    print(f"{' '.join(command)}\nexit {child.returncode}, {wall:.1f} s; MB (resident / own) per process, "
          f"together = proportional sets summed")
    overall_together, overall = 0, {}
    for lo, hi, stage in bounds:
        inside = [s for s in samples if lo <= s[0] < hi]
        if not inside:
            continue
        by_pid, together = {}, {}
        for t, pid, rss, pss, own in inside:
            m = by_pid.setdefault(pid, [0, 0])
            m[0], m[1] = max(m[0], rss), max(m[1], own)
            together[t] = together.get(t, 0) + pss
            o = overall.setdefault(pid, [0, 0])
            o[0], o[1] = max(o[0], rss), max(o[1], own)
        peak = max(together.values())
        overall_together = max(overall_together, peak)
        procs = "; ".join(f"{label[pid]} {rss / 1024:,.0f} / {own / 1024:,.0f}" for pid, (rss, own) in by_pid.items())
        print(f"{lo:7.1f}-{hi:7.1f} s  {stage:42s} together {peak / 1024:7,.0f}  {procs}")
    largest = max(overall.items(), key=lambda kv: kv[1][0])
    print(f"largest process: {label[largest[0]]} {largest[1][0] / 1024:,.0f} MB resident; "
          f"together at most {overall_together / 1024:,.0f} MB")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
