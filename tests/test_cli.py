"""The command line: exit codes, messages without tracebacks, written tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import office

from huntsim.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenarios_are_valid(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert "valid" in capsys.readouterr().out


def test_invalid_scenario_exits_2_with_field_named_messages(tmp_path, capsys):
    data = office()
    data["hunt_groups"][0]["members"].append("555-0199")
    assert main(["validate", str(write(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "hunt_groups[0].members[3]: '555-0199' is not an agent" in err
    assert "Traceback" not in err


def test_missing_file_and_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "none.yaml")]) == 2
    assert main(["run", str(SCENARIOS / "erlang_b.yaml"), "--policy", "fastest"]) == 2
    assert main(["run", str(SCENARIOS / "erlang_b.yaml"), "--seed", "-1"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_run_writes_tables_and_summary(tmp_path, capsys):
    scenario = write(tmp_path, office(trace=[0, 10, 20, 500]))
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--seed", "5", "--policy", "circular",
                 "--out", str(out)]) == 0
    for name in ("calls", "offers", "agents"):
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv")
        assert len(parquet) == len(csv) > 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 5 and summary["policy"] == "circular"
    assert summary["summary"]["PILOT"]["offered"] == 4
    assert "answered_rate" in capsys.readouterr().out
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_existing_results_are_not_overwritten_without_force(tmp_path, capsys):
    scenario = write(tmp_path, office())
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    before = (out / "calls.csv").read_bytes()
    assert main(["run", str(scenario), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "calls.csv").read_bytes() == before
    assert main(["run", str(scenario), "--out", str(out), "--force"]) == 0
