"""Scenario files: units, defaults, and one clear message per broken rule."""

from __future__ import annotations

import copy

import pytest
from helpers import office

from huntsim import ScenarioError, load_scenario
from huntsim.distributions import Constant, Exponential
from huntsim.units import parse_duration, parse_rate


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
     "agents[1].answer_probability: Input should be less than or equal to 1 (got 1.5)"),
    ("unknown policy",
     lambda d: d["hunt_groups"][0].update(policy="random"),
     "hunt_groups[0].policy: Input should be 'regular', 'circular', 'simultaneous', 'uniform' "
     "or 'weighted' (got 'random')"),
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
     "hunt_groups[0].members: Tuple should have at least 1 item"),
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
        "(pilot 'PILOT'); a number may belong to one hunt group only",
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


