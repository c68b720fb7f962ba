"""The office's week: opening hours, members' schedules, the time at ``t = 0``.

A **window** is text of the form ``"DAYS HH:MM-HH:MM"``:

- ``DAYS`` is a day (``mon`` ... ``sun``), a range (``mon-fri``; a range may
  wrap, ``sat-mon`` is Saturday, Sunday and Monday), a list of days and ranges
  (``mon,wed,fri`` or ``mon-wed,fri``), or ``daily``;
- the clock times run from ``00:00`` to ``23:59``; ``24:00`` may end a window;
- a window that ends before it starts runs past midnight into the next day
  (``"fri 22:00-06:00"`` is Friday 22:00 to Saturday 06:00; ``"sun 22:00-06:00"``
  runs across the week's end into Monday), and one that ends when it starts is
  an error (it would be empty).

A list of windows is their union: a :class:`Calendar`. Inside huntsim a
moment of the week is a number of seconds since Monday 00:00, in
``[0, 604800)``; a window includes its start and excludes its end. Simulation
time ``t`` is the week time ``(start + t) mod 604800``, where ``start`` is the
scenario's ``start`` (``"mon 08:00"``).

Examples
--------
>>> office = Calendar(["mon-fri 08:00-12:00", "mon-fri 13:00-17:00"])
>>> office.hours_open_per_week
40.0
>>> office.contains(parse_week_time("tue 12:30")), office.contains(parse_week_time("tue 13:00"))
(False, True)
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator, GetCoreSchemaHandler
from pydantic_core import core_schema

from huntsim.errors import short_repr
from huntsim.scenario.units import WrittenFloat, WrittenInt

__all__ = [
    "DAY",
    "WEEK",
    "WEEKDAYS",
    "Calendar",
    "WeekTime",
    "format_week_time",
    "parse_clock",
    "parse_days",
    "parse_week_time",
    "parse_window",
]

DAY = 86_400.0
"""Seconds in a day."""
WEEK = 604_800.0
"""Seconds in a week: week times lie in ``[0, WEEK)``."""
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days as written in windows, Monday first (Monday 00:00 is week time 0)."""

_WINDOW_HELP = 'DAYS HH:MM-HH:MM, e.g. "mon-fri 08:00-17:00"'
_DAYS_HELP = "mon ... sun, a range mon-fri, a list mon,wed,fri, or daily"
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_WINDOW = re.compile(
    r"^\s*(?P<days>\S.*?)\s+(?P<start>[0-9]{1,2}:[0-9]{2})\s*-\s*(?P<end>[0-9]{1,2}:[0-9]{2})\s*$"
)
_WEEK_TIME = re.compile(r"^\s*(?P<day>[a-z]+)\s+(?P<clock>[0-9]{1,2}:[0-9]{2})\s*$")


def _text(value: object) -> object:
    """Numbers read from a file as their written text (``9:00`` is YAML 1.1's 540)."""
    if isinstance(value, WrittenInt | WrittenFloat):
        return value.written
    return value


def parse_clock(text: str, *, allow_24: bool = False) -> float:
    """Return the seconds since midnight of a clock time ``HH:MM``.

    Parameters
    ----------
    text : str
        ``"08:00"`` or ``"8:00"``; hours 0 to 23, minutes 0 to 59.
    allow_24 : bool
        Whether ``"24:00"`` (the end of the day) is accepted.

    Raises
    ------
    ValueError
        If the text is not a clock time.

    Examples
    --------
    >>> parse_clock("08:30")
    30600.0
    >>> parse_clock("24:00", allow_24=True)
    86400.0
    """
    match = _CLOCK.match(text.strip())
    if match is not None:
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours < 24 and minutes < 60:
            return hours * 3600.0 + minutes * 60.0
        if allow_24 and hours == 24 and minutes == 0:
            return DAY
    raise ValueError(f"{text!r} is not a clock time; write HH:MM, e.g. '08:00'")


