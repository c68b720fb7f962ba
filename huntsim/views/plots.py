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
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from numpy.typing import NDArray

from huntsim.analysis.catalog import OUTCOMES, is_share, metric, outcome_label, policy_label
from huntsim.scenario.calendar import WEEKDAYS

__all__ = [
    "differences_figure",
    "fair_share_line",
    "outcome_figure",
    "plot_differences",
    "plot_hourly",
    "plot_member_load",
    "plot_outcome_mix",
    "plot_outcome_share",
    "plot_staffing_curve",
    "plot_wait_ecdf",
    "plot_week_heatmap",
]

_OUTCOME_COLOURS = dict(zip(OUTCOMES, ("#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#9b2226",
                                        "#577590", "#264653", "#adb5bd"), strict=True))
"""A colour per outcome, in the order of the catalog's outcomes."""
_BETTER, _WORSE, _SAME = "#2a9d8f", "#c0392b", "#7f7f7f"


def _title(name: str) -> str:
    """A metric's label with its unit, from the catalog (the name itself if unknown)."""
    try:
        return metric(name).title
    except ValueError:
        return name.replace("_", " ")


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
            ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post",
                    label=policy_label(str(policy)))
    if threshold_s is not None:
        ax.axvline(threshold_s, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("wait to answer (s)")
    ax.set_ylabel("share of answered calls")
    ax.set_ylim(0, 1.01)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title("Wait to answer")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, loc="lower right")
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
        With ``load_share``, a dotted line over each member's bars marks their
        fair share given who was logged in when calls were taken (:func:`fair_share_line`).

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
               width, yerr=np.nan_to_num(error), capsize=2, label=policy_label(str(policy)))
    if metric == "load_share" and labels:
        fair = fair_share_line(members, positions)
        ax.hlines(fair, x - 0.45, x + 0.45, color="grey", linestyle=":", linewidth=1.5,
                  label="fair share (who was logged in)")
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_ylabel({"load_share": "share of the group's talk time",
                   "load_erlang": "carried load (Erlang)"}.get(metric, metric))
    if metric == "load_share":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title("Load per member (list order)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars
    return ax


def fair_share_line(members: pd.DataFrame, positions: Sequence[int]) -> NDArray[np.float64]:
    """Each member's fair share of the group's talk time, the load chart's dotted line.

    The mean over runs and policies of ``expected_share`` (each answered call's
    talk split evenly among the members logged in when it was answered, see
    :func:`huntsim.analysis.fairness.fair_shares`), by ``position``; an even
    share ``1/n`` for members tables without it (saved by an older version).

    Examples
    --------
    >>> rows = pd.DataFrame({"policy": "circular", "position": [1, 2, 3],
    ...                      "metric": "expected_share", "mean": [0.4, 0.4, 0.2]})
    >>> fair_share_line(rows, [1, 2, 3]).tolist()
    [0.4, 0.4, 0.2]
    """
    rows = members[members["metric"].to_numpy() == "expected_share"]
    even = np.full(len(positions), 1.0 / len(positions)) if len(positions) else np.zeros(0)
    if not len(rows):
        return even
    by_position = rows.groupby("position")["mean"].mean().reindex(list(positions))
    line: NDArray[np.float64] = by_position.fillna(pd.Series(even, index=by_position.index)
                                                   ).to_numpy(dtype=float)
    return line


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
            ax.bar(policies, values, bottom=bottom, label=outcome_label(outcome),
                   color=_OUTCOME_COLOURS[outcome])
        bottom += values
    ax.set_ylabel("share of pilot calls")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title("Outcome of pilot calls")
    # beside the bars, never on them
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


def plot_outcome_share(table: pd.DataFrame, outcome: str, ax: Axes | None = None) -> Axes:
    """One outcome's share of the calls per policy, on an axis scaled to that outcome.

    Each policy is a bar from zero with its 95 % interval and its value
    written beside it; the axis ends a little past the largest interval, so
    that 4 % against 6 % voicemail is as visible as 80 % against 90 % answered.

    Parameters
    ----------
    table : DataFrame
        ``Comparison.table`` for one group (``policy, metric, mean, ci_low, ci_high``).
    outcome : str
        ``answered``, ``voicemail``, ``busy``, ``no_answer``, ``abandoned`` or
        ``forwarded``, or any rate metric such as ``service_level_20s``.

    Examples
    --------
    >>> table = pd.DataFrame({"policy": ["regular", "simultaneous"],
    ...                       "metric": ["voicemail_rate"] * 2, "mean": [0.04, 0.06],
    ...                       "ci_low": [0.035, 0.055], "ci_high": [0.045, 0.065]})
    >>> ax = plot_outcome_share(table, "voicemail")
    >>> [t.get_text() for t in ax.texts]
    ['4.0 %', '6.0 %']
    """
    ax = _axes(ax)
    name = outcome if outcome in table["metric"].to_numpy() else f"{outcome}_rate"
    rows = table[table["metric"].to_numpy() == name]
    policies = list(dict.fromkeys(rows["policy"]))
    block = rows.drop_duplicates("policy").set_index("policy").reindex(policies)
    mean = block["mean"].to_numpy(dtype=float)
    low = np.fmin(np.clip(block["ci_low"].to_numpy(dtype=float), 0, 1), mean)  # a share:
    high = np.fmax(np.clip(block["ci_high"].to_numpy(dtype=float), 0, 1), mean)  # 0 to 100 %
    y = np.arange(len(policies))[::-1]  # the first policy on top
    colour = _OUTCOME_COLOURS.get(name.removesuffix("_rate"), "#4c72b0")
    error = np.nan_to_num(np.vstack([mean - low, high - mean]))
    ax.barh(y, np.nan_to_num(mean), xerr=error, color=colour, height=0.6, capsize=3,
            error_kw={"elinewidth": 1})
    finite = np.append(high, mean)
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) if finite.size else 0.0
    top = min(1.0, top * 1.25) if top > 0 else 0.01
    for y_k, m_k, h_k in zip(y, mean, high, strict=True):
        if np.isfinite(m_k):
            digits = 1 if top > 0.05 else 2
            ax.text(max(h_k, m_k) + top * 0.02, y_k, f"{100 * m_k:.{digits}f} %",
                    va="center", fontsize="small")
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    decimals = 0 if top > 0.04 else 1 if top > 0.004 else 2
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
    ax.set_yticks(y, [policy_label(p) for p in policies])
    ax.set_title(_title(name).replace(" (% of calls)", ""), fontsize="medium")
    ax.set_xlabel("% of calls")
    return ax


