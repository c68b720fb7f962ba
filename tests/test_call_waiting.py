"""Call waiting on members (``hunt_groups[].call_waiting``, ``call_waiting_answer``):
a group call that finds no member free may ring a member on a call; picked up, their
call is held for the new call's talk and wrap-up. Exact traces, validation, and a
check against theory over replications."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import assert_in_interval, office

from huntsim import ScenarioError, load_scenario, simulate
from huntsim.cli.main import main


def offers(result: Any) -> list[tuple[int, str, float, float, str, bool]]:
    table = result.offers
    waiting = (table["call_waiting"] if "call_waiting" in table
               else np.zeros(len(table), dtype=bool))
    return [(int(r.call_id), str(r.agent), float(r.start_s), float(r.end_s), str(r.result),
             bool(w)) for r, w in zip(table.itertuples(), waiting, strict=True)]


def calls(result: Any) -> list[tuple[Any, ...]]:
    """(call, outcome, agent, answer, talk, end, hold, held call) of each call."""
    table = result.calls
    rows = []
    for r in table.itertuples():
        hold = getattr(r, "hold_s", float("nan"))
        held = getattr(r, "held_call", None)
        rows.append((int(r.call_id), str(r.outcome),
                     str(r.agent) if isinstance(r.agent, str) else None,
                     None if np.isnan(r.answer_s) else float(r.answer_s),
                     None if np.isnan(r.talk_s) else float(r.talk_s), float(r.end_s),
                     None if np.isnan(hold) else float(hold),
                     None if held is None or pd.isna(held) else int(held)))
    return rows


def waiting_office(members: int = 1, trace: tuple[float, ...] = (0, 30), answer: float = 1,
                   wrap_up: float = 10, **group: Any) -> dict[str, Any]:
    """Members with talk 100 s, wrap-up 10 s, who pick up after 3 s; rings of 6 s."""
    scenario = office(members=members, trace=trace, talk=100, rings=2, answer_delay=3,
                      duration=max(trace) + 1, call_waiting=True,
                      call_waiting_answer=answer, **group)
    for agent in scenario["agents"]:
        agent["wrap_up"] = wrap_up
    return scenario


def test_a_second_call_is_answered_as_call_waiting_and_holds_the_first() -> None:
    # A answers call 0 at 3 s; call 1 at 30 s rings A as call waiting, picked up at 33 s:
    # call 0 holds for call 1's talk (100 s) and wrap-up (10 s), from 33 s to 143 s, then
    # goes on for its last 70 s (ends at 213 s) and is wrapped up until 223 s
    scenario = waiting_office()
    scenario["duration"] = 300  # (the agents table counts inside the run)
    result = simulate(scenario, seed=0)
    assert calls(result) == [
        (0, "answered", "A", 3.0, 100.0, 213.0, 110.0, None),
        (1, "answered", "A", 33.0, 100.0, 133.0, None, 0),
    ]
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "A", 30.0, 33.0, "answered", True)]
    agents = result.agents.set_index("agent")
    # talk 200 s, wrap-up 20 s and the first ring 3 s: each instant counted once
    assert agents.loc["A", "talk_s"] == 200.0
    assert agents.loc["A", "busy_s"] == 223.0
    assert agents.loc["A", "group_answered"] == 2
    totals = simulate(scenario, seed=0, keep="totals").agents.set_index("agent")
    assert totals.loc["A", "busy_s"] == 223.0
    assert totals.loc["A", "talk_s"] == 200.0


def test_a_call_waiting_not_picked_up_rings_out_to_voicemail() -> None:
    # call_waiting_answer 0: call 1 rings A (on call 0) for 2 rings (12 s), then the
    # pilot's voicemail; call 0 is not held
    scenario = waiting_office(answer=0)
    scenario["duration"] = 300
    result = simulate(scenario, seed=0)
    assert calls(result) == [
        (0, "answered", "A", 3.0, 100.0, 103.0, None, None),
        (1, "voicemail", None, None, None, 42.0, None, None),
    ]
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "A", 30.0, 42.0, "no_answer", True)]
    assert result.agents.set_index("agent").loc["A", "busy_s"] == 113.0


def test_without_call_waiting_the_same_call_gets_the_all_busy_treatment() -> None:
    scenario = waiting_office()
    del scenario["hunt_groups"][0]["call_waiting"], \
        scenario["hunt_groups"][0]["call_waiting_answer"]
    result = simulate(scenario, seed=0)
    assert [c[1] for c in calls(result)] == ["answered", "voicemail"]
    assert "hold_s" not in result.calls and "call_waiting" not in result.offers


def test_free_members_ring_before_members_on_a_call() -> None:
    # call 1 finds B free: B takes it, not A as call waiting; call 2 finds both on a
    # call: A (first in the order) as call waiting
    result = simulate(waiting_office(members=2, trace=(0, 10, 20)), seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "B", 10.0, 13.0, "answered", False),
                              (2, "A", 20.0, 23.0, "answered", True)]


def test_a_member_with_a_call_on_hold_is_not_offered_a_third() -> None:
    # at 60 s A talks call 1 with call 0 on hold: call 2 finds nobody, voicemail at once
    result = simulate(waiting_office(trace=(0, 30, 60)), seed=0)
    assert [c[1] for c in calls(result)] == ["answered", "answered", "voicemail"]
    assert calls(result)[2][5] == 60.0
    assert [o[0] for o in offers(result)] == [0, 1]


def test_a_member_in_wrap_up_is_not_offered_a_call_waiting() -> None:
    # call 0 ends at 103 s, wrap-up until 113 s: call 1 at 105 s finds nobody to ring
    result = simulate(waiting_office(trace=(0, 105)), seed=0)
    assert [c[1] for c in calls(result)] == ["answered", "voicemail"]
    assert len(result.offers) == 1


def test_a_call_waiting_stops_ringing_when_the_members_call_ends() -> None:
    # call 1 at 101 s rings A, who would pick up at 104 s; call 0 ends at 103 s first:
    # the call waiting stops then (no answer) and the caller gets voicemail
    result = simulate(waiting_office(trace=(0, 101)), seed=0)
    assert offers(result)[1] == (1, "A", 101.0, 103.0, "no_answer", True)
    assert calls(result)[1][:2] == (1, "voicemail")


def test_back_on_the_held_call_the_member_may_take_another_call_waiting() -> None:
    # call 1 holds call 0 from 33 s to 143 s; call 2 at 150 s is a call waiting again,
    # picked up at 153 s: call 0 holds again until 263 s, so it holds 220 s in all
    result = simulate(waiting_office(trace=(0, 30, 150)), seed=0)
    rows = calls(result)
    assert rows[0] == (0, "answered", "A", 3.0, 100.0, 323.0, 220.0, None)
    assert [r[7] for r in rows] == [None, 0, 0]


def test_a_queued_caller_is_offered_as_call_waiting_when_the_member_can_take_one() -> None:
    # call 2 (60 s) queues while A has call 0 on hold; back on call 0 at 143 s, A can take
    # a call waiting: call 2 rings at once, picked up at 146 s (held: 110 + 110 s)
    result = simulate(waiting_office(trace=(0, 30, 60), when_all_busy="queue"), seed=0)
    assert offers(result)[2] == (2, "A", 143.0, 146.0, "answered", True)
    rows = calls(result)
    assert rows[2][:4] == (2, "answered", "A", 146.0)
    assert rows[0][6] == 220.0


def test_the_lowest_penalty_on_a_call_is_offered_first() -> None:
    # A (penalty 1, first in the order) and B (penalty 0) both talk: call 2 rings B
    scenario = waiting_office(members=2, trace=(0, 10, 20))
    scenario["hunt_groups"][0]["members"] = [{"number": "A", "penalty": 1}, "B"]
    result = simulate(scenario, seed=0)
    assert [(o[1], o[5]) for o in offers(result)] == [("B", False), ("A", False), ("B", True)]


def test_direct_calls_to_a_member_on_a_call_are_busy_as_before() -> None:
    scenario = waiting_office(trace=(0,))
    scenario["agents"][0]["direct_calls"] = {"trace": [30]}
    scenario["duration"] = 31
    result = simulate(scenario, seed=0)
    direct = result.calls[result.calls["kind"] == "direct"]
    assert direct["outcome"].astype(str).tolist() == ["busy"]
    assert len(result.offers) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"call_waiting_answer": 0.5}, "hunt_groups[0].call_waiting_answer: 0.5 but call waiting"),
    ({"call_waiting": True, "policy": "simultaneous"},
     "hunt_groups[0].call_waiting: call waiting does not apply to the simultaneous"),
    ({"call_waiting": True, "policy": "staggered"},
     "hunt_groups[0].call_waiting: call waiting does not apply to the staggered"),
    ({"call_waiting": True, "call_waiting_answer": 1.5}, "hunt_groups[0].call_waiting_answer"),
])
def test_validation(change: dict[str, Any], message: str) -> None:
    scenario = office()
    scenario["hunt_groups"][0].update(change)
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_scenario(scenario)


def test_the_cli_refuses_call_waiting_answer_without_call_waiting(tmp_path: Any,
                                                                   capsys: Any) -> None:
    import yaml
    scenario = office()
    scenario["hunt_groups"][0]["call_waiting_answer"] = 0.5
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(scenario))
    assert main(["run", str(path)]) == 2
    assert "hunt_groups[0].call_waiting_answer" in capsys.readouterr().err


def test_the_default_answer_probability_is_0_3() -> None:
    scenario = load_scenario(waiting_office())
    data = copy.deepcopy(waiting_office())
    del data["hunt_groups"][0]["call_waiting_answer"]
    assert load_scenario(data).hunt_groups[0].waiting_answer == 0.3
    assert scenario.hunt_groups[0].waiting_answer == 1.0


# ------------------------------------------------------------- other policies
@pytest.mark.parametrize("policy", ["simultaneous", "staggered"])
def test_a_ring_all_policy_is_refused_for_a_group_with_call_waiting(policy: str) -> None:
    # as in the file: a run under another policy does not silently drop call waiting
    scenario = load_scenario(waiting_office())
    with pytest.raises(ScenarioError) as error:
        scenario.with_policy(policy)
    message = error.value.messages[0]
    assert f"policy: {policy!r} does not apply to hunt_groups[0] (PILOT)" in message
    assert "call_waiting" in message
    with pytest.raises(ScenarioError, match="call_waiting"):
        simulate(scenario, seed=0, policy=policy)
    # another group's policy may change
    assert scenario.with_policy(policy, pilots=[]).hunt_groups[0].policy == "regular"


def test_compare_leaves_out_simultaneous_for_a_group_with_call_waiting_and_says_so() -> None:
    from huntsim import compare
    from huntsim.experiments.comparison import DEFAULT_POLICIES, default_policies

    scenario = load_scenario(waiting_office(trace=(0, 10, 20, 30)))
    assert default_policies(scenario) == ("regular", "circular", "uniform")
    plain = load_scenario(office())
    assert default_policies(plain) == DEFAULT_POLICIES
    comparison = compare(scenario, replications=2, seed=1, jobs=1)
    assert comparison.policies == ("regular", "circular", "uniform")
    assert set(comparison.table["policy"]) == {"regular", "circular", "uniform"}
    assert any(w.startswith("simultaneous not compared: hunt_groups[0] (PILOT) has "
                            "call_waiting") for w in comparison.warnings)
    assert not any("not compared" in w for w in compare(plain, replications=2, seed=1,
                                                        jobs=1).warnings)


def test_the_cli_compare_on_a_group_with_call_waiting(tmp_path: Any, capsys: Any) -> None:
    import yaml
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(waiting_office(trace=(0, 10, 20, 30))))
    common = ["--replications", "2", "--seed", "1", "--jobs", "1", "--quiet"]
    assert main(["compare", str(path), *common]) == 0
    out, err = capsys.readouterr()
    assert "warning: simultaneous not compared: hunt_groups[0] (PILOT)" in err
    assert "Circular" in out and "Simultaneous" not in out
    assert "Traceback" not in err
    # asked for by name: refused, naming the group and the key
    assert main(["compare", str(path), "--policies", "regular,simultaneous", *common]) == 2
    err = capsys.readouterr().err
    assert "'simultaneous' does not apply to hunt_groups[0] (PILOT)" in err
    assert "call_waiting" in err and "Traceback" not in err
    assert main(["run", str(path), "--policy", "staggered"]) == 2
    assert "'staggered' does not apply" in capsys.readouterr().err


# ------------------------------------------------------------------ theory
def _one_member(seed_hours: float = 200) -> dict[str, Any]:
    """One member who always picks up at once (call waiting too), exponential talk of
    mean 180 s, offered 0.5 Erlang; all busy: busy, no answer: voicemail."""
    return {
        "duration": f"{seed_hours}h",
        "warmup": "1h",
        "agents": [{"number": "A", "talk_time": {"dist": "exponential", "mean": "180s"}}],
        "hunt_groups": [{"pilot": "P", "members": ["A"], "voicemail": True,
                         "when_all_busy": "busy", "call_waiting": True,
                         "call_waiting_answer": 1, "arrivals": {"rate": "10/h"}}],
    }


def test_with_certain_call_waiting_one_member_serves_two_calls_at_most() -> None:
    # One member who always takes a call waiting and never a third: a single server
    # with room for two calls, served last come first (preemptive resume), whose
    # blocking is M/M/1/2's: rho^2 / (1 + rho + rho^2) (insensitive to the order)
    rho = 0.5
    expected = rho**2 / (1 + rho + rho**2)
    blocked = []
    for seed in range(12):
        result = simulate(_one_member(), seed=seed)
        table = result.calls
        outcomes = table["outcome"].astype(str)
        # answered + lost = arrivals: every call has one outcome, none is left out
        assert outcomes.isin(["answered", "busy", "voicemail"]).all()
        assert (outcomes == "answered").sum() + outcomes.isin(["busy", "voicemail"]).sum() \
            == len(table)
        assert not (outcomes == "voicemail").any()  # a call waiting is always taken
        # nobody reaches the all-busy treatment while the member is on a single call:
        # each busy call arrives while a call answered as call waiting is on
        waiting = table[table["held_call"].notna()]
        starts = waiting["answer_s"].to_numpy()
        ends = (waiting["end_s"] + waiting["wrap_up_s"]).to_numpy()
        for t in table.loc[outcomes == "busy", "arrival_s"]:
            assert ((starts <= t) & (ends > t)).any(), t
        blocked.append(float((outcomes == "busy").mean()))
    assert_in_interval(blocked, expected, "share of callers who find the member busy")


def test_a_penalty_joining_offers_call_waiting_to_its_member_on_a_call() -> None:
    # A (penalty 0) answers call 0 at 3 s and call 2 (10 s) as call waiting at 13 s
    # (call 0 held); B (penalty 1) talks on a direct call (call 1) from 3 s. Call 3 (20 s)
    # finds nobody: A holds a call, B's penalty joins only at 20 + 30 s. Then B, on a
    # call, is offered call 3 as call waiting (as a hunt at that instant would), picked
    # up at 53 s (not rung when B is free, at 113 s)
    scenario = waiting_office(members=2, trace=(0, 10, 20), when_all_busy="queue",
                              penalty_wait="30s")
    scenario["hunt_groups"][0]["members"] = ["A", {"number": "B", "penalty": 1}]
    scenario["agents"][1]["direct_calls"] = {"trace": [0]}
    result = simulate(scenario, seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "B", 0.0, 3.0, "answered", False),
                              (2, "A", 10.0, 13.0, "answered", True),
                              (3, "B", 50.0, 53.0, "answered", True)]
    assert calls(result)[3][:4] == (3, "answered", "B", 53.0)


def _seed_where(scenario: dict[str, Any], wanted: list[tuple[Any, ...]]) -> Any:
    for seed in range(200):
        result = simulate(scenario, seed=seed)
        if offers(result) == wanted:
            return result
    raise AssertionError(f"no seed gives {wanted}")


def test_a_new_round_offers_call_waiting_again_as_at_arrival() -> None:
    # A talks call 0 from 3 s to 103 s. Call 1 (30 s) rings A as call waiting, not
    # picked up (30-42 s): the round is over. The next round begins at 47 s (rering
    # 5 s) with A still on call 0: call 1 rings A as call waiting again, picked up at
    # 50 s (a seed where the first does not pick up and the second does)
    scenario = waiting_office(trace=(0, 30), answer=0.5, when_all_busy="queue",
                              max_wait=200, rering=5)
    _seed_where(scenario, [(0, "A", 0.0, 3.0, "answered", False),
                           (1, "A", 30.0, 42.0, "no_answer", True),
                           (1, "A", 47.0, 50.0, "answered", True)])


# ------------------------------------- a call waiting not taken leaves the caller waiting
def test_a_queued_caller_whose_call_waiting_rings_out_waits_for_the_member() -> None:
    # A talks call 0 from 3 s to 103 s (wrap-up until 113 s). Call 1 (30 s) rings A as
    # call waiting, not picked up (30-42 s): that is not A's one offer of the call, so
    # the caller waits in the queue (not the no-answer treatment) and A, free at 113 s,
    # is rung for it as usual and picks up at 116 s
    result = simulate(waiting_office(trace=(0, 30), answer=0, when_all_busy="queue"),
                      seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "A", 30.0, 42.0, "no_answer", True),
                              (1, "A", 113.0, 116.0, "answered", False)]
    assert calls(result)[1][:4] == (1, "answered", "A", 116.0)


def test_each_member_is_offered_a_call_as_call_waiting_once() -> None:
    # Calls 1 (30 s) and 2 (60 s) each ring A (on call 0) as call waiting once, not
    # picked up, and wait. Free at 113 s A takes call 1 (first come); talking on it from
    # 116 s A could take a call waiting, but has had call 2 as one: call 2 waits until A
    # is free again (116 + 100 + 10 = 226 s) and is rung then
    result = simulate(waiting_office(trace=(0, 30, 60), answer=0, when_all_busy="queue"),
                      seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),  # (by call)
                              (1, "A", 30.0, 42.0, "no_answer", True),
                              (1, "A", 113.0, 116.0, "answered", False),
                              (2, "A", 60.0, 72.0, "no_answer", True),
                              (2, "A", 226.0, 229.0, "answered", False)]
    assert [c[:2] for c in calls(result)] == [(0, "answered"), (1, "answered"),
                                              (2, "answered")]


def test_a_full_queue_still_turns_away_a_caller_whose_call_waitings_rang_out() -> None:
    # max_queue 0: call 1 finds A on a call, rings A as call waiting (not picked up),
    # and then gets what a caller finding everyone busy gets with a full queue: the
    # all-busy treatment (busy, the pilot having no voicemail), as without call waiting
    scenario = waiting_office(trace=(0, 30), answer=0, when_all_busy="queue", max_queue=0)
    scenario["hunt_groups"][0]["voicemail"] = False
    result = simulate(scenario, seed=0)
    assert calls(result)[1][:2] == (1, "busy")
    assert offers(result)[1] == (1, "A", 30.0, 42.0, "no_answer", True)
    del scenario["hunt_groups"][0]["call_waiting"]
    del scenario["hunt_groups"][0]["call_waiting_answer"]
    assert calls(simulate(scenario, seed=0))[1][:2] == (1, "busy")


def test_call_waitings_that_ring_out_end_in_the_all_busy_treatment() -> None:
    # No queue: when_all_busy busy, the pilot has voicemail. Call 1 finds A on a call and
    # rings A as call waiting, not picked up: every member was busy, so the caller gets
    # the all-busy treatment (busy), as without call waiting, not the no-answer one
    scenario = waiting_office(trace=(0, 30), answer=0, when_all_busy="busy")
    result = simulate(scenario, seed=0)
    assert calls(result)[1][:2] == (1, "busy")
    assert calls(result)[1][5] == 42.0


def test_a_forward_on_all_busy_takes_a_call_whose_call_waitings_rang_out() -> None:
    # the group forwards all-busy calls out of the office: so does a call that rang only
    # members on a call, as call waiting, and was not picked up
    scenario = waiting_office(trace=(0, 30), answer=0)
    scenario["hunt_groups"][0]["forward"] = {"when": ["all_busy"], "to": "5550000",
                                             "outside": True}
    result = simulate(scenario, seed=0)
    assert calls(result)[1][:2] == (1, "forwarded")


def test_a_call_a_free_member_let_ring_out_gets_the_no_answer_treatment() -> None:
    # B is free but never answers: call 1 rings B (30-42 s), then A on a call as call
    # waiting (42-54 s): a free member let it ring out, so the no-answer treatment
    # (the pilot's voicemail), whatever when_all_busy says
    scenario = waiting_office(members=2, trace=(0, 30), answer=0, when_all_busy="busy")
    scenario["agents"][1]["answer_probability"] = 0
    result = simulate(scenario, seed=0)
    assert offers(result)[1:] == [(1, "B", 30.0, 42.0, "no_answer", False),
                                  (1, "A", 42.0, 54.0, "no_answer", True)]
    assert calls(result)[1][:2] == (1, "voicemail")


def test_a_call_waiting_let_ring_out_is_not_a_miss_for_after_missed() -> None:
    # A goes not ready after one missed ring (after_missed count 1): the call waiting
    # of call 1 that A lets ring out (30-42 s) is not one (A was on a call), so A, free
    # at 113 s, is rung for call 1 at once, not after a not-ready spell
    scenario = waiting_office(trace=(0, 30), answer=0, when_all_busy="queue")
    scenario["agents"][0]["after_missed"] = {"count": 1, "away": "60s"}
    result = simulate(scenario, seed=0)
    assert offers(result)[2] == (1, "A", 113.0, 116.0, "answered", False)
    assert result.absences is not None
    assert not (result.absences["reason"].astype(str) == "not_ready").any()


def test_the_agents_table_counts_call_waitings_let_ring_apart() -> None:
    # Call 1 rings B, free but never answering (10-22 s: a ring let ring out), then A,
    # on call 0, as call waiting (22-34 s: a call waiting let ring, counted apart), and
    # waits for A, free at 113 s
    scenario = waiting_office(members=2, trace=(0, 10), answer=0, when_all_busy="queue")
    scenario["agents"][1]["answer_probability"] = 0
    scenario["duration"] = 500
    result = simulate(scenario, seed=0)
    assert offers(result)[1:] == [(1, "B", 10.0, 22.0, "no_answer", False),
                                  (1, "A", 22.0, 34.0, "no_answer", True),
                                  (1, "A", 113.0, 116.0, "answered", False)]
    for keep in ("calls", "totals"):
        agents = simulate(scenario, seed=0, keep=keep).agents.set_index("agent")
        assert agents.loc["A", ["offers_missed", "call_waiting_missed"]].tolist() == [0, 1]
        assert agents.loc["B", ["offers_missed", "call_waiting_missed"]].tolist() == [1, 0]
    from huntsim.views.console import agents_text
    assert "Call waitings" in agents_text(result.agents)
    plain = simulate(waiting_office(trace=(0,)), seed=0).agents
    assert "call_waiting_missed" in plain and "Call waitings" not in agents_text(plain)


def test_a_comparisons_members_table_counts_call_waitings_let_ring_in_such_a_group() -> None:
    # before: members.csv (Comparison.members) had offers_missed but not call_waiting_missed
    from huntsim import compare
    scenario = waiting_office(members=2, trace=(0, 10), answer=0, when_all_busy="queue")
    scenario["agents"][1]["answer_probability"] = 0
    scenario["duration"] = 500
    members = compare(scenario, ["regular"], replications=2, jobs=1).members
    missed = members[members["metric"].isin(["offers_missed", "call_waiting_missed"])]
    assert missed.set_index(["agent", "metric"])["mean"].to_dict() == {
        ("A", "offers_missed"): 0, ("A", "call_waiting_missed"): 1,
        ("B", "offers_missed"): 1, ("B", "call_waiting_missed"): 0}
    plain = compare(office(), ["regular"], replications=2, jobs=1).members
    assert "offers_missed" in set(plain["metric"])
    assert "call_waiting_missed" not in set(plain["metric"])


# ------------------------------------------------- members in several groups
def _shared(first: dict[str, Any], trace: tuple[float, ...] = (0, 30),
            **group: Any) -> dict[str, Any]:
    """A and B; the call-waiting group (pilot PILOT, calls at ``trace``) is listed after
    ``first``, a group of A's without call waiting: A's first group is not it."""
    scenario = waiting_office(members=2, trace=trace, **group)
    scenario["one_group_per_member"] = False
    scenario["hunt_groups"].insert(0, {"pilot": "P1", "arrivals": {"trace": []}, **first})
    return scenario


def test_a_member_whose_first_group_has_no_call_waiting_takes_a_call_waiting() -> None:
    # A is at position 1 in P1 and 0 in PILOT (call waiting): call 1 rings A, on call 0,
    # as call waiting at A's place in PILOT (picked up at 33 s)
    scenario = _shared({"members": ["B", "A"]})
    scenario["hunt_groups"][1]["members"] = ["A"]
    result = simulate(scenario, seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "A", 30.0, 33.0, "answered", True)]


def test_a_queued_caller_is_offered_as_call_waiting_to_a_member_of_several_groups() -> None:
    # as test_a_queued_caller_is_offered_as_call_waiting_when_the_member_can_take_one,
    # with A's first group P1 (no call waiting, no queue)
    scenario = _shared({"members": ["B", "A"]}, trace=(0, 30, 60), when_all_busy="queue")
    scenario["hunt_groups"][1]["members"] = ["A"]
    result = simulate(scenario, seed=0)
    # call 2 (60 s) queues while A has call 0 on hold; back on call 0 at 143 s, A is
    # offered call 2 as call waiting at once (PILOT's queue, not P1's)
    assert offers(result)[2] == (2, "A", 143.0, 146.0, "answered", True)


def test_a_policy_hears_of_calls_its_member_of_several_groups_answers() -> None:
    # PILOT (fewest_calls, call waiting) is A's second group: A answers call 0 through
    # it, so call 1 (200 s, both free) goes to B, who has answered fewer
    scenario = _shared({"members": ["A"]}, trace=(0, 200), policy="fewest_calls")
    scenario["duration"] = 400
    result = simulate(scenario, seed=0)
    assert [(o[0], o[1]) for o in offers(result)] == [(0, "A"), (1, "B")]


def test_no_call_waiting_at_the_instant_the_members_call_ends() -> None:
    # A talks call 0 from 0 to 60 s. Call 1 (55 s) rings B, whose schedule ends at 60 s:
    # the ring stops then (presence phase) and call 1 hunts on before A's talk ends in
    # the free-up phase at 60 s. A's call is over: no call waiting (it put call 0 on hold
    # with 0 s of talk left, end 60 -> 120 s; or a 0 s ring that took A's try), call 1
    # queues and A, free at 60 s, rings for it as usual, as without call waiting
    for delay in (0, 3):
        scenario = office(members=2, trace=[0, 55], talk=60 - delay, answer_delay=delay,
                          when_all_busy="queue", duration=70, call_waiting=True,
                          call_waiting_answer=1,
                          agents={"B": {"answer_probability": 0,
                                        "schedule": ["mon 00:00-00:01"]}})
        scenario["start"] = "mon 00:00"
        result = simulate(scenario, seed=0)
        assert calls(result) == [
            (0, "answered", "A", delay, 60 - delay, 60.0, None, None),
            (1, "answered", "A", 60.0 + delay, 60 - delay, 120.0, None, None)], delay
        assert offers(result) == [
            (0, "A", 0.0, delay, "answered", False),
            (1, "B", 55.0, 60.0, "no_answer", False),
            (1, "A", 60.0, 60.0 + delay, "answered", False)], delay


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_a_talk_of_no_length_takes_no_call_waiting(keep: str) -> None:
    # A (talk 0 s, picks up after 3 s) answers call 0 at 3 s; the call at 1 s, queued,
    # was rung as call waiting for 0 s during that 0 s talk (no answer, A's try used:
    # rung again, marked call waiting) and the running totals counted A busy 6 s where
    # the full records had 3 s. Now A rings for it after the talk, as without call waiting
    scenario = office(members=1, trace=[0, 1], talk=0, answer_delay=3, when_all_busy="queue",
                      max_wait=60, rering=0, duration=30, call_waiting=True,
                      call_waiting_answer=1)
    result = simulate(scenario, seed=0, keep=keep)
    agent = result.agents.iloc[0]
    assert (agent["busy_s"], agent["occupancy"], agent["offers"]) == (6.0, 0.2, 2)
    if keep == "calls":
        assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                                  (1, "A", 3.0, 6.0, "answered", False)]
        assert [c[:6] for c in calls(result)] == [(0, "answered", "A", 3.0, 0.0, 3.0),
                                                   (1, "answered", "A", 6.0, 0.0, 6.0)]


def test_call_waiting_rings_the_member_at_their_place_in_the_calls_group() -> None:
    # (trial-edges 1, a regression guard) P1 lists [B, A], PILOT [A, B] with call
    # waiting; B is logged out all run: call 1 rings A, on call 0, as call waiting, never B
    scenario = _shared({"members": ["B", "A"]})
    scenario["hunt_groups"][1]["members"] = ["A", "B"]
    scenario["start"] = "mon 00:00"
    scenario["agents"][1]["schedule"] = ["sun 10:00-11:00"]
    result = simulate(scenario, seed=0)
    assert offers(result) == [(0, "A", 0.0, 3.0, "answered", False),
                              (1, "A", 30.0, 33.0, "answered", True)]


def test_call_waiting_in_one_group_leaves_the_others_load_counting_alone() -> None:
    # (trial-edges 2, a regression guard) P1 has call waiting, PILOT is fewest_calls
    # (no call waiting), both list [A, B]: PILOT's calls alternate A, B, A, B
    scenario = _shared({"members": ["A", "B"], "call_waiting": True,
                        "call_waiting_answer": 0.5}, trace=(0, 200, 400, 600),
                       policy="fewest_calls")
    group = scenario["hunt_groups"][1]
    del group["call_waiting"], group["call_waiting_answer"]
    scenario["duration"] = 700
    calls = simulate(scenario, seed=0).calls
    assert calls.sort_values("call_id")["agent"].tolist() == ["A", "B", "A", "B"]


@pytest.mark.parametrize("first", [True, False])
def test_a_queued_caller_is_offered_call_waiting_whichever_group_is_listed_first(
        first: bool) -> None:
    # (trial-edges 3, a regression guard) A is in P1 (queue) and PILOT (queue, call
    # waiting). P1's call at 0 rings A, picked up at 3 s; PILOT's call at 1 s finds A
    # ringing and queues; at 3 s A talks and is offered it as call waiting (3 to 6 s),
    # whether P1 is listed before PILOT or after it
    scenario = _shared({"members": ["A"], "when_all_busy": "queue",
                        "arrivals": {"trace": [0]}}, trace=(1,), when_all_busy="queue")
    scenario["hunt_groups"][1]["members"] = ["A"]
    if not first:
        scenario["hunt_groups"].reverse()
    calls = simulate(scenario, seed=0).calls.set_index("group")
    assert float(calls.loc["PILOT", "answer_s"]) == 6.0
