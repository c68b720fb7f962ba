"""The retrial and overflow checks of tests/test_theory_routing.py, with their numbers.

Prints, for each case, the exact value (huntsim.analysis.theory), the mean of 12
replications and its 99.9 % Student-t interval (the interval the tests use).

    .venv/bin/python benchmarks/retrial_checks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers import mean_interval
from test_theory_routing import (
    AHT,
    REPLICATIONS,
    overflow_office,
    retrial_office,
)

from huntsim import simulate
from huntsim.analysis.theory import erlang_b, retrial_queue


def main() -> None:
    for members, load, delay in [(4, 3.0, 180.0), (3, 1.5, 60.0), (6, 4.0, 900.0)]:
        exact = retrial_queue(members, load / AHT, AHT, delay)
        rows = [simulate(retrial_office(members, load, delay, hours=120), seed=k)
                .summary().loc["999"] for k in range(REPLICATIONS)]
        blocked = [float(r["first_attempt_busy_rate"]) for r in rows]
        retries = [float(r["attempts_per_caller"]) - 1 for r in rows]
        low, high = mean_interval(blocked)
        r_low, r_high = mean_interval(retries)
        print(f"c={members} A={load} mean delay {delay:g}s: "
              f"Erlang B {erlang_b(members, load):.4f}; "
              f"first attempts blocked exact {exact.first_blocked:.4f}, simulated "
              f"{np.mean(blocked):.4f} [{low:.4f}, {high:.4f}]; retries per caller exact "
              f"{exact.retries_per_call:.3f}, simulated {np.mean(retries):.3f} "
              f"[{r_low:.3f}, {r_high:.3f}]")
    for load in (2.0, 4.0):
        tables = [simulate(overflow_office(load, 150), seed=k).calls for k in range(REPLICATIONS)]
        lost = [float((t["outcome"] == "voicemail").mean()) for t in tables]
        first = [float(((t["group"] == "900") & (t["outcome"] == "answered")).mean())
                 for t in tables]
        low, high = mean_interval(lost)
        f_low, f_high = mean_interval(first)
        print(f"overflow 2 -> 3 members, A={load}: lost exact B(5,A) {erlang_b(5, load):.4f}, "
              f"simulated {np.mean(lost):.4f} [{low:.4f}, {high:.4f}]; first group carries "
              f"exact 1-B(2,A) {1 - erlang_b(2, load):.4f}, simulated {np.mean(first):.4f} "
              f"[{f_low:.4f}, {f_high:.4f}]")


if __name__ == "__main__":
    main()
