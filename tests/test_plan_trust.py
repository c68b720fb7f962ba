"""What a plan says about its answer (issue 19): the hours that need more members, who the
added members are, and targets no size reaches."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from helpers import mean_interval

from huntsim import load_scenario, plan, simulate
from huntsim.analysis.theory import erlang_b
from huntsim.cli.main import main
from huntsim.experiments.by_hour import staffing_by_hour, unmet_lines
from huntsim.experiments.ceiling import ceilings
from huntsim.experiments.peak import erlang_by_hour, erlang_peak, hours_text
from huntsim.experiments.plan_setup import added_members, check_plan, resize_group
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.targets import parse_target
from huntsim.views.console import staffing_curve_text
from huntsim.views.display import plan_table
from huntsim.views.report import write_plan


def peaked_office(duration: str = "100h") -> dict[str, object]:
    """Nine quiet hours (20 calls/h, 1 Erlang) and one busy hour (60/h, 3 Erlang) a day."""
    return {
        "name": "peaked office", "duration": duration,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "1", "name": "Ann"}, {"number": "2"}],
        "hunt_groups": [{"pilot": "100", "members": ["1", "2"], "voicemail": True,
                         "arrivals": {"profile": [{"start": "0h", "rate": "20/h"},
                                                  {"start": "9h", "rate": "60/h"}],
                                      "period": "10h"}}],
    }


def test_erlang_by_hour_weighs_each_hour_by_its_calls():
    target = [parse_target("voicemail_rate<=0.05")]
    table, overall = erlang_by_hour(load_scenario(peaked_office()), "100", target, 20.0)
    assert list(table["hour"]) == list(range(10))
    assert table["members"].tolist() == [4] * 9 + [7]  # B(4, 1) = 1.5 %, B(7, 3) = 2.2 %
    # the whole run: 180 calls a day at 1 Erlang and 60 at 3 Erlang, blocking weighed by calls
    mixed = {n: (180 * erlang_b(n, 1.0) + 60 * erlang_b(n, 3.0)) / 240 for n in (4, 5)}
    assert mixed[4] > 0.05 >= mixed[5] and overall == 5
    peak = erlang_peak(load_scenario(peaked_office()), "100", target, 20.0, recommended=5)
    assert peak is not None and (peak.hours, peak.members, peak.method) == (
        "hour 10 of the day", 7, "erlang")


def test_hours_text_joins_days_with_the_same_hours():
    rows = pd.DataFrame({"weekday": ["mon", "tue", "wed", "mon", "tue", "wed", "fri"],
                         "hour": [8, 8, 8, 9, 9, 9, 8]})
    assert hours_text(rows) == "mon-wed 08:00-10:00, fri 08:00-09:00"


def test_plan_headline_states_the_peak_hours_need(tmp_path):
    staffing = plan(peaked_office(), "100", ["voicemail_rate<=0.05"], members=range(3, 9),
                    replications=2, seed=1, jobs=1)
    row = staffing.recommendation.iloc[0]
    assert not pd.isna(row["members"])
    # Erlang: hour 10 needs 7 (the whole run 5), more than the simulated answer
    assert row["peak_method"] == "erlang" and row["peak_hours"] == "hour 10 of the day"
    assert row["peak_members"] == 7 > row["members"]
    headline = staffing.answer().splitlines()[0]
    assert f"{row['members']} members meet Voicemail <= 5 % over the whole run" in headline
    assert "hour 10 of the day needs about 7 (Erlang estimate" in headline
    assert headline in repr(staffing)
    write_plan(staffing, tmp_path)
    assert "hour 10 of the day needs about" in (tmp_path / "report.html").read_text()


def test_plan_by_hour_headline_states_the_simulated_peak():
    staffing = plan(peaked_office(), "100", ["voicemail_rate<=0.05"], members=range(3, 9),
                    replications=2, seed=1, jobs=1, by_hour=True, hour_length_s=20 * 3600)
    row = staffing.recommendation.iloc[0]
    # the busy hour needs 6 or 7 (B(5, 3) = 11 %), the whole run at most 5 (3 % at 5)
    assert row["members"] <= 5 and row["peak_members"] >= 6
    assert row["peak_method"] == "simulated"
    assert (f"hour 10 of the day needs {row['peak_members']} (simulated hour by hour"
            in staffing.answer())


def test_added_members_are_the_agent_defaults_with_their_schedule():
    office = peaked_office()
    office["agent_defaults"] = {"talk_time": "2min", "answer_probability": 0.8,
                                "schedule": ["mon-fri 08:00-12:00"],
                                "direct_calls": {"rate": "2/h"}}
    office["agents"] = [{"number": "1", "name": "Ann", "schedule": ["mon-fri 08:00-17:00"]},
                        {"number": "2", "schedule": ["mon-fri 08:00-17:00"]}]
    scenario = load_scenario(office)
    bigger = resize_group(scenario, "100", 4)
    members = bigger.group("100").members
    assert members[:2] == ("1", "2") and len(members) == 4
    for k, number in enumerate(members[2:], start=1):
        agent = bigger.agent(number)
        assert agent.name == f"Added member {k}" and agent.answer_probability == 0.8
        assert agent.schedule == scenario.agent_defaults.schedule
        assert agent.direct_calls == scenario.agent_defaults.direct_calls
        assert agent.talk_time.mean == 120
    text = added_members(scenario, "100").describe(4)
    assert text.startswith("4 members: the 2 listed and 2 added, each like the agent defaults: "
                           "answer 80 % of rings, talk 2:00 min:s")
    assert "their own direct calls (2/h)" in text
    assert text.endswith("logged in on the agent defaults' schedule (mon-fri 08:00-12:00).")


def test_added_members_copy_the_last_member_and_the_plan_says_so():
    office = peaked_office(duration="30h")
    del office["agent_defaults"]
    office["agents"] = [
        {"number": "1", "name": "Ann", "talk_time": "3min"},
        {"number": "2", "name": "Bob", "talk_time": "3min", "answer_probability": 0.9,
         "direct_calls": {"rate": "1/h"}},
    ]
    scenario = load_scenario(office)
    bigger = resize_group(scenario, "100", 3)
    added = bigger.agent(bigger.group("100").members[-1])
    assert added.answer_probability == 0.9 and added.direct_calls is None
    assert added.schedule is None and added.name == "Added member 1"
    staffing = plan(office, "100", ["voicemail_rate<=0.7"], members=[1, 3], replications=2,
                    seed=1, jobs=1)
    assert staffing.recommendation["added"].tolist() == [0]
    lines = staffing.answer().splitlines()
    assert lines[-1] == (
        "Sizes above the 2 listed members add members, each like 2 (Bob): answer 90 % of "
        "rings, talk 3:00 min:s, no wrap-up, no direct calls of their own; logged in at all "
        "hours, so whenever the group is open.")
    assert plan_table(staffing)["Added members"].tolist() == ["-", "+1"]
    curve = staffing_curve_text(staffing, "regular").splitlines()
    assert "Added" in curve[-3] and curve[-1].split()[:2] == ["3", "+1"]


def test_added_members_keep_a_copied_members_schedule_and_say_so():
    office = peaked_office()
    del office["agent_defaults"]
    office["agents"] = [{"number": "1", "talk_time": "3min"},
                        {"number": "2", "name": "Bob", "talk_time": "3min",
                         "schedule": ["mon-fri 08:00-12:00"]}]
    scenario = load_scenario(office)
    bigger = resize_group(scenario, "100", 3)
    assert bigger.agent("100-x1").schedule == scenario.agent("2").schedule
    assert added_members(scenario, "100").describe(3).endswith(
        "logged in on 2 (Bob)'s schedule (mon-fri 08:00-12:00).")


def shy_office() -> dict[str, object]:
    """Members who pick up half their rings; unanswered calls hunt once, then voicemail."""
    return {
        "name": "shy office", "duration": "20h",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"},
                           "answer_probability": 0.5},
        "agents": [{"number": "1"}, {"number": "2"}],
        "hunt_groups": [{"pilot": "100", "members": ["1", "2"], "voicemail": True,
                         "arrivals": {"profile": [{"start": "0h", "rate": "6/h"},
                                                  {"start": "1h", "rate": "30/h"}],
                                      "period": "2h"}}],
    }


def test_a_target_out_of_reach_is_explained_hour_by_hour():
    setup = check_plan(shy_office(), "100", ["voicemail_rate<=1%"], members=range(1, 6), seed=1)
    table, warnings = staffing_by_hour(setup, replications=2, length_s=3600, jobs=1)
    assert warnings == ()
    assert table["members_needed"].isna().all()  # every hour, not a pass or fail by noise
    # 0.5 ** 5 = 3.1 % of calls ring out on five free members; 0.5 ** 7 < 1 % <= 0.5 ** 6
    for reason in table["reason"]:
        assert reason.startswith("Voicemail <= 1 % is out of reach with up to 5 members")
        assert "pick up only 50 % of the rings" in reason and "3.1 % of calls" in reason
        assert reason.endswith("it takes at least 7 members")
    lines = unmet_lines(table)
    assert len(lines) == 1 and lines[0].startswith(
        "Regular: no size tried is enough at hours 1-2 of the day: Voicemail <= 1 %")


def test_a_target_out_of_reach_is_explained_by_the_plan_command(tmp_path, capsys):
    path = tmp_path / "shy.yaml"
    path.write_text(yaml.safe_dump(shy_office()))
    out = tmp_path / "plan"
    code = main(["plan", str(path), "--group", "100", "--target", "voicemail_rate<=1%",
                 "--members", "1..5", "--replications", "2", "--jobs", "1", "--quiet",
                 "--by-hour", "--hour-length", "1h", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "no size tried is enough at hours 1-2 of the day" in printed
    assert printed.count("it takes at least 7 members") == 2  # the answer and the hours
    assert ("Regular: no size tried meets the targets; the members' pick-up chance alone needs "
            "at least 7 members" in printed)  # not Erlang's 6, which assumes every ring answered
    by_hour = pd.read_csv(out / "by_hour.csv")
    assert by_hour["members_needed"].isna().all() and by_hour["reason"].str.contains(
        "out of reach").all()
    assert "out of reach with up to 5 members" in (out / "report.html").read_text()


def test_max_wait_sets_a_ceiling_no_size_passes():
    office = shy_office()
    office["ring_cycle"] = "6s"
    office["hunt_groups"][0].update({"when_all_busy": "queue", "max_wait": "20s",
                                     "no_answer_rings": 3})
    scenario = load_scenario(office)
    found = ceilings(scenario, "100", [parse_target("answered_rate>=0.9"),
                                       parse_target("mean_wait_s<=10s")], 5)
    # 18 s a member: a call rings at most 2 members in 20 s, answered at most 75 %
    assert len(found) == 1 and found[0].needed is None
    assert found[0].best == pytest.approx(0.75)
    assert "lets a call ring at most 2 of them" in found[0].text()
    assert found[0].text().endswith("no number of members reaches it")


def test_hours_no_size_tried_is_enough_for_are_in_the_headline():
    staffing = plan(peaked_office(), "100", ["voicemail_rate<=0.05"], members=range(3, 6),
                    replications=2, seed=1, jobs=1, by_hour=True, hour_length_s=20 * 3600)
    row = staffing.recommendation.iloc[0]
    assert not pd.isna(row["members"])  # the whole run: 3 % at 5 members
    busy = staffing.by_hour[staffing.by_hour["hour"] == 9].iloc[0]
    # B(5, 3) = 11 % and B(4, 3) = 21 %: more members do help, there are just too few
    assert pd.isna(busy["members_needed"]) and busy["reason"].startswith(
        "Voicemail <= 5 % is not met with 5 members, the most tried (Voicemail ")
    assert busy["reason"].endswith("; try more members")
    assert row["peak_hours"] == "hour 10 of the day" and row["peak_members"] == 6
    assert ("hour 10 of the day needs more than 5 (simulated hour by hour"
            in staffing.answer())
    assert unmet_lines(staffing.by_hour) == [
        f"Regular: no size tried is enough at hour 10 of the day: {busy['reason']}."]


def test_the_ceiling_is_what_the_engine_gives_when_every_member_is_free():
    office = shy_office()
    office["duration"] = "3000h"
    office["agent_defaults"]["talk_time"] = "10s"  # members are almost never busy
    office["hunt_groups"][0]["arrivals"] = {"rate": "4/h"}
    scenario = resize_group(load_scenario(office), "100", 5)
    (ceiling,) = ceilings(scenario, "100", [parse_target("voicemail_rate<=1%")], 5)
    assert ceiling.best == pytest.approx(0.5 ** 5)
    rates = [simulate(scenario, seed=s).summary().loc["100", "voicemail_rate"]
             for s in replication_seeds(7, 6)]
    low, high = mean_interval(rates)
    assert low <= 0.5 ** 5 * 1.01 and high >= 0.5 ** 5  # busy members add well under 1 %
