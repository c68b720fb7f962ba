"""Figures, self-contained reports and the compare / plan commands, from small runs."""

from __future__ import annotations

import re
import warnings
from html import unescape
from itertools import pairwise

import pandas as pd
import pytest
import yaml
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from huntsim import compare, plan, simulate
from huntsim.cli.main import main
from huntsim.experiments.verdict import conclude
from huntsim.views.display import human_duration
from huntsim.views.plots import (
    plot_differences,
    plot_hourly,
    plot_member_load,
    plot_outcome_mix,
    plot_outcome_share,
    plot_staffing_curve,
    plot_wait_ecdf,
    plot_week_heatmap,
)
from huntsim.views.report import write_comparison, write_plan

REAL_ESTATE = "scenarios/real_estate.yaml"


@pytest.fixture(scope="module")
def comparison():
    return compare(REAL_ESTATE, ["regular", "circular"], replications=3, seed=1, jobs=1)


@pytest.fixture(scope="module")
def staffing():
    return plan(REAL_ESTATE, "555-0100", ["voicemail_rate<=0.05", "service_level_20s>=0.5"],
                members=[4, 6], replications=2, jobs=1)


def test_figures_draw_what_they_are_given(comparison, staffing):
    ecdf = plot_wait_ecdf(comparison.waits)
    assert isinstance(ecdf, Axes) and len(ecdf.get_lines()) == 2 + 1  # two policies, threshold
    bars = plot_member_load(comparison.members)
    assert len(bars.patches) == 2 * 6  # two policies, six members
    mix = plot_outcome_mix(comparison.table)
    heights = pd.Series([p.get_height() for p in mix.patches])
    assert heights.sum() == pytest.approx(2.0, abs=1e-9)  # each policy's outcomes add up to 1
    curve = plot_staffing_curve(staffing.curve, "voicemail_rate", 0.05)
    assert len(curve.get_lines()) == 2  # the curve and the target line
    hours = plot_hourly(comparison.hourly)
    assert len([line for line in hours.get_lines()
                if not line.get_label().startswith("_")]) == 2  # one per policy


def self_contained(html: str) -> bool:
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    return all(s.startswith("data:") for s in sources) and "<script" not in html


COMPARISON_FIGURES = {"differences.png", "outcomes.png", "hourly.png", "hourly_lost.png",
                      "wait_ecdf.png", "member_load.png"}


@pytest.fixture(scope="module")
def comparison_report(comparison, tmp_path_factory):
    out = tmp_path_factory.mktemp("comparison")
    write_comparison(comparison, out)
    return out


def test_comparison_report_is_self_contained(comparison, comparison_report):
    tmp_path = comparison_report
    html = (tmp_path / "report.html").read_text()
    # an office with a calendar also gets the weekday x hour heat maps
    figures = set(COMPARISON_FIGURES)
    if comparison.scenario.uses_calendar:
        figures.add("hourly_heatmap.png")
    assert self_contained(html) and html.count("data:image/png;base64,") == len(figures)
    text = unescape(html)
    for line in conclude(comparison).lines():  # the verdict, word for word
        assert line in text
    for name in ("comparison", "differences", "members", "hourly", "replications"):
        assert len(pd.read_csv(tmp_path / f"{name}.csv")) > 0
    assert {p.name for p in tmp_path.glob("*.png")} == figures


def test_plan_report_is_self_contained(staffing, tmp_path):
    write_plan(staffing, tmp_path)
    html = (tmp_path / "report.html").read_text()
    for line in staffing.estimate_lines():
        assert line in unescape(html)
    assert self_contained(html) and html.count("data:image/png;base64,") == 2
    assert len(pd.read_csv(tmp_path / "staffing_curve.csv")) > 0


def test_compare_command_writes_everything(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", "scenarios/front_desk_simultaneous.yaml", "--policies",
                 "regular,simultaneous", "--replications", "3", "--jobs", "1", "--quiet",
                 "--out", str(out)])
    assert code == 0
    assert (out / "report.html").exists() and (out / "comparison.csv").exists()
    printed = capsys.readouterr().out
    assert "Recommendation" in printed and "voicemail" in printed.lower()


