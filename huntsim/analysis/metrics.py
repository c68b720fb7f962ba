"""Measures of a run, as pure functions: DataFrame in, DataFrame out.

All of them read the tables of :class:`huntsim.Result` (``calls``, ``offers``)
and nothing else, so they work the same on a single run, on concatenated
replications, or on tables read back from Parquet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from huntsim.analysis.catalog import OUTCOMES
from huntsim.analysis.fairness import fairness

__all__ = [
    "agent_table",
    "closed_everywhere",
    "fairness",
    "forwarded_away",
    "group_metrics",
    "group_visits",
    "member_loads",
    "outcome_rates",
    "service_level",
    "summarize",
    "wait_stats",
]


def outcome_rates(calls: pd.DataFrame) -> pd.Series:
    """Share of calls with each outcome, as ``<outcome>_rate``, and ``served_rate``
    (answered or called back).

    Examples
    --------
    >>> calls = pd.DataFrame({"outcome": ["answered", "voicemail", "answered", "answered"]})
    >>> float(outcome_rates(calls)["answered_rate"])
    0.75
    """
    counts = calls["outcome"].astype(str).value_counts()
    total = len(calls)
    rates = {f"{o}_rate": (counts.get(o, 0) / total if total else np.nan) for o in OUTCOMES}
    rates["served_rate"] = rates["answered_rate"] + rates["called_back_rate"]
    return pd.Series(rates, dtype=float)


def service_level(calls: pd.DataFrame, threshold_s: float = 20.0) -> float:
    """Share of offered calls answered within ``threshold_s`` seconds of arrival."""
    if len(calls) == 0:
        return float("nan")
    answered_in_time = (calls["outcome"] == "answered") & (calls["wait_s"] <= threshold_s)
    return float(answered_in_time.sum() / len(calls))


def wait_stats(calls: pd.DataFrame, quantiles: Sequence[float] = (0.5, 0.9, 0.95)) -> pd.Series:
    """Mean and quantiles of the wait to answer, over answered calls."""
    waits = calls.loc[calls["outcome"] == "answered", "wait_s"].to_numpy(dtype=float)
    stats = {"mean_wait_s": float(waits.mean()) if len(waits) else np.nan}
    for q in quantiles:
        stats[f"p{round(q * 100)}_wait_s"] = float(np.quantile(waits, q)) if len(waits) else np.nan
    return pd.Series(stats, dtype=float)


def _scope_summary(calls: pd.DataFrame, threshold_s: float) -> pd.Series:
    head = pd.Series(
        {
            "offered": float(len(calls)),
            "offers_per_call": float(calls["offers"].mean()) if len(calls) else np.nan,
        }
    )
    level = pd.Series({f"service_level_{threshold_s:g}s": service_level(calls, threshold_s)})
    summary: pd.Series = pd.concat(
        [head, outcome_rates(calls), wait_stats(calls, (0.5, 0.9)), level]
    )
    return summary


def _flow(scope: pd.DataFrame, dialed: pd.DataFrame,
          dialed_elsewhere: int, closed: pd.Series | None = None) -> dict[str, float]:
    """Forwarding and caller figures of one scope.

    ``scope`` holds the calls that ended in it, ``dialed`` those first dialled
    to it (the same unless calls were forwarded); caller figures are over
    ``dialed``: a caller is counted by their first attempt, unless it is
    ``closed`` (default: it arrived after hours where it was dialled).
    """
    arrived = (scope["arrived_forwarded"] if "arrived_forwarded" in scope
               else pd.Series(False, index=scope.index))
    attempt = (dialed["attempt"] if "attempt" in dialed
               else pd.Series(1, index=dialed.index))
    if closed is None:
        closed = (dialed["after_hours"].astype(bool) if "after_hours" in dialed
                  else pd.Series(False, index=dialed.index))
    first = dialed[(attempt == 1) & ~closed]
    if "caller_id" in dialed:
        # every attempt of the callers whose first attempt is counted, and no other
        dialed = dialed[dialed["caller_id"].isin(first["caller_id"])]
    callers = len(first)
    answered = int((dialed["outcome"] == "answered").sum())
    row: dict[str, float] = {
        "forwarded_in": int(arrived.sum()),
        "forwarded_away": dialed_elsewhere,
        "callers": callers,
        "attempts_per_caller": len(dialed) / callers if callers else np.nan,
        "callers_answered_rate": answered / callers if callers else np.nan,
    }
    first_rates = outcome_rates(first)
    for outcome in OUTCOMES:
        row[f"first_attempt_{outcome}_rate"] = float(first_rates[f"{outcome}_rate"])
    return row


def group_visits(calls: pd.DataFrame,
                 forward_to: Mapping[str, str] | None = None,
                 offers: pd.DataFrame | None = None,
                 group_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Pilot calls, one row per group each call reached, in column ``visited``.

    A call that was never forwarded is one row, in its ``group``. One forwarded
    ``k`` times is ``k + 1`` rows: one for each group it passed through, along
    the forwards from the pilot dialled (``forward_to``: pilot -> next pilot),
    with outcome ``forwarded`` (passed on) and no answer; then its row in the
    group where it ended, with ``arrived_forwarded`` true. Each row's
    ``offers`` are the offers made in that group: of the ``offers`` table, those
    to its members (``group_of``: agent -> pilot); without them all of a call's
    offers count where it ended. Each row's ``after_hours`` says whether that
    group was closed when the call reached it (from ``closed_hops``). So each
    group's figures are of every call that reached it, as its members saw them.
    """
    pilot = calls[calls["kind"] == "pilot"]
    stayed = pilot.assign(visited=pilot["group"].astype(str), arrived_forwarded=False)
    if "forwards" not in pilot or not (pilot["forwards"] > 0).any():
        return stayed
    moved = pilot["forwards"] > 0
    forwarded = pilot[moved]
    hops = forwarded["forwards"].to_numpy()
    closed = (forwarded["closed_hops"].to_numpy() if "closed_hops" in forwarded
              else np.zeros(len(forwarded), dtype=np.int64))
    # a bit per group reached, however many: Python integers past 62 forwards
    closed = closed.astype(object if hops.max() > 62 else np.int64)

    def closed_at(hop: NDArray[np.int64] | int) -> NDArray[np.bool_]:
        return ((closed >> np.asarray(hop).astype(closed.dtype)) & 1).astype(bool)

    offers_in = _offers_in(forwarded["call_id"], offers, group_of)
    ended = stayed[moved]
    if offers_in is not None:
        ended = ended.assign(offers=offers_in(ended["visited"].to_numpy()))
    parts = [stayed[~moved], ended.assign(arrived_forwarded=True, after_hours=closed_at(hops))]
    dialed = forwarded["dialed"].astype(str).to_numpy()
    chains = {start: _chain(start, forward_to or {}) for start in set(dialed)}
    nobody = np.zeros(len(forwarded), dtype=bool)
    passed = forwarded.assign(
        outcome=forwarded["outcome"].where(nobody, "forwarded"),
        agent=forwarded["agent"].where(nobody),
        answer_s=np.nan, wait_s=np.nan, talk_s=np.nan, wrap_up_s=np.nan, offers=0,
    )
    for hop in range(int(hops.max())):
        here = hops > hop
        groups = [chains[d][hop] if hop < len(chains[d]) else "" for d in dialed[here]]
        visit = passed[here].assign(visited=groups, arrived_forwarded=hop > 0,
                                    after_hours=closed_at(hop)[here])
        if offers_in is not None:
            visit = visit.assign(offers=offers_in(np.asarray(groups, dtype=object), here))
        parts.append(visit)
    visits = pd.concat(parts)
    return visits.sort_values(["call_id", "arrived_forwarded"], kind="stable")


