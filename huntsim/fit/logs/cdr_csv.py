"""Asterisk's ``cdr_csv`` ``Master.csv``: one comma-separated line per call leg, no header.

Columns (``cdr/cdr_csv.c``): accountcode, src, dst, dcontext, clid, channel,
dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
disposition, amaflags, then uniqueid with ``loguniqueid``, userfield with
``loguserfield`` (and more, ignored). The defaults give the first 16 only.
Times are ``YYYY-MM-DD HH:MM:SS``, the office's local wall-clock times unless
``usegmtime`` (see :func:`read_cdr_csv`'s ``tz``); an empty ``answer`` means not
answered (an ``ANSWERED`` line without it gets ``end - billsec``). A file in
another layout (a header line, ``cdr_custom``'s order, FreeSWITCH's CSV) is
refused, naming the columns expected: a number is never read as a year.

How a line becomes a call of the pilot (``dst`` is the pilot):

- ``ANSWERED`` with a member in ``dstchannel``: answered by that member, wait
  ``answer - start``, talk ``billsec``;
- ``ANSWERED`` by ``VoiceMail``: voicemail;
- ``ANSWERED`` with a trunk in ``dstchannel`` (the peer callers to the pilot
  come in on, one that never answers a ``Queue``): forwarded out of the office
  (a follow-me or time-out destination dialled an outside number), after
  ``answer - start``;
- ``ANSWERED`` with nobody in ``dstchannel`` otherwise: FreePBX and Issabel
  answer before ``Queue()``, so this is a caller who hung up in the queue
  (abandoned after ``duration``; ``no answer`` when the last application was
  ``Hangup``);
- ``BUSY``, ``FAILED``, ``CONGESTION``: busy;
- ``NO ANSWER`` ending in ``Hangup``: no answer (the pilot let the caller go);
- ``NO ANSWER`` otherwise, and ``CANCEL``: abandoned (the caller hung up after
  ``duration``).

A line whose ``dst`` is a member's own number (a member seen answering pilot
calls) is a direct call. Lines for other numbers are counted and left out.
The lines of one call's legs are one call: those of one ``linkedid``
(``newcdrcolumns``, 21 columns), else of one ``uniqueid``, or without uniqueids
those of one caller channel (``SIP/trunk-0000001f``) that overlap in time; the
answered leg is kept. Lines are written as legs end, so their order says nothing
(no warning). ``Dial(SIP/301&SIP/302)`` rings both phones at once: where most pilot
calls do so, :attr:`LogData.policy_hint` is ``simultaneous``; a pilot call answered
through a trunk (``Dial(SIP/200@peer)``, answered on ``SIP/peer-...``) is warned of.
The log has no member rings: answer probabilities and pick-up delays cannot be fitted
from it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.logs.common import (
    CALL_COLUMNS,
    FORWARDED_NOTE,
    PRESENCE_COLUMNS,
    RING_COLUMNS,
    LogData,
    LogError,
    LogWarnings,
    as_path,
    empty_frame,
    log_period,
    log_text,
    member_number,
)

__all__ = ["CDR_COLUMNS", "read_cdr_csv"]

CDR_COLUMNS: tuple[str, ...] = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
    "uniqueid", "userfield", "peeraccount", "linkedid", "sequence",
)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?$")
DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION", "CANCEL",
                          "UNKNOWN"})
"""The dispositions ``cdr_csv`` writes (``main/cdr.c``'s ``ast_cdr_disp2str``)."""
_CHANNEL_SEQUENCE = re.compile(r"-[0-9a-f]{8}(;\d)?$")
_UNIQUEID = re.compile(r"(\d{9,11})\.\d+$")
_HEADER_WORDS = frozenset({"src", "dst", "start", "calldate", "disposition", "billsec",
                           "duration", "channel", "uniqueid", "caller_id_number",
                           "start_stamp", "hangup_cause"})


def _stamp(text: str) -> pd.Timestamp | None:
    """A ``YYYY-MM-DD HH:MM:SS`` date-time (fractions allowed); nothing else (a bare
    number such as an extension or a duration is not a year)."""
    text = text.strip()
    if not _DATETIME.match(text):
        return None
    try:
        return pd.Timestamp(datetime.fromisoformat(text)).tz_localize(None)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
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
        The office's time zone. ``cdr_csv`` writes local times unless ``usegmtime``
        (which ``cdr.conf.sample`` turns on): where each line's ``uniqueid`` (the
        channel's creation in epoch seconds) shows the times are UTC, they are
        turned into this zone's wall-clock times, and a warning says so.

    Returns
    -------
    LogData

    Raises
    ------
    LogError
        When the file is not in ``cdr_csv``'s column layout (a header line, or no
        line whose start, end and disposition are where ``cdr_csv`` writes them),
        naming the columns expected; when no call to the pilot can be read.
    """
    file = as_path(path)
    warnings = LogWarnings(str(file))
    text = log_text(file)
    rows: list[dict[str, Any]] = []
    misfits = 0
    reader = csv.reader(io.StringIO(text))
    for fields in reader:
        number = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if not rows and not misfits and _HEADER_WORDS & {f.strip().lower() for f in fields}:
            raise _not_the_layout(file, number, "it starts with a header line "
                                  f"({', '.join(repr(f) for f in fields[:6])}...)")
        if len(fields) < 16:
            warnings.add("truncated line (fewer than 16 fields)", number,
                          f"{len(fields)} fields")
            continue
        row: dict[str, Any] = dict(zip(CDR_COLUMNS, fields, strict=False))
        start, end = _stamp(row["start"]), _stamp(row["end"])
        if start is None or end is None:
            field, value = ("start", row["start"]) if start is None else ("end", row["end"])
            warnings.add("unreadable time", number, f"field {field} {value[:30]!r}")
            misfits += 1
            continue
        if row["disposition"].strip().upper() not in DISPOSITIONS:
            misfits += 1
        if end < start:
            warnings.add("call ends before it starts (left out)", number, "fields start, end")
            continue
        # no 'clock went backwards': cdr_csv writes a line when its leg ends, and a call's
        # legs together when the call ends, so neither starts nor ends are in order
        row.update(start=start, end=end, answer=_stamp(row["answer"]), line=number,
                   duration=_seconds(row["duration"]), billsec=_seconds(row["billsec"]))
        rows.append(row)
    if misfits > len(rows):
        first = next(iter(warnings.first.values()), "")
        raise _not_the_layout(file, None, f"{misfits} lines have no date-time or no "
                              f"disposition where cdr_csv writes them (first: {first})")
    if not rows:
        raise warnings.error("no call could be read")
    _in_zone(rows, tz, warnings)
    chosen = _choose_pilot(rows, pilot, warnings, file)
    trunks = _trunks(rows, chosen)
    members = list(dict.fromkeys(
        member_number(r["dstchannel"]) for r in rows
        if r["dst"] == chosen and r["dstchannel"].strip()
        and member_number(r["dstchannel"]) not in trunks
    ))
    hint = _dialled_together(rows, chosen)
    _warn_answering_trunks(rows, chosen, warnings)
    calls = _calls(_one_per_call(rows, warnings, chosen, set(members)), chosen, set(members),
                   trunks, warnings)
    if not any(c["kind"] == "pilot" for c in calls):
        raise warnings.error(f"no call to the pilot {chosen!r} could be read")
    frame = pd.DataFrame(calls, columns=list(CALL_COLUMNS))
    frame["arrival"] = pd.to_datetime(frame["arrival"])
    frame = frame.sort_values("arrival", kind="stable").reset_index(drop=True)
    start_day, end_day = log_period(frame["arrival"])
    return LogData(frame, empty_frame(RING_COLUMNS), empty_frame(PRESENCE_COLUMNS),
                   "asterisk-cdr-csv", warnings, start_day, end_day, policy_hint=hint)


def _not_the_layout(file: Path, line: int | None, why: str) -> LogError:
    where = f"{file}:{line}" if line is not None else str(file)
    return LogError(
        f"{where}: not in cdr_csv's Master.csv layout: {why}. Expected, without a header: "
        f"{', '.join(CDR_COLUMNS[:16])} (then uniqueid, userfield...). A cdr_custom file, a "
        "database export or another PBX's CSV can be read with --format csv --columns "
        "arrival=...,answer=...,end=...")


def _in_zone(rows: list[dict[str, Any]], tz: str | None, warnings: LogWarnings) -> None:
    """Turn UTC times (``usegmtime``, told by the uniqueids) into ``tz``'s wall clock."""
    if tz is None or tz.upper() == "UTC":
        return
    offsets = []
    for row in rows:
        found = _UNIQUEID.search(str(row.get("uniqueid", "")).strip())
        if found:
            offsets.append(float(found.group(1)) - row["start"].tz_localize("UTC").timestamp())
    if not offsets or abs(float(np.median(offsets))) > 60:
        return
    for row in rows:
        for name in ("start", "answer", "end"):
            if row[name] is not None:
                row[name] = row[name].tz_localize("UTC").tz_convert(tz).tz_localize(None)
    warnings.add(f"times are UTC (cdr.conf usegmtime, shown by the uniqueids): read in {tz}",
                 None, f"median uniqueid - start {float(np.median(offsets)):+.0f} s")


