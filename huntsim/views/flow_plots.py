"""Figures of where callers end: stacked bars of the shares of :mod:`huntsim.analysis.flows`.

:func:`plot_caller_flows` draws :func:`~huntsim.analysis.flows.caller_flows` as
one stacked bar per pilot, a simple Sankey-like view of the flows;
:func:`plot_journeys` draws :func:`~huntsim.analysis.flows.journey_table` as one
bar per policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from huntsim.analysis.catalog import policy_label
from huntsim.analysis.flows import FLOWS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["plot_caller_flows", "plot_journeys"]

_COLOURS = ("#1b7837", "#5aae61", "#a6dba0", "#fdb863", "#e08214", "#b35806",
            "#d6604d", "#8073ac", "#2166ac", "#bababa")


def plot_caller_flows(flows: pd.DataFrame, ax: Axes | None = None,
                      labels: dict[str, str] | None = None) -> Axes:
    """Stacked horizontal bars: where the callers of each pilot ended, in %.

    Parameters
    ----------
    flows : DataFrame
        :func:`~huntsim.analysis.flows.caller_flows`.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    labels : dict, optional
        Pilot number -> name shown on the axis.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * len(flows)))
    names = [(labels or {}).get(str(p), str(p)) for p in flows.index]
    parts = [(f"{key}_share", label, colour)
             for (key, label), colour in zip(FLOWS.items(), _COLOURS, strict=True)]
    _stacked_bars(ax, names, flows, parts, skip_empty=True, min_label=6, digits=0)
    ax.set_xlim(0, 100)
    ax.set_xlabel("callers (%)")
    ax.set_title("Where callers ended, redials and forwards included")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(flows) < 3 else -0.15),
              ncol=3, fontsize=8, frameon=False)
    return ax


def plot_journeys(journeys: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked bars per policy: callers answered at once, later, or never (%)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.4 + 0.5 * len(journeys)))
    parts = (("answered_first_try_share", "answered at the first attempt (any group)",
              _COLOURS[0]),
             ("answered_later_share", "answered after calling again", _COLOURS[1]),
             ("never_answered_share", "never answered", _COLOURS[6]))
    names = [policy_label(str(p)) for p in journeys.index]
    _stacked_bars(ax, names, journeys, parts, skip_empty=False, min_label=4, digits=1)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("callers (%)")
    ax.set_title("Where callers ended, redials and forwards included")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(journeys) < 4 else -0.12),
              ncol=3, fontsize=8, frameon=False)
    return ax


def _stacked_bars(ax: Axes, names: list[str], table: pd.DataFrame,
                  parts: list[tuple[str, str, str]] | tuple[tuple[str, str, str], ...],
                  skip_empty: bool, min_label: float, digits: int) -> None:
    """Horizontal bars of shares stacked left to right (columns of ``table``, in %),
    labelled where a part is at least ``min_label`` % wide."""
    left = np.zeros(len(table))
    for column, label, colour in parts:
        share = table[column].fillna(0).to_numpy() * 100
        if skip_empty and not share.any():
            continue
        ax.barh(names, share, left=left, color=colour, label=label, height=0.6)
        for y, (x0, width) in enumerate(zip(left, share, strict=True)):
            if width >= min_label:
                ax.text(x0 + width / 2, y, f"{width:.{digits}f} %", ha="center", va="center",
                        fontsize=8)
        left += share
