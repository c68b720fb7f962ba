"""Queues: callers who wait for a member of a group with ``when_all_busy: queue``.

Built only for a scenario where some group queues (:func:`uses_queues`); a
run without queues never consults it. A group's queue holds its waiting calls
by call id, so the caller who called first is served first; a caller who is
ringing a member is out of the queue meanwhile, and back in their place if
nobody picks up. A member who frees up serves the first caller in the queue
for whom they can be rung (who has not been offered the call by them yet).

Each waiting call has at most two timers: its patience (one for the call's
whole life; while the call rings it does nothing) and ``max_wait`` (one per
group the call reaches, counted from reaching it; while the call rings it does
nothing either: the engine ends a ring at the limit itself, see
:meth:`~huntsim.sim.engine.Engine.ring_until`). Both run out in the
patience phase (:mod:`huntsim.sim.events`), after members free up at that
instant: a member freeing then still takes the caller.
"""

from __future__ import annotations

import bisect
import math
from typing import Protocol, cast

from huntsim.scenario.model import Scenario
from huntsim.sim.events import PATIENCE, At, Environment, Event
from huntsim.sim.records import Outcome
from huntsim.sim.state import QUEUE_TIMEOUT, Call, Group, Member

__all__ = ["Queues", "uses_queues"]

_INF = math.inf


class _Engine(Protocol):
    """What queues need of the engine."""

    env: Environment
    end: int
    groups: list[Group]

    def hunt(self, call: Call) -> None: ...

    def move_on(self, call: Call, case: int) -> None: ...

    def end_call(self, call: Call, outcome: int, ended: int = -1) -> None: ...


def uses_queues(scenario: Scenario) -> bool:
    """Whether any group keeps callers waiting when nobody can be rung."""
    return any(g.all_busy_treatment == "queue" for g in scenario.hunt_groups)


class Queues:
    """The queues of one run's groups, wired to the engine."""

    def __init__(self, engine: _Engine) -> None:
        self.engine = engine

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
        if group.max_wait >= 0:
            limit = call.entered + group.max_wait
            if limit <= now:
                engine.move_on(call, QUEUE_TIMEOUT)
                return
            if call.timed_hop != call.forwards:
                # first time in this group's queue: one timer, at the limit
                call.timed_hop = call.forwards
                At(engine.env, limit - now, (call, call.forwards), PATIENCE + call.id
                   ).callbacks.append(self._max_wait_reached)
        call.waiting = True
        call.queued_at = now
        bisect.insort(group.queue, call, key=_call_id)
        if not call.patience_scheduled and call.deadline < _INF:
            # one timer per call, at its deadline; while the call rings it does nothing
            call.patience_scheduled = True
            At(engine.env, int(call.deadline) - now, call, PATIENCE + call.id
               ).callbacks.append(self._patience_ran_out)

    def next_round(self, call: Call) -> None:
        """Nobody more can be rung for the call in this round (``rering``): it waits,
        its patience and ``max_wait`` running on, and after the group's ``rering`` a
        new round begins: every member can be rung for it again, and those free ring
        at once (a member freeing before then who has not rung this round takes it)."""
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
        # the round's offers draw their pick-ups afresh: ordinals after the last round's
        call.next_ordinal = max(call.next_ordinal, call.base + len(group.members))
        call.base = call.next_ordinal
        call.shift = call.base - call.offers
        call.next_ordinal = call.base + len(group.members)
        if group.idle_bits:
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
        while not member.blocked:
            for i, call in enumerate(queue):
                if group.ringable(call) & member.bit:
                    del queue[i]
                    call.waiting = False
                    self.engine.hunt(call)
                    break
            else:
                return

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
                call.waiting = False
                engine.end_call(call, Outcome.ABANDONED, ended=max(end, call.queued_at))


def _call_id(call: Call) -> int:
    return call.id
