"""The ``compare`` and ``plan`` commands: many runs, checkpointed, then a report.

Every argument is checked before the output directory is created, so that a
mistake leaves nothing behind and the corrected command needs no ``--force``.
The library names its parameters in its messages (``targets[0]: ...``); here
they are reworded to name the command's flags (``--target: ...``; see
:func:`huntsim.cli.common.as_flag`).
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import (
    CALLBACK_METRICS,
    COMPARISON_METRICS,
    policy_label,
    uses_callbacks,
)
from huntsim.analysis.formatting import plus_minus_note
from huntsim.cli.common import flag_errors, output_store, print_warnings, progress_of
from huntsim.errors import ScenarioError
from huntsim.experiments.by_hour import HOUR_LENGTH_S, unmet_lines
from huntsim.experiments.comparison import Comparison, compare
from huntsim.experiments.plan_setup import check_plan, resolve_group
from huntsim.experiments.planning import StaffingPlan, plan
from huntsim.experiments.seeds import resolve_seed
from huntsim.scenario.model import Scenario
from huntsim.views.console import fit_text, intervals_text, staffing_curve_text, text_table

__all__ = ["run_experiment"]

COMPARE_THRESHOLD_S = 20.0
"""Service-level threshold of ``compare`` without ``--threshold``."""


def _fingerprint(args: argparse.Namespace, scenario: Scenario,
                 settings: dict[str, Any]) -> dict[str, Any]:
    """What the experiment is, for its checkpoint store (unchanged: old runs resume)."""
    keys = ("command", "policies", "replications", "group", "targets", "members", "by_hour",
            "hour_length")
    given = {k: list(v) if isinstance(v, tuple | range) else v
             for k, v in vars(args).items() if k in keys}
    if not given.get("by_hour"):  # the fingerprint of a plan without it stays as it was
        given.pop("by_hour", None)
        given.pop("hour_length", None)
    return {"scenario": scenario.model_dump(mode="json"), **given, **settings}


def print_by_hour(by_hour: pd.DataFrame, largest: int | None = None) -> None:
    """Members needed by weekday (rows) and clock hour (columns), per policy.

    An hour no size tried is enough for shows ``>N``, ``N`` being ``largest``, the
    largest size tried (as in the report); ``-`` without it.
    """
    unmet = "-" if largest is None else f">{largest}"
    for policy, rows in by_hour.groupby("policy", sort=False):
        print(fit_text(f"\nMembers needed by hour ({policy_label(str(policy))}; '{unmet}': no "
                       "size tried is enough):"))
        if not len(rows):
            print("no hour has traffic")
            continue
        grid = rows.pivot_table(index="weekday", columns="hour", values="members_needed",
                                aggfunc="first", dropna=False)
        grid = grid.reindex(list(dict.fromkeys(rows["weekday"])))
        grid.columns = [f"{int(h):02d}" for h in grid.columns]
        grid.index.name = None
        text = grid.map(lambda v: unmet if pd.isna(v) else str(int(v)))
        present = rows.set_index(["weekday", "hour"]).index
        for day in grid.index:  # hours without traffic stay blank
            for column in grid.columns:
                if (day, int(column)) not in present:
                    text.loc[day, column] = ""
        print(text_table(["", *text.columns],
                         [[str(day), *(str(v) for v in text.loc[day])] for day in text.index]))
    for line in unmet_lines(by_hour):
        print(fit_text(line))


def print_schedule_gap(by_hour: pd.DataFrame, scenario: Scenario, pilot: str) -> None:
    """For a group whose members have schedules: members scheduled against members needed."""
    from huntsim.experiments.schedule_gap import gap_lines, scheduled_by_hour

    if all(scenario.agent(n).schedule is None for n in scenario.group(pilot).members):
        return
    scheduled = scheduled_by_hour(scenario, pilot)
    print("\nThe group's schedules against the need (the fewest logged in at any moment of "
          "each hour):")
    for policy, rows in by_hour.groupby("policy", sort=False):
        lines = gap_lines(rows, scheduled)
        print(f"{policy_label(str(policy))}: "
              + ("; ".join(lines) if lines else "as many scheduled as needed in every hour"))


def plan_text(staffing: StaffingPlan) -> str:
    """What ``huntsim plan`` prints: the staffing curve, the answer, the Erlang estimate."""
    parts = []
    for policy in staffing.policies:
        parts.append(f"Staffing curve, {policy_label(policy)} (group {staffing.group}):")
        parts.append(staffing_curve_text(staffing, policy))
        parts.append("")
    if staffing.replications > 1:  # one replication shows no ±
        parts.append(plus_minus_note(staffing.replications))
        parts.append("")
    parts.append(staffing.answer())
    estimate = staffing.estimate_lines()
    if estimate:
        parts.append("")
        parts.extend(estimate)
    return "\n".join(parts)


def compare_text(comparison: Comparison, group: str) -> str:
    """What ``huntsim compare`` prints: the verdict, then the key figures per policy."""
    rows = comparison.table[comparison.table["group"] == group]
    means = rows.groupby("metric")["mean"].max()
    callbacks = uses_callbacks(means.get)
    shown = [m for m in (comparison.level_metric, *COMPARISON_METRICS)
             if not (m == "forwarded_rate" and not means.get(m, 0) > 0)
             and not (m in CALLBACK_METRICS and not callbacks)
             and not (m == "callers_answered_rate"
                      and not means.get("attempts_per_caller", 1) > 1)]
    table = intervals_text(rows, "policy", shown,
                           comparison.policies,
                           {p: policy_label(p) for p in comparison.policies})
    note = [plus_minus_note(comparison.replications)] if comparison.replications > 1 else []
    return "\n".join([*comparison.verdict(group).lines(), "", table, *([""] if note else []),
                      *note])


def run_experiment(args: argparse.Namespace, scenario: Scenario) -> int:
    """Run ``compare`` or ``plan`` from parsed arguments; return the exit code."""
    if getattr(args, "roster", None) is not None:
        from huntsim.cli.roster import with_roster

        scenario = with_roster(args, scenario)
    if args.command == "plan":
        return _run_plan(args, scenario)
    return _run_compare(args, scenario)


def _run_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords ``compare`` and ``plan`` share: replications, and how the runs execute."""
    return {"replications": args.replications, "jobs": args.jobs,
            "scheduler": args.scheduler, "progress": progress_of(args)}


