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
from pathlib import Path
from typing import Any

import numpy as np
import simpy

import huntsim

MEMBERS, LOAD, AHT_S = 10, 8.0, 180.0
REAL_ESTATE = str(Path(__file__).resolve().parent.parent / "scenarios" / "real_estate.yaml")
WEEKS_PER_YEAR = 52
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


def traced_peak(work: Callable[[], Any]) -> tuple[int, Any]:
    """Peak bytes allocated by Python while ``work`` runs, and its value."""
    gc.collect()
    tracemalloc.start()
    value = work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, value


def real_estate_years(years: float) -> huntsim.Scenario:
    """The real-estate office (its week: hours, lunches, showings) for ``years`` of 52 weeks."""
    office = huntsim.load_scenario(REAL_ESTATE)
    return office.replace(duration=years * WEEKS_PER_YEAR * 7 * 86400.0)


def storage_bytes_per_call(calls: int) -> tuple[float, float]:
    """Bytes per call (offers included) of the columnar log and of the final tables."""
    from huntsim.sim.engine import run_model
    from huntsim.sim.records import CallLog

    scenario = erlang_b_scenario(calls)
    log = CallLog([a.number for a in scenario.agents], [g.pilot for g in scenario.hunt_groups])
    run_model(scenario, 0, log)
    tables = log.calls_frame().memory_usage(deep=True).sum()
    tables += log.offers_frame().memory_usage(deep=True).sum()
    return log.nbytes() / len(log), tables / len(log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-ciw", action="store_true", help="skip Ciw (bench extra)")
    parser.add_argument("--quick", action="store_true",
                        help="skip the year, decade and parallel measurements")
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
    log_bytes, table_bytes = storage_bytes_per_call(args.calls)
    print(f"records per call, offers included: {log_bytes:.0f} bytes as columns while running, "
          f"{table_bytes:.0f} bytes as the final tables")
    peak, n = traced_peak(lambda: run_huntsim(args.calls, 0))
    print(f"peak traced memory of a whole run: {peak / n * 1e6 / 2**20:,.0f} MiB per million calls")
    if args.quick:
        return 0

    print(f"\nreal-estate office, one simulated year ({WEEKS_PER_YEAR} weeks of its calendar):")
    year = real_estate_years(1)
    for keep in ("calls", "totals"):
        start = time.perf_counter()
        result = huntsim.simulate(year, seed=1, keep=keep)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
        calls = int(result.summary()["offered"].sum())
        print(f"  keep={keep:6s} {calls:,} calls in {elapsed:.2f} s "
              f"= {calls / elapsed:,.0f} calls/s")

    print("\nbounded memory (keep='totals'), real-estate office:")
    for years in (1, 10):
        peak, result = traced_peak(
            lambda y=years: huntsim.simulate(real_estate_years(y), seed=1, keep="totals"))
        calls = int(result.summary()["offered"].sum())
        print(f"  {years:2d} simulated year(s): {calls:>9,} calls, peak {peak / 2**20:6.1f} MiB")

    print("\nparallel replications: compare 4 policies x 8 replications of a quarter (13 weeks)")
    quarter = real_estate_years(0.25)
    timings = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        comparison = huntsim.compare(quarter, replications=8, seed=1, jobs=jobs,
                                     progress=False)
        timings[jobs] = time.perf_counter() - start
        print(f"  jobs={jobs}: {timings[jobs]:.2f} s")
        if jobs == 1:
            serial = comparison.table
        else:
            same = comparison.table.equals(serial)
            print(f"  speed-up on 2 workers: {timings[1] / timings[2]:.2f}x; "
                  f"tables identical to the serial run: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
