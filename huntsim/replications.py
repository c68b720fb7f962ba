"""Independent replications of a scenario, and what each one measures.

A replication is one run with its own seed. Replication ``i`` gets the same
seed in every experiment built on the same master seed, whatever the policy
or group size, so that experiments compare like with like (common random
numbers). Each run is boiled down to a small :class:`Measurement` right away,
so that thousands of runs fit in memory and travel cheaply between processes.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from huntsim.arrivals import Profile
from huntsim.errors import ScenarioError
from huntsim.intervals import mean_interval
from huntsim.metrics import group_metrics, hourly, member_loads
from huntsim.runner import CheckpointStore, run_tasks
from huntsim.scenario import HuntGroup, Scenario, load_scenario
from huntsim.simulation import simulate

__all__ = [
    "Measurement",
    "Replications",
    "RunTask",
    "Runs",
    "collect_warnings",
    "interval_table",
    "measure",
    "replicate",
    "replication_seeds",
    "resolve_seed",
    "run_measurements",
    "seed_problems",
]

DEFAULT_SEED = 0
"""Master seed of an experiment when neither the call nor the scenario gives one."""

WAIT_SAMPLE = 5000
"""Answered-call waits kept per run and group, for distributions (a random sample)."""


def seed_problems(seed: Any) -> list[str]:
    """What is wrong with a master ``seed`` (nothing for ``None``: the default)."""
    if seed is None:
        return []
    try:
        whole = operator.index(seed)
    except TypeError:
        return [f"seed: {seed!r} is not a whole number"]
    return [] if whole >= 0 else [f"seed: {whole} must be 0 or more"]


def resolve_seed(scenario: Scenario, seed: int | None) -> int:
    """The master seed of an experiment: ``seed``, else the scenario's, else 0.

    Examples
    --------
    >>> office = load_scenario({"duration": "1h", "seed": 7,
    ...                         "agents": [{"number": "1", "talk_time": "1min"}]})
    >>> resolve_seed(office, None), resolve_seed(office, 3)
    (7, 3)
    """
    if seed is not None:
        return operator.index(seed)
    return scenario.seed if scenario.seed is not None else DEFAULT_SEED


def replication_seeds(seed: int, replications: int) -> list[int]:
    """The seed of each replication, derived from a master ``seed``.

    Examples
    --------
    >>> replication_seeds(1, 3) == replication_seeds(1, 3)
    True
    """
    if replications < 1:
        raise ValueError(f"replications (={replications}) must be at least 1")
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint64)[0]) for child in children]


@dataclass(frozen=True)
class RunTask:
    """One simulation of an experiment: a scenario, a seed and its labels."""

    key: str
    scenario: Scenario
    seed: int
    threshold_s: float = 20.0
    labels: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Measurement:
    """What one run measured, per hunt group, in small tidy tables."""

    calls: int
    labels: tuple[tuple[str, Any], ...]
    metrics: pd.DataFrame = field(repr=False)
    members: pd.DataFrame = field(repr=False)
    waits: pd.DataFrame = field(repr=False)
    hourly: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()


def _day_length(group: HuntGroup) -> float:
    arrivals = group.arrivals
    if isinstance(arrivals, Profile) and arrivals.period is not None:
        return arrivals.period
    return 86400.0


def measure(task: RunTask) -> Measurement:
    """Simulate ``task`` and keep per-group metrics, member loads, waits and hours."""
    result = simulate(task.scenario, seed=task.seed)
    scenario = result.scenario
    calls, offers = result.calls, result.offers
    assert calls is not None and offers is not None
    metrics, members, waits, hours = [], [], [], []
    agents = result.agents.set_index("agent")
    for group in scenario.hunt_groups:
        loads = member_loads(result.agents, group.members)
        metric = group_metrics(calls, offers, loads["load_erlang"], group.pilot,
                               result.window_s, scenario.ring_cycle, task.threshold_s)
        metrics.append(pd.DataFrame({"group": group.pilot, "metric": metric.index,
                                     "value": metric.to_numpy(dtype=float)}))
        pilot = calls[(calls["kind"] == "pilot") & (calls["group"] == group.pilot)]
        extra = agents.loc[list(group.members), ["name", "direct_answered", "offers",
                                                  "offers_missed", "occupancy"]]
        loads = loads.join(extra, on="agent")
        loads.insert(0, "position", np.arange(1, len(loads) + 1))
        loads.insert(0, "group", group.pilot)
        members.append(loads)
        answered = pilot.loc[pilot["outcome"] == "answered", "wait_s"].to_numpy(dtype=float)
        if len(answered) > WAIT_SAMPLE:
            answered = np.random.default_rng(task.seed).choice(answered, WAIT_SAMPLE, False)
        waits.append(pd.DataFrame({"group": group.pilot, "wait_s": answered}))
        hour = hourly(pilot, scenario.warmup, scenario.duration, _day_length(group),
                      task.threshold_s)
        hour.insert(0, "group", group.pilot)
        hours.append(hour)
    return Measurement(
        calls=len(calls),
        labels=task.labels,
        metrics=_concat(metrics),
        members=_concat(members),
        waits=_concat(waits),
        hourly=_concat(hours),
        warnings=result.warnings,
    )


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def gather(measurements: Sequence[Measurement], table: str) -> pd.DataFrame:
    """One of the tables of every measurement, with the labels as columns."""
    frames = []
    for m in measurements:
        frame = getattr(m, table).copy()
        for position, (name, value) in enumerate(m.labels):
            frame.insert(position, name, value)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def collect_warnings(measurements: Sequence[Measurement]) -> tuple[str, ...]:
    """Each run's warnings once, in the order first seen.

    A warning that not every run gave says in how many it appeared and, when
    only some cases gave it (policies, group sizes: the labels other than
    ``replication``), which.

    Examples
    --------
    >>> empty = pd.DataFrame()
    >>> runs = [Measurement(0, (("policy", p), ("replication", i)), empty, empty, empty,
    ...                     empty, ("w",) if p == "regular" else ())
    ...         for p in ("regular", "circular") for i in range(2)]
    >>> collect_warnings(runs)
    ('w (in 2 of 4 runs; policy regular)',)
    """
    cases: Counter[tuple[tuple[str, Any], ...]] = Counter()
    seen: dict[str, Counter[tuple[tuple[str, Any], ...]]] = {}
    for m in measurements:
        case = tuple((name, value) for name, value in m.labels if name != "replication")
        cases[case] += 1
        # a checkpoint saved before runs had warnings has none
        for warning in dict.fromkeys(getattr(m, "warnings", ())):
            seen.setdefault(warning, Counter())[case] += 1
    collected = []
    for warning, where in seen.items():
        count = sum(where.values())
        if count == len(measurements):
            collected.append(warning)
            continue
        which = ""
        if len(where) < len(cases) and any(where):
            shown = [", ".join(f"{name} {value}" for name, value in case) for case in where]
            more = f"; and {len(shown) - 3} more" if len(shown) > 3 else ""
            which = "; " + "; ".join(shown[:3]) + more
        collected.append(f"{warning} (in {count} of {len(measurements)} runs{which})")
    return tuple(collected)


def interval_table(
    values: pd.DataFrame, by: Sequence[str], value: str = "value", confidence: float = 0.95
) -> pd.DataFrame:
    """Mean and t interval of ``value`` over replications, per ``by`` group.

    Returns columns ``*by, mean, ci_low, ci_high, n``, in the order the groups first appear.
    """
    rows = []
    for keys, block in values.groupby(list(by), sort=False, observed=True):
        mean, low, high = mean_interval(block[value].to_numpy(dtype=float), confidence)
        keys = keys if isinstance(keys, tuple) else (keys,)
        rows.append((*keys, mean, low, high, int(np.isfinite(block[value]).sum())))
    return pd.DataFrame(rows, columns=[*by, "mean", "ci_low", "ci_high", "n"])


def long_members(members: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Member tables in long form: one row per label, member and metric."""
    id_vars = [*labels, "group", "position", "agent", "name"]
    value_vars = [c for c in members.columns if c not in id_vars]
    return members.melt(id_vars=id_vars, value_vars=value_vars, var_name="metric")


