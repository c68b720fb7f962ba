"""Choosing shifts: the hourly need as a vector of the week, and the cheapest roster that
covers it (a MILP over shift counts, solved by scipy's HiGHS), with its LP bound.

An hour's need holds at every minute of the hour: the people logged in at each moment
(a person on a break is not) must be at least the need. Staggered breaks on different
shifts can share an hour; a break everyone on the only shift takes at once cannot, and
the solver says which minutes nothing covers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from huntsim.scenario.calendar import WEEKDAYS
from huntsim.scenario.shifts import Shift

__all__ = ["HOURS_PER_WEEK", "Solution", "coverage_matrix", "hour_name", "need_of", "solve"]

HOURS_PER_WEEK = 168


def hour_name(slot: int) -> str:
    """``mon 08-09`` for hour of the week 8."""
    day, hour = divmod(int(slot), 24)
    return f"{WEEKDAYS[day]} {hour:02d}-{(hour + 1) % 24:02d}"


def need_of(by_hour: pd.DataFrame, fallback: int) -> tuple[NDArray[np.int_], dict[int, str]]:
    """Members needed in each hour of the week (168, Monday 00:00 first) from a table of
    :func:`~huntsim.experiments.by_hour.staffing_by_hour` (one policy).

    A ``daily`` row (a scenario without a calendar) stands for that hour of every day.
    An hour no size tried was enough for needs ``fallback`` (the largest size tried);
    the second value maps those hours to the reason.

    Examples
    --------
    >>> table = pd.DataFrame({"weekday": ["mon", "daily"], "hour": [8, 9],
    ...                       "members_needed": pd.array([2, None], dtype="Int64"),
    ...                       "reason": ["", "too few"]})
    >>> need, unmet = need_of(table, 5)
    >>> int(need[8]), int(need[9]), int(need[24 + 9]), sorted(unmet)[:2]
    (2, 5, 5, [9, 33])
    """
    need = np.zeros(HOURS_PER_WEEK, dtype=int)
    unmet: dict[int, str] = {}
    for day, hour, needed, reason in zip(
            by_hour["weekday"], by_hour["hour"], by_hour["members_needed"],
            by_hour["reason"] if "reason" in by_hour else [""] * len(by_hour), strict=True):
        days = range(7) if day == "daily" else [WEEKDAYS.index(str(day))]
        for d in days:
            slot = d * 24 + int(hour)
            if pd.isna(needed):
                need[slot] = fallback
                unmet[slot] = str(reason)
            else:
                need[slot] = int(needed)
    return need, unmet


def coverage_matrix(shifts: Sequence[Shift]) -> NDArray[np.float64]:
    """``(168, shifts)``: the part of each hour a person on each shift is logged in
    (for display: the need is checked minute by minute)."""
    if not shifts:
        return np.zeros((HOURS_PER_WEEK, 0))
    return np.column_stack([s.hours() for s in shifts])


@dataclass(frozen=True)
class Solution:
    """The cheapest roster for a need.

    Attributes
    ----------
    counts : ndarray of int
        People on each shift.
    cost : float
        Weekly cost of the roster.
    lp_bound : float
        Weekly cost of the LP relaxation (fractional people): no roster of these
        shifts that covers the need costs less.
    required : ndarray of int
        The need the roster covers: the need given, cut to what the shifts can
        cover at most (see ``capped``).
    capped : dict of int to str
        Hours of the week whose need no roster of these shifts can cover, and why.
    scheduled : ndarray of int
        The fewest people logged in at any moment of each hour of the week.
    """

    counts: NDArray[np.int_]
    cost: float
    lp_bound: float
    required: NDArray[np.int_]
    capped: dict[int, str]
    scheduled: NDArray[np.int_]


def _open_mask(open_minutes: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    """``(168, 60)``: the minutes of each hour the need holds in: the open ones, or every
    minute of an hour with none open (or of every hour, without a mask)."""
    if open_minutes is None:
        return np.ones((HOURS_PER_WEEK, 60), dtype=bool)
    mask = np.asarray(open_minutes, dtype=bool).reshape(HOURS_PER_WEEK, 60).copy()
    mask[~mask.any(axis=1)] = True
    return mask


def _minute_rows(shifts: Sequence[Shift], mask: NDArray[np.bool_],
                 ) -> list[NDArray[np.bool_]]:
    """Per hour of the week: the distinct patterns of who is logged in over its minutes
    that count (``mask``), ``(patterns, shifts)``; a pattern changes only where a shift
    starts, ends or breaks."""
    if not shifts:
        return [np.zeros((1, 0), dtype=bool)] * HOURS_PER_WEEK
    minutes = np.column_stack([s.minutes() for s in shifts]).reshape(HOURS_PER_WEEK, 60, -1)
    return [np.unique(block[keep], axis=0) for block, keep in zip(minutes, mask, strict=True)]


def _uncovered(shifts: Sequence[Shift], slot: int, counted: NDArray[np.bool_]) -> str:
    """The minutes of the hour ``slot`` that count (``counted``, 60) and that no shift
    covers: ``09:00-09:30``, or ``any minute of these hours`` when none of it; empty when
    every such minute has a shift (whose ``max`` is then 0)."""
    minutes = ~counted
    for shift in shifts:
        minutes |= shift.minutes()[slot * 60:(slot + 1) * 60]
    if not minutes.any():
        return "any minute of these hours"
    spans, begin = [], None
    for m in range(61):
        free = m < 60 and not minutes[m]
        if free and begin is None:
            begin = m
        elif not free and begin is not None:
            spans.append((begin, m))
            begin = None
    hour = slot % 24
    text = ", ".join(f"{hour:02d}:{a:02d}-{hour + (b == 60):02d}:{b % 60:02d}"
                     for a, b in spans)
    breaking = [s.name for s in shifts if s.break_ is not None and s.max != 0
                and _breaks_in(s, slot, counted)]
    if text and breaking:
        text += (f" (the break of {', '.join(breaking)}: stagger breaks with copies of a "
                 "shift whose breaks fall at other times)")
    return text


def _breaks_in(shift: Shift, slot: int, counted: NDArray[np.bool_]) -> bool:
    """Whether ``shift``'s break falls on counted minutes of the hour ``slot``."""
    if shift.break_ is None:
        return False
    whole = shift.model_copy(update={"break_": None}).minutes()[slot * 60:(slot + 1) * 60]
    worked = shift.minutes()[slot * 60:(slot + 1) * 60]
    return bool((whole & ~worked & counted).any())


