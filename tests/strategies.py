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
                group["callback"] = {"offer_after": draw(st.sampled_from([1, 20, 60])),
                                     "accept": draw(st.sampled_from([0, 0.5, 1])),
                                     "reached": draw(st.sampled_from([0, 0.7, 1]))}
        _add_penalties(draw, group, [0.5, 30, 90])
        _add_call_waiting(draw, group)
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


# ------------------------------------------------------------------ whole offices
# Every key of a scenario file, on coarse time grids so that events coincide: a
# call arriving as a member logs in, a talk ending as the next call arrives, a
# patience or max_wait running out as a ring times out. Presence (schedules,
# absences, auto not-ready), the calendar (start, opening hours, weekly arrivals)
# and routing (queues and their limits, forwards, redials) together.

STARTS = {"mon 00:00": 0, "mon 08:00": 8 * 60, "fri 17:30": 4 * 1440 + 17 * 60 + 30,
          "sun 23:00": 6 * 1440 + 23 * 60}
"""Starts of the week clock, with their minute of the week."""
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HALF_HOUR = 30


def _clock(minute_of_week: int) -> tuple[str, str]:
    """The day and ``HH:MM`` of a minute of the week."""
    minute_of_week %= 7 * 1440
    day, minute = divmod(minute_of_week, 1440)
    return DAYS[day], f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def windows(draw: st.DrawFn, start_min: int, hours: int) -> list[str]:
    """One to three windows on the half hour around the run (``start_min`` is the
    week minute at time 0), some crossing midnight, some for every day."""
    result = []
    for _ in range(draw(st.integers(1, 3))):
        first = draw(st.integers(-1, 2 * hours))
        length = draw(st.integers(1, 2 * hours + 1))
        begin = start_min + HALF_HOUR * first
        day, since = _clock(begin)
        _, until = _clock(begin + HALF_HOUR * length)
        days = draw(st.sampled_from([day, day, "daily", "mon-fri", "sat-mon"]))
        result.append(f"{days} {since}-{until}")
    return result


