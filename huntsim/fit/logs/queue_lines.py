"""The lines of a ``queue_log``, flat or exported from a realtime table, as events.

**Flat file** (``logger.c``): ``epoch|callid|queue|agent|EVENT|data1|data2|...``.

**Realtime table** (``logger.c``, ``queue_log`` in a database): columns ``time,
callid, queuename, agent, event`` and either one ``data`` column holding the
``|``-separated fields or ``data1..data5`` (``queue_adaptive_realtime``). Its
exports arrive as CSV or tab-separated files with a header line naming those
columns; other columns (``id``, ``serverid``...) are ignored. A header naming other
columns (a PBX's own export, Thirdlane's ``date_time, ..., param1, ..., htime``) is
refused, naming the columns found and expected. ``time`` is then a
date-time ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in the office's **local** time (read
in ``--tz``), unless the table was kept in GMT (``queue_log_realtime_use_gmt``).

Either layout: NUL bytes (left by an unclean shutdown before a ``QUEUESTART``)
are dropped; a time before 1990 or after 2100 is a counted bad line; lines in
a clock going backwards (rotated files concatenated out of order) are counted
and kept (each call's lines are put in time order); a line repeated word for
word (overlapping rotated files) is read once.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from huntsim.fit.logs.common import LogError, LogWarnings

__all__ = ["Event", "read_events"]

EARLIEST = 631152000.0  # 1990-01-01 UTC
LATEST = 4102444800.0  # 2100-01-01 UTC
_REALTIME = ("time", "callid", "queuename", "agent", "event")


class Event(NamedTuple):
    """One line of the log: where, when (epoch seconds), who, what."""

    line: int
    at: float
    callid: str
    queue: str
    agent: str
    event: str
    data: list[str]


class _Clock:
    """Reads the time field: epoch seconds, or a local date-time in ``tz``."""

    def __init__(self, tz: str | None) -> None:
        self.zone = ZoneInfo(tz or "UTC")

    def __call__(self, text: str) -> float | None:
        text = text.strip()
        try:
            value = float(text)
        except ValueError:
            try:
                stamp = datetime.fromisoformat(text)
            except ValueError:
                return None
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=self.zone)
            return stamp.timestamp()
        return value if np.isfinite(value) else None


def _rows(text: str, warnings: LogWarnings) -> list[tuple[int, list[str]]]:
    """Each line's number and fields ``time, callid, queue, agent, event, data...``."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return []
    head = lines[first].strip().lower()
    delimiter = next((d for d in ("\t", ",", ";", "|") if all(
        name in [h.strip().strip('"') for h in head.split(d)] for name in _REALTIME)), None)
    if delimiter is None:
        _refuse_other_header(head, first + 1, warnings)
        return [(number, line.strip().split("|"))
                for number, line in enumerate(lines, start=1) if line.strip()]
    return _realtime_rows(lines, first, delimiter, warnings)


def _refuse_other_header(head: str, number: int, warnings: LogWarnings) -> None:
    """A header line naming columns other than a realtime table's (a PBX's own queue_log
    export: ``date_time, callid, queue_name, type, event, param1...``): refused, since which
    column holds which event's data is that PBX's choice, not ``logger.c``'s."""
    for delimiter in ("\t", ",", ";"):
        names = [h.strip().strip('"') for h in head.split(delimiter)]
        if len(names) >= 5 and "event" in names and not any(n.isdigit() for n in names):
            raise LogError(
                f"{warnings.path}:{number}: a queue_log export with a header in a layout "
                f"not read: found columns {', '.join(names)}; expected a queue_log table's "
                "(logger.c): time, callid, queuename, agent, event, and data or "
                "data1..data5, or the flat file's epoch|callid|queue|agent|EVENT|data... "
                "without a header. Rename the columns where they hold the same, or write "
                "the flat layout")


def _realtime_rows(lines: list[str], first: int, delimiter: str,
                   warnings: LogWarnings) -> list[tuple[int, list[str]]]:
    """The rows of a realtime table's export (a header line, then one row per event)."""
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    where = {name: header.index(name) for name in _REALTIME}
    numbered = sorted((h for h in header if h.startswith("data") and h[4:].isdigit()),
                      key=lambda h: int(h[4:]))
    data_columns = [header.index(h) for h in numbered]
    single = header.index("data") if "data" in header else None
    rows = []
    for fields in reader:
        number = first + reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) < len(header):
            warnings.add("truncated line (fewer fields than the header)", number,
                         f"{len(fields)} fields, the header has {len(header)}")
            continue
        if single is not None:
            data = fields[single].split("|")
        else:
            # data5 keeps the rest of the fields, '|'s and all
            data = [fields[i] for i in data_columns]
            while data and not data[-1].strip():
                data.pop()
            data = "|".join(data).split("|") if data else []
        rows.append((number, [fields[where[name]] for name in _REALTIME] + data))
    return rows


def read_events(text: str, tz: str | None, warnings: LogWarnings,
                known: frozenset[str]) -> list[Event]:
    """The log's lines as :class:`Event`, in file order (events not in ``known`` are
    counted and left out)."""
    if "\x00" in text:
        warnings.add("NUL bytes dropped (an unclean shutdown?)", None,
                     f"{text.count(chr(0))} NUL bytes")
        text = text.replace("\x00", "")
    clock = _Clock(tz)
    events: list[Event] = []
    seen: set[tuple[str, ...]] = set()
    latest = -np.inf
    for number, fields in _rows(text, warnings):
        if len(fields) < 5:
            warnings.add("truncated line (fewer than 5 fields)", number,
                         f"{'|'.join(fields)[:60]!r}")
            continue
        at = clock(fields[0])
        if at is None:
            warnings.add("unreadable time", number, f"field 1 (time) {fields[0][:30]!r}")
            continue
        if not EARLIEST <= at < LATEST:
            warnings.add("time out of range (before 1990 or after 2100)", number,
                         f"field 1 (time) {fields[0][:30]!r}")
            continue
        key = tuple(f.strip() for f in fields)
        if key in seen:
            warnings.add("repeated line (overlapping rotated files?), read once", number)
            continue
        seen.add(key)
        if at < latest:
            warnings.add("clock went backwards", number, f"{latest - at:g} s earlier")
        latest = max(latest, at)
        event = fields[4].strip().upper()
        if event not in known:
            warnings.add(f"unknown event {event[:30]!r}", number, "field 5 (event)")
            continue
        events.append(Event(number, at, fields[1].strip(), fields[2].strip(),
                            fields[3].strip(), event, fields[5:]))
    return events
