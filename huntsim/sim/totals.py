"""Running totals instead of per-call records: flat memory for very long runs.

:class:`RunningTotals` receives the same calls and offers as
:class:`~huntsim.sim.records.CallLog` but keeps only sums and counts per hunt
group, for direct calls, and per agent, plus a histogram of waits. A
simulated decade then runs in the memory of a simulated day. Counts, rates
and means are exact; wait quantiles come from the histogram and are exact to
:data:`WAIT_RESOLUTION_S` seconds. Service levels are exact for thresholds on
that grid (20 s, 15.5 s); another threshold counts the waits up to the
threshold rounded down to the grid.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.analysis.catalog import OUTCOMES
from huntsim.analysis.metrics import (
    Stretches,
    logged_out_part,
    logged_out_stretches,
    occupancy,
    summary_frame,
)
from huntsim.sim.records import ABSENCES, Absence, CallLog, OfferResult, Outcome

__all__ = ["WAIT_RESOLUTION_S", "RunningTotals"]

WAIT_RESOLUTION_S = 0.1
"""Width of a wait histogram bin: quantiles are exact to this many seconds."""
_BINS_PER_SECOND = round(1 / WAIT_RESOLUTION_S)
_US_PER_BIN = 1_000_000 // _BINS_PER_SECOND
_ANSWERED = Outcome.ANSWERED
_SERVED = (Outcome.ANSWERED, Outcome.CALLED_BACK)  # calls a member took
FOLD_BLOCK = 1 << 14
"""Calls buffered by :class:`RunningTotals` before they are summed (a few MiB at most)."""


_Route = tuple[int, int, int, int, float, bool, tuple[int, ...]]
"""A call's route (see :meth:`RunningTotals.add_route`): its id, attempt, forwards,
closed hops, caller's arrival, whether the caller's first attempt was after hours,
offers in each group it was forwarded from."""


class _Scope:
    __slots__ = ("answered", "attempts", "callers_answered", "dialled_elsewhere",
                 "first_outcomes", "forwarded_in", "offered", "offers", "outcomes",
                 "wait_bins", "wait_s")

    def __init__(self) -> None:
        self.offered = 0
        self.offers = 0
        self.outcomes = [0] * len(OUTCOMES)
        self.answered = 0
        self.wait_s = 0.0
        self.forwarded_in = 0
        # of the calls first dialled to the scope (see huntsim.analysis.metrics.summarize)
        self.attempts = 0
        self.first_outcomes = [0] * len(OUTCOMES)
        self.callers_answered = 0
        self.dialled_elsewhere = 0
        # bin k holds waits in ((k - 1) * resolution, k * resolution]; sparse, so
        # any wait, however long, has its own bin
        self.wait_bins: dict[int, int] = {}


class RunningTotals(CallLog):
    """Sums and counts over the reported window ``[warmup, duration)``.

    Counts are of calls arriving in the window; times are the parts of talk,
    wrap-up and ringing inside it (as in :func:`huntsim.analysis.metrics.agent_table`).

    Parameters
    ----------
    agents, pilots : sequence of str
        Agent and pilot numbers, in the scenario's order.
    warmup, duration : float
        The reported window.

    Notes
    -----
    Calls are buffered as a :class:`~huntsim.sim.records.CallLog` buffers them and
    summed with numpy every :data:`FOLD_BLOCK` calls, so memory stays flat and
    a call costs no more than a record of it.
    """

    fold_at = FOLD_BLOCK

    def __init__(self, agents: Sequence[str], pilots: Sequence[str], warmup: float,
                 duration: float, forward_to: Mapping[str, str] | None = None) -> None:
        super().__init__(agents, pilots)
        self.warmup = warmup
        self.duration = duration
        self.scopes = [_Scope() for _ in range(len(pilots) + 1)]  # the last: direct calls
        self.all_pilot = _Scope()  # every pilot call once, by how it ended
        self.several_groups = len(pilots) > 1
        self.pilot_after_hours = 0
        # pilot calls that arrived after hours and were forwarded to a group then open
        # (or out of the office): in 'all pilot calls' by how they ended
        self.forwarded_after_hours = 0
        # ... and those forwarded out of the office by a closed group (counted after hours)
        self.forwarded_out_after_hours = 0
        n = len(agents)
        self.group_answered = np.zeros(n, dtype=np.int64)
        self.direct_answered = np.zeros(n, dtype=np.int64)
        self.talk_s = np.zeros(n)
        self.group_talk_s = np.zeros(n)
        self.wrap_up_s = np.zeros(n)
        self.ring_s = np.zeros(n)
        # busy time (talk, wrap-up, ringing) while logged out: left out of occupancy
        self.busy_out_s = np.zeros(n)
        # logged-out stretches, all known before the first call (the engine adds them
        # when the run starts): agent, start, end (compact: a long run has many)
        self.logged_out: tuple[array[int], array[float], array[float]] = (
            array("h"), array("d"), array("d"))
        self._stretches: Stretches | None = None
        self.waiting_answered = np.zeros(n, dtype=np.int64)  # calls taken as call waiting
        self.offers_made = np.zeros(n, dtype=np.int64)
        self.offers_missed = np.zeros(n, dtype=np.int64)
        self.waiting_missed = np.zeros(n, dtype=np.int64)  # call waitings not picked up
        self.offer_arrival = array("d")  # in place of the offer's call
        self.absent_s = [[0.0] * n for _ in ABSENCES]
        self.after_hours = np.zeros(len(pilots), dtype=np.int64)
        self.calls = 0
        self._route: _Route = (-1, 1, 0, 0, 0.0, False, ())
        # the routes of the buffered calls that are redials or were forwarded
        self._pending_routes: dict[int, _Route] = {}
        # the groups a call dialled to each group passes through when forwarded
        targets = forward_to or {}
        index = {pilot: i for i, pilot in enumerate(pilots)}
        self.chains: list[list[int]] = []
        for pilot in pilots:
            chain = [index[pilot]]
            while pilots[chain[-1]] in targets and len(chain) <= len(targets):
                chain.append(index[targets[pilots[chain[-1]]]])
            self.chains.append(chain)

    def fold(self) -> None:
        """Add the buffered calls and offers to the totals and empty the buffer."""
        self._fold_offers()

        def column(values: array[Any], dtype: str) -> NDArray[Any]:
            return np.frombuffer(values, dtype=dtype).copy()  # the buffer can be emptied

        call_id = column(self.call_id, "i8")
        group = column(self.group, "i2").astype(np.intp)
        dialed = column(self.dialed, "i4")
        arrival, answer = column(self.arrival, "f8"), column(self.answer, "f8")
        outcome = column(self.outcome, "i1").astype(np.intp)
        agent = column(self.agent, "i2").astype(np.intp)
        wrap_up, end = column(self.wrap_up, "f8"), column(self.end, "f8")
        offers = column(self.offers, "i2").astype(np.int64)
        after_hours = np.isin(call_id, np.frombuffer(self.after_hours_calls, dtype=np.int64))
        for name in ("call_id", "kind", "group", "dialed", "arrival", "outcome", "agent",
                     "answer", "talk", "wrap_up", "end", "offers", "after_hours_calls",
                     "callback_call", "callback_at"):
            del getattr(self, name)[:]
        routes, self._pending_routes = self._pending_routes, {}

        answered = outcome == _ANSWERED
        # a call back a member made and the caller took is the member's call too
        served = answered | (outcome == Outcome.CALLED_BACK)
        self._add_member_times(served, group, agent, answer, end, wrap_up)
        reported = arrival >= self.warmup
        self.calls += int(np.count_nonzero(reported))
        usual = reported.copy()
        if routes:  # redials and forwarded calls, one by one
            for row in np.flatnonzero(reported & np.isin(call_id, list(routes))).tolist():
                self._route = routes[int(call_id[row])]
                self._add_routed(int(call_id[row]), int(group[row]), int(dialed[row]),
                                 float(arrival[row]), int(outcome[row]), int(agent[row]),
                                 float(answer[row]), int(offers[row]), bool(after_hours[row]))
                usual[row] = False
        # the usual call: a first attempt that stayed in the group it dialled
        closed = usual & after_hours
        np.add.at(self.after_hours, group[closed], 1)
        self.pilot_after_hours += int(np.count_nonzero(closed))
        self.forwarded_out_after_hours += int(np.count_nonzero(
            closed & (outcome == Outcome.FORWARDED)))
        usual &= ~after_hours
        wait_us = np.zeros(len(call_id), dtype=np.int64)
        wait_us[answered] = np.round((answer[answered] - arrival[answered]) * 1_000_000)
        scope_of = np.where(group >= 0, group, len(self.pilot_numbers))  # direct: the last
        for scope in np.unique(scope_of[usual]).tolist():
            rows = usual & (scope_of == scope)
            _count_first_attempts(self.scopes[scope], outcome[rows], offers[rows],
                                  wait_us[rows])
        pilot_rows = usual & (group >= 0)
        if self.several_groups:
            _count_first_attempts(self.all_pilot, outcome[pilot_rows], offers[pilot_rows],
                                  wait_us[pilot_rows])
        np.add.at(self.group_answered, agent[pilot_rows & served], 1)
        np.add.at(self.direct_answered, agent[usual & served & (group < 0)], 1)

    def _add_member_times(self, answered: NDArray[np.bool_], group: NDArray[np.intp],
                          agent: NDArray[np.intp], answer: NDArray[np.float64],
                          end: NDArray[np.float64], wrap_up: NDArray[np.float64]) -> None:
        """Talk and wrap-up inside the window of answered calls, whenever they arrived
        (added in order: the same sums as one call at a time)."""
        who, ended = agent[answered], end[answered]
        talk = self._inside_all(answer[answered], ended)
        np.add.at(self.talk_s, who, talk)
        through_pilot = group[answered] >= 0
        np.add.at(self.group_talk_s, who[through_pilot], talk[through_pilot])
        wrapped = ended + wrap_up[answered]
        np.add.at(self.wrap_up_s, who, self._inside_all(ended, wrapped))
        stretches = self.stretches()
        if stretches:
            window = (self.warmup, self.duration)
            np.add.at(self.busy_out_s, who,
                      logged_out_part(who, answer[answered], ended, window, stretches)
                      + logged_out_part(who, ended, wrapped, window, stretches))

    def stretches(self) -> Stretches:
        """The logged-out stretches of each agent, by agent."""
        if self._stretches is None:
            agent, start, end = self.logged_out
            self._stretches = logged_out_stretches(
                np.array(agent, dtype=np.intp), np.array(start, dtype=float),
                np.array(end, dtype=float))
        return self._stretches

    def _add_routed(self, call_id: int, group: int, dialed: int, arrival: float, outcome: int,
                    agent: int, answer: float, offers: int, after_hours: bool) -> None:
        """Count a redial or a forwarded call (see :meth:`add_route`)."""
        (route_call, attempt, forwards, closed_hops, caller_arrival, caller_closed,
         hop_offers) = self._route
        if route_call != call_id:
            attempt, forwards, closed_hops, hop_offers = 1, 0, int(after_hours), ()
        # a caller counts from a first attempt in the window, in opening hours
        counted = (not after_hours if attempt == 1
                   else caller_arrival >= self.warmup and not caller_closed)
        if group < 0:  # a direct call: the last scope
            scope = self.scopes[-1]
            _count(scope, outcome, offers, self._wait_us(outcome, answer, arrival))
            _count_caller(scope, outcome, attempt)
            if outcome in _SERVED:
                self.direct_answered[agent] += 1
            return
        # the groups it passed through saw it forwarded (see metrics.group_visits)
        for hop, passed in enumerate(self.chains[dialed][:forwards]):
            if closed_hops >> hop & 1:
                self.after_hours[passed] += 1
                continue
            through = self.scopes[passed]
            through.offered += 1
            through.offers += hop_offers[hop]  # each group counts its own offers
            through.outcomes[Outcome.FORWARDED] += 1
            if hop:
                through.forwarded_in += 1
        dialled = self.scopes[dialed]
        several = self.several_groups  # 'all pilot calls' is reported
        everywhere = closed_hops == (1 << (forwards + 1)) - 1  # every group reached closed
        if counted:
            _count_caller(dialled, outcome, attempt)
        # 'all pilot calls' counts a caller unless the first attempt found every group
        # closed (then no redial follows): one forwarded after hours counts, as its call
        if several and (not everywhere if attempt == 1 else caller_arrival >= self.warmup):
            _count_caller(self.all_pilot, outcome, attempt)
        wait_us = self._wait_us(outcome, answer, arrival)
        # 'all pilot calls': after hours only when every group it reached was closed
        # (see metrics.closed_everywhere); a call forwarded after hours to an open
        # group counts there by how it ended
        if everywhere:
            self.pilot_after_hours += 1
            self.forwarded_out_after_hours += outcome == Outcome.FORWARDED
        else:
            self.forwarded_after_hours += closed_hops & 1
            if several:
                _count(self.all_pilot, outcome, offers, wait_us)
        if group != dialed:  # sent away, in opening hours or after (metrics.forwarded_away)
            dialled.dialled_elsewhere += 1
        scope = self.scopes[group]
        if closed_hops >> forwards & 1:  # closed when the call reached it
            self.after_hours[group] += 1
        else:
            _count(scope, outcome, offers - sum(hop_offers), wait_us)
            if forwards:
                scope.forwarded_in += 1
        if outcome in _SERVED:
            self.group_answered[agent] += 1

    @staticmethod
    def _wait_us(outcome: int, answer: float, arrival: float) -> int:
        """The wait to answer in whole microseconds (0 for a call not answered)."""
        return round((answer - arrival) * 1_000_000) if outcome == Outcome.ANSWERED else 0

    def _inside(self, start: float, end: float) -> float:
        return max(0.0, min(end, self.duration) - max(start, self.warmup))

    def _inside_all(self, start: NDArray[np.float64], end: NDArray[np.float64],
                    ) -> NDArray[np.float64]:
        """:meth:`_inside` of each interval (the same numbers)."""
        inside: NDArray[np.float64] = np.minimum(end, self.duration)
        inside -= np.maximum(start, self.warmup)
        return np.maximum(inside, 0.0, out=inside)

    def add_offer(self, call_id: int, arrival: float, agent: int, start: float, end: float,
                  result: int) -> None:
        """Buffer one offer (its call's arrival in place of its call)."""
        self.offer_arrival.append(arrival)
        self.offer_agent.append(agent)
        self.offer_start.append(start)
        self.offer_end.append(end)
        self.offer_result.append(result)

    def _fold_offers(self) -> None:
        """Add the buffered offers to the totals and empty the buffer."""
        agent = np.frombuffer(self.offer_agent, dtype="i2").astype(np.intp)
        start = np.frombuffer(self.offer_start, dtype="f8")
        end = np.frombuffer(self.offer_end, dtype="f8")
        np.add.at(self.ring_s, agent, self._inside_all(start, end))
        stretches = self.stretches()
        if stretches:
            np.add.at(self.busy_out_s, agent, logged_out_part(
                agent, start, end, (self.warmup, self.duration), stretches))
        del start, end  # views of the buffers emptied below
        reported = np.frombuffer(self.offer_arrival, dtype="f8") >= self.warmup
        missed = reported & (np.frombuffer(self.offer_result, dtype="i1") == OfferResult.NO_ANSWER)
        size = len(self.agent_numbers)
        self.offers_made += np.bincount(agent[reported], minlength=size)
        self.offers_missed += np.bincount(agent[missed], minlength=size)
        for column in (self.offer_arrival, self.offer_agent, self.offer_start, self.offer_end,
                       self.offer_result):
            del column[:]

    def add_waiting_offer(self, call_id: int, arrival: float, agent: int, start: float,
                          end: float, missed: bool) -> None:
        """An offer rang as call waiting: its time is in the agent's talk already; not
        picked up, it is counted apart from the rings let ring out."""
        self._overlap(agent, start, end, self.ring_s)
        if missed and arrival >= self.warmup:
            self.offers_missed[agent] -= 1  # (counted with the offers when they fold)
            self.waiting_missed[agent] += 1

    def add_hold(self, call_id: int, held: int, agent: int, start: float, end: float,
                 pilot: bool) -> None:
        """A call was on hold while the agent served another (talk and wrap-up, each
        counted with its own call): the hold is not talk of the held call."""
        self._overlap(agent, start, end, self.talk_s, self.group_talk_s if pilot else None)
        self.waiting_answered[agent] += 1

    def _overlap(self, agent: int, start: float, end: float, *sums: NDArray[np.float64] | None,
                 ) -> None:
        """Take time counted twice from ``sums`` (and from busy time while logged out)."""
        inside = self._inside(start, end)
        for column in sums:
            if column is not None:
                column[agent] -= inside
        stretches = self.stretches()
        if stretches:
            who = np.array([agent], dtype=np.intp)
            self.busy_out_s[agent] -= float(logged_out_part(
                who, np.array([start]), np.array([end]), (self.warmup, self.duration),
                stretches)[0])

    def add_route(self, call_id: int, caller_id: int, attempt: int, forwards: int,
                  closed_hops: int = 0, caller_arrival: float = 0.0,
                  caller_closed: bool = False, hop_offers: tuple[int, ...] = ()) -> None:
        """Note the attempt, forwards, closed groups and offers in each group passed
        through of the call about to be added."""
        self._pending_routes[call_id] = (call_id, attempt, forwards, closed_hops, caller_arrival,
                                         caller_closed, hop_offers)

    def add_absence(self, agent: int, reason: int, start: float, end: float) -> None:
        """Add the part of one absence inside the window."""
        self.absent_s[reason][agent] += self._inside(start, end)
        if reason == Absence.LOGGED_OUT:
            agents, starts, ends = self.logged_out
            agents.append(agent)
            starts.append(start)
            ends.append(end)
            self._stretches = None

    def _scope_row(self, scope: _Scope, threshold_s: float) -> dict[str, float]:
        offered = scope.offered
        row: dict[str, float] = {
            "offered": offered,
            "offers_per_call": scope.offers / offered if offered else math.nan,
        }
        for code, outcome in enumerate(OUTCOMES):
            row[f"{outcome}_rate"] = scope.outcomes[code] / offered if offered else math.nan
        row["served_rate"] = row["answered_rate"] + row["called_back_rate"]
        bins = np.array(sorted(scope.wait_bins), dtype=np.int64)
        counts = np.array([scope.wait_bins[k] for k in bins.tolist()], dtype=np.int64)
        row["mean_wait_s"] = scope.wait_s / scope.answered if scope.answered else math.nan
        cumulative = np.cumsum(counts)
        for q in (0.5, 0.9):
            row[f"p{round(q * 100)}_wait_s"] = (
                _quantile(bins, cumulative, q) if scope.answered else math.nan)
        last_bin = math.floor(round(threshold_s * _BINS_PER_SECOND, 4))
        within = int(counts[bins <= last_bin].sum())
        row[f"service_level_{threshold_s:g}s"] = within / offered if offered else math.nan
        callers = sum(scope.first_outcomes)
        row["forwarded_in"] = scope.forwarded_in
        row["forwarded_away"] = scope.dialled_elsewhere
        row["callers"] = callers
        row["attempts_per_caller"] = scope.attempts / callers if callers else math.nan
        row["callers_answered_rate"] = scope.callers_answered / callers if callers else math.nan
        for code, outcome in enumerate(OUTCOMES):
            row[f"first_attempt_{outcome}_rate"] = (
                scope.first_outcomes[code] / callers if callers else math.nan)
        return row

    def summary(self, threshold_s: float = 20.0) -> pd.DataFrame:
        """The table of :func:`huntsim.analysis.metrics.summarize`, from the running totals."""
        self.fold()
        rows = {}
        for pilot, scope, closed in zip(self.pilot_numbers, self.scopes,
                                        self.after_hours.tolist(), strict=False):
            rows[pilot] = self._scope_row(scope, threshold_s)
            rows[pilot]["after_hours"] = closed
        if len(self.pilot_numbers) > 1:
            rows["all pilot calls"] = self._scope_row(self.all_pilot, threshold_s)
            rows["all pilot calls"]["after_hours"] = self.pilot_after_hours
        if self.scopes[-1].offered:
            rows["direct calls"] = self._scope_row(self.scopes[-1], threshold_s)
            rows["direct calls"]["after_hours"] = 0
        return summary_frame(rows, threshold_s)

    def agents(self, window_s: float, names: Sequence[str],
               groups: Sequence[str | None]) -> pd.DataFrame:
        """The table of :func:`huntsim.analysis.metrics.agent_table`, from the running totals."""
        self.fold()
        talk = np.asarray(self.talk_s)
        busy = talk + np.asarray(self.wrap_up_s) + np.asarray(self.ring_s)
        logged_out, away, not_ready = (np.asarray(v) for v in self.absent_s)
        logged_in = window_s - logged_out
        return pd.DataFrame({
            "agent": self.agent_numbers,
            "name": list(names),
            "group": list(groups),
            "group_answered": self.group_answered,
            "direct_answered": self.direct_answered,
            "offers": self.offers_made,
            "offers_missed": self.offers_missed,
            "call_waiting_missed": self.waiting_missed,
            "talk_s": talk,
            "busy_s": busy,
            "load_erlang": talk / window_s,
            "group_load_erlang": np.asarray(self.group_talk_s) / window_s,
            "away_s": away,
            "not_ready_s": not_ready,
            "logged_in_s": logged_in,
            "occupancy": occupancy(pd.Series(busy - self.busy_out_s),
                                   pd.Series(logged_in)).to_numpy(),
        })


def _count(scope: _Scope, outcome: int, offers: int, wait_us: int) -> None:
    """One call with this outcome, rings and wait (whole microseconds) in ``scope``."""
    scope.offered += 1
    scope.offers += offers
    scope.outcomes[outcome] += 1
    if outcome == Outcome.ANSWERED:
        scope.answered += 1
        scope.wait_s += wait_us / 1_000_000
        k = -(-wait_us // _US_PER_BIN)  # exact: ceil of whole microseconds per bin
        scope.wait_bins[k] = scope.wait_bins.get(k, 0) + 1


def _count_first_attempts(scope: _Scope, outcome: NDArray[np.intp], offers: NDArray[np.int64],
                          wait_us: NDArray[np.int64]) -> None:
    """:func:`_count` and :func:`_count_caller` (first attempts) of many calls at once."""
    scope.offered += len(outcome)
    scope.attempts += len(outcome)
    scope.offers += int(offers.sum())
    for code, calls in enumerate(np.bincount(outcome, minlength=len(OUTCOMES)).tolist()):
        scope.outcomes[code] += calls
        scope.first_outcomes[code] += calls
    waits = wait_us[outcome == _ANSWERED]
    scope.answered += len(waits)
    scope.callers_answered += len(waits)
    if len(waits):
        scope.wait_s += float(np.sum(waits / 1_000_000))
        bins, counts = np.unique(-(-waits // _US_PER_BIN), return_counts=True)
        for k, calls in zip(bins.tolist(), counts.tolist(), strict=True):
            scope.wait_bins[k] = scope.wait_bins.get(k, 0) + calls


def _count_caller(scope: _Scope, outcome: int, attempt: int) -> None:
    """One attempt of a caller who dialled the scope's pilot."""
    scope.attempts += 1
    if attempt == 1:
        scope.first_outcomes[outcome] += 1
    if outcome == Outcome.ANSWERED:
        scope.callers_answered += 1


def _quantile(bins: NDArray[np.int64], cumulative: NDArray[np.int64], q: float) -> float:
    """The ``q`` quantile of the binned waits, interpolated as :func:`numpy.quantile` does.

    Each order statistic is known to its bin (within :data:`WAIT_RESOLUTION_S`),
    so the interpolated quantile is too.
    """
    n = int(cumulative[-1])
    h = (n - 1) * q
    below = math.floor(h)
    above = min(below + 1, n - 1)

    def order_statistic(i: int) -> float:
        return float(bins[np.searchsorted(cumulative, i + 1)]) / _BINS_PER_SECOND

    low = order_statistic(below)
    return low + (h - below) * (order_statistic(above) - low)