@dataclass(frozen=True)
class Replications:
    """Replications of one scenario, with 95 % intervals.

    Attributes
    ----------
    raw : DataFrame
        ``replication, group, metric, value``: every run's figures.
    table : DataFrame
        ``group, metric, mean, ci_low, ci_high, n``.
    members : DataFrame
        ``group, position, agent, name, metric, mean, ci_low, ci_high, n``.
    warnings : tuple of str
        The runs' warnings, each once (see :func:`collect_warnings`).
    """

    scenario: Scenario
    seed: int
    raw: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    members: pd.DataFrame = field(repr=False)
    hourly: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()


def replicate(
    scenario: Scenario | str | Any,
    replications: int = 10,
    seed: int | None = None,
    policy: str | None = None,
    threshold_s: float = 20.0,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
) -> Replications:
    """Run independent replications and report means with 95 % t intervals.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        What to simulate.
    replications : int
        Number of independent runs.
    seed : int, optional
        Master seed; replication ``i`` uses ``replication_seeds(seed, n)[i]``.
        Default: the scenario's ``seed``, else 0.
    policy : str, optional
        Override every group's policy.
    threshold_s : float
        Service-level threshold (answered within this many seconds).
    jobs, scheduler, progress, store
        See :func:`huntsim.runner.run_tasks`.

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "1", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "arrivals": {"rate": "6/h"}}]}
    >>> reps = replicate(office, replications=3, seed=1, jobs=1)
    >>> row = reps.table.query("metric == 'answered_rate'").iloc[0]
    >>> bool(row.ci_low <= row["mean"] <= row.ci_high)
    True
    """
    base = load_scenario(scenario)
    if policy is not None:
        base = base.with_policy(policy)
    problems = seed_problems(seed)
    if problems:
        raise ScenarioError(problems)
    seed = resolve_seed(base, seed)
    tasks = [
        RunTask(f"rep-{i:04d}", base, s, threshold_s, (("replication", i),))
        for i, s in enumerate(replication_seeds(seed, replications))
    ]
    runs = run_measurements(tasks, ["replication"], jobs, scheduler, progress, store)
    return Replications(
        scenario=base,
        seed=seed,
        raw=runs.metrics,
        table=interval_table(runs.metrics, ["group", "metric"]),
        members=interval_table(runs.members, ["group", "position", "agent", "name", "metric"]),
        hourly=interval_table(runs.hourly, ["group", "hour", "metric"]),
        warnings=runs.warnings,
    )


