"""Benchmark: this tree's engine against another copy of huntsim, runs interleaved.

Each round runs the Erlang B workload of ``bench_engine.py`` once with the
baseline (``--baseline PATH``, a checkout whose ``huntsim`` package is imported
with ``PYTHONPATH=PATH``) and once with this tree, each in a fresh process,
alternating which goes first. Interleaving spreads whatever else the machine
does over both sides, so the ratio of the medians is what to read.

Only the public API (``huntsim.load_scenario``, ``huntsim.simulate``) is used
in the child processes, so any two versions of the package can be compared.

With ``--scenario FILE`` the workload is that scenario file instead (as
written, seed ``k`` in round ``k``), e.g. a queue with patience, to check that a
feature's code costs nothing to scenarios that do not use it.

Example: ``python benchmarks/bench_interleaved.py --baseline /tmp/main_before``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

# the workload of bench_engine.erlang_b_scenario, as plain data
_CHILD = """
import gc, sys, time
import huntsim
members, load, aht = 10, 8.0, 180.0
rate = load / aht
calls = int(sys.argv[1])
numbers = [f"{201 + i}" for i in range(members)]
scenario = huntsim.load_scenario({
    "name": "bench erlang b", "duration": calls / rate,
    "agent_defaults": {"talk_time": {"dist": "exponential", "mean": aht}},
    "agents": [{"number": n} for n in numbers],
    "hunt_groups": [{"pilot": "200", "policy": "regular", "members": numbers,
                     "voicemail": True, "when_all_busy": "voicemail",
                     "arrivals": {"rate": f"{rate}/s"}}],
})
huntsim.simulate(scenario.replace(duration=1000 / rate), seed=0)  # warm caches
gc.collect()
start = time.perf_counter()
n = len(huntsim.simulate(scenario, seed=int(sys.argv[2])).calls)
print(n / (time.perf_counter() - start))
"""

# a scenario file as written
_CHILD_FILE = """
import gc, sys, time
import huntsim
scenario = huntsim.load_scenario(sys.argv[1])
huntsim.simulate(scenario.replace(duration=scenario.warmup + scenario.duration / 50),
                 seed=0)  # warm caches
gc.collect()
start = time.perf_counter()
n = len(huntsim.simulate(scenario, seed=int(sys.argv[2])).calls)
print(n / (time.perf_counter() - start))
"""


def rate(tree: Path, calls: int, seed: int, scenario: Path | None = None) -> float:
    """Calls per second of one run of the workload with ``tree``'s huntsim."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    child = [_CHILD, str(calls)] if scenario is None else [_CHILD_FILE, str(scenario)]
    out = subprocess.run([sys.executable, "-c", *child, str(seed)], env=env,
                         check=True, capture_output=True, text=True, cwd=tree)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True,
                        help="a checkout of huntsim to compare against")
    parser.add_argument("--calls", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scenario", type=Path, default=None,
                        help="run this scenario file instead of the Erlang B workload")
    args = parser.parse_args(argv)
    scenario = args.scenario.resolve() if args.scenario is not None else None
    trees = {"baseline": args.baseline.resolve(), "this tree": HERE}
    rates: dict[str, list[float]] = {name: [] for name in trees}
    workload = f"Erlang B workload, ~{args.calls:,} calls" if scenario is None else str(scenario)
    print(f"{workload}, {args.rounds} interleaved rounds")
    for k in range(args.rounds):
        names = list(trees) if k % 2 == 0 else list(reversed(trees))
        for name in names:
            rates[name].append(rate(trees[name], args.calls, seed=k, scenario=scenario))
        print(f"  round {k + 1}: " + ", ".join(
            f"{name} {rates[name][-1]:,.0f}" for name in trees) + " calls/s")
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, value in medians.items():
        print(f"median {name:10s} {value:12,.0f} calls/s   ({trees[name]})")
    print(f"ratio this tree / baseline: {medians['this tree'] / medians['baseline']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
