"""Scenario files: units, defaults, and one clear message per broken rule."""

from __future__ import annotations

import copy

import pytest
from helpers import office
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from huntsim import ScenarioError, load_scenario
from huntsim.scenario.distributions import Constant, Exponential
from huntsim.scenario.units import parse_duration, parse_rate


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90.0), ("4min", 240.0), ("8h", 28800.0), (30, 30.0), ("1.5h", 5400.0),
     ("2d", 172800.0)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "per_second"), [("30/h", 30 / 3600), ("2/min", 2 / 60)])
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


@pytest.mark.parametrize("text", ["4 minutes", "-3s", "abc", True, "inf"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_a_bare_number_is_not_a_rate():
    with pytest.raises(ValueError, match="unit"):
        parse_rate(30)


def test_agent_defaults_fill_in_and_agents_override():
    scenario = load_scenario({
        "duration": "1h",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "4min"},
                           "answer_probability": 0.8},
        "agents": [{"number": "1"}, {"number": "2", "answer_probability": 0.5}],
    })
    assert scenario.agents[0].talk_time == Exponential(mean=240.0)
    assert [a.answer_probability for a in scenario.agents] == [0.8, 0.5]


def test_distribution_shorthand_and_repr():
    scenario = load_scenario(office(talk="30s", agents={"B": {
        "talk_time": {"dist": "lognormal", "mean": "4min", "sd": "3min"}}}))
    assert scenario.agents[0].talk_time == Constant(value=30.0)
    assert repr(scenario.agents[1].talk_time) == "Lognormal(mean=240.0, sd=180.0)"
    assert scenario.agents[1].talk_time.mean == 240.0


def test_default_all_busy_treatment_follows_the_pilot_voicemail():
    with_vm = load_scenario(office(voicemail=True)).hunt_groups[0]
    without = load_scenario(office(voicemail=False)).hunt_groups[0]
    assert (with_vm.all_busy_treatment, without.all_busy_treatment) == ("voicemail", "busy")


def test_trace_file_is_read_relative_to_the_scenario(tmp_path):
    (tmp_path / "calls.csv").write_text("time_s\n0\n95.5\n300\n")
    scenario = office()
    scenario["hunt_groups"][0]["arrivals"] = {"trace": "calls.csv"}
    path = tmp_path / "office.yaml"
    import yaml

    path.write_text(yaml.safe_dump(scenario))
    loaded = load_scenario(path)
    assert loaded.hunt_groups[0].arrivals.trace == (0.0, 95.5, 300.0)


def messages(data) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    return caught.value.messages


def broken(change) -> dict:
    data = copy.deepcopy(office())
    change(data)
    return data


