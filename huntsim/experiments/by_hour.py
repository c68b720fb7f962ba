"""Staffing by hour: for each hour of the week with traffic, the fewest logged-in members
that meet the targets at that hour's rate, the table a planner turns into shifts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from huntsim.analysis.catalog import policy_label
from huntsim.analysis.expected_traffic import hour_traffic
from huntsim.analysis.formatting import format_value
from huntsim.experiments.ceiling import Ceiling, ceilings
from huntsim.experiments.estimate import erlang_members, erlang_targets
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import interval_table, run_measurements
from huntsim.experiments.measure import Measurement, RunTask
from huntsim.experiments.peak import hours_text
from huntsim.experiments.plan_setup import PlanSetup, resize_group
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.targets import metric_label
from huntsim.scenario.arrivals import Poisson, Profile
from huntsim.scenario.model import HuntGroup, Scenario
from huntsim.sim.simulation import MIN_WARMUP_CALL_TIMES

__all__ = ["HOUR_LENGTH_S", "HOUR_WARMUP_S", "hour_scenario", "staffing_by_hour", "unmet_lines"]

HOUR_LENGTH_S = 12 * 3600.0
"""Reported length of each run of one hour's traffic (staffing by hour), seconds."""


HOUR_WARMUP_S = 3600.0
"""Least warm-up of each run of one hour's traffic (longer for long calls), seconds."""


def _call_time(scenario: Scenario, group: HuntGroup) -> float:
    """Mean time a call keeps a member of ``group`` busy: talk and wrap-up, seconds."""
    members = [scenario.agent(n) for n in group.members]
    return sum(a.talk_time.mean + a.wrap_up.mean for a in members) / len(members)


def hour_scenario(scenario: Scenario, pilot: str, rate: float, direct: Sequence[float],
                  warmup_s: float = HOUR_WARMUP_S,
                  length_s: float = HOUR_LENGTH_S) -> Scenario:
    """One hour's traffic as a steady state: the group alone, fed at a constant rate.

    Parameters
    ----------
    scenario : Scenario
        The office, its group already at the size to try.
    pilot : str
        The group's pilot.
    rate : float
        Pilot calls per second (Poisson).
    direct : sequence of float
        Direct calls per second to each member, in list order (0: none).
    warmup_s, length_s : float
        Warm-up and reported length of the run, seconds.

    Returns
    -------
    Scenario
        Only the group and its members; every member always logged in (no
        ``schedule``), the pilot always open (no ``open``, ``after_hours``),
        ``start`` Monday 00:00. Answer probability, delays, talk, wrap-up,
        ``away``, ``after_missed``, the caller's patience and ring cycle stay
        as they are.
    """
    group = scenario.group(pilot)
    agents = []
    for number, per_second in zip(group.members, direct, strict=True):
        stream = Poisson.model_construct(rate=per_second) if per_second > 0 else None
        agents.append(scenario.agent(number).model_copy(
            update={"schedule": None, "direct_calls": stream}))
    arrivals = Poisson.model_construct(rate=rate)
    # the group alone: its forwards lead to groups that are not simulated here
    alone = group.model_copy(update={"open": None, "after_hours": None, "arrivals": arrivals,
                                     "forward": None})
    return scenario.replace(agents=tuple(agents), hunt_groups=(alone,), start=0.0,
                            warmup=warmup_s, duration=warmup_s + length_s)


def _next_size(sizes: Sequence[int], known: dict[int, bool], first: int,
               ) -> tuple[bool, int | None]:
    """``(done, size)``: the answer when done (``None``: no size is enough), else the size
    to simulate next. ``known`` says for each size simulated whether it met the targets."""
    met = [s for s in sizes if known.get(s) is True]
    if met:
        i = sizes.index(met[0])
        if i == 0 or known.get(sizes[i - 1]) is False:
            return True, met[0]
        return False, sizes[i - 1]
    failed = [s for s in sizes if known.get(s) is False]
    if not failed:
        return False, first
    i = sizes.index(failed[-1])
    if i == len(sizes) - 1:
        return True, None
    return False, sizes[i + 1]


