"""Members in several groups (``one_group_per_member: false``) and group priorities
(``hunt_groups[].priority``): exact traces, validation, and theory (Erlang B of the
merged traffic; Cobham's non-preemptive priority waits) over replications."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import assert_in_interval

from huntsim import ScenarioError, load_scenario, simulate
from huntsim.analysis.theory import erlang_b, erlang_c
from huntsim.sim.engine import Engine
from huntsim.sim.records import CallLog


def two_groups(first: list[str], second: list[str], trace1: list[float],
               trace2: list[float], priorities: tuple[int, int] = (0, 0),
               numbers: str = "AB", talk: Any = 100, **group: Any) -> dict[str, Any]:
    """Two queueing groups (pilots P1, P2) sharing members; calls at exact times."""
    groups = []
    for pilot, members, trace, priority in (("P1", first, trace1, priorities[0]),
                                            ("P2", second, trace2, priorities[1])):
        spec: dict[str, Any] = {"pilot": pilot, "members": members, "voicemail": True,
                                "when_all_busy": "queue", "priority": priority,
                                "no_answer_rings": 2, **group}
        if trace:
            spec["arrivals"] = {"trace": trace}
        groups.append(spec)
    return {"name": "shared", "duration": max([*trace1, *trace2, 0]) + 1, "ring_cycle": 6,
            "one_group_per_member": False,
            "agents": [{"number": n, "talk_time": talk} for n in numbers],
            "hunt_groups": groups}


def answers(result: Any) -> list[tuple[str, float, str, float]]:
    """(pilot, arrival, agent, answer time) of each call, by arrival."""
    calls = result.calls.sort_values("arrival_s")
    return [(str(c.group), float(c.arrival_s), str(c.agent), float(c.answer_s))
            for c in calls.itertuples()]


@pytest.mark.parametrize(("priorities", "first_served"), [((1, 0), "P2"), ((0, 1), "P1")])
def test_a_freeing_member_serves_the_group_of_the_smallest_priority(priorities, first_served):
    # A, the only member of both groups, takes P1's call at 0 and frees at 100; by then
    # P1's caller of t=1 and P2's of t=2 wait: the smaller priority is served at 100,
    # whoever waited longer, the other at 200
    result = simulate(two_groups(["A"], ["A"], [0, 1], [2], priorities, numbers="A"), seed=0)
    served = {pilot: answer for pilot, arrival, _, answer in answers(result) if arrival > 0}
    assert served[first_served] == 100.0
    assert served["P2" if first_served == "P1" else "P1"] == 200.0
    assert result.calls["outcome"].tolist() == ["answered"] * 3


def test_equal_priorities_serve_the_longest_wait_in_the_group():
    # P2's caller (t=1) has waited longer than P1's (t=2): served first at 100
    result = simulate(two_groups(["A"], ["A"], [0, 2], [1], numbers="A"), seed=0)
    assert answers(result) == [("P1", 0.0, "A", 0.0), ("P2", 1.0, "A", 100.0),
                               ("P1", 2.0, "A", 200.0)]


def test_the_wait_counts_from_reaching_the_group():
    # P3's caller of t=1 waits for C (busy until 1000), times out after max_wait 29 s and
    # is forwarded to P1 at t=30; P2's caller of t=20 has waited longer in their group
    # when A frees at 100, so goes first, although the forwarded call arrived earlier
    scenario = two_groups(["A"], ["A"], [0], [20], numbers="AC")
    scenario["agents"][1]["talk_time"] = 1000
    scenario["hunt_groups"].append({
        "pilot": "P3", "members": ["C"], "when_all_busy": "queue", "max_wait": 29,
        "forward": {"to": "P1", "when": ["queue_timeout"]}, "arrivals": {"trace": [0, 1]}})
    result = simulate(scenario, seed=0)
    calls = result.calls
    p2 = calls[calls["group"] == "P2"].iloc[0]
    forwarded = calls[(calls["group"] == "P1") & (calls["dialed"] == "P3")].iloc[0]
    assert float(forwarded["arrival_s"]) == 1.0
    assert float(p2["answer_s"]) == 100.0
    assert float(forwarded["answer_s"]) == 200.0


def test_a_forwarded_call_queues_behind_the_callers_who_reached_the_group_before_it():
    # A (in P1 and P2, equal priorities) talks P1's call of t=0 until 100. P3's caller of
    # t=5 times out (max_wait 45 s) and is forwarded to P1 at t=50; P1's caller of t=10 and
    # P2's of t=30 reached their groups before that: served 10, 30, then the forwarded
    # call (it was served first, at the head of P1's queue by call id: 5, 30, 10)
    scenario = two_groups(["A"], ["A"], [0, 10], [30], numbers="AC")
    scenario["agents"][1]["talk_time"] = 1000
    scenario["hunt_groups"].append({
        "pilot": "P3", "members": ["C"], "when_all_busy": "queue", "max_wait": 45,
        "forward": {"to": "P1", "when": ["queue_timeout"]}, "arrivals": {"trace": [0, 5]}})
    scenario["duration"] = 31
    calls = simulate(scenario, seed=0).calls
    by_a = calls[calls["agent"] == "A"].sort_values("answer_s")
    assert [(str(c.dialed), float(c.arrival_s), float(c.answer_s))
            for c in by_a.itertuples()] == [
        ("P1", 0.0, 0.0), ("P1", 10.0, 100.0), ("P2", 30.0, 200.0), ("P3", 5.0, 300.0)]
    # in one group alike: the forwarded caller waits behind P1's caller of t=10
    del scenario["hunt_groups"][1]["arrivals"]
    calls = simulate(scenario, seed=0).calls
    by_a = calls[calls["agent"] == "A"].sort_values("answer_s")
    assert [(str(c.dialed), float(c.answer_s)) for c in by_a.itertuples()] == [
        ("P1", 0.0), ("P1", 100.0), ("P3", 200.0)]


def test_a_member_busy_on_one_groups_call_is_not_offered_the_others():
    # A takes P1's call at 0; P2's call at 1 hunts A then B (regular): A is busy (on
    # P1's call), so B is rung at once, and A is never offered it
    result = simulate(two_groups(["A"], ["A", "B"], [0], [1]), seed=0)
    assert answers(result) == [("P1", 0.0, "A", 0.0), ("P2", 1.0, "B", 1.0)]
    offers = result.offers
    assert offers[offers["agent"] == "A"]["call_id"].tolist() == [0]


def test_a_busy_shared_member_leaves_a_group_without_a_queue_all_busy():
    scenario = two_groups(["A"], ["A"], [0], [1], numbers="A", when_all_busy="busy",
                          voicemail=False)
    result = simulate(scenario, seed=0)
    assert result.calls["outcome"].tolist() == ["answered", "busy"]
    assert len(result.offers) == 1


def test_a_member_logged_out_is_out_for_both_groups_and_logging_in_serves_by_priority():
    # A is logged out until 09:00 (t = 3600): the calls of both groups wait; logging in
    # A serves P2's (priority 0) first although P1's waited longer, then P1's
    scenario = two_groups(["A"], ["A"], [0], [1], (1, 0), numbers="A")
    scenario["start"] = "mon 08:00"
    scenario["agents"][0]["schedule"] = ["mon 09:00-17:00"]
    scenario["duration"] = "2h"  # (callers still waiting at the end hang up then)
    result = simulate(scenario, seed=0)
    assert answers(result) == [("P1", 0.0, "A", 3700.0), ("P2", 1.0, "A", 3600.0)]
    assert result.offers["start_s"].min() == 3600.0


def test_a_direct_call_finds_a_member_busy_on_a_group_call_busy():
    scenario = two_groups(["A"], ["A"], [0], [], numbers="A")
    scenario["agents"][0]["direct_calls"] = {"trace": [1]}
    scenario["duration"] = 2
    result = simulate(scenario, seed=0)
    direct = result.calls[result.calls["kind"] == "direct"]
    assert direct["outcome"].tolist() == ["busy"]


@pytest.mark.parametrize("policy", ["fewest_calls", "least_talk_time", "uniform"])
def test_load_policies_count_the_members_calls_of_every_group(policy):
    # A takes P1's call at 0 (1 s of talk); P2's call at 10 goes to B, who has no calls:
    # A's call through P1 counts in P2 too (the member's load, and uniform's idle time)
    scenario = two_groups(["A", "B"], ["A", "B"], [0], [10], talk=1, policy=policy)
    result = simulate(scenario, seed=0)
    assert answers(result) == [("P1", 0.0, "A", 0.0), ("P2", 10.0, "B", 10.0)]


def test_circular_anchors_stay_per_group():
    # circular (answered): P1's answer by A moves P1's anchor only; P2 starts at A
    scenario = two_groups(["A", "B"], ["A", "B"], [0], [10], talk=1, policy="circular")
    result = simulate(scenario, seed=0)
    assert answers(result) == [("P1", 0.0, "A", 0.0), ("P2", 10.0, "A", 10.0)]


def test_a_shared_member_rings_at_their_position_in_the_calls_group():
    # B is second in P1 but first in P2: simultaneous ringing in P2 with nobody picking
    # up records offers to both; the group's positions decide the call's tried bits
    scenario = two_groups(["A", "B"], ["B", "A"], [], [0], policy="simultaneous",
                          when_all_busy="busy")
    for agent in scenario["agents"]:
        agent["answer_probability"] = 0.0
    result = simulate(scenario, seed=0)
    assert sorted(result.offers["agent"].tolist()) == ["A", "B"]
    assert result.calls["outcome"].tolist() == ["voicemail"]


def test_the_engine_builds_shared_dispatch_only_when_members_are_shared():
    plain = load_scenario(two_groups(["A"], ["B"], [0], [0]))
    assert Engine(plain, 0, CallLog(["A", "B"], ["P1", "P2"])).shared is None
    shared = load_scenario(two_groups(["A"], ["A", "B"], [0], [0]))
    engine = Engine(shared, 0, CallLog(["A", "B"], ["P1", "P2"]))
    assert engine.shared is not None
    assert engine.members[0].places == {0: 0, 1: 0}
    assert engine.members[1].places is None


# ------------------------------------------------------------------ validation
def test_a_shared_member_is_refused_by_default_naming_the_key():
    scenario = two_groups(["A"], ["A", "B"], [0], [0])
    del scenario["one_group_per_member"]
    with pytest.raises(ScenarioError) as error:
        load_scenario(scenario)
    assert "hunt_groups[1].members[0]" in str(error.value)
    assert "one_group_per_member" in str(error.value)


def test_a_shared_member_is_accepted_with_one_group_per_member_false():
    scenario = load_scenario(two_groups(["A"], ["A", "B"], [0], [0], (0, 1)))
    assert not scenario.one_group_per_member
    assert [g.priority for g in scenario.hunt_groups] == [0, 1]


def test_a_member_listed_twice_in_one_group_is_still_refused():
    with pytest.raises(ScenarioError, match=r"hunt_groups\[1\]\.members\[1\]: 'A' is listed "
                                            r"twice"):
        load_scenario(two_groups(["A"], ["A", "A"], [0], [0]))


def test_a_priority_that_changes_nothing_is_warned_about():
    result = simulate(two_groups(["A"], ["B"], [0], [0], (0, 1)), seed=0)
    warned = [w for w in result.warnings if "priority" in w]
    assert len(warned) == 2 and warned[1].startswith("hunt_groups[1].priority: 1 but")
    shared = simulate(two_groups(["A"], ["A", "B"], [0], [0], (0, 1)), seed=0)
    assert not [w for w in shared.warnings if "priority" in w]


def test_the_agents_table_names_every_group_of_a_shared_member():
    result = simulate(two_groups(["A"], ["A", "B"], [0], [1]), seed=0)
    assert result.agents["group"].tolist() == ["P1, P2", "P2"]
    assert result.agents["group_answered"].tolist() == [1, 1]


# ---------------------------------------------------------------------- theory
AHT = 180.0
REPLICATIONS = 12


def shared_pool(members: int, loads: tuple[float, float], queue: bool, hours: float,
                priorities: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    """Two groups listing the same members who answer at once (M/M/c), loads in Erlang."""
    numbers = [f"{100 + i}" for i in range(members)]
    return {
        "duration": f"{hours}h", "warmup": "2h", "one_group_per_member": False,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": f"{AHT}s"}},
        "agents": [{"number": n} for n in numbers],
        "hunt_groups": [{
            "pilot": pilot, "members": numbers, "policy": policy, "voicemail": True,
            "when_all_busy": "queue" if queue else "voicemail", "priority": priority,
            "arrivals": {"rate": f"{load / AHT}/s"}}
            for pilot, load, priority, policy in zip(("P1", "P2"), loads, priorities,
                                                     ("regular", "circular"), strict=True)],
    }


def test_two_groups_sharing_every_member_lose_erlang_b_of_the_merged_traffic():
    members, loads = 5, (2.0, 1.2)
    results = [simulate(shared_pool(members, loads, False, 150), seed=s)
               for s in range(REPLICATIONS)]
    expected = erlang_b(members, sum(loads))
    for pilot in ("P1", "P2"):
        lost = [float((r.calls[r.calls["group"] == pilot]["outcome"] == "voicemail").mean())
                for r in results]
        assert_in_interval(lost, expected, f"{pilot} blocking B({members}, {sum(loads)})")
    lost_all = [float((r.calls["outcome"] == "voicemail").mean()) for r in results]
    assert_in_interval(lost_all, expected, "blocking of the merged traffic")
    # one group alone with the same load would lose far less: the sharing matters
    assert erlang_b(members, loads[0]) < 0.5 * expected


def cobham_waits(members: int, loads: tuple[float, ...], aht: float) -> list[float]:
    """Mean waits in queue by class, M/M/c non-preemptive priority (Cobham 1954)."""
    total = sum(loads)
    base = erlang_c(members, total) * aht / members  # C(c, a) / (c mu)
    waits, sigma = [], 0.0
    for load in loads:
        before = sigma
        sigma += load / members
        waits.append(base / ((1 - before) * (1 - sigma)))
    return waits


def test_priority_waits_follow_cobhams_formula():
    members, loads = 5, (1.75, 1.75)
    results = [simulate(shared_pool(members, loads, True, 200, (0, 1)), seed=s)
               for s in range(REPLICATIONS)]
    expected = cobham_waits(members, loads, AHT)
    assert expected[1] > 2 * expected[0]  # the priority matters
    for pilot, wait in zip(("P1", "P2"), expected, strict=True):
        waits = [float(r.calls[r.calls["group"] == pilot]["wait_s"].mean()) for r in results]
        assert_in_interval(waits, wait, f"{pilot} mean wait (Cobham)")
    # work conservation: the load-weighted mean is the FCFS Erlang C wait
    overall = [float(r.calls["wait_s"].mean()) for r in results]
    fcfs = erlang_c(members, sum(loads)) * AHT / (members - sum(loads))
    assert_in_interval(overall, fcfs, "mean wait of both classes (Erlang C)")