def test_plan_command_writes_everything(tmp_path, capsys):
    out = tmp_path / "plan"
    code = main(["plan", "scenarios/sales_weighted.yaml", "--group", "500",
                 "--target", "voicemail_rate<=0.2", "--members", "2..4", "--replications", "2",
                 "--jobs", "1", "--quiet", "--out", str(out)])
    assert code == 0
    assert (out / "report.html").exists() and (out / "recommendation.csv").exists()
    assert "Weighted:" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["plan", REAL_ESTATE, "--group", "555-0100", "--target", "wait<5"],
    ["plan", REAL_ESTATE, "--group", "nope", "--target", "voicemail_rate<0.1"],
    ["plan", REAL_ESTATE, "--group", "555-0100", "--target", "voicemail_rate<0.1",
     "--members", "5..x"],
    ["compare", REAL_ESTATE, "--policies", "regular,fastest"],
    ["compare", REAL_ESTATE, "--replications", "0"],
    ["compare", REAL_ESTATE, "--group", "nope"],
])
def test_bad_experiment_arguments_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def member_rows(names: list[str], numbers: list[str], index: list[int] | None = None,
                ) -> pd.DataFrame:
    rows = [{"policy": policy, "group": "100", "position": position, "agent": number,
             "name": name, "metric": "load_share", "mean": share, "ci_low": share - 0.05,
             "ci_high": share + 0.05, "n": 3}
            for policy in ("regular", "circular")
            for position, (name, number, share) in enumerate(
                zip(names, numbers, (0.5, 0.3, 0.2), strict=False), start=1)]
    return pd.DataFrame(rows, index=index)


@pytest.mark.parametrize(("names", "numbers", "ticks"), [
    (["Reception", "Reception", "Bob"], ["101", "102", "103"],
     ["Reception (101)", "Reception (102)", "Bob"]),
    (["102", "102", "Carol"], ["101", "102", "103"], ["102 (101)", "102 (102)", "Carol"]),
])
def test_member_load_tells_apart_members_whose_names_collide(names, numbers, ticks):
    # before: the bars were drawn by name, and two members of one name broke the figure
    ax = plot_member_load(member_rows(names, numbers))
    assert [t.get_text() for t in ax.get_xticklabels()] == ticks
    heights = [round(p.get_height(), 3) for p in ax.patches]
    assert heights == [0.5, 0.3, 0.2] * 2


def test_member_load_reads_a_table_whose_index_repeats():
    rows = member_rows(["A", "B", "C"], ["1", "2", "3"], index=[0, 1, 2, 0, 1, 2])
    assert len(plot_member_load(rows).patches) == 6
    two_groups = pd.concat([rows, rows.assign(group="200")])
    with pytest.raises(ValueError, match="several groups"):
        plot_member_load(two_groups)


def test_comparison_report_with_two_members_of_one_name(tmp_path):
    office = {"duration": "8h", "agent_defaults": {"talk_time": "3min"},
              "agents": [{"number": "101", "name": "Desk"}, {"number": "102", "name": "Desk"},
                         {"number": "103", "name": "Bob"}],
              "hunt_groups": [{"pilot": "100", "members": ["101", "102", "103"],
                               "voicemail": True, "arrivals": {"rate": "10/h"}}]}
    write_comparison(compare(office, ["regular", "circular"], replications=2, jobs=1), tmp_path)
    assert (tmp_path / "member_load.png").stat().st_size > 0


CLINIC = {
    "name": "small clinic", "duration": "1w", "start": "mon 07:00", "seed": 5,
    "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}, "wrap_up": "30s"},
    "agents": [{"number": "101"}, {"number": "102"},
               {"number": "103", "schedule": ["mon-fri 10:00-14:00"]}],
    "hunt_groups": [{
        "pilot": "100", "members": ["101", "102", "103"], "voicemail": True,
        "open": ["mon-fri 08:00-17:00", "sat 09:00-12:00"],
        "arrivals": {"weekly": {
            "mon-fri": {"08:00": "10/h", "10:00": "30/h", "12:00": "20/h", "17:00": "0/h"},
            "sat": {"09:00": "6/h", "12:00": "0/h"}}},
    }],
}


@pytest.fixture
def clinic_file(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(yaml.safe_dump(CLINIC))
    return path


def test_compare_on_an_office_with_a_calendar(clinic_file, tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(clinic_file), "--policies", "regular,circular",
                 "--replications", "2", "--jobs", "1", "--quiet", "--out", str(out)])
    assert code == 0 and "Regular" in capsys.readouterr().out
    hourly = pd.read_csv(out / "hourly.csv")
    assert list(hourly.columns[:4]) == ["policy", "group", "weekday", "hour"]
    offered = hourly[(hourly["metric"] == "offered_per_hour") & (hourly["policy"] == "regular")]
    # 08:00-17:00 Monday to Friday and 09:00-12:00 on Saturday: the hours with traffic
    assert len(offered) == 5 * 9 + 3 and (offered["n"] == 2).all()
    table = pd.read_csv(out / "comparison.csv")
    assert "after_hours" in set(table["metric"])
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(COMPARISON_FIGURES) + 1  # + heat maps
    assert (out / "hourly_heatmap.png").stat().st_size > 0