def plot_differences(differences: pd.DataFrame, metric_name: str,
                     higher_is_better: bool | None = None, ax: Axes | None = None) -> Axes:
    """Paired differences against the baseline, one row per policy (a forest plot).

    A dot is the mean difference over the replications and the line its 95 %
    interval; green where the policy is significantly better than the
    baseline (the interval excludes 0 on the good side), red where it is
    significantly worse, grey where the interval covers 0.

    Parameters
    ----------
    differences : DataFrame
        ``Comparison.differences`` for one group (``policy, baseline, metric,
        mean, ci_low, ci_high``).
    metric_name : str
        The metric to draw; rates are shown in percentage points.
    higher_is_better : bool, optional
        The good direction; default the metric catalog's.

    Examples
    --------
    >>> diffs = pd.DataFrame({"policy": ["circular", "simultaneous"],
    ...                       "baseline": "regular", "metric": "voicemail_rate",
    ...                       "mean": [0.001, 0.015], "ci_low": [-0.002, 0.012],
    ...                       "ci_high": [0.004, 0.018]})
    >>> ax = plot_differences(diffs, "voicemail_rate")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Circular', 'Simultaneous']
    """
    ax = _axes(ax)
    if higher_is_better is None:
        try:
            higher_is_better = metric(metric_name).higher_is_better
        except ValueError:
            higher_is_better = None
    rows = differences[differences["metric"].to_numpy() == metric_name]
    rows = rows.drop_duplicates("policy")
    scale = 100.0 if is_share(metric_name) else 1.0
    mean = rows["mean"].to_numpy(dtype=float) * scale
    low = rows["ci_low"].to_numpy(dtype=float) * scale
    high = rows["ci_high"].to_numpy(dtype=float) * scale
    y = np.arange(len(rows))[::-1]
    for y_k, m_k, lo_k, hi_k in zip(y, mean, low, high, strict=True):
        colour = _SAME
        meant = abs(m_k / scale) >= _negligible(metric_name)
        if higher_is_better is not None and (lo_k > 0 or hi_k < 0) and meant:
            colour = _BETTER if (m_k > 0) == higher_is_better else _WORSE
        ax.plot([lo_k, hi_k], [y_k, y_k], color=colour, linewidth=2.5, solid_capstyle="butt")
        ax.plot([m_k], [y_k], marker="o", color=colour, markersize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    finite = np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [0.0]])
    span = float(finite.max() - finite.min()) or 1.0
    ax.set_xlim(finite.min() - 0.1 * span, finite.max() + 0.1 * span)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks(y, [policy_label(str(p)) for p in rows["policy"]])
    baseline = policy_label(str(rows["baseline"].iloc[0])) if len(rows) else "baseline"
    unit = "points" if scale == 100.0 else _unit(metric_name)
    direction = {True: " (right is better)", False: " (left is better)"}.get(
        higher_is_better, "") if higher_is_better is not None else ""
    ax.set_xlabel(f"difference from {baseline}" + (f", {unit}" if unit else "") + direction)
    ax.set_title(_title(metric_name), fontsize="medium")
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    return ax


