"""Capacity planning: the fewest members that meet every target, per policy.

:func:`plan` simulates the group at every size in a range (each size with the
same replication seeds, so the staffing curve is smooth), reports each metric
with its interval, and picks the smallest size whose mean meets every target.
An Erlang estimate stands beside each size.

With ``by_hour=True`` it also sizes the group hour by hour (see
:func:`staffing_by_hour`): for each hour of the week with traffic, the fewest
logged-in members that meet the targets at that hour's rate, the table a
planner turns into shifts.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import TARGET_METRICS, format_value, suggest
from huntsim.analysis.catalog import metric as catalog_metric
from huntsim.analysis.theory import erlang_b, erlang_c_asa, erlang_c_service_level
from huntsim.errors import ScenarioError
from huntsim.experiments.estimate import ErlangEstimate, first_estimate
from huntsim.experiments.replications import (
    Measurement,
    RunTask,
    hour_traffic,
    interval_table,
    replication_seeds,
    resolve_seed,
    run_measurements,
    seed_problems,
)
from huntsim.experiments.runner import CheckpointStore
from huntsim.scenario.arrivals import Poisson, Profile
from huntsim.scenario.model import POLICIES, Agent, HuntGroup, Scenario, load_scenario
from huntsim.scenario.units import parse_duration
from huntsim.sim.simulation import MIN_WARMUP_CALL_TIMES

__all__ = [
    "DEFAULT_THRESHOLD_S",
    "HOUR_LENGTH_S",
    "HOUR_WARMUP_S",
    "PlanSetup",
    "StaffingPlan",
    "Target",
    "check_plan",
    "erlang_members",
    "hour_scenario",
    "parse_target",
    "plan",
    "resize_group",
    "staffing_by_hour",
]

DEFAULT_THRESHOLD_S = 20.0
"""Service-level threshold of a plan whose targets and arguments name none, seconds."""

HOUR_LENGTH_S = 12 * 3600.0
"""Reported length of each run of one hour's traffic (staffing by hour), seconds."""
HOUR_WARMUP_S = 3600.0
"""Least warm-up of each run of one hour's traffic (longer for long calls), seconds."""

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_TARGET = re.compile(
    r"^\s*([a-z_0-9.]+)\s*(<=|>=|<|>)\s*([-+]?[0-9]*\.?[0-9]+)\s*(%|[a-z]+)?\s*$")
_LEVEL = re.compile(r"^service_level(?:_([0-9]+(?:\.[0-9]*)?|\.[0-9]+)s)?$")
KNOWN_METRICS = TARGET_METRICS
"""The metrics a target may name, besides ``service_level`` and ``service_level_<T>s``."""


@dataclass(frozen=True)
class Target:
    """A requirement such as ``voicemail_rate <= 0.05``.

    ``metric`` ``service_level`` (no threshold of its own) stands for the
    service level at the plan's threshold; :func:`plan` replaces it with e.g.
    ``service_level_20s``.
    """

    metric: str
    operator: str
    value: float

    def met(self, observed: float) -> bool:
        """Whether an observed value meets the target (NaN never does)."""
        return not math.isnan(observed) and _COMPARISONS[self.operator](observed, self.value)

    def __str__(self) -> str:
        return f"{self.metric} {self.operator} {self.value:g}"

    def text(self) -> str:
        """The target in its units, e.g. ``voicemail_rate <= 5 %``, ``mean_wait_s <= 10 s``.

        Examples
        --------
        >>> parse_target("voicemail_rate<=0.05").text()
        'voicemail_rate <= 5 %'
        """
        return f"{self.metric} {self.operator} {_target_value(self.metric, self.value)}"


def _kind(metric_name: str) -> str:
    return "rate" if metric_name == "service_level" else catalog_metric(metric_name).kind


