"""What a sweep shows, in plain sentences: how far each policy keeps the service level
at a goal along each swept parameter, and which policy, if any, is clearly best.

The goal is the call-centre rule of thumb (80 % of calls answered within the
threshold, :data:`GOAL`); a point meets it when the mean over replications does.
"Clearly best" is judged on paired differences (replication ``i`` of every policy
met the same callers): the best policy's 95 % interval against the next best
excludes 0. With one replication there are no intervals, and no conclusion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from huntsim.analysis.catalog import in_words, metric, policy_label, uses_callbacks
from huntsim.analysis.formatting import format_value
from huntsim.analysis.intervals import paired_difference
from huntsim.experiments.sweep_grid import TRAFFIC

if TYPE_CHECKING:
    from huntsim.experiments.sweeps import Sweep

__all__ = ["GOAL", "conclude_sweep", "parameter_label", "parameter_value", "parameter_words"]

GOAL = 0.8
"""The service level a sweep's conclusion measures each policy against (80 %)."""

_MOST = 4
"""Points named in a sentence before the rest are counted."""


def parameter_label(parameter: str) -> str:
    """How a swept parameter heads a table: ``traffic`` in words; a path by its last
    key, then where it is (so that a narrow column can wrap it).

    >>> parameter_label("traffic"), parameter_label("hunt_groups[0].no_answer_rings")
    ('Traffic (x arrival rates)', 'no_answer_rings (hunt_groups[0])')
    >>> parameter_label("duration"), parameter_label("hunt_groups[0].callback.accept")
    ('duration', 'accept, probability (hunt_groups[0].callback)')
    """
    if parameter == TRAFFIC:
        return "Traffic (x arrival rates)"
    head, dot, last = parameter.rpartition(".")
    unit = _UNITS.get(last)
    named = f"{last}, {unit}" if unit else last
    return f"{named} ({head})" if dot and head else parameter


_UNITS: dict[str, str] = {
    "accept": "probability", "reached": "probability", "answer_probability": "probability",
    "call_waiting_answer": "probability", "penalty": "0 rung first",
}
"""Swept keys whose values carry no unit as written: what the number is."""


def parameter_words(parameter: str, value: Any) -> str:
    """A parameter at a value, in a sentence: ``traffic x1.5``, ``path = 3``.

    >>> parameter_words("traffic", 1.5), parameter_words("agents[0].talk_time", "3min")
    ('traffic x1.5', 'agents[0].talk_time = 3min')
    """
    if parameter == TRAFFIC:
        return f"traffic x{value:g}" if isinstance(value, int | float) else f"traffic x{value}"
    return f"{parameter} = {parameter_value(value)}"