def _offers_in(call_ids: pd.Series, offers: pd.DataFrame | None,
               group_of: Mapping[str, str] | None) -> Any:
    """``count(groups, rows)``: how many offers each call of ``call_ids`` (those at
    ``rows``, a mask; all if None) had in its group of ``groups``; None without
    ``offers`` and ``group_of``."""
    if offers is None or group_of is None:
        return None
    ids = call_ids.to_numpy()
    mine = offers[offers["call_id"].isin(ids)]
    where = mine["agent"].astype(str).map(group_of).to_numpy(dtype=object)
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays(
        [mine["call_id"].to_numpy(), where])).groupby(level=[0, 1]).sum()

    def count(groups: NDArray[Any], rows: NDArray[np.bool_] | None = None) -> NDArray[np.int64]:
        chosen = ids if rows is None else ids[rows]
        keys = pd.MultiIndex.from_arrays([chosen, groups])
        found: NDArray[Any] = counts.reindex(keys).fillna(0).to_numpy(dtype=np.int64)
        return found

    return count


def _chain(pilot: str, forward_to: Mapping[str, str]) -> list[str]:
    """The pilots a call dialled to ``pilot`` passes through, in order (no loops)."""
    chain = [pilot]
    while chain[-1] in forward_to and len(chain) <= len(forward_to):
        chain.append(forward_to[chain[-1]])
    return chain


