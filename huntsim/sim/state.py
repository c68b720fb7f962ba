"""The running state of one run: members, groups and calls in progress.

These are plain records, with ``__slots__`` for speed: what each member,
group and call is doing now, and two questions about it asked all over the
engine, each answered in one place: *has the caller gone?*
(:meth:`Call.gone`) and *who can be rung for this call?*
(:meth:`Group.ringable`). The transitions that change the records are in
:mod:`huntsim.sim.engine`; the state of features a run may not use lives with
their collaborators (:mod:`huntsim.sim.presence`, :mod:`huntsim.sim.ringing`,
:mod:`huntsim.sim.redials`); a group's queue and a call's timers are here, but
only :mod:`huntsim.sim.queueing` uses them. Times are ticks
(:mod:`huntsim.sim.clock`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from huntsim.scenario.distributions import Constant, Distribution
from huntsim.scenario.model import Agent, HuntGroup, Scenario
from huntsim.sim.clock import ticks
from huntsim.sim.events import FREE
from huntsim.sim.policies import HuntPolicy
from huntsim.sim.records import Outcome
from huntsim.sim.streams import TicketBlock

__all__ = ["AFTER_HOURS", "ALL_BUSY", "CASES", "NO_ANSWER", "QUEUE_TIMEOUT", "Call", "Group",
           "Member", "RingStyle"]

CASES = ("after_hours", "all_busy", "no_answer", "queue_timeout")
"""Why a group rings nobody (more) for a call, as ``forward.when`` names them."""
AFTER_HOURS, ALL_BUSY, NO_ANSWER, QUEUE_TIMEOUT = range(len(CASES))


class RingStyle(Protocol):
    """How a group that rings several members at once hunts a call
    (:mod:`huntsim.sim.ringing` has the simultaneous and staggered styles)."""

    def hunt(self, call: Call) -> None:
        """Ring whom the style rings for ``call`` now, or hand it back to the engine."""

    def log_out(self, call: Call, member: Member) -> None:
        """``member``, who was offered ``call``, logged out: their offer, if it is
        still ringing, ends now as no answer; the call rings on without them."""


class Member:
    """The running state of one agent (a *member* of the group they belong to).

    ``blocked`` holds a bit per reason that keeps them from being rung
    (:data:`~huntsim.sim.presence.BUSY`, ``LOGGED_OUT``, ``AWAY``,
    ``NOT_READY``); ``bit`` is their bit in their group's masks. A member of
    several groups (``one_group_per_member: false``) has ``group``,
    ``position`` and ``bit`` of the first, and ``places``: their position in
    each of their groups, by group index (None for a member of one group or none;
    :mod:`huntsim.sim.shared` handles them).
    """

    __slots__ = (
        "answer_delay",
        "answer_delay_constant",
        "answer_delay_key",
        "answer_probability",
        "away_pending",
        "bit",
        "blocked",
        "direct_timeout",
        "free_priority",
        "group",
        "index",
        "miss_limit",
        "misses",
        "not_ready_ticks",
        "offered",
        "places",
        "position",
        "talk_constant",
        "talk_key",
        "talk_time",
        "voicemail",
        "wrap_up",
        "wrap_up_constant",
        "wrap_up_key",
    )

    def __init__(self, index: int, agent: Agent, scenario: Scenario,
                 key_of: Callable[[Distribution], int]) -> None:
        self.index = index
        self.blocked = 0
        self.free_priority = FREE + index
        self.away_pending = False
        self.misses = 0
        rule = agent.after_missed
        self.miss_limit = rule.count if rule is not None else 0
        self.not_ready_ticks = ticks(rule.away) if rule is not None else 0
        self.answer_probability = agent.answer_probability
        self.voicemail = agent.voicemail
        self.direct_timeout = agent.no_answer_rings * ticks(scenario.ring_cycle)
        self.answer_delay = agent.answer_delay
        self.answer_delay_constant = _constant(agent.answer_delay)
        self.answer_delay_key = key_of(agent.answer_delay)
        self.talk_time = agent.talk_time
        self.talk_constant = _constant(agent.talk_time)
        self.talk_key = key_of(agent.talk_time)
        self.wrap_up = agent.wrap_up
        self.wrap_up_constant = _constant(agent.wrap_up)
        self.wrap_up_key = key_of(agent.wrap_up)
        self.group: Group | None = None
        self.position = -1  # in the group's list
        self.bit = 0  # 1 << position
        self.offered: Call | None = None  # the call that last rang the member
        self.places: dict[int, int] | None = None  # member of several groups: positions

    def join(self, group: Group, position: int) -> None:
        """The member is at ``position`` in ``group``'s list (called once per group)."""
        if self.group is None:
            self.group, self.position, self.bit = group, position, 1 << position
            return
        if self.places is None:
            self.places = {self.group.index: self.position}
        self.places[group.index] = position

    def picks_up(self, block: TicketBlock, row: int, ordinal: int) -> tuple[bool, int]:
        """Whether this member picks up the offer that is the caller's ``ordinal``-th
        in their streams, and after how long (ticks)."""
        p = self.answer_probability
        picks_up = p >= 1.0 or (p > 0.0 and block.answer(ordinal)[row] < p)
        delay = self.answer_delay_constant
        if delay is None:
            delay = block.delay(ordinal, self.answer_delay_key, self.answer_delay)[row]
        return picks_up, delay

    def talk_and_wrap_up(self, call: Call) -> tuple[int, int]:
        """How long this member talks on ``call`` and wraps up after it (ticks), from
        the caller's row of random numbers."""
        talk = self.talk_constant
        if talk is None:
            talk = call.block.talk(self.talk_key, self.talk_time, call.attempt)[call.row]
        wrap_up = self.wrap_up_constant
        if wrap_up is None:
            wrap_up = call.block.wrap_up(self.wrap_up_key, self.wrap_up, call.attempt)[call.row]
        return talk, wrap_up


