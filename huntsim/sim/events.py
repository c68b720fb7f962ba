"""Events on the model's clock, and their order at one instant.

The engine runs on SimPy's event loop with the integer clock of
:mod:`huntsim.sim.clock`. Events at the same instant happen in a fixed order
that never depends on how they were created: an event's priority is its
*phase* times :data:`PHASE` plus a rank within the phase, and SimPy handles
events of one instant by priority.

=============  ===============================================  ======================
phase          events                                           rank within the phase
=============  ===============================================  ======================
``PRESENCE``   schedules, opening hours, absences, not-ready    agent, then group
``FREE``       a member's talk and wrap-up are over             agent (file order)
``OFFER_END``  offers end (pick-up, time-out, hang-up)          call id (oldest first)
``PATIENCE``   a waiting caller's patience or ``max_wait``      call id
``ARRIVAL``    a new call arrives                               stream (groups, agents)
``REDIAL``     a caller calls again                             caller id
=============  ===============================================  ======================

So a member whose call ends at t is free for every call arriving at t, and
a caller already waiting takes them before a caller arriving at t.
"""

from __future__ import annotations

from heapq import heappush
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import simpy
from simpy import Event

__all__ = [
    "ARRIVAL",
    "FREE",
    "OFFER_END",
    "PATIENCE",
    "PHASE",
    "PRESENCE",
    "REDIAL",
    "At",
    "Environment",
    "Event",
]

PHASE = 1 << 48
"""The priority of an event is its phase times ``PHASE`` plus its rank."""
PRESENCE = 1 * PHASE
FREE = 2 * PHASE
OFFER_END = 3 * PHASE
PATIENCE = 4 * PHASE
ARRIVAL = 5 * PHASE
REDIAL = 6 * PHASE


class Environment(simpy.Environment):
    """SimPy's environment on the integer clock of :mod:`huntsim.sim.clock`."""

    if TYPE_CHECKING:  # pragma: no cover
        @property
        def now(self) -> int:
            """The current time, in ticks."""
    else:
        # read by a C getter: the engine asks for the time several times a call
        now = property(attrgetter("_now"), doc="The current time, in ticks.")


class At(simpy.Event):
    """An event at ``now + delay`` whose place among same-instant events is ``priority``.

    Its ``callbacks`` run when it happens, each with the event (whose ``value``
    is ``value``).
    """

    def __init__(self, env: Environment, delay: int, value: Any, priority: int) -> None:
        self.env = env
        self.callbacks = []
        self._value = value
        self._ok = True
        # env.schedule(self, priority, delay), inlined: two events a call
        heappush(env._queue, (env._now + delay, priority, next(env._eid), self))  # type: ignore[misc]