def _choose_pilot(rows: list[dict[str, Any]], pilot: str | None, warnings: LogWarnings,
                  file: Path) -> str:
    dialed = Counter(r["dst"] for r in rows)
    if pilot is not None:
        if dialed.get(pilot, 0) == 0:
            found = ", ".join(f"{d!r} ({n})" for d, n in dialed.most_common(5))
            raise LogError(f"{file}: no calls to the pilot {pilot!r}; the most dialled "
                           f"numbers are {found}")
        return pilot

    def by_app(app: str) -> Counter[str]:
        return Counter(r["dst"] for r in rows if r["lastapp"].strip().lower() == app)

    queued, dialled_on = by_app("queue"), by_app("dial")
    if queued:
        chosen, how = queued.most_common(1)[0][0], "the number most dialled into a queue"
    elif dialled_on:
        chosen = dialled_on.most_common(1)[0][0]
        how = "the number most dialled on to phones (Dial(); no Queue() line in this log)"
    else:
        chosen = dialed.most_common(1)[0][0]
        how = "the number most dialled (no Queue() or Dial() line in this log)"
    warnings.add(f"pilot not given: took {how}", None, f"{chosen!r} (give --pilot)")
    return str(chosen)


def _trunks(rows: list[dict[str, Any]], pilot: str) -> set[str]:
    """The peers callers to the pilot came in on (``PJSIP/trunk-0000001f``: ``trunk``),
    less any that answered a queue call (a member calling the pilot from a desk phone)."""
    incoming = {member_number(r["channel"]) for r in rows
                if r["dst"].strip() == pilot and r["channel"].strip()}
    answering = {member_number(r["dstchannel"]) for r in rows
                 if r["lastapp"].strip().lower() == "queue" and r["dstchannel"].strip()}
    return incoming - answering


