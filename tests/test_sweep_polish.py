"""sweep as a planner reads it (trial-acd2 items 3, 6, 8, 9): --policies given to the group
reported on, as compare does; the group's own policy named; the penalty_wait hint; swept
values not warned about as if written; a short repr and a Jupyter table."""

from __future__ import annotations

import pytest

from huntsim import load_scenario
from huntsim.cli.main import main
from huntsim.experiments.sweeps import sweep


def two_lines(call_waiting: bool = True) -> dict[str, object]:
    """Sales (fewest_calls) and Billing (circular, call waiting): no member shared."""
    return {
        "name": "two lines", "duration": "1d", "seed": 3, "one_group_per_member": False,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"}},
        "agents": [{"number": n} for n in ("101", "102", "103", "201", "202")],
        "hunt_groups": [
            {"pilot": "100", "name": "Sales", "policy": "fewest_calls",
             "members": ["101", "102", "103"], "when_all_busy": "queue", "voicemail": True,
             "arrivals": {"rate": "30/h"}},
            {"pilot": "200", "name": "Billing", "policy": "circular",
             "call_waiting": call_waiting, "members": ["201", "202"], "voicemail": True,
             "arrivals": {"rate": "12/h"}}],
    }


def test_sweep_policies_change_only_the_group_reported_on():
    # before: every group got each policy: Billing (call waiting) refused 'simultaneous',
    # and Billing's figures moved with Sales's policy
    result = sweep(two_lines(), {"traffic": [1.0]}, policies=["regular", "simultaneous"],
                   replications=2, seed=1, jobs=1, group="Sales")
    billing = result.table[result.table["group"] == "200"]
    by_policy = {p: rows.set_index("metric")["mean"] for p, rows in billing.groupby("policy")}
    assert by_policy["regular"].equals(by_policy["simultaneous"])


def test_sweep_command_policies_with_group_runs_where_compare_does(capsys):
    # before: exit 2 "'simultaneous' does not apply to hunt_groups[1] (200) ... call_waiting"
    import json
    import tempfile
    from pathlib import Path
    folder = Path(tempfile.mkdtemp())
    path = folder / "two.yaml"
    path.write_text(json.dumps(two_lines()))
    for command in ("compare", "sweep"):
        extra = ["--set", "traffic=1.0,1.2"] if command == "sweep" else []
        assert main([command, str(path), *extra, "--policies", "fewest_calls,simultaneous",
                     "--group", "Sales", "--replications", "2", "--jobs", "1",
                     "--quiet"]) == 0, command
    capsys.readouterr()


def test_a_sweep_without_policies_names_the_group_own_policy():
    # before: "As written" in the Policy column and "As written keeps answered ..."
    result = sweep(two_lines(call_waiting=False), {"traffic": [1.0]}, replications=2,
                   seed=1, jobs=1, group="Billing")
    assert result.policies == ("circular",)
    assert "as written" not in " ".join(result.conclusion()).lower()


def tiers() -> dict[str, object]:
    """One queue, 103 a second tier joining after 30 s."""
    return {"name": "tiers", "duration": "1d", "seed": 2,
            "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"}},
            "agents": [{"number": "101"}, {"number": "102"}, {"number": "103"}],
            "hunt_groups": [{"pilot": "100", "when_all_busy": "queue", "voicemail": True,
                             "members": ["101", "102", {"number": "103", "penalty": 1}],
                             "penalty_wait": "30s", "arrivals": {"rate": "25/h"}}]}


@pytest.mark.parametrize("loaded", [False, True])
def test_a_penalty_swept_to_0_drops_penalty_wait_there_and_says_so(loaded):
    # before: the whole sweep stopped: "grid: point hunt_groups[0].members[2].penalty=0:
    # hunt_groups[0].penalty_wait: 30 s but no member has a penalty above 0"
    office = load_scenario(tiers()) if loaded else tiers()
    path = "hunt_groups[0].penalties" if loaded else "hunt_groups[0].members[2].penalty"
    values = [[0, 0, 0], [0, 0, 1]] if loaded else [0, 1]
    result = sweep(office, {path: values}, replications=2, seed=1, jobs=1)
    assert len(result.points) == 2
    said = [w for w in result.warnings if "penalty_wait" in w]
    assert len(said) == 1 and said[0].startswith(
        "hunt_groups[0].penalty_wait is dropped where no member has a penalty above 0")
    assert said[0].endswith(f"at {path}={'[0, 0, 0]' if loaded else 0}")


def test_a_point_with_another_mistake_still_stops_the_sweep():
    from huntsim.errors import ScenarioError
    with pytest.raises(ScenarioError, match="penalty_wait"):
        sweep(tiers(), {"hunt_groups[0].penalty_wait": ["-5s"]}, replications=2, jobs=1)


def test_no_warning_on_a_value_the_sweep_sets_at_some_points_only():
    # before: "hunt_groups[0].callback.accept: 0, so no caller ever takes a call back and
    # callback changes nothing ... (in 2 of 4 runs; point 0, ...)" though 0 is swept on purpose
    office = tiers()
    group = office["hunt_groups"][0]  # type: ignore[index]
    group.pop("penalty_wait")
    group["members"] = ["101", "102", "103"]
    group["callback"] = {"offer_after": "1min", "accept": 0.5, "reached": 0.9}
    result = sweep(office, {"hunt_groups[0].callback.accept": [0, 0.5]}, replications=2,
                   seed=1, jobs=1)
    assert not [w for w in result.warnings if "callback.accept" in w]
    # one given at every point stays: the sweep cannot show what it changes
    kept = sweep(office, {"hunt_groups[0].callback.accept": [0]}, replications=2, seed=1,
                 jobs=1)
    assert [w for w in kept.warnings if w.startswith("hunt_groups[0].callback.accept: 0")]


def test_a_sweep_has_a_short_repr_and_a_jupyter_table():
    # before: repr was the dataclass's dump and there was no _repr_html_ (trial-acd2 9)
    result = sweep(two_lines(call_waiting=False), {"traffic": [1.0, 1.5]},
                   policies=["regular", "circular"], replications=2, seed=1, jobs=1,
                   group="Billing")
    text = repr(result)
    assert text.startswith("Sweep: 2 grid points x 2 policies x 2 replications")
    assert "group 200" in text and "Sweep(" not in text and "DataFrame" not in text
    assert result.conclusion()[0] in text
    assert len(text.splitlines()) < 20
    page = result._repr_html_()
    assert "<table" in page and "group 200" in page and result.conclusion()[0] in page


def test_a_roster_has_a_short_repr(tmp_path):
    from huntsim import roster
    shifts = [{"name": "day", "days": "mon-sun", "start": "00:00", "length": "12h"},
              {"name": "night", "days": "mon-sun", "start": "12:00", "length": "12h"}]
    result = roster(two_lines(call_waiting=False), "Sales", ["voicemail_rate<=20%"], shifts,
                    members=range(1, 4), replications=2, rounds=0, jobs=1, progress=False)
    text = repr(result)
    # before: a 21,881-character dump of the whole scenario and its YAML
    assert text.startswith("Roster for group 100:") and len(text) < 600
    assert "Roster(" not in text and "hunt_groups" not in text
    assert "shift" in text.splitlines()[1]
