"""The ``roster`` command: the cheapest shifts that meet targets, checked by simulation.

Every argument and the shifts file are checked before the output directory is created.
The library's messages name ``targets``, ``shifts``...; here they name the flags
(``--target``, ``--shifts``).
"""

from __future__ import annotations

import argparse
from typing import Any

from huntsim.cli.common import (
    FLAGS,
    add_run_options,
    flag_errors,
    output_store,
    print_warnings,
    progress_of,
)

__all__ = ["add_roster_command", "run_roster", "with_roster"]

_FLAGS = {**FLAGS, "shifts": "--shifts", "rounds": "--rounds"}


def add_roster_command(commands: Any, positive: Any, seed: Any, length: Any,
                       sizes: Any) -> None:
    """Register ``huntsim roster`` on the main parser's subcommands; ``positive``, ``seed``,
    ``length`` and ``sizes`` read whole numbers of at least 1, of at least 0, durations and
    group sizes."""
    roster = commands.add_parser(
        "roster", help="choose shifts that meet targets, checked by simulation")
    roster.add_argument("scenario", help="scenario YAML file")
    roster.add_argument("--group", required=True, help="pilot number (or name) of the group")
    roster.add_argument("--target", action="append", required=True, dest="targets",
                        help="e.g. 'voicemail_rate<=5%%' (as for plan); repeatable")
    roster.add_argument("--shifts", default=None, metavar="SHIFTS.yaml",
                        help="the shifts that may be worked (default: the scenario's "
                             "shifts: key)")
    roster.add_argument("--members", type=sizes, default=range(1, 16),
                        help="sizes staffing by hour may try in an hour, 'A..B' or 'A,B,C' "
                             "(default 1..15)")
    roster.add_argument("--replications", type=positive, default=10,
                        help="runs per hour's traffic and per check of the roster (default 10)")
    roster.add_argument("--seed", type=seed, default=None,
                        help="master seed (default: the scenario's seed, else 0)")
    roster.add_argument("--threshold", type=length, default=None,
                        help="service-level threshold (default: the one the targets name, "
                             "else 20s)")
    roster.add_argument("--rounds", type=seed, default=4,
                        help="most repair rounds after the first roster, each simulating "
                             "the office again (default 4; 0: none)")
    add_run_options(roster, jobs=positive)


def run_roster(args: argparse.Namespace, scenario: Any) -> int:
    """Run ``huntsim roster`` from parsed arguments; return the exit code."""
    from huntsim.errors import ScenarioError
    from huntsim.experiments.plan_setup import check_plan
    from huntsim.experiments.roster import roster
    from huntsim.scenario.shifts import load_shifts

    problems = []
    try:
        with flag_errors(_FLAGS):
            check_plan(scenario, args.group, args.targets, args.members, seed=args.seed,
                       threshold_s=args.threshold, replications=args.replications)
    except ScenarioError as error:
        problems.extend(error.messages)
    shifts = None
    try:
        if args.shifts is not None:
            shifts = load_shifts(args.shifts)
        elif scenario.shifts is None:
            problems.append("--shifts: give a shifts file, or a scenario with a top-level "
                            "shifts: list")
    except ScenarioError as error:
        problems.extend(f"--shifts: {m}" for m in error.messages)
    if problems:
        raise ScenarioError(problems)
    rules = shifts if shifts is not None else scenario.shifts
    out, store = output_store(args, lambda: {
        "command": "roster", "scenario": scenario.model_dump(mode="json"),
        "shifts": [s.model_dump(mode="json") for s in rules], "group": args.group,
        "targets": list(args.targets), "members": list(args.members),
        "replications": args.replications, "seed": args.seed,
        "threshold": args.threshold, "rounds": args.rounds})
    with flag_errors(_FLAGS):
        result = roster(args.scenario, args.group, args.targets, shifts, args.members,
                        seed=args.seed, threshold_s=args.threshold,
                        replications=args.replications, rounds=args.rounds, jobs=args.jobs,
                        scheduler=args.scheduler, progress=progress_of(args), store=store)
    print_warnings(result.warnings)
    print(result)
    if out is not None:
        result.report(out, force=True)
        print(f"\nroster.csv, coverage.csv, rostered.yaml and report.html written to {out}/")
    return 0


def with_roster(args: argparse.Namespace, scenario: Any) -> Any:
    """``compare`` or ``plan`` with ``--roster ROSTER.csv``: the office with its group
    (``--group``, else the first) rostered as the file says."""
    from huntsim.errors import ScenarioError
    from huntsim.experiments.plan_setup import resolve_group
    from huntsim.experiments.roster_scenario import apply_roster, read_roster, shared_note

    pilot = resolve_group(scenario, args.group, "--group")
    try:
        shifts, counts = read_roster(args.roster)
    except ScenarioError as error:
        raise ScenarioError([f"--roster: {m}" for m in error.messages]) from None
    if sum(counts) < 1:
        raise ScenarioError([f"--roster: {args.roster}: nobody is rostered (every count is 0)"])
    rostered = apply_roster(args.scenario, pilot, shifts, counts)
    print(f"Roster {args.roster}: group {pilot}'s members replaced by {sum(counts)} people "
          f"on {_shifts_text(sum(1 for c in counts if c))}.")
    note = shared_note(scenario, pilot)
    if note:
        print(note[0].upper() + note[1:] + ".")
    return rostered


def _shifts_text(count: int) -> str:
    return f"{count} shift" if count == 1 else f"{count} shifts"
