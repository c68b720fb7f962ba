"""Fairness of member load against each member's fair share given who was logged in.

A part-timer who takes her turns carries less than the others, and rightly so:
Jain's index measured against each member's fair share (the group's calls,
each split evenly among the members logged in when it came) scores her group
as fair, and the load chart's dotted line follows presence. Without schedules
the figures are the plain Jain's index, max/min ratio and spread, as before.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest

import huntsim
from huntsim.analysis.intervals import mean_interval
from huntsim.analysis.metrics import fairness
from huntsim.experiments.measure import RunTask, measure

matplotlib.use("Agg")

SEEDS = tuple(range(1, 7))
PART_TIME = ["mon-sun 00:00-12:00"]  # logged in for the first half of each day


def _office(policy: str, part_timer: bool = True, days: int = 2) -> dict[str, Any]:
    """Three identical members, A and B always in, C (if ``part_timer``) only mornings."""
    agents: list[dict[str, Any]] = [
        {"number": n, "talk_time": {"dist": "exponential", "mean": "3min"},
         "answer_delay": {"dist": "uniform", "low": "1s", "high": "5s"}} for n in "ABC"]
    if part_timer:
        agents[2]["schedule"] = PART_TIME
    return {"start": "mon 00:00", "duration": f"{days}d", "ring_cycle": "6s",
            "agents": agents,
            "hunt_groups": [{"pilot": "100", "members": ["A", "B", "C"], "policy": policy,
                             "voicemail": True, "no_answer_rings": 4,
                             "arrivals": {"rate": "20/h"}}]}


def _runs(policy: str, part_timer: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per seed: the group's metrics, and its members table."""
    metrics, members = [], []
    scenario = huntsim.load_scenario(_office(policy, part_timer))
    for seed in SEEDS:
        measured = measure(RunTask("run", scenario, seed))
        table = pd.DataFrame(measured.metrics)
        metrics.append(table.set_index("metric")["value"].rename(seed))
        members.append(pd.DataFrame(measured.members).assign(seed=seed))
    return pd.DataFrame(metrics), pd.concat(members, ignore_index=True)


@pytest.mark.parametrize("policy", ["circular", "uniform"])
def test_a_part_timer_who_takes_her_turns_is_fair(policy: str) -> None:
    metrics, members = _runs(policy)
    mean, low, high = mean_interval(metrics["jain_index"].to_numpy())
    # close to 1: the interval over the replications reaches within 1 % of it
    assert high >= 0.99 and low > 0.97, (mean, low, high)
    # against an even third each (what the index measured before), clearly lower
    flat = [float(fairness(run["load_erlang"])["jain_index"])
            for _, run in members.groupby("seed")]
    _, _, flat_high = mean_interval(np.asarray(flat))
    assert flat_high < low - 0.03, (flat, low)
    # the part-timer carries her fair share (the interval over the runs holds it),
    # not a third
    part = members[members["agent"] == "C"]
    ratio = part["load_share"].to_numpy() / part["expected_share"].to_numpy()
    r_mean, r_low, r_high = mean_interval(ratio)
    assert r_low < 1.0 < r_high, (r_mean, r_low, r_high)
    assert part["load_share"].mean() < 0.25


def test_the_fair_shares_follow_the_schedule() -> None:
    # each answered call's talk is split among who was logged in when it was
    # answered: C has a third of the morning's, A and B a third of the morning's
    # and half of the afternoon's
    scenario = huntsim.load_scenario(_office("circular"))
    result = huntsim.simulate(scenario, seed=3)
    assert result.calls is not None
    answered = result.calls[(result.calls["kind"] == "pilot")
                            & (result.calls["outcome"] == "answered")]
    talk = answered["talk_s"].to_numpy()
    in_morning = (answered["answer_s"].to_numpy() % 86400.0) < 43200.0
    morning = talk[in_morning].sum() / talk.sum()
    shares = pd.DataFrame(measure(RunTask("run", scenario, 3)).members
                          ).set_index("agent")["expected_share"]
    assert shares["C"] == pytest.approx(morning / 3, abs=1e-12)
    assert shares["A"] == shares["B"] == pytest.approx(morning / 3 + (1 - morning) / 2,
                                                       abs=1e-12)
    assert 0.1 < shares["C"] < 0.25  # about 1/6, far from an even third


def test_the_load_charts_fair_share_line_follows_presence() -> None:
    from huntsim.views.plots import plot_member_load

    comparison = huntsim.compare(_office("circular", days=1), ["circular", "uniform"],
                                 replications=2, seed=4, jobs=1)
    members = comparison.members[comparison.members["group"] == "100"]
    fair = (members[members["metric"] == "expected_share"].groupby("position")["mean"].mean()
            .to_numpy())
    ax = plot_member_load(members)
    lines = [c for c in ax.collections if c.get_label() == "fair share (who was logged in)"]
    assert len(lines) == 1
    heights = [segment[0][1] for segment in lines[0].get_segments()]
    assert heights == pytest.approx(fair.tolist())
    assert heights[2] < 0.25 < heights[0]  # the part-timer's line is lower: not 1/3 flat


def test_without_schedules_the_figures_are_as_before() -> None:
    # the index, ratio and spread of the loads themselves, as computed before
    metrics, members = _runs("regular", part_timer=False)
    assert (members["expected_share"] == 1 / 3).all()  # exactly an even share
    for seed, run in members.groupby("seed"):
        x = run["load_erlang"].to_numpy(dtype=float)
        before = {"jain_index": x.sum() ** 2 / (len(x) * (x**2).sum()),
                  "max_min_ratio": x.max() / x.min(), "load_cv": x.std() / x.mean()}
        for name, value in before.items():
            assert metrics.loc[seed, name] == pytest.approx(value, rel=1e-12), name
    assert metrics["jain_index"].max() < 0.99  # regular hunting is not fair: still seen


def test_fair_shares_and_fairness_edge_cases() -> None:
    from huntsim.analysis.fairness import fair_shares

    out = pd.DataFrame({"agent": ["B", "B"], "reason": ["logged_out", "logged_out"],
                        "start_s": [0.0, 100.0], "end_s": [50.0, 200.0]})
    # B is out at 10 and at 150 (and at 100, where a stretch begins), in at 50 and 60
    shares = fair_shares([10.0, 50.0, 60.0, 100.0, 150.0], ["A", "B"], out)
    assert shares.tolist() == pytest.approx([(1 + 0.5 + 0.5 + 1 + 1) / 5, 0.2])
    assert fair_shares([], ["A", "B"], out).tolist() == [0.5, 0.5]
    # nobody logged in: the call is nobody's share
    everyone_out = pd.concat([out, out.assign(agent="A")])
    assert fair_shares([10.0, 60.0], ["A", "B"], everyone_out).tolist() == [0.5, 0.5]
    # a member never present when calls came is left out; one who carries it all
    figures = fairness([0.0, 3.0, 1.0], shares=[0.0, 0.75, 0.25])
    assert figures["jain_index"] == pytest.approx(1.0)
    assert figures["max_min_ratio"] == pytest.approx(1.0)
    assert fairness([1.0, 0.0], shares=[0.25, 0.75])["jain_index"] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="shares: 1 values for 2 loads"):
        fairness([1.0, 2.0], shares=[1.0])
