"""Callers who left the queue by a key (queue_log's ``EXITWITHKEY``) in the fit.

A caller who pressed a key that leads out of the queue (``app_queue.c``'s
``valid_exit``: an extension of the queue's ``context``) had not hung up: what
follows is the dialplan's (a call-back request, voicemail, another menu) and not
in ``queue_log``. So:

- **caller patience**: they are censored at their wait, as an answered caller is
  (:func:`caller_patience`), not events; read as hang-ups they made patience come
  out far too short (the shipped support desk's 240 s read as 171 s; an office
  with many call backs 180 s as about 100 s);
- **"Not in the log"**: they are counted, with what they probably are
  (:func:`key_exit_note`);
- **a timed offer** (:func:`timed_offer`): where most of them left at one wait (at
  least :data:`TIMED_OFFER_SHARE` within 2 s of the median, and at least
  :data:`MIN_TIMED` of them), the queue offered something then, as huntsim's
  ``callback.offer_after`` does (its export writes every call back taken so).
  Its share taken is identifiable: those who left by the key then, out of the
  callers still queued and not ringing a member at that wait. Whether a call back
  followed and reached the caller is not: the fitted ``callback`` says ``reached``
  is assumed (1 unless ``--base`` gives the group's ``callback``). An offer that a
  periodic announcement repeats (key presses at any wait) is not fitted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from huntsim.fit.logs.common import LogData
from huntsim.fit.patience import PatienceFit, fit_patience
from huntsim.fit.work import Work

__all__ = ["KEY_EXITS", "MIN_ABANDONS", "MIN_TIMED", "TIMED_OFFER_SHARE", "TimedOffer",
           "callback_spec", "caller_patience", "key_exit_note", "keyed_calls", "timed_offer"]

MIN_ABANDONS = 5
"""Fewer abandoned calls than this: patience is not fitted (callers wait as long as it takes)."""
KEY_EXITS = "callers who left by a key"
"""The "Not in the log" item of the callers who left the queue by a key (``EXITWITHKEY``)."""
TIMED_OFFER_SHARE = 0.8
"""Key exits at one wait (within 2 s of their median) in this share or more: a timed offer."""
MIN_TIMED = 20
"""Fewer key exits than this: no timed offer is fitted."""


def _own_keys(log: LogData, pilot_calls: pd.DataFrame) -> np.ndarray:
    """Per row of ``pilot_calls``: the caller left the queue by a key."""
    keys = log.key_exits
    if keys is None or not len(keys) or not len(pilot_calls):
        return np.zeros(len(pilot_calls), dtype=bool)
    queue = str(pilot_calls["queue"].iloc[0])
    own = set(keys.loc[keys["queue"].astype(str) == queue, "call_id"].astype(str))
    return pilot_calls["call_id"].astype(str).isin(own).to_numpy()


def keyed_calls(work: Work, pilot_calls: pd.DataFrame) -> np.ndarray:
    """Per row of ``pilot_calls``: the caller left the queue by a key (``EXITWITHKEY``)."""
    return _own_keys(work.log, pilot_calls)


def caller_patience(work: Work, pilot_calls: pd.DataFrame) -> PatienceFit | None:
    """Caller patience by censored ML: the callers who hung up are the events; the answered,
    those the queue let go and those who left by a key (still on the line) are censored."""
    waits = pilot_calls["wait_s"].where(pilot_calls["outcome"] == "answered",
                                        pilot_calls["leave_s"])
    hung_up = (pilot_calls["outcome"] == "abandoned").to_numpy() \
        & ~keyed_calls(work, pilot_calls)
    keep = waits.notna().to_numpy()
    if int(hung_up[keep].sum()) < MIN_ABANDONS:
        work.warnings.append(f"only {int(hung_up[keep].sum())} abandoned calls: caller "
                             "patience not fitted (callers wait as long as it takes)")
        return None
    fitted = fit_patience(waits.to_numpy(dtype=float)[keep], hung_up[keep], work.confidence)
    work.warnings.extend(fitted.notes)  # a mean that is an extrapolation beyond the longest wait
    return fitted


class TimedOffer:
    """An offer the queue made at one wait, read from the callers who left by a key then.

    Attributes
    ----------
    after : float
        The wait (s) at which they left (the median of the key exits).
    taken, offered : int
        The callers who left by the key then, and the callers still queued (not ringing
        a member) at that wait, who were offered it.
    share, low, high : float
        ``taken / offered`` and its Clopper-Pearson interval.
    """

    def __init__(self, after: float, taken: int, offered: int, confidence: float) -> None:
        self.after, self.taken, self.offered = after, taken, max(offered, taken)
        n, k, alpha = self.offered, taken, 1 - confidence
        self.share = k / n if n else float("nan")
        self.low = float(stats.beta.ppf(alpha / 2, k, n - k + 1)) if k else 0.0
        self.high = float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k)) if k < n else 1.0


def timed_offer(log: LogData, pilot_calls: pd.DataFrame,
                confidence: float = 0.95) -> TimedOffer | None:
    """The offer the key exits show, where most left at one wait (see the module), else
    ``None``."""
    keyed = _own_keys(log, pilot_calls)
    waits = pilot_calls.loc[keyed, "leave_s"].dropna().to_numpy(dtype=float)
    if len(waits) < MIN_TIMED:
        return None
    after = float(np.median(waits))
    if float(np.mean(np.abs(waits - after) <= 2.0)) < TIMED_OFFER_SHARE:
        return None
    stay = pilot_calls["wait_s"].where(pilot_calls["outcome"] == "answered",
                                       pilot_calls["leave_s"]).to_numpy(dtype=float)
    # still queued at the offer: stayed past it (the key exits: at it)
    there = np.where(keyed, np.abs(stay - after) <= 2.0, stay > after)
    offer_at = pd.to_datetime(pilot_calls["arrival"]) + pd.Timedelta(seconds=after)
    ringing = _ringing_at(log.rings, pilot_calls["call_id"].astype(str), offer_at)
    taken = int((keyed & there).sum())
    return TimedOffer(after, taken, int((there & ~ringing).sum()), confidence)


def _ringing_at(rings: pd.DataFrame, call_ids: pd.Series, at: pd.Series) -> np.ndarray:
    """Per call: a member's phone was ringing for it at ``at``."""
    rung = rings.dropna(subset=["ring_s"])
    if not len(rung):
        return np.zeros(len(call_ids), dtype=bool)
    when = pd.DataFrame({"call_id": call_ids.to_numpy(), "at": at.to_numpy()})
    joined = rung.assign(call_id=rung["call_id"].astype(str),
                         start=rung["end"] - pd.to_timedelta(rung["ring_s"], unit="s")
                         ).merge(when.reset_index(), on="call_id")
    hit = joined.loc[(joined["start"] <= joined["at"]) & (joined["at"] < joined["end"]),
                     "index"]
    out = np.zeros(len(call_ids), dtype=bool)
    out[hit.to_numpy(dtype=int)] = True
    return out


