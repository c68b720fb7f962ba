"""What a log does not show the fit: redials, overflow to other queues, members' other work.

A fitted office is one hunt group fed by the log's arrivals. These things can
make it wrong without any of its fitted values being off (and callers who left
the queue by a key, :func:`huntsim.fit.acd.key_exit_note`, are listed with them):

- **redials**: a caller who hung up or was sent to voicemail and calls again
  within minutes is a second arrival in the log; fitted as fresh traffic, the
  office's what-ifs keep those callers' redials whatever happens to them. Seen
  where the log has caller ids: the same caller again within :data:`REDIAL_WINDOW_S`
  after an unanswered call (:func:`find_redials`), and fitted as the group's
  ``redial`` when there are enough of them (:func:`redial_fit`).
- **overflow**: a call leaving this queue by its time-out (``EXITWITHTIMEOUT``,
  ``EXITEMPTY``) and entering another queue with the same call id, or arriving
  from one; the fitted office ends such calls at its own treatment.
- **members' other queues**: members of this queue who answer calls of other
  queues are busy then, which the fitted office cannot know (they look idle;
  ``fit(..., all_queues=True)`` fits them as one agent in each queue's group).
- **queue weight**: Asterisk's ``weight`` (``queues.conf``) decides which queue a
  member shared by several serves first; it is not logged, so fitted groups have
  ``priority`` 0.

The last two are read from the raw queue_log (every queue), where the format has them.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.fit.logs.common import member_number
from huntsim.fit.times import fit_times

__all__ = ["QUEUE_WEIGHT", "REDIAL_WINDOW_S", "Redials", "find_redials", "not_in_log",
           "other_queues", "redial_fit"]

QUEUE_WEIGHT = "queue weight (priorities between queues)"
"""The "Not in the log" item of Asterisk's queue ``weight``."""
REDIAL_WINDOW_S = 1800.0
"""A caller's next call within this many seconds of an unanswered one is a redial."""
MIN_REDIALS = 20
"""Fewer redials than this: counted and reported, not fitted."""
UNANSWERED = ("abandoned", "voicemail", "busy", "no_answer")
HIDDEN_CALLERS = {"", "anonymous", "unknown", "restricted", "private", "none", "nan"}


@dataclass
class Redials:
    """Redials found in a calls table.

    Attributes
    ----------
    redial : ndarray of bool
        Per row of the pilot calls given: the call is a redial.
    after : Counter
        Redials by the outcome of the call before.
    unanswered : Counter
        Unanswered calls with a known caller, by outcome (the chances of a redial).
    gaps : ndarray
        Seconds from the end of the call before to the redial.
    with_caller : int
        Pilot calls with a caller id.
    """

    redial: np.ndarray
    after: Counter[str] = field(default_factory=Counter)
    unanswered: Counter[str] = field(default_factory=Counter)
    gaps: np.ndarray = field(default_factory=lambda: np.array([], dtype=float))
    with_caller: int = 0

    @property
    def count(self) -> int:
        """Redials found."""
        return int(self.redial.sum())


def find_redials(pilot_calls: pd.DataFrame, window_s: float = REDIAL_WINDOW_S) -> Redials:
    """The pilot calls that are a caller's next call within ``window_s`` of their
    unanswered one (abandoned, voicemail, busy, no answer)."""
    calls = pilot_calls.reset_index(drop=True)
    caller = calls["caller"].fillna("").astype(str).str.strip()
    known = ~caller.str.lower().isin(HIDDEN_CALLERS)
    outcome = calls["outcome"].astype(str)
    arrival = pd.to_datetime(calls["arrival"])
    stay = calls["leave_s"].where(outcome != "answered", calls["wait_s"]).fillna(0.0)
    frame = pd.DataFrame({"caller": caller, "arrival": arrival, "outcome": outcome,
                          "ended": arrival + pd.to_timedelta(stay.astype(float), unit="s")}
                         )[known.to_numpy()].sort_values(["caller", "arrival"], kind="stable")
    before = frame.shift(1)
    gap = (frame["arrival"] - before["ended"]).dt.total_seconds()
    hit = ((frame["caller"] == before["caller"]) & before["outcome"].isin(UNANSWERED)
           & (gap >= -1.0) & (gap <= window_s)).to_numpy()
    redial = np.zeros(len(calls), dtype=bool)
    redial[frame.index.to_numpy()[hit]] = True
    return Redials(redial, after=Counter(before["outcome"][hit].astype(str)),
                   unanswered=Counter(frame["outcome"][frame["outcome"].isin(UNANSWERED)]),
                   gaps=np.maximum(gap.to_numpy()[hit], 0.0), with_caller=int(known.sum()))


def redial_fit(found: Redials) -> dict[str, Any] | None:
    """The group's ``redial`` as read from the redials found, or ``None`` with too few:
    after the outcomes that were redialled, with the share of such calls redialled."""
    if found.count < MIN_REDIALS:
        return None
    on = [o for o in UNANSWERED if found.after[o] > 0]
    chances = sum(found.unanswered[o] for o in on)
    probability = min(found.count / chances, 1.0) if chances else 0.0
    delay = fit_times(np.maximum(found.gaps, 0.5))
    return {"on": on, "probability": round(probability, 4), "delay": delay.spec,
            "delay_mean": delay.mean, "chances": chances}


