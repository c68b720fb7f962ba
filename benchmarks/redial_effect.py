"""How redials and overflow change the real-estate office's figures (README table).

Runs the office as shipped, with its callers redialling (the redial settings of
``real_estate_overflow.yaml``), and with redials and overflow to reception;
prints the means of 10 four-week runs (seeds 0-9) and their 95 % half-widths.

    .venv/bin/python benchmarks/redial_effect.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

import huntsim

COLUMNS = ["offered", "callers", "attempts_per_caller", "first_attempt_answered_rate",
           "callers_answered_rate", "voicemail_rate", "abandoned_rate", "mean_wait_s",
           "service_level_20s"]
SEEDS = range(10)


def main() -> None:
    base = huntsim.load_scenario("scenarios/real_estate.yaml")
    overflow = huntsim.load_scenario("scenarios/real_estate_overflow.yaml")
    variants = {
        "as shipped": base,
        "callers redial": base.replace(redial=overflow.redial),
        "redials + overflow": overflow,
    }
    means, half_widths = {}, {}
    for name, scenario in variants.items():
        rows = []
        for seed in SEEDS:
            summary = huntsim.simulate(scenario, seed=seed).summary()
            scope = "all pilot calls" if "all pilot calls" in summary.index else "555-0100"
            rows.append(summary.loc[scope, COLUMNS])
        table = pd.DataFrame(rows).astype(float)
        means[name] = table.mean()
        t = stats.t.ppf(0.975, len(table) - 1)
        half_widths[name] = t * table.std(ddof=1) / np.sqrt(len(table))
    print("means of", len(SEEDS), "runs")
    print(pd.DataFrame(means).round(4).to_string())
    print("\n95 % half-widths")
    print(pd.DataFrame(half_widths).round(4).to_string())


if __name__ == "__main__":
    main()
