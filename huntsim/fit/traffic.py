"""Traffic by weekday and clock hour, from arrivals (not from answered calls).

Each hour of the week has its own Poisson rate: the calls that arrived in it
over the weeks of the log, divided by the hours of that kind the log covers.
The interval is the exact (Garwood) Poisson interval of the count (never below 0).

A log shorter than a week does not cover every weekday: the rates are per hour of
the days it covers, a weekday it does not cover has no rate (``NaN``, not 0), and
:func:`total_rate` sums over the weekdays seen and names them (``per`` is
``"week"`` only when all seven were seen).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["WEEKDAYS", "days_text", "hourly_rates", "poisson_interval", "total_rate",
           "weekly_form"]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def poisson_interval(count: float, exposure: float,
                     confidence: float = 0.95) -> tuple[float, float]:
    """Exact interval of a Poisson rate: ``count`` events in ``exposure``.

    Examples
    --------
    >>> low, high = poisson_interval(100, 10.0)
    >>> round(low, 2), round(high, 2)
    (8.14, 12.16)
    """
    if exposure <= 0:
        return float("nan"), float("nan")
    alpha = 1 - confidence
    low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(low / exposure), float(high / exposure)


def hourly_rates(arrivals: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Calls per hour for each weekday and clock hour, with intervals.

    Parameters
    ----------
    arrivals : Series of datetime
        Arrival times (the office's wall clock).
    start, end : Timestamp
        Midnights bounding the observed days, ``[start, end)``.
    confidence : float
        Of the intervals.

    Returns
    -------
    DataFrame
        168 rows: ``weekday`` (0 = Monday), ``day``, ``hour``, ``calls``,
        ``hours`` (how many such hours the log covers), ``rate_per_h``,
        ``low``, ``high``.

    Examples
    --------
    >>> times = pd.Series(pd.to_datetime(["2024-01-01 09:10", "2024-01-01 09:50",
    ...                                   "2024-01-08 09:30"]))
    >>> table = hourly_rates(times, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-15"))
    >>> table.loc[(table.day == "mon") & (table.hour == 9), ["calls", "hours", "rate_per_h"]]
       calls  hours  rate_per_h
    9      3    2.0         1.5
    """
    days = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
    per_weekday = np.bincount(days.day_of_week, minlength=7).astype(float)
    stamps = pd.to_datetime(arrivals)
    stamps = stamps[(stamps >= start) & (stamps < end)]
    slot = stamps.dt.day_of_week.to_numpy() * 24 + stamps.dt.hour.to_numpy()
    counts = np.bincount(slot, minlength=168).astype(float)
    weekday, hour = np.divmod(np.arange(168), 24)
    exposure = per_weekday[weekday]
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(exposure > 0, counts / exposure, np.nan)
        low = np.where(counts > 0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0) / exposure
        high = stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2 / exposure
    seen = exposure > 0
    return pd.DataFrame({"weekday": weekday, "day": np.asarray(WEEKDAYS)[weekday],
                         "hour": hour, "calls": counts.astype(int), "hours": exposure,
                         "rate_per_h": rate, "low": np.where(seen, low, np.nan),
                         "high": np.where(seen, high, np.nan)})


def weekly_form(table: pd.DataFrame, digits: int = 4) -> dict[str, dict[str, str]] | None:
    """Rates as a scenario's ``weekly`` arrivals (``{"mon": {"08:00": "12.5/h", ...}}``).

    A day's entries are written where the rate changes; days with no calls
    are left out (their rate is 0). ``None`` when no hour has calls.

    Examples
    --------
    >>> table = pd.DataFrame({"day": ["mon"] * 3, "hour": [8, 9, 10],
    ...                       "rate_per_h": [2.0, 2.0, 0.0]})
    >>> weekly_form(table)
    {'mon': {'08:00': '2/h', '10:00': '0/h'}}
    """
    week: dict[str, dict[str, str]] = {}
    for day in WEEKDAYS:
        rows = table[table["day"] == day].sort_values("hour")
        entries: dict[str, str] = {}
        previous = 0.0
        for hour, rate in zip(rows["hour"], rows["rate_per_h"], strict=True):
            value = float(rate) if np.isfinite(rate) else 0.0
            value = float(f"{value:.{digits}g}")
            if value != previous:
                entries[f"{int(hour):02d}:00"] = f"{value:g}/h"
                previous = value
        if entries:
            week[day] = entries
    return week or None


def days_text(weekdays: list[int] | tuple[int, ...]) -> str:
    """Weekdays (0 = Monday) as runs: ``'mon-tue'``, ``'mon, fri-sun'``, ``'week'`` for all.

    Examples
    --------
    >>> days_text([0, 1]), days_text([4, 5, 6, 0]), days_text(range(7))
    ('mon-tue', 'mon, fri-sun', 'week')
    """
    days = sorted(set(weekdays))
    if len(days) == 7:
        return "week"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(WEEKDAYS[r[0]] if len(r) == 1 else f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}"
                     for r in runs)


def total_rate(table: pd.DataFrame, confidence: float = 0.95) -> dict[str, Any]:
    """Mean calls per week (the sum of the hourly rates), or per the weekdays seen.

    Each hour's rate has its own exposure (a log of 20 days has three Mondays
    and two Sundays), so the total is the sum of the rates, and its variance the
    sum of ``calls / hours**2``. The interval is the Poisson interval of the
    equivalent count ``total**2 / variance`` (exact when every hour has the same
    exposure; never below 0). A log that misses some weekdays gives the total over
    one of each weekday it saw, never a week's.

    Returns
    -------
    dict
        ``calls``, ``per_week`` (the total), ``low``, ``high``, ``per`` (``"week"``,
        or the weekdays seen, e.g. ``"mon-tue"``), ``complete`` (every weekday seen)
        and ``days_seen`` (weekday numbers, 0 = Monday).

    Examples
    --------
    >>> times = pd.Series(pd.to_datetime(["2024-01-01 09:10"] * 6 + ["2024-01-02 10:00"] * 4))
    >>> week = total_rate(hourly_rates(times, pd.Timestamp("2024-01-01"),
    ...                                pd.Timestamp("2024-01-03")))
    >>> week["per"], week["per_week"], week["complete"]
    ('mon-tue', 10.0, False)
    """
    seen = table[table["hours"] > 0]
    days_seen = tuple(int(d) for d in sorted(seen["weekday"].unique())) \
        if "weekday" in seen else tuple(WEEKDAYS.index(d) for d in seen["day"].unique())
    total = float(seen["rate_per_h"].sum())
    variance = float((seen["calls"] / seen["hours"] ** 2).sum())
    if total > 0 and variance > 0:
        equivalent = total**2 / variance
        low, high = poisson_interval(equivalent, equivalent / total, confidence)
    else:
        low, high = poisson_interval(0, float(seen["hours"].min()) if len(seen) else 0.0,
                                     confidence)
    return {"calls": float(seen["calls"].sum()), "per_week": total,
            "low": max(low, 0.0), "high": high, "per": days_text(days_seen),
            "complete": len(days_seen) == 7, "days_seen": days_seen}
