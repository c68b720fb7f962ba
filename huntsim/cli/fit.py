"""Command-line parts of log fitting: ``huntsim fit`` and ``huntsim run --export``.

:mod:`huntsim.cli.main` registers them with :func:`add_fit_command` and
:func:`add_export_option`; the handlers raise :class:`~huntsim.ScenarioError`
or :class:`~huntsim.outputs.OutputError` for a user's mistake, which the main
command turns into exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from huntsim.errors import ScenarioError
from huntsim.fit.export import EXPORT_FORMATS, export_log
from huntsim.fit.logs.reader import FORMATS
from huntsim.outputs import OutputError, prepare_directory
from huntsim.sim.simulation import Result

if TYPE_CHECKING:
    from huntsim.fit.fitting import Fit

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
    from huntsim.fit.work import check_zone

    check_zone("--export-tz", args.export_tz)
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
    target.add_argument("--all-queues", action="store_true",
                        help="queue_log: every queue, one group each; a member of several "
                             "queues is one agent in each group (not back-tested)")
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
                     help="back-test replications, over the period fitted on and the "
                          "--holdout (default 20; 0: no back-test of the period fitted on)")
    fit.add_argument("--seed", type=int, default=0, help="back-test seed (default 0)")
    fit.add_argument("--force", action="store_true", help="overwrite --out and --report")
    parser: argparse.ArgumentParser = fit
    return parser


def run_fit(args: argparse.Namespace) -> int:
    """Handle ``huntsim fit``: fit, write the scenario (and the report); return the exit code."""
    out = Path(args.out)
    if out.exists() and (out.is_dir() or not args.force):
        what = "is a directory" if out.is_dir() else "exists (pass --force to overwrite it)"
        raise OutputError(f"--out: {str(out)!r} {what}")
    if args.replications < 0 or args.replications == 1 or (
            args.holdout is not None and args.replications < 2):
        raise ScenarioError([f"--replications: {args.replications} must be at least 2"
                             + ("" if args.holdout is not None else
                                " (or 0: no back-test of the period fitted on)")])
    from huntsim.fit.fitting import fit
    from huntsim.fit.logs.common import LogError

    try:
        fitted = fit(args.log, format=args.format, queue=args.queue, pilot=args.pilot,
                     tz=args.tz, base=args.base, holdout=args.holdout, columns=args.columns,
                     policy=args.policy, ring_cycle=args.ring_cycle,
                     no_answer_rings=args.no_answer_rings, when_all_busy=args.when_all_busy,
                     replications=args.replications, seed=args.seed,
                     all_queues=args.all_queues)
    except LogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = prepare_directory(args.report, args.force) if args.report is not None else None
    try:
        fitted.write(out)
        if report is not None:
            fitted.report(report)
    except OSError as error:
        raise OutputError(f"--out: cannot write {str(out)!r}: {error}") from None
    for warning in fitted.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_alarms(fitted)
    _print_summary(fitted, out, report)
    _print_alarms(fitted)
    return 0


ALARM_RULE = "!" * 78


def _print_alarms(fitted: Fit) -> None:
    """The back-test's alarms, loud (to stderr, before and after the summary)."""
    alarms = fitted.alarms()
    if not alarms:
        return
    print(f"{ALARM_RULE}\nWARNING: THE FITTED OFFICE DOES NOT REPRODUCE THE LOG. Do not trust "
          "its what-ifs\nbefore you find out why (the policy? the time-outs? what is not in "
          f"the log?):", file=sys.stderr)
    for line in alarms:
        print(f"  - {line}", file=sys.stderr)
    print(ALARM_RULE, file=sys.stderr)


def _print_summary(fitted: Fit, out: Path, report: Path | None) -> None:
    import numpy as np

    from huntsim.views.console import fit_text, text_table

    def number(value: object) -> str:
        v = float(value)  # type: ignore[arg-type]
        return f"{v:.4g}" if np.isfinite(v) else "-"

    start, end = fitted.period
    print(fit_text(f"{fitted.source}: {fitted.calls_fitted()} from {start:%Y-%m-%d} to "
                   f"{end:%Y-%m-%d} ({fitted.log.format})"))
    table = fitted.parameters
    unit = [f" {u}" if isinstance(u, str) and u else "" for u in table["unit"]]
    rows = [[f"{row.parameter} ({row.scope})", number(row.value) + unit[i],
             f"{number(row.low)} to {number(row.high)}",
             str(row.n), str(row.source)] for i, row in enumerate(table.itertuples(index=False))]
    print(text_table(["Fitted figure (scope)", "Value", "95 % interval", "Observations",
                      "How"], rows))
    print("\nNot in the log:")
    print(text_table(["Setting", "Value", "Source"],
                     [[str(v) for v in row] for row in
                      fitted.settings[["setting", "value", "source"]].itertuples(index=False)]))
    if len(fitted.not_in_log):
        unseen = fitted.not_in_log
        print("\nNot in the log (the fit could not see these):")
        print(text_table([str(c).replace("_", " ").capitalize() for c in unseen.columns],
                         [[str(v) for v in row] for row in unseen.itertuples(index=False)]))
    for bt in fitted.backtests:
        print(fit_text(f"\nback-test on {bt.start:%Y-%m-%d} to {bt.end:%Y-%m-%d} (the "
                       f"{bt.period} period), {bt.replications} replications: "
                       f"{bt.share_inside:.0%} of the figures inside the 95 % intervals"))
        for row in bt.outside.itertuples(index=False):
            print(fit_text(f"  outside: {row.figure} ({row.scope}): observed "
                           f"{row.observed:.4g}, simulated {row.low:.4g} to {row.high:.4g}"))
    print(fit_text(f"\nscenario written to {out}" + (f"; report in {report}/" if report else "")))
