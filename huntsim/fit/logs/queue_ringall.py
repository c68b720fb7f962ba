"""The rings a ring-all queue's ``queue_log`` leaves out: phones stopped by another's answer.

When one member answers a ``ringall`` call, Asterisk hangs up the other phones
(``hangupcalls`` in ``apps/app_queue.c``) and logs nothing for them: no
``RINGNOANSWER``, no ``RINGCANCELED``. Read as they are, the rings left in the
log are those of the member who answered first and those of rounds nobody
answered, so every member's answer probability comes out too high (the rings
they lost to a faster colleague are missing). For a queue whose rings ring out
together (ring-all), :func:`add_stopped_rings` puts them back: at each answer,
every other member of the queue who was free when that round began (logged in,
not paused, not on a call of this queue or of another queue of the log) rang too,
for as long as the answered ring, and was cut short; one who rang out earlier for the
same call only where the queue rings members again (some member rings twice for one
call in the log).
What the queue_log does not show (direct calls, wrap-up) cannot be seen, so a
member busy with it counts as rung.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from huntsim.fit.logs.common import CALL_COLUMNS, LogWarnings

__all__ = ["add_stopped_rings", "rings_out_together"]

TOGETHER_S = 1.0
"""Rings that ring out within this many seconds of one another rang together."""


def rings_out_together(rings: list[Any]) -> bool:
    """Whether the queue rings all its members at once: in at least 80 % of the calls
    whose phones rang out for two or more members, two or more rang out together
    (at least 10 such calls)."""
    ends: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for call_id, agent, at, _, result in rings:
        if result == "no_answer":
            ends[call_id].append((float(at), str(agent)))
    several = together = 0
    for lines in ends.values():
        if len({agent for _, agent in lines}) < 2:
            continue
        several += 1
        times = sorted(at for at, _ in lines)
        together += bool(np.any(np.diff(times) <= TOGETHER_S))
    return several >= 10 and together >= 0.8 * several


def _unavailable(presence: list[Any]) -> dict[str, list[tuple[float, float]]]:
    """Per member, the stretches logged out or paused (epoch seconds)."""
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_member: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for member, at, event, _ in presence:
        by_member[str(member)].append((float(at), str(event)))
    for member, events in by_member.items():
        events.sort(key=lambda e: e[0])
        sessions = [e for e in events if e[1] in ("login", "logout")]
        logged_in = not sessions or sessions[0][1] == "logout"
        away_since: float | None = None if logged_in else -np.inf
        paused_since: float | None = None
        for at, event in events:
            if event == "logout" and logged_in:
                logged_in, away_since = False, at
            elif event == "login" and not logged_in:
                logged_in = True
                out[member].append((away_since if away_since is not None else -np.inf, at))
            elif event == "pause" and paused_since is None:
                paused_since = at
            elif event == "unpause" and paused_since is not None:
                out[member].append((paused_since, at))
                paused_since = None
        if not logged_in:
            out[member].append((away_since if away_since is not None else -np.inf, np.inf))
        if paused_since is not None:
            out[member].append((paused_since, np.inf))
    return out


def add_stopped_rings(calls: list[Any], rings: list[Any], presence: list[Any],
                      warnings: LogWarnings,
                      elsewhere: dict[str, list[tuple[float, float]]] | None = None,
                      ) -> list[Any]:
    """``rings`` with, for a ring-all queue, the rings another member's answer stopped.

    Parameters
    ----------
    calls, rings, presence : lists
        The queue_log reader's rows (:data:`CALL_COLUMNS`, ``(call_id, agent, end,
        ring_s, result)``, ``(member, epoch, event, reason)``), times in epoch seconds.
    elsewhere : dict, optional
        Per member, ``(start, end)`` of the calls they answered in the log's other
        queues: not free then, so not rung.

    Returns
    -------
    list
        The rings, the added ones last (``cancelled``, ending at the answer).
    """
    if not rings_out_together(rings):
        return rings
    members = list(dict.fromkeys(str(r[1]) for r in rings))
    col = {name: i for i, name in enumerate(CALL_COLUMNS)}
    busy: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for member, stretches in (elsewhere or {}).items():
        busy[member].extend(stretches)
    for row in calls:
        if row[col["outcome"]] != "answered" or row[col["agent"]] is None:
            continue
        start = float(row[col["arrival"]]) + float(row[col["wait_s"]])
        talk = float(row[col["talk_s"]])
        busy[str(row[col["agent"]])].append((start, start + (talk if np.isfinite(talk) else 0.0)))
    away = _unavailable(presence)
    # the rings logged per call and member: one that ends after a round began was part of it
    logged: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rings:
        logged[(str(r[0]), str(r[1]))].append(float(r[2]))
    # a queue that rings a member again for the same call (``retry``: rounds) rang one who
    # rang out earlier in the answered round too; one that never does, did not
    rerings = any(len(ends) > 1 for ends in logged.values())
    added = []
    for call_id, agent, at, ring_s, result in rings:
        if result != "answered" or not np.isfinite(ring_s):
            continue
        begun = float(at) - float(ring_s)
        for member in members:
            ends = logged.get((str(call_id), member), ())
            if member == agent or any(end > begun or not rerings for end in ends):
                continue
            if any(a <= begun < b for a, b in busy.get(member, ())) or \
                    any(a <= begun < b for a, b in away.get(member, ())):
                continue
            added.append((call_id, member, at, ring_s, "cancelled"))
    if added:
        warnings.add("ring-all queue: phones another member's answer stopped are not logged "
                     "(added as cut short for each member free then)", None,
                     f"{len(added)} rings")
    return rings + added
