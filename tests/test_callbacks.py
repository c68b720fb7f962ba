"""Call backs (``hunt_groups[].callback``): exact traces, conservation, validation.

The traces use one member who always answers at once and talks 100 s; the ring
time-out is 2 rings of 6 s (12 s). Where a draw decides (accept or reached
below 1), the seed is searched for the case, and then every time is exact.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from helpers import office

from huntsim import load_scenario, simulate
from huntsim.analysis.catalog import OUTCOMES, outcome_label
from huntsim.errors import ScenarioError

COLUMNS = ["outcome", "agent", "answer_s", "end_s", "callback_s"]


def callback_office(trace: list[float], accept: float = 1, reached: float = 1,
                    offer_after: float = 30, **extra: Any) -> dict[str, Any]:
    return office(members=1, trace=trace, talk=100, when_all_busy="queue",
                  callback={"offer_after": offer_after, "accept": accept,
                            "reached": reached}, **extra)


def rows(result) -> list[tuple[Any, ...]]:
    out = []
    for r in result.calls.reindex(columns=COLUMNS).itertuples(index=False):
        out.append(tuple(None if isinstance(v, float) and math.isnan(v) else
                         (str(v) if not isinstance(v, float) else v) for v in r))
    return out


def test_caller_who_accepts_leaves_the_line_and_is_called_back_in_their_place():
    # 10 s waits; offered at 40 s, accepts; A frees at 100 s and calls back at once
    # (talk 100 s: until 200 s); 20 s accepts at 50 s and is called back at 200 s
    result = simulate(callback_office([0, 10, 20]), seed=0)
    assert rows(result) == [
        ("answered", "A", 0.0, 100.0, None),
        ("called_back", "A", 100.0, 200.0, 90.0),
        ("called_back", "A", 200.0, 300.0, 180.0),
    ]
    # the call back rings nobody: no offer
    assert result.calls["offers"].tolist() == [1, 0, 0]


def test_caller_who_took_a_call_back_no_longer_hangs_up():
    scenario = callback_office([0, 10])
    scenario["caller_patience"] = 50  # would hang up at 60 s; accepted at 40 s
    result = simulate(scenario, seed=0)
    assert rows(result)[1] == ("called_back", "A", 100.0, 200.0, 90.0)
    # offered after the patience ran out: too late, the caller hung up at 60 s
    scenario = callback_office([0, 10], offer_after=55)
    scenario["caller_patience"] = 50
    result = simulate(scenario, seed=0)
    assert rows(result)[1] == ("abandoned", None, None, 60.0, None)


def test_max_wait_no_longer_applies_after_accepting():
    result = simulate(callback_office([0, 10], max_wait=60), seed=0)
    assert rows(result)[1] == ("called_back", "A", 100.0, 200.0, 90.0)


def _seed_where(scenario: dict[str, Any], wanted: list[str]) -> Any:
    for seed in range(200):
        result = simulate(scenario, seed=seed)
        if result.calls["outcome"].astype(str).tolist() == wanted:
            return result
    raise AssertionError(f"no seed gives {wanted}")


def test_not_reached_the_member_is_busy_for_one_ring_time_out():
    # A calls 10 s back at 100 s, not reached: A busy until 112 s, then calls 20 s back
    result = _seed_where(callback_office([0, 10, 20], reached=0.5),
                         ["answered", "callback_missed", "called_back"])
    assert rows(result) == [
        ("answered", "A", 0.0, 100.0, None),
        ("callback_missed", None, None, 100.0, 90.0),
        ("called_back", "A", 112.0, 212.0, 92.0),
    ]


def test_a_caller_behind_one_called_back_is_served_in_order():
    # 10 s accepts, 20 s declines and waits on the line: 10 s first, then 20 s
    result = _seed_where(callback_office([0, 10, 20], accept=0.5),
                         ["answered", "called_back", "answered"])
    assert rows(result) == [
        ("answered", "A", 0.0, 100.0, None),
        ("called_back", "A", 100.0, 200.0, 90.0),
        ("answered", "A", 200.0, 300.0, None),
    ]
    # 10 s declines and is served first; 20 s, who accepted, after
    result = _seed_where(callback_office([0, 10, 20], accept=0.5),
                         ["answered", "answered", "called_back"])
    assert rows(result)[1:] == [("answered", "A", 100.0, 200.0, None),
                                ("called_back", "A", 200.0, 300.0, 180.0)]


def test_a_free_member_who_was_offered_the_call_calls_back_at_once():
    # B never answers: 10 s rings B (10-22 s) and waits; offered at 40 s, accepts,
    # and B, free, calls back at once (and is reached, so talks)
    scenario = office(members=2, trace=[0, 10], talk=100, when_all_busy="queue",
                      agents={"B": {"answer_probability": 0}},
                      callback={"offer_after": 30, "accept": 1, "reached": 1})
    result = simulate(scenario, seed=0)
    assert rows(result)[1] == ("called_back", "B", 40.0, 140.0, 30.0)


def test_callers_still_waiting_for_a_call_back_at_the_end_missed_it():
    # A logs out for good at 60 s: 10 s accepted at 40 s is never called back
    scenario = callback_office([0, 10], duration=70)
    scenario["agents"][0]["schedule"] = ["mon 00:00-00:01"]
    result = simulate(scenario, seed=0)
    outcome, agent, _, _, callback = rows(result)[1]
    assert (outcome, agent, callback) == ("callback_missed", None, None)


def test_a_caller_ringing_at_offer_after_is_not_offered_a_call_back():
    # B talks 0-100 s; 1 s rings A (who never answers) from 1 to 13 s, then queues.
    # offer_after 5 s: at 6 s the caller was ringing A, so no call back, then or later
    # (it was offered, taken and called back at 13 s, as they queued); B serves them
    scenario = office(members=2, trace=[0, 1], talk=100, when_all_busy="queue",
                      agents={"A": {"answer_probability": 0}},
                      callback={"offer_after": 5, "accept": 1, "reached": 1})
    scenario["hunt_groups"][0]["members"] = ["B", "A"]
    result = simulate(scenario, seed=0)
    assert rows(result) == [("answered", "B", 0.0, 100.0, None),
                            ("answered", "B", 100.0, 200.0, None)]
    assert [(str(o.agent), o.start_s, o.end_s, str(o.result))
            for o in result.offers.itertuples()] == [
        ("B", 0.0, 0.0, "answered"), ("A", 1.0, 13.0, "no_answer"),
        ("B", 100.0, 100.0, "answered")]
    # queued at offer_after's very instant (the ring ends at 13 s): offered then, and A,
    # free, calls back at once
    scenario["hunt_groups"][0]["callback"]["offer_after"] = 12
    assert rows(simulate(scenario, seed=0))[1] == ("called_back", "A", 13.0, 113.0, 12.0)


def test_a_call_back_taken_after_the_end_of_the_run_ends_no_earlier():
    # A logs out for good at 120 s, the run ends at 150 s: the caller of 1 s, stranded,
    # is still offered a call back at offer_after (201 s) and takes it, as their patience
    # would still run out; never called back: callback_missed when they took it (the row
    # said 150 s, before the offer)
    for offer_after, end in ((100, 150.0), (200, 201.0)):
        scenario = callback_office([0, 1], duration=150, offer_after=offer_after)
        scenario["agents"][0] |= {"talk_time": 120, "schedule": ["mon 00:00-00:02"]}
        scenario["start"] = "mon 00:00"
        result = simulate(scenario, seed=0)
        assert rows(result)[1] == ("callback_missed", None, None, end, None), offer_after


def test_plain_queues_have_no_callback_column():
    result = simulate(office(members=1, trace=[0, 10], when_all_busy="queue"), seed=0)
    assert "callback_s" not in result.calls


def poisson_office(accept: float, reached: float) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    trace = np.cumsum(rng.exponential(40, 300)).round(3).tolist()
    scenario = office(members=2, trace=trace, talk={"dist": "exponential", "mean": 90},
                      when_all_busy="queue", max_wait=300,
                      callback={"offer_after": 45, "accept": accept, "reached": reached})
    scenario["caller_patience"] = {"dist": "exponential", "mean": 120}
    return scenario


@pytest.mark.parametrize("seed", range(8))
def test_callbacks_conserve_callers(seed):
    # answered + called back + lost = arrivals: every call has exactly one outcome
    scenario = poisson_office(accept=0.5, reached=0.8)
    arrivals = len(scenario["hunt_groups"][0]["arrivals"]["trace"])
    calls = simulate(scenario, seed=seed).calls
    counts = calls["outcome"].astype(str).value_counts()
    assert calls["call_id"].is_unique and len(calls) == arrivals
    assert int(counts.sum()) == arrivals
    assert counts.get("called_back", 0) > 0 and counts.get("callback_missed", 0) > 0
    called = calls[calls["outcome"] == "called_back"]
    assert called["agent"].notna().all()
    assert np.allclose(called["callback_s"], called["wait_s"])
    # a call back comes after the offer (offer_after into the wait)
    tried = calls[calls["outcome"].isin(["called_back", "callback_missed"])]
    assert (tried["callback_s"].dropna() >= 45 - 1e-9).all()


def test_both_keep_modes_count_the_same_outcomes():
    scenario = load_scenario(poisson_office(accept=0.5, reached=0.8))
    for seed in range(3):
        calls = simulate(scenario, seed=seed)
        totals = simulate(scenario, seed=seed, keep="totals")
        a, b = calls.summary(), totals.summary()
        for outcome in ("answered", "called_back", "callback_missed", "abandoned"):
            column = f"{outcome}_rate"
            assert column in a and column in b
            assert np.allclose(a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float))
        shares = calls.calls["outcome"].astype(str).value_counts(normalize=True)
        assert math.isclose(float(a["called_back_rate"].iloc[0]),
                            float(shares.get("called_back", 0)))


def test_outcomes_in_the_catalog():
    assert {"called_back", "callback_missed"} <= set(OUTCOMES)
    assert outcome_label("called_back") == "Called back"
    assert outcome_label("callback_missed") == "Call back missed"


@pytest.mark.parametrize(("callback", "needle"), [
    ({"offer_after": 0, "accept": 0.5, "reached": 1}, "callback.offer_after"),
    ({"offer_after": 30, "accept": 1.5, "reached": 1}, "callback.accept"),
    ({"offer_after": 30, "accept": 0.5}, "callback.reached"),
    ({"offer_after": 30, "accept": 0.5, "reached": 1, "when": 3}, "callback.when"),
])
def test_bad_callbacks_are_refused_naming_the_field(callback, needle):
    scenario = office(members=1, when_all_busy="queue", callback=callback)
    with pytest.raises(ScenarioError, match=needle.replace(".", r"\.")):
        load_scenario(scenario)


@pytest.mark.parametrize("treatment", ["busy", "voicemail", None])
def test_callback_needs_a_queue(treatment):
    scenario = office(members=1, callback={"offer_after": 30, "accept": 0.5, "reached": 1})
    if treatment is not None:
        scenario["hunt_groups"][0]["when_all_busy"] = treatment
    with pytest.raises(ScenarioError, match=r"hunt_groups\[0\]\.callback: only a queue"):
        load_scenario(scenario)



@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_a_call_back_is_the_members_call_in_the_agents_table(keep):
    # A talks 0-100 s, then calls back two callers (100-200 s, 200-300 s): 300 s of talk
    # and two group calls taken besides the first, in both keep modes
    result = simulate(callback_office([0, 10, 20], duration=400), seed=0, keep=keep)
    agent = result.agents.set_index("agent").loc["A"]
    assert agent["talk_s"] == pytest.approx(300.0)
    assert agent["group_answered"] == 3
    assert agent["occupancy"] == pytest.approx(300.0 / 400.0)


def _penalized(scenario: dict[str, Any], penalties: dict[str, int]) -> dict[str, Any]:
    group = scenario["hunt_groups"][0]
    group["members"] = [{"number": m, "penalty": penalties[m]} if m in penalties else m
                        for m in group["members"]]
    return scenario


def test_a_free_member_of_a_penalty_yet_to_join_does_not_call_back_at_once():
    # A (penalty 0) talks 0-100; the caller of 1 waits: B (penalty 1) joins only at
    # 1 + 60 s. Offered a call back at 11 s, they take it; B, free, calls back when B's
    # penalty joins (61 s), not at once (11 s)
    scenario = _penalized(office(members=2, trace=[0, 1], talk=100, when_all_busy="queue",
                                 penalty_wait="60s",
                                 callback={"offer_after": 10, "accept": 1, "reached": 1}),
                          {"B": 1})
    result = simulate(scenario, seed=0)
    assert rows(result) == [
        ("answered", "A", 0.0, 100.0, None),
        ("called_back", "B", 61.0, 161.0, 60.0),
    ]


def test_a_member_freeing_before_their_penalty_joins_does_not_call_back():
    # A (penalty 0) talks 0-100; B (penalty 1, talks 20 s) calls back the caller of 1 at
    # 61 s and frees at 81 s; the caller of 70 took a call back at 75 s, but B's penalty
    # joins for them only at 130 s: A, freeing at 100 s, calls back
    scenario = _penalized(office(members=2, trace=[0, 1, 70], talk=100,
                                 when_all_busy="queue", penalty_wait="60s",
                                 agents={"B": {"talk_time": 20}},
                                 callback={"offer_after": 5, "accept": 1, "reached": 1}),
                          {"B": 1})
    result = simulate(scenario, seed=0)
    assert rows(result) == [
        ("answered", "A", 0.0, 100.0, None),
        ("called_back", "B", 61.0, 81.0, 60.0),
        ("called_back", "A", 100.0, 200.0, 30.0),
    ]


def test_the_lowest_penalty_free_calls_back_at_once():
    # members C, A, B in that order; A (penalty 1) and B (penalty 0) never answer; C
    # takes the call of 0. The caller of 1 rings B (1-13), then A (13-25), then waits;
    # offered a call back at 31 s, both are free: B, of the lower penalty, calls back
    # (not A, who comes first in the group's list)
    scenario = _penalized(office(members=3, trace=[0, 1], talk=100, when_all_busy="queue",
                                 agents={"A": {"answer_probability": 0},
                                         "B": {"answer_probability": 0}},
                                 callback={"offer_after": 30, "accept": 1, "reached": 1}),
                          {"A": 1})
    members = scenario["hunt_groups"][0]["members"]
    scenario["hunt_groups"][0]["members"] = [members[2], members[0], members[1]]
    result = simulate(scenario, seed=0)
    assert rows(result) == [
        ("answered", "C", 0.0, 100.0, None),
        ("called_back", "B", 31.0, 131.0, 30.0),
    ]
