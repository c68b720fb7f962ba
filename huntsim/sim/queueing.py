"""Queues: callers who wait for a member of a group with ``when_all_busy: queue``.

Built only for a scenario where some group queues (:func:`uses_queues`); a
run without queues never consults it. A group's queue holds its waiting calls
in the order they reached the group (then by call id: a call forwarded in from
another group queues behind the callers who reached this one before it), so
the caller who came first is served first; a caller who is
ringing a member is out of the queue meanwhile, and back in their place if
nobody picks up. A member who frees up serves the first caller in the queue
for whom they can be rung (who has not been offered the call by them yet); a
member of several groups chooses the group first (:mod:`huntsim.sim.shared`).

Each waiting call has at most two timers: its patience (one for the call's
whole life; while the call rings it does nothing) and ``max_wait`` (one per
group the call reaches, counted from reaching it; while the call rings it does
nothing either: the engine ends a ring at the limit itself, see
:meth:`~huntsim.sim.engine.Engine.ring_until`). Both run out in the
patience phase (:mod:`huntsim.sim.events`), after members free up at that
instant: a member freeing then still takes the caller.

Call backs (a group's ``callback``): a caller still waiting (not ringing)
``offer_after`` after reaching the group is offered a call back, once (a
caller ringing a member then is not, nor later), and takes it with probability
``accept``. They stay in the queue, in their place,
but no longer wait on the line (``call.waiting`` is false and ``call.call_back``
true while they are in the queue) and so no longer hang up nor time out. The first
member free when their place comes up, or a member free at once, calls back
(with penalties, only a member of the lowest penalty with a free member, among
those the caller has waited for: :meth:`~huntsim.sim.state.Group.can_call_back`):
reached (``reached``), the call is ``called_back`` and the member talks and
wraps up as for an answered call; not, it is ``callback_missed`` and the
member is busy for the group's ring time-out. One still waiting for the call
back when nothing more can happen is ``callback_missed`` at the end of the run
(or when they took the call back, if that was later: a caller stranded past the
end of the run is still offered it at ``offer_after``, as their patience still
runs out).
Accept and reached are drawn from one stream per group, in the order of events.
"""

from __future__ import annotations

import bisect
import math
from typing import Protocol, cast

import numpy as np

from huntsim.scenario.model import Scenario
from huntsim.scenario.routing import Callback
from huntsim.sim.clock import TICKS_PER_SECOND, ticks
from huntsim.sim.events import PATIENCE, At, Environment, Event
from huntsim.sim.presence import BUSY
from huntsim.sim.records import Outcome
from huntsim.sim.state import QUEUE_TIMEOUT, Call, Group, Member
from huntsim.sim.streams import generator

__all__ = ["Queues", "uses_queues"]

_INF = math.inf


class _Waiting(Protocol):
    def eligible(self, group: Group, call: Call) -> int: ...


class _Engine(Protocol):
    """What queues need of the engine."""

    env: Environment
    end: int
    groups: list[Group]
    scenario: Scenario

    @property
    def waiting(self) -> _Waiting | None: ...

    def add_callback(self, call_id: int, at: float) -> None: ...

    def block(self, member: Member, reason: int) -> None: ...

    def release(self, member: Member) -> None: ...

    def answer(self, call: Call, member: Member, outcome: int = Outcome.ANSWERED) -> None: ...

    def hunt(self, call: Call) -> None: ...

    def move_on(self, call: Call, case: int) -> None: ...

    def end_call(self, call: Call, outcome: int, ended: int = -1) -> None: ...


def uses_queues(scenario: Scenario) -> bool:
    """Whether any group keeps callers waiting when nobody can be rung."""
    return any(g.all_busy_treatment == "queue" for g in scenario.hunt_groups)


