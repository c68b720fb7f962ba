"""Call backs against Erlang C.

A caller who takes a call back keeps their place in the queue, so with callers
who never hang up and call backs that always reach them, the queue is still the
M/M/n first-come-first-served queue: the wait to the answer (or to the call
back) is Erlang C's, and a caller is offered a call back exactly when that wait
exceeds ``offer_after``, which happens with probability C(n, A)·exp(-(nμ - λ)T).
With ``accept`` below 1 the callers who decline wait on in the same place, so
the share called back is ``accept`` times that.
"""

from __future__ import annotations

import math

import pytest
from helpers import assert_in_interval, loss_system

from huntsim import simulate
from huntsim.analysis.theory import erlang_c, erlang_c_asa

MEMBERS, LOAD, AHT, OFFER_AFTER = 3, 2.0, 180.0, 60.0
REPLICATIONS = 12


@pytest.mark.parametrize("accept", [1.0, 0.5])
def test_call_backs_keep_the_erlang_c_queue(accept: float) -> None:
    scenario = loss_system(MEMBERS, LOAD, "circular", hours=600, queue=True)
    scenario["hunt_groups"][0]["callback"] = {
        "offer_after": f"{OFFER_AFTER}s", "accept": accept, "reached": 1}
    results = [simulate(scenario, seed=seed).calls for seed in range(REPLICATIONS)]

    for calls in results:  # every caller is served: answered on the line or called back
        assert set(calls["outcome"].astype(str)) <= {"answered", "called_back"}
    rate = (MEMBERS - LOAD) / AHT  # n mu - lambda, per second
    waited_long = erlang_c(MEMBERS, LOAD) * math.exp(-rate * OFFER_AFTER)
    called_back = [float((calls["outcome"] == "called_back").mean()) for calls in results]
    assert_in_interval(called_back, accept * waited_long, "share called back")
    waits = [float(calls["wait_s"].mean()) for calls in results]
    assert_in_interval(waits, erlang_c_asa(MEMBERS, LOAD, AHT), "mean wait (ASA)")
