"""Who is there to be rung: schedules, opening hours, away, not-ready (issue 9).

Exact traces on tiny offices whose times sit on the window edges on purpose,
a check against Erlang B for the members present, and a property test that no
offer ever reaches a member outside their schedule.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import assert_in_interval
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scheduled_scenarios

import huntsim
from huntsim.analysis.theory import erlang_b

HOUR = 3600.0


def office(members: list[dict[str, Any]], trace: list[float], **group: Any) -> dict[str, Any]:
    """A Monday-08:00 office: a regular group of ``members`` and pilot calls at ``trace``."""
    return {
        "duration": "1w", "start": "mon 08:00", "ring_cycle": "6s",
        "agents": [{"talk_time": "60s", **m} for m in members],
        "hunt_groups": [{"pilot": "100", "members": [m["number"] for m in members],
                         "no_answer_rings": 3, "voicemail": True,
                         "arrivals": {"trace": trace}, **group}],
    }


def answered_by(result: huntsim.Result) -> list[str]:
    return [str(a) if isinstance(a, str) else "-" for a in result.calls["agent"]]


def test_a_member_outside_their_schedule_is_never_rung() -> None:
    # A works 09:00-10:00 (t = 3600 to 7200); calls on both edges and just inside
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"]}, {"number": "B"}],
                      [1800, 3600, 7199, 7200])
    result = huntsim.simulate(scenario, seed=1)
    assert answered_by(result) == ["B", "A", "A", "B"]
    rung = result.offers.merge(result.calls[["call_id", "arrival_s"]], on="call_id")
    assert rung.loc[rung["agent"] == "A", "arrival_s"].tolist() == [3600, 7199]


def test_a_call_in_progress_when_the_window_closes_finishes() -> None:
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"], "talk_time": "10min"}],
                      [7000])
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert (call["agent"], call["end_s"]) == ("A", 7600.0)


def test_logged_in_time_and_occupancy_use_the_schedule() -> None:
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"], "talk_time": "10min"}],
                      [7000])
    agents = huntsim.simulate(scenario, seed=1).agents.iloc[0]
    assert agents["logged_in_s"] == HOUR
    # busy while logged in: 7000 to 7200 (the rest of the call is after the log-out)
    assert agents["occupancy"] == 200 / HOUR


def test_after_hours_calls_ring_nobody_and_are_counted_apart() -> None:
    scenario = office([{"number": "A"}], [0, 3599, 32400, 100000],
                      open=["mon-fri 09:00-17:00"])
    result = huntsim.simulate(scenario, seed=1)
    calls = result.calls
    # 08:00 and 08:59:59 are before opening, 17:00 is closing, t = 100000 is Tue 11:46
    assert calls["after_hours"].tolist() == [True, True, True, False]
    assert calls.loc[calls["after_hours"], "outcome"].astype(str).tolist() == ["voicemail"] * 3
    assert (calls.loc[calls["after_hours"], "offers"] == 0).all()
    assert set(result.offers["call_id"]) == {3}
    summary = result.summary().loc["100"]
    assert (summary["offered"], summary["after_hours"], summary["answered_rate"]) == (1, 3, 1.0)


def test_after_hours_busy() -> None:
    scenario = office([{"number": "A"}], [0], open=["mon-fri 09:00-17:00"],
                      after_hours="busy")
    assert huntsim.simulate(scenario, seed=1).calls["outcome"].astype(str).tolist() == ["busy"]


def test_after_missed_takes_a_member_out_for_exactly_away() -> None:
    # A never answers: calls at 0 and 100 each ring A for 18 s, then B; after the
    # second miss (at 118 s) A is not ready until 718 s
    scenario = office([{"number": "A", "answer_probability": 0,
                        "after_missed": {"count": 2, "away": "10min"}},
                       {"number": "B", "talk_time": "1s"}],
                      [0, 100, 200, 717, 718])
    result = huntsim.simulate(scenario, seed=1)
    first_rung = result.offers.groupby("call_id")["agent"].first().astype(str).tolist()
    assert first_rung == ["A", "A", "B", "B", "A"]
    absences = result.absences
    assert absences[["reason", "start_s", "end_s"]].astype(str).values.tolist() == [
        ["not_ready", "118.0", "718.0"]]


def test_windows_past_midnight_and_across_the_weeks_end() -> None:
    # Sunday 21:00 at t = 0; A works Sunday 22:00 to Monday 06:00
    scenario = office([{"number": "A", "schedule": ["sun 22:00-06:00"]}, {"number": "B"}],
                      [3599, 3600, 32399, 32400])
    scenario["start"] = "sun 21:00"
    assert answered_by(huntsim.simulate(scenario, seed=1)) == ["B", "A", "A", "B"]


def test_direct_calls_outside_the_schedule_go_to_the_members_voicemail() -> None:
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"], "voicemail": True,
                        "direct_calls": {"trace": [0, 3600]}},
                       {"number": "C", "schedule": ["mon 09:00-10:00"],
                        "direct_calls": {"trace": [0]}}], [])
    calls = huntsim.simulate(scenario, seed=1).calls
    assert calls[["dialed", "outcome"]].astype(str).values.tolist() == [
        ["A", "voicemail"], ["C", "no_answer"], ["A", "answered"]]


@st.composite
def scheduled_offices(draw: st.DrawFn) -> dict[str, Any]:
    days = st.sampled_from(["mon", "tue", "sat", "sun", "mon-fri", "daily", "fri,sun"])
    clock = st.integers(0, 47).map(lambda k: f"{k // 2:02d}:{30 * (k % 2):02d}")
    window = st.tuples(days, clock, clock).filter(lambda w: w[1] != w[2]).map(
        lambda w: f"{w[0]} {w[1]}-{w[2]}")
    members = []
    for i in range(draw(st.integers(1, 4))):
        member: dict[str, Any] = {"number": f"{201 + i}",
                                  "answer_probability": draw(st.sampled_from([0.5, 1.0])),
                                  "talk_time": draw(st.sampled_from(["2min", "20min"]))}
        if draw(st.booleans()):
            member["schedule"] = draw(st.lists(window, min_size=1, max_size=3))
        if draw(st.booleans()):
            member["direct_calls"] = {"rate": "2/h"}
        members.append(member)
    return {
        "duration": "4d", "start": draw(st.sampled_from(["mon 00:00", "fri 17:30", "sun 23:00"])),
        "agents": members,
        "hunt_groups": [{"pilot": "100", "members": [m["number"] for m in members],
                         "policy": draw(st.sampled_from(["regular", "simultaneous", "uniform"])),
                         "when_all_busy": draw(st.sampled_from(["busy", "queue"])),
                         "arrivals": {"rate": "6/h"}}],
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheduled_offices(), st.integers(0, 2**16))
def test_no_offer_reaches_a_member_outside_their_schedule(data: dict[str, Any],
                                                          seed: int) -> None:
    scenario = huntsim.load_scenario(data)
    result = huntsim.simulate(scenario, seed=seed)
    schedules = {a.number: a.schedule for a in scenario.agents}
    for agent, start in zip(result.offers["agent"].astype(str), result.offers["start_s"],
                            strict=True):
        schedule = schedules[agent]
        assert schedule is None or schedule.is_open_at(scenario.start, start), (agent, start)


def test_blocking_follows_erlang_b_for_the_members_present() -> None:
    """Four members, two of them logged in only 00:00-12:00; 2 Erlang around the clock.

    In the morning four members are there and blocking is B(4, 2) = 0.095; in the
    afternoon two, B(2, 2) = 0.4. Calls within an hour of a change-over are left out.
    """
    numbers = ["A", "B", "C", "D"]
    scenario = {
        "duration": "6d",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "A"}, {"number": "B"},
                   {"number": "C", "schedule": ["daily 00:00-12:00"]},
                   {"number": "D", "schedule": ["daily 00:00-12:00"]}],
        "hunt_groups": [{"pilot": "100", "members": numbers, "voicemail": True,
                         "arrivals": {"rate": "40/h"}}],
    }
    morning, afternoon = [], []
    for seed in range(12):
        calls = huntsim.simulate(scenario, seed=seed).calls
        hour = (calls["arrival_s"] % 86400) / HOUR
        blocked = calls["outcome"] == "voicemail"
        morning.append(float(blocked[(hour >= 1) & (hour < 11)].mean()))
        afternoon.append(float(blocked[(hour >= 13) & (hour < 23)].mean()))
    assert_in_interval(morning, erlang_b(4, 2.0), "blocking with four members")
    assert_in_interval(afternoon, erlang_b(2, 2.0), "blocking with two members")
    assert np.mean(afternoon) > 3 * np.mean(morning)


def away_office(skipped: bool) -> dict[str, Any]:
    return office([{"number": "A", "away": {"rate": "2/h", "length": "20min",
                                             "skipped": skipped}},
                   {"number": "B"}], [], arrivals={"rate": "30/h"})


def offers_during_absences(result: huntsim.Result) -> Any:
    away = result.absences[result.absences["reason"] == "away"]
    offers = result.offers[result.offers["agent"] == "A"]
    inside = np.zeros(len(offers), dtype=bool)
    for start, end in zip(away["start_s"], away["end_s"], strict=True):
        inside |= (offers["start_s"] >= start).to_numpy() & (offers["start_s"] < end).to_numpy()
    return away, offers[inside]


def test_an_away_member_with_skipped_is_not_rung() -> None:
    result = huntsim.simulate(away_office(skipped=True), seed=4)
    away, rung = offers_during_absences(result)
    assert len(away) > 20 and len(rung) == 0
    assert np.allclose(away["end_s"] - away["start_s"], 1200, rtol=0, atol=1e-6)
    agents = result.agents.set_index("agent")
    assert np.isclose(agents.loc["A", "away_s"], (away["end_s"].clip(upper=604800)
                                                   - away["start_s"]).sum())


def test_an_away_member_without_skipped_rings_and_nobody_answers() -> None:
    result = huntsim.simulate(away_office(skipped=False), seed=4)
    away, rung = offers_during_absences(result)
    assert len(away) > 20 and len(rung) > 20
    assert "answered" not in set(rung["result"].astype(str))


def test_an_absence_ends_when_the_member_logs_out() -> None:
    scenario = away_office(skipped=True)
    scenario["agents"][0]["schedule"] = ["daily 08:00-12:00", "daily 13:00-17:00"]
    result = huntsim.simulate(scenario, seed=4)
    absences = result.absences[result.absences["agent"] == "A"].sort_values("start_s")
    assert (absences["reason"] == "away").sum() > 10
    # the rows of one member never overlap: away time is logged-in time
    assert (absences["start_s"].to_numpy()[1:] >= absences["end_s"].to_numpy()[:-1]).all()
    agent = result.agents.set_index("agent").loc["A"]
    assert agent["away_s"] < agent["logged_in_s"]


@pytest.mark.parametrize("skipped", [True, False])
def test_a_log_out_ends_the_absence_in_the_engine_too(skipped: bool) -> None:
    # A works 09:00-10:00 and 11:00-12:00 (t = 3600-7200, 10800-14400); a 3 h absence
    # starts in the first window and is cut at the log-out (7200), in the table and in
    # the engine: A is there again at the log-in and takes the call at 10800 at once
    # (kept away, A would be skipped, or rung for 18 s without answering, and B answer)
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00", "mon 11:00-12:00"],
                        "away": {"rate": "6/h", "length": "3h", "skipped": skipped}},
                       {"number": "B"}], [10800])
    result = huntsim.simulate(scenario, seed=1)
    away = result.absences[result.absences["reason"] == "away"]
    assert away[["agent", "end_s"]].astype(str).values.tolist()[0] == ["A", "7200.0"]
    assert (away["start_s"].to_numpy()[1:] > 10800).all()
    call = result.calls.iloc[0]
    assert (call["agent"], call["answer_s"]) == ("A", 10800.0)


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_a_call_past_the_schedules_end_counts_in_occupancy_only_while_logged_in(
        keep: str) -> None:
    # A works 09:00-10:00 (t = 3600-7200) and answers at 7000 a call of 20 h and 1 min
    # of wrap-up: busy 72060 s in the week, 200 s of it while logged in (counted
    # whole, occupancy would be 20.0)
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"], "talk_time": "20h",
                        "wrap_up": "1min"}], [7000])
    agents = huntsim.simulate(scenario, seed=1, keep=keep).agents.iloc[0]
    assert agents["busy_s"] == 72000 + 60
    assert agents["logged_in_s"] == HOUR
    assert agents["occupancy"] == 200 / HOUR


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheduled_scenarios(), st.integers(0, 2**16))
def test_occupancy_is_between_0_and_1_and_totals_agree(data: dict[str, Any],
                                                       seed: int) -> None:
    calls = huntsim.simulate(data, seed=seed).agents
    totals = huntsim.simulate(data, seed=seed, keep="totals").agents
    for agents in (calls, totals):
        occupancy = agents["occupancy"].dropna()
        assert ((occupancy >= -1e-9) & (occupancy <= 1 + 1e-9)).all(), agents
        assert (agents["occupancy"].isna() == (agents["logged_in_s"] == 0)).all()
    pd.testing.assert_frame_equal(calls, totals, check_dtype=False, check_exact=False,
                                  atol=1e-6)
    # and nobody picks up outside their schedule: a log-out ends the offer ringing them
    scenario = huntsim.load_scenario(data)
    schedules = {a.number: a.schedule for a in scenario.agents}
    offers = huntsim.simulate(scenario, seed=seed).offers
    answered = offers[offers["result"] == "answered"]
    for agent, end in zip(answered["agent"].astype(str), answered["end_s"], strict=True):
        schedule = schedules[agent]
        assert schedule is None or schedule.is_open_at(scenario.start, end), (agent, end)


@pytest.mark.parametrize(("policy", "b_delay", "offers"), [
    ("regular", "0s", [["A", "7190.0", "7200.0", "no_answer"],
                       ["B", "7200.0", "7200.0", "answered"]]),
    ("simultaneous", "15s", [["A", "7190.0", "7200.0", "no_answer"],
                             ["B", "7190.0", "7205.0", "answered"]]),
    ("staggered", "8s", [["A", "7190.0", "7200.0", "no_answer"],
                         ["B", "7196.0", "7204.0", "answered"]]),
])
def test_a_log_out_ends_the_offer_ringing_the_member(policy: str, b_delay: str,
                                                     offers: list[list[str]]) -> None:
    # A works 09:00-10:00 (t = 3600-7200) and would pick up after 12 s: the call at
    # 7190 rings A until the log-out at 7200 (no answer, as the absences table has A
    # gone), and B takes it. Only the 10 s of ringing before the log-out count in A's
    # occupancy.
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"],
                        "answer_delay": "12s"},
                       {"number": "B", "answer_delay": b_delay}], [7190], policy=policy)
    result = huntsim.simulate(scenario, seed=1)
    assert result.offers[["agent", "start_s", "end_s", "result"]].astype(str).values.tolist(
        ) == offers
    agent = result.agents.set_index("agent").loc["A"]
    assert (agent["occupancy"], agent["offers_missed"]) == (10 / HOUR, 1)


def test_a_log_out_sends_the_direct_call_ringing_the_member_to_voicemail() -> None:
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00"], "answer_delay": "12s",
                        "voicemail": True, "direct_calls": {"trace": [7190]}}], [])
    result = huntsim.simulate(scenario, seed=1)
    assert result.offers[["start_s", "end_s", "result"]].astype(str).values.tolist() == [
        ["7190.0", "7200.0", "no_answer"]]
    assert result.calls[["outcome", "end_s"]].astype(str).values.tolist() == [
        ["voicemail", "7200.0"]]
