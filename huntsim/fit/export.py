"""Write a run's calls as an Asterisk PBX would log them: ``queue_log`` and ``Master.csv``.

A simulated office with known parameters, exported and fitted again
(:func:`huntsim.fit.fit`), tests the fitter: the round trip. Simulation time 0
is the scenario's ``start`` (weekday and clock time) in the week of
``origin`` (default: Monday 1 January 2024), in the time zone ``tz``.

**queue_log** (``epoch|callid|queue|agent|event|data...``; the queue is the
pilot number, the agent ``PJSIP/<number>``; epoch seconds are whole, as
Asterisk writes them), per pilot call that rang the group:

=========================  ==================================================
huntsim                    queue_log lines
=========================  ==================================================
arrival                    ``ENTERQUEUE|url|callerid|position`` (url empty)
offer rang out             ``RINGNOANSWER|ringtime`` (milliseconds)
caller hung up while       ``RINGCANCELED|ringtime`` (ms), for each phone
phones rang                then ringing
offer stopped by another   nothing (Asterisk's ``hangupcalls`` logs nothing
member's answer            for the other phones)
offer answered             ``CONNECT|holdtime|member uniqueid|ringtime`` (s)
end of an answered call    ``COMPLETECALLER`` or ``COMPLETEAGENT``
                           ``|holdtime|calltime|origposition`` (alternately);
                           a call held while its member took a call waiting
                           ends after its hold, which its calltime includes
offer to a member on a     an ordinary ring (``RINGNOANSWER``, ``RINGCANCELED``
call (``call_waiting``)    or ``CONNECT``), as Asterisk logs a ring of a member
                           in use with ``ringinuse=yes``: no marker
abandoned                  ``ABANDON|position|origposition|waittime``
voicemail, busy or no      ``EXITWITHTIMEOUT|position|origposition|waittime``
answer after ringing
voicemail, busy or no      ``EXITEMPTY|position|origposition|waittime``
answer with nobody free
forwarded out of the       ``EXITWITHTIMEOUT`` (or ``EXITEMPTY``) and nothing
office                     more: the dialplan's ``Dial()`` that follows is
                           not in ``queue_log`` (read back as let go)
took a call back (outcome  ``EXITWITHKEY|1|position|origposition|waittime``
``called_back`` or         when the caller took it (``offer_after`` in the
``callback_missed``)       queue): pressed 1 to leave the queue for a call
                           back, as an Asterisk dialplan offers one (Asterisk
                           has none of its own); the call back is a new
                           outbound call, not in ``queue_log``. Read back as
                           abandoned at that wait, censored for patience
member's penalty           ``PENALTY|penalty`` under the member's interface,
(``{number, penalty}``)    callid ``NONE``, at the start of the log, for each
                           member whose penalty is not 0 (``app_queue.c``'s
                           ``set_member_penalty_help_members``: a penalty set
                           with ``QueuePenalty`` at the start of the day)
member logged out / in     ``REMOVEMEMBER`` / ``ADDMEMBER`` (``ADDMEMBER|``: the
                           penalty a member joins with is not logged)
away / not ready           ``PAUSE|Away`` or ``PAUSE|Auto-Pause``, then ``UNPAUSE``
                           (nothing for an absence without ``skipped``: the
                           phone still rings, and rings out)
=========================  ==================================================

A member of several groups (``one_group_per_member: false``) is a member of
each queue: their log-outs and pauses are written in every queue they are in,
and a call's rings in the queue of the call.

A call forwarded from one group to another enters each queue on its way,
with the same uniqueid: ``EXITWITHTIMEOUT`` where it was passed on, then
``ENTERQUEUE`` in the next queue; each ring is logged in its member's queue.
Calls after hours (rung to nobody) and calls dialled straight to a member do
not pass the queue and are not in ``queue_log``; wrap-up is not logged there.

**Master.csv** (``cdr_csv``: no header; accountcode, src, dst, dcontext, clid,
channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
disposition, amaflags, uniqueid, userfield; local times): one line per call,
pilot and direct, after hours included, in the order the calls end. ``dst`` is the number dialled;
``dstchannel`` the member who answered; ``answer`` is the member's pick-up (the
queue rings the caller, it does not answer first) or, for voicemail, the moment
voicemail took the call (the message itself is not simulated: ``billsec`` 0).
Dispositions: answered and voicemail ``ANSWERED`` (``lastapp`` ``Queue``/``Dial``
or ``VoiceMail``), busy ``BUSY`` (``Busy``), abandoned ``NO ANSWER`` (``Queue``
or ``Dial``: the caller hung up; also a caller who took a call back, ending
when they left the queue), no answer ``NO ANSWER`` (``Hangup``). A call
forwarded out of the office is the leg the dialplan dialled out: ``lastapp``
``Dial``, ``lastdata`` ``PJSIP/<number>@trunk``, ``dstchannel`` the trunk
(``PJSIP/trunk-...``, the peer the caller came in on), ``ANSWERED`` at the
moment of the forward (what the outside number did is not simulated:
``billsec`` 0).

**csv** (``calls_log.csv``, a generic PBX export with a header): ``Call ID,
Start, Answered, Ended, Dialled, Answered by, Result, Caller``, one line per
call, local times; ``Result`` is Answered, Voicemail, Busy, No answer, Missed
(the caller hung up; also a caller who took a call back, ``Ended`` when they
left the queue) or Forwarded (out of the office; ``Ended`` is the moment
of the forward); read it back with the mapping :data:`CSV_MAPPING`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from huntsim.outputs import atomic_write
from huntsim.scenario.model import forward_map
from huntsim.sim.simulation import Result

__all__ = [
    "CSV_MAPPING",
    "EXPORT_FORMATS",
    "export_cdr_csv",
    "export_log",
    "export_queue_log",
    "generic_csv_text",
    "origin_epoch",
]

EXPORT_FORMATS: tuple[str, ...] = ("asterisk-queue-log", "asterisk-cdr-csv", "csv")
ExportFormat = Literal["asterisk-queue-log", "asterisk-cdr-csv", "csv"]
DEFAULT_ORIGIN = datetime(2024, 1, 1)  # a Monday
FILE_NAMES = {"asterisk-queue-log": "queue_log", "asterisk-cdr-csv": "Master.csv",
              "csv": "calls_log.csv"}
CSV_WORDS = {"answered": "Answered", "voicemail": "Voicemail", "busy": "Busy",
             "no_answer": "No answer", "abandoned": "Missed", "forwarded": "Forwarded"}
CSV_MAPPING = ("columns: {call_id: Call ID, arrival: Start, answer: Answered, end: Ended,\n"
               "          dialed: Dialled, agent: Answered by, outcome: Result, caller: Caller}\n"
               "outcomes: {Missed: abandoned}\n")
"""The column mapping of the ``csv`` export, as ``huntsim fit --columns`` reads it."""


def origin_epoch(result: Result, origin: datetime | None = None, tz: str = "UTC") -> float:
    """Unix time of simulation time 0: the scenario's ``start`` in the week of ``origin``.

    Examples
    --------
    >>> import huntsim
    >>> r = huntsim.simulate({"duration": "1h", "start": "tue 08:00",
    ...     "agents": [{"number": "101", "talk_time": "1min"}]}, seed=1)
    >>> datetime.fromtimestamp(origin_epoch(r), ZoneInfo("UTC")).strftime("%a %Y-%m-%d %H:%M")
    'Tue 2024-01-02 08:00'
    """
    day = (origin or DEFAULT_ORIGIN).replace(hour=0, minute=0, second=0, microsecond=0,
                                               tzinfo=None)
    monday = day - pd.Timedelta(days=day.weekday()).to_pytimedelta()
    local = monday + pd.Timedelta(seconds=result.scenario.start).to_pytimedelta()
    return local.replace(tzinfo=ZoneInfo(tz)).timestamp()


def _records(result: Result) -> tuple[pd.DataFrame, pd.DataFrame]:
    if result.calls is None or result.offers is None:
        raise ValueError("result: made with keep='totals' has no calls to export; "
                         "simulate with keep='calls'")
    return result.calls, result.offers


def _rows(table: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``table`` as named tuples (typed loosely: columns are read by name)."""
    yield from table.itertuples(index=False)


