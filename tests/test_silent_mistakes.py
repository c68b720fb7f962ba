"""Mistakes that pass validation silently are warned about at `validate` and `run`
(issue 19): a bare number for a time implausible in seconds, open hours no member is
scheduled for, calls mostly outside the open hours, a forward one digit from an office
number; and the hints given as errors: an empty member list, a probability above 1."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from huntsim import load_scenario, simulate
from huntsim.cli.main import main
from huntsim.errors import ScenarioError
from huntsim.scenario.advice import (
    bare_time_advice,
    forward_advice,
    one_edit_apart,
    open_hours_advice,
    scenario_advice,
    stretches_text,
)
from huntsim.scenario.loader import ScenarioLoader
from huntsim.sim.simulation import scenario_warnings

ROOT = Path(__file__).resolve().parents[1]


def office(**extra: Any) -> dict[str, Any]:
    """Two members with every time written with its unit: nothing to advise on."""
    data: dict[str, Any] = {
        "duration": "8h", "warmup": "30min",
        "agents": [{"number": "101", "talk_time": "3min"},
                   {"number": "102", "talk_time": "3min"}],
        "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "voicemail": True,
                         "arrivals": {"rate": "10/h"}}],
    }
    data.update(extra)
    return data


def about(warnings: tuple[str, ...], start: str) -> list[str]:
    return [w for w in warnings if w.startswith(start)]


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


# --- a bare number for a time --------------------------------------------------


def set_key(data: dict[str, Any], path: str, value: object) -> None:
    """Set a path such as ``agents[0].talk_time`` or ``agent_defaults.talk_time``."""
    *entry, key = path.split(".")
    node: Any = data
    if entry:
        name, _, index = entry[0].partition("[")
        node = data.setdefault(name, {})
        node = node[int(index[:-1])] if index else node
    node[key] = value


BARE = [
    # key, value, changes that make the key apply, the value read, the fix
    ("agents[1].talk_time", 3, {}, "3 seconds", "write 3min if you meant minutes"),
    ("agents[0].wrap_up", 5, {}, "5 seconds", "write 5min if you meant minutes"),
    ("agents[0].answer_delay", 3000, {}, "3000 seconds (50min)",
     "write 3000ms if you meant milliseconds"),
    ("agent_defaults.talk_time", 4, {}, "4 seconds", "write 4min if you meant minutes"),
    ("caller_patience", 2, {}, "2 seconds", "write 2min if you meant minutes"),
    ("hunt_groups[0].max_wait", 2, {"when_all_busy": "queue"}, "2 seconds",
     "write 2min if you meant minutes"),
    ("duration", 8, {}, "8 seconds", "write 8h if you meant hours, 8min if"),
    ("warmup", 30, {}, "30 seconds", "write 30min if you meant minutes, 30h if hours"),
    ("ring_cycle", 6000, {}, "6000 seconds (1.67h)", "write 6000ms if you meant milli"),
    ("redial.delay", 3, {}, "3 seconds", "write 3min if you meant minutes"),
]


@pytest.mark.parametrize(("key", "value", "changes", "read", "fix"), BARE,
                         ids=[b[0] for b in BARE])
def test_a_bare_number_implausible_in_seconds_is_warned(key, value, changes, read, fix):
    data = office()
    data["hunt_groups"][0].update(changes)
    if key == "warmup":
        data["warmup"] = value
    elif key == "duration":
        data.update(duration=value, warmup="0s")
    elif key == "redial.delay":
        data["redial"] = {"probability": 0.5, "delay": value}
    else:
        set_key(data, key, value)
    warnings = scenario_warnings(load_scenario(data))
    [warning] = about(warnings, f"{key}: {value} without a unit is read as {read}")
    assert fix in warning and f"(or {value}s if you meant seconds)" in warning


@pytest.mark.parametrize("value", ["3s", "3 sec", "3min", 0, 180, "180"])
def test_a_time_with_its_unit_or_plausible_in_seconds_is_not_warned(value):
    data = office()
    data["agents"][0]["talk_time"] = value
    data["agents"][0]["answer_delay"] = 5
    assert scenario_advice(load_scenario(data)) == ()


def test_a_distribution_written_in_bare_numbers_is_judged_by_its_mean():
    data = office()
    data["agents"][0]["talk_time"] = {"dist": "exponential", "mean": 4}
    data["agents"][1]["talk_time"] = {"dist": "uniform", "low": 2, "high": 5}
    data["agents"][1]["wrap_up"] = {"dist": "uniform", "low": "2s", "high": "5s"}
    data["caller_patience"] = {"dist": "lognormal", "mean": "75s", "sd": 40}  # sd: fine
    advice = load_scenario(data).unit_advice
    assert advice == (
        "agents[0].talk_time.mean: 4 without a unit is read as 4 seconds, implausibly short "
        "for the talk time of a call; write 4min if you meant minutes (or 4s if you meant "
        "seconds)",
        "agents[1].talk_time: low 2 and high 5 without units are read as seconds, a mean of "
        "3.5 seconds, implausibly short for the talk time of a call; write low: 2min, high: "
        "5min if you meant minutes (or low: 2s, high: 5s if you meant seconds)",
    )


def test_the_same_bare_number_in_many_agents_is_one_warning():
    data = office()
    data["agents"] = [{"number": str(101 + i), "talk_time": 3} for i in range(6)]
    data["hunt_groups"][0]["members"] = [a["number"] for a in data["agents"]]
    [warning] = load_scenario(data).unit_advice
    assert warning.startswith("agents[0].talk_time (also agents[1], agents[2], agents[3] "
                              "and 2 more): 3 without a unit")


def test_a_bare_number_from_a_yaml_file_is_warned_with_its_text(tmp_path):
    text = yaml.safe_dump(office()).replace("talk_time: 3min", "talk_time: 0_3", 1)
    assert "0_3" in text
    [warning] = load_scenario(write(tmp_path, text)).unit_advice
    assert warning.startswith("agents[0].talk_time: 0_3 without a unit is read as 3 seconds")


def test_copies_keep_the_advice_that_still_holds():
    data = office(warmup=30)
    data["agents"][0]["talk_time"] = 3
    scenario = load_scenario(data)
    assert [w.split(":")[0] for w in scenario.unit_advice] == ["warmup", "agents[0].talk_time"]
    assert scenario.with_policy("circular").unit_advice == scenario.unit_advice
    assert pickle.loads(pickle.dumps(scenario)).unit_advice == scenario.unit_advice
    # replace() takes seconds from Python: a replaced warm-up is no longer the file's
    copy = scenario.replace(warmup=1800.0)
    assert [w.split(":")[0] for w in copy.unit_advice] == ["agents[0].talk_time"]
    assert scenario.replace(warmup=10.0).unit_advice == copy.unit_advice
    assert bare_time_advice({"duration": "8h", "warmup": "10s"}) == ()


# --- open hours nobody staffs, calls outside the open hours -------------------------


def staffed_office(open_hours: list[str] | None, arrivals: dict[str, Any]) -> dict[str, Any]:
    data = office(duration="1w", start="mon 00:00", warmup="0s")
    data["agents"][0]["schedule"] = ["mon-fri 09:00-17:00"]
    data["agents"][1]["schedule"] = ["mon-fri 09:00-12:00"]
    group = data["hunt_groups"][0]
    group["arrivals"] = arrivals
    if open_hours is not None:
        group.update(open=open_hours, after_hours="voicemail")
    return data


WORKING_DAY = {"weekly": {"mon-fri": {"09:00": "20/h", "17:00": "0/h"}}}


def test_a_group_open_when_no_member_is_scheduled_is_warned_with_the_days_and_hours():
    data = staffed_office(["mon-fri 08:00-18:00", "sat 10:00-12:00"], WORKING_DAY)
    [warning] = open_hours_advice(load_scenario(data))
    assert warning == (
        "hunt_groups[0] (pilot 100) is open mon-fri 08:00-09:00, mon-fri 17:00-18:00, "
        "sat 10:00-12:00 but none of its members is scheduled then: calls then ring "
        "nobody: they go to voicemail; schedule a member then, or leave those hours out "
        "of open")


def test_the_warning_gives_the_share_of_calls_that_ring_nobody():
    arrivals = {"weekly": {"mon-fri": {"08:00": "20/h", "17:00": "0/h"}}}  # 1 h of 9 unstaffed
    data = staffed_office(["mon-fri 08:00-17:00"], arrivals)
    data["hunt_groups"][0]["when_all_busy"] = "queue"
    [warning] = open_hours_advice(load_scenario(data))
    assert "open mon-fri 08:00-09:00 but none" in warning
    assert "they wait in its queue until a member logs in (or hang up) (about 11% of its " \
           "calls)" in warning


def test_a_group_without_open_hours_is_warned_only_for_hours_calls_come_in():
    data = staffed_office(None, {"rate": "10/h"})  # day and night, members only by day
    [warning] = open_hours_advice(load_scenario(data))
    assert warning.startswith("hunt_groups[0] (pilot 100) has no open hours, so it takes "
                              "calls at any time, but none of its members is scheduled "
                              "mon-thu 17:00-09:00, fri 17:00-mon 09:00: its calls then ring "
                              "nobody: they go to voicemail (about 76% of its calls)")
    assert "give the group open hours" in warning
    assert open_hours_advice(load_scenario(staffed_office(None, WORKING_DAY))) == ()


def test_a_group_whose_members_are_there_whenever_it_is_open_is_not_warned():
    assert open_hours_advice(load_scenario(staffed_office(["mon-fri 09:00-17:00"],
                                                          WORKING_DAY))) == ()
    always = staffed_office(["mon-fri 08:00-18:00"], WORKING_DAY)
    del always["agents"][1]["schedule"]  # one member always logged in
    assert open_hours_advice(load_scenario(always)) == ()


def test_only_the_hours_the_run_reaches_count():
    data = staffed_office(["mon-fri 08:00-18:00"], WORKING_DAY)
    data.update(start="mon 09:00", duration="8h")  # never reaches 08:00 or 17:00
    assert open_hours_advice(load_scenario(data)) == ()


def test_calls_mostly_outside_the_open_hours_are_warned_with_the_share():
    # a profile counts from start (Monday 00:00): this one means 08:00-16:00 but says 00:00
    profile = {"profile": [{"start": "0h", "rate": "20/h"}, {"start": "8h", "rate": "0/h"}],
               "period": "24h"}
    data = staffed_office(["mon-fri 08:00-17:00"], profile)
    data["agents"][1]["schedule"] = ["mon-fri 08:00-17:00"]
    [warning] = open_hours_advice(load_scenario(data))
    assert warning.startswith("hunt_groups[0] (pilot 100): about 100% of its calls fall due "
                              "outside its open hours (mon-fri 08:00-17:00), where they get "
                              "the after-hours treatment (voicemail); a profile's times count "
                              "from start (mon 00:00)")
    data["start"] = "mon 08:00"
    assert open_hours_advice(load_scenario(data)) == ()
    constant = staffed_office(["mon-fri 08:00-17:00"], {"rate": "10/h"})
    constant["agents"][1]["schedule"] = ["mon-fri 08:00-17:00"]
    [warning] = open_hours_advice(load_scenario(constant))
    assert "about 73% of its calls fall due outside" in warning
    assert "a constant rate runs day and night" in warning


def test_a_minority_of_calls_outside_the_open_hours_is_not_warned():
    arrivals = {"weekly": {"mon-fri": {"07:00": "2/h", "09:00": "20/h", "17:00": "4/h",
                                       "19:00": "0/h"}}}
    assert open_hours_advice(load_scenario(staffed_office(["mon-fri 09:00-17:00"],
                                                          arrivals))) == ()


def test_stretches_are_written_as_days_and_hours():
    day = 86400.0
    assert stretches_text([(d * day + 8 * 3600, d * day + 9 * 3600) for d in (0, 2, 4)]) \
        == "mon,wed,fri 08:00-09:00"
    assert stretches_text([(5 * day, 7 * day)]) == "sat 00:00-mon 00:00"
    assert stretches_text([(d * day, d * day + 3600) for d in range(7)]) == "mon-sun 00:00-01:00"


# --- a forward to a number one digit from the office's own ----------------------


def forwarding_office(to: str, **forward: Any) -> dict[str, Any]:
    data = office()
    data["agents"].append({"number": "301", "talk_time": "3min"})
    data["hunt_groups"][0]["forward"] = {"when": ["no_answer"], "to": to, **forward}
    data["hunt_groups"].append({"pilot": "300", "members": ["301"]})
    return data


def test_a_forward_one_digit_from_a_pilot_is_warned_with_the_pilot_and_the_fix():
    [warning] = forward_advice(load_scenario(forwarding_office("30")))
    assert warning == (
        "hunt_groups[0].forward.to: '30' is not a pilot of the office, so calls forwarded "
        "there leave it (outcome forwarded), but it is one digit from the pilot '300' of "
        "hunt_groups[1]; write to: '300' if you meant that group, or add outside: true if "
        "'30' is a number outside the office")
    for typo in ("3000", "3-00", "3 00"):  # a number laid out as the pilots is refused
        assert len(forward_advice(load_scenario(forwarding_office(typo)))) == 1, typo


def test_a_forward_one_digit_from_an_agent_is_warned():
    [warning] = forward_advice(load_scenario(forwarding_office("1011")))
    assert "one digit from the number '101' of agents[0]" in warning
    assert "forward to a pilot ('100', '300')" in warning


@pytest.mark.parametrize(("to", "forward"), [("30", {"outside": True}), ("300", {}),
                                             ("555-0199", {}), ("9111", {})])
def test_a_forward_meant_as_written_is_not_warned(to, forward):
    assert forward_advice(load_scenario(forwarding_office(to, **forward))) == ()


def test_one_edit_covers_insertions_deletions_changes_and_swaps():
    assert one_edit_apart("300", "30") and one_edit_apart("30", "300")
    assert one_edit_apart("300", "310") and one_edit_apart("301", "310")
    assert not one_edit_apart("300", "300") and not one_edit_apart("300", "3")
    assert not one_edit_apart("1234", "4321")


# --- the command line: validate and run warn, exit 0; errors exit 2 --------------


def mistaken_office() -> dict[str, Any]:
    data = forwarding_office("30")
    data["agents"][0]["talk_time"] = 3
    return data


@pytest.mark.parametrize("command", [["validate"], ["run", "--seed", "1"]])
def test_validate_and_run_print_the_warnings_and_exit_0(tmp_path, capsys, command):
    path = write(tmp_path, mistaken_office())
    assert main([command[0], str(path), *command[1:]]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: agents[0].talk_time: 3 without a unit is read as 3 seconds") == 1
    assert "write 3min if you meant minutes" in err
    assert err.count("warning: hunt_groups[0].forward.to: '30' is not a pilot") == 1


def test_run_keeps_the_warnings_in_the_result_and_summary(tmp_path, capsys):
    result = simulate(mistaken_office(), seed=1)
    assert about(result.warnings, "agents[0].talk_time: 3 without a unit")
    assert result.warnings[:2] == scenario_advice(result.scenario)  # the file's mistakes first
    assert main(["run", str(write(tmp_path, mistaken_office())), "--seed", "1",
                 "--out", str(tmp_path / "out")]) == 0
    summary = yaml.safe_load((tmp_path / "out" / "summary.json").read_text())
    assert any(w.startswith("agents[0].talk_time: 3 without") for w in summary["warnings"])


@pytest.mark.parametrize("command", [["validate"], ["run", "--seed", "1"]])
def test_a_clean_scenario_prints_no_warning(tmp_path, capsys, command):
    assert main([command[0], str(write(tmp_path, office())), *command[1:]]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_the_shipped_scenarios_give_no_advice(path, capsys):
    assert scenario_advice(load_scenario(path)) == ()
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_the_scenarios_written_in_the_docs_give_no_advice():
    found = 0
    for name in ("README.md", "docs/scenario-reference.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
            data = yaml.load(block, Loader=ScenarioLoader)
            if isinstance(data, dict) and "duration" in data:
                found += 1
                assert scenario_advice(load_scenario(data)) == (), name
    assert found >= 2


# --- hints given as errors --------------------------------------------------------

NO_MEMBERS = ("a hunt group needs at least one member, an agent whose phone its calls ring; "
              "list their numbers, e.g. members: ['101', '102']")


@pytest.mark.parametrize(("members", "message"), [
    ([], f"hunt_groups[0].members: no members: {NO_MEMBERS} (got [])"),
    (None, f"hunt_groups[0].members: no members: {NO_MEMBERS} (got None)"),
    ("missing", f"hunt_groups[0].members: not given: {NO_MEMBERS}"),
])
def test_a_group_without_members_is_told_in_plain_words(tmp_path, capsys, members, message):
    data = office()
    if members == "missing":
        del data["hunt_groups"][0]["members"]
    else:
        data["hunt_groups"][0]["members"] = members
    with pytest.raises(ScenarioError) as error:
        load_scenario(data)
    assert error.value.messages == [message]
    assert main(["validate", str(write(tmp_path, data))]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"


@pytest.mark.parametrize(("value", "message"), [
    (90, "90 is not a probability; write 0.9 for 90% (a number from 0 to 1)"),
    ("90%", "'90%' is not a probability; write 0.9 for 90% (a number from 0 to 1)"),
    ("90", "'90' is not a probability; write 0.9 for 90% (a number from 0 to 1)"),
    (150, "150 is not a probability; give a number from 0 to 1"),
])
def test_a_probability_above_one_says_what_to_write(tmp_path, capsys, value, message):
    data = office()
    data["agents"][0]["answer_probability"] = value
    with pytest.raises(ScenarioError) as error:
        load_scenario(data)
    assert error.value.messages == [f"agents[0].answer_probability: {message}"]
    assert main(["validate", str(write(tmp_path, data))]) == 2
    assert capsys.readouterr().err == f"error: agents[0].answer_probability: {message}\n"


def test_the_hints_already_on_main_still_reach_the_command_line(tmp_path, capsys):
    data = office()
    data["hunt_groups"][0]["policy"] = "Circular"
    assert main(["validate", str(write(tmp_path, data))]) == 0
    assert "(Circular, 2 members)" in capsys.readouterr().out
    data["agents"][0]["talk_time"] = {"dist": "exponentail", "mean": "3min"}
    assert main(["validate", str(write(tmp_path, data))]) == 2
    assert "agents[0].talk_time: dist 'exponentail' names no distribution; did you mean " \
           "'exponential'?" in capsys.readouterr().err


# --- contact-centre keys that can never take effect (issue 22 trial, finding 11) ----------


def queueing_office(**group: Any) -> dict[str, Any]:
    """``office()`` queueing, with a third agent 103 at penalty 1 when ``penalty`` is given."""
    data = office()
    data["agents"].append({"number": "103", "talk_time": "3min"})
    first = data["hunt_groups"][0]
    first.update(when_all_busy="queue", voicemail=False)
    penalty = group.pop("penalty", None)
    first["members"] = ["101", "102", *([{"number": "103", "penalty": penalty}]
                                        if penalty is not None else ["103"])]
    first.update(group)
    return data


CALLBACK = {"offer_after": "60s", "accept": 0.4, "reached": 0.9}


@pytest.mark.parametrize(("group", "start", "says"), [
    ({"max_wait": "30s", "callback": CALLBACK}, "hunt_groups[0].callback.offer_after: 60 s but "
     "max_wait is 30 s", "no call back is ever offered"),
    ({"max_wait": "60s", "callback": CALLBACK}, "hunt_groups[0].callback.offer_after: 60 s but "
     "max_wait is 60 s", "no call back is ever offered"),
    ({"max_queue": 0, "callback": CALLBACK}, "hunt_groups[0].max_queue: 0, so no caller",
     "callback then hardly ever applies"),
    ({"max_queue": 0}, "hunt_groups[0].max_queue: 0, so no caller", "Asterisk's maxlen 0"),
    ({"callback": {**CALLBACK, "accept": 0}}, "hunt_groups[0].callback.accept: 0",
     "no caller ever takes a call back"),
    ({"callback": {**CALLBACK, "reached": 0}}, "hunt_groups[0].callback.reached: 0",
     "every caller who takes one is lost"),
    ({"call_waiting": True, "call_waiting_answer": 0}, "hunt_groups[0].call_waiting_answer: 0",
     "no member ever picks up a call waiting"),
    ({"penalty": 1, "penalty_wait": "45s", "max_wait": "30s"},
     "hunt_groups[0].penalty_wait: 45 s but max_wait is 30 s",
     "so member '103' never answers a call of this group"),
    ({"penalty": 1, "penalty_wait": "30s", "max_wait": "30s"},
     "hunt_groups[0].penalty_wait: 30 s but max_wait is 30 s", "member '103' never answers"),
])
def test_a_contact_centre_key_that_can_never_take_effect_is_warned(tmp_path, capsys, group,
                                                                   start, says):
    data = queueing_office(**group)
    warnings = scenario_advice(load_scenario(data))
    [warning] = about(warnings, start)
    assert says in warning
    assert main(["validate", str(write(tmp_path, data))]) == 0
    assert f"warning: {warning}\n" in capsys.readouterr().err


def test_penalties_that_join_too_late_are_named_with_the_first_that_never_joins():
    data = queueing_office(penalty_wait="20s", max_wait="50s")
    data["hunt_groups"][0]["members"] = ["101", {"number": "102", "penalty": 1},
                                         {"number": "103", "penalty": 2}]
    assert scenario_advice(load_scenario(data)) == ()  # penalty 1 at 20 s, 2 at 40 s
    data["hunt_groups"][0]["max_wait"] = "40s"
    [warning] = scenario_advice(load_scenario(data))
    assert "by the time penalty 2 would join (after 40 s), so member '103' never" in warning


@pytest.mark.parametrize("group", [
    {"max_wait": "2min", "callback": CALLBACK},
    {"max_queue": 5, "callback": CALLBACK},
    {"call_waiting": True, "call_waiting_answer": 0.1},
    {"penalty": 1, "penalty_wait": "45s", "max_wait": "2min"},
    # callers who took a call back at 60 s wait on: penalty 1 joins for them at 5 min
    {"penalty": 1, "penalty_wait": "5min", "max_wait": "2min", "callback": CALLBACK},
])
def test_contact_centre_keys_that_take_effect_are_not_warned(group):
    assert scenario_advice(load_scenario(queueing_office(**group))) == ()


@pytest.mark.parametrize("penalty", [0, 1, 3])
def test_penalty_wait_with_every_member_at_one_penalty_is_an_error(penalty):
    # the same mistake whatever the one penalty is: no penalty ever joins later
    data = queueing_office(penalty_wait="30s")
    data["hunt_groups"][0]["members"] = [{"number": n, "penalty": penalty}
                                         for n in ("101", "102", "103")]
    with pytest.raises(ScenarioError) as error:
        load_scenario(data)
    [message] = error.value.messages
    assert message.startswith("hunt_groups[0].penalty_wait: 30 s but ")
    assert "no penalty ever joins later" in message


def test_a_priority_equal_to_every_sharing_groups_is_warned_once():
    data = office(one_group_per_member=False)
    data["hunt_groups"].append({"pilot": "200", "members": ["101"], "priority": 1})
    data["hunt_groups"][0]["priority"] = 1
    [warning] = scenario_advice(load_scenario(data))
    assert warning.startswith("hunt_groups[0].priority: 1, the same as every group it shares "
                              "members with (hunt_groups[1]), so it changes nothing")
    data["hunt_groups"][0]["priority"] = 0
    assert scenario_advice(load_scenario(data)) == ()


@pytest.mark.parametrize(("key", "value"), [("penalty_wait", 2), ("callback.offer_after", 3)])
def test_a_bare_number_for_a_contact_centre_wait_is_warned(key, value):
    data = queueing_office(penalty=1, penalty_wait="30s", callback=dict(CALLBACK))
    if key == "penalty_wait":
        data["hunt_groups"][0]["penalty_wait"] = value
    else:
        data["hunt_groups"][0]["callback"]["offer_after"] = value
    found = about(scenario_advice(load_scenario(data)), f"hunt_groups[0].{key}: {value} "
                  "without a unit")
    assert len(found) == 1 and f"write {value}min if you meant minutes" in found[0]


def test_sharing_members_allowed_but_none_shared_is_warned():
    data = office(one_group_per_member=False)
    [warning] = scenario_advice(load_scenario(data))
    assert warning.startswith("one_group_per_member: false but no agent is a member of "
                              "several groups, so it changes nothing")
    data["agents"].append({"number": "201", "talk_time": "3min"})
    data["hunt_groups"].append({"pilot": "200", "members": ["201", "101"]})
    assert scenario_advice(load_scenario(data)) == ()


@pytest.mark.parametrize(("patience", "group", "says"), [
    ("30s", {"callback": CALLBACK}, "hunt_groups[0].callback.offer_after: 60 s but every "
     "caller hangs up within 30 s (caller_patience): every caller has left the queue"),
    # at the same instant the patience runs out first: no call back is offered
    ("60s", {"callback": CALLBACK}, "within 60 s (caller_patience)"),
    ({"dist": "uniform", "low": "10s", "high": "40s"},
     {"penalty": 1, "penalty_wait": "45s"}, "hunt_groups[0].penalty_wait: 45 s but every "
     "caller hangs up within 40 s (caller_patience)"),
    ({"dist": "empirical", "values": ["20s", "50s"]}, {"callback": CALLBACK},
     "within 50 s (caller_patience)"),
])
def test_a_patience_that_always_runs_out_first_is_warned(patience, group, says):
    data = queueing_office(**group)
    data["caller_patience"] = patience
    [warning] = scenario_advice(load_scenario(data))
    assert says in warning


@pytest.mark.parametrize("patience", ["61s", {"dist": "exponential", "mean": "10s"}])
def test_a_patience_that_may_outlast_the_offer_is_not_warned(patience):
    data = queueing_office(callback=CALLBACK)
    data["caller_patience"] = patience
    assert scenario_advice(load_scenario(data)) == ()
