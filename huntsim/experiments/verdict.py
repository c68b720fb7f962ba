"""What a comparison concludes: which policy is better, worse or no different, and why.

:func:`conclude` reads the replication-by-replication figures of a
:class:`huntsim.Comparison` and, for each key metric (answered within the
threshold, voicemail, hang-ups, mean wait, fairness of member load), measures
each policy against the baseline (the group's configured policy) by the paired
difference and its 95 % interval. A policy is *better* or *worse* only when
that interval excludes 0; otherwise there is *no significant difference*.
Directions come from :mod:`huntsim.analysis.catalog`.

A policy is recommended when it is significantly better than the baseline on
at least one key metric and worse on none; otherwise the verdict is to keep
the configured policy, and policies that are better on some metrics and
worse on others are named as trade-offs. A significant difference smaller
than :data:`NEGLIGIBLE` is shown as such and counts for neither.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from huntsim.analysis.catalog import in_words, key_metrics, metric, policy_label, uses_callbacks
from huntsim.analysis.formatting import format_difference
from huntsim.analysis.intervals import mean_interval, paired_difference

if TYPE_CHECKING:
    from huntsim.scenario.model import Scenario

__all__ = ["BETTER", "NEGLIGIBLE", "NO_DIFFERENCE", "WORSE", "Verdict", "conclude",
           "key_metrics"]

class Compared(Protocol):
    """What a verdict reads of a comparison (:class:`huntsim.Comparison` has it all)."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def policies(self) -> tuple[str, ...]: ...
    @property
    def replications(self) -> int: ...
    @property
    def threshold_s(self) -> float: ...
    @property
    def raw(self) -> pd.DataFrame: ...


BETTER, WORSE, NO_DIFFERENCE = "better", "worse", "no significant difference"
BASELINE = "baseline"
NEGLIGIBLE_DIFFERENCE = "negligible"
"""The judgement of a significant difference smaller than :data:`NEGLIGIBLE`."""
NO_INTERVAL = "no interval (one replication)"

NEGLIGIBLE: dict[str, float] = {"rate": 0.001, "seconds": 0.1, "index": 0.005,
                                "ratio": 0.01, "count": 0.5}
"""By kind of metric, the size below which a significant difference is called
negligible (0.1 percentage points, 0.1 s, 0.005 of an index): it is shown, but
it makes no trade-off and no recommendation."""

def _extra_metrics(raw: pd.DataFrame, scenario: Any) -> tuple[str, ...]:
    """Key metrics that only some offices need: busy signals where callers hear
    them, the callers answered in the end where callers redial or groups
    forward (a group that forwards sends no caller to voicemail itself), and the
    calls served (answered or called back) where callers are called back: the
    service level counts live answers only, so a policy that calls more callers
    back is judged on what they got in the end."""
    extra = []
    busy = raw.loc[raw["metric"] == "busy_rate", "value"]
    if len(busy) and float(busy.max()) > 0:
        extra.append("busy_rate")
    if scenario.uses_routing and (raw["metric"] == "callers_answered_rate").any():
        extra.append("callers_answered_rate")
    largest = raw.groupby("metric")["value"].max()
    if uses_callbacks(largest.get):
        extra.append("served_rate")
    return tuple(extra)