def _caller(row: Any, cid: int) -> str:
    """The caller's number: the run's ``caller_id`` where it has one, else made up from the id."""
    given = getattr(row, "caller_id", None)
    if given is not None and not pd.isna(given) and str(given):
        return str(given)
    return f"+1555{cid % 10_000_000:07d}"


CALL_BACK_OUTCOMES = ("called_back", "callback_missed")
"""Outcomes of a caller who took a call back: no PBX log shows one (see the module)."""


def _took_call_back(result: Result) -> dict[str, float]:
    """Each group's ``callback.offer_after`` (s): when a caller who took a call back left."""
    return {g.pilot: float(g.callback.offer_after) for g in result.scenario.hunt_groups
            if g.callback is not None}


def _left_for_call_back(row: Any, offer_after: dict[str, float]) -> float:
    """Simulation time a caller who took a call back left the queue (``offer_after`` in
    it; where the group is unknown, the time they were called back)."""
    return float(row.arrival_s) + offer_after.get(str(row.group), float(row.wait_s))


def _queue_lines(result: Result, epoch0: float) -> Iterator[tuple[float, int, str]]:
    """``(time, order, line)`` for every queue_log line, in no particular order."""
    calls, offers = _records(result)
    pilot = calls[(calls["kind"] == "pilot") & ~calls["after_hours"].astype(bool)]
    by_call: dict[int, list[tuple[str, float, float, str]]] = {}
    for cid, agent, start, end, outcome in zip(
            offers["call_id"].tolist(), offers["agent"].astype(str).tolist(),
            offers["start_s"].tolist(), offers["end_s"].tolist(),
            offers["result"].astype(str).tolist(), strict=True):
        by_call.setdefault(int(cid), []).append((agent, float(start), float(end), outcome))
    members_of = {g.pilot: set(g.members) for g in result.scenario.hunt_groups}
    offer_after = _took_call_back(result)
    chains = forward_map(result.scenario.hunt_groups)
    position = _positions(pilot)
    yield from _penalty_lines(result, epoch0)
    for row in _rows(pilot):
        cid = int(row.call_id)
        t0 = epoch0 + float(row.arrival_s)
        uid = f"{int(t0)}.{cid}"
        caller = _caller(row, cid)
        rings = by_call.get(cid, [])
        # a forwarded call enters each queue on its way, with the same uniqueid
        queues = [str(row.dialed)]
        for _ in range(int(getattr(row, "forwards", 0))):
            queues.append(chains.get(queues[-1], str(row.group)))
        entered = t0
        for hop, queue in enumerate(queues):
            place = position.get(cid, 1) if hop == 0 else 1
            yield entered, 0, f"{int(entered)}|{uid}|{queue}|NONE|ENTERQUEUE||{caller}|{place}"
            # a call that stayed in one group rang its members there (a member may be in
            # several groups); a forwarded one rang each member in the group they are in
            here = rings if len(queues) == 1 else \
                [r for r in rings if r[0] in members_of.get(queue, ())]
            yield from _ring_lines(here, row, uid, queue, epoch0, cid)
            if hop < len(queues) - 1:  # passed on to the next queue
                left = max([entered] + [epoch0 + r[2] for r in here])
                waited = round(left - t0)
                yield left, 3, f"{int(left)}|{uid}|{queue}|NONE|EXITWITHTIMEOUT|1|1|{waited}"
                entered = left
        queue = queues[-1]
        outcome = str(row.outcome)
        if outcome == "answered":
            # the call's real end: a call held while its member took a call waiting
            # ends later, and its call time holds the hold (the caller stays bridged)
            done = epoch0 + float(row.end_s)
            event = "COMPLETECALLER" if cid % 2 else "COMPLETEAGENT"
            yield done, 3, (f"{int(done)}|{uid}|{queue}|PJSIP/{row.agent}|{event}|"
                            f"{round(float(row.wait_s))}|"
                            f"{round(float(row.end_s) - float(row.answer_s))}|1")
            continue
        if outcome in CALL_BACK_OUTCOMES:
            # pressed 1 for a call back (the dialplan's exit key), offer_after in the queue
            took = _left_for_call_back(row, offer_after)
            left, waited = epoch0 + took, round(took - float(row.arrival_s))
            place = position.get(cid, 1)
            yield left, 3, f"{int(left)}|{uid}|{queue}|NONE|EXITWITHKEY|1|1|{place}|{waited}"
            continue
        left = epoch0 + float(row.end_s)
        waited = round(float(row.end_s) - float(row.arrival_s))
        if outcome == "abandoned":
            event = "ABANDON"
            # the caller left while phones rang: Asterisk's wait_for_answer logs a
            # RINGCANCELED for each of them (already written by _ring_lines)
        else:  # voicemail, busy, no answer or forwarded out of the office: the queue let
            # the call go to the dialplan, whose next step is not in queue_log
            event = "EXITWITHTIMEOUT" if int(row.offers) > 0 else "EXITEMPTY"
        yield left, 3, f"{int(left)}|{uid}|{queue}|NONE|{event}|1|1|{waited}"
    yield from _presence_lines(result, epoch0)


