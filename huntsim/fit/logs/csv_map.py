"""Any CSV of calls, read through a column mapping.

The mapping names the CSV's column for each field; only ``arrival`` is required::

    arrival=Start,answer=Answered,end=Ended,dialed=To,agent=Agent,outcome=Result

or, in a small YAML file (``--columns mapping.yaml``), with optional outcome
words and a time format::

    columns: {arrival: Start, answer: Answered, end: Ended, dialed: To,
              agent: Agent, outcome: Result, call_id: Id, caller: From}
    outcomes: {"Missed": abandoned, "VM": voicemail}
    time_format: "%d/%m/%Y %H:%M:%S"

Times are the office's wall-clock times (any form pandas reads, or
``time_format``). Without an ``outcome`` column a call with an answer time is
answered and one without is abandoned; talk time is ``end - answer`` unless a
``talk`` column (seconds) is given, and a ``wait`` column (seconds) may stand
in for the answer time. Outcome words are matched without regard to case:
huntsim's own (answered, voicemail, busy, no_answer, abandoned), Asterisk's
dispositions and the mapping's ``outcomes``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from huntsim.fit.logs.common import (
    CALL_COLUMNS,
    FORWARDED_NOTE,
    LOG_OUTCOMES,
    PRESENCE_COLUMNS,
    RING_COLUMNS,
    LogData,
    LogError,
    LogWarnings,
    as_path,
    empty_frame,
    log_period,
    log_text,
)

__all__ = ["FIELDS", "read_csv_log", "read_mapping"]

FIELDS: tuple[str, ...] = ("arrival", "answer", "end", "dialed", "agent", "outcome", "talk",
                           "wait", "call_id", "caller", "queue")
"""Fields a mapping may name (``arrival`` is required)."""

_WORDS = {
    "answered": "answered", "answer": "answered", "connected": "answered",
    "completed": "answered", "voicemail": "voicemail", "vm": "voicemail",
    "busy": "busy", "failed": "busy", "congestion": "busy", "no_answer": "no_answer",
    "no answer": "no_answer", "noanswer": "no_answer", "unanswered": "no_answer",
    "abandoned": "abandoned", "abandon": "abandoned", "hangup": "abandoned",
    "missed": "abandoned", "forwarded": "forwarded", "forward": "forwarded",
    "diverted": "forwarded",
}


def read_mapping(text: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """A column mapping from ``'field=Column,...'``, a YAML file or a dict.

    Returns
    -------
    dict
        ``{"columns": {...}, "outcomes": {...}, "time_format": str | None}``.

    Raises
    ------
    LogError
        For a field that is not one of :data:`FIELDS`, or no ``arrival``.

    Examples
    --------
    >>> read_mapping("arrival=Start, agent=Who")["columns"]
    {'arrival': 'Start', 'agent': 'Who'}
    """
    data: Any
    if isinstance(text, Mapping):
        data = dict(text)
    elif Path(str(text)).suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(Path(str(text)).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise LogError(f"--columns: cannot read {str(text)!r}: {error}") from None
    else:
        pairs = [p.split("=", 1) for p in str(text).split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise LogError(f"--columns: {str(text)!r}: write field=Column pairs, "
                           "e.g. arrival=Start,answer=Answered")
        data = {"columns": {k.strip(): v.strip() for k, v in pairs}}
    if not isinstance(data, Mapping) or not isinstance(data.get("columns"), Mapping):
        raise LogError("--columns: the YAML needs a 'columns' mapping of field: Column")
    columns = {str(k): str(v) for k, v in data["columns"].items()}
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise LogError(f"--columns: {unknown[0]!r} is not a field; choose from "
                       f"{', '.join(FIELDS)}")
    if "arrival" not in columns:
        raise LogError("--columns: name the column of the arrival time (arrival=...)")
    outcomes = {str(k).strip().lower(): str(v) for k, v in (data.get("outcomes") or {}).items()}
    bad = sorted(v for v in outcomes.values() if v not in LOG_OUTCOMES)
    if bad:
        raise LogError(f"--columns: outcomes: {bad[0]!r} is not an outcome; choose from "
                       f"{', '.join(LOG_OUTCOMES)}")
    return {"columns": columns, "outcomes": outcomes, "time_format": data.get("time_format")}


def read_csv_log(path: str | Path, mapping: str | Path | Mapping[str, Any],
                 pilot: str | None = None, tz: str | None = None) -> LogData:
    """Read a CSV of calls through a column ``mapping`` (see the module).

    Parameters
    ----------
    path : path
        The CSV file (with a header line).
    mapping : str, path or mapping
        See :func:`read_mapping`.
    pilot : str, optional
        Keep the calls whose ``dialed`` is this number (others dialled to a
        member who answers pilot calls are direct calls); default: with a
        ``dialed`` column, the number answered by the most members (a member's
        own number is answered by one), with a warning; without, every call is
        a pilot call.
    tz : str, optional
        The office's time zone: times written with a UTC offset
        (``2024-01-01T14:00:00+00:00``) are turned into its wall clock; times
        without one are taken as the office's already.

    Raises
    ------
    LogError
        For a missing column, a negative wait or talk time (naming the line and
        the column: the mapping is likely wrong) or when no call can be read.
    """
    file = as_path(path)
    spec = read_mapping(mapping)
    columns: dict[str, str] = spec["columns"]
    warnings = LogWarnings(str(file))
    table, lines = _read_table(file, warnings)
    missing = [c for c in columns.values() if c not in table.columns]
    if missing:
        raise LogError(f"{file}: no column {missing[0]!r} (the header has "
                       f"{', '.join(map(repr, table.columns[:12]))})")
    words = {**_WORDS, **spec["outcomes"]}
    times = {name: _times(table[columns[name]], spec["time_format"], tz)
             for name in ("arrival", "answer", "end") if name in columns}
    calls = []
    for index, row in enumerate(table.astype(str).itertuples(index=False, name=None)):
        line = lines[index]
        fields = dict(zip(table.columns, row, strict=True))
        stamps: dict[str, pd.Timestamp | None] = {
            name: _stamp(values[index]) for name, values in times.items()}
        call = _call(fields, stamps, columns, words, line, warnings)
        if call is not None:
            calls.append(call)
    if not calls:
        raise warnings.error("no call could be read")
    frame = pd.DataFrame(calls, columns=list(CALL_COLUMNS))
    frame["arrival"] = pd.to_datetime(frame["arrival"])
    if pilot is None and "dialed" in columns:
        pilot = _guess_pilot(frame, warnings, columns["dialed"])
    if pilot is not None:
        members = set(frame.loc[frame["dialed"] == pilot, "agent"].dropna())
        frame.loc[frame["dialed"].isin(members), "kind"] = "direct"
        other = ~frame["dialed"].isin([pilot, *members])
        for line in frame.loc[other, "line"]:
            warnings.add("call to another number (left out)", int(line), "field dialed")
        frame = frame[~other]
        if not len(frame[frame["kind"] == "pilot"]):
            raise warnings.error(f"no call to the pilot {pilot!r}")
    frame = frame.sort_values("arrival", kind="stable").reset_index(drop=True)
    start, end = log_period(frame["arrival"])
    return LogData(frame, empty_frame(RING_COLUMNS), empty_frame(PRESENCE_COLUMNS), "csv",
                   warnings, start, end)


def _guess_pilot(frame: pd.DataFrame, warnings: LogWarnings, column: str) -> str | None:
    """The number whose calls the most different members answer (a member's own number
    has one), then the most dialled; said in the warnings."""
    dialed = frame["dialed"].astype(str)
    if dialed.nunique() < 2:
        return None
    answered = frame[frame["outcome"] == "answered"]
    members = answered.groupby(answered["dialed"].astype(str))["agent"].nunique()
    counts = dialed.value_counts()
    table = pd.DataFrame({"members": members, "calls": counts}).fillna(0)
    chosen = str(table.sort_values(["members", "calls"], ascending=False,
                                   kind="stable").index[0])
    warnings.add("pilot not given: took the number answered by the most members", None,
                 f"column {column!r}: {chosen!r} (give --pilot)")
    return chosen


def _read_table(file: Path, warnings: LogWarnings) -> tuple[pd.DataFrame, list[int]]:
    """The CSV as text columns, and each row's line number; rows whose number of fields
    differs from the header's are counted and left out."""
    text = log_text(file, "utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise LogError(f"{file}: the file is empty (a header line is needed)") from None
    except csv.Error as error:
        raise LogError(f"{file}:1: cannot be read as CSV: {error}") from None
    rows, lines = [], []
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            warnings.add("unreadable CSV line (left out)", reader.line_num, str(error))
            continue
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            warnings.add("line with the wrong number of fields (left out)", reader.line_num,
                         f"{len(fields)} fields, the header has {len(header)}")
            continue
        rows.append(fields)
        lines.append(reader.line_num)
    return pd.DataFrame(rows, columns=header, dtype=str), lines


def _times(values: pd.Series, time_format: str | None, tz: str | None = None) -> list[Any]:
    """A column of times, parsed at once; unreadable or empty cells become NaT. Times with
    a UTC offset become ``tz``'s wall clock (with no ``tz``, the wall clock they were
    written in)."""
    text = values.astype(str).str.strip()
    if tz is not None and text.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$", regex=True).any():
        parsed = pd.to_datetime(text.where(text != ""), format=time_format or "mixed",
                                errors="coerce", utc=True)
        return list(parsed.dt.tz_convert(tz).dt.tz_localize(None))
    parsed = pd.to_datetime(text.where(text != ""), format=time_format or "mixed",
                            errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return list(parsed)


def _stamp(value: Any) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value)


def _call(row: dict[str, str], stamps: dict[str, pd.Timestamp | None], columns: dict[str, str],
          words: dict[str, str], line: int, warnings: LogWarnings) -> dict[str, Any] | None:
    def get(field: str) -> str:
        return row[columns[field]].strip() if field in columns else ""

    def seconds(field: str) -> float:
        try:
            value = float(get(field))
        except ValueError:
            return float("nan")
        return value if np.isfinite(value) else float("nan")

    arrival = stamps["arrival"]
    if arrival is None:
        warnings.add("unreadable arrival time", line, f"column {columns['arrival']!r}")
        return None
    answer, end = stamps.get("answer"), stamps.get("end")
    if "outcome" in columns:
        outcome = words.get(get("outcome").lower())
        if outcome is None:
            warnings.add(f"unknown outcome {get('outcome')[:20]!r} (left out)", line,
                         f"column {columns['outcome']!r}")
            return None
    else:
        outcome = "answered" if answer is not None or np.isfinite(seconds("wait")) \
            else "abandoned"
    wait = seconds("wait")
    if answer is not None:
        wait = (answer - arrival).total_seconds()
    talk = seconds("talk")
    if not np.isfinite(talk) and answer is not None and end is not None:
        talk = (end - answer).total_seconds()
    if outcome == "answered" and not np.isfinite(wait):
        warnings.add("answered call without an answer time (wait unknown)", line,
                     f"column {columns.get('answer', 'answer')!r}")
    for name, value, field in (("wait", wait, "answer" if answer is not None else "wait"),
                               ("talk", talk, "talk" if "talk" in columns else "end")):
        if outcome == "answered" and np.isfinite(value) and value < 0:
            raise LogError(f"{warnings.path}:{line}: column {columns[field]!r} ({field}) "
                           f"gives a negative {name} time ({value:g} s); check the "
                           "column mapping")
    leave = (end - arrival).total_seconds() if end is not None else float("nan")
    if outcome == "forwarded":
        warnings.add(FORWARDED_NOTE, line, f"column {columns.get('outcome', 'outcome')!r}")
    if end is not None and end < arrival:
        warnings.add("call ends before it arrives (left out)", line, "columns arrival, end")
        return None
    dialed = get("dialed")
    return {
        "call_id": get("call_id") or f"line {line}", "queue": get("queue") or dialed,
        "kind": "pilot", "dialed": dialed, "caller": get("caller"), "arrival": arrival,
        "outcome": outcome, "agent": get("agent") or None if outcome == "answered" else None,
        "wait_s": wait if outcome == "answered" else np.nan,
        "talk_s": talk if outcome == "answered" else np.nan,
        "leave_s": np.nan if outcome == "answered" else leave, "rings": np.nan, "line": line,
    }
