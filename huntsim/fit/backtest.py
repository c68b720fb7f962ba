"""Back-test: does the fitted office reproduce the log?

The fitted scenario is simulated many times over a period of the log (the
period it was fitted on, and the held-out weeks where there are): same
weekdays and clock hours. Each figure of the real log is compared with the
spread of the replications. The interval of a figure is
``mean ± t · sqrt(sd²/R + max(sd², own²))`` over ``R`` replications: ``sd``
is how much one simulated period varies, ``sd²/R`` the uncertainty of the
simulated mean, and ``own`` the log's own sampling error (binomial for a
share of ``n`` calls, Poisson for a count, the standard error of a mean wait),
which stands in for ``sd`` where the replications vary less; the interval is
clipped to what the figure can be (a share to 0..1, a time or a count to >= 0).
A right model puts
about 95 % of the figures inside; a figure outside is flagged.

A figure outside even the family-wise interval (Bonferroni: the same width at
confidence ``1 - ALARM_LEVEL / k`` for the ``k`` figures compared) is an
*alarm*: chance alone puts one there in about one back-test in a hundred (a
little more often, since the fitted values are uncertain too); a wrong policy,
time-out or treatment does so every time. ``fit`` prints alarms as a
loud warning and the report shows them at its top.

Outcomes are compared in three classes that every log can tell apart:
answered, abandoned (the caller hung up) and "voicemail, busy or no answer"
(the system let the caller go), for the whole period and by clock hour, with
the calls, the wait to an answer and each member's answered calls. A simulated
caller who took a call back (``called_back``, ``callback_missed``) counts as
abandoned, as every log shows one (they left the queue; the call back is not in it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from huntsim.experiments.seeds import replication_seeds
from huntsim.fit.logs.common import LogData
from huntsim.scenario.model import Scenario
from huntsim.sim.simulation import Result, simulate

__all__ = ["BackTest", "back_test", "figures", "simulated_calls"]

LET_GO_OUTCOMES = ("voicemail", "busy", "no_answer", "forwarded")
ALARM_LEVEL = 0.01
"""Chance that a right model raises an alarm in one back-test (family-wise)."""

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
    period: str = "held-out"

    @property
    def alarms(self) -> pd.DataFrame:
        """The rows outside even their family-wise interval (see the module)."""
        if "alarm" not in self.table:
            return self.table.iloc[:0]
        return self.table[self.table["alarm"] == True]  # noqa: E712 - NaN is no alarm

    def alarm_lines(self, most: int = 6) -> list[str]:
        """One sentence per alarm (the whole period's first), at most ``most`` of them."""
        alarms = self.alarms
        alarms = pd.concat([alarms[alarms["scope"] == "pilot"],
                            alarms[alarms["scope"] != "pilot"]])
        lines = [f"{self.period} period ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}): "
                 f"{row['figure']} ({row['scope']}) is {_number(float(row['observed']))} in "
                 f"the log, but {_number(float(row['mean']))} in the fitted office (95 % "
                 f"interval {_number(float(row['low']))} to {_number(float(row['high']))})"
                 for row in alarms.to_dict("records")]
        if len(lines) > most:
            lines = [*lines[:most], f"{self.period} period: {len(lines) - most} more figures "
                     "as far out (see the back-test table)"]
        return lines

    @property
    def share_inside(self) -> float:
        """Share of the compared figures inside their interval."""
        inside = self.table["inside"].dropna()
        return float(inside.mean()) if len(inside) else float("nan")

    @property
    def outside(self) -> pd.DataFrame:
        """The flagged rows."""
        return self.table[self.table["inside"] == False]  # noqa: E712 - NaN is not flagged


def _number(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "-"


def _shares(outcome: pd.Series, waits: NDArray[np.float64], scope: str,
            out: dict[tuple[str, str], float], p90: bool = False) -> None:
    """The outcome shares and the mean wait to an answer of one scope's calls."""
    n = len(outcome)
    out[("answered share", scope)] = float((outcome == "answered").mean()) if n else math.nan
    out[("abandoned share", scope)] = float((outcome == "abandoned").mean()) if n \
        else math.nan
    out[(f"{LET_GO} share", scope)] = float(outcome.isin(LET_GO_OUTCOMES).mean()) if n \
        else math.nan
    out[("mean wait to answer (s)", scope)] = float(waits.mean()) if len(waits) else math.nan
    if p90:
        out[("p90 wait to answer (s)", scope)] = float(np.quantile(waits, 0.9)) \
            if len(waits) else math.nan


def figures(calls: pd.DataFrame, members: list[str]) -> dict[tuple[str, str], float]:
    """The back-test's figures of one period from a normalised calls table.

    Pilot calls only: their number, the outcome shares, the mean and 90th
    percentile wait to an answer, the calls each member answered, and by clock
    hour the calls, the outcome shares and the mean wait to an answer.
    """
    pilot = calls[calls["kind"] == "pilot"]
    outcome = pilot["outcome"].astype(str).reset_index(drop=True)
    waits = pilot["wait_s"].to_numpy(dtype=float)
    answered = (outcome == "answered").to_numpy() & np.isfinite(waits)
    out: dict[tuple[str, str], float] = {("calls", "pilot"): float(len(pilot))}
    _shares(outcome, waits[answered], "pilot", out, p90=True)
    by_agent = pilot.loc[(outcome == "answered").to_numpy(), "agent"].astype(str).value_counts()
    for member in members:
        out[("calls answered", member)] = float(by_agent.get(member, 0))
    hours = pd.to_datetime(pilot["arrival"]).dt.hour.to_numpy()
    for hour in range(24):
        at = hours == hour
        scope = f"{hour:02d}:00"
        out[("calls", scope)] = float(at.sum())
        _shares(outcome[at], waits[at & answered], scope, out)
    return out


def _own_sd(key: tuple[str, str], mean: float, observed: dict[tuple[str, str], float],
            waits_sd: dict[str, float]) -> float:
    """The log's own sampling error of a figure, were the model right (see the module)."""
    figure, scope = key
    if figure.endswith("share"):
        n = observed.get(("calls", scope), 0.0)
        return math.sqrt(mean * (1 - mean) / n) if n > 0 and 0 <= mean <= 1 else 0.0
    if figure in ("calls", "calls answered"):
        return math.sqrt(max(mean, 0.0))
    if figure == "mean wait to answer (s)":
        return waits_sd.get(scope, 0.0)
    return 0.0


def _wait_errors(calls: pd.DataFrame) -> dict[str, float]:
    """Standard error of the mean wait to an answer, whole period and by clock hour."""
    pilot = calls[(calls["kind"] == "pilot") & (calls["outcome"] == "answered")]
    waits = pilot["wait_s"].astype(float)
    ok = waits.notna()
    waits = waits[ok]
    hours = pd.to_datetime(pilot.loc[ok, "arrival"]).dt.hour
    out = {"pilot": float(waits.std(ddof=1) / math.sqrt(len(waits))) if len(waits) > 1
           else 0.0}
    for hour in np.unique(hours.to_numpy()):
        w = waits[(hours == hour).to_numpy()]
        out[f"{int(hour):02d}:00"] = float(w.std(ddof=1) / math.sqrt(len(w))) if len(w) > 1 \
            else 0.0
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
        # a call back is not in the log: the caller left the queue, read as abandoned
        "outcome": calls["outcome"].astype(str).replace(
            dict.fromkeys(("called_back", "callback_missed"), "abandoned")).to_numpy(),
        "agent": calls["agent"].astype(str).to_numpy(),
        "wait_s": calls["wait_s"].to_numpy(dtype=float),
    })


