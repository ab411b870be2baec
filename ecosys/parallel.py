"""Work split across processors: how many to use, and one step run in a second process meanwhile.

igraph's community detection holds Python's global lock for its whole run
(and draws its random numbers from Python's ``random`` module), so a thread
running it would stop every other thread. :func:`start` runs such a step in
a forked child process instead, while this process carries on with other
work (the metrics): the child sees the data already in memory, without
copying or pickling it, and sends back only its result. The step computes
what it would in this process, seeded the same, so the bytes of every
output are the same whatever the number of jobs.

With ``jobs=1``, or where processes cannot be forked (Windows, macOS, where
forking a process that has loaded system libraries is unsafe), the step
runs in this process when its result is asked for. Should the child fail or
die (out of memory, killed), the step runs again here, so its error is the
one this process would raise.

Example
-------
>>> from ecosys.parallel import processors, start
>>> pending = start(sum, [1, 2, 3], jobs=2)
>>> pending.result(), processors() >= 1
(6, True)
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import sys
import threading
from pathlib import Path

__all__ = ["BEHIND", "Pending", "behind", "can_fork", "cpu_quota", "processors", "resolve_jobs", "start"]

# How much nicer (Linux's scheduling priority) the work done here while a step runs in the child is:
# their threads get what processor time the child leaves (a thread at nice 5 weighs a third of one at 0).
BEHIND = 5


def processors() -> int:
    """The processors this process may run on, no more than its container's quota (:func:`cpu_quota`).

    All of the machine's where the system cannot say.

    >>> processors() >= 1
    True
    """
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        available = os.cpu_count() or 1
    quota = cpu_quota()
    return available if quota is None else max(1, min(available, math.ceil(quota)))


def cpu_quota(root: str | os.PathLike = "/sys/fs/cgroup") -> float | None:
    """The processors' worth of time a container's control group allows (Linux cgroup v2 or v1), None if unlimited.

    A container started with ``--cpus=2`` on a large machine may run on all of
    its processors but only for two processors' worth of time: more threads
    than that would wait for each other. ``root`` is where the control groups
    are mounted.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cpu.max").write_text("150000 100000")
    >>> cpu_quota(folder), cpu_quota(folder / "none")
    (1.5, None)
    """
    root = Path(root)
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]  # v2: "max 100000" or "150000 100000"
    except (OSError, ValueError):
        for folder in (root / "cpu", root / "cpu,cpuacct"):  # v1: a quota of -1 is none
            try:
                quota = (folder / "cpu.cfs_quota_us").read_text().strip()
                period = (folder / "cpu.cfs_period_us").read_text().strip()
                break
            except OSError:
                continue
        else:
            return None
    try:
        quota, period = float(quota), float(period)
    except ValueError:  # "max"
        return None
    return quota / period if quota > 0 and period > 0 else None


def resolve_jobs(jobs: int | None) -> int:
    """The number of jobs to use: ``jobs``, or :func:`processors` when None; at least 1.

    >>> resolve_jobs(3), resolve_jobs(None) == processors()
    (3, True)
    """
    if jobs is None:
        return processors()
    if not (isinstance(jobs, int) and jobs >= 1):
        raise ValueError(f"jobs {jobs!r}: expected a whole number from 1")
    return jobs


def can_fork() -> bool:
    """Whether :func:`start` may run work in a forked child process here (Linux and other Unix but macOS).

    >>> isinstance(can_fork(), bool)
    True
    """
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


class Pending:
    """The result of :func:`start`'s step, to be collected once with :meth:`result`.

    A child's value is received by a thread of this process as soon as the
    child sends it, so that the child ends then and its memory (what it
    built, and the pages it came to own) is the system's again, rather than
    held until :meth:`result` is called: the CSV tables of the outputs are
    made in a child that is done long before the other outputs are.
    """

    def __init__(self, function, args: tuple, process=None, reader=None):
        self._function, self._args = function, args
        self._process = process
        self._outcome = ("failed", None)
        self._receiver = None
        if process is not None:
            self._receiver = threading.Thread(target=self._receive, args=(process, reader), name="ecosys-receive",
                                              daemon=True)
            self._receiver.start()

    def _receive(self, process, reader) -> None:
        """Wait for the child's value (or its end), then let the child go."""
        try:
            self._outcome = reader.recv()
        except BaseException:  # the child died before sending anything, was stopped, or sent what cannot be read
            self._outcome = ("failed", None)
        finally:
            reader.close()
            process.join()

    def result(self):
        """The step's value: received from the child process, or computed here (``jobs=1``, or the child failed)."""
        if self._process is not None:
            process, receiver, self._process = self._process, self._receiver, None
            try:
                receiver.join()
            except BaseException:  # Ctrl-C or another error here: the child's work is no longer wanted
                process.kill()
                raise
            status, value = self._outcome
            self._outcome = None
            if status == "ok":
                return value
        return self._function(*self._args)

    def running(self) -> bool:
        """Whether the step is still being computed in the child process (its value not received yet).

        >>> start(max, 4, 7, jobs=1).running()
        False
        """
        return self._process is not None and self._receiver.is_alive()

    def cancel(self) -> None:
        """Stop the child process, if any (the result is no longer needed)."""
        if self._process is not None:
            self._process.kill()
            self._receiver.join()
            self._process = None