def _negligible(metric_name: str) -> float:
    """The size below which a difference in ``metric_name`` is negligible (the verdict's)."""
    from huntsim.experiments.verdict import NEGLIGIBLE

    try:
        return NEGLIGIBLE.get(metric(metric_name).kind, 0.0)
    except ValueError:
        return 0.0


def outcome_figure(table: pd.DataFrame, outcomes: Sequence[str] | None = None) -> Figure:
    """One panel per outcome that occurs (see :func:`plot_outcome_share`), side by side.

    Parameters
    ----------
    table : DataFrame
        ``Comparison.table`` for one group.
    outcomes : sequence of str, optional
        Default: every outcome with a share above 0 for some policy.
    """
    if outcomes is None:
        shares = table[table["metric"].isin([f"{o}_rate" for o in OUTCOMES])]
        present = set(shares.loc[shares["mean"].to_numpy(dtype=float) > 0, "metric"])
        outcomes = [o for o in OUTCOMES if f"{o}_rate" in present] or ["answered"]
    fig = Figure(figsize=(max(3.0 * len(outcomes), 6.0), 0.9 + 0.45 * table["policy"].nunique()),
                 layout="constrained")
    for k, (ax, outcome) in enumerate(zip(fig.subplots(1, len(outcomes), squeeze=False)[0],
                                          outcomes, strict=True)):
        plot_outcome_share(table, outcome, ax=ax)
        if k:
            ax.tick_params(axis="y", labelleft=False)
    return fig


