"""Mistakes that pass validation silently: a valid scenario that most likely says
something its author did not mean.

Each piece of advice names the key as written in the file, the value read and
the fix. None stops a run: ``huntsim validate`` and ``huntsim run`` print them
as ``warning: ...`` lines, and :func:`huntsim.sim.simulation.scenario_warnings`
puts them first among a run's warnings.

* **A bare number for a time** (no unit) that is implausible in seconds for what
  the key means: ``talk_time: 3`` is 3 seconds (:func:`bare_time_advice`, read from
  the mapping as written, before validation turns every time into seconds;
  ``3s`` written out is taken at its word).
* **Open hours nobody staffs**: a hunt group open (or, without ``open``, taking
  calls) when none of its members is scheduled, and a group whose calls mostly
  fall due outside its ``open`` hours (:func:`open_hours_advice`).
* **A forward to a number one digit away from one of the office's own**:
  ``forward.to: "30"`` when ``"300"`` is a pilot (:func:`forward_advice`).
* **Contact-centre keys that can never take effect**: a ``priority`` that changes
  nothing, a call back never offered, a penalty that never joins, call waiting
  never picked up (:mod:`huntsim.scenario.acd_advice`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from huntsim.scenario.acd_advice import acd_advice, priority_advice
from huntsim.scenario.arrivals import Poisson, Profile, Trace, WeeklyProfile
from huntsim.scenario.calendar import DAY, WEEK, WEEKDAYS, Calendar
from huntsim.scenario.units import WrittenFloat, WrittenInt

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup, Scenario

__all__ = [
    "MOSTLY_OUTSIDE",
    "bare_time_advice",
    "carried_advice",
    "forward_advice",
    "one_edit_apart",
    "open_hours_advice",
    "priority_advice",
    "scenario_advice",
    "stretches_text",
]

MOSTLY_OUTSIDE = 0.5
"""A group with ``open`` hours whose expected calls fall due outside them in a
larger share than this draws a warning."""

Intervals = list[tuple[float, float]]


# --- a bare number for a time -------------------------------------------------


@dataclass(frozen=True)
class _Plausible:
    """What a time key means, and the bare numbers of seconds implausible for it.

    ``below``: a bare number above 0 and under this many seconds is implausibly
    short (its author likely meant ``unit``); ``above``: over this many
    seconds is implausibly long (likely milliseconds).
    """

    what: str
    below: float | None = None
    above: float | None = None
    unit: str = "min"


_UNIT_WORDS = {"min": "minutes", "h": "hours", "ms": "milliseconds"}

_AGENT_TIMES = {
    "talk_time": _Plausible("the talk time of a call", below=10),
    "wrap_up": _Plausible("the wrap-up after a call", below=10),
    "answer_delay": _Plausible("the time to pick up", above=120, unit="ms"),
}
_TOP_TIMES = {
    "duration": _Plausible("a run", below=60, unit="h"),
    "warmup": _Plausible("a warm-up", below=60),
    "ring_cycle": _Plausible("one ring cycle", above=30, unit="ms"),
}
_PATIENCE = _Plausible("how long callers wait before hanging up", below=5)
_MAX_WAIT = _Plausible("the longest wait in a queue", below=5)
_PENALTY_WAIT = _Plausible("the wait before the next penalty joins", below=5)
_OFFER_AFTER = _Plausible("the wait before a call back is offered", below=5)
_STAGGER = _Plausible("the time between members joining a staggered ring", above=60, unit="ms")
_REDIAL_DELAY = _Plausible("the time before a caller calls again", below=10)
_AWAY_LENGTH = _Plausible("an absence", below=30)
_NOT_READY = _Plausible("a spell of automatic not-ready", below=10)
_PERIOD = _Plausible("the period after which arrivals repeat", below=60, unit="h")


def _bare(value: object) -> float | None:
    """The seconds a bare number (no unit) stands for, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _written(value: object) -> str:
    """A bare number as the file wrote it."""
    if isinstance(value, WrittenInt | WrittenFloat):
        return value.written
    if isinstance(value, float | int):
        return f"{value:g}"
    return str(value).strip()