def grid_times(step: int, high: int) -> st.SearchStrategy[Any]:
    """A time on the grid of ``step`` seconds, from 0 to ``high``, written several ways."""
    k = st.integers(0, max(high // step, 0))
    return st.one_of(k.map(lambda n: n * step), k.map(lambda n: f"{n * step}s"))


def grid_distributions(step: int, high: int, low: int = 0) -> st.SearchStrategy[Any]:
    """Times on the grid: mostly constants (so that events coincide), also every
    distribution form, with grid values where the form has values."""
    k = st.integers(max(low // step, 0), max(high // step, 1))
    value = k.map(lambda n: n * step)
    positive = st.integers(1, max(high // step, 1)).map(lambda n: n * step)
    return st.one_of(
        value, value, value.map(lambda v: f"{v}s"),
        st.builds(lambda v: {"dist": "constant", "value": v}, value),
        st.builds(lambda v: {"dist": "empirical", "values": v},
                  st.lists(value, min_size=1, max_size=3)),
        st.builds(lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b)},
                  value, value),
        st.builds(lambda m: {"dist": "exponential", "mean": m}, positive),
        st.builds(lambda m, f: {"dist": "lognormal", "mean": m, "sd": m * f}, positive,
                  st.sampled_from([0.5, 1, 2])),
        st.builds(lambda m, f: {"dist": "gamma", "mean": m, "sd": m * f}, positive,
                  st.sampled_from([0.5, 1, 2])),
    )


@st.composite
def grid_arrivals(draw: st.DrawFn, step: int, duration: int, most: int,
                  start_min: int) -> dict[str, Any]:
    """Arrivals of any form; a trace (most often) on the grid."""
    kind = draw(st.sampled_from(["trace", "trace", "trace", "rate", "profile", "weekly"]))
    if kind == "trace":
        times = draw(st.lists(st.integers(0, duration // step - 1), min_size=1, max_size=most))
        return {"trace": sorted(step * k for k in times)}
    if kind == "rate":
        return {"rate": f"{draw(st.sampled_from([0, 4, 12, 30, 60]))}/h"}
    if kind == "profile":
        starts = sorted(set(draw(st.lists(st.integers(0, duration // 600), min_size=1,
                                          max_size=3))))
        profile = [{"start": 600 * s, "rate": f"{draw(st.sampled_from([0, 6, 20, 40]))}/h"}
                   for s in starts]
        result: dict[str, Any] = {"profile": profile}
        if draw(st.booleans()):
            result["period"] = 600 * starts[-1] + draw(st.sampled_from([600, 3600]))
        return result
    day, clock = _clock(start_min + 30 * draw(st.integers(0, duration // 1800)))
    days = draw(st.sampled_from([day, "daily", "mon-fri"]))
    return {"weekly": {days: {clock: f"{draw(st.sampled_from([6, 20, 40]))}/h"}}}


@st.composite
def office_agent(draw: st.DrawFn, step: int, hours: int, start_min: int,
                 defaults: dict[str, Any]) -> dict[str, Any]:
    """An agent's settings (no number): presence keys often, the rest at times."""
    duration = 3600 * hours
    agent: dict[str, Any] = {}
    if "talk_time" not in defaults or draw(st.booleans()):
        agent["talk_time"] = draw(st.one_of(
            grid_distributions(step, 20 * step, low=step),
            st.sampled_from([0, "1h", "20h", {"dist": "exponential", "mean": "20min"}])))
    if draw(st.booleans()):
        agent["answer_probability"] = draw(st.sampled_from([0.0, 0.5, 1.0]))
    if draw(st.booleans()):
        agent["answer_delay"] = draw(grid_distributions(5, 30))
    if draw(st.booleans()):
        agent["wrap_up"] = draw(grid_distributions(step, 3 * step))
    if draw(st.booleans()):
        agent["voicemail"] = draw(st.booleans())
    if draw(st.booleans()):
        agent["no_answer_rings"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        agent["schedule"] = draw(windows(start_min, hours))
    if draw(st.integers(0, 3)) == 0:
        agent["direct_calls"] = draw(grid_arrivals(step, duration, 6, start_min))
    if draw(st.booleans()):
        agent["away"] = {"rate": draw(st.sampled_from(["1/h", "3/h"])),
                         "length": draw(st.one_of(
                             st.sampled_from([step, 10 * step, "1h"]),
                             grid_distributions(step, 10 * step, low=step)))}
        if draw(st.booleans()):
            agent["away"]["skipped"] = draw(st.booleans())
    if draw(st.booleans()):
        agent["after_missed"] = {"count": draw(st.integers(1, 2)),
                                 "away": draw(st.sampled_from([step, 10 * step, "30min"]))}
    return agent


@st.composite
def offices(draw: st.DrawFn, max_hours: int = 6, shared: bool | None = None) -> dict[str, Any]:
    """A whole office using any key of the scenario file, on coarse time grids.

    Times are multiples of ``step`` seconds (10 s or a minute): arrivals, talk and
    wrap-up, absences, patience, ``max_wait``; schedules and opening hours change
    on the half hour. Up to three groups, forwarding along a chain or out of the
    office, with queues, limits and redials, some sharing members
    (``one_group_per_member: false``, group ``priority``); agents single or in a
    block, with ``agent_defaults``. ``shared``: whether groups share members (None:
    sometimes).
    """
    step = draw(st.sampled_from([10, 60]))
    hours = draw(st.integers(1, max_hours))
    duration = 3600 * hours
    start = draw(st.sampled_from(sorted(STARTS)))
    start_min = STARTS[start]
    defaults: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        defaults = draw(office_agent(step, hours, start_min, {}))
    n_agents = draw(st.integers(1, 6))
    numbers = [f"{201 + i}" for i in range(n_agents)]
    agents: list[dict[str, Any]] = []
    block = draw(st.integers(0, n_agents)) if draw(st.integers(0, 3)) == 0 else 0
    if block >= 2:  # the first agents as one block of the same settings
        entry = draw(office_agent(step, hours, start_min, defaults))
        entry.pop("direct_calls", None)
        style = draw(st.sampled_from(["range", "list", "count"]))
        if style == "range":
            entry["numbers"] = f"{numbers[0]}..{numbers[block - 1]}"
        elif style == "list":  # a list of numbers and ranges
            entry["numbers"] = [numbers[0]] + ([f"{numbers[1]}..{numbers[block - 1]}"]
                                               if block > 2 else [numbers[1]])
        else:
            entry.update(number=numbers[0], count=block)
        entry["name"] = "Agent {n}"
        agents.append(entry)
    else:
        block = 0
    for number in numbers[block:]:
        agent = draw(office_agent(step, hours, start_min, defaults))
        agent["number"] = number
        if draw(st.integers(0, 3)) == 0:
            agent["name"] = f"Member {number}"
        agents.append(agent)
    owner = [draw(st.sampled_from([-1, 0, 0, 1, 1, 2])) for _ in numbers]
    # some offices share members between groups (one_group_per_member: false), with
    # group priorities
    if shared is None:
        shared = draw(st.integers(0, 2)) == 0
    groups: list[dict[str, Any]] = []
    for g in range(3):
        members = [n for n, o in zip(numbers, owner, strict=True) if o == g]
        if shared:
            members += [n for n in draw(st.lists(st.sampled_from(numbers), max_size=3,
                                                 unique=True)) if n not in members]
        if not members:
            continue
        group = draw(office_group(f"{100 + 10 * g}", members, step, hours, start_min))
        if shared and draw(st.integers(0, 2)) > 0:
            group["priority"] = draw(st.integers(0, 2))
        groups.append(group)
    _add_forwards(draw, groups)
    scenario: dict[str, Any] = {
        **({"one_group_per_member": False} if shared else {}),
        "duration": draw(st.sampled_from([duration, f"{hours}h"])),
        "start": start,
        "warmup": draw(st.sampled_from([0, 0, 600, 1800])),
        "ring_cycle": draw(st.sampled_from([5, 6, 10, "6s"])),
        "agents": agents,
        "hunt_groups": groups,
    }
    if defaults:
        scenario["agent_defaults"] = defaults
    if draw(st.integers(0, 3)) == 0:
        scenario["name"] = "generated office"
    if draw(st.integers(0, 3)) == 0:
        scenario["seed"] = draw(st.integers(0, 99))
    if draw(st.integers(0, 2)) > 0:
        scenario["caller_patience"] = draw(grid_distributions(step, 12 * step, low=step))
    if draw(st.integers(0, 2)) == 0:
        scenario["redial"] = draw(grid_redials(step))
    if draw(st.integers(0, 4)) == 0:
        scenario["shifts"] = draw(shift_rules())  # read by roster only: runs are unchanged
    return scenario


@st.composite
def office_group(draw: st.DrawFn, pilot: str, members: list[str], step: int, hours: int,
                 start_min: int) -> dict[str, Any]:
    """A hunt group with any of its keys (forwards are added by :func:`offices`)."""
    policy = draw(st.sampled_from(POLICIES))
    voicemail = draw(st.booleans())
    group: dict[str, Any] = {
        "pilot": pilot,
        "policy": draw(st.sampled_from([policy, policy.capitalize()])) if policy != "regular"
        else policy,
        "members": draw(st.permutations(members)),
        "arrivals": draw(grid_arrivals(step, 3600 * hours, 40, start_min)),
    }
    if draw(st.booleans()):
        group["no_answer_rings"] = draw(st.integers(1, 4))
    if voicemail or draw(st.booleans()):
        group["voicemail"] = voicemail
    if draw(st.integers(0, 4)) > 0:
        group["when_all_busy"] = draw(st.sampled_from(
            ["busy", "queue", "queue"] + (["voicemail"] if voicemail else [])))
    if draw(st.integers(0, 3)) == 0:
        group["circular_anchor"] = draw(st.sampled_from(["answered", "offered"]))
    if draw(st.integers(0, 3)) == 0:
        group["idle_counts_direct_calls"] = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        group["name"] = f"Group {pilot}"
    if policy == "weighted" and draw(st.booleans()):
        group["weights"] = [draw(st.sampled_from([0.5, 1, 3])) for _ in members]
    if policy == "staggered" and draw(st.booleans()):
        group["stagger"] = draw(st.sampled_from([5, 10, step]))
    if group.get("when_all_busy") == "queue":
        if draw(st.booleans()):
            group["max_wait"] = draw(st.sampled_from([step, 2 * step, 3 * step, f"{step}s"]))
            if draw(st.booleans()):  # rounds again and again until max_wait
                group["rering"] = draw(st.sampled_from([0, step, f"{step}s"]))
        if draw(st.booleans()):
            group["max_queue"] = draw(st.integers(0, 3))
        if draw(st.booleans()):  # a call back offered on the grid: events coincide
            group["callback"] = {"offer_after": draw(st.sampled_from([step, 2 * step])),
                                 "accept": draw(st.sampled_from([0.5, 1])),
                                 "reached": draw(st.sampled_from([0, 0.5, 1]))}
    if draw(st.booleans()):
        group["open"] = draw(windows(start_min, hours))
        if draw(st.booleans()):
            group["after_hours"] = draw(st.sampled_from(
                ["busy"] + (["voicemail"] if voicemail else [])))
    _add_penalties(draw, group, [step, 2 * step, f"{step}s"])
    _add_call_waiting(draw, group)
    if draw(st.integers(0, 3)) == 0:
        group["redial"] = draw(grid_redials(step))
    return group


def _add_penalties(draw: st.DrawFn, group: dict[str, Any], waits: list[Any]) -> None:
    """Some members of some groups written ``{number, penalty}`` (penalty 0 too), and
    with a queue sometimes ``penalty_wait`` (not with the staggered policy)."""
    if group["policy"].lower() == "staggered" or draw(st.integers(0, 2)) > 0:
        return
    penalties = [draw(st.sampled_from([None, 0, 1, 1, 2])) for _ in group["members"]]
    group["members"] = [m if p is None else {"number": m, "penalty": p}
                        for m, p in zip(group["members"], penalties, strict=True)]
    tiers = {p or 0 for p in penalties}  # penalty_wait needs two penalties or more
    if group.get("when_all_busy") == "queue" and len(tiers) > 1 and draw(st.booleans()):
        group["penalty_wait"] = draw(st.sampled_from(waits))


def _add_call_waiting(draw: st.DrawFn, group: dict[str, Any]) -> None:
    """Call waiting on some groups (not those that ring several members at once),
    sometimes with its own answer probability."""
    if group["policy"].lower() in ("simultaneous", "staggered") or draw(st.integers(0, 2)) > 0:
        return
    group["call_waiting"] = True
    if draw(st.booleans()):
        group["call_waiting_answer"] = draw(st.sampled_from([0, 0.5, 1]))


def _add_forwards(draw: st.DrawFn, groups: list[dict[str, Any]]) -> None:
    """Some groups forward to the next one (a chain, never a loop) or out of the office."""
    for g, group in enumerate(groups):
        if draw(st.integers(0, 2)) == 0:
            continue
        queueing = group.get("when_all_busy") == "queue"
        cases = ["no_answer"]
        if not queueing or "max_queue" in group:
            cases.append("all_busy")
        if queueing and "max_wait" in group:
            cases.append("queue_timeout")
        if "open" in group:
            cases.append("after_hours")
        inside = g + 1 < len(groups) and draw(st.integers(0, 3)) > 0
        forward: dict[str, Any] = {
            "when": draw(st.lists(st.sampled_from(cases), min_size=1, max_size=len(cases),
                                  unique=True)),
            "to": groups[g + 1]["pilot"] if inside else "+1 800 555 0199",
        }
        if draw(st.integers(0, 3)) == 0:
            forward["outside"] = not inside
        group["forward"] = forward


@st.composite
def grid_redials(draw: st.DrawFn, step: int) -> dict[str, Any]:
    """Redials with delays on the grid."""
    redial: dict[str, Any] = {
        "probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "delay": draw(st.one_of(st.sampled_from([step, 3 * step]),
                                grid_distributions(step, 5 * step, low=step).filter(
                                    lambda d: not isinstance(d, dict)
                                    or d.get("dist") not in ("empirical", "uniform")))),
    }
    if draw(st.booleans()):
        redial["on"] = draw(st.lists(st.sampled_from(["busy", "voicemail", "no_answer",
                                                      "abandoned"]),
                                     min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        redial["max_attempts"] = draw(st.integers(1, 4))
    return redial


@st.composite
def shared_queues(draw: st.DrawFn) -> dict[str, Any]:
    """A busy office whose queueing groups share their few members
    (``one_group_per_member: false``) and differ in ``priority``: members often free up
    while callers wait in several of their groups. Times on a 10 s grid."""
    step = 10
    numbers = [f"{201 + i}" for i in range(draw(st.integers(1, 3)))]
    agents = [{"number": n,
               "talk_time": draw(st.sampled_from([step, 3 * step, 6 * step])),
               "answer_probability": draw(st.sampled_from([1, 1, 0.5])),
               "answer_delay": draw(st.sampled_from([0, 0, step]))} for n in numbers]
    groups = []
    for g in range(draw(st.integers(2, 3))):
        members = draw(st.lists(st.sampled_from(numbers), min_size=1, max_size=len(numbers),
                                unique=True))
        times = draw(st.lists(st.integers(0, 59), min_size=1, max_size=25))
        groups.append({"pilot": f"{100 + 10 * g}", "members": members,
                       "policy": draw(st.sampled_from(POLICIES)),
                       "when_all_busy": "queue", "priority": draw(st.integers(0, 2)),
                       "no_answer_rings": draw(st.integers(1, 2)),
                       "arrivals": {"trace": sorted(step * k for k in times)}})
    scenario: dict[str, Any] = {"duration": 600, "ring_cycle": step,
                                "one_group_per_member": False, "agents": agents,
                                "hunt_groups": groups}
    if draw(st.booleans()):
        scenario["caller_patience"] = draw(st.sampled_from([3 * step, 12 * step]))
    return scenario


@st.composite
def waiting_queues(draw: st.DrawFn) -> dict[str, Any]:
    """A busy office on a 10 s grid whose groups have call waiting: talks of no length
    among them, pick-ups at once or after a ring, schedules ending on the grid (a ring
    stopped by a log-out in the presence phase as a talk ends), rounds with ``rering: 0``;
    members sometimes in several groups at different places in their lists."""
    step = 10
    numbers = [f"{201 + i}" for i in range(draw(st.integers(1, 3)))]
    agents = []
    for number in numbers:
        agent: dict[str, Any] = {
            "number": number,
            "talk_time": draw(st.sampled_from([0, step, 3 * step, 6 * step])),
            "answer_probability": draw(st.sampled_from([1, 1, 0.5, 0])),
            "answer_delay": draw(st.sampled_from([0, 0, 3, step])),
            "wrap_up": draw(st.sampled_from([0, 0, step]))}
        if draw(st.integers(0, 2)) == 0:
            agent["schedule"] = [f"mon 00:00-00:{draw(st.integers(1, 9)):02d}"]
        agents.append(agent)
    shared = len(numbers) > 1 and draw(st.booleans())
    groups = []
    for g in range(draw(st.integers(1, 2)) if shared else 1):
        members = draw(st.permutations(numbers)) if shared else numbers
        times = draw(st.lists(st.integers(0, 59), min_size=1, max_size=20))
        group: dict[str, Any] = {
            "pilot": f"{100 + 10 * g}", "members": members,
            "policy": draw(st.sampled_from(["regular", "circular", "fewest_calls"])),
            "when_all_busy": draw(st.sampled_from(["queue", "queue", "busy"])),
            "no_answer_rings": draw(st.integers(1, 2)), "voicemail": True,
            "call_waiting": draw(st.sampled_from([True, True, False])),
            "arrivals": {"trace": sorted(step * k for k in times)}}
        if group["call_waiting"]:
            group["call_waiting_answer"] = draw(st.sampled_from([0.5, 1]))
        if group["when_all_busy"] == "queue" and draw(st.booleans()):
            group["max_wait"] = draw(st.sampled_from([step, 6 * step]))
            if draw(st.booleans()):
                group["rering"] = 0
        groups.append(group)
    if not any(g["call_waiting"] for g in groups):
        groups[0]["call_waiting"] = True
    scenario: dict[str, Any] = {"duration": 600, "ring_cycle": 6, "start": "mon 00:00",
                                "agents": agents, "hunt_groups": groups}
    if shared:
        scenario["one_group_per_member"] = False
    return scenario
