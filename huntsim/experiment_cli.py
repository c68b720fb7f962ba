"""The ``compare`` and ``plan`` commands: many runs, checkpointed, then a report."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from huntsim.comparison import compare
from huntsim.outputs import OutputError, prepare_directory
from huntsim.planning import parse_target, plan
from huntsim.replications import Measurement
from huntsim.runner import CheckpointStore
from huntsim.scenario import Scenario

__all__ = ["run_experiment"]

SHOWN_METRICS = ("answered_rate", "voicemail_rate", "abandoned_rate", "mean_wait_s",
                 "p90_wait_s", "jain_index")


def _fingerprint(args: argparse.Namespace, scenario: Scenario) -> dict[str, Any]:
    keys = ("command", "policies", "replications", "seed", "threshold", "group", "targets",
            "members")
    settings = {k: list(v) if isinstance(v, tuple | range) else v
                for k, v in vars(args).items() if k in keys}
    return {"scenario": scenario.model_dump(mode="json"), **settings}


def _output(args: argparse.Namespace, scenario: Scenario,
            ) -> tuple[Path | None, CheckpointStore[Measurement] | None]:
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
    return out, CheckpointStore(out / "runs", _fingerprint(args, scenario))


def run_experiment(args: argparse.Namespace, scenario: Scenario) -> int:
    """Run ``compare`` or ``plan`` from parsed arguments; return the exit code."""
    from huntsim.report import write_comparison, write_plan

    progress = False if args.quiet else (True if args.progress else None)
    options = {"replications": args.replications, "seed": args.seed, "jobs": args.jobs,
               "scheduler": args.scheduler, "progress": progress}
    if args.command == "plan":
        targets = [parse_target(t) for t in args.targets]
        out, store = _output(args, scenario)
        staffing = plan(scenario, args.group, targets, args.members, args.policies,
                        store=store, **options)
        print(staffing.answer())
        print()
        with pd.option_context("display.width", 120, "display.max_columns", 12):
            print(staffing.recommendation.drop(columns="note").to_string(index=False))
        if out is not None:
            write_plan(staffing, out)
            print(f"\ntables, figures and report.html written to {out}/")
        return 0
    out, store = _output(args, scenario)
    group = args.group or (scenario.hunt_groups[0].pilot if scenario.hunt_groups else None)
    if group is None or group not in {g.pilot for g in scenario.hunt_groups}:
        raise OutputError(f"--group: {group!r} is not a pilot of this scenario")
    comparison = compare(scenario, args.policies, threshold_s=args.threshold, store=store,
                         **options)
    print(comparison.headline(group))
    print()
    print(comparison.wide(group, [comparison.level_metric, *SHOWN_METRICS]).to_string())
    if out is not None:
        write_comparison(comparison, out, group)
        print(f"\ntables, figures and report.html written to {out}/")
    return 0