def _typical(value: object) -> list[tuple[str, str, float, list[tuple[str, str]]]]:
    """The bare numbers that set a time's typical value, as
    ``(suffix, written, seconds, [(key, number as written), ...])``.

    A time given alone (``talk_time: 3``), or a distribution's ``value``,
    ``mean``, ``low`` and ``high`` (uniform, judged by their mean) or
    ``values`` (empirical, by their mean), when written without a unit.
    """
    seconds = _bare(value)
    if seconds is not None:
        return [("", _written(value), seconds, [("", _written(value))])]
    if not isinstance(value, Mapping):
        return []
    for key in ("value", "mean"):
        seconds = _bare(value.get(key))
        if seconds is not None:
            written = _written(value[key])
            return [(f".{key}", written, seconds, [("", written)])]
    low, high = _bare(value.get("low")), _bare(value.get("high"))
    if low is not None and high is not None:
        numbers = [("low", _written(value["low"])), ("high", _written(value["high"]))]
        return [("", f"low {numbers[0][1]} and high {numbers[1][1]}", (low + high) / 2,
                 numbers)]
    values = value.get("values")
    if isinstance(values, list | tuple) and values:
        times = [_bare(v) for v in values]
        if all(t is not None for t in times):
            mean = sum(t for t in times if t is not None) / len(times)
            return [(".values", f"{len(times)} values", mean, [])]
    return []


def _about(seconds: float) -> str:
    """``50min``, ``1.67h``: a time in the largest unit that fits, to three figures."""
    return f"{seconds / 3600:.3g}h" if seconds >= 3600 else f"{seconds / 60:.3g}min"


def _with_unit(numbers: list[tuple[str, str]], unit: str) -> str:
    """``3min``, or ``low: 2min, high: 5min``."""
    return ", ".join(f"{key}: {n}{unit}" if key else f"{n}{unit}" for key, n in numbers)


def _judge(path: str, value: object, rule: _Plausible) -> list[str]:
    """The advice on one time written as ``value`` at ``path``, if implausible."""
    found = []
    for suffix, written, seconds, numbers in _typical(value):
        short = rule.below is not None and 0 < seconds < rule.below
        long = rule.above is not None and seconds > rule.above
        if not (short or long):
            continue
        words = _UNIT_WORDS[rule.unit]
        if numbers:
            fix = f"write {_with_unit(numbers, rule.unit)} if you meant {words}"
            if rule.unit == "h":
                fix += f", {_with_unit(numbers, 'min')} if minutes"
            elif rule.below is not None and rule.below >= 60:
                fix += f", {_with_unit(numbers, 'h')} if hours"
            fix += f" (or {_with_unit(numbers, 's')} if you meant seconds)"
        else:
            fix = f"give each time a unit ({rule.unit} if you meant {words}, s for seconds)"
        long_text = f" ({_about(seconds)})" if seconds >= 60 else ""
        read = (f"{written} without a unit is read as {seconds:g} seconds{long_text}"
                if len(numbers) == 1 else f"{written} without units are read as seconds, "
                f"a mean of {seconds:.3g} seconds{long_text}")
        found.append(f"{path}{suffix}: {read}, implausibly {'short' if short else 'long'} "
                     f"for {rule.what}; {fix}")
    return found


def _agent_advice(agent: Mapping[str, Any], where: str) -> list[str]:
    found = []
    for key, rule in _AGENT_TIMES.items():
        if key in agent:
            found.extend(_judge(f"{where}.{key}", agent[key], rule))
    away = agent.get("away")
    if isinstance(away, Mapping) and "length" in away:
        found.extend(_judge(f"{where}.away.length", away["length"], _AWAY_LENGTH))
    missed = agent.get("after_missed")
    if isinstance(missed, Mapping) and "away" in missed:
        found.extend(_judge(f"{where}.after_missed.away", missed["away"], _NOT_READY))
    found.extend(_arrivals_advice(agent.get("direct_calls"), f"{where}.direct_calls"))
    return found


def _arrivals_advice(arrivals: object, where: str) -> list[str]:
    if isinstance(arrivals, Mapping) and "period" in arrivals:
        return _judge(f"{where}.period", arrivals["period"], _PERIOD)
    return []


