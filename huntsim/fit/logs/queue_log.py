"""Asterisk's ``queue_log``: ``epoch|callid|queue|agent|event|data1|data2|...``.

Event layouts read (Asterisk documentation, "Queue Logs"):

- ``ENTERQUEUE|url|callerid``: the call arrives.
- ``RINGNOANSWER|ringtime`` (milliseconds): a member rang until the time-out
  (0 ms: the member could not be rung at all; left out).
- ``RINGCANCELED|ringtime`` (ms): a ring cut short (another member answered,
  or the caller hung up).
- ``CONNECT|holdtime|bridgedchanneluniqueid|ringtime`` (seconds): answered.
- ``COMPLETECALLER|holdtime|calltime|origposition`` and ``COMPLETEAGENT``: the
  answered call ends; ``TRANSFER|extension|context|holdtime|calltime`` too
  (``BLINDTRANSFER`` and ``ATTENDEDTRANSFER`` keep the call time fourth).
- ``ABANDON|position|origposition|waittime``, ``EXITWITHKEY|key|position|...``:
  the caller left (abandoned).
- ``EXITWITHTIMEOUT|position|origposition|waittime``, ``EXITEMPTY|...``: the
  queue let the caller go (read as voicemail, the usual next step in the
  dialplan; what really follows is an assumption of the fit).
- ``ADDMEMBER``/``REMOVEMEMBER``, ``AGENTLOGIN``/``AGENTLOGOFF``: log-in, log-out;
  ``PAUSE|reason``/``UNPAUSE`` (and ``PAUSEALL``/``UNPAUSEALL``): pauses.

Other known events (``QUEUESTART``, ``CONFIGRELOAD``, ``AGENTDUMP``, ``DID``,
``INFO``...) are ignored; unknown events, unreadable lines and a clock that
goes backwards are counted in the warnings. Lines of other queues are counted
and left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.logs.common import (
    CALL_COLUMNS,
    PRESENCE_COLUMNS,
    RING_COLUMNS,
    LogData,
    LogError,
    LogWarnings,
    as_path,
    log_period,
    member_number,
)

__all__ = ["read_queue_log"]

CALL_EVENTS = frozenset({
    "ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER",
    "ATTENDEDTRANSFER", "ABANDON", "EXITWITHKEY", "EXITWITHTIMEOUT", "EXITEMPTY",
    "RINGNOANSWER", "RINGCANCELED",
})
PRESENCE_EVENTS = {
    "ADDMEMBER": "login", "AGENTLOGIN": "login", "AGENTCALLBACKLOGIN": "login",
    "REMOVEMEMBER": "logout", "AGENTLOGOFF": "logout", "AGENTCALLBACKLOGOFF": "logout",
    "PAUSE": "pause", "PAUSEALL": "pause", "UNPAUSE": "unpause", "UNPAUSEALL": "unpause",
}
IGNORED_EVENTS = frozenset({
    "QUEUESTART", "CONFIGRELOAD", "AGENTDUMP", "DID", "INFO", "SYSCOMPAT", "PENALTY",
    "JOINEMPTY", "RINGCANCELLED", "MIXMONITOR",
})


def _time(text: str) -> float | None:
    """Seconds since the epoch, from an epoch number or a date-time (UTC)."""
    try:
        value = float(text)
    except ValueError:
        try:
            return float(pd.Timestamp(text, tz="UTC").timestamp())
        except (ValueError, TypeError):
            return None
    return value if np.isfinite(value) and value > 0 else None


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
        The office's time zone (epoch times become its wall-clock); default UTC.

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
    events: list[tuple[int, float, str, str, str, str, list[str]]] = []
    latest = -np.inf
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise LogError(f"{str(file)!r}: cannot be read: {error}") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        fields = line.split("|")
        if len(fields) < 5:
            warnings.add("truncated line (fewer than 5 fields)", number, f"{line[:60]!r}")
            continue
        at = _time(fields[0])
        if at is None:
            warnings.add("unreadable time", number, f"field 1 (time) {fields[0][:30]!r}")
            continue
        if at < latest:
            warnings.add("clock went backwards", number, f"{latest - at:g} s earlier")
        latest = max(latest, at)
        event = fields[4].strip().upper()
        if event not in CALL_EVENTS and event not in PRESENCE_EVENTS:
            if event not in IGNORED_EVENTS:
                warnings.add(f"unknown event {event[:30]!r}", number, "field 5 (event)")
            continue
        events.append((number, at, fields[1].strip(), fields[2].strip(), fields[3].strip(),
                       event, fields[5:]))
    chosen = _choose_queue(events, queue, warnings, file)
    calls, rings = _calls(events, chosen, warnings)
    presence = _presence(events, chosen)
    if not calls:
        raise warnings.error(f"no complete call of queue {chosen!r} could be read")
    call_frame = pd.DataFrame(calls, columns=list(CALL_COLUMNS))
    ring_frame = pd.DataFrame(rings, columns=list(RING_COLUMNS))
    presence_frame = pd.DataFrame(presence, columns=list(PRESENCE_COLUMNS))
    call_frame["arrival"] = _local(call_frame["arrival"], tz)
    ring_frame["end"] = _local(ring_frame["end"], tz)
    presence_frame["time"] = _local(presence_frame["time"], tz)
    call_frame = call_frame.sort_values("arrival", kind="stable").reset_index(drop=True)
    start, end = log_period(pd.concat([call_frame["arrival"], presence_frame["time"]]))
    return LogData(call_frame, ring_frame, presence_frame, "asterisk-queue-log", warnings,
                   start, end, has_rings=True, has_presence=bool(len(presence_frame)))


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
                row["talk_s"] = _number(data, 3)  # the talk before the transfer
            elif event in ("ABANDON", "EXITWITHKEY", "EXITWITHTIMEOUT", "EXITEMPTY"):
                if row["outcome"] == "answered":
                    continue
                waited = _number(data, 3 if event == "EXITWITHKEY" else 2)
                row["outcome"] = ("abandoned" if event in ("ABANDON", "EXITWITHKEY")
                                  else "voicemail")
                row["leave_s"] = waited if np.isfinite(waited) else at - arrival
        if row["outcome"] is None:
            warnings.add("call without an end (log cut off?)", enter[0], f"callid {call_id!r}")
            continue
        if row["outcome"] == "answered" and not np.isfinite(row["talk_s"]):
            warnings.add("answered call without COMPLETE (talk time unknown)", enter[0],
                         f"callid {call_id!r}")
        calls.append([row[c] for c in CALL_COLUMNS])
    return calls, rings


def _presence(events: list[Any], queue: str) -> list[Any]:
    rows = []
    for _, at, _, q, agent, event, data in events:
        if event in PRESENCE_EVENTS and q in (queue, "NONE", "") and agent not in ("", "NONE"):
            reason = data[0].strip() if data and event.startswith("PAUSE") else ""
            rows.append((member_number(agent), at, PRESENCE_EVENTS[event], reason))
    return rows
