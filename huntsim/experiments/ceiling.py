"""Targets that no group size can reach: a ceiling set by the members' pick-up chance.

Each member is offered a call at most once in a group, and picks up with
``answer_probability`` within the time-out. So even when every member is free,
a call rings out on all of them with probability ``prod(1 - q_i)``, ``q_i``
being member ``i``'s chance of picking up within the time-out; ``max_wait``
bounds how many members a call can ring at all. That is a floor under the
share of calls nobody answers (voicemail or no answer, without caller
patience), and a ceiling over the answered share and the service level, that
no traffic can improve: a target beyond it is out of reach at that size.

With caller patience, a call that rings out on every member reaches voicemail
only if its caller is still there after those rings: the floor under the
voicemail share is the ring-out chance times the chance that patience outlasts
the longest such ring (groups that do not queue callers). And every answered
call waits at least the answering member's pick-up delay (``answer_delay``),
so the mean wait to answer has a floor too, whatever the size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from huntsim.analysis.formatting import format_value
from huntsim.experiments.plan_setup import added_members
from huntsim.experiments.targets import Target
from huntsim.scenario.agents import Agent
from huntsim.scenario.model import Scenario

__all__ = ["Ceiling", "ceilings"]

_GRID = (np.arange(4000) + 0.5) / 4000
"""Quantile levels at which an answer delay is read to find its chance within the time-out."""


@dataclass(frozen=True)
class Ceiling:
    """A target out of reach at a size, whatever the traffic.

    Attributes
    ----------
    target : Target
        The target.
    size : int
        The largest size tried.
    best : float
        The best value the target's metric can take at ``size``.
    needed : int or None
        The fewest members for which the bound allows the target; ``None``: no size.
    cause : str
        Why, in words.
    patience : bool
        ``best`` counts only the callers who outlast the rings (caller patience).
    """

    target: Target
    size: int
    best: float
    needed: int | None
    cause: str
    patience: bool = False

    def source(self) -> str:
        """What sets the ceiling, in a few words: the members' pick-up chance or delay."""
        if self.target.metric == "mean_wait_s":
            return "the members' pick-up delay"
        return "the members' pick-up chance" + (" and the callers' patience" if self.patience
                                                else "")

    def text(self) -> str:
        """The ceiling in plain words."""
        unanswered = self.target.metric in ("voicemail_rate", "no_answer_rate")
        shown = format_value(self.target.metric, self.best)
        if self.target.metric == "mean_wait_s":
            what = f"the mean wait to answer is at least {shown}"
        elif unanswered and self.patience:
            what = f"{shown} of calls ring out on every member with their caller still there"
        elif unanswered:
            what = f"{shown} of calls ring out unanswered"
        else:
            what = f"at most {shown} of calls are answered"
        more = (f"; it takes at least {self.needed} members" if self.needed is not None
                else "; no number of members reaches it")
        return (f"{self.target.label_text()} is out of reach with up to {self.size} members: "
                f"{self.cause}, so even with every member free {what}{more}")


def _pick_up(scenario: Scenario, agent: Agent, timeout_s: float) -> float:
    """The chance that ``agent`` picks up a group call within ``timeout_s``."""
    within = float(np.mean(agent.answer_delay.quantile(_GRID) <= timeout_s))
    return agent.answer_probability * within


def _rings_at_most(scenario: Scenario, pilot: str) -> int | None:
    """How many members a call can ring before ``max_wait`` ends it (``None``: all)."""
    group = scenario.group(pilot)
    if group.max_wait is None or group.policy == "simultaneous":
        return None
    step = (scenario.stagger_s(group) if group.policy == "staggered"
            else scenario.timeout_s(group))
    return max(1, math.ceil(group.max_wait / step))


def _floor(chances: Sequence[float], cap: int | None) -> float:
    """The least share of calls nobody answers: the best ``cap`` members all let it ring."""
    tried = sorted(chances, reverse=True)[:cap] if cap is not None else chances
    return float(np.prod([1.0 - q for q in tried]))


