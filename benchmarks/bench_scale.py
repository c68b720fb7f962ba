"""Scaling of the experiment layer: one fixed ``compare`` on 1, 2, 4, ... workers and on Dask.

The experiment is fixed (default: 128 quarter-long runs of the real-estate
office, 4 policies x 32 replications), so wall times are comparable between
worker counts; every run's tables must be identical to the serial run's.
On a machine shared with other work, wall times understate the speed-up; the
CPU seconds of the main process and of the workers, which other work does not
change much, give the speed-up the same work would have on idle cores.

    .venv/bin/python benchmarks/bench_scale.py                # 1, 2, 4 ... cores, then Dask
    .venv/bin/python benchmarks/bench_scale.py --runs 32      # a smaller experiment
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import huntsim
from huntsim.experiments.runner import default_jobs

REAL_ESTATE = "scenarios/real_estate.yaml"
POLICIES = ("regular", "circular", "simultaneous", "uniform")
TABLES = ("raw", "table", "differences", "members", "hourly", "waits")


def quarter(weeks: float) -> huntsim.Scenario:
    office = huntsim.load_scenario(REAL_ESTATE)
    return office.replace(duration=weeks * 7 * 86400.0)


def worker_counts(cores: int) -> list[int]:
    counts, n = [], 1
    while n < cores:
        counts.append(n)
        n *= 2
    return [*counts, cores]


def same_tables(a: Any, b: Any) -> bool:
    differing = [t for t in TABLES if not getattr(a, t).equals(getattr(b, t))]
    if differing:
        print(f"    tables that differ from the serial run's: {', '.join(differing)}")
    return not differing


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its finished child processes."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def empty_cluster(workers: int) -> None:
    """Start a LocalCluster as ``compare`` does, import huntsim on its workers, close it."""
    with running_cluster(workers):
        pass


@contextmanager
def running_cluster(workers: int) -> Iterator[str]:
    """A LocalCluster of ``workers`` one-thread processes with huntsim imported: its address.

    This is the situation of a real cluster started once for many experiments
    (``--scheduler tcp://...``): the experiment's time leaves out the start.
    """
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(importlib.import_module, "huntsim.experiments.replications")
        yield str(cluster.scheduler_address)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=128,
                        help="runs in the experiment, a multiple of 4 (default 128)")
    parser.add_argument("--weeks", type=float, default=13, help="weeks per run (default 13)")
    parser.add_argument("--max-workers", type=int, default=default_jobs(),
                        help="largest worker count (default: the cores this process may use)")
    parser.add_argument("--workers", type=lambda text: [int(n) for n in text.split(",")],
                        help="worker counts to time, e.g. 1,16 (default: 1, 2, 4 ... "
                             "--max-workers; the first is the reference)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster")
    args = parser.parse_args(argv)
    replications = max(1, args.runs // len(POLICIES))
    scenario = quarter(args.weeks)
    runs = replications * len(POLICIES)

    def experiment(**options: Any) -> Any:
        return huntsim.compare(scenario, POLICIES, replications=replications, seed=1,
                               progress=False, **options)

    print(f"compare: {runs} runs of {args.weeks:g} weeks of the real-estate office "
          f"({len(POLICIES)} policies x {replications} replications), "
          f"{default_jobs()} cores available")
    times: dict[str, float] = {}
    serial = None
    all_same = True
    serial_cpu = math.nan
    counts = args.workers or worker_counts(args.max_workers)
    args.max_workers = counts[-1]
    for workers in counts:
        own, children = cpu_seconds()
        elapsed, result = timed(lambda w=workers: experiment(jobs=w))
        own_after, children_after = cpu_seconds()
        main_cpu, workers_cpu = own_after - own, children_after - children
        times[f"{workers} worker(s)"] = elapsed
        if serial is None:
            reference = elapsed
            serial = result
            serial_cpu = main_cpu + workers_cpu
            note = f"(the reference; {serial_cpu:.1f} CPU s)"
        else:
            same = same_tables(serial, result)
            all_same &= same
            # what the same CPU work gives on idle cores: the workers' share in parallel,
            # the main process's (sending, receiving, building the tables) on top
            idle = serial_cpu / (workers_cpu / workers + main_cpu)
            note = f"speed-up {reference / elapsed:5.2f}x " \
                   f"({100 * reference / elapsed / workers * counts[0]:3.0f} % efficiency), " \
                   f"tables identical: {same}; CPU s: main {main_cpu:.1f}, workers " \
                   f"{workers_cpu:.1f}, so about {idle:.2f}x on idle cores"
        print(f"  processes, {workers:3d} worker(s): {elapsed:7.2f} s  {note}", flush=True)
    if not args.no_dask:
        workers = args.max_workers
        pool = times[f"{workers} worker(s)"]
        elapsed, result = timed(lambda: experiment(jobs=workers, scheduler="local"))
        same = same_tables(serial, result)
        all_same &= same
        print(f"  Dask LocalCluster, {workers} worker(s), cluster start included: "
              f"{elapsed:7.2f} s = {elapsed / pool:.2f}x the process pool's time, "
              f"tables identical: {same}", flush=True)
        bare, _ = timed(lambda: empty_cluster(workers))
        print(f"    of which starting the cluster, importing huntsim on its workers and "
              f"closing it: about {bare:.2f} s (timed alone)", flush=True)
        with running_cluster(workers) as address:
            elapsed, result = timed(lambda: experiment(scheduler=address))
        same = same_tables(serial, result)
        all_same &= same
        print(f"  Dask cluster already running ({workers} worker(s), as --scheduler "
              f"tcp://...): {elapsed:7.2f} s = {elapsed / pool:.2f}x the process pool's "
              f"time (the pool's includes starting its processes), tables identical: {same}",
              flush=True)
    print(f"all tables identical to the serial run: {all_same}")
    return 0 if all_same else 1


if __name__ == "__main__":
    raise SystemExit(main())
