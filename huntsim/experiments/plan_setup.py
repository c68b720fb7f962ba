"""A plan's validated settings (:class:`PlanSetup`, :func:`check_plan`) and resizing a group."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from huntsim.analysis.catalog import service_level_name
from huntsim.analysis.formatting import format_value
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

__all__ = ["AddedMembers", "PlanSetup", "added_members", "check_plan", "pilot_of",
           "resize_group", "resolve_group"]


@dataclass(frozen=True)
class AddedMembers:
    """Who :func:`resize_group` adds to a group grown past its list, and their hours.

    The rule: added members are new agents numbered ``PILOT-x1``, ``PILOT-x2``, ...
    and named ``Added member 1``, ... They are made from ``agent_defaults`` when it
    sets a ``talk_time`` (every key it sets, its ``schedule`` and ``direct_calls``
    included: describe a new hire there), otherwise they copy the group's last
    member (every key but its number, name and direct calls, its ``schedule``
    included). Without a schedule they are logged in at all hours, so logged in
    whenever the group is open.

    Attributes
    ----------
    source : str
        ``agent_defaults``, or the number of the member copied.
    like : str
        The source in words: ``the agent defaults`` or ``201 (Ann)``.
    template : dict
        The keys every added agent is made from (all but ``number`` and ``name``).
    listed : int
        Members in the group's list: a plan's size above this adds the difference.
    penalty : int or None
        In a group with member penalties, the penalty each added member gets: the
        group's lowest, so they join its first tier (rung before any higher
        penalty); ``None`` in a group without penalties.
    """

    source: str
    like: str
    template: dict[str, Any]
    listed: int
    penalty: int | None = None

    @property
    def hours(self) -> str:
        """When the added members are logged in, in words."""
        schedule = self.template.get("schedule")
        if schedule is None:
            return "logged in at all hours, so whenever the group is open"
        whose = ("the agent defaults' schedule" if self.source == "agent_defaults"
                 else f"{self.like}'s schedule")
        return f"logged in on {whose} ({', '.join(schedule.windows)})"

    def traits(self) -> str:
        """What the added members are like: pick-up chance, talk, wrap-up, absences, direct
        calls."""
        agent = Agent.model_validate({**self.template, "number": "added"})
        parts = [f"answer {100 * agent.answer_probability:.3g} % of rings",
                 f"talk {format_value('talk_s', agent.talk_time.mean)}",
                 f"wrap-up {format_value('talk_s', agent.wrap_up.mean)}"
                 if agent.wrap_up.mean > 0 else "no wrap-up"]
        if agent.away is not None and agent.away.rate > 0:
            parts.append(f"away {agent.away.rate * 3600:.3g}/h for "
                         f"{format_value('talk_s', agent.away.length.mean)}")
        direct = agent.direct_calls
        if direct is None:
            parts.append("no direct calls of their own")
        else:
            rate = getattr(direct, "rate", None)
            parts.append("their own direct calls" + (f" ({rate * 3600:.3g}/h)"
                                                     if isinstance(rate, float) else ""))
        return ", ".join(parts)

    def describe(self, size: int | None = None) -> str:
        """One sentence: who a size above the list adds, e.g. ``5 members: the 3 listed and
        2 added like 201 (Ann): ...``; ``size`` ``None``: any size above the list.

        Examples
        --------
        >>> office = load_scenario({"duration": "8h", "agents": [
        ...     {"number": "1", "name": "Ann", "talk_time": "3min", "answer_probability": 0.8}],
        ...     "hunt_groups": [{"pilot": "100", "members": ["1"]}]})
        >>> print(added_members(office, "100").describe(3))
        3 members: the 1 listed and 2 added, each like 1 (Ann): answer 80 % of rings, talk \