@dataclass(frozen=True)
class Runs:
    """The measurements of many runs, gathered into long tables with their labels."""

    metrics: pd.DataFrame
    members: pd.DataFrame
    hourly: pd.DataFrame
    waits: pd.DataFrame
    warnings: tuple[str, ...] = ()


def run_measurements(
    tasks: Sequence[RunTask],
    labels: Sequence[str],
    jobs: int | None,
    scheduler: str | None,
    progress: bool | None,
    store: CheckpointStore[Measurement] | None,
) -> Runs:
    """Run and measure every task (see :func:`huntsim.runner.run_tasks`); gather the tables.

    ``labels`` are the names of the tasks' labels, e.g. ``["policy", "replication"]``.
    """
    measurements = run_tasks(measure, tasks, jobs=jobs, scheduler=scheduler,
                             progress=progress, store=store, describe=_calls_of)
    return Runs(
        metrics=gather(measurements, "metrics"),
        members=long_members(gather(measurements, "members"), labels),
        hourly=gather(measurements, "hourly").melt(id_vars=[*labels, "group", "hour"],
                                                   var_name="metric"),
        waits=gather(measurements, "waits"),
        warnings=collect_warnings(measurements),
    )


def _calls_of(measurement: Measurement) -> int:
    return measurement.calls