def _redial_advice(redial: object, where: str) -> list[str]:
    if isinstance(redial, Mapping) and "delay" in redial:
        return _judge(f"{where}.delay", redial["delay"], _REDIAL_DELAY)
    return []


def _group_advice(group: Mapping[str, Any], where: str) -> list[str]:
    found = []
    if "max_wait" in group:
        found.extend(_judge(f"{where}.max_wait", group["max_wait"], _MAX_WAIT))
    if "penalty_wait" in group:
        found.extend(_judge(f"{where}.penalty_wait", group["penalty_wait"], _PENALTY_WAIT))
    callback = group.get("callback")
    if isinstance(callback, Mapping) and "offer_after" in callback:
        found.extend(_judge(f"{where}.callback.offer_after", callback["offer_after"],
                            _OFFER_AFTER))
    if "stagger" in group:
        found.extend(_judge(f"{where}.stagger", group["stagger"], _STAGGER))
    found.extend(_redial_advice(group.get("redial"), f"{where}.redial"))
    found.extend(_arrivals_advice(group.get("arrivals"), f"{where}.arrivals"))
    return found


_ENTRY = re.compile(r"^(?P<list>agents|hunt_groups)\[(?P<i>\d+)\](?P<rest>\.[^:]*): (?P<text>.*)$")


def _once_per_mistake(messages: list[str]) -> list[str]:
    """The same bare number in many entries of a list: one message, at the first entry."""
    entries: dict[tuple[str, str, str], list[str]] = {}
    for message in messages:
        match = _ENTRY.match(message)
        if match is not None:
            entries.setdefault((match["list"], match["rest"], match["text"]), []).append(
                match["i"])
    result = []
    for message in messages:
        match = _ENTRY.match(message)
        if match is None:
            result.append(message)
            continue
        found = entries[(match["list"], match["rest"], match["text"])]
        if found[0] != match["i"]:
            continue
        others = [f"{match['list']}[{i}]" for i in found[1:]]
        also = "" if not others else f" (also {', '.join(others[:3])}" + (
            f" and {len(others) - 3} more)" if len(others) > 3 else ")")
        result.append(f"{match['list']}[{match['i']}]{match['rest']}{also}: {match['text']}")
    return result


