"""Views of results for people: short text in human units, compact HTML for Jupyter.

:class:`huntsim.Result`, :class:`huntsim.Comparison`, :class:`huntsim.Sweep` and
:class:`huntsim.StaffingPlan` delegate their ``repr`` (a few lines: what was
simulated and the headline figures, never the whole scenario) and their
``_repr_html_`` (a summary table with the metric catalog's labels and units,
and the key figure as an inline PNG) to this module. The reports reuse its
pieces: :func:`simulated` and :func:`decision_table` (durations are worded by
:mod:`huntsim.views.wording`).

Matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import pandas as pd

from huntsim.analysis.catalog import (
    CALLBACK_METRICS,
    OUTCOMES,
    RUN_HEADLINE_METRICS,
    RUN_METRICS,
    label,
    metric,
    policy_label,
    service_level_name,
    uses_callbacks,
)
from huntsim.analysis.formatting import format_interval, format_value, plus_minus_note
from huntsim.experiments.verdict import (
    BASELINE,
    BETTER,
    NEGLIGIBLE_DIFFERENCE,
    NO_INTERVAL,
    WORSE,
    Verdict,
    conclude,
)
from huntsim.views.console import text_table
from huntsim.views.html import SCOPE, figure_img, scoped_style
from huntsim.views.wording import human_duration, hunting_text, office_text, scope_labels

if TYPE_CHECKING:

    from huntsim.experiments.comparison import Comparison
    from huntsim.experiments.planning import StaffingPlan
    from huntsim.experiments.sweeps import Sweep
    from huntsim.scenario.model import HuntGroup, Scenario
    from huntsim.sim.simulation import Result

__all__ = [
    "after_hours_text",
    "cells",
    "comparison_html",
    "comparison_text",
    "decision_html",
    "decision_table",
    "erlang_estimate",
    "forwarded_from",
    "human_duration",
    "plan_html",
    "plan_table",
    "plan_text",
    "result_html",
    "result_text",
    "simulated",
    "sweep_html",
    "sweep_summary",
    "targets_text",
    "verdict_differences",
]

def simulated(scenario: Scenario, runs: str | None = None,
              offered: dict[str, float] | None = None,
              after_hours: dict[str, float] | None = None) -> list[str]:
    """What was simulated, in human units: one sentence per line.

    Parameters
    ----------
    scenario : Scenario
        The office.
    runs : str, optional
        How many runs, e.g. ``"4 policies x 16 replications"``.
    offered, after_hours : dict, optional
        Mean pilot calls per run in opening hours and after hours, by pilot.

    Examples
    --------
    >>> from huntsim import load_scenario
    >>> simulated(load_scenario("scenarios/real_estate.yaml"))[0]
    'Each run: 4 weeks of the real-estate office from mon 00:00.'
    """
    window = scenario.window_s
    first = f"Each run: {human_duration(window)} of {office_text(scenario.name)}"
    if scenario.uses_calendar:
        first += f" from {scenario.start_text}"
    if scenario.warmup:
        first += f", after a warm-up of {human_duration(scenario.warmup)} left out of the figures"
    lines = [first + "."]
    members = {m for g in scenario.hunt_groups for m in g.members}
    lines.append(f"{len(scenario.agents)} agents, {len(members)} of them in "
                 f"{len(scenario.hunt_groups)} hunt group"
                 + ("" if len(scenario.hunt_groups) == 1 else "s") + ".")
    for group in scenario.hunt_groups:
        name = f" ({group.label})" if group.label != group.pilot else ""
        text = (f"Pilot {group.pilot}{name}: {len(group.members)} members, "
                f"{hunting_text(scenario, group)}")
        if group.open is not None:
            text += f", open {', '.join(group.open.windows)}"
        if offered and group.pilot in offered and math.isfinite(offered[group.pilot]):
            per_run = offered[group.pilot]
            text += f"; about {per_run:,.0f} calls a run"
            if window >= 2 * 604800:
                text += f" ({per_run / (window / 604800):,.0f} a week)"
            elif window >= 2 * 86400:
                text += f" ({per_run / (window / 86400):,.0f} a day)"
            late = (after_hours or {}).get(group.pilot, math.nan)
            if late > 0:
                text += (f", and {late:,.0f} after hours ({after_hours_text(scenario, group)}, "
                         "left out of its rates)")
        sources = forwarded_from(scenario, group)
        if sources:
            text += f"; it also takes the calls forwarded from {sources}"
        lines.append(text + ".")
    if runs:
        lines.append(f"{runs}.")
    return lines


def after_hours_text(scenario: Scenario, group: HuntGroup) -> str:
    """What a call that reaches ``group`` outside its ``open`` hours gets, in words:
    ``forwarded to 400``, ``voicemail`` or ``busy signal``.

    Examples
    --------
    >>> from huntsim import load_scenario
    >>> office = load_scenario({"start": "mon 00:00", "duration": "1d",
    ...     "agent_defaults": {"talk_time": "3min"},
    ...     "agents": [{"number": "101"}, {"number": "201"}],
    ...     "hunt_groups": [{"pilot": "100", "members": ["101"], "open": ["mon 08:00-17:00"],
    ...                      "forward": {"when": ["after_hours"], "to": "200"}},
    ...                     {"pilot": "200", "members": ["201"]}]})
    >>> [after_hours_text(office, g) for g in office.hunt_groups]
    ['forwarded to 200', '-']
    """
    if group.open is None:
        return "-"
    if group.forwards("after_hours") and group.forward is not None:
        to = group.forward.to
        pilots = {g.pilot for g in scenario.hunt_groups}
        return f"forwarded to {to}" if to in pilots else f"forwarded out of the office to {to}"
    return {"voicemail": "voicemail", "busy": "busy signal"}[group.after_hours_treatment]


def forwarded_from(scenario: Scenario, group: HuntGroup) -> str:
    """The groups that forward calls to ``group``, and when: ``300 (after hours)``;
    empty when none does."""
    words = {"after_hours": "after hours", "all_busy": "all busy",
             "no_answer": "no answer", "queue_timeout": "queue time-out"}
    sources = [f"{g.pilot} ({', '.join(words[w] for w in g.forward.when)})"
               for g in scenario.hunt_groups
               if g.forward is not None and g.forward.to == group.pilot]
    return ", ".join(sources)


# ----------------------------------------------------------------- Result


def _scopes(result: Result) -> pd.DataFrame:
    """The run's figures per scope: :data:`RUN_METRICS`, and the call back figures where
    some caller was called back."""
    summary = result.summary()
    callbacks = uses_callbacks(
        lambda m: float(summary[m].astype(float).max()) if m in summary else None)
    shown = [*RUN_METRICS, *(CALLBACK_METRICS if callbacks else ())]
    return summary[[m for m in shown if m in summary.columns]]


def result_text(result: Result) -> str:
    """A run in a few lines: what was simulated and each scope's headline figures."""
    scenario = result.scenario
    lines = [f"Result: {human_duration(result.window_s)} of {office_text(scenario.name)} "
             f"(seed {result.seed}), {len(scenario.agents)} agents"]
    names = scope_labels(scenario)
    pilots = {g.pilot for g in scenario.hunt_groups}
    for scope, row in _scopes(result).iterrows():
        figures = ", ".join(f"{metric(m).label.lower()} {format_value(m, row[m])}"
                            for m in RUN_HEADLINE_METRICS if m in row.index)
        name = names.get(str(scope), str(scope))
        if name in pilots:  # an unnamed group: its pilot, said to be one
            name = f"pilot {name}"
        lines.append(f"  {name}: {format_value('offered', row['offered'])} calls; {figures}")
    if result.warnings:
        lines.append(f"  {len(result.warnings)} warning(s): see result.warnings")
    return "\n".join(lines)