def solve(need: NDArray[np.int_], shifts: Sequence[Shift],
          open_minutes: NDArray[np.bool_] | None = None) -> Solution:
    """The cheapest counts of people per shift that cover ``need`` in every hour.

    Minimises the weekly cost (each shift's :attr:`~huntsim.scenario.shifts.Shift.weekly_cost`)
    subject to: at every minute of every hour of the week, the people logged in are at
    least the hour's need (a break does not count, so breaks must be staggered across
    shifts where the need is above 0); each shift's count between its ``min`` and
    ``max``. An hour some of whose minutes no shift covers, or whose need is above what
    the shifts' ``max`` allow, is cut to what can be covered and named in
    :attr:`Solution.capped`.

    ``open_minutes`` (10080, Monday 00:00 first), when given, says which minutes
    of the week the group is open: an hour's need then holds only in its open
    minutes (an office opening at 07:30 needs nobody at 07:00-07:30), and
    :attr:`Solution.scheduled` counts the fewest logged in over those minutes.

    Examples
    --------
    >>> from huntsim.scenario.shifts import load_shifts
    >>> shifts = load_shifts([
    ...     {"name": "a", "days": "mon", "start": "08:00", "length": "4h"},
    ...     {"name": "b", "days": "mon", "start": "10:00", "length": "4h"}])
    >>> need = np.zeros(168, dtype=int); need[8:14] = [1, 1, 3, 3, 2, 2]
    >>> solution = solve(need, shifts)
    >>> solution.counts.tolist(), solution.cost, solution.lp_bound
    ([1, 2], 12.0, 12.0)
    """
    mask = _open_mask(open_minutes)
    patterns = _minute_rows(shifts, mask)
    limits = np.array([math.inf if s.max is None else float(s.max) for s in shifts])
    required = need.astype(int).copy()
    capped: dict[int, str] = {}
    for slot in np.flatnonzero(required > 0):
        rows = patterns[slot]
        with np.errstate(invalid="ignore"):
            capacity = float(np.where(rows, limits[None, :], 0.0).sum(axis=1).min())
        if capacity >= required[slot]:
            continue
        where = _uncovered(shifts, int(slot), mask[slot]) if capacity == 0 else ""
        if where:
            capped[int(slot)] = f"no shift covers {where}"
        else:
            capped[int(slot)] = (f"the shifts' max allow {capacity:g} logged in, "
                                 f"{int(required[slot])} needed")
        required[slot] = int(capacity)
    costs = np.array([s.weekly_cost for s in shifts], dtype=float)
    low = np.array([s.min for s in shifts], dtype=float)
    high = np.array([np.inf if s.max is None else s.max for s in shifts], dtype=float)
    busy = [int(slot) for slot in np.flatnonzero(required > 0)]
    constraints = []
    if busy:
        matrix = np.vstack([patterns[slot] for slot in busy]).astype(float)
        lower = np.concatenate([np.full(len(patterns[slot]), float(required[slot]))
                                for slot in busy])
        constraints = [LinearConstraint(matrix, lower, np.inf)]
    bounds = Bounds(low, high)
    whole = milp(costs, integrality=np.ones(len(shifts)), bounds=bounds,
                 constraints=constraints)
    relaxed = milp(costs, integrality=np.zeros(len(shifts)), bounds=bounds,
                   constraints=constraints)
    if whole.x is None or relaxed.x is None:  # pragma: no cover - capped needs are feasible
        raise RuntimeError(f"the roster could not be solved: {whole.message}")
    counts = np.round(whole.x).astype(int)
    fewest = np.array([float((rows.astype(int) @ counts).min()) for rows in patterns])
    return Solution(counts, float(costs @ counts), float(relaxed.fun), required, capped,
                    fewest.astype(int))
