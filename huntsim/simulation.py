"""Running a scenario: :func:`simulate` and its :class:`Result`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from huntsim.aggregates import RunningTotals
from huntsim.engine import run_model
from huntsim.metrics import agent_table, summarize
from huntsim.records import CallLog
from huntsim.scenario import Scenario, load_scenario

__all__ = ["Result", "simulate"]


@dataclass(frozen=True)
class Result:
    """What one run recorded, as tidy tables.

    Attributes
    ----------
    scenario : Scenario
        The scenario as simulated (after any policy override).
    seed : int
        The seed used; ``simulate(scenario, seed=result.seed)`` repeats the run.
    calls : DataFrame
        One row per call arriving after the warm-up: ``call_id``, ``kind``
        (pilot, direct), ``group``, ``dialed``, ``arrival_s``, ``outcome``
        (answered, voicemail, busy, no_answer, abandoned), ``agent``,
        ``answer_s``, ``wait_s``, ``talk_s``, ``wrap_up_s``, ``end_s``, ``offers``.
        ``None`` for a run made with ``keep="totals"``.
    offers : DataFrame
        One row per ring offer of those calls: ``call_id``, ``agent``,
        ``start_s``, ``end_s``, ``result`` (answered, no_answer,
        caller_hung_up, answered_elsewhere). ``None`` with ``keep="totals"``.
    agents : DataFrame
        One row per agent; see :func:`huntsim.metrics.agent_table`.
    totals : RunningTotals or None
        The running totals of a run made with ``keep="totals"``.
    """

    scenario: Scenario
    seed: int
    calls: pd.DataFrame | None = field(repr=False)
    offers: pd.DataFrame | None = field(repr=False)
    agents: pd.DataFrame = field(repr=False)
    totals: RunningTotals | None = field(default=None, repr=False)

    @property
    def window_s(self) -> float:
        """Length of the reported period (duration minus warm-up), seconds."""
        return self.scenario.duration - self.scenario.warmup

    def summary(self, threshold_s: float = 20.0) -> pd.DataFrame:
        """Headline figures per hunt group and for direct calls.

        See :func:`huntsim.metrics.summarize`. A run made with
        ``keep="totals"`` computes it from its running totals instead.
        """
        if self.calls is None:
            assert self.totals is not None
            return self.totals.summary(threshold_s)
        return summarize(self.calls, threshold_s, [g.pilot for g in self.scenario.hunt_groups])


def simulate(
    scenario: Scenario | Mapping[str, Any] | str | Path,
    seed: int | None = None,
    policy: str | None = None,
    keep: Literal["calls", "totals"] = "calls",
) -> Result:
    """Simulate a scenario once.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        What to simulate (see :func:`huntsim.load_scenario`).
    seed : int, optional
        Seed of all randomness; defaults to the scenario's ``seed``, else fresh
        entropy (recorded in ``Result.seed``).
    policy : str, optional
        Use this hunt policy in every group instead of the scenario's.
    keep : {"calls", "totals"}
        ``"calls"`` keeps every call and offer (``Result.calls``, ``Result.offers``);
        ``"totals"`` keeps only running sums, so memory stays flat however long
        the run (``summary()`` and ``agents`` still work; quantiles of the wait
        are then exact to 0.1 s).

    Returns
    -------
    Result

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "101", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["101"], "voicemail": True,
    ...                            "arrivals": {"rate": "5/h"}}]}
    >>> result = simulate(office, seed=1)
    >>> sorted(result.calls["outcome"].unique()) == ["answered", "voicemail"]
    True
    """
    scenario = load_scenario(scenario)
    if policy is not None:
        scenario = scenario.with_policy(policy)
    if seed is None:
        seed = scenario.seed
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    agents_numbers = [a.number for a in scenario.agents]
    pilots = [g.pilot for g in scenario.hunt_groups]
    group_of: dict[str, str | None] = dict.fromkeys(agents_numbers)
    for group in scenario.hunt_groups:
        group_of.update(dict.fromkeys(group.members, group.pilot))
    names = [a.label for a in scenario.agents]
    groups = [group_of[n] for n in agents_numbers]
    window_s = scenario.duration - scenario.warmup
    if keep == "totals":
        totals = RunningTotals(agents_numbers, pilots, scenario.warmup, scenario.duration)
        run_model(scenario, seed, totals)
        return Result(scenario=scenario, seed=seed, calls=None, offers=None,
                      agents=totals.agents(window_s, names, groups), totals=totals)
    if keep != "calls":
        raise ValueError(f"keep (={keep!r}) must be 'calls' or 'totals'")
    log = CallLog(agents_numbers, pilots)
    run_model(scenario, seed, log)
    arrivals = np.frombuffer(log.arrival, dtype="f8")
    ids = np.frombuffer(log.call_id, dtype=np.int64)
    reported = ids[arrivals >= scenario.warmup]
    first_call = int(reported.min()) if len(reported) else int(ids.max(initial=-1)) + 1
    all_calls, all_offers = log.calls_frame(), log.offers_frame()
    agents = agent_table(all_calls, all_offers, agents_numbers,
                         (scenario.warmup, scenario.duration), names=names, groups=groups)
    if first_call > 0:
        calls = all_calls[all_calls["call_id"] >= first_call].reset_index(drop=True)
        offers = all_offers[all_offers["call_id"] >= first_call].reset_index(drop=True)
    else:
        calls, offers = all_calls, all_offers
    del all_calls, all_offers
    return Result(scenario=scenario, seed=seed, calls=calls, offers=offers, agents=agents)
