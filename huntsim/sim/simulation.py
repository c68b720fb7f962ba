"""Running a scenario: :func:`simulate` and its :class:`Result`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.analysis.metrics import agent_table, summarize
from huntsim.scenario.advice import scenario_advice
from huntsim.scenario.arrivals import Poisson, Profile
from huntsim.scenario.calendar import WEEK, Calendar
from huntsim.scenario.model import (
    Agent,
    HuntGroup,
    Scenario,
    forward_map,
    group_map,
    load_scenario,
)
from huntsim.sim.engine import run_model
from huntsim.sim.records import CallLog
from huntsim.sim.totals import RunningTotals

__all__ = [
    "MIN_REPORTED_CALL_TIMES",
    "MIN_WARMUP_CALL_TIMES",
    "Result",
    "never_rung",
    "run_warnings",
    "scenario_warnings",
    "simulate",
]

MIN_REPORTED_CALL_TIMES = 20
"""A reported period (duration minus warm-up) shorter than this many mean call
times (talk and wrap-up, of the agent whose calls are longest) draws a warning."""

MIN_WARMUP_CALL_TIMES = 10
"""A queueing group fed at a constant rate whose warm-up is shorter than this
many of its mean call times draws a warning."""


@dataclass(frozen=True)
class Result:
    """What one run recorded, as tidy tables.

    Attributes
    ----------
    scenario : Scenario
        The scenario as simulated (after any policy override).
    seed : int
        The seed used; ``simulate(scenario, seed=result.seed)`` repeats the run.
    calls : DataFrame
        One row per call arriving after the warm-up: ``call_id``, ``kind``
        (pilot, direct), ``group`` (where the call ended: the last group it
        reached), ``dialed``, ``arrival_s``, ``outcome`` (answered, voicemail,
        busy, no_answer, abandoned, forwarded: passed out of the office,
        called_back: a queued caller who took a call back and answered it,
        callback_missed: one who took it and did not answer or was never
        called back),
        ``agent``, ``answer_s``, ``wait_s``, ``talk_s``, ``wrap_up_s``,
        ``end_s``, ``offers``, ``after_hours`` (a pilot call outside the
        ``open`` hours of the group it dialled: it rang nobody there),
        ``caller_id`` (the ``call_id`` of the caller's first call),
        ``attempt`` (1 for a caller's first call, 2 for their first redial...),
        ``forwards`` (how many times the call was forwarded) and
        ``closed_hops`` (bit ``h`` set when the h-th group it reached was
        closed; a bit per group however many, see
        :meth:`~huntsim.sim.records.CallLog._routes`); when some call was
        called back, ``callback_s`` (seconds from arrival to the call back;
        missing for other calls). ``None`` for a run made
        with ``keep="totals"``.
    offers : DataFrame
        One row per offer of those calls: ``call_id``, ``agent``,
        ``start_s``, ``end_s``, ``result`` (answered, no_answer,
        caller_hung_up, answered_elsewhere). ``None`` with ``keep="totals"``.
    agents : DataFrame
        One row per agent; see :func:`huntsim.analysis.metrics.agent_table`.
    absences : DataFrame or None
        One row per time an agent could not be rung though not on a call:
        ``agent``, ``reason`` (logged_out: outside their schedule; away;
        not_ready: after missed rings), ``start_s``, ``end_s``. Empty when the
        scenario has no schedules or absences; ``None`` with ``keep="totals"``.
    totals : RunningTotals or None
        The running totals of a run made with ``keep="totals"``.
    warnings : tuple of str
        Figures that would mislead if read without a word: an overloaded queue,
        a run too short for its warm-up effects, hunt groups or agents that got
        no calls. See :func:`run_warnings`.
    """

    scenario: Scenario
    seed: int
    calls: pd.DataFrame | None = field(repr=False)
    offers: pd.DataFrame | None = field(repr=False)
    agents: pd.DataFrame = field(repr=False)
    totals: RunningTotals | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()
    absences: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """A few lines in human units (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import result_text
        return result_text(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: a summary table and the key figure (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import result_html
        return result_html(self)

    @property
    def window_s(self) -> float:
        """Length of the reported period (duration minus warm-up), seconds."""
        return self.scenario.duration - self.scenario.warmup

    def summary(self, threshold_s: float = 20.0) -> pd.DataFrame:
        """Headline figures per hunt group and for direct calls.

        See :func:`huntsim.analysis.metrics.summarize`. A run made with
        ``keep="totals"`` computes it from its running totals instead.
        """
        if self.calls is None:
            assert self.totals is not None
            return self.totals.summary(threshold_s)
        groups = self.scenario.hunt_groups
        return summarize(self.calls, threshold_s, [g.pilot for g in groups],
                         forward_map(groups), self.offers, group_map(groups))


def simulate(
    scenario: Scenario | Mapping[str, Any] | str | Path,
    seed: int | None = None,
    policy: str | None = None,
    keep: Literal["calls", "totals"] = "calls",
) -> Result:
    """Simulate a scenario once.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        What to simulate (see :func:`huntsim.load_scenario`).
    seed : int, optional
        Seed of all randomness; defaults to the scenario's ``seed``, else fresh
        entropy (recorded in ``Result.seed``).
    policy : str, optional
        Use this hunt policy in every group instead of the scenario's.
    keep : {"calls", "totals"}
        ``"calls"`` keeps every call and offer (``Result.calls``, ``Result.offers``);
        ``"totals"`` keeps only running sums, so memory stays flat however long
        the run (``summary()`` and ``agents`` still work; quantiles of the wait
        are then exact to 0.1 s).

    Returns
    -------
    Result

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "101", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["101"], "voicemail": True,
    ...                            "arrivals": {"rate": "5/h"}}]}
    >>> result = simulate(office, seed=1)
    >>> sorted(result.calls["outcome"].unique()) == ["answered", "voicemail"]
    True
    """
    scenario = load_scenario(scenario)
    if policy is not None:
        scenario = scenario.with_policy(policy)
    if seed is None:
        seed = scenario.seed
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    agents_numbers = [a.number for a in scenario.agents]
    pilots = [g.pilot for g in scenario.hunt_groups]
    group_of: dict[str, list[str]] = {n: [] for n in agents_numbers}
    for group in scenario.hunt_groups:
        for number in group.members:
            group_of[number].append(group.pilot)
    names = [a.label for a in scenario.agents]
    # a member of several groups (one_group_per_member: false): their pilots, in file order
    groups = [", ".join(group_of[n]) or None for n in agents_numbers]
    window_s = scenario.duration - scenario.warmup
    if keep == "totals":
        totals = RunningTotals(agents_numbers, pilots, scenario.warmup, scenario.duration,
                               forward_map(scenario.hunt_groups))
        run_model(scenario, seed, totals)
        agent_rows = totals.agents(window_s, names, groups)
        offered = totals.summary()["offered"]
        return Result(scenario=scenario, seed=seed, calls=None, offers=None,
                      agents=agent_rows, totals=totals,
                      warnings=run_warnings(scenario, offered, agent_rows))
    if keep != "calls":
        raise ValueError(f"keep (={keep!r}) must be 'calls' or 'totals'")
    log = CallLog(agents_numbers, pilots)
    run_model(scenario, seed, log)
    arrivals = np.frombuffer(log.arrival, dtype="f8")
    ids = np.frombuffer(log.call_id, dtype=np.int64)
    reported = ids[arrivals >= scenario.warmup]
    first_call = int(reported.min()) if len(reported) else int(ids.max(initial=-1)) + 1
    del arrivals, ids, reported
    all_calls, all_offers = log.take_tables()  # ordered by call: warm-up calls come first
    absences = log.absences_frame()
    agents = agent_table(all_calls, all_offers, agents_numbers,
                         (scenario.warmup, scenario.duration), names=names, groups=groups,
                         absences=absences)
    # the reported rows, as views of the whole tables (nothing copied)
    calls = _rows_from(all_calls, first_call)
    offers = _rows_from(all_offers, first_call)
    del all_calls, all_offers
    pilot_calls = calls["group"][(calls["kind"] == "pilot").to_numpy()]
    offered = pilot_calls.value_counts().rename(index=str)
    return Result(scenario=scenario, seed=seed, calls=calls, offers=offers, agents=agents,
                  warnings=run_warnings(scenario, offered, agents), absences=absences)


def _rows_from(table: pd.DataFrame, first_call: int) -> pd.DataFrame:
    """The rows of ``table`` (ordered by ``call_id``) from call ``first_call`` on."""
    first_row = int(np.searchsorted(table["call_id"].to_numpy(), first_call))
    return table.iloc[first_row:].reset_index(drop=True) if first_row else table


def _call_time(agent: Agent) -> float:
    """Mean time a call keeps ``agent`` busy: talk and wrap-up (ringing not counted)."""
    return float(agent.talk_time.mean + agent.wrap_up.mean)


def _span(seconds: float) -> str:
    """A duration to three figures, in the largest unit that fits."""
    for unit, size in (("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds:.3g} s"


def _group_name(group: HuntGroup) -> str:
    return f"hunt group {group.pilot}" + (f" ({group.name})" if group.name else "")


def _agent_name(agent: Agent) -> str:
    return f"agent {agent.number}" + (f" ({agent.name})" if agent.name else "")


def never_rung(agent: Agent) -> str:
    """The run warning for an agent who got no calls (see :func:`run_warnings`)."""
    return f"{_agent_name(agent)} got no calls in the reported period (never rung)"


def _open_hours(scenario: Scenario, group: HuntGroup) -> tuple[float, float] | None:
    """Mean arrival rate and mean members logged in while the group is open.

    Sampled every minute over the first week (or the run, if shorter); None when
    neither the group nor its members keep hours.
    """
    members = [scenario.agent(n) for n in group.members]
    if group.open is None and all(a.schedule is None for a in members):
        return None
    arrivals = group.arrivals
    assert arrivals is not None
    t = np.arange(0.0, min(scenario.duration, 7 * 86400.0), 60.0)
    inside = _open_mask(group.open, scenario.start, t)
    if not inside.any():
        return None
    t = t[inside]
    if isinstance(arrivals, Profile):
        starts, steps, _ = arrivals._breakpoints()
        moment = t % arrivals.period if arrivals.period is not None else t
        index = np.searchsorted(starts, moment, side="right") - 1
        rates = np.where(index >= 0, steps[np.clip(index, 0, None)], 0.0)
    else:
        rates = np.full(len(t), arrivals.mean_rate(scenario.duration))
    present = sum(_open_mask(a.schedule, scenario.start, t).astype(float) for a in members)
    return float(np.mean(rates)), float(np.mean(present))


def _open_mask(calendar: Calendar | None, start: float, t: NDArray[np.float64],
               ) -> NDArray[np.bool_]:
    """Whether ``calendar`` is open at each simulation time ``t`` (always, without one)."""
    if calendar is None:
        return np.ones(len(t), dtype=bool)
    begins = np.array([b for b, _ in calendar.intervals])
    ends = np.array([e for _, e in calendar.intervals])
    moment = (start + t) % WEEK
    i = np.searchsorted(begins, moment, side="right") - 1
    return (i >= 0) & (moment < ends[np.clip(i, 0, None)])


def _overload(scenario: Scenario, group: HuntGroup) -> str | None:
    """The warning for a queueing group offered at least what its members can carry."""
    rate = group.arrivals.mean_rate(scenario.duration) if group.arrivals is not None else 0.0
    if group.all_busy_treatment != "queue" or not rate > 0:
        return None
    members = [scenario.agent(n) for n in group.members]
    call_s = sum(_call_time(a) for a in members) / len(members)
    present, when = float(len(members)), ""
    hours = _open_hours(scenario, group)
    if hours is not None:
        rate, present = hours
        when = " while the group is open"
    offered = rate * call_s
    direct = sum(
        min(1.0, a.direct_calls.mean_rate(scenario.duration) * _call_time(a))
        for a in members if a.direct_calls is not None
    )
    capacity = present - direct
    if offered < capacity:
        return None
    after_direct = f" ({capacity:.3g} after their own direct calls)" if direct > 0 else ""
    fate = ("callers wait as long as it takes: nearly every call is 'answered', after a "
            "wait that grows with the duration"
            if scenario.caller_patience is None
            else "most callers hang up before they are answered")
    return (f"{_group_name(group)} is overloaded{when}: {rate * 3600:.3g} calls/h x "
            f"{_span(call_s)} (talk and wrap-up) = {offered:.3g} Erlang offered to "
            f"{present:.3g} members who can carry at most {present:.3g} Erlang"
            f"{after_direct}; its queue grows and {fate}")


def scenario_warnings(scenario: Scenario) -> tuple[str, ...]:
    """What the scenario alone says will make its figures mislead.

    Notes
    -----
    First the mistakes that pass validation silently
    (:func:`huntsim.scenario.advice.scenario_advice`: a time written as a bare
    number implausible in seconds, open hours no member is scheduled for, calls
    mostly outside the open hours, a forward one digit from an office number),
    then the rules:

    * **Overloaded queue**: a group with ``when_all_busy: queue`` whose offered
      load (mean arrival rate over the run x its members' mean talk and wrap-up
      time) is at least what its members can carry (one Erlang each, less the
      load of their own direct calls). Ringing is not counted, so the rule only
      fires when overload is certain.
    * **Run too short**: the reported period (duration minus warm-up) is shorter
      than :data:`MIN_REPORTED_CALL_TIMES` mean call times (talk and wrap-up) of
      the agent whose calls are longest: calls cut off at its start and end then
      weigh on every figure.
    * **No warm-up for a steady state**: a queueing group fed at a constant rate
      (``arrivals: {rate: ...}``), not overloaded, whose warm-up is shorter than
      :data:`MIN_WARMUP_CALL_TIMES` of its mean call times: the run starts with
      an empty queue and idle members, so the first callers wait less than in
      the steady state the constant rate describes. (Profiles and traces describe
      a day that really starts empty, so they are not warned about.)

    Examples
    --------
    >>> office = {"duration": "10min", "agents": [{"number": "101", "talk_time": "3min"}]}
    >>> scenario_warnings(load_scenario(office))[0].startswith("the reported period")
    True
    """
    warnings: list[str] = list(scenario_advice(scenario))
    overloaded = set()
    for group in scenario.hunt_groups:
        message = _overload(scenario, group)
        if message is not None:
            overloaded.add(group.pilot)
            warnings.append(message)
    window = scenario.duration - scenario.warmup
    longest = max(scenario.agents, key=_call_time)
    need = MIN_REPORTED_CALL_TIMES * _call_time(longest)
    if window < need:
        warnings.append(
            f"the reported period ({_span(window)}, duration less warm-up) is shorter than "
            f"{MIN_REPORTED_CALL_TIMES} mean calls of {_agent_name(longest)} "
            f"({MIN_REPORTED_CALL_TIMES} x {_span(_call_time(longest))} = {_span(need)}): "
            "calls cut off at its start and end weigh on every figure; make the run longer"
        )
    for group in scenario.hunt_groups:
        if (group.all_busy_treatment != "queue" or group.pilot in overloaded
                or not isinstance(group.arrivals, Poisson) or not group.arrivals.rate > 0):
            continue
        members = [scenario.agent(n) for n in group.members]
        need = MIN_WARMUP_CALL_TIMES * sum(_call_time(a) for a in members) / len(members)
        if scenario.warmup < need:
            warnings.append(
                f"{_group_name(group)} queues callers arriving at a constant rate, but the "
                f"warm-up ({_span(scenario.warmup)}) is shorter than "
                f"{MIN_WARMUP_CALL_TIMES} of its mean calls ({_span(need)}): the run starts "
                "with an empty queue, so the first callers wait less than in the steady "
                f"state; set warmup to {_span(need)} or more"
            )
    return tuple(warnings)


def run_warnings(scenario: Scenario, offered: Mapping[str, int] | pd.Series,
                 agents: pd.DataFrame) -> tuple[str, ...]:
    """The warnings of one run: :func:`scenario_warnings`, then who got no calls.

    Parameters
    ----------
    scenario : Scenario
        The scenario as simulated.
    offered : mapping or Series
        Pilot calls offered in the reported period, by pilot number (missing: none).
    agents : DataFrame
        ``Result.agents``; an agent whose ``offers`` is 0 was never rung.

    Returns
    -------
    tuple of str
        One message per problem, in a stable order: mistakes in the scenario
        (:func:`~huntsim.scenario.advice.scenario_advice`), overloaded queues, a run
        too short, warm-up, hunt groups with no calls, agents never rung.
    """
    warnings = list(scenario_warnings(scenario))
    for group in scenario.hunt_groups:
        if int(offered.get(group.pilot, 0)) == 0:
            rate = (group.arrivals.mean_rate(scenario.duration)
                    if group.arrivals is not None else 0.0)
            if not rate > 0:
                why = ": no calls are due in the run's time (its arrivals, start and duration)"
            elif group.open is not None:
                why = ": every call came outside its open hours"
            else:
                why = ""
            warnings.append(f"{_group_name(group)} got no calls in the reported period{why}")
    rung = dict(zip(agents["agent"].astype(str), agents["offers"].astype(int), strict=True))
    for agent in scenario.agents:
        if rung.get(agent.number, 0) == 0:
            warnings.append(never_rung(agent))
    return tuple(warnings)
