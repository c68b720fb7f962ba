"""Where calls go next: callers who redial, and groups that forward calls.

Two pieces of a scenario, checked here and acted on by the engine:

* :class:`Redial`: after an attempt whose outcome is in ``on``, the same
  caller calls the same number again with ``probability``, after ``delay``.
* :class:`Forward`: a hunt group passes a call on ``when`` something happens
  (every member busy, nobody answered, the queue wait ran out, closed), to
  another group's pilot (the call hunts there) or to a number outside the
  office (the call leaves with outcome ``forwarded``).

:func:`routing_violations` checks what a single model cannot:
targets that are pilots, outside numbers that are not mistyped pilots, and loops.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from huntsim.scenario.distributions import Distribution
from huntsim.scenario.section import Section
from huntsim.scenario.units import PhoneNumber, Probability, Seconds

if TYPE_CHECKING:
    from huntsim.scenario.model import HuntGroup

__all__ = [
    "FORWARD_WHEN",
    "REDIAL_ON",
    "Callback",
    "Forward",
    "Redial",
    "forward_loops",
    "forward_target",
    "looks_like_office_number",
    "routing_violations",
]

RedialOn = Literal["busy", "voicemail", "no_answer", "abandoned"]
REDIAL_ON: tuple[RedialOn, ...] = ("busy", "voicemail", "no_answer", "abandoned")
ForwardWhen = Literal["all_busy", "no_answer", "queue_timeout", "after_hours"]
FORWARD_WHEN: tuple[ForwardWhen, ...] = ("all_busy", "no_answer", "queue_timeout", "after_hours")


class Redial(Section):
    """Callers who call again after an attempt that did not reach anybody.

    Attributes
    ----------
    on : list of str
        Outcomes after which a caller may call again: ``busy``, ``voicemail``,
        ``no_answer``, ``abandoned`` (default: all four).
    probability : float
        Chance that the caller calls again after such an attempt (0 to 1).
    delay : Distribution
        Time from the end of the attempt to the next one (written like any
        distribution, e.g. ``{dist: exponential, mean: 5min}``).
    max_attempts : int or None
        Attempts at most, the first call included; ``None``: no limit.

    Notes
    -----
    A redial dials the number the caller first dialled, with fresh luck drawn
    from that caller's own random stream, so policies still meet the same
    callers. Redials that would come at or after the end of the run are not
    made: the caller's last attempt stands. A call that ended with a closed
    group's after-hours treatment is not redialled.
    """

    on: tuple[RedialOn, ...] = Field(default=REDIAL_ON, min_length=1)
    probability: Probability
    delay: Distribution
    max_attempts: int | None = Field(default=None, ge=1, le=1_000)


class Forward(Section):
    """A hunt group that passes calls on to another number.

    Attributes
    ----------
    when : list of str
        ``all_busy`` (instead of the all-busy treatment: every member busy on
        arrival, or the queue full), ``no_answer`` (every idle member let it
        ring out), ``queue_timeout`` (the caller waited ``max_wait`` in the
        queue), ``after_hours`` (arrived outside ``open``).
    to : str
        Another hunt group's pilot (the call hunts there, keeping its arrival
        time, its patience and its wait so far) or a number outside the office
        (the call leaves with outcome ``forwarded``).
    outside : bool or None
        Whether ``to`` is outside the office. Unset: a pilot is inside; any
        other number is outside unless it looks like one of the office's own
        numbers (same layout and prefix), which is refused as a likely typo.
    """

    when: tuple[ForwardWhen, ...] = Field(min_length=1)
    to: PhoneNumber = Field(min_length=1)
    outside: bool | None = None


class Callback(Section):
    """Queued callers offered a call back instead of waiting on the line.

    Attributes
    ----------
    offer_after : float
        Seconds after reaching the group: a caller waiting in the queue then (not
        ringing a member) is offered a call back, once.
    accept : float
        Probability that the caller takes it: they hang up, keep their place in
        the queue, and no longer hang up for impatience or ``max_wait``.
    reached : float
        Probability that the caller answers the call back.

    Notes
    -----
    When the caller's place comes up (the first free member, in queue order), that
    member calls back at once. Reached: outcome ``called_back``, the member talks
    (talk time drawn as for a call) and wraps up as after an answered call.
    Not reached: outcome ``callback_missed``, the member busy for the group's ring
    time-out (``no_answer_rings`` ring cycles), without wrap-up. A caller not
    called back by the end of the run: ``callback_missed`` with no agent. The
    ``callback_s`` column: seconds from arrival to the call back.
    """

    offer_after: Seconds = Field(gt=0)
    accept: Probability
    reached: Probability


def _shape(number: str) -> tuple[str, str]:
    """The layout of a number (digits as ``9``) and its digits."""
    return re.sub(r"\d", "9", number), re.sub(r"\D", "", number)


def looks_like_office_number(number: str, office: Sequence[str]) -> bool:
    """Same layout as an office number and the same digits but the last four
    (any extension of up to four digits, when the office's numbers are such)."""
    layout, digits = _shape(number)
    for known in office:
        known_layout, known_digits = _shape(known)
        if known_layout == layout and known_digits[:-4] == digits[:-4]:
            return True
    return False


def forward_target(forward: Forward, pilots: Sequence[str]) -> str | None:
    """The pilot a forward hands calls to, or ``None`` when it leaves the office."""
    if forward.outside:
        return None
    return forward.to if forward.to in pilots else None


def forward_loops(next_hop: dict[str, str], pilots: Sequence[str]) -> list[str]:
    """Each forward loop (A -> B -> A), reported once at its first group."""
    problems = []
    reported: set[str] = set()
    for start in pilots:
        path = [start]
        seen = {start}
        current = start
        while current in next_hop:
            current = next_hop[current]
            if current in seen:
                cycle = [*path[path.index(current):], current]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    g = pilots.index(cycle[0])
                    problems.append(
                        f"hunt_groups[{g}].forward.to: forwards loop "
                        f"{' -> '.join(repr(p) for p in cycle)}; a call would never end")
                break
            seen.add(current)
            path.append(current)
    return problems


def routing_violations(groups: Sequence[HuntGroup], agents: Sequence[str]) -> list[str]:
    """Problems with forwards and queue limits across the groups of a scenario.

    Parameters
    ----------
    groups : sequence of HuntGroup
        The scenario's hunt groups, in order (their paths are ``hunt_groups[i]``).
    agents : sequence of str
        The agents' own numbers.
    """
    problems: list[str] = []
    pilots = [g.pilot for g in groups]
    next_hop: dict[str, str] = {}
    for g, group in enumerate(groups):
        where = f"hunt_groups[{g}]"
        problems.extend(_queue_limit_violations(group, where))
        forward = group.forward
        if forward is None:
            continue
        path = f"{where}.forward"
        to = forward.to
        if len(set(forward.when)) != len(forward.when):
            problems.append(f"{path}.when: {list(forward.when)} lists a case twice")
        if to == group.pilot:
            problems.append(f"{path}.to: {to!r} is the group's own pilot; a call would "
                            "forward to itself")
            continue
        if to in agents:
            problems.append(f"{path}.to: {to!r} is an agent's own number; forward to "
                            "another group's pilot or to a number outside the office")
            continue
        if forward.outside is True and to in pilots:
            problems.append(f"{path}.outside: true but {to!r} is the pilot of "
                            f"hunt_groups[{pilots.index(to)}]")
            continue
        if forward.outside is None and to not in pilots and looks_like_office_number(
                to, [*pilots, *agents]):
            problems.append(
                f"{path}.to: {to!r} is not the pilot of any hunt group (pilots: "
                f"{', '.join(repr(p) for p in pilots)}); for a number outside the office "
                "add outside: true")
            continue
        if forward.outside is False and to not in pilots:
            problems.append(f"{path}.to: {to!r} is not the pilot of any hunt group (pilots: "
                            f"{', '.join(repr(p) for p in pilots)})")
            continue
        if to in pilots:
            next_hop[group.pilot] = to
        problems.extend(_forward_case_violations(group, path))
    problems.extend(forward_loops(next_hop, pilots))
    return problems


def _forward_case_violations(group: HuntGroup, path: str) -> list[str]:
    """Forward cases that could never happen in this group."""
    assert group.forward is not None
    problems = []
    when = group.forward.when
    queueing = group.all_busy_treatment == "queue"
    if "queue_timeout" in when and not (queueing and group.max_wait is not None):
        problems.append(f"{path}.when: 'queue_timeout' needs when_all_busy: queue and a "
                        "max_wait (without them no caller times out of a queue)")
    if "after_hours" in when and group.open is None:
        problems.append(f"{path}.when: 'after_hours' but the group has no open hours, so "
                        "no call is ever after hours (add open: [...])")
    if "all_busy" in when and queueing and group.max_queue is None:
        problems.append(f"{path}.when: 'all_busy' in a queueing group without max_queue: "
                        "callers always queue, so none is forwarded (set max_queue)")
    return problems


def _queue_limit_violations(group: HuntGroup, where: str) -> list[str]:
    problems = []
    if group.all_busy_treatment != "queue":
        for key in ("max_wait", "max_queue", "rering"):
            if getattr(group, key) is not None:
                problems.append(f"{where}.{key}: only applies to a queue "
                                "(set when_all_busy: queue, or remove it)")
    if group.rering is not None and group.max_wait is None:
        problems.append(f"{where}.rering: needs max_wait (rounds repeat until it runs out)")
    if group.stagger is not None and group.policy != "staggered":
        problems.append(f"{where}.stagger: only used by the staggered policy "
                        f"(policy is {group.policy!r})")
    return problems


