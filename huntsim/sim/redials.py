"""Redials: a caller whose call ended in one of the group's ``redial`` outcomes
may call the same number again.

Built only for a scenario where some group's callers redial
(:func:`uses_redials`); a run without redials never consults it. A caller's
next call arrives after the group's ``delay``, with the group's
``probability``, at most ``max_attempts`` calls in all, never at or after the
end of the run, and after the new calls of that instant (by caller id). It
keeps the caller's row of random numbers: call ``k`` of a caller (from 0)
draws its patience, pick-ups, talk time and redial decision from sub-streams
of its own (pick-ups from ordinals ``k * 2**20 + j``), so the k-th call of a
caller meets the same luck under every policy. A caller told that the office
is closed does not call straight back.
"""

from __future__ import annotations

from typing import Protocol, cast

from huntsim.scenario.distributions import Distribution
from huntsim.scenario.model import Scenario
from huntsim.sim.events import REDIAL, At, Environment, Event
from huntsim.sim.records import PILOT, Outcome
from huntsim.sim.state import Call, Group
from huntsim.sim.streams import TicketBlock

__all__ = ["ATTEMPT_STRIDE", "Redials", "uses_redials"]

ATTEMPT_STRIDE = 1 << 20
"""Call ``k`` of a caller draws its pick-ups from ordinals ``k * ATTEMPT_STRIDE + j``."""

_OUTCOME_CODES = {"busy": Outcome.BUSY, "voicemail": Outcome.VOICEMAIL,
                  "no_answer": Outcome.NO_ANSWER, "abandoned": Outcome.ABANDONED}


class _Engine(Protocol):
    """What redials need of the engine."""

    env: Environment
    end: int
    groups: list[Group]

    def new_call(self, kind: int, group: Group | None, dialed: int, block: TicketBlock,
                 row: int, patience: list[int] | None) -> Call: ...

    def enter(self, call: Call, group: Group) -> None: ...


class _Rule:
    """One group's redial settings."""

    __slots__ = ("delay", "delay_key", "limit", "on", "probability")

    def __init__(self, on: int, probability: float, limit: int, delay: Distribution) -> None:
        self.on = on  # a bit per outcome code
        self.probability = probability
        self.limit = limit  # calls in all; 0: no limit
        self.delay = delay
        self.delay_key = 0


def _rule(scenario: Scenario, group: int) -> _Rule | None:
    redial = scenario.redial_of(scenario.hunt_groups[group])
    if redial is None or not redial.probability > 0:
        return None
    on = 0
    for outcome in redial.on:
        on |= 1 << _OUTCOME_CODES[outcome]
    return _Rule(on, redial.probability, redial.max_attempts or 0, redial.delay)


def uses_redials(scenario: Scenario) -> bool:
    """Whether the callers of any group may call again."""
    return any(_rule(scenario, g) is not None for g in range(len(scenario.hunt_groups)))


class Redials:
    """The redials of one run, wired to the engine.

    Parameters
    ----------
    engine : Engine
        The run's engine: its clock, its groups, and how a call is made and
        reaches a group.
    scenario : Scenario
        The groups' ``redial`` settings (or the scenario's).
    """

    def __init__(self, engine: _Engine, scenario: Scenario) -> None:
        self.engine = engine
        self.rules = [_rule(scenario, g) for g in range(len(scenario.hunt_groups))]
        keys: dict[Distribution, int] = {}
        for rule in self.rules:
            if rule is not None:
                rule.delay_key = keys.setdefault(rule.delay, len(keys))

    def after(self, call: Call, outcome: int) -> None:
        """The call ended unanswered with ``outcome``: its caller may call again."""
        if call.kind != PILOT:
            return
        rule = self.rules[call.dialed]
        if rule is None or not rule.on >> outcome & 1:
            return
        if call.closed_hops >> call.forwards & 1:
            return  # told that the office is closed: no straight call back
        attempt = call.attempt + 1  # the next call, counted from 0
        if rule.limit and attempt >= rule.limit:
            return
        block, row = call.block, call.row
        if block.uniform("redial", attempt)[row] >= rule.probability:
            return
        delay = block.times("redial_delay", attempt, rule.delay_key, rule.delay)[row]
        env = self.engine.env
        if env.now + delay >= self.engine.end:
            return  # the run is over by then: no more calls arrive
        At(env, delay, (call, attempt), REDIAL + call.caller_id).callbacks.append(self._redial)

    def _redial(self, event: Event) -> None:
        """The caller of ``previous`` calls the same pilot again."""
        previous, attempt = cast(tuple[Call, int], event.value)
        engine = self.engine
        block, row = previous.block, previous.row
        group = engine.groups[previous.dialed]
        call = engine.new_call(PILOT, group, previous.dialed, block, row,
                               block.patience_of(attempt))
        call.caller = previous.caller_id
        call.caller_arrival = previous.caller_arrival if previous.attempt else previous.arrival
        call.caller_closed = previous.caller_closed if previous.attempt else bool(
            previous.closed_hops & 1)
        call.attempt = attempt
        call.next_ordinal = attempt * ATTEMPT_STRIDE
        engine.enter(call, group)