def parse_days(text: str) -> tuple[int, ...]:
    """Return the weekdays (0 = Monday) that ``DAYS`` names, in order.

    Parameters
    ----------
    text : str
        ``mon`` ... ``sun``; a range ``mon-fri`` (``sat-mon`` wraps round the
        week's end); a comma-separated list of days and ranges; or ``daily``.

    Raises
    ------
    ValueError
        If the text does not name days.

    Examples
    --------
    >>> parse_days("mon-fri")
    (0, 1, 2, 3, 4)
    >>> parse_days("sat-mon"), parse_days("mon,wed,fri"), parse_days("daily")
    ((0, 5, 6), (0, 2, 4), (0, 1, 2, 3, 4, 5, 6))
    """
    cleaned = re.sub(r"\s*([,-])\s*", r"\1", text.strip().lower())
    if cleaned == "daily":
        return tuple(range(7))
    days: set[int] = set()
    for part in cleaned.split(","):
        ends = part.split("-")
        if len(ends) > 2 or any(end not in WEEKDAYS for end in ends):
            raise ValueError(f"{text!r} are not days; write {_DAYS_HELP}")
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
    return tuple(sorted(days))


def parse_window(text: object) -> tuple[tuple[float, float], ...]:
    """Return the week-time intervals ``[from, to)`` of one window, in order.

    A window that runs across the week's end is split in two at Monday 00:00.

    Parameters
    ----------
    text : str
        ``"DAYS HH:MM-HH:MM"`` (see the module's description).

    Raises
    ------
    ValueError
        Naming the text, if it is not a window or is empty.

    Examples
    --------
    >>> parse_window("fri 22:00-06:00")
    ((424800.0, 453600.0),)
    >>> parse_window("sun 22:00-06:00")
    ((0.0, 21600.0), (597600.0, 604800.0))
    >>> parse_window("fri 25:00-06:00")
    Traceback (most recent call last):
    ...
    ValueError: 'fri 25:00-06:00' is not a window (DAYS HH:MM-HH:MM, e.g. "mon-fri 08:00-17:00")
    """
    text = _text(text)
    problem = ValueError(f"{short_repr(text)} is not a window ({_WINDOW_HELP})")
    if not isinstance(text, str):
        raise problem
    match = _WINDOW.match(text.lower())
    if match is None:
        raise problem
    try:
        days = parse_days(match.group("days"))
        start = parse_clock(match.group("start"))
        end = parse_clock(match.group("end"), allow_24=True)
    except ValueError:
        raise problem from None
    if end == start:
        raise ValueError(
            f"{text!r} is an empty window: it ends when it starts; "
            'for a whole day write "00:00-24:00"'
        )
    if end < start:
        end += DAY
    intervals: list[tuple[float, float]] = []
    for day in days:
        begin, finish = day * DAY + start, day * DAY + end
        if finish > WEEK:
            intervals.append((0.0, finish - WEEK))
            finish = WEEK
        intervals.append((begin, finish))
    return tuple(sorted(intervals))


def parse_week_time(value: object) -> float:
    """Return the week time (seconds since Monday 00:00) of ``"DAY HH:MM"``.

    Parameters
    ----------
    value : str or float
        ``"mon 08:00"``; from Python also a number of seconds in ``[0, 604800)``.

    Raises
    ------
    ValueError
        If the value is not a weekday and clock time.

    Examples
    --------
    >>> parse_week_time("mon 08:00")
    28800.0
    >>> parse_week_time("sun 23:59")
    604740.0
    """
    problem = ValueError(
        f"{short_repr(_text(value))} is not a weekday and clock time; write e.g. \"mon 08:00\""
    )
    if isinstance(value, WrittenInt | WrittenFloat | bool):
        raise problem
    if isinstance(value, int | float):
        seconds = float(value)
        if not (math.isfinite(seconds) and 0 <= seconds < WEEK):
            raise ValueError(
                f"{value!r} is not a week time: seconds since Monday 00:00 lie in [0, {WEEK:g})"
            )
        return seconds
    if not isinstance(value, str):
        raise problem
    match = _WEEK_TIME.match(value.lower())
    if match is None or match.group("day") not in WEEKDAYS:
        raise problem
    try:
        clock = parse_clock(match.group("clock"))
    except ValueError:
        raise problem from None
    return WEEKDAYS.index(match.group("day")) * DAY + clock