def _constant(distribution: Distribution) -> int | None:
    """The value in ticks of a constant distribution, else None."""
    return ticks(distribution.value) if isinstance(distribution, Constant) else None


class Group:
    """The running state of one hunt group.

    ``idle_bits`` has bit ``p`` set while nothing blocks the member at
    position ``p`` (see :mod:`huntsim.sim.presence`); a call's ``tried`` has it
    set once that member has been offered the call.
    """

    __slots__ = (
        "after_hours",
        "forward_to",
        "forwards",
        "full_mask",
        "idle_bits",
        "index",
        "is_open",
        "max_queue",
        "max_wait",
        "members",
        "on_answered",
        "on_busy_until",
        "on_offered",
        "outcomes",
        "policy",
        "priority",
        "queue",
        "queueing",
        "rering",
        "rescan",
        "ring_style",
        "timeout",
    )

    def __init__(self, index: int, group: HuntGroup, members: list[Member],
                 policy: HuntPolicy, timeout: int) -> None:
        self.index = index
        self.members = members
        self.policy = policy
        self.priority = group.priority  # members in several groups serve the smallest first
        # hooks the policy does not override are skipped: no call on the hot path
        self.on_offered = _hook(policy, "offered")
        self.on_answered = _hook(policy, "answered")
        self.on_busy_until = _hook(policy, "busy_until")
        self.timeout = timeout
        self.ring_style: RingStyle | None = None  # for a group that rings several at once
        self.queueing = group.all_busy_treatment == "queue"
        # whether each hunt scans the whole order (else it goes on from where it was)
        self.rescan = self.queueing
        self.is_open = True
        self.after_hours = (Outcome.VOICEMAIL if group.after_hours_treatment == "voicemail"
                            else Outcome.BUSY)
        self.idle_bits = self.full_mask = (1 << len(members)) - 1
        self.queue: list[Call] = []
        self.max_wait = ticks(group.max_wait) if group.max_wait is not None else -1
        self.max_queue = group.max_queue if group.max_queue is not None else -1
        self.rering = ticks(group.rering) if group.rering is not None else -1
        # what ends a call the group does not forward, by case (see CASES): all busy is
        # voicemail by when_all_busy, or with a full queue when the pilot has voicemail
        all_busy = (Outcome.VOICEMAIL if group.all_busy_treatment == "voicemail"
                    or (self.queueing and group.voicemail) else Outcome.BUSY)
        no_answer = Outcome.VOICEMAIL if group.voicemail else Outcome.NO_ANSWER
        queue_timeout = Outcome.VOICEMAIL if group.voicemail else Outcome.BUSY
        self.outcomes = (self.after_hours, all_busy, no_answer, queue_timeout)
        self.forwards = 0  # a bit per case (see CASES) in which the group forwards
        if group.forward is not None:
            for case in group.forward.when:
                self.forwards |= 1 << CASES.index(case)
        self.forward_to: Group | None = None  # set once every group exists; None: out

    def ringable(self, call: Call) -> int:
        """Who can be rung for ``call`` now: a bit per member position, set when
        nothing blocks the member and they have not been offered the call yet."""
        return self.idle_bits & ~call.tried

    def can_call_back(self, call: Call) -> int:
        """Who may call back ``call`` (a caller waiting for a call back) now: a bit per
        member position, set when nothing blocks the member (having been offered the
        call does not matter: a call back is a new call)."""
        return self.idle_bits

    def lowest(self, bits: int, call: Call) -> int:
        """Of the members ``bits`` (a bit per position), those ``call`` may reach by the
        group's penalties: all of them here (see
        :meth:`huntsim.sim.penalties.PenaltyGroup.lowest`)."""
        return bits

    def place(self, member: Member) -> int:
        """The member's position in this group's list."""
        places = member.places
        return member.position if places is None else places[self.index]


