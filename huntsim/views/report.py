"""Self-contained reports: tidy CSV tables, PNG figures and one ``report.html``.

The HTML file embeds its figures (base64 PNG) and its style, so it opens in a
browser with no network and no other files.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from huntsim.analysis.catalog import (
    CALLBACK_METRICS,
    JOURNEY_METRICS,
    REPORT_METRICS,
    label,
    policy_label,
    uses_callbacks,
)
from huntsim.analysis.flows import journey_table
from huntsim.analysis.formatting import format_difference, format_value, plus_minus_note
from huntsim.experiments.by_hour import unmet_lines
from huntsim.experiments.comparison import Comparison
from huntsim.experiments.planning import StaffingPlan
from huntsim.experiments.verdict import Verdict, conclude
from huntsim.outputs import atomic_write
from huntsim.scenario.model import HuntGroup, Scenario
from huntsim.views.display import (
    after_hours_text,
    cells,
    decision_html,
    erlang_estimate,
    forwarded_from,
    plan_table,
    simulated,
    targets_text,
    verdict_differences,
)
from huntsim.views.flow_plots import plot_journeys
from huntsim.views.html import (
    img,
    items,
    new_figure,
    page,
    paragraphs,
    save_figures,
    table_html,
    warnings_section,
    write_csv,
)
from huntsim.views.plots import (
    differences_figure,
    outcome_figure,
    plot_hourly,
    plot_member_load,
    plot_staffing_curve,
    plot_wait_ecdf,
    plot_week_heatmap,
)
from huntsim.views.wording import human_duration, timeout_text

__all__ = ["scenario_summary", "warnings_section", "write_comparison", "write_plan"]

def _week_figure(rows: int, columns: int) -> tuple[Figure, list[list[Axes]]]:
    """A figure of weekday x hour heat maps, ``rows`` x ``columns`` panels."""
    fig = Figure(figsize=(6.5 * columns, 0.6 + 2.4 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    return fig, [list(row) for row in axes]


def scenario_summary(scenario: Scenario) -> str:
    """The scenario's hunt groups and agents as HTML tables (agents folded)."""
    agents = pd.DataFrame([{
        "number": a.number, "name": a.label, "answers": f"{a.answer_probability:.0%}",
        "answer delay (mean)": human_duration(a.answer_delay.mean),
        "talk (mean)": human_duration(a.talk_time.mean),
        "wrap-up (mean)": human_duration(a.wrap_up.mean),
        "direct calls/h": (f"{a.direct_calls.mean_rate(scenario.duration) * 3600:.3g}"
                           if a.direct_calls else "0"),
        "own voicemail": "yes" if a.voicemail else "no",
    } for a in scenario.agents])
    groups = pd.DataFrame([{
        "pilot": g.pilot, "name": g.label, "policy": policy_label(g.policy),
        "members": len(g.members), "time-out": timeout_text(scenario, g),
        "pilot voicemail": "yes" if g.voicemail else "no",
        "all busy": g.all_busy_treatment,
        "calls/h (mean over all hours)": (
            f"{g.arrivals.mean_rate(scenario.duration) * 3600:.3g}" if g.arrivals else "0"),
    } for g in scenario.hunt_groups])
    if any(g.penalties is not None for g in scenario.hunt_groups):
        groups["penalties"] = [_penalties_text(g) for g in scenario.hunt_groups]
    if any(g.callback is not None for g in scenario.hunt_groups):
        groups["call back"] = [_callback_text(g) for g in scenario.hunt_groups]
    sources = [forwarded_from(scenario, g) for g in scenario.hunt_groups]
    if any(sources):  # calls/h counts a group's own calls; these come on top
        groups = groups.rename(columns={"calls/h (mean over all hours)":
                                        "own calls/h (mean over all hours)"})
        groups["also takes the calls forwarded from"] = [s or "-" for s in sources]
    if scenario.uses_calendar:  # the office's week: when each is there
        agents["logged in"] = [", ".join(a.schedule.windows) if a.schedule is not None
                               else "always" for a in scenario.agents]
        agents["away (rate)"] = [f"{a.away.rate * 3600:.3g}/h" if a.away is not None else "-"
                                 for a in scenario.agents]
        groups["open"] = [", ".join(g.open.windows) if g.open is not None else "always"
                          for g in scenario.hunt_groups]
        groups["after hours"] = [after_hours_text(scenario, g) for g in scenario.hunt_groups]
    patience = (f"a caller hangs up after {human_duration(scenario.caller_patience.mean)} "
                f"without an answer on average ({scenario.caller_patience!r})"
                if scenario.caller_patience else "callers wait as long as it takes")
    return (
        f"<p>One ring lasts {human_duration(scenario.ring_cycle)}; "
        f"{html.escape(patience)}.</p>"
        f"<h3>Hunt groups</h3>{table_html(groups)}"
        f"<details><summary>Agents ({len(scenario.agents)})</summary>"
        f"{table_html(agents)}</details>"
    )


