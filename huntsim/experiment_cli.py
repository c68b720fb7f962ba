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

from huntsim.cli import print_warnings
from huntsim.comparison import compare
from huntsim.errors import ScenarioError
from huntsim.outputs import OutputError, prepare_directory
from huntsim.planning import check_plan, plan
from huntsim.replications import Measurement, resolve_seed
from huntsim.runner import CheckpointStore
from huntsim.scenario import Scenario

__all__ = ["run_experiment"]

SHOWN_METRICS = ("answered_rate", "voicemail_rate", "abandoned_rate", "mean_wait_s",
                 "p90_wait_s", "jain_index")
COMPARE_THRESHOLD_S = 20.0
"""Service-level threshold of ``compare`` without ``--threshold``."""

_FLAGS = {
    "targets": "--target", "group": "--group", "members": "--members",
    "policies": "--policies", "threshold_s": "--threshold", "seed": "--seed",
    "replications": "--replications", "jobs": "--jobs", "scheduler": "--scheduler",
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
    keys = ("command", "policies", "replications", "group", "targets", "members")
    given = {k: list(v) if isinstance(v, tuple | range) else v
             for k, v in vars(args).items() if k in keys}
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


def run_experiment(args: argparse.Namespace, scenario: Scenario) -> int:
    """Run ``compare`` or ``plan`` from parsed arguments; return the exit code."""
    from huntsim.report import write_comparison, write_plan

    progress = False if args.quiet else (True if args.progress else None)
    options = {"replications": args.replications, "jobs": args.jobs,
               "scheduler": args.scheduler, "progress": progress}
    if args.command == "plan":
        with _flag_errors():
            setup = check_plan(scenario, args.group, args.targets, args.members,
                               args.policies, args.seed, args.threshold)
        out, store = _output(args, scenario, {"seed": setup.seed,
                                              "threshold": setup.threshold_s})
        with _flag_errors():
            staffing = plan(scenario, setup.group, setup.targets, setup.sizes, setup.policies,
                            seed=setup.seed, threshold_s=setup.threshold_s, store=store,
                            **options)
        print_warnings(staffing.warnings)
        print(staffing.answer())
        print()
        with pd.option_context("display.width", 120, "display.max_columns", 12):
            print(staffing.recommendation.drop(columns="note").to_string(index=False))
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
                             store=store, **options)
    print_warnings(comparison.warnings)
    print(comparison.headline(group))
    print()
    print(comparison.wide(group, [comparison.level_metric, *SHOWN_METRICS]).to_string())
    if out is not None:
        write_comparison(comparison, out, group)
        print(f"\ntables, figures and report.html written to {out}/")
    return 0
