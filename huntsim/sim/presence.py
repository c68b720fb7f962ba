"""Who is there to be rung: schedules, opening hours, absences, not-ready.

The engine asks one question of a member, *is anything keeping them from
being rung?*, and keeps the answer as bits of ``blocked`` (:data:`BUSY`,
:data:`LOGGED_OUT`, :data:`AWAY`, :data:`NOT_READY`). This module sets and
clears the presence bits as the office's week goes by:

* ``schedule``: a member is logged out outside their windows. A call in
  progress when the window closes finishes; an offer ringing then ends as no
  answer (the engine's ``log_out``) and the call goes on without them.
* ``open``: a pilot outside its opening hours sends calls to ``after_hours``.
* ``away``: absences start at ``rate`` per logged-in hour. One that falls
  while the member is on a call starts when they are free. With ``skipped``
  the member is not rung meanwhile; without, their phone rings and nobody
  answers. A log-out ends the absence in progress (as ``Result.absences``
  shows it): the member is there when they log in again.
* ``after_missed``: a member who let ``count`` group calls in a row ring out
  (the engine reports how each group call's offers end to
  :meth:`Presence.count_misses`) is not ready for ``away``: not rung for
  group calls. A log-out ends the not-ready time too, as it does an absence.

Nothing here runs for a scenario that uses none of it
(:func:`uses_presence`). Times are engine ticks (:mod:`huntsim.sim.clock`);
randomness comes from each agent's own ``away`` stream, so absences do not
change what any caller draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from huntsim.scenario.model import Scenario
from huntsim.sim.clock import TICKS_PER_SECOND, ticks, ticks_of
from huntsim.sim.records import Absence
from huntsim.sim.streams import generator

if TYPE_CHECKING:  # pragma: no cover
    from huntsim.scenario.model import Away

__all__ = ["AWAY", "BUSY", "LOGGED_OUT", "NOT_READY", "Presence", "uses_presence"]

BUSY = 1
"""The member's line is busy: ringing, talking or in wrap-up."""
LOGGED_OUT = 2
"""Outside the member's schedule."""
AWAY = 4
"""Away (an absence with ``skipped``): not rung."""
NOT_READY = 8
"""Not ready after missing ``after_missed.count`` group rings in a row."""


class _Member(Protocol):
    index: int
    blocked: int
    away_pending: bool
    answer_probability: float
    miss_limit: int
    misses: int
    not_ready_ticks: int


class _Group(Protocol):
    is_open: bool


class _Engine(Protocol):
    """What presence needs of the engine."""

    scenario: Scenario
    members: list[Any]
    groups: list[Any]

    @property
    def now(self) -> int: ...

    def at(self, delay: int, rank: int, action: Callable[[Any], None], value: Any) -> None: ...

    def at_edges(self, edges: NDArray[np.int64], rank: int,
                 action: Callable[[Any, int], None], value: Any) -> None: ...

    def block(self, member: Any, reason: int) -> None: ...

    def unblock(self, member: Any, reason: int) -> None: ...

    def log_out(self, member: Any) -> None: ...

    def add_absence(self, agent: int, reason: int, start_s: float, end_s: float) -> None: ...


def uses_presence(scenario: Scenario) -> bool:
    """Whether any group has opening hours or any agent a schedule, absences or not-ready."""
    return (any(g.open is not None for g in scenario.hunt_groups)
            or any(a.schedule is not None or a.away is not None or a.after_missed is not None
                   for a in scenario.agents))


class _AwayStream:
    """One member's absences: when they are due and how long they last (ticks)."""

    def __init__(self, away: Away, rng: np.random.Generator) -> None:
        self.mean_gap = TICKS_PER_SECOND / away.rate if away.rate > 0 else 0.0
        self.length = away.length
        self.skipped = away.skipped
        self._rng = rng

    def gap(self) -> int:
        return max(1, round(self._rng.exponential(self.mean_gap)))

    def duration(self) -> int:
        return ticks(float(self.length.quantile(np.array([self._rng.random()]))[0]))


