"""Asterisk's ``cdr_csv`` ``Master.csv``: one comma-separated line per call, no header.

Columns: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
lastdata, start, answer, end, duration, billsec, disposition, amaflags, and
optionally uniqueid, userfield (and more, ignored). Times are the office's
local wall-clock times ``YYYY-MM-DD HH:MM:SS``; an empty ``answer`` means not
answered (an ``ANSWERED`` line without it gets ``end - billsec``).

How a line becomes a call of the pilot (``dst`` is the pilot):

- ``ANSWERED`` with a member in ``dstchannel``: answered by that member, wait
  ``answer - start``, talk ``billsec``;
- ``ANSWERED`` by ``VoiceMail`` (or with nobody in ``dstchannel``): voicemail;
- ``BUSY``, ``FAILED``, ``CONGESTION``: busy;
- ``NO ANSWER`` ending in ``Hangup``: no answer (the pilot let the caller go);
- ``NO ANSWER`` otherwise: abandoned (the caller hung up after ``duration``).

A line whose ``dst`` is a member's own number (a member seen answering pilot
calls) is a direct call. Lines for other numbers are counted and left out.
Several lines with one ``uniqueid`` are one call (the answered line is kept).
The log has no member rings: answer probabilities and pick-up delays cannot be
fitted from it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
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
    empty_frame,
    log_period,
    member_number,
)

__all__ = ["CDR_COLUMNS", "read_cdr_csv"]

CDR_COLUMNS: tuple[str, ...] = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
    "uniqueid", "userfield",
)
_FORMAT = "%Y-%m-%d %H:%M:%S"


def _stamp(text: str) -> pd.Timestamp | None:
    text = text.strip()
    if not text:
        return None
    try:
        return pd.Timestamp(pd.to_datetime(text, format=_FORMAT))
    except (ValueError, TypeError):
        try:
            return pd.Timestamp(text).tz_localize(None)
        except (ValueError, TypeError):
            return None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return float("nan")
    return value if np.isfinite(value) and value >= 0 else float("nan")


def read_cdr_csv(path: str | Path, pilot: str | None = None, tz: str | None = None) -> LogData:
    """Read a ``cdr_csv`` ``Master.csv`` into the normalised tables.

    Parameters
    ----------
    path : path
        The ``Master.csv`` file.
    pilot : str, optional
        The pilot number (``dst``); default: the number most dialled into ``Queue``.
    tz : str, optional
        Unused: the file holds local times already (kept for a common signature).

    Returns
    -------
    LogData

    Raises
    ------
    LogError
        When no call to the pilot can be read.
    """
    file = as_path(path)
    warnings = LogWarnings(str(file))
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise LogError(f"{str(file)!r}: cannot be read: {error}") from None
    rows: list[dict[str, Any]] = []
    latest: pd.Timestamp | None = None
    reader = csv.reader(io.StringIO(text))
    for fields in reader:
        number = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) < 16:
            warnings.add("truncated line (fewer than 16 fields)", number,
                          f"{len(fields)} fields")
            continue
        row: dict[str, Any] = dict(zip(CDR_COLUMNS, fields, strict=False))
        start, end = _stamp(row["start"]), _stamp(row["end"])
        if start is None or end is None:
            field, value = ("start", row["start"]) if start is None else ("end", row["end"])
            warnings.add("unreadable time", number, f"field {field} {value[:30]!r}")
            continue
        if end < start:
            warnings.add("call ends before it starts (left out)", number, "fields start, end")
            continue
        if latest is not None and end < latest:
            warnings.add("clock went backwards", number,
                         f"end {(latest - end).total_seconds():g} s before the line above")
        latest = end if latest is None else max(latest, end)
        row.update(start=start, end=end, answer=_stamp(row["answer"]), line=number,
                   duration=_seconds(row["duration"]), billsec=_seconds(row["billsec"]))
        rows.append(row)
    if not rows:
        raise warnings.error("no call could be read")
    chosen = _choose_pilot(rows, pilot, warnings, file)
    members = list(dict.fromkeys(
        member_number(r["dstchannel"]) for r in rows
        if r["dst"] == chosen and r["dstchannel"].strip()
    ))
    calls = _calls(_one_per_call(rows, warnings), chosen, set(members), warnings)
    if not any(c["kind"] == "pilot" for c in calls):
        raise warnings.error(f"no call to the pilot {chosen!r} could be read")
    frame = pd.DataFrame(calls, columns=list(CALL_COLUMNS))
    frame["arrival"] = pd.to_datetime(frame["arrival"])
    frame = frame.sort_values("arrival", kind="stable").reset_index(drop=True)
    start_day, end_day = log_period(frame["arrival"])
    return LogData(frame, empty_frame(RING_COLUMNS), empty_frame(PRESENCE_COLUMNS),
                   "asterisk-cdr-csv", warnings, start_day, end_day)


def _choose_pilot(rows: list[dict[str, Any]], pilot: str | None, warnings: LogWarnings,
                  file: Path) -> str:
    dialed = Counter(r["dst"] for r in rows)
    if pilot is not None:
        if dialed.get(pilot, 0) == 0:
            found = ", ".join(f"{d!r} ({n})" for d, n in dialed.most_common(5))
            raise LogError(f"{file}: no calls to the pilot {pilot!r}; the most dialled "
                           f"numbers are {found}")
        return pilot
    queued = Counter(r["dst"] for r in rows if r["lastapp"].strip().lower() == "queue")
    chosen = (queued or dialed).most_common(1)[0][0]
    warnings.add("pilot not given: took the number most dialled into a queue", None,
                 f"{chosen!r} (give --pilot)")
    return str(chosen)


def _one_per_call(rows: list[dict[str, Any]], warnings: LogWarnings) -> list[dict[str, Any]]:
    kept: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(rows):
        key = row.get("uniqueid", "").strip() or f"line {i}"
        if key in kept:
            warnings.add("several lines for one call (kept the answered one)", row["line"],
                         f"uniqueid {key!r}")
            if row["disposition"].strip().upper() != "ANSWERED":
                continue
            row = {**row, "start": min(row["start"], kept[key]["start"])}
        kept[key] = row
    return list(kept.values())


def _calls(rows: list[dict[str, Any]], pilot: str, members: set[str],
           warnings: LogWarnings) -> list[dict[str, Any]]:
    calls = []
    for row in rows:
        dst = row["dst"].strip()
        if dst == pilot:
            kind = "pilot"
        elif dst in members:
            kind = "direct"
        else:
            warnings.add("call to another number (left out)", row["line"], f"dst {dst!r}")
            continue
        start, answer, end = row["start"], row["answer"], row["end"]
        disposition = row["disposition"].strip().upper()
        app = row["lastapp"].strip().lower()
        agent = member_number(row["dstchannel"]) if row["dstchannel"].strip() else None
        call: dict[str, Any] = {
            "call_id": row.get("uniqueid") or f"line {row['line']}", "queue": pilot,
            "kind": kind, "dialed": dst, "caller": row["src"], "arrival": start,
            "outcome": None, "agent": None, "wait_s": np.nan, "talk_s": np.nan,
            "leave_s": np.nan, "rings": np.nan, "line": row["line"],
        }
        if disposition == "ANSWERED":
            if answer is None:
                warnings.add("answered call without an answer time (end - billsec used)",
                             row["line"], "field answer")
                billsec = row["billsec"] if np.isfinite(row["billsec"]) else 0.0
                answer = end - pd.Timedelta(seconds=billsec)
            waited = max((answer - start).total_seconds(), 0.0)
            if app == "voicemail" or agent is None:
                call.update(outcome="voicemail", leave_s=waited)
            else:
                talk = row["billsec"]
                call.update(outcome="answered", agent=agent, wait_s=waited,
                            talk_s=talk if np.isfinite(talk) else (end - answer).total_seconds())
        elif disposition in ("BUSY", "FAILED", "CONGESTION"):
            call.update(outcome="busy", leave_s=(end - start).total_seconds())
        elif disposition == "NO ANSWER":
            outcome = "no_answer" if app == "hangup" else "abandoned"
            call.update(outcome=outcome, leave_s=(end - start).total_seconds())
        else:
            warnings.add(f"unknown disposition {disposition[:20]!r} (left out)", row["line"],
                         "field disposition")
            continue
        calls.append(call)
    return calls