def _target_value(metric_name: str, value: float) -> str:
    kind = _kind(metric_name)
    if kind == "rate":
        return f"{100 * value:.10g} %"
    if kind == "seconds":
        return f"{value:.10g} s"
    return f"{value:g}"


def parse_target(text: str, name: str = "target") -> Target:
    """Read a target such as ``'voicemail_rate<=5%'`` or ``'mean_wait_s<=10s'``.

    Rates are written as fractions (``0.05``) or in % (``5%``), times in
    seconds or with a unit (``10s``, ``2min``); ``service_level`` alone is the
    service level within the plan's threshold.

    Parameters
    ----------
    text : str
        The target.
    name : str
        What to call it in an error message, e.g. ``targets[1]``.

    Raises
    ------
    ScenarioError
        ``<name>: ...``, saying what is wrong with the target; an unknown
        metric gets a "did you mean" from :mod:`huntsim.analysis.catalog`.

    Examples
    --------
    >>> str(parse_target("Service_Level_20.0s >= .8"))
    'service_level_20s >= 0.8'
    >>> parse_target("voicemail_rate<=5%")
    Target(metric='voicemail_rate', operator='<=', value=0.05)
    >>> parse_target("mean_wait_s <= 2min").value
    120.0
    """
    match = _TARGET.match(text.lower())
    if match is None:
        raise ScenarioError([f"{name}: {text!r} is not a target; write e.g. "
                             "'voicemail_rate<=5%', 'mean_wait_s<=10s' or "
                             "'service_level_20s>=80%'"])
    metric_name, op, number, unit = match.groups()
    level = _LEVEL.match(metric_name)
    if metric_name not in KNOWN_METRICS and not level:
        choices = [*KNOWN_METRICS, "service_level", "service_level_<T>s"]
        raise ScenarioError([f"{name}: {metric_name!r} is not a metric; "
                             f"{suggest(metric_name, choices)}"])
    if level and level.group(1) is not None:
        threshold = float(level.group(1))
        if not threshold > 0:
            raise ScenarioError([f"{name}: {metric_name!r}: a service-level threshold must be "
                                 "longer than 0 s"])
        metric_name = _level_metric(threshold)  # one spelling: service_level_20s
    value = _target_number(name, text, metric_name, float(number), unit)
    return Target(metric_name, op, value)


def _target_number(name: str, text: str, metric_name: str, number: float,
                   unit: str | None) -> float:
    """The target's value in the metric's own units (fractions, seconds)."""
    kind = _kind(metric_name)
    if kind == "rate":
        if unit == "%":
            return number / 100
        if unit is not None:
            raise ScenarioError([f"{name}: {text!r}: {metric_name} is a share of calls; "
                                 f"write it in % or as a fraction, not in {unit!r}"])
        if not 0 <= number <= 1:
            raise ScenarioError([f"{name}: {text!r}: {metric_name} is a share between 0 and 1; "
                                 f"write {number:g}% or {number / 100:g}"])
        return number
    if kind == "seconds":
        if unit is None or unit == "%":
            if unit == "%":
                raise ScenarioError([f"{name}: {text!r}: {metric_name} is a time; write it "
                                     "in s, min or h, not in %"])
            return number
        try:
            return parse_duration(f"{number:g}{unit}")
        except ValueError:
            raise ScenarioError([f"{name}: {text!r}: {unit!r} is not a unit of time; write "
                                 "e.g. 10s or 2min"]) from None
    if unit is not None:
        raise ScenarioError([f"{name}: {text!r}: {metric_name} has no unit; write a plain "
                             "number"])
    return number


def _level_metric(threshold_s: float) -> str:
    return f"service_level_{threshold_s:g}s"


def _threshold_of(metric: str) -> float | None:
    """The threshold a service-level metric names (``None``: none, or not a service level)."""
    level = _LEVEL.match(metric)
    return float(level.group(1)) if level and level.group(1) is not None else None