@dataclass(frozen=True)
class Verdict:
    """The conclusion of a comparison for one hunt group.

    Attributes
    ----------
    group : str
        The pilot judged.
    baseline : str
        The policy the others are measured against.
    baseline_reason : str
        Why: ``"configured"`` (the group's own policy) or ``"first"`` (the
        configured policy was not among those run).
    policies : tuple of str
        Every policy compared, baseline included.
    recommended : str or None
        The policy to switch to, or ``None``: keep the baseline.
    replications : int
        Runs per policy.
    table : DataFrame
        One row per policy and key metric: ``policy, metric, label, mean,
        ci_low, ci_high, difference, difference_ci_low, difference_ci_high,
        judgement, negligible, best``. ``difference`` is policy minus baseline
        (paired); ``judgement`` is ``better``, ``worse``, ``negligible`` (a
        significant difference smaller than :data:`NEGLIGIBLE`, which the
        ``negligible`` column also marks), ``no significant difference``, or
        ``baseline``; ``best`` marks the policy that is significantly better
        than every other on that metric by more than a negligible amount (none
        when no policy is).
    trade_offs : tuple of str
        One sentence per policy better on some key metrics and worse on others.
    candidates : tuple of str
        Every policy better than the baseline on some key metric and worse on none,
        recommended first (see :func:`conclude` for the rule that picks one); the
        recommendation names the others and says the rule.
    """

    group: str
    baseline: str
    baseline_reason: str
    policies: tuple[str, ...]
    recommended: str | None
    replications: int
    table: pd.DataFrame = field(repr=False)
    trade_offs: tuple[str, ...] = ()
    note: str | None = None
    candidates: tuple[str, ...] = ()
    """Set when there is nothing to judge (no calls, one policy): the only line."""

    def judgement(self, policy: str, name: str) -> str:
        """The judgement of ``policy`` on metric ``name`` (see :attr:`table`)."""
        row = self.table[(self.table["policy"] == policy) & (self.table["metric"] == name)]
        return str(row["judgement"].iloc[0]) if len(row) else NO_DIFFERENCE

    def lines(self) -> list[str]:
        """The verdict in plain English, one sentence a line."""
        if self.note is not None:
            return [self.note]
        why = ("the group's configured policy" if self.baseline_reason == "configured"
               else "the first policy compared; the group's configured policy was not run")
        lines = [f"Baseline: {policy_label(self.baseline)} ({why})."]
        for policy in self.policies:
            if policy != self.baseline:
                lines.append(self._policy_line(policy))
        lines.extend(self.trade_offs)
        lines.append(self._recommendation())
        return lines

    def _rows(self, policy: str) -> pd.DataFrame:
        return self.table[self.table["policy"] == policy]

    def _policy_line(self, policy: str) -> str:
        rows = self._rows(policy)
        parts: list[str] = []
        for judgement in (BETTER, WORSE):
            chosen = rows[rows["judgement"] == judgement]
            if len(chosen):
                items = [f"{in_words(str(r.metric))} ({_difference(r)})"
                         for r in chosen.itertuples()]
                parts.append(f"{judgement} on {_join(items)}")
        tiny = rows[rows["judgement"] == NEGLIGIBLE_DIFFERENCE]
        if len(tiny):
            items = [f"{in_words(str(r.metric))} ({_difference(r)})"
                     for r in tiny.itertuples()]
            parts.append(f"a negligible difference in {_join(items)}")
        same = rows[rows["judgement"] == NO_DIFFERENCE]
        if len(same):
            items = [in_words(str(m)) for m in same["metric"]]
            if len(same) == len(rows):
                parts.append("no significant difference on any key metric")
            else:
                parts.append(f"no significant difference in {_join(items)}")
        return f"{policy_label(policy)} vs {policy_label(self.baseline)}: {'; '.join(parts)}."

    def _recommendation(self) -> str:
        if self.recommended is None:
            meant = self.table[(self.table["judgement"] == BETTER) & ~self.table["negligible"]]
            if len(meant):
                return (f"Recommendation: keep {policy_label(self.baseline)}; no policy is "
                        "better on some key metric without being worse on another (see the "
                        "trade-offs).")
            return (f"Recommendation: keep {policy_label(self.baseline)}; no policy is "
                    "significantly better on any key metric.")
        gains = self._gains(self.recommended)
        text = (f"Recommendation: {policy_label(self.recommended)}, better than "
                f"{policy_label(self.baseline)} on {_join(gains)} and worse on no key metric.")
        others = [p for p in self.candidates if p != self.recommended]
        if not others:
            return text
        also = [f"{policy_label(p)} (better on {_join(self._gains(p))})" for p in others]
        level = {p: self._level(p) for p in (self.recommended, *others)}
        tied = [p for p in others if len(self._gains(p)) == len(gains)]
        gain = (" (" + ", ".join(f"{policy_label(p)} {level[p]}" for p in
                                 (self.recommended, *tied)) + ")") if tied else ""
        return (f"{text} {_join(also)} {'is' if len(also) == 1 else 'are'} also better on "
                "some key metric and worse on none, on as many key metrics: of such "
                "policies the one better on the most key metrics is recommended, then the "
                f"one with the larger mean gain in {in_words(self._level_metric())}{gain}, "
                "then the first compared (a tie-break, not a significant difference between "
                "them)."
                if tied else
                f"{text} {_join(also)} {'is' if len(also) == 1 else 'are'} also better on "
                "some key metric and worse on none, but on fewer key metrics: of such "
                "policies the one better on the most key metrics is recommended.")

    def _gains(self, policy: str) -> list[str]:
        """The key metrics ``policy`` is better on by more than a negligible amount."""
        rows = self._rows(policy)
        return [in_words(str(m)) for m in rows.loc[(rows["judgement"] == BETTER)
                                                  & ~rows["negligible"].astype(bool), "metric"]]

    def _level_metric(self) -> str:
        names = [str(m) for m in self.table["metric"] if str(m).startswith("service_level")]
        return names[0] if names else "service_level"

    def _level(self, policy: str) -> str:
        """The mean service-level difference of ``policy`` from the baseline, in words."""
        rows = self._rows(policy)
        level = rows[rows["metric"] == self._level_metric()]
        if not len(level):
            return "no service level"
        return f"{100 * float(level['difference'].iloc[0]):+.2f} points"  # a share


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _difference(row: Any) -> str:
    """The paired difference of a row of :attr:`Verdict.table`, with its half-width."""
    half = (float(row.difference_ci_high) - float(row.difference_ci_low)) / 2
    return format_difference(str(row.metric), float(row.difference), half)