def result_html(result: Result) -> str:
    """A run for Jupyter: the headline figures per scope and the outcome mix."""
    from huntsim.views.plots import outcome_figure

    scopes = _scopes(result)
    names = scope_labels(result.scenario)
    table = pd.DataFrame({label(str(m)): [format_value(str(m), v) for v in scopes[m]]
                          for m in scopes},
                         index=[names.get(str(s), str(s)) for s in scopes.index]).T
    shares = result.summary().filter(like="_rate")
    rows = pd.DataFrame([{"policy": names.get(str(scope), str(scope)), "metric": name,
                          "mean": value,
                          "ci_low": value, "ci_high": value}
                         for scope, row in shares.iterrows() for name, value in row.items()
                         if str(name).removesuffix("_rate") in OUTCOMES])
    fig = outcome_figure(rows)
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
    return (f"{scoped_style()}<div class='{SCOPE}'><p><b>Result</b>: "
            f"{html.escape(human_duration(result.window_s))} of "
            f"{html.escape(office_text(result.scenario.name))} (seed {result.seed}), "
            f"{len(result.scenario.agents)} agents. Tables: "
            + ("<code>calls</code>, <code>offers</code>, <code>agents</code>.</p>"
               if result.calls is not None else
               "<code>agents</code> (kept running totals only, no call log).</p>")
            + table.to_html(border=0)
            + (f"<ul class='note'>{warnings}</ul>" if warnings else "")
            + figure_img(fig, "What happened to the calls") + "</div>")


