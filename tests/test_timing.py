"""The engine's timing rules, tested where times coincide on purpose.

Rules (README, "Timing rules"): every time is a whole number of microseconds;
at one instant, members free up first, then rings end, then patience runs out,
then new calls arrive; an answer at the caller's deadline is taken, anything
else the caller would start at their deadline is not (the call is abandoned).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import check_invariants

import huntsim

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def ring_out_queue(callers: int, talk: str = "1000s") -> dict[str, Any]:
    """Issue 8, bug 1: each queued caller's ring on C ends exactly at their deadline.

    A and B are busy from t = 0 (a pilot call and a direct call); C rings out
    a direct call until 6 s, then rings each queued caller for 18 s, from
    5.5 s after they arrived to their deadline at 23.5 s.
    """
    return {
        "duration": "2h", "ring_cycle": "6s", "caller_patience": "23.5s",
        "agents": [
            {"number": "A", "talk_time": talk},
            {"number": "B", "talk_time": talk, "direct_calls": {"trace": [0]}},
            {"number": "C", "talk_time": "60s", "answer_probability": 0, "no_answer_rings": 1,
             "voicemail": True, "direct_calls": {"trace": [0]}},
        ],
        "hunt_groups": [{
            "pilot": "100", "members": ["A", "B", "C"], "voicemail": True,
            "when_all_busy": "queue",
            "arrivals": {"trace": [0] + [0.5 + 18 * k for k in range(callers)]},
        }],
    }


def test_queued_caller_leaves_at_patience_when_ring_ends_at_deadline() -> None:
    result = huntsim.simulate(ring_out_queue(1), seed=1)
    call = result.calls.set_index("arrival_s").loc[0.5]
    assert call["outcome"] == "abandoned"
    assert call["end_s"] == 24.0
    assert call["offers"] == 1
    offers = result.offers[result.offers["call_id"] == call["call_id"]]
    assert offers[["start_s", "end_s"]].values.tolist() == [[6.0, 24.0]]


def test_serving_a_long_queue_is_iterative() -> None:
    # 380 callers each ring C to their deadline while A and B talk for 7000 s;
    # before the fix they all waited for A to free and were then served one
    # stack frame each (RecursionError)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)  # far fewer frames than callers
    try:
        result = huntsim.simulate(ring_out_queue(380, talk="7000s"), seed=1)
    finally:
        sys.setrecursionlimit(limit)
    calls = result.calls
    gone = calls[calls["outcome"] == "abandoned"]
    assert len(gone) == 380
    assert np.array_equal(gone["end_s"] - gone["arrival_s"], np.full(380, 23.5))
    assert (gone["offers"] <= 1).all()


def test_simultaneous_rings_each_member_once() -> None:
    # A is busy with a direct call until 6 s; the pilot call at 1 s rings B alone
    scenario = {
        "duration": "1h", "ring_cycle": "6s",
        "agents": [{"number": "A", "talk_time": "60s", "answer_delay": "30s",
                    "no_answer_rings": 1, "voicemail": True, "direct_calls": {"trace": [0]}},
                   {"number": "B", "talk_time": "60s", "answer_probability": 0}],
        "hunt_groups": [{"pilot": "100", "policy": "simultaneous", "members": ["A", "B"],
                         "no_answer_rings": 3, "voicemail": True, "arrivals": {"trace": [1]}}],
    }
    result = huntsim.simulate(scenario, seed=1)
    call = result.calls[result.calls["kind"] == "pilot"].iloc[0]
    assert (call["outcome"], call["end_s"], call["offers"]) == ("voicemail", 19.0, 1)


def test_simultaneous_group_without_queue_rings_only_at_arrival() -> None:
    result = huntsim.simulate(SCENARIOS / "front_desk_simultaneous.yaml", seed=3)
    pilot = result.calls[result.calls["kind"] == "pilot"]
    offers = result.offers.merge(pilot[["call_id", "arrival_s"]], on="call_id")
    assert len(offers) > 0
    assert (offers["start_s"] == offers["arrival_s"]).all()


@pytest.mark.parametrize("ring_cycle", [0.1, 0.3, 0.7, 1.1, 2.9, 6.0, 6.3])
@pytest.mark.parametrize("rings", [1, 3, 7])
def test_pick_up_delay_equal_to_the_time_out_answers(ring_cycle: float, rings: int) -> None:
    timeout = round(ring_cycle * rings, 6)  # as a user would write it
    scenario = {
        "duration": "1h", "ring_cycle": ring_cycle,
        "agents": [{"number": "A", "talk_time": "60s", "answer_delay": timeout}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "no_answer_rings": rings,
                         "arrivals": {"trace": [0.5]}}],
    }
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert call["outcome"] == "answered"
    assert call["wait_s"] == timeout  # exactly: no 13.799999999999999


def test_times_are_whole_microseconds_in_every_table() -> None:
    scenario = {
        "duration": "1h", "ring_cycle": 0.7,
        "agents": [{"number": "A", "talk_time": 0.3, "answer_delay": 0.2, "wrap_up": 0.1}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "arrivals": {"trace": [0.1, 13.7]}}],
    }
    result = huntsim.simulate(scenario, seed=1)
    assert result.calls["wait_s"].tolist() == [0.2, 0.2]
    assert result.calls["answer_s"].tolist() == [0.3, 13.9]
    assert result.calls["end_s"].tolist() == [0.6, 14.2]
    assert result.offers["end_s"].tolist() == [0.3, 13.9]


def test_no_offer_after_the_caller_has_gone() -> None:
    # A never answers; the ring on A ends exactly at the caller's patience (18 s)
    scenario = {
        "duration": "1h", "ring_cycle": "6s", "caller_patience": "18s",
        "agents": [{"number": "A", "talk_time": "60s", "answer_probability": 0},
                   {"number": "B", "talk_time": "60s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A", "B"], "no_answer_rings": 3,
                         "voicemail": True, "arrivals": {"trace": [2]}}],
    }
    result = huntsim.simulate(scenario, seed=1)
    call = result.calls.iloc[0]
    assert (call["outcome"], call["end_s"], call["offers"]) == ("abandoned", 20.0, 1)
    assert result.offers["agent"].astype(str).tolist() == ["A"]


def test_an_answer_at_the_callers_deadline_is_taken() -> None:
    scenario = {
        "duration": "1h", "ring_cycle": "6s", "caller_patience": "10s",
        "agents": [{"number": "A", "talk_time": "60s", "answer_delay": "10s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "arrivals": {"trace": [2]}}],
    }
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert (call["outcome"], call["wait_s"]) == ("answered", 10.0)


def weighted(weights: list[float]) -> dict[str, Any]:
    return {
        "duration": "1000h",
        "agents": [{"number": "A", "talk_time": "1s"}, {"number": "B", "talk_time": "1s"}],
        "hunt_groups": [{"pilot": "100", "policy": "weighted", "weights": weights,
                         "members": ["A", "B"], "arrivals": {"rate": "10/h"}}],
    }


def test_only_the_ratios_of_weights_matter() -> None:
    reference = huntsim.simulate(weighted([1.0, 1.0]), seed=5).calls
    for scale in (1e-3, 1e-12, 1e3):
        calls = huntsim.simulate(weighted([scale, scale]), seed=5).calls
        assert calls["agent"].astype(str).tolist() == reference["agent"].astype(str).tolist()
    # equal small weights split calls evenly: within a 99.9 % binomial interval
    agents = huntsim.simulate(weighted([0.001, 0.001]), seed=5).calls["agent"].astype(str)
    share, n = float((agents == "A").mean()), len(agents)
    assert abs(share - 0.5) < 3.29 * np.sqrt(0.25 / n)


@pytest.mark.parametrize("last_call", ["pilot", "direct"])
def test_member_whose_call_ends_at_t_is_free_for_a_call_arriving_at_t(last_call: str) -> None:
    agent_a: dict[str, Any] = {"number": "A", "talk_time": "60s"}
    pilot_times = [60.0]
    if last_call == "direct":
        agent_a["direct_calls"] = {"trace": [0]}
    else:
        pilot_times = [0.0, 60.0]
    scenario = {
        "duration": "1h",
        "agents": [agent_a, {"number": "B", "talk_time": "60s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A", "B"],
                         "arrivals": {"trace": pilot_times}}],
    }
    calls = huntsim.simulate(scenario, seed=1).calls.set_index("arrival_s")
    at_60 = calls.loc[60.0]
    assert (at_60["agent"], at_60["wait_s"]) == ("A", 0.0)


def test_a_queue_is_served_by_a_member_who_frees_at_the_arrival_instant() -> None:
    # A frees at 60 s; the caller queued since 30 s takes A before the new caller at 60 s
    scenario = {
        "duration": "1h",
        "agents": [{"number": "A", "talk_time": "60s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "when_all_busy": "queue",
                         "arrivals": {"trace": [0, 30, 60]}}],
    }
    calls = huntsim.simulate(scenario, seed=1).calls
    assert calls["answer_s"].tolist() == [0.0, 60.0, 120.0]


def test_totals_wait_quantiles_beyond_an_hour() -> None:
    # an overloaded queue: waits of many hours; keep="totals" must not cap them
    scenario = {
        "duration": "24h",
        "agents": [{"number": "A", "talk_time": "5min"}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "when_all_busy": "queue",
                         "arrivals": {"rate": "15/h"}}],
    }
    records = huntsim.simulate(scenario, seed=1).summary().iloc[0]
    totals = huntsim.simulate(scenario, seed=1, keep="totals").summary().iloc[0]
    assert records["p90_wait_s"] > 3600
    for column in ("p50_wait_s", "p90_wait_s"):
        assert abs(records[column] - totals[column]) <= 0.1


# --------------------------------------------------------------------------
# Property test on a coarse grid: whole seconds everywhere, so that arrivals,
# ring ends, releases and deadlines coincide often.

@st.composite
def coarse_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    seconds = st.integers(0, 40)
    n_agents = draw(st.integers(1, 4))
    numbers = [f"{201 + i}" for i in range(n_agents)]
    trace = st.lists(st.integers(0, 300), max_size=25).map(sorted)
    agents = []
    for number in numbers:
        agent: dict[str, Any] = {
            "number": number,
            "answer_probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
            "answer_delay": draw(st.integers(0, 24)),
            "talk_time": draw(seconds),
            "wrap_up": draw(st.integers(0, 6)),
            "voicemail": draw(st.booleans()),
            "no_answer_rings": draw(st.integers(1, 3)),
        }
        if draw(st.booleans()):
            agent["direct_calls"] = {"trace": draw(trace)}
        agents.append(agent)
    policy = draw(st.sampled_from(["regular", "circular", "simultaneous", "uniform",
                                   "weighted"]))
    voicemail = draw(st.booleans())
    scenario: dict[str, Any] = {
        "duration": 400, "ring_cycle": draw(st.sampled_from([1, 2, 6])),
        "agents": agents,
        "hunt_groups": [{
            "pilot": "100", "policy": policy, "members": draw(st.permutations(numbers)),
            "no_answer_rings": draw(st.integers(1, 4)), "voicemail": voicemail,
            "when_all_busy": draw(st.sampled_from(
                ["busy", "queue"] + (["voicemail"] if voicemail else []))),
            "arrivals": {"trace": draw(trace)},
        }],
    }
    if draw(st.booleans()):
        scenario["caller_patience"] = draw(st.integers(0, 30))
    return scenario


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coarse_scenarios(), st.integers(0, 2**32 - 1))
def test_coinciding_times_keep_the_rules(data: dict[str, Any], seed: int) -> None:
    scenario = huntsim.load_scenario(data)
    result = huntsim.simulate(scenario, seed=seed)
    check_invariants(scenario, result)
    calls, offers = result.calls, result.offers
    patience = data.get("caller_patience")
    if patience is not None:
        # nobody stays past their patience: an answer comes in time, or the call
        # has ended by the deadline (abandoned exactly then)
        answered = calls["outcome"] == "answered"
        assert (calls.loc[answered, "wait_s"] <= patience).all()
        left = calls.loc[~answered]
        assert (left["end_s"] - left["arrival_s"] <= patience).all()
        gone = calls[calls["outcome"] == "abandoned"]
        assert (gone["end_s"] - gone["arrival_s"] == patience).all()
    # an offer of no length is a pick-up at once, never a ring to a caller who had gone
    instant = offers[offers["end_s"] == offers["start_s"]]
    assert set(instant["result"].astype(str)) <= {"answered", "answered_elsewhere"}
    # each member rings at most once per call
    assert not offers.duplicated(["call_id", "agent"]).any()
    # simultaneous without a queue: one round, at arrival
    group = data["hunt_groups"][0]
    if group["policy"] == "simultaneous" and group["when_all_busy"] != "queue":
        pilot = offers.merge(calls[calls["kind"] == "pilot"][["call_id", "arrival_s"]],
                             on="call_id")
        assert (pilot["start_s"] == pilot["arrival_s"]).all()
    # every time is a whole number of microseconds
    for column in (calls["arrival_s"], calls["end_s"], offers["start_s"], offers["end_s"]):
        assert np.array_equal(column, np.round(column, 6))


def test_uniform_idle_time_starts_after_wrap_up() -> None:
    # A talks 0-10 then wraps up until 60; B talks 5-15, no wrap-up: at 100 s B
    # has been idle longer (since 15 s) than A (since 60 s)
    scenario = {
        "duration": "1h",
        "agents": [{"number": "A", "talk_time": "10s", "wrap_up": "50s"},
                   {"number": "B", "talk_time": "10s"}],
        "hunt_groups": [{"pilot": "100", "policy": "uniform", "members": ["A", "B"],
                         "arrivals": {"trace": [0, 5, 100]}}],
    }
    calls = huntsim.simulate(scenario, seed=1).calls
    assert calls["agent"].astype(str).tolist() == ["A", "B", "B"]


def test_a_direct_call_that_rings_out_at_the_callers_patience_is_abandoned() -> None:
    scenario = {
        "duration": "1h", "ring_cycle": "6s", "caller_patience": "12s",
        "agents": [{"number": "A", "talk_time": "60s", "answer_probability": 0,
                    "no_answer_rings": 2, "voicemail": True, "direct_calls": {"trace": [0]}}],
        "hunt_groups": [],
    }
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert (call["outcome"], call["end_s"]) == ("abandoned", 12.0)


def test_a_caller_without_patience_who_finds_everyone_busy_is_abandoned() -> None:
    scenario = {
        "duration": "1h", "caller_patience": "0s",
        "agents": [{"number": "A", "talk_time": "600s", "voicemail": True,
                    "direct_calls": {"trace": [1]}}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "voicemail": True,
                         "arrivals": {"trace": [0, 2]}}],
    }
    calls = huntsim.simulate(scenario, seed=1).calls
    assert calls["outcome"].astype(str).tolist() == ["abandoned", "abandoned", "abandoned"]


def test_a_trace_time_that_rounds_to_the_end_of_the_run_is_left_out() -> None:
    scenario = {
        "duration": "10s",
        "agents": [{"number": "A", "talk_time": "1s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A"],
                         "arrivals": {"trace": [0, 9.9999994, 9.9999996]}}],
    }
    calls = huntsim.simulate(scenario, seed=1).calls
    assert calls["arrival_s"].tolist() == [0.0, 9.999999]


def test_totals_service_level_at_a_wait_just_over_the_threshold() -> None:
    scenario = {
        "duration": "1h", "ring_cycle": "30s",
        "agents": [{"number": "A", "talk_time": "60s", "answer_delay": "20.000001s"}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "arrivals": {"trace": [0]}}],
    }
    records = huntsim.simulate(scenario, seed=1).summary()
    totals = huntsim.simulate(scenario, seed=1, keep="totals").summary()
    assert records["service_level_20s"].tolist() == totals["service_level_20s"].tolist() == [0.0]


def test_tiny_weights_relative_to_others_run() -> None:
    from huntsim.sim.policies import WeightedHunt

    policy = WeightedHunt([1e-320, 1.0], np.random.default_rng(0))
    assert all(list(policy.order()) == [1, 0] for _ in range(1000))
    assert len(huntsim.simulate(weighted([1e-320, 1.0]), seed=5).calls) > 1000


def test_a_ring_shorter_than_the_time_resolution_is_refused() -> None:
    scenario = {"duration": "1h", "ring_cycle": 1e-7,
                "agents": [{"number": "A", "talk_time": "1s"}],
                "hunt_groups": [{"pilot": "100", "members": ["A"], "arrivals": {"trace": [0]}}]}
    with pytest.raises(huntsim.ScenarioError, match="ring_cycle"):
        huntsim.load_scenario(scenario)
