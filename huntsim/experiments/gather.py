"""Many runs measured and gathered: long tables with their labels, and intervals.

:func:`run_measurements` runs a list of :class:`~huntsim.experiments.measure.RunTask`
on the runner (:func:`~huntsim.experiments.runner.run_tasks`) and gathers the
measurements into long tables; :func:`interval_table` turns a long table into
means with t intervals over replications.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from huntsim.analysis.expected_traffic import hour_keys
from huntsim.experiments.execution import Execution
from huntsim.experiments.measure import Columns, Measurement, RunTask, columns_of, measure
from huntsim.experiments.runner import run_tasks
from huntsim.scenario.model import Scenario

__all__ = ["Runs", "collect_warnings", "gather", "interval_table", "long_members",
           "run_measurements"]


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


def _length(columns: Columns) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def gather(measurements: Sequence[Measurement], table: str) -> pd.DataFrame:
    """One of the tables of every measurement, with the labels as columns.

    Built once from the columns of all runs (not a DataFrame per run), which
    keeps the main process of a large experiment from becoming its bottleneck.
    """
    tables = [columns_of(getattr(m, table)) for m in measurements]
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


Rewrite = Callable[[tuple[tuple[str, Any], ...], str], str | None]
"""Given a run's labels and one of its warnings: the warning as shown, or ``None`` to drop it."""


def collect_warnings(measurements: Sequence[Measurement],
                     rewrite: Rewrite | None = None) -> tuple[str, ...]:
    """Each run's warnings once, in the order first seen.

    A warning that not every run gave says in how many it appeared and, when
    only some cases gave it (policies, group sizes: the labels other than
    ``replication``), which. ``rewrite`` rewords or drops each run's warnings
    first (a plan: warnings that only the sizes it made give).

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
        given = getattr(m, "warnings", ())
        if rewrite is not None:
            given = tuple(w for w in (rewrite(m.labels, w) for w in given) if w is not None)
        for warning in dict.fromkeys(given):
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
    execution: Execution | None = None,
    rewrite: Rewrite | None = None,
) -> Runs:
    """Run and measure every task (:func:`~.runner.run_tasks`); gather the tables.

    ``labels`` are the names of the tasks' labels, e.g. ``["policy", "replication"]``;
    ``execution`` says where and how the runs execute (default: all local cores);
    ``rewrite``: see :func:`collect_warnings`.
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
    measurements = run_tasks(_measure_ref, refs, **(execution or Execution()).keywords(),
                             describe=_calls_of, context=tuple(scenarios))
    hours = gather(measurements, "hourly")
    return Runs(
        metrics=gather(measurements, "metrics"),
        members=long_members(gather(measurements, "members"), labels),
        hourly=hours.melt(id_vars=[*labels, "group", *hour_keys(hours)], var_name="metric"),
        waits=gather(measurements, "waits"),
        warnings=collect_warnings(measurements, rewrite),
    )


def _calls_of(measurement: Measurement) -> int:
    return measurement.calls