def _positions(pilot: pd.DataFrame) -> dict[int, int]:
    """Each call's place on joining the queue of the pilot it dialled (Asterisk's
    ``opos``): one more than the callers of that pilot who arrived before it and had
    not yet been answered or left."""
    places: dict[int, int] = {}
    answered = pilot["outcome"].astype(str).to_numpy() == "answered"
    gone = np.where(answered, pilot["answer_s"].to_numpy(dtype=float),
                    pilot["end_s"].to_numpy(dtype=float))
    frame = pd.DataFrame({"cid": pilot["call_id"].astype(int).to_numpy(),
                          "dialed": pilot["dialed"].astype(str).to_numpy(),
                          "arrival": pilot["arrival_s"].to_numpy(dtype=float), "gone": gone})
    for _, calls in frame.groupby("dialed", sort=False):
        calls = calls.sort_values("arrival", kind="stable")
        arrival, left = calls["arrival"].to_numpy(), np.sort(calls["gone"].to_numpy())
        # callers ahead: arrived earlier (index) less those already gone by then
        ahead = np.arange(len(calls)) - np.searchsorted(left, arrival, side="right")
        places.update(zip(calls["cid"].tolist(), (np.maximum(ahead, 0) + 1).tolist(),
                          strict=True))
    return places


def _ring_lines(rings: list[tuple[str, float, float, str]], row: Any, uid: str, queue: str,
                epoch0: float, cid: int) -> Iterator[tuple[float, int, str]]:
    """The ring events of one call in one queue."""
    for agent, start, end_s, outcome in rings:
        end = epoch0 + end_s
        ring_s = end_s - start
        head = f"{int(end)}|{uid}|{queue}|PJSIP/{agent}"
        if outcome == "no_answer":
            yield end, 1, f"{head}|RINGNOANSWER|{ring_s * 1000:.0f}"
        elif outcome == "caller_hung_up":
            # only the caller's leaving is logged (wait_for_answer); a ring that another
            # member's answer stopped ends in hangupcalls, which logs nothing
            yield end, 1, f"{head}|RINGCANCELED|{ring_s * 1000:.0f}"
        elif outcome == "answered":
            hold = round(float(row.wait_s))
            yield end, 2, f"{head}|CONNECT|{hold}|{int(end)}.{cid}1|{round(ring_s)}"


