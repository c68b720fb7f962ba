"""What an ACD routes that a log shows partly or not at all: penalties, call backs.

- **penalties**: Asterisk logs a member's penalty only when it is changed
  (``PENALTY``, see :mod:`~huntsim.fit.logs.queue_log`). Each member's fitted
  penalty is the one in force when most of the queue's calls came (the last
  ``PENALTY`` line before each arrival; before a member's first one, 0, Asterisk's
  default, since a penalty given in ``queues.conf`` or ``AddQueueMember`` is not
  logged). ``--base``'s penalties are kept where the log has no ``PENALTY`` line.
  ``penalty_wait`` (Asterisk's queue rules raising ``QUEUE_MAX_PENALTY``) is not
  logged: ``--base``'s, else none.
- **call backs**: Asterisk has no call back of its own, and nothing in
  ``queue_log`` tells one apart: a caller who pressed a key to be called back
  leaves the queue with ``EXITWITHKEY`` (the export writes a huntsim call back so),
  as does one who pressed a key for voicemail or another menu. Such a caller had not
  hung up: their call stays ``abandoned`` in the calls table (the back-test's shares),
  but caller patience reads them as still waiting when they left (censored, as an
  answered caller), and they are counted in the fit's "Not in the log"
  (:func:`key_exit_note`). The group's ``callback`` is ``--base``'s, else none: the
  log does not show whether a call back followed, nor whether it reached the caller.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.patience import PatienceFit, fit_patience
from huntsim.fit.work import Work

__all__ = ["CALLBACK_NOTE", "KEY_EXITS", "MIN_ABANDONS", "caller_patience", "key_exit_note",
           "keyed_calls", "member_penalties", "routing_extras"]

MIN_ABANDONS = 5
"""Fewer abandoned calls than this: patience is not fitted (callers wait as long as it takes)."""
KEY_EXITS = "callers who left by a key"
"""The "Not in the log" item of the callers who left the queue by a key (``EXITWITHKEY``)."""
TIMED_OFFER_SHARE = 0.8
"""Key exits at one wait (within 2 s of their median) in this share or more: a timed offer."""

CALLBACK_NOTE = ("call backs are not fitted: no PBX log shows one (Asterisk has no call back "
                 "of its own; a caller who pressed a key to be called back leaves the queue "
                 "with EXITWITHKEY: see 'callers who left by a key' in Not in the log)")
"""The fit's note on call backs (in its settings)."""


def member_penalties(log_penalties: pd.DataFrame | None, members: list[str],
                     arrivals: pd.Series) -> tuple[dict[str, int], dict[str, Counter[int]]]:
    """Each member's penalty in force when most of ``arrivals`` came.

    Parameters
    ----------
    log_penalties : DataFrame or None
        The log's penalty changes (``agent``, ``time``, ``penalty``).
    members : list of str
        The fitted members.
    arrivals : Series
        The pilot calls' arrival times (the period fitted).

    Returns
    -------
    penalties : dict
        Member -> penalty, for the members with a ``PENALTY`` line.
    counts : dict
        Member -> calls that came under each penalty (members with more than one).

    Examples
    --------
    >>> t = pd.to_datetime(["2024-01-01 08:00", "2024-01-01 12:00"])
    >>> changes = pd.DataFrame({"agent": ["202", "202"], "time": t, "penalty": [2, 0]})
    >>> calls = pd.Series(pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00",
    ...                                   "2024-01-01 13:00"]))
    >>> member_penalties(changes, ["201", "202"], calls)[0]
    {'202': 2}
    """
    penalties: dict[str, int] = {}
    counts: dict[str, Counter[int]] = {}
    if log_penalties is None or not len(log_penalties):
        return penalties, counts
    at = np.sort(pd.to_datetime(arrivals).to_numpy(dtype="datetime64[ns]"))
    for member in members:
        own = log_penalties[log_penalties["agent"].astype(str) == member]
        if not len(own):
            continue
        own = own.sort_values("time", kind="stable")
        times = own["time"].to_numpy(dtype="datetime64[ns]")
        values = own["penalty"].astype(int).to_numpy()
        # the last change at or before each arrival; before the first, Asterisk's default 0
        index = np.searchsorted(times, at, side="right") - 1
        in_force = np.where(index >= 0, values[np.maximum(index, 0)], 0)
        seen = Counter(int(v) for v in in_force) if len(at) else Counter({int(values[-1]): 0})
        penalties[member] = min(seen, key=lambda p: (-seen[p], p))
        if len(seen) > 1:
            counts[member] = seen
    return penalties, counts