def key_exit_note(log: LogData, pilot_calls: pd.DataFrame,
                  callback_fitted: bool = False) -> tuple[str, str]:
    """The "Not in the log" row of the callers who left by a key: ``(seen, note)``."""
    if log.key_exits is None:
        return "-", (f"not shown by a {log.format} log: a caller who left the queue by a key "
                     "(for a call back, voicemail or another menu) reads as hung up, which "
                     "makes caller patience shorter")
    keyed = pilot_calls[_own_keys(log, pilot_calls)]
    if not len(keyed):
        return "0", "none in this log (EXITWITHKEY: a caller pressed a key to leave the queue)"
    note = ("EXITWITHKEY: the caller pressed a key that leads out of the queue to the "
            "dialplan, probably a call-back request (or voicemail, another menu), which "
            "queue_log does not show; read as still waiting then for caller patience "
            "(censored, not hung up); a call back a member may have made is left out of "
            "wrap-up; ")
    offer = timed_offer(log, pilot_calls)
    if offer is not None:
        note += (f"{offer.taken} left after {offer.after:.0f} s in the queue, {offer.share:.0%} "
                 f"of the {offer.offered} callers still queued then: an offer made at that "
                 "wait, ")
        note += ("fitted as the group's callback (whether a call back followed and reached "
                 "the caller is not in the log: reached is assumed)" if callback_fitted else
                 "such as a call back (the group's callback is --base's)")
    else:
        note += ("the fitted office has no call back (give --base with "
                 "hunt_groups[].callback; whether callers were called back and reached is "
                 "not in the log)")
    return str(len(keyed)), note


def callback_spec(offer: TimedOffer, reached: float) -> dict[str, Any]:
    """The group's ``callback`` of a timed offer."""
    return {"offer_after": f"{offer.after:g}s", "accept": round(offer.share, 4),
            "reached": reached}
