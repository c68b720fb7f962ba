"""One person, one member: a ``queue_log``'s interfaces joined to its member names.

Asterisk writes ADDMEMBER and REMOVEMEMBER under the member's interface
(``SIP/1001``) unless ``log_membername_as_agent`` is set, but rings, answers and
pauses under the member name (``Sathish``). Read as written, one person becomes
two members: one always logged in who takes the calls, one who logs in and out
and never rings.

The log does not say which interface is whose, so they are joined by time and
queue: an interface seen only logging in and out of the queue, and a name seen
only ringing, answering or pausing, are the same person when the name's lines
fall while the interface is logged in. Each interface is paired with at most
one name (``scipy.optimize.linear_sum_assignment``), scoring each pair by the
name's lines inside the interface's logged-in stretches less those outside;
ties go to pairing the interfaces in the order of their first log-in with the
names in the order of their first line. A pair is joined only when more of the
name's lines fall inside than outside; every join, and every interface left
apart, is said in the warnings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from huntsim.fit.logs.common import LogWarnings

__all__ = ["join_interfaces"]

JOINED = "member interfaces joined to member names by time and queue"
APART = "interface logging in and out, never rung, joined to no member name"
ABSENT = "member only ever removed (never logged in, rung nor paused): left out"


def _logged_in(events: list[tuple[float, str]], end: float) -> list[tuple[float, float]]:
    """The stretches an interface was logged in, from its log-ins and log-outs in time order
    (before a first log-out it was logged in since the log's start)."""
    stretches = []
    since: float | None = -np.inf if events and events[0][1] == "logout" else None
    for at, event in events:
        if event == "login" and since is None:
            since = at
        elif event == "logout" and since is not None:
            stretches.append((since, at))
            since = None
    if since is not None:
        stretches.append((since, end))
    return stretches


def join_interfaces(presence: list[Any], rings: list[Any], logged: dict[str, str],
                    warnings: LogWarnings, renamed: dict[str, str] | None = None) -> list[Any]:
    """``presence`` rows with each interface's member renamed to the member name it is.

    Parameters
    ----------
    presence : list of tuple
        ``(member, epoch, event, reason)`` rows of the queue.
    rings : list of tuple
        ``(call_id, member, epoch, ring_s, result)`` rows of the queue.
    logged : dict
        Each member as the log wrote it (``1001`` -> ``SIP/1001``), for the warnings.
    warnings : LogWarnings
        Where the joins are said.
    renamed : dict, optional
        Filled with each interface joined and the member name it is (for the
        queue's other lines written under the interface, such as ``PENALTY``).

    Returns
    -------
    list of tuple
        The presence rows, interfaces renamed.
    """
    sessions: dict[str, list[tuple[float, str]]] = defaultdict(list)
    activity: dict[str, list[float]] = defaultdict(list)
    for member, at, event, _ in presence:
        if event in ("login", "logout"):
            sessions[member].append((at, event))
        else:
            activity[member].append(at)
    for _, member, at, _, _ in rings:
        activity[member].append(at)
    interfaces = sorted(m for m in sessions if m not in activity)
    names = sorted(m for m in activity if m not in sessions)
    if not interfaces or not names:
        return _without_absent(presence, sessions, activity, logged, warnings)
    times = [at for _, at, _, _ in presence] + [r[2] for r in rings]
    start, end = min(times), max(times) + 1.0
    span = end - start + 1.0
    pairs = min(len(interfaces), len(names)) + 1  # the ties of all pairs weigh less than 1
    score = np.zeros((len(interfaces), len(names)))
    inside = np.zeros_like(score)
    for i, interface in enumerate(interfaces):
        events = sorted(sessions[interface])
        stretches = _logged_in(events, end)
        first_in = min((s for s, _ in stretches), default=end)
        first_in = start if not np.isfinite(first_in) else first_in
        for j, name in enumerate(names):
            at = np.asarray(activity[name])
            hit = np.zeros(len(at), dtype=bool)
            for begin, finish in stretches:
                hit |= (at >= begin) & (at < finish)
            inside[i, j] = hit.sum()
            gap = float(at.min()) - first_in
            # in [0, 1): squared, so that the interfaces pair with the names in order
            tie = (gap / span) ** 2 / 2 if gap >= 0 else 0.5 + min(-gap / span, 0.99) / 2
            score[i, j] = 2 * hit.sum() - len(at) - tie / pairs
    rows, cols = linear_sum_assignment(-score)
    rename: dict[str, str] = {}
    said = []
    for i, j in zip(rows, cols, strict=True):
        n = len(activity[names[j]])
        if 2 * inside[i, j] > n:
            rename[interfaces[i]] = names[j]
            said.append(f"{logged.get(interfaces[i], interfaces[i])} is {names[j]!r} "
                        f"({int(inside[i, j])} of {n} of its rings and pauses while "
                        "logged in)")
    if renamed is not None:
        renamed.update(rename)
    if said:
        warnings.add(JOINED, None, "; ".join(said))
        warnings.counts[JOINED] += len(said) - 1
    for interface in interfaces:
        if interface not in rename and any(e == "login" for _, e in sessions[interface]):
            warnings.add(APART, None, f"{logged.get(interface, interface)} (kept apart)")
    joined = [(rename.get(member, member), at, event, reason)
              for member, at, event, reason in presence]
    return _without_absent(joined, {m: e for m, e in sessions.items() if m not in rename},
                           activity, logged, warnings)


def _without_absent(presence: list[Any], sessions: dict[str, list[tuple[float, str]]],
                    activity: dict[str, list[float]], logged: dict[str, str],
                    warnings: LogWarnings) -> list[Any]:
    """``presence`` less the members who never logged in, rang, answered nor paused (only
    removed, e.g. at a restart): not members of the queue in the log's time."""
    absent = {m for m, events in sessions.items()
              if m not in activity and not any(e == "login" for _, e in events)}
    for member in sorted(absent):
        warnings.add(ABSENT, None, logged.get(member, member))
    return [row for row in presence if row[0] not in absent]