def differences_figure(differences: pd.DataFrame, metrics: Sequence[str],
                       columns: int = 3) -> Figure:
    """A forest plot per metric (see :func:`plot_differences`), in rows of ``columns``.

    Parameters
    ----------
    differences : DataFrame
        ``policy, baseline, metric, mean, ci_low, ci_high``, e.g. one group's
        ``Comparison.differences``.
    metrics : sequence of str
        The metrics to draw, one panel each, in this order.
    columns : int
        Panels per row.
    """
    metrics = [m for m in metrics if (differences["metric"] == m).any()] or list(metrics[:1])
    columns = max(1, min(columns, len(metrics)))
    rows = -(-len(metrics) // columns)
    policies = differences["policy"].nunique()
    fig = Figure(figsize=(3.4 * columns, rows * (1.3 + 0.4 * policies)), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for k, ax in enumerate(axes):
        if k < len(metrics):
            plot_differences(differences, metrics[k], ax=ax)
            ax.set_xlabel(ax.get_xlabel().replace(" (", "\n("), fontsize="small")
            if k % columns:
                ax.tick_params(axis="y", labelleft=False)
        else:
            ax.set_axis_off()
    return fig


def _unit(name: str) -> str:
    try:
        return metric(name).unit
    except ValueError:
        return ""


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
        line = ax.plot(block["members"], block["mean"], marker="o",
                       label=policy_label(str(policy)))[0]
        ax.fill_between(block["members"], block["ci_low"], block["ci_high"],
                        color=line.get_color(), alpha=0.2, linewidth=0)
    if estimate is not None:
        ax.plot(estimate.index, estimate.to_numpy(), color="black", linestyle="--",
                linewidth=1, label="Erlang estimate")
    if target is not None:
        shown = f"{100 * target:g} %" if is_share(metric) else f"{target:g}"
        ax.axhline(target, color="firebrick", linestyle=":", label=f"target {shown}")
    ax.set_xlabel("members")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(_title(metric))
    if is_share(metric):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(f"Staffing curve: {_title(metric).split(' (')[0]}", fontsize="medium",
                 loc="left")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


def _day_order(day: str) -> int:
    return WEEKDAYS.index(day) if day in WEEKDAYS else len(WEEKDAYS)


class _WeekAxis:
    """x positions of the hours of the week that have rows, days side by side.

    Only the hours with calls take room (no empty nights and Sundays); a gap
    of one hour separates days and breaks within a day. Ticks are clock times
    at the start of each hour: the day's first hour as ``Mon 08:00``, then
    every few hours ``12:00``.
    """

    def __init__(self, rows: pd.DataFrame) -> None:
        keys = sorted(set(zip(rows["weekday"].astype(str), rows["hour"].astype(int),
                              strict=True)), key=lambda k: (_day_order(k[0]), k[1]))
        every = 2 if len(keys) <= 30 else (3 if len(keys) <= 60 else 4)
        self.position: dict[tuple[str, int], int] = {}
        self.ticks: list[tuple[float, str]] = []
        self.days: list[float] = []
        x, previous, labelled = 0, None, -99
        for day, hour in keys:
            new_day = previous is None or day != previous[0]
            if previous is not None and (new_day or hour != previous[1] + 1):
                x += 1
                if new_day:
                    self.days.append(x - 1)
            self.position[(day, hour)] = x
            if new_day:
                self.ticks.append((x - 0.5, f"{day.capitalize()}\n{hour:02d}:00"))
                labelled = x
            elif hour % every == 0 and x - labelled >= every:  # labels never overlap
                self.ticks.append((x - 0.5, f"{hour:02d}:00"))
                labelled = x
            x, previous = x + 1, (day, hour)
        self.size = x

    def of(self, rows: pd.DataFrame) -> np.ndarray:
        """x of each row; NaN for an hour the axis leaves out."""
        return np.array([self.position.get((str(d), int(h)), np.nan) for d, h in
                         zip(rows["weekday"], rows["hour"], strict=True)], dtype=float)

    def line(self, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """x and y of a line that breaks between days and over hours without rows."""
        y = np.full(self.size, np.nan)
        x = self.of(rows)
        kept = np.isfinite(x)
        y[x[kept].astype(int)] = rows["mean"].to_numpy(dtype=float)[kept]
        return np.arange(self.size, dtype=float), y

    def decorate(self, ax: Axes) -> None:
        ax.set_xticks([t for t, _ in self.ticks], [label for _, label in self.ticks],
                      fontsize="x-small")
        for x in self.days:
            ax.axvline(x, color="grey", linewidth=0.6, linestyle=":")
        ax.set_xlim(-1, self.size)
        ax.set_xlabel("weekday and clock time (hours with calls)")


def plot_hourly(hourly: pd.DataFrame, level_metric: str = "service_level_20s",
                policies: Sequence[str] | None = None, ax: Axes | None = None,
                traffic: bool = True) -> Axes:
    """A metric (lines, one per policy) and calls offered per hour (bars), hour by hour.

    Parameters
    ----------
    hourly : DataFrame
        ``Comparison.hourly`` of one group (``policy, hour, metric, mean``; rows of
        several groups are refused, since their lines would mix;
        with a ``weekday`` column, the hours are those of the week, drawn
        against weekday and clock time, only the hours with calls).
    level_metric : str
        The metric to draw: the service level (default), or e.g.
        ``voicemail_rate`` or ``abandoned_rate`` (shares are drawn in %, on
        an axis scaled to the data), ``mean_wait_s``.
    policies : sequence of str, optional
        The policies to draw (default all); the bars are the first one's traffic.
    traffic : bool
        Draw the calls offered per hour as grey bars behind the lines.

    Examples
    --------
    >>> rows = pd.DataFrame({"policy": "regular", "weekday": ["mon", "mon", "tue"],
    ...                      "hour": [8, 9, 8], "metric": "voicemail_rate",
    ...                      "mean": [0.02, 0.05, 0.03]})
    >>> ax = plot_hourly(rows, "voicemail_rate", traffic=False)
    >>> [t.get_text().replace(chr(10), " ") for t in ax.get_xticklabels()]
    ['Mon 08:00', 'Tue 08:00']
    """
    groups = list(dict.fromkeys(hourly["group"])) if "group" in hourly.columns else []
    if len(groups) > 1:
        raise ValueError(f"hourly holds {len(groups)} groups ({', '.join(map(str, groups))}): "
                         "draw one at a time, e.g. plot_hourly(hourly[hourly['group'] == "
                         f"{groups[0]!r}])")
    ax = _axes(ax)
    weekly = "weekday" in hourly.columns
    chosen = list(policies or dict.fromkeys(hourly["policy"]))
    offered = hourly[(hourly["metric"] == "offered_per_hour")
                     & (hourly["policy"] == chosen[0])]
    # the hours with calls in opening hours (after-hours slots have rows of 0 calls)
    busy = offered[offered["mean"].to_numpy(dtype=float) > 0]
    shown = busy if len(busy) else hourly[hourly["metric"] == level_metric]
    week = _WeekAxis(shown) if weekly and len(shown) else None
    if week:
        offered = offered[np.isfinite(week.of(offered))]
    if traffic and len(offered):
        load_ax = ax.twinx()
        x = week.of(offered) if week else offered["hour"].to_numpy(dtype=float)
        load_ax.bar(x, offered["mean"], color="lightgrey", width=0.8, zorder=0)
        load_ax.set_ylabel("calls offered per hour")
        ax.set_zorder(load_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
    top = 0.0
    for policy in chosen:
        block = hourly[(hourly["metric"] == level_metric) & (hourly["policy"] == policy)]
        if week:
            x, y = week.line(block)
        else:
            block = block.sort_values("hour")
            x, y = block["hour"].to_numpy(dtype=float), block["mean"].to_numpy(dtype=float)
        if np.isfinite(y).any():
            top = max(top, float(np.nanmax(y)))
        ax.plot(x, y, marker="o", markersize=3 if week else 5, label=policy_label(str(policy)))
    if week:
        week.decorate(ax)
    else:
        ax.set_xlabel("hour of the day (from the start of the simulated day)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    rate = is_share(level_metric)
    if level_metric.startswith("service_level"):
        ax.set_ylim(0, 1.02)
    else:
        ax.set_ylim(0, (top * 1.15) or (0.01 if rate else 1.0))
    if rate:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(_title(level_metric))
    ax.set_title(f"{_title(level_metric).split(' (')[0]} by hour"
                 + (" and calls offered (grey)" if traffic and len(offered) else ""),
                 fontsize="medium", loc="left")
    # beside the axes, one policy a row: never on the lines, the title or the axis labels,
    # however many policies there are
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
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
