"""Crash-safe outputs: a killed comparison resumes without redoing finished runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal

from huntsim.cli.main import main

BASE = Path(__file__).resolve().parent.parent / "scenarios" / "real_estate.yaml"
RUNS = 2 * 12


def arguments(scenario: Path) -> list[str]:
    return ["compare", str(scenario), "--policies", "regular,circular", "--replications",
            "12", "--seed", "3", "--jobs", "1", "--quiet"]


def test_killed_run_resumes_without_redoing_work(tmp_path):
    data = yaml.safe_load(BASE.read_text())
    data["duration"] = "90h"  # two weeks: long enough to be caught midway
    scenario = tmp_path / "office.yaml"
    scenario.write_text(yaml.safe_dump(data))
    out = tmp_path / "interrupted"
    runs = out / "runs"
    process = subprocess.Popen([sys.executable, "-m", "huntsim", *arguments(scenario),
                                "--out", str(out)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(runs.glob("*.pickle"))) < 3:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.kill()
    process.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in runs.glob("*.pickle")}
    assert 3 <= len(finished) < RUNS
    assert not (out / "report.html").exists()

    assert main([*arguments(scenario), "--resume", str(out)]) == 0
    for name, modified in finished.items():  # finished runs were not recomputed
        assert (runs / name).stat().st_mtime_ns == modified
    assert len(list(runs.glob("*.pickle"))) == RUNS

    fresh = tmp_path / "uninterrupted"
    assert main([*arguments(scenario), "--out", str(fresh)]) == 0
    for table in ("comparison.csv", "differences.csv", "members.csv", "replications.csv"):
        assert_frame_equal(pd.read_csv(out / table), pd.read_csv(fresh / table))
    assert not [p for p in out.rglob(".*")]  # no temporary files left behind


def test_resume_refuses_another_experiment(tmp_path, capsys):
    out = tmp_path / "run"
    small = ["compare", str(BASE), "--policies", "regular", "--replications", "2", "--jobs", "1",
             "--quiet"]
    assert main([*small, "--out", str(out)]) == 0
    assert main([*small, "--seed", "99", "--resume", str(out)]) == 2
    assert "different experiment" in capsys.readouterr().err
    assert main([*small, "--resume", str(tmp_path / "nothing")]) == 2


def test_resume_is_spelled_one_way_for_every_command(tmp_path, capsys):
    # --resume DIR, or --out DIR --resume: compare, plan and sweep alike
    for command in ("compare", "plan", "sweep"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--resume [DIR]" in capsys.readouterr().out, command
    small = ["compare", str(BASE), "--policies", "regular", "--replications", "2", "--jobs", "1",
             "--quiet"]
    out = tmp_path / "run"
    assert main([*small, "--out", str(out)]) == 0
    saved = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.pickle")}
    assert main([*small, "--out", str(out), "--resume"]) == 0
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.pickle")} == saved
    capsys.readouterr()
    assert main([*small, "--resume"]) == 2
    assert "--resume: which directory?" in capsys.readouterr().err
    # the same directory given twice is one run; two directories are refused by every command
    assert main([*small, "--out", str(out), "--resume", str(out)]) == 0
    sweep = ["sweep", str(BASE), "--set", "traffic=1.0", "--policies", "regular",
             "--replications", "2", "--jobs", "1", "--quiet"]
    assert main([*sweep, "--out", str(tmp_path / "sweep")]) == 0
    assert main([*sweep, "--out", str(tmp_path / "sweep"), "--resume",
                 str(tmp_path / "sweep")]) == 0
    for command in (small, sweep):
        capsys.readouterr()
        assert main([*command, "--out", str(tmp_path / "other"), "--resume", str(out)]) == 2
        assert "name two directories" in capsys.readouterr().err
        assert not (tmp_path / "other").exists()


def test_the_advice_after_an_interrupt_works_for_every_command(tmp_path, capsys):
    # "the same command and --resume DIR", where the command had --out DIR: one run, not two
    from argparse import Namespace

    from huntsim.cli.main import _interrupted

    sweep = ["sweep", str(BASE), "--set", "traffic=1.0", "--policies", "regular",
             "--replications", "2", "--jobs", "1", "--quiet", "--out", str(tmp_path / "s")]
    assert main(sweep) == 0
    advice = _interrupted(Namespace(command="sweep", out=tmp_path / "s", resume=None))
    assert advice.endswith(f"same command and --resume {tmp_path / 's'}")
    assert main([*sweep, *advice.rsplit(" ", 2)[-2:]]) == 0
