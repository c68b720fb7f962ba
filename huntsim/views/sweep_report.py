"""Figures and the report page of a sweep: each metric against each swept parameter.

The page is self-contained like the other reports (figures embedded as PNG);
its page and warnings come from the kit :mod:`huntsim.views.html`, its scenario section
from :mod:`huntsim.views.report`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from huntsim.analysis.catalog import (
    CALLBACK_METRICS,
    SWEEP_METRICS,
    SWEEP_METRICS_WHEN_USED,
    is_share,
    label,
    policy_label,
)
from huntsim.analysis.formatting import bounds
from huntsim.experiments.sweep_conclusion import parameter_label
from huntsim.experiments.sweeps import Sweep
from huntsim.outputs import atomic_write
from huntsim.views.console import sweep_table
from huntsim.views.html import img, page, save_figures, warnings_section, write_csv

__all__ = ["plot_sweep", "plot_sweep_heatmap", "write_sweep"]


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    return Figure(figsize=(6, 4)).add_subplot()


def _numeric(values: Sequence[object]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def plot_sweep(table: pd.DataFrame, parameter: str, metric: str,
               fixed: dict[str, object] | None = None, ax: Axes | None = None) -> Axes:
    """``metric`` against one swept ``parameter``, a line per policy, with 95 % intervals.

    Parameters
    ----------
    table : DataFrame
        :attr:`Sweep.table` (of one group).
    parameter : str
        The swept parameter on the x axis.
    metric : str
        The metric on the y axis.
    fixed : dict, optional
        Values of the other swept parameters to hold (default: all rows).
    ax : Axes, optional
        Where to draw; a new figure's axes if not given.
    """
    ax = _axes(ax)
    rows = table[table["metric"] == metric]
    for name, value in (fixed or {}).items():
        rows = rows[rows[name] == value]
    values = list(dict.fromkeys(rows[parameter]))
    numeric = _numeric(values)
    scale = 100.0 if is_share(metric) else 1.0
    for policy, block in rows.groupby("policy", sort=False):
        x = (block[parameter].to_numpy(dtype=float) if numeric
             else np.array([values.index(v) for v in block[parameter]], dtype=float))
        mean = scale * block["mean"].to_numpy(dtype=float)
        lowest, highest = bounds(metric)  # intervals clipped to the metric's range
        low = scale * np.clip(block["ci_low"].to_numpy(dtype=float), lowest, highest)
        high = scale * np.clip(block["ci_high"].to_numpy(dtype=float), lowest, highest)
        error = np.nan_to_num(np.vstack([mean - low, high - mean]))
        ax.errorbar(x, mean, yerr=error, marker="o", capsize=3, label=policy_label(str(policy)))
    if not numeric:
        ax.set_xticks(range(len(values)), [str(v) for v in values], rotation=20)
    elif len(values) <= 12:
        ax.set_xticks(sorted(float(v) for v in values), [str(v) for v in sorted(values)])
    ax.set_xlabel(parameter_label(parameter))
    ax.set_ylabel(label(metric))
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_sweep_heatmap(table: pd.DataFrame, x: str, y: str, metric: str, policy: str,
                       fixed: dict[str, object] | None = None, ax: Axes | None = None,
                       limits: tuple[float, float] | None = None) -> Axes:
    """Mean ``metric`` of one ``policy`` over two swept parameters, as a heat map.

    ``limits`` (in the metric's units) fixes the colour scale, so that maps of
    several policies can be compared colour for colour.
    """
    ax = _axes(ax)
    rows = table[(table["metric"] == metric) & (table["policy"] == policy)]
    for name, value in (fixed or {}).items():
        rows = rows[rows[name] == value]
    xs, ys = list(dict.fromkeys(rows[x])), list(dict.fromkeys(rows[y]))
    grid = np.full((len(ys), len(xs)), np.nan)
    for xv, yv, mean in zip(rows[x], rows[y], rows["mean"], strict=True):
        grid[ys.index(yv), xs.index(xv)] = float(mean)
    scale = 100.0 if is_share(metric) else 1.0
    low, high = (scale * limits[0], scale * limits[1]) if limits is not None else (
        np.nanmin(scale * grid, initial=np.inf), np.nanmax(scale * grid, initial=-np.inf))
    image = ax.imshow(scale * grid, aspect="auto", origin="lower", cmap="viridis",
                      vmin=low if math.isfinite(low) else None,
                      vmax=high if math.isfinite(high) else None)
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(parameter_label(x))
    ax.set_ylabel(parameter_label(y))
    ax.set_title(f"{policy_label(policy)}: {label(metric)}")
    for (row, column), value in np.ndenumerate(scale * grid):
        if not math.isnan(value):
            light = image.cmap(image.norm(np.asarray(value)))[:3]  # dark text on light colours
            luminance = 0.299 * light[0] + 0.587 * light[1] + 0.114 * light[2]
            ax.text(column, row, f"{value:.1f}" if scale != 1 else f"{value:.3g}",
                    ha="center", va="center",
                    color="black" if luminance > 0.5 else "white")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_") or "parameter"


FIGURE_WIDTH = 9.5
"""Inches: a sweep figure at the report's 110 dpi fits its 1,100 pixel column unscaled,
so that its fonts print at their size."""

FONT_SIZE = 10.0
"""Points: the smallest text of a sweep figure (ticks, legends), legible at the report's width."""

_FONTS: dict[str, Any] = {"font.size": FONT_SIZE + 1, "axes.labelsize": FONT_SIZE + 1,
          "axes.titlesize": FONT_SIZE + 2, "xtick.labelsize": FONT_SIZE,
          "ytick.labelsize": FONT_SIZE, "legend.fontsize": FONT_SIZE}


def sweep_figures(result: Sweep, group: str) -> dict[str, tuple[Figure, str]]:
    """The figures of a sweep: name to (figure, caption).

    At most :data:`FIGURE_WIDTH` inches wide (two plots a row), text at least
    :data:`FONT_SIZE` points.
    """
    import matplotlib as mpl

    with mpl.rc_context(_FONTS):  # type: ignore[arg-type]
        return _sweep_figures(result, group)


def _sweep_figures(result: Sweep, group: str) -> dict[str, tuple[Figure, str]]:
    table = result.table[result.table["group"] == group]
    first = {p: result.points[p].iloc[0] for p in result.parameters}
    used = result.shown_metrics(group)
    metrics = (result.level_metric, *SWEEP_METRICS,
               *(m for m in used if m in SWEEP_METRICS_WHEN_USED),
               *(m for m in used if m in CALLBACK_METRICS and m not in SWEEP_METRICS))
    figures = {}
    for number, parameter in enumerate(result.parameters):
        fixed = {p: v for p, v in first.items() if p != parameter}
        across = min(2, len(metrics))
        down = -(-len(metrics) // across)
        fig = Figure(figsize=(FIGURE_WIDTH, 3.6 * down), layout="constrained")
        axes = fig.subplots(down, across, squeeze=False).ravel()
        for ax in axes[len(metrics):]:
            ax.set_visible(False)
        for ax, metric in zip(axes, metrics, strict=False):
            plot_sweep(table, parameter, metric, fixed, ax=ax)
        held = ", ".join(f"{p} = {v}" for p, v in fixed.items())
        figures[f"sweep_{number + 1}_{_slug(parameter)}"] = (
            fig, f"Metrics against {parameter}" + (f" ({held})" if held else ""))
    if len(result.parameters) >= 2:
        x, y = result.parameters[:2]
        fixed = {p: v for p, v in first.items() if p not in (x, y)}
        across = min(2, len(result.policies))
        down = -(-len(result.policies) // across)
        fig = Figure(figsize=(FIGURE_WIDTH, 4 * down), layout="constrained")
        grid_axes = fig.subplots(down, across, squeeze=False).ravel()
        for ax in grid_axes[len(result.policies):]:
            ax.set_visible(False)
        axes = grid_axes[:len(result.policies)]
        shown = table[table["metric"] == result.level_metric]
        for name, value in fixed.items():
            shown = shown[shown[name] == value]
        limits = (float(shown["mean"].min()), float(shown["mean"].max()))  # one scale for all
        for ax, policy in zip(axes, result.policies, strict=True):
            plot_sweep_heatmap(table, x, y, result.level_metric, policy, fixed, ax=ax,
                               limits=limits)
        held = ", ".join(f"{p} = {v}" for p, v in fixed.items())
        figures["sweep_heatmap"] = (fig, f"{label(result.level_metric)} over {x} and {y}"
                                    + (f" ({held})" if held else ""))
    return figures


def sweep_section(result: Sweep, group: str, images: dict[str, tuple[bytes, str]]) -> str:
    """The sweep as an HTML section: the grid, the service-level table and the figures."""
    grid = "".join(
        f"<li><code>{html.escape(p)}</code>: "
        f"{html.escape(', '.join(map(str, dict.fromkeys(result.points[p]))))}</li>"
        for p in result.parameters)
    header, rows = sweep_table(result, group)
    tables = pd.DataFrame(rows, columns=header).to_html(border=0, index=False)
    figures = "".join(img(data, caption) for data, caption in images.values())
    conclusion = "".join(f"<li>{html.escape(line)}</li>" for line in result.conclusion(group))
    return (f"<h2>Sweep</h2><p>{len(result.points)} grid points, {len(result.policies)} "
            f"policies ({', '.join(map(policy_label, result.policies))}), "
            f"{result.replications} replications each, "
            f"master seed {result.seed}; replication i meets the same callers at every point "
            f"(common random numbers). Group {html.escape(group)}.</p><ul>{grid}</ul>"
            f"<h3>Conclusion</h3><ul class='conclusion'>{conclusion}</ul>"
            f"{figures}<h3>Figures per grid point and policy</h3>"
            f"<p class='note'>Mean ± half-width of the 95 % interval over replications; an "
            "interval reaching past what a figure can be (below 0, above 100 %) is cut there "
            f"and written as its two ends.</p>{tables}")


def write_sweep(result: Sweep, out: Path, group: str | None = None) -> Path:
    """Write a sweep's tables (CSV), figures (PNG) and ``report.html`` into ``out``."""
    from huntsim.views.report import scenario_summary

    group = group or result.scenario.hunt_groups[0].pilot
    for name, table in (("sweep", result.table), ("sweep_runs", result.raw),
                        ("points", result.points)):
        write_csv(table, out / f"{name}.csv")
    figures = sweep_figures(result, group)
    saved = save_figures({name: fig for name, (fig, _) in figures.items()}, out)
    images = {name: (saved[name], caption) for name, (_, caption) in figures.items()}
    text = page(f"What-if sweep: {result.scenario.name}", [
        warnings_section(result.warnings),
        sweep_section(result, group, images),
        "<h2>What was simulated (before the changes)</h2>",
        scenario_summary(result.scenario),
    ])
    return atomic_write(out / "report.html", lambda p: p.write_text(text, encoding="utf-8"))
