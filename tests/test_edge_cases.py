"""Edge cases with defined results."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import office

from huntsim import compare, simulate


def test_no_traffic_gives_empty_tables_and_a_zero_row():
    result = simulate(office(trace=[]), seed=1)
    assert len(result.calls) == 0 and len(result.offers) == 0
    summary = result.summary()
    assert summary.loc["PILOT", "offered"] == 0
    assert math.isnan(summary.loc["PILOT", "answered_rate"])
    assert (result.agents[["group_answered", "talk_s", "occupancy"]] == 0).all().all()
    assert "nothing to compare" in compare(office(trace=[]), ["regular", "circular"],
                                           replications=2, jobs=1).headline()


def test_one_member():
    result = simulate(office(members=1, trace=[0, 50, 200], talk=100), seed=1)
    assert result.calls["outcome"].tolist() == ["answered", "voicemail", "answered"]


@pytest.mark.parametrize("policy", ["regular", "circular", "simultaneous", "uniform",
                                    "weighted"])
def test_nobody_ever_answers(policy):
    result = simulate(office(members=3, trace=[0, 100, 200], policy=policy,
                             answer_probability=0), seed=1)
    assert (result.calls["outcome"] == "voicemail").all()
    assert (result.calls["offers"] == 3).all()
    assert (result.offers["result"] == "no_answer").all()
    assert result.summary().loc["PILOT", "answered_rate"] == 0


def test_every_member_always_busy_with_direct_calls():
    # each member's own callers keep them busy from t = 0 for hours
    busy = {"direct_calls": {"trace": [0]}, "talk_time": "10h"}
    scenario = office(members=2, trace=[60, 120], when_all_busy="busy",
                      agents={"A": busy, "B": busy})
    result = simulate(scenario, seed=1)
    pilot = result.calls[result.calls["kind"] == "pilot"]
    assert (pilot["outcome"] == "busy").all() and (pilot["offers"] == 0).all()
    assert result.agents["occupancy"].max() <= 1.0


def test_zero_length_talk_frees_the_member_at_once():
    result = simulate(office(members=1, trace=[0, 0, 5], talk=0), seed=1)
    assert result.calls["outcome"].tolist() == ["answered"] * 3
    assert (result.calls["end_s"] == result.calls["answer_s"]).all()


def test_very_long_ring_time_out():
    scenario = office(members=2, rings=100, ring_cycle="1h", answer_probability=0)
    result = simulate(scenario, seed=1)
    assert result.calls["end_s"].tolist() == [2 * 100 * 3600.0]


def test_a_run_shorter_than_one_call():
    result = simulate(office(members=1, trace=[0], talk="2h", duration=1), seed=1)
    call = result.calls.iloc[0]
    assert (call["outcome"], call["end_s"]) == ("answered", 7200.0)  # the call still ends
    agent = result.agents.iloc[0]
    assert agent["talk_s"] == 1.0 and agent["occupancy"] == 1.0  # time inside the run only


def test_zero_probability_members_in_a_queue_go_to_voicemail():
    scenario = office(members=2, trace=[0, 1], when_all_busy="queue", answer_probability=0)
    result = simulate(scenario, seed=1)
    assert (result.calls["outcome"] == "voicemail").all()
    assert pd.Series(result.offers.groupby("call_id").size()).tolist() == [2, 2]


STRANDED = {
    "duration": "2h", "warmup": "30min", "start": "mon 08:00",
    "agents": [{"number": "101", "answer_probability": 0.0, "talk_time": "1min"},
               {"number": "102", "talk_time": "1min", "schedule": ["sun 23:10-23:50"]}],
    "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "voicemail": True,
                     "when_all_busy": "queue", "arrivals": {"trace": [600, 3600]}}],
}


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_a_caller_nobody_can_ever_answer_hangs_up_at_the_end_and_is_counted(keep):
    # 101 never answers and 102 is never logged in: both callers wait in the queue
    # with no patience; the one arriving after the warm-up is counted, the other not
    result = simulate(STRANDED, seed=1, keep=keep)
    summary = result.summary().loc["100"]
    assert summary["offered"] == 1 and summary["abandoned_rate"] == 1.0
    assert result.agents.set_index("agent").loc["101", "offers"] == 1
    if keep == "calls":
        call = result.calls.iloc[0]
        assert (call["arrival_s"], call["outcome"], call["end_s"]) == (3600.0, "abandoned", 7200.0)
        assert len(result.offers) == 1  # the warm-up call's offer is not reported


def test_the_agent_table_repeats_an_agent_listed_twice():
    from huntsim.analysis.metrics import agent_table

    result = simulate(office(members=2, trace=[0.0, 1.0, 2.0]), seed=1)
    table = agent_table(result.calls, result.offers, ["A", "A", "B"], (0.0, result.window_s))
    assert list(table["agent"]) == ["A", "A", "B"]
    assert table.iloc[0].equals(table.iloc[1]) and table["group_answered"].iloc[0] > 0


def test_a_stranded_caller_hangs_up_at_the_end_even_when_other_events_run_on():
    # group B's member is not ready for 10 h after missing a ring at 3500 s: the run's
    # events go on until then, but A's caller, stranded since 600 s, hangs up at the end
    scenario = {
        "duration": 3600, "start": "mon 00:00",
        "agents": [{"number": "550", "talk_time": 60, "schedule": ["mon 00:00-00:10"]},
                   {"number": "551", "talk_time": 60, "answer_probability": 0.0,
                    "after_missed": {"count": 1, "away": "10h"}}],
        "hunt_groups": [{"pilot": "A", "members": ["550"], "when_all_busy": "queue",
                         "arrivals": {"trace": [700]}},
                        {"pilot": "B", "members": ["551"], "arrivals": {"trace": [3500]}}]}
    calls = simulate(scenario, seed=1).calls
    a, b = (calls[calls["group"] == pilot].iloc[0] for pilot in ("A", "B"))
    assert (a["outcome"], a["end_s"]) == ("abandoned", 3600.0)
    assert b["outcome"] == "no_answer"
