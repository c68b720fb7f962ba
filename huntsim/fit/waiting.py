"""Call waiting in a queue_log: rings to a member who is already on a call.

Asterisk rings a member who is on a call only with ``ringinuse=yes`` (``app_queue.c``:
a member in use is skipped unless the queue or member allows it), and the log has no
marker for it: the ring is an ordinary ``RINGNOANSWER``, ``RINGCANCELED`` or
``CONNECT``. What the log does show is when each member was on a call: from the
``CONNECT`` to the ``COMPLETECALLER``/``COMPLETEAGENT`` (or transfer) of every call they
answered, in any queue of the log (:attr:`LogData.busy`). A ring that began while the
member was on another call is call waiting:

- it is left out of the member's answer probability (a member on a call picks up far
  less often; counted in, it drags the answer probability down and looks like rounds);
- with at least :data:`MIN_WAITING_RINGS` of them, and a policy that rings one member at
  a time, the fitted group gets ``call_waiting: true`` and ``call_waiting_answer``: the
  Kaplan-Meier share of those rings picked up within the time-out (a ring cut short,
  by the caller or by the member's call ending, censored where it stopped), the
  counterpart of the members' answer probability;
- otherwise a warning says they were seen and not fitted.

A call waiting picked up puts the member's call on hold, and the held call's call time
(``COMPLETE*``) holds the hold, the caller being still bridged: :func:`without_holds`
takes the member's calls answered meanwhile out of it, so talk time is the talk (the
wrap-up of the call taken meanwhile, not logged, stays in).

Times in a queue_log are whole seconds (the ring's start is its line's second less its
milliseconds), so a ring that begins within :data:`EDGE_S` of the end of the member's
call cannot be told from the first ring after it: such rings are counted in neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from huntsim.fit.logs.common import LogData
from huntsim.fit.members import ring_answer
from huntsim.fit.work import Work, param
from huntsim.scenario.rules import RING_ALL_POLICIES

__all__ = ["EDGE_S", "MIN_WAITING_RINGS", "WAITING_ITEM", "WaitingRings", "fit_call_waiting",
           "waiting_rings", "waiting_row", "without_holds"]

EDGE_S = 1.0
"""A ring starting within this many seconds of the end of the member's call (the log's
whole seconds) may have begun just after it: neither call waiting nor an ordinary ring."""

WAITING_ITEM = "call waiting (rings to members on a call)"
"""The "Not in the log" row of the rings read as call waiting."""

MIN_WAITING_RINGS = 20
"""Fewer rings to members on a call than this: call waiting is not fitted (a warning
says so), as a member's answer probability is pooled below 20 rings."""


@dataclass(frozen=True)
class WaitingRings:
    """Which rings of :attr:`LogData.rings` rang a member on a call.

    Attributes
    ----------
    waiting : ndarray of bool
        Rang while the member was on another call (call waiting).
    unsure : ndarray of bool
        Began within :data:`EDGE_S` of the end of the member's call: left out of both.
    """

    waiting: NDArray[np.bool_]
    unsure: NDArray[np.bool_]

    @property
    def count(self) -> int:
        """Rings to members on a call."""
        return int(self.waiting.sum())

    def ordinary(self, log: LogData) -> LogData:
        """``log`` with only the rings to members who were not on a call."""
        from dataclasses import replace

        keep = ~(self.waiting | self.unsure)
        return replace(log, rings=log.rings[keep].reset_index(drop=True))


def _seconds(stamps: pd.Series) -> NDArray[np.float64]:
    return stamps.to_numpy(dtype="datetime64[ns]").astype("int64") / 1e9


