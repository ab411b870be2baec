"""Work on several processors (ecosys.parallel): the step runs in a child process, its errors are this
process's, and the outputs are the same bytes with 1 job or 2."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import pytest

from ecosys import parallel
from ecosys.parallel import BEHIND, behind, can_fork, cpu_quota, processors, resolve_jobs, start
from ecosys.dates import project_dates
from ecosys.graph import components
from ecosys.pipeline import PARALLEL_NODES, analyze, while_communities
from ecosys.read import read_participations
from ecosys.report import render_outputs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

forking = pytest.mark.skipif(not can_fork(), reason="processes cannot be forked here")


def test_one_job_runs_the_step_here_when_its_result_is_asked_for():
    calls = []
    pending = start(calls.append, "ran", jobs=1)
    assert calls == []
    assert pending.result() is None and calls == ["ran"]


@forking
def test_two_jobs_run_the_step_in_another_process():
    assert start(os.getpid, jobs=2).result() != os.getpid()


@forking
def test_the_child_leaves_the_objects_it_was_born_with_out_of_its_collections_and_this_process_does_not():
    # frozen objects are never walked by the child's garbage collector: the pages holding them stay shared
    assert start(gc.get_freeze_count, jobs=2).result() > 0
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(not (can_fork() and sys.platform.startswith("linux")), reason="per-thread priorities: Linux")
def test_work_done_while_the_child_runs_gives_way_to_it_and_this_thread_keeps_its_priority():
    from concurrent.futures import ThreadPoolExecutor

    def priorities():  # the thread's and that of a thread it starts
        with ThreadPoolExecutor(1) as pool:
            return os.getpriority(os.PRIO_PROCESS, 0), pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result()

    here = os.getpriority(os.PRIO_PROCESS, 0)
    pending = start(time.sleep, 2, jobs=2)
    assert behind(pending, priorities) == (min(here + BEHIND, 19),) * 2
    assert os.getpriority(os.PRIO_PROCESS, 0) == here
    with pytest.raises(ZeroDivisionError):
        behind(pending, divmod, 1, 0)
    pending.result()
    assert behind(pending, priorities) == (here, here)  # the child is done: nothing to give way to


@forking
def test_a_step_failing_in_the_child_raises_its_error_here():
    with pytest.raises(ValueError, match="invalid literal"):
        start(int, "not a number", jobs=2).result()


@forking
def test_a_step_whose_child_dies_is_computed_here():
    pending = start(sum, [1, 2], jobs=2)
    pending._process.kill()  # as the system would kill it out of memory
    assert pending.result() == 3


@forking
def test_a_step_without_a_process_to_run_in_is_computed_here(monkeypatch):
    import multiprocessing.process

    def no_fork(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_fork)
    pending = start(os.getpid, jobs=2)
    assert pending.result() == os.getpid()


@forking
def test_an_interrupt_while_waiting_stops_the_child():
    import time

    pending = start(time.sleep, 30, jobs=2)
    process = pending._process

    class Interrupted:  # the pipe's recv interrupted as by Ctrl-C
        def recv(self):
            raise KeyboardInterrupt

        def close(self):
            pass

    pending._reader = Interrupted()
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        pending.result()
    assert time.monotonic() - began < 10 and not process.is_alive()


def test_jobs_must_be_a_whole_number_from_one():
    assert resolve_jobs(1) == 1
    with pytest.raises(ValueError, match="jobs 0"):
        resolve_jobs(0)
    with pytest.raises(ValueError, match="jobs 0"):
        analyze(ROOT / "data" / "italian-social-innovation.csv", jobs=0)


def test_one_and_two_jobs_write_the_same_bytes(tmp_path):
    """A mid-size graph (3,000 participations): the compiled searches sampled over pivots and split over
    threads; with 2 jobs Leiden, the community profiles, the CSV tables and whole.html in child processes
    while the community maps are made here; every output file byte for byte, with the whole graph drawn
    and as an overview."""
    p = read_participations(generate(3_000, tmp_path / "g.csv"))
    first = analyze(p, seed=3, budget=2e5, jobs=1)
    one = render_outputs(first, jobs=1)
    two = analyze(p, seed=3, budget=2e5, jobs=2)
    assert len(two.network.nodes) >= PARALLEL_NODES
    assert two.metrics.attrs["estimation"]["method"] == "sampled" and two.partition.count > 5
    assert render_outputs(two, jobs=2) == one
    fresh = analyze(p, seed=3, budget=2e5, jobs=2)  # the profiles not yet computed: made meanwhile
    overview = render_outputs(fresh, jobs=2, max_nodes=500)
    assert "whole.html" in overview and "communities/community-5.html" in overview
    assert overview == render_outputs(first, jobs=1, max_nodes=500)


def _slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@forking
def test_a_step_is_running_until_its_child_has_sent_its_value():
    pending = start(_slow, 0.5, jobs=2)
    assert pending.running()
    assert pending.result() == 0.5 and not pending.running()
    assert not start(_slow, 0, jobs=1).running()  # one job: nothing runs until the result is asked for


@forking
def test_while_the_communities_are_found_the_dates_and_components_are_the_later_ones():
    """What analyze computes while waiting for the communities' process equals what the outputs compute later."""
    p = read_participations(ROOT / "data" / "italian-social-innovation.csv")
    result = analyze(p, jobs=1)
    early = while_communities(start(_slow, 1.0, jobs=2), p, result.network)
    assert sorted(early) == ["components", "dates"]
    assert early["components"].tolist() == components(result.network).tolist()
    later = project_dates(p)
    assert early["dates"].keys.tolist() == later.keys.tolist()
    assert early["dates"].start.tolist() == later.start.tolist() and early["dates"].end.tolist() == later.end.tolist()
    assert while_communities(start(_slow, 0, jobs=1), p, result.network) == {}


