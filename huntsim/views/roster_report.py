"""The roster's report: ``roster.csv``, ``coverage.csv``, ``rostered.yaml``, a coverage
figure and ``report.html``; the same in a notebook (:func:`roster_html`)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from huntsim.outputs import atomic_write
from huntsim.scenario.calendar import WEEKDAYS
from huntsim.views.html import (
    SCOPE,
    figure_img,
    img,
    items,
    new_figure,
    page,
    paragraphs,
    png,
    scoped_style,
    table_html,
    warnings_section,
    write_csv,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from huntsim.experiments.roster import Roster

__all__ = ["coverage_figure", "roster_html", "write_roster"]

_CELL = "<td style='text-align:center;{style}' title='{title}'>{text}</td>"


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


def coverage_figure(roster: Roster) -> Figure:
    """People logged in against members needed, hour by hour over the days and hours with
    either (the same hours of each day); hours that miss a target in the simulated office
    are marked."""
    coverage = roster.coverage
    days = [d for d in WEEKDAYS if d in set(coverage["day"])] or ["mon"]
    hours = coverage["hour"].astype(int)
    first = int(hours.min()) if len(hours) else 0
    width = int(hours.max()) - first + 1 if len(hours) else 24  # the hours shown of each day
    fig, ax = new_figure(9.0, 3.6)
    slots = np.arange(len(days) * width + 1)
    needed, required, scheduled = (np.zeros(len(slots)) for _ in range(3))
    missed = []
    for row in _records(coverage):
        k = days.index(row["day"]) * width + int(row["hour"]) - first
        needed[k], required[k], scheduled[k] = row["needed"], row["required"], row["scheduled"]
        if row["met"] is False:  # None: not judged (one replication)
            missed.append(k)
    for series in (needed, required, scheduled):  # the last step drawn to its end
        series[-1] = series[-2]
    ax.step(slots, scheduled, where="post", label="people logged in (the fewest in the hour)",
            color="C0")
    ax.step(slots, needed, where="post", label="members needed (staffing by hour)",
            color="C3", linestyle="--")
    if (required != needed).any():
        ax.step(slots, required, where="post", label="needed after the simulated check",
                color="C1", linestyle=":")
    if missed:
        ax.plot(np.array(missed) + 0.5, scheduled[missed], "x", color="black",
                label="misses a target (simulated)")
    ax.set_xticks(np.arange(len(days)) * width + width / 2,
                  [f"{d} {first:02d}-{(first + width) % 24:02d}" for d in days])
    for k in range(1, len(days)):
        ax.axvline(k * width, color="0.7", linewidth=0.8)
    ax.set_xlim(0, len(days) * width)
    ax.set_ylim(0, max(scheduled.max(), needed.max(), required.max()) * 1.15 + 0.5)
    ax.set_ylabel("members")
    ax.set_title(f"Roster coverage, group {roster.group}")
    # below the plot, clear of the steps and the marks of missed hours
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize="small", ncols=2,
              frameon=False)
    return fig


def _grid(roster: Roster) -> str:
    """Day x hour: ``logged in / needed``; red where short of the need, orange where a
    target is missed in the simulated office, yellow where met only within the interval."""
    coverage = roster.coverage
    hours = sorted(set(coverage["hour"].astype(int)))
    if not hours:
        return "<p>No hour needs members.</p>"
    cells = {(r["day"], int(r["hour"])): r for r in _records(coverage)}
    head = "".join(f"<th>{h:02d}</th>" for h in range(hours[0], hours[-1] + 1))
    rows = []
    for day in WEEKDAYS:
        if not any((day, h) in cells for h in hours):
            continue
        tds = []
        for hour in range(hours[0], hours[-1] + 1):
            row = cells.get((day, hour))
            if row is None:
                tds.append("<td></td>")
                continue
            have, need, met = row["scheduled"], row["needed"], row["met"]
            style = ("background:#f4b6b6;" if have < need else
                     "background:#fbd9a5;" if met is False else
                     "background:#fff3b0;" if row["certain"] is False else "")
            title = (f"{day} {hour:02d}:00: {have} logged in (the fewest in the hour), "
                     f"{need} needed"
                     + ("; misses a target" if met is False else ""))
            tds.append(_CELL.format(style=style, title=html.escape(title),
                                    text=f"{have}/{need}"))
        rows.append(f"<tr><th>{day}</th>{''.join(tds)}</tr>")
    return (f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}"
            "</tbody></table><p class='note'>Each cell: people logged in (the fewest at any "
            "moment of the hour) / members needed. Red: fewer than needed; orange: a target "
            "missed in the simulated rostered office; yellow: met only within the interval "
            "(it straddles a target, or has no width).</p>")


def _readable_coverage(coverage: pd.DataFrame) -> pd.DataFrame:
    shown = coverage.copy()
    for column in shown.columns:
        if shown[column].dtype.kind == "f":
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.3g}")
        elif column in ("met", "certain"):  # None: not judged (one replication)
            shown[column] = shown[column].map(lambda v: "" if v is None else str(bool(v)))
    return shown


def _sections(roster: Roster, figure: str) -> list[str]:
    shown = roster.table[roster.table["count"] > 0]
    return [
        paragraphs([*roster.headline(), *([roster.made_like] if roster.made_like else [])]),
        warnings_section(roster.warnings),
        "<h2>Shifts</h2>", table_html(shown if len(shown) else roster.table),
        "<h2>Coverage</h2>", figure, _grid(roster),
        "<h2>Repairs</h2>", f"<ul>{items(roster.rounds + roster.unmet)}</ul>",
        "<h2>Hour by hour</h2>", table_html(_readable_coverage(roster.coverage)),
    ]


def roster_html(roster: Roster) -> str:
    """The roster for a notebook: the headline, shifts, coverage and repairs."""
    fig = coverage_figure(roster)
    figure = figure_img(fig, f"Roster coverage, group {roster.group}")
    return (f"{scoped_style()}<div class='{SCOPE}'>"
            f"{''.join(_sections(roster, figure))}</div>")


def write_roster(roster: Roster, out: Path) -> Path:
    """Write ``roster.csv``, ``coverage.csv``, ``rostered.yaml`` (when the scenario can be
    written back), ``coverage.png`` and ``report.html`` into ``out``; return the report."""
    write_csv(roster.table, out / "roster.csv")
    write_csv(roster.coverage, out / "coverage.csv")
    if roster.yaml_text is not None:
        text = roster.yaml_text
        atomic_write(out / "rostered.yaml", lambda p: p.write_text(text, encoding="utf-8"))
    data = png(coverage_figure(roster))
    atomic_write(out / "coverage.png", lambda p: p.write_bytes(data))
    figure = img(data, "People logged in (the fewest at any moment of each hour) against "
                       "members needed, by hour")
    report = out / "report.html"
    text_html = page(f"Roster: {roster.scenario.name}, group {roster.group}",
                     _sections(roster, figure))
    atomic_write(report, lambda p: p.write_text(text_html, encoding="utf-8"))
    return report
