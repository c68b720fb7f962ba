"""Where callers end (huntsim.analysis.flows), on traced scenarios."""

from __future__ import annotations

import matplotlib
from test_routing import one_busy_member, two_groups

import huntsim
from huntsim.analysis.flows import FLOWS, caller_flows
from huntsim.views.flow_plots import plot_caller_flows

matplotlib.use("Agg")


def test_a_caller_answered_after_two_busy_attempts_is_one_caller_answered_after_redial():
    scenario = one_busy_member(redial={"on": ["busy"], "probability": 1, "delay": "600s"})
    flows = caller_flows(huntsim.simulate(scenario, seed=1).calls)
    row = flows.loc["100"]
    assert (row["callers"], row["attempts"], row["answered_after_redial"]) == (1, 3, 1)
    assert row[list(FLOWS)].sum() == 1


def test_a_forwarded_caller_answered_by_the_second_group_counts_for_the_pilot_dialled():
    scenario = two_groups({"forward": {"when": ["no_answer"], "to": "200"}}, {})
    flows = caller_flows(huntsim.simulate(scenario, seed=1).calls)
    assert list(flows.index) == ["100"]
    assert flows.loc["100", "answered_elsewhere_share"] == 1.0


def test_flows_of_the_overflow_office_add_up_and_draw():
    result = huntsim.simulate("scenarios/real_estate_overflow.yaml", seed=2)
    flows = caller_flows(result.calls)
    shares = flows[[f"{k}_share" for k in FLOWS]].sum(axis=1)
    assert ((shares - 1).abs() < 1e-12).all()
    summary = result.summary().loc["555-0100"]
    assert flows.loc["555-0100", "callers"] == summary["callers"]
    # the summary counts every attempt of the callers it counts, also one after
    # hours; the flows leave after-hours attempts out
    attempts = summary["callers"] * summary["attempts_per_caller"]
    assert attempts * 0.99 <= flows.loc["555-0100", "attempts"] <= attempts + 1e-6
    ax = plot_caller_flows(flows)
    assert len(ax.patches) >= 3
