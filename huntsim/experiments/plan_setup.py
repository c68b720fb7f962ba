"""A plan's validated settings (:class:`PlanSetup`, :func:`check_plan`) and resizing a group."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from huntsim.analysis.catalog import service_level_name
from huntsim.errors import ScenarioError
from huntsim.experiments.seeds import resolve_seed, seed_problems
from huntsim.experiments.settings import (
    ExperimentSettings,
    as_policies,
    policy_problems,
    replication_problems,
    threshold_problems,
)
from huntsim.experiments.targets import (
    DEFAULT_THRESHOLD_S,
    Target,
    parse_target,
    threshold_of,
)
from huntsim.scenario.model import Agent, Scenario, load_scenario

__all__ = ["PlanSetup", "check_plan", "pilot_of", "resize_group"]


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


def pilot_of(scenario: Scenario, group: str) -> str:
    """The pilot of the group named ``group``: its pilot, or its name (case aside) when
    exactly one group is called so; anything else is returned as given.

    >>> office = load_scenario({"duration": "8h", "agents": [{"number": "1", "talk_time": 60}],
    ...                         "hunt_groups": [{"pilot": "100", "name": "Sales",
    ...                                          "members": ["1"]}]})
    >>> pilot_of(office, "100"), pilot_of(office, "sales"), pilot_of(office, "200")
    ('100', '100', '200')
    """
    if any(g.pilot == group for g in scenario.hunt_groups):
        return group
    named = [g.pilot for g in scenario.hunt_groups
             if g.name is not None and g.name.casefold() == str(group).casefold()]
    return named[0] if len(named) == 1 else group


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
        Pilot of the group to size, or the group's name.
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
    replications : int
        Runs per size and policy.
    """

    scenario: Scenario
    group: str
    targets: tuple[Target, ...]
    sizes: tuple[int, ...]
    policies: tuple[str, ...]
    threshold_s: float
    seed: int
    replications: int = 10

    @property
    def settings(self) -> ExperimentSettings:
        """The settings every experiment shares (policies, replications, seed, threshold)."""
        return ExperimentSettings(self.policies, self.replications, self.seed, self.threshold_s)


def check_plan(
    scenario: Scenario | str | Any,
    group: str,
    targets: Sequence[str | Target],
    members: Sequence[int] = range(1, 16),
    policies: Sequence[str] | None = None,
    seed: int | None = None,
    threshold_s: float | None = None,
    replications: int = 10,
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
    group = pilot_of(base, group)
    if not any(g.pilot == group for g in base.hunt_groups):
        problems.append(f"group: {_not_a_pilot(base, group)}")
    parsed, threshold, mistakes = _targets(targets, threshold_s)
    problems.extend(mistakes)
    sizes, mistakes = _sizes(members)
    problems.extend(mistakes)
    chosen = as_policies(policies) or None  # none given: the group's own
    problems.extend(policy_problems(chosen))
    problems.extend(replication_problems(replications))
    problems.extend(seed_problems(seed))
    if problems:
        raise ScenarioError(problems)
    return PlanSetup(
        scenario=base, group=group, targets=parsed, sizes=sizes,
        policies=tuple(dict.fromkeys(chosen or (base.group(group).policy,))),
        threshold_s=threshold, seed=resolve_seed(base, seed),
        replications=operator.index(replications),
    )


def _targets(targets: Sequence[str | Target] | str | Target, threshold_s: float | None,
             ) -> tuple[tuple[Target, ...], float, list[str]]:
    """The targets read, the plan's service-level threshold, and the mistakes found.

    ``service_level`` alone becomes the service level within the threshold: the
    one given, else the one the targets name, else :data:`DEFAULT_THRESHOLD_S`.
    """
    problems: list[str] = []
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
              if (level := threshold_of(t.metric)) is not None}
    if threshold_s is not None:
        problems.extend(threshold_problems(threshold_s))
        for i, (level, metric) in levels.items():
            if level != threshold_s:
                problems.append(
                    f"targets[{i}]: {metric!r} measures service within "
                    f"{level:g} s, not within the plan's threshold of {threshold_s:g} s; "
                    f"write 'service_level' or '{service_level_name(threshold_s)}'")
        threshold = threshold_s
    else:
        distinct = sorted({level for level, _ in levels.values()})
        if len(distinct) > 1:
            problems.append(
                "targets: service levels within "
                f"{' and '.join(f'{level:g} s' for level in distinct)}; "
                "a plan uses one service-level threshold at a time")
        threshold = distinct[0] if distinct else DEFAULT_THRESHOLD_S
    resolved = tuple(
        Target(service_level_name(threshold), t.operator, t.value) if t.metric == "service_level"
        else t
        for _, t in parsed
    )
    return resolved, threshold, problems


def _sizes(members: Sequence[int]) -> tuple[tuple[int, ...], list[str]]:
    """The group sizes to try, ascending and each once, and the mistakes found."""
    problems: list[str] = []
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
    return tuple(sorted(sizes)), problems
