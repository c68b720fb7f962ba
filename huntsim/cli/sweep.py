"""The ``sweep`` command: a what-if grid from ``--set PATH=V1,V2`` flags, then a report.

Every flag and every grid value is checked before the output directory is
created. The library's messages name ``grid``; here they name ``--set``
(:func:`huntsim.cli.common.as_flag`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from huntsim.cli.common import (
    add_run_options,
    count_of,
    flag_errors,
    output_store,
    print_warnings,
    progress_of,
    resume_problems,
)

if TYPE_CHECKING:
    from huntsim.experiments.sweeps import Sweep

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
    sweep.add_argument("--group", default=None,
                       help="pilot (or name) of the group to report on (default: the first)")
    sweep.add_argument("--replications", default="10",
                       help="runs per grid point and policy (default 10)")
    sweep.add_argument("--seed", default=None,
                       help="master seed (default: the scenario's seed, else 0)")
    sweep.add_argument("--threshold", default=None,
                       help="service-level threshold (default 20s)")
    add_run_options(sweep, scheduler_help="Dask scheduler address tcp://HOST:PORT, or 'local'")


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


def run_sweep(args: argparse.Namespace, scenario: Any) -> int:
    """Run ``huntsim sweep`` from parsed arguments; return the exit code."""
    with flag_errors():
        return _run(args, scenario)


@dataclass(frozen=True)
class _Asked:
    """The flags of ``huntsim sweep``, read and checked."""

    grid: dict[str, list[Any]]
    policies: list[str] | None
    replications: int
    seed: int | None
    jobs: int | None
    threshold_s: float
    group: str


def _grid(args: argparse.Namespace) -> tuple[dict[str, list[Any]], list[str]]:
    """The grid of the ``--set`` flags, and what is wrong with them."""
    from huntsim.errors import ScenarioError

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
    return grid, problems


def _policies(text: str | None) -> tuple[list[str] | None, list[str]]:
    """The ``--policies`` list, and what is wrong with it."""
    from huntsim.scenario.model import POLICIES, unknown_policy

    if text is None:
        return None, []
    policies = [p.strip() for p in text.split(",") if p.strip()]
    problems = [f"--policies: {unknown_policy(p)}" for p in policies if p not in POLICIES]
    if not policies:
        problems.append("--policies: give at least one policy")
    return policies, problems


def _threshold(text: str | None) -> tuple[float, list[str]]:
    """The ``--threshold`` in seconds (default 20), and what is wrong with it."""
    from huntsim.scenario.units import parse_duration

    if text is None:
        return 20.0, []
    try:
        threshold = parse_duration(text)
    except ValueError as error:
        return 20.0, [f"--threshold: {error}"]
    return threshold, [] if threshold > 0 else [f"--threshold: {text!r} must be longer than 0 s"]


def _asked(args: argparse.Namespace, scenario: Any) -> _Asked:
    """Every flag read and checked, and every grid value, before any output.

    Raises
    ------
    ScenarioError
        One message per mistake, each naming its flag.
    """
    from huntsim.errors import ScenarioError
    from huntsim.experiments.plan_setup import resolve_group
    from huntsim.experiments.sweep_grid import sweep_points

    grid, problems = _grid(args)
    policies, mistakes = _policies(args.policies)
    problems.extend(mistakes)
    numbers: dict[str, int | None] = {}
    for flag, text, minimum in (("--replications", args.replications, 1),
                                ("--seed", args.seed, 0), ("--jobs", args.jobs, 1)):
        try:
            numbers[flag] = _number(flag, text, minimum)
        except ScenarioError as error:
            problems.extend(error.messages)
    threshold, mistakes = _threshold(args.threshold)
    problems.extend(mistakes)
    group: str | None = None
    try:
        group = resolve_group(scenario, args.group, "--group")
    except ScenarioError as error:
        problems.extend(error.messages)
    problems.extend(resume_problems(args))
    try:  # every path and value checked before any output
        sweep_points(args.scenario, grid)
    except ScenarioError as error:
        problems.extend(error.messages)
    if problems:
        raise ScenarioError(problems)
    assert group is not None and numbers["--replications"] is not None
    return _Asked(grid, policies, numbers["--replications"], numbers["--seed"],
                  numbers["--jobs"], threshold, group)


def _run(args: argparse.Namespace, scenario: Any) -> int:
    from huntsim.experiments.seeds import resolve_seed
    from huntsim.experiments.sweeps import sweep
    from huntsim.views.sweep_report import write_sweep

    asked = _asked(args, scenario)
    seed = resolve_seed(scenario, asked.seed)
    out, store = output_store(args, lambda: {
        "command": "sweep", "scenario": scenario.model_dump(mode="json"),
        "grid": {p: [repr(v) for v in vs] for p, vs in asked.grid.items()},
        "policies": asked.policies, "replications": asked.replications,
        "seed": seed, "threshold": asked.threshold_s})
    result = sweep(args.scenario, asked.grid, policies=asked.policies,
                   replications=asked.replications, seed=seed, threshold_s=asked.threshold_s,
                   jobs=asked.jobs, scheduler=args.scheduler, progress=progress_of(args),
                   store=store, group=asked.group)
    print_warnings(result.warnings)
    _print(result, asked.group)
    if out is not None:
        write_sweep(result, out, asked.group)
        print(f"\ntables (sweep.csv), figures and report.html written to {out}/")
    return 0


def _print(result: Sweep, group: str) -> None:
    """What ``huntsim sweep`` prints: the size of the grid, one table of the figures per
    grid point and policy (catalog labels and units), and the conclusion in words."""
    from huntsim.analysis.formatting import plus_minus_note
    from huntsim.views.console import fit_text, sweep_text

    replications = result.replications
    print(fit_text(f"{count_of(len(result.points), 'grid point')} x "
                   f"{count_of(len(result.policies), 'policy', 'policies')} x "
                   f"{count_of(replications, 'replication')} (seed {result.seed}), "
                   f"group {group}:"))
    print()
    print(sweep_text(result, group))
    print()
    if replications < 2:
        print(fit_text("One replication per point: the figures have no interval (at least "
                       "two replications are needed for intervals)."))
    else:
        print(fit_text(plus_minus_note(replications)
                       + " An interval reaching past what a figure can be (below 0, above "
                       "100 %) is cut there and written as its two ends."))
    print()
    print(fit_text("\n".join(result.conclusion(group))))