class Call:
    """A call in progress: one attempt of a caller.

    What only redials and forwards use lives in class attributes until such a
    call sets its own (in the instance ``__dict__``), so that the usual call
    pays nothing for it.
    """

    __slots__ = (
        "__dict__",
        "arrival",
        "block",
        "deadline",
        "dialed",
        "entered",
        "group",
        "id",
        "kind",
        "offers",
        "order",
        "patience_scheduled",
        "pending",
        "position",
        "result",
        "ringing",
        "ringing_since",
        "row",
        "tried",
        "waiting",
        "winner",
    )

    attempt = 0  # 0: the caller's first call
    caller = -1  # the first call's id; -1: this call is the caller's first
    caller_arrival = 0  # when the caller's first call arrived (a redial's)
    caller_closed = False  # whether that was after hours (a redial's)
    forwards = 0
    closed_hops = 0  # bit h: the h-th group the call reached was closed
    hop_offers: tuple[int, ...] = ()  # offers made in each group it was forwarded from
    # ordinals of this call's offers in the caller's streams (see Engine.enter)
    shift = 0
    base = 0
    next_ordinal = 0
    timed_hop = -1  # the group entry (forwards so far) whose max_wait timer runs
    queued_at = 0  # when the call last joined a queue, or took a call back (ticks)
    penalty_wake = (-1, -1)  # (entered, when): the next penalty's wake-up (penalty_wait)
    call_back = False  # waiting in its group's queue for a call back (off the line)
    # members of the group offered the call as call waiting (this round), a bit per
    # position: apart from ``tried``, a call waiting not picked up is not the member's
    # one offer of the call (:mod:`huntsim.sim.waiting`)
    waited = 0

    def __init__(self, call_id: int, kind: int, group: Group | None, dialed: int,
                 arrival: int, block: TicketBlock, row: int, deadline: float) -> None:
        self.id = call_id
        self.entered = arrival  # when the call reached its group
        self.block = block
        self.row = row
        self.kind = kind
        self.group = group
        self.dialed = dialed
        self.arrival = arrival
        self.deadline = deadline  # when the caller's patience runs out (inf: never)
        self.offers = 0
        self.tried = 0  # members of the group offered the call, a bit per position
        self.position = 0  # how far the hunt has gone in ``order``
        self.order: Sequence[int] = ()
        self.waiting = False
        self.patience_scheduled = False
        # the offers ringing now: their members, who picks up, how they end, since when
        self.ringing: Sequence[Member] = ()
        self.winner: Member | None = None
        self.result = 0
        self.ringing_since = 0
        self.pending: Any = None  # the event that ends the offers ringing now

    @property
    def caller_id(self) -> int:
        """The id of the caller's first call."""
        return self.caller if self.caller >= 0 else self.id

    def gone(self, now: int) -> bool:
        """Whether the caller has hung up by ``now``: their patience ran out at or
        before it (an answer at that very instant is still taken)."""
        return self.deadline <= now


def _hook(policy: HuntPolicy, name: str) -> Any:
    """The policy's method ``name``, or None where it does not override the base's."""
    if getattr(type(policy), name) is getattr(HuntPolicy, name):
        return None
    return getattr(policy, name)
