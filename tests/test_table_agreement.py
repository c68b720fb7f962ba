"""Tables that count the same calls agree: each group's hours add up to its summary row.

A group's row of the summary counts every call that reached it (a call it
passed on as ``forwarded``, again where it ended; after hours when the group
was closed as the call reached it). The hour-by-hour tables of the same runs
must count the same calls the same way, and ``all pilot calls`` counts every
pilot call once: offered if it rang anyone, after hours if every group it
reached was closed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import huntsim
from huntsim.experiments.measure import RunTask, measure

SEEDS = (1, 2, 3)


def _two_groups(calendar: bool = True) -> dict[str, Any]:
    """Group 100 forwards to 200 after hours and when nobody answers; 200 keeps
    longer hours (07:00-18:00 against 08:00-17:00), so some calls forwarded
    after hours are answered there and others find it closed too."""
    agents = [{"number": n, "talk_time": "3min", "answer_probability": 0.7,
               "answer_delay": {"dist": "uniform", "low": "1s", "high": "15s"}}
              for n in ("a1", "a2")]
    agents.append({"number": "b1", "talk_time": "2min", "answer_delay": "3s"})
    first: dict[str, Any] = {
        "pilot": "100", "members": ["a1", "a2"], "no_answer_rings": 2, "voicemail": True,
        "forward": {"when": ["no_answer", *(["after_hours"] if calendar else [])],
                    "to": "200"},
        "redial": {"on": ["voicemail"], "probability": 0.3, "delay": "10min"},
    }
    second: dict[str, Any] = {"pilot": "200", "members": ["b1"], "voicemail": True,
                              "no_answer_rings": 3}
    if calendar:
        first["open"] = ["mon-fri 08:00-17:00"]
        first["arrivals"] = {"weekly": {"mon-fri": {"06:00": "6/h", "08:00": "12/h",
                                                     "17:00": "6/h", "20:00": "0/h"}}}
        second["open"] = ["mon-fri 07:00-18:00"]
        second["arrivals"] = {"weekly": {"mon-fri": {"07:00": "3/h", "18:00": "0/h"}}}
        length = {"start": "mon 00:00", "duration": "2d"}
    else:
        first["arrivals"] = {"rate": "8/h"}
        second["arrivals"] = {"rate": "3/h"}
        length = {"duration": "2d"}
    return {**length, "ring_cycle": "6s", "agents": agents, "hunt_groups": [first, second]}


def _hour_sums(hourly: pd.DataFrame, exposure_h: float | None = None) -> pd.DataFrame:
    """Per group: calls offered, answered and after hours, summed over the hours."""
    table = hourly.copy()
    if "offered" not in table:  # hour of the day: a rate over the hour's exposure
        table["offered"] = table["offered_per_hour"] * exposure_h
        table["after_hours"] = 0
    table["answered"] = table["answered_rate"].fillna(0) * table["offered"]
    sums = table.groupby("group")[["offered", "answered", "after_hours"]].sum()
    return sums.astype(float).round(6)


def _summary_counts(summary: pd.DataFrame) -> pd.DataFrame:
    counts = pd.DataFrame({"offered": summary["offered"].astype(float),
                           "answered": summary["answered_rate"].fillna(0) * summary["offered"],
                           "after_hours": summary["after_hours"].astype(float)})
    return counts.round(6)


@pytest.mark.parametrize("keep", ["calls", "totals"])
@pytest.mark.parametrize("seed", SEEDS)
def test_each_groups_week_hours_add_up_to_its_summary_row(keep: str, seed: int) -> None:
    scenario = huntsim.load_scenario(_two_groups())
    hourly = pd.DataFrame(measure(RunTask("run", scenario, seed)).hourly)
    summary = huntsim.simulate(scenario, seed=seed, keep=keep).summary()  # type: ignore[arg-type]
    sums = _hour_sums(hourly)
    expected = _summary_counts(summary).loc[["100", "200"]]
    pd.testing.assert_frame_equal(sums, expected, check_names=False)
    # the scenario reaches every case: calls forwarded after hours answered in 200,
    # after hours in both groups, calls 100 passed on in its opening hours
    assert summary.loc["100", "after_hours"] > 0 and summary.loc["200", "after_hours"] > 0
    assert summary.loc["100", "forwarded_rate"] > 0
    # every call 100 sent away (after hours too) reached 200: open (forwarded in there)
    # or closed (after hours there; 200's own calls all come in its open hours)
    assert summary.loc["100", "forwarded_away"] == (
        summary.loc["200", "forwarded_in"] + summary.loc["200", "after_hours"])


@pytest.mark.parametrize("keep", ["calls", "totals"])
@pytest.mark.parametrize("seed", SEEDS)
def test_each_groups_day_hours_add_up_to_its_summary_row(keep: str, seed: int) -> None:
    scenario = huntsim.load_scenario(_two_groups(calendar=False))
    hourly = pd.DataFrame(measure(RunTask("run", scenario, seed)).hourly)
    summary = huntsim.simulate(scenario, seed=seed, keep=keep).summary()  # type: ignore[arg-type]
    sums = _hour_sums(hourly, exposure_h=2.0)  # two days: each hour of the day seen twice
    expected = _summary_counts(summary).loc[["100", "200"]]
    pd.testing.assert_frame_equal(sums, expected, check_names=False)
    assert summary.loc["100", "forwarded_away"] > 0


@pytest.mark.parametrize("keep", ["calls", "totals"])
@pytest.mark.parametrize("seed", SEEDS)
def test_all_pilot_calls_counts_each_call_once_answered_after_an_after_hours_forward(
        keep: str, seed: int) -> None:
    scenario = huntsim.load_scenario(_two_groups())
    calls = huntsim.simulate(scenario, seed=seed).calls
    assert calls is not None
    pilot = calls[calls["kind"] == "pilot"]
    every = huntsim.simulate(scenario, seed=seed, keep=keep).summary()  # type: ignore[arg-type]
    row = every.loc["all pilot calls"]
    hops = pilot["closed_hops"].to_numpy(dtype=np.int64)
    rang_nobody = hops == (1 << (pilot["forwards"].to_numpy(dtype=np.int64) + 1)) - 1
    rescued = pilot["after_hours"].to_numpy(dtype=bool) & (pilot["outcome"] == "answered")
    assert rescued.sum() > 0  # forwarded after hours, answered in the open group
    assert row["offered"] + row["after_hours"] == len(pilot)
    assert row["after_hours"] == rang_nobody.sum()
    answered = int((pilot["outcome"] == "answered").sum())
    assert round(row["answered_rate"] * row["offered"]) == answered


def test_replications_hours_and_table_agree_for_every_group() -> None:
    scenario = _two_groups()
    run = huntsim.replicate(scenario, replications=2, seed=5, jobs=1)
    hours = run.hourly.pivot_table(index=["group", "weekday", "hour"], columns="metric",
                                   values="mean").reset_index()
    sums = hours.groupby("group")[["offered", "after_hours"]].sum()
    table = run.table.pivot_table(index="group", columns="metric", values="mean")
    for group in ("100", "200"):
        assert sums.loc[group, "offered"] == pytest.approx(table.loc[group, "offered"])
        assert sums.loc[group, "after_hours"] == pytest.approx(table.loc[group, "after_hours"])


@st.composite
def _forwarding_offices(draw: st.DrawFn) -> dict[str, Any]:
    """Two groups on a coarse grid (opening hours on the half hour, calls on the
    minute); the first forwards to the second or out of the office, the second
    out of the office, after hours too."""
    hours = draw(st.integers(1, 4))
    clock = st.integers(14, 14 + 2 * hours).map(lambda k: f"{k // 2:02d}:{30 * (k % 2):02d}")
    window = st.tuples(clock, clock).filter(lambda w: w[0] < w[1]).map(
        lambda w: f"mon {w[0]}-{w[1]}")
    minute = st.integers(0, 60 * hours - 1).map(lambda k: 60.0 * k)
    agents = [{"number": n, "talk_time": draw(st.sampled_from(["1min", "20min"])),
               "answer_probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
               "answer_delay": draw(st.sampled_from([0, 6, 20]))} for n in ("a", "b", "c")]
    groups: list[dict[str, Any]] = []
    for g, members in enumerate((["a", "b"], ["c"])):
        group: dict[str, Any] = {
            "pilot": f"{100 * (g + 1)}", "members": members, "voicemail": True,
            "no_answer_rings": draw(st.integers(1, 3)),
            "policy": draw(st.sampled_from(["regular", "circular", "simultaneous"])),
            "arrivals": {"trace": sorted(draw(st.lists(minute, max_size=12)))},
        }
        if draw(st.booleans()):
            group["open"] = draw(st.lists(window, min_size=1, max_size=2))
        cases = draw(st.lists(st.sampled_from(["no_answer", "all_busy", "after_hours"]),
                              unique=True, max_size=3))
        if "open" not in group:
            cases = [c for c in cases if c != "after_hours"]
        if cases:
            # 100 forwards to 200 or out of the office, 200 only out (no loops)
            target = draw(st.sampled_from(["200", "+1 800 555"])) if g == 0 else "+1 800 555"
            group["forward"] = {"when": cases, "to": target}
        groups.append(group)
    if draw(st.booleans()):
        groups[0]["redial"] = {"on": ["busy", "voicemail"], "probability": 0.5,
                               "delay": "5min"}
    return {"duration": hours * 3600, "warmup": draw(st.sampled_from([0, 1800])),
            "start": "mon 07:00", "ring_cycle": 6, "agents": agents, "hunt_groups": groups}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_forwarding_offices(), st.integers(0, 2**32 - 1))
def test_hours_and_summary_agree_on_random_forwarding_offices(data: dict[str, Any],
                                                              seed: int) -> None:
    scenario = huntsim.load_scenario(data)
    hourly = pd.DataFrame(measure(RunTask("run", scenario, seed)).hourly)
    calls = huntsim.simulate(scenario, seed=seed).calls
    assert calls is not None
    pilot = calls[calls["kind"] == "pilot"]
    for keep in ("calls", "totals"):
        summary = huntsim.simulate(scenario, seed=seed, keep=keep).summary()  # type: ignore[arg-type]
        expected = _summary_counts(summary).loc[["100", "200"]]
        if len(hourly):
            sums = _hour_sums(hourly).reindex(expected.index, fill_value=0.0)
        else:
            sums = expected * 0.0
        pd.testing.assert_frame_equal(sums, expected, check_names=False)
        every = summary.loc["all pilot calls"]
        assert every["offered"] + every["after_hours"] == len(pilot)
        answered = int((pilot["outcome"] == "answered").sum())
        assert round(np.nan_to_num(every["answered_rate"]) * every["offered"]) == answered


@pytest.mark.parametrize("calendar", [True, False])
def test_served_calls_by_hour_add_up_to_the_summarys(calendar: bool) -> None:
    """hourly.csv has served_rate (answered or called back) as the summary does, and
    the hours' served calls add up to the group's row (issue 22 trial, finding 15)."""
    agents = [{"number": n, "talk_time": "6min"} for n in ("a1", "a2")]
    group: dict[str, Any] = {
        "pilot": "100", "members": ["a1", "a2"], "when_all_busy": "queue",
        "callback": {"offer_after": "30s", "accept": 0.6, "reached": 0.8},
        "arrivals": {"weekly": {"mon-fri": {"08:00": "25/h", "12:00": "0/h"}}} if calendar
        else {"rate": "25/h"}}
    if calendar:
        group["open"] = ["mon-fri 08:00-12:00"]
    scenario = huntsim.load_scenario({"start": "mon 08:00", "duration": "4h", "agents": agents,
                                      "hunt_groups": [group]} if calendar else
                                     {"duration": "4h", "agents": agents,
                                      "hunt_groups": [group]})
    hourly = pd.DataFrame(measure(RunTask("run", scenario, 7)).hourly)
    assert "served_rate" in hourly
    assert np.allclose(hourly["served_rate"], hourly["answered_rate"]
                       + hourly["called_back_rate"], equal_nan=True)
    summary = huntsim.simulate(scenario, seed=7).summary()
    row = summary.loc["100"]
    assert row["called_back_rate"] > 0  # the office calls callers back
    offered = hourly["offered"] if "offered" in hourly else hourly["offered_per_hour"]
    served = (hourly["served_rate"].fillna(0) * offered).sum()
    assert served == pytest.approx(row["served_rate"] * row["offered"])