def format_week_time(seconds: float) -> str:
    """Write a week time as ``"DAY HH:MM"`` (with seconds when there are any).

    Examples
    --------
    >>> format_week_time(28800.0)
    'mon 08:00'
    >>> format_week_time(WEEK + 90.5)
    'mon 00:01:30.5'
    """
    seconds = seconds % WEEK
    day, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, 3600.0)
    minutes, rest = divmod(rest, 60.0)
    text = f"{WEEKDAYS[int(day)]} {int(hours):02d}:{int(minutes):02d}"
    if rest:
        text += f":{rest:02g}" if rest >= 10 else f":0{rest:g}"
    return text


WeekTime = Annotated[float, BeforeValidator(parse_week_time)]
"""A scenario field holding a moment of the week: ``"mon 08:00"``, seconds inside."""


def _window_text(value: object) -> str:
    """One window of a scenario file, checked, as written."""
    value = _text(value)
    parse_window(value)
    assert isinstance(value, str)  # parse_window refuses anything else
    return value.strip()


def _calendar_input(value: object) -> object:
    """A calendar may be given as one window, a list of windows or a :class:`Calendar`."""
    if isinstance(value, Calendar):
        return list(value.windows)
    if isinstance(value, str):
        return [value]
    return value


@dataclass(frozen=True, init=False, repr=False)
class Calendar:
    """The union of a list of windows: when a pilot is answered or a member is logged in.

    Parameters
    ----------
    windows : iterable of str
        Windows such as ``"mon-fri 08:00-17:00"``; overlapping or touching
        windows merge. An empty list is never open. Two calendars are equal
        when they are open at the same times, however written.

    Attributes
    ----------
    windows : tuple of str
        The windows as written.
    intervals : tuple of (float, float)
        Disjoint, sorted, non-touching intervals ``[from, to)`` of week time in
        ``[0, 604800]``. An interval ending at 604800 and one starting at 0 are
        one stretch across the week's end.

    Raises
    ------
    ValueError
        Naming the window text, for a window that cannot be read.

    Examples
    --------
    >>> calendar = Calendar(["mon-fri 08:00-12:00", "mon 12:00-13:00", "sun 22:00-06:00"])
    >>> calendar.intervals[:2]
    ((0.0, 21600.0), (28800.0, 46800.0))
    >>> calendar.hours_open_per_week
    29.0
    >>> calendar.transitions(parse_week_time("mon 07:00"), 6 * 3600)
    (False, [3600.0, 21600.0])
    """

    windows: tuple[str, ...] = field(compare=False)
    intervals: tuple[tuple[float, float], ...]

    def __init__(self, windows: Iterable[object]) -> None:
        texts = tuple(_window_text(window) for window in windows)
        pieces = sorted(piece for text in texts for piece in parse_window(text))
        merged: list[tuple[float, float]] = []
        for begin, end in pieces:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((begin, end))
        object.__setattr__(self, "windows", texts)
        object.__setattr__(self, "intervals", tuple(merged))

    def __repr__(self) -> str:
        """``Calendar(['mon-fri 08:00-17:00'])``."""
        return f"Calendar({list(self.windows)!r})"

    def __reduce__(self) -> tuple[type[Calendar], tuple[tuple[str, ...]]]:
        """Pickle as the windows."""
        return type(self), (self.windows,)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """A scenario field holding a list of windows (errors name the item: ``open[1]``)."""
        texts = core_schema.list_schema(core_schema.no_info_plain_validator_function(_window_text))
        return core_schema.no_info_before_validator_function(
            _calendar_input,
            core_schema.no_info_after_validator_function(cls, texts),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda calendar: list(calendar.windows)
            ),
        )

    @property
    def always_open(self) -> bool:
        """Whether the windows cover the whole week."""
        return self.intervals == ((0.0, WEEK),)

    @property
    def hours_open_per_week(self) -> float:
        """Hours in a week inside the windows.

        Examples
        --------
        >>> Calendar(["daily 22:00-06:00"]).hours_open_per_week
        56.0
        """
        return sum(end - begin for begin, end in self.intervals) / 3600.0

    def contains(self, week_s: float) -> bool:
        """Whether the week time ``week_s`` (taken modulo a week) is inside a window.

        A window includes its start and excludes its end.

        Examples
        --------
        >>> monday = Calendar(["mon 08:00-17:00"])
        >>> monday.contains(8 * 3600), monday.contains(17 * 3600), monday.contains(WEEK + 9 * 3600)
        (True, False, True)
        """
        moment = float(week_s) % WEEK
        i = bisect.bisect_right(self.intervals, (moment, math.inf)) - 1
        return i >= 0 and self.intervals[i][0] <= moment < self.intervals[i][1]

    def is_open_at(self, start_s: float, t: float) -> bool:
        """Whether it is open at simulation time ``t`` when time 0 is week time ``start_s``."""
        return self.contains(start_s + t)

    def edges(self) -> tuple[float, ...]:
        """The week times at which the state flips, sorted (none for an always-open week).

        Examples
        --------
        >>> Calendar(["sun 22:00-24:00", "mon 00:00-06:00"]).edges()
        (21600.0, 597600.0)
        """
        count = Counter(
            edge % WEEK for begin, end in self.intervals for edge in (begin, end)
        )
        return tuple(sorted(edge for edge, n in count.items() if n % 2))

    def transitions(self, start_s: float, end_s: float) -> tuple[bool, list[float]]:
        """The state at simulation time 0 and the times in ``(0, end_s]`` when it flips.

        Parameters
        ----------
        start_s : float
            The week time at simulation time 0 (the scenario's ``start``).
        end_s : float
            The last simulation time of interest; the changes repeat every week.

        Returns
        -------
        open_at_start : bool
            Whether simulation time 0 lies inside a window.
        flips : list of float
            Increasing simulation times; at each the state changes (open to
            closed or closed to open), alternating from ``open_at_start``.

        Examples
        --------
        >>> Calendar(["daily 09:00-17:00"]).transitions(parse_week_time("sun 12:00"), 86400)
        (True, [18000.0, 75600.0])
        >>> Calendar(["mon 08:00-09:00"]).transitions(parse_week_time("mon 08:00"), 1.5 * WEEK)
        (True, [3600.0, 604800.0, 608400.0])
        """
        start = float(start_s) % WEEK
        offsets = sorted(((edge - start) % WEEK) or WEEK for edge in self.edges())
        flips: list[float] = []
        week = 0.0
        while offsets and week + offsets[0] <= end_s:
            flips.extend(week + offset for offset in offsets if week + offset <= end_s)
            week += WEEK
        return self.contains(start), flips

    def open_seconds(self, start_s: float, end_s: float) -> float:
        """Seconds of simulation time in ``[0, end_s)`` inside a window.

        Examples
        --------
        >>> Calendar(["mon-fri 08:00-17:00"]).open_seconds(0.0, 4 * WEEK) / 3600
        180.0
        """
        is_open, flips = self.transitions(start_s, end_s)
        total, since = 0.0, 0.0
        for flip in [*flips, end_s]:
            if is_open:
                total += min(flip, end_s) - since
            is_open, since = not is_open, flip
        return total
