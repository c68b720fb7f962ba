"""Every queue of a ``queue_log`` fitted at once: one group per queue, one agent per member.

An Asterisk member (the same member name or interface) may serve several
queues. Fitted one queue at a time (``fit(..., queue=...)``) the office has one
group and such a member looks idle while busy in another queue (listed under
"Not in the log"). :func:`fit_queues` fits each queue of the log as
:func:`~huntsim.fit.fitting.fit` does and joins the offices: one hunt group per
queue (busiest first), each member **one agent** listed in the group of every
queue they rang or answered for, and the scenario's top-level
``one_group_per_member: false`` written only when some member is in several
groups. A member's own figures (talk time, answering, schedule, pauses) are
those of the queue in which they answered most calls; the scenario's own
settings (``ring_cycle``, ``caller_patience``, the period) are the busiest
queue's. What queue_log does not show: Asterisk's queue ``weight`` (which queue a
shared member serves first) is not logged; every group gets ``priority`` 0 unless
``--base`` gives one.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.errors import ScenarioError
from huntsim.fit.keys import KEY_EXITS
from huntsim.fit.logs.common import LogError
from huntsim.fit.logs.queue_log import log_queues
from huntsim.fit.result import Fit
from huntsim.fit.waiting import WAITING_ITEM
from huntsim.scenario.model import Scenario, load_scenario

__all__ = ["SHARED_KEY", "check_all_queues", "fit_queues", "join_fits", "joined_mapping"]

SHARED_KEY = "one_group_per_member"
"""The scenario's top-level key that lets a member be listed in several groups."""


def check_all_queues(format: str, queue: str | None, holdout: Any) -> None:
    """Refuse ``all_queues`` with another format, a queue named or a hold-out."""
    if format != "asterisk-queue-log":
        raise ScenarioError([f"--all-queues: reads a queue_log (--format asterisk-queue-log), "
                             f"not {format}"])
    if queue is not None:
        raise ScenarioError([f"--all-queues: fits every queue; drop --queue/--pilot {queue!r}"])
    if holdout is not None:
        raise ScenarioError(["--all-queues: the joined office is not back-tested; drop "
                             f"--holdout {holdout!r} (or fit one queue with --queue)"])


def fit_queues(path: str | Path, fit_one: Callable[..., Fit], base: Scenario | None = None,
               **options: Any) -> Fit:
    """Fit every queue of a ``queue_log`` and join them into one office.

    Parameters
    ----------
    path : path
        The ``queue_log``.
    fit_one : callable
        :func:`~huntsim.fit.fitting.fit` (passed in: that module calls this one).
    base : Scenario, optional
        Taken as given, group by group (matched by pilot: the queue's name).
    **options
        Those of :func:`~huntsim.fit.fitting.fit` but ``queue``, ``pilot``,
        ``format`` and ``replications`` (the joined office is not back-tested).

    Returns
    -------
    Fit
        The joined office; its log, traffic and back-test are the busiest queue's.
    """
    fits: list[Fit] = []
    fitted: list[str] = []
    left_out: list[str] = []
    for queue, _ in log_queues(path, options.get("tz")):
        try:
            fits.append(fit_one(path, format="asterisk-queue-log", queue=queue, base=base,
                                replications=0, **options))
            fitted.append(queue)
        except LogError as error:  # e.g. a queue whose calls were never answered
            left_out.append(f"queue {queue} left out: {error}")
    if not fits:
        raise LogError(f"{Path(path).name}: no queue could be fitted ({'; '.join(left_out)})")
    joined = join_fits(fits, fitted, base)
    joined.warnings[:0] = left_out
    return joined


def join_fits(fits: list[Fit], queues: list[str], base: Scenario | None = None) -> Fit:
    """One office from the one-queue fits of ``queues`` (busiest first)."""
    mapping, notes = joined_mapping(fits, queues, base)
    said_once = ("line of another queue", "several queues in the log")
    unseen = fits[0].not_in_log.copy()
    if len(unseen):
        shared = unseen["item"] == "members' calls from other queues"
        unseen.loc[shared, "note"] = ("fitted: a member of several queues is one agent in "
                                      "each queue's group (busy in one, not rung in another)")
        _join_key_exits(unseen, fits, queues)
        _join_key_exits(unseen, fits, queues, WAITING_ITEM)
    return dataclasses.replace(
        fits[0], scenario=load_scenario(mapping), mapping=mapping,
        parameters=pd.concat([_scoped(f.parameters, q, "scope") for f, q in
                              zip(fits, queues, strict=True)], ignore_index=True),
        settings=pd.concat([_scoped(f.settings, q, "setting") for f, q in
                            zip(fits, queues, strict=True)], ignore_index=True),
        warnings=notes + [f"queue {q}: {w}" for f, q in zip(fits, queues, strict=True)
                          for w in f.warnings if not any(s in w for s in said_once)],
        backtest=None, fitted_backtest=None, not_in_log=unseen,
        queue_logs={q: f.log for f, q in zip(fits, queues, strict=True)})


