"""Arrival processes: when calls come in.

Three forms are accepted in a scenario file::

    arrivals: {rate: 30/h}                                   # Poisson
    arrivals: {profile: [{start: 0h, rate: 10/h},            # Poisson whose rate
                         {start: 3h, rate: 40/h}],           # changes over the day
               period: 24h}                                  # (optional repeat)
    arrivals: {trace: [0, 95.5, 300]}                        # exact times, seconds
    arrivals: {trace: calls.csv}                             # ... or from a file
    arrivals:                                                # by weekday and
      weekly:                                                # clock time
        mon-fri: {"08:00": 10/h, "12:00": 16/h, "17:00": 0/h}
        sat: {"09:00": 6/h, "12:00": 0/h}

A profile is a piecewise-constant rate. Its arrival times are drawn exactly,
by mapping a unit-rate Poisson process through the inverse of the cumulative
rate, so that no call is lost or bunched at a boundary. A weekly form becomes
such a profile (a :class:`WeeklyProfile`, repeating every week) once the
scenario's ``start`` says which moment of the week simulation time 0 is.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from huntsim.scenario.calendar import DAY, WEEK, WEEKDAYS, parse_clock, parse_days
from huntsim.scenario.units import Rate, Seconds, WrittenFloat, WrittenInt

__all__ = [
    "Arrivals",
    "Poisson",
    "Profile",
    "RateStep",
    "Trace",
    "Weekly",
    "WeeklyProfile",
    "arrival_blocks",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
_BLOCK = 4096


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Poisson(_Spec):
    """Calls arrive at random at a constant ``rate`` (per second inside): a Poisson process.

    Attributes
    ----------
    rate : float
        Calls per unit of time, with the unit (``30/h``); ``0/h`` for none.
    """

    rate: Rate = Field(ge=0)

    def mean_rate(self, duration: float) -> float:
        """Mean arrivals per second over ``[0, duration)``."""
        return self.rate


class RateStep(_Spec):
    """From ``start`` on, calls arrive at ``rate`` (until the next step).

    Attributes
    ----------
    start : float
        When the step begins, in simulation time from the start of the run
        (or of the period).
    rate : float
        Calls per unit of time from then on (``40/h``).
    """

    start: Seconds
    rate: Rate = Field(ge=0)


class Profile(_Spec):
    """A Poisson rate that changes over the day, in steps.

    Before the first step the rate is zero; the last step holds until the end of
    the run, or until ``period`` when the profile repeats (a business day).

    Attributes
    ----------
    profile : list of RateStep
        Steps ``{start, rate}`` with increasing starts.
    period : float or None
        Length after which the profile repeats (``24h``); ``None``: it does
        not repeat.
    """

    profile: tuple[RateStep, ...] = Field(min_length=1)
    period: Seconds | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _steps_in_order(self) -> Profile:
        starts = [step.start for step in self.profile]
        for i in range(1, len(starts)):
            if starts[i] <= starts[i - 1]:
                raise ValueError(
                    f"profile[{i}].start (={starts[i]:g} s) must come after "
                    f"profile[{i - 1}].start (={starts[i - 1]:g} s)"
                )
        if self.period is not None and starts[-1] >= self.period:
            raise ValueError(
                f"profile[{len(starts) - 1}].start (={starts[-1]:g} s) must be "
                f"inside the period (={self.period:g} s)"
            )
        return self

    def _breakpoints(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Segment starts, rates and cumulative rate at each start (one period)."""
        starts = np.array([0.0] + [s.start for s in self.profile])
        rates = np.array([0.0] + [s.rate for s in self.profile])
        if self.profile[0].start == 0.0:
            starts, rates = starts[1:], rates[1:]
        cumulative = np.concatenate(([0.0], np.cumsum(np.diff(starts) * rates[:-1])))
        return starts, rates, cumulative

    def mean_rate(self, duration: float) -> float:
        """Mean arrivals per second over ``[0, duration)``."""
        if duration <= 0:
            return 0.0
        return self.cumulative(duration) / duration

    def rate_at(self, t: float) -> float:
        """The rate (per second) at time ``t``; zero before the first step.

        Examples
        --------
        >>> day = Profile(profile=[{"start": "1h", "rate": "36/h"}], period="2h")
        >>> day.rate_at(0), day.rate_at(3600), day.rate_at(7200 + 3600)
        (0.0, 0.01, 0.01)
        """
        if t < 0:
            return 0.0
        if self.period is not None:
            t = t % self.period
        starts, rates, _ = self._breakpoints()
        i = int(np.searchsorted(starts, t, side="right")) - 1
        return float(rates[i]) if i >= 0 else 0.0

    def cumulative(self, t: float) -> float:
        """Expected number of arrivals in ``[0, t)``."""
        starts, rates, cumulative = self._breakpoints()
        whole = 0.0
        if self.period is not None:
            per_period = float(
                cumulative[-1] + (self.period - starts[-1]) * rates[-1]
            )
            cycles = math.floor(t / self.period)
            whole, t = cycles * per_period, t - cycles * self.period
        i = int(np.searchsorted(starts, t, side="right")) - 1
        return whole + float(cumulative[i] + (t - starts[i]) * rates[i])