def routing_extras(work: Work, hunt: dict[str, Any], group: Any) -> None:
    """Write the members' penalties, ``penalty_wait`` and ``callback`` into ``hunt``
    (the fitted group), with the settings and notes that say where they came from."""
    members = list(hunt["members"])
    queued = hunt.get("when_all_busy") == "queue"  # penalty_wait and callback need a queue
    pilot = work.log.calls[work.log.calls["kind"] == "pilot"]
    found, counts = member_penalties(work.log.penalties, members, pilot["arrival"])
    base = dict(zip(group.members, group.penalties, strict=True)) \
        if group is not None and group.penalties is not None else {}
    if found:
        penalties = [found.get(m, 0) for m in members]
        work.settings.rows.append((
            "penalties", _listed(members, penalties),
            "read from the log (PENALTY lines: each member's penalty when most of the "
            "queue's calls came; 0 before a member's first PENALTY line)"))
        for member, seen in counts.items():
            work.warnings.append(
                f"member {member}'s penalty changed during the log (calls that came under "
                + ", ".join(f"penalty {p}: {n}" for p, n in sorted(seen.items()))
                + f"): fitted as {found[member]}, the penalty most calls came under")
    elif base:
        penalties = [base.get(m, 0) for m in members]
        work.settings.rows.append(("penalties", _listed(members, penalties), "--base"))
    else:
        penalties = [0] * len(members)
        if work.log.penalties is not None:
            work.settings.rows.append((
                "penalties", "0 for every member",
                "assumed (no PENALTY line in the log; a penalty given in queues.conf or "
                "AddQueueMember is not logged: give --base)"))
    if any(penalties) and hunt.get("policy") == "staggered":
        work.warnings.append("penalties read but not written: the staggered policy has none "
                             f"({_listed(members, penalties)}; choose another --policy to "
                             "keep them)")
    elif any(penalties):
        hunt["members"] = [{"number": m, "penalty": p} for m, p in
                           zip(members, penalties, strict=True)]
        if group is not None and group.penalty_wait is not None and queued:
            hunt["penalty_wait"] = f"{group.penalty_wait:g}s"
            work.settings.rows.append(("penalty_wait (s)", f"{group.penalty_wait:g}",
                                       "--base"))
    if group is not None and group.callback is not None and queued:
        hunt["callback"] = group.callback.model_dump(mode="json")
        work.settings.rows.append(("callback", "as in --base", f"--base; {CALLBACK_NOTE}"))
    else:
        work.settings.rows.append(("callback", "none", f"assumed; {CALLBACK_NOTE}"))


def keyed_calls(work: Work, pilot_calls: pd.DataFrame) -> np.ndarray:
    """Per row of ``pilot_calls``: the caller left the queue by a key (``EXITWITHKEY``)."""
    keys = work.log.key_exits
    if keys is None or not len(keys) or not len(pilot_calls):
        return np.zeros(len(pilot_calls), dtype=bool)
    queue = str(pilot_calls["queue"].iloc[0])
    own = set(keys.loc[keys["queue"].astype(str) == queue, "call_id"].astype(str))
    return pilot_calls["call_id"].astype(str).isin(own).to_numpy()


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


def key_exit_note(log: Any, pilot_calls: pd.DataFrame) -> tuple[str, str]:
    """The "Not in the log" row of the callers who left by a key: ``(seen, note)``."""
    if log.key_exits is None:
        return "-", (f"not shown by a {log.format} log: a caller who left the queue by a key "
                     "(for a call back, voicemail or another menu) reads as hung up, which "
                     "makes caller patience shorter")
    queue = str(pilot_calls["queue"].iloc[0]) if len(pilot_calls) else ""
    keys = log.key_exits[log.key_exits["queue"].astype(str) == queue]
    ids = set(keys["call_id"].astype(str))
    keyed = pilot_calls[pilot_calls["call_id"].astype(str).isin(ids)]
    if not len(keyed):
        return "0", "none in this log (EXITWITHKEY: a caller pressed a key to leave the queue)"
    waits = keyed["leave_s"].dropna().to_numpy(dtype=float)
    note = ("EXITWITHKEY: the caller pressed a key that leads out of the queue to the "
            "dialplan, probably a call-back request (or voicemail, another menu), which "
            "queue_log does not show; read as still waiting then for caller patience "
            "(censored, not hung up); a call back a member may have made is left out of "
            "wrap-up; the fitted office has no call back (give --base with "
            "hunt_groups[].callback; whether callers were called back and reached is not "
            "in the log)")
    if len(waits):
        middle = float(np.median(waits))
        timed = float(np.mean(np.abs(waits - middle) <= 2.0))
        stay = pilot_calls["wait_s"].where(pilot_calls["outcome"] == "answered",
                                           pilot_calls["leave_s"])
        if timed >= TIMED_OFFER_SHARE and len(waits) >= 5:
            reached = int((stay >= middle - 2.0).sum())
            note += (f"; {timed:.0%} left after {middle:.0f} s in the queue: an offer made "
                     f"then (such as a callback offer_after of {middle:.0f}s), taken by "
                     f"about {len(waits) / max(reached, 1):.0%} of the {reached} callers "
                     "still in the queue by then")
    return str(len(keyed)), note


def _listed(members: list[str], penalties: list[int]) -> str:
    """``201: 0, 202: 1``."""
    return ", ".join(f"{m}: {p}" for m, p in zip(members, penalties, strict=True))
