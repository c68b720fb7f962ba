"""roster, compare --roster and plan --roster on a group whose members answer other groups
too, and a roster's need sized for the office it makes (issue 22 trial, items 1 and 2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from huntsim import load_scenario, roster
from huntsim.cli.main import main
from huntsim.experiments.roster_scenario import apply_roster, sizing_office
from huntsim.scenario.shifts import load_shifts

SHIFTS = [{"name": "day", "days": "mon-fri", "start": "08:00", "length": "8h"}]


def desk() -> dict[str, object]:
    """Two lines answered by one team: Amy, Bob and Eve answer both."""
    return {
        "name": "desk", "duration": "1w", "seed": 5, "one_group_per_member": False,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"}},
        "agents": [{"number": "101", "name": "Amy"}, {"number": "102", "name": "Bob"},
                   {"number": "103", "name": "Cat"},
                   {"number": "105", "name": "Eve", "direct_calls": {"rate": "2/h"}}],
        "hunt_groups": [
            {"pilot": "100", "name": "VIP", "priority": 0, "members": ["101", "102", "105"],
             "when_all_busy": "queue", "open": ["mon-fri 08:00-16:00"],
             "arrivals": {"rate": "6/h"}},
            {"pilot": "200", "name": "Standard", "priority": 1, "voicemail": True,
             "members": ["101", "102", "103", "105"], "open": ["mon-fri 08:00-16:00"],
             "arrivals": {"rate": "20/h"}}],
    }


def test_a_roster_of_a_group_with_shared_members_keeps_them_in_their_other_groups():
    # before: "hunt_groups[0].members[0]: '101' is not an agent" (they were dropped as agents)
    office = apply_roster(desk(), "Standard" and "200", load_shifts(SHIFTS), [3])
    assert office.group("200").members == ("200-r1", "200-r2", "200-r3")
    assert office.group("100").members == ("101", "102", "105")
    assert {a.number for a in office.agents} == {"101", "102", "105", "200-r1", "200-r2",
                                                 "200-r3"}  # Cat (only in 200) is replaced
    assert office.agent("105").direct_calls is not None  # Eve keeps her own calls


def _write(tmp_path: Path, office: dict[str, object], name: str = "desk.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(office, sort_keys=False))
    return path


def test_roster_cli_on_shared_members_writes_a_valid_office(tmp_path, capsys):
    scenario = _write(tmp_path, desk())
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(yaml.safe_dump({"shifts": SHIFTS}))
    out = tmp_path / "out"
    assert main(["roster", str(scenario), "--group", "Standard", "--target",
                 "voicemail_rate<=20%", "--shifts", str(shifts), "--members", "1..6",
                 "--replications", "2", "--rounds", "0",
                 "--jobs", "1", "--quiet", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "error" not in said.err and "priority" not in said.err
    assert ("3 of its members (101, 102, 105) also answer group 100: they stay there, on "
            "their own schedules, and leave group 200 only") in said.out
    rostered = load_scenario(out / "rostered.yaml")
    assert rostered.group("100").members == ("101", "102", "105")
    assert all(m.startswith("200-r") for m in rostered.group("200").members)
    # compare --roster and plan --roster read the same roster on the same file
    roster_csv = out / "roster.csv"
    assert main(["compare", str(scenario), "--group", "200", "--roster", str(roster_csv),
                 "--policies", "regular,random", "--replications", "2", "--jobs", "1",
                 "--quiet"]) == 0
    assert main(["plan", str(scenario), "--group", "200", "--roster", str(roster_csv),
                 "--target", "voicemail_rate<=20%", "--members", "3..4",
                 "--replications", "2", "--jobs", "1", "--quiet"]) == 0
    assert "error" not in capsys.readouterr().err


def queue_office(penalty: bool) -> dict[str, object]:
    """pen_q.yaml / nopen_q.yaml of the trial: the same office, 103 at penalty 1 or not."""
    last: object = {"number": "103", "penalty": 1} if penalty else "103"
    group: dict[str, object] = {"pilot": "100", "policy": "circular",
                                "members": ["101", "102", last], "voicemail": True,
                                "when_all_busy": "queue", "arrivals": {"rate": "20/h"}}
    if penalty:
        group["penalty_wait"] = "30s"
    return {"name": "penalty check", "duration": "2d", "seed": 9,
            "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"}},
            "agents": [{"number": "101"}, {"number": "102"}, {"number": "103"}],
            "hunt_groups": [group]}


def test_the_need_is_sized_for_the_office_the_roster_makes():
    # before: the need was sized with 103's penalty (4/hour, 20 people) but the rostered
    # office has none (one tier): the same office without the penalty needed 3/hour (15)
    shifts = [{"name": "early", "days": "daily", "start": "06:00", "length": "8h"},
              {"name": "late", "days": "daily", "start": "14:00", "length": "8h"},
              {"name": "night", "days": "daily", "start": "22:00", "length": "8h"}]
    runs = {penalty: roster(queue_office(penalty), "100", ["service_level_20s>=80%"], shifts,
                            members=range(1, 7), replications=2, rounds=0,
                            hour_length_s=4 * 3600, jobs=1, progress=False)
            for penalty in (True, False)}
    with_penalty, without = runs[True], runs[False]
    pd.testing.assert_frame_equal(with_penalty.by_hour, without.by_hour)
    assert with_penalty.table["count"].tolist() == without.table["count"].tolist()
    assert with_penalty.need_hours == without.need_hours
    assert "sized for that one tier" in " ".join(with_penalty.lines())


def test_sizing_office_is_one_tier_of_rostered_people():
    office = sizing_office(load_scenario(queue_office(True)), "100")
    group = office.group("100")
    assert group.penalties is None and group.penalty_wait is None
    assert group.members == ("101", "102", "103")


@pytest.mark.parametrize("command", ["compare", "plan"])
def test_roster_file_group_by_name(tmp_path, capsys, command):
    scenario = _write(tmp_path, desk())
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("shift,days,start,end,count\nday,mon-fri,08:00,16:00,3\n")
    extra = (["--target", "voicemail_rate<=20%", "--members", "3"] if command == "plan"
             else ["--policies", "regular"])
    assert main([command, str(scenario), "--group", "standard", "--roster", str(roster_csv),
                 *extra, "--replications", "2", "--jobs", "1", "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "group 200's members replaced by 3 people" in said
    assert ("3 of its members (101, 102, 105) also answer group 100: they stay there, on "
            "their own schedules, and leave group 200 only; the rostered people answer group "
            "200 alone; the priority of groups 100, 200 is dropped") in said


def test_rostered_office_drops_the_priorities_no_member_is_shared_for_any_more(tmp_path,
                                                                               capsys):
    # before: compare --roster / plan --roster and `validate rostered.yaml` warned
    # "hunt_groups[0].priority: 0 but none of the group's members is in another group"
    scenario = _write(tmp_path, desk())
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(yaml.safe_dump({"shifts": SHIFTS}))
    out = tmp_path / "out"
    assert main(["roster", str(scenario), "--group", "200", "--target",
                 "voicemail_rate<=20%", "--shifts", str(shifts), "--members", "1..6",
                 "--replications", "2", "--rounds", "0", "--jobs", "1", "--quiet",
                 "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "the priority of groups 100, 200 is dropped" in said.out
    written = yaml.safe_load((out / "rostered.yaml").read_text())
    assert all("priority" not in g for g in written["hunt_groups"])
    assert main(["validate", str(out / "rostered.yaml")]) == 0
    assert "priority" not in capsys.readouterr().err
    roster_csv = out / "roster.csv"
    for command, extra in (("compare", ["--policies", "regular,random"]),
                           ("plan", ["--target", "voicemail_rate<=20%", "--members", "3"])):
        assert main([command, str(scenario), "--group", "200", "--roster", str(roster_csv),
                     *extra, "--replications", "2", "--jobs", "1", "--quiet"]) == 0
        said = capsys.readouterr()
        assert "priority:" not in said.err, command
        assert "the priority of groups 100, 200 is dropped" in said.out, command
    # the office given as objects (cannot be written back) drops them alike
    office = apply_roster(load_scenario(desk()), "200", load_shifts(SHIFTS), [3])
    assert all("priority" not in g.model_fields_set for g in office.hunt_groups)


def test_a_priority_still_shared_elsewhere_is_kept():
    office = desk()
    office["agents"].append({"number": "106", "name": "Fay"})  # type: ignore[attr-defined]
    office["hunt_groups"].append(  # type: ignore[attr-defined]
        {"pilot": "300", "name": "Billing", "priority": 2, "members": ["106", "101"],
         "arrivals": {"rate": "2/h"}})
    rostered = apply_roster(office, "200", load_shifts(SHIFTS), [3])
    assert "priority" in rostered.group("100").model_fields_set
    assert "priority" in rostered.group("300").model_fields_set
    assert "priority" not in rostered.group("200").model_fields_set


def test_roster_note_names_the_groups_each_shared_member_answers():
    # before: "3 of its members (101, 102, 105) also answer groups 100, 300" though only
    # 101 answers 300
    from huntsim.experiments.roster_scenario import shared_note
    office = desk()
    office["hunt_groups"].append(  # type: ignore[attr-defined]
        {"pilot": "300", "name": "Billing", "members": ["101"], "arrivals": {"rate": "2/h"}})
    note = shared_note(load_scenario(office), "200")
    assert note.startswith("3 of its members also answer other groups (group 100: 101, 102, "
                           "105; group 300: 101): they stay there")