@pytest.mark.parametrize("files, quota", [
    ({"cpu.max": "200000 100000\n"}, 2.0),  # cgroup v2, --cpus=2
    ({"cpu.max": "50000 100000\n"}, 0.5),
    ({"cpu.max": "max 100000\n"}, None),  # v2, no limit
    ({"cpu/cpu.cfs_quota_us": "150000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1.5),  # v1
    ({"cpu,cpuacct/cpu.cfs_quota_us": "300000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, 3.0),
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),  # v1, no limit
    ({}, None),  # no control groups (macOS, Windows, or not mounted)
])
def test_the_container_quota_is_read_from_either_cgroup_version(tmp_path, files, quota):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert cpu_quota(tmp_path) == quota


@pytest.mark.parametrize("quota, expected", [(None, None), (0.5, 1), (1.0, 1), (1.5, 2), (1000.0, None)])
def test_processors_are_no_more_than_the_container_quota_rounded_up(monkeypatch, quota, expected):
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    monkeypatch.setattr(parallel, "cpu_quota", lambda: quota)
    assert processors() == (min(expected, available) if expected is not None else available)
    assert resolve_jobs(None) == processors()


@pytest.mark.skipif(not can_fork(), reason="forks a process")
def test_burts_pass_in_its_own_process_gives_the_same_bits(monkeypatch, tmp_path):
    # past HOLES_APART_PAIRS the pass runs in a forked process (its ties' memory not added to this one's peak)
    from ecosys import metrics
    from ecosys.graph import PARTNER, build_network, project

    path = tmp_path / "t.csv"
    generate(3000, path, seed=4)
    net = build_network(read_participations(path))
    P = project(net, PARTNER)
    here = metrics.node_metrics(net, projection=P, jobs=2)
    forks = []
    monkeypatch.setattr(metrics, "start", lambda *a, **k: forks.append(1) or start(*a, **k))
    monkeypatch.setattr(metrics, "HOLES_APART_PAIRS", 1)
    apart = metrics.node_metrics(net, projection=P, jobs=2)
    assert forks == [1] and P.number_of_edges() > 1000
    for column in here.columns:
        assert here[column].to_numpy().tobytes() == apart[column].to_numpy().tobytes() if here[column].dtype != object \
            else here[column].tolist() == apart[column].tolist(), column
