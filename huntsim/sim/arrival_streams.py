"""Arrival streams: one SimPy process per source of calls.

Each hunt group's pilot calls and each agent's direct calls form a stream, in
that order (hunt groups in file order, then agents); the stream's rank sets the
order of arrivals at the same instant (:data:`huntsim.sim.events.ARRIVAL`). A
stream draws its times from its own random stream and hands each call, as its
caller's row of random numbers, to the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from huntsim.scenario.arrivals import Arrivals, arrival_blocks
from huntsim.scenario.model import Scenario
from huntsim.sim.clock import ticks_of
from huntsim.sim.events import ARRIVAL, At, Environment, Event
from huntsim.sim.streams import TicketBlock, Tickets, generator

__all__ = ["start_arrivals"]

Handler = Callable[[Any, TicketBlock, int], None]


def start_arrivals(env: Environment, scenario: Scenario, seed: int, end: int,
                   pilot_call: Handler, groups: Sequence[Any],
                   direct_call: Handler, members: Sequence[Any]) -> None:
    """Start a process for each stream of calls the scenario has.

    Parameters
    ----------
    env : Environment
        The run's event loop.
    scenario : Scenario
        Whose ``hunt_groups[].arrivals`` and ``agents[].direct_calls`` arrive.
    seed : int
        Seed of the run's random streams (:mod:`huntsim.sim.streams`).
    end : int
        The end of the run, in ticks: no call arrives at or after it.
    pilot_call, direct_call : callable
        Called as ``handle(target, block, row)`` for each call, with the group
        (of ``groups``) or member (of ``members``) the stream belongs to.
    """
    streams: list[tuple[Arrivals | None, tuple[str, str], str, Handler, Any]] = [
        (spec.arrivals, ("group", spec.pilot), "arrivals", pilot_call, group)
        for group, spec in zip(groups, scenario.hunt_groups, strict=True)
    ] + [
        (agent.direct_calls, ("agent", agent.number), "direct_calls", direct_call, member)
        for member, agent in zip(members, scenario.agents, strict=True)
    ]
    for rank, (arrivals, source, name, handle, target) in enumerate(streams):
        if arrivals is not None:
            times = arrival_blocks(arrivals, generator(seed, *source, name), scenario.duration)
            tickets = Tickets(seed, source, scenario.caller_patience)
            env.process(_arrive(env, end, times, tickets, handle, target, ARRIVAL + rank))


def _arrive(env: Environment, end: int, times: Iterator[NDArray[np.float64]],
            tickets: Tickets, handle: Handler, target: Any, priority: int,
            ) -> Generator[Event, None, None]:
    """One arrival stream: each call, as its caller's row of random numbers."""
    take = tickets.take
    for block in times:
        for t in ticks_of(block):
            if t >= end:  # rounded to the microsecond, it falls at the end
                return
            gap = t - env.now
            yield At(env, gap if gap > 0 else 0, None, priority)
            ticket, row = take()
            handle(target, ticket, row)