def _targets(row: dict[str, Any]) -> list[str]:
    """The phones a ``Dial()`` line rang: its first argument split at ``&``."""
    if row["lastapp"].strip().lower() != "dial":
        return []
    return [t.strip() for t in row["lastdata"].split(",", 1)[0].split("&") if t.strip()]


def _call_key(row: dict[str, Any]) -> str:
    return (str(row.get("linkedid", "")).strip() or str(row.get("uniqueid", "")).strip()
            or row["channel"].strip())


def _dialled_together(rows: list[dict[str, Any]], pilot: str) -> tuple[str, str] | None:
    """``simultaneous`` when most pilot calls that ``Dial()`` phones dial several at once
    (``SIP/301&SIP/302``) and their legs start within 1 s of one another."""
    legs: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["dst"].strip() == pilot and _targets(row):
            legs.setdefault(_call_key(row), []).append(row)
    if not legs:
        return None
    together, example = 0, ""
    for lines in legs.values():
        starts = sorted(r["start"] for r in lines if r["dstchannel"].strip())
        if len(_targets(lines[0])) > 1 and len(starts) > 1 and \
                (starts[1] - starts[0]).total_seconds() <= 1.0:
            together += 1
            example = example or lines[0]["lastdata"].split(",", 1)[0]
    if together * 2 < len(legs):
        return None
    return ("simultaneous", f"simultaneous: {together} of {len(legs)} calls dialled several "
            f"phones at once (Dial({example}): '&' rings them together; their legs start "
            "within 1 s)")


def _warn_answering_trunks(rows: list[dict[str, Any]], pilot: str,
                           warnings: LogWarnings) -> None:
    """Warn of pilot calls answered through a trunk (``Dial(SIP/200@peer)`` answered on
    ``SIP/peer-...``): the peer is another PBX or a provider, not a person of the office."""
    peers = {t.split("@", 1)[1].split("/", 1)[0] for r in rows if r["dst"].strip() == pilot
             for t in _targets(r) if "@" in t and not t.lower().startswith("local/")}
    for row in rows:
        if row["dst"].strip() != pilot or row["disposition"].strip().upper() != "ANSWERED" \
                or not row["dstchannel"].strip():
            continue
        peer = member_number(row["dstchannel"])
        if peer in peers:
            target = next((t for t in _targets(row) if t.split("@", 1)[-1] == peer),
                          f"@{peer}")
            warnings.add(f"answered through the trunk {peer!r} (Dial to {target}): another "
                         "PBX or a provider, not a person, yet fitted as a member",
                         row["line"], f"dstchannel {row['dstchannel'].strip()!r}")


