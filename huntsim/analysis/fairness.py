"""How fairly a group's load is spread, against each member's fair share given presence.

A member who is logged in for half the day cannot take a third of the calls of
a group of three. Each member's *fair share* (:func:`fair_shares`) splits the
talk of each call the group answered evenly among the members logged in when
it was answered; :func:`fairness` then measures the members' loads against
those shares, so a part-timer who takes her turns scores as fair as anyone.
Without schedules every member is always logged in, every fair share is
``1/n``, and the figures are the plain Jain's index, max/min ratio and
coefficient of variation of the loads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["fair_shares", "fairness"]


def fair_shares(time_s: ArrayLike, members: Sequence[str],
                absences: pd.DataFrame | None = None,
                weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """Each member's fair share of a group's calls, given who was logged in.

    Each call is split evenly among the members logged in at its time ``t_k``:
    member ``i``'s share is ``sum over calls k of w_k [i logged in at t_k] / n_k``
    over ``sum of w_k``, with ``n_k`` the members logged in at ``t_k`` and
    ``w_k`` the call's weight (1 each when not given), over the calls that
    found at least one member logged in (a call that found nobody is left out:
    nobody had a share of it). The shares add up to 1.

    For the fairness of the group's talk load (see :func:`fairness`), the calls
    are those answered in the group (a call back the caller took included, as
    the member's load counts it), ``t_k`` when each was answered and
    ``w_k`` its talk time: each member's share is the load they would carry
    if every call's talk were split evenly among the members logged in when it
    was taken.

    Only the schedule counts (``logged_out`` in ``absences``, over
    ``[start_s, end_s)``): time away or not ready is the member's own and
    leaves their share as it is, so load that shifts to the others while a
    member is often away shows as unfair.

    Parameters
    ----------
    time_s : array
        When each of the group's calls came or was answered, seconds.
    members : sequence of str
        The group's members, one share each, in list order.
    absences : DataFrame, optional
        ``Result.absences`` (``agent, reason, start_s, end_s``); none: every
        member always logged in.
    weights : array, optional
        Each call's weight (its talk time); 1 each when not given.

    Returns
    -------
    ndarray
        One share per member; ``1/n`` each when no call found anybody logged
        in (or there were no calls).

    Examples
    --------
    Two members always in, a third logged out for the second half of the run:
    of two calls, one in each half, the third member has a third of the first.

    >>> out = pd.DataFrame({"agent": ["C"], "reason": ["logged_out"],
    ...                     "start_s": [50.0], "end_s": [100.0]})
    >>> fair_shares([10.0, 60.0], ["A", "B", "C"], out).round(4).tolist()
    [0.4167, 0.4167, 0.1667]
    """
    times = np.asarray(time_s, dtype=float)
    weight = np.ones(len(times)) if weights is None else np.asarray(weights, dtype=float)
    if len(weight) != len(times):
        raise ValueError(f"weights: {len(weight)} values for {len(times)} calls")
    n = len(members)
    stretches = _logged_out(members, absences) if len(times) else {}
    # members logged in at each call, a member at a time (memory: a few columns of calls)
    logged_in = np.full(len(times), n, dtype=np.int64)
    for starts, ends in stretches.values():
        logged_in -= _inside(times, starts, ends)
    counted = (logged_in > 0) & (weight > 0)
    if n == 0 or not counted.any() or (logged_in == n).all():  # the last: exactly 1/n each
        return np.full(n, 1.0 / n if n else np.nan)
    part = np.where(counted, weight / np.maximum(logged_in, 1), 0.0)
    everyone = float(part.sum())
    shares = np.full(n, everyone)
    for row, (starts, ends) in stretches.items():
        shares[row] = everyone - float(part[_inside(times, starts, ends)].sum())
    result: NDArray[np.float64] = shares / float(weight[counted].sum())
    return result


def _logged_out(members: Sequence[str], absences: pd.DataFrame | None,
                ) -> dict[int, tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Each member's logged-out stretches (starts, ends; sorted) by row, for those with any."""
    if absences is None or not len(absences):
        return {}
    out = absences[(absences["reason"] == "logged_out").to_numpy()]
    agent = out["agent"].astype(str).to_numpy()
    starts_all = out["start_s"].to_numpy(dtype=float)
    ends_all = out["end_s"].to_numpy(dtype=float)
    stretches = {}
    for row, number in enumerate(members):
        mine = agent == str(number)
        if mine.any():
            order = np.argsort(starts_all[mine], kind="stable")
            stretches[row] = (starts_all[mine][order], ends_all[mine][order])
    return stretches


def _inside(times: NDArray[np.float64], starts: NDArray[np.float64],
            ends: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether each time falls in one of the stretches ``[start, end)`` (sorted, disjoint)."""
    k = np.searchsorted(starts, times, side="right") - 1  # the last stretch begun
    inside: NDArray[np.bool_] = (k >= 0) & (times < ends[np.maximum(k, 0)])
    return inside


def fairness(loads: Sequence[float] | pd.Series,
             shares: Sequence[float] | pd.Series | None = None) -> pd.Series:
    """How evenly load is spread against fair shares: Jain's index, max/min ratio, spread.

    Each member's load is taken relative to their fair share ``e_i`` (see
    :func:`fair_shares`; equal shares when not given): ``x_i = s_i / e_i``,
    with ``s_i`` the member's part of the total load. Then

    * ``jain_index`` is ``1 / sum(s_i**2 / e_i)``, Jain's index of the ``x_i``
      weighted by the shares: 1 when every member carries their fair share,
      and at least the smallest fair share (``1/n`` with equal shares) when one
      member carries it all;
    * ``max_min_ratio`` is ``max(x) / min(x)`` (infinite when a member with a
      share carries nothing);
    * ``load_cv`` is the share-weighted coefficient of variation of ``x``, so
      that ``jain_index = 1 / (1 + load_cv**2)``.

    With equal shares these are Jain's index, the max/min ratio and the
    coefficient of variation of the loads themselves. Members whose fair share
    is 0 (never logged in when a call was taken) are left out.

    Examples
    --------
    >>> float(fairness([1.0, 1.0, 1.0])["jain_index"])
    1.0
    >>> float(fairness([2.0, 2.0, 1.0], shares=[0.4, 0.4, 0.2])["jain_index"])
    1.0
    """
    x = np.asarray(loads, dtype=float)
    e = (np.full(len(x), 1.0) if shares is None else np.asarray(shares, dtype=float))
    if len(e) != len(x):
        raise ValueError(f"shares: {len(e)} values for {len(x)} loads")
    chosen = e > 0
    x, e = x[chosen], e[chosen]
    if len(x) == 0 or not np.any(x > 0):
        return pd.Series({"jain_index": np.nan, "max_min_ratio": np.nan, "load_cv": np.nan})
    e = e / e.sum()
    s = x / x.sum()
    relative = s / e
    jain = 1.0 / float(np.sum(s * relative))
    low = relative.min()
    ratio = relative.max() / low if low > 0 else np.inf
    cv = float(np.sqrt(np.sum(e * (relative - 1.0) ** 2)))
    return pd.Series({"jain_index": jain, "max_min_ratio": ratio, "load_cv": cv})
