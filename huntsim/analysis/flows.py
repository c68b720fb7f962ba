"""Where callers end: the journey of each caller through redials and forwards.

A caller is one person: their first call and every redial share a
``caller_id``. :func:`caller_flows` follows each caller of each pilot to the
end of their last attempt and sorts them into plain outcomes (answered at the
first try, answered after calling again, answered by another group after a
forward, voicemail, gave up...). Tables only: the figures of these shares are
in :mod:`huntsim.views.flow_plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from huntsim.analysis.catalog import FLOWS, JOURNEY_METRICS

if TYPE_CHECKING:
    from huntsim.scenario.model import Scenario

__all__ = ["FLOWS", "JOURNEY_METRICS", "caller_flows", "journey_table", "uses_routing"]


def caller_flows(calls: pd.DataFrame, warmup: float = 0.0) -> pd.DataFrame:
    """How the callers of each pilot ended, counted and as shares.

    Parameters
    ----------
    calls : DataFrame
        ``Result.calls`` (with ``caller_id``, ``attempt`` and ``forwards``;
        tables without them count every call as its own caller).
    warmup : float
        Callers whose first attempt arrived before this are left out.

    Returns
    -------
    DataFrame
        One row per dialled pilot (index ``dialed``) with a column of counts per
        key of :data:`~huntsim.analysis.catalog.FLOWS`, ``callers``, ``attempts``
        and the shares as ``<flow>_share``. After-hours calls are left out.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "kind": ["pilot"] * 4, "dialed": ["100"] * 4, "group": ["100", "100", "100", "200"],
    ...     "caller_id": [0, 0, 2, 3], "attempt": [1, 2, 1, 1], "forwards": [0, 0, 0, 1],
    ...     "outcome": ["busy", "answered", "answered", "answered"], "arrival_s": [0, 60, 5, 9],
    ...     "after_hours": [False] * 4})
    >>> flows = caller_flows(calls)
    >>> flows[["answered_first_try", "answered_after_redial", "answered_elsewhere"]].values
    array([[1, 1, 1]])
    >>> int(flows.loc["100", "callers"]), int(flows.loc["100", "attempts"])
    (3, 4)
    """
    pilot = calls[calls["kind"].astype(str) == "pilot"]
    if "after_hours" in pilot:
        pilot = pilot[~pilot["after_hours"].astype(bool)]
    caller = pilot["caller_id"] if "caller_id" in pilot else pilot.index.to_series()
    attempt = pilot["attempt"] if "attempt" in pilot else pd.Series(1, index=pilot.index)
    forwards = pilot["forwards"] if "forwards" in pilot else pd.Series(0, index=pilot.index)
    frame = pd.DataFrame({
        "dialed": pilot["dialed"].astype(str), "caller": caller, "attempt": attempt,
        "forwarded": forwards > 0, "outcome": pilot["outcome"].astype(str),
        "arrival_s": pilot["arrival_s"],
    })
    first = frame[frame["attempt"] == 1].set_index("caller")
    first = first[first["arrival_s"] >= warmup]
    attempts = frame[frame["caller"].isin(first.index)]
    last = attempts.sort_values(["caller", "attempt"]).groupby("caller").tail(1).set_index("caller")
    flow = last["outcome"].copy()
    answered = last["outcome"] == "answered"
    flow[answered & last["forwarded"]] = "answered_elsewhere"
    flow[answered & ~last["forwarded"] & (last["attempt"] > 1)] = "answered_after_redial"
    flow[answered & ~last["forwarded"] & (last["attempt"] == 1)] = "answered_first_try"
    table = pd.crosstab(last["dialed"], flow).reindex(columns=list(FLOWS), fill_value=0)
    table.index.name = "dialed"
    table.columns.name = None
    table["callers"] = table[list(FLOWS)].sum(axis=1)
    table["attempts"] = attempts.groupby("dialed").size().reindex(table.index, fill_value=0)
    for name in FLOWS:
        table[f"{name}_share"] = table[name] / table["callers"].replace(0, np.nan)
    return table


def uses_routing(scenario: Scenario) -> bool:
    """Whether any caller may redial or any group forward calls
    (:attr:`Scenario.uses_routing <huntsim.scenario.model.Scenario.uses_routing>`)."""
    return scenario.uses_routing


def journey_table(table: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per policy, the callers of ``group`` and where they ended, from a comparison.

    Parameters
    ----------
    table : DataFrame
        ``Comparison.table`` (policy, group, metric, mean, ci_low, ci_high).
    group : str
        The pilot reported on.

    Returns
    -------
    DataFrame
        One row per policy: the means of
        :data:`~huntsim.analysis.catalog.JOURNEY_METRICS`, and the shares
        of callers answered at the first attempt, answered after calling again
        (or by the group calls were forwarded to) and never answered.
    """
    rows = table[(table["group"].astype(str) == group)
                 & table["metric"].isin(JOURNEY_METRICS)]
    wide = rows.pivot_table(index="policy", columns="metric", values="mean", sort=False)
    wide = wide.reindex(columns=list(JOURNEY_METRICS))
    first = wide["first_attempt_answered_rate"]
    answered = wide["callers_answered_rate"]
    wide["answered_first_try_share"] = first
    wide["answered_later_share"] = (answered - first).clip(lower=0)
    wide["never_answered_share"] = (1 - answered).clip(lower=0)
    return wide
