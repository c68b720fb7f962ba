"""Hypothesis strategies: random valid scenarios, as the dicts a YAML file would hold."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

POLICIES = ["regular", "circular", "simultaneous", "uniform", "weighted", "staggered",
            "fewest_calls", "least_talk_time", "random"]

def distributions(high: float = 400.0) -> st.SearchStrategy[Any]:
    """Any distribution form, with times up to about ``high`` seconds."""
    seconds = st.floats(min_value=0.0, max_value=high, allow_nan=False)
    positive = st.floats(min_value=0.5, max_value=high, allow_nan=False)
    spread = st.floats(min_value=0.01, max_value=20.0)  # sd as a multiple of the mean
    return st.one_of(
        seconds,
        st.builds(lambda v: f"{v:g}s", st.integers(0, int(high))),
        st.builds(lambda m: {"dist": "exponential", "mean": m}, positive),
        st.builds(lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b)},
                  seconds, seconds),
        st.builds(lambda m, f: {"dist": "lognormal", "mean": m, "sd": m * f}, positive, spread),
        st.builds(lambda m, f: {"dist": "gamma", "mean": m, "sd": m * f}, positive, spread),
        st.builds(lambda v: {"dist": "empirical", "values": v},
                  st.lists(seconds, min_size=1, max_size=5)),
    )


@st.composite
def arrivals(draw: st.DrawFn, duration: float) -> dict[str, Any]:
    kind = draw(st.sampled_from(["rate", "profile", "trace"]))
    if kind == "rate":
        return {"rate": f"{draw(st.floats(0, 90)):g}/h"}
    if kind == "profile":
        starts = sorted(set(draw(st.lists(st.floats(0, duration), min_size=1, max_size=4))))
        profile = [{"start": s, "rate": f"{draw(st.floats(0, 120)):g}/h"} for s in starts]
        result: dict[str, Any] = {"profile": profile}
        if draw(st.booleans()):
            result["period"] = starts[-1] + draw(st.floats(1, 3600))
        return result
    times = sorted(draw(st.lists(st.floats(0, duration), max_size=30)))
    return {"trace": times}


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    duration = draw(st.floats(600, 4 * 3600))
    n_agents = draw(st.integers(1, 6))
    numbers = [f"55{i}" for i in range(n_agents)]
    agents = []
    for number in numbers:
        agent: dict[str, Any] = {
            "number": number,
            "answer_probability": draw(st.sampled_from([0.0, 0.5, 0.9, 1.0])),
            "answer_delay": draw(distributions(20.0)),
            "talk_time": draw(distributions(600.0)),
            "wrap_up": draw(st.one_of(st.just(0), distributions(60.0))),
            "voicemail": draw(st.booleans()),
            "no_answer_rings": draw(st.integers(1, 5)),
        }
        if draw(st.booleans()):
            agent["direct_calls"] = draw(arrivals(duration))
        agents.append(agent)
    # deal the agents into at most two groups; some stay outside any group
    owner = [draw(st.integers(-1, 1)) for _ in numbers]
    groups = []
    for g in range(2):
        members = [n for n, o in zip(numbers, owner, strict=True) if o == g]
        if not members:
            continue
        policy = draw(st.sampled_from(POLICIES))
        voicemail = draw(st.booleans())
        group: dict[str, Any] = {
            "pilot": f"PILOT{g}",
            "policy": policy,
            "members": draw(st.permutations(members)),
            "no_answer_rings": draw(st.integers(1, 4)),
            "voicemail": voicemail,
            "when_all_busy": draw(st.sampled_from(
                ["busy", "queue"] + (["voicemail"] if voicemail else []))),
            "circular_anchor": draw(st.sampled_from(["answered", "offered"])),
            "idle_counts_direct_calls": draw(st.booleans()),
            "arrivals": draw(arrivals(duration)),
        }
        if policy == "weighted" and draw(st.booleans()):
            group["weights"] = [draw(st.floats(0.1, 5)) for _ in members]
        if policy == "staggered" and draw(st.booleans()):
            group["stagger"] = draw(st.sampled_from([0.5, 3, 6, 40]))
        if group["when_all_busy"] == "queue":
            if draw(st.booleans()):
                group["max_wait"] = draw(st.sampled_from([1, 30, 120]))
                if draw(st.booleans()):
                    group["rering"] = draw(st.sampled_from([0, 2.5, 5]))
            if draw(st.booleans()):
                group["max_queue"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            group["redial"] = draw(redials())
        groups.append(group)
    if groups and draw(st.booleans()):
        # the first group forwards on, to the second group or out of the office
        first = groups[0]
        cases = ["no_answer"]
        queueing = first["when_all_busy"] == "queue"
        if not queueing or "max_queue" in first:
            cases.append("all_busy")
        if queueing and "max_wait" in first:
            cases.append("queue_timeout")
        target = groups[1]["pilot"] if len(groups) > 1 and draw(st.booleans()) else "+1 800 555"
        first["forward"] = {"when": draw(st.lists(st.sampled_from(cases), min_size=1,
                                                  max_size=len(cases), unique=True)),
                            "to": target}
    scenario: dict[str, Any] = {
        "name": "generated",
        "duration": duration,
        "warmup": draw(st.floats(0, duration * 0.5)),
        "ring_cycle": draw(st.sampled_from([2, 6, "6s"])),
        "agents": agents,
        "hunt_groups": groups,
    }
    if draw(st.booleans()):
        scenario["caller_patience"] = draw(distributions(600.0))
    if draw(st.booleans()):
        scenario["redial"] = draw(redials())
    if draw(st.booleans()):
        scenario["shifts"] = draw(shift_rules())  # read by roster only: runs are unchanged
    return scenario


@st.composite
def shift_rules(draw: st.DrawFn, most: int = 4) -> list[dict[str, Any]]:
    """A valid ``shifts:`` list: whole-minute starts, lengths and breaks, names once."""
    shifts = []
    for k in range(draw(st.integers(1, most))):
        length = draw(st.integers(1, 23 * 60 + 59))
        shift: dict[str, Any] = {
            "name": f"shift {k}",
            "days": draw(st.sampled_from(["mon-fri", "daily", "sat,sun", "fri", "sat-mon"])),
            "start": f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 15, 30])):02d}",
            "length": f"{length}min",
        }
        if length >= 3 and draw(st.booleans()):
            after = draw(st.integers(1, length - 2))
            shift["break"] = {"after": f"{after}min",
                              "length": f"{draw(st.integers(1, length - after - 1))}min"}
        if draw(st.booleans()):
            shift["cost"] = draw(st.sampled_from([0.5, 1, 1.25, 2]))
        low = draw(st.integers(0, 2))
        shift["min"] = low
        if draw(st.booleans()):
            shift["max"] = draw(st.integers(low, low + 5))
        shifts.append(shift)
    return shifts


@st.composite
def redials(draw: st.DrawFn) -> dict[str, Any]:
    """Callers who try again: any outcomes, probability, a positive delay, a limit or none."""
    redial: dict[str, Any] = {
        "on": draw(st.lists(st.sampled_from(["busy", "voicemail", "no_answer", "abandoned"]),
                            min_size=1, max_size=4, unique=True)),
        "probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "delay": draw(st.sampled_from([1, 30, {"dist": "exponential", "mean": 60},
                                       {"dist": "uniform", "low": 0, "high": 120}])),
    }
    if draw(st.booleans()):
        redial["max_attempts"] = draw(st.integers(1, 4))
    return redial


@st.composite
def scheduled_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A Monday-08:00 office of a few hours whose members keep schedules, on coarse
    grids so that events coincide: windows on the half hour, calls on the minute,
    talk, wrap-up and ring times in whole minutes or seconds, calls long enough to
    run past the end of a window and of the run."""
    hours = draw(st.integers(1, 6))
    duration = hours * 3600
    clock = st.integers(16, 16 + 2 * hours).map(lambda k: f"{k // 2:02d}:{30 * (k % 2):02d}")
    window = st.tuples(clock, clock).filter(lambda w: w[0] < w[1]).map(
        lambda w: f"mon {w[0]}-{w[1]}")
    minute = st.integers(0, 60 * hours - 1).map(lambda k: 60.0 * k)
    numbers = [f"{201 + i}" for i in range(draw(st.integers(1, 4)))]
    agents = []
    for number in numbers:
        agent: dict[str, Any] = {
            "number": number,
            "answer_probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
            "answer_delay": draw(st.sampled_from([0, 6, 12, 30])),
            "talk_time": draw(st.sampled_from(["1min", "30min", "1h", "20h",
                                               {"dist": "exponential", "mean": "20min"}])),
            "wrap_up": draw(st.sampled_from([0, 60])),
            "voicemail": draw(st.booleans()),
        }
        if draw(st.booleans()):
            agent["schedule"] = draw(st.lists(window, min_size=1, max_size=3))
        if draw(st.booleans()):
            agent["direct_calls"] = {"trace": sorted(draw(st.lists(minute, max_size=6)))}
        if draw(st.booleans()):
            agent["away"] = {"rate": "2/h", "length": draw(st.sampled_from(["10min", "1h"])),
                             "skipped": draw(st.booleans())}
        if draw(st.booleans()):
            agent["after_missed"] = {"count": 1, "away": "30min"}
        agents.append(agent)
    return {
        "duration": duration,
        "warmup": draw(st.sampled_from([0, 1800])),
        "start": "mon 08:00",
        "ring_cycle": 6,
        "agents": agents,
        "hunt_groups": [{
            "pilot": "100",
            "members": draw(st.permutations(numbers)),
            "policy": draw(st.sampled_from(POLICIES)),
            "no_answer_rings": draw(st.integers(1, 3)),
            "voicemail": True,
            "when_all_busy": draw(st.sampled_from(["voicemail", "queue"])),
            "arrivals": {"trace": sorted(draw(st.lists(minute, max_size=20)))},
        }],
    }