def back_test(scenario: Scenario, held_out: LogData, replications: int = 40, seed: int = 0,
              confidence: float = 0.95, period: str = "held-out") -> BackTest:
    """Simulate ``scenario`` over the period of a log and compare with the log.

    Parameters
    ----------
    scenario : Scenario
        The fitted office (one hunt group).
    held_out : LogData
        The part of the log to compare with: the held-out weeks, or the period
        fitted on.
    replications : int
        Simulated periods (at least 2).
    seed : int
        Master seed of the replications.
    confidence : float
        Of the intervals.
    period : str
        What the period is, in words (``held-out``, ``fitted``).
    """
    if replications < 2:
        raise ValueError(f"replications (={replications}) must be at least 2")
    start, end = held_out.start, held_out.end
    week_time = start.weekday() * 86400.0 + (start - start.normalize()).total_seconds()
    scenario = scenario.replace(start=week_time, duration=(end - start).total_seconds(),
                                warmup=0.0, seed=None)
    members = list(scenario.hunt_groups[0].members)
    keep_after_hours = held_out.format != "asterisk-queue-log"
    runs: list[dict[tuple[str, str], float]] = []
    for run_seed in replication_seeds(seed, replications):
        result = simulate(scenario, seed=run_seed)
        runs.append(figures(simulated_calls(result, start, keep_after_hours), members))
    observed = figures(held_out.calls, members)
    rows = _compare(observed, runs, _wait_errors(held_out.calls), confidence)
    return BackTest(pd.DataFrame(rows), replications, start, end, period)


def _compare(observed: dict[tuple[str, str], float], runs: list[dict[tuple[str, str], float]],
             waits_sd: dict[str, float], confidence: float) -> list[dict[str, Any]]:
    """Each observed figure against the replications: its interval, whether it is inside,
    and whether it is outside the family-wise interval too (an alarm)."""
    rows: list[dict[str, Any]] = []
    for key, value in observed.items():
        sims = np.array([run.get(key, math.nan) for run in runs], dtype=float)
        sims = sims[np.isfinite(sims)]
        mean = sd = math.nan
        if len(sims) >= 2 and np.isfinite(value):
            mean, spread = float(sims.mean()), float(sims.std(ddof=1))
            own = _own_sd(key, mean, observed, waits_sd)
            sd = math.sqrt(spread**2 / len(sims) + max(spread**2, own**2))
        if key[0] == "calls" and key[1] != "pilot" and value == 0 and mean == 0:
            mean = sd = math.nan  # an hour with no calls, real or simulated: nothing to compare
        rows.append({"figure": key[0], "scope": key[1], "observed": value, "mean": mean,
                     "sd": sd, "df": max(len(sims) - 1, 1)})
    compared = [r for r in rows if np.isfinite(r["sd"])]
    k = max(len(compared), 1)
    for row in rows:
        if not np.isfinite(row["sd"]):
            row.update(low=math.nan, high=math.nan, inside=None, alarm=None)
            continue
        t = float(stats.t.ppf(0.5 + confidence / 2, row["df"]))
        t_all = float(stats.t.ppf(1 - ALARM_LEVEL / (2 * k), row["df"]))
        gap = abs(row["observed"] - row["mean"])
        # clipped to what the figure can be: a share in 0..1, a time or a count >= 0
        top = 1.0 if str(row["figure"]).endswith("share") else math.inf
        row.update(low=min(max(row["mean"] - t * row["sd"], 0.0), top),
                   high=min(max(row["mean"] + t * row["sd"], 0.0), top),
                   inside=bool(gap <= t * row["sd"] + 1e-9),
                   alarm=bool(gap > t_all * row["sd"] + 1e-9))
    return [{key: row[key] for key in ("figure", "scope", "observed", "mean", "low", "high",
                                       "inside", "alarm")} for row in rows]
