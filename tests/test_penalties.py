"""Member penalties (``members: [{number, penalty}]``, ``penalty_wait``): a member is
offered a call only when no member of a lower penalty can be rung for it (Asterisk's
queue penalty); with ``penalty_wait`` the k-th lowest penalty joins after the caller
has waited k times that wait (FreeSWITCH's tier wait). Exact traces."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import office

from huntsim import ScenarioError, load_scenario, simulate
from huntsim.sim.engine import Engine
from huntsim.sim.penalties import PenaltyGroup
from huntsim.sim.records import CallLog
from huntsim.sim.state import Group


def offers(result: Any) -> list[tuple[str, float, float, str]]:
    return sorted(((str(r.agent), float(r.start_s), float(r.end_s), str(r.result))
                   for r in result.offers.itertuples()), key=lambda o: (o[1], o[2], o[0]))


def with_penalties(scenario: dict[str, Any], penalties: dict[str, int]) -> dict[str, Any]:
    group = scenario["hunt_groups"][0]
    group["members"] = [{"number": m, "penalty": penalties[m]} if m in penalties else m
                        for m in group["members"]]
    return scenario


def test_a_higher_penalty_is_rung_only_when_every_lower_one_is_busy() -> None:
    # A is first in the hunting order but has penalty 1: B and C take the first calls,
    # A the third (B and C on calls), the fourth finds everyone busy
    scenario = with_penalties(office(trace=[0, 1, 2, 3], duration=4), {"A": 1})
    result = simulate(scenario, seed=0)
    assert [a if isinstance(a, str) else "-" for a in result.calls["agent"]] == [
        "B", "C", "A", "-"]
    assert result.calls["outcome"].tolist() == ["answered"] * 3 + ["voicemail"]
    assert [o[0] for o in offers(result)] == ["B", "C", "A"]


def test_a_lower_penalty_member_who_lets_the_call_ring_out_lets_the_next_penalty_ring() -> None:
    # B and C (penalty 0) let the call ring out (one ring of 6 s each); then A is rung,
    # although the hunt had passed A (first in the order) while B and C could be rung
    scenario = with_penalties(
        office(rings=1, agents={"B": {"answer_probability": 0},
                                "C": {"answer_probability": 0}}), {"A": 1})
    result = simulate(scenario, seed=0)
    assert offers(result) == [("B", 0.0, 6.0, "no_answer"), ("C", 6.0, 12.0, "no_answer"),
                              ("A", 12.0, 12.0, "answered")]
    assert result.calls["agent"].tolist() == ["A"]


def test_three_penalties_in_turn() -> None:
    scenario = with_penalties(office(trace=[0, 1, 2], duration=3), {"A": 2, "B": 1})
    result = simulate(scenario, seed=0)
    assert result.calls["agent"].tolist() == ["C", "B", "A"]


def test_a_queued_caller_waits_for_the_lower_penalty_to_free() -> None:
    scenario = with_penalties(office(members=2, trace=[0, 1, 2], duration=3,
                                     when_all_busy="queue"), {"B": 1})
    result = simulate(scenario, seed=0)
    assert result.calls["agent"].tolist() == ["A", "B", "A"]
    assert result.calls["wait_s"].tolist() == [0.0, 0.0, 98.0]


def test_penalty_wait_adds_the_higher_penalties_after_the_wait() -> None:
    # A takes call 0; call 1 (at 1) finds only B (penalty 1) free: it waits until it has
    # waited 30 s, then B rings; call 2 (at 2) waits for C (penalty 2), who joins after
    # 2 x 30 s, B being busy by then
    scenario = with_penalties(office(trace=[0, 1, 2], duration=3, when_all_busy="queue",
                                     penalty_wait="30s"), {"B": 1, "C": 2})
    result = simulate(scenario, seed=0)
    assert result.calls["agent"].tolist() == ["A", "B", "C"]
    assert result.calls["wait_s"].tolist() == [0.0, 30.0, 60.0]
    assert offers(result) == [("A", 0.0, 0.0, "answered"), ("B", 31.0, 31.0, "answered"),
                              ("C", 62.0, 62.0, "answered")]


def test_penalty_wait_a_lower_penalty_freeing_first_takes_the_caller() -> None:
    # A frees at 10, before B (penalty 1) may ring for call 1 (at 31): A takes it
    scenario = with_penalties(office(members=2, trace=[0, 1], duration=2, talk=10,
                                     when_all_busy="queue", penalty_wait="30s"), {"B": 1})
    result = simulate(scenario, seed=0)
    assert result.calls["agent"].tolist() == ["A", "A"]
    assert result.calls["wait_s"].tolist() == [0.0, 9.0]


def test_penalty_wait_the_caller_ringing_when_the_penalty_joins() -> None:
    # call 0 rings A (who never answers) 0-12, then waits; B joins at 30 and answers
    scenario = with_penalties(office(members=2, when_all_busy="queue", penalty_wait="30s",
                                     agents={"A": {"answer_probability": 0}}), {"B": 1})
    result = simulate(scenario, seed=0)
    assert offers(result) == [("A", 0.0, 12.0, "no_answer"), ("B", 30.0, 30.0, "answered")]


def test_ring_all_rings_the_lowest_penalty_that_can_be_rung() -> None:
    scenario = with_penalties(office(policy="simultaneous", answer_probability=0, rings=1),
                              {"A": 1})
    result = simulate(scenario, seed=0)
    assert offers(result) == [("B", 0.0, 6.0, "no_answer"), ("C", 0.0, 6.0, "no_answer"),
                              ("A", 6.0, 12.0, "no_answer")]


def test_a_plain_scenario_is_unchanged_and_pays_nothing() -> None:
    plain = office(trace=[0, 1, 2, 3, 4], duration=5, answer_probability=0.5)
    zeros = with_penalties(office(trace=[0, 1, 2, 3, 4], duration=5, answer_probability=0.5),
                           {"A": 0, "B": 0, "C": 0})
    assert load_scenario(zeros) == load_scenario(plain)
    assert load_scenario(zeros).hunt_groups[0].penalties is None
    a, b = simulate(plain, seed=3), simulate(zeros, seed=3)
    assert a.calls.equals(b.calls) and a.offers.equals(b.offers)
    scenario = load_scenario(plain)
    engine = Engine(scenario, 1, CallLog([x.number for x in scenario.agents], ["PILOT"]))
    assert [type(g) for g in engine.groups] == [Group]
    penalized = load_scenario(with_penalties(office(), {"A": 1}))
    engine = Engine(penalized, 1, CallLog([x.number for x in penalized.agents], ["PILOT"]))
    assert [type(g) for g in engine.groups] == [PenaltyGroup]


def test_members_with_penalties_round_trip() -> None:
    scenario = load_scenario(with_penalties(office(when_all_busy="queue", penalty_wait=30),
                                            {"B": 1, "C": 3}))
    group = scenario.hunt_groups[0]
    assert group.members == ("A", "B", "C")
    assert group.penalties == (0, 1, 3)
    assert group.penalty_tiers() == ((0,), (1,), (2,))
    assert load_scenario(scenario.model_dump(mode="json")) == scenario


@pytest.mark.parametrize(("penalties", "group", "message"), [
    ({"B": -1}, {}, "hunt_groups[0].members[1].penalty: -1; a penalty is a whole number 0"),
    ({"B": 1.5}, {}, "hunt_groups[0].members[1].penalty: 1.5; a penalty is a whole number"),
    ({"B": "x"}, {}, "hunt_groups[0].members[1].penalty: x; a penalty is a whole number"),
    ({}, {"penalty_wait": 30, "when_all_busy": "queue"},
     "hunt_groups[0].penalty_wait: 30 s but no member has a penalty above 0"),
    ({"B": 1}, {"penalty_wait": 30}, "hunt_groups[0].penalty_wait: 30 s but callers do not queue"),
    ({"B": 1}, {"penalty_wait": 0, "when_all_busy": "queue"}, "hunt_groups[0].penalty_wait"),
    ({"B": 1}, {"policy": "staggered"}, "hunt_groups[0].members: penalties do not apply"),
    ({}, {"penalties": [0, 1]}, "hunt_groups[0].penalties: 2 penalties for 3 members"),
])
def test_bad_penalties_are_refused_naming_the_field(penalties: dict[str, Any],
                                                     group: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as error:
        load_scenario(with_penalties(office(**group), penalties))
    assert any(m.startswith(message) for m in error.value.messages), error.value.messages


@pytest.mark.parametrize(("key", "change"), [
    ("hunt_groups[0].penalty_wait", {"penalty_wait": 1e-7}),
    ("hunt_groups[0].max_wait", {"max_wait": 1e-7}),
    ("hunt_groups[0].callback.offer_after",
     {"callback": {"offer_after": 1e-7, "accept": 1, "reached": 1}}),
])
def test_a_duration_below_the_time_resolution_is_refused_not_a_crash(
        key: str, change: dict[str, Any]) -> None:
    # 1e-7 s is 0 on the engine's clock (1 microsecond): a penalty_wait that small
    # validated, then the run died dividing by it (ZeroDivisionError)
    scenario = with_penalties(office(trace=[0, 1], when_all_busy="queue", **change),
                              {"B": 1})
    if "penalty_wait" not in change:
        scenario["hunt_groups"][0]["members"][1] = "B"
    with pytest.raises(ScenarioError) as error:
        simulate(scenario, seed=0)
    assert f"{key}: 1e-07 s is shorter than the model's time resolution (1 microsecond)" \
        in error.value.messages[0], error.value.messages


def test_other_durations_below_the_time_resolution_are_refused() -> None:
    scenario = office(trace=[0, 1], policy="staggered", stagger=1e-7,
                      agents={"A": {"after_missed": {"count": 1, "away": 1e-7}}})
    with pytest.raises(ScenarioError) as error:
        load_scenario(scenario)
    assert sorted(m.split(":")[0] for m in error.value.messages) == [
        "agents[0].after_missed.away", "hunt_groups[0].stagger"]
    # a microsecond is the shortest duration the model has
    scenario = with_penalties(office(trace=[0, 1], when_all_busy="queue", penalty_wait=1e-6),
                              {"B": 1})
    assert simulate(scenario, seed=0).calls["outcome"].tolist() == ["answered"] * 2


def test_a_member_entry_with_an_unknown_key_is_refused() -> None:
    scenario = office()
    scenario["hunt_groups"][0]["members"][1] = {"numbr": "B"}
    with pytest.raises(ScenarioError, match=r"hunt_groups\[0\]\.members\[1\]: .*unknown key"):
        load_scenario(scenario)


def test_a_lower_penalty_member_logged_out_does_not_hold_back_the_next_penalty() -> None:
    # B (penalty 0) works 09:00-10:00 (t = 3600 to 7200): before and after, A (penalty 1)
    # takes the calls; while B is logged in, B does; the caller at 3560 (A busy with the
    # call of 3550 until 3610) waits and is taken by B logging in at 3600
    scenario = {
        "duration": "3h", "start": "mon 08:00", "ring_cycle": "6s",
        "agents": [{"number": "A", "talk_time": "60s"},
                   {"number": "B", "talk_time": "60s", "schedule": ["mon 09:00-10:00"]}],
        "hunt_groups": [{"pilot": "100", "members": [{"number": "A", "penalty": 1}, "B"],
                         "when_all_busy": "queue",
                         "arrivals": {"trace": [1800, 3550, 3560, 5000, 7200]}}],
    }
    result = simulate(scenario, seed=1)
    assert result.calls["agent"].tolist() == ["A", "A", "B", "B", "A"]
    assert result.calls["answer_s"].tolist() == [1800.0, 3550.0, 3600.0, 5000.0, 7200.0]


def test_penalty_wait_counts_from_reaching_the_group_after_a_forward() -> None:
    # group 1 (only X, busy) forwards all-busy calls to group 2 at once; there the
    # caller reaches the group at 1 and B (penalty 1) may ring at 1 + 20 s
    scenario = with_penalties(office(members=2, trace=[0, 1], duration=2, when_all_busy="queue",
                                     penalty_wait="20s"), {"B": 1})
    scenario["agents"].append({"number": "X", "talk_time": 100})
    scenario["hunt_groups"][0]["arrivals"] = {"trace": [0]}
    scenario["hunt_groups"].insert(0, {
        "pilot": "FRONT", "members": ["X"], "arrivals": {"trace": [0, 1]},
        "forward": {"when": ["all_busy"], "to": "PILOT"}})
    result = simulate(scenario, seed=0)
    calls = result.calls.sort_values("arrival_s")
    answered = sorted(zip(calls["agent"].astype(str), calls["answer_s"], strict=True))
    assert answered == [("A", 0.0), ("B", 21.0), ("X", 0.0)]


def test_a_caller_who_finds_only_penalties_yet_to_join_free_is_all_busy() -> None:
    # A takes call 0; call 1 waits (B, penalty 1, joins at 31); call 2 finds the queue
    # full (max_queue 1): the all-busy treatment (voicemail), not the queue
    scenario = with_penalties(office(members=2, trace=[0, 1, 2], duration=3,
                                     when_all_busy="queue", max_queue=1, penalty_wait="30s"),
                              {"B": 1})
    result = simulate(scenario, seed=0)
    assert result.calls["outcome"].tolist() == ["answered", "answered", "voicemail"]
    assert result.calls["answer_s"].tolist()[:2] == [0.0, 31.0]
    assert result.calls["end_s"].tolist()[2] == 2.0
