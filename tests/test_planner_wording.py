"""Wording a planner reads (trial-acd2 item 8): hints that use the agent's own number, and
groups named by their names when one is not found."""

from __future__ import annotations

import pytest

from huntsim import load_scenario
from huntsim.cli.main import main
from huntsim.errors import ScenarioError


def test_a_penalty_on_an_agent_is_hinted_with_that_agent_number():
    # before: "... as {number: '201', penalty: 1}" for agent 501
    office = {"duration": "1h", "agents": [{"number": "501", "penalty": 1,
                                            "talk_time": "3min"}],
              "hunt_groups": [{"pilot": "500", "members": ["501"]}]}
    with pytest.raises(ScenarioError) as caught:
        load_scenario(office)
    assert caught.value.messages == [
        "agents[0].penalty: unknown key (value 1); a penalty is given where the agent is a "
        "member: in hunt_groups[].members, as {number: '501', penalty: 1}"]


def test_a_group_not_found_lists_the_groups_names(tmp_path, capsys):
    # before: "--group: 'Sales' is not a pilot (pilots: '100', '200')", names left out
    import yaml
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump({
        "duration": "1h", "agents": [{"number": "101", "talk_time": "3min"}],
        "hunt_groups": [{"pilot": "100", "name": "Billing", "members": ["101"]},
                        {"pilot": "200", "members": ["101"]}],
        "one_group_per_member": False}))
    assert main(["compare", str(path), "--group", "Sales", "--replications", "2"]) == 2
    assert ("error: --group: 'Sales' is not a pilot or a group's name (groups: '100' "
            "(Billing), '200')") in capsys.readouterr().err


def test_group_calls_answered_is_said_to_count_call_backs():
    # before: the definition said "calls ... the member answered" while the figure counts
    # the call backs the member made too (trial-acd2 8)
    import huntsim
    from huntsim.analysis.catalog import METRICS
    office = {"duration": "1d", "seed": 1,
              "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"}},
              "agents": [{"number": "101"}, {"number": "102"}],
              "hunt_groups": [{"pilot": "100", "members": ["101", "102"],
                               "when_all_busy": "queue", "arrivals": {"rate": "40/h"},
                               "callback": {"offer_after": "30s", "accept": 1,
                                            "reached": 1}}]}
    result = huntsim.simulate(load_scenario(office), seed=1)
    outcomes = result.calls["outcome"].astype(str).value_counts()
    assert outcomes["called_back"] > 0
    assert result.agents["group_answered"].sum() == (outcomes["answered"]
                                                     + outcomes["called_back"])
    assert "call backs the member made" in METRICS["group_answered"].definition
