"""Calls that arrive after hours and are forwarded: counted once, by where they went.

Group 100 (open mon 08:00-17:00) forwards after hours to 200 (open mon
06:00-17:30). Three listed calls dial 100: at 07:00 (100 closed, forwarded to
200, answered there), at 09:00 (100 open, answered there) and at 18:00 (both
closed: forwarded to 200, which gives it its after-hours voicemail; it rang
nobody). So, in both keep modes:

* 100: offered 1, after_hours 2, forwarded_away 2 (both calls it sent away,
  the after-hours ones included);
* 200: offered 1, forwarded_in 1 (the forward that found it open; the one that
  found it closed is in its after_hours, 1);
* all pilot calls: offered 2, after_hours 1 (closed everywhere).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import huntsim
from huntsim.analysis.catalog import metric
from huntsim.cli.main import run_text
from huntsim.experiments.measure import RunTask, measure

HOUR = 3600.0


def _office(second_open: str | None = "mon 06:00-17:30") -> dict[str, Any]:
    agent = {"answer_probability": 1.0, "answer_delay": "2s", "talk_time": "1min"}
    second: dict[str, Any] = {"pilot": "200", "members": ["b1"], "voicemail": True}
    if second_open is not None:
        second["open"] = [second_open]
    return {
        "start": "mon 00:00", "duration": "1d", "ring_cycle": "6s",
        "agents": [{"number": "a1", **agent}, {"number": "b1", **agent}],
        "hunt_groups": [
            {"pilot": "100", "members": ["a1"], "voicemail": True,
             "open": ["mon 08:00-17:00"], "forward": {"when": ["after_hours"], "to": "200"},
             "arrivals": {"trace": [7 * HOUR, 9 * HOUR, 18 * HOUR]}},
            second,
        ],
    }


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_after_hours_forwards_are_forwarded_away_and_in(keep: str) -> None:
    result = huntsim.simulate(_office(), seed=1, keep=keep)  # type: ignore[arg-type]
    summary = result.summary()
    first, second, every = (summary.loc[k] for k in ("100", "200", "all pilot calls"))
    assert (first["offered"], first["after_hours"], first["forwarded_away"]) == (1, 2, 2)
    assert first["forwarded_rate"] == 0.0  # after-hours calls stay out of the rates
    assert (second["offered"], second["forwarded_in"], second["after_hours"]) == (1, 1, 1)
    assert second["answered_rate"] == 1.0
    assert (every["offered"], every["after_hours"], every["answered_rate"]) == (2, 1, 1.0)
    # its callers are those of its calls: the one forwarded after hours and answered
    # counts; the group dialled leaves out the callers who found it closed
    assert (every["callers"], every["callers_answered_rate"]) == (2, 1.0)
    assert (first["callers"], first["callers_answered_rate"]) == (1, 1.0)


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_run_headline_names_forwarded_after_hours_calls(keep: str) -> None:
    result = huntsim.simulate(_office(), seed=1, keep=keep)  # type: ignore[arg-type]
    headline = run_text(result, result.summary()).splitlines()[0]
    assert "2 calls reported, 1 of them forwarded after hours" in headline
    assert "(and 1 more after hours, rung to nobody)" in headline
    # a call forwarded after hours is not said to have rung nobody
    alone = huntsim.simulate(_office(second_open=None), seed=1, keep=keep)  # type: ignore[arg-type]
    headline = run_text(alone, alone.summary()).splitlines()[0]
    assert "3 calls reported, 2 of them forwarded after hours" in headline
    assert "rung to nobody" not in headline


def test_run_headline_without_forwards_is_unchanged() -> None:
    office = _office()
    del office["hunt_groups"][0]["forward"]
    result = huntsim.simulate(office, seed=1)
    headline = run_text(result, result.summary()).splitlines()[0]
    assert headline.endswith("reported (and 2 after hours, rung to nobody)")
    assert "forwarded" not in headline


def test_measure_counts_forwarded_away_and_offered_per_open_hour() -> None:
    scenario = huntsim.load_scenario(_office())
    metrics = measure(RunTask("k", scenario, seed=1)).metrics
    assert isinstance(metrics, dict)
    rows = {(str(g), str(m)): float(v) for g, m, v in
            zip(metrics["group"], metrics["metric"], metrics["value"], strict=True)}
    assert rows[("100", "forwarded_away")] == 2
    assert rows[("100", "after_hours")] == 2
    assert rows[("200", "forwarded_in")] == 1
    # per open hour: 100 is open 9 h of the day, 200 11.5 h
    assert rows[("100", "offered_per_hour")] == pytest.approx(1 / 9)
    assert rows[("200", "offered_per_hour")] == pytest.approx(1 / 11.5)
    assert "open" in metric("offered_per_hour").label


def test_offered_per_hour_of_an_always_open_group_is_over_the_whole_window() -> None:
    scenario = huntsim.load_scenario(_office(second_open=None))
    metrics = measure(RunTask("k", scenario, seed=1)).metrics
    assert isinstance(metrics, dict)
    rows = {(str(g), str(m)): float(v) for g, m, v in
            zip(metrics["group"], metrics["metric"], metrics["value"], strict=True)}
    assert rows[("200", "offered_per_hour")] == pytest.approx(2 / 24)
    assert not math.isnan(rows[("100", "offered_per_hour")])


def test_what_was_simulated_says_after_hours_calls_are_forwarded() -> None:
    from huntsim.views.display import simulated

    scenario = huntsim.load_scenario(_office())
    lines = simulated(scenario, None, {"100": 1.0}, {"100": 2.0})
    first = next(line for line in lines if line.startswith("Pilot 100"))
    second = next(line for line in lines if line.startswith("Pilot 200"))
    assert "2 after hours (forwarded to 200, left out of its rates)" in first
    assert "voicemail" not in first
    assert "it also takes the calls forwarded from 100 (after hours)" in second


def test_hunt_groups_table_names_the_forward_and_who_sends_calls() -> None:
    from huntsim.views.report import scenario_summary

    text = scenario_summary(huntsim.load_scenario(_office()))
    assert "forwarded to 200" in text
    assert "own calls/h (mean over all hours)" in text
    assert "also takes the calls forwarded from" in text
    assert "100 (after hours)" in text


def _service_office(service_open: list[str] | None) -> dict[str, Any]:
    """Front desk 300 open mon-fri 08:30-17:00 with calls from 08:00, forwarding after
    hours to a service 400 that has no arrivals of its own and whose members are
    scheduled mon-fri 17:00-22:00 only."""
    service: dict[str, Any] = {"pilot": "400", "members": ["s1"], "voicemail": True}
    if service_open is not None:
        service["open"] = service_open
    return {
        "start": "mon 00:00", "duration": "1w", "agent_defaults": {"talk_time": "3min"},
        "agents": [{"number": "d1", "schedule": ["mon-fri 08:30-17:00"]},
                   {"number": "s1", "schedule": ["mon-fri 17:00-22:00"]}],
        "hunt_groups": [
            {"pilot": "300", "members": ["d1"], "voicemail": True,
             "open": ["mon-fri 08:30-17:00"], "forward": {"when": ["after_hours"], "to": "400"},
             "arrivals": {"weekly": {"mon-fri": {"08:00": "4/h", "08:30": "20/h",
                                                  "17:00": "6/h", "20:00": "0/h"}}}},
            service,
        ],
    }


def test_a_group_that_only_receives_after_hours_forwards_is_warned_when_nobody_is_there() -> None:
    from huntsim.scenario.advice import open_hours_advice

    [warning] = open_hours_advice(huntsim.load_scenario(_service_office(None)))
    assert warning.startswith("hunt_groups[1] (pilot 400) has no open hours, so it takes "
                              "calls at any time, but none of its members is scheduled ")
    assert "its calls (those forwarded from 300 after hours included) then ring nobody: " \
           "they go to voicemail (about 10% of its calls)" in warning  # 2 of 20 a day
    # with open hours its members cover, or members there whenever 300 forwards: no warning
    assert open_hours_advice(huntsim.load_scenario(
        _service_office(["mon-fri 17:00-22:00"]))) == ()
    covered = _service_office(None)
    covered["agents"][1]["schedule"] = ["mon-fri 08:00-08:30", "mon-fri 17:00-22:00"]
    assert open_hours_advice(huntsim.load_scenario(covered)) == ()


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_one_group_forwarding_out_of_the_office_after_hours(keep: str) -> None:
    office = _office()
    office["hunt_groups"] = office["hunt_groups"][:1]
    office["hunt_groups"][0]["forward"] = {"when": ["after_hours"], "to": "0999",
                                           "outside": True}
    del office["agents"][1]
    result = huntsim.simulate(office, seed=1, keep=keep)  # type: ignore[arg-type]
    headline = run_text(result, result.summary()).splitlines()[0]
    assert headline.endswith("1 calls reported (and 2 after hours: 2 forwarded out of the "
                             "office)")
