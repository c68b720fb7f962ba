"""Capacity planning: the fewest members that meet every target, per policy.

:func:`plan` simulates the group at every size in a range (each size with the
same replication seeds, so the staffing curve is smooth), reports each metric
with its interval, and picks the smallest size whose mean meets every target.
An Erlang estimate stands beside each size.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huntsim.errors import ScenarioError
from huntsim.replications import (
    Measurement,
    RunTask,
    interval_table,
    replication_seeds,
    run_measurements,
)
from huntsim.runner import CheckpointStore
from huntsim.scenario import Agent, Scenario, load_scenario
from huntsim.theory import erlang_b, erlang_c_service_level

__all__ = ["StaffingPlan", "Target", "parse_target", "plan", "resize_group"]

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_TARGET = re.compile(r"^\s*([a-z_0-9.]+)\s*(<=|>=|<|>)\s*([-+]?[0-9]*\.?[0-9]+)\s*$")
_LEVEL = re.compile(r"^service_level_([0-9.]+)s$")
KNOWN_METRICS = (
    "answered_rate", "voicemail_rate", "busy_rate", "no_answer_rate", "abandoned_rate",
    "mean_wait_s", "p50_wait_s", "p90_wait_s", "p95_wait_s", "offers_per_call",
    "rings_per_call", "jain_index", "max_min_ratio", "load_cv",
)


@dataclass(frozen=True)
class Target:
    """A requirement such as ``voicemail_rate <= 0.05``."""

    metric: str
    operator: str
    value: float

    def met(self, observed: float) -> bool:
        """Whether an observed value meets the target (NaN never does)."""
        return not math.isnan(observed) and _COMPARISONS[self.operator](observed, self.value)

    def __str__(self) -> str:
        return f"{self.metric} {self.operator} {self.value:g}"


def parse_target(text: str) -> Target:
    """Read ``'voicemail_rate<=0.05'`` or ``'service_level_20s>=0.8'``.

    Raises
    ------
    ScenarioError
        Naming the target and what is wrong with it.
    """
    match = _TARGET.match(text.lower())
    if match is None:
        raise ScenarioError([f"--target: {text!r} is not a target; write e.g. "
                             "'voicemail_rate<=0.05' or 'service_level_20s>=0.8'"])
    metric, op, value = match.group(1), match.group(2), float(match.group(3))
    if metric not in KNOWN_METRICS and not _LEVEL.match(metric):
        raise ScenarioError([f"--target: {metric!r} is not a metric; choose from "
                             f"{', '.join(KNOWN_METRICS)}, service_level_<T>s"])
    return Target(metric, op, value)


def resize_group(scenario: Scenario, pilot: str, size: int) -> Scenario:
    """The scenario with the group ``pilot`` cut or grown to ``size`` members.

    Fewer members drop from the end of the list (they stay agents with their
    own direct calls). Extra members are new agents made from
    ``agent_defaults``, or, without defaults, like the last member but with no
    direct calls of their own.
    """
    if size < 1:
        raise ScenarioError([f"--members: a group needs at least 1 member (got {size})"])
    try:
        group = scenario.group(pilot)
    except KeyError:
        pilots = ", ".join(repr(g.pilot) for g in scenario.hunt_groups) or "none"
        raise ScenarioError([f"--group: {pilot!r} is not a pilot (pilots: {pilots})"]) from None
    members = list(group.members[:size])
    agents = list(scenario.agents)
    template: dict[str, Any]
    if scenario.agent_defaults is not None and scenario.agent_defaults.talk_time is not None:
        template = scenario.agent_defaults.values()
    else:
        last = scenario.agent(group.members[-1])
        template = {name: getattr(last, name) for name in type(last).model_fields
                    if name not in ("number", "name")}
        template["direct_calls"] = None
    taken = {a.number for a in agents} | {g.pilot for g in scenario.hunt_groups}
    k = 0
    while len(members) < size:
        k += 1
        number = f"{pilot}-x{k}"
        if number in taken:
            continue
        agents.append(Agent.model_validate({**template, "number": number,
                                            "name": f"Extra member {k}"}))
        members.append(number)
    weights = group.weights
    if weights is not None:
        mean = sum(weights) / len(weights)
        weights = tuple(list(weights[:size]) + [mean] * max(0, size - len(weights)))
    groups = tuple(
        g.model_copy(update={"members": tuple(members), "weights": weights})
        if g.pilot == pilot else g
        for g in scenario.hunt_groups
    )
    return scenario.replace(agents=tuple(agents), hunt_groups=groups)


@dataclass(frozen=True)
class StaffingPlan:
    """The result of :func:`plan`.

    Attributes
    ----------
    curve : DataFrame
        ``policy, members, metric, mean, ci_low, ci_high, n``: the staffing curve.
    recommendation : DataFrame
        Per policy: ``members`` (smallest size meeting every target, or missing),
        ``certain`` (the whole interval meets every target at that size), ``note``.
    erlang : DataFrame
        ``members, offered_load_erlang, erlang_b_blocking, erlang_c_service_level``:
        textbook estimates for the group's pilot traffic alone (members always
        answer, no direct calls).
    """

    scenario: Scenario
    group: str
    targets: tuple[Target, ...]
    sizes: tuple[int, ...]
    policies: tuple[str, ...]
    replications: int
    seed: int
    threshold_s: float
    curve: pd.DataFrame = field(repr=False)
    recommendation: pd.DataFrame = field(repr=False)
    erlang: pd.DataFrame = field(repr=False)
    raw: pd.DataFrame = field(repr=False)

    def answer(self) -> str:
        """The recommendation in plain words, one line per policy."""
        lines = []
        for row in self.recommendation.itertuples():
            lines.append(f"{str(row.policy).capitalize()}: {row.note}")
        return "\n".join(lines)


def plan(
    scenario: Scenario | str | Any,
    group: str,
    targets: Sequence[str | Target],
    members: Sequence[int] = range(1, 16),
    policies: Sequence[str] | None = None,
    replications: int = 10,
    seed: int = 0,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
) -> StaffingPlan:
    """Find the fewest members of ``group`` that meet every target.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        The office.
    group : str
        Pilot number of the hunt group to size.
    targets : sequence of str or Target
        E.g. ``["voicemail_rate<=0.05", "service_level_20s>=0.8"]``; all must hold.
    members : sequence of int
        Group sizes to try.
    policies : sequence of str, optional
        Policies to plan for; default the group's own.
    replications, seed, jobs, scheduler, progress, store
        As for :func:`huntsim.compare`.

    Examples
    --------
    Five Erlang offered to members who always answer: Erlang B says 9 members
    keep blocking under 5 % (B(8) = 0.070, B(9) = 0.0375).

    >>> office = {"duration": "200h", "agent_defaults": {"talk_time": "3min"},
    ...           "agents": [{"number": "1"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "arrivals": {"rate": "100/h"}}]}
    >>> p = plan(office, "100", ["voicemail_rate<=0.05"], members=[8, 9, 10],
    ...          replications=3, jobs=1)
    >>> int(p.recommendation["members"].iloc[0])
    9
    """
    base = load_scenario(scenario)
    parsed = tuple(t if isinstance(t, Target) else parse_target(t) for t in targets)
    if not parsed:
        raise ScenarioError(["--target: give at least one target"])
    levels = {float(m.group(1)) for t in parsed if (m := _LEVEL.match(t.metric))}
    if len(levels) > 1:
        raise ScenarioError(["--target: use one service-level threshold at a time"])
    threshold_s = levels.pop() if levels else 20.0
    sizes = tuple(sorted(set(int(m) for m in members)))
    if not any(g.pilot == group for g in base.hunt_groups):
        resize_group(base, group, 1)  # raises the field-named error
    policies = tuple(policies or (base.group(group).policy,))
    seeds = replication_seeds(seed, replications)
    tasks = []
    for size in sizes:
        resized = resize_group(base, group, size)
        for policy in policies:
            scenario_p = resized.with_policy(policy)
            for i, s in enumerate(seeds):
                tasks.append(RunTask(f"policy-{policy}_members-{size:03d}_rep-{i:04d}",
                                     scenario_p, s, threshold_s,
                                     (("policy", policy), ("members", size), ("replication", i))))
    runs = run_measurements(tasks, ["policy", "members", "replication"], jobs, scheduler,
                            progress, store)
    raw = runs.metrics[runs.metrics["group"] == group].drop(columns="group")
    curve = interval_table(raw, ["policy", "members", "metric"])
    return StaffingPlan(
        scenario=base, group=group, targets=parsed, sizes=sizes, policies=policies,
        replications=replications, seed=seed, threshold_s=threshold_s,
        curve=curve, recommendation=_recommend(curve, parsed, policies, sizes),
        erlang=_erlang_estimates(base, group, sizes, threshold_s), raw=raw,
    )


def _recommend(curve: pd.DataFrame, targets: Sequence[Target], policies: Sequence[str],
               sizes: Sequence[int]) -> pd.DataFrame:
    rows = []
    for policy in policies:
        chosen, certain = None, False
        for size in sizes:
            block = curve[(curve["policy"] == policy) & (curve["members"] == size)]
            mean, low, high = (
                dict(zip(block["metric"], block[column].to_numpy(dtype=float), strict=True))
                for column in ("mean", "ci_low", "ci_high")
            )
            if all(t.met(mean[t.metric]) for t in targets):
                chosen = size
                certain = all(t.met(low[t.metric]) and t.met(high[t.metric]) for t in targets)
                break
        wanted = " and ".join(str(t) for t in targets)
        if chosen is None:
            largest = curve[(curve["policy"] == policy) & (curve["members"] == sizes[-1])]
            at_largest = largest.set_index("metric")["mean"]
            missed = ", ".join(
                f"{t.metric} is {float(at_largest[t.metric]):.3g}"
                for t in targets if not t.met(float(at_largest[t.metric]))
            )
            note = (f"no size from {sizes[0]} to {sizes[-1]} members meets {wanted}; "
                    f"at {sizes[-1]} members {missed}")
        else:
            note = f"{chosen} members meet {wanted}"
            if not certain:
                note += " (the 95 % interval still straddles a target: add replications)"
        rows.append({"policy": policy, "members": chosen, "certain": certain, "note": note})
    table = pd.DataFrame(rows)
    table["members"] = table["members"].astype("Int64")
    return table


def _erlang_estimates(scenario: Scenario, pilot: str, sizes: Sequence[int],
                      threshold_s: float) -> pd.DataFrame:
    group = scenario.group(pilot)
    rate = group.arrivals.mean_rate(scenario.duration) if group.arrivals is not None else 0.0
    handle = [scenario.agent(n).talk_time.mean for n in group.members]
    aht = sum(handle) / len(handle)
    load = rate * aht
    return pd.DataFrame({
        "members": list(sizes),
        "offered_load_erlang": load,
        "erlang_b_blocking": [erlang_b(n, load) for n in sizes],
        f"erlang_c_service_level_{threshold_s:g}s": [
            erlang_c_service_level(n, load, aht, threshold_s) if aht > 0 else math.nan
            for n in sizes
        ],
    })
