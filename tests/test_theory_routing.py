"""Redials and forwarding against queueing theory (docs/validation.md).

As in test_theory_agreement.py: independent replications (seeds 0..R-1), and
the theoretical value must lie inside the 99.9 % Student-t interval of the
replication means. Expected values come from :mod:`huntsim.analysis.theory`.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import assert_in_interval, mean_interval

from huntsim import simulate
from huntsim.analysis.theory import erlang_b, retrial_queue

REPLICATIONS = 12
AHT = 180.0


def retrial_office(members: int, load: float, mean_delay_s: float,
                   hours: float) -> dict[str, Any]:
    """Members who always answer at once; a blocked caller always tries again."""
    numbers = [f"{100 + i}" for i in range(members)]
    return {
        "duration": f"{hours}h",
        "warmup": "3h",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": f"{AHT}s"}},
        "agents": [{"number": n} for n in numbers],
        "hunt_groups": [{
            "pilot": "999",
            "members": numbers,
            "when_all_busy": "busy",
            "arrivals": {"rate": f"{load / AHT}/s"},
            "redial": {"on": ["busy"], "probability": 1.0,
                       "delay": {"dist": "exponential", "mean": f"{mean_delay_s}s"}},
        }],
    }


@pytest.mark.parametrize(("members", "load", "mean_delay_s"), [
    (4, 3.0, 180.0),   # the case: 20.6 % blocked by Erlang B, 43 % with redials
    (3, 1.5, 60.0),    # quick redials
    (6, 4.0, 900.0),   # slow redials
])
def test_first_attempts_blocked_match_the_exact_retrial_queue(
        members: int, load: float, mean_delay_s: float) -> None:
    exact = retrial_queue(members, load / AHT, AHT, mean_delay_s)
    summaries = [simulate(retrial_office(members, load, mean_delay_s, hours=120),
                          seed=seed).summary().loc["999"] for seed in range(REPLICATIONS)]
    blocked = [float(s["first_attempt_busy_rate"]) for s in summaries]
    assert_in_interval(blocked, exact.first_blocked,
                       f"first attempts blocked, c={members}, A={load}, delay={mean_delay_s}s")
    # and every caller is answered in the end: retries per caller as the chain says
    retries = [float(s["attempts_per_caller"]) - 1 for s in summaries]
    assert_in_interval(retries, exact.retries_per_call, "retries per fresh call")
    assert min(blocked) > erlang_b(members, load)  # redials really add traffic


def overflow_office(load: float, hours: float) -> dict[str, Any]:
    """Group 1 (2 members) forwards to group 2 (3 members) when all busy; 2 -> voicemail."""
    return {
        "duration": f"{hours}h",
        "warmup": "2h",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": f"{AHT}s"}},
        "agents": [{"number": f"{100 + i}"} for i in range(5)],
        "hunt_groups": [
            {"pilot": "900", "members": ["100", "101"], "arrivals": {"rate": f"{load / AHT}/s"},
             "forward": {"when": ["all_busy"], "to": "901"}},
            {"pilot": "901", "members": ["102", "103", "104"], "voicemail": True},
        ],
    }


@pytest.mark.parametrize("load", [2.0, 4.0])
def test_overflow_to_a_second_group_is_erlang_b_of_both(load: float) -> None:
    tables = [simulate(overflow_office(load, hours=150), seed=seed).calls
              for seed in range(REPLICATIONS)]
    lost = [float((calls["outcome"] == "voicemail").mean()) for calls in tables]
    assert_in_interval(lost, erlang_b(5, load), f"overall loss B(5, {load})")
    first_carries = [float(((calls["group"] == "900") & (calls["outcome"] == "answered")).mean())
                     for calls in tables]
    assert_in_interval(first_carries, 1 - erlang_b(2, load),
                       "share carried by the first group, 1 - B(2, A)")
    overflowed = [float((calls["forwards"] == 1).mean()) for calls in tables]
    low, high = mean_interval(overflowed)
    assert low <= erlang_b(2, load) <= high  # every call that found 900 busy went on
    assert all(set(calls["dialed"].astype(str)) == {"900"} for calls in tables)
