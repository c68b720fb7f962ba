"""The planner tools and a scenario of several groups (issue 22 trial): ``--group`` by pilot or
name everywhere, one resolver with "ambiguous" for a shared name, and the Python results
describing the group asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from huntsim import ScenarioError, compare, sweep
from huntsim.cli.main import main

TWO_GROUPS = {
    "name": "two separate groups", "duration": "12h", "seed": 4,
    "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"},
                       "answer_probability": 0.8},
    "agents": [{"numbers": "101..103"}, {"numbers": "201..204"}],
    "hunt_groups": [
        {"pilot": "100", "name": "Sales", "policy": "circular", "members": ["101..103"],
         "voicemail": True, "arrivals": {"rate": "20/h"}},
        {"pilot": "200", "name": "Support", "policy": "fewest_calls", "members": ["201..204"],
         "voicemail": True, "arrivals": {"rate": "30/h"}}],
}


def _same_name() -> dict[str, object]:
    office = yaml.safe_load(yaml.safe_dump(TWO_GROUPS))
    office["hunt_groups"][1]["name"] = "sales"
    return office


@pytest.fixture
def two_groups(tmp_path: Path) -> Path:
    path = tmp_path / "two_groups.yaml"
    path.write_text(yaml.safe_dump(TWO_GROUPS))
    return path


@pytest.fixture
def same_name(tmp_path: Path) -> Path:
    path = tmp_path / "dupname.yaml"
    path.write_text(yaml.safe_dump(_same_name()))
    return path


def test_compare_describes_the_group_compared():
    # before: group="200" varied group 200 but repr, _repr_html_ and verdict() described 100
    c = compare(TWO_GROUPS, ["regular", "random"], replications=2, group="200", jobs=1)
    assert c.group == "200"
    assert "pilot 200" in repr(c) and "pilot 100" not in repr(c)
    assert "pilot 200" in c._repr_html_()
    assert c.verdict().group == "200"
    assert c.verdict().lines() == c.verdict(group="200").lines()
    assert c.headline() == c.headline("200")
    support = c.table[(c.table["group"] == "200") & (c.table["metric"] == "voicemail_rate")]
    assert list(c.wide(metrics=["voicemail_rate"]).columns) == ["regular", "random"]
    assert c.wide(metrics=["voicemail_rate"]).equals(
        c.wide(group="200", metrics=["voicemail_rate"]))
    assert len(support) == 2
    # and a name is a group too
    assert compare(TWO_GROUPS, ["regular"], replications=2, group="support", jobs=1).group == "200"


def test_results_take_a_group_name_where_they_take_a_pilot():
    # before: c.verdict(group="Support") raised "not a pilot", c.wide("Support") was empty
    # and s.conclusion(group="Sales") spoke of nothing (noticed in issue 22's closing note)
    c = compare(TWO_GROUPS, ["regular", "random"], replications=2, jobs=1)
    assert c.verdict(group="support").group == "200" != c.verdict().group
    assert c.verdict(group="support").lines() == c.verdict(group="200").lines()
    assert c.headline("Support") == c.headline("200")
    assert c.wide("SUPPORT").equals(c.wide("200")) and len(c.wide("200")) > 0
    s = sweep(TWO_GROUPS, {"traffic": [1.0, 1.5]}, replications=2, group="200", jobs=1)
    assert s.conclusion(group="sales") == s.conclusion(group="100")
    assert s.wide("voicemail_rate", group="Sales").equals(s.wide("voicemail_rate", group="100"))
    assert not s.wide("voicemail_rate", group="Sales").equals(s.wide("voicemail_rate"))
    assert s.shown_metrics("Sales") == s.shown_metrics("100")
    with pytest.raises(ScenarioError, match=r"^group: 'Billing' is not a pilot or a group's"):
        c.verdict(group="Billing")
    with pytest.raises(ScenarioError, match=r"^group: 'Billing' is not a pilot or a group's"):
        s.conclusion(group="Billing")


def test_sweep_takes_a_group_like_the_cli():
    # before: sweep() had no group argument
    s = sweep(TWO_GROUPS, {"traffic": [1.0, 1.5]}, replications=2, group="Support", jobs=1)
    assert s.group == "200"
    assert s.wide("voicemail_rate").equals(s.wide("voicemail_rate", group="200"))
    assert s.conclusion() == s.conclusion(group="200")
    assert sweep(TWO_GROUPS, {"traffic": [1.0]}, replications=2, jobs=1).group == "100"
    # the groups' names listed too, since a group may be given by its name (trial-acd2 8)
    with pytest.raises(ScenarioError, match=r"^group: '300' is not a pilot or a group's name "
                                            r"\(groups: '100' \(Sales\), '200' \(Support\)\)"):
        sweep(TWO_GROUPS, {"traffic": [1.0]}, replications=2, group="300", jobs=1)


@pytest.mark.parametrize(("command", "said"), [
    (["compare", "--policies", "fewest_calls,random"],
     "Baseline: Fewest calls (the group's configured policy)."),  # 200's policy, not 100's
    (["sweep", "--set", "traffic=1.0"], "group 200:"),
])
def test_compare_and_sweep_take_a_group_name(two_groups, capsys, command, said):
    # before: "--group: 'Support' is not a pilot"
    assert main([command[0], str(two_groups), *command[1:], "--group", "Support",
                 "--replications", "2", "--jobs", "1", "--quiet"]) == 0
    assert said in capsys.readouterr().out


AMBIGUOUS = ("error: --group: 'Sales' is ambiguous: groups 100 (Sales) and 200 (sales) have "
             "that name; give the pilot instead")


@pytest.mark.parametrize("command", [
    ["compare"],
    ["sweep", "--set", "traffic=1.0"],
    ["plan", "--target", "voicemail_rate<=10%", "--members", "2..3"],
    ["roster", "--target", "voicemail_rate<=10%", "--members", "2..3", "--shifts",
     "SHIFTS"],
])
def test_a_shared_name_is_ambiguous_everywhere(same_name, tmp_path, capsys, command):
    # before: "'Sales' is not a pilot" (plan, roster) and compare/sweep refused names at all
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(yaml.safe_dump({"shifts": [{"name": "day", "days": "mon-sun",
                                                  "start": "00:00", "length": "12h"}]}))
    argv = [command[0], str(same_name), *(str(shifts) if a == "SHIFTS" else a
                                          for a in command[1:]),
            "--group", "Sales", "--replications", "2", "--quiet"]
    assert main(argv) == 2
    assert AMBIGUOUS in capsys.readouterr().err.splitlines()


def _desk(shared: bool) -> dict[str, object]:
    """desk.yaml of the trial, shorter: VIP (priority 0) answered by Amy, Bob and Eve, who
    answer Standard too; or (``shared`` false) by three people of its own."""
    vip = ["101", "102", "105"] if shared else ["301", "302", "303"]
    return {
        "name": "desk", "duration": "1d", "seed": 5, "one_group_per_member": False,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "5min"},
                           "wrap_up": "30s"},
        "agents": [{"numbers": "101..105"}, {"numbers": "301..303"}],
        "hunt_groups": [
            {"pilot": "100", "name": "VIP", "priority": 0, "members": vip,
             "when_all_busy": "queue", "arrivals": {"rate": "10/h"}},
            {"pilot": "200", "name": "Standard", "priority": 1, "when_all_busy": "queue",
             "members": ["101", "102", "103", "104", "105"], "arrivals": {"rate": "35/h"}}],
    }


def test_the_erlang_estimate_counts_other_groups_load_on_shared_members():
    # before: 3.21 Erlang (Standard's calls only), the VIP line's 0.92 Erlang served first
    # by the same people not counted nor mentioned
    from huntsim import load_scenario
    from huntsim.experiments.estimate import first_estimate
    from huntsim.experiments.targets import parse_target

    targets = [parse_target("service_level_20s>=80%")]
    shared = first_estimate(load_scenario(_desk(True)), "200", targets, [4, 5, 6, 7], 20.0)
    alone = first_estimate(load_scenario(_desk(False)), "200", targets, [4, 5, 6, 7], 20.0)
    vip = 10 / 3600 * 330  # 10 calls/h x 5:30
    assert shared.pilot_load_erlang == pytest.approx(35 / 3600 * 330)
    assert shared.shared_load_erlang == pytest.approx(vip)
    assert alone.shared_load_erlang == 0
    assert shared.load_erlang == pytest.approx(shared.pilot_load_erlang + vip)
    # the first four listed share two of VIP's three members; a size above the list adds
    # members who answer Standard only
    assert shared.table["shared_load_erlang"].tolist() == pytest.approx(
        [vip * 2 / 3, vip, vip, vip])
    assert shared.members is not None and alone.members is not None
    assert shared.members > alone.members
    text = shared.describe()
    assert ("plus 0.92 Erlang of other groups' calls on the members shared with them (group "
            "100 (VIP): 0.92 Erlang on 3 shared members, served first: priority 0 vs 1) = "
            "4.12 Erlang") in text
    assert any("members also answer group 100" in r and "ahead of this group's callers" in r
               for r in shared.reasons)


def test_compare_members_count_each_groups_own_calls():
    # before: a shared member's group_answered on a group-100 row was their total over both
    # groups (Amy 537 for 100 and 200; group 100's rows added to ~1,558 of 726 calls)
    from huntsim import simulate
    from huntsim.experiments.seeds import replication_seeds

    office = _desk(True)
    office["hunt_groups"][1]["policy"] = "fewest_calls"  # as compared: the runs are alike
    c = compare(office, ["fewest_calls"], replications=2, group="200", jobs=1)
    raw = c.raw.pivot_table(index=["replication", "group"], columns="metric", values="value")
    answered = (raw["offered"] * (raw["answered_rate"] + raw["called_back_rate"])).round()
    # per replication: the run's rows of the members table are in c.members' means
    rows = c.members[c.members["metric"] == "group_answered"]
    by_group = rows.groupby("group")["mean"].sum()
    expected = answered.groupby(level="group").mean()
    assert by_group.to_dict() == pytest.approx(expected.to_dict())
    # a shared member's rows add up to the agents table's figure (one run)
    one = compare(office, ["fewest_calls"], replications=1, seed=3, group="200", jobs=1)
    rows = one.members[one.members["metric"] == "group_answered"]
    run = simulate(office, seed=replication_seeds(3, 1)[0])
    totals = run.agents.set_index("agent")["group_answered"]
    summed = rows.groupby("agent")["mean"].sum()
    assert summed.to_dict() == {a: float(totals[a]) for a in summed.index}
    amy = rows[rows["agent"] == "101"].set_index("group")["mean"]
    assert amy["100"] < amy["100"] + amy["200"] == float(totals["101"])


def test_a_verdict_names_policies_of_equal_standing_and_the_tie_rule():
    # before: of two policies each better on one key metric and worse on none, only the
    # one recommended was named; the tie rule was not said
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_verdict import _comparison

    from huntsim.experiments.verdict import conclude

    verdict = conclude(_comparison(("circular", "random", "uniform"), {
        "random": {"abandoned_rate": -0.01},          # better on hang-ups only
        "uniform": {"service_level_20s": 0.05}}))      # better on the service level only
    assert verdict.recommended == "uniform" and verdict.candidates == ("uniform", "random")
    last = verdict.lines()[-1]
    assert last.startswith("Recommendation: Uniform, better than Circular on answered within "
                           "20 s and worse on no key metric. Random (better on hang-ups) is "
                           "also better on some key metric and worse on none, on as many key "
                           "metrics: of such policies the one better on the most key metrics "
                           "is recommended, then the one with the larger mean gain in "
                           "answered within 20 s (Uniform +5.00 points, Random ")
    assert last.endswith("then the first compared (a tie-break, not a significant difference "
                         "between them).")
    fewer = conclude(_comparison(("circular", "random", "uniform"), {
        "random": {"abandoned_rate": -0.01},
        "uniform": {"service_level_20s": 0.05, "mean_wait_s": -2.0}})).lines()[-1]
    assert fewer.endswith("Random (better on hang-ups) is also better on some key metric and "
                          "worse on none, but on fewer key metrics: of such policies the one "
                          "better on the most key metrics is recommended.")
    alone = conclude(_comparison(("circular", "uniform"), {
        "uniform": {"service_level_20s": 0.05}})).lines()[-1]
    assert alone == ("Recommendation: Uniform, better than Circular on answered within 20 s "
                     "and worse on no key metric.")