def other_queues(path: str | Path, queue: str, members: Sequence[str]) -> dict[str, Any] | None:
    """Overflow chains and members' calls in other queues, from a pipe-separated
    queue_log; ``None`` where the file is not one (other formats, realtime layouts)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    entered: dict[str, list[str]] = defaultdict(list)
    timed_out: set[tuple[str, str]] = set()
    answered_elsewhere: Counter[str] = Counter()
    ours = set(members)
    readable = 0
    for raw in text.splitlines():
        fields = raw.strip().split("|")
        if len(fields) < 5:
            continue
        readable += 1
        callid, q, agent, event = fields[1], fields[2], fields[3], fields[4].strip().upper()
        if event == "ENTERQUEUE":
            entered[callid].append(q)
        elif event in ("EXITWITHTIMEOUT", "EXITEMPTY"):
            timed_out.add((callid, q))
        elif event == "CONNECT" and q != queue and member_number(agent) in ours:
            answered_elsewhere[member_number(agent)] += 1
    if not readable:
        return None
    out_to: Counter[str] = Counter()
    in_from: Counter[str] = Counter()
    for callid, queues in entered.items():
        for first, second in itertools.pairwise(queues):
            if first == queue and second != queue and (callid, queue) in timed_out:
                out_to[second] += 1
            elif second == queue and first != queue:
                in_from[first] += 1
    return {"out_to": out_to, "in_from": in_from, "answered_elsewhere": answered_elsewhere}


def not_in_log(found: Redials, fitted_redial: dict[str, Any] | None,
               others: dict[str, Any] | None, log_format: str,
               base_redial: bool = False,
               key_exits: tuple[str, str, str] | None = None) -> pd.DataFrame:
    """The "Not in the log" table: ``item``, ``seen`` (a count, or ``-`` where the log
    cannot tell) and ``note``. ``base_redial``: the group's redial came from ``--base``;
    ``key_exits``: the row of the callers who left by a key (``item, seen, note``)."""
    rows: list[tuple[str, str, str]] = []
    if key_exits is not None:
        rows.append(key_exits)
    if not found.with_caller:
        rows.append(("redials", "-", "no caller ids in the log: callers who call again "
                     "are counted as new calls"))
    else:
        by = ", ".join(f"{n} after {o}" for o, n in found.after.most_common()) or "none"
        note = (f"fitted as the group's redial (probability {fitted_redial['probability']:.3g} "
                f"after {', '.join(fitted_redial['on'])}, mean delay "
                f"{fitted_redial['delay_mean']:.0f} s); pilot traffic fitted on first calls"
                if fitted_redial is not None else
                "the redial of --base kept; pilot traffic fitted on first calls"
                if base_redial else
                f"too few to fit (under {MIN_REDIALS}): counted as new calls")
        rows.append(("redials", str(found.count),
                     f"the same caller again within {REDIAL_WINDOW_S / 60:.0f} min of an "
                     f"unanswered call ({by}); {note}"))
    if others is None:
        rows.append(("overflow to other queues", "-",
                     f"not shown by a {log_format} log: calls the queue passed on end at "
                     "the fitted office's own treatment"))
        rows.append(("members' calls from other queues", "-",
                     f"not shown by a {log_format} log: members look idle while busy "
                     "elsewhere"))
        return pd.DataFrame(rows, columns=["item", "seen", "note"])
    out_to, in_from = others["out_to"], others["in_from"]
    rows.append(("overflow to other queues", str(sum(out_to.values())),
                 "calls that timed out of this queue into another with the same call id ("
                 + (", ".join(f"{n} to {q}" for q, n in out_to.most_common()) or "none")
                 + "); the fitted office ends them at its own treatment"))
    rows.append(("overflow from other queues", str(sum(in_from.values())),
                 "calls that came from another queue ("
                 + (", ".join(f"{n} from {q}" for q, n in in_from.most_common()) or "none")
                 + "); fitted as this queue's own arrivals, with their full patience"))
    elsewhere = others["answered_elsewhere"]
    rows.append(("members' calls from other queues", str(sum(elsewhere.values())),
                 ("calls members answered in other queues ("
                  + ", ".join(f"{m}: {n}" for m, n in elsewhere.most_common())
                  + "): busy then, which the fitted office does not know (wrap-up is "
                  "read around them)")
                 if elsewhere else "none in this log (other queues' members may still "
                 "take calls the log does not show)"))
    rows.append((QUEUE_WEIGHT, "-", "Asterisk's queue weight (queues.conf) decides which "
                 "queue a member shared by several serves first; it is not in queue_log: "
                 "fitted groups have priority 0 (give --base with hunt_groups[].priority)"))
    return pd.DataFrame(rows, columns=["item", "seen", "note"])
