"""Shift rules for ``huntsim roster``: the shifts an office may staff, and their costs.

A shifts file (or a scenario's top-level ``shifts:`` key) lists the shapes a
person's working day may take::

    shifts:
      - {name: early, days: mon-fri, start: "08:00", length: 8h,
         break: {after: 4h, length: 30min}, cost: 1, min: 0, max: 6}
      - {name: late, days: mon-fri, start: "10:00", length: 7h}

A shift runs ``length`` from ``start`` on each of its ``days`` (it may run past
midnight); its ``break`` starts ``after`` the shift's start and lies inside
it; the person is logged out during it. ``cost`` is per hour of the shift,
break included (default 1: the roster's cost is then its paid hours). ``min``
and ``max`` bound how many people work the shift.

Examples
--------
>>> early = Shift.model_validate({"name": "early", "days": "mon-fri", "start": "08:00",
...                               "length": "8h", "break": {"after": "4h", "length": "30min"}})
>>> early.windows()
('mon-fri 08:00-12:00', 'mon-fri 12:30-16:00')
>>> early.weekly_cost, early.end
(40.0, '16:00')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from huntsim.errors import ScenarioError, short_repr
from huntsim.scenario.calendar import DAY, WEEK, WEEKDAYS, parse_clock, parse_days
from huntsim.scenario.loader import read_scenario_file
from huntsim.scenario.section import Section
from huntsim.scenario.units import Seconds, Text, WrittenFloat, WrittenInt

__all__ = ["Shift", "ShiftBreak", "ShiftRules", "checked_shifts", "load_shifts"]

MINUTES_PER_WEEK = int(WEEK // 60)


def _written(value: object) -> object:
    """Numbers read from a file as their written text (``9:00`` is YAML 1.1's 540)."""
    if isinstance(value, WrittenInt | WrittenFloat):
        return value.written
    return value


def _days(value: object) -> str:
    value = _written(value)
    if not isinstance(value, str):
        raise ValueError(f"{short_repr(value)} are not days; write e.g. 'mon-fri'")
    parse_days(value)  # raises, naming the text
    return value.strip().lower()


def _clock(value: object) -> str:
    value = _written(value)
    if not isinstance(value, str):
        raise ValueError(f"{short_repr(value)} is not a clock time; write HH:MM, e.g. '08:00'")
    parse_clock(value)
    return value.strip()


Days = Annotated[str, BeforeValidator(_days)]
Clock = Annotated[str, BeforeValidator(_clock)]


def _hhmm(seconds: float) -> str:
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ShiftBreak(Section):
    """A break inside a shift: the person is logged out from ``after`` the shift's start
    for ``length``; it must end before the shift does.

    Attributes
    ----------
    after : float
        Time from the shift's start to the break, whole minutes.
    length : float
        Length of the break, whole minutes.
    """

    after: Seconds = Field(gt=0)
    length: Seconds = Field(gt=0)


class Shift(Section):
    """One shape of working day that people may be rostered on, for ``huntsim roster``.

    Attributes
    ----------
    name : str
        Shown in the roster.
    days : str
        The days it runs: ``mon-fri``, ``sat,sun``, ``daily``...
    start : str
        Clock time it starts, ``HH:MM``.
    length : float
        From start to end, break included (whole minutes, under 24 h); it may run
        past midnight.
    break_ : ShiftBreak or None
        Written ``break``: when the person is logged out inside the shift.
    cost : float
        Cost per hour of the shift, break included (default 1).
    min : int
        Fewest people on the shift.
    max : int or None
        Most people on the shift; ``None``: no limit.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True,
                              populate_by_name=True)

    name: Text = Field(min_length=1)
    days: Days
    start: Clock
    length: Seconds = Field(gt=0, lt=DAY)
    break_: ShiftBreak | None = Field(default=None, alias="break")
    cost: float = Field(default=1.0, ge=0)
    min: int = Field(default=0, ge=0)
    max: int | None = Field(default=None, ge=0)

    def problems(self, where: str) -> list[str]:
        """What is wrong across this shift's fields, each message naming ``where`` and the field."""
        found = []
        for name, seconds in (("length", self.length),
                              ("break.after", self.break_.after if self.break_ else 0.0),
                              ("break.length", self.break_.length if self.break_ else 0.0)):
            if abs(seconds / 60.0 - round(seconds / 60.0)) > 1e-9:
                hint = (f"; a plain number is seconds: write {seconds:g}h or {seconds:g}min"
                        if seconds < 60 else "")
                found.append(f"{where}.{name}: {seconds:g} s is not a whole number of "
                             f"minutes{hint}")
        if self.break_ is not None and self.break_.after + self.break_.length >= self.length:
            found.append(
                f"{where}.break: a {self.break_.length / 60:g} min break "
                f"{_hhmm(self.break_.after)} h after the start does not end before the "
                f"shift does ({_hhmm(self.length)} h after its start)")
        if self.max is not None and self.max < self.min:
            found.append(f"{where}.max: {self.max} is below min ({self.min})")
        return found

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The days it runs, 0 = Monday."""
        return parse_days(self.days)

    @property
    def end(self) -> str:
        """Clock time it ends, ``HH:MM``."""
        return _hhmm((parse_clock(self.start) + self.length) % DAY)

    @property
    def weekly_cost(self) -> float:
        """Cost of one person on this shift for a week: cost x hours x days."""
        return self.cost * self.length / 3600.0 * len(self.weekdays)

    def pieces(self) -> tuple[tuple[float, float], ...]:
        """The logged-in stretches of one day's shift, seconds from that day's midnight."""
        begin = parse_clock(self.start)
        if self.break_ is None:
            return ((begin, begin + self.length),)
        pause = begin + self.break_.after
        return ((begin, pause), (pause + self.break_.length, begin + self.length))

    def windows(self) -> tuple[str, ...]:
        """The shift as a member's ``schedule``: one window per logged-in stretch."""
        texts = []
        for begin, end in self.pieces():
            later = int(begin // DAY)  # a stretch after a break past midnight: the next day
            days = self.days if later == 0 else ",".join(
                WEEKDAYS[(d + later) % 7] for d in self.weekdays)
            begin, end = begin - later * DAY, end - later * DAY
            finish = "24:00" if end == DAY else _hhmm(end % DAY)
            texts.append(f"{days} {_hhmm(begin)}-{finish}")
        return tuple(texts)

    def minutes(self) -> NDArray[np.bool_]:
        """Which minutes of the week (Monday 00:00 first) one person on it is logged in."""
        worked = np.zeros(MINUTES_PER_WEEK, dtype=bool)
        for day in self.weekdays:
            for begin, end in self.pieces():
                first = round((day * DAY + begin) / 60.0)
                last = round((day * DAY + end) / 60.0)
                worked[np.arange(first, last) % MINUTES_PER_WEEK] = True
        return worked

    def hours(self) -> NDArray[np.float64]:
        """The part of each hour of the week (168, Monday 00:00-01:00 first) one person on
        it is logged in: 1 for a whole hour, 0.5 for an hour with a 30-minute break."""
        part: NDArray[np.float64] = self.minutes().reshape(168, 60).mean(axis=1)
        return part


class ShiftRules(Section):
    """A shifts file: ``shifts:``, a list of :class:`Shift`, names each once."""

    shifts: tuple[Shift, ...] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _consistent(self) -> ShiftRules:
        problems: list[str] = []
        seen: set[str] = set()
        for i, shift in enumerate(self.shifts):
            problems.extend(shift.problems(f"shifts[{i}]"))
            if shift.name in seen:
                problems.append(f"shifts[{i}].name: {shift.name!r} names two shifts")
            seen.add(shift.name)
        if problems:
            raise ScenarioError(problems)
        return self


def checked_shifts(shifts: tuple[Shift, ...] | None) -> tuple[Shift, ...] | None:
    """A scenario's ``shifts:`` list, checked across fields (names once, breaks inside)."""
    if shifts is not None:
        ShiftRules(shifts=shifts)
    return shifts


def load_shifts(source: str | Path | Mapping[str, Any] | Sequence[Any] | ShiftRules,
                where: str = "shifts") -> tuple[Shift, ...]:
    """Read and check shift rules.

    Parameters
    ----------
    source : path, mapping, list or ShiftRules
        A YAML file with a top-level ``shifts:`` list (a scenario file with
        one will do), the same as a mapping, or the list of shifts itself.
    where : str
        Written before every message when the source is not a file (the
        parameter's name); a file's messages start with its name.

    Raises
    ------
    ScenarioError
        One message per mistake, naming the field and the value, e.g.
        ``shifts.yaml: shifts[0].start: '25:00' is not a clock time ...``.

    Examples
    --------
    >>> load_shifts([{"name": "day", "days": "daily", "start": "09:00", "length": "8h"}])[0].end
    '17:00'
    >>> load_shifts([{"name": "day", "days": "weekdays", "start": "09:00", "length": "8h"}])
    Traceback (most recent call last):
    ...
    huntsim.errors.ScenarioError: shifts[0].days: 'weekdays' are not days; write mon ... sun, \
a range mon-fri, a list mon,wed,fri, or daily
    """
    if isinstance(source, ShiftRules):
        return source.shifts
    prefix = ""
    if isinstance(source, str | Path):
        path = Path(source)
        data: Any = read_scenario_file(
            path, "a shifts file must be a mapping with a top-level 'shifts:' list")
        prefix = f"{path.name}: "
    elif isinstance(source, Mapping):
        data = source
    else:
        data = {"shifts": list(source)}
    if isinstance(data, Mapping) and "shifts" in data:
        data = {"shifts": data["shifts"]}
        if data["shifts"] is None or (isinstance(data["shifts"], list | tuple)
                                      and not data["shifts"]):
            raise ScenarioError([f"{prefix}shifts: the list is empty; give at least one "
                                 "shift, e.g. {name: day, days: mon-fri, start: '08:00', "
                                 "length: 8h}"])
    elif isinstance(data, Mapping):
        raise ScenarioError([f"{prefix or where + ': '}no top-level 'shifts:' list"])
    try:
        rules = ShiftRules.model_validate(data)
    except ValidationError as error:
        messages = ScenarioError.from_validation(error, model=ShiftRules).messages
    except ScenarioError as error:
        messages = error.messages
    else:
        return rules.shifts
    raise ScenarioError([prefix + m.replace("break_", "break") for m in messages])
