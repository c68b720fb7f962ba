"""The normalised tables every log reader produces, and how readers report trouble.

Every reader turns its format into one :class:`LogData`: a calls table (one row
per call, the same columns whatever the format), a rings table (one row per ring
of a member, where the log has them) and a presence table (log-ins, log-outs and
pauses, where the log has them). Times are local wall-clock times of the office
(``datetime64[ns]`` without a zone), so the weekday and clock hour of each call
are what the office saw.

A line that cannot be used is skipped and counted under a reason in
:class:`LogWarnings`; a log with nothing usable left raises :class:`LogError`,
whose message names the file, the line and the field of the first problem.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from huntsim.analysis import catalog

__all__ = [
    "BUSY_COLUMNS",
    "CALL_COLUMNS",
    "FORWARDED_NOTE",
    "KEY_EXIT_COLUMNS",
    "LOG_OUTCOMES",
    "OTHER_RING_COLUMNS",
    "PENALTY_COLUMNS",
    "PRESENCE_COLUMNS",
    "RING_COLUMNS",
    "LogData",
    "LogError",
    "LogWarnings",
    "member_number",
]

LOG_OUTCOMES: tuple[str, ...] = tuple(catalog.OUTCOMES)
"""The outcomes a log can show, in the calls table: huntsim's own (the catalog's).
``forwarded`` is a call the office passed on to a number outside it (a CDR leg
dialled out on a trunk, a CSV's own word); a forward to another queue of the
office is the call's end in the queue it went to, and ``queue_log`` cannot show
a forward out (the queue lets the call go: read as voicemail)."""

CALL_COLUMNS: tuple[str, ...] = (
    "call_id", "queue", "kind", "dialed", "caller", "arrival", "outcome", "agent",
    "wait_s", "talk_s", "leave_s", "rings", "line",
)
"""Columns of :attr:`LogData.calls`.

``kind`` is ``pilot`` (through the queue or pilot) or ``direct`` (dialled to a
member). ``wait_s`` is the time to the answer (answered calls), ``leave_s`` the
time from arrival until the caller left the queue or pilot by any other way
(hung up, voicemail, busy, time-out, forwarded out); ``talk_s`` is the answered call's length.
``rings`` counts the member rings seen (NaN where the log has no rings).
``line`` is the line number of the call's first line in the log.
"""

FORWARDED_NOTE = ("pilot call forwarded out of the office (counted with the calls let go: "
                  "voicemail, busy or no answer; the fitted office does not forward, it lets "
                  "them go)")
"""The warning, counted per call, of a pilot call that left the office by a forward."""

RING_COLUMNS: tuple[str, ...] = ("call_id", "agent", "end", "ring_s", "result")
"""Columns of :attr:`LogData.rings`: ``result`` is ``answered``, ``no_answer``
(rang until the member's time-out) or ``cancelled`` (cut short: the caller hung
up or another member answered)."""

PRESENCE_COLUMNS: tuple[str, ...] = ("agent", "time", "event", "reason")
"""Columns of :attr:`LogData.presence`: ``event`` is ``login``, ``logout``,
``pause`` or ``unpause``."""

PENALTY_COLUMNS: tuple[str, ...] = ("agent", "time", "penalty")
"""Columns of :attr:`LogData.penalties`: a member's penalty in the queue set to
``penalty`` at ``time`` (queue_log's ``PENALTY`` lines)."""


OTHER_RING_COLUMNS: tuple[str, ...] = ("queue", "agent", "start")
"""Columns of :attr:`LogData.other_rings`: a ring of a member of the queue fitted in
another queue of the log, and when it began (busy or rung elsewhere then)."""


BUSY_COLUMNS: tuple[str, ...] = ("queue", "call_id", "agent", "start", "end")
"""Columns of :attr:`LogData.busy`: call ``call_id`` answered by ``agent`` in ``queue``
(any queue of the log), from its ``CONNECT`` (``start``) to its end (``COMPLETECALLER``,
``COMPLETEAGENT`` or a transfer)."""


KEY_EXIT_COLUMNS: tuple[str, ...] = ("queue", "call_id", "left", "served_by")
"""Columns of :attr:`LogData.key_exits`: a caller who left ``queue`` by a key at ``left``,
and the first ring after that of a caller who arrived later in that queue
(``served_by``, NaT when none did; :mod:`~huntsim.fit.logs.queue_keys`)."""


class LogError(Exception):
    """A log from which nothing usable can be read (the CLI exits with 2)."""


@dataclass
class LogWarnings:
    """Problems met while reading a log, counted by reason, with the first place of each.

    Attributes
    ----------
    counts : Counter
        Lines (or calls) per reason.
    first : dict
        The first ``file:line: field`` of each reason.
    """

    path: str
    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, line: int | None = None, detail: str = "") -> None:
        """Count one occurrence of ``reason`` (at ``line``, with ``detail``)."""
        self.counts[reason] += 1
        if reason not in self.first:
            where = f"{self.path}:{line}" if line is not None else self.path
            self.first[reason] = f"{where}: {detail}" if detail else where

    def messages(self) -> list[str]:
        """One line per reason: ``12 lines: unknown event (first at queue_log:4: ...)``."""
        return [
            f"{n} x {reason} (first at {self.first[reason]})"
            for reason, n in sorted(self.counts.items(), key=lambda kv: -kv[1])
        ]

    def error(self, what: str) -> LogError:
        """A :class:`LogError` that nothing usable remains, naming the first problems."""
        problems = "; ".join(self.messages()[:3]) or "no line had to be skipped"
        return LogError(f"{self.path}: {what} ({problems})")


@dataclass
class LogData:
    """A log read into normalised tables.

    Attributes
    ----------
    calls : DataFrame
        One row per call, :data:`CALL_COLUMNS`.
    rings : DataFrame
        One row per member ring, :data:`RING_COLUMNS` (empty when the format has none).
    presence : DataFrame
        Log-ins, log-outs and pauses, :data:`PRESENCE_COLUMNS` (empty when not logged).
    format : str
        The format read.
    warnings : LogWarnings
        What was skipped, and why.
    start, end : Timestamp
        The period the log covers: from the midnight before its first line to
        the midnight after its last.
    has_rings, has_presence : bool
        Whether the format records member rings and presence at all.
    policy_hint : tuple of str, optional
        A hunt policy the log shows without member rings, and the evidence (a CDR's
        ``Dial(SIP/301&SIP/302)`` rings both phones at once: ``simultaneous``).
    penalties : DataFrame, optional
        Member penalty changes, :data:`PENALTY_COLUMNS` (queue_log only; ``None``
        where the format cannot show them). Never clipped by :meth:`between`: the
        penalty in force at a call may have been set before it.
    other_rings : DataFrame, optional
        The fitted queue's members' rings in the log's other queues,
        :data:`OTHER_RING_COLUMNS` (queue_log only; ``None`` where the format has no
        other queues). Never clipped by :meth:`between`.
    key_exits : DataFrame, optional
        Callers who left a queue of the log (any) by a key, :data:`KEY_EXIT_COLUMNS`
        (queue_log's ``EXITWITHKEY``; ``None`` where the format cannot show one). Their
        calls are ``abandoned`` in :attr:`calls`; caller patience reads them as censored.
        Never clipped by :meth:`between`.
    busy : DataFrame, optional
        Every call a member answered in any queue of the log, :data:`BUSY_COLUMNS`
        (queue_log only; ``None`` where the format has no member rings). A ring to a
        member on such a call is call waiting (:mod:`huntsim.fit.waiting`). Never
        clipped by :meth:`between`.
    """

    calls: pd.DataFrame
    rings: pd.DataFrame
    presence: pd.DataFrame
    format: str
    warnings: LogWarnings
    start: pd.Timestamp
    end: pd.Timestamp
    has_rings: bool = False
    has_presence: bool = False
    policy_hint: tuple[str, str] | None = None
    penalties: pd.DataFrame | None = None
    other_rings: pd.DataFrame | None = None
    key_exits: pd.DataFrame | None = None
    busy: pd.DataFrame | None = None

    @property
    def members(self) -> list[str]:
        """Members seen answering or ringing for the pilot, in order of first appearance."""
        pilot = self.calls[self.calls["kind"] == "pilot"]
        seen = [*pilot["agent"].dropna().tolist(), *self.rings["agent"].tolist(),
                *self.presence["agent"].tolist()]
        return list(dict.fromkeys(str(a) for a in seen))

    def between(self, start: pd.Timestamp, end: pd.Timestamp) -> LogData:
        """The part of the log whose calls arrive in ``[start, end)`` (presence clipped alike)."""
        calls = self.calls[(self.calls["arrival"] >= start) & (self.calls["arrival"] < end)]
        rings = self.rings[self.rings["call_id"].isin(calls["call_id"])]
        presence = self.presence[(self.presence["time"] >= start)
                                 & (self.presence["time"] < end)]
        return LogData(calls.reset_index(drop=True), rings.reset_index(drop=True),
                       presence.reset_index(drop=True), self.format, self.warnings,
                       start, end, self.has_rings, self.has_presence, self.policy_hint,
                       self.penalties, self.other_rings, self.key_exits,
                       self.busy)


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty table with these columns."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})


def member_number(channel: str) -> str:
    """The member's number in a channel or interface name.

    Strips the technology (``PJSIP/``), a context (``@from-queue``), a Local
    channel's ``;1`` and Asterisk's channel sequence suffix (``-0000000a``).

    Examples
    --------
    >>> member_number("PJSIP/555-0101-0000001f")
    '555-0101'
    >>> member_number("Local/101@from-queue/n")
    '101'
    >>> member_number("SIP/8007")
    '8007'
    """
    text = channel.strip()
    if "/" in text:
        text = text.split("/", 1)[1]
    text = text.split(";", 1)[0].split("@", 1)[0]
    if "/" in text:
        text = text.split("/", 1)[0]
    parts = text.rsplit("-", 1)
    if len(parts) == 2 and len(parts[1]) == 8 and all(c in "0123456789abcdef" for c in parts[1]):
        text = parts[0]
    return text


def log_period(times: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Whole days covering ``times``: the midnight before the first, after the last."""
    first, last = pd.Timestamp(times.min()), pd.Timestamp(times.max())
    return first.normalize(), last.normalize() + pd.Timedelta(days=1)


def as_path(path: str | Path) -> Path:
    """``path`` as a :class:`Path`, refusing one that is missing or a directory."""
    p = Path(path)
    if not p.exists():
        raise LogError(f"{str(p)!r}: no such log file")
    if p.is_dir():
        raise LogError(f"{str(p)!r}: is a directory, not a log file")
    return p


def log_text(file: Path, encoding: str = "utf-8") -> str:
    """The text of a log file, undecodable bytes replaced.

    Raises
    ------
    LogError
        When the file cannot be read, naming it and the reason.
    """
    try:
        return file.read_text(encoding=encoding, errors="replace")
    except OSError as error:
        raise LogError(f"{str(file)!r}: cannot be read: {error}") from None