def _run_plan(args: argparse.Namespace, scenario: Scenario) -> int:
    from huntsim.views.report import write_plan

    with flag_errors():
        setup = check_plan(scenario, args.group, args.targets, args.members,
                           args.policies, args.seed, args.threshold)
    if args.hour_length is not None and not args.by_hour:
        raise ScenarioError(["--hour-length: only used with --by-hour"])
    out, store = output_store(args, lambda: _fingerprint(
        args, scenario, {"seed": setup.seed, "threshold": setup.threshold_s}))
    hour_length = args.hour_length if args.hour_length is not None else HOUR_LENGTH_S
    with flag_errors():
        staffing = plan(scenario, setup.group, setup.targets, setup.sizes, setup.policies,
                        seed=setup.seed, threshold_s=setup.threshold_s, store=store,
                        by_hour=args.by_hour, hour_length_s=hour_length, **_run_keywords(args))
    print_warnings(staffing.warnings)
    print(fit_text(plan_text(staffing)))
    if staffing.by_hour is not None:
        print_by_hour(staffing.by_hour, staffing.sizes[-1])
        print_schedule_gap(staffing.by_hour, scenario, setup.group)
    if out is not None:
        write_plan(staffing, out)
        print(f"\ntables, figures and report.html written to {out}/")
    return 0


def _run_compare(args: argparse.Namespace, scenario: Scenario) -> int:
    from huntsim.views.report import write_comparison

    group = resolve_group(scenario, args.group, "--group")
    seed = resolve_seed(scenario, args.seed)
    threshold = args.threshold if args.threshold is not None else COMPARE_THRESHOLD_S
    out, store = output_store(args, lambda: _fingerprint(
        args, scenario, {"seed": seed, "threshold": threshold}))
    with flag_errors():
        comparison = compare(scenario, args.policies, threshold_s=threshold, seed=seed,
                             store=store, group=group, **_run_keywords(args))
    print_warnings(comparison.warnings)
    print(fit_text(compare_text(comparison, group)))
    if out is not None:
        write_comparison(comparison, out, group)
        print(f"\ntables, figures and report.html written to {out}/")
    return 0
