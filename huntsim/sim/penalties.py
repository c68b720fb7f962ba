"""Member penalties: a group whose members are rung by tiers of penalty.

Built only for a group where some member has a penalty above 0
(:func:`make_group`); any other group is a plain
:class:`~huntsim.sim.state.Group` and pays nothing for it.

A member is offered a call only when no member of the group with a lower
penalty can be rung for it (Asterisk's queue penalty): *can be rung* is as
everywhere (nothing blocks the member: not busy, logged out, away or not
ready) and the member has not been offered the call yet, so a lower-penalty
member who let the call ring out no longer holds back the next penalty.
With ``penalty_wait`` (FreeSWITCH's tier wait, its level multiplier on) the
k-th lowest penalty also needs the caller to have waited ``k`` times that
wait in the group (counted from reaching it, as ``max_wait`` is); a waiting
caller is woken then, in the patience phase (:mod:`huntsim.sim.events`), to
ring a member of the penalty that joins if one can be rung.

Call backs (a group's ``callback``) follow the same rule: a caller waiting for a
call back is called back only by a member free of the lowest penalty that has a
free member, among the penalties the caller has waited for (having been offered
the call before does not count: a call back is a new call); with
``penalty_wait``, a free member of a penalty that joins then calls back.
"""

from __future__ import annotations

from typing import Protocol, cast

from huntsim.scenario.model import HuntGroup
from huntsim.sim.clock import ticks
from huntsim.sim.events import PATIENCE, At, Environment, Event
from huntsim.sim.policies import HuntPolicy
from huntsim.sim.state import Call, Group, Member

__all__ = ["PenaltyGroup", "make_group"]


class _Queues(Protocol):
    def call_back(self, group: Group, call: Call, member: Member) -> None: ...


class _Waiting(Protocol):
    def eligible(self, group: Group, call: Call) -> int: ...


class _Engine(Protocol):
    """What penalties need of the engine."""

    env: Environment

    @property
    def queues(self) -> _Queues | None: ...

    @property
    def waiting(self) -> _Waiting | None: ...

    def hunt(self, call: Call) -> None: ...


def make_group(index: int, spec: HuntGroup, members: list[Member], policy: HuntPolicy,
               timeout: int, engine: _Engine) -> Group:
    """The running state of the group: a :class:`PenaltyGroup` where some member has a
    penalty above 0, else a plain :class:`~huntsim.sim.state.Group`."""
    if spec.penalties is not None and any(spec.penalties):
        return PenaltyGroup(index, spec, members, policy, timeout, engine)
    return Group(index, spec, members, policy, timeout)


class PenaltyGroup(Group):
    """A group that rings its members by tiers of penalty (see the module docstring).

    ``tier_masks`` holds a bit mask of member positions per penalty, lowest first;
    ``tier_wait`` is ``penalty_wait`` in ticks (-1: none).
    """

    __slots__ = ("engine", "tier_masks", "tier_wait")

    def __init__(self, index: int, spec: HuntGroup, members: list[Member],
                 policy: HuntPolicy, timeout: int, engine: _Engine) -> None:
        super().__init__(index, spec, members, policy, timeout)
        self.tier_masks = tuple(sum(1 << p for p in tier) for tier in spec.penalty_tiers())
        self.tier_wait = ticks(spec.penalty_wait) if spec.penalty_wait is not None else -1
        self.engine = engine
        # a member skipped while a lower penalty could be rung may be rung later: every
        # hunt scans the whole order (those offered the call are never rung again)
        self.rescan = True

    def ringable(self, call: Call) -> int:
        """Who can be rung for ``call`` now: of the members nothing blocks who have not
        been offered the call, those of the lowest penalty (among the penalties the
        caller has waited long enough for, with ``penalty_wait``)."""
        return self.lowest(self.idle_bits & ~call.tried, call)

    def can_call_back(self, call: Call) -> int:
        """Who may call back ``call`` now: as :meth:`ringable`, but of all the members
        nothing blocks (a call back is a new call: having been offered the call before
        does not matter), so the lowest penalty with a free member, among the penalties
        the caller has waited for."""
        return self.lowest(self.idle_bits, call)

    def lowest(self, free: int, call: Call) -> int:
        """Of ``free`` (a bit per position), those of the lowest penalty that has one,
        among the penalties that have joined for the call (with ``penalty_wait``; the
        call is then woken when the next one joins)."""
        masks = self.tier_masks
        if self.tier_wait >= 0:
            now = self.engine.env.now
            admitted = min(len(masks), 1 + (now - call.entered) // self.tier_wait)
            if admitted < len(masks):
                self._wake_at(call, call.entered + admitted * self.tier_wait)
                masks = masks[:admitted]
        for mask in masks:
            if free & mask:
                return free & mask
        return 0

    def _wake_at(self, call: Call, due: int) -> None:
        """Look at the call again at ``due``, when the next penalty joins (once)."""
        entered, scheduled = call.penalty_wake
        if entered == call.entered and scheduled >= due:
            return
        call.penalty_wake = (call.entered, due)
        At(self.engine.env, due - self.engine.env.now, (call, call.entered),
           PATIENCE + call.id).callbacks.append(self._penalty_joins)

    def _penalty_joins(self, event: Event) -> None:
        """A higher penalty joins for a waiting caller: ring one of it, if one can be,
        else offer the call as call waiting to one of it on a call, if one may take it
        (as a hunt would); for a caller waiting for a call back, a free member of it
        calls back."""
        call, entered = cast(tuple[Call, int], event.value)
        if call.group is not self or call.entered != entered:
            return  # gone, or moved on
        if call.call_back:
            free = self.can_call_back(call)
            if free:
                queues = self.engine.queues
                assert queues is not None
                queues.call_back(self, call, self.members[(free & -free).bit_length() - 1])
            return
        if not call.waiting:
            return  # ringing (its next hunt sees the new penalty), or gone
        waiting = self.engine.waiting
        if self.ringable(call) or (waiting is not None and waiting.eligible(self, call)):
            self.queue.remove(call)
            call.waiting = False
            self.engine.hunt(call)