def start(function, *args, jobs: int | None = None) -> Pending:
    """Start ``function(*args)`` in a forked child process when ``jobs`` allows 2 or more; collect it with
    ``.result()``.

    With ``jobs=1`` (or where :func:`can_fork` is false) nothing runs until
    ``.result()``, which then computes it here. The child returns its value
    pickled through a pipe; if it raises, ``.result()`` computes the step
    here, raising the same error.

    >>> start(max, 4, 7, jobs=1).result()
    7
    """
    if resolve_jobs(jobs) < 2 or not can_fork():
        return Pending(function, args)
    for stream in (sys.stdout, sys.stderr):  # else the child would write out what is buffered here once more
        if stream is not None:
            stream.flush()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(writer, function, args), daemon=True)
    gc.freeze()  # the child's collections then leave this process's objects alone: their pages stay shared
    try:
        process.start()
    except OSError:  # no process to be had (memory, a process limit): the step runs here instead
        reader.close()
        return Pending(function, args)
    finally:
        gc.unfreeze()
        writer.close()
    return Pending(function, args, process, reader)


def behind(pending: Pending, function, *args, **kwargs):
    """``function(*args, **kwargs)``, giving way to ``pending``'s child process while it runs.

    The step in the child is usually the one the rest waits for: ``function``
    runs in a thread of lower priority (nice :data:`BEHIND`; the threads it
    starts inherit it), so that on a machine with no processor to spare the
    child keeps one to itself, and ``function``'s threads take the others,
    and all of them once the child is done (the system shares processors by
    priority only among work waiting for one). Where the child is not
    running, or on systems other than Linux (where a priority is the whole
    process's, and could not be raised back), ``function`` runs as it is.
    The value and any error are ``function``'s.

    >>> behind(start(max, 4, 7, jobs=1), sum, [1, 2, 3])
    6
    """
    if not (sys.platform.startswith("linux") and pending.running()):
        return function(*args, **kwargs)
    outcome = {}

    def run():
        try:
            me = threading.get_native_id()  # Linux: this thread alone, and the threads it starts
            os.setpriority(os.PRIO_PROCESS, me, os.getpriority(os.PRIO_PROCESS, me) + BEHIND)
        except OSError:  # a system that refuses: the work runs at its priority
            pass
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # raised again in the calling thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="ecosys-behind", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def _child(writer, function, args) -> None:  # pragma: no cover (runs in the child process)
    """Run the step and send ("ok", value); on any failure send ("failed", None) for the parent to redo it."""
    try:
        value = function(*args)
    except BaseException:
        writer.send(("failed", None))
    else:
        try:
            writer.send(("ok", value))
        except Exception:  # a value that cannot be pickled: the parent computes it
            writer.send(("failed", None))
    finally:
        writer.close()
