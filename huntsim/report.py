"""Self-contained reports: tidy CSV tables, PNG figures and one ``report.html``.

The HTML file embeds its figures (base64 PNG) and its style, so it opens in a
browser with no network and no other files.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from huntsim.comparison import Comparison
from huntsim.outputs import atomic_write
from huntsim.planning import StaffingPlan
from huntsim.plots import (
    plot_hourly,
    plot_member_load,
    plot_outcome_mix,
    plot_staffing_curve,
    plot_wait_ecdf,
    plot_week_heatmap,
)
from huntsim.scenario import Scenario
from huntsim.units import format_duration

__all__ = ["write_comparison", "write_plan"]

HEADLINE_METRICS = (
    "offered", "answered_rate", "voicemail_rate", "busy_rate", "no_answer_rate",
    "abandoned_rate", "mean_wait_s", "p50_wait_s", "p90_wait_s", "p95_wait_s",
    "offers_per_call", "rings_per_call", "jain_index", "max_min_ratio", "load_cv",
)

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.headline { font-size: 1.2em; background: #eef6f5; padding: 0.8em 1em; border-radius: 6px; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th { background: #f4f4f4; } figure { margin: 1em 0; } img { max-width: 100%; }
.note { color: #555; font-size: 0.9em; }
.warnings { background: #fff4e5; border-left: 4px solid #e9a23b; padding: 0.6em 1em 0.6em 2em; }
"""


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _figure() -> tuple[Figure, Axes]:
    """A figure outside pyplot: nothing leaks into a notebook's figures or backend."""
    fig = Figure(figsize=(7.5, 4))
    return fig, fig.add_subplot()


