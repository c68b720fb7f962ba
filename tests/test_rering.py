"""Re-ringing rounds (``hunt_groups[].rering``): Asterisk's ringall queue rings every
member again after each round nobody answered, until ``max_wait`` runs out."""

from __future__ import annotations

import pytest
from helpers import office

from huntsim import ScenarioError, load_scenario, simulate


def offers(result) -> list[tuple[str, float, float, str]]:
    return sorted((str(r.agent), float(r.start_s), float(r.end_s), str(r.result))
                  for r in result.offers.itertuples())


def ring_all(**group) -> dict:
    return office(policy="simultaneous", answer_probability=0, when_all_busy="queue",
                  max_wait=40, **group)


def test_ring_all_rounds_repeat_after_rering_until_max_wait() -> None:
    result = simulate(ring_all(rering=5), seed=0)
    # rounds of 12 s (2 rings of 6 s) from 0, 17 and 34; max_wait cuts the third at 40
    assert offers(result) == sorted(
        (m, start, end, "no_answer") for m in "ABC"
        for start, end in ((0.0, 12.0), (17.0, 29.0), (34.0, 40.0)))
    call = result.calls.iloc[0]
    assert (call["outcome"], call["offers"], call["end_s"]) == ("voicemail", 9, 40.0)


def test_without_rering_one_round_then_the_no_answer_treatment() -> None:
    result = simulate(ring_all(), seed=0)
    assert result.calls.iloc[0]["end_s"] == 12.0
    assert len(result.offers) == 3


def test_rering_at_once_and_in_turn_under_a_sequential_policy() -> None:
    scenario = office(members=2, policy="regular", rings=1, answer_probability=0,
                      when_all_busy="queue", max_wait=30, rering=0)
    result = simulate(scenario, seed=0)
    assert [(a, s, e) for a, s, e, _ in offers(result)] == [
        ("A", 0.0, 6.0), ("A", 12.0, 18.0), ("A", 24.0, 30.0),
        ("B", 6.0, 12.0), ("B", 18.0, 24.0)]
    assert result.calls.iloc[0]["end_s"] == 30.0


def test_a_caller_hangs_up_between_rounds() -> None:
    scenario = ring_all(rering=5)
    scenario["caller_patience"] = 15
    result = simulate(scenario, seed=0)
    call = result.calls.iloc[0]
    assert (call["outcome"], call["end_s"], call["offers"]) == ("abandoned", 15.0, 3)


def test_a_member_freeing_between_rounds_takes_the_caller() -> None:
    # A takes call 0 at 1 s and is free at 16; call 1 (at 2) rings B and C 2-14, then
    # waits for its next round (19); A, not rung this round, takes it at 16 + 1 s
    scenario = ring_all(rering=5, trace=[0, 2], talk=15,
                        agents={"A": {"answer_probability": 1, "answer_delay": 1}})
    result = simulate(scenario, seed=0)
    assert result.calls["agent"].tolist() == ["A", "A"]
    assert result.calls["wait_s"].tolist() == [1.0, 15.0]
    assert ("A", 16.0, 17.0, "answered") in offers(result)
    assert [o for o in offers(result) if o[0] != "A" and o[1] > 0] == [
        ("B", 2.0, 14.0, "no_answer"), ("C", 2.0, 14.0, "no_answer")]


@pytest.mark.parametrize("group, message", [
    ({"rering": 5}, "hunt_groups[0].rering: only applies to a queue"),
    ({"rering": 5, "when_all_busy": "queue"}, "hunt_groups[0].rering: needs max_wait"),
    ({"rering": -1, "when_all_busy": "queue", "max_wait": 30}, "rering"),
])
def test_rering_needs_a_queue_and_max_wait(group, message) -> None:
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_scenario(office(**group))


def test_each_round_draws_its_pick_ups_afresh() -> None:
    # a round nobody answered (chance 0.7 ** 3 = 0.34) is followed by up to 14 more
    # before max_wait: nearly every such call is answered in a later round, none would be
    # if the rounds repeated the first round's draws
    scenario = office(policy="simultaneous", answer_probability=0.3, when_all_busy="queue",
                      max_wait=200, rering=1, trace=[i * 1000.0 for i in range(400)], talk=1)
    calls = simulate(scenario, seed=3).calls
    later = calls[calls["offers"] > 3]
    assert 100 < len(later) < 180  # 400 x 0.34 = 137
    assert (later["outcome"] == "answered").mean() > 0.95
