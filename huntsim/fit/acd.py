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
  (:mod:`huntsim.fit.keys`). The group's ``callback`` is ``--base``'s, else, where most
  of them left at one wait (a timed offer), one read from the log with ``reached``
  assumed 1 (the log does not show whether a call back followed, nor whether it
  reached the caller), else none.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.keys import callback_spec, timed_offer
from huntsim.fit.work import Work, param

__all__ = ["CALLBACK_NOTE", "CALLBACK_READ", "member_penalties", "routing_extras"]

CALLBACK_NOTE = ("no PBX log shows a call back (Asterisk has no call back of its own; a "
                 "caller who pressed a key to be called back leaves the queue with "
                 "EXITWITHKEY: see 'callers who left by a key' in Not in the log); one is "
                 "fitted only where most such callers left at one wait (a timed offer)")
"""The fit's note on call backs (in its settings)."""
CALLBACK_READ = ("read from the log: most callers who left by a key (EXITWITHKEY) did so at "
                 "one wait, an offer made then, taken by the share of the callers still "
                 "queued; reached assumed (a call back is an outbound call queue_log does not "
                 "show: give --base with the group's callback to set it)")
"""The source of a ``callback`` read from a timed offer (:func:`~huntsim.fit.keys.timed_offer`)."""


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
    offer = timed_offer(work.log, pilot, work.confidence) if queued else None
    if group is not None and group.callback is not None and queued:
        hunt["callback"] = group.callback.model_dump(mode="json")
        work.settings.rows.append(("callback", "as in --base", f"--base; {CALLBACK_NOTE}"))
    elif offer is not None:
        hunt["callback"] = callback_spec(offer, 1.0)
        param(work.params, "call back taken (share offered)", str(hunt["pilot"]), offer.share,
              offer.low, offer.high, "", offer.offered,
              f"{offer.taken} callers left by a key after {offer.after:g} s")
        work.settings.rows.append((
            "callback", f"offer_after {offer.after:g} s, accept {offer.share:.3g}, "
            "reached 1", CALLBACK_READ))
    else:
        work.settings.rows.append(("callback", "none", f"assumed; {CALLBACK_NOTE}"))


def _listed(members: list[str], penalties: list[int]) -> str:
    """``201: 0, 202: 1``."""
    return ", ".join(f"{m}: {p}" for m, p in zip(members, penalties, strict=True))
