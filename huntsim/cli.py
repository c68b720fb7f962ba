"""The ``huntsim`` command: load, run, write. Tests call :func:`main` directly.

Exit codes: 0 done; 2 invalid input (scenario, arguments, or an output
directory that cannot be used), with field-named messages and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from huntsim.errors import ScenarioError
from huntsim.outputs import OutputError, prepare_directory, write_json, write_table
from huntsim.scenario import POLICIES, Scenario, load_scenario
from huntsim.simulation import simulate

__all__ = ["main"]

EXIT_OK, EXIT_INVALID = 0, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with 2 through :func:`main`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise ScenarioError([f"{self.prog}: {message}"])


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="huntsim", description="Simulate telephone hunt groups.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario", help="scenario YAML file")

    run = commands.add_parser("run", help="simulate a scenario once and write its tables")
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--seed", type=_seed, default=None, help="seed (default: the scenario's)")
    run.add_argument("--policy", choices=POLICIES, help="use this policy in every group")
    run.add_argument("--out", type=Path, default=None,
                     help="write calls, offers, agents (Parquet and CSV) and summary.json here")
    run.add_argument("--force", action="store_true", help="overwrite results already in --out")
    return parser


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed: {text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed: {value} must be >= 0")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = _parser().parse_args(argv)
        scenario = load_scenario(args.scenario)
        if args.command == "validate":
            return _validate(args, scenario)
        return _run(args, scenario)
    except ScenarioError as error:
        for message in error.messages:
            print(f"error: {message}", file=sys.stderr)
        return EXIT_INVALID
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID


def _validate(args: argparse.Namespace, scenario: Scenario) -> int:
    groups = ", ".join(
        f"{g.label} ({g.policy}, {len(g.members)} members)" for g in scenario.hunt_groups
    )
    print(f"{args.scenario}: valid: {len(scenario.agents)} agents; hunt groups: {groups or 'none'}")
    return EXIT_OK


def _run(args: argparse.Namespace, scenario: Scenario) -> int:
    out = prepare_directory(args.out, args.force) if args.out is not None else None
    result = simulate(scenario, seed=args.seed, policy=args.policy)
    summary = result.summary()
    if out is not None:
        try:
            write_table(result.calls, out, "calls")
            write_table(result.offers, out, "offers")
            write_table(result.agents, out, "agents")
            write_json(
                {
                    "scenario": scenario.name,
                    "seed": result.seed,
                    "policy": args.policy,
                    "summary": summary.to_dict(orient="index"),
                },
                out / "summary.json",
            )
        except OSError as error:
            raise OutputError(f"--out: cannot write to {str(out)!r}: {error}") from None
    with pd.option_context("display.width", 120, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print(f"{scenario.name}: seed {result.seed}, {len(result.calls)} calls reported")
        print(summary.T.to_string())
        print()
        print(result.agents.drop(columns=["busy_s"]).to_string(index=False))
    if out is not None:
        print(f"\ntables written to {out}/")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
