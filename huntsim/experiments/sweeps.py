"""What-if sweeps: a grid over scenario parameters, every policy, common random numbers.

A grid maps parameter paths, written as in the scenario file
(``hunt_groups[0].no_answer_rings``, ``agents[2].schedule``), to the values to
try; the special parameter ``traffic`` multiplies every arrival rate (pilot
and direct calls, weekly forms included); see :mod:`huntsim.experiments.sweep_grid`.
Every combination of values is a grid point. Replication ``i`` has the same
seed at every grid point and for every policy, so that the points differ only
by what was changed (common random numbers) and their differences are
measured sharply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import (
    CALLBACK_METRICS,
    SWEEP_METRICS_WHEN_USED,
    SWEEP_TABLE_METRICS,
    service_level_name,
    uses_callbacks,
)
from huntsim.analysis.formatting import format_interval
from huntsim.errors import ScenarioError
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import interval_table, run_measurements
from huntsim.experiments.measure import Measurement, RunTask
from huntsim.experiments.plan_setup import resolve_group
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.settings import ExperimentSettings, as_policies, settings_problems
from huntsim.experiments.sweep_conclusion import GOAL, conclude_sweep, parameter_label
from huntsim.experiments.sweep_grid import TRAFFIC, parse_path, sweep_points, with_traffic
from huntsim.scenario.model import Scenario

__all__ = ["GOAL", "TRAFFIC", "Sweep", "parameter_label", "parse_path", "sweep", "sweep_points",
           "with_traffic"]


@dataclass(frozen=True)
class Sweep:
    """The result of :func:`sweep`.

    Attributes
    ----------
    parameters : tuple of str
        The swept parameters, in grid order (paths, and ``traffic``).
    points : DataFrame
        ``point, *parameters``: one row per grid point.
    table : DataFrame
        ``point, *parameters, policy, group, metric, mean, ci_low, ci_high, n``:
        one row per grid point, policy, group and metric (95 % t intervals).
    raw : DataFrame
        ``point, *parameters, policy, replication, group, metric, value``.
    warnings : tuple of str
        The runs' warnings, each once.
    group : str or None
        The pilot reported on (``sweep(..., group=...)``, default the first group):
        what :meth:`wide`, :meth:`shown_metrics`, :meth:`conclusion` and
        :meth:`report` describe unless given another group.
    """

    scenario: Scenario = field(repr=False)
    parameters: tuple[str, ...]
    policies: tuple[str, ...]
    replications: int
    seed: int
    threshold_s: float
    points: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    raw: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()
    group: str | None = None

    @property
    def level_metric(self) -> str:
        """Name of the service-level metric, e.g. ``service_level_20s``."""
        return service_level_name(self.threshold_s)

    def __repr__(self) -> str:
        """A few lines: what ran, the table and the conclusion (see
        :mod:`huntsim.views.display`)."""
        from huntsim.views.display import sweep_summary
        return sweep_summary(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: what ran, the conclusion and the table of the group reported on."""
        from huntsim.views.display import sweep_html
        return sweep_html(self)

    def report(self, out_dir: str | Path, group: str | None = None,
               force: bool = True) -> Path:
        """Write the tables (``sweep.csv``, ``sweep_runs.csv``, ``points.csv``), the
        figures and a self-contained ``report.html`` into ``out_dir``, as ``huntsim
        sweep --out`` does; ``group`` defaults to the group reported on. Returns the
        report's path."""
        from huntsim.outputs import prepare_directory
        from huntsim.views.sweep_report import write_sweep

        return write_sweep(self, prepare_directory(out_dir, force), self._reported(group))

    def wide(self, metric: str | None = None, group: str | None = None) -> pd.DataFrame:
        """One metric as ``mean ± half-width`` text: grid points as rows, policies as columns.

        Intervals are clipped to the metric's range
        (:func:`~huntsim.analysis.formatting.format_interval`).
        """
        metric = metric or self.level_metric
        group = self._reported(group)
        rows = self.table[(self.table["metric"] == metric) & (self.table["group"] == group)]
        text = [format_interval(metric, float(m), float(lo), float(h))
                for m, lo, h in zip(rows["mean"], rows["ci_low"], rows["ci_high"], strict=True)]
        wide = rows.assign(value=text).pivot(index=list(self.parameters), columns="policy",
                                             values="value")
        return wide[list(self.policies)]

    def shown_metrics(self, group: str | None = None) -> tuple[str, ...]:
        """The figures a sweep's tables and plots show for ``group``: the service level,
        :data:`~huntsim.analysis.catalog.SWEEP_TABLE_METRICS`, and hang-ups and forwards
        where some point has them, and the call back figures
        (:data:`~huntsim.analysis.catalog.CALLBACK_METRICS`) where some point calls a
        caller back."""
        group = self._reported(group)
        rows = self.table[self.table["group"] == group]
        used = set(rows[rows["mean"].to_numpy(dtype=float) > 0]["metric"].unique())
        callbacks = CALLBACK_METRICS if uses_callbacks(
            lambda m: 1.0 if m in used else 0.0) else ()
        return (self.level_metric, *SWEEP_TABLE_METRICS,
                *(m for m in SWEEP_METRICS_WHEN_USED if m in used),
                *(m for m in callbacks if m in set(rows["metric"])))

    def conclusion(self, group: str | None = None, goal: float = GOAL) -> list[str]:
        """What the sweep shows, in plain sentences (see :func:`conclude_sweep`)."""
        return conclude_sweep(self, self._reported(group), goal)

    def _reported(self, group: str | None = None) -> str:
        """The pilot of ``group`` (a pilot or a group's name, as ``--group`` takes:
        :func:`~huntsim.experiments.plan_setup.resolve_group`); ``None``: the group
        reported on, :attr:`group`, else the first."""
        return resolve_group(self.scenario, group if group is not None else self.group)


