"""Warnings about figures that would mislead: each rule fires when it should, and only then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from huntsim import compare, plan, simulate
from huntsim.cli.main import main
from huntsim.sim.simulation import scenario_warnings
from huntsim.views.report import write_comparison


def queue_office(rate: str = "50/h", members: int = 2, warmup: str = "1h",
                 duration: str = "8h", **extra: Any) -> dict[str, Any]:
    """Members of 3 min calls behind a queue: 50/h is 2.5 Erlang."""
    numbers = [str(101 + i) for i in range(members)]
    return {
        "name": "queue office", "duration": duration, "warmup": warmup,
        "agents": [{"number": n, "talk_time": "3min"} for n in numbers],
        "hunt_groups": [{"pilot": "100", "members": numbers, "when_all_busy": "queue",
                         "arrivals": {"rate": rate}}],
        **extra,
    }


def about(warnings: tuple[str, ...], text: str) -> list[str]:
    return [w for w in warnings if text in w]


# (a) an overloaded queue


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_an_overloaded_queue_with_patient_callers_is_warned_with_its_numbers(keep):
    result = simulate(queue_office(), seed=1, keep=keep)
    summary = result.summary().loc["100"]
    assert summary["answered_rate"] == 1.0 and summary["mean_wait_s"] > 1800  # the nonsense
    [warning] = about(result.warnings, "overloaded")
    assert warning.startswith("hunt group 100 is overloaded: 50 calls/h x 3 min")
    assert "2.5 Erlang offered to 2 members who can carry at most 2 Erlang" in warning
    assert "wait as long as it takes" in warning


def test_an_overloaded_queue_with_impatient_callers_says_they_hang_up():
    scenario = queue_office(caller_patience="1min")
    [warning] = about(scenario_warnings(simulate(scenario, seed=1).scenario), "overloaded")
    assert "hang up" in warning


def test_a_queue_within_capacity_is_not_warned():
    result = simulate(queue_office(rate="35/h"), seed=1)  # 1.75 Erlang on 2 members
    assert result.warnings == ()


def test_direct_calls_take_capacity_from_the_queue():
    scenario = queue_office(rate="35/h")  # 1.75 Erlang: fits 2 members, not 1.5
    for agent in scenario["agents"]:
        agent["direct_calls"] = {"rate": "5/h"}  # 0.25 Erlang each
    [warning] = about(simulate(scenario, seed=1).warnings, "overloaded")
    assert "1.75 Erlang offered" in warning and "(1.5 after their own direct calls)" in warning


def test_an_overloaded_group_without_a_queue_is_not_warned():
    scenario = queue_office()
    scenario["hunt_groups"][0].update(when_all_busy="voicemail", voicemail=True)
    assert about(simulate(scenario, seed=1).warnings, "overloaded") == []


# (b) a run too short for its warm-up effects


def test_a_run_shorter_than_twenty_calls_is_warned():
    result = simulate(queue_office(rate="20/h", duration="89min", warmup="30min"), seed=1)
    [warning] = result.warnings
    assert warning.startswith("the reported period (59 min, duration less warm-up) is shorter "
                              "than 20 mean calls of agent 101 (20 x 3 min = 1 h)")


def test_a_run_of_twenty_calls_or_more_is_not_warned():
    result = simulate(queue_office(rate="20/h", duration="90min", warmup="30min"), seed=1)
    assert about(result.warnings, "reported period") == []


def test_a_steady_queue_without_warm_up_is_warned():
    [warning] = simulate(queue_office(rate="20/h", warmup="0s"), seed=1).warnings
    assert "warm-up (0 s) is shorter than 10 of its mean calls (30 min)" in warning


def test_a_queue_whose_day_starts_empty_is_not_warned_for_its_warm_up():
    scenario = queue_office(warmup="0s")
    scenario["hunt_groups"][0]["arrivals"] = {"profile": [{"start": "0h", "rate": "20/h"}],
                                              "period": "8h"}
    assert simulate(scenario, seed=1).warnings == ()
    assert simulate(queue_office(rate="20/h", warmup="30min"), seed=1).warnings == ()


# (c) hunt groups and agents that got no calls


def test_a_group_and_an_agent_without_calls_are_warned():
    scenario = queue_office(rate="20/h")
    scenario["agents"].append({"number": "200", "name": "Spare", "talk_time": "3min"})
    scenario["agents"].append({"number": "301", "talk_time": "3min"})
    scenario["hunt_groups"].append({"pilot": "300", "members": ["301"]})
    for keep in ("calls", "totals"):
        assert simulate(scenario, seed=1, keep=keep).warnings == (
            "hunt group 300 got no calls in the reported period: no calls are due in the "
            "run's time (its arrivals, start and duration)",
            "agent 200 (Spare) got no calls in the reported period (never rung)",
            "agent 301 got no calls in the reported period (never rung)",
        )


def test_a_group_whose_calls_all_came_before_the_warm_up_ended_is_warned():
    scenario = queue_office(rate="20/h", warmup="30min", duration="8h")
    scenario["agents"].append({"number": "301", "talk_time": "1min"})
    scenario["hunt_groups"].append({"pilot": "300", "members": ["301"],
                                    "arrivals": {"trace": [60]}})
    warnings = simulate(scenario, seed=1).warnings
    assert "hunt group 300 got no calls in the reported period" in warnings  # no reason given
    assert "agent 301 got no calls in the reported period (never rung)" in warnings


# experiments: each warning once, in the report, on stderr


def test_compare_and_plan_give_each_warning_once():
    scenario = queue_office()
    scenario["agents"].append({"number": "200", "talk_time": "3min"})
    comparison = compare(scenario, ["regular", "circular"], replications=3, seed=1, jobs=1)
    assert len(comparison.warnings) == len(set(comparison.warnings)) == 2
    assert comparison.warnings[0].startswith("hunt group 100 is overloaded")
    assert comparison.warnings[1] == ("agent 200 got no calls in the reported period "
                                      "(never rung)")
    staffing = plan(scenario, "100", ["service_level>=0.8"], members=[2, 3], replications=2,
                    jobs=1)
    overloaded = about(staffing.warnings, "overloaded")
    assert overloaded == [overloaded[0]]
    assert overloaded[0].endswith("(in 2 of 4 runs; policy regular, members 2)")


def test_a_warning_some_runs_give_says_how_many(tmp_path):
    # regular hunting over a light load: the last member is rung in some runs only
    scenario = queue_office(rate="2/h", members=3, warmup="1h", duration="4h")
    comparison = compare(scenario, ["regular", "circular"], replications=6, seed=3, jobs=1)
    partial = [w for w in comparison.warnings if "(in " in w]
    assert partial and all(" of 12 runs" in w for w in partial)


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_commands_print_warnings_on_stderr_once(tmp_path, capsys):
    path = write(tmp_path, queue_office())
    assert main(["run", str(path), "--seed", "1", "--out", str(tmp_path / "run")]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: hunt group 100 is overloaded") == 1
    summary = yaml.safe_load((tmp_path / "run" / "summary.json").read_text())
    assert len(summary["warnings"]) == 1 and "overloaded" in summary["warnings"][0]
    assert main(["compare", str(path), "--policies", "regular,circular", "--replications", "3",
                 "--jobs", "1", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("warning: hunt group 100 is overloaded") == 1
    assert "warning" not in captured.out
    assert main(["plan", str(path), "--group", "100", "--target", "answered_rate>=0.9",
                 "--members", "2,3", "--replications", "2", "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr().err.count("warning: hunt group 100 is overloaded") == 1


def test_the_report_shows_the_warnings(tmp_path):
    comparison = compare(queue_office(), ["regular"], replications=2, seed=1, jobs=1)
    write_comparison(comparison, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert html.count("<h2>Warnings</h2>") == 1
    assert html.count("hunt group 100 is overloaded: 50 calls/h") == 1


def test_a_clean_report_has_no_warnings_section(tmp_path):
    comparison = compare(queue_office(rate="20/h"), ["regular"], replications=2, seed=1, jobs=1)
    assert comparison.warnings == ()
    write_comparison(comparison, tmp_path)
    assert "Warnings" not in (tmp_path / "report.html").read_text()


def test_an_overload_during_open_hours_is_warned() -> None:
    # 80 calls/h of 3-minute calls (4 Erlang) on 3 members, but only 09:00-17:00
    scenario = {
        "duration": "1w", "caller_patience": "2min",
        "agents": [{"number": n, "talk_time": "3min"} for n in ("A", "B", "C")],
        "hunt_groups": [{"pilot": "100", "members": ["A", "B", "C"], "when_all_busy": "queue",
                         "voicemail": True, "open": ["mon-fri 09:00-17:00"],
                         "arrivals": {"weekly": {"mon-fri": {"09:00": "80/h",
                                                             "17:00": "0/h"}}}}],
    }
    warnings = simulate(scenario, seed=1).warnings
    assert any("overloaded while the group is open" in w and "4 Erlang" in w for w in warnings)
    scenario["hunt_groups"][0]["arrivals"]["weekly"]["mon-fri"]["09:00"] = "40/h"
    assert not any("overloaded" in w for w in simulate(scenario, seed=1).warnings)
