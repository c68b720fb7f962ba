"""Members from ring events and presence: answer probability, pick-up delay, schedules, pauses.

**Answer probability and delay.** Each ring of a member is a race between the
member's pick-up and the ring's end: a ``CONNECT`` is a pick-up after its ring
time; a ``RINGNOANSWER`` rang the whole time-out without one; a ring cut short
(another member answered, the caller hung up) is censored where it stopped.
The Kaplan-Meier estimate of the time to pick-up, read at the time-out, gives
the chance of answering a ring (with Greenwood's interval); the delay is the
empirical distribution of the observed pick-up times (so every fitted delay is
within the time-out, as the log's are).

**Schedules and pauses.** From log-ins, log-outs and pauses, each member's
state is known at every moment. A member is scheduled in a weekday's
quarter-hour when logged in for at least half of the log's days of that
weekday at its middle; pauses (other than automatic ones) become ``away``:
their rate per logged-in hour and the distribution of their lengths.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from huntsim.fit.times import empirical_values, fit_times, kaplan_meier
from huntsim.fit.traffic import WEEKDAYS, poisson_interval

__all__ = ["answering", "presence_table", "ring_answer", "schedule_windows", "time_out"]

SLOT_S = 900.0
AUTO_PAUSE = ("auto-pause", "autopause", "auto")


def time_out(rings: pd.DataFrame) -> float | None:
    """The ring time-out read from the log: the median length of rings that rang out."""
    out = rings.loc[rings["result"] == "no_answer", "ring_s"].dropna()
    return float(out.median()) if len(out) else None


def ring_answer(rings: pd.DataFrame, limit: float, confidence: float = 0.95) -> dict[str, Any]:
    """The chance that a ring of ``rings`` is picked up within ``limit`` seconds
    (Kaplan-Meier of the rings' times, a ring not picked up censored where it ended),
    with its interval (Greenwood's; Clopper-Pearson when all or none were picked up),
    and the pick-up delay of the answered rings (``delay_mean``, ``delay_low``,
    ``delay_high``, ``delay_spec``) where some were."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    r = rings.dropna(subset=["ring_s"])
    answered = (r["result"] == "answered").to_numpy()
    times = np.minimum(r["ring_s"].to_numpy(dtype=float), limit)
    if len(r) == 0:
        return {"p": np.nan, "p_low": np.nan, "p_high": np.nan}
    km = kaplan_meier(times, answered)
    km = km[km["time"] <= limit]
    survival = float(km["survival"].iloc[-1]) if len(km) else 1.0
    se = float(km["se"].iloc[-1]) if len(km) else 0.0
    p = 1 - survival
    if se == 0.0:  # all or none answered: the exact binomial (Clopper-Pearson) bound
        n = len(r)
        a = int(answered.sum())
        low = stats.beta.ppf((1 - confidence) / 2, a, n - a + 1) if a > 0 else 0.0
        high = stats.beta.ppf(0.5 + confidence / 2, a + 1, n - a) if a < n else 1.0
    else:
        low, high = max(p - z * se, 0.0), min(p + z * se, 1.0)
    delays = r.loc[answered, "ring_s"].to_numpy(dtype=float)
    out: dict[str, Any] = {"p": p, "p_low": float(low), "p_high": float(high)}
    if len(delays):
        fit = fit_times(delays, confidence)
        spec = ({"dist": "empirical", "values": empirical_values(delays)}
                if delays.std() > 0 else f"{delays[0]:g}s")
        out.update(delay_mean=fit.mean, delay_low=fit.low, delay_high=fit.high,
                   delay_spec=spec)
    return out


def answering(rings: pd.DataFrame, members: list[str], timeout: float | None,
              confidence: float = 0.95, min_rings: int = 20) -> pd.DataFrame:
    """Per member: chance of answering a ring within the time-out, and the pick-up delay.

    Returns
    -------
    DataFrame
        ``agent``, ``rings``, ``answered``, ``rang_out``, ``cut_short``, ``p``,
        ``p_low``, ``p_high``, ``delay_mean``, ``delay_low``, ``delay_high``,
        ``delay_spec`` (a scenario distribution), ``pooled`` (True when the
        member had fewer than ``min_rings`` rings and takes the group's values).
    """
    limit = timeout if timeout is not None else float(rings["ring_s"].max(skipna=True) or 0)

    def estimate(r: pd.DataFrame) -> dict[str, Any]:
        return ring_answer(r, limit, confidence)

    pooled = estimate(rings)
    rows = []
    for member in members:
        own = rings[rings["agent"] == member]
        counts = {"rings": len(own), "answered": int((own["result"] == "answered").sum()),
                  "rang_out": int((own["result"] == "no_answer").sum()),
                  "cut_short": int((own["result"] == "cancelled").sum())}
        few = len(own) < min_rings or counts["answered"] < 2
        values = pooled if few else {**pooled, **estimate(own)}
        rows.append({"agent": member, **counts, **values, "pooled": few})
    return pd.DataFrame(rows)


def presence_table(presence: pd.DataFrame, member: str, start: pd.Timestamp,
                   end: pd.Timestamp) -> pd.DataFrame:
    """The member's ``logged_out`` and ``paused`` stretches (with reasons) in ``[start, end)``.

    Before a member's first log-in or log-out event the state is the opposite
    of that event (a first log-out means the member was logged in); a member
    with no such events is logged in throughout. Pauses are only pauses while
    logged in: an ``unpause`` with no ``pause`` before it ends nothing (Issabel
    writes one after every log-in), a pause still open at a log-out ends there,
    a pause while logged out is no pause, nor one undone at the same instant.
    """
    rows = presence[presence["agent"] == member].sort_values("time", kind="stable")
    sessions = rows[rows["event"].isin(["login", "logout"])]
    logged_in = not len(sessions) or sessions["event"].iloc[0] == "logout"
    out_since = start
    paused: tuple[pd.Timestamp, str] | None = None
    stretches = []
    for time, event, why in zip(rows["time"], rows["event"], rows["reason"], strict=True):
        if event == "logout" and paused is not None:
            stretches.append(("paused", paused[0], time, paused[1]))
            paused = None
        if event == "logout" and logged_in:
            logged_in, out_since = False, time
        elif event == "login" and not logged_in:
            stretches.append(("logged_out", out_since, time, ""))
            logged_in = True
        elif event == "pause" and logged_in and paused is None:
            paused = (time, str(why or ""))
        elif event == "unpause" and paused is not None:
            stretches.append(("paused", paused[0], time, paused[1]))
            paused = None
    if not logged_in:
        stretches.append(("logged_out", out_since, end, ""))
    if paused is not None:
        stretches.append(("paused", paused[0], end, paused[1]))
    table = pd.DataFrame(stretches, columns=["state", "start", "end", "reason"])
    table = table[table["end"] > table["start"]]  # a pause undone at once is none
    order = table["state"].map({"logged_out": 0, "paused": 1})
    return table.assign(_order=order).sort_values(["_order", "start"], kind="stable") \
        .drop(columns="_order").reset_index(drop=True)


def _inside(stamps: pd.DatetimeIndex, stretches: pd.DataFrame) -> np.ndarray[Any, Any]:
    inside = np.zeros(len(stamps), dtype=bool)
    for begin, finish in zip(stretches["start"], stretches["end"], strict=True):
        inside |= (stamps >= begin) & (stamps < finish)
    return inside


def schedule_windows(stretches: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                     notes: list[str] | None = None,
                     member: str = "") -> list[str] | None:
    """Windows (``"mon 08:00-11:30"``) when the member is usually logged in; ``None``: always.

    A quarter-hour of a weekday is in the schedule when the member was logged
    in at its middle on at least half of the log's days of that weekday (the
    time before the member's first log-in or log-out is not counted). A
    member logged in on fewer days than that (a small share of the time, or
    on no fixed days) would get less than half their logged-in time so, and
    gets instead the quarter-hours they were most often logged in, as many as
    their logged-in quarter-hours per week (a sentence saying so goes to
    ``notes``); never round-the-clock presence.
    """
    out = stretches[stretches["state"] == "logged_out"]
    if not len(out):
        return None
    slots_per_day = int(86400 / SLOT_S)
    stamps = pd.date_range(start, end, freq=f"{int(SLOT_S)}s", inclusive="left") \
        + pd.Timedelta(seconds=SLOT_S / 2)
    logged_in = ~_inside(stamps, out)
    # before the member's first log-in or log-out the state is a guess: not counted
    first = out.sort_values("start", kind="stable").iloc[0]
    known = stamps >= (first["end"] if first["start"] <= start else first["start"])
    weekday = stamps.day_of_week.to_numpy()
    slot = (stamps.hour.to_numpy() * 3600 + stamps.minute.to_numpy() * 60) // int(SLOT_S)
    share = np.zeros((7, slots_per_day))
    for day in range(7):
        for s in range(slots_per_day):
            at = (weekday == day) & (slot == s) & known
            if np.any(at):
                share[day, s] = logged_in[at].mean()
    on = share >= 0.5
    per_week = float(share.sum())
    if on.sum() < per_week / 2:
        keep = round(per_week)
        order = np.argsort(-share, axis=None, kind="stable")[:max(keep, 1)]
        on = np.zeros_like(on)
        on.flat[order] = share.flat[order] > 0
        if notes is not None:
            notes.append(f"{member or 'a member'} was logged in on no fixed days "
                         f"({per_week * SLOT_S / 3600:.1f} h a week on average): the schedule "
                         "is the quarter-hours most often logged in, that many hours a week")
    windows: list[str] = []
    for day in range(7):
        s = 0
        while s < slots_per_day:
            if on[day, s]:
                e = s
                while e < slots_per_day and on[day, e]:
                    e += 1
                windows.append(f"{WEEKDAYS[day]} {_clock(s)}-{_clock(e)}")
                s = e
            else:
                s += 1
    if windows == [f"{d} 00:00-24:00" for d in WEEKDAYS]:
        return None
    return windows


def _clock(slot: int) -> str:
    minutes = int(slot * SLOT_S // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def away_fit(stretches: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
             confidence: float = 0.95) -> dict[str, Any] | None:
    """Pauses (not automatic ones) as ``away``: rate per logged-in, unpaused hour, and length.

    ``None`` when the member never paused.
    """
    paused = stretches[(stretches["state"] == "paused")
                       & ~stretches["reason"].str.lower().isin(AUTO_PAUSE)]
    if not len(paused):
        return None
    total = (end - start).total_seconds()
    out = stretches[stretches["state"] == "logged_out"]
    logged_in = total - float((out["end"] - out["start"]).dt.total_seconds().sum())
    lengths = (paused["end"] - paused["start"]).dt.total_seconds().to_numpy()
    exposure_h = max(logged_in - float(lengths.sum()), 1.0) / 3600.0
    low, high = poisson_interval(len(paused), exposure_h, confidence)
    length = fit_times(lengths, confidence)
    return {"count": len(paused), "rate_per_h": len(paused) / exposure_h, "rate_low": low,
            "rate_high": high, "length": length,
            "auto_pauses": int(len(stretches[stretches["state"] == "paused"]) - len(paused))}