def resize_group(scenario: Scenario, pilot: str, size: int) -> Scenario:
    """The scenario with the group ``pilot`` cut or grown to ``size`` members.

    Fewer members drop from the end of the list (they stay agents with their
    own direct calls). Extra members are new agents made from
    ``agent_defaults``, or, without defaults, like the last member but with no
    direct calls of their own.
    """
    if size < 1:
        raise ScenarioError([f"size: a group needs at least 1 member (got {size})"])
    try:
        group = scenario.group(pilot)
    except KeyError:
        raise ScenarioError([f"pilot: {_not_a_pilot(scenario, pilot)}"]) from None
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
        ``members, offered_load_erlang, pilot_load_erlang, direct_load_erlang,
        erlang_b_blocking, erlang_c_service_level_<T>s``: textbook figures per
        size for the peak hour's load (see :attr:`estimate`).
    warnings : tuple of str
        The runs' warnings (see :func:`huntsim.sim.simulation.run_warnings`), each once.
    by_hour : DataFrame or None
        With ``plan(..., by_hour=True)``: staffing hour by hour, see
        :func:`staffing_by_hour`; otherwise ``None``.
    estimate : ErlangEstimate or None
        The Erlang first estimate from the peak hour's pilot and direct-call
        load with talk and wrap-up (see :func:`huntsim.experiments.estimate.first_estimate`),
        and what it leaves out.
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
    warnings: tuple[str, ...] = ()
    by_hour: pd.DataFrame | None = field(default=None, repr=False)
    estimate: ErlangEstimate | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """A few lines in human units (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import plan_text
        return plan_text(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: a summary table and the key figure (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import plan_html
        return plan_html(self)

    def answer(self) -> str:
        """The recommendation in plain words, one line per policy."""
        lines = []
        for row in self.recommendation.itertuples():
            lines.append(f"{str(row.policy).capitalize()}: {row.note}")
        return "\n".join(lines)

    def estimate_lines(self) -> list[str]:
        """The Erlang first estimate, and how far each policy's simulated answer is from it."""
        if self.estimate is None:
            return []
        lines = [self.estimate.describe()]
        for policy, members in zip(self.recommendation["policy"],
                                   self.recommendation["members"], strict=True):
            lines.append(self.estimate.gap(None if pd.isna(members) else int(members),
                                           str(policy)))
        return lines


def _not_a_pilot(scenario: Scenario, pilot: str) -> str:
    pilots = ", ".join(repr(g.pilot) for g in scenario.hunt_groups) or "none"
    return f"{pilot!r} is not a pilot (pilots: {pilots})"


@dataclass(frozen=True)
class PlanSetup:
    """The arguments of :func:`plan`, checked and with their defaults filled in.

    Attributes
    ----------
    scenario : Scenario
        The office.
    group : str
        Pilot of the group to size.
    targets : tuple of Target
        Service-level targets name the plan's threshold (``service_level_20s``).
    sizes : tuple of int
        Group sizes, ascending, each once.
    policies : tuple of str
        Policies to plan for.
    threshold_s : float
        Service-level threshold, seconds.
    seed : int
        Master seed.
    """

    scenario: Scenario
    group: str
    targets: tuple[Target, ...]
    sizes: tuple[int, ...]
    policies: tuple[str, ...]
    threshold_s: float
    seed: int


