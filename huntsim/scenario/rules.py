"""The cross-field rules of a scenario that single fields cannot check.

:func:`rule_violations` lists every breach as a message naming the key: the
product description's rules (one group per number, pilots of their own), runs
too large to finish, and options that only make sense together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from huntsim.scenario.calendar import WEEK
from huntsim.scenario.routing import routing_violations

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup, Scenario

MAX_EXPECTED_CALLS = 2e8
"""Larger runs are refused: split them into replications instead."""
MAX_EXPECTED_ABSENCES = 2e8
"""More absences (``away.rate`` x ``duration``, all agents) are refused, as calls are."""
RING_ALL_POLICIES = ("simultaneous", "staggered")
"""Policies that ring several members at once: no call waiting with them."""
MAX_CALENDAR_CHANGES = 1e7
"""More changes of schedules and open hours over a run are refused: each is kept in memory."""


def _size_violations(scenario: Scenario) -> list[str]:
    """Runs that cannot finish: too many absences, or too many schedule changes to hold."""
    problems: list[str] = []
    run = f"{scenario.duration:g} s"
    away = [(a.away.rate, i) for i, a in enumerate(scenario.agents) if a.away is not None]
    absences = sum(rate for rate, _ in away) * scenario.duration
    if absences > MAX_EXPECTED_ABSENCES:
        rate, i = max(away)
        problems.append(
            f"agents[{i}].away.rate: {rate * 3600:g}/h over {run} means about "
            f"{absences:.2g} absences (all agents), more than huntsim simulates in one run "
            f"({MAX_EXPECTED_ABSENCES:,.0f}); lower the rate or shorten the run")
    calendars = [a.schedule for a in scenario.agents] + [g.open for g in scenario.hunt_groups]
    per_week = sum(len(c.edges()) for c in calendars if c is not None)
    changes = per_week * scenario.duration / WEEK
    if changes > MAX_CALENDAR_CHANGES:
        problems.append(
            f"duration: {run} with these schedules and open hours means about "
            f"{changes:.2g} changes of presence ({per_week} a week), more than huntsim "
            f"simulates in one run ({MAX_CALENDAR_CHANGES:,.0f}); shorten the run")
    return problems


def rule_violations(scenario: Scenario) -> list[str]:
    """The rules of the product description, and the cross-field checks."""
    problems: list[str] = []
    expected = scenario.expected_calls()
    if expected > MAX_EXPECTED_CALLS:
        problems.append(
            f"duration: {scenario.duration:g} s at these arrival rates means about "
            f"{expected:,.0f} calls, more than huntsim simulates in one run "
            f"({MAX_EXPECTED_CALLS:,.0f}); shorten the run or use replications"
        )
    problems.extend(_size_violations(scenario))
    problems.extend(_resolution_violations(scenario))
    if scenario.warmup >= scenario.duration:
        problems.append(
            f"warmup: {scenario.warmup:g} s is not shorter than duration "
            f"({scenario.duration:g} s); nothing would be reported"
        )
    owner: dict[str, str] = {}
    for i, agent in enumerate(scenario.agents):
        if agent.number in owner:
            problems.append(
                f"agents[{i}].number: {agent.number!r} is already the number of "
                f"{owner[agent.number]}"
            )
        else:
            owner[agent.number] = f"agents[{i}]"
    pilots: dict[str, str] = {}
    group_of: dict[str, str] = {}
    for g, group in enumerate(scenario.hunt_groups):
        where = f"hunt_groups[{g}]"
        if group.pilot in owner:
            problems.append(
                f"{where}.pilot: {group.pilot!r} is the own number of {owner[group.pilot]}; "
                "a pilot must be a number of its own"
            )
        if group.pilot in pilots:
            problems.append(
                f"{where}.pilot: {group.pilot!r} is already the pilot of {pilots[group.pilot]}"
            )
        pilots.setdefault(group.pilot, where)
        listed: dict[str, int] = {}
        for m, member in enumerate(group.members):
            path = f"{where}.members[{m}]"
            if member in listed:
                problems.append(
                    f"{path}: {member!r} is listed twice (also members[{listed[member]}])"
                )
                continue
            listed[member] = m
            if member not in owner:
                problems.append(f"{path}: {member!r} is not an agent{_member_hint(member, owner)}")
            elif member in group_of and scenario.one_group_per_member:
                problems.append(
                    f"{path}: {member!r} is already a member of {group_of[member]}; "
                    "a number may belong to one hunt group only (one_group_per_member: "
                    "true; set one_group_per_member: false to share members)"
                )
            else:
                group_of.setdefault(member, f"{where} (pilot {group.pilot!r})")
        problems.extend(_group_option_violations(group, where))
    problems.extend(routing_violations(scenario.hunt_groups, list(owner)))
    problems.extend(_redial_violations(scenario))
    return problems


RESOLUTION_S = 1e-6
"""The model's time resolution (one microsecond): a shorter duration is zero on its clock."""


