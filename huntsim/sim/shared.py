"""Members in several groups (``one_group_per_member: false``), and group priorities.

Built only for a scenario where some member is listed in more than one group
(:func:`uses_shared_members`); in any other run every member belongs to one
group at most, the engine never consults this module, and a plain run pays
nothing for it.

A member of several groups has one line and one presence: what blocks them
(busy on a call of any group or on a direct call, logged out, away, not
ready) blocks them in every group, so their bit in each group's
``idle_bits`` is set and cleared together (:meth:`SharedMembers.set_idle`).
Each group rings them at their own position in its list, and a call's
``tried`` bits are of the call's group.

When such a member frees up (end of wrap-up, back from an absence, logged in,
ready again) and callers wait in the queues of several of their groups, they
serve the group with the smallest ``priority``; between groups of equal
priority, the caller who has waited longest since reaching their group (ties:
the earlier call). In each group the caller served is the one its queue
would serve (:meth:`~huntsim.sim.queueing.Queues.serve`): the first (who
reached the group first, then by call id) for whom the member can be rung, or
who waits for a call back; so the caller served is the one of the smallest
priority who reached their group first, of all the member's groups. New
arrivals hunt among the free members of their group as always.

Policies: the call's group hears of the offer (``offered``) and the answer
(``answered``) at the member's position there; ``fewest_calls`` and
``least_talk_time`` in the member's other groups hear of the answer too (they
count the member's load, :attr:`~huntsim.sim.policies.HuntPolicy.counts_load`);
``uniform`` in every group of the member hears when they will be free again
(``busy_until``), a call through any pilot counting as a pilot call. Direct
calls stay the member's own, as for any member.
"""

from __future__ import annotations

from typing import Protocol

from huntsim.scenario.model import Scenario
from huntsim.sim.events import Environment
from huntsim.sim.presence import BUSY
from huntsim.sim.state import Call, Group, Member

__all__ = ["SharedMembers", "uses_shared_members"]


class _Queues(Protocol):
    def take(self, group: Group, call: Call, member: Member) -> None: ...


class _Engine(Protocol):
    """What shared members need of the engine."""

    env: Environment
    groups: list[Group]
    queues: _Queues | None


def uses_shared_members(scenario: Scenario) -> bool:
    """Whether some agent is listed in more than one hunt group."""
    if scenario.one_group_per_member:
        return False
    seen: set[str] = set()
    for group in scenario.hunt_groups:
        for number in group.members:
            if number in seen:
                return True
        seen.update(group.members)
    return False


class SharedMembers:
    """The members of several groups of one run, wired to the engine."""

    def __init__(self, engine: _Engine) -> None:
        self.engine = engine

    def set_idle(self, member: Member, idle: bool) -> None:
        """Set (``idle``) or clear the member's bit in every one of their groups."""
        assert member.places is not None
        groups = self.engine.groups
        for index, position in member.places.items():
            group = groups[index]
            if idle:
                group.idle_bits |= 1 << position
            else:
                group.idle_bits &= ~(1 << position)

    def offer(self, call: Call, member: Member, ordinal: int) -> tuple[bool, int]:
        """The member starts ringing for the call (see ``Engine.offer``)."""
        if not member.blocked:
            self.set_idle(member, False)
        member.blocked |= BUSY
        member.offered = call
        call.offers += 1
        group = call.group
        if group is not None:
            position = group.place(member)
            call.tried |= 1 << position
            if group.on_offered is not None:
                group.on_offered(position)
        return member.picks_up(call.block, call.row, ordinal)

    def answered(self, call: Call, member: Member, talk: int, free_at: int) -> None:
        """The member took the call: the policies of their groups hear of it."""
        assert member.places is not None
        via_pilot = call.group is not None
        groups = self.engine.groups
        for index, position in member.places.items():
            group = groups[index]
            if (via_pilot and group.on_answered is not None
                    and (group is call.group or group.policy.counts_load)):
                group.on_answered(position, talk)
            if group.on_busy_until is not None:
                group.on_busy_until(position, free_at, via_pilot)

    def available(self, member: Member) -> None:
        """Nothing blocks the member any more: they can be rung in each of their
        groups, and serve the waiting callers, by group priority."""
        self.set_idle(member, True)
        queues = self.engine.queues
        if queues is None:
            return
        while not member.blocked:
            found = self.next_caller(member)
            if found is None:
                return
            queues.take(found[0], found[1], member)

    def next_caller(self, member: Member) -> tuple[Group, Call] | None:
        """The waiting caller the member serves now: of their groups' queues, the
        group with the smallest priority, then the longest wait in the group."""
        assert member.places is not None
        groups = self.engine.groups
        best: tuple[int, int, int] | None = None
        found: tuple[Group, Call] | None = None
        for index, position in member.places.items():
            group = groups[index]
            if not group.queue or (best is not None and group.priority > best[0]):
                continue
            bit = 1 << position
            for call in group.queue:
                if (group.can_call_back(call) if call.call_back
                        else group.ringable(call)) & bit:
                    key = (group.priority, call.entered, call.id)
                    if best is None or key < best:
                        best, found = key, (group, call)
                    break
        return found