3:00 min:s, no wrap-up, no direct calls of their own; logged in at all hours, so whenever \
the group is open.
        """
        if size is not None and size <= self.listed:
            return f"{size} members: the first {size} listed, none added."
        head = (f"{size} members: the {self.listed} listed and {size - self.listed} added"
                if size is not None else
                f"Sizes above the {self.listed} listed members add members")
        tier = ("" if self.penalty is None else
                f"; penalty {self.penalty}, the group's lowest, so they are rung in its "
                "first tier")
        return f"{head}, each like {self.like}: {self.traits()}; {self.hours}{tier}."


def added_members(scenario: Scenario, pilot: str) -> AddedMembers:
    """Who :func:`resize_group` adds to the group ``pilot`` (see :class:`AddedMembers`)."""
    try:
        group = scenario.group(pilot)
    except KeyError:
        raise ScenarioError([f"pilot: {_not_a_pilot(scenario, pilot)}"]) from None
    penalty = min(group.penalties) if group.penalties else None
    if scenario.agent_defaults is not None and scenario.agent_defaults.talk_time is not None:
        return AddedMembers("agent_defaults", "the agent defaults",
                            scenario.agent_defaults.values(), len(group.members), penalty)
    last = scenario.agent(group.members[-1])
    template = {name: getattr(last, name) for name in type(last).model_fields
                if name not in ("number", "name")}
    template["direct_calls"] = None
    like = last.number if last.name is None else f"{last.number} ({last.name})"
    return AddedMembers(last.number, like, template, len(group.members), penalty)


def resize_group(scenario: Scenario, pilot: str, size: int) -> Scenario:
    """The scenario with the group ``pilot`` cut or grown to ``size`` members.

    Fewer members drop from the end of the list (they stay agents with their
    own direct calls). Added members are new agents made by the rule of
    :class:`AddedMembers`: from ``agent_defaults`` (its schedule and direct calls
    included) when it sets a ``talk_time``, else like the last member (its
    schedule included) but with no direct calls of their own. In a group with
    member penalties an added member gets the group's lowest penalty (its first
    tier); a cut keeps the penalties of the members kept, and drops
    ``penalty_wait`` when no member above the lowest penalty is left.
    """
    if size < 1:
        raise ScenarioError([f"size: a group needs at least 1 member (got {size})"])
    added = added_members(scenario, pilot)
    group = scenario.group(pilot)
    members = list(group.members[:size])
    agents = list(scenario.agents)
    taken = {a.number for a in agents} | {g.pilot for g in scenario.hunt_groups}
    k = 0
    while len(members) < size:
        k += 1
        number = f"{pilot}-x{k}"
        if number in taken:
            continue
        agents.append(Agent.model_validate({**added.template, "number": number,
                                            "name": f"Added member {k}"}))
        members.append(number)
    weights = group.weights
    if weights is not None:
        mean = sum(weights) / len(weights)
        weights = tuple(list(weights[:size]) + [mean] * max(0, size - len(weights)))
    update: dict[str, Any] = {"members": tuple(members), "weights": weights}
    if group.penalties is not None:
        lowest = min(group.penalties)
        penalties = list(group.penalties[:size]) + [lowest] * max(0, size - len(group.members))
        update["penalties"] = tuple(penalties) if any(penalties) else None
        if len(set(penalties)) < 2:  # one tier left: no penalty joins later
            update["penalty_wait"] = None
    groups = tuple(
        g.model_copy(update=update)
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


def resolve_group(scenario: Scenario, group: str | None, where: str = "group") -> str:
    """The pilot of the group the user means, for every command's ``--group`` (and the
    ``group`` parameter of the planner functions): a pilot, or a group's name (case
    aside); ``None``, the first group.

    Raises
    ------
    ScenarioError
        Naming ``where``: the scenario has no group, no group has that pilot or name,
        or several groups have that name (ambiguous: the message names their pilots).

    Examples
    --------
    >>> office = load_scenario({"duration": "8h", "agents": [{"number": "1", "talk_time": 60}],
    ...     "one_group_per_member": False,
    ...     "hunt_groups": [{"pilot": "100", "name": "Sales", "members": ["1"]},
    ...                     {"pilot": "200", "name": "sales", "members": ["1"]}]})
    >>> resolve_group(office, None), resolve_group(office, "200")
    ('100', '200')
    >>> resolve_group(office, "Sales")
    Traceback (most recent call last):
    ...
    huntsim.errors.ScenarioError: group: 'Sales' is ambiguous: groups 100 (Sales) and 200 \
(sales) have that name; give the pilot instead
    """
    groups = scenario.hunt_groups
    if group is None:
        if not groups:
            raise ScenarioError([f"{where}: the scenario has no hunt group"])
        return groups[0].pilot
    text = str(group)
    if any(g.pilot == text for g in groups):
        return text
    named = [g for g in groups if g.name is not None and g.name.casefold() == text.casefold()]
    if len(named) == 1:
        return named[0].pilot
    if len(named) > 1:
        which = ", ".join(f"{g.pilot} ({g.name})" for g in named[:-1])
        raise ScenarioError([f"{where}: {text!r} is ambiguous: groups {which} and "
                             f"{named[-1].pilot} ({named[-1].name}) have that name; give "
                             "the pilot instead"])
    raise ScenarioError([f"{where}: {_not_a_pilot(scenario, text)}"])


def _not_a_pilot(scenario: Scenario, pilot: str) -> str:
    """``'300' is not a pilot (pilots: '100', '200')``; where groups have names (which a
    group may be given by too), each pilot with its group's name."""
    groups = scenario.hunt_groups
    if not any(g.name for g in groups):
        pilots = ", ".join(repr(g.pilot) for g in groups) or "none"
        return f"{pilot!r} is not a pilot (pilots: {pilots})"
    named = ", ".join(f"{g.pilot!r} ({g.name})" if g.name else repr(g.pilot) for g in groups)
    return f"{pilot!r} is not a pilot or a group's name (groups: {named})"


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
    try:
        group = resolve_group(base, group)
    except ScenarioError as error:
        problems.extend(error.messages)
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
