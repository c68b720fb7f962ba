"""The validated description of a hunt-group office: agents, hunt groups, traffic.

A scenario is plain data. It knows nothing of SimPy; :func:`huntsim.simulate`
turns it into a running model. Load one from YAML with :func:`load_scenario`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from huntsim.errors import ScenarioError
from huntsim.scenario.advice import bare_time_advice, carried_advice
from huntsim.scenario.agents import AfterMissed, Agent, AgentDefaults, Away
from huntsim.scenario.arrivals import Arrivals, Poisson, Profile, Trace, Weekly, WeeklyProfile
from huntsim.scenario.blocks import (
    MAX_PENALTY,
    Origins,
    expand_agents,
    expand_members,
    in_file_terms,
    meant_but_not_given,
    members_with_penalties,
    some_members,
    usable_defaults,
)
from huntsim.scenario.calendar import Calendar, WeekTime, format_week_time
from huntsim.scenario.distributions import Distribution
from huntsim.scenario.loader import read_scenario_file
from huntsim.scenario.routing import Callback, Forward, Redial, forward_target, routing_violations
from huntsim.scenario.rules import (
    MAX_CALENDAR_CHANGES,
    MAX_EXPECTED_ABSENCES,
    MAX_EXPECTED_CALLS,
    RING_ALL_POLICIES,
    rule_violations,
)
from huntsim.scenario.section import Section
from huntsim.scenario.shifts import Shift, checked_shifts
from huntsim.scenario.units import PhoneNumber, Probability, Seconds, Text

__all__ = [
    "DEFAULT_CALL_WAITING_ANSWER",
    "MAX_CALENDAR_CHANGES",
    "MAX_EXPECTED_ABSENCES",
    "MAX_EXPECTED_CALLS",
    "POLICIES",
    "AfterMissed",
    "Agent",
    "AgentDefaults",
    "Away",
    "HuntGroup",
    "Policy",
    "Scenario",
    "forward_map",
    "group_map",
    "load_scenario",
    "routing_violations",
    "unknown_policy",
]

Policy = Literal["regular", "circular", "simultaneous", "uniform", "weighted", "staggered",
                 "fewest_calls", "least_talk_time", "random"]
POLICIES: tuple[str, ...] = (
    "regular", "circular", "simultaneous", "uniform", "weighted", "staggered",
    "fewest_calls", "least_talk_time", "random")
WhenAllBusy = Literal["voicemail", "busy", "queue"]
AfterHours = Literal["voicemail", "busy"]
DEFAULT_CALL_WAITING_ANSWER = 0.3
"""``hunt_groups[].call_waiting_answer`` when not given."""


def _lowercase(value: object) -> object:
    """Text in lower case: names such as a policy are read whatever their case (``Circular``)."""
    return value.lower() if isinstance(value, str) else value


FOREIGN_POLICIES: dict[str, tuple[str, str]] = {
    "ringall": ("Asterisk", "simultaneous"), "leastrecent": ("Asterisk", "uniform"),
    "fewestcalls": ("Asterisk", "fewest_calls"), "rrmemory": ("Asterisk", "circular"),
    "rrordered": ("Asterisk", "circular"), "linear": ("Asterisk", "regular"),
    "wrandom": ("Asterisk", "weighted"),
    "ring-all": ("FreeSWITCH", "simultaneous"), "longest-idle-agent": ("FreeSWITCH", "uniform"),
    "round-robin": ("FreeSWITCH", "circular"), "top-down": ("FreeSWITCH", "regular"),
    "agent-with-least-talk-time": ("FreeSWITCH", "least_talk_time"),
    "agent-with-fewest-calls": ("FreeSWITCH", "fewest_calls"),
    "sequentially-by-agent-order": ("FreeSWITCH", "regular"),
    "ring-progressively": ("FreeSWITCH", "staggered"),
}
"""Strategy names of other systems, and the policy closest to each."""


def unknown_policy(name: str) -> str:
    """Why ``name`` is not a policy, with the policy to write: another system's strategy
    names its closest policy, a misspelt one gets a ``did you mean``.

    Examples
    --------
    >>> unknown_policy("rrmemory")
    "'rrmemory' is Asterisk's strategy; the closest policy here is 'circular'"
    >>> unknown_policy("circlar").endswith("random; did you mean 'circular'?")
    True
    """
    lowered = name.lower()
    if lowered in FOREIGN_POLICIES:
        system, ours = FOREIGN_POLICIES[lowered]
        return f"{name!r} is {system}'s strategy; the closest policy here is {ours!r}"
    text = f"{name!r} is not a policy; choose from {', '.join(POLICIES)}"
    close = difflib.get_close_matches(lowered, POLICIES, n=2, cutoff=0.6)
    return text + ("; did you mean " + " or ".join(repr(c) for c in close) + "?" if close
                   else "")


def _policy_name(value: object) -> object:
    """A policy in lower case; another system's strategy name is refused with ours.

    Examples
    --------
    >>> _policy_name("Circular")
    'circular'
    >>> _policy_name("leastrecent")
    Traceback (most recent call last):
    ...
    ValueError: 'leastrecent' is Asterisk's strategy; the closest policy here is 'uniform' \
(write policy: uniform)
    """
    name = _lowercase(value)
    if isinstance(name, str) and name in FOREIGN_POLICIES:
        system, ours = FOREIGN_POLICIES[name]
        raise ValueError(f"{value!r} is {system}'s strategy; the closest policy here is "
                         f"{ours!r} (write policy: {ours})")
    return name




class HuntGroup(Section):
    """A pilot number whose calls hunt across the members by a policy.

    Attributes
    ----------
    pilot : str
        The virtual number callers dial; nobody's own number.
    name : str or None
        Shown in tables instead of the pilot number.
    policy : str
        ``regular``, ``circular``, ``simultaneous``, ``uniform``, ``weighted``,
        ``staggered``, ``fewest_calls`` (who answered the fewest group calls
        first), ``least_talk_time`` (who has the least group talk time first)
        or ``random`` (a new uniformly random order for each call). Under the
        last three a call counts when answered; direct calls never count.
    members : list of str
        Agent numbers, in hunting order; a number may belong to one group only,
        unless the scenario sets ``one_group_per_member: false``.
        An entry may also be ``{number: "201", penalty: 1}``: see ``penalties``.
    penalties : list of int or None
        One penalty per member, in member order (written in ``members`` as
        ``{number, penalty}``; default 0): a member is offered a call only when no
        member of the group with a lower penalty can be rung for it (Asterisk's
        queue penalty, FreeSWITCH's tier level); ``None``: every penalty is 0.
    penalty_wait : float or None
        With a queue and penalties: seconds a caller waits in the group before
        each next penalty joins (the k-th lowest penalty after k times this wait,
        FreeSWITCH's tier wait with its level multiplier); ``None``: a higher
        penalty is rung as soon as no lower one can be.
    weights : list of float or None
        Weighted policy: one positive weight per member, in member order;
        only their ratios matter.
    no_answer_rings : int
        Rings before the call moves on to the next member.
    voicemail : bool
        Whether the pilot has voicemail (where calls nobody takes go).
    when_all_busy : str
        ``voicemail``, ``busy`` or ``queue`` when every member is busy on arrival;
        defaults to ``voicemail`` when the pilot has one, else ``busy``.
    arrivals : Arrivals or None
        Calls dialled to the pilot; ``None``: no pilot calls.
    circular_anchor : str
        ``answered`` (BroadWorks: continue after who took the last call) or
        ``offered`` (CUCM, FreeSWITCH: after who was last rung).
    idle_counts_direct_calls : bool
        Under ``uniform``, whether a direct call resets a member's idle time.
    open : Calendar or None
        When the pilot is answered (``[mon-fri 08:00-17:00]``); ``None``: always.
    after_hours : str or None
        ``voicemail`` or ``busy`` for a pilot call arriving outside ``open``;
        defaults to ``voicemail`` when the pilot has one, else ``busy``. Giving
        it without ``open`` is an error (it could never apply).
    redial : Redial or None
        Callers of this pilot who call again; ``None``: the scenario's ``redial``.
    forward : Forward or None
        Where calls go instead of the usual treatment, and when.
    max_wait : float or None
        With a queue: seconds after reaching the group that a caller may wait,
        then the ``queue_timeout`` treatment (forward if ``forward.when`` has
        it, else the pilot's voicemail, else busy); ``None``: no limit.
    max_queue : int or None
        With a queue: callers waiting at most; one more gets the all-busy
        treatment without queueing (forward if ``forward.when`` has
        ``all_busy``, else voicemail, else busy); ``None``: no limit.
    stagger : float or None
        Staggered policy: seconds between one member joining the ringing and
        the next (default: one ring cycle).
    rering : float or None
        With a queue and ``max_wait``: seconds after a round nobody answered until every
        member can be rung again, round after round (Asterisk's ringall ``retry``).
    callback : Callback or None
        With a queue: callers still waiting ``offer_after`` may take a call back
        (``{offer_after: 60s, accept: 0.4, reached: 0.9}``); ``None``: never offered.
    call_waiting : bool
        BroadWorks' "allow call waiting on agents": a call that finds no member
        free to ring may be offered as call waiting to a member who is talking, and
        picked up it holds their call; not picked up, it is not the member's one
        offer of the call, and a call that rang only as call waiting gets the
        all-busy treatment; not with the simultaneous or staggered policy.
    call_waiting_answer : float or None
        With ``call_waiting``: the probability that a member picks up a call
        waiting (instead of their ``answer_probability``); ``None``: 0.3.
    priority : int
        With members in several groups (``one_group_per_member: false``): a member
        who frees up while callers wait in several of their groups serves the
        group with the smallest priority first (ties: the caller who has waited
        longest in their group).
    """

    KEY_HINTS: ClassVar[dict[str, str]] = {
        "weight": "for Asterisk's queue weight write priority (smaller is served first: "
                  "a member of several groups serves the group of the smallest priority "
                  "first); for a member rung only after the others, a penalty in members, "
                  "as {number: '201', penalty: 1}",
        "penalty": "a member's penalty goes in members, as {number: '201', penalty: 1}",
        "strategy": "the ring strategy is policy here",
        "maxlen": "Asterisk's maxlen is max_queue here (leave it out for no limit)",
        **{key: f"{key} is a key of callback: {{offer_after: 60s, accept: 0.4, "
                "reached: 0.9}"
           for key in ("offer_after", "accept", "reached")},
    }
    """Keys of other systems, or of other places, and what to write instead."""

    pilot: PhoneNumber = Field(min_length=1)
    name: Text | None = None
    policy: Annotated[Policy, BeforeValidator(_policy_name)] = "regular"
    members: Annotated[tuple[PhoneNumber, ...], BeforeValidator(some_members)] = Field(
        min_length=1, max_length=1_000)
    weights: tuple[float, ...] | None = None
    no_answer_rings: int = Field(default=3, ge=1, le=100)
    voicemail: bool = False
    when_all_busy: WhenAllBusy | None = None
    arrivals: Arrivals | None = None
    circular_anchor: Literal["answered", "offered"] = "answered"
    idle_counts_direct_calls: bool = False
    open: Calendar | None = None
    after_hours: AfterHours | None = None
    redial: Redial | None = None
    forward: Forward | None = None
    max_wait: Seconds | None = Field(default=None, gt=0)
    max_queue: int | None = Field(default=None, ge=0, le=1_000_000)
    stagger: Seconds | None = Field(default=None, gt=0)
    rering: Seconds | None = Field(default=None, ge=0)
    callback: Callback | None = None
    penalties: tuple[Annotated[int, Field(ge=0, le=MAX_PENALTY)], ...] | None = None
    penalty_wait: Seconds | None = Field(default=None, gt=0)
    call_waiting: bool = False
    call_waiting_answer: Probability | None = None
    priority: int = Field(default=0, ge=-1_000_000, le=1_000_000)

    @model_validator(mode="before")
    @classmethod
    def _members_with_penalties(cls, data: Any) -> Any:
        """Members written ``{number, penalty}`` become a number and a penalty."""
        return members_with_penalties(data)


    def forwards(self, case: str) -> bool:
        """Whether the group forwards calls in ``case`` (``all_busy``, ``no_answer``...)."""
        return self.forward is not None and case in self.forward.when

    @property
    def waiting_answer(self) -> float:
        """The probability that a member picks up a call waiting (``call_waiting_answer``)."""
        if self.call_waiting_answer is None:
            return DEFAULT_CALL_WAITING_ANSWER
        return self.call_waiting_answer

    @property
    def all_busy_treatment(self) -> WhenAllBusy:
        """What happens to a call that finds every member busy."""
        if self.when_all_busy is not None:
            return self.when_all_busy
        return "voicemail" if self.voicemail else "busy"

    @property
    def after_hours_treatment(self) -> AfterHours:
        """What happens to a pilot call arriving outside ``open``."""
        if self.after_hours is not None:
            return self.after_hours
        return "voicemail" if self.voicemail else "busy"

    def penalty_tiers(self) -> tuple[tuple[int, ...], ...]:
        """Member positions by penalty, lowest penalty first (one tier: no penalties)."""
        if self.penalties is None:
            return (tuple(range(len(self.members))),)
        return tuple(tuple(p for p, q in enumerate(self.penalties) if q == penalty)
                     for penalty in sorted(set(self.penalties)))

    @property
    def label(self) -> str:
        """The name if there is one, else the pilot number."""
        return self.name or self.pilot


class Scenario(Section):
    """Everything needed to simulate an office.

    Attributes
    ----------
    name : str
        Shown in outputs and reports.
    duration : float
        Calls arrive during ``[0, duration)`` seconds; calls in progress finish.
    warmup : float
        Calls arriving before this are simulated but not reported.
    ring_cycle : float
        Length of one ring (6 s in North America).
    seed : int or None
        Seed of all randomness, unless :func:`huntsim.simulate` is given one.
    caller_patience : Distribution or None
        How long callers wait (ringing or queued) before hanging up; ``None``:
        callers never hang up.
    agent_defaults : AgentDefaults or None
        Values every agent takes unless it sets its own.
    agents : list of Agent
        The people who answer (1 to 10,000), single or in blocks.
    hunt_groups : list of HuntGroup
        The pilot numbers and how their calls hunt.
    start : float
        The weekday and clock time at simulation time 0 (written
        ``"mon 08:00"``; seconds since Monday 00:00 inside). Opening hours,
        schedules and weekly arrivals follow the clock from there.
    redial : Redial or None
        Callers who call again, for every hunt group that sets no ``redial``
        of its own; ``None``: callers never redial.
    one_group_per_member : bool
        Whether a number may belong to one hunt group only (the default, as on XO
        IP Flex); ``false``: an agent may be listed in several groups, their
        presence and line shared by all of them (see ``hunt_groups[].priority``).
    shifts : list of Shift or None
        The shifts ``huntsim roster`` may staff when no shifts file is given; the
        simulation does not read them.
    """

    KEY_HINTS: ClassVar[dict[str, str]] = {
        key: f"{key} is a key of each hunt group (hunt_groups[].{key})"
        for key in HuntGroup.model_fields if key not in ("name", "redial")}
    """A hunt group's key written at the top of the file: where it goes."""

    name: Text = "scenario"
    duration: Seconds = Field(gt=0)
    start: WeekTime = 0.0
    warmup: Seconds = Field(default=0.0, ge=0)
    ring_cycle: Seconds = Field(default=6.0, gt=0)
    seed: int | None = Field(default=None, ge=0)
    caller_patience: Distribution | None = None
    agent_defaults: AgentDefaults | None = None
    agents: tuple[Agent, ...] = Field(min_length=1, max_length=10_000)
    hunt_groups: tuple[HuntGroup, ...] = Field(default=(), max_length=1_000)
    redial: Redial | None = None
    one_group_per_member: bool = True
    # not in dumps (fingerprints of saved runs): the simulation does not read them
    shifts: Annotated[tuple[Shift, ...] | None, AfterValidator(checked_shifts)] = Field(
        default=None, exclude=True)
    _unit_advice: tuple[str, ...] = PrivateAttr(default=())

    @property
    def unit_advice(self) -> tuple[str, ...]:
        """Times the file gave as bare numbers of seconds implausible for their key
        (``talk_time: 3``), one message each; see :mod:`huntsim.scenario.advice`."""
        return self._unit_advice

    def timeout_s(self, group: HuntGroup | Agent) -> float:
        """How long a member of ``group`` rings before the call moves on, seconds
        (given an agent: how long a call dialled straight to it rings).

        ``no_answer_rings`` ring cycles of ``ring_cycle`` seconds: the one place
        the time-out is computed.
        """
        return group.no_answer_rings * self.ring_cycle

    def stagger_s(self, group: HuntGroup) -> float:
        """Seconds between one member of a staggered ``group`` joining the ringing and
        the next: its ``stagger``, else one ``ring_cycle``."""
        return group.stagger if group.stagger is not None else self.ring_cycle

    @property
    def window_s(self) -> float:
        """The reported window's length, seconds: ``duration`` less ``warmup``.

        Every figure of a run is of the calls that arrive in this window.
        """
        return float(self.duration - self.warmup)

    @property
    def uses_routing(self) -> bool:
        """Whether any caller may redial or any group forward calls."""
        return self.redial is not None or any(
            g.redial is not None or g.forward is not None for g in self.hunt_groups)

    def redial_of(self, group: HuntGroup) -> Redial | None:
        """The redial behaviour of the group's callers (its own, else the scenario's)."""
        return group.redial if group.redial is not None else self.redial

    @model_validator(mode="before")
    @classmethod
    def _parse_units_and_defaults(cls, data: Any, info: ValidationInfo) -> Any:
        """Write out blocks of agents and ranges of members, then fill in the defaults.

        What the messages need to name the entries as written in the file
        (:class:`~huntsim.scenario.blocks.Origins`, and the defaults that were not
        valid) is left in the validation context for :func:`validate_scenario`.
        """
        if not isinstance(data, Mapping):
            return data
        data = dict(data)
        context = info.context if isinstance(info.context, dict) else {}
        origins = Origins()
        context["origins"] = origins
        problems: list[str] = []
        if isinstance(data.get("agents"), list | tuple):
            data["agents"], origins.agents, found = expand_agents(data["agents"])
            problems.extend(found)
        if isinstance(data.get("hunt_groups"), list | tuple):
            groups = []
            for g, group in enumerate(data["hunt_groups"]):
                if isinstance(group, Mapping) and isinstance(group.get("members"), list | tuple):
                    members, origins.members[g], found = expand_members(
                        group["members"], f"hunt_groups[{g}].members")
                    problems.extend(found)
                    group = {**group, "members": members}
                    try:
                        group = members_with_penalties(group)
                    except ValueError as error:
                        problems.append(f"hunt_groups[{g}].{error}")
                groups.append(group)
            data["hunt_groups"] = groups
        if problems:
            raise ScenarioError(problems)
        defaults = data.get("agent_defaults")
        agents = data.get("agents")
        if isinstance(defaults, Mapping) and isinstance(agents, list | tuple):
            usable = usable_defaults(defaults, AgentDefaults, info.context)
            context["bad_defaults"] = meant_but_not_given(defaults, AgentDefaults, usable)
            data["agents"] = [
                {**usable, **agent} if isinstance(agent, Mapping) else agent
                for agent in agents
            ]
        elif isinstance(defaults, AgentDefaults) and isinstance(agents, list | tuple):
            data["agents"] = [
                {**defaults.values(), **agent} if isinstance(agent, Mapping) else agent
                for agent in agents
            ]
        return data

    @model_validator(mode="after")
    def _follow_the_rules(self) -> Scenario:
        self._weekly_arrivals_from_start()
        problems = rule_violations(self)
        if problems:
            raise ScenarioError(problems)
        return self

    def _weekly_arrivals_from_start(self) -> None:
        """Turn weekly arrivals into profiles of simulation time that start at ``start``.

        Done while the scenario is validated (the model is frozen after), so
        the engine only ever sees Poisson, Profile and Trace arrivals. A copy
        with another ``start`` must be made with :meth:`replace`, which checks
        again (``model_copy`` would keep the old shift).
        """
        groups = []
        for group in self.hunt_groups:
            arrivals = _from_start(group.arrivals, self.start)
            if arrivals is not group.arrivals:
                group = group.model_copy(update={"arrivals": arrivals})
            groups.append(group)
        agents = []
        for agent in self.agents:
            direct = _from_start(agent.direct_calls, self.start)
            if direct is not agent.direct_calls:
                agent = agent.model_copy(update={"direct_calls": direct})
            agents.append(agent)
        self.__dict__["hunt_groups"] = tuple(groups)
        self.__dict__["agents"] = tuple(agents)

    @property
    def start_text(self) -> str:
        """``start`` as written: ``"mon 08:00"``."""
        return format_week_time(self.start)

    @property
    def uses_calendar(self) -> bool:
        """Whether any part depends on the time of the week.

        True when ``start`` is not Monday 00:00 or any pilot has ``open``
        hours, any member a ``schedule``, or any arrivals are weekly.
        """
        streams = [g.arrivals for g in self.hunt_groups] + [a.direct_calls for a in self.agents]
        return (
            self.start != 0.0
            or any(g.open is not None for g in self.hunt_groups)
            or any(a.schedule is not None for a in self.agents)
            or any(isinstance(s, WeeklyProfile) for s in streams)
        )

    def expected_calls(self) -> float:
        """Mean number of calls (pilot and direct) arriving during the run."""
        streams = [g.arrivals for g in self.hunt_groups] + [a.direct_calls for a in self.agents]
        return sum(s.mean_rate(self.duration) * self.duration for s in streams if s is not None)

    def agent(self, number: str) -> Agent:
        """The agent with this number."""
        for agent in self.agents:
            if agent.number == number:
                return agent
        raise KeyError(number)

    def group(self, pilot: str) -> HuntGroup:
        """The hunt group with this pilot number."""
        for group in self.hunt_groups:
            if group.pilot == pilot:
                return group
        raise KeyError(pilot)

    def with_policy(self, policy: str, pilots: Collection[str] | None = None) -> Scenario:
        """A copy in which every hunt group (or those with these ``pilots``) uses ``policy``.

        Raises
        ------
        ScenarioError
            If ``policy`` is not a known policy, or is ``staggered`` for a group whose
            members have penalties, or rings several members at once (``simultaneous``,
            ``staggered``) for a group with ``call_waiting`` (the rules the scenario
            file follows).
        """
        if policy not in POLICIES:
            raise ScenarioError([f"policy: {unknown_policy(policy)}"])
        chosen = [(i, g) for i, g in enumerate(self.hunt_groups)
                  if pilots is None or g.pilot in pilots]
        if policy == "staggered":
            tiered = [f"hunt_groups[{i}] ({g.pilot})" for i, g in chosen
                      if g.penalties is not None and any(g.penalties)]
            if tiered:
                raise ScenarioError([
                    f"policy: 'staggered' does not apply to {', '.join(tiered)}, whose "
                    "members have penalties (choose another policy, or remove the penalties)"])
        if policy in RING_ALL_POLICIES:
            waiting = [f"hunt_groups[{i}] ({g.pilot})" for i, g in chosen if g.call_waiting]
            if waiting:
                raise ScenarioError([
                    f"policy: {policy!r} does not apply to {', '.join(waiting)}, which has "
                    "call_waiting: true (a policy that rings several members at once has no "
                    "call waiting; choose another policy, or remove call_waiting)"])
        picked = {i for i, _ in chosen}
        groups = tuple(g.model_copy(update={"policy": policy}) if i in picked else g
                       for i, g in enumerate(self.hunt_groups))
        return self.model_copy(update={"hunt_groups": groups})

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some top-level fields changed, checked again by the rules."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields.update(changes)
        copy = validate_scenario(fields, advise=False)
        copy._unit_advice = carried_advice(self.unit_advice, changes)
        return copy


def _from_start(
    arrivals: Poisson | Profile | Trace | Weekly | None, start: float
) -> Poisson | Profile | Trace | Weekly | None:
    """Weekly arrivals as a profile of a run starting at week time ``start``."""
    if isinstance(arrivals, Weekly):
        return arrivals.profile(start)
    if isinstance(arrivals, WeeklyProfile) and arrivals.start != start:
        return arrivals.source.profile(start)
    return arrivals


def validate_scenario(data: Mapping[str, Any], base_dir: Path | None = None,
                      advise: bool = True) -> Scenario:
    """Build a :class:`Scenario` from a mapping, or raise :class:`ScenarioError`.

    With ``advise``, the scenario keeps the advice on times written as bare
    numbers (:attr:`Scenario.unit_advice`), read from ``data`` as written.
    """
    context: dict[str, Any] = {"base_dir": str(base_dir or Path.cwd())}
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as error:
        messages = _own_numbers(ScenarioError.from_validation(error, model=Scenario).messages,
                                data)
    except ScenarioError as error:
        messages = error.messages
    else:
        if advise:
            scenario._unit_advice = bare_time_advice(data)
        return scenario
    raise ScenarioError(in_file_terms(messages, context))


_AGENT_KEY = re.compile(r"agents\[(\d+)\]\.(?:penalty|weight): unknown key")


def _own_numbers(messages: Sequence[str], data: Mapping[str, Any]) -> list[str]:
    """The hint on a penalty or weight written on an agent, shown with that agent's own
    number (``{number: '501', penalty: 1}`` for agent 501) rather than the example's."""
    agents = data.get("agents")
    said = []
    for message in messages:
        found = _AGENT_KEY.match(message)
        if found and isinstance(agents, Sequence) and int(found.group(1)) < len(agents):
            agent = agents[int(found.group(1))]
            number = agent.get("number") if isinstance(agent, Mapping) else None
            if isinstance(number, str | int):
                message = message.replace("{number: '201',", f"{{number: {str(number)!r},")
        said.append(message)
    return said


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """Read and check a scenario.

    Parameters
    ----------
    source : path, mapping or Scenario
        A YAML file, the same content as a dict, or a scenario (returned as is).
        Trace files named in a YAML file are found relative to that file.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With one field-named message per problem.

    Examples
    --------
    >>> s = load_scenario({"duration": "1h", "agents": [{"number": "101", "talk_time": "3min"}]})
    >>> s.agents[0].talk_time
    Constant(value=180.0)
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return validate_scenario(source)
    path = Path(source)
    data = read_scenario_file(path)
    return validate_scenario(data, base_dir=path.parent)


def forward_map(groups: Sequence[HuntGroup]) -> dict[str, str]:
    """Pilot -> the pilot it forwards calls to, for groups forwarding inside the office."""
    pilots = [g.pilot for g in groups]
    targets = {}
    for group in groups:
        if group.forward is not None:
            target = forward_target(group.forward, pilots)
            if target is not None:
                targets[group.pilot] = target
    return targets


def group_map(groups: Sequence[HuntGroup]) -> dict[str, str]:
    """Agent -> the pilot of the group they are a member of (agents in no group left out;
    a member of several groups: the first of them)."""
    found: dict[str, str] = {}
    for group in groups:
        for member in group.members:
            found.setdefault(member, group.pilot)
    return found
