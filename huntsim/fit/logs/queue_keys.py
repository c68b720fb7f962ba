"""Callers who left a ``queue_log``'s queue by a key (``EXITWITHKEY``), and when the queue
had served the callers behind them.

``EXITWITHKEY|key|position|origposition|waittime`` is logged when a caller presses a key
that the queue's ``context`` (``queues.conf``) has an extension for: ``app_queue.c``'s
``valid_exit`` leaves the queue for that extension of the dialplan. The caller had not hung
up: what follows is the dialplan's, not in ``queue_log`` (a call-back request, voicemail,
another menu). For caller patience such a caller is *censored* at their wait (they were
still on the line), not an abandon.

Where the key leads to a call back (huntsim's export writes a call back so), a member
calls the caller later: work that ``queue_log`` does not show, which looks like a long
wrap-up. A queue that serves its callers in order (huntsim's call backs keep the caller's
place) makes that call back before it rings anyone who arrived after the caller, so
:attr:`LogData.key_exits` gives each such caller a window from leaving to the first ring,
after that, of a caller who arrived later in the same queue (``served_by``; ``NaT`` when
none did): a member may be busy unseen then.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from huntsim.fit.logs.queue_lines import Event

__all__ = ["key_exit_rows"]

_RING_EVENTS = ("RINGNOANSWER", "RINGCANCELED", "CONNECT")


def _ring_start(e: Event) -> float | None:
    """When a ring line's ring began (epoch); ``None`` for a ring that never rang."""
    index = 2 if e.event == "CONNECT" else 0
    try:
        value = float(e.data[index])
    except (IndexError, ValueError):
        value = 0.0 if e.event == "CONNECT" else float("nan")
    if not np.isfinite(value) or value < 0:
        return None
    if e.event == "CONNECT":
        return e.at - value
    return e.at - value / 1000.0 if value > 0 else None


def key_exit_rows(events: list[Event]) -> list[tuple[Any, ...]]:
    """Rows ``(queue, call_id, left, served_by)`` (epoch seconds; ``served_by`` NaN when no
    later caller of the queue rang after) of every ``EXITWITHKEY`` of every queue."""
    arrival: dict[tuple[str, str], float] = {}
    starts: dict[str, list[tuple[float, float]]] = defaultdict(list)  # (arrival, ring start)
    keyed: list[tuple[str, str, float]] = []
    for e in events:
        if e.event == "ENTERQUEUE":
            arrival.setdefault((e.queue, e.callid), e.at)
        elif e.event == "EXITWITHKEY":
            keyed.append((e.queue, e.callid, e.at))
    if not keyed:
        return []
    for e in events:
        if e.event in _RING_EVENTS and (e.queue, e.callid) in arrival:
            start = _ring_start(e)
            if start is not None:
                starts[e.queue].append((arrival[(e.queue, e.callid)], start))
    rows: list[tuple[Any, ...]] = []
    for queue, callid, left in keyed:
        came = arrival.get((queue, callid), left)
        table = np.asarray(starts.get(queue, []), dtype=float).reshape(-1, 2)
        later = table[(table[:, 0] > came) & (table[:, 1] >= left), 1]
        rows.append((queue, callid, left, float(later.min()) if len(later) else np.nan))
    return rows