def sweep(
    scenario: Scenario | str | Path | Mapping[str, Any],
    grid: Mapping[str, Sequence[Any]],
    policies: Sequence[str] | None = None,
    replications: int = 10,
    seed: int | None = None,
    threshold_s: float = 20.0,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
    group: str | None = None,
) -> Sweep:
    """Simulate every point of a parameter grid under each policy, on common random numbers.

    Parameters
    ----------
    scenario : path, mapping or Scenario
        The office as it is; each grid point changes it.
    grid : mapping of str to sequence
        Parameter path (as written in the scenario file, e.g.
        ``"hunt_groups[0].no_answer_rings"``) to the values to try, values
        written as in the file (``"4min"``, ``["mon-fri 08:00-12:00"]``);
        ``"traffic"`` multiplies every arrival rate. Every combination is run.
    policies : sequence of str, optional
        Policies to try at every point, each given to the group reported on
        (``group``) alone, as :func:`~huntsim.experiments.comparison.compare` does:
        every other group keeps its own policy. Default: every group's own, under
        the name of the reported group's policy.
    replications : int
        Runs per point and policy; replication ``i`` has the same seed everywhere.
    seed : int, optional
        Master seed; default the scenario's ``seed``, else 0.
    threshold_s : float
        Service-level threshold, seconds.
    jobs, scheduler, progress, store
        See :class:`~huntsim.experiments.execution.Execution`.
    group : str, optional
        The group to report on (a pilot or a group's name, as ``huntsim sweep
        --group``); default the first. Every group is simulated and in the
        tables; this one is what the result's views and conclusion describe.

    Returns
    -------
    Sweep

    Raises
    ------
    ScenarioError
        Before anything is simulated: one message per invalid path, value,
        policy, setting or ``group``, each naming it.

    Examples
    --------
    >>> office = {"duration": "8h", "agents": [{"number": "1", "talk_time": "3min"}],
    ...           "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
    ...                            "arrivals": {"rate": "6/h"}}]}
    >>> result = sweep(office, {"traffic": [1.0, 2.0]}, replications=2, seed=1, jobs=1)
    >>> level = result.table.query("metric == 'voicemail_rate'")["mean"].tolist()
    >>> level[0] <= level[1]
    True
    """
    chosen = as_policies(policies)
    problems = settings_problems(chosen, replications, seed, threshold_s)
    if problems:  # named before the grid is read
        raise ScenarioError(problems)
    base, points, scenarios = sweep_points(scenario, grid)
    pilot = resolve_group(base, group) if base.hunt_groups or group is not None else None
    settings = ExperimentSettings.check(base, chosen, replications, seed, threshold_s)
    names = settings.policies or (_own_policy(base, pilot),)
    runs = run_measurements(_tasks(scenarios, settings, names, pilot),
                            ["point", "policy", "replication"],
                            Execution(jobs, scheduler, progress, store))
    raw = points.merge(runs.metrics, on="point", how="right", validate="one_to_many")
    table = interval_table(runs.metrics, ["point", "policy", "group", "metric"])
    table = points.merge(table, on="point", how="right", validate="one_to_many")
    return Sweep(scenario=base, parameters=tuple(grid), policies=names,
                 replications=replications, seed=settings.seed, threshold_s=threshold_s,
                 points=points, table=table, raw=raw,
                 warnings=(*_dropped_waits(base, points, scenarios),
                           *_not_on_swept_values(runs.warnings, grid)),
                 group=pilot)


