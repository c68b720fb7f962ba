"""The SimPy model: calls arrive, ring members, get answered or go to voicemail.

This is the only module that imports SimPy. One SimPy process per arrival
stream generates calls; each call then moves by callbacks on SimPy timeouts.
Every random quantity of a ring offer (whether the member picks up, and
after how long) is drawn when the offer starts, so the offer's end is known
at once and costs a single event, whichever of pick-up, time-out or the
caller hanging up comes first.

Semantics (see "Timing rules" in the README):

* Time has a resolution of one microsecond: every time the engine handles
  (arrival, answer delay, ring time-out, patience, talk, wrap-up) is rounded
  to a whole number of microseconds and kept as an integer, so sums and
  comparisons are exact. A pick-up delay equal to the time-out answers.
* Events at the same instant happen in a fixed order that never depends on how
  they were created: first presence changes (schedules, opening hours,
  absences), then members free up (talk and wrap-up over; in list order), then
  rings end (oldest call first), then patience runs out, then new
  calls arrive (hunt groups in file order, then direct calls in agent order).
  So a member whose call ends at t is free for every call arriving at t.
* An answer at the instant the caller's patience runs out is taken; otherwise a
  caller whose patience has run out starts nothing more (no next ring, no
  voicemail, no queue): the call is abandoned at that instant.
* A member can be rung when nothing blocks them: their line is busy (ringing,
  talking, or in wrap-up), they are logged out (outside their ``schedule``),
  away (an absence with ``skipped``) or not ready (after ``after_missed``).
  Presence changes come first at an instant: a member whose schedule starts
  at t is there for a call at t, one whose schedule ends at t is not (even if
  their call ends at t).
* A pilot call outside its group's ``open`` hours gets ``after_hours``
  treatment at once and rings nobody.
  Busy members are skipped without ringing; each member is offered a given
  call at most once.
* An offer rings for ``no_answer_rings * ring_cycle`` seconds. The member
  picks up with ``answer_probability`` after ``answer_delay``; a delay past
  the time-out is no answer.
* A pilot call that finds every member busy gets ``when_all_busy``. One that
  every idle member let ring goes to the pilot's voicemail, or ``no_answer``.
  With ``queue`` the caller instead waits for the next member who frees up
  and has not yet been offered the call; a caller who is ringing a member
  does not hold the head of the queue. Simultaneous rings the members once,
  all who are idle when the call arrives; without a queue the call then goes
  to voicemail (a member who frees during the ring is not added).
* Callers with a patience hang up when it runs out, ringing or waiting.
  Calls in progress at the end of the run play out; a caller still waiting
  when nothing more can happen (no member will be free for them again, e.g.
  every member logged out for good) hangs up at the end of the run, or when
  they joined the queue if that was later: every call that arrives is recorded.
* A group may pass a call on (``forward``) instead of its all-busy, no-answer,
  queue time-out or after-hours treatment: to another group, where the call
  hunts at once with its arrival time and patience, or out of the office
  (outcome ``forwarded``). ``max_wait`` counts from reaching the group and runs
  out in the patience phase; ``max_queue`` turns away callers who find the
  queue full. Staggered groups ring one more member every ``stagger``, each
  until the time-out from their own first ring.
* A caller whose attempt ended in one of the group's ``redial`` outcomes may
  call again after a delay; redials arrive after new calls at the same instant
  (by caller), never at or after the end of the run, and draw their luck from
  the caller's own streams (attempt ``k`` from ordinals ``k * 2**20 + j``).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Generator, Iterator
from typing import Any, cast

import numpy as np
import simpy
from numpy.typing import NDArray

from huntsim.scenario.arrivals import Arrivals, arrival_blocks
from huntsim.scenario.distributions import Distribution
from huntsim.scenario.model import Scenario
from huntsim.scenario.routing import forward_target
from huntsim.sim.clock import TICKS_PER_SECOND, ticks, ticks_of
from huntsim.sim.events import (
    ARRIVAL,
    PATIENCE,
    PRESENCE,
    RING_END,
    At,
    Environment,
)
from huntsim.sim.policies import make_policy
from huntsim.sim.presence import AWAY as _AWAY
from huntsim.sim.presence import BUSY as _BUSY
from huntsim.sim.presence import LOGGED_OUT as _LOGGED_OUT
from huntsim.sim.presence import NOT_READY as _NOT_READY
from huntsim.sim.presence import Presence, uses_presence
from huntsim.sim.records import DIRECT, PILOT, Absence, Outcome, Recorder, RingResult
from huntsim.sim.redials import Redials, uses_redials
from huntsim.sim.state import Call, Group, Member
from huntsim.sim.streams import TicketBlock, Tickets, generator

__all__ = ["run_model"]

_NaN = math.nan
_INF = math.inf




class _Model:
    """Wiring of one run: members, groups, arrival processes and the call log."""

    def __init__(self, scenario: Scenario, seed: int, recorder: Recorder) -> None:
        self.env = Environment()
        self.scenario = scenario
        self.add_call = recorder.add_call
        self.add_offer = recorder.add_offer
        self.add_absence = recorder.add_absence
        self.add_route = recorder.add_route
        self.end = ticks(scenario.duration)
        keys: dict[Distribution, int] = {}

        def key_of(distribution: Distribution) -> int:
            return keys.setdefault(distribution, len(keys))

        self.members = [Member(i, a, scenario, key_of) for i, a in enumerate(scenario.agents)]
        by_number = {a.number: m for a, m in zip(scenario.agents, self.members, strict=True)}
        self.groups: list[Group] = []
        for g, spec in enumerate(scenario.hunt_groups):
            members = [by_number[n] for n in spec.members]
            policy = make_policy(spec, generator(seed, "group", spec.pilot, "policy"))
            group = Group(g, spec, members, policy, scenario.ring_cycle)
            for position, member in enumerate(members):
                member.group = group
                member.position = position
            self.groups.append(group)
        self._forward_targets()
        self.redials = Redials(self, scenario) if uses_redials(scenario) else None
        self.next_call_id = 0
        self.hops: list[tuple[Call, Group]] = []
        self.hopping = False
        self.presence = Presence.start(self, seed) if uses_presence(scenario) else None
        self.counts_misses = any(m.miss_limit for m in self.members)
        self._start_arrivals(seed)

    def _forward_targets(self) -> None:
        """Where each group forwards, once every group exists."""
        scenario = self.scenario
        pilots = [g.pilot for g in scenario.hunt_groups]
        for group, spec in zip(self.groups, scenario.hunt_groups, strict=True):
            if spec.forward is not None:
                target = forward_target(spec.forward, pilots)
                group.forward_to = self.groups[pilots.index(target)] if target else None

    # ----------------------------------------------------------------- arrivals
    def _start_arrivals(self, seed: int) -> None:
        scenario = self.scenario
        streams: list[tuple[Arrivals | None, tuple[str, str], str, Callable[..., None], Any]] = [
            (spec.arrivals, ("group", spec.pilot), "arrivals", self._pilot_call, group)
            for group, spec in zip(self.groups, scenario.hunt_groups, strict=True)
        ] + [
            (agent.direct_calls, ("agent", agent.number), "direct_calls", self._direct_call,
             member)
            for member, agent in zip(self.members, scenario.agents, strict=True)
        ]
        for rank, (arrivals, source, name, handle, target) in enumerate(streams):
            if arrivals is not None:
                times = arrival_blocks(arrivals, generator(seed, *source, name),
                                       scenario.duration)
                tickets = Tickets(seed, source, scenario.caller_patience)
                self.env.process(self._arrive(times, tickets, handle, target, ARRIVAL + rank))

    def _arrive(self, times: Iterator[NDArray[np.float64]], tickets: Tickets,
                handle: Callable[[Any, TicketBlock, int], None], target: Any, priority: int,
                ) -> Generator[simpy.Event, None, None]:
        env = self.env
        take = tickets.take
        end = ticks(self.scenario.duration)
        for block in times:
            for t in ticks_of(block):
                if t >= end:  # rounded to the microsecond, it falls at the end
                    return
                gap = t - env.now
                yield At(env, gap if gap > 0 else 0, None, priority)
                ticket, row = take()
                handle(target, ticket, row)

    def new_call(self, kind: int, group: Group | None, dialed: int, block: TicketBlock,
                 row: int, patience: list[int] | None) -> Call:
        """A call arriving now, with the patience of the caller at ``row`` of ``block``."""
        now = self.env.now
        deadline = now + patience[row] if patience is not None else _INF
        call = Call(self.next_call_id, kind, group, dialed, now, block, row, deadline)
        self.next_call_id += 1
        return call

    # -------------------------------------------------------------- pilot calls
    def _pilot_call(self, group: Group, block: TicketBlock, row: int) -> None:
        self._reach(self.new_call(PILOT, group, group.index, block, row, block.patience), group)

    def enter(self, call: Call, group: Group) -> None:
        """The call reaches a group by a redial or a forward."""
        call.group = group
        call.entered = self.env.now
        call.tried = 0
        call.position = 0
        call.order = ()
        # each member of the group has an ordinal of its own in the caller's streams
        call.base = call.next_ordinal
        call.shift = call.base - call.offers
        call.next_ordinal = call.base + len(group.members)
        self._reach(call, group)

    def _reach(self, call: Call, group: Group) -> None:
        """The call is at ``group``: after hours, all busy, or it hunts."""
        now = self.env.now
        if not group.is_open:
            call.closed_hops |= 1 << min(call.forwards, 15)
            if "after_hours" in group.forward_cases:
                self._forward(call)
            else:
                self._end(call, group.after_hours)
            return
        if group.idle == 0:
            if call.deadline <= now:  # no patience left: gone at once
                self._end(call, Outcome.ABANDONED)
            else:
                self._all_busy(call)
            return
        call.order = group.policy.order()
        self._hunt(call)

    def _all_busy(self, call: Call) -> None:
        """Every member is busy: queue if there is room, else forward or give up."""
        group = call.group
        assert group is not None
        if group.queueing and (group.max_queue < 0 or len(group.queue) < group.max_queue):
            self._wait(call)
        elif "all_busy" in group.forward_cases:
            self._forward(call)
        else:
            self._end(call, group.all_busy_outcome)

    def _nobody_answered(self, call: Call) -> None:
        """Every idle member let the call ring out: forward, voicemail or no answer."""
        self._forward_or_end(call, "no_answer", Outcome.NO_ANSWER)

    def _queue_timed_out(self, call: Call) -> None:
        """The caller waited ``max_wait``: forward, voicemail or busy."""
        self._forward_or_end(call, "queue_timeout", Outcome.BUSY)

    def _forward_or_end(self, call: Call, case: str, without_voicemail: int) -> None:
        """Forward the call if its group forwards in ``case``, else end it at the
        pilot's voicemail (or with ``without_voicemail`` when there is none)."""
        group = call.group
        assert group is not None
        if case in group.forward_cases:
            self._forward(call)
        else:
            self._end(call, Outcome.VOICEMAIL if group.voicemail else without_voicemail)

    def _forward(self, call: Call) -> None:
        """Pass the call to the group's forward target (another group, or out).

        Iterative: a call passed along a chain of groups that all forward at once
        takes one loop here per group, not one stack frame each.
        """
        group = call.group
        assert group is not None
        if call.deadline <= self.env.now:
            self._end(call, Outcome.ABANDONED)
            return
        if group.forward_to is None:
            self._end(call, Outcome.FORWARDED)
            return
        call.forwards += 1
        # the next group's members take ordinals after this one's (see _enter)
        call.next_ordinal = max(call.next_ordinal, call.base + len(group.members))
        self.hops.append((call, group.forward_to))
        if self.hopping:
            return  # the loop below, further up the stack, takes it
        self.hopping = True
        while self.hops:
            moving, target = self.hops.pop(0)
            self.enter(moving, target)
        self.hopping = False

    def _hunt(self, call: Call) -> None:
        """Offer the call to the next idle member who has not had it yet."""
        group = call.group
        assert group is not None
        if call.deadline <= self.env.now:
            self._end(call, Outcome.ABANDONED)
            return
        members = group.members
        order = call.order or group.policy.order()
        call.order = order
        tried = call.tried
        if group.staggered:
            self._stagger(call)
            return
        if group.simultaneous:
            # one round without a queue: everyone idle rang at once, and nobody took it
            if group.queueing or not tried:
                ringing = [m for m in members
                           if not m.blocked and not (tried >> m.position) & 1]
                if ringing:
                    self._ring_all(call, ringing)
                    return
        else:
            position = 0 if group.queueing else call.position
            while position < len(order):
                p = order[position]
                position += 1
                member = members[p]
                if not member.blocked and not (tried >> p) & 1:
                    call.position = position
                    self._ring(call, member, group.timeout)
                    return
            call.position = position
        self._hunt_over(call)

    def _hunt_over(self, call: Call) -> None:
        """Nobody idle is left to ring: back to the queue, or the no-answer treatment."""
        group = call.group
        assert group is not None
        if group.queueing and call.tried != group.full_mask:
            self._wait(call)
        else:
            self._nobody_answered(call)

    def _wait(self, call: Call) -> None:
        group = call.group
        assert group is not None
        now = self.env.now
        if call.deadline <= now:
            self._end(call, Outcome.ABANDONED)
            return
        if group.max_wait >= 0:
            limit = call.entered + group.max_wait
            if limit <= now:
                self._queue_timed_out(call)
                return
            if call.timed_hop != call.forwards:
                # first time in this group's queue: one timer, at the limit
                call.timed_hop = call.forwards
                At(self.env, limit - now, (call, call.forwards), PATIENCE + call.id
                    ).callbacks.append(self._max_wait_reached)
        call.waiting = True
        call.queued_at = now
        bisect.insort(group.queue, call, key=_call_id)
        if not call.patience_scheduled and call.deadline < _INF:
            # one timer per call, at its deadline; while the call rings it does nothing
            call.patience_scheduled = True
            At(self.env, int(call.deadline) - now, call, PATIENCE + call.id).callbacks.append(
                self._patience_ran_out)

    def _max_wait_reached(self, event: simpy.Event) -> None:
        call, hop = cast(tuple[Call, int], event.value)
        if call.waiting and call.forwards == hop:
            call.waiting = False
            assert call.group is not None
            call.group.queue.remove(call)
            if call.deadline <= self.env.now:
                self._end(call, Outcome.ABANDONED)
            else:
                self._queue_timed_out(call)

    def _patience_ran_out(self, event: simpy.Event) -> None:
        call = cast(Call, event.value)
        if call.waiting:
            call.waiting = False
            assert call.group is not None
            call.group.queue.remove(call)
            self._end(call, Outcome.ABANDONED)

    def hang_up_stranded(self) -> None:
        """Nothing is left to happen: callers still waiting hang up at the end of the
        run (or, if they joined the queue after it, then), so that every call is recorded."""
        end = ticks(self.scenario.duration)
        if self.env.now < end:
            self.env.run(until=end)  # (so nobody redials: no redial at or after the end)
        for group in self.groups:
            stranded, group.queue = group.queue, []
            for call in stranded:
                call.waiting = False
                self._end(call, Outcome.ABANDONED, ended=max(end, call.queued_at))

    def _serve_queue(self, group: Group, member: Member) -> None:
        """A member of a queueing group is free: the longest waiting caller who
        has not had them yet is offered the call.

        Iterative: whatever rings start here end in later events, so serving a
        long queue never nests calls.
        """
        bit = 1 << member.position
        queue = group.queue
        while not member.blocked:
            for i, call in enumerate(queue):
                if not call.tried & bit:
                    del queue[i]
                    call.waiting = False
                    self._hunt(call)
                    break
            else:
                return

    # ------------------------------------------------------------- direct calls
    def _direct_call(self, member: Member, block: TicketBlock, row: int) -> None:
        call = self.new_call(DIRECT, None, len(self.groups) + member.index, block, row,
                             block.patience)
        blocked = member.blocked
        if call.deadline <= self.env.now:
            self._end(call, Outcome.ABANDONED)
        elif blocked & _BUSY:
            self._end(call, Outcome.VOICEMAIL if member.voicemail else Outcome.BUSY)
        elif blocked & (_LOGGED_OUT | _AWAY):
            self._end(call, Outcome.VOICEMAIL if member.voicemail else Outcome.NO_ANSWER)
        else:
            self._ring(call, member, member.direct_timeout)

    # ------------------------------------------------------------------ ringing
    def _occupy(self, member: Member) -> None:
        # block(member, _BUSY), inlined: this is the hot path
        if not member.blocked and member.group is not None:
            member.group.idle -= 1
        member.blocked |= _BUSY

    def _release(self, member: Member) -> None:
        blocked = member.blocked & ~_BUSY
        member.blocked = blocked
        if blocked or member.away_pending:
            if not blocked:
                self.unblock(member, 0)
            return
        self._available(member)

    def _available(self, member: Member) -> None:
        """Nothing blocks the member any more: they count as idle and serve the queue."""
        group = member.group
        if group is not None:
            group.idle += 1
            if group.queue:
                self._serve_queue(group, member)

    # ------------------------------------------------------- presence interface
    @property
    def now(self) -> int:
        """The current time, in ticks."""
        return self.env.now

    def at(self, delay: int, rank: int, action: Callable[[Any], None], value: Any) -> None:
        """Run ``action(value)`` after ``delay`` ticks, in the presence phase, by
        ``rank`` (after the rank's :meth:`at_edges` at the same instant)."""
        At(self.env, delay, value, PRESENCE + 2 * rank + 1).callbacks.append(
            lambda event: action(event.value))

    def at_edges(self, edges: NDArray[np.int64], rank: int,
                 action: Callable[[Any, int], None], value: Any) -> None:
        """Run ``action(value, k)`` at tick ``edges[k]`` for each ``k``, in the presence
        phase, by ``rank``, first of the rank's events at an instant.

        Each edge is scheduled when the one before it has passed, so a run of
        any length holds one pending edge per schedule, not all of them.
        """
        env, priority = self.env, PRESENCE + 2 * rank

        def schedule(k: int) -> None:
            if k < len(edges):
                At(env, int(edges[k]) - env.now, k, priority).callbacks.append(passed)

        def passed(event: simpy.Event) -> None:
            k = cast(int, event.value)
            schedule(k + 1)
            action(value, k)

        schedule(0)

    def block(self, member: Member, reason: int) -> None:
        """Add a reason that keeps the member from being rung."""
        if not member.blocked and member.group is not None:
            member.group.idle -= 1
        member.blocked |= reason

    def unblock(self, member: Member, reason: int) -> None:
        """Lift one reason; a member nothing blocks any more is available at once."""
        member.blocked &= ~reason
        if member.blocked:
            return
        if member.away_pending:
            member.away_pending = False
            if self.presence is not None and self.presence.start_away(member, counted=False):
                return
        self._available(member)

    def _ring(self, call: Call, member: Member, timeout: int) -> None:
        """Ring one member; the offer's end is known now, so it is one event."""
        self._occupy(member)
        picks_up, delay = member.picks_up(call.block, call.row, call.offers + call.shift)
        call.offers += 1
        if call.group is not None:
            call.tried |= 1 << member.position
            if call.group.on_offered is not None:
                call.group.on_offered(member.position)
        answers = picks_up and delay <= timeout
        self._until_first_event(call, [member], member if answers else None, delay, timeout)

    # ---------------------------------------------------------- staggered ring
    def _stagger(self, call: Call) -> None:
        """Start a staggered ring: the first idle member now, the next every ``stagger``."""
        call.staggered = []
        call.position = 0
        self._stagger_join(call)
        if call.staggered:
            self._stagger_next_step(call)
        else:
            self._hunt_over(call)

    def _stagger_join(self, call: Call) -> None:
        """The next idle member in list order who has not had the call starts ringing."""
        group = call.group
        assert group is not None
        members = group.members
        order = call.order
        now = self.env.now
        position = call.position
        while position < len(order):
            member = members[order[position]]
            position += 1
            if not member.blocked and not (call.tried >> member.position) & 1:
                self._occupy(member)
                call.tried |= 1 << member.position
                if group.on_offered is not None:
                    group.on_offered(member.position)
                picks_up, delay = member.picks_up(call.block, call.row,
                                                  call.base + member.position)
                call.offers += 1
                pick = now + delay if picks_up and delay <= group.timeout else -1
                call.staggered.append([member, now, pick, now + group.timeout])
                break
        call.position = position
        call.next_join = now + group.stagger if position < len(order) else -1

    def _stagger_next_step(self, call: Call) -> None:
        """One event at the next thing that can happen: a pick-up, a time-out,
        the next member joining or the caller hanging up."""
        now = self.env.now
        when = call.next_join if call.next_join >= 0 else _INF
        for _member, _start, pick, end in call.staggered:
            when = min(when, end, pick if pick >= 0 else _INF)
        when = min(when, call.deadline)
        call.step += 1
        At(self.env, int(when) - now, (call, call.step), RING_END + call.id
            ).callbacks.append(self._stagger_step)

    def _stagger_step(self, event: simpy.Event) -> None:
        call, step = cast(tuple[Call, int], event.value)
        if step != call.step:
            return
        now = self.env.now
        arrival_s = call.arrival / TICKS_PER_SECOND
        now_s = now / TICKS_PER_SECOND
        offers = call.staggered
        picked = [o for o in offers if 0 <= o[2] <= now]
        if picked:
            # the first pick-up (ties: list order) takes it, also at the caller's deadline
            winner = min(picked, key=lambda o: (o[2], o[0].position))[0]
            call.staggered = []
            for member, start, _pick, _end in offers:
                result = (RingResult.ANSWERED if member is winner
                          else RingResult.ANSWERED_ELSEWHERE)
                self.add_offer(call.id, arrival_s, member.index, start / TICKS_PER_SECOND,
                               now_s, result)
            self._answer(call, winner)
            if self.counts_misses:
                self._count_misses([winner], winner, False)
            for member, *_ in offers:
                if member is not winner:
                    self._release(member)
            return
        # rings that ran their time-out end as no answer, even as the caller gives up
        expired = [o for o in offers if o[3] <= now]
        if expired:
            offers = call.staggered = [o for o in offers if o[3] > now]
            for member, start, _pick, _end in expired:
                self.add_offer(call.id, arrival_s, member.index, start / TICKS_PER_SECOND,
                               now_s, RingResult.NO_ANSWER)
        if call.deadline <= now:
            call.staggered = []
            for member, start, _pick, _end in offers:
                self.add_offer(call.id, arrival_s, member.index, start / TICKS_PER_SECOND,
                               now_s, RingResult.CALLER_HUNG_UP)
            self._end(call, Outcome.ABANDONED)
        else:
            if 0 <= call.next_join <= now:
                self._stagger_join(call)
            if call.staggered or call.next_join >= 0:
                self._stagger_next_step(call)
            else:
                self._hunt_over(call)
        # the call has moved on; only now are the members it rang free again
        hung_up = [o[0] for o in offers] if call.deadline <= now else []
        if expired:
            rang_out = [o[0] for o in expired]
            if self.counts_misses:
                self._count_misses(rang_out, None, True)
            for member in rang_out:
                self._release(member)
        for member in hung_up:
            self._release(member)

    def _ring_all(self, call: Call, ringing: list[Member]) -> None:
        """Ring several members at once; the first to pick up takes the call."""
        group = call.group
        assert group is not None
        timeout = group.timeout
        winner: Member | None = None
        winner_delay = timeout + 1
        for member in ringing:
            self._occupy(member)
            call.tried |= 1 << member.position
            if group.on_offered is not None:
                group.on_offered(member.position)
            picks_up, delay = member.picks_up(call.block, call.row,
                                              call.base + member.position)
            if picks_up and delay < winner_delay:  # ties go to list order
                winner, winner_delay = member, delay
        call.offers += len(ringing)
        self._until_first_event(call, ringing, winner, winner_delay, timeout)

    def _until_first_event(self, call: Call, ringing: list[Member], winner: Member | None,
                           winner_delay: int, timeout: int) -> None:
        """Ring until the pick-up, the time-out or the caller's hang-up, whichever is first.

        The end is an event, so that it takes its place among same-instant
        events and nothing nests; except a pick-up at once by the only member
        rung, which frees nobody, so ending it here changes nothing but speed.
        """
        now = self.env.now
        if winner is not None:
            ring, result = winner_delay, RingResult.ANSWERED
        else:
            ring, result = timeout, RingResult.NO_ANSWER
        if call.deadline < now + ring:  # an answer at the deadline is still taken
            ring, result, winner = int(call.deadline) - now, RingResult.CALLER_HUNG_UP, None
        call.ring_members = ringing
        call.ring_winner = winner
        call.ring_result = result
        call.ring_start = now
        if ring == 0 and winner is not None and len(ringing) == 1:
            self._ring_over(call)
        else:
            At(self.env, ring, call, RING_END + call.id).callbacks.append(self._ring_ended)

    def _ring_ended(self, event: simpy.Event) -> None:
        self._ring_over(cast(Call, event.value))

    def _ring_over(self, call: Call) -> None:
        now = self.env.now
        add_offer = self.add_offer
        result = call.ring_result
        winner = call.ring_winner
        ringing = call.ring_members
        call.ring_members = []
        others = RingResult.ANSWERED_ELSEWHERE if winner is not None else result
        arrival_s = call.arrival / TICKS_PER_SECOND
        start_s = call.ring_start / TICKS_PER_SECOND
        now_s = now / TICKS_PER_SECOND
        for member in ringing:
            add_offer(call.id, arrival_s, member.index, start_s, now_s,
                      result if member is winner else others)
        if winner is not None:
            self._answer(call, winner)
        elif result == RingResult.CALLER_HUNG_UP:
            self._end(call, Outcome.ABANDONED)
        elif call.group is not None:
            self._hunt(call)
        elif call.deadline <= now:  # the direct call rang out as the caller gave up
            self._end(call, Outcome.ABANDONED)
        else:
            member = ringing[0]
            self._end(call, Outcome.VOICEMAIL if member.voicemail else Outcome.NO_ANSWER)
        # the call has moved on; only now are the members it rang free again
        if self.counts_misses and call.group is not None:
            self._count_misses(ringing, winner, result == RingResult.NO_ANSWER)
        for member in ringing:
            if member is not winner:
                self._release(member)

    def _count_misses(self, ringing: list[Member], winner: Member | None,
                      missed: bool) -> None:
        """``after_missed``: group rings let ring out in a row; an answer starts afresh."""
        for member in ringing:
            if not member.miss_limit:
                continue
            if member is winner:
                member.misses = 0
            elif missed:
                member.misses += 1
                if member.misses >= member.miss_limit:
                    member.misses = 0
                    self._not_ready(member)

    # ---------------------------------------------------------------- answering
    def _answer(self, call: Call, member: Member) -> None:
        now = self.env.now
        talk = member.talk_constant
        if talk is None:
            talk = call.block.talk(member.talk_key, member.talk_time, call.attempt)[call.row]
        wrap_up = member.wrap_up_constant
        if wrap_up is None:
            wrap_up = call.block.wrap_up(member.wrap_up_key, member.wrap_up,
                                         call.attempt)[call.row]
        second = TICKS_PER_SECOND
        self._record(call, Outcome.ANSWERED, member.index, now / second, talk / second,
                     wrap_up / second, (now + talk) / second)
        group = member.group
        if group is not None:
            via_pilot = call.group is not None
            if via_pilot and group.on_answered is not None:
                group.on_answered(member.position)
            if group.on_call_ended is not None:
                # idle from the moment the member is free again (after wrap-up)
                group.on_call_ended(member.position, now + talk + wrap_up, via_pilot)
        At(self.env, talk + wrap_up, member, member.free_priority).callbacks.append(self._free)

    def _free(self, event: simpy.Event) -> None:
        self._release(cast(Member, event.value))

    def _not_ready(self, member: Member) -> None:
        """After too many missed group rings the member is skipped for a while."""
        now = self.env.now
        self.block(member, _NOT_READY)
        self.add_absence(member.index, Absence.NOT_READY, now / TICKS_PER_SECOND,
                         (now + member.not_ready_ticks) / TICKS_PER_SECOND)
        At(self.env, member.not_ready_ticks, member, PRESENCE + 2 * member.index + 1
            ).callbacks.append(self._ready_again)

    def _ready_again(self, event: simpy.Event) -> None:
        self.unblock(cast(Member, event.value), _NOT_READY)

    def _end(self, call: Call, outcome: int, ended: int = -1) -> None:
        """The call ends unanswered with ``outcome``, now (or at ``ended``): recorded;
        its caller may call again."""
        self._record(call, outcome, -1, _NaN, _NaN, _NaN,
                     (self.env.now if ended < 0 else ended) / TICKS_PER_SECOND)
        if self.redials is not None:
            self.redials.after(call, outcome)

    def _record(self, call: Call, outcome: int, agent: int, answer_s: float, talk_s: float,
                wrap_up_s: float, end_s: float) -> None:
        """Report the call that ended to the recorder (times in seconds)."""
        second = TICKS_PER_SECOND
        if call.attempt or call.forwards:
            self.add_route(call.id, call.caller_id, call.attempt + 1, call.forwards,
                           call.closed_hops,
                           (call.caller_arrival if call.attempt else call.arrival) / second,
                           call.caller_closed)
        self.add_call(call.id, call.kind, call.group.index if call.group is not None else -1,
                      call.dialed, call.arrival / second, outcome, agent, answer_s, talk_s,
                      wrap_up_s, end_s, call.offers, bool(call.closed_hops & 1))


def _call_id(call: Call) -> int:
    return call.id


def run_model(scenario: Scenario, seed: int, recorder: Recorder) -> None:
    """Simulate ``scenario`` with ``seed`` until every call has ended.

    Parameters
    ----------
    scenario : Scenario
        What to simulate.
    seed : int
        Entropy of :class:`numpy.random.SeedSequence`; each source of
        randomness gets its own stream from it.
    recorder : Recorder
        Receives every call (including those of the warm-up) and every ring offer:
        a :class:`~huntsim.sim.records.CallLog` keeps them all,
        :class:`~huntsim.sim.totals.RunningTotals` only running sums.
    """
    model = _Model(scenario, seed, recorder)
    model.env.run()
    model.hang_up_stranded()