def verdict_differences(verdict: Verdict) -> pd.DataFrame:
    """The verdict's paired differences in the layout of ``Comparison.differences``.

    ``policy, baseline, metric, mean, ci_low, ci_high``: each policy minus the
    verdict's baseline (the group's configured policy), key metrics only.
    """
    rows = verdict.table[verdict.table["judgement"] != BASELINE]
    return pd.DataFrame({"policy": rows["policy"].to_numpy(), "baseline": verdict.baseline,
                         "metric": rows["metric"].to_numpy(),
                         "mean": rows["difference"].to_numpy(dtype=float),
                         "ci_low": rows["difference_ci_low"].to_numpy(dtype=float),
                         "ci_high": rows["difference_ci_high"].to_numpy(dtype=float)})


# ------------------------------------------------------------- Comparison


def cells(frame: pd.DataFrame) -> list[str]:
    """``mean ± half-width`` of each row of a table with ``metric, mean, ci_low, ci_high``,
    the interval clipped to the metric's range (:func:`~huntsim.analysis.formatting.bounds`)."""
    names = frame["metric"].astype(str).tolist()
    means, lows, highs = (frame[c].to_numpy(dtype=float) for c in ("mean", "ci_low", "ci_high"))
    return [format_interval(name, float(m), float(low), float(high))
            for name, m, low, high in zip(names, means, lows, highs, strict=True)]


_MARKS = {BETTER: ("better", "better"), WORSE: ("worse", "worse"), BASELINE: ("same", ""),
          NEGLIGIBLE_DIFFERENCE: ("same", "negligible difference"),
          NO_INTERVAL: ("same", "not judged (one replication)")}


def decision_table(verdict: Verdict) -> pd.DataFrame:
    """Policies x key metrics as text: mean ± half-width and the judgement against baseline.

    Each cell reads e.g. ``85.0 ± 0.2 % better``, ``≈`` where the paired
    interval covers 0; the baseline's row is marked in the index; the best
    policy on a metric (significantly better than every other) is marked
    ``★``. Columns are the catalog's labels with units.

    Parameters
    ----------
    verdict : Verdict
        From :func:`huntsim.experiments.verdict.conclude`.
    """
    table = verdict.table
    texts = [("★ " if best else "") + cell + (f" {judgement}" if judgement in (BETTER, WORSE)
                                              else "" if judgement == BASELINE
                                              else " ≈ negligible"
                                              if judgement == NEGLIGIBLE_DIFFERENCE
                                              else " (not judged)" if judgement == NO_INTERVAL
                                              else " ≈")
             for cell, judgement, best in zip(cells(table), table["judgement"].astype(str),
                                              table["best"].astype(bool), strict=True)]
    names = [policy_label(p) + (" (baseline)" if p == verdict.baseline else "")
             for p in table["policy"].astype(str)]
    wide = pd.DataFrame({"policy": names, "metric": [label(m) for m in table["metric"]],
                         "text": texts}).pivot(index="policy", columns="metric", values="text")
    order = [policy_label(p) + (" (baseline)" if p == verdict.baseline else "")
             for p in verdict.policies]
    columns = [label(m) for m in dict.fromkeys(table["metric"])]
    return wide.loc[order, columns].rename_axis(index=None, columns=None)


