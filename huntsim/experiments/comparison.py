"""Policy comparison on common random numbers: which policy suits *this* office?

Replication ``i`` of every policy uses the same seed, so every policy meets the
same callers at the same moments and the same member behaviour streams. The
difference between two policies is then measured replication by replication
(paired), and its interval is much narrower than if the runs were independent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from huntsim.analysis.catalog import service_level_name
from huntsim.analysis.expected_traffic import hour_keys
from huntsim.analysis.formatting import format_value
from huntsim.analysis.intervals import paired_difference, unpaired_difference
from huntsim.experiments.execution import Execution
from huntsim.experiments.gather import interval_table, run_measurements
from huntsim.experiments.measure import Measurement, RunTask
from huntsim.experiments.plan_setup import resolve_group
from huntsim.experiments.runner import CheckpointStore
from huntsim.experiments.settings import ExperimentSettings
from huntsim.experiments.verdict import Verdict, conclude
from huntsim.scenario.model import Scenario, load_scenario
from huntsim.scenario.rules import RING_ALL_POLICIES

__all__ = ["DEFAULT_POLICIES", "Comparison", "compare", "default_policies"]

DEFAULT_POLICIES: tuple[str, ...] = ("regular", "circular", "simultaneous", "uniform")


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    table : DataFrame
        ``policy, group, metric, mean, ci_low, ci_high, n`` (95 % t intervals).
    differences : DataFrame
        ``policy, baseline, group, metric, mean, ci_low, ci_high`` of the paired
        difference policy minus baseline, with ``unpaired_ci_low`` and
        ``unpaired_ci_high`` for the same difference had the runs been independent.
    members : DataFrame
        ``policy, group, position, agent, name, metric, mean, ci_low, ci_high, n``;
        metric ``expected_share`` is each member's fair share of the group's
        talk given who was logged in (see :func:`huntsim.analysis.fairness.fair_shares`);
        ``group_answered`` counts the calls of the row's group only (a member of
        several groups has a row in each), ``load_erlang`` and ``load_share`` the
        member's whole pilot-call load.
    waits : DataFrame
        ``policy, replication, group, wait_s``: waits of answered calls (sampled).
    hourly : DataFrame
        ``policy, group, hour, metric, mean, ci_low, ci_high, n``: by hour of
        the day (see :func:`huntsim.analysis.hourly.hourly`), or, for a scenario with a
        calendar, ``policy, group, weekday, hour, ...`` by weekday and clock
        hour (see :func:`huntsim.analysis.hourly.weekly_hourly`; after-hours calls
        counted apart). A group's hours count the calls its rows of ``table``
        count (every call that reached it, see
        :func:`huntsim.experiments.measure.measure`), so they add up to them.
    raw : DataFrame
        ``policy, replication, group, metric, value``: every run's figures.
    warnings : tuple of str
        The runs' warnings (see :func:`huntsim.sim.simulation.run_warnings`), each once.
    group : str or None
        The pilot whose policy was varied (``compare(..., group=...)``, default the
        first group): what the repr, the Jupyter table, :meth:`verdict`,
        :meth:`headline` and :meth:`wide` describe unless given another group.
    """

    scenario: Scenario
    policies: tuple[str, ...]
    baseline: str
    replications: int
    seed: int
    threshold_s: float
    table: pd.DataFrame = field(repr=False)
    differences: pd.DataFrame = field(repr=False)
    members: pd.DataFrame = field(repr=False)
    waits: pd.DataFrame = field(repr=False)
    hourly: pd.DataFrame = field(repr=False)
    raw: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...] = ()
    group: str | None = None

    @property
    def level_metric(self) -> str:
        """Name of the service-level metric, e.g. ``service_level_20s``."""
        return service_level_name(self.threshold_s)

    def __repr__(self) -> str:
        """A few lines in human units (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import comparison_text
        return comparison_text(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: a summary table and the key figure (see :mod:`huntsim.views.display`)."""
        from huntsim.views.display import comparison_html
        return comparison_html(self)

    def wide(self, group: str | None = None, metrics: Sequence[str] | None = None,
             ) -> pd.DataFrame:
        """Policies as columns, ``mean ± half-width`` as text, for reading; ``group``
        (a pilot or a group's name) defaults to the group compared."""
        group = self._pilot(group) or self.scenario.hunt_groups[0].pilot
        rows = self.table[self.table["group"] == group]
        if metrics is not None:
            rows = rows[rows["metric"].isin(metrics)]
        columns = [rows[c].to_numpy(dtype=float) for c in ("mean", "ci_low", "ci_high")]
        text = rows.assign(value=[
            _plus_minus(mean, low, high, str(metric))
            for mean, low, high, metric in zip(*columns, rows["metric"], strict=True)
        ])
        wide = text.pivot(index="metric", columns="policy", values="value")
        order = list(dict.fromkeys(rows["metric"]))
        return wide.loc[order, list(self.policies)]

    def verdict(self, group: str | None = None) -> Verdict:
        """What the comparison concludes for ``group``, a pilot or a group's name
        (:func:`~.verdict.conclude`; default the group compared).

        The baseline is the group's configured policy; every other policy is
        better, worse or not significantly different on each key metric.
        """
        return conclude(self, self._pilot(group))

    def headline(self, group: str | None = None) -> str:
        """The conclusion in a few sentences: trade-offs and the recommendation.

        Computed from the paired intervals against the group's configured
        policy (see :meth:`verdict`); says "no significant difference" rather
        than naming a winner when the policies tie.
        """
        verdict = self.verdict(group)
        if verdict.note is not None:
            return verdict.note
        return " ".join([*verdict.trade_offs, verdict.lines()[-1]])

    def _pilot(self, group: str | None) -> str | None:
        """The pilot of ``group`` (a pilot or a group's name, as ``--group`` takes:
        :func:`~huntsim.experiments.plan_setup.resolve_group`); ``None``: the group
        compared."""
        return self.group if group is None else resolve_group(self.scenario, group)


