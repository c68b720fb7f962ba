"""Call waiting on members: a group's ``call_waiting`` (BroadWorks' "allow call
waiting on agents", Asterisk's ``ringinuse``).

Built only for a scenario where some group has ``call_waiting``
(:func:`uses_waiting`); any other run never consults it. The rule:

* A group call that finds no member free to ring (nobody who can be rung and
  has not been offered it) may be offered as call waiting to a member of the
  group who is *on a call*: talking (not ringing, not in wrap-up, nothing else
  blocking them: not logged out, away or not ready, no absence waiting for the
  call to end), with no call waiting already ringing them and no call on hold.
  Members on a call are tried in the policy's order; free members are always
  rung first (a call-waiting group scans its whole order at each hunt, so a
  member who frees up during the hunt is rung before anyone on a call). With
  penalties, only the lowest penalty among such members is (of the penalties the
  caller has waited for, with ``penalty_wait``). Each member is offered a call
  as call waiting once in the group (once a round with ``rering``: the call's
  ``waited`` bits), and not after being rung for it as usual (``tried``).
* The member's phone rings (call-waiting tone) for the group's time-out. They
  pick up with probability ``call_waiting_answer`` (instead of their
  ``answer_probability``), after an answer delay drawn as for any offer; a delay
  past the time-out is no answer. An offer not picked up ends as no answer and
  the call hunts on; it is not a miss for ``after_missed``, nor the member's one
  offer of the call: free again, they may be rung for it as usual (a queued
  caller waits for them). A call that rang only as call waiting, none picked
  up, is all busy (:meth:`~huntsim.sim.engine.Engine.move_on`): the all-busy
  treatment, or the queue (a caller already waiting goes back whatever its
  length); one that a free member let ring out gets the no-answer treatment,
  as without call waiting. The agents table counts the call waitings not
  picked up apart (``call_waiting_missed``), not as rings let ring out. Talk ends
  first at an instant: if the member's call ends before the pick-up, the call
  waiting stops ringing then (no answer; the member goes on to wrap up); a member
  whose talk ends at the instant (a talk of no length, or a hunt in the presence
  phase before the free-up phase ends it) is offered no call waiting.
* Picked up, the call in progress goes on hold: the member talks the new call
  (talk time drawn as for any call) and wraps it up, then returns to the held
  call for the rest of its talk, and wraps that up as usual. A call's hold
  (``hold_s`` in the calls table) is the waiting call's talk and wrap-up; the
  waiting call's row names the call it held (``held_call``). Back on the held
  call, the member may be offered call waiting again.
* A caller waiting in the group's queue is offered as call waiting when a member
  becomes able to take one: they start talking, a call waiting to them ends
  unanswered, or they return to a held call; and, as a hunt at that instant would,
  when a penalty joins for them (``penalty_wait``, :mod:`huntsim.sim.penalties`) or
  a new round begins (``rering``, :mod:`huntsim.sim.queueing`) with nobody free to
  ring.
* A member of several groups (``one_group_per_member: false``) is offered a
  call waiting at their place in the call's group; able to take one, they are
  offered the queued caller their call-waiting groups would serve first
  (:mod:`huntsim.sim.shared`: smallest ``priority``, then longest wait), and
  the policies of all their groups hear of their answers, as in the engine.
* Direct calls are never offered as call waiting (a member on a call is busy to
  them), but a member talking on a direct call may be offered a group call.

Records: a call is recorded when its talk ends (its end then known), the
offers that rang as call waiting are marked (``call_waiting`` in the offers
table); busy time counts each instant once (the ring of a call waiting and
a hold are inside the member's talk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, cast

from huntsim.scenario.model import Scenario
from huntsim.sim.clock import TICKS_PER_SECOND
from huntsim.sim.events import At, Environment, Event
from huntsim.sim.presence import BUSY
from huntsim.sim.records import PILOT, OfferResult, Outcome
from huntsim.sim.state import Call, Group, Member

__all__ = ["Waiting", "uses_waiting"]


class _Shared(Protocol):
    def answered(self, call: Call, member: Member, talk: int, free_at: int) -> None: ...


class _Engine(Protocol):
    """What call waiting needs of the engine."""

    env: Environment
    groups: list[Group]
    members: list[Member]

    @property
    def shared(self) -> _Shared | None: ...

    def add_waiting_offer(self, call_id: int, arrival: float, agent: int, start: float,
                          end: float, missed: bool) -> None: ...

    def add_hold(self, call_id: int, held: int, agent: int, start: float, end: float,
                 pilot: bool) -> None: ...

    def offer(self, call: Call, member: Member, ordinal: int) -> tuple[bool, int]: ...

    def ring_until(self, call: Call, ringing: Sequence[Member], winner: Member | None,
                   delay: int, timeout: int, since: int = -1) -> None: ...

    def stop_ringing(self, call: Call) -> None: ...

    def hunt(self, call: Call) -> None: ...

    def release(self, member: Member) -> None: ...

    def tell_policy(self, call: Call, member: Member, talk: int, busy_until: int) -> None: ...

    def _record(self, call: Call, outcome: int, agent: int, answer_s: float, talk_s: float,
                wrap_up_s: float, end_s: float) -> None: ...


def uses_waiting(scenario: Scenario) -> bool:
    """Whether any group offers calls as call waiting."""
    return any(g.call_waiting for g in scenario.hunt_groups)


class _Talk:
    """A call a member of a call-waiting group answered: its times (ticks) and hold."""

    __slots__ = ("answer", "call", "ends", "held_since", "holding", "left", "member",
                 "outcome", "talk", "version", "wrap_up")

    def __init__(self, call: Call, member: Member, outcome: int, answer: int, talk: int,
                 wrap_up: int) -> None:
        self.call = call
        self.member = member
        self.outcome = outcome
        self.answer = answer
        self.talk = talk
        self.wrap_up = wrap_up
        self.ends = answer + talk  # when the talk ends (moves while on hold)
        self.version = 0  # a talk-end event counts only with the current version
        self.held_since = -1
        self.left = 0  # talk left when put on hold
        self.holding: _Talk | None = None  # the call this one put on hold


class Waiting:
    """Call waiting for one run's groups (see the module docstring).

    Per member (by index): the call they talk on (``active``), the call on hold
    (``held``) and the call ringing them as call waiting (``ringing``).
    """

    def __init__(self, engine: _Engine, scenario: Scenario,
                 plain_answer: Callable[[Call, Member, int], None]) -> None:
        self.engine = engine
        self.plain_answer = plain_answer  # the engine's, for members of other groups
        # (-1: no call waiting; nor in a group that rings several members at once, which
        # the rules and Scenario.with_policy refuse)
        self.answer_p = [spec.waiting_answer if spec.call_waiting and g.ring_style is None
                         else -1.0 for g, spec in zip(engine.groups, scenario.hunt_groups,
                                                      strict=True)]
        n = len(engine.members)
        self.on = [False] * n
        for group in engine.groups:
            if self.answer_p[group.index] >= 0:
                group.rescan = True  # free members first, at every hunt
                for member in group.members:
                    self.on[member.index] = True
        self.active: list[_Talk | None] = [None] * n
        self.held: list[_Talk | None] = [None] * n
        self.ringing: list[Call | None] = [None] * n
        self.since = [0] * n  # when the call waiting ringing them began
        self.answered = 0  # calls answered as call waiting

    # ------------------------------------------------------------ who may take it
    def _can_wait(self, member: Member) -> bool:
        """Whether the member is on a call and could take a call waiting now: a talk that
        ends now (of no length, or before its end in the free-up phase) is over."""
        m = member.index
        active = self.active[m]
        return (member.blocked == BUSY and not member.away_pending
                and active is not None and active.ends > self.engine.env.now
                and self.held[m] is None and self.ringing[m] is None)

    def eligible(self, group: Group, call: Call) -> int:
        """Members of ``group`` who may be offered ``call`` as call waiting now: a bit
        per position (with penalties, only the lowest penalty)."""
        if self.answer_p[group.index] < 0:
            return 0
        bits = 0
        for p, member in enumerate(group.members):
            if self._can_wait(member):
                bits |= 1 << p
        bits &= ~(call.tried | call.waited)
        return group.lowest(bits, call) if bits else 0

    # ------------------------------------------------------------------- offers
    def offer(self, call: Call) -> bool:
        """Nobody free is left to ring for the call: offer it as call waiting to the
        first member on a call in the policy's order, if any (True: it rings)."""
        group = call.group
        assert group is not None
        bits = self.eligible(group, call)
        if not bits:
            return False
        p = next(p for p in call.order if bits >> p & 1)
        member = group.members[p]
        engine = self.engine
        ordinal = call.offers + call.shift
        tried = call.tried
        _, delay = engine.offer(call, member, ordinal)
        call.tried = tried  # (not the member's one offer of the call: see the rule)
        call.waited |= 1 << p
        chance = self.answer_p[group.index]
        picks_up = chance >= 1.0 or (chance > 0.0 and call.block.answer(ordinal)[call.row]
                                     < chance)
        self.ringing[member.index] = call
        self.since[member.index] = engine.env.now
        answers = picks_up and delay <= group.timeout
        engine.ring_until(call, (member,), member if answers else None, delay, group.timeout)
        return True

    def ended(self, call: Call, ringing: Sequence[Member], result: int) -> bool:
        """The offers of ``call`` ended unanswered (recorded, as ``result``; the call
        moved on): True if it was a call waiting, whose member talks on (not freed,
        not a miss)."""
        if len(ringing) != 1 or not self._rang(call, ringing[0],
                                               result == OfferResult.NO_ANSWER):
            return False
        self._serve(ringing[0])
        return True

    def _rang(self, call: Call, member: Member, missed: bool = False) -> bool:
        """Whether ``call`` was ringing the member as call waiting (now over: marked;
        ``missed``: it ended as no answer)."""
        m = member.index
        if self.ringing[m] is not call:
            return False
        self.ringing[m] = None
        second = TICKS_PER_SECOND
        self.engine.add_waiting_offer(call.id, call.arrival / second, m,
                                      self.since[m] / second, self.engine.env.now / second,
                                      missed)
        return True

    def _serve(self, member: Member) -> None:
        """The member can take a call waiting again: offer them the callers waiting in
        the group's queue (first come, first served) while they can; a member of
        several groups, the caller their groups with call waiting would serve first
        (:mod:`huntsim.sim.shared`: smallest priority, then longest wait)."""
        if not self.on[member.index]:
            return
        if member.places is not None:
            self._serve_shared(member)
            return
        group = member.group
        if group is None or not group.queue:
            return
        for call in list(group.queue):
            if not self._can_wait(member):
                return
            if call.waiting and self.eligible(group, call) & member.bit:
                self._take(group, call)

    def _serve_shared(self, member: Member) -> None:
        """:meth:`_serve` for a member of several groups."""
        assert member.places is not None
        groups = self.engine.groups
        while self._can_wait(member):
            best: tuple[int, int, int] | None = None
            found: tuple[Group, Call] | None = None
            for index, position in member.places.items():
                group = groups[index]
                if self.answer_p[index] < 0:
                    continue
                for call in group.queue:
                    key = (group.priority, call.entered, call.id)
                    if (call.waiting and (best is None or key < best)
                            and self.eligible(group, call) >> position & 1):
                        best, found = key, (group, call)
            if found is None:
                return
            self._take(*found)

    def _take(self, group: Group, call: Call) -> None:
        """The queued call leaves the queue and hunts (it rings as call waiting)."""
        group.queue.remove(call)
        call.waiting = False
        self.engine.hunt(call)

    # ------------------------------------------------------------------ talking
    def answer(self, call: Call, member: Member, outcome: int = Outcome.ANSWERED) -> None:
        """The engine's ``answer`` in a run with call waiting: a member of a call-waiting
        group talks the call here (it may be put on hold, or hold the call in progress),
        recorded when its talk ends; any other member as the engine has it."""
        m = member.index
        if not self.on[m]:
            self.plain_answer(call, member, outcome)
            return
        # the talk and wrap-up, and the policy's hooks, as the engine's answer has them
        talk, wrap_up = member.talk_and_wrap_up(call)
        now = self.engine.env.now
        self.engine.tell_policy(call, member, talk, now + talk + wrap_up)
        self._rang(call, member)  # (picked up as call waiting)
        record = _Talk(call, member, outcome, now, talk, wrap_up)
        current = self.active[m]
        if current is not None:  # answered as call waiting: the call in progress holds
            current.version += 1
            current.left = current.ends - now
            current.held_since = now
            self.held[m] = current
            record.holding = current
            self.answered += 1
        self.active[m] = record
        self._talk_until(record, talk)
        if current is None:
            self._serve(member)

    def _talk_until(self, record: _Talk, talk: int) -> None:
        record.ends = self.engine.env.now + talk
        At(self.engine.env, talk, (record, record.version), record.member.free_priority
           ).callbacks.append(self._talk_ends)

    def _talk_ends(self, event: Event) -> None:
        """The talk of a call ends: it is recorded; a call waiting still ringing stops;
        the member wraps up."""
        record, version = cast(tuple[_Talk, int], event.value)
        if version != record.version:
            return  # put on hold: its talk ends later
        engine = self.engine
        member = record.member
        m = member.index
        now = engine.env.now
        second = TICKS_PER_SECOND
        self.active[m] = None
        call = record.call
        if record.holding is not None:
            held = record.holding
            engine.add_hold(call.id, held.call.id, m, record.answer / second,
                            (now + record.wrap_up) / second, held.call.kind == PILOT)
        engine._record(call, record.outcome, m, record.answer / second, record.talk / second,
                       record.wrap_up / second, now / second)
        ringing = self.ringing[m]
        if ringing is not None:
            engine.stop_ringing(ringing)
        if record.wrap_up:
            At(engine.env, record.wrap_up, record, member.free_priority).callbacks.append(
                lambda event: self._wrapped(cast(_Talk, event.value)))
        else:
            self._wrapped(record)

    def _wrapped(self, record: _Talk) -> None:
        """The wrap-up is over: back to the held call, if any, else free."""
        held = record.holding
        member = record.member
        if held is None:
            self.engine.release(member)
            return
        m = member.index
        self.held[m] = None
        self.active[m] = held
        self._talk_until(held, held.left)
        places = member.places
        if places is None:
            places = {member.group.index: member.position} if member.group is not None else {}
        for index, position in places.items():  # (each group of the member)
            group = self.engine.groups[index]
            if group.on_busy_until is not None:
                group.on_busy_until(position, held.ends + held.wrap_up,
                                    held.call.kind == PILOT)
        self._serve(member)
