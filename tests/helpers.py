"""Small scenario builders shared by the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

NUMBERS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P")


def office(
    members: int = 3,
    trace: Sequence[float] = (0.0,),
    policy: str = "regular",
    talk: Any = 100,
    rings: int = 2,
    ring_cycle: float = 6,
    answer_probability: float = 1.0,
    answer_delay: Any = 0,
    voicemail: bool = True,
    agents: dict[str, dict[str, Any]] | None = None,
    duration: float | None = None,
    **group: Any,
) -> dict[str, Any]:
    """A one-group office whose pilot calls arrive at exactly ``trace``.

    Members are numbered ``A``, ``B``, ``C``...; ``agents`` overrides fields per member.
    """
    numbers = NUMBERS[:members]
    agent_list = []
    for number in numbers:
        agent: dict[str, Any] = {
            "number": number,
            "talk_time": talk,
            "answer_probability": answer_probability,
            "answer_delay": answer_delay,
        }
        agent.update((agents or {}).get(number, {}))
        agent_list.append(agent)
    return {
        "name": "test office",
        "duration": duration if duration is not None else max(trace, default=0) + 1,
        "ring_cycle": ring_cycle,
        "agents": agent_list,
        "hunt_groups": [
            {
                "pilot": "PILOT",
                "policy": policy,
                "members": list(numbers),
                "no_answer_rings": rings,
                "voicemail": voicemail,
                "arrivals": {"trace": list(trace)},
                **group,
            }
        ],
    }


def loss_system(members: int, load: float, policy: str = "regular", hours: float = 400,
                talk: Any = None, queue: bool = False, patience: Any = None) -> dict[str, Any]:
    """Members who always answer at once; all busy -> voicemail (or queue)."""
    numbers = [f"{100 + i}" for i in range(members)]
    aht = 180.0
    scenario: dict[str, Any] = {
        "duration": f"{hours}h",
        "warmup": "2h",
        "agent_defaults": {"talk_time": talk or {"dist": "exponential", "mean": f"{aht}s"}},
        "agents": [{"number": n} for n in numbers],
        "hunt_groups": [{
            "pilot": "999",
            "policy": policy,
            "members": numbers,
            "voicemail": True,
            "when_all_busy": "queue" if queue else "voicemail",
            "arrivals": {"rate": f"{load / aht}/s"},
        }],
    }
    if patience is not None:
        scenario["caller_patience"] = patience
    return scenario


def mean_interval(values: Sequence[float], confidence: float = 0.999) -> tuple[float, float]:
    """Student-t confidence interval of the mean of independent replications.

    The tests use 99.9 %: a correct engine fails one check in a thousand.
    """
    x = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


def assert_in_interval(values: Sequence[float], expected: float, what: str) -> None:
    low, high = mean_interval(values)
    assert low <= expected <= high, (
        f"{what}: theory {expected:.5f} outside the 99.9% interval [{low:.5f}, {high:.5f}] "
        f"of {len(values)} replications"
    )
