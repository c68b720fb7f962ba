"""Back-test: does the fitted office reproduce the weeks it was not fitted on?

The fitted scenario is simulated over the held-out period (same weekdays and
clock hours) many times. Each figure of the real held-out log is compared with
the spread of the replications: the 95 % prediction interval of one period,
``mean ± t · sd · sqrt(1 + 1/R)`` over ``R`` replications. A right model puts
about 95 % of the observed figures inside (a little fewer, since the fitted
parameters are themselves uncertain); a figure outside is flagged.

Outcomes are compared in three classes that every log can tell apart:
answered, abandoned (the caller hung up) and "voicemail, busy or no answer"
(the system let the caller go).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from huntsim.experiments.seeds import replication_seeds
from huntsim.fit.logs.common import LogData
from huntsim.scenario.model import Scenario
from huntsim.sim.simulation import Result, simulate

__all__ = ["BackTest", "back_test", "figures", "simulated_calls"]

LET_GO = "voicemail, busy or no answer"
"""The class of calls the system let go (forwarded calls count here too)."""


@dataclass
class BackTest:
    """Observed against simulated figures of the held-out period.

    Attributes
    ----------
    table : DataFrame
        ``figure``, ``scope`` (pilot, a member, or a clock hour ``09:00``),
        ``observed``, ``mean``, ``low``, ``high`` (the prediction interval) and
        ``inside``.
    replications : int
    start, end : Timestamp
        The held-out period.
    """

    table: pd.DataFrame
    replications: int
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def share_inside(self) -> float:
        """Share of the compared figures inside their interval."""
        inside = self.table["inside"].dropna()
        return float(inside.mean()) if len(inside) else float("nan")

    @property
    def outside(self) -> pd.DataFrame:
        """The flagged rows."""
        return self.table[self.table["inside"] == False]  # noqa: E712 - NaN is not flagged


def figures(calls: pd.DataFrame, members: list[str]) -> dict[tuple[str, str], float]:
    """The back-test's figures of one period from a normalised calls table.

    Pilot calls only: their number, the outcome shares, the mean and 90th
    percentile wait to an answer, the calls each member answered, and by clock
    hour the calls and the share answered.
    """
    pilot = calls[calls["kind"] == "pilot"]
    n = len(pilot)
    outcome = pilot["outcome"].astype(str)
    answered = pilot[outcome == "answered"]
    waits = answered["wait_s"].to_numpy(dtype=float)
    waits = waits[np.isfinite(waits)]
    out: dict[tuple[str, str], float] = {
        ("calls", "pilot"): float(n),
        ("answered share", "pilot"): len(answered) / n if n else math.nan,
        ("abandoned share", "pilot"): float((outcome == "abandoned").sum()) / n if n
        else math.nan,
        (f"{LET_GO} share", "pilot"): float(outcome.isin(["voicemail", "busy", "no_answer",
                                                           "forwarded"])
                                            .sum()) / n if n else math.nan,
        ("mean wait to answer (s)", "pilot"): float(waits.mean()) if len(waits) else math.nan,
        ("p90 wait to answer (s)", "pilot"): float(np.quantile(waits, 0.9)) if len(waits)
        else math.nan,
    }
    by_agent = answered["agent"].astype(str).value_counts()
    for member in members:
        out[("calls answered", member)] = float(by_agent.get(member, 0))
    hours = pd.to_datetime(pilot["arrival"]).dt.hour.to_numpy()
    is_answered = (outcome == "answered").to_numpy()
    for hour in range(24):
        at = hours == hour
        out[("calls", f"{hour:02d}:00")] = float(at.sum())
        out[("answered share", f"{hour:02d}:00")] = float(is_answered[at].mean()) if at.any() \
            else math.nan
    return out


def simulated_calls(result: Result, origin: pd.Timestamp, after_hours: bool) -> pd.DataFrame:
    """A run's pilot calls as a normalised calls table (arrival as wall-clock times).

    Parameters
    ----------
    result : Result
    origin : Timestamp
        The wall-clock time of simulation time 0.
    after_hours : bool
        Keep calls after hours (they are in a CDR, not in a queue_log).
    """
    assert result.calls is not None
    calls = result.calls[result.calls["kind"] == "pilot"]
    if not after_hours:
        calls = calls[~calls["after_hours"].astype(bool)]
    return pd.DataFrame({
        "kind": "pilot",
        "arrival": origin + pd.to_timedelta(calls["arrival_s"].to_numpy(), unit="s"),
        "outcome": calls["outcome"].astype(str).to_numpy(),
        "agent": calls["agent"].astype(str).to_numpy(),
        "wait_s": calls["wait_s"].to_numpy(dtype=float),
    })


def back_test(scenario: Scenario, held_out: LogData, replications: int = 40, seed: int = 0,
              confidence: float = 0.95) -> BackTest:
    """Simulate ``scenario`` over the held-out period and compare with the log.

    Parameters
    ----------
    scenario : Scenario
        The fitted office (one hunt group).
    held_out : LogData
        The held-out part of the log.
    replications : int
        Simulated periods (at least 2).
    seed : int
        Master seed of the replications.
    confidence : float
        Of the prediction intervals.
    """
    if replications < 2:
        raise ValueError(f"replications (={replications}) must be at least 2")
    start, end = held_out.start, held_out.end
    week_time = start.weekday() * 86400.0 + (start - start.normalize()).total_seconds()
    period = scenario.replace(start=week_time, duration=(end - start).total_seconds(),
                              warmup=0.0, seed=None)
    members = list(period.hunt_groups[0].members)
    keep_after_hours = held_out.format != "asterisk-queue-log"
    runs: list[dict[tuple[str, str], float]] = []
    for run_seed in replication_seeds(seed, replications):
        result = simulate(period, seed=run_seed)
        runs.append(figures(simulated_calls(result, start, keep_after_hours), members))
    observed = figures(held_out.calls, members)
    t = stats.t.ppf(0.5 + confidence / 2, replications - 1)
    rows: list[dict[str, Any]] = []
    for key, value in observed.items():
        sims = np.array([run.get(key, math.nan) for run in runs], dtype=float)
        sims = sims[np.isfinite(sims)]
        if len(sims) < 2:
            mean = low = high = math.nan
        else:
            mean = float(sims.mean())
            half = float(t * sims.std(ddof=1) * math.sqrt(1 + 1 / len(sims)))
            low, high = mean - half, mean + half
        inside: Any = (low - 1e-9 <= value <= high + 1e-9) if np.isfinite(value) \
            and np.isfinite(low) else None
        if key[0] == "calls" and key[1] != "pilot" and value == 0 and mean == 0:
            inside = None  # an hour with no calls, real or simulated: nothing to compare
        rows.append({"figure": key[0], "scope": key[1], "observed": value, "mean": mean,
                     "low": low, "high": high, "inside": inside})
    table = pd.DataFrame(rows)
    return BackTest(table, replications, start, end)
