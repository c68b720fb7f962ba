"""huntsim roster: the findings of a new user's and an adversarial tester's trial, each a
test that failed before its fix (small offices, two or three replications)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from huntsim import ScenarioError, load_scenario, roster
from huntsim.cli.main import main
from huntsim.experiments.roster_solve import solve
from huntsim.experiments.schedule_gap import scheduled_by_hour
from huntsim.scenario.shifts import load_shifts

FAST = {"replications": 2, "hour_length_s": 2 * 3600.0, "jobs": 1, "progress": False}


def desk(open_: list[str], rate: str = "20/h", **group: object) -> dict[str, object]:
    """A small office: one group of two members, open ``open_``, ``rate`` pilot calls."""
    return {
        "name": "desk", "duration": "1w", "start": "mon 00:00", "seed": 3,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "101"}, {"number": "102"}],
        "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "voicemail": True,
                         "when_all_busy": "queue", "open": open_,
                         "after_hours": "voicemail", "arrivals": {"rate": rate}, **group}],
    }


# --- 1: a weekend office with weekday shifts --------------------------------------------

def test_weekend_office_with_weekday_shifts_says_no_shift_covers_its_hours() -> None:
    office = desk(["sat,sun 09:00-12:00"])
    shifts = [{"name": "wd", "days": "mon-fri", "start": "09:00", "length": "8h"}]
    with pytest.raises(ScenarioError) as caught:
        roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 5), **FAST)
    text = str(caught.value)
    assert "needs nobody" not in text
    assert "sat-sun 09:00-12:00: no shift covers" in text


# --- 3: an office opening at 07:30 ------------------------------------------------------

def test_the_need_of_a_partly_closed_hour_holds_only_in_its_open_minutes() -> None:
    from huntsim.experiments.schedule_gap import open_minutes

    office = load_scenario(desk(["mon 07:30-12:00"]))
    opened = open_minutes(office, "100")
    assert int(opened[7 * 60:8 * 60].sum()) == 30
    shifts = load_shifts([{"name": "early", "days": "mon", "start": "07:30", "length": "270min"}])
    need = np.zeros(168, dtype=int)
    need[7:12] = 2
    solution = solve(need, shifts, opened)
    assert solution.capped == {}
    assert solution.counts.tolist() == [2]
    assert solution.scheduled[7] == 2  # logged in for the whole open half hour
    # without the calendar the hour's closed half still needs people
    assert 7 in solve(need, shifts).capped


def test_plan_by_hour_counts_scheduled_members_only_in_open_minutes() -> None:
    office = desk(["mon 07:30-12:00"])
    office["agents"] = [{"number": "101", "schedule": ["mon 07:30-12:00"]},  # type: ignore[index]
                        {"number": "102", "schedule": ["mon 07:30-12:00"]}]
    assert scheduled_by_hour(load_scenario(office), "100")[7] == 2


# --- 9: a shift with max 0 --------------------------------------------------------------

def test_a_shift_with_max_0_is_named_as_the_limit_not_as_no_shift() -> None:
    shifts = load_shifts([{"name": "e", "days": "mon", "start": "07:00", "length": "8h",
                           "max": 0},
                          {"name": "late", "days": "mon", "start": "11:00", "length": "8h"}])
    need = np.zeros(168, dtype=int)
    need[8] = 3
    assert solve(need, shifts).capped == {8: "the shifts' max allow 0 logged in, 3 needed"}


# --- 2: a share above 100 % -------------------------------------------------------------

@pytest.mark.parametrize("command", ["plan", "roster"])
@pytest.mark.parametrize("target", ["service_level_20s>=180%", "voicemail_rate<=-5%"])
def test_a_share_target_outside_0_to_100_percent_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, target: str) -> None:
    scenario = tmp_path / "desk.yaml"
    office = desk(["mon-fri 09:00-17:00"])
    office["shifts"] = [{"name": "day", "days": "mon-fri", "start": "09:00", "length": "8h"}]
    scenario.write_text(yaml.safe_dump(office))
    assert main([command, str(scenario), "--group", "100", "--target", target]) == 2
    err = capsys.readouterr().err
    assert f"--target: '{target}'" in err and "between 0 % and 100 %" in err
    assert "Traceback" not in err