def test_plan_by_hour_on_an_office_with_a_calendar(clinic_file, tmp_path, capsys):
    out = tmp_path / "plan"
    code = main(["plan", str(clinic_file), "--group", "100", "--target", "voicemail_rate<=0.1",
                 "--members", "1..4", "--replications", "2", "--jobs", "1", "--quiet",
                 "--by-hour", "--hour-length", "3h", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "Members needed by hour (Regular" in printed and "sat" in printed
    by_hour = pd.read_csv(out / "by_hour.csv")
    assert list(by_hour.columns[:7]) == ["policy", "weekday", "hour", "rate_per_hour",
                                         "offered_load_erlang", "erlang_estimate",
                                         "members_needed"]
    assert len(by_hour) == 5 * 9 + 3 and set(by_hour["rate_per_hour"]) == {6, 10, 20, 30}
    need = by_hour.groupby("rate_per_hour")["members_needed"].max()
    assert need.is_monotonic_increasing and need[30] > need[6]
    html = (out / "report.html").read_text()
    assert "Staffing by hour" in html and (out / "staffing_by_hour.png").exists()
    assert html.count("data:image/png;base64,") == 2  # the staffing curve and the heat map


def test_plan_without_by_hour_on_an_office_with_a_calendar(clinic_file):
    staffing = plan(str(clinic_file), "100", ["voicemail_rate<=0.2"], members=[2, 3],
                    replications=2, jobs=1)
    assert staffing.by_hour is None
    assert staffing.recommendation["members"].notna().all()
    assert "after_hours" in set(staffing.curve["metric"])


def test_week_heatmap_draws_one_cell_per_row():
    rows = pd.DataFrame({"weekday": ["sat", "mon", "mon"], "hour": [9, 8, 10],
                         "members_needed": [1, 2, 4]})
    ax = plot_week_heatmap(rows, "members_needed")
    labels = [t.get_text() for t in ax.texts]
    assert sorted(labels) == ["1", "2", "4"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Sat"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["08", "09", "10"]
    image = ax.get_images()[0].get_array()
    assert image.mask.sum() == 3  # mon 09, sat 08 and sat 10 have no row


def share_rows(metric: str, means: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"policy": ["regular", "simultaneous"][:len(means)], "metric": metric,
                         "mean": means, "ci_low": [m - 0.005 for m in means],
                         "ci_high": [m + 0.005 for m in means]})


def test_outcome_share_shows_four_against_six_percent():
    # before: stacked bars on a 0-1 axis, where 4 % and 6 % voicemail looked the same
    ax = plot_outcome_share(share_rows("voicemail_rate", [0.04, 0.06]), "voicemail")
    widths = [round(p.get_width(), 3) for p in ax.patches]
    assert widths == [0.04, 0.06]
    assert ax.get_xlim()[1] < 0.1  # the axis is scaled to the outcome, not to 100 %
    assert [t.get_text() for t in ax.texts] == ["4.0 %", "6.0 %"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Regular", "Simultaneous"]


def test_outcome_mix_legend_is_beside_the_bars():
    ax = plot_outcome_mix(pd.concat([share_rows("answered_rate", [0.95, 0.93]),
                                     share_rows("voicemail_rate", [0.05, 0.07])]))
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # it covers no bar


@pytest.mark.parametrize(("metric", "low", "high", "colour"), [
    ("voicemail_rate", -0.03, -0.01, "#2a9d8f"),  # less voicemail: better
    ("voicemail_rate", 0.01, 0.03, "#c0392b"),  # more voicemail: worse
    ("service_level_20s", 0.01, 0.03, "#2a9d8f"),  # more within 20 s: better
    ("mean_wait_s", -1.0, 2.0, "#7f7f7f"),  # the interval covers 0: no difference
])
def test_forest_plot_colours_a_difference_by_direction_and_significance(metric, low, high,
                                                                        colour):
    rows = pd.DataFrame({"policy": ["uniform"], "baseline": "circular", "metric": metric,
                         "mean": [(low + high) / 2], "ci_low": [low], "ci_high": [high]})
    ax = plot_differences(rows, metric)
    interval = ax.get_lines()[0]
    assert to_hex(interval.get_color()) == colour
    scale = 100 if metric != "mean_wait_s" else 1  # rates in percentage points
    assert list(interval.get_xdata()) == pytest.approx([low * scale, high * scale])
    assert "difference from Circular" in ax.get_xlabel()


def test_hourly_axis_of_a_calendar_office_reads_weekday_and_clock_time():
    days = ["mon"] * 9 + ["sat"] * 3
    hours = [*range(8, 17), 9, 10, 11]
    rows = pd.DataFrame({"policy": "regular", "weekday": days, "hour": hours,
                         "metric": "voicemail_rate", "mean": 0.05})
    ax = plot_hourly(rows, "voicemail_rate", traffic=False)
    ticks = [(t.get_position()[0], t.get_text()) for t in ax.get_xticklabels()]
    assert ticks[0][1] == "Mon\n08:00" and ticks[-1][1] == "Sat\n09:00"
    assert all(label.endswith(":00") for _, label in ticks)
    spacing = [b[0] - a[0] for a, b in pairwise(ticks)]
    assert min(spacing) >= 2  # labels never overlap
    line = next(li for li in ax.get_lines() if li.get_label() == "Regular")
    assert pd.Series(line.get_ydata()).isna().sum() == 1  # a break between the days
    assert ax.get_ylim()[1] < 0.1  # a share axis scaled to the data
    # the hours of after-hours calls only (no call offered to the group) take no room
    offered = rows.assign(metric="offered_per_hour", mean=10.0)
    late = pd.DataFrame({"policy": "regular", "weekday": ["mon", "sun"], "hour": [18, 11],
                         "metric": "offered_per_hour", "mean": 0.0})
    ax = plot_hourly(pd.concat([rows, offered, late]), "voicemail_rate")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "18:00" not in labels and not any(label.startswith("Sun") for label in labels)


def test_comparison_report_opens_with_the_decision(comparison, comparison_report):
    text = unescape((comparison_report / "report.html").read_text())
    verdict = conclude(comparison)
    assert verdict.baseline == "circular"  # the office's own policy, not the first listed
    decision = text.index("<h2>Decision</h2>")
    assert decision < text.index("What was simulated") < text.index("Differences from")
    assert "Circular <small>(baseline)</small>" in text
    assert "Voicemail (% of calls)" in text[decision:text.index("What was simulated")]
    # the full table of paired differences, folded, one row per difference
    folded = text[text.index("<details><summary>All paired differences"):]
    folded = folded[:folded.index("</details>")]
    assert folded.count("<tr") == 1 + len(comparison.differences)  # header + rows
    assert "points" in folded  # rates in percentage points, not raw fractions
    # what was simulated, in human units
    assert "Each run: 4 weeks of the real-estate office" in text
    assert "calls a run" in text and "after hours" in text


@pytest.mark.parametrize(("seconds", "text"), [
    (4 * 604800, "4 weeks"), (604800 + 2 * 86400, "1 week 2 days"), (9 * 3600, "9 hours"),
    (3600, "1 hour"), (90, "1 minute 30 seconds"), (45, "45 seconds"),
])
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


@pytest.fixture(scope="module")
def one_run():
    return simulate(REAL_ESTATE, seed=1)


def test_result_reprs_are_short_and_in_human_units(one_run):
    text = repr(one_run)
    assert len(text.splitlines()) <= 4 and "Scenario(" not in text
    assert text.startswith("Result: 4 weeks of the real-estate office (seed 1), 6 agents")
    # the rows headed as `huntsim run` heads them (a named group: name and pilot)
    assert "\n  Main line (555-0100): 3,909 calls" in text and "\n  Direct calls: " in text
    html = one_run._repr_html_()
    assert "Voicemail (% of calls)" in html and "<table" in html
    assert html.count("data:image/png;base64,") == 1


def test_comparison_reprs(comparison):
    text = repr(comparison)
    assert len(text.splitlines()) <= 8 and "Scenario(" not in text
    assert "Circular *" in text and "Recommendation" in text
    html = comparison._repr_html_()
    assert "class='decision'" in html and html.count("data:image/png;base64,") == 1
    assert "Fairness of member load" in html


def test_plan_reprs(staffing):
    text = repr(staffing)
    assert text.startswith("StaffingPlan: pilot 555-0100 of the real-estate office, 4 to 6 "
                           "members")
    assert staffing.answer().splitlines()[0] in text and "Scenario(" not in text
    html = staffing._repr_html_()
    assert "Voicemail (% of calls)" in html and html.count("data:image/png;base64,") == 1
    assert "Erlang B first estimate" in unescape(html)  # and how far the simulation is from it


@pytest.mark.parametrize(("policies", "rate", "says"), [
    (["uniform"], "40/h", "Only Uniform was simulated: there is nothing to compare it with."),
    (["regular", "uniform"], "0/h", "No pilot calls reached 100: there is nothing to compare."),
])
def test_comparison_report_with_nothing_to_compare(policies, rate, says, tmp_path):
    office = {"duration": "4h", "agent_defaults": {"talk_time": "3min"},
              "agents": [{"number": "101", "direct_calls": {"rate": "5/h"}},
                         {"number": "102"}],
              "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "voicemail": True,
                               "arrivals": {"rate": rate}}]}
    comparison = compare(office, policies, replications=2, jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no all-NaN or empty-legend warnings either
        write_comparison(comparison, tmp_path)
        html = comparison._repr_html_()
    assert says in unescape((tmp_path / "report.html").read_text()) and says in unescape(html)
    assert says in repr(comparison)
    assert not (tmp_path / "differences.png").exists()  # no forest plot without a difference


@pytest.mark.parametrize(("policy", "says"), [
    ("circular", "Circular hunting, the next member after 4 rings (24 seconds)"),
    ("simultaneous", "Simultaneous hunting, every idle member rung at once for 4 rings "
                     "(24 seconds)"),
    ("staggered", "Staggered hunting, one more member rung every 6 seconds, each for 4 rings "
                  "(24 seconds)"),
])
def test_a_report_words_the_hunting_and_the_time_out_one_way(policy, says):
    from huntsim import load_scenario
    from huntsim.views.display import simulated
    from huntsim.views.report import scenario_summary

    scenario = load_scenario({
        "duration": "2h", "warmup": "30min", "agent_defaults": {"talk_time": "3min"},
        "agents": [{"number": "101"}, {"number": "102"}],
        "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "policy": policy,
                         "no_answer_rings": 4, "arrivals": {"rate": "10/h"}}]})
    lines = simulated(scenario)
    assert lines[0].startswith("Each run: 1 hour 30 minutes of the scenario")
    assert says in lines[2]
    table = scenario_summary(scenario)
    assert "4 rings (24 seconds)" in table and "(24s)" not in table
    assert f">{policy.capitalize()}<" in table and f">{policy}<" not in table
    assert scenario.window_s == 5400.0 and scenario.timeout_s(scenario.hunt_groups[0]) == 24.0


