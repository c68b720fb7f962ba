"""The ``compare`` and ``plan`` commands: many runs, checkpointed, then a report.

Every argument is checked before the output directory is created, so that a
mistake leaves nothing behind and the corrected command needs no ``--force``.
The library names its parameters in its messages (``targets[0]: ...``); here
they are reworded to name the command's flags (``--target: ...``).
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import plus_minus_note
from huntsim.cli.common import print_warnings
from huntsim.errors import ScenarioError
from huntsim.experiments.by_hour import HOUR_LENGTH_S
from huntsim.experiments.comparison import Comparison, compare
from huntsim.experiments.measure import Measurement
from huntsim.experiments.plan_setup import check_plan
from huntsim.experiments.planning import StaffingPlan, plan
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.seeds import resolve_seed
from huntsim.outputs import OutputError, prepare_directory
from huntsim.scenario.model import Scenario
from huntsim.views.console import intervals_text, staffing_curve_text

__all__ = ["run_experiment"]

SHOWN_METRICS = ("answered_rate", "voicemail_rate", "abandoned_rate", "mean_wait_s",
                 "p90_wait_s", "jain_index", "callers_answered_rate", "forwarded_rate")
COMPARE_THRESHOLD_S = 20.0
"""Service-level threshold of ``compare`` without ``--threshold``."""

_FLAGS = {
    "targets": "--target", "group": "--group", "members": "--members",
    "policies": "--policies", "threshold_s": "--threshold", "seed": "--seed",
    "replications": "--replications", "jobs": "--jobs", "scheduler": "--scheduler",
    "hour_length_s": "--hour-length",
}
_PARAMETER = re.compile(r"^([a-z_]+)(\[\d+\])?: ")


def as_flag(message: str, flags: dict[str, str] = _FLAGS) -> str:
    """Reword a library message that names a parameter to name its flag instead.

    Examples
    --------
    >>> as_flag("targets[1]: 'wait<5' is not a target")
    "--target: 'wait<5' is not a target"
    >>> as_flag("hunt_groups[0].members[2]: '9' is not an agent")
    "hunt_groups[0].members[2]: '9' is not an agent"
    """
    match = _PARAMETER.match(message)
    if match is None or match.group(1) not in flags:
        return message
    return f"{flags[match.group(1)]}: {message[match.end():]}"


@contextmanager
def _flag_errors(flags: dict[str, str] = _FLAGS) -> Iterator[None]:
    """Errors raised inside name the command's flags, not the library's parameters."""
    try:
        yield
    except ScenarioError as error:
        raise ScenarioError([as_flag(m, flags) for m in error.messages]) from None
    except OutputError as error:
        raise OutputError(as_flag(str(error), flags)) from None


def _fingerprint(args: argparse.Namespace, scenario: Scenario,
                 settings: dict[str, Any]) -> dict[str, Any]:
    keys = ("command", "policies", "replications", "group", "targets", "members", "by_hour",
            "hour_length")
    given = {k: list(v) if isinstance(v, tuple | range) else v
             for k, v in vars(args).items() if k in keys}
    if not given.get("by_hour"):  # the fingerprint of a plan without it stays as it was
        given.pop("by_hour", None)
        given.pop("hour_length", None)
    return {"scenario": scenario.model_dump(mode="json"), **given, **settings}


def _output(args: argparse.Namespace, scenario: Scenario, settings: dict[str, Any],
            ) -> tuple[Path | None, CheckpointStore[Measurement] | None]:
    """The output directory and its checkpoint store; call only once all is checked."""
    if args.resume is not None:
        out = Path(args.resume)
        if not out.is_dir():
            raise OutputError(f"--resume: {str(out)!r} is not a directory of an earlier run")
    elif args.out is not None:
        out = prepare_directory(args.out, args.force)
        if args.force and (out / "runs").is_dir():
            shutil.rmtree(out / "runs")
    else:
        return None, None
    flag = "--resume" if args.resume is not None else "--out"
    with _flag_errors({"directory": flag}):
        store: CheckpointStore[Measurement] = CheckpointStore(
            out / "runs", _fingerprint(args, scenario, settings))
    return out, store


def print_by_hour(by_hour: pd.DataFrame) -> None:
    """Members needed by weekday (rows) and clock hour (columns), per policy."""
    for policy, rows in by_hour.groupby("policy", sort=False):
        print(f"\nMembers needed by hour ({policy}; '-': no size tried is enough):")
        if not len(rows):
            print("no hour has traffic")
            continue
        grid = rows.pivot_table(index="weekday", columns="hour", values="members_needed",
                                aggfunc="first", dropna=False)
        grid = grid.reindex(list(dict.fromkeys(rows["weekday"])))
        grid.columns = [f"{int(h):02d}" for h in grid.columns]
        grid.index.name = None
        text = grid.map(lambda v: "-" if pd.isna(v) else str(int(v)))
        present = rows.set_index(["weekday", "hour"]).index
        for day in grid.index:  # hours without traffic stay blank
            for column in grid.columns:
                if (day, int(column)) not in present:
                    text.loc[day, column] = ""
        print(text.to_string())


def plan_text(staffing: StaffingPlan) -> str:
    """What ``huntsim plan`` prints: the staffing curve, the answer, the Erlang estimate."""
    parts = []
    for policy in staffing.policies:
        parts.append(f"Staffing curve, {policy.capitalize()} (group {staffing.group}):")
        parts.append(staffing_curve_text(staffing, policy))
        parts.append("")
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
    shown = [m for m in (comparison.level_metric, *SHOWN_METRICS)
             if not (m == "forwarded_rate" and not means.get(m, 0) > 0)
             and not (m == "callers_answered_rate"
                      and not means.get("attempts_per_caller", 1) > 1)]
    table = intervals_text(rows, "policy", shown,
                           comparison.policies,
                           {p: p.capitalize() for p in comparison.policies})
    return "\n".join([*comparison.verdict(group).lines(), "", table, "",
                      plus_minus_note(comparison.replications)])


def run_experiment(args: argparse.Namespace, scenario: Scenario) -> int:
    """Run ``compare`` or ``plan`` from parsed arguments; return the exit code."""
    from huntsim.views.report import write_comparison, write_plan

    progress = False if args.quiet else (True if args.progress else None)
    options = {"replications": args.replications, "jobs": args.jobs,
               "scheduler": args.scheduler, "progress": progress}
    if args.command == "plan":
        with _flag_errors():
            setup = check_plan(scenario, args.group, args.targets, args.members,
                               args.policies, args.seed, args.threshold)
        if args.hour_length is not None and not args.by_hour:
            raise ScenarioError(["--hour-length: only used with --by-hour"])
        out, store = _output(args, scenario, {"seed": setup.seed,
                                              "threshold": setup.threshold_s})
        hour_length = args.hour_length if args.hour_length is not None else HOUR_LENGTH_S
        with _flag_errors():
            staffing = plan(scenario, setup.group, setup.targets, setup.sizes, setup.policies,
                            seed=setup.seed, threshold_s=setup.threshold_s, store=store,
                            by_hour=args.by_hour, hour_length_s=hour_length, **options)
        print_warnings(staffing.warnings)
        print(plan_text(staffing))
        if staffing.by_hour is not None:
            print_by_hour(staffing.by_hour)
        if out is not None:
            write_plan(staffing, out)
            print(f"\ntables, figures and report.html written to {out}/")
        return 0
    group = args.group or (scenario.hunt_groups[0].pilot if scenario.hunt_groups else None)
    if group is None or group not in {g.pilot for g in scenario.hunt_groups}:
        pilots = ", ".join(repr(g.pilot) for g in scenario.hunt_groups) or "none"
        raise ScenarioError([f"--group: {group!r} is not a pilot (pilots: {pilots})"])
    seed = resolve_seed(scenario, args.seed)
    threshold = args.threshold if args.threshold is not None else COMPARE_THRESHOLD_S
    out, store = _output(args, scenario, {"seed": seed, "threshold": threshold})
    with _flag_errors():
        comparison = compare(scenario, args.policies, threshold_s=threshold, seed=seed,
                             store=store, group=group, **options)
    print_warnings(comparison.warnings)
    print(compare_text(comparison, group))
    if out is not None:
        write_comparison(comparison, out, group)
        print(f"\ntables, figures and report.html written to {out}/")
    return 0