def _resolution_violations(scenario: Scenario) -> list[str]:
    """Durations that must be above 0 but are zero on the model's clock (shorter than a
    microsecond): a ring cycle, a penalty wait, a stagger, a ``max_wait``, a call-back
    offer time or an ``after_missed`` time away would round to no time at all."""
    durations: list[tuple[str, float | None]] = [("ring_cycle", scenario.ring_cycle)]
    for g, group in enumerate(scenario.hunt_groups):
        where = f"hunt_groups[{g}]"
        durations += [(f"{where}.penalty_wait", group.penalty_wait),
                      (f"{where}.stagger", group.stagger),
                      (f"{where}.max_wait", group.max_wait)]
        if group.callback is not None:
            durations.append((f"{where}.callback.offer_after", group.callback.offer_after))
    for i, agent in enumerate(scenario.agents):
        if agent.after_missed is not None:
            durations.append((f"agents[{i}].after_missed.away", agent.after_missed.away))
    return [f"{key}: {value:g} s is shorter than the model's time resolution "
            "(1 microsecond); give 1 microsecond or more"
            for key, value in durations if value is not None and value < RESOLUTION_S]


def _member_hint(member: str, agents: dict[str, str]) -> str:
    """For Asterisk's ``member,penalty`` (``'105,2'``): how to write it here."""
    number, comma, penalty = member.partition(",")
    if comma and number.strip() in agents and penalty.strip().isdigit():
        return (f"; for a penalty write {{number: {number.strip()!r}, penalty: "
                f"{int(penalty)}}}")
    return ""


def _redial_violations(scenario: Scenario) -> list[str]:
    """Redials that would come back at the same instant for ever."""
    problems = []
    redials = [("redial", scenario.redial)] + [
        (f"hunt_groups[{g}].redial", group.redial)
        for g, group in enumerate(scenario.hunt_groups)]
    for where, redial in redials:
        if redial is not None and redial.probability > 0 and not redial.delay.mean >= 1:
            problems.append(f"{where}.delay: a mean of {redial.delay.mean:g} s; callers "
                            "take a second or more to call again (give a mean of 1s or more)")
    return problems


def _group_option_violations(group: HuntGroup, where: str) -> list[str]:
    problems: list[str] = []
    if group.weights is not None:
        if group.policy != "weighted":
            problems.append(
                f"{where}.weights: only used by the weighted policy (policy is {group.policy!r})"
            )
        if len(group.weights) != len(group.members):
            problems.append(
                f"{where}.weights: {len(group.weights)} weights for "
                f"{len(group.members)} members; give one weight per member"
            )
        for w, weight in enumerate(group.weights):
            if not 0 < weight < float("inf"):  # also refuses nan
                problems.append(
                    f"{where}.weights[{w}]: {weight!r} must be a finite number greater than 0"
                )
    problems.extend(_penalty_violations(group, where))
    problems.extend(_call_waiting_violations(group, where))
    if group.when_all_busy == "voicemail" and not group.voicemail:
        problems.append(
            f"{where}.when_all_busy: 'voicemail' but the pilot {group.pilot!r} has no "
            "voicemail (set voicemail: true, or choose busy or queue)"
        )
    if group.callback is not None and group.all_busy_treatment != "queue":
        problems.append(
            f"{where}.callback: only a queue offers call backs (when_all_busy is "
            f"{group.all_busy_treatment!r}; set when_all_busy: queue or remove callback)"
        )
    if group.after_hours is not None and group.open is None:
        problems.append(
            f"{where}.after_hours: {group.after_hours!r} but the group has no open hours, "
            "so no call is ever after hours (add open: [...] or remove after_hours)"
        )
    if group.after_hours == "voicemail" and not group.voicemail:
        problems.append(
            f"{where}.after_hours: 'voicemail' but the pilot {group.pilot!r} has no "
            "voicemail (set voicemail: true, or choose busy)"
        )
    return problems


def _penalty_violations(group: HuntGroup, where: str) -> list[str]:
    problems: list[str] = []
    if group.penalties is not None and len(group.penalties) != len(group.members):
        problems.append(
            f"{where}.penalties: {len(group.penalties)} penalties for "
            f"{len(group.members)} members; give one penalty per member"
        )
    if group.penalties is not None and any(group.penalties) and group.policy == "staggered":
        problems.append(f"{where}.members: penalties do not apply to the staggered policy "
                        "(remove the penalties, or choose another policy)")
    if group.penalty_wait is not None:
        if not group.penalties or not any(group.penalties):
            problems.append(
                f"{where}.penalty_wait: {group.penalty_wait:g} s but no member has a penalty "
                "above 0, so no penalty ever joins later (give some members "
                "{number, penalty: 1}, or remove penalty_wait)"
            )
        elif len(set(group.penalties)) == 1:
            problems.append(
                f"{where}.penalty_wait: {group.penalty_wait:g} s but every member has "
                f"penalty {group.penalties[0]}, so all are rung together and no penalty ever "
                "joins later (give the members to add later a higher penalty than the "
                "others, or remove penalty_wait)"
            )
        elif group.all_busy_treatment != "queue":
            problems.append(
                f"{where}.penalty_wait: {group.penalty_wait:g} s but callers do not queue "
                f"(when_all_busy is {group.all_busy_treatment!r}), so none waits for a "
                "higher penalty to join (set when_all_busy: queue, or remove penalty_wait)"
            )
    return problems


def _call_waiting_violations(group: HuntGroup, where: str) -> list[str]:
    problems: list[str] = []
    if group.call_waiting_answer is not None and not group.call_waiting:
        problems.append(
            f"{where}.call_waiting_answer: {group.call_waiting_answer:g} but call waiting is "
            "off, so no call is ever offered as call waiting (set call_waiting: true, or "
            "remove call_waiting_answer)")
    if group.call_waiting and group.policy in RING_ALL_POLICIES:
        problems.append(
            f"{where}.call_waiting: call waiting does not apply to the {group.policy} policy, "
            "which rings several members at once (choose another policy, or remove "
            "call_waiting)")
    return problems
