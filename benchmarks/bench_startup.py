"""Benchmark: how long the ``huntsim`` command takes to start.

Each command runs ``--repeat`` times as a fresh process (the installed
``huntsim`` script of this virtual environment); the table shows the median,
fastest and slowest wall-clock time, the target, and the heaviest modules
the command imports. The first row, the interpreter starting and doing
nothing, is the floor under every command on this machine at that moment.
A busy machine makes every figure slower: read the fastest run as what the
code costs, the median as what a user waits.

Run with ``make bench`` (or ``python benchmarks/bench_startup.py --help``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "huntsim"
HEAVY = ("scipy", "pandas", "matplotlib", "simpy", "dask", "numpy", "pydantic")
COMMANDS: tuple[tuple[str, list[str], float], ...] = (
    ("huntsim --help", ["--help"], 0.3),
    ("huntsim --version", ["--version"], 0.3),
    ("huntsim validate scenarios/real_estate.yaml",
     ["validate", str(ROOT / "scenarios" / "real_estate.yaml")], 0.8),
)


def _time(argv: list[str], program: list[str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([*(program or [str(SCRIPT)]), *argv], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def _heavy_imports(argv: list[str]) -> str:
    """The heavy packages a command loads (from ``python -X importtime``)."""
    code = (f"import sys; sys.argv = ['huntsim', *{argv!r}]; "
            "from huntsim.cli.main import main; main()")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0]
              for line in done.stderr.splitlines() if line.startswith("import time:")}
    return ", ".join(name for name in HEAVY if name in loaded) or "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args(argv)
    if not SCRIPT.exists():
        print(f"no huntsim script at {SCRIPT}; install the package first", file=sys.stderr)
        return 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"start-up of the huntsim command: {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores, load average {load:.1f} "
          f"at the start, {args.repeat} runs each")
    header = f"{'command':<46} {'median':>8} {'fastest':>8} {'slowest':>8} {'target':>7}  loads"
    print(header)
    print("-" * len(header))
    floor = [_time(["-c", "pass"], [sys.executable]) for _ in range(args.repeat)]
    print(f"{'python -c pass (the interpreter alone)':<46} {statistics.median(floor):>7.2f}s "
          f"{min(floor):>7.2f}s {max(floor):>7.2f}s {'':>7}  none")
    for name, command, target in COMMANDS:
        _time(command)  # warm the file cache
        times = [_time(command) for _ in range(args.repeat)]
        median = statistics.median(times)
        mark = "" if median <= target else " (over)"
        print(f"{name:<46} {median:>7.2f}s {min(times):>7.2f}s {max(times):>7.2f}s "
              f"{target:>6.1f}s  {_heavy_imports(command)}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