def _judge(name: str, low: float, high: float) -> str:
    """``better``, ``worse`` or no significant difference from a paired interval."""
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return NO_DIFFERENCE
    direction = metric(name).better(low if low > 0 else high)
    if direction is None:
        return NO_DIFFERENCE
    return BETTER if direction else WORSE


def conclude(comparison: Compared, group: str | None = None) -> Verdict:
    """Judge every policy of ``comparison`` against the group's configured policy.

    Parameters
    ----------
    comparison : Comparison
        From :func:`huntsim.compare` (anything with its ``scenario``, ``policies``,
        ``replications``, ``threshold_s`` and ``raw``; see :class:`Compared`).
    group : str, optional
        The pilot to judge; default the group the comparison varied (its ``group``,
        where it has one), else the scenario's first hunt group.

    Returns
    -------
    Verdict

    Raises
    ------
    ValueError
        If ``group`` is not a pilot of the scenario.

    Examples
    --------
    >>> from huntsim import compare
    >>> c = compare("scenarios/front_desk_simultaneous.yaml", ["regular", "simultaneous"],
    ...             replications=3, seed=1, jobs=1)
    >>> conclude(c).baseline
    'simultaneous'
    """
    scenario = comparison.scenario
    pilots = [g.pilot for g in scenario.hunt_groups]
    group = group if group is not None else getattr(comparison, "group", None)
    group = group if group is not None else (pilots[0] if pilots else None)
    if group is None or group not in pilots:
        raise ValueError(f"group (={group!r}) is not a pilot of the scenario; pilots: "
                         f"{', '.join(pilots) or 'none'}")
    configured = scenario.group(group).policy
    policies = tuple(comparison.policies)
    baseline, reason = ((configured, "configured") if configured in policies
                        else (policies[0], "first"))
    raw = comparison.raw[comparison.raw["group"] == group]
    offered = raw.loc[raw["metric"] == "offered", "value"]
    if not len(offered) or not float(offered.max()) > 0:
        return Verdict(group, baseline, reason, policies, None, comparison.replications,
                       pd.DataFrame(columns=_COLUMNS),
                       note=f"No pilot calls reached {group}: there is nothing to compare.")
    names = key_metrics(comparison.threshold_s) + _extra_metrics(raw, scenario)
    table = _judged(raw, policies, baseline, names)
    if len(policies) == 1:
        return Verdict(group, baseline, reason, policies, None, comparison.replications,
                       table, note=f"Only {policy_label(baseline)} was simulated: there is "
                                   "nothing to compare it with.")
    if comparison.replications < 2:
        table["judgement"] = table["judgement"].where(table["policy"] == baseline, NO_INTERVAL)
        return Verdict(group, baseline, reason, policies, None, comparison.replications,
                       table, note="One replication gives no interval, so no policy is "
                                   "judged: run at least two replications to compare them.")
    trade_offs, candidates = _trade_offs(table, policies, baseline)
    return Verdict(group, baseline, reason, policies, candidates[0] if candidates else None,
                   comparison.replications, table, trade_offs, candidates=candidates)


