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
from matplotlib.ticker import MaxNLocator

from huntsim.calendar import WEEKDAYS
from huntsim.records import OUTCOMES

__all__ = [
    "plot_hourly",
    "plot_member_load",
    "plot_outcome_mix",
    "plot_staffing_curve",
    "plot_wait_ecdf",
    "plot_week_heatmap",
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


def _hour_position(rows: pd.DataFrame) -> pd.Series:
    """x position of each row: the hour, or the hour of the week when there is a weekday."""
    hour = rows["hour"].astype(int)
    if "weekday" not in rows.columns:
        return hour
    day = rows["weekday"].map({d: i for i, d in enumerate(WEEKDAYS)}).fillna(0).astype(int)
    return day * 24 + hour


def plot_hourly(hourly: pd.DataFrame, level_metric: str = "service_level_20s",
                policies: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Service level (lines) and calls offered per hour (bars) by hour of the day or week.

    Parameters
    ----------
    hourly : DataFrame
        ``Comparison.hourly`` for one group (``policy, hour, metric, mean``;
        with a ``weekday`` column, the hours are those of the week, and a line
        breaks where the office has no calls).
    level_metric : str
        The service-level metric to draw.
    policies : sequence of str, optional
        The policies to draw (default all); the bars are the first one's traffic.
    """
    ax = _axes(ax)
    weekly = "weekday" in hourly.columns
    chosen = list(policies or dict.fromkeys(hourly["policy"]))
    offered = hourly[(hourly["metric"] == "offered_per_hour")
                     & (hourly["policy"] == chosen[0])]
    load_ax = ax.twinx()
    load_ax.bar(_hour_position(offered), offered["mean"], color="lightgrey", width=0.8,
                zorder=0)
    load_ax.set_ylabel("calls offered per hour")
    ax.set_zorder(load_ax.get_zorder() + 1)
    ax.patch.set_visible(False)
    for policy in chosen:
        block = hourly[(hourly["metric"] == level_metric) & (hourly["policy"] == policy)]
        line = pd.Series(block["mean"].to_numpy(dtype=float),
                         index=_hour_position(block).to_numpy())
        if weekly:  # no line across the hours without calls (nights, weekends)
            line = line.groupby(level=0).first().reindex(range(7 * 24))
        ax.plot(line.index, line.to_numpy(), marker="o", markersize=3 if weekly else 6,
                label=str(policy))
    if weekly:
        ax.set_xticks([24 * d + 12 for d in range(7)], [d.capitalize() for d in WEEKDAYS])
        ax.set_xticks([24 * d for d in range(1, 7)], minor=True)  # midnights
        ax.tick_params(axis="x", which="minor", length=0)
        ax.grid(axis="x", which="minor", color="grey", linewidth=0.5, linestyle=":")
        ax.set_xlim(-1, 7 * 24)
        ax.set_xlabel("hour of the week")
    else:
        ax.set_xlabel("hour of the day (from opening)")
    ax.set_ylabel(level_metric.replace("_", " "))
    ax.set_ylim(0, 1.02)
    ax.set_title("Service level and traffic by hour")
    ax.legend(frameon=False, loc="lower left")
    return ax


def plot_week_heatmap(table: pd.DataFrame, value: str = "mean", ax: Axes | None = None,
                      title: str | None = None, share: bool = False,
                      cmap: str = "viridis") -> Axes:
    """A weekday x clock-hour heat map, each cell labelled with its value.

    Parameters
    ----------
    table : DataFrame
        Rows with ``weekday`` (``mon`` ... ``sun``, or e.g. ``daily``),
        ``hour`` and the column ``value``: e.g. one metric of
        ``Comparison.hourly`` for one policy, or ``StaffingPlan.by_hour`` with
        ``value="members_needed"``. One row per weekday and hour.
    value : str
        The column to draw.
    title : str, optional
        The panel's title (default: ``value``).
    share : bool
        Values are shares in [0, 1]: a fixed colour scale and labels in %.
    cmap : str
        A Matplotlib colour map.

    Notes
    -----
    Hours with no row are left blank; the columns run from the earliest to
    the latest hour that has one.
    """
    ax = _axes(ax)
    ax.set_title(title or value.replace("_", " "))
    if not len(table):
        ax.text(0.5, 0.5, "no calls", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    days = list(dict.fromkeys(table["weekday"].astype(str)))
    order = [d for d in WEEKDAYS if d in days] + [d for d in days if d not in WEEKDAYS]
    values = pd.to_numeric(table[value], errors="coerce").astype(float)
    grid = (pd.DataFrame({"weekday": table["weekday"].astype(str).to_numpy(),
                          "hour": table["hour"].astype(int).to_numpy(),
                          "value": values.to_numpy()})
            .pivot_table(index="weekday", columns="hour", values="value", aggfunc="first",
                         dropna=False))
    hours = range(int(table["hour"].min()), int(table["hour"].max()) + 1)
    grid = grid.reindex(index=order, columns=list(hours))
    data = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    image = ax.imshow(data, aspect="auto", cmap=cmap, vmin=0.0 if share else None,
                      vmax=1.0 if share else None, interpolation="nearest")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    finite = data.compressed()
    if not share and len(finite) and np.all(finite == np.round(finite)):
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # members: whole numbers
    for (row, column), cell in np.ndenumerate(grid.to_numpy(dtype=float)):
        if np.isnan(cell):
            continue
        text = f"{100 * cell:.0f}" if share else f"{cell:.3g}"
        red, green, blue, _ = image.cmap(image.norm(cell))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        ax.text(column, row, text, ha="center", va="center", fontsize="x-small",
                color="white" if dark else "black")
    ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours], fontsize="small")
    ax.set_yticks(range(len(order)), [d.capitalize() for d in order])
    ax.set_xlabel("clock hour (08 = 08:00-09:00)" + (", values in %" if share else ""))
    return ax