def bare_time_advice(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Times written as bare numbers of seconds that are implausible for their key.

    Parameters
    ----------
    data : mapping
        The scenario as written (a YAML file's mapping, or the dict given to
        :func:`~huntsim.scenario.model.load_scenario`), before validation.

    Returns
    -------
    tuple of str
        One message per mistake, naming the key path as written
        (``agents[2].talk_time``), the value read and the fix. A time with a
        unit (``3s``) and a time of 0 are never advised on.

    Examples
    --------
    >>> print(*bare_time_advice({"duration": "8h", "agents": [{"number": "1", "talk_time": 3}]}))
    ... # doctest: +NORMALIZE_WHITESPACE
    agents[0].talk_time: 3 without a unit is read as 3 seconds, implausibly short for the
    talk time of a call; write 3min if you meant minutes (or 3s if you meant seconds)
    >>> bare_time_advice({"duration": "8h", "agents": [{"number": "1", "talk_time": "3s"}]})
    ()
    """
    found = []
    for key, rule in _TOP_TIMES.items():
        if key in data:
            found.extend(_judge(key, data[key], rule))
    if "caller_patience" in data:
        found.extend(_judge("caller_patience", data["caller_patience"], _PATIENCE))
    found.extend(_redial_advice(data.get("redial"), "redial"))
    defaults = data.get("agent_defaults")
    if isinstance(defaults, Mapping):
        found.extend(_agent_advice(defaults, "agent_defaults"))
    for key, advise in (("agents", _agent_advice), ("hunt_groups", _group_advice)):
        entries = data.get(key)
        if isinstance(entries, list | tuple):
            for i, entry in enumerate(entries):
                if isinstance(entry, Mapping):
                    found.extend(advise(entry, f"{key}[{i}]"))
    return tuple(_once_per_mistake(found))


def carried_advice(advice: Sequence[str], changes: Mapping[str, Any]) -> tuple[str, ...]:
    """The advice on bare numbers still true of a copy with some top-level keys changed.

    A copy made in Python (``Scenario.replace``) holds validated seconds, not
    text: advice on a single time it replaces (``duration``...) is dropped;
    advice on agents and hunt groups, which a copy keeps or extends, stays.
    """
    kept = []
    for message in advice:
        top = re.match(r"[a-z_]+", message)
        key = top.group(0) if top else ""
        if key not in changes or key in ("agents", "hunt_groups", "agent_defaults"):
            kept.append(message)
    return tuple(kept)


# --- open hours nobody staffs, calls outside the open hours --------------------


def _merged(intervals: Sequence[tuple[float, float]]) -> Intervals:
    merged: Intervals = []
    for begin, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _minus(a: Intervals, b: Intervals) -> Intervals:
    """The parts of ``a`` outside ``b`` (both sorted and disjoint)."""
    result: Intervals = []
    for begin, end in a:
        at = begin
        for b_begin, b_end in b:
            if b_end <= at or b_begin >= end:
                continue
            if b_begin > at:
                result.append((at, b_begin))
            at = max(at, b_end)
        if at < end:
            result.append((at, end))
    return result


def _run_week(scenario: Scenario) -> Intervals:
    """The week times the run's first week covers (all of it for a run of a week or more)."""
    start, length = scenario.start % WEEK, min(scenario.duration, WEEK)
    if start + length <= WEEK:
        return [(start, start + length)]
    return _merged([(start, WEEK), (0.0, start + length - WEEK)])


def _expected(arrivals: object, start: float, intervals: Intervals) -> float:
    """Expected calls in the week-time ``intervals`` of the run's first week."""
    total = 0.0
    for begin, end in intervals:
        t0 = (begin - start) % WEEK
        t1 = t0 + (end - begin)
        if isinstance(arrivals, Poisson):
            total += arrivals.rate * (t1 - t0)
        elif isinstance(arrivals, Profile):
            total += arrivals.cumulative(t1) - arrivals.cumulative(t0)
        elif isinstance(arrivals, Trace):  # times in order
            total += bisect.bisect_left(arrivals.trace, t1) - bisect.bisect_left(arrivals.trace, t0)
    return total


def _clock(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days_text(days: list[int]) -> str:
    """``mon-fri``, ``mon,wed``, ``sat``: days in order, runs of three or more as ranges."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]}-{WEEKDAYS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS[d] for d in run)
    return ",".join(parts)


def stretches_text(intervals: Intervals, most: int = 4) -> str:
    """Week-time intervals as days and hours: ``mon-fri 17:00-18:00, sat 12:00-13:00``.

    Written as windows are (a stretch past midnight as ``mon-thu 17:00-09:00``);
    one of a day or more as ``fri 17:00-mon 09:00``.

    Examples
    --------
    >>> day = 86400.0
    >>> stretches_text([(h * day + 17 * 3600, h * day + 18 * 3600) for h in range(5)])
    'mon-fri 17:00-18:00'
    >>> stretches_text([(4 * day + 20 * 3600, 7 * day), (0.0, 8 * 3600)])
    'fri 20:00-mon 08:00'
    >>> stretches_text([(d * day + 17 * 3600, (d + 1) * day + 9 * 3600) for d in range(3)])
    'mon-wed 17:00-09:00'
    """
    pieces = _merged(intervals)
    if len(pieces) > 1 and pieces[0][0] == 0.0 and pieces[-1][1] == WEEK:
        pieces = [(pieces[-1][0], pieces[0][1] + WEEK), *pieces[1:-1]]  # across the week's end
    same_hours: dict[tuple[str, str], list[int]] = {}
    texts: list[tuple[float, str]] = []
    for begin, end in pieces:
        day = int(begin // DAY)
        if end - day * DAY <= DAY or end - begin < DAY:  # one day, or overnight (22:00-06:00)
            ends = end - day * DAY
            key = (_clock(begin - day * DAY), _clock(ends if ends <= DAY else ends - DAY))
            same_hours.setdefault(key, []).append(day % 7)
        else:
            end_day = int(end // DAY)
            texts.append((begin, f"{WEEKDAYS[day % 7]} {_clock(begin - day * DAY)}-"
                                 f"{WEEKDAYS[end_day % 7]} {_clock(end - end_day * DAY)}"))
    for (begin_text, end_text), days in same_hours.items():
        texts.append((min(days) * DAY, f"{_days_text(days)} {begin_text}-{end_text}"))
    ordered = [text for _, text in sorted(texts)]
    more = f" and {len(ordered) - most} more" if len(ordered) > most else ""
    return ", ".join(ordered[:most]) + more


def _share(part: float, total: float) -> str:
    return f"{100 * part / total:.0f}%" if total > 0 else "none"


def _busy_fate(group: HuntGroup) -> str:
    """What a pilot call that finds nobody to ring gets, in words."""
    if group.forwards("all_busy") and group.forward is not None:
        return f"they are forwarded to {group.forward.to!r}"
    return {"queue": "they wait in its queue until a member logs in (or hang up)",
            "voicemail": "they go to voicemail",
            "busy": "they get a busy signal"}[group.all_busy_treatment]


def _after_hours_fate(group: HuntGroup) -> str:
    if group.forwards("after_hours") and group.forward is not None:
        return f"forwarded to {group.forward.to!r}"
    return {"voicemail": "voicemail", "busy": "a busy signal"}[group.after_hours_treatment]


def _group_words(group: HuntGroup, g: int) -> str:
    return f"hunt_groups[{g}]" + (f" ({group.name})" if group.name else f" (pilot {group.pilot})")


def _unstaffed(scenario: Scenario, group: HuntGroup, g: int, run: Intervals,
               schedule_of: Mapping[str, Calendar | None]) -> str | None:
    """The advice on hours a group takes calls while none of its members is scheduled."""
    schedules = [schedule_of[n] for n in group.members]
    if any(schedule is None for schedule in schedules):
        return None
    staffed = _merged([i for s in schedules if s is not None for i in s.intervals])
    taking = _merged(list(group.open.intervals)) if group.open is not None else [(0.0, WEEK)]
    gap = _minus(_minus(taking, _minus(taking, run)), staffed)
    if not gap:
        return None
    total = _expected(group.arrivals, scenario.start, run)
    there = _expected(group.arrivals, scenario.start, gap)
    senders = []
    for source in _after_hours_senders(scenario, group):
        assert source.open is not None
        closed = _minus(run, list(source.open.intervals))  # when it forwards its calls
        total += _expected(source.arrivals, scenario.start, closed)
        sent = _expected(source.arrivals, scenario.start, _minus(gap, list(source.open.intervals)))
        if sent > 0:
            there += sent
            senders.append(source.pilot)
    calls = f" (about {_share(there, total)} of its calls)" if there > 0 else ""
    if group.open is None:
        if not there > 0:
            return None
        forwarded = (f" (those forwarded from {', '.join(senders)} after hours included)"
                     if senders else "")
        return (f"{_group_words(group, g)} has no open hours, so it takes calls at any time, "
                f"but none of its members is scheduled {stretches_text(gap)}: its calls"
                f"{forwarded} then ring nobody: {_busy_fate(group)}{calls}; give the group "
                "open hours "
                "(open: [...]) so those calls get the after-hours treatment, or schedule a "
                "member then")
    return (f"{_group_words(group, g)} is open {stretches_text(gap)} but none of its members "
            f"is scheduled then: calls then ring nobody: {_busy_fate(group)}{calls}; "
            "schedule a member then, or leave those hours out of open")


def _after_hours_senders(scenario: Scenario, group: HuntGroup) -> list[HuntGroup]:
    """The groups that forward their after-hours calls to ``group``."""
    return [g for g in scenario.hunt_groups
            if g.open is not None and g.forward is not None and g.forward.to == group.pilot
            and g.forwards("after_hours")]


def _mostly_closed(scenario: Scenario, group: HuntGroup, g: int, run: Intervals,
                   ) -> str | None:
    """The advice on a group whose calls mostly fall due outside its open hours."""
    if group.open is None or group.arrivals is None:
        return None
    total = _expected(group.arrivals, scenario.start, run)
    outside = _expected(group.arrivals, scenario.start, _minus(run, list(group.open.intervals)))
    if not total > 0 or outside <= MOSTLY_OUTSIDE * total:
        return None
    arrivals = group.arrivals
    if isinstance(arrivals, WeeklyProfile):
        hint = "check the days and clock times of arrivals.weekly against open"
    elif isinstance(arrivals, Profile):
        hint = (f"a profile's times count from start ({scenario.start_text}): set start to "
                "the clock time its first step means, or give the arrivals as weekly")
    elif isinstance(arrivals, Poisson):
        hint = ("a constant rate runs day and night: give the rate for the open hours as "
                "weekly arrivals (arrivals: {weekly: {mon-fri: {'08:00': 20/h, "
                "'17:00': 0/h}}})")
    else:
        hint = f"a trace's times count in seconds from start ({scenario.start_text})"
    return (f"{_group_words(group, g)}: about {_share(outside, total)} of its calls fall due "
            f"outside its open hours ({', '.join(group.open.windows)}), where they get the "
            f"after-hours treatment ({_after_hours_fate(group)}); {hint}")


def open_hours_advice(scenario: Scenario) -> tuple[str, ...]:
    """Groups that take calls when none of their members is scheduled, and groups whose
    calls mostly fall due outside their ``open`` hours (over the run's first week).

    A group open (or, without ``open``, receiving calls) while every member is
    logged out rings nobody: its callers get the all-busy treatment. A group
    without ``open`` is advised on only for hours in which calls fall due: its
    own, or those another group forwards to it after hours (a group that only
    receives such forwards included).
    """
    run = _run_week(scenario)
    schedule_of = {agent.number: agent.schedule for agent in scenario.agents}
    found = []
    for g, group in enumerate(scenario.hunt_groups):
        for message in (_unstaffed(scenario, group, g, run, schedule_of),
                        _mostly_closed(scenario, group, g, run)):
            if message is not None:
                found.append(message)
    return tuple(found)


# --- a forward to a number one digit from the office's own ---------------------


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character inserted, deleted, changed, or two
    neighbours swapped.

    Examples
    --------
    >>> [one_edit_apart("30", n) for n in ("300", "31", "03", "3", "30", "3000")]
    [True, True, True, True, False, False]
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def forward_advice(scenario: Scenario) -> tuple[str, ...]:
    """Forwards out of the office to a number one edit from a pilot or an agent's number.

    Only a forward that does not say ``outside`` is advised on: ``outside:
    true`` says the number is meant.
    """
    pilots = [g.pilot for g in scenario.hunt_groups]
    agents = [a.number for a in scenario.agents]
    found = []
    for g, group in enumerate(scenario.hunt_groups):
        forward = group.forward
        if forward is None or forward.outside is not None:
            continue
        to = forward.to
        if to in pilots or to in agents:
            continue
        path = f"hunt_groups[{g}].forward.to"
        near = [(p, k) for k, p in enumerate(pilots) if k != g and one_edit_apart(to, p)]
        if near:
            pilot, k = near[0]
            found.append(
                f"{path}: {to!r} is not a pilot of the office, so calls forwarded there leave "
                f"it (outcome forwarded), but it is one digit from the pilot {pilot!r} of "
                f"hunt_groups[{k}]; write to: {pilot!r} if you meant that group, or add "
                f"outside: true if {to!r} is a number outside the office")
            continue
        close = [(n, i) for i, n in enumerate(agents) if one_edit_apart(to, n)]
        if close:
            number, i = close[0]
            found.append(
                f"{path}: {to!r} is not a pilot of the office, so calls forwarded there leave "
                f"it (outcome forwarded), but it is one digit from the number {number!r} of "
                f"agents[{i}]; forward to a pilot ({', '.join(repr(p) for p in pilots)}), or "
                f"add outside: true if {to!r} is a number outside the office")
    return tuple(found)


def scenario_advice(scenario: Scenario) -> tuple[str, ...]:
    """Every piece of advice on a valid scenario, in the order of the file's concerns:
    bare numbers for times, open hours, forwards, group priorities, the contact-centre
    keys (:mod:`huntsim.scenario.acd_advice`).

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "8h", "agents": [{"number": "101",
    ...                         "talk_time": 3}]})
    >>> scenario_advice(office)[0].startswith("agents[0].talk_time: 3 without a unit")
    True
    """
    return (*scenario.unit_advice, *open_hours_advice(scenario), *forward_advice(scenario),
            *priority_advice(scenario), *acd_advice(scenario))
