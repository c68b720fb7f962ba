"""Figures for comparisons and plans. Each takes ``ax=None`` and returns the Axes.

They read the tidy tables of :class:`huntsim.Comparison` and
:class:`huntsim.StaffingPlan`, so they also work on tables read back from CSV.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from huntsim.records import OUTCOMES

__all__ = [
    "plot_hourly",
    "plot_member_load",
    "plot_outcome_mix",
    "plot_staffing_curve",
    "plot_wait_ecdf",
]

_OUTCOME_COLOURS = {
    "answered": "#2a9d8f", "voicemail": "#e9c46a", "busy": "#f4a261",
    "no_answer": "#e76f51", "abandoned": "#9b2226",
}


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plot_wait_ecdf(waits: pd.DataFrame, threshold_s: float | None = 20.0,
                   ax: Axes | None = None) -> Axes:
    """Distribution of the wait to answer, one curve per policy (ECDF).

    Parameters
    ----------
    waits : DataFrame
        Columns ``policy`` and ``wait_s`` (answered calls), e.g. ``Comparison.waits``.
    threshold_s : float, optional
        Draw the service-level threshold.
    """
    ax = _axes(ax)
    for policy, block in waits.groupby("policy", sort=False):
        x = np.sort(block["wait_s"].to_numpy(dtype=float))
        if len(x):
            ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post", label=str(policy))
    if threshold_s is not None:
        ax.axvline(threshold_s, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("wait to answer (s)")
    ax.set_ylabel("share of answered calls")
    ax.set_ylim(0, 1.01)
    ax.set_title("Wait to answer")
    ax.legend(frameon=False)
    return ax


def plot_member_load(members: pd.DataFrame, metric: str = "load_share",
                     ax: Axes | None = None) -> Axes:
    """Load per member per policy, as grouped bars with 95 % intervals.

    Parameters
    ----------
    members : DataFrame
        ``Comparison.members`` (``policy, position, agent, name, metric, mean, ci_low, ci_high``)
        for one group. Members are told apart by ``position``; two members with
        the same name are labelled with their numbers too.
    metric : str
        ``load_share`` (share of the group's talk time), ``load_erlang`` or ``group_answered``.

    Raises
    ------
    ValueError
        If ``members`` holds the rows of more than one group.
    """
    rows = members[members["metric"].to_numpy() == metric].reset_index(drop=True)
    if "group" in rows.columns and rows["group"].nunique() > 1:
        groups = ", ".join(repr(str(g)) for g in pd.unique(rows["group"]))
        raise ValueError(f"members holds the rows of several groups ({groups}); "
                         "pass one group's rows")
    ax = _axes(ax)
    policies = list(dict.fromkeys(rows["policy"]))
    # members are told apart by their position in the list: names may repeat, and
    # a name may be another member's number
    order = rows.drop_duplicates("position").sort_values("position")
    positions = order["position"].tolist()
    names = order["name"].astype(str).tolist()
    numbers = order["agent"].astype(str).tolist()
    labels = [name if names.count(name) == 1 else f"{name} ({number})"
              for name, number in zip(names, numbers, strict=True)]
    width = 0.8 / max(len(policies), 1)
    x = np.arange(len(labels))
    for k, policy in enumerate(policies):
        block = (rows[rows["policy"].to_numpy() == policy].drop_duplicates("position")
                 .set_index("position").reindex(positions))
        error = np.vstack([block["mean"] - block["ci_low"], block["ci_high"] - block["mean"]])
        ax.bar(x + (k - (len(policies) - 1) / 2) * width, block["mean"].to_numpy(dtype=float),
               width, yerr=np.nan_to_num(error), capsize=2, label=policy)
    if metric == "load_share" and labels:
        ax.axhline(1 / len(labels), color="grey", linestyle=":", linewidth=1)
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_ylabel({"load_share": "share of the group's talk time",
                   "load_erlang": "carried load (Erlang)"}.get(metric, metric))
    ax.set_title("Load per member (list order)")
    ax.legend(frameon=False, ncol=min(len(policies), 4))
    return ax


def plot_outcome_mix(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """What happened to the calls, per policy (stacked shares).

    Parameters
    ----------
    table : DataFrame
        ``Comparison.table`` for one group (``policy, metric, mean``).
    """
    ax = _axes(ax)
    policies = list(dict.fromkeys(table["policy"]))
    bottom = np.zeros(len(policies))
    for outcome in OUTCOMES:
        rows = table[table["metric"] == f"{outcome}_rate"].set_index("policy")
        values = rows["mean"].reindex(policies).fillna(0.0).to_numpy()
        if values.any():
            ax.bar(policies, values, bottom=bottom, label=outcome.replace("_", " "),
                   color=_OUTCOME_COLOURS[outcome])
        bottom += values
    ax.set_ylabel("share of pilot calls")
    ax.set_ylim(0, 1)
    ax.set_title("Outcome of pilot calls")
    ax.legend(frameon=False, loc="lower right", fontsize="small")
    return ax


def plot_staffing_curve(curve: pd.DataFrame, metric: str, target: float | None = None,
                        estimate: pd.Series | None = None, ax: Axes | None = None) -> Axes:
    """A metric against the number of members, per policy, with 95 % bands.

    Parameters
    ----------
    curve : DataFrame
        ``StaffingPlan.curve`` (``policy, members, metric, mean, ci_low, ci_high``).
    metric : str
        Which metric to draw.
    target : float, optional
        Draw the target as a horizontal line.
    estimate : Series, optional
        An Erlang estimate indexed by members, drawn dashed.
    """
    ax = _axes(ax)
    rows = curve[curve["metric"] == metric]
    for policy, block in rows.groupby("policy", sort=False):
        line = ax.plot(block["members"], block["mean"], marker="o", label=str(policy))[0]
        ax.fill_between(block["members"], block["ci_low"], block["ci_high"],
                        color=line.get_color(), alpha=0.2, linewidth=0)
    if estimate is not None:
        ax.plot(estimate.index, estimate.to_numpy(), color="black", linestyle="--",
                linewidth=1, label="Erlang estimate")
    if target is not None:
        ax.axhline(target, color="firebrick", linestyle=":", label=f"target {target:g}")
    ax.set_xlabel("members")
    ax.set_ylabel(metric.replace("_", " "))
    ax.set_title(f"Staffing curve: {metric.replace('_', ' ')}")
    ax.legend(frameon=False)
    return ax


def plot_hourly(hourly: pd.DataFrame, level_metric: str = "service_level_20s",
                policies: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Service level (lines) and calls offered per hour (bars) by hour of the day.

    Parameters
    ----------
    hourly : DataFrame
        ``Comparison.hourly`` for one group (``policy, hour, metric, mean``).
    """
    ax = _axes(ax)
    chosen = list(policies or dict.fromkeys(hourly["policy"]))
    offered = hourly[(hourly["metric"] == "offered_per_hour")
                     & (hourly["policy"] == chosen[0])]
    load_ax = ax.twinx()
    load_ax.bar(offered["hour"], offered["mean"], color="lightgrey", width=0.8, zorder=0)
    load_ax.set_ylabel("calls offered per hour")
    ax.set_zorder(load_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    for policy in chosen:
        block = hourly[(hourly["metric"] == level_metric) & (hourly["policy"] == policy)]
        ax.plot(block["hour"], block["mean"], marker="o", label=str(policy))
    ax.set_xlabel("hour of the day (from opening)")
    ax.set_ylabel(level_metric.replace("_", " "))
    ax.set_ylim(0, 1.02)
    ax.set_title("Service level and traffic by hour")
    ax.legend(frameon=False, loc="lower left")
    return ax