def _plus_minus(mean: float, low: float, high: float, metric: str) -> str:
    half = (high - low) / 2 if not (math.isnan(low) or math.isnan(high)) else None
    return format_value(metric, mean, half)


def default_policies(scenario: Scenario, group: str | None = None) -> tuple[str, ...]:
    """The policies ``compare`` runs by default: the four classic ones and the group's own.

    A weighted (or staggered) group is thus compared with its own policy too.
    ``group`` is the pilot compared (default: every group's own policy). Where a
    group compared has ``call_waiting``, ``simultaneous`` is left out: a policy that
    rings several members at once has no call waiting, and
    :meth:`~huntsim.scenario.model.Scenario.with_policy` refuses it there
    (:func:`compare` says so in its warnings).

    Examples
    --------
    >>> default_policies(load_scenario("scenarios/sales_weighted.yaml"))
    ('regular', 'circular', 'simultaneous', 'uniform', 'weighted')
    """
    compared = [g for g in scenario.hunt_groups if group is None or g.pilot == group]
    waiting = any(g.call_waiting for g in compared)
    classic = [p for p in DEFAULT_POLICIES if not (waiting and p in RING_ALL_POLICIES)]
    return tuple(dict.fromkeys([*classic, *(g.policy for g in compared)]))


def _left_out(scenario: Scenario, group: str | None, policies: Sequence[str]) -> tuple[str, ...]:
    """What the default policies left out for call waiting, in words (or nothing)."""
    left = [p for p in DEFAULT_POLICIES if p not in policies]
    waiting = [f"hunt_groups[{i}] ({g.pilot})" for i, g in enumerate(scenario.hunt_groups)
               if g.call_waiting and (group is None or g.pilot == group)]
    if not left or not waiting:
        return ()
    return (f"{', '.join(left)} not compared: {', '.join(waiting)} has call_waiting, which a "
            "policy ringing several members at once does not have (the policies compared "
            f"are {', '.join(policies)})",)