RULES = [
    ("member not an agent",
     lambda d: d["hunt_groups"][0]["members"].append("555-0199"),
     "hunt_groups[0].members[3]: '555-0199' is not an agent"),
    ("number in two groups",
     lambda d: d["hunt_groups"].append({"pilot": "P2", "members": ["A"]}),
     "hunt_groups[1].members[0]: 'A' is already a member of hunt_groups[0]"),
    ("member listed twice in one group",
     lambda d: d["hunt_groups"][0]["members"].append("A"),
     "hunt_groups[0].members[3]: 'A' is listed twice (also members[0])"),
    ("pilot is a member's number",
     lambda d: d["hunt_groups"][0].update(pilot="B"),
     "hunt_groups[0].pilot: 'B' is the own number of agents[1]"),
    ("pilot used twice",
     lambda d: d["hunt_groups"].append({"pilot": "PILOT", "members": ["C"]})
     or d["hunt_groups"][0]["members"].remove("C"),
     "hunt_groups[1].pilot: 'PILOT' is already the pilot of hunt_groups[0]"),
    ("duplicate agent number",
     lambda d: d["agents"].append({"number": "A", "talk_time": 5}),
     "agents[3].number: 'A' is already the number of agents[0]"),
    ("probability above one",
     lambda d: d["agents"][1].update(answer_probability=1.5),
     "agents[1].answer_probability: 1.5 is not a probability; give a number from 0 to 1"),
    ("unknown policy",
     lambda d: d["hunt_groups"][0].update(policy="round_robin"),
     "hunt_groups[0].policy: Input should be 'regular', 'circular', 'simultaneous', 'uniform', "
     "'weighted', 'staggered', 'fewest_calls', 'least_talk_time' or 'random' "
     "(got 'round_robin')"),
    ("unknown key",
     lambda d: d["agents"][0].update(colour="red"),
     "agents[0].colour: unknown key (value 'red')"),
    ("negative duration",
     lambda d: d.update(duration="-5min"),
     "duration: '-5min' is not a duration: it must be finite and not negative"),
    ("zero ring cycle",
     lambda d: d.update(ring_cycle=0),
     "ring_cycle: Input should be greater than 0 (got 0.0)"),
    ("warm-up longer than the run",
     lambda d: d.update(duration=100, warmup=200),
     "warmup: 200 s is not shorter than duration (100 s)"),
    ("empty member list",
     lambda d: d["hunt_groups"][0].update(members=[]),
     "hunt_groups[0].members: no members: a hunt group needs at least one member"),
    ("unsorted trace",
     lambda d: d["hunt_groups"][0].update(arrivals={"trace": [5, 3]}),
     "hunt_groups[0].arrivals.trace: trace[1] (=3.0) comes before trace[0] (=5.0)"),
    ("negative trace time",
     lambda d: d["hunt_groups"][0].update(arrivals={"trace": [-1]}),
     "hunt_groups[0].arrivals.trace: trace[0] (=-1.0) must be a finite time >= 0 s"),
    ("rate without unit",
     lambda d: d["hunt_groups"][0].update(arrivals={"rate": 30}),
     "hunt_groups[0].arrivals.rate: 30 is not a rate; give a unit"),
    ("arrivals of no known form",
     lambda d: d["hunt_groups"][0].update(arrivals={"every": "5min"}),
     "hunt_groups[0].arrivals: arrivals need one of the keys rate, profile, trace or weekly"),
    ("profile out of order",
     lambda d: d["hunt_groups"][0].update(arrivals={"profile": [
         {"start": "2h", "rate": "1/h"}, {"start": "1h", "rate": "2/h"}]}),
     "profile[1].start (=3600 s) must come after profile[0].start (=7200 s)"),
    ("weights of the wrong length",
     lambda d: d["hunt_groups"][0].update(policy="weighted", weights=[1, 2]),
     "hunt_groups[0].weights: 2 weights for 3 members"),
    ("weights without the weighted policy",
     lambda d: d["hunt_groups"][0].update(weights=[1, 2, 3]),
     "hunt_groups[0].weights: only used by the weighted policy"),
    ("zero weight",
     lambda d: d["hunt_groups"][0].update(policy="weighted", weights=[1, 0, 2]),
     "hunt_groups[0].weights[1]: 0.0 must be a finite number greater than 0"),
    ("negative weight",
     lambda d: d["hunt_groups"][0].update(policy="weighted", weights=[1, 2, -0.5]),
     "hunt_groups[0].weights[2]: -0.5 must be a finite number greater than 0"),
    ("infinite weight",
     lambda d: d["hunt_groups"][0].update(policy="weighted", weights=[float("inf"), 1, 1]),
     "hunt_groups[0].weights[0]: inf must be a finite number greater than 0"),
    ("weight not a number",
     lambda d: d["hunt_groups"][0].update(policy="weighted", weights=[float("nan"), 1, 1]),
     "hunt_groups[0].weights[0]: nan must be a finite number greater than 0"),
    ("all-busy voicemail without voicemail",
     lambda d: d["hunt_groups"][0].update(voicemail=False, when_all_busy="voicemail"),
     "hunt_groups[0].when_all_busy: 'voicemail' but the pilot 'PILOT' has no voicemail"),
    ("bad distribution",
     lambda d: d["agents"][0].update(talk_time={"dist": "lognormal", "mean": "3min"}),
     "agents[0].talk_time.sd: required but missing"),
    ("uniform low above high",
     lambda d: d["agents"][0].update(talk_time={"dist": "uniform", "low": 9, "high": 3}),
     "agents[0].talk_time: low (=9.0) must not exceed high (=3.0)"),
    ("absurd spread",
     lambda d: d["agents"][0].update(talk_time={"dist": "lognormal", "mean": "1e-9s", "sd": 60}),
     "agents[0].talk_time: sd (=60 s) must be between a millionth and 1000 times the mean"),
    ("missing talk time",
     lambda d: d["agents"][0].pop("talk_time"),
     "agents[0].talk_time: required but missing"),
    ("zero rings",
     lambda d: d["hunt_groups"][0].update(no_answer_rings=0),
     "hunt_groups[0].no_answer_rings: Input should be greater than or equal to 1 (got 0)"),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in RULES],
                         ids=[name for name, _, _ in RULES])