def summarize(calls: pd.DataFrame, threshold_s: float = 20.0,
              groups: Sequence[str] | None = None,
              forward_to: Mapping[str, str] | None = None,
              offers: pd.DataFrame | None = None,
              group_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Headline figures per hunt group (pilot calls) and for direct calls.

    Rows are the pilot numbers (``groups``, or those found in ``calls``; a group
    with no calls has ``offered`` 0 and missing rates), then ``all pilot calls``
    when there are several groups and ``direct calls`` when there are any.
    Columns: ``offered``, the outcome rates, the wait to answer (mean, median,
    90th percentile, answered calls only), the service level (answered within
    ``threshold_s`` over offered) and ``after_hours``: pilot calls that arrived
    outside the group's opening hours. Those rang nobody and are left out of
    every other column.

    A group's row holds every call that *reached* it (see :func:`group_visits`;
    ``forward_to`` maps a pilot to the pilot it forwards to): a call it passed
    on counts as ``forwarded`` there and again, with its end, in the group where
    it ended (``forwarded_in`` counts those that reached it while it was open:
    they are part of its ``offered``; one that found it closed is in its
    ``after_hours`` instead). ``forwarded_away`` counts the calls first dialled
    to the group that ended in another (:func:`forwarded_away`), those it
    forwarded after hours included. ``all pilot calls`` counts each
    call once, by how it ended (``forwarded``: left the office), whichever
    group it ended in; its ``after_hours`` are the calls that found every group
    they reached closed (:func:`closed_everywhere`: they rang nobody at all), so
    a call forwarded after hours and answered in an open group counts as
    offered and answered there and in ``all pilot calls``, and as
    ``after_hours`` in the closed group it passed through. The caller
    columns are over the calls first *dialled* to the group, wherever they
    ended: ``callers`` (first attempts), ``attempts_per_caller``,
    ``callers_answered_rate`` (answered at some attempt) and
    ``first_attempt_<outcome>_rate`` (by how the attempt ended); a group
    leaves out the callers whose first attempt found it closed, ``all pilot
    calls`` only those whose first attempt found every group closed (so a
    caller forwarded after hours and answered counts there, as the call does). Without
    redials and forwards every call is its own caller on its first attempt.
    With ``offers`` and ``group_of`` (agent -> pilot), a group's
    ``offers_per_call`` counts only the offers made in it (see
    :func:`group_visits`); ``all pilot calls`` counts every offer of a call.
    """
    rows: dict[str, pd.Series] = {}
    pilot_all = calls[calls["kind"] == "pilot"]
    if groups is None:
        groups = sorted(g for g in pd.unique(pilot_all["group"].astype(str)) if g != "nan")
    visits = group_visits(calls, forward_to, offers, group_of)
    visits_open = visits[~visits["after_hours"]] if "after_hours" in visits else visits
    closed_visits = visits["visited"][visits["after_hours"]] if "after_hours" in visits \
        else visits["visited"].iloc[:0]
    unreached = closed_everywhere(pilot_all)
    pilot = pilot_all[~unreached]
    dialed_group = (pilot_all["dialed"] if "dialed" in pilot_all else pilot_all["group"]
                     ).astype(str)
    visited = visits_open["visited"]
    for group in groups:
        scope = visits_open[visited == group]
        dialed = pilot_all[dialed_group == group]
        elsewhere = forwarded_away(dialed, group)
        rows[group] = pd.concat([_scope_summary(scope, threshold_s),
                                 pd.Series(_flow(scope, dialed, elsewhere), dtype=float)])
        rows[group]["after_hours"] = int((closed_visits == group).sum())
    if len(groups) > 1:
        # its callers: those whose first attempt rang someone somewhere, like its calls
        rows["all pilot calls"] = pd.concat([_scope_summary(pilot, threshold_s), pd.Series(
            _flow(pilot, pilot_all, 0, unreached), dtype=float)])
        rows["all pilot calls"]["after_hours"] = int(unreached.sum())
    direct = calls[calls["kind"] == "direct"]
    if len(direct):
        rows["direct calls"] = pd.concat([_scope_summary(direct, threshold_s),
                                          pd.Series(_flow(direct, direct, 0), dtype=float)])
        rows["direct calls"]["after_hours"] = 0
    return summary_frame(rows, threshold_s)


def forwarded_away(dialed: pd.DataFrame, group: str) -> int:
    """How many of the calls ``dialed`` (first dialled to ``group``) ended in another group.

    Every such call counts, whether it was passed on in opening hours (then it
    is also ``forwarded`` in the group's rates) or after hours (then it is also
    in the group's ``after_hours``): the group sent it away either way.

    Examples
    --------
    >>> calls = pd.DataFrame({"group": ["300", "400", "400"], "after_hours": [False, False, True]})
    >>> forwarded_away(calls, "300")
    2
    """
    return int((dialed["group"].astype(str) != group).sum())


def closed_everywhere(pilot: pd.DataFrame) -> pd.Series:
    """Whether each pilot call found every group it reached closed (it rang nobody).

    Read from ``closed_hops`` (bit ``h``: the h-th group reached was closed) and
    ``forwards``; without them, from ``after_hours`` (closed when dialled, never
    forwarded).

    Examples
    --------
    >>> calls = pd.DataFrame({"after_hours": [True, True, False], "forwards": [0, 1, 1],
    ...                       "closed_hops": [1, 1, 2]})
    >>> closed_everywhere(calls).tolist()
    [True, False, False]
    """
    if "after_hours" not in pilot:
        return pd.Series(False, index=pilot.index)
    closed = pilot["after_hours"].astype(bool)
    if "closed_hops" not in pilot or "forwards" not in pilot or not closed.any():
        return closed
    mask = closed.to_numpy(dtype=bool, copy=True)
    hops = pilot["closed_hops"].to_numpy()[mask]
    forwards = pilot["forwards"].to_numpy()[mask]
    # every bit 0 .. forwards set (Python integers past 62 forwards)
    mask[mask] = [int(h) == (1 << (int(f) + 1)) - 1 for h, f in zip(hops, forwards, strict=True)]
    return pd.Series(mask, index=pilot.index)


FLOW_COLUMNS: tuple[str, ...] = (
    "forwarded_in", "forwarded_away", "callers", "attempts_per_caller",
    "callers_answered_rate", *(f"first_attempt_{o}_rate" for o in OUTCOMES))
"""Summary columns about forwarded calls and about callers (see :func:`summarize`)."""
_COUNT_COLUMNS = ("offered", "after_hours", "forwarded_in", "forwarded_away", "callers")


def summary_frame(rows: dict[str, pd.Series] | dict[str, dict[str, float]],
                  threshold_s: float) -> pd.DataFrame:
    """Rows of :func:`summarize` as its table, with every column even when empty."""
    columns = ["offered", "offers_per_call", *(f"{o}_rate" for o in OUTCOMES), "served_rate",
               "mean_wait_s", "p50_wait_s", "p90_wait_s", f"service_level_{threshold_s:g}s",
               "after_hours", *FLOW_COLUMNS]
    table = pd.DataFrame.from_dict({k: dict(v) for k, v in rows.items()}, orient="index",
                                   columns=columns)
    table.index.name = "scope"
    for column in _COUNT_COLUMNS:
        table[column] = table[column].fillna(0).astype(int)
    return table


def _overlap(start: ArrayLike, end: ArrayLike, window: tuple[float, float]) -> NDArray[np.float64]:
    """Seconds of each interval ``[start, end]`` inside ``window`` (NaN counts as 0)."""
    low, high = window
    inside: NDArray[np.float64] = np.minimum(np.asarray(end, dtype=float), high)
    inside -= np.maximum(np.asarray(start, dtype=float), low)
    np.maximum(inside, 0.0, out=inside)  # NaN stays NaN
    inside[np.isnan(inside)] = 0.0
    return inside


Stretches = Mapping[int, tuple[NDArray[np.float64], NDArray[np.float64]]]
"""Each member's logged-out stretches by row: starts and ends (sorted, disjoint)."""


def logged_out_part(rows: NDArray[np.intp], start: ArrayLike, end: ArrayLike,
                    window: tuple[float, float], stretches: Stretches,
                    ) -> NDArray[np.float64]:
    """Seconds of each interval ``[start, end]`` inside ``window`` during which its
    member (at ``rows``) was logged out (NaN counts as 0).

    A call that runs past the end of its member's schedule is busy time, but not
    while logged in: :func:`occupancy` leaves this part out.
    """
    part = np.zeros(len(rows))
    if not stretches or not len(rows):
        return part
    low, high = window
    begin = np.maximum(np.asarray(start, dtype=float), low)
    finish = np.maximum(np.minimum(np.asarray(end, dtype=float), high), begin)
    for row, (starts, ends) in stretches.items():
        mine = np.flatnonzero(rows == row)
        if len(mine):
            part[mine] = (_logged_out_by(finish[mine], starts, ends)
                          - _logged_out_by(begin[mine], starts, ends))
    part[np.isnan(part)] = 0.0
    return part


def _logged_out_by(x: NDArray[np.float64], starts: NDArray[np.float64],
                   ends: NDArray[np.float64]) -> NDArray[np.float64]:
    """Logged-out time before each time ``x`` in the stretches ``[starts, ends]``."""
    before = np.concatenate(([0.0], np.cumsum(ends - starts)))
    k = np.searchsorted(starts, x, side="right")  # stretches that began by x
    last = np.maximum(k - 1, 0)
    inside = np.minimum(x, ends[last]) - starts[last] if len(starts) else np.zeros(len(x))
    return np.where(k > 0, before[last] + inside, 0.0)


def logged_out_stretches(agent: NDArray[np.intp], start: ArrayLike,
                         end: ArrayLike) -> dict[int, tuple[NDArray[np.float64],
                                                             NDArray[np.float64]]]:
    """The :data:`Stretches` of logged-out rows (``agent``: row of each; -1 left out)."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    stretches = {}
    for row in np.unique(agent[agent >= 0]).tolist():
        mine = agent == row
        order = np.argsort(start[mine], kind="stable")
        stretches[int(row)] = (start[mine][order], end[mine][order])
    return stretches


def _positions(column: pd.Series, index: pd.Index,
               rows: NDArray[np.bool_] | None = None) -> NDArray[np.intp]:
    """Row of ``index`` holding each value of ``column`` (only the ``rows``
    chosen, if given); -1 when missing or unknown."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = np.append(index.get_indexer(column.cat.categories.astype(str)), -1)
        codes = column.cat.codes.to_numpy()
        return lookup[codes if rows is None else codes[rows]]  # code -1: missing
    chosen = column if rows is None else column[rows]
    return index.get_indexer(pd.Index(chosen.astype(str)))


def _sum_by(rows: NDArray[np.intp], values: ArrayLike, size: int) -> NDArray[np.float64]:
    """Sum of ``values`` by row of a table of ``size`` rows (row -1: left out)."""
    values = np.asarray(values, dtype=float)
    if len(rows) and rows.min() < 0:
        known = rows >= 0
        rows, values = rows[known], values[known]
    sums = np.bincount(rows, weights=values, minlength=size)
    return sums.astype(np.float64, copy=False)  # also when nothing is summed


def _count_by(rows: NDArray[np.intp], size: int) -> NDArray[np.int64]:
    """How often each row of a table of ``size`` rows occurs (row -1: left out)."""
    if len(rows) and rows.min() < 0:
        rows = rows[rows >= 0]
    return np.bincount(rows, minlength=size).astype(np.int64)


def agent_table(
    calls: pd.DataFrame,
    offers: pd.DataFrame,
    agents: Sequence[str],
    window: tuple[float, float],
    names: Sequence[str] | None = None,
    groups: Sequence[str | None] | None = None,
    absences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per member: calls answered, talk and busy time, presence, occupancy, offers missed.

    Parameters
    ----------
    calls, offers : DataFrame
        Tables of :class:`huntsim.Result`, warm-up calls included if there are any.
    agents : sequence of str
        Agent numbers, one row each (agents with no calls get zeros).
    window : (float, float)
        The reported period, ``(warmup, duration)`` in seconds.
    names, groups : sequence, optional
        Each agent's name and hunt group pilot, copied into the table.
    absences : DataFrame, optional
        ``Result.absences`` (agent, reason, start_s, end_s); none: always there.

    Notes
    -----
    Counts (calls answered, offers, offers missed) are of calls arriving in the
    window. Times are the parts of talk, wrap-up and ringing that fall inside the
    window, whenever the call arrived, so occupancy is a true time average and never
    exceeds 1. ``load_erlang`` is talk time over the window (the carried load),
    ``group_load_erlang`` the same for calls through the pilot. ``logged_in_s``
    is the time inside the member's schedule; ``away_s`` and ``not_ready_s`` the
    time away and not ready. ``occupancy`` is busy time (talk, ringing and
    wrap-up) while logged in over logged-in time, so it is between 0 and 1: the
    part of a call that runs past the end of the member's schedule is in
    ``busy_s`` but not in occupancy. ``offers_missed`` counts offers the member let
    ring out (not those stopped by a pick-up elsewhere or by the caller), but for
    call waitings (offers that rang while the member was on a call), which
    ``call_waiting_missed`` counts.

    The table is computed column by column from arrays, so it needs little
    memory beyond the tables it reads, however many calls they hold.
    """
    window_s = window[1] - window[0]
    rows = pd.Index(list(agents), name="agent")
    index = rows.unique()  # an agent listed twice gets the same figures twice
    size = len(index)
    # the member's calls: those answered and the call backs the caller took
    answered = calls["outcome"].isin(["answered", "called_back"]).to_numpy()
    who = _positions(calls["agent"], index, answered)
    end_s = calls["end_s"].to_numpy()[answered]
    stretches: Stretches = {}
    if absences is not None and len(absences):
        out = absences[absences["reason"] == "logged_out"]
        stretches = logged_out_stretches(_positions(out["agent"], index), out["start_s"],
                                         out["end_s"])
    answer_s = calls["answer_s"].to_numpy()[answered]
    talk = _overlap(answer_s, end_s, window)
    talk_s = _sum_by(who, talk, size)
    pilot = (calls["kind"] == "pilot").to_numpy()[answered]
    group_talk_s = _sum_by(np.where(pilot, who, -1), talk, size)
    del talk
    wrap = calls["wrap_up_s"].to_numpy()[answered]
    wrapped = np.add(end_s, wrap, out=wrap)
    wrap_s = _sum_by(who, _overlap(end_s, wrapped, window), size)
    busy_out_s = _sum_by(who, logged_out_part(who, answer_s, end_s, window, stretches)
                         + logged_out_part(who, end_s, wrapped, window, stretches), size)
    if "held_call" in calls.columns:  # call waiting: a held call's hold is not its talk
        for sums, taken in zip((talk_s, group_talk_s, busy_out_s),
                               _holds(calls, index, window, stretches), strict=True):
            sums -= taken
    del end_s, wrap, wrapped, answer_s
    reported = (calls["arrival_s"] >= window[0]).to_numpy()
    reported_answers = reported[answered]
    group_answered = _count_by(np.where(reported_answers & pilot, who, -1), size)
    direct_answered = _count_by(np.where(reported_answers & ~pilot, who, -1), size)
    del who, pilot, reported_answers, answered
    offer_rows = _positions(offers["agent"], index)
    # an offer that rang as call waiting rang while the member talked: talk time already
    ringing = (np.where(offers["call_waiting"].to_numpy(), -1, offer_rows)
               if "call_waiting" in offers.columns else offer_rows)
    ring_s = _sum_by(ringing, _overlap(offers["start_s"], offers["end_s"], window), size)
    busy_out_s += _sum_by(ringing, logged_out_part(ringing, offers["start_s"],
                                                   offers["end_s"], window, stretches),
                          size)
    if not reported.all():  # counted: the offers of calls that arrived in the window
        counted = calls["call_id"].to_numpy()[reported]
        offer_rows[~np.isin(offers["call_id"].to_numpy(), counted)] = -1
    del reported
    missed = (offers["result"] == "no_answer").to_numpy()
    waiting = (offers["call_waiting"].to_numpy(dtype=bool) if "call_waiting" in offers.columns
               else np.zeros(len(offers), dtype=bool))  # call waitings: counted apart

    table = pd.DataFrame(index=index)
    table["group_answered"] = group_answered
    table["direct_answered"] = direct_answered
    table["offers"] = _count_by(offer_rows, size)
    table["offers_missed"] = _count_by(np.where(missed & ~waiting, offer_rows, -1), size)
    table["call_waiting_missed"] = _count_by(np.where(missed & waiting, offer_rows, -1), size)
    table["talk_s"] = talk_s
    table["busy_s"] = talk_s + wrap_s + ring_s
    table["load_erlang"] = table["talk_s"] / window_s
    table["group_load_erlang"] = group_talk_s / window_s
    for reason, column in (("logged_out", "logged_out_s"), ("away", "away_s"),
                           ("not_ready", "not_ready_s")):
        if absences is None or not len(absences):
            table[column] = 0.0
            continue
        absent = absences[absences["reason"] == reason]
        table[column] = _sum_by(_positions(absent["agent"], index),
                                _overlap(absent["start_s"], absent["end_s"], window), size)
    table["busy_out_s"] = busy_out_s
    table = table.reindex(rows) if len(index) < len(rows) else table
    table.insert(0, "name", list(names) if names is not None else list(agents))
    table.insert(1, "group", list(groups) if groups is not None else None)
    table["logged_in_s"] = window_s - table.pop("logged_out_s")
    table["occupancy"] = occupancy(table["busy_s"] - table.pop("busy_out_s"),
                                   table["logged_in_s"])
    return table.reset_index()


def _holds(calls: pd.DataFrame, index: pd.Index, window: tuple[float, float],
           stretches: Stretches) -> tuple[NDArray[np.float64], ...]:
    """Per member of ``index``: time on hold of their held calls inside ``window`` (all,
    through a pilot, while logged out). A call answered as call waiting holds the
    member's call from its answer to the end of its wrap-up; that span is in the held
    call's ``answer_s`` to ``end_s``, and is the waiting call's talk and wrap-up."""
    size = len(index)
    waiting = calls["held_call"].notna().to_numpy()
    who = _positions(calls["agent"], index, waiting)
    start = calls["answer_s"].to_numpy()[waiting]
    end = start + calls["talk_s"].to_numpy()[waiting] + calls["wrap_up_s"].to_numpy()[waiting]
    span = _overlap(start, end, window)
    held = pd.Index(calls["call_id"]).get_indexer(
        calls["held_call"].to_numpy()[waiting].astype(np.int64))
    pilot = (calls["kind"] == "pilot").to_numpy()[held]
    return (_sum_by(who, span, size), _sum_by(np.where(pilot, who, -1), span, size),
            _sum_by(who, logged_out_part(who, start, end, window, stretches), size))


def occupancy(busy_logged_in_s: pd.Series, logged_in_s: pd.Series) -> pd.Series:
    """Busy time while logged in over logged-in time (NaN for a member never
    logged in): between 0 and 1, since the part of a call that runs past the end
    of the member's schedule (:func:`logged_out_part`) is not in the busy time
    given. A member without a schedule is logged in all the time: busy time over
    the window."""
    return (busy_logged_in_s / logged_in_s.where(logged_in_s > 0)).astype(float)


def group_metrics(
    calls: pd.DataFrame,
    offers: pd.DataFrame,
    member_load: Sequence[float] | pd.Series,
    group: str,
    window_s: float,
    ring_cycle_s: float,
    threshold_s: float = 20.0,
    forward_to: Mapping[str, str] | None = None,
    group_of: Mapping[str, str] | None = None,
    member_share: Sequence[float] | pd.Series | None = None,
    visits: pd.DataFrame | None = None,
    open_s: float | None = None,
) -> pd.Series:
    """Every headline figure of one hunt group in one run, as a flat Series.

    Outcome rates, waits (mean, median, 90th and 95th percentile), service
    level within ``threshold_s``, offers and rings per call, and the fairness
    of ``member_load`` (the members' group-call load) against ``member_share``
    (each member's fair share given who was logged in, see
    :func:`~huntsim.analysis.fairness.fair_shares`; equal shares when not given;
    see :func:`~huntsim.analysis.fairness.fairness`),
    over every call that reached the group (:func:`group_visits`); and the
    caller figures of :func:`summarize` over the calls first dialled to it.
    With ``group_of`` (agent -> pilot), offers and rings per call count only
    those made in the group (a forwarded call's offers elsewhere are left out).
    ``visits``: the table of :func:`group_visits` of these arguments, when
    already made (it is the same for every group of a run). ``offered_per_hour``
    is per hour the group was open: ``open_s`` seconds of the window (all of
    ``window_s`` when not given, as for a group without ``open``).
    """
    if visits is None:
        visits = group_visits(calls, forward_to, offers if group_of is not None else None,
                              group_of)
    here = visits[visits["visited"] == group]
    closed_here = here["after_hours"].astype(bool) if "after_hours" in here \
        else pd.Series(False, index=here.index)
    pilot = here[~closed_here]  # a visit while the group was closed rang nobody
    all_pilot = calls[calls["kind"] == "pilot"]
    dialed = all_pilot[all_pilot["dialed"].astype(str) == group] if "dialed" in all_pilot \
        else pilot
    flow = pd.Series(_flow(pilot, dialed, forwarded_away(dialed, group)), dtype=float)
    ringing = offers[offers["call_id"].isin(pilot["call_id"])]
    if group_of is not None:  # a forwarded call's rings: this group's members' only
        keep = ringing["agent"].astype(str).map(group_of).to_numpy(dtype=object) == group
        if "forwards" in pilot:  # a call never forwarded rang only in its group
            moved = pilot.loc[(pilot["forwards"] > 0).to_numpy(), "call_id"]
            keep |= ~ringing["call_id"].isin(moved).to_numpy()
        ringing = ringing[keep]
    ring_s = float((ringing["end_s"] - ringing["start_s"]).sum())
    open_time = window_s if open_s is None else open_s
    per_call = pd.Series({
        "offered": float(len(pilot)),
        "offered_per_hour": len(pilot) / open_time * 3600.0 if open_time > 0 else np.nan,
        "offers_per_call": float(pilot["offers"].mean()) if len(pilot) else np.nan,
        "rings_per_call": ring_s / ring_cycle_s / len(pilot) if len(pilot) else np.nan,
        f"service_level_{threshold_s:g}s": service_level(pilot, threshold_s),
    })
    metrics: pd.Series = pd.concat([
        per_call, outcome_rates(pilot), wait_stats(pilot), fairness(member_load, member_share),
        flow
    ])
    metrics["after_hours"] = float(closed_here.sum())
    return metrics


def member_loads(agents: pd.DataFrame, members: Sequence[str],
                 shares: Sequence[float] | NDArray[np.float64] | None = None) -> pd.DataFrame:
    """Per member of a group: group calls answered, group-call load, share of the
    group's load and fair share.

    Parameters
    ----------
    agents : DataFrame
        ``Result.agents``.
    members : sequence of str
        The group's members in list order.
    shares : sequence of float, optional
        Each member's fair share given who was logged in when calls were taken
        (:func:`~huntsim.analysis.fairness.fair_shares`), in column
        ``expected_share``; an even share ``1/n`` each when not given.
    """
    rows = agents.set_index("agent").loc[list(members)]
    load = rows["group_load_erlang"].astype(float)
    total = float(load.sum())
    return pd.DataFrame({
        "agent": list(members),
        "group_answered": rows["group_answered"].to_numpy(),
        "load_erlang": load.to_numpy(),
        "load_share": (load / total).to_numpy() if total > 0 else np.nan,
        "expected_share": (np.full(len(members), 1.0 / len(members)) if shares is None
                           else np.asarray(shares, dtype=float)),
    })


