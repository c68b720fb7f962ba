"""What the command families share: warnings on the terminal, the options of a
many-run command (``--out``, ``--force``, ``--resume``, ``--jobs``, ``--scheduler``,
``--quiet``, ``--progress``), where its runs are saved, and library messages
reworded to name the command's flags.

``--resume`` is spelled one way for ``compare``, ``plan`` and ``sweep``:
``--resume DIR`` continues the run saved in ``DIR``, and ``--out DIR --resume``
says the same. This module imports nothing heavy: ``huntsim --help`` builds
every parser.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huntsim.outputs import OutputError

if TYPE_CHECKING:
    from huntsim.experiments.measure import Measurement
    from huntsim.experiments.runner import CheckpointStore

__all__ = [
    "FLAGS",
    "add_run_options",
    "as_flag",
    "count_of",
    "flag_errors",
    "output_store",
    "print_warnings",
    "progress_of",
    "resume_problems",
]

FLAGS: dict[str, str] = {
    "targets": "--target", "group": "--group", "members": "--members",
    "policies": "--policies", "threshold_s": "--threshold", "seed": "--seed",
    "replications": "--replications", "jobs": "--jobs", "scheduler": "--scheduler",
    "hour_length_s": "--hour-length", "grid": "--set",
}
"""The library's parameter names and the flags that give them on the command line."""

_PARAMETER = re.compile(r"^([a-z_]+)(\[\d+\])?: ")


def count_of(number: int, one: str, many: str | None = None) -> str:
    """``1 agent``, ``3 agents``, ``2 policies``."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def print_warnings(warnings: Sequence[str]) -> None:
    """Print each warning on stderr as ``warning: ...``."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def as_flag(message: str, flags: Mapping[str, str] = FLAGS) -> str:
    """Reword a library message that names a parameter to name its flag instead.

    Examples
    --------
    >>> as_flag("targets[1]: 'wait<5' is not a target")
    "--target: 'wait<5' is not a target"
    >>> as_flag("grid: traffic=-1: must be a factor greater than 0")
    '--set: traffic=-1: must be a factor greater than 0'
    >>> as_flag("hunt_groups[0].members[2]: '9' is not an agent")
    "hunt_groups[0].members[2]: '9' is not an agent"
    """
    match = _PARAMETER.match(message)
    if match is None or match.group(1) not in flags:
        return message
    return f"{flags[match.group(1)]}: {message[match.end():]}"


@contextmanager
def flag_errors(flags: Mapping[str, str] = FLAGS) -> Iterator[None]:
    """Errors raised inside name the command's flags, not the library's parameters."""
    from huntsim.errors import ScenarioError

    try:
        yield
    except ScenarioError as error:
        raise ScenarioError([as_flag(m, flags) for m in error.messages]) from None
    except OutputError as error:
        raise OutputError(as_flag(str(error), flags)) from None


def add_run_options(parser: argparse.ArgumentParser, jobs: Callable[[str], Any] = str,
                    scheduler_help: str = "Dask scheduler address tcp://HOST:PORT, or 'local' "
                                          "(needs the dask extra)") -> None:
    """The options of a command of many runs: where they go, how they run, how they show.

    ``jobs`` reads ``--jobs`` (default: kept as text, for the command to check).
    """
    parser.add_argument("--out", type=Path, default=None,
                        help="write CSV tables, PNG figures and report.html here")
    parser.add_argument("--force", action="store_true", help="overwrite results already in --out")
    parser.add_argument("--resume", type=Path, nargs="?", const=True, default=None,
                        metavar="DIR",
                        help="continue an interrupted run saved in DIR without redoing finished "
                             "runs (alone: in the --out directory)")
    parser.add_argument("--jobs", type=jobs, default=None,
                        help="local worker processes (default: all cores)")
    parser.add_argument("--scheduler", default=None, help=scheduler_help)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--progress", action="store_true",
                        help="show the progress bar even when stderr is not a terminal")


def progress_of(args: argparse.Namespace) -> bool | None:
    """``--quiet``: no bar; ``--progress``: a bar; neither: a bar on a terminal only."""
    return False if args.quiet else (True if args.progress else None)


def resume_problems(args: argparse.Namespace) -> list[str]:
    """What is wrong with ``--resume`` and ``--out`` together, the same for every command.

    ``--resume DIR`` and ``--out DIR --resume`` name the run to continue;
    ``--resume`` alone names none, and ``--resume A --out B`` two.
    """
    if args.resume is True and args.out is None:
        return ["--resume: which directory? give --resume DIR or --out DIR --resume"]
    if (args.resume not in (None, True) and args.out is not None
            and Path(args.resume).resolve() != Path(args.out).resolve()):
        return [f"--resume: {str(args.resume)!r} and --out {str(args.out)!r} name two "
                "directories; give the run to continue once (--resume DIR)"]
    return []


def output_store(args: argparse.Namespace, fingerprint: Callable[[], dict[str, Any]],
                 ) -> tuple[Path | None, CheckpointStore[Measurement] | None]:
    """The output directory and its checkpoint store; call only once all is checked.

    ``--resume`` continues in an existing directory; ``--out`` makes one (and
    with ``--force`` clears its saved runs). The store refuses the runs of
    another experiment (``fingerprint``: what this one is).
    """
    from huntsim.errors import ScenarioError
    from huntsim.experiments.runner import CheckpointStore
    from huntsim.outputs import prepare_directory

    problems = resume_problems(args)
    if problems:
        raise ScenarioError(problems)
    if args.resume is not None:
        out = Path(args.out if args.resume is True else args.resume)
        if not out.is_dir():
            raise OutputError(f"--resume: {str(out)!r} is not a directory of an earlier run")
    elif args.out is not None:
        out = prepare_directory(args.out, args.force)
        if args.force and (out / "runs").is_dir():
            shutil.rmtree(out / "runs")
    else:
        return None, None
    with flag_errors({"directory": "--resume" if args.resume is not None else "--out"}):
        store: CheckpointStore[Measurement] = CheckpointStore(out / "runs", fingerprint())
    return out, store
