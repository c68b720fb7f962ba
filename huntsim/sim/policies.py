"""Hunt policies: in which order a pilot call is offered to the members.

A policy has one job: given the group's state, the order of member positions
(0 = first in the administrator's list) in which to offer a new call. The
engine skips members who cannot be rung (busy, logged out, away, not ready)
and offers each member a call at most once. A new policy is one class here
and one test. Whether members ring one at a time or several at once is the
ring style's business (:mod:`huntsim.sim.ringing`), which the flags
``simultaneous`` and ``staggered`` choose.

Policies learn about the group through three hooks the engine calls, each
only when a policy overrides it: ``offered`` (a member starts ringing for a
group call), ``answered`` (a member picked up a group call, with the talk
time drawn for it, in ticks) and
``busy_until`` (a member of the group answered a call, through the pilot or
to their own number: called when they answer, with the time they will be
free again after talk and wrap-up; ``via_pilot`` says whether it came
through the pilot).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from huntsim.scenario.model import HuntGroup

__all__ = [
    "CircularHunt",
    "FewestCallsHunt",
    "HuntPolicy",
    "LeastTalkTimeHunt",
    "RandomHunt",
    "RegularHunt",
    "SimultaneousHunt",
    "StaggeredHunt",
    "UniformHunt",
    "WeightedHunt",
    "make_policy",
]


class HuntPolicy:
    """Regular hunting is the base: always from the top of the list.

    Parameters
    ----------
    size : int
        Number of members.
    """

    simultaneous = False
    """Whether every idle member rings at once (else one after another)."""

    staggered = False
    """Whether members join the ringing one by one, each still ringing (:class:`StaggeredHunt`)."""

    counts_load = False
    """Whether ``answered`` also hears of the calls a member of several groups answers
    for their other groups (the member's whole load, :mod:`huntsim.sim.shared`)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._in_list_order = tuple(range(size))

    def order(self) -> Sequence[int]:
        """Member positions in the order a new call tries them."""
        return self._in_list_order

    def offered(self, position: int) -> None:
        """The member at ``position`` starts ringing for a group call."""

    def answered(self, position: int, talk: int) -> None:
        """The member at ``position`` picked up a group call; it will last ``talk``
        ticks (wrap-up not included)."""

    def busy_until(self, position: int, free_at: float, via_pilot: bool) -> None:
        """The member at ``position`` answered a call (now); they will be free again at
        ``free_at`` (ticks), after talk and wrap-up."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size})"


class RegularHunt(HuntPolicy):
    """Every call starts at the first member of the list."""


class CircularHunt(HuntPolicy):
    """Each call starts after the member where the last call left off, and wraps once.

    Parameters
    ----------
    size : int
        Number of members.
    anchor : {"answered", "offered"}
        ``answered`` continues after the member who took the last group call
        (BroadWorks); ``offered`` after the member last rung (CUCM, FreeSWITCH).
    """

    def __init__(self, size: int, anchor: str = "answered") -> None:
        super().__init__(size)
        self.anchor = anchor
        self._last = size - 1  # so that the very first call starts at the top
        self._rotations = tuple(
            tuple((start + i) % size for i in range(size)) for start in range(size)
        )

    def order(self) -> Sequence[int]:
        """Positions starting after the anchor member, ending with it."""
        return self._rotations[(self._last + 1) % self.size]

    def offered(self, position: int) -> None:
        """Move the anchor if it follows offers."""
        if self.anchor == "offered":
            self._last = position

    def answered(self, position: int, talk: int) -> None:
        """Move the anchor if it follows answers."""
        if self.anchor == "answered":
            self._last = position


class SimultaneousHunt(HuntPolicy):
    """Every idle member rings at once; the first to pick up takes the call."""

    simultaneous = True


class StaggeredHunt(HuntPolicy):
    """The first member in list order rings at once; the next idle member joins
    every ``stagger`` seconds while nobody has picked up, each ringing until the
    group's time-out counted from their own first ring. The first pick-up wins.
    """

    staggered = True


class UniformHunt(HuntPolicy):
    """The member idle longest since their last group call goes first.

    A member's idle time starts when they are free again after a call they
    answered (talk and wrap-up over), as an ACD counts it. Members never
    called yet count as idle longest; ties go to list order. A call that did
    not come through the pilot does not reset the idle time, unless
    ``counts_direct_calls``; nor does a ring that was not answered, so a member
    who never answers is rung first on every call. A member of several groups
    has one idle time: a call through any of their groups' pilots counts.
    """

    def __init__(self, size: int, counts_direct_calls: bool = False) -> None:
        super().__init__(size)
        self.counts_direct_calls = counts_direct_calls
        self._idle_since = [-math.inf] * size

    def order(self) -> Sequence[int]:
        """Positions by the end of their last counted call, earliest first."""
        return sorted(self._in_list_order, key=self._idle_since.__getitem__)

    def busy_until(self, position: int, free_at: float, via_pilot: bool) -> None:
        """Restart the member's idle time if this call counts."""
        if via_pilot or self.counts_direct_calls:
            self._idle_since[position] = free_at


class WeightedHunt(HuntPolicy):
    """A random member, chosen by weight; if they do not answer, another by weight.

    The order is a weighted random permutation (Efraimidis and Spirakis), which
    picks the first member with probability proportional to the weights, the
    next among the rest the same way, and so on. The keys ``u ** (1 / w)`` are
    compared as their logarithms ``log(u) / w``, which neither underflow for
    small weights nor depend on anything but the ratios of the weights.
    Weights must be positive.
    """

    def __init__(self, weights: Sequence[float], rng: np.random.Generator) -> None:
        super().__init__(len(weights))
        w = np.asarray(weights, dtype=float)
        if not (np.isfinite(w).all() and (w > 0).all()):
            raise ValueError(f"weights (={list(weights)}) must be positive and finite")
        # only ratios matter; a member 1e300 times lighter than the heaviest is never
        # first (its inverse weight is capped so that the keys stay finite)
        with np.errstate(over="ignore"):
            self._inverse_weights = np.minimum(w.max() / w, 1e300)
        self._rng = rng

    def order(self) -> Sequence[int]:
        """A weighted random order of all positions."""
        # 1 - u lies in (0, 1]: its logarithm is finite
        log_keys = np.log1p(-self._rng.random(self.size)) * self._inverse_weights
        order: list[int] = np.argsort(-log_keys, kind="stable").tolist()
        return order


class FewestCallsHunt(HuntPolicy):
    """The member who has answered the fewest group calls so far goes first.

    A call counts when the member answers it (as FreeSWITCH mod_callcenter's
    ``agent-with-fewest-calls`` counts ``calls_answered``; Asterisk's
    ``fewestcalls`` counts completed calls instead). Only calls that came
    through the pilot count: direct calls to a member's own number do not, nor
    do rings that were not answered. Ties go to list order, so with no calls
    yet this is regular hunting. A member of several groups counts the calls
    they answered through any of their groups' pilots (their load).
    """

    counts_load = True

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self._counts = [0] * size

    def order(self) -> Sequence[int]:
        """Positions by group calls answered, fewest first; ties in list order."""
        return sorted(self._in_list_order, key=self._counts.__getitem__)

    def answered(self, position: int, talk: int) -> None:
        """One more group call for the member."""
        self._counts[position] += 1


class LeastTalkTimeHunt(HuntPolicy):
    """The member with the least group talk time so far goes first.

    A call's whole talk time (wrap-up not included) counts when the member
    answers it, as the call count of :class:`FewestCallsHunt` does. Only calls
    that came through the pilot count; ties go to list order. A member of
    several groups counts the talk time of their calls through any of their
    groups' pilots (their load).
    """

    counts_load = True

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self._talk = [0] * size

    def order(self) -> Sequence[int]:
        """Positions by group talk time, least first; ties in list order."""
        return sorted(self._in_list_order, key=self._talk.__getitem__)

    def answered(self, position: int, talk: int) -> None:
        """Add the call's talk time to the member's."""
        self._talk[position] += talk


class RandomHunt(HuntPolicy):
    """A uniformly random order of the members, drawn anew for each call.

    The engine skips members who cannot be rung, so the free members are
    offered the call in a uniformly random order. The order comes from the
    group's own random stream: the same seed gives the same orders.
    """

    def __init__(self, size: int, rng: np.random.Generator) -> None:
        super().__init__(size)
        self._rng = rng

    def order(self) -> Sequence[int]:
        """A uniformly random order of all positions."""
        order: list[int] = self._rng.permutation(self.size).tolist()
        return order


def make_policy(group: HuntGroup, rng: np.random.Generator) -> HuntPolicy:
    """The policy object a hunt group asks for.

    Parameters
    ----------
    group : HuntGroup
        Its ``policy`` and options choose the class.
    rng : numpy.random.Generator
        The group's own stream, used by the weighted and random policies only.
    """
    size = len(group.members)
    match group.policy:
        case "regular":
            return RegularHunt(size)
        case "circular":
            return CircularHunt(size, group.circular_anchor)
        case "simultaneous":
            return SimultaneousHunt(size)
        case "uniform":
            return UniformHunt(size, group.idle_counts_direct_calls)
        case "weighted":
            return WeightedHunt(group.weights or (1.0,) * size, rng)
        case "staggered":
            return StaggeredHunt(size)
        case "fewest_calls":
            return FewestCallsHunt(size)
        case "least_talk_time":
            return LeastTalkTimeHunt(size)
        case "random":
            return RandomHunt(size, rng)
    raise ValueError(f"policy: {group.policy!r} is not a policy")  # pragma: no cover
