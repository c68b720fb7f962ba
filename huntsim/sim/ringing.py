"""Ring styles that ring several members of a group for one call: simultaneous
and staggered.

The engine's own hunt is sequential: one member rings at a time, and each
offer's end is known when it starts, so it costs one event. A group whose
policy rings several members at once gets one of these collaborators as its
``ring_style`` (:func:`ring_style`), built only then: a group that rings in
turn never consults this module. A ring style takes over the hunt of a call
(:meth:`SimultaneousRing.hunt`, :meth:`StaggeredRing.hunt`); it offers the call with
the engine's :meth:`~huntsim.sim.engine.Engine.offer`, so each offer's pick-up
is drawn as in a sequential hunt (from the ordinal of the member's position in
the group), and it hands the call back to the engine when it is answered,
abandoned, or nobody it rang picked up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, cast

from huntsim.scenario.model import HuntGroup, Scenario
from huntsim.sim.clock import TICKS_PER_SECOND, ticks
from huntsim.sim.events import OFFER_END, At, Environment, Event
from huntsim.sim.records import OfferResult, Outcome
from huntsim.sim.state import NO_ANSWER, QUEUE_TIMEOUT, Call, Group, Member, RingStyle

__all__ = ["RingStyle", "SimultaneousRing", "StaggeredRing", "ring_style"]

_INF = math.inf


class _Misses(Protocol):
    def count_misses(self, ringing: Sequence[Member], winner: Member | None,
                     missed: bool) -> None: ...


class _Engine(Protocol):
    """What a ring style needs of the engine."""

    env: Environment

    @property
    def misses(self) -> _Misses | None: ...

    def offer(self, call: Call, member: Member, ordinal: int) -> tuple[bool, int]: ...

    def ring_until(self, call: Call, ringing: Sequence[Member], winner: Member | None,
                   delay: int, timeout: int, since: int = -1) -> None: ...

    def stop_ringing(self, call: Call) -> None: ...

    def queue_limit(self, call: Call) -> float: ...

    def answer(self, call: Call, member: Member) -> None: ...

    def end_call(self, call: Call, outcome: int, ended: int = -1) -> None: ...

    def move_on(self, call: Call, case: int) -> None: ...

    def release(self, member: Member) -> None: ...

    def add_offer(self, call_id: int, arrival: float, agent: int, start: float, end: float,
                  result: int) -> None: ...


def ring_style(engine: _Engine, spec: HuntGroup, group: Group,
               scenario: Scenario) -> RingStyle | None:
    """The ring style of a group whose policy rings several members at once, else None."""
    if group.policy.simultaneous:
        return SimultaneousRing(engine)
    if group.policy.staggered:
        stagger = spec.stagger if spec.stagger is not None else scenario.ring_cycle
        return StaggeredRing(engine, ticks(stagger))
    return None


class SimultaneousRing:
    """Every member who can be rung for the call rings at once; the first to pick
    up takes it (ties: list order), and the ring ends as one event.

    Without a queue the call rings one round (with penalties, one round per
    penalty, lowest first: :mod:`huntsim.sim.penalties`): a member who frees up
    during the ring is not added, and a call nobody took gets the no-answer
    treatment.
    With a queue it waits, and rings again whoever can be rung for it.
    """

    def __init__(self, engine: _Engine) -> None:
        self.engine = engine

    def hunt(self, call: Call) -> None:
        """Ring every member who can be rung for the call, or hand it back."""
        group = call.group
        assert group is not None
        if group.rescan or not call.tried:
            ringable = group.ringable(call)
            if ringable:
                self._ring_all(call, [m for p, m in enumerate(group.members) if ringable >> p & 1])
                return
        self.engine.move_on(call, NO_ANSWER)

    def _ring_all(self, call: Call, ringing: list[Member]) -> None:
        group = call.group
        assert group is not None
        engine = self.engine
        timeout = group.timeout
        winner: Member | None = None
        winner_delay = timeout + 1
        delays = []
        for member in ringing:
            picks_up, delay = engine.offer(call, member, call.base + group.place(member))
            delays.append(delay if picks_up else timeout + 1)
            if picks_up and delay < winner_delay:  # ties go to list order
                winner, winner_delay = member, delay
        call.pick_ups = delays  # type: ignore[attr-defined]  # (for log_out)
        engine.ring_until(call, ringing, winner, winner_delay, timeout)

    def log_out(self, call: Call, member: Member) -> None:
        """A member who logged out stops ringing; the first of the others to pick
        up takes the call, as they would have."""
        ringing = call.ringing
        if member not in ringing:
            return
        engine = self.engine
        if len(ringing) == 1:
            engine.stop_ringing(call)
            return
        group = call.group
        assert group is not None
        now = engine.env.now
        engine.add_offer(call.id, call.arrival / TICKS_PER_SECOND, member.index,
                         call.ringing_since / TICKS_PER_SECOND, now / TICKS_PER_SECOND,
                         OfferResult.NO_ANSWER)
        delays: list[int] = call.pick_ups  # type: ignore[attr-defined]
        place = ringing.index(member)
        rest = [m for m in ringing if m is not member]
        del delays[place]
        call.pick_ups = delays  # type: ignore[attr-defined]
        winner: Member | None = call.winner
        if winner is member:
            winner, best = None, group.timeout + 1
            for other, delay in zip(rest, delays, strict=True):
                if delay < best:
                    winner, best = other, delay
            delay = best
        else:
            delay = delays[rest.index(winner)] if winner is not None else 0
        engine.ring_until(call, rest, winner, delay, group.timeout, call.ringing_since)
        engine.release(member)


class _Ring:
    """One staggered ring of a call: its offers in progress
    ``[member, start, pick-up or -1, end]`` (ticks), when the next member joins
    (-1: nobody is left to join), and which of its events is the live one."""

    __slots__ = ("call", "next_join", "offers", "step")

    def __init__(self, call: Call) -> None:
        self.call = call
        self.offers: list[tuple[Member, int, int, int]] = []
        self.next_join = -1
        self.step = 0


class StaggeredRing:
    """The first member who can be rung for the call rings at once; the next one
    in list order joins every ``stagger`` ticks while nobody has picked up, each
    ringing until the group's time-out from their own first ring. The first
    pick-up takes the call (ties: list order), also at the caller's deadline.

    One event stands for the next thing that can happen: a pick-up, a time-out,
    the next member joining or the caller hanging up.
    """

    def __init__(self, engine: _Engine, stagger: int) -> None:
        self.engine = engine
        self.stagger = stagger
        self.rung: dict[int, _Ring] = {}  # the ring that last rang each member (log_out)

    def hunt(self, call: Call) -> None:
        """Start a staggered ring: the first member now, the next every ``stagger``."""
        ring = _Ring(call)
        call.position = 0
        self._join(ring)
        if ring.offers:
            self._next_step(ring)
        else:
            self.engine.move_on(call, NO_ANSWER)

    def _join(self, ring: _Ring) -> None:
        """The next member in the call's order who can be rung for it starts ringing."""
        call = ring.call
        group = call.group
        assert group is not None
        engine = self.engine
        order = call.order
        now = engine.env.now
        ringable = group.ringable(call)
        position = call.position
        while position < len(order):
            p = order[position]
            position += 1
            if ringable >> p & 1:
                member = group.members[p]
                picks_up, delay = engine.offer(call, member, call.base + p)
                pick = now + delay if picks_up and delay <= group.timeout else -1
                ring.offers.append((member, now, pick, now + group.timeout))
                self.rung[member.index] = ring
                break
        call.position = position
        ring.next_join = now + self.stagger if position < len(order) else -1

    def _next_step(self, ring: _Ring) -> None:
        """One event at the next thing that can happen to the ring."""
        call = ring.call
        now = self.engine.env.now
        when: float = ring.next_join if ring.next_join >= 0 else _INF
        for _member, _start, pick, end in ring.offers:
            when = min(when, end, pick if pick >= 0 else _INF)
        when = min(when, call.deadline, self.engine.queue_limit(call))
        ring.step += 1
        At(self.engine.env, int(when) - now, (ring, ring.step), OFFER_END + call.id
           ).callbacks.append(self._step)

    def _step(self, event: Event) -> None:
        """Whatever is due now: a pick-up ends the ring; offers that ran out end;
        the caller may hang up; else the next member joins when due."""
        ring, step = cast(tuple[_Ring, int], event.value)
        if step != ring.step:
            return  # a later event took its place
        engine = self.engine
        call = ring.call
        now = engine.env.now
        offers = ring.offers
        picked = [o for o in offers if 0 <= o[2] <= now]
        if picked:
            group = call.group
            assert group is not None
            self._answered(ring, min(picked, key=lambda o: (o[2], group.place(o[0])))[0])
            return
        # offers that ran their time-out end as no answer, even as the caller gives up
        expired = [o for o in offers if o[3] <= now]
        if expired:
            offers = ring.offers = [o for o in offers if o[3] > now]
            self._record(call, expired, now, OfferResult.NO_ANSWER)
        hung_up: list[Member] = []
        if call.gone(now):
            ring.offers = []
            self._record(call, offers, now, OfferResult.CALLER_HUNG_UP)
            hung_up = [o[0] for o in offers]
            engine.end_call(call, Outcome.ABANDONED)
        elif engine.queue_limit(call) <= now:
            # max_wait runs out: the ring ends, the call gets the queue time-out treatment
            ring.offers = []
            self._record(call, offers, now, OfferResult.NO_ANSWER)
            hung_up = [o[0] for o in offers]
            engine.move_on(call, QUEUE_TIMEOUT)
        else:
            if 0 <= ring.next_join <= now:
                self._join(ring)
            if ring.offers or ring.next_join >= 0:
                self._next_step(ring)
            else:
                engine.move_on(call, NO_ANSWER)
        # the call has moved on; only now are the members it rang free again
        if expired:
            rang_out = [o[0] for o in expired]
            if engine.misses is not None:
                engine.misses.count_misses(rang_out, None, True)
            for member in rang_out:
                engine.release(member)
        for member in hung_up:
            engine.release(member)

    def log_out(self, call: Call, member: Member) -> None:
        """A member who logged out stops ringing; the others ring on, and the next
        member joins when due."""
        ring = self.rung.get(member.index)
        if ring is None or ring.call is not call:
            return
        left = [o for o in ring.offers if o[0] is member]
        if not left:
            return
        engine = self.engine
        ring.offers = [o for o in ring.offers if o[0] is not member]
        self._record(call, left, engine.env.now, OfferResult.NO_ANSWER)
        if ring.offers or ring.next_join >= 0:
            self._next_step(ring)
        else:
            ring.step += 1  # the pending event is void
            engine.move_on(call, NO_ANSWER)
        engine.release(member)

    def _answered(self, ring: _Ring, winner: Member) -> None:
        """The first to pick up takes the call; the others stop ringing."""
        engine = self.engine
        call = ring.call
        offers, ring.offers = ring.offers, []
        now = engine.env.now
        arrival_s, now_s = call.arrival / TICKS_PER_SECOND, now / TICKS_PER_SECOND
        for member, start, _pick, _end in offers:
            result = (OfferResult.ANSWERED if member is winner
                      else OfferResult.ANSWERED_ELSEWHERE)
            engine.add_offer(call.id, arrival_s, member.index, start / TICKS_PER_SECOND,
                             now_s, result)
        engine.answer(call, winner)
        if engine.misses is not None:
            engine.misses.count_misses([winner], winner, False)
        for member, *_ in offers:
            if member is not winner:
                engine.release(member)

    def _record(self, call: Call, offers: Sequence[tuple[Member, int, int, int]], now: int,
                result: int) -> None:
        """The offers end now with ``result``."""
        arrival_s, now_s = call.arrival / TICKS_PER_SECOND, now / TICKS_PER_SECOND
        for member, start, _pick, _end in offers:
            self.engine.add_offer(call.id, arrival_s, member.index, start / TICKS_PER_SECOND,
                                  now_s, result)
