"""Members scheduled against members needed, hour by hour: what ``plan --by-hour`` adds for
a group whose members have schedules ("3 short on mon 08:00-10:00, 2 spare on fri ...")."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.experiments.peak import hours_text
from huntsim.scenario.calendar import WEEKDAYS
from huntsim.scenario.model import Scenario

__all__ = ["gap_lines", "open_minutes", "scheduled_by_hour"]

_MINUTES = 7 * 24 * 60


def open_minutes(scenario: Scenario, pilot: str) -> NDArray[np.bool_]:
    """Which minutes of the week (10080, Monday 00:00 first) the group is open (its
    ``open`` windows; every minute without them).

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "1d", "agents": [{"number": "1", "talk_time": 60}],
    ...     "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                      "open": ["mon 07:30-17:00"]}]})
    >>> int(open_minutes(office, "100")[7 * 60:8 * 60].sum())
    30
    """
    calendar = scenario.group(pilot).open
    if calendar is None:
        return np.ones(_MINUTES, dtype=bool)
    starts = np.arange(_MINUTES) * 60.0
    inside = np.zeros(_MINUTES, dtype=bool)
    for begin, end in calendar.intervals:
        inside |= (starts >= begin) & (starts < end)
    return inside


def scheduled_by_hour(scenario: Scenario, pilot: str) -> NDArray[np.int_]:
    """The fewest of the group's members logged in at any minute of each hour of the week
    (168, Monday 00:00-01:00 first) that the group is open (every minute of an hour it is
    wholly closed); a member without a ``schedule`` is always logged in.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "1d", "agents": [
    ...     {"number": "1", "talk_time": 60, "schedule": ["mon 08:00-12:00"]},
    ...     {"number": "2", "talk_time": 60, "schedule": ["mon 09:30-17:00"]}],
    ...     "hunt_groups": [{"pilot": "100", "members": ["1", "2"]}]})
    >>> scheduled_by_hour(office, "100")[8:13].tolist()
    [1, 1, 2, 2, 1]
    """
    logged_in = np.zeros(_MINUTES, dtype=int)
    starts = np.arange(_MINUTES) * 60.0
    for number in scenario.group(pilot).members:
        schedule = scenario.agent(number).schedule
        if schedule is None:
            logged_in += 1
            continue
        inside = np.zeros(_MINUTES, dtype=bool)
        for begin, end in schedule.intervals:
            inside |= (starts >= begin) & (starts < end)
        logged_in += inside
    counted = open_minutes(scenario, pilot).reshape(168, 60).copy()
    counted[~counted.any(axis=1)] = True
    by_hour = np.where(counted, logged_in.reshape(168, 60), np.iinfo(np.int64).max)
    fewest: NDArray[np.int_] = by_hour.min(axis=1).astype(int)
    return fewest


def gap_lines(by_hour: pd.DataFrame, scheduled: NDArray[np.int_]) -> list[str]:
    """For one policy's rows of :func:`~huntsim.experiments.by_hour.staffing_by_hour`: the
    hours with fewer members scheduled than needed, and with more, grouped by the gap.

    Examples
    --------
    >>> table = pd.DataFrame({"weekday": ["mon"] * 3 + ["fri"], "hour": [8, 9, 10, 14],
    ...                       "members_needed": [4, 4, 2, 1]})
    >>> scheduled = np.zeros(168, dtype=int); scheduled[8:11] = [1, 1, 2]
    >>> scheduled[4 * 24 + 14] = 3
    >>> gap_lines(table, scheduled)
    ['3 short on mon 08:00-10:00', '2 spare on fri 14:00-15:00']
    """
    gaps: dict[int, list[tuple[str, int]]] = {}
    for day, hour, needed in zip(by_hour["weekday"], by_hour["hour"],
                                 by_hour["members_needed"], strict=True):
        if pd.isna(needed):
            continue
        days = WEEKDAYS if day == "daily" else (str(day),)
        for d in days:
            gap = int(scheduled[WEEKDAYS.index(d) * 24 + int(hour)]) - int(needed)
            if gap:
                gaps.setdefault(gap, []).append((d, int(hour)))
    lines = []
    for gap in sorted(gaps, key=lambda g: (g > 0, -abs(g))):
        rows = pd.DataFrame(gaps[gap], columns=["weekday", "hour"])
        lines.append(f"{abs(gap)} {'short' if gap < 0 else 'spare'} on {hours_text(rows)}")
    return lines