def parameter_value(value: Any) -> str:
    """A swept value as text: ``none`` for a key swept to null (``callback=null,...``:
    without call backs), which the points table holds as missing.

    >>> parameter_value(None), parameter_value(float("nan")), parameter_value("30s")
    ('none', 'none', '30s')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    return str(value)


def _numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _reach(parameter: str, values: Sequence[Any], met: Sequence[Any]) -> str:
    """Where along ``values`` (in order) the goal is met, in words."""
    if len(met) == len(values):
        return "at every value tried"
    if not met:
        return "at no value tried"
    if _numeric(values) and list(met) == list(values[:len(met)]):
        return f"up to {parameter_words(parameter, met[-1])}"
    if _numeric(values) and list(met) == list(values[-len(met):]):
        return f"from {parameter_words(parameter, met[0])} up"
    return "at " + ", ".join(parameter_words(parameter, v) for v in met)


def _goal_sentences(result: Sweep, rows: pd.DataFrame, goal: float) -> list[str]:
    level = result.level_metric
    first = {p: result.points[p].iloc[0] for p in result.parameters}
    target = f"{in_words(level)} at {100 * goal:g} % or more"
    sentences = []
    for parameter in result.parameters:
        held = {p: v for p, v in first.items() if p != parameter}
        shown = rows
        for name, value in held.items():
            shown = shown[shown[name] == value]
        values = list(dict.fromkeys(result.points[parameter]))
        if _numeric(values):
            values = sorted(values)
        parts = []
        for policy in result.policies:
            block = shown[shown["policy"] == policy]
            means = dict(zip(block[parameter], block["mean"].to_numpy(dtype=float),
                             strict=True))
            met = [v for v in values if means.get(v, math.nan) >= goal]
            reach = _reach(parameter, values, met)
            finite = [(m, v) for v, m in means.items() if math.isfinite(m)]
            if not met and finite:
                best, where = max(finite, key=lambda pair: pair[0])
                reach += (f" (at most {format_value(level, best)}, at "
                          f"{parameter_words(parameter, where)})")
            parts.append((policy_label(policy), reach))
        context = ("With " + ", ".join(parameter_words(p, v) for p, v in held.items()) + ", "
                   if held else "")
        head, *rest = parts
        text = f"{context}{head[0]} keeps {target} {head[1]}"
        text += "".join(f"; {name} {reach}" for name, reach in rest)
        sentences.append(text + ".")
    return sentences


def _point_words(result: Sweep, point: int) -> str:
    row = result.points[result.points["point"] == point]
    return ", ".join(parameter_words(p, row[p].iloc[0]) for p in result.parameters)


def _best_sentence(result: Sweep, rows: pd.DataFrame, group: str) -> str:
    """Which policy is clearly best on the service level, point by point."""
    level = result.level_metric
    raw = result.raw[(result.raw["group"] == group) & (result.raw["metric"] == level)]
    clear: dict[str, list[str]] = {}
    unclear = 0
    higher = metric(level).higher_is_better is not False
    for point, block in rows.groupby("point", sort=True):
        ranked = block.dropna(subset=["mean"]).sort_values("mean", ascending=not higher)
        if len(ranked) < 2:
            continue
        best, second = str(ranked["policy"].iloc[0]), str(ranked["policy"].iloc[1])
        runs = raw[raw["point"] == point].pivot_table(index="replication", columns="policy",
                                                      values="value", aggfunc="first")
        _, low, high = paired_difference(runs[best], runs[second])
        if (low > 0 or high < 0) and not math.isnan(low):
            where = _point_words(result, int(str(point)))
            clear.setdefault(best, []).append(where)
        else:
            unclear += 1
    words = in_words(level)
    if not clear:
        return (f"No policy is clearly best on {words} at any point: the paired 95 % "
                "interval of the best against the next best covers 0.")
    if len(clear) == 1 and not unclear:
        return f"{policy_label(next(iter(clear)))} is clearly best on {words} at every point."
    parts = []
    for policy, points in clear.items():
        named = "; ".join(points[:_MOST]) + (f" and {len(points) - _MOST} more points"
                                             if len(points) > _MOST else "")
        parts.append(f"{policy_label(policy)} is clearly best on {words} at {named}")
    tail = ("; elsewhere no policy is clearly better" if unclear else "")
    return "; ".join(parts) + tail + "."


def conclude_sweep(result: Sweep, group: str, goal: float = GOAL) -> list[str]:
    """What the sweep shows for ``group``, in plain sentences.

    One sentence per swept parameter (the others held at their first value):
    how far each policy keeps the service level at ``goal`` or more; then, with
    several policies, which is clearly best on it (paired 95 % intervals); where
    callers are called back, how far the calls served (answered or called back) range.
    With one replication: that two are needed, and no conclusion.
    """
    if result.replications < 2:
        return ["One replication per point gives no interval: run at least two "
                "replications to draw a conclusion."]
    level = result.level_metric
    rows = result.table[(result.table["group"] == group) & (result.table["metric"] == level)]
    sentences = _goal_sentences(result, rows, goal)
    if len(result.policies) > 1:
        sentences.append(_best_sentence(result, rows, group))
    served = _served_sentence(result, group)
    if served:
        sentences.append(served)
    return sentences


def _served_sentence(result: Sweep, group: str) -> str:
    """Where callers are called back: the service level counts live answers only, so
    how far the calls served (answered or called back) range, per policy ("" without
    call backs)."""
    table = result.table[result.table["group"] == group]
    largest = table.groupby("metric")["mean"].max()
    if not uses_callbacks(largest.get):
        return ""
    rows = table[table["metric"] == "served_rate"].dropna(subset=["mean"])
    parts = []
    for policy in result.policies:
        block = rows[rows["policy"] == policy]
        if not len(block):
            continue
        means = block["mean"].to_numpy(dtype=float)
        low, high = block.iloc[int(means.argmin())], block.iloc[int(means.argmax())]
        if format_value("served_rate", float(low["mean"])) == \
                format_value("served_rate", float(high["mean"])):
            parts.append(f"{policy_label(policy)} "
                         f"{format_value('served_rate', float(low['mean']))} at every point")
            continue
        reach = (f"from {format_value('served_rate', float(low['mean']))} "
                 f"(at {_point_words(result, int(low['point']))}) to "
                 f"{format_value('served_rate', float(high['mean']))} "
                 f"(at {_point_words(result, int(high['point']))})")
        parts.append(f"{policy_label(policy)} {reach}")
    if not parts:
        return ""
    return (f"Callers are called back: {in_words(result.level_metric)} counts live answers "
            f"only; {in_words('served_rate')}: " + "; ".join(parts) + ".")
