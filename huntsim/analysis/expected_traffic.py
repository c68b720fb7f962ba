"""Expected traffic by hour: how many calls an arrival stream brings in each hour.

Tables in, tables out, from the scenario alone (nothing is simulated): the
expected calls of a stream in each hour of the week (with a calendar) or of
the day, split by a group's open hours. Measuring a run, sizing staff by hour
and the reports read these tables.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.scenario.arrivals import Poisson, Profile, Trace, Weekly
from huntsim.scenario.calendar import DAY, WEEK, WEEKDAYS, Calendar
from huntsim.scenario.model import HuntGroup, Scenario

__all__ = ["day_length", "hour_keys", "hour_traffic"]


def day_length(group: HuntGroup) -> float:
    """The length of ``group``'s day without a calendar: its profile's period, else 24 hours."""
    arrivals = group.arrivals
    if isinstance(arrivals, Profile) and arrivals.period is not None:
        return arrivals.period
    return 86400.0


def _expected_by(arrivals: Poisson | Profile | Trace | Weekly | None,
                 times: NDArray[np.float64]) -> NDArray[np.float64]:
    """Expected arrivals in ``[0, t)`` at each of the increasing simulation ``times``."""
    if arrivals is None:
        return np.zeros_like(times)
    if isinstance(arrivals, Weekly):
        arrivals = arrivals.profile()
    if isinstance(arrivals, Poisson):
        return arrivals.rate * times
    if isinstance(arrivals, Trace):
        trace = np.asarray(arrivals.trace, dtype=float)
        return np.searchsorted(trace, times, side="left").astype(float)
    starts, rates, cumulative = arrivals._breakpoints()
    cycles = np.zeros_like(times)
    within = times
    per_period = 0.0
    if arrivals.period is not None:
        per_period = float(cumulative[-1] + (arrivals.period - starts[-1]) * rates[-1])
        cycles = np.floor(times / arrivals.period)
        within = times - cycles * arrivals.period
    i = np.searchsorted(starts, within, side="right") - 1
    inside = np.where(i >= 0, cumulative[np.maximum(i, 0)]
                      + (within - starts[np.maximum(i, 0)]) * rates[np.maximum(i, 0)], 0.0)
    expected: NDArray[np.float64] = inside + cycles * per_period
    return expected


def hour_traffic(
    scenario: Scenario,
    arrivals: Poisson | Profile | Trace | Weekly | None,
    open_hours: Calendar | None = None,
    day_s: float | None = None,
) -> pd.DataFrame:
    """Expected calls of an arrival stream per hour of the week (or of the day) in the run.

    With a calendar (:attr:`Scenario.uses_calendar`) the hours are those of the
    week, from the scenario's ``start``; otherwise those of the day, hour 0
    being the start of the run, and the day ``day_s`` long (default: the
    stream's profile period, else 24 hours). Only the reported period
    ``[warmup, duration)`` counts.

    Parameters
    ----------
    scenario : Scenario
        Gives the reported period, ``start`` and whether there is a calendar.
    arrivals : arrivals or None
        A hunt group's ``arrivals`` or an agent's ``direct_calls``.
    open_hours : Calendar, optional
        The group's ``open`` hours: calls outside them are counted apart.
    day_s : float, optional
        Without a calendar: the length of a day (e.g. a group's 9-hour
        business day, to count its members' direct calls by the same hours).

    Returns
    -------
    DataFrame
        One row per hour that occurs in the period, in order: ``slot`` (hour of
        the week, 0 = Monday 00:00-01:00, or of the day), ``weekday`` (``mon``
        ... ``sun``, or ``daily`` without a calendar), ``hour``, ``exposure_s``
        (seconds of the period in that hour), ``open_s`` (of them inside the
        open hours), ``expected`` and ``expected_open`` (calls), and
        ``rate_per_hour``: calls per hour while open (``expected_open`` over
        ``open_s``; 0 for an hour never open).

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({
    ...     "duration": "1w", "start": "mon 08:00",
    ...     "agents": [{"number": "1", "talk_time": "1min"}],
    ...     "hunt_groups": [{"pilot": "9", "members": ["1"], "open": ["mon-fri 08:00-17:00"],
    ...                      "arrivals": {"weekly": {"mon-fri": {"08:00": "12/h",
    ...                                                         "17:00": "6/h"}}}}]})
    >>> group = office.hunt_groups[0]
    >>> table = hour_traffic(office, group.arrivals, group.open).set_index("slot")
    >>> for slot in (8, 16, 17):
    ...     row = table.loc[slot]
    ...     print(row["weekday"], row["hour"], round(row["rate_per_hour"], 6),
    ...           round(row["expected"], 6))
    mon 8 12.0 12.0
    mon 16 12.0 12.0
    mon 17 0.0 6.0
    """
    weekly = scenario.uses_calendar
    if weekly:
        period, shift = WEEK, scenario.start
    else:
        open_hours = None
        period = day_s or (arrivals.period if isinstance(arrivals, Profile) and arrivals.period
                           else DAY)
        shift = 0.0
    low, high = scenario.warmup, scenario.duration
    offsets = np.append(np.arange(0.0, period, 3600.0), period)
    cycles = np.arange(math.floor((low + shift) / period), math.ceil((high + shift) / period) + 1)
    bounds = (cycles[:, None] * period + offsets[None, :] - shift).ravel()
    cuts = [bounds[(bounds > low) & (bounds < high)]]
    if open_hours is not None:
        flips = np.asarray(open_hours.transitions(scenario.start, high)[1], dtype=float)
        cuts.append(flips[(flips > low) & (flips < high)])
    edges = np.unique(np.concatenate([[low, high], *cuts]))
    begin, end = edges[:-1], edges[1:]
    middle = (begin + end) / 2
    slot = np.floor(((middle + shift) % period) / 3600.0).astype(int)
    inside = (np.array([open_hours.contains(scenario.start + t) for t in middle], dtype=bool)
              if open_hours is not None else np.ones(len(middle), dtype=bool))
    counted = np.diff(_expected_by(arrivals, edges))
    pieces = pd.DataFrame({"slot": slot, "exposure_s": end - begin,
                           "open_s": np.where(inside, end - begin, 0.0),
                           "expected": counted, "expected_open": np.where(inside, counted, 0.0)})
    table = pieces.groupby("slot", sort=True).sum().reset_index()
    table.insert(1, "weekday", [WEEKDAYS[s // 24] if weekly else "daily" for s in table["slot"]])
    table.insert(2, "hour", table["slot"] % 24 if weekly else table["slot"])
    open_h = table["open_s"] / 3600.0
    table["rate_per_hour"] = (table["expected_open"] / open_h.where(open_h > 0)).fillna(0.0)
    return table


def hour_keys(table: pd.DataFrame) -> list[str]:
    """The columns that name an hour in an hourly table: ``weekday, hour`` or ``hour``."""
    return ["weekday", "hour"] if "weekday" in table.columns else ["hour"]