def decision_html(verdict: Verdict) -> str:
    """The decision table as HTML, cells coloured by judgement, the recommendation's row marked."""
    table = verdict.table
    head = "".join(f"<th>{html.escape(label(m))}</th>" for m in dict.fromkeys(table["metric"]))
    by_policy: dict[str, list[str]] = {}
    for policy, cell, judgement, best in zip(table["policy"].astype(str), cells(table),
                                             table["judgement"].astype(str),
                                             table["best"].astype(bool), strict=True):
        css, word = _MARKS.get(judgement, ("same", "≈ no significant difference"))
        by_policy.setdefault(policy, []).append(
            f"<td class='{css}{' best' if best else ''}'>{'★ ' if best else ''}"
            f"{html.escape(cell)}" + (f"<br><small>{word}</small>" if word else "") + "</td>")
    body = []
    for policy in verdict.policies:
        name = policy_label(policy)
        if policy == verdict.baseline:
            name += " <small>(baseline)</small>"
        if policy == verdict.recommended:
            name = f"<b>{name}</b> <small>(recommended)</small>"
        body.append(f"<tr><th>{name}</th>{''.join(by_policy.get(policy, []))}</tr>")
    return (f"<table class='decision'><thead><tr><th>policy</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def comparison_text(comparison: Comparison, group: str | None = None) -> str:
    """A comparison in a few lines: what ran, the key figures per policy, the verdict."""
    verdict = conclude(comparison, group)
    count = len(comparison.policies)
    lines = [f"Comparison: {count} {'policy' if count == 1 else 'policies'} x "
             f"{comparison.replications} "
             f"replications of {human_duration(comparison.scenario.window_s)}"
             f" of {office_text(comparison.scenario.name)} (seed {comparison.seed}), pilot "
             f"{verdict.group}"]
    if len(verdict.table):
        names = list(dict.fromkeys(verdict.table["metric"]))
        header = ["", *(metric(m).label for m in names)]
        rows = [header]
        for policy in verdict.policies:
            block = verdict.table[verdict.table["policy"] == policy].set_index("metric")
            rows.append([policy_label(policy) + (" *" if policy == verdict.baseline else ""),
                         *(format_value(m, float(block.loc[m, "mean"])) for m in names)])
        table = text_table(rows[0], rows[1:], wrap=max(len(head) for head in rows[0]))
        lines.extend(f"  {line}" for line in table.splitlines())
        lines.append("  * baseline (the group's policy)" if verdict.baseline_reason ==
                     "configured" else "  * baseline (the first policy compared)")
    lines.append(verdict.lines()[-1])
    return "\n".join(lines)


def comparison_html(comparison: Comparison, group: str | None = None) -> str:
    """A comparison for Jupyter: the decision table, the verdict and the forest plot."""
    verdict = conclude(comparison, group)
    count = len(comparison.policies)
    parts = [f"{scoped_style()}<div class='{SCOPE}'><p><b>Comparison</b> of "
             f"{count} {'policy' if count == 1 else 'policies'} on "
             f"{html.escape(office_text(comparison.scenario.name))}, pilot "
             f"{html.escape(verdict.group)}: {comparison.replications} replications of "
             f"{html.escape(human_duration(comparison.scenario.window_s))}"
             f" each (seed {comparison.seed}).</p>"]
    if len(verdict.table):
        parts.append(decision_html(verdict))
    parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in verdict.lines())
                 + "</ul>")
    parts.append(f"<p class='note'>{html.escape(plus_minus_note(comparison.replications))} "
                 "better / worse: the paired 95 % interval against the baseline excludes 0; "
                 "≈: it does not.</p>")
    if len(verdict.table) and len(verdict.policies) > 1:
        from huntsim.views.plots import differences_figure

        fig = differences_figure(verdict_differences(verdict),
                                 tuple(dict.fromkeys(verdict.table["metric"])), columns=5)
        parts.append(figure_img(fig, "Paired differences against the baseline", dpi=80))
    return "".join(parts) + "</div>"


# ----------------------------------------------------------- StaffingPlan


def plan_table(staffing: StaffingPlan) -> pd.DataFrame:
    """Members x (target metric, policy): mean ± half-width as text, catalog labels."""
    wanted = list(dict.fromkeys(t.metric for t in staffing.targets))
    curve = staffing.curve[staffing.curve["metric"].isin(wanted)]
    wide = curve.assign(text=cells(curve)).pivot_table(
        index="members", columns=["metric", "policy"], values="text", aggfunc="first")
    pairs = [(str(m), str(p)) for m, p in zip(wide.columns.get_level_values(0),
                                              wide.columns.get_level_values(1), strict=True)]
    names = [f"{metric(m).label} ({policy_label(p)})" if len(staffing.policies) > 1 else label(m)
             for m, p in pairs]
    table = wide.set_axis(names, axis=1)
    if staffing.added is not None and staffing.sizes[-1] > staffing.added.listed:
        listed = staffing.added.listed  # who each size is: see StaffingPlan.added_line
        table.insert(0, "Added members", [f"+{size - listed}" if size > listed else "-"
                                          for size in table.index])
    return table


def erlang_estimate(staffing: StaffingPlan, name: str) -> pd.Series | None:
    """The plan's Erlang estimate of metric ``name`` by members, where the plan has one.

    Erlang B's share of calls finding every member busy stands beside voicemail
    and busy; Erlang C's service level beside the service level at the plan's
    threshold.
    """
    erlang = staffing.erlang.set_index("members")
    level = service_level_name(staffing.threshold_s)
    column = {"voicemail_rate": "erlang_b_blocking", "busy_rate": "erlang_b_blocking",
              level: f"erlang_c_{level}"}.get(name)
    return erlang[column] if column in erlang.columns else None


