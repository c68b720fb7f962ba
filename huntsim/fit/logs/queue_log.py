"""Asterisk's ``queue_log``: ``epoch|callid|queue|agent|event|data1|data2|...``.

The flat file or a realtime table's export (:mod:`~huntsim.fit.logs.queue_lines`).
Event layouts read (``apps/app_queue.c``'s ``ast_queue_log`` calls):

- ``ENTERQUEUE|url|callerid|position``: the call arrives.
- ``RINGNOANSWER|ringtime`` (milliseconds): a member rang until the time-out
  (0 ms: the member could not be rung at all; left out).
- ``RINGCANCELED|ringtime`` (ms): a ring cut short (the caller left while it rang).
  Asterisk logs nothing for the phones another member's answer stopped; in a
  ring-all queue :mod:`~huntsim.fit.logs.queue_ringall` adds them back.
- ``CONNECT|holdtime|bridgedchanneluniqueid|ringtime`` (seconds): answered.
- ``COMPLETECALLER|holdtime|calltime|origposition`` and ``COMPLETEAGENT``: the
  answered call ends; ``TRANSFER``/``BLINDTRANSFER|extension|context|holdtime|calltime``
  and ``ATTENDEDTRANSFER|BRIDGE|id|holdtime|calltime`` (or ``APP|app|...``) too;
  ``ATTENDEDTRANSFER|LINK|chan1|chan2|holdtime|calltime`` has it one field later.
- ``ABANDON|position|origposition|waittime``, ``EXITWITHKEY|key|position|origposition|
  waittime``: the caller left (abandoned). A caller who left by a key had not hung up
  (a call back, another menu): also in :attr:`LogData.key_exits`
  (:mod:`~huntsim.fit.logs.queue_keys`), and read as censored for caller patience.
- ``EXITWITHTIMEOUT|position|origposition|waittime``, ``EXITEMPTY|...`` and
  ``WITHDRAW|position|origposition|waittime|info`` (taken out by the manager): the
  queue let the caller go (read as voicemail, the usual next step in the
  dialplan; what really follows is an assumption of the fit: a forward out of
  the office, a ``Dial()`` after ``Queue()``, is not in queue_log and looks the same).
- ``ADDMEMBER``/``REMOVEMEMBER`` (``ADDMEMBER|PAUSED``: added paused),
  ``AGENTLOGIN``/``AGENTLOGOFF``: log-in, log-out; ``PAUSE|reason``/``UNPAUSE`` (and
  ``PAUSEALL``/``UNPAUSEALL``, queue ``NONE``): pauses. ``ADDMEMBER``'s one field is
  ``PAUSED`` or empty: Asterisk does not log the penalty a member joins with
  (``app_queue.c``'s ``ast_queue_log(..., "ADDMEMBER", "%s", paused ? "PAUSED" : "")``).
- ``PENALTY|penalty`` (callid ``NONE``, agent the interface): a member's penalty in
  the queue set (``set_member_penalty_help_members``: ``ast_queue_log(q->name, "NONE",
  interface, "PENALTY", "%d", penalty)``, from ``QueuePenalty``, ``QUEUE_MEMBER``'s
  penalty or the CLI); read into :attr:`LogData.penalties`. A penalty given in
  ``queues.conf`` (``member => interface,penalty,...``) or with ``AddQueueMember`` is
  never logged.

Asterisk logs ADDMEMBER and REMOVEMEMBER under the interface (``SIP/1001``) but
rings, answers and pauses under the member name (``Sathish``) unless
``log_membername_as_agent``: :func:`~huntsim.fit.logs.queue_members.join_interfaces`
makes them one member, and says how in the warnings.

Other known events (``QUEUESTART``, ``CONFIGRELOAD``, ``RINGINUSE``, ``AGENTDUMP``,
``DID``, ``INFO``...) are ignored; unknown events, unreadable lines and
a clock that goes backwards are counted in the warnings. Lines of other queues are
counted and left out, but the members' rings there are kept in
:attr:`LogData.other_rings` (a member busy in another queue is not wrapping up), and
the calls every member answered in any queue (``CONNECT`` to ``COMPLETE*``) in
:attr:`LogData.busy` (a ring to a member then is call waiting: ``ringinuse``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.logs.common import (
    BUSY_COLUMNS,
    CALL_COLUMNS,
    KEY_EXIT_COLUMNS,
    OTHER_RING_COLUMNS,
    PENALTY_COLUMNS,
    PRESENCE_COLUMNS,
    RING_COLUMNS,
    LogData,
    LogError,
    LogWarnings,
    as_path,
    log_period,
    log_text,
    member_number,
)
from huntsim.fit.logs.queue_keys import key_exit_rows
from huntsim.fit.logs.queue_lines import Event, read_events
from huntsim.fit.logs.queue_members import join_interfaces
from huntsim.fit.logs.queue_ringall import add_stopped_rings

__all__ = ["log_queues", "read_queue_log"]

CALL_EVENTS = frozenset({
    "ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER",
    "ATTENDEDTRANSFER", "ABANDON", "EXITWITHKEY", "EXITWITHTIMEOUT", "EXITEMPTY", "WITHDRAW",
    "RINGNOANSWER", "RINGCANCELED",
})
PRESENCE_EVENTS = {
    "ADDMEMBER": "login", "AGENTLOGIN": "login", "AGENTCALLBACKLOGIN": "login",
    "REMOVEMEMBER": "logout", "AGENTLOGOFF": "logout", "AGENTCALLBACKLOGOFF": "logout",
    "PAUSE": "pause", "PAUSEALL": "pause", "UNPAUSE": "unpause", "UNPAUSEALL": "unpause",
}
IGNORED_EVENTS = frozenset({
    "QUEUESTART", "CONFIGRELOAD", "AGENTDUMP", "DID", "INFO", "SYSCOMPAT",
    "JOINEMPTY", "RINGCANCELLED", "MIXMONITOR", "RINGINUSE",
})
LEAVING = {"ABANDON": "abandoned", "EXITWITHKEY": "abandoned", "EXITWITHTIMEOUT": "voicemail",
           "EXITEMPTY": "voicemail", "WITHDRAW": "voicemail"}
"""How a caller leaves the queue unanswered, and the outcome it is read as."""


def _number(fields: list[str], index: int) -> float:
    """Field ``index`` of the data as a number; NaN when missing or not a number."""
    try:
        value = float(fields[index])
    except (IndexError, ValueError):
        return float("nan")
    return value if np.isfinite(value) and value >= 0 else float("nan")


def read_queue_log(path: str | Path, queue: str | None = None, tz: str | None = None) -> LogData:
    """Read an Asterisk ``queue_log`` into the normalised tables.

    Parameters
    ----------
    path : path
        The ``queue_log`` file.
    queue : str, optional
        The queue to read; default: the only one, or the one with the most
        calls (with a warning).
    tz : str, optional
        The office's time zone: epoch times become its wall clock, and date-times
        without a zone (a realtime table's) are read as its wall clock; default UTC.

    Returns
    -------
    LogData

    Raises
    ------
    LogError
        When no call of the queue can be read (naming the file and the first problems).
    """
    file = as_path(path)
    warnings = LogWarnings(str(file))
    read = _read_lines(file, tz, warnings)
    events = [e for e in read if e.event not in IGNORED_EVENTS]
    chosen = _choose_queue(events, queue, warnings, file)
    calls, rings = _calls(events, chosen, warnings)
    presence, logged = _presence(events, chosen)
    renamed: dict[str, str] = {}
    presence = join_interfaces(presence, rings, logged, warnings, renamed)
    busy = _busy_all(events)
    rings = add_stopped_rings(calls, rings, presence, warnings,
                              _busy_elsewhere(busy, chosen))
    if not calls:
        raise warnings.error(f"no complete call of queue {chosen!r} could be read")
    call_frame = pd.DataFrame(calls, columns=list(CALL_COLUMNS))
    ring_frame = pd.DataFrame(rings, columns=list(RING_COLUMNS))
    presence_frame = pd.DataFrame(presence, columns=list(PRESENCE_COLUMNS))
    call_frame["arrival"] = _local(call_frame["arrival"], tz)
    ring_frame["end"] = _local(ring_frame["end"], tz)
    presence_frame["time"] = _local(presence_frame["time"], tz)
    penalty_frame = pd.DataFrame(_penalties(events, chosen, renamed, warnings),
                                 columns=list(PENALTY_COLUMNS))
    penalty_frame["time"] = _local(penalty_frame["time"], tz)
    other_frame = pd.DataFrame(_other_rings(events, chosen, {r[1] for r in rings}),
                               columns=list(OTHER_RING_COLUMNS))
    other_frame["start"] = _local(other_frame["start"], tz)
    busy_frame = pd.DataFrame(busy, columns=list(BUSY_COLUMNS))
    busy_frame["start"], busy_frame["end"] = (_local(busy_frame["start"], tz),
                                              _local(busy_frame["end"], tz))
    keys = pd.DataFrame(key_exit_rows(events), columns=list(KEY_EXIT_COLUMNS))
    keys["left"], keys["served_by"] = _local(keys["left"], tz), _local(keys["served_by"], tz)
    call_frame = call_frame.sort_values("arrival", kind="stable").reset_index(drop=True)
    start, end = log_period(pd.concat([call_frame["arrival"], presence_frame["time"]]))
    return LogData(call_frame, ring_frame, presence_frame, "asterisk-queue-log", warnings,
                   start, end, has_rings=True, has_presence=bool(len(presence_frame)),
                   penalties=penalty_frame, other_rings=other_frame, key_exits=keys,
                   busy=busy_frame)


def _read_lines(file: Path, tz: str | None, warnings: LogWarnings) -> list[Event]:
    """The lines of the events the reader knows (calls, presence, penalties, and those
    it ignores on purpose); other lines are counted as bad in ``warnings``."""
    return read_events(log_text(file), tz, warnings, CALL_EVENTS | PRESENCE_EVENTS.keys()
                       | IGNORED_EVENTS | {"PENALTY"})


def _local(epochs: pd.Series, tz: str | None) -> pd.Series:
    """Epoch seconds as the office's wall-clock times (naive)."""
    stamps = pd.to_datetime(epochs.astype(float), unit="s", utc=True)
    return stamps.dt.tz_convert(tz or "UTC").dt.tz_localize(None)


def _choose_queue(events: list[Any], queue: str | None, warnings: LogWarnings,
                  file: Path) -> str:
    counts = Counter(e[3] for e in events if e[5] == "ENTERQUEUE")
    if queue is not None:
        if counts.get(queue, 0) == 0:
            found = ", ".join(f"{q!r} ({n} calls)" for q, n in counts.most_common(5))
            raise LogError(f"{file}: no calls of queue {queue!r} in this log"
                           + (f"; it has {found}" if found else "; it has no calls at all"))
        chosen = queue
    elif not counts:
        raise warnings.error("no call enters a queue (no ENTERQUEUE line)")
    else:
        chosen = counts.most_common(1)[0][0]
        if len(counts) > 1:
            warnings.add("several queues in the log: fitted the busiest (give --queue)", None,
                         ", ".join(f"{q!r} ({n})" for q, n in counts.most_common(5)))
    others = sum(1 for e in events if e[3] not in (chosen, "NONE", ""))
    for _ in range(others):
        warnings.add("line of another queue (left out)", None, f"queue is not {chosen!r}")
    return chosen


def _calls(events: list[Any], queue: str, warnings: LogWarnings) -> tuple[list[Any], list[Any]]:
    by_call: dict[str, list[Any]] = defaultdict(list)
    for e in events:
        if e[3] == queue and e[5] in CALL_EVENTS:
            by_call[e[2]].append(e)
    calls, rings = [], []
    for call_id, lines in by_call.items():
        lines.sort(key=lambda e: e[1])
        enter = next((e for e in lines if e[5] == "ENTERQUEUE"), None)
        if enter is None:
            warnings.add("call without ENTERQUEUE (log starts mid-call?)", lines[0][0],
                         f"callid {call_id!r}")
            continue
        arrival = enter[1]
        row: dict[str, Any] = {"call_id": call_id, "queue": queue, "kind": "pilot",
                               "dialed": queue, "caller": enter[6][1] if len(enter[6]) > 1
                               else "", "arrival": arrival, "outcome": None, "agent": None,
                               "wait_s": np.nan, "talk_s": np.nan, "leave_s": np.nan,
                               "rings": 0, "line": enter[0]}
        for number, at, _, _, agent, event, data in lines:
            if event == "RINGNOANSWER" or event == "RINGCANCELED":
                ms = _number(data, 0)
                if not ms > 0:
                    warnings.add("ring that never rang (0 ms, member unreachable)", number)
                    continue
                rings.append((call_id, member_number(agent), at, ms / 1000.0,
                              "no_answer" if event == "RINGNOANSWER" else "cancelled"))
                row["rings"] += 1
            elif event == "CONNECT":
                hold, ring = _number(data, 0), _number(data, 2)
                row.update(outcome="answered", agent=member_number(agent),
                           wait_s=hold if np.isfinite(hold) else at - arrival)
                rings.append((call_id, row["agent"], at,
                              ring if np.isfinite(ring) else np.nan, "answered"))
                row["rings"] += 1
            elif event in ("COMPLETECALLER", "COMPLETEAGENT"):
                row["talk_s"] = _number(data, 1)
            elif event in ("TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"):
                # the talk before the transfer; an attended transfer's LINK form names
                # two channels, so its call time is one field later
                link = event == "ATTENDEDTRANSFER" and data[:1] == ["LINK"]
                row["talk_s"] = _number(data, 4 if link else 3)
            elif event in LEAVING:
                if row["outcome"] == "answered":
                    continue
                waited = _number(data, 3 if event == "EXITWITHKEY" else 2)
                row["outcome"] = LEAVING[event]
                row["leave_s"] = waited if np.isfinite(waited) else at - arrival
        if row["outcome"] is None:
            warnings.add("call without an end (log cut off?)", enter[0], f"callid {call_id!r}")
            continue
        if row["outcome"] == "answered" and not np.isfinite(row["talk_s"]):
            warnings.add("answered call without COMPLETE (talk time unknown)", enter[0],
                         f"callid {call_id!r}")
        calls.append([row[c] for c in CALL_COLUMNS])
    return calls, rings


def _other_rings(events: list[Event], queue: str,
                 members: set[str]) -> list[tuple[str, str, float]]:
    """Rows ``(queue, member, epoch)``: when each ring of the members in another queue
    began (``RINGNOANSWER``/``RINGCANCELED``'s milliseconds, ``CONNECT``'s ring seconds
    before the line)."""
    rows = []
    for e in events:
        if e.queue in (queue, "NONE", "") or e.event not in (
                "RINGNOANSWER", "RINGCANCELED", "CONNECT"):
            continue
        member = member_number(e.agent)
        if member not in members:
            continue
        if e.event == "CONNECT":
            ring = _number(e.data, 2)
            rows.append((e.queue, member, e.at - (ring if np.isfinite(ring) else 0.0)))
        elif _number(e.data, 0) > 0:
            rows.append((e.queue, member, e.at - _number(e.data, 0) / 1000.0))
    return rows


def _busy_all(events: list[Event]) -> list[tuple[str, str, str, float, float]]:
    """Rows ``(queue, call id, member, start, end)``: each call a member answered in any queue of
    the log, from its ``CONNECT`` to its end (``COMPLETE*`` or a transfer), epoch seconds."""
    answered: dict[tuple[str, str], tuple[str, float]] = {}
    rows = []
    for e in events:
        if e.queue in ("NONE", ""):
            continue
        if e.event == "CONNECT":
            answered[(e.queue, e.callid)] = (member_number(e.agent), e.at)
        elif e.event in ("COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER",
                         "ATTENDEDTRANSFER") and (e.queue, e.callid) in answered:
            member, start = answered.pop((e.queue, e.callid))
            rows.append((e.queue, e.callid, member, start, e.at))
    return rows


def _busy_elsewhere(busy: list[tuple[str, str, str, float, float]],
                    queue: str) -> dict[str, list[tuple[float, float]]]:
    """Per member, the calls they answered in the log's other queues (``CONNECT`` to the
    call's end), epoch seconds."""
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for where, _, member, start, end in busy:
        if where != queue:
            out[member].append((start, end))
    return out


def _presence(events: list[Event], queue: str) -> tuple[list[Any], dict[str, str]]:
    """Presence rows ``(member, epoch, event, reason)``, and each member's name as logged.

    A member added paused (``ADDMEMBER|PAUSED``) starts a pause at the log-in."""
    rows: list[Any] = []
    logged: dict[str, str] = {}
    for e in events:
        if e.event not in PRESENCE_EVENTS or e.queue not in (queue, "NONE", "") \
                or e.agent in ("", "NONE"):
            continue
        member = member_number(e.agent)
        logged.setdefault(member, e.agent)
        first = e.data[0].strip() if e.data else ""
        reason = first if e.event.startswith("PAUSE") else ""
        rows.append((member, e.at, PRESENCE_EVENTS[e.event], reason))
        if e.event == "ADDMEMBER" and first.upper() == "PAUSED":
            rows.append((member, e.at, "pause", "added paused"))
    return rows, logged


def _penalties(events: list[Event], queue: str, renamed: dict[str, str],
               warnings: LogWarnings) -> list[tuple[str, float, int]]:
    """Penalty rows ``(member, epoch, penalty)`` of the queue's ``PENALTY`` lines
    (logged under the interface: joined to the member name where the log-ins were)."""
    rows = []
    for e in events:
        if e.event != "PENALTY" or e.queue != queue:
            continue
        try:
            penalty = int(e.data[0]) if e.data else -1
        except ValueError:
            penalty = -1
        if penalty < 0:  # a negative penalty (negative_penalty_invalid) logs the member off
            warnings.add("PENALTY line without a penalty of 0 or more (left out)", e.line,
                         f"data {'|'.join(e.data)!r}")
            continue
        member = member_number(e.agent)
        rows.append((renamed.get(member, member), e.at, penalty))
    return rows


def log_queues(path: str | Path, tz: str | None = None) -> list[tuple[str, int]]:
    """The queues of a ``queue_log`` with their calls (``ENTERQUEUE`` lines), busiest first.

    Raises
    ------
    LogError
        When the file cannot be read or no call enters a queue.
    """
    file = as_path(path)
    warnings = LogWarnings(str(file))
    read = _read_lines(file, tz, warnings)
    counts = Counter(e.queue for e in read if e.event == "ENTERQUEUE")
    if not counts:
        raise warnings.error("no call enters a queue (no ENTERQUEUE line)")
    return counts.most_common()