def check_plan(
    scenario: Scenario | str | Any,
    group: str,
    targets: Sequence[str | Target],
    members: Sequence[int] = range(1, 16),
    policies: Sequence[str] | None = None,
    seed: int | None = None,
    threshold_s: float | None = None,
) -> PlanSetup:
    """Check the arguments of :func:`plan` without simulating anything.

    Parameters are those of :func:`plan`.

    Returns
    -------
    PlanSetup

    Raises
    ------
    ScenarioError
        With one message per mistake, each naming the parameter it is about,
        e.g. ``targets[1]: 'wait<5' is not a target ...``.

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "1", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"]}]}
    >>> check_plan(office, "100", ["service_level>=0.8"], threshold_s=30).targets
    (Target(metric='service_level_30s', operator='>=', value=0.8),)
    >>> check_plan(office, "200", ["voicemail<0.1"])
    Traceback (most recent call last):
    ...
    huntsim.errors.ScenarioError: group: '200' is not a pilot (pilots: '100')
    targets[0]: 'voicemail' is not a metric; did you mean 'voicemail_rate' or ...
    """
    base = load_scenario(scenario)
    problems: list[str] = []
    if not any(g.pilot == group for g in base.hunt_groups):
        problems.append(f"group: {_not_a_pilot(base, group)}")
    if isinstance(targets, str | Target):
        targets = [targets]
    if not targets:
        problems.append("targets: give at least one target")
    parsed: list[tuple[int, Target]] = []
    for i, target in enumerate(targets):
        try:
            parsed.append((i, target if isinstance(target, Target)
                           else parse_target(target, f"targets[{i}]")))
        except ScenarioError as error:
            problems.extend(error.messages)
    levels = {i: (level, t.metric) for i, t in parsed
              if (level := _threshold_of(t.metric)) is not None}
    if threshold_s is not None:
        if not 0 < threshold_s < math.inf:
            problems.append(f"threshold_s: {threshold_s!r} must be a number of seconds "
                            "greater than 0")
        for i, (level, metric) in levels.items():
            if level != threshold_s:
                problems.append(
                    f"targets[{i}]: {metric!r} measures service within "
                    f"{level:g} s, not within the plan's threshold of {threshold_s:g} s; "
                    f"write 'service_level' or '{_level_metric(threshold_s)}'")
        threshold = threshold_s
    else:
        distinct = sorted({level for level, _ in levels.values()})
        if len(distinct) > 1:
            problems.append(
                "targets: service levels within "
                f"{' and '.join(f'{level:g} s' for level in distinct)}; "
                "a plan uses one service-level threshold at a time")
        threshold = distinct[0] if distinct else DEFAULT_THRESHOLD_S
    sizes: set[int] = set()
    if not members:
        problems.append("members: give at least one group size")
    for i, size in enumerate(members):
        try:
            whole = operator.index(size)
        except TypeError:
            problems.append(f"members[{i}]: {size!r} is not a whole number")
            continue
        if whole < 1:
            problems.append(f"members[{i}]: a group needs at least 1 member (got {whole})")
        sizes.add(whole)
    for i, policy in enumerate(policies or ()):
        if policy not in POLICIES:
            problems.append(f"policies[{i}]: {policy!r} is not a policy; choose from "
                            f"{', '.join(POLICIES)}")
    problems.extend(seed_problems(seed))
    if problems:
        raise ScenarioError(problems)
    resolved = tuple(
        Target(_level_metric(threshold), t.operator, t.value) if t.metric == "service_level"
        else t
        for _, t in parsed
    )
    return PlanSetup(
        scenario=base, group=group, targets=resolved, sizes=tuple(sorted(sizes)),
        policies=tuple(dict.fromkeys(policies or (base.group(group).policy,))),
        threshold_s=threshold, seed=resolve_seed(base, seed),
    )


