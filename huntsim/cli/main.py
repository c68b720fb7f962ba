"""The ``huntsim`` command: load, run, write. Tests call :func:`main` directly.

Exit codes: 0 done; 2 invalid input (scenario, arguments, or an output
directory that cannot be used), with field-named messages and no traceback.
Every argument is checked before an output directory is created. Warnings
about a run's figures (see :func:`huntsim.sim.simulation.run_warnings`) go to
stderr as ``warning: ...`` lines and do not change the exit code; ``validate``
prints those about the scenario alone (a likely mistake in the file, see
:func:`huntsim.scenario.advice.scenario_advice`) the same way.

Start-up is kept short (``huntsim --help`` loads no numerical library):
modules are imported by the command that uses them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huntsim.cli.common import add_run_options, count_of, print_warnings
from huntsim.outputs import OutputError

if TYPE_CHECKING:
    from huntsim.scenario.model import Scenario
    from huntsim.sim.simulation import Result

__all__ = ["main", "print_warnings"]

EXIT_OK, EXIT_INVALID = 0, 2


class UsageError(Exception):
    """A command-line mistake found by argparse; ``messages`` as in ScenarioError."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with 2 through :func:`main`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError([f"{self.prog}: {message}"])


class _Policies(Sequence[str]):
    """The policy names, read from :mod:`huntsim.scenario.model` only when first needed."""

    def _names(self) -> tuple[str, ...]:
        from huntsim.scenario.model import POLICIES

        return POLICIES

    def __getitem__(self, index: Any) -> Any:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()


POLICY_NAMES = _Policies()


