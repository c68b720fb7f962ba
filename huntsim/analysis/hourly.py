"""Figures hour by hour: of the day (:func:`hourly`) and of the week (:func:`weekly_hourly`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from huntsim.analysis.catalog import OUTCOMES
from huntsim.scenario.calendar import WEEK, WEEKDAYS

__all__ = ["hourly", "week_slot", "weekly_hourly"]


def hourly(
    calls: pd.DataFrame,
    start_s: float,
    end_s: float,
    day_s: float = 86400.0,
    threshold_s: float = 20.0,
) -> pd.DataFrame:
    """Per hour of the day: calls offered per hour, the outcome rates, the served rate
    (answered or called back), service level, waits.

    Parameters
    ----------
    calls : DataFrame
        Calls arriving in ``[start_s, end_s)``; those with ``after_hours`` set
        rang nobody and are left out. For one group's figures to agree with its
        row of :func:`~huntsim.analysis.metrics.summarize`, pass the calls that
        reached it (its rows of :func:`~huntsim.analysis.metrics.group_visits`).
    start_s, end_s : float
        The reported period; it sets how often each hour of the day occurred.
    day_s : float
        Length of a day in the scenario (the period of its arrival profile,
        e.g. a 9-hour business day); hour 0 is its start.
    """
    if "after_hours" in calls:
        calls = calls[~calls["after_hours"].to_numpy(dtype=bool)]
    level = f"service_level_{threshold_s:g}s"
    hours = int(np.ceil(day_s / 3600.0))
    arrival = calls["arrival_s"].to_numpy(dtype=float)
    hour = np.floor((arrival % day_s) / 3600.0).astype(int)
    exposure = np.array([_hour_exposure(start_s, end_s, day_s, h) for h in range(hours)])
    chosen = np.flatnonzero(exposure > 0)
    figures = _per_slot(calls, hour, np.ones(len(calls), dtype=bool), hours, threshold_s)
    table = figures.iloc[chosen].reset_index(drop=True)
    table.insert(0, "hour", chosen)
    table.insert(1, "offered_per_hour", figures["offered"].to_numpy()[chosen]
                 / (exposure[chosen] / 3600.0))
    columns = ["hour", "offered_per_hour", *(f"{o}_rate" for o in OUTCOMES), "served_rate",
               level, "mean_wait_s", "p90_wait_s"]
    return table[columns]


def _per_slot(calls: pd.DataFrame, slot: NDArray[np.int_], inside: NDArray[np.bool_],
              slots: int, threshold_s: float) -> pd.DataFrame:
    """Per slot (hour) ``0 .. slots - 1``: the figures of the calls where ``inside`` holds.

    Columns ``offered``, the outcome rates, ``served_rate`` (answered or called
    back, as the summary's), the service level within
    ``threshold_s``, ``mean_wait_s`` and ``p90_wait_s`` (answered calls); the
    rates and waits are NaN for a slot without calls, as in :func:`outcome_rates`,
    :func:`service_level` and :func:`wait_stats`.
    """
    outcome = calls["outcome"].astype(str).to_numpy()
    wait = calls["wait_s"].to_numpy(dtype=float)

    def count(mask: NDArray[np.bool_], weights: NDArray[np.float64] | None = None,
              ) -> NDArray[np.float64]:
        counted = np.bincount(slot[mask], weights=None if weights is None else weights[mask],
                              minlength=slots)
        return counted.astype(float)

    answered = inside & (outcome == "answered")
    offered = count(inside)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({"offered": offered,
                              **{f"{o}_rate": count(inside & (outcome == o)) / offered
                                 for o in OUTCOMES}})
        # as the summary's served_rate: answered, or called back and reached
        table["served_rate"] = table["answered_rate"] + table["called_back_rate"]
        table[f"service_level_{threshold_s:g}s"] = (
            count(answered & (wait <= threshold_s)) / offered)
        table["mean_wait_s"] = count(answered, wait) / count(answered)
    table["p90_wait_s"] = (pd.Series(wait[answered]).groupby(slot[answered]).quantile(0.9)
                           .reindex(range(slots)).to_numpy(dtype=float))
    return table


def _hour_exposure(start_s: float, end_s: float, day_s: float, hour: int) -> float:
    """Seconds of ``[start_s, end_s)`` that fall in the given hour of the day."""
    begins = hour * 3600.0
    length = max(0.0, min(3600.0, day_s - begins))  # the last hour of a day may be short

    def before(t: float) -> float:  # seconds of [0, t) in that hour
        days, into = divmod(t, day_s)
        return days * length + min(max(into - begins, 0.0), length)

    return max(0.0, before(end_s) - before(start_s))


def week_slot(arrival_s: ArrayLike, week_start: float = 0.0) -> NDArray[np.int_]:
    """Hour of the week (0 = Monday 00:00-01:00, ..., 167) of simulation times.

    Parameters
    ----------
    arrival_s : array
        Simulation times, seconds.
    week_start : float
        Week time (seconds since Monday 00:00) at simulation time 0: the
        scenario's ``start``.

    Examples
    --------
    >>> week_slot(np.array([0.0, 3600.0, 16 * 3600.0]), week_start=8 * 3600.0).tolist()
    [8, 9, 24]
    """
    times = np.asarray(arrival_s, dtype=float)
    slots: NDArray[np.int_] = np.floor(((times + week_start) % WEEK) / 3600.0).astype(int)
    return slots


def weekly_hourly(
    calls: pd.DataFrame,
    start_s: float,
    end_s: float,
    week_start: float = 0.0,
    threshold_s: float = 20.0,
    slots: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Per hour of the week (weekday and clock hour): traffic, outcomes, service, waits.

    Parameters
    ----------
    calls : DataFrame
        Pilot calls arriving in ``[start_s, end_s)``; those with ``after_hours``
        set are counted apart and left out of every other column. For one
        group's figures to agree with its row of
        :func:`~huntsim.analysis.metrics.summarize`, pass the calls that reached
        it (its rows of :func:`~huntsim.analysis.metrics.group_visits`: a call
        it passed on is ``forwarded`` there, and ``after_hours`` says whether
        the group was closed when the call reached it).
    start_s, end_s : float
        The reported period (simulation time); it sets how often each hour of
        the week occurred (the exposure).
    week_start : float
        Week time (seconds since Monday 00:00) at simulation time 0: the
        scenario's ``start``.
    threshold_s : float
        Service-level threshold, seconds.
    slots : sequence of int, optional
        Hours of the week (0 = Monday 00:00, see :func:`week_slot`) that get a
        row even without calls (e.g. every hour with expected traffic), so that
        runs give the same rows. Hours with calls always get one.

    Returns
    -------
    DataFrame
        One row per hour of the week that occurred in the period and has a
        call or is among ``slots``, in week order: ``weekday`` (``mon`` ...
        ``sun``), ``hour`` (clock hour, 8 is 08:00-09:00), ``offered`` (calls
        inside opening hours), ``offered_per_hour`` (that over the hour's
        exposure), the outcome rates (``voicemail_rate`` is the voicemail
        share), ``served_rate`` (answered or called back), the service level,
        ``mean_wait_s`` and ``p90_wait_s`` (answered
        calls), ``after_hours`` (calls outside opening hours) and
        ``after_hours_per_hour``.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrival_s": [60.0, 120.0, 90000.0], "outcome": "answered",
    ...                       "wait_s": [5.0, 30.0, 0.0], "after_hours": [False, False, True]})
    >>> table = weekly_hourly(calls, 0.0, 2 * 86400.0, week_start=8 * 3600.0)
    >>> table[["weekday", "hour", "offered", "service_level_20s", "after_hours"]]
      weekday  hour  offered  service_level_20s  after_hours
    0     mon     8        2                0.5            0
    1     tue     9        0                NaN            1
    """
    level = f"service_level_{threshold_s:g}s"
    hours = 7 * 24
    slot = week_slot(calls["arrival_s"].to_numpy(dtype=float), week_start)
    closed = (calls["after_hours"].to_numpy(dtype=bool) if "after_hours" in calls
              else np.zeros(len(calls), dtype=bool))
    figures = _per_slot(calls, slot, ~closed, hours, threshold_s)
    after = np.bincount(slot[closed], minlength=hours)
    exposure = np.array([_hour_exposure(week_start + start_s, week_start + end_s, WEEK, s)
                         for s in range(hours)]) / 3600.0
    wanted = set(slots if slots is not None else ()) | set(np.unique(slot).tolist())
    chosen = np.array(sorted(s for s in wanted if exposure[s] > 0), dtype=int)
    table = figures.iloc[chosen].reset_index(drop=True)
    table.insert(0, "weekday", [WEEKDAYS[s // 24] for s in chosen])
    table.insert(1, "hour", chosen % 24)
    table["offered"] = table["offered"].astype(int)
    table.insert(3, "offered_per_hour", table["offered"] / exposure[chosen])
    table["after_hours"] = after[chosen]
    table["after_hours_per_hour"] = after[chosen] / exposure[chosen]
    columns = ["weekday", "hour", "offered", "offered_per_hour",
               *(f"{o}_rate" for o in OUTCOMES), "served_rate", level, "mean_wait_s",
               "p90_wait_s", "after_hours", "after_hours_per_hour"]
    return table[columns]