def joined_mapping(fits: list[Fit], queues: list[str], base: Scenario | None = None,
                   ) -> tuple[dict[str, Any], list[str]]:
    """The joined office as written to YAML, and the notes on how it was joined."""
    groups = [dict(f.mapping["hunt_groups"][0]) for f in fits]
    answered: dict[str, Counter[int]] = {}
    for q, f in enumerate(fits):
        calls = f.log.calls
        took = calls.loc[calls["outcome"] == "answered", "agent"].value_counts()
        for member, n in took.items():
            answered.setdefault(str(member), Counter())[q] = int(n)
    agents: dict[str, dict[str, Any]] = {}
    homes: dict[str, list[str]] = {}
    for q, f in enumerate(fits):
        for agent in f.mapping["agents"]:
            homes.setdefault(agent["number"], []).append(queues[q])
    notes: list[str] = []
    for number, where in homes.items():
        counts = answered.get(number, Counter())
        home = max(range(len(fits)), key=lambda q: (counts[q], -q)
                   if queues[q] in where else (-1, -q))
        agents[number] = next(a for a in fits[home].mapping["agents"] if a["number"] == number)
        if len(where) > 1:
            notes.append(f"member {number} is in queues {', '.join(where)}: one agent in each "
                         f"group, with the talk time, answering and schedule of queue "
                         f"{queues[home]} (where they answered most calls)")
    for group in groups:
        priority = _base_priority(base, str(group["pilot"]))
        if priority:
            group["priority"] = priority
    mapping = {k: v for k, v in fits[0].mapping.items() if k not in ("agents", "hunt_groups")}
    mapping["name"] = f"{mapping['name']} (queues {', '.join(queues)})"
    if any(len(where) > 1 for where in homes.values()):
        mapping[SHARED_KEY] = False
    mapping["agents"] = list(agents.values())
    mapping["hunt_groups"] = groups
    cycles = {f.mapping["ring_cycle"] for f in fits}
    if len(cycles) > 1:
        notes.append(f"the queues' ring time-outs give different ring cycles "
                     f"({', '.join(sorted(cycles))}): the office rings "
                     f"{mapping['ring_cycle']} (the busiest queue's)")
    notes.append("the joined office is not back-tested (fit one queue with --queue to "
                 "back-test it); caller patience and the period are the busiest queue's")
    return mapping, notes


def _join_key_exits(unseen: pd.DataFrame, fits: list[Fit], queues: list[str],
                    item_name: str = KEY_EXITS) -> None:
    """The row of the callers who left by a key (or of another ``item_name`` counted per
    queue: call waiting): every queue's, not only the busiest's."""
    seen: list[tuple[str, int, str]] = []
    for f, q in zip(fits, queues, strict=True):
        for item, count, note in f.not_in_log[["item", "seen", "note"]].itertuples(
                index=False):
            if item == item_name and str(count).isdigit() and int(str(count)):
                seen.append((q, int(str(count)), str(note)))
    where = (unseen["item"] == item_name).to_numpy()
    if not seen or not where.any():
        return
    unseen["seen"] = np.where(where, str(sum(n for _, n, _ in seen)), unseen["seen"])
    unseen["note"] = np.where(where, "; ".join(f"queue {q} ({n}): {note}"
                                               for q, n, note in seen), unseen["note"])


def _scoped(table: pd.DataFrame, queue: str, column: str) -> pd.DataFrame:
    """``table`` with ``column`` saying the queue (``talk time (sales)``)."""
    out = table.copy()
    if len(out):
        out[column] = [v if str(v) == queue else f"{v} ({queue})" for v in out[column]]
    return out


def _base_priority(base: Scenario | None, pilot: str) -> int:
    """``--base``'s priority of the group with this pilot (0 where it has none)."""
    if base is None:
        return 0
    for group in base.hunt_groups:
        if group.pilot == pilot:
            return int(getattr(group, "priority", 0) or 0)
    return 0