_COLUMNS = ["policy", "metric", "label", "mean", "ci_low", "ci_high", "difference",
            "difference_ci_low", "difference_ci_high", "judgement", "negligible", "best"]
"""The columns of :attr:`Verdict.table`."""


def _judged(raw: pd.DataFrame, policies: tuple[str, ...], baseline: str,
            names: Sequence[str]) -> pd.DataFrame:
    """Each policy and key metric: its interval, the paired difference from the baseline,
    the judgement, whether the difference is negligible, and whether the policy is best."""
    values = {(p, m): _series(raw, p, m) for p in policies for m in names}
    rows = []
    for policy in policies:
        for name in names:
            mean, low, high = mean_interval(values[policy, name])
            if policy == baseline:
                diff, d_low, d_high, judgement = 0.0, math.nan, math.nan, BASELINE
            else:
                diff, d_low, d_high = paired_difference(values[policy, name],
                                                        values[baseline, name])
                judgement = _judge(name, d_low, d_high)
            best = len(policies) > 1 and all(
                q == policy or _meant_better(name, values[policy, name], values[q, name])
                for q in policies)
            negligible = (judgement in (BETTER, WORSE)
                          and abs(diff) < NEGLIGIBLE.get(metric(name).kind, 0.0))
            if negligible:
                judgement = NEGLIGIBLE_DIFFERENCE
            rows.append((policy, name, metric(name).title, mean, low, high, diff, d_low, d_high,
                         judgement, negligible, best))
    return pd.DataFrame(rows, columns=_COLUMNS)


def _meant_better(name: str, values: np.ndarray, other: np.ndarray) -> bool:
    """Significantly better than ``other`` by more than a negligible amount."""
    difference, low, high = paired_difference(values, other)
    return (_judge(name, low, high) == BETTER
            and abs(difference) >= NEGLIGIBLE.get(metric(name).kind, 0.0))


def _trade_offs(table: pd.DataFrame, policies: tuple[str, ...], baseline: str,
                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The trade-offs against the baseline, and the policies that could be recommended.

    A policy better on some key metric and worse on none is a candidate; the one better
    on most metrics (then with the larger mean service-level gain, then the first
    compared) is recommended. Returns the trade-offs and the candidates, recommended
    first (none: keep the baseline).
    """
    trade_offs, candidates = [], []
    for policy in policies:
        if policy == baseline:
            continue
        judged = table[table["policy"] == policy]
        meant = judged[~judged["negligible"].astype(bool)]
        gains = meant[meant["judgement"] == BETTER]
        losses = meant[meant["judgement"] == WORSE]
        if len(gains) and len(losses):
            worse = [f"{in_words(str(r.metric))} ({_difference(r)})" for r in losses.itertuples()]
            trade_offs.append(
                f"Trade-off: {policy_label(policy)} is better than {policy_label(baseline)} on "
                f"{_join([in_words(str(m)) for m in gains['metric']])}, but worse on "
                f"{_join(worse)}.")
        elif len(gains):
            candidates.append((-len(gains), -_level_gain(judged), policies.index(policy),
                               policy))
    return tuple(trade_offs), tuple(c[-1] for c in sorted(candidates))


def _series(raw: pd.DataFrame, policy: str, name: str) -> np.ndarray:
    rows = raw[(raw["policy"] == policy) & (raw["metric"] == name)].sort_values("replication")
    values: np.ndarray = rows["value"].to_numpy(dtype=float)
    return values


def _level_gain(judged: pd.DataFrame) -> float:
    """The service-level gain of a policy (tie-break between candidates)."""
    level = judged[judged["metric"].str.startswith("service_level")]
    return float(level["difference"].iloc[0]) if len(level) else 0.0