def _one_per_call(rows: list[dict[str, Any]], warnings: LogWarnings, pilot: str,
                  members: set[str]) -> list[dict[str, Any]]:
    """One row per call: the lines of one ``linkedid`` (``newcdrcolumns``: a ``Local/``
    channel's legs have uniqueids of their own but the caller's linkedid), else of one
    ``uniqueid``, or without uniqueids (the default 16 columns) the lines of one caller's
    channel that overlap in time.

    The call is its first leg to the pilot (else to a member, else the caller's: the
    line whose uniqueid is the linkedid) with the start of its earliest line, answered
    where a leg was answered by someone (the answered leg with the longest talk: a
    ``Local/`` channel's own answer has none).
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    open_until: dict[str, tuple[str, pd.Timestamp]] = {}
    for i, row in sorted(enumerate(rows), key=lambda ir: (ir[1]["start"], ir[0])):
        key = str(row.get("linkedid", "")).strip() or str(row.get("uniqueid", "")).strip()
        channel = row["channel"].strip()
        if not key and _CHANNEL_SEQUENCE.search(channel):
            earlier = open_until.get(channel)
            key = earlier[0] if earlier is not None and row["start"] <= earlier[1] \
                else f"{channel} at line {row['line']}"
            end = max(row["end"], earlier[1]) if earlier is not None and \
                earlier[0] == key else row["end"]
            open_until[channel] = (key, end)
        key = key or f"line {i}"
        if key in groups:
            warnings.add("several lines for one call (kept the answered one)", row["line"],
                         f"uniqueid {key!r}" if row.get("uniqueid") else f"channel {channel!r}")
        groups.setdefault(key, []).append(row)
    calls = []
    for key, legs in groups.items():
        first = next((r for r in legs if r["dst"].strip() == pilot), None) or next(
            (r for r in legs if r["dst"].strip() in members), None) or next(
            (r for r in legs if str(r.get("uniqueid", "")).strip() == key), legs[0])
        answered = [(r["billsec"] if np.isfinite(r["billsec"]) else 0.0, n, r)
                    for n, r in enumerate(legs) if r["disposition"].strip().upper() ==
                    "ANSWERED" and r["dstchannel"].strip()]
        row = first
        if answered:
            best = max(answered, key=lambda a: (a[0], a[1]))[2]
            row = {**best, "dst": first["dst"], "src": first["src"]}
        calls.append({**row, "start": min(r["start"] for r in legs)})
    return sorted(calls, key=lambda r: r["line"])


def _calls(rows: list[dict[str, Any]], pilot: str, members: set[str], trunks: set[str],
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
            if app == "voicemail":
                call.update(outcome="voicemail", leave_s=waited)
            elif agent is not None and agent in trunks:
                # dialled out on a trunk: the office forwarded the call outside
                call.update(outcome="forwarded", leave_s=waited)
                if kind == "pilot":
                    warnings.add(FORWARDED_NOTE, row["line"],
                                 f"dstchannel {row['dstchannel'].strip()!r}")
            elif agent is None:
                # answered by the PBX before Queue() (FreePBX, Issabel), nobody took it:
                # the caller hung up there, or a Hangup let them go
                call.update(outcome="no_answer" if app == "hangup" else "abandoned",
                            leave_s=(end - start).total_seconds())
            else:
                talk = row["billsec"]
                call.update(outcome="answered", agent=agent, wait_s=waited,
                            talk_s=talk if np.isfinite(talk) else (end - answer).total_seconds())
        elif disposition in ("BUSY", "FAILED", "CONGESTION"):
            call.update(outcome="busy", leave_s=(end - start).total_seconds())
        elif disposition in ("NO ANSWER", "CANCEL"):
            outcome = "no_answer" if app == "hangup" else "abandoned"
            call.update(outcome=outcome, leave_s=(end - start).total_seconds())
        else:
            warnings.add(f"unknown disposition {disposition[:20]!r} (left out)", row["line"],
                         "field disposition")
            continue
        calls.append(call)
    return calls