def waiting_rings(log: LogData) -> WaitingRings | None:
    """Mark the rings that began while their member was on another call (``None`` where
    the log shows no member's calls: not a queue_log, or no answered call)."""
    rings, busy = log.rings, log.busy
    if busy is None or not len(busy) or not len(rings):
        return None
    start = _seconds(rings["end"]) - rings["ring_s"].to_numpy(dtype=float)
    agents = rings["agent"].astype(str).to_numpy()
    calls = rings["call_id"].astype(str).to_numpy()
    waiting = np.zeros(len(rings), dtype=bool)
    unsure = np.zeros(len(rings), dtype=bool)
    for agent, own in busy.groupby(busy["agent"].astype(str)):
        at = np.flatnonzero((agents == agent) & np.isfinite(start))
        if not len(at):
            continue
        begin, end = _seconds(own["start"]), _seconds(own["end"])
        ids = own["call_id"].astype(str).to_numpy()
        for chunk in np.array_split(at, max(1, len(at) // 2000)):
            s = start[chunk][:, None]
            other = ids[None, :] != calls[chunk][:, None]  # not the ring's own call
            # the call began by the ring's start (to the log's whole second) ...
            began = begin[None, :] - EDGE_S < s
            waiting[chunk] = (other & began & (s < end[None, :] - EDGE_S)).any(axis=1)
            unsure[chunk] = (other & began & (np.abs(s - end[None, :]) <= EDGE_S)).any(axis=1)
    unsure &= ~waiting
    return WaitingRings(waiting, unsure)


def fit_call_waiting(work: Work, found: WaitingRings | None, policy: str, timeout: float | None,
                     hunt: dict[str, Any], holds: int = 0, group: Any = None) -> None:
    """``call_waiting`` and ``call_waiting_answer`` of the fitted group (``hunt``): those of
    ``--base``'s ``group`` where it has call waiting, else from the rings to members on a
    call, or a warning why not."""
    if group is not None and group.call_waiting and policy not in RING_ALL_POLICIES:
        hunt["call_waiting"] = True
        hunt["call_waiting_answer"] = float(group.waiting_answer)
        work.settings.rows.append(("call_waiting", f"true, picked up "
                                   f"{group.waiting_answer:g}", "--base"))
        return
    if found is None or not found.count:
        return
    log, n = work.log, found.count
    rings = log.rings[found.waiting]
    seen = (f"{n} rings to a member already on a call (call waiting: Asterisk's ringinuse), "
            f"{int((rings['result'] == 'answered').sum())} picked up"
            + (f"; {holds} calls held meanwhile, their hold taken out of talk time"
               if holds else ""))
    if policy in RING_ALL_POLICIES:
        work.warnings.append(f"{seen}: left out of the members' answer probability, but the "
                             f"fitted policy ({policy}) rings several members at once and "
                             "has no call waiting in huntsim: the fitted office has none")
        return
    if n < MIN_WAITING_RINGS:
        work.warnings.append(f"{seen}: left out of the members' answer probability; too few "
                             f"to fit call waiting (under {MIN_WAITING_RINGS}): the fitted "
                             "office has none (give --base with call_waiting)")
        return
    limit = timeout if timeout is not None else float(log.rings["ring_s"].max(skipna=True))
    share = ring_answer(rings, limit, work.confidence)
    hunt["call_waiting"] = True
    hunt["call_waiting_answer"] = round(float(share["p"]), 4)
    param(work.params, "call waiting picked up (share of rings)", str(hunt["pilot"]),
          share["p"], share["p_low"], share["p_high"], "", n,
          "Kaplan-Meier of rings to members on a call")
    work.settings.rows.append(("call_waiting", f"true, picked up {share['p']:.3g}",
                               f"read from the log ({seen})"))


def waiting_row(found: WaitingRings | None) -> tuple[str, str, str] | None:
    """The "Not in the log" row of the rings to members on a call."""
    if found is None:
        return None
    return (WAITING_ITEM, str(found.count),
            "queue_log marks no call waiting: a ring that began while the member was on "
            "another call (CONNECT to COMPLETE, in any queue of the log) is read as one "
            f"(ringinuse); {int(found.unsure.sum())} rings within {EDGE_S:g} s of a call's "
            "end could be either and are counted in neither")


def without_holds(log: LogData) -> tuple[LogData, int]:
    """``log`` with each answered call's talk less the member's other calls answered
    during it (a call on hold while its member took a call waiting), and how many calls
    had some."""
    busy = log.busy
    calls = log.calls
    if busy is None or not len(busy):
        return log, 0
    held = np.zeros(len(busy))
    for _, own in busy.reset_index(drop=True).groupby(busy["agent"].astype(str).to_numpy()):
        order = np.argsort(_seconds(own["start"]), kind="stable")
        rows = own.index.to_numpy()[order]
        begin, end = _seconds(own["start"])[order], _seconds(own["end"])[order]
        first = np.searchsorted(begin, begin, side="right")  # calls begun after each
        last = np.searchsorted(begin, end, side="left")  # ... and before its end
        for i in np.flatnonzero(last > first):
            inner = slice(first[i], last[i])
            held[rows[i]] = float((np.minimum(end[inner], end[i]) - begin[inner]).sum())
    queue = str(calls["queue"].iloc[0]) if len(calls) else ""
    mine = (busy["queue"].astype(str) == queue).to_numpy() & (held > 0)
    less = pd.Series(held[mine], index=busy["call_id"].astype(str).to_numpy()[mine])
    less = less.groupby(level=0).sum()
    take = calls["call_id"].astype(str).map(less).fillna(0.0).to_numpy()
    if not (take > 0).any():
        return log, 0
    from dataclasses import replace

    talk = np.maximum(calls["talk_s"].to_numpy(dtype=float) - take, 0.0)
    return replace(log, calls=calls.assign(talk_s=talk)), int((take > 0).sum())
