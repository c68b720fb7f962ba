"""Contact-centre keys that a valid scenario sets but that can never take effect.

The keys of issue 22 (``priority``, member penalties with ``penalty_wait``,
``callback``, ``call_waiting``) depend on each other and on the queue's limits.
Where one of them can never matter, the author most likely meant something
else; the rule for errors and warnings:

* **an error** (:mod:`huntsim.scenario.rules`) when a key needs another key or a
  structure the group lacks: ``penalty_wait`` with every member at one penalty
  (0 or any other), ``callback`` without a queue, ``call_waiting_answer``
  without ``call_waiting``;
* **a warning** (here) when the key is in place but a *value* elsewhere keeps it
  from ever taking effect: ``max_wait`` no longer than ``callback.offer_after`` (or a
  ``caller_patience`` that always runs out before it),
  ``max_queue: 0``, a probability of 0, ``penalty_wait`` no shorter than
  ``max_wait``, a ``priority`` no other group's differs from,
  ``one_group_per_member: false`` with no member listed in several groups. Such a file still
  runs as written, and a sweep may pass through the value on purpose
  (``--set 'hunt_groups[0].callback.accept=0,0.2,0.4'``).

Every message names the key as written, the value and the fix;
:func:`huntsim.scenario.advice.scenario_advice` gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from huntsim.scenario.distributions import Constant, Empirical, Uniform

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup, Scenario

__all__ = ["acd_advice", "priority_advice"]


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _longest_patience(scenario: Scenario) -> float | None:
    """The longest any caller waits before hanging up, where the patience has a bound."""
    patience = scenario.caller_patience
    if isinstance(patience, Constant):
        return float(patience.value)
    if isinstance(patience, Uniform):
        return float(patience.high)
    if isinstance(patience, Empirical):
        return float(max(patience.values))
    return None


@dataclass(frozen=True)
class _Gone:
    """When every caller still on the line has left the group (seconds after reaching
    it), and what says so."""

    at: float
    max_wait: bool  # max_wait says so (else caller_patience)
    why: str

    def by(self, seconds: float) -> bool:
        """Whether every caller on the line has gone ``seconds`` after reaching the group
        (at that very instant too: ``max_wait`` and patience run out before a call back is
        offered or a penalty joins, in the same phase of the instant)."""
        return seconds >= self.at


def _gone(scenario: Scenario, group: HuntGroup) -> _Gone | None:
    found = []
    if group.max_wait is not None:
        found.append(_Gone(group.max_wait, True, f"max_wait is {_seconds(group.max_wait)}"))
    longest = _longest_patience(scenario)
    if longest is not None:
        found.append(_Gone(longest, False, f"every caller hangs up within {_seconds(longest)} "
                                           "(caller_patience)"))
    return min(found, key=lambda g: (g.at, not g.max_wait)) if found else None


def _callback_advice(scenario: Scenario, group: HuntGroup, where: str) -> list[str]:
    callback = group.callback
    if callback is None:
        return []
    found = []
    path = f"{where}.callback"
    gone = _gone(scenario, group)
    if gone is not None and gone.by(callback.offer_after):
        fix = "shorter than max_wait" if gone.max_wait else "shorter than that"
        found.append(
            f"{path}.offer_after: {_seconds(callback.offer_after)} but {gone.why}: every "
            f"caller has left the queue by then, so no call back is ever offered; make "
            f"offer_after {fix}, or remove callback")
    if callback.accept == 0:
        found.append(
            f"{path}.accept: 0, so no caller ever takes a call back and callback changes "
            "nothing; give the share of callers who take one (e.g. 0.4), or remove callback")
    elif callback.reached == 0:
        found.append(
            f"{path}.reached: 0, so no call back ever reaches its caller: every caller who "
            "takes one is lost (outcome callback_missed); give the share reached (e.g. 0.9)")
    return found


def _max_queue_advice(group: HuntGroup, where: str) -> list[str]:
    if group.max_queue != 0 or group.all_busy_treatment != "queue":
        return []
    uses = [key for key, used in (("callback", group.callback is not None),
                                  ("penalty_wait", group.penalty_wait is not None)) if used]
    verb = "applies" if len(uses) == 1 else "apply"
    also = (f" ({' and '.join(uses)} then hardly ever {verb}: only a caller who rang "
            "members nobody answered waits)" if uses else "")
    return [f"{where}.max_queue: 0, so no caller who finds every member busy queues: each "
            f"gets the all-busy treatment{also}; leave max_queue out for a queue without a "
            "limit (Asterisk's maxlen 0), or give the places in the queue"]


def _penalty_wait_advice(scenario: Scenario, group: HuntGroup, where: str) -> list[str]:
    wait, gone = group.penalty_wait, _gone(scenario, group)
    if wait is None or gone is None or group.penalties is None:
        return []
    callback = group.callback
    if callback is not None and callback.accept > 0 and not gone.by(callback.offer_after):
        return []  # callers waiting for a call back stay on: later penalties serve them
    penalties = sorted(set(group.penalties))
    never = [k for k in range(1, len(penalties)) if gone.by(k * wait)]
    if not never:
        return []
    first = never[0]
    held = [group.members[m] for m, p in enumerate(group.penalties) if p >= penalties[first]]
    which = (f"penalty {penalties[first]}" if first == len(penalties) - 1 else
             f"penalties {', '.join(str(p) for p in penalties[first:])}")
    who = (f"member {held[0]!r} never answers" if len(held) == 1 else
           f"members {', '.join(repr(n) for n in held)} never answer")
    longer = "lengthen max_wait" if gone.max_wait else "check caller_patience"
    return [f"{where}.penalty_wait: {_seconds(wait)} but {gone.why}: "
            f"callers have left the queue by the time {which} would join (after "
            f"{_seconds(first * wait)}), so {who} a call of this group; shorten "
            f"penalty_wait (the k-th higher penalty joins after k times it), or {longer}"]


def _call_waiting_advice(group: HuntGroup, where: str) -> list[str]:
    if group.call_waiting and group.call_waiting_answer == 0:
        return [f"{where}.call_waiting_answer: 0, so no member ever picks up a call "
                "waiting and call waiting changes nothing but the rings it adds; give the "
                "share picked up (the default is 0.3), or remove call_waiting"]
    return []


def _sharing_advice(scenario: Scenario) -> list[str]:
    if scenario.one_group_per_member or not scenario.hunt_groups:
        return []
    listed = [number for group in scenario.hunt_groups for number in set(group.members)]
    if len(listed) != len(set(listed)):
        return []
    return ["one_group_per_member: false but no agent is a member of several groups, so it "
            "changes nothing; list the members the groups share in each of them, or remove "
            "one_group_per_member"]


def acd_advice(scenario: Scenario) -> tuple[str, ...]:
    """Call backs, queue limits, penalty waits and call waiting that a value elsewhere
    keeps from ever taking effect, one message each.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "8h", "agents": [{"number": "101",
    ...     "talk_time": "3min"}], "hunt_groups": [{"pilot": "100", "members": ["101"],
    ...     "when_all_busy": "queue", "max_wait": "30s",
    ...     "callback": {"offer_after": "60s", "accept": 0.4, "reached": 0.9}}]})
    >>> acd_advice(office)[0].startswith("hunt_groups[0].callback.offer_after: 60 s but")
    True
    """
    found = _sharing_advice(scenario)
    for g, group in enumerate(scenario.hunt_groups):
        where = f"hunt_groups[{g}]"
        found += _max_queue_advice(group, where)
        found += _callback_advice(scenario, group, where)
        found += _penalty_wait_advice(scenario, group, where)
        found += _call_waiting_advice(group, where)
    return tuple(found)


def priority_advice(scenario: Scenario) -> tuple[str, ...]:
    """Groups given a ``priority`` that changes nothing: none of their members is in
    another group (only a member of several groups chooses between groups), or every
    group sharing a member with them has the same priority.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "8h", "agents": [{"number": "101",
    ...                         "talk_time": "3min"}],
    ...     "hunt_groups": [{"pilot": "100", "members": ["101"], "priority": 1}]})
    >>> priority_advice(office)[0].startswith("hunt_groups[0].priority: 1 but")
    True
    """
    groups_of: dict[str, list[int]] = {}
    for g, group in enumerate(scenario.hunt_groups):
        for number in group.members:
            groups_of.setdefault(number, []).append(g)
    found = []
    for g, group in enumerate(scenario.hunt_groups):
        if "priority" not in group.model_fields_set:
            continue
        sharing = sorted({k for number in group.members for k in groups_of[number]} - {g})
        if not sharing:
            how = ("set one_group_per_member: false and list members in several groups"
                   if scenario.one_group_per_member else "list a member in several groups")
            found.append(
                f"hunt_groups[{g}].priority: {group.priority} but none of the group's members "
                "is in another group, so it changes nothing (a member of several groups "
                f"serves the smallest priority first); {how}, or remove priority")
        elif group.priority != 0 and all(
                scenario.hunt_groups[k].priority == group.priority for k in sharing) and not any(
                "priority" in scenario.hunt_groups[k].model_fields_set for k in sharing if k < g):
            others = ", ".join(f"hunt_groups[{k}]" for k in sharing)
            found.append(
                f"hunt_groups[{g}].priority: {group.priority}, the same as every group it "
                f"shares members with ({others}), so it changes nothing (ties go to the "
                "caller who has waited longest); give the group served first the smaller "
                "priority, or remove priority")
    return tuple(found)