def _presence_lines(result: Result, epoch0: float) -> Iterator[tuple[float, int, str]]:
    absences = result.absences
    if absences is None or not len(absences):
        return
    groups_of: dict[str, list[str]] = {}
    for group in result.scenario.hunt_groups:
        for member in group.members:
            groups_of.setdefault(member, []).append(group.pilot)
    end_of_run = result.scenario.duration
    rung_away = {a.number for a in result.scenario.agents
                 if a.away is not None and not a.away.skipped}
    for row in _rows(absences):
        for queue in groups_of.get(str(row.agent), []):
            yield from _absence_lines(row, queue, epoch0, end_of_run, rung_away)


def _absence_lines(row: Any, queue: str, epoch0: float, end_of_run: float,
                   rung_away: set[str]) -> Iterator[tuple[float, int, str]]:
    """One absence of a member in one of their queues."""
    if row.reason == "away" and str(row.agent) in rung_away:
        return  # away but still rung: no pause (Asterisk does not ring a paused member)
    agent = f"PJSIP/{row.agent}"
    start, end = epoch0 + float(row.start_s), epoch0 + float(row.end_s)
    if row.reason == "logged_out":
        yield start, -1, f"{int(start)}|NONE|{queue}|{agent}|REMOVEMEMBER|"
        if float(row.end_s) < end_of_run:
            yield end, -2, f"{int(end)}|NONE|{queue}|{agent}|ADDMEMBER|"
    else:
        reason = "Away" if row.reason == "away" else "Auto-Pause"
        yield start, -1, f"{int(start)}|NONE|{queue}|{agent}|PAUSE|{reason}"
        if float(row.end_s) < end_of_run:
            yield end, -2, f"{int(end)}|NONE|{queue}|{agent}|UNPAUSE|"


