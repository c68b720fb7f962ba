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


def test_runs_saved_by_another_version_are_run_again(tmp_path, capsys):
    """A saved run whose classes this version cannot load (the flat layout before the
    subpackages pickled huntsim.replications.Measurement) is run again, not a traceback."""
    fresh, resumed = tmp_path / "fresh", tmp_path / "resumed"
    assert main([*arguments(BASE), "--out", str(fresh)]) == 0
    assert main([*arguments(BASE), "--out", str(resumed)]) == 0
    saved = sorted((resumed / "runs").glob("*.pickle"))
    assert len(saved) == RUNS
    # a pickle naming a module that no longer exists, and one cut short
    saved[0].write_bytes(b"\x80\x04\x95\x1f\x00\x00\x00\x00\x00\x00\x00\x8c\x14huntsim.replications"
                         b"\x94\x8c\x0bMeasurement\x94\x93\x94.")
    saved[1].write_bytes(saved[1].read_bytes()[:10])
    capsys.readouterr()
    assert main([*arguments(BASE), "--resume", str(resumed)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    for table in ("comparison.csv", "differences.csv"):
        assert_frame_equal(pd.read_csv(fresh / table), pd.read_csv(resumed / table))