def compare(
    scenario: Scenario | str | Any,
    policies: Sequence[str] | None = None,
    replications: int = 20,
    seed: int | None = None,
    baseline: str | None = None,
    threshold_s: float = 20.0,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[Measurement] | None = None,
    group: str | None = None,
) -> Comparison:
    """Compare hunt policies on the same callers (common random numbers).

    Only the policy of ``group`` (a pilot or a group's name; default: the first
    group) changes from run to run; every other group keeps the policy it is
    configured with. The result describes that group (its repr, Jupyter table and
    :meth:`~Comparison.verdict`).

    Parameters
    ----------
    scenario : Scenario, mapping or path
        The office; every hunt group gets each policy in turn.
    policies : sequence of str, optional
        Policies to compare; default :func:`default_policies` (the four classic
        ones and each group's configured policy; without ``simultaneous`` where the
        group compared has ``call_waiting``, which the warnings then say).
    replications : int
        Runs per policy; replication ``i`` has the same seed for every policy.
    seed : int, optional
        Master seed; default the scenario's ``seed``, else 0.
    baseline : str, optional
        The policy of the ``differences`` table's baseline; default the first
        group's configured policy when it is compared, else the first policy.
        (:meth:`Comparison.verdict` judges each group against its own.)
    threshold_s : float
        Service-level threshold, seconds.
    jobs, scheduler, progress, store
        See :class:`~huntsim.experiments.execution.Execution`.

    Returns
    -------
    Comparison

    Raises
    ------
    ScenarioError
        Before anything is simulated, one message per mistake in ``policies``,
        ``replications``, ``seed`` or ``threshold_s``, each naming its parameter
        (``policies[1]: ...``; see :class:`~.settings.ExperimentSettings`); or a
        policy the group compared cannot have (``staggered`` with penalties,
        ``simultaneous`` or ``staggered`` with ``call_waiting``: see
        :meth:`~huntsim.scenario.model.Scenario.with_policy`).

    Examples
    --------
    >>> c = compare("scenarios/front_desk_simultaneous.yaml", ["regular", "simultaneous"],
    ...             replications=3, seed=1, jobs=1)
    >>> sorted(c.table["policy"].unique())
    ['regular', 'simultaneous']
    """
    base = load_scenario(scenario)
    group = _compared_group(base, group)
    notes: tuple[str, ...] = ()
    if policies is None:
        policies = default_policies(base, group)
        notes = _left_out(base, group, policies)
    settings = ExperimentSettings.check(base, policies, replications, seed, threshold_s)
    assert settings.policies is not None
    baseline = _baseline(base, group, settings.policies, baseline)
    runs = run_measurements(_tasks(base, group, settings), ["policy", "replication"],
                            Execution(jobs, scheduler, progress, store))
    raw = runs.metrics
    return Comparison(
        scenario=base,
        policies=settings.policies,
        baseline=baseline,
        replications=replications,
        seed=settings.seed,
        threshold_s=threshold_s,
        table=interval_table(raw, ["policy", "group", "metric"]),
        differences=_differences(raw, settings.policies, baseline),
        members=interval_table(runs.members, ["policy", "group", "position", "agent", "name",
                                              "metric"]),
        waits=runs.waits,
        hourly=interval_table(runs.hourly, ["policy", "group", *hour_keys(runs.hourly),
                                            "metric"]),
        raw=raw,
        warnings=(*notes, *runs.warnings),
        group=group,
    )


def _compared_group(scenario: Scenario, group: str | None) -> str | None:
    """The pilot whose policy changes: ``group`` (a pilot or a group's name, see
    :func:`~huntsim.experiments.plan_setup.resolve_group`), else the first (``None``:
    no group)."""
    if group is None and not scenario.hunt_groups:
        return None
    return resolve_group(scenario, group)


def _baseline(scenario: Scenario, group: str | None, policies: tuple[str, ...],
              baseline: str | None) -> str:
    """The baseline policy: the one given, else the group's own when compared, else the first."""
    configured = scenario.group(group).policy if group is not None else None
    baseline = baseline or (configured if configured in policies else policies[0])
    if baseline not in policies:
        raise ValueError(f"baseline (={baseline!r}) is not among the policies {policies}")
    return baseline


def _tasks(scenario: Scenario, group: str | None, settings: ExperimentSettings,
           ) -> list[RunTask]:
    """One run per policy and replication; replication ``i`` has the same seed throughout."""
    assert settings.policies is not None
    seeds = settings.seeds()
    return [
        RunTask(f"policy-{policy}_rep-{i:04d}",
                scenario.with_policy(policy, None if group is None else [group]), s,
                settings.threshold_s, (("policy", policy), ("replication", i)))
        for policy in settings.policies
        for i, s in enumerate(seeds)
    ]


def _differences(raw: pd.DataFrame, policies: Sequence[str], baseline: str) -> pd.DataFrame:
    wide = raw.pivot_table(index=["group", "metric", "replication"], columns="policy",
                           values="value", dropna=False)
    rows = []
    for (group, metric), block in wide.groupby(level=["group", "metric"], sort=False):
        base = block[baseline].to_numpy(dtype=float)
        for policy in policies:
            if policy == baseline:
                continue
            values = block[policy].to_numpy(dtype=float)
            mean, low, high = paired_difference(values, base)
            _, u_low, u_high = unpaired_difference(values, base)
            rows.append((policy, baseline, group, metric, mean, low, high, u_low, u_high))
    return pd.DataFrame(rows, columns=["policy", "baseline", "group", "metric", "mean",
                                       "ci_low", "ci_high", "unpaired_ci_low",
                                       "unpaired_ci_high"])