def _week_figure(rows: int, columns: int) -> tuple[Figure, list[list[Axes]]]:
    """A figure of weekday x hour heat maps, ``rows`` x ``columns`` panels."""
    fig = Figure(figsize=(6.5 * columns, 0.6 + 2.4 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    return fig, [list(row) for row in axes]


def _save_figures(figures: dict[str, Figure], out: Path) -> dict[str, bytes]:
    images = {}
    for name, fig in figures.items():
        data = _png(fig)
        atomic_write(out / f"{name}.png", partial(_write_bytes, data=data))
        images[name] = data
    return images


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _img(data: bytes, caption: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption class='note'>{html.escape(caption)}</figcaption></figure>")


def scenario_summary(scenario: Scenario) -> str:
    """What was simulated, as HTML."""
    agents = pd.DataFrame([{
        "number": a.number, "name": a.label, "answers": f"{a.answer_probability:.0%}",
        "answer delay (mean)": format_duration(a.answer_delay.mean),
        "talk (mean)": format_duration(a.talk_time.mean),
        "wrap-up (mean)": format_duration(a.wrap_up.mean),
        "direct calls/h": (f"{a.direct_calls.mean_rate(scenario.duration) * 3600:.3g}"
                           if a.direct_calls else "0"),
        "own voicemail": "yes" if a.voicemail else "no",
    } for a in scenario.agents])
    groups = pd.DataFrame([{
        "pilot": g.pilot, "name": g.label, "policy": g.policy, "members": len(g.members),
        "time-out": f"{g.no_answer_rings} rings "
                    f"({format_duration(g.no_answer_rings * scenario.ring_cycle)})",
        "pilot voicemail": "yes" if g.voicemail else "no",
        "all busy": g.all_busy_treatment,
        "calls/h (mean)": (f"{g.arrivals.mean_rate(scenario.duration) * 3600:.3g}"
                           if g.arrivals else "0"),
    } for g in scenario.hunt_groups])
    if scenario.uses_calendar:  # the office's week: when each is there
        agents["logged in"] = [", ".join(a.schedule.windows) if a.schedule is not None
                               else "always" for a in scenario.agents]
        agents["away (rate)"] = [f"{a.away.rate * 3600:.3g}/h" if a.away is not None else "-"
                                 for a in scenario.agents]
        groups["open"] = [", ".join(g.open.windows) if g.open is not None else "always"
                          for g in scenario.hunt_groups]
        groups["after hours"] = [g.after_hours_treatment if g.open is not None else "-"
                                 for g in scenario.hunt_groups]
    patience = (f"caller patience {scenario.caller_patience!r}" if scenario.caller_patience
                else "callers wait as long as it takes")
    return (
        f"<p>{html.escape(scenario.name)}: {format_duration(scenario.duration)} simulated "
        + (f"from {scenario.start_text} " if scenario.uses_calendar else "")
        + f"(warm-up {format_duration(scenario.warmup)}), "
        f"ring {format_duration(scenario.ring_cycle)}, "
        f"{html.escape(patience)}.</p>"
        f"<h3>Hunt groups</h3>{groups.to_html(index=False, border=0)}"
        f"<h3>Agents</h3>{agents.to_html(index=False, border=0)}"
    )


def warnings_section(warnings: Sequence[str]) -> str:
    """The runs' warnings as an HTML section; empty when there are none."""
    if not warnings:
        return ""
    items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    return ("<h2>Warnings</h2><p class='note'>Read the figures below with these in mind."
            f"</p><ul class='warnings'>{items}</ul>")


def _page(title: str, sections: Sequence[str]) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{''.join(sections)}"
            "<p class='note'>Made by huntsim. Intervals are 95 % Student-t intervals over "
            "independent replications.</p></body></html>")


def _of_group(table: pd.DataFrame, group: str) -> pd.DataFrame:
    return table[table["group"] == group]


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda p: table.to_csv(p, index=False))


def write_comparison(comparison: Comparison, out: Path, group: str | None = None) -> Path:
    """Write a comparison's tables, figures and ``report.html`` into ``out``."""
    group = group or comparison.scenario.hunt_groups[0].pilot
    _write_csv(comparison.table, out / "comparison.csv")
    _write_csv(comparison.differences, out / "differences.csv")
    _write_csv(comparison.members, out / "members.csv")
    _write_csv(comparison.hourly, out / "hourly.csv")
    _write_csv(comparison.raw, out / "replications.csv")
    one = {name: _of_group(getattr(comparison, name), group)
           for name in ("table", "members", "waits", "hourly")}
    figures: dict[str, Figure] = {}
    drawings: dict[str, Callable[[Axes], Axes]] = {
        "wait_ecdf": lambda ax: plot_wait_ecdf(one["waits"], comparison.threshold_s, ax=ax),
        "member_load": lambda ax: plot_member_load(one["members"], ax=ax),
        "outcome_mix": lambda ax: plot_outcome_mix(one["table"], ax=ax),
        "hourly": lambda ax: plot_hourly(one["hourly"], comparison.level_metric, ax=ax),
    }
    for name, draw in drawings.items():
        fig, ax = _figure()
        draw(ax)
        figures[name] = fig
    weekly = "weekday" in comparison.hourly.columns
    if weekly:
        figures["hourly_heatmap"] = _comparison_heatmaps(one["hourly"], comparison.policies,
                                                         comparison.level_metric)
    images = _save_figures(figures, out)
    metrics = [comparison.level_metric, *HEADLINE_METRICS]
    if weekly:
        metrics.append("after_hours")
    wide = comparison.wide(group, metrics)
    differences = _of_group(comparison.differences, group)
    differences = differences[differences["metric"].isin(metrics)]
    sections = [
        f"<p class='headline'>{html.escape(comparison.headline(group))}</p>",
        warnings_section(comparison.warnings),
        f"<p>{len(comparison.policies)} policies &times; {comparison.replications} replications "
        f"(master seed {comparison.seed}); every policy met the same callers in each "
        "replication (common random numbers).</p>",
        "<h2>What was simulated</h2>", scenario_summary(comparison.scenario),
        f"<h2>Results for pilot {html.escape(group)}</h2>",
        "<p class='note'>Mean ± half-width of the 95 % interval. Service level: share of "
        f"offered calls answered within {comparison.threshold_s:g} s.</p>",
        wide.to_html(border=0),
        f"<h3>Paired differences against {html.escape(comparison.baseline)}</h3>",
        differences.round(4).to_html(index=False, border=0),
        "<h2>Figures</h2>",
        _img(images["outcome_mix"], "What happened to the calls, per policy."),
        _img(images["member_load"], "Share of the group's talk time per member; the dotted line "
             "is an even share."),
        _img(images["wait_ecdf"], "Wait to answer (answered calls)."),
        _img(images["hourly"], "Service level by hour of the "
             + ("week" if weekly else "day") + ", and the traffic."),
    ]
    if weekly:
        sections.append(_img(
            images["hourly_heatmap"],
            "Service level and voicemail share (%) by weekday and clock hour, per policy; "
            "calls after hours are left out. Blank: no calls in that hour."))
    report = _page(f"Hunt policy comparison: {comparison.scenario.name}", sections)
    return atomic_write(out / "report.html", lambda p: p.write_text(report, encoding="utf-8"))


def _comparison_heatmaps(hourly: pd.DataFrame, policies: Sequence[str],
                         level_metric: str) -> Figure:
    """Service level and voicemail share by weekday and hour: one row of panels per policy."""
    fig, axes = _week_figure(len(policies), 2)
    for row, policy in zip(axes, policies, strict=True):
        rows = hourly[hourly["policy"] == policy]
        for ax, metric, what in ((row[0], level_metric, "service level"),
                                 (row[1], "voicemail_rate", "voicemail share")):
            plot_week_heatmap(rows[rows["metric"] == metric], ax=ax, share=True,
                              title=f"{policy}: {what}")
    return fig


def write_plan(staffing: StaffingPlan, out: Path) -> Path:
    """Write a staffing plan's tables, figures and ``report.html`` into ``out``."""
    _write_csv(staffing.curve, out / "staffing_curve.csv")
    _write_csv(staffing.recommendation, out / "recommendation.csv")
    _write_csv(staffing.erlang, out / "erlang_estimate.csv")
    _write_csv(staffing.raw, out / "replications.csv")
    if staffing.by_hour is not None:
        _write_csv(staffing.by_hour, out / "by_hour.csv")
    erlang = staffing.erlang.set_index("members")
    figures: dict[str, Figure] = {}
    for target in staffing.targets:
        estimate = None
        if target.metric == "voicemail_rate" or target.metric == "busy_rate":
            estimate = erlang["erlang_b_blocking"]
        elif target.metric == f"service_level_{staffing.threshold_s:g}s":
            estimate = erlang[f"erlang_c_service_level_{staffing.threshold_s:g}s"]
        fig, ax = _figure()
        plot_staffing_curve(staffing.curve, target.metric, target.value, estimate, ax=ax)
        figures[f"staffing_{target.metric}"] = fig
    by_hour = staffing.by_hour
    if by_hour is not None:
        policies = list(dict.fromkeys(by_hour["policy"])) or list(staffing.policies)
        fig, axes = _week_figure(len(policies), 1)
        for (ax,), policy in zip(axes, policies, strict=True):
            plot_week_heatmap(by_hour[by_hour["policy"] == policy], "members_needed", ax=ax,
                              title=f"{policy}: members needed", cmap="YlOrRd")
        figures["staffing_by_hour"] = fig
    images = _save_figures(figures, out)
    wanted = sorted({t.metric for t in staffing.targets})
    curve = staffing.curve[staffing.curve["metric"].isin(wanted)].copy()
    curve["value"] = [f"{r.mean:.4g} [{r.ci_low:.4g}, {r.ci_high:.4g}]"
                      for r in curve.itertuples()]
    wide = curve.pivot_table(index="members", columns=["metric", "policy"], values="value",
                             aggfunc="first")
    sections = [
        "<p class='headline'>"
        + "<br>".join(html.escape(line) for line in staffing.answer().splitlines())
        + "</p>",
        warnings_section(staffing.warnings),
        f"<p>Group {html.escape(staffing.group)}, sizes {staffing.sizes[0]} to "
        f"{staffing.sizes[-1]}, {staffing.replications} replications per size and policy "
        f"(master seed {staffing.seed}); targets: "
        f"{html.escape(', '.join(str(t) for t in staffing.targets))}. A size meets the targets "
        "when its mean does; 'certain' when its whole interval does.</p>",
        "<h2>What was simulated</h2>", scenario_summary(staffing.scenario),
        "<h2>Recommendation</h2>", staffing.recommendation.to_html(index=False, border=0),
        "<h2>Staffing curve (mean [95 % interval])</h2>", wide.to_html(border=0),
        "<h2>Erlang estimates</h2><p class='note'>Pilot traffic alone, members who always "
        "answer, no direct calls: a first estimate, not the answer.</p>",
        staffing.erlang.round(5).to_html(index=False, border=0),
        "<h2>Figures</h2>",
        *(_img(data, f"Staffing curve with 95 % bands: {name.removeprefix('staffing_')}.")
          for name, data in images.items() if name != "staffing_by_hour"),
    ]
    if by_hour is not None:
        sections.extend(_by_hour_section(staffing, by_hour, images["staffing_by_hour"]))
    report = _page(f"Capacity plan: {staffing.scenario.name}", sections)
    return atomic_write(out / "report.html", lambda p: p.write_text(report, encoding="utf-8"))


def _by_hour_section(staffing: StaffingPlan, by_hour: pd.DataFrame, image: bytes,
                     ) -> list[str]:
    """The staffing-by-hour part of the plan report: how to read it, heat map, tables."""
    sections = [
        "<h2>Staffing by hour</h2>",
        "<p class='note'>For each hour with traffic, the fewest members logged in that meet "
        f"{html.escape(' and '.join(str(t) for t in staffing.targets))}, simulated with that "
        "hour's rate as a steady state (every member logged in, the group alone), in "
        "brackets the Erlang estimate. '&gt;N': no size tried was enough. Turn this table "
        "into shifts; the full table is in by_hour.csv.</p>",
        _img(image, "Members needed by weekday and clock hour (08 = 08:00-09:00)."),
    ]
    for policy, rows in by_hour.groupby("policy", sort=False):
        largest = staffing.sizes[-1]
        cells = [
            (f">{largest}" if pd.isna(needed) else str(int(needed)))
            + ("" if pd.isna(estimate) else f" ({int(estimate)})")
            for needed, estimate in zip(rows["members_needed"], rows["erlang_estimate"],
                                        strict=True)
        ]
        grid = rows.assign(cell=cells).pivot_table(index="weekday", columns="hour",
                                                   values="cell", aggfunc="first")
        order = list(dict.fromkeys(rows["weekday"]))
        grid = grid.reindex(order).fillna("")
        grid.columns = [f"{int(h):02d}" for h in grid.columns]
        sections.append(f"<h3>{html.escape(str(policy).capitalize())}</h3>"
                        + grid.to_html(border=0))
    return sections