class _Version(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print huntsim's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("huntsim")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            number = "unknown (not installed)"
        print(f"huntsim {number}")
        parser.exit()


_ROSTER_HELP = ("evaluate this roster (roster.csv of huntsim roster): the group's members "
                "replaced by one agent per rostered person, on their shift's schedule")

_FIT_HELP = "fit a scenario to an office's PBX logs"
"""Help line of ``fit`` in ``huntsim --help`` (the command loads only when used)."""


def _command(argv: Sequence[str] | None) -> str | None:
    """The subcommand named in ``argv`` (the first word not an option), if any."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``command`` is the one about to run.

    Commands whose options need heavy modules (``fit``, ``run --export``)
    are registered in full only when they are the one run, so that
    ``huntsim --help`` starts quickly.
    """
    parser = _Parser(prog="huntsim", description="Simulate telephone hunt groups.")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario", help="scenario YAML file")

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("--markdown", action="store_true",
                        help="print the scenario reference (docs/scenario-reference.md) instead")

    run = commands.add_parser("run", help="simulate a scenario once and write its tables")
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--seed", type=_seed, default=None, help="seed (default: the scenario's)")
    run.add_argument("--policy", type=_policy, choices=POLICY_NAMES, metavar="POLICY",
                     help="use this policy in every group: %(choices)s")
    run.add_argument("--out", type=Path, default=None,
                     help="write calls, offers, agents (Parquet and CSV) and summary.json here")
    run.add_argument("--force", action="store_true", help="overwrite results already in --out")
    run.add_argument("--keep", choices=("calls", "totals"), default="calls",
                     help="'totals' keeps only running sums (flat memory for very long runs; "
                          "no calls/offers tables)")
    if command == "run":
        from huntsim.cli.fit import add_export_option

        add_export_option(run)

    compare = commands.add_parser(
        "compare", help="compare hunt policies on the same callers, with intervals")
    compare.add_argument("scenario", help="scenario YAML file")
    compare.add_argument("--policies", type=_policies, default=None,
                         help="comma-separated (default: regular,circular,simultaneous,uniform "
                              "and the group's own); the group's configured policy is the "
                              "baseline of the verdict")
    compare.add_argument("--group", default=None,
                         help="pilot (or name) of the group compared (default: the first)")
    compare.add_argument("--roster", default=None, metavar="ROSTER.csv", help=_ROSTER_HELP)
    _experiment_options(compare, replications=20, threshold="default 20s")

    plan = commands.add_parser("plan", help="find the fewest members that meet targets")
    plan.add_argument("scenario", help="scenario YAML file")
    plan.add_argument("--group", required=True, help="pilot number (or name) of the group to size")
    plan.add_argument("--target", action="append", required=True, dest="targets",
                      help="e.g. 'voicemail_rate<=5%%', 'mean_wait_s<=10s', "
                           "'service_level_20s>=80%%', or 'service_level>=0.8' (within "
                           "--threshold); rates as fractions or %%, times in s, min, h; "
                           "repeatable")
    plan.add_argument("--roster", default=None, metavar="ROSTER.csv", help=_ROSTER_HELP)
    plan.add_argument("--members", type=_sizes, default=range(1, 16),
                      help="sizes to try, 'A..B' or 'A,B,C' (default 1..15)")
    plan.add_argument("--policies", type=_policies, default=None,
                      help="comma-separated (default: the group's own policy)")
    plan.add_argument("--by-hour", action="store_true",
                      help="also size the group for each hour of the week with traffic "
                           "(by_hour.csv and a weekday x hour heat map in the report)")
    plan.add_argument("--hour-length", type=_length, default=None,
                      metavar="DURATION",
                      help="with --by-hour: simulated length of each hour's steady-state run "
                           "(default 12h)")
    _experiment_options(plan, replications=10,
                        threshold="default: the one the targets name, else 20s")
    from huntsim.cli.roster import add_roster_command
    from huntsim.cli.sweep import add_sweep_command

    add_sweep_command(commands)
    add_roster_command(commands, _positive, _seed, _length, _sizes)
    if command == "fit":
        from huntsim.cli.fit import add_fit_command

        add_fit_command(commands)
    else:
        commands.add_parser("fit", help=_FIT_HELP)
    return parser


def _experiment_options(parser: argparse.ArgumentParser, replications: int,
                        threshold: str) -> None:
    parser.add_argument("--replications", type=_positive,
                        default=replications, help=f"runs per case (default {replications})")
    parser.add_argument("--seed", type=_seed, default=None,
                        help="master seed (default: the scenario's seed, else 0)")
    parser.add_argument("--threshold", type=_length, default=None,
                        help=f"service-level threshold ({threshold})")
    add_run_options(parser, jobs=_positive)


def _policy(text: str) -> str:
    """One policy (``run --policy``), refused with the policy to write."""
    if text not in POLICY_NAMES:
        from huntsim.scenario.model import unknown_policy

        raise argparse.ArgumentTypeError(unknown_policy(text))
    return text


def _policies(text: str) -> tuple[str, ...]:
    policies = tuple(p.strip() for p in text.split(",") if p.strip())
    for policy in policies:
        if policy not in POLICY_NAMES:
            from huntsim.scenario.model import unknown_policy

            raise argparse.ArgumentTypeError(unknown_policy(policy))
    if not policies:
        raise argparse.ArgumentTypeError("give at least one policy")
    return policies


def _sizes(text: str) -> list[int]:
    try:
        if ".." in text:
            low, high = (int(part) for part in text.split("..", 1))
            sizes = list(range(low, high + 1))
        else:
            sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a range; write e.g. 2..15 or 4,6,8") from None
    if not sizes:
        first, _, last = text.partition("..")
        raise argparse.ArgumentTypeError(
            f"{text!r} is reversed; write the smaller size first "
            f"({last.strip()}..{first.strip()})")
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must hold sizes of 1 or more")
    return sizes


def _at_least(minimum: int) -> Callable[[str], int]:
    """A flag's whole number of at least ``minimum`` (argparse names the flag)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} must be at least {minimum}")
        return value

    return parse


_positive = _at_least(1)
_seed = _at_least(0)


def _length(text: str) -> float:
    """A flag's length of time, longer than 0 s (argparse names the flag)."""
    from huntsim.scenario.units import parse_duration

    try:
        value = parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be longer than 0 s")
    return value


EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C or ``kill`` (128 + SIGINT, as shells report it)."""


def _stop(signum: int, frame: Any) -> None:
    """``kill`` ends a run as Ctrl-C does: workers stopped, finished runs saved."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second kill does not cut the stop short
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)  # only the main thread may catch signals
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        args = _parser(_command(argv)).parse_args(argv)
        if args.command == "fit":
            from huntsim.cli.fit import run_fit

            return run_fit(args)
        if args.command == "schema":
            from huntsim.views.reference import print_schema

            return print_schema(markdown_text=args.markdown)
        from huntsim.scenario.model import load_scenario

        scenario = load_scenario(args.scenario)
        if args.command == "validate":
            return _validate(args, scenario)
        if args.command == "run":
            return _run(args, scenario)
        if args.command == "sweep":
            from huntsim.cli.sweep import run_sweep

            return run_sweep(args, scenario)
        if args.command == "roster":
            from huntsim.cli.roster import run_roster

            return run_roster(args, scenario)
        return _experiment(args, scenario)
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except KeyboardInterrupt:
        print(_interrupted(args), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        return _failed(error)


_RESUMABLE = ("compare", "plan", "sweep", "roster")


def _interrupted(args: argparse.Namespace | None) -> str:
    """What to say after Ctrl-C or ``kill``: how to go on, if anything was saved."""
    if args is None or args.command not in _RESUMABLE:
        return "interrupted"
    resume = getattr(args, "resume", None)
    saved = args.out if resume is True else resume or args.out  # --out DIR --resume
    if saved is None:
        return "interrupted (nothing was saved: give --out DIR to keep finished runs)"
    if not (Path(saved) / "runs").is_dir():
        return "interrupted before any run was saved: run the command again"
    return (f"interrupted: the runs finished so far are saved in {saved}; continue with the "
            f"same command and --resume {saved}")


def _failed(error: Exception) -> int:
    """Print a user's mistake as ``error:`` lines and return 2; re-raise anything else."""
    from huntsim.errors import ScenarioError

    if isinstance(error, ScenarioError | UsageError):
        for message in error.messages:
            print(f"error: {message}", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(error, OutputError):
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    raise error


def _validate(args: argparse.Namespace, scenario: Scenario) -> int:
    from huntsim.analysis.catalog import policy_label
    from huntsim.scenario.advice import scenario_advice
    from huntsim.views.wording import acd_text

    print_warnings(scenario_advice(scenario))

    groups = ", ".join(f"{g.label} ({policy_label(g.policy)}, "
                       f"{count_of(len(g.members), 'member')}{acd_text(scenario, g)})"
                       for g in scenario.hunt_groups)
    print(f"{args.scenario}: valid: {count_of(len(scenario.agents), 'agent')}; "
          f"hunt groups: {groups or 'none'}")
    return EXIT_OK


def _run(args: argparse.Namespace, scenario: Scenario) -> int:
    from huntsim.cli.fit import export_run
    from huntsim.outputs import prepare_directory, write_json, write_table
    from huntsim.sim.simulation import simulate

    out = prepare_directory(args.out, args.force) if args.out is not None else None
    result = simulate(scenario, seed=args.seed, policy=args.policy, keep=args.keep)
    summary = result.summary()
    print_warnings(result.warnings)
    if out is not None:
        try:
            if result.calls is not None and result.offers is not None:
                write_table(result.calls, out, "calls")
                write_table(result.offers, out, "offers")
            if result.absences is not None and len(result.absences):
                write_table(result.absences, out, "absences")
            write_table(result.agents, out, "agents")
            write_json(
                {
                    "scenario": scenario.name,
                    "seed": result.seed,
                    "policy": args.policy,
                    "summary": summary.to_dict(orient="index"),
                    "warnings": list(result.warnings),
                },
                out / "summary.json",
            )
        except OSError as error:
            raise OutputError(f"--out: cannot write to {str(out)!r}: {error}") from None
    export_run(args, result, out)
    from huntsim.views.console import fit_text

    print(fit_text(run_text(result, summary)))
    if out is not None:
        print(f"\ntables written to {out}/")
    return EXIT_OK


def run_text(result: Result, summary: Any) -> str:
    """What ``huntsim run`` prints: the summary per hunt group, then per agent."""
    from huntsim.views.console import agents_text, summary_text
    from huntsim.views.wording import human_duration, scope_labels

    scenario = result.scenario
    window = human_duration(result.window_s)
    names = scope_labels(scenario)
    return "\n".join([
        f"{scenario.name}: seed {result.seed}, {window} reported; "
        f"{reported_text(result, summary)}",
        "",
        summary_text(summary, names),
        "",
        agents_text(result.agents),
    ])


def reported_text(result: Result, summary: Any) -> str:
    """``2,206 calls reported, 238 of them forwarded after hours (and 30 more after
    hours, rung to nobody)``: each call once, by how it ended."""
    from huntsim.analysis.formatting import format_value

    # pilot calls by how they ended (a forwarded call is in two groups' rows), then
    # direct calls
    several = "all pilot calls" in summary.index
    every = ["all pilot calls"] if several else [g.pilot for g in result.scenario.hunt_groups][:1]
    scopes = summary.loc[[k for k in [*every, "direct calls"] if k in summary.index]]
    text = f"{format_value('offered', int(scopes['offered'].sum()))} calls reported"
    closed = int(scopes["after_hours"].sum())
    inside, outside = forwarded_after_hours(result)
    if inside:  # forwarded to a group then open: counted by how they ended
        text += f", {format_value('offered', inside)} of them forwarded after hours"
    if closed:
        more = " more" if inside else ""
        text += f" (and {format_value('after_hours', closed)}{more} after hours"
        if outside:  # they rang nobody in the office, but were not left without a word
            nobody = (f", {format_value('after_hours', closed - outside)} rung to nobody"
                      if closed > outside else "")
            text += f": {format_value('offered', outside)} forwarded out of the office{nobody})"
        else:
            text += ", rung to nobody)"
    return text


def forwarded_after_hours(result: Result) -> tuple[int, int]:
    """Pilot calls that arrived after hours and were forwarded: to a group then open
    (counted by how they ended there), and out of the office from a closed group
    (counted after hours)."""
    if result.calls is None:
        assert result.totals is not None
        return (int(result.totals.forwarded_after_hours),
                int(result.totals.forwarded_out_after_hours))
    from huntsim.analysis.metrics import closed_everywhere

    pilot = result.calls[result.calls["kind"] == "pilot"]
    if "after_hours" not in pilot:
        return 0, 0
    dialled_closed = pilot["after_hours"].to_numpy(dtype=bool)
    everywhere = closed_everywhere(pilot).to_numpy(dtype=bool)
    out = (pilot["outcome"] == "forwarded").to_numpy(dtype=bool)
    return int((dialled_closed & ~everywhere).sum()), int((everywhere & out).sum())


def _experiment(args: argparse.Namespace, scenario: Scenario) -> int:
    from huntsim.cli.experiments import run_experiment

    return run_experiment(args, scenario)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