def _penalty_lines(result: Result, epoch0: float) -> Iterator[tuple[float, int, str]]:
    """A ``PENALTY`` line for each member whose penalty in a group is not 0, at the start
    (``app_queue.c``: ``ast_queue_log(q->name, "NONE", interface, "PENALTY", "%d",
    penalty)``)."""
    for group in result.scenario.hunt_groups:
        for member, penalty in zip(group.members, group.penalties or (), strict=False):
            if penalty:
                yield epoch0, -3, (f"{int(epoch0)}|NONE|{group.pilot}|PJSIP/{member}|"
                                   f"PENALTY|{penalty}")


def queue_log_text(result: Result, origin: datetime | None = None, tz: str = "UTC") -> str:
    """The run's pilot calls as the text of an Asterisk ``queue_log`` (see the module)."""
    epoch0 = origin_epoch(result, origin, tz)
    lines = sorted(_queue_lines(result, epoch0), key=lambda item: (int(item[0]), item[1]))
    head = f"{int(epoch0)}|NONE|NONE|NONE|QUEUESTART|"
    return "\n".join([head, *(line for _, _, line in lines)]) + "\n"


def cdr_csv_text(result: Result, origin: datetime | None = None, tz: str = "UTC") -> str:
    """The run's calls as the text of a ``cdr_csv`` ``Master.csv`` (see the module)."""
    calls, _ = _records(result)
    epoch0 = origin_epoch(result, origin, tz)
    zone = ZoneInfo(tz)
    timeout = {g.pilot: result.scenario.timeout_s(g) for g in result.scenario.hunt_groups}
    outside = {g.pilot: g.forward.to for g in result.scenario.hunt_groups
               if g.forward is not None and g.forward.to not in timeout}

    def stamp(seconds: float) -> str:
        return datetime.fromtimestamp(int(epoch0 + seconds), zone).strftime("%Y-%m-%d %H:%M:%S")

    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    offer_after = _took_call_back(result)
    rows = [_cdr_row(row, epoch0, stamp, timeout, outside, offer_after)
            for row in _rows(calls.sort_values("arrival_s", kind="stable"))]
    # cdr_csv writes a line when the call ends: lines are in order of their end
    rows.sort(key=lambda row: str(row[11]))
    writer.writerows(rows)
    return buffer.getvalue()


def _cdr_row(row: Any, epoch0: float, stamp: Any, timeout: dict[str, float],
             outside: dict[str, str], offer_after: dict[str, float]) -> list[Any]:
    cid = int(row.call_id)
    src = _caller(row, cid)
    # every seventh caller's name has a comma in it, as real address books do
    name = f"Caller, No. {cid}" if cid % 7 == 0 else f"Caller {cid}"
    pilot = row.kind == "pilot"
    app = "Queue" if pilot else "Dial"
    data = f"{row.dialed},,,,{timeout.get(str(row.dialed), 0):g}" if pilot else \
        f"PJSIP/{row.dialed},20"
    arrival = float(row.arrival_s)
    answer: float | None = None
    dstchannel = ""
    outcome = str(row.outcome)
    if outcome == "answered":
        answer, end = float(row.answer_s), float(row.answer_s) + float(row.talk_s)
        dstchannel = f"PJSIP/{row.agent}-{cid % 0xFFFFFFFF:08x}"
        disposition = "ANSWERED"
    elif outcome == "voicemail":
        answer = end = float(row.end_s)
        app, data, disposition = "VoiceMail", f"{row.dialed}@default", "ANSWERED"
    elif outcome == "busy":
        end = float(row.end_s)
        app, data, disposition = "Busy", "", "BUSY"
    elif outcome == "no_answer":
        end = float(row.end_s)
        app, data, disposition = "Hangup", "", "NO ANSWER"
    elif outcome == "forwarded":  # dialled out on the trunk the caller came in on
        answer = end = float(row.end_s)
        number = outside.get(str(row.group), "")
        app, data, disposition = "Dial", f"PJSIP/{number}@trunk,60", "ANSWERED"
        dstchannel = f"PJSIP/trunk-{(cid + 0x80000000) % 0xFFFFFFFF:08x}"
    elif outcome in CALL_BACK_OUTCOMES:  # left the queue for a call back: NO ANSWER
        end = _left_for_call_back(row, offer_after)
        disposition = "NO ANSWER"
    else:  # abandoned (and outcomes this exporter does not know)
        end = float(row.end_s)
        disposition = "NO ANSWER"
    start_i = int(epoch0 + arrival)
    end_i = max(int(epoch0 + end), start_i)
    duration = end_i - start_i
    billsec = end_i - int(epoch0 + answer) if answer is not None else 0
    return [
        "", src, str(row.dialed), "from-pstn", f'"{name}" <{src}>',
        f"PJSIP/trunk-{cid % 0xFFFFFFFF:08x}", dstchannel, app, data,
        stamp(arrival), stamp(answer) if answer is not None else "", stamp(end),
        duration, max(billsec, 0), disposition, "DOCUMENTATION", f"{start_i}.{cid}", "",
    ]


