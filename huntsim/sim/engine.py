"""The engine: how calls arrive, ring members, wait, and end.

One SimPy process per arrival stream (:mod:`huntsim.sim.arrival_streams`)
makes calls; each call then moves by callbacks on events of
:mod:`huntsim.sim.events` (the only module that imports SimPy). Every
random quantity of an offer (whether the member picks up, and after how long)
is drawn when the offer starts, so the offer's end is known at once and
costs a single event, whichever of pick-up, time-out or the caller hanging
up comes first.

The state of members, groups and calls is in :mod:`huntsim.sim.state`; this
module holds the transitions. What a run may not use is left to
collaborators that only a scenario using it builds: presence
(:mod:`huntsim.sim.presence`), ring styles that ring several members at once
(:mod:`huntsim.sim.ringing`), queues (:mod:`huntsim.sim.queueing`),
redials (:mod:`huntsim.sim.redials`), call waiting (:mod:`huntsim.sim.waiting`)
and members in several groups (:mod:`huntsim.sim.shared`).

A pilot call's states, the events that move it, and where each is handled:

=========  ==============================  ============================================
state      event (handled by)              next state
=========  ==============================  ============================================
arriving   group closed (``_reach``)       forwarded, or ended: after-hours treatment
arriving   nobody can be rung              waiting, forwarded, or ended: all-busy
           (``_reach``, ``move_on``)       treatment (abandoned if no patience is left)
arriving   someone can be rung             ringing
           (``_reach``, ``hunt``)
ringing    a pick-up (``_offers_end``)     ended: answered (the member is free again
                                           after talk and wrap-up: ``_free``)
ringing    the time-out (``_offers_end``)  ringing the next member who can be rung
                                           (``hunt``); with nobody left (``move_on``):
                                           waiting, forwarded, or ended: no-answer
                                           treatment
ringing    the caller hangs up             ended: abandoned
           (``_offers_end``)
ringing    nobody left, with ``rering``    waiting; after ``rering`` a new round: every
           (``move_on``,                   member can be rung for the call again
           ``Queues.next_round``)
ringing    ``max_wait`` runs out           the ring ends (offers: no answer);
           (``ring_until``,                forwarded, or ended: queue time-out
           ``_offers_end``)                treatment
ringing    the member rung logs out        as at the time-out, now (the offer ends as
           (``log_out``)                   no answer, not counted as missed); a ring
                                           style rings on with the others
waiting    a member frees up               ringing
           (``Queues.serve``)
waiting    patience runs out               ended: abandoned
waiting    ``max_wait`` runs out           forwarded, or ended: queue time-out
                                           treatment
waiting    ``offer_after`` in the group,   waiting for a call back: off the line, in its
           the call back taken             place; patience and ``max_wait`` stop
           (``Queues._offer_callback``)
call back  its place comes up, or a        ended: called back (the member talks and
           member is free                  wraps up), or callback missed (the member is
           (``Queues.call_back``)          busy for one ring time-out)
waiting    nothing more can happen         ended: abandoned (waiting for a call back:
           (``Queues.hang_up_stranded``)   callback missed), at the end of the run
forwarded  at once (``_forward``)          arriving at the next group (``enter``), or
                                           ended: forwarded out of the office
ended      (``answer``, ``end_call``)      recorded; after an unanswered outcome the
                                           group redials on, its caller may call again
                                           later: a new call (``Redials.after``)
=========  ==============================  ============================================

In a group whose ring style rings several members at once
(:mod:`huntsim.sim.ringing`), the ring style handles the ringing state's
events and moves the call on the same way.

A direct call rings its member alone, or ends at once: busy, or voicemail or
no answer when the member is logged out or away (``_direct_call``); after an
offer nobody took it ends at the member's voicemail, or no answer.

Semantics (see "Timing rules" in the README):

* Time has a resolution of one microsecond: every time the engine handles
  (arrival, answer delay, ring time-out, patience, talk, wrap-up) is rounded
  to a whole number of microseconds and kept as an integer, so sums and
  comparisons are exact. A pick-up delay equal to the time-out answers.
* Events at the same instant happen in a fixed order that never depends on how
  they were created (:mod:`huntsim.sim.events`): first presence changes
  (schedules, opening hours, absences), then members free up (talk and wrap-up
  over; in agent order), then offers end (oldest call first), then patience and
  ``max_wait`` run out, then new calls arrive (hunt groups in file order, then
  direct calls in agent order), then redials (by caller). So a member whose
  call ends at t is free for every call arriving at t.
* An answer at the instant the caller's patience runs out is taken; otherwise a
  caller whose patience has run out starts nothing more (no next offer, no
  voicemail, no queue): the call is abandoned at that instant.
* A member can be rung for a group call when nothing blocks them: not their
  line being busy (ringing, talking, or in wrap-up), nor being logged out
  (outside their ``schedule``), away (an absence with ``skipped``) or not
  ready (after ``after_missed``); and each member is offered a given call at
  most once in a group (once a round with ``rering``). Members who cannot be
  rung are skipped without ringing. Presence changes come first at an instant:
  a member whose schedule starts at t is there for a call at t, one whose
  schedule ends at t is not (even if their call ends at t). A call in progress
  when the member logs out finishes; an offer ringing them ends then as no
  answer, and the call goes on without them (a direct call to the member's
  voicemail, else no answer).
* Penalties (:mod:`huntsim.sim.penalties`): only the lowest penalty that can be
  rung is (of those the caller has waited for); a call back starts by this rule.
* ``call_waiting`` (:mod:`huntsim.sim.waiting`): a call nobody free is left to ring
  for rings a member on a call; picked up, their call is held until the new one's
  talk and wrap-up are over; not picked up, it is not their one offer of the call.
* A pilot call outside its group's ``open`` hours gets the ``after_hours``
  treatment at once and rings nobody.
* An offer rings for the group's time-out, ``no_answer_rings`` ring cycles
  (:meth:`~huntsim.scenario.model.Scenario.timeout_s`; on the clock, whole ring
  cycles of whole microseconds, as a direct call's). The member picks up
  with ``answer_probability`` after ``answer_delay``; a delay past the
  time-out is no answer.
* A pilot call that finds nobody who can be rung gets the all-busy treatment
  (``when_all_busy``): voicemail, busy, or the queue; a caller who finds the
  queue full (``max_queue``) gets the pilot's voicemail, else busy. A call
  that everyone who could be rung let ring out gets the no-answer treatment:
  the pilot's voicemail, else ``no_answer``. With ``queue`` the caller instead
  waits for the next member who frees up and has not yet been offered the
  call; a caller who is ringing a member does not hold the head of the queue.
* Callers with a patience hang up when it runs out, ringing or waiting.
  Calls in progress at the end of the run play out; a caller still waiting
  when nothing more can happen (no member will be free for them again, e.g.
  every member logged out for good) hangs up at the end of the run, or when
  they joined the queue if that was later: every call that arrives is recorded.
* A group may pass a call on (``forward``) instead of its all-busy, no-answer,
  queue time-out or after-hours treatment: to another group, where the call
  hunts at once with its arrival time and patience, or out of the office
  (outcome ``forwarded``). ``max_wait`` counts from reaching the group; the
  queue time-out treatment is the pilot's voicemail, else busy.
* ``max_wait`` bounds the whole stay in the group, ringing included (as
  Asterisk's queue ``timeout`` ends the ring): an offer still ringing when it
  runs out ends then, recorded as no answer (not a miss for ``after_missed``),
  and the call gets the queue time-out treatment. A pick-up at that very
  instant is taken; a caller whose patience runs out at that instant hangs up.
* With ``rering`` a queueing group rings in rounds: a call nobody more can be
  rung for waits, and ``rering`` later (in the patience phase, so after the
  members it rang are free) every member can be rung for it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from huntsim.scenario.distributions import Distribution
from huntsim.scenario.model import Scenario
from huntsim.scenario.routing import forward_target
from huntsim.sim.arrival_streams import start_arrivals
from huntsim.sim.clock import TICKS_PER_SECOND, ticks
from huntsim.sim.events import OFFER_END, PRESENCE, At, Environment, Event
from huntsim.sim.penalties import make_group
from huntsim.sim.policies import make_policy
from huntsim.sim.presence import AWAY, BUSY, LOGGED_OUT, Presence, uses_presence
from huntsim.sim.queueing import Queues, uses_queues
from huntsim.sim.records import DIRECT, PILOT, OfferResult, Outcome, Recorder
from huntsim.sim.redials import Redials, uses_redials
from huntsim.sim.ringing import ring_style
from huntsim.sim.shared import SharedMembers, uses_shared_members
from huntsim.sim.state import (
    AFTER_HOURS,
    ALL_BUSY,
    NO_ANSWER,
    QUEUE_TIMEOUT,
    Call,
    Group,
    Member,
)
from huntsim.sim.streams import TicketBlock, generator
from huntsim.sim.waiting import Waiting, uses_waiting

__all__ = ["Engine", "run_model"]

_NaN = math.nan
_INF = math.inf


class Engine:
    """The transitions of one run: its members, groups, arrival processes and
    the recorder that gets every call and offer.

    Parameters
    ----------
    scenario : Scenario
        What to simulate.
    seed : int
        Seed of every random stream (:mod:`huntsim.sim.streams`).
    recorder : Recorder
        Gets every call that ends, every offer and every absence.
    """

    def __init__(self, scenario: Scenario, seed: int, recorder: Recorder) -> None:
        self.env = Environment()
        self.scenario = scenario
        self.add_call = recorder.add_call
        self.add_offer = recorder.add_offer
        self.add_absence = recorder.add_absence
        self.add_route = recorder.add_route
        self.add_callback = recorder.add_callback
        self.add_waiting_offer = recorder.add_waiting_offer
        self.add_hold = recorder.add_hold
        self.end = ticks(scenario.duration)
        keys: dict[Distribution, int] = {}

        def key_of(distribution: Distribution) -> int:
            return keys.setdefault(distribution, len(keys))

        self.members = [Member(i, a, scenario, key_of) for i, a in enumerate(scenario.agents)]
        self.groups = self._groups(seed)
        self.shared = SharedMembers(self) if uses_shared_members(scenario) else None
        self.queues = Queues(self, seed) if uses_queues(scenario) else None
        self.redials = Redials(self, scenario) if uses_redials(scenario) else None
        self.waiting = Waiting(self, scenario, self.answer) if uses_waiting(scenario) else None
        if self.waiting is not None:  # its members' answers go through call waiting
            self.answer = self.waiting.answer  # type: ignore[method-assign]
        self.next_call_id = 0
        self.hops: list[tuple[Call, Group]] = []  # forwards not yet taken (see _forward)
        self.hopping = False
        self.presence = Presence.start(self, seed) if uses_presence(scenario) else None
        # who counts the group rings members let ring out (after_missed), if anyone does
        self.misses = self.presence if any(m.miss_limit for m in self.members) else None
        start_arrivals(self.env, scenario, seed, self.end, self._pilot_call, self.groups,
                       self._direct_call, self.members)

    def _groups(self, seed: int) -> list[Group]:
        """The groups, their members' places in them, ring styles and forward targets."""
        scenario = self.scenario
        by_number = {a.number: m for a, m in zip(scenario.agents, self.members, strict=True)}
        groups: list[Group] = []
        for g, spec in enumerate(scenario.hunt_groups):
            members = [by_number[n] for n in spec.members]
            policy = make_policy(spec, generator(seed, "group", spec.pilot, "policy"))
            timeout = spec.no_answer_rings * ticks(scenario.ring_cycle)  # whole ring cycles
            group = make_group(g, spec, members, policy, timeout, self)
            for position, member in enumerate(members):
                member.join(group, position)
            group.ring_style = ring_style(self, spec, group, scenario)
            groups.append(group)
        pilots = [g.pilot for g in scenario.hunt_groups]
        for group, spec in zip(groups, scenario.hunt_groups, strict=True):
            if spec.forward is not None:
                target = forward_target(spec.forward, pilots)
                group.forward_to = groups[pilots.index(target)] if target else None
        return groups

    # ----------------------------------------------------------------- arrivals
    def new_call(self, kind: int, group: Group | None, dialed: int, block: TicketBlock,
                 row: int, patience: list[int] | None) -> Call:
        """A call arriving now, with the patience of the caller at ``row`` of ``block``."""
        now = self.env.now
        deadline = now + patience[row] if patience is not None else _INF
        call = Call(self.next_call_id, kind, group, dialed, now, block, row, deadline)
        self.next_call_id += 1
        return call

    def _pilot_call(self, group: Group, block: TicketBlock, row: int) -> None:
        self._reach(self.new_call(PILOT, group, group.index, block, row, block.patience), group)

    def _direct_call(self, member: Member, block: TicketBlock, row: int) -> None:
        """A call to the member's own number rings them alone, or ends at once."""
        call = self.new_call(DIRECT, None, len(self.groups) + member.index, block, row,
                             block.patience)
        blocked = member.blocked
        if call.gone(self.env.now):
            self.end_call(call, Outcome.ABANDONED)
        elif blocked & BUSY:
            self.end_call(call, Outcome.VOICEMAIL if member.voicemail else Outcome.BUSY)
        elif blocked & (LOGGED_OUT | AWAY):
            self.end_call(call, Outcome.VOICEMAIL if member.voicemail else Outcome.NO_ANSWER)
        else:  # (a member who is only not ready still takes their own calls)
            self._ring(call, member, member.direct_timeout)

    # ------------------------------------------------------------------ routing
    def enter(self, call: Call, group: Group) -> None:
        """The call reaches a group by a redial or a forward."""
        call.group = group
        call.entered = self.env.now
        call.tried = 0
        if self.waiting is not None:
            call.waited = 0
        call.position = 0
        call.order = ()
        # each member of the group has an ordinal of its own in the caller's streams
        call.base = call.next_ordinal
        call.shift = call.base - call.offers
        call.next_ordinal = call.base + len(group.members)
        self._reach(call, group)

    def _reach(self, call: Call, group: Group) -> None:
        """The call is at ``group``: after hours, nobody to ring, or it hunts."""
        if not group.is_open:
            call.closed_hops |= 1 << call.forwards  # a bit per group reached, no limit
            self.move_on(call, AFTER_HOURS)
        elif not group.idle_bits and (self.waiting is None
                                      or not self.waiting.eligible(group, call)):
            if call.gone(self.env.now):  # no patience left: gone at once
                self.end_call(call, Outcome.ABANDONED)
            else:
                self.move_on(call, ALL_BUSY)
        else:
            call.order = group.policy.order()
            self.hunt(call)

    def move_on(self, call: Call, case: int) -> None:
        """Where the call goes when its group rings nobody (more) for it.

        ``case`` says why (:data:`~huntsim.sim.state.CASES`). A call that rang
        no member as usual (only members on a call let it ring, as call waiting,
        or only members of a penalty yet to join were free) and has not waited
        in the group's queue yet is all busy, not unanswered: the all-busy
        treatment, or in a queueing group the queue (as after a ring, for call
        waitings) if it has room. A queueing group keeps the call when nobody
        can be rung on arrival and its queue has room, or when the call rang
        out but someone has not been offered it yet, or (``rering``) for the
        next round; otherwise the group forwards the call if it forwards in
        that case, else the call ends with the group's treatment of the case.
        """
        group = call.group
        assert group is not None
        if case == NO_ANSWER and not call.tried and call.timed_hop != call.forwards:
            if group.queueing:
                if not call.waited or 0 <= group.max_queue <= len(group.queue):
                    case = ALL_BUSY
            elif call.waited:
                case = ALL_BUSY
        if group.queueing:
            assert self.queues is not None
            if case == ALL_BUSY and (group.max_queue < 0 or len(group.queue) < group.max_queue):
                self.queues.wait(call)
                return
            if case == NO_ANSWER and group.rering >= 0:
                self.queues.next_round(call)  # everyone is rung again after rering
                return
            if case == NO_ANSWER and call.tried != group.full_mask:
                self.queues.wait(call)  # someone not yet offered the call may free up
                return
        if group.forwards >> case & 1:
            self._forward(call)
        else:
            self.end_call(call, group.outcomes[case])

    def _forward(self, call: Call) -> None:
        """Pass the call to the group's forward target (another group, or out).

        Iterative: a call passed along a chain of groups that all forward at once
        takes one loop here per group, not one stack frame each.
        """
        group = call.group
        assert group is not None
        if call.gone(self.env.now):
            self.end_call(call, Outcome.ABANDONED)
            return
        if group.forward_to is None:
            self.end_call(call, Outcome.FORWARDED)
            return
        call.hop_offers += (call.offers - sum(call.hop_offers),)  # the offers made here
        call.forwards += 1
        # the next group's members take ordinals after this one's (see enter)
        call.next_ordinal = max(call.next_ordinal, call.base + len(group.members))
        self.hops.append((call, group.forward_to))
        if self.hopping:
            return  # the loop below, further up the stack, takes it
        self.hopping = True
        while self.hops:
            moving, target = self.hops.pop(0)
            self.enter(moving, target)
        self.hopping = False

    # ------------------------------------------------------------------ hunting
    def hunt(self, call: Call) -> None:
        """Ring the next member who can be rung for the call, in the order of the
        group's policy (or as its ring style rings); with nobody left, move on."""
        group = call.group
        assert group is not None
        if call.gone(self.env.now):
            self.end_call(call, Outcome.ABANDONED)
            return
        order = call.order
        if not order:  # the call queued on arrival, before it hunted: its order is made now
            order = call.order = group.policy.order()
        if group.ring_style is not None:
            group.ring_style.hunt(call)
            return
        ringable = group.ringable(call)
        position = 0 if group.rescan else call.position
        while position < len(order):
            p = order[position]
            position += 1
            if ringable >> p & 1:
                call.position = position
                self._ring(call, group.members[p], group.timeout)
                return
        call.position = position
        if self.waiting is None or not self.waiting.offer(call):  # (call waiting)
            self.move_on(call, NO_ANSWER)

    def offer(self, call: Call, member: Member, ordinal: int) -> tuple[bool, int]:
        """The member starts ringing for the call: whether they pick up, and after
        how long (ticks), drawn from the caller's ``ordinal``-th offer stream."""
        if member.places is not None:  # a member of several groups
            return self.shared.offer(call, member, ordinal)  # type: ignore[union-attr]
        # block(member, BUSY), inlined: this is the hot path
        group = member.group
        if not member.blocked and group is not None:
            group.idle_bits ^= member.bit
        member.blocked |= BUSY
        member.offered = call
        call.offers += 1
        group = call.group
        if group is not None:
            call.tried |= member.bit
            if group.on_offered is not None:
                group.on_offered(member.position)
        return member.picks_up(call.block, call.row, ordinal)

    def _ring(self, call: Call, member: Member, timeout: int) -> None:
        """Ring one member; the offer's end is known now, so it is one event."""
        picks_up, delay = self.offer(call, member, call.offers + call.shift)
        answers = picks_up and delay <= timeout
        self.ring_until(call, (member,), member if answers else None, delay, timeout)

    def ring_until(self, call: Call, ringing: Sequence[Member], winner: Member | None,
                   delay: int, timeout: int, since: int = -1) -> None:
        """Ring until ``winner`` picks up after ``delay``, the time-out, or the caller
        hangs up, whichever is first.

        The end is an event, so that it takes its place among same-instant
        events and nothing nests; except a pick-up at once by the only member
        rung, which frees nobody, so ending it here changes nothing but speed.
        ``since``: when the offers began ringing, if before now (the ring goes on
        without a member who logged out).
        """
        now = self.env.now
        if since < 0:
            since = now
        if winner is not None:
            lasts, result = since + delay - now, OfferResult.ANSWERED
        else:
            lasts, result = since + timeout - now, OfferResult.NO_ANSWER
        group = call.group  # (queue_limit, inlined: this is the hot path)
        limit = call.entered + group.max_wait if group is not None and group.max_wait >= 0 \
            else _INF
        if call.deadline < now + lasts and call.deadline <= limit:
            # gone before then (an answer at the deadline is taken)
            lasts, result, winner = int(call.deadline) - now, OfferResult.CALLER_HUNG_UP, None
        elif limit < now + lasts:  # max_wait ends the ring (an answer at the limit is taken)
            lasts, result, winner = max(int(limit) - now, 0), OfferResult.NO_ANSWER, None
        call.ringing = ringing
        call.winner = winner
        call.result = result
        call.ringing_since = since
        if lasts == 0 and winner is not None and len(ringing) == 1:
            call.pending = None
            self._offers_end(call)
        else:
            event = At(self.env, lasts, call, OFFER_END + call.id)
            event.callbacks.append(self._offers_ended)
            call.pending = event

    def queue_limit(self, call: Call) -> float:
        """When ``max_wait`` runs out for the call in its group (ticks; inf: never)."""
        group = call.group
        if group is None or group.max_wait < 0:
            return _INF
        return call.entered + group.max_wait

    def _offers_ended(self, event: Event) -> None:
        call = cast(Call, event.value)
        if event is call.pending:  # else a log-out ended the offers (see log_out)
            call.pending = None  # (no cycle: the call is freed as soon as it ends)
            self._offers_end(call)

    def log_out(self, member: Member) -> None:
        """The member, just logged out, stops ringing: an offer ringing them ends
        now as no answer, and the call goes on without them."""
        call = member.offered
        if call is None or not member.blocked & BUSY:
            return
        group = call.group
        if group is not None and group.ring_style is not None:
            group.ring_style.log_out(call, member)
        elif member in call.ringing:
            self.stop_ringing(call)

    def stop_ringing(self, call: Call) -> None:
        """The offers ringing for the call end now, as no answer."""
        call.pending = None
        call.winner = None
        call.result = OfferResult.NO_ANSWER
        self._offers_end(call, rang_out=False)

    def _offers_end(self, call: Call, rang_out: bool = True) -> None:
        """The call's offers end: each is recorded, then the call is answered, hunts
        on, or ends; only then are the members it rang free again. Offers a log-out
        stopped (not ``rang_out``) are no answer, but not missed (``after_missed``)."""
        now = self.env.now
        add_offer = self.add_offer
        result = call.result
        winner = call.winner
        ringing = call.ringing
        call.ringing = ()
        others = OfferResult.ANSWERED_ELSEWHERE if winner is not None else result
        arrival_s = call.arrival / TICKS_PER_SECOND
        since = call.ringing_since
        start_s = since / TICKS_PER_SECOND
        now_s = now / TICKS_PER_SECOND
        for member in ringing:
            add_offer(call.id, arrival_s, member.index, start_s, now_s,
                      result if member is winner else others)
        if winner is not None:
            self.answer(call, winner)
        elif result == OfferResult.CALLER_HUNG_UP:
            self.end_call(call, Outcome.ABANDONED)
        elif call.group is not None:
            if self.queue_limit(call) <= now and not call.gone(now):
                self.move_on(call, QUEUE_TIMEOUT)  # max_wait ran out as it rang
            else:
                self.hunt(call)
        elif call.gone(now):  # the direct call rang out as the caller gave up
            self.end_call(call, Outcome.ABANDONED)
        else:
            member = ringing[0]
            self.end_call(call, Outcome.VOICEMAIL if member.voicemail else Outcome.NO_ANSWER)
        if (winner is None and self.waiting is not None
                and self.waiting.ended(call, ringing, result)):
            return  # a call waiting not picked up: its member talks on
        group = call.group
        if self.misses is not None and group is not None:
            # a ring a log-out stopped, or max_wait ended before its time-out, was not
            # let ring out
            let_ring_out = (rang_out and result == OfferResult.NO_ANSWER
                            and now - since >= group.timeout)
            self.misses.count_misses(ringing, winner, let_ring_out)
        for member in ringing:
            if member is not winner:
                self.release(member)

    # ------------------------------------------------------------ ending a call
    def answer(self, call: Call, member: Member, outcome: int = Outcome.ANSWERED) -> None:
        """The member takes the call: it is recorded now (as ``outcome``: answered, or
        called back); the member is free again after talk and wrap-up."""
        # (Member.talk_and_wrap_up and tell_policy inlined: 2 % fewer instructions a call)
        now = self.env.now
        talk = member.talk_constant
        if talk is None:
            talk = call.block.talk(member.talk_key, member.talk_time, call.attempt)[call.row]
        wrap_up = member.wrap_up_constant
        if wrap_up is None:
            wrap_up = call.block.wrap_up(member.wrap_up_key, member.wrap_up,
                                         call.attempt)[call.row]
        second = TICKS_PER_SECOND
        self._record(call, outcome, member.index, now / second, talk / second,
                     wrap_up / second, (now + talk) / second)
        group = member.group
        if member.places is not None:  # a member of several groups
            self.shared.answered(call, member, talk, now + talk + wrap_up)  # type: ignore
        elif group is not None:
            via_pilot = call.group is not None
            if via_pilot and group.on_answered is not None:
                group.on_answered(member.position, talk)
            if group.on_busy_until is not None:
                group.on_busy_until(member.position, now + talk + wrap_up, via_pilot)
        At(self.env, talk + wrap_up, member, member.free_priority).callbacks.append(self._free)

    def tell_policy(self, call: Call, member: Member, talk: int, busy_until: int) -> None:
        """The policies hear that ``member`` took ``call`` (talk and busy until, ticks)."""
        group = member.group
        if member.places is not None:  # a member of several groups
            self.shared.answered(call, member, talk, busy_until)  # type: ignore[union-attr]
        elif group is not None:
            via_pilot = call.group is not None
            if via_pilot and group.on_answered is not None:
                group.on_answered(member.position, talk)
            if group.on_busy_until is not None:
                group.on_busy_until(member.position, busy_until, via_pilot)

    def end_call(self, call: Call, outcome: int, ended: int = -1) -> None:
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
                           call.caller_closed, call.hop_offers)
        self.add_call(call.id, call.kind, call.group.index if call.group is not None else -1,
                      call.dialed, call.arrival / second, outcome, agent, answer_s, talk_s,
                      wrap_up_s, end_s, call.offers, bool(call.closed_hops & 1))

    # ------------------------------------------------------------ members free
    def _free(self, event: Event) -> None:  # (talk and wrap-up over)
        self.release(cast(Member, event.value))

    def release(self, member: Member) -> None:
        """The member's line is free (an offer or a call is over)."""
        blocked = member.blocked & ~BUSY
        member.blocked = blocked
        if blocked or member.away_pending:
            if not blocked:
                self.unblock(member, 0)  # the absence that waited for the call starts
            return
        self._available(member)

    def _available(self, member: Member) -> None:
        """Nothing blocks the member any more: they can be rung, and serve the queue."""
        group = member.group
        if member.places is not None:  # a member of several groups
            self.shared.available(member)  # type: ignore[union-attr]
        elif group is not None:
            group.idle_bits |= member.bit
            if group.queue:
                assert self.queues is not None
                self.queues.serve(group, member)

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

        def passed(event: Event) -> None:
            k = cast(int, event.value)
            schedule(k + 1)
            action(value, k)

        schedule(0)

    def block(self, member: Member, reason: int) -> None:
        """Add a reason that keeps the member from being rung."""
        if not member.blocked and member.group is not None:
            if member.places is None:
                member.group.idle_bits ^= member.bit
            else:  # a member of several groups
                self.shared.set_idle(member, False)  # type: ignore[union-attr]
        member.blocked |= reason

    def unblock(self, member: Member, reason: int) -> None:
        """Lift one reason; a member nothing blocks any more can be rung at once,
        unless an absence that waited for them to be free starts now."""
        member.blocked &= ~reason
        if member.blocked:
            return
        if member.away_pending:
            member.away_pending = False
            if self.presence is not None and self.presence.start_away(member, counted=False):
                return
        self._available(member)


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
        Receives every call (including those of the warm-up) and every offer:
        a :class:`~huntsim.sim.records.CallLog` keeps them all,
        :class:`~huntsim.sim.totals.RunningTotals` only running sums.
    """
    engine = Engine(scenario, seed, recorder)
    engine.env.run()
    if engine.queues is not None:
        engine.queues.hang_up_stranded()
