"""What one run measures: a :class:`RunTask` in, a small :class:`Measurement` out.

Each run is boiled down to a few tidy tables right away, kept as numpy
columns, so that thousands of runs fit in memory and travel cheaply between
processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.analysis.expected_traffic import day_length, hour_traffic
from huntsim.analysis.fairness import fair_shares
from huntsim.analysis.hourly import hourly, weekly_hourly
from huntsim.analysis.metrics import group_metrics, group_visits, member_loads
from huntsim.scenario.model import HuntGroup, Scenario, forward_map, group_map
from huntsim.sim.simulation import simulate

__all__ = ["WAIT_SAMPLE", "Columns", "Measurement", "RunTask", "measure"]

WAIT_SAMPLE = 5000
"""Answered-call waits kept per run and group, for distributions (a random sample)."""


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
    between processes several times faster than DataFrames;
    :func:`~huntsim.experiments.gather.gather` builds one DataFrame from the
    columns of every run at the end. A
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


def measure(task: RunTask) -> Measurement:
    """Simulate ``task`` and keep per-group metrics, member loads, waits and hours.

    Each group's metrics, waits and hours count the calls that reached it, as
    :func:`~huntsim.analysis.metrics.summarize` does (:func:`group_visits`: a
    call it forwarded counts as ``forwarded`` there and again where it ended).
    Pilot calls that reached a group after hours (outside its ``open``) rang
    nobody there: they are left out of the group's metrics, waits and rates, and
    counted in its metric ``after_hours`` (in scenarios with a calendar). With
    a calendar the hourly table is by weekday and clock hour
    (:func:`huntsim.analysis.hourly.weekly_hourly`), with a row for every hour of the
    week that has expected traffic; otherwise by hour of the day.
    """
    result = simulate(task.scenario, seed=task.seed)
    scenario = result.scenario
    calls, offers = result.calls, result.offers
    assert calls is not None and offers is not None
    metrics, members, waits, hours = [], [], [], []
    agents = result.agents.set_index("agent")
    weekly = scenario.uses_calendar
    forwards = forward_map(scenario.hunt_groups)
    group_of = group_map(scenario.hunt_groups)
    # each group's calls as the summary counts them: every call that reached it
    # (a call it passed on as forwarded), after hours when it was closed then
    visits = group_visits(calls, forwards, offers, group_of)
    visited = visits["visited"].to_numpy(dtype=object)
    closed = visits["after_hours"].to_numpy(dtype=bool)
    for group in scenario.hunt_groups:
        reached = visits[visited == group.pilot]
        pilot = visits[(visited == group.pilot) & ~closed]  # after hours: counted apart
        # fair shares: the talk of each call answered in the group (a call back the
        # caller took included: the member's load counts it), split among who was
        # logged in when it was answered
        answered_here = pilot[pilot["outcome"].isin(["answered", "called_back"]).to_numpy()]
        shares = fair_shares(answered_here["answer_s"], group.members, result.absences,
                             answered_here["talk_s"])
        loads = member_loads(result.agents, group.members, shares)
        # a member of several groups: this group's calls only (the agents table: all)
        loads["group_answered"] = _answered_by(answered_here, group.members, scenario.warmup)
        metric = group_metrics(calls, offers, loads["load_erlang"], group.pilot,
                               result.window_s, scenario.ring_cycle, task.threshold_s,
                               forwards, group_of, loads["expected_share"], visits,
                               _open_s(scenario, group))
        if not weekly:
            metric = metric.drop("after_hours")
        metrics.append(pd.DataFrame({"group": group.pilot, "metric": metric.index,
                                     "value": metric.to_numpy(dtype=float)}))
        columns = ["name", "direct_answered", "offers", "offers_missed", "occupancy"]
        if group.call_waiting:  # the call waitings let ring, counted apart from offers_missed
            columns.insert(4, "call_waiting_missed")
        extra = agents.loc[list(group.members), columns]
        loads = loads.join(extra, on="agent")
        loads.insert(0, "position", np.arange(1, len(loads) + 1))
        loads.insert(0, "group", group.pilot)
        members.append(loads)
        answered = pilot.loc[pilot["outcome"] == "answered", "wait_s"].to_numpy(dtype=float)
        if len(answered) > WAIT_SAMPLE:
            answered = np.random.default_rng(task.seed).choice(answered, WAIT_SAMPLE, False)
        waits.append(pd.DataFrame({"group": group.pilot, "wait_s": answered}))
        if weekly:
            hour = weekly_hourly(reached, scenario.warmup, scenario.duration, scenario.start,
                                 task.threshold_s, _busy_slots(task.scenario, scenario, group))
        else:
            hour = hourly(pilot, scenario.warmup, scenario.duration, day_length(group),
                          task.threshold_s)
        hour.insert(0, "group", group.pilot)
        hours.append(hour)
    return Measurement(
        calls=len(calls),
        labels=task.labels,
        metrics=columns_of(_concat(metrics)),
        members=columns_of(_concat(members)),
        waits=columns_of(_concat(waits)),
        hourly=columns_of(_concat(hours)),
        warnings=result.warnings,
    )


def _open_s(scenario: Scenario, group: HuntGroup) -> float | None:
    """Seconds of the reported window the group was open (None: always open)."""
    if group.open is None:
        return None
    start = scenario.start
    return (group.open.open_seconds(start, scenario.duration)
            - group.open.open_seconds(start, scenario.warmup))


def columns_of(frame: pd.DataFrame | Columns) -> Columns:
    """A table as its columns (a measurement saved by an older version holds DataFrames)."""
    if not isinstance(frame, pd.DataFrame):
        return frame
    return {str(name): frame[name].to_numpy() for name in frame.columns}


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


def _answered_by(answered: pd.DataFrame, members: Sequence[str], warmup_s: float,
                 ) -> NDArray[np.int64]:
    """Calls of one group each member answered (a call back the caller took included),
    counting those that arrived after the warm-up, as the agents table does."""
    kept = answered[(answered["arrival_s"] >= warmup_s).to_numpy()]
    counts = kept["agent"].astype(str).value_counts()
    return np.array([int(counts.get(str(m), 0)) for m in members], dtype=np.int64)


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