def test_each_rule_names_the_field_and_the_value(change, expected):
    found = messages(broken(change))
    assert any(expected in message for message in found), found


def test_a_member_listed_twice_is_one_problem_named_as_such():
    def twice(d):
        d["hunt_groups"][0]["members"].insert(1, "C")

    assert messages(broken(twice)) == [
        "hunt_groups[0].members[3]: 'C' is listed twice (also members[1])"]


def test_a_member_in_two_groups_and_twice_in_the_second():
    def both(d):
        d["hunt_groups"].append({"pilot": "P2", "members": ["A", "A"]})

    assert messages(broken(both)) == [
        "hunt_groups[1].members[0]: 'A' is already a member of hunt_groups[0] "
        "(pilot 'PILOT'); a number may belong to one hunt group only "
        "(one_group_per_member: true; set one_group_per_member: false to share members)",
        "hunt_groups[1].members[1]: 'A' is listed twice (also members[0])",
    ]


def test_positive_weights_are_accepted():
    scenario = load_scenario(office(policy="weighted", weights=[0.001, 2, 1e6]))
    assert scenario.hunt_groups[0].weights == (0.001, 2.0, 1e6)


def test_several_problems_are_reported_together():
    def two_problems(d):
        d["hunt_groups"][0]["members"].append("X")
        d["hunt_groups"][0]["pilot"] = "A"

    assert len(messages(broken(two_problems))) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [("agents: [", "not valid YAML at line"), ("- just\n- a list\n", "must be a mapping"),
     ("duration: " + "[" * 5000 + "]" * 5000, "not valid YAML: nested too deeply")],
)
def test_bad_files(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    assert expected in messages(path)[0]


def test_missing_file_and_directory(tmp_path):
    assert "no such scenario file" in messages(tmp_path / "nope.yaml")[0]
    assert "is a directory" in messages(tmp_path)[0]


def test_missing_trace_file(tmp_path):
    data = office()
    data["hunt_groups"][0]["arrivals"] = {"trace": "absent.csv"}
    assert "trace file" in messages(data)[0] and "does not exist" in messages(data)[0]


def test_with_policy_refuses_unknown_policies():
    scenario = load_scenario(office())
    with pytest.raises(ScenarioError, match="'fastest' is not a policy"):
        scenario.with_policy("fastest")
    assert scenario.with_policy("uniform").hunt_groups[0].policy == "uniform"




def many_agents(count: int, **defaults) -> dict:
    return {
        "duration": "1h",
        "agent_defaults": {"talk_time": "3min", **defaults},
        "agents": [{"number": f"555-{101 + k:04d}"} for k in range(count)],
        "hunt_groups": [{"pilot": "555-0100", "members": ["555-0101"]}],
    }


def test_an_unknown_key_in_agent_defaults_is_reported_once_with_a_suggestion():
    assert messages(many_agents(100, wrapup="30s")) == [
        "agent_defaults.wrapup: unknown key (value '30s'); did you mean 'wrap_up'?"]


def test_a_bad_value_in_agent_defaults_is_reported_once():
    data = many_agents(100)
    data["agent_defaults"]["talk_time"] = "three minutes"
    found = messages(data)
    assert len(found) == 1, found
    assert found[0].startswith("agent_defaults.talk_time")
    assert "'three minutes'" in found[0]


def test_a_bad_value_in_agent_defaults_does_not_hide_an_agent_own_mistake():
    data = many_agents(3, answer_probability=2)
    data["agents"][1]["answer_probability"] = -1
    found = messages(data)
    assert [m.split(":")[0] for m in found] == [
        "agent_defaults.answer_probability", "agents[1].answer_probability"]


@pytest.mark.parametrize(
    ("where", "key", "expected"),
    [(lambda d: d["agents"][0], "talk_tme", "did you mean 'talk_time'?"),
     (lambda d: d["agents"][0], "numbrs", "did you mean 'numbers' or 'number'?"),
     (lambda d: d["hunt_groups"][0], "when_all_bsy", "did you mean 'when_all_busy'?"),
     (lambda d: d, "warm_up", "did you mean 'warmup'?"),
     (lambda d: d["agents"][0]["talk_time"], "sdd", "did you mean 'sd'?"),
     (lambda d: d["hunt_groups"][0]["arrivals"], "perod", "did you mean 'period'?")],
    ids=["agent", "agent block key", "group", "top level", "distribution", "arrivals"],
)
def test_unknown_keys_get_a_did_you_mean_from_the_keys_allowed_there(where, key, expected):
    data = office(agents={"A": {"talk_time": {"dist": "lognormal", "mean": 60, "sd": 30}}})
    data["hunt_groups"][0]["arrivals"] = {"profile": [{"start": 0, "rate": "1/h"}]}
    where(data)[key] = 1
    found = [m for m in messages(data) if "unknown key" in m]
    assert len(found) == 1, found
    assert found[0].endswith(expected), found


def test_an_unknown_key_without_a_close_match_lists_the_keys():
    found = messages(broken(lambda d: d["hunt_groups"][0].update(colour="red")))
    assert found[0].startswith("hunt_groups[0].colour: unknown key (value 'red'); "
                               "the keys here are: after_hours, arrivals,")


# blocks of agents and ranges of members


def block_office(*entries, members=("555-0101",)) -> dict:
    return {"duration": "1h", "agent_defaults": {"talk_time": "3min"}, "agents": list(entries),
            "hunt_groups": [{"pilot": "555-0100", "members": list(members)}]}


def test_a_range_of_numbers_declares_a_block_of_agents():
    scenario = load_scenario(block_office(
        {"numbers": "555-0101..555-0140", "name": "Agent {n}", "wrap_up": "30s"},
        members=["555-0101..555-0140"]))
    assert len(scenario.agents) == 40
    assert [a.number for a in scenario.agents[:2]] == ["555-0101", "555-0102"]
    assert scenario.agents[-1].number == "555-0140"
    assert scenario.agents[-1].name == "Agent 40"
    assert {a.wrap_up for a in scenario.agents} == {Constant(value=30.0)}
    assert scenario.hunt_groups[0].members == tuple(a.number for a in scenario.agents)


def test_a_number_with_a_count_keeps_the_layout_as_written(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text(
        "duration: 1h\n"
        "agents:\n"
        "  - {number: 0098, count: 3, talk_time: 3min, name: '{number} desk'}\n"
        "  - {number: +15550101, count: 2, talk_time: 3min}\n"
        "hunt_groups:\n"
        "  - {pilot: 0001, members: [0098..0100, +15550101, +15550102]}\n")
    scenario = load_scenario(path)
    assert [a.number for a in scenario.agents] == [
        "0098", "0099", "0100", "+15550101", "+15550102"]
    assert scenario.agents[2].name == "0100 desk"
    assert scenario.hunt_groups[0].members[:3] == ("0098", "0099", "0100")


def test_a_list_of_numbers_shares_the_settings():
    scenario = load_scenario(block_office(
        {"numbers": ["555-0101", "555-0105..555-0106"], "answer_probability": 0.5}))
    assert [(a.number, a.answer_probability) for a in scenario.agents] == [
        ("555-0101", 0.5), ("555-0105", 0.5), ("555-0106", 0.5)]


BLOCK_MISTAKES = [
    ({"numbers": "555-0140..555-0101"},
     "agents[1].numbers: '555-0140..555-0101' runs backwards"),
    ({"numbers": "555-0101..555-140"},
     "agents[1].numbers: '555-0101..555-140': 555-0101 and 555-140 differ in layout"),
    ({"numbers": "555-0101..."}, "agents[1].numbers: '555-0101...' is not a range of numbers"),
    ({"numbers": "0..99999"}, "agents[1].numbers: '0..99999' differ in layout"),
    ({"numbers": "00000..99999"}, "agents[1].numbers: '00000..99999' is 100,000 numbers, "
                                  "more than 9,999"),
    ({"number": "555-0201", "count": 0}, "agents[1].count: 0 must be a whole number from 1"),
    ({"number": "555-0201", "count": "many"}, "agents[1].count: 'many' must be a whole number"),
    ({"number": "555-9999", "count": 2},
     "agents[1].count: counting 2 numbers on from '555-9999' needs more than its 4 digits"),
    ({"number": "desk", "count": 2}, "agents[1].count: 'desk' has no digits to count on from"),
    ({"count": 2}, "agents[1].number: None is not a phone number to count on from"),
    ({"number": "555-0201", "numbers": "555-0202..555-0203"},
     "agents[1]: give number (one agent, or the first with count) or numbers"),
    ({"numbers": "555-0201..555-0203", "count": 3}, "agents[1].count: 3 with numbers"),
    ({"numbers": "555-0201..555-0203", "name": "Agent {i}"},
     "agents[1].name: 'Agent {i}' has the unknown placeholder {i}"),
    ({"numbers": ["555-0201", True]}, "agents[1].numbers[1]: True is not a phone number"),
    ({"numbers": []}, "agents[1].numbers: [] is neither a range"),
]


@pytest.mark.parametrize(("entry", "expected"), BLOCK_MISTAKES,
                         ids=[e for _, e in BLOCK_MISTAKES])
def test_a_broken_block_is_one_message_naming_the_field_and_the_value(entry, expected):
    found = messages(block_office({"number": "555-0101"}, entry))
    assert len(found) == 1, found
    assert found[0].startswith(expected.split("'")[0]), found
    assert all(part in found[0] for part in expected.split(" differ")[:1]), found


def test_a_mistake_in_a_block_is_reported_once_at_the_entry_as_written():
    found = messages(block_office({"number": "555-0101"},
                                  {"numbers": "555-0102..555-0141", "wrap_up": "soon"}))
    assert len(found) == 1, found
    assert found[0].startswith("agents[1].wrap_up.value: 'soon' is not a duration"), found


def test_rules_name_the_block_and_the_member_range_as_written():
    found = messages(block_office(
        {"numbers": "555-0101..555-0110"}, {"number": "555-0105"},
        members=["555-0101..555-0110", "555-0111..555-0112"]))
    assert found == [
        "agents[1].number: '555-0105' is already the number of agents[0]",
        "hunt_groups[0].members[1]: '555-0111' is not an agent (and 1 more number of this "
        "entry, to '555-0112')",
    ]


def test_overlapping_blocks_are_one_message():
    found = messages(block_office({"numbers": "555-0101..555-0110"},
                                  {"numbers": "555-0105..555-0120"}))
    assert found == [
        "agents[1].number: '555-0105' is already the number of agents[0] (and 5 more numbers "
        "of this entry, to '555-0110')"]


def test_a_bad_member_range_names_the_member():
    found = messages(block_office({"number": "555-0101"}, members=["555-0101..0102"]))
    assert found == ["hunt_groups[0].members[0]: '555-0101..0102': 555-0101 and 0102 differ "
                     "in layout; write FIRST..LAST with the same layout, e.g. "
                     "'555-0101..555-0140'"]


def test_blocks_do_not_change_scenarios_written_one_agent_at_a_time():
    listed = load_scenario(block_office(*[{"number": f"555-{k:04d}", "name": f"Agent {k - 100}"}
                                          for k in range(101, 106)]))
    block = load_scenario(block_office({"numbers": "555-0101..555-0105",
                                        "name": "Agent {n}"}))
    assert listed == block


def test_keys_that_yaml_1_1_reads_as_booleans_stay_keys(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text(
        "duration: 1h\n"
        "agents: [{number: '1', talk_time: 1min, voicemail: yes}]\n"
        "hunt_groups:\n"
        "  - {pilot: P, members: ['1'], redial: {on: [busy], probability: 0.5, delay: 2min}}\n")
    scenario = load_scenario(path)
    assert scenario.hunt_groups[0].redial.on == ("busy",)
    assert scenario.agents[0].voicemail is True


def test_a_mistyped_key_in_agent_defaults_is_one_message_not_one_per_agent():
    data = many_agents(100)
    data["agent_defaults"] = {"talk_tme": "3min"}
    assert messages(data) == [
        "agent_defaults.talk_tme: unknown key (value '3min'); did you mean 'talk_time'?"]


def test_a_key_missing_from_many_agents_is_one_message():
    data = many_agents(100)
    data.pop("agent_defaults")
    data["agents"][3]["talk_time"] = "2min"
    assert messages(data) == [
        "agents[0].talk_time: required but missing (and in 98 more agents; give it in "
        "agent_defaults or to each agent)"]


def test_the_command_line_reports_a_broken_block_once_with_exit_2(tmp_path, capsys):
    from huntsim.cli.main import main

    path = tmp_path / "office.yaml"
    path.write_text(
        "duration: 1h\n"
        "agent_defaults: {talk_time: 3min, wrapup: 30s}\n"
        "agents:\n"
        "  - {numbers: 555-0140..555-0101, name: 'Agent {n}'}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == ("error: agents[0].numbers: '555-0140..555-0101' runs backwards; write the "
                   "lower number first\n")
    path.write_text(
        "duration: 1h\n"
        "agent_defaults: {talk_time: 3min, wrapup: 30s}\n"
        "agents:\n"
        "  - {numbers: 555-0101..555-0140, name: 'Agent {n}'}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == ("error: agent_defaults.wrapup: unknown key (value '30s'); "
                   "did you mean 'wrap_up'?\n")


def test_a_range_listed_twice_in_a_group_is_one_message():
    found = messages(block_office({"numbers": "555-0101..555-0105"},
                                  members=["555-0101..555-0105", "555-0101..555-0105"]))
    assert found == [
        "hunt_groups[0].members[1]: '555-0101' is listed twice (also members[0]) (and 4 more "
        "numbers of this entry, to '555-0105')"]


@given(prefix=st.sampled_from(["", "555-", "+1", "ext ", "(02) 9"]),
       width=st.integers(1, 6), low=st.integers(0, 999_999), count=st.integers(1, 300),
       suffix=st.sampled_from(["", "#", " desk"]))
@settings(max_examples=200, deadline=None)
def test_ranges_and_counts_agree_and_keep_the_layout(prefix, width, low, count, suffix):
    from huntsim.scenario.blocks import number_range, numbers_from

    assume(len(str(low + count - 1)) <= width)
    first = f"{prefix}{low:0{width}d}{suffix}"
    last = f"{prefix}{low + count - 1:0{width}d}{suffix}"
    listed = numbers_from(first, count)
    assert listed == number_range(f"{first}..{last}")
    assert len(listed) == len(set(listed)) == count
    assert listed[0] == first and listed[-1] == last
    assert {len(n) for n in listed} == {len(first)}
    assert all(n.startswith(prefix) and n.endswith(suffix) for n in listed)


def alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose nested aliases stand for 9**levels values."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, levels)]
    lines += [f"duration: *a{levels - 1}", "agents: [{number: '1', talk_time: 1min}]"]
    return "\n".join(lines) + "\n"


def test_a_file_of_nested_aliases_is_refused_quickly_naming_the_file(tmp_path, capsys):
    import time

    from huntsim.cli.main import main

    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    assert len(path.read_bytes()) < 600
    started = time.perf_counter()
    assert main(["validate", str(path)]) == 2
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {str(path)!r}: cannot be read: its aliases (*name) repeat about ")
    assert "at most 100,000 may be repeated" in err
    assert "Traceback" not in err


def test_a_value_that_holds_itself_through_an_alias_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("duration: &d [1, *d]\nagents: [{number: '1', talk_time: 1min}]\n")
    with pytest.raises(ScenarioError, match="a value holds itself through an alias"):
        load_scenario(path)


def test_a_few_aliases_are_still_read(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text("duration: 1h\nagents:\n  - {number: '1', talk_time: &t 1min}\n"
                    "  - {number: '2', talk_time: *t}\n")
    assert [a.talk_time.mean for a in load_scenario(path).agents] == [60.0, 60.0]


def test_a_huge_shared_value_is_shown_cut_without_being_written_out():
    from huntsim.errors import short_repr

    huge: object = ["x"] * 9
    for _ in range(8):
        huge = [huge] * 9  # 9**9 items, shared: writing them out takes minutes and gigabytes
    for key in ("duration", "colour", "agents"):
        data = {"duration": "1h", "agents": [{"number": "1", "talk_time": "1min"}], key: huge}
        with pytest.raises(ScenarioError) as error:
            load_scenario(data)
        assert all(len(m) < 400 for m in error.value.messages)
    assert short_repr(huge).startswith("[[[[[[[[['x', 'x'") and short_repr(huge).endswith("...")
    assert len(short_repr(huge)) == 80
    for small in ([1, (2,), {"a": "b"}], (1,), {"k": [None, True, 2.5]}, "text"):
        assert short_repr(small) == repr(small)


def test_a_run_with_too_many_schedule_changes_is_refused_with_the_limit():
    # 1e13 s is 16.5 million weeks: the schedule's 10 changes a week would not fit in memory
    data = {"duration": 1e13,
            "agents": [{"number": "1", "talk_time": "1min",
                        "schedule": ["mon-fri 08:00-17:00"]}],
            "hunt_groups": [{"pilot": "P", "members": ["1"], "arrivals": {"rate": "1/w"}}]}
    assert messages(data) == [
        "duration: 1e+13 s with these schedules and open hours means about 1.7e+08 changes "
        "of presence (10 a week), more than huntsim simulates in one run (10,000,000); "
        "shorten the run"]
    data["duration"] = "52w"
    load_scenario(data)


def test_a_run_with_too_many_absences_is_refused_with_the_limit():
    data = {"duration": "4w",
            "agents": [{"number": "1", "talk_time": "1min",
                        "away": {"rate": "1000000000/h", "length": "1s"}}],
            "hunt_groups": [{"pilot": "P", "members": ["1"], "arrivals": {"rate": "1/h"}}]}
    assert messages(data) == [
        "agents[0].away.rate: 1e+09/h over 2.4192e+06 s means about 6.7e+11 absences "
        "(all agents), more than huntsim simulates in one run (200,000,000); lower the rate "
        "or shorten the run"]
    data["agents"][0]["away"]["rate"] = "2/h"
    load_scenario(data)


def test_the_command_line_refuses_a_run_that_cannot_finish_with_exit_2(tmp_path, capsys):
    from huntsim.cli.main import main

    path = tmp_path / "office.yaml"
    path.write_text("duration: 1e13\n"
                    "agents: [{number: '1', talk_time: 1min, schedule: [mon-fri 08:00-17:00]}]\n"
                    "hunt_groups: [{pilot: P, members: ['1'], arrivals: {rate: 1/w}}]\n")
    assert main(["validate", str(path)]) == 2
    assert "changes of presence" in capsys.readouterr().err


def hinted_office() -> dict:
    return {"duration": "1h", "agents": [{"number": "1", "talk_time": "1min"}],
            "hunt_groups": [{"pilot": "P", "members": ["1"], "arrivals": {"rate": "1/h"}}]}


def test_a_probability_written_as_a_percentage_says_which_number_to_write():
    data = hinted_office()
    data["agents"][0]["answer_probability"] = "90%"
    data["hunt_groups"][0]["redial"] = {"on": ["busy"], "probability": "50 %", "delay": "1min"}
    assert messages(data) == [
        "agents[0].answer_probability: '90%' is not a probability; write 0.9 for 90% "
        "(a number from 0 to 1)",
        "hunt_groups[0].redial.probability: '50 %' is not a probability; write 0.5 for 50 % "
        "(a number from 0 to 1)"]


def test_a_policy_is_read_whatever_its_case_like_day_names():
    data = hinted_office()
    data["hunt_groups"][0]["policy"] = "Circular"
    assert load_scenario(data).hunt_groups[0].policy == "circular"


def test_a_misspelt_distribution_gets_did_you_mean_and_case_does_not_matter():
    data = hinted_office()
    data["agents"][0]["talk_time"] = {"dist": "exponentail", "mean": "1min"}
    assert messages(data) == [
        "agents[0].talk_time: dist 'exponentail' names no distribution; did you mean "
        "'exponential'? (got {'dist': 'exponentail', 'mean': '1min'})"]
    data["agents"][0]["talk_time"] = {"dist": "Exponential", "mean": "1min"}
    assert load_scenario(data).agents[0].talk_time == Exponential(mean=60)


# --- the contact-centre keys in the words of their users (issue 22 trial, finding 13) ----


def acd_office(**group: object) -> dict:
    data = hinted_office()
    data["agents"].append({"number": "2", "talk_time": "1min"})
    data["hunt_groups"][0].update(members=["1", "2"], **group)
    return data


@pytest.mark.parametrize(("where", "key", "value", "expected"), [
    ("group", "weight", 1,
     "hunt_groups[0].weight: unknown key (value 1); did you mean 'weights'? For Asterisk's "
     "queue weight write priority (smaller is served first"),
    ("group", "penalty", 1, "A member's penalty goes in members, as {number: '201', "
     "penalty: 1}"),
    ("group", "strategy", "ringall", "hunt_groups[0].strategy: unknown key (value 'ringall'); "
     "the ring strategy is policy here"),
    ("group", "offer_after", "60s", "offer_after is a key of callback: {offer_after: 60s"),
    ("agent", "penalty", 2, "agents[0].penalty: unknown key (value 2); a penalty is given "
     "where the agent is a member: in hunt_groups[].members, as {number: '1', penalty: 1}"),
    ("agent", "call_waiting", True, "agents[0].call_waiting: unknown key (value True); "
     "call_waiting is a key of each hunt group (hunt_groups[].call_waiting)"),
    ("top", "priority", 1, "priority: unknown key (value 1); priority is a key of each hunt "
     "group (hunt_groups[].priority)"),
])
def test_a_key_of_another_place_or_system_says_where_it_goes(where, key, value, expected):
    data = acd_office()
    {"group": data["hunt_groups"][0], "agent": data["agents"][0], "top": data}[where][key] = value
    [message] = messages(data)
    assert expected in message


def test_a_penalty_out_of_range_names_the_upper_limit():
    data = acd_office(when_all_busy="queue")
    data["hunt_groups"][0]["members"] = ["1", {"number": "2", "penalty": 99999999999}]
    assert messages(data) == ["hunt_groups[0].members[1].penalty: 99999999999; a penalty is a "
                              "whole number 0 or more, at most 1,000,000 (0: rung first)"]


@pytest.mark.parametrize(("group", "expected"), [
    ({"when_all_busy": "queue", "callback": True},
     "hunt_groups[0].callback: Input should be a mapping of keys (offer_after, accept, "
     "reached) (got True)"),
    ({"penalties": "0,1"}, "hunt_groups[0].penalties: Input should be a valid list (got '0,1')"),
])
def test_library_words_are_not_shown(group, expected):
    [message] = messages(acd_office(**group))
    assert message == expected
    assert "tuple" not in message and "instance of" not in message


@pytest.mark.parametrize(("policy", "hint"), [
    ("fewest_call", "(got 'fewest_call'); did you mean 'fewest_calls'?"),
    ("least-talk-time", "did you mean 'least_talk_time'?"),
    ("leastrecent", "'leastrecent' is Asterisk's strategy; the closest policy here is 'uniform' "
     "(write policy: uniform)"),
    ("Ring-All", "'Ring-All' is FreeSWITCH's strategy; the closest policy here is "
     "'simultaneous' (write policy: simultaneous)"),
])
def test_a_misspelt_or_foreign_policy_gets_the_policy_to_write(policy, hint):
    [message] = messages(acd_office(policy=policy))
    assert message.startswith("hunt_groups[0].policy: ")
    assert message.endswith(hint)


def test_a_misspelt_choice_of_any_key_gets_did_you_mean():
    [message] = messages(acd_office(when_all_busy="queu"))
    assert message.endswith("(got 'queu'); did you mean 'queue'?")


def test_a_priority_in_quotes_is_read_as_other_whole_numbers_are():
    # pydantic's lax mode reads "3" as 3 for every whole number (no_answer_rings too)
    office = load_scenario(acd_office(priority="1", no_answer_rings="3"))
    assert (office.hunt_groups[0].priority, office.hunt_groups[0].no_answer_rings) == (1, 3)


@pytest.mark.parametrize(("argv", "expected"), [
    (["run", "--policy", "leastrecent"], "argument --policy: 'leastrecent' is Asterisk's "
     "strategy; the closest policy here is 'uniform'"),
    (["compare", "--policies", "regular,circlar"], "did you mean 'circular'?"),
    (["sweep", "--set", "traffic=1", "--policies", "ring-all"], "--policies: 'ring-all' is "
     "FreeSWITCH's strategy; the closest policy here is 'simultaneous'"),
])
def test_the_command_line_names_the_policy_to_write(tmp_path, capsys, argv, expected):
    from huntsim.cli.main import main

    path = tmp_path / "office.yaml"
    path.write_text("duration: 1h\nagents: [{number: '1', talk_time: 1min}]\n"
                    "hunt_groups: [{pilot: P, members: ['1']}]\n")
    assert main([argv[0], str(path), *argv[1:]]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize(("member", "hint"), [
    ("2,1", "hunt_groups[0].members[1]: '2,1' is not an agent; for a penalty write "
     "{number: '2', penalty: 1}"),
    ({"number": "2", "penality": 1}, "(unknown key penality; did you mean 'penalty'?)"),
    ({"number": "2", "level": 1}, "(unknown key level; FreeSWITCH's tier level is penalty "
     "here)"),
    ({"interface": "SIP/2", "penalty": 1}, "give the agent's own number as number)"),
    ({"number": "2", "priority": 1}, "priority is a key of the hunt group"),
])
def test_a_member_written_as_asterisk_or_freeswitch_would_says_how_to_write_it(member, hint):
    data = acd_office(when_all_busy="queue")
    data["hunt_groups"][0]["members"] = ["1", member]
    assert any(hint in m for m in messages(data)), messages(data)