def ceilings(scenario: Scenario, pilot: str, targets: Sequence[Target], size: int,
             alone: bool = False, limit: int = 200) -> tuple[Ceiling, ...]:
    """The targets that the group ``pilot`` cannot meet with ``size`` members, whatever
    the traffic (see the module's docstring).

    Parameters
    ----------
    scenario : Scenario
        The office.
    pilot : str
        The group.
    targets : sequence of Target
        Targets on ``voicemail_rate``, ``no_answer_rate``, ``answered_rate``, the
        service level and ``mean_wait_s`` are judged; the others never have a
        ceiling here.
    size : int
        The largest group size tried.
    alone : bool
        The group without its ``forward`` (as staffing by hour simulates it).
    limit : int
        The largest size searched for ``Ceiling.needed``.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> from huntsim.experiments.targets import parse_target
    >>> office = load_scenario({"duration": "8h", "agents": [
    ...     {"number": "1", "talk_time": "3min", "answer_probability": 0.5}],
    ...     "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True}]})
    >>> [c.needed for c in ceilings(office, "100", [parse_target("voicemail_rate<=1%")], 5)]
    [7]
    """
    group = scenario.group(pilot)
    if group.forward is not None and not alone and set(group.forward.when) != {"after_hours"}:
        return ()  # calls it passes on may be answered elsewhere
    if group.rering is not None:
        return ()  # members are rung again round after round: no once-each bound
    timeout = scenario.timeout_s(group)
    listed = [_pick_up(scenario, scenario.agent(n), timeout) for n in group.members]
    template = added_members(scenario, pilot).template
    extra = _pick_up(scenario, Agent.model_validate({**template, "number": "added"}), timeout)
    cap = _rings_at_most(scenario, pilot)

    def chances(n: int) -> list[float]:
        return listed[:n] + [extra] * max(0, n - len(listed))

    # without caller patience, every call nobody answers ends in the no-answer treatment;
    # with it, those whose caller outlasts the rings (when callers are not queued first)
    patience = scenario.caller_patience
    unanswered: str | None = "voicemail_rate" if group.voicemail else "no_answer_rate"
    if patience is not None and group.all_busy_treatment == "queue":
        unanswered = None
    outlast = _outlast(scenario, pilot, timeout, cap)
    agents = [scenario.agent(n) for n in group.members]
    added = Agent.model_validate({**template, "number": "added"})
    found = []
    for target in targets:
        metric = target.metric
        if metric == "mean_wait_s":
            least = _least_wait(scenario, [*agents, added][:size] if size > len(agents)
                                else agents[:size], timeout)
            if not target.met(least):
                found.append(Ceiling(target, size, least, None, _delay_cause(least)))
            continue
        if metric == unanswered:
            def bound(n: int) -> float:
                return _floor(chances(n), cap) * outlast(n)
        elif metric == "answered_rate" or metric.startswith("service_level"):
            def bound(n: int) -> float:
                return 1.0 - _floor(chances(n), cap)
        else:
            continue
        best = bound(size)
        if target.met(best):
            continue
        needed = next((n for n in range(size + 1, limit + 1) if target.met(bound(n))), None)
        found.append(Ceiling(target, size, best, needed,
                             _cause(chances(size), cap, group.max_wait),
                             patience is not None and metric == unanswered))
    return tuple(found)


def _survival(scenario: Scenario, t: np.ndarray) -> np.ndarray:
    """The chance that a caller's patience outlasts each time in ``t`` (1 without patience)."""
    patience = scenario.caller_patience
    if patience is None:
        return np.ones_like(t, dtype=float)
    levels = np.sort(patience.quantile(_GRID))
    return 1.0 - np.searchsorted(levels, t, side="right") / len(levels)


def _outlast(scenario: Scenario, pilot: str, timeout_s: float,
             cap: int | None) -> Callable[[int], float]:
    """The chance, per size, that a caller outlasts the longest ring-out on every member."""
    group = scenario.group(pilot)

    def outlast(n: int) -> float:
        rung = n if cap is None else min(n, cap)
        if group.policy == "simultaneous":
            longest = timeout_s
        elif group.policy == "staggered":
            longest = scenario.stagger_s(group) * (rung - 1) + timeout_s
        else:
            longest = rung * timeout_s
        if group.max_wait is not None:
            longest = min(longest, float(group.max_wait))
        return float(_survival(scenario, np.array([longest]))[0])

    return outlast


def _least_wait(scenario: Scenario, agents: Sequence[Agent], timeout_s: float) -> float:
    """The least mean wait to answer: the quickest member's mean pick-up delay within the
    time-out (with patience, among the callers still there when he picks up)."""
    least = math.inf
    for agent in agents:
        delays = agent.answer_delay.quantile(_GRID)
        delays = delays[delays <= timeout_s]
        if not len(delays):
            continue
        weights = _survival(scenario, delays)
        if weights.sum() > 0:
            least = min(least, float(np.average(delays, weights=weights)))
    return least if least < math.inf else 0.0


def _delay_cause(least: float) -> str:
    """Why the mean wait cannot go lower, in words."""
    return ("every answered call first rings until its member picks up (answer_delay), "
            f"{format_value('mean_wait_s', least)} on average for the quickest member")


def _cause(chances: Sequence[float], cap: int | None, max_wait: float | None) -> str:
    """Why nobody may answer, in words."""
    low, high = min(chances), max(chances)
    share = (f"{100 * low:.3g} %" if math.isclose(low, high)
             else f"{100 * low:.3g}-{100 * high:.3g} %")
    words = f"members pick up only {share} of the rings they get within the time-out"
    if cap is not None and cap < len(chances):
        words += (f", and max_wait ({format_value('talk_s', float(max_wait or 0))}) lets a "
                  f"call ring at most {cap} of them")
    return words
