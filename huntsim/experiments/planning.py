"""Capacity planning: the fewest members that meet every target, per policy.

:func:`plan` simulates the group at every size in a range (each size with the
same replication seeds, so the staffing curve is smooth), reports each metric
with its interval, and picks the smallest size whose mean meets every target.
An Erlang estimate stands beside each size.

With ``by_hour=True`` it also sizes the group hour by hour (see
:func:`staffing_by_hour`): for each hour of the week with traffic, the fewest
logged-in members that meet the targets at that hour's rate, the table a
planner turns into shifts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import policy_label
from huntsim.analysis.formatting import format_value
from huntsim.errors import ScenarioError
from huntsim.experiments.by_hour import HOUR_LENGTH_S, staffing_by_hour
from huntsim.experiments.ceiling import Ceiling, ceilings
from huntsim.experiments.estimate import ErlangEstimate, first_estimate
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import Rewrite, interval_table, run_measurements
from huntsim.experiments.measure import Measurement, RunTask
from huntsim.experiments.peak import PeakNeed, erlang_shift, peak_of, simulated_peak
from huntsim.experiments.plan_setup import (
    AddedMembers,
    PlanSetup,
    added_members,
    check_plan,
    resize_group,
)
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.targets import Target, metric_label
from huntsim.scenario.model import Scenario
from huntsim.sim.simulation import never_rung, scenario_warnings

__all__ = ["StaffingPlan", "plan"]


@dataclass(frozen=True)
class StaffingPlan:
    """The result of :func:`plan`.

    Attributes
    ----------
    curve : DataFrame
        ``policy, members, metric, mean, ci_low, ci_high, n``: the staffing curve.
    recommendation : DataFrame
        Per policy: ``members`` (smallest size meeting every target, or missing),
        ``certain`` (the whole interval meets every target at that size), ``added``
        (of them, members added to the group's list, see :attr:`added`),
        ``peak_hours`` and ``peak_members`` (the hours that need more members than
        ``members``, and how many; missing when none do), ``peak_method``
        (``simulated``: by the staffing by hour; ``erlang``: the Erlang estimate
        of the busiest hours, when it exceeds both Erlang's answer for the whole
        run and ``members``), ``note`` (all of it in words, targets by their
        catalog labels).
    erlang : DataFrame
        ``members, offered_load_erlang, pilot_load_erlang, direct_load_erlang,
        erlang_b_blocking, erlang_c_service_level_<T>s``: textbook figures per
        size for the peak hour's load (see :attr:`estimate`).
    warnings : tuple of str
        The runs' warnings (see :func:`huntsim.sim.simulation.run_warnings`), each once;
        those only the sizes the plan made give say at which size, and an agent the
        plan left out of the group is not reported as never rung.
    by_hour : DataFrame or None
        With ``plan(..., by_hour=True)``: staffing hour by hour, see
        :func:`staffing_by_hour`; otherwise ``None``.
    estimate : ErlangEstimate or None
        The Erlang first estimate from the peak hour's pilot and direct-call
        load with talk and wrap-up (see :func:`huntsim.experiments.estimate.first_estimate`),
        and what it leaves out.
    added : AddedMembers or None
        Who the sizes above the group's list add, and their hours.
    ceilings : tuple of Ceiling
        Targets out of reach at the largest size whatever the traffic (see
        :func:`huntsim.experiments.ceiling.ceilings`).
    """

    scenario: Scenario
    group: str
    targets: tuple[Target, ...]
    sizes: tuple[int, ...]
    policies: tuple[str, ...]
    replications: int
    seed: int
    threshold_s: float
    curve: pd.DataFrame = field(repr=False)
    recommendation: pd.DataFrame = field(repr=False)
    erlang: pd.DataFrame = field(repr=False)
    raw: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()
    by_hour: pd.DataFrame | None = field(default=None, repr=False)
    estimate: ErlangEstimate | None = field(default=None, repr=False)
    added: AddedMembers | None = field(default=None, repr=False)
    ceilings: tuple[Ceiling, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        """A few lines in human units (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import plan_text
        return plan_text(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: a summary table and the key figure (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import plan_html
        return plan_html(self)

    def answer(self) -> str:
        """The recommendation in plain words, one line per policy."""
        lines = []
        for row in self.recommendation.itertuples():
            lines.append(f"{policy_label(str(row.policy))}: {row.note}")
        added = self.added_line()
        if added:
            lines.append(added)
        callback = self.callback_line()
        if callback:
            lines.append(callback)
        return "\n".join(lines)

    def callback_line(self) -> str:
        """How call backs count against the targets ("" when the group calls nobody back).

        A caller called back was served but not answered: ``answered_rate`` and the
        service level count callers answered live, ``served_rate`` adds those called
        back and reached; a call back missed is lost in both.
        """
        group = self.scenario.group(self.group)
        if group.callback is None:
            return ""
        named = {t.metric for t in self.targets}
        hint = ("" if "served_rate" in named else
                "; target served_rate (e.g. 'served_rate>=90%') to count them as served")
        return (f"Group {self.group} calls callers back: answered and the service level "
                "count callers answered live, so a caller called back counts as not "
                "answered there; served_rate (answered or called back) counts them as "
                f"served, and a call back missed is lost{hint}.")

    def added_line(self) -> str:
        """Who the sizes above the group's list add, and their hours ("" when none do).

        With one recommended size, that size's members: those listed and those added.
        """
        added = self.added
        if added is None or self.sizes[-1] <= added.listed:
            return ""
        chosen = {int(m) for m in self.recommendation["members"] if not pd.isna(m)}
        if len(chosen) == 1 and (size := chosen.pop()) > added.listed:
            return added.describe(size)
        return added.describe()

    def estimate_lines(self) -> list[str]:
        """The Erlang first estimate, and how far each policy's simulated answer is from it."""
        if self.estimate is None:
            return []
        lines = [self.estimate.describe()]
        floor = max((c.needed for c in self.ceilings if c.needed is not None), default=None)
        for policy, members in zip(self.recommendation["policy"],
                                   self.recommendation["members"], strict=True):
            if pd.isna(members) and self.ceilings:
                causes = " and ".join(dict.fromkeys(c.source() for c in self.ceilings))
                plural = " and " in causes
                reach = (f"need{'' if plural else 's'} at least {floor} members"
                         if floor is not None and all(c.needed is not None
                                                      for c in self.ceilings) else
                         f"put{'' if plural else 's'} the targets out of reach of any number "
                         "of members")
                line = (f"{policy_label(str(policy))}: no size tried meets the targets; "
                        f"{causes} alone {reach}, which Erlang, answering every ring at once, "
                        "does not see")
                bound = {c.target for c in self.ceilings}
                others = [t.label_text() for t in self.targets if t not in bound]
                if others:
                    verb = "depends" if len(others) == 1 else "depend"
                    line += (f"; {' and '.join(others)} also {verb} on what Erlang leaves "
                             "out: " + "; ".join(self.estimate.reasons))
                lines.append(line + ".")
                continue
            lines.append(self.estimate.gap(None if pd.isna(members) else int(members),
                                           str(policy)))
        return lines


def plan(
    scenario: Scenario | str | Any,
    group: str,
    targets: Sequence[str | Target],
    members: Sequence[int] = range(1, 16),
    policies: Sequence[str] | None = None,
    replications: int = 10,
    seed: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
    threshold_s: float | None = None,
    by_hour: bool = False,
    hour_length_s: float = HOUR_LENGTH_S,
) -> StaffingPlan:
    """Find the fewest members of ``group`` that meet every target.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        The office.
    group : str
        Pilot number of the hunt group to size, or its name (case aside).
    targets : sequence of str or Target
        E.g. ``["voicemail_rate<=0.05", "service_level_20s>=0.8"]``; all must hold.
        ``service_level`` alone is the service level within ``threshold_s``.
    members : sequence of int
        Group sizes to try.
    policies : sequence of str, optional
        Policies to plan for; default the group's own.
    replications, jobs, scheduler, progress, store
        As for :func:`huntsim.compare`.
    seed : int, optional
        Master seed; default the scenario's ``seed``, else 0.
    threshold_s : float, optional
        Service-level threshold (seconds) of the ``service_level_<T>s`` metric in
        the staffing curve, the Erlang C estimate and the targets. Default: the
        one the targets name, else :data:`DEFAULT_THRESHOLD_S`. A target naming
        another threshold is refused.
    by_hour : bool
        Also size the group for each hour of the week that has traffic
        (:func:`staffing_by_hour`), into ``StaffingPlan.by_hour``.
    hour_length_s : float
        With ``by_hour``: the reported length of each run of one hour's
        traffic, seconds (after a warm-up of at least :data:`HOUR_WARMUP_S`).

    Raises
    ------
    ScenarioError
        Before anything is simulated, one message per mistake in the arguments,
        each naming its parameter (see :func:`check_plan`).

    Examples
    --------
    Five Erlang offered to members who always answer: Erlang B says 9 members
    keep blocking under 5 % (B(8) = 0.070, B(9) = 0.0375).

    >>> office = {"duration": "200h", "agent_defaults": {"talk_time": "3min"},
    ...           "agents": [{"number": "1"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "arrivals": {"rate": "100/h"}}]}
    >>> p = plan(office, "100", ["voicemail_rate<=0.05"], members=[8, 9, 10],
    ...          replications=3, jobs=1)
    >>> int(p.recommendation["members"].iloc[0])
    9
    """
    setup = check_plan(scenario, group, targets, members, policies, seed, threshold_s,
                       replications)
    if by_hour and not 0 < hour_length_s < math.inf:
        raise ScenarioError([f"hour_length_s: {hour_length_s!r} must be a number of seconds "
                             "greater than 0"])
    execution = Execution(jobs, scheduler, progress, store)
    runs = run_measurements(_tasks(setup), ["policy", "members", "replication"], execution,
                            _size_warnings(setup))
    raw = runs.metrics[runs.metrics["group"] == setup.group].drop(columns="group")
    curve = interval_table(raw, ["policy", "members", "metric"])
    warnings = runs.warnings
    if setup.replications < 2:
        warnings = (*warnings, "one replication gives no interval: each size is judged on its "
                               "mean alone; run at least two replications for intervals")
    estimate = first_estimate(setup.scenario, setup.group, setup.targets, setup.sizes,
                              setup.threshold_s)
    hours = None
    if by_hour:
        hours, noisy = staffing_by_hour(setup, replications, hour_length_s,
                                        **execution.keywords())
        warnings = (*warnings, *noisy)
    added = added_members(setup.scenario, setup.group)
    ceiling = ceilings(setup.scenario, setup.group, setup.targets, setup.sizes[-1])
    recommendation = _recommend(curve, setup.targets, setup.policies, setup.sizes, ceiling)
    return StaffingPlan(
        scenario=setup.scenario, group=setup.group, targets=setup.targets, sizes=setup.sizes,
        policies=setup.policies, replications=replications, seed=setup.seed,
        threshold_s=setup.threshold_s, curve=curve,
        recommendation=_with_peaks(recommendation, setup, hours, added),
        erlang=estimate.table, raw=raw, warnings=warnings, by_hour=hours, estimate=estimate,
        added=added, ceilings=ceiling,
    )


def _with_peaks(recommendation: pd.DataFrame, setup: PlanSetup, hours: pd.DataFrame | None,
                added: AddedMembers) -> pd.DataFrame:
    """The recommendation with the members added and the hours that need more members."""
    table = recommendation.copy()
    shift = None
    if hours is None and table["members"].notna().any():
        shift = erlang_shift(setup.scenario, setup.group, setup.targets, setup.threshold_s)
    peaks: list[PeakNeed | None] = []
    for policy, members in zip(table["policy"], table["members"], strict=True):
        chosen = None if pd.isna(members) else int(members)
        if hours is not None:
            peaks.append(simulated_peak(hours[hours["policy"] == policy], chosen,
                                        setup.sizes[-1]))
        else:
            peaks.append(None if shift is None or chosen is None else peak_of(shift, chosen))
    table["added"] = pd.array([None if pd.isna(m) else max(0, int(m) - added.listed)
                               for m in table["members"]], dtype="Int64")
    table["peak_hours"] = [p.hours if p else "" for p in peaks]
    table["peak_members"] = pd.array([p.members if p else None for p in peaks], dtype="Int64")
    table["peak_method"] = [p.method if p else "" for p in peaks]
    table["note"] = [note + (f"; {p.text()}" if p else "")
                     for note, p in zip(table["note"], peaks, strict=True)]
    return table[["policy", "members", "certain", "added", "peak_hours", "peak_members",
                  "peak_method", "note"]]


def _size_warnings(setup: PlanSetup) -> Rewrite:
    """Rewords the runs' warnings that only the sizes the plan made give, so that they do
    not blame the file: an agent the plan left out of the group (in no group, no direct
    calls of his own) is never rung, so that warning is dropped; what the scenario alone
    warns about at a size but not as written (open hours nobody is scheduled for, at a
    small size) says at which size."""
    own = set(scenario_warnings(setup.scenario))
    made: dict[int, tuple[set[str], set[str]]] = {}

    def made_at(size: int) -> tuple[set[str], set[str]]:
        if size not in made:
            resized = resize_group(setup.scenario, setup.group, size)
            members = {m for g in resized.hunt_groups for m in g.members}
            idle = {never_rung(a) for a in resized.agents
                    if a.number not in members and a.direct_calls is None}
            made[size] = (set(scenario_warnings(resized)) - own, idle)
        return made[size]

    def rewrite(labels: tuple[tuple[str, Any], ...], warning: str) -> str | None:
        size = dict(labels).get("members")
        if size is None:
            return warning
        new, idle = made_at(int(size))
        if warning in idle:
            return None
        if warning in new:
            members = "member" if int(size) == 1 else "members"
            return f"at {size} {members} (a size the plan tried, not your file's): {warning}"
        return warning

    return rewrite


def _tasks(setup: PlanSetup) -> list[RunTask]:
    """One run per size, policy and replication; the same seeds at every size and policy."""
    seeds = setup.settings.seeds()
    tasks: list[RunTask] = []
    for size in setup.sizes:
        resized = resize_group(setup.scenario, setup.group, size)
        for policy in setup.policies:
            scenario = resized.with_policy(policy, [setup.group])
            tasks.extend(RunTask(f"policy-{policy}_members-{size:03d}_rep-{i:04d}",
                                 scenario, s, setup.threshold_s,
                                 (("policy", policy), ("members", size), ("replication", i)))
                         for i, s in enumerate(seeds))
    return tasks


def _recommend(curve: pd.DataFrame, targets: Sequence[Target], policies: Sequence[str],
               sizes: Sequence[int], ceiling: Sequence[Ceiling] = ()) -> pd.DataFrame:
    rows = []
    for policy in policies:
        chosen, certain = None, False
        for size in sizes:
            block = curve[(curve["policy"] == policy) & (curve["members"] == size)]
            mean, low, high = (
                dict(zip(block["metric"], block[column].to_numpy(dtype=float), strict=True))
                for column in ("mean", "ci_low", "ci_high")
            )
            if all(t.met(mean.get(t.metric, math.nan)) for t in targets):
                chosen = size
                certain = all(t.met(low.get(t.metric, math.nan))
                              and t.met(high.get(t.metric, math.nan)) for t in targets)
                break
        wanted = " and ".join(t.label_text() for t in targets)
        if chosen is None:
            largest = curve[(curve["policy"] == policy) & (curve["members"] == sizes[-1])]
            at_largest = dict(zip(largest["metric"], largest["mean"].to_numpy(dtype=float),
                                  strict=True))
            missed = ", ".join(
                f"{metric_label(t.metric)} is "
                f"{format_value(t.metric, at_largest.get(t.metric, math.nan))}"
                if t.metric in at_largest else f"{metric_label(t.metric)} is not measured per run"
                for t in targets if not t.met(at_largest.get(t.metric, math.nan))
            )
            note = (f"no size from {sizes[0]} to {sizes[-1]} members meets {wanted}; "
                    f"at {sizes[-1]} members {missed}")
            note += "".join(f"; {c.text()}" for c in ceiling)
        else:
            note = f"{chosen} members meet {wanted} over the whole run"
            if not certain:
                note += " (the 95 % interval still straddles a target: add replications)"
        rows.append({"policy": policy, "members": chosen, "certain": certain, "note": note})
    table = pd.DataFrame(rows)
    table["members"] = table["members"].astype("Int64")
    return table