def staffing_by_hour(
    setup: PlanSetup,
    replications: int = 10,
    length_s: float = HOUR_LENGTH_S,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """For each hour with traffic, the fewest logged-in members that meet every target.

    Each hour of the week in which the group is open and has pilot traffic
    (from its weekly arrivals, or its profile or rate; without a calendar,
    each hour of the day) is simulated as a steady state: the hour's mean
    rate as a constant Poisson rate, every member logged in, the group alone
    (see :func:`hour_scenario`), a warm-up of at least :data:`HOUR_WARMUP_S`
    and ``length_s`` reported. Members' direct calls keep that hour's rate.
    Hours with the same rates share their runs. The search starts at the
    Erlang estimate and steps through ``setup.sizes`` to the fewest members
    whose means meet every target, with the same replication seeds at every
    size and hour (common random numbers).

    Parameters
    ----------
    setup : PlanSetup
        From :func:`check_plan`: the group, targets, sizes, policies, seed.
    replications : int
        Runs per hour's traffic, size and policy.
    length_s : float
        Reported length of each run, seconds.
    jobs, scheduler, progress, store
        See :class:`~huntsim.experiments.execution.Execution`.

    Returns
    -------
    table : DataFrame
        One row per policy and hour, in week order: ``policy, weekday, hour``
        (``weekday`` is ``mon`` ... ``sun``, or ``daily`` for a scenario
        without a calendar), ``rate_per_hour`` (pilot calls per open hour),
        ``offered_load_erlang`` (that times the mean talk and wrap-up),
        ``erlang_estimate`` (:func:`erlang_members`), ``members_needed``
        (missing when no size tried is enough), ``reason`` (why, when it is
        missing; empty otherwise), then the mean of each target metric at that
        size (at the largest size when none is enough). A target that no size
        tried can reach whatever the traffic (see :func:`ceilings`: members who
        pick up too few rings) leaves every hour missing with that reason, after
        runs at the largest size only, instead of a pass or fail per hour.
    warnings : tuple of str
        Where a busier hour came out needing fewer members than a quieter one
        (noise near a target).
    """
    hours = _Hours.of(setup)
    answers, means = _search(setup, hours, replications, length_s,
                             Execution(jobs, scheduler, progress, store))
    return (_table(setup, hours, answers, means),
            _noisy_hours(hours.cases, answers, setup.policies, list(setup.sizes)))


Case = tuple[float, tuple[float, ...]]
"""One hour's traffic: pilot calls per hour, and each member's direct calls per hour."""


@dataclass(frozen=True)
class _Hours:
    """The hours with traffic, the distinct cases among them, and where each search starts."""

    traffic: pd.DataFrame
    keys: list[Case]
    cases: list[Case]
    call_s: float
    warmup_s: float
    estimates: list[int | None]
    first: list[int]
    ceilings: tuple[Ceiling, ...] = ()

    @classmethod
    def of(cls, setup: PlanSetup) -> _Hours:
        base, pilot, sizes = setup.scenario, setup.group, list(setup.sizes)
        group = base.group(pilot)
        day_s = (group.arrivals.period if isinstance(group.arrivals, Profile)
                 and group.arrivals.period else None)
        traffic = hour_traffic(base, group.arrivals, group.open)
        traffic = traffic[(traffic["rate_per_hour"] > 0) & (traffic["open_s"] > 0)]
        biggest = resize_group(base, pilot, sizes[-1])
        direct = []
        for number in biggest.group(pilot).members:
            stream = biggest.agent(number).direct_calls
            by_slot = hour_traffic(biggest, stream, group.open, day_s).set_index("slot")
            direct.append(by_slot["rate_per_hour"].reindex(traffic["slot"]).fillna(0.0)
                          .to_numpy())
        keys = [(round(float(rate), 9), tuple(round(float(d[k]), 9) for d in direct))
                for k, rate in enumerate(traffic["rate_per_hour"])]
        cases = list(dict.fromkeys(keys))
        call_s = _call_time(base, group)
        sized, _ = erlang_targets(base, pilot, setup.targets, setup.threshold_s)
        estimates = [erlang_members(rate / 3600.0 * call_s, call_s, sized,
                                    group.all_busy_treatment, setup.threshold_s)
                     if sized else None for rate, _ in cases]
        first = []  # where each search starts: the Erlang estimate, or just above the load
        for estimate, (rate, _) in zip(estimates, cases, strict=True):
            start = estimate if estimate is not None else math.floor(rate / 3600 * call_s) + 1
            first.append(min((s for s in sizes if s >= start), default=sizes[-1]))
        ceiling = ceilings(base, pilot, setup.targets, sizes[-1], alone=True)
        if ceiling:  # out of reach: the largest size alone, to show how far
            first = [sizes[-1]] * len(cases)
        return cls(traffic, keys, cases, call_s,
                   max(HOUR_WARMUP_S, MIN_WARMUP_CALL_TIMES * call_s), estimates, first,
                   ceiling)


Means = dict[tuple[str, int, int], dict[str, float]]
"""The mean of each metric, by policy, case and size simulated."""


def _search(setup: PlanSetup, hours: _Hours, replications: int, length_s: float,
            execution: Execution) -> tuple[dict[tuple[str, int], int | None], Means]:
    """Step every policy and case through the sizes, a round of runs at a time, until
    each has its answer: the fewest members that meet the targets (``None``: no size)."""
    sizes = list(setup.sizes)
    seeds = replication_seeds(setup.seed, replications)
    resized = {size: resize_group(setup.scenario, setup.group, size) for size in sizes}
    known: dict[tuple[str, int], dict[int, bool]] = {}
    means: Means = {}
    answers: dict[tuple[str, int], int | None] = {}
    while len(answers) < len(hours.cases) * len(setup.policies):
        tasks: list[RunTask] = []
        for policy in setup.policies:
            for c, (rate, rates) in enumerate(hours.cases):
                if (policy, c) in answers:
                    continue
                done, size = _next_size(sizes, known.setdefault((policy, c), {}),
                                        hours.first[c])
                if done:
                    answers[policy, c] = size
                    continue
                assert size is not None
                scenario = hour_scenario(resized[size], setup.group, rate / 3600.0,
                                         [r / 3600.0 for r in rates[:size]], hours.warmup_s,
                                         length_s).with_policy(policy)
                tasks.extend(
                    RunTask(f"by-hour_policy-{policy}_case-{c:03d}_members-{size:03d}"
                            f"_rep-{i:04d}", scenario, s, setup.threshold_s,
                            (("policy", policy), ("case", c), ("members", size),
                             ("replication", i)))
                    for i, s in enumerate(seeds))
        if not tasks:
            break
        for policy, c, size in _read_round(setup, tasks, execution, means):
            known[policy, c][size] = not hours.ceilings and all(
                t.met(means[policy, c, size].get(t.metric, math.nan)) for t in setup.targets)
    return answers, means


def _read_round(setup: PlanSetup, tasks: list[RunTask], execution: Execution,
                means: Means) -> set[tuple[str, int, int]]:
    """Run a round's tasks, add their means to ``means``; the (policy, case, size) run."""
    runs = run_measurements(tasks, ["policy", "case", "members", "replication"], execution)
    raw = runs.metrics[runs.metrics["group"] == setup.group]
    found = interval_table(raw, ["policy", "case", "members", "metric"])
    simulated = set()
    found_columns = (found["policy"].astype(str).tolist(), found["case"].astype(int).tolist(),
                     found["members"].astype(int).tolist(), found["metric"].astype(str).tolist(),
                     found["mean"].astype(float).tolist())
    for policy, c, size, metric, mean in zip(*found_columns, strict=True):
        means.setdefault((policy, c, size), {})[metric] = mean
        simulated.add((policy, c, size))
    return simulated


def _table(setup: PlanSetup, hours: _Hours, answers: dict[tuple[str, int], int | None],
           means: Means) -> pd.DataFrame:
    """One row per policy and hour with traffic, in week order (see :func:`staffing_by_hour`)."""
    largest = setup.sizes[-1]
    metrics = list(dict.fromkeys(t.metric for t in setup.targets))
    rows = []
    for policy in setup.policies:
        for key, (_, row) in zip(hours.keys, hours.traffic.iterrows(), strict=True):
            c = hours.cases.index(key)
            needed = answers[policy, c]
            at = means.get((policy, c, needed if needed is not None else largest), {})
            rows.append({
                "policy": policy, "weekday": row["weekday"], "hour": int(row["hour"]),
                "rate_per_hour": float(row["rate_per_hour"]),
                "offered_load_erlang": float(row["rate_per_hour"]) / 3600.0 * hours.call_s,
                "erlang_estimate": hours.estimates[c], "members_needed": needed,
                "reason": "" if needed is not None else _reason(setup, hours, means, policy, c),
                **{m: at.get(m, math.nan) for m in metrics},
            })
    columns = ["policy", "weekday", "hour", "rate_per_hour", "offered_load_erlang",
               "erlang_estimate", "members_needed", "reason", *metrics]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("erlang_estimate", "members_needed"):
        table[column] = table[column].astype("Int64")
    return table


def _reason(setup: PlanSetup, hours: _Hours, means: Means, policy: str, c: int) -> str:
    """Why no size tried meets the targets at hour case ``c``, in words."""
    if hours.ceilings:
        return "; ".join(ceiling.text() for ceiling in hours.ceilings)
    sizes = list(setup.sizes)
    largest = sizes[-1]
    at = means.get((policy, c, largest), {})
    before = means.get((policy, c, sizes[-2]), {}) if len(sizes) > 1 else {}
    parts = []
    for target in setup.targets:
        value = at.get(target.metric, math.nan)
        if target.met(value):
            continue
        text = (f"{target.label_text()} is not met with {largest} members, the most tried "
                f"({metric_label(target.metric)} {format_value(target.metric, value)})")
        previous = before.get(target.metric, math.nan)
        gap, gain = abs(target.value - value), abs(value - previous)
        if not math.isnan(previous) and gain < gap / 4:
            text += (f"; more members barely help ({format_value(target.metric, previous)} with "
                     f"{sizes[-2]}): something else limits it, such as caller patience, "
                     "max_wait, absences or the members' pick-up chance")
        else:
            text += "; try more members"
        parts.append(text)
    return "; ".join(parts) or f"no size from {sizes[0]} to {largest} members meets the targets"


def unmet_lines(by_hour: pd.DataFrame) -> list[str]:
    """For each policy and reason in a table of :func:`staffing_by_hour`, the hours that no
    size tried is enough for, and why, in one line."""
    lines: list[str] = []
    unmet = by_hour[by_hour["members_needed"].isna()]
    if "reason" not in unmet.columns:
        return lines
    for (policy, reason), rows in unmet.groupby(["policy", "reason"], sort=False):
        lines.append(f"{policy_label(str(policy))}: no size tried is enough at "
                     f"{hours_text(rows)}: {reason}.")
    return lines


def _noisy_hours(cases: Sequence[tuple[float, tuple[float, ...]]],
                 answers: dict[tuple[str, int], int | None], policies: Sequence[str],
                 sizes: Sequence[int]) -> tuple[str, ...]:
    """Warnings where more pilot traffic (same direct calls) came out needing fewer members."""
    warnings = []
    for policy in policies:
        for a, (rate_a, direct_a) in enumerate(cases):
            for b, (rate_b, direct_b) in enumerate(cases):
                need_a = answers[policy, a]
                need_b = answers[policy, b]
                need_a = sizes[-1] + 1 if need_a is None else need_a
                need_b = sizes[-1] + 1 if need_b is None else need_b
                if direct_a == direct_b and rate_a < rate_b and need_a > need_b:
                    warnings.append(
                        f"staffing by hour ({policy}): {rate_b:.3g} calls/h came out needing "
                        f"{need_b} members but {rate_a:.3g} calls/h {need_a}; the runs are "
                        "too noisy near a target: add replications or lengthen the runs")
    return tuple(warnings)
