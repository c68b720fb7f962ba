"""The ACD hunt policies of issue 22: ``fewest_calls``, ``least_talk_time``, ``random``.

Exact traces on tiny deterministic offices (listed arrival times, constant talk
times, members who always or never answer), as in ``test_traces.py``; the
random order against its distribution; the load spread against theory.

When the counters move: a group call counts for ``fewest_calls`` (one call)
and ``least_talk_time`` (its whole talk time, wrap-up not included) at the
instant the member answers it, not when it ends. Calls to a member's own
number (direct calls) never count, nor do rings that were not answered.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from helpers import assert_in_interval, loss_system, office
from pandas.testing import assert_frame_equal
from scipy import stats

from huntsim import compare, simulate
from huntsim.analysis.catalog import policy_label
from huntsim.analysis.fairness import fairness
from huntsim.analysis.theory import erlang_b
from huntsim.scenario.model import POLICIES
from huntsim.sim.policies import FewestCallsHunt, LeastTalkTimeHunt, RandomHunt

NEW = ("fewest_calls", "least_talk_time", "random")


def answerers(result) -> list[str | None]:
    pilot = result.calls[result.calls["kind"] == "pilot"]
    return [None if pd.isna(a) else str(a) for a in pilot["agent"]]


def offers_of(result, call_id: int) -> list[tuple[str, float, float, str]]:
    rows = result.offers[result.offers["call_id"] == call_id]
    return [(str(r.agent), float(r.start_s), float(r.end_s), str(r.result))
            for r in rows.itertuples()]


# ------------------------------------------------------------------ names
def test_the_new_policies_are_named_everywhere():
    assert set(NEW) <= set(POLICIES)
    assert [policy_label(p) for p in NEW] == ["Fewest calls", "Least talk time", "Random"]


def test_compare_does_not_run_them_unless_asked_or_configured():
    from huntsim.experiments.comparison import DEFAULT_POLICIES, default_policies
    from huntsim.scenario.model import load_scenario

    assert not set(NEW) & set(DEFAULT_POLICIES)
    own = load_scenario(office(policy="fewest_calls"))
    assert default_policies(own) == (*DEFAULT_POLICIES, "fewest_calls")


# ------------------------------------------------------------------ fewest_calls
def test_fewest_calls_ties_go_to_list_order():
    result = simulate(office(policy="fewest_calls", trace=[0, 100, 200, 300], talk=10), seed=0)
    assert answerers(result) == ["A", "B", "C", "A"]


def test_fewest_calls_lets_a_member_who_missed_calls_catch_up():
    # A is on a direct call 0-300 s (which does not count) while B and C take
    # two group calls each; from 400 s A has the fewest and takes two in a row
    # (circular and uniform would give the 800 s call to B).
    scenario = office(policy="fewest_calls", trace=[100, 150, 200, 250, 400, 800], talk=10,
                      duration=1200, agents={"A": {"talk_time": 300,
                                                   "direct_calls": {"trace": [0]}}})
    assert answerers(simulate(scenario, seed=0)) == ["B", "C", "B", "C", "A", "A"]
    for policy in ("circular", "uniform"):
        other = simulate({**scenario, "hunt_groups": [
            {**scenario["hunt_groups"][0], "policy": policy}]}, seed=0)
        assert answerers(other)[-1] == "B"


@pytest.mark.parametrize("policy", ["fewest_calls", "least_talk_time"])
def test_direct_calls_do_not_count(policy):
    # A answers group calls at 0 and (if direct calls do not count) at 300 s;
    # the direct calls at 50, 150 and 250 s would otherwise put A last.
    scenario = office(policy=policy, trace=[0, 100, 200, 300], talk=10, duration=301,
                      agents={"A": {"direct_calls": {"trace": [50, 150, 250]}}})
    result = simulate(scenario, seed=0)
    assert (result.calls["kind"] == "direct").sum() == 3
    assert answerers(result) == ["A", "B", "C", "A"]


@pytest.mark.parametrize("policy", ["fewest_calls", "least_talk_time"])
def test_a_call_counts_when_it_is_answered_not_when_it_ends(policy):
    # A and C never answer; B takes the first call at 12 s (after A's time-out),
    # talking until 27 s. The second call's order is drawn at 20 s, while B is
    # still talking: B's call already counts, so B comes last (A, C, B) and
    # answers at 44 s. Counted at the end, B would come second and answer at 32 s.
    scenario = office(policy=policy, trace=[0, 20], talk=15, duration=100,
                      agents={"A": {"answer_probability": 0}, "C": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    assert offers_of(result, 0) == [("A", 0.0, 12.0, "no_answer"), ("B", 12.0, 12.0, "answered")]
    assert offers_of(result, 1) == [("A", 20.0, 32.0, "no_answer"),
                                    ("C", 32.0, 44.0, "no_answer"),
                                    ("B", 44.0, 44.0, "answered")]


def test_unanswered_rings_do_not_count():
    # A never answers: under fewest_calls A stays first in the order and is
    # rung first on every call, as under uniform.
    scenario = office(policy="fewest_calls", trace=[0, 100, 200], talk=10,
                      agents={"A": {"answer_probability": 0}})
    result = simulate(scenario, seed=0)
    assert answerers(result) == ["B", "C", "B"]
    first = result.offers.groupby("call_id")["agent"].first().astype(str).tolist()
    assert first == ["A", "A", "A"]


# ------------------------------------------------------------------ least_talk_time
def test_least_talk_time_weighs_the_talk_not_the_calls():
    # A's 100 s call outweighs B's and C's 10 s ones: B and C take turns while A
    # waits; fewest_calls would give A the fourth call.
    agents = {"A": {"talk_time": 100}}
    trace = [0, 200, 300, 400, 500]
    talk = simulate(office(policy="least_talk_time", trace=trace, talk=10, agents=agents), seed=0)
    assert answerers(talk) == ["A", "B", "C", "B", "C"]
    calls = simulate(office(policy="fewest_calls", trace=trace, talk=10, agents=agents), seed=0)
    assert answerers(calls) == ["A", "B", "C", "A", "B"]


def test_least_talk_time_leaves_wrap_up_out():
    # A talks 10 s with 500 s of wrap-up, B talks 20 s: by talk time A is still
    # first at 1000 s (A 10 s, B 20 s), though A was busy far longer.
    scenario = office(members=2, policy="least_talk_time", trace=[0, 100, 1000], talk=20,
                      agents={"A": {"talk_time": 10, "wrap_up": 500}})
    assert answerers(simulate(scenario, seed=0)) == ["A", "B", "A"]


def test_the_counters_follow_answers_only():
    fewest = FewestCallsHunt(3)
    for position in (0, 0, 2):
        fewest.answered(position, 1)
    assert list(fewest.order()) == [1, 2, 0]
    talk = LeastTalkTimeHunt(3)
    for position, ticks in ((0, 5), (1, 9), (2, 5)):
        talk.answered(position, ticks)
    assert list(talk.order()) == [0, 2, 1]


# ------------------------------------------------------------------ random
def _orders(seed: int, calls: int = 1500) -> list[tuple[str, ...]]:
    """The order in which 3 never-answering members were rung, call by call."""
    scenario = office(policy="random", trace=[100.0 * i for i in range(calls)],
                      answer_probability=0)
    offers = simulate(scenario, seed=seed).offers
    return [tuple(map(str, g["agent"])) for _, g in offers.groupby("call_id", sort=True)]


def test_random_is_the_same_for_the_same_seed_and_differs_between_seeds():
    assert _orders(3, 200) == _orders(3, 200)
    assert _orders(3, 200) != _orders(4, 200)


def test_random_gives_the_same_result_serially_and_in_processes():
    scenario = loss_system(4, 2.0, "random", hours=20)
    serial = compare(scenario, ["random", "regular"], replications=2, seed=5, jobs=1)
    parallel = compare(scenario, ["random", "regular"], replications=2, seed=5, jobs=2)
    assert_frame_equal(serial.raw, parallel.raw)


def test_random_orders_are_uniform_over_the_permutations():
    # Every member is free for every call and nobody answers, so each call
    # rings all three in the policy's order: each of the 3! orders should come
    # up equally often. Pearson's statistic, summed over independent seeds, is
    # chi-square with 5 degrees of freedom per seed; the test fails one
    # correct engine in a thousand.
    seeds = range(4)
    statistic = 0.0
    for seed in seeds:
        orders = _orders(seed)
        counts = pd.Series(orders).value_counts()
        assert set(counts.index) == set(itertools.permutations("ABC"))
        observed = counts.to_numpy()
        expected = len(orders) / 6
        statistic += float(((observed - expected) ** 2 / expected).sum())
    assert stats.chi2.sf(statistic, df=5 * len(seeds)) > 0.001, statistic


def test_random_first_offers_spread_evenly_over_the_free_members():
    # B is always busy on direct calls: the first offer goes to A or C, evenly.
    calls = 2000
    scenario = office(policy="random", trace=[100.0 * i + 50 for i in range(calls)], talk=10,
                      duration=100.0 * calls, answer_probability=0,
                      agents={"B": {"talk_time": 90, "answer_probability": 1,
                                    "direct_calls": {"trace": [100.0 * i for i in range(calls)]}}})
    result = simulate(scenario, seed=11)
    offers = result.offers
    pilot = offers[offers["call_id"].isin(result.calls.query("kind == 'pilot'")["call_id"])]
    first = pilot.groupby("call_id")["agent"].first().astype(str)
    assert set(first) == {"A", "C"}
    observed = first.value_counts().reindex(["A", "C"]).to_numpy()
    assert stats.chisquare(observed).pvalue > 0.001, observed


def test_random_policy_draws_a_permutation_each_call():
    policy = RandomHunt(4, np.random.default_rng(0))
    orders = [tuple(policy.order()) for _ in range(50)]
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders)
    assert len(set(orders)) > 10


# ------------------------------------------------------------------ theory
@pytest.mark.parametrize("policy", NEW)
def test_every_member_carries_an_equal_share_and_erlang_b_holds(policy):
    members, load = 5, 2.0
    runs = [simulate(loss_system(members, load, policy, hours=300), seed=s) for s in range(12)]
    blocked = [float((r.calls["outcome"] == "voicemail").mean()) for r in runs]
    assert_in_interval(blocked, erlang_b(members, load), f"{policy} blocking B(5, 2)")
    loads = np.array([r.agents["load_erlang"].to_numpy() for r in runs])
    expected = load * (1 - erlang_b(members, load)) / members
    for k in range(members):
        assert_in_interval(loads[:, k], expected, f"{policy} load of member {k + 1}")


def test_fewest_calls_spreads_load_with_jain_index_near_one():
    # Identical members: fewest_calls keeps the call counts level, so the loads
    # differ only by the talk times' own noise. With m calls each of
    # exponential talk (CV 1), the loads' squared CV across n members averages
    # (n - 1) / (n m), and Jain's index = 1 / (1 + CV^2) is that close to 1.
    members, load = 5, 2.0
    jain, theory = [], []
    for seed in range(12):
        agents = simulate(loss_system(members, load, "fewest_calls", hours=300), seed=seed).agents
        counts = agents["group_answered"].to_numpy()
        # level counts: far tighter than the sqrt(m) spread a random choice gives
        # (counted after the warm-up, so not always within one call)
        assert counts.max() - counts.min() < np.sqrt(counts.mean()) / 4, counts
        jain.append(float(fairness(agents["load_erlang"])["jain_index"]))
        theory.append(1 / (1 + (members - 1) / (members * counts.mean())))
    assert_in_interval(jain, float(np.mean(theory)), "fewest_calls Jain's index")
    assert min(jain) > 0.99
    regular = [float(fairness(simulate(loss_system(members, load, "regular", hours=300),
                                       seed=s).agents["load_erlang"])["jain_index"])
               for s in range(3)]
    assert max(regular) < 0.9  # the index does tell an unfair policy apart