class Presence:
    """The presence processes of one run, wired to the engine."""

    def __init__(self, engine: _Engine, seed: int) -> None:
        self.engine = engine
        scenario = engine.scenario
        self.end = ticks(scenario.duration)
        self.away: dict[int, _AwayStream] = {}
        # members away whose phone still rings: their answer probability, to restore
        self.ringing_away: dict[int, float] = {}
        # when each absence in progress began (ticks): recorded when it ends, or when
        # the member logs out, whichever is first
        self.away_since: dict[int, int] = {}
        # when each not-ready time in progress began (ticks), recorded the same way
        self.not_ready_since: dict[int, int] = {}
        for member, agent in zip(engine.members, scenario.agents, strict=True):
            if agent.away is not None and agent.away.rate > 0:
                self.away[member.index] = _AwayStream(
                    agent.away, generator(seed, "agent", agent.number, "away"))

    @classmethod
    def start(cls, engine: _Engine, seed: int) -> Presence:
        """Set everyone's state at t = 0 and schedule every change of the run."""
        presence = cls(engine, seed)
        presence._schedules()
        presence._opening_hours()
        for index in presence.away:
            presence._next_away(engine.members[index])
        return presence

    # ------------------------------------------------------------- schedules
    def _schedules(self) -> None:
        engine, scenario = self.engine, self.engine.scenario
        for member, agent in zip(engine.members, scenario.agents, strict=True):
            if agent.schedule is None:
                continue
            logged_in, flips = agent.schedule.transitions(scenario.start, scenario.duration)
            edges = [0.0, *flips, scenario.duration]
            for i in range(len(edges) - 1):
                if (i % 2 == 0) != logged_in and edges[i + 1] > edges[i]:
                    engine.add_absence(member.index, Absence.LOGGED_OUT, edges[i], edges[i + 1])
            if not logged_in:
                engine.block(member, LOGGED_OUT)
            # flip k logs in when k is even for a member logged out at the start
            flip = self._flip_from_logged_in if logged_in else self._flip_from_logged_out
            engine.at_edges(_edge_ticks(flips), member.index, flip, member)

    def _flip_from_logged_out(self, member: _Member, flip: int) -> None:
        """Flip ``flip`` of a schedule that starts logged out."""
        (self._log_in if flip % 2 == 0 else self._log_out)(member)

    def _flip_from_logged_in(self, member: _Member, flip: int) -> None:
        """Flip ``flip`` of a schedule that starts logged in."""
        (self._log_out if flip % 2 == 0 else self._log_in)(member)

    def _log_in(self, member: _Member) -> None:
        self.engine.unblock(member, LOGGED_OUT)

    def _log_out(self, member: _Member) -> None:
        """The member logs out: an absence or not-ready time in progress ends now,
        as the absences table shows it, so they are present when they log in again."""
        member.away_pending = False
        self.engine.block(member, LOGGED_OUT)
        self.engine.log_out(member)  # an offer ringing them ends
        if self._not_ready_over(member):
            member.blocked &= ~NOT_READY  # (LOGGED_OUT keeps them out of the idle bits)
        if self._away_over(member):
            member.blocked &= ~AWAY  # (LOGGED_OUT keeps them out of the idle bits)
            answer_probability = self.ringing_away.pop(member.index, None)
            if answer_probability is not None:
                member.answer_probability = answer_probability

    def _away_over(self, member: _Member) -> bool:
        """Record the absence in progress, up to now (its end, or the end of the
        schedule); False when there is none."""
        since = self.away_since.pop(member.index, None)
        if since is None:
            return False
        self.engine.add_absence(member.index, Absence.AWAY, since / TICKS_PER_SECOND,
                               self.engine.now / TICKS_PER_SECOND)
        return True

    def _opening_hours(self) -> None:
        engine, scenario = self.engine, self.engine.scenario
        rank = len(engine.members)
        for group, spec in zip(engine.groups, scenario.hunt_groups, strict=True):
            if spec.open is None:
                continue
            group.is_open, flips = spec.open.transitions(scenario.start, scenario.duration)
            engine.at_edges(_edge_ticks(flips), rank + group.index, _toggle_open_at, group)

    # ------------------------------------------------------------- absences
    def _next_away(self, member: _Member) -> None:
        stream = self.away[member.index]
        delay = stream.gap()
        if self.engine.now + delay < self.end:
            self.engine.at(delay, member.index, self._away_due, member)

    def _away_due(self, member: _Member) -> None:
        self._next_away(member)
        if (member.blocked & (LOGGED_OUT | AWAY | NOT_READY) or member.away_pending
                or member.index in self.ringing_away):
            return  # absences are counted in logged-in time; one at a time
        if member.blocked & BUSY:
            member.away_pending = True  # starts when the call is over
            return
        self.start_away(member, counted=True)

    def start_away(self, member: _Member, counted: bool) -> bool:
        """Send the member away now; True when they are now skipped.

        ``counted`` says whether the member is still counted as available by
        their group (False when the engine is just freeing them).
        """
        stream = self.away[member.index]
        now = self.engine.now
        length = stream.duration()
        self.away_since[member.index] = now
        if stream.skipped:
            if counted:
                self.engine.block(member, AWAY)
            else:
                member.blocked |= AWAY
            self.engine.at(length, member.index, self._back_skipped, (member, now))
            return True
        self.ringing_away[member.index] = member.answer_probability
        member.answer_probability = 0.0  # the phone rings; nobody answers
        self.engine.at(length, member.index, self._back_ringing, (member, now))
        return False

    def _back(self, member: _Member, since: int) -> bool:
        """The absence that began at ``since`` is over: recorded; False when a
        log-out already ended it."""
        if self.away_since.get(member.index) != since:
            return False
        return self._away_over(member)

    def _back_skipped(self, absence: tuple[_Member, int]) -> None:
        member, since = absence
        if self._back(member, since):
            self.engine.unblock(member, AWAY)

    def _back_ringing(self, absence: tuple[_Member, int]) -> None:
        member, since = absence
        if self._back(member, since):
            member.answer_probability = self.ringing_away.pop(member.index)

    # ------------------------------------------------------------- not ready
    def count_misses(self, ringing: Sequence[_Member], winner: _Member | None,
                     missed: bool) -> None:
        """Offers of a group call to ``ringing`` ended (``missed``: they rang out;
        ``winner``: who picked up): ``after_missed`` counts the group calls each
        member let ring out in a row; an answer starts afresh."""
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

    def _not_ready(self, member: _Member) -> None:
        """After too many missed group rings the member is skipped for a while
        (recorded when it ends, or when the member logs out, whichever is first)."""
        engine = self.engine
        now = engine.now
        engine.block(member, NOT_READY)
        self.not_ready_since[member.index] = now
        engine.at(member.not_ready_ticks, member.index, self._ready_again, (member, now))

    def _not_ready_over(self, member: _Member) -> bool:
        """Record the not-ready time in progress, up to now; False when there is none."""
        since = self.not_ready_since.pop(member.index, None)
        if since is None:
            return False
        self.engine.add_absence(member.index, Absence.NOT_READY, since / TICKS_PER_SECOND,
                               self.engine.now / TICKS_PER_SECOND)
        return True

    def _ready_again(self, not_ready: tuple[_Member, int]) -> None:
        member, since = not_ready
        if self.not_ready_since.get(member.index) != since:
            return  # a log-out already ended it
        self._not_ready_over(member)
        self.engine.unblock(member, NOT_READY)


def _toggle_open_at(group: _Group, flip: int) -> None:
    group.is_open = not group.is_open


def _edge_ticks(flips: Sequence[float]) -> NDArray[np.int64]:
    """Times of a schedule's flips (seconds) as ticks, as :func:`ticks` rounds them."""
    return np.asarray(ticks_of(np.asarray(flips, dtype=float)), dtype=np.int64)
