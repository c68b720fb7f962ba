"""Benchmark: huntsim against Ciw and a plain SimPy floor, on the same workload.

The workload is the Erlang B configuration: 10 members, 8 Erlang, regular
hunting, members answer at once, all busy -> voicemail; about 200,000 calls.
Every contender simulates the same arrival rate and talk times for the same
simulated time. All timings are taken in this one run on this machine, so the
ratios are what matters; the median of ``--repeat`` runs is reported.

Run with ``make bench`` (or ``python benchmarks/bench_engine.py --help``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

import huntsim

MEMBERS, LOAD, AHT_S = 10, 8.0, 180.0
RATE = LOAD / AHT_S  # calls per second


def erlang_b_scenario(calls: int) -> huntsim.Scenario:
    numbers = [f"{201 + i}" for i in range(MEMBERS)]
    return huntsim.load_scenario({
        "name": "bench erlang b",
        "duration": calls / RATE,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": AHT_S}},
        "agents": [{"number": n} for n in numbers],
        "hunt_groups": [{"pilot": "200", "policy": "regular", "members": numbers,
                         "voicemail": True, "when_all_busy": "voicemail",
                         "arrivals": {"rate": f"{RATE}/s"}}],
    })


def run_huntsim(calls: int, seed: int) -> int:
    result = huntsim.simulate(erlang_b_scenario(calls), seed=seed)
    return len(result.calls)


def run_plain_simpy(calls: int, seed: int) -> int:
    """The smallest honest SimPy loss model: a source process, a process per call."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / RATE, calls).tolist()
    talks = rng.exponential(AHT_S, calls).tolist()
    env = simpy.Environment()
    state = {"busy": 0, "blocked": 0}

    def call(talk: float) -> Any:
        yield env.timeout(talk)
        state["busy"] -= 1

    def source() -> Any:
        for gap, talk in zip(gaps, talks, strict=True):
            yield env.timeout(gap)
            if state["busy"] < MEMBERS:
                state["busy"] += 1
                env.process(call(talk))
            else:
                state["blocked"] += 1

    env.process(source())
    env.run()
    return calls


def run_ciw(calls: int, seed: int) -> int:
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1 / AHT_S)],
        number_of_servers=[MEMBERS],
        queue_capacities=[0],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(calls / RATE)
    return len(simulation.get_all_records())  # services and rejections


def timed(run: Callable[[int, int], int], calls: int, repeat: int) -> tuple[float, int]:
    rates, simulated = [], 0
    for seed in range(repeat):
        gc.collect()
        start = time.perf_counter()
        simulated = run(calls, seed)
        rates.append(simulated / (time.perf_counter() - start))
    return statistics.median(rates), simulated


def peak_bytes_per_call(calls: int) -> float:
    tracemalloc.start()
    n = run_huntsim(calls, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-ciw", action="store_true", help="skip Ciw (bench extra)")
    args = parser.parse_args(argv)
    contenders: dict[str, Callable[[int, int], int]] = {
        "huntsim (all records kept)": run_huntsim,
        "plain SimPy floor (no records)": run_plain_simpy,
    }
    if not args.no_ciw:
        contenders["Ciw 3 (queue_capacities=[0])"] = run_ciw
    print(f"Erlang B workload: {MEMBERS} members, {LOAD:g} Erlang, ~{args.calls:,} calls, "
          f"median of {args.repeat}")
    rates = {}
    for name, run in contenders.items():
        rate, simulated = timed(run, args.calls, args.repeat)
        rates[name] = rate
        print(f"  {name:34s} {rate:12,.0f} calls/s   ({simulated:,} calls)")
    ours = rates["huntsim (all records kept)"]
    print("ratios (huntsim / other):")
    for name, rate in rates.items():
        if not name.startswith("huntsim"):
            print(f"  vs {name:31s} {ours / rate:6.2f}x")
    print(f"peak traced memory: {peak_bytes_per_call(args.calls):,.0f} bytes per call "
          "(whole run, tables included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
