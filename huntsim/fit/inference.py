"""What a log hints about the settings a PBX does not log, and rough stand-ins.

Used by :func:`huntsim.fit.fit` where neither the command line nor ``--base``
gives a value; each is reported as "read from the log" or "guessed":

- the policy: ``simultaneous`` when a call's rings start together, ``regular``
  when one member is rung first in most calls, else ``circular``;
- queueing: callers waiting with no phone ringing;
- opening hours (logs without presence): the hours in which calls were answered;
- a rough answer probability and pick-up delay from answered waits (logs without rings).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats

from huntsim.fit.logs import LogData
from huntsim.fit.times import empirical_values, fit_times
from huntsim.fit.traffic import WEEKDAYS

__all__ = ["by_first_ring", "number_order", "open_hours", "policy_from_rings",
           "queueing_from_rings", "rough_answering"]


def policy_from_rings(log: LogData) -> str | None:
    """``simultaneous`` when a call's rings start together; ``regular`` when one member
    is rung first in most calls; else ``circular`` (rotation); ``None`` without rings."""
    rings = log.rings.dropna(subset=["ring_s"])
    if not len(rings):
        return None
    starts = rings.assign(start=rings["end"] - pd.to_timedelta(rings["ring_s"], unit="s"))
    grouped = starts.groupby("call_id")["start"]
    spread = (grouped.max() - grouped.min()).dt.total_seconds()[grouped.size() >= 2]
    if len(spread) >= 10 and float((spread <= 1.0).mean()) >= 0.8:
        return "simultaneous"
    first = starts.sort_values("start", kind="stable").groupby("call_id")["agent"].first()
    if len(first) >= 10 and float(first.value_counts(normalize=True).iloc[0]) > 0.5:
        return "regular"
    return "circular"


def queueing_from_rings(log: LogData) -> str | None:
    """``queue`` when callers often wait with no phone ringing (more than 2 s before the
    first ring, or between rings) and no call leaves at once because nobody is free."""
    rings = log.rings.dropna(subset=["ring_s"])
    calls = log.calls[log.calls["kind"] == "pilot"].set_index("call_id")
    if not len(rings) or (calls["leave_s"] == 0).mean() > 0.01:
        return None
    start = rings["end"] - pd.to_timedelta(rings["ring_s"], unit="s")
    first = start.groupby(rings["call_id"]).min()
    arrival = calls.loc[calls.index.intersection(first.index), "arrival"]
    gap = (first.loc[arrival.index] - arrival).dt.total_seconds()
    return "queue" if len(gap) >= 20 and float((gap > 2.0).mean()) >= 0.02 else None


def rough_answering(pilot_calls: pd.DataFrame, timeout: float) -> dict[str, Any] | None:
    """Without rings (a CDR), the first member rung is taken to answer the calls answered
    within one time-out: their waits are the pick-up delays, their share of the answered
    calls the answer probability. Rough: a wait also holds queueing and earlier rings."""
    waits = pilot_calls.loc[pilot_calls["outcome"] == "answered",
                            "wait_s"].dropna().to_numpy(dtype=float)
    quick = waits[waits <= timeout]
    if len(quick) < 20:
        return None
    n, k = len(waits), len(quick)
    low = float(stats.beta.ppf(0.025, k, n - k + 1))
    high = float(stats.beta.ppf(0.975, k + 1, n - k)) if k < n else 1.0
    spec: dict[str, Any] | str = ({"dist": "empirical", "values": empirical_values(quick)}
                                  if quick.std() > 0 else f"{quick[0]:g}s")
    return {"p": k / n, "p_low": low, "p_high": high, "n": n,
            "delay": fit_times(quick), "spec": spec}


def open_hours(pilot_calls: pd.DataFrame) -> list[str] | None:
    """Opening hours of a log without presence (a CDR): the clock hours of each weekday in
    which some pilot call was answered. ``None`` when every hour with calls qualifies."""
    arrival = pd.to_datetime(pilot_calls["arrival"])
    slot = arrival.dt.day_of_week * 24 + arrival.dt.hour
    answered = set(slot[(pilot_calls["outcome"] == "answered").to_numpy()])
    if not answered or set(slot) <= answered:
        return None
    windows = []
    for day in range(7):
        hour = 0
        while hour < 24:
            if day * 24 + hour in answered:
                end = hour
                while end < 24 and day * 24 + end in answered:
                    end += 1
                windows.append(f"{WEEKDAYS[day]} {hour:02d}:00-{end:02d}:00")
                hour = end
            else:
                hour += 1
    return windows


def number_order(number: str) -> tuple[int, str]:
    """Numbers in numeric order where they are digits, else as text."""
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits) if digits else 0, number)


def by_first_ring(log: LogData, members: list[str]) -> list[str]:
    """Members in the order of how often each is rung first (regular hunting's list order)."""
    rings = log.rings.dropna(subset=["ring_s"])
    starts = rings.assign(start=rings["end"] - pd.to_timedelta(rings["ring_s"], unit="s"))
    first = starts.sort_values("start", kind="stable").groupby("call_id")["agent"].first()
    share = first.value_counts()
    return sorted(members, key=lambda m: -int(share.get(m, 0)))
