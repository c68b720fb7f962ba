"""The ``sweep`` command: a what-if grid from ``--set PATH=V1,V2`` flags, then a report.

Every flag and every grid value is checked before the output directory is
created. The library's messages name ``grid``; here they name ``--set``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

__all__ = ["add_sweep_command", "parse_setting", "run_sweep"]


def add_sweep_command(commands: Any) -> None:
    """Register ``huntsim sweep`` on the ``commands`` subparsers of the main parser."""
    sweep = commands.add_parser(
        "sweep", help="what-if grid over scenario parameters and traffic, every policy")
    sweep.add_argument("scenario", help="scenario YAML file")
    sweep.add_argument("--set", action="append", required=True, dest="settings",
                       metavar="PATH=V1,V2,...",
                       help="a parameter path as in the scenario file and the values to try, "
                            "e.g. 'hunt_groups[0].no_answer_rings=2,3,4,5', "
                            "'agents[2].schedule=[mon-fri 08:00-12:00],[mon-fri 08:00-17:00]' "
                            "or traffic=1.0,1.2,1.5 (multiplies every arrival rate); repeatable")
    sweep.add_argument("--policies", default=None,
                       help="comma-separated (default: the scenario's own)")
    sweep.add_argument("--group", default=None, help="pilot to report on (default: the first)")
    sweep.add_argument("--replications", default="10",
                       help="runs per grid point and policy (default 10)")
    sweep.add_argument("--seed", default=None,
                       help="master seed (default: the scenario's seed, else 0)")
    sweep.add_argument("--threshold", default=None,
                       help="service-level threshold (default 20s)")
    sweep.add_argument("--out", type=Path, default=None,
                       help="write CSV tables, PNG figures and report.html here")
    sweep.add_argument("--force", action="store_true", help="overwrite results already in --out")
    sweep.add_argument("--resume", type=Path, nargs="?", const=True, default=None,
                       metavar="DIR", help="continue an interrupted sweep in DIR (or in --out) "
                                           "without redoing finished runs")
    sweep.add_argument("--jobs", default=None, help="local worker processes (default: all cores)")
    sweep.add_argument("--scheduler", default=None,
                       help="Dask scheduler address tcp://HOST:PORT, or 'local'")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.add_argument("--progress", action="store_true",
                       help="show the progress bar even when stderr is not a terminal")


def parse_setting(text: str) -> tuple[str, list[Any]]:
    """``PATH=V1,V2`` as the path and its values, read as YAML (like the scenario file).

    Raises
    ------
    ScenarioError
        Naming ``--set`` and the text, if it is not ``PATH=values``.

    Examples
    --------
    >>> parse_setting("hunt_groups[0].no_answer_rings=2,3")
    ('hunt_groups[0].no_answer_rings', [2, 3])
    >>> parse_setting("agents[1].schedule=[mon-fri 08:00-12:00],[mon-fri 13:00-17:00]")
    ('agents[1].schedule', [['mon-fri 08:00-12:00'], ['mon-fri 13:00-17:00']])
    """
    import yaml

    from huntsim.errors import ScenarioError
    from huntsim.scenario.loader import ScenarioLoader

    path, equals, values = text.partition("=")
    path = path.strip()
    if not equals or not path or not values.strip():
        raise ScenarioError([f"--set: {text!r} is not PATH=VALUES; write e.g. "
                             "'hunt_groups[0].no_answer_rings=2,3,4,5' or traffic=1.0,1.2"])
    try:
        parsed = yaml.load(f"[{values}]", Loader=ScenarioLoader)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        raise ScenarioError([f"--set: {path}: cannot read the values {values!r}: {problem}"]
                            ) from None
    return path, list(parsed)


def _number(flag: str, text: str | None, minimum: int) -> int | None:
    from huntsim.errors import ScenarioError

    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ScenarioError([f"{flag}: {text!r} is not a whole number"]) from None
    if value < minimum:
        raise ScenarioError([f"{flag}: {value} must be at least {minimum}"])
    return value


def _as_flags(messages: list[str]) -> list[str]:
    flags = {"grid": "--set", "policies": "--policies", "seed": "--seed",
             "replications": "--replications", "threshold_s": "--threshold",
             "scheduler": "--scheduler", "directory": "--out"}
    reworded = []
    for message in messages:
        name, colon, rest = message.partition(": ")
        base = name.split("[", 1)[0]
        reworded.append(f"{flags[base]}: {rest}" if colon and base in flags else message)
    return reworded


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def run_sweep(args: argparse.Namespace, scenario: Any) -> int:
    """Run ``huntsim sweep`` from parsed arguments; return the exit code."""
    from huntsim.errors import ScenarioError
    from huntsim.outputs import OutputError

    try:
        return _run(args, scenario)
    except ScenarioError as error:
        raise ScenarioError(_as_flags(error.messages)) from None
    except OutputError as error:
        raise OutputError(_as_flags([str(error)])[0]) from None


def _run(args: argparse.Namespace, scenario: Any) -> int:
    import pandas as pd

    from huntsim.analysis.catalog import label, plus_minus_note
    from huntsim.cli.common import print_warnings
    from huntsim.errors import ScenarioError
    from huntsim.experiments.measure import Measurement
    from huntsim.experiments.runner import CheckpointStore
    from huntsim.experiments.seeds import resolve_seed
    from huntsim.experiments.sweeps import sweep, sweep_points
    from huntsim.outputs import OutputError, prepare_directory
    from huntsim.scenario.model import POLICIES
    from huntsim.scenario.units import parse_duration
    from huntsim.views.sweep_report import write_sweep

    problems: list[str] = []
    grid: dict[str, list[Any]] = {}
    for text in args.settings:
        try:
            path, values = parse_setting(text)
        except ScenarioError as error:
            problems.extend(error.messages)
            continue
        if path in grid:
            problems.append(f"--set: {path} is set twice; give all its values in one --set")
        grid[path] = values
    policies = None
    if args.policies is not None:
        policies = [p.strip() for p in args.policies.split(",") if p.strip()]
        problems.extend(f"--policies: {p!r} is not a policy; choose from {', '.join(POLICIES)}"
                        for p in policies if p not in POLICIES)
        if not policies:
            problems.append("--policies: give at least one policy")
    numbers: dict[str, int | None] = {}
    for flag, text, minimum in (("--replications", args.replications, 1),
                                ("--seed", args.seed, 0), ("--jobs", args.jobs, 1)):
        try:
            numbers[flag] = _number(flag, text, minimum)
        except ScenarioError as error:
            problems.extend(error.messages)
    threshold = 20.0
    if args.threshold is not None:
        try:
            threshold = parse_duration(args.threshold)
        except ValueError as error:
            problems.append(f"--threshold: {error}")
        else:
            if not threshold > 0:
                problems.append(f"--threshold: {args.threshold!r} must be longer than 0 s")
    pilots = [g.pilot for g in scenario.hunt_groups]
    group = args.group or (pilots[0] if pilots else None)
    if group is None or group not in pilots:
        problems.append(f"--group: {group!r} is not a pilot (pilots: "
                        f"{', '.join(map(repr, pilots)) or 'none'})")
    if args.resume is not None and args.resume is not True and args.out is not None:
        problems.append("--resume: give the directory either to --resume or to --out")
    if args.resume is True and args.out is None:
        problems.append("--resume: which directory? give --resume DIR or --out DIR --resume")
    try:  # every path and value checked before any output
        sweep_points(args.scenario, grid)
    except ScenarioError as error:
        problems.extend(error.messages)
    if problems:
        raise ScenarioError(problems)
    seed = resolve_seed(scenario, numbers["--seed"])
    out, store = None, None
    if args.resume is not None:
        out = Path(args.out if args.resume is True else args.resume)
        if not out.is_dir():
            raise OutputError(f"--resume: {str(out)!r} is not a directory of an earlier run")
    elif args.out is not None:
        out = prepare_directory(args.out, args.force)
        if args.force and (out / "runs").is_dir():
            shutil.rmtree(out / "runs")
    if out is not None:
        fingerprint = {"command": "sweep", "scenario": scenario.model_dump(mode="json"),
                       "grid": {p: [repr(v) for v in vs] for p, vs in grid.items()},
                       "policies": policies, "replications": numbers["--replications"],
                       "seed": seed, "threshold": threshold}
        try:
            store = CheckpointStore[Measurement](out / "runs", fingerprint)
        except OutputError as error:
            flag = "--resume" if args.resume is not None else "--out"
            raise OutputError(str(error).replace("directory:", f"{flag}:", 1)) from None
    progress = False if args.quiet else (True if args.progress else None)
    replications = numbers["--replications"]
    assert replications is not None
    result = sweep(args.scenario, grid, policies=policies, replications=replications,
                   seed=seed, threshold_s=threshold, jobs=numbers["--jobs"],
                   scheduler=args.scheduler, progress=progress, store=store)
    print_warnings(result.warnings)
    print(f"{_count(len(result.points), 'grid point')} x "
          f"{_count(len(result.policies), 'policy', 'policies')} x "
          f"{_count(replications, 'replication')} (seed {seed})")
    with pd.option_context("display.width", 160, "display.max_columns", 12):
        for metric in (result.level_metric, "voicemail_rate", "mean_wait_s"):
            print(f"\n{label(metric)}, group {group}:")
            print(result.wide(metric, group).to_string())
    print(f"\n{plus_minus_note(replications)}"
          + (" One replication gives no interval (± nan)." if replications < 2 else ""))
    if out is not None:
        write_sweep(result, out, group)
        print(f"\ntables (sweep.csv), figures and report.html written to {out}/")
    return 0