class Queues:
    """The queues of one run's groups, wired to the engine."""

    def __init__(self, engine: _Engine, seed: int = 0) -> None:
        self.engine = engine
        # per group: its callback and stream of draws, if it offers call backs
        self.callbacks: list[tuple[Callback, int, np.random.Generator] | None] = [
            (spec.callback, ticks(spec.callback.offer_after),
             generator(seed, "group", spec.pilot, "callback"))
            if spec.callback is not None else None
            for spec in engine.scenario.hunt_groups]

    def wait(self, call: Call) -> None:
        """The call joins its group's queue, unless the caller has gone or the
        group's ``max_wait`` has already run out."""
        group = call.group
        assert group is not None
        engine = self.engine
        now = engine.env.now
        if call.gone(now):
            engine.end_call(call, Outcome.ABANDONED)
            return
        first = call.timed_hop != call.forwards  # first time in this group's queue
        if group.max_wait >= 0:
            limit = call.entered + group.max_wait
            if limit <= now:
                engine.move_on(call, QUEUE_TIMEOUT)
                return
            if first:  # one timer, at the limit
                At(engine.env, limit - now, (call, call.forwards), PATIENCE + call.id
                   ).callbacks.append(self._max_wait_reached)
        call.timed_hop = call.forwards
        offer = self.callbacks[group.index]
        if first and offer is not None and call.entered + offer[1] >= now:
            # one offer, at offer_after (none if the caller was ringing then, before queueing)
            At(engine.env, call.entered + offer[1] - now, (call, call.forwards),
               PATIENCE + call.id).callbacks.append(self._offer_callback)
        call.waiting = True
        call.queued_at = now
        bisect.insort(group.queue, call, key=_place)
        if not call.patience_scheduled and call.deadline < _INF:
            # one timer per call, at its deadline; while the call rings it does nothing
            call.patience_scheduled = True
            At(engine.env, int(call.deadline) - now, call, PATIENCE + call.id
               ).callbacks.append(self._patience_ran_out)

    def next_round(self, call: Call) -> None:
        """Nobody more can be rung for the call in this round (``rering``): it waits,
        its patience and ``max_wait`` running on, and after the group's ``rering`` a
        new round begins: every member can be rung for it again, and those free ring
        at once, or with nobody free, a member on a call who may take a call waiting
        (``call_waiting``) is offered it, as at arrival (a member freeing before then
        who has not rung this round takes it)."""
        self.wait(call)
        if call.waiting:
            group = call.group
            assert group is not None
            At(self.engine.env, group.rering, (call, call.queued_at), PATIENCE + call.id
               ).callbacks.append(self._new_round)

    def _new_round(self, event: Event) -> None:
        call, queued_at = cast(tuple[Call, int], event.value)
        if not call.waiting or call.queued_at != queued_at:
            return  # gone, timed out, or rung meanwhile (a later round is due)
        group = call.group
        assert group is not None
        call.tried = 0
        call.waited = 0
        # the round's offers draw their pick-ups afresh: ordinals after the last round's
        call.next_ordinal = max(call.next_ordinal, call.base + len(group.members))
        call.base = call.next_ordinal
        call.shift = call.base - call.offers
        call.next_ordinal = call.base + len(group.members)
        waiting = self.engine.waiting
        if group.idle_bits or (waiting is not None and waiting.eligible(group, call)):
            self._leave(call)
            self.engine.hunt(call)

    def _max_wait_reached(self, event: Event) -> None:
        call, hop = cast(tuple[Call, int], event.value)
        if call.waiting and call.forwards == hop:
            self._leave(call)
            if call.gone(self.engine.env.now):
                self.engine.end_call(call, Outcome.ABANDONED)
            else:
                self.engine.move_on(call, QUEUE_TIMEOUT)

    def _patience_ran_out(self, event: Event) -> None:
        call = cast(Call, event.value)
        if call.waiting:
            self._leave(call)
            self.engine.end_call(call, Outcome.ABANDONED)

    def _offer_callback(self, event: Event) -> None:
        call, hop = cast(tuple[Call, int], event.value)
        if not call.waiting or call.forwards != hop or call.gone(self.engine.env.now):
            return  # ringing, gone, or in another group
        group = call.group
        assert group is not None
        offer = self.callbacks[group.index]
        assert offer is not None
        if offer[2].random() >= offer[0].accept:
            return
        call.waiting = False  # in the queue, not on the line: see the module docstring
        call.call_back = True
        call.queued_at = self.engine.env.now  # (left the line: never recorded as ended before)
        call.deadline = _INF
        bits = group.can_call_back(call)
        if bits:  # a member is free (who was offered the call), of a penalty that may: at once
            self.call_back(group, call, group.members[(bits & -bits).bit_length() - 1])

    def call_back(self, group: Group, call: Call, member: Member) -> None:
        """The member calls back the caller who took a call back."""
        group.queue.remove(call)
        call.call_back = False
        engine = self.engine
        now = engine.env.now
        offer = self.callbacks[group.index]
        assert offer is not None
        engine.add_callback(call.id, now / TICKS_PER_SECOND)
        engine.block(member, BUSY)
        if offer[2].random() < offer[0].reached:
            engine.answer(call, member, Outcome.CALLED_BACK)
        else:
            engine.end_call(call, Outcome.CALLBACK_MISSED)
            At(engine.env, group.timeout, member, member.free_priority).callbacks.append(
                lambda event: engine.release(cast(Member, event.value)))

    def _leave(self, call: Call) -> None:
        call.waiting = False
        assert call.group is not None
        call.group.queue.remove(call)

    def serve(self, group: Group, member: Member) -> None:
        """The member is free: the first caller in the queue for whom they can be
        rung hunts again, and so on while the member stays free.

        Iterative: whatever rings start here end in later events, so serving a
        long queue never nests calls.
        """
        queue = group.queue
        bit = member.bit
        while not member.blocked:
            for call in queue:
                # took a call back (a free member calls, as penalties allow), or can
                # ring the member
                if (group.can_call_back(call) if call.call_back
                        else group.ringable(call)) & bit:
                    self.take(group, call, member)
                    break
            else:
                return

    def take(self, group: Group, call: Call, member: Member) -> None:
        """The free member serves the caller in the group's queue: calls them back if
        they took a call back, else the call leaves the queue and hunts again."""
        if call.call_back:
            self.call_back(group, call, member)
            return
        group.queue.remove(call)
        call.waiting = False
        self.engine.hunt(call)

    def hang_up_stranded(self) -> None:
        """Nothing is left to happen: callers still waiting hang up at the end of the
        run (or, if they joined the queue after it, then), so that every call is recorded."""
        engine = self.engine
        end = engine.end
        if engine.env.now < end:
            engine.env.run(until=end)  # (so nobody redials: no redial at or after the end)
        for group in engine.groups:
            stranded, group.queue = group.queue, []
            for call in stranded:
                outcome = Outcome.CALLBACK_MISSED if call.call_back else Outcome.ABANDONED
                call.waiting = call.call_back = False
                engine.end_call(call, outcome, ended=max(end, call.queued_at))


def _place(call: Call) -> tuple[int, int]:
    """A call's place in its group's queue: when it reached the group, then its id."""
    return call.entered, call.id