def generic_csv_text(result: Result, origin: datetime | None = None, tz: str = "UTC") -> str:
    """The run's calls as a generic CSV with a header (see the module)."""
    calls, _ = _records(result)
    epoch0 = origin_epoch(result, origin, tz)
    zone = ZoneInfo(tz)

    def stamp(seconds: float) -> str:
        if not np.isfinite(seconds):
            return ""
        return datetime.fromtimestamp(int(epoch0 + seconds), zone).strftime("%Y-%m-%d %H:%M:%S")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Call ID", "Start", "Answered", "Ended", "Dialled", "Answered by",
                     "Result", "Caller"])
    offer_after = _took_call_back(result)
    for row in _rows(calls.sort_values("arrival_s", kind="stable")):
        answered = str(row.outcome) == "answered"
        answer = float(row.answer_s) if answered else float("nan")
        end = answer + float(row.talk_s) if answered else float(row.end_s)
        outcome = str(row.outcome)
        if outcome in CALL_BACK_OUTCOMES:  # left the queue for a call back: Missed
            end, outcome = _left_for_call_back(row, offer_after), "abandoned"
        writer.writerow([int(row.call_id), stamp(float(row.arrival_s)), stamp(answer), stamp(end),
                         str(row.dialed), str(row.agent) if answered else "",
                         CSV_WORDS.get(outcome, outcome),
                         _caller(row, int(row.call_id))])
    return buffer.getvalue()


def export_queue_log(result: Result, path: str | Path, origin: datetime | None = None,
                     tz: str = "UTC") -> Path:
    """Write the run's pilot calls as an Asterisk ``queue_log`` file.

    Parameters
    ----------
    result : Result
        A run made with ``keep="calls"``.
    path : path
        The file to write.
    origin : datetime, optional
        A day in the week in which simulation time 0 falls (default 2024-01-01).
    tz : str
        Time zone of the office's clock (default UTC).

    Returns
    -------
    Path
    """
    text = queue_log_text(result, origin, tz)
    return atomic_write(Path(path), lambda p: p.write_text(text, encoding="utf-8"))


def export_cdr_csv(result: Result, path: str | Path, origin: datetime | None = None,
                   tz: str = "UTC") -> Path:
    """Write the run's calls as an Asterisk ``cdr_csv`` ``Master.csv`` (see the module).

    Parameters are those of :func:`export_queue_log`.
    """
    text = cdr_csv_text(result, origin, tz)
    return atomic_write(Path(path), lambda p: p.write_text(text, encoding="utf-8"))


def export_log(result: Result, format: str, directory: str | Path,
               origin: datetime | None = None, tz: str = "UTC") -> Path:
    """Write the run in ``format`` into ``directory``.

    ``queue_log``, ``Master.csv``, or ``calls_log.csv`` with its column mapping
    ``calls_log_columns.yaml``.

    Raises
    ------
    ValueError
        For a format other than :data:`EXPORT_FORMATS`.
    """
    if format not in EXPORT_FORMATS:
        raise ValueError(f"format: {format!r} is not an export format; "
                         f"choose from {', '.join(EXPORT_FORMATS)}")
    path = Path(directory) / FILE_NAMES[format]
    if format == "asterisk-queue-log":
        return export_queue_log(result, path, origin, tz)
    if format == "asterisk-cdr-csv":
        return export_cdr_csv(result, path, origin, tz)
    text = generic_csv_text(result, origin, tz)
    atomic_write(path.with_name("calls_log_columns.yaml"),
                 lambda p: p.write_text(CSV_MAPPING, encoding="utf-8"))
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