def _not_on_swept_values(warnings: Sequence[str], grid: Mapping[str, Any]) -> list[str]:
    """The runs' warnings less those on a value the grid sets at only some points (a
    warning that starts with a swept path, e.g. ``hunt_groups[1].callback.accept: 0, so
    ... changes nothing`` while sweeping that ``accept``): the sweep sets it on purpose and
    its table shows what it does. Given at every point, such a warning stays."""
    paths = [p for p in grid if p != TRAFFIC]
    return [w for w in warnings
            if not (_SOME_RUNS.search(w)
                    and any(w.startswith(p) and w[len(p):len(p) + 1] in (":", ".", "[")
                            for p in paths))]


_SOME_RUNS = re.compile(r" \(in \d+ of \d+ runs")


def _dropped_waits(base: Scenario, points: pd.DataFrame,
                   scenarios: Sequence[Scenario]) -> list[str]:
    """Where the grid set every member's penalty to 0 and the group's ``penalty_wait``
    was dropped (:func:`~huntsim.experiments.sweep_grid.sweep_points`), in words."""
    notes = []
    for g, group in enumerate(base.hunt_groups):
        if group.penalty_wait is None:
            continue
        at = [number for number, office in enumerate(scenarios)
              if office.hunt_groups[g].penalty_wait is None]
        if at:
            where = "; ".join(", ".join(f"{p}={points.at[k, p]!s}" for p in points.columns
                                        if p != "point") for k in at[:3])
            notes.append(f"hunt_groups[{g}].penalty_wait is dropped where no member has a "
                         f"penalty above 0 (it changes nothing there): at {where}"
                         f"{' and others' if len(at) > 3 else ''}")
    return notes


def _own_policy(scenario: Scenario, pilot: str | None) -> str:
    """What a sweep without ``policies`` calls its one case: the policy of the group
    reported on (``pilot``), else the groups' policy if they share one."""
    if pilot is not None:
        return scenario.group(pilot).policy
    own = {g.policy for g in scenario.hunt_groups}
    return own.pop() if len(own) == 1 else "as written"


def _tasks(scenarios: Sequence[Scenario], settings: ExperimentSettings,
           names: tuple[str, ...], pilot: str | None) -> list[RunTask]:
    """One run per grid point, policy (``names``) and replication, the same seeds throughout.

    Each policy is given to the group ``pilot`` alone (every group when ``None``);
    without ``settings.policies`` every group keeps its own policy, under one name.
    """
    chosen: tuple[str | None, ...] = settings.policies or (None,)
    seeds = settings.seeds()
    tasks: list[RunTask] = []
    for number, point in enumerate(scenarios):
        for policy, name in zip(chosen, names, strict=True):
            case = (point.with_policy(policy, None if pilot is None else [pilot])
                    if policy is not None else point)
            tasks.extend(
                RunTask(f"point-{number:04d}_policy-{name.replace(' ', '-')}_rep-{i:04d}",
                        case, s, settings.threshold_s,
                        (("point", number), ("policy", name), ("replication", i)))
                for i, s in enumerate(seeds))
    return tasks