def plan(
    scenario: Scenario | str | Any,
    group: str,
    targets: Sequence[str | Target],
    members: Sequence[int] = range(1, 16),
    policies: Sequence[str] | None = None,
    replications: int = 10,
    seed: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
    threshold_s: float | None = None,
    by_hour: bool = False,
    hour_length_s: float = HOUR_LENGTH_S,
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
        ``service_level`` alone is the service level within ``threshold_s``.
    members : sequence of int
        Group sizes to try.
    policies : sequence of str, optional
        Policies to plan for; default the group's own.
    replications, jobs, scheduler, progress, store
        As for :func:`huntsim.compare`.
    seed : int, optional
        Master seed; default the scenario's ``seed``, else 0.
    threshold_s : float, optional
        Service-level threshold (seconds) of the ``service_level_<T>s`` metric in
        the staffing curve, the Erlang C estimate and the targets. Default: the
        one the targets name, else :data:`DEFAULT_THRESHOLD_S`. A target naming
        another threshold is refused.
    by_hour : bool
        Also size the group for each hour of the week that has traffic
        (:func:`staffing_by_hour`), into ``StaffingPlan.by_hour``.
    hour_length_s : float
        With ``by_hour``: the reported length of each run of one hour's
        traffic, seconds (after a warm-up of at least :data:`HOUR_WARMUP_S`).

    Raises
    ------
    ScenarioError
        Before anything is simulated, one message per mistake in the arguments,
        each naming its parameter (see :func:`check_plan`).

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
    setup = check_plan(scenario, group, targets, members, policies, seed, threshold_s)
    if by_hour and not 0 < hour_length_s < math.inf:
        raise ScenarioError([f"hour_length_s: {hour_length_s!r} must be a number of seconds "
                             "greater than 0"])
    base, sizes, policies = setup.scenario, setup.sizes, setup.policies
    threshold_s = setup.threshold_s
    seeds = replication_seeds(setup.seed, replications)
    tasks = []
    for size in sizes:
        resized = resize_group(base, group, size)
        for policy in policies:
            scenario_p = resized.with_policy(policy, [group])
            for i, s in enumerate(seeds):
                tasks.append(RunTask(f"policy-{policy}_members-{size:03d}_rep-{i:04d}",
                                     scenario_p, s, threshold_s,
                                     (("policy", policy), ("members", size), ("replication", i))))
    runs = run_measurements(tasks, ["policy", "members", "replication"], jobs, scheduler,
                            progress, store)
    raw = runs.metrics[runs.metrics["group"] == group].drop(columns="group")
    curve = interval_table(raw, ["policy", "members", "metric"])
    warnings = runs.warnings
    estimate = first_estimate(base, group, setup.targets, sizes, threshold_s)
    hours = None
    if by_hour:
        hours, noisy = staffing_by_hour(setup, replications, hour_length_s, jobs=jobs,
                                        scheduler=scheduler, progress=progress, store=store)
        warnings = (*warnings, *noisy)
    return StaffingPlan(
        scenario=base, group=group, targets=setup.targets, sizes=sizes, policies=policies,
        replications=replications, seed=setup.seed, threshold_s=threshold_s,
        curve=curve, recommendation=_recommend(curve, setup.targets, policies, sizes),
        erlang=estimate.table, raw=raw, warnings=warnings, by_hour=hours, estimate=estimate,
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
            if all(t.met(mean.get(t.metric, math.nan)) for t in targets):
                chosen = size
                certain = all(t.met(low.get(t.metric, math.nan))
                              and t.met(high.get(t.metric, math.nan)) for t in targets)
                break
        wanted = " and ".join(t.text() for t in targets)
        if chosen is None:
            largest = curve[(curve["policy"] == policy) & (curve["members"] == sizes[-1])]
            at_largest = dict(zip(largest["metric"], largest["mean"].to_numpy(dtype=float),
                                  strict=True))
            missed = ", ".join(
                f"{t.metric} is {format_value(t.metric, at_largest.get(t.metric, math.nan))}"
                if t.metric in at_largest else f"{t.metric} is not measured per run"
                for t in targets if not t.met(at_largest.get(t.metric, math.nan))
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


def _call_time(scenario: Scenario, group: HuntGroup) -> float:
    """Mean time a call keeps a member of ``group`` busy: talk and wrap-up, seconds."""
    members = [scenario.agent(n) for n in group.members]
    return sum(a.talk_time.mean + a.wrap_up.mean for a in members) / len(members)


def _theory(metric: str, n: int, load: float, call_s: float, threshold_s: float,
            treatment: str) -> float | None:
    """The Erlang figure of ``metric`` for ``n`` members, or ``None`` if it gives none.

    ``treatment`` is what happens to a call finding every member busy: with
    ``queue``, Erlang C (no abandonment); otherwise Erlang B (blocked calls go
    to ``voicemail`` or ``busy``, the others are answered at once).
    """
    if treatment == "queue":
        stable = load < n
        if metric.startswith("service_level"):
            return erlang_c_service_level(n, load, call_s, threshold_s)
        if metric == "mean_wait_s":
            return erlang_c_asa(n, load, call_s)
        if metric == "answered_rate":
            return 1.0 if stable else 0.0
        if metric in ("voicemail_rate", "busy_rate", "no_answer_rate", "abandoned_rate"):
            return 0.0 if stable else 1.0
        return None
    blocking = erlang_b(n, load)
    if metric in ("answered_rate",) or metric.startswith("service_level"):
        return 1.0 - blocking
    if metric in ("voicemail_rate", "busy_rate"):
        return blocking if metric.startswith(treatment) else 0.0
    if metric in ("no_answer_rate", "abandoned_rate"):
        return 0.0
    return None


def erlang_members(load: float, call_s: float, targets: Sequence[Target], treatment: str,
                   threshold_s: float = DEFAULT_THRESHOLD_S, limit: int = 1_000) -> int | None:
    """The fewest members that meet every target by Erlang B or C.

    Parameters
    ----------
    load : float
        Offered load, Erlang (calls per second x ``call_s``).
    call_s : float
        Mean time a call keeps a member busy (talk and wrap-up), seconds.
    targets : sequence of Target
        Targets on outcome rates, the service level and the mean wait are
        estimated; the others are left to the simulation.
    treatment : str
        The group's ``when_all_busy`` treatment: ``queue`` (Erlang C, no
        abandonment) or ``voicemail`` / ``busy`` (Erlang B).
    threshold_s : float
        The service-level threshold, seconds.
    limit : int
        The largest group considered.

    Returns
    -------
    int or None
        ``None`` when no target can be estimated (in a queue: the fewest
        members that keep it stable) or no group up to ``limit`` meets them.

    Examples
    --------
    >>> erlang_members(5.0, 180.0, [parse_target("voicemail_rate<=0.05")], "voicemail")
    9
    >>> erlang_members(10.0, 180.0, [parse_target("service_level_20s>=0.85")], "queue")
    14
    """
    known = [t for t in targets
             if _theory(t.metric, 1, load, call_s, threshold_s, treatment) is not None]
    if not known:
        return math.floor(load) + 1 if treatment == "queue" else None
    if load <= 0:
        return 1
    for n in range(1, limit + 1):
        values = [_theory(t.metric, n, load, call_s, threshold_s, treatment) for t in known]
        if all(v is not None and t.met(v) for t, v in zip(known, values, strict=True)):
            return n
    return None


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
        See :func:`huntsim.experiments.runner.run_tasks`.

    Returns
    -------
    table : DataFrame
        One row per policy and hour, in week order: ``policy, weekday, hour``
        (``weekday`` is ``mon`` ... ``sun``, or ``daily`` for a scenario
        without a calendar), ``rate_per_hour`` (pilot calls per open hour),
        ``offered_load_erlang`` (that times the mean talk and wrap-up),
        ``erlang_estimate`` (:func:`erlang_members`), ``members_needed``
        (missing when no size tried is enough), then the mean of each target
        metric at that size (at the largest size when none is enough).
    warnings : tuple of str
        Where a busier hour came out needing fewer members than a quieter one
        (noise near a target).
    """
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
        direct.append(by_slot["rate_per_hour"].reindex(traffic["slot"]).fillna(0.0).to_numpy())
    keys = [(round(float(rate), 9), tuple(round(float(d[k]), 9) for d in direct))
            for k, rate in enumerate(traffic["rate_per_hour"])]
    cases = list(dict.fromkeys(keys))
    call_s = _call_time(base, group)
    warmup_s = max(HOUR_WARMUP_S, MIN_WARMUP_CALL_TIMES * call_s)
    treatment = group.all_busy_treatment
    estimates = [erlang_members(rate / 3600.0 * call_s, call_s, setup.targets, treatment,
                                setup.threshold_s) for rate, _ in cases]
    seeds = replication_seeds(setup.seed, replications)
    resized = {size: resize_group(base, pilot, size) for size in sizes}
    known: dict[tuple[str, int], dict[int, bool]] = {}
    means: dict[tuple[str, int, int], dict[str, float]] = {}
    answers: dict[tuple[str, int], int | None] = {}
    first = []  # where each search starts: the Erlang estimate, or just above the load
    for estimate, (rate, _) in zip(estimates, cases, strict=True):
        start = estimate if estimate is not None else math.floor(rate / 3600 * call_s) + 1
        first.append(min((s for s in sizes if s >= start), default=sizes[-1]))
    while len(answers) < len(cases) * len(setup.policies):
        tasks: list[RunTask] = []
        for policy in setup.policies:
            for c, (rate, rates) in enumerate(cases):
                if (policy, c) in answers:
                    continue
                done, size = _next_size(sizes, known.setdefault((policy, c), {}), first[c])
                if done:
                    answers[policy, c] = size
                    continue
                assert size is not None
                scenario = hour_scenario(resized[size], pilot, rate / 3600.0,
                                         [r / 3600.0 for r in rates[:size]], warmup_s,
                                         length_s).with_policy(policy)
                tasks.extend(
                    RunTask(f"by-hour_policy-{policy}_case-{c:03d}_members-{size:03d}"
                            f"_rep-{i:04d}", scenario, s, setup.threshold_s,
                            (("policy", policy), ("case", c), ("members", size),
                             ("replication", i)))
                    for i, s in enumerate(seeds))
        if not tasks:
            break
        runs = run_measurements(tasks, ["policy", "case", "members", "replication"], jobs,
                                scheduler, progress, store)
        raw = runs.metrics[runs.metrics["group"] == pilot]
        found = interval_table(raw, ["policy", "case", "members", "metric"])
        simulated = set()
        found_columns = (found["policy"].astype(str).tolist(), found["case"].astype(int).tolist(),
                   found["members"].astype(int).tolist(), found["metric"].astype(str).tolist(),
                   found["mean"].astype(float).tolist())
        for policy, c, size, metric, mean in zip(*found_columns, strict=True):
            means.setdefault((policy, c, size), {})[metric] = mean
            simulated.add((policy, c, size))
        for policy, c, size in simulated:
            known[policy, c][size] = all(t.met(means[policy, c, size].get(t.metric, math.nan))
                                         for t in setup.targets)
    metrics = list(dict.fromkeys(t.metric for t in setup.targets))
    rows = []
    for policy in setup.policies:
        for key, (_, row) in zip(keys, traffic.iterrows(), strict=True):
            c = cases.index(key)
            needed = answers[policy, c]
            at = means.get((policy, c, needed if needed is not None else sizes[-1]), {})
            rows.append({
                "policy": policy, "weekday": row["weekday"], "hour": int(row["hour"]),
                "rate_per_hour": float(row["rate_per_hour"]),
                "offered_load_erlang": float(row["rate_per_hour"]) / 3600.0 * call_s,
                "erlang_estimate": estimates[c], "members_needed": needed,
                **{m: at.get(m, math.nan) for m in metrics},
            })
    columns = ["policy", "weekday", "hour", "rate_per_hour", "offered_load_erlang",
               "erlang_estimate", "members_needed", *metrics]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("erlang_estimate", "members_needed"):
        table[column] = table[column].astype("Int64")
    return table, _noisy_hours(cases, answers, setup.policies, sizes)


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
