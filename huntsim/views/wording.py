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

__all__ = ["human_duration", "hunting_text", "timeout_text"]

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
