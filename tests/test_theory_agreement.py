"""The engine against queueing theory (docs/validation.md).

Each check runs independent replications (seeds 0..R-1) and asks whether the
theoretical value lies inside the 99.9 % Student-t confidence interval of the
replication means. The expected values are computed by :mod:`huntsim.analysis.theory`,
whose own tests pin them to the reference figures; no number from a run is
copied here.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_in_interval, loss_system, office
from scipy import integrate

from huntsim import simulate
from huntsim.analysis.theory import (
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_service_level,
)
from huntsim.analysis.theory import ordered_hunting_loads as hunting_loads

REPLICATIONS = 12


def replicate(scenario, measure, replications=REPLICATIONS):
    return [measure(simulate(scenario, seed=seed)) for seed in range(replications)]


def share(calls, outcome):
    return float((calls["outcome"] == outcome).mean())


@pytest.mark.parametrize("policy", ["regular", "circular", "uniform", "weighted"])
def test_erlang_b_blocking_for_every_policy_that_hands_calls_to_a_free_member(policy):
    scenario = loss_system(10, 8.0, policy, hours=150)
    blocked = replicate(scenario, lambda r: share(r.calls, "voicemail"))
    assert_in_interval(blocked, erlang_b(10, 8.0), f"{policy} blocking B(10, 8)")


@pytest.mark.parametrize(
    "talk",
    [{"dist": "lognormal", "mean": "180s", "sd": "180s"}, {"dist": "constant", "value": "180s"}],
)
def test_erlang_b_is_insensitive_to_the_talk_time_distribution(talk):
    # Heavy-tailed talk times make replication means heavy-tailed too, and a
    # few replications then understate their spread: use more of them.
    scenario = loss_system(5, 2.0, "circular", hours=300, talk=talk)
    blocked = replicate(scenario, lambda r: share(r.calls, "voicemail"), replications=24)
    assert_in_interval(blocked, erlang_b(5, 2.0), f"blocking B(5, 2) with {talk['dist']} talk")


@pytest.mark.parametrize(("members", "load"), [(5, 2.0), (3, 0.5)])
def test_regular_hunting_member_loads(members, load):
    scenario = loss_system(members, load, "regular", hours=300)
    loads = np.array(replicate(scenario, lambda r: r.agents["load_erlang"].to_numpy()))
    for k, expected in enumerate(hunting_loads(members, load)):
        assert_in_interval(loads[:, k], expected, f"load of member {k + 1} of {members}")


@pytest.mark.parametrize("policy", ["circular", "uniform"])
def test_circular_and_uniform_share_load_equally(policy):
    members, load = 5, 2.0
    scenario = loss_system(members, load, policy, hours=300)
    loads = np.array(replicate(scenario, lambda r: r.agents["load_erlang"].to_numpy()))
    expected = load * (1 - erlang_b(members, load)) / members
    for k in range(members):
        assert_in_interval(loads[:, k], expected, f"{policy} load of member {k + 1}")


def test_light_load_regular_answer_order_and_voicemail():
    p, members, timeout = 0.6, 3, 12.0
    trace = list(np.arange(400) * 1000.0)
    scenario = office(members=members, trace=trace, answer_probability=p, talk=10,
                      answer_delay={"dist": "uniform", "low": 2, "high": 8})
    results = [simulate(scenario, seed=seed) for seed in range(REPLICATIONS)]
    for j, number in enumerate("ABC"):
        taken = [float((r.calls["agent"] == number).mean()) for r in results]
        assert_in_interval(taken, (1 - p) ** j * p, f"answered by member {j + 1}")
        waits = [float(r.calls.loc[r.calls["agent"] == number, "wait_s"].mean())
                 for r in results]
        assert_in_interval(waits, j * timeout + 5.0, f"wait when member {j + 1} answers")
    voicemail = [share(r.calls, "voicemail") for r in results]
    assert_in_interval(voicemail, (1 - p) ** members, "voicemail at light load")


def test_light_load_simultaneous_answer_probability_and_first_pick_up():
    p, members, low, high = 0.5, 4, 2.0, 10.0
    trace = list(np.arange(400) * 1000.0)
    scenario = office(members=members, trace=trace, policy="simultaneous", answer_probability=p,
                      talk=10, answer_delay={"dist": "uniform", "low": low, "high": high})
    results = [simulate(scenario, seed=seed) for seed in range(REPLICATIONS)]
    answered = [share(r.calls, "answered") for r in results]
    nobody = (1 - p) ** members
    assert_in_interval(answered, 1 - nobody, "simultaneous answered share")

    def survival(w: float) -> float:  # P(first pick-up after w | someone picks up)
        cdf = min(max((w - low) / (high - low), 0.0), 1.0)
        return ((1 - p * cdf) ** members - nobody) / (1 - nobody)

    expected_wait = integrate.quad(survival, 0, high, points=[low])[0]
    waits = [float(r.calls.loc[r.calls["outcome"] == "answered", "wait_s"].mean())
             for r in results]
    assert_in_interval(waits, expected_wait, "simultaneous wait to first pick-up")


def test_weighted_policy_picks_the_first_member_by_weight():
    weights = [3.0, 1.0, 1.0]
    trace = list(np.arange(500) * 1000.0)
    scenario = office(members=3, trace=trace, policy="weighted", weights=weights, talk=10)
    results = [simulate(scenario, seed=seed) for seed in range(REPLICATIONS)]
    for number, weight in zip("ABC", weights, strict=True):
        taken = [float((r.calls["agent"] == number).mean()) for r in results]
        assert_in_interval(taken, weight / sum(weights), f"weighted share of {number}")


def queue_time(calls):
    """Time each caller spent before an answer or hanging up."""
    answered = calls["outcome"] == "answered"
    return np.where(answered, calls["wait_s"], calls["end_s"] - calls["arrival_s"])


def test_erlang_c_in_queue_mode():
    members, load, aht = 14, 10.0, 180.0
    scenario = loss_system(members, load, "circular", hours=150, queue=True)
    results = [simulate(scenario, seed=seed) for seed in range(REPLICATIONS)]
    waited = [float((r.calls["wait_s"] > 0).mean()) for r in results]
    assert_in_interval(waited, erlang_c(members, load), "Erlang C P(wait > 0)")
    within = [float((r.calls["wait_s"] <= 20).mean()) for r in results]
    assert_in_interval(within, erlang_c_service_level(members, load, aht, 20), "service level")
    asa = [float(r.calls["wait_s"].mean()) for r in results]
    assert_in_interval(asa, erlang_c_asa(members, load, aht), "ASA")


@pytest.mark.parametrize("members", [10, 14])
def test_erlang_a_with_impatient_callers(members):
    rate, aht, patience = 10 / 3 / 60, 180.0, 300.0
    scenario = loss_system(members, rate * aht, "uniform", hours=150, queue=True,
                           patience={"dist": "exponential", "mean": f"{patience}s"})
    theory = erlang_a(members, rate, aht, patience)
    results = [simulate(scenario, seed=seed) for seed in range(REPLICATIONS)]
    waited = [float((queue_time(r.calls) > 0).mean()) for r in results]
    assert_in_interval(waited, theory.p_wait, "Erlang A P(wait > 0)")
    abandoned = [share(r.calls, "abandoned") for r in results]
    assert_in_interval(abandoned, theory.p_abandon, "Erlang A P(abandon)")
    mean_wait = [float(queue_time(r.calls).mean()) for r in results]
    assert_in_interval(mean_wait, theory.mean_wait_s, "Erlang A mean time in queue")
