"""Command-line parts of log fitting: ``huntsim fit`` and ``huntsim run --export``.

:mod:`huntsim.cli` registers them with :func:`add_fit_command` and
:func:`add_export_option`; the handlers raise :class:`~huntsim.ScenarioError`
or :class:`~huntsim.outputs.OutputError` for a user's mistake, which the main
command turns into exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from huntsim.errors import ScenarioError
from huntsim.fit.export import EXPORT_FORMATS, export_log
from huntsim.fit.logs import FORMATS
from huntsim.outputs import OutputError
from huntsim.simulation import Result

__all__ = ["add_export_option", "add_fit_command", "export_run", "run_fit"]


def add_export_option(run: argparse.ArgumentParser) -> None:
    """Add ``--export FORMAT`` (and ``--tz``) to the ``run`` command."""
    run.add_argument("--export", choices=EXPORT_FORMATS, default=None,
                     help="also write the run's calls as a PBX log into --out "
                          "(queue_log, Master.csv, or calls_log.csv with its column mapping)")
    run.add_argument("--export-tz", default="UTC", metavar="ZONE",
                     help="time zone of the exported log's clock (default UTC)")


def export_run(args: argparse.Namespace, result: Result, out: Path | None) -> Path | None:
    """Write the export ``--export`` asks for; ``None`` when it asks for none."""
    if getattr(args, "export", None) is None:
        return None
    if out is None:
        raise ScenarioError(["--export: needs --out DIR to write the log into"])
    if result.calls is None:
        raise ScenarioError(["--export: needs every call; leave out --keep totals"])
    from huntsim.fit.fitting import _check_zone

    _check_zone("--export-tz", args.export_tz)
    try:
        path = export_log(result, args.export, out, tz=args.export_tz)
    except OSError as error:
        raise OutputError(f"--out: cannot write to {str(out)!r}: {error}") from None
    print(f"{args.export} log written to {path}")
    return path


def add_fit_command(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add ``huntsim fit LOG --format FORMAT ... --out office.yaml`` to the commands."""
    fit = commands.add_parser("fit", help="fit a scenario to an office's PBX logs")
    fit.add_argument("log", help="the log file (queue_log, Master.csv or a CSV)")
    fit.add_argument("--format", required=True, choices=FORMATS, help="the log's format")
    target = fit.add_mutually_exclusive_group()
    target.add_argument("--queue", default=None, help="the queue to fit (queue_log)")
    target.add_argument("--pilot", default=None, help="the pilot number to fit")
    fit.add_argument("--tz", default=None, metavar="ZONE",
                     help="the office's time zone, e.g. Europe/Berlin (default UTC)")
    fit.add_argument("--out", type=Path, required=True, help="write the fitted scenario here")
    fit.add_argument("--report", type=Path, default=None, metavar="DIR",
                     help="write the fit report (report.html, tables) here")
    fit.add_argument("--holdout", default=None, metavar="DURATION",
                     help="fit on all but this last stretch (e.g. 2w) and back-test on it")
    fit.add_argument("--base", type=Path, default=None, metavar="FILE",
                     help="a scenario whose policy, time-outs and treatments are taken as given")
    fit.add_argument("--columns", default=None, metavar="MAP",
                     help="csv format: 'arrival=Start,answer=Answered,...' or a YAML file")
    fit.add_argument("--policy", default=None, help="hunt policy (not readable from logs)")
    fit.add_argument("--ring-cycle", default=None, metavar="DURATION", help="one ring (6s)")
    fit.add_argument("--no-answer-rings", type=int, default=None, metavar="N",
                     help="rings before the hunt moves on (default: read from the log)")
    fit.add_argument("--when-all-busy", choices=("voicemail", "busy", "queue"), default=None,
                     help="what a call finding every member busy gets (default: read from the "
                          "log where it can be, else voicemail)")
    fit.add_argument("--replications", type=int, default=20,
                     help="back-test replications (default 20)")
    fit.add_argument("--seed", type=int, default=0, help="back-test seed (default 0)")
    fit.add_argument("--force", action="store_true", help="overwrite --out and --report")
    parser: argparse.ArgumentParser = fit
    return parser


def run_fit(args: argparse.Namespace) -> int:
    """Handle ``huntsim fit``: fit, write the scenario and the report; return 0."""
    from huntsim.fit.fitting import run_fit_command

    code: int = run_fit_command(args)
    return code