def targets_text(staffing: StaffingPlan, joint: str = ", ") -> str:
    """The plan's targets in words and units, e.g. ``Voicemail <= 5 %`` (the words of
    the plan's answer, :meth:`Target.label_text`)."""
    return joint.join(t.label_text() for t in staffing.targets)


def plan_text(staffing: StaffingPlan) -> str:
    """A plan in a few lines: the question and the answer per policy."""
    targets = targets_text(staffing)
    lines = [f"StaffingPlan: pilot {staffing.group} of {office_text(staffing.scenario.name)}, "
             f"{staffing.sizes[0]} to {staffing.sizes[-1]} members, "
             f"{staffing.replications} replications of "
             f"{human_duration(staffing.scenario.window_s)} "
             f"per size; targets {targets}"]
    lines.extend(f"  {line}" for line in staffing.answer().splitlines())
    return "\n".join(lines)


def plan_html(staffing: StaffingPlan) -> str:
    """A plan for Jupyter: the answer, the staffing curve as a table and as a figure."""
    from matplotlib.figure import Figure

    from huntsim.views.plots import plot_staffing_curve

    targets = list(staffing.targets)
    fig = Figure(figsize=(5 * len(targets), 3.2), layout="constrained")
    for ax, target in zip(fig.subplots(1, len(targets), squeeze=False)[0], targets,
                          strict=True):
        plot_staffing_curve(staffing.curve, target.metric, target.value,
                            erlang_estimate(staffing, target.metric), ax=ax)
    answer = "".join(f"<li>{html.escape(line)}</li>" for line in staffing.answer().splitlines())
    return (f"{scoped_style()}<div class='{SCOPE}'><p><b>StaffingPlan</b> for pilot "
            f"{html.escape(staffing.group)} of "
            f"{html.escape(office_text(staffing.scenario.name))}: targets "
            f"{html.escape(targets_text(staffing))}; "
            f"{staffing.replications} replications per size and policy.</p><ul>{answer}</ul>"
            f"{plan_table(staffing).to_html(border=0)}"
            f"<p class='note'>{html.escape(plus_minus_note(staffing.replications))}</p>"
            + "".join(f"<p class='note'>{html.escape(line)}</p>"
                      for line in staffing.estimate_lines())
            + figure_img(fig, "Staffing curve") + "</div>")


# ----------------------------------------------------------- Sweep

SWEEP_ROWS = 24
"""Rows of a sweep's table its repr shows at most (``print(sweep.wide())`` for more)."""


def _sweep_head(result: Sweep, group: str) -> str:
    points, policies = len(result.points), len(result.policies)
    return (f"{points} grid point{'s' if points != 1 else ''} x {policies} "
            f"{'policy' if policies == 1 else 'policies'} x {result.replications} "
            f"replications of {human_duration(result.scenario.window_s)} of "
            f"{office_text(result.scenario.name)} (seed {result.seed}), group {group}")


def sweep_summary(result: Sweep, group: str | None = None) -> str:
    """A sweep in a few lines: what ran, its table (at most :data:`SWEEP_ROWS` rows) and
    the conclusion in words, for the group reported on."""
    from huntsim.views.console import sweep_table

    group = group or result.group or result.scenario.hunt_groups[0].pilot
    header, rows = sweep_table(result, group)
    shown = text_table(header, rows[:SWEEP_ROWS], wrap=30, keys=len(result.parameters) + 1)
    lines = [f"Sweep: {_sweep_head(result, group)}",
             *(f"  {line}" for line in shown.splitlines())]
    if len(rows) > SWEEP_ROWS:
        lines.append(f"  ... {len(rows) - SWEEP_ROWS} more rows (sweep.wide(), sweep.table)")
    lines.extend(result.conclusion(group))
    return "\n".join(lines)


def sweep_html(result: Sweep, group: str | None = None) -> str:
    """A sweep for Jupyter: what ran, the conclusion and the table of every grid point and
    policy (catalog labels and units)."""
    from huntsim.views.console import sweep_table

    group = group or result.group or result.scenario.hunt_groups[0].pilot
    header, rows = sweep_table(result, group)
    table = pd.DataFrame(rows, columns=header).to_html(border=0, index=False)
    conclusion = "".join(f"<li>{html.escape(line)}</li>" for line in result.conclusion(group))
    note = (plus_minus_note(result.replications) if result.replications > 1 else
            "One replication per point: no interval.")
    return (f"{scoped_style()}<div class='{SCOPE}'><p><b>Sweep</b>: "
            f"{html.escape(_sweep_head(result, group))}.</p><ul>{conclusion}</ul>{table}"
            f"<p class='note'>{html.escape(note)}</p></div>")
