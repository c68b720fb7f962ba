"""Call and offer records, kept as columns while the simulation runs.

The engine appends plain numbers to typed arrays (8 bytes a float, 1 byte an
outcome code); nothing per call survives but those numbers. At the end the
columns become tidy pandas tables with categorical labels. Times are in
seconds, each a whole number of microseconds (the model's time resolution,
see :mod:`huntsim.sim.clock`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.analysis.catalog import OUTCOMES

__all__ = [
    "ABSENCES",
    "CALL_KINDS",
    "OFFER_RESULTS",
    "Absence",
    "CallLog",
    "OfferResult",
    "Outcome",
    "Recorder",
]

OFFER_RESULTS: tuple[str, ...] = ("answered", "no_answer", "caller_hung_up", "answered_elsewhere")
CALL_KINDS: tuple[str, ...] = ("pilot", "direct")
ABSENCES: tuple[str, ...] = ("logged_out", "away", "not_ready")


class Outcome:
    """Codes of :data:`huntsim.analysis.catalog.OUTCOMES`, as stored."""

    ANSWERED = 0
    VOICEMAIL = 1
    BUSY = 2
    NO_ANSWER = 3
    ABANDONED = 4
    FORWARDED = 5
    CALLED_BACK = 6
    CALLBACK_MISSED = 7


class OfferResult:
    """Codes of :data:`OFFER_RESULTS`, as stored."""

    ANSWERED = 0
    NO_ANSWER = 1
    CALLER_HUNG_UP = 2
    ANSWERED_ELSEWHERE = 3


class Absence:
    """Codes of :data:`ABSENCES`, as stored."""

    LOGGED_OUT = 0
    AWAY = 1
    NOT_READY = 2


PILOT, DIRECT = 0, 1


class Recorder(Protocol):
    """What the engine reports to: every finished call and every offer."""

    def add_call(self, call_id: int, kind: int, group: int, dialed: int, arrival: float,
                 outcome: int, agent: int, answer: float, talk: float, wrap_up: float,
                 end: float, offers: int, after_hours: bool) -> None:
        """A call ended (``group`` and ``agent`` are -1 when they do not apply)."""

    def add_offer(self, call_id: int, arrival: float, agent: int, start: float, end: float,
                  result: int) -> None:
        """A offer of the call that arrived at ``arrival`` ended."""

    def add_route(self, call_id: int, caller_id: int, attempt: int, forwards: int,
                  closed_hops: int, caller_arrival: float, caller_closed: bool,
                  hop_offers: tuple[int, ...]) -> None:
        """The call about to be added is a redial or was forwarded (else: its own
        caller, attempt 1, no forwards, reached one group). ``closed_hops``: bit
        ``h`` set when the h-th group it reached was closed (any ``h``); ``caller_arrival``
        and ``caller_closed``: when the caller's first attempt arrived and whether
        it was after hours; ``hop_offers``: the offers made in each group it was
        forwarded from, in order (the rest were made where it ended)."""

    def add_callback(self, call_id: int, at: float) -> None:
        """The call about to be added was called back (a group's ``callback``) at ``at``."""

    def add_waiting_offer(self, call_id: int, arrival: float, agent: int, start: float,
                          end: float, missed: bool) -> None:
        """The offer of the call (that arrived at ``arrival``) to ``agent`` from ``start``
        to ``end``, already added, rang as call waiting, while the agent talked on
        another call; ``missed``: it ended as no answer."""

    def add_hold(self, call_id: int, held: int, agent: int, start: float, end: float,
                 pilot: bool) -> None:
        """The call about to be added was answered as call waiting by ``agent``: their
        call ``held`` (through a pilot: ``pilot``) was on hold from ``start`` to ``end``."""

    def add_absence(self, agent: int, reason: int, start: float, end: float) -> None:
        """The agent is absent (an :class:`Absence` code) from ``start`` to ``end``."""


class CallLog:
    """Columns of calls and of offers.

    Parameters
    ----------
    agents : sequence of str
        Agent numbers; records store an agent as its index here.
    pilots : sequence of str
        Pilot numbers; records store a group as its index here.

    Notes
    -----
    A log keeps every record. A subclass that only needs sums (see
    :class:`huntsim.sim.totals.RunningTotals`) sets :attr:`fold_at`: once that
    many calls are buffered, :meth:`fold` is called to sum them and empty the
    columns.
    """

    fold_at: int = 2**62
    """Calls buffered before :meth:`fold` is called (a log never folds)."""

    def __init__(self, agents: Sequence[str], pilots: Sequence[str]) -> None:
        self.agent_numbers = list(agents)
        self.pilot_numbers = list(pilots)
        self.call_id = array("q")
        self.kind = array("b")
        self.group = array("h")
        self.dialed = array("i")
        self.arrival = array("d")
        self.outcome = array("b")
        self.agent = array("h")
        self.answer = array("d")
        self.talk = array("d")
        self.wrap_up = array("d")
        self.end = array("d")
        self.offers = array("h")
        self.after_hours_calls = array("q")
        self.absence_agent = array("h")
        self.absence_reason = array("b")
        self.absence_start = array("d")
        self.absence_end = array("d")
        self.offer_call = array("q")
        self.offer_agent = array("h")
        self.offer_start = array("d")
        self.offer_end = array("d")
        self.offer_result = array("b")
        # sparse: only calls that are redials or were forwarded
        self.route_call = array("q")
        self.route_caller = array("q")
        self.route_attempt = array("i")
        self.route_forwards = array("h")
        self.route_closed = array("q")
        # sparse: only calls that were called back (callback), and when
        self.callback_call = array("q")
        self.callback_at = array("d")
        # sparse: call waiting (hunt_groups[].call_waiting): its offers, and its holds
        self.waiting_offer_call = array("q")
        self.waiting_offer_agent = array("h")
        self.waiting_offer_start = array("d")
        self.hold_call = array("q")
        self.hold_held = array("q")
        self.hold_length = array("d")
        # closed hops of the rare call that reached 63 groups or more: too wide for a column
        self.route_closed_wide: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.call_id)

    def add_call(self, call_id: int, kind: int, group: int, dialed: int, arrival: float,
                 outcome: int, agent: int, answer: float, talk: float, wrap_up: float,
                 end: float, offers: int, after_hours: bool = False) -> None:
        """Append one call."""
        self.call_id.append(call_id)
        self.kind.append(kind)
        self.group.append(group)
        self.dialed.append(dialed)
        self.arrival.append(arrival)
        self.outcome.append(outcome)
        self.agent.append(agent)
        self.answer.append(answer)
        self.talk.append(talk)
        self.wrap_up.append(wrap_up)
        self.end.append(end)
        self.offers.append(offers)
        if after_hours:
            self.after_hours_calls.append(call_id)
        if len(self.call_id) >= self.fold_at:
            self.fold()

    def fold(self) -> None:
        """Sum the buffered records and empty the columns (a log keeps them)."""

    def add_offer(self, call_id: int, arrival: float, agent: int, start: float, end: float,
                  result: int) -> None:
        """Append one offer."""
        self.offer_call.append(call_id)
        self.offer_agent.append(agent)
        self.offer_start.append(start)
        self.offer_end.append(end)
        self.offer_result.append(result)

    def add_route(self, call_id: int, caller_id: int, attempt: int, forwards: int,
                  closed_hops: int = 0, caller_arrival: float = 0.0,
                  caller_closed: bool = False, hop_offers: tuple[int, ...] = ()) -> None:
        """Note that a call is a redial or was forwarded (the caller's first
        attempt is in the table, or before it; each offer's group is its agent's)."""
        self.route_call.append(call_id)
        self.route_caller.append(caller_id)
        self.route_attempt.append(attempt)
        self.route_forwards.append(forwards)
        if closed_hops >> 63:
            self.route_closed_wide[call_id] = closed_hops
            closed_hops = 0
        self.route_closed.append(closed_hops)

    def add_callback(self, call_id: int, at: float) -> None:
        """Note that the call was called back at ``at`` (seconds)."""
        self.callback_call.append(call_id)
        self.callback_at.append(at)

    def add_waiting_offer(self, call_id: int, arrival: float, agent: int, start: float,
                          end: float, missed: bool) -> None:
        """Note that an offer rang as call waiting (its result is in the offers table)."""
        self.waiting_offer_call.append(call_id)
        self.waiting_offer_agent.append(agent)
        self.waiting_offer_start.append(start)

    def add_hold(self, call_id: int, held: int, agent: int, start: float, end: float,
                 pilot: bool) -> None:
        """Note that the call was answered as call waiting, holding call ``held``."""
        self.hold_call.append(call_id)
        self.hold_held.append(held)
        self.hold_length.append(end - start)

    def add_absence(self, agent: int, reason: int, start: float, end: float) -> None:
        """Append one absence."""
        self.absence_agent.append(agent)
        self.absence_reason.append(reason)
        self.absence_start.append(start)
        self.absence_end.append(end)

    def absences_frame(self) -> pd.DataFrame:
        """One row per absence (logged out, away, not ready), by agent and start."""
        start = np.frombuffer(self.absence_start, dtype="f8")
        agent = np.frombuffer(self.absence_agent, dtype="i2")
        order = np.lexsort((start, agent))
        return pd.DataFrame({
            "agent": _labels(agent[order], self.agent_numbers),
            "reason": _labels(np.frombuffer(self.absence_reason, dtype="i1")[order], ABSENCES),
            "start_s": start[order],
            "end_s": np.frombuffer(self.absence_end, dtype="f8")[order],
        })

    def nbytes(self) -> int:
        """Bytes held by the columns."""
        columns = [v for v in vars(self).values() if isinstance(v, array)]
        return sum(column.itemsize * len(column) for column in columns)

    def calls_frame(self, first_call: int = 0) -> pd.DataFrame:
        """One row per call with ``call_id >= first_call``, ordered by ``call_id``.

        The log is left as it was; :meth:`take_tables` builds the same table
        with less memory by emptying the log as it goes.
        """
        ids = np.frombuffer(self.call_id, dtype=np.int64)
        keep = np.flatnonzero(ids >= first_call)
        keep = keep[np.argsort(ids[keep], kind="stable")]
        return self._calls_table(lambda name, dtype: np.frombuffer(
            getattr(self, name), dtype=dtype)[keep])

    def offers_frame(self, first_call: int = 0) -> pd.DataFrame:
        """One row per offer of calls with ``call_id >= first_call``."""
        ids = np.frombuffer(self.offer_call, dtype=np.int64)
        start = np.frombuffer(self.offer_start, dtype="f8")
        keep = np.flatnonzero(ids >= first_call)
        keep = keep[np.lexsort((start[keep], ids[keep]))]
        return self._offers_table(lambda name, dtype: np.frombuffer(
            getattr(self, name), dtype=dtype)[keep])

    def take_tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The tables of every call and offer, emptying the log.

        Each column is copied into its table in order and its record is
        released at once, and no column is copied twice: converting needs
        little more memory than the tables themselves. The tables are those of
        :meth:`calls_frame` and :meth:`offers_frame`.
        """
        ids = np.frombuffer(self.call_id, dtype=np.int64)
        order = _compact(np.argsort(ids, kind="stable"))
        del ids
        calls = self._calls_table(lambda name, dtype: self._take(name, dtype, order))
        ids = np.frombuffer(self.offer_call, dtype=np.int64)
        order = _compact(np.lexsort((np.frombuffer(self.offer_start, dtype="f8"), ids)))
        del ids
        offers = self._offers_table(lambda name, dtype: self._take(name, dtype, order))
        return calls, offers

    def _take(self, name: str, dtype: str, order: NDArray[Any]) -> NDArray[Any]:
        """Column ``name`` in ``order``, its record released."""
        values: NDArray[Any] = np.frombuffer(getattr(self, name), dtype=dtype)[order]
        setattr(self, name, array(getattr(self, name).typecode))
        return values

    def _calls_table(self, column: Any) -> pd.DataFrame:
        """The calls table from ``column(name, dtype)``, each record's values in
        row order (called once per record)."""
        call_ids = column("call_id", "i8")
        caller_id, attempt, forwards, closed = self._routes(call_ids)
        after_hours = np.zeros(len(call_ids), dtype=bool)
        after_hours[_rows_of(call_ids, np.frombuffer(self.after_hours_calls, np.int64))[0]] = True
        closed |= after_hours  # bit 0: closed when dialled
        table: dict[str, Any] = {
            "call_id": call_ids,
            "kind": _labels(column("kind", "i1"), CALL_KINDS),
            "group": _labels(column("group", "i2"), self.pilot_numbers),
            "dialed": _labels(column("dialed", "i4"), self.pilot_numbers + self.agent_numbers),
            "arrival_s": column("arrival", "f8"),
            "outcome": _labels(column("outcome", "i1"), OUTCOMES),
            "agent": _labels(column("agent", "i2"), self.agent_numbers),
            "answer_s": column("answer", "f8"),
        }
        # both are whole microseconds: so is their difference
        wait = np.subtract(table["answer_s"], table["arrival_s"])
        table["wait_s"] = np.round(wait, 6, out=wait)
        table["talk_s"] = column("talk", "f8")
        table["wrap_up_s"] = column("wrap_up", "f8")
        table["end_s"] = column("end", "f8")
        table["offers"] = column("offers", "i2")
        table.update(after_hours=after_hours, caller_id=caller_id, attempt=attempt,
                     forwards=forwards, closed_hops=closed)
        if len(self.callback_call):  # (only when some group called back)
            callback = np.full(len(call_ids), np.nan)
            rows, found = _rows_of(call_ids, np.frombuffer(self.callback_call, np.int64))
            at = np.frombuffer(self.callback_at, np.float64)[found]
            callback[rows] = np.round(at - table["arrival_s"][rows], 6)
            table["callback_s"] = callback
        if len(self.hold_call):  # (only when some call was answered as call waiting)
            table.update(self._holds(call_ids))
        return pd.DataFrame(table, copy=False)  # one block per column: nothing copied

    def _holds(self, call_ids: NDArray[np.int64]) -> dict[str, Any]:
        """Columns ``hold_s`` (time on hold of each call held, NaN elsewhere) and
        ``held_call`` (of a call answered as call waiting, the call it put on hold)."""
        hold = np.full(len(call_ids), np.nan)
        held_ids = np.frombuffer(self.hold_held, np.int64)
        lengths = np.frombuffer(self.hold_length, np.float64)
        rows, found = _rows_of(call_ids, held_ids)
        hold[rows] = 0.0
        np.add.at(hold, rows, lengths[found])  # a call may be held more than once
        held_call = pd.array(np.zeros(len(call_ids), np.int64), dtype="Int64")
        held_call[:] = pd.NA
        rows, found = _rows_of(call_ids, np.frombuffer(self.hold_call, np.int64))
        held_call[rows] = held_ids[found]
        return {"hold_s": np.round(hold, 6), "held_call": held_call}

    def _offers_table(self, column: Any) -> pd.DataFrame:
        """The offers table from ``column(name, dtype)`` (see :meth:`_calls_table`)."""
        table = {
            "call_id": column("offer_call", "i8"),
            "agent": _labels(column("offer_agent", "i2"), self.agent_numbers),
            "start_s": column("offer_start", "f8"),
            "end_s": column("offer_end", "f8"),
            "result": _labels(column("offer_result", "i1"), OFFER_RESULTS),
        }
        if len(self.waiting_offer_call):  # (only when some offer rang as call waiting)
            keys = pd.MultiIndex.from_arrays(
                [table["call_id"], table["agent"].codes, table["start_s"]])
            table["call_waiting"] = keys.isin(pd.MultiIndex.from_arrays([
                np.frombuffer(self.waiting_offer_call, np.int64),
                np.frombuffer(self.waiting_offer_agent, np.int16),
                np.frombuffer(self.waiting_offer_start, np.float64)]))
        return pd.DataFrame(table, copy=False)

    def _routes(self, call_ids: NDArray[np.int64],
                ) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int16],
                           NDArray[Any]]:
        """Caller, attempt (from 1), forwards and closed hops of each call in
        ``call_ids`` (sorted).

        Closed hops are a bit field with a bit per group reached: ``int16`` while
        every value fits (calls that reached at most 15 groups), else ``int64``,
        else (a call that reached 64 groups or more) Python integers.
        """
        caller_id = call_ids.copy()
        attempt = np.ones(len(call_ids), dtype=np.int32)
        forwards = np.zeros(len(call_ids), dtype=np.int16)
        rows, found = _rows_of(call_ids, np.frombuffer(self.route_call, dtype=np.int64))
        hops = np.frombuffer(self.route_closed, dtype=np.int64)[found]
        wide = np.iinfo(np.int16).max < (int(hops.max()) if len(hops) else 0)
        closed: NDArray[Any] = np.zeros(len(call_ids), dtype=np.int64 if wide else np.int16)
        if len(rows):
            caller_id[rows] = np.frombuffer(self.route_caller, dtype=np.int64)[found]
            attempt[rows] = np.frombuffer(self.route_attempt, dtype=np.int32)[found]
            forwards[rows] = np.frombuffer(self.route_forwards, dtype=np.int16)[found]
            closed[rows] = hops
        if self.route_closed_wide:
            closed = closed.astype(object)
            calls = np.fromiter(self.route_closed_wide, dtype=np.int64)
            where, there = _rows_of(call_ids, calls)
            values = np.array(list(self.route_closed_wide.values()), dtype=object)
            closed[where] = values[there]
        return caller_id, attempt, forwards, closed


def _rows_of(sorted_ids: NDArray[np.int64], ids: NDArray[np.int64],
             ) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Rows of ``sorted_ids`` holding ``ids``, and which of ``ids`` are there."""
    where = np.searchsorted(sorted_ids, ids)
    found = where < len(sorted_ids)
    found[found] = sorted_ids[where[found]] == ids[found]
    return where[found], found


def _compact(order: NDArray[np.intp]) -> NDArray[Any]:
    """Row positions in the smallest integer type that holds them."""
    return order.astype(np.int32) if len(order) < 2**31 else order


def _labels(codes: NDArray[Any], categories: Sequence[str]) -> pd.Categorical:
    """Codes as a categorical; code -1 is missing."""
    labels: pd.Categorical = pd.Categorical.from_codes(
        codes, categories=pd.Index(list(categories), dtype=object)
    )
    return labels
