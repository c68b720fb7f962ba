"""Independent replications of a scenario: :func:`replicate` and :class:`Replications`.

A replication is one run with its own seed (:mod:`~huntsim.experiments.seeds`);
each run is measured (:mod:`~huntsim.experiments.measure`) and the runs are
gathered into means with 95 % intervals (:mod:`~huntsim.experiments.gather`).
This module also keeps the names that lived here before the split, so that
``from huntsim.experiments.replications import ...`` and checkpoints saved
then keep working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huntsim.analysis.expected_traffic import hour_keys, hour_traffic
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import (
    Runs,
    collect_warnings,
    gather,
    interval_table,
    long_members,
    run_measurements,
)
from huntsim.experiments.measure import WAIT_SAMPLE, Columns, Measurement, RunTask, measure
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.seeds import (
    DEFAULT_SEED,
    replication_seeds,
    resolve_seed,
    seed_problems,
)
from huntsim.experiments.settings import ExperimentSettings
from huntsim.scenario.model import Scenario, load_scenario

__all__ = [
    "DEFAULT_SEED",
    "WAIT_SAMPLE",
    "Columns",
    "Measurement",
    "Replications",
    "RunTask",
    "Runs",
    "collect_warnings",
    "gather",
    "hour_keys",
    "hour_traffic",
    "interval_table",
    "long_members",
    "measure",
    "replicate",
    "replication_seeds",
    "resolve_seed",
    "run_measurements",
    "seed_problems",
]


@dataclass(frozen=True)
class Replications:
    """Replications of one scenario, with 95 % intervals.

    Attributes
    ----------
    raw : DataFrame
        ``replication, group, metric, value``: every run's figures.
    table : DataFrame
        ``group, metric, mean, ci_low, ci_high, n``.
    members : DataFrame
        ``group, position, agent, name, metric, mean, ci_low, ci_high, n``.
    hourly : DataFrame
        ``group, hour, metric, mean, ci_low, ci_high, n``, or with a calendar
        ``group, weekday, hour, ...`` (see :func:`huntsim.analysis.hourly.weekly_hourly`).
    warnings : tuple of str
        The runs' warnings, each once (see :func:`collect_warnings`).
    """

    scenario: Scenario
    seed: int
    raw: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    members: pd.DataFrame = field(repr=False)
    hourly: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()


def replicate(
    scenario: Scenario | str | Any,
    replications: int = 10,
    seed: int | None = None,
    policy: str | None = None,
    threshold_s: float = 20.0,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
) -> Replications:
    """Run independent replications and report means with 95 % t intervals.

    Parameters
    ----------
    scenario : Scenario, mapping or path
        What to simulate.
    replications : int
        Number of independent runs (1 or more).
    seed : int, optional
        Master seed; replication ``i`` uses ``replication_seeds(seed, n)[i]``.
        Default: the scenario's ``seed``, else 0.
    policy : str, optional
        Override every group's policy.
    threshold_s : float
        Service-level threshold (answered within this many seconds).
    jobs, scheduler, progress, store
        See :class:`~huntsim.experiments.execution.Execution`.

    Raises
    ------
    ScenarioError
        Before anything is simulated, one message per mistake in ``replications``,
        ``seed`` or ``threshold_s`` (see :class:`~.settings.ExperimentSettings`).

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "1", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "arrivals": {"rate": "6/h"}}]}
    >>> reps = replicate(office, replications=3, seed=1, jobs=1)
    >>> row = reps.table.query("metric == 'answered_rate'").iloc[0]
    >>> bool(row.ci_low <= row["mean"] <= row.ci_high)
    True
    """
    base = load_scenario(scenario)
    if policy is not None:
        base = base.with_policy(policy)
    settings = ExperimentSettings.check(base, None, replications, seed, threshold_s)
    tasks = [
        RunTask(f"rep-{i:04d}", base, s, settings.threshold_s, (("replication", i),))
        for i, s in enumerate(settings.seeds())
    ]
    runs = run_measurements(tasks, ["replication"],
                            Execution(jobs, scheduler, progress, store))
    return Replications(
        scenario=base,
        seed=settings.seed,
        raw=runs.metrics,
        table=interval_table(runs.metrics, ["group", "metric"]),
        members=interval_table(runs.members, ["group", "position", "agent", "name", "metric"]),
        hourly=interval_table(runs.hourly, ["group", *hour_keys(runs.hourly), "metric"]),
        warnings=runs.warnings,
    )
