"""Peak memory of a whole ``simulate`` against the size of its final tables, and keep="totals".

Goal (issue 12): with every record kept, the peak of a run is at most 1.5x the
final tables (calls, offers, agents); ``keep="totals"`` is at least as fast as
keeping every record. Peaks are those Python's allocator sees (tracemalloc:
numpy and pandas buffers included), taken in a fresh process per measurement
after a tiny run has imported every module a run needs.

    .venv/bin/python benchmarks/bench_memory.py              # about a million calls
    .venv/bin/python benchmarks/bench_memory.py --calls 200000
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc

import huntsim

MEMBERS, LOAD, TALK_S = 10, 8.0, 180.0
GOAL_RATIO = 1.5


def erlang_b(calls: int) -> huntsim.Scenario:
    """The Erlang B workload of bench_engine: 10 members, 8 Erlang, all busy -> voicemail."""
    rate = LOAD / TALK_S
    return huntsim.load_scenario({
        "duration": f"{calls / rate}s",
        "agents": [{"number": f"{100 + i}", "talk_time": f"{TALK_S}s"} for i in range(MEMBERS)],
        "hunt_groups": [{"pilot": "1", "members": [f"{100 + i}" for i in range(MEMBERS)],
                         "voicemail": True, "arrivals": {"rate": f"{rate * 3600}/h"}}],
    })


def table_bytes(result: huntsim.Result) -> int:
    tables = [result.calls, result.offers, result.agents]
    return int(sum(t.memory_usage(deep=True).sum() for t in tables if t is not None))


def measure_once(calls: int, keep: str) -> None:
    """In this (fresh) process: print calls, peak bytes, table bytes and seconds of one run."""
    scenario = erlang_b(calls)
    huntsim.simulate(erlang_b(100), seed=1, keep=keep)  # type: ignore[arg-type]  # imports
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = huntsim.simulate(scenario, seed=1, keep=keep)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    offered = int(result.summary()["offered"].sum())
    print(offered, peak, table_bytes(result) if keep == "calls" else 0, elapsed)


def timed(calls: int, keep: str) -> float:
    scenario = erlang_b(calls)
    start = time.perf_counter()
    huntsim.simulate(scenario, seed=1, keep=keep)  # type: ignore[arg-type]
    return time.perf_counter() - start


def fresh(calls: int, keep: str) -> tuple[int, int, int, float]:
    output = subprocess.run([sys.executable, __file__, "--one", keep, "--calls", str(calls)],
                            check=True, capture_output=True, text=True).stdout.split()
    return int(output[0]), int(output[1]), int(output[2]), float(output[3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per keep (median)")
    parser.add_argument("--one", choices=("calls", "totals"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        measure_once(args.calls, args.one)
        return 0
    mib = 2**20
    print(f"memory: Erlang B workload ({MEMBERS} members, {LOAD:g} Erlang), "
          f"~{args.calls:,} calls, peaks by tracemalloc in a fresh process")
    calls, peak, tables, _ = fresh(args.calls, "calls")
    ratio = peak / tables
    print(f"  keep='calls':  peak {peak / mib:7.1f} MiB for {calls:,} calls "
          f"({peak / calls * 1e6 / mib:,.0f} MiB per million); final tables "
          f"{tables / mib:.1f} MiB ({tables / calls:.0f} bytes per call); peak / tables = "
          f"{ratio:.2f} (goal <= {GOAL_RATIO})")
    _, peak_totals, _, _ = fresh(args.calls, "totals")
    print(f"  keep='totals': peak {peak_totals / mib:7.1f} MiB")
    speeds = {}
    # timed without tracemalloc, which slows allocation; taking turns, so that a change
    # in the machine's load falls on both alike
    runs: dict[str, list[float]] = {"calls": [], "totals": []}
    for _ in range(args.repeat):
        for keep, seconds in runs.items():
            seconds.append(timed(args.calls, keep))
    for keep in ("calls", "totals"):
        speeds[keep] = statistics.median(runs[keep])
        print(f"  keep={keep!r:9s} {calls / speeds[keep]:10,.0f} calls/s "
              f"(median of {args.repeat})")
    faster = speeds["totals"] <= speeds["calls"]
    print(f"  keep='totals' at least as fast as keeping every record: {faster} "
          f"({speeds['calls'] / speeds['totals']:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
