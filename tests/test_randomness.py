"""Seeds: the same seed repeats a run; policies share callers (common random numbers)."""

from __future__ import annotations

import numpy as np
from pandas.testing import assert_frame_equal

from huntsim import load_scenario, simulate

REAL_ESTATE = "scenarios/real_estate.yaml"


def test_same_seed_same_tables():
    first, second = simulate(REAL_ESTATE, seed=11), simulate(REAL_ESTATE, seed=11)
    assert_frame_equal(first.calls, second.calls)
    assert_frame_equal(first.offers, second.offers)
    assert_frame_equal(first.agents, second.agents)


def test_different_seed_different_tables():
    first, second = simulate(REAL_ESTATE, seed=11), simulate(REAL_ESTATE, seed=12)
    assert not first.calls["arrival_s"].equals(second.calls["arrival_s"])


def test_scenario_seed_is_used_and_recorded():
    scenario = load_scenario(REAL_ESTATE)
    assert simulate(scenario).seed == scenario.seed


def test_policies_see_the_same_callers():
    runs = [simulate(REAL_ESTATE, seed=3, policy=p)
            for p in ("regular", "circular", "simultaneous", "uniform")]
    arrivals = [r.calls[["kind", "dialed", "arrival_s"]].reset_index(drop=True) for r in runs]
    for other in arrivals[1:]:
        assert_frame_equal(arrivals[0], other)


def test_adding_a_member_does_not_change_the_others_draws():
    # The new member goes first in the agent list and in the group, so every
    # other member's position shifts: streams keyed by position would shift too.
    scenario = load_scenario(REAL_ESTATE)
    extra = scenario.agents[0].model_copy(update={"number": "555-0199", "name": "New"})
    group = scenario.hunt_groups[0]
    bigger = scenario.replace(
        agents=(extra, *scenario.agents),
        hunt_groups=(group.model_copy(update={"members": ("555-0199", *group.members)}),
                     *scenario.hunt_groups[1:]),
    )
    a, b = simulate(scenario, seed=4), simulate(bigger, seed=4)
    # the member really joined the group and takes pilot calls
    assert "555-0199" in set(b.calls.loc[b.calls["kind"] == "pilot", "agent"].astype(str))
    # every stream draws the same arrivals: the pilot's and each other agent's
    for dialed in ["555-0100", *(agent.number for agent in scenario.agents)]:
        before = a.calls.loc[a.calls["dialed"].astype(str) == dialed, "arrival_s"].to_numpy()
        after = b.calls.loc[b.calls["dialed"].astype(str) == dialed, "arrival_s"].to_numpy()
        assert len(before) > 0 and np.array_equal(before, after), dialed
    # and each caller keeps their own luck: everyone shares the talk, wrap-up and
    # patience distributions, so a caller answered (or who hung up) in both runs
    # talked, wrapped up (or waited) exactly as long in both
    both = a.calls.merge(b.calls, on=["kind", "dialed", "arrival_s"], suffixes=("", "_b"))
    assert len(both) == len(a.calls)
    answered = (both["outcome"] == "answered") & (both["outcome_b"] == "answered")
    assert answered.sum() > 100
    for column in ("talk_s", "wrap_up_s"):
        assert (both.loc[answered, column] == both.loc[answered, column + "_b"]).all(), column
    hung_up = (both["outcome"] == "abandoned") & (both["outcome_b"] == "abandoned")
    assert hung_up.sum() > 0
    assert (both.loc[hung_up, "end_s"] == both.loc[hung_up, "end_s_b"]).all()


def test_a_caller_meets_the_same_luck_under_every_sequential_policy():
    # identical members, calls far apart: whoever is rung first, the caller's
    # own random numbers decide whether the first, second... member picks up
    from helpers import office

    scenario = office(members=4, trace=[i * 1000.0 for i in range(200)], talk="2min",
                      answer_probability=0.5,
                      answer_delay={"dist": "uniform", "low": 1, "high": 9})
    runs = {p: simulate(scenario, seed=9, policy=p).calls
            for p in ("regular", "circular", "uniform", "weighted")}
    first = runs["regular"]
    assert first["outcome"].nunique() == 2  # some answered, some voicemail
    for calls in runs.values():
        assert calls["outcome"].tolist() == first["outcome"].tolist()
        assert calls["offers"].tolist() == first["offers"].tolist()
        assert calls["wait_s"].equals(first["wait_s"])
