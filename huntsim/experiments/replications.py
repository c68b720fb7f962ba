"""Independent replications of a scenario, and what each one measures.

A replication is one run with its own seed. Replication ``i`` gets the same
seed in every experiment built on the same master seed, whatever the policy
or group size, so that experiments compare like with like (common random
numbers). Each run is boiled down to a small :class:`Measurement` right away,
so that thousands of runs fit in memory and travel cheaply between processes.
"""

from __future__ import annotations

import math
import operator
import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from huntsim.analysis.metrics import group_metrics, hourly, member_loads, weekly_hourly
from huntsim.errors import ScenarioError
from huntsim.experiments.runner import CheckpointStore, run_tasks
from huntsim.scenario.arrivals import Poisson, Profile, Trace, Weekly
from huntsim.scenario.calendar import DAY, WEEK, WEEKDAYS, Calendar
from huntsim.scenario.model import HuntGroup, Scenario, load_scenario
from huntsim.scenario.routing import forward_map
from huntsim.sim.simulation import simulate

__all__ = [
    "Measurement",
    "Replications",
    "RunTask",
    "Runs",
    "collect_warnings",
    "hour_keys",
    "hour_traffic",
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


Columns = dict[str, NDArray[Any]]
"""A table as its columns: name to a numpy array, all of one length."""


@dataclass(frozen=True)
class Measurement:
    """What one run measured, per hunt group, in small tidy tables.

    The tables are kept as numpy columns (:data:`Columns`), which travel
    between processes several times faster than DataFrames; :func:`gather`
    builds one DataFrame from the columns of every run at the end. A
    measurement saved by an older version holds DataFrames, which are read
    the same way.
    """

    calls: int
    labels: tuple[tuple[str, Any], ...]
    metrics: pd.DataFrame | Columns = field(repr=False)
    members: pd.DataFrame | Columns = field(repr=False)
    waits: pd.DataFrame | Columns = field(repr=False)
    hourly: pd.DataFrame | Columns = field(repr=False)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _RunRef:
    """A :class:`RunTask` that names its scenario by number in the experiment's list."""

    key: str
    scenario: int
    seed: int
    threshold_s: float
    labels: tuple[tuple[str, Any], ...]


def _measure_ref(ref: _RunRef, scenarios: Sequence[Scenario]) -> Measurement:
    return measure(RunTask(ref.key, scenarios[ref.scenario], ref.seed, ref.threshold_s,
                           ref.labels))


def _day_length(group: HuntGroup) -> float:
    arrivals = group.arrivals
    if isinstance(arrivals, Profile) and arrivals.period is not None:
        return arrivals.period
    return 86400.0


def _expected_by(arrivals: Poisson | Profile | Trace | Weekly | None,
                 times: NDArray[np.float64]) -> NDArray[np.float64]:
    """Expected arrivals in ``[0, t)`` at each of the increasing simulation ``times``."""
    if arrivals is None:
        return np.zeros_like(times)
    if isinstance(arrivals, Weekly):
        arrivals = arrivals.profile()
    if isinstance(arrivals, Poisson):
        return arrivals.rate * times
    if isinstance(arrivals, Trace):
        trace = np.asarray(arrivals.trace, dtype=float)
        return np.searchsorted(trace, times, side="left").astype(float)
    starts, rates, cumulative = arrivals._breakpoints()
    cycles = np.zeros_like(times)
    within = times
    per_period = 0.0
    if arrivals.period is not None:
        per_period = float(cumulative[-1] + (arrivals.period - starts[-1]) * rates[-1])
        cycles = np.floor(times / arrivals.period)
        within = times - cycles * arrivals.period
    i = np.searchsorted(starts, within, side="right") - 1
    inside = np.where(i >= 0, cumulative[np.maximum(i, 0)]
                      + (within - starts[np.maximum(i, 0)]) * rates[np.maximum(i, 0)], 0.0)
    expected: NDArray[np.float64] = inside + cycles * per_period
    return expected


def hour_traffic(
    scenario: Scenario,
    arrivals: Poisson | Profile | Trace | Weekly | None,
    open_hours: Calendar | None = None,
    day_s: float | None = None,
) -> pd.DataFrame:
    """Expected calls of an arrival stream per hour of the week (or of the day) in the run.

    With a calendar (:attr:`Scenario.uses_calendar`) the hours are those of the
    week, from the scenario's ``start``; otherwise those of the day, hour 0
    being the start of the run, and the day ``day_s`` long (default: the
    stream's profile period, else 24 hours). Only the reported period
    ``[warmup, duration)`` counts.

    Parameters
    ----------
    scenario : Scenario
        Gives the reported period, ``start`` and whether there is a calendar.
    arrivals : arrivals or None
        A hunt group's ``arrivals`` or an agent's ``direct_calls``.
    open_hours : Calendar, optional
        The group's ``open`` hours: calls outside them are counted apart.
    day_s : float, optional
        Without a calendar: the length of a day (e.g. a group's 9-hour
        business day, to count its members' direct calls by the same hours).

    Returns
    -------
    DataFrame
        One row per hour that occurs in the period, in order: ``slot`` (hour of
        the week, 0 = Monday 00:00-01:00, or of the day), ``weekday`` (``mon``
        ... ``sun``, or ``daily`` without a calendar), ``hour``, ``exposure_s``
        (seconds of the period in that hour), ``open_s`` (of them inside the
        open hours), ``expected`` and ``expected_open`` (calls), and
        ``rate_per_hour``: calls per hour while open (``expected_open`` over
        ``open_s``; 0 for an hour never open).

    Examples
    --------
    >>> office = load_scenario({
    ...     "duration": "1w", "start": "mon 08:00",
    ...     "agents": [{"number": "1", "talk_time": "1min"}],
    ...     "hunt_groups": [{"pilot": "9", "members": ["1"], "open": ["mon-fri 08:00-17:00"],
    ...                      "arrivals": {"weekly": {"mon-fri": {"08:00": "12/h",
    ...                                                         "17:00": "6/h"}}}}]})
    >>> group = office.hunt_groups[0]
    >>> table = hour_traffic(office, group.arrivals, group.open).set_index("slot")
    >>> for slot in (8, 16, 17):
    ...     row = table.loc[slot]
    ...     print(row["weekday"], row["hour"], round(row["rate_per_hour"], 6),
    ...           round(row["expected"], 6))
    mon 8 12.0 12.0
    mon 16 12.0 12.0
    mon 17 0.0 6.0
    """
    weekly = scenario.uses_calendar
    if weekly:
        period, shift = WEEK, scenario.start
    else:
        open_hours = None
        period = day_s or (arrivals.period if isinstance(arrivals, Profile) and arrivals.period
                           else DAY)
        shift = 0.0
    low, high = scenario.warmup, scenario.duration
    offsets = np.append(np.arange(0.0, period, 3600.0), period)
    cycles = np.arange(math.floor((low + shift) / period), math.ceil((high + shift) / period) + 1)
    bounds = (cycles[:, None] * period + offsets[None, :] - shift).ravel()
    cuts = [bounds[(bounds > low) & (bounds < high)]]
    if open_hours is not None:
        flips = np.asarray(open_hours.transitions(scenario.start, high)[1], dtype=float)
        cuts.append(flips[(flips > low) & (flips < high)])
    edges = np.unique(np.concatenate([[low, high], *cuts]))
    begin, end = edges[:-1], edges[1:]
    middle = (begin + end) / 2
    slot = np.floor(((middle + shift) % period) / 3600.0).astype(int)
    inside = (np.array([open_hours.contains(scenario.start + t) for t in middle], dtype=bool)
              if open_hours is not None else np.ones(len(middle), dtype=bool))
    counted = np.diff(_expected_by(arrivals, edges))
    pieces = pd.DataFrame({"slot": slot, "exposure_s": end - begin,
                           "open_s": np.where(inside, end - begin, 0.0),
                           "expected": counted, "expected_open": np.where(inside, counted, 0.0)})
    table = pieces.groupby("slot", sort=True).sum().reset_index()
    table.insert(1, "weekday", [WEEKDAYS[s // 24] if weekly else "daily" for s in table["slot"]])
    table.insert(2, "hour", table["slot"] % 24 if weekly else table["slot"])
    open_h = table["open_s"] / 3600.0
    table["rate_per_hour"] = (table["expected_open"] / open_h.where(open_h > 0)).fillna(0.0)
    return table


def hour_keys(table: pd.DataFrame) -> list[str]:
    """The columns that name an hour in an hourly table: ``weekday, hour`` or ``hour``."""
    return ["weekday", "hour"] if "weekday" in table.columns else ["hour"]


def measure(task: RunTask) -> Measurement:
    """Simulate ``task`` and keep per-group metrics, member loads, waits and hours.

    Pilot calls that arrived after hours (outside the group's ``open``) rang
    nobody: they are left out of the group's metrics, waits and rates, and
    counted in the metric ``after_hours`` (in scenarios with a calendar). With
    a calendar the hourly table is by weekday and clock hour
    (:func:`huntsim.analysis.metrics.weekly_hourly`), with a row for every hour of the
    week that has expected traffic; otherwise by hour of the day.
    """
    result = simulate(task.scenario, seed=task.seed)
    scenario = result.scenario
    calls, offers = result.calls, result.offers
    assert calls is not None and offers is not None
    metrics, members, waits, hours = [], [], [], []
    agents = result.agents.set_index("agent")
    weekly = scenario.uses_calendar
    closed = (calls["after_hours"].to_numpy(dtype=bool) if "after_hours" in calls
              else np.zeros(len(calls), dtype=bool))
    in_hours = calls[~closed]  # after-hours calls rang nobody: counted apart
    forwards = forward_map(scenario.hunt_groups)
    for group in scenario.hunt_groups:
        loads = member_loads(result.agents, group.members)
        metric = group_metrics(calls, offers, loads["load_erlang"], group.pilot,
                               result.window_s, scenario.ring_cycle, task.threshold_s,
                               forwards)
        if not weekly:
            metric = metric.drop("after_hours")
        metrics.append(pd.DataFrame({"group": group.pilot, "metric": metric.index,
                                     "value": metric.to_numpy(dtype=float)}))
        pilot = in_hours[(in_hours["kind"] == "pilot") & (in_hours["group"] == group.pilot)]
        all_pilot = calls[(calls["kind"] == "pilot") & (calls["group"] == group.pilot)]
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
        if weekly:
            hour = weekly_hourly(all_pilot, scenario.warmup, scenario.duration, scenario.start,
                                 task.threshold_s, _busy_slots(task.scenario, scenario, group))
        else:
            hour = hourly(pilot, scenario.warmup, scenario.duration, _day_length(group),
                          task.threshold_s)
        hour.insert(0, "group", group.pilot)
        hours.append(hour)
    return Measurement(
        calls=len(calls),
        labels=task.labels,
        metrics=_columns(_concat(metrics)),
        members=_columns(_concat(members)),
        waits=_columns(_concat(waits)),
        hourly=_columns(_concat(hours)),
        warnings=result.warnings,
    )


def _columns(frame: pd.DataFrame | Columns) -> Columns:
    if not isinstance(frame, pd.DataFrame):
        return frame
    return {str(name): frame[name].to_numpy() for name in frame.columns}


def _length(columns: Columns) -> int:
    return len(next(iter(columns.values()))) if columns else 0


_SLOTS: dict[tuple[int, str], tuple[Scenario, list[int]]] = {}


def _busy_slots(task_scenario: Scenario, scenario: Scenario, group: HuntGroup) -> list[int]:
    """Hours of the week with expected pilot traffic: the same for every run of a
    scenario, so worked out once per scenario and process (a tenth of a quarter's
    measuring)."""
    key = (id(task_scenario), group.pilot)
    cached = _SLOTS.get(key)
    if cached is not None and cached[0] is task_scenario:
        return cached[1]
    traffic = hour_traffic(scenario, group.arrivals, group.open)
    slots: list[int] = traffic.loc[traffic["expected"] > 0, "slot"].tolist()
    if len(_SLOTS) >= 256:
        _SLOTS.clear()
    _SLOTS[key] = (task_scenario, slots)  # the scenario kept: its id is not reused meanwhile
    return slots


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def gather(measurements: Sequence[Measurement], table: str) -> pd.DataFrame:
    """One of the tables of every measurement, with the labels as columns.

    Built once from the columns of all runs (not a DataFrame per run), which
    keeps the main process of a large experiment from becoming its bottleneck.
    """
    tables = [_columns(getattr(m, table)) for m in measurements]
    lengths = np.array([_length(t) for t in tables], dtype=np.int64)
    kept = [i for i, t in enumerate(tables) if t]
    if not kept:
        return pd.DataFrame()
    names = tuple(tables[kept[0]])
    label_names = tuple(name for name, _ in measurements[kept[0]].labels)
    if any(tuple(tables[i]) != names or tuple(n for n, _ in measurements[i].labels)
           != label_names for i in kept):  # tables of different shapes: the general way
        return pd.concat([_labelled(measurements[i], tables[i]) for i in kept],
                         ignore_index=True)
    data: dict[str, Any] = {}
    for position, name in enumerate(label_names):
        values = [measurements[i].labels[position][1] for i in kept]
        data[name] = np.repeat(pd.array(values).to_numpy(), lengths[kept])
    for name in names:
        data[name] = np.concatenate([tables[i][name] for i in kept])
    return pd.DataFrame(data)


def _labelled(measurement: Measurement, columns: Columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for position, (name, value) in enumerate(measurement.labels):
        frame.insert(position, name, value)
    return frame


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
    The figures are those of :func:`huntsim.analysis.intervals.mean_interval` on each
    group's values in their order, computed on numpy slices (a large
    experiment has thousands of groups: hours x metrics x cases).

    Examples
    --------
    >>> runs = pd.DataFrame({"policy": ["a", "b", "a", "b"], "value": [1.0, 5.0, 3.0, 5.0]})
    >>> interval_table(runs, ["policy"]).round(3).values.tolist()
    [['a', 2.0, -10.706, 14.706, 2], ['b', 5.0, 5.0, 5.0, 2]]
    """
    columns = [*by, "mean", "ci_low", "ci_high", "n"]
    codes = values.groupby(list(by), sort=False, observed=True).ngroup().to_numpy()
    kept = np.flatnonzero(codes >= 0)  # rows whose keys are all present
    order = kept[np.argsort(codes[kept], kind="stable")]
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1))
    ends = np.append(starts[1:], len(order))
    numbers = values[value].to_numpy(dtype=float)
    keys = values[list(by)].iloc[order[starts]].itertuples(index=False, name=None)
    quantiles: dict[int, float] = {}
    rows = []
    for key, start, end in zip(keys, starts, ends, strict=True):
        x = numbers[order[start:end]]
        x = x[np.isfinite(x)]
        mean = low = high = math.nan
        if len(x):
            mean = float(x.mean())
        if len(x) >= 2:
            if len(x) not in quantiles:
                quantiles[len(x)] = stats.t.ppf(0.5 + confidence / 2, len(x) - 1)
            half = float(quantiles[len(x)] * x.std(ddof=1) / math.sqrt(len(x)))
            low, high = mean - half, mean + half
        rows.append((*key, mean, low, high, len(x)))
    return pd.DataFrame(rows, columns=columns)


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
    hourly : DataFrame
        ``group, hour, metric, mean, ci_low, ci_high, n``, or with a calendar
        ``group, weekday, hour, ...`` (see :func:`huntsim.analysis.metrics.weekly_hourly`).
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
        See :func:`huntsim.experiments.runner.run_tasks`.

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
        hourly=interval_table(runs.hourly, ["group", *hour_keys(runs.hourly), "metric"]),
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
    """Run and measure every task (:func:`~.runner.run_tasks`); gather the tables.

    ``labels`` are the names of the tasks' labels, e.g. ``["policy", "replication"]``.
    """
    # each distinct scenario goes to each worker once; tasks name theirs by number. Equal
    # scenarios made apart (a policy set per task) are one: same pickle, same scenario
    scenarios: list[Scenario] = []
    number: dict[int, int] = {}
    by_content: dict[bytes, int] = {}
    refs = []
    for task in tasks:
        if id(task.scenario) not in number:
            content = pickle.dumps(task.scenario, protocol=pickle.HIGHEST_PROTOCOL)
            if content not in by_content:
                by_content[content] = len(scenarios)
                scenarios.append(task.scenario)
            number[id(task.scenario)] = by_content[content]
        refs.append(_RunRef(task.key, number[id(task.scenario)], task.seed, task.threshold_s,
                            task.labels))
    measurements = run_tasks(_measure_ref, refs, jobs=jobs, scheduler=scheduler,
                             progress=progress, store=store, describe=_calls_of,
                             context=tuple(scenarios))
    hours = gather(measurements, "hourly")
    return Runs(
        metrics=gather(measurements, "metrics"),
        members=long_members(gather(measurements, "members"), labels),
        hourly=hours.melt(id_vars=[*labels, "group", *hour_keys(hours)], var_name="metric"),
        waits=gather(measurements, "waits"),
        warnings=collect_warnings(measurements),
    )


def _calls_of(measurement: Measurement) -> int:
    return measurement.calls
