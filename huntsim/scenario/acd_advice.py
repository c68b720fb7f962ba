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
  from ever taking effect: ``max_wait`` no longer than ``callback.offer_after``,
  ``max_queue: 0``, a probability of 0, ``penalty_wait`` no shorter than
  ``max_wait``, a ``priority`` no other group's differs from,
  ``one_group_per_member: false`` with no member listed in several groups. Such a file still
  runs as written, and a sweep may pass through the value on purpose
  (``--set 'hunt_groups[0].callback.accept=0,0.2,0.4'``).

Every message names the key as written, the value and the fix;
:func:`huntsim.scenario.advice.scenario_advice` gathers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup, Scenario

__all__ = ["acd_advice", "priority_advice"]


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _callback_advice(group: HuntGroup, where: str) -> list[str]:
    callback = group.callback
    if callback is None:
        return []
    found = []
    path = f"{where}.callback"
    if group.max_wait is not None and group.max_wait <= callback.offer_after:
        found.append(
            f"{path}.offer_after: {_seconds(callback.offer_after)} but max_wait is "
            f"{_seconds(group.max_wait)}: every caller has left the queue by then, so no "
            "call back is ever offered; make offer_after shorter than max_wait, or remove "
            "callback")
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


def _penalty_wait_advice(group: HuntGroup, where: str) -> list[str]:
    wait, limit = group.penalty_wait, group.max_wait
    if wait is None or limit is None or group.penalties is None:
        return []
    callback = group.callback
    if callback is not None and callback.accept > 0 and callback.offer_after < limit:
        return []  # callers waiting for a call back stay on: later penalties serve them
    penalties = sorted(set(group.penalties))
    never = [k for k in range(1, len(penalties)) if k * wait >= limit]
    if not never:
        return []
    first = never[0]
    held = [group.members[m] for m, p in enumerate(group.penalties) if p >= penalties[first]]
    which = (f"penalty {penalties[first]}" if first == len(penalties) - 1 else
             f"penalties {', '.join(str(p) for p in penalties[first:])}")
    who = (f"member {held[0]!r} never answers" if len(held) == 1 else
           f"members {', '.join(repr(n) for n in held)} never answer")
    return [f"{where}.penalty_wait: {_seconds(wait)} but max_wait is {_seconds(limit)}: "
            f"callers have left the queue by the time {which} would join (after "
            f"{_seconds(first * wait)}), so {who} a call of this group; shorten "
            "penalty_wait (the k-th higher penalty joins after k times it), or lengthen "
            "max_wait"]


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
        found += _callback_advice(group, where)
        found += _penalty_wait_advice(group, where)
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
