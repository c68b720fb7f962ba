"""The running state of one run: members, groups and calls in progress.

These are plain records, with ``__slots__`` for speed: what each member,
group and call is doing now. The transitions that change them are in
:mod:`huntsim.sim.engine`; the state of features a run may not use lives with
their collaborators (:mod:`huntsim.sim.presence`, :mod:`huntsim.sim.ringing`,
:mod:`huntsim.sim.redials`). Times are ticks (:mod:`huntsim.sim.clock`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huntsim.scenario.distributions import Constant, Distribution
from huntsim.scenario.model import Agent, HuntGroup, Scenario
from huntsim.sim.clock import ticks
from huntsim.sim.events import FREE
from huntsim.sim.policies import HuntPolicy
from huntsim.sim.records import Outcome
from huntsim.sim.streams import TicketBlock

__all__ = ["Call", "Group", "Member"]

NO_OFFERS: tuple[()] = ()


class Member:
    """The running state of one agent."""

    __slots__ = (
        "answer_delay",
        "answer_delay_constant",
        "answer_delay_key",
        "answer_probability",
        "away_pending",
        "blocked",
        "direct_timeout",
        "free_priority",
        "group",
        "index",
        "miss_limit",
        "misses",
        "not_ready_ticks",
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
        self.position = -1

    def picks_up(self, block: TicketBlock, row: int, ordinal: int) -> tuple[bool, int]:
        """Whether this member picks up the caller's ``ordinal``-th offer, and when (ticks)."""
        p = self.answer_probability
        picks_up = p >= 1.0 or (p > 0.0 and block.answer(ordinal)[row] < p)
        delay = self.answer_delay_constant
        if delay is None:
            delay = block.delay(ordinal, self.answer_delay_key, self.answer_delay)[row]
        return picks_up, delay


def _constant(distribution: Distribution) -> int | None:
    """The value in ticks of a constant distribution, else None."""
    return ticks(distribution.value) if isinstance(distribution, Constant) else None


class Group:
    """The running state of one hunt group."""

    __slots__ = (
        "after_hours",
        "all_busy",
        "all_busy_outcome",
        "forward_cases",
        "forward_to",
        "full_mask",
        "idle",
        "index",
        "is_open",
        "max_queue",
        "max_wait",
        "members",
        "on_answered",
        "on_call_ended",
        "on_offered",
        "policy",
        "queue",
        "queueing",
        "simultaneous",
        "stagger",
        "staggered",
        "timeout",
        "voicemail",
    )

    def __init__(self, index: int, group: HuntGroup, members: list[Member],
                 policy: HuntPolicy, ring_cycle: float) -> None:
        self.index = index
        self.members = members
        self.policy = policy
        # hooks the policy does not override are skipped: no call on the hot path
        self.on_offered = _hook(policy, "offered")
        self.on_answered = _hook(policy, "answered")
        self.on_call_ended = _hook(policy, "call_ended")
        self.timeout = group.no_answer_rings * ticks(ring_cycle)
        self.voicemail = group.voicemail
        self.all_busy = group.all_busy_treatment
        self.queueing = self.all_busy == "queue"
        self.is_open = True
        self.after_hours = (Outcome.VOICEMAIL if group.after_hours_treatment == "voicemail"
                            else Outcome.BUSY)
        self.idle = len(members)
        self.full_mask = (1 << len(members)) - 1
        self.queue: list[Call] = []
        # a queue that is full, or no queue: voicemail if the pilot has one, else busy
        voicemail_when_busy = self.all_busy == "voicemail" or (self.queueing and group.voicemail)
        self.all_busy_outcome = Outcome.VOICEMAIL if voicemail_when_busy else Outcome.BUSY
        self.max_wait = ticks(group.max_wait) if group.max_wait is not None else -1
        self.max_queue = group.max_queue if group.max_queue is not None else -1
        self.stagger = ticks(group.stagger if group.stagger is not None else ring_cycle)
        self.staggered = policy.staggered
        self.simultaneous = policy.simultaneous
        self.forward_cases: frozenset[str] = (
            frozenset(group.forward.when) if group.forward is not None else frozenset())
        self.forward_to: Group | None = None  # set once every group exists


class Call:
    """A call in progress.

    What only redials, forwards and staggered rings use lives in class
    attributes until such a call sets its own (in the instance ``__dict__``),
    so that the usual call pays nothing for it.
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
        "position",
        "ring_members",
        "ring_result",
        "ring_start",
        "ring_winner",
        "row",
        "tried",
        "waiting",
    )

    attempt = 0  # 0: the caller's first call
    caller = -1  # the first attempt's call id; -1: this call is the first attempt
    caller_arrival = 0  # when the caller's first attempt arrived (a redial's)
    caller_closed = False  # whether it was after hours (a redial's)
    forwards = 0
    closed_hops = 0  # bit h: the h-th group the call reached was closed
    # ordinals of this call's offers in the caller's streams (see _enter)
    shift = 0
    base = 0
    next_ordinal = 0
    # staggered ring: offers in progress [member, start, pick-up or -1, end]
    staggered: Any = NO_OFFERS  # a list of its own once a staggered ring starts
    next_join = -1
    step = 0
    timed_hop = -1  # the group entry (forwards so far) whose max_wait timer runs
    queued_at = 0  # when the call last joined a queue (ticks)

    def __init__(self, call_id: int, kind: int, group: Group | None, dialed: int,
                 arrival: int, block: TicketBlock, row: int, deadline: float) -> None:
        self.id = call_id
        self.entered = arrival
        self.block = block
        self.row = row
        self.kind = kind
        self.group = group
        self.dialed = dialed
        self.arrival = arrival
        self.deadline = deadline
        self.offers = 0
        self.tried = 0
        self.position = 0
        self.order: Any = ()
        self.waiting = False
        self.patience_scheduled = False
        self.ring_members: list[Member] = []
        self.ring_winner: Member | None = None
        self.ring_result = 0
        self.ring_start = 0

    @property
    def caller_id(self) -> int:
        """The call id of the caller's first attempt."""
        return self.caller if self.caller >= 0 else self.id




def _hook(policy: HuntPolicy, name: str) -> Any:
    if getattr(type(policy), name) is getattr(HuntPolicy, name):
        return None
    return getattr(policy, name)

