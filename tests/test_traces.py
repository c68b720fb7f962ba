"""Exact traces of tiny deterministic offices: who rings, when, and what happens.

Every time here follows from the scenario by hand: listed arrival times,
constant talk times, members who always or never answer.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from helpers import office
from scipy import stats

from huntsim import simulate


def offers_of(result, call_id: int) -> list[tuple[str, float, float, str]]:
    rows = result.offers[result.offers["call_id"] == call_id]
    return [
        (str(r.agent), float(r.start_s), float(r.end_s), str(r.result))
        for r in rows.itertuples()
    ]


def answerers(result) -> list[str | None]:
    return [None if pd.isna(a) else str(a) for a in result.calls["agent"]]


def test_regular_always_starts_at_the_top():
    result = simulate(office(trace=[0, 200, 400]), seed=0)
    assert answerers(result) == ["A", "A", "A"]


def test_busy_members_are_skipped_without_ringing():
    result = simulate(office(trace=[0, 10, 20]), seed=0)
    assert answerers(result) == ["A", "B", "C"]
    assert result.calls["offers"].tolist() == [1, 1, 1]
    assert offers_of(result, 1) == [("B", 10.0, 10.0, "answered")]


def test_time_out_is_rings_times_ring_length():
    scenario = office(rings=3, ring_cycle=5, agents={"A": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    assert offers_of(result, 0) == [("A", 0.0, 15.0, "no_answer"), ("B", 15.0, 15.0, "answered")]
    assert result.calls["wait_s"].tolist() == [15.0]


@pytest.mark.parametrize(("delay", "answered_by"), [(12.0, "A"), (12.5, "B")])
def test_answer_delay_past_the_time_out_is_no_answer(delay, answered_by):
    scenario = office(rings=2, ring_cycle=6, agents={"A": {"answer_delay": delay}})
    result = simulate(scenario, seed=0)
    assert answerers(result) == [answered_by]
    assert result.calls["answer_s"].tolist() == [12.0]


@pytest.mark.parametrize(("voicemail", "outcome"), [(True, "voicemail"), (False, "no_answer")])
def test_nobody_answers_goes_to_pilot_voicemail_else_no_answer(voicemail, outcome):
    scenario = office(answer_probability=0, voicemail=voicemail)
    result = simulate(scenario, seed=0)
    call = result.calls.iloc[0]
    assert call["outcome"] == outcome
    assert call["end_s"] == 3 * 12.0
    assert call["offers"] == 3
    assert pd.isna(call["agent"]) and math.isnan(call["wait_s"])


@pytest.mark.parametrize(
    ("treatment", "outcome"), [("voicemail", "voicemail"), ("busy", "busy")]
)
def test_all_busy_on_arrival(treatment, outcome):
    result = simulate(office(members=1, trace=[0, 10], when_all_busy=treatment), seed=0)
    assert result.calls["outcome"].tolist() == ["answered", outcome]
    assert result.calls["offers"].tolist() == [1, 0]
    assert result.calls["end_s"].tolist()[1] == 10.0


def test_circular_continues_after_the_last_answer_and_wraps():
    result = simulate(office(policy="circular", trace=[0, 200, 400, 600], talk=10), seed=0)
    assert answerers(result) == ["A", "B", "C", "A"]


def test_circular_skips_a_member_who_misses_and_moves_on():
    scenario = office(policy="circular", trace=[0, 200, 400, 600], talk=10,
                      agents={"B": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    assert answerers(result) == ["A", "C", "A", "C"]
    assert offers_of(result, 1) == [("B", 200.0, 212.0, "no_answer"),
                                     ("C", 212.0, 212.0, "answered")]


@pytest.mark.parametrize(
    ("anchor", "offers_of_last_call", "wait"), [("answered", 3, 24.0), ("offered", 1, 0.0)]
)
def test_circular_anchor_answered_versus_offered(anchor, offers_of_last_call, wait):
    # A takes a long call; the next call rings B and C (who never answer) and
    # A is busy: voicemail. The last call then starts after A (anchor
    # "answered") and rings B, C, then A; or after C (anchor "offered") at A.
    scenario = office(policy="circular", trace=[0, 100, 2000], talk=1000,
                      circular_anchor=anchor,
                      agents={"B": {"answer_probability": 0}, "C": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    assert result.calls["outcome"].tolist() == ["answered", "voicemail", "answered"]
    last = result.calls.iloc[2]
    assert (last["agent"], last["offers"], last["wait_s"]) == ("A", offers_of_last_call, wait)


def test_simultaneous_rings_all_and_the_first_pick_up_wins():
    scenario = office(policy="simultaneous", agents={
        "A": {"answer_delay": 5}, "B": {"answer_delay": 3}, "C": {"answer_delay": 8}})
    result = simulate(scenario, seed=0)
    assert answerers(result) == ["B"]
    assert sorted(offers_of(result, 0)) == [
        ("A", 0.0, 3.0, "answered_elsewhere"),
        ("B", 0.0, 3.0, "answered"),
        ("C", 0.0, 3.0, "answered_elsewhere"),
    ]
    assert result.calls["offers"].tolist() == [3]


def test_simultaneous_rings_only_idle_members_and_times_out_together():
    scenario = office(policy="simultaneous", trace=[0, 5], answer_probability=0,
                      agents={"A": {"answer_probability": 1, "answer_delay": 1}})
    result = simulate(scenario, seed=0)
    # call 0: A picks up at 1 s; call 1 at 5 s rings B and C, neither answers
    assert answerers(result) == ["A", None]
    assert sorted(offers_of(result, 1)) == [("B", 5.0, 17.0, "no_answer"),
                                             ("C", 5.0, 17.0, "no_answer")]
    assert result.calls["outcome"].tolist() == ["answered", "voicemail"]


def test_uniform_takes_the_longest_idle_never_called_first():
    result = simulate(office(policy="uniform", trace=[0, 100, 200, 300], talk=10), seed=0)
    assert answerers(result) == ["A", "B", "C", "A"]


@pytest.mark.parametrize(("counts", "last"), [(False, "A"), (True, "B")])
def test_uniform_ignores_direct_calls_unless_asked(counts, last):
    # A direct call to A ends at 260 s. Under the product's rule it does not
    # count, so A (idle since 10 s) is still the longest idle at 300 s.
    scenario = office(policy="uniform", trace=[0, 100, 200, 300], talk=10,
                      idle_counts_direct_calls=counts, duration=301,
                      agents={"A": {"direct_calls": {"trace": [250]}}})
    result = simulate(scenario, seed=0)
    pilot = result.calls[result.calls["kind"] == "pilot"]
    assert [str(a) for a in pilot["agent"]] == ["A", "B", "C", last]


def test_a_direct_call_makes_its_member_busy_for_the_group():
    scenario = office(trace=[10], agents={"A": {"direct_calls": {"trace": [0]}}})
    result = simulate(scenario, seed=0)
    pilot = result.calls[result.calls["kind"] == "pilot"].iloc[0]
    assert (pilot["agent"], pilot["offers"]) == ("B", 1)


@pytest.mark.parametrize(("own_voicemail", "outcome"), [(True, "voicemail"), (False, "busy")])
def test_direct_calls_to_a_busy_member_never_hunt(own_voicemail, outcome):
    scenario = office(trace=[0], duration=20, agents={
        "A": {"direct_calls": {"trace": [10]}, "voicemail": own_voicemail}})
    result = simulate(scenario, seed=0)
    direct = result.calls[result.calls["kind"] == "direct"].iloc[0]
    assert (direct["outcome"], direct["offers"], direct["dialed"]) == (outcome, 0, "A")
    assert len(result.offers[result.offers["call_id"] == direct["call_id"]]) == 0


@pytest.mark.parametrize(("own_voicemail", "outcome"), [(True, "voicemail"), (False, "no_answer")])
def test_unanswered_direct_calls_ring_only_their_member(own_voicemail, outcome):
    scenario = office(trace=[], agents={"A": {
        "direct_calls": {"trace": [0]}, "voicemail": own_voicemail,
        "answer_probability": 0, "no_answer_rings": 5}}, duration=10)
    result = simulate(scenario, seed=0)
    call = result.calls.iloc[0]
    assert (call["kind"], call["outcome"], pd.isna(call["group"])) == ("direct", outcome, True)
    assert offers_of(result, 0) == [("A", 0.0, 30.0, "no_answer")]


def test_wrap_up_keeps_the_member_unavailable():
    scenario = office(trace=[0, 15, 35], talk=10, agents={"A": {"wrap_up": 20}})
    result = simulate(scenario, seed=0)
    assert answerers(result) == ["A", "B", "A"]
    assert result.calls["end_s"].tolist()[0] == 10.0


def test_queue_waits_for_the_next_member_who_frees_up():
    scenario = office(members=1, trace=[0, 10], when_all_busy="queue")
    result = simulate(scenario, seed=0)
    second = result.calls.iloc[1]
    assert (second["outcome"], second["agent"], second["answer_s"], second["wait_s"]) == (
        "answered", "A", 100.0, 90.0)


def test_queue_is_first_come_first_served():
    scenario = office(members=1, trace=[0, 10, 20], talk=100, when_all_busy="queue")
    result = simulate(scenario, seed=0)
    assert result.calls["answer_s"].tolist() == [0.0, 100.0, 200.0]


def test_queued_caller_hangs_up_when_patience_runs_out():
    scenario = office(members=1, trace=[0, 10], when_all_busy="queue")
    scenario["caller_patience"] = 50
    result = simulate(scenario, seed=0)
    second = result.calls.iloc[1]
    assert (second["outcome"], second["end_s"], second["offers"]) == ("abandoned", 60.0, 0)


def test_caller_hangs_up_while_ringing():
    scenario = office(members=1, answer_delay=8)
    scenario["caller_patience"] = 5
    result = simulate(scenario, seed=0)
    assert result.calls["outcome"].tolist() == ["abandoned"]
    assert offers_of(result, 0) == [("A", 0.0, 5.0, "caller_hung_up")]


def test_queued_call_is_not_offered_twice_to_a_member_who_let_it_ring():
    # A never answers. Call 0 rings A, then B takes it until 112 s. Call 1 at
    # 13 s rings A (free again) for 12 s, then waits in the queue; A frees up
    # at 25 s but has had the call, so the caller waits on for B.
    scenario = office(members=2, trace=[0, 13], talk=100, when_all_busy="queue",
                      agents={"A": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    second = result.calls.iloc[1]
    assert offers_of(result, 1) == [("A", 13.0, 25.0, "no_answer"),
                                     ("B", 112.0, 112.0, "answered")]
    assert (second["agent"], second["wait_s"], second["offers"]) == ("B", 99.0, 2)


def test_warmup_calls_are_simulated_but_not_reported():
    # Call 0 (warm-up) keeps A talking until 200 s: call 50 (warm-up) and call
    # 150 find A busy; call 250 finds A free. Were warm-up calls skipped rather
    # than simulated, call 150 would be answered and call 250 would find A busy.
    scenario = office(members=1, trace=[0, 50, 150, 250], talk=200, when_all_busy="busy")
    scenario["warmup"] = 100
    result = simulate(scenario, seed=0)
    assert result.calls["arrival_s"].tolist() == [150.0, 250.0]
    assert result.calls["outcome"].tolist() == ["busy", "answered"]
    # counts are of reported calls; times are the parts inside [100, 251):
    # 100 s of the warm-up call's talk, 1 s of call 250's
    a = result.agents.set_index("agent").loc["A"]
    assert (a["group_answered"], a["offers"]) == (1, 1)
    assert a["talk_s"] == pytest.approx(101.0)


def test_weighted_policy_rings_members_in_a_weighted_random_order():
    # Nobody answers, so every call rings all three members in the policy's
    # order. The first is drawn with probability proportional to the weights,
    # the second the same way among the other two: P(order i, j, k) =
    # w_i / W * w_j / (W - w_i). The seed is fixed, so this either always passes
    # or always fails; a correct policy fails it with probability 1 in 1000.
    weights = {"A": 6.0, "B": 3.0, "C": 1.0}
    calls = 600
    scenario = office(policy="weighted", weights=list(weights.values()), answer_probability=0,
                      trace=[i * 100.0 for i in range(calls)])
    result = simulate(scenario, seed=0)
    assert result.calls["offers"].tolist() == [3] * calls
    orders = result.offers.sort_values(["call_id", "start_s"]).groupby("call_id")["agent"].agg(
        lambda agents: "".join(agents.astype(str)))
    total = sum(weights.values())
    expected = {
        "".join(order): weights[order[0]] / total * weights[order[1]] / (total - weights[order[0]])
        for order in itertools.permutations("ABC")
    }
    assert set(orders) <= set(expected)
    observed = orders.value_counts().reindex(list(expected), fill_value=0)
    test = stats.chisquare(observed.to_numpy(), calls * np.array(list(expected.values())))
    assert test.pvalue > 1e-3, (observed.to_dict(), expected)