def test_reports_and_jupyter_views_share_the_one_style_sheet(comparison, comparison_report):
    from huntsim.views.html import STYLE, scoped_style

    assert f"<style>{STYLE}</style>" in (comparison_report / "report.html").read_text()
    assert comparison._repr_html_().startswith(scoped_style())


def test_plot_hourly_refuses_the_rows_of_several_groups():
    # issue 19: a multi-group comparison's hourly table mixed its groups in one panel
    rows = pd.DataFrame({"policy": "regular", "group": ["100", "200"], "hour": [8, 8],
                         "metric": "voicemail_rate", "mean": [0.02, 0.05]})
    with pytest.raises(ValueError, match=r"hourly holds 2 groups \(100, 200\): draw one"):
        plot_hourly(rows, "voicemail_rate", traffic=False)
    plot_hourly(rows[rows["group"] == "100"], "voicemail_rate", traffic=False)


def test_plot_hourly_legend_covers_neither_title_nor_lines_with_many_policies():
    # issue 19: with six policies the legend above the axes ran over the title and off the figure
    policies = ["regular", "circular", "simultaneous", "uniform", "fewest_calls", "random"]
    rows = pd.DataFrame([{"policy": p, "group": "100", "hour": h, "metric": "voicemail_rate",
                          "mean": 0.01 * (h + i)} for i, p in enumerate(policies)
                         for h in range(8, 12)])
    ax = plot_hourly(rows, "voicemail_rate", traffic=False)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    title = ax._left_title.get_window_extent(renderer)
    assert ax._left_title.get_text()
    assert not legend.overlaps(title)
    assert not legend.overlaps(ax.get_window_extent(renderer))
    assert legend.x0 >= 0
