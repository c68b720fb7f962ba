"""What a log hints about the settings a PBX does not log, and rough stand-ins.

Used by :func:`huntsim.fit.fit` where neither the command line nor ``--base``
gives a value; each is reported as "read from the log" or "guessed":

- the policy: ``simultaneous`` when a call's rings start together, ``regular``
  when one member is rung first in most calls, else ``circular``, with the counts
  behind the guess; rounds (a member rung again for the same call) and the pause
  between them, and the queue's time-out;
- queueing: callers waiting with no phone ringing;
- opening hours (logs without presence): the hours in which calls were answered;
- a rough answer probability and pick-up delay from answered waits (logs without rings);
- wrap-up, from the gaps before a member takes a caller who was already waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from huntsim.fit.logs.common import LogData
from huntsim.fit.times import empirical_values, fit_times
from huntsim.fit.traffic import WEEKDAYS

__all__ = ["MIN_ROUGH", "MIN_TIMEOUTS", "PolicyGuess", "by_first_ring", "number_order",
           "open_hours", "policy_evidence", "policy_from_rings", "queue_timeout",
           "queueing_from_rings", "rough_answering", "timeouts_seen", "wrap_up_gaps"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PolicyGuess:
    """What the rings of a log say about the hunt.

    Attributes
    ----------
    policy : str
        ``simultaneous``, ``regular`` or ``circular``.
    evidence : str
        The counts behind the guess, in words.
    rerung_calls : int
        Calls in which some member was rung more than once (rounds: the queue rang
        its members again, as Asterisk does until the queue's time-out).
    rering : float or None
        With rounds: the median pause between one round's last ring and the next
        round's first (s), else ``None``.
    """

    policy: str
    evidence: str
    rerung_calls: int = 0
    rering: float | None = None


TOGETHER_S = 1.0
"""Rings of one call whose starts are at most this far apart rang together."""
TOGETHER_WITH_PENALTIES = 0.1
"""Share of the calls that rang two or more members which rang some together, enough
for ``simultaneous`` where the log shows members of different penalties."""


def policy_from_rings(log: LogData) -> str | None:
    """``simultaneous`` when a call's rings start together; ``regular`` when one member
    is rung first in most calls; else ``circular`` (rotation); ``None`` without rings."""
    guess = policy_evidence(log)
    return guess.policy if guess is not None else None


def policy_evidence(log: LogData) -> PolicyGuess | None:
    """The hunt policy the rings show, with the counts behind it; ``None`` without rings.

    The rings of each call are cut into *rounds*: rings whose starts lie within
    :data:`TOGETHER_S` of one another rang together. ``simultaneous`` when at least
    80 % of the calls that rang two or more members rang two or more together
    (Asterisk's ``ringall``, whose rounds repeat: those count once each); else
    ``regular`` when one member is rung first in most calls; else ``circular``. A
    member rung more than once for one call shows rounds (re-ringing). With members
    of different penalties (``PENALTY`` lines) :data:`TOGETHER_WITH_PENALTIES` of those
    calls suffice: a ringall queue then rings only the free members of the lowest
    penalty, often one, while a one-at-a-time hunt never starts two rings together.
    """
    rings = log.rings.dropna(subset=["ring_s"])
    if not len(rings):
        return None
    starts = rings.assign(start=rings["end"] - pd.to_timedelta(rings["ring_s"], unit="s"))
    starts = starts.sort_values(["call_id", "start"], kind="stable")
    seconds = (starts["start"] - starts["start"].min()).dt.total_seconds().to_numpy()
    ends = (starts["end"] - starts["start"].min()).dt.total_seconds().to_numpy()
    calls = starts["call_id"].to_numpy()
    agents = starts["agent"].astype(str).to_numpy()
    new_call = np.r_[True, calls[1:] != calls[:-1]]
    new_round = new_call | np.r_[True, np.diff(seconds) > TOGETHER_S]
    round_id = np.cumsum(new_round)
    frame = pd.DataFrame({"call": calls, "round": round_id, "agent": agents,
                          "start": seconds, "end": ends})
    per_round = frame.groupby("round").agg(call=("call", "first"), size=("agent", "nunique"),
                                           start=("start", "min"), end=("end", "max"))
    per_call = frame.groupby("call").agg(members=("agent", "nunique"), rings=("agent", "size"))
    several = per_call.index[per_call["members"] >= 2]
    biggest = per_round.groupby("call")["size"].max()
    together = biggest.loc[several] >= 2
    rerung = int((per_call["rings"] > per_call["members"]).sum())
    gaps = (per_round["start"].to_numpy()[1:] - per_round["end"].to_numpy()[:-1])[
        per_round["call"].to_numpy()[1:] == per_round["call"].to_numpy()[:-1]]
    rering = float(max(0.0, round(float(np.median(gaps))))) if rerung and len(gaps) else None
    tiers = len(set(_penalties(log).values()) | {0}) > 1  # members without a line: 0
    if len(several) >= 10 and float(together.mean()) >= (TOGETHER_WITH_PENALTIES if tiers
                                                          else 0.8):
        size = int(np.median(biggest.loc[several][together]))
        everyone = len(log.members)
        who = f"all {everyone}" if size >= everyone else f"{size} of the {everyone}"
        return PolicyGuess("simultaneous", f"simultaneous: {int(together.sum())} of "
                           f"{len(several)} calls rang {who} members within "
                           f"{TOGETHER_S:g} s", rerung, rering)
    first = starts.groupby("call_id")["agent"].first().astype(str)
    turns = f"{int((~together).sum())} of {len(several)} calls rang members one at a time"
    if len(first) >= 10:
        share = first.value_counts()
        top, count = str(share.index[0]), int(share.iloc[0])
        if count / len(first) > 0.5:
            return PolicyGuess("regular", f"regular: {top} rung first in {count} of "
                               f"{len(first)} calls; {turns}", rerung, rering)
        return PolicyGuess("circular", f"circular: {turns}, and no member first in most "
                           f"calls (most often {top}: {count} of {len(first)})", rerung, rering)
    return PolicyGuess("circular", f"circular: too few calls to tell ({turns})", rerung, rering)


def _penalties(log: LogData) -> dict[str, int]:
    """Each member's penalty when most calls came (members with a ``PENALTY`` line)."""
    if log.penalties is None or not len(log.penalties):
        return {}
    from huntsim.fit.acd import member_penalties  # (acd reads the fitted office's keys)

    pilot = log.calls[log.calls["kind"] == "pilot"]
    return member_penalties(log.penalties, log.members, pilot["arrival"])[0]


MIN_TIMEOUTS = 5
"""Fewer calls let go by the queue's time-out than this: the time-out is read only where
they all agree to the second."""


def _timeouts(log: LogData) -> FloatArray:
    """Waits of the calls the queue let go after ringing (``EXITWITHTIMEOUT``, voicemail)."""
    calls = log.calls[(log.calls["kind"] == "pilot") & (log.calls["outcome"] == "voicemail")]
    return calls.loc[calls["rings"].fillna(0) > 0, "leave_s"].dropna().to_numpy(dtype=float)


def queue_timeout(log: LogData) -> tuple[float, int, int] | None:
    """The queue's time-out (``max_wait``) where the log shows one: most calls the
    queue let go after ringing (``EXITWITHTIMEOUT``, read as voicemail) left within
    2 s of one wait; with fewer than :data:`MIN_TIMEOUTS` such calls, all at the same
    whole second. Returns ``(seconds, calls at it, calls let go)``, else ``None``."""
    left = _timeouts(log)
    if len(left) < MIN_TIMEOUTS:
        if len(left) and float(np.ptp(np.round(left))) == 0 and left[0] > 0:
            return float(round(left[0])), len(left), len(left)
        return None
    middle = float(np.median(left))
    near = int((np.abs(left - middle) <= 2.0).sum())
    if near / len(left) < 0.6 or middle <= 0:
        return None
    return float(round(middle)), near, len(left)


def timeouts_seen(log: LogData) -> str:
    """What the log shows of the queue's time-out, for a message: ``1 call timed out, at
    300 s (5 needed)``."""
    left = np.sort(np.round(_timeouts(log)))
    if not len(left):
        return "no call timed out of the queue after ringing (no EXITWITHTIMEOUT)"
    shown = ", ".join(f"{v:g}" for v in left[:5]) + (", ..." if len(left) > 5 else "")
    calls = "1 call" if len(left) == 1 else f"{len(left)} calls"
    need = f"; {MIN_TIMEOUTS} needed unless all agree" if len(left) < MIN_TIMEOUTS \
        else "; no one wait for most of them"
    return f"{calls} timed out of the queue, at {shown} s{need}"


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


MIN_ROUGH = 20
"""Fewer answered calls within the time-out than this: the rough answer probability and
delay are fitted with a warning (wide intervals); fewer than 2: not fitted."""


def rough_answering(pilot_calls: pd.DataFrame, timeout: float) -> dict[str, Any] | None:
    """Without rings (a CDR), the first member rung is taken to answer the calls answered
    within one time-out: their waits are the pick-up delays, their share of the answered
    calls the answer probability. Rough: a wait also holds queueing and earlier rings."""
    waits = pilot_calls.loc[pilot_calls["outcome"] == "answered",
                            "wait_s"].dropna().to_numpy(dtype=float)
    quick = waits[waits <= timeout]
    if len(quick) < 2:
        return None  # fewer than MIN_ROUGH: fitted all the same, with wide intervals
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


def wrap_up_gaps(log: LogData) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Wrap-up seen in a queue_log, as censored observations.

    After a member's answered call ends while a caller waits in the queue (waiting, not
    ringing anyone), the member is rung again as soon as their wrap-up is over, unless the
    queue empties first (others took the callers). A next ring while callers still wait is
    a wrap-up observed (to the log's whole seconds); a queue emptying first only says the
    wrap-up was longer (censored). The member's next ring may be in another queue of the
    log (:attr:`LogData.other_rings`: a member of several queues serves the other one
    first, as its weight or its waiting callers decide): it ends the wrap-up all the same,
    instead of the call there being read as wrap-up. A caller who left a queue by a key
    (:attr:`LogData.key_exits`) may be called back by a member, unseen, until the queue
    rings someone who came after them: a gap that begins in such a window is left out,
    and one in which such a window begins is censored there. Periods in which the
    member's presence changed are left out. Fit the result with a censored likelihood
    (:func:`fit_patience` does).

    Returns
    -------
    times : ndarray
        Seconds from the call's end to the next ring, or to the queue emptying.
    seen : ndarray of bool
        True where the next ring came first (the wrap-up itself).
    """
    empty = (np.array([], dtype=float), np.array([], dtype=bool))
    calls = log.calls[log.calls["kind"] == "pilot"]
    rings = log.rings.dropna(subset=["ring_s"])
    if not len(rings):
        return empty
    rings = rings.assign(start=rings["end"] - pd.to_timedelta(rings["ring_s"], unit="s"))
    stay = calls["wait_s"].where(calls["outcome"] == "answered", calls["leave_s"])
    ok = stay.notna()
    exit_time = calls.loc[ok, "arrival"] + pd.to_timedelta(stay[ok], unit="s")
    # callers waiting and not ringing: +1 on arrival and at a ring's end, -1 at a ring's
    # start and on leaving (a ring that ends the wait cancels against the leaving)
    times = np.concatenate([calls.loc[ok, "arrival"].to_numpy(), rings["end"].to_numpy(),
                            rings["start"].to_numpy(), exit_time.to_numpy()])
    steps = np.concatenate([np.ones(int(ok.sum())), np.ones(len(rings)),
                            -np.ones(len(rings)), -np.ones(int(ok.sum()))])
    order = np.lexsort((steps, times))  # at one instant the decreases first
    times, level = times[order], np.cumsum(steps[order])
    answered = calls[(calls["outcome"] == "answered") & calls["talk_s"].notna()
                     & calls["wait_s"].notna()]
    done = (answered["arrival"] + pd.to_timedelta(answered["wait_s"] + answered["talk_s"],
                                                  unit="s")).to_numpy()
    # a ring in another queue of the log ends a wrap-up too (the member was free then)
    starts = rings[["agent", "start"]]
    if log.other_rings is not None and len(log.other_rings):
        starts = pd.concat([starts, log.other_rings[["agent", "start"]]], ignore_index=True)
    by_agent = {str(a): r["start"].sort_values().to_numpy()
                for a, r in starts.groupby("agent")}
    presence = {str(a): p["time"].sort_values().to_numpy()
                for a, p in log.presence.groupby("agent")}
    left, until = _key_windows(log)
    gaps, seen = [], []
    for agent, finish in zip(answered["agent"].astype(str), done, strict=True):
        at = int(np.searchsorted(times, finish, side="right")) - 1
        if at < 0 or level[at] <= 0:
            continue  # nobody waiting: the member simply went idle
        later = np.flatnonzero(level[at:] <= 0)
        emptied = times[at + int(later[0])] if len(later) else None
        own = by_agent.get(agent, np.array([], dtype="datetime64[ns]"))
        i = int(np.searchsorted(own, finish, side="left"))
        ring = own[i] if i < len(own) else None
        end = ring if emptied is None or (ring is not None and ring <= emptied) else emptied
        if end is None or bool(((left <= finish) & (until > finish)).any()):
            continue  # a call back (a caller who left by a key) may be due: unseen work
        keyed = left[(left > finish) & (left < end)]
        if len(keyed):  # one may fall due meanwhile: the wrap-up lasted at least till then
            end = keyed.min()
        changes = presence.get(agent)
        if changes is not None and bool(((changes > finish) & (changes < end)).any()):
            continue  # paused or logged out meanwhile
        gaps.append((end - finish) / np.timedelta64(1, "s"))
        seen.append(ring is not None and end == ring)
    return np.asarray(gaps, dtype=float), np.asarray(seen, dtype=bool)


def _key_windows(log: LogData) -> tuple[NDArray[np.datetime64], NDArray[np.datetime64]]:
    """When each caller who left by a key left, and until when a call back of theirs may
    keep a member busy unseen (the log's end where no later caller rang)."""
    keys = log.key_exits
    if keys is None or not len(keys):
        none = np.array([], dtype="datetime64[ns]")
        return none, none
    left = keys["left"].to_numpy(dtype="datetime64[ns]")
    until = keys["served_by"].fillna(max(pd.Timestamp(log.end), keys["left"].max()))
    return left, until.to_numpy(dtype="datetime64[ns]")
