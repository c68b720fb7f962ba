"""Figures, self-contained reports and the compare / plan commands, from small runs."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.axes import Axes

from huntsim import compare, plan
from huntsim.cli import main
from huntsim.plots import (
    plot_hourly,
    plot_member_load,
    plot_outcome_mix,
    plot_staffing_curve,
    plot_wait_ecdf,
)
from huntsim.report import write_comparison, write_plan

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
    assert len(hours.get_lines()) == 2


def self_contained(html: str) -> bool:
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    return all(s.startswith("data:") for s in sources) and "<script" not in html


def test_comparison_report_is_self_contained(comparison, tmp_path):
    write_comparison(comparison, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert self_contained(html) and html.count("data:image/png;base64,") == 4
    assert comparison.headline() in html.replace("&#x27;", "'")
    for name in ("comparison", "differences", "members", "hourly", "replications"):
        assert len(pd.read_csv(tmp_path / f"{name}.csv")) > 0
    assert {p.name for p in tmp_path.glob("*.png")} == {
        "wait_ecdf.png", "member_load.png", "outcome_mix.png", "hourly.png"}


def test_plan_report_is_self_contained(staffing, tmp_path):
    write_plan(staffing, tmp_path)
    html = (tmp_path / "report.html").read_text()
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
    assert "service_level_20s" in printed and "Jain" in printed


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
