"""Redials, forwarding, queue limits and staggered ring, traced to the microsecond.

Each scenario is built so that every time in it is known in advance; the
tests compare whole rows of the calls and offers tables with those times.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import huntsim
from huntsim.errors import ScenarioError

BUSY_AGENT = {"number": "A", "talk_time": "1000s", "direct_calls": {"trace": [0]}}


def one_busy_member(**group: Any) -> dict[str, Any]:
    """A is on a direct call from 0 to 1000 s; pilot calls find the group busy."""
    return {
        "duration": "2h", "ring_cycle": "6s",
        "agents": [dict(BUSY_AGENT)],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "when_all_busy": "busy",
                         "arrivals": {"trace": [1]}, **group}],
    }


def pilot_calls(result: huntsim.Result) -> Any:
    return result.calls[result.calls["kind"] == "pilot"].reset_index(drop=True)


# ------------------------------------------------------------------ redials
def test_a_caller_redials_after_exactly_the_delay_and_stops_at_max_attempts() -> None:
    scenario = one_busy_member(redial={"on": ["busy"], "probability": 1, "delay": "60s",
                                       "max_attempts": 3})
    calls = pilot_calls(huntsim.simulate(scenario, seed=1))
    assert calls["arrival_s"].tolist() == [1.0, 61.0, 121.0]
    assert calls["end_s"].tolist() == [1.0, 61.0, 121.0]
    assert calls["outcome"].astype(str).tolist() == ["busy"] * 3
    assert calls["attempt"].tolist() == [1, 2, 3]
    assert calls["caller_id"].nunique() == 1
    assert calls.loc[0, "caller_id"] == calls.loc[0, "call_id"]


def test_a_redial_comes_after_the_drawn_delay_from_the_end_of_the_attempt() -> None:
    # uniform delays between 100 and 200 s: each attempt starts that long after
    # the previous one ended, and the delays differ from one attempt to the next
    scenario = one_busy_member(redial={"on": ["busy"], "probability": 1, "max_attempts": 4,
                                       "delay": {"dist": "uniform", "low": 100, "high": 200}})
    calls = pilot_calls(huntsim.simulate(scenario, seed=3))
    gaps = calls["arrival_s"].to_numpy()[1:] - calls["end_s"].to_numpy()[:-1]
    assert len(calls) == 4
    assert ((gaps >= 100) & (gaps <= 200)).all()
    assert len(set(np.round(gaps, 6))) == 3


def test_the_redial_reaches_the_member_once_free() -> None:
    scenario = one_busy_member(redial={"on": ["busy"], "probability": 1, "delay": "600s"})
    calls = pilot_calls(huntsim.simulate(scenario, seed=1))
    assert calls["arrival_s"].tolist() == [1.0, 601.0, 1201.0]
    assert calls["outcome"].astype(str).tolist() == ["busy", "busy", "answered"]
    assert calls["answer_s"].tolist()[-1] == 1201.0


def test_only_the_outcomes_in_on_redial_and_probability_zero_never_does() -> None:
    voicemail_only = one_busy_member(voicemail=True, when_all_busy="voicemail",
                                     redial={"on": ["busy"], "probability": 1, "delay": "60s"})
    assert len(pilot_calls(huntsim.simulate(voicemail_only, seed=1))) == 1
    never = one_busy_member(redial={"on": ["busy"], "probability": 0, "delay": "60s"})
    assert len(pilot_calls(huntsim.simulate(never, seed=1))) == 1


def test_no_redial_comes_at_or_after_the_end_of_the_run() -> None:
    scenario = one_busy_member(redial={"on": ["busy"], "probability": 1, "delay": "30min"})
    scenario["duration"] = "3601s"  # attempts at 1, 1801 and 3601 (the end): two made
    calls = pilot_calls(huntsim.simulate(scenario, seed=1))
    assert calls["arrival_s"].tolist() == [1.0, 1801.0]


def test_the_scenario_redial_is_the_default_and_a_group_may_override_it() -> None:
    scenario = one_busy_member()
    scenario["redial"] = {"on": ["busy"], "probability": 1, "delay": "60s", "max_attempts": 2}
    assert len(pilot_calls(huntsim.simulate(scenario, seed=1))) == 2
    scenario["hunt_groups"][0]["redial"] = {"on": ["busy"], "probability": 0, "delay": "60s"}
    assert len(pilot_calls(huntsim.simulate(scenario, seed=1))) == 1


def test_redial_luck_is_the_callers_own_under_every_policy() -> None:
    # attempt k of a caller meets the same pick-up luck whatever the policy:
    # with one member per group, regular and circular give identical tables
    scenario = {
        "duration": "4h", "ring_cycle": "6s", "caller_patience": {"dist": "exponential",
                                                                 "mean": "40s"},
        "redial": {"probability": 0.7, "delay": {"dist": "exponential", "mean": "5min"}},
        "agents": [{"number": "A", "talk_time": {"dist": "exponential", "mean": "3min"},
                    "answer_probability": 0.6, "answer_delay": {"dist": "uniform", "low": 1,
                                                                "high": 30}}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "voicemail": True,
                         "arrivals": {"rate": "15/h"}}],
    }
    tables = [pilot_calls(huntsim.simulate(scenario, seed=5, policy=p))
              for p in ("regular", "circular", "uniform")]
    assert (tables[0]["attempt"] > 1).sum() > 10
    for other in tables[1:]:
        assert tables[0].equals(other)


# --------------------------------------------------------------- forwarding
def two_groups(first: dict[str, Any], second: dict[str, Any], patience: Any = None,
               agents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    scenario: dict[str, Any] = {
        "duration": "1h", "ring_cycle": "6s",
        "agents": agents or [{"number": "A", "talk_time": "60s", "answer_probability": 0},
                             {"number": "B", "talk_time": "60s", "answer_delay": "5s"}],
        "hunt_groups": [
            {"pilot": "100", "members": ["A"], "no_answer_rings": 2,
             "arrivals": {"trace": [10]}, **first},
            {"pilot": "200", "members": ["B"], "no_answer_rings": 2, "voicemail": True,
             **second},
        ],
    }
    if patience is not None:
        scenario["caller_patience"] = patience
    return scenario


def test_a_forwarded_call_hunts_the_second_group_keeping_its_arrival_and_wait() -> None:
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {})
    result = huntsim.simulate(scenario, seed=1)
    call = result.calls.iloc[0]
    # A rings 10-22 s and lets it ring out; B rings from 22 s and picks up after 5 s
    assert (call["dialed"], call["group"], call["forwards"]) == ("100", "200", 1)
    assert (call["outcome"], call["agent"], call["arrival_s"]) == ("answered", "B", 10.0)
    assert (call["answer_s"], call["wait_s"], call["offers"]) == (27.0, 17.0, 2)
    assert result.offers[["agent", "start_s", "end_s"]].astype(str).values.tolist() == [
        ["A", "10.0", "22.0"], ["B", "22.0", "27.0"]]


def test_a_forwarded_call_keeps_its_patience() -> None:
    # patience 15 s from arrival: the caller hangs up at 25 s while B rings (22-27 s)
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {},
                          patience="15s")
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert (call["outcome"], call["group"], call["end_s"]) == ("abandoned", "200", 25.0)


def test_all_busy_forwarding_happens_at_arrival_without_ringing() -> None:
    agents = [dict(BUSY_AGENT), {"number": "B", "talk_time": "60s"}]
    scenario = two_groups({"forward": {"when": ["all_busy"], "to": "200"}}, {}, agents=agents)
    call = huntsim.simulate(scenario, seed=1).calls.query("kind == 'pilot'").iloc[0]
    assert (call["group"], call["agent"], call["answer_s"], call["offers"]) == (
        "200", "B", 10.0, 1)


def test_forwarding_outside_the_office_ends_the_call_as_forwarded() -> None:
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "+1 212 555 0188"}}, {})
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert (call["outcome"], call["group"], call["forwards"], call["end_s"]) == (
        "forwarded", "100", 0, 22.0)


def test_after_hours_forwarding_rings_nobody_in_the_closed_group() -> None:
    scenario = two_groups({"open": ["mon 09:00-17:00"],
                           "forward": {"when": ["after_hours"], "to": "200"}}, {})
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]  # Monday 00:00:10: closed
    # after hours where it was dialled (left out of the office's rates), answered by 200
    assert (call["group"], call["outcome"], call["answer_s"], call["after_hours"]) == (
        "200", "answered", 15.0, True)
    assert call["closed_hops"] == 1


@pytest.mark.parametrize(("forwards", "message"), [
    ([("100", "200"), ("200", "100")], "forwards loop '100' -> '200' -> '100'"),
    ([("100", "100")], "is the group's own pilot"),
    ([("100", "300")], "'300' is not the pilot of any hunt group"),
    ([("100", "A")], "is an agent's own number"),
])
def test_loops_and_unknown_internal_targets_are_refused(
        forwards: list[tuple[str, str]], message: str) -> None:
    scenario = two_groups({}, {})
    by_pilot = {g["pilot"]: g for g in scenario["hunt_groups"]}
    for source, target in forwards:
        by_pilot[source]["forward"] = {"when": ["no_answer"], "to": target}
    with pytest.raises(ScenarioError, match=message):
        huntsim.load_scenario(scenario)


def test_an_outside_number_like_the_offices_own_needs_outside_true() -> None:
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "199"}}, {})
    with pytest.raises(ScenarioError, match="add outside: true"):
        huntsim.load_scenario(scenario)
    scenario["hunt_groups"][0]["forward"]["outside"] = True
    call = huntsim.simulate(scenario, seed=1).calls.iloc[0]
    assert call["outcome"] == "forwarded"


# ------------------------------------------------------------- queue limits
def queue_office(free_at: str, **group: Any) -> dict[str, Any]:
    """A talks on a direct call until ``free_at``; pilot callers queue for A."""
    return {
        "duration": "1h", "ring_cycle": "6s",
        "agents": [{"number": "A", "talk_time": free_at, "direct_calls": {"trace": [0]}}],
        "hunt_groups": [{"pilot": "100", "members": ["A"], "when_all_busy": "queue",
                         "voicemail": True, "arrivals": {"trace": [10]}, **group}],
    }


def test_max_wait_sends_the_caller_to_voicemail_at_the_limit() -> None:
    call = pilot_calls(huntsim.simulate(queue_office("300s", max_wait="2min"), seed=1)).iloc[0]
    assert (call["outcome"], call["end_s"]) == ("voicemail", 130.0)


def test_a_member_freeing_at_the_max_wait_instant_takes_the_caller() -> None:
    call = pilot_calls(huntsim.simulate(queue_office("130s", max_wait="2min"), seed=1)).iloc[0]
    assert (call["outcome"], call["answer_s"]) == ("answered", 130.0)
    later = pilot_calls(huntsim.simulate(queue_office("130.000001s", max_wait="2min"),
                                         seed=1)).iloc[0]
    assert (later["outcome"], later["end_s"]) == ("voicemail", 130.0)


def test_patience_ending_with_max_wait_is_a_hang_up() -> None:
    scenario = queue_office("300s", max_wait="2min")
    scenario["caller_patience"] = "120s"
    call = pilot_calls(huntsim.simulate(scenario, seed=1)).iloc[0]
    assert (call["outcome"], call["end_s"]) == ("abandoned", 130.0)


def test_without_voicemail_a_queue_timeout_is_busy_and_may_forward() -> None:
    busy = pilot_calls(huntsim.simulate(queue_office("300s", max_wait="2min", voicemail=False),
                                        seed=1)).iloc[0]
    assert (busy["outcome"], busy["end_s"]) == ("busy", 130.0)
    forwarded = queue_office("300s", max_wait="2min",
                             forward={"when": ["queue_timeout"], "to": "+44 20 7946 0000"})
    call = pilot_calls(huntsim.simulate(forwarded, seed=1)).iloc[0]
    assert (call["outcome"], call["end_s"]) == ("forwarded", 130.0)


def test_max_queue_turns_away_the_caller_who_finds_the_queue_full() -> None:
    scenario = queue_office("300s", max_queue=1)
    scenario["hunt_groups"][0]["arrivals"] = {"trace": [10, 20, 30]}
    calls = pilot_calls(huntsim.simulate(scenario, seed=1))
    assert calls["outcome"].astype(str).tolist() == ["answered", "voicemail", "voicemail"]
    assert calls["end_s"].tolist()[1:] == [20.0, 30.0]
    nobody_queues = queue_office("300s", max_queue=0)
    assert pilot_calls(huntsim.simulate(nobody_queues, seed=1))["end_s"].tolist() == [10.0]


@pytest.mark.parametrize("key", ["max_wait", "max_queue"])
def test_queue_limits_without_a_queue_are_refused(key: str) -> None:
    scenario = one_busy_member(**{key: 5})
    with pytest.raises(ScenarioError, match=rf"hunt_groups\[0\]\.{key}: only applies to a queue"):
        huntsim.load_scenario(scenario)


# ------------------------------------------------------------ staggered ring
def staggered(agents: list[dict[str, Any]], **group: Any) -> dict[str, Any]:
    return {
        "duration": "1h", "ring_cycle": "6s",
        "agents": agents,
        "hunt_groups": [{"pilot": "100", "policy": "staggered", "stagger": "6s",
                         "members": [a["number"] for a in agents], "no_answer_rings": 3,
                         "voicemail": True, "arrivals": {"trace": [0]}, **group}],
    }


def test_staggered_ring_adds_a_member_every_stagger_and_the_first_pick_up_wins() -> None:
    # A never answers; B would after 10 s of ringing (16 s), C after 1 s (13 s)
    agents = [{"number": "A", "talk_time": "60s", "answer_probability": 0},
              {"number": "B", "talk_time": "60s", "answer_delay": "10s"},
              {"number": "C", "talk_time": "60s", "answer_delay": "1s"}]
    result = huntsim.simulate(staggered(agents), seed=1)
    call = result.calls.iloc[0]
    assert (call["outcome"], call["agent"], call["answer_s"], call["offers"]) == (
        "answered", "C", 13.0, 3)
    offers = result.offers[["agent", "start_s", "end_s", "result"]].astype(str).values.tolist()
    assert offers == [["A", "0.0", "13.0", "answered_elsewhere"],
                      ["B", "6.0", "13.0", "answered_elsewhere"],
                      ["C", "12.0", "13.0", "answered"]]


def test_each_staggered_member_rings_the_time_out_from_their_own_first_ring() -> None:
    agents = [{"number": n, "talk_time": "60s", "answer_probability": 0} for n in "ABC"]
    result = huntsim.simulate(staggered(agents), seed=1)
    call = result.calls.iloc[0]
    assert (call["outcome"], call["end_s"]) == ("voicemail", 30.0)
    spans = result.offers[["agent", "start_s", "end_s"]].astype(str).values.tolist()
    assert spans == [["A", "0.0", "18.0"], ["B", "6.0", "24.0"], ["C", "12.0", "30.0"]]


def test_staggered_ring_skips_a_busy_member_and_waits_for_the_next_tick() -> None:
    agents = [{"number": "A", "talk_time": "60s", "answer_probability": 0},
              dict(BUSY_AGENT, number="B"),
              {"number": "C", "talk_time": "60s", "answer_delay": "2s"}]
    scenario = staggered(agents, stagger="20s")
    scenario["hunt_groups"][0]["arrivals"] = {"trace": [1]}
    result = huntsim.simulate(scenario, seed=1)
    call = result.calls.query("kind == 'pilot'").iloc[0]
    # A rings 1-19 s; nobody rings from 19 to 21 s; at 21 s C (B is busy) joins
    assert (call["outcome"], call["agent"], call["answer_s"]) == ("answered", "C", 23.0)


def test_stagger_defaults_to_one_ring_and_is_only_for_the_staggered_policy() -> None:
    agents = [{"number": n, "talk_time": "60s", "answer_probability": 0} for n in "AB"]
    scenario = staggered(agents)
    del scenario["hunt_groups"][0]["stagger"]
    scenario["ring_cycle"] = "4s"
    starts = huntsim.simulate(scenario, seed=1).offers["start_s"].tolist()
    assert starts == [0.0, 4.0]
    scenario["hunt_groups"][0].update(policy="regular", stagger="6s")
    with pytest.raises(ScenarioError, match="stagger: only used by the staggered policy"):
        huntsim.load_scenario(scenario)


# ------------------------------------------------------------------ figures
def test_each_group_counts_every_call_that_reached_it_and_the_totals_agree() -> None:
    # A lets both calls ring out and passes them to B: A's row sees two calls
    # forwarded, B's row two calls answered that arrived by forwarding
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {})
    scenario["hunt_groups"][0]["arrivals"] = {"trace": [10, 100]}
    records = huntsim.simulate(scenario, seed=1).summary()
    totals = huntsim.simulate(scenario, seed=1, keep="totals").summary()
    for summary in (records, totals):
        first, second, every = (summary.loc[k] for k in ("100", "200", "all pilot calls"))
        assert (first["offered"], first["forwarded_rate"], first["answered_rate"]) == (2, 1, 0)
        assert (first["forwarded_away"], first["callers"], first["callers_answered_rate"]) == (
            2, 2, 1)
        assert (second["offered"], second["forwarded_in"], second["answered_rate"]) == (2, 2, 1)
        assert (every["offered"], every["answered_rate"], every["forwarded_rate"]) == (2, 1, 0)


def test_a_closed_group_that_forwards_counts_the_call_after_hours() -> None:
    scenario = two_groups({"open": ["mon 09:00-17:00"],
                           "forward": {"when": ["after_hours"], "to": "200"}}, {})
    for keep in ("calls", "totals"):
        summary = huntsim.simulate(scenario, seed=1, keep=keep).summary()  # type: ignore[arg-type]
        assert (summary.loc["100", "after_hours"], summary.loc["100", "offered"]) == (1, 0)
        assert (summary.loc["200", "offered"], summary.loc["200", "answered_rate"]) == (1, 1)


def test_compare_varies_the_policy_of_the_group_compared_only() -> None:
    from huntsim.experiments.comparison import default_policies

    scenario = huntsim.load_scenario("scenarios/real_estate_overflow.yaml")
    varied = scenario.with_policy("regular", ["555-0100"])
    assert [g.policy for g in varied.hunt_groups] == ["regular", "staggered"]
    assert default_policies(scenario, "555-0100") == (
        "regular", "circular", "simultaneous", "uniform")


def test_plan_by_hour_sizes_a_group_that_forwards_on_its_own() -> None:
    from huntsim.experiments.by_hour import hour_scenario

    scenario = huntsim.load_scenario("scenarios/real_estate_overflow.yaml")
    alone = hour_scenario(scenario, "555-0100", 20 / 3600, [0.0] * 6, 600.0, 3600.0)
    assert [g.pilot for g in alone.hunt_groups] == ["555-0100"]
    assert alone.hunt_groups[0].forward is None


@pytest.mark.parametrize("policy", ["regular", "simultaneous", "staggered"])
def test_max_wait_running_out_while_a_member_rings_ends_the_ring(policy: str) -> None:
    # A answers after 17 s: their direct call at 0 is answered at 17 s, they talk
    # until 77 s. The pilot call reaches the group at 10 s (limit 80 s) and waits;
    # A rings from 77 s and would answer at 94 s, but max_wait ends the ring at 80 s
    # and the call gets the queue time-out treatment (voicemail), as in Asterisk.
    scenario = queue_office("60s", max_wait="70s", no_answer_rings=5, policy=policy)
    scenario["agents"][0]["answer_delay"] = "17s"
    result = huntsim.simulate(scenario, seed=1)
    call = pilot_calls(result).iloc[0]
    assert (call["outcome"], call["end_s"], call["offers"]) == ("voicemail", 80.0, 1)
    offers = result.offers[result.offers["call_id"] == call["call_id"]]
    assert offers[["agent", "start_s", "end_s", "result"]].astype(str).values.tolist() == [
        ["A", "77.0", "80.0", "no_answer"]]
    # an answer at the very instant max_wait runs out is taken
    scenario["agents"][0]["answer_delay"] = "3s"
    scenario["agents"][0]["talk_time"] = "74s"  # answered at 3 s, free at 77 s
    call = pilot_calls(huntsim.simulate(scenario, seed=1)).iloc[0]
    assert (call["outcome"], call["answer_s"]) == ("answered", 80.0)


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_each_group_counts_only_the_offers_made_in_it(keep: str) -> None:
    # 100 rings A (never answers) for 12 s, then forwards on no answer to 200,
    # where B answers after 5 s: one offer in each group, and each group's
    # offers per call is 1 (not 0 in 100 and 2 in 200)
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {})
    summary = huntsim.simulate(scenario, seed=1, keep=keep).summary()
    assert summary.loc["100", "offers_per_call"] == 1.0
    assert summary.loc["200", "offers_per_call"] == 1.0
    assert summary.loc["all pilot calls", "offers_per_call"] == 2.0


def test_each_group_counts_only_its_own_rings_in_its_metrics() -> None:
    # as above: A rings 12 s (2 rings of 6 s) in 100, B 5 s in 200
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {})
    table = huntsim.replicate(scenario, replications=1, seed=1, jobs=1).table
    mean = table.set_index(["group", "metric"])["mean"]
    assert (mean[("100", "offers_per_call")], mean[("100", "rings_per_call")]) == (1.0, 2.0)
    assert (mean[("200", "offers_per_call")], mean[("200", "rings_per_call")]) == (
        1.0, pytest.approx(5 / 6))
