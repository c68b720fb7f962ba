"""How the views word a length of time and a group's hunting: one way each.

Every view (terminal, Jupyter, reports) writes a duration with
:func:`human_duration` and a group's time-out with :func:`timeout_text`, so that
a report never says ``24s`` in one place and ``24 seconds`` in another. The
figures themselves (the time-out in seconds, the reported window) come from
the scenario; a policy's name from the catalog.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from huntsim.analysis.catalog import policy_label

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup, Scenario

__all__ = ["acd_text", "human_duration", "hunting_text", "office_text", "scope_labels",
           "timeout_text"]

_UNITS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def human_duration(seconds: float) -> str:
    """A length of time in the largest whole units, at most two of them.

    Examples
    --------
    >>> human_duration(4 * 604800)
    '4 weeks'
    >>> human_duration(9 * 3600 + 30 * 60)
    '9 hours 30 minutes'
    >>> human_duration(86400 + 7200)
    '1 day 2 hours'
    >>> human_duration(42.5)
    '42.5 seconds'
    """
    if not math.isfinite(seconds) or seconds < 60:
        return f"{seconds:g} second" + ("" if seconds == 1 else "s")
    parts: list[str] = []
    rest = round(seconds)
    for name, size in _UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,} {name}" + ("" if count == 1 else "s"))
        if len(parts) == 2 or (parts and not rest):
            break
    return " ".join(parts)


def timeout_text(scenario: Scenario, group: HuntGroup) -> str:
    """A group's time-out in rings and in time, e.g. ``4 rings (24 seconds)``."""
    rings = group.no_answer_rings
    return (f"{rings} ring{'' if rings == 1 else 's'} "
            f"({human_duration(scenario.timeout_s(group))})")


def hunting_text(scenario: Scenario, group: HuntGroup) -> str:
    """How a group's calls hunt, in words: the policy and what its time-out means.

    A simultaneous group rings every idle member at once; a staggered one adds
    a member at a time; the others ring one member after another.
    """
    timeout = timeout_text(scenario, group)
    name = policy_label(group.policy)
    if group.policy == "simultaneous":
        return f"{name} hunting, every idle member rung at once for {timeout}"
    if group.policy == "staggered":
        return (f"{name} hunting, one more member rung every "
                f"{human_duration(scenario.stagger_s(group))}, each for {timeout}")
    return f"{name} hunting, the next member after {timeout}"


_DETERMINERS = frozenset({"the", "a", "an", "my", "our", "your", "their", "his", "her", "its",
                          "this", "that"})


def office_text(name: str) -> str:
    """A scenario's name as it reads after "of": ``the real-estate office``, but
    ``my help desk`` (a name that starts with its own article or owner keeps it).

    Examples
    --------
    >>> office_text("real-estate office"), office_text("my help desk")
    ('the real-estate office', 'my help desk')
    >>> office_text("Acme's support line"), office_text("The Desk")
    ("Acme's support line", 'The Desk')
    """
    words = name.split(maxsplit=1)
    first = words[0].lower() if words else ""
    if first in _DETERMINERS or first.endswith(("'s", "\u2019s", "s'")):
        return name
    return f"the {name}"


def scope_labels(scenario: Scenario) -> dict[str, str]:
    """How the tables head each row of a run's summary (keys: its index): a named
    group ``VIP (100)``, an unnamed one by its pilot, ``All pilot calls``,
    ``Direct calls``.

    Examples
    --------
    >>> from huntsim import load_scenario
    >>> office = load_scenario({"duration": "1h", "agents": [{"number": "1",
    ...     "talk_time": "1min"}, {"number": "2", "talk_time": "1min"}], "hunt_groups": [
    ...     {"pilot": "100", "name": "VIP", "members": ["1"]}, {"pilot": "200", "members": ["2"]}]})
    >>> scope_labels(office)["100"], scope_labels(office)["200"]
    ('VIP (100)', '200')
    """
    names = {g.pilot: (f"{g.label} ({g.pilot})" if g.label != g.pilot else g.pilot)
             for g in scenario.hunt_groups}
    names["direct calls"] = "Direct calls"
    names["all pilot calls"] = "All pilot calls"
    return names


def acd_text(scenario: Scenario, group: HuntGroup) -> str:
    """What a group routes as a contact centre does, in words, to follow its member
    count (empty for a plain group): its penalty tiers, then each of call backs, call
    waiting, and the group's priority where the groups' priorities differ led by ", ".

    Examples
    --------
    >>> from huntsim import load_scenario
    >>> office = load_scenario({"duration": "1h", "agents": [{"number": "1",
    ...     "talk_time": "1min"}, {"number": "2", "talk_time": "1min"}], "hunt_groups": [
    ...     {"pilot": "100", "members": ["1", {"number": "2", "penalty": 1}],
    ...      "when_all_busy": "queue", "penalty_wait": "5min", "call_waiting": True}]})
    >>> acd_text(office, office.hunt_groups[0])
    ' in 2 penalty tiers (each next tier after 5 minutes), call waiting (picked up 30 %)'
    """
    words = ""
    tiers = len(group.penalty_tiers())
    if tiers > 1:
        words += f" in {tiers} penalty tiers"
        if group.penalty_wait is not None:
            words += f" (each next tier after {human_duration(group.penalty_wait)})"
    if group.callback is not None:
        words += f", call backs offered after {human_duration(group.callback.offer_after)}"
    if group.call_waiting:
        words += f", call waiting (picked up {100 * group.waiting_answer:g} %)"
    if len({g.priority for g in scenario.hunt_groups}) > 1:
        words += f", priority {group.priority}"
    return words
