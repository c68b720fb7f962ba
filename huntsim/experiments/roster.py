"""From staffing by hour to shifts: :func:`roster` chooses how many people work each
shift, then simulates the rostered office and repairs the hours that miss a target.

1. The need: the members each hour of the week needs, from
   :func:`~huntsim.experiments.by_hour.staffing_by_hour` (simulation of each hour's
   traffic as a steady state, not only Erlang), for the office the roster makes
   (:func:`~huntsim.experiments.roster_scenario.sizing_office`): the group's members
   made like the rostered people, one tier (no member penalties or weights).
2. The roster: the cheapest counts of people per shift that have at least that many
   logged in for the whole of every hour (:func:`~huntsim.experiments.roster_solve.solve`,
   a MILP; breaks do not count in their hour).
3. The check: the rostered office (:mod:`huntsim.experiments.roster_scenario`),
   simulated over its own ``duration``, replications with common seeds. Hours alike
   (same clock hour, traffic, need and people logged in) are judged together; one whose
   target interval (widened for the number of such cases checked, Bonferroni) lies
   wholly on the wrong side misses; its need becomes one more than
   it has logged in, and the roster is solved again, until every hour meets its
   targets, no shift can add to a missing hour, or ``rounds`` run out. Hours no
   size tried was enough for in staffing by hour (a target out of reach) are staffed
   at the largest size tried and not repaired; with one replication nothing is
   judged or repaired.

An hour's need holds in the minutes of it the group is open: an office that opens at
07:30 needs its 07:00 hour's members from 07:30 only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.analysis.formatting import clip_interval
from huntsim.errors import ScenarioError
from huntsim.experiments.by_hour import HOUR_LENGTH_S, staffing_by_hour
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import interval_table, run_measurements
from huntsim.experiments.measure import Measurement, RunTask
from huntsim.experiments.peak import hours_text
from huntsim.experiments.plan_setup import PlanSetup, added_members, check_plan
from huntsim.experiments.roster_scenario import (
    rostered_mapping,
    rostered_objects,
    rostered_scenario,
    scenario_source,
    scenario_yaml,
    shared_note,
    sizing_office,
)
from huntsim.experiments.roster_solve import HOURS_PER_WEEK, Solution, need_of, solve
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.schedule_gap import open_minutes
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.targets import Target
from huntsim.scenario.calendar import WEEKDAYS
from huntsim.scenario.model import Scenario, load_scenario
from huntsim.scenario.shifts import Shift, ShiftRules, load_shifts

__all__ = ["Roster", "roster"]

DEFAULT_ROUNDS = 4
"""Rounds of simulate-and-repair after the first roster."""


@dataclass(frozen=True)
class Roster:
    """The result of :func:`roster`.

    Attributes
    ----------
    table : DataFrame
        One row per shift: ``shift, days, start, end, count`` (people on it), then
        ``break`` (``12:00-12:30`` or empty), ``hours_per_week`` (per person, break
        included) and ``cost_per_week`` (all its people).
    coverage : DataFrame
        One row per hour of the week that needs members, has people logged in or
        has simulated calls: ``day, hour, needed`` (from staffing by hour),
        ``required`` (what the last roster was solved for, after repairs),
        ``scheduled`` (the fewest people logged in at any moment of the hour: a
        break counts), ``calls_per_hour`` (simulated; missing for an hour the run does
        not reach),
        then each target metric with ``_ci_low`` and ``_ci_high``: the figure of the
        hours alike pooled (same clock hour, traffic, need and people logged in) and its
        interval, widened for the number of such cases and targets checked (Bonferroni,
        95 % for all together: with many hours, one would miss by chance now and then),
        clipped to what the metric can take (a share to 0-1); ``met`` (no target's
        interval lies wholly on the wrong side) and ``certain`` (every target's whole
        interval meets it; an interval of no width, every run the same, is not
        certain), both judged on the interval written. With one replication there is no
        interval: the ``_ci`` columns are empty and ``met`` and ``certain`` ``None``.
    scenario : Scenario
        The rostered office, as simulated.
    group : str
        The group's pilot.
    targets : tuple of Target
    cost, lp_bound : float
        Weekly cost of the roster, and of the LP relaxation for the same need (no
        roster of these shifts costs less).
    first_lp_bound : float
        The LP bound for the need of staffing by hour, before any repair.
    need_hours : int
        Member-hours a week that staffing by hour asks for (the need summed).
    paid_hours : float
        Hours a week the roster pays for (breaks included).
    rounds : list of str
        What each round found and changed, in words.
    unmet : list of str
        Hours that still miss a target, or whose need no roster can cover, and why.
    yaml_text : str or None
        ``rostered.yaml``; ``None`` when the scenario was given as an object or lists
        blocks of agents (then only :attr:`scenario` holds it).
    by_hour : DataFrame
        The staffing by hour the need came from.
    warnings : tuple of str
        The runs' warnings, each once.
    made_like : str
        What the rostered people copy, in words (the group's own members are replaced).
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    scenario: Scenario
    group: str
    targets: tuple[Target, ...]
    cost: float
    lp_bound: float
    first_lp_bound: float
    need_hours: int
    paid_hours: float
    replications: int
    rounds: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    yaml_text: str | None = None
    by_hour: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    warnings: tuple[str, ...] = ()
    made_like: str = ""

    @property
    def people(self) -> int:
        """People on the roster."""
        return int(self.table["count"].sum())

    def lines(self) -> list[str]:
        """The roster in words: :meth:`headline`, the repairs, what is unmet."""
        made = [self.made_like] if self.made_like else []
        return [*self.headline(), *made, *self.rounds, *self.unmet]

    def headline(self) -> list[str]:
        """Its size and cost against the bounds, whether the hours meet the targets."""
        gap = (self.cost / self.lp_bound - 1) * 100 if self.lp_bound > 0 else 0.0
        coverage = self.coverage
        runs = f"{self.replications} replication{'s' if self.replications != 1 else ''}"
        targets = " and ".join(t.text() for t in self.targets)
        lines = [
            f"Roster for group {self.group}: {self.people} people, cost {self.cost:.6g} a week "
            f"({self.paid_hours:.6g} paid hours); least possible (LP bound) "
            f"{self.lp_bound:.6g} ({gap:+.1f} %); the hourly need summed is "
            f"{self.need_hours} member-hours."]
        out = sorted(need_of(self.by_hour, 0)[1]) if "members_needed" in self.by_hour else []
        if out:
            lines.append(f"No roster meets {targets} in {_count(len(out))} "
                         f"({_hours_text(out)}): no size tried was enough in staffing by "
                         "hour (below); those hours are staffed at the largest size tried "
                         "and not repaired.")
        short = _slots(coverage[coverage["scheduled"] < coverage["needed"]])
        if short:
            lines.append(f"{_count(len(short))} ha{'s' if len(short) == 1 else 've'} fewer "
                         f"people logged in than needed ({_hours_text(short)}; below).")
        idle = _slots(coverage[(coverage["scheduled"] > 0) & (coverage["needed"] == 0)])
        if idle:
            lines.append(f"{_count(len(idle))} ha{'s' if len(idle) == 1 else 've'} people "
                         f"logged in but need{'s' if len(idle) == 1 else ''} nobody "
                         f"({_hours_text(idle)}): the shifts' days and hours put them there "
                         "(paid all the same); shifts that leave those hours out would cost "
                         "less.")
        if self.replications < 2:
            lines.append(f"One replication gives no interval: no hour is judged against "
                         f"{targets} ({runs}); run at least two.")
            return lines
        met = coverage["met"].astype(bool)
        reachable = ~pd.Series(_slots(coverage), index=coverage.index).isin(out)
        missed = _slots(coverage[~met & reachable])
        unsure = _slots(coverage[met & ~coverage["certain"].astype(bool) & reachable])
        others = "Of the other hours, none" if out else "No hour"
        if missed:
            lines.append(f"Not every hour meets {targets} in the simulated rostered office "
                         f"({runs}): {_count(len(missed))} miss ({_hours_text(missed)}).")
        elif out and not reachable.any():
            pass
        elif out or short or unsure:
            lines.append(f"{others} clearly misses {targets} in the simulated rostered "
                         f"office ({runs}).")
        else:
            lines.append(f"Every hour meets {targets} in the simulated rostered office "
                         f"({runs}).")
        unseen = coverage[(coverage["needed"] > 0) & coverage["calls_per_hour"].isna()]
        if len(unseen):
            one = len(unseen) == 1
            lines.append(f"{_count(len(unseen))} that need{'s' if one else ''} members "
                         f"{'was' if one else 'were'} not checked: the run does not report "
                         f"{'it' if one else 'them'} ({_hours_text(_slots(unseen))}; its "
                         "warm-up or duration); give the scenario a week or more after its "
                         "warm-up.")
        if unsure:
            lines.append(f"{_count(len(unsure))} meet{'s' if len(unsure) == 1 else ''} the "
                         "targets only within their intervals (the interval straddles a "
                         f"target, or has no width): {_hours_text(unsure)}; more "
                         "replications would settle them.")
        return lines

    def __str__(self) -> str:
        return "\n".join([*self.lines(), "", self._shifts()])

    def __repr__(self) -> str:
        """A few lines: the roster's size and cost, and its shifts (``print(roster)`` for
        the whole account, :attr:`scenario` and :attr:`yaml_text` for the office)."""
        return "\n".join([self.headline()[0], self._shifts()])

    def _shifts(self) -> str:
        shown = self.table[self.table["count"] > 0][["shift", "days", "start", "end", "count"]]
        return shown.to_string(index=False)

    def _repr_html_(self) -> str:
        from huntsim.views.roster_report import roster_html

        return roster_html(self)

    def report(self, out_dir: str | Path, force: bool = True) -> Path:
        """Write ``roster.csv``, ``coverage.csv``, ``rostered.yaml`` and ``report.html``."""
        from huntsim.outputs import prepare_directory
        from huntsim.views.roster_report import write_roster

        return write_roster(self, prepare_directory(out_dir, force))


def roster(
    scenario: Scenario | str | Path | Mapping[str, Any],
    group: str,
    targets: Sequence[str | Target],
    shifts: str | Path | Sequence[Any] | Mapping[str, Any] | ShiftRules | None = None,
    members: Sequence[int] = range(1, 16),
    seed: int | None = None,
    threshold_s: float | None = None,
    replications: int = 10,
    rounds: int = DEFAULT_ROUNDS,
    hour_length_s: float = HOUR_LENGTH_S,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
) -> Roster:
    """The cheapest roster of shifts that meets the targets, checked by simulation.

    Parameters
    ----------
    scenario : Scenario, path or mapping
        The office. A file or mapping is written back, changed only in the
        group's members, as ``rostered.yaml``.
    group : str
        Pilot (or name) of the group to roster.
    targets : sequence of str or Target
        As for :func:`~huntsim.experiments.planning.plan`: ``'voicemail_rate<=5%'``.
    shifts : path, list, mapping or ShiftRules, optional
        The shift rules (see :mod:`huntsim.scenario.shifts`); default the
        scenario's ``shifts:`` key.
    members : sequence of int
        Group sizes staffing by hour may try in an hour.
    seed, threshold_s, replications
        As for :func:`~huntsim.experiments.planning.plan`; ``replications``
        also sets the runs of the rostered office per round.
    rounds : int
        Most rounds of simulate-and-repair after the first roster.
    hour_length_s : float
        Reported length of each steady-state run of staffing by hour, seconds.
    jobs, scheduler, progress, store
        See :class:`~huntsim.experiments.execution.Execution`.

    Returns
    -------
    Roster

    Raises
    ------
    ScenarioError
        One message per mistake, naming the parameter: ``shifts[0].start: ...``.

    Examples
    --------
    >>> office = {"duration": "1w", "seed": 1,
    ...           "agents": [{"number": "1", "talk_time": {"dist": "exponential",
    ...                                                    "mean": "3min"}}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "open": ["mon-fri 09:00-17:00"], "arrivals": {"rate": "40/h"}}]}
    >>> shifts = [{"name": "day", "days": "mon-fri", "start": "09:00", "length": "8h"}]
    >>> result = roster(office, "100", ["voicemail_rate<=5%"], shifts, replications=2,
    ...                 hour_length_s=3600, jobs=1, progress=False)
    >>> result.table[["shift", "days", "start", "end", "count"]].values.tolist()
    [['day', 'mon-fri', '09:00', '17:00', 5]]
    """
    base = load_scenario(scenario)
    problems: list[str] = []
    rules: tuple[Shift, ...] = ()
    try:
        rules = _rules(base, shifts)
    except ScenarioError as error:
        problems.extend(error.messages)
    try:
        setup = check_plan(base, group, targets, members, None, seed, threshold_s,
                           replications)
    except ScenarioError as error:
        problems.extend(error.messages)
    if not isinstance(rounds, int) or rounds < 0:
        problems.append(f"rounds: {rounds!r} must be a whole number of at least 0")
    if problems:
        raise ScenarioError(problems)
    execution = Execution(jobs, scheduler, progress, store)
    # the need is sized for the office the roster makes: one tier of people alike
    sizing = replace(setup, scenario=sizing_office(setup.scenario, setup.group))
    by_hour, warnings = staffing_by_hour(sizing, replications, hour_length_s, jobs, scheduler,
                                         progress, store)
    need, unreachable = need_of(by_hour, setup.sizes[-1])
    return _repair(setup, scenario, rules, need, unreachable, by_hour, warnings, rounds,
                   execution)


def _rules(base: Scenario, shifts: Any) -> tuple[Shift, ...]:
    if shifts is not None:
        return load_shifts(shifts)
    if base.shifts is None:
        raise ScenarioError(["shifts: give the shift rules (a file or a list), or a scenario "
                             "with a top-level shifts: list"])
    return base.shifts


def _repair(setup: PlanSetup, source: Any, rules: tuple[Shift, ...], need: NDArray[np.int_],
            unreachable: dict[int, str], by_hour: pd.DataFrame, warnings: tuple[str, ...],
            rounds: int, execution: Execution) -> Roster:
    """Solve, simulate, raise the need where an hour misses, and again (see the module)."""
    written, folder = scenario_source(source)
    rates = _rates(by_hour)
    opened = open_minutes(setup.scenario, setup.group)
    solution = first = solve(need, rules, opened)
    required = need.copy()  # the need, raised where the simulated office missed
    if not solution.counts.sum():
        if need.any():  # every hour that needs members is out of the shifts' reach
            raise ScenarioError([
                f"shifts: no roster of these shifts puts anyone in the hours group "
                f"{setup.group!r} needs members: " + "; ".join(_grouped(first.capped))])
        raise ScenarioError([f"group: {setup.group!r} needs nobody in any hour (no pilot "
                             "calls in its open hours) and no shift has a min: nothing to "
                             "roster"])
    said: list[str] = []
    verdict = setup.replications > 1  # one replication: no interval, no verdict
    for r in range(rounds + 1):
        stuck: dict[int, str] = {}
        mapping = rostered_mapping(setup.scenario, written, setup.group, rules,
                                   solution.counts)
        office = (rostered_scenario(mapping, folder) if mapping is not None else
                  rostered_objects(setup.scenario, setup.group, rules, solution.counts))
        simulated, hourly, run_warnings = _simulate(setup, office, r, execution)
        warnings = tuple(dict.fromkeys([*warnings, *_about_roster(run_warnings)]))
        cases = {slot: (slot % 24, rates[slot], int(need[slot]),
                        int(solution.scheduled[slot]), int(solution.required[slot]))
                 for slot in range(HOURS_PER_WEEK) if need[slot] or rates[slot] > 0}
        judged = _judged(hourly, cases, setup.targets)
        coverage = _coverage(setup.targets, need, solution, simulated, judged, verdict)
        name = "First roster" if r == 0 else f"Repair round {r}"
        if not verdict:
            said.append(f"{name}: one replication gives no interval, so no hour is judged "
                        "and nothing is repaired; run at least two replications.")
            missed = []
            break
        missed = [int(WEEKDAYS.index(d)) * 24 + int(h) for d, h, met in
                  zip(coverage["day"], coverage["hour"], coverage["met"], strict=True)
                  if met is False or met is np.False_]
        # hours no size tried was enough for miss whatever the roster: nothing to repair
        missed = [slot for slot in missed if slot not in unreachable]
        if not missed:
            said.append(f"{name}: no other hour misses a target (no interval lies wholly "
                        "on the wrong side)." if unreachable else
                        f"{name}: no hour misses a target (no interval lies wholly on the "
                        "wrong side).")
            break
        head = (f"{name}: {_count(len(missed))} "
                f"miss{'es' if len(missed) == 1 else ''} a target ({_hours_text(missed)})")
        if r == rounds:
            said.append(head + ".")
            break
        raised = required.copy()
        for slot in missed:
            raised[slot] = max(raised[slot], int(solution.scheduled[slot]) + 1)
        candidate = solve(raised, rules, opened)
        stuck = {slot: candidate.capped[slot] for slot in missed
                 if slot in candidate.capped
                 and candidate.required[slot] <= solution.scheduled[slot]}
        if len(stuck) == len(missed):
            said.append(head + "; no shift can add a person there.")
            break
        said.append(head + f"; asking one more person in {len(missed) - len(stuck)} of them.")
        required, solution = raised, candidate
    unmet = _grouped({s: f"no size tried was enough in staffing by hour: {why}"
                      for s, why in unreachable.items()})
    unmet += _grouped({s: f"the need cannot be covered: {why}"
                       for s, why in first.capped.items()})
    unmet += _grouped({s: f"misses a target and no shift can add a person: {why}"
                       for s, why in stuck.items() if first.capped.get(s) != why})
    if missed and len(stuck) < len(missed):
        unmet.append(f"Still missing after {_rounds_text(rounds)}: {_hours_text(missed)}; "
                     "give more rounds or replications.")
    table = _table(rules, solution.counts)
    return Roster(
        table=table, coverage=coverage, scenario=office, group=setup.group,
        targets=setup.targets, cost=solution.cost, lp_bound=solution.lp_bound,
        first_lp_bound=first.lp_bound, need_hours=int(need.sum()),
        paid_hours=float(sum(s.length / 3600 * len(s.weekdays) * c
                             for s, c in zip(rules, solution.counts, strict=True))),
        replications=setup.replications, rounds=said, unmet=unmet,
        yaml_text=(None if mapping is None else scenario_yaml(mapping, _head(setup, rules))),
        by_hour=by_hour, warnings=warnings, made_like=_made_like(setup))


def _made_like(setup: PlanSetup) -> str:
    """The note on what each rostered person copies, and what becomes of shared members."""
    group = setup.scenario.group(setup.group)
    members = group.members
    like = added_members(setup.scenario, setup.group).like
    text = (f"Each rostered person is made like {like}, on their shift's schedule; the "
            f"group's own {len(members)} member{'s' if len(members) != 1 else ''} "
            f"({', '.join(members[:5])}{', ...' if len(members) > 5 else ''}) "
            f"{'are' if len(members) != 1 else 'is'} replaced.")
    shared = shared_note(setup.scenario, setup.group)
    if shared:
        text += f" {shared[0].upper()}{shared[1:]}; the need is sized for them alone."
    if group.penalties is not None and any(group.penalties):
        text += (" The group's member penalties"
                 + (" and penalty_wait" if group.penalty_wait is not None else "")
                 + " are dropped: the rostered people are one tier, rung alike, and the "
                 "hourly need is sized for that one tier.")
    if group.callback is not None:
        text += (" The group calls callers back: a caller called back counts in "
                 "served_rate, not in answered_rate or the service level.")
    return text


def _about_roster(run_warnings: Sequence[str]) -> list[str]:
    """The runs' warnings, said of the rostered office (not the user's scenario); those on
    hours none of the group's members is scheduled are left out: the roster's own lines say
    which hours are short and why."""
    return [f"the rostered office (rostered.yaml): {w}" for w in run_warnings
            if "none of its members is scheduled" not in w]


def _rates(by_hour: pd.DataFrame) -> NDArray[np.float64]:
    """Pilot calls per hour in each hour of the week, from staffing by hour."""
    rates = np.zeros(HOURS_PER_WEEK)
    for day, hour, rate in zip(by_hour["weekday"], by_hour["hour"], by_hour["rate_per_hour"],
                               strict=True):
        for d in (range(7) if day == "daily" else [WEEKDAYS.index(str(day))]):
            rates[d * 24 + int(hour)] = round(float(rate), 6)
    return rates


def _head(setup: PlanSetup, rules: Sequence[Shift]) -> str:
    targets = ", ".join(t.text() for t in setup.targets)
    return (f"# Rostered by huntsim roster: group {setup.group}'s members replaced by one "
            f"agent per rostered person\n# ({', '.join(s.name for s in rules)} shifts), "
            f"for {targets}.\n")


def _rounds_text(rounds: int) -> str:
    return ("the first roster (no repair rounds)" if rounds == 0 else
            f"{rounds} repair round{'s' if rounds > 1 else ''}")


def _slots(rows: pd.DataFrame) -> list[int]:
    """Hours of the week of rows of a coverage table."""
    return [WEEKDAYS.index(str(d)) * 24 + int(h)
            for d, h in zip(rows["day"], rows["hour"], strict=True)]


def _count(hours: int) -> str:
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


def _hours_text(slots: Sequence[int]) -> str:
    """Hours of the week as spans, days with the same spans together: ``mon-fri 11:00-12:00``."""
    return hours_text(pd.DataFrame({"weekday": [WEEKDAYS[s // 24] for s in slots],
                                    "hour": [s % 24 for s in slots]}))


def _grouped(reasons: Mapping[int, str]) -> list[str]:
    """One line per reason: the hours it applies to, then the reason."""
    by_reason: dict[str, list[int]] = {}
    for slot in sorted(reasons):
        by_reason.setdefault(reasons[slot], []).append(slot)
    return [f"{_hours_text(slots)}: {why}" for why, slots in by_reason.items()]


def _simulate(setup: PlanSetup, office: Scenario, round_number: int, execution: Execution,
              ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """Hourly figures of the rostered office over replications with the plan's seeds:
    ``weekday, hour, metric, mean, ci_low, ci_high, n`` for the group (95 % intervals),
    and the runs' hourly values (``replication, weekday, hour, metric, value``)."""
    seeds = replication_seeds(setup.seed, setup.replications)
    tasks = [RunTask(f"roster_round-{round_number:02d}_rep-{i:04d}", office, s,
                     setup.threshold_s, (("round", round_number), ("replication", i)))
             for i, s in enumerate(seeds)]
    runs = run_measurements(tasks, ["round", "replication"], execution)
    hourly = runs.hourly[runs.hourly["group"] == setup.group]
    return interval_table(hourly, ["weekday", "hour", "metric"]), hourly, runs.warnings


def _judged(hourly: pd.DataFrame, cases: Mapping[int, tuple[Any, ...]],
            targets: Sequence[Target]) -> pd.DataFrame:
    """Intervals for the miss decision, ``weekday, hour, metric, mean, ci_low, ci_high``.

    Hours alike (the same clock hour, pilot traffic, need and people logged in: Monday
    to Friday 10:00 in most offices) are pooled, each run's value of each such hour one
    observation; the intervals are widened for the number of cases and targets checked
    (Bonferroni), so that one case of many does not miss by chance.
    """
    slot = (hourly["weekday"].map(WEEKDAYS.index).to_numpy() * 24
            + hourly["hour"].to_numpy(dtype=int))
    number = {key: k for k, key in enumerate(dict.fromkeys(cases.values()))}
    case = np.array([number.get(cases.get(int(s), ()), -1) for s in slot])
    pooled = hourly.assign(case=case)[case >= 0]
    checks = max(1, len(set(case[case >= 0].tolist())) * len(targets))
    table = interval_table(pooled, ["case", "metric"], confidence=1 - 0.05 / checks)
    by_case = {(int(c), str(m)): row for c, m, *row in
               table[["case", "metric", "mean", "ci_low", "ci_high"]]
               .itertuples(index=False, name=None)}
    seen = set(slot.tolist())  # hours the runs reported: the others are not judged
    rows = [(WEEKDAYS[s // 24], s % 24, metric, *by_case[(c, metric)])
            for s, c in ((s, number[key]) for s, key in cases.items() if s in seen)
            for metric in {t.metric for t in targets} if (c, metric) in by_case]
    return pd.DataFrame(rows, columns=["weekday", "hour", "metric", "mean", "ci_low",
                                       "ci_high"])


def _missed(target: Target, mean: float, low: float, high: float) -> bool:
    """Whether an hour clearly misses: its interval lies wholly on the wrong side (an hour
    without calls, or without an interval, is not judged)."""
    if math.isnan(mean) or math.isnan(low) or math.isnan(high):
        return False
    return not target.met(low if target.operator in ("<=", "<") else high)


def _certain(target: Target, mean: float, low: float, high: float) -> bool:
    """Whether an hour meets the target with its whole interval (or has no calls); an
    interval of no width (every run the same) is no certainty."""
    if math.isnan(mean):
        return True
    if math.isnan(low) or math.isnan(high) or not high > low:
        return False
    return target.met(high if target.operator in ("<=", "<") else low)


def _intervals(table: pd.DataFrame) -> dict[tuple[str, int, str], tuple[float, float, float]]:
    return {(str(d), int(h), str(m)): (mean, low, high) for d, h, m, mean, low, high in
            table[["weekday", "hour", "metric", "mean", "ci_low", "ci_high"]]
            .itertuples(index=False, name=None)}


def _coverage(targets: Sequence[Target], need: NDArray[np.int_], solution: Solution,
              simulated: pd.DataFrame, judged: pd.DataFrame, verdict: bool) -> pd.DataFrame:
    """One row per hour of the week that needs, has or gets anything (see :class:`Roster`):
    calls per hour from ``simulated``, each target metric's figure and interval from
    ``judged`` (clipped to what the metric can take), which ``met`` and ``certain`` are
    judged on; both ``None`` without a ``verdict`` (one replication)."""
    found, wide = _intervals(simulated), _intervals(judged)
    calls = {(d, h): v[0] for (d, h, m), v in found.items() if m == "offered_per_hour"}
    metrics = list(dict.fromkeys(t.metric for t in targets))
    rows = []
    for slot in range(HOURS_PER_WEEK):
        day, hour = WEEKDAYS[slot // 24], slot % 24
        rate = calls.get((day, hour), math.nan)
        if not (need[slot] or solution.scheduled[slot] or rate > 0):
            continue
        row: dict[str, Any] = {"day": day, "hour": hour, "needed": int(need[slot]),
                               "required": int(solution.required[slot]),
                               "scheduled": int(solution.scheduled[slot]),
                               "calls_per_hour": rate}
        met = certain = True
        for metric in metrics:
            mean, low, high = wide.get((day, hour, metric), (math.nan,) * 3)
            if not verdict:
                low = high = math.nan
            low, high = clip_interval(metric, low, high)
            row.update({metric: mean, f"{metric}_ci_low": low, f"{metric}_ci_high": high})
            for target in (t for t in targets if t.metric == metric):
                met = met and not _missed(target, mean, low, high)
                certain = certain and _certain(target, mean, low, high)
        row["met"] = met if verdict else None
        row["certain"] = certain if verdict else None
        rows.append(row)
    columns = ["day", "hour", "needed", "required", "scheduled", "calls_per_hour",
               *(c for m in metrics for c in (m, f"{m}_ci_low", f"{m}_ci_high")), "met",
               "certain"]
    table = pd.DataFrame(rows, columns=columns)
    if not verdict:
        table[["met", "certain"]] = table[["met", "certain"]].astype(object)
    return table


def _table(rules: Sequence[Shift], counts: NDArray[np.int_]) -> pd.DataFrame:
    rows = []
    for shift, count in zip(rules, counts, strict=True):
        pause = ""
        if shift.break_ is not None:
            (_, begin), (end, _) = shift.pieces()
            pause = f"{_clock(begin)}-{_clock(end)}"
        rows.append({"shift": shift.name, "days": shift.days, "start": shift.start,
                     "end": shift.end, "count": int(count), "break": pause,
                     "hours_per_week": shift.length / 3600 * len(shift.weekdays),
                     "cost_per_week": shift.weekly_cost * int(count)})
    return pd.DataFrame(rows, columns=["shift", "days", "start", "end", "count", "break",
                                       "hours_per_week", "cost_per_week"])


def _clock(seconds: float) -> str:
    minutes = round(seconds / 60) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