class Trace(_Spec):
    """Calls arrive at exactly the listed times (seconds from the start).

    Attributes
    ----------
    trace : list of float
        Arrival times in seconds from the start of the run, in order; or the
        name of a CSV file (times in its first column, an optional header),
        relative to the scenario file.
    """

    trace: tuple[float, ...]

    @field_validator("trace", mode="before")
    @classmethod
    def _read_file(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        base = Path((info.context or {}).get("base_dir", "."))
        return _read_trace_file(base / value)

    @field_validator("trace")
    @classmethod
    def _sorted_and_not_negative(cls, times: tuple[float, ...]) -> tuple[float, ...]:
        for i, t in enumerate(times):
            if not math.isfinite(t) or t < 0:
                raise ValueError(f"trace[{i}] (={t!r}) must be a finite time >= 0 s")
            if i and t < times[i - 1]:
                raise ValueError(
                    f"trace[{i}] (={t!r}) comes before trace[{i - 1}] (={times[i - 1]!r}); "
                    "list times in order"
                )
        return times

    def mean_rate(self, duration: float) -> float:
        """Mean arrivals per second over ``[0, duration)``."""
        if duration <= 0:
            return 0.0
        return sum(1 for t in self.trace if t < duration) / duration


def _key_text(key: object, what: str) -> str:
    """A key of a weekly form as written (YAML 1.1 reads an unquoted ``9:00`` as 540)."""
    if isinstance(key, WrittenInt | WrittenFloat):
        return key.written
    if isinstance(key, str):
        return key
    raise ValueError(f"{key!r} is not {what}; write it as text, e.g. '08:00' or 'mon-fri'")


def _clock_times_once(rates: dict[str, float]) -> dict[str, float]:
    """The clock times of one day's rates: ``HH:MM``, each once."""
    seen: dict[float, str] = {}
    for clock in rates:
        try:
            at = parse_clock(clock)
        except ValueError:
            raise ValueError(
                f"{clock!r} is not a clock time; write HH:MM from 00:00 to 23:59, e.g. '08:00'"
            ) from None
        if at in seen:
            raise ValueError(f"{seen[at]!r} and {clock!r} are the same clock time")
        seen[at] = clock
    return rates


class Weekly(_Spec):
    """Calls by weekday and clock time, the same every week.

    ``weekly`` maps days (written as in a window: ``mon``, ``mon-fri``,
    ``mon,wed,fri`` or ``daily``) to clock times and the rate from then on::

        weekly:
          mon-fri: {"08:00": 10/h, "09:00": 28/h, "12:00": 16/h, "17:00": 0/h}
          sat: {"09:00": 6/h, "12:00": 0/h}

    Within a day a rate holds from its clock time to the next one, the last
    to midnight; a day starts at rate 0, and days not named have no calls. A
    day may be named once only. Inside a :class:`~huntsim.Scenario` this
    form becomes a :class:`WeeklyProfile` shifted by the scenario's ``start``.

    Attributes
    ----------
    weekly : dict
        Days (``mon-fri``, ``sat``, ``daily``...) to a mapping of clock times
        (``"08:00"``) to the rate from then on (``28/h``); quote the clock
        times.

    Examples
    --------
    >>> week = Weekly(weekly={"mon-fri": {"08:00": "10/h", "17:00": "0/h"}})
    >>> week.rate_at(9 * 3600) * 3600, week.rate_at(5 * 86400 + 9 * 3600)
    (10.0, 0.0)
    >>> week.profile(start=8 * 3600).rate_at(0) * 3600
    10.0
    """

    weekly: dict[str, Annotated[dict[str, Rate], AfterValidator(_clock_times_once)]] = Field(
        min_length=1
    )

    @model_validator(mode="before")
    @classmethod
    def _keys_as_written(cls, data: object) -> object:
        if not isinstance(data, Mapping) or not isinstance(data.get("weekly"), Mapping):
            return data
        weekly = {
            _key_text(days, "days"): (
                {_key_text(clock, "a clock time"): rate for clock, rate in rates.items()}
                if isinstance(rates, Mapping)
                else rates
            )
            for days, rates in data["weekly"].items()
        }
        return {**data, "weekly": weekly}

    @field_validator("weekly")
    @classmethod
    def _days_named_once(cls, weekly: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        named: dict[int, str] = {}
        for days_text in weekly:
            try:
                days = parse_days(days_text)
            except ValueError:
                raise ValueError(
                    f"{days_text!r} are not days; write mon ... sun, a range mon-fri, "
                    "a list mon,wed,fri, or daily"
                ) from None
            for day in days:
                if day in named:
                    raise ValueError(
                        f"{WEEKDAYS[day]} is named twice, in {named[day]!r} and {days_text!r}"
                    )
                named[day] = days_text
        return weekly

    def __hash__(self) -> int:
        """Hash of the rates by week time (the mapping itself cannot be hashed)."""
        return hash(self.week_steps())

    def week_steps(self) -> tuple[tuple[float, float], ...]:
        """``(week time, rate per second)`` steps from Monday 00:00, merged where equal.

        Examples
        --------
        >>> Weekly(weekly={"sun": {"22:00": "6/h"}}).week_steps()
        ((0.0, 0.0), (597600.0, 0.0016666666666666668))
        """
        steps = {day * DAY: 0.0 for day in range(7)}
        for days_text, rates in self.weekly.items():
            for day in parse_days(days_text):
                for clock, rate in rates.items():
                    steps[day * DAY + parse_clock(clock)] = rate
        merged: list[tuple[float, float]] = []
        for at in sorted(steps):
            if not merged or merged[-1][1] != steps[at]:
                merged.append((at, steps[at]))
        return tuple(merged)

    def rate_at(self, week_s: float) -> float:
        """The rate (per second) at week time ``week_s`` (taken modulo a week)."""
        steps = self.week_steps()
        i = bisect.bisect_right(steps, (float(week_s) % WEEK, math.inf)) - 1
        return steps[i][1]

    def profile(self, start: float = 0.0) -> WeeklyProfile:
        """The piecewise-constant profile in simulation time, repeating every week.

        Parameters
        ----------
        start : float
            The week time (seconds since Monday 00:00) at simulation time 0.
        """
        start = float(start) % WEEK
        shifted = {0.0: self.rate_at(start)}
        for at, rate in self.week_steps():
            t = (at - start) % WEEK
            if 0.0 < t < WEEK:
                shifted[t] = rate
        steps: list[RateStep] = []
        for t in sorted(shifted):
            if not steps or steps[-1].rate != shifted[t]:
                steps.append(RateStep.model_construct(start=t, rate=shifted[t]))
        return WeeklyProfile(profile=tuple(steps), period=WEEK, source=self, start=start)

    def mean_rate(self, duration: float) -> float:
        """Mean arrivals per second over ``[0, duration)`` of a run starting Monday 00:00."""
        return self.profile().mean_rate(duration)


class WeeklyProfile(Profile):
    """A :class:`Weekly` form as a profile in simulation time (what the engine draws).

    ``period`` is one week, and simulation time 0 is the week time ``start``.

    Attributes
    ----------
    source : Weekly
        The rates as written.
    start : float
        Week time (seconds since Monday 00:00) at simulation time 0.
    """

    source: Weekly
    start: float = Field(ge=0, lt=WEEK)


def _read_trace_file(path: Path) -> list[float]:
    """Read arrival times from the first column of a CSV file (header optional)."""
    if not path.exists():
        raise ValueError(f"trace file {str(path)!r} does not exist")
    if not path.is_file():
        raise ValueError(f"trace file {str(path)!r} is not a file")
    times: list[float] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for line_number, row in enumerate(csv.reader(handle), start=1):
                if not row or not row[0].strip():
                    continue
                try:
                    times.append(float(row[0]))
                except ValueError:
                    if line_number == 1:
                        continue  # a header
                    raise ValueError(
                        f"trace file {str(path)!r}, line {line_number}: "
                        f"{row[0]!r} is not a time in seconds"
                    ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"trace file {str(path)!r} cannot be read: {error}") from None
    return times


# Error locations name the union's tag; huntsim.errors leaves out tags it knows
# and pydantic's "function-..." steps, so that a problem in a weekly form reads
# "arrivals.weekly: ..." rather than "arrivals.Weekly.weekly: ...".
_WEEKLY_TAG = "function-weekly"


def _arrival_form(value: object) -> str | None:
    if isinstance(value, dict):
        for key, tag in (("profile", "Profile"), ("trace", "Trace"), ("rate", "Poisson"),
                         ("weekly", _WEEKLY_TAG)):
            if key in value:
                return tag
        return None
    if isinstance(value, Weekly):
        return _WEEKLY_TAG
    for kind in (Poisson, Profile, Trace):
        if isinstance(value, kind):
            return kind.__name__
    return None


Arrivals = Annotated[
    Annotated[Poisson, Tag("Poisson")]
    | Annotated[Profile, Tag("Profile")]
    | Annotated[Trace, Tag("Trace")]
    | Annotated[Weekly, Tag(_WEEKLY_TAG)],
    Discriminator(
        _arrival_form,
        custom_error_type="arrivals_form",
        custom_error_message="arrivals need one of the keys rate, profile, trace or weekly",
    ),
]
"""Any arrival process, as written in a scenario file."""


def arrival_blocks(
    arrivals: Poisson | Profile | Trace | Weekly, rng: np.random.Generator, end: float
) -> Iterator[FloatArray]:
    """Yield increasing arrival times in ``[0, end)``, a block at a time.

    Blocks keep memory flat however long the run, and draw random numbers in
    bulk rather than one call at a time.

    Parameters
    ----------
    arrivals : Poisson, Profile, Trace or Weekly
        The arrival process. A :class:`Weekly` form is taken to start on
        Monday 00:00; a scenario has already turned it into a
        :class:`WeeklyProfile` from its own ``start``.
    rng : numpy.random.Generator
        The stream that belongs to this arrival process alone.
    end : float
        Arrivals stop at this time (seconds).
    """
    if isinstance(arrivals, Weekly):
        arrivals = arrivals.profile()
    if isinstance(arrivals, Trace):
        times = np.asarray(arrivals.trace, dtype=float)
        yield times[times < end]
        return
    if isinstance(arrivals, Poisson):
        if arrivals.rate <= 0:
            return
        yield from _clipped(_unit_poisson(rng, arrivals.rate * end), end, 1.0 / arrivals.rate)
        return
    yield from _profile_blocks(arrivals, rng, end)


def _unit_poisson(rng: np.random.Generator, expected: float) -> Iterator[FloatArray]:
    """Points of a rate-one Poisson process, in blocks sized to the expected count."""
    size = int(min(_BLOCK, max(16.0, expected * 1.1 + 16)))
    last = 0.0
    while True:
        points = last + np.cumsum(rng.standard_exponential(size))
        last = float(points[-1])
        yield points


def _clipped(blocks: Iterator[FloatArray], end: float, scale: float) -> Iterator[FloatArray]:
    for block in blocks:
        times = block * scale
        if times[-1] >= end:
            yield times[times < end]
            return
        yield times


def _profile_blocks(
    profile: Profile, rng: np.random.Generator, end: float
) -> Iterator[FloatArray]:
    starts, rates, cumulative = profile._breakpoints()
    if profile.period is None:
        total = float(cumulative[-1]) if rates[-1] == 0 else math.inf
        period, per_period = math.inf, math.inf
    else:
        period = profile.period
        per_period = float(cumulative[-1] + (period - starts[-1]) * rates[-1])
        total = math.inf if per_period > 0 else 0.0
    expected = profile.cumulative(end)
    if expected <= 0:
        return
    # a zero-rate segment never holds a point: each segment maps to the next one
    # with a positive rate (the last positive one for trailing zeros), so that
    # rounding at a boundary can never divide by a zero rate
    positive_at = np.flatnonzero(rates > 0)
    following = np.searchsorted(positive_at, np.arange(len(rates)))
    carrier = positive_at[np.minimum(following, len(positive_at) - 1)]
    for block in _unit_poisson(rng, expected):
        block = block[block < total]
        if math.isfinite(per_period):
            cycles = np.floor(block / per_period)
            # block / per_period may round up to a whole number: keep within >= 0
            within = np.maximum(block - cycles * per_period, 0.0)
        else:
            cycles, within = np.zeros_like(block), block
        segment = np.clip(np.searchsorted(cumulative, within, side="right") - 1,
                          0, len(rates) - 1)
        segment = carrier[segment]
        with np.errstate(over="ignore"):  # a rate of 1e-300/s: a time past any end
            times = starts[segment] + (within - cumulative[segment]) / rates[segment]
        if math.isfinite(period):
            times = times + cycles * period
        if len(times) == 0 or times[-1] >= end:
            yield times[times < end]
            return
        yield times