def _penalties_text(group: HuntGroup) -> str:
    """A group's members by penalty, lowest first: ``0: 301, 302; 1 (after 30 s): 304``."""
    if group.penalties is None:
        return "-"
    tiers = []
    for k, tier in enumerate(group.penalty_tiers()):
        penalty = group.penalties[tier[0]]
        wait = (f" (after {human_duration(k * group.penalty_wait)})"
                if group.penalty_wait is not None and k else "")
        tiers.append(f"{penalty}{wait}: " + ", ".join(group.members[p] for p in tier))
    return "; ".join(tiers)


def _callback_text(group: HuntGroup) -> str:
    """A group's call back offer in words."""
    offer = group.callback
    if offer is None:
        return "-"
    return (f"offered after {human_duration(offer.offer_after)} in the queue, taken by "
            f"{offer.accept:.0%}, reached {offer.reached:.0%}")


def _without_unshared(erlang: pd.DataFrame) -> pd.DataFrame:
    """The Erlang table as shown: without the other groups' load where no member is shared."""
    if "shared_load_erlang" in erlang and not (erlang["shared_load_erlang"] > 0).any():
        return erlang.drop(columns="shared_load_erlang")
    return erlang


def _readable(table: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """A table as text for reading: each column in its metric's unit, headed by its label."""
    names = names or {}
    shown = {}
    for column in table.columns:
        values = table[column]
        name = str(column)
        if pd.api.types.is_bool_dtype(values):
            text = ["-" if pd.isna(v) else "yes" if v else "no" for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            text = ["-" if pd.isna(v) else format_value(name, float(v)) for v in values]
        else:
            text = [policy_label(str(v)) if name == "policy" else str(v) for v in values]
        shown[names.get(name, label(name) if name not in ("policy", "note")
                        else name.capitalize())] = text
    return pd.DataFrame(shown)


def _of_group(table: pd.DataFrame, group: str) -> pd.DataFrame:
    return table[table["group"] == group]


def _labelled(table: pd.DataFrame, policies: Sequence[str], metrics: Sequence[str],
              ) -> pd.DataFrame:
    """Metrics (catalog labels) x policies, ``mean ± half-width`` in the metric's unit."""
    rows = table[table["metric"].isin(metrics)]
    wide = rows.assign(text=cells(rows)).pivot(index="metric", columns="policy", values="text")
    order = [m for m in metrics if m in wide.index]
    wide = wide.reindex(index=order, columns=list(policies))
    wide.index = pd.Index([label(m) for m in order])
    wide.columns = pd.Index([policy_label(p) for p in policies])
    return wide.fillna("-")


def _differences_table(differences: pd.DataFrame) -> pd.DataFrame:
    """Every paired difference, in words and units: the collapsed section of the report."""
    means, lows, highs = (differences[c].to_numpy(dtype=float)
                          for c in ("mean", "ci_low", "ci_high"))
    names = differences["metric"].astype(str).tolist()
    unpaired = [
        format_difference(name, (high + low) / 2, (high - low) / 2) if np.isfinite(low) else "-"
        for name, low, high in zip(names, differences["unpaired_ci_low"].to_numpy(dtype=float),
                                   differences["unpaired_ci_high"].to_numpy(dtype=float),
                                   strict=True)]
    return pd.DataFrame({
        "metric": [label(n) for n in names],
        "policy": [f"{policy_label(p)} - {policy_label(b)}" for p, b in
                   zip(differences["policy"].astype(str), differences["baseline"].astype(str),
                       strict=True)],
        "paired difference": [format_difference(n, m, (h - lo) / 2)
                              for n, m, lo, h in zip(names, means, lows, highs, strict=True)],
        "had the runs been independent": unpaired,
    })


def _hourly_figures(hourly: pd.DataFrame, level_metric: str) -> dict[str, Figure]:
    """Service level and traffic by hour; voicemail and hang-ups by hour, one panel each."""
    weekly = "weekday" in hourly.columns
    width = 11.0 if weekly else 7.5
    level = Figure(figsize=(width, 3.6), layout="constrained")
    plot_hourly(hourly, level_metric, ax=level.add_subplot())
    lost = Figure(figsize=(width, 5.6), layout="constrained")
    for ax, name in zip(lost.subplots(2, 1, squeeze=False)[:, 0],
                        ("voicemail_rate", "abandoned_rate"), strict=True):
        plot_hourly(hourly, name, ax=ax, traffic=False)
    return {"hourly": level, "hourly_lost": lost}


_COMPARISON_TABLES = (("comparison", "table"), ("differences", "differences"),
                      ("members", "members"), ("hourly", "hourly"), ("replications", "raw"))
"""File name and ``Comparison`` attribute of each CSV a comparison report writes."""


@dataclass(frozen=True)
class _Reported:
    """One group of a comparison as its report reads it."""

    comparison: Comparison
    group: str
    verdict: Verdict
    one: dict[str, pd.DataFrame]  # the comparison's tables, of this group only
    journeys: pd.DataFrame | None  # where callers ended, when callers redial or calls forward

    @property
    def weekly(self) -> bool:
        """Whether the hours are hours of the week (the scenario has a calendar)."""
        return "weekday" in self.comparison.hourly.columns


def write_comparison(comparison: Comparison, out: Path, group: str | None = None) -> Path:
    """Write a comparison's tables, figures and ``report.html`` into ``out``.

    The report opens with the decision (policies x key metrics, judged against
    the group's configured policy by paired 95 % intervals, the best marked,
    trade-offs named), then what was simulated in human units, the paired
    differences as forest plots (the full table folded, and in
    ``differences.csv``), the outcomes, voicemail and hang-ups by hour (against
    weekday and clock time when the scenario has a calendar), waits and
    member load. One self-contained HTML file: figures inline, no network.
    """
    group = group or comparison.group or comparison.scenario.hunt_groups[0].pilot
    for name, attribute in _COMPARISON_TABLES:
        write_csv(getattr(comparison, attribute), out / f"{name}.csv")
    reported = _Reported(
        comparison, group, conclude(comparison, group),
        {name: _of_group(getattr(comparison, name), group)
         for name in ("table", "members", "waits", "hourly", "differences")},
        journey_table(comparison.table, group) if comparison.scenario.uses_routing else None)
    images = save_figures(_comparison_figures(reported), out)
    sections = [*_decision_sections(reported), *_simulated_sections(reported),
                *_differences_sections(reported, images), *_calls_sections(reported, images),
                *_waits_and_all_sections(reported, images)]
    report = page(f"Hunt policy comparison: {comparison.scenario.name}", sections)
    return atomic_write(out / "report.html", lambda p: p.write_text(report, encoding="utf-8"))


def _comparison_figures(reported: _Reported) -> dict[str, Figure]:
    """Every figure of a comparison report, by the name of its PNG."""
    comparison, one, verdict = reported.comparison, reported.one, reported.verdict
    figures: dict[str, Figure] = {"outcomes": outcome_figure(one["table"])}
    if len(comparison.policies) > 1 and len(verdict.table):
        figures["differences"] = differences_figure(
            verdict_differences(verdict), tuple(dict.fromkeys(verdict.table["metric"])))
    drawings: dict[str, Callable[[Axes], Axes]] = {
        "wait_ecdf": lambda ax: plot_wait_ecdf(one["waits"], comparison.threshold_s, ax=ax),
        "member_load": lambda ax: plot_member_load(one["members"], ax=ax),
    }
    if reported.journeys is not None:
        journeys = reported.journeys
        drawings["callers"] = lambda ax: plot_journeys(journeys, ax)
    for name, draw in drawings.items():
        fig, ax = new_figure()
        draw(ax)
        figures[name] = fig
    figures.update(_hourly_figures(one["hourly"], comparison.level_metric))
    if reported.weekly:
        figures["hourly_heatmap"] = _comparison_heatmaps(one["hourly"], comparison.policies,
                                                         comparison.level_metric)
    return figures


def _interval_note(replications: int) -> list[str]:
    """What ``±`` means, where there is one: none with one replication."""
    if replications < 2:
        return []
    return [f"<p class='note'>{html.escape(plus_minus_note(replications))}</p>"]


def _decision_sections(reported: _Reported) -> list[str]:
    """The verdict in one line, the decision table, the reasons, how to read them."""
    verdict, replications = reported.verdict, reported.comparison.replications
    lines = verdict.lines()
    how = ("One replication gives no interval, so no policy is judged: run at least two "
           "replications to compare them." if replications < 2 else
           f"{html.escape(plus_minus_note(replications))} <b>better</b> / "
           "<b>worse</b>: the paired 95 % interval of the difference from the baseline "
           "excludes 0; ≈: it does not (no significant difference). ★: significantly "
           "better than every other policy.")
    return [
        f"<p class='headline'>{html.escape(lines[-1])}</p>",
        "<h2>Decision</h2>",
        decision_html(verdict) if len(verdict.table) else "",
        f"<ul class='verdict'>{items(lines[:-1])}</ul>",
        f"<p class='note'>Pilot {html.escape(reported.group)}. {how}</p>",
        warnings_section(reported.comparison.warnings),
    ]


def _simulated_sections(reported: _Reported) -> list[str]:
    """What was simulated, in words, and the scenario's groups and agents."""
    comparison, rows = reported.comparison, reported.one["table"]
    baseline_rows = rows[rows["policy"] == reported.verdict.baseline]
    per_run = {m: float(baseline_rows.loc[baseline_rows["metric"] == m, "mean"].mean())
               for m in ("offered", "after_hours")}
    count = len(comparison.policies)
    runs = (f"{count} policies x {comparison.replications} replications "
            f"= {count * comparison.replications} runs (master seed "
            f"{comparison.seed}); every policy met the same callers in each replication "
            "(common random numbers)")
    return [
        "<h2>What was simulated</h2>",
        paragraphs(simulated(comparison.scenario, runs, {reported.group: per_run["offered"]},
                             {reported.group: per_run["after_hours"]})),
        scenario_summary(comparison.scenario),
    ]


def _differences_sections(reported: _Reported, images: dict[str, bytes]) -> list[str]:
    """The forest plots of the paired differences and, folded, all of them as a table."""
    if "differences" not in images:
        return []
    differences = reported.one["differences"]
    return [
        f"<h2>Differences from {html.escape(policy_label(reported.verdict.baseline))}</h2>",
        img(images["differences"], "Paired difference from the baseline per key metric: "
            "dot the mean over the replications, line its 95 % interval. Green: "
            "significantly better, red: significantly worse, grey: no significant "
            "difference." if reported.comparison.replications > 1 else
            "Difference from the baseline per key metric in the one replication: no "
            "interval, so not judged."),
        "<details><summary>All paired differences "
        f"({len(differences)} rows; also in differences.csv)</summary>",
        table_html(_differences_table(differences)),
        "</details>",
    ]


def _calls_sections(reported: _Reported, images: dict[str, bytes]) -> list[str]:
    """What happened to the calls, by hour, and where callers ended."""
    weekly = reported.weekly
    sections = [
        "<h2>What happened to the calls</h2>",
        img(images["outcomes"], "Share of pilot calls per outcome and policy, each panel "
            "on its own scale; the lines are 95 % intervals."),
        "<h2>By hour</h2>",
        img(images["hourly"], "Service level by hour, and the calls offered (grey bars)"
            + ("; only the hours with calls, against weekday and clock time." if weekly
               else ".")),
        img(images["hourly_lost"], "Voicemail and hang-ups (caller hung up) by hour."),
    ]
    if reported.journeys is not None:
        rows = reported.one["table"]
        sections += [
            "<h2>Where callers end: redials and forwards</h2>",
            img(images["callers"], "Callers who dialled the pilot, by policy: answered at "
                "their first attempt, answered after calling again (or by the group the "
                "call was forwarded to), or never answered."),
            _labelled(rows, reported.comparison.policies,
                      [m for m in JOURNEY_METRICS if m in set(rows["metric"])]
                      ).to_html(border=0),
        ]
    if weekly:
        sections.append(img(
            images["hourly_heatmap"],
            "Service level and voicemail share (%) by weekday and clock hour, per policy; "
            "calls after hours are left out. Blank: no calls in that hour."))
    return sections


def _waits_and_all_sections(reported: _Reported, images: dict[str, bytes]) -> list[str]:
    """Waits and member load, then every figure of the group per policy."""
    comparison = reported.comparison
    table = reported.one["table"]
    means = table.groupby("metric")["mean"].max()
    callbacks = uses_callbacks(means.get)
    metrics = [comparison.level_metric,
               *(m for m in REPORT_METRICS if callbacks or m not in CALLBACK_METRICS)]
    if reported.weekly:
        metrics.append("after_hours")
    return [
        "<h2>Waits and member load</h2>",
        img(images["wait_ecdf"], "Wait to answer (answered calls)."),
        img(images["member_load"], "Share of the group's talk time per member; the dotted "
            "line over each member is their fair share: the talk of each call answered, "
            "split evenly among the members logged in when it was answered."),
        "<h2>All figures</h2>",
        *_interval_note(comparison.replications),
        _labelled(reported.one["table"], comparison.policies, metrics).to_html(border=0),
    ]


def _comparison_heatmaps(hourly: pd.DataFrame, policies: Sequence[str],
                         level_metric: str) -> Figure:
    """Service level and voicemail share by weekday and hour: one row of panels per policy."""
    fig, axes = _week_figure(len(policies), 2)
    for row, policy in zip(axes, policies, strict=True):
        rows = hourly[hourly["policy"] == policy]
        offered = rows[(rows["metric"] == "offered_per_hour")
                       & (rows["mean"].to_numpy(dtype=float) > 0)]
        slots = set(zip(offered["weekday"], offered["hour"], strict=True))
        if slots:  # leave out the slots of after-hours calls only: nothing was offered there
            rows = rows[[slot in slots for slot in zip(rows["weekday"], rows["hour"],
                                                       strict=True)]]
        for ax, metric, what in ((row[0], level_metric, "service level"),
                                 (row[1], "voicemail_rate", "voicemail share")):
            plot_week_heatmap(rows[rows["metric"] == metric], ax=ax, share=True,
                              title=f"{policy_label(policy)}: {what}")
    return fig


def write_plan(staffing: StaffingPlan, out: Path) -> Path:
    """Write a staffing plan's tables, figures and ``report.html`` into ``out``."""
    write_csv(staffing.curve, out / "staffing_curve.csv")
    write_csv(staffing.recommendation, out / "recommendation.csv")
    write_csv(staffing.erlang, out / "erlang_estimate.csv")
    write_csv(staffing.raw, out / "replications.csv")
    if staffing.by_hour is not None:
        write_csv(staffing.by_hour, out / "by_hour.csv")
    figures: dict[str, Figure] = {}
    for target in staffing.targets:
        fig, ax = new_figure()
        plot_staffing_curve(staffing.curve, target.metric, target.value,
                            erlang_estimate(staffing, target.metric), ax=ax)
        figures[f"staffing_{target.metric}"] = fig
    by_hour = staffing.by_hour
    if by_hour is not None:
        policies = list(dict.fromkeys(by_hour["policy"])) or list(staffing.policies)
        fig, axes = _week_figure(len(policies), 1)
        for (ax,), policy in zip(axes, policies, strict=True):
            plot_week_heatmap(by_hour[by_hour["policy"] == policy], "members_needed", ax=ax,
                              title=f"{policy_label(policy)}: members needed", cmap="YlOrRd")
        figures["staffing_by_hour"] = fig
    images = save_figures(figures, out)
    targets = targets_text(staffing, " and ")
    per_run = staffing.curve[(staffing.curve["metric"] == "offered")
                             & (staffing.curve["members"] == staffing.sizes[-1])]["mean"]
    runs = (f"{len(staffing.sizes)} group sizes ({staffing.sizes[0]} to {staffing.sizes[-1]} "
            f"members) x {len(staffing.policies)} "
            + ("policy" if len(staffing.policies) == 1 else "policies")
            + f" x {staffing.replications} replications (master seed {staffing.seed}); every "
            "size met the same callers in each replication")
    sections = [
        "<p class='headline'>"
        + "<br>".join(html.escape(line) for line in staffing.answer().splitlines())
        + "</p>",
        warnings_section(staffing.warnings),
        "<h2>Recommendation</h2>",
        f"<p>Pilot {html.escape(staffing.group)}; targets: {html.escape(targets)}. A size "
        "meets the targets when its mean does; it meets them <i>for certain</i> when its "
        "whole 95 % interval does.</p>",
        table_html(_readable(
            staffing.recommendation.drop(columns=["peak_hours", "peak_members", "peak_method"],
                                         errors="ignore"),
            {"certain": "meets them for certain", "added": "of them added"})),
        *([f"<p>{html.escape(staffing.added_line())}</p>"] if staffing.added_line() else []),
        "<h2>What was simulated</h2>",
        paragraphs(simulated(staffing.scenario, runs, {
            staffing.group: float(per_run.mean()) if len(per_run) else math.nan})),
        scenario_summary(staffing.scenario),
        "<h2>Staffing curve</h2>",
        *_interval_note(staffing.replications),
        plan_table(staffing).to_html(border=0),
        *(img(data, f"Staffing curve with 95 % bands: "
               f"{label(name.removeprefix('staffing_'))}; dotted: the target.")
          for name, data in images.items() if name != "staffing_by_hour"),
        "<h2>Erlang estimates</h2><p class='note'>The textbook formulas beside the "
        "simulation (also in erlang_estimate.csv): they assume steady traffic and members "
        "who are always there and answer every ring at once, so they are a first "
        "estimate, not the answer.</p>",
        paragraphs(staffing.estimate_lines()),
        table_html(_readable(_without_unshared(staffing.erlang))),
    ]
    if by_hour is not None:
        sections.extend(_by_hour_section(staffing, by_hour, images["staffing_by_hour"]))
    report = page(f"Capacity plan: {staffing.scenario.name}", sections)
    return atomic_write(out / "report.html", lambda p: p.write_text(report, encoding="utf-8"))


def _by_hour_section(staffing: StaffingPlan, by_hour: pd.DataFrame, image: bytes,
                     ) -> list[str]:
    """The staffing-by-hour part of the plan report: how to read it, heat map, tables."""
    sections = [
        "<h2>Staffing by hour</h2>",
        "<p class='note'>For each hour with traffic, the fewest members logged in that meet "
        f"{html.escape(targets_text(staffing, ' and '))}, simulated with that "
        "hour's rate as a steady state (every member logged in, the group alone), in "
        "brackets the Erlang estimate. '&gt;N': no size tried was enough. Turn this table "
        "into shifts; the full table is in by_hour.csv.</p>",
        img(image, "Members needed by weekday and clock hour (08 = 08:00-09:00)."),
        *(f"<p>{html.escape(line)}</p>" for line in unmet_lines(by_hour)),
    ]
    for policy, rows in by_hour.groupby("policy", sort=False):
        largest = staffing.sizes[-1]
        texts = [
            (f">{largest}" if pd.isna(needed) else str(int(needed)))
            + ("" if pd.isna(estimate) else f" ({int(estimate)})")
            for needed, estimate in zip(rows["members_needed"], rows["erlang_estimate"],
                                        strict=True)
        ]
        grid = rows.assign(cell=texts).pivot_table(index="weekday", columns="hour",
                                                   values="cell", aggfunc="first")
        order = list(dict.fromkeys(rows["weekday"]))
        grid = grid.reindex(order).fillna("")
        grid.index = pd.Index([str(day).capitalize() for day in grid.index], name=None)
        grid.columns = [f"{int(h):02d}" for h in grid.columns]
        sections.append(f"<h3>{html.escape(policy_label(str(policy)))}</h3>"
                        + grid.to_html(border=0))
    return sections
